"""The network inspector, the SELU lab and the decision boundaries: what they compute,
checked against independent references (numerical integration, Monte Carlo, torch's own
dropout and initialisation, a direct autograd computation)."""

from __future__ import annotations

import math

import numpy as np
import pytest
import torch
from scipy import integrate

import actlib
from actlib.teaching import boundaries, inspector, selfnorm
from actlib.teaching.experiments import gradient_norms_per_layer
from actlib.teaching.explorers.frames import measured_record
from actlib.teaching.models import MLP

# --- SELU's moments --------------------------------------------------------------------------

@pytest.mark.parametrize("m, v", [(0.0, 1.0), (0.7, 0.3), (-1.5, 2.0), (2.0, 0.05), (-0.2, 6.0)])
def test_selu_moments_equal_numerical_integration(m, v):
    def moment(k):
        def f(t):
            return float(actlib.selu(t)) ** k * math.exp(-(t - m) ** 2 / (2 * v)) / math.sqrt(2 * math.pi * v)
        return sum(integrate.quad(f, a, b, limit=200, epsabs=1e-13, epsrel=1e-12)[0]
                   for a, b in [(-np.inf, 0.0), (0.0, np.inf)])

    want = [moment(1), moment(2)]
    got = selfnorm.selu_moments(m, v)
    np.testing.assert_allclose(got, want, rtol=1e-9, atol=1e-12)


def test_zero_one_is_the_fixed_point_for_lecun_weights():
    mu, nu = selfnorm.moment_map(0.0, 1.0, 0.0, 1.0)
    assert abs(mu) < 1e-12 and abs(nu - 1) < 1e-12
    # and it attracts: a start nearby comes back within 1 % in a few layers
    n, target = selfnorm.settle_layers(np.array([0.3]), np.array([1.8]), 0.0, 1.0)
    assert n[0] < 20 and abs(target[1] - 1) < 1e-9


def test_the_selu_gain_is_pytorchs_and_gives_tau_nine_sixteenths():
    assert selfnorm.init_gain("selu_gain") == torch.nn.init.calculate_gain("selu") == 0.75
    assert selfnorm.tau("selu_gain") == pytest.approx(9 / 16)
    # the MLP's weights for it have kaiming_normal_(nonlinearity="selu")'s spread
    n = 256
    w = torch.empty(n, n)
    torch.nn.init.kaiming_normal_(w.T, nonlinearity="selu", generator=torch.Generator().manual_seed(0))
    net = MLP([n, n, 1], "selu", init="lecun", gain=selfnorm.init_gain("selu_gain"))
    assert float(net.weights[0].detach().std()) == pytest.approx(float(w.std()), rel=0.02)
    assert float(w.std()) == pytest.approx(0.75 / math.sqrt(n), rel=0.02)


@pytest.mark.parametrize("kind, module", [("dropout", torch.nn.Dropout), ("alpha", torch.nn.AlphaDropout)])
def test_dropout_moments_match_torchs_dropout(kind, module):
    gen = torch.Generator().manual_seed(3)
    x = 0.4 + 1.3 * torch.randn(2_000_000, generator=gen, dtype=torch.float64)
    torch.manual_seed(1)
    y = module(0.2).train()(x)
    mu, q = selfnorm.dropout_moments(float(x.mean()), float((x * x).mean()), 0.2, kind)
    se = float(y.std()) / math.sqrt(y.numel())
    assert abs(float(y.mean()) - mu) < 5 * se
    assert abs(float((y * y).mean()) - q) < 5 * float((y * y).std()) / math.sqrt(y.numel())


def test_alpha_dropout_keeps_the_fixed_point_and_dropout_does_not():
    assert selfnorm.dropout_moments(0.0, 1.0, 0.1, "alpha") == pytest.approx((0.0, 1.0), abs=1e-12)
    assert selfnorm.dropout_moments(0.0, 1.0, 0.1, "dropout") == pytest.approx((0.0, 1 / 0.9))


