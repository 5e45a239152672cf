r"""Assignment 2, *Backpropagation by hand and vanishing gradients*.

The problems are built by the book's one network, :class:`actlib.teaching.models.MLP`
(one member, float64), and the reference gradients come from PyTorch's autograd
through it; the student's numpy code sees the weights in ``torch.nn.Linear``'s layout
(``W_l`` has shape ``(n_out, n_in)``) and the inputs as rows.

Each task is graded on its own: :func:`check_gradient_norms` runs the student's
``gradient_norms`` with the *reference* backpropagation (its ``backprop`` argument),
so a wrong ``mlp_gradients`` costs the points of its own check only, and a later
check that still depends on it says so.
"""

from __future__ import annotations

import inspect
from collections.abc import Callable, Sequence

import numpy as np

from ._core import as_array, check, fail, fmt, knock_on
from .hints import READ_MORE

__all__ = ["mlp_problem", "reference_backprop", "check_mlp_gradients", "check_gradient_norms",
           "check_most_vanishing"]


def _net(sizes, activation: str, seed: int = 0):
    import torch

    from ..models import MLP

    return MLP(sizes, activation, members=1, seeds=[seed], init="lecun", dtype=torch.float64)


def mlp_problem(depth: int, width: int, *, n_in: int = 8, n_out: int = 4, batch: int = 32,
                seed: int = 0, bias_scale: float = 0.0) -> dict:
    r"""A seeded regression problem for a plain MLP, as numpy float64 arrays.

    ``depth`` hidden layers of ``width`` units with LeCun-normal weights (standard
    deviation :math:`1/\sqrt{n_\text{in}}`, drawn by :class:`~actlib.teaching.models.MLP`
    from ``seed``), biases 0 (or :math:`N(0, \text{bias\_scale}^2)`), inputs and targets
    from :math:`N(0, 1)`. Weights have PyTorch's layout ``(n_out, n_in)``; ``x`` has shape
    ``(batch, n_in)``.

    Returns:
        ``{"x", "t", "weights", "biases"}``.
    """
    net = _net([n_in] + [width] * depth + [n_out], "identity", seed)
    rng = np.random.default_rng(seed)
    weights = [w.detach()[0].numpy().T.copy() for w in net.weights]
    biases = [rng.normal(0.0, bias_scale, size=w.shape[0]) if bias_scale else np.zeros(w.shape[0])
              for w in weights]
    return {"x": rng.normal(size=(batch, n_in)), "t": rng.normal(size=(batch, n_out)),
            "weights": weights, "biases": biases}


def reference_backprop(x, t, weights, biases, activation: str):
    r"""Loss and gradients by PyTorch's autograd through :class:`~actlib.teaching.models.MLP`.

    Hidden layers compute :math:`a_l = \varphi(a_{l-1} W_l^\top + b_l)`, the last layer
    is linear, the loss is :math:`L = \frac{1}{2B}\sum (y - t)^2`.

    Returns:
        ``(loss, grad_weights, grad_biases)``: a float and lists of numpy arrays in the
        layout of ``weights`` and ``biases``.
    """
    import torch

    sizes = [np.shape(weights[0])[1]] + [np.shape(w)[0] for w in weights]
    net = _net(sizes, activation)
    with torch.no_grad():
        for p, w in zip(net.weights, weights, strict=True):
            p.copy_(torch.as_tensor(np.asarray(w, dtype=np.float64).T)[None])
        for p, b in zip(net.biases, biases, strict=True):
            p.copy_(torch.as_tensor(np.asarray(b, dtype=np.float64))[None, None])
    y = net(torch.as_tensor(np.asarray(x, dtype=np.float64)))[0]
    target = torch.as_tensor(np.asarray(t, dtype=np.float64))
    loss = 0.5 * ((y - target) ** 2).sum() / y.shape[0]
    loss.backward()
    return (float(loss.detach()), [w.grad[0].numpy().T.copy() for w in net.weights],
            [b.grad[0, 0].numpy().copy() for b in net.biases])


