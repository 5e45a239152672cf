"""The classroom assignments (book/assignments): checks, student versions, autograding.

* The instructor notebooks in the book pass every check, run top to bottom.
* ``nbgrader generate_assignment`` (the venv's executable, in a temporary course
  directory) makes student versions with no solution code left, which run top to
  bottom; the only errors are ``CheckFailed`` in grade cells, with helpful messages.
* ``actlib.teaching.checks`` catches the typical wrong submissions, each with the right message.
* ``nbgrader autograde`` gives a correct and a partly wrong submission the expected points.
"""

from __future__ import annotations

import os
import re
import shutil
import subprocess
import sys
import warnings
from pathlib import Path

import nbformat
import numpy as np
import pytest

from actlib.teaching import checks
from actlib.teaching.checks import PASS_MARK, CheckFailed

ROOT = Path(__file__).resolve().parents[1]
ASSIGNMENTS = ROOT / "book" / "assignments"
NOTEBOOKS = sorted(ASSIGNMENTS.glob("*.ipynb"))
BIN = Path(sys.executable).parent
NBGRADER = BIN / "nbgrader"
TIMEOUT = 300

pytestmark = pytest.mark.slow


def _nbgrader(*args, cwd):
    env = {**os.environ, "PATH": f"{BIN}{os.pathsep}{os.environ.get('PATH', '')}"}
    proc = subprocess.run([str(NBGRADER), *args], cwd=cwd, env=env, capture_output=True,
                          text=True, timeout=TIMEOUT)
    assert proc.returncode == 0, f"nbgrader {' '.join(args)} failed:\n{proc.stdout}\n{proc.stderr}"
    return proc


def _execute(nb, cwd, allow_errors):
    from nbclient import NotebookClient

    NotebookClient(nb, timeout=TIMEOUT, kernel_name="python3", allow_errors=allow_errors,
                   resources={"metadata": {"path": str(cwd)}}).execute()
    return nb


def _solution_lines(nb) -> set[str]:
    """Every non-blank line inside the solution regions of the instructor notebook."""
    lines, outside, inside = set(), set(), False
    for cell in nb.cells:
        for line in cell.source.splitlines():
            if "### BEGIN SOLUTION" in line:
                inside = True
            elif "### END SOLUTION" in line:
                inside = False
            elif line.strip():
                (lines if inside else outside).add(line.strip())
    return lines - outside  # a line such as `with torch.no_grad():` also in given code


@pytest.fixture(scope="module")
def course(tmp_path_factory):
    """A course directory: assignment 'all' (the five notebooks) and 'a1' (assignment 1)."""
    root = tmp_path_factory.mktemp("course")
    shutil.copy(ASSIGNMENTS / "nbgrader_config.py", root / "nbgrader_config.py")
    for name, notebooks in (("all", NOTEBOOKS), ("a1", [ASSIGNMENTS / "stable-activations.ipynb"])):
        (root / "source" / name).mkdir(parents=True)
        for nb in notebooks:
            shutil.copy(nb, root / "source" / name / nb.name)
        _nbgrader("generate_assignment", name, f"--CourseDirectory.root={root}", "--force",
                  cwd=root)
    return root


def test_there_are_five_assignments_and_instructor_page():
    assert len(NOTEBOOKS) >= 5
    assert (ASSIGNMENTS / "instructors.md").is_file()


@pytest.mark.parametrize("path", NOTEBOOKS, ids=lambda p: p.stem)
def test_nbgrader_metadata(path):
    nb = nbformat.read(path, as_version=4)
    ids = []
    for cell in nb.cells:
        meta = cell.metadata.get("nbgrader")
        text = cell.source
        if "### BEGIN SOLUTION" in text or "### BEGIN HIDDEN TESTS" in text:
            assert meta, f"{path.name}: a cell with nbgrader markers has no nbgrader metadata"
        if meta:
            assert meta["schema_version"] == 3 and meta["grade_id"]
            ids.append(meta["grade_id"])
            if meta["grade"]:
                assert meta["points"] > 0
            if meta["solution"] and cell.cell_type == "code":
                assert "### BEGIN SOLUTION" in text
                assert "hide-input" in cell.metadata.get("tags", [])
    assert len(ids) == len(set(ids)), f"{path.name}: duplicate grade_id"
    assert any(c.metadata.get("nbgrader", {}).get("grade") for c in nb.cells)


