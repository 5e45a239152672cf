r"""Activation functions in numpy: one short, numerically stable function each.

Every function takes a real number or array ``x`` (float16/32/64 keep their
dtype, integers become float64), validates its parameters, and never emits an
overflow warning for a finite input. NaN propagates and ``±inf`` give the
mathematical limits. Internally the arithmetic is done in float64, so a
float32 result is the correctly rounded value of a far more accurate one.

The chapter that introduces each function is named in its docstring.
"""

from __future__ import annotations

import math

import numpy as np
from scipy import special

from ._validate import as_float_array, check_axis, check_param, elementwise

__all__ = [
    "identity", "sigmoid", "hard_sigmoid_keras", "hard_sigmoid_torch", "tanh", "softsign",
    "softplus", "relu", "relu6", "clipped_relu", "leaky_relu", "prelu", "rrelu",
    "thresholded_relu", "elu", "celu", "selu", "gelu", "gelu_tanh", "gelu_sigmoid", "silu",
    "swish", "hard_swish", "mish", "log_sigmoid", "softmax", "log_softmax", "maxout", "glu",
    "swiglu", "SELU_ALPHA", "SELU_SCALE", "GELU_TANH_COEFF", "GELU_SIGMOID_COEFF",
]

#: SELU's :math:`\alpha` and :math:`\lambda`, to the digits published by
#: Klambauer et al. (2017); ``tests`` re-derive both from the fixed-point equations.
SELU_ALPHA = 1.6732632423543772848170429916717
SELU_SCALE = 1.0507009873554804934193349852946
#: The cubic coefficient of GELU's tanh approximation (Hendrycks & Gimpel 2016).
GELU_TANH_COEFF = 0.044715
#: The slope in GELU's sigmoid approximation :math:`x\,\sigma(1.702x)`.
GELU_SIGMOID_COEFF = 1.702
_SQRT_2_OVER_PI = math.sqrt(2.0 / math.pi)


# ----------------------------------------------------------------------------
# float64 building blocks (no validation; used by functions and derivatives)
# ----------------------------------------------------------------------------

def _sigmoid(x):
    """Stable logistic sigmoid: e^{min(x,0)} / (1 + e^{-|x|}) never exponentiates a
    positive number, and needs no np.where (slower here than the second exp)."""
    return np.exp(np.minimum(x, 0.0)) / (1.0 + np.exp(-np.abs(x)))


def _softplus(x):
    """log(1 + e^x) without overflow: max(x, 0) + log1p(e^{-|x|})."""
    return np.maximum(x, 0.0) + np.log1p(np.exp(-np.abs(x)))


def _sech2(x):
    """sech^2(x) = 1 - tanh^2(x), computed without cancellation or overflow."""
    e = np.exp(-np.abs(x))
    e = e * e  # e^{-2|x|}, without forming 2|x| (which overflows at float max)
    return 4.0 * e / ((1.0 + e) * (1.0 + e))


def _gate(x, g):
    """``x * g`` for a gate ``g`` that decays faster than ``1/|x|`` where it tends to 0.

    Fixes the one undefined product, ``±inf * 0``, to its limit, a signed zero.
    """
    with np.errstate(invalid="ignore"):
        out = x * g
    inf = np.isinf(x)
    if inf.any():  # rare: fix only then
        out = np.where(inf & (g == 0), np.copysign(0.0, x), out)
    return out


def _keep_nan(x, out):
    """Make sure NaN inputs give NaN outputs (comparisons would turn them into 0)."""
    return np.where(np.isnan(x), np.nan, out)


def _far_left(x, *args, **kwargs):
    """Inputs whose float32 results are subnormal (or nearly): recompute those in float64."""
    return x < -60.0


def _scaled(beta, x):
    """``beta * x`` where overflow to ``±inf`` is the intended limit."""
    with np.errstate(over="ignore", invalid="ignore"):
        return beta * x


# ----------------------------------------------------------------------------
# Sigmoid family (chapter: Sigmoid, tanh and their relatives)
# ----------------------------------------------------------------------------

