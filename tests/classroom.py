"""Four simulated students for the classroom tests and the autograding benchmark.

Each student fills the solution cells of the released notebooks:

* ``stubs``: submits the release unchanged;
* ``mistakes``: plausible mistakes, a few per assignment;
* ``different``: right everywhere, but written differently from the model solutions;
* ``cheat``: naive formulas for the overflow tasks of assignment 1, wrapped in
  ``np.errstate`` so that numpy stays quiet; the model solutions elsewhere.

:data:`EXPECTED` holds the auto-graded points each should get, per assignment, worked out
by hand from what each check tests (not from running them).
"""

from __future__ import annotations

import re
from pathlib import Path

import nbformat

ROOT = Path(__file__).resolve().parents[1]
SOURCES = ROOT / "assignments" / "source"
STUDENTS = ("stubs", "mistakes", "different", "cheat")
ASSIGNMENTS = ("stable-activations", "backprop-vanishing", "dead-units", "custom-autograd",
               "choose-activation")

# ---------------------------------------------------------------------------------------
# Assignment 1
# ---------------------------------------------------------------------------------------

A1_MISTAKES = {
    "a1-tanh": '''
def tanh(x):
    return np.tanh(np.asarray(x))


def d_tanh(x):
    return (1.0 - np.tanh(np.asarray(x))) ** 2
''',
    "a1-relu": '''
def relu(x):
    return np.maximum(np.asarray(x), 0.0)


def d_relu(x):
    x = np.asarray(x)
    return np.where(np.isnan(x), x, np.ones_like(x))
''',
    "a1-leaky-relu": '''
def leaky_relu(x, negative_slope=0.01):
    x = np.asarray(x)
    return np.where(x > 0, x, 0.01 * x)


def d_leaky_relu(x, negative_slope=0.01):
    x = np.asarray(x)
    slope = np.where(x > 0, np.ones_like(x), np.full_like(x, negative_slope))
    return np.where(np.isnan(x), x, slope)
''',
    "a1-gelu": '''
def gelu(x):
    x = np.asarray(x)
    c = 0.0356774
    return 0.5 * x * (1.0 + np.tanh(math.sqrt(2.0 / math.pi) * (x + c * x ** 3)))


def d_gelu(x):
    x = np.asarray(x)
    cdf = 0.5 * special.erfc(-x / math.sqrt(2.0))
    return cdf + x * np.exp(-0.5 * x * x) / math.sqrt(2.0 * math.pi)
''',
}

A1_DIFFERENT = {
    "a1-sigmoid": '''
def sigmoid(x):
    return np.exp(-np.logaddexp(0.0, -np.asarray(x)))


def d_sigmoid(x):
    x = np.asarray(x)
    e = np.exp(-np.abs(x))
    return e / (1.0 + e) ** 2
''',
    "a1-tanh": '''
def tanh(x):
    x = np.asarray(x)
    return 2.0 * sigmoid(2.0 * x) - 1.0


def d_tanh(x):
    return 1.0 - np.tanh(np.asarray(x)) ** 2
''',
    "a1-relu": '''
def relu(x):
    x = np.asarray(x)
    return np.where(x < 0, 0.0 * x, x)


def d_relu(x):
    x = np.asarray(x)
    out = np.heaviside(x, 0.0).astype(x.dtype)
    out[np.isnan(x)] = np.nan
    return out
''',
    "a1-leaky-relu": '''
def leaky_relu(x, negative_slope=0.01):
    x = np.asarray(x)
    return np.where(x < 0, negative_slope * x, x)


def d_leaky_relu(x, negative_slope=0.01):
    x = np.asarray(x)
    d = np.ones_like(x)
    d[x < 0] = negative_slope
    d[np.isnan(x)] = np.nan
    return d
''',
    "a1-elu": '''
def elu(x, alpha=1.0):
    x = np.asarray(x)
    neg = np.minimum(x, 0.0)
    return np.maximum(x, 0.0) + alpha * np.expm1(neg)


def d_elu(x, alpha=1.0):
    x = np.asarray(x)
    return np.where(x > 0, 1.0, alpha * np.exp(np.minimum(x, 0.0))).astype(x.dtype)
''',
    "a1-gelu": '''
def gelu(x):
    x = np.asarray(x)
    return x * special.ndtr(x)


def d_gelu(x):
    x = np.asarray(x)
    return special.ndtr(x) + x * np.exp(-x * x / 2.0) / math.sqrt(2.0 * math.pi)
''',
    "a1-swish": '''
def swish(x, beta=1.0):
    x = np.asarray(x)
    return x * sigmoid(beta * x)


def d_swish(x, beta=1.0):
    x = np.asarray(x)
    s = sigmoid(beta * x)
    return s * (1.0 + beta * x * sigmoid(-beta * x))
''',
}

