r"""The one network of the book: ``members`` independent MLPs side by side.

A claim about training is a statistic over random seeds, so every experiment
trains many copies of a small network. :class:`MLP` holds them all at once:
each weight matrix carries a leading *member* axis, activations have the layout
``(members, batch, features)``, and one batched matrix product
(``torch.baddbmm``) evaluates every member. The members share nothing: each
has its own initialisation (drawn from its own seed), its own learned
activation parameters (PReLU's slope, Swish's β), its own batch-normalisation
statistics and, in :func:`actlib.teaching.training.train`, its own order of
mini-batches, learning rate and optimiser state. A run of ``members`` networks
therefore gives what ``members`` separate runs would give, at a fraction of
the Python overhead. ``members=1`` is a single ordinary network.

Each hidden layer computes ``z = h W + b`` (then batch normalisation, if asked),
``a = activation(z) + shift`` and ``h_next = a``, or ``h + a`` with residual
connections (layers 2 and up). ``z`` is the layer's pre-activation.

Examples:
    >>> import torch
    >>> from actlib.teaching.models import MLP
    >>> net = MLP([4, 8, 8, 3], "relu", members=5, init="he", seeds=range(5))
    >>> net(torch.randn(16, 4)).shape            # (members, batch, outputs)
    torch.Size([5, 16, 3])
    >>> [tuple(z.shape) for z in net.preactivations(torch.randn(16, 4))]
    [(5, 16, 8), (5, 16, 8)]
"""

from __future__ import annotations

import math
from collections.abc import Callable, Iterable, Sequence
from typing import NamedTuple

import numpy as np
import torch
from torch import nn

from .._validate import check_bool, check_param
from ..registry import get

__all__ = ["INITS", "init_std", "Layer", "MLP", "CNN", "make_activation"]

#: Weight initialisations: the standard deviation each gives a layer with ``fan_in``
#: inputs and ``fan_out`` outputs (before ``gain``). ``"orthogonal"`` and ``"torch"``
#: are drawn differently (see :class:`MLP`).
INITS: dict[str, Callable[[int, int], float]] = {
    # Glorot & Bengio (2010): Var W = 2 / (fan_in + fan_out).
    "xavier": lambda fan_in, fan_out: math.sqrt(2.0 / (fan_in + fan_out)),
    # He et al. (2015): Var W = 2 / fan_in, for ReLU.
    "he": lambda fan_in, fan_out: math.sqrt(2.0 / fan_in),
    # LeCun et al. (1998): Var W = 1 / fan_in (SELU's choice).
    "lecun": lambda fan_in, fan_out: math.sqrt(1.0 / fan_in),
    # A fixed small scale, as in early networks: N(0, 0.01²).
    "normal": lambda fan_in, fan_out: 0.01,
    # Saxe et al. (2014): a random orthogonal matrix (scaled by gain).
    "orthogonal": lambda fan_in, fan_out: math.sqrt(1.0 / fan_in),
    # PyTorch's default for nn.Linear: U(-1/sqrt(fan_in), 1/sqrt(fan_in)), std 1/sqrt(3 fan_in).
    "torch": lambda fan_in, fan_out: 1.0 / math.sqrt(3.0 * fan_in),
}


def init_std(init: str, fan_in: int, fan_out: int, gain: float = 1.0) -> float:
    """Standard deviation of the weights of initialisation ``init`` times ``gain``.

    Examples:
        >>> round(init_std("he", 50, 50), 4)
        0.2
        >>> init_std("xavier", 50, 50) == init_std("lecun", 50, 50)
        True
    """
    if init not in INITS:
        raise ValueError(f"unknown init {init!r}; choose one of {sorted(INITS)}")
    gain = check_param("gain", gain, 0.0, math.inf, low_open=True)
    fan_in = check_param("fan_in", fan_in, 1, math.inf, integer=True)
    fan_out = check_param("fan_out", fan_out, 1, math.inf, integer=True)
    return gain * INITS[init](fan_in, fan_out)


