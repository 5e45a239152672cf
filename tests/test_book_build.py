"""The built book (``make book``, warnings as errors) is complete, current and offline.

``make test`` runs ``make book`` first, which fails on any Sphinx warning; these tests
check what the build leaves behind. They skip when ``_build/html`` does not exist.
"""

from __future__ import annotations

import re
from pathlib import Path

import pytest
import yaml

ROOT = Path(__file__).resolve().parents[1]
HTML = ROOT / "_build" / "html"
BOOK = ROOT / "book"
CONFIG = yaml.safe_load((ROOT / "_config.yml").read_text(encoding="utf-8"))
TOC = yaml.safe_load((ROOT / "_toc.yml").read_text(encoding="utf-8"))


def toc_files() -> list[str]:
    files = [TOC["root"]]
    for part in TOC.get("parts", []):
        for chapter in part.get("chapters", []):
            files.append(chapter["file"])
            files.extend(s["file"] for s in chapter.get("sections", []) if "file" in s)
    return files


def book_pages() -> list[Path]:
    """The built pages, without the asset folders (_static, _sources, _images)."""
    return sorted(p for p in HTML.rglob("*.html") if not p.relative_to(HTML).parts[0].startswith("_"))


needs_build = pytest.mark.skipif(not HTML.is_dir(), reason="no _build/html: run `make book`")


def test_config_is_what_the_book_promises():
    assert CONFIG["title"] == "Activation Functions, Interactively"
    assert CONFIG["copyright"] == "2026"
    assert CONFIG["only_build_toc_files"] is True
    assert CONFIG["execute"]["execute_notebooks"] == "off"
    assert CONFIG["bibtex_bibfiles"] == ["actlib/references.bib"]
    assert (ROOT / CONFIG["logo"]).is_file() and (ROOT / CONFIG["html"]["favicon"]).is_file()
    assert "CC BY 4.0" in CONFIG["html"]["extra_footer"] and "MIT" in CONFIG["html"]["extra_footer"]
    assert TOC["format"] == "jb-book"
    assert all(part.get("caption") for part in TOC["parts"])


def test_every_notebook_is_in_the_table_of_contents():
    listed = set(toc_files())
    notebooks = {
        p.relative_to(ROOT).with_suffix("").as_posix()
        for p in BOOK.rglob("*.ipynb")
        if ".ipynb_checkpoints" not in p.parts
    }
    assert notebooks <= listed, f"notebooks missing from _toc.yml: {sorted(notebooks - listed)}"


@needs_build
def test_every_toc_entry_was_built():
    for entry in toc_files():
        assert (HTML / f"{entry}.html").is_file(), f"{entry} was not built"


@needs_build
def test_build_is_newer_than_every_notebook():
    """Each notebook's page was built after the notebook was last saved."""
    stale = []
    for entry in toc_files():
        source = ROOT / f"{entry}.ipynb"
        page = HTML / f"{entry}.html"
        if source.exists() and page.exists() and source.stat().st_mtime > page.stat().st_mtime:
            stale.append(source.relative_to(ROOT).as_posix())
    assert not stale, f"_build/html is older than {stale}: run `make book`"


@needs_build
def test_notebook_sources_are_downloadable():
    for entry in toc_files():
        source = ROOT / f"{entry}.ipynb"
        if source.exists():
            copy = HTML / "_sources" / f"{entry}.ipynb"
            assert copy.is_file(), f"{copy} missing: the download button would be broken"
            page = (HTML / f"{entry}.html").read_text(encoding="utf-8")
            assert f"_sources/{entry}.ipynb" in page, f"{entry}.html has no download link"


@needs_build
def test_pages_reference_nothing_on_the_network():
    """No <script src>, <link href> or <img src> points off the machine."""
    pattern = re.compile(r'<(?:script|link|img)\b[^>]*\b(?:src|href)="(https?:)?//', re.I)
    offenders = [
        p.relative_to(HTML).as_posix()
        for p in book_pages()
        if pattern.search(p.read_text(encoding="utf-8"))
    ]
    assert not offenders, f"pages loading remote resources: {offenders}"


@needs_build
def test_math_is_typeset_at_build_time():
    """KaTeX's HTML is in the page (book/_ext/book_katex.py), its stylesheet and fonts are
    shipped with the build, and no page loads a math script."""
    katex = HTML / "_static" / "katex"
    assert (katex / "katex.min.css").is_file() and (katex / "LICENSE").is_file()
    assert sorted(p.name for p in (katex / "fonts").glob("*.woff2")), "KaTeX's fonts were not copied"
    for page in book_pages():
        text = page.read_text(encoding="utf-8")
        if 'class="math notranslate' in text:
            assert 'class="katex"' in text, f"{page}: math without KaTeX output"
            assert "_static/katex/katex.min.css" in text, f"{page}: KaTeX's stylesheet missing"
        assert "mathjax" not in text.lower().replace("mathjax_ignore", ""), f"{page} loads MathJax"
        assert "cdn.jsdelivr" not in text and "require.js" not in text


@needs_build
def test_footer_states_the_licences():
    intro = (HTML / "book" / "intro.html").read_text(encoding="utf-8")
    assert "CC BY 4.0" in intro and "MIT License" in intro and "2026" in intro


@needs_build
def test_pages_load_the_lighter_theme_scripts():
    """No page loads the theme's 1.5 MB fontawesome.js, or its script with the load-time
    tab-stop pass; each loads the copy without it and book/_static/tab-stops.js
    (book/_templates/static/webpack-macros.html, book/_ext/book_tab_stops.py)."""
    script = re.compile(r'<script\b[^>]*\bsrc="([^"]+)"')
    problems = []
    for page in book_pages():
        text = page.read_text(encoding="utf-8")
        if 'http-equiv="refresh"' in text.lower():  # index.html only forwards to the first chapter
            continue
        srcs = [s.split("?")[0].rsplit("/", 1)[-1] for s in script.findall(text)]
        missing = {"pydata-sphinx-theme.lazy-tab-stops.js", "tab-stops.js"} - set(srcs)
        extra = {"fontawesome.js", "pydata-sphinx-theme.js"} & set(srcs)
        if missing or extra:
            problems.append(f"{page.relative_to(HTML)}: missing {sorted(missing)}, loads {sorted(extra)}")
    assert not problems, "\n".join(problems)
    lazy = (HTML / "_static" / "scripts" / "pydata-sphinx-theme.lazy-tab-stops.js").read_text(encoding="utf-8")
    assert "addTabStopsToScrollableElements" not in lazy  # minified: the name is gone either way
    assert 'window.addEventListener("load"' not in lazy


def test_the_theme_script_loses_exactly_its_load_time_tab_stop_pass():
    import sys

    import pydata_sphinx_theme

    sys.path.insert(0, str(BOOK / "_ext"))
    try:
        from book_tab_stops import EAGER_PASS, drop_eager_pass
    finally:
        sys.path.remove(str(BOOK / "_ext"))
    theme = Path(pydata_sphinx_theme.__file__).parent / "theme" / "pydata_sphinx_theme" / "static" / "scripts"
    original = (theme / "pydata-sphinx-theme.js").read_text(encoding="utf-8")
    assert len(EAGER_PASS.findall(original)) == 1
    patched = drop_eager_pass(original)
    assert EAGER_PASS.search(patched) is None
    assert len(original) - len(patched) < 80, "more than the one call was removed"
    with pytest.raises(ValueError, match="found 0"):
        drop_eager_pass(patched)
