r"""The ``torch.nn.Module`` of every registry activation.

Where PyTorch has the activation (the record's :class:`~actlib.TorchSpec`),
the class is generated from the record: it subclasses PyTorch's module (an
``actlib.nn.ELU`` *is* a ``torch.nn.ELU`` and computes exactly what it
computes), takes the record's parameter names, validates them with the
record, and takes its docstring, formula included, from the record; a
parameter PyTorch's module lacks and that divides the input (softmax's
temperature, the spec's ``input_scale``) is applied first. The others are
written below with torch operations, so they run on any device and autograd
differentiates them: Keras' hard sigmoid, the exact softplus, PReLU with a
slope that follows the input's dtype, GELU's sigmoid approximation, Swish with
a fixed or learned :math:`\beta`, squared ReLU, Maxout, and the gated linear
units with a clear message for an odd length.

Every module takes a ``torch.Tensor``; anything else (a numpy array, a list)
is rejected with one ``TypeError`` that says how to convert it.
"""

from __future__ import annotations

import functools
import inspect
import math

import torch
from torch import nn
from torch.nn import functional as tF

from .._kernels import GELU_SIGMOID_COEFF
from .._validate import check_bool, check_param
from ..registry import REGISTRY, Activation, get
from ..schema import with_math

__all__ = ["MODULES", "module"]

_ELEMENTWISE_SHAPE = """
    Shape:
        - Input: :math:`(*)`, any number of dimensions.
        - Output: :math:`(*)`, the shape of the input.
"""
_VECTOR_SHAPE = """
    Shape:
        - Input: :math:`(*)`, at least one dimension.
        - Output: the shape of the input.
"""
#: Beyond beta * x > 40, log(1 + e^{beta x}) / beta rounds to x in float64 (and in every
#: narrower type): the relative difference is e^{-40}/40 < 2^-53. PyTorch's switch to the
#: identity there is exact.
EXACT_SOFTPLUS_THRESHOLD = 40.0


def _tensor_input(forward):
    """Wrap ``forward`` so that a non-tensor input is rejected in one sentence."""
    @functools.wraps(forward)
    def checked(self, x, *args, **kwargs):
        if not isinstance(x, torch.Tensor):
            kind = type(x).__name__ if type(x).__module__ == "builtins" else (
                f"{type(x).__module__.split('.')[0]}.{type(x).__qualname__}")
            raise TypeError(f"actlib.nn.{type(self).__name__} takes a torch.Tensor, got {kind}; convert "
                            f"it with torch.as_tensor(x), or use actlib.{self.activation} for numpy input")
        return forward(self, x, *args, **kwargs)
    return checked


def _documented(rec: Activation, doc: str) -> str:
    doc = with_math(doc, rec.latex)
    shape = {"elementwise": _ELEMENTWISE_SHAPE, "vector": _VECTOR_SHAPE}.get(rec.kind)
    if shape and "Shape:" not in doc:
        doc = doc.rstrip() + "\n" + shape
    return doc


def _checked(name: str, **params) -> dict:
    """Validate ``params`` against the registry record ``name``; return the cleaned values."""
    return get(name).check_params(params)


def actlib_module(name: str):
    """Class decorator: the record's formula into the docstring, tensor-only input."""
    def decorate(cls):
        cls.__doc__ = _documented(get(name), cls.__doc__)
        cls.forward = _tensor_input(cls.forward)
        cls.activation = name
        return cls
    return decorate


# ----------------------------------------------------------------------------
# Classes generated from the records
# ----------------------------------------------------------------------------

