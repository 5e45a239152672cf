r"""Assignment 5, *Choose an activation, and defend the choice*.

``results[activation][seed]`` holds a *validation* accuracy (the test split is touched
once, for the chosen activation, after the choice). A choice is supported when no other
candidate beats it significantly: a one-sided paired t-test over the shared seeds
(:class:`actlib.teaching.stats.Paired`, level :data:`ALPHA`). NaN accuracies (runs that
diverged) are named, never averaged.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping

import numpy as np

from ...registry import names
from ..stats import Paired
from ._core import as_array, check, fail, knock_on
from .hints import READ_MORE

__all__ = ["ALPHA", "check_experiment", "check_choice"]

#: Significance level of the paired test behind "another activation is better".
ALPHA = 0.05
_MORE = READ_MORE["experiment"]


def _accuracies(results, name: str, key: str) -> tuple[list, np.ndarray]:
    __tracebackhide__ = True
    runs = results[name]
    if not isinstance(runs, Mapping):
        fail(f"results[{name!r}] must be a dict {{seed: accuracy}}, got {type(runs).__name__}.",
             key, _MORE)
    seeds, values = list(runs), []
    for s in seeds:
        a = as_array(runs[s], f"results[{name!r}][{s!r}]", key, _MORE)
        if a.size != 1:
            fail(f"results[{name!r}][{s!r}] must be one accuracy, got shape {a.shape}.", key, _MORE)
        values.append(float(a.ravel()[0]))
    values = np.array(values)
    return seeds, values


def _no_nan(results, key: str) -> None:
    __tracebackhide__ = True
    for name in results:
        seeds, values = _accuracies(results, name, key)
        if np.isnan(values).any():
            bad = [s for s, v in zip(seeds, values, strict=True) if np.isnan(v)]
            fail(f"results[{name!r}] is nan for seed(s) {bad}: those runs diverged (their loss "
                 "stopped being finite), and a mean with a NaN in it is NaN, which no comparison "
                 "can rank. Report the divergence in task 3 and leave that activation out of "
                 "the comparison, or lower its learning rate for every candidate alike.",
                 key, _MORE)


@check
def check_experiment(results: Mapping, train_fn: Callable, *, min_candidates: int = 4,
                     min_seeds: int = 5):
    """``results[name][seed] = validation accuracy``: enough candidates and seeds, the same
    seeds for every candidate, no NaN, and reproducible by ``train_fn(name, seeds)``."""
    __tracebackhide__ = True
    key = "experiment"
    if not isinstance(results, Mapping) or len(results) < min_candidates:
        got = len(results) if isinstance(results, Mapping) else type(results).__name__
        fail(f"results must be a dict with at least {min_candidates} activations, "
             f"results[name][seed] = validation accuracy; got {got}.", key, _MORE)
    known = set(names())
    seed_sets = {}
    for name in results:
        if name not in known:
            fail(f"{name!r} is not an activation in actlib's registry (actlib.names()).", key, _MORE)
        seeds, values = _accuracies(results, name, key)
        if len(seeds) < min_seeds:
            fail(f"results[{name!r}] has {len(seeds)} seed(s); use at least {min_seeds}. The spread "
                 "between seeds can exceed the difference between activations, so one run (or "
                 "two) proves nothing.", key, _MORE)
        finite = values[np.isfinite(values)]
        if ((finite < 0) | (finite > 1)).any():
            fail(f"results[{name!r}] holds {finite[(finite < 0) | (finite > 1)][0]:g}, which is "
                 "not an accuracy in [0, 1].", key, _MORE)
        seed_sets[name] = seeds
    first = next(iter(seed_sets))
    for name, seeds in seed_sets.items():
        if sorted(seeds) != sorted(seed_sets[first]):
            fail(f"results[{name!r}] uses seeds {sorted(seeds)} but results[{first!r}] uses "
                 f"{sorted(seed_sets[first])}: give every candidate the same seeds, so each seed "
                 "compares the activations from the same initial weights and data order (a "
                 "paired comparison).", key, _MORE)
    _no_nan(results, key)
    seeds, values = _accuracies(results, first, key)
    again = train_fn(first, seeds)
    if isinstance(again, Mapping):
        again = np.array([float(as_array(again.get(s, np.nan), "accuracy", key, _MORE).ravel()[0])
                          for s in seeds])
    else:
        again = as_array(again, "accuracy", key, _MORE).ravel()
    if again.shape != values.shape or not np.allclose(again, values, atol=1e-9, equal_nan=True):
        fail(f"train_and_evaluate({first!r}, {seeds}) gives other accuracies now than those in "
             "your results: the experiment is not reproducible. Store what train_and_evaluate "
             "returns, unchanged, for exactly these seeds.", key, _MORE)
    return key, (f"experiment: {len(results)} activations x {len(seeds)} shared seeds, "
                 "reproducible.")


@check
def check_choice(choice: str, results: Mapping):
    """No candidate beats ``choice`` significantly (one-sided paired t-test over the seeds)."""
    __tracebackhide__ = True
    key = "choice"
    note = knock_on(None, [("experiment", "results")])
    if not isinstance(results, Mapping) or not results:
        fail("results is empty: run the experiment of task 1 first." + note, key, _MORE)
    if not isinstance(choice, str) or choice not in results:
        fail(f"CHOICE = {choice!r} is not one of the activations you tested "
             f"({', '.join(map(str, results))}): choose from your own experiment." + note,
             key, _MORE)
    _no_nan(results, key)
    table = {name: dict(zip(*_accuracies(results, name, key), strict=True)) for name in results}
    means = {name: float(np.mean(list(v.values()))) for name, v in table.items()}
    best = max(means, key=means.get)
    if best == choice:
        return key, f"choice: {choice} has the best mean validation accuracy."
    seeds = [s for s in table[choice] if s in table[best]]
    test = Paired([table[best][s] for s in seeds], [table[choice][s] for s in seeds])
    if test.n < 2:
        fail(f"{choice} and {best} share fewer than two seeds, so they cannot be compared: run "
             "both on the same seeds." + note, key, _MORE)
    if test.greater(alpha=ALPHA):
        lo, hi = test.diff.ci()
        fail(f"your experiment says {best} is better than {choice}: its validation accuracy is "
             f"higher by {test.diff.mean:.3f} on average (95 % interval {lo:.3f} to {hi:.3f}; "
             f"better on {test.wins} of {test.n} seeds; one-sided paired t-test p = "
             f"{test.p('greater'):.2g} < {ALPHA}). Choose what your data supports, or run more "
             "seeds if you think the difference is noise." + note, key, _MORE)
    return key, (f"choice: {choice} is not significantly behind the best mean ({best}); "
                 f"paired t-test over {test.n} seeds at level {ALPHA}.")
