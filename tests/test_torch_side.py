"""The torch side of actlib: modules, hand-written autograd functions, the device helper.

The registry drives the tests: every record gets a module, and the module must
agree with the numpy reference (``record.fn``), with PyTorch's own
implementation (:func:`actlib.nn.reference.torch_reference`, built from the
record's ``torch`` spec) and, through autograd, with the
numpy analytic derivative, Jacobian and parameter derivatives. Adding a record
adds its cases here. Everything runs in float64 on the CPU and is seeded.
"""

from __future__ import annotations

import inspect
import math
import subprocess
import sys

import numpy as np
import pytest

torch = pytest.importorskip("torch")

import actlib  # noqa: E402
from actlib import nn as ANN  # noqa: E402
from actlib.nn import autograd as AG  # noqa: E402
from actlib.nn import device as DEV  # noqa: E402
from actlib.nn import reference as REF  # noqa: E402
from actlib.schema import Ref  # noqa: E402

RECORDS = list(actlib.REGISTRY.values())
ELEMENTWISE = [r for r in RECORDS if r.elementwise]
NON_ELEMENTWISE = [r for r in RECORDS if not r.elementwise]
F64 = torch.float64

#: Points between -25 and 25, off every kink (0, ±2.5, ±3, 6, θ = 1, m = 18.4 or 20 ...).
X_SMOOTH = np.linspace(-25.0, 25.0, 401) + 0.0123

#: Where torch's formula differs from actlib's float64 one, (rtol, atol) for module vs numpy.
#: Everything else must agree to 1e-12.
LOOSE = {
    # torch: x * (1 + erf(x / sqrt 2)) / 2, which cancels for negative x; actlib uses ndtr.
    "gelu": (1e-12, 1e-15),
}
#: The same for autograd's gradient of the module vs actlib's analytic derivative.
LOOSE_GRAD = {
    # torch's hardsigmoid backward multiplies by 1/6 rounded to float32, even in float64.
    "hard_sigmoid_torch": (1e-7, 0.0),
    # torch's CELU backward loses about 2e-7 (relative) in float64 when alpha != 1.
    "celu": (1e-6, 1e-12),
}


@pytest.fixture(autouse=True)
def _seed():
    torch.manual_seed(0)


def _other_value(p):
    """A valid non-default value for a parameter, 60% of the way along its slider."""
    start, stop, _ = p.slider
    value = start + 0.6 * (stop - start)
    return p.validate(round(value) if p.integer else value)


def _param_sets(record):
    """``(id, params)`` pairs: the defaults, other values along the sliders, and axis 0."""
    sets = [("default", {})]
    other = {p.name: _other_value(p) for p in record.params if p.slider is not None}
    if other:
        sets.append(("other", other))
    if any(p.name == "axis" for p in record.params):
        sets.append(("axis0", {"axis": 0}))
    return sets


def _cases(records):
    return [pytest.param(r, params, id=f"{r.name}-{tag}")
            for r in records for tag, params in _param_sets(r)]


def _input(record, params, requires_grad=False):
    """float64 test input: the smooth grid, or a seeded (3, 12) / (12, 3) normal matrix."""
    if record.elementwise:
        x = X_SMOOTH.copy()
    else:
        shape = (12, 3) if params.get("axis", -1) == 0 else (3, 12)
        x = np.random.default_rng(1).normal(scale=2.0, size=shape)
    return x, torch.tensor(x, dtype=F64, requires_grad=requires_grad)


def _module(record, params, **extra):
    """The actlib module in evaluation mode (RReLU's registry function), in float64.

    A learned parameter is created in float64 (``.to`` would keep a float32 rounding).
    """
    if "dtype" in inspect.signature(ANN.MODULES[record.name]).parameters:
        extra["dtype"] = F64
    return ANN.module(record.name, **params, **extra).to(F64).eval()