def _call(fn, what: str, key: str, topic: str, **kwargs):
    __tracebackhide__ = True
    try:
        return fn(**kwargs)
    except NotImplementedError:
        fail(f"{what} raised NotImplementedError; write its body first.", key)
    except Exception as exc:  # noqa: BLE001 - any error in the student's code becomes feedback
        fail(f"{what} raised {type(exc).__name__}: {exc}. (Shapes: x is (batch, n_in); W_l is "
             "(n_out, n_in), as in torch.nn.Linear.)", key, READ_MORE[topic])


@check
def check_mlp_gradients(fn: Callable, activations: Sequence[str] = ("tanh", "relu", "sigmoid")):
    """Check ``fn(x, t, weights, biases, activation) -> (loss, grad_weights, grad_biases)``
    against PyTorch's autograd, for every activation in ``activations``."""
    __tracebackhide__ = True
    key = "mlp_gradients"
    for activation in activations:
        args = {k: v for k, v in mlp_problem(3, 6, n_in=5, n_out=3, batch=7, seed=1,
                                               bias_scale=0.1).items()}
        result = _call(fn, f"mlp_gradients(..., activation={activation!r})", key, "backprop",
                       **args, activation=activation)
        if not (isinstance(result, tuple) and len(result) == 3):
            fail("mlp_gradients must return a tuple (loss, grad_weights, grad_biases).", key,
                 READ_MORE["backprop"])
        loss, gW, gb = result
        ref_loss, ref_W, ref_b = reference_backprop(**args, activation=activation)
        n = len(ref_W)
        loss = as_array(loss, "the loss", key, READ_MORE["backprop"])
        if loss.size != 1 or not np.isclose(float(loss.ravel()[0]), ref_loss, rtol=1e-9):
            fail(f"with activation={activation!r} the loss is "
                 f"{fmt(loss.ravel()[0]) if loss.size == 1 else loss.shape}, expected "
                 f"{fmt(ref_loss)}: the forward pass is wrong. Hidden layers compute "
                 "a = phi(a_prev @ W.T + b), the output layer has no activation, and "
                 "L = 0.5 * sum((y - t)**2) / batch.", key, READ_MORE["backprop"])
        if len(gW) != n or len(gb) != n:
            fail(f"expected {n} weight and {n} bias gradients (one per layer, output layer "
                 f"included), got {len(gW)} and {len(gb)}.", key, READ_MORE["backprop"])
        for layer in range(n - 1, -1, -1):        # from the output back: the first error
            for kind, got, ref in (("W", gW[layer], ref_W[layer]), ("b", gb[layer], ref_b[layer])):
                got = as_array(got, f"dL/d{kind} of layer {layer + 1}", key, READ_MORE["backprop"])
                where = "the output layer" if layer == n - 1 else f"hidden layer {layer + 1}"
                if got.shape != ref.shape:
                    fail(f"dL/d{kind} of {where} has shape {got.shape}, expected {ref.shape} "
                         f"(the shape of {kind}). For W: dL/dW = delta.T @ a_prev; for b: "
                         "sum delta over the batch.", key, READ_MORE["backprop"])
                if np.allclose(got, ref, rtol=1e-7, atol=1e-12):
                    continue
                if layer == n - 1:
                    hint = ("the output layer's gradient is wrong, so the error is at the start "
                            "of the backward pass: dL/dy = (y - t) / batch, dL/dW = "
                            "delta.T @ a_prev, dL/db = delta.sum(axis=0).")
                else:
                    hint = (f"every layer after it is right, so the mistake is where the "
                            f"gradient passes back through the {activation} of {where}: "
                            "delta_l = (delta_{l+1} @ W_{l+1}) * phi'(z_l), with phi' evaluated "
                            "at the PRE-activation z_l, not at the output a_l = phi(z_l).")
                if np.allclose(got, ref * args["x"].shape[0], rtol=1e-7):
                    hint = ("it is the batch size times too large: the loss averages over the "
                            "batch, so dL/dy = (y - t) / batch.")
                fail(f"with activation={activation!r}, dL/d{kind} of {where} is wrong "
                     f"(largest error {np.abs(got - ref).max():.3g}): {hint}", key,
                     READ_MORE["backprop"])
    return key, ("mlp_gradients: loss and every layer's gradients agree with PyTorch's autograd "
                 f"for {', '.join(activations)}.")


