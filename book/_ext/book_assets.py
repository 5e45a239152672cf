"""An edit to the book's own stylesheets and scripts reaches the build.

Sphinx copies ``html_static_path`` (``book/_static``) into ``_build/html/_static``
only when it writes at least one page: after an edit to ``book.css`` alone, ``make
book`` reports "no targets are out of date" and the old file stays in the build.
This extension marks the root page out of date whenever a file there is newer than
the last build, so the build runs through and copies the new file.
"""

from __future__ import annotations

from pathlib import Path


def static_changed(app, env, added, changed, removed):
    stamp = Path(app.outdir) / ".buildinfo"
    if not stamp.is_file():
        return []
    built = stamp.stat().st_mtime
    for folder in app.config.html_static_path:
        root = Path(app.srcdir) / folder
        if any(p.is_file() and p.stat().st_mtime > built for p in root.rglob("*")):
            return [app.config.root_doc]
    return []


def setup(app):
    app.connect("env-get-outdated", static_changed)
    return {"parallel_read_safe": True, "parallel_write_safe": True}
