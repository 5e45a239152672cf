"""Run the notebook tests under other numeric code paths of this machine.

torch, MKL and numpy pick their floating-point kernels by CPU at run time, and the
number of threads changes the order of sums, so the last bits of training results
differ between computers. ``make test`` runs every test once on the widest code path;
this script then re-runs the notebook tests (nbval with the tolerant comparison of
``conftest.py``) under the other paths below, and prints, per path, how close the
re-computed measured values came to the saved ones, as a fraction of their tolerance.

    python tests/code_paths.py                 # every path in PATHS, 2 pytest workers
    python tests/code_paths.py avx2 -- -x      # one path; arguments after -- go to pytest

Each path caps what it asks for at what the CPU has (``ATEN_CPU_CAPABILITY=avx512`` on
a CPU without AVX-512 runs AVX2 code), so the script works on any x86-64 machine.
"""

from __future__ import annotations

import argparse
import json
import os
import subprocess
import sys
import tempfile
from collections import defaultdict
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]

#: name -> environment: torch's kernel set, MKL's instruction set, the numpy SIMD targets
#: switched off, and the number of threads.
PATHS: dict[str, dict[str, str]] = {
    "avx2-1thread": {
        "ATEN_CPU_CAPABILITY": "avx2", "MKL_ENABLE_INSTRUCTIONS": "AVX2",
        "NPY_DISABLE_CPU_FEATURES": "X86_V4 AVX512_ICL AVX512_SPR", "OMP_NUM_THREADS": "1",
    },
    "default-2threads": {
        "ATEN_CPU_CAPABILITY": "default", "MKL_ENABLE_INSTRUCTIONS": "SSE4_2",
        "NPY_DISABLE_CPU_FEATURES": "X86_V3 X86_V4 AVX512_ICL AVX512_SPR",
        "OMP_NUM_THREADS": "2",
    },
}
#: The path of the main test run (``make test``): the widest kernels the CPU has.
WIDEST = {"ATEN_CPU_CAPABILITY": "avx512", "MKL_ENABLE_INSTRUCTIONS": "AVX512"}
#: Threads that wait for work sleep instead of spinning: the same numbers, but several
#: test workers sharing two cores no longer slow each other down tenfold.
COMMON = {"OMP_WAIT_POLICY": "PASSIVE"}


def nbval_command(jobs: int, extra: list[str]) -> list[str]:
    """pytest's nbval run over ``book`` (or over the notebooks named in ``extra``)."""
    targets = [] if any(a.endswith(".ipynb") for a in extra) else ["book"]
    return [sys.executable, "-m", "pytest", "-n", str(jobs), "--dist", "loadfile", "--nbval",
            "--nbval-sanitize-with", "tests/sanitize.cfg", "-p", "no:cacheprovider", "-q",
            *targets, *extra]


def summarise(log: Path) -> tuple[int, float, str]:
    """``(count, largest |difference| / tolerance, where)`` over a measured-values log."""
    count, worst, where = 0, 0.0, ""
    if not log.exists():
        return 0, 0.0, ""
    for line in log.read_text(encoding="utf-8").splitlines():
        rec = json.loads(line)
        for j, (t, r, tol) in enumerate(zip(rec["test"] or [], rec["ref"] or [], rec["tols"] or [],
                                            strict=False)):
            if t is None or r is None:
                continue
            count += 1
            ratio = abs(t - r) / tol if tol else (0.0 if t == r else float("inf"))
            if ratio > worst:
                worst, where = ratio, f"{rec['notebook']} cell {rec['cell']} value {j}"
    return count, worst, where


def per_value(logs: dict[str, Path]) -> dict[tuple, dict[str, float]]:
    """(notebook, cell, record, value) -> {path: |difference| / tolerance}."""
    out: dict[tuple, dict[str, float]] = defaultdict(dict)
    for name, log in logs.items():
        if not log.exists():
            continue
        for line in log.read_text(encoding="utf-8").splitlines():
            rec = json.loads(line)
            for j, (t, r, tol) in enumerate(zip(rec["test"] or [], rec["ref"] or [],
                                                rec["tols"] or [], strict=False)):
                if t is None or r is None:
                    continue
                key = (rec["notebook"], rec["cell"], rec["record"], j)
                out[key][name] = (abs(t - r), tol, r)
    return out


def run(paths: list[str], jobs: int, extra: list[str], logdir: Path) -> dict[str, int]:
    codes = {}
    for name in paths:
        log = logdir / f"{name}.jsonl"
        env = {**os.environ, **COMMON, **PATHS[name], "ACTLIB_MEASURED_LOG": str(log)}
        print(f"\n=== notebook tests on code path {name}: "
              + " ".join(f"{k}={v}" for k, v in PATHS[name].items()), flush=True)
        codes[name] = subprocess.run(nbval_command(jobs, extra), cwd=ROOT, env=env).returncode
    return codes


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("paths", nargs="*", default=[],
                        help=f"code paths to run, of {', '.join(PATHS)} (default: all)")
    parser.add_argument("--jobs", type=int, default=2, help="pytest-xdist workers")
    argv = sys.argv[1:] if argv is None else argv
    extra = argv[argv.index("--") + 1:] if "--" in argv else []
    args = parser.parse_args(argv[:argv.index("--")] if "--" in argv else argv)
    paths = args.paths or list(PATHS)
    unknown = [p for p in paths if p not in PATHS]
    if unknown:
        parser.error(f"unknown code path(s) {unknown}; choose from {list(PATHS)}")
    with tempfile.TemporaryDirectory() as tmp:
        logdir = Path(tmp)
        codes = run(paths, args.jobs, extra, logdir)
        print("\n=== measured values re-computed on each code path (tolerance: see "
              "actlib.teaching.stats)")
        for name in paths:
            count, worst, where = summarise(logdir / f"{name}.jsonl")
            verdict = "passed" if codes[name] == 0 else f"FAILED (pytest exit code {codes[name]})"
            print(f"{name:>18}: {verdict}; {count} values, largest difference "
                  f"{worst:.2f} of its tolerance" + (f" ({where})" if where else ""))
    return 0 if all(c == 0 for c in codes.values()) else 1


if __name__ == "__main__":
    sys.exit(main())
