"""Write book/inside-training.ipynb (run once; the notebook is then the source)."""

import nbformat as nbf

md, code = nbf.v4.new_markdown_cell, nbf.v4.new_code_cell


def fig(caption, name, tags=("hide-input",)):
    return {"tags": list(tags), "mystnb": {"figure": {"caption": caption, "name": name}}}


cells = [
    md(r"""(inside-training)=
# Self-normalisation and decision boundaries

Two more looks inside a network. The first is a calculation: SELU was designed so that
the mean and variance of every layer's outputs are pulled towards 0 and 1 however deep
the network is, provided its weights are initialised the way the design assumes
{cite}`klambauer2017self`. The integrals behind that promise have closed forms; the
chapter computes them, checks them against simulation, and shows a common way of
initialising a SELU network that quietly breaks the promise. The second is a picture:
the decision regions of a small classifier on two-dimensional data, frame by frame
during training, for a dozen activations, with the units that die at a high learning
rate marked.

```{admonition} Learning goals
:class: tip
After this chapter you will be able to

* compute the mean and variance of a SELU layer's outputs from those of its inputs, and
  find the fixed point of that map;
* explain why `kaiming_normal_(w, nonlinearity="selu")` breaks self-normalisation and
  what LeCun initialisation does instead;
* say what AlphaDropout keeps that ordinary dropout destroys;
* watch a decision boundary form during training and tell a dead ReLU unit from a live
  one.
```"""),
    code("from actlib.teaching.style import use_book_style\n\n"
         "use_book_style()   # the book's figure sizes, fonts and colours",
         metadata={"tags": ["remove-cell"]}),
    md(r"""## SELU's map of mean and variance

SELU is $\operatorname{selu}(z) = \lambda z$ for $z > 0$ and
$\lambda\alpha(e^{z} - 1)$ for $z \le 0$, with $\lambda \approx 1.0507$ and
$\alpha \approx 1.6733$. Suppose the inputs of a layer have mean $\mu$ and variance
$\nu$, and the $n$ weights into one unit sum to $\omega$ with squares summing to
$\tau$. By the central limit theorem the unit's pre-activation is close to
$z \sim N(\mu\omega, \nu\tau)$, and the mean and variance of its output are integrals
of $\operatorname{selu}(z)$ against that normal density. For $z \sim N(m, s^2)$ each
piece has a closed form, with $\Phi$ and $\varphi$ the standard normal distribution
function and density:

$$
E[z\,1_{z>0}] = m\,\Phi(m/s) + s\,\varphi(m/s), \qquad
E[z^2 1_{z>0}] = (m^2 + s^2)\,\Phi(m/s) + m s\,\varphi(m/s),
$$

$$
E[e^{kz} 1_{z\le 0}] = e^{km + k^2 s^2/2}\;\Phi\!\left(-\frac{m + k s^2}{s}\right)
\quad (k = 1, 2).
$$

Together they give the map $g: (\mu, \nu) \mapsto (\tilde\mu, \tilde\nu)$ from a
layer's input moments to its output moments
(`actlib.teaching.selfnorm.moment_map`). Klambauer et al. chose $\lambda$ and $\alpha$
so that for $\omega = 0$ and $\tau = 1$ the point $(0, 1)$ is a fixed point of $g$ and
attracts its neighbours. The table checks the closed forms against a Monte Carlo
estimate from 200 000 samples and against numerical integration."""),
    code(r"""import numpy as np
from scipy import integrate

import actlib
from actlib.teaching import selfnorm
from actlib.teaching.report import Table, claim, glue, measured

rng = np.random.default_rng(0)
rows, worst = [], 0.0
for m, v in [(0.0, 1.0), (0.5, 2.0), (-1.0, 0.5), (1.0, 0.25)]:
    first, second = selfnorm.selu_moments(m, v)
    z = rng.normal(m, np.sqrt(v), 200_000)
    f = actlib.selu(z)
    pdf = lambda t, m=m, v=v: np.exp(-(t - m) ** 2 / (2 * v)) / np.sqrt(2 * np.pi * v)  # noqa: E731
    quad = [sum(integrate.quad(lambda t: float(actlib.selu(t)) ** k * pdf(t), a, b, limit=200)[0]
                for a, b in [(-np.inf, 0.0), (0.0, np.inf)]) for k in (1, 2)]
    se = [f.std() / z.size ** 0.5, (f ** 2).std() / z.size ** 0.5]
    worst = max(worst, abs(first - f.mean()) / se[0], abs(second - (f ** 2).mean()) / se[1])
    claim(abs(first - quad[0]) < 1e-9 and abs(second - quad[1]) < 1e-9 * second,
          "the closed forms agree with numerical integration")
    rows.append([f"$N({m:g}, {v:g})$", f"{first:.5f}",
                 measured(f.mean(), tol=4 * se[0], fmt="{:.4f}"), f"{second:.5f}",
                 measured((f ** 2).mean(), tol=4 * se[1], fmt="{:.4f}")])
claim(worst < 4, "the closed forms agree with simulation within four standard errors")
fp = {k: selfnorm.fixed_point(0.0, selfnorm.tau(k)) for k in selfnorm.INITS}
claim(abs(fp["lecun"][0]) < 1e-9 and abs(fp["lecun"][1] - 1) < 1e-9,
      "(0, 1) is the fixed point for LeCun initialisation")
glue("it_gain", f"{selfnorm.init_gain('selu_gain'):g}")
glue("it_tau_gain", f"{selfnorm.tau('selu_gain'):.4g}")
glue("it_fp_gain", f"{fp['selu_gain'][1]:.3f}")
glue("it_fp_he_mean", f"{fp['he'][0]:.2f}")
glue("it_fp_he_var", f"{fp['he'][1]:.1f}")
Table(["$z$", "$E[\\mathrm{selu}(z)]$ closed form", "simulated",
       "$E[\\mathrm{selu}(z)^2]$ closed form", "simulated"], rows,
      caption="Closed form against 200 000 samples")""", metadata={"tags": ["remove-input"]}),
    md(r"""The explorer shows the map. Its colour is the number of layers after which the
moments, started at the point $(\mu, \nu)$, stay within 1 % of the fixed point; the
white path follows one start through twelve layers. The menu picks the initialisation,
which sets $\tau$: LeCun's $N(0, 1/n)$ gives $\tau = 1$, He's $N(0, 2/n)$ gives
$\tau = 2$ {cite}`he2015delving`, `kaiming_normal_(w, nonlinearity="selu")` gives
$\tau = 9/16$ (below), and PyTorch's default for `nn.Linear`,
$U(\pm 1/\sqrt n)$, gives $\tau = 1/3$. The slider $\omega$ lets the weights' sum
drift from 0, as it does for any finite layer; Klambauer et al.'s theorem allows
$|\omega| \le 0.1$."""),
    code("selfnorm.moment_map_explorer()",
         metadata=fig("SELU's map of a layer's mean and variance, from closed-form integrals: "
                      "the number of layers until the moments settle at the fixed point (colour) "
                      "and the path of one start through twelve layers (white).",
                      "fig-selu-map")),
    md(r"""With LeCun initialisation every start in the plot, with variance from 0.05 to 3,
reaches $(0, 1)$, and a nonzero $\omega$ moves the fixed point only slightly: this is
self-normalisation. With the other initialisations the map still has an attractor, but
not the right one. He initialisation pulls the moments to a mean of
{glue:text}`it_fp_he_mean` and a variance of {glue:text}`it_fp_he_var`, off the plot.
PyTorch's `nn.Linear` default has no fixed point at all: the variance shrinks towards 0.

The third initialisation is a trap that PyTorch sets. Its
`torch.nn.init.calculate_gain("selu")` returns {glue:text}`it_gain`, so
`kaiming_normal_(w, nonlinearity="selu")` draws weights with standard deviation
$0.75/\sqrt n$, that is $\tau =$ {glue:text}`it_tau_gain`. The documentation of
`calculate_gain` says in a note that self-normalising networks should use
`nonlinearity="linear"` (gain 1, LeCun's variance) instead, but the name suggests
otherwise. With $\tau = 9/16$ the moments settle at a variance of
{glue:text}`it_fp_gain`: every layer still normalises, but to the wrong scale.

## The trap, measured: a depth sweep

The map is a mean-field calculation. A real network has random weights, finitely many
units and a finite batch; the cell below measures fresh SELU networks layer by layer and
draws the closed-form prediction next to the measurement. With random weights of
variance $\tau/n$, a unit's pre-activation has variance $\tau$ times the second moment
of the layer's inputs, so the prediction iterates
$q_{l+1} = E[\operatorname{selu}(z)^2]$, $z \sim N(0, \tau q_l)$
(`selfnorm.mean_field`). The second menu adds dropout after every layer, at one of three rates
{cite}`srivastava2014dropout`: ordinary (inverted) dropout, which scales the units it
keeps by $1/(1-p)$, or AlphaDropout, which sets dropped units to SELU's saturation value
$-\lambda\alpha$ and then applies the affine map that restores mean 0 and variance 1 at
the fixed point. On a GPU the cell measures 64 layers of 1024 units; on a CPU, 32 layers
of 128."""),
    code(r"""from actlib.nn.device import pick_config

device, size, on_gpu = pick_config(
    gpu=dict(layers=64, width=1024, samples=1024, seeds=range(8)),
    cpu=dict(layers=32, width=128, samples=64, seeds=range(3)))
sweep = selfnorm.depth_explorer(device=device, **size)
sweep""", metadata=fig("The variance and mean of each layer's outputs in fresh SELU networks, "
                       "closed form (dashed) and measured (solid), for four initialisations, "
                       "with and without dropout.", "fig-selu-depth-sweep", tags=())),
    code(r"""L = size["layers"]
labels = {v[0]: k for k, v in selfnorm.INITS.items()}


def last(init, dropout="none"):
    closed, sim = sweep.items(init=init, dropout=dropout)[0][:2]
    return closed.y[-1], measured(sim.y[-1], tol=float(sim.tol[-1]), fmt="{:.3g}")


rows = []
for label in labels:
    closed, sim = last(label)
    rows.append([label, "none", f"{closed:.3g}", sim])
for kind in ["inverted dropout, p = 0.1", "AlphaDropout, p = 0.1"]:
    closed, sim = last(next(iter(labels)), kind)
    rows.append([next(iter(labels)), kind, f"{closed:.3g}", sim])
var = {r[0] + r[1]: float(r[3]) for r in rows}
lecun, he, gain, pt = (var[k + "none"] for k in labels)
claim(0.8 < lecun < 1.25, "with LeCun initialisation the variance stays near 1")
claim(gain < 0.15 and pt < 0.15,
      "the 3/4 gain and nn.Linear's default shrink the variance far below 1")
claim(he > 10, "He initialisation makes the variance grow")
drop, alpha = float(rows[-2][3]), float(rows[-1][3])
claim(drop > 1.3 and 0.8 < alpha < 1.25,
      "dropout breaks the fixed point, AlphaDropout keeps it")
glue("it_layers", str(L))
for key, value in [("it_var_lecun", rows[0][3]), ("it_var_gain", rows[2][3]),
                   ("it_var_he", rows[1][3]), ("it_var_drop", rows[-2][3]),
                   ("it_var_alpha", rows[-1][3])]:
    glue(key, value)
Table(["initialisation", "dropout", "closed form", "measured (mean of seeds)"], rows,
      caption=f"Variance of the outputs of layer {L}")""", metadata={"tags": ["remove-input"]}),
    md(r"""After {glue:text}`it_layers` layers the variance is {glue:text}`it_var_lecun` with
LeCun initialisation, {glue:text}`it_var_gain` with the 3/4 gain and
{glue:text}`it_var_he` with He initialisation; the closed form predicts each within
the spread of the simulation, except where finite width takes over (a variance near 0
cannot shrink below what a layer of finitely many random units adds). A network
initialised with the 3/4 gain still trains, but its deep layers start with signals a
few percent of the size the design assumes, and nothing pulls them back: it is not
self-normalising.

Dropout with rate 0.1 raises the second moment by $1/(1-p)$ at every layer; the map
pulls it back part of the way, and the variance settles at
{glue:text}`it_var_drop` instead of 1. AlphaDropout keeps it at
{glue:text}`it_var_alpha`: dropped units take SELU's own saturation value, so the
affine correction can restore both moments exactly. That is why SELU networks use
AlphaDropout.

## Decision boundaries during training

A classifier with two inputs can be watched as a picture. The explorer trains networks
with two hidden layers of 16 units on two of the data sets of
`actlib.teaching.data`, two interleaving half-moons and a three-armed spiral, with
full-batch Adam {cite}`kingma2015adam` for 60 steps, one network per learning rate and
seed, and records a frame every six steps. The plane is coloured by the class the first
network predicts (paler where it is less sure), the dots are the training points, and
each line is where one first-layer unit switches on ($w \cdot x + b = 0$). A unit is
*dead* when its activation's derivative is exactly 0 on every training point, so that
no point sends it a gradient: for ReLU, when its whole line has moved off to one side
of the data. Dead units are drawn dashed. The explorer opens at the last step; press
play to watch training from the start, or move the step slider. The
networks train in float64, so the frames are the same on every computer; the counts
under the picture are also given as the mean over eight seeds."""),
    code(r"""from actlib.teaching import boundaries

device, size, on_gpu = pick_config(gpu=dict(seeds=range(32)),
                                   cpu=dict(seeds=range(8)))
boundaries.boundary_explorer(device=device, seeds=tuple(size["seeds"]))""",
         metadata=fig("Decision regions of a two-layer classifier during training, with the "
                      "lines where its first-layer units switch on, dashed for dead units; "
                      "the menus pick the data and the activation, the sliders the learning "
                      "rate and the step.", "fig-boundaries", tags=())),
    code(r"""from actlib.teaching.stats import Paired, Stat

seeds = tuple(size["seeds"])
run = {a: boundaries.cached_run("moons", a, lrs=(0.03, 0.3), seeds=seeds, steps=60,
                                every=6, grid=24, device=device)
       for a in boundaries.ACTIVATIONS}
dead = {a: r.dead[:, :, -1].sum(axis=-1).astype(float) for a, r in run.items()}
relu_hi = Paired(dead["relu"][1], dead["relu"][0])
relu_vs_leaky = Paired(dead["relu"][1], dead["leaky_relu"][1])
claim(relu_hi.greater(), "at 0.3 more ReLU units die than at 0.03")
claim(relu_vs_leaky.greater() and dead["leaky_relu"].max() == 0,
      "no Leaky ReLU unit dies; ReLU units do")
glue("it_dead_relu", Stat(dead["relu"][1]).show("{mean:.1f}"))
glue("it_dead_relu_lo", Stat(dead["relu"][0]).show("{mean:.1f}"))
glue("it_dead_gelu", Stat(dead["gelu"][1]).show("{mean:.1f}"))
glue("it_seeds", str(len(seeds)))
rows = [[f"`{a}`"] + [Stat(dead[a][k]).show("{mean:.1f} ± {sd:.1f}") for k in (0, 1)]
        + [Stat(run[a].test_accuracy[k]).show("{mean:.3f}") for k in (0, 1)]
        for a in boundaries.ACTIVATIONS]
Table(["activation", "dead units, lr 0.03", "dead units, lr 0.3", "test accuracy, 0.03",
       "test accuracy, 0.3"], rows,
      caption=f"Moons after 60 steps: dead first-layer units of 16 and test accuracy, "
              f"mean ± standard deviation over {len(seeds)} seeds")""",
         metadata={"tags": ["remove-input"]}),
    md(r"""At the learning rate 0.03 the first frames show the lines fanning out from the
origin (the biases start at zero), and over sixty steps they rotate and shift until
the colours follow the moons. At 0.3 the first steps are violent: some ReLU units are
thrown so far that their whole line lies beyond the data, and they never come back.
Over {glue:text}`it_seeds` seeds, {glue:text}`it_dead_relu` of the 16 first-layer ReLU
units are dead after 60 steps at 0.3, against {glue:text}`it_dead_relu_lo` at 0.03
(a paired t-test over the same seeds, $p < 0.01$). No Leaky ReLU unit ever dies: its
derivative on the negative side is 0.01, not 0, so every point keeps pulling on it. The
smooth activations with a near-flat left tail behave between the two; their units
count as dead only when the derivative underflows to exactly 0, which does not happen
here (GELU: {glue:text}`it_dead_gelu`). The table shows that the networks still
classify the moons well: a network of 16 units can afford to lose a few, which is why
dead units often go unnoticed.

## Exercises

```{exercise-start}
:label: ex-it-fixed-point
```
Use `selfnorm.moment_map` to find the smallest $\tau$ for which the variance map of a
SELU layer with $\omega = 0$ has a fixed point with variance at least 0.5. What
weight variance (times $n$) does that correspond to?
```{exercise-end}
```

```{solution-start} ex-it-fixed-point
:class: dropdown
```
Bisect over $\tau$ with `selfnorm.fixed_point(0.0, tau)`:

```python
lo, hi = 0.5, 1.0
for _ in range(50):
    mid = (lo + hi) / 2
    lo, hi = (lo, mid) if selfnorm.fixed_point(0.0, mid)[1] >= 0.5 else (mid, hi)
print(hi)
```
The answer is $\tau$ a little below 1: the fixed-point variance rises steeply from 0
to 1 as $\tau$ goes from about 0.6 to 1, which is why a gain of 3/4 (a variance of
$9/16$ of LeCun's) lands near 0.
```{solution-end}
```

```{exercise-start}
:label: ex-it-alpha-moments
```
Show that AlphaDropout's affine map $y = a(x d + \alpha'(1-d)) + b$ with
$d \sim \text{Bernoulli}(1-p)$, $\alpha' = -\lambda\alpha$,
$a = ((1-p)(1 + p\alpha'^2))^{-1/2}$ and $b = -a\alpha' p$ keeps mean 0 and variance
1 when $x$ has mean 0 and variance 1, and check it with
`selfnorm.dropout_moments(0.0, 1.0, p, "alpha")`.
```{exercise-end}
```

```{solution-start} ex-it-alpha-moments
:class: dropdown
```
$E[xd + \alpha'(1-d)] = p\alpha'$, so $E[y] = ap\alpha' + b = 0$. The second moment
of $xd + \alpha'(1-d)$ is $(1-p) + p\alpha'^2$, so its variance is
$(1-p) + p\alpha'^2 - p^2\alpha'^2 = (1-p)(1 + p\alpha'^2)$, and multiplying by $a^2$
gives 1. `selfnorm.dropout_moments(0.0, 1.0, 0.1, "alpha")` returns $(0, 1)$ up to
rounding.
```{solution-end}
```

```{exercise-start}
:label: ex-it-revive
```
In the explorer, pick ReLU at 0.3 on the moons and find a dead unit. Why can no later
step bring it back, while a dead unit of the *second* hidden layer could in principle
revive?
```{exercise-end}
```

```{solution-start} ex-it-revive
:class: dropdown
```
A first-layer unit's inputs are the fixed training points: if its pre-activation is
negative for all of them, its weights receive exactly zero gradient, and Adam's update
of a parameter with zero gradient only decays its momentum towards zero, so its line
stays where it is. A second-layer unit's inputs are the first layer's outputs, which
keep changing while the first layer trains; one of those changes can lift its
pre-activation above zero for some point, and then it receives gradient again.
```{solution-end}
```

## Summary

* SELU's closed-form moment map has the fixed point $(0, 1)$ for weights with
  $\omega = 0$, $\tau = 1$: LeCun initialisation. The closed forms match simulation.
* `kaiming_normal_(w, nonlinearity="selu")` uses PyTorch's gain 3/4, so
  $\tau = 9/16$ and the variance settles near {glue:text}`it_fp_gain` instead of 1;
  He initialisation makes it grow. Use LeCun initialisation (`nonlinearity="linear"`).
* Ordinary dropout breaks the fixed point; AlphaDropout keeps it.
* Watching a decision boundary form shows dying ReLU units directly: at a high learning
  rate their lines leave the data and stay there; Leaky ReLU units cannot die."""),
]

nb = nbf.v4.new_notebook(cells=cells)
nb.metadata["kernelspec"] = {"display_name": "Python 3 (ipykernel)", "language": "python", "name": "python3"}
nb.metadata["language_info"] = {"name": "python"}
nbf.write(nb, "book/inside-training.ipynb")