def _close(actual, expected, rtol=1e-12, atol=1e-12, what=""):
    actual = actual.detach().numpy() if isinstance(actual, torch.Tensor) else np.asarray(actual)
    np.testing.assert_allclose(actual, np.asarray(expected), rtol=rtol, atol=atol, err_msg=what)


# ----------------------------------------------------------------------------
# Modules
# ----------------------------------------------------------------------------

def test_every_record_has_a_module():
    assert set(ANN.MODULES) == set(actlib.REGISTRY)


#: torch.nn's activation modules that are not a registry record's counterpart, and why.
NOT_RECORDS = {
    "MultiheadAttention": "attention, not an activation",
    "Softmax2d": "softmax over the channel axis: actlib.softmax(x, axis=-3)",
}


def test_the_registry_covers_every_activation_module_of_torch_nn():
    """Each module of torch.nn.modules.activation is some record's PyTorch counterpart."""
    from torch.nn.modules import activation

    counterparts = {r.torch.module for r in RECORDS if r.torch is not None}
    missing = set(activation.__all__) - counterparts - set(NOT_RECORDS)
    assert not missing, f"no record has torch.nn.{sorted(missing)} as its counterpart"
    # the modules this coverage added take all their arguments from one record's parameters
    # (Hardtanh is also clipped ReLU's counterpart, with min_val fixed at 0)
    for name in ("Hardtanh", "Hardshrink", "Softshrink", "Softmin"):
        assert any(r.torch.module == name and all(isinstance(v, Ref) for _, v in r.torch.kwargs)
                   for r in RECORDS if r.torch is not None), name


def test_softmax2d_is_softmax_over_the_channel_axis():
    x = torch.randn(2, 5, 3, 4, dtype=F64)
    _close(torch.nn.Softmax2d()(x), actlib.softmax(x.numpy(), axis=-3), rtol=1e-14, atol=0)
    _close(torch.nn.Softmax2d()(x[0]), actlib.softmax(x[0].numpy(), axis=-3), rtol=1e-14, atol=0)


@pytest.mark.parametrize("record", RECORDS, ids=lambda r: r.name)
def test_module_factory_accepts_name_and_aliases(record):
    for key in (record.name, *record.aliases):
        assert type(ANN.module(key)) is ANN.MODULES[record.name]


@pytest.mark.parametrize("record", RECORDS, ids=lambda r: r.name)
def test_module_documents_its_shape(record):
    doc = ANN.MODULES[record.name].__doc__
    assert "Shape:" in doc and "Input:" in doc and "Output:" in doc


@pytest.mark.parametrize("record", RECORDS, ids=lambda r: r.name)
def test_module_subclasses_torch_where_torch_has_it(record):
    cls = REF.torch_class(record)
    if cls is None:
        assert record.torch_name is None
        pytest.skip(f"torch has no module for {record.name}")
    assert isinstance(ANN.module(record.name), cls)
    assert record.torch_name.startswith(f"torch.nn.{cls.__name__}")


@pytest.mark.parametrize("record", RECORDS, ids=lambda r: r.name)
def test_module_class_is_named_and_documented_from_the_record(record):
    cls = ANN.MODULES[record.name]
    assert cls.__name__ == record.nn_name and getattr(ANN, record.nn_name) is cls
    assert record.nn_name in ANN.__all__
    assert f".. math:: {record.latex}" in cls.__doc__


def test_actlib_nn_all_is_honest():
    for name in ANN.__all__:
        assert hasattr(ANN, name), name
    namespace = {}
    exec("from actlib.nn import *", namespace)
    assert set(ANN.__all__) <= set(namespace)


@pytest.mark.parametrize("record", RECORDS, ids=lambda r: r.name)
def test_module_rejects_numpy_input_in_one_sentence(record):
    x, _ = _input(record, {})
    with pytest.raises(TypeError, match=rf"actlib\.nn\.{record.nn_name} takes a torch\.Tensor, got "
                                        rf"numpy\.ndarray; convert it with torch\.as_tensor\(x\), or "
                                        rf"use actlib\.{record.name} for numpy input"):
        ANN.module(record.name)(x)
    with pytest.raises(TypeError, match="got list"):
        ANN.module(record.name)(x.tolist())


