"""Statistics over seeds, measured values, tables, and the tolerant notebook comparison.

The statistics are checked against scipy's own implementations; the comparison layer
(``conftest.py``) is run through nbval on small notebooks whose saved outputs are
edited to differ inside and outside the tolerance.
"""

from __future__ import annotations

import json
import math
import os
import subprocess
import sys
from pathlib import Path

import numpy as np
import pytest
from scipy import stats as sps

from actlib.teaching import report, stats

ROOT = Path(__file__).resolve().parents[1]


# ---------------------------------------------------------------------------------------
# statistics
# ---------------------------------------------------------------------------------------

def test_stat_matches_numpy_and_scipy():
    x = np.array([0.91, 0.95, 0.93, 0.97, 0.92, np.nan])
    s = stats.Stat(x)
    good = x[:-1]
    assert (s.n, s.n_nan) == (5, 1)
    assert s.mean == pytest.approx(good.mean()) and s.sd == pytest.approx(good.std(ddof=1))
    lo, hi = sps.t.interval(0.95, 4, loc=good.mean(), scale=sps.sem(good))
    assert s.ci() == pytest.approx((lo, hi))


def test_tolerance_is_tol_se_standard_errors_of_a_difference():
    s = stats.Stat([1.0, 2.0, 3.0, 4.0])
    expected = stats.TOL_SE * math.sqrt(2) * s.se
    assert s.tol("mean") == pytest.approx(expected, rel=1e-4)
    assert stats.Stat([0.5, 0.5, 0.5]).tol("mean") > 0  # a floor for float noise
    assert s.tol("n") == 0.0


def test_paired_test_matches_scipy():
    rng = np.random.default_rng(0)
    b = rng.normal(size=12)
    a = b + 0.5 + rng.normal(scale=0.3, size=12)
    pair = stats.Paired(a, b)
    assert pair.p() == pytest.approx(sps.ttest_rel(a, b).pvalue)
    assert pair.p("greater") == pytest.approx(sps.ttest_rel(a, b, alternative="greater").pvalue)
    assert pair.t == pytest.approx(sps.ttest_rel(a, b).statistic)
    assert pair.greater() and not pair.less() and pair.wins == int((a > b).sum())
    assert not pair.within(0.1) and stats.Paired(b + 1e-3, b).within(0.01)


def test_paired_rejects_unpaired_lengths():
    with pytest.raises(ValueError, match="one value per seed"):
        stats.Paired([1.0, 2.0], [1.0, 2.0, 3.0])


@pytest.mark.parametrize("k, n", [(0, 20), (7, 20), (20, 20), (42, 100)])
def test_wilson_interval_matches_scipy(k, n):
    lo, hi = stats.Proportion(k, n).ci()
    ref = sps.binomtest(k, n).proportion_ci(method="wilson")
    assert (lo, hi) == pytest.approx((ref.low, ref.high), abs=1e-12)
    assert stats.Proportion(k, n).tol("k") > 0


def test_stat_show_is_measured_with_values_in_text_order():
    s = stats.Stat([0.5, 0.6, 0.7])
    m = s.show("{mean:.1f} % ± {sd:.1f} (n = {n})", scale=100)
    assert m.text == "60.0 % ± 10.0 (n = 3)"
    assert m.values == pytest.approx((60.0, 10.0, 3))
    assert m.tols[2] == 0.0 and m.tols[0] == pytest.approx(100 * s.tol("mean"))


# ---------------------------------------------------------------------------------------
# measured values and tables
# ---------------------------------------------------------------------------------------

def test_measured_displays_text_and_a_record():
    m = report.measured(0.123456, rtol=1e-3, fmt="{:.2f}")
    bundle = m._repr_mimebundle_()
    assert bundle["text/plain"] == "0.12" and format(m, ".4f") == "0.1235"
    assert bundle[report.MIME] == {"values": [0.123456], "tols": [pytest.approx(1.23456e-4)]}
    with pytest.raises(ValueError, match="tol"):
        report.measured(1.0)


def test_table_markdown_and_record():
    m = report.measured(2.5, tol=0.1, fmt="{:.1f}")
    t = report.Table(["name", "value", "count"], [["a|b", m, 3], ["c", 0.5, 4]], caption="T")
    md = t.markdown()
    assert md.startswith("**T**") and "| a\\|b | 2.5 | 3 |" in md and "|:--|--:|--:|" in md
    assert t._repr_mimebundle_()[report.MIME] == {"values": [2.5], "tols": [0.1]}
    with pytest.raises(ValueError, match="row 0"):
        report.Table(["a", "b"], [["only one"]])