@elementwise(native32=True)
def identity(x):
    r"""Identity (linear) activation.

    .. math:: f(x) = x

    With it, a stack of layers collapses to one linear map (chapter: Why
    non-linearity).

    Examples:
        >>> identity([-1.0, 2.0])
        array([-1.,  2.])
    """
    return x.copy()


@elementwise(native32=True)
def sigmoid(x):
    r"""Logistic sigmoid.

    .. math:: \sigma(x) = \frac{1}{1 + e^{-x}}

    Computed as ``1 / (1 + e^{-x})`` for ``x >= 0`` and ``e^{x} / (1 + e^{x})``
    otherwise, so ``exp`` never sees a large positive argument.

    Args:
        x: real input.

    Returns:
        Values in :math:`(0, 1)`; exactly 0 and 1 only where float rounding
        forces it (and at :math:`\mp\infty`).

    Examples:
        >>> sigmoid(0.0)
        np.float64(0.5)
        >>> sigmoid([-1000.0, 1000.0])
        array([0., 1.])

    See also: :func:`log_sigmoid`, :func:`tanh` (:math:`\tanh x = 2\sigma(2x) - 1`).
    Paper: Rumelhart, Hinton & Williams (1986).
    """
    return _sigmoid(x)


@elementwise(native32=True)
def hard_sigmoid_keras(x):
    r"""Hard sigmoid, Keras 2 / Theano convention: slope 0.2.

    .. math:: f(x) = \operatorname{clip}(0.2x + 0.5,\ 0,\ 1)

    Reaches 0 at :math:`x = -2.5` and 1 at :math:`x = 2.5`. Computed as
    ``(x + 2.5) / 5`` so it stays accurate next to :math:`x = -2.5`. Keras 3
    switched to the PyTorch convention, :func:`hard_sigmoid_torch`.

    Examples:
        >>> hard_sigmoid_keras([-3.0, 0.0, 1.0])
        array([0. , 0.5, 0.7])
    """
    return np.clip((x + 2.5) / 5.0, 0.0, 1.0)


@elementwise(native32=True)
def hard_sigmoid_torch(x):
    r"""Hard sigmoid, PyTorch / MobileNetV3 convention: slope 1/6.

    .. math:: f(x) = \frac{\operatorname{ReLU6}(x + 3)}{6} = \operatorname{clip}(x/6 + 1/2,\ 0,\ 1)

    Matches ``torch.nn.Hardsigmoid``; reaches 0 at :math:`x = -3` and 1 at
    :math:`x = 3`.

    Examples:
        >>> hard_sigmoid_torch([-3.0, 0.0, 3.0])
        array([0. , 0.5, 1. ])
    """
    return np.clip(x + 3.0, 0.0, 6.0) / 6.0


@elementwise(native32=True)
def tanh(x):
    r"""Hyperbolic tangent.

    .. math:: \tanh x = \frac{e^{x} - e^{-x}}{e^{x} + e^{-x}} = 2\sigma(2x) - 1

    Its derivative is :math:`1 - \tanh^2 x` (not :math:`(1 - \tanh x)^2`).

    Examples:
        >>> tanh([0.0, 1000.0])
        array([0., 1.])
    """
    return np.tanh(x)


@elementwise(native32=True)
def softsign(x):
    r"""Softsign: a sigmoid-shaped curve with polynomial, not exponential, tails.

    .. math:: f(x) = \frac{x}{1 + |x|}

    Examples:
        >>> softsign([-1.0, 0.0, 3.0])
        array([-0.5 ,  0.  ,  0.75])
    """
    ax = np.abs(x)
    with np.errstate(invalid="ignore"):
        near = x / (1.0 + ax)
        far = np.sign(x) * (1.0 - 1.0 / (1.0 + ax))
    return np.where(ax < 1.0, near, far)


