r"""Checks for the classroom assignments: plain-language feedback, graded by nbgrader.

Every ``check_*`` function compares a student's implementation with actlib's
reference (the expected values are computed from :mod:`actlib`, never typed
in) and either prints one line saying what passed, or raises
:class:`CheckFailed` whose message says, in words, what is wrong, why it
usually happens and where to read about it::

    CheckFailed: sigmoid(1000) returned nan: exp(1000) overflowed to inf, and
    inf/inf is nan. ...

:class:`CheckFailed` subclasses ``AssertionError``, so nbgrader's autograder
counts a failing grade cell as a failed test like any other assertion; the
check frames are hidden from IPython's traceback (``__tracebackhide__``), so
the student sees the message, not actlib's internals.

Besides wrong values, the checks recognise the usual wrong submissions and say
so by name: a sigmoid that overflows at :math:`\pm 1000`, :math:`(1 - \tanh
x)^2` as tanh's derivative, GELU's tanh approximation with the constant
0.0356774 inside :math:`\sqrt{2/\pi}(x + c x^3)`, a ReLU derivative of 1 at
negative inputs, NaN that does not propagate, and outputs of the wrong dtype
or shape.

Torch is imported inside the functions that need it, so the numpy checks of
assignment 1 work without it.

Examples:
    >>> import numpy as np
    >>> from actlib.teaching import checks
    >>> checks.check_activation("relu", lambda x: np.maximum(x, 0.0))
    relu: all checks passed (values, ±1000, NaN, dtype, shape).
    >>> checks.check_activation("relu", lambda x: np.where(x > 0, x, 0.0))
    Traceback (most recent call last):
    ...
    actlib.teaching.checks.CheckFailed: relu(nan) returned 0.0, not nan. ...
"""

from __future__ import annotations

import math
import warnings
from collections.abc import Callable, Mapping, Sequence

import numpy as np

from .. import functions as _F
from ..registry import get

__all__ = [
    "CheckFailed", "PASS_MARK", "READ_MORE", "ASSIGNMENT1_NAMES", "PARAM_CASES",
    "check_activation", "check_derivative",
    "make_mlp", "reference_gradients", "check_mlp_gradients", "check_gradient_norms",
    "check_most_vanishing",
    "check_dead_units", "check_dead_fraction",
    "check_autograd_forward", "check_autograd_backward", "check_gradcheck",
    "check_autograd_stability",
    "check_experiment", "check_choice",
]


class CheckFailed(AssertionError):
    """A check found a mistake; the message says what is wrong and where to read about it."""


#: Every passing check prints one line that starts with this mark.
PASS_MARK = "✓"


def _passed(text: str) -> None:
    print(f"{PASS_MARK} {text}")


#: The activations of assignment 1, in the order the notebook asks for them.
ASSIGNMENT1_NAMES = ("sigmoid", "tanh", "relu", "leaky_relu", "elu", "gelu", "swish")

#: Parameter values every check tries besides the defaults.
PARAM_CASES: Mapping[str, tuple[dict, ...]] = {
    "leaky_relu": ({}, {"negative_slope": 0.2}),
    "elu": ({}, {"alpha": 0.5}),
    "swish": ({}, {"beta": 2.0}),
}

_A1 = "assignment 1 (book/assignments/stable-activations), section 'Stable forms'"
#: Where each message sends the student to read more.
READ_MORE: Mapping[str, str] = {
    "sigmoid": "the chapter 'Sigmoid, tanh and their relatives', section 'Computing the sigmoid "
               f"without overflow'; {_A1}; help(actlib.sigmoid)",
    "tanh": "the chapter 'Sigmoid, tanh and their relatives', section 'The hyperbolic tangent' "
            f"(tanh' = 1 - tanh^2); {_A1}; help(actlib.d_tanh)",
    "relu": f"the chapter 'The rectifiers', section 'ReLU'; {_A1}; help(actlib.relu)",
    "leaky_relu": f"the chapter 'The rectifiers', section 'Leaky ReLU'; {_A1}; help(actlib.leaky_relu)",
    "elu": "the chapter 'Exponential linear units', section 'ELU: a rectifier with a soft floor'; "
           f"{_A1}; help(actlib.elu)",
    "gelu": "the chapter 'Smooth gates', sections 'Cheaper forms' and 'What \"NewGELU\" is'; "
            f"{_A1}; help(actlib.gelu) and help(actlib.gelu_tanh)",
    "swish": f"the chapter 'Smooth gates', section 'SiLU and Swish'; {_A1}; help(actlib.swish)",
    "nan": f"{_A1} ('NaN must propagate')",
    "dtype": f"{_A1} ('dtype and shape')",
    "backprop": "the chapter 'Saturation and vanishing gradients', section 'The chain rule through "
                "depth'; assignment 2 (book/assignments/backprop-vanishing), section "
                "'Backpropagation by hand'",
    "vanishing": "the chapter 'Saturation and vanishing gradients'; assignment 2 "
                 "(book/assignments/backprop-vanishing), section 'Measuring vanishing gradients'",
    "dead": "the chapter 'Dead neurons'; assignment 3 (book/assignments/dead-units), section "
            "'When is a unit dead?'",
    "autograd": "assignment 4 (book/assignments/custom-autograd), section 'Anatomy of an "
                "autograd.Function', and the source of actlib/autograd.py",
    "experiment": "the chapter 'How to choose an activation'; assignment 5 "
                  "(book/assignments/choose-activation), section 'A fair comparison'",
}

_RTOL, _ATOL = 1e-6, 1e-10          # float64 comparisons
_RTOL32, _ATOL32 = 2e-5, 1e-6       # float32 comparisons
_SPECIAL = (0.0, 1.5, -1.5, 1000.0, -1000.0)
#: A grid without the kink at 0 (the value there is a convention, checked separately).
_GRID = np.linspace(-8.0, 8.0, 160)