@pytest.mark.parametrize(("record", "params"), _cases(RECORDS))
def test_module_matches_numpy(record, params):
    x, xt = _input(record, params)
    rtol, atol = LOOSE.get(record.name, (1e-12, 1e-12))
    out = _module(record, params)(xt)
    _close(out, record.fn(x, **params), rtol, atol, f"{record.name} {params}")


@pytest.mark.parametrize(("record", "params"), _cases(RECORDS))
def test_module_matches_torch_reference(record, params):
    ref = REF.torch_reference(record, **params)
    if ref is None:
        assert record.torch is None
        pytest.skip(f"{record.name} has no torch reference")
    _, xt = _input(record, params)
    out = _module(record, params)(xt)
    torch.testing.assert_close(out, ref(xt), rtol=1e-14, atol=0.0)


def test_torch_callable_is_torch_or_the_actlib_module():
    assert isinstance(REF.torch_callable("elu"), REF.TorchReference)
    assert isinstance(REF.torch_callable("swish"), ANN.Swish)
    assert not REF.torch_callable("rrelu").inner.training


@pytest.mark.parametrize("dtype", [torch.float32, torch.float64, torch.bfloat16])
@pytest.mark.parametrize("record", RECORDS, ids=lambda r: r.name)
def test_module_output_has_the_input_dtype(record, dtype):
    _, xt = _input(record, {})
    out = ANN.module(record.name).eval()(xt.to(dtype))
    assert out.dtype == dtype and out.device == xt.device


@pytest.mark.parametrize(("record", "params"), _cases(ELEMENTWISE))
def test_module_gradient_matches_numpy_derivative(record, params):
    x, xt = _input(record, params, requires_grad=True)
    (grad,) = torch.autograd.grad(_module(record, params)(xt).sum(), xt)
    rtol, atol = LOOSE_GRAD.get(record.name, (1e-12, 1e-12))
    _close(grad, record.derivative(x, **params), rtol, atol, f"{record.name} {params}")


@pytest.mark.parametrize(("record", "params"), _cases(NON_ELEMENTWISE))
def test_module_jacobian_matches_numpy_jacobian(record, params):
    x, xt = _input(record, params)
    axis = params.get("axis", -1)
    mod = _module(record, params)

    def along_last(z):  # the numpy Jacobians put `axis` last
        return mod(z.movedim(-1, axis)).movedim(axis, -1)

    jac = torch.autograd.functional.jacobian(along_last, xt.movedim(axis, -1))
    batch = jac.shape[0]
    per_row = torch.stack([jac[b, :, b, :] for b in range(batch)])  # rows do not interact
    _close(per_row, record.derivative(x, **params), what=f"{record.name} {params}")


#: torch expressions with the parameter as a tensor, for parameters that are not learnable
#: in the module but have a derivative in the registry.
TENSOR_PARAM_FORMS = {
    ("softplus", "beta"): lambda x, beta, threshold: torch.nn.functional.softplus(
        beta * x, 1.0, math.inf) / beta if threshold is None else torch.where(
        beta * x > threshold, x, torch.nn.functional.softplus(beta * x, 1.0, math.inf) / beta),
    ("leaky_relu", "negative_slope"): lambda x, negative_slope: torch.where(
        x >= 0, x, negative_slope * x),
    ("elu", "alpha"): lambda x, alpha: torch.where(
        x > 0, x, alpha * torch.expm1(torch.clamp(x, max=0.0))),
}
#: How to build a module whose parameter is an ``nn.Parameter``: (extra kwargs, attribute).
LEARNABLE_FORMS = {
    ("prelu", "a"): ({}, "weight"),
    ("swish", "beta"): ({"learnable": True}, "beta"),
}
PARAM_CASES = [pytest.param(r, pname, params, id=f"{r.name}-{pname}-{tag}")
               for r in RECORDS for pname in r.param_derivatives
               for tag, params in _param_sets(r)]


