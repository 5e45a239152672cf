"""Wall time of every book notebook, run top to bottom in a fresh kernel: figures, not a test.

The budget is 30 s per notebook on the 2-core CPU machine. Outputs are not saved.

    .venv/bin/python bench/bench_notebooks.py [book/some.ipynb ...]
"""

from __future__ import annotations

import os
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
    print("| notebook | code cells | seconds |")
    print("|---|---:|---:|")
    total = 0.0
    for path in paths:
        nb = nbformat.read(path, as_version=4)
        client = NotebookClient(nb, timeout=600, kernel_name="python3",
                                resources={"metadata": {"path": str(path.parent)}})
        t0 = time.perf_counter()
        client.execute()
        dt = time.perf_counter() - t0
        total += dt
        n = sum(c.cell_type == "code" for c in nb.cells)
        print(f"| {path.relative_to(ROOT)} | {n} | {dt:.1f} |", flush=True)
    print(f"\ntotal: {total:.1f} s")


if __name__ == "__main__":
    main(sys.argv[1:])
