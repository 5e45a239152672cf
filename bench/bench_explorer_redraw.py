"""How long a control move takes to redraw an explorer of the built book, in Chromium:
figures, not a pass/fail test.

Opens every page of ``_build/html`` that shows an explorer (or the pages given), and for
every control of every explorer sets each of up to ``--positions`` values in turn the way
a reader's move does (an ``input`` or ``change`` event), timing in the page the event's
handler (decode the state's frame, draw every view) plus the style and layout work it
causes (forced by reading the plot's size). Prints the median and 95th percentile per
explorer, and the page weight of its explorers. Goal: median <= 16 ms (one frame at
60 Hz); page weight <= 1.5 MB.

    .venv/bin/python bench/bench_explorer_redraw.py [_build/html/book/dead-neurons.html ...]
"""

from __future__ import annotations

import argparse
import re
import statistics
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
HTML = ROOT / "_build" / "html"
ARGS = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
        "--disable-background-networking", "--disable-component-update", "--disable-sync"]

MEASURE = """([el, positions]) => {
  const times = [];
  const controls = Array.from(el.querySelectorAll('[data-control]'));
  for (const c of controls) {
    const n = c.tagName === 'INPUT' ? +c.max + 1 : c.options.length;
    const stride = Math.max(1, Math.floor(n / positions));
    for (let k = 0; k < n; k += stride) {
      const t0 = performance.now();
      c.value = String(k);
      c.dispatchEvent(new Event(c.tagName === 'INPUT' ? 'input' : 'change'));
      el.querySelector('svg').getBoundingClientRect();
      document.body.offsetHeight;
      times.push(performance.now() - t0);
    }
  }
  return times;
}"""


def explorer_bytes(page: Path) -> int:
    text = page.read_text(encoding="utf-8", errors="ignore")
    total = 0
    for m in re.finditer(r'<div class="actlib-explorer".*?</script></div>', text, re.S):
        total += len(m.group(0).encode())
    return total


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("pages", nargs="*", type=Path)
    ap.add_argument("--positions", type=int, default=12, help="values set per control")
    args = ap.parse_args()
    pages = args.pages or sorted(p for p in HTML.rglob("*.html") if "_sources" not in p.parts
                                 and 'class="actlib-explorer"' in p.read_text(errors="ignore"))
    from playwright.sync_api import sync_playwright

    print("| page | explorer | moves | median ms | p95 ms |")
    print("|---|---|---:|---:|---:|")
    everything, weights = [], []
    with sync_playwright() as p:
        browser = p.chromium.launch(executable_path="/usr/bin/chromium", args=ARGS)
        for page in pages:
            pg = browser.new_page(viewport={"width": 1280, "height": 900})
            pg.goto(page.resolve().as_uri())
            roots = pg.locator(".actlib-explorer")
            for r in range(roots.count()):
                root = roots.nth(r)
                times = pg.evaluate(MEASURE, [root.element_handle(), args.positions])
                if not times:
                    continue
                everything += times
                title = (root.get_attribute("data-explorer") or "")[:48]
                times.sort()
                p95 = times[min(len(times) - 1, int(0.95 * len(times)))]
                print(f"| {page.stem} | {title} | {len(times)} | {statistics.median(times):.2f} | {p95:.2f} |")
            pg.close()
            weights.append((page.stem, explorer_bytes(page)))
        browser.close()
    if everything:
        everything.sort()
        print(f"\nall moves: n={len(everything)}, median {statistics.median(everything):.2f} ms, "
              f"p95 {everything[int(0.95 * (len(everything) - 1))]:.2f} ms (goal: median <= 16 ms)")
    print("\n| page | explorer HTML and data (MB) |")
    print("|---|---:|")
    for stem, b in weights:
        print(f"| {stem} | {b / 1e6:.3f} |")


if __name__ == "__main__":
    main()
