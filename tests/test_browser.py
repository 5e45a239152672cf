"""Every page of the built book, loaded in a headless Chromium.

For each ``.html`` file under ``_build/html`` the page must load without touching the
network, log no console error and throw no page error, show all its math typeset (by
KaTeX at build time, book/_ext/book_katex.py), show every image, keep every internal link pointing at an existing
file and anchor, and pass axe-core with no serious or critical violation.

The tests need the built book (``make book``) and Debian's ``/usr/bin/chromium``; they
skip with a message when either is missing. ``make test`` builds the book first, and
``.ci/run`` installs chromium, so in CI they always run.
"""

from __future__ import annotations

import json
import re
import shutil
from functools import cache
from html.parser import HTMLParser
from pathlib import Path
from urllib.parse import unquote, urlsplit

import pytest

pytestmark = pytest.mark.browser

ROOT = Path(__file__).resolve().parents[1]
HTML = ROOT / "_build" / "html"
CHROMIUM = Path("/usr/bin/chromium")
AXE = Path(__file__).parent / "vendor" / "axe.min.js"
CHROMIUM_ARGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]
LOCAL_SCHEMES = ("file:", "data:", "blob:", "about:")
# axe-core rules switched off, each with the reason. Keep this empty unless a
# violation sits in the theme's own markup and no configuration can fix it.
AXE_DISABLED_RULES: dict[str, str] = {}



def _pages() -> list[str]:
    """Every page of the book; the asset folders (``_static`` holds the theme's template
    fragments and MathJax's files, ``_sources`` the page sources) are not pages."""
    if not HTML.is_dir():
        return []
    pages = (p.relative_to(HTML) for p in HTML.rglob("*.html"))
    return sorted(p.as_posix() for p in pages if not p.parts[0].startswith("_"))


PAGES = _pages()


def _skip_reason() -> str | None:
    if not HTML.is_dir():
        return f"{HTML} does not exist: run `make book` first"
    if not CHROMIUM.exists():
        return f"{CHROMIUM} is missing: run `make chromium` (Debian's chromium package)"
    try:
        import playwright.sync_api  # noqa: F401
    except ImportError:
        return "the playwright Python package is not installed"
    return None


@pytest.fixture(scope="module")
def browser():
    reason = _skip_reason()
    if reason:
        pytest.skip(reason)
    from playwright.sync_api import sync_playwright

    with sync_playwright() as pw:
        browser = pw.chromium.launch(
            executable_path=str(CHROMIUM), args=CHROMIUM_ARGS, headless=True
        )
        yield browser
        browser.close()


class Visit:
    """A page loaded with every request routed and every error recorded."""

    def __init__(self, browser, url: str):
        self.context = browser.new_context(viewport={"width": 1280, "height": 900})
        self.page = self.context.new_page()
        self.blocked: list[str] = []
        self.failed: list[str] = []
        self.console_errors: list[str] = []
        self.page_errors: list[str] = []
        self.page.route("**/*", self._route)
        self.page.on("console", self._console)
        self.page.on("pageerror", lambda exc: self.page_errors.append(str(exc)))
        self.page.on("requestfailed", self._request_failed)
        self.page.goto(url, wait_until="load")
        if self.redirects(url):
            # index.html only forwards to the root chapter: follow it, check the target.
            self.page.wait_for_url(lambda new: new != url, timeout=10_000)
            self.page.wait_for_load_state("load")
        self.page.evaluate(
            """() => Promise.all([...document.images].map(img => {
                    img.loading = 'eager';
                    return img.complete ? null : img.decode().catch(() => null);
               }))"""
        )

    @staticmethod
    def redirects(url: str) -> bool:
        path = Path(unquote(urlsplit(url).path))
        return path.is_file() and 'http-equiv="refresh"' in path.read_text(encoding="utf-8").lower()

    def _route(self, route):
        url = route.request.url
        if url.startswith(LOCAL_SCHEMES):
            route.continue_()
        else:
            self.blocked.append(url)
            route.abort()

    def _console(self, msg):
        if msg.type == "error":
            self.console_errors.append(f"{msg.text} ({msg.location.get('url', '')})")

    def _request_failed(self, request):
        if request.url.startswith("file:"):
            self.failed.append(f"{request.url}: {request.failure}")

    def close(self):
        self.context.close()


