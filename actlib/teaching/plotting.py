"""Matplotlib figures and tables drawn from the registry.

Chapters call these instead of writing their own plotting loops, so every
figure of an activation shows the same thing: the function from
``record.fn`` and its derivative from ``record.derivative``, in the book's style
(:mod:`actlib.teaching.style`): sized for the content column, text of 10 pt or more,
the activation's own colour, the legend beside the axes.
"""

from __future__ import annotations

import html
import math
from collections.abc import Iterable, Sequence

import numpy as np

from ..registry import REGISTRY, Activation, get
from .report import markdown_cell
from .style import FIGURE_WIDTH, activation_color, book_style, legend_outside

__all__ = ["activation_card", "dot_and_bar", "plot_activation", "plot_activations", "properties_rows",
           "properties_table", "property_text", "PROPERTY_COLUMNS"]

DEFAULT_X = (-5.0, 5.0)


def _record(act) -> Activation:
    return act if isinstance(act, Activation) else get(act)


def _label(rec: Activation, params: dict) -> str:
    changed = {k: v for k, v in params.items() if rec.param(k).default != v}
    if not changed:
        return rec.name
    return rec.name + "(" + ", ".join(f"{k}={v:g}" for k, v in changed.items()) + ")"


def plot_activation(act, ax=None, *, x=DEFAULT_X, derivative=True, num=801, params=None,
                    color=None, label=None, **line_kw):
    """Plot one elementwise activation (solid) and, optionally, its derivative (dashed).

    Args:
        act: a registry name/alias or an :class:`~actlib.registry.Activation`.
        ax: matplotlib Axes (a new figure is made when omitted).
        x: ``(lo, hi)`` range or an array of points.
        derivative: also draw the analytic derivative.
        params: parameter values, e.g. ``{"alpha": 0.5}``.
        color: line colour (default: the activation's colour in the book's style).

    A new figure gets its legend beside the axes; on an Axes you pass, the legend is
    left to you (call :func:`actlib.teaching.style.legend_outside` once the Axes holds
    all its lines).

    Returns:
        The Axes.
    """
    import matplotlib.pyplot as plt

    rec = _record(act)
    if not rec.elementwise:
        raise ValueError(f"plot_activation draws elementwise activations; {rec.name} is {rec.kind}")
    params = dict(params or {})
    new = ax is None
    with book_style():
        if new:
            _, ax = plt.subplots(figsize=(FIGURE_WIDTH, 3.4))
        xs = np.linspace(x[0], x[1], num) if isinstance(x, tuple) else np.asarray(x, dtype=float)
        name = label or _label(rec, params)
        (line,) = ax.plot(xs, rec.fn(xs, **params), color=color or activation_color(rec), label=name,
                          **line_kw)
        if derivative:
            ax.plot(xs, rec.derivative(xs, **params), color=line.get_color(), linestyle="--",
                    label=f"{name}′", **line_kw)
        ax.axhline(0, color="0.6", linewidth=0.6, zorder=0)
        ax.axvline(0, color="0.6", linewidth=0.6, zorder=0)
        ax.set_xlabel("x")
        if new:
            legend_outside(ax)
    return ax


def plot_activations(acts: Iterable, *, derivative=False, ncols=None, x=DEFAULT_X, sharey=False,
                     figsize=None):
    """A grid of small plots, one per activation (each with its derivative if asked).

    The grid is as wide as the content column whatever the number of columns (at most
    three by default), so its text keeps the book's size; each plot is titled with the
    activation's ``panel_title`` (its title, or a short one), and one legend below the
    grid says which line is f and which f′.

    Returns:
        The Figure.
    """
    import matplotlib.pyplot as plt
    from matplotlib.lines import Line2D

    recs = [_record(a) for a in acts]
    n = len(recs)
    ncols = ncols or min(n, 3)
    nrows = math.ceil(n / ncols)
    with book_style():
        fig, axes = plt.subplots(nrows, ncols, figsize=figsize or (FIGURE_WIDTH, 2.3 * nrows + 0.4),
                                 sharey=sharey, squeeze=False)
        for ax, rec in zip(axes.flat, recs, strict=False):
            plot_activation(rec, ax, x=x, derivative=derivative)
            ax.set_title(rec.panel_title)
            ax.set_xlabel("")
        for ax in list(axes.flat)[n:]:
            ax.set_visible(False)
        if derivative:
            handles = [Line2D([], [], color="0.25", label="f(x)"),
                       Line2D([], [], color="0.25", linestyle="--", label="f′(x)")]
            legend_outside(fig, "below", handles=handles, ncols=2)
    return fig


def _fmt_num(v: float) -> str:
    if v == math.inf:
        return "∞"
    if v == -math.inf:
        return "−∞"
    if float(v).is_integer():
        return f"{v:.0f}".replace("-", "−")
    return f"{v:.4g}".replace("-", "−")


def property_text(rec: Activation, key: str) -> str:
    """One registry property as short text for a table cell."""
    rec = _record(rec)
    p = rec.properties
    if key == "range":
        lo, hi = p.range
        return (("[" if p.range_closed[0] else "(") + _fmt_num(lo) + ", " + _fmt_num(hi)
                + ("]" if p.range_closed[1] else ")"))
    if key == "continuity":
        return {"C-1": "discontinuous", "C0": "C⁰ (kink)", "C1": "C¹", "Cinf": "C∞"}[p.continuity]
    if key == "saturation":
        return f"{p.saturates_left} / {p.saturates_right}"
    value = getattr(p, key)
    return "yes" if value is True else "no" if value is False else str(value)


