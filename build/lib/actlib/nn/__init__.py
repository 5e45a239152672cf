r"""PyTorch modules for every activation in the registry.

One ``torch.nn.Module`` per :data:`actlib.REGISTRY` record, under the
record's parameter names, so ``module(name, **params)`` builds any of them.
Where PyTorch has the activation, the class subclasses PyTorch's module (an
``actlib.nn.ELU`` *is* a ``torch.nn.ELU``, and computes exactly what it
computes); the others (thresholded ReLU, Keras' hard sigmoid, clipped ReLU,
GELU's sigmoid approximation, Swish with a fixed or learned :math:`\beta`,
Maxout, SwiGLU, and softmax with a temperature) are written here with torch
operations, so they run on any device and autograd differentiates them.

Parameters are checked at construction with the registry's
:meth:`actlib.Param.validate`: a bad value raises ``TypeError`` or
``ValueError`` naming the parameter. Outputs have the input's device and
dtype (a module with a learned parameter lives where you ``.to()`` it).

Examples:
    >>> import torch
    >>> from actlib import nn
    >>> nn.module("swish", beta=2.0)
    Swish(beta=2.0)
    >>> nn.module("NewGELU")(torch.tensor([1.0]))
    tensor([0.8412])
    >>> nn.ELU(alpha=-1.0)
    Traceback (most recent call last):
    ...
    ValueError: parameter alpha=-1.0 is out of range: it must lie in [0.0, inf]
"""

from __future__ import annotations

import math

import torch
from torch import nn
from torch.nn import functional as tF

from .._validate import check_param
from ..functions import GELU_SIGMOID_COEFF
from ..registry import get

__all__ = [
    "Identity", "Sigmoid", "HardSigmoidKeras", "HardSigmoidTorch", "Tanh", "Softsign",
    "Softplus", "LogSigmoid", "ReLU", "ReLU6", "ClippedReLU", "LeakyReLU", "PReLU", "RReLU",
    "ThresholdedReLU", "ELU", "CELU", "SELU", "GELU", "GELUTanh", "GELUSigmoid", "SiLU",
    "Swish", "HardSwish", "Mish", "Softmax", "LogSoftmax", "Maxout", "GLU", "SwiGLU",
    "MODULES", "module",
]

_ELEMENTWISE_SHAPE = """
    Shape:
        - Input: :math:`(*)`, any number of dimensions.
        - Output: :math:`(*)`, the shape of the input.
"""


def _checked(name: str, **params) -> dict:
    """Validate ``params`` against the registry record ``name``; return the cleaned values."""
    record = get(name)
    return {key: record.param(key).validate(value) for key, value in params.items()}


def _elementwise_doc(cls):
    cls.__doc__ = (cls.__doc__ or "").rstrip() + "\n" + _ELEMENTWISE_SHAPE
    return cls


def _check_length(x: torch.Tensor, axis: int, divisor: int, who: str, what: str) -> None:
    if x.dim() == 0:
        raise ValueError(f"{who}: needs an input with at least one dimension, got a scalar")
    if not -x.dim() <= axis < x.dim():
        raise ValueError(f"{who}: axis={axis} is out of range for an input with {x.dim()} "
                         "dimension(s)")
    n = x.shape[axis]
    if n % divisor:
        raise ValueError(f"{who}: the input's length along axis {axis} ({n}) {what}")


# ----------------------------------------------------------------------------
# Linear and sigmoid family (chapters: Why non-linearity; Sigmoid, tanh and relatives)
# ----------------------------------------------------------------------------

@_elementwise_doc
class Identity(nn.Identity):
    r"""Identity, :math:`f(x) = x`; returns its input unchanged (``torch.nn.Identity``)."""

    def __init__(self):
        super().__init__()


@_elementwise_doc
class Sigmoid(nn.Sigmoid):
    r"""Logistic sigmoid, :math:`\sigma(x) = 1/(1 + e^{-x})` (``torch.nn.Sigmoid``)."""