def test_mean_field_predicts_a_wide_network():
    means, variances = selfnorm.simulate(["lecun", "selu_gain"], 8, width=256, samples=128, seeds=range(2))
    for k, init in enumerate(["lecun", "selu_gain"]):
        m, v = selfnorm.mean_field(init, 8)
        np.testing.assert_allclose(variances[k].mean(0), v, rtol=0.15)
        np.testing.assert_allclose(means[k].mean(0), m, atol=0.05)


# --- the inspector ----------------------------------------------------------------------------

def test_flat_means_saturated_for_bounded_and_dead_side_otherwise():
    z = torch.tensor([-3.0, -0.1, 0.0, 0.1, 3.0])
    h = torch.tanh(z)
    assert inspector.flat_mask("tanh", z, h).tolist() == [True, False, False, False, True]
    assert inspector.flat_mask("relu", z, torch.relu(z)).tolist() == [True, True, True, False, False]
    assert inspector.saturating("sigmoid") and not inspector.saturating("elu")


def test_a_shallower_network_is_the_first_layers_of_a_deeper_one():
    """What lets the inspector measure the deepest network once for every depth."""
    for init in ["he", "orthogonal", "large"]:
        kw = dict(members=2, seeds=[0, 1], **inspector.init_args(init))
        deep, shallow = MLP([64, 16, 16, 16, 16, 10], "tanh", **kw), MLP([64, 16, 16, 10], "tanh", **kw)
        for k in range(2):                       # the two hidden layers of the shallow one
            assert torch.equal(deep.weights[k], shallow.weights[k])


def test_stacked_members_compute_what_the_separate_networks_compute():
    nets = [MLP([8, 6, 3], "gelu", members=2, seeds=[s, s + 1], init=i) for s, i in [(0, "he"), (5, "xavier")]]
    stacked = inspector.stack_members(nets)
    x = torch.randn(4, 8)
    np.testing.assert_allclose(stacked(x).detach(), torch.cat([n(x) for n in nets]).detach(), rtol=1e-5,
                               atol=1e-6)


def test_init_inspection_matches_a_direct_computation():
    r = inspector.inspect_init("relu", "he", depths=(2, 3), width=8, samples=32, seeds=(0, 1), bins=8)
    x, y = inspector._probe(32, "cpu", torch.float64)
    net = MLP([64, 8, 8, 8, 10], "relu", members=2, seeds=[0, 1], init="he", dtype=torch.float64)
    h = [L.h_out.detach() for L in net.layers(x)]
    assert r.std == pytest.approx([float(t.std()) for t in h])
    tiny = np.finfo(np.float64).tiny
    assert r.zero == pytest.approx([float((t.abs() < tiny).double().mean()) for t in h])
    # zeros are left out of ReLU's histograms (more than 5 %), the rest is counted
    assert r.counts.sum(axis=1) == pytest.approx([float((t.abs() >= tiny).sum()) for t in h])
    # gradient norms: the cross-entropy's gradient, by autograd
    for depth in (2, 3):
        net = MLP([64] + [8] * depth + [10], "relu", members=2, seeds=[0, 1], init="he", dtype=torch.float64)
        loss = torch.nn.functional.cross_entropy(net(x)[1], y)
        loss.backward()
        want = [float(w.grad[1].norm()) for w in net.weights[:-1]]
        assert r.grads[depth][1] == pytest.approx(want, rel=1e-9)


def test_training_inspection_records_steps_gradients_and_updates():
    t = inspector.inspect_training("relu", inits=("he",), lrs=(1e-2, 1e-1), seeds=(0, 1), width=8, depth=2,
                                   samples=32, steps=4, every=2, bins=8)
    assert t.steps.tolist() == [0, 2, 4]
    assert t.counts.shape == (1, 2, 3, 2, 8) and t.grads.shape == (1, 2, 2, 3, 2)
    assert np.isnan(t.updates[..., 0, :]).all() and np.isfinite(t.updates[..., 1:, :]).all()
    # at step 0 the gradient is the first step's: the cross-entropy at initialisation
    x, y = inspector._probe(32, "cpu", torch.float64)
    net = MLP([64, 8, 8, 10], "relu", members=2, seeds=[0, 1], init="he", dtype=torch.float64)
    want = gradient_norms_per_layer(net, x, y, per_sample=False)
    np.testing.assert_allclose(t.grads[0, 0, :, 0], want, rtol=1e-12)
    # Adam's first steps move the weights by about lr per entry: the ratio grows with lr
    assert (t.updates[0, 1, :, 1] > 5 * t.updates[0, 0, :, 1]).all()


