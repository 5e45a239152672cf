"""Independent high-precision references for actlib's elementwise activations.

Each entry is written from the textbook definition with mpmath at 60 digits,
sharing no code with actlib: ``FORWARD[name](x, **params)``,
``DERIVATIVE[name](x, **params)`` and ``PARAM_DERIVATIVE[name, param](x, **params)``
return ``mpmath.mpf``. The only liberties taken are the ones that keep a
60-digit evaluation exact at the extremes of the double range:

* ``log(1 + e^z)`` is written ``max(z, 0) + log1p(e^{-|z|})`` and
  ``log sigma(x)`` as ``-softplus(-x)``, identities that avoid the rounding
  of ``1 + e^{-x}`` to 1 at 60 digits;
* ``x - tanh(x)`` near 0 is evaluated with as many more digits as the two terms
  share (about ``2 log10(1/|x|)``), so the difference keeps 60;
* ``e^z`` for ``z < -10^5`` is taken as 0. It is below ``10^{-43000}``: even
  multiplied by ``(10^{308})^2`` it rounds to zero in every float format, and
  mpmath would otherwise spend seconds on it. The normal CDF and density are
  cut off the same way beyond ``|x| > 10^4``.
"""

from __future__ import annotations

import mpmath as mp

mp.mp.dps = 60

SELU_ALPHA = mp.mpf("1.6732632423543772848170429916717")
SELU_SCALE = mp.mpf("1.0507009873554804934193349852946")
C_TANH = mp.mpf("0.044715")
C_SIG = mp.mpf("1.702")
_CUT = mp.mpf(10) ** 5


def _exp(z):
    return mp.mpf(0) if z < -_CUT else mp.exp(z)


def _expm1(z):
    return mp.mpf(-1) if z < -_CUT else mp.expm1(z)


def sig(z):
    if z >= 0:
        return 1 / (1 + _exp(-z))
    e = _exp(z)
    return e / (1 + e)


def softplus_exact(z):
    return max(z, mp.mpf(0)) + mp.log1p(_exp(-abs(z)))


def _tanh(z):
    return mp.sign(z) if abs(z) > _CUT else mp.tanh(z)


def _sech2(z):
    """1 - tanh(z)^2 = 4 e^{-2|z|} / (1 + e^{-2|z|})^2, without cancellation."""
    e = _exp(-2 * abs(z))
    return 4 * e / (1 + e) ** 2


def ncdf(x):
    if x < -10_000:
        return mp.mpf(0)
    if x > 10_000:
        return mp.mpf(1)
    return mp.ncdf(x)


def npdf(x):
    return mp.mpf(0) if abs(x) > 10_000 else mp.npdf(x)


def _relu(x):
    return x if x > 0 else mp.mpf(0)


def _u(x):
    return mp.sqrt(2 / mp.pi) * (x + C_TANH * x**3)


def _softplus(x, beta=1.0, threshold=None):
    beta = mp.mpf(beta)
    if threshold is not None and beta * x > threshold:
        return x
    return softplus_exact(beta * x) / beta


def _d_softplus(x, beta=1.0, threshold=None):
    beta = mp.mpf(beta)
    if threshold is not None and beta * x > threshold:
        return mp.mpf(1)
    return sig(beta * x)


def _d_softplus_dbeta(x, beta=1.0, threshold=None):
    beta = mp.mpf(beta)
    z = beta * x
    if threshold is not None and z > threshold:
        return mp.mpf(0)
    if abs(z) > _CUT:
        return mp.mpf(0)  # below 10^-43000: see the module docstring
    # d/dbeta [softplus(beta x) / beta] = x sigma(beta x) / beta - softplus(beta x) / beta^2;
    # the two terms agree to about |z| / ln(10) digits: work with that many more
    with mp.workdps(mp.mp.dps + int(abs(z) / 2.3)):
        return +((z * sig(z) - softplus_exact(z)) / beta**2)