# ---------------------------------------------------------------------------------------
# Activations with one copy of each learned parameter per member
# ---------------------------------------------------------------------------------------

class _MemberPReLU(nn.Module):
    """PReLU with one slope per member (shape ``(members, 1, 1)``)."""

    def __init__(self, members: int, a: float):
        super().__init__()
        self.a = nn.Parameter(torch.full((members, 1, 1), float(a)))

    def forward(self, x):
        return torch.where(x >= 0, x, self.a.to(x.dtype) * x)


class _MemberSwish(nn.Module):
    """Swish with one learned β per member, through ``actlib.nn.autograd.swish``."""

    def __init__(self, members: int, beta: float):
        super().__init__()
        self.beta = nn.Parameter(torch.full((members, 1, 1), float(beta)))

    def forward(self, x):
        from ..nn.autograd import swish

        return swish(x, self.beta.to(x.dtype))


def make_activation(name: str, members: int = 1, params: dict | None = None,
                    learnable: bool = True) -> tuple[nn.Module, int]:
    """The hidden activation ``name`` for inputs laid out ``(members, batch, features)``.

    Returns ``(module, widen)``: ``widen`` is 2 for a reducing activation (Maxout
    with two pieces, GLU, SwiGLU: the layer in front must be twice as wide) and 1
    otherwise. PReLU's slope and (with ``learnable``) Swish's β are learned, one per
    member; every other activation is :func:`actlib.nn.module` with ``params``.
    """
    from .. import nn as anm

    rec = get(name)
    params = dict(params or {})
    if rec.kind == "vector":
        raise ValueError(f"{rec.name} is an output activation (it normalises over a whole "
                         "vector), not a hidden-layer one")
    for key, value in params.items():
        params[key] = rec.param(key).validate(value)
    if rec.name == "prelu":
        return _MemberPReLU(members, params.get("a", rec.defaults["a"])), 1
    if rec.name == "swish" and learnable:
        return _MemberSwish(members, params.get("beta", rec.defaults["beta"])), 1
    if rec.name == "maxout":
        return anm.Maxout(k=2, axis=-1), 2
    if rec.kind == "reducing":
        return anm.module(rec.name, axis=-1), 2
    return anm.module(rec.name, **params), 1


class _MemberBatchNorm(nn.Module):
    """Batch normalisation over the batch axis, separately for every member."""

    def __init__(self, members: int, width: int, momentum: float = 0.1, eps: float = 1e-5):
        super().__init__()
        self.weight = nn.Parameter(torch.ones(members, 1, width))
        self.bias = nn.Parameter(torch.zeros(members, 1, width))
        self.register_buffer("running_mean", torch.zeros(members, 1, width))
        self.register_buffer("running_var", torch.ones(members, 1, width))
        self.momentum, self.eps = momentum, eps

    def forward(self, z):
        if self.training:
            mean = z.mean(dim=1, keepdim=True)
            var = z.var(dim=1, keepdim=True, unbiased=False)
            with torch.no_grad():
                n = z.shape[1]
                unbiased = var * (n / max(n - 1, 1))
                self.running_mean.lerp_(mean, self.momentum)
                self.running_var.lerp_(unbiased, self.momentum)
        else:
            mean, var = self.running_mean, self.running_var
        return (z - mean) / torch.sqrt(var + self.eps) * self.weight + self.bias


# ---------------------------------------------------------------------------------------
# The network
# ---------------------------------------------------------------------------------------

class Layer(NamedTuple):
    """One hidden layer's tensors for a batch, each ``(members, batch, width)``."""

    h_in: torch.Tensor   #: the layer's input
    u: torch.Tensor      #: the linear output h_in W + b
    z: torch.Tensor      #: the pre-activation (u after batch normalisation, if any)
    h_out: torch.Tensor  #: the layer's output

