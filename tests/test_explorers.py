"""Explorers: every state's data is actlib's, in the static page and in the live widget;
controls and arguments are checked; the page is deterministic and self-contained."""

from __future__ import annotations

import base64
import json
import math
import re

import numpy as np
import pytest

import actlib
from actlib.teaching.explorers import (
    MAX_BYTES,
    Choice,
    Explorer,
    Field,
    FieldView,
    Grid,
    Heatmaps,
    Hist,
    Histograms,
    Lines,
    Note,
    Points,
    Rule,
    Series,
    Slider,
    Units,
    explore,
    pack,
)
from actlib.teaching.explorers.frames import measured_record
from actlib.teaching.explorers.page import module_source, script_source
from actlib.teaching.report import MIME

EXPLORABLE = actlib.names(kind="elementwise") + actlib.names(kind="vector")


def payload(ex: Explorer) -> dict:
    m = re.search(r'<script type="application/json" class="actlib-data">(.*?)</script>', ex.to_html(), re.S)
    return json.loads(m.group(1).replace("<\\/", "</"))


def page_frames(data: dict):
    """Every state's frame as the page decodes it (a Python reading of the page format)."""
    blob = base64.b64decode(data["blob"])
    offs = np.frombuffer(base64.b64decode(data["off"]), "<u4")
    rows = np.frombuffer(base64.b64decode(data["rows"]), "<u2" if data["it"] == "u16" else "<u4")
    pad = 0xFFFF if data["it"] == "u16" else 0xFFFFFFFF
    n_states = int(np.prod([len(c.get("values") or c["options"]) for c in data["spec"]["controls"]]))
    rows = rows[:n_states * data["rw"]].reshape(n_states, data["rw"])
    for row in rows:
        blobs = [blob[offs[b]:offs[b + 1]] for b in row[1:] if b != pad]
        yield decode_frame({"s": data["skel"][row[0]], "b": blobs})


def decode_frame(wire: dict):
    def walk(node):
        if isinstance(node, list):
            return [walk(n) for n in node]
        if isinstance(node, dict):
            if "$" in node:
                raw = wire["b"][node["$"]]
                raw = base64.b64decode(raw) if isinstance(raw, str) else raw
                a = pack.decode(raw, node["e"], node["n"])
                return a.reshape(node["shape"]) if "shape" in node else a
            return {k: walk(v) for k, v in node.items()}
        return node
    return walk(wire["s"])


def grid_params(data: dict):
    """The control values of every state, in the page's order (last control fastest)."""
    import itertools
    controls = data["spec"]["controls"]
    for combo in itertools.product(*(c.get("values") or c["options"] for c in controls)):
        yield dict(zip([c["name"] for c in controls], combo, strict=True))


# --- activation explorers -----------------------------------------------------------------

@pytest.mark.parametrize("name", EXPLORABLE)
def test_static_page_weight_is_within_budget(name):
    assert len(explore(name).to_html().encode()) <= MAX_BYTES


@pytest.mark.parametrize("name", [n for n in actlib.names(kind="elementwise")
                                  if any(p.slider for p in actlib.get(n).params)])
def test_static_curves_are_actlibs_values_in_every_state(name):
    rec = actlib.get(name)
    data = payload(explore(name))
    fixed = {p.name: p.default for p in rec.params if p.slider is None}
    slider_names = {p.name for p in rec.params if p.slider}
    for state, frame in zip(grid_params(data), page_frames(data), strict=True):
        params = {k: v for k, v in state.items() if k in slider_names}
        f, d = frame["views"][0][:2]
        x = f["x"]
        np.testing.assert_allclose(f["y"], rec.fn(x, **fixed, **params), rtol=2e-7, atol=1e-30)
        np.testing.assert_allclose(d["y"], rec.derivative(x, **fixed, **params), rtol=2e-7, atol=1e-30)
        other = state.get("compare with", "none")
        assert [s["label"] for s in frame["views"][0][2:]] == (
            [] if other == "none" else [f"{other}(x)", f"{other}′(x)"])
        if other != "none":
            np.testing.assert_allclose(frame["views"][0][2]["y"], actlib.get(other).fn(x), rtol=2e-7, atol=1e-30)


