"""Hidden tests of assignment 1: parameter values the visible checks do not try."""

from actlib.teaching import checks


def leaky_relu(fn):
    checks.check_activation("leaky_relu", fn, cases=[{"negative_slope": 0.3},
                                                     {"negative_slope": 0.001}])


def d_leaky_relu(fn):
    checks.check_derivative("leaky_relu", fn, cases=[{"negative_slope": 0.3},
                                                     {"negative_slope": 0.001}])


def elu(fn):
    checks.check_activation("elu", fn, cases=[{"alpha": 2.0}, {"alpha": 0.1}])


def d_elu(fn):
    checks.check_derivative("elu", fn, cases=[{"alpha": 2.0}, {"alpha": 0.1}])


def swish(fn):
    checks.check_activation("swish", fn, cases=[{"beta": 0.5}, {"beta": 3.0}])


def d_swish(fn):
    checks.check_derivative("swish", fn, cases=[{"beta": 0.5}, {"beta": 3.0}])
