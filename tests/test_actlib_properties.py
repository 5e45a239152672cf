"""Every property the registry claims, checked: hypothesis for the universal
claims (monotonic, bounds, odd, zero-centred), closed-form identities, and
derivatives against central finite differences."""

from __future__ import annotations

import math

import mpmath as mp
import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from scipy import integrate, optimize, special

import actlib

ELEMENTWISE = actlib.names(kind="elementwise")
reals = st.floats(min_value=-60.0, max_value=60.0, allow_nan=False, allow_infinity=False)
settings.register_profile("actlib", max_examples=200, deadline=None, derandomize=True)
settings.load_profile("actlib")


def props(name):
    return actlib.get(name).properties


# --- universal claims, by hypothesis --------------------------------------------------------

@pytest.mark.parametrize("name", [n for n in ELEMENTWISE if props(n).monotonic])
@given(a=reals, b=reals)
def test_claimed_monotonic_is_non_decreasing(name, a, b):
    lo, hi = min(a, b), max(a, b)
    f = actlib.get(name).fn
    assert f(lo) <= f(hi)


@pytest.mark.parametrize("name", [n for n in ELEMENTWISE if not props(n).monotonic])
def test_claimed_non_monotonic_really_decreases_somewhere(name):
    x = np.linspace(-6, 6, 100_001)
    assert (np.diff(actlib.get(name).fn(x)) < 0).any()


@pytest.mark.parametrize("name", ELEMENTWISE)
@given(x=reals)
def test_values_stay_in_the_claimed_range(name, x):
    p = props(name)
    y = float(actlib.get(name).fn(x))
    lo, hi = p.range
    assert lo <= y <= hi  # an open end may still be reached by rounding, e.g. sigmoid(40) == 1.0


@pytest.mark.parametrize("name", ELEMENTWISE)
def test_range_ends_are_the_true_infimum_and_supremum(name):
    """The claimed range is tight: its ends are approached (or attained) on a fine grid."""
    p = props(name)
    x = np.concatenate([np.linspace(-40, 40, 200_001), [-1e9, 1e9]])
    y = actlib.get(name).fn(x)
    lo, hi = p.range
    if math.isinf(lo):
        assert y.min() < -1e6
    else:
        assert y.min() == pytest.approx(lo, abs=1e-6)
    if math.isinf(hi):
        assert y.max() > 1e6
    else:
        assert y.max() == pytest.approx(hi, abs=1e-6)


@pytest.mark.parametrize("name", [n for n in ELEMENTWISE if props(n).argmin is not None])
def test_minimum_and_its_location_against_an_independent_minimiser(name):
    f = actlib.get(name).fn
    res = optimize.minimize_scalar(lambda t: float(f(t)), bracket=(-3, -1, 0), tol=1e-12)
    p = props(name)
    assert res.x == pytest.approx(p.argmin, abs=1e-5)
    assert res.fun == pytest.approx(p.range[0], rel=1e-12)


def test_silu_minimum_is_minus_lambert_w_of_one_over_e():
    assert props("silu").range[0] == pytest.approx(-float(mp.lambertw(1 / mp.e)), rel=1e-15)
    assert props("silu").argmin == pytest.approx(-1 - float(mp.lambertw(1 / mp.e)), rel=1e-15)


@pytest.mark.parametrize("name", [n for n in ELEMENTWISE if props(n).odd])
@given(x=reals)
def test_claimed_odd_is_odd(name, x):
    f = actlib.get(name).fn
    assert f(-x) == -f(x)


@pytest.mark.parametrize("name", [n for n in ELEMENTWISE if not props(n).odd])
def test_not_odd_has_a_witness(name):
    x = np.linspace(-5, 5, 1001)
    f = actlib.get(name).fn
    assert np.abs(f(-x) + f(x)).max() > 1e-3


