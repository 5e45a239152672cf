r"""Analytic derivatives of the activations in :mod:`actlib.functions`.

``d_<name>(x, **params)`` is :math:`\partial f / \partial x`, elementwise;
``d_<name>_d<param>(x, **params)`` is the derivative with respect to a
parameter (PReLU's ``a``, Swish's ``beta``, ELU's ``alpha`` ...). For the
vector-valued activations ``jacobian_<name>`` returns the Jacobian over the
last axis (see each docstring for its shape). Inputs, dtypes and parameters
are handled as in :mod:`actlib.functions`, with the same accuracy.

At a kink the value follows PyTorch's autograd, so a chapter can compare the
two: ReLU's derivative at 0 is 0, leaky ReLU's is its slope, ELU's is
:math:`\alpha`, hard swish's is 0 at :math:`-3` and 1 at 3. At NaN the
derivative is NaN (PyTorch's autograd sometimes gives a number there; see
:mod:`actlib.nn.semantics`). Every formula is arranged so it neither
overflows nor cancels (e.g. :math:`\sigma' = \sigma(x)\sigma(-x)`, not
:math:`\sigma(1 - \sigma)`; the smooth gates' derivatives are rewritten next
to their zeros, see :mod:`actlib._kernels`).
"""

from __future__ import annotations

import numpy as np

from . import _kernels as kernels
from ._validate import checked, elementwise, f32_exact
from .functions import log_softmax, softmax, softmin

__all__ = [
    "d_identity", "d_sigmoid", "d_hard_sigmoid_keras", "d_hard_sigmoid_torch", "d_hardtanh",
    "d_tanh", "d_softsign", "d_softplus", "d_softplus_dbeta", "d_relu", "d_relu6",
    "d_clipped_relu", "d_leaky_relu", "d_leaky_relu_dnegative_slope", "d_prelu", "d_prelu_da",
    "d_rrelu", "d_thresholded_relu", "d_squared_relu", "d_hardshrink", "d_softshrink",
    "d_tanhshrink", "d_elu", "d_elu_dalpha", "d_celu", "d_selu", "d_gelu", "d_gelu_tanh",
    "d_gelu_sigmoid", "d_silu", "d_swish", "d_swish_dbeta", "d_hard_swish", "d_mish",
    "d_log_sigmoid", "jacobian_softmax", "jacobian_softmin", "jacobian_log_softmax",
    "jacobian_maxout", "jacobian_glu", "jacobian_swiglu", "jacobian_geglu", "jacobian_reglu",
    "jacobian_bilinear_glu",
]


def _ones_like(x):
    return kernels.keep_nan(x, np.ones_like(x))


def _step(x, inside, value: float):
    """``value`` where ``inside``, else 0, NaN at NaN."""
    return kernels.keep_nan(x, np.where(inside, value, 0.0))


@elementwise(native32=True)
def d_identity(x):
    """Derivative of the identity: 1."""
    return _ones_like(x)


@elementwise(native32=True)
def d_sigmoid(x):
    r"""Derivative of the sigmoid, :math:`\sigma(x)\,\sigma(-x)`; at most 1/4 (at 0)."""
    return kernels.sigmoid(x) * kernels.sigmoid(-x)


@elementwise(native32=True)
def d_hard_sigmoid_keras(x):
    """Derivative of the Keras hard sigmoid: 0.2 on the open interval (-2.5, 2.5), 0 elsewhere."""
    return _step(x, (x > -2.5) & (x < 2.5), 0.2)


@elementwise(native32=True)
def d_hard_sigmoid_torch(x):
    """Derivative of the PyTorch hard sigmoid: 1/6 on the open interval (-3, 3), 0 elsewhere."""
    return _step(x, (x > -3.0) & (x < 3.0), 1.0 / 6.0)


@elementwise(native32=lambda min_val, max_val: f32_exact(min_val, max_val))
def d_hardtanh(x, min_val=-1.0, max_val=1.0):
    """Derivative of hard tanh: 1 on the open interval (min_val, max_val), else 0 (PyTorch's 0 at the ends)."""
    return _step(x, (x > min_val) & (x < max_val), 1.0)


@elementwise
def d_tanh(x):
    r"""Derivative of tanh, :math:`\operatorname{sech}^2 x`, computed without cancellation."""
    return kernels.sech2(x)


@elementwise(native32=True)
def d_softsign(x):
    r"""Derivative of softsign."""
    r = 1.0 / (1.0 + np.abs(x))
    return r * r


