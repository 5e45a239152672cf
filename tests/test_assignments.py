"""The assignments' checks (actlib.teaching.checks): what they accept, what they reject, and
what they say.

References are independent of the checks: hand-written stable and naive formulas, the
registry's own functions only where a check must recognise them, PyTorch for gradients.
The nbgrader and otter round trips are in test_classroom.py; the book's student editions
in test_editions.py.
"""

from __future__ import annotations

import math
import re
import sys
import warnings
from pathlib import Path

import nbformat
import numpy as np
import pytest
from scipy import special

from actlib.teaching import checks
from actlib.teaching.checks import PASS_MARK, CheckFailed, grading

sys.path.insert(0, str(Path(__file__).parent))
import classroom  # noqa: E402

ROOT = Path(__file__).resolve().parents[1]
COURSE = ROOT / "assignments"


@pytest.fixture(autouse=True)
def fresh_results(monkeypatch):
    """Every test starts with no remembered check results and outside nbgrader."""
    checks.results.clear()
    monkeypatch.delenv("NBGRADER_EXECUTION", raising=False)
    yield
    checks.results.clear()


def _message(fn, *args, **kwargs) -> str:
    with pytest.raises(CheckFailed) as info:
        fn(*args, **kwargs)
    assert isinstance(info.value, AssertionError)
    return str(info.value)


# ---------------------------------------------------------------------------------------
# Reference implementations written here, independently of actlib
# ---------------------------------------------------------------------------------------

def stable_sigmoid(x):
    x = np.asarray(x)
    e = np.exp(-np.abs(x))
    return np.where(x >= 0, 1.0 / (1.0 + e), e / (1.0 + e))


def d_sigmoid(x):
    return stable_sigmoid(x) * stable_sigmoid(-np.asarray(x))


def stable_elu(x, alpha=1.0):
    x = np.asarray(x)
    return np.where(x > 0, x, alpha * np.expm1(np.minimum(x, 0.0)))


def stable_swish(x, beta=1.0):
    x = np.asarray(x)
    return x * stable_sigmoid(beta * x)


def d_swish(x, beta=1.0):
    x = np.asarray(x)
    s = stable_sigmoid(beta * x)
    return s + beta * x * s * stable_sigmoid(-beta * x)


def gelu(x):
    x = np.asarray(x)
    return x * 0.5 * special.erfc(-x / math.sqrt(2.0))


def _defined(source: str) -> dict:
    namespace = {"np": np}
    exec(source, namespace)
    return namespace


# The naive formulas with their warnings silenced (the "errstate cheat"): the same
# sources the class tests submit (tests/classroom.py), as functions.
_CHEAT = {key: _defined(src) for key, src in classroom.A1_CHEAT.items()}
naive_sigmoid, naive_d_sigmoid = _CHEAT["a1-sigmoid"]["sigmoid"], _CHEAT["a1-sigmoid"]["d_sigmoid"]
naive_elu = _CHEAT["a1-elu"]["elu"]
naive_swish, naive_d_swish = _CHEAT["a1-swish"]["swish"], _CHEAT["a1-swish"]["d_swish"]


# ---------------------------------------------------------------------------------------
# Assignment 1: values, not warnings
# ---------------------------------------------------------------------------------------

@pytest.mark.parametrize("check, name, fn", [
    (checks.check_activation, "sigmoid", naive_sigmoid),
    (checks.check_derivative, "sigmoid", naive_d_sigmoid),
    (checks.check_activation, "elu", naive_elu),
    (checks.check_activation, "swish", naive_swish),
    (checks.check_derivative, "swish", naive_d_swish),
], ids=["sigmoid", "d_sigmoid", "elu", "swish", "d_swish"])
def test_naive_formula_fails_with_its_warnings_silenced(check, name, fn):
    with warnings.catch_warnings():
        warnings.simplefilter("error")            # the silenced formula warns nothing
        fn(np.array([-1000.0, 1e-10, 1000.0]))
        message = _message(check, name, fn)
    assert "whether or not" in message or "cancels" in message, message


@pytest.mark.parametrize("name, fn, d", [
    ("sigmoid", stable_sigmoid, d_sigmoid), ("elu", stable_elu, None),
    ("swish", stable_swish, d_swish), ("gelu", gelu, None)])
