r"""The registry: one frozen record per activation.

Tables, figures, tests, explorers and assignments loop over :data:`REGISTRY`
instead of keeping their own lists. A record holds the activation's name and
aliases, family, LaTeX formula, numpy forward and analytic derivative (and
derivatives with respect to its parameters), parameters with defaults and valid
ranges, its PyTorch counterpart, its mathematical properties, year and a
citation key into ``actlib/references.bib``.

Properties describe the function at its default parameters.

Examples:
    >>> from actlib import get
    >>> rec = get("swish")
    >>> rec.name, rec.params[0].name, rec.params[0].default
    ('swish', 'beta', 1.0)
    >>> get("NewGELU").name
    'gelu_tanh'
"""

from __future__ import annotations

import math
from collections.abc import Callable, Iterator, Mapping
from dataclasses import dataclass, field
from types import MappingProxyType

from . import derivatives as D
from . import functions as F
from ._validate import check_param

__all__ = ["Param", "Properties", "Activation", "REGISTRY", "get", "names", "activations",
           "FAMILIES"]

inf = math.inf

#: Families in the order the book teaches them.
FAMILIES = ("linear", "sigmoid", "rectifier", "exponential", "smooth-gate", "output", "multi-input")


@dataclass(frozen=True)
class Param:
    """One parameter of an activation: default, valid range, and a slider range for explorers."""

    name: str
    default: float
    low: float = -inf
    high: float = inf
    low_open: bool = False
    high_open: bool = False
    learnable: bool = False
    integer: bool = False
    allow_inf: bool = False
    symbol: str = ""
    description: str = ""
    #: ``(start, stop, step)`` for an interactive slider; ``None`` when a slider makes no sense.
    slider: tuple[float, float, float] | None = None

    def validate(self, value):
        """Return ``value`` checked against this parameter's range (or raise)."""
        return check_param(self.name, value, self.low, self.high, low_open=self.low_open,
                           high_open=self.high_open, integer=self.integer,
                           allow_inf=self.allow_inf)

    @property
    def range_text(self) -> str:
        lo = "(" if self.low_open or self.low == -inf else "["
        hi = ")" if self.high_open or self.high == inf else "]"
        def fmt(v):
            return "∞" if v == inf else "−∞" if v == -inf else f"{v:g}"
        return f"{lo}{fmt(self.low)}, {fmt(self.high)}{hi}"


@dataclass(frozen=True)
class Properties:
    r"""Mathematical properties at the default parameters.

    ``range`` is the closure of the image, with ``range_closed`` saying which
    ends are attained. ``monotonic`` means non-decreasing. ``continuity`` is
    the smoothness class: ``"C-1"`` (discontinuous), ``"C0"``, ``"C1"``,
    ``"Cinf"``. ``zero_centred`` means the mean output for standard-normal
    input is zero to within 0.05, :math:`|\mathbb{E}[f(Z)]| < 0.05` with
    :math:`Z \sim N(0, 1)` (see :meth:`Activation.normal_mean`): the property
    that decides whether the next layer sees zero-mean inputs. By that measure
    ELU (0.16) and GELU (0.28) are closer to zero than ReLU (0.40), not zero.
    ``saturates_left``/``saturates_right``: ``"soft"`` (the derivative
    tends to 0 but is never 0), ``"hard"`` (exactly 0 beyond a point) or
    ``"none"``. ``limits`` are :math:`f(-\infty)` and :math:`f(+\infty)`.
    ``self_gated``: of the form :math:`x \cdot g(x)` with a gate
    :math:`g` in :math:`[0, 1]`. ``argmin`` is where a non-monotonic function
    attains its minimum.
    """

    range: tuple[float, float]
    range_closed: tuple[bool, bool]
    monotonic: bool
    continuity: str
    zero_centred: bool
    odd: bool
    saturates_left: str
    saturates_right: str
    limits: tuple[float, float]
    self_gated: bool = False
    argmin: float | None = None

    @property
    def bounded_below(self) -> bool:
        return self.range[0] > -inf

    @property
    def bounded_above(self) -> bool:
        return self.range[1] < inf

    @property
    def smooth(self) -> bool:
        """Infinitely differentiable everywhere."""
        return self.continuity == "Cinf"