def _fail(message: str, topic: str | None = None):
    __tracebackhide__ = True
    if topic is not None:
        message = f"{message}\nRead more: {READ_MORE[topic]}."
    raise CheckFailed(message)


def _fmt(v) -> str:
    v = float(v)
    if math.isnan(v):
        return "nan"
    if v == int(v) and abs(v) < 1e15:
        return f"{v:.1f}"
    return f"{v:.8g}"


def _call_str(name: str, x: float, params: dict, prime: bool = False) -> str:
    extra = "".join(f", {k}={v:g}" for k, v in params.items())
    return f"{name}{chr(39) if prime else ''}({x:g}{extra})"


def _record(name: str):
    rec = get(name)
    return rec, rec.fn, rec.derivative


def _run(fn: Callable, x: np.ndarray, params: dict, what: str):
    """Call ``fn(x, **params)``; return ``(result, [RuntimeWarning messages])`` or fail."""
    __tracebackhide__ = True
    with warnings.catch_warnings(record=True) as caught, \
            np.errstate(over="warn", invalid="warn", divide="warn", under="ignore"):
        warnings.simplefilter("always")
        try:
            out = fn(x.copy(), **params)
        except NotImplementedError:
            _fail(f"{what}: your function raised NotImplementedError; write its body first.")
        except Exception as exc:  # noqa: BLE001 - any error becomes feedback
            _fail(f"{what} raised {type(exc).__name__}: {exc}")
    runtime = [str(w.message) for w in caught if issubclass(w.category, RuntimeWarning)]
    return out, runtime


def _as_result(out, x: np.ndarray, what: str, topic: str) -> np.ndarray:
    __tracebackhide__ = True
    if out is None:
        _fail(f"{what} returned None: did you forget the `return` statement?")
    if not isinstance(out, (np.ndarray, np.generic)):
        _fail(f"{what} returned a {type(out).__name__}, not a numpy array. Compute with numpy "
              "functions on the whole array (no Python loop, no math.exp), so the result is an "
              "array of the input's shape.", "dtype")
    out = np.asarray(out)
    if out.shape != x.shape:
        _fail(f"{what} returned shape {out.shape} for an input of shape {x.shape}. An "
              "elementwise activation keeps the shape: did you reduce (sum, max) over an axis "
              "or flatten the input?", "dtype")
    if out.dtype.kind != "f":
        _fail(f"{what} returned dtype {out.dtype}; it must be a float array. Integer or boolean "
              "arrays usually come from np.where(x > 0, 1, 0): write 1.0 and 0.0.", "dtype")
    return out


_OVERFLOW_HINT = {
    "sigmoid": "np.exp(-x) overflows for x = -1000 (and np.exp(x) for x = 1000). Evaluate it "
               "so that exp only ever sees -|x|: 1/(1 + exp(-x)) for x >= 0 and "
               "exp(x)/(1 + exp(x)) for x < 0, computed from e = np.exp(-np.abs(x)).",
    "tanh": "the formula (e^x - e^-x)/(e^x + e^-x) overflows for |x| = 1000; use np.tanh, or "
            "2*sigmoid(2x) - 1 with a stable sigmoid.",
    "elu": "np.where evaluates BOTH branches for every element, so exp(x) was computed for "
           "x = 1000 even though that element takes the x branch. Use "
           "alpha * np.expm1(np.minimum(x, 0)), so the exponential only sees x <= 0.",
    "swish": "x / (1 + np.exp(-beta*x)) computes exp(1000) for x = -1000. Multiply x by a "
             "stable sigmoid (one that never exponentiates a positive number) instead.",
    "gelu": "a cube or an exponential of a large input overflowed; Phi(x) = "
            "0.5*scipy.special.erfc(-x/sqrt(2)) (or scipy.special.ndtr) needs neither.",
    "leaky_relu": "a piecewise-linear function needs no exp at all.",
    "relu": "a piecewise-linear function needs no exp at all.",
}

_NAN_HINT = (
    "A NaN input means something upstream already went wrong; an activation that turns it "
    "into a number hides the bug. Comparisons with NaN are False, so np.where(x > 0, ...) "
    "silently takes the other branch; np.maximum/np.minimum propagate NaN, and "
    "np.where(np.isnan(x), np.nan, ...) restores it."
)


def _nan_message(what_name: str, got) -> str:
    return f"{what_name}(nan) returned {_fmt(got)}, not nan. {_NAN_HINT}"


def _first_mismatch(got, expected, x, rtol, atol):
    bad = ~np.isclose(got, expected, rtol=rtol, atol=atol, equal_nan=True)
    if not bad.any():
        return None
    diff = np.where(bad, np.abs(got - expected), -1.0)
    diff = np.where(np.isnan(diff), np.inf, diff)
    return int(np.argmax(diff))


def _wrong_gelu_constant(x):
    # The published tanh approximation is sqrt(2/pi)*(x + 0.044715 x^3)
    # = sqrt(2/pi)*x + 0.0356774*x^3; putting 0.0356774 INSIDE the bracket is a
    # different function. Both constants are derived here, not typed twice.
    c_outside = math.sqrt(2.0 / math.pi) * _F.GELU_TANH_COEFF   # 0.0356774...
    with np.errstate(over="ignore", invalid="ignore"):
        return 0.5 * x * (1.0 + np.tanh(math.sqrt(2.0 / math.pi) * (x + c_outside * x ** 3)))