@pytest.mark.parametrize("name", ELEMENTWISE)
def test_zero_centred_claim_is_the_mean_under_standard_normal_input(name):
    """zero_centred: |E f(Z)| < 0.05 for Z ~ N(0, 1), measured by Monte Carlo (independent of quad)."""
    z = np.random.default_rng(11).standard_normal(4_000_000)
    mc = float(actlib.get(name).fn(z).mean())
    assert props(name).zero_centred == (abs(mc) < 0.05), f"{name}: E f(Z) ≈ {mc:.4f}"
    assert actlib.get(name).normal_mean() == pytest.approx(mc, abs=3e-3)


def test_normal_means_against_closed_forms():
    phi0 = 1 / math.sqrt(2 * math.pi)
    assert actlib.get("relu").normal_mean() == pytest.approx(phi0, rel=1e-10)
    assert actlib.get("leaky_relu").normal_mean() == pytest.approx(0.99 * phi0, rel=1e-10)
    # E[ELU(Z)] = phi(0) + e^{1/2} Phi(-1) - 1/2
    assert actlib.get("elu").normal_mean() == pytest.approx(
        phi0 + math.exp(0.5) * special.ndtr(-1.0) - 0.5, rel=1e-10)
    assert actlib.get("sigmoid").normal_mean() == pytest.approx(0.5, abs=1e-12)
    assert actlib.get("selu").normal_mean() == pytest.approx(0.0, abs=1e-10)
    with pytest.raises(ValueError, match="elementwise"):
        actlib.get("softmax").normal_mean()


@pytest.mark.parametrize("name", ELEMENTWISE)
def test_saturation_claims(name):
    """soft: f' -> 0 but never exactly 0; hard: f' == 0 beyond a point; none: f' stays away from 0."""
    rec = actlib.get(name)
    p = rec.properties
    for side, claim in (("left", p.saturates_left), ("right", p.saturates_right)):
        sign = -1 if side == "left" else 1
        far = rec.derivative(sign * np.array([50.0, 100.0, 1e6]))
        mid = rec.derivative(sign * np.array([8.0, 10.0, 12.0]))
        if claim == "hard":
            assert (far == 0).all(), f"{name} {side}: {far}"
        elif claim == "soft":
            assert abs(far[-1]) < 1e-8 and (mid != 0).all(), f"{name} {side}: {far}, {mid}"
        else:
            assert (np.abs(far) > 1e-3).all(), f"{name} {side}: {far}"


@pytest.mark.parametrize("name", ELEMENTWISE)
def test_continuity_class(name):
    """C-1 has a jump; C0 has a kink (derivative jump); C1 and Cinf have neither."""
    rec = actlib.get(name)
    cls = rec.properties.continuity
    x = np.linspace(-7, 7, 1_400_001)
    y, d = rec.fn(x), rec.derivative(x)
    h = x[1] - x[0]
    jump = np.abs(np.diff(y)).max() > 100 * h * max(1.0, np.abs(d).max())
    kink = np.abs(np.diff(d)).max() > 1e-3
    assert jump == (cls == "C-1")
    assert kink == (cls in ("C-1", "C0")), f"{name}: derivative jump {np.abs(np.diff(d)).max()}"


# --- identities -----------------------------------------------------------------------------

X = np.linspace(-30, 30, 6001)


def test_tanh_is_a_rescaled_sigmoid():
    np.testing.assert_allclose(actlib.tanh(X), 2 * actlib.sigmoid(2 * X) - 1, atol=2e-16)


def test_tanh_derivative_is_one_minus_tanh_squared_not_the_popular_square():
    x = np.linspace(-3, 3, 601)
    np.testing.assert_allclose(actlib.d_tanh(x), 1 - np.tanh(x) ** 2, atol=1e-15)
    wrong = (1 - np.tanh(x)) ** 2
    assert np.abs(actlib.d_tanh(x) - wrong).max() > 0.9


def test_sigmoid_derivative_peaks_at_a_quarter():
    assert actlib.d_sigmoid(0.0) == 0.25
    assert actlib.d_sigmoid(X).max() == 0.25


def test_silu_is_x_times_sigmoid_and_swish_beta_one():
    np.testing.assert_allclose(actlib.silu(X), X * special.expit(X), rtol=1e-15, atol=1e-300)
    np.testing.assert_array_equal(actlib.swish(X, beta=1.0), actlib.silu(X))


