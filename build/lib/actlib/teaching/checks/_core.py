r"""What every check shares: the failure, how a result is shown, and when a failure raises.

A check either passes, printing one line that starts with :data:`PASS_MARK`, or
fails with a :class:`CheckFailed` whose message says what is wrong, why it
usually happens and where to read about it. What a failure *does* depends on
who runs the notebook:

* **graded** (nbgrader's ``autograde`` and ``validate`` set ``NBGRADER_EXECUTION``;
  otter-grader's tests run the checks inside :func:`strict`) or **outside a
  notebook** (pytest, a script): it raises, so the grade cell loses its points;
* **in a notebook** (JupyterLab, ``jupyter execute``): it shows its message in a
  red-edged box and returns, so "Run All" reaches the end of the notebook with
  every check reporting its result.

A raised :class:`CheckFailed` shows only its wrapped message (IPython's
``_render_traceback_`` hook): no frames of actlib's code, no file paths, in the
notebook and in nbgrader's feedback HTML alike.

Checks also remember their results for the session, so a check whose input was
built on an earlier function that failed its own check says so ("your swish
calls your sigmoid, which failed its check above") instead of leaving a
knock-on failure unexplained.
"""

from __future__ import annotations

import contextvars
import functools
import html
import math
import os
import sys
import textwrap
from collections.abc import Callable, Iterable
from contextlib import contextmanager

import numpy as np

__all__ = ["CheckFailed", "PASS_MARK", "FAIL_MARK", "WIDTH", "check", "strict", "raising",
           "results", "wrap", "fmt", "fmt_pair", "fail", "knock_on", "as_array"]

#: Every passing check prints one line that starts with this mark.
PASS_MARK = "✓"
#: Every failing check's report starts with this mark.
FAIL_MARK = "✗"
#: Messages are wrapped to this many characters per line.
WIDTH = 88


class CheckFailed(AssertionError):
    """A check found a mistake; the message says what is wrong and where to read about it.

    A subclass of ``AssertionError``, so nbgrader and otter-grader count it as a failed
    test like any other assertion. ``key`` names what was checked (``"sigmoid"``,
    ``"mlp_gradients"``), for the knock-on notes of later checks.
    """

    def __init__(self, message: str, key: str = ""):
        super().__init__(message)
        self.key = key

    def report(self) -> str:
        """The message as shown to a student: marked and wrapped."""
        return wrap(f"{FAIL_MARK} {self}")

    def _render_traceback_(self) -> list[str]:
        # IPython shows these lines instead of a traceback (no frames, no paths).
        return ["CheckFailed:", *self.report().splitlines()]


# ---------------------------------------------------------------------------------------
# When a failure raises
# ---------------------------------------------------------------------------------------

_STRICT = contextvars.ContextVar("actlib_checks_strict", default=False)


@contextmanager
def strict():
    """Within this block a failing check always raises (otter-grader's tests use it)."""
    token = _STRICT.set(True)
    try:
        yield
    finally:
        _STRICT.reset(token)


def _in_kernel() -> bool:
    ipython = sys.modules.get("IPython")
    if ipython is None:
        return False
    shell = ipython.get_ipython()
    return shell is not None and getattr(shell, "kernel", None) is not None


def raising() -> bool:
    """Whether a failing check raises now (graded, strict, or outside a notebook kernel)."""
    return _STRICT.get() or bool(os.environ.get("NBGRADER_EXECUTION")) or not _in_kernel()


# ---------------------------------------------------------------------------------------
# Results of this session, for knock-on notes
# ---------------------------------------------------------------------------------------

#: ``key -> passed`` for every check run in this session (the latest run counts).
results: dict[str, bool] = {}


def knock_on(fn, upstream: Iterable[tuple[str, str]]) -> str:
    """A note for a failing check whose function ``fn`` uses earlier work that failed.

    ``upstream`` holds ``(key, name)`` pairs: the key of an earlier check and the name the
    student's code would use for the function it checked. The note names every upstream
    function that ``fn`` refers to (or, for a value rather than a function, every
    upstream check) whose latest check failed.
    """
    code = getattr(fn, "__code__", None)
    used = set(code.co_names) | set(code.co_varnames) if code is not None else None
    broken = [name for key, name in upstream
              if results.get(key) is False and (used is None or name in used)]
    if not broken:
        return ""
    listed = " and ".join(f"`{n}`" for n in broken)
    verb = "fails" if len(broken) == 1 else "fail"
    uses = f", and your `{fn.__name__}` uses {'it' if len(broken) == 1 else 'them'}" \
        if code is not None else ""
    return (f"\nThis may be a knock-on failure: {listed} {verb} its own check above{uses}. "
            "Fix that first, then run this check again.")


