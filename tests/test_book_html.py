"""Defects a reader sees in the built pages (``_build/html``), one test per kind.

Each test reads every page of the book and reports every offending page and text,
not only the first:

* raw MyST or Sphinx markup that reached the page instead of being rendered
  (``{glue:}``, ``{term}``, ``{cite}``, ``:math:``, ``:pyobject:`` ...);
* doubled labels ("Exercise Exercise 7", "(exercise Exercise 15)", "Theorem Theorem");
* numbers in quote marks ("‘0.956’"), and inline glued values that are a string's
  repr (``glue("best", "selu")`` shows ‘selu’ with its quotes);
* ``actlib.`` names in the prose that do not exist in the package;
* Chinese characters that the book's CJK font subset does not cover.

Code cells' input is not prose (it may show glue calls or docstrings with roles on
purpose); their outputs are, and so are inline literals in the text.

The tests skip when the book has not been built (``make book``).
"""

from __future__ import annotations

import importlib
import re
from functools import cache
from html.parser import HTMLParser
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
HTML = ROOT / "_build" / "html"
FONT = ROOT / "book" / "_static" / "fonts" / "NotoSansCJKsc-book-subset.woff"

needs_build = pytest.mark.skipif(not HTML.is_dir(), reason="no _build/html: run `make book`")


def book_pages() -> list[Path]:
    if not HTML.is_dir():
        return []
    return sorted(p for p in HTML.rglob("*.html") if not p.relative_to(HTML).parts[0].startswith("_"))


# Elements whose text is not prose: scripts, styles, typeset math (its TeX source sits in
# KaTeX's MathML annotation), the theme's navigation, and code cells' input (the code is
# the lesson; it runs). Literal blocks are read: a docstring shown with ``literalinclude``
# reaches the reader with its ``:math:`` roles unrendered.
SKIP_TAGS = {"script", "style", "annotation", "nav", "head", "title", "svg", "button"}
SKIP_CLASSES = {"cell_input", "katex", "headerlink", "bd-sidebar-primary", "bd-sidebar-secondary",
                "bd-header", "bd-footer", "prev-next-area", "bd-header-article", "toctree-wrapper"}
VOID = {"area", "base", "br", "col", "embed", "hr", "img", "input", "link", "meta", "source", "track", "wbr"}


class _Prose(HTMLParser):
    """Visible prose of a page as text blocks (one per paragraph-like element), plus the
    texts of inline glued values (``span.output.text_plain`` inside a paragraph)."""

    BLOCKS = {"p", "li", "dd", "dt", "td", "th", "h1", "h2", "h3", "h4", "h5", "h6", "figcaption",
              "caption", "pre", "div", "section", "summary", "blockquote", "tr"}

    def __init__(self):
        super().__init__(convert_charrefs=True)
        self.stack: list[tuple[str, bool, bool]] = []  # tag, skipped, glue span
        self.blocks: list[str] = []
        self.current: list[str] = []
        self.glued: list[str] = []
        self.glue_text: list[str] | None = None

    def _skipped(self) -> bool:
        return any(s for _, s, _ in self.stack)

    def handle_starttag(self, tag, attrs):
        if tag in VOID:
            return
        a = dict(attrs)
        classes = set((a.get("class") or "").split())
        skipped = tag in SKIP_TAGS or bool(classes & SKIP_CLASSES)
        glue = tag == "span" and {"output", "text_plain"} <= classes
        if tag in self.BLOCKS:
            self._flush()
        self.stack.append((tag, skipped, glue))
        if glue and not self._skipped():
            self.glue_text = []

    def handle_endtag(self, tag):
        while self.stack:
            t, _, glue = self.stack.pop()
            if glue and self.glue_text is not None:
                self.glued.append("".join(self.glue_text).strip())
                self.glue_text = None
            if t == tag:
                break
        if tag in self.BLOCKS:
            self._flush()

    def handle_data(self, data):
        if self._skipped():
            return
        self.current.append(data)
        if self.glue_text is not None:
            self.glue_text.append(data)

    def _flush(self):
        text = re.sub(r"\s+", " ", "".join(self.current)).strip()
        if text:
            self.blocks.append(text)
        self.current = []

    def close(self):
        super().close()
        self._flush()


