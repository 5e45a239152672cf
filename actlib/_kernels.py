r"""Shared numerically stable kernels for :mod:`actlib.functions` and :mod:`actlib.derivatives`.

Private: no validation happens here. Every kernel takes float arrays (float64,
or float32 where a public function runs natively in float32) and is written
so that it neither overflows nor cancels, including

* the tails, where a gate such as :math:`\sigma(t)` or :math:`\Phi(x)` is
  subnormal and a product with it would lose digits: there the result is
  computed in the log domain, ``sign * exp(log|x| + log g)``, and stays
  accurate down to the smallest subnormal;
* the zeros of the smooth gates' derivatives (SiLU, Swish, GELU, its tanh
  approximation, Mish), where :math:`f'` is a difference of two nearly equal
  terms: within a window around each zero :math:`x_0` it is rewritten as a
  function of :math:`d = x - x_0`, with :math:`x_0` held to double-double
  precision, so the relative error stays at the level of the rest of the
  line instead of growing like :math:`10^{-16}/|f'(x)|`.

The module also holds the constants the activations share; the tests
re-derive each of them with mpmath.
"""

from __future__ import annotations

import math
from decimal import Decimal
from fractions import Fraction

import numpy as np
from scipy import special

from ._validate import as_float_array, check_axis, short

# ----------------------------------------------------------------------------
# Constants
# ----------------------------------------------------------------------------

#: SELU's :math:`\alpha` and :math:`\lambda`, to the digits published by
#: Klambauer et al. (2017); the tests re-derive both from the fixed-point equations.
SELU_ALPHA = 1.6732632423543772848170429916717
SELU_SCALE = 1.0507009873554804934193349852946
#: The cubic coefficient of GELU's tanh approximation (Hendrycks & Gimpel 2016).
GELU_TANH_COEFF = 0.044715
#: The slope in GELU's sigmoid approximation :math:`x\,\sigma(1.702x)`.
GELU_SIGMOID_COEFF = 1.702

SQRT_2_OVER_PI = math.sqrt(2.0 / math.pi)
_LOG_SQRT_2PI = 0.5 * math.log(2.0 * math.pi)
_SELU_SCALE_ALPHA = SELU_SCALE * SELU_ALPHA
_TAIL = -708.0  # below this, e^t is subnormal in float64: products with it lose digits


def _double_double(text: str) -> tuple[float, float]:
    """``(hi, lo)`` with ``hi + lo`` equal to the decimal ``text`` to about 32 digits."""
    hi = float(text)
    return hi, float(Decimal(text) - Decimal(hi))


#: :math:`W(1/e)`, the Lambert W function at :math:`1/e`: :math:`e^{t_0} = W(1/e)`
#: at the zero :math:`t_0 = -1 - W(1/e)` of :math:`\frac{d}{dt}\,t\sigma(t)`.
LAMBERT_W_INV_E = _double_double("0.2784645427610737951093587390229801554395")
#: Where SiLU (and Swish, in units of :math:`\beta x`) has its minimum: :math:`-1 - W(1/e)`.
SILU_ARGMIN = _double_double("-1.278464542761073795109358739022980155439")
#: 1.702 to double-double precision, for the derivative next to its zero.
GELU_SIGMOID_COEFF_DD = _double_double("1.702")
#: Where GELU, :math:`x\Phi(x)`, has its minimum: the zero of :math:`\Phi(x) + x\varphi(x)`.
GELU_ARGMIN = _double_double("-0.7517915246935644574579049467795240396645")
#: Where GELU's tanh approximation has its minimum.
GELU_TANH_ARGMIN = _double_double("-0.7524614220710162584879544432889160906054")
#: Where Mish has its minimum.
MISH_ARGMIN = _double_double("-1.192431214515495212137588340420739405601")


# ----------------------------------------------------------------------------
# Building blocks
# ----------------------------------------------------------------------------

def sigmoid(x):
    """Stable logistic sigmoid: e^{min(x,0)} / (1 + e^{-|x|}) never exponentiates a
    positive number, and needs no np.where (slower here than the second exp)."""
    return np.exp(np.minimum(x, 0.0)) / (1.0 + np.exp(-np.abs(x)))


def softplus(x):
    """log(1 + e^x) without overflow: max(x, 0) + log1p(e^{-|x|})."""
    return np.maximum(x, 0.0) + np.log1p(np.exp(-np.abs(x)))