def test_softmax_bars_are_the_probabilities_at_every_temperature():
    data = payload(explore("softmax"))
    logits = np.array(data["spec"]["meta"]["fixed_params"]["logits"])
    for state, frame in zip(grid_params(data), page_frames(data), strict=True):
        bars = frame["views"][0][0]
        np.testing.assert_allclose(bars["y"], actlib.softmax(logits, temperature=state["temperature"]), rtol=2e-7)


@pytest.mark.parametrize("name", ["leaky_relu", "elu", "swish", "softplus", "prelu", "rrelu"])
def test_moving_a_live_slider_sends_actlibs_values(name):
    rec = actlib.get(name)
    ex = explore(name)
    w = ex.widget()
    fixed = {p.name: p.default for p in rec.params if p.slider is None}
    for i, s in enumerate(ex.sliders):
        before = w.frame
        state = list(w.state)
        state[i] = len(s.values) // 3 if s.values[len(s.values) // 3] != ex.values[s.name] else len(s.values) - 1
        w.state = state                                   # what the page does when a slider moves
        assert w.frame != before, "the widget's frame did not change"
        params = {**fixed, **ex.values}
        assert ex.values[s.name] == s.values[state[i]]
        f, d = decode_frame(w.frame)["views"][0][:2]
        np.testing.assert_allclose(f["y"], rec.fn(f["x"], **params), rtol=2e-7, atol=1e-30)
        np.testing.assert_allclose(d["y"], rec.derivative(d["x"], **params), rtol=2e-7, atol=1e-30)


def test_compare_choice_adds_the_other_activation():
    ex = explore("gelu", compare=["relu", "silu"])
    w = ex.widget()
    assert ex.controls[-1].name == "compare with" and ex.overlay == "none"
    w.state = [*w.state[:-1], list(ex.overlays).index("silu")]
    labels = [s["label"] for s in decode_frame(w.frame)["views"][0]]
    assert labels == ["gelu(x)", "gelu′(x)", "silu(x)", "silu′(x)"]
    silu = next(s for s in ex.frame_items()[0] if s.label == "silu(x)")
    np.testing.assert_allclose(silu.y, actlib.silu(silu.x))


def test_one_compare_name_is_the_initial_choice():
    assert explore("swish", compare="relu").overlay == "relu"
    assert explore("swish").overlay == "none"


def test_set_moves_the_widget_and_rejects_unknown_names():
    ex = explore("elu")
    w = ex.widget()
    ex.set(alpha=2.0)
    assert w.state[0] == ex.sliders[0].index(2.0)
    f = decode_frame(w.frame)["views"][0][0]
    np.testing.assert_allclose(f["y"], actlib.elu(f["x"], alpha=2.0), rtol=2e-7)
    with pytest.raises(ValueError, match="no control called 'beta'"):
        ex.set(beta=1.0)
    with pytest.raises(ValueError, match="unknown compare with choice"):
        ex.set(overlay="nope")


def test_static_html_is_self_contained_and_deterministic():
    html = explore("swish").to_html()
    assert html == explore("swish").to_html()
    assert not re.search(r"https?://(?!www\.w3\.org/2000/svg)", html), "nothing may be fetched"
    assert re.match(r'<div class="actlib-explorer" id="actlib-x[0-9a-f]{10}" data-explorer="Swish', html)
    assert '<p class="actlib-fallback">Plot of Swish' in html   # shown where JavaScript does not run
    # the id names what the explorer is, not its data
    assert re.search(r'id="(actlib-x\w+)"', explore("swish", num=81).to_html()).group(1) == \
        re.search(r'id="(actlib-x\w+)"', html).group(1)


