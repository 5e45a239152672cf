"""One figure style for the book: sizes for the content column, readable text, one colour
per activation.

The numbers it is built on:

* the book's content column is 688 px wide in a 1280 px window; figures are drawn
  :data:`FIGURE_WIDTH` = 6.5 in wide at :data:`DPI` = 100, i.e. 650 px, so the page
  shows them at their natural size (scale 1);
* the smallest text the style sets is 10 pt, i.e. 13.9 px in the PNG and in the page
  at 1280 px (the goal is at least 10 px); the book's browser test fails for any
  figure text under 9 px as displayed;
* every activation has one colour, its registry record's ``color`` field; every colour
  has a contrast of at least 3:1 (WCAG 1.4.11, graphical objects) both on white and on
  the book's dark page (#14181e), so it reads in light and dark mode;
* legends go beside or below the axes (:func:`legend_outside`), never over the data.

Use it in a notebook with one call at the top::

    from actlib.teaching.style import use_book_style
    use_book_style()

which sets matplotlib's rcParams and, in a Jupyter kernel, writes the size of the
smallest text of each figure into its PNG (the ``actlib:min-text-px`` text chunk), so
that the browser test can compute the size as displayed. ``actlib.teaching.plotting``
draws with this style whether or not ``use_book_style`` was called.
"""

from __future__ import annotations

import contextlib
import itertools
import math

__all__ = ["BOOK_RC", "DPI", "FIGURE_WIDTH", "MIN_FONT_PT", "PNG_TEXT_KEY",
           "activation_color", "book_style", "figure_size", "legend_outside", "min_text_px",
           "series_colors", "use_book_style"]

#: Resolution of the book's figures (pixels per inch).
DPI = 100
#: Width of a full-column figure in inches (650 px at :data:`DPI`; the column is 688 px).
FIGURE_WIDTH = 6.5
#: The smallest font size the style uses, in points (13.9 px at :data:`DPI`).
MIN_FONT_PT = 10.0
#: The PNG text chunk that records a figure's smallest text, in PNG pixels.
PNG_TEXT_KEY = "actlib:min-text-px"

#: Colours for series that are not activations (seeds, layers, learning rates), in order.
SERIES_COLORS = ("#1d7cce", "#d65c0b", "#248e35", "#df2039", "#7557ce", "#906919", "#0f8b7b",
                 "#ba2e86", "#7b7b7b", "#89850f")

BOOK_RC = {
    "figure.figsize": (FIGURE_WIDTH, 3.6),
    "figure.dpi": DPI,
    "savefig.dpi": "figure",
    "figure.facecolor": "white",
    "savefig.facecolor": "white",
    "axes.facecolor": "white",
    "figure.constrained_layout.use": True,
    "font.size": 11.0,
    "axes.titlesize": 12.0,
    "axes.labelsize": 11.0,
    "xtick.labelsize": MIN_FONT_PT,
    "ytick.labelsize": MIN_FONT_PT,
    "legend.fontsize": MIN_FONT_PT,
    "legend.title_fontsize": MIN_FONT_PT,
    "figure.titlesize": 12.0,
    "figure.labelsize": 11.0,
    "legend.frameon": False,
    "axes.edgecolor": "#444444",
    "axes.labelcolor": "#222222",
    "xtick.color": "#333333",
    "ytick.color": "#333333",
    "text.color": "#222222",
    "axes.spines.top": False,
    "axes.spines.right": False,
    "axes.grid": True,
    "grid.color": "#b0b0b0",
    "grid.alpha": 0.35,
    "grid.linewidth": 0.6,
    "lines.linewidth": 2.0,
    "lines.markersize": 6.0,
    "axes.prop_cycle": None,  # set below from SERIES_COLORS
    "image.cmap": "viridis",
}


def _cycler():
    from cycler import cycler

    return cycler(color=list(SERIES_COLORS))


def _rc() -> dict:
    rc = dict(BOOK_RC)
    rc["axes.prop_cycle"] = _cycler()
    return rc


def activation_color(act) -> str:
    """The book's colour for an activation: its registry record's ``color`` (one colour per
    activation across the book). Accepts a name, an alias or a record."""
    from ..registry import Activation, get

    rec = act if isinstance(act, Activation) else get(act)
    return rec.color


def series_colors(n: int) -> list[str]:
    """``n`` colours for series that are not activations (repeating after ten)."""
    return list(itertools.islice(itertools.cycle(SERIES_COLORS), n))


