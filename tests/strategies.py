"""Hypothesis strategies for an activation's parameters, drawn over their whole valid range."""

from __future__ import annotations

import math

from hypothesis import assume
from hypothesis import strategies as st


def param_strategy(p):
    """Values of one parameter: its default and slider ends, and floats across the whole range."""
    if p.integer:
        return st.integers(min_value=int(max(p.low, -100)), max_value=int(min(p.high, 100)))
    lo, hi = p.low, p.high
    floats = st.floats(min_value=None if lo == -math.inf else lo, max_value=None if hi == math.inf else hi,
                       exclude_min=p.low_open and lo > -math.inf, exclude_max=p.high_open and hi < math.inf,
                       allow_nan=False, allow_infinity=p.allow_inf, allow_subnormal=True)
    specials = [v for v in (p.default, *(p.slider or ())[:2], 1.0, 0.5, 2.0, 0.3, 1.7, 7.3, -0.3, -2.5)
                if v is not None]
    specials = [v for v in specials if _valid(p, v)]
    values = st.one_of(st.sampled_from(specials), floats) if specials else floats
    return st.one_of(st.none(), values) if p.allow_none else values


def _valid(p, value) -> bool:
    try:
        p.validate(value)
    except (TypeError, ValueError):
        return False
    return True


def draw_params(data, rec) -> dict:
    params = {p.name: data.draw(param_strategy(p), label=p.name) for p in rec.params}
    try:
        return rec.check_params(params)
    except ValueError:
        assume(False)  # a constraint between parameters (RReLU's lower <= upper)
