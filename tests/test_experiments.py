"""Unit tests of actlib.teaching.experiments: small, CPU-only, a few seconds in all."""

from __future__ import annotations

import math

import numpy as np
import pytest

torch = pytest.importorskip("torch")

from actlib.teaching import experiments as ex  # noqa: E402

CPU = "cpu"


@pytest.fixture(autouse=True)
def one_thread():
    """The networks are tiny: one thread is faster and gives the same sums every run."""
    before = torch.get_num_threads()
    torch.set_num_threads(1)
    yield
    torch.set_num_threads(before)


def test_init_std_matches_the_formulas():
    assert ex.init_std("he", 50, 20) == pytest.approx(math.sqrt(2 / 50))
    assert ex.init_std("xavier", 50, 20) == pytest.approx(math.sqrt(2 / 70))
    assert ex.init_std("lecun", 50, 20, gain=3.0) == pytest.approx(3 * math.sqrt(1 / 50))


def test_mlp_shapes_and_initial_biases():
    net = ex.mlp(3, 8, "tanh", "xavier", in_features=5, out_features=2, bias=0.25, device=CPU)
    assert [tuple(layer.weight.shape) for layer in net.hidden] == [(8, 5), (8, 8), (8, 8)]
    assert tuple(net.readout.weight.shape) == (2, 8)
    assert all(torch.all(layer.bias == 0.25) for layer in net.hidden)
    assert torch.all(net.readout.bias == 0)
    assert net(torch.zeros(4, 5)).shape == (4, 2)


def test_mlp_weight_scale_follows_init_and_gain():
    net = ex.mlp(1, 400, "relu", "he", gain=2.0, seed=3, device=CPU)
    std = net.hidden[0].weight.std().item()
    assert std == pytest.approx(2.0 * math.sqrt(2 / 400), rel=0.02)


def test_mlp_is_reproducible_for_a_seed():
    a = ex.mlp(2, 6, "gelu", seed=7, device=CPU)
    b = ex.mlp(2, 6, "gelu", seed=7, device=CPU)
    c = ex.mlp(2, 6, "gelu", seed=8, device=CPU)
    assert torch.equal(a.hidden[1].weight, b.hidden[1].weight)
    assert not torch.equal(a.hidden[1].weight, c.hidden[1].weight)


@pytest.mark.parametrize("kwargs, error", [
    (dict(depth=0, width=4, activation="relu"), ValueError),
    (dict(depth=2.5, width=4, activation="relu"), TypeError),
    (dict(depth=2, width=4, activation="relu", init="glorot"), ValueError),
    (dict(depth=2, width=4, activation="no_such_function"), KeyError),
    (dict(depth=2, width=4, activation="softmax"), ValueError),
    (dict(depth=2, width=4, activation="relu", gain=0.0), ValueError),
    (dict(depth=2, width=4, activation="relu", bias=float("nan")), ValueError),
])
def test_mlp_rejects_bad_arguments(kwargs, error):
    with pytest.raises(error):
        ex.mlp(device=CPU, **kwargs)


def test_mlp_error_messages_name_the_argument():
    with pytest.raises(ValueError, match="depth"):
        ex.mlp(0, 4, "relu", device=CPU)
    with pytest.raises(ValueError, match="init"):
        ex.mlp(1, 4, "relu", "uniform", device=CPU)


def _one_layer_by_hand(net, X, derivative):
    """Per-sample norm of d(output_i)/dW1 = (w2 * phi'(z_i)) x_i^T, RMS over samples."""
    W1 = net.hidden[0].weight.detach().numpy().astype(float)
    b1 = net.hidden[0].bias.detach().numpy().astype(float)
    w2 = net.readout.weight.detach().numpy().astype(float)[0]
    x = X.numpy().astype(float)
    z = x @ W1.T + b1
    delta = w2 * derivative(z)
    per_sample = np.linalg.norm(delta, axis=1) * np.linalg.norm(x, axis=1)
    batch = np.linalg.norm((delta[:, :, None] * x[:, None, :]).mean(axis=0))
    return math.sqrt(np.mean(per_sample**2)), batch


@pytest.mark.parametrize("name", ["sigmoid", "tanh", "relu"])
def test_gradient_norm_of_a_one_layer_network_is_the_hand_computed_value(name):
    import actlib

    net = ex.mlp(1, 5, name, "xavier", in_features=3, bias=0.1, seed=0, device=CPU)
    X = torch.randn(7, 3, generator=torch.Generator().manual_seed(1), dtype=torch.float64)
    net = net.double()
    per_sample, batch = _one_layer_by_hand(net, X, actlib.get(name).derivative)
    assert ex.gradient_norms_per_layer(net, X)[0] == pytest.approx(per_sample, rel=1e-9)
    assert ex.gradient_norms_per_layer(net, X, per_sample=False)[0] == pytest.approx(batch, rel=1e-9)


