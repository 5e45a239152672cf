r"""Checks for the classroom assignments: plain-language feedback, graded by nbgrader or otter.

One module per assignment, shared machinery in one place, and everything specific to
one activation as data:

=================================  ==============================================
module                             what it holds
=================================  ==============================================
``_core``                          :class:`CheckFailed`, the ``@check`` decorator
                                   (pass line, failure report, when a failure
                                   raises), knock-on notes, message helpers
``hints``                          per-activation data: where to read more, the
                                   tails only a stable form gets right, known
                                   wrong answers, kinks, backward hints
``stable_activations``             assignment 1: :func:`check_activation`,
                                   :func:`check_derivative`
``backprop_vanishing``             assignment 2: :func:`check_mlp_gradients`,
                                   :func:`check_gradient_norms`,
                                   :func:`check_most_vanishing`
``dead_units``                     assignment 3: :func:`check_dead_units`,
                                   :func:`check_dead_fraction`
``custom_autograd``                assignment 4: :func:`check_autograd_forward` ...
``choose_activation``              assignment 5: :func:`check_experiment`,
                                   :func:`check_choice`
``grading``                        nbgrader glue: the feedback preprocessor,
                                   autograding a class in parallel, a CLI
``forkserver``                     kernels forked from a process that has
                                   imported the heavy modules (fast autograding)
``editions``                       the student edition (book) and the otter export,
                                   generated from the instructor sources
=================================  ==============================================

Every check compares a student's work with actlib's reference (expected values are
computed, never typed in) and either prints one line starting with :data:`PASS_MARK`,
or reports a :class:`CheckFailed` whose message says what is wrong, why it usually
happens and where to read about it. In a notebook the report is shown and the notebook
runs on; under nbgrader's autograder (or :func:`strict`, or outside a notebook) the
failure raises, so the grade cell loses its points (see :mod:`._core`).

Examples:
    >>> import numpy as np
    >>> from actlib.teaching import checks
    >>> checks.check_activation("relu", lambda x: np.maximum(x, 0.0))
    ✓ relu: all checks passed (values, ±1000, tails, NaN, dtype, shape).
    >>> checks.check_activation("relu", lambda x: np.where(x > 0, x, 0.0))
    Traceback (most recent call last):
    ...
    actlib.teaching.checks.CheckFailed: relu(nan) returned 0.0, not nan. ...
"""

from __future__ import annotations

from ._core import FAIL_MARK, PASS_MARK, CheckFailed, raising, results, strict
from .backprop_vanishing import (
    check_gradient_norms,
    check_mlp_gradients,
    check_most_vanishing,
    mlp_problem,
    reference_backprop,
)
from .choose_activation import check_choice, check_experiment
from .custom_autograd import (
    check_autograd_backward,
    check_autograd_forward,
    check_autograd_stability,
    check_gradcheck,
)
from .dead_units import check_dead_fraction, check_dead_units, reference_dead_units
from .hints import READ_MORE
from .stable_activations import ASSIGNMENT_NAMES, PARAM_CASES, check_activation, check_derivative

CheckFailed.__module__ = __name__  # shown as actlib.teaching.checks.CheckFailed

__all__ = [
    "CheckFailed", "PASS_MARK", "FAIL_MARK", "strict", "raising", "results", "READ_MORE",
    "ASSIGNMENT_NAMES", "PARAM_CASES", "check_activation", "check_derivative",
    "mlp_problem", "reference_backprop", "check_mlp_gradients", "check_gradient_norms",
    "check_most_vanishing",
    "reference_dead_units", "check_dead_units", "check_dead_fraction",
    "check_autograd_forward", "check_autograd_backward", "check_gradcheck",
    "check_autograd_stability",
    "check_experiment", "check_choice",
]
