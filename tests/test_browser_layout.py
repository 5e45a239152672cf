"""The built book as a reader sees it in Chromium: widths, text sizes, dark mode, fonts.

* No page is wider than the window at 375 px (a phone) and 1280 px (a laptop): wide
  tables, equations and code scroll inside their own box.
* At 1280 px no figure or explorer text is smaller than 9 px as displayed. For a PNG
  figure that is the size of its smallest text in the PNG (recorded by
  ``actlib.teaching.style`` as the ``actlib:min-text-px`` text chunk) times the scale at
  which the page shows the image; a figure without that record was not drawn with the
  book's style and is reported as such. For an explorer it is each SVG text's font size
  times the SVG's scale.
* Dark mode (the reader's system setting, or the colour-mode button) passes axe-core
  like light mode, and the explorers' plot area and text turn dark and light.
* The Chinese glossary terms are drawn with the book's CJK font subset, not a fallback.

Each test reports every offending page and element. They need the built book and
Debian's chromium, and skip without them.
"""

from __future__ import annotations

import struct
import zlib
from pathlib import Path
from urllib.parse import unquote, urlsplit

import pytest
from test_browser import AXE, AXE_DISABLED_RULES, CHROMIUM, CHROMIUM_ARGS, HTML, _skip_reason
from test_browser import PAGES as ALL_PAGES

# index.html only forwards to the first chapter.
PAGES = [p for p in ALL_PAGES if 'http-equiv="refresh"' not in (HTML / p).read_text(encoding="utf-8").lower()]

pytestmark = pytest.mark.browser

MIN_TEXT_PX = 9.0
PNG_TEXT_KEY = "actlib:min-text-px"
# Sections below the first screen are rendered lazily (content-visibility: auto in
# book.css); measure the whole page.
RENDER_ALL = "section { content-visibility: visible !important; }"


@pytest.fixture(scope="module")
def browser():
    reason = _skip_reason()
    if reason:
        pytest.skip(reason)
    from playwright.sync_api import sync_playwright

    with sync_playwright() as pw:
        b = pw.chromium.launch(executable_path=str(CHROMIUM), args=CHROMIUM_ARGS, headless=True)
        yield b
        b.close()


def _open(browser, rel: str, width: int, scheme: str = "light"):
    context = browser.new_context(viewport={"width": width, "height": 900}, color_scheme=scheme)
    page = context.new_page()
    page.route("**/*", lambda route: route.continue_() if route.request.url.startswith(
        ("file:", "data:", "blob:", "about:")) else route.abort())
    page.goto((HTML / rel).as_uri(), wait_until="load")
    page.add_style_tag(content=RENDER_ALL)
    page.evaluate("() => document.fonts.ready.then(() => true)")
    return context, page


WIDER_THAN_WINDOW = """() => {
  const W = document.documentElement.clientWidth;
  const out = [];
  if (document.documentElement.scrollWidth <= W) return out;
  const scrolls = e => { for (let p = e.parentElement; p; p = p.parentElement) {
      const s = getComputedStyle(p);
      if (['auto', 'scroll', 'hidden', 'clip'].includes(s.overflowX) && p !== document.documentElement
          && p !== document.body) return true; } return false; };
  for (const e of document.querySelectorAll('body *')) {
    const r = e.getBoundingClientRect();
    if (r.width && r.right > W + 1 && !scrolls(e)) {
      out.push(`${e.tagName.toLowerCase()}.${[...e.classList].join('.')} right edge ${Math.round(r.right)} px: `
               + (e.textContent || '').trim().slice(0, 50));
      if (out.length >= 8) break;
    }
  }
  return out.length ? out : [`page is ${document.documentElement.scrollWidth} px wide`];
}"""


@pytest.mark.parametrize("width", [375, 1280])
def test_no_page_is_wider_than_the_window(browser, width):
    problems = {}
    for rel in PAGES:
        context, page = _open(browser, rel, width)
        try:
            wide = page.evaluate(WIDER_THAN_WINDOW)
        finally:
            context.close()
        if wide:
            problems[rel] = wide
    assert not problems, f"pages wider than a {width} px window:\n" + "\n".join(
        f"{rel}:\n    " + "\n    ".join(v) for rel, v in problems.items())