def log_sigmoid(x):
    """log sigma(x) = min(x, 0) - log1p(e^{-|x|}) = -softplus(-x)."""
    return np.minimum(x, 0.0) - np.log1p(np.exp(-np.abs(x)))


def sech2(x):
    """sech^2(x) = 1 - tanh^2(x), computed without cancellation or overflow."""
    e = np.exp(-np.abs(x))
    e = e * e  # e^{-2|x|}, without forming 2|x| (which overflows at float max)
    return 4.0 * e / ((1.0 + e) * (1.0 + e))


def gate(x, g):
    """``x * g`` for a gate ``g`` that decays faster than ``1/|x|`` where it tends to 0.

    Fixes the one undefined product, ``±inf * 0``, to its limit, a signed zero.
    """
    with np.errstate(invalid="ignore"):
        out = x * g
    inf = np.isinf(x)
    if inf.any():  # rare: fix only then
        out = np.where(inf & (g == 0), np.copysign(0.0, x), out)
    return out


def redo(out, mask, compute):
    """``out`` with the elements under ``mask`` replaced by ``compute(mask)``.

    For the rare elements a second formula is needed for (a tail, a window
    around a zero): the formula runs on those elements only.
    """
    if not mask.any():
        return out
    out = np.array(out, copy=True) if (np.ndim(out) == 0 or not out.flags.writeable
                                       or out.base is not None) else out
    with np.errstate(invalid="ignore", divide="ignore", over="ignore"):
        out[mask] = compute(mask)
    return out


def keep_nan(x, out):
    """Make sure NaN inputs give NaN outputs (comparisons would turn them into 0)."""
    return np.where(np.isnan(x), np.nan, out)


def far_left(x, *args, **kwargs):
    """Inputs whose float32 results are subnormal (or nearly): recompute those in float64."""
    return x < -60.0


def scaled(beta: float, x):
    """``beta * x``, where overflow to ``±inf`` is the intended limit and ``0 * inf`` is 0."""
    if beta == 0.0:
        return np.zeros_like(x)
    with np.errstate(over="ignore"):
        return beta * x


def c_exp(c: float, x):
    """``c * e^x`` for ``c >= 0``, accurate where ``e^x`` alone would be subnormal."""
    out = c * np.exp(x)
    if c > 0:
        out = redo(out, x < _TAIL, lambda m: np.exp(x[m] + math.log(c)))
    return out


def _log_abs(x):
    with np.errstate(divide="ignore"):
        return np.log(np.abs(x))


def x_sigmoid(x, t):
    r"""``x * sigma(t)`` (same shapes), accurate down to the smallest subnormal.

    Where :math:`\sigma(t)` is itself subnormal the product is computed as
    :math:`\operatorname{sign}(x)\exp(\log|x| + t)`; ``±inf * sigma(-inf)`` is
    the signed zero of the limit.
    """
    def tail(m):
        xs, ts = x[m], t[m]
        val = np.where(np.isinf(xs) | np.isinf(ts), 0.0, np.exp(_log_abs(xs) + ts))
        return np.copysign(val, xs)

    return redo(gate(x, sigmoid(t)), t < _TAIL, tail)


def two_prod(a, b):
    """``(p, e)`` with ``p = fl(a*b)`` and ``p + e = a*b`` exactly (Dekker's product).

    The factors are normalised with ``frexp`` first so that the splitting
    cannot overflow; ``a*b`` itself must be of moderate size.
    """
    ma, ea = np.frexp(a)
    mb, eb = np.frexp(b)
    p = ma * mb

    def split(v):
        c = 134217729.0 * v  # 2^27 + 1
        hi = c - (c - v)
        return hi, v - hi

    ah, al = split(ma)
    bh, bl = split(mb)
    e = ((ah * bh - p) + ah * bl + al * bh) + al * bl
    return np.ldexp(p, ea + eb), np.ldexp(e, ea + eb)


def _offset(x, root: tuple[float, float]):
    """``x - root`` for ``x`` near the double-double ``root``: ``x - hi`` is exact there (Sterbenz)."""
    return (x - root[0]) - root[1]


# ----------------------------------------------------------------------------
# Softplus with a sharpness
# ----------------------------------------------------------------------------

