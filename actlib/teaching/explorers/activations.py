"""Explorers of registry activations: a slider per parameter, the function and its
derivative, and a "compare with" choice (``explore("elu")``)."""

from __future__ import annotations

import math
import numbers
from collections.abc import Iterable

import numpy as np

from ..._validate import check_bool, check_param
from ...registry import Activation, get
from ..style import activation_color
from .model import Explorer, Slider
from .views import Lines, Series

__all__ = ["activation_explorer", "explore"]

#: Curves offered in the "compare with" choice by default.
DEFAULT_COMPARE = ("relu", "sigmoid", "tanh", "gelu", "leaky_relu", "elu", "silu")


def _slider_grid(rec: Activation, max_values: int) -> list[Slider]:
    """One slider per parameter with a slider range, at most ``max_values`` values each;
    the step doubles until it fits, and the default is the grid value nearest the
    parameter's default."""
    sliders = []
    for p in rec.params:
        if p.slider is None:
            continue
        start, stop, step = p.slider
        n = int(math.floor((stop - start) / step + 1e-9)) + 1
        while n > max_values:
            step *= 2
            n = int(math.floor((stop - start) / step + 1e-9)) + 1  # never beyond stop
        values = tuple(float(round(start + i * step, 10)) for i in range(n))
        default = values[int(np.argmin(np.abs(np.asarray(values) - p.default)))]
        sliders.append(Slider(p.name, values, default, _plain_symbol(p), p.integer))
    return sliders


def _plain_symbol(p) -> str:
    sym = {r"\alpha": "α", r"\beta": "β", r"\theta": "θ"}.get(p.symbol, p.symbol)
    return f"{p.name} ({sym})" if sym and sym != p.name else p.name


def _check_x(x) -> tuple[float, float]:
    if isinstance(x, (str, bytes)) or not isinstance(x, Iterable):
        raise TypeError(f"x must be a pair (low, high) of finite numbers, got {x!r}")
    x = tuple(x)
    if len(x) != 2:
        raise ValueError(f"x must be a pair (low, high) of finite numbers, got {len(x)} values: {x!r}")
    lo = check_param("x[0]", x[0])
    hi = check_param("x[1]", x[1])
    if not lo < hi:
        raise ValueError(f"x must be a range with low < high, got x=({x[0]!r}, {x[1]!r})")
    return lo, hi


def _check_compare(compare, rec: Activation) -> list[Activation]:
    if compare is None:
        return [get(n) for n in DEFAULT_COMPARE if n != rec.name]
    names = [compare] if isinstance(compare, str) else compare
    if isinstance(names, (bytes, numbers.Number)) or not isinstance(names, Iterable):
        raise TypeError(f"compare must be an activation name or a list of names, got {compare!r}")
    out = []
    for n in names:
        if not isinstance(n, str):
            raise TypeError(f"compare must hold activation names (strings), got {n!r}")
        other = get(n)
        if not other.elementwise:
            raise ValueError(f"compare={n!r}: only elementwise activations can be drawn as a curve "
                             f"beside {rec.name}; {other.name} is {other.kind}")
        out.append(other)
    if not out:
        raise ValueError("compare is empty: give at least one activation name, or None for the defaults")
    return out