def test_stable_forms_pass_and_leak_no_warning(name, fn, d, capsys):
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        checks.check_activation(name, fn)
        if d is not None:
            checks.check_derivative(name, d)
    assert capsys.readouterr().out.count(PASS_MARK) == (2 if d is not None else 1)


def test_np_where_derivative_of_elu_is_right_and_passes(capsys):
    """Only values count: np.where(x > 0, 1, alpha e^x) overflows in the branch it discards,
    but returns the right value everywhere."""
    def d_elu(x, alpha=1.0):
        x = np.asarray(x)
        with np.errstate(over="ignore"):
            return np.where(x > 0, 1.0, alpha * np.exp(x))
    checks.check_derivative("elu", d_elu)
    assert PASS_MARK in capsys.readouterr().out


def test_the_tail_values_are_beyond_the_naive_formulas():
    """The tails the checks use: representable, and missed by the naive formula."""
    assert 0 < float(stable_sigmoid(-720.0)) < 1e-300 and float(naive_sigmoid(-720.0)) == 0.0
    assert float(stable_sigmoid(np.float32(-95.0))) > 0 and float(naive_sigmoid(np.float32(-95.0))) == 0
    assert float(stable_sigmoid(40.0)) == 1.0                 # so 1 - sigmoid(40) = 0
    assert float(d_sigmoid(40.0)) > 0
    assert float(special.expit(-720.0)) == 0.0                 # the hint's remark on expit
    assert 0.5 * (1 + special.erf(-8.4 / math.sqrt(2))) == 0.0 < -gelu(-8.4)
    assert 0.5 * (1 + special.erf(-8.3 / math.sqrt(2))) > 0.0
    x = -1e-10
    assert abs((math.exp(x) - 1) - math.expm1(x)) > 1e-9 * abs(math.expm1(x))


def test_the_numbers_the_assignment_prose_states():
    """Assignment 1 quotes sigma(-720) ~ 2e-313, exp(710) = inf, Phi(-10) ~ 7.6e-24 and the
    GELU constant 0.0356774; they are computed here."""
    import actlib

    with np.errstate(over="ignore"):
        assert np.isinf(np.exp(710.0))
    assert f"{float(actlib.sigmoid(-720.0)):.0e}" == "2e-313"
    assert f"{0.5 * special.erfc(10 / math.sqrt(2)):.1e}" == "7.6e-24"
    assert round(math.sqrt(2 / math.pi) * actlib.GELU_TANH_COEFF, 7) == 0.0356774
    source = (COURSE / "source" / "stable-activations" / "stable-activations.ipynb").read_text()
    for text in ("2 \\\\times 10^{-313}", "7.6 \\\\times 10^{-24}", "0.0356774", "np.exp(710)",
                 "-8.4"):
        assert text in source, text


def test_calling_actlib_inside_the_answer_fails():
    import actlib
    from actlib import sigmoid as bound_early

    assert "actlib's own `sigmoid`" in _message(checks.check_activation, "sigmoid",
                                                lambda x: actlib.sigmoid(x))
    assert "actlib's own `sigmoid`" in _message(checks.check_activation, "sigmoid",
                                                lambda x: bound_early(x))
    assert "actlib's own `get`" in _message(checks.check_activation, "sigmoid",
                                            lambda x: actlib.get("sigmoid").fn(x))


def test_overflowing_ratio_sigmoid_says_nan():
    def ratio(x):
        with np.errstate(all="ignore"):
            e = np.exp(np.asarray(x))
            return e / (1.0 + e)
    message = _message(checks.check_activation, "sigmoid", ratio)
    assert message.startswith("sigmoid(1000) returned nan") and "inf/inf" in message


def test_one_minus_sigmoid_is_named_in_the_derivative():
    message = _message(checks.check_derivative, "sigmoid",
                       lambda x: stable_sigmoid(x) * (1.0 - stable_sigmoid(x)))
    assert "sigmoid'(40)" in message and "sigmoid(x) * sigmoid(-x)" in message


def test_gelu_with_erf_is_named():
    message = _message(checks.check_activation, "gelu",
                       lambda x: 0.5 * np.asarray(x) * (1.0 + special.erf(np.asarray(x) / math.sqrt(2))))
    assert "gelu(-10)" in message and "erfc" in message


