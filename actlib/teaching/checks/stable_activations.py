r"""Assignment 1, *Stable activations*: an activation and its derivative written in numpy.

:func:`check_activation` and :func:`check_derivative` compare a student's function
with actlib's reference and judge only what the function *returns*:

1. special points: 0, ±1.5 and ±1000 (no NaN, no inf, the right limits);
2. NaN propagates;
3. a grid of 160 points in [-8, 8], where the usual wrong answers are recognised by
   name (:data:`~actlib.teaching.checks.hints.MISTAKES`);
4. the tails (:data:`~actlib.teaching.checks.hints.TAILS`): inputs such as
   ``sigmoid(-720)``, about ``2e-313``, that only a stable formula gets right, in
   float64 to a relative ``1e-9`` and in float32 to 16 ULP. A naive formula fails
   there whether or not its overflow warnings are silenced: a warning is never
   the criterion;
5. float32 stays float32, and a 2-D input keeps its shape.

Each check also makes sure the function does not call actlib itself (the task is to
write it): calls into actlib's code while the student's function runs are seen with
:func:`sys.setprofile`, however actlib was imported.

Examples:
    >>> import numpy as np
    >>> from actlib.teaching import checks
    >>> checks.check_activation("relu", lambda x: np.maximum(x, 0.0))
    ✓ relu: all checks passed (values, ±1000, tails, NaN, dtype, shape).
"""

from __future__ import annotations

import math
import sys
import warnings
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path

import numpy as np

from ...registry import get
from . import hints
from ._core import check, fail, fmt, fmt_pair, knock_on, results

__all__ = ["ASSIGNMENT_NAMES", "PARAM_CASES", "check_activation", "check_derivative"]

#: The activations of assignment 1, in the order the notebook asks for them.
ASSIGNMENT_NAMES = ("sigmoid", "tanh", "relu", "leaky_relu", "elu", "gelu", "swish")

#: Parameter values every check tries besides the defaults.
PARAM_CASES: Mapping[str, tuple[dict, ...]] = {
    "leaky_relu": ({}, {"negative_slope": 0.2}),
    "elu": ({}, {"alpha": 0.5}),
    "swish": ({}, {"beta": 2.0}),
}

_SPECIAL = (0.0, 1.5, -1.5, 1000.0, -1000.0)
#: A grid without the kink at 0 (the value there is a convention, checked separately).
_GRID = np.linspace(-8.0, 8.0, 160)
_GRID_TOL = {"float64": (1e-7, 1e-12), "float32": (2e-5, 1e-6)}   # (rtol, atol): moderate inputs
_TAIL_TOL = {"float64": (1e-9, 4), "float32": (0.0, 16)}          # (rtol, ulps): the tails

_ACTLIB = str(Path(__file__).resolve().parents[2])
_CHECKS = str(Path(__file__).resolve().parent)


def _label(name: str, prime: bool) -> str:
    return f"{name}'" if prime else name


def _call_str(name: str, x, params: Mapping, prime: bool = False) -> str:
    extra = "".join(f", {k}={v:g}" for k, v in params.items())
    return f"{_label(name, prime)}({float(x):g}{extra})"


def _student_name(key: str) -> str:
    """The name the notebook gives the function checked under ``key`` (sigmoid', d_sigmoid)."""
    return f"d_{key[:-1]}" if key.endswith("'") else key


def _run(fn: Callable, x: np.ndarray, params: Mapping, what: str, key: str, forbid_actlib: bool):
    """``fn(x, **params)`` with numpy's warnings silenced (behaviour is judged, not warnings)."""
    __tracebackhide__ = True
    calls = []

    def profile(frame, event, arg):
        if event == "call":
            path = frame.f_code.co_filename
            name = frame.f_code.co_name
            if path.startswith(_ACTLIB) and not path.startswith(_CHECKS) and \
                    not path.endswith("_validate.py") and not name.startswith(("_", "<")):
                calls.append(name)

    previous = sys.getprofile()
    try:
        with warnings.catch_warnings(), np.errstate(all="ignore"):
            warnings.simplefilter("ignore")
            if forbid_actlib:
                sys.setprofile(profile)
            try:
                out = fn(x.copy(), **params)
            finally:
                if forbid_actlib:
                    sys.setprofile(previous)
    except NotImplementedError:
        fail(f"{what}: your function raised NotImplementedError; write its body first.", key)
    except TypeError as exc:
        if params and "argument" in str(exc):
            fail(f"{what} raised TypeError: {exc}. Keep the parameter names of the task "
                 f"({', '.join(params)}), as keyword arguments with their defaults.", key)
        fail(f"{what} raised TypeError: {exc}", key)
    except Exception as exc:  # noqa: BLE001 - any error in the student's code becomes feedback
        fail(f"{what} raised {type(exc).__name__}: {exc}", key)
    if calls:
        fail(f"{what} calls actlib's own `{calls[0]}`. The task is to write it with numpy (and "
             "scipy.special); actlib is the reference your function is compared with.", key)
    return out