@elementwise(native32=True)
def softplus(x, beta=1.0, threshold=20.0):
    r"""Softplus, a smooth ReLU whose derivative is the sigmoid.

    .. math:: f(x) = \frac{1}{\beta}\log\bigl(1 + e^{\beta x}\bigr)

    Like ``torch.nn.Softplus``, the function reverts to ``x`` where
    :math:`\beta x > \text{threshold}` (the difference there is below
    :math:`e^{-\text{threshold}}/\beta`). Pass ``threshold=inf`` for the exact
    function. Computed as :math:`\max(x, 0) + \log1p(e^{-|\beta x|})/\beta`.

    Args:
        x: real input.
        beta: sharpness, :math:`\beta > 0`; large :math:`\beta` approaches ReLU.
        threshold: where to switch to the identity, :math:`> 0` (``inf`` allowed).

    Examples:
        >>> softplus(0.0)
        np.float64(0.6931471805599453)
        >>> softplus([-1000.0, 1000.0])
        array([   0., 1000.])
    """
    beta = check_param("beta", beta, 0.0, math.inf, low_open=True)
    threshold = check_param("threshold", threshold, 0.0, math.inf, low_open=True, allow_inf=True)
    z = _scaled(beta, x)
    smooth = np.maximum(x, 0.0) + np.log1p(np.exp(-np.abs(z))) / beta
    return np.where(z > threshold, x, smooth)


@elementwise(native32=True)
def log_sigmoid(x):
    r"""Log-sigmoid, :math:`\log\sigma(x) = -\operatorname{softplus}(-x)`.

    .. math:: f(x) = \log\frac{1}{1 + e^{-x}} = \min(x, 0) - \log1p(e^{-|x|})

    Examples:
        >>> log_sigmoid([-1000.0, 0.0]).tolist()
        [-1000.0, -0.6931471805599453]
    """
    return np.minimum(x, 0.0) - np.log1p(np.exp(-np.abs(x)))


# ----------------------------------------------------------------------------
# Rectifiers (chapter: The rectifiers)
# ----------------------------------------------------------------------------

@elementwise(native32=True)
def relu(x):
    r"""Rectified linear unit.

    .. math:: \operatorname{ReLU}(x) = \max(0, x)

    Examples:
        >>> relu([-2.0, 0.0, 3.0])
        array([0., 0., 3.])
    """
    return np.maximum(x, 0.0)


@elementwise(native32=True)
def relu6(x):
    r"""ReLU capped at 6, as in ``torch.nn.ReLU6``.

    .. math:: f(x) = \min(\max(0, x), 6)

    Examples:
        >>> relu6([-1.0, 3.0, 9.0])
        array([0., 3., 6.])
    """
    return np.clip(x, 0.0, 6.0)


@elementwise(native32=True)
def clipped_relu(x, max_value=20.0):
    r"""ReLU clipped at ``max_value`` (Deep Speech used 20; ReLU6 uses 6).

    .. math:: f(x) = \min(\max(0, x), m)

    Args:
        max_value: the cap :math:`m > 0`.

    Examples:
        >>> clipped_relu([-1.0, 5.0, 50.0], max_value=20.0)
        array([ 0.,  5., 20.])
    """
    max_value = check_param("max_value", max_value, 0.0, math.inf, low_open=True)
    return np.clip(x, 0.0, max_value)


@elementwise(native32=True)
def leaky_relu(x, negative_slope=0.01):
    r"""Leaky ReLU: a small fixed slope for negative inputs.

    .. math:: f(x) = \begin{cases} x & x \ge 0 \\ \alpha x & x < 0 \end{cases}

    Args:
        negative_slope: :math:`\alpha \in [0, 1]`; 0.01 in PyTorch, 0.3 in Keras' layer.

    Examples:
        >>> leaky_relu([-100.0, 2.0])
        array([-1.,  2.])
    """
    a = check_param("negative_slope", negative_slope, 0.0, 1.0)
    return np.maximum(x, a * x)  # exact for 0 <= a <= 1, and faster than np.where


@elementwise(native32=True)
def prelu(x, a=0.25):
    r"""Parametric ReLU: the negative slope ``a`` is learned (initialised to 0.25).

    .. math:: f(x) = \begin{cases} x & x \ge 0 \\ a x & x < 0 \end{cases}

    Here ``a`` is one scalar; :class:`actlib.nn.PReLU` learns one per channel
    if asked. Any real ``a`` is allowed, since training may move it anywhere.

    Examples:
        >>> prelu([-4.0, 2.0])
        array([-1.,  2.])
    """
    a = check_param("a", a)
    if 0.0 <= a <= 1.0:
        return np.maximum(x, a * x)
    if a > 1.0:
        return np.minimum(x, a * x)
    return np.where(x >= 0, x, a * x)


