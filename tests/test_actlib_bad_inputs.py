"""The bad-input table: one row per case, with the outcome it must have.

Every row is either a value (the call must return it) or an exception type and
a fragment of its message (the message must name the argument, say what was
given and what is allowed). The rows are generated from the registry where
they can be (every activation, every parameter, every module), so a new record
gets its rows without editing this file; the rest are the cases found by hand,
each with a comment saying what used to happen.
"""

from __future__ import annotations

import decimal
import fractions
import math
import re
import warnings
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

import numpy as np
import pytest

import actlib

torch = pytest.importorskip("torch")

from actlib import nn as ann  # noqa: E402
from actlib.nn import autograd as ag  # noqa: E402

RECORDS = list(actlib.REGISTRY.values())
ELEMENTWISE = [r for r in RECORDS if r.elementwise]
ACCEPTED = re.escape("x must be a real number, a sequence of real numbers or a real numpy array")


@dataclass(frozen=True)
class Raises:
    error: type[Exception]
    fragment: str  # a regular expression searched in the message


@dataclass(frozen=True)
class Value:
    expected: Any
    dtype: Any = None  # also check the result's dtype


@dataclass(frozen=True)
class Row:
    id: str
    call: Callable[[], Any]
    expect: Raises | Value


ROWS: list[Row] = []


def row(id_: str, call: Callable[[], Any], expect: Raises | Value) -> None:
    ROWS.append(Row(id_, call, expect))


def sample(rec, dtype=np.float64):
    """An input every kind accepts: shape (2, 4), last axis even and divisible by k = 2."""
    return np.linspace(-2.0, 2.0, 8, dtype=dtype).reshape(2, 4)


def functions(rec):
    """The record's public numpy functions: f, and f' (Jacobian) and the parameter derivatives."""
    yield "f", rec.fn
    yield "df", rec.derivative
    yield from ((f"d{p}", fn) for p, fn in rec.param_derivatives.items())


# ---------------------------------------------------------------------------------------------
# x that is not a real array: every function of every record
# ---------------------------------------------------------------------------------------------

BAD_X = [
    ("string", "1.0", TypeError, ACCEPTED + r", got a string \('1\.0'\)"),
    ("None", None, TypeError, ACCEPTED + ", got None"),
    ("bool", True, TypeError, ACCEPTED + r", got a bool \(True\); convert it with float\(\)"),
    ("complex", 1 + 2j, TypeError, r"x must be real, got the complex number \(1\+2j\)"),
    ("complex-array", np.array([1 + 1j, 2.0]), TypeError, r"x must be real, got a complex array"),
    ("bool-array", np.array([True, False]), TypeError, "got a boolean array; convert it with .astype"),
    ("string-array", np.array(["a", "b"]), TypeError, r"got strings \(dtype <U1\)"),
    ("ragged", [[1.0, 2.0], [3.0]], TypeError, ACCEPTED + "; numpy could not convert it"),
    # relu(bytearray(b'ab')) returned [97, 98]
    ("bytearray", bytearray(b"ab"), TypeError, r"got a bytes-like object \(bytearray\)"),
    ("bytes", b"ab", TypeError, r"got a bytes-like object \(bytes\)"),
    ("object-none", np.array([1.0, None], dtype=object), TypeError,
     r"it holds None \(NoneType\) at index \(1,\), which is not a real number"),
    ("object-string", [1.0, "2"], TypeError, r"got strings|holds '2'"),
    # a masked array lost its mask
    ("masked", np.ma.array([1.0, 2.0], mask=[False, True]), TypeError,
     r"x is a masked array, and actlib does not apply masks"),
    # np.longdouble 1e400 became inf
    ("longdouble", np.array([np.longdouble("1e400")]), TypeError,
     r"x has dtype float128 \(long double\).*convert it with x\.astype\(np\.float64\)"),
    ("datetime", np.array(["2020-01-01"], dtype="datetime64[D]"), TypeError, r"got dtype datetime64"),
    # 10**400 got "holds something that is not a real number"
    ("int-10e400", 10**400, ValueError,
     r"x holds <an integer with 401 digits>, beyond the float64 range \(magnitude at most 1\.798e\+308\)"),
    ("list-10e400", [1, 10**400], ValueError, r"x holds <an integer with 401 digits> at index \(1,\)"),
    ("decimal-1e400", decimal.Decimal("1e400"), ValueError, r"x holds Decimal\('1E\+400'\), beyond"),
]


