"""Input and parameter checking shared by every part of :mod:`actlib`: the one validator.

Bad input gets a ``TypeError`` (wrong kind of thing) or ``ValueError`` (right
kind, wrong value) whose message names the argument, says what was given and
what is allowed, before any arithmetic happens.

The public functions of :mod:`actlib.functions` and :mod:`actlib.derivatives`
are wrapped by :func:`elementwise` or :func:`checked`. The wrappers bind the
call's arguments to the kernel's signature and hand the activation's
parameters to a validator that :mod:`actlib.registry` installs from the
record (:meth:`actlib.Activation.check_params`), so a parameter's valid range
is written once, in the record.
"""

from __future__ import annotations

import decimal
import difflib
import functools
import inspect
import math
import numbers
from collections.abc import Callable, Iterable

import numpy as np

__all__ = ["short", "as_float_array", "check_param", "check_bool", "check_choice", "check_axis",
           "elementwise", "checked", "f32_exact", "f32_normal"]

_ACCEPTED = "a real number, a sequence of real numbers or a real numpy array"
_F64_MAX = float(np.finfo(np.float64).max)


def short(value, limit: int = 40) -> str:
    """``repr(value)``, abbreviated: huge integers by their number of digits."""
    if isinstance(value, int) and not isinstance(value, bool) and abs(value) > 10**30:
        return f"<an integer with {len(str(abs(value)))} digits>"
    text = repr(value)
    return text if len(text) <= limit else text[: limit - 3] + "..."


def _real_from_object(v, name: str, where: str) -> float:
    """One element of an object array as a float64, or a clear error."""
    if isinstance(v, (bool, np.bool_)):
        raise TypeError(f"{name} holds a bool ({v!r}){where}; actlib takes real numbers, "
                        "convert booleans with float()")
    if not isinstance(v, (numbers.Real, decimal.Decimal)):
        raise TypeError(f"{name} must be {_ACCEPTED}; it holds {short(v)} "
                        f"({type(v).__name__}){where}, which is not a real number")
    try:
        out = float(v)
    except OverflowError:
        out = math.inf
    if math.isinf(out) and not _is_inf(v):
        raise ValueError(f"{name} holds {short(v)}{where}, beyond the float64 range "
                         f"(magnitude at most {_F64_MAX:.4g}) that actlib computes in")
    return out


def as_float_array(x, name: str = "x") -> tuple[np.ndarray, np.dtype, bool]:
    """Return ``(array, out_dtype, was_scalar)`` for a real-valued input.

    float16/float32/float64 keep their dtype; integers, and object arrays of
    real numbers (Python ints of any size, ``Fraction``, ``Decimal``) become
    float64. Strings, bytes, ``None``, booleans, complex numbers, masked
    arrays, long doubles, torch tensors and values beyond the float64 range
    raise a ``TypeError`` or ``ValueError`` naming ``name``.
    """
    if x is None:
        raise TypeError(f"{name} must be {_ACCEPTED}, got None")
    if isinstance(x, (str, bytes, bytearray, memoryview)):
        kind = "a string" if isinstance(x, str) else f"a bytes-like object ({type(x).__name__})"
        raise TypeError(f"{name} must be {_ACCEPTED}, got {kind} ({short(x)})")
    if isinstance(x, (bool, np.bool_)):
        raise TypeError(f"{name} must be {_ACCEPTED}, got a bool ({x!r}); convert it with float()")
    if isinstance(x, complex):
        raise TypeError(f"{name} must be real, got the complex number {x!r}")
    if type(x).__module__.startswith("torch"):
        raise TypeError(
            f"{name} is a torch tensor; actlib's numpy functions take numpy arrays "
            "(use x.detach().cpu().numpy(), or the modules in actlib.nn)"
        )
    if isinstance(x, np.ma.MaskedArray):
        raise TypeError(f"{name} is a masked array, and actlib does not apply masks; pass "
                        f"{name}.filled(value) or {name}.data to say what the masked entries hold")
    try:
        arr = np.asarray(x)
    except (ValueError, TypeError, OverflowError) as exc:  # ragged lists and similar
        raise TypeError(f"{name} must be {_ACCEPTED}; numpy could not convert it: {exc}") from None
    was_scalar = arr.ndim == 0
    kind = arr.dtype.kind
    if kind == "f":
        if arr.dtype.itemsize > 8:
            raise TypeError(f"{name} has dtype {arr.dtype} (long double), which actlib does not "
                            f"compute in; convert it with {name}.astype(np.float64) (values beyond "
                            f"{_F64_MAX:.4g} become inf)")
        return arr, arr.dtype, was_scalar
    if kind in "iu":
        return arr.astype(np.float64), np.dtype(np.float64), was_scalar
    if kind == "b":
        raise TypeError(f"{name} must be {_ACCEPTED}, got a boolean array; convert it with .astype(float)")
    if kind == "c":
        raise TypeError(f"{name} must be real, got a complex array (dtype {arr.dtype})")
    if kind in "USa":
        raise TypeError(f"{name} must be {_ACCEPTED}, got strings (dtype {arr.dtype})")
    if kind == "O":
        out = np.empty(arr.shape, dtype=np.float64)
        for index, v in np.ndenumerate(arr):
            where = "" if was_scalar else f" at index {index}"
            out[index] = _real_from_object(v, name, where)
        return out, np.dtype(np.float64), was_scalar
    raise TypeError(f"{name} must be {_ACCEPTED}, got dtype {arr.dtype}")