def _generated_doc(rec: Activation, base: type) -> str:
    lines = [f"{rec.summary} Subclasses ``torch.nn.{base.__name__}``; the numpy reference is "
             f":func:`actlib.{rec.name}`."]
    args = [f"    {p.name}: {p.description}, in {p.range_text} (default {p.default!r})."
            for p in rec.params]
    if "inplace" in inspect.signature(base.__init__).parameters:
        args.append("    inplace: overwrite the input (as PyTorch's ``inplace``); a bool.")
    if args:
        lines += ["", "Args:", *args]
    body = "\n".join(f"    {line}" if line else "" for line in lines)
    doc = f"{rec.title}, ``{rec.torch_name}`` with actlib's parameter names and checks.\n\n{body}\n"
    return _documented(rec, doc)


def _generate(rec: Activation) -> type[nn.Module]:
    """A subclass of PyTorch's module for ``rec``, under the record's parameter names."""
    base = getattr(nn, rec.torch.module)
    has_inplace = "inplace" in inspect.signature(base.__init__).parameters
    names = [p.name for p in rec.params]
    sig = inspect.Signature(
        [inspect.Parameter("self", inspect.Parameter.POSITIONAL_OR_KEYWORD)]
        + [inspect.Parameter(p.name, inspect.Parameter.POSITIONAL_OR_KEYWORD, default=p.default)
           for p in rec.params]
        + ([inspect.Parameter("inplace", inspect.Parameter.POSITIONAL_OR_KEYWORD, default=False)]
           if has_inplace else []))

    passed = {getattr(v, "param", None) for _, v in rec.torch.kwargs}
    scale = rec.torch.input_scale

    def __init__(self, *args, **kwargs):
        bound = sig.bind(self, *args, **kwargs)
        bound.apply_defaults()
        values = rec.check_params({n: bound.arguments[n] for n in names})
        extra = {"inplace": check_bool("inplace", bound.arguments["inplace"])} if has_inplace else {}
        base.__init__(self, **rec.torch.arguments(values), **extra)
        for n in names:  # the parameters PyTorch's module does not take (softmax's temperature)
            if n not in passed:
                setattr(self, n, values[n])

    __init__.__signature__ = sig

    def forward(self, x, *args, **kwargs):
        if scale is not None and getattr(self, scale) != 1.0:
            x = x / getattr(self, scale)
        return base.forward(self, x, *args, **kwargs)

    def extra_repr(self) -> str:
        parts = [f"{n}={getattr(self, n)!r}" for n in names]
        if has_inplace and self.inplace:
            parts.append("inplace=True")
        return ", ".join(parts)

    namespace = {"__init__": __init__, "extra_repr": extra_repr, "__module__": "actlib.nn",
                 "__qualname__": rec.nn_name, "__doc__": _generated_doc(rec, base),
                 "forward": _tensor_input(forward), "activation": rec.name}
    # the record's parameter names, where PyTorch stores the value under another one
    for key, value in rec.torch.kwargs:
        if getattr(value, "param", key) != key:
            namespace[value.param] = property(lambda self, key=key: getattr(self, key))
    return type(rec.nn_name, (base,), namespace)


# ----------------------------------------------------------------------------
# Hand-written: where torch has no module, or actlib's differs
# ----------------------------------------------------------------------------

@actlib_module("hard_sigmoid_keras")
class HardSigmoidKeras(nn.Module):
    r"""Keras 2 hard sigmoid; torch has none.

    Computed as ``(hardtanh(x, -2.5, 2.5) + 2.5) / 5``, which stays accurate
    next to :math:`x = -2.5`, as :func:`actlib.hard_sigmoid_keras` does, and
    whose gradient is 0 at the corners, as ``torch.nn.Hardsigmoid``'s is.
    """

    def forward(self, x: torch.Tensor) -> torch.Tensor:
        return (tF.hardtanh(x, -2.5, 2.5) + 2.5) / 5.0


