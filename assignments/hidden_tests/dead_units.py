"""Hidden tests of assignment 3: a network of another shape, untrained, with many dead units."""

from actlib.teaching import checks, data, models


def dead_units(fn):
    model = models.MLP([64, 16, 16, 16, 10], "relu", members=3, seeds=[5, 6, 7], bias=-1.5)
    checks.check_dead_units(fn, model, data.digits().x_train)
