r"""Activations as ``torch.autograd.Function``\ s with hand-written backward passes.

PyTorch's autograd derives backward passes by itself; these classes write
them out, as the chapter on backpropagation through activations does by hand,
so a reader can see which tensors each one keeps between the forward and the
backward pass (the memory a later chapter counts) and check them with
``torch.autograd.gradcheck``. Every backward is written with torch
operations, so it runs on any device and dtype.

What each function saves for backward (``ctx.save_for_backward``):

- ``sigmoid``: the output :math:`y`; backward :math:`g\,y(1 - y)`.
- ``tanh``: the output :math:`y`; backward :math:`g\,(1 - y^2)`.
- ``relu``: the boolean mask :math:`x > 0`; backward :math:`g\,[x > 0]`.
- ``leaky_relu``: the mask :math:`x > 0`; backward :math:`g` or :math:`\alpha g`.

  (Both also keep the mask of NaN inputs, but only when the input holds a
  NaN, so that the gradient there is NaN, as :func:`actlib.d_relu`'s is.)
- ``elu``: the input :math:`x`; backward :math:`g` or :math:`\alpha e^{x} g`.
- ``gelu``: the input :math:`x`; backward :math:`g\,(\Phi(x) + x\varphi(x))`.
- ``swish``: the input :math:`x` and :math:`\beta`; gradients for both.

A boolean mask costs one byte per element, a float32 tensor four. Values and
gradients agree with :mod:`actlib.functions` and :mod:`actlib.derivatives` at
NaN (NaN), at :math:`\pm\infty` (the limits, where PyTorch's own
operations give NaN for GELU and Swish) and at the kinks, where both follow
PyTorch: ReLU's gradient is 0 at 0, leaky ReLU's is its slope, ELU's is
:math:`\alpha` (see :mod:`actlib.nn.semantics`).

Examples:
    >>> import torch
    >>> from actlib.nn import autograd
    >>> x = torch.tensor([-1.0, 2.0], dtype=torch.float64, requires_grad=True)
    >>> autograd.relu(x).sum().backward()
    >>> x.grad
    tensor([0., 1.], dtype=torch.float64)
    >>> torch.autograd.gradcheck(autograd.gelu, (x,))
    True
"""

from __future__ import annotations

import math

import torch

from ..registry import get

__all__ = [
    "SigmoidFunction", "TanhFunction", "ReLUFunction", "LeakyReLUFunction", "ELUFunction",
    "GELUFunction", "SwishFunction", "FUNCTIONS",
    "sigmoid", "tanh", "relu", "leaky_relu", "elu", "gelu", "swish",
]

_INV_SQRT_2PI = 1.0 / math.sqrt(2.0 * math.pi)
_CLIP = 800.0  # |t| beyond which sigma(-|t|) is exactly 0 in float64


def _nan_mask(x):
    """The mask of NaN inputs, or ``None`` when there is none (the usual case: nothing saved)."""
    nan = torch.isnan(x)
    return nan if bool(nan.any()) else None


def _with_nan(grad, nan):
    return grad if nan is None else grad.masked_fill(nan, math.nan)


def _gated(x, g):
    """``x * g``, with the limit (a signed zero) where ``x`` is infinite and ``g`` is 0."""
    y = x * g
    return torch.where(torch.isinf(x) & (g == 0), torch.copysign(torch.zeros_like(y), x), y)


class SigmoidFunction(torch.autograd.Function):
    r""":math:`\sigma(x)`; saves the output :math:`y` and returns :math:`g\,y(1 - y)`."""

    @staticmethod
    def forward(ctx, x):
        y = torch.sigmoid(x)
        ctx.save_for_backward(y)
        return y

    @staticmethod
    def backward(ctx, grad):
        (y,) = ctx.saved_tensors
        return grad * y * (1.0 - y)


class TanhFunction(torch.autograd.Function):
    r""":math:`\tanh x`; saves the output :math:`y` and returns :math:`g\,(1 - y^2)`."""

    @staticmethod
    def forward(ctx, x):
        y = torch.tanh(x)
        ctx.save_for_backward(y)
        return y

    @staticmethod
    def backward(ctx, grad):
        (y,) = ctx.saved_tensors
        return grad * (1.0 - y * y)


