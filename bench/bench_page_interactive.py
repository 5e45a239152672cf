"""How soon a page of the built book is interactive from file://: figures, not a test.

Loads a page in Debian's chromium (headless, a fresh browser context per run, so no
page cache) and measures from the start of navigation:

* ``DOMContentLoaded`` and ``load``: the HTML parsed, then every stylesheet, font,
  script and image loaded;
* ``math``: the page's math shown. With math typeset at build time (KaTeX, the book's
  way) this is the ``load`` time; for a build that typesets in the browser with
  MathJax it is when ``MathJax.startup.promise`` resolves;
* ``long tasks``: the end of the last main-thread task longer than 50 ms (Chromium's
  Long Tasks API), after which the page answers input at once;
* ``interactive``: the latest of the above: the page is shown in full and its main
  thread is free. The goal for the heaviest page (``book/sigmoid-tanh``) is ≤ 1 s.

Prints one row per run and the median of the runs (5 by default)::

    .venv/bin/python bench/bench_page_interactive.py
    .venv/bin/python bench/bench_page_interactive.py --page book/intro.html --runs 9
    .venv/bin/python bench/bench_page_interactive.py --html /path/to/another/_build/html

Timings depend on the machine and on whatever else runs on it.
"""

from __future__ import annotations

import argparse
import os
import platform
import statistics
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
CHROMIUM = "/usr/bin/chromium"
ARGS = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
        "--disable-background-networking", "--disable-component-update", "--disable-sync"]
OBSERVE_LONG_TASKS = """
window.__longTasks = [];
new PerformanceObserver(list => {
  for (const e of list.getEntries()) window.__longTasks.push(e.startTime + e.duration);
}).observe({type: 'longtask', buffered: true});
"""
MEASURE = """async () => {
  const nav = performance.getEntriesByType('navigation')[0];
  let math = nav.loadEventEnd;
  if (window.MathJax && MathJax.startup && MathJax.startup.promise) {
    await MathJax.startup.promise;
    math = Math.max(math, performance.now());
  }
  await new Promise(r => setTimeout(r, 300));   // let late long tasks be reported
  const longEnd = Math.max(0, ...window.__longTasks);
  return {dcl: nav.domContentLoadedEventEnd, load: nav.loadEventEnd, math,
          long: longEnd, n_long: window.__longTasks.length,
          katex: document.querySelectorAll('.katex').length,
          mathjax: document.querySelectorAll('mjx-container').length};
}"""


def measure(browser, url: str) -> dict:
    context = browser.new_context(viewport={"width": 1280, "height": 900})
    page = context.new_page()
    page.add_init_script(OBSERVE_LONG_TASKS)
    page.route("**/*", lambda route: route.continue_() if route.request.url.startswith(
        ("file:", "data:", "blob:")) else route.abort())
    page.goto(url, wait_until="load")
    out = page.evaluate(MEASURE)
    out["interactive"] = max(out["dcl"], out["load"], out["math"], out["long"])
    context.close()
    return out


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--html", type=Path, default=ROOT / "_build" / "html", help="the built book")
    ap.add_argument("--page", default="book/sigmoid-tanh.html", help="page, relative to --html")
    ap.add_argument("--runs", type=int, default=5)
    args = ap.parse_args()
    target = args.html / args.page
    if not target.is_file():
        raise SystemExit(f"{target} does not exist: run `make book` first")
    from playwright.sync_api import sync_playwright

    source = target.read_text(encoding="utf-8")
    n_math = source.count('class="math notranslate')
    print(f"# {args.page}: time to interactive from file:// ({platform.machine()}, "
          f"{os.cpu_count()} cores, {len(source) / 1e3:.0f} kB of HTML, "
          f"{n_math} math elements)\n")
    print("| run | DOMContentLoaded ms | load ms | math shown ms | last long task ends ms "
          "| long tasks | interactive ms |")
    print("|---:|---:|---:|---:|---:|---:|---:|")
    rows = []
    with sync_playwright() as pw:
        browser = pw.chromium.launch(executable_path=CHROMIUM, args=ARGS)
        measure(browser, target.as_uri())  # warm the OS file cache; not counted
        for i in range(args.runs):
            r = measure(browser, target.as_uri())
            rows.append(r)
            print(f"| {i + 1} | {r['dcl']:.0f} | {r['load']:.0f} | {r['math']:.0f} | {r['long']:.0f} "
                  f"| {r['n_long']} | {r['interactive']:.0f} |")
        browser.close()
    med = {k: statistics.median(r[k] for r in rows) for k in ("dcl", "load", "math", "long", "interactive")}
    print(f"| median | {med['dcl']:.0f} | {med['load']:.0f} | {med['math']:.0f} | {med['long']:.0f} | "
          f"| **{med['interactive']:.0f}** |")
    renderer = "KaTeX at build time" if rows[0]["katex"] else "MathJax in the browser" if rows[0][
        "mathjax"] else "no math"
    verdict = "meets" if med["interactive"] <= 1000 else "misses"
    print(f"\nmath: {renderer}; median time to interactive {med['interactive']:.0f} ms over "
          f"{args.runs} runs ({verdict} the 1 s goal)")


if __name__ == "__main__":
    main()
