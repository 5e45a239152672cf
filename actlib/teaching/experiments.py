r"""Small, seeded experiments on gradient flow, zero-centring and dead units.

The chapters *Saturation and vanishing gradients*, *Zero-centred outputs and
zig-zag updates* and *Dead neurons* call these functions; they hold no chapter
text, only the experiments, so a reader can re-run them with other settings.

* :func:`mlp` builds a fully connected network of any depth with an activation
  from the registry (through :func:`actlib.nn.module`), a chosen weight
  initialisation, and optionally batch normalisation before each activation and
  residual connections.
* :func:`gradient_norms_per_layer` and :func:`gradient_flow` measure how large
  the gradient of each layer's weights is at initialisation.
* :func:`dead_fraction` counts hidden units whose pre-activation is
  :math:`\le 0` for every sample of a data set.
* :func:`train_digits` trains a network on scikit-learn's bundled ``load_digits``
  (no download) and records the loss and the dead fraction after every epoch.
* :func:`two_weight_sgd` runs the two-weight example of the zig-zag argument.

Every function that draws random numbers takes a ``seed`` and gives the same
result for the same seed on the same machine. Torch is imported at module
level; ``actlib`` itself imports this module only on first use of
``actlib.teaching.experiments``.

Examples:
    >>> from actlib.teaching.experiments import mlp, dead_fraction
    >>> import torch
    >>> net = mlp(depth=2, width=8, activation="relu", in_features=4, seed=0, bias=-100.0)
    >>> dead_fraction(net, torch.randn(16, 4))
    1.0
"""

from __future__ import annotations

import math
import numbers
import os
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from functools import lru_cache

import numpy as np
import torch
from torch import nn

from ..registry import get

__all__ = [
    "INITS", "MLP", "mlp", "init_std", "seed_everything", "gradient_norms_per_layer",
    "gradient_flow", "dead_fraction", "digits_data", "DigitsRun", "train_digits",
    "two_weight_sgd", "ZigZag",
]

#: Weight initialisations :func:`mlp` knows, with the standard deviation each gives a
#: layer with ``fan_in`` inputs and ``fan_out`` outputs (before ``gain``).
INITS: dict[str, Callable[[int, int], float]] = {
    # Glorot & Bengio (2010): Var W = 2 / (fan_in + fan_out).
    "xavier": lambda fan_in, fan_out: math.sqrt(2.0 / (fan_in + fan_out)),
    # He et al. (2015): Var W = 2 / fan_in, for ReLU.
    "he": lambda fan_in, fan_out: math.sqrt(2.0 / fan_in),
    # LeCun et al. (1998): Var W = 1 / fan_in (also SELU's choice).
    "lecun": lambda fan_in, fan_out: math.sqrt(1.0 / fan_in),
}


# ---------------------------------------------------------------------------------------
# Argument checking
# ---------------------------------------------------------------------------------------

def _int(name: str, value, minimum: int = 1) -> int:
    if isinstance(value, bool) or not isinstance(value, numbers.Integral):
        raise TypeError(f"{name} must be an integer >= {minimum}, got {value!r}")
    if value < minimum:
        raise ValueError(f"{name} must be an integer >= {minimum}, got {value}")
    return int(value)


def _float(name: str, value, minimum: float = -math.inf, *, strict: bool = False) -> float:
    if isinstance(value, bool) or not isinstance(value, numbers.Real):
        raise TypeError(f"{name} must be a real number, got {value!r}")
    value = float(value)
    if not math.isfinite(value):
        raise ValueError(f"{name} must be finite, got {value}")
    if value < minimum or (strict and value == minimum):
        bound = f"> {minimum:g}" if strict else f">= {minimum:g}"
        raise ValueError(f"{name} must be {bound}, got {value:g}")
    return value


