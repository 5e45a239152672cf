"""Accuracy of every elementwise activation and derivative against 60-digit mpmath.

float64: within 1e-12 relative error (plus two units of the smallest subnormal,
the rounding of a result in the subnormal range). float32: within 4 ULP of the
correctly rounded reference. The references (tests/references.py) are written
from the definitions, independently of actlib.

Three layers:

* fixed points at the default parameters, including the tails (where a gate
  is subnormal), the neighbourhoods of the derivatives' zeros and of the
  kinks;
* parameters drawn by hypothesis over each record's whole valid range (from
  the smallest subnormal to the largest double where the range allows), each
  draw checked at about 150 points in float64 and in float32;
* a dense float32 sweep (120,000 points) against the float64 path, at the
  defaults and at drawn parameters, for the native float32 kernels.
"""

from __future__ import annotations

import mpmath
import numpy as np
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from references import DERIVATIVE, FORWARD, PARAM_DERIVATIVE
from strategies import draw_params

import actlib
from actlib._kernels import GELU_ARGMIN, GELU_TANH_ARGMIN, MISH_ARGMIN, SILU_ARGMIN

ELEMENTWISE = [r for r in actlib.REGISTRY.values() if r.elementwise]
PARAMETRISED = [r for r in ELEMENTWISE if r.params]
TINY = 2.0 ** -1074

# --------------------------------------------------------------------------------------------
# Helpers
# --------------------------------------------------------------------------------------------


def functions_of(rec):
    """``(label, actlib function, reference)`` for f, f' and every parameter derivative."""
    out = [("f", rec.fn, FORWARD[rec.name]), ("f'", rec.derivative, DERIVATIVE[rec.name])]
    out += [(f"df/d{p}", fn, PARAM_DERIVATIVE[rec.name, p]) for p, fn in rec.param_derivatives.items()]
    return out


def reference(ref, x, params) -> np.ndarray:
    return np.array([float(ref(mpmath.mpf(float(v)), **params)) for v in x])


def off_kinks(rec, params, x):
    """Drop points on or next to a kink, where the derivative (or a jump) is a convention."""
    keep = np.ones(x.shape, bool)
    xf = x.astype(np.float64)
    for k in rec.kinks_at(**params):
        if np.isfinite(k):
            with np.errstate(over="ignore"):
                keep &= np.abs(xf - k) > 1e-9 * max(abs(k), 1e-300)
    return x[keep]


def assert_float64_close(x, got, want, what):
    with np.errstate(invalid="ignore", over="ignore"):
        err = np.abs(got - want)
        ok = (err <= 1e-12 * np.abs(want) + 2 * TINY) | (got == want) | (np.isnan(got) & np.isnan(want))
    if not ok.all():
        i = np.flatnonzero(~ok)[0]
        rel = err[i] / abs(want[i]) if want[i] else err[i]
        pytest.fail(f"{what}: at x={x[i]!r} got {got[i]!r}, reference {want[i]!r} (relative error {rel:.3g})")


def ulp_distance(a, b) -> np.ndarray:
    """Number of float32 values between a and b (0 when equal, signed zeros equal, both NaN 0)."""
    def ordered(v):
        i = np.asarray(v, dtype=np.float32).view(np.int32).astype(np.int64)
        return np.where(i < 0, -(i & 0x7FFFFFFF), i)
    d = np.abs(ordered(a) - ordered(b))
    d[np.isnan(a) & np.isnan(b)] = 0
    return d


def assert_float32_close(x, got, want, what):
    assert got.dtype == np.float32, what
    d = ulp_distance(got, want)
    i = int(np.argmax(d))
    assert d[i] <= 4, f"{what}: {d[i]} ULP at x={x[i]!r}: got {got[i]!r}, want {want[i]!r}"


# --------------------------------------------------------------------------------------------
# Points
# --------------------------------------------------------------------------------------------

def _roots() -> dict[str, list[float]]:
    """Zeros of the derivatives at the default parameters, where f' is a difference of equals."""
    return {"gelu": [GELU_ARGMIN[0]], "gelu_tanh": [GELU_TANH_ARGMIN[0]], "mish": [MISH_ARGMIN[0]],
            "silu": [SILU_ARGMIN[0]], "swish": [SILU_ARGMIN[0]], "hard_swish": [-1.5],
            "gelu_sigmoid": [SILU_ARGMIN[0] / actlib.GELU_SIGMOID_COEFF]}


