r"""The shape of a registry record: :class:`Activation` and the data it is made of.

:mod:`actlib.records` writes one :class:`Activation` per activation with these
classes; :mod:`actlib.registry` collects them into :data:`actlib.REGISTRY`.
Nothing here imports torch: PyTorch's counterpart is described as data
(:class:`TorchSpec`), and :mod:`actlib.nn.reference` turns it into modules.
"""

from __future__ import annotations

import math
import re
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field, replace
from types import MappingProxyType
from typing import Any

from ._validate import check_choice, check_param

__all__ = ["Param", "Properties", "Ref", "TorchSpec", "Activation", "FAMILIES", "KINDS",
           "CONTINUITY", "SATURATION", "with_math"]

inf = math.inf

#: Families in the order the book teaches them.
FAMILIES = ("linear", "sigmoid", "rectifier", "shrinkage", "exponential", "smooth-gate", "output",
            "multi-input")
#: ``"elementwise"``; ``"vector"`` (softmax family: keeps the shape); ``"reducing"``
#: (Maxout, GLUs: shortens one axis). Non-elementwise derivatives are Jacobians.
KINDS = ("elementwise", "vector", "reducing")
#: Smoothness classes: discontinuous, continuous (a kink), continuously differentiable, smooth.
CONTINUITY = ("C-1", "C0", "C1", "Cinf")
#: How the derivative behaves on one side: tends to 0, is 0 beyond a point, neither.
SATURATION = ("soft", "hard", "none")

_UNSET: Any = object()


@dataclass(frozen=True, kw_only=True)
class Param:
    """One parameter of an activation: valid range, meaning, and a slider range for explorers.

    ``default`` is not written in the record: it is read from the numpy
    function's signature when the record is built, so it exists once.
    """

    name: str
    default: Any = _UNSET
    low: float = -inf
    high: float = inf
    low_open: bool = False
    high_open: bool = False
    learnable: bool = False
    integer: bool = False
    allow_inf: bool = False
    #: ``None`` is a valid value (softplus's ``threshold``: no threshold).
    allow_none: bool = False
    symbol: str = ""
    description: str = ""
    #: ``(start, stop, step)`` for an interactive slider; ``None`` when a slider makes no sense.
    slider: tuple[float, float, float] | None = None

    def validate(self, value):
        """Return ``value`` checked against this parameter's range (or raise)."""
        return check_param(self.name, value, self.low, self.high, low_open=self.low_open,
                           high_open=self.high_open, integer=self.integer,
                           allow_inf=self.allow_inf, allow_none=self.allow_none)

    @property
    def range_text(self) -> str:
        if self.integer and self.low == -inf and self.high == inf:
            return "any integer"
        lo = "(" if self.low_open or self.low == -inf else "["
        hi = ")" if self.high_open or self.high == inf else "]"

        def fmt(v):
            return "∞" if v == inf else "−∞" if v == -inf else f"{v:g}"
        text = f"{lo}{fmt(self.low)}, {fmt(self.high)}{hi}"
        if self.allow_inf and self.high == inf:
            text = text[:-1] + "]"
        return text + (" or None" if self.allow_none else "")


@dataclass(frozen=True)
class Ref:
    """A parameter of the activation, named where PyTorch's counterpart takes it.

    ``none`` is what PyTorch is given when the parameter is ``None``.
    """

    param: str
    none: Any = None


@dataclass(frozen=True)
class TorchSpec:
    """PyTorch's own counterpart of an activation, as data (nothing here imports torch).

    ``module`` is a class in ``torch.nn``; ``kwargs`` are its keyword
    arguments, constants or :class:`Ref` to the activation's parameters;
    ``input_scale`` names a parameter that divides the input first (softmax's
    temperature, which ``torch.nn.Softmax`` does not have).
    :mod:`actlib.nn.reference` builds the module, and the modules of
    :mod:`actlib.nn` subclass it.
    """

    module: str
    kwargs: tuple[tuple[str, Any], ...] = ()
    input_scale: str | None = None

    @classmethod
    def of(cls, module: str, *, input_scale: str | None = None, **kwargs) -> TorchSpec:
        return cls(module, tuple(kwargs.items()), input_scale)

    @property
    def text(self) -> str:
        """How to write the counterpart, e.g. ``torch.nn.Hardtanh(min_val=0, max_val=max_value)``.

        Arguments passed under the activation's own parameter name are left out.
        """
        def show(value):
            return value.param if isinstance(value, Ref) else (
                f"{value:g}" if isinstance(value, float) else repr(value))
        args = [f"{k}={show(v)}" for k, v in self.kwargs if not (isinstance(v, Ref) and v.param == k)]
        text = f"torch.nn.{self.module}" + (f"({', '.join(args)})" if args else "")
        return text + (f" of x / {self.input_scale}" if self.input_scale else "")

    def arguments(self, params: Mapping[str, Any]) -> dict:
        """The keyword arguments for ``torch.nn.<module>`` at the activation's ``params``."""
        out = {}
        for key, value in self.kwargs:
            if isinstance(value, Ref):
                value = params[value.param]
                if value is None:
                    value = self.none_of(key)
            out[key] = value
        return out

    def none_of(self, key):
        return dict(self.kwargs)[key].none


