r"""Decision boundaries during training: small classifiers on 2-D data, frame by frame.

:func:`train_boundaries` trains an :class:`~actlib.teaching.models.MLP` with two hidden
layers on :func:`~actlib.teaching.data.moons` or :func:`~actlib.teaching.data.spiral`
with full-batch Adam, one member per learning rate × seed, in float64 (so a run is the
same on every CPU to far below what a picture shows), and every few steps records, for
the first seed, the class probabilities over a grid of the plane and the lines where the
first-layer units switch on; for every seed, whether each first-layer unit is *dead*
(its activation's derivative is exactly 0 on every training point, so no point sends it
a gradient: a ReLU unit whose pre-activation is negative everywhere; a Leaky ReLU unit
never is) and the training accuracy. :func:`boundary_explorer` shows the frames with a step slider and a
play button.

Examples:
    >>> from actlib.teaching.boundaries import train_boundaries
    >>> r = train_boundaries("moons", "relu", lrs=(0.01,), seeds=range(2), steps=20, every=10, grid=8)
    >>> r.probs.shape, r.dead.shape
    ((1, 2, 3, 2, 8, 8), (1, 2, 3, 16))
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from functools import cache

import numpy as np
import torch

from ..registry import get
from . import data as _data
from .models import MLP

__all__ = ["ACTIVATIONS", "DATASETS", "BoundaryRun", "dataset", "train_boundaries", "cached_run",
           "boundary_explorer"]

#: The activations of the decision-boundary explorer.
ACTIVATIONS = ("relu", "leaky_relu", "tanh", "gelu", "sigmoid", "elu", "selu", "silu", "mish", "softplus",
               "hard_swish", "softsign")
#: The data sets, with the plane's extent (standardised features).
DATASETS = {"moons": (-2.6, 2.6), "spiral": (-2.6, 2.6)}
#: The initialisation each activation needs (as the inspector's chapters show).
_INIT = {"tanh": "xavier", "sigmoid": "xavier", "softsign": "xavier", "selu": "lecun"}


@cache
def dataset(name: str):
    """The data set ``name``: moons (two classes) or a three-armed spiral."""
    if name == "moons":
        return _data.moons(n=300, noise=0.2, seed=0)
    if name == "spiral":
        return _data.spiral(n=360, arms=3, noise=0.2, turns=0.75, seed=0)
    raise ValueError(f"unknown data set {name!r}; choose one of {list(DATASETS)}")


@dataclass
class BoundaryRun:
    """Frames of one activation on one data set, indexed ``[lr, frame, ...]`` (``F``
    frames at ``steps``, ``S`` seeds): ``probs`` (R, S, F, classes, grid, grid), row 0
    at the top of the plane; ``units`` (R, S, F, 3, H): ``a, b, c`` of each first-layer
    unit's line ``a x + b y + c = 0``; ``dead`` (R, S, F, H); ``accuracy`` (R, S,
    F) on the training points; ``test_accuracy`` (R, S) after the last step."""

    name: str
    activation: str
    lrs: tuple[float, ...]
    seeds: tuple[int, ...]
    steps: np.ndarray
    extent: tuple[float, float]
    probs: np.ndarray
    units: np.ndarray
    dead: np.ndarray
    accuracy: np.ndarray
    test_accuracy: np.ndarray


def train_boundaries(name: str, activation: str, *, lrs: Sequence[float] = (0.03, 0.3),
                     seeds: Sequence[int] = range(8), hidden: int = 16, steps: int = 60, every: int = 6,
                     grid: int = 24, device="cpu", dtype=torch.float64) -> BoundaryRun:
    """Train ``[2, hidden, hidden, classes]`` networks on data set ``name`` with full-batch
    Adam for ``steps`` steps and record a frame every ``every`` steps."""
    from .training import train

    d = dataset(name)
    rec = get(activation)
    lrs, seeds = tuple(float(r) for r in lrs), tuple(seeds)
    R, S = len(lrs), len(seeds)
    lo, hi = DATASETS[name]
    axis = np.linspace(lo, hi, grid)
    gx, gy = np.meshgrid(axis, axis[::-1])                    # row 0 at the top
    plane = torch.as_tensor(np.column_stack([gx.ravel(), gy.ravel()]), dtype=dtype, device=device)
    x_tr = d.x_train.to(device=device, dtype=dtype)
    sub = d.to(device)
    sub = type(d)(d.name, x_tr, sub.y_train, None, None, sub.x_test.to(dtype), sub.y_test, d.n_classes)
    model = MLP([2, hidden, hidden, d.n_classes], activation, members=R * S, seeds=list(seeds) * R,
                init=_INIT.get(get(activation).name, "he"), device=device, dtype=dtype)
    frames = {"probs": [], "units": [], "dead": [], "accuracy": []}
    def record(epoch, m):
        with torch.no_grad():
            p = torch.softmax(m(plane), dim=-1)                # (members, points, classes)
            frames["probs"].append(p.transpose(1, 2).reshape(R * S, d.n_classes, grid, grid).cpu().numpy())
            w, b = m.weights[0], m.biases[0]                   # (members, 2, H), (members, 1, H)
            frames["units"].append(torch.stack([w[:, 0], w[:, 1], b[:, 0]], dim=1).cpu().numpy())
            z = next(iter(m.layers(x_tr))).z.cpu().numpy()       # (members, points, H)
            frames["dead"].append((rec.derivative(z) == 0).all(axis=1))
            pred = m(x_tr).argmax(-1)
            frames["accuracy"].append((pred == sub.y_train).double().mean(dim=1).cpu().numpy())

    run = train(model, sub, epochs=steps, batch_size=None, optimizer="adam", lr=np.repeat(lrs, S),
                record_every=every, record_dead=False, callback=record)
    def per_seed(key):
        a = np.stack(frames[key], axis=1)                             # (members, F, ...)
        return a.reshape(R, S, *a.shape[1:])

    return BoundaryRun(name, get(activation).name, lrs, seeds, np.asarray(run.epochs), (lo, hi),
                       probs=per_seed("probs"), units=per_seed("units"), dead=per_seed("dead"),
                       accuracy=per_seed("accuracy"), test_accuracy=run.test_accuracy.reshape(R, S))


def cached_run(name: str, activation: str, **kwargs) -> BoundaryRun:
    """:func:`train_boundaries`, remembered: the explorer and a chapter's statistics share
    one run (keyword arguments hashable: tuples, not lists)."""
    from .inspector import _remembered

    return _remembered(train_boundaries, name, activation, **kwargs)


def boundary_explorer(*, datasets: Sequence[str] = tuple(DATASETS), activations: Sequence[str] = ACTIVATIONS,
                      lrs: Sequence[float] = (0.03, 0.3), seeds: Sequence[int] = range(8), steps: int = 60,
                      every: int = 6, grid: int = 24, default=("moons", "relu", 0.3), device="cpu",
                      max_bytes: int = 800_000):
    """The frames of :func:`train_boundaries` for every data set × activation × learning
    rate, with a step slider and a play button."""
    from .explorers import Choice, Explorer, Field, FieldView, Lines, Note, Points, Rule, Series, Slider, Units
    from .inspector import seed_tolerance, single_tolerance
    from .inspector_views import _power
    from .style import SERIES_COLORS

    lrs, seeds = tuple(lrs), tuple(seeds)

    def measured(name, activation):
        return cached_run(name, activation, lrs=lrs, seeds=seeds, steps=steps, every=every, grid=grid,
                          device=device)

    @cache
    def points(name):
        d = dataset(name)
        x = d.x_train.double().numpy()
        return Points(x[:, 0], x[:, 1], d.y_train.numpy().astype(float),
                      tuple(f"class {k}" for k in range(d.n_classes)))

    @cache
    def curves(name, activation):
        r = measured(name, activation)
        x = r.steps.astype(float)
        dead, acc = [], []
        for k, lr in enumerate(lrs):
            n_dead = r.dead[k].sum(axis=-1).T.astype(float)              # (F, seeds)
            dead.append(Series(f"learning rate {_power(lr)}", x, n_dead.mean(1), "solid", SERIES_COLORS[k],
                               tol=seed_tolerance(n_dead, 1.0 / len(seeds))))
            a = r.accuracy[k].T
            acc.append(Series(f"learning rate {_power(lr)}", x, 100 * a.mean(1), "solid", SERIES_COLORS[k],
                              tol=100 * seed_tolerance(a, 1.0 / (len(seeds) * dataset(name).x_train.shape[0]))))
        return dead, acc

    @cache
    def frame(name, activation, k, f):
        """One network's picture (the first seed), with tolerances from the spread over
        seeds (a chaotic run may end like another seed's on another machine), and the
        statistics over seeds."""
        r = measured(name, activation)
        word = "dead"
        probs = r.probs[k, :, f]                                        # (seeds, classes, g, g)
        field = Field(probs[0], record="summary", tol=single_tolerance(np.moveaxis(probs, 0, -1)))
        units = r.units[k, :, f]                                        # (seeds, 3, H)
        lines = Units(*units[0], r.dead[k, 0, f].astype(float), record="summary",
                      tol=single_tolerance(np.moveaxis(units, 0, -1)))
        n_dead = r.dead[k, :, f].sum(axis=-1).astype(float)
        acc = r.accuracy[k, :, f]
        n_points = dataset(name).x_train.shape[0]
        note = Note("step {0:d}: this network classifies {1:.0%} of the training points and has {2:d} " + word +
                    " first-layer units (mean of " + str(len(seeds)) + " seeds: {3:.0%} and {4:.1f})",
                    (float(r.steps[f]), float(acc[0]), float(n_dead[0]), float(acc.mean()), float(n_dead.mean())),
                    tol=[0.0, max(float(single_tolerance(acc)), 1.0 / n_points),
                         max(float(single_tolerance(n_dead)), 1.0),
                         float(seed_tolerance(acc, 1.0 / (n_points * len(seeds)))),
                         float(seed_tolerance(n_dead, 1.0 / len(seeds)))])
        return [field, points(name), lines, note]

    def compute(data, activation, lr, step):
        r = measured(data, activation)
        k, f = lrs.index(lr), int(np.searchsorted(r.steps, step))
        dead, acc = curves(data, activation)
        cursor = Rule(x=float(step))
        return [frame(data, activation, k, f), [*acc, cursor], [*dead, cursor]]

    name, act, lr = default
    lo, hi = DATASETS[name]
    small = dict(width=310, height=190)
    return Explorer(
        compute,
        [Choice("data", tuple(datasets), name, "data"),
         Choice("activation", tuple(activations), act, "activation"),
         Slider("lr", lrs, lr, "learning rate", labels=tuple(_power(v) for v in lrs)),
         Slider("step", tuple(float(s) for s in range(0, steps + 1, every)), float(steps // every * every),
               "training step", integer=True, play=True)],
        title="Decision boundaries during training",
        description=(f"A classifier with two hidden layers of 16 units trained with full-batch Adam on 2-D data; "
                     f"the plane is coloured by the class it predicts, the points are the training data and "
                     f"the lines are where the first-layer units switch on, dashed for dead units; "
                     f"{len(activations)} activations, two learning rates, {steps} steps."),
        views=[FieldView(title="Predicted class (colour), training points and first-layer units", xlim=(lo, hi),
                         ylim=(lo, hi), alt="Decision regions"),
               Lines(title="Training accuracy (mean of seeds)", xlabel="step", ylabel="%", ylim=(0, 100),
                     alt="Training accuracy over training", **small),
               Lines(title="Dead first-layer units (mean of seeds)", xlabel="step", ylabel="units of 16",
                     ylim=(0, 16), alt="Dead first-layer units over training", **small)],
        meta={"builder": f"{__name__}:boundary_explorer",
              "kwargs": dict(datasets=list(datasets), activations=list(activations), lrs=list(lrs),
                             seeds=list(seeds), steps=steps, every=every, grid=grid, default=list(default),
                             device=str(device))},
        max_bytes=max_bytes)
