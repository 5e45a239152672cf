"""An explorer (an HTML output, not an image) is captioned and numbered like a figure.

myst-nb wraps *every* display output of a code cell in a figure when the cell's metadata
holds ``mystnb.figure`` (``sphinx_.py``: ``create_figure_context`` around the mime bundle),
so a chapter captions an explorer exactly as it captions a matplotlib figure::

    {"tags": ["hide-input"],
     "mystnb": {"figure": {"caption": "ELU and its derivative as alpha changes.",
                           "name": "fig-elu-explorer"}}}

The page then shows ``Fig. N`` and the caption under the explorer, and
``{numref}`fig-elu-explorer``` refers to it. This test builds a one-page book with
Sphinx and myst-nb (the versions the book uses) to prove it.
"""

from __future__ import annotations

import re

import nbformat
import pytest

from actlib.teaching.explorers import explore

sphinx_build = pytest.importorskip("sphinx.cmd.build")


def test_an_explorer_cell_with_figure_metadata_is_a_numbered_captioned_figure(tmp_path):
    src = tmp_path / "src"
    src.mkdir()
    (src / "conf.py").write_text(
        "extensions = ['myst_nb']\nnumfig = True\nnb_execution_mode = 'off'\n"
        "nb_mime_priority_overrides = [('html', 'application/vnd.jupyter.widget-view+json', None)]\n",
        encoding="utf-8")
    bundle = explore("elu")._repr_mimebundle_()
    nb = nbformat.v4.new_notebook()
    nb.metadata["kernelspec"] = {"name": "python3", "display_name": "Python 3", "language": "python"}
    nb.cells = [
        nbformat.v4.new_markdown_cell("# Page\n\nAs {numref}`fig-elu-explorer` shows, alpha sets the floor."),
        nbformat.v4.new_code_cell(
            'explore("elu")',
            metadata={"tags": ["hide-input"],
                      "mystnb": {"figure": {"caption": "ELU and its derivative as alpha changes.",
                                            "name": "fig-elu-explorer"}}},
            outputs=[nbformat.v4.new_output("display_data", data={k: bundle[k] for k in
                                                                   ("text/plain", "text/html")})],
            execution_count=1),
    ]
    nbformat.write(nb, src / "index.ipynb")
    out = tmp_path / "html"
    assert sphinx_build.main(["-b", "html", "-q", "-W", str(src), str(out)]) == 0
    page = (out / "index.html").read_text(encoding="utf-8")
    figure = re.search(r'<figure[^>]*id="fig-elu-explorer"[^>]*>(.*?)</figure>', page, re.S)
    assert figure, "no <figure id='fig-elu-explorer'> in the page"
    assert 'class="actlib-explorer"' in figure.group(1), "the explorer is not inside the figure"
    assert re.search(r'<figcaption>.*Fig\. 1.*ELU and its derivative as alpha changes', figure.group(1), re.S)
    assert re.search(r'href="#fig-elu-explorer"[^>]*>.*Fig\. 1', page, re.S), "{numref} does not resolve"
