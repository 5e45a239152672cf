"""A live explorer in JupyterLab: start Lab on loopback, open a chapter notebook, run it,
move a slider of the live widget (anywidget, drawn by the same explorer.js as the book)
by keyboard and see the kernel's new data drawn."""

from __future__ import annotations

import os
import shutil
import socket
import subprocess
import sys
import time
import urllib.request
from pathlib import Path

import pytest

pytestmark = [pytest.mark.browser, pytest.mark.slow]

ROOT = Path(__file__).resolve().parents[1]
#: A chapter whose explorer the test drives (it must call actlib.teaching.explorers).
NOTEBOOK = ROOT / "book" / "exponential-units.ipynb"
CHROMIUM = "/usr/bin/chromium"
ARGS = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
        "--disable-background-networking", "--disable-component-update", "--disable-sync"]


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


@pytest.fixture(scope="module")
def lab(tmp_path_factory):
    if not os.path.exists(CHROMIUM):
        pytest.skip("Debian chromium is not installed (apt-get install chromium)")
    work = tmp_path_factory.mktemp("lab")
    shutil.copy(NOTEBOOK, work / NOTEBOOK.name)
    port = _free_port()
    # JupyterLab 4 attaches only the cells near the viewport; render them all so the
    # explorer's output exists wherever it is in the notebook.
    settings = work / ".settings" / "@jupyterlab" / "notebook-extension"
    settings.mkdir(parents=True)
    (settings / "tracker.jupyterlab-settings").write_text('{"windowingMode": "none"}')
    env = {**os.environ, "JUPYTER_CONFIG_DIR": str(work / ".cfg"),
           "JUPYTERLAB_SETTINGS_DIR": str(work / ".settings"),
           "JUPYTERLAB_WORKSPACES_DIR": str(work / ".ws"), "JUPYTER_RUNTIME_DIR": str(work / ".rt")}
    cmd = [sys.executable, "-m", "jupyterlab", "--no-browser", "--ip=127.0.0.1", f"--port={port}",
           f"--ServerApp.root_dir={work}", "--IdentityProvider.token=", "--ServerApp.password=",
           "--LabApp.news_url=", "--LabApp.check_for_updates_class=jupyterlab.NeverCheckForUpdate",
           "--allow-root"]
    log = open(work / "lab.log", "w")
    proc = subprocess.Popen(cmd, cwd=work, env=env, stdout=log, stderr=subprocess.STDOUT)
    url = f"http://127.0.0.1:{port}"
    deadline = time.time() + 90
    while True:
        try:
            urllib.request.urlopen(url + "/api/status", timeout=2)
            break
        except OSError:
            if time.time() > deadline or proc.poll() is not None:
                proc.kill()
                pytest.fail("JupyterLab did not start:\n" + (work / "lab.log").read_text()[-3000:])
            time.sleep(0.5)
    yield url, work
    proc.terminate()
    try:
        proc.wait(timeout=20)
    except subprocess.TimeoutExpired:
        proc.kill()
    log.close()


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
