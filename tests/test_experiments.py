"""Unit tests of the teaching side's data, models, training and experiments.

The member-batched network is checked against independent references: each member
against the same network built from plain ``torch.nn`` layers, the batched optimisers
against ``torch.optim.SGD`` and ``torch.optim.Adam``, gradient norms against a hand
computation. Small, CPU-only, a few seconds in all.
"""

from __future__ import annotations

import math

import numpy as np
import pytest

torch = pytest.importorskip("torch")

import actlib  # noqa: E402
from actlib.teaching import data, models, training  # noqa: E402
from actlib.teaching import experiments as ex  # noqa: E402

CPU = "cpu"


@pytest.fixture(autouse=True)
def one_thread():
    """The networks are tiny: one thread is faster."""
    before = torch.get_num_threads()
    torch.set_num_threads(1)
    yield
    torch.set_num_threads(before)


# ---------------------------------------------------------------------------------------
# data
# ---------------------------------------------------------------------------------------

def test_digits_splits_are_disjoint_stratified_and_standardised_on_train():
    d = data.digits()
    assert sum(d.sizes.values()) == 1797
    assert d.sizes == {"train": 1077, "val": 270, "test": 450}
    # standardised with the training split's statistics only
    assert torch.allclose(d.x_train.mean(0), torch.zeros(64), atol=1e-5)
    assert abs(d.x_val.mean().item()) > 1e-4
    for split in ("train", "val", "test"):
        counts = np.bincount(d.split(split)[1].numpy(), minlength=10)
        assert counts.min() > 0.8 * counts.mean()
    rows = {tuple(r) for r in d.x_train.numpy().round(5)}
    assert not any(tuple(r) in rows for r in d.x_test.numpy().round(5)[:50])
    assert d.images("test").shape == (450, 1, 8, 8)


def test_digits_without_validation_split():
    d = data.digits(val_size=0)
    assert d.x_val is None and d.sizes == {"train": 1347, "test": 450}
    with pytest.raises(ValueError, match="no 'val' split"):
        d.split("val")


@pytest.mark.parametrize("make, classes", [(data.moons, 2), (data.spiral, 3), (data.xor, 2)])
def test_small_data_sets(make, classes):
    d = make()
    assert d.n_classes == classes and d.n_features == 2
    assert set(d.y_train.tolist()) == set(range(classes))


@pytest.mark.parametrize("kwargs, error, fragment", [
    (dict(test_size=1.5), ValueError, "test_size"), (dict(val_size="0.2"), TypeError, "val_size"),
    (dict(split_seed=-1), ValueError, "split_seed"),
])
def test_digits_rejects_bad_arguments(kwargs, error, fragment):
    with pytest.raises(error, match=fragment):
        data.digits(**kwargs)


# ---------------------------------------------------------------------------------------
# models
# ---------------------------------------------------------------------------------------

def test_init_std_matches_the_formulas():
    assert models.init_std("he", 50, 20) == pytest.approx(math.sqrt(2 / 50))
    assert models.init_std("xavier", 50, 20) == pytest.approx(math.sqrt(2 / 70))
    assert models.init_std("lecun", 50, 20, gain=3.0) == pytest.approx(3 * math.sqrt(1 / 50))


def _member_as_sequential(net: models.MLP, i: int) -> torch.nn.Sequential:
    """Member ``i`` rebuilt from plain torch.nn layers (an independent forward pass)."""
    layers = []
    for k, (w, b) in enumerate(zip(net.weights, net.biases, strict=True)):
        lin = torch.nn.Linear(w.shape[1], w.shape[2], dtype=w.dtype)
        with torch.no_grad():
            lin.weight.copy_(w[i].T)
            lin.bias.copy_(b[i, 0])
        layers.append(lin)
        if k < len(net.acts):
            layers.append(actlib.nn.module(net.activation))
    return torch.nn.Sequential(*layers)


@pytest.mark.parametrize("name", ["relu", "tanh", "gelu", "elu"])
def test_every_member_computes_what_a_plain_torch_network_computes(name):
    net = models.MLP([5, 7, 6, 3], name, members=4, seeds=[3, 1, 4, 1], init="xavier")
    x = torch.randn(9, 5, generator=torch.Generator().manual_seed(0))
    out = net(x)
    for i in range(4):
        torch.testing.assert_close(out[i], _member_as_sequential(net, i)(x), rtol=1e-6, atol=1e-6)


def test_a_member_depends_only_on_its_own_seed():
    a = models.MLP([4, 8, 8, 2], "gelu", members=3, seeds=[7, 8, 9])
    b = models.MLP([4, 8, 8, 2], "gelu", members=1, seeds=[8])
    for wa, wb in zip(a.weights, b.weights, strict=True):
        assert torch.equal(wa[1], wb[0])
    assert not torch.equal(a.weights[0][0], a.weights[0][1])


