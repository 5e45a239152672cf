r"""Interactive explorers that work in JupyterLab *and* in the static HTML book.

One call in a notebook cell shows an explorer::

    from actlib.teaching.explorers import explore
    explore("elu")                      # a slider for alpha, ELU and its derivative
    explore("swish", compare="relu")    # with a "compare with" curve

An explorer is a set of controls (:class:`Slider`, :class:`Choice`) and views (line
plots, stacked histograms, heatmaps, 2-D fields: :mod:`.views`) whose data a
``compute(**values)`` function returns for every setting. The package is split by job:

* :mod:`.controls`: :class:`Slider`, :class:`Choice`, and the set of controls with
  where each one stands;
* :mod:`.model`: :class:`Explorer`: the controls, ``compute`` and its memo, fitted axes;
* :mod:`.views`: view kinds and the items drawn in them;
* :mod:`.frames`: what ``explorer.js`` draws (the spec, every state's frame) and the
  record of measured values that the notebook tests re-check;
* :mod:`.pack`: numeric arrays as compact bytes (float32, 8- and 16-bit codes, bits);
* :mod:`.page`: the static page: every state precomputed, packed into the page, drawn
  by ``explorer.js`` from a local model, from ``file://``, with no kernel;
* :mod:`.widget`: the live widget (anywidget), drawn by the same ``explorer.js``, fed by
  the kernel;
* :mod:`.activations`: :func:`explore` for registry activations.

The displayed object offers both renderings (``_repr_mimebundle_``): the widget view,
which JupyterLab shows when a kernel is live, and ``text/html``, which the book shows
(``_config.yml`` drops the widget view for HTML). ``explorer.js`` is the one drawing
implementation; nothing is drawn in Python.
"""

from .activations import activation_explorer, explore
from .model import MAX_BYTES, Choice, Explorer, Slider
from .views import Axes, Field, FieldView, Grid, Heatmaps, Hist, Histograms, Lines, Note, Points, Rule, Series, Units

__all__ = ["Series", "Slider", "Choice", "Explorer", "explore", "activation_explorer", "MAX_BYTES",
           "Lines", "Histograms", "Heatmaps", "FieldView", "Rule", "Axes", "Note", "Hist", "Grid", "Field",
           "Points", "Units"]
