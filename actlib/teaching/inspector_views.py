"""The network inspector's explorers: what :mod:`actlib.teaching.inspector` measures,
arranged as stacked histograms, maps of flat units and per-layer curves.

Both explorers compute lazily (a setting is measured the first time it is shown, then
remembered), so the live widget in JupyterLab measures only what a reader asks for,
and the static page measures every setting once when the notebook runs.
"""

from __future__ import annotations

from collections.abc import Sequence
from functools import cache

import numpy as np

from ..registry import get
from .explorers import Axes, Choice, Explorer, Grid, Heatmaps, Hist, Histograms, Lines, Note, Rule, Series, Slider
from .inspector import (
    ACTIVATIONS,
    INIT_NAMES,
    cached_init,
    cached_training,
    log_tolerance,
    saturating,
    seed_tolerance,
)
from .style import SERIES_COLORS, activation_color

__all__ = ["init_explorer", "training_explorer", "SUPERSCRIPT"]

FLAT = "#c9410c"
#: The initialisations of the training views: those a reader meets in practice.
TRAINING_INITS = ("normal", "xavier", "he", "lecun", "orthogonal")
SUPERSCRIPT = str.maketrans("-0123456789", "⁻⁰¹²³⁴⁵⁶⁷⁸⁹")


def _power(v: float) -> str:
    k = np.log10(v)
    return f"10{str(int(round(k))).translate(SUPERSCRIPT)}" if abs(k - round(k)) < 1e-9 else f"{v:g}"


def _rebuild(builder: str, **kwargs) -> dict:
    """The facts a test needs to build the same explorer again and recompute any state:
    the builder (``module:function``) and its keyword arguments (JSON)."""
    return {"builder": f"{__name__}:{builder}", "kwargs": kwargs}


def _decades(lo: float, hi: float, span: int = 3) -> tuple[float, float]:
    """Log-axis limits at whole decades around ``[lo, hi]``, at least ``span`` decades."""
    a, b = np.floor(np.log10(lo)), np.ceil(np.log10(hi))
    if b - a < span:
        a, b = a - np.floor((span - (b - a)) / 2), b + np.ceil((span - (b - a)) / 2)
    return 10.0 ** a, 10.0 ** b


def _finite_range(arrays) -> tuple[float, float]:
    v = np.concatenate([np.asarray(a, float) for a in arrays])
    v = v[np.isfinite(v) & (v > 0)]
    return (float(v.min()), float(v.max())) if v.size else (1e-3, 1.0)


def _flat_words(activation: str) -> tuple[str, str]:
    """(what a flat sample is, what a flat unit is) for this activation."""
    if saturating(activation):
        lo, hi = get(activation).properties.range
        bounds = f"{lo:g} or {hi:g}".replace("-", "−")
        return "saturated", f"orange: the unit is saturated on that sample (within 0.5 % of the range from {bounds})"
    return "z ≤ 0", "orange: the unit's pre-activation is ≤ 0 on that sample (its dead side)"


ZEROS_NOTE = Note("Outputs that are 0 are left out of a layer's histogram where they are more "
                  "than 5 % of it.")


def _hist_items(activation, counts, std, flat_share, lo, hi, *, n_values, layers, zero=None):
    color = activation_color(activation)
    word = _flat_words(activation)[0]
    resolution = 2.0 / n_values           # two values moving to a neighbouring bin (a share)
    items = []
    for layer in range(layers):
        text, vals = "std {0:.2f} · {1:.0%} " + word, (std[layer], flat_share[layer])
        items.append(Hist(f"layer {layer + 1}", counts[layer], lo, hi, color,
                          Note(text, vals, tol=[max(1e-6 * abs(v), resolution) for v in vals]),
                          tol=2.0, record="summary"))   # counts: two outputs may change bin
    if zero is not None and (np.asarray(zero)[:layers] > 0.05).any():
        items.append(ZEROS_NOTE)
    return items


def _map_items(activation, maps, flat_units, layers, *, n_units, seeds):
    items = []
    for layer in range(layers):
        units = flat_units[:, layer]
        tol = seed_tolerance(units[None, :], resolution=1.0 / (n_units * len(units)))[0]
        items.append(Grid(f"{layer + 1}", maps[layer], record=False,
                          note=Note("{0:.0%}", (float(np.mean(units)),), tol=tol)))
    items.append(Note(_flat_words(activation)[1] + f". Under each layer: the share of its units that "
                      f"are flat on every sample, mean over {seeds} seeds."))
    return items


# ---------------------------------------------------------------------------------------
# At initialisation
# ---------------------------------------------------------------------------------------