def _swish(x, beta=1.0):
    return x * sig(mp.mpf(beta) * x)


def _d_swish(x, beta=1.0):
    t = mp.mpf(beta) * x
    return sig(t) + t * sig(t) * sig(-t)


def _mish(x):
    return x * _tanh(softplus_exact(x))


def _d_mish(x):
    s = softplus_exact(x)
    return _tanh(s) + x * _sech2(s) * sig(x)


def _tanhshrink(x):
    """x - tanh(x), with enough digits that the difference keeps 60 of them near 0 (x^3/3)."""
    if x == 0:
        return mp.mpf(0)
    lost = max(0, int(-2 * mp.log10(abs(x)))) + 5  # tanh x agrees with x to about 2 log10(1/|x|) digits
    with mp.workdps(mp.mp.dps + lost):
        return +(x - _tanh(x))


def _shrink(x, lambd, soft):
    lam = mp.mpf(lambd)
    if abs(x) <= lam:
        return mp.mpf(0)
    return x - mp.sign(x) * lam if soft else x


def _d_gelu_tanh(x):
    u = _u(x)
    du = mp.sqrt(2 / mp.pi) * (1 + 3 * C_TANH * x**2)
    return sig(2 * u) + x / 2 * _sech2(u) * du  # (1 + tanh u)/2 = sigma(2u)


FORWARD = {
    "identity": lambda x: x,
    "sigmoid": sig,
    "hard_sigmoid_keras": lambda x: min(max(x / 5 + mp.mpf(1) / 2, 0), 1),
    "hard_sigmoid_torch": lambda x: min(max(x / 6 + mp.mpf(1) / 2, 0), 1),
    "hardtanh": lambda x, min_val=-1.0, max_val=1.0: min(max(x, mp.mpf(min_val)), mp.mpf(max_val)),
    "tanh": _tanh,
    "softsign": lambda x: x / (1 + abs(x)),
    "softplus": _softplus,
    "log_sigmoid": lambda x: -softplus_exact(-x),
    "relu": _relu,
    "relu6": lambda x: min(_relu(x), 6),
    "clipped_relu": lambda x, max_value=20.0: min(_relu(x), mp.mpf(max_value)),
    "leaky_relu": lambda x, negative_slope=0.01: x if x >= 0 else mp.mpf(negative_slope) * x,
    "prelu": lambda x, a=0.25: x if x >= 0 else mp.mpf(a) * x,
    "rrelu": lambda x, lower=1 / 8, upper=1 / 3: x if x >= 0 else (mp.mpf(lower) + mp.mpf(upper)) / 2 * x,
    "thresholded_relu": lambda x, theta=1.0: x if x > theta else mp.mpf(0),
    "hardshrink": lambda x, lambd=0.5: _shrink(x, lambd, soft=False),
    "softshrink": lambda x, lambd=0.5: _shrink(x, lambd, soft=True),
    "tanhshrink": _tanhshrink,
    "elu": lambda x, alpha=1.0: x if x > 0 else mp.mpf(alpha) * _expm1(x),
    "celu": lambda x, alpha=1.0: x if x > 0 else mp.mpf(alpha) * _expm1(x / mp.mpf(alpha)),
    "selu": lambda x: SELU_SCALE * (x if x > 0 else SELU_ALPHA * _expm1(x)),
    "gelu": lambda x: x * ncdf(x),
    "gelu_tanh": lambda x: x * sig(2 * _u(x)),  # x/2 (1 + tanh u), (1 + tanh u)/2 = sigma(2u)
    "gelu_sigmoid": lambda x: x * sig(C_SIG * x),
    "silu": lambda x: x * sig(x),
    "swish": _swish,
    "hard_swish": lambda x: x * min(max(x + 3, 0), 6) / 6,
    "mish": _mish,
    "squared_relu": lambda x: _relu(x) ** 2,
}

