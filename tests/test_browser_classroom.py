"""Students in JupyterLab: "Run All" reaches the end of a student notebook with every check
reporting, and MyST renders (jupyterlab-myst).

JupyterLab is started on loopback in a temporary folder holding a student edition (its
outputs cleared) and a chapter notebook; Debian's chromium drives it through playwright.
"""

from __future__ import annotations

import os
import shutil
import socket
import subprocess
import sys
import time
import urllib.request
from pathlib import Path

import nbformat
import pytest

pytestmark = [pytest.mark.browser, pytest.mark.slow]

ROOT = Path(__file__).resolve().parents[1]
STUDENT = ROOT / "book" / "assignments" / "stable-activations.ipynb"
CHAPTER = ROOT / "book" / "intro.ipynb"
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
    nb = nbformat.read(STUDENT, as_version=4)
    for cell in nb.cells:
        if cell.cell_type == "code":
            cell.outputs, cell.execution_count = [], None
    nbformat.write(nb, work / STUDENT.name)
    shutil.copy(CHAPTER, work / CHAPTER.name)
    settings = work / ".settings" / "@jupyterlab" / "notebook-extension"
    settings.mkdir(parents=True)
    (settings / "tracker.jupyterlab-settings").write_text('{"windowingMode": "none"}')
    env = {**os.environ, "JUPYTER_CONFIG_DIR": str(work / ".cfg"),
           "JUPYTERLAB_SETTINGS_DIR": str(work / ".settings"),
           "JUPYTERLAB_WORKSPACES_DIR": str(work / ".ws"), "JUPYTER_RUNTIME_DIR": str(work / ".rt")}
    env.pop("NBGRADER_EXECUTION", None)
    port = _free_port()
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
    from playwright.sync_api import sync_playwright

    with sync_playwright() as p:
        browser = p.chromium.launch(executable_path=CHROMIUM, args=ARGS)
        page = browser.new_page(viewport={"width": 1400, "height": 1000})
        page.route("**/*", lambda r: r.continue_() if r.request.url.startswith(url) else r.abort())
        yield page, url, work
        browser.close()
    proc.terminate()
    try:
        proc.wait(timeout=20)
    except subprocess.TimeoutExpired:
        proc.kill()
    log.close()


def test_run_all_reaches_the_end_with_every_check_reporting(lab):
    page, url, work = lab
    page.goto(f"{url}/lab/tree/{STUDENT.name}")
    page.wait_for_selector(".jp-Notebook", timeout=90_000)
    page.wait_for_selector(".jp-Notebook-ExecutionIndicator[data-status='idle']", timeout=90_000)
    nb = nbformat.read(STUDENT, as_version=4)
    code = [c for c in nb.cells if c.cell_type == "code"]
    # the notebook's cells appear in the page one after another: wait for all of them
    page.wait_for_function(
        "n => document.querySelectorAll('.jp-Notebook:not(.lm-mod-hidden) .jp-CodeCell').length >= n",
        arg=len(code), timeout=90_000)
    cells = page.locator(".jp-Notebook:visible .jp-CodeCell")
    count = cells.count()
    last_prompt = cells.nth(count - 1).locator(".jp-InputPrompt")
    # Restart-and-run-all waits for a connected kernel; a run lost in a websocket race at
    # start-up (the kernel stays "Starting") is retried.
    for attempt in range(3):
        page.get_by_role("menuitem", name="Kernel", exact=True).click()
        page.get_by_role("menuitem", name="Restart Kernel and Run All Cells…").click()
        page.locator(".jp-Dialog .jp-mod-warn").click()
        try:
            page.wait_for_function("el => /\\[\\d+\\]/.test(el.textContent)",
                                   arg=last_prompt.element_handle(), timeout=150_000)
            break
        except Exception:
            page.screenshot(path=str(work / f"run-all-attempt-{attempt}.png"))
    else:
        raise AssertionError("Run All never reached the last cell; see run-all-attempt-*.png")
    page.wait_for_selector(".jp-Notebook-ExecutionIndicator[data-status='idle']", timeout=120_000)
    prompts = [cells.nth(i).locator(".jp-InputPrompt").inner_text() for i in range(count)]
    assert all(any(ch.isdigit() for ch in p) for p in prompts), prompts   # every cell ran
    assert len(code) == count
    reported = 0
    for i, cell in enumerate(code):
        meta = cell.metadata.get("nbgrader", {})
        if meta.get("grade") and "Hidden test" not in cell.source:
            text = cells.nth(i).locator(".jp-OutputArea").inner_text()
            assert "✗" in text, (meta["grade_id"], text)             # the stubs fail, visibly
            reported += 1
        errors = cells.nth(i).locator(".jp-OutputArea-output[data-mime-type*='error']").count()
        assert errors == 0, meta.get("grade_id")
    assert reported == 14


def test_myst_renders_in_jupyterlab(lab):
    page, url, _ = lab
    page.goto(f"{url}/lab/tree/{CHAPTER.name}")
    notebook = page.locator(".jp-Notebook:visible")
    # jupyterlab-myst renders the chapter's admonition as MyST (myst-theme's classes)
    notebook.locator("[class*='myst-admonition']").first.wait_for(timeout=120_000)
    source = "".join(c.source for c in nbformat.read(CHAPTER, as_version=4).cells
                     if c.cell_type == "markdown")
    assert "```{admonition}" in source and "{term}`" in source     # the chapter uses MyST
    text = notebook.inner_text()
    assert "{admonition}" not in text and "{term}" not in text
    assert not any(line.strip().endswith(")=") for line in text.splitlines())