@elementwise(native32=lambda beta, threshold: beta == 1.0 and f32_exact(threshold))
def d_softplus(x, beta=1.0, threshold=None):
    r"""Derivative of softplus, :math:`\sigma(\beta x)`; 1 past the threshold if one is given."""
    z = kernels.scaled(beta, x)
    out = kernels.sigmoid(z)
    return out if threshold is None else np.where(z > threshold, 1.0, out)


@elementwise
def d_softplus_dbeta(x, beta=1.0, threshold=None):
    r"""Derivative of softplus with respect to :math:`\beta`; 0 past the threshold if one is given."""
    out = kernels.d_softplus_dbeta(x, beta)
    return out if threshold is None else np.where(kernels.scaled(beta, x) > threshold, 0.0, out)


@elementwise(native32=True)
def d_log_sigmoid(x):
    r"""Derivative of the log-sigmoid, :math:`\sigma(-x)`."""
    return kernels.sigmoid(-x)


@elementwise(native32=True)
def d_relu(x):
    """Derivative of ReLU: 1 for x > 0, else 0 (0 at x = 0, as PyTorch)."""
    return _step(x, x > 0, 1.0)


@elementwise(native32=True)
def d_relu6(x):
    """Derivative of ReLU6: 1 on the open interval (0, 6), else 0."""
    return _step(x, (x > 0) & (x < 6.0), 1.0)


@elementwise(native32=lambda max_value: f32_exact(max_value))
def d_clipped_relu(x, max_value=20.0):
    """Derivative of the clipped ReLU: 1 on the open interval (0, max_value), else 0."""
    return _step(x, (x > 0) & (x < max_value), 1.0)


@elementwise(native32=True)
def d_leaky_relu(x, negative_slope=0.01):
    """Derivative of leaky ReLU: 1 for x > 0, else the slope (the slope at 0, as PyTorch)."""
    return kernels.keep_nan(x, np.where(x > 0, 1.0, negative_slope))


@elementwise(native32=True)
def d_leaky_relu_dnegative_slope(x, negative_slope=0.01):
    """Derivative of leaky ReLU with respect to the slope: ``min(x, 0)``."""
    return np.minimum(x, 0.0)


@elementwise(native32=True)
def d_prelu(x, a=0.25):
    """Derivative of PReLU with respect to x: 1 for x > 0, else ``a``."""
    return kernels.keep_nan(x, np.where(x > 0, 1.0, a))


@elementwise(native32=True)
def d_prelu_da(x, a=0.25):
    """Derivative of PReLU with respect to the learned slope: ``min(x, 0)``."""
    return np.minimum(x, 0.0)


@elementwise(native32=True)
def d_rrelu(x, lower=1.0 / 8.0, upper=1.0 / 3.0):
    """Derivative of RReLU in evaluation mode: 1 for x > 0, else ``(lower + upper) / 2``."""
    return kernels.keep_nan(x, np.where(x > 0, 1.0, (lower + upper) / 2.0))


@elementwise(native32=lambda theta: f32_exact(theta))
def d_thresholded_relu(x, theta=1.0):
    """Derivative of the thresholded ReLU: 1 for x > theta, else 0 (the jump has none)."""
    return _step(x, x > theta, 1.0)


@elementwise(native32=True)
def d_squared_relu(x):
    r"""Derivative of squared ReLU, :math:`2\max(0, x)`: continuous, 0 at 0, unbounded above."""
    return 2.0 * np.maximum(x, 0.0)


@elementwise(native32=lambda lambd: f32_exact(lambd))
def d_hardshrink(x, lambd=0.5):
    r"""Derivative of hard shrinkage: 1 for :math:`|x| > \lambda`, else 0 (PyTorch's 0 at :math:`\pm\lambda`)."""
    return _step(x, np.abs(x) > lambd, 1.0)


@elementwise(native32=lambda lambd: f32_exact(lambd))
def d_softshrink(x, lambd=0.5):
    r"""Derivative of soft shrinkage: 1 for :math:`|x| > \lambda`, else 0 (PyTorch's 0 at :math:`\pm\lambda`)."""
    return _step(x, np.abs(x) > lambd, 1.0)


@elementwise
def d_tanhshrink(x):
    r"""Derivative of tanh shrinkage, :math:`1 - \operatorname{sech}^2 x`, computed as :math:`\tanh^2 x`."""
    t = np.tanh(x)
    return t * t


@elementwise(native32=lambda alpha: alpha == 1.0)
def d_elu(x, alpha=1.0):
    r"""Derivative of ELU: 1 for x > 0, else :math:`\alpha e^{x}` (:math:`\alpha` at 0, as PyTorch)."""
    return np.where(x > 0, 1.0, kernels.c_exp(alpha, np.minimum(x, 0.0)))