def test_expm1_is_named_with_digits_that_differ():
    message = _message(checks.check_activation, "elu", naive_elu)
    got, expected = re.search(r"returned (\S+), expected (\S+?)\.", message).groups()
    assert got != expected and "np.expm1" in message


def test_one_minus_tanh_squared_wrongly_is_caught():
    message = _message(checks.check_derivative, "tanh", lambda x: (1.0 - np.tanh(x)) ** 2)
    assert "(1 - tanh x)^2" in message and "1 - tanh^2 x" in message


def test_gelu_with_constant_inside_bracket_is_caught():
    c = 0.0356774
    message = _message(checks.check_activation, "gelu", lambda x: 0.5 * x * (1.0 + np.tanh(
        np.sqrt(2.0 / np.pi) * (x + c * x ** 3))))
    assert "0.0356774" in message and "OUTSIDE the bracket" in message and "0.044715" in message


def test_relu_derivative_of_one_at_negative_inputs_is_caught():
    assert "negative inputs" in _message(checks.check_derivative, "relu",
                                         lambda x: np.ones_like(np.asarray(x)))


def test_nan_not_propagated_is_caught():
    message = _message(checks.check_activation, "relu", lambda x: np.where(x > 0, x, 0.0))
    assert message.startswith("relu(nan) returned 0.0, not nan") and "np.maximum" in message


def test_wrong_dtype_shape_and_type_are_caught():
    assert "dtype float64" in _message(checks.check_activation, "relu", lambda x: np.maximum(
        np.asarray(x, dtype=np.float64), 0.0))
    assert "shape" in _message(checks.check_activation, "tanh", lambda x: np.tanh(x).ravel()[:1])
    assert "not a numpy array" in _message(checks.check_activation, "relu",
                                           lambda x: [max(v, 0.0) for v in x])


def test_ignored_parameter_is_caught():
    def leaky(x, negative_slope=0.01):
        return np.where(x > 0, x, 0.01 * x)
    assert "ignores its negative_slope" in _message(checks.check_activation, "leaky_relu", leaky)


def test_kink_accepts_any_value_between_the_one_sided_derivatives(capsys):
    def d_relu(x):
        return np.where(np.isnan(x), x, np.where(x > 0, 1.0, np.where(x < 0, 0.0, 0.5)).astype(x.dtype))
    checks.check_derivative("relu", d_relu)
    message = _message(checks.check_derivative, "leaky_relu",
                       lambda x, negative_slope=0.01: np.zeros_like(x))
    assert "any value from 0.01 to 1.0" in message


@pytest.mark.parametrize("name", ["glu", "swiglu", "maxout", "softmax", "log_softmax"])
def test_vector_and_reducing_activations_are_checked_on_whole_arrays(name, capsys):
    import torch

    import actlib
    from actlib.nn.reference import torch_reference

    rec = actlib.get(name)

    # the reference here is PyTorch's implementation where it has one, else actlib's record
    def forward(x, **params):
        ref = torch_reference(name, **params)
        return rec.fn(x, **params) if ref is None else ref(torch.as_tensor(x)).numpy()
    checks.check_activation(name, forward, forbid_actlib=False)
    checks.check_derivative(name, rec.derivative, forbid_actlib=False)
    assert capsys.readouterr().out.count(PASS_MARK) == 2
    assert "shape" in _message(checks.check_activation, name, lambda x: x * 1.0,
                               forbid_actlib=False) or name in ("softmax", "log_softmax")


def test_knock_on_failure_is_named():
    with pytest.raises(CheckFailed):
        checks.check_activation("sigmoid", naive_sigmoid)

    namespace = {"np": np, "sigmoid": naive_sigmoid}     # as in the notebook: swish calls sigmoid
    exec("def swish(x, beta=1.0):\n    return np.asarray(x) * sigmoid(beta * np.asarray(x))",
         namespace)
    swish = namespace["swish"]
    message = _message(checks.check_activation, "swish", swish)
    assert "knock-on failure: `sigmoid` fails its own check above, and your `swish` uses it" in message


# ---------------------------------------------------------------------------------------
# When a failure raises, and what it shows
# ---------------------------------------------------------------------------------------

