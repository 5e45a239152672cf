"""The teaching side of actlib: what the book's chapters and assignments run.

Figures and cards from the registry (:mod:`~actlib.teaching.plotting`),
interactive explorers (:mod:`~actlib.teaching.explorers`), the experiments of
the training-dynamics chapters (:mod:`~actlib.teaching.experiments`,
:mod:`~actlib.teaching.training`), cost measurements
(:mod:`~actlib.teaching.costs`) and the assignments' checks
(:mod:`~actlib.teaching.checks`). Needs the ``book`` and ``torch`` extras.
"""