def _activation_name(activation: str) -> str:
    if not isinstance(activation, str):
        raise TypeError(f"activation must be a registry name such as 'relu', got {activation!r}")
    record = get(activation)  # raises a KeyError that lists the names
    if not record.elementwise:
        raise ValueError(f"activation {record.name!r} is not elementwise; an MLP needs one that is")
    return record.name


def _device(device) -> torch.device:
    if device is None:
        from ..nn.device import try_gpu

        return try_gpu()
    return torch.device(device)


def seed_everything(seed: int = 0) -> torch.Generator:
    """Seed numpy's and torch's global generators and ask torch for deterministic kernels.

    Sets ``CUBLAS_WORKSPACE_CONFIG`` (needed for deterministic matrix products on CUDA)
    if it is unset and calls ``torch.use_deterministic_algorithms(True, warn_only=True)``,
    so an operation without a deterministic kernel warns instead of failing.

    Returns:
        A ``torch.Generator`` seeded with ``seed`` (CPU), for code that wants its own.
    """
    seed = _int("seed", seed, 0)
    os.environ.setdefault("CUBLAS_WORKSPACE_CONFIG", ":4096:8")
    torch.use_deterministic_algorithms(True, warn_only=True)
    torch.manual_seed(seed)
    np.random.seed(seed % 2**32)  # noqa: NPY002 (the legacy global generator, on purpose)
    return torch.Generator().manual_seed(seed)


# ---------------------------------------------------------------------------------------
# Networks
# ---------------------------------------------------------------------------------------

def init_std(init: str, fan_in: int, fan_out: int, gain: float = 1.0) -> float:
    """The weight standard deviation of initialisation ``init`` times ``gain``.

    Examples:
        >>> round(init_std("he", 50, 50), 4)
        0.2
        >>> init_std("xavier", 50, 50) == init_std("lecun", 50, 50)
        True
    """
    if init not in INITS:
        raise ValueError(f"unknown init {init!r}; choose one of {sorted(INITS)}")
    return _float("gain", gain, 0.0, strict=True) * INITS[init](_int("fan_in", fan_in),
                                                                 _int("fan_out", fan_out))


class MLP(nn.Module):
    """A fully connected network: ``depth`` hidden layers of ``width`` units, then a readout.

    Hidden layer 1 maps the input to ``width`` units; hidden layers 2 to ``depth`` map
    ``width`` to ``width`` units. Each hidden layer computes
    ``z = W h + b`` (then ``BatchNorm(z)`` if ``batchnorm``), ``a = activation(z)``,
    and, with ``residual``, ``h_next = h + a`` for layers 2 to ``depth``. A non-zero
    ``shift`` is added to every activation's output (``tanh`` with ``shift=1`` is
    ``2 sigmoid(2z)``: the same curve, no longer zero-centred). ``z`` (after
    batch normalisation) is the layer's pre-activation.

    Build it with :func:`mlp`, which also initialises the weights.

    Attributes:
        hidden: the ``depth`` hidden ``nn.Linear`` layers, in order from the input.
        norms: the ``BatchNorm1d`` layers (empty without ``batchnorm``).
        acts: the activation modules.
        readout: the output ``nn.Linear``.
    """

    def __init__(self, in_features: int, width: int, depth: int, out_features: int,
                 activation: str, *, batchnorm: bool = False, residual: bool = False,
                 activation_params: dict | None = None, shift: float = 0.0):
        super().__init__()
        from ..nn import module

        self.activation = activation
        self.batchnorm, self.residual = bool(batchnorm), bool(residual)
        self.shift = float(shift)
        sizes = [in_features] + [width] * depth
        self.hidden = nn.ModuleList(nn.Linear(a, b) for a, b in zip(sizes[:-1], sizes[1:], strict=True))
        self.norms = nn.ModuleList(nn.BatchNorm1d(width) for _ in range(depth)) if batchnorm \
            else nn.ModuleList()
        self.acts = nn.ModuleList(module(activation, **(activation_params or {}))
                                  for _ in range(depth))
        self.readout = nn.Linear(width, out_features)

    def _layers(self, x: torch.Tensor):
        h = x
        for i, (linear, act) in enumerate(zip(self.hidden, self.acts, strict=True)):
            z = linear(h)
            if self.batchnorm:
                z = self.norms[i](z)
            a = act(z) + self.shift if self.shift else act(z)
            h = h + a if (self.residual and i > 0) else a
            yield z, h

    def forward(self, x: torch.Tensor) -> torch.Tensor:
        h = x
        for _, h_next in self._layers(x):
            h = h_next
        return self.readout(h)

    def preactivations(self, x: torch.Tensor) -> list[torch.Tensor]:
        """The pre-activation ``z`` of every hidden layer for the batch ``x`` (no gradient)."""
        with torch.no_grad():
            return [z for z, _ in self._layers(x)]

    def extra_repr(self) -> str:
        return (f"activation={self.activation!r}, depth={len(self.hidden)}, "
                f"batchnorm={self.batchnorm}, residual={self.residual}, shift={self.shift:g}")