@cache
def prose(path: Path) -> tuple[tuple[str, ...], tuple[str, ...]]:
    parser = _Prose()
    parser.feed(path.read_text(encoding="utf-8"))
    parser.close()
    return tuple(parser.blocks), tuple(parser.glued)


def _context(text: str, m: re.Match, width: int = 50) -> str:
    return "…" + text[max(0, m.start() - width): m.end() + width] + "…"


def _report(found: dict[str, list[str]]) -> str:
    lines = []
    for page, hits in sorted(found.items()):
        lines.append(f"{page} ({len(hits)}):")
        lines.extend(f"    {h}" for h in hits)
    return "\n".join(lines)


def _scan(pattern: re.Pattern) -> dict[str, list[str]]:
    found: dict[str, list[str]] = {}
    for page in book_pages():
        blocks, _ = prose(page)
        hits = [_context(b, m) for b in blocks for m in pattern.finditer(b)]
        if hits:
            found[page.relative_to(HTML).as_posix()] = hits
    return found


RAW_MARKUP = re.compile(
    r"\{(?:glue(?::\w+)?|term|cite(?::\w+)?|ref|numref|eq|doc|math|download|abbr|sub|sup|"
    r"prf:\w+|exercise|solution|figure|code-cell|admonition|note|warning)\}"
    r"|\{glue:"
    r"|(?<![\w])(?::py)?:(?:math|pyobject|func|class|meth|mod|attr|obj|data|ref|doc|term|cite[pt]?|eq|numref)"
    r":`?"
    r"|^\.\. \w[\w-]*::"
    r"|```\{"
    r"|:::\{",
    re.M,
)


@needs_build
def test_no_raw_markup_in_pages():
    found = _scan(RAW_MARKUP)
    assert not found, "raw MyST/Sphinx markup in the rendered text:\n" + _report(found)


LABELS = ("exercise", "solution", "theorem", "lemma", "definition", "proof", "figure", "fig.",
          "table", "equation", "eq.", "section", "chapter", "example", "assignment", "remark", "algorithm")
DOUBLED = re.compile(r"(?<![\w])(" + "|".join(re.escape(w) for w in LABELS) + r")\s+\1(?![\w])", re.I)


@needs_build
def test_no_doubled_labels():
    found = _scan(DOUBLED)
    assert not found, "doubled labels (a reference whose text already holds its label):\n" + _report(found)


# Single quotes: a glued str's repr is '0.956', which Sphinx's smart quotes turn into
# ‘0.956’. Double quotes are the book's own quotation marks (“the 40 % claim”).
QUOTED_NUMBER = re.compile(r"[‘']\s*[−+-]?(?:\d[\d,]*(?:\.\d+)?|\.\d+)(?:e[−+-]?\d+)?\s*(?:%|±[^’']*)?\s*[’']")


@needs_build
def test_no_numbers_in_quote_marks():
    found = _scan(QUOTED_NUMBER)
    for page in book_pages():
        _, glued = prose(page)
        bad = [g for g in glued if len(g) >= 2 and g[0] in "‘'\"“" and g[-1] in "’'\"”"]
        if bad:
            found.setdefault(page.relative_to(HTML).as_posix(), []).extend(
                f"glued string shown with its quotes: {g}" for g in bad)
    assert not found, ("numbers or glued strings in quote marks (glue a number, or a Markdown/"
                       "text value, not a string's repr):\n" + _report(found))


#: ``actlib.x.y``; a name that runs into a placeholder (``actlib.d_<name>``) is a pattern,
#: not a name, and is left alone.
ACTLIB_NAME = re.compile(r"(?<![\w.])actlib(?:\.[A-Za-z_]\w*)+(?![\w.]*<)")


def resolves(name: str) -> bool:
    """Whether ``actlib.x.y`` is an importable module or an attribute of one."""
    parts = name.split(".")
    for cut in range(len(parts), 0, -1):
        try:
            obj = importlib.import_module(".".join(parts[:cut]))
        except ImportError:
            continue
        try:
            for attr in parts[cut:]:
                obj = getattr(obj, attr)
        except AttributeError:
            return False
        return True
    return False


def test_name_resolution_is_checked():
    """The checker itself: real names resolve, made-up ones do not."""
    assert resolves("actlib.sigmoid") and resolves("actlib.d_relu") and resolves("actlib.teaching.plotting")
    assert resolves("actlib.teaching.experiments.gradient_flow")
    assert not resolves("actlib.relu_derivative") and not resolves("actlib.teaching.nothing_here")