def rrelu(x, lower=1.0 / 8.0, upper=1.0 / 3.0, training=False, rng=None):
    r"""Randomised leaky ReLU (Xu et al. 2015).

    .. math:: f(x) = \begin{cases} x & x \ge 0 \\ a x & x < 0 \end{cases},\quad
              a \sim U(l, u) \text{ when training},\ a = \tfrac{l + u}{2} \text{ in evaluation}

    Args:
        lower, upper: :math:`0 \le l \le u \le 1`; PyTorch's defaults 1/8 and 1/3.
        training: draw a fresh slope per element from ``rng``.
        rng: a ``numpy.random.Generator`` (required for reproducibility when training).

    Examples:
        >>> rrelu([-24.0, 2.0])   # evaluation: slope (1/8 + 1/3) / 2 = 11/48
        array([-5.5,  2. ])
    """
    lower = check_param("lower", lower, 0.0, 1.0)
    upper = check_param("upper", upper, 0.0, 1.0)
    if lower > upper:
        raise ValueError(f"parameter lower={lower} must not exceed upper={upper}")
    if not training:
        return leaky_relu(x, negative_slope=(lower + upper) / 2.0)
    arr, dtype, was_scalar = as_float_array(x)
    if rng is None:
        rng = np.random.default_rng()
    elif not isinstance(rng, np.random.Generator):
        raise TypeError(f"rng must be a numpy.random.Generator, got {type(rng).__name__}")
    slopes = rng.uniform(lower, upper, size=arr.shape)
    xf = arr.astype(np.float64)
    out = np.where(xf >= 0, xf, slopes * xf).astype(dtype)
    return out[()] if was_scalar else out


@elementwise(native32=True)
def thresholded_relu(x, theta=1.0):
    r"""Thresholded ReLU (Keras ``ThresholdedReLU``): zero up to ``theta``, then ``x``.

    .. math:: f(x) = \begin{cases} x & x > \theta \\ 0 & \text{otherwise} \end{cases}

    Discontinuous at :math:`\theta` when :math:`\theta > 0`.

    Args:
        theta: threshold :math:`\theta \ge 0` (Keras' default 1.0).

    Examples:
        >>> thresholded_relu([0.5, 1.0, 1.5])
        array([0. , 0. , 1.5])
    """
    theta = check_param("theta", theta, 0.0, math.inf)
    return _keep_nan(x, np.where(x > theta, x, 0.0))


# ----------------------------------------------------------------------------
# Exponential linear units (chapter: Exponential linear units)
# ----------------------------------------------------------------------------

@elementwise(native32=True)
def elu(x, alpha=1.0):
    r"""Exponential linear unit.

    .. math:: f(x) = \begin{cases} x & x > 0 \\ \alpha (e^{x} - 1) & x \le 0 \end{cases}

    The negative branch is ``alpha * expm1(min(x, 0))``, so the branch not
    taken never overflows. Saturates to :math:`-\alpha`; continuously
    differentiable only when :math:`\alpha = 1`.

    Args:
        alpha: :math:`\alpha \ge 0`; 1.0 in the paper and in every major library.

    Examples:
        >>> elu([-1000.0, 0.0, 2.0])
        array([-1.,  0.,  2.])
    """
    alpha = check_param("alpha", alpha, 0.0, math.inf)
    # max(x, 0) + alpha expm1(min(x, 0)): one branch is exactly 0 on each side
    return np.maximum(x, 0.0) + alpha * np.expm1(np.minimum(x, 0.0))


@elementwise(native32=True)
def celu(x, alpha=1.0):
    r"""Continuously differentiable ELU (Barron 2017).

    .. math:: f(x) = \max(0, x) + \min\bigl(0, \alpha (e^{x/\alpha} - 1)\bigr)

    Its derivative is 1 at 0 for every :math:`\alpha`, unlike ELU's.

    Args:
        alpha: :math:`\alpha > 0`.

    Examples:
        >>> celu([-1000.0, 2.0], alpha=2.0)
        array([-2.,  2.])
    """
    alpha = check_param("alpha", alpha, 0.0, math.inf, low_open=True)
    return np.where(x > 0, x, alpha * np.expm1(_scaled(1.0 / alpha, np.minimum(x, 0.0))))


