"""Print the single-page HTML build of the book to one PDF with Debian's Chromium.

    python tools/print_pdf.py _build/singlehtml/index.html _build/pdf/book.pdf

``make pdf`` builds the single page (``jupyter-book build --builder singlehtml``) and
runs this. Nothing is fetched: the page's math is typeset at build time, its figures are
files beside it, and every request off the machine is blocked. Links inside the book
become links inside the PDF, and the headings become its outline (bookmarks).
"""

from __future__ import annotations

import sys
from pathlib import Path

ARGS = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
        "--disable-background-networking", "--disable-component-update", "--disable-sync"]


def main(source: str, target: str) -> None:
    from playwright.sync_api import sync_playwright

    src, out = Path(source).resolve(), Path(target)
    if not src.is_file():
        sys.exit(f"{src} does not exist: build the single-page book first (make pdf does)")
    out.parent.mkdir(parents=True, exist_ok=True)
    with sync_playwright() as pw:
        browser = pw.chromium.launch(executable_path="/usr/bin/chromium", args=ARGS)
        page = browser.new_page()
        page.route("**/*", lambda route: route.continue_() if route.request.url.startswith(
            ("file:", "data:", "blob:", "about:")) else route.abort())
        page.goto(src.as_uri(), wait_until="load")
        page.emulate_media(media="print", color_scheme="light")
        page.evaluate("() => document.fonts.ready.then(() => true)")
        page.pdf(path=str(out), format="A4", print_background=True, outline=True, tagged=True,
                 margin={"top": "16mm", "bottom": "16mm", "left": "14mm", "right": "14mm"})
        browser.close()
    print(f"{out}: {out.stat().st_size / 1e6:.1f} MB")


if __name__ == "__main__":
    main(*(sys.argv[1:] or ["_build/singlehtml/index.html", "_build/pdf/book.pdf"]))
