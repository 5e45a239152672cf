r"""What each implementation of an activation gives at NaN, at ±∞ and at its kinks.

Four implementations of an activation can meet a NaN, an infinity or a kink:
the numpy reference (:mod:`actlib.functions` and :mod:`actlib.derivatives`),
the hand-written ``autograd.Function``\ s (:mod:`actlib.nn.autograd`, for
seven elementwise ones), the modules (:mod:`actlib.nn`) and PyTorch's own
implementation (:mod:`actlib.nn.reference`). The derivative of a torch
implementation is what autograd gives. An activation that is not elementwise
is probed along one input (:func:`probe`): a gated unit at value 1 and gate
``x``, ``(1 ‖ x)``; softmax, softmin, log-softmax and Maxout at ``(x, 0)``; the
table gives the first output and its derivative with respect to ``x``.

actlib's rules, numpy and autograd alike:

- NaN in gives NaN out, for the value and the derivative (for a unit of
  several inputs, every derivative of a unit that holds a NaN);
- ``±inf`` give the limits of the value and of the derivative (a product
  such as :math:`x\,\sigma(x)` at :math:`-\infty` is the limit 0, not
  :math:`(-\infty)\cdot 0`);
- at a kink the derivative is the value PyTorch's autograd gives there
  (ReLU's is 0 at 0, leaky ReLU's is its slope, ELU's is :math:`\alpha`,
  hard swish's is 0 at :math:`-3` and 1 at 3), so a chapter can compare them.

The :mod:`actlib.nn` modules subclass PyTorch's modules and compute what they
compute, so they inherit PyTorch's behaviour. Everything not listed below
agrees (signs of zeros aside) between all four; :func:`table` computes the
whole table and :func:`differences` the list, which ``tests`` check against
this text:

.. differences-start

- PyTorch's backward picks a branch by comparing x (x > 0, |x| < 3, ...), which is False at NaN,
  and passes on that branch's slope; actlib returns NaN for a NaN input.
  - identity at NaN: actlib.nn and torch give f′ = 1.
  - hard_sigmoid_keras at NaN: actlib.nn gives f′ = 0.2.
  - hard_sigmoid_torch at NaN: actlib.nn and torch give f′ = 0.
  - hardtanh at NaN: actlib.nn and torch give f′ = 1.
  - relu at NaN: actlib.nn and torch give f′ = 1.
  - relu6 at NaN: actlib.nn and torch give f′ = 1.
  - clipped_relu at NaN: actlib.nn and torch give f′ = 1.
  - leaky_relu at NaN: actlib.nn and torch give f′ = 0.01.
  - prelu at NaN: actlib.nn and torch give f′ = 0.25.
  - rrelu at NaN: actlib.nn and torch give f′ = 0.229167.
  - thresholded_relu at NaN: actlib.nn and torch give f′ = 1.
  - hardshrink at NaN: actlib.nn and torch give f′ = 1.
  - softshrink at NaN: actlib.nn and torch give f′ = 1.
  - elu at NaN: actlib.nn and torch give f′ = 1.
  - celu at NaN: actlib.nn and torch give f′ = 1.
  - selu at NaN: actlib.nn and torch give f′ = 1.0507.
  - hard_swish at NaN: actlib.nn and torch give f′ = 1.
  - reglu at (1 ‖ NaN): actlib.nn gives f′ = 1.
- PyTorch computes x / (1 + |x|), which is ∞/∞ at ±∞; actlib computes sign(x)(1 − 1/(1 + |x|))
  for |x| ≥ 1.
  - softsign at −∞: actlib.nn and torch give f = NaN, f′ = NaN.
  - softsign at +∞: actlib.nn and torch give f = NaN, f′ = NaN.
- torch.nn.Softplus(threshold=inf), PyTorch's exact softplus, differentiates as e^z/(e^z + 1) =
  ∞/∞; actlib.nn.Softplus switches to the identity where βx > 40, where the exact value rounds
  to x.
  - softplus at +∞: torch gives f′ = NaN.
- PyTorch computes x·Φ(x) and its derivative Φ(x) + x·φ(x) as products, which are (±∞)·0 at ±∞;
  actlib returns the limits.
  - gelu at −∞: actlib.nn and torch give f = NaN, f′ = NaN.
  - gelu at +∞: actlib.nn and torch give f′ = NaN.
- PyTorch computes x/2·(1 + tanh u) and its derivative as products, which are (±∞)·0 at ±∞;
  actlib returns the limits.
  - gelu_tanh at −∞: actlib.nn and torch give f = NaN, f′ = NaN.
  - gelu_tanh at +∞: actlib.nn and torch give f′ = NaN.
- actlib.nn writes x·σ(βx) with torch operations, and autograd's derivative σ(βx) + x·β·σ′(βx)
  holds the products (±∞)·0 at ±∞, as PyTorch's SiLU does; actlib returns the limits.
  - gelu_sigmoid at −∞: actlib.nn gives f = NaN, f′ = NaN.
  - gelu_sigmoid at +∞: actlib.nn gives f′ = NaN.
  - swish at −∞: actlib.nn gives f = NaN, f′ = NaN.
  - swish at +∞: actlib.nn gives f′ = NaN.
- PyTorch computes x·σ(x) and its derivative σ(x)(1 + x(1 − σ(x))) as products, which are (±∞)·0
  at ±∞; actlib returns the limits.
  - silu at −∞: actlib.nn and torch give f = NaN, f′ = NaN.
  - silu at +∞: actlib.nn and torch give f′ = NaN.
- PyTorch computes x·relu6(x + 3)/6, which is (−∞)·0 at −∞; actlib returns the limit 0.
  - hard_swish at −∞: actlib.nn and torch give f = NaN.
- PyTorch computes x·tanh(softplus(x)) and its derivative as products, which are (±∞)·0 at ±∞;
  actlib returns the limits.
  - mish at −∞: actlib.nn and torch give f = NaN, f′ = NaN.
  - mish at +∞: actlib.nn and torch give f′ = NaN.
- PyTorch subtracts the largest entry before exponentiating, and +∞ − ∞ is NaN; actlib gives the
  limit, all the mass on the infinite entry.
  - softmax at (+∞, 0): actlib.nn and torch give f = NaN, f′ = NaN.
  - log_softmax at (+∞, 0): actlib.nn and torch give f = NaN, f′ = NaN.
- PyTorch subtracts the largest entry before exponentiating, and +∞ − ∞ is NaN; actlib gives the
  limit, all the mass on the infinite entry. Softmin negates x first, so x = −∞ is that case.
  - softmin at (−∞, 0): actlib.nn and torch give f = NaN, f′ = NaN.
- actlib.nn writes a·SiLU(b) and a·GELU(b) with torch operations, whose values and derivatives
  hold the products (±∞)·0 at an infinite gate b, as PyTorch's SiLU and GELU do; actlib returns
  the limits.
  - swiglu at (1 ‖ −∞): actlib.nn gives f = NaN, f′ = NaN.
  - swiglu at (1 ‖ +∞): actlib.nn gives f′ = NaN.
  - geglu at (1 ‖ −∞): actlib.nn gives f = NaN, f′ = NaN.
  - geglu at (1 ‖ +∞): actlib.nn gives f′ = NaN.
- Autograd's derivative of a·b with respect to b is a, whatever b holds, so it passes a = 1 for
  a NaN gate; actlib returns NaN for a unit that holds a NaN.
  - bilinear_glu at (1 ‖ NaN): actlib.nn gives f′ = 1.

.. differences-end

Examples:
    >>> from actlib.nn import semantics
    >>> row = semantics.row("relu", float("nan"))
    >>> row.values["actlib"], row.values["torch"]
    ((nan, nan), (nan, 1.0))
"""

