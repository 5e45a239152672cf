"""The kernel-free explorers in the built book: every slider moves (keyboard and mouse),
the value label follows, and the drawn curve is actlib's at the new setting."""

from __future__ import annotations

import os
import re
from pathlib import Path

import numpy as np
import pytest

import actlib

pytestmark = pytest.mark.browser

ROOT = Path(__file__).resolve().parents[1]
HTML = ROOT / "_build" / "html"
CHROMIUM = "/usr/bin/chromium"
ARGS = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
        "--disable-background-networking", "--disable-component-update", "--disable-sync"]


def pages_with_explorers() -> list[Path]:
    if not HTML.is_dir():
        return []
    return sorted(p for p in HTML.rglob("*.html")
                  if "_sources" not in p.parts and 'class="actlib-explorer"' in p.read_text(errors="ignore"))


PAGES = pages_with_explorers()


@pytest.fixture(scope="module")
def browser():
    if not HTML.is_dir():
        pytest.skip("_build/html does not exist: run `make book` first (make test does)")
    if not os.path.exists(CHROMIUM):
        pytest.skip("Debian chromium is not installed (apt-get install chromium)")
    from playwright.sync_api import sync_playwright

    with sync_playwright() as p:
        b = p.chromium.launch(executable_path=CHROMIUM, args=ARGS)
        yield b
        b.close()


def test_the_book_has_activation_explorers():
    if not HTML.is_dir():
        pytest.skip("_build/html does not exist")
    assert PAGES, "no page of the book shows an explorer"


def _expected(activation, fixed, values, x):
    rec = actlib.get(activation)
    if rec.kind == "vector":
        return [rec.fn(np.array(fixed["logits"]), **values)]
    params = {**fixed, **values}
    return [rec.fn(x, **params), rec.derivative(x, **params)]


def _check_curves(state, activation, fixed):
    values, cur = state["values"], state["current"]
    x = np.array(cur[0]["x"], dtype=np.float64)
    for want, got in zip(_expected(activation, fixed, values, x), cur, strict=False):
        # the page holds float32 copies of actlib's float64 values
        np.testing.assert_allclose(np.array(got["y"], dtype=np.float64), want, rtol=2e-7, atol=1e-30)


STATE_JS = """el => ({values: el.__actlib.values(), current: el.__actlib.current(),
    data: {activation: el.__actlib.data.activation, fixed: el.__actlib.data.fixed_params}})"""


@pytest.mark.parametrize("page", PAGES, ids=[p.stem for p in PAGES])
def test_every_static_slider_moves_and_redraws(browser, page):
    pg = browser.new_page()
    errors = []
    pg.on("console", lambda m: errors.append(m.text) if m.type == "error" else None)
    pg.on("pageerror", lambda e: errors.append(str(e)))
    pg.route(re.compile(r"^(?!file:|data:|blob:)"), lambda route: route.abort())
    pg.goto(page.as_uri())
    roots = pg.locator(".actlib-explorer")
    assert roots.count() > 0
    for r in range(roots.count()):
        root = roots.nth(r)
        root.scroll_into_view_if_needed()
        assert root.locator(".actlib-controls").is_visible(), "controls stay hidden: the script did not run"
        sliders = root.locator("input[type=range]")
        for i in range(sliders.count()):
            s = sliders.nth(i)
            out = root.locator(f'output[data-output="{i}"]')
            before = root.evaluate(STATE_JS)
            label_before = out.inner_text()
            # keyboard: jump to the far end (Home if already at the end)
            s.focus()
            at_end = s.input_value() == s.get_attribute("max")
            pg.keyboard.press("Home" if at_end else "End")
            after = root.evaluate(STATE_JS)
            assert out.inner_text() != label_before, "the value label did not change"
            assert after["values"] != before["values"]
            assert [c["y"] for c in after["current"]] != [c["y"] for c in before["current"]], \
                "the curve did not change"
            shown = float(out.inner_text())
            moved = [k for k in after["values"] if after["values"][k] != before["values"][k]]
            assert len(moved) == 1 and shown == pytest.approx(after["values"][moved[0]], abs=1e-9)
            if after["data"]["activation"]:
                _check_curves(after, after["data"]["activation"], after["data"]["fixed"])
            # mouse: click a quarter of the way along the track
            box = s.bounding_box()
            pg.mouse.click(box["x"] + box["width"] * 0.25, box["y"] + box["height"] / 2)
            clicked = root.evaluate(STATE_JS)
            assert clicked["values"] != after["values"], "a mouse click did not move the slider"
            assert float(out.inner_text()) == pytest.approx(clicked["values"][moved[0]], abs=1e-9)
            if clicked["data"]["activation"]:
                _check_curves(clicked, clicked["data"]["activation"], clicked["data"]["fixed"])
        select = root.locator("select[data-overlay]")
        if select.count():
            options = select.locator("option").all_inner_texts()
            n_before = root.locator("path[data-series]").count()
            choice = next(o for o in options if o != select.input_value())
            select.select_option(choice)
            n_after = root.locator("path[data-series]").count()
            if choice == "none":
                assert n_after < n_before
            else:
                labels = root.locator("g.legend text").all_text_contents()
                assert any(lbl.startswith(choice) for lbl in labels), labels
    pg.close()
    assert not errors, errors
