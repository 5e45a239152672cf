"""Independent 50-digit references for actlib's elementwise activations.

Each entry is written from the textbook definition with mpmath, sharing no code
with actlib: ``FORWARD[name](x, **params)`` and ``DERIVATIVE[name](x, **params)``
(closed forms, not actlib's rearrangements) return ``mpmath.mpf``.
"""

from __future__ import annotations

import mpmath as mp

mp.mp.dps = 50

SELU_ALPHA = mp.mpf("1.6732632423543772848170429916717")
SELU_SCALE = mp.mpf("1.0507009873554804934193349852946")


def sig(x):
    return 1 / (1 + mp.exp(-x))


def softplus_exact(x):
    return mp.log1p(mp.exp(x)) if x < 0 else x + mp.log1p(mp.exp(-x))


def _relu(x):
    return x if x > 0 else mp.mpf(0)


def _u(x):
    return mp.sqrt(2 / mp.pi) * (x + mp.mpf("0.044715") * x**3)


def _softplus(x, beta=1.0, threshold=20.0):
    beta = mp.mpf(beta)
    if beta * x > threshold:
        return x
    return softplus_exact(beta * x) / beta


FORWARD = {
    "identity": lambda x: x,
    "sigmoid": sig,
    "hard_sigmoid_keras": lambda x: min(max(x / 5 + mp.mpf(1) / 2, 0), 1),
    "hard_sigmoid_torch": lambda x: min(max(x / 6 + mp.mpf(1) / 2, 0), 1),
    "tanh": mp.tanh,
    "softsign": lambda x: x / (1 + abs(x)),
    "softplus": _softplus,
    "log_sigmoid": lambda x: mp.log(sig(x)),
    "relu": _relu,
    "relu6": lambda x: min(_relu(x), 6),
    "clipped_relu": lambda x, max_value=20.0: min(_relu(x), mp.mpf(max_value)),
    "leaky_relu": lambda x, negative_slope=0.01: x if x >= 0 else mp.mpf(negative_slope) * x,
    "prelu": lambda x, a=0.25: x if x >= 0 else mp.mpf(a) * x,
    "rrelu": lambda x, lower=1 / 8, upper=1 / 3: x if x >= 0 else (mp.mpf(lower) + mp.mpf(upper)) / 2 * x,
    "thresholded_relu": lambda x, theta=1.0: x if x > theta else mp.mpf(0),
    "elu": lambda x, alpha=1.0: x if x > 0 else mp.mpf(alpha) * mp.expm1(x),
    "celu": lambda x, alpha=1.0: x if x > 0 else mp.mpf(alpha) * mp.expm1(x / mp.mpf(alpha)),
    "selu": lambda x: SELU_SCALE * (x if x > 0 else SELU_ALPHA * mp.expm1(x)),
    "gelu": lambda x: x * mp.ncdf(x),
    "gelu_tanh": lambda x: x * sig(2 * _u(x)),  # x/2 (1 + tanh u), (1 + tanh u)/2 = sigma(2u)
    "gelu_sigmoid": lambda x: x * sig(mp.mpf("1.702") * x),
    "silu": lambda x: x * sig(x),
    "swish": lambda x, beta=1.0: x * sig(mp.mpf(beta) * x),
    "hard_swish": lambda x: x * min(max(x + 3, 0), 6) / 6,
    "mish": lambda x: x * mp.tanh(softplus_exact(x)),
}


def _sech2(x):
    return 1 / mp.cosh(x) ** 2  # = 1 - tanh(x)^2


def _d_gelu_tanh(x):
    u = _u(x)
    du = mp.sqrt(2 / mp.pi) * (1 + 3 * mp.mpf("0.044715") * x**2)
    return sig(2 * u) + x / 2 * _sech2(u) * du  # (1 + tanh u)/2 = sigma(2u)


DERIVATIVE = {
    "identity": lambda x: mp.mpf(1),
    "sigmoid": lambda x: sig(x) * sig(-x),  # sigma (1 - sigma), with 1 - sigma(x) = sigma(-x)
    "hard_sigmoid_keras": lambda x: mp.mpf("0.2") if abs(x) < 2.5 else mp.mpf(0),
    "hard_sigmoid_torch": lambda x: mp.mpf(1) / 6 if abs(x) < 3 else mp.mpf(0),
    "tanh": _sech2,  # = 1 - tanh^2, without the cancellation a 50-digit 1 - tanh^2 suffers
    "softsign": lambda x: 1 / (1 + abs(x)) ** 2,
    "softplus": lambda x, beta=1.0, threshold=20.0: mp.mpf(1) if beta * x > threshold else sig(mp.mpf(beta) * x),
    "log_sigmoid": lambda x: sig(-x),
    "relu": lambda x: mp.mpf(1) if x > 0 else mp.mpf(0),
    "relu6": lambda x: mp.mpf(1) if 0 < x < 6 else mp.mpf(0),
    "clipped_relu": lambda x, max_value=20.0: mp.mpf(1) if 0 < x < max_value else mp.mpf(0),
    "leaky_relu": lambda x, negative_slope=0.01: mp.mpf(1) if x > 0 else mp.mpf(negative_slope),
    "prelu": lambda x, a=0.25: mp.mpf(1) if x > 0 else mp.mpf(a),
    "rrelu": lambda x, lower=1 / 8, upper=1 / 3: mp.mpf(1) if x > 0 else (mp.mpf(lower) + mp.mpf(upper)) / 2,
    "thresholded_relu": lambda x, theta=1.0: mp.mpf(1) if x > theta else mp.mpf(0),
    "elu": lambda x, alpha=1.0: mp.mpf(1) if x > 0 else mp.mpf(alpha) * mp.exp(x),
    "celu": lambda x, alpha=1.0: mp.mpf(1) if x > 0 else mp.exp(x / mp.mpf(alpha)),
    "selu": lambda x: SELU_SCALE * (1 if x > 0 else SELU_ALPHA * mp.exp(x)),
    "gelu": lambda x: mp.ncdf(x) + x * mp.npdf(x),
    "gelu_tanh": _d_gelu_tanh,
    "gelu_sigmoid": lambda x: sig(mp.mpf("1.702") * x) + mp.mpf("1.702") * x * sig(mp.mpf("1.702") * x) * sig(-mp.mpf("1.702") * x),
    "silu": lambda x: sig(x) * (1 + x * sig(-x)),
    "swish": lambda x, beta=1.0: sig(mp.mpf(beta) * x) + mp.mpf(beta) * x * sig(mp.mpf(beta) * x) * sig(-mp.mpf(beta) * x),
    "hard_swish": lambda x: mp.mpf(0) if x < -3 else (mp.mpf(1) if x > 3 else 2 * x / 6 + mp.mpf(1) / 2),
    "mish": lambda x: mp.diff(lambda t: t * mp.tanh(softplus_exact(t)), x),
}
