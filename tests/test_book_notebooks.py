"""The chapter notebooks are saved executed, in order, and mostly checked by nbval.

nbval itself (``pytest --nbval``) re-runs every notebook under ``book/`` and compares
the outputs; these tests check what nbval cannot: that the saved outputs come from a
clean top-to-bottom run, and that few cells opt out of the comparison.
"""

from __future__ import annotations

import json
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
BOOK = ROOT / "book"
OPT_OUT_TAGS = {"nbval-ignore-output", "nbval-skip", "skip-execution"}
MAX_OPT_OUT_FRACTION = 0.15

NOTEBOOKS = sorted(
    p for p in BOOK.rglob("*.ipynb") if ".ipynb_checkpoints" not in p.parts
)


def load(path: Path) -> dict:
    return json.loads(path.read_text(encoding="utf-8"))


def code_cells(nb: dict) -> list[dict]:
    return [c for c in nb["cells"] if c["cell_type"] == "code"]


def test_there_are_notebooks():
    assert NOTEBOOKS, f"no notebooks under {BOOK}"


def test_few_cells_opt_out_of_nbval():
    total = 0
    opted_out = []
    for path in NOTEBOOKS:
        for i, cell in enumerate(code_cells(load(path))):
            total += 1
            tags = set(cell.get("metadata", {}).get("tags", []))
            if tags & OPT_OUT_TAGS:
                opted_out.append(f"{path.relative_to(ROOT)} cell {i}: {sorted(tags & OPT_OUT_TAGS)}")
    assert total, "the book has no code cells"
    fraction = len(opted_out) / total
    assert fraction <= MAX_OPT_OUT_FRACTION, (
        f"{len(opted_out)} of {total} code cells ({fraction:.0%}) skip nbval's comparison, "
        f"more than {MAX_OPT_OUT_FRACTION:.0%}:\n" + "\n".join(opted_out)
    )


@pytest.mark.parametrize("path", NOTEBOOKS, ids=lambda p: p.relative_to(ROOT).as_posix())
def test_notebook_has_a_kernelspec(path):
    spec = load(path).get("metadata", {}).get("kernelspec", {})
    assert spec.get("name"), f"{path.name} has no kernelspec; run `make notebooks`"
    assert spec.get("language", "python") == "python"


@pytest.mark.parametrize("path", NOTEBOOKS, ids=lambda p: p.relative_to(ROOT).as_posix())
def test_notebook_was_run_top_to_bottom_in_a_fresh_kernel(path):
    counts = [cell.get("execution_count") for cell in code_cells(load(path))]
    missing = [i for i, n in enumerate(counts) if n is None]
    assert not missing, (
        f"{path.name}: code cells {missing} were never executed; run `make notebooks`"
    )
    expected = list(range(1, len(counts) + 1))
    assert counts == expected, (
        f"{path.name}: execution counts {counts} are not 1..{len(counts)} in order, so the "
        "saved outputs are not from one clean run; run `make notebooks`"
    )


@pytest.mark.parametrize("path", NOTEBOOKS, ids=lambda p: p.relative_to(ROOT).as_posix())
def test_notebook_saved_no_errors(path):
    for i, cell in enumerate(code_cells(load(path))):
        tags = set(cell.get("metadata", {}).get("tags", []))
        if "raises-exception" in tags:
            continue
        errors = [o for o in cell.get("outputs", []) if o.get("output_type") == "error"]
        assert not errors, f"{path.name} cell {i} saved an error: {errors[0].get('ename')}"


def test_every_registry_activation_has_a_card_in_a_chapter():
    """A reader finds each activation's formula, derivative, properties and citation
    (actlib.teaching.plotting.activation_card) in one of the chapters."""
    import re

    import actlib

    book = Path(__file__).resolve().parents[1] / "book"
    source = ""
    for path in sorted(book.glob("*.ipynb")):
        nb = json.loads(path.read_text(encoding="utf-8"))
        source += "".join("".join(c["source"]) for c in nb["cells"] if c["cell_type"] == "code")
    missing = [name for name in actlib.REGISTRY
               if not re.search(r"activation_card\(\s*[\"']" + re.escape(name) + r"[\"']", source)]
    assert not missing, f"no chapter shows the card of: {missing}"


#: Characters of code that fit the book's code box at a 1280 px window (Chromium, the
#: theme's monospace font); a longer visible line is clipped on the page.
MAX_CODE_COLUMNS = 76
_HIDDEN = {"hide-input", "remove-input", "remove-cell"}


def _markdown_code_blocks(src: str):
    """Lines of the code blocks of a MyST markdown cell (not of directive fences)."""
    fence, code = None, False
    for line in src.splitlines():
        stripped = line.strip()
        if stripped.startswith("```"):
            if fence is None:
                fence, info = stripped[:len(stripped) - len(stripped.lstrip("`"))], stripped.lstrip("`")
                code = info.strip() in ("", "python", "py", "ipython3")
            elif stripped == fence:
                fence, code = None, False
            continue
        if fence is not None and code:
            yield line


def _visible_code_lines(nb: dict):
    for i, cell in enumerate(nb["cells"]):
        src = "".join(cell["source"])
        tags = set(cell.get("metadata", {}).get("tags", []))
        if cell["cell_type"] == "code":
            if not tags & _HIDDEN:
                yield from ((i, line) for line in src.splitlines())
        else:
            yield from ((i, line) for line in _markdown_code_blocks(src))


@pytest.mark.parametrize("path", NOTEBOOKS, ids=lambda p: p.relative_to(ROOT).as_posix())
def test_visible_code_fits_the_code_box(path):
    long = [f"cell {i}: {line!r}" for i, line in _visible_code_lines(load(path))
            if len(line) > MAX_CODE_COLUMNS]
    assert not long, (f"{path.name}: {len(long)} visible code line(s) wider than "
                      f"{MAX_CODE_COLUMNS} characters:\n" + "\n".join(long[:10]))


@pytest.mark.parametrize("path", NOTEBOOKS, ids=lambda p: p.relative_to(ROOT).as_posix())
def test_notebook_stores_no_widget_state(path):
    """The book shows each explorer's own HTML; a stored ipywidgets state would be copied
    into the page as dead weight (execute with tools/execute_notebooks.py)."""
    assert "widgets" not in load(path).get("metadata", {}), (
        f"{path.name} stores widget state: re-execute it with tools/execute_notebooks.py")