class ReLUFunction(torch.autograd.Function):
    r""":math:`\max(0, x)`; saves the boolean mask :math:`x > 0` (gradient 0 at 0)."""

    @staticmethod
    def forward(ctx, x):
        mask = x > 0
        ctx.save_for_backward(mask, _nan_mask(x))
        return torch.relu(x)

    @staticmethod
    def backward(ctx, grad):
        mask, nan = ctx.saved_tensors
        return _with_nan(grad * mask, nan)


class LeakyReLUFunction(torch.autograd.Function):
    r"""Leaky ReLU; saves the mask :math:`x > 0` and the slope (a Python float).

    The gradient at 0 is the slope, as in PyTorch.
    """

    @staticmethod
    def forward(ctx, x, negative_slope):
        mask = x > 0
        ctx.save_for_backward(mask, _nan_mask(x))
        ctx.negative_slope = negative_slope
        return torch.where(mask, x, x * negative_slope)

    @staticmethod
    def backward(ctx, grad):
        mask, nan = ctx.saved_tensors
        return _with_nan(torch.where(mask, grad, grad * ctx.negative_slope), nan), None


class ELUFunction(torch.autograd.Function):
    r"""ELU; saves the input :math:`x` (and :math:`\alpha`, a float).

    The backward is :math:`\alpha e^{\min(x, 0)}` for :math:`x \le 0`,
    accurate even where :math:`e^{x}` is tiny. (PyTorch's ``F.elu`` saves
    its input too; a backward from the output, :math:`y + \alpha`, would
    cancel there.)
    """

    @staticmethod
    def forward(ctx, x, alpha):
        ctx.save_for_backward(x)
        ctx.alpha = alpha
        return torch.where(x > 0, x, alpha * torch.expm1(torch.clamp(x, max=0.0)))

    @staticmethod
    def backward(ctx, grad):
        (x,) = ctx.saved_tensors
        d = torch.where(x > 0, torch.ones_like(x), ctx.alpha * torch.exp(torch.clamp(x, max=0.0)))
        return grad * d, None


class GELUFunction(torch.autograd.Function):
    r"""Exact GELU, :math:`x\,\Phi(x)`; saves the input, returns :math:`g(\Phi(x) + x\varphi(x))`.

    :math:`\Phi` is ``torch.special.ndtr``, accurate in the left tail where
    :math:`(1 + \operatorname{erf}(x/\sqrt2))/2` cancels. At :math:`\pm\infty`
    the value and gradient are the limits (0 and 0 on the left, ``inf`` and 1 on
    the right), where ``x * ndtr(x)`` and ``x * phi(x)`` would be ``inf * 0``.
    """

    @staticmethod
    def forward(ctx, x):
        ctx.save_for_backward(x)
        return _gated(x, torch.special.ndtr(x))

    @staticmethod
    def backward(ctx, grad):
        (x,) = ctx.saved_tensors
        xc = torch.clamp(x, -40.0, 40.0)  # phi(40) underflows to 0
        phi = torch.exp(-0.5 * xc * xc) * _INV_SQRT_2PI
        return grad * (torch.special.ndtr(x) + xc * phi)


# The docstring is plain text, not reST: the custom-autograd assignment shows this
# class's source as its worked example.
class SwishFunction(torch.autograd.Function):
    """Swish, x·σ(βx); saves the input x and β (a tensor).

    With s = σ(βx) and s(1 − s) = σ(βx)·σ(−βx) (computed without cancellation):

        ∂f/∂x = s + βx·s(1 − s),    ∂f/∂β = x²·s(1 − s)

    The gradient for β is summed over the elements it was broadcast to, so a
    scalar β gets a scalar gradient. At ±∞ the value and both gradients are the
    limits.
    """

    @staticmethod
    def forward(ctx, x, beta):
        ctx.save_for_backward(x, beta)
        t = torch.where(beta == 0, 0.0, beta * x)  # 0 * inf is 0 here: sigma(0 x) = 1/2
        return _gated(x, torch.sigmoid(t))

    @staticmethod
    def backward(ctx, grad):
        x, beta = ctx.saved_tensors
        t = torch.where(beta == 0, 0.0, beta * x)  # 0 * inf is 0 here: sigma(0 x) = 1/2
        s = torch.sigmoid(t)
        ss = s * torch.sigmoid(-t)
        grad_x = grad_beta = None
        if ctx.needs_input_grad[0]:
            grad_x = (grad * (s + torch.clamp(t, -_CLIP, _CLIP) * ss)).sum_to_size(x.shape)
        if ctx.needs_input_grad[1]:
            dbeta = torch.where(ss == 0, 0.0, x * x * ss)
            grad_beta = (grad * dbeta).sum_to_size(beta.shape)
        return grad_x, grad_beta