def mlp(depth: int, width: int, activation: str, init: str = "he", *, in_features: int | None = None,
        out_features: int = 1, gain: float = 1.0, bias: float = 0.0, batchnorm: bool = False,
        residual: bool = False, activation_params: dict | None = None, shift: float = 0.0,
        seed: int = 0, device=None) -> MLP:
    """Build and initialise an :class:`MLP`.

    Args:
        depth: number of hidden layers, ``>= 1``.
        width: units per hidden layer, ``>= 1``.
        activation: a registry name or alias (``"sigmoid"``, ``"relu"``, ``"gelu"`` ...).
        init: ``"xavier"``, ``"he"`` or ``"lecun"``: hidden and readout weights are drawn
            from a normal distribution with the standard deviation of :data:`INITS`.
        in_features: input size (default: ``width``).
        out_features: output size.
        gain: multiplies every weight's standard deviation (``> 1`` to make it too large).
        bias: the constant every hidden bias starts at (the readout bias starts at 0).
        batchnorm: batch normalisation between each hidden linear layer and its activation.
        residual: skip connections ``h + activation(z)`` around hidden layers 2 to ``depth``.
        activation_params: parameters of the activation (``{"negative_slope": 0.1}``).
        shift: a constant added to every hidden activation's output.
        seed: the weights depend only on this seed.
        device: where the network lives (default: :func:`actlib.nn.device.try_gpu`).

    Examples:
        >>> net = mlp(3, 16, "tanh", "xavier", in_features=4, seed=1)
        >>> [tuple(l.weight.shape) for l in net.hidden]
        [(16, 4), (16, 16), (16, 16)]
    """
    depth, width = _int("depth", depth), _int("width", width)
    in_features = width if in_features is None else _int("in_features", in_features)
    out_features = _int("out_features", out_features)
    name = _activation_name(activation)
    if init not in INITS:
        raise ValueError(f"unknown init {init!r}; choose one of {sorted(INITS)}")
    gain = _float("gain", gain, 0.0, strict=True)
    bias = _float("bias", bias)
    seed = _int("seed", seed, 0)
    model = MLP(in_features, width, depth, out_features, name, batchnorm=batchnorm,
                residual=residual, activation_params=activation_params,
                shift=_float("shift", shift))
    generator = torch.Generator().manual_seed(seed)
    with torch.no_grad():
        for layer in [*model.hidden, model.readout]:
            fan_out, fan_in = layer.weight.shape
            std = init_std(init, fan_in, fan_out, gain)
            layer.weight.copy_(torch.randn(layer.weight.shape, generator=generator) * std)
            layer.bias.fill_(bias if layer is not model.readout else 0.0)
    return model.to(_device(device))


# ---------------------------------------------------------------------------------------
# Gradient flow
# ---------------------------------------------------------------------------------------