def softplus_beta(x, beta: float):
    r""":math:`\log(1 + e^{\beta x})/\beta`, accurate for every :math:`\beta > 0` and x."""
    z = scaled(beta, x)
    with np.errstate(over="ignore"):
        out = np.maximum(x, 0.0) + np.log1p(np.exp(-np.abs(z))) / beta
    # e^z / beta with e^z subnormal: divide in the log domain
    return redo(out, z < _TAIL, lambda m: np.exp(z[m] - math.log(beta)))


def d_softplus_dbeta(x, beta: float):
    r""":math:`\partial/\partial\beta` of :func:`softplus_beta`, without cancellation:

    .. math:: \frac{z\sigma(z) - \operatorname{softplus}(z)}{\beta^2}
              = -\frac{\log1p(e^{-|z|}) + |z|\,\sigma(-|z|)}{\beta^2}, \quad z = \beta x
    """
    az = np.abs(scaled(beta, x))
    with np.errstate(over="ignore", invalid="ignore"):
        num = np.log1p(np.exp(-az)) + az * sigmoid(-az)
        out = -(num / beta) / beta

    def tail(m):  # num = e^{-|z|}(1 + |z|) to 1e-17: take logs
        a = az[m]
        return np.where(np.isinf(a), -0.0, -np.exp(np.log1p(a) - a - 2.0 * math.log(beta)))

    return keep_nan(x, redo(out, az > 40.0, tail))


# ----------------------------------------------------------------------------
# Exponential units
# ----------------------------------------------------------------------------

def celu(x, alpha: float):
    r""":math:`\max(0,x) + \min(0, \alpha\,\operatorname{expm1}(x/\alpha))`, accurate for tiny ``x/alpha``."""
    xn = np.minimum(x, 0.0)
    if alpha == 1.0:
        return np.where(x > 0, x, np.expm1(xn))
    with np.errstate(over="ignore"):
        u = xn / alpha
    neg = alpha * np.expm1(u)
    if alpha > 1.0:  # x / alpha may underflow: alpha expm1(u) = x (1 + u/2 + u^2/6 + ...) there
        neg = redo(neg, np.abs(u) < 1e-5, lambda m: xn[m] * (1.0 + u[m] * (0.5 + u[m] / 6.0)))
    return np.where(x > 0, x, neg)


def d_celu(x, alpha: float):
    with np.errstate(over="ignore"):
        return np.where(x > 0, 1.0, np.exp(np.minimum(x, 0.0) / alpha))


def d_selu(x):
    return np.where(x > 0, SELU_SCALE, c_exp(_SELU_SCALE_ALPHA, np.minimum(x, 0.0)))


# ----------------------------------------------------------------------------
# The swish family: x sigma(beta x) (SiLU: beta = 1; QuickGELU: beta = 1.702)
# ----------------------------------------------------------------------------

_CLIP = 800.0  # |t| beyond which sigma(-|t|) is exactly 0 in float64


def t_sig_sig(t):
    """``t * sigma(t) * sigma(-t)`` without ``inf * 0``."""
    tc = np.clip(t, -_CLIP, _CLIP)
    return tc * sigmoid(tc) * sigmoid(-tc)


def d_swish(x, beta: float, beta_lo: float = 0.0):
    r""":math:`\frac{d}{dx}\,x\sigma(\beta x) = \sigma(t)\bigl(1 + t\sigma(-t)\bigr)`, :math:`t = \beta x`.

    Near the zero :math:`t_0 = -1 - w`, :math:`w = W(1/e) = e^{t_0}`, the factor
    :math:`1 + t\sigma(-t) = \sigma(-t)(1 + t + e^t)` is written with
    :math:`u = t - t_0` as :math:`u + w\operatorname{expm1}(u)`, two terms of
    one sign; :math:`t` is formed exactly (a double-double product, with
    ``beta + beta_lo`` the double-double value of a constant such as 1.702).
    """
    t = scaled(beta, x)
    out = sigmoid(t) + t_sig_sig(t)

    def tail(m):  # sigma(t)(1 + t sigma(-t)) = e^t (1 + t) to 1e-300
        tm = t[m]
        return np.where(np.isinf(tm), 0.0, -np.exp(tm + np.log(-1.0 - tm)))

    def window(m):
        xm = x[m].astype(np.float64)
        if beta == 1.0 and beta_lo == 0.0:
            t_hi, t_lo = xm, 0.0
        else:
            t_hi, t_lo = two_prod(np.float64(beta), xm)
            t_lo = t_lo + beta_lo * xm
        w_hi, w_lo = LAMBERT_W_INV_E
        u = ((t_hi + 1.0) + w_hi) + (t_lo + w_lo)
        return sigmoid(t_hi) * sigmoid(-t_hi) * (u + w_hi * np.expm1(u))

    out = redo(out, t < _TAIL, tail)
    if beta != 0.0:
        out = redo(out, np.abs(t - SILU_ARGMIN[0]) < 0.2, window)
    return out


