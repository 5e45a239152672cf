"""A live explorer in JupyterLab: start Lab on loopback, open a chapter notebook, run it,
move a slider of the live widget (anywidget, drawn by the same explorer.js as the book)
by keyboard and see the kernel's new data drawn."""

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
        handle = page.locator(".jp-OutputArea-output .actlib-explorer input[type=range]").first
        try:
            handle.wait_for(state="attached", timeout=300_000)
        except Exception:
            page.screenshot(path=str(work / "lab-failure.png"))
            raise
        handle.scroll_into_view_if_needed()
        root = page.locator(".jp-OutputArea-output .actlib-explorer").first
        path = root.locator("svg path[data-series]").first
        path.wait_for(timeout=60_000)
        # widget messages queue behind the cells still running: wait for the whole run
        page.wait_for_selector(".jp-Notebook-ExecutionIndicator[data-status='idle']", timeout=300_000)
        before = path.get_attribute("d")
        value_before = handle.get_attribute("aria-valuetext")
        handle.focus()
        page.keyboard.press("End")
        # the kernel answers the new state with a new frame, and the page redraws it
        page.wait_for_function(
            "([el, d]) => { const p = el.querySelector('svg path[data-series]');"
            " return p && p.getAttribute('d') !== d; }",
            arg=[root.element_handle(), before], timeout=30_000)
        assert path.get_attribute("d") != before
        assert handle.get_attribute("aria-valuetext") != value_before
        browser.close()