def _as_result(out, x: np.ndarray, what: str, key: str) -> np.ndarray:
    __tracebackhide__ = True
    if out is None:
        fail(f"{what} returned None: did you forget the `return` statement?", key)
    if not isinstance(out, (np.ndarray, np.generic)):
        fail(f"{what} returned a {type(out).__name__}, not a numpy array. Compute with numpy "
             "functions on the whole array (no Python loop, no math.exp), so the result is an "
             "array of the input's shape.", key, hints.READ_MORE["dtype"])
    out = np.asarray(out)
    if out.shape != x.shape:
        fail(f"{what} returned shape {out.shape} for an input of shape {x.shape}. An "
             "elementwise activation keeps the shape: did you reduce (sum, max) over an axis "
             "or flatten the input?", key, hints.READ_MORE["dtype"])
    if out.dtype.kind != "f":
        fail(f"{what} returned dtype {out.dtype}; it must be a float array. Integer or boolean "
             "arrays usually come from np.where(x > 0, 1, 0): write 1.0 and 0.0.", key,
             hints.READ_MORE["dtype"])
    return out


def _bad(got, ref, *, rtol=0.0, atol=0.0, ulps=0, dtype=np.float64) -> np.ndarray:
    """Where ``got`` is not within ``max(atol + rtol |ref|, ulps ULP)`` of ``ref`` (NaN and
    infinities must match exactly)."""
    got = np.asarray(got, dtype=np.float64)
    ref = np.asarray(ref, dtype=np.float64)
    spacing = np.spacing(np.abs(ref).astype(dtype)).astype(np.float64)
    tol = np.maximum(atol + rtol * np.abs(ref), ulps * spacing)
    with np.errstate(invalid="ignore"):
        close = np.abs(got - ref) <= tol
    same = (np.isnan(got) & np.isnan(ref)) | ((got == ref) & np.isinf(ref))
    return ~(close | same)


def _kink_at_zero(name: str, params: Mapping) -> bool:
    return 0.0 in get(name).kinks_at(**params)


def _kink_ok(name: str, got: float, params: Mapping) -> bool:
    """At a kink x = 0 any value between the one-sided derivatives is accepted."""
    if not _kink_at_zero(name, params):
        return False
    d = get(name).derivative
    lo, hi = float(d(-1e-12, **params)), float(d(1e-12, **params))
    return min(lo, hi) - 1e-9 <= got <= max(lo, hi) + 1e-9


def _recognise(name: str, fn: Callable, params: Mapping, prime: bool, key: str) -> None:
    """Fail with a named message if ``fn`` matches a known wrong answer on the grid."""
    __tracebackhide__ = True
    mistakes = (hints.DERIVATIVE_MISTAKES if prime else hints.MISTAKES).get(name, ())
    x = _GRID.copy()
    with warnings.catch_warnings(), np.errstate(all="ignore"):
        warnings.simplefilter("ignore")
        try:
            got = np.asarray(fn(x.copy(), **params), dtype=np.float64)
        except Exception:  # noqa: BLE001 - diagnosis only
            return
        if got.shape != x.shape:
            return
        for mistake in mistakes:
            if mistake.when(params) and np.allclose(got, mistake.wrong(x, **params),
                                                    rtol=1e-5, atol=1e-9):
                fail(f"{_label(name, prime)}: {mistake.message}", key, hints.READ_MORE.get(name))


def _failure(text: str, name: str, key: str, fn: Callable) -> None:
    __tracebackhide__ = True
    upstream = [(k, _student_name(k)) for k in results if k != key and
                _student_name(k) != getattr(fn, "__name__", None)]
    fail(text.rstrip() + knock_on(fn, upstream), key, hints.READ_MORE.get(name))


@dataclass
class _Case:
    """One function checked with one set of parameters."""

    name: str
    fn: Callable
    params: Mapping
    prime: bool
    forbid_actlib: bool

    @property
    def key(self) -> str:
        return _label(self.name, self.prime)

    @property
    def reference(self) -> Callable:
        rec = get(self.name)
        return rec.derivative if self.prime else rec.fn

    def call(self, x: np.ndarray, what: str) -> np.ndarray:
        __tracebackhide__ = True
        return _as_result(_run(self.fn, x, self.params, what, self.key, self.forbid_actlib),
                          x, what, self.key)

    def at(self, x0) -> str:
        return _call_str(self.name, x0, self.params, self.prime)

    def failure(self, text: str) -> None:
        __tracebackhide__ = True
        _failure(text, self.name, self.key, self.fn)


