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
- ``elu``: the input :math:`x`; backward :math:`g` or :math:`\alpha e^{x} g`.
- ``gelu``: the input :math:`x`; backward :math:`g\,(\Phi(x) + x\varphi(x))`.
- ``swish``: the input :math:`x` and :math:`\beta`; gradients for both.

A boolean mask costs one byte per element, a float32 tensor four. Gradients
at the kinks follow PyTorch: ReLU's is 0 at 0, leaky ReLU's is its slope,
ELU's is :math:`\alpha`.

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

from .._validate import check_param

__all__ = [
    "SigmoidFunction", "TanhFunction", "ReLUFunction", "LeakyReLUFunction", "ELUFunction",
    "GELUFunction", "SwishFunction", "FUNCTIONS",
    "sigmoid", "tanh", "relu", "leaky_relu", "elu", "gelu", "swish",
]

_INV_SQRT_2PI = 1.0 / math.sqrt(2.0 * math.pi)


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
        ctx.save_for_backward(mask)
        return torch.relu(x)

    @staticmethod
    def backward(ctx, grad):
        (mask,) = ctx.saved_tensors
        return grad * mask


class LeakyReLUFunction(torch.autograd.Function):
    r"""Leaky ReLU; saves the mask :math:`x > 0` and the slope (a Python float).

    The gradient at 0 is the slope, as in PyTorch.
    """

    @staticmethod
    def forward(ctx, x, negative_slope):
        mask = x > 0
        ctx.save_for_backward(mask)
        ctx.negative_slope = negative_slope
        return torch.where(mask, x, x * negative_slope)

    @staticmethod
    def backward(ctx, grad):
        (mask,) = ctx.saved_tensors
        return torch.where(mask, grad, grad * ctx.negative_slope), None


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
    :math:`(1 + \operatorname{erf}(x/\sqrt2))/2` cancels.
    """

    @staticmethod
    def forward(ctx, x):
        ctx.save_for_backward(x)
        return x * torch.special.ndtr(x)

    @staticmethod
    def backward(ctx, grad):
        (x,) = ctx.saved_tensors
        phi = torch.exp(-0.5 * x * x) * _INV_SQRT_2PI
        return grad * (torch.special.ndtr(x) + x * phi)


class SwishFunction(torch.autograd.Function):
    r"""Swish, :math:`x\,\sigma(\beta x)`; saves the input :math:`x` and :math:`\beta` (a tensor).

    With :math:`s = \sigma(\beta x)` and :math:`s(1 - s) = \sigma(\beta x)\sigma(-\beta x)`
    (computed without cancellation):

    .. math:: \frac{\partial f}{\partial x} = s + \beta x\,s(1 - s), \qquad
              \frac{\partial f}{\partial \beta} = x^2\,s(1 - s)

    The gradient for :math:`\beta` is summed over the elements it was
    broadcast to, so a scalar :math:`\beta` gets a scalar gradient.
    """

    @staticmethod
    def forward(ctx, x, beta):
        ctx.save_for_backward(x, beta)
        return x * torch.sigmoid(beta * x)

    @staticmethod
    def backward(ctx, grad):
        x, beta = ctx.saved_tensors
        t = beta * x
        s = torch.sigmoid(t)
        ss = s * torch.sigmoid(-t)
        grad_x = grad_beta = None
        if ctx.needs_input_grad[0]:
            grad_x = (grad * (s + t * ss)).sum_to_size(x.shape)
        if ctx.needs_input_grad[1]:
            grad_beta = (grad * x * x * ss).sum_to_size(beta.shape)
        return grad_x, grad_beta


def sigmoid(x: torch.Tensor) -> torch.Tensor:
    """Sigmoid with the hand-written backward of :class:`SigmoidFunction`."""
    return SigmoidFunction.apply(x)


def tanh(x: torch.Tensor) -> torch.Tensor:
    """tanh with the hand-written backward of :class:`TanhFunction`."""
    return TanhFunction.apply(x)


def relu(x: torch.Tensor) -> torch.Tensor:
    """ReLU with the hand-written backward of :class:`ReLUFunction`."""
    return ReLUFunction.apply(x)


def leaky_relu(x: torch.Tensor, negative_slope: float = 0.01) -> torch.Tensor:
    """Leaky ReLU (slope in [0, 1]) with the backward of :class:`LeakyReLUFunction`."""
    negative_slope = check_param("negative_slope", negative_slope, 0.0, 1.0)
    return LeakyReLUFunction.apply(x, negative_slope)


def elu(x: torch.Tensor, alpha: float = 1.0) -> torch.Tensor:
    r"""ELU (:math:`\alpha \ge 0`) with the backward of :class:`ELUFunction`."""
    alpha = check_param("alpha", alpha, 0.0, math.inf)
    return ELUFunction.apply(x, alpha)


def gelu(x: torch.Tensor) -> torch.Tensor:
    """Exact GELU with the backward of :class:`GELUFunction`."""
    return GELUFunction.apply(x)


def swish(x: torch.Tensor, beta: float | torch.Tensor = 1.0) -> torch.Tensor:
    r"""Swish with the backward of :class:`SwishFunction`.

    ``beta`` may be a float or a tensor (``requires_grad=True`` to learn it);
    a float becomes a 0-d tensor of ``x``'s dtype on ``x``'s device.
    """
    if not isinstance(beta, torch.Tensor):
        beta = torch.tensor(check_param("beta", beta), dtype=x.dtype, device=x.device)
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
