r"""What the checks know about each activation, as data: where to read, where naive forms fail,
and the usual wrong answers.

The checks in :mod:`~actlib.teaching.checks.stable_activations` and
:mod:`~actlib.teaching.checks.custom_autograd` are generic; everything specific
to one activation lives here:

* :data:`READ_MORE`: where a message sends the student;
* :data:`OVERFLOW`: what usually goes wrong at :math:`\pm 1000`;
* :data:`TAILS` and :data:`DERIVATIVE_TAILS`: inputs where only a stable form gets the
  value right, each with what a naive form does there. Every one of them was chosen
  so that the naive formula is wrong *whether or not* numpy's warnings are silenced
  (``sigmoid(-720)`` is about ``2e-313``; ``1/(1 + exp(720))`` is 0), while a stable
  formula in the same dtype is within a few ULP;
* :data:`MISTAKES` and :data:`DERIVATIVE_MISTAKES`: wrong answers recognised by name;
* :data:`BACKWARD_HINTS` and :data:`LARGE_INPUT_HINTS`: how to differentiate, and what
  overflows at large inputs, for a custom autograd Function.

Expected values are never typed in here: the wrong answers are functions, and the
constants come from :mod:`actlib`.
"""

from __future__ import annotations

import math
from collections.abc import Callable, Mapping
from dataclasses import dataclass

import numpy as np

from ...functions import GELU_TANH_COEFF
from ...registry import get

__all__ = ["Tail", "Mistake", "READ_MORE", "OVERFLOW", "NAN_HINT", "TAILS", "DERIVATIVE_TAILS",
           "MISTAKES", "DERIVATIVE_MISTAKES", "BACKWARD_HINTS", "LARGE_INPUT_HINTS"]

_A1 = "assignment 1 (Stable activations), section 'Stable forms'"

#: Where each message sends the student to read more.
READ_MORE: Mapping[str, str] = {
    "sigmoid": "the chapter 'Sigmoid, tanh and their relatives', section 'Computing the sigmoid "
               f"without overflow'; {_A1}; help(actlib.sigmoid)",
    "tanh": "the chapter 'Sigmoid, tanh and their relatives', section 'The hyperbolic tangent' "
            f"(tanh' = 1 - tanh^2); {_A1}; help(actlib.d_tanh)",
    "relu": f"the chapter 'The rectifiers', section 'ReLU'; {_A1}; help(actlib.relu)",
    "leaky_relu": f"the chapter 'The rectifiers', section 'Leaky ReLU'; {_A1}; help(actlib.leaky_relu)",
    "elu": "the chapter 'Exponential linear units', section 'ELU: a rectifier with a soft floor'; "
           f"{_A1}; help(actlib.elu)",
    "gelu": "the chapter 'Smooth gates', sections 'Cheaper forms' and 'What \"NewGELU\" is'; "
            f"{_A1}; help(actlib.gelu)",
    "swish": f"the chapter 'Smooth gates', section 'SiLU and Swish'; {_A1}; help(actlib.swish)",
    "mish": "the chapter 'Smooth gates', section 'Mish'; assignment 4 (A custom "
            "torch.autograd.Function), section 'Anatomy of an autograd.Function'",
    "nan": "assignment 1 (Stable activations), section 'NaN must propagate'",
    "dtype": "assignment 1 (Stable activations), section 'dtype and shape'",
    "backprop": "the chapter 'Saturation and vanishing gradients', section 'The chain rule through "
                "depth'; assignment 2 (Backpropagation by hand), section 'Backpropagation by hand'",
    "vanishing": "the chapter 'Saturation and vanishing gradients'; assignment 2 "
                 "(Backpropagation by hand), section 'Measuring vanishing gradients'",
    "dead": "the chapter 'Dead neurons'; assignment 3 (Dead units), section 'When is a unit dead?'",
    "autograd": "assignment 4 (A custom torch.autograd.Function), section 'Anatomy of an "
                "autograd.Function'",
    "experiment": "the chapter 'How to choose an activation'; assignment 5 (Choose an "
                  "activation), section 'A fair comparison'",
}