def _forward_mistakes(name: str, params: dict) -> list[tuple[Callable, str]]:
    """Known wrong answers for the forward pass: ``(wrong_fn(x), message)``."""
    if name == "gelu":
        c = math.sqrt(2.0 / math.pi) * _F.GELU_TANH_COEFF
        return [
            (_wrong_gelu_constant,
             f"your gelu is 0.5x(1 + tanh(sqrt(2/pi)(x + {c:.7f} x^3))): the constant {c:.7f} is "
             f"sqrt(2/pi) x {_F.GELU_TANH_COEFF}, and it belongs OUTSIDE the bracket, "
             f"sqrt(2/pi) x + {c:.7f} x^3. Inside the bracket it gives a different function "
             f"from the tanh approximation (which uses {_F.GELU_TANH_COEFF} inside). This "
             "assignment asks for the exact GELU, x Phi(x), anyway."),
            (get("gelu_tanh").fn,
             "your gelu matches GELU's tanh approximation (actlib.gelu_tanh, constant "
             f"{_F.GELU_TANH_COEFF}), which differs from the exact x Phi(x) by up to 5e-4. This "
             "assignment asks for the exact GELU: x * 0.5 * erfc(-x / sqrt(2)), or "
             "x * scipy.special.ndtr(x)."),
            (get("gelu_sigmoid").fn,
             "your gelu is the sigmoid approximation x sigmoid(1.702 x) (actlib.gelu_sigmoid); "
             "this assignment asks for the exact GELU, x Phi(x)."),
        ]
    if name == "swish" and params.get("beta", 1.0) != 1.0:
        return [(get("silu").fn, f"swish(x, beta={params['beta']:g}) returned x sigmoid(x): your "
                 "function ignores its beta argument (it computes SiLU, Swish with beta = 1).")]
    if name in ("leaky_relu", "elu") and params:
        (key, value), = params.items()
        default = get(name).defaults[key]
        return [(lambda x, _n=name: get(_n).fn(x),
                 f"{name}(x, {key}={value:g}) returned the values for {key}={default:g}: your "
                 f"function ignores its {key} argument (or hard-codes the default).")]
    if name == "sigmoid":
        return [(lambda x: get("tanh").fn(x),
                 "your sigmoid returns tanh(x); the sigmoid is 1/(1 + exp(-x)), with values in "
                 "(0, 1).")]
    return []


def _derivative_mistakes(name: str, params: dict) -> list[tuple[Callable, str]]:
    """Known wrong derivatives: ``(wrong_fn(x), message)``."""
    if name == "tanh":
        return [(lambda x: (1.0 - np.tanh(x)) ** 2,
                 "you returned (1 - tanh x)^2. The derivative of tanh is 1 - tanh^2 x = "
                 "(1 - tanh x)(1 + tanh x): the square is on tanh, not on the difference. "
                 "(They agree only at x = 0.)")]
    if name == "sigmoid":
        return [(lambda x: x * (1.0 - x),
                 "you returned x(1 - x): the formula y(1 - y) takes the sigmoid's OUTPUT "
                 "y = sigmoid(x), not the input x.")]
    if name == "relu":
        return [(lambda x: np.ones_like(x),
                 "you returned 1 everywhere: ReLU is constant (0) for negative inputs, so its "
                 "derivative there is 0, not 1.")]
    if name == "leaky_relu":
        slope = params.get("negative_slope", get(name).defaults["negative_slope"])
        return [(lambda x: np.where(x > 0, 1.0, 0.0),
                 f"you returned ReLU's derivative: for negative inputs leaky ReLU's slope is "
                 f"negative_slope ({slope:g}), not 0.")]
    if name == "gelu":
        return [(get("gelu_tanh").derivative,
                 "you returned the derivative of GELU's tanh approximation; the exact GELU's "
                 "derivative is Phi(x) + x phi(x), with phi the standard normal density.")]
    if name == "swish":
        beta = params.get("beta", 1.0)
        if beta != 1.0:
            def missing_beta(x):
                s = _F.sigmoid(beta * x)
                return s + x * s * (1.0 - s)
            return [(missing_beta,
                     "you returned sigmoid(bx) + x sigmoid(bx)(1 - sigmoid(bx)): the chain rule "
                     f"gives a factor beta (= {beta:g}) on the second term, "
                     "sigmoid(bx) + b x sigmoid(bx)(1 - sigmoid(bx)).")]
    return []


def _kink_ok(name: str, got: float, params: dict, prime: bool) -> bool:
    """At the kink x = 0 any value between the one-sided derivatives is accepted."""
    if not prime or name not in ("relu", "leaky_relu", "elu"):
        return False
    d = get(name).derivative
    lo, hi = float(d(-1e-12, **params)), float(d(1e-12, **params))
    lo, hi = min(lo, hi), max(lo, hi)
    return lo - 1e-9 <= got <= hi + 1e-9


def _diagnose(name: str, fn: Callable, params: dict, prime: bool, label: str) -> None:
    """Fail with a named message if ``fn`` matches a known wrong answer on the grid."""
    __tracebackhide__ = True
    x = _GRID.copy()
    with warnings.catch_warnings(), np.errstate(all="ignore"):
        warnings.simplefilter("ignore")
        try:
            got = np.asarray(fn(x.copy(), **params), dtype=float)
        except Exception:  # noqa: BLE001 - diagnosis only
            return
        if got.shape != x.shape:
            return
        for wrong, message in (_derivative_mistakes if prime else _forward_mistakes)(name, params):
            if np.allclose(got, wrong(x), rtol=1e-5, atol=1e-9):
                _fail(f"{label}: {message}", name)
        if prime and name == "relu" and np.allclose(got[x < 0], 1.0):
            _fail(f"relu'({x[0]:g}) returned 1.0: "
                  "ReLU is flat (0) for negative inputs, so its derivative there is 0, not 1.",
                  name)