def test_weight_scale_follows_init_and_gain():
    net = models.MLP([400, 400, 1], "relu", init="he", gain=2.0, seeds=[3])
    assert net.weights[0].std().item() == pytest.approx(2.0 * math.sqrt(2 / 400), rel=0.02)
    orth = models.MLP([50, 50, 1], "tanh", init="orthogonal", seeds=[0]).weights[0][0]
    torch.testing.assert_close(orth.T @ orth, torch.eye(50), rtol=0, atol=1e-5)
    torch_init = models.MLP([100, 300, 1], "relu", init="torch").weights[0]
    assert torch_init.abs().max().item() <= 0.1 and torch_init.std().item() == pytest.approx(
        0.1 / math.sqrt(3), rel=0.03)


def test_biases_start_at_the_given_constant():
    net = models.MLP([4, 6, 6, 2], "relu", bias=0.25)
    assert all(torch.all(b == 0.25) for b in net.biases[:-1]) and torch.all(net.biases[-1] == 0)


@pytest.mark.parametrize("kwargs, error, fragment", [
    (dict(sizes=[4, 2]), ValueError, "sizes"), (dict(sizes="4,8,2"), TypeError, "sizes"),
    (dict(init="glorot"), ValueError, "init"), (dict(activation="no_such"), KeyError, "no_such"),
    (dict(activation="softmax"), ValueError, "output activation"),
    (dict(gain=0.0), ValueError, "gain"), (dict(bias=float("nan")), ValueError, "bias"),
    (dict(batchnorm="no"), TypeError, "batchnorm"), (dict(residual=1), TypeError, "residual"),
    (dict(members=0), ValueError, "members"), (dict(members=2, seeds=[1]), ValueError, "seeds"),
    (dict(sizes=[4, 8, 6, 2], residual=True), ValueError, "residual"),
])
def test_mlp_rejects_bad_arguments(kwargs, error, fragment):
    args = dict(sizes=[4, 8, 8, 2], activation="relu") | kwargs
    with pytest.raises(error, match=fragment):
        models.MLP(args.pop("sizes"), args.pop("activation"), **args)


def test_mlp_checks_its_input():
    net = models.MLP([4, 8, 2], "relu", members=2)
    with pytest.raises(ValueError, match=r"\(batch, 4\)"):
        net(torch.zeros(3, 5))
    with pytest.raises(TypeError, match="torch tensor"):
        net(np.zeros((3, 4)))


def test_learned_activation_parameters_are_per_member():
    net = models.MLP([3, 4, 2], "prelu", members=5)
    assert tuple(net.acts[0].a.shape) == (5, 1, 1)
    net = models.MLP([3, 4, 2], "swish", members=5, activation_params={"beta": 2.0})
    assert torch.all(net.acts[0].beta == 2.0)


@pytest.mark.parametrize("name", ["maxout", "glu", "swiglu"])
def test_reducing_activations_widen_the_layer_in_front(name):
    net = models.MLP([3, 4, 2], name, members=2)
    assert tuple(net.weights[0].shape) == (2, 3, 8) and net(torch.zeros(5, 3)).shape == (2, 5, 2)
    cnn = models.CNN(name, members=2)
    assert cnn(torch.zeros(5, 64)).shape == (2, 5, 10)


def test_dead_fraction_counts_units_hand_built():
    net = models.MLP([1, 4, 1], "relu", members=2)
    with torch.no_grad():
        net.weights[0][0] = torch.tensor([[1.0, -1.0, 0.0, 0.0]])
        net.biases[0][0] = torch.tensor([[0.0, 0.0, 1.0, -1.0]])
        net.weights[0][1] = torch.tensor([[1.0, 1.0, 1.0, 1.0]])
        net.biases[0][1] = torch.zeros(1, 4)
    X = torch.tensor([[1.0], [2.0]])  # member 0: units 2 (w=-1) and 4 (b=-1) never fire
    np.testing.assert_array_equal(net.dead_fraction(X), [0.5, 0.0])
    np.testing.assert_array_equal(net.dead_fraction(X, batch=1), [0.5, 0.0])
    assert net.dead_fraction(X, per_layer=True).shape == (2, 1)


# ---------------------------------------------------------------------------------------
# training: the batched optimisers are torch.optim's, member by member
# ---------------------------------------------------------------------------------------