def test_text_glues_without_quote_marks(monkeypatch):
    glued = {}
    import myst_nb

    monkeypatch.setattr(myst_nb, "glue", lambda name, value, display=True: glued.update(
        {name: value._repr_mimebundle_() if hasattr(value, "_repr_mimebundle_") else repr(value)}))
    report.glue("word", "0.956")
    assert glued["word"] == {"text/plain": "0.956"}


def test_claim_quotes_the_statement():
    report.claim(True, "fine")
    with pytest.raises(report.ClaimFailed, match="ReLU dies more"):
        report.claim(np.bool_(False), "ReLU dies more")


# ---------------------------------------------------------------------------------------
# the comparison
# ---------------------------------------------------------------------------------------

def _output(m: report.Measured, extra_text=""):
    bundle = m._repr_mimebundle_()
    return {"output_type": "display_data", "metadata": {},
            "data": {"text/plain": bundle["text/plain"] + extra_text, report.MIME: bundle[report.MIME]}}


def test_compare_outputs_tolerates_within_and_flags_beyond():
    ref = [_output(report.measured(0.90, tol=0.02, fmt="{:.2f}"))]
    close = [_output(report.measured(0.91, tol=0.02, fmt="{:.2f}"))]
    far = [_output(report.measured(0.95, tol=0.02, fmt="{:.2f}"))]
    t, r, problems = report.compare_outputs(close, ref)
    assert t == r and problems == []
    _, _, problems = report.compare_outputs(far, ref)
    assert problems and "tolerance" in problems[0]
    changed = [_output(report.measured(0.90, tol=0.02, fmt="{:.2f}"), " dead")]
    t, r, _ = report.compare_outputs(changed, ref)
    assert t != r  # the words around the numbers are still compared


def _notebook(tmp_path: Path, value: float, saved: float) -> Path:
    import nbformat
    from nbclient import NotebookClient

    code = ("from actlib.teaching.report import measured\n"
            f"measured({value!r}, tol=0.01, fmt='{{:.3f}}')")
    nb = nbformat.v4.new_notebook(cells=[nbformat.v4.new_code_cell(code)])
    nb.metadata["kernelspec"] = {"name": "python3", "display_name": "Python 3", "language": "python"}
    NotebookClient(nb, kernel_name="python3").execute()
    rec = nb.cells[0].outputs[0]["data"]
    rec["text/plain"] = f"{saved:.3f}"
    rec[report.MIME] = {"values": [saved], "tols": [0.01]}
    path = tmp_path / "measured.ipynb"
    nbformat.write(nb, path)
    return path


@pytest.mark.slow
@pytest.mark.parametrize("saved, passes", [(0.505, True), (0.53, False)])
def test_nbval_compares_measured_outputs_within_tolerance(tmp_path, saved, passes):
    path = _notebook(tmp_path, 0.5, saved)
    env = {**os.environ, "PYTHONPATH": str(ROOT)}
    out = subprocess.run([sys.executable, "-m", "pytest", "-p", "conftest", "--nbval", str(path),
                          "-q", "-p", "no:cacheprovider", "--rootdir", str(tmp_path)],
                         capture_output=True, text=True, env=env, cwd=tmp_path)
    assert (out.returncode == 0) == passes, out.stdout[-2000:]
    if not passes:
        assert "tolerance" in out.stdout


def test_measured_record_is_json():
    rec = report.measured(float("nan"), tol=0.1)._repr_mimebundle_()[report.MIME]
    assert json.loads(json.dumps(rec)) == {"values": [None], "tols": [0.1]}


def test_choose_widens_the_tolerance_over_tied_options():
    rng = np.random.default_rng(0)
    val = np.stack([0.90 + 0.01 * rng.standard_normal(10), 0.95 + 0.01 * rng.standard_normal(10),
                    0.951 + 0.01 * rng.standard_normal(10)])
    test = val + np.array([[0.0], [0.0], [0.02]])
    choice = stats.choose(val, test)
    assert choice.index in (1, 2) and set(choice.ties) == {1, 2}
    plain = choice.stat.show()
    wide = choice.show()
    assert wide.tols[0] > plain.tols[0] + 0.015
    assert choice.show_option([0.1, 0.2, 0.3]).tols[0] == pytest.approx(0.1)
    clear = stats.choose(val[:2], test[:2])
    assert clear.ties == (1,) and clear.show().tols == clear.stat.show().tols
