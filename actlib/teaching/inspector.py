r"""The network inspector: what each hidden layer of a network does, at initialisation and
during training, for any activation and initialisation.

For an :class:`~actlib.teaching.models.MLP` on the digits data
(:func:`~actlib.teaching.data.digits`) it measures, layer by layer:

* the distribution of the layer's outputs (a histogram, pooled over samples, units and
  seeds), with its mean, standard deviation and the share of outputs that are 0 (exactly,
  or underflowed below the smallest normal float, which CPUs round differently);
* where the units are *flat*: for an activation bounded on both sides (sigmoid, tanh,
  softsign) a unit is *saturated* on a sample when its output lies within 0.5 % of
  the range's width from a bound (for tanh, :math:`|h| > 0.99`); for every other
  activation a unit is on its *dead* side when its pre-activation is :math:`\le 0`, the
  definition of :meth:`~actlib.teaching.models.MLP.dead_fraction`. A map of samples ×
  units shows it for one network; a unit that is flat on every sample (a full column)
  is a saturated or dead unit, and their fraction per layer is averaged over seeds;
* the norm of the gradient of the training loss (cross-entropy) with respect to each
  layer's weights;
* during training, the update-to-data ratio: how far one step moves a layer's weights,
  relative to their size (Karpathy's rule of thumb puts a healthy value near
  :math:`10^{-3}`).

:func:`inspect_init` measures fresh networks; :func:`inspect_training` trains many (every
initialisation, learning rate and seed of one activation as the members of one batched
run, :func:`~actlib.teaching.training.train`) and measures them every few steps.
:func:`init_explorer` and :func:`training_explorer` show the results as explorers.

Examples:
    >>> from actlib.teaching.inspector import inspect_init
    >>> r = inspect_init("tanh", "xavier", depths=(2, 4), width=16, samples=64, seeds=range(2))
    >>> r.counts.shape, r.grads[4].shape
    ((4, 32), (2, 4))
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from dataclasses import dataclass, replace

import numpy as np
import torch

from .._validate import check_param
from ..registry import get
from . import data as _data
from .experiments import gradient_norms_per_layer
from .models import MLP
from .stats import FLOOR, TOL_SE

__all__ = ["ACTIVATIONS", "INIT_NAMES", "init_args", "saturating", "seed_tolerance", "single_tolerance",
           "log_tolerance", "flat_mask", "hist_range", "stack_members",
           "LayerOutputs", "InitInspection", "inspect_init", "TrainingInspection", "inspect_training", "cached_init",
           "cached_training",
           "init_explorer", "training_explorer"]

#: The activations the inspector offers.
ACTIVATIONS = ("sigmoid", "tanh", "softsign", "relu", "leaky_relu", "elu", "selu", "gelu", "silu",
               "mish", "softplus", "hard_swish")
#: The initialisations it offers, with the names the page shows: the five of
#: :data:`~actlib.teaching.models.INITS` a reader meets, and the N(0, 1) weights of early
#: networks (``"normal"`` with gain 100), far too large for 64 inputs.
INIT_NAMES = {"normal": "small normal, N(0, 0.01²)", "large": "large normal, N(0, 1)",
              "xavier": "Xavier / Glorot", "he": "He / Kaiming", "lecun": "LeCun", "orthogonal": "orthogonal"}
_INIT_ARGS = {"large": ("normal", 100.0)}


def init_args(key: str) -> dict:
    """``MLP`` keyword arguments (``init``, ``gain``) of the inspector's initialisation ``key``."""
    if key not in INIT_NAMES:
        raise ValueError(f"unknown initialisation {key!r}; choose one of {list(INIT_NAMES)}")
    init, gain = _INIT_ARGS.get(key, (key, 1.0))
    return {"init": init, "gain": gain}
#: How close to a bound (a fraction of the range's width) a bounded unit counts as saturated.
SATURATION = 0.005


def saturating(activation: str) -> bool:
    """Whether ``activation`` is bounded on both sides (its units *saturate*); the others
    have a *dead* side."""
    props = get(activation).properties
    return props.bounded_below and props.bounded_above