def _sizes(sizes) -> list[int]:
    if isinstance(sizes, (str, bytes)) or not isinstance(sizes, Iterable):
        raise TypeError(f"sizes must be a sequence of layer widths such as [64, 32, 10], "
                        f"got {sizes!r}")
    sizes = list(sizes)
    if len(sizes) < 3:
        raise ValueError(f"sizes needs at least three widths (input, a hidden layer, output), "
                         f"got {sizes}")
    return [check_param("sizes[i]", s, 1, math.inf, integer=True) for s in sizes]


def _initial_parameters(shapes, seeds, init, gain, bias):
    """Every layer's initial weights ``(members, d_in, d_out)`` and biases ``(members, 1,
    d_out)`` in float64, for layers of ``shapes`` ``[(d_in, d_out), ...]`` (the last is
    the readout). Member ``i``'s are drawn from ``seeds[i]`` alone, layer by layer."""
    weights, biases = [[] for _ in shapes], [[] for _ in shapes]
    for seed in seeds:
        gen = torch.Generator().manual_seed(seed)
        for i, (d_in, d_out) in enumerate(shapes):
            w, b = _draw_layer(gen, init, d_in, d_out, gain, bias if i < len(shapes) - 1 else None)
            weights[i].append(w)
            biases[i].append(b)
    return [torch.stack(w) for w in weights], [torch.stack(b)[:, None, :] for b in biases]


def _draw_layer(gen, init, d_in, d_out, gain, bias):
    """Weights ``(d_in, d_out)`` and bias ``(d_out,)`` of one layer of one member."""
    if init == "torch":
        bound = 1.0 / math.sqrt(d_in)
        w = (torch.rand(d_in, d_out, generator=gen, dtype=torch.float64) * 2 - 1) * bound * gain
        b = (torch.rand(d_out, generator=gen, dtype=torch.float64) * 2 - 1) * bound
        return w, (b if bias is None else torch.full((d_out,), bias, dtype=torch.float64))
    if init == "orthogonal":
        a = torch.randn(max(d_in, d_out), min(d_in, d_out), generator=gen, dtype=torch.float64)
        q, r = torch.linalg.qr(a)
        q = q * torch.sign(torch.diagonal(r))  # a uniformly distributed orthogonal matrix
        w = (q if d_in >= d_out else q.T) * gain
    else:
        w = torch.randn(d_in, d_out, generator=gen, dtype=torch.float64) * init_std(
            init, d_in, d_out, gain)
    return w, torch.full((d_out,), 0.0 if bias is None else bias, dtype=torch.float64)


