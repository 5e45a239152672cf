"""What an explorer shows: view kinds (the panels) and the items drawn in them.

A *view* is a panel with fixed properties (axes, labels, palette); ``explorer.js`` has
one drawing function per view kind (``VIEWS.lines``, ``VIEWS.histograms`` ...). An
*item* is the data of one state in a view (a curve, one layer's histogram, a map); the
explorer's ``compute`` returns items, one list per view. An item writes its part of
the frame skeleton (:meth:`skeleton`, numeric arrays through the packer) and names the
arrays the measured-values record holds (:meth:`arrays`).

A new view kind is a view class here (its ``kind`` and options), its items, and a
drawing function in ``explorer.js``.
"""

from __future__ import annotations

import math
from dataclasses import dataclass, fields
from typing import ClassVar

import numpy as np

__all__ = ["Series", "Rule", "Axes", "Note", "Hist", "Grid", "Field", "Points", "Units",
           "View", "Lines", "Histograms", "Heatmaps", "FieldView"]

STYLES = ("solid", "dashed", "dotted", "markers", "bars")


def _arr(a) -> np.ndarray:
    return np.asarray(a, dtype=np.float64)


def _tol(tol, shape):
    return None if tol is None else np.broadcast_to(_arr(tol), shape)


def _recorded(values, tol, enc, record):
    """What the record holds of one array: every value (``record=True``), nothing
    (``False``), or (``"summary"``) three moments, ``Σv``, ``Σ (i/n) v`` and ``Σv²``,
    with tolerances propagated from the values' (a changed picture changes them, and a
    record of a large picture stays small)."""
    if record is False:
        return
    a = _arr(values)
    v = a.ravel()
    t = None if tol is None else np.broadcast_to(_arr(tol), a.shape).ravel()
    if record is True:
        yield v, t, enc
        return
    if record != "summary":
        raise ValueError(f"record must be True, False or 'summary', got {record!r}")
    w = np.arange(v.size) / max(v.size, 1)
    finite = np.where(np.isfinite(v), v, 0.0)
    moments = np.array([finite.sum(), (w * finite).sum(), (finite ** 2).sum()])
    if t is None:
        yield moments, None, "f4"
        return
    t = np.where(np.isfinite(v), t, 0.0)
    yield moments, np.array([t.sum(), (w * t).sum(), (2 * np.abs(finite) * t + t ** 2).sum()]), "f4"


# ---------------------------------------------------------------------------------------
# Items: the data of one state
# ---------------------------------------------------------------------------------------

@dataclass(frozen=True)
class Series:
    """One curve: ``y`` against ``x``, drawn ``style`` (solid, dashed, dotted, markers,
    bars).

    ``tol``: how far each ``y`` may move on another machine (a number or one per point)
    when the curve comes from floating-point training; ``None`` for values exact to
    float noise. ``enc``: how the page stores ``y`` (see :mod:`.pack`).
    """

    label: str
    x: np.ndarray
    y: np.ndarray
    style: str = "solid"
    color: str | None = None
    tol: np.ndarray | float | None = None
    enc: str = "f4"
    kind: ClassVar[str] = "series"

    def __post_init__(self):
        x, y = _arr(self.x).ravel(), _arr(self.y).ravel()
        if x.shape != y.shape:
            raise ValueError(f"series {self.label!r}: x has {x.size} points, y has {y.size}")
        if self.style not in STYLES:
            raise ValueError(f"series {self.label!r}: style must be one of {STYLES}, got {self.style!r}")
        object.__setattr__(self, "x", x)
        object.__setattr__(self, "y", y)

    def skeleton(self, f) -> dict:
        return {"kind": "series", "label": self.label, "style": self.style, "color": self.color,
                "x": f.array(self.x, "f4"), "y": f.array(self.y, self.enc)}

    def arrays(self):
        yield self.y, _tol(self.tol, self.y.shape), self.enc