@pytest.mark.parametrize("path", NOTEBOOKS, ids=lambda p: p.stem)
def test_instructor_version_passes_every_check(path, tmp_path):
    nb = _execute(nbformat.read(path, as_version=4), ASSIGNMENTS, allow_errors=False)
    grade_cells = [c for c in nb.cells if c.metadata.get("nbgrader", {}).get("grade")
                   and c.cell_type == "code"]
    assert grade_cells
    for cell in grade_cells:
        text = "".join(o.get("text", "") for o in cell.outputs)
        assert PASS_MARK in text, (
            f"{path.name} {cell.metadata['nbgrader']['grade_id']}: no success line in {text!r}")


@pytest.mark.parametrize("path", NOTEBOOKS, ids=lambda p: p.stem)
def test_student_version_has_no_solution(course, path):
    student = course / "release" / "all" / path.name
    text = student.read_text(encoding="utf-8")
    for marker in ("### BEGIN SOLUTION", "### END SOLUTION", "### BEGIN HIDDEN TESTS",
                   "Model answer"):
        assert marker not in text, f"{path.name}: {marker!r} left in the student version"
    nb = nbformat.read(student, as_version=4)
    sources = {line.strip() for c in nb.cells for line in c.source.splitlines()}
    leaked = _solution_lines(nbformat.read(path, as_version=4)) & sources
    assert not leaked, f"{path.name}: solution lines left in the student version: {leaked}"
    assert not any(c.get("outputs") for c in nb.cells if c.cell_type == "code")


@pytest.mark.parametrize("path", NOTEBOOKS, ids=lambda p: p.stem)
def test_student_version_runs_and_fails_only_helpfully(course, path):
    nb = nbformat.read(course / "release" / "all" / path.name, as_version=4)
    _execute(nb, ASSIGNMENTS, allow_errors=True)
    failed = 0
    for cell in nb.cells:
        if cell.cell_type != "code":
            continue
        errors = [o for o in cell.outputs if o.output_type == "error"]
        is_grade = cell.metadata.get("nbgrader", {}).get("grade", False)
        where = f"{path.name} {cell.metadata.get('nbgrader', {}).get('grade_id', cell.source[:40])}"
        if not is_grade:
            assert not errors, (f"{where}: a non-grade cell failed: "
                                f"{errors[0].ename}: {errors[0].evalue}")
            continue
        for err in errors:
            failed += 1
            assert err.ename == "CheckFailed", f"{where}: {err.ename}: {err.evalue}"
            assert len(err.evalue) > 40, f"{where}: message too short: {err.evalue!r}"
    assert failed, f"{path.name}: the stubs pass every check; the checks test nothing"


# ---------------------------------------------------------------------------------------
# Typical wrong submissions, each caught with the right message
# ---------------------------------------------------------------------------------------

def naive_sigmoid(x):
    return 1.0 / (1.0 + np.exp(-x))


def ratio_sigmoid(x):
    x = np.asarray(x)
    e = np.exp(x)
    return e / (1.0 + e)


def _stable_sigmoid(x):
    x = np.asarray(x)
    e = np.exp(-np.abs(x))
    return np.where(x >= 0, 1.0 / (1.0 + e), e / (1.0 + e))


def _message(fn, *args, **kwargs) -> str:
    with pytest.raises(CheckFailed) as info:
        fn(*args, **kwargs)
    assert isinstance(info.value, AssertionError)
    return str(info.value)


