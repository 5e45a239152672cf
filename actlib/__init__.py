"""actlib: reference implementations of neural-network activation functions.

Every activation is defined once, in numpy (:mod:`actlib.functions`), with its
analytic derivative (:mod:`actlib.derivatives`) and a frozen record in the
registry (:mod:`actlib.registry`, data in :mod:`actlib.records`) holding its
formula, parameters, kinks, properties, PyTorch counterpart, colour and
citation. Two subpackages are imported only when used, so numpy-only code
never loads torch or matplotlib: the torch side (:mod:`actlib.nn`: modules,
autograd Functions, torch reference callables, device choice, the NaN/inf
semantics table) and the teaching side (:mod:`actlib.teaching`: plotting,
explorers, experiments, training, costs, checks).

Examples:
    >>> import actlib
    >>> actlib.sigmoid(0.0)
    np.float64(0.5)
    >>> actlib.get("relu").properties.saturates_left
    'hard'
"""

from __future__ import annotations

import importlib
from pathlib import Path

from . import derivatives, functions, records, registry, schema
from .derivatives import *  # noqa: F403
from .functions import *  # noqa: F403
from .registry import (
    FAMILIES,
    KINDS,
    REGISTRY,
    Activation,
    Param,
    Properties,
    TorchSpec,
    activations,
    get,
    names,
)

__version__ = "0.1.0"

#: The bibliography shared by actlib's citation keys and the book.
BIBFILE = Path(__file__).with_name("references.bib")

#: Subpackages imported on first use: ``nn`` needs torch; ``teaching`` needs torch,
#: matplotlib and ipywidgets (the ``torch`` and ``book`` extras).
_LAZY = ("nn", "teaching")

#: The numpy API: ``from actlib import *`` imports it without torch or matplotlib.
__all__ = [
    *functions.__all__,
    *derivatives.__all__,
    "FAMILIES", "KINDS", "REGISTRY", "Activation", "Param", "Properties", "TorchSpec",
    "activations", "get", "names", "BIBFILE", "derivatives", "functions", "records", "registry",
    "schema",
]


def __getattr__(name: str):
    """Import the torch- and plotting-dependent subpackages on first use."""
    if name in _LAZY:
        return importlib.import_module(f".{name}", __name__)
    raise AttributeError(f"module 'actlib' has no attribute {name!r}")


def __dir__():
    return sorted([*__all__, *_LAZY])