def x2_sig_sig(x, beta: float):
    r""":math:`x^2\sigma(\beta x)\sigma(-\beta x)`, accurate where it is tiny or ``x^2`` overflows."""
    t = scaled(beta, x)
    with np.errstate(over="ignore", invalid="ignore"):
        out = x * x * sigmoid(t) * sigmoid(-t)
    at = np.abs(t)

    def logs(m):  # tiny, or x^2 overflows: exp(2 log|x| + log sigma(t) + log sigma(-t))
        a = at[m]
        return np.exp(2.0 * _log_abs(x[m]) - a - 2.0 * np.log1p(np.exp(-a)))

    out = redo(out, (at > 20.0) | (np.abs(x) > 1e150), logs)
    return redo(out, np.isinf(x), lambda m: np.inf if beta == 0.0 else 0.0)


# ----------------------------------------------------------------------------
# GELU, x Phi(x), and its tanh approximation
# ----------------------------------------------------------------------------

_GELU_TAIL = -37.0  # below this Phi(x) heads into the subnormal range


def gelu(x):
    def tail(m):  # x Phi(x) = -exp(log|x| + log Phi(x))
        xm = x[m]
        return np.where(np.isinf(xm), -0.0, -np.exp(_log_abs(xm) + special.log_ndtr(xm)))

    return redo(gate(x, special.ndtr(x)), x < _GELU_TAIL, tail)


def _gelu_taylor(order: int = 14) -> np.ndarray:
    r"""Taylor coefficients of :math:`\Phi(x) + x\varphi(x)` at its zero :math:`x_0`.

    The k-th derivative is :math:`\varphi(x)P_k(x)` with :math:`P_1 = 2 - x^2`
    and :math:`P_{k+1} = P_k' - xP_k`; coefficient k is
    :math:`\varphi(x_0)P_k(x_0)/k!` (k = 0 is the zero itself).
    """
    x0 = GELU_ARGMIN[0]
    poly = np.polynomial.Polynomial([2.0, 0.0, -1.0])
    xpoly = np.polynomial.Polynomial([0.0, 1.0])
    phi0 = math.exp(-0.5 * x0 * x0 - _LOG_SQRT_2PI)
    coeffs = [0.0]
    for k in range(1, order + 1):
        coeffs.append(phi0 * poly(x0) / math.factorial(k))
        poly = poly.deriv() - xpoly * poly
    return np.array(coeffs)


_GELU_COEFFS = _gelu_taylor()


def d_gelu(x):
    r""":math:`\Phi(x) + x\varphi(x)`, exact down to underflow and next to its zero."""
    xc = np.clip(x, -40.0, 40.0)  # phi(40) underflows to 0
    phi = np.exp(-0.5 * xc * xc - _LOG_SQRT_2PI)
    out = special.ndtr(x) + xc * phi

    def tail(m):  # Phi (1 + x r), r = phi/Phi = sqrt(2/pi)/erfcx(-x/sqrt 2), the inverse Mills ratio
        xm = x[m]
        r = SQRT_2_OVER_PI / special.erfcx(-xm / math.sqrt(2.0))
        return -np.exp(special.log_ndtr(xm) + np.log(-(1.0 + xm * r)))

    out = redo(out, (x < _GELU_TAIL) & (x > -40.0), tail)  # below -40 the value underflows to 0
    return redo(out, np.abs(x - GELU_ARGMIN[0]) < 0.1,
                lambda m: np.polynomial.polynomial.polyval(_offset(x[m], GELU_ARGMIN), _GELU_COEFFS))


def gelu_tanh_arg(x):
    r""":math:`t = 2\sqrt{2/\pi}\,(x + 0.044715x^3)`, so that :math:`(1 + \tanh(t/2))/2 = \sigma(t)`."""
    xc = np.clip(x, -1e5, 1e5)  # beyond this the gate is exactly 0 or 1 anyway
    return 2.0 * SQRT_2_OVER_PI * (xc + GELU_TANH_COEFF * xc * xc * xc)


