r"""nbgrader glue: feedback that leaks nothing, and autograding a class in parallel.

* :class:`FeedbackPreprocessor`, for ``nbgrader generate_feedback`` (the course's
  ``nbgrader_config.py`` adds it): hidden-test regions are removed from the cells' source,
  error outputs keep only the student's own frames (no file of actlib or any library, no
  absolute path), long lines are wrapped, and MyST-only Markdown becomes plain Markdown,
  which nbconvert renders.
* :func:`autograde_class`: ``nbgrader autograde`` for many (assignment, student) pairs in
  a pool of worker processes, each loading nbgrader once and forking its kernels from a
  process that has imported the heavy modules already
  (:mod:`~actlib.teaching.checks.forkserver`).

``python -m actlib.teaching.checks.grading generate|autograde|feedback COURSE`` runs
``generate_assignment``, the parallel autograder, and ``generate_feedback`` for every
assignment of a course.
  ``python -m actlib.teaching.checks.grading autograde COURSE`` runs it.
"""

from __future__ import annotations

import os
import re
import textwrap
import time
from collections.abc import Iterable, Sequence
from pathlib import Path

from nbconvert.preprocessors import Preprocessor
from traitlets import Bool

__all__ = ["HIDDEN_BEGIN", "HIDDEN_END", "strip_hidden_tests", "clean_traceback",
           "myst_to_markdown", "FeedbackPreprocessor", "course_api", "autograde_class"]

HIDDEN_BEGIN = "### BEGIN HIDDEN TESTS"
HIDDEN_END = "### END HIDDEN TESTS"
#: Lines of feedback are wrapped to this many characters.
FEEDBACK_WIDTH = 96

_ANSI = re.compile(r"\x1b\[[0-9;]*[A-Za-z]")
#: An absolute path (POSIX or Windows) up to its last component.
_PATH = re.compile(r"(?:(?<=\s)|(?<=^)|(?<=[\"'(]))(?:[A-Za-z]:)?(?:[/\\][\w.+@~-]+)+[/\\](?=[\w.+@-]+)")


def strip_hidden_tests(source: str) -> str:
    """``source`` without its hidden-test regions (markers included)."""
    out, hidden = [], False
    for line in source.splitlines():
        if line.strip().startswith(HIDDEN_BEGIN):
            hidden = True
            continue
        if line.strip().startswith(HIDDEN_END):
            hidden = False
            continue
        if not hidden:
            out.append(line)
    return "\n".join(out).rstrip("\n")


def _wrap_lines(text: str, width: int = FEEDBACK_WIDTH) -> str:
    lines = []
    for line in text.split("\n"):
        if len(line) <= width:
            lines.append(line)
        else:
            indent = len(line) - len(line.lstrip())
            lines.extend(textwrap.wrap(line, width, subsequent_indent=" " * (indent + 2),
                                       break_long_words=True, break_on_hyphens=False) or [""])
    return "\n".join(lines)


def clean_traceback(lines: Sequence[str]) -> list[str]:
    """An error output's traceback with only the student's own frames, wrapped, no paths.

    IPython's traceback is a list of blocks: a header, one block per frame (``Cell
    In[3], line 5`` for notebook code, ``File /path/module.py:12, in f`` for a library)
    and the exception line. Library frames are replaced by one line saying they were
    left out; absolute paths anywhere are cut to their last component.
    """
    blocks = [_ANSI.sub("", str(b)) for b in lines]
    kept, skipped = [], 0
    for block in blocks:
        first = block.lstrip().splitlines()[0] if block.strip() else ""
        if first.startswith("File ") or re.match(r"^\S+\.py:\d+", first):
            skipped += 1
            continue
        if skipped:
            kept.append(f"(… {skipped} frame{'s' if skipped > 1 else ''} inside libraries left "
                        "out …)")
            skipped = 0
        kept.append(block)
    if skipped:
        kept.append(f"(… {skipped} frame{'s' if skipped > 1 else ''} inside libraries left out …)")
    return [_wrap_lines(_PATH.sub("", block)) for block in kept]


_LABEL = re.compile(r"(?m)^\([\w.:-]+\)=[ \t]*\n?")
_ROLE = re.compile(r"\{(\w[\w:-]*)\}`([^`]*)`")
_FENCE = re.compile(r"(?ms)^(?P<fence>`{3,}|:{3,})\{(?P<name>[\w-]+)\}[ \t]*(?P<arg>[^\n]*)\n"
                    r"(?P<body>.*?)^(?P=fence)[ \t]*$")