def figure_size(width: float = 1.0, aspect: float = 0.55, height: float | None = None) -> tuple[float, float]:
    """Figure size in inches: ``width`` as a fraction of the content column (at most 1, so
    the page never scales the figure, and its text, down at 1280 px); the height is
    ``height`` inches or ``aspect`` × the width."""
    if not 0 < width <= 1:
        raise ValueError(f"width is a fraction of the column, in (0, 1]; got {width}")
    w = FIGURE_WIDTH * width
    return (w, height if height is not None else round(w * aspect, 3))


def legend_outside(ax_or_fig, where: str = "right", **kwargs):
    """A legend beside (``where="right"``) or below (``"below"``) the axes, off the data.

    Works for an Axes or (for one legend shared by several axes) a Figure. Extra keyword
    arguments go to ``legend``.
    """
    from matplotlib.figure import Figure

    if where == "right":
        kw = dict(loc="upper left", bbox_to_anchor=(1.01, 1.0), borderaxespad=0.0)
    elif where == "below":
        kw = dict(loc="upper center", bbox_to_anchor=(0.5, -0.16), borderaxespad=0.0)
    else:
        raise ValueError(f"where must be 'right' or 'below', got {where!r}")
    if isinstance(ax_or_fig, Figure):
        kw = dict(loc="outside lower center" if where == "below" else "outside right upper")
    kw.update(kwargs)
    return ax_or_fig.legend(**kw)


@contextlib.contextmanager
def book_style():
    """A context in which matplotlib draws with the book's rcParams."""
    import matplotlib

    with matplotlib.rc_context(_rc()):
        yield


def min_text_px(fig, renderer=None) -> float | None:
    """The size in pixels of the smallest text drawn in ``fig`` (None if it has none).

    Counts every visible, non-empty :class:`~matplotlib.text.Text` (titles, labels, tick
    labels, legends, annotations) that lies at least partly inside the figure.
    """
    from matplotlib.text import Text

    if renderer is None:
        renderer = fig.canvas.get_renderer()
    width, height = fig.bbox.width, fig.bbox.height
    sizes = []
    for t in fig.findobj(lambda a: isinstance(a, Text)):
        if not t.get_visible() or not t.get_text().strip():
            continue
        if t.axes is not None and not t.axes.get_visible():
            continue
        try:
            box = t.get_window_extent(renderer)
        except (RuntimeError, ValueError):
            continue
        if box.x1 < 0 or box.y1 < 0 or box.x0 > width or box.y0 > height or not math.isfinite(box.x0):
            continue
        sizes.append(t.get_fontsize() * renderer.dpi / 72.0)
    return min(sizes) if sizes else None


# The metadata dict handed to the inline backend's PNG writer. A figure's draw (which
# comes just before the PNG is written) puts its smallest text size here.
_PNG_METADATA: dict[str, str] = {}


def _record_text_size(event) -> None:
    px = min_text_px(event.canvas.figure, event.renderer)
    if px is None:
        _PNG_METADATA.pop(PNG_TEXT_KEY, None)
    else:
        _PNG_METADATA[PNG_TEXT_KEY] = f"{px:.2f}"


def _watch_figure(fig) -> None:
    """matplotlib ``figure.hooks`` entry: record each pyplot figure's smallest text."""
    fig.canvas.mpl_connect("draw_event", _record_text_size)


def use_book_style() -> None:
    """Draw every later figure in the book's style (rcParams), and in a Jupyter kernel
    write each figure's smallest text size into its PNG."""
    import matplotlib
    import matplotlib.pyplot as plt  # noqa: F401  (activates the inline backend first)

    matplotlib.rcParams.update(_rc())
    hook = f"{__name__}:_watch_figure"
    if hook not in matplotlib.rcParams["figure.hooks"]:
        matplotlib.rcParams["figure.hooks"] = [*matplotlib.rcParams["figure.hooks"], hook]
    try:
        from IPython import get_ipython
    except ImportError:  # pragma: no cover
        return
    if getattr(get_ipython(), "kernel", None) is None:
        return
    from matplotlib_inline.backend_inline import set_matplotlib_formats
    from matplotlib_inline.config import InlineBackend

    InlineBackend.instance().print_figure_kwargs.update(metadata=_PNG_METADATA, bbox_inches="tight")
    set_matplotlib_formats("png")