def test_the_page_runs_the_module_that_the_widget_loads():
    src = module_source()
    script = script_source()
    assert src.rstrip().endswith("export default { render };")
    assert "export" not in script and "return { render, mountStatic };" in script
    for name in ("function render(", "function staticModel(", "VIEWS.lines", "VIEWS.histograms",
                 "VIEWS.heatmaps", "VIEWS.field"):
        assert name in src and name in script
    from actlib.teaching.explorers.widget import ExplorerWidget
    assert str(ExplorerWidget._esm) == src


def test_mimebundle_outside_a_kernel_is_html_and_text():
    bundle = explore("relu")._repr_mimebundle_()
    assert set(bundle) == {"text/plain", "text/html"}
    assert bundle["text/plain"].startswith("<Explorer")


# --- bad arguments name the argument, what was given and what is allowed --------------------

@pytest.mark.parametrize("kwargs, error, fragment", [
    ({"max_values": 0}, ValueError, r"max_values=0 is out of range.*\[2, inf\)"),
    ({"max_values": -3}, ValueError, r"max_values=-3 is out of range"),
    ({"max_values": 2.5}, TypeError, r"max_values must be an integer, got 2.5"),
    ({"num": 0}, ValueError, r"num=0 is out of range.*\[2, 10001\]"),
    ({"num": "many"}, TypeError, r"num must be an integer, got 'many'"),
    ({"x": (0, 0)}, ValueError, r"x must be a range with low < high, got x=\(0, 0\)"),
    ({"x": (5, -5)}, ValueError, r"x must be a range with low < high, got x=\(5, -5\)"),
    ({"x": (-math.inf, math.inf)}, ValueError, r"x\[0\] must be finite, got -inf"),
    ({"x": (0, math.nan)}, ValueError, r"x\[1\] must be a number, got nan"),
    ({"x": (1, 2, 3)}, ValueError, r"x must be a pair \(low, high\).*got 3 values"),
    ({"x": 5}, TypeError, r"x must be a pair \(low, high\) of finite numbers, got 5"),
    ({"derivative": "no"}, TypeError, r"derivative must be True or False, got 'no'"),
    ({"compare": 3}, TypeError, r"compare must be an activation name or a list of names, got 3"),
    ({"compare": []}, ValueError, r"compare is empty"),
    ({"compare": "softmax"}, ValueError, r"compare='softmax': only elementwise activations"),
    ({"compare": "no_such_unit"}, KeyError, r"no activation called 'no_such_unit'"),
])
def test_bad_arguments_are_refused_clearly(kwargs, error, fragment):
    with pytest.raises(error, match=fragment):
        explore("elu", **kwargs)


def test_softmax_refuses_compare_instead_of_ignoring_it():
    with pytest.raises(ValueError, match=r"compare='relu' is not available for softmax"):
        explore("softmax", compare="relu")


def test_explorers_for_non_elementwise_records_are_refused_clearly():
    with pytest.raises(ValueError, match="not elementwise"):
        explore("maxout")
    with pytest.raises(TypeError, match="name must be an activation name"):
        explore(3)


def test_slider_grids_and_defaults_are_checked():
    with pytest.raises(ValueError, match="not on the grid"):
        Slider("a", (0.0, 1.0), 0.5)
    with pytest.raises(ValueError, match="finite and increasing"):
        Slider("a", (0.0, 2.0, 1.0), 0.0)
    with pytest.raises(ValueError, match="start < stop and step > 0"):
        Slider.range("a", 1, 0, 0.1, 0.5)
    with pytest.raises(ValueError, match="not one of"):
        Choice("c", ("x", "y"), "z")
    # the grid reaches the values a text names, e.g. He's sqrt(2)
    s = Slider("scale", (1.0, round(math.sqrt(2), 4), 2.0), 1.4142)
    assert s.fmt(s.default) == "1.414"


# --- generic explorers ----------------------------------------------------------------------