def _check_batch(model: nn.Module, X) -> torch.Tensor:
    if not isinstance(X, torch.Tensor):
        raise TypeError(f"X must be a torch tensor of shape (samples, features), got {type(X).__name__}")
    if X.dim() != 2 or X.shape[0] < 1:
        raise ValueError(f"X must have shape (samples, features) with at least one sample, "
                         f"got shape {tuple(X.shape)}")
    if isinstance(model, MLP):
        expected = model.hidden[0].in_features
        if X.shape[1] != expected:
            raise ValueError(f"X has {X.shape[1]} features but the network expects {expected}")
        X = X.to(next(model.parameters()).device)
    return X


def gradient_norms_per_layer(model: MLP, X: torch.Tensor, y: torch.Tensor | None = None, *,
                             per_sample: bool = True) -> np.ndarray:
    r"""How large the gradient of each hidden layer's weights :math:`W_l` is.

    With ``per_sample=True`` (the default) the loss of sample :math:`i` is its output
    :math:`\ell_i = f(x_i)` (summed over outputs; ``y`` must be ``None``), and the value for
    layer :math:`l` is the root mean square over the batch of
    :math:`\lVert \partial \ell_i / \partial W_l \rVert_F
    = \lVert \delta_{l,i} \rVert \, \lVert h_{l-1,i} \rVert`, where
    :math:`\delta_{l,i} = \partial \ell_i / \partial z_{l,i}` is the back-propagated error
    at the layer's pre-activation and :math:`h_{l-1,i}` the layer's input. This is the
    quantity the chain-rule argument is about; it does not depend on how similar the
    samples of the batch are to each other. (With batch normalisation the samples of a
    batch interact, and :math:`\delta_{l,i}` is the derivative of the summed outputs.)

    With ``per_sample=False`` it is the Frobenius norm of :math:`\partial L / \partial W_l`
    for the batch loss ``L``: the mean output when ``y`` is ``None``, the cross-entropy
    when ``y`` holds integer class labels, the mean squared error otherwise.

    The network's mode (train / eval) is left as it is, so batch normalisation uses the
    batch's statistics in training mode.

    Returns:
        ``numpy`` array of ``depth`` values, index 0 for the layer next to the input.
    """
    if not isinstance(model, MLP):
        raise TypeError(f"model must be an actlib.teaching.experiments.MLP (build one with mlp()), "
                        f"got {type(model).__name__}")
    X = _check_batch(model, X)
    model.zero_grad(set_to_none=True)
    if per_sample:
        if y is not None:
            raise ValueError("per_sample=True uses each sample's output as its loss; pass y=None "
                             "or per_sample=False")
        zs, inputs = [], []
        h = X
        for i, (linear, act) in enumerate(zip(model.hidden, model.acts, strict=True)):
            inputs.append(h)
            z = linear(h)
            z.retain_grad()
            zs.append(z)
            a = act(model.norms[i](z) if model.batchnorm else z) + model.shift
            h = h + a if (model.residual and i > 0) else a
        model.readout(h).sum().backward()
        return np.array([
            float(torch.sqrt(torch.mean((z.grad.norm(dim=1) * x.norm(dim=1)) ** 2)).item())
            for z, x in zip(zs, inputs, strict=True)])
    out = model(X)
    if y is None:
        loss = out.sum() / out.shape[0]
    else:
        y = y.to(out.device)
        if y.dtype in (torch.int64, torch.int32):
            loss = nn.functional.cross_entropy(out, y)
        else:
            loss = nn.functional.mse_loss(out, y.reshape(out.shape))
    loss.backward()
    return np.array([layer.weight.grad.norm().item() for layer in model.hidden])