@actlib_module("softplus")
class Softplus(nn.Softplus):
    r"""Softplus, exact by default; with a ``threshold``, ``torch.nn.Softplus`` itself.

    ``threshold=None`` (the default) gives the exact function, as
    :func:`actlib.softplus`: PyTorch's formula switched to the identity only
    where :math:`\beta x > 40`, beyond which the exact value rounds to
    :math:`x` in every float type. (``torch.nn.Softplus(threshold=inf)``
    overflows to ``inf`` for :math:`\beta x \gtrsim 89` in float32.) A number
    reproduces PyTorch's shortcut: the identity where :math:`\beta x >`
    ``threshold`` (20 in ``torch.nn.Softplus``).

    Args:
        beta: :math:`\beta > 0`.
        threshold: ``None`` or a number :math:`> 0` (``inf`` allowed).
    """

    def __init__(self, beta: float = 1.0, threshold: float | None = None):
        p = _checked("softplus", beta=beta, threshold=threshold)
        switch = p["threshold"] if p["threshold"] is not None else EXACT_SOFTPLUS_THRESHOLD
        super().__init__(beta=p["beta"], threshold=min(switch, EXACT_SOFTPLUS_THRESHOLD))
        self.threshold = p["threshold"]
        self._switch = min(switch, EXACT_SOFTPLUS_THRESHOLD)

    def forward(self, x: torch.Tensor) -> torch.Tensor:
        return tF.softplus(x, self.beta, self._switch)

    def extra_repr(self) -> str:
        return f"beta={self.beta}, threshold={self.threshold}"


@actlib_module("prelu")
class PReLU(nn.PReLU):
    r"""Parametric ReLU with a learned negative slope (``torch.nn.PReLU``).

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



@actlib_module("gelu_sigmoid")
class GELUSigmoid(nn.Module):
    r"""GELU's sigmoid approximation (QuickGELU); torch has none."""

    def forward(self, x: torch.Tensor) -> torch.Tensor:
        return x * torch.sigmoid(GELU_SIGMOID_COEFF * x)


@actlib_module("swish")
class Swish(nn.Module):
    r"""Swish with :math:`\beta` fixed or learned; torch has none.

    Args:
        beta: :math:`\beta` (initial value when learned); 1 gives SiLU.
        learnable: make :math:`\beta` an ``nn.Parameter`` (a 0-d tensor) that
            the optimiser updates, as in Ramachandran et al. (2017); a bool.
        device, dtype: where a learned :math:`\beta` lives.

    A learned :math:`\beta` is a 0-d tensor, so the output still takes the
    input's dtype and it multiplies tensors on any device.
    """

    def __init__(self, beta: float = 1.0, learnable: bool = False, device=None, dtype=None):
        super().__init__()
        beta = _checked("swish", beta=beta)["beta"]
        self.learnable = check_bool("learnable", learnable)
        if self.learnable:
            self.beta = nn.Parameter(torch.tensor(beta, device=device, dtype=dtype))
        else:
            self.beta = beta

    def forward(self, x: torch.Tensor) -> torch.Tensor:
        return x * torch.sigmoid(self.beta * x)

    def extra_repr(self) -> str:
        if self.learnable:
            return f"beta={float(self.beta.detach()):g}, learnable=True"
        return f"beta={self.beta}"


def _check_length(x: torch.Tensor, axis: int, divisor: int, who: str, what: str) -> None:
    if x.dim() == 0:
        raise ValueError(f"{who}: needs an input with at least one dimension, got a scalar")
    if not -x.dim() <= axis < x.dim():
        raise ValueError(f"{who}: axis={axis} is out of range for an input with {x.dim()} "
                         "dimension(s)")
    n = x.shape[axis]
    if n % divisor:
        raise ValueError(f"{who}: the input's length along axis {axis} ({n}) {what}")