@_elementwise_doc
class HardSigmoidKeras(nn.Module):
    r"""Keras 2 hard sigmoid, :math:`\operatorname{clip}(0.2x + 0.5, 0, 1)`; torch has none.

    Computed as ``clamp((x + 2.5) / 5, 0, 1)``, which stays accurate next to
    :math:`x = -2.5`, as :func:`actlib.hard_sigmoid_keras` does.
    """

    def forward(self, x: torch.Tensor) -> torch.Tensor:
        return torch.clamp((x + 2.5) / 5.0, 0.0, 1.0)


@_elementwise_doc
class HardSigmoidTorch(nn.Hardsigmoid):
    r"""PyTorch's hard sigmoid, :math:`\operatorname{ReLU6}(x + 3)/6` (``torch.nn.Hardsigmoid``)."""

    def __init__(self, inplace: bool = False):
        super().__init__(inplace=inplace)


@_elementwise_doc
class Tanh(nn.Tanh):
    r"""Hyperbolic tangent (``torch.nn.Tanh``)."""


@_elementwise_doc
class Softsign(nn.Softsign):
    r"""Softsign, :math:`x / (1 + |x|)` (``torch.nn.Softsign``)."""


@_elementwise_doc
class Softplus(nn.Softplus):
    r"""Softplus, :math:`\frac{1}{\beta}\log(1 + e^{\beta x})` (``torch.nn.Softplus``).

    Reverts to the identity where :math:`\beta x >` ``threshold``, as PyTorch does.

    Args:
        beta: :math:`\beta > 0`.
        threshold: :math:`> 0`; ``inf`` gives the exact function everywhere.
    """

    def __init__(self, beta: float = 1.0, threshold: float = 20.0):
        super().__init__(**_checked("softplus", beta=beta, threshold=threshold))


@_elementwise_doc
class LogSigmoid(nn.LogSigmoid):
    r"""Log-sigmoid, :math:`\log\sigma(x)` (``torch.nn.LogSigmoid``)."""


# ----------------------------------------------------------------------------
# Rectifiers (chapter: The rectifiers)
# ----------------------------------------------------------------------------

@_elementwise_doc
class ReLU(nn.ReLU):
    r"""Rectified linear unit, :math:`\max(0, x)` (``torch.nn.ReLU``)."""

    def __init__(self, inplace: bool = False):
        super().__init__(inplace=inplace)


@_elementwise_doc
class ReLU6(nn.ReLU6):
    r"""ReLU capped at 6 (``torch.nn.ReLU6``)."""

    def __init__(self, inplace: bool = False):
        super().__init__(inplace=inplace)


@_elementwise_doc
class ClippedReLU(nn.Hardtanh):
    r"""ReLU clipped at ``max_value``: ``torch.nn.Hardtanh(0, max_value)``.

    Args:
        max_value: the cap :math:`m > 0` (Deep Speech used 20).
    """

    def __init__(self, max_value: float = 20.0, inplace: bool = False):
        max_value = _checked("clipped_relu", max_value=max_value)["max_value"]
        super().__init__(0.0, max_value, inplace=inplace)

    @property
    def max_value(self) -> float:
        return self.max_val

    def extra_repr(self) -> str:
        return f"max_value={self.max_val}"


@_elementwise_doc
class LeakyReLU(nn.LeakyReLU):
    r"""Leaky ReLU with a fixed ``negative_slope`` in [0, 1] (``torch.nn.LeakyReLU``)."""

    def __init__(self, negative_slope: float = 0.01, inplace: bool = False):
        super().__init__(**_checked("leaky_relu", negative_slope=negative_slope), inplace=inplace)


