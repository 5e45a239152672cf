r"""Two editions from one source: the student edition the book publishes, and an otter export.

The instructor sources live in the repository's ``assignments/`` folder, an nbgrader
course directory (``source/<assignment>/<assignment>.ipynb``, ``hidden_tests/``,
``nbgrader_config.py``); they never reach the book. From them this module makes:

* :func:`student_edition`: exactly what ``nbgrader generate_assignment`` releases (the
  same nbgrader preprocessors, with the course's configuration): stubs, visible checks,
  no solutions, no hidden tests, no outputs. :func:`write_book` writes one per assignment
  into ``book/assignments/``, where ``make notebooks`` executes them;
* :func:`otter_master` and :func:`export_otter`: an otter-grader "assign" notebook per
  assignment, and ``otter assign``'s output (the student notebook and the autograder zip
  for Gradescope). Each grade cell becomes an exception-based otter test that runs the
  same check inside :func:`~actlib.teaching.checks.strict`; hidden-test cells become
  hidden otter tests, and ``hidden_tests/`` goes into the autograder zip only.

``python -m actlib.teaching.checks.editions book`` and ``... otter OUTDIR`` run them.
"""

from __future__ import annotations

import ast
import copy
import shutil
import subprocess
import sys
from collections.abc import Iterable
from pathlib import Path

import nbformat

__all__ = ["ROOT", "COURSE", "BOOK", "ASSIGNMENTS", "source_path", "load_config",
           "student_edition", "write_book", "otter_master", "grading_requirements",
           "build_wheel", "export_otter"]

ROOT = Path(__file__).resolve().parents[3]
#: The course directory with the instructor sources.
COURSE = ROOT / "assignments"
#: Where the book's student editions go.
BOOK = ROOT / "book" / "assignments"
#: The assignments, in the book's order.
ASSIGNMENTS = ("stable-activations", "backprop-vanishing", "dead-units", "custom-autograd",
               "choose-activation")
#: Tag of the one cell only the book's edition has (the note on what the page shows).
BOOK_NOTE_TAG = "book-edition-note"
BOOK_NOTE = (
    "*This page is the notebook as students receive it: the tasks with their stubs and the "
    "checks that report on them (on the stubs, every check reports a failure). Download it "
    "with the button at the top and run it in JupyterLab. Graded copies, model answers and "
    "hidden tests are for instructors; see [For instructors](instructors.md).*"
)


def source_path(name: str, course: Path = COURSE) -> Path:
    return Path(course) / "source" / name / f"{name}.ipynb"


def load_config(course: Path = COURSE):
    """The course's ``nbgrader_config.py`` as a traitlets ``Config``."""
    from traitlets.config import Config
    from traitlets.config.loader import PyFileConfigLoader

    config = Config()
    config.merge(PyFileConfigLoader("nbgrader_config.py", path=str(course)).load_config())
    return config


def student_edition(nb, config=None):
    """The student version of an instructor notebook, as ``nbgrader generate_assignment``
    makes it (without the gradebook's checksums)."""
    from nbgrader.preprocessors import (
        ClearHiddenTests,
        ClearMarkScheme,
        ClearOutput,
        ClearSolutions,
        LockCells,
    )

    config = config if config is not None else load_config()
    nb = copy.deepcopy(nb)
    resources = {}
    for pp in (LockCells, ClearSolutions, ClearOutput, ClearHiddenTests, ClearMarkScheme):
        nb, resources = pp(config=config).preprocess(nb, resources)
    return nb


def write_book(course: Path = COURSE, out: Path = BOOK,
               names: Iterable[str] = ASSIGNMENTS) -> list[Path]:
    """Write the student edition of every assignment into ``out`` (unexecuted; ``make
    notebooks`` runs them), with a note on what the page shows after the title."""
    config = load_config(course)
    written = []
    for name in names:
        nb = student_edition(nbformat.read(source_path(name, course), as_version=4), config)
        note = nbformat.v4.new_markdown_cell(BOOK_NOTE)
        note.id = f"{name}-book-note"
        note.metadata["tags"] = [BOOK_NOTE_TAG]
        nb.cells.insert(1, note)
        path = Path(out) / f"{name}.ipynb"
        nbformat.write(nb, path)
        written.append(path)
    return written


# ---------------------------------------------------------------------------------------
# otter-grader
# ---------------------------------------------------------------------------------------

def _raw(text: str):
    return nbformat.v4.new_raw_cell(text)


def _free_names(source: str) -> list[str]:
    """Names a code snippet reads but does not bind itself (the test's arguments)."""
    tree = ast.parse(source)
    bound, used = set(), []
    for node in ast.walk(tree):
        if isinstance(node, (ast.Import, ast.ImportFrom)):
            bound.update((a.asname or a.name).split(".")[0] for a in node.names)
        elif isinstance(node, ast.Name) and isinstance(node.ctx, ast.Store):
            bound.add(node.id)
    for node in ast.walk(tree):
        if isinstance(node, ast.Name) and isinstance(node.ctx, ast.Load) and \
                node.id not in bound and node.id not in used and node.id not in dir(__builtins__):
            used.append(node.id)
    return used


