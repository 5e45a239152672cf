r"""Assignment 4, *A custom torch.autograd.Function*: forward, backward, gradcheck, stability.

The checks work for any elementwise activation of the registry (the notebook asks
for Mish); how to differentiate each one is data,
:data:`~actlib.teaching.checks.hints.BACKWARD_HINTS`.
"""

from __future__ import annotations

import numpy as np

from ...registry import get
from ._core import check, fail, fmt, knock_on
from .hints import BACKWARD_HINTS, NAN_HINT, READ_MORE

__all__ = ["check_autograd_forward", "check_autograd_backward", "check_gradcheck",
           "check_autograd_stability"]

_MORE = READ_MORE["autograd"]


def _apply(cls, what: str, key: str):
    __tracebackhide__ = True
    import torch

    if not (isinstance(cls, type) and issubclass(cls, torch.autograd.Function)):
        fail(f"{what}: expected a subclass of torch.autograd.Function (the class itself, not "
             "an instance or a function), with static methods forward(ctx, x) and "
             "backward(ctx, grad_output).", key, _MORE)
    return cls.apply


def _call(apply, x, what: str, key: str):
    __tracebackhide__ = True
    try:
        return apply(x)
    except NotImplementedError:
        fail(f"{what}: raised NotImplementedError; write forward and backward first.", key, _MORE)
    except Exception as exc:  # noqa: BLE001 - any error in the student's code becomes feedback
        fail(f"{what} raised {type(exc).__name__}: {exc}", key, _MORE)


def _tensor(y, x, what: str, key: str):
    __tracebackhide__ = True
    import torch

    if not isinstance(y, torch.Tensor):
        fail(f"{what} returned a {type(y).__name__}, not a tensor: compute with torch "
             "operations (torch.tanh, torch.nn.functional.softplus ...), not numpy.", key, _MORE)
    if y.shape != x.shape:
        fail(f"{what} returned shape {tuple(y.shape)} for an input of shape {tuple(x.shape)}.",
             key, _MORE)
    if y.dtype != x.dtype:
        fail(f"{what} returned {y.dtype} for a {x.dtype} input: keep the input's dtype (avoid "
             "torch.tensor(..., dtype=torch.float64) constants).", key, _MORE)
    return y


@check
def check_autograd_forward(cls, name: str = "mish"):
    """The forward pass of ``cls.apply`` equals actlib's ``name`` in float64 and keeps dtypes."""
    __tracebackhide__ = True
    import torch

    rec, key = get(name), "autograd_forward"
    apply = _apply(cls, f"{name} forward", key)
    x = torch.linspace(-8.0, 8.0, 161, dtype=torch.float64)
    what = f"{cls.__name__}.apply(x)"
    y = _tensor(_call(apply, x, what, key), x, what, key)
    expected = rec.fn(x.numpy())
    got = y.detach().numpy()
    if not np.allclose(got, expected, rtol=1e-10, atol=1e-12):
        i = int(np.nanargmax(np.where(np.isnan(got), np.inf, np.abs(got - expected))))
        fail(f"forward: {name}({x[i].item():g}) = {fmt(got[i])}, expected {fmt(expected[i])} "
             f"(actlib.{rec.fn.__name__}).", key, _MORE)
    x32 = x.float()
    _tensor(_call(apply, x32, f"{cls.__name__}.apply(float32 x)", key), x32,
            f"{cls.__name__}.apply(float32 x)", key)
    return key, f"{cls.__name__} forward: agrees with actlib.{rec.fn.__name__} and keeps the dtype."


