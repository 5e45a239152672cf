"""The registry is consistent, complete, and the one place each fact is written."""

from __future__ import annotations

import dataclasses
import doctest
import inspect
import math
import re
import subprocess
import sys
from pathlib import Path

import numpy as np
import pytest

import actlib
from actlib import _kernels, _validate, derivatives, functions, records, registry, schema

ALL = list(actlib.REGISTRY)
RECORDS = list(actlib.REGISTRY.values())
PACKAGE = Path(actlib.__file__).parent


def test_registry_covers_the_required_activations():
    required = {
        "identity", "sigmoid", "hard_sigmoid_keras", "hard_sigmoid_torch", "tanh", "softsign",
        "softplus", "relu", "relu6", "clipped_relu", "leaky_relu", "prelu", "rrelu",
        "thresholded_relu", "elu", "celu", "selu", "gelu", "gelu_tanh", "gelu_sigmoid", "silu",
        "swish", "hard_swish", "mish", "log_sigmoid", "softmax", "log_softmax", "maxout", "glu",
        "swiglu",
        # the rest of torch.nn's activation modules
        "hardtanh", "hardshrink", "softshrink", "tanhshrink", "softmin",
        # the units of recent language models: Primer's squared ReLU, Shazeer's GLU variants
        "squared_relu", "geglu", "reglu", "bilinear_glu",
    }
    assert required <= set(actlib.REGISTRY)


def test_gated_units_name_their_gate():
    """Every reducing record but Maxout is a gated unit, and its gate is an elementwise record."""
    gated = {r.name: r.gate for r in RECORDS if r.gate is not None}
    assert gated == {"glu": "sigmoid", "swiglu": "silu", "geglu": "gelu", "reglu": "relu",
                     "bilinear_glu": "identity"}
    assert set(gated) == {r.name for r in RECORDS if r.kind == "reducing"} - {"maxout"}
    assert all(actlib.get(g).elementwise for g in gated.values())
    with pytest.raises(ValueError, match="only a reducing activation"):
        dataclasses.replace(actlib.get("relu"), gate="sigmoid")


@pytest.mark.parametrize(("alias", "name"), [
    ("NewGELU", "gelu_tanh"), ("gelu_new", "gelu_tanh"), ("Swish-1", "silu"), ("hardsigmoid", "hard_sigmoid_torch"),
    ("Leaky ReLU", "leaky_relu"), ("QuickGELU", "gelu_sigmoid"), ("linear", "identity"),
])
def test_aliases_resolve(alias, name):
    assert actlib.get(alias).name == name


def test_unknown_name_suggests_the_close_one_and_lists_known_ones():
    with pytest.raises(KeyError, match=r"no activation called 'relu7' \(did you mean 'relu6?'\?\); "
                                       r"known: identity, sigmoid"):
        actlib.get("relu7")


def test_newgelu_is_documented_as_the_tanh_approximation():
    rec = actlib.get("NewGELU")
    assert "0.044715" in rec.latex and "0.044715" in rec.note and "0.0356774" in rec.note
    assert "tanh approximation" in (rec.fn.__doc__ or "")


def test_records_are_frozen_and_written_with_keywords():
    with pytest.raises(dataclasses.FrozenInstanceError):
        actlib.get("relu").name = "x"  # type: ignore[misc]
    with pytest.raises(TypeError):
        actlib.REGISTRY["x"] = actlib.get("relu")  # type: ignore[index]
    for cls in (schema.Activation, schema.Param, schema.Properties):
        with pytest.raises(TypeError, match="positional"):
            cls("relu", "ReLU")


def test_no_loop_variables_left_in_the_registry_module():
    assert not {"_r", "_k", "_key", "rec", "key"} & set(vars(registry))


@pytest.mark.parametrize("rec", RECORDS, ids=lambda r: r.name)
def test_record_is_complete(rec):
    assert rec.family in actlib.FAMILIES and rec.kind in actlib.KINDS
    assert rec.latex and rec.derivative_latex and rec.summary and rec.title
    assert 1940 <= rec.year <= 2026
    assert (rec.properties is None) == (not rec.elementwise)
    assert re.fullmatch(r"[A-Z][A-Za-z0-9]*", rec.nn_name)
    for p in rec.params:
        assert p.validate(p.default) == p.default
        if p.slider is not None:
            lo, hi, step = p.slider
            assert lo < hi and step > 0 and p.validate(lo) == lo and p.validate(hi) == hi
    assert set(rec.param_derivatives) == set(rec.param_derivative_latex) <= {p.name for p in rec.params}
    assert all(math.isfinite(k) for k in rec.kinks_at())