@pytest.mark.parametrize(("record", "pname", "params"), PARAM_CASES)
def test_parameter_gradient_matches_numpy(record, pname, params):
    x, xt = _input(record, params)
    values = {**record.defaults, **params}
    p0 = torch.tensor(values[pname], dtype=F64)
    if (record.name, pname) in LEARNABLE_FORMS:
        extra, attr = LEARNABLE_FORMS[record.name, pname]
        mod = _module(record, params, **extra)
        assert isinstance(getattr(mod, attr), torch.nn.Parameter)
        shape = getattr(mod, attr).shape

        def f(p):
            return torch.func.functional_call(mod, {attr: p.reshape(shape)}, (xt,))
    elif (record.name, pname) in TENSOR_PARAM_FORMS:
        form = TENSOR_PARAM_FORMS[record.name, pname]
        others = {k: v for k, v in values.items() if k != pname}
        _close(form(xt, p0, **others), record.fn(x, **params), what="tensor-parameter form")

        def f(p):
            return form(xt, p, **others)
    else:
        pytest.fail(f"{record.name}.{pname} has a derivative in the registry but no torch form "
                    "here: add it to LEARNABLE_FORMS or TENSOR_PARAM_FORMS")
    assert record.param(pname).learnable == ((record.name, pname) in LEARNABLE_FORMS)
    jac = torch.autograd.functional.jacobian(f, p0)  # d f(x_i) / d p for every i
    _close(jac, record.param_derivatives[pname](x, **params), what=f"{record.name}.{pname}")


def test_every_learnable_parameter_is_an_nn_parameter():
    for record in RECORDS:
        for p in record.params:
            if p.learnable:
                assert (record.name, p.name) in LEARNABLE_FORMS, record.name


# ----------------------------------------------------------------------------
# Parameter validation
# ----------------------------------------------------------------------------

PARAMS = [pytest.param(r, p, id=f"{r.name}-{p.name}") for r in RECORDS for p in r.params]


@pytest.mark.parametrize(("record", "param"), PARAMS)
def test_module_rejects_a_string_parameter_naming_it(record, param):
    with pytest.raises(TypeError, match=param.name):
        ANN.module(record.name, **{param.name: "1.0"})


@pytest.mark.parametrize(("record", "param"), PARAMS)
def test_module_rejects_an_out_of_range_parameter_naming_it(record, param):
    bad = [param.low - 1.0] if param.low > -math.inf else []
    bad += [param.high + 1.0] if param.high < math.inf else []
    bad += [] if param.integer else [math.nan]
    bad += [param.default + 0.5] if param.integer else []
    for value in bad:
        with pytest.raises((TypeError, ValueError), match=param.name):
            ANN.module(record.name, **{param.name: value})


@pytest.mark.parametrize(("name", "params", "error", "match"), [
    ("elu", {"alpha": -1.0}, ValueError, "alpha"),
    ("rrelu", {"lower": 0.5, "upper": 0.1}, ValueError, "lower"),
    ("leaky_relu", {"negative_slope": 1.5}, ValueError, "negative_slope"),
    ("softplus", {"beta": 0.0}, ValueError, "beta"),
    ("celu", {"alpha": 0.0}, ValueError, "alpha"),
    ("maxout", {"k": 0}, ValueError, "k"),
    ("maxout", {"k": 2.5}, TypeError, "k"),
    ("softmax", {"temperature": -1.0}, ValueError, "temperature"),
    ("prelu", {"num_parameters": 0}, ValueError, "num_parameters"),
    ("swish", {"learnable": "yes"}, TypeError, "learnable"),
    ("maxout", {"in_features": 3}, ValueError, "out_features"),
    ("maxout", {"in_features": 3, "out_features": 2, "axis": 0}, ValueError, "axis"),
    ("relu", {"alpha": 1.0}, TypeError, "alpha"),
])
def test_module_rejects_bad_parameters(name, params, error, match):
    with pytest.raises(error, match=match):
        ANN.module(name, **params)