# Naive formulas, their overflow warnings silenced: what the overflow checks must fail.
A1_CHEAT = {
    "a1-sigmoid": '''
def sigmoid(x):
    x = np.asarray(x)
    with np.errstate(over="ignore"):
        return 1.0 / (1.0 + np.exp(-x))


def d_sigmoid(x):
    s = sigmoid(x)
    return s * (1.0 - s)
''',
    "a1-elu": '''
def elu(x, alpha=1.0):
    x = np.asarray(x)
    with np.errstate(over="ignore", invalid="ignore"):
        return np.where(x > 0, x, alpha * (np.exp(x) - 1.0))


def d_elu(x, alpha=1.0):
    x = np.asarray(x)
    with np.errstate(over="ignore", invalid="ignore"):
        return np.where(x > 0, 1.0, alpha * np.exp(x))
''',
    "a1-swish": '''
def swish(x, beta=1.0):
    x = np.asarray(x)
    with np.errstate(over="ignore"):
        return x / (1.0 + np.exp(-beta * x))


def d_swish(x, beta=1.0):
    x = np.asarray(x)
    with np.errstate(over="ignore", invalid="ignore"):
        s = 1.0 / (1.0 + np.exp(-beta * x))
        return s + beta * x * s * (1.0 - s)
''',
}

# ---------------------------------------------------------------------------------------
# Assignments 2 to 5
# ---------------------------------------------------------------------------------------

A2_MISTAKES = {
    # phi' evaluated at the layer's output instead of its pre-activation
    "a2-mlp-gradients": '''
def mlp_gradients(x, t, weights, biases, activation):
    phi = actlib.get(activation).fn
    dphi = actlib.get(activation).derivative
    outputs = [x]
    for layer, (W, b) in enumerate(zip(weights, biases)):
        z = outputs[-1] @ W.T + b
        outputs.append(phi(z) if layer < len(weights) - 1 else z)
    y = outputs[-1]
    loss = 0.5 * np.sum((y - t) ** 2) / x.shape[0]
    delta = (y - t) / x.shape[0]
    grad_weights, grad_biases = [None] * len(weights), [None] * len(weights)
    for layer in reversed(range(len(weights))):
        grad_weights[layer] = delta.T @ outputs[layer]
        grad_biases[layer] = delta.sum(axis=0)
        if layer > 0:
            delta = (delta @ weights[layer]) * dphi(outputs[layer])
    return loss, grad_weights, grad_biases
''',
    "a2-most-vanishing": 'MOST_VANISHING = "sigmoid"',
}

A2_DIFFERENT = {
    "a2-mlp-gradients": '''
def mlp_gradients(x, t, weights, biases, activation):
    record = actlib.get(activation)
    zs, hs = [], [x]
    for i in range(len(weights)):
        zs.append(np.einsum("bi,oi->bo", hs[-1], weights[i]) + biases[i])
        hs.append(record.fn(zs[-1]) if i + 1 < len(weights) else zs[-1])
    err = hs[-1] - t
    loss = float((err * err).sum() / (2 * len(x)))
    g = err / len(x)
    gW, gb = [], []
    for i in range(len(weights) - 1, -1, -1):
        gW.insert(0, np.einsum("bo,bi->oi", g, hs[i]))
        gb.insert(0, g.sum(0))
        if i:
            g = np.einsum("bo,oi->bi", g, weights[i]) * record.derivative(zs[i - 1])
    return loss, gW, gb
''',
    "a2-gradient-norms": '''
def gradient_norms(activation, depth=12, width=32, seed=0, backprop=mlp_gradients):
    p = checks.mlp_problem(depth, width, seed=seed)
    grads = backprop(p["x"], p["t"], p["weights"], p["biases"], activation)[1]
    return np.sqrt(np.array([(g ** 2).sum() for g in grads]))
''',
    "a2-most-vanishing": '''
ratios = {name: values[0] / values[-1] for name, values in norms.items()}
MOST_VANISHING = sorted(ratios, key=ratios.get)[0]
''',
}

A3_MISTAKES = {
    "a3-dead-fraction": '''
dead = np.concatenate(dead_units(relu_model, X_train), axis=1)
dead_fraction = 1.0 - dead.mean(axis=1)
''',
}

A3_DIFFERENT = {
    "a3-dead-units": '''
def dead_units(model, X):
    result = []
    for layer in model.layers(X):
        fires = (layer.z > 0).any(dim=1)
        result.append(~fires.detach().cpu().numpy())
    return result
''',
    "a3-dead-fraction": '''
masks = dead_units(relu_model, X_train)
counts = sum(m.sum(axis=1) for m in masks)
dead_fraction = torch.tensor(counts / sum(m.shape[1] for m in masks))
''',
}

A4_MISTAKES = {
    "a4-mish-function": '''
class MishFunction(torch.autograd.Function):
    @staticmethod
    def forward(ctx, x):
        ctx.save_for_backward(x)
        return x * torch.tanh(torch.nn.functional.softplus(x))

    @staticmethod
    def backward(ctx, grad_output):
        (x,) = ctx.saved_tensors
        t = torch.tanh(torch.nn.functional.softplus(x))
        return t + x * (1.0 - t * t) * torch.sigmoid(x)
''',
}