def test_log_axes_are_fitted_to_the_data_of_every_state():
    layers = np.arange(1, 21, dtype=float)

    def compute(depth):
        return [Series("0.25^L", layers, np.where(layers <= depth, 0.25 ** layers, np.nan))]

    ex = Explorer(compute, [Slider.range("depth", 2, 20, 1, 10, integer=True)], yscale="log",
                  title="bound", ylabel="gradient factor", xlabel="layer")
    view = payload(ex)["spec"]["views"][0]
    assert view["yscale"] == "log"
    lo, hi = view["ylim"]
    assert 0.25 ** 20 / 2 < lo < 0.25 ** 20 and 0.25 < hi < 0.25 * 2
    assert view["xlim"] == [1.0, 20.0]
    w = ex.widget()
    w.state = [3]
    np.testing.assert_allclose(ex.items()[0][0].y[:5], 0.25 ** np.arange(1, 6))
    assert np.isnan(ex.items()[0][0].y[5:]).all()


def test_x_may_change_with_a_slider():
    ex = Explorer(lambda n: [Series("y", np.arange(int(n)), np.ones(int(n)))],
                  [Slider.range("n", 2, 5, 1, 3, integer=True)])
    frames = list(page_frames(payload(ex)))
    assert [len(f["views"][0][0]["x"]) for f in frames] == [2, 3, 4, 5]


def test_too_heavy_explorer_is_refused():
    x = np.linspace(0, 1, 2000)
    ex = Explorer(lambda a: [Series("y", x, x * a)], [Slider.range("a", 0, 1, 0.01, 0.5)])
    with pytest.raises(ValueError, match="budget"):
        ex.to_html()


def test_blobs_shared_between_states_are_stored_once():
    x = np.linspace(0, 1, 500)
    fixed = np.sin(x)
    ex = Explorer(lambda a: [Series("fixed", x, fixed), Series("moving", x, a * x + 2)],
                  [Slider.range("a", 0, 1, 0.1, 0.5)])
    data = payload(ex)
    blob_bytes = len(base64.b64decode(data["blob"]))
    assert blob_bytes == 4 * 500 * (1 + 1 + 11)      # x once, the fixed curve once, 11 moving curves


def field_from_codes(codes, levels):
    """The likeliest class and its confidence from the page's one-byte codes."""
    cls = np.floor(np.asarray(codes) / levels)
    return cls, (np.asarray(codes) - cls * levels) / (levels - 1)


def multi_view_explorer():
    """Every view kind, with a choice and a slider, and tolerances on the measured items."""
    rng = np.random.default_rng(0)
    pts = rng.normal(size=(2, 20))

    def compute(mode, step):
        k = 1.0 if mode == "a" else 2.0
        hists = [Hist(f"layer {i}", np.abs(np.sin(np.arange(16) * k + i + step)), -1, 1,
                      note=Note("{0:.0%} saturated", (0.1 * i,), tol=0.01), tol=0.05) for i in range(3)]
        grids = [Grid(f"layer {i}", (np.arange(12).reshape(3, 4) + step + i) % 3 == 0, record=False,
                      note=Note("{0:d} dead", (i,))) for i in range(3)]
        probs = np.stack([np.full((8, 8), 0.3 + 0.05 * step), np.full((8, 8), 0.7 - 0.05 * step)])
        return [[Series("loss", np.arange(5.0), np.exp(-k * np.arange(5.0)), tol=0.01), Rule(x=step)],
                hists, grids,
                [Field(probs, tol=0.1), Points(pts[0], pts[1], (pts[0] > 0).astype(float), ("neg", "pos")),
                 Units(np.ones(3), np.zeros(3), np.arange(3.0) - 1, np.array([0, 1, 0])),
                 Note("accuracy {0:.2f}", (0.9,), tol=0.02)]]

    return Explorer(compute, [Choice("mode", ("a", "b"), label="mode"),
                              Slider.range("step", 0, 4, 1, 0, label="step", integer=True, play=True)],
                    title="every view", description="A test explorer with every view kind.",
                    views=[Lines(xlabel="epoch", ylabel="loss", yscale="log"), Histograms(xlabel="h"),
                           Heatmaps(palette="binary", legend=[["dead", "#c9410c"]]),
                           FieldView(xlim=(-3, 3), ylim=(-3, 3))],
                    max_bytes=200_000)