def test_swish_tends_to_relu_as_beta_grows_and_is_linear_at_zero():
    for beta, tol in ((10.0, 0.03), (100.0, 3e-3), (1e4, 3e-5)):
        assert np.abs(actlib.swish(X, beta=beta) - actlib.relu(X)).max() < tol
    np.testing.assert_array_equal(actlib.swish(X, beta=0.0), X / 2)


def test_softplus_derivative_is_sigmoid():
    np.testing.assert_allclose(actlib.d_softplus(X), special.expit(X), rtol=1e-15)


def test_softplus_is_smooth_and_increasing_across_torchs_threshold():
    """The registry claims C-infinity and monotonic for the default: no switch to x at 20."""
    x = 20.0 + np.arange(-50, 51) * np.spacing(20.0)
    assert (np.diff(actlib.softplus(x)) >= 0).all() and (actlib.softplus(x) > x).all()
    assert (np.diff(actlib.d_softplus(np.linspace(19.0, 21.0, 2001))) > 0).all()


def test_softplus_tends_to_relu_as_beta_grows():
    assert np.abs(actlib.softplus(X, beta=1e3) - actlib.relu(X)).max() < 1e-3


def test_log_sigmoid_is_minus_softplus_of_minus_x():
    np.testing.assert_allclose(actlib.log_sigmoid(X), -actlib.softplus(-X), rtol=1e-15)


def test_hard_swish_is_x_times_torch_hard_sigmoid():
    np.testing.assert_allclose(actlib.hard_swish(X), X * actlib.hard_sigmoid_torch(X), rtol=1e-15)


def test_gelu_matches_its_erf_form_and_gelu_one():
    # x/2 (1 + erf(x/√2)) = x/2 erfc(-x/√2); the erfc form does not cancel for x < 0
    np.testing.assert_allclose(actlib.gelu(X), X / 2 * special.erfc(-X / math.sqrt(2)),
                               rtol=1e-12, atol=1e-300)
    # The popular "GELU(1.0) ≈ 0.8418" is the tanh approximation's value, rounded wrongly:
    assert round(float(actlib.gelu(1.0)), 4) == 0.8413
    assert round(float(actlib.gelu_tanh(1.0)), 4) == 0.8412


def test_gelu_approximation_errors_are_small_and_ordered():
    x = np.linspace(-8, 8, 160_001)
    err_tanh = np.abs(actlib.gelu_tanh(x) - actlib.gelu(x)).max()
    err_sig = np.abs(actlib.gelu_sigmoid(x) - actlib.gelu(x)).max()
    assert err_tanh < 5e-4 < err_sig < 3e-2


def test_selu_is_scaled_elu():
    np.testing.assert_allclose(actlib.selu(X), actlib.SELU_SCALE * actlib.elu(X, alpha=actlib.SELU_ALPHA),
                               rtol=1e-15)


def test_selu_keeps_standard_normal_input_at_mean_zero_variance_one():
    pdf = lambda z: math.exp(-z * z / 2) / math.sqrt(2 * math.pi)  # noqa: E731
    mean = integrate.quad(lambda z: float(actlib.selu(z)) * pdf(z), -np.inf, np.inf, epsabs=1e-13)[0]
    second = integrate.quad(lambda z: float(actlib.selu(z)) ** 2 * pdf(z), -np.inf, np.inf, epsabs=1e-13)[0]
    assert abs(mean) < 1e-9 and second == pytest.approx(1.0, abs=1e-9)
    z = np.random.default_rng(0).standard_normal(2_000_000)
    assert abs(actlib.selu(z).mean()) < 3e-3 and actlib.selu(z).var() == pytest.approx(1.0, abs=5e-3)


