r"""Analytic derivatives of the activations in :mod:`actlib.functions`.

``d_<name>(x, **params)`` is :math:`\partial f / \partial x`, elementwise;
``d_<name>_d<param>(x, **params)`` is the derivative with respect to a
parameter (PReLU's ``a``, Swish's ``beta``, ELU's ``alpha`` ...). For the
vector-valued activations ``jacobian_<name>`` returns the Jacobian over the
last axis (see each docstring for its shape).

At a kink the value follows PyTorch's autograd, so a chapter can compare the
two: ReLU's derivative at 0 is 0, leaky ReLU's is its slope, ELU's is
:math:`\alpha`, hard swish's is 0 at :math:`-3` and 1 at 3.
Every formula is arranged so it neither overflows nor cancels badly
(e.g. :math:`\sigma' = \sigma(x)\sigma(-x)`, not :math:`\sigma(1 - \sigma)`).
"""

from __future__ import annotations

import math

import numpy as np
from scipy import special

from ._validate import check_param, elementwise
from .functions import (
    _SQRT_2_OVER_PI,
    GELU_SIGMOID_COEFF,
    GELU_TANH_COEFF,
    SELU_ALPHA,
    SELU_SCALE,
    _gelu_tanh_arg,
    _halves,
    _keep_nan,
    _prepare_axis,
    _scaled,
    _sech2,
    _sigmoid,
    _softplus,
    log_softmax,
    softmax,
)

__all__ = [
    "d_identity", "d_sigmoid", "d_hard_sigmoid_keras", "d_hard_sigmoid_torch", "d_tanh",
    "d_softsign", "d_softplus", "d_softplus_dbeta", "d_relu", "d_relu6", "d_clipped_relu",
    "d_leaky_relu", "d_leaky_relu_dnegative_slope", "d_prelu", "d_prelu_da", "d_rrelu",
    "d_thresholded_relu", "d_elu", "d_elu_dalpha", "d_celu", "d_selu", "d_gelu", "d_gelu_tanh",
    "d_gelu_sigmoid", "d_silu", "d_swish", "d_swish_dbeta", "d_hard_swish", "d_mish",
    "d_log_sigmoid", "jacobian_softmax", "jacobian_log_softmax", "jacobian_maxout",
    "jacobian_glu", "jacobian_swiglu",
]

_CLIP = 800.0  # |t| beyond which sigma(-|t|) is exactly 0 in float64


def _t_sig_sig(t):
    """``t * sigma(t) * sigma(-t)`` without ``inf * 0``."""
    tc = np.clip(t, -_CLIP, _CLIP)
    return tc * _sigmoid(tc) * _sigmoid(-tc)


def _ones_like(x):
    return _keep_nan(x, np.ones_like(x))


@elementwise(native32=True)
def d_identity(x):
    """Derivative of the identity: 1."""
    return _ones_like(x)


@elementwise(native32=True)
def d_sigmoid(x):
    r""":math:`\sigma'(x) = \sigma(x)\,\sigma(-x) = \sigma(x)(1 - \sigma(x))`, at most 1/4 (at 0)."""
    return _sigmoid(x) * _sigmoid(-x)


@elementwise(native32=True)
def d_hard_sigmoid_keras(x):
    """0.2 on the open interval (-2.5, 2.5), 0 elsewhere."""
    return _keep_nan(x, np.where((x > -2.5) & (x < 2.5), 0.2, 0.0))


@elementwise(native32=True)
def d_hard_sigmoid_torch(x):
    """1/6 on the open interval (-3, 3), 0 elsewhere (as PyTorch's autograd)."""
    return _keep_nan(x, np.where((x > -3.0) & (x < 3.0), 1.0 / 6.0, 0.0))


@elementwise
def d_tanh(x):
    r""":math:`\tanh'(x) = 1 - \tanh^2 x = \operatorname{sech}^2 x`. Not :math:`(1 - \tanh x)^2`."""
    return _sech2(x)


@elementwise(native32=True)
def d_softsign(x):
    r""":math:`1/(1 + |x|)^2`."""
    r = 1.0 / (1.0 + np.abs(x))
    return r * r


