r"""Activation functions in numpy: one short, numerically stable function each.

Every function takes a real number or array ``x`` (float16/32/64 keep their
dtype, integers become float64), validates its parameters against the
activation's registry record, and never emits an overflow or underflow
warning. NaN propagates and ``±inf`` give the mathematical limits; an empty
input gives an empty output.

A float32 input is computed in float32 where that is accurate to 4 ULP for
the parameters given (most functions at their defaults), and otherwise in
float64 and rounded once; float16 and float64 inputs are computed in
float64. Every function is within 1e-12 (float64) or 4 ULP (float32) of a
60-digit reference over the whole valid range of its parameters.

The formula in each docstring's ``.. math::`` block comes from the
activation's record (:mod:`actlib.records`), where it is written once. The
chapter that introduces each function is named in its docstring.
"""

from __future__ import annotations

import numpy as np

from . import _kernels as kernels
from ._kernels import (
    GELU_SIGMOID_COEFF,
    GELU_TANH_COEFF,
    SELU_ALPHA,
    SELU_SCALE,
)
from ._validate import check_bool, checked, elementwise, f32_exact, f32_normal

__all__ = [
    "identity", "sigmoid", "hard_sigmoid_keras", "hard_sigmoid_torch", "hardtanh", "tanh",
    "softsign", "softplus", "relu", "relu6", "clipped_relu", "leaky_relu", "prelu", "rrelu",
    "thresholded_relu", "squared_relu", "hardshrink", "softshrink", "tanhshrink", "elu", "celu",
    "selu", "gelu", "gelu_tanh", "gelu_sigmoid", "silu", "swish", "hard_swish", "mish",
    "log_sigmoid", "softmax", "softmin", "log_softmax", "maxout", "glu", "swiglu", "geglu",
    "reglu", "bilinear_glu", "SELU_ALPHA", "SELU_SCALE", "GELU_TANH_COEFF",
    "GELU_SIGMOID_COEFF",
]


# ----------------------------------------------------------------------------
# Sigmoid family (chapter: Sigmoid, tanh and their relatives)
# ----------------------------------------------------------------------------