@dataclass(frozen=True)
class Rule:
    """A vertical line at ``x`` or a horizontal one at ``y`` (e.g. the current step)."""

    x: float | None = None
    y: float | None = None
    style: str = "dotted"
    kind: ClassVar[str] = "rule"

    def skeleton(self, f) -> dict:
        if (self.x is None) == (self.y is None):
            raise ValueError("a Rule needs exactly one of x and y")
        axis = "x" if self.x is not None else "y"
        return {"kind": "rule", "style": self.style, axis: f.array([getattr(self, axis)], "f4")}

    def arrays(self):
        return iter(())


@dataclass(frozen=True)
class Axes:
    """Limits of a :class:`Lines` view for this state only (e.g. layers 1 to the depth
    chosen), instead of the view's fixed ones; ``None`` keeps the view's."""

    xlim: tuple | None = None
    ylim: tuple | None = None
    kind: ClassVar[str] = "axes"

    def skeleton(self, f) -> dict:
        node = {"kind": "axes"}
        for name in ("xlim", "ylim"):
            if getattr(self, name) is not None:
                node[name] = f.array(getattr(self, name), "f4")
        return node

    def arrays(self):
        return iter(())


@dataclass(frozen=True)
class Note:
    """A line of text under a view, ``text`` with ``{i:fmt}`` fields filled from ``values``
    by the page (formats ``.2f``, ``.1e``, ``.0%``, ``d``), so the numbers are data."""

    text: str
    values: tuple = ()
    tol: np.ndarray | float | None = None
    kind: ClassVar[str] = "note"

    def skeleton(self, f) -> dict:
        node = {"kind": "note", "text": self.text}
        if len(self.values):
            node["values"] = f.array(self.values, "f4")
        return node

    def arrays(self):
        if len(self.values):
            v = _arr(self.values).ravel()
            yield v, _tol(self.tol, v.shape), "f4"


@dataclass(frozen=True)
class Hist:
    """One row of a :class:`Histograms` view: ``counts`` over ``bins`` equal bins of
    ``[lo, hi]`` (any unit: the row is scaled to its largest bin), a label on the left,
    a :class:`Note` on the right and dotted marks at the values ``marks``."""

    label: str
    counts: np.ndarray
    lo: float
    hi: float
    color: str = "#1d7cce"
    note: Note | None = None
    marks: tuple = ()
    tol: np.ndarray | float | None = None
    enc: str = "q8"
    record: bool | str = True
    kind: ClassVar[str] = "hist"

    def skeleton(self, f) -> dict:
        node = {"kind": "hist", "label": self.label, "color": self.color,
                "counts": f.array(self.counts, self.enc), "range": f.array([self.lo, self.hi], "f4")}
        if self.note is not None:
            node["note"] = self.note.skeleton(f)
        if len(self.marks):
            node["marks"] = f.array(self.marks, "f4")
        return node

    def arrays(self):
        yield from _recorded(self.counts, self.tol, self.enc, self.record)
        if self.note is not None:
            yield from self.note.arrays()


@dataclass(frozen=True)
class Grid:
    """A matrix drawn as an image tile of a :class:`Heatmaps` view (row 0 on top).

    ``record=False`` leaves the pixels out of the measured-values record (a map whose
    summary, the note's numbers, is recorded instead); ``"summary"`` records three
    moments of them.
    """

    label: str
    values: np.ndarray
    vmin: float = 0.0
    vmax: float = 1.0
    note: Note | None = None
    tol: np.ndarray | float | None = None
    enc: str = "b1"
    record: bool | str = True
    kind: ClassVar[str] = "grid"

    def skeleton(self, f) -> dict:
        v = _arr(self.values)
        if v.ndim != 2:
            raise ValueError(f"grid {self.label!r}: values must be 2-D, got shape {v.shape}")
        node = {"kind": "grid", "label": self.label, "vmin": self.vmin, "vmax": self.vmax,
                "values": f.array(v, self.enc, v.shape)}
        if self.note is not None:
            node["note"] = self.note.skeleton(f)
        return node

    def arrays(self):
        yield from _recorded(self.values, self.tol, self.enc, self.record)
        if self.note is not None:
            yield from self.note.arrays()