DERIVATIVE = {
    "identity": lambda x: mp.mpf(1),
    "sigmoid": lambda x: sig(x) * sig(-x),  # sigma (1 - sigma), with 1 - sigma(x) = sigma(-x)
    "hard_sigmoid_keras": lambda x: mp.mpf("0.2") if abs(x) < 2.5 else mp.mpf(0),
    "hard_sigmoid_torch": lambda x: mp.mpf(1) / 6 if abs(x) < 3 else mp.mpf(0),
    # at the ends, where the one-sided slopes are 1 and 0, PyTorch's value 0
    "hardtanh": lambda x, min_val=-1.0, max_val=1.0: mp.mpf(1) if min_val < x < max_val else mp.mpf(0),
    "tanh": _sech2,  # = 1 - tanh^2, without the cancellation a 60-digit 1 - tanh^2 suffers
    "softsign": lambda x: 1 / (1 + abs(x)) ** 2,
    "softplus": _d_softplus,
    "log_sigmoid": lambda x: sig(-x),
    "relu": lambda x: mp.mpf(1) if x > 0 else mp.mpf(0),
    "relu6": lambda x: mp.mpf(1) if 0 < x < 6 else mp.mpf(0),
    "clipped_relu": lambda x, max_value=20.0: mp.mpf(1) if 0 < x < max_value else mp.mpf(0),
    "leaky_relu": lambda x, negative_slope=0.01: mp.mpf(1) if x > 0 else mp.mpf(negative_slope),
    "prelu": lambda x, a=0.25: mp.mpf(1) if x > 0 else mp.mpf(a),
    "rrelu": lambda x, lower=1 / 8, upper=1 / 3: mp.mpf(1) if x > 0 else (mp.mpf(lower) + mp.mpf(upper)) / 2,
    "thresholded_relu": lambda x, theta=1.0: mp.mpf(1) if x > theta else mp.mpf(0),
    "hardshrink": lambda x, lambd=0.5: mp.mpf(1) if abs(x) > lambd else mp.mpf(0),
    "softshrink": lambda x, lambd=0.5: mp.mpf(1) if abs(x) > lambd else mp.mpf(0),
    "tanhshrink": lambda x: _tanh(x) ** 2,  # 1 - sech^2 x, without its cancellation
    "elu": lambda x, alpha=1.0: mp.mpf(1) if x > 0 else mp.mpf(alpha) * _exp(x),
    "celu": lambda x, alpha=1.0: mp.mpf(1) if x > 0 else _exp(x / mp.mpf(alpha)),
    "selu": lambda x: SELU_SCALE * (1 if x > 0 else SELU_ALPHA * _exp(x)),
    "gelu": lambda x: ncdf(x) + x * npdf(x),
    "gelu_tanh": _d_gelu_tanh,
    "gelu_sigmoid": lambda x: _d_swish(x, C_SIG),
    "silu": lambda x: sig(x) * (1 + x * sig(-x)),
    "swish": _d_swish,
    # at the kinks -3 and 3 (one-sided values 0 | -1/2 and 3/2 | 1), PyTorch's values 0 and 1
    "hard_swish": lambda x: mp.mpf(0) if x <= -3 else (mp.mpf(1) if x >= 3 else 2 * x / 6 + mp.mpf(1) / 2),
    "mish": _d_mish,
    "squared_relu": lambda x: 2 * _relu(x),
}

PARAM_DERIVATIVE = {
    ("softplus", "beta"): _d_softplus_dbeta,
    ("leaky_relu", "negative_slope"): lambda x, negative_slope=0.01: min(x, mp.mpf(0)),
    ("prelu", "a"): lambda x, a=0.25: min(x, mp.mpf(0)),
    ("elu", "alpha"): lambda x, alpha=1.0: mp.mpf(0) if x > 0 else _expm1(x),
    ("swish", "beta"): lambda x, beta=1.0: x * x * sig(mp.mpf(beta) * x) * sig(-mp.mpf(beta) * x),
}