def flat_mask(activation: str, z: torch.Tensor, h: torch.Tensor) -> torch.Tensor:
    """Where units are flat: saturated (bounded activations) or on the dead side (``z <= 0``)."""
    if not saturating(activation):
        return z <= 0
    lo, hi = get(activation).properties.range
    margin = SATURATION * (hi - lo)
    return (h <= lo + margin) | (h >= hi - margin)


def hist_range(activation: str) -> tuple[float, float]:
    """The histogram range: the activation's range, cut to [-4, 4]."""
    lo, hi = get(activation).properties.range
    return max(float(lo), -4.0), min(float(hi), 4.0)


def stack_members(nets: Sequence[MLP]) -> MLP:
    """One :class:`MLP` whose members are the members of ``nets`` (same sizes and
    activation), in order: networks initialised differently, trained as one batch."""
    first = nets[0]
    for n in nets[1:]:
        if n.sizes != first.sizes or n.activation != first.activation or n.batchnorm or n.residual:
            raise ValueError("stack_members needs plain MLPs of the same sizes and activation")
    seeds = [s for n in nets for s in n.seeds]
    out = MLP(first.sizes, first.activation, members=len(seeds), seeds=seeds, init=first.init,
              dtype=first.weights[0].dtype, device=first.device)
    with torch.no_grad():
        for k in range(len(out.weights)):
            out.weights[k].copy_(torch.cat([n.weights[k] for n in nets]))
            out.biases[k].copy_(torch.cat([n.biases[k] for n in nets]))
    return out


def _probe(samples: int, device, dtype):
    d = _data.digits()
    samples = check_param("samples", samples, 8, d.x_train.shape[0], integer=True)
    return d.x_train[:samples].to(device=device, dtype=dtype), d.y_train[:samples].to(device)


def _is_zero(h):
    """Outputs that are 0: exactly, or below the smallest normal float. Whether an output
    such as softplus(-800) underflows to 0 or to a subnormal depends on the CPU's exp, so
    a subnormal counts as 0 and every CPU counts the same zeros."""
    return h.abs() < torch.finfo(h.dtype).tiny


def _layer_summary(activation, layers, bins, lo, hi, group: int, map_shape=None):
    """Per layer and per group of ``group`` consecutive members (one setting, its seeds):
    the histogram of the outputs pooled over the group's members, samples and units, the
    share that is 0 (:func:`_is_zero`), mean and standard deviation, the share of flat outputs; per member the
    fraction of units flat on every sample; for the first member of each group the share
    of samples on which each unit is flat and (``map_shape``) the map samples × units.

    Arrays are (groups, layers, ...), ``flat_units`` (members, layers)."""
    out = {k: [] for k in ("counts", "zero", "mean", "std", "flat_share", "flat_units", "unit_share", "maps")}
    for L in layers:
        h, z = L.h_out.detach().double(), L.z.detach()
        M = h.shape[0]
        G = M // group
        flat = flat_mask(activation, z, h)                          # (members, samples, units)
        hg = h.reshape(G, -1)                                        # pooled per group
        is_zero = _is_zero(hg)
        zero = is_zero.double().mean(dim=1)
        idx = ((hg.clamp(lo, hi) - lo) / (hi - lo) * bins).long().clamp_(0, bins - 1)
        counts = torch.zeros(G, bins, dtype=torch.float64, device=h.device)
        counts.scatter_add_(1, idx, torch.ones_like(hg))
        # where more than 5 % of the outputs are 0, the zeros are left out
        zbin = min(max(int((0.0 - lo) / (hi - lo) * bins), 0), bins - 1)
        n_zero = is_zero.double().sum(dim=1)
        counts[:, zbin] -= torch.where(zero > 0.05, n_zero, torch.zeros_like(n_zero))
        out["counts"].append(counts.cpu().numpy())
        out["zero"].append(zero.cpu().numpy())
        out["mean"].append(hg.mean(dim=1).cpu().numpy())
        out["std"].append(hg.std(dim=1).cpu().numpy())
        out["flat_share"].append(flat.reshape(G, -1).double().mean(dim=1).cpu().numpy())
        out["flat_units"].append(flat.all(dim=1).double().mean(dim=1).cpu().numpy())
        first = flat[::group]                                        # (groups, samples, units)
        out["unit_share"].append(first.double().mean(dim=1).cpu().numpy())
        if map_shape is not None:
            r, c = map_shape
            out["maps"].append(first[:, :r, :c].cpu().numpy())
    res = {k: np.stack(v, axis=1) for k, v in out.items() if v}
    res["flat_units"] = np.stack(out["flat_units"], axis=1)
    return res