@dataclass(frozen=True)
class Field:
    """Values over a :class:`FieldView`'s rectangle, row 0 at the top edge (``ylim[1]``):
    class probabilities ``(classes, rows, cols)``, shown as the likeliest class's colour
    at its confidence (one byte per point: class and confidence), or one scalar
    ``(1, rows, cols)`` between ``vmin`` and ``vmax``, shown on the view's palette."""

    probs: np.ndarray
    vmin: float = 0.0
    vmax: float = 1.0
    tol: np.ndarray | float | None = None
    record: bool | str = True
    kind: ClassVar[str] = "field"

    def skeleton(self, f) -> dict:
        p = _arr(self.probs)
        if p.ndim != 3:
            raise ValueError(f"Field.probs must be (classes, rows, cols), got shape {p.shape}")
        k = p.shape[0]
        if k == 1:
            return {"kind": "field", "classes": 1, "vmin": self.vmin, "vmax": self.vmax,
                    "values": f.array(p[0], "q8", p.shape[1:])}
        levels = 255 // k
        best = p.argmax(axis=0)
        conf = (p.max(axis=0) - 1.0 / k) / (1.0 - 1.0 / k)
        codes = best * levels + np.rint(np.clip(conf, 0, 1) * (levels - 1))
        return {"kind": "field", "classes": k, "levels": levels, "codes": f.array(codes, "u8", p.shape[1:])}

    def arrays(self):
        yield from _recorded(self.probs, self.tol, "q8", self.record)


@dataclass(frozen=True)
class Points:
    """Data points ``(x, y)`` coloured by their class ``cls`` (0, 1, ...), named ``labels``
    in the legend."""

    x: np.ndarray
    y: np.ndarray
    cls: np.ndarray
    labels: tuple[str, ...] = ()
    kind: ClassVar[str] = "points"

    def skeleton(self, f) -> dict:
        return {"kind": "points", "x": f.array(self.x, "f4"), "y": f.array(self.y, "f4"),
                "cls": f.array(self.cls, "u8"), "labels": list(self.labels)}

    def arrays(self):
        for a in (self.x, self.y):
            yield _arr(a).ravel(), None, "f4"


@dataclass(frozen=True)
class Units:
    """First-layer units of a 2-D classifier: unit ``j`` switches on where
    ``a[j] x + b[j] y + c[j] = 0``; ``dead[j]`` is 1 for a unit that is off on every
    training point."""

    a: np.ndarray
    b: np.ndarray
    c: np.ndarray
    dead: np.ndarray
    tol: np.ndarray | float | None = None
    record: bool | str = True
    kind: ClassVar[str] = "units"

    def skeleton(self, f) -> dict:
        return {"kind": "units", "a": f.array(self.a, "f4"), "b": f.array(self.b, "f4"),
                "c": f.array(self.c, "f4"), "dead": f.array(self.dead, "b1")}

    def arrays(self):
        abc = np.stack([_arr(self.a).ravel(), _arr(self.b).ravel(), _arr(self.c).ravel()])
        yield from _recorded(abc, self.tol, "f4", self.record)


# ---------------------------------------------------------------------------------------
# Views: the panels
# ---------------------------------------------------------------------------------------

@dataclass
class View:
    """A panel of an explorer. ``title`` is shown above it, ``alt`` is its text for screen
    readers; ``width`` and ``height`` are its size in CSS pixels at full scale."""

    title: str = ""
    alt: str = ""
    width: int = 640
    height: int = 330
    kind: ClassVar[str] = ""
    items: ClassVar[tuple] = ()

    def check(self, items) -> None:
        for it in items:
            if not isinstance(it, self.items):
                raise TypeError(f"a {type(self).__name__} view draws {[c.__name__ for c in self.items]}, "
                                f"got {type(it).__name__}")

    def fit(self, frames) -> None:
        """Fill in limits left open from the items of every frame (``frames``: lists of
        this view's items)."""

    def spec(self) -> dict:
        out = {"kind": self.kind}
        for f in fields(self):
            v = getattr(self, f.name)
            if v is not None and v != "" and not f.name.startswith("_"):
                out[f.name] = list(v) if isinstance(v, tuple) else v
        return out