def activation_explorer(name, *, compare=None, x=(-5.0, 5.0), num=161, derivative=True,
                        max_values=None) -> Explorer:
    """An explorer for one registry activation: a slider per parameter, f and f′ together.

    Args:
        name: registry name or alias (elementwise, or of the softmax family).
        compare: a name or list of names for the "compare with" choice (default: a few
            classic activations); ``"none"`` is always the first choice. One name makes it
            the initial choice. Not available for softmax, whose explorer plots
            probabilities of fixed logits, not a curve.
        x: the x range ``(low, high)``, finite, ``low < high``.
        num: points per curve (2 to 10 001).
        derivative: also draw the derivative (dashed).
        max_values: the most values one slider may have (2 or more; default 101 for one
            slider, 9 for several).
    """
    if not isinstance(name, str):
        raise TypeError(f"name must be an activation name such as 'elu', got {name!r}")
    rec = get(name)
    if rec.kind == "vector":
        if compare is not None:
            raise ValueError(f"compare={compare!r} is not available for {rec.name}: its explorer shows "
                             "the probabilities of four fixed logits, not a curve to compare with")
        return _softmax_explorer(rec)
    if not rec.elementwise:
        raise ValueError(f"no explorer for {rec.name} ({rec.kind}): it is not elementwise")
    lo, hi = _check_x(x)
    num = check_param("num", num, 2, 10_001, integer=True)
    derivative = check_bool("derivative", derivative)
    n_sliders = sum(p.slider is not None for p in rec.params)
    if max_values is None:
        max_values = 101 if n_sliders <= 1 else 9
    max_values = check_param("max_values", max_values, 2, math.inf, integer=True)
    others = _check_compare(compare, rec)
    xs = np.linspace(lo, hi, num)
    sliders = _slider_grid(rec, max_values)
    fixed = {p.name: p.default for p in rec.params if p.slider is None}
    color = activation_color(rec)

    def compute(**vals):
        params = {**fixed, **vals}
        out = [Series(f"{rec.name}(x)", xs, rec.fn(xs, **params), "solid", color)]
        if derivative:
            out.append(Series(f"{rec.name}′(x)", xs, rec.derivative(xs, **params), "dashed", color))
        return out

    overlays = {"none": []}
    for other in others:
        c = activation_color(other)
        overlays[other.name] = [Series(f"{other.name}(x)", xs, other.fn(xs), "solid", c)] + (
            [Series(f"{other.name}′(x)", xs, other.derivative(xs), "dotted", c)] if derivative else [])
    params_text = ", ".join(f"{s.label} from {s.fmt(s.values[0])} to {s.fmt(s.values[-1])}"
                            for s in sliders) or "no parameters"
    description = (f"Plot of {rec.title}{' and its derivative' if derivative else ''} for x from "
                   f"{lo:g} to {hi:g}; sliders: {params_text}.")
    ex = Explorer(
        compute, sliders, title=f"{rec.title}: f(x) solid, f′(x) dashed" if derivative else rec.title,
        overlays=overlays, description=description, activation=rec.name, fixed_params=fixed,
        views=[Lines(xlabel="x", ylabel="f(x), f′(x)" if derivative else "f(x)", xlim=(lo, hi),
                     alt=description)],
    )
    if compare is not None and len(others) == 1:
        ex.set(overlay=others[0].name)
    return ex


def _softmax_explorer(rec: Activation) -> Explorer:
    logits = np.array([2.0, 1.0, 0.1, -1.0])
    idx = np.arange(len(logits), dtype=float)
    p = rec.param("temperature")
    start, stop, step = p.slider
    sliders = [Slider.range("temperature", start, stop, step, p.default, label="temperature (T)")]
    color = activation_color(rec)

    def compute(temperature):
        return [Series(f"{rec.name}(z / T)", idx, rec.fn(logits, temperature=temperature), "bars", color)]

    log = rec.name.startswith("log")
    ylim = (-12.0, 0.0) if log else (0.0, 1.0)
    which = "smallest" if rec.name == "softmin" else "largest"
    description = (f"{rec.title} of four fixed logits as the temperature changes: a low temperature "
                   f"concentrates the probability on the {which} logit.")
    return Explorer(compute, sliders, title=f"{rec.title} of logits z = [2, 1, 0.1, −1]",
                    activation=rec.name, fixed_params={"logits": logits.tolist()},
                    description=description,
                    views=[Lines(xlabel="class index",
                                 ylabel="log-probability" if log else "probability",
                                 xlim=(-0.5, 3.5), ylim=ylim, alt=description,
                                 xticks=[[i, str(i)] for i in range(4)])])


def explore(name, **kwargs) -> Explorer:
    """Shortcut for :func:`activation_explorer`: ``explore("elu")`` in a notebook cell."""
    return activation_explorer(name, **kwargs)
