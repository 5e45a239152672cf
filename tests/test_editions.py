"""Two editions from one source: the book publishes the student edition, never the solutions.

* the student editions in ``book/assignments/`` are what the instructor sources in
  ``assignments/`` generate today (``python -m actlib.teaching.checks.editions book``);
* they, and the whole built book (``_build/html``), contain no line of a model solution,
  no model answer and no hidden-test code;
* a student edition runs top to bottom: ``jupyter nbconvert --execute`` exits with 0 and
  every check reports (the JupyterLab "Run All" test is in test_browser_classroom.py).
"""

from __future__ import annotations

import html
import re
import subprocess
import sys
from pathlib import Path

import nbformat
import pytest
import yaml

from actlib.teaching.checks import FAIL_MARK, PASS_MARK, editions

ROOT = Path(__file__).resolve().parents[1]
HTML = ROOT / "_build" / "html"
NAMES = editions.ASSIGNMENTS


def _solution_regions(nb) -> list[str]:
    regions, current = [], None
    for cell in nb.cells:
        for line in cell.source.splitlines():
            if "### BEGIN SOLUTION" in line:
                current = []
            elif "### END SOLUTION" in line:
                regions.append("\n".join(current))
                current = None
            elif current is not None:
                current.append(line)
    return regions


def _public_text() -> str:
    """What is public by design: the student editions with their outputs, and the checks'
    own messages (the package's source; a failing check quotes its hint to any student)."""
    parts = [(editions.BOOK / f"{name}.ipynb").read_text(encoding="utf-8") for name in NAMES]
    parts += [p.read_text(encoding="utf-8") for p in Path(editions.__file__).parent.glob("*.py")]
    return " ".join(" ".join(parts).replace("\\n", " ").split())


def _secrets() -> dict[str, set[str]]:
    """What must never be published: solution lines, model answers, hidden-test code."""
    public = _public_text()
    solution, answers, hidden = set(), set(), set()
    for name in NAMES:
        nb = nbformat.read(editions.source_path(name), as_version=4)
        for region in _solution_regions(nb):
            solution |= {line.strip() for line in region.splitlines()
                         if len(line.strip()) >= 12 and " ".join(line.split()) not in public}
        for cell in nb.cells:
            meta = cell.metadata.get("nbgrader", {})
            if cell.cell_type == "markdown" and meta.get("solution"):
                # the model answer, sentence by sentence
                text = " ".join(cell.source.split())
                answers |= {s.strip() for s in re.split(r"(?<=[.:;])\s+", text) if len(s.strip()) > 40}
            if "### BEGIN HIDDEN TESTS" in cell.source:
                inside = cell.source.split("### BEGIN HIDDEN TESTS")[1].split("### END HIDDEN TESTS")[0]
                hidden |= {line.strip() for line in inside.splitlines() if line.strip()}
    for path in (editions.COURSE / "hidden_tests").glob("*.py"):
        hidden |= {line.strip() for line in path.read_text().splitlines()
                   if line.strip().startswith(("checks.", "model = "))}
    return {"solution": solution, "model answer": answers, "hidden test": hidden}


MARKERS = ("BEGIN SOLUTION", "END SOLUTION", "BEGIN HIDDEN TESTS", "hidden_tests",
           "Model answer")


def _leaks(text: str, secrets: dict[str, set[str]], markers: bool = True) -> list[str]:
    flat = " ".join(text.split())
    found = [f"marker {m!r}" for m in MARKERS if m in text] if markers else []
    for kind, lines in secrets.items():
        found += [f"{kind}: {line!r}" for line in lines if " ".join(line.split()) in flat]
    return found


def test_there_is_something_to_hide():
    secrets = _secrets()
    assert len(secrets["solution"]) > 40 and len(secrets["model answer"]) > 10
    assert len(secrets["hidden test"]) > 5


@pytest.mark.parametrize("name", NAMES)
def test_book_edition_is_current(name):
    generated = editions.student_edition(nbformat.read(editions.source_path(name), as_version=4))
    book = nbformat.read(editions.BOOK / f"{name}.ipynb", as_version=4)
    cells = [c for c in book.cells if editions.BOOK_NOTE_TAG not in c.metadata.get("tags", [])]
    assert [(c.cell_type, c.source, c.metadata.get("nbgrader")) for c in cells] == \
        [(c.cell_type, c.source, c.metadata.get("nbgrader")) for c in generated.cells], (
        f"book/assignments/{name}.ipynb is stale: run `python -m actlib.teaching.checks.editions "
        "book`, then execute it (`make notebooks`)")
    assert sum(editions.BOOK_NOTE_TAG in c.metadata.get("tags", []) for c in book.cells) == 1


