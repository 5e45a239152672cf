"""The explorer's model: controls, the compute function, its memo, and the frames.

An :class:`Explorer` knows its controls (:class:`Slider` over a grid of numbers,
:class:`Choice` among named options), calls ``compute(**values)`` for a state and
remembers the answer, fits the axes to the data of every state, and turns a state into
a frame (:mod:`.pack`). It draws nothing: ``explorer.js`` draws, in the static page
(:mod:`.page`) and in the live widget (:mod:`.widget`) alike.
"""

from __future__ import annotations

import copy
import hashlib
import itertools
import json
import math
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field

import numpy as np

from ..style import SERIES_COLORS
from .pack import FramePacker, wire_frame
from .views import ITEM_TYPES, Lines, Series, View

__all__ = ["Slider", "Choice", "Explorer", "MAX_BYTES"]

#: Default budget for the static data of one explorer in a page; an explorer may set its
#: own (``max_bytes``), and a page's explorers together stay within 1.5 MB.
MAX_BYTES = 300_000


@dataclass(frozen=True)
class Slider:
    """A control over a grid of values; ``default`` must be one of them.

    ``labels`` (one per value) replaces the number the page shows (e.g. ``"10⁻³"``);
    ``play`` adds a play/pause button that steps through the values.
    """

    name: str
    values: tuple[float, ...]
    default: float
    label: str = ""
    integer: bool = False
    labels: tuple[str, ...] | None = None
    play: bool = False

    @classmethod
    def range(cls, name, start, stop, step, default, label="", integer=False, **kw):
        """Values ``start, start + step, ..., stop`` (``stop`` must be on the grid)."""
        for arg, v in (("start", start), ("stop", stop), ("step", step)):
            if not isinstance(v, (int, float, np.integer, np.floating)) or not math.isfinite(v):
                raise TypeError(f"slider {name}: {arg} must be a finite number, got {v!r}")
        if step <= 0 or stop <= start:
            raise ValueError(f"slider {name}: needs start < stop and step > 0, got "
                             f"start={start}, stop={stop}, step={step}")
        n = int(round((stop - start) / step)) + 1
        values = tuple(float(round(start + i * step, 10)) for i in range(n))
        return cls(name, values, float(default), label or name, integer, **kw)

    def __post_init__(self):
        values = tuple(float(v) for v in self.values)
        if len(values) < 2:
            raise ValueError(f"slider {self.name}: needs at least two values")
        if not all(math.isfinite(v) for v in values) or any(b <= a for a, b in zip(values, values[1:], strict=False)):
            raise ValueError(f"slider {self.name}: values must be finite and increasing")
        near = [v for v in values if abs(v - self.default) <= 1e-9 * max(1.0, abs(v))]
        if not near:
            raise ValueError(f"slider {self.name}: default {self.default} is not on the grid")
        if self.labels is not None and len(self.labels) != len(values):
            raise ValueError(f"slider {self.name}: needs one label per value")
        object.__setattr__(self, "values", values)
        object.__setattr__(self, "default", near[0])  # snap rounding noise to the grid value
        object.__setattr__(self, "label", self.label or self.name)

    @property
    def step(self) -> float:
        return self.values[1] - self.values[0]

    def index(self, value: float) -> int:
        return int(np.argmin(np.abs(np.asarray(self.values) - value)))

    def fmt(self, v: float) -> str:
        """The value as the page shows it: its label, or 4 significant digits."""
        if self.labels is not None:
            return self.labels[self.index(v)]
        if self.integer:
            return f"{int(round(v))}"
        return f"{v:.4g}".replace("-", "−")

    def spec(self) -> dict:
        out = {"kind": "slider", "name": self.name, "label": self.label, "values": list(self.values),
               "default": self.index(self.default), "integer": self.integer}
        if self.labels is not None:
            out["labels"] = list(self.labels)
        if self.play:
            out["play"] = True
        return out

    def value_at(self, i: int) -> float:
        return int(round(self.values[i])) if self.integer else self.values[i]


