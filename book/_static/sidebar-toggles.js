/* The article header's sidebar buttons work again.

   pydata-sphinx-theme 0.17 puts its own pair of sidebar buttons in the top bar (hidden
   under sphinx-book-theme) and wires up the first .primary-toggle and .secondary-toggle
   of the page, as does sphinx-book-theme: those are the hidden ones, so the buttons a
   reader sees in the article header did nothing, and on a phone the navigation and the
   contents could not be opened (pydata-sphinx-theme issue #2451). A click on a visible
   button is passed to the wired one, which then does what the themes intend: on a wide
   screen the primary sidebar collapses or comes back (sphinx-book-theme), on a narrow one
   the sidebar opens as a dialog (pydata-sphinx-theme). */
(function () {
  "use strict";
  function wire() {
    for (const kind of ["primary", "secondary"]) {
      const all = [...document.querySelectorAll(`.${kind}-toggle`)];
      const wired = all[0];
      for (const button of all.slice(1)) {
        button.addEventListener("click", (e) => {
          e.preventDefault();
          wired.click();
        });
      }
    }
  }
  if (document.readyState === "loading") document.addEventListener("DOMContentLoaded", wire);
  else wire();
})();