@elementwise(native32=True)
def identity(x):
    r"""Identity (linear) activation.

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

    Computed as :math:`e^{\min(x, 0)}/(1 + e^{-|x|})`, so ``exp`` never sees a
    large positive argument.

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
    return kernels.sigmoid(x)


@elementwise(native32=True)
def hard_sigmoid_keras(x):
    r"""Hard sigmoid, Keras 2 / Theano convention: slope 0.2.

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

    Matches ``torch.nn.Hardsigmoid``; reaches 0 at :math:`x = -3` and 1 at
    :math:`x = 3`.

    Examples:
        >>> hard_sigmoid_torch([-3.0, 0.0, 3.0])
        array([0. , 0.5, 1. ])
    """
    return np.clip(x + 3.0, 0.0, 6.0) / 6.0


@elementwise(native32=lambda min_val, max_val: f32_exact(min_val, max_val))
def hardtanh(x, min_val=-1.0, max_val=1.0):
    r"""Hard tanh: the identity between ``min_val`` and ``max_val``, clipped outside.

    ``torch.nn.Hardtanh``. At the defaults it is the hard sigmoid rescaled as
    tanh is the sigmoid rescaled, :math:`2\,h(3x) - 1` with :math:`h` the
    PyTorch hard sigmoid; with ``min_val=0`` it is the clipped ReLU.

    Args:
        min_val, max_val: the clipping bounds, finite, with ``min_val < max_val``.

    Examples:
        >>> hardtanh([-3.0, 0.5, 3.0])
        array([-1. ,  0.5,  1. ])
    """
    return np.clip(x, min_val, max_val)


@elementwise(native32=True)
def tanh(x):
    r"""Hyperbolic tangent.

    Its derivative is :math:`1 - \tanh^2 x` (not :math:`(1 - \tanh x)^2`).

    Examples:
        >>> tanh([0.0, 1000.0])
        array([0., 1.])
    """
    return np.tanh(x)


@elementwise(native32=True)
def softsign(x):
    r"""Softsign: a sigmoid-shaped curve with polynomial, not exponential, tails.

    Examples:
        >>> softsign([-1.0, 0.0, 3.0])
        array([-0.5 ,  0.  ,  0.75])
    """
    ax = np.abs(x)
    with np.errstate(invalid="ignore"):
        near = x / (1.0 + ax)
        far = np.sign(x) * (1.0 - 1.0 / (1.0 + ax))
    return np.where(ax < 1.0, near, far)


@elementwise(native32=lambda beta, threshold: beta == 1.0 and f32_exact(threshold))
def softplus(x, beta=1.0, threshold=None):
    r"""Softplus, a smooth ReLU whose derivative is the sigmoid.

    Exact by default: computed as
    :math:`\max(x, 0) + \log1p(e^{-|\beta x|})/\beta`, which neither overflows
    nor cancels. ``torch.nn.Softplus`` instead returns ``x`` where
    :math:`\beta x >` ``threshold`` (20 by default), a shortcut that errs by
    up to :math:`e^{-\text{threshold}}/\beta` and makes the function step
    down at the switch; pass ``threshold=20.0`` to reproduce it.

    Args:
        x: real input.
        beta: sharpness, :math:`\beta > 0`; large :math:`\beta` approaches ReLU.
        threshold: ``None`` (the exact function), or where to switch to the
            identity, :math:`> 0` (``inf`` allowed).

    Examples:
        >>> softplus(0.0)
        np.float64(0.6931471805599453)
        >>> softplus([-1000.0, 1000.0])
        array([   0., 1000.])
        >>> softplus(20.5) > 20.5  # the shortcut would return 20.5 itself
        np.True_
    """
    out = kernels.softplus_beta(x, beta)
    if threshold is None:
        return out
    return np.where(kernels.scaled(beta, x) > threshold, x, out)


@elementwise(native32=True)
def log_sigmoid(x):
    r"""Log-sigmoid, :math:`\log\sigma(x) = -\operatorname{softplus}(-x)`.

    Computed as :math:`\min(x, 0) - \log1p(e^{-|x|})`.

    Examples:
        >>> log_sigmoid([-1000.0, 0.0]).tolist()
        [-1000.0, -0.6931471805599453]
    """
    return kernels.log_sigmoid(x)


# ----------------------------------------------------------------------------
# Rectifiers (chapter: The rectifiers)
# ----------------------------------------------------------------------------

@elementwise(native32=True)
def relu(x):
    r"""Rectified linear unit.

    Examples:
        >>> relu([-2.0, 0.0, 3.0])
        array([0., 0., 3.])
    """
    return np.maximum(x, 0.0)


@elementwise(native32=True)
def relu6(x):
    r"""ReLU capped at 6, as in ``torch.nn.ReLU6``.

    Examples:
        >>> relu6([-1.0, 3.0, 9.0])
        array([0., 3., 6.])
    """
    return np.clip(x, 0.0, 6.0)


@elementwise(native32=lambda max_value: f32_exact(max_value))
def clipped_relu(x, max_value=20.0):
    r"""ReLU clipped at ``max_value`` (Deep Speech used 20; ReLU6 uses 6).

    Args:
        max_value: the cap :math:`m > 0`.

    Examples:
        >>> clipped_relu([-1.0, 5.0, 50.0], max_value=20.0)
        array([ 0.,  5., 20.])
    """
    return np.clip(x, 0.0, max_value)


@elementwise(native32=lambda negative_slope: f32_normal(negative_slope))
def leaky_relu(x, negative_slope=0.01):
    r"""Leaky ReLU: a small fixed slope for negative inputs.

    Args:
        negative_slope: :math:`\alpha \in [0, 1]`; 0.01 in PyTorch, 0.3 in Keras' layer.

    Examples:
        >>> leaky_relu([-100.0, 2.0])
        array([-1.,  2.])
    """
    return np.maximum(x, negative_slope * x)  # exact for 0 <= slope <= 1, and faster than np.where


@elementwise(native32=lambda a: f32_normal(a))
def prelu(x, a=0.25):
    r"""Parametric ReLU: the negative slope ``a`` is learned (initialised to 0.25).

    Here ``a`` is one scalar; :class:`actlib.nn.PReLU` learns one per channel
    if asked. Any real ``a`` is allowed, since training may move it anywhere.

    Examples:
        >>> prelu([-4.0, 2.0])
        array([-1.,  2.])
    """
    if 0.0 <= a <= 1.0:
        return np.maximum(x, a * x)
    with np.errstate(invalid="ignore"):  # a * x at x = 0 with |a| = inf cannot occur: a is finite
        return np.where(x >= 0, x, a * x)


@elementwise(native32=lambda lower, upper, training, rng: training is False
             and f32_normal((lower + upper) / 2.0))
def rrelu(x, lower=1.0 / 8.0, upper=1.0 / 3.0, training=False, rng=None):
    r"""Randomised leaky ReLU (Xu et al. 2015).

    Args:
        lower, upper: :math:`0 \le l \le u \le 1`; PyTorch's defaults 1/8 and 1/3.
        training: ``True`` draws a fresh slope per element from ``rng``;
            ``False`` (evaluation) uses the mean slope. Only a bool is accepted.
        rng: a ``numpy.random.Generator`` (required for reproducibility when training).

    Examples:
        >>> rrelu([-24.0, 2.0])   # evaluation: slope (1/8 + 1/3) / 2 = 11/48
        array([-5.5,  2. ])
    """
    if not check_bool("training", training):
        return np.maximum(x, (lower + upper) / 2.0 * x)
    if rng is None:
        rng = np.random.default_rng()
    elif not isinstance(rng, np.random.Generator):
        raise TypeError(f"rng must be a numpy.random.Generator or None, got {type(rng).__name__}")
    slopes = rng.uniform(lower, upper, size=x.shape)
    return np.where(x >= 0, x, slopes * x)


@elementwise(native32=lambda theta: f32_exact(theta))
def thresholded_relu(x, theta=1.0):
    r"""Thresholded ReLU (Keras ``ThresholdedReLU``): zero up to ``theta``, then ``x``.

    Discontinuous at :math:`\theta` when :math:`\theta > 0`.

    Args:
        theta: threshold :math:`\theta \ge 0` (Keras' default 1.0).

    Examples:
        >>> thresholded_relu([0.5, 1.0, 1.5])
        array([0. , 0. , 1.5])
    """
    return kernels.keep_nan(x, np.where(x > theta, x, 0.0))


@elementwise(native32=True)
def squared_relu(x):
    r"""Squared ReLU (So et al. 2021, Primer): :math:`\max(0, x)^2`.

    Continuously differentiable: its derivative :math:`2\max(0, x)` is 0 at
    0 from both sides (so no convention is needed there), but grows without
    bound with :math:`x` (chapter: Smooth gates).

    Examples:
        >>> squared_relu([-2.0, 0.5, 3.0])
        array([0.  , 0.25, 9.  ])
    """
    r = np.maximum(x, 0.0)
    return r * r


# ----------------------------------------------------------------------------
# Shrinkage (chapter: The rectifiers, on sparsity)
# ----------------------------------------------------------------------------

@elementwise(native32=lambda lambd: f32_exact(lambd))
def hardshrink(x, lambd=0.5):
    r"""Hard shrinkage (hard thresholding): ``x`` where :math:`|x| > \lambda`, else 0.

    ``torch.nn.Hardshrink``; discontinuous at :math:`\pm\lambda` when
    :math:`\lambda > 0`.

    Args:
        lambd: the threshold :math:`\lambda \ge 0` (``lambd``, as PyTorch
            names it; ``lambda`` is a Python keyword).

    Examples:
        >>> hardshrink([-1.0, 0.3, 0.7])
        array([-1. ,  0. ,  0.7])
    """
    return kernels.keep_nan(x, np.where(np.abs(x) > lambd, x, 0.0))


@elementwise(native32=lambda lambd: f32_exact(lambd))
def softshrink(x, lambd=0.5):
    r"""Soft shrinkage (soft thresholding): ``x`` moved toward 0 by :math:`\lambda`, and 0 within it.

    ``torch.nn.Softshrink``. It is the proximal operator of
    :math:`\lambda|\cdot|`: :math:`\operatorname{argmin}_z \tfrac12(z - x)^2 +
    \lambda|z|`, the step that makes the iterates of ISTA sparse.

    Args:
        lambd: the threshold :math:`\lambda \ge 0`.

    Examples:
        >>> softshrink([-1.0, 0.3, 0.7])
        array([-0.5,  0. ,  0.2])
    """
    out = np.where(x > lambd, x - lambd, np.where(x < -lambd, x + lambd, 0.0))
    return kernels.keep_nan(x, out)


@elementwise
def tanhshrink(x):
    r"""Tanh shrinkage, :math:`x - \tanh x`: near 0 like :math:`x^3/3`, far out like :math:`x \mp 1`.

    ``torch.nn.Tanhshrink``. Computed from its Taylor series for
    :math:`|x| < 0.3`, where the difference would cancel.

    Examples:
        >>> round(float(tanhshrink(1.0)), 6)
        0.238406
        >>> float(tanhshrink(1e-5))   # x^3/3 - 2x^5/15 + ...
        3.333333333200001e-16
    """
    return kernels.tanhshrink(x)


# ----------------------------------------------------------------------------
# Exponential linear units (chapter: Exponential linear units)
# ----------------------------------------------------------------------------

@elementwise(native32=lambda alpha: f32_normal(alpha))
def elu(x, alpha=1.0):
    r"""Exponential linear unit.

    The negative branch is ``alpha * expm1(min(x, 0))``, so the branch not
    taken never overflows. Saturates to :math:`-\alpha`; continuously
    differentiable only when :math:`\alpha = 1`.

    Args:
        alpha: :math:`\alpha \ge 0`; 1.0 in the paper and in every major library.

    Examples:
        >>> elu([-1000.0, 0.0, 2.0])
        array([-1.,  0.,  2.])
    """
    # max(x, 0) + alpha expm1(min(x, 0)): one branch is exactly 0 on each side
    return np.maximum(x, 0.0) + alpha * np.expm1(np.minimum(x, 0.0))


@elementwise(native32=lambda alpha: alpha == 1.0)
def celu(x, alpha=1.0):
    r"""Continuously differentiable ELU (Barron 2017).

    Its derivative is 1 at 0 for every :math:`\alpha`, unlike ELU's.

    Args:
        alpha: :math:`\alpha > 0`.

    Examples:
        >>> celu([-1000.0, 2.0], alpha=2.0)
        array([-2.,  2.])
    """
    return kernels.celu(x, alpha)


@elementwise(native32=True)
def selu(x):
    r"""Scaled ELU with the self-normalising constants of Klambauer et al. (2017).

    The constants (:data:`SELU_ALPHA` :math:`\approx 1.6733`, :data:`SELU_SCALE`
    :math:`\approx 1.0507`) make mean 0 / variance 1 a fixed point of a layer
    with LeCun-normal weights.

    Examples:
        >>> selu(1.0) == SELU_SCALE
        np.True_
    """
    # lambda * x overflows only where the true value exceeds float max: inf is right there
    return SELU_SCALE * np.where(x > 0, x, SELU_ALPHA * np.expm1(np.minimum(x, 0.0)))


# ----------------------------------------------------------------------------
# Smooth gates (chapter: Smooth gates)
# ----------------------------------------------------------------------------

@elementwise
def gelu(x):
    r"""Gaussian error linear unit, exact form.

    :math:`\Phi` is the standard normal CDF (``scipy.special.ndtr``, accurate
    in the left tail; below :math:`x = -37`, where :math:`\Phi(x)` is nearly
    subnormal, the product is taken in the log domain with ``log_ndtr``).
    ``torch.nn.GELU()`` with ``approximate='none'``.

    Examples:
        >>> round(float(gelu(1.0)), 6)
        0.841345
    """
    return kernels.gelu(x)


@elementwise
def gelu_tanh(x):
    r"""GELU's tanh approximation, the one GPT-2 and BERT use ("NewGELU", "gelu_new").

    "NewGELU" in Hugging Face and minGPT is exactly this function, with the
    same constant (:data:`GELU_TANH_COEFF`); it is not a different activation. Computed as
    :math:`x\,\sigma(2u)` with :math:`u` the tanh argument, since
    :math:`(1 + \tanh u)/2 = \sigma(2u)` and the left form cancels badly for
    negative ``x``. ``torch.nn.GELU(approximate='tanh')``.

    Examples:
        >>> round(float(gelu_tanh(1.0)), 6)
        0.841192
    """
    return kernels.gelu_tanh(x)


@elementwise
def gelu_sigmoid(x):
    r"""GELU's sigmoid approximation (also called QuickGELU): Swish with :math:`\beta` = :data:`GELU_SIGMOID_COEFF`.

    Examples:
        >>> round(float(gelu_sigmoid(1.0)), 6)
        0.845796
    """
    return kernels.x_sigmoid(x, kernels.scaled(GELU_SIGMOID_COEFF, x))


@elementwise(native32=True, redo64=kernels.far_left)
def silu(x):
    r"""Sigmoid linear unit, :math:`x\,\sigma(x)`: Swish with :math:`\beta = 1`.

    Examples:
        >>> silu([-1000.0, 0.0, 1000.0])
        array([  -0.,    0., 1000.])
    """
    return kernels.x_sigmoid(x, x)


@elementwise
def swish(x, beta=1.0):
    r"""Swish, :math:`x\,\sigma(\beta x)` (Ramachandran et al. 2017).

    :math:`\beta = 1` gives :func:`silu`; :math:`\beta = 0` gives the linear
    function :math:`x/2`; :math:`\beta \to \infty` approaches ReLU. In
    :class:`actlib.nn.Swish`, :math:`\beta` may be learned.

    Args:
        beta: any real :math:`\beta`; the paper uses :math:`\beta \ge 0`.

    Examples:
        >>> swish([-2.0, 2.0], beta=0.0)
        array([-1.,  1.])
    """
    return kernels.x_sigmoid(x, kernels.scaled(beta, x))


@elementwise(native32=True)
def hard_swish(x):
    r"""Hard swish (MobileNetV3): :math:`x` times the PyTorch hard sigmoid.

    Examples:
        >>> hard_swish([-4.0, 0.0, 1.0, 4.0])
        array([-0.        ,  0.        ,  0.66666667,  4.        ])
    """
    return kernels.gate(x, np.clip(x + 3.0, 0.0, 6.0) / 6.0)


@elementwise(native32=True, redo64=kernels.far_left)
def mish(x):
    r"""Mish (Misra 2019): :math:`x \tanh(\operatorname{softplus}(x))`.

    Examples:
        >>> round(float(mish(1.0)), 6)
        0.865098
    """
    return kernels.mish(x)


# ----------------------------------------------------------------------------
# Vector-valued activations: softmax family, Maxout, gated linear units
# ----------------------------------------------------------------------------

@checked
def softmax(x, axis=-1, temperature=1.0):
    r"""Softmax along ``axis``: non-negative outputs that sum to 1.

    Stable: works with the differences :math:`(x_i - \max_k x_k)/T`
    (softmax is shift-invariant), so ``[1000, 1000, 0]`` gives
    ``[0.5, 0.5, 0]`` without overflow, and a tiny temperature gives the
    one-hot limit. Entries equal to ``+inf`` share the mass equally; a slice
    that is all ``-inf`` or holds a NaN gives NaN; an empty axis gives an
    empty result.

    Args:
        x: real array with at least one dimension.
        axis: the axis to normalise over (default: last).
        temperature: :math:`T > 0`; large :math:`T` flattens, small sharpens.

    Examples:
        >>> softmax([1000.0, 1000.0, 0.0])
        array([0.5, 0.5, 0. ])
        >>> softmax([1.0, 2.0], temperature=1e-310)
        array([0., 1.])
    """
    z, dtype, ax = kernels.prepare_axis(x, axis)
    with np.errstate(over="ignore", under="ignore", invalid="ignore"):
        d, m = kernels.shifted(z, ax, temperature)
        e = np.exp(d)
        out = e / np.sum(e, axis=ax, keepdims=True)
        inf_share = (z == np.inf) / np.sum(z == np.inf, axis=ax, keepdims=True)
    out = np.where(m == np.inf, inf_share, out)
    out = np.where(m == -np.inf, np.nan, out)
    return out.astype(dtype)


@checked
def softmin(x, axis=-1, temperature=1.0):
    r"""Softmin along ``axis``: the softmax of :math:`-x`, so the smallest entry gets the most mass.

    ``torch.nn.Softmin``. Stable and defined at infinities as :func:`softmax` is.

    Examples:
        >>> softmin([0.0, 1000.0])
        array([1., 0.])
    """
    z, dtype, ax = kernels.prepare_axis(x, axis)  # validates x before it is negated
    return softmax(-z, axis=ax, temperature=temperature).astype(dtype)


@checked
def log_softmax(x, axis=-1, temperature=1.0):
    r"""Logarithm of :func:`softmax`, computed without forming the softmax.

    Pairs with the negative log-likelihood to give cross-entropy.

    Examples:
        >>> log_softmax([0.0, 0.0])
        array([-0.69314718, -0.69314718])
    """
    z, dtype, ax = kernels.prepare_axis(x, axis)
    with np.errstate(over="ignore", under="ignore", invalid="ignore", divide="ignore"):
        d, m = kernels.shifted(z, ax, temperature)
        out = d - np.log(np.sum(np.exp(d), axis=ax, keepdims=True))
        n_inf = np.sum(z == np.inf, axis=ax, keepdims=True)
        inf_case = np.where(z == np.inf, -np.log(np.maximum(n_inf, 1)), -np.inf)
    out = np.where(m == np.inf, inf_case, out)
    out = np.where(m == -np.inf, np.nan, out)
    return out.astype(dtype)


@checked
def maxout(x, k=2, axis=-1):
    r"""Maxout over groups of ``k`` consecutive entries along ``axis``.

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
    groups, dtype, ax = kernels.maxout_groups(x, k, axis)
    out = np.max(groups, axis=-1)
    return np.moveaxis(out, -1, ax).astype(dtype)


@checked
def glu(x, axis=-1):
    r"""Gated linear unit (Dauphin et al. 2017): halves ``axis`` into value and gate.

    Same convention as ``torch.nn.functional.glu``: the first half is the
    value, the second half the gate.

    Examples:
        >>> glu([2.0, 0.0])
        array([1.])
    """
    a, b, dtype, _ = kernels.halves(x, axis, "glu")
    with np.errstate(under="ignore", over="ignore"):  # a product beyond float max is inf
        return kernels.gate(a, kernels.sigmoid(b)).astype(dtype)


@checked
def swiglu(x, axis=-1):
    r"""SwiGLU (Shazeer 2020): a GLU whose gate passes through SiLU.

    The first half is the value, the second half the gate, as in :func:`glu`.
    In a transformer's feed-forward block the two halves come from two
    projections: Shazeer's :math:`\operatorname{Swish}_1(xW) \otimes xV` is
    ``swiglu(concatenate([x @ V, x @ W]))``, the gated projection second.

    Examples:
        >>> swiglu([2.0, 1.0])
        array([1.46211716])
    """
    a, b, dtype, _ = kernels.halves(x, axis, "swiglu")
    with np.errstate(under="ignore", over="ignore"):  # a product beyond float max is inf
        return (a * kernels.x_sigmoid(b, b)).astype(dtype)


@checked
def geglu(x, axis=-1):
    r"""GeGLU (Shazeer 2020): a GLU whose gate passes through the exact GELU.

    The first half is the value, the second half the gate, as in :func:`glu`.
    T5 v1.1 and Gemma use GELU's tanh approximation in the gate instead.

    Examples:
        >>> geglu([2.0, 1.0])
        array([1.68268949])
    """
    a, b, dtype, _ = kernels.halves(x, axis, "geglu")
    with np.errstate(under="ignore", over="ignore"):
        return kernels.gate(a, kernels.gelu(b)).astype(dtype)


@checked
def reglu(x, axis=-1):
    r"""ReGLU (Shazeer 2020): a GLU whose gate passes through ReLU.

    Examples:
        >>> reglu([2.0, -1.0, -3.0, 1.0])
        array([ 0., -1.])
    """
    a, b, dtype, _ = kernels.halves(x, axis, "reglu")
    with np.errstate(under="ignore", over="ignore"):
        return kernels.gate(a, np.maximum(b, 0.0)).astype(dtype)


@checked
def bilinear_glu(x, axis=-1):
    r"""The bilinear GLU (Shazeer 2020): the product of the two halves, without a gate function.

    Examples:
        >>> bilinear_glu([2.0, -1.0, 3.0, 1.0])
        array([ 6., -1.])
    """
    a, b, dtype, _ = kernels.halves(x, axis, "bilinear_glu")
    with np.errstate(under="ignore", over="ignore", invalid="ignore"):  # inf * 0 has no value: NaN
        return (a * b).astype(dtype)
