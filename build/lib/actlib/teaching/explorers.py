r"""Interactive explorers that work in JupyterLab *and* in the static HTML book.

One call in a notebook cell shows an explorer::

    from actlib.teaching.explorers import explore
    explore("elu")                      # a slider for alpha, ELU and its derivative
    explore("swish", compare="relu")    # with a "compare with" curve

The displayed object offers two renderings of the same plot
(``_repr_mimebundle_``):

* ``application/vnd.jupyter.widget-view+json``: live ipywidgets controls. On
  every change the curves are recomputed with actlib and the SVG is redrawn
  in place (same axes, new curve data).
* ``text/html``: a self-contained SVG with ``<input type="range">`` controls
  and a few lines of JavaScript. The curves are precomputed by actlib over
  each slider's grid when the notebook runs, and stored in the page as
  float32 data; moving a slider swaps curves. Nothing is fetched from the
  network, and without JavaScript the SVG shows the default state.

JupyterLab picks the widget when a kernel is live; the book (``_config.yml``
drops the widget MIME type for HTML) and static viewers show the HTML.

Experiment explorers use the same class: give :class:`Explorer` a
``compute(**values)`` function returning a list of :class:`Series`.
"""

from __future__ import annotations

import base64
import hashlib
import html
import itertools
import json
import math
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field

import numpy as np

from ..registry import Activation, get

__all__ = ["Series", "Slider", "Explorer", "explore", "activation_explorer", "MAX_BYTES"]

#: Budget for the static data of one explorer in a page (issue: ≤ 300 KB).
MAX_BYTES = 300_000
PALETTE = ("#1f77b4", "#d62728", "#2ca02c", "#9467bd", "#8c564b", "#e377c2")
_WIDTH, _HEIGHT = 560, 330
_MARGIN = dict(left=56, right=16, top=28, bottom=42)
_CTL_STYLE = "display:inline-block;margin:0 1.5em 0.4em 0;font:14px sans-serif;white-space:nowrap"


@dataclass(frozen=True)
class Series:
    """One curve: ``y`` against ``x``, drawn ``style`` (solid, dashed, dotted, markers)."""

    label: str
    x: np.ndarray
    y: np.ndarray
    style: str = "solid"
    color: str | None = None


@dataclass(frozen=True)
class Slider:
    """A control over a grid of values; ``default`` must be one of them."""

    name: str
    values: tuple[float, ...]
    default: float
    label: str = ""
    integer: bool = False

    @classmethod
    def range(cls, name, start, stop, step, default, label="", integer=False):
        n = int(round((stop - start) / step)) + 1
        values = tuple(float(round(start + i * step, 10)) for i in range(n))
        return cls(name, values, float(default), label or name, integer)

    def __post_init__(self):
        if len(self.values) < 2:
            raise ValueError(f"slider {self.name}: needs at least two values")
        near = [v for v in self.values if abs(v - self.default) <= 1e-9 * max(1.0, abs(v))]
        if not near:
            raise ValueError(f"slider {self.name}: default {self.default} is not on the grid")
        object.__setattr__(self, "default", near[0])  # snap rounding noise to the grid value

    @property
    def step(self) -> float:
        return self.values[1] - self.values[0]

    def index(self, value: float) -> int:
        return int(np.argmin(np.abs(np.asarray(self.values) - value)))

    def fmt(self, v: float) -> str:
        """The value as the page shows it: 4 significant digits (JavaScript: toPrecision(4))."""
        if self.integer:
            return f"{int(round(v))}"
        return f"{v:.4g}"