@elementwise(native32=True)
def selu(x):
    r"""Scaled ELU with the self-normalising constants of Klambauer et al. (2017).

    .. math:: f(x) = \lambda \begin{cases} x & x > 0 \\ \alpha (e^{x} - 1) & x \le 0 \end{cases},
              \quad \alpha \approx 1.6733,\ \lambda \approx 1.0507

    The constants (:data:`SELU_ALPHA`, :data:`SELU_SCALE`) make
    mean 0 / variance 1 a fixed point of a layer with LeCun-normal weights.

    Examples:
        >>> float(selu(1.0))
        1.0507009873554805
    """
    # lambda * x overflows only where the true value exceeds float max: inf is right there
    return _scaled(SELU_SCALE, np.where(x > 0, x, SELU_ALPHA * np.expm1(np.minimum(x, 0.0))))


# ----------------------------------------------------------------------------
# Smooth gates (chapter: Smooth gates)
# ----------------------------------------------------------------------------

@elementwise
def gelu(x):
    r"""Gaussian error linear unit, exact form.

    .. math:: \operatorname{GELU}(x) = x\,\Phi(x) = \frac{x}{2}\Bigl(1 + \operatorname{erf}\frac{x}{\sqrt 2}\Bigr)

    :math:`\Phi` is the standard normal CDF (``scipy.special.ndtr``, accurate
    in the left tail). ``torch.nn.GELU()`` with ``approximate='none'``.

    Examples:
        >>> round(float(gelu(1.0)), 6)
        0.841345
    """
    return _gate(x, special.ndtr(x))


def _gelu_tanh_arg(x):
    xc = np.clip(x, -1e5, 1e5)  # beyond this the gate is exactly 0 or 1 anyway
    return 2.0 * _SQRT_2_OVER_PI * (xc + GELU_TANH_COEFF * xc * xc * xc)


@elementwise
def gelu_tanh(x):
    r"""GELU's tanh approximation, the one GPT-2 and BERT use ("NewGELU", "gelu_new").

    .. math:: f(x) = \frac{x}{2}\Bigl(1 + \tanh\Bigl(\sqrt{2/\pi}\,\bigl(x + 0.044715\,x^{3}\bigr)\Bigr)\Bigr)

    "NewGELU" in Hugging Face and minGPT is exactly this function, with the
    same constant 0.044715; it is not a different activation. Computed as
    :math:`x\,\sigma(2u)` with :math:`u` the tanh argument, since
    :math:`(1 + \tanh u)/2 = \sigma(2u)` and the left form cancels badly for
    negative ``x``. ``torch.nn.GELU(approximate='tanh')``.

    Examples:
        >>> round(float(gelu_tanh(1.0)), 6)
        0.841192
    """
    return _gate(x, _sigmoid(_gelu_tanh_arg(x)))


@elementwise
def gelu_sigmoid(x):
    r"""GELU's sigmoid approximation (also called QuickGELU).

    .. math:: f(x) = x\,\sigma(1.702\,x)

    Examples:
        >>> round(float(gelu_sigmoid(1.0)), 6)
        0.845796
    """
    return _gate(x, _sigmoid(_scaled(GELU_SIGMOID_COEFF, x)))


@elementwise(native32=True, redo64=_far_left)
def silu(x):
    r"""Sigmoid linear unit, :math:`x\,\sigma(x)`: Swish with :math:`\beta = 1`.

    .. math:: \operatorname{SiLU}(x) = \frac{x}{1 + e^{-x}}

    Examples:
        >>> silu([-1000.0, 0.0, 1000.0])
        array([  -0.,    0., 1000.])
    """
    return _gate(x, _sigmoid(x))