def _special_points(case: _Case) -> None:
    """0, ±1.5 and ±1000: the right limits, no nan, the right values."""
    __tracebackhide__ = True
    for x0 in _SPECIAL:
        what = case.at(x0)
        got = float(case.call(np.array([x0]), what)[0])
        expected = float(case.reference(x0, **case.params))
        if not _bad(got, expected, rtol=1e-9, ulps=4):
            continue
        if x0 == 0.0 and case.prime and _kink_ok(case.name, got, case.params):
            continue
        hint = hints.OVERFLOW.get(case.name, "") if abs(x0) >= 1000 else ""
        if math.isnan(got):
            case.failure(f"{what} returned nan, expected {fmt(expected)}: an intermediate value "
                         "overflowed to inf, and inf/inf, inf - inf or 0 * inf is nan. " + hint)
        _recognise(case.name, case.fn, case.params, case.prime, case.key)
        d = get(case.name).derivative
        lo, hi = sorted((float(d(-1e-12, **case.params)), float(d(1e-12, **case.params))))
        if x0 == 0.0 and case.prime and _kink_at_zero(case.name, case.params) and hi - lo > 1e-6:
            case.failure(f"{what} returned {fmt(got)}; at the kink x = 0 any value from "
                         f"{fmt(lo)} to {fmt(hi)} (the one-sided derivatives) is accepted.")
        case.failure(f"{what} returned {fmt(got)}, expected {fmt(expected)} (from "
                     f"actlib.{case.reference.__name__}). " + hint)


def _nan_propagates(case: _Case) -> None:
    __tracebackhide__ = True
    got = case.call(np.array([np.nan]), case.at(float("nan")))
    if not np.isnan(got[0]):
        fail(f"{case.key}(nan) returned {fmt(got[0])}, not nan. {hints.NAN_HINT}", case.key,
             hints.READ_MORE["nan"])


def _grid(case: _Case) -> None:
    """Moderate inputs, with the known wrong answers recognised by name."""
    __tracebackhide__ = True
    x = _GRID.copy()
    what = f"{case.key} on np.linspace(-8, 8, 160)" + (
        f" with {dict(case.params)}" if case.params else "")
    got = case.call(x, what)
    expected = case.reference(x, **case.params)
    rtol, atol = _GRID_TOL["float64"]
    bad = _bad(got, expected, rtol=rtol, atol=atol)
    if bad.any():
        _recognise(case.name, case.fn, case.params, case.prime, case.key)
        i = int(np.flatnonzero(bad)[np.argmax(np.nan_to_num(
            np.abs(got[bad] - expected[bad]), nan=np.inf))])
        case.failure(f"{case.at(x[i])} returned {fmt(got[i])}, expected {fmt(expected[i])} "
                     f"(from actlib.{case.reference.__name__}); {int(bad.sum())} of {x.size} "
                     "points on the grid disagree.")


def _tails(case: _Case, dtype: str) -> None:
    """The inputs where only a stable form is right, to a relative 1e-9 or a few ULP."""
    __tracebackhide__ = True
    tails = (hints.DERIVATIVE_TAILS if case.prime else hints.TAILS).get(case.name, ())
    for tail in (t for t in tails if t.dtype == dtype):
        x = np.array([tail.input(case.params)], dtype=dtype)
        what = case.at(x[0]) + (" in float32" if dtype == "float32" else "")
        got = case.call(x, what)
        expected = case.reference(x.astype(np.float64), **case.params).astype(dtype)
        rtol, ulps = _TAIL_TOL[dtype]
        if _bad(got[0], expected[0], rtol=rtol, ulps=ulps, dtype=np.dtype(dtype)).any():
            a, b = fmt_pair(got[0], expected[0])
            case.failure(f"{what} returned {a}, expected {b}. {tail.why}")


def _float32_and_shape(case: _Case) -> None:
    """float32 in, float32 out; a 2-D input keeps its shape; float32 values close enough."""
    __tracebackhide__ = True
    x32 = _GRID.astype(np.float32).reshape(10, 16)
    what = f"{case.key} on a float32 array of shape (10, 16)"
    got = case.call(x32, what)
    if got.dtype != np.float32:
        fail(f"{what} returned dtype {got.dtype}: keep the input's dtype. Operations with "
             "Python floats (1.0, 0.5) keep float32; np.float64(...) constants, "
             "np.array(x, dtype=float) or np.ones(n) (float64 by default) do not: use "
             "np.ones_like(x) or np.asarray(x).", case.key, hints.READ_MORE["dtype"])
    rtol, atol = _GRID_TOL["float32"]
    if _bad(got, case.reference(x32.astype(np.float64), **case.params), rtol=rtol, atol=atol).any():
        case.failure(f"{what}: the values are wrong in float32 although they are right in "
                     "float64; look for a cancellation such as 1 - something close to 1.")