def gradient_flow(activation: str, depth: int, *, width: int = 64, init: str = "he",
                  gain: float = 1.0, batch: int = 128, batchnorm: bool = False,
                  residual: bool = False, seed: int = 0, device=None) -> np.ndarray:
    """Per-layer weight-gradient norms of a fresh :func:`mlp` on a standard-normal batch.

    The input batch and the weights both come from ``seed``; the values are the
    per-sample norms of :func:`gradient_norms_per_layer`.

    Examples:
        >>> norms = gradient_flow("sigmoid", 5, width=16, init="xavier", batch=32, device="cpu")
        >>> norms.shape, bool(norms[0] < norms[-1])
        ((5,), True)
    """
    batch = _int("batch", batch)
    model = mlp(depth, width, activation, init, gain=gain, batchnorm=batchnorm,
                residual=residual, seed=seed, device=device)
    generator = torch.Generator().manual_seed(_int("seed", seed, 0) + 1)
    X = torch.randn(batch, width, generator=generator)
    return gradient_norms_per_layer(model, X)


# ---------------------------------------------------------------------------------------
# Dead units
# ---------------------------------------------------------------------------------------

def dead_fraction(model: MLP, X: torch.Tensor, *, per_layer: bool = False,
                  batch_size: int = 4096):
    r"""Fraction of hidden units that are *dead* on ``X``: pre-activation :math:`\le 0`
    for every sample.

    For ReLU such a unit outputs 0 and passes no gradient for any sample of ``X``, so
    training on ``X`` can never change its incoming weights again. For other
    activations the same count says how many units sit on the negative side for
    every sample (not necessarily without gradient).

    Args:
        model: an :class:`MLP`; evaluated in its current mode, without gradients.
        X: the samples, shape ``(samples, features)``.
        per_layer: return one fraction per hidden layer instead of one overall.
        batch_size: samples per forward pass.

    Returns:
        a float in [0, 1], or a list of them with ``per_layer``.
    """
    if not isinstance(model, MLP):
        raise TypeError(f"model must be an actlib.teaching.experiments.MLP, got {type(model).__name__}")
    X = _check_batch(model, X)
    batch_size = _int("batch_size", batch_size)
    alive = None
    for start in range(0, X.shape[0], batch_size):
        zs = model.preactivations(X[start:start + batch_size])
        now = [(z > 0).any(dim=0) for z in zs]
        alive = now if alive is None else [a | b for a, b in zip(alive, now, strict=True)]
    dead = [(~a).float() for a in alive]
    if per_layer:
        return [float(d.mean().item()) for d in dead]
    return float(torch.cat(dead).mean().item())


# ---------------------------------------------------------------------------------------
# Training on the digits data set
# ---------------------------------------------------------------------------------------

@lru_cache(maxsize=4)
def _digits_arrays(test_size: float, split_seed: int):
    from sklearn.datasets import load_digits
    from sklearn.model_selection import train_test_split

    X, y = load_digits(return_X_y=True)
    X_train, X_test, y_train, y_test = train_test_split(
        X, y, test_size=test_size, random_state=split_seed, stratify=y)
    mean, std = X_train.mean(axis=0), X_train.std(axis=0)
    std[std == 0] = 1.0  # pixels that are always blank in the training set
    scale = lambda a: ((a - mean) / std).astype(np.float32)  # noqa: E731
    return scale(X_train), y_train.astype(np.int64), scale(X_test), y_test.astype(np.int64)


def digits_data(device=None, *, test_size: float = 0.25, split_seed: int = 0):
    """scikit-learn's 8x8 digits (1797 images, 10 classes), split and standardised.

    Each of the 64 pixel features is standardised with the training set's mean and
    standard deviation. The data ship with scikit-learn, so nothing is downloaded.

    Returns:
        ``(X_train, y_train, X_test, y_test)`` as torch tensors on ``device``.
    """
    test_size = _float("test_size", test_size, 0.0, strict=True)
    if test_size >= 1:
        raise ValueError(f"test_size must lie in (0, 1), got {test_size:g}")
    arrays = _digits_arrays(test_size, _int("split_seed", split_seed, 0))
    device = _device(device)
    return tuple(torch.from_numpy(a).to(device) for a in arrays)