def gelu_tanh(x):
    return x_sigmoid(x, gelu_tanh_arg(x))


def d_gelu_tanh(x):
    r""":math:`\sigma(t) + x\,\sigma(t)\sigma(-t)\,t'(x) = \sigma(t)\sigma(-t)\,N(x)`,
    :math:`N = 1 + e^t + xt'`.

    Near the zero :math:`x_0` (:math:`N(x_0) = 0`), with :math:`d = x - x_0`,
    :math:`N = e^{t(x_0)}\operatorname{expm1}(t(x) - t(x_0)) + (xt'(x) - x_0t'(x_0))`,
    and both differences are :math:`d` times a positive factor.
    """
    k = 2.0 * SQRT_2_OVER_PI
    t = gelu_tanh_arg(x)
    xc = np.clip(x, -1e3, 1e3)  # beyond, sigma(t) sigma(-t) is exactly 0
    dt = k * (1.0 + 3.0 * GELU_TANH_COEFF * xc * xc)
    s, sm = sigmoid(t), sigmoid(-t)
    out = s + xc * s * sm * dt

    def tail(m):  # sigma(t)(1 + x t' sigma(-t)) = e^t (1 + x t') to 1e-300
        return -np.exp(t[m] + np.log(-(1.0 + xc[m] * dt[m])))

    def window(m):
        x0, xm = GELU_TANH_ARGMIN[0], x[m]
        d = _offset(xm, GELU_TANH_ARGMIN)
        q = xm * xm + xm * x0 + x0 * x0
        e0 = math.exp(gelu_tanh_arg(x0))
        n = e0 * np.expm1(k * d * (1.0 + GELU_TANH_COEFF * q)) + k * d * (1.0 + 3.0 * GELU_TANH_COEFF * q)
        return s[m] * sm[m] * n

    out = redo(out, t < _TAIL, tail)
    return redo(out, np.abs(x - GELU_TANH_ARGMIN[0]) < 0.15, window)


# ----------------------------------------------------------------------------
# Mish, x tanh(softplus(x))
# ----------------------------------------------------------------------------

def mish(x):
    def tail(m):  # tanh(softplus(x)) = e^x to 1e-300
        xm = x[m]
        return np.where(np.isinf(xm), -0.0, -np.exp(_log_abs(xm) + xm))

    return redo(gate(x, np.tanh(softplus(x))), x < _TAIL, tail)


def d_mish(x):
    r""":math:`\tanh(s) + x\operatorname{sech}^2(s)\sigma(x)`, :math:`s = \operatorname{softplus}(x)`.

    With :math:`E = e^x` this is :math:`E\,M/(E^2 + 2E + 2)^2`,
    :math:`M = E^3 + 4E^2 + 6E + 4 + 4x(1 + E)`. Near the zero :math:`x_0` of
    :math:`M`, with :math:`d = x - x_0` and :math:`D = E - E_0 = E_0\operatorname{expm1}(d)`,
    :math:`M = D(E^2 + EE_0 + E_0^2 + 4(E + E_0) + 6 + 4x) + 4d(1 + E_0)`: one sign.
    """
    s = softplus(x)
    xc = np.clip(x, -_CLIP, _CLIP)
    out = np.tanh(s) + xc * sech2(s) * sigmoid(xc)

    def tail(m):  # E M / (...)^2 = e^x (1 + x) to 1e-300
        xm = x[m]
        return np.where(np.isinf(xm), 0.0, -np.exp(xm + np.log(-1.0 - xm)))

    def window(m):
        xm, d = x[m], _offset(x[m], MISH_ARGMIN)
        e0, e = math.exp(MISH_ARGMIN[0]), np.exp(xm)
        big_d = e0 * np.expm1(d)
        big_m = big_d * (e * e + e * e0 + e0 * e0 + 4.0 * (e + e0) + 6.0 + 4.0 * xm) + 4.0 * d * (1.0 + e0)
        return e * big_m / (e * e + 2.0 * e + 2.0) ** 2

    out = redo(out, x < _TAIL, tail)
    return redo(out, np.abs(x - MISH_ARGMIN[0]) < 0.15, window)


# ----------------------------------------------------------------------------
# Tanhshrink, x - tanh(x)
# ----------------------------------------------------------------------------