def png_text_chunks(path: Path) -> dict[str, str]:
    """The tEXt and zTXt chunks of a PNG file."""
    data = path.read_bytes()
    out, pos = {}, 8
    while pos + 8 <= len(data):
        (length,) = struct.unpack(">I", data[pos:pos + 4])
        kind, body = data[pos + 4:pos + 8], data[pos + 8:pos + 8 + length]
        if kind == b"tEXt":
            key, _, value = body.partition(b"\0")
            out[key.decode("latin-1")] = value.decode("latin-1")
        elif kind == b"zTXt":
            key, _, rest = body.partition(b"\0")
            out[key.decode("latin-1")] = zlib.decompress(rest[1:]).decode("latin-1")
        pos += 12 + length
    return out


IMAGES = """() => [...document.querySelectorAll('.bd-article img')]
  .filter(i => i.currentSrc.endsWith('.png') && !i.closest('.bd-sidebar-primary'))
  .map(i => ({src: i.currentSrc, natural: i.naturalWidth, shown: i.getBoundingClientRect().width,
              fig: (i.closest('figure') && i.closest('figure').querySelector('.caption-number')
                    || {textContent: ''}).textContent.trim()}))"""

SVG_TEXT = """() => {
  const out = [];
  document.querySelectorAll('.actlib-explorer svg').forEach((svg, n) => {
    const scale = svg.getScreenCTM().a;
    svg.querySelectorAll('text').forEach(t => {
      if (!t.textContent.trim()) return;
      const px = parseFloat(getComputedStyle(t).fontSize) * scale;
      out.push({explorer: n + 1, text: t.textContent.trim().slice(0, 30), px});
    });
  });
  return out;
}"""


def test_figure_and_explorer_text_is_at_least_9px_at_1280(browser):
    problems: dict[str, list[str]] = {}
    for rel in PAGES:
        context, page = _open(browser, rel, 1280)
        try:
            images = page.evaluate(IMAGES)
            svg_text = page.evaluate(SVG_TEXT)
        finally:
            context.close()
        bad = []
        for img in images:
            path = Path(unquote(urlsplit(img["src"]).path))
            name = f"{img['fig'] or 'image'} ({path.name[:12]}…)"
            recorded = png_text_chunks(path).get(PNG_TEXT_KEY)
            if recorded is None:
                bad.append(f"{name}: not drawn with the book style (no {PNG_TEXT_KEY} record), "
                           f"shown at {img['shown'] / img['natural']:.2f} of its size")
                continue
            px = float(recorded) * img["shown"] / img["natural"]
            if px < MIN_TEXT_PX:
                bad.append(f"{name}: smallest text {px:.1f} px as displayed")
        seen = set()
        for t in svg_text:
            if t["px"] < MIN_TEXT_PX and (t["explorer"], round(t["px"], 1)) not in seen:
                seen.add((t["explorer"], round(t["px"], 1)))
                bad.append(f"explorer {t['explorer']}: text {t['text']!r} at {t['px']:.1f} px")
        if bad:
            problems[rel] = bad
    assert not problems, f"figure or explorer text under {MIN_TEXT_PX:g} px at 1280 px:\n" + "\n".join(
        f"{rel}:\n    " + "\n    ".join(v) for rel, v in problems.items())


@pytest.mark.parametrize("rel", PAGES or ["<no pages>"])
def test_dark_mode_passes_axe(browser, rel):
    if not PAGES:
        pytest.skip("no built pages")
    context, page = _open(browser, rel, 1280, scheme="dark")
    try:
        assert page.evaluate("document.documentElement.dataset.theme") == "dark", \
            "the page does not follow the system's dark setting"
        page.add_script_tag(path=str(AXE))
        result = page.evaluate(
            """(disabled) => axe.run(document, {resultTypes: ['violations'],
                 rules: Object.fromEntries(disabled.map(r => [r, {enabled: false}]))})""",
            sorted(AXE_DISABLED_RULES))
    finally:
        context.close()
    bad = [v for v in result["violations"] if v["impact"] in ("serious", "critical")]
    assert not bad, f"{rel} (dark mode): axe-core violations:\n" + "\n".join(
        f"{v['id']} ({v['impact']}): {v['help']}; e.g. {[n['target'] for n in v['nodes'][:3]]}" for v in bad)


