"""The explorer's model: controls, the compute function, its memo, and fitted axes.

An :class:`Explorer` holds its controls (:mod:`.controls`), calls ``compute(**values)``
for a state and remembers the answer, and fits the axes to the data of every state.
It draws nothing: :mod:`.frames` turns its states into what ``explorer.js`` draws, in
the static page (:mod:`.page`) and in the live widget (:mod:`.widget`) alike.
"""

from __future__ import annotations

import copy
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field, replace

from ..style import SERIES_COLORS
from .controls import Choice, Controls, Slider
from .views import ITEM_TYPES, Lines, Series, View

__all__ = ["Slider", "Choice", "Explorer", "MAX_BYTES"]

#: Default budget for the static data of one explorer in a page; an explorer may set its
#: own (``max_bytes``), and a page's explorers together stay within 1.5 MB.
MAX_BYTES = 300_000


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

    def __post_init__(self):
        self.state = Controls(self.sliders, list(self.overlays), self.overlay_label)
        self.sliders = self.state.sliders
        if self.views is None:
            self.views = [Lines(xlabel=self.xlabel, ylabel=self.ylabel, xlim=self.xlim, ylim=self.ylim,
                                yscale=self.yscale, alt=self.description)]
        self.views = [copy.copy(v) for v in self.views]
        self._memo = _Memo(self)
        self._widget = None
        self._fitted = False

    # --- controls (:class:`~.controls.Controls`) ----------------------------------------
    @property
    def values(self) -> dict:
        """The current value of each control passed to ``compute``, by name."""
        return self.state.values

    @property
    def overlay(self) -> str | None:
        """The overlay shown (the "compare with" choice)."""
        return self.state.overlay

    @property
    def controls(self) -> list[Slider | Choice]:
        """Every control, the "compare with" choice last."""
        return self.state.all

    def set(self, **values) -> None:
        """Change control values (the live widget follows)."""
        self.state.set(**values)
        if self._widget is not None:
            self._widget.sync()

    def grid(self):
        """Every state as ``(values, overlay)``, in the page's order."""
        return self.state.grid()

    # --- compute, memoised (:class:`_Memo`) -------------------------------------------
    def items(self, **values) -> list[list]:
        """Every view's items at the given control values (the current ones by default),
        without the overlay; memoised."""
        return self._memo.items({**self.values, **values})

    def frame_items(self, values=None, overlay=None) -> list[list]:
        """What a state shows: every view's items, the overlay's curves on the first view."""
        views = self.items(**(values or {}))
        return [views[0] + self._memo.overlay(self.overlay if overlay is None else overlay)] + views[1:]

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

    # --- display: the static page (:mod:`.page`) and the live widget (:mod:`.widget`) ---
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
        return f"<Explorer {self.title!r}: {self.state}>"

    def _repr_mimebundle_(self, include=None, exclude=None):
        from .page import mimebundle

        return mimebundle(self)


class _Memo:
    """``compute``'s answers, one per state: each view's items checked against the view,
    and each Series without a colour given the next series colour, once, so that an item
    that ``compute`` shares between states stays one object (recorded once, packed once).
    The overlays' curves take the colours after the computed ones."""

    def __init__(self, explorer: Explorer):
        self._ex = explorer
        self.answers: dict[tuple, list[list]] = {}
        self._colored: dict[tuple[int, int], tuple] = {}
        self._overlays: dict[str | None, list[Series]] = {}

    def clear(self) -> None:
        """Forget the answers (``bench/bench_explorer_latency.py`` times real recomputation)."""
        self.answers.clear()

    def items(self, values: dict) -> list[list]:
        key = tuple(values[s.name] for s in self._ex.sliders)
        if key not in self.answers:
            self.answers[key] = self._normalise(self._ex.compute(**values))
        return self.answers[key]

    def _normalise(self, out) -> list[list]:
        views = self._ex.views
        if len(views) == 1 and (not out or isinstance(out[0], ITEM_TYPES)):
            out = [out]
        if len(out) != len(views):
            raise ValueError(f"compute() returned {len(out)} lists of items for {len(views)} views")
        result = []
        for view, items in zip(views, out, strict=True):
            items = list(items)
            view.check(items)
            result.append([self._color(it, i) for i, it in enumerate(items)])
        return result

    def _color(self, it, i: int):
        if not isinstance(it, Series) or it.color is not None:
            return it
        key = (id(it), i)
        if key not in self._colored:  # the original is kept so that its id is not reused
            self._colored[key] = (it, replace(it, color=SERIES_COLORS[i % len(SERIES_COLORS)]))
        return self._colored[key][1]

    def overlay(self, choice) -> list[Series]:
        if choice not in self._overlays:
            n = len(self.items({s.name: s.default for s in self._ex.sliders})[0])
            self._overlays[choice] = [
                replace(s, color=s.color or SERIES_COLORS[(n + j) % len(SERIES_COLORS)])
                for j, s in enumerate(self._ex.overlays.get(choice, []) if choice else [])]
        return self._overlays[choice]
