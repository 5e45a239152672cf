"""A class, end to end: nbgrader and otter-grader round trips with four simulated students.

In a temporary copy of the course directory ``assignments/`` this generates the five
assignments (one nbgrader assignment each), submits them for the four students of
``classroom.py`` (stubs, plausible mistakes, right but different, the errstate cheat),
autogrades them in parallel, writes the feedback and exports the grades, and checks:

* every grade cell's score is the expected one (worked out by hand in classroom.py), and
  the cheat scores 0 on every overflow task;
* ``grades.csv`` has one row per student and assignment;
* the feedback HTML contains no hidden-test code, no library frame or machine path, and
  wraps its messages;
* the released notebooks are exactly the book's student editions.

The otter-grader export of the same sources is round-tripped with ``otter run``: the
model solutions score full marks, the cheat loses the overflow tasks there too, and the
student notebooks contain no hidden test.
"""

from __future__ import annotations

import csv
import html
import os
import re
import shutil
import subprocess
import sys
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

import nbformat
import pytest

sys.path.insert(0, str(Path(__file__).parent))
import classroom  # noqa: E402

from actlib.teaching.checks import editions  # noqa: E402

pytestmark = pytest.mark.slow

ROOT = Path(__file__).resolve().parents[1]
BIN = Path(sys.executable).parent
TIMEOUT = 900


def _env():
    env = {**os.environ, "PATH": f"{BIN}{os.pathsep}{os.environ.get('PATH', '')}"}
    env.pop("NBGRADER_EXECUTION", None)
    return env


def _run(args, cwd, timeout=TIMEOUT):
    proc = subprocess.run(args, cwd=cwd, env=_env(), capture_output=True, text=True,
                          timeout=timeout)
    assert proc.returncode == 0, f"{' '.join(map(str, args))} failed:\n{proc.stdout[-3000:]}\n{proc.stderr[-5000:]}"
    return proc


@pytest.fixture(scope="module")
def course(tmp_path_factory):
    root = tmp_path_factory.mktemp("class") / "course"
    shutil.copytree(ROOT / "assignments", root, ignore=shutil.ignore_patterns("__pycache__"))
    grading = [sys.executable, "-m", "actlib.teaching.checks.grading"]
    _run([*grading, "generate", str(root)], cwd=root)
    for student in classroom.STUDENTS:
        for name in classroom.ASSIGNMENTS:
            folder = root / "submitted" / student / name
            folder.mkdir(parents=True)
            nb = classroom.submission(root / "release" / name / f"{name}.ipynb", student)
            nbformat.write(nb, folder / f"{name}.ipynb")
    proc = _run([*grading, "autograde", str(root), "--workers", "2"], cwd=root)
    assert f"autograded {len(classroom.STUDENTS) * len(classroom.ASSIGNMENTS)} submissions" in proc.stdout
    _run([*grading, "feedback", str(root)], cwd=root)
    _run([str(BIN / "nbgrader"), "export"], cwd=root)
    return root


def _scores(course: Path) -> dict[tuple[str, str], dict[str, float]]:
    from nbgrader.api import Gradebook

    out = {}
    with Gradebook(f"sqlite:///{course / 'gradebook.db'}") as gb:
        for student in classroom.STUDENTS:
            for name in classroom.ASSIGNMENTS:
                nb = gb.find_submission_notebook(name, name, student)
                out[student, name] = {g.name: g.auto_score for g in nb.grades
                                      if g.auto_score is not None and g.cell_type == "code"}
    return out


def test_the_release_is_the_book_edition_and_holds_no_hidden_tests(course):
    for name in classroom.ASSIGNMENTS:
        assert sorted(p.name for p in (course / "release" / name).iterdir()) == [f"{name}.ipynb"]
        release = nbformat.read(course / "release" / name / f"{name}.ipynb", as_version=4)
        book = nbformat.read(editions.BOOK / f"{name}.ipynb", as_version=4)
        book_cells = [c for c in book.cells
                      if editions.BOOK_NOTE_TAG not in c.metadata.get("tags", [])]
        assert [(c.cell_type, c.source) for c in release.cells] == \
            [(c.cell_type, c.source) for c in book_cells], name
        text = (course / "release" / name / f"{name}.ipynb").read_text(encoding="utf-8")
        assert "BEGIN HIDDEN" not in text and "hidden_tests" not in text
        assert "BEGIN SOLUTION" not in text and "Model answer" not in text


