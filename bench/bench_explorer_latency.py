"""Update latency of the live explorers (the kernel side): figures, not a pass/fail test.

For every registry activation with a slider, moves each slider across its grid as the
page does (it sets the widget's ``state``) and times the whole kernel-side update:
recompute with actlib (the memo cleared first), pack the new frame, set it on the
widget. Prints median and 95th percentile in milliseconds; the goal is a median of at
most 50 ms. The drawing itself happens in the browser: see
``bench_explorer_redraw.py``.

    .venv/bin/python bench/bench_explorer_latency.py
"""

from __future__ import annotations

import argparse
import os
import platform
import time

import numpy as np

import actlib
from actlib.teaching.explorers import Slider, explore


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--sweeps", type=int, default=3, help="passes over each slider's grid")
    args = ap.parse_args()

    print(f"# explorer update latency, kernel side ({platform.processor() or platform.machine()}, "
          f"{os.cpu_count()} cores)\n")
    print("| explorer | slider | updates | median ms | p95 ms |")
    print("|---|---|---:|---:|---:|")
    everything = []
    for name in actlib.names(kind="elementwise") + ["softmax"]:
        ex = explore(name)
        if not ex.sliders:
            continue
        w = ex.widget()
        for i, s in enumerate(ex.sliders):
            if not isinstance(s, Slider):
                continue
            times = []
            for _ in range(args.sweeps):
                for k in range(len(s.values)):
                    ex._memo.clear()  # time a real recomputation, not the memo
                    state = list(w.state)
                    state[i] = (k + 1) % len(s.values) if state[i] == k else k
                    t0 = time.perf_counter()
                    w.state = state
                    times.append(time.perf_counter() - t0)
            ms = np.array(times) * 1e3
            everything.append(ms)
            print(f"| {name} | {s.name} | {ms.size} | {np.median(ms):.2f} | {np.percentile(ms, 95):.2f} |")
    allms = np.concatenate(everything)
    print(f"\nall updates: n={allms.size}, median {np.median(allms):.2f} ms, "
          f"p95 {np.percentile(allms, 95):.2f} ms (goal: median <= 50 ms)")


if __name__ == "__main__":
    main()
