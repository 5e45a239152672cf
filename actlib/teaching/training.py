r"""Train many small networks at once: one member per seed (and per learning rate).

:func:`train` trains every member of an :class:`~actlib.teaching.models.MLP`
or :class:`~actlib.teaching.models.CNN` on a
:class:`~actlib.teaching.data.Dataset` with mini-batch SGD (with momentum) or
Adam, and records after every epoch the full training-set loss, the validation
accuracy and, for rectifier-like units, the fraction of *dead* hidden units.
Every member has its own order of mini-batches (from its own seed), its own
learning rate (``lr`` may be one value per member, so a learning-rate sweep
over several seeds is one run) and its own optimiser state. The optimisers
below compute exactly what ``torch.optim.SGD`` and ``torch.optim.Adam`` compute,
elementwise, with the learning rate broadcast over the member axis.

A member whose training loss stops being finite is marked ``diverged``; its
learning rate is set to 0 and its later entries are NaN. The test set is
evaluated once, after the last epoch.

Examples:
    >>> from actlib.teaching import data, models, training
    >>> digits = data.digits()
    >>> net = models.MLP([64, 32, 10], "relu", members=4, seeds=range(4))
    >>> run = training.train(net, digits, epochs=2, lr=[0.01, 0.01, 0.1, 0.1])
    >>> run.history["train_loss"].shape, run.test_accuracy.shape
    ((4, 3), (4,))
"""

from __future__ import annotations

import math
import time
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field

import numpy as np
import torch
from torch import nn

from .._validate import check_param
from ..registry import activations
from .data import Dataset

__all__ = ["HIDDEN_ACTIVATIONS", "Run", "train", "accuracy"]

#: Registry activations that make sense between hidden layers: every one except the
#: output activations (softmax, softmin, log-softmax), which normalise a whole vector.
HIDDEN_ACTIVATIONS = tuple(r.name for r in activations() if r.kind != "vector")


@dataclass
class Run:
    """What :func:`train` measured, one row per member.

    ``history`` maps a measurement to an array of shape ``(members, epochs + 1)``
    (index 0 is before training): ``"train_loss"`` (cross-entropy over the whole
    training set), ``"val_accuracy"`` (if the data set has a validation split) and
    ``"dead"`` (fraction of hidden units dead on the training set, see
    :meth:`~actlib.teaching.models.MLP.dead_fraction`); ``"dead_per_layer"`` has shape ``(members, epochs + 1,
    layers)``. ``test_accuracy`` is measured once, after the last epoch.
    """

    model: nn.Module
    lr: np.ndarray
    seeds: tuple[int, ...]
    history: dict[str, np.ndarray]
    test_accuracy: np.ndarray
    diverged: np.ndarray
    seconds: float
    settings: dict = field(default_factory=dict)

    @property
    def members(self) -> int:
        return len(self.lr)

    @property
    def epochs(self) -> np.ndarray:
        """The epochs at which ``history`` was measured (0 = before training)."""
        return np.asarray(self.settings.get("measured_epochs",
                                            range(self.history["train_loss"].shape[1])))

    def final(self, key: str) -> np.ndarray:
        """The last entry of ``history[key]`` for every member."""
        return self.history[key][:, -1]

    def epochs_to(self, key: str, target: float) -> np.ndarray:
        """First epoch at which ``history[key]`` reaches ``target`` (NaN where it never does)."""
        values = np.nan_to_num(self.history[key], nan=-np.inf)
        reached = values >= target
        first = reached.argmax(axis=1).astype(float)
        first[~reached.any(axis=1)] = np.nan
        return first

    def reshape(self, *shape: int) -> dict[str, np.ndarray]:
        """Every per-member array reshaped to ``shape`` (e.g. ``(n_lr, n_seeds)``) plus its
        trailing axes: ``{"train_loss": ..., "test_accuracy": ..., "lr": ...}``."""
        out = {k: v.reshape(*shape, *v.shape[1:]) for k, v in self.history.items()}
        out["test_accuracy"] = self.test_accuracy.reshape(shape)
        out["diverged"] = self.diverged.reshape(shape)
        out["lr"] = self.lr.reshape(shape)
        return out


# ---------------------------------------------------------------------------------------
# Measurements
# ---------------------------------------------------------------------------------------

def _batches(n: int, size: int):
    return [(lo, min(lo + size, n)) for lo in range(0, n, size)]


def accuracy(model: nn.Module, x: torch.Tensor, y: torch.Tensor, batch: int = 4096) -> np.ndarray:
    """Fraction of correctly classified samples, one value per member."""
    correct = None
    with torch.no_grad():
        for lo, hi in _batches(x.shape[0], batch):
            hit = (model(x[lo:hi]).argmax(-1) == y[lo:hi].to(model.device)).sum(dim=1)
            correct = hit if correct is None else correct + hit
    return (correct.double() / x.shape[0]).cpu().numpy()


