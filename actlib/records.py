r"""The registry's data: one :class:`~actlib.schema.Activation` per activation, in teaching order.

Each record is written with keyword arguments, once; :mod:`actlib.registry`
builds :data:`actlib.REGISTRY` from :data:`RECORDS`. Parameter defaults live in
the numpy functions' signatures, constants in :mod:`actlib._kernels`; a
record's ``limits`` are given only where they are not the ends of its
``range``.

Colours: one per activation, used by every figure of the book. All have a
relative luminance between 0.13 and 0.29, so they keep a contrast of at least
3:1 against both a white and a near-black page, and the common activations
(ReLU, leaky ReLU, sigmoid, tanh, softplus, ELU, SELU, GELU, SiLU, Mish) are
far apart in colour (CIEDE2000 at least 20; ``tests/test_actlib_registry.py``
checks both).
"""

from __future__ import annotations

from . import derivatives, functions
from ._kernels import (
    GELU_ARGMIN,
    GELU_SIGMOID_COEFF,
    GELU_TANH_ARGMIN,
    GELU_TANH_COEFF,
    MISH_ARGMIN,
    SELU_ALPHA,
    SELU_SCALE,
    SILU_ARGMIN,
)
from .schema import Activation, Param, Properties, Ref, TorchSpec

__all__ = ["RECORDS"]

inf = float("inf")
_QUICK_GELU_ARGMIN = SILU_ARGMIN[0] / GELU_SIGMOID_COEFF


def _bounded(lo, hi, *, closed=(False, False), **kw) -> Properties:
    """Properties of a monotonic function with range ``(lo, hi)``."""
    return Properties(range=(lo, hi), range_closed=closed, monotonic=True, **kw)


def _gated(fn, argmin: float, continuity: str = "Cinf", saturates_left: str = "soft") -> Properties:
    """Properties of a self-gated, non-monotonic x g(x): minimum at ``argmin``, limits 0 and inf."""
    return Properties(range=(float(fn(argmin)), inf), range_closed=(True, False), monotonic=False,
                      continuity=continuity, zero_centred=False, odd=False,
                      saturates_left=saturates_left, saturates_right="none", limits=(0.0, inf),
                      self_gated=True, argmin=argmin)


_AXIS = Param(name="axis", integer=True, description="axis to normalise over")
_TEMPERATURE = Param(name="temperature", low=0.0, low_open=True, symbol="T", description="temperature",
                     slider=(0.1, 5.0, 0.1))
_HALVED_AXIS = Param(name="axis", integer=True, description="axis to halve")
_RELU_LIKE = dict(range=(-inf, inf), range_closed=(False, False), continuity="C0", zero_centred=False,
                  odd=False, saturates_left="none", saturates_right="none")

