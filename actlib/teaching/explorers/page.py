"""The static page: an explorer as self-contained HTML for the book.

Every state of the explorer is computed when the notebook runs and packed
(:mod:`.pack`); the page holds that data in a JSON block, and one script: the same
``explorer.js`` the live widget runs, turned from an ES module into a classic script
(its ``export`` line becomes a ``return``) so that it works from ``file://``, where
browsers refuse to load module files. The script draws the explorer from a local model
over the precomputed frames. A page with several explorers runs the drawing code once
(it keeps it under a name that contains a hash of the code). Without JavaScript the
page shows the explorer's description.

The text is deterministic: element ids come from what the explorer is (its title,
controls and views), not from its data or a random number.
"""

from __future__ import annotations

import hashlib
import html
import json
import re
from functools import cache
from importlib import resources

from . import frames

__all__ = ["static_html", "mimebundle", "script_source", "style_source"]

_EXPORT = "export default { render };"


@cache
def _read(name: str) -> str:
    return resources.files(__package__).joinpath(name).read_text(encoding="utf-8")


def module_source() -> str:
    """``explorer.js`` as shipped (the ES module the live widget loads)."""
    return _read("explorer.js")


def style_source() -> str:
    """``explorer.css`` as shipped."""
    return _read("explorer.css")


@cache
def script_source() -> str:
    """The page's script: ``explorer.js`` as a classic script, comment lines and
    indentation removed, plus the style sheet; it mounts the explorer around it."""
    src = module_source()
    if src.count(_EXPORT) != 1 or "export " in src.replace(_EXPORT, ""):
        raise RuntimeError("explorer.js must end with the one line " + _EXPORT)
    lines = []
    for line in src.replace(_EXPORT, "return { render, mountStatic };").splitlines():
        line = line.strip()
        if line and not line.startswith("//"):
            lines.append(line)
    body = "\n".join(lines)
    css = re.sub(r"/\*.*?\*/", "", style_source(), flags=re.S)
    css = "\n".join(line.strip() for line in css.splitlines() if line.strip())
    if "</" in body or "<!--" in body or "</" in css:
        raise RuntimeError("explorer.js and explorer.css may not contain '</' or '<!--'")
    key = "__actlibExplorer_" + hashlib.sha1((body + css).encode()).hexdigest()[:8]
    return (
        f'(function(){{var K="{key}",E=window[K];if(!E){{E=window[K]=(function(){{\n{body}\n}})();'
        f'var st=document.createElement("style");st.setAttribute("data-actlib","{key}");'
        f"st.textContent={json.dumps(css)};document.head.appendChild(st);}}"
        "E.mountStatic(document.currentScript.parentElement);})();"
    )


def static_html(explorer) -> str:
    """The explorer as one ``<div class="actlib-explorer">``: a description for pages
    without JavaScript, the data of every state, and the script that draws it."""
    uid = frames.element_id(explorer)
    data = {"v": 1, "spec": frames.spec(explorer, uid), **frames.frames(explorer).payload()}
    payload = json.dumps(data, separators=(",", ":"), sort_keys=True, ensure_ascii=False)
    payload = payload.replace("</", "<\\/")
    attrs = f' data-activation="{html.escape(explorer.activation)}"' if explorer.activation else ""
    fallback = html.escape(explorer.description or explorer.title)
    out = (
        f'<div class="actlib-explorer" id="{uid}" data-explorer="{html.escape(explorer.title)}"{attrs}>'
        f'<p class="actlib-fallback">{fallback}</p>'
        f'<script type="application/json" class="actlib-data">{payload}</script>'
        f"<script>{script_source()}</script></div>"
    )
    size = len(out.encode())
    if size > explorer.max_bytes:
        raise ValueError(f"explorer {explorer.title!r} is {size} bytes; its budget is {explorer.max_bytes}: "
                         "use coarser slider grids, fewer points or a coarser encoding")
    return out


def mimebundle(explorer) -> dict:
    """What a notebook cell shows: the static page (``text/html``, which the book
    shows), the record of measured values (for the notebook tests) and, in a live
    kernel, the widget view (which JupyterLab shows)."""
    from ..report import MIME

    bundle = {"text/plain": repr(explorer), "text/html": static_html(explorer)}
    record = frames.measured_record(explorer)
    if record is not None:
        bundle[MIME] = record
    if _in_kernel():
        data = explorer.widget()._repr_mimebundle_()
        data = data[0] if isinstance(data, tuple) else data
        view = (data or {}).get("application/vnd.jupyter.widget-view+json")
        if view is not None:
            bundle["application/vnd.jupyter.widget-view+json"] = view
    return bundle


def _in_kernel() -> bool:
    try:
        from IPython import get_ipython
    except ImportError:  # pragma: no cover
        return False
    ip = get_ipython()
    return ip is not None and getattr(ip, "kernel", None) is not None