def _is_inf(v) -> bool:
    """Whether ``v`` is itself an infinity (not a finite number too large for a float64)."""
    if isinstance(v, decimal.Decimal):
        return v.is_infinite()
    if isinstance(v, np.floating):
        return bool(np.isinf(v))  # a long double 1e400 is finite, though float() makes it inf
    return isinstance(v, float) and math.isinf(v)


def _interval(low, high, low_open, high_open) -> str:
    lo = "(" if low_open or low == -math.inf else "["
    hi = ")" if high_open or high == math.inf else "]"
    return f"{lo}{low:g}, {high:g}{hi}"


def check_param(
    name: str,
    value,
    low: float = -math.inf,
    high: float = math.inf,
    *,
    low_open: bool = False,
    high_open: bool = False,
    integer: bool = False,
    allow_inf: bool = False,
    allow_none: bool = False,
):
    """Validate a scalar parameter and return it as ``float`` (or ``int``, or ``None``).

    The message names the parameter, the value received and the valid range.

    Examples:
        >>> check_param("alpha", 2, 0.0)
        2.0
        >>> check_param("alpha", -1.0, 0.0)
        Traceback (most recent call last):
        ...
        ValueError: parameter alpha=-1.0 is out of range: it must lie in [0, inf)
    """
    if value is None and allow_none:
        return None
    if isinstance(value, np.ndarray) and value.ndim == 0 and value.dtype.kind in "iuf":
        value = value[()]
    what = "an integer" if integer else "a real number"
    if value is None or isinstance(value, (str, bytes, bool, np.bool_, complex)):
        extra = " or None" if allow_none else ""
        raise TypeError(f"parameter {name} must be {what}{extra}, got {short(value)}")
    if np.ndim(value) != 0:
        raise TypeError(f"parameter {name} must be a scalar, got an array of shape {np.shape(value)}")
    if not isinstance(value, (numbers.Real, decimal.Decimal)):
        raise TypeError(f"parameter {name} must be {what}, got {short(value)} ({type(value).__name__})")
    if integer:
        if not isinstance(value, numbers.Integral):
            if not math.isfinite(float(value)) or not float(value).is_integer():
                raise TypeError(f"parameter {name} must be an integer, got {short(value)}")
        value = int(value)
    else:
        given = value
        try:
            value = float(value)
        except OverflowError:
            value = math.inf
        if math.isinf(value) and not allow_inf and not _is_inf(given):
            raise ValueError(f"parameter {name}={short(given)} does not fit in a float64 "
                             f"(magnitude at most {_F64_MAX:.4g})")
        if math.isnan(value):
            raise ValueError(f"parameter {name} must be a number, got nan")
        if math.isinf(value) and not allow_inf:
            raise ValueError(f"parameter {name} must be finite, got {value}")
    too_low = value <= low if low_open else value < low
    too_high = value >= high if high_open else value > high
    if too_low or too_high:
        raise ValueError(f"parameter {name}={value!r} is out of range: it must lie in "
                         f"{_interval(low, high, low_open, high_open)}")
    return value