@dataclass(frozen=True)
class Activation:
    """One activation function: everything the book, the tests and the explorers need."""

    name: str
    title: str
    family: str
    latex: str
    fn: Callable
    derivative: Callable
    params: tuple[Param, ...]
    properties: Properties | None
    year: int
    cite: str
    torch_name: str | None
    aliases: tuple[str, ...] = ()
    #: ``"elementwise"``, ``"vector"`` (softmax family: keeps the shape), ``"reducing"``
    #: (Maxout, GLU: shortens one axis). Non-elementwise derivatives are Jacobians.
    kind: str = "elementwise"
    param_derivatives: Mapping[str, Callable] = field(default_factory=dict)
    derivative_latex: str = ""
    summary: str = ""
    note: str = ""
    #: ``torch_call(x, **params)`` evaluates the PyTorch counterpart (imports torch lazily).
    torch_call: Callable | None = None

    def __call__(self, x, **params):
        return self.fn(x, **params)

    @property
    def defaults(self) -> dict:
        return {p.name: p.default for p in self.params}

    @property
    def elementwise(self) -> bool:
        return self.kind == "elementwise"

    def normal_mean(self, **params) -> float:
        r""":math:`\mathbb{E}[f(Z)]` for :math:`Z \sim N(0, 1)`, by adaptive quadrature.

        The mean a unit's output has when its pre-activation is standard normal,
        as it roughly is at initialisation. Elementwise activations only.
        """
        if not self.elementwise:
            raise ValueError(f"normal_mean needs an elementwise activation; {self.name} is {self.kind}")
        from scipy import integrate

        def integrand(z):
            return float(self.fn(z, **params)) * math.exp(-0.5 * z * z) / math.sqrt(2.0 * math.pi)

        left = integrate.quad(integrand, -math.inf, 0.0, limit=200)[0]
        right = integrate.quad(integrand, 0.0, math.inf, limit=200)[0]
        return left + right

    def param(self, name: str) -> Param:
        for p in self.params:
            if p.name == name:
                return p
        raise KeyError(f"{self.name} has no parameter {name!r}; it has {[p.name for p in self.params]}")

    def torch_reference(self, x, **params):
        """Evaluate PyTorch's own implementation on a tensor (``None`` if torch has none)."""
        if self.torch_call is None:
            return None
        return self.torch_call(x, **{**self.defaults, **params})


def _tf(name: str, **fixed):
    """A torch_call that runs ``torch.nn.functional.<name>(x, **params, **fixed)``."""

    def call(x, **params):
        import torch.nn.functional as tF

        return getattr(tF, name)(x, **params, **fixed)

    call.__name__ = f"torch_{name}"
    return call


def _torch_expr(expr: Callable):
    def call(x, **params):
        import torch

        return expr(torch, x, **params)

    return call


S = Properties  # short alias for the table below

