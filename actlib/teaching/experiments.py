r"""Small, seeded experiments on gradient flow and the zig-zag argument.

The chapters *Saturation and vanishing gradients* and *Zero-centred outputs and
zig-zag updates* call these functions; they hold no chapter text, only the
experiments, so a reader can re-run them with other settings.

* :func:`gradient_norms_per_layer` and :func:`gradient_flow` measure how large
  the gradient of each layer's weights is at initialisation, for every member
  of an :class:`~actlib.teaching.models.MLP` (one member per seed);
* :func:`two_weight_sgd` runs the two-weight example of the zig-zag argument;
* :func:`seed_everything` seeds numpy and torch and asks for deterministic kernels.

Training itself is :func:`actlib.teaching.training.train`; dead units are
:meth:`actlib.teaching.models.MLP.dead_fraction`.

Examples:
    >>> from actlib.teaching.experiments import gradient_flow
    >>> norms = gradient_flow("sigmoid", 5, width=16, init="xavier", batch=32, device="cpu")
    >>> norms.shape, bool(norms[0] < norms[-1])
    ((5,), True)
    >>> gradient_flow("tanh", 3, width=16, seed=range(4), device="cpu").shape
    (4, 3)
"""

from __future__ import annotations

import math
import numbers
import os
from collections.abc import Iterable, Sequence
from dataclasses import dataclass

import numpy as np
import torch

from .._validate import check_bool, check_param
from .models import MLP

__all__ = ["seed_everything", "gradient_norms_per_layer", "gradient_flow", "two_weight_sgd",
           "ZigZag"]


def seed_everything(seed: int = 0) -> torch.Generator:
    """Seed numpy's and torch's global generators and ask torch for deterministic kernels.

    Sets ``CUBLAS_WORKSPACE_CONFIG`` (needed for deterministic matrix products on CUDA)
    if it is unset and calls ``torch.use_deterministic_algorithms(True, warn_only=True)``,
    so an operation without a deterministic kernel warns instead of failing.
    Deterministic means the same result on the same machine: other CPUs and GPUs sum in
    other orders, which is why the chapters report statistics over seeds.

    Returns:
        A ``torch.Generator`` seeded with ``seed`` (CPU), for code that wants its own.
    """
    seed = check_param("seed", seed, 0, math.inf, integer=True)
    os.environ.setdefault("CUBLAS_WORKSPACE_CONFIG", ":4096:8")
    torch.use_deterministic_algorithms(True, warn_only=True)
    torch.manual_seed(seed)
    np.random.seed(seed % 2**32)  # noqa: NPY002 (the legacy global generator, on purpose)
    return torch.Generator().manual_seed(seed)


# ---------------------------------------------------------------------------------------
# Gradient flow
# ---------------------------------------------------------------------------------------