@dataclass(frozen=True, kw_only=True)
class Properties:
    r"""Mathematical properties at the default parameters.

    ``range`` is the closure of the image, with ``range_closed`` saying which
    ends are attained. ``monotonic`` means non-decreasing. ``continuity`` is
    the smoothness class: ``"C-1"`` (discontinuous), ``"C0"``, ``"C1"``,
    ``"Cinf"``. ``zero_centred`` means the mean output for standard-normal
    input is zero to within 0.05, :math:`|\mathbb{E}[f(Z)]| < 0.05` with
    :math:`Z \sim N(0, 1)` (see :meth:`Activation.normal_mean`): the property
    that decides whether the next layer sees zero-mean inputs. By that measure
    ELU (0.16) and GELU (0.28) are closer to zero than ReLU (0.40), not zero.
    ``saturates_left``/``saturates_right``: ``"soft"`` (the derivative
    tends to 0 but is never 0), ``"hard"`` (exactly 0 beyond a point) or
    ``"none"``. ``limits`` are :math:`f(-\infty)` and :math:`f(+\infty)`; they
    are the ends of ``range`` unless given (a non-monotonic function's minimum
    is not a limit). ``self_gated``: of the form :math:`x \cdot g(x)` with a
    gate :math:`g` in :math:`[0, 1]`. ``argmin`` is where a non-monotonic
    function attains its minimum.
    """

    range: tuple[float, float]
    range_closed: tuple[bool, bool]
    monotonic: bool
    continuity: str
    zero_centred: bool
    odd: bool
    saturates_left: str
    saturates_right: str
    limits: tuple[float, float] | None = None
    self_gated: bool = False
    argmin: float | None = None

    def __post_init__(self):
        if self.limits is None:
            object.__setattr__(self, "limits", tuple(self.range))
        check_choice("continuity", self.continuity, CONTINUITY, allow_none=False)
        check_choice("saturates_left", self.saturates_left, SATURATION, allow_none=False)
        check_choice("saturates_right", self.saturates_right, SATURATION, allow_none=False)

    @property
    def bounded_below(self) -> bool:
        return self.range[0] > -inf

    @property
    def bounded_above(self) -> bool:
        return self.range[1] < inf

    @property
    def smooth(self) -> bool:
        """Infinitely differentiable everywhere."""
        return self.continuity == "Cinf"


_COLOR = re.compile(r"^#[0-9a-f]{6}$")
#: The longest title a panel of :func:`actlib.teaching.plotting.plot_activations` shows.
PANEL_TITLE_CHARS = 24
_RELATIONS = {"<=": ("must not exceed", lambda a, b: a <= b), "<": ("must be below", lambda a, b: a < b)}


