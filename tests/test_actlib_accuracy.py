"""Accuracy of every elementwise activation and derivative against 50-digit mpmath.

float64: within 1e-12 relative error. float32: within 4 ULP of the correctly
rounded reference. The references (tests/references.py) are written from the
definitions, independently of actlib.
"""

from __future__ import annotations

import numpy as np
import pytest
from references import DERIVATIVE, FORWARD

import actlib

ELEMENTWISE = actlib.names(kind="elementwise")

# Points spread over many scales; kinks (0, ±3, 6, ±2.5, θ=1, 20) are avoided
# for derivatives, where the value at the kink is a convention tested elsewhere.
POINTS = np.array([
    -700.0, -50.0, -20.0, -10.0, -5.5, -3.7, -2.2, -1.3, -0.6, -0.1, -1e-3, -1e-8, -1e-300,
    1e-300, 1e-8, 1e-3, 0.1, 0.6, 1.3, 2.2, 3.7, 5.5, 10.0, 19.0, 50.0, 700.0, 1e10,
])

# Non-default parameters to test besides the defaults.
PARAMS = {
    "softplus": [dict(beta=2.0, threshold=np.inf), dict(beta=0.5, threshold=20.0)],
    "clipped_relu": [dict(max_value=6.0)],
    "leaky_relu": [dict(negative_slope=0.2)],
    "prelu": [dict(a=-0.3), dict(a=1.5)],
    "rrelu": [dict(lower=0.1, upper=0.3)],
    "thresholded_relu": [dict(theta=0.5)],
    "elu": [dict(alpha=0.5), dict(alpha=2.0)],
    "celu": [dict(alpha=0.5)],
    "swish": [dict(beta=0.0), dict(beta=2.5)],
}


def cases():
    for name in ELEMENTWISE:
        yield pytest.param(name, {}, id=name)
        for i, p in enumerate(PARAMS.get(name, [])):
            yield pytest.param(name, p, id=f"{name}-{i}")


def _ref_f64(table, name, x, params):
    return np.array([float(table[name](mp_x, **params)) for mp_x in map(_mpf, x)])


def _mpf(v):
    import mpmath

    return mpmath.mpf(float(v))


def assert_close_rel(x, got, ref, rtol, what):
    got = np.asarray(got, dtype=np.float64)
    err = np.abs(got - ref)
    bad = ~((err <= rtol * np.abs(ref)) | (got == ref) | (err < 1e-300))
    if bad.any():
        i = np.flatnonzero(bad)[0]
        rel = err[i] / abs(ref[i]) if ref[i] else err[i]
        pytest.fail(f"{what}: at x={x[i]!r} got {got[i]!r}, reference {ref[i]!r} "
                    f"(relative error {rel:.3g})")


def ulp_distance(a: np.ndarray, b: np.ndarray) -> np.ndarray:
    """Number of float32 values between a and b (0 when equal, signed zeros equal)."""
    def ordered(v):
        i = np.asarray(v, dtype=np.float32).view(np.int32).astype(np.int64)
        return np.where(i < 0, -(i & 0x7FFFFFFF), i)
    return np.abs(ordered(a) - ordered(b))


def _kink_free(name, params, x):
    """Drop points that sit on a kink of ``name`` (derivative is a convention there)."""
    if name == "thresholded_relu":
        kinks = [params.get("theta", 1.0)]
    elif name == "clipped_relu":
        kinks = [0.0, params.get("max_value", 20.0)]
    elif name == "softplus":
        kinks = [params.get("threshold", 20.0) / params.get("beta", 1.0)]
    else:
        kinks = [0.0]
    keep = np.ones(x.shape, bool)
    for k in filter(np.isfinite, kinks):
        keep &= np.abs(x - k) > 1e-6 * max(1.0, abs(k))
    return x[keep]