@elementwise(native32=True)
def d_elu_dalpha(x, alpha=1.0):
    r"""Derivative of ELU with respect to :math:`\alpha`: :math:`e^{x} - 1` for x <= 0, else 0."""
    return np.where(x > 0, 0.0, np.expm1(np.minimum(x, 0.0)))


@elementwise(native32=lambda alpha: alpha == 1.0)
def d_celu(x, alpha=1.0):
    r"""Derivative of CELU: 1 for x > 0, else :math:`e^{x/\alpha}` (1 at 0 for every :math:`\alpha`)."""
    return kernels.d_celu(x, alpha)


@elementwise(native32=True)
def d_selu(x):
    r"""Derivative of SELU: :math:`\lambda` for x > 0, else :math:`\lambda\alpha e^{x}`."""
    return kernels.d_selu(x)


@elementwise
def d_gelu(x):
    r"""Derivative of GELU, exact down to underflow and next to its zero at :math:`x \approx -0.7518`."""
    return kernels.d_gelu(x)


@elementwise
def d_gelu_tanh(x):
    r"""Derivative of GELU's tanh approximation."""
    return kernels.d_gelu_tanh(x)


@elementwise
def d_gelu_sigmoid(x):
    r"""Derivative of GELU's sigmoid approximation (Swish's, with :math:`\beta` = ``GELU_SIGMOID_COEFF``)."""
    return kernels.d_swish(x, *kernels.GELU_SIGMOID_COEFF_DD)


@elementwise
def d_silu(x):
    r"""Derivative of SiLU, :math:`\sigma(x)\bigl(1 + x\,\sigma(-x)\bigr)`."""
    return kernels.d_swish(x, 1.0)


@elementwise
def d_swish(x, beta=1.0):
    r"""Derivative of Swish with respect to x."""
    return kernels.d_swish(x, beta)


@elementwise
def d_swish_dbeta(x, beta=1.0):
    r"""Derivative of Swish with respect to :math:`\beta`."""
    return kernels.x2_sig_sig(x, beta)


@elementwise
def d_hard_swish(x):
    r"""Derivative of hard swish: 0 up to -3, :math:`(x + 3/2)/3` on (-3, 3), 1 from 3 on
    (PyTorch's values at the kinks); ``x + 1.5`` is exact next to the zero at -1.5."""
    return kernels.keep_nan(x, np.where(x <= -3.0, 0.0, np.where(x < 3.0, (x + 1.5) / 3.0, 1.0)))


@elementwise
def d_mish(x):
    r"""Derivative of Mish."""
    return kernels.d_mish(x)


# ----------------------------------------------------------------------------
# Jacobians of the vector-valued activations
# ----------------------------------------------------------------------------

def _last_axis(x, axis):
    z, dtype, ax = kernels.prepare_axis(x, axis)
    return np.moveaxis(z, ax, -1), dtype


@checked
def jacobian_softmax(x, axis=-1, temperature=1.0):
    r"""Jacobian of :func:`~actlib.functions.softmax`.

    Returns shape ``batch + (n, n)``, where ``axis`` (length ``n``) is moved to
    the end and ``J[..., i, j] = d s_i / d x_j``.
    """
    z, dtype = _last_axis(x, axis)
    s = softmax(z, axis=-1, temperature=temperature)
    jac = (s[..., :, None] * (np.eye(s.shape[-1]) - s[..., None, :])) / temperature
    return jac.astype(dtype)


@checked
def jacobian_softmin(x, axis=-1, temperature=1.0):
    r"""Jacobian of :func:`~actlib.functions.softmin`, shape ``batch + (n, n)``: minus the
    softmax's, taken at :math:`-x`."""
    z, dtype = _last_axis(x, axis)
    s = softmin(z, axis=-1, temperature=temperature)
    jac = -(s[..., :, None] * (np.eye(s.shape[-1]) - s[..., None, :])) / temperature
    return jac.astype(dtype)


@checked
def jacobian_log_softmax(x, axis=-1, temperature=1.0):
    r"""Jacobian of :func:`~actlib.functions.log_softmax`, shape ``batch + (n, n)``."""
    z, dtype = _last_axis(x, axis)
    with np.errstate(under="ignore"):
        s = np.exp(log_softmax(z, axis=-1, temperature=temperature))
    jac = (np.eye(s.shape[-1]) - s[..., None, :]) / temperature
    return jac.astype(dtype)