def test_colour_mode_button_toggles_and_is_labelled(browser):
    context, page = _open(browser, "book/intro.html", 1280, scheme="light")
    try:
        button = page.locator(".theme-switch-button").first
        assert button.is_visible()
        assert page.evaluate("document.documentElement.dataset.theme") == "light"
        seen = set()
        for _ in range(3):
            button.click()
            seen.add(page.evaluate("document.documentElement.dataset.theme"))
            label = button.get_attribute("aria-label")
            mode = page.evaluate("document.documentElement.dataset.mode")
            assert label.startswith("Colour mode: ") and (mode in label or mode == "auto"), (label, mode)
        assert seen == {"light", "dark"}
    finally:
        context.close()


def test_explorers_turn_dark_in_dark_mode(browser):
    rel = next((p for p in PAGES if 'class="actlib-explorer"' in (HTML / p).read_text(encoding="utf-8")), None)
    if rel is None:
        pytest.skip("no page with an explorer")
    colours = {}
    for scheme in ("light", "dark"):
        context, page = _open(browser, rel, 1280, scheme=scheme)
        try:
            colours[scheme] = page.evaluate("""() => {
                const svg = document.querySelector('.actlib-explorer svg');
                return {plot: getComputedStyle(svg.querySelector(':scope > rect')).fill,
                        text: getComputedStyle(svg.querySelector('text')).fill};}""")
        finally:
            context.close()

    def luminance(css):
        r, g, b = (int(v) / 255 for v in css[css.index("(") + 1:css.index(")")].split(",")[:3])
        return 0.2126 * r + 0.7152 * g + 0.0722 * b

    assert luminance(colours["light"]["plot"]) > 0.8 and luminance(colours["light"]["text"]) < 0.3
    assert luminance(colours["dark"]["plot"]) < 0.2 and luminance(colours["dark"]["text"]) > 0.7


def test_chinese_terms_use_the_book_cjk_font(browser):
    """Chromium reports which font drew each run of text: the glossary's Chinese must come
    from the shipped subset (a web font), whatever fonts the machine has."""
    context, page = _open(browser, "book/glossary.html", 1280)
    try:
        cdp = context.new_cdp_session(page)
        cdp.send("DOM.enable")
        cdp.send("CSS.enable")
        root = cdp.send("DOM.getDocument")["root"]["nodeId"]
        node = cdp.send("DOM.querySelector", {"nodeId": root, "selector": "dl.glossary dd p"})["nodeId"]
        fonts = cdp.send("CSS.getPlatformFontsForNode", {"nodeId": node})["fonts"]
    finally:
        context.close()
    custom = [f for f in fonts if f.get("isCustomFont")]
    assert any("Book CJK" in f["familyName"] for f in custom), fonts


TAB_STOPS = """() => {
  const boxes = [...document.querySelectorAll(['pre', '.nboutput > .output_area', '.cell_output > .output',
      '.jp-RenderedHTMLCommon', '.pst-scrollable-table-container'].join(', '))];
  return boxes.map((el, i) => ({i, tab: el.tabIndex, what: el.tagName.toLowerCase() + '.' + [...el.classList].join('.'),
      scrolls: el.scrollWidth > el.clientWidth || el.scrollHeight > el.clientHeight}));
}"""


