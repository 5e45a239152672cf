r"""Assignment 3, *Dead units*: which hidden units of a trained network never fire.

A hidden unit is dead on a data set when its pre-activation is :math:`\le 0` for
every sample. The reference reads the pre-activations of the book's network with
:meth:`actlib.teaching.models.MLP.preactivations` (one array per hidden layer, a row
per member); a plain ``torch.nn.Sequential`` of ``Linear`` layers and activations is
read generically, through forward hooks on its ``Linear`` layers (a single member).

The checks accept torch tensors, numpy arrays and lists, of one value per network or,
for a single network, a plain number (0-d tensors included); they reject booleans,
whose ``True == 1`` would hide a mistake.
"""

from __future__ import annotations

from collections.abc import Callable

import numpy as np

from ._core import as_array, check, fail, knock_on
from .hints import READ_MORE

__all__ = ["preactivations", "reference_dead_units", "check_dead_units", "check_dead_fraction"]

_MORE = READ_MORE["dead"]


def preactivations(model, X) -> list[np.ndarray]:
    """Pre-activations of every hidden layer, each ``(members, samples, width)`` (float64)."""
    import torch

    if hasattr(model, "preactivations"):
        return [z.double().cpu().numpy() for z in model.preactivations(X)]
    if not isinstance(model, torch.nn.Sequential):
        raise TypeError(f"expected an actlib.teaching.models.MLP or a torch.nn.Sequential, got "
                        f"{type(model).__name__}")
    linears = [m for m in model if isinstance(m, torch.nn.Linear)][:-1]   # the readout is last
    captured, hooks = [], [m.register_forward_hook(
        lambda module, inputs, output: captured.append(output.detach())) for m in linears]
    try:
        with torch.no_grad():
            model(torch.as_tensor(X))
    finally:
        for h in hooks:
            h.remove()
    return [z.double().cpu().numpy()[None] for z in captured]


def reference_dead_units(model, X) -> list[np.ndarray]:
    """``[(members, width) bool array per hidden layer]``: True where a unit is dead on ``X``."""
    return [(z <= 0).all(axis=1) for z in preactivations(model, X)]


def _as_mask(g, layer: int, shape, key: str) -> np.ndarray:
    __tracebackhide__ = True
    if hasattr(g, "detach"):
        g = g.detach().cpu().numpy()
    g = np.asarray(g)
    if g.shape != shape and g.shape == shape[1:] and shape[0] == 1:
        g = g[None]
    if g.shape != shape:
        fail(f"hidden layer {layer}: got shape {g.shape}, expected {shape}: one entry per "
             "network and unit (members, width), not per sample (reduce over the samples, "
             "axis 1 of the pre-activations).", key, _MORE)
    if g.dtype != bool:
        fail(f"hidden layer {layer}: got dtype {g.dtype}, expected a boolean array (True = "
             "dead).", key, _MORE)
    return g


@check
def check_dead_units(fn: Callable, model, X):
    """Check ``fn(model, X) -> [bool array per hidden layer]``: True where a unit is dead on X."""
    __tracebackhide__ = True
    key = "dead_units"
    zs = preactivations(model, X)
    ref = [(z <= 0).all(axis=1) for z in zs]
    try:
        got = fn(model, X)
    except NotImplementedError:
        fail("dead_units raised NotImplementedError; write its body first.", key)
    except Exception as exc:  # noqa: BLE001 - any error in the student's code becomes feedback
        fail(f"dead_units(model, X) raised {type(exc).__name__}: {exc}", key, _MORE)
    if got is None or not hasattr(got, "__len__") or len(got) != len(ref):
        size = f" of length {len(got)}" if hasattr(got, "__len__") else ""
        fail(f"dead_units must return a list with one boolean array per hidden layer "
             f"({len(ref)} here), got {type(got).__name__}{size}.", key, _MORE)
    for layer, (g, r, z) in enumerate(zip(got, ref, zs, strict=True), start=1):
        g = _as_mask(g, layer, r.shape, key)
        if (g != r).any():
            member, unit = (int(i[0]) for i in np.nonzero(g != r))
            where = f"hidden layer {layer}, unit {unit}" + (
                f" of network {member}" if r.shape[0] > 1 else "")
            if g[member, unit]:
                fires = int((z[member, :, unit] > 0).sum())
                fail(f"{where}: you marked it dead, but its pre-activation is > 0 on {fires} of "
                     f"{z.shape[1]} inputs. A unit is dead only if its pre-activation is <= 0 for "
                     "EVERY input in X (.all over the samples, not .any).", key, _MORE)
            fail(f"{where}: its pre-activation is <= 0 on every input (largest "
                 f"{z[member, :, unit].max():.3g}), but you did not mark it dead. Look at the "
                 "pre-activations z = a W + b of every sample, not at the weights alone.",
                 key, _MORE)
    n_dead = sum(int(r.sum()) for r in ref)
    return key, (f"dead_units: right for all {len(ref)} hidden layers of "
                 f"{ref[0].shape[0]} network{'s' if ref[0].shape[0] > 1 else ''}"
                 f" ({n_dead} dead units).")