def test_selu_constants_solve_the_fixed_point_equations():
    """Solve E[selu(z)] = 0 and E[selu(z)^2] = 1 for z ~ N(0, 1) at 30 digits."""
    mp.mp.dps = 30

    def moments(alpha, lam):
        f = lambda z: lam * (z if z > 0 else alpha * mp.expm1(z))  # noqa: E731
        m1 = mp.quad(lambda z: f(z) * mp.npdf(z), [-mp.inf, 0, mp.inf])
        m2 = mp.quad(lambda z: f(z) ** 2 * mp.npdf(z), [-mp.inf, 0, mp.inf])
        return m1, m2 - 1

    alpha, lam = mp.findroot(moments, (mp.mpf("1.6"), mp.mpf("1.0")))
    assert float(alpha) == pytest.approx(actlib.SELU_ALPHA, rel=1e-15)
    assert float(lam) == pytest.approx(actlib.SELU_SCALE, rel=1e-15)
    mp.mp.dps = 50


def test_elu_is_c1_only_at_alpha_one():
    for alpha in (0.5, 1.0, 2.0):
        left = actlib.d_elu(-1e-12, alpha=alpha)
        assert (abs(left - 1.0) < 1e-9) == (alpha == 1.0)


def test_celu_derivative_is_one_at_zero_for_every_alpha():
    for alpha in (0.3, 1.0, 4.0):
        assert actlib.d_celu(-1e-12, alpha=alpha) == pytest.approx(1.0)


def test_maxout_represents_relu_leaky_relu_and_abs():
    x = np.linspace(-5, 5, 101)
    pieces = lambda a, b: np.stack([a, b], axis=-1).reshape(-1)  # noqa: E731
    np.testing.assert_array_equal(actlib.maxout(pieces(0 * x, x), k=2), actlib.relu(x))
    np.testing.assert_allclose(actlib.maxout(pieces(0.01 * x, x), k=2), actlib.leaky_relu(x))
    np.testing.assert_array_equal(actlib.maxout(pieces(-x, x), k=2), np.abs(x))


# --- derivatives against finite differences -------------------------------------------------

def central_difference(f, x, h):
    return (f(x + h) - f(x - h)) / (2 * h)


PARAM_POINTS = np.array([-4.3, -1.7, -0.45, 0.35, 1.2, 2.9, 5.1])


@pytest.mark.parametrize("name", ELEMENTWISE)
def test_derivative_matches_central_differences(name):
    rec = actlib.get(name)
    x = PARAM_POINTS
    fd = central_difference(rec.fn, x, 1e-6)
    np.testing.assert_allclose(rec.derivative(x), fd, rtol=1e-7, atol=1e-9)


@pytest.mark.parametrize(("name", "pname"), [(r.name, p) for r in actlib.activations()
                                             for p in r.param_derivatives])
def test_parameter_derivative_matches_central_differences(name, pname):
    rec = actlib.get(name)
    p0 = rec.param(pname).default
    h = 1e-6
    f_plus = rec.fn(PARAM_POINTS, **{pname: p0 + h})
    f_minus = rec.fn(PARAM_POINTS, **{pname: p0 - h})
    np.testing.assert_allclose(rec.param_derivatives[pname](PARAM_POINTS), (f_plus - f_minus) / (2 * h),
                               rtol=1e-6, atol=1e-9)


@pytest.mark.parametrize("name", [r.name for r in actlib.activations() if not r.elementwise])
def test_jacobian_matches_central_differences(name):
    rec = actlib.get(name)
    x = np.random.default_rng(7).normal(size=(3, 6)) * 2
    jac = rec.derivative(x)
    n_out = rec.fn(x).shape[-1]
    assert jac.shape == (3, n_out, 6)
    h = 1e-6
    for j in range(6):
        e = np.zeros(6)
        e[j] = h
        col = (rec.fn(x + e) - rec.fn(x - e)) / (2 * h)
        np.testing.assert_allclose(jac[..., j], col, rtol=1e-6, atol=1e-8)


def test_jacobian_of_softmax_along_another_axis():
    x = np.random.default_rng(8).normal(size=(5, 3))
    jac = actlib.jacobian_softmax(x, axis=0)  # shape (3, 5, 5)
    for col in range(3):
        s = actlib.softmax(x[:, col])
        np.testing.assert_allclose(jac[col], np.diag(s) - np.outer(s, s), rtol=1e-13, atol=1e-16)


