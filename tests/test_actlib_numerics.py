"""Dtypes, extreme inputs, NaN and infinities, for every registry activation."""

from __future__ import annotations

import warnings

import numpy as np
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from strategies import draw_params

import actlib

ALL = list(actlib.REGISTRY)
ELEMENTWISE = actlib.names(kind="elementwise")


def sample_input(rec, dtype=np.float64, rng=None):
    """An input of a shape every kind accepts (last axis even and divisible by k=2)."""
    rng = rng or np.random.default_rng(0)
    return rng.normal(size=(3, 8)).astype(dtype)


def call(rec, x, **params):
    return rec.fn(x, **params)


@pytest.mark.parametrize("name", ALL)
@pytest.mark.parametrize("dtype", [np.float32, np.float64])
def test_float_dtype_is_kept(name, dtype):
    rec = actlib.get(name)
    x = sample_input(rec, dtype)
    assert call(rec, x).dtype == dtype
    if rec.elementwise:
        assert rec.derivative(x).dtype == dtype
        for d in rec.param_derivatives.values():
            assert d(x).dtype == dtype


@pytest.mark.parametrize("name", ALL)
@pytest.mark.parametrize("int_dtype", [np.int8, np.int32, np.int64, np.uint16])
def test_integer_input_is_promoted_to_float64(name, int_dtype):
    rec = actlib.get(name)
    x = np.arange(-4, 4).astype(int_dtype) if np.dtype(int_dtype).kind == "i" else np.arange(8).astype(int_dtype)
    out = call(rec, x.reshape(2, 4))
    assert out.dtype == np.float64
    np.testing.assert_array_equal(out, call(rec, x.reshape(2, 4).astype(np.float64)))


@pytest.mark.parametrize("name", ELEMENTWISE)
def test_python_scalar_gives_numpy_scalar(name):
    out = actlib.get(name).fn(0.5)
    assert isinstance(out, np.floating) and np.ndim(out) == 0


@pytest.mark.parametrize("name", ELEMENTWISE)
def test_shape_is_kept(name):
    x = np.linspace(-3, 3, 24).reshape(2, 3, 4)
    assert actlib.get(name).fn(x).shape == x.shape
    assert actlib.get(name).derivative(x).shape == x.shape


def _extremes(dtype):
    big = np.finfo(dtype).max
    return np.array([-big, -1e30, -1e4, -1e3, -88.7, -1.0, -np.finfo(dtype).tiny, 0.0,
                     np.finfo(dtype).tiny, 1.0, 88.7, 1e3, 1e4, 1e30, big], dtype=dtype)


@pytest.mark.parametrize("name", ELEMENTWISE)
@pytest.mark.parametrize("dtype", [np.float32, np.float64])
def test_no_warning_and_no_nan_for_any_finite_input(name, dtype):
    rec = actlib.get(name)
    x = _extremes(dtype)
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        with np.errstate(all="raise"):
            outs = [rec.fn(x), rec.derivative(x)] + [d(x) for d in rec.param_derivatives.values()]
    for out in outs:
        assert not np.isnan(out).any(), f"{name} gave NaN for finite input {x[np.isnan(out)]}"


@pytest.mark.parametrize("rec", [r for r in actlib.REGISTRY.values() if r.elementwise and r.params],
                         ids=lambda r: r.name)
@settings(max_examples=40, deadline=None, derandomize=True,
          suppress_health_check=[HealthCheck.too_slow, HealthCheck.filter_too_much])
@given(data=st.data())
def test_no_warning_and_no_nan_at_any_valid_parameters(rec, data):
    """softplus(0, beta=1e-320) gave inf correctly, but warned: every valid parameter, every finite x."""
    params = draw_params(data, rec)
    for dtype in (np.float32, np.float64):
        x = _extremes(dtype)
        with warnings.catch_warnings():
            warnings.simplefilter("error")
            with np.errstate(all="raise"):
                outs = [rec.fn(x, **params), rec.derivative(x, **params)]
                outs += [d(x, **params) for d in rec.param_derivatives.values()]
        for out in outs:
            assert out.dtype == dtype and not np.isnan(out).any(), f"{rec.name}{params}: {out}"


@pytest.mark.parametrize("name", [n for n in ALL if not actlib.get(n).elementwise])
def test_vector_activations_raise_no_warning_at_extremes(name):
    rec = actlib.get(name)
    x = np.array([[-1e308, 1e308, 0.0, 1e4], [1e4, 1e4, -1e4, 0.0]])
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        with np.errstate(all="raise"):
            out = rec.fn(x)
            jac = rec.derivative(x)
    assert not np.isnan(out).any() and not np.isnan(jac).any()


