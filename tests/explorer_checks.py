"""Recomputing what an explorer of the book draws.

An explorer made by one of actlib's builders (the network inspector, the SELU lab, the
decision boundaries) names the builder and its arguments in its ``meta``. A test builds
the same explorer again, computes a state with actlib on this machine, and compares
every number the page decoded and drew for that state with it: within the item's
tolerance (how far the number may move on another machine) plus the page's quantisation.
"""

from __future__ import annotations

import importlib

import numpy as np

from actlib.teaching.explorers import pack


def rebuild(meta):
    """The explorer named by ``meta`` (``None`` if it names no builder)."""
    if "builder" not in meta:
        return None
    module, name = meta["builder"].split(":")
    kwargs = dict(meta["kwargs"])
    if "device" in kwargs:
        kwargs["device"] = "cpu"      # a page made on a GPU is recomputed on the CPU
    return getattr(importlib.import_module(module), name)(**kwargs)


def _close(got, want, tol, enc, what):
    got = np.asarray(got, dtype=float).ravel()
    want = np.asarray(want, dtype=float).ravel()
    assert got.shape == want.shape, f"{what}: {got.size} values drawn, {want.size} recomputed"
    finite = np.isfinite(want)
    assert np.array_equal(np.isfinite(got), finite), f"{what}: NaN in different places"
    allowed = pack.quantum(want, enc) * (want if enc == "l16" else 1.0)
    allowed = np.abs(np.broadcast_to(allowed, want.shape))
    if tol is not None:
        allowed = allowed + np.broadcast_to(np.asarray(tol, dtype=float), want.shape).ravel()
    allowed = allowed + 4e-7 * np.abs(want) + 1e-12        # float32 on the page
    bad = np.abs(got - want)[finite] > allowed[finite]
    assert not bad.any(), (f"{what}: {bad.sum()} values differ beyond tolerance, e.g. drawn "
                           f"{got[finite][bad][:3]} recomputed {want[finite][bad][:3]}")


def compare(frame, items, explorer):
    """Every item of every view: what the page drew (``frame``, decoded by explorer.js)
    against ``items`` (``explorer.frame_items`` recomputed here)."""
    assert len(frame["views"]) == len(items)
    for k, (drawn, want) in enumerate(zip(frame["views"], items, strict=True)):
        assert [d["kind"] for d in drawn] == [w.kind for w in want], f"view {k}: different items"
        for j, (d, w) in enumerate(zip(drawn, want, strict=True)):
            what = f"view {k} item {j} ({w.kind})"
            if w.kind == "series":
                assert d["label"] == w.label
                _close(d["y"], w.y, w.tol, w.enc, what)
            elif w.kind == "hist":
                _close(d["counts"], w.counts, w.tol, w.enc, what)
                if w.note is not None:
                    _close(d["note"]["values"], w.note.values, w.note.tol, "f4", what + " note")
            elif w.kind == "grid":
                tol = None if w.record is False else w.tol
                if w.enc == "b1" and w.record is False:
                    # one network's map from float64 (or exact) values: the same bits
                    assert np.array_equal(np.asarray(d["values"]["data"]), np.asarray(w.values, float).ravel()), what
                else:
                    _close(d["values"]["data"], w.values, tol, w.enc, what)
            elif w.kind == "note" and len(w.values):
                _close(d["values"], w.values, w.tol, "f4", what)
            elif w.kind == "field":
                p = np.asarray(w.probs, float)
                if p.shape[0] == 1:
                    _close(d["values"]["data"], p[0], w.tol, "q8", what)
                else:
                    codes = np.asarray(d["codes"]["data"]).reshape(p.shape[1:])
                    cls = np.floor(codes / d["levels"])
                    # a point whose two likeliest classes are within the tolerance may flip
                    top2 = np.sort(p, axis=0)[-2:]
                    tol = 0.0 if w.tol is None else np.max(w.tol)
                    sure = (top2[1] - top2[0]) > 2 * tol + 1e-9
                    assert np.array_equal(cls[sure], p.argmax(0)[sure]), what
            elif w.kind == "units":
                tol = None if w.tol is None else np.asarray(w.tol)
                for n, key in enumerate("abc"):
                    _close(d[key], getattr(w, key), None if tol is None else tol[n], "f4", f"{what} {key}")
            elif w.kind == "rule":
                want_v = w.x if w.x is not None else w.y
                assert abs(d["x" if w.x is not None else "y"][0] - want_v) <= 1e-6 * max(1, abs(want_v)), what