def test_overflowing_sigmoid_is_caught():
    with warnings.catch_warnings():
        warnings.simplefilter("error")       # the check must not leak the warning
        msg = _message(checks.check_activation, "sigmoid", naive_sigmoid)
    assert "sigmoid(-1000)" in msg and "overflow" in msg and "Read more" in msg


def test_nan_sigmoid_at_plus_1000_is_caught():
    msg = _message(checks.check_activation, "sigmoid", ratio_sigmoid)
    assert "sigmoid(1000)" in msg and "overflow" in msg


def test_sigmoid_with_nan_output_says_nan():
    def quiet_ratio(x):
        with np.errstate(all="ignore"):
            return ratio_sigmoid(x)
    msg = _message(checks.check_activation, "sigmoid", quiet_ratio)
    assert msg.startswith("sigmoid(1000) returned nan") and "inf" in msg


def test_one_minus_tanh_squared_wrongly_is_caught():
    msg = _message(checks.check_derivative, "tanh", lambda x: (1.0 - np.tanh(x)) ** 2)
    assert "(1 - tanh x)^2" in msg and "1 - tanh^2 x" in msg


def test_gelu_with_constant_inside_bracket_is_caught():
    c = 0.0356774
    wrong = lambda x: 0.5 * x * (1.0 + np.tanh(np.sqrt(2.0 / np.pi) * (x + c * x ** 3)))  # noqa: E731
    msg = _message(checks.check_activation, "gelu", wrong)
    assert "0.0356774" in msg and "OUTSIDE the bracket" in msg and "0.044715" in msg


def test_gelu_tanh_approximation_is_named():
    import actlib
    msg = _message(checks.check_activation, "gelu", actlib.gelu_tanh)
    assert "tanh approximation" in msg


def test_relu_derivative_of_one_at_negative_inputs_is_caught():
    msg = _message(checks.check_derivative, "relu", lambda x: np.ones_like(np.asarray(x)))
    assert "negative inputs" in msg and "0" in msg
    def ones_keep_nan(x):
        return np.where(np.isnan(x), x, np.ones_like(x))
    assert "negative" in _message(checks.check_derivative, "relu", ones_keep_nan)


def test_nan_not_propagated_is_caught():
    msg = _message(checks.check_activation, "relu", lambda x: np.where(x > 0, x, 0.0))
    assert msg.startswith("relu(nan) returned 0.0, not nan") and "np.maximum" in msg


def test_wrong_dtype_is_caught():
    def relu64(x):
        return np.maximum(np.asarray(x, dtype=np.float64), 0.0)
    msg = _message(checks.check_activation, "relu", relu64)
    assert "float32" in msg and "dtype float64" in msg


def test_wrong_shape_is_caught():
    msg = _message(checks.check_activation, "tanh", lambda x: np.tanh(np.asarray(x)).ravel()[:1])
    assert "shape" in msg


def test_not_an_array_is_caught():
    msg = _message(checks.check_activation, "relu", lambda x: [max(v, 0.0) for v in x])
    assert "not a numpy array" in msg


def test_elu_where_branch_overflow_is_caught():
    def elu(x, alpha=1.0):
        x = np.asarray(x)
        return np.where(x > 0, x, alpha * (np.exp(x) - 1.0))
    msg = _message(checks.check_activation, "elu", elu)
    assert "elu(1000)" in msg and "BOTH branches" in msg


def test_ignored_parameter_is_caught():
    def leaky(x, negative_slope=0.01):
        x = np.asarray(x)
        return np.where(x > 0, x, 0.01 * x)
    assert "ignores its negative_slope" in _message(checks.check_activation, "leaky_relu", leaky)


def test_correct_implementations_pass(capsys):
    checks.check_activation("sigmoid", _stable_sigmoid)
    checks.check_derivative("relu", lambda x: np.where(np.isnan(x), x, (x > 0).astype(x.dtype)))
    assert "all checks passed" in capsys.readouterr().out