# ---------------------------------------------------------------------------------------
# Messages
# ---------------------------------------------------------------------------------------

def wrap(text: str, width: int = WIDTH) -> str:
    """Wrap every paragraph (line) of ``text`` to ``width`` characters."""
    lines = []
    for paragraph in str(text).split("\n"):
        lines.extend(textwrap.wrap(paragraph, width, break_long_words=False,
                                   break_on_hyphens=False, subsequent_indent="  "
                                   if paragraph.startswith(("- ", "* ")) else "") or [""])
    return "\n".join(lines)


def fmt(v) -> str:
    """A number for a message: ``nan``, ``inf``, ``1.0``, or 7 significant digits."""
    v = float(v)
    if math.isnan(v):
        return "nan"
    if math.isinf(v):
        return "inf" if v > 0 else "-inf"
    if v == int(v) and abs(v) < 1e15:
        return f"{v:.1f}"
    return f"{v:.7g}"


def fmt_pair(got, expected) -> tuple[str, str]:
    """Two numbers with as many digits as it takes to tell them apart (up to 17)."""
    a, b = fmt(got), fmt(expected)
    digits = 7
    while a == b and digits < 17 and float(got) != float(expected):
        digits += 2
        a, b = f"{float(got):.{digits}g}", f"{float(expected):.{digits}g}"
    return a, b


def fail(message: str, key: str = "", read_more: str | None = None):
    """Raise :class:`CheckFailed` with ``message`` and, if given, where to read more."""
    __tracebackhide__ = True
    if read_more:
        message = f"{message}\nRead more: {read_more}."
    raise CheckFailed(message, key)


# ---------------------------------------------------------------------------------------
# The decorator every public check wears
# ---------------------------------------------------------------------------------------

def _show_failure(failure: CheckFailed) -> None:
    text = failure.report()
    box = ("<div class=\"actlib-check-failed\" style=\"border-left: 4px solid #c62828; "
           "padding: 0.3em 0.8em; margin: 0.2em 0; white-space: pre-wrap; overflow-wrap: anywhere; "
           "font-family: var(--jp-code-font-family, monospace); font-size: 0.9em;\">"
           f"{html.escape(text)}</div>")
    try:
        from IPython.display import display

        display({"text/plain": text, "text/html": box}, raw=True)
    except ImportError:  # pragma: no cover - only reached in a kernel, which has IPython
        print(text)


def check(fn: Callable[..., str]) -> Callable[..., None]:
    """Turn ``fn`` (which returns the pass text, or raises :class:`CheckFailed`) into a check.

    The check prints ``✓ <pass text>`` and records its result; on failure it records the
    failure and raises or shows it (see :func:`raising`). Any other exception inside the
    check is reported as a failure of the check itself, so students never see actlib's
    internals.
    """

    @functools.wraps(fn)
    def run(*args, **kwargs) -> None:
        __tracebackhide__ = True
        try:
            key, text = fn(*args, **kwargs)
        except CheckFailed as failure:
            if failure.key:
                results[failure.key] = False
            if raising():
                raise
            _show_failure(failure)
            return None
        except Exception as exc:  # noqa: BLE001 - a bug in the check must not show internals
            failure = CheckFailed(
                f"{fn.__name__} could not finish ({type(exc).__name__}: {exc}). This is a problem "
                "of the check, not necessarily of your code: tell your instructor.")
            if raising():
                raise failure from exc
            _show_failure(failure)
            return None
        results[key] = True
        print(f"{PASS_MARK} {text}")
        return None

    return run


def as_array(value, what: str, key: str = "", read_more: str | None = None) -> np.ndarray:
    """``value`` (a number, list, numpy array or torch tensor) as a float64 numpy array."""
    __tracebackhide__ = True
    if isinstance(value, (bool, np.bool_)):
        fail(f"{what} is {value!r}, a boolean: give a number (True counts as 1 in Python, which "
             "hides the mistake).", key, read_more)
    if hasattr(value, "detach"):  # a torch tensor, of any shape (0-d included)
        value = value.detach().cpu().numpy()
    try:
        arr = np.asarray(value)
    except Exception:  # noqa: BLE001 - ragged lists and the like
        arr = np.asarray(value, dtype=object)
    if arr.dtype == bool:
        fail(f"{what} holds booleans; give numbers.", key, read_more)
    if arr.dtype.kind not in "iuf":
        fail(f"{what} must be a number (or an array of numbers), got {type(value).__name__}.",
             key, read_more)
    return arr.astype(np.float64)