@actlib_module("maxout")
class Maxout(nn.Module):
    r"""Maxout (Goodfellow et al. 2013): the maximum of ``k`` affine pieces per unit.

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
        bias: give the pieces a bias (layer form); a bool.

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
        bias = check_bool("bias", bias)
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


_HALVES = "must be even: the first half is the value, the second half the gate"


@actlib_module("glu")
class GLU(nn.GLU):
    r"""Gated linear unit over the two halves of ``axis`` (``torch.nn.GLU(dim=axis)``).

    The first half is the value, the second the gate.

    Shape:
        - Input: :math:`(*, 2n, *)`, even length along ``axis``.
        - Output: :math:`(*, n, *)`.
    """

    def __init__(self, axis: int = -1):
        super().__init__(dim=_checked("glu", axis=axis)["axis"])

    @property
    def axis(self) -> int:
        return self.dim

    def forward(self, x: torch.Tensor) -> torch.Tensor:
        _check_length(x, self.dim, 2, "glu", _HALVES)
        return super().forward(x)

    def extra_repr(self) -> str:
        return f"axis={self.dim}"


class _GatedUnit(nn.Module):
    """A gated linear unit over the two halves of ``axis``: value ``a``, gate ``b``, ``a * g(b)``."""

    def __init__(self, axis: int = -1):
        super().__init__()
        self.axis = _checked(self.activation, axis=axis)["axis"]

    @staticmethod
    def gate(b: torch.Tensor) -> torch.Tensor:
        raise NotImplementedError

    def forward(self, x: torch.Tensor) -> torch.Tensor:
        _check_length(x, self.axis, 2, self.activation, _HALVES)
        a, b = x.chunk(2, dim=self.axis)
        return a * self.gate(b)

    def extra_repr(self) -> str:
        return f"axis={self.axis}"


_GATED_SHAPE = """
    Shape:
        - Input: :math:`(*, 2n, *)`, even length along ``axis``.
        - Output: :math:`(*, n, *)`.
"""


@actlib_module("swiglu")
class SwiGLU(_GatedUnit):
    __doc__ = r"""SwiGLU over the two halves of ``axis``; torch has none.

    The first half is the value, the second the gate, as in :class:`GLU`. In
    a transformer block the halves come from one ``Linear(d, 2 * hidden)``.
    """ + _GATED_SHAPE
    gate = staticmethod(tF.silu)


@actlib_module("geglu")
class GeGLU(_GatedUnit):
    __doc__ = r"""GeGLU over the two halves of ``axis``, with the exact GELU (``F.gelu``); torch has none.

    The first half is the value, the second the gate, as in :class:`GLU`.
    """ + _GATED_SHAPE
    gate = staticmethod(tF.gelu)


@actlib_module("reglu")
class ReGLU(_GatedUnit):
    __doc__ = r"""ReGLU over the two halves of ``axis``; torch has none.

    The first half is the value, the second the gate, as in :class:`GLU`.
    """ + _GATED_SHAPE
    gate = staticmethod(tF.relu)


@actlib_module("bilinear_glu")
class BilinearGLU(_GatedUnit):
    __doc__ = r"""The bilinear GLU, the product of the two halves of ``axis``; torch has none.

    Not ``torch.nn.Bilinear``, which is a layer with a weight tensor.
    """ + _GATED_SHAPE

    @staticmethod
    def gate(b: torch.Tensor) -> torch.Tensor:
        return b


@actlib_module("squared_relu")
class SquaredReLU(nn.Module):
    r"""Squared ReLU, ``relu(x).square()``; torch has none.

    Autograd's derivative, :math:`2\,\operatorname{relu}(x)\,\operatorname{relu}'(x)`,
    is the numpy derivative: 0 at 0, NaN at NaN.
    """

    def forward(self, x: torch.Tensor) -> torch.Tensor:
        return tF.relu(x).square()


_WRITTEN = {cls.activation: cls for cls in (HardSigmoidKeras, Softplus, PReLU, GELUSigmoid, Swish,
                                              SquaredReLU, Maxout, GLU, SwiGLU, GeGLU, ReGLU,
                                              BilinearGLU)}

#: registry name -> module class, one for every record in :data:`actlib.REGISTRY`.
MODULES: dict[str, type[nn.Module]] = {
    rec.name: _WRITTEN.get(rec.name) or _generate(rec) for rec in REGISTRY.values()
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
    return MODULES[get(name).name](**params)