def test_scrollable_boxes_are_keyboard_reachable_without_an_eager_layout(browser):
    """book/_static/tab-stops.js: a box that scrolls always has tabIndex 0, even in a
    section not yet rendered (it is measured only when it nears the viewport); once the
    reader has scrolled past every section, each box's tabIndex says whether it scrolls
    (0) or not (-1), as the theme's eager pass would have set it. At 375 px many code
    blocks and tables scroll sideways."""
    rel = "book/sigmoid-tanh.html"
    context = browser.new_context(viewport={"width": 375, "height": 800})
    page = context.new_page()
    try:
        page.goto((HTML / rel).as_uri(), wait_until="load")
        page.evaluate("() => new Promise(r => requestAnimationFrame(() => requestAnimationFrame(r)))")
        first = page.evaluate(TAB_STOPS)  # measuring here forces layout; tabIndex is read first
        unreachable = [b["what"] for b in first if b["scrolls"] and b["tab"] != 0]
        assert sum(b["scrolls"] for b in first) >= 5, "expected boxes that scroll at 375 px"
        assert not unreachable, f"{rel}: boxes that scroll but cannot take focus: {unreachable[:5]}"
        assert any(b["tab"] == -1 for b in first), "no box was measured on the first screen"
        page.evaluate("""async () => {
            const frame = () => new Promise(r => requestAnimationFrame(() => requestAnimationFrame(r)));
            for (let y = 0; y < document.documentElement.scrollHeight; y += innerHeight / 2) {
                scrollTo(0, y); await frame(); }
            await frame(); }""")
        after = page.evaluate(TAB_STOPS)
    finally:
        context.close()
    wrong = [f"{b['what']} (scrolls: {b['scrolls']}, tabIndex {b['tab']})" for b in after
             if b["tab"] != (0 if b["scrolls"] else -1)]
    assert not wrong, f"{rel}: after scrolling through, tab stops that do not match the boxes:\n" + \
        "\n".join(wrong[:10])


def test_theme_icons_are_drawn_without_the_icon_script(browser):
    """The pages load no fontawesome.js (book/_templates/static/webpack-macros.html): the
    theme's icons are drawn by its stylesheet from the Font Awesome webfont."""
    context, page = _open(browser, "book/intro.html", 1280)
    try:
        icons = page.evaluate("""() => [...document.querySelectorAll('.fa-solid, .fas')]
            .filter(e => e.getClientRects().length)
            .map(e => ({cls: e.className, w: e.getBoundingClientRect().width,
                        glyph: getComputedStyle(e, '::before').content,
                        font: getComputedStyle(e).fontFamily}))""")
        loaded = page.evaluate("document.fonts.check('900 16px \"Font Awesome 6 Free\"')")
        scripts = page.evaluate("[...document.scripts].map(s => s.src).filter(s => s.includes('fontawesome'))")
        # The colour-mode button keeps its size as it cycles (its three icons alike), so the
        # buttons beside it stay put.
        header = []
        for _ in range(3):
            header.append(page.evaluate("""() => [...document.querySelectorAll('.bd-header-article .btn')]
                .filter(b => b.getClientRects().length).map(b => Math.round(b.getBoundingClientRect().x))"""))
            page.locator(".bd-header-article .theme-switch-button").first.click()
        page.keyboard.press("Control+k")
        page.locator("#pst-search-dialog[open] input").wait_for()
        icon, field = page.evaluate("""() => ['#pst-search-dialog[open] .fa-magnifying-glass',
            '#pst-search-dialog[open] input'].map(s => document.querySelector(s).getBoundingClientRect().toJSON())""")
    finally:
        context.close()
    # The theme's rules written for the script's <svg> (book.css): the dialog's icon sits
    # before the input, not over its placeholder, and the search field keeps its icon on
    # a narrow screen.
    assert icon["width"] > 10 and icon["right"] <= field["left"] + 1, (icon, field)
    assert len(header[0]) >= 3 and header[0] == header[1] == header[2], header
    narrow = browser.new_context(viewport={"width": 375, "height": 800}).new_page()
    try:
        narrow.goto((HTML / "book/intro.html").as_uri(), wait_until="load")
        shown = narrow.evaluate("""() => [...document.querySelectorAll('.search-button-field > i')]
            .map(i => getComputedStyle(i).display)""")
    finally:
        narrow.context.close()
    assert shown and "none" not in shown, shown
    assert not scripts, scripts
    assert len(icons) >= 3, icons
    blank = [i["cls"] for i in icons if i["w"] < 8 or i["glyph"] in ("none", "normal", '""')
             or "Font Awesome" not in i["font"]]
    assert not blank, f"icons drawn blank or in another font: {blank}"
    assert loaded, "the Font Awesome webfont did not load"