@pytest.mark.parametrize("rec", RECORDS, ids=lambda r: r.name)
def test_defaults_are_the_signatures_defaults(rec):
    """The defaults are read from the functions' signatures, and every bound function agrees."""
    for fn in (rec.fn, rec.derivative, *rec.param_derivatives.values()):
        sig = inspect.signature(fn.__wrapped__)
        for p in rec.params:
            assert sig.parameters[p.name].default == p.default, (fn.__name__, p.name)


@pytest.mark.parametrize("rec", [r for r in RECORDS if r.properties and r.properties.limits != r.properties.range],
                         ids=lambda r: r.name)
def test_limits_differ_from_the_range_only_for_non_monotonic_functions(rec):
    assert not rec.properties.monotonic


def test_limits_default_to_the_range():
    p = schema.Properties(range=(0.0, 1.0), range_closed=(False, False), monotonic=True, continuity="Cinf",
                          zero_centred=False, odd=False, saturates_left="soft", saturates_right="soft")
    assert p.limits == (0.0, 1.0)


# --- one source for each fact -----------------------------------------------------------------

def _public(module):
    return [getattr(module, n) for n in module.__all__ if callable(getattr(module, n))]


@pytest.mark.parametrize("fn", _public(functions) + _public(derivatives), ids=lambda f: f.__name__)
def test_every_public_function_is_bound_to_its_record(fn):
    """Its parameters are validated by the record (not by a second copy of the ranges)."""
    assert inspect.ismethod(fn.check) and isinstance(fn.check.__self__, actlib.Activation)


@pytest.mark.parametrize("rec", RECORDS, ids=lambda r: r.name)
def test_docstrings_take_the_formula_from_the_record(rec):
    assert f".. math:: {rec.latex}" in rec.fn.__doc__
    assert f".. math:: {rec.derivative_latex}" in rec.derivative.__doc__
    for p, fn in rec.param_derivatives.items():
        assert f".. math:: {rec.param_derivative_latex[p]}" in fn.__doc__


def test_formulas_are_written_once():
    """No record's LaTeX is typed again in the code that computes it."""
    sources = {p.name: p.read_text(encoding="utf-8") for p in
               [PACKAGE / "functions.py", PACKAGE / "derivatives.py", PACKAGE / "nn" / "modules.py"]}
    for rec in RECORDS:
        for formula in (rec.latex, rec.derivative_latex, *rec.param_derivative_latex.values()):
            for name, text in sources.items():
                assert formula not in text, f"{rec.name}'s formula is repeated in {name}"


def test_name_lists_come_from_the_registry():
    assert set(actlib.names()) <= set(functions.__all__)
    assert {r.derivative.__name__ for r in RECORDS} <= set(derivatives.__all__)


def test_constants_are_defined_once():
    for name in ("SELU_ALPHA", "SELU_SCALE", "GELU_TANH_COEFF", "GELU_SIGMOID_COEFF"):
        assert getattr(actlib, name) is getattr(_kernels, name)
    for path in PACKAGE.rglob("*.py"):
        if path.name in ("_kernels.py",) or "teaching" in path.parts:
            continue
        text = path.read_text(encoding="utf-8")
        for literal in ("0.044715", "1.6732632423", "1.0507009873", "= 1.702"):
            assert literal not in text, f"{literal} retyped in {path.relative_to(PACKAGE)}"


def test_torch_counterpart_is_recorded_once_as_data():
    for rec in RECORDS:
        assert not hasattr(rec, "torch_call") and not hasattr(rec, "torch_reference")
        if rec.torch is not None:
            assert rec.torch_name == rec.torch.text and rec.torch_name.startswith(f"torch.nn.{rec.torch.module}")
    assert actlib.get("clipped_relu").torch_name == "torch.nn.Hardtanh(min_val=0, max_val=max_value)"
    assert actlib.get("elu").torch_name == "torch.nn.ELU"
    assert actlib.get("softmax").torch_name == "torch.nn.Softmax(dim=axis) of x / temperature"
    assert actlib.get("softplus").torch.arguments({"beta": 2.0, "threshold": None}) == {
        "beta": 2.0, "threshold": math.inf}


# --- kinks ------------------------------------------------------------------------------------

@pytest.mark.parametrize("rec", [r for r in RECORDS if r.elementwise], ids=lambda r: r.name)
def test_kinks_are_where_a_piece_ends(rec):
    """At each kink f, f' or f'' jumps (by finite differences); the continuity test in
    test_actlib_properties checks that there is no other."""
    h = 1e-6
    for k in rec.kinks_at():
        left, right = k - 2 * h, k + 2 * h
        jumps = [abs(rec.fn(right) - rec.fn(left)) > 1e-4,
                 abs(rec.derivative(right) - rec.derivative(left)) > 1e-4,
                 abs((rec.derivative(right + h) - rec.derivative(right))
                     - (rec.derivative(left) - rec.derivative(left - h))) / h > 1e-3]
        assert any(jumps), f"{rec.name}: nothing jumps at {k}"