class PReLU(nn.PReLU):
    r"""Parametric ReLU with a learned negative slope (``torch.nn.PReLU``).

    .. math:: f(x) = \max(0, x) + a \min(0, x)

    Args:
        num_parameters: 1 (one slope shared by every channel) or the number of
            channels, the size of dimension 1 of the input.
        a: initial slope (``init`` in PyTorch), 0.25 as in He et al. (2015).

    The slope is the parameter ``weight`` (also reachable as ``a``), shape
    ``(num_parameters,)``. It is cast to the input's dtype in ``forward``, so
    a float32 module accepts a float64 or bfloat16 input; its gradient keeps
    the parameter's own dtype.

    Shape:
        - Input: :math:`(*)`; with ``num_parameters > 1``, :math:`(N, C, *)` with
          :math:`C` = ``num_parameters``.
        - Output: the shape of the input.
    """

    def __init__(self, num_parameters: int = 1, a: float = 0.25, device=None, dtype=None):
        num_parameters = check_param("num_parameters", num_parameters, 1, math.inf, integer=True)
        a = _checked("prelu", a=a)["a"]
        super().__init__(num_parameters, init=a, device=device, dtype=dtype)

    @property
    def a(self) -> nn.Parameter:
        return self.weight

    def forward(self, x: torch.Tensor) -> torch.Tensor:
        # the slope takes the input's dtype (a no-op when they agree); autograd sees the cast
        return tF.prelu(x, self.weight.to(dtype=x.dtype))


@_elementwise_doc
class RReLU(nn.RReLU):
    r"""Randomised leaky ReLU (``torch.nn.RReLU``).

    While ``training`` each negative element gets its own slope drawn from
    :math:`U(\text{lower}, \text{upper})` (seed with ``torch.manual_seed``);
    in evaluation (``.eval()``) every slope is the mean
    :math:`(\text{lower} + \text{upper})/2`.

    Args:
        lower, upper: :math:`0 \le \text{lower} \le \text{upper} \le 1`.
    """

    def __init__(self, lower: float = 1.0 / 8.0, upper: float = 1.0 / 3.0, inplace: bool = False):
        p = _checked("rrelu", lower=lower, upper=upper)
        if p["lower"] > p["upper"]:
            raise ValueError(f"parameter lower={p['lower']} must not exceed upper={p['upper']}")
        super().__init__(p["lower"], p["upper"], inplace=inplace)


@_elementwise_doc
class ThresholdedReLU(nn.Threshold):
    r"""Thresholded ReLU (Keras' ``ThresholdedReLU``): :math:`x` where :math:`x > \theta`, else 0.

    The same function as ``torch.nn.Threshold(theta, 0.0)``, which this subclasses.

    Args:
        theta: the threshold :math:`\theta \ge 0`.
    """

    def __init__(self, theta: float = 1.0, inplace: bool = False):
        theta = _checked("thresholded_relu", theta=theta)["theta"]
        super().__init__(theta, 0.0, inplace=inplace)

    @property
    def theta(self) -> float:
        return self.threshold

    def extra_repr(self) -> str:
        return f"theta={self.threshold}"


# ----------------------------------------------------------------------------
# Exponential linear units (chapter: Exponential linear units)
# ----------------------------------------------------------------------------

@_elementwise_doc
class ELU(nn.ELU):
    r"""Exponential linear unit with saturation value :math:`-\alpha`, :math:`\alpha \ge 0`
    (``torch.nn.ELU``)."""

    def __init__(self, alpha: float = 1.0, inplace: bool = False):
        super().__init__(**_checked("elu", alpha=alpha), inplace=inplace)


@_elementwise_doc
class CELU(nn.CELU):
    r"""Continuously differentiable ELU, :math:`\alpha > 0` (``torch.nn.CELU``)."""

    def __init__(self, alpha: float = 1.0, inplace: bool = False):
        super().__init__(**_checked("celu", alpha=alpha), inplace=inplace)


@_elementwise_doc
class SELU(nn.SELU):
    r"""Scaled ELU with the self-normalising constants (``torch.nn.SELU``)."""

    def __init__(self, inplace: bool = False):
        super().__init__(inplace=inplace)