def reference_norms(activation: str, depth: int = 12, width: int = 32, seed: int = 0) -> np.ndarray:
    """Frobenius norm of dL/dW per layer (input side first) of :func:`mlp_problem`."""
    p = mlp_problem(depth, width, seed=seed)
    _, gW, _ = reference_backprop(p["x"], p["t"], p["weights"], p["biases"], activation)
    return np.array([np.linalg.norm(g) for g in gW])


@check
def check_gradient_norms(fn: Callable, activations: Sequence[str] = ("sigmoid", "tanh", "relu"),
                         depth: int = 12, width: int = 32, seed: int = 0):
    """Check ``fn(activation, depth, width, seed, backprop=...)``: the norm of dL/dW per layer.

    ``fn`` is run with :func:`reference_backprop` as its ``backprop`` argument, so this
    task is graded on its own even when ``mlp_gradients`` is wrong.
    """
    __tracebackhide__ = True
    key = "gradient_norms"
    takes_backprop = "backprop" in getattr(inspect.signature(fn), "parameters", {}) \
        if callable(fn) else False
    for activation in activations:
        ref = reference_norms(activation, depth, width, seed)
        what = f"gradient_norms({activation!r}, depth={depth}, width={width}, seed={seed})"
        kwargs = dict(activation=activation, depth=depth, width=width, seed=seed)
        if takes_backprop:
            kwargs["backprop"] = reference_backprop
        got = as_array(_call(fn, what, key, "vanishing", **kwargs), what, key, READ_MORE["vanishing"])
        note = "" if takes_backprop else knock_on(fn, [("mlp_gradients", "mlp_gradients")])
        if got.shape != ref.shape:
            fail(f"{what} returned shape {got.shape}; expected one norm per layer, {ref.shape} "
                 "(depth hidden layers plus the output layer, input side first)." + note, key,
                 READ_MORE["vanishing"])
        if np.allclose(got, ref[::-1], rtol=1e-6) and not np.allclose(got, ref, rtol=1e-6):
            fail(f"{what} is in reverse order: put the layer next to the input first.", key,
                 READ_MORE["vanishing"])
        if not np.allclose(got, ref, rtol=1e-6):
            i = int(np.argmax(np.abs(got - ref) / ref))
            fail(f"{what}, layer {i + 1}: {fmt(got[i])}, expected {fmt(ref[i])} (the Frobenius "
                 f"norm np.linalg.norm(dL/dW) for checks.mlp_problem({depth}, {width}, "
                 f"seed={seed}))." + note, key, READ_MORE["vanishing"])
    return key, f"gradient_norms: agree with the reference for {', '.join(activations)}."


@check
def check_most_vanishing(answer: str, candidates: Sequence[str] = ("sigmoid", "tanh", "relu"),
                         depth: int = 12, width: int = 32, seed: int = 0):
    """Check the activation whose first-layer gradient is smallest relative to the last's."""
    __tracebackhide__ = True
    key = "most_vanishing"
    ratios = {a: (lambda r: r[0] / r[-1])(reference_norms(a, depth, width, seed))
              for a in candidates}
    best = min(ratios, key=ratios.get)
    if answer not in ratios:
        fail(f"MOST_VANISHING = {answer!r} is not one of {list(candidates)}.", key,
             READ_MORE["vanishing"])
    if answer != best:
        note = knock_on(None, [("mlp_gradients", "mlp_gradients"),
                               ("gradient_norms", "gradient_norms")])
        fail(f"with {answer}, the first layer's gradient is {ratios[answer]:.2g} times the last "
             "layer's; another activation's ratio is smaller. Compare norms[0] / norms[-1] for "
             "each activation." + note, key,
             READ_MORE["vanishing"])
    return key, f"most vanishing: {answer} is right."