@dataclass(frozen=True)
class Choice:
    """A control that picks one of ``options`` (strings); ``default`` is one of them."""

    name: str
    options: tuple[str, ...]
    default: str | None = None
    label: str = ""

    def __post_init__(self):
        options = tuple(self.options)
        if len(options) < 2 or not all(isinstance(o, str) for o in options):
            raise ValueError(f"choice {self.name}: needs at least two options, all strings")
        if len(set(options)) != len(options):
            raise ValueError(f"choice {self.name}: options must be distinct")
        default = options[0] if self.default is None else self.default
        if default not in options:
            raise ValueError(f"choice {self.name}: default {default!r} is not one of {options}")
        object.__setattr__(self, "options", options)
        object.__setattr__(self, "default", default)
        object.__setattr__(self, "label", self.label or self.name)

    @property
    def values(self) -> tuple[str, ...]:
        return self.options

    def index(self, value) -> int:
        if value not in self.options:
            raise ValueError(f"unknown {self.name} choice {value!r}; choices: {list(self.options)}")
        return self.options.index(value)

    def spec(self) -> dict:
        return {"kind": "choice", "name": self.name, "label": self.label, "options": list(self.options),
                "default": self.index(self.default)}

    def value_at(self, i: int) -> str:
        return self.options[i]