class MLP(nn.Module):
    """``members`` independent fully connected networks with widths ``sizes``.

    Args:
        sizes: ``[inputs, hidden_1, ..., hidden_L, outputs]``.
        activation: registry name of the hidden activation (``"relu"``, ``"tanh"`` ...).
        members: how many independent networks.
        seeds: one seed per member (default ``0 .. members-1``): member ``i``'s initial
            weights depend only on ``seeds[i]``, the other arguments and the sizes.
        init: a key of :data:`INITS`. ``"torch"`` draws weights and biases from PyTorch's
            default ``U(-1/sqrt(fan_in), 1/sqrt(fan_in))``; ``"orthogonal"`` draws a random
            orthogonal matrix times ``gain``; the others draw ``N(0, std²)``.
        gain: multiplies every weight (``> 1`` to make it too large).
        bias: the constant every hidden bias starts at (default 0; ``"torch"`` draws them).
            The readout's bias starts at 0 (``"torch"``: drawn).
        batchnorm: batch normalisation between each hidden linear layer and its activation.
        residual: skip connections ``h + activation(z)`` around hidden layers 2 to L (their
            widths must be equal).
        shift: a constant added to every hidden activation's output.
        activation_params: parameters of the activation (``{"negative_slope": 0.1}``).
        learnable: Swish's β is learned (PReLU's slope always is).
        device, dtype: where the parameters live.
    """

    def __init__(self, sizes: Sequence[int], activation: str, *, members: int = 1,
                 seeds: Iterable[int] | None = None, init: str = "he", gain: float = 1.0,
                 bias: float | None = None, batchnorm: bool = False, residual: bool = False,
                 shift: float = 0.0, activation_params: dict | None = None,
                 learnable: bool = True, device=None, dtype=torch.float32):
        super().__init__()
        sizes = _sizes(sizes)
        members = check_param("members", members, 1, math.inf, integer=True)
        seeds = list(range(members)) if seeds is None else [
            check_param("seed", s, 0, math.inf, integer=True) for s in seeds]
        if len(seeds) != members:
            raise ValueError(f"seeds has {len(seeds)} entries, members is {members}")
        if init not in INITS:
            raise ValueError(f"unknown init {init!r}; choose one of {sorted(INITS)}")
        gain = check_param("gain", gain, 0.0, math.inf, low_open=True)
        bias = None if bias is None else check_param("bias", bias)
        self.batchnorm = check_bool("batchnorm", batchnorm)
        self.residual = check_bool("residual", residual)
        self.shift = check_param("shift", shift)
        if self.residual and len(set(sizes[1:-1])) > 1:
            raise ValueError(f"residual connections need equal hidden widths, got {sizes[1:-1]}")
        if not isinstance(activation, str):
            raise TypeError(f"activation must be a registry name such as 'relu', got {activation!r}")
        self.activation = get(activation).name
        self.sizes, self.members, self.seeds, self.init = sizes, members, seeds, init
        n_hidden = len(sizes) - 2
        self.acts = nn.ModuleList()
        widen = 1
        for _ in range(n_hidden):
            act, widen = make_activation(self.activation, members, activation_params, learnable)
            self.acts.append(act)
        self.norms = nn.ModuleList(_MemberBatchNorm(members, w * widen) for w in sizes[1:-1]) \
            if self.batchnorm else nn.ModuleList()
        self.norms.to(dtype)  # the running statistics take the weights' dtype (float64 too)
        shapes = [(d_in, d_out * (widen if i < n_hidden else 1))
                  for i, (d_in, d_out) in enumerate(zip(sizes[:-1], sizes[1:], strict=True))]
        weights, biases = _initial_parameters(shapes, seeds, init, gain, bias)
        self.weights = nn.ParameterList(nn.Parameter(w.to(dtype)) for w in weights)
        self.biases = nn.ParameterList(nn.Parameter(b.to(dtype)) for b in biases)
        if device is not None:
            self.to(device)

    @property
    def depth(self) -> int:
        """Number of hidden layers."""
        return len(self.acts)

    @property
    def device(self) -> torch.device:
        return self.weights[0].device

    def _input(self, x: torch.Tensor) -> torch.Tensor:
        if not isinstance(x, torch.Tensor):
            raise TypeError(f"x must be a torch tensor of shape (batch, {self.sizes[0]}) or "
                            f"(members, batch, {self.sizes[0]}), got {type(x).__name__}")
        if x.dim() == 2:
            x = x.unsqueeze(0).expand(self.members, -1, -1)
        if x.dim() != 3 or x.shape[0] != self.members or x.shape[2] != self.sizes[0]:
            raise ValueError(f"x must have shape (batch, {self.sizes[0]}) or ({self.members}, "
                             f"batch, {self.sizes[0]}), got {tuple(x.shape)}")
        return x.to(device=self.device, dtype=self.weights[0].dtype)

    def layers(self, x: torch.Tensor):
        """Yield a :class:`Layer` for every hidden layer, from the input up: its input
        ``h_in``, linear output ``u``, pre-activation ``z`` (``u`` after batch
        normalisation) and output ``h_out``, each ``(members, batch, width)``."""
        shared = isinstance(x, torch.Tensor) and x.dim() == 2
        h = self._input(x)
        for i, act in enumerate(self.acts):
            if i == 0 and shared:
                # one input batch for every member: a single (batch, in) x (in, members*out) GEMM
                w = self.weights[0]
                u = (h[0] @ w.permute(1, 0, 2).reshape(w.shape[1], -1)).view(
                    h.shape[1], self.members, w.shape[2]).transpose(0, 1) + self.biases[0]
            else:
                u = torch.baddbmm(self.biases[i], h, self.weights[i])
            z = self.norms[i](u) if self.batchnorm else u
            a = act(z)
            if self.shift:
                a = a + self.shift
            h_out = h + a if (self.residual and i > 0) else a
            yield Layer(h, u, z, h_out)
            h = h_out

    def readout(self, h: torch.Tensor) -> torch.Tensor:
        return torch.baddbmm(self.biases[-1], h, self.weights[-1])

    def forward(self, x: torch.Tensor) -> torch.Tensor:
        *_, last = self.layers(x)
        return self.readout(last.h_out)

    def preactivations(self, x: torch.Tensor) -> list[torch.Tensor]:
        """The pre-activation of every hidden layer for the batch ``x``, without gradient."""
        with torch.no_grad():
            return [layer.z for layer in self.layers(x)]

    def dead_fraction(self, x: torch.Tensor, *, per_layer: bool = False,
                      batch: int = 4096) -> np.ndarray:
        r"""Fraction of hidden units that are *dead* on ``x``: pre-activation :math:`\le 0`
        for every sample. One value per member (shape ``(members,)``), or per member and
        hidden layer with ``per_layer`` (shape ``(members, layers)``).

        A dead ReLU unit outputs 0 and passes no gradient for any sample of ``x``. For
        other activations the count says how many units sit on the negative side for
        every sample, which is not fatal where the derivative there is not zero.
        """
        x = self._input(x)
        alive = None
        for lo in range(0, x.shape[1], batch):
            now = [(z > 0).any(dim=1) for z in self.preactivations(x[:, lo:lo + batch])]
            alive = now if alive is None else [a | b for a, b in zip(alive, now, strict=True)]
        dead = [(~a).double() for a in alive]  # (members, width) per layer
        if per_layer:
            return torch.stack([d.mean(dim=1) for d in dead], dim=1).cpu().numpy()
        return torch.cat(dead, dim=1).mean(dim=1).cpu().numpy()

    def extra_repr(self) -> str:
        return (f"sizes={self.sizes}, activation={self.activation!r}, members={self.members}, "
                f"init={self.init!r}, batchnorm={self.batchnorm}, residual={self.residual}, "
                f"shift={self.shift:g}")