def _role(match: re.Match) -> str:
    name, text = match.group(1), match.group(2)
    target = re.match(r"^(.*?)\s*<[^>]*>$", text)
    text = target.group(1) if target else text
    if name in ("math",):
        return f"${text}$"
    if name in ("cite", "cite:p", "cite:t"):
        return f"[{text}]"
    return f"`{text}`" if name in ("code", "file", "kbd") else text


def _directive(match: re.Match) -> str:
    name, arg, body = match.group("name"), match.group("arg").strip(), match.group("body")
    body = "\n".join(line for line in body.splitlines() if not re.match(r"^:[\w-]+:", line))
    if name == "math":
        return f"$$\n{body.strip()}\n$$"
    if name in ("code-block", "code"):
        return f"```{arg}\n{body.rstrip()}\n```"
    title = arg or name.capitalize()
    quoted = "\n".join("> " + line if line.strip() else ">" for line in body.strip().splitlines())
    return f"> **{title}**\n>\n{quoted}"


def myst_to_markdown(text: str) -> str:
    """MyST-only syntax (labels, roles, directives) as plain Markdown, for nbconvert."""
    text = _LABEL.sub("", text)
    for _ in range(3):   # nested directives, innermost last
        text, n = _FENCE.subn(_directive, text)
        if not n:
            break
    return _ROLE.sub(_role, text)


FEEDBACK_CSS = """
div.output_subarea pre, div.output_area pre, div.output_text pre, div.input_area pre {
  white-space: pre-wrap; overflow-wrap: anywhere; word-break: normal;
}
"""


class FeedbackPreprocessor(Preprocessor):
    """For ``nbgrader generate_feedback``: no hidden-test source, no library frames or
    machine paths, wrapped lines, MyST as plain Markdown."""

    enabled = Bool(True).tag(config=True)

    def preprocess(self, nb, resources):
        for cell in nb.cells:
            if cell.cell_type == "markdown":
                cell.source = myst_to_markdown(cell.source)
                continue
            if cell.cell_type != "code":
                continue
            if HIDDEN_BEGIN in cell.source:
                cell.source = strip_hidden_tests(cell.source) or "# (hidden test)"
            for out in cell.get("outputs", []):
                if out.get("output_type") == "error":
                    out["traceback"] = clean_traceback(out.get("traceback", []))
                    out["evalue"] = _PATH.sub("", str(out.get("evalue", "")))
                elif out.get("output_type") == "stream":
                    out["text"] = _wrap_lines(_PATH.sub("", "".join(out.get("text", ""))))
        inlining = resources.setdefault("inlining", {})
        inlining["css"] = [*inlining.get("css", []), FEEDBACK_CSS]
        return nb, resources


# ---------------------------------------------------------------------------------------
# Autograding a class in parallel
# ---------------------------------------------------------------------------------------

_API = None


def course_api(course: str | os.PathLike, fork: bool = False):
    """An ``nbgrader.apps.NbGraderAPI`` for ``course``, configured by its ``nbgrader_config.py``
    (loading it puts the course's ``hidden_tests`` on the kernels' ``PYTHONPATH``)."""
    from nbgrader.apps import NbGraderAPI
    from traitlets.config import Config
    from traitlets.config.loader import PyFileConfigLoader

    course = str(Path(course).resolve())
    config = Config()
    config.merge(PyFileConfigLoader("nbgrader_config.py", path=course).load_config())
    config.CourseDirectory.root = course
    if fork:
        from multiprocessing.util import Finalize

        from .forkserver import ForkKernelManager, stop_server

        config.Execute.kernel_manager_class = ForkKernelManager
        Finalize(None, stop_server, exitpriority=10)
    return NbGraderAPI(config=config)


def _init_worker(course: str, threads: int, fork: bool) -> None:
    global _API
    os.chdir(course)
    # one thread per kernel: the workers already keep every core busy, and more threads
    # than cores make OpenMP spin instead of compute
    for var in ("OMP_NUM_THREADS", "MKL_NUM_THREADS", "OPENBLAS_NUM_THREADS"):
        os.environ.setdefault(var, str(threads))
    _API = course_api(course, fork)


def _autograde_one(task: tuple[str, str]) -> tuple[str, str, bool, float, str]:
    assignment, student = task
    start = time.perf_counter()
    result = _API.autograde(assignment, student, force=True, create=True)
    return (assignment, student, bool(result.get("success")), time.perf_counter() - start,
            result.get("error") or "")