def test_float64_training_is_the_same_with_one_or_two_threads():
    def run(threads):
        old = torch.get_num_threads()
        torch.set_num_threads(threads)
        try:
            return inspector.inspect_training("tanh", inits=("xavier",), lrs=(1e-1,), seeds=(0,), width=16,
                                              depth=2, samples=64, steps=8, every=4)
        finally:
            torch.set_num_threads(old)
    a, b = run(1), run(2)
    np.testing.assert_allclose(a.grads, b.grads, rtol=1e-9)
    np.testing.assert_array_equal(a.counts, b.counts)


def test_seed_tolerance_is_the_statistics_modules():
    from actlib.teaching.stats import Stat

    v = np.random.default_rng(0).normal(size=(6, 5))
    np.testing.assert_allclose(inspector.seed_tolerance(v), [Stat(r).tol() for r in v])
    assert inspector.seed_tolerance(np.zeros((2, 3)), resolution=0.1).tolist() == [0.1, 0.1]


# --- decision boundaries ----------------------------------------------------------------------

def test_dead_units_get_no_gradient_from_any_training_point():
    r = boundaries.train_boundaries("moons", "relu", lrs=(0.3,), seeds=range(3), steps=12, every=6, grid=6)
    d = boundaries.dataset("moons")
    x = d.x_train.double().numpy()
    a, b, c = r.units[0, 0, -1]
    z = x[:, :1] * a + x[:, 1:] * b + c                  # (points, units) from the recorded lines
    np.testing.assert_array_equal(r.dead[0, 0, -1], (z <= 0).all(axis=0))
    assert r.probs.shape == (1, 3, 3, 2, 6, 6)
    np.testing.assert_allclose(r.probs.sum(axis=3), 1.0)


def test_leaky_relu_units_never_die():
    r = boundaries.train_boundaries("moons", "leaky_relu", lrs=(0.3,), seeds=range(2), steps=12, every=6, grid=4)
    assert not r.dead.any()


# --- the explorers -----------------------------------------------------------------------------

def test_every_lab_explorer_builds_within_its_budget_with_a_record():
    from actlib.teaching.inspector_views import init_explorer, training_explorer

    small = [
        init_explorer(activations=("tanh", "relu"), inits=("xavier", "he"), depths=(2, 3), width=8, samples=16,
                      seeds=(0, 1), default=("tanh", "he", 3)),
        training_explorer(activations=("relu", "tanh"), inits=("he", "xavier"), lrs=(1e-2, 1e-1), seeds=(0, 1), width=8,
                          samples=16, steps=4, every=2, default=("relu", "he", 1e-1)),
        selfnorm.depth_explorer(layers=4, width=16, samples=16, seeds=(0, 1), rates=(0.1, 0.2)),
        boundaries.boundary_explorer(activations=("relu", "tanh"), seeds=(0, 1), steps=6, every=3, grid=6),
        # closed forms, whose last bits depend on the CPU's exp and ndtr
        selfnorm.moment_map_explorer(omegas=(0.0, 0.1), grid=8),
    ]
    for ex in small:
        html = ex.to_html()
        assert len(html.encode()) <= ex.max_bytes
        assert measured_record(ex) is not None, ex.title
        assert ex.meta["builder"].split(":")[1] in {"init_explorer", "training_explorer", "depth_explorer",
                                                    "boundary_explorer", "moment_map_explorer"}


def test_a_subnormal_output_counts_as_zero_on_every_cpu():
    # whether softplus(-800) underflows to 0 or to a subnormal depends on the CPU's exp
    h = torch.tensor([0.0, -0.0, 5e-324, -1e-310, 2.3e-308, 1e-300, 1.0], dtype=torch.float64)
    assert inspector._is_zero(h).tolist() == [True, True, True, True, False, False, False]
