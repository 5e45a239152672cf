"""Explorers: controls change the plotted data to actlib's values, live and static."""

from __future__ import annotations

import base64
import json
import re

import numpy as np
import pytest

import actlib
from actlib.teaching.explorers import MAX_BYTES, Explorer, Series, Slider, explore

EXPLORABLE = actlib.names(kind="elementwise") + actlib.names(kind="vector")


def decode(b64: str) -> np.ndarray:
    return np.frombuffer(base64.b64decode(b64), dtype="<f4")


def static_payload(ex: Explorer) -> dict:
    html = ex.to_html()
    m = re.search(r'<script type="application/json" class="actlib-data">(.*?)</script>', html, re.S)
    return json.loads(m.group(1).replace("<\\/", "</"))


@pytest.mark.parametrize("name", EXPLORABLE)
def test_static_page_weight_is_within_budget(name):
    assert len(explore(name).to_html().encode()) <= MAX_BYTES


@pytest.mark.parametrize("name", [n for n in actlib.names(kind="elementwise")
                                  if any(p.slider for p in actlib.get(n).params)])
def test_static_curves_are_actlibs_values_on_every_grid_point(name):
    rec = actlib.get(name)
    ex = explore(name)
    data = static_payload(ex)
    grid = decode(data["grid"])
    xs = [decode(s["x"]) for s in data["series"]]
    per_combo = sum(s["n"] for s in data["series"])
    sliders = data["sliders"]
    sizes = [len(s["values"]) for s in sliders]
    fixed = {p.name: p.default for p in rec.params if p.slider is None}
    for flat in range(int(np.prod(sizes))):
        idx, rest = [], flat
        for n in reversed(sizes):
            idx.append(rest % n)
            rest //= n
        params = {s["name"]: s["values"][i] for s, i in zip(sliders, reversed(idx), strict=True)}
        ys = grid[flat * per_combo:(flat + 1) * per_combo]
        f, d = ys[:len(xs[0])], ys[len(xs[0]):]
        x = xs[0].astype(np.float64)
        np.testing.assert_allclose(f, rec.fn(x, **fixed, **params), rtol=1e-6, atol=1e-30)
        np.testing.assert_allclose(d, rec.derivative(x, **fixed, **params), rtol=1e-6, atol=1e-30)


@pytest.mark.parametrize("name", ["leaky_relu", "elu", "swish", "softplus", "prelu", "rrelu"])
def test_moving_a_live_slider_replots_actlibs_values(name):
    rec = actlib.get(name)
    ex = explore(name)
    w = ex.widget()
    for s in ex.sliders:
        before = w.plot.value
        target = s.values[len(s.values) // 3] if s.values[len(s.values) // 3] != s.default else s.values[-1]
        w.controls[s.name].value = target
        after = w.plot.value
        assert after != before, "the SVG did not change"
        params = {**{p.name: p.default for p in rec.params if p.slider is None}, **ex.values}
        f, d = ex.series()[:2]
        np.testing.assert_allclose(f.y, rec.fn(f.x, **params))
        np.testing.assert_allclose(d.y, rec.derivative(d.x, **params))
        # the drawn path is the data: the same numbers map to the same SVG path
        assert ex._path(f.x, f.y) in after


def test_compare_selector_adds_the_other_activation():
    ex = explore("gelu", compare=["relu", "silu"])
    w = ex.widget()
    assert w.controls["compare with"].value == "none"
    w.controls["compare with"].value = "silu"
    labels = [s.label for s in ex.current()]
    assert "silu(x)" in labels
    silu = next(s for s in ex.current() if s.label == "silu(x)")
    np.testing.assert_allclose(silu.y, actlib.silu(silu.x))


def test_set_updates_the_widget_and_rejects_unknown_names():
    ex = explore("elu")
    w = ex.widget()
    ex.set(alpha=2.0)
    assert w.controls["alpha"].value == 2.0
    with pytest.raises(ValueError, match="no slider called 'beta'"):
        ex.set(beta=1.0)
    with pytest.raises(ValueError, match="unknown compare with choice"):
        ex.set(overlay="nope")


def test_static_html_has_labelled_keyboard_controls_and_a_default_image():
    html = explore("elu").to_html()
    assert re.search(r'<label[^>]*>alpha \(α\) <input type="range"', html)
    assert 'aria-valuetext="alpha (α) = 1"' in html
    assert "<output" in html and ">1</output>" in html
    assert '<path data-series="0" d="M' in html  # the default curve is drawn without JavaScript
    assert "<title" in html and "<desc" in html
    assert not re.search(r"https?://(?!www\.w3\.org/2000/svg)", html), "nothing may be fetched"


def test_static_html_is_deterministic():
    assert explore("swish").to_html() == explore("swish").to_html()


def test_mimebundle_outside_a_kernel_is_html_and_text():
    bundle = explore("relu")._repr_mimebundle_()
    assert set(bundle) == {"text/plain", "text/html"}
    assert bundle["text/plain"].startswith("<Explorer")


def test_generic_explorer_with_log_scale():
    layers = np.arange(1, 21, dtype=float)

    def compute(depth):
        return [Series("0.25^L", layers, np.where(layers <= depth, 0.25 ** layers, np.nan))]

    ex = Explorer(compute, [Slider.range("depth", 2, 20, 1, 10, integer=True)], yscale="log",
                  title="bound", ylabel="gradient factor", xlabel="layer")
    data = static_payload(ex)
    assert data["geometry"]["log"] is True
    assert len(data["sliders"][0]["values"]) == 19
    w = ex.widget()
    w.controls["depth"].value = 5
    np.testing.assert_allclose(ex.series()[0].y[:5], 0.25 ** np.arange(1, 6))
    assert np.isnan(ex.series()[0].y[5:]).all()


def test_x_that_changes_with_a_slider_is_refused():
    ex = Explorer(lambda n: [Series("y", np.arange(int(n)), np.ones(int(n)))],
                  [Slider.range("n", 2, 5, 1, 3, integer=True)])
    with pytest.raises(ValueError, match="same x for every setting"):
        ex.to_html()


def test_slider_default_must_be_on_the_grid():
    with pytest.raises(ValueError, match="not on the grid"):
        Slider("a", (0.0, 1.0), 0.5)


def test_too_heavy_explorer_is_refused():
    x = np.linspace(0, 1, 2000)
    ex = Explorer(lambda a: [Series("y", x, x * a)], [Slider.range("a", 0, 1, 0.01, 0.5)])
    with pytest.raises(ValueError, match="budget"):
        ex.to_html()


def test_explorers_for_non_elementwise_records_are_refused_clearly():
    with pytest.raises(ValueError, match="not elementwise"):
        explore("maxout")