@elementwise(native32=True)
def d_softplus(x, beta=1.0, threshold=20.0):
    r""":math:`\sigma(\beta x)`; 1 where :math:`\beta x >` threshold (the linear branch)."""
    beta = check_param("beta", beta, 0.0, math.inf, low_open=True)
    threshold = check_param("threshold", threshold, 0.0, math.inf, low_open=True, allow_inf=True)
    z = _scaled(beta, x)
    return np.where(z > threshold, 1.0, _sigmoid(z))


@elementwise
def d_softplus_dbeta(x, beta=1.0, threshold=20.0):
    r"""Derivative with respect to :math:`\beta`; 0 past the threshold.

    .. math:: \partial f/\partial\beta = \bigl(\beta x\,\sigma(\beta x) - \log(1 + e^{\beta x})\bigr)/\beta^2
    """
    beta = check_param("beta", beta, 0.0, math.inf, low_open=True)
    threshold = check_param("threshold", threshold, 0.0, math.inf, low_open=True, allow_inf=True)
    z = _scaled(beta, x)
    # z*sigma(z) - softplus(z) = -(log1p(e^{-|z|}) + |z| sigma(-|z|)) : no cancellation
    az = np.abs(np.clip(z, -_CLIP, _CLIP))
    g = -(np.log1p(np.exp(-az)) + az * _sigmoid(-az)) / (beta * beta)
    return _keep_nan(x, np.where(z > threshold, 0.0, g))


@elementwise(native32=True)
def d_log_sigmoid(x):
    r""":math:`\sigma(-x)`."""
    return _sigmoid(-x)


@elementwise(native32=True)
def d_relu(x):
    """1 for x > 0, else 0 (0 at x = 0, as PyTorch)."""
    return _keep_nan(x, np.where(x > 0, 1.0, 0.0))


@elementwise(native32=True)
def d_relu6(x):
    """1 on the open interval (0, 6), else 0."""
    return _keep_nan(x, np.where((x > 0) & (x < 6.0), 1.0, 0.0))


@elementwise(native32=True)
def d_clipped_relu(x, max_value=20.0):
    """1 on the open interval (0, max_value), else 0."""
    max_value = check_param("max_value", max_value, 0.0, math.inf, low_open=True)
    return _keep_nan(x, np.where((x > 0) & (x < max_value), 1.0, 0.0))


@elementwise(native32=True)
def d_leaky_relu(x, negative_slope=0.01):
    """1 for x > 0, else the slope (the slope at 0, as PyTorch)."""
    a = check_param("negative_slope", negative_slope, 0.0, 1.0)
    return _keep_nan(x, np.where(x > 0, 1.0, a))


@elementwise(native32=True)
def d_leaky_relu_dnegative_slope(x, negative_slope=0.01):
    """Derivative with respect to the slope: ``min(x, 0)``."""
    check_param("negative_slope", negative_slope, 0.0, 1.0)
    return np.minimum(x, 0.0)


@elementwise(native32=True)
def d_prelu(x, a=0.25):
    """1 for x > 0, else ``a``."""
    a = check_param("a", a)
    return _keep_nan(x, np.where(x > 0, 1.0, a))


@elementwise(native32=True)
def d_prelu_da(x, a=0.25):
    r""":math:`\partial f/\partial a = \min(x, 0)`: the learned slope's gradient."""
    check_param("a", a)
    return np.minimum(x, 0.0)


def d_rrelu(x, lower=1.0 / 8.0, upper=1.0 / 3.0):
    """Derivative in evaluation mode: 1 for x > 0, else ``(lower + upper) / 2``."""
    lower = check_param("lower", lower, 0.0, 1.0)
    upper = check_param("upper", upper, 0.0, 1.0)
    if lower > upper:
        raise ValueError(f"parameter lower={lower} must not exceed upper={upper}")
    return d_leaky_relu(x, negative_slope=(lower + upper) / 2.0)


@elementwise(native32=True)
def d_thresholded_relu(x, theta=1.0):
    """1 for x > theta, else 0 (the jump at theta has no derivative)."""
    theta = check_param("theta", theta, 0.0, math.inf)
    return _keep_nan(x, np.where(x > theta, 1.0, 0.0))


