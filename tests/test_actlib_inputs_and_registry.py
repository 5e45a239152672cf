"""Bad input is rejected with a message that names the problem; the registry is consistent."""

from __future__ import annotations

import doctest
import re

import numpy as np
import pytest

import actlib
from actlib import derivatives, functions, registry

ALL = list(actlib.REGISTRY)

BAD_INPUTS = [
    ("a string", "1.0", "string"),
    ("None", None, "None"),
    ("a complex number", 1 + 2j, "complex"),
    ("a complex array", np.array([1 + 1j]), "complex"),
    ("an object array", np.array([1.0, None], dtype=object), "object array"),
    ("a ragged list", [[1.0, 2.0], [3.0]], "x must be"),
    ("a bool", True, "bool"),
    ("a string array", np.array(["a", "b"]), "string"),
]


@pytest.mark.parametrize("name", ALL)
@pytest.mark.parametrize(("what", "value", "message"), BAD_INPUTS, ids=[b[0] for b in BAD_INPUTS])
def test_bad_input_raises_type_error_naming_x(name, what, value, message):
    rec = actlib.get(name)
    with pytest.raises(TypeError, match=message) as info:
        rec.fn(value)
    assert "x" in str(info.value)
    if rec.elementwise:
        with pytest.raises(TypeError, match=message):
            rec.derivative(value)


INVALID_PARAMS = [
    (actlib.elu, dict(alpha=-1.0), ValueError, r"alpha=-1\.0 is out of range"),
    (actlib.d_elu, dict(alpha=-0.5), ValueError, r"alpha=-0\.5 is out of range"),
    (actlib.celu, dict(alpha=0.0), ValueError, r"alpha=0\.0 is out of range"),
    (actlib.rrelu, dict(lower=0.5, upper=0.2), ValueError, r"lower=0\.5 must not exceed upper=0\.2"),
    (actlib.leaky_relu, dict(negative_slope=-0.1), ValueError, r"negative_slope=-0\.1 is out of range"),
    (actlib.leaky_relu, dict(negative_slope="0.1"), TypeError, r"negative_slope must be a real number"),
    (actlib.softplus, dict(beta=0.0), ValueError, r"beta=0\.0 is out of range"),
    (actlib.softplus, dict(beta=float("nan")), ValueError, r"beta must be a number, got nan"),
    (actlib.swish, dict(beta=None), TypeError, r"beta must be a real number, got None"),
    (actlib.swish, dict(beta=np.ones(3)), TypeError, r"beta must be a scalar"),
    (actlib.thresholded_relu, dict(theta=-1.0), ValueError, r"theta=-1\.0 is out of range"),
    (actlib.clipped_relu, dict(max_value=0.0), ValueError, r"max_value=0\.0 is out of range"),
    (actlib.softmax, dict(temperature=0.0), ValueError, r"temperature=0\.0 is out of range"),
    (actlib.prelu, dict(a=float("inf")), ValueError, r"a must be finite"),
]


@pytest.mark.parametrize(("fn", "params", "exc", "message"), INVALID_PARAMS,
                         ids=[f"{f.__name__}-{list(p)[0]}" for f, p, *_ in INVALID_PARAMS])
def test_invalid_parameter_is_named(fn, params, exc, message):
    with pytest.raises(exc, match=message):
        fn(np.array([-1.0, 1.0]), **params)


def test_softmax_axis_out_of_range():
    with pytest.raises(ValueError, match=r"axis=2 is out of range for an input with 2 dimension"):
        actlib.softmax(np.ones((2, 3)), axis=2)
    with pytest.raises(TypeError, match=r"axis must be an integer"):
        actlib.softmax(np.ones((2, 3)), axis=1.5)
    with pytest.raises(ValueError, match="at least one dimension"):
        actlib.softmax(1.0)


def test_maxout_needs_divisible_axis_and_integer_k():
    with pytest.raises(ValueError, match=r"\(5\) is not divisible by k=2"):
        actlib.maxout(np.ones((3, 5)), k=2)
    with pytest.raises(TypeError, match=r"k must be an integer"):
        actlib.maxout(np.ones((3, 4)), k=1.5)
    with pytest.raises(ValueError, match=r"k=0 is out of range"):
        actlib.maxout(np.ones((3, 4)), k=0)