def _check_elementwise(name: str, fn: Callable, *, prime: bool, cases=None) -> str:
    __tracebackhide__ = True
    rec, forward, derivative = _record(name)
    reference = derivative if prime else forward
    label = f"{name}'" if prime else name
    mistakes_for = _derivative_mistakes if prime else _forward_mistakes
    for params in (cases if cases is not None else PARAM_CASES.get(name, ({},))):
        # 1. single special points: overflow warnings, nan at +-1000, wrong values
        for x0 in _SPECIAL:
            x = np.array([x0])
            what = _call_str(name, x0, params, prime)
            out, runtime = _run(fn, x, params, what)
            got = _as_result(out, x, what, name)
            if runtime:
                _fail(f"{what} raised RuntimeWarning '{runtime[0]}'"
                      + (f" and returned {_fmt(got[0])}" if np.isfinite(got[0]) else "")
                      + f". {_OVERFLOW_HINT.get(name, 'Some intermediate value overflowed.')}",
                      name)
            expected = float(reference(x0, **params))
            if math.isnan(got[0]):
                _fail(f"{what} returned nan, expected {_fmt(expected)}: an intermediate value "
                      "overflowed to inf (numpy did not warn because the overflow was hidden, "
                      "e.g. inf/inf or inf - inf is nan). "
                      + _OVERFLOW_HINT.get(name, ""), name)
            if not np.isclose(got[0], expected, rtol=_RTOL, atol=_ATOL):
                if x0 == 0.0 and _kink_ok(name, got[0], params, prime):
                    continue
                _diagnose(name, fn, params, prime, label)
                _fail(f"{what} returned {_fmt(got[0])}, expected {_fmt(expected)} "
                      f"(from actlib.{rec.derivative.__name__ if prime else rec.fn.__name__}).",
                      name)
        # 2. NaN propagates
        x = np.array([np.nan])
        what = _call_str(name, float("nan"), params, prime)
        out, _ = _run(fn, x, params, what)
        got = _as_result(out, x, what, name)
        if not np.isnan(got[0]):
            _fail(_nan_message(label, got[0]), "nan")
        # 3. a dense grid: values, with the known wrong answers recognised by name
        x = _GRID.copy()
        what = f"{label} on np.linspace(-8, 8, 160)" + (f" with {params}" if params else "")
        out, runtime = _run(fn, x, params, what)
        got = _as_result(out, x, what, name)
        expected = reference(x, **params)
        i = _first_mismatch(got, expected, x, _RTOL, _ATOL)
        if i is not None:
            for wrong, message in mistakes_for(name, params):
                with np.errstate(all="ignore"):
                    if np.allclose(got, wrong(x), rtol=1e-5, atol=1e-9):
                        _fail(f"{label}: {message}", name)
            if prime and name in ("relu", "leaky_relu") and (x < 0).any():
                neg = x < 0
                if np.allclose(got[neg], 1.0):
                    _fail(f"{_call_str(name, x[neg][0], params, True)} returned 1.0: "
                          f"{_derivative_mistakes(name, params)[0][1] if name == 'relu' else ''}"
                          "For negative inputs the function is "
                          + ("flat (0), so its derivative is 0." if name == "relu" else
                             "the line negative_slope * x, so its derivative is negative_slope."),
                          name)
            n_bad = int((~np.isclose(got, expected, rtol=_RTOL, atol=_ATOL)).sum())
            _fail(f"{_call_str(name, x[i], params, prime)} returned {_fmt(got[i])}, expected "
                  f"{_fmt(expected[i])} (from actlib); {n_bad} of {x.size} points on the grid "
                  "disagree.", name)
        # 4. dtype: float32 in, float32 out; shape: a 2-D input keeps its shape
        x32 = _GRID.astype(np.float32).reshape(10, 16)
        what = f"{label} on a float32 array of shape (10, 16)"
        out, _ = _run(fn, x32, params, what)
        got = _as_result(out, x32, what, name)
        if got.dtype != np.float32:
            _fail(f"{what} returned dtype {got.dtype}: keep the input's dtype. Operations with "
                  "Python floats (1.0, 0.5) keep float32; np.float64(...) constants, "
                  "np.array(x, dtype=float) or np.ones(n) (float64 by default) do not: use "
                  "np.ones_like(x) or np.asarray(x).", "dtype")
        if not np.allclose(got, reference(x32, **params), rtol=_RTOL32, atol=_ATOL32):
            _fail(f"{what}: the values are wrong in float32 although they are right in float64; "
                  "look for a cancellation such as 1 - something close to 1.", name)
    return label


def check_activation(name: str, fn: Callable, cases: Sequence[dict] | None = None) -> None:
    """Check a numpy implementation of the activation ``name`` against actlib.

    Tries ±1000 (no overflow warning, no NaN), NaN (must propagate), a grid of
    160 points, float32 (dtype kept) and a 2-D input (shape kept), with the
    default parameters and one more value from :data:`PARAM_CASES` (or the
    parameter dicts in ``cases``).
    """
    __tracebackhide__ = True
    label = _check_elementwise(name, fn, prime=False, cases=cases)
    _passed(f"{label}: all checks passed (values, ±1000, NaN, dtype, shape).")


def check_derivative(name: str, dfn: Callable, cases: Sequence[dict] | None = None) -> None:
    """Check a numpy implementation of the derivative of ``name`` against actlib.

    At a kink (ReLU, leaky ReLU, ELU at 0) any value between the one-sided
    derivatives is accepted.
    """
    __tracebackhide__ = True
    label = _check_elementwise(name, dfn, prime=True, cases=cases)
    _passed(f"{label}: all checks passed (values, ±1000, NaN, dtype, shape).")


# ---------------------------------------------------------------------------------------
# Assignment 2: backpropagation by hand and vanishing gradients
# ---------------------------------------------------------------------------------------