# ----------------------------------------------------------------------------
# Smooth gates (chapter: Smooth gates)
# ----------------------------------------------------------------------------

@_elementwise_doc
class GELU(nn.GELU):
    r"""Exact GELU, :math:`x\,\Phi(x)` (``torch.nn.GELU(approximate='none')``)."""

    def __init__(self):
        super().__init__(approximate="none")


@_elementwise_doc
class GELUTanh(nn.GELU):
    r"""GELU's tanh approximation, "NewGELU" (``torch.nn.GELU(approximate='tanh')``)."""

    def __init__(self):
        super().__init__(approximate="tanh")


@_elementwise_doc
class GELUSigmoid(nn.Module):
    r"""GELU's sigmoid approximation (QuickGELU), :math:`x\,\sigma(1.702x)`; torch has none."""

    def forward(self, x: torch.Tensor) -> torch.Tensor:
        return x * torch.sigmoid(GELU_SIGMOID_COEFF * x)


@_elementwise_doc
class SiLU(nn.SiLU):
    r"""Sigmoid linear unit, :math:`x\,\sigma(x)` (``torch.nn.SiLU``)."""

    def __init__(self, inplace: bool = False):
        super().__init__(inplace=inplace)


@_elementwise_doc
class Swish(nn.Module):
    r"""Swish, :math:`x\,\sigma(\beta x)`, with :math:`\beta` fixed or learned; torch has none.

    Args:
        beta: :math:`\beta` (initial value when learned); 1 gives SiLU.
        learnable: make :math:`\beta` an ``nn.Parameter`` (a 0-d tensor) that
            the optimiser updates, as in Ramachandran et al. (2017).
        device, dtype: where a learned :math:`\beta` lives.

    A learned :math:`\beta` is a 0-d tensor, so the output still takes the
    input's dtype and it multiplies tensors on any device.
    """

    def __init__(self, beta: float = 1.0, learnable: bool = False, device=None, dtype=None):
        super().__init__()
        beta = _checked("swish", beta=beta)["beta"]
        if not isinstance(learnable, bool):
            raise TypeError(f"learnable must be True or False, got {learnable!r}")
        self.learnable = learnable
        if learnable:
            self.beta = nn.Parameter(torch.tensor(beta, device=device, dtype=dtype))
        else:
            self.beta = beta

    def forward(self, x: torch.Tensor) -> torch.Tensor:
        return x * torch.sigmoid(self.beta * x)

    def extra_repr(self) -> str:
        if self.learnable:
            return f"beta={float(self.beta.detach()):g}, learnable=True"
        return f"beta={self.beta}"


@_elementwise_doc
class HardSwish(nn.Hardswish):
    r"""Hard swish, :math:`x\,\operatorname{ReLU6}(x + 3)/6` (``torch.nn.Hardswish``)."""

    def __init__(self, inplace: bool = False):
        super().__init__(inplace=inplace)


@_elementwise_doc
class Mish(nn.Mish):
    r"""Mish, :math:`x\tanh(\operatorname{softplus}(x))` (``torch.nn.Mish``)."""

    def __init__(self, inplace: bool = False):
        super().__init__(inplace=inplace)


# ----------------------------------------------------------------------------
# Output layers and multi-input units (chapters: Output activations; Maxout and GLUs)
# ----------------------------------------------------------------------------

class Softmax(nn.Softmax):
    r"""Softmax along ``axis`` with a temperature: ``torch.softmax(x / temperature, axis)``.

    Args:
        axis: the axis to normalise over (``dim`` in PyTorch).
        temperature: :math:`T > 0`; 1 gives ``torch.nn.Softmax(dim=axis)``.

    Shape:
        - Input: :math:`(*)`, at least one dimension.
        - Output: the shape of the input; entries along ``axis`` sum to 1.
    """

    def __init__(self, axis: int = -1, temperature: float = 1.0):
        p = _checked("softmax", axis=axis, temperature=temperature)
        super().__init__(dim=p["axis"])
        self.temperature = p["temperature"]

    def forward(self, x: torch.Tensor) -> torch.Tensor:
        return tF.softmax(x / self.temperature if self.temperature != 1.0 else x, self.dim)

    def extra_repr(self) -> str:
        return f"axis={self.dim}, temperature={self.temperature}"