@pytest.mark.parametrize("name", ALL)
def test_nan_propagates(name):
    rec = actlib.get(name)
    x = sample_input(rec)
    x[1, 3] = np.nan
    out = call(rec, x)
    assert np.isnan(out).any()
    if rec.elementwise:
        assert np.isnan(out[1, 3]) and not np.isnan(np.delete(out.ravel(), 11)).any()
        assert np.isnan(rec.derivative(x)[1, 3])
    elif rec.name in ("softmax", "log_softmax"):
        assert np.isnan(out[1]).all() and not np.isnan(out[[0, 2]]).any()


@pytest.mark.parametrize("name", ELEMENTWISE)
def test_infinities_give_the_limits(name):
    rec = actlib.get(name)
    lo, hi = rec.properties.limits
    out = rec.fn(np.array([-np.inf, np.inf]))
    assert out[0] == lo and out[1] == hi, f"{name}(±inf) = {out}, limits {lo, hi}"
    # and the derivative's limits are numbers, never NaN: 0 or a slope, or ±inf where the
    # derivative grows without bound (squared ReLU's 2x), as it does at ±1e300 already
    d = rec.derivative(np.array([-np.inf, np.inf]))
    far = rec.derivative(np.array([-1e300, 1e300]))
    assert (np.isfinite(d) | ((d == np.copysign(np.inf, far)) & (np.abs(far) > 1e290))).all(), (d, far)


def test_softmax_is_stable_for_large_equal_logits():
    np.testing.assert_array_equal(actlib.softmax([1000.0, 1000.0, 0.0]), [0.5, 0.5, 0.0])
    np.testing.assert_allclose(actlib.log_softmax([1000.0, 1000.0, 0.0]),
                               [-np.log(2), -np.log(2), -1000 - np.log(2)], rtol=1e-15)


def test_softmax_infinite_logits():
    np.testing.assert_array_equal(actlib.softmax([np.inf, 0.0, np.inf]), [0.5, 0.0, 0.5])
    np.testing.assert_array_equal(actlib.softmax([-np.inf, 0.0]), [0.0, 1.0])
    assert np.isnan(actlib.softmax([-np.inf, -np.inf])).all()


def test_softmax_axis_and_sum():
    x = np.random.default_rng(1).normal(size=(4, 5, 6)) * 30
    for axis in (0, 1, 2, -1, -3):
        s = actlib.softmax(x, axis=axis)
        np.testing.assert_allclose(s.sum(axis=axis), 1.0, rtol=1e-14)
        assert (s >= 0).all()


def test_softmax_is_shift_invariant():
    x = np.random.default_rng(2).normal(size=(3, 7))
    np.testing.assert_allclose(actlib.softmax(x + 123.0), actlib.softmax(x), rtol=1e-13)


def test_two_class_softmax_is_sigmoid_of_difference():
    x = np.random.default_rng(3).normal(size=(50, 2)) * 5
    np.testing.assert_allclose(actlib.softmax(x)[:, 0], actlib.sigmoid(x[:, 0] - x[:, 1]), rtol=1e-13)


def test_softmax_temperature_limits():
    x = np.array([1.0, 2.0, 3.0])
    np.testing.assert_allclose(actlib.softmax(x, temperature=1e6), np.full(3, 1 / 3), rtol=1e-5)
    np.testing.assert_allclose(actlib.softmax(x, temperature=1e-3), [0, 0, 1], atol=1e-300)


def test_maxout_groups_consecutive_pieces():
    x = np.array([[1.0, -2.0, 0.5, 3.0, -1.0, -4.0]])
    np.testing.assert_array_equal(actlib.maxout(x, k=2), [[1.0, 3.0, -1.0]])
    np.testing.assert_array_equal(actlib.maxout(x, k=3), [[1.0, 3.0]])
    np.testing.assert_array_equal(actlib.maxout(x.T, k=2, axis=0), [[1.0], [3.0], [-1.0]])


def test_glu_and_swiglu_halve_the_axis():
    x = np.random.default_rng(4).normal(size=(5, 8))
    a, b = x[:, :4], x[:, 4:]
    np.testing.assert_allclose(actlib.glu(x), a / (1 + np.exp(-b)), rtol=1e-14)
    np.testing.assert_allclose(actlib.swiglu(x), a * b / (1 + np.exp(-b)), rtol=1e-14)
    with pytest.raises(ValueError, match="even"):
        actlib.glu(x, axis=0)


def test_rrelu_training_draws_slopes_in_range_and_eval_uses_mean():
    x = -np.ones(10_000)
    rng = np.random.default_rng(5)
    out = actlib.rrelu(x, lower=0.1, upper=0.3, training=True, rng=rng)
    slopes = -out
    assert slopes.min() >= 0.1 and slopes.max() <= 0.3 and slopes.std() > 0.05
    assert abs(slopes.mean() - 0.2) < 0.005
    np.testing.assert_allclose(actlib.rrelu(x, lower=0.1, upper=0.3), -0.2 * np.ones(10_000))
    again = actlib.rrelu(x, lower=0.1, upper=0.3, training=True, rng=np.random.default_rng(5))
    np.testing.assert_array_equal(out, again)
