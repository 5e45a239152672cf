"""PyTorch's own implementation of each activation, built from the record's :class:`~actlib.TorchSpec`.

The registry records PyTorch's counterpart once, as data
(``record.torch``: a class in ``torch.nn`` and how the activation's parameters
map onto its arguments). This module turns that record into torch objects:

- :func:`torch_class` is the ``torch.nn`` class (the :mod:`actlib.nn` modules
  subclass it);
- :func:`torch_reference` is PyTorch's own implementation at given
  parameters, a callable on tensors, or ``None`` where torch has none;
- :func:`torch_callable` is what to time or compare against: PyTorch's own
  implementation, or :mod:`actlib.nn`'s module where torch has none.

Examples:
    >>> import torch
    >>> from actlib.nn.reference import torch_reference
    >>> torch_reference("clipped_relu", max_value=6.0)(torch.tensor([-1.0, 3.0, 9.0]))
    tensor([0., 3., 6.])
    >>> torch_reference("swish") is None
    True
"""

from __future__ import annotations

import inspect
from collections.abc import Callable

import torch
from torch import nn

from ..registry import Activation, get

__all__ = ["torch_class", "torch_reference", "torch_callable", "TorchReference"]


def _record(act) -> Activation:
    return get(act)


def torch_class(act) -> type[nn.Module] | None:
    """The ``torch.nn`` class of an activation's PyTorch counterpart (``None`` if torch has none)."""
    rec = _record(act)
    return None if rec.torch is None else getattr(nn, rec.torch.module)


class TorchReference(nn.Module):
    """PyTorch's own module for an activation, called on the input's dtype and device.

    A learned parameter (PReLU's slope) follows the input's dtype and device,
    so a float64 input is compared with a float64 computation; an input scale
    (softmax's temperature) divides the input first, unless it is 1.
    """

    def __init__(self, record: Activation, params: dict):
        super().__init__()
        spec = record.torch
        self.name = record.name
        cls = getattr(nn, spec.module)
        # a parameter is created in float64, so casting it to the input's dtype rounds it once
        extra = {"dtype": torch.float64} if "dtype" in inspect.signature(cls.__init__).parameters else {}
        self.inner = cls(**spec.arguments(params), **extra).eval()
        self.scale = params[spec.input_scale] if spec.input_scale else 1.0

    def forward(self, x: torch.Tensor) -> torch.Tensor:
        for p in self.inner.parameters():
            if p.dtype != x.dtype or p.device != x.device:
                self.inner.to(device=x.device, dtype=x.dtype)
            break
        return self.inner(x / self.scale if self.scale != 1.0 else x)

    def extra_repr(self) -> str:
        return f"activation={self.name!r}"


def torch_reference(act, **params) -> TorchReference | None:
    """PyTorch's own implementation of ``act`` at ``params`` (the record's defaults otherwise).

    The parameters are validated against the record. ``None`` where torch has
    no counterpart (Swish with a free β, Maxout, SwiGLU, ...).
    """
    rec = _record(act)
    values = rec.check_params({**rec.defaults, **params})
    return None if rec.torch is None else TorchReference(rec, values)


def torch_callable(act, **params) -> Callable[[torch.Tensor], torch.Tensor]:
    """PyTorch's own implementation of ``act``, or :mod:`actlib.nn`'s module where torch has none.

    What a benchmark times and a chapter compares against; in evaluation mode.
    """
    ref = torch_reference(act, **params)
    if ref is not None:
        return ref
    from . import module

    return module(_record(act).name, **params).eval()