def make_mlp(depth: int, width: int, *, n_in: int = 8, n_out: int = 4, batch: int = 32,
             seed: int = 0) -> dict:
    r"""A seeded regression problem for a plain MLP, as numpy float64 arrays.

    ``depth`` hidden layers of ``width`` units, LeCun-normal weights
    (standard deviation :math:`1/\sqrt{n_\text{in}}`), zero biases, inputs and
    targets drawn from :math:`N(0, 1)`. Weights have PyTorch's layout
    ``(n_out, n_in)``; inputs are rows, ``x`` has shape ``(batch, n_in)``.

    Returns:
        ``{"x", "t", "weights", "biases"}``.
    """
    rng = np.random.default_rng(seed)
    sizes = [n_in] + [width] * depth + [n_out]
    weights = [rng.normal(0.0, 1.0 / math.sqrt(a), size=(b, a))
               for a, b in zip(sizes, sizes[1:], strict=False)]
    biases = [np.zeros(b) for b in sizes[1:]]
    return {"x": rng.normal(size=(batch, n_in)), "t": rng.normal(size=(batch, n_out)),
            "weights": weights, "biases": biases}


def reference_gradients(x, t, weights, biases, activation: str):
    r"""Loss and gradients of the MLP by PyTorch's autograd, with actlib's torch module.

    Hidden layers compute :math:`a_l = \varphi(a_{l-1} W_l^\top + b_l)`, the last
    layer is linear, the loss is :math:`L = \frac{1}{2B}\sum (y - t)^2`.

    Returns:
        ``(loss, grad_weights, grad_biases)`` as float and lists of numpy arrays.
    """
    import torch

    from ..nn import module

    act = module(activation)
    W = [torch.tensor(w, dtype=torch.float64, requires_grad=True) for w in weights]
    b = [torch.tensor(v, dtype=torch.float64, requires_grad=True) for v in biases]
    h = torch.tensor(np.asarray(x, dtype=np.float64))
    for i, (w, v) in enumerate(zip(W, b, strict=True)):
        h = h @ w.T + v
        if i < len(W) - 1:
            h = act(h)
    loss = 0.5 * ((h - torch.tensor(np.asarray(t, dtype=np.float64))) ** 2).sum() / h.shape[0]
    loss.backward()
    return (float(loss.detach()), [w.grad.numpy() for w in W], [v.grad.numpy() for v in b])


def check_mlp_gradients(fn: Callable, activations: Sequence[str] = ("tanh", "relu", "sigmoid")
                        ) -> None:
    """Check ``fn(x, t, weights, biases, activation) -> (loss, grad_weights, grad_biases)``.

    The reference is PyTorch's autograd through :func:`actlib.nn.module`.
    """
    __tracebackhide__ = True
    for activation in activations:
        problem = make_mlp(depth=3, width=6, n_in=5, n_out=3, batch=7, seed=1)
        for b in problem["biases"]:
            b += np.random.default_rng(2).normal(scale=0.1, size=b.shape)
        args = {k: problem[k] for k in ("x", "t", "weights", "biases")}
        try:
            result = fn(**args, activation=activation)
        except NotImplementedError:
            _fail("mlp_gradients raised NotImplementedError; write its body first.")
        except Exception as exc:  # noqa: BLE001
            _fail(f"mlp_gradients(..., activation={activation!r}) raised {type(exc).__name__}: "
                  f"{exc}. (Shapes: x is (batch, n_in); W_l is (n_out, n_in), as in "
                  "torch.nn.Linear.)", "backprop")
        if not (isinstance(result, tuple) and len(result) == 3):
            _fail("mlp_gradients must return a tuple (loss, grad_weights, grad_biases).",
                  "backprop")
        loss, gW, gb = result
        ref_loss, ref_W, ref_b = reference_gradients(**args, activation=activation)
        n = len(ref_W)
        if not np.isclose(float(loss), ref_loss, rtol=1e-9):
            _fail(f"with activation={activation!r} the loss is {float(loss):.8g}, expected "
                  f"{ref_loss:.8g}: the forward pass is wrong. Hidden layers compute "
                  "a = phi(a_prev @ W.T + b), the output layer has no activation, and "
                  "L = 0.5 * sum((y - t)**2) / batch.", "backprop")
        if len(gW) != n or len(gb) != n:
            _fail(f"expected {n} weight and {n} bias gradients (one per layer, output layer "
                  f"included), got {len(gW)} and {len(gb)}.", "backprop")
        for layer in range(n - 1, -1, -1):        # from the output back: the first error
            for kind, got, ref in (("W", gW[layer], ref_W[layer]), ("b", gb[layer], ref_b[layer])):
                got = np.asarray(got)
                where = "the output layer" if layer == n - 1 else f"hidden layer {layer + 1}"
                if got.shape != ref.shape:
                    _fail(f"dL/d{kind} of {where} has shape {got.shape}, expected {ref.shape} "
                          f"(the shape of {kind}). For W: dL/dW = delta.T @ a_prev; for b: "
                          "sum delta over the batch.", "backprop")
                if np.allclose(got, ref, rtol=1e-7, atol=1e-12):
                    continue
                if layer == n - 1:
                    hint = ("the output layer's gradient is wrong, so the error is at the start "
                            "of the backward pass: dL/dy = (y - t) / batch, dL/dW = "
                            "delta.T @ a_prev, dL/db = delta.sum(axis=0).")
                else:
                    hint = (f"every layer after it is right, so the mistake is where the "
                            f"gradient passes back through the {activation} of {where}: "
                            "delta_l = (delta_{l+1} @ W_{l+1}) * phi'(z_l), with phi' evaluated "
                            "at the PRE-activation z_l, not at the output a_l = phi(z_l).")
                batch = np.asarray(args["x"]).shape[0]
                if np.allclose(got, ref * batch, rtol=1e-7):
                    hint = ("it is the batch size times too large: the loss averages over the "
                            "batch, so dL/dy = (y - t) / batch.")
                _fail(f"with activation={activation!r}, dL/d{kind} of {where} is wrong "
                      f"(largest error {np.abs(got - ref).max():.3g}): {hint}", "backprop")
    _passed("mlp_gradients: loss and every layer's gradients agree with PyTorch's autograd "
          f"for {', '.join(activations)}.")