def test_kinks_follow_the_parameters():
    assert actlib.get("clipped_relu").kinks_at(max_value=6.0) == (0.0, 6.0)
    assert actlib.get("thresholded_relu").kinks_at(theta=2.0) == (2.0,)
    assert actlib.get("softplus").kinks_at() == ()
    assert actlib.get("softplus").kinks_at(beta=2.0, threshold=20.0) == (10.0,)
    assert actlib.get("hardtanh").kinks_at(min_val=-2.0, max_val=0.5) == (-2.0, 0.5)
    assert actlib.get("softshrink").kinks_at() == (-0.5, 0.5)
    assert actlib.get("hardshrink").kinks_at(lambd=0.0) == (0.0,)  # the identity, but f′(0) = 0


# --- colours ----------------------------------------------------------------------------------

def _srgb_to_linear(c):
    c = np.asarray(c, dtype=float)
    return np.where(c <= 0.04045, c / 12.92, ((c + 0.055) / 1.055) ** 2.4)


def _hex(color):
    return np.array([int(color[i:i + 2], 16) for i in (1, 3, 5)]) / 255.0


def relative_luminance(color) -> float:
    """WCAG 2 relative luminance of an sRGB colour."""
    return float(np.dot([0.2126, 0.7152, 0.0722], _srgb_to_linear(_hex(color))))


def contrast(a, b) -> float:
    la, lb = sorted([relative_luminance(a), relative_luminance(b)], reverse=True)
    return (la + 0.05) / (lb + 0.05)


def lab(color):
    m = np.array([[0.4124564, 0.3575761, 0.1804375], [0.2126729, 0.7151522, 0.0721750],
                  [0.0193339, 0.1191920, 0.9503041]])
    xyz = m @ _srgb_to_linear(_hex(color)) / np.array([0.95047, 1.0, 1.08883])
    f = np.where(xyz > 216 / 24389, np.cbrt(xyz), (24389 / 27 * xyz + 16) / 116)
    return np.array([116 * f[1] - 16, 500 * (f[0] - f[1]), 200 * (f[1] - f[2])])


def ciede2000(lab1, lab2) -> float:
    """CIEDE2000 colour difference (Sharma, Wu & Dalal 2005)."""
    (l1, a1, b1), (l2, a2, b2) = lab1, lab2
    cbar = (math.hypot(a1, b1) + math.hypot(a2, b2)) / 2
    g = 0.5 * (1 - math.sqrt(cbar**7 / (cbar**7 + 25**7)))
    a1p, a2p = (1 + g) * a1, (1 + g) * a2
    c1p, c2p = math.hypot(a1p, b1), math.hypot(a2p, b2)
    h1p = math.degrees(math.atan2(b1, a1p)) % 360 if c1p else 0.0
    h2p = math.degrees(math.atan2(b2, a2p)) % 360 if c2p else 0.0
    dlp, dcp = l2 - l1, c2p - c1p
    dh = 0.0 if c1p * c2p == 0 else h2p - h1p - 360 * ((h2p - h1p) > 180) + 360 * ((h2p - h1p) < -180)
    dhp = 2 * math.sqrt(c1p * c2p) * math.sin(math.radians(dh / 2))
    lbar, cbarp = (l1 + l2) / 2, (c1p + c2p) / 2
    if c1p * c2p == 0:
        hbar = h1p + h2p
    elif abs(h1p - h2p) <= 180:
        hbar = (h1p + h2p) / 2
    else:
        hbar = (h1p + h2p + 360) / 2 if h1p + h2p < 360 else (h1p + h2p - 360) / 2
    t = (1 - 0.17 * math.cos(math.radians(hbar - 30)) + 0.24 * math.cos(math.radians(2 * hbar))
         + 0.32 * math.cos(math.radians(3 * hbar + 6)) - 0.20 * math.cos(math.radians(4 * hbar - 63)))
    sl = 1 + 0.015 * (lbar - 50) ** 2 / math.sqrt(20 + (lbar - 50) ** 2)
    sc, sh = 1 + 0.045 * cbarp, 1 + 0.015 * cbarp * t
    rt = (-2 * math.sqrt(cbarp**7 / (cbarp**7 + 25**7))
          * math.sin(math.radians(60 * math.exp(-(((hbar - 275) / 25) ** 2)))))
    return math.sqrt((dlp / sl) ** 2 + (dcp / sc) ** 2 + (dhp / sh) ** 2 + rt * (dcp / sc) * (dhp / sh))


