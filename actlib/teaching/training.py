r"""Train one small network per random seed, all seeds in one batched pass.

The chapter *How to choose an activation* compares every hidden activation of
the registry on scikit-learn's bundled ``load_digits`` (1797 greyscale digits,
8×8 pixels), with several seeds each. Training the seeds one after another
would spend most of the time in Python overhead, so :class:`SeedBatchedMLP`
and :class:`SeedBatchedCNN` hold ``S`` independent networks side by side: the
weights carry a leading seed axis, activations have the layout
``(batch, seed, features...)``, and one optimiser step updates all ``S``
networks. The networks share nothing: each has its own initialisation (drawn
from its seed), its own order of minibatches, its own learned activation
parameters (PReLU's slope, Swish's β) and its own Adam state (Adam works
elementwise), so the result is the same as ``S`` separate runs.

Every hidden activation comes from :func:`actlib.nn.module` with the registry
defaults; reducing activations (Maxout with two pieces, GLU, SwiGLU) get a
layer twice as wide in front of them, so every network has the same hidden
width after its activation.

Examples:
    >>> from actlib.teaching import training
    >>> data = training.load_digits_data()
    >>> tuple(data["x_train"].shape), tuple(data["images_test"].shape)
    ((1347, 64), (450, 1, 8, 8))
    >>> run = training.train_seeds("relu", seeds=[0, 1], data=data, epochs=2)
    >>> run.test_accuracy.shape
    (2, 2)
"""

from __future__ import annotations

import math
import time
from collections.abc import Sequence
from dataclasses import dataclass

import numpy as np
import torch
from torch import nn

from ..registry import get

__all__ = ["load_digits_data", "make_activation", "SeedBatchedMLP", "SeedBatchedCNN",
           "SeedRun", "train_seeds", "HIDDEN_ACTIVATIONS"]

#: Registry activations that make sense between hidden layers: every elementwise
#: one and the multi-input units; not the output activations (softmax, log-softmax).
HIDDEN_ACTIVATIONS = ("identity", "sigmoid", "hard_sigmoid_keras", "hard_sigmoid_torch", "tanh",
                      "softsign", "softplus", "log_sigmoid", "relu", "relu6", "clipped_relu",
                      "leaky_relu", "prelu", "rrelu", "thresholded_relu", "elu", "celu", "selu",
                      "gelu", "gelu_tanh", "gelu_sigmoid", "silu", "swish", "hard_swish", "mish",
                      "maxout", "glu", "swiglu")


def load_digits_data(test_size: float = 0.25, random_state: int = 0,
                     device: torch.device | str = "cpu") -> dict:
    """scikit-learn's ``load_digits``, split (stratified) and standardised on the training set.

    Returns a dict of float32 tensors ``x_train``, ``x_test`` (``(n, 64)``),
    ``images_train``, ``images_test`` (``(n, 1, 8, 8)``, the same pixels) and
    int64 labels ``y_train``, ``y_test``, all on ``device``.
    """
    from sklearn.datasets import load_digits
    from sklearn.model_selection import train_test_split

    digits = load_digits()
    x_tr, x_te, y_tr, y_te = train_test_split(digits.data, digits.target, test_size=test_size,
                                              random_state=random_state, stratify=digits.target)
    mean, std = x_tr.mean(axis=0), x_tr.std(axis=0)
    std[std == 0] = 1.0
    x_tr, x_te = (x_tr - mean) / std, (x_te - mean) / std
    as_t = lambda a, dt=torch.float32: torch.as_tensor(np.ascontiguousarray(a), dtype=dt,  # noqa: E731
                                                        device=device)
    return {"x_train": as_t(x_tr), "x_test": as_t(x_te),
            "images_train": as_t(x_tr.reshape(-1, 1, 8, 8)),
            "images_test": as_t(x_te.reshape(-1, 1, 8, 8)),
            "y_train": as_t(y_tr, torch.int64), "y_test": as_t(y_te, torch.int64)}


class _SeedSwish(nn.Module):
    """Swish with a learned β per seed: ``actlib.nn.autograd.swish`` with β of shape (1, S, 1...)."""

    def __init__(self, n_seeds: int, ndim: int, beta: float):
        super().__init__()
        self.beta = nn.Parameter(torch.full((1, n_seeds) + (1,) * (ndim - 2), float(beta)))

    def forward(self, x):
        from ..nn.autograd import swish

        return swish(x, self.beta)


