"""Kernels forked from the fork server behave like kernels started as new interpreters:
the working directory, environment and PYTHONPATH they were asked for, inline figures,
nothing shared between two of them, and a clean shutdown."""

from __future__ import annotations

import os

import nbformat
import pytest

pytestmark = pytest.mark.slow


def _run(source: str, cwd, env: dict | None = None):
    from nbclient import NotebookClient

    from actlib.teaching.checks.forkserver import ForkKernelManager

    nb = nbformat.v4.new_notebook()
    nb.metadata["kernelspec"] = {"name": "python3", "display_name": "Python 3", "language": "python"}
    nb.cells = [nbformat.v4.new_code_cell(s) for s in source.split("\n#--\n")]
    old = dict(os.environ)
    os.environ.update(env or {})
    try:
        NotebookClient(nb, kernel_name="python3", timeout=120, allow_errors=True,
                       kernel_manager_class=ForkKernelManager,
                       resources={"metadata": {"path": str(cwd)}}).execute()
    finally:
        os.environ.clear()
        os.environ.update(old)
    return nb


def test_a_forked_kernel_is_the_kernel_it_was_asked_for(tmp_path):
    (tmp_path / "mod_dir").mkdir()
    (tmp_path / "mod_dir" / "only_here.py").write_text("VALUE = 42\n")
    nb = _run("import os, sys, only_here\n"
              "print(os.getcwd(), os.environ['FORK_TEST'], only_here.VALUE, 'torch' in sys.modules)\n"
              "#--\n"
              "import matplotlib.pyplot as plt\nplt.plot([1, 2]); plt.show()\n"
              "#--\n"
              "shared = 'set in the first kernel'",
              tmp_path, {"FORK_TEST": "yes", "PYTHONPATH": str(tmp_path / "mod_dir")})
    printed = nb.cells[0].outputs[0]["text"].split()
    assert printed == [str(tmp_path), "yes", "42", "True"]      # torch came preloaded
    assert any("image/png" in o.get("data", {}) for o in nb.cells[1].outputs)
    other = _run("import sys\nprint('shared' in globals(), any('mod_dir' in p for p in sys.path))",
                 tmp_path)
    assert other.cells[0].outputs[0]["text"].split() == ["False", "False"]


def test_the_grading_environment_reaches_the_kernel(tmp_path):
    nb = _run("import numpy as np\nfrom actlib.teaching import checks\n"
              "#--\n"
              "checks.check_activation('relu', lambda x: np.zeros_like(x))",
              tmp_path, {"NBGRADER_EXECUTION": "autograde"})
    errors = [o for o in nb.cells[1].outputs if o.output_type == "error"]
    assert errors and errors[0]["ename"] == "CheckFailed"
    assert errors[0]["traceback"][0] == "CheckFailed:"
