"""Hidden tests of assignment 4: inputs far outside the range gradcheck looks at, and NaN."""

from actlib.teaching import checks


def stability(cls):
    checks.check_autograd_stability(cls, "mish", values=(-1000.0, -80.0, -50.0, 50.0, 80.0, 1000.0))