def _test_cell(cell, hidden: bool):
    """An nbgrader grade cell as an exception-based otter test."""
    from .grading import HIDDEN_BEGIN, HIDDEN_END

    lines, inside = [], False
    for line in cell.source.splitlines():
        if line.strip().startswith(HIDDEN_BEGIN):
            inside = True
            continue
        if line.strip().startswith(HIDDEN_END):
            inside = False
            continue
        if (inside or not hidden) and line.strip() and not line.lstrip().startswith("#"):
            lines.append(line)
    body = "\n".join(lines)
    gid = cell.metadata["nbgrader"]["grade_id"].replace("-", "_")
    args = ", ".join(_free_names(body))
    points = cell.metadata["nbgrader"]["points"]
    code = (f'""" # BEGIN TEST CONFIG\nhidden: {str(hidden).lower()}\npoints: {points}\n'
            '""" # END TEST CONFIG\n'
            f"def test_{gid}({args}):\n"
            "    from actlib.teaching.checks import strict\n\n"
            "    with strict():\n"
            + "\n".join("        " + line for line in body.splitlines()) + "\n")
    return nbformat.v4.new_code_cell(code)


def _otter_solution(source: str) -> str:
    # otter's markers have one '#': nbgrader's "### BEGIN SOLUTION" does not match them
    return source.replace("### BEGIN SOLUTION", "# BEGIN SOLUTION").replace(
        "### END SOLUTION", "# END SOLUTION")


def otter_master(nb, name: str, requirements: str | None = "requirements.txt",
                 wheels: Iterable[str] = ()):
    """An otter-grader "assign" notebook from an nbgrader instructor notebook.

    Each solution code cell and the grade cells right after it make one question; each
    grade cell is one test case worth its nbgrader points (hidden-test cells become hidden
    test cases); each written answer becomes a manually graded question. ``wheels`` go into
    the autograder zip (``files/`` there) alongside ``hidden_tests/``.
    """
    from .grading import HIDDEN_BEGIN, myst_to_markdown

    config = [f"name: {name}", "python_version: \"3.11\"", "init_cell: true", "check_all_cell: false",
              "export_cell: false", "run_tests: false", "generate: true",
              "tests:", "  files: true", "  ok_format: false",
              "autograder_files:", "  - hidden_tests", *(f"  - {w}" for w in wheels)]
    if requirements:
        config.append(f"requirements: {requirements}")
    out = [_raw("# ASSIGNMENT CONFIG\n" + "\n".join(config))]
    cells = list(nb.cells)
    i = 0
    while i < len(cells):
        cell = cells[i]
        meta = cell.metadata.get("nbgrader", {})
        if cell.cell_type == "markdown" and meta.get("solution") and meta.get("grade"):
            prompt = out.pop() if out and out[-1].cell_type == "markdown" else None
            out += [_raw(f"# BEGIN QUESTION\nname: {meta['grade_id']}\nmanual: true\n"
                         f"points: {meta['points']}")]
            out += [prompt] if prompt is not None else []
            out += [_raw("# BEGIN SOLUTION"), nbformat.v4.new_markdown_cell(cell.source),
                    _raw("# END SOLUTION"), _raw("# END QUESTION")]
            i += 1
            continue
        if cell.cell_type == "code" and meta.get("solution"):
            tests = []
            j = i + 1
            while j < len(cells) and cells[j].cell_type == "code" and \
                    cells[j].metadata.get("nbgrader", {}).get("grade"):
                tests.append(cells[j])
                j += 1
            points = sum(t.metadata["nbgrader"]["points"] for t in tests)
            out += [_raw(f"# BEGIN QUESTION\nname: {meta['grade_id']}\npoints: {points}"),
                    _raw("# BEGIN SOLUTION"),
                    nbformat.v4.new_code_cell(_otter_solution(cell.source)),
                    _raw("# END SOLUTION")]
            if tests:
                out += [_raw("# BEGIN TESTS"),
                        *(_test_cell(t, hidden=HIDDEN_BEGIN in t.source) for t in tests),
                        _raw("# END TESTS")]
            out.append(_raw("# END QUESTION"))
            i = j
            continue
        if cell.cell_type == "markdown":
            out.append(nbformat.v4.new_markdown_cell(myst_to_markdown(cell.source)))
        elif cell.cell_type == "code":
            out.append(nbformat.v4.new_code_cell(cell.source))
        i += 1
    master = nbformat.v4.new_notebook()
    master.metadata = copy.deepcopy(nb.metadata)
    master.cells = out
    for k, c in enumerate(master.cells):
        c.id = f"{name}-otter-{k:03d}"
    return master