#: What usually goes wrong at ±1000 (a value of nan, inf or a wrong limit).
OVERFLOW: Mapping[str, str] = {
    "sigmoid": "np.exp(-x) overflows for x = -1000 and np.exp(x) for x = 1000. Compute from "
               "e = np.exp(-np.abs(x)), which never overflows: 1/(1 + e) for x >= 0 and "
               "e/(1 + e) for x < 0.",
    "tanh": "the formula (e^x - e^-x)/(e^x + e^-x) overflows for |x| = 1000 (inf/inf is nan); use "
            "np.tanh, or 2*sigmoid(2x) - 1 with a stable sigmoid.",
    "elu": "exp(x) for x = 1000 is inf; keep the exponential to x <= 0 with "
           "np.expm1(np.minimum(x, 0)).",
    "swish": "x / (1 + np.exp(-beta*x)) computes exp(1000) for x = -1000. Multiply x by a stable "
             "sigmoid (one that never exponentiates a positive number) instead.",
    "gelu": "a cube or an exponential of a large input overflowed; Phi(x) = "
            "0.5*scipy.special.erfc(-x/sqrt(2)) needs neither.",
    "leaky_relu": "a piecewise-linear function needs no exp at all.",
    "relu": "a piecewise-linear function needs no exp at all.",
}

NAN_HINT = (
    "A NaN input means something upstream already went wrong; an activation that turns it "
    "into a number hides the bug. Comparisons with NaN are False, so np.where(x > 0, ...) "
    "silently takes the other branch; np.maximum and np.minimum propagate NaN, and "
    "np.where(np.isnan(x), x, ...) restores it."
)


@dataclass(frozen=True)
class Tail:
    """An input at which only a stable form gets the value right.

    ``x`` is the input for the default parameters; with ``scale`` (a parameter name such
    as ``"beta"``) the input is ``x / params[scale]``, so that ``scale * input`` stays the
    critical value. ``why`` says what a naive formula does there.
    """

    x: float
    dtype: str
    why: str
    scale: str | None = None

    def input(self, params: Mapping) -> float:
        if self.scale is None:
            return self.x
        return self.x / float(params.get(self.scale, 1.0))


_SIG_UNDER = ("1/(1 + np.exp(-x)) computes exp({a}), which overflows to inf, so the quotient "
              "is 0 whether or not numpy's warning is silenced (scipy.special.expit returns 0 "
              "there too); the true value is tiny but not 0. Compute from e = "
              "np.exp(-np.abs(x)): 1/(1 + e) for x >= 0 and e/(1 + e) for x < 0.")
_ONE_MINUS = ("sigmoid({a}) rounds to 1.0, so 1 - sigmoid({a}) is exactly 0 and "
              "sigmoid(x)(1 - sigmoid(x)) loses the whole value. Use sigmoid(x) * sigmoid(-x), "
              "which never subtracts.")
_EXPM1 = ("np.exp(x) - 1 cancels for x near 0: exp(x) is 1 plus a tiny amount, and the "
          "subtraction keeps only the rounding error of that sum. np.expm1(x) computes e^x - 1 "
          "without the cancellation.")
_ERF = ("0.5 * (1 + erf(x / sqrt(2))) cancels for negative x: erf is -1 plus a tiny amount, and "
        "1 + erf keeps only its rounding error (it is exactly 0 below x = -8.4). "
        "0.5 * scipy.special.erfc(-x / sqrt(2)) computes the same Phi(x) without the "
        "cancellation.")

#: Inputs where only a stable forward pass is right (checked to a few ULP).
TAILS: Mapping[str, tuple[Tail, ...]] = {
    "sigmoid": (Tail(-720.0, "float64", _SIG_UNDER.format(a=720)),
                Tail(-740.0, "float64", _SIG_UNDER.format(a=740)),
                Tail(-90.0, "float32", _SIG_UNDER.format(a=90) + " (In float32, exp already "
                     "overflows above 88.7.)"),
                Tail(-95.0, "float32", _SIG_UNDER.format(a=95))),
    "elu": (Tail(-1e-10, "float64", _EXPM1), Tail(-1e-8, "float64", _EXPM1),
            Tail(-1e-4, "float32", _EXPM1), Tail(-1e-5, "float32", _EXPM1)),
    "swish": (Tail(-720.0, "float64", "x / (1 + np.exp(-beta*x)) computes exp(720), which "
                   "overflows to inf, so the result is 0 whether or not numpy's warning is "
                   "silenced; the true value is tiny but not 0. "
                   "Multiply x by a stable sigmoid of beta*x instead.", scale="beta"),
              Tail(-95.0, "float32", "x / (1 + np.exp(-beta*x)) overflows in float32 once "
                   "beta*x < -88.7, so the result is 0 whether or not numpy's warning is silenced. "
                   "Multiply x by a stable sigmoid of "
                   "beta*x instead.", scale="beta")),
    "gelu": (Tail(-10.0, "float64", _ERF), Tail(-20.0, "float64", _ERF),
             Tail(-30.0, "float64", _ERF)),
}

