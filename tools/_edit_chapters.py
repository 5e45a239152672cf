"""Add the inspector sections to vanishing-gradients and dead-neurons (run once)."""

import nbformat as nbf

md, code = nbf.v4.new_markdown_cell, nbf.v4.new_code_cell


def fig(caption, name, tags=()):
    return {"tags": list(tags), "mystnb": {"figure": {"caption": caption, "name": name}}}


# ---------------------------------------------------------------------------------------
# vanishing-gradients
# ---------------------------------------------------------------------------------------
path = "book/vanishing-gradients.ipynb"
nb = nbf.read(path, as_version=4)
src = lambda c: "".join(c.source) if isinstance(c.source, list) else c.source  # noqa: E731

goals = nb.cells[0]
goals.source = src(goals).replace(
    "* produce exploding gradients with a too-large initialisation, even with ReLU;\n",
    "* produce exploding gradients with a too-large initialisation, even with ReLU;\n"
    "* read saturation, collapse and vanishing gradients off a network's per-layer\n"
    "  histograms, saturation maps and gradient norms, and name the initialisation each\n"
    "  activation needs;\n")

explorer = next(c for c in nb.cells if c.cell_type == "code" and "flow_curves" in src(c))
explorer.source = '''from actlib.teaching.explorers import Explorer, Series, Slider
from actlib.teaching.style import activation_color

MAX_DEPTH = 20
SCALES = (0.5, 0.75, 1.0, 1.25, round(np.sqrt(2), 4), 1.75, 2.0, 2.5)
# the x of a layer: its place from the input (0) to the output (1)
position = np.linspace(0, 1, MAX_DEPTH + 1)

def flow_curves(depth, scale):
    depth = int(depth)
    curves = []
    for name in ACTIVATIONS:
        norms = ex.gradient_flow(name, depth, width=32, init="lecun",
                                 gain=scale, batch=64, seed=range(5),
                                 device="cpu")
        logs = np.log10(norms)
        y, tol = np.full(position.size, np.nan), np.zeros(position.size)
        at = np.round(np.arange(1, depth + 1) / depth * MAX_DEPTH)
        at = at.astype(int)
        y[at] = 10 ** logs.mean(axis=0)
        tol[at] = y[at] * (10 ** np.array([Stat(c).tol() for c in logs.T]) - 1)
        style = "dashed" if name in ("gelu", "selu") else "solid"
        curves.append(Series(name, position, y, style, activation_color(name),
                             tol=tol))
    return curves

Explorer(
    compute=flow_curves,
    sliders=[Slider.range("depth", 2, MAX_DEPTH, 2, 10, label="layers",
                          integer=True),
             Slider("scale", SCALES, 1.0, label="init scale s")],
    title="Gradient norm of each layer at initialisation",
    xlabel="layer position (0 = next to the input, 1 = output layer)",
    ylabel="gradient norm (log scale)", yscale="log", xlim=(0, 1),
    description="Per-layer weight-gradient norms, on a log scale, of freshly "
                "initialised networks with 2 to 20 layers of 32 units, for "
                "sigmoid, tanh, ReLU, GELU and SELU, with weight scale 0.5 to "
                "2.5 times one over the square root of the fan-in. Sigmoid's "
                "norms fall by orders of magnitude towards the input at every "
                "scale; the others stay level near the scale that preserves the "
                "signal and explode above it.",
)'''
explorer.metadata.update(fig(
    "Per-layer weight-gradient norms of fresh networks (geometric mean over five seeds); "
    "the sliders set the depth and the scale of the weights (s = 1: Xavier for square "
    "layers, s = √2 ≈ 1.414: He).", "fig-gradient-explorer", tags=("hide-input",)))