@dataclass
class DigitsRun:
    """What :func:`train_digits` measured. Index 0 of each per-epoch array is before training."""

    activation: str
    lr: float
    seed: int
    train_loss: np.ndarray
    dead: np.ndarray
    dead_per_layer: list[float]
    test_accuracy: float
    diverged: bool = False
    settings: dict = field(default_factory=dict)

    @property
    def epochs(self) -> np.ndarray:
        return np.arange(len(self.train_loss))


def train_digits(activation: str, *, lr: float, epochs: int = 20, width: int = 64, depth: int = 2,
                 batch_size: int = 32, optimizer: str = "sgd", momentum: float = 0.0,
                 init: str = "he", bias: float = 0.0, activation_params: dict | None = None,
                 shift: float = 0.0, seed: int = 0, device=None) -> DigitsRun:
    """Train an :func:`mlp` classifier on :func:`digits_data` with mini-batches.

    After every epoch it records the training loss (cross-entropy over the whole
    training set) and the :func:`dead_fraction` of hidden units on the training set.
    A run whose loss stops being finite is stopped and marked ``diverged``; its
    remaining entries are ``nan``.

    Args:
        activation: registry name of the hidden activation.
        lr: learning rate, ``> 0``.
        epochs: passes over the training set.
        width, depth, init, bias, activation_params, shift: passed to :func:`mlp`.
        batch_size: samples per update.
        optimizer: ``"sgd"`` (with ``momentum``) or ``"adam"``.
        seed: weights and the order of the mini-batches depend only on it.
        device: default :func:`actlib.nn.device.try_gpu`.

    Examples:
        >>> run = train_digits("relu", lr=0.05, epochs=1, width=16, seed=0, device="cpu")
        >>> len(run.train_loss), bool(run.train_loss[1] < run.train_loss[0])
        (2, True)
    """
    lr = _float("lr", lr, 0.0, strict=True)
    epochs, batch_size = _int("epochs", epochs), _int("batch_size", batch_size)
    momentum = _float("momentum", momentum, 0.0)
    if optimizer not in ("sgd", "adam"):
        raise ValueError(f"optimizer must be 'sgd' or 'adam', got {optimizer!r}")
    seed = _int("seed", seed, 0)
    device = _device(device)
    X_train, y_train, X_test, y_test = digits_data(device)
    model = mlp(depth, width, activation, init, in_features=X_train.shape[1], out_features=10,
                bias=bias, activation_params=activation_params, shift=shift, seed=seed,
                device=device)
    opt = (torch.optim.SGD(model.parameters(), lr=lr, momentum=momentum) if optimizer == "sgd"
           else torch.optim.Adam(model.parameters(), lr=lr))
    order_gen = torch.Generator().manual_seed(seed + 10_000)
    n = X_train.shape[0]

    def full_loss() -> float:
        with torch.no_grad():
            return float(nn.functional.cross_entropy(model(X_train), y_train).item())

    losses = [full_loss()]
    dead = [dead_fraction(model, X_train)]
    diverged = False
    for _ in range(epochs):
        perm = torch.randperm(n, generator=order_gen).to(device)
        for start in range(0, n, batch_size):
            idx = perm[start:start + batch_size]
            opt.zero_grad(set_to_none=True)
            nn.functional.cross_entropy(model(X_train[idx]), y_train[idx]).backward()
            opt.step()
        loss = full_loss()
        if not math.isfinite(loss):
            diverged = True
            break
        losses.append(loss)
        dead.append(dead_fraction(model, X_train))
    pad = epochs + 1 - len(losses)
    losses += [math.nan] * pad
    dead += [math.nan] * pad
    with torch.no_grad():
        accuracy = float((model(X_test).argmax(dim=1) == y_test).float().mean().item())
    return DigitsRun(
        activation=get(activation).name, lr=lr, seed=seed, train_loss=np.array(losses),
        dead=np.array(dead),
        dead_per_layer=[math.nan] * depth if diverged else dead_fraction(model, X_train, per_layer=True),
        test_accuracy=math.nan if diverged else accuracy, diverged=diverged,
        settings=dict(epochs=epochs, width=width, depth=depth, batch_size=batch_size,
                      optimizer=optimizer, momentum=momentum, init=init, bias=bias,
                      activation_params=activation_params or {}, shift=shift))