def gradient_norms_per_layer(model: MLP, X: torch.Tensor, y: torch.Tensor | None = None, *,
                             per_sample: bool = True) -> np.ndarray:
    r"""How large the gradient of each hidden layer's weights :math:`W_l` is, per member.

    With ``per_sample=True`` (the default) the loss of sample :math:`i` is its output
    :math:`\ell_i = f(x_i)` (summed over outputs; ``y`` must be ``None``), and the value for
    layer :math:`l` is the root mean square over the batch of
    :math:`\lVert \partial \ell_i / \partial W_l \rVert_F
    = \lVert \delta_{l,i} \rVert \, \lVert h_{l-1,i} \rVert`, where
    :math:`\delta_{l,i} = \partial \ell_i / \partial u_{l,i}` is the back-propagated error
    at the layer's linear output and :math:`h_{l-1,i}` the layer's input. This is the
    quantity the chain-rule argument is about; it does not depend on how similar the
    samples of the batch are to each other (a sum over a batch of inputs with mean zero
    partly cancels). With batch normalisation the samples of a batch interact, and
    :math:`\delta_{l,i}` is the derivative of the summed outputs.

    With ``per_sample=False`` it is the Frobenius norm of :math:`\partial L / \partial W_l`
    for the batch loss ``L``: the mean output when ``y`` is ``None``, the cross-entropy
    when ``y`` holds integer class labels, the mean squared error otherwise.

    The network's mode (train / eval) is left as it is.

    Args:
        model: an :class:`~actlib.teaching.models.MLP`.
        X: inputs ``(batch, features)``, or ``(members, batch, features)`` for a batch
            per member.

    Returns:
        ``numpy`` array ``(members, layers)``, layer 0 next to the input.
    """
    if not isinstance(model, MLP):
        raise TypeError(f"model must be an actlib.teaching.models.MLP, got {type(model).__name__}")
    per_sample = check_bool("per_sample", per_sample)
    for p in model.parameters():
        p.grad = None
    layers = []
    for layer in model.layers(X):
        layer.u.retain_grad()
        layers.append(layer)
    out = model.readout(layers[-1].h_out)                     # (members, batch, outputs)
    if per_sample:
        if y is not None:
            raise ValueError("per_sample=True uses each sample's output as its loss; pass y=None "
                             "or per_sample=False")
        out.sum().backward()
        return torch.stack([
            torch.sqrt(torch.mean((L.u.grad.norm(dim=-1) * L.h_in.norm(dim=-1)) ** 2, dim=1))
            for L in layers], dim=1).detach().cpu().numpy()
    if y is None:
        loss = out.mean(dim=1).sum()
    else:
        y = y.to(out.device)
        if y.dtype in (torch.int64, torch.int32):
            logp = torch.log_softmax(out, -1)
            loss = -logp.gather(-1, y.expand(out.shape[0], -1)[..., None]).mean(dim=1).sum()
        else:
            loss = ((out - y.reshape(1, *out.shape[1:])) ** 2).mean(dim=(1, 2)).sum()
    loss.backward()
    return torch.stack([w.grad.flatten(1).norm(dim=1) for w in model.weights[:-1]],
                       dim=1).cpu().numpy()


def _seeds(seed) -> tuple[list[int], bool]:
    if isinstance(seed, numbers.Integral) and not isinstance(seed, bool):
        return [check_param("seed", seed, 0, math.inf, integer=True)], True
    if isinstance(seed, Iterable) and not isinstance(seed, (str, bytes)):
        seeds = [check_param("seed", s, 0, math.inf, integer=True) for s in seed]
        if seeds:
            return seeds, False
    raise TypeError(f"seed must be an integer >= 0 or a sequence of them, got {seed!r}")


def gradient_flow(activation: str, depth: int, *, width: int = 64, init: str = "he",
                  gain: float = 1.0, batch: int = 128, batchnorm: bool = False,
                  residual: bool = False, seed: int | Sequence[int] = 0,
                  device=None) -> np.ndarray:
    """Per-layer weight-gradient norms of fresh networks on a standard-normal batch.

    ``depth`` hidden layers of ``width`` units (input size ``width``, one output), weights
    from ``init`` times ``gain``; the per-sample norms of :func:`gradient_norms_per_layer`.
    For each seed ``s`` the weights come from ``s`` and the input batch from ``s + 1``.

    Returns:
        ``(depth,)`` for one seed, ``(len(seed), depth)`` for a sequence of seeds.
    """
    seeds, single = _seeds(seed)
    depth = check_param("depth", depth, 1, math.inf, integer=True)
    width = check_param("width", width, 1, math.inf, integer=True)
    batch = check_param("batch", batch, 1, math.inf, integer=True)
    if device is None:
        from ..nn.device import try_gpu

        device = try_gpu()
    model = MLP([width] * (depth + 1) + [1], activation, members=len(seeds), seeds=seeds,
                init=init, gain=gain, batchnorm=batchnorm, residual=residual, device=device)
    X = torch.stack([torch.randn(batch, width, generator=torch.Generator().manual_seed(s + 1))
                     for s in seeds])
    norms = gradient_norms_per_layer(model, X.to(device))
    return norms[0] if single else norms


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
    offset = check_param("offset", offset)
    spread = check_param("spread", spread, 0.0)
    step = check_param("step", step, 0.0, 2.0, low_open=True, high_open=True)
    samples = check_param("samples", samples, 1, math.inf, integer=True)
    max_updates = check_param("max_updates", max_updates, 1, math.inf, integer=True)
    tol = check_param("tol", tol, 0.0, math.inf, low_open=True)
    target = np.asarray(target, dtype=float)
    w = np.asarray(start, dtype=float).copy()
    if target.shape != (2,) or w.shape != (2,):
        raise ValueError("target and start must each hold two numbers")
    rng = np.random.default_rng(check_param("seed", seed, 0, math.inf, integer=True))
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