def test_every_score_is_the_expected_one(course):
    scores = _scores(course)
    for (student, name), cells in scores.items():
        assert set(cells) == set(classroom.grade_cells(name))
        if student == "stubs":
            assert sum(cells.values()) == 0, (name, cells)
            continue
        failed = {gid for gid, score in cells.items() if score == 0}
        expected = {gid for gid in classroom.FAILING[student] if gid in cells}
        assert failed == expected, (student, name, failed ^ expected)
        assert sum(cells.values()) == classroom.expected_score(student, name)


def test_the_errstate_cheat_scores_zero_on_every_overflow_task(course):
    cells = _scores(course)["cheat", "stable-activations"]
    assert {gid: cells[gid] for gid in classroom.OVERFLOW_CELLS} == \
        dict.fromkeys(classroom.OVERFLOW_CELLS, 0.0)


def test_grades_csv_has_one_row_per_student_and_assignment(course):
    with open(course / "grades.csv", newline="", encoding="utf-8") as f:
        rows = list(csv.DictReader(f))
    assert {(r["student_id"], r["assignment"]) for r in rows} == {
        (s, a) for s in classroom.STUDENTS for a in classroom.ASSIGNMENTS}
    for row in rows:
        assert float(row["score"]) == classroom.expected_score(row["student_id"], row["assignment"])
        nb = nbformat.read(classroom.SOURCES / row["assignment"] / f"{row['assignment']}.ipynb", 4)
        assert float(row["max_score"]) == sum(c.metadata.nbgrader.points for c in nb.cells
                                              if c.metadata.get("nbgrader", {}).get("grade"))


def _hidden_test_lines() -> set[str]:
    lines = set()
    for path in (ROOT / "assignments" / "hidden_tests").glob("*.py"):
        for line in path.read_text(encoding="utf-8").splitlines():
            line = line.strip()
            if line and not line.startswith(("#", '"""', "from ", "import ", "def ")):
                lines.add(line)
    return lines


_OUTPUT_PRE = re.compile(r'<div class="output_subarea[^"]*">\s*<pre>(.*?)</pre>', re.S)


def test_feedback_leaks_nothing_and_wraps(course):
    hidden = _hidden_test_lines()
    assert hidden
    pages = sorted((course / "feedback").rglob("*.html"))
    assert len(pages) == len(classroom.STUDENTS) * len(classroom.ASSIGNMENTS)
    for page in pages:
        raw = page.read_text(encoding="utf-8")
        text = html.unescape(re.sub(r"<[^>]+>", "", raw))
        where = page.relative_to(course)
        for marker in ("BEGIN HIDDEN TESTS", "END HIDDEN TESTS", "hidden_tests", "BEGIN SOLUTION",
                       "Model answer"):
            assert marker not in text, f"{where}: {marker!r}"
        leaked = [line for line in hidden if line in text]
        assert not leaked, f"{where}: hidden-test code {leaked}"
        for path in (str(course), str(ROOT), "site-packages", "/tmp/", sys.prefix):
            assert path not in text, f"{where}: machine path {path!r}"
        outputs = [html.unescape(re.sub(r"<[^>]+>", "", block)) for block in _OUTPUT_PRE.findall(raw)]
        assert outputs, f"{where}: no outputs found"
        long = [line for block in outputs for line in block.splitlines() if len(line) > 100]
        assert not long, f"{where}: unwrapped lines {long[:2]}"
        assert "pre-wrap" in raw
    text = _page_text(course / "feedback" / "cheat" / "stable-activations" / "stable-activations.html")
    assert "sigmoid(-720) returned 0.0" in text and "whether or not numpy's warning" in text
    assert "(hidden test)" in text or "Hidden test" in text