def test_glu_needs_even_axis():
    with pytest.raises(ValueError, match=r"\(3\) must be even"):
        actlib.swiglu(np.ones(3))


def test_torch_tensor_is_pointed_to_actlib_nn():
    torch = pytest.importorskip("torch")
    with pytest.raises(TypeError, match="actlib.nn"):
        actlib.relu(torch.ones(3))


def test_rrelu_training_needs_a_generator():
    with pytest.raises(TypeError, match="rng must be a numpy.random.Generator"):
        actlib.rrelu(np.ones(3), training=True, rng=42)


# --- the registry ---------------------------------------------------------------------------

def test_registry_covers_the_required_activations():
    required = {
        "identity", "sigmoid", "hard_sigmoid_keras", "hard_sigmoid_torch", "tanh", "softsign",
        "softplus", "relu", "relu6", "clipped_relu", "leaky_relu", "prelu", "rrelu",
        "thresholded_relu", "elu", "celu", "selu", "gelu", "gelu_tanh", "gelu_sigmoid", "silu",
        "swish", "hard_swish", "mish", "log_sigmoid", "softmax", "log_softmax", "maxout", "glu",
        "swiglu",
    }
    assert required <= set(actlib.REGISTRY)


@pytest.mark.parametrize(("alias", "name"), [
    ("NewGELU", "gelu_tanh"), ("gelu_new", "gelu_tanh"), ("Swish-1", "silu"), ("hardsigmoid", "hard_sigmoid_torch"),
    ("Leaky ReLU", "leaky_relu"), ("QuickGELU", "gelu_sigmoid"), ("linear", "identity"),
])
def test_aliases_resolve(alias, name):
    assert actlib.get(alias).name == name


def test_unknown_name_lists_known_ones():
    with pytest.raises(KeyError, match="known: identity, sigmoid"):
        actlib.get("relu7")


def test_newgelu_is_documented_as_the_tanh_approximation():
    rec = actlib.get("NewGELU")
    assert "0.044715" in rec.latex and "0.044715" in rec.note and "0.0356774" in rec.note
    assert "tanh approximation" in (rec.fn.__doc__ or "")


def test_records_are_frozen():
    with pytest.raises(AttributeError):
        actlib.get("relu").name = "x"  # type: ignore[misc]
    with pytest.raises(TypeError):
        actlib.REGISTRY["x"] = actlib.get("relu")  # type: ignore[index]


@pytest.mark.parametrize("name", ALL)
def test_record_is_complete(name):
    rec = actlib.get(name)
    assert rec.family in actlib.FAMILIES
    assert rec.latex and rec.derivative_latex and rec.summary and rec.title
    assert 1940 <= rec.year <= 2026
    assert rec.kind in ("elementwise", "vector", "reducing")
    assert (rec.properties is None) == (not rec.elementwise)
    for p in rec.params:
        assert p.validate(p.default) == p.default
        if p.slider is not None:
            lo, hi, step = p.slider
            assert lo < hi and step > 0 and p.validate(lo) == lo and p.validate(hi) == hi
    for pname in rec.param_derivatives:
        rec.param(pname)  # raises if the parameter does not exist
    assert rec.fn.__doc__ and rec.derivative.__doc__


def _bib_keys():
    text = actlib.BIBFILE.read_text(encoding="utf-8")
    return set(re.findall(r"^@\w+\{([^,\s]+),", text, flags=re.M))


@pytest.mark.parametrize("name", ALL)
def test_citation_key_exists_in_references_bib(name):
    assert actlib.get(name).cite in _bib_keys()


def test_bib_keys_are_unique():
    text = actlib.BIBFILE.read_text(encoding="utf-8")
    keys = re.findall(r"^@\w+\{([^,\s]+),", text, flags=re.M)
    assert len(keys) == len(set(keys))


@pytest.mark.parametrize("module", [actlib, functions, derivatives, registry])
def test_docstring_examples(module):
    result = doctest.testmod(module, optionflags=doctest.NORMALIZE_WHITESPACE)
    assert result.failed == 0 and (module is derivatives or result.attempted > 0)


def test_numpy_use_does_not_import_torch():
    import subprocess
    import sys

    code = ("import sys, actlib; actlib.sigmoid(1.0); actlib.get('gelu').fn([0.0]); "
            "list(actlib.REGISTRY); print('torch' in sys.modules)")
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert out.stdout.strip() == "False"