@pytest.fixture(params=PAGES or ["<no pages>"], scope="module")
def visit(request, browser):
    if not PAGES:
        pytest.skip(f"no HTML pages in {HTML}")
    visit = Visit(browser, (HTML / request.param).as_uri())
    visit.rel = request.param
    yield visit
    visit.close()


class _Ids(HTMLParser):
    def __init__(self):
        super().__init__()
        self.ids: set[str] = set()

    def handle_starttag(self, tag, attrs):
        for key, value in attrs:
            if key == "id" or (key == "name" and tag == "a"):
                self.ids.add(value or "")


@cache
def ids_in(path: Path) -> frozenset[str]:
    parser = _Ids()
    parser.feed(path.read_text(encoding="utf-8", errors="replace"))
    return frozenset(parser.ids)


def test_no_network_and_no_errors(visit):
    assert not visit.blocked, f"{visit.rel} requested non-local URLs: {visit.blocked}"
    assert not visit.failed, f"{visit.rel}: local requests failed: {visit.failed}"
    assert not visit.console_errors, f"{visit.rel}: console errors: {visit.console_errors}"
    assert not visit.page_errors, f"{visit.rel}: page errors: {visit.page_errors}"


def test_math_is_rendered(visit):
    source = Path(unquote(urlsplit(visit.page.url).path)).read_text(encoding="utf-8")
    raw = visit.page.evaluate(
        r"""() => {
            const body = document.body.cloneNode(true);
            body.querySelectorAll('pre, code, script, style, textarea, .katex, '
                                  + '.highlight').forEach(e => e.remove());
            const text = body.textContent;
            const hits = [];
            for (const token of ['\\(', '\\[', '$$']) {
                const i = text.indexOf(token);
                if (i >= 0) hits.push(text.slice(Math.max(0, i - 40), i + 40));
            }
            return hits;
        }"""
    )
    assert not raw, f"{visit.rel}: unrendered TeX in visible text: {raw}"
    if re.search(r'class="math[ "]', source):
        unrendered = visit.page.evaluate(
            """() => [...document.querySelectorAll('.math')]
                   .filter(e => !e.querySelector('.katex .katex-html'))
                   .map(e => e.textContent.slice(0, 60))"""
        )
        assert not unrendered, f"{visit.rel}: math elements without KaTeX output: {unrendered}"
        # KaTeX's fonts loaded: the typeset math is drawn in them, not in a fallback font
        fonts = visit.page.evaluate(
            """() => document.fonts.ready.then(() => [...document.fonts]
                   .filter(f => f.family.startsWith('KaTeX') && f.status === 'loaded').length)""")
        assert fonts > 0, f"{visit.rel}: no KaTeX font loaded"


def test_images_load(visit):
    broken = visit.page.evaluate(
        """() => [...document.images]
               .filter(img => img.naturalWidth === 0)
               .map(img => img.getAttribute('src'))"""
    )
    assert not broken, f"{visit.rel}: images that did not load: {broken}"


def test_internal_links_resolve(visit):
    page_path = Path(unquote(urlsplit(visit.page.url).path))
    live_ids = set(visit.page.evaluate("() => [...document.querySelectorAll('[id]')].map(e => e.id)"))
    hrefs = visit.page.evaluate("() => [...document.querySelectorAll('a[href]')].map(a => a.href)")
    problems = []
    for href in sorted(set(hrefs)):
        if not href.startswith("file:"):
            continue
        parts = urlsplit(href)
        target = Path(unquote(parts.path))
        if target.is_dir():
            target = target / "index.html"
        if not target.is_file():
            problems.append(f"{href}: no such file")
            continue
        anchor = unquote(parts.fragment)
        if anchor and target.suffix == ".html":
            known = ids_in(target) | (live_ids if target == page_path else set())
            if anchor not in known:
                problems.append(f"{href}: no element with id {anchor!r}")
    assert not problems, f"{visit.rel}: broken internal links:\n" + "\n".join(problems)