@dataclass
class Explorer:
    """A plot whose curves depend on sliders (and optionally a 'compare with' choice).

    Args:
        compute: ``compute(**slider_values) -> list[Series]``.
        sliders: the controls.
        title, xlabel, ylabel: plot text.
        xlim, ylim: axis limits; ``ylim=None`` takes the range of all precomputed curves.
        yscale: ``"linear"`` or ``"log"``.
        overlays: choice label -> list of Series drawn on top, independent of the sliders
            (the "compare with" selector); the first key is the default.
        description: alt text for the plot (what it shows, for screen readers and print).
    """

    compute: Callable[..., list[Series]]
    sliders: Sequence[Slider]
    title: str = ""
    xlabel: str = "x"
    ylabel: str = ""
    xlim: tuple[float, float] | None = None
    ylim: tuple[float, float] | None = None
    yscale: str = "linear"
    overlays: dict[str, list[Series]] = field(default_factory=dict)
    overlay_label: str = "compare with"
    description: str = ""
    #: For activation explorers: the registry name and the parameters held fixed, so a
    #: test (or a reader's script) can recompute what the page shows with actlib.
    activation: str | None = None
    fixed_params: dict = field(default_factory=dict)
    _cache: dict = field(default_factory=dict, repr=False)

    # --- state -------------------------------------------------------------------------
    def __post_init__(self):
        self.values = {s.name: s.default for s in self.sliders}
        self.overlay = next(iter(self.overlays), None)
        self._widget = None
        if self.yscale not in ("linear", "log"):
            raise ValueError(f"yscale must be 'linear' or 'log', got {self.yscale!r}")

    def series(self, **values) -> list[Series]:
        """The curves at the given slider values (the current ones by default), memoised."""
        vals = {**self.values, **values}
        key = tuple(vals[s.name] for s in self.sliders)
        if key not in self._cache:
            out = self.compute(**vals)
            self._cache[key] = [
                Series(s.label, np.asarray(s.x, float), np.asarray(s.y, float), s.style,
                       s.color or PALETTE[i % len(PALETTE)]) for i, s in enumerate(out)]
        return self._cache[key]

    def set(self, **values) -> None:
        """Change slider values (live widget included) and redraw."""
        for name, v in values.items():
            if name == self.overlay_label or name == "overlay":
                if v not in self.overlays:
                    raise ValueError(f"unknown {self.overlay_label} choice {v!r}; "
                                     f"choices: {list(self.overlays)}")
                self.overlay = v
            elif name in self.values:
                self.values[name] = float(v)
            else:
                raise ValueError(f"no slider called {name!r}; sliders: {list(self.values)}")
        if self._widget is not None:
            self._sync_widget()

    def current(self) -> list[Series]:
        """What is drawn now: the slider-dependent curves plus the selected overlay."""
        return self.series() + list(self.overlays.get(self.overlay, []) if self.overlay else [])

    # --- geometry ----------------------------------------------------------------------
    def _grid(self):
        return list(itertools.product(*(s.values for s in self.sliders)))

    def _limits(self):
        if self.xlim is not None and self.ylim is not None:
            return self.xlim, self.ylim
        xs, ys = [], []
        for combo in self._grid():
            for s in self.series(**dict(zip([sl.name for sl in self.sliders], combo, strict=True))):
                xs.append(s.x)
                ys.append(s.y)
        for ov in self.overlays.values():
            for s in ov:
                ys.append(s.y)
        xall = np.concatenate(xs)
        yall = np.concatenate(ys)
        yall = yall[np.isfinite(yall)]
        if self.yscale == "log":
            yall = yall[yall > 0]
        xlim = self.xlim or (float(xall.min()), float(xall.max()))
        if self.ylim is not None:
            return xlim, self.ylim
        lo, hi = float(yall.min()), float(yall.max())
        if self.yscale == "log":
            return xlim, (lo / 1.5, hi * 1.5)
        pad = 0.06 * (hi - lo or 1.0)
        return xlim, (lo - pad, hi + pad)

    # --- SVG ---------------------------------------------------------------------------
    def svg(self, series=None, uid="actlib-explorer") -> str:
        """The plot as SVG markup (deterministic text)."""
        series = self.current() if series is None else series
        (x0, x1), (y0, y1) = self._geometry()
        m = _MARGIN
        pw, ph = _WIDTH - m["left"] - m["right"], _HEIGHT - m["top"] - m["bottom"]
        parts = [
            f'<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 {_WIDTH} {_HEIGHT}" '
            f'width="100%" style="max-width:{_WIDTH}px;font-family:sans-serif" role="img" '
            f'aria-labelledby="{uid}-t {uid}-d">',
            f'<title id="{uid}-t">{html.escape(self.title)}</title>',
            f'<desc id="{uid}-d">{html.escape(self.description)}</desc>',
            f'<defs><clipPath id="{uid}-clip"><rect x="{m["left"]}" y="{m["top"]}" width="{pw}" '
            f'height="{ph}"/></clipPath></defs>',
            f'<rect x="{m["left"]}" y="{m["top"]}" width="{pw}" height="{ph}" fill="#fff" stroke="#999"/>',
        ]
        parts += self._axes_svg((x0, x1), (y0, y1))
        parts.append(f'<g clip-path="url(#{uid}-clip)" fill="none" stroke-width="2">')
        for i, s in enumerate(series):
            parts.append(f'<path data-series="{i}" d="{self._path(s.x, s.y, s.style)}" '
                         f'stroke="{s.color}"{_dash(s.style)}/>')
        parts.append("</g>")
        parts.append(self._legend_svg(series))
        parts.append(f'<text x="{_WIDTH / 2:.0f}" y="16" text-anchor="middle" font-size="14" '
                     f'fill="#222">{html.escape(self.title)}</text>')
        parts.append("</svg>")
        return "".join(parts)

    def _geometry(self):
        if not hasattr(self, "_geom"):
            self._geom = self._limits()
        return self._geom

    def _to_px(self, x, y):
        (x0, x1), (y0, y1) = self._geometry()
        m = _MARGIN
        pw, ph = _WIDTH - m["left"] - m["right"], _HEIGHT - m["top"] - m["bottom"]
        px = m["left"] + (np.asarray(x) - x0) / (x1 - x0) * pw
        with np.errstate(divide="ignore", invalid="ignore"):
            yy = np.log10(y) if self.yscale == "log" else np.asarray(y)
        ly0, ly1 = (math.log10(y0), math.log10(y1)) if self.yscale == "log" else (y0, y1)
        py = m["top"] + (ly1 - yy) / (ly1 - ly0) * ph
        return px, np.clip(py, -1e4, 1e4)

    def _path(self, x, y, style="solid") -> str:
        px, py = self._to_px(x, y)
        base = _HEIGHT - _MARGIN["bottom"]
        out, pen = [], "M"
        for a, b in zip(px, py, strict=True):
            if not (np.isfinite(a) and np.isfinite(b)):
                pen = "M"
                continue
            if style == "bars":
                out.append(f"M{a:.1f} {base:.1f}L{a:.1f} {b:.1f}")
                continue
            out.append(f"{pen}{a:.1f} {b:.1f}")
            pen = "L"
        return "".join(out)

    def _axes_svg(self, xlim, ylim):
        out = ['<g font-size="11" fill="#222">']
        m = _MARGIN
        for t in _ticks(*xlim):
            px, _ = self._to_px([t], [ylim[0] if self.yscale == "linear" else ylim[0]])
            out.append(f'<line x1="{px[0]:.1f}" x2="{px[0]:.1f}" y1="{m["top"]}" '
                       f'y2="{_HEIGHT - m["bottom"]}" stroke="#e5e5e5"/>')
            out.append(f'<text x="{px[0]:.1f}" y="{_HEIGHT - m["bottom"] + 15}" '
                       f'text-anchor="middle">{_num(t)}</text>')
        yt = _log_ticks(*ylim) if self.yscale == "log" else _ticks(*ylim)
        for t in yt:
            _, py = self._to_px([xlim[0]], [t])
            out.append(f'<line x1="{m["left"]}" x2="{_WIDTH - m["right"]}" y1="{py[0]:.1f}" '
                       f'y2="{py[0]:.1f}" stroke="#e5e5e5"/>')
            label = f"1e{int(round(math.log10(t)))}" if self.yscale == "log" else _num(t)
            out.append(f'<text x="{m["left"] - 6}" y="{py[0] + 4:.1f}" text-anchor="end">{label}</text>')
        if self.yscale == "linear" and ylim[0] < 0 < ylim[1]:
            _, py = self._to_px([0], [0])
            out.append(f'<line x1="{m["left"]}" x2="{_WIDTH - m["right"]}" y1="{py[0]:.1f}" '
                       f'y2="{py[0]:.1f}" stroke="#888"/>')
        if xlim[0] < 0 < xlim[1]:
            px, _ = self._to_px([0], [1])
            out.append(f'<line x1="{px[0]:.1f}" x2="{px[0]:.1f}" y1="{m["top"]}" '
                       f'y2="{_HEIGHT - m["bottom"]}" stroke="#888"/>')
        out.append(f'<text x="{m["left"] + (_WIDTH - m["left"] - m["right"]) / 2:.0f}" '
                   f'y="{_HEIGHT - 6}" text-anchor="middle" font-size="12">{html.escape(self.xlabel)}</text>')
        out.append(f'<text transform="rotate(-90)" x="{-(m["top"] + (_HEIGHT - m["top"] - m["bottom"]) / 2):.0f}" '
                   f'y="14" text-anchor="middle" font-size="12">{html.escape(self.ylabel)}</text>')
        out.append("</g>")
        return out

    def _legend_svg(self, series):
        m = _MARGIN
        out = ['<g font-size="11" fill="#222" class="legend">']
        for i, s in enumerate(series):
            y = m["top"] + 14 + 15 * i
            x = m["left"] + 10
            out.append(f'<line x1="{x}" x2="{x + 22}" y1="{y - 4}" y2="{y - 4}" stroke="{s.color}" '
                       f'stroke-width="2"{_dash(s.style)} data-legend="{i}"/>')
            out.append(f'<text x="{x + 28}" y="{y}" data-legend-text="{i}">{html.escape(s.label)}</text>')
        out.append("</g>")
        return "".join(out)

    # --- static HTML -------------------------------------------------------------------
    def static_data(self) -> dict:
        """Everything the page's JavaScript needs: grids, curve data as float32 base64."""
        (x0, x1), (y0, y1) = self._geometry()
        combos = self._grid()
        names = [s.name for s in self.sliders]
        first = self.series(**dict(zip(names, combos[0], strict=True)))
        ys = []
        for combo in combos:
            cur = self.series(**dict(zip(names, combo, strict=True)))
            if len(cur) != len(first):
                raise ValueError("compute() must return the same number of series for every setting")
            for a, b in zip(cur, first, strict=True):
                if a.x.shape != b.x.shape or not np.array_equal(a.x, b.x, equal_nan=True):
                    raise ValueError(
                        f"series {a.label!r}: compute() must return the same x for every setting "
                        "(the page stores x once); use a fixed x and NaN where a curve is absent")
            ys.extend(s.y for s in cur)
        overlays = {k: [dict(label=s.label, color=s.color or PALETTE[(len(first) + j) % len(PALETTE)],
                             style=s.style, x=_b64(s.x), y=_b64(s.y)) for j, s in enumerate(v)]
                    for k, v in self.overlays.items()}
        return dict(
            sliders=[dict(name=s.name, label=s.label or s.name, values=list(s.values),
                          default=s.index(s.default), integer=s.integer)
                     for s in self.sliders],
            series=[dict(label=s.label, color=s.color, style=s.style, x=_b64(s.x), n=len(s.x))
                    for s in first],
            grid=_b64(np.concatenate(ys)),
            overlays=overlays, overlay_label=self.overlay_label,
            overlay_default=self.overlay, activation=self.activation, fixed_params=self.fixed_params,
            geometry=dict(width=_WIDTH, height=_HEIGHT, margin=_MARGIN, xlim=[x0, x1], ylim=[y0, y1],
                          log=self.yscale == "log"),
        )

    def to_html(self) -> str:
        data = self.static_data()
        payload = json.dumps(data, separators=(",", ":"), sort_keys=True)
        uid = "actlib-x" + hashlib.sha1(payload.encode()).hexdigest()[:10]
        svg = self.svg(series=self._default_series(), uid=uid)
        controls = []
        for i, s in enumerate(data["sliders"]):
            sl = self.sliders[i]
            lo, hi = sl.values[0], sl.values[-1]
            controls.append(
                f'<label class="actlib-ctl" style="{_CTL_STYLE}">{html.escape(s["label"])} '
                f'<input type="range" id="{uid}-s{i}" data-slider="{i}" min="0" '
                f'max="{len(sl.values) - 1}" step="1" value="{s["default"]}" '
                f'aria-valuetext="{html.escape(s["label"])} = {sl.fmt(sl.default)}" '
                f'title="{html.escape(s["label"])}: {sl.fmt(lo)} to {sl.fmt(hi)}"> '
                f'<output for="{uid}-s{i}" data-output="{i}">{sl.fmt(sl.default)}</output></label>')
        if self.overlays:
            opts = "".join(f'<option value="{html.escape(k)}"{" selected" if k == self.overlay else ""}>'
                           f"{html.escape(k)}</option>" for k in self.overlays)
            controls.append(f'<label class="actlib-ctl" style="{_CTL_STYLE}">{html.escape(self.overlay_label)} '
                            f'<select data-overlay="1">{opts}</select></label>')
        html_out = (
            f'<div class="actlib-explorer" id="{uid}" data-explorer="{html.escape(self.title)}"'
            + (f' data-activation="{self.activation}"' if self.activation else "") + ">"
            f'<div class="actlib-controls" hidden>{"".join(controls)}</div>'
            f"{svg}"
            f'<script type="application/json" class="actlib-data">{_script_safe(payload)}</script>'
            f"<script>{_JS}</script></div>"
        )
        if len(html_out.encode()) > MAX_BYTES:
            raise ValueError(f"explorer {self.title!r} is {len(html_out.encode())} bytes; the budget is "
                             f"{MAX_BYTES}: use coarser slider grids or fewer points")
        return html_out

    def _default_series(self):
        base = self.series(**{s.name: s.default for s in self.sliders})
        return base + list(self.overlays.get(self.overlay, []) if self.overlay else [])

    # --- live widget -------------------------------------------------------------------
    def widget(self):
        """The ipywidgets version (built once): sliders, selector and the SVG in an HTML widget."""
        if self._widget is not None:
            return self._widget
        import ipywidgets as W

        controls = {}
        for s in self.sliders:
            cls = W.IntSlider if s.integer else W.FloatSlider
            kw = dict(value=int(s.default) if s.integer else s.default, min=s.values[0],
                      max=s.values[-1], step=s.step, description=s.label or s.name,
                      continuous_update=True, style={"description_width": "initial"})
            if not s.integer:
                kw["readout_format"] = ".4g"
            controls[s.name] = cls(**kw)
        if self.overlays:
            controls[self.overlay_label] = W.Dropdown(options=list(self.overlays), value=self.overlay,
                                                      description=self.overlay_label)
        plot = W.HTML(value=self.svg())

        def on_change(change):
            owner = change["owner"]
            for name, c in controls.items():
                if c is owner:
                    if name == self.overlay_label:
                        self.overlay = change["new"]
                    else:
                        self.values[name] = float(change["new"])
            plot.value = self.svg()

        for c in controls.values():
            c.observe(on_change, names="value")
        box = W.VBox([W.HBox(list(controls.values())), plot])
        box.controls, box.plot = controls, plot
        self._widget = box
        return box

    def _sync_widget(self):
        w = self._widget
        for name, c in w.controls.items():
            target = self.overlay if name == self.overlay_label else self.values[name]
            if c.value != target:
                c.value = target  # fires on_change, which redraws
        w.plot.value = self.svg()

    # --- display -----------------------------------------------------------------------
    def __repr__(self):
        sl = ", ".join(f"{s.name}={s.fmt(self.values[s.name])}" for s in self.sliders)
        return f"<Explorer {self.title!r}: {sl}>"

    def _repr_mimebundle_(self, include=None, exclude=None):
        bundle = {"text/plain": repr(self), "text/html": self.to_html()}
        if _in_kernel():
            wbundle = self.widget()._repr_mimebundle_()
            if wbundle and "application/vnd.jupyter.widget-view+json" in wbundle:
                bundle["application/vnd.jupyter.widget-view+json"] = wbundle[
                    "application/vnd.jupyter.widget-view+json"]
        return bundle