def make_activation(name: str, n_seeds: int, ndim: int = 3) -> tuple[nn.Module, int]:
    """The hidden activation ``name`` for inputs laid out ``(batch, seed, features...)``.

    Returns ``(module, widen)``: ``widen`` is 2 for a reducing activation (the
    layer in front must produce twice the width) and 1 otherwise. Learned
    parameters are per seed: PReLU gets one slope per seed (dimension 1),
    Swish one β per seed. ``ndim`` is the number of dimensions of the input
    (3 for an MLP, 5 for a CNN).
    """
    from .. import nn as anm

    rec = get(name)
    if rec.kind == "vector":
        raise ValueError(f"{rec.name} is an output activation, not a hidden one")
    if rec.name == "prelu":
        return anm.PReLU(num_parameters=n_seeds), 1
    if rec.name == "swish":
        return _SeedSwish(n_seeds, ndim, rec.defaults["beta"]), 1
    if rec.name == "maxout":
        return anm.Maxout(k=2, axis=2), 2
    if rec.kind == "reducing":
        return anm.module(rec.name, axis=2), 2
    return anm.module(rec.name), 1


def _uniform(gen: torch.Generator, shape, fan_in: int) -> torch.Tensor:
    """PyTorch's default ``Linear``/``Conv`` initialisation: U(−1/√fan_in, 1/√fan_in)."""
    bound = 1.0 / math.sqrt(fan_in)
    return (torch.rand(shape, generator=gen) * 2.0 - 1.0) * bound


class SeedBatchedMLP(nn.Module):
    """``len(seeds)`` independent MLPs ``64 → hidden → ... → 10`` with one hidden activation.

    Input ``(batch, seed, 64)``, output logits ``(batch, seed, 10)``.
    """

    def __init__(self, activation: str, seeds: Sequence[int], sizes: Sequence[int] = (64, 64, 64, 10)):
        super().__init__()
        S = len(seeds)
        self.weights, self.biases = nn.ParameterList(), nn.ParameterList()
        self.acts = nn.ModuleList()
        n_hidden = len(sizes) - 2
        widen = 1
        for _ in range(n_hidden):
            act, widen = make_activation(activation, S, ndim=3)
            self.acts.append(act)
        for i, (d_in, d_out) in enumerate(zip(sizes[:-1], sizes[1:], strict=True)):
            width = d_out * (widen if i < n_hidden else 1)
            ws, bs = [], []
            for seed in seeds:
                gen = torch.Generator().manual_seed(int(seed) * 1000 + i)
                ws.append(_uniform(gen, (d_in, width), d_in))
                bs.append(_uniform(gen, (width,), d_in))
            self.weights.append(nn.Parameter(torch.stack(ws)))
            self.biases.append(nn.Parameter(torch.stack(bs)))

    def forward(self, x: torch.Tensor) -> torch.Tensor:
        for i, (w, b) in enumerate(zip(self.weights, self.biases, strict=True)):
            x = torch.einsum("bsi,sio->bso", x, w) + b
            if i < len(self.acts):
                x = self.acts[i](x)
        return x


class SeedBatchedCNN(nn.Module):
    """``len(seeds)`` independent small CNNs on 8×8 images.

    Per seed: conv 3×3 (1 → c1) → activation → 2×2 average pooling → conv 3×3
    (c1 → c2) → activation → linear (c2·16 → 10). Input ``(batch, seed, 8, 8)``,
    output logits ``(batch, seed, 10)``. Each convolution is an ``unfold``
    (the 3×3 patches) followed by one ``einsum`` with every seed's own
    kernels, which on a CPU is much faster than a grouped convolution of
    these tiny images.
    """

    def __init__(self, activation: str, seeds: Sequence[int], channels: tuple[int, int] = (8, 16)):
        super().__init__()
        S = len(seeds)
        self.S, self.channels = S, channels
        self.acts = nn.ModuleList()
        widen = 1
        for _ in range(2):
            act, widen = make_activation(activation, S, ndim=5)
            self.acts.append(act)
        self.widen = widen
        c_in = (1, channels[0])
        self.conv_w, self.conv_b = nn.ParameterList(), nn.ParameterList()
        for i in range(2):
            ws, bs = [], []
            fan_in = c_in[i] * 9
            for seed in seeds:
                gen = torch.Generator().manual_seed(int(seed) * 1000 + 100 + i)
                ws.append(_uniform(gen, (channels[i] * widen, fan_in), fan_in))
                bs.append(_uniform(gen, (channels[i] * widen, 1), fan_in))
            self.conv_w.append(nn.Parameter(torch.stack(ws)))
            self.conv_b.append(nn.Parameter(torch.stack(bs)))
        d_in = channels[1] * 16
        ws, bs = [], []
        for seed in seeds:
            gen = torch.Generator().manual_seed(int(seed) * 1000 + 200)
            ws.append(_uniform(gen, (d_in, 10), d_in))
            bs.append(_uniform(gen, (10,), d_in))
        self.head_w, self.head_b = nn.Parameter(torch.stack(ws)), nn.Parameter(torch.stack(bs))

    def forward(self, x: torch.Tensor) -> torch.Tensor:
        B, S = x.shape[0], self.S
        x = x.reshape(B, S, 1, 8, 8)
        for i, side in enumerate((8, 4)):
            cols = nn.functional.unfold(x.reshape(B * S, -1, side, side), 3, padding=1)
            cols = cols.view(B, S, cols.shape[1], side * side)        # (B, S, C·9, pixels)
            x = torch.einsum("bskp,sok->bsop", cols, self.conv_w[i]) + self.conv_b[i]
            x = self.acts[i](x.view(B, S, -1, side, side))            # (B, S, C, side, side)
            if i == 0:
                x = nn.functional.avg_pool2d(x.reshape(B * S, -1, 8, 8), 2).view(B, S, -1, 4, 4)
        return torch.einsum("bsi,sio->bso", x.reshape(B, S, -1), self.head_w) + self.head_b


