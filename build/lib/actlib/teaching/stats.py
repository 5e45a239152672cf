r"""Statistics over random seeds: what a claim drawn from training may say.

One training run proves little: the spread between seeds can be larger than the
difference between two activations, and on another CPU a chaotic run can end
somewhere else entirely (the floating-point sums of torch and numpy differ in
the last bits between code paths, and training amplifies that). So every
number the book draws from training is a statistic over seeds, and every
comparison is a test:

* :class:`Stat`: n, mean, standard deviation, standard error and a 95 %
  t-interval of one quantity over seeds;
* :class:`Paired`: two quantities measured on the same seeds (same
  initialisation, same data order), compared by the paired t-test;
* :class:`Proportion`: k successes in n seeds, with the Wilson interval.

Each also says how far its displayed numbers may move on another machine:
:data:`TOL_SE` standard errors of the difference of two independent estimates
(``TOL_SE * sqrt(2) * se``). That is the tolerance at which the book's tests
compare a re-run notebook with its saved outputs: if the seeds of two machines
were completely unrelated runs, their means would still differ by more than
this only with probability about ``1e-4``.

Examples:
    >>> import numpy as np
    >>> from actlib.teaching.stats import Stat, Paired
    >>> s = Stat([0.90, 0.92, 0.91, 0.93])
    >>> s.n, round(s.mean, 3), round(s.sd, 4)
    (4, 0.915, 0.0129)
    >>> Paired([0.95, 0.96, 0.97, 0.96], [0.90, 0.92, 0.91, 0.93]).greater(alpha=0.01)
    True
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from functools import cached_property

import numpy as np

__all__ = ["TOL_SE", "FLOOR", "Stat", "Paired", "Proportion", "tolerance"]

#: How many standard errors (of the difference of two independent estimates) a
#: displayed statistic may move between machines before a test calls it a change.
TOL_SE = 4.0
#: Relative and absolute floor of every tolerance: what float noise alone can do.
FLOOR = (1e-6, 1e-9)


def tolerance(se: float, value: float = 0.0) -> float:
    """The tolerance of an estimate with standard error ``se``: ``TOL_SE * sqrt(2) * se``
    plus the floor for float noise on ``value``."""
    se = float(se) if np.isfinite(se) else 0.0
    value = abs(float(value)) if np.isfinite(value) else 0.0
    return TOL_SE * math.sqrt(2.0) * se + FLOOR[0] * value + FLOOR[1]


def _values(values, name="values") -> np.ndarray:
    arr = np.asarray(values, dtype=float).ravel()
    if arr.size == 0:
        raise ValueError(f"{name} is empty: a statistic needs at least one value")
    return arr


@dataclass(frozen=True, eq=False)
class Stat:
    """Summary of one quantity over ``n`` seeds (NaN entries, e.g. diverged runs, are
    counted in ``n_nan`` and left out of the summary)."""

    values: np.ndarray

    def __init__(self, values):
        object.__setattr__(self, "values", _values(values))

    @cached_property
    def finite(self) -> np.ndarray:
        return self.values[np.isfinite(self.values)]

    @property
    def n(self) -> int:
        return int(self.finite.size)

    @property
    def n_nan(self) -> int:
        return int(self.values.size - self.finite.size)

    @property
    def mean(self) -> float:
        return float(self.finite.mean()) if self.n else math.nan

    @property
    def sd(self) -> float:
        return float(self.finite.std(ddof=1)) if self.n > 1 else 0.0

    @property
    def se(self) -> float:
        return self.sd / math.sqrt(self.n) if self.n else math.nan

    @property
    def min(self) -> float:
        return float(self.finite.min())

    @property
    def max(self) -> float:
        return float(self.finite.max())

    def ci(self, level: float = 0.95) -> tuple[float, float]:
        """Two-sided t-interval for the mean."""
        from scipy import stats

        if self.n < 2:
            return (self.mean, self.mean)
        half = stats.t.ppf(0.5 + level / 2, self.n - 1) * self.se
        return (self.mean - half, self.mean + half)

    def tol(self, field: str = "mean") -> float:
        """How far ``field`` (``mean``, ``sd``, ``se``, ``lo``, ``hi``, ``min``, ``max``,
        ``n``) may move on another machine."""
        if field in ("mean", "lo", "hi"):
            extra = 0.0
            if field != "mean" and self.n > 1:
                from scipy import stats
                extra = stats.t.ppf(0.975, self.n - 1) * self._se_of_sd() / math.sqrt(self.n)
            return tolerance(math.hypot(self.se, extra), self.mean)
        if field == "sd":
            return tolerance(self._se_of_sd(), self.sd)
        if field == "se":
            return tolerance(self._se_of_sd() / math.sqrt(max(self.n, 1)), self.se)
        if field in ("min", "max"):
            # an extreme over seeds can move by about the spread itself
            return tolerance(self.sd, getattr(self, field))
        if field in ("n", "n_nan"):
            return 0.0
        raise ValueError(f"unknown field {field!r}")

    def _se_of_sd(self) -> float:
        return self.sd / math.sqrt(2.0 * max(self.n - 1, 1))

    def fields(self) -> dict:
        lo, hi = self.ci()
        return dict(mean=self.mean, sd=self.sd, se=self.se, lo=lo, hi=hi, min=self.min,
                    max=self.max, n=self.n, n_nan=self.n_nan)

    def show(self, fmt: str = "{mean:.3f} ± {sd:.3f}", scale: float = 1.0):
        """A :class:`~actlib.teaching.report.Measured` of the fields that ``fmt`` uses,
        e.g. ``"{mean:.1f} % ± {sd:.1f}"`` with ``scale=100``."""
        from .report import measured_format

        return measured_format(fmt, self.fields(), {k: self.tol(k) for k in self.fields()},
                               scale=scale, exact=("n", "n_nan"))

    def __repr__(self) -> str:
        return f"Stat(n={self.n}, mean={self.mean:.6g}, sd={self.sd:.3g})"


@dataclass(frozen=True, eq=False)
class Paired:
    """``a`` and ``b`` measured on the same seeds; ``diff = a - b``, tested by the paired
    t-test (two-sided p-value; :meth:`greater` and :meth:`less` are one-sided)."""

    a: np.ndarray
    b: np.ndarray

    def __init__(self, a, b):
        a, b = _values(a, "a"), _values(b, "b")
        if a.shape != b.shape:
            raise ValueError(f"a and b must hold one value per seed each, got {a.size} and {b.size}")
        keep = np.isfinite(a) & np.isfinite(b)
        object.__setattr__(self, "a", a[keep])
        object.__setattr__(self, "b", b[keep])

    @property
    def diff(self) -> Stat:
        return Stat(self.a - self.b)

    @property
    def n(self) -> int:
        return int(self.a.size)

    @property
    def t(self) -> float:
        d = self.diff
        if d.sd == 0:
            return math.copysign(math.inf, d.mean) if d.mean else 0.0
        return d.mean / d.se

    def p(self, alternative: str = "two-sided") -> float:
        """p-value of the paired t-test (``"two-sided"``, ``"greater"``: a > b, ``"less"``)."""
        from scipy import stats

        if self.n < 2:
            return math.nan
        d = self.diff
        if d.sd == 0:
            same = d.mean == 0
            if alternative == "two-sided":
                return 1.0 if same else 0.0
            return 0.0 if (d.mean > 0) == (alternative == "greater") and not same else 1.0
        return float(stats.ttest_rel(self.a, self.b, alternative=alternative).pvalue)

    @property
    def wins(self) -> int:
        """Seeds on which ``a > b``."""
        return int((self.a > self.b).sum())

    def greater(self, alpha: float = 0.01) -> bool:
        """``a > b`` on average: one-sided paired t-test at level ``alpha``."""
        return self.n >= 2 and self.p("greater") < alpha

    def less(self, alpha: float = 0.01) -> bool:
        """``a < b`` on average: one-sided paired t-test at level ``alpha``."""
        return self.n >= 2 and self.p("less") < alpha

    def within(self, margin: float, level: float = 0.95) -> bool:
        """The ``level`` confidence interval of the mean difference lies inside
        ``(-margin, margin)``: the two are equal up to ``margin`` (an equivalence test)."""
        lo, hi = self.diff.ci(level)
        return -margin < lo and hi < margin

    def show(self, fmt: str = "{mean:+.3f} (95 % CI {lo:+.3f} to {hi:+.3f})", scale: float = 1.0):
        """The mean difference and its interval as a :class:`~actlib.teaching.report.Measured`."""
        return self.diff.show(fmt, scale)

    def __repr__(self) -> str:
        return f"Paired(n={self.n}, diff={self.diff.mean:.4g}, t={self.t:.3g})"


@dataclass(frozen=True)
class Proportion:
    """``k`` successes in ``n`` trials (seeds), with the Wilson score interval."""

    k: int
    n: int

    def __post_init__(self):
        if not (0 <= self.k <= self.n and self.n >= 1):
            raise ValueError(f"need 0 <= k <= n and n >= 1, got k={self.k}, n={self.n}")

    @classmethod
    def of(cls, successes) -> Proportion:
        arr = np.asarray(successes, dtype=bool).ravel()
        return cls(int(arr.sum()), int(arr.size))

    @property
    def p(self) -> float:
        return self.k / self.n

    def ci(self, level: float = 0.95) -> tuple[float, float]:
        from scipy import stats

        z = stats.norm.ppf(0.5 + level / 2)
        n, p = self.n, self.p
        centre = (p + z * z / (2 * n)) / (1 + z * z / n)
        half = z * math.sqrt(p * (1 - p) / n + z * z / (4 * n * n)) / (1 + z * z / n)
        return (max(0.0, centre - half), min(1.0, centre + half))

    def tol(self, field: str = "p") -> float:
        # Agresti-Coull: never a zero standard error at p = 0 or 1
        pt = (self.k + 2) / (self.n + 4)
        se_p = math.sqrt(pt * (1 - pt) / self.n)
        if field == "k":
            return tolerance(se_p * self.n, self.k)
        if field == "n":
            return 0.0
        return tolerance(se_p, self.p)

    def show(self, fmt: str = "{k} of {n}", scale: float = 1.0):
        from .report import measured_format

        lo, hi = self.ci()
        fields = dict(k=self.k, n=self.n, p=self.p, lo=lo, hi=hi)
        tols = dict(k=self.tol("k"), n=0.0, p=self.tol("p"), lo=self.tol("p"), hi=self.tol("p"))
        return measured_format(fmt, fields, tols, scale=scale, exact=("n",))
