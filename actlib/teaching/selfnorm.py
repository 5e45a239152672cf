r"""Self-normalisation with SELU, in closed form and by simulation.

Klambauer et al. (2017) chose SELU's constants so that a layer maps the mean and
variance of its inputs, :math:`(\mu, \nu)`, to the mean and variance of its outputs
with a stable fixed point at :math:`(0, 1)`. With weights whose sum is :math:`\omega`
and whose sum of squares is :math:`\tau`, a unit's pre-activation is approximately
:math:`z \sim N(\mu\omega, \nu\tau)`, and the output moments are integrals of
:math:`\operatorname{selu}(z)` against that normal density, which have closed forms
(:func:`selu_moments`, with :math:`\Phi` the normal distribution function):

.. math::

    E[z\,1_{z>0}] = m\Phi(m/s) + s\varphi(m/s), \quad
    E[z^2 1_{z>0}] = (m^2 + s^2)\Phi(m/s) + ms\varphi(m/s), \quad
    E[e^{kz} 1_{z\le0}] = e^{km + k^2s^2/2}\,\Phi(-(m + ks^2)/s).

:func:`moment_map` is the map :math:`g(\mu, \nu)`; :func:`mean_field` follows the pooled
moments of a freshly initialised deep network layer by layer (random weights of
variance :math:`\tau/n`, so :math:`z \sim N(0, \tau\,E[x^2])`), with plain or alpha dropout
after every activation; :func:`simulate` measures the same network with
:class:`~actlib.teaching.models.MLP` and ``torch.nn.Dropout`` / ``torch.nn.AlphaDropout``.

The initialisations (:data:`INITS`): LeCun's :math:`N(0, 1/n)` (:math:`\tau = 1`, what
SELU needs), He's :math:`N(0, 2/n)` (:math:`\tau = 2`), ``kaiming_normal_(w,
nonlinearity="selu")``, whose gain ``torch.nn.init.calculate_gain("selu")`` is 3/4
(:math:`\tau = 9/16`), and PyTorch's default for ``nn.Linear``, :math:`U(\pm 1/\sqrt n)`
(:math:`\tau = 1/3`).

Examples:
    >>> from actlib.teaching.selfnorm import moment_map
    >>> [round(float(v), 6) for v in moment_map(0.0, 1.0)]
    [0.0, 1.0]
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from functools import cache

import numpy as np
from scipy.special import log_ndtr, ndtr

from .._validate import check_param
from ..functions import SELU_ALPHA, SELU_SCALE

__all__ = ["INITS", "tau", "init_gain", "selu_moments", "moment_map", "fixed_point", "settle_layers",
           "dropout_moments", "mean_field", "simulate", "moment_map_explorer", "depth_explorer"]

#: name -> (label, ``MLP`` init, gain); ``"selu_gain"`` takes its gain from PyTorch.
INITS = {
    "lecun": ("LeCun, N(0, 1/n)", "lecun", None),
    "he": ("He, N(0, 2/n)", "he", None),
    "selu_gain": ("kaiming_normal_(nonlinearity='selu')", "lecun", "selu"),
    "torch": ("PyTorch's nn.Linear default", "torch", None),
}
#: How far a closed-form value may move on another CPU (whose exp and ndtr round
#: differently in the last bits), relative to 1 + the value's size.
_CLOSED_FORM_TOL = 1e-9
#: SELU's negative saturation value, the value AlphaDropout sets dropped units to.
ALPHA_PRIME = -SELU_SCALE * SELU_ALPHA


def init_gain(name: str) -> float:
    """The ``gain`` of initialisation ``name`` (``calculate_gain('selu')`` from PyTorch)."""
    gain = INITS[name][2]
    if gain is None:
        return 1.0
    import torch

    return float(torch.nn.init.calculate_gain(gain))


def tau(name: str) -> float:
    """:math:`\\tau = n\\,\\mathrm{Var}(w)`, the sum of squared weights into a unit."""
    if name not in INITS:
        raise ValueError(f"unknown initialisation {name!r}; choose one of {list(INITS)}")
    base = {"lecun": 1.0, "he": 2.0, "torch": 1.0 / 3.0}[INITS[name][1]]
    return base * init_gain(name) ** 2


def _phi(a):
    return np.exp(-0.5 * a * a) / math.sqrt(2 * math.pi)


def selu_moments(mean, var):
    """``(E[selu(z)], E[selu(z)²])`` for ``z ~ N(mean, var)``, in closed form (arrays
    broadcast; ``var > 0``)."""
    m = np.asarray(mean, dtype=float)
    v = np.asarray(var, dtype=float)
    if np.any(v <= 0):
        raise ValueError("var must be positive")
    s = np.sqrt(v)
    a = m / s
    pos1 = m * ndtr(a) + s * _phi(a)
    pos2 = (m * m + v) * ndtr(a) + m * s * _phi(a)
    neg0 = ndtr(-a)
    with np.errstate(over="ignore"):
        e1 = np.exp(m + v / 2 + log_ndtr(-(m + v) / s))
        e2 = np.exp(2 * m + 2 * v + log_ndtr(-(m + 2 * v) / s))
    first = SELU_SCALE * (pos1 + SELU_ALPHA * (e1 - neg0))
    second = SELU_SCALE ** 2 * (pos2 + SELU_ALPHA ** 2 * (e2 - 2 * e1 + neg0))
    return first, second


def moment_map(mu, nu, omega: float = 0.0, tau_: float = 1.0):
    """Klambauer's map ``g``: the mean and variance of a SELU layer's outputs when its
    inputs have mean ``mu`` and variance ``nu`` and each unit's weights sum to ``omega``
    with squares summing to ``tau_``."""
    first, second = selu_moments(np.asarray(mu) * omega, np.asarray(nu) * tau_)
    return first, second - first ** 2


def fixed_point(omega: float = 0.0, tau_: float = 1.0, layers: int = 2000):
    """The moments a deep stack settles at from ``(0, 1)``, or ``(nan, nan)`` when the
    variance grows without bound (or collapses below 1e-12)."""
    mu, nu = 0.0, 1.0
    for _ in range(layers):
        new = moment_map(mu, nu, omega, tau_)
        if not (np.isfinite(new[1]) and 1e-12 < new[1] < 1e12):
            return math.nan, math.nan
        if abs(new[0] - mu) < 1e-13 and abs(new[1] - nu) < 1e-13 * nu:
            return float(new[0]), float(new[1])
        mu, nu = float(new[0]), float(new[1])
    return (mu, nu) if abs(moment_map(mu, nu, omega, tau_)[1] / nu - 1) < 1e-6 else (math.nan, math.nan)


def settle_layers(mu, nu, omega: float, tau_: float, *, cap: int = 20, within: float = 0.01):
    """For starting moments ``mu``, ``nu`` (arrays): after how many layers the moments stay
    within ``within`` (absolute for the mean, relative for the variance) of the fixed
    point; ``cap`` where they never get there in ``cap`` layers."""
    target = fixed_point(omega, tau_)
    mu, nu = np.broadcast_arrays(np.asarray(mu, float), np.asarray(nu, float))
    out = np.full(mu.shape, float(cap))
    if not np.isfinite(target[0]):
        return out, target
    m, v = mu.copy(), nu.copy()
    settled = np.full(mu.shape, -1)
    for layer in range(cap + 1):
        ok = (np.abs(m - target[0]) < within) & (np.abs(v / target[1] - 1) < within)
        settled = np.where(ok & (settled < 0), layer, np.where(ok, settled, -1))   # first of a run
        m, v = moment_map(m, np.maximum(v, 1e-300), omega, tau_)
    out[settled >= 0] = settled[settled >= 0]
    return out, target


def dropout_moments(mu, q, p: float, kind: str):
    """Mean and second moment after dropout with rate ``p`` of inputs with mean ``mu`` and
    second moment ``q``: ``"dropout"`` (kept units scaled by 1/(1-p), dropped ones 0) or
    ``"alpha"`` (AlphaDropout: dropped units set to SELU's -λα, then an affine map that
    keeps mean 0 and variance 1 at SELU's fixed point)."""
    p = check_param("p", p, 0.0, 1.0, high_open=True)
    if kind == "none" or p == 0:
        return mu, q
    if kind == "dropout":
        return mu, q / (1 - p)
    if kind != "alpha":
        raise ValueError(f"kind must be 'none', 'dropout' or 'alpha', got {kind!r}")
    a = ((1 - p) * (1 + p * ALPHA_PRIME ** 2)) ** -0.5
    b = -a * ALPHA_PRIME * p
    m1 = (1 - p) * mu + p * ALPHA_PRIME
    m2 = (1 - p) * q + p * ALPHA_PRIME ** 2
    return a * m1 + b, a * a * m2 + 2 * a * b * m1 + b * b


def mean_field(init: str, layers: int, *, dropout: str = "none", p: float = 0.0):
    """Mean and variance of each layer's outputs (after dropout) in a deep SELU network
    with standard-normal inputs, from the closed forms: arrays of length ``layers``."""
    t = tau(init)
    q = 1.0
    means, variances = [], []
    for _ in range(check_param("layers", layers, 1, 10_000, integer=True)):
        mu, q = selu_moments(0.0, max(t * q, 1e-300))
        mu, q = dropout_moments(float(mu), float(q), p, dropout)
        means.append(mu)
        variances.append(q - mu * mu)
    return np.array(means), np.array(variances)


def simulate(inits: Sequence[str], layers: int, *, width: int = 128, samples: int = 128,
             seeds: Sequence[int] = range(3), dropout: str = "none", p: float = 0.0, device="cpu"):
    """Measure what :func:`mean_field` predicts: fresh SELU networks, one per
    initialisation in ``inits`` and seed (the members of one
    :class:`~actlib.teaching.models.MLP`), with dropout after every activation (training
    mode), on standard-normal inputs. Returns ``(means, variances)``, each
    ``(len(inits), seeds, layers)``, pooled over samples and units."""
    import torch
    from torch import nn

    from .inspector import stack_members
    from .models import MLP

    seeds = list(seeds)
    nets = [MLP([width] * (layers + 1) + [1], "selu", members=len(seeds), seeds=seeds, init=INITS[i][1],
                gain=init_gain(i), device=device) for i in inits]
    net = stack_members(nets) if len(nets) > 1 else nets[0]
    if dropout != "none" and p > 0:
        for i, act in enumerate(net.acts):
            drop = nn.AlphaDropout(p) if dropout == "alpha" else nn.Dropout(p)
            net.acts[i] = nn.Sequential(act, drop)
    net.train()
    gen = torch.Generator().manual_seed(12345)
    x = torch.randn(samples, width, generator=gen).to(device)
    torch.manual_seed(seeds[0])          # the dropout masks
    with torch.no_grad():
        stats = [(L.h_out.mean(dim=(1, 2)), L.h_out.var(dim=(1, 2))) for L in net.layers(x)]
    shape = (len(nets), len(seeds), layers)
    means = torch.stack([m for m, _ in stats], dim=1).double().cpu().numpy().reshape(shape)
    variances = torch.stack([v for _, v in stats], dim=1).double().cpu().numpy().reshape(shape)
    return means, variances


# ---------------------------------------------------------------------------------------
# Explorers
# ---------------------------------------------------------------------------------------

def moment_map_explorer(*, omegas: Sequence[float] = (-0.1, 0.0, 0.1),
                        starts_mu: Sequence[float] = (-1, -0.5, 0, 0.5, 1),
                        starts_nu: Sequence[float] = (0.25, 0.5, 1.0, 2.0, 3.0), layers: int = 12,
                        grid: int = 40, cap: int = 20):
    """The map ``g`` as a field: how many layers the moments take to settle at the fixed point
    from every start ``(mu, nu)``, for each initialisation (``tau``) and weight sum
    ``omega``, with the path of ``layers`` layers from a chosen start."""
    from .explorers import Choice, Explorer, Field, FieldView, Note, Series, Slider

    mu_axis, nu_axis = np.linspace(-1.2, 1.2, grid), np.linspace(0.05, 3.2, grid)
    labels = {INITS[k][0]: k for k in INITS}

    @cache
    def field(init, omega):
        mu, nu = np.meshgrid(mu_axis, nu_axis[::-1])               # row 0 at the top
        n, target = settle_layers(mu, nu, omega, tau(init), cap=cap)
        # layer counts: the record keeps three moments of the picture, exactly
        return Field(n[None] / cap, 0.0, 1.0, record="summary"), target

    def compute(init, omega, mu0, nu0):
        key = labels[init]
        f, (m_star, v_star) = field(key, omega)
        mu, nu = [mu0], [nu0]
        for _ in range(layers):
            m, v = moment_map(mu[-1], nu[-1], omega, tau(key))
            mu.append(float(m))
            nu.append(float(v))
        # closed forms in float64: another CPU's exp and ndtr change only the last bits
        path = Series(f"{layers} layers from the start", np.array(mu), np.array(nu), "solid", "#ffffff",
                      tol=_CLOSED_FORM_TOL * (1 + np.abs(nu)))
        if np.isfinite(m_star):
            star = Series("fixed point", np.array([m_star]), np.array([v_star]), "markers", "#d62728",
                          tol=_CLOSED_FORM_TOL * (1 + abs(v_star)))
            text = "fixed point: mean {0:.3f}, variance {1:.3f}; after " + str(layers) + " layers: {2:.3f}, {3:.3f}"
            values = (m_star, v_star, mu[-1], nu[-1])
        else:
            star = Series("fixed point", np.array([np.nan]), np.array([np.nan]), "markers", "#d62728")
            text = "no fixed point: the variance collapses to 0; after " + str(layers) + " layers: {2:.3f}, {3:.3f}"
            values = (0.0, 0.0, mu[-1], nu[-1])
        return [f, path, star, Note(text, values)]

    names = list(labels)
    return Explorer(
        compute,
        [Choice("init", tuple(names), names[0], "initialisation"),
         Slider("omega", tuple(float(o) for o in omegas), 0.0, "weight sum ω"),
         Slider("mu0", tuple(float(m) for m in starts_mu), 0.5, "start mean"),
         Slider("nu0", tuple(float(v) for v in starts_nu), 3.0, "start variance")],
        title="SELU's map of a layer's mean and variance",
        description=("The mean and variance of a SELU layer's outputs as a function of its inputs' mean "
                     "and variance (closed-form integrals): the colour is the number of layers until the "
                     "moments settle within 1 % at the fixed point, the white path follows a start through "
                     f"{layers} layers; for four initialisations and three weight sums."),
        views=[FieldView(title="Layers to settle at the fixed point (dark: few; yellow: 20 or never)",
                         xlabel="mean μ", ylabel="variance ν", xlim=(-1.2, 1.2), ylim=(0.05, 3.2), width=440,
                         height=400, legend=[["0 layers", "#440154"], [f"{cap} or more", "#fde725"]],
                         alt="Field of layers to settle, with a path")],
        meta={"builder": f"{__name__}:moment_map_explorer",
              "kwargs": dict(omegas=list(omegas), starts_mu=list(starts_mu), starts_nu=list(starts_nu),
                             layers=layers, grid=grid, cap=cap)}, max_bytes=300_000)


def depth_explorer(*, layers: int = 32, width: int = 128, samples: int = 128, seeds: Sequence[int] = range(3),
                   rates: Sequence[float] = (0.05, 0.1, 0.2), device="cpu"):
    """A depth sweep of fresh SELU networks: each layer's output variance and mean, in closed
    form and measured, for every initialisation, with plain dropout or AlphaDropout."""
    from .explorers import Axes, Choice, Explorer, Lines, Series
    from .inspector import seed_tolerance

    seeds = tuple(seeds)
    keys = list(INITS)
    labels = {INITS[k][0]: k for k in keys}
    kinds = {"none": ("none", 0.0)}
    for kind, name in (("dropout", "inverted dropout"), ("alpha", "AlphaDropout")):
        kinds.update({f"{name}, p = {r:g}": (kind, float(r)) for r in rates})
    layer = np.arange(1, layers + 1, dtype=float)
    colors = {"lecun": "#0f8b7b", "he": "#d65c0b", "selu_gain": "#7557ce", "torch": "#7b7b7b"}

    @cache
    def measured(kind, p):
        return simulate(keys, layers, width=width, samples=samples, seeds=seeds, dropout=kind, p=p, device=device)

    @cache
    def curves(init, kind, p):
        k = keys.index(init)
        means, variances = measured(kind, p)
        m_cf, v_cf = mean_field(init, layers, dropout=kind, p=p)
        v, m = variances[k].T, means[k].T                             # (layers, seeds)
        c = colors[init]
        vm, mm = v.mean(1), m.mean(1)
        both_v, both_m = np.concatenate([v_cf, vm]), np.concatenate([m_cf, mm])
        lo, hi = np.log10(both_v[both_v > 0].min()), np.log10(both_v.max())
        vlim = (10 ** (np.floor(lo) - (hi - lo < 2)), 10 ** (np.ceil(hi) + (hi - lo < 2)))
        pad = max(0.05, 0.08 * (both_m.max() - both_m.min()))
        mlim = (both_m.min() - pad, both_m.max() + pad)
        return ([Series("closed form", layer, v_cf, "dashed", "#7b7b7b"),
                 Series(f"measured, mean of {len(seeds)} seeds", layer, vm, "solid", c, tol=seed_tolerance(v)),
                 Axes(ylim=vlim)],
                [Series("closed form", layer, m_cf, "dashed", "#7b7b7b"),
                 Series(f"measured, mean of {len(seeds)} seeds", layer, mm, "solid", c, tol=seed_tolerance(m)),
                 Axes(ylim=mlim)])

    def compute(init, dropout):
        return list(curves(labels[init], *kinds[dropout]))

    return Explorer(
        compute,
        [Choice("init", tuple(labels), next(iter(labels)), "initialisation"),
         Choice("dropout", tuple(kinds), "none", "dropout after each layer")],
        title=f"A {layers}-layer SELU network at initialisation",
        description=(f"Variance and mean of each layer's outputs in fresh {layers}-layer SELU networks of "
                     f"{width} units on standard-normal inputs, in closed form (dashed) and measured (solid, "
                     f"mean of {len(seeds)} seeds), for four initialisations, with no dropout, inverted "
                     "dropout or AlphaDropout after every layer."),
        views=[Lines(title="Variance of each layer's outputs", xlabel="layer", ylabel="variance (log scale)",
                     yscale="log", width=320, height=270, alt="Variance per layer"),
               Lines(title="Mean of each layer's outputs", xlabel="layer", ylabel="mean", width=320, height=270,
                     alt="Mean per layer")],
        meta={"builder": f"{__name__}:depth_explorer",
              "kwargs": dict(layers=layers, width=width, samples=samples, seeds=list(seeds), rates=list(rates),
                             device=str(device))},
        max_bytes=300_000)