#: The packages the assignments import while they are graded (pinned as in requirements.txt).
GRADING_PACKAGES = ("torch", "numpy", "scipy", "matplotlib", "scikit-learn", "ipywidgets")
#: Where Gradescope unpacks the autograder zip; otter puts ``autograder_files`` in ``files/``.
GRADESCOPE_FILES = "/autograder/source/files"


def grading_requirements(requirements: Path = ROOT / "requirements.txt") -> list[str]:
    """The pinned lines of :data:`GRADING_PACKAGES` from the book's ``requirements.txt``, with
    PyTorch's CPU wheels (torch's default build on PyPI would pull the CUDA one)."""
    lines = ["--extra-index-url https://download.pytorch.org/whl/cpu"]
    for line in Path(requirements).read_text(encoding="utf-8").splitlines():
        package = line.split("==")[0].strip().lower()
        if package in GRADING_PACKAGES:
            lines.append(line.strip())
    return lines


def build_wheel(out: Path) -> Path:
    """A wheel of actlib (the package the checks live in), for the grading image."""
    out.mkdir(parents=True, exist_ok=True)
    proc = subprocess.run([sys.executable, "-m", "pip", "wheel", "--no-deps", "--no-build-isolation",
                           "-q", "-w", str(out), str(ROOT)], capture_output=True, text=True)
    if proc.returncode != 0:
        raise RuntimeError(f"building the actlib wheel failed:\n{proc.stdout}\n{proc.stderr}")
    return next(out.glob("actlib-*.whl"))


def export_otter(out: Path, course: Path = COURSE, names: Iterable[str] = ASSIGNMENTS,
                 requirements: Iterable[str] = (), wheel: bool = False) -> dict[str, Path]:
    """Run ``otter assign`` on the otter master of every assignment.

    Writes ``out/<name>/master/`` (the master notebook, this assignment's hidden tests and
    ``requirements.txt``) and ``out/<name>/dist/`` (otter's ``student/`` notebook and
    ``autograder/`` folder with the Gradescope zip). ``requirements`` are the lines of the
    grading image's ``requirements.txt``; with ``wheel`` an actlib wheel goes into the
    autograder zip and is installed from there. Returns ``{name: dist folder}``.
    """
    out = Path(out)
    otter = Path(sys.executable).with_name("otter")
    wheel_file = build_wheel(out / "wheel") if wheel else None
    done = {}
    for name in names:
        master_dir, dist = out / name / "master", out / name / "dist"
        shutil.rmtree(out / name, ignore_errors=True)
        master_dir.mkdir(parents=True)
        # only this assignment's hidden tests go into its autograder
        (master_dir / "hidden_tests").mkdir()
        for module in ("__init__.py", f"{name.replace('-', '_')}.py"):
            if (Path(course) / "hidden_tests" / module).is_file():
                shutil.copy(Path(course) / "hidden_tests" / module, master_dir / "hidden_tests")
        lines = list(requirements)
        wheels = []
        if wheel_file is not None:
            shutil.copy(wheel_file, master_dir)
            wheels.append(wheel_file.name)
            lines.append(f"{GRADESCOPE_FILES}/{wheel_file.name}")
        (master_dir / "requirements.txt").write_text("\n".join(lines) + "\n", encoding="utf-8")
        master = master_dir / f"{name}.ipynb"
        nbformat.write(otter_master(nbformat.read(source_path(name, course), as_version=4),
                                    name, wheels=wheels), master)
        proc = subprocess.run([str(otter), "assign", "--no-pdfs", master.name, str(dist.resolve())],
                              cwd=master_dir, capture_output=True, text=True)
        if proc.returncode != 0:
            raise RuntimeError(f"otter assign failed for {name}:\n{proc.stdout}\n{proc.stderr}")
        done[name] = dist
    return done


def _main(argv=None) -> int:
    import argparse

    parser = argparse.ArgumentParser(prog="python -m actlib.teaching.checks.editions",
                                     description=__doc__.split("\n\n")[0])
    sub = parser.add_subparsers(dest="command", required=True)
    sub.add_parser("book", help=f"write the student editions into {BOOK.relative_to(ROOT)}")
    otter = sub.add_parser("otter", help="export every assignment for otter-grader / Gradescope")
    otter.add_argument("out", help="output folder")
    otter.add_argument("--no-wheel", action="store_true",
                       help="do not put an actlib wheel into the autograder zips")
    args = parser.parse_args(argv)
    if args.command == "book":
        for path in write_book():
            print(f"wrote {path.relative_to(ROOT)}")
    else:
        dists = export_otter(Path(args.out), requirements=grading_requirements(),
                             wheel=not args.no_wheel)
        for name, dist in dists.items():
            print(f"{name}: {dist}")
    return 0


if __name__ == "__main__":
    raise SystemExit(_main())