for _rec in RECORDS:
    for _label, _fn in functions(_rec):
        for _what, _value, _err, _frag in BAD_X:
            row(f"{_rec.name}-{_label}-x-{_what}", lambda f=_fn, v=_value: f(v), Raises(_err, _frag))
        row(f"{_rec.name}-{_label}-x-torch", lambda f=_fn: f(torch.ones(4)),
            Raises(TypeError, r"x is a torch tensor; .*the modules in actlib\.nn"))

# ---------------------------------------------------------------------------------------------
# x that is a real number in another container: the value, in float64
# ---------------------------------------------------------------------------------------------

GOOD_X = [
    # object arrays of floats, 2**64, [1, 2**70], Decimal, Fraction all got "not a real number"
    ("object-floats", np.array([-1.0, 2.0], dtype=object), [-1.0, 2.0]),
    ("int-2e64", 2**64, float(2**64)),
    ("list-2e70", [1, 2**70], [1.0, float(2**70)]),
    ("decimal", decimal.Decimal("0.5"), 0.5),
    ("fraction", fractions.Fraction(1, 4), 0.25),
    ("int8", np.array([-2, 3], dtype=np.int8), [-2.0, 3.0]),
    ("uint64", np.array([2**63 + 2**11], dtype=np.uint64), [float(2**63 + 2**11)]),
]

for _rec in ELEMENTWISE:
    for _what, _value, _floats in GOOD_X:
        _expected = _rec.fn(np.asarray(_floats, dtype=np.float64))
        row(f"{_rec.name}-x-{_what}", lambda f=_rec.fn, v=_value: f(v), Value(_expected, np.float64))
    row(f"{_rec.name}-x-float16", lambda f=_rec.fn: f(np.array([0.5, -1.5], dtype=np.float16)),
        Value(_rec.fn(np.array([0.5, -1.5])).astype(np.float16), np.float16))

# ---------------------------------------------------------------------------------------------
# Empty input gives empty output (softmax([]) raised "zero-size array to reduction ...")
# ---------------------------------------------------------------------------------------------

EMPTY_OUT = {  # input shape -> output shape of f, and of the Jacobian, for the non-elementwise kinds
    "vector": {(0,): ((0,), (0, 0)), (3, 0): ((3, 0), (3, 0, 0)), (0, 4): ((0, 4), (0, 4, 4))},
    "reducing": {(0,): ((0,), (0, 0)), (3, 0): ((3, 0), (3, 0, 0)), (0, 4): ((0, 2), (0, 2, 4))},
}

for _rec in RECORDS:
    for _shape in [(0,), (3, 0), (0, 4)]:
        f_shape, d_shape = (_shape, _shape) if _rec.elementwise else EMPTY_OUT[_rec.kind][_shape]
        for _dtype in (np.float64, np.float32):
            row(f"{_rec.name}-empty-{_shape}-{np.dtype(_dtype).name}",
                lambda f=_rec.fn, s=_shape, d=_dtype: f(np.ones(s, dtype=d)),
                Value(np.ones(f_shape, dtype=_dtype)[:0].reshape(f_shape), _dtype))
        row(f"{_rec.name}-empty-{_shape}-derivative", lambda f=_rec.derivative, s=_shape: f(np.ones(s)),
            Value(np.zeros(d_shape), np.float64))
    row(f"{_rec.name}-empty-module", lambda n=_rec.name: ann.module(n).eval()(torch.ones(0, 4)).shape,
        Value(tuple(EMPTY_OUT.get(_rec.kind, {(0, 4): ((0, 4),)})[(0, 4)][0])))