@pytest.mark.parametrize(("name", "params", "shape", "match"), [
    ("maxout", {"k": 2}, (4, 5), "not divisible by k=2"),
    ("maxout", {"k": 3, "axis": 0}, (4, 6), "axis 0 .4."),
    ("glu", {}, (2, 3), "must be even"),
    ("swiglu", {"axis": 0}, (3, 2), "must be even"),
])
def test_reducing_module_rejects_indivisible_axis(name, params, shape, match):
    with pytest.raises(ValueError, match=match):
        ANN.module(name, **params)(torch.zeros(shape))


# ----------------------------------------------------------------------------
# Modules with state or randomness: RReLU, PReLU, Swish, Maxout
# ----------------------------------------------------------------------------

def test_rrelu_training_draws_random_slopes_in_range():
    lower, upper = 0.1, 0.4
    mod = ANN.RReLU(lower, upper).train()
    x = torch.cat([-torch.ones(20_000, dtype=F64), torch.arange(1.0, 6.0, dtype=F64)])
    y = mod(x)
    slopes = -y[:20_000]
    assert torch.all((slopes >= lower) & (slopes <= upper))
    assert slopes.unique().numel() > 10_000
    assert abs(slopes.mean().item() - (lower + upper) / 2) < 0.005
    assert abs(slopes.var().item() - (upper - lower) ** 2 / 12) < 0.001  # U(l, u)
    torch.testing.assert_close(y[20_000:], x[20_000:], rtol=0, atol=0)


def test_rrelu_training_is_reproducible_with_a_seed():
    x = torch.linspace(-3.0, 3.0, 101, dtype=F64)
    torch.manual_seed(42)
    first = ANN.RReLU().train()(x)
    torch.manual_seed(42)
    assert torch.equal(first, ANN.RReLU().train()(x))
    assert not torch.equal(first, ANN.RReLU().train()(x))


def test_rrelu_eval_uses_the_mean_slope():
    lower, upper = 0.1, 0.4
    x = torch.linspace(-3.0, 3.0, 101, dtype=F64)
    y = ANN.RReLU(lower, upper).eval()(x)
    torch.testing.assert_close(y, torch.where(x >= 0, x, x * (lower + upper) / 2))
    _close(y, actlib.rrelu(x.numpy(), lower, upper))


def test_prelu_per_channel_slopes_and_gradients():
    mod = ANN.PReLU(num_parameters=3, a=0.25, dtype=F64)
    assert mod.a is mod.weight and mod.weight.shape == (3,)
    with torch.no_grad():
        mod.weight.copy_(torch.tensor([0.1, 0.2, 0.3], dtype=F64))
    x = torch.randn(2, 3, 4, dtype=F64)
    y = mod(x)
    for c, a in enumerate([0.1, 0.2, 0.3]):
        _close(y[:, c], actlib.prelu(x[:, c].numpy(), a=a))
    y.sum().backward()
    expected = actlib.d_prelu_da(x.numpy()).sum(axis=(0, 2))
    _close(mod.weight.grad, expected)


def test_swish_beta_fixed_or_learned():
    assert list(ANN.Swish(beta=2.0).parameters()) == []
    mod = ANN.Swish(beta=0.5, learnable=True)
    (beta,) = mod.parameters()
    assert beta.shape == () and beta.item() == 0.5
    x = torch.linspace(-4.0, 4.0, 33)
    mod(x).sum().backward()
    _close(beta.grad, actlib.d_swish_dbeta(x.numpy(), beta=0.5).sum(), rtol=1e-5, atol=1e-6)
    assert mod(x.double()).dtype == F64  # a float32 beta does not change a float64 input


