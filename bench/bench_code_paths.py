"""Largest cross-path difference of every measured number in the book: figures, not a test.

Runs the notebook tests on the widest code path of this machine and on each path of
``tests/code_paths.py`` (other torch/MKL/numpy kernels, one and two threads), and prints,
for every measured output of every notebook (a glued number, a table, an explorer's
data), the largest difference from the saved value over all paths, and that difference
as a fraction of the output's tolerance. A fraction near 1 means the tolerance is
barely enough; the notebook tests fail above 1.

    .venv/bin/python bench/bench_code_paths.py [book/some.ipynb ...]
"""

from __future__ import annotations

import os
import subprocess
import sys
import tempfile
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "tests"))

from code_paths import COMMON, PATHS, WIDEST, nbval_command, per_value  # noqa: E402


def main(argv: list[str]) -> None:
    notebooks = argv or ["book"]
    paths = {"widest": WIDEST, **PATHS}
    with tempfile.TemporaryDirectory() as tmp:
        logs = {}
        for name, env_path in paths.items():
            logs[name] = Path(tmp) / f"{name}.jsonl"
            env = {**os.environ, **COMMON, **env_path, "ACTLIB_MEASURED_LOG": str(logs[name])}
            cmd = nbval_command(2, notebooks)
            code = subprocess.run(cmd, cwd=ROOT, env=env, capture_output=True).returncode
            print(f"{name}: pytest exit code {code}", file=sys.stderr)
        values = per_value(logs)
    records: dict[tuple, list] = {}
    for (nb, cell, rec, _), by_path in values.items():
        records.setdefault((nb, cell, rec), []).append(by_path)
    print("| notebook | cell | output | values | largest difference | of tolerance | path |")
    print("|---|---:|---:|---:|---:|---:|---|")
    worst_all = 0.0
    for (nb, cell, rec), items in sorted(records.items()):
        diff, frac, where = 0.0, 0.0, ""
        for by_path in items:
            for name, (d, tol, _) in by_path.items():
                f = d / tol if tol else (0.0 if d == 0 else float("inf"))
                if f > frac or (f == frac and d > diff):
                    diff, frac, where = d, f, name
        worst_all = max(worst_all, frac)
        print(f"| {nb} | {cell} | {rec} | {len(items)} | {diff:.3g} | {frac:.2f} | {where} |")
    print(f"\nlargest difference over all measured outputs: {worst_all:.2f} of the tolerance")


if __name__ == "__main__":
    main(sys.argv[1:])