# ---------------------------------------------------------------------------------------------
# Parameters: every parameter of every record, for every function and the module
# ---------------------------------------------------------------------------------------------


def _bad_values(p):
    """(label, value, error, fragment) for one parameter, from its declared range."""
    what = "an integer" if p.integer else "a real number"
    none = " or None" if p.allow_none else ""
    yield "string", "1.0", TypeError, rf"parameter {p.name} must be {what}{none}, got '1\.0'"
    yield "bool", True, TypeError, rf"parameter {p.name} must be {what}{none}, got True"
    yield "array", np.ones(3), TypeError, rf"parameter {p.name} must be a scalar, got an array of shape \(3,\)"
    yield "complex", 1j, TypeError, rf"parameter {p.name} must be {what}{none}, got 1j"
    if not p.allow_none:
        yield "None", None, TypeError, rf"parameter {p.name} must be {what}, got None"
    if p.integer:
        yield "fraction", 2.5, TypeError, rf"parameter {p.name} must be an integer, got 2\.5"
        return
    yield "nan", math.nan, ValueError, rf"parameter {p.name} must be a number, got nan"
    if not p.allow_inf:
        yield "inf", math.inf, ValueError, rf"parameter {p.name} must be finite, got inf"
        # elu(x, alpha=10**400) raised a bare OverflowError
        yield "int-10e400", 10**400, ValueError, (
            rf"parameter {p.name}=<an integer with 401 digits> does not fit in a float64")
    if p.low > -math.inf:
        below = p.low if p.low_open else p.low - 0.5
        yield "below", below, ValueError, rf"parameter {p.name}={below!r} is out of range: it must lie in "
    if p.high < math.inf:
        above = p.high + 0.5
        yield "above", above, ValueError, rf"parameter {p.name}={above!r} is out of range: it must lie in "


for _rec in RECORDS:
    for _p in _rec.params:
        for _what, _value, _err, _frag in _bad_values(_p):
            for _label, _fn in functions(_rec):
                row(f"{_rec.name}-{_label}-{_p.name}-{_what}",
                    lambda f=_fn, n=_p.name, v=_value, r=_rec: f(sample(r), **{n: v}), Raises(_err, _frag))
            row(f"{_rec.name}-module-{_p.name}-{_what}", lambda n=_rec.name, k=_p.name, v=_value:
                ann.module(n, **{k: v}), Raises(_err, _frag))

# relations between parameters
for _call in ("fn", "derivative"):
    row(f"rrelu-{_call}-lower-above-upper", lambda c=_call: getattr(actlib.get("rrelu"), c)(
        np.ones(3), lower=0.5, upper=0.2), Raises(ValueError, r"parameter lower=0\.5 must not exceed upper=0\.2"))
row("rrelu-module-lower-above-upper", lambda: ann.RReLU(0.5, 0.2),
    Raises(ValueError, r"parameter lower=0\.5 must not exceed upper=0\.2"))
# torch.nn.Hardtanh(1.0, 1.0) raised a bare AssertionError
for _call in ("fn", "derivative"):
    row(f"hardtanh-{_call}-min-not-below-max", lambda c=_call: getattr(actlib.get("hardtanh"), c)(
        np.ones(3), min_val=1.0, max_val=1.0), Raises(ValueError, r"parameter min_val=1\.0 must be below "
                                                                  r"max_val=1\.0"))
row("hardtanh-module-min-above-max", lambda: ann.Hardtanh(min_val=2.0),
    Raises(ValueError, r"parameter min_val=2\.0 must be below max_val=1\.0"))
# torch.nn.Hardshrink(-1.0) computed without complaint; Softshrink(-1.0) failed in forward
for _name in ("hardshrink", "softshrink"):
    row(f"{_name}-module-negative-lambd", lambda n=_name: ann.module(n, lambd=-1.0),
        Raises(ValueError, r"parameter lambd=-1\.0 is out of range: it must lie in \[0, inf\)"))