def test_maxout_jacobian_at_ties_is_the_module_s_autograd():
    """actlib.jacobian_maxout shares a tie as autograd through actlib.nn.Maxout's amax does."""
    x = torch.tensor([[0.0, 0.0, 1.0, 2.0], [3.0, 3.0, 3.0, 1.0]], dtype=F64).reshape(8)
    jac = torch.autograd.functional.jacobian(ANN.Maxout(k=4), x)
    _close(jac, actlib.jacobian_maxout(x.numpy(), k=4), rtol=0, atol=0)


def test_squared_relu_gradient_at_zero_is_zero_from_autograd():
    x = torch.tensor([0.0, -0.0], dtype=F64, requires_grad=True)
    (g,) = torch.autograd.grad(ANN.SquaredReLU()(x).sum(), x)
    assert g.tolist() == [0.0, 0.0] == actlib.d_squared_relu(x.detach().numpy()).tolist()


def test_maxout_layer_shapes():
    mod = ANN.Maxout(in_features=3, out_features=5, k=4)
    assert mod.linear.weight.shape == (20, 3)
    assert mod(torch.randn(7, 3)).shape == (7, 5)
    assert mod(torch.randn(2, 7, 3)).shape == (2, 7, 5)
    assert sum(p.numel() for p in mod.parameters()) == 20 * 3 + 20


@pytest.mark.parametrize(("pieces", "target"), [
    ([0.0, 1.0], lambda x: np.maximum(x, 0.0)),
    ([0.1, 1.0], lambda x: np.where(x >= 0, x, 0.1 * x)),
    ([-1.0, 1.0], np.abs),
], ids=["relu", "leaky_relu", "abs"])
def test_maxout_layer_represents_piecewise_linear_functions(pieces, target):
    mod = ANN.Maxout(in_features=1, out_features=1, k=2).to(F64)
    with torch.no_grad():
        mod.linear.weight.copy_(torch.tensor(pieces, dtype=F64)[:, None])
        mod.linear.bias.zero_()
    x = torch.linspace(-5.0, 5.0, 41, dtype=F64)[:, None]
    _close(mod(x)[:, 0], target(x[:, 0].numpy()))


def test_maxout_layer_matches_linear_then_numpy_maxout():
    mod = ANN.Maxout(in_features=4, out_features=3, k=3).to(F64)
    x = torch.randn(5, 4, dtype=F64)
    pieces = mod.linear(x).detach().numpy()
    _close(mod(x), actlib.maxout(pieces, k=3))


# ----------------------------------------------------------------------------
# Hand-written autograd functions
# ----------------------------------------------------------------------------

AG_CASES = [pytest.param(name, params, id=f"{name}-{tag}") for name in AG.FUNCTIONS
            for tag, params in _param_sets(actlib.get(name))]
X_AG = torch.linspace(-6.0, 6.0, 25, dtype=F64) + 0.0123  # off the kinks at 0


@pytest.mark.parametrize(("name", "params"), AG_CASES)
def test_autograd_function_passes_gradcheck(name, params):
    fn = AG.FUNCTIONS[name][1]
    x = X_AG.clone().requires_grad_()
    if name == "swish":
        beta = torch.tensor(params.get("beta", 1.0), dtype=F64, requires_grad=True)
        assert torch.autograd.gradcheck(fn, (x, beta))
    else:
        assert torch.autograd.gradcheck(lambda z: fn(z, **params), (x,))


@pytest.mark.parametrize(("name", "params"), AG_CASES)
def test_autograd_function_matches_torch_autograd(name, params):
    record = actlib.get(name)
    fn = AG.FUNCTIONS[name][1]
    x = X_AG.clone().requires_grad_()
    grad_out = torch.randn_like(x)
    ours = fn(x, **params)
    ref = REF.torch_callable(record, **params)(x)
    torch.testing.assert_close(ours, ref, rtol=1e-14, atol=1e-15)
    (g_ours,) = torch.autograd.grad(ours, x, grad_out)
    (g_ref,) = torch.autograd.grad(ref, x, grad_out)
    torch.testing.assert_close(g_ours, g_ref, rtol=1e-12, atol=1e-14)
    _close(g_ours, grad_out.numpy() * record.derivative(x.detach().numpy(), **params))


