"""The kernel-free explorers, in Chromium: every control moves (keyboard and mouse), its
value label and aria-valuetext follow, and what is drawn is actlib's data at the new
setting. First a page made here with every view kind, then the pages of the built book."""

from __future__ import annotations

import os
import re
import sys
from pathlib import Path

import numpy as np
import pytest

import actlib
from actlib.teaching.explorers import pack

pytestmark = pytest.mark.browser

ROOT = Path(__file__).resolve().parents[1]
HTML = ROOT / "_build" / "html"
CHROMIUM = "/usr/bin/chromium"
ARGS = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
        "--disable-background-networking", "--disable-component-update", "--disable-sync"]
sys.path.insert(0, str(Path(__file__).parent))


def pages_with_explorers() -> list[Path]:
    if not HTML.is_dir():
        return []
    return sorted(p for p in HTML.rglob("*.html")
                  if "_sources" not in p.parts and 'class="actlib-explorer"' in p.read_text(errors="ignore"))


PAGES = pages_with_explorers()


@pytest.fixture(scope="module")
def browser():
    if not os.path.exists(CHROMIUM):
        pytest.skip("Debian chromium is not installed (apt-get install chromium)")
    from playwright.sync_api import sync_playwright

    with sync_playwright() as p:
        b = p.chromium.launch(executable_path=CHROMIUM, args=ARGS)
        yield b
        b.close()


def open_page(browser, url):
    pg = browser.new_page(viewport={"width": 1280, "height": 900})
    errors = []
    pg.on("console", lambda m: errors.append(m.text) if m.type == "error" else None)
    pg.on("pageerror", lambda e: errors.append(str(e)))
    pg.route(re.compile(r"^(?!file:|data:|blob:)"), lambda route: route.abort())
    pg.goto(url)
    return pg, errors


STATE_JS = "el => ({state: el.__actlib.state(), frame: el.__actlib.frame(), draws: el.__actlib.draws})"


def move_every_control(pg, root, check):
    """Move each control of one explorer by keyboard and by mouse; after every move the
    label must follow, the page must redraw, and ``check(state, frame)`` must pass."""
    assert root.locator(".actlib-controls").is_visible(), "no controls: the script did not run"
    controls = root.locator("[data-control]")
    for i in range(controls.count()):
        c = controls.nth(i)
        c.scroll_into_view_if_needed()
        before = root.evaluate(STATE_JS)
        name = c.get_attribute("data-control")
        if c.evaluate("e => e.tagName") == "INPUT":
            out = c.locator("xpath=following-sibling::output")
            label_before = out.inner_text()
            c.focus()
            pg.keyboard.press("Home" if c.input_value() == c.get_attribute("max") else "End")
            after = root.evaluate(STATE_JS)
            assert out.inner_text() != label_before, f"{name}: the value label did not change"
            assert c.get_attribute("aria-valuetext").endswith("= " + out.inner_text())
            moved = [k for k in after["state"] if after["state"][k] != before["state"][k]]
            assert moved == [name]
            assert after["draws"] > before["draws"] and after["frame"] != before["frame"], f"{name}: no redraw"
            check(after["state"], after["frame"])
            box = c.bounding_box()
            # click a third of the way from the end the slider is not at
            low_half = int(c.input_value()) <= int(c.get_attribute("max")) / 2
            pg.mouse.click(box["x"] + box["width"] * (0.8 if low_half else 0.2), box["y"] + box["height"] / 2)
            clicked = root.evaluate(STATE_JS)
            assert clicked["state"][name] != after["state"][name], f"{name}: a mouse click did not move it"
            check(clicked["state"], clicked["frame"])
        else:
            c.focus()
            pg.keyboard.press("ArrowDown" if c.input_value() != str(c.locator("option").count() - 1) else "ArrowUp")
            after = root.evaluate(STATE_JS)
            assert after["state"][name] != before["state"][name], f"{name}: the keyboard did not change it"
            check(after["state"], after["frame"])
            options = c.locator("option").all_inner_texts()
            pick = next(o for o in options if o != after["state"][name])
            c.select_option(label=pick)   # as a mouse pick does: the change event
            picked = root.evaluate(STATE_JS)
            assert picked["state"][name] == pick
            check(picked["state"], picked["frame"])


# --- every view kind, on a page made here --------------------------------------------------

def test_every_view_kind_draws_and_every_control_moves(browser, tmp_path):
    from test_explorers import field_from_codes, multi_view_explorer

    ex = multi_view_explorer()
    page = tmp_path / "views.html"
    page.write_text("<!doctype html><html lang='en'><head><meta charset='utf-8'><title>views</title></head>"
                    f"<body><main>{ex.to_html()}</main></body></html>", encoding="utf-8")
    pg, errors = open_page(browser, page.as_uri())
    root = pg.locator(".actlib-explorer")
    assert not root.locator(".actlib-fallback").is_visible()
    assert root.locator(".actlib-histograms path[data-series]").count() == 3
    assert root.locator(".actlib-heatmaps image.raster").count() == 3
    assert root.locator(".actlib-field image.raster").count() == 1
    assert root.locator(".actlib-field g.points circle").count() == 20

    def check(state, frame):
        items = ex.frame_items(state)
        lines, hists, grids, field = frame["views"]
        np.testing.assert_allclose(lines[0]["y"], items[0][0].y, rtol=2e-7)
        for got, want in zip(hists, items[1], strict=True):
            assert np.abs(np.array(got["counts"]) - want.counts).max() <= pack.quantum(want.counts, "q8") + 1e-6
        for got, want in zip(grids, items[2], strict=True):
            assert np.array_equal(np.array(got["values"]["data"]).reshape(want.values.shape), want.values)
        codes = np.array(field[0]["codes"]["data"]).reshape(8, 8)
        cls, conf = field_from_codes(codes, field[0]["levels"])
        want = items[3][0].probs
        np.testing.assert_array_equal(cls, want.argmax(0))
        assert np.abs(conf - (want.max(0) - 0.5) / 0.5).max() <= 0.5 / (field[0]["levels"] - 1) + 1e-6
        # the notes show the numbers, formatted
        notes = root.locator(".actlib-note").all_inner_texts()
        assert "accuracy 0.90" in notes

    move_every_control(pg, root, check)
    # play steps through the slider by itself
    root.locator("[data-control=step]").focus()
    pg.keyboard.press("Home")
    root.locator(".actlib-play").click()
    pg.wait_for_function("el => el.__actlib.state().step >= 2", arg=root.element_handle(), timeout=5000)
    assert root.locator(".actlib-play").get_attribute("aria-pressed") == "true"
    pg.close()
    assert not errors, errors