from __future__ import annotations

import math
import textwrap
from collections.abc import Callable, Iterator
from dataclasses import dataclass

import torch

from ..registry import Activation, activations, get
from . import autograd, reference
from .modules import module

__all__ = ["IMPLEMENTATIONS", "REASONS", "Row", "probe", "where", "row", "rows", "table", "differences",
           "differences_text"]

#: The implementations compared, in the table's column order.
IMPLEMENTATIONS = ("actlib", "actlib.nn.autograd", "actlib.nn", "torch")

_BRANCH = ("PyTorch's backward picks a branch by comparing x (x > 0, |x| < 3, ...), which is False at "
           "NaN, and passes on that branch's slope; actlib returns NaN for a NaN input.")
_PRODUCT = ("PyTorch computes {what} as products, which are (±∞)·0 at ±∞; actlib returns the limits.")
_OWN_GATE = ("actlib.nn writes x·σ(βx) with torch operations, and autograd's derivative σ(βx) + "
             "x·β·σ′(βx) holds the products (±∞)·0 at ±∞, as PyTorch's SiLU does; actlib returns the "
             "limits.")
_SOFTMAX = ("PyTorch subtracts the largest entry before exponentiating, and +∞ − ∞ is NaN; actlib gives "
            "the limit, all the mass on the infinite entry.")
_GATED = ("actlib.nn writes a·SiLU(b) and a·GELU(b) with torch operations, whose values and derivatives "
          "hold the products (±∞)·0 at an infinite gate b, as PyTorch's SiLU and GELU do; actlib returns "
          "the limits.")
_SOFTSIGN = ("PyTorch computes x / (1 + |x|), which is ∞/∞ at ±∞; actlib computes "
             "sign(x)(1 − 1/(1 + |x|)) for |x| ≥ 1.")