# ---------------------------------------------------------------------------------------
# At initialisation
# ---------------------------------------------------------------------------------------

@dataclass(kw_only=True)
class LayerOutputs:
    """What both inspections measure of the hidden layers' outputs, pooled over seeds:
    ``counts`` how many outputs fall in each bin of ``[lo, hi]`` (outputs outside are
    counted in the end bins; when more than 5 % are 0 (:func:`_is_zero`), those are left
    out and ``zero`` gives their share), ``mean``, ``std``, ``flat_share`` (of samples ×
    units × seeds), and per seed ``flat_units``."""

    lo: float
    hi: float
    counts: np.ndarray
    zero: np.ndarray
    mean: np.ndarray
    std: np.ndarray
    flat_share: np.ndarray
    flat_units: np.ndarray


@dataclass(kw_only=True)
class InitInspection(LayerOutputs):
    """Fresh networks of one activation and initialisation, measured on the digits.

    Per layer of the deepest network (the first ``d`` layers of a network of depth ``d``
    are the same, since each layer's weights are drawn in order): the
    :class:`LayerOutputs` (``counts`` (layers, bins), ``flat_units`` (seeds, layers)),
    and ``maps`` (layers, rows, cols) for seed 0. ``grads`` maps a depth to the gradient
    norms (seeds, depth).
    """

    activation: str
    init: str
    width: int
    samples: int
    seeds: tuple[int, ...]
    maps: np.ndarray
    grads: dict


def inspect_init(activation: str, init: str, *, depths: Sequence[int] = (3, 6, 10),
                 width: int = 64, samples: int = 128, seeds: Sequence[int] = range(3), bins: int = 32,
                 map_shape: tuple[int, int] = (32, 32), device="cpu",
                 dtype=torch.float64) -> InitInspection:
    """Measure fresh networks ``[64, width × depth, 10]`` on ``samples`` training images
    (float64 by default, so the numbers are the same on every CPU to far below what
    the page shows)."""
    init_args(init)
    depths = sorted({check_param("depth", d, 1, 1000, integer=True) for d in depths})
    seeds = tuple(seeds)
    x, y = _probe(samples, device, dtype)
    lo, hi = hist_range(activation)

    def net(depth):
        return MLP([64] + [width] * depth + [10], activation, members=len(seeds), seeds=seeds,
                   device=device, dtype=dtype, **init_args(init))

    deepest = net(depths[-1])
    with torch.no_grad():
        summary = _layer_summary(activation, list(deepest.layers(x)), bins, lo, hi, len(seeds), map_shape)
    summary = {k: (v if k == "flat_units" else v[0]) for k, v in summary.items() if k != "unit_share"}
    grads = {d: gradient_norms_per_layer(deepest if d == depths[-1] else net(d), x, y, per_sample=False)
             for d in depths}
    return InitInspection(activation=get(activation).name, init=init, width=width, samples=x.shape[0],
                          seeds=seeds, lo=lo, hi=hi, grads=grads, **summary)


# ---------------------------------------------------------------------------------------
# During training
# ---------------------------------------------------------------------------------------

