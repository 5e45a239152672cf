"""What ``explorer.js`` draws for an :class:`~.model.Explorer`, and what tests re-check.

* :func:`spec`: the fixed part (controls, views, texts), the same for every state;
* :func:`frames`: every state's items, packed for the static page (:mod:`.page`);
* :func:`wire_frame`: the current state's items, for the live widget (:mod:`.widget`);
* :func:`measured_record`: every measured value once, with its tolerance, for the
  notebook tests.
"""

from __future__ import annotations

import hashlib
import json
import math

import numpy as np

from . import pack

__all__ = ["spec", "element_id", "frames", "wire_frame", "measured_record"]


def spec(explorer, uid: str | None = None) -> dict:
    """The fixed part of what the page draws: controls, views, texts."""
    explorer.fit()
    meta = dict(explorer.meta)
    if explorer.activation:
        meta.update(activation=explorer.activation, fixed_params=explorer.fixed_params)
    return {"id": uid or element_id(explorer), "title": explorer.title, "description": explorer.description,
            "controls": [c.spec() for c in explorer.controls], "views": [v.spec() for v in explorer.views],
            "meta": meta}


def element_id(explorer) -> str:
    """An element id from what the explorer is (title, controls, views), not its data."""
    ident = json.dumps([explorer.title, explorer.description, [c.spec() for c in explorer.controls],
                        [type(v).__name__ + v.title for v in explorer.views]], sort_keys=True)
    return "actlib-x" + hashlib.sha1(ident.encode()).hexdigest()[:10]



def _skeleton(items):
    return lambda f: {"views": [[it.skeleton(f) for it in view] for view in items]}


def frames(explorer) -> pack.FramePacker:
    """Every state's frame, packed for the static page."""
    explorer.fit()
    packer = pack.FramePacker()
    for values, overlay in explorer.grid():
        packer.add(_skeleton(explorer.frame_items(values, overlay)))
    return packer


def wire_frame(explorer) -> dict:
    """The current state's frame, for the live widget."""
    explorer.fit()
    return pack.wire_frame(_skeleton(explorer.frame_items()))


def measured_record(explorer) -> dict | None:
    """Every value of every state once (with its tolerance) when any item carries a
    tolerance, so notebook tests compare the data within it; ``None`` otherwise.

    Arrays are taken once per object (``compute`` results are memoised, so an array
    shared between states is recorded once), in the order of the grid."""
    seen, alive, arrays = set(), [], []
    for values, overlay in explorer.grid():
        for items in explorer.frame_items(values, overlay):
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


def _rounded(value: float, tol: float):
    """``value`` with as many decimals as its tolerance needs (1 % of it), for a compact
    record; ``None`` for a value that is not finite (JSON has no NaN)."""
    if not math.isfinite(value):
        return None
    if not tol > 0:
        return float(value)
    decimals = max(0, -math.floor(math.log10(tol / 100)))
    return float(f"{value:.{min(decimals, 17)}f}") if abs(value) < 1e15 else float(f"{value:.9g}")