#: Inputs where only a stable derivative is right.
DERIVATIVE_TAILS: Mapping[str, tuple[Tail, ...]] = {
    "sigmoid": (Tail(-720.0, "float64", "sigmoid'(-720) is about 2e-313; if your sigmoid returns "
                     "0 there, its derivative does too. " + _SIG_UNDER.format(a=720)),
                Tail(40.0, "float64", _ONE_MINUS.format(a=40)),
                Tail(720.0, "float64", _ONE_MINUS.format(a=720)),
                Tail(20.0, "float32", _ONE_MINUS.format(a=20) + " (In float32 already at 20.)")),
    "swish": (Tail(-720.0, "float64", "swish'(x) = s + beta x s (1 - s) with s = sigmoid(beta x); "
                   "at beta*x = -720 s is about 2e-313, and a sigmoid that overflows returns 0 "
                   "there, whether or not numpy's warning is silenced. Use a stable sigmoid, "
                   "and s * sigmoid(-beta x) for s (1 - s).",
                   scale="beta"),),
    "gelu": (Tail(-10.0, "float64", _ERF), Tail(-20.0, "float64", _ERF)),
}


@dataclass(frozen=True)
class Mistake:
    """A wrong answer recognised by name: ``wrong(x, **params)`` and the message for it.

    ``when`` restricts the mistake to parameter values for which it differs from the right
    answer (e.g. ignoring ``beta`` matters only when ``beta != 1``).
    """

    wrong: Callable
    message: str
    when: Callable[[Mapping], bool] = lambda params: True


def _c_outside() -> float:
    # sqrt(2/pi) * 0.044715: the GELU constant that belongs OUTSIDE the bracket.
    return math.sqrt(2.0 / math.pi) * GELU_TANH_COEFF


def _gelu_constant_inside(x):
    return 0.5 * x * (1.0 + np.tanh(math.sqrt(2.0 / math.pi) * (x + _c_outside() * x ** 3)))


def _ignores(name: str, key: str, derivative: bool = False) -> Mistake:
    """The mistake of ``name`` (or its derivative) computed at its default ``key``."""
    default = get(name).defaults[key]
    fn = get(name).derivative if derivative else get(name).fn
    what, which = (f"{name}'", "derivative") if derivative else (name, "function")
    return Mistake(lambda x, **p: fn(x),
                   f"{what}(x, {key}=...) returned the values for {key}={default:g}: your "
                   f"{which} ignores its {key} argument (or hard-codes the default).",
                   when=lambda params: key in params and params[key] != default)


def _swish_derivative_without_beta(x, beta=1.0):
    s = get("sigmoid").fn(beta * x)
    return s + x * s * (1.0 - s)


#: Wrong forward passes recognised by name.
MISTAKES: Mapping[str, tuple[Mistake, ...]] = {
    "sigmoid": (Mistake(lambda x: np.tanh(x), "your sigmoid returns tanh(x); the sigmoid is "
                        "1/(1 + exp(-x)), with values in (0, 1)."),),
    "gelu": (
        Mistake(_gelu_constant_inside,
                f"your gelu is 0.5x(1 + tanh(sqrt(2/pi)(x + {_c_outside():.7f} x^3))): the "
                f"constant {_c_outside():.7f} is sqrt(2/pi) x {GELU_TANH_COEFF}, and it belongs "
                f"OUTSIDE the bracket, sqrt(2/pi) x + {_c_outside():.7f} x^3; inside the bracket "
                f"the constant is {GELU_TANH_COEFF}. This assignment asks for the exact GELU, "
                "x Phi(x), anyway."),
        Mistake(lambda x: get("gelu_tanh").fn(x),
                "your gelu matches GELU's tanh approximation (constant "
                f"{GELU_TANH_COEFF}), which differs from the exact x Phi(x) by up to 5e-4. This "
                "assignment asks for the exact GELU: x * 0.5 * erfc(-x / sqrt(2))."),
        Mistake(lambda x: get("gelu_sigmoid").fn(x),
                "your gelu is the sigmoid approximation x sigmoid(1.702 x); this assignment asks "
                "for the exact GELU, x Phi(x)."),
    ),
    "swish": (Mistake(lambda x, beta=1.0: get("silu").fn(x),
                      "swish(x, beta) returned x sigmoid(x): your function ignores its beta "
                      "argument (it computes SiLU, Swish with beta = 1).",
                      when=lambda params: params.get("beta", 1.0) != 1.0),),
    "leaky_relu": (_ignores("leaky_relu", "negative_slope"),),
    "elu": (_ignores("elu", "alpha"),),
}

