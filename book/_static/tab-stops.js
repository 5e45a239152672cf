/* A keyboard tab stop on every code block and output that scrolls, without laying out
   the whole page to find them.

   A box whose content is wider (or taller) than the box scrolls, and keyboard users can
   only scroll it if it can take focus: such a box gets tabIndex 0, any other -1. The
   theme (pydata-sphinx-theme's addTabStopsToScrollableElements) measured every box of
   the page at the load event. That forced the browser to style and lay out every
   section that book.css leaves unrendered below the first screen (content-visibility:
   auto): 0.2 to 0.3 s of main-thread work on the longest page, while the reader waits.
   book/_ext/book_tab_stops.py takes that pass out of the theme's script, and this one
   measures a section's boxes whenever the section comes within a screen of the
   viewport, when the browser renders it anyway. Until then a box keeps tabIndex 0, so a
   box that scrolls is never out of keyboard reach. When Tab jumps further than a screen
   and lands on a box not yet measured, its section is measured then, and if the box
   does not scroll, focus moves on (or back, with Shift) to the next stop, as if the box
   had never been in the tab order. Resizing the window measures the rendered sections
   again and makes the others focusable until they are measured. */
(function () {
  "use strict";
  // The theme's selectors: code blocks, notebook outputs, ipywidgets, wide tables.
  const BOXES = ["pre", ".nboutput > .output_area", ".cell_output > .output",
                 ".jp-RenderedHTMLCommon", ".pst-scrollable-table-container"].join(", ");
  // The sections book.css renders lazily.
  const LAZY = ".bd-article > section > section";
  // What Tab can stop on (those with tabIndex -1, and unrendered ones, are passed over).
  const FOCUSABLE = "a[href], button, input, select, textarea, summary, iframe, [tabindex], [contenteditable]";

  function measure(boxes) {
    for (const el of boxes) {
      el.tabIndex = el.scrollWidth > el.clientWidth || el.scrollHeight > el.clientHeight ? 0 : -1;
    }
  }

  function start() {
    const sections = [...document.querySelectorAll(LAZY)];
    const lazyBoxes = new Set(sections.flatMap((s) => [...s.querySelectorAll(BOXES)]));
    const otherBoxes = [...document.querySelectorAll(BOXES)].filter((el) => !lazyBoxes.has(el));
    const near = new Set();
    const measured = new Set();
    const settle = (section) => {
      measure(section.querySelectorAll(BOXES));
      measured.add(section);
    };
    const observer = new IntersectionObserver((entries) => {
      for (const e of entries) {
        if (e.isIntersecting) {
          near.add(e.target);
          settle(e.target);
        } else {
          near.delete(e.target);
        }
      }
    }, { rootMargin: "100% 0px 100% 0px" });
    const update = () => {
      measure(otherBoxes);
      for (const s of sections) {
        if (near.has(s)) {
          settle(s);
        } else {
          measured.delete(s);
          for (const el of s.querySelectorAll(BOXES)) el.tabIndex = 0;
        }
      }
    };
    update();
    sections.forEach((s) => observer.observe(s));
    let timer = null;
    window.addEventListener("resize", () => { clearTimeout(timer); timer = setTimeout(update, 300); });

    // Tab onto a box not yet measured: measure its section; skip the box if it does not scroll.
    // (Chromium may move focus into an unrendered section after the Tab key is up, so the
    // direction stays set until another key or the pointer is used.)
    let direction = 0;
    document.addEventListener("keydown", (e) => { direction = e.key !== "Tab" ? 0 : e.shiftKey ? -1 : 1; }, true);
    document.addEventListener("pointerdown", () => { direction = 0; }, true);
    const pending = (el) => {
      const s = lazyBoxes.has(el) ? el.closest(LAZY) : null;
      return s && !measured.has(s) ? s : null;
    };
    document.addEventListener("focusin", (e) => {
      const box = e.target;
      const section = pending(box);
      if (!section) return;
      settle(section);
      if (box.tabIndex >= 0 || !direction) return;
      const stops = [...document.querySelectorAll(FOCUSABLE)];
      for (let i = stops.indexOf(box) + direction; i >= 0 && i < stops.length; i += direction) {
        const next = stops[i];
        const s = pending(next);
        if (s) settle(s);
        if (next.tabIndex >= 0 && !next.disabled && next.getClientRects().length) {
          next.focus();
          if (document.activeElement === next) return;  // else not focusable (e.g. hidden)
        }
      }
      box.blur();
    });
  }

  if (document.readyState === "complete") start();
  else window.addEventListener("load", start);
})();
