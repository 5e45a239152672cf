"""Notebook tests that float noise cannot break, and that still catch a changed result.

nbval re-runs every notebook under ``book/`` and compares each cell's outputs with the
saved ones, exactly. That is right for everything a chapter computes exactly, and wrong
for numbers that come out of floating-point training, whose last bits (and, for chaotic
runs, more) differ between CPUs and thread counts. Chapters show those numbers as
``actlib.teaching.report.Measured`` values and tables, which carry a machine-readable
record of their full-precision values and tolerances (derived from the spread over seeds,
see ``actlib.teaching.stats``). This plugin wraps nbval's comparison:

* outputs without such a record are compared exactly, as before;
* in an output with a record, the record's values are compared within the saved
  tolerances, and the rest of the output (its text, table or HTML) with digits masked,
  so its structure and wording are still compared exactly.

With ``ACTLIB_MEASURED_LOG=path`` every compared value is appended to ``path`` (JSON lines),
so ``bench/bench_code_paths.py`` can report the largest difference seen on each code path.
"""

from __future__ import annotations

import json
import os


def _wrap_nbval() -> None:
    try:
        from nbval import plugin
    except ImportError:  # pragma: no cover - nbval is in requirements.txt
        return
    from actlib.teaching.report import compare_outputs

    if getattr(plugin.IPyNbCell.compare_outputs, "_actlib", False):
        return
    original = plugin.IPyNbCell.compare_outputs

    def compare(self, test, ref, skip_compare=None):
        test_m, ref_m, problems = compare_outputs(test, ref)
        ok = original(self, test_m, ref_m, skip_compare)
        log = os.environ.get("ACTLIB_MEASURED_LOG")
        if log:
            _log(log, self, test, ref)
        if ok and problems:
            self.comparison_traceback = [
                "Measured values differ from the saved ones by more than their tolerance:",
                *problems]
            return False
        return ok

    compare._actlib = True
    plugin.IPyNbCell.compare_outputs = compare


def _log(path: str, item, test, ref) -> None:
    from actlib.teaching.report import split_outputs

    _, test_r = split_outputs(test)
    _, ref_r = split_outputs(ref)
    with open(path, "a", encoding="utf-8") as f:
        for i, (t, r) in enumerate(zip(test_r, ref_r, strict=False)):
            f.write(json.dumps({"notebook": os.path.relpath(str(item.fspath)), "cell": item.cell_num,
                                "record": i, "test": t.get("values"), "ref": r.get("values"),
                                "tols": r.get("tols")}) + "\n")


def pytest_configure(config):
    if config.getoption("nbval", default=False) or config.getoption("nbval_lax", default=False):
        _wrap_nbval()