def _bernoulli(n: int) -> list[Fraction]:
    r"""The Bernoulli numbers :math:`B_0 \dots B_n` (with :math:`B_1 = +1/2`), exactly
    (the Akiyama-Tanigawa algorithm)."""
    out, row = [], [Fraction(0)] * (n + 1)
    for m in range(n + 1):
        row[m] = Fraction(1, m + 1)
        for j in range(m, 0, -1):
            row[j - 1] = j * (row[j - 1] - row[j])
        out.append(row[0])
    return out


def _x_minus_tanh_taylor(terms: int) -> np.ndarray:
    r"""Coefficients :math:`c_k` of :math:`x - \tanh x = x^3 \sum_k c_k (x^2)^k`.

    From :math:`\tanh x = \sum_{n \ge 1} 2^{2n}(2^{2n} - 1)B_{2n}x^{2n - 1}/(2n)!`,
    whose first term is :math:`x`; computed with exact fractions, rounded once.
    """
    b = _bernoulli(2 * terms + 2)
    coeffs = [-Fraction(4**n * (4**n - 1)) * b[2 * n] / math.factorial(2 * n)
              for n in range(2, terms + 2)]
    return np.array([float(c) for c in coeffs])


_TANHSHRINK_COEFFS = _x_minus_tanh_taylor(12)
#: Below this |x|, x - tanh(x) loses more than 3e-15 to cancellation: use the series there.
_TANHSHRINK_SERIES = 0.3


def tanhshrink(x):
    r""":math:`x - \tanh x`, without the cancellation near 0 (where it is :math:`x^3/3`).

    For :math:`|x| < 0.3` the Taylor series, :math:`x \cdot t\,p(t)` with
    :math:`t = x^2` (12 terms, each below the previous by :math:`(2x/\pi)^2`);
    elsewhere the difference itself, which loses at most a few units there.
    """
    with np.errstate(over="ignore", invalid="ignore"):
        out = x - np.tanh(x)

    def series(m):
        xm = x[m]
        t = xm * xm
        return xm * (t * np.polynomial.polynomial.polyval(t, _TANHSHRINK_COEFFS))

    return redo(out, np.abs(x) < _TANHSHRINK_SERIES, series)


# ----------------------------------------------------------------------------
# Vector-valued activations
# ----------------------------------------------------------------------------

def prepare_axis(x, axis):
    """``(float64 array, output dtype, normalised axis)`` for the vector-valued functions."""
    arr, dtype, _ = as_float_array(x)
    ax = check_axis(axis, arr.ndim)
    return arr.astype(np.float64, copy=False), dtype, ax


def halves(x, axis, who: str):
    """Split ``x`` along ``axis`` into value and gate halves: ``(a, b, dtype, axis)``."""
    z, dtype, ax = prepare_axis(x, axis)
    n = z.shape[ax]
    if n % 2:
        raise ValueError(f"{who}: the input's length along axis {axis} ({n}) must be even; "
                         "the first half is the value, the second half the gate")
    a, b = np.split(z, 2, axis=ax)
    return a, b, dtype, ax


def maxout_groups(x, k, axis, who: str = "maxout"):
    """``x`` with ``axis`` moved last and split into groups of ``k``: shape ``(..., n // k, k)``."""
    z, dtype, ax = prepare_axis(x, axis)
    n = z.shape[ax]
    if n % k:
        raise ValueError(f"{who}: the input's length along axis {axis} ({n}) is not divisible by "
                         f"k={short(k)}")
    z = np.moveaxis(z, ax, -1)
    return z.reshape(*z.shape[:-1], n // k, k), dtype, ax


def shifted(z, axis: int, temperature: float):
    r"""``((z - max) / T, max)`` along ``axis``, the max over the finite and infinite entries.

    The difference is formed before the division, so a tiny temperature
    sends the non-maximal entries to :math:`-\infty` instead of overflowing
    every entry to :math:`+\infty`; where ``z - max`` itself overflows, the
    difference is ``z/T - max/T`` instead. An empty axis gives empty output.
    """
    m = np.max(z, axis=axis, keepdims=True, initial=-np.inf)
    safe = np.where(np.isfinite(m), m, 0.0)
    with np.errstate(over="ignore", invalid="ignore"):
        diff = z - safe
        d = diff / temperature
        redo = np.isinf(diff) & np.isfinite(z)
        if redo.any():
            d = np.where(redo, z / temperature - safe / temperature, d)
    return d, m