@pytest.mark.parametrize("optimizer, momentum", [("adam", 0.0), ("sgd", 0.0), ("sgd", 0.9)])
def test_each_member_trains_as_torch_optim_would(optimizer, momentum):
    d = data.digits()
    lrs = [0.003, 0.03, 0.01]
    net = models.MLP([64, 12, 10], "tanh", members=3, seeds=[5, 6, 7], init="xavier")
    start = [_member_as_sequential(net, i) for i in range(3)]
    run = training.train(net, d, epochs=2, batch_size=200, optimizer=optimizer, lr=lrs,
                         momentum=momentum)
    n = d.sizes["train"]
    for i, (ref, lr) in enumerate(zip(start, lrs, strict=True)):
        opt = (torch.optim.Adam(ref.parameters(), lr=lr) if optimizer == "adam"
               else torch.optim.SGD(ref.parameters(), lr=lr, momentum=momentum))
        gen = torch.Generator().manual_seed(net.seeds[i] + 10_000)
        for _ in range(2):
            order = torch.randperm(n, generator=gen)
            for lo in range(0, n, 200):
                idx = order[lo:lo + 200]
                opt.zero_grad()
                torch.nn.functional.cross_entropy(ref(d.x_train[idx]), d.y_train[idx]).backward()
                opt.step()
        trained = _member_as_sequential(run.model, i)
        for p, q in zip(trained.parameters(), ref.parameters(), strict=True):
            torch.testing.assert_close(p, q, rtol=1e-4, atol=1e-5)


def test_training_records_history_and_learns():
    d = data.digits()
    net = models.MLP([64, 16, 10], "relu", members=2, init="he")
    run = training.train(net, d, epochs=3, batch_size=128, lr=0.01)
    assert run.history["train_loss"].shape == (2, 4) and run.history["val_accuracy"].shape == (2, 4)
    assert run.history["dead_per_layer"].shape == (2, 4, 1)
    assert np.all(run.history["train_loss"][:, -1] < run.history["train_loss"][:, 0])
    assert np.all(run.test_accuracy > 0.8) and not run.diverged.any()
    again = training.train(models.MLP([64, 16, 10], "relu", members=2, init="he"), d, epochs=3,
                           batch_size=128, lr=0.01)
    np.testing.assert_array_equal(run.history["train_loss"], again.history["train_loss"])
    assert run.reshape(2, 1)["test_accuracy"].shape == (2, 1)


def test_training_marks_diverged_members_and_spares_the_others():
    d = data.digits()
    net = models.MLP([64, 16, 10], "relu", members=2, seeds=[0, 1], init="he")
    run = training.train(net, d, epochs=2, batch_size=128, optimizer="sgd", lr=[1e12, 0.1])
    assert run.diverged.tolist() == [True, False]
    assert np.isnan(run.test_accuracy[0]) and np.isnan(run.history["train_loss"][0, -1])
    alone = training.train(models.MLP([64, 16, 10], "relu", seeds=[1], init="he"), d, epochs=2,
                           batch_size=128, optimizer="sgd", lr=0.1)
    np.testing.assert_allclose(run.history["train_loss"][1], alone.history["train_loss"][0],
                               rtol=1e-5)


@pytest.mark.parametrize("kwargs, error, fragment", [
    (dict(lr=0.0), ValueError, "lr"), (dict(lr=[0.1, 0.1, 0.1]), ValueError, "per member"),
    (dict(epochs=0), ValueError, "epochs"), (dict(optimizer="rmsprop"), ValueError, "optimizer"),
    (dict(momentum=1.0), ValueError, "momentum"), (dict(batch_size=0), ValueError, "batch_size"),
])
def test_train_rejects_bad_arguments(kwargs, error, fragment):
    net = models.MLP([64, 4, 10], "relu", members=2)
    with pytest.raises(error, match=fragment):
        training.train(net, data.digits(), **kwargs)


def test_train_checks_the_number_of_classes():
    with pytest.raises(ValueError, match="classes"):
        training.train(models.MLP([2, 4, 3], "relu"), data.moons(), epochs=1)


def test_hidden_activations_come_from_the_registry():
    assert set(training.HIDDEN_ACTIVATIONS) == {r.name for r in actlib.activations()} - {
        "softmax", "softmin", "log_softmax"}


# ---------------------------------------------------------------------------------------
# gradient flow
# ---------------------------------------------------------------------------------------

def _one_layer_by_hand(net, X, derivative):
    """Per-sample norm of d(output_i)/dW1 = (w2 * phi'(z_i)) x_i^T, RMS over samples."""
    W1 = net.weights[0][0].detach().numpy().astype(float)
    b1 = net.biases[0][0, 0].detach().numpy().astype(float)
    w2 = net.weights[1][0, :, 0].detach().numpy().astype(float)
    x = X.numpy().astype(float)
    z = x @ W1 + b1
    delta = w2 * derivative(z)
    per_sample = np.linalg.norm(delta, axis=1) * np.linalg.norm(x, axis=1)
    batch = np.linalg.norm((delta[:, :, None] * x[:, None, :]).mean(axis=0))
    return math.sqrt(np.mean(per_sample**2)), batch