BOX_SELECTOR = ("pre, .nboutput > .output_area, .cell_output > .output, .jp-RenderedHTMLCommon, "
                ".pst-scrollable-table-container")


@pytest.mark.parametrize("rel, width", [("book/intro.html", 1280), ("book/dead-neurons.html", 1280),
                                        ("book/sigmoid-tanh.html", 375)])
def test_tab_stops_only_on_boxes_that_scroll(browser, rel, width):
    """Tabbing down a page, focus lands on a code block or output only if it scrolls, even
    when Tab jumps more than a screen into a section not yet measured (tab-stops.js then
    measures it and passes the box over), and it reaches the end of the page."""
    context = browser.new_context(viewport={"width": width, "height": 900})
    page = context.new_page()
    stops, wrong = 0, []
    try:
        page.goto((HTML / rel).as_uri(), wait_until="load")
        for _ in range(600):
            page.keyboard.press("Tab")
            r = page.evaluate("""(sel) => { const e = document.activeElement;
                if (!e || e === document.body || !e.matches(sel)) return {end: !!(e && e.closest('.prev-next-area'))};
                return {box: e.tagName.toLowerCase() + '.' + e.className,
                        scrolls: e.scrollWidth > e.clientWidth || e.scrollHeight > e.clientHeight}; }""",
                              BOX_SELECTOR)
            if r.get("end"):
                break
            if "box" in r:
                stops += 1
                if not r["scrolls"]:
                    wrong.append(r["box"])
        else:
            pytest.fail(f"{rel}: 600 presses of Tab did not reach the page's end")
    finally:
        context.close()
    assert not wrong, f"{rel} at {width} px: Tab stopped on boxes that do not scroll: {wrong[:5]}"
    if width == 375:
        assert stops > 5, "expected Tab to stop on the code blocks that scroll at 375 px"


def test_article_header_sidebar_buttons_open_the_sidebars(browser):
    """The buttons a reader sees in the article header work (book/_static/sidebar-toggles.js):
    on a phone they open the navigation and the contents as dialogs with their links; on a
    laptop the navigation button hides the navigation and brings it back."""
    rel = "book/sigmoid-tanh.html"
    results = {}
    for width in (375, 1280):
        context = browser.new_context(viewport={"width": width, "height": 800})
        page = context.new_page()
        try:
            page.goto((HTML / rel).as_uri(), wait_until="load")
            for kind in ("primary", "secondary"):
                button = page.locator(f".bd-header-article .{kind}-toggle")
                if not button.is_visible():
                    continue
                button.click()
                page.wait_for_timeout(300)
                results[width, kind] = page.evaluate("""() => {
                    const d = document.querySelector('dialog[open]');
                    const nav = document.getElementById('pst-primary-sidebar');
                    return {dialog: d ? d.id : null, links: d ? d.querySelectorAll('a[href]').length : 0,
                            hidden: nav.classList.contains('pst-sidebar-hidden')};
                }""")
                page.keyboard.press("Escape")
                if width == 1280 and kind == "primary":
                    button.click()
                    page.wait_for_timeout(300)
                    results[width, "primary again"] = page.evaluate(
                        "document.getElementById('pst-primary-sidebar').classList.contains('pst-sidebar-hidden')")
        finally:
            context.close()
    phone_nav, phone_toc = results[375, "primary"], results[375, "secondary"]
    assert phone_nav["dialog"] == "pst-primary-sidebar-modal" and phone_nav["links"] > 10, results
    assert phone_toc["dialog"] == "pst-secondary-sidebar-modal" and phone_toc["links"] > 5, results
    assert results[1280, "primary"]["hidden"] and not results[1280, "primary again"], results