last = nb.cells[-1]
text = src(last)
head, tail = text.split("## Exercises", 1)
last.source = head.rstrip() + "\n"
section = [
    md(r"""## Inside the network, layer by layer

The measurements so far reduce a layer to one number. The inspector shows more of every
layer of a fresh network: a histogram of its outputs over 128 digit images, all 64
units and three seeds; a map of where its units are *flat* for 32 images (rows) and 32
units (columns) of one network; and the norm of the gradient of each layer's weights
for the cross-entropy loss of those images. A unit is flat on an image when it passes
almost no gradient back: for the bounded activations (sigmoid, tanh, softsign) when its
output lies within 0.5 % of the range from a bound (for tanh $|h| > 0.99$), the
*saturation* that Karpathy's makemore lectures and the CS231n notes
{cite}`karpathy2016cs231n` plot; for the others when its pre-activation is at most 0, its
dead side. Pick one of twelve activations, an initialisation and a depth. Besides small
normal weights $N(0, 0.01^2)$, Xavier, He, LeCun and orthogonal initialisation
{cite}`saxe2014exact`, the menu offers the $N(0, 1)$ weights of early networks, far too
large for 64 inputs. The networks are computed in float64, so every number is the same
on every computer; on a GPU the cell measures 256 units and 1024 images."""),
    code('''from actlib.teaching.inspector import init_explorer

device, size, on_gpu = pick_config(
    gpu=dict(width=256, samples=1024, seeds=(0, 1, 2, 3, 4, 5, 6, 7)),
    cpu=dict(width=64, samples=128, seeds=(0, 1, 2)))
init_explorer(device=device, **size)''',
         metadata=fig("The network inspector at initialisation: each layer's output histogram "
                      "(with its standard deviation and the share of flat outputs), the map of "
                      "flat units of one network, and the gradient norm of each layer's weights; "
                      "the menus pick the activation and the initialisation, the slider the "
                      "depth.", "fig-inspector-init")),
    code('''from actlib.teaching.inspector import cached_init

def inspect(act, init):
    return cached_init(act, init, depths=(3, 6, 10), device=device, **size)

def ratio(act, init):                  # layer 1 / layer 10, geometric mean
    g = np.log(inspect(act, init).grads[10])
    return float(np.exp(g[:, 0].mean() - g[:, -1].mean()))

def at(value, fmt):
    return measured(value, rtol=1e-6, fmt=fmt)    # float64: the same everywhere

sat = inspect("tanh", "large").flat_share
claim(sat.min() > 0.5, "with N(0, 1) weights most tanh outputs are saturated")
claim(ratio("sigmoid", "xavier") < 1e-4,
      "sigmoid with Xavier: layer 1's gradient is 10^4 times smaller than layer 10's")
collapse = [inspect(a, "normal").std[9] for a in ("tanh", "relu", "selu", "gelu")]
claim(max(collapse) < 1e-9, "small normal weights make layer 10's outputs vanish")
std = {(a, i): inspect(a, i).std for a in ("tanh", "relu", "gelu", "selu")
       for i in ("xavier", "he", "lecun")}
claim(0.5 < std["relu", "he"][9] / std["relu", "he"][0] < 2
      and std["relu", "xavier"][9] < 0.1 * std["relu", "xavier"][0],
      "He keeps ReLU's outputs at one size, Xavier lets them shrink")
claim(abs(std["selu", "lecun"][9] / std["selu", "lecun"][0] - 1) < 0.1
      and std["selu", "he"][9] > 2 * std["selu", "he"][0],
      "LeCun keeps SELU's outputs at one size, He lets them grow")
dead10 = inspect("relu", "he").flat_units[:, 9].mean()
claim(dead10 > 0.05, "a deep ReLU network has dead units at initialisation")
glue("vg_tanh_sat", at(100 * sat.min(), "{:.0f}"))
glue("vg_sig_ratio", at(ratio("sigmoid", "xavier"), "{:.0e}"))
glue("vg_tanh_collapse", at(inspect("tanh", "normal").std[9], "{:.0e}"))
glue("vg_relu_dead10", at(100 * dead10, "{:.0f}"))
glue("vg_seeds", str(len(size["seeds"])))
rows = [[f"`{a}`", i.capitalize() if i != "he" else "He",
         at(std[a, i][0], "{:.3g}"), at(std[a, i][9], "{:.3g}"),
         at(ratio(a, i), "{:.2g}")]
        for a, inits in [("tanh", ("xavier", "he")), ("relu", ("xavier", "he")),
                         ("gelu", ("xavier", "he")), ("selu", ("lecun", "he"))]
        for i in inits]
Table(["activation", "initialisation", "std of layer 1's outputs",
       "std of layer 10's outputs", "gradient: layer 1 / layer 10"], rows,
      caption="Ten-layer networks at initialisation (64 units, 128 images)")''',
         metadata={"tags": ["remove-input"]}),
    md(r"""Four things to try, each a lesson of this chapter.

* **Saturation.** tanh with $N(0, 1)$ weights: every histogram piles up at $\pm 1$,
  {glue:text}`vg_tanh_sat` % or more of the outputs of every layer are saturated, and the
  maps are mostly orange. Switch to Xavier and the histograms spread over the range.
* **Vanishing gradients.** sigmoid with Xavier weights at depth 10: the outputs look
  healthy, but the gradient line falls towards the input, to
  {glue:text}`vg_sig_ratio` times layer 10's at layer 1, the factor of about $1/4$
  per layer of the bound above.
* **Collapse.** Small normal weights: every layer multiplies the signal by about
  $0.01 \sqrt{64}$, and by layer 10 the tanh outputs vary by
  {glue:text}`vg_tanh_collapse`; the gradients vanish with them, for every activation.
* **The initialisation each activation needs.** The table puts numbers to it: ReLU and
  GELU keep the size of their outputs with He initialisation and lose it with Xavier;
  SELU keeps it with LeCun's and grows with He's; tanh loses some with either, but
  slowly. ReLU also shows something the one-number summaries hide: about half of every
  layer's outputs are exactly 0 at initialisation, and in layer 10 of a ten-layer
  network {glue:text}`vg_relu_dead10` % of the units are on their dead side for every
  one of the 128 images already (mean over {glue:text}`vg_seeds` seeds), before any
  training; {ref}`dead-neurons` follows what training does to them.
"""),
    md("## Exercises" + tail),
]
nb.cells.extend(section)
summary = nb.cells[-1]
body = src(summary)
body = body.replace(
    "* Batch normalisation before the activation and residual connections restore the",
    "* The inspector shows the same from inside: saturated histograms for tanh with large\n"
    "  weights, collapsing ones for small weights, and gradient norms that fall layer by\n"
    "  layer for the sigmoid.\n"
    "* Batch normalisation before the activation and residual connections restore the")