@dataclass(kw_only=True)
class TrainingInspection(LayerOutputs):
    """Networks of one activation trained with full-batch Adam, one member per
    initialisation × learning rate × seed, measured after every ``every`` steps.

    Arrays are indexed ``[init, lr, ...]``; ``F`` is the number of measured steps
    (``steps``), ``L`` the number of hidden layers, ``S`` of seeds. Pooled over seeds:
    ``counts`` (I, R, F, L, bins), ``zero``, ``mean``, ``std``, ``flat_share`` (I, R, F, L);
    per seed: ``flat_units``, ``grads`` (the norm of the gradient of each layer's weights
    that the last step used; at step 0 the first step's) and ``updates`` (the
    update-to-data ratio ``‖ΔW‖ / ‖W‖`` per step, averaged over the steps since the last
    measurement; NaN at step 0), all (I, R, S, F, L), and ``loss`` (I, R, S, F);
    ``unit_share`` (I, R, F, L, units): for the first seed, the share of samples on which
    each unit is flat.
    """

    activation: str
    inits: tuple[str, ...]
    lrs: tuple[float, ...]
    seeds: tuple[int, ...]
    steps: np.ndarray
    width: int
    depth: int
    samples: int
    unit_share: np.ndarray
    grads: np.ndarray
    updates: np.ndarray
    loss: np.ndarray


def inspect_training(activation: str, *, inits: Sequence[str] = ("normal", "xavier", "he", "lecun", "orthogonal"),
                     lrs: Sequence[float] = (1e-3, 1e-2, 1e-1), seeds: Sequence[int] = range(2),
                     width: int = 32, depth: int = 3, samples: int = 64, steps: int = 16, every: int = 4,
                     bins: int = 24, device="cpu", dtype=torch.float64) -> TrainingInspection:
    """Train ``[64, width × depth, 10]`` networks on ``samples`` training images with
    full-batch Adam for ``steps`` steps, every initialisation × learning rate × seed as
    one member, and measure them every ``every`` steps.

    In float64 (the default) a run differs between CPUs by about 1e-10 relative after 24
    steps even at the highest rate (where float32 runs differ by about 1 %): what the
    page shows is the same on every machine."""
    from .training import train

    inits, lrs, seeds = tuple(inits), tuple(float(r) for r in lrs), tuple(seeds)
    x, y = _probe(samples, device, dtype)
    sub = replace(_data.digits(), x_train=x, y_train=y, x_val=None, y_val=None)
    sizes = [64] + [width] * depth + [10]
    nets = [MLP(sizes, activation, members=len(lrs) * len(seeds), seeds=list(seeds) * len(lrs),
                device=device, dtype=dtype, **init_args(init)) for init in inits]
    model = stack_members(nets)
    lr = np.tile(np.repeat(lrs, len(seeds)), len(inits))
    lo, hi = hist_range(activation)
    frames, previous = [], {}

    def measure(epoch, m):
        with torch.no_grad():
            layers = list(m.layers(x))
        if epoch == 0:       # no step yet: the gradient the first step will use
            gradient_norms_per_layer(m, x, y, per_sample=False)
        grads = torch.stack([w.grad.flatten(1).norm(dim=1) for w in m.weights[:-1]], dim=1)
        weights = [w.detach().clone() for w in m.weights[:-1]]
        if previous:
            k = epoch - previous["epoch"]
            upd = torch.stack([(w - p).flatten(1).norm(dim=1) / p.flatten(1).norm(dim=1) / k
                               for w, p in zip(weights, previous["w"], strict=True)], dim=1)
        else:
            upd = torch.full_like(grads, math.nan)
        previous.update(epoch=epoch, w=weights)
        frames.append((_layer_summary(activation, layers, bins, lo, hi, len(seeds)),
                       grads.cpu().numpy(), upd.cpu().numpy()))

    run = train(model, sub, epochs=steps, batch_size=None, optimizer="adam", lr=lr, record_every=every,
                record_dead=False, callback=measure)
    I, R, S = len(inits), len(lrs), len(seeds)
    pooled = {k: np.stack([f[0][k] for f in frames], axis=1) for k in
              ("counts", "zero", "mean", "std", "flat_share", "unit_share")}   # (configs, F, L, ...)
    out = {k: v.reshape(I, R, *v.shape[1:]) for k, v in pooled.items()}
    per_seed = lambda a: a.reshape(I, R, S, *a.shape[1:])  # noqa: E731
    return TrainingInspection(
        activation=get(activation).name, inits=inits, lrs=lrs, seeds=seeds, steps=np.asarray(run.epochs),
        width=width, depth=depth, samples=x.shape[0], lo=lo, hi=hi,
        flat_units=per_seed(np.stack([f[0]["flat_units"] for f in frames], axis=1)),
        grads=per_seed(np.stack([f[1] for f in frames], axis=1)),
        updates=per_seed(np.stack([f[2] for f in frames], axis=1)),
        loss=per_seed(run.history["train_loss"]), **out)


