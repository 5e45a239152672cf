"""Execute notebooks top to bottom, each in a fresh kernel, and save their outputs in place.

Like ``jupyter execute --inplace``, but without saving the ipywidgets state in the
notebook's metadata: the book shows each explorer's self-contained HTML, and a saved
widget state would only be copied into the page as dead weight.

    .venv/bin/python tools/execute_notebooks.py book/dead-neurons.ipynb [...]
"""

from __future__ import annotations

import sys
import time
from pathlib import Path

import nbformat
from nbclient import NotebookClient


def execute(path: Path) -> float:
    nb = nbformat.read(path, as_version=4)
    client = NotebookClient(nb, kernel_name="python3", timeout=1200, store_widget_state=False,
                            resources={"metadata": {"path": str(path.parent)}})
    start = time.perf_counter()
    client.execute()
    nb.metadata.pop("widgets", None)
    nbformat.write(nb, path)
    return time.perf_counter() - start


def main(argv: list[str]) -> None:
    if not argv:
        sys.exit(__doc__)
    for arg in argv:
        seconds = execute(Path(arg))
        print(f"{arg}: executed in {seconds:.1f} s", flush=True)


if __name__ == "__main__":
    main(sys.argv[1:])