def _tensor(x, who: str):
    if not isinstance(x, torch.Tensor):
        raise TypeError(f"actlib.nn.autograd.{who} takes a torch.Tensor, got {type(x).__name__}; "
                        f"convert it with torch.as_tensor(x), or use actlib.{who} for numpy input")
    return x


def sigmoid(x: torch.Tensor) -> torch.Tensor:
    """Sigmoid with the hand-written backward of :class:`SigmoidFunction`."""
    return SigmoidFunction.apply(_tensor(x, 'sigmoid'))


def tanh(x: torch.Tensor) -> torch.Tensor:
    """tanh with the hand-written backward of :class:`TanhFunction`."""
    return TanhFunction.apply(_tensor(x, 'tanh'))


def relu(x: torch.Tensor) -> torch.Tensor:
    """ReLU with the hand-written backward of :class:`ReLUFunction`."""
    return ReLUFunction.apply(_tensor(x, 'relu'))


def leaky_relu(x: torch.Tensor, negative_slope: float = 0.01) -> torch.Tensor:
    """Leaky ReLU (slope in [0, 1]) with the backward of :class:`LeakyReLUFunction`."""
    negative_slope = get("leaky_relu").param("negative_slope").validate(negative_slope)
    return LeakyReLUFunction.apply(_tensor(x, "leaky_relu"), negative_slope)


def elu(x: torch.Tensor, alpha: float = 1.0) -> torch.Tensor:
    r"""ELU (:math:`\alpha \ge 0`) with the backward of :class:`ELUFunction`."""
    alpha = get("elu").param("alpha").validate(alpha)
    return ELUFunction.apply(_tensor(x, "elu"), alpha)


def gelu(x: torch.Tensor) -> torch.Tensor:
    """Exact GELU with the backward of :class:`GELUFunction`."""
    return GELUFunction.apply(_tensor(x, 'gelu'))


def swish(x: torch.Tensor, beta: float | torch.Tensor = 1.0) -> torch.Tensor:
    r"""Swish with the backward of :class:`SwishFunction`.

    ``beta`` may be a float or a floating-point tensor (``requires_grad=True``
    to learn it), finite either way; a float becomes a 0-d tensor of ``x``'s
    dtype on ``x``'s device.
    """
    _tensor(x, "swish")
    if not isinstance(beta, torch.Tensor):
        beta = torch.tensor(get("swish").param("beta").validate(beta), dtype=x.dtype, device=x.device)
    elif not beta.is_floating_point():
        raise TypeError(f"parameter beta must be a real number or a floating-point tensor, got a "
                        f"tensor of dtype {beta.dtype}")
    elif not bool(torch.isfinite(beta.detach()).all()):
        raise ValueError(f"parameter beta must be finite, got {beta.detach()!r}")
    return SwishFunction.apply(x, beta)


#: name -> (``autograd.Function`` subclass, convenience function), by registry name.
FUNCTIONS = {
    "sigmoid": (SigmoidFunction, sigmoid),
    "tanh": (TanhFunction, tanh),
    "relu": (ReLUFunction, relu),
    "leaky_relu": (LeakyReLUFunction, leaky_relu),
    "elu": (ELUFunction, elu),
    "gelu": (GELUFunction, gelu),
    "swish": (SwishFunction, swish),
}