def test_ciede2000_matches_the_published_test_data():
    # pairs 1, 7 and 17 of Sharma, Wu & Dalal (2005), Table 1
    assert ciede2000((50, 2.6772, -79.7751), (50, 0, -82.7485)) == pytest.approx(2.0425, abs=1e-4)
    assert ciede2000((50, 0, 0), (50, -1, 2)) == pytest.approx(2.3669, abs=1e-4)
    assert ciede2000((50, 2.5, 0), (73, 25, -18)) == pytest.approx(27.1492, abs=1e-4)


COMMON = ("relu", "leaky_relu", "sigmoid", "tanh", "softplus", "elu", "selu", "gelu", "silu", "mish")


@pytest.mark.parametrize("rec", RECORDS, ids=lambda r: r.name)
@pytest.mark.parametrize("page", ["#ffffff", "#121212"])
def test_colour_is_readable_on_white_and_dark_pages(rec, page):
    """WCAG's 3:1 for graphics, against a white page and a near-black dark theme."""
    assert contrast(rec.color, page) >= 3.0, f"{rec.name} {rec.color} on {page}: {contrast(rec.color, page):.2f}"


def test_colours_are_distinct_and_the_common_ones_far_apart():
    colours = {r.name: lab(r.color) for r in RECORDS}
    worst = min((ciede2000(colours[a], colours[b]), a, b) for i, a in enumerate(colours)
                for b in list(colours)[i + 1:])
    assert worst[0] >= 10, f"{worst[1]} and {worst[2]} are too alike (CIEDE2000 {worst[0]:.1f})"
    common = min((ciede2000(colours[a], colours[b]), a, b) for i, a in enumerate(COMMON) for b in COMMON[i + 1:])
    assert common[0] >= 20, f"{common[1]} and {common[2]} are too alike (CIEDE2000 {common[0]:.1f})"


# --- citations, documentation, imports ---------------------------------------------------------

def _bib_keys():
    text = actlib.BIBFILE.read_text(encoding="utf-8")
    return set(re.findall(r"^@\w+\{([^,\s]+),", text, flags=re.M))


@pytest.mark.parametrize("name", ALL)
def test_citation_key_exists_in_references_bib(name):
    assert actlib.get(name).cite in _bib_keys()


def test_bib_keys_are_unique():
    text = actlib.BIBFILE.read_text(encoding="utf-8")
    keys = re.findall(r"^@\w+\{([^,\s]+),", text, flags=re.M)
    assert len(keys) == len(set(keys))


@pytest.mark.parametrize("module", [actlib, functions, derivatives, registry, schema, records, _validate, _kernels],
                         ids=lambda m: m.__name__)
def test_docstring_examples(module):
    result = doctest.testmod(module, optionflags=doctest.NORMALIZE_WHITESPACE)
    assert result.failed == 0
    assert result.attempted > 0 or module in (derivatives, records, schema, _kernels)


def _run(code: str) -> str:
    return subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True).stdout.strip()


def test_numpy_use_imports_neither_torch_nor_matplotlib():
    code = ("import sys, actlib; actlib.sigmoid(1.0); actlib.get('gelu').fn([0.0]); "
            "list(actlib.REGISTRY); print('torch' in sys.modules, 'matplotlib' in sys.modules)")
    assert _run(code) == "False False"


def test_star_import_works_without_torch_and_all_is_honest():
    code = ("import sys; from actlib import *; import actlib; "
            "missing = [n for n in actlib.__all__ if not hasattr(actlib, n)]; "
            "print(missing, 'torch' in sys.modules, 'relu' in dir(), 'nn' in dir())")
    assert _run(code) == "[] False True False"


def test_figure_panels_get_a_title_that_fits():
    """A panel of plot_activations has room for PANEL_TITLE_CHARS characters: a longer
    title needs a short_title, or the record is refused."""
    from actlib.schema import PANEL_TITLE_CHARS

    gelu = actlib.get("gelu")
    assert len(gelu.title) > PANEL_TITLE_CHARS and gelu.panel_title == "GELU"
    assert actlib.get("relu").panel_title == actlib.get("relu").title
    with pytest.raises(ValueError, match="give a short_title"):
        dataclasses.replace(gelu, short_title="")
    with pytest.raises(ValueError, match="give a short_title"):
        dataclasses.replace(gelu, short_title="Gaussian error linear units")