def test_no_dead_controls(visit):
    """Nothing that needs a kernel or a network service: widget views, thebe, launch
    buttons. (The saved widget *state* may be embedded as inert JSON; with no widget
    manager loaded nothing renders it.)"""
    dead = visit.page.evaluate(
        """() => [...document.querySelectorAll(
                '.jupyter-widgets, .widget-area, script[type="application/vnd.jupyter.widget-view+json"], '
                + '.thebe-launch-button, .thebelab-button, .dropdown-launch-buttons, '
                + 'a[href*="mybinder"], a[href*="colab.research"]')]
               .map(e => e.outerHTML.slice(0, 80))"""
    )
    assert not dead, f"{visit.rel}: controls that do nothing offline: {dead}"


def test_accessibility(visit):
    visit.page.add_script_tag(path=str(AXE))
    result = visit.page.evaluate(
        """(disabled) => axe.run(document, {
                resultTypes: ['violations'],
                rules: Object.fromEntries(disabled.map(r => [r, {enabled: false}])),
           })""",
        sorted(AXE_DISABLED_RULES),
    )
    bad = [v for v in result["violations"] if v["impact"] in ("serious", "critical")]
    report = [
        f"{v['id']} ({v['impact']}): {v['help']}; e.g. {[n['target'] for n in v['nodes'][:3]]}"
        for v in bad
    ]
    assert not bad, f"{visit.rel}: axe-core violations:\n" + "\n".join(report)


def test_search_finds_sigmoid(browser):
    visit = Visit(browser, (HTML / "search.html").as_uri() + "?q=sigmoid")
    try:
        # Sphinx adds the hits one at a time, then writes "Search finished, found N page(s)".
        visit.page.wait_for_function(
            "() => /Search finished/.test(document.querySelector('#search-results .search-summary')"
            "?.textContent || '')", timeout=15_000)
        results = visit.page.locator("#search-results ul.search li").all_inner_texts()
        links = visit.page.eval_on_selector_all(
            "#search-results ul.search li a", "els => els.map(a => a.href)"
        )
        assert results, "searching for 'sigmoid' found nothing"
        assert any(link.split("#")[0].endswith("book/intro.html") for link in links), links
        assert not visit.blocked and not visit.page_errors and not visit.console_errors
    finally:
        visit.close()


def test_notebook_pages_offer_their_notebook(browser):
    """Every page built from an .ipynb links to the notebook, and the link works offline."""
    notebooks = sorted((ROOT / "book").rglob("*.ipynb"))
    notebooks = [nb for nb in notebooks if ".ipynb_checkpoints" not in nb.parts]
    assert notebooks
    for nb in notebooks:
        rel = nb.relative_to(ROOT).with_suffix(".html")
        if not (HTML / rel).exists():
            continue  # not in the table of contents yet
        visit = Visit(browser, (HTML / rel).as_uri())
        try:
            links = visit.page.eval_on_selector_all(
                "a[href$='.ipynb']", "els => els.map(a => a.href)"
            )
            assert links, f"{rel} has no download link to its notebook"
            for link in links:
                target = Path(unquote(urlsplit(link).path))
                assert target.is_file(), f"{rel}: {link} does not exist"
                assert json.loads(target.read_text(encoding="utf-8"))["cells"]
        finally:
            visit.close()


def test_chromium_is_the_debian_one():
    if _skip_reason():
        pytest.skip(_skip_reason())
    assert shutil.which("chromium") or CHROMIUM.exists()