class LogSoftmax(nn.LogSoftmax):
    r"""Log-softmax along ``axis`` with a temperature: ``torch.log_softmax(x / temperature, axis)``.

    Args:
        axis: the axis to normalise over (``dim`` in PyTorch).
        temperature: :math:`T > 0`.

    Shape:
        - Input: :math:`(*)`, at least one dimension.
        - Output: the shape of the input.
    """

    def __init__(self, axis: int = -1, temperature: float = 1.0):
        p = _checked("log_softmax", axis=axis, temperature=temperature)
        super().__init__(dim=p["axis"])
        self.temperature = p["temperature"]

    def forward(self, x: torch.Tensor) -> torch.Tensor:
        return tF.log_softmax(x / self.temperature if self.temperature != 1.0 else x, self.dim)

    def extra_repr(self) -> str:
        return f"axis={self.dim}, temperature={self.temperature}"


class Maxout(nn.Module):
    r"""Maxout (Goodfellow et al. 2013): the maximum of ``k`` affine pieces per unit.

    .. math:: h_j(x) = \max_{0 \le i < k}\ \bigl(w_{jk+i}^\top x + b_{jk+i}\bigr)

    Two forms:

    * ``Maxout(in_features, out_features, k)`` is a layer: a
      ``Linear(in_features, out_features * k)`` computes the pieces (piece
      ``i`` of unit ``j`` is output ``j * k + i``, reachable as ``.linear``),
      then the maximum over each group of ``k``. With two pieces it can
      represent ReLU, leaky ReLU and :math:`|x|`.
    * ``Maxout(k=k, axis=axis)`` is the activation alone, as
      :func:`actlib.maxout`: the maximum over groups of ``k`` consecutive
      entries along ``axis``.

    Where pieces tie, the gradient is shared equally among them (``amax``).

    Args:
        in_features, out_features: sizes of the layer; both or neither.
        k: pieces per unit, an integer :math:`\ge 1`.
        axis: the axis holding the pieces (activation form only).
        bias: give the pieces a bias (layer form).

    Shape:
        - Input: as a layer :math:`(*, H_{in})`; as the activation :math:`(*, n, *)`
          with :math:`n` divisible by ``k`` along ``axis``.
        - Output: as a layer :math:`(*, H_{out})`; as the activation :math:`(*, n/k, *)`.
    """

    def __init__(self, in_features: int | None = None, out_features: int | None = None,
                 k: int = 2, axis: int = -1, bias: bool = True, device=None, dtype=None):
        super().__init__()
        p = _checked("maxout", k=k, axis=axis)
        self.k, self.axis = p["k"], p["axis"]
        if (in_features is None) != (out_features is None):
            raise ValueError("Maxout: give both in_features and out_features (a layer) or "
                             f"neither (the activation alone), got in_features={in_features}, "
                             f"out_features={out_features}")
        self.in_features = self.out_features = None
        self.linear = None
        if in_features is not None:
            if self.axis != -1:
                raise ValueError(f"Maxout: as a layer the pieces lie on the last axis; got "
                                 f"axis={self.axis}")
            self.in_features = check_param("in_features", in_features, 1, math.inf, integer=True)
            self.out_features = check_param("out_features", out_features, 1, math.inf,
                                            integer=True)
            self.linear = nn.Linear(self.in_features, self.out_features * self.k, bias=bias,
                                    device=device, dtype=dtype)

    def forward(self, x: torch.Tensor) -> torch.Tensor:
        if self.linear is not None:
            x = self.linear(x)
        _check_length(x, self.axis, self.k, "maxout", f"is not divisible by k={self.k}")
        axis = self.axis if self.axis < 0 else self.axis + 1
        return x.unflatten(self.axis, (-1, self.k)).amax(dim=axis)

    def extra_repr(self) -> str:
        if self.linear is not None:
            return f"in_features={self.in_features}, out_features={self.out_features}, k={self.k}"
        return f"k={self.k}, axis={self.axis}"


