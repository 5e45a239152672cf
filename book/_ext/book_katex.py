"""Math typeset at build time with KaTeX, so a page needs no script to show its math.

MathJax in the browser took 2 to 4 s to typeset the heaviest page from ``file://``.
This extension registers an HTML math renderer (``html_math_renderer: katex`` in
``_config.yml``) that hands every ``$...$`` and ``$$...$$`` to KaTeX running under
Node.js (one process for the whole build, ``katex_worker.js``) and writes KaTeX's
HTML (with MathML for screen readers) into the page. The page then needs only
KaTeX's stylesheet and fonts, copied from ``book/_vendor/katex`` into
``_static/katex``.

A formula KaTeX cannot parse is a Sphinx warning with the page and the TeX, so the
strict build (``-W``) fails instead of shipping raw TeX. Display math keeps Sphinx's
markup: ``<div class="math">`` with the equation number and its permalink.
"""

from __future__ import annotations

import json
import shutil
import subprocess
from html import escape
from pathlib import Path

from docutils import nodes
from sphinx.locale import _
from sphinx.util import logging
from sphinx.util.fileutil import copy_asset
from sphinx.util.math import get_node_equation_number

logger = logging.getLogger(__name__)

HERE = Path(__file__).resolve().parent
KATEX = HERE.parent / "_vendor" / "katex"
CSS = "katex/katex.min.css"


class KaTeX:
    """One Node.js process rendering TeX on request (started on first use)."""

    def __init__(self):
        self.proc = None
        self.cache: dict[tuple[str, bool], tuple[str | None, str | None]] = {}

    def start(self):
        node = shutil.which("node") or shutil.which("nodejs")
        if node is None:
            raise RuntimeError("book_katex: Node.js is needed to typeset the math "
                               "(Debian package nodejs); `node` is not on PATH")
        self.proc = subprocess.Popen(
            [node, str(HERE / "katex_worker.js"), str(KATEX / "katex.min.js")],
            stdin=subprocess.PIPE, stdout=subprocess.PIPE, text=True, encoding="utf-8", bufsize=1)

    def render(self, tex: str, display: bool) -> tuple[str | None, str | None]:
        key = (tex, display)
        if key not in self.cache:
            if self.proc is None or self.proc.poll() is not None:
                self.start()
            self.proc.stdin.write(json.dumps({"tex": tex, "display": display}) + "\n")
            self.proc.stdin.flush()
            answer = json.loads(self.proc.stdout.readline())
            self.cache[key] = (answer.get("html"), answer.get("error"))
        return self.cache[key]

    def close(self):
        if self.proc is not None and self.proc.poll() is None:
            self.proc.stdin.close()
            self.proc.wait(timeout=10)
        self.proc = None


RENDERER = KaTeX()


def _render(translator, node, tex: str, display: bool) -> str:
    html, error = RENDERER.render(tex, display)
    if error is not None:
        logger.warning("KaTeX cannot typeset %r: %s", tex, error, location=node, type="katex")
        return f"<code>{escape(tex)}</code>"
    return html


def visit_math(self, node):
    self.body.append(self.starttag(node, "span", "", CLASS="math notranslate nohighlight"))
    self.body.append(_render(self, node, node.astext(), display=False))
    self.body.append("</span>")
    raise nodes.SkipNode


def visit_displaymath(self, node):
    self.body.append(self.starttag(node, "div", CLASS="math notranslate nohighlight"))
    if node["number"]:
        number = get_node_equation_number(self, node)
        self.body.append(f'<span class="eqno">({number})')
        self.add_permalink_ref(node, _("Link to this equation"))
        self.body.append("</span>")
    if node["nowrap"]:
        tex = node.astext()
    else:
        # As sphinx.ext.mathjax: paragraphs are separate equations, aligned together,
        # and an equation with line breaks is a split.
        parts = [p for p in node.astext().split("\n\n") if p.strip()]
        parts = [r"\begin{split}" + p + r"\end{split}" if r"\\" in p else p for p in parts]
        tex = parts[0] if len(parts) == 1 else (
            r"\begin{aligned}" + r"\\".join(parts) + r"\end{aligned}")
    # A formula wider than the column scrolls in this box; keyboard users reach it with
    # Tab (axe-core: scrollable-region-focusable).
    self.body.append('<div class="katex-scroll" tabindex="0" role="group" aria-label="equation">')
    self.body.append(_render(self, node, tex, display=True))
    self.body.append("</div></div>\n")
    raise nodes.SkipNode


def add_stylesheet(app, pagename, templatename, context, doctree):
    """KaTeX's stylesheet on the pages that have math (and nowhere else)."""
    if doctree is not None and any(True for _ in doctree.findall(lambda n: isinstance(
            n, nodes.math | nodes.math_block))):
        app.add_css_file(CSS, priority=400)  # inside html-page-context: this page only


def copy_katex(app, exc):
    RENDERER.close()
    if exc is None and app.builder.format == "html":
        out = Path(app.outdir) / "_static" / "katex"
        copy_asset(str(KATEX / "katex.min.css"), str(out))
        copy_asset(str(KATEX / "fonts"), str(out / "fonts"))
        copy_asset(str(KATEX / "LICENSE"), str(out))


def setup(app):
    app.add_html_math_renderer("katex", inline_renderers=(visit_math, None),
                               block_renderers=(visit_displaymath, None))
    app.connect("html-page-context", add_stylesheet)
    app.connect("build-finished", copy_katex)
    return {"parallel_read_safe": True, "parallel_write_safe": False}