@dataclass
class Explorer:
    """Views whose data depend on controls: sliders, choices and a "compare with" choice.

    Args:
        compute: ``compute(**values) -> items``: for one view, a list of items (e.g.
            :class:`~.views.Series`); for several, one list per view.
        sliders: the controls (:class:`Slider` and :class:`Choice`), passed to ``compute``
            by name.
        title, xlabel, ylabel, xlim, ylim, yscale: the single line plot made when ``views``
            is not given (limits left as ``None`` are fitted to every state's data).
        overlays: choice label -> list of Series drawn on top of the first view,
            independent of ``compute`` (the "compare with" choice); the first key is the
            default.
        description: what the explorer shows, in words (for screen readers, and the text
            a page shows where JavaScript does not run).
        views: the panels (:class:`~.views.Lines`, :class:`~.views.Histograms`, ...).
        meta: facts a test or a reader's script needs to recompute the data (JSON).
        max_bytes: budget for the static page's data.
    """

    compute: Callable[..., list]
    sliders: Sequence[Slider | Choice]
    title: str = ""
    xlabel: str = "x"
    ylabel: str = ""
    xlim: tuple[float, float] | None = None
    ylim: tuple[float, float] | None = None
    yscale: str = "linear"
    overlays: dict[str, list[Series]] = field(default_factory=dict)
    overlay_label: str = "compare with"
    description: str = ""
    #: For activation explorers: the registry name and the parameters held fixed.
    activation: str | None = None
    fixed_params: dict = field(default_factory=dict)
    views: Sequence[View] | None = None
    meta: dict = field(default_factory=dict)
    max_bytes: int = MAX_BYTES
    _cache: dict = field(default_factory=dict, repr=False)

    # --- state -------------------------------------------------------------------------
    def __post_init__(self):
        self.sliders = list(self.sliders)
        for s in self.sliders:
            if not isinstance(s, (Slider, Choice)):
                raise TypeError(f"sliders holds Slider and Choice controls, got {type(s).__name__}")
        names = [s.name for s in self.sliders]
        if len(set(names)) != len(names):
            raise ValueError(f"control names must be distinct, got {names}")
        if self.views is None:
            self.views = [Lines(xlabel=self.xlabel, ylabel=self.ylabel, xlim=self.xlim, ylim=self.ylim,
                                yscale=self.yscale, alt=self.description)]
        self.views = [copy.copy(v) for v in self.views]
        self.values = {s.name: s.default for s in self.sliders}
        self.overlay = next(iter(self.overlays), None)
        self._widget = None
        self._fitted = False
        self._overlay_cache: dict = {}
        self._color_cache: dict = {}

    @property
    def controls(self) -> list[Slider | Choice]:
        """Every control, the "compare with" choice last."""
        extra = [Choice(self.overlay_label, tuple(self.overlays), self.overlay)] if len(self.overlays) > 1 else []
        return self.sliders + extra

    def _normalise(self, out) -> list[list]:
        if len(self.views) == 1 and (not out or isinstance(out[0], ITEM_TYPES)):
            out = [out]
        if len(out) != len(self.views):
            raise ValueError(f"compute() returned {len(out)} lists of items for {len(self.views)} views")
        result = []
        for view, items in zip(self.views, out, strict=True):
            items = list(items)
            view.check(items)
            result.append([self._colored(it, i) for i, it in enumerate(items)])
        return result

    def _colored(self, it, i: int):
        """A Series without a colour gets the i-th series colour (the same copy every time,
        so an item shared between states stays one object)."""
        if not isinstance(it, Series) or it.color is not None:
            return it
        key = (id(it), i)
        if key not in self._color_cache:
            color = SERIES_COLORS[i % len(SERIES_COLORS)]
            self._color_cache[key] = (it, Series(it.label, it.x, it.y, it.style, color, it.tol, it.enc))
        return self._color_cache[key][1]

    def items(self, **values) -> list[list]:
        """Every view's items at the given control values (the current ones by default),
        without the overlay; memoised."""
        vals = {**self.values, **values}
        key = tuple(vals[s.name] for s in self.sliders)
        if key not in self._cache:
            self._cache[key] = self._normalise(self.compute(**vals))
        return self._cache[key]

    def series(self, **values) -> list:
        """The first view's items at the given control values (the current ones by default)."""
        return self.items(**values)[0]

    def _overlay_items(self, choice) -> list[Series]:
        if choice not in self._overlay_cache:
            n = len(self.items(**{s.name: s.default for s in self.sliders})[0])
            out = []
            for j, s in enumerate(self.overlays.get(choice, []) if choice else []):
                color = s.color or SERIES_COLORS[(n + j) % len(SERIES_COLORS)]
                out.append(Series(s.label, s.x, s.y, s.style, color, s.tol, s.enc))
            self._overlay_cache[choice] = out
        return self._overlay_cache[choice]

    def frame_items(self, values=None, overlay=None) -> list[list]:
        """What a state shows: every view's items, the overlay's curves on the first view."""
        views = self.items(**(values or {}))
        overlay = self.overlay if overlay is None else overlay
        return [views[0] + self._overlay_items(overlay)] + views[1:]

    def current(self) -> list:
        """What the first view draws now: its items plus the selected overlay."""
        return self.frame_items()[0]

    def set(self, **values) -> None:
        """Change control values (the live widget follows)."""
        for name, v in values.items():
            if name in (self.overlay_label, "overlay"):
                if v not in self.overlays:
                    raise ValueError(f"unknown {self.overlay_label} choice {v!r}; "
                                     f"choices: {list(self.overlays)}")
                self.overlay = v
                continue
            control = next((s for s in self.sliders if s.name == name), None)
            if control is None:
                raise ValueError(f"no control called {name!r}; controls: {list(self.values)}")
            if isinstance(control, Slider):
                v = control.values[control.index(float(v))]
            else:
                control.index(v)
            self.values[name] = v
        if self._widget is not None:
            self._widget.sync()

    # --- states and indices -------------------------------------------------------------
    def state_indices(self) -> list[int]:
        idx = [s.index(self.values[s.name]) for s in self.sliders]
        if len(self.overlays) > 1:
            idx.append(list(self.overlays).index(self.overlay))
        return idx

    def set_indices(self, idx: Sequence[int]) -> None:
        controls = self.controls
        if len(idx) != len(controls):
            raise ValueError(f"{len(idx)} indices for {len(controls)} controls")
        for c, i in zip(controls, idx, strict=True):
            if not 0 <= int(i) < len(c.values):
                raise ValueError(f"index {i} is outside control {c.name!r} (0 to {len(c.values) - 1})")
        for s, i in zip(self.sliders, idx, strict=False):
            self.values[s.name] = s.values[int(i)]
        if len(self.overlays) > 1:
            self.overlay = list(self.overlays)[int(idx[-1])]

    def grid(self):
        """Every state, in the page's order (the last control varies fastest):
        ``(values, overlay)`` pairs."""
        overlays = list(self.overlays) if len(self.overlays) > 1 else [self.overlay]
        for combo in itertools.product(*(s.values for s in self.sliders), overlays):
            yield dict(zip((s.name for s in self.sliders), combo[:-1], strict=True)), combo[-1]

    # --- axes, spec and frames ----------------------------------------------------------
    def fit(self) -> None:
        """Fit every view's open limits to the data of every state (once)."""
        if self._fitted:
            return
        per_view = [[] for _ in self.views]
        for values, overlay in self.grid():
            for k, items in enumerate(self.frame_items(values, overlay)):
                per_view[k].append(items)
        for view, frames in zip(self.views, per_view, strict=True):
            view.fit(frames)
        self._fitted = True

    def spec(self, uid: str | None = None) -> dict:
        """The fixed part of what the page draws: controls, views, texts."""
        self.fit()
        meta = dict(self.meta)
        if self.activation:
            meta.update(activation=self.activation, fixed_params=self.fixed_params)
        return {"id": uid or self.uid(), "title": self.title, "description": self.description,
                "controls": [c.spec() for c in self.controls], "views": [v.spec() for v in self.views],
                "meta": meta}

    def uid(self) -> str:
        """An element id from what the explorer is (title, controls, views), not its data."""
        ident = json.dumps([self.title, self.description, [c.spec() for c in self.controls],
                            [type(v).__name__ + v.title for v in self.views]], sort_keys=True)
        return "actlib-x" + hashlib.sha1(ident.encode()).hexdigest()[:10]

    def _skeleton(self, items):
        return lambda f: {"views": [[it.skeleton(f) for it in view] for view in items]}

    def frames(self) -> FramePacker:
        """Every state's frame, packed for the static page."""
        self.fit()
        packer = FramePacker()
        for values, overlay in self.grid():
            packer.add(self._skeleton(self.frame_items(values, overlay)))
        return packer

    def wire_frame(self) -> dict:
        """The current state's frame, for the live widget."""
        self.fit()
        return wire_frame(self._skeleton(self.frame_items()))

    # --- the record of measured values ----------------------------------------------------
    def measured_record(self) -> dict | None:
        """Every value of every state once (with its tolerance) when any item carries a
        tolerance, so notebook tests compare the data within it; ``None`` otherwise.

        Arrays are taken once per object (``compute`` results are memoised, so an array
        shared between states is recorded once), in the order of the grid."""
        seen, alive, arrays = set(), [], []
        for values, overlay in self.grid():
            for items in self.frame_items(values, overlay):
                for it in items:
                    if id(it) in seen:
                        continue
                    seen.add(id(it))
                    alive.append(it)  # ids stay unique while the items live
                    arrays += [(v, t) for v, t, _enc in it.arrays()]
        if all(t is None for _, t in arrays):
            return None
        vals, tols = [], []
        for v, t in arrays:
            v = np.asarray(v, float).ravel()
            if t is None:   # exact to float noise
                t = 1e-6 * np.abs(np.nan_to_num(v, posinf=0, neginf=0)) + 1e-9
            t = np.asarray(t, float).ravel()
            vals += [_rounded(x, e) for x, e in zip(v, t, strict=True)]
            tols += [float(f"{e * 1.001:.3g}") if math.isfinite(e) and math.isfinite(x) else 0.0
                     for x, e in zip(v, t, strict=True)]    # no tolerance for a value that is NaN
        return {"values": vals, "tols": tols}

    # --- display --------------------------------------------------------------------------
    def to_html(self) -> str:
        from .page import static_html

        return static_html(self)

    def widget(self):
        """The live widget (built once): the same drawing, fed by this kernel."""
        if self._widget is None:
            from .widget import ExplorerWidget

            self._widget = ExplorerWidget(self)
        return self._widget

    def __repr__(self):
        sl = ", ".join(f"{s.name}={s.fmt(self.values[s.name]) if isinstance(s, Slider) else self.values[s.name]}"
                       for s in self.sliders)
        return f"<Explorer {self.title!r}: {sl}>"

    def _repr_mimebundle_(self, include=None, exclude=None):
        from ..report import MIME

        bundle = {"text/plain": repr(self), "text/html": self.to_html()}
        record = self.measured_record()
        if record is not None:
            bundle[MIME] = record
        if _in_kernel():
            data = self.widget()._repr_mimebundle_()
            data = data[0] if isinstance(data, tuple) else data
            view = (data or {}).get("application/vnd.jupyter.widget-view+json")
            if view is not None:
                bundle["application/vnd.jupyter.widget-view+json"] = view
        return bundle


def _rounded(value: float, tol: float):
    """``value`` with as many decimals as its tolerance needs (1 % of it), for a compact
    record; ``None`` for a value that is not finite (JSON has no NaN)."""
    if not math.isfinite(value):
        return None
    if not tol > 0:
        return float(value)
    decimals = max(0, -math.floor(math.log10(tol / 100)))
    return float(f"{value:.{min(decimals, 17)}f}") if abs(value) < 1e15 else float(f"{value:.9g}")


def _in_kernel() -> bool:
    try:
        from IPython import get_ipython
    except ImportError:  # pragma: no cover
        return False
    ip = get_ipython()
    return ip is not None and getattr(ip, "kernel", None) is not None