def test_relu_and_friends_at_their_kinks_follow_torch_conventions():
    assert actlib.d_relu(0.0) == 0.0
    assert actlib.d_leaky_relu(0.0) == 0.01
    assert actlib.d_elu(0.0, alpha=2.0) == 2.0
    assert actlib.d_hard_swish(-3.0) == 0.0 and actlib.d_hard_swish(3.0) == 1.0


# --- the rest of torch.nn, and the units of recent language models -------------------------

def test_hardtanh_is_the_hard_sigmoid_rescaled_as_tanh_is_the_sigmoid():
    """tanh x = 2σ(2x) − 1; hardtanh x = 2h(3x) − 1 (PyTorch's h) = 2h(2.5x) − 1 (Keras')."""
    np.testing.assert_allclose(actlib.hardtanh(X), 2 * actlib.hard_sigmoid_torch(3 * X) - 1, atol=1e-15)
    np.testing.assert_allclose(actlib.hardtanh(X), 2 * actlib.hard_sigmoid_keras(2.5 * X) - 1, atol=1e-15)
    np.testing.assert_array_equal(actlib.hardtanh(X), np.clip(X, -1, 1))


def test_clipped_relu_and_relu6_are_hardtanh_with_a_floor_at_zero():
    np.testing.assert_array_equal(actlib.clipped_relu(X, max_value=7.5), actlib.hardtanh(X, 0.0, 7.5))
    np.testing.assert_array_equal(actlib.relu6(X), actlib.hardtanh(X, min_val=0.0, max_val=6.0))


@pytest.mark.parametrize("lambd", [0.0, 0.1, 0.5, 2.0])
def test_soft_thresholding_is_the_proximal_operator_of_the_l1_norm(lambd):
    """softshrink(x) = argmin_z (z − x)²/2 + λ|z|, found here by a bounded scalar minimiser."""
    for x in np.linspace(-4.0, 4.0, 81) + 0.013:
        res = optimize.minimize_scalar(lambda z, x=x: 0.5 * (z - x) ** 2 + lambd * abs(z),
                                       bounds=(-5.0, 5.0), method="bounded",
                                       options={"xatol": 1e-12})
        assert float(actlib.softshrink(x, lambd=lambd)) == pytest.approx(res.x, abs=1e-6)


def test_soft_and_hard_thresholding_identities():
    """Moreau: prox_{λ|·|}(x) = x − proj_[−λ, λ](x); hard thresholding keeps x itself."""
    for lambd in (0.25, 1.0, 3.0):
        np.testing.assert_array_equal(actlib.softshrink(X, lambd=lambd),
                                      X - actlib.hardtanh(X, -lambd, lambd))
        np.testing.assert_array_equal(actlib.hardshrink(X, lambd=lambd), np.where(np.abs(X) > lambd, X, 0.0))
        kept = np.abs(X) > lambd
        np.testing.assert_allclose((actlib.hardshrink(X, lambd=lambd) - actlib.softshrink(X, lambd=lambd))[kept],
                                   lambd * np.sign(X[kept]), rtol=1e-15)


def test_tanhshrink_is_x_minus_tanh_and_x_cubed_over_three_near_zero():
    big = X[np.abs(X) >= 1]
    np.testing.assert_allclose(actlib.tanhshrink(big), big - np.tanh(big), rtol=1e-15)
    tiny = np.array([1e-6, -3e-5, 1e-100])
    np.testing.assert_allclose(actlib.tanhshrink(tiny), tiny**3 / 3, rtol=1e-9)
    np.testing.assert_allclose(actlib.d_tanhshrink(X), 1 - actlib.d_tanh(X), atol=1e-15)


