r"""The torch side of actlib: a PyTorch module for every activation in the registry.

One ``torch.nn.Module`` per :data:`actlib.REGISTRY` record, under the
record's parameter names, so ``module(name, **params)`` builds any of them
(:mod:`actlib.nn.modules`). Where PyTorch has the activation, the class
subclasses PyTorch's module (an ``actlib.nn.ELU`` *is* a ``torch.nn.ELU``,
and computes exactly what it computes); the others are written with torch
operations, so they run on any device and autograd differentiates them.

Parameters are checked at construction with the registry's records: a bad
value raises ``TypeError`` or ``ValueError`` naming the parameter. Outputs
have the input's device and dtype (a module with a learned parameter lives
where you ``.to()`` it). Inputs must be tensors.

Also here: :mod:`actlib.nn.reference` (PyTorch's own implementation of each
activation, from the record's :class:`~actlib.TorchSpec`),
:mod:`actlib.nn.autograd` (hand-written ``autograd.Function``\ s),
:mod:`actlib.nn.device` (CPU or GPU) and :mod:`actlib.nn.semantics` (what
each implementation gives at NaN, ±inf and the kinks).

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
    ValueError: parameter alpha=-1.0 is out of range: it must lie in [0, inf)
"""

from __future__ import annotations

from . import autograd, device, reference
from .modules import MODULES, module

globals().update({cls.__name__: cls for cls in MODULES.values()})

#: The module classes (named as in each record's ``nn_name``), the factory and the submodules.
__all__ = [*(cls.__name__ for cls in MODULES.values()), "MODULES", "module", "autograd", "device",
           "reference"]
