"""Accessibility fixes for the rendered book (a local Sphinx extension).

myst-nb renders a hidden code cell (tag ``hide-input``) as
``<details><summary aria-label="Toggle hidden content">`` around the visible text
"Show code cell source". axe-core reports that as ``label-content-name-mismatch``
(WCAG 2.5.3, serious): speech users say what they see, and the label hides it.
This extension renders the same markup without the ``aria-label``, so the summary's
accessible name is its visible text.

docutils renders a citation list as ``<div role="list">`` around
``<div role="doc-biblioentry">`` entries. ARIA 1.2 deprecates ``doc-biblioentry``
and it is not a list item, so axe-core reports ``aria-required-children``
(critical) on the bibliography page. The entries are rendered with
``role="listitem"`` instead; the markup is otherwise docutils' own.
"""

from html import escape

from docutils import nodes
from myst_nb.sphinx_ import HideCodeCellNode, depart_HideCellInput


def visit_hide_cell_input(self, node):
    classes = " ".join(node["classes"])
    self.body.append(f'<details class="admonition hide {classes}">\n')
    self.body.append("<summary>\n")
    self.body.append(f'<p class="collapsed admonition-title">{escape(node["prompt_show"])}</p>\n')
    self.body.append(f'<p class="expanded admonition-title">{escape(node["prompt_hide"])}</p>\n')
    self.body.append("</summary>\n")


def visit_citation(self, node):
    if not isinstance(node.previous_sibling(), type(node)):
        self.body.append('<div role="list" class="citation-list">\n')
    self.body.append(self.starttag(node, "div", classes=[node.tagname], role="listitem"))


def depart_citation(self, node):
    self.body.append("</div>\n")
    if not isinstance(node.next_node(descend=False, siblings=True), type(node)):
        self.body.append("</div>\n")


def share_html_visitors(app):
    """The single-page build (``make pdf``) renders with the HTML translator, but several
    extensions (sphinx-proof, sphinx-exercise) register their nodes for ``html`` only: give
    the ``singlehtml`` builder every ``html`` visitor it lacks."""
    if app.builder.name == "singlehtml":
        handlers = app.registry.translation_handlers
        handlers["singlehtml"] = {**handlers.get("html", {}), **handlers.get("singlehtml", {})}


def setup(app):
    app.connect("builder-inited", share_html_visitors)
    app.setup_extension("myst_nb")
    # singlehtml (make pdf) renders with the same HTML translator.
    for builder in ("html", "singlehtml"):
        app.add_node(HideCodeCellNode, override=True,
                     **{builder: (visit_hide_cell_input, depart_HideCellInput)})
        app.add_node(nodes.citation, override=True, **{builder: (visit_citation, depart_citation)})
    return {"parallel_read_safe": True, "parallel_write_safe": True}