def _evaluate(model: nn.Module, x: torch.Tensor, y: torch.Tensor, dead: bool,
              batch: int = 4096) -> tuple[np.ndarray, np.ndarray | None]:
    """Mean cross-entropy over ``(x, y)`` per member and, with ``dead``, the fraction of
    dead hidden units per member and layer, from one forward pass."""
    total, alive = None, None
    y = y.to(model.device)
    with torch.no_grad():
        for lo, hi in _batches(x.shape[0], batch):
            if dead:
                layers = list(model.layers(x[lo:hi]))
                logits = model.readout(layers[-1].h_out)
                now = [(L.z > 0).any(dim=1) for L in layers]          # (members, width)
                alive = now if alive is None else [a | b for a, b in zip(alive, now, strict=True)]
            else:
                logits = model(x[lo:hi])
            logp = torch.log_softmax(logits.double(), -1)
            part = -logp.gather(-1, y[lo:hi].expand(logits.shape[0], -1)[..., None])[..., 0].sum(1)
            total = part if total is None else total + part
    loss = (total / x.shape[0]).cpu().numpy()
    if not dead:
        return loss, None
    return loss, torch.stack([(~a).double().mean(dim=1) for a in alive], dim=1).cpu().numpy()


# ---------------------------------------------------------------------------------------
# Optimisers with a learning rate per member
# ---------------------------------------------------------------------------------------

class _Optimiser:
    """``torch.optim.SGD`` / ``torch.optim.Adam`` with a learning rate per member.

    Every parameter has the member axis first; ``lr`` (a tensor of shape ``(members,)``)
    is broadcast over the remaining axes.
    """

    def __init__(self, params, kind: str, lr: torch.Tensor, momentum: float,
                 betas=(0.9, 0.999), eps: float = 1e-8):
        self.params = [p for p in params if p.requires_grad]
        self.kind, self.lr, self.momentum = kind, lr, momentum
        self.betas, self.eps, self.step_count = betas, eps, 0
        self.state = [dict() for _ in self.params]

    def _lr(self, p):
        return self.lr.view(-1, *([1] * (p.dim() - 1))).to(p.dtype)

    @torch.no_grad()
    def step(self):
        self.step_count += 1
        t = self.step_count
        b1, b2 = self.betas
        for p, st in zip(self.params, self.state, strict=True):
            g = p.grad
            if g is None:
                continue
            lr = self._lr(p)
            if self.kind == "sgd":
                if self.momentum:
                    buf = st.get("buf")
                    st["buf"] = buf = g.clone() if buf is None else buf.mul_(self.momentum).add_(g)
                    g = buf
                p.sub_(lr * g)
            else:
                m = st.setdefault("m", torch.zeros_like(p))
                v = st.setdefault("v", torch.zeros_like(p))
                m.lerp_(g, 1 - b1)
                v.mul_(b2).addcmul_(g, g, value=1 - b2)
                denom = (v.sqrt() / math.sqrt(1 - b2 ** t)).add_(self.eps)
                p.sub_(lr / (1 - b1 ** t) * m / denom)

    def zero_grad(self):
        for p in self.params:
            p.grad = None


# ---------------------------------------------------------------------------------------
# Training
# ---------------------------------------------------------------------------------------

def _per_member(name: str, value, members: int) -> np.ndarray:
    arr = np.atleast_1d(np.asarray(value, dtype=float))
    if arr.size == 1:
        arr = np.full(members, float(arr[0]))
    if arr.shape != (members,):
        raise ValueError(f"{name} must be one number or one per member ({members}), got shape "
                         f"{arr.shape}")
    for v in arr:
        check_param(name, float(v), 0.0, math.inf, low_open=True)
    return arr