@dataclass
class Lines(View):
    """Curves over fixed axes. Limits left as ``None`` are fitted to the data of every
    state; ``xticks``/``yticks`` are ``[(value, label), ...]`` for named ticks."""

    xlabel: str = "x"
    ylabel: str = ""
    xlim: tuple | None = None
    ylim: tuple | None = None
    yscale: str = "linear"
    xscale: str = "linear"
    legend: bool = True
    xticks: list | None = None
    yticks: list | None = None
    kind: ClassVar[str] = "lines"
    items: ClassVar[tuple] = (Series, Rule, Axes, Note)

    def __post_init__(self):
        for name in ("yscale", "xscale"):
            if getattr(self, name) not in ("linear", "log"):
                raise ValueError(f"{name} must be 'linear' or 'log', got {getattr(self, name)!r}")

    def fit(self, frames) -> None:
        series = [s for items in frames for s in items if isinstance(s, Series)]
        rules = [r for items in frames for r in items if isinstance(r, Rule)]
        if self.xlim is None:
            xs = [s.x for s in series] + [np.array([r.x]) for r in rules if r.x is not None]
            self.xlim = _fit(xs, self.xscale, pad=0.0)
        if self.ylim is None:
            ys = [s.y for s in series] + [np.array([r.y]) for r in rules if r.y is not None]
            self.ylim = _fit(ys, self.yscale, pad=0.06)
        for name in ("xlim", "ylim"):
            lo, hi = (float(v) for v in getattr(self, name))
            if not (math.isfinite(lo) and math.isfinite(hi) and lo < hi):
                raise ValueError(f"{name} must be two finite numbers, low < high; got {(lo, hi)}")
            if getattr(self, name[0] + "scale") == "log" and lo <= 0:
                raise ValueError(f"{name} of a log axis must be positive, got {(lo, hi)}")
            setattr(self, name, (lo, hi))


def _fit(arrays, scale: str, pad: float) -> tuple[float, float]:
    vals = np.concatenate([a[np.isfinite(a)] for a in arrays]) if arrays else np.zeros(0)
    if scale == "log":
        vals = vals[vals > 0]
    if vals.size == 0:
        return (0.1, 10.0) if scale == "log" else (0.0, 1.0)
    lo, hi = float(vals.min()), float(vals.max())
    if scale == "log":
        return (lo / 1.5, hi * 1.5) if hi > lo else (lo / 10, hi * 10)
    if hi == lo:
        return lo - 1.0, hi + 1.0
    p = pad * (hi - lo)
    return lo - p, hi + p


@dataclass
class Histograms(View):
    """Histograms stacked one per row (e.g. one per layer), sharing the x range of the
    frame's first row."""

    xlabel: str = ""
    kind: ClassVar[str] = "histograms"
    items: ClassVar[tuple] = (Hist, Note)


@dataclass
class Heatmaps(View):
    """Matrices drawn as image tiles side by side (e.g. samples × units of each layer).
    ``palette``: ``"binary"`` (two colours), ``"viridis"`` or ``"diverging"``; ``legend``:
    ``[(label, colour), ...]`` under the tiles; ``tiles``: the width is shared among this
    many tiles (so tiles keep their size when a frame has fewer)."""

    palette: str = "binary"
    legend: list | None = None
    tiles: int | None = None
    stretch: float = 1.0
    height: int = 230
    kind: ClassVar[str] = "heatmaps"
    items: ClassVar[tuple] = (Grid, Note)


@dataclass
class FieldView(View):
    """A field over the rectangle ``xlim`` × ``ylim`` (a classifier's class probabilities, or
    a scalar on ``palette``), with data points, first-layer units, curves (e.g. a path
    through the plane) and a note; ``colors`` gives one colour per class."""

    xlabel: str = "x₁"
    ylabel: str = "x₂"
    xlim: tuple = (-1.0, 1.0)
    ylim: tuple = (-1.0, 1.0)
    colors: tuple | None = None
    palette: str = "viridis"
    legend: list | None = None
    width: int = 420
    height: int = 400
    unitLabel: str = "where a unit switches on"  # noqa: N815 (a key of the page's spec)
    deadLabel: str = "a dead unit"  # noqa: N815
    kind: ClassVar[str] = "field"
    items: ClassVar[tuple] = (Field, Points, Units, Series, Note)


ITEM_TYPES = (Series, Rule, Axes, Note, Hist, Grid, Field, Points, Units)