@pytest.mark.parametrize("name", ["sigmoid", "tanh", "relu"])
def test_gradient_norm_of_a_one_layer_network_is_the_hand_computed_value(name):
    net = models.MLP([3, 5, 1], name, init="xavier", bias=0.1, dtype=torch.float64)
    X = torch.randn(7, 3, generator=torch.Generator().manual_seed(1), dtype=torch.float64)
    per_sample, batch = _one_layer_by_hand(net, X, actlib.get(name).derivative)
    assert ex.gradient_norms_per_layer(net, X)[0, 0] == pytest.approx(per_sample, rel=1e-9)
    assert ex.gradient_norms_per_layer(net, X, per_sample=False)[0, 0] == pytest.approx(batch,
                                                                                         rel=1e-9)


def test_gradient_flow_per_seed_equals_single_runs_and_sigmoid_vanishes():
    many = ex.gradient_flow("sigmoid", 8, width=16, init="xavier", batch=32, seed=[0, 1, 2],
                            device=CPU)
    for s in range(3):
        one = ex.gradient_flow("sigmoid", 8, width=16, init="xavier", batch=32, seed=s, device=CPU)
        np.testing.assert_allclose(many[s], one, rtol=1e-5)
    assert np.all(many[:, 0] < 1e-3 * many[:, -1])


def test_gradient_norms_reject_targets_and_other_models():
    net = models.MLP([4, 4, 1], "relu")
    with pytest.raises(ValueError, match="per_sample"):
        ex.gradient_norms_per_layer(net, torch.zeros(2, 4), torch.zeros(2))
    with pytest.raises(TypeError, match="MLP"):
        ex.gradient_norms_per_layer(torch.nn.Linear(4, 1), torch.zeros(2, 4))
    with pytest.raises(TypeError, match="seed"):
        ex.gradient_flow("relu", 2, seed="0")


# ---------------------------------------------------------------------------------------
# the zig-zag example
# ---------------------------------------------------------------------------------------

def test_two_weight_sgd_all_positive_inputs_give_same_sign_updates():
    run = ex.two_weight_sgd(1.0)
    assert (run.inputs > 0).all()
    assert run.same_sign_fraction == 1.0
    steps = np.diff(run.path, axis=0)
    assert np.all(steps[:, 0] * steps[:, 1] >= 0)


def test_two_weight_sgd_converges_faster_with_centred_inputs():
    centred, shifted = ex.two_weight_sgd(0.0), ex.two_weight_sgd(1.0)
    assert centred.steps_to_converge is not None and shifted.steps_to_converge is not None
    assert centred.steps_to_converge < shifted.steps_to_converge
    assert np.linalg.norm(shifted.path[-1] - np.array([-1.0, 1.0])) < 0.05


def test_two_weight_sgd_validates():
    with pytest.raises(ValueError, match="step"):
        ex.two_weight_sgd(0.5, step=2.5)
    with pytest.raises(ValueError, match="two numbers"):
        ex.two_weight_sgd(0.5, target=(1.0, 2.0, 3.0))


def test_seed_everything_returns_a_seeded_generator():
    g1, g2 = ex.seed_everything(5), ex.seed_everything(5)
    assert torch.equal(torch.rand(3, generator=g1), torch.rand(3, generator=g2))


@pytest.mark.parametrize("name", ["relu", "tanh"])
def test_every_cnn_member_computes_what_torch_convolutions_compute(name):
    net = models.CNN(name, members=3, seeds=[4, 5, 6])
    x = torch.randn(7, 64, generator=torch.Generator().manual_seed(0))
    out = net(x)
    act = actlib.nn.module(name)
    F = torch.nn.functional
    for m in range(3):
        k1, k2 = (net.kernels[i][m].reshape(*net.kernels[i].shape[1:3], 3, 3) for i in range(2))
        h = act(F.conv2d(x.reshape(7, 1, 8, 8), k1, net.biases[0][m, 0], padding=1))
        h = F.avg_pool2d(h, 2)
        h = act(F.conv2d(h, k2, net.biases[1][m, 0], padding=1))        # (7, c2, 4, 4)
        flat = h.permute(0, 2, 3, 1).reshape(7, -1)                      # pixels × channels
        ref = flat @ net.head_w[m] + net.head_b[m, 0]
        torch.testing.assert_close(out[m], ref, rtol=1e-5, atol=1e-5)


def test_record_every_measures_only_some_epochs():
    net = models.MLP([2, 4, 2], "tanh", members=3)
    run = training.train(net, data.xor(), epochs=10, batch_size=None, lr=0.1, record_every=4)
    assert run.epochs.tolist() == [0, 4, 8, 10]
    assert run.history["train_loss"].shape == (3, 4)