A4_DIFFERENT = {
    "a4-mish-function": '''
class MishFunction(torch.autograd.Function):
    @staticmethod
    def forward(ctx, x):
        sp = torch.where(x > 20, x, torch.log1p(torch.exp(torch.clamp(x, max=20.0))))
        ctx.save_for_backward(x, sp)
        return x * torch.tanh(sp)

    @staticmethod
    def backward(ctx, grad_output):
        x, sp = ctx.saved_tensors
        sech2 = 1.0 / torch.cosh(sp) ** 2
        return grad_output * (torch.tanh(sp) + x * sech2 * torch.sigmoid(x))
''',
}

A5_MISTAKES = {"a5-choice": 'CHOICE = "relu"'}

A5_DIFFERENT = {
    "a5-experiment": '''
def run_experiment(candidates, seeds):
    return {name: train_and_evaluate(name, seeds) for name in candidates}


CANDIDATES = ["tanh", "selu", "elu", "gelu"]
SEEDS = [3, 1, 4, 5, 9]
results = run_experiment(CANDIDATES, SEEDS)
''',
    "a5-choice": '''
means = {name: sum(runs.values()) / len(runs) for name, runs in results.items()}
CHOICE = max(means, key=means.get)
''',
}

ANSWERS = {
    "stubs": {},
    "mistakes": {**A1_MISTAKES, **A2_MISTAKES, **A3_MISTAKES, **A4_MISTAKES, **A5_MISTAKES},
    "different": {**A1_DIFFERENT, **A2_DIFFERENT, **A3_DIFFERENT, **A4_DIFFERENT, **A5_DIFFERENT},
    "cheat": A1_CHEAT,
}

#: Auto-graded points per student and assignment, and the grade cells that must fail.
#: mistakes, assignment 1: (1 - tanh)^2 (d_tanh), relu' = 1 (d_relu), leaky ReLU with its
#: slope hard-coded (visible and hidden forward checks), GELU's constant inside the
#: bracket: 20 - 5. Assignment 2: phi' at the output costs the two mlp_gradients cells;
#: gradient_norms is graded with the reference backprop and keeps its 2 points. Assignment
#: 3: the fraction alive. Assignment 4: a backward without grad_output fails backward and
#: gradcheck, but not the stability check (its grad_output is all ones). Assignment 5: a
#: choice that the paired test rejects. cheat: every check of sigmoid, sigmoid', ELU and
#: Swish (forward and derivative, visible and hidden) except ELU's derivative, whose
#: np.where form returns the right values at every input.
FAILING = {
    "mistakes": {"a1-check-d-tanh", "a1-check-d-relu", "a1-check-leaky-relu",
                 "a1-hidden-leaky-relu", "a1-check-gelu",
                 "a2-check-mlp-gradients", "a2-hidden-mlp-gradients",
                 "a3-check-dead-fraction",
                 "a4-check-backward", "a4-check-gradcheck",
                 "a5-check-choice"},
    "different": set(),
    "cheat": {"a1-check-sigmoid", "a1-check-d-sigmoid", "a1-check-elu", "a1-hidden-elu",
              "a1-check-swish", "a1-hidden-swish", "a1-check-d-swish", "a1-hidden-d-swish"},
}
#: The overflow tasks: the cheat must score 0 on every one of them.
OVERFLOW_CELLS = {"a1-check-sigmoid", "a1-check-d-sigmoid", "a1-check-elu", "a1-hidden-elu",
                  "a1-check-swish", "a1-hidden-swish", "a1-check-d-swish", "a1-hidden-d-swish"}


def _strip_markers(source: str) -> str:
    return re.sub(r"(?m)^[ \t]*### (BEGIN|END) SOLUTION[ \t]*\n", "", source)


def solutions(name: str) -> dict[str, str]:
    """The model solutions of an assignment, without the markers, by grade_id."""
    nb = nbformat.read(SOURCES / name / f"{name}.ipynb", as_version=4)
    return {c.metadata["nbgrader"]["grade_id"]: _strip_markers(c.source) for c in nb.cells
            if c.metadata.get("nbgrader", {}).get("solution")}


def submission(release: Path, student: str):
    """The released notebook ``release`` as ``student`` fills it in."""
    nb = nbformat.read(release, as_version=4)
    name = release.stem
    model = solutions(name)
    for cell in nb.cells:
        meta = cell.metadata.get("nbgrader", {})
        if not meta.get("solution") or student == "stubs":
            continue
        gid = meta["grade_id"]
        if cell.cell_type == "markdown":
            cell.source = f"{student}'s answer to {gid}."
        else:
            cell.source = ANSWERS[student].get(gid, model[gid]).strip("\n")
    return nb


def grade_cells(name: str) -> dict[str, int]:
    """``grade_id -> points`` of the auto-graded cells of an assignment."""
    nb = nbformat.read(SOURCES / name / f"{name}.ipynb", as_version=4)
    return {c.metadata["nbgrader"]["grade_id"]: c.metadata["nbgrader"]["points"]
            for c in nb.cells if c.cell_type == "code" and c.metadata.get("nbgrader", {}).get("grade")}


def expected_score(student: str, name: str) -> float:
    cells = grade_cells(name)
    if student == "stubs":
        return 0.0
    return float(sum(p for gid, p in cells.items() if gid not in FAILING[student]))
