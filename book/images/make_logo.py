"""Draw the book's logo and favicon (run once; the outputs are committed).

    .venv/bin/python book/images/make_logo.py
"""

from pathlib import Path

import matplotlib

matplotlib.use("Agg")
import matplotlib.pyplot as plt  # noqa: E402
import numpy as np  # noqa: E402

HERE = Path(__file__).parent
plt.rcParams["svg.hashsalt"] = "actlib-logo"


def draw(size_in, lw):
    x = np.linspace(-3, 3, 301)
    fig = plt.figure(figsize=(size_in, size_in))
    ax = fig.add_axes([0, 0, 1, 1])
    box = ax.add_patch(
        matplotlib.patches.FancyBboxPatch(
            (-2.85, -1.35), 5.7, 4.2, boxstyle="round,pad=0.15,rounding_size=0.6",
            facecolor="#0b3d5c", edgecolor="none",
        )
    )
    x = np.linspace(-2.5, 2.5, 301)
    ax.plot(x, 0 * x - 1.0, color="#6f93ab", lw=lw * 0.4)
    curves = [
        (np.maximum(x, 0) * 0.9 - 0.6, "#ffb000"),
        (3.0 / (1 + np.exp(-2.5 * x)) - 0.8, "#5fd3f3"),
        (np.tanh(1.5 * x) * 1.1 + 0.8, "#f26b8a"),
    ]
    for y, colour in curves:
        (line,) = ax.plot(x, y, color=colour, lw=lw, solid_capstyle="round")
        line.set_clip_path(box)
    ax.set_xlim(-3.1, 3.1)
    ax.set_ylim(-1.6, 3.1)
    ax.axis("off")
    fig.patch.set_alpha(0)
    return fig


fig = draw(2.0, 6)
fig.savefig(HERE / "logo.svg", transparent=True, metadata={"Date": None})
fig.savefig(HERE / "logo.png", dpi=100, transparent=True)
plt.close(fig)
fig = draw(0.64, 3)
fig.savefig(HERE / "favicon.png", dpi=100, transparent=True)
plt.close(fig)