#: Why an implementation differs from actlib: ``(activation or "*", point)`` -> the reason.
#: ``point`` is ``"NaN"``, ``"−∞"``, ``"+∞"`` or ``"kink"``; ``"*"`` applies to every activation.
REASONS: dict[tuple[str, str], str] = {
    ("*", "NaN"): _BRANCH,
    ("softsign", "−∞"): _SOFTSIGN,
    ("softsign", "+∞"): _SOFTSIGN,
    ("softplus", "+∞"): "torch.nn.Softplus(threshold=inf), PyTorch's exact softplus, differentiates as "
                        "e^z/(e^z + 1) = ∞/∞; actlib.nn.Softplus switches to the identity where βx > 40, "
                        "where the exact value rounds to x.",
    ("hard_swish", "−∞"): "PyTorch computes x·relu6(x + 3)/6, which is (−∞)·0 at −∞; actlib returns the "
                          "limit 0.",
    **{(name, side): _PRODUCT.format(what=what) for name, what in [
        ("gelu", "x·Φ(x) and its derivative Φ(x) + x·φ(x)"),
        ("gelu_tanh", "x/2·(1 + tanh u) and its derivative"),
        ("silu", "x·σ(x) and its derivative σ(x)(1 + x(1 − σ(x)))"),
        ("mish", "x·tanh(softplus(x)) and its derivative"),
    ] for side in ("−∞", "+∞")},
    **{(name, side): _OWN_GATE for name in ("gelu_sigmoid", "swish") for side in ("−∞", "+∞")},
    **{(name, side): _SOFTMAX for name, side in (("softmax", "+∞"), ("log_softmax", "+∞"))},
    ("softmin", "−∞"): _SOFTMAX + " Softmin negates x first, so x = −∞ is that case.",
    **{(name, side): _GATED for name in ("swiglu", "geglu") for side in ("−∞", "+∞")},
    ("bilinear_glu", "NaN"): "Autograd's derivative of a·b with respect to b is a, whatever b holds, so "
                             "it passes a = 1 for a NaN gate; actlib returns NaN for a unit that holds a "
                             "NaN.",
}


def _label(x: float) -> str:
    if math.isnan(x):
        return "NaN"
    if math.isinf(x):
        return "+∞" if x > 0 else "−∞"
    return f"{x:g}".replace("-", "−")


def _num(v: float) -> str:
    if math.isnan(v):
        return "NaN"
    if math.isinf(v):
        return "∞" if v > 0 else "−∞"
    return f"{v + 0.0:.6g}".replace("-", "−")  # + 0.0: no sign on a zero


def _same(a: float, b: float) -> bool:
    if math.isnan(a) or math.isnan(b):
        return math.isnan(a) and math.isnan(b)
    return a == b or (math.isfinite(a) and math.isfinite(b) and abs(a - b) <= 1e-12 * abs(b))


def _torch_value(fn: Callable, rec: Activation, x: float) -> tuple[float, float]:
    inputs, j = probe(rec)
    xt = torch.tensor(inputs(x), dtype=torch.float64, requires_grad=True)
    y = fn(xt)[0]
    (g,) = torch.autograd.grad(y, xt)
    return float(y.detach()), float(g[j])


def probe(rec: Activation) -> tuple[Callable[[float], list[float]], int]:
    """How a scalar ``x`` enters an activation: ``(inputs, j)``, the input vector for ``x`` and
    the index of ``x`` in it.

    An elementwise activation takes ``x`` itself. A gated unit takes value 1 and gate ``x``,
    ``(1 ‖ x)``; the other vector and reducing activations (softmax family, Maxout with two
    pieces) take ``(x, 0)``. The table reports the first output ``f`` and its derivative
    ``f′`` with respect to ``x``.
    """
    if rec.elementwise:
        return (lambda x: [x]), 0
    if rec.gate is not None:
        return (lambda x: [1.0, x]), 1
    return (lambda x: [x, 0.0]), 0


def where(rec: Activation, x: float) -> str:
    """The table's text for the point ``x`` of ``rec``'s probe: ``NaN``, ``(−∞, 0)``, ``(1 ‖ 0)``."""
    label = _label(x)
    if rec.elementwise:
        return label
    return f"(1 ‖ {label})" if rec.gate is not None else f"({label}, 0)"


def _numpy_value(rec: Activation, x: float) -> tuple[float, float]:
    inputs, j = probe(rec)
    v = inputs(x)
    if rec.elementwise:
        return float(rec.fn(x)), float(rec.derivative(x))
    return float(rec.fn(v)[0]), float(rec.derivative(v)[0, j])