RECORDS = (
    Activation(
        name="identity", title="Identity (linear)", family="linear", aliases=("linear",),
        latex=r"f(x) = x", derivative_latex=r"f'(x) = 1",
        fn=functions.identity, derivative=derivatives.d_identity,
        properties=_bounded(-inf, inf, continuity="Cinf", zero_centred=True, odd=True,
                            saturates_left="none", saturates_right="none"),
        torch=TorchSpec.of("Identity"), nn_name="Identity", color="#777777",
        year=1943, cite="goodfellow2016deep",
        summary="No non-linearity: a stack of linear layers collapses to one.",
    ),
    Activation(
        name="sigmoid", title="Sigmoid (logistic)", family="sigmoid", aliases=("logistic", "expit"),
        latex=r"\sigma(x) = \frac{1}{1 + e^{-x}}",
        derivative_latex=r"\sigma'(x) = \sigma(x)\,(1 - \sigma(x))",
        fn=functions.sigmoid, derivative=derivatives.d_sigmoid,
        properties=_bounded(0.0, 1.0, continuity="Cinf", zero_centred=False, odd=False,
                            saturates_left="soft", saturates_right="soft"),
        torch=TorchSpec.of("Sigmoid"), nn_name="Sigmoid", color="#e17135",
        year=1986, cite="rumelhart1986learning",
        summary="Squashes to (0, 1); a probability at a binary output; saturates on both sides.",
    ),
    Activation(
        name="hard_sigmoid_keras", title="Hard sigmoid (Keras 2, slope 0.2)", family="sigmoid",
        latex=r"f(x) = \operatorname{clip}(0.2x + 0.5,\ 0,\ 1)",
        derivative_latex=r"f'(x) = 0.2 \text{ for } |x| < 2.5, \text{ else } 0",
        fn=functions.hard_sigmoid_keras, derivative=derivatives.d_hard_sigmoid_keras, kinks=(-2.5, 2.5),
        properties=_bounded(0.0, 1.0, closed=(True, True), continuity="C0", zero_centred=False,
                            odd=False, saturates_left="hard", saturates_right="hard"),
        nn_name="HardSigmoidKeras", color="#a98b71",
        year=2015, cite="chollet2015keras",
        summary="Piecewise-linear sigmoid without an exponential; Keras 2 / Theano convention.",
        note="Keras 3 changed hard_sigmoid to the PyTorch convention x/6 + 1/2.",
    ),
    Activation(
        name="hard_sigmoid_torch", title="Hard sigmoid (PyTorch, slope 1/6)", family="sigmoid",
        aliases=("hardsigmoid", "hard_sigmoid"),
        latex=r"f(x) = \frac{\operatorname{ReLU6}(x + 3)}{6}",
        derivative_latex=r"f'(x) = \tfrac16 \text{ for } |x| < 3, \text{ else } 0",
        fn=functions.hard_sigmoid_torch, derivative=derivatives.d_hard_sigmoid_torch, kinks=(-3.0, 3.0),
        properties=_bounded(0.0, 1.0, closed=(True, True), continuity="C0", zero_centred=False,
                            odd=False, saturates_left="hard", saturates_right="hard"),
        torch=TorchSpec.of("Hardsigmoid"), nn_name="HardSigmoidTorch", color="#925c20",
        year=2019, cite="howard2019searching",
        summary="MobileNetV3's piecewise-linear sigmoid; the gate inside hard swish.",
    ),
    Activation(
        name="tanh", title="Hyperbolic tangent", family="sigmoid",
        latex=r"\tanh x = \frac{e^{x} - e^{-x}}{e^{x} + e^{-x}} = 2\sigma(2x) - 1",
        derivative_latex=r"\tanh'(x) = 1 - \tanh^2 x",
        fn=functions.tanh, derivative=derivatives.d_tanh,
        properties=_bounded(-1.0, 1.0, continuity="Cinf", zero_centred=True, odd=True,
                            saturates_left="soft", saturates_right="soft"),
        torch=TorchSpec.of("Tanh"), nn_name="Tanh", color="#1fa659",
        year=1998, cite="lecun1998efficient",
        summary="A zero-centred sigmoid: 2σ(2x) − 1; still saturates on both sides.",
    ),
    Activation(
        name="softsign", title="Softsign", family="sigmoid",
        latex=r"f(x) = \frac{x}{1 + |x|}", derivative_latex=r"f'(x) = \frac{1}{(1 + |x|)^2}",
        fn=functions.softsign, derivative=derivatives.d_softsign,
        properties=_bounded(-1.0, 1.0, continuity="C1", zero_centred=True, odd=True,
                            saturates_left="soft", saturates_right="soft"),
        torch=TorchSpec.of("Softsign"), nn_name="Softsign", color="#528a20",
        year=2010, cite="glorot2010understanding",
        summary="Like tanh, but its tails approach ±1 polynomially, not exponentially.",
    ),
    Activation(
        name="softplus", title="Softplus", family="rectifier",
        latex=r"f(x) = \frac{1}{\beta}\log\bigl(1 + e^{\beta x}\bigr)",
        derivative_latex=r"f'(x) = \sigma(\beta x)",
        fn=functions.softplus, derivative=derivatives.d_softplus,
        params=(Param(name="beta", low=0.0, low_open=True, symbol=r"\beta",
                      description="sharpness; large β approaches ReLU", slider=(0.25, 10.0, 0.25)),
                Param(name="threshold", low=0.0, low_open=True, allow_inf=True, allow_none=True,
                      description="None: the exact function; a number: return x where β·x > "
                                  "threshold, as torch.nn.Softplus does (threshold 20 there)")),
        param_derivatives={"beta": derivatives.d_softplus_dbeta},
        param_derivative_latex={"beta": r"\frac{\partial f}{\partial\beta} = "
                                        r"\frac{\beta x\,\sigma(\beta x) - \log(1 + e^{\beta x})}{\beta^2}"},
        kinks=lambda beta, threshold: () if threshold is None else (threshold / beta,),
        properties=_bounded(0.0, inf, continuity="Cinf", zero_centred=False, odd=False,
                            saturates_left="soft", saturates_right="none"),
        torch=TorchSpec.of("Softplus", beta=Ref("beta"), threshold=Ref("threshold", none=inf)),
        nn_name="Softplus", color="#b92c85",
        year=2001, cite="dugas2001incorporating",
        summary="A smooth ReLU whose derivative is the sigmoid.",
        note="actlib computes the exact function by default; torch.nn.Softplus returns x where "
             "βx > 20 unless given another threshold.",
    ),
    Activation(
        name="log_sigmoid", title="Log-sigmoid", family="sigmoid", aliases=("logsigmoid",),
        latex=r"f(x) = \log \sigma(x) = -\operatorname{softplus}(-x)",
        derivative_latex=r"f'(x) = \sigma(-x) = 1 - \sigma(x)",
        fn=functions.log_sigmoid, derivative=derivatives.d_log_sigmoid,
        properties=_bounded(-inf, 0.0, continuity="Cinf", zero_centred=False, odd=False,
                            saturates_left="none", saturates_right="soft"),
        torch=TorchSpec.of("LogSigmoid"), nn_name="LogSigmoid", color="#e95c66",
        year=2016, cite="goodfellow2016deep",
        summary="The log-probability of a sigmoid output; used inside losses.",
    ),
    Activation(
        name="relu", title="Rectified linear unit", family="rectifier", aliases=("rectifier",),
        latex=r"\operatorname{ReLU}(x) = \max(0, x)",
        derivative_latex=r"f'(x) = \begin{cases} 1 & x > 0 \\ 0 & x < 0 \end{cases}",
        fn=functions.relu, derivative=derivatives.d_relu, kinks=(0.0,),
        properties=_bounded(0.0, inf, closed=(True, False), continuity="C0", zero_centred=False,
                            odd=False, saturates_left="hard", saturates_right="none"),
        torch=TorchSpec.of("ReLU"), nn_name="ReLU", color="#068dd3",
        year=2010, cite="nair2010rectified",
        summary="Identity for positives, zero for negatives: sparse, cheap, one-sided saturation.",
    ),
    Activation(
        name="relu6", title="ReLU6", family="rectifier",
        latex=r"f(x) = \min(\max(0, x), 6)",
        derivative_latex=r"f'(x) = 1 \text{ for } 0 < x < 6, \text{ else } 0",
        fn=functions.relu6, derivative=derivatives.d_relu6, kinks=(0.0, 6.0),
        properties=_bounded(0.0, 6.0, closed=(True, True), continuity="C0", zero_centred=False,
                            odd=False, saturates_left="hard", saturates_right="hard"),
        torch=TorchSpec.of("ReLU6"), nn_name="ReLU6", color="#1d6da1",
        year=2010, cite="krizhevsky2010convolutional",
        summary="ReLU capped at 6, friendly to low-precision arithmetic (MobileNets).",
    ),
    Activation(
        name="clipped_relu", title="Clipped ReLU", family="rectifier", aliases=("bounded_relu",),
        latex=r"f(x) = \min(\max(0, x), m)",
        derivative_latex=r"f'(x) = 1 \text{ for } 0 < x < m, \text{ else } 0",
        fn=functions.clipped_relu, derivative=derivatives.d_clipped_relu, kinks=(0.0, "max_value"),
        params=(Param(name="max_value", low=0.0, low_open=True, symbol="m", description="the cap",
                      slider=(1.0, 30.0, 1.0)),),
        properties=_bounded(0.0, 20.0, closed=(True, True), continuity="C0", zero_centred=False,
                            odd=False, saturates_left="hard", saturates_right="hard"),
        torch=TorchSpec.of("Hardtanh", min_val=0.0, max_val=Ref("max_value")),
        nn_name="ClippedReLU", color="#888fb2",
        year=2014, cite="hannun2014deep",
        summary="ReLU with an upper cap; Deep Speech used m = 20.",
    ),
    Activation(
        name="leaky_relu", title="Leaky ReLU", family="rectifier", aliases=("lrelu", "leakyrelu"),
        latex=r"f(x) = \begin{cases} x & x \ge 0 \\ \alpha x & x < 0 \end{cases}",
        derivative_latex=r"f'(x) = \begin{cases} 1 & x > 0 \\ \alpha & x < 0 \end{cases}",
        fn=functions.leaky_relu, derivative=derivatives.d_leaky_relu, kinks=(0.0,),
        params=(Param(name="negative_slope", low=0.0, high=1.0, symbol=r"\alpha",
                      description="slope for negative inputs", slider=(0.0, 0.5, 0.01)),),
        param_derivatives={"negative_slope": derivatives.d_leaky_relu_dnegative_slope},
        param_derivative_latex={"negative_slope": r"\frac{\partial f}{\partial \alpha} = \min(x, 0)"},
        properties=Properties(monotonic=True, **_RELU_LIKE),
        torch=TorchSpec.of("LeakyReLU", negative_slope=Ref("negative_slope")),
        nn_name="LeakyReLU", color="#12a19f",
        year=2013, cite="maas2013rectifier",
        summary="A small fixed slope for negatives, so a unit always passes some gradient.",
    ),
    Activation(
        name="prelu", title="Parametric ReLU", family="rectifier", aliases=("parametric_relu",),
        latex=r"f(x) = \begin{cases} x & x \ge 0 \\ a x & x < 0 \end{cases}",
        derivative_latex=r"\frac{\partial f}{\partial x} = \begin{cases} 1 & x > 0 \\ a & x < 0 \end{cases}",
        fn=functions.prelu, derivative=derivatives.d_prelu, kinks=(0.0,),
        params=(Param(name="a", learnable=True, symbol="a",
                      description="learned negative slope (initialised to 0.25)",
                      slider=(-0.5, 1.5, 0.05)),),
        param_derivatives={"a": derivatives.d_prelu_da},
        param_derivative_latex={"a": r"\frac{\partial f}{\partial a} = \min(x, 0)"},
        properties=Properties(monotonic=True, **_RELU_LIKE),
        torch=TorchSpec.of("PReLU", init=Ref("a")), nn_name="PReLU", color="#187281",
        year=2015, cite="he2015delving",
        summary="Leaky ReLU whose slope is learned with the weights.",
    ),
    Activation(
        name="rrelu", title="Randomised leaky ReLU", family="rectifier", aliases=("randomized_relu",),
        latex=r"f(x) = \begin{cases} x & x \ge 0 \\ a x & x < 0 \end{cases},\ a \sim U(l, u)",
        derivative_latex=r"f'(x) = \begin{cases} 1 & x > 0 \\ (l + u)/2 & x < 0 \end{cases}"
                         r"\ \text{(evaluation)}",
        fn=functions.rrelu, derivative=derivatives.d_rrelu, kinks=(0.0,),
        params=(Param(name="lower", low=0.0, high=1.0, symbol="l", description="lowest random slope",
                      slider=(0.0, 0.3125, 0.0625)),
                Param(name="upper", low=0.0, high=1.0, symbol="u", description="highest random slope",
                      slider=(1.0 / 3.0, 1.0, 1.0 / 12.0))),
        constraints=(("lower", "<=", "upper"),),
        properties=Properties(monotonic=True, **_RELU_LIKE),
        torch=TorchSpec.of("RReLU", lower=Ref("lower"), upper=Ref("upper")),
        nn_name="RReLU", color="#7a9599",
        year=2015, cite="xu2015empirical",
        summary="A random negative slope while training, their mean at evaluation.",
        note="The registry's fn and derivative are the evaluation-mode function; pass "
             "training=True and an rng to fn to draw slopes.",
    ),
    Activation(
        name="thresholded_relu", title="Thresholded ReLU", family="rectifier",
        aliases=("threshold_relu",),
        latex=r"f(x) = \begin{cases} x & x > \theta \\ 0 & \text{otherwise} \end{cases}",
        derivative_latex=r"f'(x) = 1 \text{ for } x > \theta, \text{ else } 0",
        fn=functions.thresholded_relu, derivative=derivatives.d_thresholded_relu, kinks=("theta",),
        params=(Param(name="theta", low=0.0, symbol=r"\theta", description="threshold",
                      slider=(0.0, 3.0, 0.1)),),
        properties=_bounded(0.0, inf, closed=(True, False), continuity="C-1", zero_centred=False,
                            odd=False, saturates_left="hard", saturates_right="none"),
        torch=TorchSpec.of("Threshold", threshold=Ref("theta"), value=0.0),
        nn_name="ThresholdedReLU", color="#6d7ee7",
        year=2015, cite="konda2015zero",
        summary="Zero until θ, then x: a jump at θ; Keras' ThresholdedReLU.",
        note="torch.nn.Threshold(θ, 0) computes the same function.",
    ),
    Activation(
        name="elu", title="Exponential linear unit", family="exponential",
        latex=r"f(x) = \begin{cases} x & x > 0 \\ \alpha\,(e^{x} - 1) & x \le 0 \end{cases}",
        derivative_latex=r"f'(x) = \begin{cases} 1 & x > 0 \\ \alpha e^{x} & x \le 0 \end{cases}",
        fn=functions.elu, derivative=derivatives.d_elu, kinks=(0.0,),
        params=(Param(name="alpha", low=0.0, symbol=r"\alpha",
                      description="saturation value −α for negative inputs", slider=(0.0, 3.0, 0.1)),),
        param_derivatives={"alpha": derivatives.d_elu_dalpha},
        param_derivative_latex={"alpha": r"\frac{\partial f}{\partial\alpha} = "
                                         r"\begin{cases} 0 & x > 0 \\ e^{x} - 1 & x \le 0 \end{cases}"},
        properties=_bounded(-1.0, inf, continuity="C1", zero_centred=False, odd=False,
                            saturates_left="soft", saturates_right="none"),
        torch=TorchSpec.of("ELU", alpha=Ref("alpha")), nn_name="ELU", color="#b98904",
        year=2015, cite="clevert2016fast",
        summary="Negative outputs pull the mean toward zero; soft saturation at −α.",
        note="Continuously differentiable only at α = 1 (the default).",
    ),
    Activation(
        name="celu", title="Continuously differentiable ELU", family="exponential",
        latex=r"f(x) = \max(0, x) + \min\bigl(0, \alpha\,(e^{x/\alpha} - 1)\bigr)",
        derivative_latex=r"f'(x) = \begin{cases} 1 & x > 0 \\ e^{x/\alpha} & x \le 0 \end{cases}",
        fn=functions.celu, derivative=derivatives.d_celu, kinks=(0.0,),
        params=(Param(name="alpha", low=0.0, low_open=True, symbol=r"\alpha",
                      description="saturation value −α", slider=(0.1, 3.0, 0.1)),),
        properties=_bounded(-1.0, inf, continuity="C1", zero_centred=False, odd=False,
                            saturates_left="soft", saturates_right="none"),
        torch=TorchSpec.of("CELU", alpha=Ref("alpha")), nn_name="CELU", color="#8d9115",
        year=2017, cite="barron2017continuously",
        summary="ELU rescaled so the derivative is 1 at 0 for every α.",
    ),
    Activation(
        name="selu", title="Scaled ELU", family="exponential",
        latex=r"f(x) = \lambda \begin{cases} x & x > 0 \\ \alpha\,(e^{x} - 1) & x \le 0 \end{cases}",
        derivative_latex=r"f'(x) = \lambda \begin{cases} 1 & x > 0 \\ \alpha e^{x} & x \le 0 \end{cases}",
        fn=functions.selu, derivative=derivatives.d_selu, kinks=(0.0,),
        properties=_bounded(-SELU_SCALE * SELU_ALPHA, inf, continuity="C0", zero_centred=True,
                            odd=False, saturates_left="soft", saturates_right="none"),
        torch=TorchSpec.of("SELU"), nn_name="SELU", color="#5862ad",
        year=2017, cite="klambauer2017self",
        summary=f"ELU with α ≈ {SELU_ALPHA:.4f} and λ ≈ {SELU_SCALE:.4f}: activations keep mean 0 "
                "and variance 1.",
        note=f"Not C1: the derivative jumps from λα ≈ {SELU_SCALE * SELU_ALPHA:.3f} to "
             f"λ ≈ {SELU_SCALE:.3f} at 0.",
    ),
    Activation(
        name="gelu", title="Gaussian error linear unit", family="smooth-gate",
        aliases=("gelu_exact", "gelu_erf"),
        latex=r"\operatorname{GELU}(x) = x\,\Phi(x) = \frac{x}{2}\Bigl(1 + \operatorname{erf}\frac{x}{\sqrt{2}}\Bigr)",
        derivative_latex=r"f'(x) = \Phi(x) + x\,\varphi(x)",
        fn=functions.gelu, derivative=derivatives.d_gelu,
        properties=_gated(functions.gelu, GELU_ARGMIN[0]),
        torch=TorchSpec.of("GELU"), nn_name="GELU", color="#b774e2",
        year=2016, cite="hendrycks2016gaussian",
        summary="Weights x by the probability Φ(x) that a standard normal is below it.",
    ),
    Activation(
        name="gelu_tanh", title="GELU, tanh approximation (\"NewGELU\")", family="smooth-gate",
        aliases=("new_gelu", "newgelu", "gelu_new", "gelu_pytorch_tanh", "gelu_approximate"),
        latex=r"f(x) = \frac{x}{2}\Bigl(1 + \tanh\Bigl(\sqrt{2/\pi}\,\bigl(x + " + f"{GELU_TANH_COEFF}"
              + r"\,x^{3}\bigr)\Bigr)\Bigr)",
        derivative_latex=r"f'(x) = \sigma(2u) + 2x\,\sigma(2u)\,\sigma(-2u)\,u'(x),\ "
                         r"u = \sqrt{2/\pi}\,(x + " + f"{GELU_TANH_COEFF}" + r"x^3)",
        fn=functions.gelu_tanh, derivative=derivatives.d_gelu_tanh,
        properties=_gated(functions.gelu_tanh, GELU_TANH_ARGMIN[0]),
        torch=TorchSpec.of("GELU", approximate="tanh"), nn_name="GELUTanh", color="#894eaf",
        year=2016, cite="hendrycks2016gaussian",
        summary="The tanh approximation of GELU used by GPT-2 and BERT; 'NewGELU' is this function.",
        note=f"'NewGELU' (GPT-2, minGPT, Hugging Face) uses the constant {GELU_TANH_COEFF}; it is not "
             "a new activation and 0.0356774 is not its constant.",
    ),
    Activation(
        name="gelu_sigmoid", title="GELU, sigmoid approximation", family="smooth-gate",
        aliases=("quick_gelu", "quickgelu"),
        latex=rf"f(x) = x\,\sigma({GELU_SIGMOID_COEFF}\,x)",
        derivative_latex=r"f'(x) = \sigma(cx) + cx\,\sigma(cx)\,\sigma(-cx),\ " + f"c = {GELU_SIGMOID_COEFF}",
        fn=functions.gelu_sigmoid, derivative=derivatives.d_gelu_sigmoid,
        properties=_gated(functions.gelu_sigmoid, _QUICK_GELU_ARGMIN),
        nn_name="GELUSigmoid", color="#7e6481",
        year=2016, cite="hendrycks2016gaussian",
        summary=f"x·σ({GELU_SIGMOID_COEFF}x): a cheaper GELU approximation (CLIP's QuickGELU).",
    ),
    Activation(
        name="silu", title="Sigmoid linear unit", family="smooth-gate", aliases=("swish1", "swish_1"),
        latex=r"\operatorname{SiLU}(x) = x\,\sigma(x)",
        derivative_latex=r"f'(x) = \sigma(x)\bigl(1 + x\,(1 - \sigma(x))\bigr)",
        fn=functions.silu, derivative=derivatives.d_silu,
        properties=_gated(functions.silu, SILU_ARGMIN[0]),
        torch=TorchSpec.of("SiLU"), nn_name="SiLU", color="#aa4a45",
        year=2016, cite="elfwing2018sigmoid",
        summary="x·σ(x): Swish with β = 1; its minimum is −W(1/e) ≈ −0.2785.",
    ),
    Activation(
        name="swish", title="Swish", family="smooth-gate",
        latex=r"\operatorname{Swish}_\beta(x) = x\,\sigma(\beta x)",
        derivative_latex=r"\frac{\partial f}{\partial x} = \sigma(\beta x) + \beta x\,\sigma(\beta x)"
                         r"(1 - \sigma(\beta x))",
        fn=functions.swish, derivative=derivatives.d_swish,
        params=(Param(name="beta", learnable=True, symbol=r"\beta",
                      description="gate sharpness: 0 gives x/2, 1 gives SiLU, ∞ gives ReLU",
                      slider=(0.0, 10.0, 0.1)),),
        param_derivatives={"beta": derivatives.d_swish_dbeta},
        param_derivative_latex={"beta": r"\frac{\partial f}{\partial \beta} = x^2\,\sigma(\beta x)"
                                        r"(1 - \sigma(\beta x))"},
        properties=_gated(functions.swish, SILU_ARGMIN[0]),
        nn_name="Swish", color="#dd5da8",
        year=2017, cite="ramachandran2017searching",
        summary="x·σ(βx) with β fixed or learned; interpolates between x/2 and ReLU.",
    ),
    Activation(
        name="hard_swish", title="Hard swish", family="smooth-gate", aliases=("hardswish",),
        latex=r"f(x) = x\,\frac{\operatorname{ReLU6}(x + 3)}{6}",
        derivative_latex=r"f'(x) = \begin{cases} 0 & x \le -3 \\ x/3 + 1/2 & -3 < x < 3 \\ 1 & x \ge 3 "
                         r"\end{cases}",
        fn=functions.hard_swish, derivative=derivatives.d_hard_swish, kinks=(-3.0, 3.0),
        properties=_gated(functions.hard_swish, -1.5, continuity="C0", saturates_left="hard"),
        torch=TorchSpec.of("Hardswish"), nn_name="HardSwish", color="#bb8091",
        year=2019, cite="howard2019searching",
        summary="A piecewise-quadratic Swish without exponentials (MobileNetV3).",
    ),
    Activation(
        name="mish", title="Mish", family="smooth-gate",
        latex=r"f(x) = x \tanh\bigl(\operatorname{softplus}(x)\bigr)",
        derivative_latex=r"f'(x) = \tanh(s) + x\,\operatorname{sech}^2(s)\,\sigma(x),\ "
                         r"s = \operatorname{softplus}(x)",
        fn=functions.mish, derivative=derivatives.d_mish,
        properties=_gated(functions.mish, MISH_ARGMIN[0]),
        torch=TorchSpec.of("Mish"), nn_name="Mish", color="#646d30",
        year=2019, cite="misra2019mish",
        summary="x·tanh(softplus(x)): smooth, non-monotonic, like Swish.",
    ),
    Activation(
        name="softmax", title="Softmax", family="output", kind="vector",
        latex=r"\operatorname{softmax}(x)_i = \frac{e^{x_i/T}}{\sum_k e^{x_k/T}}",
        derivative_latex=r"\frac{\partial s_i}{\partial x_j} = \frac{s_i(\delta_{ij} - s_j)}{T}",
        fn=functions.softmax, derivative=derivatives.jacobian_softmax, params=(_AXIS, _TEMPERATURE),
        torch=TorchSpec.of("Softmax", dim=Ref("axis"), input_scale="temperature"),
        nn_name="Softmax", color="#1a7658",
        year=1990, cite="bridle1990probabilistic",
        summary="Turns scores into probabilities; belongs at a multi-class output.",
    ),
    Activation(
        name="log_softmax", title="Log-softmax", family="output", kind="vector",
        aliases=("logsoftmax",),
        latex=r"\log\operatorname{softmax}(x)_i = \frac{x_i}{T} - \log\sum_k e^{x_k/T}",
        derivative_latex=r"\frac{\partial \ell_i}{\partial x_j} = \frac{\delta_{ij} - s_j}{T}",
        fn=functions.log_softmax, derivative=derivatives.jacobian_log_softmax, params=(_AXIS, _TEMPERATURE),
        torch=TorchSpec.of("LogSoftmax", dim=Ref("axis"), input_scale="temperature"),
        nn_name="LogSoftmax", color="#586d63",
        year=1990, cite="bridle1990probabilistic",
        summary="Log-probabilities; with the negative log-likelihood it is cross-entropy.",
    ),
    Activation(
        name="maxout", title="Maxout", family="multi-input", kind="reducing",
        latex=r"\operatorname{maxout}(x)_j = \max_{0 \le i < k} x_{jk+i}",
        derivative_latex=r"\frac{\partial m_j}{\partial x_i} = [\,i = \arg\max\,]",
        fn=functions.maxout, derivative=derivatives.jacobian_maxout,
        params=(Param(name="k", low=1, integer=True, symbol="k", description="pieces per unit",
                      slider=(1, 5, 1)),
                Param(name="axis", integer=True, description="axis holding the pieces")),
        nn_name="Maxout", color="#7f6157",
        year=2013, cite="goodfellow2013maxout",
        summary="The maximum of k learned affine pieces: a learned convex piecewise-linear activation.",
    ),
    Activation(
        name="glu", title="Gated linear unit", family="multi-input", kind="reducing",
        latex=r"\operatorname{GLU}(a \,\|\, b) = a \otimes \sigma(b)",
        derivative_latex=r"\frac{\partial o}{\partial a} = \sigma(b),\ \frac{\partial o}{\partial b} = "
                         r"a\,\sigma(b)(1 - \sigma(b))",
        fn=functions.glu, derivative=derivatives.jacobian_glu, params=(_HALVED_AXIS,),
        torch=TorchSpec.of("GLU", dim=Ref("axis")), nn_name="GLU", color="#8b9572",
        year=2017, cite="dauphin2017language",
        summary="Half the features gate the other half through a sigmoid.",
    ),
    Activation(
        name="swiglu", title="SwiGLU", family="multi-input", kind="reducing",
        latex=r"\operatorname{SwiGLU}(a \,\|\, b) = a \otimes \operatorname{SiLU}(b)",
        derivative_latex=r"\frac{\partial o}{\partial a} = \operatorname{SiLU}(b),\ \frac{\partial o}"
                         r"{\partial b} = a\,\operatorname{SiLU}'(b)",
        fn=functions.swiglu, derivative=derivatives.jacobian_swiglu, params=(_HALVED_AXIS,),
        nn_name="SwiGLU", color="#8f7a3f",
        year=2020, cite="shazeer2020glu",
        summary="A GLU gated by SiLU; the feed-forward block of many large language models.",
    ),
)
