r"""The registry: one frozen record per activation, and the lookups over them.

Tables, figures, tests, explorers and assignments loop over :data:`REGISTRY`
instead of keeping their own lists. A record holds the activation's name and
aliases, family, LaTeX formulas, numpy forward and analytic derivative (and
derivatives with respect to its parameters), parameters with defaults and valid
ranges, its kinks, its PyTorch counterpart (as data: :class:`TorchSpec`; the
torch side, :mod:`actlib.nn`, turns it into modules and reference callables),
its mathematical properties, year, citation key into ``actlib/references.bib``,
and the colour every figure of the book draws it in.

The records themselves are data, written with keyword arguments in
:mod:`actlib.records`. Building the registry also binds each record to its
numpy functions: the functions validate their parameters with
:meth:`Activation.check_params`, and their docstrings get the record's formula
as a ``.. math::`` block, so a range or a formula is written once.

Properties describe the function at its default parameters.

Examples:
    >>> from actlib import get
    >>> rec = get("swish")
    >>> rec.name, rec.params[0].name, rec.params[0].default
    ('swish', 'beta', 1.0)
    >>> get("NewGELU").name
    'gelu_tanh'
    >>> get("clipped_relu").torch_name
    'torch.nn.Hardtanh(min_val=0, max_val=max_value)'
"""

from __future__ import annotations

import difflib
from collections.abc import Iterator, Mapping
from types import MappingProxyType

from ._validate import check_choice
from .records import RECORDS
from .schema import (
    CONTINUITY,
    FAMILIES,
    KINDS,
    SATURATION,
    Activation,
    Param,
    Properties,
    Ref,
    TorchSpec,
    with_math,
)

__all__ = ["Param", "Properties", "Ref", "TorchSpec", "Activation", "REGISTRY", "get", "names",
           "activations", "FAMILIES", "KINDS", "CONTINUITY", "SATURATION"]


# ----------------------------------------------------------------------------
# The registry and its lookups
# ----------------------------------------------------------------------------

def _normalise(name: str) -> str:
    return name.strip().lower().replace("-", "_").replace(" ", "_")


def _build(records) -> tuple[Mapping[str, Activation], dict[str, str]]:
    registry, aliases = {}, {}
    for rec in records:
        for key in (rec.name, *rec.aliases):
            norm = _normalise(key)
            if aliases.get(norm, rec.name) != rec.name:
                raise RuntimeError(f"alias {key!r} is claimed by both {aliases[norm]} and {rec.name}")
            aliases[norm] = rec.name
        registry[rec.name] = rec
        if rec.gate is not None and not (rec.gate in registry and registry[rec.gate].elementwise):
            raise RuntimeError(f"{rec.name}: its gate {rec.gate!r} must be an elementwise record "
                               "listed before it")
        latex = {rec.fn: rec.latex, rec.derivative: rec.derivative_latex}
        latex.update({f: rec.param_derivative_latex[p] for p, f in rec.param_derivatives.items()})
        for func, formula in latex.items():
            func.check = rec.check_params
            func.__doc__ = with_math(func.__wrapped__.__doc__, formula)
    return MappingProxyType(registry), aliases


#: name -> record, in the order the book teaches them.
REGISTRY, _ALIASES = _build(RECORDS)


def get(name: str) -> Activation:
    """Look an activation up by name or alias (case-, space- and hyphen-insensitive).

    Raises ``KeyError`` naming the closest known name and listing them all when
    there is no match.
    """
    if isinstance(name, Activation):
        return name
    if not isinstance(name, str):
        raise TypeError(f"name must be a string, got {type(name).__name__} ({name!r})")
    try:
        return REGISTRY[_ALIASES[_normalise(name)]]
    except KeyError:
        close = difflib.get_close_matches(_normalise(name), list(_ALIASES), n=1)
        hint = f" (did you mean {_ALIASES[close[0]]!r}?)" if close else ""
        raise KeyError(f"no activation called {name!r}{hint}; known: {', '.join(REGISTRY)}") from None


def names(kind: str | None = None, family: str | None = None) -> list[str]:
    """Names of the registered activations, optionally filtered by kind or family."""
    return [r.name for r in activations(kind=kind, family=family)]


def activations(kind: str | None = None, family: str | None = None) -> Iterator[Activation]:
    """The registered records, optionally filtered by ``kind`` or ``family``.

    An unknown kind or family raises ``ValueError`` naming the closest one.

    Examples:
        >>> [r.name for r in activations(family="exponential")]
        ['elu', 'celu', 'selu']
        >>> activations(family="rectifiers")
        Traceback (most recent call last):
        ...
        ValueError: unknown family 'rectifiers' (did you mean 'rectifier'?); it must be one of: \
linear, sigmoid, rectifier, shrinkage, exponential, smooth-gate, output, multi-input
    """
    check_choice("kind", kind, KINDS)
    check_choice("family", family, FAMILIES)
    return (r for r in REGISTRY.values()
            if (kind is None or r.kind == kind) and (family is None or r.family == family))