# --- the book's explorers ------------------------------------------------------------------

def test_the_book_has_explorers():
    if not HTML.is_dir():
        pytest.skip("_build/html does not exist")
    assert PAGES, "no page of the book shows an explorer"


@pytest.mark.parametrize("page", PAGES, ids=[p.stem for p in PAGES])
def test_a_pages_explorers_weigh_at_most_one_and_a_half_megabytes(page):
    text = page.read_text(encoding="utf-8")
    weight = sum(len(m.group(0).encode()) for m in
                 re.finditer(r'<div class="actlib-explorer".*?</script></div>', text, re.S))
    assert 0 < weight <= 1_500_000, f"{page.name}: explorers weigh {weight / 1e6:.2f} MB"


def check_activation(meta):
    rec = actlib.get(meta["activation"])

    def check(state, frame):
        curves = frame["views"][0]
        if rec.kind == "vector":
            want = [rec.fn(np.array(meta["fixed_params"]["logits"]), temperature=state["temperature"])]
        else:
            params = {**meta["fixed_params"], **{k: v for k, v in state.items() if k != "compare with"}}
            x = np.array(curves[0]["x"], dtype=np.float64)
            want = [rec.fn(x, **params), rec.derivative(x, **params)]
            other = state.get("compare with", "none")
            if other != "none":
                want += [actlib.get(other).fn(x), actlib.get(other).derivative(x)]
        for w, got in zip(want, curves, strict=False):
            # the page holds float32 copies of actlib's float64 values
            np.testing.assert_allclose(np.array(got["y"], dtype=np.float64), w, rtol=2e-7, atol=1e-30)
    return check


@pytest.mark.parametrize("page", PAGES, ids=[p.stem for p in PAGES])
def test_every_static_control_moves_and_redraws(browser, page):
    pg, errors = open_page(browser, page.as_uri())
    roots = pg.locator(".actlib-explorer")
    assert roots.count() > 0
    for r in range(roots.count()):
        root = roots.nth(r)
        meta = root.evaluate("el => el.__actlib.data")
        check = check_activation(meta) if meta.get("activation") else (lambda state, frame: None)
        move_every_control(pg, root, check)
    pg.close()
    assert not errors, errors


BUILT = [p for p in PAGES if '"builder"' in p.read_text(errors="ignore")]


@pytest.mark.parametrize("page", BUILT, ids=[p.stem for p in BUILT])
def test_explorers_draw_actlibs_recomputation_at_three_random_positions(browser, page):
    """The network inspector, the SELU lab and the decision boundaries: at three random
    settings of every explorer, each number drawn equals actlib's recomputation here,
    and every item is on the page (histograms, map tiles, field, lines)."""
    import random

    from explorer_checks import compare, rebuild

    pg, errors = open_page(browser, page.as_uri())
    roots = pg.locator(".actlib-explorer")
    checked = 0
    for r in range(roots.count()):
        root = roots.nth(r)
        meta = root.evaluate("el => el.__actlib.data")
        explorer = rebuild(meta)
        if explorer is None:
            continue
        spec = root.evaluate("el => el.__actlib.spec")
        rng = random.Random(f"{page.stem}-{r}")
        for _ in range(3):
            picks = [[c["name"], rng.randrange(len(c.get("values") or c["options"]))] for c in spec["controls"]]
            root.evaluate("(el, picks) => picks.forEach(([n, i]) => el.__actlib.set(n, i))", picks)
            state = root.evaluate("el => el.__actlib.state()")
            frame = root.evaluate("el => el.__actlib.frame()")
            values = {k: v for k, v in state.items() if k in explorer.values}
            items = explorer.frame_items(values)
            compare(frame, items, explorer)
            for k, view in enumerate(spec["views"]):
                box = root.locator(".actlib-view").nth(k)
                n = {"histograms": ("path[data-series]", "hist"), "heatmaps": ("image.raster", "grid"),
                     "lines": ("path[data-series]", "series")}.get(view["kind"])
                if n:
                    want = sum(1 for it in items[k] if it.kind == n[1])
                    assert box.locator(n[0]).count() == want, f"{view['kind']}: not every item drawn"
                if view["kind"] == "field":
                    assert box.locator("image.raster").count() == 1
                    points = sum(len(it.x) for it in items[k] if it.kind == "points")
                    assert box.locator("g.points circle").count() == points
            checked += 1
    pg.close()
    assert checked, "no explorer of this page names a builder"
    assert not errors, errors