def _in_kernel() -> bool:
    try:
        from IPython import get_ipython
    except ImportError:  # pragma: no cover
        return False
    ip = get_ipython()
    return ip is not None and getattr(ip, "kernel", None) is not None


def _b64(a) -> str:
    return base64.b64encode(np.asarray(a, dtype="<f4").tobytes()).decode("ascii")


def _script_safe(s: str) -> str:
    return s.replace("</", "<\\/")


def _dash(style: str) -> str:
    return {"dashed": ' stroke-dasharray="7 4"', "dotted": ' stroke-dasharray="2 3"',
            "bars": ' stroke-width="14"'}.get(style, "")


def _num(t: float) -> str:
    s = f"{t:.6g}"
    return s.replace("-", "−")


def _ticks(lo: float, hi: float, n: int = 6) -> list[float]:
    span = hi - lo
    raw = span / n
    mag = 10 ** math.floor(math.log10(raw))
    step = min((m * mag for m in (1, 2, 2.5, 5, 10) if m * mag >= raw), default=10 * mag)
    start = math.ceil(lo / step) * step
    out, t = [], start
    while t <= hi + 1e-9 * span:
        out.append(round(t, 10) + 0.0)
        t += step
    return out


def _log_ticks(lo: float, hi: float) -> list[float]:
    a, b = math.ceil(math.log10(lo)), math.floor(math.log10(hi))
    stride = max(1, (b - a) // 6 + 1)
    return [10.0**k for k in range(a, b + 1, stride)]


# ----------------------------------------------------------------------------------------
# Activation explorers
# ----------------------------------------------------------------------------------------

def _slider_grid(rec: Activation, max_values: int) -> list[Slider]:
    sliders = []
    for p in rec.params:
        if p.slider is None:
            continue
        start, stop, step = p.slider
        n = int(math.floor((stop - start) / step + 1e-9)) + 1
        while n > max_values:
            step *= 2
            n = int(math.floor((stop - start) / step + 1e-9)) + 1  # never beyond stop
        s = Slider.range(p.name, start, start + (n - 1) * step, step, start, label=p.symbol or p.name,
                         integer=p.integer)
        default = s.values[s.index(p.default)]
        sliders.append(Slider(p.name, s.values, default, _plain_symbol(p), p.integer))
    return sliders


def _plain_symbol(p) -> str:
    sym = {r"\alpha": "α", r"\beta": "β", r"\theta": "θ"}.get(p.symbol, p.symbol)
    return f"{p.name} ({sym})" if sym and sym != p.name else p.name


def activation_explorer(name, *, compare=None, x=(-5.0, 5.0), num=161, derivative=True,
                        max_values=None) -> Explorer:
    """An explorer for one registry activation: a slider per parameter, f and f′ together.

    Args:
        name: registry name or alias (elementwise or softmax).
        compare: a name or list of names for the "compare with" selector (default: a few
            classic activations); ``"none"`` is always the first choice.
        x: the x range; num: points per curve.
        derivative: also draw the derivative (dashed).
    """
    rec = get(name)
    if rec.name in ("softmax", "log_softmax"):
        return _softmax_explorer(rec)
    if not rec.elementwise:
        raise ValueError(f"no explorer for {rec.name} ({rec.kind}): it is not elementwise")
    xs = np.linspace(x[0], x[1], num)
    n_sliders = sum(p.slider is not None for p in rec.params)
    if max_values is None:
        max_values = 101 if n_sliders <= 1 else 9
    sliders = _slider_grid(rec, max_values)
    fixed = {p.name: p.default for p in rec.params if p.slider is None}

    def compute(**vals):
        params = {**fixed, **vals}
        out = [Series(f"{rec.name}(x)", xs, rec.fn(xs, **params), "solid", PALETTE[0])]
        if derivative:
            out.append(Series(f"{rec.name}′(x)", xs, rec.derivative(xs, **params), "dashed", PALETTE[0]))
        return out

    if compare is None:
        compare = [n for n in ("relu", "sigmoid", "tanh", "gelu", "leaky_relu", "elu", "silu")
                   if n != rec.name]
    elif isinstance(compare, str):
        compare = [compare]
    overlays = {"none": []}
    for c in compare:
        crec = get(c)
        overlays[crec.name] = [Series(f"{crec.name}(x)", xs, crec.fn(xs), "solid", PALETTE[1])] + (
            [Series(f"{crec.name}′(x)", xs, crec.derivative(xs), "dotted", PALETTE[1])]
            if derivative else [])
    if len(compare) == 1:
        overlay_default = get(compare[0]).name
    else:
        overlay_default = "none"
    params_text = ", ".join(f"{s.label} from {s.fmt(s.values[0])} to {s.fmt(s.values[-1])}"
                            for s in sliders) or "no parameters"
    ex = Explorer(
        compute, sliders, title=f"{rec.title}: f(x) solid, f′(x) dashed" if derivative else rec.title,
        xlabel="x", ylabel="f(x), f′(x)" if derivative else "f(x)", xlim=(x[0], x[1]),
        overlays=overlays,
        description=f"Plot of {rec.title} and its derivative for x from {x[0]:g} to {x[1]:g}; "
                    f"sliders: {params_text}.",
        activation=rec.name, fixed_params=fixed,
    )
    ex.overlay = overlay_default
    return ex


def _softmax_explorer(rec: Activation) -> Explorer:
    logits = np.array([2.0, 1.0, 0.1, -1.0])
    idx = np.arange(len(logits), dtype=float)
    p = rec.param("temperature")
    start, stop, step = p.slider
    sliders = [Slider.range("temperature", start, stop, step, p.default, label="temperature (T)")]

    def compute(temperature):
        return [Series(f"{rec.name}(z / T)", idx, rec.fn(logits, temperature=temperature), "bars",
                       PALETTE[0])]

    ylim = (0.0, 1.0) if rec.name == "softmax" else (-12.0, 0.0)
    return Explorer(compute, sliders, title=f"{rec.title} of logits z = [2, 1, 0.1, −1]",
                    activation=rec.name, fixed_params={"logits": logits.tolist()},
                    xlabel="class index", ylabel="probability" if rec.name == "softmax" else "log-probability",
                    xlim=(-0.5, 3.5), ylim=ylim,
                    description="Softmax of four fixed logits as the temperature changes: a low "
                                "temperature concentrates the probability on the largest logit.")


def explore(name, **kwargs) -> Explorer:
    """Shortcut for :func:`activation_explorer`: ``explore("elu")`` in a notebook cell."""
    return activation_explorer(name, **kwargs)


# The page-side code: swaps precomputed curves when a control moves. It reads the
# data from the explorer's own JSON block; it fetches nothing.
_JS = r"""
(function(){
var root=document.currentScript.parentElement;if(root.__actlib)return;
var D=JSON.parse(root.querySelector('script.actlib-data').textContent);
function f32(b){var s=atob(b),u=new Uint8Array(s.length);for(var i=0;i<s.length;i++)u[i]=s.charCodeAt(i);return new Float32Array(u.buffer);}
var G=D.geometry,M=G.margin,PW=G.width-M.left-M.right,PH=G.height-M.top-M.bottom;
var xs=D.series.map(function(s){return f32(s.x);}),grid=f32(D.grid),ov={};
for(var k in D.overlays)ov[k]=D.overlays[k].map(function(s){return {x:f32(s.x),y:f32(s.y),label:s.label};});
var sizes=D.sliders.map(function(s){return s.values.length;}),idx=D.sliders.map(function(s){return s.default;});
var choice=D.overlay_default;
function ly(v){return G.log?Math.log(v)/Math.LN10:v;}
function px(x){return M.left+(x-G.xlim[0])/(G.xlim[1]-G.xlim[0])*PW;}
function py(y){var a=ly(G.ylim[0]),b=ly(G.ylim[1]),p=M.top+(b-ly(y))/(b-a)*PH;return Math.max(-1e4,Math.min(1e4,p));}
function path(x,y,st){var d='',pen='M',B=(G.height-M.bottom).toFixed(1);for(var i=0;i<x.length;i++){var X=px(x[i]),Y=py(y[i]);if(!isFinite(X)||!isFinite(Y)){pen='M';continue;}
 if(st==='bars'){d+='M'+X.toFixed(1)+' '+B+'L'+X.toFixed(1)+' '+Y.toFixed(1);continue;}d+=pen+X.toFixed(1)+' '+Y.toFixed(1);pen='L';}return d;}
function offset(){var o=0;for(var i=0;i<idx.length;i++)o=o*sizes[i]+idx[i];return o;}
function current(){var out=[],o=offset()*D.series.reduce(function(a,s){return a+s.n;},0),p=o;
 D.series.forEach(function(s,i){out.push({x:xs[i],y:grid.subarray(p,p+s.n),label:s.label});p+=s.n;});
 (ov[choice]||[]).forEach(function(s){out.push(s);});return out;}
var svg=root.querySelector('svg'),g=svg.querySelector('g[clip-path]');
function draw(){var cur=current(),paths=g.querySelectorAll('path');
 var ns='http://www.w3.org/2000/svg',leg=svg.querySelector('g.legend');
 for(var i=0;i<cur.length;i++){var p=paths[i];if(!p){p=document.createElementNS(ns,'path');g.appendChild(p);}
  var meta=i<D.series.length?D.series[i]:D.overlays[choice][i-D.series.length];
  p.setAttribute('d',path(cur[i].x,cur[i].y,meta.style));p.setAttribute('stroke',meta.color);p.setAttribute('data-series',i);
  var dash={dashed:'7 4',dotted:'2 3'}[meta.style];if(dash)p.setAttribute('stroke-dasharray',dash);else p.removeAttribute('stroke-dasharray');
  if(meta.style==='bars')p.setAttribute('stroke-width','14');}
 for(var j=paths.length-1;j>=cur.length;j--)paths[j].remove();
 var items=[];for(var i=0;i<cur.length;i++){var meta=i<D.series.length?D.series[i]:D.overlays[choice][i-D.series.length];
  var y=M.top+14+15*i,x=M.left+10,dash={dashed:' stroke-dasharray="7 4"',dotted:' stroke-dasharray="2 3"'}[meta.style]||'';
  items.push('<line x1="'+x+'" x2="'+(x+22)+'" y1="'+(y-4)+'" y2="'+(y-4)+'" stroke="'+meta.color+'" stroke-width="2"'+dash+'/><text x="'+(x+28)+'" y="'+y+'">'+meta.label.replace(/&/g,'&amp;').replace(/</g,'&lt;')+'</text>');}
 leg.innerHTML=items.join('');
}
function fmt(s,v){return s.integer?String(Math.round(v)):String(Number(v.toPrecision(4)));}
root.querySelectorAll('input[data-slider]').forEach(function(inp){var i=+inp.dataset.slider,s=D.sliders[i];
 inp.addEventListener('input',function(){idx[i]=+inp.value;var v=fmt(s,s.values[idx[i]]);
  root.querySelector('output[data-output="'+i+'"]').textContent=v;inp.setAttribute('aria-valuetext',s.label+' = '+v);draw();});});
var sel=root.querySelector('select[data-overlay]');if(sel)sel.addEventListener('change',function(){choice=sel.value;draw();});
root.querySelector('.actlib-controls').hidden=false;
root.__actlib={data:D,current:function(){return current().map(function(c){return {label:c.label,x:Array.from(c.x),y:Array.from(c.y)};});},
 values:function(){var o={};D.sliders.forEach(function(s,i){o[s.name]=s.values[idx[i]];});return o;},choice:function(){return choice;}};
})();
"""