def _reference_norms(activation: str, depth: int, width: int, seed: int) -> np.ndarray:
    p = make_mlp(depth=depth, width=width, seed=seed)
    _, gW, _ = reference_gradients(p["x"], p["t"], p["weights"], p["biases"], activation)
    return np.array([np.linalg.norm(g) for g in gW])


def check_gradient_norms(fn: Callable, activations: Sequence[str] = ("sigmoid", "tanh", "relu"),
                         depth: int = 12, width: int = 32, seed: int = 0) -> None:
    """Check ``fn(activation, depth, width, seed)``: the Frobenius norm of dL/dW per layer."""
    __tracebackhide__ = True
    for activation in activations:
        ref = _reference_norms(activation, depth, width, seed)
        try:
            got = np.asarray(fn(activation, depth=depth, width=width, seed=seed), dtype=float)
        except Exception as exc:  # noqa: BLE001
            _fail(f"gradient_norms({activation!r}, depth={depth}, width={width}, seed={seed}) "
                  f"raised {type(exc).__name__}: {exc}", "vanishing")
        if got.shape != ref.shape:
            _fail(f"gradient_norms({activation!r}, depth={depth}) returned shape {got.shape}; "
                  f"expected one norm per layer, {ref.shape} (depth hidden layers plus the "
                  "output layer, input side first).", "vanishing")
        if np.allclose(got, ref[::-1], rtol=1e-6) and not np.allclose(got, ref, rtol=1e-6):
            _fail(f"gradient_norms({activation!r}) is in reverse order: put the layer next to "
                  "the input first.", "vanishing")
        if not np.allclose(got, ref, rtol=1e-6):
            i = int(np.argmax(np.abs(got - ref) / ref))
            _fail(f"gradient_norms({activation!r}) layer {i + 1}: {got[i]:.6g}, expected "
                  f"{ref[i]:.6g} (the Frobenius norm np.linalg.norm(dL/dW) of the problem "
                  f"make_mlp(depth={depth}, width={width}, seed={seed})).", "vanishing")
    _passed(f"gradient_norms: agree with the reference for {', '.join(activations)}.")


def check_most_vanishing(answer: str, candidates: Sequence[str] = ("sigmoid", "tanh", "relu"),
                         depth: int = 12, width: int = 32, seed: int = 0) -> None:
    """Check the activation whose first-layer gradient is smallest relative to the last's."""
    __tracebackhide__ = True
    ratios = {a: (lambda r: r[0] / r[-1])(_reference_norms(a, depth, width, seed))
              for a in candidates}
    best = min(ratios, key=ratios.get)
    if answer not in ratios:
        _fail(f"answer {answer!r} is not one of {list(candidates)}.", "vanishing")
    if answer != best:
        _fail(f"with {answer}, the first layer's gradient is {ratios[answer]:.3g} times the last "
              f"layer's; another activation's ratio is smaller. Compare norms[0] / norms[-1] for "
              "each activation.", "vanishing")
    _passed(f"most vanishing: {answer} is right.")


# ---------------------------------------------------------------------------------------
# Assignment 3: dead units
# ---------------------------------------------------------------------------------------

def _preactivations(model, X) -> list[np.ndarray]:
    """Pre-activations of every hidden layer of a ``torch.nn.Sequential`` MLP."""
    import torch

    zs = []
    with torch.no_grad():
        h = torch.as_tensor(X)
        layers = list(model)
        for i, layer in enumerate(layers):
            h = layer(h)
            if isinstance(layer, torch.nn.Linear) and i < len(layers) - 1:
                zs.append(h.double().numpy())
    return zs


def _reference_dead(model, X) -> list[np.ndarray]:
    # A ReLU unit is dead on X when relu(z) is 0 for every sample: no output, no gradient.
    return [get("relu").fn(z).max(axis=0) == 0.0 for z in _preactivations(model, X)]


def check_dead_units(fn: Callable, model, X) -> None:
    """Check ``fn(model, X) -> [bool array per hidden layer]``: True where a unit is dead on X."""
    __tracebackhide__ = True
    ref = _reference_dead(model, X)
    zs = _preactivations(model, X)
    try:
        got = fn(model, X)
    except Exception as exc:  # noqa: BLE001
        _fail(f"dead_units(model, X) raised {type(exc).__name__}: {exc}", "dead")
    if got is None or len(got) != len(ref):
        _fail(f"dead_units must return a list with one boolean array per hidden layer "
              f"({len(ref)} here), got {type(got).__name__}"
              + (f" of length {len(got)}" if got is not None and hasattr(got, '__len__') else "")
              + ".", "dead")
    for layer, (g, r, z) in enumerate(zip(got, ref, zs, strict=True), start=1):
        g = np.asarray(g.detach().cpu().numpy() if hasattr(g, "detach") else g)
        if g.shape != r.shape:
            _fail(f"hidden layer {layer}: got shape {g.shape}, expected {r.shape}: one entry per "
                  "unit, not per sample (reduce over the samples, axis 0).", "dead")
        if g.dtype != bool:
            _fail(f"hidden layer {layer}: got dtype {g.dtype}, expected a boolean array "
                  "(True = dead).", "dead")
        if (g != r).any():
            unit = int(np.flatnonzero(g != r)[0])
            fires = int((z[:, unit] > 0).sum())
            if g[unit]:
                _fail(f"hidden layer {layer}, unit {unit}: you marked it dead, but it is active "
                      f"(pre-activation > 0) on {fires} of {z.shape[0]} inputs. A unit is dead "
                      "only if its output is 0 for EVERY input in X.", "dead")
            _fail(f"hidden layer {layer}, unit {unit}: it never fires (its largest "
                  f"pre-activation over X is {z[:, unit].max():.3g} <= 0), but you did not mark "
                  "it dead. Look at the pre-activations z = W a + b, or at the ReLU outputs, "
                  "over all samples.", "dead")
    _passed(f"dead_units: right for all {len(ref)} hidden layers "
          f"({sum(int(r.sum()) for r in ref)} dead units).")