def test_every_view_kind_packs_and_decodes_within_its_encoding():
    ex = multi_view_explorer()
    data = payload(ex)
    assert [v["kind"] for v in data["spec"]["views"]] == ["lines", "histograms", "heatmaps", "field"]
    for state, frame in zip(grid_params(data), page_frames(data), strict=True):
        lines, hists, grids, field = ex.frame_items(state)
        got = frame["views"]
        np.testing.assert_allclose(got[0][0]["y"], lines[0].y, rtol=2e-7)
        assert got[0][1]["x"][0] == state["step"]
        for h, g in zip(hists, got[1], strict=True):
            assert np.abs(g["counts"] - h.counts).max() <= pack.quantum(h.counts, "q8") + 1e-7
            assert g["note"]["text"] == "{0:.0%} saturated"
        for gr, g in zip(grids, got[2], strict=True):
            np.testing.assert_array_equal(g["values"], gr.values.astype(float))
        codes = got[3][0]["codes"]
        cls, conf = field_from_codes(codes, got[3][0]["levels"])
        np.testing.assert_array_equal(cls, field[0].probs.argmax(0))
        want = (field[0].probs.max(0) - 0.5) / 0.5
        assert codes.shape == (8, 8) and np.abs(conf - want).max() <= 0.5 / (got[3][0]["levels"] - 1) + 1e-9
        np.testing.assert_array_equal(got[3][2]["dead"], [0, 1, 0])


def test_measured_record_holds_every_measured_value_once_with_its_tolerance():
    ex = multi_view_explorer()
    bundle = ex._repr_mimebundle_()
    record = bundle[MIME]
    # per state (2 modes x 5 steps): loss curve 5, three histograms 3 x (16 + 1 note), the
    # maps' notes 3 (not their pixels), field 128, field note 1, points 40 (exact: float
    # tolerance), units 9. Items are taken once per object, so compute's new objects count
    # in every state.
    per_state = 5 + 3 * 17 + 3 + 128 + 1 + 40 + 9
    assert len(record["values"]) == len(record["tols"]) == 10 * per_state
    assert record["tols"][0] == pytest.approx(0.01, rel=2e-3)
    shared = Series("s", np.arange(3.0), np.ones(3), tol=0.1)
    once = Explorer(lambda a: [shared, Series("a", np.arange(3.0), a * np.ones(3))],
                    [Slider.range("a", 0, 1, 0.5, 0)])
    assert len(measured_record(once)["values"]) == 3 + 3 * 3   # the shared curve once
    plain = explore("elu")._repr_mimebundle_()
    assert MIME not in plain          # exact explorers are compared exactly instead


@pytest.mark.parametrize("enc", ["f4", "q8", "q16", "l16", "b1"])
def test_encodings_round_trip_within_half_a_step(enc):
    rng = np.random.default_rng(1)
    v = rng.lognormal(size=300) if enc == "l16" else (rng.random(300) > 0.5) * 1.0 if enc == "b1" \
        else rng.normal(size=300)
    if enc in ("q8", "q16"):
        v[7] = np.nan
    back = pack.decode(pack.encode(v, enc), enc, v.size)
    finite = np.isfinite(v)
    assert np.array_equal(np.isnan(back), ~finite)
    err = np.abs(back[finite] - v[finite]) / (v[finite] if enc == "l16" else 1.0)
    assert err.max() <= pack.quantum(v, enc) * (1 + 1e-6) + 1e-7


def test_measured_record_is_strict_json_when_values_are_missing():
    x = np.arange(4.0)
    ex = Explorer(lambda a: [Series("y", x, np.where(x > a, x, np.nan), tol=np.where(x > a, 0.1, np.nan))],
                  [Slider.range("a", 0, 2, 1, 0)])
    record = measured_record(ex)
    json.dumps(record, allow_nan=False)
    assert record["values"][:4] == [None, 1.0, 2.0, 3.0] and record["tols"][0] == 0.0