_records = [
    Activation(
        "identity", "Identity (linear)", "linear", r"f(x) = x",
        F.identity, D.d_identity, (),
        S((-inf, inf), (False, False), True, "Cinf", True, True, "none", "none", (-inf, inf)),
        1943, "goodfellow2016deep", "torch.nn.Identity", ("linear",),
        derivative_latex=r"f'(x) = 1",
        summary="No non-linearity: a stack of linear layers collapses to one.",
        torch_call=_torch_expr(lambda torch, x: x.clone()),
    ),
    Activation(
        "sigmoid", "Sigmoid (logistic)", "sigmoid", r"\sigma(x) = \frac{1}{1 + e^{-x}}",
        F.sigmoid, D.d_sigmoid, (),
        S((0.0, 1.0), (False, False), True, "Cinf", False, False, "soft", "soft", (0.0, 1.0)),
        1986, "rumelhart1986learning", "torch.nn.Sigmoid", ("logistic", "expit"),
        derivative_latex=r"\sigma'(x) = \sigma(x)\,(1 - \sigma(x))",
        summary="Squashes to (0, 1); a probability at a binary output; saturates on both sides.",
        torch_call=_torch_expr(lambda torch, x: torch.sigmoid(x)),
    ),
    Activation(
        "hard_sigmoid_keras", "Hard sigmoid (Keras 2, slope 0.2)", "sigmoid",
        r"f(x) = \operatorname{clip}(0.2x + 0.5,\ 0,\ 1)",
        F.hard_sigmoid_keras, D.d_hard_sigmoid_keras, (),
        S((0.0, 1.0), (True, True), True, "C0", False, False, "hard", "hard", (0.0, 1.0)),
        2015, "chollet2015keras", None, (),
        derivative_latex=r"f'(x) = 0.2 \text{ for } |x| < 2.5, \text{ else } 0",
        summary="Piecewise-linear sigmoid without an exponential; Keras 2 / Theano convention.",
        note="Keras 3 changed hard_sigmoid to the PyTorch convention x/6 + 1/2.",
    ),
    Activation(
        "hard_sigmoid_torch", "Hard sigmoid (PyTorch, slope 1/6)", "sigmoid",
        r"f(x) = \frac{\operatorname{ReLU6}(x + 3)}{6}",
        F.hard_sigmoid_torch, D.d_hard_sigmoid_torch, (),
        S((0.0, 1.0), (True, True), True, "C0", False, False, "hard", "hard", (0.0, 1.0)),
        2019, "howard2019searching", "torch.nn.Hardsigmoid", ("hardsigmoid", "hard_sigmoid"),
        derivative_latex=r"f'(x) = \tfrac16 \text{ for } |x| < 3, \text{ else } 0",
        summary="MobileNetV3's piecewise-linear sigmoid; the gate inside hard swish.",
        torch_call=_tf("hardsigmoid"),
    ),
    Activation(
        "tanh", "Hyperbolic tangent", "sigmoid",
        r"\tanh x = \frac{e^{x} - e^{-x}}{e^{x} + e^{-x}} = 2\sigma(2x) - 1",
        F.tanh, D.d_tanh, (),
        S((-1.0, 1.0), (False, False), True, "Cinf", True, True, "soft", "soft", (-1.0, 1.0)),
        1998, "lecun1998efficient", "torch.nn.Tanh", (),
        derivative_latex=r"\tanh'(x) = 1 - \tanh^2 x",
        summary="A zero-centred sigmoid: 2σ(2x) − 1; still saturates on both sides.",
        torch_call=_torch_expr(lambda torch, x: torch.tanh(x)),
    ),
    Activation(
        "softsign", "Softsign", "sigmoid", r"f(x) = \frac{x}{1 + |x|}",
        F.softsign, D.d_softsign, (),
        S((-1.0, 1.0), (False, False), True, "C1", True, True, "soft", "soft", (-1.0, 1.0)),
        2010, "glorot2010understanding", "torch.nn.Softsign", (),
        derivative_latex=r"f'(x) = \frac{1}{(1 + |x|)^2}",
        summary="Like tanh, but its tails approach ±1 polynomially, not exponentially.",
        torch_call=_tf("softsign"),
    ),
    Activation(
        "softplus", "Softplus", "rectifier", r"f(x) = \frac{1}{\beta}\log\bigl(1 + e^{\beta x}\bigr)",
        F.softplus, D.d_softplus,
        (Param("beta", 1.0, 0.0, inf, low_open=True, symbol=r"\beta",
               description="sharpness; large β approaches ReLU", slider=(0.25, 10.0, 0.25)),
         Param("threshold", 20.0, 0.0, inf, low_open=True, allow_inf=True,
               description="above β·x > threshold the function returns x (as PyTorch)")),
        S((0.0, inf), (False, False), True, "Cinf", False, False, "soft", "none", (0.0, inf)),
        2001, "dugas2001incorporating", "torch.nn.Softplus", (),
        param_derivatives=MappingProxyType({"beta": D.d_softplus_dbeta}),
        derivative_latex=r"f'(x) = \sigma(\beta x)",
        summary="A smooth ReLU whose derivative is the sigmoid.",
        torch_call=_tf("softplus"),
    ),
    Activation(
        "log_sigmoid", "Log-sigmoid", "sigmoid", r"f(x) = \log \sigma(x) = -\operatorname{softplus}(-x)",
        F.log_sigmoid, D.d_log_sigmoid, (),
        S((-inf, 0.0), (False, False), True, "Cinf", False, False, "none", "soft", (-inf, 0.0)),
        2016, "goodfellow2016deep", "torch.nn.LogSigmoid", ("logsigmoid",),
        derivative_latex=r"f'(x) = \sigma(-x) = 1 - \sigma(x)",
        summary="The log-probability of a sigmoid output; used inside losses.",
        torch_call=_tf("logsigmoid"),
    ),
    Activation(
        "relu", "Rectified linear unit", "rectifier", r"\operatorname{ReLU}(x) = \max(0, x)",
        F.relu, D.d_relu, (),
        S((0.0, inf), (True, False), True, "C0", False, False, "hard", "none", (0.0, inf)),
        2010, "nair2010rectified", "torch.nn.ReLU", ("rectifier",),
        derivative_latex=r"f'(x) = \begin{cases} 1 & x > 0 \\ 0 & x < 0 \end{cases}",
        summary="Identity for positives, zero for negatives: sparse, cheap, one-sided saturation.",
        torch_call=_tf("relu"),
    ),
    Activation(
        "relu6", "ReLU6", "rectifier", r"f(x) = \min(\max(0, x), 6)",
        F.relu6, D.d_relu6, (),
        S((0.0, 6.0), (True, True), True, "C0", False, False, "hard", "hard", (0.0, 6.0)),
        2010, "krizhevsky2010convolutional", "torch.nn.ReLU6", (),
        derivative_latex=r"f'(x) = 1 \text{ for } 0 < x < 6, \text{ else } 0",
        summary="ReLU capped at 6, friendly to low-precision arithmetic (MobileNets).",
        torch_call=_tf("relu6"),
    ),
    Activation(
        "clipped_relu", "Clipped ReLU", "rectifier", r"f(x) = \min(\max(0, x), m)",
        F.clipped_relu, D.d_clipped_relu,
        (Param("max_value", 20.0, 0.0, inf, low_open=True, symbol="m",
               description="the cap", slider=(1.0, 30.0, 1.0)),),
        S((0.0, 20.0), (True, True), True, "C0", False, False, "hard", "hard", (0.0, 20.0)),
        2014, "hannun2014deep", "torch.nn.Hardtanh(0, max_value)", ("bounded_relu",),
        derivative_latex=r"f'(x) = 1 \text{ for } 0 < x < m, \text{ else } 0",
        summary="ReLU with an upper cap; Deep Speech used m = 20.",
        torch_call=_torch_expr(lambda torch, x, max_value: torch.nn.functional.hardtanh(
            x, 0.0, max_value)),
    ),
    Activation(
        "leaky_relu", "Leaky ReLU", "rectifier",
        r"f(x) = \begin{cases} x & x \ge 0 \\ \alpha x & x < 0 \end{cases}",
        F.leaky_relu, D.d_leaky_relu,
        (Param("negative_slope", 0.01, 0.0, 1.0, symbol=r"\alpha",
               description="slope for negative inputs", slider=(0.0, 0.5, 0.01)),),
        S((-inf, inf), (False, False), True, "C0", False, False, "none", "none", (-inf, inf)),
        2013, "maas2013rectifier", "torch.nn.LeakyReLU", ("lrelu", "leakyrelu"),
        param_derivatives=MappingProxyType({"negative_slope": D.d_leaky_relu_dnegative_slope}),
        derivative_latex=r"f'(x) = \begin{cases} 1 & x > 0 \\ \alpha & x < 0 \end{cases}",
        summary="A small fixed slope for negatives, so a unit always passes some gradient.",
        torch_call=_tf("leaky_relu"),
    ),
    Activation(
        "prelu", "Parametric ReLU", "rectifier",
        r"f(x) = \begin{cases} x & x \ge 0 \\ a x & x < 0 \end{cases}",
        F.prelu, D.d_prelu,
        (Param("a", 0.25, learnable=True, symbol="a",
               description="learned negative slope (initialised to 0.25)",
               slider=(-0.5, 1.5, 0.05)),),
        S((-inf, inf), (False, False), True, "C0", False, False, "none", "none", (-inf, inf)),
        2015, "he2015delving", "torch.nn.PReLU", ("parametric_relu",),
        param_derivatives=MappingProxyType({"a": D.d_prelu_da}),
        derivative_latex=r"\frac{\partial f}{\partial x} = \begin{cases} 1 & x > 0 \\ a & x < 0 \end{cases},"
                         r"\quad \frac{\partial f}{\partial a} = \min(x, 0)",
        summary="Leaky ReLU whose slope is learned with the weights.",
        torch_call=_torch_expr(lambda torch, x, a: torch.nn.functional.prelu(
            x, torch.tensor([a], dtype=x.dtype, device=x.device))),
    ),
    Activation(
        "rrelu", "Randomised leaky ReLU", "rectifier",
        r"f(x) = \begin{cases} x & x \ge 0 \\ a x & x < 0 \end{cases},\ a \sim U(l, u)",
        F.rrelu, D.d_rrelu,
        (Param("lower", 1.0 / 8.0, 0.0, 1.0, symbol="l", description="lowest random slope",
               slider=(0.0, 0.3125, 0.0625)),
         Param("upper", 1.0 / 3.0, 0.0, 1.0, symbol="u", description="highest random slope",
               slider=(1.0 / 3.0, 1.0, 1.0 / 12.0))),
        S((-inf, inf), (False, False), True, "C0", False, False, "none", "none", (-inf, inf)),
        2015, "xu2015empirical", "torch.nn.RReLU", ("randomized_relu",),
        derivative_latex=r"f'(x) = \begin{cases} 1 & x > 0 \\ (l + u)/2 & x < 0 \end{cases}"
                         r"\ \text{(evaluation)}",
        summary="A random negative slope while training, their mean at evaluation.",
        note="The registry's fn and derivative are the evaluation-mode function; pass "
             "training=True and an rng to fn to draw slopes.",
        torch_call=_torch_expr(lambda torch, x, lower, upper: torch.nn.functional.rrelu(
            x, lower, upper, training=False)),
    ),
    Activation(
        "thresholded_relu", "Thresholded ReLU", "rectifier",
        r"f(x) = \begin{cases} x & x > \theta \\ 0 & \text{otherwise} \end{cases}",
        F.thresholded_relu, D.d_thresholded_relu,
        (Param("theta", 1.0, 0.0, inf, symbol=r"\theta", description="threshold",
               slider=(0.0, 3.0, 0.1)),),
        S((0.0, inf), (True, False), True, "C-1", False, False, "hard", "none", (0.0, inf)),
        2015, "konda2015zero", "torch.nn.Threshold(theta, 0)", ("threshold_relu",),
        derivative_latex=r"f'(x) = 1 \text{ for } x > \theta, \text{ else } 0",
        summary="Zero until θ, then x: a jump at θ; Keras' ThresholdedReLU.",
        note="torch.nn.Threshold(θ, 0) computes the same function.",
        torch_call=_torch_expr(lambda torch, x, theta: torch.nn.functional.threshold(
            x, theta, 0.0)),
    ),
    Activation(
        "elu", "Exponential linear unit", "exponential",
        r"f(x) = \begin{cases} x & x > 0 \\ \alpha\,(e^{x} - 1) & x \le 0 \end{cases}",
        F.elu, D.d_elu,
        (Param("alpha", 1.0, 0.0, inf, symbol=r"\alpha",
               description="saturation value −α for negative inputs", slider=(0.0, 3.0, 0.1)),),
        S((-1.0, inf), (False, False), True, "C1", False, False, "soft", "none", (-1.0, inf)),
        2015, "clevert2016fast", "torch.nn.ELU", (),
        param_derivatives=MappingProxyType({"alpha": D.d_elu_dalpha}),
        derivative_latex=r"f'(x) = \begin{cases} 1 & x > 0 \\ \alpha e^{x} & x \le 0 \end{cases}",
        summary="Negative outputs pull the mean toward zero; soft saturation at −α.",
        note="Continuously differentiable only at α = 1 (the default).",
        torch_call=_tf("elu"),
    ),
    Activation(
        "celu", "Continuously differentiable ELU", "exponential",
        r"f(x) = \max(0, x) + \min\bigl(0, \alpha\,(e^{x/\alpha} - 1)\bigr)",
        F.celu, D.d_celu,
        (Param("alpha", 1.0, 0.0, inf, low_open=True, symbol=r"\alpha",
               description="saturation value −α", slider=(0.1, 3.0, 0.1)),),
        S((-1.0, inf), (False, False), True, "C1", False, False, "soft", "none", (-1.0, inf)),
        2017, "barron2017continuously", "torch.nn.CELU", (),
        derivative_latex=r"f'(x) = \begin{cases} 1 & x > 0 \\ e^{x/\alpha} & x \le 0 \end{cases}",
        summary="ELU rescaled so the derivative is 1 at 0 for every α.",
        torch_call=_tf("celu"),
    ),
    Activation(
        "selu", "Scaled ELU", "exponential",
        r"f(x) = \lambda \begin{cases} x & x > 0 \\ \alpha\,(e^{x} - 1) & x \le 0 \end{cases}",
        F.selu, D.d_selu, (),
        S((-F.SELU_SCALE * F.SELU_ALPHA, inf), (False, False), True, "C0", True, False, "soft",
          "none", (-F.SELU_SCALE * F.SELU_ALPHA, inf)),
        2017, "klambauer2017self", "torch.nn.SELU", (),
        derivative_latex=r"f'(x) = \lambda \begin{cases} 1 & x > 0 \\ \alpha e^{x} & x \le 0 \end{cases}",
        summary="ELU with α ≈ 1.6733 and λ ≈ 1.0507: activations keep mean 0 and variance 1.",
        note="Not C1: the derivative jumps from λα ≈ 1.758 to λ ≈ 1.051 at 0.",
        torch_call=_tf("selu"),
    ),
    Activation(
        "gelu", "Gaussian error linear unit", "smooth-gate",
        r"\operatorname{GELU}(x) = x\,\Phi(x) = \frac{x}{2}\Bigl(1 + \operatorname{erf}\frac{x}{\sqrt{2}}\Bigr)",
        F.gelu, D.d_gelu, (),
        S((-0.16997120747990366, inf), (True, False), False, "Cinf", False, False, "soft", "none",
          (0.0, inf), self_gated=True, argmin=-0.75179152469356446),
        2016, "hendrycks2016gaussian", "torch.nn.GELU", ("gelu_exact", "gelu_erf"),
        derivative_latex=r"f'(x) = \Phi(x) + x\,\varphi(x)",
        summary="Weights x by the probability Φ(x) that a standard normal is below it.",
        torch_call=_tf("gelu"),
    ),
    Activation(
        "gelu_tanh", "GELU, tanh approximation (\"NewGELU\")", "smooth-gate",
        r"f(x) = \frac{x}{2}\Bigl(1 + \tanh\Bigl(\sqrt{2/\pi}\,\bigl(x + 0.044715\,x^{3}\bigr)\Bigr)\Bigr)",
        F.gelu_tanh, D.d_gelu_tanh, (),
        S((-0.17004075057125405, inf), (True, False), False, "Cinf", False, False, "soft", "none",
          (0.0, inf), self_gated=True, argmin=-0.75246142207101626),
        2016, "hendrycks2016gaussian", "torch.nn.GELU(approximate='tanh')",
        ("new_gelu", "newgelu", "gelu_new", "gelu_pytorch_tanh", "gelu_approximate"),
        derivative_latex=r"f'(x) = \sigma(2u) + 2x\,\sigma(2u)\,\sigma(-2u)\,u'(x),\ "
                         r"u = \sqrt{2/\pi}\,(x + 0.044715x^3)",
        summary="The tanh approximation of GELU used by GPT-2 and BERT; 'NewGELU' is this function.",
        note="'NewGELU' (GPT-2, minGPT, Hugging Face) uses the constant 0.044715; it is not a new "
             "activation and 0.0356774 is not its constant.",
        torch_call=_tf("gelu", approximate="tanh"),
    ),
    Activation(
        "gelu_sigmoid", "GELU, sigmoid approximation", "smooth-gate",
        r"f(x) = x\,\sigma(1.702\,x)",
        F.gelu_sigmoid, D.d_gelu_sigmoid, (),
        S((-0.16361018963635358, inf), (True, False), False, "Cinf", False, False, "soft", "none",
          (0.0, inf), self_gated=True, argmin=-0.75115425544128895),
        2016, "hendrycks2016gaussian", None, ("quick_gelu", "quickgelu"),
        derivative_latex=r"f'(x) = \sigma(cx) + cx\,\sigma(cx)\,\sigma(-cx),\ c = 1.702",
        summary="x·σ(1.702x): a cheaper GELU approximation (CLIP's QuickGELU).",
        torch_call=_torch_expr(lambda torch, x: x * torch.sigmoid(1.702 * x)),
    ),
    Activation(
        "silu", "Sigmoid linear unit", "smooth-gate", r"\operatorname{SiLU}(x) = x\,\sigma(x)",
        F.silu, D.d_silu, (),
        S((-0.27846454276107380, inf), (True, False), False, "Cinf", False, False, "soft", "none",
          (0.0, inf), self_gated=True, argmin=-1.2784645427610738),
        2016, "elfwing2018sigmoid", "torch.nn.SiLU", ("swish1", "swish_1"),
        derivative_latex=r"f'(x) = \sigma(x)\bigl(1 + x\,(1 - \sigma(x))\bigr)",
        summary="x·σ(x): Swish with β = 1; its minimum is −W(1/e) ≈ −0.2785.",
        torch_call=_tf("silu"),
    ),
    Activation(
        "swish", "Swish", "smooth-gate", r"\operatorname{Swish}_\beta(x) = x\,\sigma(\beta x)",
        F.swish, D.d_swish,
        (Param("beta", 1.0, learnable=True, symbol=r"\beta",
               description="gate sharpness: 0 gives x/2, 1 gives SiLU, ∞ gives ReLU",
               slider=(0.0, 10.0, 0.1)),),
        S((-0.27846454276107380, inf), (True, False), False, "Cinf", False, False, "soft", "none",
          (0.0, inf), self_gated=True, argmin=-1.2784645427610738),
        2017, "ramachandran2017searching", None, (),
        param_derivatives=MappingProxyType({"beta": D.d_swish_dbeta}),
        derivative_latex=r"\frac{\partial f}{\partial x} = \sigma(\beta x) + \beta x\,\sigma(\beta x)(1 - \sigma(\beta x)),"
                         r"\quad \frac{\partial f}{\partial \beta} = x^2\,\sigma(\beta x)(1 - \sigma(\beta x))",
        summary="x·σ(βx) with β fixed or learned; interpolates between x/2 and ReLU.",
        torch_call=_torch_expr(lambda torch, x, beta: x * torch.sigmoid(beta * x)),
    ),
    Activation(
        "hard_swish", "Hard swish", "smooth-gate", r"f(x) = x\,\frac{\operatorname{ReLU6}(x + 3)}{6}",
        F.hard_swish, D.d_hard_swish, (),
        S((-0.375, inf), (True, False), False, "C0", False, False, "hard", "none", (0.0, inf),
          self_gated=True, argmin=-1.5),
        2019, "howard2019searching", "torch.nn.Hardswish", ("hardswish",),
        derivative_latex=r"f'(x) = \begin{cases} 0 & x \le -3 \\ x/3 + 1/2 & -3 < x < 3 \\ 1 & x \ge 3 \end{cases}",
        summary="A piecewise-quadratic Swish without exponentials (MobileNetV3).",
        torch_call=_tf("hardswish"),
    ),
    Activation(
        "mish", "Mish", "smooth-gate", r"f(x) = x \tanh\bigl(\operatorname{softplus}(x)\bigr)",
        F.mish, D.d_mish, (),
        S((-0.30884341301725041, inf), (True, False), False, "Cinf", False, False, "soft", "none",
          (0.0, inf), self_gated=True, argmin=-1.1924312145154952),
        2019, "misra2019mish", "torch.nn.Mish", (),
        derivative_latex=r"f'(x) = \tanh(s) + x\,\operatorname{sech}^2(s)\,\sigma(x),\ s = \operatorname{softplus}(x)",
        summary="x·tanh(softplus(x)): smooth, non-monotonic, like Swish.",
        torch_call=_tf("mish"),
    ),
    Activation(
        "softmax", "Softmax", "output", r"\operatorname{softmax}(x)_i = \frac{e^{x_i/T}}{\sum_k e^{x_k/T}}",
        F.softmax, D.jacobian_softmax,
        (Param("axis", -1, integer=True, description="axis to normalise over"),
         Param("temperature", 1.0, 0.0, inf, low_open=True, symbol="T",
               description="temperature", slider=(0.1, 5.0, 0.1))),
        None, 1990, "bridle1990probabilistic", "torch.nn.Softmax", (), kind="vector",
        derivative_latex=r"\frac{\partial s_i}{\partial x_j} = \frac{s_i(\delta_{ij} - s_j)}{T}",
        summary="Turns scores into probabilities; belongs at a multi-class output.",
        torch_call=_torch_expr(lambda torch, x, axis, temperature: torch.softmax(
            x / temperature, dim=axis)),
    ),
    Activation(
        "log_softmax", "Log-softmax", "output",
        r"\log\operatorname{softmax}(x)_i = \frac{x_i}{T} - \log\sum_k e^{x_k/T}",
        F.log_softmax, D.jacobian_log_softmax,
        (Param("axis", -1, integer=True, description="axis to normalise over"),
         Param("temperature", 1.0, 0.0, inf, low_open=True, symbol="T",
               description="temperature", slider=(0.1, 5.0, 0.1))),
        None, 1990, "bridle1990probabilistic", "torch.nn.LogSoftmax", ("logsoftmax",),
        kind="vector",
        derivative_latex=r"\frac{\partial \ell_i}{\partial x_j} = \frac{\delta_{ij} - s_j}{T}",
        summary="Log-probabilities; with the negative log-likelihood it is cross-entropy.",
        torch_call=_torch_expr(lambda torch, x, axis, temperature: torch.log_softmax(
            x / temperature, dim=axis)),
    ),
    Activation(
        "maxout", "Maxout", "multi-input", r"\operatorname{maxout}(x)_j = \max_{0 \le i < k} x_{jk+i}",
        F.maxout, D.jacobian_maxout,
        (Param("k", 2, 1, inf, integer=True, symbol="k", description="pieces per unit",
               slider=(1, 5, 1)),
         Param("axis", -1, integer=True, description="axis holding the pieces")),
        None, 2013, "goodfellow2013maxout", None, (), kind="reducing",
        derivative_latex=r"\frac{\partial m_j}{\partial x_i} = [\,i = \arg\max\,]",
        summary="The maximum of k learned affine pieces: a learned convex piecewise-linear activation.",
        torch_call=_torch_expr(lambda torch, x, k, axis: x.unflatten(axis, (-1, k)).amax(
            dim=axis if axis < 0 else axis + 1)),
    ),
    Activation(
        "glu", "Gated linear unit", "multi-input", r"\operatorname{GLU}(a \,\|\, b) = a \otimes \sigma(b)",
        F.glu, D.jacobian_glu,
        (Param("axis", -1, integer=True, description="axis to halve"),),
        None, 2017, "dauphin2017language", "torch.nn.GLU", (), kind="reducing",
        derivative_latex=r"\frac{\partial o}{\partial a} = \sigma(b),\ \frac{\partial o}{\partial b} = a\,\sigma(b)(1 - \sigma(b))",
        summary="Half the features gate the other half through a sigmoid.",
        torch_call=_torch_expr(lambda torch, x, axis: torch.nn.functional.glu(x, dim=axis)),
    ),
    Activation(
        "swiglu", "SwiGLU", "multi-input", r"\operatorname{SwiGLU}(a \,\|\, b) = a \otimes \operatorname{SiLU}(b)",
        F.swiglu, D.jacobian_swiglu,
        (Param("axis", -1, integer=True, description="axis to halve"),),
        None, 2020, "shazeer2020glu", None, (), kind="reducing",
        derivative_latex=r"\frac{\partial o}{\partial a} = \operatorname{SiLU}(b),\ \frac{\partial o}{\partial b} = a\,\operatorname{SiLU}'(b)",
        summary="A GLU gated by SiLU; the feed-forward block of many large language models.",
        torch_call=_torch_expr(lambda torch, x, axis: (lambda ab: ab[0] * torch.nn.functional.silu(
            ab[1]))(x.chunk(2, dim=axis))),
    ),
]