def _enable_wal(db: Path) -> None:
    """Let several processes write the gradebook at once (SQLite's write-ahead log)."""
    import sqlite3

    with sqlite3.connect(db) as connection:
        connection.execute("PRAGMA journal_mode=WAL")


def autograde_class(course: str | os.PathLike, assignments: Iterable[str] | None = None,
                    students: Iterable[str] | None = None, workers: int | None = None,
                    fork: bool = True) -> list[tuple[str, str, bool, float, str]]:
    """``nbgrader autograde`` every submission of ``course`` in ``workers`` processes.

    Args:
        course: the course directory (with ``nbgrader_config.py`` and ``gradebook.db``,
            after ``generate_assignment``).
        assignments: the assignment ids (default: every folder under ``submitted/*/``).
        students: the student ids (default: every folder under ``submitted/``).
        workers: processes (default: the number of CPUs). Each kernel gets
            ``cpus // workers`` threads (``OMP_NUM_THREADS`` and friends, unless set).
        fork: start the kernels from a fork server that has imported numpy, scipy,
            PyTorch, scikit-learn and actlib once per worker
            (:mod:`~actlib.teaching.checks.forkserver`), instead of a new interpreter
            per notebook, which spends seconds on those imports every time.

    Returns:
        ``(assignment, student, success, seconds, error)`` per submission, slowest first
        scheduled.
    """
    from concurrent.futures import ProcessPoolExecutor

    course = Path(course).resolve()
    submitted = course / "submitted"
    students = sorted(students) if students is not None else sorted(
        p.name for p in submitted.iterdir() if p.is_dir())
    tasks = [(a.name, s) for s in students for a in sorted((submitted / s).iterdir())
             if a.is_dir() and (assignments is None or a.name in set(assignments))]
    if (course / "gradebook.db").exists():
        _enable_wal(course / "gradebook.db")
    workers = workers or os.cpu_count() or 1
    threads = max(1, (os.cpu_count() or 1) // workers)
    with ProcessPoolExecutor(max_workers=workers, initializer=_init_worker,
                             initargs=(str(course), threads, fork)) as pool:
        return list(pool.map(_autograde_one, tasks, chunksize=1))


def _each(api, method: str, assignments: Sequence[str]) -> int:
    failed = 0
    for assignment in assignments:
        result = getattr(api, method)(assignment)
        if not result.get("success"):
            failed += 1
            print(f"FAILED {method} {assignment}:\n{result.get('error') or result.get('log')}")
    return failed


def _main(argv: Sequence[str] | None = None) -> int:
    import argparse

    parser = argparse.ArgumentParser(prog="python -m actlib.teaching.checks.grading",
                                     description=__doc__.split("\n\n")[0])
    sub = parser.add_subparsers(dest="command", required=True)
    for name, text in (("generate", "generate_assignment for every assignment in source/"),
                       ("feedback", "generate_feedback for every assignment in source/")):
        command = sub.add_parser(name, help=text)
        command.add_argument("course", help="the course directory")
    grade = sub.add_parser("autograde", help="autograde every submission in parallel")
    grade.add_argument("course", help="the course directory")
    grade.add_argument("--assignment", action="append", help="only these assignments")
    grade.add_argument("--student", action="append", help="only these students")
    grade.add_argument("--workers", type=int, default=None, help="processes (default: CPUs)")
    grade.add_argument("--no-fork", action="store_true",
                       help="start every kernel as a new interpreter (no fork server)")
    args = parser.parse_args(argv)
    start = time.perf_counter()
    if args.command in ("generate", "feedback"):
        assignments = sorted(p.name for p in (Path(args.course) / "source").iterdir() if p.is_dir())
        api = course_api(args.course)
        failed = _each(api, "generate_assignment" if args.command == "generate"
                       else "generate_feedback", assignments)
        print(f"{args.command}: {len(assignments)} assignments in "
              f"{time.perf_counter() - start:.1f} s ({failed} failed)")
        return 1 if failed else 0
    results = autograde_class(args.course, args.assignment, args.student, args.workers,
                              fork=not args.no_fork)
    failed = [r for r in results if not r[2]]
    for assignment, student, _, _, error in failed:
        print(f"FAILED {assignment} {student}:\n{error}")
    print(f"autograded {len(results)} submissions in {time.perf_counter() - start:.1f} s "
          f"({len(failed)} failed)")
    return 1 if failed else 0


if __name__ == "__main__":
    raise SystemExit(_main())