def test_failures_raise_outside_a_kernel_under_nbgrader_and_in_strict(monkeypatch):
    assert checks.raising()                          # pytest is not a notebook kernel
    monkeypatch.setattr(checks._core, "_in_kernel", lambda: True)
    assert not checks.raising()                      # a notebook: report and run on
    with checks.strict():
        assert checks.raising()
    assert not checks.raising()
    monkeypatch.setenv("NBGRADER_EXECUTION", "autograde")
    assert checks.raising()


def test_in_a_notebook_a_failure_is_shown_not_raised(monkeypatch):
    shown = []
    monkeypatch.setattr(checks._core, "_in_kernel", lambda: True)
    monkeypatch.setattr(checks._core, "_show_failure", shown.append)
    checks.check_activation("relu", lambda x: np.zeros_like(x))
    assert len(shown) == 1 and "relu(1.5) returned 0.0" in str(shown[0])
    assert checks.results == {"relu": False}


def test_failure_shows_only_its_wrapped_message():
    failure = CheckFailed("x " * 200 + "\nRead more: somewhere.", "relu")
    lines = failure._render_traceback_()
    assert lines[0] == "CheckFailed:" and all(len(line) <= checks._core.WIDTH for line in lines)
    assert not any("File " in line or "/" in line for line in lines)


def test_a_bug_inside_a_check_is_reported_without_internals(monkeypatch):
    monkeypatch.setattr(checks.stable_activations, "_check_elementwise",
                        lambda *a, **k: 1 / 0)
    message = _message(checks.check_activation, "relu", np.tanh)
    assert "could not finish (ZeroDivisionError" in message and "tell your instructor" in message


# ---------------------------------------------------------------------------------------
# Assignments 2 to 5
# ---------------------------------------------------------------------------------------

def mlp_gradients(x, t, weights, biases, activation):
    """Backpropagation written out here, independently of the checks' reference."""
    import actlib

    phi, dphi = actlib.get(activation).fn, actlib.get(activation).derivative
    hs, zs = [x], []
    for i, (W, b) in enumerate(zip(weights, biases, strict=True)):
        zs.append(hs[-1] @ W.T + b)
        hs.append(phi(zs[-1]) if i < len(weights) - 1 else zs[-1])
    delta = (hs[-1] - t) / x.shape[0]
    gW, gb = [None] * len(weights), [None] * len(weights)
    for i in range(len(weights) - 1, -1, -1):
        gW[i], gb[i] = delta.T @ hs[i], delta.sum(axis=0)
        if i:
            delta = (delta @ weights[i]) * dphi(zs[i - 1])
    return 0.5 * np.sum((hs[-1] - t) ** 2) / x.shape[0], gW, gb


def test_reference_backprop_agrees_with_finite_differences():
    p = checks.mlp_problem(2, 3, n_in=3, n_out=2, batch=4, seed=3, bias_scale=0.2)
    loss, gW, _ = checks.reference_backprop(p["x"], p["t"], p["weights"], p["biases"], "tanh")
    eps = 1e-6
    w = [a.copy() for a in p["weights"]]
    w[0][1, 2] += eps
    up = mlp_gradients(p["x"], p["t"], w, p["biases"], "tanh")[0]
    w[0][1, 2] -= 2 * eps
    down = mlp_gradients(p["x"], p["t"], w, p["biases"], "tanh")[0]
    assert abs((up - down) / (2 * eps) - gW[0][1, 2]) < 1e-7
    assert abs(loss - mlp_gradients(**{k: p[k] for k in ("x", "t")}, weights=p["weights"],
                                     biases=p["biases"], activation="tanh")[0]) < 1e-12


def test_mlp_problem_is_the_book_mlp():
    """The problem's weights are those of actlib.teaching.models.MLP (no third MLP)."""
    import torch

    from actlib.teaching.models import MLP

    p = checks.mlp_problem(2, 5, n_in=4, n_out=3, seed=7)
    net = MLP([4, 5, 5, 3], "relu", members=1, seeds=[7], init="lecun", dtype=torch.float64)
    for w, ref in zip(p["weights"], net.weights, strict=True):
        np.testing.assert_array_equal(w, ref.detach()[0].numpy().T)


