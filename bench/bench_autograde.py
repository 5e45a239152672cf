"""Autograde a class: 30 students x 5 assignments with nbgrader, in parallel.

Goal: 30 students autograded in at most 5 minutes on 2 cores.

The script copies the course directory ``assignments/`` to a temporary folder, runs
``generate_assignment`` for the five assignments, submits them for ``--students``
simulated students (the four of ``tests/classroom.py`` in turn: stubs, mistakes, right
but different, the errstate cheat), and times
``actlib.teaching.checks.grading.autograde_class`` with ``--workers`` processes (by
default with the kernel fork server; ``--no-fork`` starts every kernel as a new
interpreter). It prints the wall time, the CPU time of everything it started (so a busy
machine can be told apart from a slow grader), the time per notebook, and checks every
score against the expected one.

    .venv/bin/python bench/bench_autograde.py                 # 30 students, 2 workers
    .venv/bin/python bench/bench_autograde.py --no-fork       # the same without the fork server
"""

from __future__ import annotations

import argparse
import os
import platform
import resource
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "tests"))

import classroom  # noqa: E402
import nbformat  # noqa: E402

from actlib.teaching.checks.grading import autograde_class  # noqa: E402


def _cpu_children() -> float:
    r = resource.getrusage(resource.RUSAGE_CHILDREN)
    return r.ru_utime + r.ru_stime


def make_course(root: Path, students: int) -> list[str]:
    shutil.copytree(ROOT / "assignments", root, ignore=shutil.ignore_patterns("__pycache__"))
    env = {**os.environ, "PATH": f"{Path(sys.executable).parent}{os.pathsep}{os.environ['PATH']}"}
    subprocess.run([sys.executable, "-m", "actlib.teaching.checks.grading", "generate", str(root)],
                   cwd=root, env=env, check=True, capture_output=True)
    ids = []
    for i in range(students):
        kind = classroom.STUDENTS[i % len(classroom.STUDENTS)]
        student = f"{kind}-{i:02d}"
        ids.append(student)
        for name in classroom.ASSIGNMENTS:
            folder = root / "submitted" / student / name
            folder.mkdir(parents=True)
            nb = classroom.submission(root / "release" / name / f"{name}.ipynb", kind)
            nbformat.write(nb, folder / f"{name}.ipynb")
    return ids


def check_scores(root: Path, students: list[str]) -> int:
    from nbgrader.api import Gradebook

    wrong = 0
    with Gradebook(f"sqlite:///{root / 'gradebook.db'}") as gb:
        for student in students:
            kind = student.rsplit("-", 1)[0]
            for name in classroom.ASSIGNMENTS:
                nb = gb.find_submission_notebook(name, name, student)
                score = sum(g.auto_score or 0 for g in nb.grades if g.cell_type == "code")
                if score != classroom.expected_score(kind, name):
                    wrong += 1
                    print(f"  unexpected score {score} for {student} {name}")
    return wrong


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--students", type=int, default=30)
    parser.add_argument("--workers", type=int, default=2)
    parser.add_argument("--no-fork", action="store_true")
    args = parser.parse_args()

    with tempfile.TemporaryDirectory() as tmp:
        root = Path(tmp) / "course"
        students = make_course(root, args.students)
        load = os.getloadavg()[0]
        cpu0, start = _cpu_children(), time.perf_counter()
        results = autograde_class(root, students=students, workers=args.workers,
                                  fork=not args.no_fork)
        wall = time.perf_counter() - start
        cpu = _cpu_children() - cpu0
        failed = [r for r in results if not r[2]]
        wrong = check_scores(root, students)

    per = {name: [r[3] for r in results if r[0] == name] for name in classroom.ASSIGNMENTS}
    print(f"{len(students)} students x {len(classroom.ASSIGNMENTS)} assignments = "
          f"{len(results)} notebooks, {args.workers} workers, "
          f"{'new interpreter per kernel' if args.no_fork else 'kernels from the fork server'}")
    print(f"machine: {os.cpu_count()} CPUs, {platform.machine()}; load average (1 min) "
          f"{load:.1f} before, {os.getloadavg()[0]:.1f} after")
    print()
    print("| assignment | notebooks | median s | max s |")
    print("|---|---:|---:|---:|")
    for name, times in per.items():
        print(f"| {name} | {len(times)} | {statistics.median(times):.1f} | {max(times):.1f} |")
    print()
    print(f"wall time: {wall:.0f} s ({wall / 60:.1f} min; goal: <= 5 min for 30 students)")
    print(f"CPU time of the workers, fork servers and kernels: {cpu:.0f} s "
          f"({cpu / len(students):.1f} s per student)")
    print(f"failed autogrades: {len(failed)}; scores different from the expected ones: {wrong}")
    return 1 if failed or wrong else 0


if __name__ == "__main__":
    raise SystemExit(main())