def train(model: nn.Module, data: Dataset, *, epochs: int = 10, batch_size: int | None = 64,
          optimizer: str = "adam", lr=1e-3, momentum: float = 0.0,
          order_seeds: Sequence[int] | None = None, record_dead: bool | None = None,
          record_every: int = 1,
          callback: Callable[[int, nn.Module], None] | None = None) -> Run:
    """Train every member of ``model`` on ``data`` with cross-entropy; return a :class:`Run`.

    Args:
        model: an ``MLP`` or ``CNN`` from :mod:`actlib.teaching.models` (trained in place).
        data: the data set; its ``n_classes`` must equal the model's output size.
        epochs: passes over the training split.
        batch_size: samples per update; ``None`` for full-batch gradient descent.
        optimizer: ``"sgd"`` (with ``momentum``) or ``"adam"``.
        lr: learning rate, one number or one per member.
        order_seeds: the seed of each member's mini-batch order (default: the member's
            initialisation seed plus 10 000).
        record_dead: record the dead fraction after every epoch (default: for an MLP).
        record_every: measure (and call ``callback``) only every this many epochs, and
            after the last; ``Run.epochs`` lists the epochs measured. Full-batch training
            for hundreds of steps needs no measurement after each one.
        callback: called as ``callback(epoch, model)`` after every measured epoch (0 =
            before training), e.g. to record weights or histograms.
    """
    if not isinstance(data, Dataset):
        raise TypeError(f"data must be an actlib.teaching.data.Dataset, got {type(data).__name__}")
    members = model.members
    epochs = check_param("epochs", epochs, 1, math.inf, integer=True)
    record_every = check_param("record_every", record_every, 1, math.inf, integer=True)
    if batch_size is not None:
        batch_size = check_param("batch_size", batch_size, 1, math.inf, integer=True)
    if optimizer not in ("sgd", "adam"):
        raise ValueError(f"optimizer must be 'sgd' or 'adam', got {optimizer!r}")
    momentum = check_param("momentum", momentum, 0.0, 1.0, high_open=True)
    lrs = _per_member("lr", lr, members)
    if model.sizes[-1] != data.n_classes:
        raise ValueError(f"the model has {model.sizes[-1]} outputs but the {data.name} data set "
                         f"has {data.n_classes} classes")
    device = model.device
    order_seeds = [s + 10_000 for s in model.seeds] if order_seeds is None else list(order_seeds)
    if len(order_seeds) != members:
        raise ValueError(f"order_seeds has {len(order_seeds)} entries, members is {members}")
    record_dead = hasattr(model, "dead_fraction") if record_dead is None else record_dead
    widths = np.asarray(model.sizes[1:-1], dtype=float)
    x_tr, y_tr = data.x_train.to(device), data.y_train.to(device)
    has_val = data.x_val is not None
    n = x_tr.shape[0]
    size = n if batch_size is None else batch_size
    lr_t = torch.as_tensor(lrs, dtype=torch.float64, device=device)
    opt = _Optimiser(model.parameters(), optimizer, lr_t, momentum)
    gens = [torch.Generator().manual_seed(int(s)) for s in order_seeds]
    hist = {"train_loss": []}
    if has_val:
        hist["val_accuracy"] = []
    if record_dead:
        hist["dead"], hist["dead_per_layer"] = [], []
    diverged = np.zeros(members, dtype=bool)

    def measure(epoch: int):
        model.eval()
        loss, dead_layers = _evaluate(model, x_tr, y_tr, record_dead)
        bad = ~np.isfinite(loss)
        if bad.any():
            diverged[bad] = True
            lr_t[torch.as_tensor(bad, device=device)] = 0.0
        nan = np.where(diverged, np.nan, 0.0)
        hist["train_loss"].append(loss + nan)
        if has_val:
            hist["val_accuracy"].append(accuracy(model, data.x_val.to(device), data.y_val) + nan)
        if record_dead:
            hist["dead_per_layer"].append(dead_layers + nan[:, None])
            hist["dead"].append(dead_layers @ widths / widths.sum() + nan)
        if callback is not None:
            callback(epoch, model)
        model.train()

    if device.type == "cuda":
        torch.cuda.synchronize()
    start = time.perf_counter()
    measure(0)
    measured_epochs = [0]
    for epoch in range(1, epochs + 1):
        if batch_size is None:
            order = torch.arange(n, device=device).expand(members, -1)
        else:
            order = torch.stack([torch.randperm(n, generator=g) for g in gens]).to(device)
        for lo, hi in _batches(n, size):
            idx = order[:, lo:hi]                                     # (members, B)
            logits = model(x_tr[idx])                                 # (members, B, classes)
            logp = torch.log_softmax(logits, -1)
            per_member = -logp.gather(-1, y_tr[idx][..., None])[..., 0].mean(dim=1)
            opt.zero_grad()
            per_member.sum().backward()
            opt.step()
        if epoch % record_every == 0 or epoch == epochs:
            measure(epoch)
            measured_epochs.append(epoch)
    model.eval()
    test = accuracy(model, data.x_test.to(device), data.y_test)
    test = np.where(diverged, np.nan, test)
    if device.type == "cuda":
        torch.cuda.synchronize()
    seconds = time.perf_counter() - start
    history = {k: np.stack(v, axis=1) for k, v in hist.items()}
    return Run(model, lrs, tuple(model.seeds), history, test, diverged, seconds,
               dict(epochs=epochs, batch_size=batch_size, optimizer=optimizer, momentum=momentum,
                    data=data.name, measured_epochs=measured_epochs))