@needs_build
def test_actlib_names_in_prose_exist():
    found: dict[str, list[str]] = {}
    for page in book_pages():
        blocks, _ = prose(page)
        names = {m.group(0).rstrip(".") for b in blocks for m in ACTLIB_NAME.finditer(b)}
        missing = sorted(n for n in names if not resolves(n))
        if missing:
            found[page.relative_to(HTML).as_posix()] = missing
    assert not found, "names the prose gives that actlib does not have:\n" + _report(found)


CJK = re.compile("[\u2e80-\u2fdf\u3000-\u303f\u3100-\u312f\u31a0-\u31bf\u3400-\u4dbf"
                 "\u4e00-\u9fff\uf900-\ufaff\ufe30-\ufe4f\uff00-\uffef]")


@needs_build
def test_cjk_font_covers_every_chinese_character():
    from fontTools.ttLib import TTFont

    covered = {chr(c) for c in TTFont(FONT).getBestCmap()}
    found = {}
    for page in book_pages():
        missing = set(CJK.findall(page.read_text(encoding="utf-8"))) - covered
        if missing:
            found[page.relative_to(HTML).as_posix()] = ["".join(sorted(missing))]
    assert not found, ("characters missing from the CJK font subset (run "
                       "`python tools/subset_cjk_font.py`):\n" + _report(found))


@needs_build
def test_cjk_font_and_licence_are_shipped():
    shipped = HTML / "_static" / "fonts"
    assert (shipped / FONT.name).read_bytes() == FONT.read_bytes()
    assert "SIL Open Font License" in (shipped / "OFL.txt").read_text(encoding="utf-8")
    css = (HTML / "_static" / "book.css").read_text(encoding="utf-8")
    assert f"fonts/{FONT.name}" in css


# --- the checkers themselves, on small made-up pages ----------------------------------------

def _blocks_of(html: str) -> tuple[tuple[str, ...], tuple[str, ...]]:
    parser = _Prose()
    parser.feed(html)
    parser.close()
    return tuple(parser.blocks), tuple(parser.glued)


def test_checkers_flag_the_known_defects():
    page = """<main><p>the slowest activation, <code class="docutils literal"><span class="pre">{glue:}</span>
    </code>cpu_slowest``, takes <span class="output text_plain">‘19.63’</span> ms.</p>
    <p>See Exercise Exercise 7 and (exercise Exercise 15). The theorem Theorem 1 holds.</p>
    <p>Terms are linked from the chapters with <code>{term}</code>; call <code>actlib.relu_derivative</code>.</p>
    <div class="cell_output"><div class="output stream highlight-myst-ansi"><pre>Sigmoid :math:`\\sigma(x)`</pre>
    </div></div>
    <div class="cell_input"><pre>glue("x", 1)  # {glue:}`x` in a code cell is fine</pre></div>
    <div class="highlight-python"><pre>    r'''Values in :math:`(0, 1)`.'''</pre></div>
    <p>only <span class="output text_plain">‘selu’</span> wins</p></main>"""
    blocks, glued = _blocks_of(page)
    text = "\n".join(blocks)
    assert len(RAW_MARKUP.findall(text)) == 4  # {glue:}, {term}, :math: twice
    assert [m.group(0).lower() for m in DOUBLED.finditer(text)] == [
        "exercise exercise", "exercise exercise", "theorem theorem"]
    assert QUOTED_NUMBER.search(text)
    assert "‘selu’" in glued and "‘19.63’" in glued
    assert {m.group(0) for m in ACTLIB_NAME.finditer(text)} == {"actlib.relu_derivative"}
    assert "glue(" not in text  # code cells' input is not prose


def test_checkers_pass_clean_prose():
    page = """<p>Exercise 7 asks for the derivative; Theorem 1 gives 0.956 ± 0.004 over 10 seeds,
    as <code>actlib.d_relu</code> computes. A “compare with” menu; the 'none' choice; the “40 %” claim.</p>"""
    blocks, glued = _blocks_of(page)
    text = "\n".join(blocks)
    assert not RAW_MARKUP.search(text) and not DOUBLED.search(text) and not QUOTED_NUMBER.search(text)
    assert not glued