row("elu-unknown-keyword", lambda: actlib.elu(1.0, aplha=2.0),
    Raises(TypeError, r"elu\(\) got an unexpected keyword argument 'aplha'; did you mean 'alpha'\?"))
row("relu-extra-positional", lambda: actlib.relu(1.0, 2.0),
    Raises(TypeError, r"relu\(\) takes x and at most 0 parameter\(s\) \(none\), got 1 after x"))
row("relu-module-unknown-keyword", lambda: ann.module("relu", alpha=1.0),
    Raises(TypeError, "unexpected keyword argument 'alpha'"))

# ---------------------------------------------------------------------------------------------
# Flags accept only bools (rrelu(x, training="no") trained; any string counted as true)
# ---------------------------------------------------------------------------------------------

for _value in ("no", "False", 1, 0, None, np.array(True)):
    row(f"rrelu-training-{_value!r}", lambda v=_value: actlib.rrelu(np.ones(3), training=v),
        Raises(TypeError, rf"training must be True or False, got {re.escape(repr(_value))}"))
row("rrelu-training-numpy-bool", lambda: actlib.rrelu(-np.ones(3), training=np.True_,
                                                       rng=np.random.default_rng(0)).shape, Value((3,)))
row("rrelu-rng-int", lambda: actlib.rrelu(np.ones(3), training=True, rng=42),
    Raises(TypeError, r"rng must be a numpy\.random\.Generator or None, got int"))
for _cls, _kw in [("Swish", "learnable"), ("ReLU", "inplace"), ("ELU", "inplace"), ("Maxout", "bias"),
                  ("LeakyReLU", "inplace"), ("HardSwish", "inplace")]:
    row(f"{_cls}-{_kw}-string", lambda c=_cls, k=_kw: getattr(ann, c)(**{k: "no"}),
        Raises(TypeError, rf"{_kw} must be True or False, got 'no' \(str\)"))

# ---------------------------------------------------------------------------------------------
# Registry lookups (activations(family="rectifiers") returned [])
# ---------------------------------------------------------------------------------------------

_FAMILIES = re.escape(", ".join(actlib.FAMILIES))
row("activations-family-plural", lambda: list(actlib.activations(family="rectifiers")),
    Raises(ValueError, rf"unknown family 'rectifiers' \(did you mean 'rectifier'\?\); it must be one of: "
                       rf"{_FAMILIES}"))
row("names-family-typo", lambda: actlib.names(family="smooth_gate"),
    Raises(ValueError, r"unknown family 'smooth_gate' \(did you mean 'smooth-gate'\?\)"))
row("activations-family-int", lambda: actlib.activations(family=3),
    Raises(TypeError, r"family must be a string or None, got 3 \(int\); one of: linear"))
row("activations-kind-typo", lambda: actlib.activations(kind="elementwize"),
    Raises(ValueError, r"unknown kind 'elementwize' \(did you mean 'elementwise'\?\); it must be one of: "
                       r"elementwise, vector, reducing"))
row("names-kind-unknown", lambda: actlib.names(kind="scalar"),
    Raises(ValueError, r"unknown kind 'scalar'; it must be one of: elementwise, vector, reducing"))
row("activations-kind-list", lambda: actlib.activations(kind=["vector"]),
    Raises(TypeError, r"kind must be a string or None, got \['vector'\] \(list\)"))
row("get-typo", lambda: actlib.get("relu7"), Raises(KeyError, r"no activation called 'relu7' \(did you mean"))
row("get-int", lambda: actlib.get(3), Raises(TypeError, r"name must be a string, got int \(3\)"))
row("get-alias", lambda: actlib.get("Swish-1").name, Value("silu"))
row("names-family", lambda: actlib.names(family="exponential"), Value(["elu", "celu", "selu"]))

# ---------------------------------------------------------------------------------------------
# Silent wrong values and unclear errors found by hand, now the right value or a clear error
# ---------------------------------------------------------------------------------------------