@elementwise(native32=True)
def d_elu(x, alpha=1.0):
    r"""1 for x > 0, else :math:`\alpha e^{x}` (:math:`\alpha` at 0, as PyTorch)."""
    alpha = check_param("alpha", alpha, 0.0, math.inf)
    return np.where(x > 0, 1.0, alpha * np.exp(np.minimum(x, 0.0)))


@elementwise(native32=True)
def d_elu_dalpha(x, alpha=1.0):
    r""":math:`\partial f/\partial\alpha = e^{x} - 1` for x <= 0, else 0."""
    check_param("alpha", alpha, 0.0, math.inf)
    return np.where(x > 0, 0.0, np.expm1(np.minimum(x, 0.0)))


@elementwise(native32=True)
def d_celu(x, alpha=1.0):
    r"""1 for x > 0, else :math:`e^{x/\alpha}` (1 at 0 for every :math:`\alpha`)."""
    alpha = check_param("alpha", alpha, 0.0, math.inf, low_open=True)
    return np.where(x > 0, 1.0, np.exp(_scaled(1.0 / alpha, np.minimum(x, 0.0))))


@elementwise(native32=True)
def d_selu(x):
    r""":math:`\lambda` for x > 0, else :math:`\lambda\alpha e^{x}`."""
    return SELU_SCALE * np.where(x > 0, 1.0, SELU_ALPHA * np.exp(np.minimum(x, 0.0)))


@elementwise
def d_gelu(x):
    r""":math:`\Phi(x) + x\,\varphi(x)`."""
    xc = np.clip(x, -40.0, 40.0)  # phi(40) underflows to 0
    phi = np.exp(-0.5 * xc * xc) / math.sqrt(2.0 * math.pi)
    return special.ndtr(x) + xc * phi


@elementwise
def d_gelu_tanh(x):
    r""":math:`\sigma(2u) + 2x\,\sigma(2u)\sigma(-2u)\,u'(x)`, with :math:`u = \sqrt{2/\pi}(x + 0.044715x^3)`."""
    t = _gelu_tanh_arg(x)
    xc = np.clip(x, -1e3, 1e3)  # beyond, sigma(t) sigma(-t) is exactly 0
    du = _SQRT_2_OVER_PI * (1.0 + 3.0 * GELU_TANH_COEFF * xc * xc)
    return _sigmoid(t) + 2.0 * xc * _sigmoid(t) * _sigmoid(-t) * du


@elementwise
def d_gelu_sigmoid(x):
    r""":math:`\sigma(cx) + cx\,\sigma(cx)\sigma(-cx)`, :math:`c = 1.702`."""
    t = _scaled(GELU_SIGMOID_COEFF, x)
    return _sigmoid(t) + _t_sig_sig(t)


@elementwise
def d_silu(x):
    r""":math:`\sigma(x)\bigl(1 + x\,\sigma(-x)\bigr)`."""
    return _sigmoid(x) + _t_sig_sig(x)


@elementwise
def d_swish(x, beta=1.0):
    r""":math:`\sigma(\beta x) + \beta x\,\sigma(\beta x)\sigma(-\beta x)`."""
    beta = check_param("beta", beta)
    t = _scaled(beta, x)
    return _sigmoid(t) + _t_sig_sig(t)


@elementwise
def d_swish_dbeta(x, beta=1.0):
    r""":math:`\partial f/\partial\beta = x^2\,\sigma(\beta x)\sigma(-\beta x)`."""
    beta = check_param("beta", beta)
    t = _scaled(beta, x)
    with np.errstate(over="ignore", invalid="ignore"):
        g = x * x * _sigmoid(t) * _sigmoid(-t)
    return np.where(np.abs(t) > _CLIP, 0.0, g)


@elementwise
def d_hard_swish(x):
    r"""0 up to -3, :math:`x/3 + 1/2` on (-3, 3), 1 from 3 on (PyTorch's values at the kinks)."""
    return _keep_nan(x, np.where(x <= -3.0, 0.0, np.where(x < 3.0, x / 3.0 + 0.5, 1.0)))


@elementwise
def d_mish(x):
    r""":math:`\tanh(s) + x\,\operatorname{sech}^2(s)\,\sigma(x)`, :math:`s = \operatorname{softplus}(x)`."""
    s = _softplus(x)
    xc = np.clip(x, -_CLIP, _CLIP)
    return np.tanh(s) + xc * _sech2(s) * _sigmoid(xc)


