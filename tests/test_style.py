"""The book's figure style (actlib.teaching.style) and the plotting helpers that use it."""

from __future__ import annotations

import io

import matplotlib
import pytest

matplotlib.use("Agg")
import matplotlib.pyplot as plt  # noqa: E402
from PIL import Image  # noqa: E402

import actlib  # noqa: E402
from actlib.teaching import plotting, style  # noqa: E402

COLUMN_PX = 688  # the content column at a 1280 px window


def _luminance(hex_colour: str) -> float:
    def channel(c):
        return c / 12.92 if c <= 0.04045 else ((c + 0.055) / 1.055) ** 2.4

    r, g, b = (int(hex_colour[i:i + 2], 16) / 255 for i in (1, 3, 5))
    return 0.2126 * channel(r) + 0.7152 * channel(g) + 0.0722 * channel(b)


def _contrast(a: str, b: str) -> float:
    la, lb = sorted((_luminance(a), _luminance(b)), reverse=True)
    return (la + 0.05) / (lb + 0.05)


def test_every_activation_has_its_own_colour_readable_on_light_and_dark():
    colours = {name: style.activation_color(name) for name in actlib.REGISTRY}
    for name, colour in colours.items():
        assert _contrast(colour, "#ffffff") >= 3.0, (name, colour)
        assert _contrast(colour, "#14181e") >= 3.0, (name, colour)
    # the activations the chapters compare most often are told apart by colour
    common = ["identity", "sigmoid", "tanh", "relu", "leaky_relu", "elu", "selu", "gelu", "silu",
              "mish", "softplus"]
    assert len({colours[n] for n in common}) == len(common)


def test_aliases_and_records_get_the_same_colour():
    assert style.activation_color("swish") == style.activation_color(actlib.get("swish"))
    assert style.activation_color("NewGELU") == style.activation_color("gelu_tanh")


def test_the_colour_is_the_registry_record_s():
    for rec in actlib.REGISTRY.values():
        assert style.activation_color(rec.name) == rec.color


def _png(fig) -> Image.Image:
    buf = io.BytesIO()
    fig.savefig(buf, format="png", bbox_inches="tight")
    plt.close(fig)
    buf.seek(0)
    return Image.open(buf)


@pytest.mark.parametrize("make", [
    lambda: plotting.plot_activation("gelu").figure,
    lambda: plotting.plot_activations(["sigmoid", "tanh", "relu", "elu", "gelu", "silu", "mish"],
                                      derivative=True),
    lambda: plotting.plot_activations(actlib.names(kind="elementwise")),
])
def test_plots_fit_the_column_and_their_text_is_at_least_10px(make):
    fig = make()
    fig.canvas.draw()
    smallest = style.min_text_px(fig)
    width = _png(fig).size[0]
    assert width <= COLUMN_PX, f"{width} px wide: the page would scale it (and its text) down"
    assert smallest is not None and smallest >= 10.0, smallest


def test_plot_activation_uses_the_activation_colour_and_keeps_the_legend_off_the_axes():
    ax = plotting.plot_activation("elu")
    fig = ax.figure
    fig.canvas.draw()
    assert matplotlib.colors.to_hex(ax.lines[0].get_color()) == style.activation_color("elu")
    legend = ax.get_legend().get_window_extent()
    assert legend.x0 >= ax.get_window_extent().x1 - 1, "the legend overlaps the axes"
    plt.close(fig)


def test_min_text_px_sees_the_smallest_text():
    with style.book_style():
        fig, ax = plt.subplots()
        ax.plot([0, 1], [0, 1])
        ax.text(0.5, 0.5, "tiny", fontsize=5)
    fig.canvas.draw()
    assert style.min_text_px(fig) == pytest.approx(5 * fig.dpi / 72)
    plt.close(fig)


def test_png_records_the_smallest_text_through_the_draw_hook():
    """What use_book_style does in a kernel: the draw event fills the metadata the PNG
    writer is given (here a plain savefig with the same dict)."""
    with style.book_style():
        fig, ax = plt.subplots()
        ax.plot([0, 1], [0, 1], label="line")
        ax.set_title("title")
    style._watch_figure(fig)
    buf = io.BytesIO()
    fig.savefig(buf, format="png", metadata=style._PNG_METADATA)
    plt.close(fig)
    buf.seek(0)
    recorded = float(Image.open(buf).text[style.PNG_TEXT_KEY])
    assert recorded == pytest.approx(style.MIN_FONT_PT * style.DPI / 72, rel=1e-3)


def test_legend_outside_rejects_unknown_places():
    fig, ax = plt.subplots()
    ax.plot([0, 1], label="a")
    with pytest.raises(ValueError, match="right' or 'below"):
        style.legend_outside(ax, "left")
    plt.close(fig)


def test_figure_size_is_a_fraction_of_the_column():
    assert style.figure_size() == (style.FIGURE_WIDTH, round(style.FIGURE_WIDTH * 0.55, 3))
    with pytest.raises(ValueError, match="fraction of the column"):
        style.figure_size(1.5)