#: Wrong derivatives recognised by name.
DERIVATIVE_MISTAKES: Mapping[str, tuple[Mistake, ...]] = {
    "tanh": (Mistake(lambda x: (1.0 - np.tanh(x)) ** 2,
                     "you returned (1 - tanh x)^2. The derivative of tanh is 1 - tanh^2 x = "
                     "(1 - tanh x)(1 + tanh x): the square is on tanh, not on the difference. "
                     "(They agree only at x = 0.)"),),
    "sigmoid": (Mistake(lambda x: x * (1.0 - x),
                        "you returned x(1 - x): the formula y(1 - y) takes the sigmoid's OUTPUT "
                        "y = sigmoid(x), not the input x."),),
    "relu": (Mistake(lambda x: np.ones_like(x),
                     "you returned 1 everywhere: ReLU is flat (0) for negative inputs, so its "
                     "derivative there is 0, not 1."),),
    "leaky_relu": (Mistake(lambda x, negative_slope=0.01: np.where(x > 0, 1.0, 0.0),
                           "you returned ReLU's derivative: for negative inputs leaky ReLU is the "
                           "line negative_slope * x, so its derivative there is negative_slope, "
                           "not 0."),
                   Mistake(lambda x, negative_slope=0.01: np.ones_like(x),
                           "you returned 1 everywhere: for negative inputs leaky ReLU's slope is "
                           "negative_slope, not 1."),
                   _ignores("leaky_relu", "negative_slope", derivative=True)),
    "elu": (_ignores("elu", "alpha", derivative=True),),
    "gelu": (Mistake(lambda x: get("gelu_tanh").derivative(x),
                     "you returned the derivative of GELU's tanh approximation; the exact GELU's "
                     "derivative is Phi(x) + x phi(x), with phi the standard normal density."),),
    "swish": (Mistake(_swish_derivative_without_beta,
                      "you returned sigmoid(bx) + x sigmoid(bx)(1 - sigmoid(bx)): the chain rule "
                      "gives a factor beta on the second term, sigmoid(bx) + b x sigmoid(bx)"
                      "(1 - sigmoid(bx)).",
                      when=lambda params: params.get("beta", 1.0) != 1.0),),
}

#: How to differentiate, for a backward pass that disagrees with actlib's derivative.
BACKWARD_HINTS: Mapping[str, str] = {
    "mish": "Differentiate f(x) = x tanh(softplus(x)) with the product rule: tanh(s) + x (1 - "
            "tanh(s)^2) sigmoid(x), with s = softplus(x) and softplus'(x) = sigmoid(x).",
    "swish": "Differentiate f(x) = x sigmoid(beta x) with the product rule: s + beta x s (1 - s), "
             "with s = sigmoid(beta x).",
    "sigmoid": "sigmoid'(x) = sigmoid(x) (1 - sigmoid(x)) = sigmoid(x) sigmoid(-x).",
    "tanh": "tanh'(x) = 1 - tanh(x)^2: save the output and use it.",
    "gelu": "GELU'(x) = Phi(x) + x phi(x), with phi the standard normal density.",
}

#: What usually overflows at large inputs in a custom autograd Function.
LARGE_INPUT_HINTS: Mapping[str, str] = {
    "mish": "log(1 + exp(x)) overflows for large x; torch.nn.functional.softplus(x) does not. "
            "A product such as x * sigmoid(x) or 0 * inf can also give nan: clamp the input "
            "of exp.",
    "swish": "1 / (1 + exp(-beta x)) overflows for large negative beta x; torch.sigmoid does "
             "not. 0 * inf gives nan: clamp the input of exp.",
    "softplus": "log(1 + exp(x)) overflows for large x; torch.nn.functional.softplus(x) does "
                "not.",
}
#: The large-input hint for an activation :data:`LARGE_INPUT_HINTS` does not list.
LARGE_INPUT_DEFAULT = ("An intermediate value overflowed: exp of a large number is inf, and "
                       "inf - inf, inf / inf or 0 * inf is nan. Keep exp's argument <= 0 (or "
                       "clamp it) and use torch's stable functions (softplus, sigmoid, "
                       "logsigmoid).")
