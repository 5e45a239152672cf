"""Tab stops on scrollable boxes without laying out the whole page at load.

pydata-sphinx-theme gives every code block and output that scrolls a keyboard tab stop
(``addTabStopsToScrollableElements`` in its script). It measures them all at the load
event, which makes the browser style and lay out every section that ``book.css`` leaves
unrendered below the first screen (``content-visibility: auto``): 0.2 to 0.3 s of
main-thread work on the longest page (``bench/bench_page_interactive.py``).

This extension ships ``book/_static/tab-stops.js``, which gives the same tab stops
lazily (a section when it nears the viewport, or when Tab lands in it), and writes
``_static/scripts/pydata-sphinx-theme.lazy-tab-stops.js``: the theme's script without
its load-time call. ``book/_templates/static/webpack-macros.html`` loads that copy in
place of the theme's. The call is found by its shape; if a theme release changes it,
the build fails here and says so, instead of measuring every box twice.
"""

from __future__ import annotations

import re
from pathlib import Path

from sphinx.errors import ExtensionError

THEME_SCRIPT = Path("static") / "scripts" / "pydata-sphinx-theme.js"
BOOK_SCRIPT = Path("_static") / "scripts" / "pydata-sphinx-theme.lazy-tab-stops.js"
# Minified: "complete"===document.readyState?X():window.addEventListener("load",X)
EAGER_PASS = re.compile(
    r'"complete"===document\.readyState\?(?P<f>[\w$]+)\(\):window\.addEventListener\("load",(?P=f)\)')


def drop_eager_pass(text: str) -> str:
    """The theme's script without its load-time tab-stop pass (``ValueError`` if absent)."""
    new, n = EAGER_PASS.subn("void 0", text)
    if n != 1:
        raise ValueError(f"expected one load-time tab-stop call in the theme's script, found {n}")
    return new


def write_book_script(app, exc):
    if exc is not None or app.builder.format != "html":
        return
    sources = [Path(d) / THEME_SCRIPT for d in app.builder.theme.get_theme_dirs()]
    source = next((p for p in sources if p.is_file()), None)
    if source is None:
        raise ExtensionError(f"book_tab_stops: no {THEME_SCRIPT} in the theme's folders {sources}")
    try:
        text = drop_eager_pass(source.read_text(encoding="utf-8"))
    except ValueError as err:
        raise ExtensionError(f"book_tab_stops: {source}: {err}; this pydata-sphinx-theme release "
                             "is not the one the book was written for") from err
    (Path(app.outdir) / BOOK_SCRIPT).write_text(text, encoding="utf-8")


def setup(app):
    app.add_js_file("tab-stops.js", defer="defer")
    app.connect("build-finished", write_book_script)
    return {"parallel_read_safe": True, "parallel_write_safe": True}