@dataclass
class SeedRun:
    """What :func:`train_seeds` measured, one row per seed.

    ``test_accuracy`` has shape ``(seeds, epochs)``: the accuracy on the test
    set after every epoch. ``seconds`` is the wall time of the whole batched
    run (all seeds together).
    """

    activation: str
    model: str
    seeds: tuple[int, ...]
    test_accuracy: np.ndarray
    train_loss: np.ndarray
    seconds: float

    @property
    def final(self) -> np.ndarray:
        return self.test_accuracy[:, -1]

    def epochs_to(self, target: float) -> np.ndarray:
        """First epoch (1-based) at which each seed's test accuracy reaches ``target`` (NaN: never)."""
        reached = self.test_accuracy >= target
        first = reached.argmax(axis=1) + 1.0
        first[~reached.any(axis=1)] = np.nan
        return first


def train_seeds(activation: str, seeds: Sequence[int], data: dict, model: str = "mlp",
                epochs: int = 20, batch_size: int = 64, lr: float = 3e-3,
                device: torch.device | str = "cpu") -> SeedRun:
    """Train one network per seed with Adam on cross-entropy; return per-epoch test accuracy.

    Each seed shuffles the training set with its own generator every epoch.
    Deterministic for a fixed device and thread count when
    ``torch.use_deterministic_algorithms(True)`` is on (RReLU's random slopes
    come from ``torch.manual_seed(0)``, set here).
    """
    seeds = tuple(int(s) for s in seeds)
    S = len(seeds)
    device = torch.device(device)
    torch.manual_seed(0)
    if model == "mlp":
        net, x_tr, x_te = SeedBatchedMLP(activation, seeds), data["x_train"], data["x_test"]
    elif model == "cnn":
        net = SeedBatchedCNN(activation, seeds)
        x_tr, x_te = data["images_train"][:, 0], data["images_test"][:, 0]
    else:
        raise ValueError(f"model must be 'mlp' or 'cnn', got {model!r}")
    net = net.to(device)
    x_tr, x_te = x_tr.to(device), x_te.to(device)
    y_tr, y_te = data["y_train"].to(device), data["y_test"].to(device)
    onehot = nn.functional.one_hot(y_tr, 10).to(x_tr.dtype)
    opt = torch.optim.Adam(net.parameters(), lr=lr, foreach=True)
    gens = [torch.Generator().manual_seed(10_000 + s) for s in seeds]
    n = x_tr.shape[0]
    x_te_s = x_te.unsqueeze(1).expand(-1, S, *x_te.shape[1:])
    acc = np.zeros((S, epochs))
    losses = np.zeros((S, epochs))
    if device.type == "cuda":
        torch.cuda.synchronize()
    start = time.perf_counter()
    for epoch in range(epochs):
        net.train()
        order = torch.stack([torch.randperm(n, generator=g) for g in gens], dim=1).to(device)
        total = torch.zeros(S, device=device)
        for lo in range(0, n, batch_size):
            idx = order[lo:lo + batch_size]                      # (B, S)
            logits = net(x_tr[idx])                              # (B, S, 10)
            per_seed = -(onehot[idx] * torch.log_softmax(logits, -1)).sum(-1).mean(0)
            opt.zero_grad(set_to_none=True)
            per_seed.sum().backward()
            opt.step()
            total += per_seed.detach() * idx.shape[0]
        net.eval()
        with torch.no_grad():
            pred = net(x_te_s).argmax(-1)                        # (N, S)
            acc[:, epoch] = (pred == y_te[:, None]).double().mean(0).cpu().numpy()
        losses[:, epoch] = (total / n).cpu().numpy()
    if device.type == "cuda":
        torch.cuda.synchronize()
    seconds = time.perf_counter() - start
    return SeedRun(get(activation).name, model, seeds, acc, losses, seconds)