def check_dead_fraction(value: float, model, X) -> None:
    """Check the fraction of dead hidden units (all hidden layers together)."""
    __tracebackhide__ = True
    ref = _reference_dead(model, X)
    expected = float(np.concatenate(ref).mean())
    if not isinstance(value, (float, int, np.floating)) or not np.isclose(value, expected):
        _fail(f"dead fraction {value!r} is wrong: it is the number of dead units divided by "
              f"the number of hidden units over all hidden layers, a float in [0, 1].", "dead")
    _passed("dead fraction: right.")


# ---------------------------------------------------------------------------------------
# Assignment 4: a custom torch.autograd.Function
# ---------------------------------------------------------------------------------------

def _autograd_apply(cls, what: str):
    __tracebackhide__ = True
    import torch

    if not (isinstance(cls, type) and issubclass(cls, torch.autograd.Function)):
        _fail(f"{what}: expected a subclass of torch.autograd.Function (the class itself, not "
              "an instance or a function), with static methods forward(ctx, x) and "
              "backward(ctx, grad_output).", "autograd")
    return cls.apply


def _torch_call(apply, x, what):
    __tracebackhide__ = True
    try:
        return apply(x)
    except NotImplementedError:
        _fail(f"{what}: raised NotImplementedError; write forward and backward first.",
              "autograd")
    except Exception as exc:  # noqa: BLE001
        _fail(f"{what} raised {type(exc).__name__}: {exc}", "autograd")


def check_autograd_forward(cls, name: str = "mish") -> None:
    """The forward pass of ``cls.apply`` equals actlib's ``name`` in float64 and keeps dtypes."""
    __tracebackhide__ = True
    import torch

    rec = get(name)
    apply = _autograd_apply(cls, f"{name} forward")
    x = torch.linspace(-8.0, 8.0, 161, dtype=torch.float64)
    y = _torch_call(apply, x, f"{cls.__name__}.apply(x)")
    if not isinstance(y, torch.Tensor):
        _fail(f"forward returned a {type(y).__name__}, not a tensor: compute with torch "
              "operations (torch.tanh, torch.nn.functional.softplus ...), not numpy.", "autograd")
    if y.shape != x.shape:
        _fail(f"forward returned shape {tuple(y.shape)} for an input of shape {tuple(x.shape)}.",
              "autograd")
    if y.dtype != x.dtype:
        _fail(f"forward returned {y.dtype} for a float64 input: keep the input's dtype.",
              "autograd")
    expected = rec.fn(x.numpy())
    got = y.detach().numpy()
    if not np.allclose(got, expected, rtol=1e-10, atol=1e-12):
        i = int(np.argmax(np.abs(got - expected)))
        _fail(f"forward: {name}({x[i].item():g}) = {got[i]:.10g}, expected {expected[i]:.10g} "
              f"(actlib.{rec.fn.__name__}).", "autograd")
    y32 = _torch_call(apply, x.float(), f"{cls.__name__}.apply(float32 x)")
    if y32.dtype != torch.float32:
        _fail(f"forward returned {y32.dtype} for a float32 input: keep the input's dtype "
              "(avoid torch.tensor(..., dtype=torch.float64) constants).", "autograd")
    _passed(f"{cls.__name__} forward: agrees with actlib.{rec.fn.__name__} and keeps the dtype.")


def check_autograd_backward(cls, name: str = "mish") -> None:
    """``backward`` returns grad_output times actlib's derivative."""
    __tracebackhide__ = True
    import torch

    rec = get(name)
    apply = _autograd_apply(cls, f"{name} backward")
    x = torch.linspace(-8.0, 8.0, 161, dtype=torch.float64, requires_grad=True)
    upstream = torch.linspace(-2.0, 3.0, 161, dtype=torch.float64)
    y = _torch_call(apply, x, f"{cls.__name__}.apply(x)")
    try:
        y.backward(upstream)
    except Exception as exc:  # noqa: BLE001
        _fail(f"backward raised {type(exc).__name__}: {exc}. backward(ctx, grad_output) returns "
              "one gradient per input of forward (None for non-tensor inputs), each shaped like "
              "that input.", "autograd")
    if x.grad is None:
        _fail("backward returned None for x: it must return grad_output * f'(x).", "autograd")
    d = rec.derivative(x.detach().numpy())
    got = x.grad.numpy()
    expected = upstream.numpy() * d
    if np.allclose(got, expected, rtol=1e-9, atol=1e-12):
        _passed(f"{cls.__name__} backward: grad_output * f'(x) agrees with "
              f"actlib.{rec.derivative.__name__}.")
        return
    if np.allclose(got, d, rtol=1e-9, atol=1e-12):
        _fail("backward returned f'(x) itself. It must return grad_output * f'(x): the chain "
              "rule multiplies the local derivative by the gradient arriving from above.",
              "autograd")
    i = int(np.argmax(np.abs(got - expected)))
    _fail(f"backward: at x = {x[i].item():g} with grad_output = {upstream[i].item():g} it returned "
          f"{got[i]:.10g}, expected {expected[i]:.10g} = grad_output * "
          f"actlib.{rec.derivative.__name__}(x). Differentiate f(x) = x tanh(softplus(x)) with "
          "the product rule: tanh(s) + x (1 - tanh(s)^2) sigmoid(x), with s = softplus(x).",
          "autograd")