def around(centres, offsets=(0.3, 1e-2, 1e-4, 1e-6, 1e-9, 1e-12, 1e-15)):
    """Points at relative distances ``offsets`` on either side of each centre, and its neighbours."""
    pts = []
    for c in centres:
        if not np.isfinite(c) or c == 0:
            continue
        pts += [c * (1 + s * o) for o in offsets for s in (-1, 1)]
        with np.errstate(over="ignore"):  # a kink at the largest double has no neighbour above
            pts += [np.nextafter(c, -np.inf), np.nextafter(c, np.inf), c]
    return pts


#: Points spread over every scale of the double range, and the gates' tails.
MAGNITUDES = np.concatenate([np.logspace(-300, 300, 41), np.linspace(0.05, 12, 48),
                             [0.6, 1.3, 2.2, 3.7, 5.5, 19.0, 20.5, 37.2, 37.6, 37.9, 38.3, 38.6, 50.0,
                              88.7, 103.0, 355.0, 372.0, 700.0, 708.5, 720.0, 740.0, 744.5, 1e4]])
POINTS = np.unique(np.concatenate([MAGNITUDES, -MAGNITUDES]))
GELU_TAIL = np.linspace(-38.7, -37.0, 35)  # where Phi(x) is subnormal but x Phi(x) is not


def default_points(rec):
    pts = [POINTS, around(_roots().get(rec.name, []))]
    if rec.name in ("gelu", "gelu_tanh", "silu", "swish", "mish", "gelu_sigmoid"):
        pts.append(GELU_TAIL)
    return np.unique(np.concatenate(pts))


def param_points(rec, params) -> np.ndarray:
    """Points that matter at these parameters: the kinks' neighbourhoods, the zeros of f'
    (Swish's moves with beta) and the tails, where beta x reaches the subnormal range."""
    pts = [POINTS, around(rec.kinks_at(**params))]
    beta = params.get("beta")
    if beta:
        pts.append(around([SILU_ARGMIN[0] / beta]))
        pts.append([c / beta for c in (-700.0, -708.5, -720.0, -745.0, 30.0, 40.0, 700.0)])
    alpha = params.get("alpha")
    if alpha:
        pts.append([alpha * c for c in (-1e-6, -1e-3, -0.5, -3.0, -40.0, -700.0, -740.0)])
    with np.errstate(over="ignore"):
        x = np.concatenate([np.asarray(p, dtype=np.float64) for p in pts])
    return np.unique(x[np.isfinite(x)])


# --------------------------------------------------------------------------------------------
# Fixed points at the defaults
# --------------------------------------------------------------------------------------------

@pytest.mark.parametrize("rec", ELEMENTWISE, ids=lambda r: r.name)
def test_float64_within_1e_12_at_the_defaults(rec):
    x = off_kinks(rec, {}, default_points(rec))
    for label, fn, ref in functions_of(rec):
        assert_float64_close(x, fn(x), reference(ref, x, {}), f"{label} {rec.name}")


@pytest.mark.parametrize("rec", ELEMENTWISE, ids=lambda r: r.name)
def test_float32_within_4_ulp_at_the_defaults(rec):
    with np.errstate(over="ignore"):
        x = np.unique(default_points(rec).astype(np.float32))
    x = off_kinks(rec, {}, x[np.isfinite(x)])
    for label, fn, ref in functions_of(rec):
        want = reference(ref, x.astype(np.float64), {})
        with np.errstate(over="ignore", under="ignore"):
            want = want.astype(np.float32)
        assert_float32_close(x, fn(x), want, f"{label} {rec.name}")


@pytest.mark.parametrize("name", ["gelu", "gelu_tanh", "silu", "mish", "gelu_sigmoid", "swish"])
def test_gates_are_exact_down_to_underflow(name):
    """In the left tail the value is a subnormal number: every digit it has must be right."""
    rec = actlib.get(name)
    x = np.linspace({"gelu": -38.7, "gelu_tanh": -22.0, "gelu_sigmoid": -440.0}.get(name, -746.0),
                    {"gelu": -37.0, "gelu_tanh": -20.5, "gelu_sigmoid": -410.0}.get(name, -700.0), 200)
    for label, fn, ref in functions_of(rec):
        got, want = fn(x), reference(ref, x, {})
        assert (want != 0).any() and (np.abs(want) < 2.3e-308).any(), "the sweep must reach subnormals"
        err = np.abs(got - want)
        assert (err <= 1e-12 * np.abs(want) + TINY).all(), f"{label} {name}: {np.max(err / TINY):.0f} units"


