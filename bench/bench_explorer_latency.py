"""Update latency of the live (ipywidgets) explorers: figures, not a pass/fail test.

For every registry activation with a slider, moves each slider across its grid
and times the whole Python-side update (recompute with actlib, redraw the SVG,
set the widget's value), as a kernel would on a slider event. Prints median
and 95th percentile in milliseconds; the goal is a median of at most 50 ms.

    .venv/bin/python bench/bench_explorer_latency.py
"""

from __future__ import annotations

import argparse
import os
import platform
import time

import numpy as np

import actlib
from actlib.teaching.explorers import explore


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--sweeps", type=int, default=3, help="passes over each slider's grid")
    args = ap.parse_args()

    print(f"# explorer update latency ({platform.processor() or platform.machine()}, "
          f"{os.cpu_count()} cores)\n")
    print("| explorer | slider | updates | median ms | p95 ms |")
    print("|---|---|---:|---:|---:|")
    everything = []
    for name in actlib.names(kind="elementwise") + ["softmax"]:
        ex = explore(name)
        if not ex.sliders:
            continue
        w = ex.widget()
        for s in ex.sliders:
            times = []
            for _ in range(args.sweeps):
                for v in s.values:
                    ex._cache.clear()  # time a real recomputation, not the memo
                    t0 = time.perf_counter()
                    w.controls[s.name].value = int(v) if s.integer else v
                    times.append(time.perf_counter() - t0)
            ms = np.array(times) * 1e3
            everything.append(ms)
            print(f"| {name} | {s.name} | {ms.size} | {np.median(ms):.2f} | {np.percentile(ms, 95):.2f} |")
    allms = np.concatenate(everything)
    print(f"\nall updates: n={allms.size}, median {np.median(allms):.2f} ms, "
          f"p95 {np.percentile(allms, 95):.2f} ms (goal: median <= 50 ms)")


if __name__ == "__main__":
    main()