def test_wrong_backprop_costs_only_its_own_check(capsys):
    def wrong(x, t, weights, biases, activation):
        loss, gW, gb = mlp_gradients(x, t, weights, biases, activation)
        gW[0] = gW[0] * 2.0
        return loss, gW, gb

    def gradient_norms(activation, depth=12, width=32, seed=0, backprop=wrong):
        p = checks.mlp_problem(depth, width, seed=seed)
        return np.array([np.linalg.norm(g) for g in
                         backprop(p["x"], p["t"], p["weights"], p["biases"], activation)[1]])

    message = _message(checks.check_mlp_gradients, wrong)
    assert "hidden layer 1" in message and "PRE-activation" in message
    checks.check_gradient_norms(gradient_norms)               # graded with the reference
    assert PASS_MARK in capsys.readouterr().out
    message = _message(checks.check_most_vanishing, "relu")
    assert "knock-on failure: `mlp_gradients` fails its own check above" in message


def test_gradient_norms_without_backprop_argument_names_the_knock_on():
    def wrong(x, t, weights, biases, activation):
        loss, gW, gb = mlp_gradients(x, t, weights, biases, activation)
        return loss, [g * 3 for g in gW], gb

    def gradient_norms(activation, depth=12, width=32, seed=0):
        p = checks.mlp_problem(depth, width, seed=seed)
        return np.array([np.linalg.norm(g) for g in
                         wrong(p["x"], p["t"], p["weights"], p["biases"], activation)[1]])

    with pytest.raises(CheckFailed):
        checks.check_mlp_gradients(wrong)
    gradient_norms.__code__ = gradient_norms.__code__.replace(
        co_names=(*gradient_norms.__code__.co_names, "mlp_gradients"))
    message = _message(checks.check_gradient_norms, gradient_norms)
    assert "knock-on" in message and "`mlp_gradients`" in message


@pytest.fixture(scope="module")
def dead_model():
    from actlib.teaching import data, models

    digits = data.digits()
    return models.MLP([64, 16, 16, 10], "relu", members=4, seeds=range(4), bias=-1.5), \
        digits.x_train


def _dead(model, X):
    return [(z <= 0).all(dim=1).numpy() for z in model.preactivations(X)]


def test_dead_units_right_and_wrong(dead_model, capsys):
    model, X = dead_model
    checks.check_dead_units(_dead, model, X)
    assert PASS_MARK in capsys.readouterr().out
    any_off = lambda m, X: [(z <= 0).any(dim=1).numpy() for z in m.preactivations(X)]  # noqa: E731
    assert "EVERY input" in _message(checks.check_dead_units, any_off, model, X)


def test_dead_units_of_a_plain_sequential_are_read_generically(capsys):
    import torch

    torch.manual_seed(0)
    seq = torch.nn.Sequential(torch.nn.Linear(5, 6), torch.nn.ReLU(), torch.nn.Linear(6, 2))
    with torch.no_grad():
        seq[0].bias[:3] = -50.0
    X = torch.randn(40, 5)

    def dead(model, X):
        with torch.no_grad():
            return [(model[0](X) <= 0).all(dim=0).numpy()]
    checks.check_dead_units(dead, seq, X)
    assert "(3 dead units)" in capsys.readouterr().out


def test_dead_fraction_accepts_tensors_and_rejects_booleans(dead_model, capsys):
    import torch

    from actlib.teaching import models

    model, X = dead_model
    expected = np.concatenate(_dead(model, X), axis=1).mean(axis=1)
    checks.check_dead_fraction(torch.tensor(expected), model, X)
    checks.check_dead_fraction(list(expected), model, X)
    single = models.MLP([64, 16, 10], "relu", members=1, seeds=[1], bias=-3.0)
    fraction = float(np.concatenate(_dead(single, X), axis=1).mean())
    checks.check_dead_fraction(torch.tensor(fraction), single, X)           # a 0-d tensor
    checks.check_dead_fraction(np.float32(fraction), single, X)
    assert capsys.readouterr().out.count(PASS_MARK) == 4
    everything_dead = models.MLP([64, 8, 10], "relu", members=1, seeds=[0], bias=-100.0)
    assert _dead(everything_dead, X)[0].all()
    assert "boolean" in _message(checks.check_dead_fraction, True, everything_dead, X)