#: column key -> heading, for :func:`properties_rows`.
PROPERTY_COLUMNS = {
    "range": "range", "monotonic": "monotonic", "continuity": "smoothness",
    "zero_centred": "zero-centred", "odd": "odd", "saturation": "saturates (left / right)",
    "self_gated": "self-gated",
}


def properties_rows(acts: Sequence | None = None, columns: Sequence[str] = tuple(PROPERTY_COLUMNS)):
    """Rows (lists of strings) of registry properties, starting with the name."""
    recs = [_record(a) for a in (acts if acts is not None else REGISTRY)]
    return [[r.name] + [property_text(r, c) for c in columns] for r in recs if r.elementwise]


def properties_table(acts: Sequence | None = None, columns: Sequence[str] = tuple(PROPERTY_COLUMNS)):
    """An HTML table of registry properties (displayable in a notebook, deterministic text).

    Returns an object whose ``_repr_html_`` is the table and whose ``repr`` is plain text.
    """
    rows = properties_rows(acts, columns)
    head = ["activation"] + [PROPERTY_COLUMNS[c] for c in columns]
    return _Table(head, rows)


class _Table:
    def __init__(self, head, rows):
        self.head, self.rows = head, rows

    def _repr_html_(self):
        th = "".join(f"<th>{html.escape(h)}</th>" for h in self.head)
        body = "".join("<tr>" + "".join(f"<td>{html.escape(c)}</td>" for c in r) + "</tr>"
                       for r in self.rows)
        return f'<table class="actlib-table"><thead><tr>{th}</tr></thead><tbody>{body}</tbody></table>'

    def __repr__(self):
        widths = [max(len(str(x)) for x in col) for col in zip(self.head, *self.rows, strict=True)]
        line = lambda r: "  ".join(str(c).ljust(w) for c, w in zip(r, widths, strict=True))  # noqa: E731
        return "\n".join([line(self.head)] + [line(r) for r in self.rows])


def activation_card(act, *, heading_level: int = 0):
    """A Markdown summary of one registry record: formula, derivative, parameters, properties, paper.

    Displayed in a notebook it renders as Markdown; the book renders it as MyST, so the
    ``{cite}`` role becomes a citation. Pair it with :func:`plot_activation`.
    """
    from IPython.display import Markdown

    rec = _record(act)
    lines = []
    if heading_level:
        lines += [f"{'#' * heading_level} {rec.title}", ""]
    lines += [f"**{rec.title}** (`actlib.{rec.name}`"
              + (f"; also {', '.join(f'`{a}`' for a in rec.aliases)}" if rec.aliases else "")
              + f"), {rec.year} {{cite}}`{rec.cite}`. {rec.summary}", "",
              f"$$\n{rec.latex}\n$$", "", f"$$\n{rec.derivatives_latex}\n$$", ""]
    if rec.params:
        lines.append("| parameter | default | valid range | learnable | meaning |")
        lines.append("|---|---|---|---|---|")
        for p in rec.params:
            default = "None" if p.default is None else format(p.default, "g")
            lines.append(f"| `{p.name}` | {default} | {p.range_text} | "
                         f"{'yes' if p.learnable else 'no'} | {markdown_cell(p.description)} |")
        lines.append("")
    if rec.properties is not None:
        cols = list(PROPERTY_COLUMNS)
        lines.append("| " + " | ".join(PROPERTY_COLUMNS[c] for c in cols) + " |")
        lines.append("|" + "---|" * len(cols))
        lines.append("| " + " | ".join(property_text(rec, c) for c in cols) + " |")
        lines.append("")
    torch_text = f"`{rec.torch_name}`" if rec.torch_name else "none (actlib.nn provides a module)"
    lines.append(f"PyTorch: {torch_text}." + (f" {rec.note}" if rec.note else ""))
    return Markdown("\n".join(lines))


def dot_and_bar(ax, groups, labels, *, xlabel: str = "", xlim=None, color: str = "#9ecae1"):
    """Horizontal rows, one per group: each value (one seed) as a dot, the mean as a bar.

    The picture the book uses for a comparison over seeds: the spread is visible, not only
    the mean. ``groups`` is a sequence of 1-D arrays (NaN values, e.g. diverged runs, are
    left out), ``labels`` their names, top to bottom.

    Returns:
        The Axes.
    """
    groups = [np.asarray(g, dtype=float) for g in groups]
    if len(groups) != len(labels):
        raise ValueError(f"{len(groups)} groups but {len(labels)} labels")
    means = [np.nanmean(g) if np.isfinite(g).any() else np.nan for g in groups]
    ax.barh(range(len(groups)), means, color=color, height=0.6)
    for i, g in enumerate(groups):
        g = g[np.isfinite(g)]
        ax.plot(g, np.full(g.size, i), "o", color="0.15", markersize=3.5, alpha=0.8)
    ax.set_yticks(range(len(groups)), labels)
    if not ax.yaxis_inverted():   # first group on top (a shared axis is inverted only once)
        ax.invert_yaxis()
    ax.set_xlabel(xlabel)
    if xlim is not None:
        ax.set_xlim(*xlim)
    ax.grid(True, axis="x", alpha=0.3)
    return ax