def test_squared_relu_is_relu_squared_with_a_zero_derivative_at_zero():
    np.testing.assert_array_equal(actlib.squared_relu(X), actlib.relu(X) ** 2)
    assert actlib.d_squared_relu(0.0) == 0.0
    for h in (1e-3, 1e-6, 1e-9):   # both one-sided difference quotients tend to 0, like h
        assert abs(float(actlib.squared_relu(h)) / h) <= h * (1 + 1e-12)
        assert float(actlib.squared_relu(-h)) == 0.0
    # the second derivative jumps from 0 to 2 at 0: the derivative is continuous, not smooth
    assert float(actlib.d_squared_relu(1e-3) - actlib.d_squared_relu(0.0)) / 1e-3 == pytest.approx(2.0)


def test_softmin_is_the_softmax_of_minus_x():
    x = np.random.default_rng(12).normal(size=(6, 5)) * 4
    for t in (0.5, 1.0, 3.0):
        np.testing.assert_allclose(actlib.softmin(x, temperature=t), actlib.softmax(-x, temperature=t),
                                   rtol=1e-15)
        np.testing.assert_allclose(actlib.jacobian_softmin(x, temperature=t),
                                   -actlib.jacobian_softmax(-x, temperature=t), rtol=1e-15, atol=1e-300)
    pairs = x[:, :2]
    np.testing.assert_allclose(actlib.softmin(pairs)[:, 0], actlib.sigmoid(pairs[:, 1] - pairs[:, 0]),
                               rtol=1e-13)
    # an infinite entry gets no mass, a minus-infinite one all of it, as for softmax(-x)
    np.testing.assert_array_equal(actlib.softmin([np.inf, 0.0, 2.0]), actlib.softmax([-np.inf, 0.0, -2.0]))
    np.testing.assert_array_equal(actlib.softmin([-np.inf, 0.0]), [1.0, 0.0])


@pytest.mark.parametrize("rec", [r for r in actlib.activations() if r.gate is not None], ids=lambda r: r.name)
def test_a_gated_unit_is_its_value_times_its_gate_record(rec):
    """o = a ⊗ g(b) with g the record named in ``gate``; ∂o/∂a = g(b), ∂o/∂b = a g′(b)."""
    g = actlib.get(rec.gate)
    x = np.random.default_rng(13).normal(size=(4, 10)) * 3
    a, b = x[:, :5], x[:, 5:]
    np.testing.assert_allclose(rec.fn(x), a * g.fn(b), rtol=1e-15, atol=1e-300)
    jac = rec.derivative(x)
    idx = np.arange(5)
    np.testing.assert_allclose(jac[:, idx, idx], g.fn(b), rtol=1e-15, atol=1e-300)
    np.testing.assert_allclose(jac[:, idx, idx + 5], a * g.derivative(b), rtol=1e-15, atol=1e-300)
    off = np.ones((5, 10), bool)
    off[idx, idx] = off[idx, idx + 5] = False
    assert (jac[:, off] == 0).all()


@pytest.mark.parametrize("rec", [r for r in actlib.activations() if not r.elementwise], ids=lambda r: r.name)
def test_a_nan_makes_the_jacobian_rows_of_its_unit_nan(rec):
    """NaN in, NaN out: every derivative of an output that the NaN reaches is NaN, and no other."""
    x = np.random.default_rng(14).normal(size=(3, 8))
    x[1, 5] = np.nan
    out_nan = np.isnan(rec.fn(x))
    jac = rec.derivative(x)
    assert out_nan[1].any() and not out_nan[[0, 2]].any()
    np.testing.assert_array_equal(np.isnan(jac[1]).all(axis=-1), out_nan[1])
    np.testing.assert_array_equal(np.isnan(jac[1]).any(axis=-1), out_nan[1])
    assert not np.isnan(jac[[0, 2]]).any()


def test_maxout_shares_the_derivative_between_tied_pieces():
    """As PyTorch's amax (actlib.nn.Maxout) does; torch's own gradient is compared in test_torch_side."""
    jac = actlib.jacobian_maxout([0.0, 0.0, 1.0, 2.0, 3.0, 3.0, 3.0, 1.0], k=4)
    third = 1 / 3
    np.testing.assert_array_equal(jac, [[0, 0, 0, 1, 0, 0, 0, 0], [0, 0, 0, 0, third, third, third, 0]])