def _explain(value: np.ndarray, expected: np.ndarray, ref, zs) -> str:
    """Recognise the usual wrong dead fractions; '' when none matches."""
    counts = np.sum([r.sum(axis=1) for r in ref], axis=0)
    total = sum(r.shape[1] for r in ref)
    zero_share = np.mean(np.concatenate([(z <= 0).mean(axis=1) for z in zs], axis=1), axis=1)

    def same(a):
        return value.shape == np.shape(a) and np.allclose(value, a, atol=1e-9)

    if (value < 0).any() or (value > 1).any():
        if same(counts):
            return (f"that is the number of dead units; the fraction divides it by the number "
                    f"of hidden units ({total}).")
        return "a fraction lies between 0 and 1."
    if np.allclose(value, 0.0) and not np.allclose(expected, 0.0):
        return ("0 says no unit is dead; your dead_units of task 1 (or the check there) tells "
                "you how many are.")
    if np.allclose(value, 1.0) and not np.allclose(expected, 1.0):
        return ("1.0 says every hidden unit is dead. The network's output would then be the same "
                "for every input, so it could not beat chance; check that you reduce over the "
                "samples (a unit is dead when ALL its pre-activations are <= 0), not over the units.")
    if same(1.0 - expected) and not same(expected):
        return "that is the fraction of units that are alive (1 minus the dead fraction)."
    for layer, r in enumerate(ref, start=1):
        share = r.mean(axis=1)
        if len(ref) > 1 and same(share) and not same(expected) and share.any():
            return (f"that is the dead fraction of hidden layer {layer} alone; count the dead "
                    "units of all hidden layers together and divide by all hidden units.")
    if same(zero_share) and not same(expected):
        return ("that is the share of (sample, unit) pairs where a unit is off; a unit is dead "
                "only if it is off for EVERY sample, so count units, not zeros.")
    return ""


@check
def check_dead_fraction(value, model, X):
    """Check the fraction of dead hidden units (all hidden layers together), one per network."""
    __tracebackhide__ = True
    key = "dead_fraction"
    zs = preactivations(model, X)
    ref = [(z <= 0).all(axis=1) for z in zs]
    expected = np.concatenate(ref, axis=1).mean(axis=1)          # (members,)
    what = "dead_fraction"
    got = as_array(value, what, key, _MORE)
    if got.ndim == 0 or got.shape == (1,):
        if expected.size != 1:
            fail(f"{what} is one number, but the model holds {expected.size} networks: give one "
                 f"fraction per network, an array of shape ({expected.size},).", key, _MORE)
        got = got.reshape(1)
    if got.shape != expected.shape:
        fail(f"{what} has shape {got.shape}; expected one fraction per network, shape "
             f"{expected.shape}.", key, _MORE)
    if np.isnan(got).any():
        fail(f"{what} holds nan: a mean over an empty array, or 0/0?", key, _MORE)
    if not np.allclose(got, expected, atol=1e-9):
        hint = _explain(got, expected, ref, zs)
        i = int(np.flatnonzero(~np.isclose(got, expected, atol=1e-9))[0])
        where = f" (network {i}: {got[i]:.4g})" if expected.size > 1 else f" ({got[0]:.4g})"
        fail(f"{what} is wrong{where}: it is the number of dead units divided by the number "
             "of hidden units, over all hidden layers together" + (f"; {hint}" if hint else ".")
             + knock_on(None, [("dead_units", "dead_units")]), key, _MORE)
    return key, "dead fraction: right."