def test_swish_function_rejects_a_nan_or_integer_beta_tensor():
    x = X_AG.clone()
    with pytest.raises(ValueError, match="parameter beta must be finite, got tensor"):
        AG.swish(x, torch.tensor(math.nan))
    with pytest.raises(TypeError, match="floating-point tensor, got a tensor of dtype torch.int64"):
        AG.swish(x, torch.tensor(2))


def test_relu_function_saves_the_nan_mask_only_when_there_is_a_nan():
    x = X_AG.clone().requires_grad_()
    assert len([t for t in AG.relu(x).grad_fn.saved_tensors if t is not None]) == 1
    x = torch.tensor([math.nan, 1.0], dtype=F64, requires_grad=True)
    (g,) = torch.autograd.grad(AG.relu(x).sum(), x)
    assert math.isnan(g[0]) and g[1] == 1.0


def test_swish_function_gradient_for_beta_matches_torch_autograd():
    x = X_AG.clone().requires_grad_()
    beta = torch.tensor(1.7, dtype=F64, requires_grad=True)
    g_ours = torch.autograd.grad(AG.swish(x, beta).sum(), (x, beta))
    g_ref = torch.autograd.grad((x * torch.sigmoid(beta * x)).sum(), (x, beta))
    for a, b in zip(g_ours, g_ref, strict=True):
        torch.testing.assert_close(a, b, rtol=1e-12, atol=1e-14)
    _close(g_ours[1], actlib.d_swish_dbeta(X_AG.numpy(), beta=1.7).sum())


@pytest.mark.parametrize(("name", "params", "expected"), [
    ("relu", {}, 0.0), ("leaky_relu", {"negative_slope": 0.2}, 0.2), ("elu", {"alpha": 1.5}, 1.5),
])
def test_autograd_function_gradient_at_the_kink_follows_torch(name, params, expected):
    x = torch.zeros(1, dtype=F64, requires_grad=True)
    (g,) = torch.autograd.grad(AG.FUNCTIONS[name][1](x, **params).sum(), x)
    (g_ref,) = torch.autograd.grad(REF.torch_reference(name, **params)(x).sum(), x)
    assert g.item() == g_ref.item() == expected


@pytest.mark.parametrize(("name", "saved"), [
    ("sigmoid", "output"), ("tanh", "output"), ("relu", "mask"), ("leaky_relu", "mask"),
    ("elu", "input"), ("gelu", "input"), ("swish", "input"),
])
def test_autograd_function_saves_what_its_docstring_says(name, saved):
    x = X_AG.clone().requires_grad_()
    y = AG.FUNCTIONS[name][1](x)
    first = y.grad_fn.saved_tensors[0]
    if saved == "output":
        assert torch.equal(first, y.detach())
    elif saved == "mask":
        assert first.dtype == torch.bool and torch.equal(first, x.detach() > 0)
    else:
        assert torch.equal(first, x.detach())
    assert saved in (AG.FUNCTIONS[name][0].__doc__ + AG.__doc__)


@pytest.mark.parametrize("name", list(AG.FUNCTIONS))
def test_autograd_function_keeps_float32(name):
    x = torch.linspace(-3.0, 3.0, 7).requires_grad_()
    y = AG.FUNCTIONS[name][1](x)
    y.sum().backward()
    assert y.dtype == x.grad.dtype == torch.float32


# ----------------------------------------------------------------------------
# Kinks: the numpy derivatives claim to follow PyTorch's autograd there
# ----------------------------------------------------------------------------