@pytest.mark.parametrize("wrong, hint", [
    (lambda e, m, X: np.ones_like(e), "every hidden unit is dead"),
    (lambda e, m, X: 1.0 - e, "alive"),
    (lambda e, m, X: e * 32, "number of dead units"),
    (lambda e, m, X: np.zeros_like(e), "no unit is dead"),
    (lambda e, m, X: _dead(m, X)[1].mean(axis=1), "hidden layer 2 alone"),
])
def test_wrong_dead_fractions_get_a_hint(dead_model, wrong, hint):
    model, X = dead_model
    expected = np.concatenate(_dead(model, X), axis=1).mean(axis=1)
    assert 0 < expected.min() and expected.max() < 1
    assert hint in _message(checks.check_dead_fraction, wrong(expected, model, X), model, X)


def _mish_class(backward_factor=1.0, grad_output=True):
    import torch

    class Mish(torch.autograd.Function):
        @staticmethod
        def forward(ctx, x):
            ctx.save_for_backward(x)
            return x * torch.tanh(torch.nn.functional.softplus(x))

        @staticmethod
        def backward(ctx, grad):
            (x,) = ctx.saved_tensors
            t = torch.tanh(torch.nn.functional.softplus(x))
            d = backward_factor * (t + x * (1 - t * t) * torch.sigmoid(x))
            return grad * d if grad_output else d
    return Mish


def test_autograd_checks(capsys):
    good = _mish_class()
    for check in (checks.check_autograd_forward, checks.check_autograd_backward,
                  checks.check_gradcheck, checks.check_autograd_stability):
        check(good)
    assert capsys.readouterr().out.count(PASS_MARK) == 4
    assert "grad_output * f'(x)" in _message(checks.check_autograd_backward,
                                             _mish_class(grad_output=False))
    message = _message(checks.check_autograd_backward, _mish_class(backward_factor=1.5))
    assert "product rule" in message        # the hint comes from hints.BACKWARD_HINTS


def _results(**means):
    rng = np.random.default_rng(0)
    return {name: {s: float(np.clip(m + 0.01 * rng.normal(), 0, 1)) for s in range(6)}
            for name, m in means.items()}


def test_choice_rejects_nan_and_a_significantly_worse_choice(capsys):
    results = _results(relu=0.5, selu=0.6)
    results["tanh"] = dict(enumerate([0.90, 0.91, 0.89, 0.92, 0.90, 0.91]))
    results["elu"] = dict(enumerate([0.91, 0.89, 0.90, 0.91, 0.92, 0.89]))
    checks.check_choice("tanh", results)
    checks.check_choice("elu", results)                       # within the noise of the best
    assert capsys.readouterr().out.count(PASS_MARK) == 2
    assert "paired t-test" in _message(checks.check_choice, "relu", results)
    with_nan = {**results, "relu": {s: math.nan for s in range(6)}}
    assert "diverged" in _message(checks.check_choice, "tanh", with_nan)
    all_nan = {name: {s: math.nan for s in range(6)} for name in results}
    assert "diverged" in _message(checks.check_choice, "tanh", all_nan)


def test_experiment_check(capsys):
    results = _results(tanh=0.9, relu=0.5, elu=0.89, selu=0.6)
    train = lambda name, seeds: {s: results[name][s] for s in seeds}  # noqa: E731
    checks.check_experiment(results, train)
    assert PASS_MARK in capsys.readouterr().out
    assert "at least 5" in _message(checks.check_experiment,
                                    {k: dict(list(v.items())[:2]) for k, v in results.items()}, train)
    shifted = {**results, "relu": {s + 1: v for s, v in results["relu"].items()}}
    assert "same seeds" in _message(checks.check_experiment, shifted, train)
    assert "not reproducible" in _message(checks.check_experiment, results,
                                          lambda n, s: {k: 0.3 for k in s})
    assert "registry" in _message(checks.check_experiment, {**results, "relux": results["relu"]},
                                  train)


# ---------------------------------------------------------------------------------------
# The feedback helpers
# ---------------------------------------------------------------------------------------

def test_strip_hidden_tests():
    source = ("# Hidden test: more cases.\n### BEGIN HIDDEN TESTS\nimport hidden_tests\n"
              "hidden_tests.x(f)\n### END HIDDEN TESTS")
    assert grading.strip_hidden_tests(source) == "# Hidden test: more cases."