@checked
def jacobian_maxout(x, k=2, axis=-1):
    """Jacobian of :func:`~actlib.functions.maxout`: a 1 at each group's arg-max.

    Where pieces tie for the maximum, the 1 is shared equally among them, as
    PyTorch's ``amax`` (which :class:`actlib.nn.Maxout` uses) shares the
    gradient. Returns shape ``batch + (n // k, n)``; the row of a group that
    holds a NaN is NaN.
    """
    groups, dtype, _ = kernels.maxout_groups(x, k, axis)
    top = groups == np.max(groups, axis=-1, keepdims=True)       # (..., n // k, k)
    share = top / np.maximum(top.sum(axis=-1, keepdims=True), 1)
    m = groups.shape[-2]
    jac = np.zeros((*groups.shape[:-2], m, m * k))
    rows = np.arange(m)
    for i in range(k):                  # piece i of unit j is entry j * k + i
        jac[..., rows, rows * k + i] = share[..., i]
    jac[np.isnan(groups).any(axis=-1)] = np.nan  # a group holding a NaN: NaN in, NaN out
    return jac.astype(dtype)


def _gate_halves(x, axis, name):
    """The value half ``a`` and gate half ``b`` of ``x`` with the split axis last, and the dtype."""
    a, b, dtype, ax = kernels.halves(x, axis, name)
    return np.moveaxis(a, ax, -1), np.moveaxis(b, ax, -1), dtype


def _gated_jacobian(a, b, gate, dgate, dtype):
    """``[diag(gate) | diag(a * dgate)]``; the row of a unit whose value or gate is NaN is NaN."""
    eye = np.eye(a.shape[-1])
    with np.errstate(over="ignore", invalid="ignore"):  # a product beyond float max is inf
        jac = np.concatenate([eye * gate[..., None], eye * (a * dgate)[..., None]], axis=-1)
    jac[np.isnan(a) | np.isnan(b)] = np.nan
    return jac.astype(dtype)


@checked
def jacobian_glu(x, axis=-1):
    r"""Jacobian of :func:`~actlib.functions.glu`, shape ``batch + (n/2, n)``.

    :math:`\partial o_i/\partial a_i = \sigma(b_i)`,
    :math:`\partial o_i/\partial b_i = a_i\,\sigma(b_i)\sigma(-b_i)`.
    """
    a, b, dtype = _gate_halves(x, axis, "glu")
    with np.errstate(under="ignore"):
        s = kernels.sigmoid(b)
        return _gated_jacobian(a, b, s, s * kernels.sigmoid(-b), dtype)


@checked
def jacobian_swiglu(x, axis=-1):
    r"""Jacobian of :func:`~actlib.functions.swiglu`, shape ``batch + (n/2, n)``.

    :math:`\partial o_i/\partial a_i = \operatorname{SiLU}(b_i)`,
    :math:`\partial o_i/\partial b_i = a_i\,\operatorname{SiLU}'(b_i)`.
    """
    a, b, dtype = _gate_halves(x, axis, "swiglu")
    with np.errstate(under="ignore", over="ignore"):
        return _gated_jacobian(a, b, kernels.x_sigmoid(b, b), kernels.d_swish(b, 1.0), dtype)


@checked
def jacobian_geglu(x, axis=-1):
    r"""Jacobian of :func:`~actlib.functions.geglu`, shape ``batch + (n/2, n)``.

    :math:`\partial o_i/\partial a_i = \operatorname{GELU}(b_i)`,
    :math:`\partial o_i/\partial b_i = a_i\,\operatorname{GELU}'(b_i)`.
    """
    a, b, dtype = _gate_halves(x, axis, "geglu")
    with np.errstate(under="ignore", over="ignore"):
        return _gated_jacobian(a, b, kernels.gelu(b), kernels.d_gelu(b), dtype)


@checked
def jacobian_reglu(x, axis=-1):
    r"""Jacobian of :func:`~actlib.functions.reglu`, shape ``batch + (n/2, n)``.

    :math:`\partial o_i/\partial b_i = a_i` where :math:`b_i > 0`, else 0 (0 at
    :math:`b_i = 0`, as PyTorch's ReLU).
    """
    a, b, dtype = _gate_halves(x, axis, "reglu")
    return _gated_jacobian(a, b, np.maximum(b, 0.0), (b > 0).astype(np.float64), dtype)


@checked
def jacobian_bilinear_glu(x, axis=-1):
    r"""Jacobian of :func:`~actlib.functions.bilinear_glu`, shape ``batch + (n/2, n)``:
    :math:`\partial o_i/\partial a_i = b_i`, :math:`\partial o_i/\partial b_i = a_i`."""
    a, b, dtype = _gate_halves(x, axis, "bilinear_glu")
    return _gated_jacobian(a, b, b, np.ones_like(b), dtype)