def _implementations(rec: Activation) -> dict[str, Callable]:
    impls = {}
    if rec.name in autograd.FUNCTIONS:
        impls["actlib.nn.autograd"] = autograd.FUNCTIONS[rec.name][1]
    impls["actlib.nn"] = module(rec.name).eval()
    ref = reference.torch_reference(rec)
    if ref is not None:
        impls["torch"] = ref
    return impls


@dataclass(frozen=True)
class Row:
    """One activation at one point: ``values[implementation] = (f, f′)`` (absent: no such implementation)."""

    name: str
    x: float
    point: str
    values: dict[str, tuple[float, float]]
    #: The input as the table shows it: ``point``, or the probe's vector, e.g. ``(NaN, 0)``.
    where: str = ""

    def differs(self, impl: str) -> bool:
        """Whether ``impl`` gives another value or derivative than actlib's numpy functions."""
        ours, theirs = self.values["actlib"], self.values.get(impl)
        return theirs is not None and not all(map(_same, theirs, ours))

    @property
    def different(self) -> list[str]:
        return [impl for impl in IMPLEMENTATIONS[1:] if self.differs(impl)]

    @property
    def kind(self) -> str:
        """``"NaN"``, ``"−∞"``, ``"+∞"`` or ``"kink"``: the key into :data:`REASONS`."""
        return self.point if self.point in ("NaN", "−∞", "+∞") else "kink"

    @property
    def reason(self) -> str | None:
        return REASONS.get((self.name, self.kind), REASONS.get(("*", self.kind)))

    def cell(self, impl: str) -> str:
        """The table cell: ``f, f′`` for actlib, "same" or the differing values for the others."""
        if impl not in self.values:
            return "—"
        f, df = self.values[impl]
        if impl == "actlib":
            return f"{_num(f)}, {_num(df)}"
        if not self.differs(impl):
            return "same"
        ours = self.values["actlib"]
        parts = [f"{label} = {_num(v)}" for label, v, o in zip(("f", "f′"), (f, df), ours, strict=True)
                 if not _same(v, o)]
        return ", ".join(parts)


def row(act, x: float) -> Row:
    """Every implementation of ``act`` (at its default parameters) at one point ``x``."""
    rec = get(act)
    values = {"actlib": _numpy_value(rec, x)}
    for impl, fn in _implementations(rec).items():
        values[impl] = _torch_value(fn, rec, x)
    return Row(rec.name, x, _label(x), values, where(rec, x))


def rows() -> Iterator[Row]:
    """The table's rows: every activation at NaN, −∞, +∞ and each of its kinks (along its
    :func:`probe` for the vector and reducing kinds)."""
    for rec in activations():
        for x in (math.nan, -math.inf, math.inf, *rec.kinks_at()):
            yield row(rec, x)


def table(all_rows: list[Row] | None = None) -> tuple[list[str], list[list[str]]]:
    """``(header, cells)`` of the whole table, for a page to render."""
    all_rows = list(rows()) if all_rows is None else all_rows
    head = ["activation", "x", "actlib f, f′", *IMPLEMENTATIONS[1:], "why they differ"]
    cells = [[r.name, r.where, *(r.cell(i) for i in IMPLEMENTATIONS), (r.reason or "") if r.different else ""]
             for r in all_rows]
    return head, cells


def differences(all_rows: list[Row] | None = None) -> list[Row]:
    """The rows where some implementation differs from actlib's numpy functions."""
    return [r for r in (rows() if all_rows is None else all_rows) if r.different]


def _who(impls: list[str]) -> str:
    if len(impls) == 1:
        return f"{impls[0]} gives"
    return ", ".join(impls[:-1]) + f" and {impls[-1]} give"


def differences_text(all_rows: list[Row] | None = None) -> str:
    """The list in this module's docstring: each reason, then the rows it explains."""
    groups: dict[str, list[str]] = {}
    for r in differences(all_rows):
        impls = r.different
        cells = {r.cell(i) for i in impls}
        what = cells.pop() if len(cells) == 1 else "; ".join(f"{i}: {r.cell(i)}" for i in impls)
        groups.setdefault(r.reason or "(no reason stated)", []).append(
            f"{r.name} at {r.where}: {_who(impls)} {what}")
    lines = []
    for reason, items in groups.items():
        lines += textwrap.wrap(reason, 96, initial_indent="- ", subsequent_indent="  ")
        for item in items:
            lines += textwrap.wrap(item + ".", 96, initial_indent="  - ", subsequent_indent="    ")
    return "\n".join(lines)


def stated_differences() -> str:
    """The list of differences as this module's docstring states it."""
    doc = __doc__ or ""
    start, end = doc.index(".. differences-start"), doc.index(".. differences-end")
    return doc[start:end].split("\n", 1)[1].strip()