def init_explorer(*, activations: Sequence[str] = ACTIVATIONS, inits: Sequence[str] = tuple(INIT_NAMES),
                  depths: Sequence[int] = (3, 6, 10), default: tuple[str, str, int] = ("tanh", "large", 10),
                  width: int = 64, samples: int = 128, seeds: Sequence[int] = range(3),
                  device="cpu", max_bytes: int = 700_000) -> Explorer:
    """Fresh networks: per layer the histogram of outputs, the map of flat units and the
    gradient norms, for every activation × initialisation × depth."""
    seeds = tuple(seeds)
    depths = tuple(depths)

    def measured(activation, init):
        return cached_init(activation, init, depths=depths, width=width, samples=samples, seeds=seeds,
                           device=device)

    names = {INIT_NAMES[i]: i for i in inits}

    @cache
    def grad_series(activation, init, depth):
        r = measured(activation, init)
        layer = np.arange(1, depth + 1)
        g, tol = log_tolerance(r.grads[depth].T)         # geometric mean over seeds
        tol = np.maximum(tol, 1e-9 * g)                 # float64 at initialisation: float noise
        lo, hi = r.grads[depth].min(0), r.grads[depth].max(0)
        return [Series("geometric mean over seeds", layer, g, "solid", activation_color(activation), tol=tol),
                Series("smallest and largest seed", layer, lo, "dotted", "#7b7b7b", tol=1e-9 * lo),
                Series("", layer, hi, "dotted", "#7b7b7b", tol=1e-9 * hi),
                Axes(xlim=(0.5, depth + 0.5), ylim=_decades(lo.min(), hi.max()))]

    @cache
    def layer_items(activation, init):
        """Every layer's histogram and map of the deepest network, made once: a shallower
        network shows the same first layers (the same objects, recorded once)."""
        r = measured(activation, init)
        n = r.samples * width * len(seeds)
        return (_hist_items(activation, r.counts, r.std, r.flat_share, r.lo, r.hi, n_values=n,
                            layers=max(depths), zero=r.zero),
                _map_items(activation, r.maps, r.flat_units, max(depths), n_units=width, seeds=len(seeds)))

    def compute(activation, init, depth):
        hists, maps = layer_items(activation, names[init])
        depth = int(depth)
        rows = [h for h in hists if isinstance(h, Hist)][:depth] + [n for n in hists if isinstance(n, Note)]
        return [rows, maps[:depth] + maps[-1:], grad_series(activation, names[init], depth)]

    act, init, depth = default
    description = (f"Networks of 2 to {max(depths)} hidden layers of {width} units at initialisation, "
                   f"on {samples} digit images: per layer a histogram of the outputs, a map of where "
                   "units are flat (saturated or on their dead side), and the gradient norm of each "
                   "layer's weights, for 12 activations and 5 initialisations.")
    return Explorer(
        compute,
        [Choice("activation", tuple(activations), act, "activation"),
         Choice("init", tuple(names), INIT_NAMES[init], "initialisation"),
         Slider("depth", tuple(float(d) for d in depths), depth, "hidden layers", integer=True)],
        title="Inside a fresh network, layer by layer",
        description=description,
        views=[Histograms(title="Outputs of each layer (histogram, all units and seeds)", xlabel="output h",
                          height=300, alt="Histograms of each layer's outputs"),
               Heatmaps(title=f"Flat units: {min(32, samples)} samples (rows) × {min(32, width)} units "
                              "(columns) of one network, per layer",
                        tiles=max(depths), height=130, alt="Maps of flat units per layer",
                        legend=[["flat: saturated, or z ≤ 0", FLAT]]),
               Lines(title="Gradient norm of each layer's weights", xlabel="layer (1 = next to the input)",
                     ylabel="‖∂L/∂W‖ (log scale)", yscale="log", xlim=(0.5, max(depths) + 0.5),
                     height=280, alt="Gradient norm per layer")],
        meta=_rebuild("init_explorer", activations=list(activations), inits=list(inits), depths=list(depths),
                      default=list(default), width=width, samples=samples, seeds=list(seeds), device=str(device)),
        max_bytes=max_bytes)


# ---------------------------------------------------------------------------------------
# During training
# ---------------------------------------------------------------------------------------

