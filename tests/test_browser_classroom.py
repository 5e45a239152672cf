"""Students in JupyterLab: "Run All" reaches the end of a student notebook with every check
reporting, and MyST renders (jupyterlab-myst).

JupyterLab is started on loopback in a temporary folder holding a student edition (its
outputs cleared) and a chapter notebook; Debian's chromium drives it through playwright.
"""

from __future__ import annotations

import shutil
from pathlib import Path

import nbformat
import pytest
from lab_server import ARGS, CHROMIUM, running_lab

pytestmark = [pytest.mark.browser, pytest.mark.slow]

ROOT = Path(__file__).resolve().parents[1]
STUDENT = ROOT / "book" / "assignments" / "stable-activations.ipynb"
CHAPTER = ROOT / "book" / "intro.ipynb"
@pytest.fixture(scope="module")
def lab(tmp_path_factory):
    work = tmp_path_factory.mktemp("lab")
    nb = nbformat.read(STUDENT, as_version=4)
    for cell in nb.cells:
        if cell.cell_type == "code":
            cell.outputs, cell.execution_count = [], None
    nbformat.write(nb, work / STUDENT.name)
    shutil.copy(CHAPTER, work / CHAPTER.name)
    from playwright.sync_api import sync_playwright

    with running_lab(work, env_drop=("NBGRADER_EXECUTION",)) as url, sync_playwright() as p:
        browser = p.chromium.launch(executable_path=CHROMIUM, args=ARGS)
        page = browser.new_page(viewport={"width": 1400, "height": 1000})
        page.route("**/*", lambda r: r.continue_() if r.request.url.startswith(url) else r.abort())
        yield page, url, work
        browser.close()


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