def _kink_cases():
    for record in ELEMENTWISE:
        if record.torch is None:
            continue
        for tag, params in _param_sets(record):
            kinks = record.kinks_at(**params)
            if kinks:
                yield pytest.param(record, params, kinks, id=f"{record.name}-{tag}")


@pytest.mark.parametrize(("record", "params", "kinks"), list(_kink_cases()))
def test_numpy_derivative_at_kinks_matches_torch_autograd(record, params, kinks):
    """The registry's kinks: there the numpy derivative takes the value PyTorch's autograd gives."""
    x = torch.tensor(kinks, dtype=F64, requires_grad=True)
    (grad,) = torch.autograd.grad(REF.torch_reference(record, **params)(x).sum(), x)
    rtol, atol = LOOSE_GRAD.get(record.name, (1e-12, 1e-12))
    _close(grad, record.derivative(np.array(kinks), **params), rtol, atol, f"{record.name} at {kinks}")


# ----------------------------------------------------------------------------
# Device helper and lazy import
# ----------------------------------------------------------------------------

def test_try_gpu_falls_back_to_cpu(monkeypatch):
    monkeypatch.setattr(torch.cuda, "is_available", lambda: False)
    assert DEV.try_gpu() == torch.device("cpu")
    assert DEV.try_all_gpus() == [torch.device("cpu")]
    assert DEV.describe(DEV.try_gpu()) == "CPU (no CUDA device found)"
    device, config, on_gpu = DEV.pick_config(gpu="big", cpu="small")
    assert (device.type, config, on_gpu) == ("cpu", "small", False)


def test_try_gpu_on_this_machine():
    expected = "cuda" if torch.cuda.is_available() else "cpu"
    assert DEV.try_gpu().type == expected
    assert DEV.describe().startswith("GPU: " if expected == "cuda" else "CPU")


def test_try_gpu_picks_cuda_when_available(monkeypatch):
    monkeypatch.setattr(torch.cuda, "is_available", lambda: True)
    assert DEV.try_gpu() == torch.device("cuda:0")
    monkeypatch.setattr(torch.cuda, "device_count", lambda: 2)
    monkeypatch.setattr(torch.cuda, "get_device_name", lambda i=None: f"Fake GPU {i}")
    assert DEV.try_gpu(1) == torch.device("cuda:1")
    assert DEV.try_gpu(2) == torch.device("cpu")
    assert DEV.try_all_gpus() == [torch.device("cuda:0"), torch.device("cuda:1")]
    assert DEV.describe(torch.device("cuda:1")) == "GPU: Fake GPU 1"
    assert DEV.describe(torch.device("cpu")) == "CPU"
    device, config, on_gpu = DEV.pick_config(gpu="big", cpu="small")
    assert (device, config, on_gpu) == (torch.device("cuda:0"), "big", True)


def test_try_gpu_rejects_a_bad_index():
    with pytest.raises(ValueError, match="i"):
        DEV.try_gpu(-1)
    with pytest.raises(TypeError, match="i"):
        DEV.try_gpu(0.5)


def test_import_actlib_does_not_import_torch():
    code = ("import sys, actlib; actlib.sigmoid(1.0); actlib.get('gelu').fn(0.5); "
            "assert 'torch' not in sys.modules, 'import actlib loaded torch'; "
            "actlib.nn.MODULES; assert 'torch' in sys.modules")
    subprocess.run([sys.executable, "-c", code], check=True, timeout=120)


@pytest.mark.parametrize("module", ["actlib.nn", "actlib.nn.modules", "actlib.nn.reference",
                                    "actlib.nn.autograd", "actlib.nn.device", "actlib.nn.semantics"])
def test_torch_side_docstring_examples(module):
    import doctest
    import importlib

    result = doctest.testmod(importlib.import_module(module), optionflags=doctest.NORMALIZE_WHITESPACE)
    assert result.failed == 0 and result.attempted > 0