#: name -> record, in the order the book teaches them.
REGISTRY: Mapping[str, Activation] = MappingProxyType({r.name: r for r in _records})


def _normalise(name: str) -> str:
    return name.strip().lower().replace("-", "_").replace(" ", "_")


_ALIASES: dict[str, str] = {}
for _r in _records:
    for _key in (_r.name, *_r.aliases):
        _k = _normalise(_key)
        if _k in _ALIASES and _ALIASES[_k] != _r.name:
            raise RuntimeError(f"alias {_key!r} is claimed by both {_ALIASES[_k]} and {_r.name}")
        _ALIASES[_k] = _r.name
    if _r.family not in FAMILIES:
        raise RuntimeError(f"{_r.name}: unknown family {_r.family!r}")


def get(name: str) -> Activation:
    """Look an activation up by name or alias (case-, space- and hyphen-insensitive).

    Raises ``KeyError`` listing the known names when there is no match.
    """
    if not isinstance(name, str):
        raise TypeError(f"name must be a string, got {type(name).__name__}")
    try:
        return REGISTRY[_ALIASES[_normalise(name)]]
    except KeyError:
        raise KeyError(f"no activation called {name!r}; known: {', '.join(REGISTRY)}") from None


def names(kind: str | None = None, family: str | None = None) -> list[str]:
    """Names of the registered activations, optionally filtered by kind or family."""
    return [r.name for r in activations(kind=kind, family=family)]


def activations(kind: str | None = None, family: str | None = None) -> Iterator[Activation]:
    """The registered records, optionally filtered by ``kind`` or ``family``."""
    return (r for r in REGISTRY.values()
            if (kind is None or r.kind == kind) and (family is None or r.family == family))
