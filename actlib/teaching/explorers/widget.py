"""The live widget: the explorer in JupyterLab, fed by the kernel.

An anywidget whose front end is ``explorer.js`` itself (the ``_esm``). The page side
sets ``state`` (one index per control) when a control moves; the kernel computes that
state with the explorer's ``compute`` (memoised) and answers with ``frame``; the page
redraws. anywidget's wheel ships its JupyterLab extension, so nothing is fetched when
the widget is shown.
"""

from __future__ import annotations

from pathlib import Path

import anywidget
import traitlets

from . import frames

__all__ = ["ExplorerWidget"]

_HERE = Path(__file__).parent


class ExplorerWidget(anywidget.AnyWidget):
    """The live view of an :class:`~.model.Explorer` (``explorer.widget()``)."""

    _esm = _HERE / "explorer.js"
    _css = _HERE / "explorer.css"
    spec = traitlets.Dict().tag(sync=True)
    state = traitlets.List(traitlets.Int()).tag(sync=True)
    frame = traitlets.Dict().tag(sync=True)

    def __init__(self, explorer, **kwargs):
        self._explorer = explorer
        super().__init__(spec=frames.spec(explorer), state=explorer.state.indices(),
                         frame=frames.wire_frame(explorer), **kwargs)
        self.observe(self._on_state, names="state")

    def _on_state(self, change) -> None:
        self._explorer.state.set_indices(change["new"])
        self.frame = frames.wire_frame(self._explorer)

    def sync(self) -> None:
        """Follow the explorer after Python changed its values (``explorer.set``)."""
        idx = self._explorer.state.indices()
        if list(self.state) != idx:
            self.state = idx  # observed: recomputes the frame
        else:
            self.frame = frames.wire_frame(self._explorer)

    @property
    def explorer(self):
        return self._explorer