# softmax([1., 2.], temperature=1e-310) returned [0.5, 0.5]; so did the next two
row("softmax-tiny-temperature", lambda: actlib.softmax([1.0, 2.0], temperature=1e-310), Value([0.0, 1.0]))
row("softmax-huge-logits", lambda: actlib.softmax([1e308, 1.7e308], temperature=0.5), Value([0.0, 1.0]))
row("log-softmax-tiny-temperature", lambda: actlib.log_softmax([1.0, 2.0], temperature=1e-310),
    Value([-np.inf, 0.0]))
row("softmax-overflowing-difference", lambda: actlib.softmax([-1.5e308, 1.5e308], temperature=1e308),
    Value(np.array([1.0, math.exp(3.0)]) / (1.0 + math.exp(3.0))))
row("softmax-inf-share", lambda: actlib.softmax([np.inf, 0.0, np.inf]), Value([0.5, 0.0, 0.5]))
row("jacobian-softmax-empty", lambda: actlib.jacobian_softmax(np.ones((2, 0))).shape, Value((2, 0, 0)))
row("softmax-scalar", lambda: actlib.softmax(1.0),
    Raises(ValueError, r"axis=-1 needs an input with at least one dimension, got a scalar"))
row("softmax-axis-range", lambda: actlib.softmax(np.ones((2, 3)), axis=2),
    Raises(ValueError, r"axis=2 is out of range for an input with 2 dimension\(s\)"))
row("softmax-axis-float", lambda: actlib.softmax(np.ones((2, 3)), axis=1.5),
    Raises(TypeError, r"parameter axis must be an integer, got 1\.5"))
row("maxout-indivisible", lambda: actlib.maxout(np.ones((3, 5)), k=2),
    Raises(ValueError, r"maxout: the input's length along axis -1 \(5\) is not divisible by k=2"))
# every gated unit, numpy function, Jacobian and module, on an odd length
for _rec in (r for r in RECORDS if r.gate is not None):
    row(f"{_rec.name}-odd", lambda f=_rec.fn: f(np.ones((2, 5))),
        Raises(ValueError, rf"{_rec.name}: the input's length along axis -1 \(5\) must be even"))
    row(f"{_rec.name}-odd-jacobian", lambda f=_rec.derivative: f(np.ones(3), axis=0),
        Raises(ValueError, rf"{_rec.name}: the input's length along axis 0 \(3\) must be even"))
    row(f"{_rec.name}-odd-module", lambda n=_rec.name: ann.module(n)(torch.ones(2, 5)),
        Raises(ValueError, rf"{_rec.name}: the input's length along axis -1 \(5\) must be even"))
# softplus(0, beta=1e-320) gave inf correctly but warned
row("softplus-subnormal-beta", lambda: actlib.softplus(0.0, beta=1e-320), Value(np.inf))
# softplus's default threshold returned x past 20, and stepped down there
row("softplus-exact-past-20", lambda: actlib.softplus([20.0, 21.0]),
    Value([20.0 + math.log1p(math.exp(-20.0)), 21.0 + math.log1p(math.exp(-21.0))]))
row("softplus-shortcut-on-request", lambda: actlib.softplus(20.5, threshold=20.0), Value(20.5))
# nn.Softplus(threshold=inf) returned inf for x >= 89 (float32)
row("nn-softplus-float32-large", lambda: ann.Softplus(threshold=math.inf)(torch.tensor([100.0, 1e30])).tolist(),
    Value([100.0, 1e30]))
row("nn-softplus-default-large", lambda: ann.Softplus()(torch.tensor([100.0, 1e30])).tolist(),
    Value([100.0, 1e30]))
# autograd.swish(t, beta=torch.tensor(nan)) returned NaN; a float NaN was already rejected
row("autograd-swish-nan-tensor-beta", lambda: ag.swish(torch.ones(3), torch.tensor(math.nan)),
    Raises(ValueError, r"parameter beta must be finite, got tensor\(nan\)"))
row("autograd-swish-nan-beta", lambda: ag.swish(torch.ones(3), math.nan),
    Raises(ValueError, r"parameter beta must be a number, got nan"))
