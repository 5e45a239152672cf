"""A live explorer in JupyterLab: start Lab on loopback, open a chapter notebook, run it,
move a live ipywidgets slider and see the figure change."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest
from lab_server import ARGS, CHROMIUM, running_lab

pytestmark = [pytest.mark.browser, pytest.mark.slow]

ROOT = Path(__file__).resolve().parents[1]
#: A chapter whose explorer the test drives (it must call actlib.teaching.explorers).
NOTEBOOK = ROOT / "book" / "exponential-units.ipynb"
@pytest.fixture(scope="module")
def lab(tmp_path_factory):
    work = tmp_path_factory.mktemp("lab")
    shutil.copy(NOTEBOOK, work / NOTEBOOK.name)
    with running_lab(work) as url:
        yield url, work


def test_live_slider_redraws_the_figure(lab):
    from playwright.sync_api import sync_playwright

    url, work = lab
    with sync_playwright() as p:
        browser = p.chromium.launch(executable_path=CHROMIUM, args=ARGS)
        page = browser.new_page(viewport={"width": 1400, "height": 1000})
        # loopback only: anything else is blocked
        page.route("**/*", lambda r: r.continue_() if r.request.url.startswith(url) else r.abort())
        page.goto(f"{url}/lab/tree/{NOTEBOOK.name}")
        page.wait_for_selector(".jp-Notebook", timeout=90_000)
        page.wait_for_selector(".jp-Notebook-ExecutionIndicator[data-status='idle']", timeout=90_000)
        # Restart-and-run-all waits for a kernel whose channels are connected (a plain
        # "Run All" sent right after start-up can be lost in a websocket race).
        page.get_by_role("menuitem", name="Kernel", exact=True).click()
        page.get_by_role("menuitem", name="Restart Kernel and Run All Cells…").click()
        page.locator(".jp-Dialog .jp-mod-warn").click()
        handle = page.locator(".jp-OutputArea-output .widget-slider [role=slider]").first
        try:
            handle.wait_for(state="attached", timeout=300_000)
        except Exception:
            page.screenshot(path=str(work / "lab-failure.png"))
            raise
        handle.scroll_into_view_if_needed()
        plot = page.locator(".jp-OutputArea-output .widget-html svg").first
        plot.wait_for(timeout=60_000)
        # widget messages queue behind the cells still running: wait for the whole run
        page.wait_for_selector(".jp-Notebook-ExecutionIndicator[data-status='idle']", timeout=300_000)
        before = plot.locator("path[data-series]").first.get_attribute("d")
        value_before = handle.get_attribute("aria-valuenow")
        handle.focus()
        page.keyboard.press("End")
        page.wait_for_function(
            "([sel, d]) => { const p = document.querySelector(sel); return p && p.getAttribute('d') !== d; }",
            arg=[".jp-OutputArea-output .widget-html svg path[data-series]", before], timeout=30_000)
        after = plot.locator("path[data-series]").first.get_attribute("d")
        assert after != before
        assert handle.get_attribute("aria-valuenow") != value_before
        browser.close()