summary.source = body
nbf.write(nb, path)

# ---------------------------------------------------------------------------------------
# dead-neurons
# ---------------------------------------------------------------------------------------
path = "book/dead-neurons.ipynb"
nb = nbf.read(path, as_version=4)
goals = nb.cells[0]
goals.source = src(goals).replace(
    "* compare ReLU with Leaky ReLU, ELU and GELU at several learning rates;\n",
    "* compare ReLU with Leaky ReLU, ELU and GELU at several learning rates;\n"
    "* watch units die, layer by layer and unit by unit, in the network inspector;\n")
at_ = next(i for i, c in enumerate(nb.cells) if c.cell_type == "markdown"
           and src(c).startswith("## Experiment: mitigations"))
section = [
    md(r"""## Inside the network during training

The network inspector of {ref}`vanishing-gradients` can also watch networks train.
Here networks with three hidden layers of 32 units train with full-batch Adam on 64
digit images for 16 steps, each initialisation × learning rate × two seeds as one member
of a single batched run, in float64 so that every number is the same on every computer
(on a GPU, on all 1077 training images with eight seeds). The views show, at the chosen
step, each layer's histogram of outputs; for one network, each unit's share of images
on which it is flat over training (its pre-activation $\le 0$, or saturated for the
bounded activations), so that a bright row is a unit flat on every image; and over
training, the share of units flat on every image, the gradient norm of each layer's
weights and the update-to-data ratio, how far one step moves a layer's weights relative
to their size (Karpathy's makemore lectures suggest about $10^{-3}$). Press play to
step through training."""),
    code('''from actlib.teaching.inspector import training_explorer

device, size, on_gpu = pick_config(
    gpu=dict(samples=1077, seeds=(0, 1, 2, 3, 4, 5, 6, 7)),
    cpu=dict(samples=64, seeds=(0, 1)))
training_explorer(device=device, **size)''',
         metadata=fig("The network inspector during training: each layer's output histogram at "
                      "the chosen step, each unit's share of flat images over training, and per "
                      "layer the share of units flat on every image, the gradient norm and the "
                      "update-to-data ratio; the menus pick the activation and the "
                      "initialisation, the sliders the learning rate and the step.",
                      "fig-inspector-training")),
    code('''from actlib.teaching.inspector import cached_training

INITS = ("normal", "xavier", "he", "lecun", "orthogonal")

def run(act):
    return cached_training(act, inits=INITS, lrs=(1e-3, 1e-2, 1e-1),
                           width=32, depth=3, steps=16, every=4,
                           device=device, **size)

def flat_end(act, r):            # (inits x seeds,) flat share at the last step
    return run(act).flat_units[:, r, :, -1].mean(axis=-1).ravel()

relu_hi_lo = Paired(flat_end("relu", 2), flat_end("relu", 0))
relu_leaky = Paired(flat_end("relu", 2), flat_end("leaky_relu", 2))
claim(relu_hi_lo.greater(), "at 0.1 more ReLU units end flat than at 0.001")
claim(relu_leaky.greater(alpha=0.05),
      "at 0.1 ReLU leaves more units flat on every image than Leaky ReLU")
# the update-to-data ratio over the first four steps, median over networks and layers
upd = {r: np.median(run("relu").updates[:, r, :, 1]) for r in (0, 2)}
claim(upd[2] > 30 * upd[0], "Adam's steps at 0.1 are far larger than at 0.001")
glue("dn_in_relu_hi", Stat(100 * flat_end("relu", 2)).show("{mean:.0f}"))
glue("dn_in_relu_lo", Stat(100 * flat_end("relu", 0)).show("{mean:.0f}"))
glue("dn_in_leaky_hi", Stat(100 * flat_end("leaky_relu", 2)).show("{mean:.0f}"))
glue("dn_in_upd_lo", measured(upd[0], rtol=0.05, fmt="{:.3f}"))
glue("dn_in_upd_hi", measured(upd[2], rtol=0.05, fmt="{:.2f}"))
glue("dn_in_pairs", str(len(INITS) * len(size["seeds"])))''',
         metadata={"tags": ["remove-cell"]}),
    md(r"""It opens at the last step of ReLU networks with He initialisation and the learning
rate $10^{-1}$: press play to watch from step 0. At step 0 no unit is flat on every
image; within the first four steps many rows of the second and third layers turn bright
and stay bright: those units have died, and the curve of flat units jumps. Over the five initialisations and both seeds,
{glue:text}`dn_in_relu_hi` % of the ReLU units end flat on every image at $10^{-1}$,
against {glue:text}`dn_in_relu_lo` % at $10^{-3}$ (a paired t-test over the
{glue:text}`dn_in_pairs` pairs of initialisation and seed, $p < 0.01$). Leaky ReLU at
the same rate ends with {glue:text}`dn_in_leaky_hi` % (fewer, $p < 0.05$), and its flat
units are not dead: their slope on the negative side is 0.01, so the gradient still
reaches them, which the bright rows that fade again show. The update-to-data ratio
explains the deaths: Adam moves every weight by about the learning rate per step, so at
$10^{-3}$ each of the first steps changes a layer's weights by
{glue:text}`dn_in_upd_lo` of their size (the median over layers and networks), near
Karpathy's $10^{-3}$, and at $10^{-1}$ by {glue:text}`dn_in_upd_hi`, about a third of
their size in one step. Try sigmoid
at $10^{-3}$ to see vanishing gradients during training: the first layer's gradient
norm stays far below the last layer's."""),
]
nb.cells[at_:at_] = section
summary = nb.cells[-1]
summary.source = src(summary).replace(
    "* Every number on this page is a statistic over seeds,",
    "* The network inspector shows the deaths as they happen: at $10^{-1}$ rows of units\n"
    "  turn bright within the first steps, and Adam's steps move the weights by a third of\n"
    "  their size.\n"
    "* Every number on this page is a statistic over seeds,")
nbf.write(nb, path)