row("autograd-swish-int-tensor-beta", lambda: ag.swish(torch.ones(3), torch.tensor(1)),
    Raises(TypeError, r"floating-point tensor, got a tensor of dtype torch\.int64"))
row("autograd-leaky-slope", lambda: ag.leaky_relu(torch.ones(3), 1.5),
    Raises(ValueError, r"parameter negative_slope=1\.5 is out of range: it must lie in \[0, 1\]"))
row("autograd-elu-alpha", lambda: ag.elu(torch.ones(3), -1.0),
    Raises(ValueError, r"parameter alpha=-1\.0 is out of range: it must lie in \[0, inf\)"))


def _grad_at(fn, x):
    xt = torch.tensor([x], dtype=torch.float64, requires_grad=True)
    (g,) = torch.autograd.grad(fn(xt).sum(), xt)
    return float(g[0])


# autograd.relu's gradient was 0 at NaN while d_relu gives NaN
for _name, (_cls, _fn) in ag.FUNCTIONS.items():
    row(f"autograd-{_name}-grad-at-nan", lambda f=_fn: _grad_at(f, math.nan), Value(math.nan))
    row(f"autograd-{_name}-numpy-input", lambda f=_fn: f(np.ones(3)),
        Raises(TypeError, rf"actlib\.nn\.autograd\.{_name} takes a torch\.Tensor, got ndarray"))
    for _x in (-math.inf, math.inf):
        _rec = actlib.get(_name)
        row(f"autograd-{_name}-at-{_x}", lambda f=_fn, x=_x: (
            float(f(torch.tensor([x], dtype=torch.float64))[0]), _grad_at(f, x)),
            Value((float(_rec.fn(_x)), float(_rec.derivative(_x)))))

# numpy arrays passed to the Softmax, GLU, Maxout, SwiGLU and PReLU modules raised AttributeError
for _rec in RECORDS:
    row(f"{_rec.name}-module-numpy-input", lambda n=_rec.name, r=_rec: ann.module(n)(sample(r)),
        Raises(TypeError, rf"actlib\.nn\.{_rec.nn_name} takes a torch\.Tensor, got numpy\.ndarray; convert it "
                          rf"with torch\.as_tensor\(x\), or use actlib\.{_rec.name} for numpy input"))
row("gelu-sigmoid-module-list", lambda: ann.GELUSigmoid()([1.0, 2.0]),
    Raises(TypeError, r"actlib\.nn\.GELUSigmoid takes a torch\.Tensor, got list"))
row("prelu-num-parameters", lambda: ann.PReLU(num_parameters=0),
    Raises(ValueError, r"parameter num_parameters=0 is out of range: it must lie in \[1, inf\)"))
row("maxout-half-layer", lambda: ann.Maxout(in_features=3),
    Raises(ValueError, r"Maxout: give both in_features and out_features"))


# ---------------------------------------------------------------------------------------------
# The table
# ---------------------------------------------------------------------------------------------

def test_the_table_has_at_least_150_rows_and_unique_ids():
    assert len(ROWS) >= 150
    assert len({r.id for r in ROWS}) == len(ROWS)


@pytest.mark.parametrize("case", ROWS, ids=[r.id for r in ROWS])
def test_bad_input(case):
    expect = case.expect
    with warnings.catch_warnings():
        warnings.simplefilter("error")  # and no warning on the way
        if isinstance(expect, Raises):
            with pytest.raises(expect.error, match=expect.fragment):
                case.call()
            return
        got = case.call()
    if expect.dtype is not None:
        assert np.asarray(got).dtype == expect.dtype
    if isinstance(expect.expected, (str, list, tuple)) and not isinstance(got, np.ndarray):
        assert got == expect.expected or np.allclose(got, expect.expected, equal_nan=True)
        return
    np.testing.assert_allclose(np.asarray(got, dtype=np.float64), np.asarray(expect.expected, dtype=np.float64),
                               rtol=1e-15, atol=0.0, equal_nan=True)