@dataclass(frozen=True, kw_only=True)
class Activation:
    """One activation function: everything the book, the tests and the explorers need."""

    name: str
    title: str
    #: The title where a figure's panel has room for 24 characters (``panel_title``);
    #: needed only when ``title`` is longer.
    short_title: str = ""
    family: str
    kind: str = "elementwise"
    latex: str
    #: :math:`\partial f/\partial x` (a Jacobian's entries for the vector kinds).
    derivative_latex: str
    fn: Callable
    derivative: Callable
    params: tuple[Param, ...] = ()
    #: ``(a, "<=" or "<", b)``: relations between two parameters.
    constraints: tuple[tuple[str, str, str], ...] = ()
    param_derivatives: Mapping[str, Callable] = field(default_factory=dict)
    param_derivative_latex: Mapping[str, str] = field(default_factory=dict)
    #: Where the function or its derivative jumps: numbers or parameter names, or a
    #: function of the parameters returning them. For the vector and reducing kinds, points
    #: of the one input that :mod:`actlib.nn.semantics` varies: the first entry of
    #: ``(x, 0)`` (softmax family, Maxout), the gate ``b`` of ``(1 ‖ b)`` (gated units).
    kinks: tuple | Callable[..., tuple] = ()
    properties: Properties | None = None
    torch: TorchSpec | None = None
    #: For a gated linear unit: the registry name of the elementwise activation its gate
    #: half passes through (``"identity"`` for the bilinear form, which has no gate function).
    gate: str | None = None
    #: The class name in :mod:`actlib.nn`.
    nn_name: str
    #: The colour every figure of the book draws this activation in (``#rrggbb``).
    color: str
    year: int
    cite: str
    aliases: tuple[str, ...] = ()
    summary: str = ""
    note: str = ""

    def __post_init__(self):
        check_choice("family", self.family, FAMILIES, allow_none=False)
        check_choice("kind", self.kind, KINDS, allow_none=False)
        if not _COLOR.match(self.color):
            raise ValueError(f"{self.name}: color must be '#rrggbb' in lower case, got {self.color!r}")
        if (self.properties is None) == self.elementwise:
            raise ValueError(f"{self.name}: properties are given exactly for elementwise activations")
        if len(self.panel_title) > PANEL_TITLE_CHARS:
            raise ValueError(f"{self.name}: title {self.title!r} is longer than {PANEL_TITLE_CHARS} "
                             "characters: give a short_title for figure panels")
        if self.gate is not None and self.kind != "reducing":
            raise ValueError(f"{self.name}: only a reducing activation (a gated unit) has a gate")
        object.__setattr__(self, "param_derivatives", MappingProxyType(dict(self.param_derivatives)))
        object.__setattr__(self, "param_derivative_latex",
                           MappingProxyType(dict(self.param_derivative_latex)))
        # defaults: from the numpy function's signature, the same in every bound function
        funcs = (self.fn, self.derivative, *self.param_derivatives.values())
        params = []
        for p in self.params:
            found = {getattr(f, "default_params", {}).get(p.name, _UNSET) for f in funcs}
            if len(found) != 1 or _UNSET in found:
                raise ValueError(f"{self.name}: parameter {p.name} has defaults {found} in the "
                                 "signatures of its functions; they must agree")
            params.append(replace(p, default=found.pop()))
        object.__setattr__(self, "params", tuple(params))
        if set(self.param_derivatives) != set(self.param_derivative_latex):
            raise ValueError(f"{self.name}: param_derivatives and param_derivative_latex differ")

    def __call__(self, x, **params):
        return self.fn(x, **params)

    @property
    def panel_title(self) -> str:
        """The title a figure's panel shows: ``short_title``, or ``title`` if there is none."""
        return self.short_title or self.title

    @property
    def defaults(self) -> dict:
        return {p.name: p.default for p in self.params}

    @property
    def elementwise(self) -> bool:
        return self.kind == "elementwise"

    @property
    def torch_name(self) -> str | None:
        """PyTorch's counterpart as text (``None`` where torch has none)."""
        return self.torch.text if self.torch is not None else None

    @property
    def derivatives_latex(self) -> str:
        """The derivative and the parameter derivatives, as one LaTeX line."""
        return r",\quad ".join([self.derivative_latex, *self.param_derivative_latex.values()])

    def param(self, name: str) -> Param:
        for p in self.params:
            if p.name == name:
                return p
        raise KeyError(f"{self.name} has no parameter {name!r}; it has {[p.name for p in self.params]}")

    def check_params(self, params: Mapping[str, Any]) -> dict:
        """Validate the activation's parameters in ``params`` (others pass through unchanged).

        Each value is checked against its :class:`Param` range, then the
        record's constraints between parameters. Returns the cleaned dict.
        """
        out = dict(params)
        for p in self.params:
            if p.name in out:
                out[p.name] = p.validate(out[p.name])
        for a, rel, b in self.constraints:
            words, ok = _RELATIONS[rel]
            if a in out and b in out and not ok(out[a], out[b]):
                raise ValueError(f"parameter {a}={out[a]!r} {words} {b}={out[b]!r}")
        return out

    def kinks_at(self, **params) -> tuple[float, ...]:
        """The kinks (and jumps) at ``params`` (the defaults for the others), sorted."""
        values = {**self.defaults, **params}
        if callable(self.kinks):
            found = self.kinks(**values)
        else:
            found = [values[k] if isinstance(k, str) else k for k in self.kinks]
        return tuple(sorted(float(k) for k in found))

    def normal_mean(self, **params) -> float:
        r""":math:`\mathbb{E}[f(Z)]` for :math:`Z \sim N(0, 1)`, by adaptive quadrature.

        The mean a unit's output has when its pre-activation is standard normal,
        as it roughly is at initialisation. Elementwise activations only.
        """
        if not self.elementwise:
            raise ValueError(f"normal_mean needs an elementwise activation; {self.name} is {self.kind}")
        from scipy import integrate

        def integrand(z):
            return float(self.fn(z, **params)) * math.exp(-0.5 * z * z) / math.sqrt(2.0 * math.pi)

        left = integrate.quad(integrand, -math.inf, 0.0, limit=200)[0]
        right = integrate.quad(integrand, 0.0, math.inf, limit=200)[0]
        return left + right


# ----------------------------------------------------------------------------
# Formulas into docstrings
# ----------------------------------------------------------------------------

def with_math(doc: str | None, latex: str) -> str:
    """``doc`` with a ``.. math::`` block holding ``latex`` after its first paragraph."""
    doc = (doc or "").rstrip()
    head, sep, rest = doc.partition("\n\n")
    indent = "    "
    for line in rest.splitlines():
        if line.strip():
            indent = line[: len(line) - len(line.lstrip())]
            break
    block = f"{indent}.. math:: {latex}"
    return f"{head}\n\n{block}" + (f"\n\n{rest}" if sep else "\n")