def test_backprop_mistake_names_the_layer():
    def no_derivative(x, t, weights, biases, activation):
        loss, gW, gb = checks.reference_gradients(x, t, weights, biases, activation)
        gW[0] = gW[0] * 2.0
        return loss, gW, gb
    msg = _message(checks.check_mlp_gradients, no_derivative)
    assert "hidden layer 1" in msg and "pre-activation" in msg.lower() or "PRE-activation" in msg


def test_autograd_backward_without_grad_output_is_caught():
    import torch

    import actlib

    class Forgetful(torch.autograd.Function):
        @staticmethod
        def forward(ctx, x):
            ctx.save_for_backward(x)
            return x * torch.tanh(torch.nn.functional.softplus(x))

        @staticmethod
        def backward(ctx, grad):
            (x,) = ctx.saved_tensors
            return torch.tensor(actlib.d_mish(x.detach().numpy()))

    assert "grad_output * f'(x)" in _message(checks.check_autograd_backward, Forgetful)


# ---------------------------------------------------------------------------------------
# Autograding with nbgrader
# ---------------------------------------------------------------------------------------

NAIVE_SIGMOID = '''def sigmoid(x):
    return 1.0 / (1.0 + np.exp(-np.asarray(x)))


def d_sigmoid(x):
    s = sigmoid(x)
    return s * (1.0 - s)
'''
WRONG_D_TANH = '''def tanh(x):
    return np.tanh(np.asarray(x))


def d_tanh(x):
    return (1.0 - np.tanh(np.asarray(x))) ** 2
'''


def _submission(course, student, replace):
    """The released notebook with the instructor's solutions, some cells replaced."""
    instructor = nbformat.read(ASSIGNMENTS / "stable-activations.ipynb", as_version=4)
    solutions = {c.metadata["nbgrader"]["grade_id"]: c.source for c in instructor.cells
                 if c.metadata.get("nbgrader", {}).get("solution")}
    nb = nbformat.read(course / "release" / "a1" / "stable-activations.ipynb", as_version=4)
    for cell in nb.cells:
        gid = cell.metadata.get("nbgrader", {}).get("grade_id")
        if cell.metadata.get("nbgrader", {}).get("solution"):
            cell.source = replace.get(gid, solutions[gid])
            cell.source = re.sub(r"(?m)^\s*### (BEGIN|END) SOLUTION\n", "", cell.source)
    folder = course / "submitted" / student / "a1"
    folder.mkdir(parents=True)
    nbformat.write(nb, folder / "stable-activations.ipynb")


def test_autograde_scores(course):
    _submission(course, "alice", {})
    _submission(course, "bob", {"a1-sigmoid": NAIVE_SIGMOID, "a1-tanh": WRONG_D_TANH})
    for student in ("alice", "bob"):
        _nbgrader("autograde", "a1", "--student", student, f"--CourseDirectory.root={course}",
                  "--force", cwd=course)
    from nbgrader.api import Gradebook

    with Gradebook(f"sqlite:///{course / 'gradebook.db'}") as gb:
        def scores(student):
            nb = gb.find_submission_notebook("stable-activations", "a1", student)
            return {g.name: g.score for g in nb.grades if g.auto_score is not None}
        alice, bob = scores("alice"), scores("bob")
        max_auto = sum(c.max_score for c in gb.find_notebook("stable-activations", "a1").grade_cells
                       if c.cell_type == "code")
    assert max_auto == 14
    assert sum(alice.values()) == 14, alice
    lost = {k for k, v in bob.items() if v == 0}
    # the naive sigmoid fails sigmoid, its derivative and swish (which reuses it)
    assert lost == {"a1-check-sigmoid", "a1-check-d-sigmoid", "a1-check-d-tanh",
                    "a1-check-swish", "a1-check-d-swish"}, bob
    assert sum(bob.values()) == 9