def check_gradcheck(cls, name: str = "mish") -> None:
    """``torch.autograd.gradcheck`` passes on a seeded float64 input (and forward is right).

    gradcheck alone would pass a stub that returns zeros in both passes, so the
    forward pass must first agree with actlib's ``name``.
    """
    __tracebackhide__ = True
    import torch

    apply = _autograd_apply(cls, "gradcheck")
    probe = torch.linspace(-3.0, 3.0, 13, dtype=torch.float64)
    y = _torch_call(apply, probe, f"{cls.__name__}.apply(x)")
    if not (isinstance(y, torch.Tensor) and y.shape == probe.shape and np.allclose(
            y.detach().numpy(), get(name).fn(probe.numpy()), rtol=1e-8, atol=1e-12)):
        _fail("gradcheck would pass for any pair of consistent passes, even a forward and a "
              "backward that both return zeros; it counts only once the forward pass "
              f"computes {name} (see the forward check above).", "autograd")
    gen = torch.Generator().manual_seed(0)
    x = (3.0 * torch.randn(4, 5, generator=gen, dtype=torch.float64)).requires_grad_(True)
    try:
        torch.autograd.gradcheck(apply, (x,), eps=1e-6, atol=1e-6)
    except Exception as exc:  # noqa: BLE001 - GradcheckError and anything backward raises
        first = str(exc).strip().splitlines()[0] if str(exc).strip() else type(exc).__name__
        _fail("torch.autograd.gradcheck failed: the analytic gradient from your backward does "
              f"not match finite differences of your forward ({first}).", "autograd")
    _passed(f"gradcheck: passed for {cls.__name__}.")


def check_autograd_stability(cls, name: str = "mish") -> None:
    """Forward and backward are finite and right at ±50 and ±1000; NaN propagates."""
    __tracebackhide__ = True
    import torch

    rec = get(name)
    apply = _autograd_apply(cls, f"{name} at large inputs")
    values = np.array([-1000.0, -50.0, 50.0, 1000.0])
    x = torch.tensor(values, dtype=torch.float64, requires_grad=True)
    y = _torch_call(apply, x, f"{cls.__name__}.apply([-1000, -50, 50, 1000])")
    y.sum().backward()
    for label, got, expected in (("forward", y.detach().numpy(), rec.fn(values)),
                                 ("backward", x.grad.numpy(), rec.derivative(values))):
        bad = ~np.isclose(got, expected, rtol=1e-9, atol=1e-12)
        if bad.any():
            i = int(np.flatnonzero(bad)[0])
            _fail(f"{label} at x = {values[i]:g} gave {_fmt(got[i])}, expected "
                  f"{_fmt(expected[i])}. log(1 + exp(x)) overflows for large x; "
                  "torch.nn.functional.softplus(x) does not. A product such as x * sigmoid(x) "
                  "or 0 * inf can also give nan: clamp the input of exp.", "autograd")
    xn = torch.tensor([float("nan")], dtype=torch.float64)
    if not torch.isnan(apply(xn)).all():
        _fail(f"{name}(nan) is not nan. {_NAN_HINT}", "nan")
    _passed(f"{cls.__name__}: stable at ±50 and ±1000, and NaN propagates.")


# ---------------------------------------------------------------------------------------
# Assignment 5: choosing an activation by experiment
# ---------------------------------------------------------------------------------------

def check_experiment(results: Mapping, train_fn: Callable, *, min_candidates: int = 4,
                     min_seeds: int = 3) -> None:
    """``results[name][seed] = test accuracy``: enough candidates and seeds, and reproducible."""
    __tracebackhide__ = True
    from ..registry import names

    if not isinstance(results, Mapping) or len(results) < min_candidates:
        _fail(f"results must be a dict with at least {min_candidates} activations, "
              f"results[name][seed] = test accuracy; got "
              f"{len(results) if isinstance(results, Mapping) else type(results).__name__}.",
              "experiment")
    known = set(names()) if callable(names) else set()
    for name, runs in results.items():
        if known and name not in known:
            _fail(f"{name!r} is not an activation in actlib's registry (actlib.names()).",
                  "experiment")
        if not isinstance(runs, Mapping) or len(runs) < min_seeds:
            _fail(f"results[{name!r}] must map at least {min_seeds} seeds to accuracies: one "
                  "run proves nothing, since the spread between seeds can exceed the difference "
                  "between activations.", "experiment")
        for seed, acc in runs.items():
            if not (isinstance(acc, (float, np.floating)) and 0.0 <= acc <= 1.0):
                _fail(f"results[{name!r}][{seed!r}] = {acc!r} is not an accuracy in [0, 1].",
                      "experiment")
    name = next(iter(results))
    seed = next(iter(results[name]))
    again = float(train_fn(name, seed))
    if not np.isclose(again, results[name][seed], atol=1e-6):
        _fail(f"train_and_evaluate({name!r}, seed={seed!r}) gave {again:.4f} now but "
              f"{results[name][seed]:.4f} in your results: the experiment is not reproducible "
              "(seed torch before building the model, and seed every other source of "
              "randomness).", "experiment")
    _passed(f"experiment: {len(results)} activations x {min(len(r) for r in results.values())}+ "
          "seeds, reproducible.")


def check_choice(choice: str, results: Mapping) -> None:
    """The chosen activation is the best by mean accuracy, or within one standard error of it."""
    __tracebackhide__ = True
    if choice not in results:
        _fail(f"CHOICE = {choice!r} is not one of the activations you tested "
              f"({', '.join(results)}): choose from your own experiment.", "experiment")
    stats = {}
    for name, runs in results.items():
        a = np.array(list(runs.values()), dtype=float)
        stats[name] = (a.mean(), a.std(ddof=1) / math.sqrt(a.size) if a.size > 1 else 0.0)
    best = max(stats, key=lambda n: stats[n][0])
    m, se = stats[choice]
    mb, seb = stats[best]
    if mb - m > max(se, seb):
        _fail(f"your experiment says {best} is best (mean accuracy {mb:.3f} ± {seb:.3f}), but "
              f"you chose {choice} ({m:.3f} ± {se:.3f}), more than one standard error behind. "
              "Defend a choice your data supports.", "experiment")
    _passed(f"choice: {choice} is supported by your experiment.")