def _page_text(page: Path) -> str:
    """The words of a feedback page, with wrapped lines joined."""
    return " ".join(html.unescape(re.sub(r"<[^>]+>", " ", page.read_text(encoding="utf-8"))).split())


def test_feedback_names_knock_on_failures(course):
    text = _page_text(course / "feedback" / "mistakes" / "choose-activation" / "choose-activation.html")
    assert "one-sided paired t-test" in text
    text = _page_text(course / "feedback" / "stubs" / "dead-units" / "dead-units.html")
    assert "knock-on failure: `dead_units` fails its own check above" in text


# ---------------------------------------------------------------------------------------
# otter-grader / Gradescope
# ---------------------------------------------------------------------------------------

@pytest.fixture(scope="module")
def otter_export(tmp_path_factory):
    out = tmp_path_factory.mktemp("otter")
    return out, editions.export_otter(out, requirements=editions.grading_requirements())


def _otter_run(autograder: Path, notebook: Path, out: Path) -> dict:
    import json

    out.mkdir(parents=True, exist_ok=True)
    _run([str(BIN / "otter"), "run", "-a", str(autograder), "-o", str(out), str(notebook)],
         cwd=notebook.parent)
    return json.loads((out / "results.json").read_text(encoding="utf-8"))


def _cheat_submission(student_nb: Path) -> Path:
    """otter's student notebook filled in by the cheat: the naive answers where the cheat has
    them, the model solutions elsewhere (cells matched by their first line)."""
    nb = nbformat.read(student_nb, as_version=4)
    model = classroom.solutions(student_nb.stem)
    answers = {src.strip().splitlines()[0]: classroom.ANSWERS["cheat"].get(gid, src)
               for gid, src in model.items() if src.strip()}
    replaced = 0
    for cell in nb.cells:
        first = cell.source.strip().splitlines()[0] if cell.source.strip() else ""
        if cell.cell_type == "code" and first in answers:
            cell.source = answers[first].strip("\n")
            replaced += 1
    assert replaced == 7                                   # the seven solution cells
    path = student_nb.parent / "cheat" / student_nb.name
    path.parent.mkdir(exist_ok=True)
    nbformat.write(nb, path)
    return path


def test_otter_export_round_trips(otter_export, tmp_path):
    out, dists = otter_export
    assert set(dists) == set(classroom.ASSIGNMENTS)
    jobs = {}
    for name, dist in dists.items():
        zips = list((dist / "autograder").glob("*.zip"))
        assert len(zips) == 1
        student = dist / "student" / f"{name}.ipynb"
        text = student.read_text(encoding="utf-8")
        assert "hidden_tests" not in text and "BEGIN SOLUTION" not in text
        assert not any("hidden" in p.read_text() and "hidden_tests" in p.read_text()
                       for p in (dist / "student" / "tests").glob("*.py"))
        jobs[name, "solution"] = (zips[0], dist / "autograder" / f"{name}.ipynb")
        if name == "stable-activations":
            jobs[name, "cheat"] = (zips[0], _cheat_submission(student))
    with ThreadPoolExecutor(max_workers=2) as pool:
        futures = {key: pool.submit(_otter_run, z, nb, tmp_path / f"{key[0]}-{key[1]}")
                   for key, (z, nb) in jobs.items()}
        results = {key: f.result() for key, f in futures.items()}
    for (name, who), result in results.items():
        tests = {t["name"]: t for t in result["tests"] if t.get("max_score") is not None}
        total = sum(t["score"] for t in tests.values())
        maximum = sum(t["max_score"] for t in tests.values())
        assert maximum == sum(classroom.grade_cells(name).values()), name
        if who == "solution":
            assert total == maximum, (name, {k: t.get("output") for k, t in tests.items()
                                             if t["score"] != t["max_score"]})
        else:
            assert total == classroom.expected_score("cheat", name), tests
            for question in ("a1-sigmoid", "a1-swish"):
                assert tests[question]["score"] == 0, tests[question]