@pytest.mark.parametrize(("name", "params"), list(cases()))
def test_forward_float64_within_1e_12(name, params):
    rec = actlib.get(name)
    ref = _ref_f64(FORWARD, name, POINTS, params)
    assert_close_rel(POINTS, rec.fn(POINTS, **params), ref, 1e-12, f"{name}{params}")


@pytest.mark.parametrize(("name", "params"), list(cases()))
def test_derivative_float64_within_1e_12(name, params):
    rec = actlib.get(name)
    x = _kink_free(name, params, POINTS)
    ref = _ref_f64(DERIVATIVE, name, x, params)
    assert_close_rel(x, rec.derivative(x, **params), ref, 1e-12, f"d {name}{params}")


def _float32_points():
    rng = np.random.default_rng(2024)
    mags = np.exp(rng.uniform(np.log(1e-6), np.log(90.0), 150))
    x = np.concatenate([mags, -mags, POINTS[np.abs(POINTS) < 1e30]]).astype(np.float32)
    return x[np.isfinite(x)]


X32 = _float32_points()


@pytest.mark.parametrize(("name", "params"), list(cases()))
def test_forward_float32_within_4_ulp(name, params):
    rec = actlib.get(name)
    out = rec.fn(X32, **params)
    assert out.dtype == np.float32
    ref = _ref_f64(FORWARD, name, X32, params).astype(np.float32)
    d = ulp_distance(out, ref)
    i = int(np.argmax(d))
    assert d[i] <= 4, f"{name}{params}: {d[i]} ULP at x={X32[i]!r}: got {out[i]!r}, want {ref[i]!r}"


@pytest.mark.parametrize(("name", "params"), list(cases()))
def test_derivative_float32_within_4_ulp(name, params):
    rec = actlib.get(name)
    x = _kink_free(name, params, X32)
    out = rec.derivative(x, **params)
    assert out.dtype == np.float32
    ref = _ref_f64(DERIVATIVE, name, x, params).astype(np.float32)
    d = ulp_distance(out, ref)
    i = int(np.argmax(d))
    assert d[i] <= 4, f"d {name}{params}: {d[i]} ULP at x={x[i]!r}: got {out[i]!r}, want {ref[i]!r}"


def test_hard_sigmoid_keras_accurate_next_to_its_corner():
    """0.2x + 0.5 cancels near x = -2.5; the float32 result must still be correctly rounded."""
    x = np.nextafter(np.float32(-2.5), np.float32(0), dtype=np.float32)
    got = actlib.hard_sigmoid_keras(x)
    want = np.float32(float(FORWARD["hard_sigmoid_keras"](_mpf(x))))
    assert got == want and got > 0


def _dense_float32():
    mags = np.logspace(-30, 38, 40_000, dtype=np.float64)
    core = np.linspace(-12.0, 12.0, 40_001)
    x = np.concatenate([mags, -mags, core]).astype(np.float32)
    return x[np.isfinite(x)]


DENSE32 = _dense_float32()


@pytest.mark.parametrize("name", ELEMENTWISE)
def test_float32_dense_sweep_within_4_ulp_of_the_float64_path(name):
    """120k float32 inputs: the float32 result is within 4 ULP of the float64 result rounded.

    The float64 path is itself within 1e-12 of mpmath (above), so it is an exact
    reference at float32 precision; this sweep covers far more points than mpmath can.
    """
    rec = actlib.get(name)
    funcs = [("f", rec.fn), ("f'", rec.derivative), *rec.param_derivatives.items()]
    for label, fn in funcs:
        x = DENSE32 if label != "f'" else _kink_free(name, {}, DENSE32)
        got = fn(x)
        want = fn(x.astype(np.float64)).astype(np.float32)
        d = ulp_distance(got, want)
        both_nan = np.isnan(got) & np.isnan(want)
        d[both_nan] = 0
        i = int(np.argmax(d))
        assert d[i] <= 4, f"{name} {label}: {d[i]} ULP at x={x[i]!r}: got {got[i]!r}, want {want[i]!r}"