def check_bool(name: str, value) -> bool:
    """Return ``value`` as a ``bool``; anything but ``True``/``False`` raises ``TypeError``.

    Strings such as ``"no"`` are truthy in Python; a flag that silently read
    them as ``True`` would do the opposite of what was asked.
    """
    if isinstance(value, (bool, np.bool_)):
        return bool(value)
    raise TypeError(f"{name} must be True or False, got {short(value)} ({type(value).__name__})")


def check_choice(name: str, value, choices: Iterable[str], *, allow_none: bool = True):
    """Return ``value`` if it is one of ``choices`` (or ``None``), else raise naming the close one."""
    choices = tuple(choices)
    if value is None and allow_none:
        return None
    if not isinstance(value, str):
        raise TypeError(f"{name} must be a string{' or None' if allow_none else ''}, got "
                        f"{short(value)} ({type(value).__name__}); one of: {', '.join(choices)}")
    if value not in choices:
        close = difflib.get_close_matches(value, choices, n=1)
        hint = f" (did you mean {close[0]!r}?)" if close else ""
        raise ValueError(f"unknown {name} {value!r}{hint}; it must be one of: {', '.join(choices)}")
    return value


def check_axis(axis, ndim: int, name: str = "axis") -> int:
    """Normalise ``axis`` for an array with ``ndim`` dimensions, or raise."""
    if isinstance(axis, (bool, np.bool_)) or not isinstance(axis, numbers.Integral):
        raise TypeError(f"{name} must be an integer, got {short(axis)}")
    axis = int(axis)
    if ndim == 0:
        raise ValueError(f"{name}={axis} needs an input with at least one dimension, got a scalar")
    if not -ndim <= axis < ndim:
        raise ValueError(f"{name}={short(axis)} is out of range for an input with {ndim} dimension(s)")
    return axis % ndim


# ----------------------------------------------------------------------------
# Wrapping kernels as public functions
# ----------------------------------------------------------------------------

def _binder(kernel: Callable):
    """A function ``bind(args, kwargs) -> params`` for the arguments after ``x``.

    ``params`` holds every parameter of ``kernel`` (defaults filled in),
    passed through ``wrapper.check`` (installed by the registry) when the
    caller changed any of them.
    """
    sig = inspect.signature(kernel)
    names = list(sig.parameters)[1:]
    defaults = {n: sig.parameters[n].default for n in names}
    missing = [n for n, d in defaults.items() if d is inspect.Parameter.empty]
    if missing:
        raise RuntimeError(f"{kernel.__name__}: parameters {missing} need defaults")
    who = kernel.__name__

    def bind(wrapper, args, kwargs) -> dict:
        if not args and not kwargs:
            return wrapper.default_params
        if len(args) > len(names):
            raise TypeError(f"{who}() takes x and at most {len(names)} parameter(s) "
                            f"({', '.join(names) or 'none'}), got {len(args)} after x")
        params = dict(defaults)
        for key, value in zip(names, args, strict=False):
            params[key] = value
        for key, value in kwargs.items():
            if key not in defaults:
                close = difflib.get_close_matches(key, names, n=1)
                hint = f"; did you mean {close[0]!r}?" if close else ""
                raise TypeError(f"{who}() got an unexpected keyword argument {key!r}{hint} "
                                f"Its parameters: {', '.join(names) or 'none'}")
            if key in names[: len(args)]:
                raise TypeError(f"{who}() got multiple values for argument {key!r}")
            params[key] = value
        return wrapper.check(params)

    return bind, defaults


