"""The NaN / ±inf / kink table: computed, stated in actlib.nn.semantics, shown on the activation-table page."""

from __future__ import annotations

import json
import math
from pathlib import Path

import numpy as np
import pytest

torch = pytest.importorskip("torch")

import actlib  # noqa: E402
from actlib.nn import autograd, semantics  # noqa: E402

ROWS = list(semantics.rows())
BOOK_PAGE = Path(__file__).parents[1] / "book" / "activation-table.ipynb"


def test_the_table_covers_every_activation_at_nan_infinities_and_kinks():
    seen = {(r.name, r.point) for r in ROWS}
    for rec in actlib.activations():
        for point in ("NaN", "−∞", "+∞", *(semantics._label(k) for k in rec.kinks_at())):
            assert (rec.name, point) in seen, (rec.name, point)
        assert all(impl in next(r for r in ROWS if r.name == rec.name).values
                   for impl in ("actlib", "actlib.nn"))
        assert ("torch" in next(r for r in ROWS if r.name == rec.name).values) == (rec.torch is not None)


@pytest.mark.parametrize("rec", [r for r in actlib.activations() if not r.elementwise], ids=lambda r: r.name)
def test_a_vector_or_gated_activation_is_probed_along_one_input(rec):
    """f and f′ of a row are the first output and its derivative with respect to the probed input,
    recomputed here from the record's numpy function and Jacobian."""
    inputs, j = semantics.probe(rec)
    for x in (-1.5, 0.25, 2.0):
        v = np.array(inputs(x))
        assert v[j] == x and len(v) == 2
        row = semantics.row(rec, x)
        h = 1e-6
        up, down = v.copy(), v.copy()
        up[j] += h
        down[j] -= h
        f = rec.fn(v)[0]
        assert row.values["actlib"][0] == f
        assert row.values["actlib"][1] == pytest.approx((rec.fn(up)[0] - rec.fn(down)[0]) / (2 * h), rel=1e-6)
        assert row.where == semantics.where(rec, x) and semantics._label(x) in row.where


@pytest.mark.parametrize("rec", [r for r in actlib.activations() if not r.elementwise and r.kinks_at()],
                         ids=lambda r: r.name)
def test_kinks_of_the_other_kinds_are_where_the_probe_bends(rec):
    """A non-elementwise record's kinks are points of its probe where f or f′ jumps."""
    inputs, j = semantics.probe(rec)
    h = 1e-6
    for k in rec.kinks_at():
        left, right = np.array(inputs(k - h)), np.array(inputs(k + h))
        d_left, d_right = rec.derivative(left)[0, j], rec.derivative(right)[0, j]
        assert abs(rec.fn(right)[0] - rec.fn(left)[0]) > 1e-4 or abs(d_right - d_left) > 1e-3, rec.name


def test_the_docstring_states_exactly_the_computed_differences():
    assert semantics.stated_differences() == semantics.differences_text(ROWS)


def test_every_difference_has_a_reason_and_no_reason_is_stale():
    differing = semantics.differences(ROWS)
    assert all(r.reason for r in differing), [r.name for r in differing if not r.reason]
    used = {(r.name, r.kind) if (r.name, r.kind) in semantics.REASONS else ("*", r.kind) for r in differing}
    assert set(semantics.REASONS) == used


@pytest.mark.parametrize("row", [r for r in ROWS if r.name in autograd.FUNCTIONS],
                         ids=lambda r: f"{r.name}-{r.point}")
def test_autograd_functions_agree_with_actlib_everywhere(row):
    assert not row.differs("actlib.nn.autograd"), row.values


def test_actlib_follows_its_stated_rules():
    """NaN in, NaN out; ±inf give the limits; the derivative at a kink is PyTorch's (tested in test_torch_side)."""
    for r in ROWS:
        f, df = r.values["actlib"]
        rec = actlib.get(r.name)
        if r.point == "NaN":
            assert math.isnan(f) and math.isnan(df), r
        elif r.point in ("−∞", "+∞"):
            if rec.elementwise:
                assert f == rec.properties.limits[r.point == "+∞"]
            else:  # the limit along the probe: f at a far point, where it has settled
                inputs, _ = semantics.probe(rec)
                far = rec.fn(inputs(1e300 if r.point == "+∞" else -1e300))[0]
                assert f == far or (math.isinf(f) and math.copysign(1, f) == math.copysign(1, far)
                                    and abs(far) > 1e290), r
            assert not math.isnan(df), r
            assert math.isfinite(df) or r.name == "squared_relu", r  # 2x grows without bound


def test_relu_at_nan_is_the_motivating_example():
    row = semantics.row("relu", math.nan)
    assert math.isnan(row.values["actlib"][1]) and math.isnan(row.values["actlib.nn.autograd"][1])
    assert row.values["torch"][1] == 1.0 and row.differs("torch") and not row.differs("actlib.nn.autograd")


def test_the_activation_table_page_shows_the_table_and_every_reason():
    """The page's saved output holds every row of the table and every reason (nbval re-runs it)."""
    nb = json.loads(BOOK_PAGE.read_text(encoding="utf-8"))
    code = "\n".join("".join(c["source"]) for c in nb["cells"] if c["cell_type"] == "code")
    assert "semantics.table(" in code and "semantics.rows()" in code
    shown = "".join("".join(o.get("data", {}).get("text/markdown", "")) for c in nb["cells"]
                    if c["cell_type"] == "code" for o in c.get("outputs", []))
    _, cells = semantics.table(ROWS)
    for line in cells:
        assert "| " + " | ".join(line[:-1]) + " |" in shown, line
    for reason in {r.reason for r in semantics.differences(ROWS)}:
        assert reason in shown