class GLU(nn.GLU):
    r"""Gated linear unit, :math:`a \otimes \sigma(b)` over the two halves of ``axis``
    (``torch.nn.GLU(dim=axis)``): the first half is the value, the second the gate.

    Shape:
        - Input: :math:`(*, 2n, *)`, even length along ``axis``.
        - Output: :math:`(*, n, *)`.
    """

    def __init__(self, axis: int = -1):
        super().__init__(dim=_checked("glu", axis=axis)["axis"])

    def forward(self, x: torch.Tensor) -> torch.Tensor:
        _check_length(x, self.dim, 2, "glu", "must be even: the first half is the value, the "
                      "second half the gate")
        return super().forward(x)

    def extra_repr(self) -> str:
        return f"axis={self.dim}"


class SwiGLU(nn.Module):
    r"""SwiGLU, :math:`a \otimes \operatorname{SiLU}(b)` over the two halves of ``axis``.

    The first half is the value, the second the gate, as in :class:`GLU`. In
    a transformer block the halves come from one ``Linear(d, 2 * hidden)``.

    Shape:
        - Input: :math:`(*, 2n, *)`, even length along ``axis``.
        - Output: :math:`(*, n, *)`.
    """

    def __init__(self, axis: int = -1):
        super().__init__()
        self.axis = _checked("swiglu", axis=axis)["axis"]

    def forward(self, x: torch.Tensor) -> torch.Tensor:
        _check_length(x, self.axis, 2, "swiglu", "must be even: the first half is the value, "
                      "the second half the gate")
        a, b = x.chunk(2, dim=self.axis)
        return a * tF.silu(b)

    def extra_repr(self) -> str:
        return f"axis={self.axis}"


#: registry name -> module class, one for every record in :data:`actlib.REGISTRY`.
MODULES: dict[str, type[nn.Module]] = {
    "identity": Identity, "sigmoid": Sigmoid, "hard_sigmoid_keras": HardSigmoidKeras,
    "hard_sigmoid_torch": HardSigmoidTorch, "tanh": Tanh, "softsign": Softsign,
    "softplus": Softplus, "log_sigmoid": LogSigmoid, "relu": ReLU, "relu6": ReLU6,
    "clipped_relu": ClippedReLU, "leaky_relu": LeakyReLU, "prelu": PReLU, "rrelu": RReLU,
    "thresholded_relu": ThresholdedReLU, "elu": ELU, "celu": CELU, "selu": SELU, "gelu": GELU,
    "gelu_tanh": GELUTanh, "gelu_sigmoid": GELUSigmoid, "silu": SiLU, "swish": Swish,
    "hard_swish": HardSwish, "mish": Mish, "softmax": Softmax, "log_softmax": LogSoftmax,
    "maxout": Maxout, "glu": GLU, "swiglu": SwiGLU,
}


def module(name: str, **params) -> nn.Module:
    """Build the module for a registry name or alias, with the record's parameter names.

    Extra keyword arguments of the class (``learnable`` for Swish,
    ``num_parameters`` for PReLU, ``in_features``/``out_features`` for
    Maxout ...) pass through.

    Examples:
        >>> module("leaky_relu", negative_slope=0.2)
        LeakyReLU(negative_slope=0.2)
    """
    record = get(name)
    try:
        cls = MODULES[record.name]
    except KeyError:
        raise KeyError(f"actlib.nn has no module for {record.name!r} yet; add one to "
                       "actlib.nn.MODULES") from None
    return cls(**params)