def _check_elementwise(case: _Case) -> None:
    __tracebackhide__ = True
    _special_points(case)
    _nan_propagates(case)
    _grid(case)
    _tails(case, "float64")
    _float32_and_shape(case)
    _tails(case, "float32")


def _check_vector(name: str, fn: Callable, params: Mapping, prime: bool,
                  forbid_actlib: bool) -> None:
    """Vector (softmax) and reducing (Maxout, GLU) activations, and Jacobians: whole arrays."""
    __tracebackhide__ = True
    rec = get(name)
    reference = rec.derivative if prime else rec.fn
    key = _label(name, prime)
    x = np.linspace(-3.0, 3.0, 24).reshape(4, 6)
    x[3] = [1000.0, -1000.0, 5.0, -5.0, 1000.0, 0.0]
    x[0, 0] = np.nan
    what = f"{key} on a (4, 6) array (one NaN, a row with ±1000)"
    with np.errstate(all="ignore"):
        expected = np.asarray(reference(x, **params))
    got = _run(fn, x, params, what, key, forbid_actlib)
    if got is None or not isinstance(got, (np.ndarray, np.generic)):
        fail(f"{what} returned {type(got).__name__}, not a numpy array.", key)
    got = np.asarray(got)
    if got.shape != expected.shape:
        fail(f"{what} returned shape {got.shape}; {rec.title} gives {expected.shape} for this "
             f"input ({rec.kind} activation{', a Jacobian' if prime else ''}).", key)
    bad = _bad(got, expected, rtol=1e-7, atol=1e-12)
    if bad.any():
        i = np.unravel_index(int(np.flatnonzero(bad)[0]), got.shape)
        _failure(f"{what}: entry {tuple(int(j) for j in i)} is {fmt(got[i])}, expected "
                 f"{fmt(expected[i])} (from actlib.{reference.__name__}); {int(bad.sum())} "
                 f"of {got.size} entries disagree.", name, key, fn)
    x32 = np.nan_to_num(x, nan=0.5).astype(np.float32)
    got = np.asarray(_run(fn, x32, params, what, key, forbid_actlib))
    if got.dtype != np.float32:
        fail(f"{key} returned dtype {got.dtype} for a float32 input: keep the input's dtype.",
             key, hints.READ_MORE["dtype"])


def _check(name: str, fn: Callable, cases, prime: bool, forbid_actlib: bool) -> tuple[str, str]:
    __tracebackhide__ = True
    rec = get(name)
    key = _label(rec.name, prime)
    if not callable(fn):
        fail(f"expected a function for {key}, got {type(fn).__name__} {fn!r}.", key)
    for params in (cases if cases is not None else PARAM_CASES.get(rec.name, ({},))):
        params = {k: rec.param(k).validate(v) for k, v in dict(params).items()}
        if rec.elementwise:
            _check_elementwise(_Case(rec.name, fn, params, prime, forbid_actlib))
        else:
            _check_vector(rec.name, fn, params, prime, forbid_actlib)
    what = "values, ±1000, tails, NaN, dtype, shape" if rec.elementwise else \
        "values, ±1000, NaN, dtype, shape"
    return key, f"{key}: all checks passed ({what})."


@check
def check_activation(name: str, fn: Callable, cases: Sequence[dict] | None = None, *,
                     forbid_actlib: bool = True):
    """Check a numpy implementation of the activation ``name`` against actlib.

    Tries the special points, NaN, a grid, the tails, float32 and a 2-D input, with the
    default parameters and one more value from :data:`PARAM_CASES` (or the parameter
    dicts in ``cases``). Vector and reducing activations (softmax, GLU, Maxout) are
    checked on whole arrays.
    """
    return _check(name, fn, cases, prime=False, forbid_actlib=forbid_actlib)


@check
def check_derivative(name: str, dfn: Callable, cases: Sequence[dict] | None = None, *,
                     forbid_actlib: bool = True):
    """Check a numpy implementation of the derivative of ``name`` against actlib.

    At a kink (ReLU, leaky ReLU, ELU at 0) any value between the one-sided derivatives
    is accepted. The derivative of a vector or reducing activation is its Jacobian.
    """
    return _check(name, dfn, cases, prime=True, forbid_actlib=forbid_actlib)