def _finish(out: np.ndarray, dtype: np.dtype, was_scalar: bool):
    # Rounding to a narrower dtype overflows only where the true value exceeds
    # that dtype's maximum (inf is then the correctly rounded result) and
    # underflows only where it is below the smallest subnormal (0 is then right).
    with np.errstate(over="ignore", under="ignore"):
        out = np.asarray(out).astype(dtype, copy=False)
    return out[()] if was_scalar else out


def _install(wrapper, kernel, bind, defaults):
    functools.update_wrapper(wrapper, kernel)
    wrapper.bind = lambda args, kwargs: bind(wrapper, args, kwargs)
    wrapper.check = dict  # replaced by the registry with the record's check_params
    wrapper.default_params = defaults
    return wrapper


def checked(kernel: Callable) -> Callable:
    """Wrap ``kernel(x, **params)`` so that its parameters are validated by the registry.

    For the functions that are not elementwise (softmax, Maxout, the GLUs and
    the Jacobians): the kernel converts ``x`` itself.
    """
    bind, defaults = _binder(kernel)

    def wrapper(x, *args, **kwargs):
        return kernel(x, **wrapper.bind(args, kwargs))

    return _install(wrapper, kernel, bind, defaults)


def elementwise(fn: Callable[..., np.ndarray] | None = None, *,
                native32: bool | Callable[..., bool] = False,
                redo64: Callable[..., np.ndarray] | None = None):
    """Wrap a kernel ``fn(x, **params)`` as a public elementwise function.

    The wrapper validates ``x`` and the parameters, silences overflow and
    underflow (every kernel is written so that an overflow or underflow it
    meets is the correctly rounded limit; the accuracy tests check the
    values), and returns the input's float dtype (float64 for integers); a
    scalar in gives a numpy scalar out.

    The kernel runs in float64 by default, so a float32 result is the
    correctly rounded value of a far more accurate one. ``native32`` (``True``,
    or a predicate of the parameters) runs a float32 input in float32
    instead, about twice as fast, for the parameter values where the float32
    accuracy tests (within 4 ULP of a 60-digit reference, parameters sampled
    over their whole range) pass that way. ``redo64(x, **params)`` marks the
    elements a float32 computation gets wrong (e.g. results in the subnormal
    range); with ``native32`` they alone are recomputed in float64.
    """

    def decorate(kernel):
        bind, defaults = _binder(kernel)

        def wrapper(x, *args, **kwargs):
            params = wrapper.bind(args, kwargs)
            arr, dtype, was_scalar = as_float_array(x)
            native = dtype == np.float32 and (native32(**params) if callable(native32) else native32)
            with np.errstate(over="ignore", under="ignore"):
                if not native:
                    return _finish(kernel(arr.astype(np.float64, copy=False), **params), dtype, was_scalar)
                out = kernel(arr, **params)
                if redo64 is not None:
                    bad = redo64(arr, **params)
                    if bad.any():
                        out = np.array(out, dtype=np.float32, copy=True)
                        out[bad] = kernel(arr[bad].astype(np.float64), **params)
            return _finish(out, dtype, was_scalar)

        return _install(wrapper, kernel, bind, defaults)

    return decorate(fn) if fn is not None else decorate


# ----------------------------------------------------------------------------
# When float32 arithmetic is accurate enough (the native-float32 choice)
# ----------------------------------------------------------------------------

_F32 = np.finfo(np.float32)


def f32_exact(*values) -> bool:
    """Whether every value (``None`` aside) is a float32 number exactly.

    A comparison ``x > theta`` made in float32 rounds ``theta`` first; it is
    only the comparison asked for when that rounding changes nothing.
    """
    with np.errstate(over="ignore"):
        return all(v is None or float(np.float32(v)) == v for v in values)


def f32_normal(value: float) -> bool:
    """Whether ``value`` is 0 or a normal float32, so ``value * x`` in float32 errs by at most 1 ULP."""
    return value == 0.0 or float(_F32.tiny) <= abs(value) <= float(_F32.max)