# ----------------------------------------------------------------------------
# Jacobians of the vector-valued activations
# ----------------------------------------------------------------------------

def _last_axis(x, axis):
    z, dtype, ax = _prepare_axis(x, axis)
    return np.moveaxis(z, ax, -1), dtype


def jacobian_softmax(x, axis=-1, temperature=1.0):
    r"""Jacobian of :func:`~actlib.functions.softmax`: :math:`J_{ij} = s_i(\delta_{ij} - s_j)/T`.

    Returns shape ``batch + (n, n)``, where ``axis`` (length ``n``) is moved to
    the end and ``J[..., i, j] = d s_i / d x_j``.
    """
    z, dtype = _last_axis(x, axis)
    t = check_param("temperature", temperature, 0.0, math.inf, low_open=True)
    s = softmax(z, axis=-1, temperature=t)
    jac = (s[..., :, None] * (np.eye(s.shape[-1]) - s[..., None, :])) / t
    return jac.astype(dtype)


def jacobian_log_softmax(x, axis=-1, temperature=1.0):
    r"""Jacobian of :func:`~actlib.functions.log_softmax`: :math:`J_{ij} = (\delta_{ij} - s_j)/T`."""
    z, dtype = _last_axis(x, axis)
    t = check_param("temperature", temperature, 0.0, math.inf, low_open=True)
    with np.errstate(under="ignore"):
        s = np.exp(log_softmax(z, axis=-1, temperature=t))
    jac = (np.eye(s.shape[-1]) - s[..., None, :]) / t
    return jac.astype(dtype)


def jacobian_maxout(x, k=2, axis=-1):
    """Jacobian of :func:`~actlib.functions.maxout`: a 1 at each group's (first) arg-max.

    Returns shape ``batch + (n // k, n)``.
    """
    z, dtype = _last_axis(x, axis)
    k = check_param("k", k, 1, math.inf, integer=True)
    n = z.shape[-1]
    if n % k:
        raise ValueError(f"maxout: the input's length along axis {axis} ({n}) is not divisible by k={k}")
    groups = z.reshape(*z.shape[:-1], n // k, k)
    winner = np.argmax(groups, axis=-1) + k * np.arange(n // k)
    jac = (np.arange(n) == winner[..., None]).astype(np.float64)
    return jac.astype(dtype)


def _gated_jacobian(a, b, gate, dgate, dtype):
    eye = np.eye(a.shape[-1])
    with np.errstate(over="ignore"):  # a product beyond float max is inf
        jac = np.concatenate([eye * gate[..., None], eye * (a * dgate)[..., None]], axis=-1)
    return jac.astype(dtype)


def jacobian_glu(x, axis=-1):
    r"""Jacobian of :func:`~actlib.functions.glu`, shape ``batch + (n/2, n)``.

    :math:`\partial o_i/\partial a_i = \sigma(b_i)`,
    :math:`\partial o_i/\partial b_i = a_i\,\sigma(b_i)\sigma(-b_i)`.
    """
    a, b, dtype, ax = _halves(x, axis, "glu")
    a, b = np.moveaxis(a, ax, -1), np.moveaxis(b, ax, -1)
    with np.errstate(under="ignore"):
        return _gated_jacobian(a, b, _sigmoid(b), _sigmoid(b) * _sigmoid(-b), dtype)


def jacobian_swiglu(x, axis=-1):
    r"""Jacobian of :func:`~actlib.functions.swiglu`, shape ``batch + (n/2, n)``.

    :math:`\partial o_i/\partial a_i = \operatorname{SiLU}(b_i)`,
    :math:`\partial o_i/\partial b_i = a_i\,\operatorname{SiLU}'(b_i)`.
    """
    a, b, dtype, ax = _halves(x, axis, "swiglu")
    a, b = np.moveaxis(a, ax, -1), np.moveaxis(b, ax, -1)
    with np.errstate(under="ignore"):
        return _gated_jacobian(a, b, b * _sigmoid(b), _sigmoid(b) + _t_sig_sig(b), dtype)