# ---------------------------------------------------------------------------------------
# The two-weight zig-zag example
# ---------------------------------------------------------------------------------------

@dataclass
class ZigZag:
    """Result of :func:`two_weight_sgd`: the path of ``(w1, w2)`` and what it took."""

    offset: float
    path: np.ndarray            # shape (updates + 1, 2)
    steps_to_converge: int | None
    same_sign_fraction: float   # updates whose two components had the same sign
    lr: float
    inputs: np.ndarray          # the (samples, 2) inputs


def two_weight_sgd(offset: float, *, target: Sequence[float] = (-1.0, 1.0),
                   start: Sequence[float] = (0.0, 0.0), spread: float = 0.5, samples: int = 32,
                   step: float = 0.5, max_updates: int = 2000, tol: float = 0.05,
                   seed: int = 0) -> ZigZag:
    r"""One linear neuron :math:`\hat y = w_1 x_1 + w_2 x_2`, trained one sample at a time.

    The inputs are ``offset + u`` with ``u`` uniform on ``[-spread, spread]`` in each
    component, so every input is positive when ``offset > spread``. The targets are
    ``target . x`` exactly, so the best weights are ``target``; from ``start``
    (default: the origin) :math:`w_1` must fall and :math:`w_2` must rise. The loss of
    one sample is :math:`\tfrac12(\hat y - y)^2`, whose gradient
    :math:`(\hat y - y)\,x` has components of one sign whenever both inputs are positive.

    The learning rate is ``step / mean(|x|^2)`` (normalised least mean squares), the
    same fraction of the largest stable step for every offset, so the comparison is
    fair: inputs with a large mean need a smaller rate to stay stable.

    Returns:
        a :class:`ZigZag`; ``steps_to_converge`` is the first update after which
        ``|w - target| < tol``, or ``None`` if that did not happen in ``max_updates``.
    """
    offset = _float("offset", offset)
    spread = _float("spread", spread, 0.0)
    step = _float("step", step, 0.0, strict=True)
    if step >= 2:
        raise ValueError(f"step must lie in (0, 2) for the updates to be stable, got {step:g}")
    samples, max_updates = _int("samples", samples), _int("max_updates", max_updates)
    tol = _float("tol", tol, 0.0, strict=True)
    target = np.asarray(target, dtype=float)
    w = np.asarray(start, dtype=float).copy()
    if target.shape != (2,) or w.shape != (2,):
        raise ValueError("target and start must each hold two numbers")
    rng = np.random.default_rng(_int("seed", seed, 0))
    X = offset + rng.uniform(-spread, spread, size=(samples, 2))
    y = X @ target
    lr = step / float(np.mean(np.sum(X**2, axis=1)))
    path, same_sign, converged = [w.copy()], 0, None
    order = np.concatenate([rng.permutation(samples) for _ in range(max_updates // samples + 1)])
    for t in range(max_updates):
        i = order[t]
        grad = (X[i] @ w - y[i]) * X[i]
        same_sign += int(grad[0] * grad[1] > 0)
        w = w - lr * grad
        path.append(w.copy())
        if np.linalg.norm(w - target) < tol:
            converged = t + 1
            break
    n = len(path) - 1
    return ZigZag(offset, np.array(path), converged, same_sign / n, lr, X)