@check
def check_autograd_backward(cls, name: str = "mish"):
    """``backward`` returns grad_output times actlib's derivative."""
    __tracebackhide__ = True
    import torch

    rec, key = get(name), "autograd_backward"
    apply = _apply(cls, f"{name} backward", key)
    x = torch.linspace(-8.0, 8.0, 161, dtype=torch.float64, requires_grad=True)
    upstream = torch.linspace(-2.0, 3.0, 161, dtype=torch.float64)
    y = _call(apply, x, f"{cls.__name__}.apply(x)", key)
    try:
        y.backward(upstream)
    except Exception as exc:  # noqa: BLE001
        fail(f"backward raised {type(exc).__name__}: {exc}. backward(ctx, grad_output) returns "
             "one gradient per input of forward (None for non-tensor inputs), each shaped like "
             "that input.", key, _MORE)
    if x.grad is None:
        fail("backward returned None for x: it must return grad_output * f'(x).", key, _MORE)
    d = rec.derivative(x.detach().numpy())
    got = x.grad.numpy()
    expected = upstream.numpy() * d
    if np.allclose(got, expected, rtol=1e-9, atol=1e-12):
        return key, (f"{cls.__name__} backward: grad_output * f'(x) agrees with "
                     f"actlib.{rec.derivative.__name__}.")
    if np.allclose(got, d, rtol=1e-9, atol=1e-12):
        fail("backward returned f'(x) itself. It must return grad_output * f'(x): the chain "
             "rule multiplies the local derivative by the gradient arriving from above.",
             key, _MORE)
    i = int(np.nanargmax(np.where(np.isnan(got), np.inf, np.abs(got - expected))))
    fail(f"backward: at x = {x[i].item():g} with grad_output = {upstream[i].item():g} it returned "
         f"{fmt(got[i])}, expected {fmt(expected[i])} = grad_output * "
         f"actlib.{rec.derivative.__name__}(x). "
         + BACKWARD_HINTS.get(rec.name, "Differentiate f with the chain and product rules.")
         + knock_on(None, [("autograd_forward", "forward")]), key, _MORE)


@check
def check_gradcheck(cls, name: str = "mish"):
    """``torch.autograd.gradcheck`` passes on a seeded float64 input (and forward is right).

    gradcheck alone would pass a stub that returns zeros in both passes, so the forward
    pass must first agree with actlib's ``name``.
    """
    __tracebackhide__ = True
    import torch

    key = "gradcheck"
    apply = _apply(cls, "gradcheck", key)
    probe = torch.linspace(-3.0, 3.0, 13, dtype=torch.float64)
    y = _call(apply, probe, f"{cls.__name__}.apply(x)", key)
    if not (isinstance(y, torch.Tensor) and y.shape == probe.shape and np.allclose(
            y.detach().numpy(), get(name).fn(probe.numpy()), rtol=1e-8, atol=1e-12)):
        fail("gradcheck would pass for any pair of consistent passes, even a forward and a "
             "backward that both return zeros; it counts only once the forward pass "
             f"computes {name} (see the forward check above).", key, _MORE)
    gen = torch.Generator().manual_seed(0)
    x = (3.0 * torch.randn(4, 5, generator=gen, dtype=torch.float64)).requires_grad_(True)
    try:
        torch.autograd.gradcheck(apply, (x,), eps=1e-6, atol=1e-6)
    except Exception as exc:  # noqa: BLE001 - GradcheckError and anything backward raises
        first = str(exc).strip().splitlines()[0] if str(exc).strip() else type(exc).__name__
        fail("torch.autograd.gradcheck failed: the analytic gradient from your backward does "
             f"not match finite differences of your forward ({first}).", key, _MORE)
    return key, f"gradcheck: passed for {cls.__name__}."


@check
def check_autograd_stability(cls, name: str = "mish", values=(-1000.0, -50.0, 50.0, 1000.0)):
    """Forward and backward are finite and right at large inputs, and NaN propagates."""
    __tracebackhide__ = True
    import torch

    rec, key = get(name), "autograd_stability"
    apply = _apply(cls, f"{name} at large inputs", key)
    values = np.asarray(values, dtype=np.float64)
    x = torch.tensor(values, dtype=torch.float64, requires_grad=True)
    y = _call(apply, x, f"{cls.__name__}.apply({values.tolist()})", key)
    try:
        y.sum().backward()
    except Exception as exc:  # noqa: BLE001
        fail(f"backward at {values.tolist()} raised {type(exc).__name__}: {exc}", key, _MORE)
    for label, got, expected in (("forward", y.detach().numpy(), rec.fn(values)),
                                 ("backward", x.grad.numpy(), rec.derivative(values))):
        bad = ~np.isclose(got, expected, rtol=1e-9, atol=1e-12)
        if bad.any():
            i = int(np.flatnonzero(bad)[0])
            fail(f"{label} at x = {values[i]:g} gave {fmt(got[i])}, expected {fmt(expected[i])}. "
                 "log(1 + exp(x)) overflows for large x; torch.nn.functional.softplus(x) does "
                 "not. A product such as x * sigmoid(x) or 0 * inf can also give nan: clamp the "
                 "input of exp.", key, _MORE)
    xn = torch.tensor([float("nan")], dtype=torch.float64)
    if not torch.isnan(_call(apply, xn, f"{cls.__name__}.apply(nan)", key)).all():
        fail(f"{name}(nan) is not nan. {NAN_HINT}", key, READ_MORE["nan"])
    return key, (f"{cls.__name__}: stable at {', '.join(f'{v:g}' for v in values)}, and NaN "
                 "propagates.")