@elementwise
def swish(x, beta=1.0):
    r"""Swish, :math:`x\,\sigma(\beta x)` (Ramachandran et al. 2017).

    .. math:: \operatorname{Swish}_\beta(x) = \frac{x}{1 + e^{-\beta x}}

    :math:`\beta = 1` gives :func:`silu`; :math:`\beta = 0` gives the linear
    function :math:`x/2`; :math:`\beta \to \infty` approaches ReLU. In
    :class:`actlib.nn.Swish`, :math:`\beta` may be learned.

    Args:
        beta: any real :math:`\beta`; the paper uses :math:`\beta \ge 0`.

    Examples:
        >>> swish([-2.0, 2.0], beta=0.0)
        array([-1.,  1.])
    """
    beta = check_param("beta", beta)
    return _gate(x, _sigmoid(_scaled(beta, x)))


@elementwise(native32=True)
def hard_swish(x):
    r"""Hard swish (MobileNetV3): :math:`x` times the PyTorch hard sigmoid.

    .. math:: f(x) = x\,\frac{\operatorname{ReLU6}(x + 3)}{6}

    Examples:
        >>> hard_swish([-4.0, 0.0, 1.0, 4.0])
        array([-0.        ,  0.        ,  0.66666667,  4.        ])
    """
    return _gate(x, np.clip(x + 3.0, 0.0, 6.0) / 6.0)


@elementwise(native32=True, redo64=_far_left)
def mish(x):
    r"""Mish (Misra 2019): :math:`x \tanh(\operatorname{softplus}(x))`.

    .. math:: f(x) = x \tanh\bigl(\log(1 + e^{x})\bigr)

    Examples:
        >>> round(float(mish(1.0)), 6)
        0.865098
    """
    return _gate(x, np.tanh(_softplus(x)))


# ----------------------------------------------------------------------------
# Vector-valued activations: softmax family, Maxout, gated linear units
# ----------------------------------------------------------------------------

def _prepare_axis(x, axis):
    arr, dtype, was_scalar = as_float_array(x)
    ax = check_axis(axis, arr.ndim)
    return arr.astype(np.float64, copy=False), dtype, ax


def _shifted(z, axis):
    """Return ``(z - max, posinf_mask, max)``: shift by the finite max along ``axis``."""
    m = np.max(z, axis=axis, keepdims=True)
    safe = np.where(np.isfinite(m), m, 0.0)
    with np.errstate(invalid="ignore"):
        return z - safe, m


def softmax(x, axis=-1, temperature=1.0):
    r"""Softmax along ``axis``: non-negative outputs that sum to 1.

    .. math:: \operatorname{softmax}(x)_i = \frac{e^{x_i/T}}{\sum_k e^{x_k/T}}

    Stable: subtracts the maximum first (softmax is shift-invariant), so
    ``[1000, 1000, 0]`` gives ``[0.5, 0.5, 0]`` without overflow. Entries
    equal to ``+inf`` share the mass equally; a slice that is all ``-inf`` or
    holds a NaN gives NaN.

    Args:
        x: real array with at least one dimension.
        axis: the axis to normalise over (default: last).
        temperature: :math:`T > 0`; large :math:`T` flattens, small sharpens.

    Examples:
        >>> softmax([1000.0, 1000.0, 0.0])
        array([0.5, 0.5, 0. ])
    """
    z, dtype, ax = _prepare_axis(x, axis)
    t = check_param("temperature", temperature, 0.0, math.inf, low_open=True)
    with np.errstate(over="ignore", under="ignore", invalid="ignore"):
        z = z / t
        d, m = _shifted(z, ax)
        e = np.exp(d)
        out = e / np.sum(e, axis=ax, keepdims=True)
        inf_share = (z == np.inf) / np.sum(z == np.inf, axis=ax, keepdims=True)
    out = np.where(m == np.inf, inf_share, out)
    out = np.where(m == -np.inf, np.nan, out)
    return out.astype(dtype)