@pytest.mark.parametrize("name", NAMES)
def test_book_edition_holds_no_solution_and_no_hidden_test(name):
    text = (editions.BOOK / f"{name}.ipynb").read_text(encoding="utf-8")
    nb = nbformat.read(editions.BOOK / f"{name}.ipynb", as_version=4)
    leaks = _leaks("\n".join(c.source for c in nb.cells), _secrets())
    assert not leaks, leaks
    for marker in MARKERS:
        assert marker not in text


def test_toc_publishes_the_editions_and_not_the_sources():
    toc = yaml.safe_load((ROOT / "_toc.yml").read_text(encoding="utf-8"))
    part = next(p for p in toc["parts"] if p["caption"] == "Assignments")
    assert [c["file"] for c in part["chapters"]] == \
        [f"book/assignments/{n}" for n in NAMES] + ["book/assignments/instructors"]
    files = [c["file"] for p in toc["parts"] for c in p["chapters"]]
    assert not any(f.startswith("assignments/") for f in files)


def test_assignment_notebooks_use_no_myst_that_jupyter_cannot_render():
    """Student notebooks render the same in JupyterLab with or without jupyterlab-myst, in
    nbgrader's feedback HTML and in otter: plain Markdown and math only."""
    for name in NAMES:
        nb = nbformat.read(editions.source_path(name), as_version=4)
        for cell in nb.cells:
            if cell.cell_type == "markdown":
                assert not re.search(r"\{[\w-]+\}`|^```\{|^:::|^\([\w-]+\)=", cell.source, re.M), \
                    (name, cell.source[:80])
                assert "literalinclude" not in cell.source


@pytest.mark.skipif(not HTML.is_dir(), reason="no _build/html: run `make book`")
def test_the_built_book_has_no_solution_and_no_hidden_test_code():
    secrets = _secrets()
    found = {}
    for path in sorted(HTML.rglob("*")):
        if not path.is_file() or path.suffix not in (".html", ".ipynb", ".txt", ".js", ".md", ".py"):
            continue
        raw = path.read_text(encoding="utf-8", errors="replace")
        text = html.unescape(re.sub(r"<[^>]+>", " ", raw)) if path.suffix == ".html" else raw
        # the instructors' page explains the markers and the hidden_tests folder by name
        leaks = _leaks(text, secrets, markers="instructors" not in path.name)
        if leaks:
            found[path.relative_to(HTML).as_posix()] = leaks[:3]
    assert not found, found
    for name in NAMES:
        assert (HTML / "book" / "assignments" / f"{name}.html").is_file()


@pytest.mark.slow
def test_student_editions_run_through_with_nbconvert(tmp_path):
    for name in NAMES:
        nb = nbformat.read(editions.BOOK / f"{name}.ipynb", as_version=4)
        for cell in nb.cells:
            if cell.cell_type == "code":
                cell.outputs, cell.execution_count = [], None
        nbformat.write(nb, tmp_path / f"{name}.ipynb")
    proc = subprocess.run([sys.executable, "-m", "jupyter", "nbconvert", "--to", "notebook",
                           "--execute", "--output-dir", str(tmp_path / "out"),
                           *[str(tmp_path / f"{n}.ipynb") for n in NAMES]],
                          cwd=tmp_path, capture_output=True, text=True, timeout=900)
    assert proc.returncode == 0, proc.stderr[-3000:]
    for name in NAMES:
        nb = nbformat.read(tmp_path / "out" / f"{name}.ipynb", as_version=4)
        for cell in nb.cells:
            if cell.cell_type != "code":
                continue
            assert not [o for o in cell.outputs if o.output_type == "error"], name
            meta = cell.metadata.get("nbgrader", {})
            if meta.get("grade") and "Hidden test" not in cell.source:
                shown = "".join(o.get("text", "") + str(o.get("data", {}).get("text/plain", ""))
                                for o in cell.outputs)
                assert PASS_MARK in shown or FAIL_MARK in shown, (name, meta["grade_id"])


def test_the_leak_detector_finds_what_it_looks_for():
    secrets = _secrets()
    for kind, lines in secrets.items():
        line = sorted(lines)[0]
        assert _leaks(f"<p>before {line} after</p>", secrets, markers=False), kind
    assert not _leaks("nothing to see", secrets)
