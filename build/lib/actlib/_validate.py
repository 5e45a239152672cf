"""Input and parameter checking shared by every function in :mod:`actlib`.

Bad input gets a ``TypeError`` or ``ValueError`` whose message names the
argument and the problem, before any arithmetic happens.
"""

from __future__ import annotations

import math
import numbers
from collections.abc import Callable

import numpy as np

__all__ = ["as_float_array", "check_axis", "check_flag", "check_param", "elementwise"]

_ACCEPTED = "a real number, a sequence of real numbers or a real numpy array"


def as_float_array(x, name: str = "x") -> tuple[np.ndarray, np.dtype, bool]:
    """Return ``(array, out_dtype, was_scalar)`` for a real-valued input.

    float16/float32/float64 keep their dtype; integers become float64.
    Strings, ``None``, booleans, complex numbers and object arrays raise
    ``TypeError`` naming ``name``.
    """
    if x is None:
        raise TypeError(f"{name} must be {_ACCEPTED}, got None")
    if isinstance(x, (str, bytes)):
        raise TypeError(f"{name} must be {_ACCEPTED}, got a string ({x!r:.40})")
    if isinstance(x, (bool, np.bool_)):
        raise TypeError(f"{name} must be {_ACCEPTED}, got a bool ({x!r}); convert it with float()")
    if isinstance(x, complex):
        raise TypeError(f"{name} must be real, got the complex number {x!r}")
    if type(x).__module__.startswith("torch"):
        raise TypeError(
            f"{name} is a torch tensor; actlib's numpy functions take numpy arrays "
            "(use x.detach().cpu().numpy(), or the modules in actlib.nn)"
        )
    try:
        arr = np.asarray(x)
    except (ValueError, TypeError) as exc:  # ragged lists and similar
        raise TypeError(f"{name} must be {_ACCEPTED}; numpy could not convert it: {exc}") from None
    was_scalar = arr.ndim == 0
    kind = arr.dtype.kind
    if kind == "f":
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
        raise TypeError(
            f"{name} must be {_ACCEPTED}, got an object array (it holds something that is not a "
            "real number, e.g. None, a string, or sequences of different lengths)"
        )
    raise TypeError(f"{name} must be {_ACCEPTED}, got dtype {arr.dtype}")


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
):
    """Validate a scalar parameter and return it as ``float`` (or ``int``).

    The message names the parameter, the value received and the valid range.
    """
    if value is None or isinstance(value, (str, bytes, bool, np.bool_)) or isinstance(
        value, complex
    ):
        raise TypeError(f"parameter {name} must be a real number, got {value!r}")
    if np.ndim(value) != 0:
        raise TypeError(f"parameter {name} must be a scalar, got an array of shape {np.shape(value)}")
    if integer:
        if not isinstance(value, numbers.Integral):
            if isinstance(value, numbers.Real) and float(value).is_integer():
                value = int(value)
            else:
                raise TypeError(f"parameter {name} must be an integer, got {value!r}")
        value = int(value)
    else:
        if not isinstance(value, numbers.Real):
            raise TypeError(f"parameter {name} must be a real number, got {value!r}")
        value = float(value)
        if math.isnan(value):
            raise ValueError(f"parameter {name} must be a number, got nan")
        if math.isinf(value) and not allow_inf:
            raise ValueError(f"parameter {name} must be finite, got {value}")
    too_low = value <= low if low_open else value < low
    too_high = value >= high if high_open else value > high
    if too_low or too_high:
        lo = "(" if low_open else "["
        hi = ")" if high_open else "]"
        raise ValueError(f"parameter {name}={value!r} is out of range: it must lie in {lo}{low}, {high}{hi}")
    return value


def check_flag(name: str, value) -> bool:
    """Validate a yes/no argument: only ``True`` and ``False`` (or numpy bools) pass.

    A string such as ``"no"`` is truthy in Python, so accepting any object would
    silently turn it on; the message names the argument and what was given.
    """
    if isinstance(value, (bool, np.bool_)):
        return bool(value)
    raise TypeError(f"{name} must be True or False, got {value!r}")


def check_axis(axis, ndim: int, name: str = "axis") -> int:
    """Normalise ``axis`` for an array with ``ndim`` dimensions, or raise."""
    if isinstance(axis, (bool, np.bool_)) or not isinstance(axis, numbers.Integral):
        raise TypeError(f"{name} must be an integer, got {axis!r}")
    axis = int(axis)
    if ndim == 0:
        raise ValueError(f"{name}={axis} needs an input with at least one dimension, got a scalar")
    if not -ndim <= axis < ndim:
        raise ValueError(f"{name}={axis} is out of range for an input with {ndim} dimension(s)")
    return axis % ndim


def _finish(out: np.ndarray, dtype: np.dtype, was_scalar: bool):
    # Rounding to a narrower dtype overflows only where the true value exceeds
    # that dtype's maximum (inf is then the correctly rounded result) and
    # underflows only where it is below the smallest subnormal (0 is then right).
    with np.errstate(over="ignore", under="ignore"):
        out = out.astype(dtype, copy=False)
    return out[()] if was_scalar else out


def elementwise(fn: Callable[..., np.ndarray] | None = None, *, native32: bool = False,
                redo64: Callable[..., np.ndarray] | None = None):
    """Wrap a kernel ``fn(x, **params)`` as a public elementwise function.

    The wrapper validates ``x``, silences harmless underflow, and returns the
    input's float dtype (float64 for integers); a scalar in gives a numpy
    scalar out. The kernel runs in float64, so a float32 result is correctly
    rounded from a far more accurate value and cancellations (``x + 2.5``
    near ``-2.5``) stay harmless. With ``native32=True`` a float32 input is
    computed in float32 instead, about twice as fast; a kernel gets that flag
    only where the float32 accuracy tests (within 4 ULP of a 50-digit
    reference) pass that way. ``redo64(x, **params)`` marks the elements a
    float32 computation gets wrong (e.g. results that fall in the subnormal
    range); with ``native32`` they alone are recomputed in float64.
    """

    def decorate(kernel):
        def wrapper(x, *args, **kwargs):
            arr, dtype, was_scalar = as_float_array(x)
            work = np.float32 if (native32 and dtype == np.float32) else np.float64
            with np.errstate(under="ignore"):
                out = kernel(arr.astype(work, copy=False), *args, **kwargs)
                if work is np.float32 and redo64 is not None:
                    bad = redo64(arr, *args, **kwargs)
                    if bad.any():
                        out = np.array(out, dtype=np.float32, copy=True)
                        out[bad] = kernel(arr[bad].astype(np.float64), *args, **kwargs)
            return _finish(out, dtype, was_scalar)

        wrapper.__name__ = kernel.__name__
        wrapper.__qualname__ = kernel.__qualname__
        wrapper.__doc__ = kernel.__doc__
        wrapper.__module__ = kernel.__module__
        wrapper.__wrapped__ = kernel
        return wrapper

    return decorate(fn) if fn is not None else decorate