def _neighbours(side: int) -> torch.Tensor:
    """``T[t, p_in, p_out] = 1`` where pixel ``p_in`` is the ``t``-th of the 3×3 neighbours of
    ``p_out`` (row-major, zero padding) in a ``side`` × ``side`` image."""
    T = torch.zeros(9, side * side, side * side)
    for t, (dy, dx) in enumerate((dy, dx) for dy in (-1, 0, 1) for dx in (-1, 0, 1)):
        for y in range(side):
            for x in range(side):
                if 0 <= y + dy < side and 0 <= x + dx < side:
                    T[t, (y + dy) * side + (x + dx), y * side + x] = 1.0
    return T


class CNN(nn.Module):
    """``members`` independent small CNNs on 8×8 single-channel images.

    Per member: conv 3×3 (1 → c1, zero padding) → activation → 2×2 average pooling →
    conv 3×3 (c1 → c2) → activation → linear (c2·16 → outputs). Input ``(batch, 64)``
    (shared) or ``(members, batch, 64)``, the pixels row by row; output ``(members,
    batch, outputs)``. On images this small a convolution is cheapest as one dense
    matrix per member: the 3×3 kernels are spread over a ``(pixels·c_in, pixels·c_out)``
    matrix (``kernels[m, o, i, t]`` at the pixel pairs that are neighbours ``t``), and
    one batched matrix product applies it. Activations are laid out pixels × channels,
    so every activation kind applies as in :class:`MLP`. Weights are drawn like
    PyTorch's defaults (``U(-1/sqrt(fan_in), 1/sqrt(fan_in))``), member ``i`` from
    ``seeds[i]``; ``kernels[k]`` has shape ``(members, c_out, c_in, 9)``.
    """

    def __init__(self, activation: str, *, members: int = 1, seeds: Iterable[int] | None = None,
                 channels: tuple[int, int] = (8, 16), outputs: int = 10,
                 activation_params: dict | None = None, device=None):
        super().__init__()
        members = check_param("members", members, 1, math.inf, integer=True)
        seeds = list(range(members)) if seeds is None else [
            check_param("seed", s, 0, math.inf, integer=True) for s in seeds]
        if len(seeds) != members:
            raise ValueError(f"seeds has {len(seeds)} entries, members is {members}")
        self.activation = get(activation).name
        self.members, self.seeds, self.channels = members, seeds, tuple(channels)
        self.sizes = [64, outputs]
        self.acts = nn.ModuleList()
        widen = 1
        for _ in range(2):
            act, widen = make_activation(self.activation, members, activation_params)
            self.acts.append(act)
        c_in = (1, channels[0])
        shapes = [(channels[0] * widen, c_in[0]), (channels[1] * widen, c_in[1])]
        kernels, biases = [[], []], [[], []]
        head_w, head_b = [], []
        for seed in seeds:
            gen = torch.Generator().manual_seed(seed)
            for i, (c_out, ci) in enumerate(shapes):
                bound = 1.0 / math.sqrt(9 * ci)
                kernels[i].append((torch.rand(c_out, ci, 9, generator=gen) * 2 - 1) * bound)
                biases[i].append((torch.rand(c_out, generator=gen) * 2 - 1) * bound)
            bound = 1.0 / math.sqrt(16 * channels[1])
            head_w.append((torch.rand(16 * channels[1], outputs, generator=gen) * 2 - 1) * bound)
            head_b.append((torch.rand(outputs, generator=gen) * 2 - 1) * bound)
        self.kernels = nn.ParameterList(nn.Parameter(torch.stack(k)) for k in kernels)
        self.biases = nn.ParameterList(nn.Parameter(torch.stack(b)[:, None, :]) for b in biases)
        self.head_w = nn.Parameter(torch.stack(head_w))
        self.head_b = nn.Parameter(torch.stack(head_b)[:, None, :])
        pool = torch.zeros(64, 16)        # 2×2 average pooling of an 8×8 image, row-major
        for y in range(8):
            for x in range(8):
                pool[y * 8 + x, (y // 2) * 4 + x // 2] = 0.25
        self.register_buffer("pattern8", _neighbours(8), persistent=False)
        # pooling is linear, so it folds into the second convolution's matrix
        self.register_buffer("pattern4", torch.einsum("rp,tpq->trq", pool, _neighbours(4)),
                             persistent=False)
        if device is not None:
            self.to(device)

    @property
    def device(self) -> torch.device:
        return self.head_w.device

    def _conv(self, h, i, pattern):
        """``h`` (members, batch, pixels_in·c_in) -> (members, batch, pixels_out, c_out)."""
        k = self.kernels[i]                                     # (members, c_out, c_in, 9)
        M, c_out, c_in, _ = k.shape
        P_in, P_out = pattern.shape[1], pattern.shape[2]
        dense = torch.einsum("moit,tpq->mpiqo", k, pattern).reshape(M, P_in * c_in, P_out * c_out)
        return torch.bmm(h, dense).view(M, h.shape[1], P_out, c_out) + self.biases[i][:, :, None, :]

    def forward(self, x: torch.Tensor) -> torch.Tensor:
        if x.dim() == 2:
            x = x.unsqueeze(0).expand(self.members, -1, -1)
        M, B = x.shape[0], x.shape[1]
        x = x.to(device=self.device, dtype=self.head_w.dtype)
        z = self._conv(x.reshape(M, B, 64), 0, self.pattern8)          # (M, B, 64, c1·widen)
        a = self.acts[0](z.reshape(M, B * 64, -1)).reshape(M, B, -1)     # (M, B, 64·c1)
        z = self._conv(a, 1, self.pattern4)                  # pooling, conv: (M, B, 16, c2·widen)
        a = self.acts[1](z.reshape(M, B * 16, -1)).reshape(M, B, -1)
        return torch.baddbmm(self.head_b, a, self.head_w)