def test_gradient_flow_is_reproducible_and_sigmoid_vanishes():
    a = ex.gradient_flow("sigmoid", 8, width=16, init="xavier", batch=32, device=CPU)
    b = ex.gradient_flow("sigmoid", 8, width=16, init="xavier", batch=32, device=CPU)
    np.testing.assert_array_equal(a, b)
    assert a[0] < 1e-3 * a[-1]


def test_per_sample_norms_reject_targets():
    net = ex.mlp(1, 4, "relu", device=CPU)
    with pytest.raises(ValueError, match="per_sample"):
        ex.gradient_norms_per_layer(net, torch.zeros(2, 4), torch.zeros(2))


def test_gradient_norms_check_the_batch():
    net = ex.mlp(1, 4, "relu", device=CPU)
    with pytest.raises(ValueError, match="features"):
        ex.gradient_norms_per_layer(net, torch.zeros(2, 5))
    with pytest.raises(TypeError, match="torch tensor"):
        ex.gradient_norms_per_layer(net, np.zeros((2, 4)))
    with pytest.raises(TypeError, match="MLP"):
        ex.gradient_norms_per_layer(torch.nn.Linear(4, 1), torch.zeros(2, 4))


def test_dead_fraction_is_one_with_a_large_negative_bias():
    net = ex.mlp(3, 10, "relu", in_features=4, bias=-100.0, device=CPU)
    X = torch.randn(50, 4, generator=torch.Generator().manual_seed(0))
    assert ex.dead_fraction(net, X) == 1.0
    assert ex.dead_fraction(net, X, per_layer=True) == [1.0, 1.0, 1.0]


def test_dead_fraction_is_zero_with_a_large_positive_bias():
    net = ex.mlp(1, 10, "relu", in_features=4, bias=100.0, device=CPU)
    assert ex.dead_fraction(net, torch.randn(20, 4)) == 0.0


def test_dead_fraction_counts_units_hand_built():
    net = ex.mlp(1, 4, "relu", in_features=1, device=CPU)
    with torch.no_grad():
        net.hidden[0].weight.copy_(torch.tensor([[1.0], [-1.0], [0.0], [0.0]]))
        net.hidden[0].bias.copy_(torch.tensor([0.0, 0.0, 1.0, -1.0]))
    X = torch.tensor([[1.0], [2.0]])  # unit 2 (w=-1) and unit 4 (b=-1) never fire
    assert ex.dead_fraction(net, X) == 0.5
    # batching does not change the answer
    assert ex.dead_fraction(net, X, batch_size=1) == 0.5


def test_digits_data_is_standardised_and_split():
    X_train, y_train, X_test, y_test = ex.digits_data(CPU)
    assert X_train.shape[1] == 64 and X_train.shape[0] + X_test.shape[0] == 1797
    assert abs(X_train.mean().item()) < 1e-4
    assert set(y_train.tolist()) == set(range(10))


def test_train_digits_is_reproducible_and_learns():
    kw = dict(lr=0.05, epochs=2, width=16, batch_size=128, seed=3, device=CPU)
    a, b = ex.train_digits("relu", **kw), ex.train_digits("relu", **kw)
    np.testing.assert_array_equal(a.train_loss, b.train_loss)
    np.testing.assert_array_equal(a.dead, b.dead)
    assert a.train_loss[-1] < a.train_loss[0]
    assert len(a.train_loss) == len(a.dead) == 3 and not a.diverged


def test_train_digits_marks_a_diverged_run():
    run = ex.train_digits("relu", lr=1e8, epochs=3, width=16, batch_size=128, device=CPU)
    assert run.diverged and math.isnan(run.test_accuracy) and np.isnan(run.train_loss[-1])


@pytest.mark.parametrize("kwargs, error", [
    (dict(lr=0.0), ValueError), (dict(lr=0.1, epochs=0), ValueError),
    (dict(lr=0.1, optimizer="rmsprop"), ValueError), (dict(lr="0.1"), TypeError),
])
def test_train_digits_rejects_bad_arguments(kwargs, error):
    with pytest.raises(error):
        ex.train_digits("relu", device=CPU, **kwargs)


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