def test_clean_traceback_keeps_the_students_frames_only():
    tb = ["\x1b[0;31m----\x1b[0m", "\x1b[0;31mNameError\x1b[0m  Traceback (most recent call last)",
          "Cell \x1b[0;32mIn[3], line 1\x1b[0m\n----> 1 f(x)",
          "File \x1b[0;32m/home/me/.venv/lib/python3.11/site-packages/actlib/x.py:12\x1b[0m, in f\n  g()",
          "File /opt/other/lib.py:3, in g\n  raise NameError",
          "NameError: name 'y' is not defined in /home/me/course/notebook.ipynb " + "z" * 150]
    cleaned = grading.clean_traceback(tb)
    text = "\n".join(cleaned)
    assert "Cell In[3], line 1" in text and "2 frames inside libraries left out" in text
    assert "/home/" not in text and "/opt/" not in text and "site-packages" not in text
    assert "notebook.ipynb" in text and "\x1b" not in text
    assert max(len(line) for line in text.splitlines()) <= grading.FEEDBACK_WIDTH


def test_myst_to_markdown():
    text = ("(label)=\n# Title\n\n```{admonition} What you will practise\n:class: tip\n* a\n```\n\n"
            "See {cite}`key2020` and {ref}`the section <sec>`.\n\n:::{note}\nA note.\n:::\n")
    out = grading.myst_to_markdown(text)
    assert "(label)=" not in out and "{admonition}" not in out and ":class:" not in out
    assert "> **What you will practise**" in out and "> * a" in out and "> **Note**" in out
    assert "[key2020]" in out and "the section" in out and "{ref}" not in out


# ---------------------------------------------------------------------------------------
# The instructor sources
# ---------------------------------------------------------------------------------------

SOURCES = sorted(COURSE.glob("source/*/*.ipynb"))


def test_five_assignments_one_per_folder():
    assert [p.parent.name for p in SOURCES] == sorted(classroom.ASSIGNMENTS)
    assert all(p.stem == p.parent.name for p in SOURCES)


@pytest.mark.parametrize("path", SOURCES, ids=lambda p: p.stem)
def test_nbgrader_metadata(path):
    nb = nbformat.read(path, as_version=4)
    ids = []
    for cell in nb.cells:
        meta = cell.metadata.get("nbgrader")
        text = cell.source
        if cell.cell_type == "code":
            assert meta, f"{path.name}: a code cell without nbgrader metadata"
        if meta:
            assert meta["schema_version"] == 3 and meta["grade_id"]
            ids.append(meta["grade_id"])
            if meta["grade"]:
                assert meta["points"] > 0
            if meta["solution"] and cell.cell_type == "code":
                assert "### BEGIN SOLUTION" in text
            if "### BEGIN HIDDEN TESTS" in text:
                # a hidden test has a cell of its own: nothing visible runs next to it
                assert meta["grade"] and meta["locked"]
                visible = grading.strip_hidden_tests(text)
                assert all(line.startswith("#") for line in visible.splitlines() if line.strip())
                assert "hidden_tests" in text
        assert "hide-input" not in cell.metadata.get("tags", [])
    assert len(ids) == len(set(ids)), f"{path.name}: duplicate grade_id"


def test_instructors_page_table_matches_the_sources():
    page = (ROOT / "book" / "assignments" / "instructors.md").read_text(encoding="utf-8")
    rows = re.findall(r"^\| `([\w-]+)` \| .* \| (\d+) \((\d+)\) \| (\d+) \|$", page, re.M)
    assert [r[0] for r in rows] == list(classroom.ASSIGNMENTS)
    hidden_cells = 0
    for name, auto, hidden, manual in rows:
        nb = nbformat.read(COURSE / "source" / name / f"{name}.ipynb", as_version=4)
        graded = [c for c in nb.cells if c.metadata.get("nbgrader", {}).get("grade")]
        code = [c for c in graded if c.cell_type == "code"]
        hidden_cells += sum("HIDDEN TESTS" in c.source for c in code)
        assert int(auto) == sum(c.metadata.nbgrader.points for c in code)
        assert int(hidden) == sum(c.metadata.nbgrader.points for c in code if "HIDDEN" in c.source)
        assert int(manual) == sum(c.metadata.nbgrader.points for c in graded
                                  if c.cell_type == "markdown")
    assert "(nine in all)" in page and hidden_cells == 9