def test_softplus_is_exact_by_default_and_monotonic_across_20():
    """PyTorch's default shortcut (x for x > 20) errs by e^-20 and steps down at 20."""
    x = np.array([20.0, np.nextafter(20.0, 21.0), 20.5, 30.0])
    want = reference(FORWARD["softplus"], x, {})
    assert_float64_close(x, actlib.softplus(x), want, "softplus")
    assert (np.diff(actlib.softplus(x)) > 0).all()
    shortcut = actlib.softplus(x, threshold=20.0)
    assert shortcut[1] == x[1] < shortcut[0]  # what the shortcut does


# --------------------------------------------------------------------------------------------
# Parameters drawn over their whole valid range
# --------------------------------------------------------------------------------------------

SAMPLED = settings(max_examples=25, deadline=None, derandomize=True,
                   suppress_health_check=[HealthCheck.too_slow, HealthCheck.filter_too_much])


@pytest.mark.parametrize("rec", PARAMETRISED, ids=lambda r: r.name)
@SAMPLED
@given(data=st.data())
def test_float64_within_1e_12_over_the_parameter_range(rec, data):
    params = draw_params(data, rec)
    x = off_kinks(rec, params, param_points(rec, params))
    for label, fn, ref in functions_of(rec):
        assert_float64_close(x, fn(x, **params), reference(ref, x, params), f"{label} {rec.name}{params}")


@pytest.mark.parametrize("rec", PARAMETRISED, ids=lambda r: r.name)
@SAMPLED
@given(data=st.data())
def test_float32_within_4_ulp_over_the_parameter_range(rec, data):
    params = draw_params(data, rec)
    with np.errstate(over="ignore"):
        x = np.unique(param_points(rec, params).astype(np.float32))
    x = off_kinks(rec, params, x[np.isfinite(x)])
    for label, fn, ref in functions_of(rec):
        with np.errstate(over="ignore", under="ignore"):
            want = reference(ref, x.astype(np.float64), params).astype(np.float32)
        assert_float32_close(x, fn(x, **params), want, f"{label} {rec.name}{params}")


# --------------------------------------------------------------------------------------------
# Dense float32 sweep against the float64 path
# --------------------------------------------------------------------------------------------

def _dense_float32():
    mags = np.logspace(-45, 38.5, 40_000, dtype=np.float64)
    core = np.linspace(-12.0, 12.0, 40_001)
    with np.errstate(over="ignore"):
        x = np.concatenate([mags, -mags, core]).astype(np.float32)
    return x[np.isfinite(x)]


DENSE32 = _dense_float32()


def _sweep(rec, params):
    """The float32 result is within 4 ULP of the float64 result rounded to float32.

    The float64 path is itself within 1e-12 of mpmath (above), so it is an exact
    reference at float32 precision; this sweep covers far more points than mpmath can.
    """
    x = off_kinks(rec, params, DENSE32)
    for label, fn, _ in functions_of(rec):
        got = fn(x, **params)
        with np.errstate(over="ignore", under="ignore"):
            want = fn(x.astype(np.float64), **params).astype(np.float32)
        assert_float32_close(x, got, want, f"{label} {rec.name}{params}")


@pytest.mark.parametrize("rec", ELEMENTWISE, ids=lambda r: r.name)
def test_float32_dense_sweep_at_the_defaults(rec):
    _sweep(rec, {})


@pytest.mark.parametrize("rec", PARAMETRISED, ids=lambda r: r.name)
@settings(max_examples=8, deadline=None, derandomize=True,
          suppress_health_check=[HealthCheck.too_slow, HealthCheck.filter_too_much])
@given(data=st.data())
def test_float32_dense_sweep_over_the_parameter_range(rec, data):
    _sweep(rec, draw_params(data, rec))


def test_hard_sigmoid_keras_accurate_next_to_its_corner():
    """0.2x + 0.5 cancels near x = -2.5; the float32 result must still be correctly rounded."""
    x = np.nextafter(np.float32(-2.5), np.float32(0), dtype=np.float32)
    got = actlib.hard_sigmoid_keras(x)
    want = np.float32(float(FORWARD["hard_sigmoid_keras"](mpmath.mpf(float(x)))))
    assert got == want and got > 0
