"""Wall time of every book notebook, run top to bottom in a fresh kernel: figures, not a test.

The budget is 30 s per notebook on the 2-core CPU machine. Outputs are not saved. The
kernel's CPU time (user + system, all its threads) is printed too: on a machine that
other work slows down, it changes far less than the wall time.

    .venv/bin/python bench/bench_notebooks.py [book/some.ipynb ...]
"""

from __future__ import annotations

import os
import resource
import sys
import time
from pathlib import Path

import nbformat
from nbclient import NotebookClient

ROOT = Path(__file__).resolve().parents[1]


def main(argv: list[str]) -> None:
    paths = [Path(a).resolve() for a in argv] or sorted((ROOT / "book").rglob("*.ipynb"))
    paths = [p for p in paths if ".ipynb_checkpoints" not in p.parts]
    print(f"# notebook run times ({os.cpu_count()} cores; budget 30 s each)\n")
    print("| notebook | code cells | seconds | kernel CPU s |")
    print("|---|---:|---:|---:|")
    total = 0.0
    for path in paths:
        nb = nbformat.read(path, as_version=4)
        client = NotebookClient(nb, timeout=600, kernel_name="python3",
                                resources={"metadata": {"path": str(path.parent)}})
        before = resource.getrusage(resource.RUSAGE_CHILDREN)
        t0 = time.perf_counter()
        client.execute()          # shuts the kernel down and waits for it
        dt = time.perf_counter() - t0
        after = resource.getrusage(resource.RUSAGE_CHILDREN)
        cpu = (after.ru_utime - before.ru_utime) + (after.ru_stime - before.ru_stime)
        total += dt
        n = sum(c.cell_type == "code" for c in nb.cells)
        print(f"| {path.relative_to(ROOT)} | {n} | {dt:.1f} | {cpu:.1f} |", flush=True)
    print(f"\ntotal: {total:.1f} s")


if __name__ == "__main__":
    main(sys.argv[1:])