def log_softmax(x, axis=-1, temperature=1.0):
    r"""Logarithm of :func:`softmax`, computed without forming the softmax.

    .. math:: \log\operatorname{softmax}(x)_i = \frac{x_i}{T} - \log\sum_k e^{x_k/T}

    Pairs with the negative log-likelihood to give cross-entropy.

    Examples:
        >>> log_softmax([0.0, 0.0])
        array([-0.69314718, -0.69314718])
    """
    z, dtype, ax = _prepare_axis(x, axis)
    t = check_param("temperature", temperature, 0.0, math.inf, low_open=True)
    with np.errstate(over="ignore", under="ignore", invalid="ignore", divide="ignore"):
        z = z / t
        d, m = _shifted(z, ax)
        out = d - np.log(np.sum(np.exp(d), axis=ax, keepdims=True))
        n_inf = np.sum(z == np.inf, axis=ax, keepdims=True)
        inf_case = np.where(z == np.inf, -np.log(np.maximum(n_inf, 1)), -np.inf)
    out = np.where(m == np.inf, inf_case, out)
    out = np.where(m == -np.inf, np.nan, out)
    return out.astype(dtype)


def maxout(x, k=2, axis=-1):
    r"""Maxout over groups of ``k`` consecutive entries along ``axis``.

    .. math:: \operatorname{maxout}(x)_j = \max_{0 \le i < k} x_{jk + i}

    As a layer (:class:`actlib.nn.Maxout`), ``x`` holds ``k`` affine pieces
    per output unit; with two pieces Maxout can represent ReLU
    (:math:`\max(0, x)`), leaky ReLU (:math:`\max(\alpha x, x)`) and
    :math:`|x| = \max(-x, x)`.

    Args:
        x: real array; its length along ``axis`` must be divisible by ``k``.
        k: number of pieces per unit, an integer :math:`\ge 1`.

    Returns:
        The array with ``axis`` shortened ``k`` times.

    Examples:
        >>> maxout([1.0, -2.0, 0.5, 3.0], k=2)
        array([1., 3.])
    """
    z, dtype, ax = _prepare_axis(x, axis)
    k = check_param("k", k, 1, math.inf, integer=True)
    n = z.shape[ax]
    if n % k:
        raise ValueError(f"maxout: the input's length along axis {axis} ({n}) is not divisible by k={k}")
    z = np.moveaxis(z, ax, -1)
    out = np.max(z.reshape(*z.shape[:-1], n // k, k), axis=-1)
    return np.moveaxis(out, -1, ax).astype(dtype)


def _halves(x, axis, who):
    z, dtype, ax = _prepare_axis(x, axis)
    n = z.shape[ax]
    if n % 2:
        raise ValueError(f"{who}: the input's length along axis {axis} ({n}) must be even; "
                         "the first half is the value, the second half the gate")
    a, b = np.split(z, 2, axis=ax)
    return a, b, dtype, ax


def glu(x, axis=-1):
    r"""Gated linear unit (Dauphin et al. 2017): halves ``axis`` into value and gate.

    .. math:: \operatorname{GLU}(a \,\|\, b) = a \otimes \sigma(b)

    Same convention as ``torch.nn.functional.glu``: the first half is the
    value, the second half the gate.

    Examples:
        >>> glu([2.0, 0.0])
        array([1.])
    """
    a, b, dtype, _ = _halves(x, axis, "glu")
    with np.errstate(under="ignore", over="ignore"):  # a product beyond float max is inf
        return (a * _sigmoid(b)).astype(dtype)


def swiglu(x, axis=-1):
    r"""SwiGLU (Shazeer 2020): a GLU whose gate passes through SiLU.

    .. math:: \operatorname{SwiGLU}(a \,\|\, b) = a \otimes \operatorname{SiLU}(b)

    The first half is the value, the second half the gate, as in :func:`glu`.
    In a transformer's feed-forward block the two halves come from two
    projections: Shazeer's :math:`\operatorname{Swish}_1(xW) \otimes xV` is
    ``swiglu(concatenate([x @ V, x @ W]))``, the gated projection second.

    Examples:
        >>> swiglu([2.0, 1.0])
        array([1.46211716])
    """
    a, b, dtype, _ = _halves(x, axis, "swiglu")
    with np.errstate(under="ignore", over="ignore"):  # a product beyond float max is inf
        return (a * _gate(b, _sigmoid(b))).astype(dtype)