_RUNS: dict = {}


def _remembered(fn, *args, **kwargs):
    key = (fn.__name__, args, tuple(sorted(kwargs.items())))
    if key not in _RUNS:
        _RUNS[key] = fn(*args, **kwargs)
    return _RUNS[key]


def cached_init(activation: str, init: str, **kwargs) -> InitInspection:
    """:func:`inspect_init`, remembered (keyword arguments hashable: tuples, not ranges), so
    that an explorer and a chapter's statistics share one measurement."""
    return _remembered(inspect_init, activation, init, **kwargs)


def cached_training(activation: str, **kwargs) -> TrainingInspection:
    """:func:`inspect_training`, remembered (keyword arguments hashable: tuples, not
    ranges), so that an explorer and a chapter's statistics share one run."""
    return _remembered(inspect_training, activation, **kwargs)


# ---------------------------------------------------------------------------------------
# Tolerances: how far a shown number may move on another machine
# ---------------------------------------------------------------------------------------

def seed_tolerance(values: np.ndarray, resolution: float = 0.0) -> np.ndarray:
    """Tolerance of the mean over the last axis (seeds): what
    :meth:`Stat.tol() <actlib.teaching.stats.Stat.tol>` gives for each row (from the spread
    over seeds; NaN entries left out), and at least ``resolution`` (the smallest step the
    quantity can take, e.g. one unit of a layer)."""
    v = np.asarray(values, float)
    finite = np.isfinite(v)
    n = finite.sum(axis=-1)
    with np.errstate(invalid="ignore", divide="ignore"):
        mean = np.where(n > 0, np.where(finite, v, 0).sum(axis=-1) / np.maximum(n, 1), 0.0)
        dev = np.where(finite, v - mean[..., None], 0.0)
        sd = np.where(n > 1, np.sqrt((dev ** 2).sum(axis=-1) / np.maximum(n - 1, 1)), 0.0)
        se = np.where(n > 0, sd / np.sqrt(np.maximum(n, 1)), 0.0)
    tol = TOL_SE * np.sqrt(2.0) * se + FLOOR[0] * np.abs(mean) + FLOOR[1]
    return np.maximum(np.where(n > 0, tol, 0.0), resolution)


def single_tolerance(values: np.ndarray) -> np.ndarray:
    """Tolerance of *one* run's value (the first along the last axis, seeds), from the spread
    over seeds: on another machine a chaotic run may end like another seed's, so the
    standard error of one run is the standard deviation (``TOL_SE·√2·sd``)."""
    v = np.asarray(values, float)
    n = v.shape[-1]
    return seed_tolerance(v, 0.0) * np.sqrt(n) if n > 1 else np.abs(v[..., 0]) * FLOOR[0] + FLOOR[1]


def log_tolerance(values: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """Geometric mean over the last axis (NaN where no value is finite) and its tolerance,
    in the unit of the values."""
    with np.errstate(divide="ignore", invalid="ignore"):
        logs = np.log10(np.asarray(values, float))
    logs = np.where(np.isfinite(logs), logs, np.nan)
    n = np.isfinite(logs).sum(axis=-1)
    with np.errstate(invalid="ignore"):
        mean = np.where(n > 0, np.nansum(logs, axis=-1) / np.maximum(n, 1), np.nan)
    g = 10.0 ** mean
    with np.errstate(invalid="ignore"):
        return g, g * (10.0 ** seed_tolerance(logs) - 1.0)


# The explorers live in inspector_views (they only arrange what is measured here).
def init_explorer(*args, **kwargs):
    from .inspector_views import init_explorer as build

    return build(*args, **kwargs)


def training_explorer(*args, **kwargs):
    from .inspector_views import training_explorer as build

    return build(*args, **kwargs)