def training_explorer(*, activations: Sequence[str] = ACTIVATIONS, inits: Sequence[str] = TRAINING_INITS,
                      lrs: Sequence[float] = (1e-3, 1e-2, 1e-1), default: tuple[str, str, float] = ("relu", "he", 1e-1),
                      seeds: Sequence[int] = range(2), width: int = 32, depth: int = 3, samples: int = 64,
                      steps: int = 16, every: int = 4, device="cpu", max_bytes: int = 700_000) -> Explorer:
    """Networks during training: per layer the histogram of outputs at the chosen step, a
    chart of each unit's flat share over training, and over training the share of flat
    units, the gradient norm and the update-to-data ratio; for every activation ×
    initialisation × learning rate."""
    seeds, inits, lrs = tuple(seeds), tuple(inits), tuple(lrs)
    names = {INIT_NAMES[i]: k for k, i in enumerate(inits)}

    def measured(activation):
        return cached_training(activation, inits=inits, lrs=lrs, seeds=seeds, width=width, depth=depth,
                               samples=samples, steps=steps, every=every, device=device)

    @cache
    def per_setting(activation, i, r):
        """The curves over training and the unit charts of one setting (all steps)."""
        t = measured(activation)
        x = t.steps.astype(float)
        flat, grad, upd, charts = [], [], [], []
        for layer in range(depth):
            color = SERIES_COLORS[layer]
            units = t.flat_units[i, r, :, :, layer].T                  # (F, seeds)
            flat.append(Series(f"layer {layer + 1}", x, 100 * units.mean(1), "solid", color,
                               tol=100 * seed_tolerance(units, 1.0 / (width * len(seeds)))))
            g, gt = log_tolerance(t.grads[i, r, :, :, layer].T)
            grad.append(Series(f"layer {layer + 1}", x, g, "solid", color, tol=np.maximum(gt, 1e-6 * g)))
            u, ut = log_tolerance(t.updates[i, r, :, :, layer].T)
            upd.append(Series(f"layer {layer + 1}", x, u, "solid", color, tol=np.maximum(ut, 1e-6 * u)))
            share = t.unit_share[i, r, :, layer, :].T                   # (units, F)
            charts.append(Grid(f"layer {layer + 1}", share, 0.0, 1.0, enc="q8", tol=1.0 / t.samples + 1e-9,
                               record="summary"))
        # the log axes fitted to this setting, the update ratio's always showing 10⁻³
        grad.append(Axes(ylim=_decades(*_finite_range(s.y for s in grad))))
        lo, hi = _finite_range(s.y for s in upd)
        upd.append(Axes(ylim=_decades(min(lo, 1e-3), max(hi, 1e-3))))
        charts.append(Note(f"The share of the samples on which each unit is flat ({_flat_words(activation)[0]}), "
                           "per unit (rows) and step (columns), for one network: a bright row is a unit "
                           "flat on every sample."))
        return flat, grad, upd, charts

    @cache
    def hist_items(activation, i, r, f):
        t = measured(activation)
        n = t.samples * width * len(seeds)
        return _hist_items(activation, t.counts[i, r, f], t.std[i, r, f],
                           t.flat_share[i, r, f], t.lo, t.hi, n_values=n, layers=depth, zero=t.zero[i, r, f])

    def compute(activation, init, lr, step):
        t = measured(activation)
        i, r = names[init], lrs.index(lr)
        f = int(np.searchsorted(t.steps, step))
        flat, grad, upd, charts = per_setting(activation, i, r)
        cursor = Rule(x=float(step))
        return [hist_items(activation, i, r, f), charts, [*flat, cursor], [*grad, cursor],
                [*upd, cursor, Rule(y=1e-3, style="dashed")]]

    act, init, lr = default
    step_values = tuple(float(s) for s in range(0, steps + 1, every))
    small = dict(width=320, height=250)
    description = (f"Networks of {depth} hidden layers of {width} units trained with full-batch Adam on "
                   f"{samples} digit images, measured every {every} steps: per layer the histogram of "
                   "the outputs at the chosen step, each unit's share of flat samples over training, and "
                   "over training the share of flat units, the gradient norm and the update-to-data ratio.")
    return Explorer(
        compute,
        [Choice("activation", tuple(activations), act, "activation"),
         Choice("init", tuple(names), INIT_NAMES[init], "initialisation"),
         Slider("lr", tuple(lrs), lr, "learning rate", labels=tuple(_power(v) for v in lrs)),
         Slider("step", step_values, step_values[-1], "training step", integer=True, play=True)],
        title="Inside a network during training, layer by layer",
        description=description,
        views=[Histograms(title="Outputs of each layer at this step (all units and seeds)", xlabel="output h",
                          height=200, alt="Histograms of each layer's outputs"),
               Heatmaps(title=f"Each unit over training ({width} units × {len(step_values)} steps per layer)",
                        palette="viridis", tiles=depth, stretch=1.0, height=170,
                        alt="Share of samples on which each unit is flat, per layer and step",
                        legend=[["flat on no sample", "#440154"], ["on every sample", "#fde725"]]),
               Lines(title="Units flat on every sample", xlabel="step", ylabel="% of the layer (mean of seeds)",
                     ylim=(0, 100), alt="Share of flat units per layer over training", **small),
               Lines(title="Gradient norm of each layer's weights", xlabel="step", ylabel="‖∂L/∂W‖",
                     yscale="log", alt="Gradient norm per layer over training", **small),
               Lines(title="Update-to-data ratio per step", xlabel="step", ylabel="‖ΔW‖ / ‖W‖ (dashed: 10⁻³)",
                     yscale="log", alt="Update-to-data ratio per layer over training", **small)],
        meta=_rebuild("training_explorer", activations=list(activations), inits=list(inits), lrs=list(lrs),
                      default=list(default), seeds=list(seeds), width=width, depth=depth, samples=samples,
                      steps=steps, every=every, device=str(device)),
        max_bytes=max_bytes)
