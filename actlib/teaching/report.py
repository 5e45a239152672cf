r"""Showing measured numbers: rendered tables and inline values that tests re-check.

A number that comes out of floating-point training is not the same on every
CPU, so a chapter cannot promise its last digits. A :class:`Measured` value
carries, besides the text a reader sees, its full-precision value and how far
it may move on another machine (its tolerance, see
:mod:`actlib.teaching.stats`). It displays as that text (``text/plain``) plus a
machine-readable record (:data:`MIME`). The book's notebook tests compare the
record within the tolerance and the rest of the output with its digits masked
(:func:`compare_outputs`), and compare every other output exactly.

* :class:`Measured` / :func:`measured`: one value, e.g. ``0.957 ± 0.004``;
* :class:`Table`: a table of text, exact numbers and measured values, rendered
  as a MyST table in the book and as Markdown in JupyterLab;
* :func:`glue`: ``myst_nb.glue`` for prose, without the quote marks a string
  would get and without display;
* :func:`claim`: assert a statement the prose makes, with the statement as
  the message.

Examples:
    >>> from actlib.teaching.report import measured, Table
    >>> m = measured(0.9571, tol=0.01, fmt="{:.3f}")
    >>> str(m), m.value
    ('0.957', 0.9571)
    >>> Table(["activation", "accuracy"], [["relu", m]]).markdown().splitlines()[2]
    '| relu | 0.957 |'
"""

from __future__ import annotations

import copy
import json
import math
import re
import string
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field

import numpy as np

__all__ = ["MIME", "Measured", "MeasuredMimeRenderer", "measured", "measured_format", "Text", "Table",
           "markdown_cell", "glue", "claim",
           "ClaimFailed", "split_outputs", "compare_outputs"]

#: The MIME type of the machine-readable record of measured values in an output.
MIME = "application/vnd.actlib.measured+json"


# ---------------------------------------------------------------------------------------
# Values
# ---------------------------------------------------------------------------------------

@dataclass(frozen=True)
class Measured:
    """Text for the reader plus the values behind it, each with a tolerance.

    ``values`` and ``tols`` are in the order the numbers appear in ``text``.
    ``format(m, ".2f")`` formats the first value, ``float(m)`` returns it.
    """

    text: str
    values: tuple[float, ...]
    tols: tuple[float, ...]

    @property
    def value(self) -> float:
        return self.values[0]

    def __str__(self) -> str:
        return self.text

    def __float__(self) -> float:
        return float(self.values[0])

    def __format__(self, spec: str) -> str:
        return format(self.values[0], spec) if spec else self.text

    def record(self) -> dict:
        return {"values": [_json_number(v) for v in self.values],
                "tols": [_json_number(t) for t in self.tols]}

    def _repr_mimebundle_(self, include=None, exclude=None):
        return {"text/plain": self.text, MIME: self.record()}


def _json_number(v):
    v = float(v)
    return v if math.isfinite(v) else None  # JSON has no NaN; None stands for "not finite"


def measured(value, *, tol: float | None = None, rtol: float | None = None,
             fmt: str = "{:.3g}", scale: float = 1.0) -> Measured:
    """One measured value shown as ``fmt.format(value * scale)``.

    The tolerance is ``tol`` (absolute, in the unit of ``value``) plus ``rtol *
    |value|``; give at least one. Use :meth:`~actlib.teaching.stats.Stat.show` for a
    statistic over seeds, which derives its tolerance from the spread.
    """
    if tol is None and rtol is None:
        raise ValueError("measured() needs tol= or rtol=: how far may this value move on "
                         "another machine?")
    value = float(value)
    t = (tol or 0.0) + ((rtol or 0.0) * abs(value) if math.isfinite(value) else 0.0)
    return Measured(fmt.format(value * scale), (value * scale,), (t * abs(scale),))


def measured_format(fmt: str, fields: Mapping, tols: Mapping, *, scale: float = 1.0,
                    exact: Iterable[str] = ()) -> Measured:
    """A :class:`Measured` from a format string over named fields (``"{mean:.3f} ± {sd:.3f}"``).

    Fields named in ``exact`` (counts) are not scaled.
    """
    exact = set(exact)
    scaled = {k: (v if k in exact else v * scale) for k, v in fields.items()}
    values, tol_list = [], []
    for _, name, _, _ in string.Formatter().parse(fmt):
        if name is None:
            continue
        if name not in fields:
            raise ValueError(f"unknown field {name!r} in {fmt!r}; fields: {sorted(fields)}")
        values.append(scaled[name])
        tol_list.append(tols[name] * (1.0 if name in exact else abs(scale)))
    return Measured(fmt.format(**scaled), tuple(values), tuple(tol_list))


@dataclass(frozen=True)
class Text:
    """A string that displays as itself (a plain ``str`` would show its quote marks)."""

    text: str

    def __str__(self) -> str:
        return self.text

    def _repr_mimebundle_(self, include=None, exclude=None):
        return {"text/plain": self.text}


def glue(name: str, value) -> None:
    """``myst_nb.glue(name, value, display=False)`` for ``{glue:}`` and ``{glue:text}`` in
    prose; a ``str`` is glued as :class:`Text`, so it appears without quote marks."""
    from myst_nb import glue as _glue

    _glue(name, Text(value) if isinstance(value, str) else value, display=False)


class ClaimFailed(AssertionError):
    """A statement the chapter makes is not supported by what the notebook just measured."""


def claim(holds, statement: str) -> None:
    """Assert a statement the prose makes; raise :class:`ClaimFailed` quoting it if not.

    Notebook tests re-run every chapter, so a claim that stops holding (after a change of
    code, data or machine) fails the tests instead of staying in the text.
    """
    if not bool(holds):
        raise ClaimFailed(f"the chapter says: {statement!r}, but the measurement does not "
                          "support it")


# ---------------------------------------------------------------------------------------
# Tables
# ---------------------------------------------------------------------------------------

_NUMERIC_TEXT = re.compile(r"^[−\-+]?(\d|\.\d)[\d.,]*(e[+\-−]?\d+)?( ?%)?( (±|to) .*)?$")


def _numeric(cell) -> bool:
    """Numbers, measured values and text that starts as a number are right-aligned."""
    if isinstance(cell, (bool, np.bool_)):
        return False
    if isinstance(cell, (Measured, int, float, np.integer, np.floating)):
        return True
    return isinstance(cell, str) and bool(_NUMERIC_TEXT.match(cell.strip()))


def markdown_cell(text: str) -> str:
    """``text`` safe inside a Markdown table cell: ``|`` escaped, one line."""
    return str(text).replace("|", "\\|").replace("\n", " ")


@dataclass
class Table:
    """A results table: ``columns`` (headings) and ``rows`` of cells.

    A cell is a string (Markdown/MyST allowed, e.g. math or a ``{term}`` role), an
    integer, a float (formatted with the column's entry of ``formats``, default
    ``"{:.3g}"``) or a :class:`Measured`. ``align`` holds ``"l"``, ``"r"`` or ``"c"`` per
    column (default: right for numbers). ``caption`` is shown above the table.
    """

    columns: Sequence[str]
    rows: Sequence[Sequence]
    formats: Sequence[str | None] | None = None
    align: Sequence[str] | None = None
    caption: str = ""
    _cells: list = field(default=None, init=False, repr=False)

    def __post_init__(self):
        self.columns = [str(c) for c in self.columns]
        self.rows = [list(r) for r in self.rows]
        for i, r in enumerate(self.rows):
            if len(r) != len(self.columns):
                raise ValueError(f"row {i} has {len(r)} cells, the table {len(self.columns)} columns")
        if self.formats is not None and len(self.formats) != len(self.columns):
            raise ValueError("formats needs one entry per column")

    def _text(self, cell, j) -> str:
        if isinstance(cell, Measured):
            return cell.text
        if isinstance(cell, (bool, np.bool_)):
            return "yes" if cell else "no"
        if isinstance(cell, (int, np.integer)):
            return str(int(cell))
        if isinstance(cell, (float, np.floating)):
            fmt = (self.formats[j] if self.formats and self.formats[j] else None) or "{:.3g}"
            return fmt.format(float(cell)).replace("-", "−") if math.isfinite(cell) else "—"
        return str(cell)

    def _aligns(self):
        if self.align is not None:
            return list(self.align)
        out = []
        for j in range(len(self.columns)):
            numeric = all(_numeric(r[j]) for r in self.rows)
            out.append("r" if numeric and self.rows else "l")
        return out

    def markdown(self) -> str:
        esc = markdown_cell
        rule = {"l": ":--", "r": "--:", "c": ":-:"}
        lines = ["| " + " | ".join(esc(c) for c in self.columns) + " |",
                 "|" + "|".join(rule[a] for a in self._aligns()) + "|"]
        for r in self.rows:
            lines.append("| " + " | ".join(esc(self._text(c, j)) for j, c in enumerate(r)) + " |")
        text = "\n".join(lines)
        return (f"**{self.caption}**\n\n" + text) if self.caption else text

    def measured_cells(self) -> list[Measured]:
        return [c for r in self.rows for c in r if isinstance(c, Measured)]

    def _repr_mimebundle_(self, include=None, exclude=None):
        bundle = {"text/markdown": self.markdown(),
                  "text/plain": f"<Table: {len(self.rows)} rows × {len(self.columns)} columns>"}
        cells = self.measured_cells()
        if cells:
            bundle[MIME] = {"values": [v for c in cells for v in c.record()["values"]],
                            "tols": [t for c in cells for t in c.record()["tols"]]}
        return bundle


# ---------------------------------------------------------------------------------------
# Comparing a re-run notebook's outputs with the saved ones
# ---------------------------------------------------------------------------------------

_NUMBER = re.compile(r"[-−+]?(?:\d+\.?\d*|\.\d+)(?:[eE][-+]?\d+)?")
_BASE64 = re.compile(r"[A-Za-z0-9+/]{24,}={0,2}")


def _mask(value):
    """Digits and base64 blobs of an output replaced by ``#``, for structure-only comparison."""
    if isinstance(value, str):
        return _NUMBER.sub("#", _BASE64.sub("#", value))
    if isinstance(value, list) and all(isinstance(v, str) for v in value):
        return _mask("".join(value))
    return value


def split_outputs(outputs: Sequence[Mapping]) -> tuple[list[dict], list[dict]]:
    """Separate the measured records of a cell's outputs from the rest.

    Returns ``(masked_outputs, records)``: a copy of the outputs in which every output
    that carries a :data:`MIME` record (under any prefix, e.g. a ``glue`` one) has that
    record replaced by a placeholder and the digits of its other representations masked;
    and the list of records (dicts with ``values`` and ``tols``), in order.
    """
    try:
        from nbformat import from_dict as node
    except ImportError:  # pragma: no cover - plain dicts outside Jupyter
        def node(d):
            return d
    masked, records = [], []
    for out in outputs:
        out = copy.deepcopy(dict(out))
        data = out.get("data")
        if isinstance(data, Mapping):
            keys = [k for k in data if k.endswith(MIME)]
            if keys:
                data = dict(data)
                for k in keys:
                    rec = data[k]
                    records.append(json.loads(rec) if isinstance(rec, str) else dict(rec))
                    data[k] = "measured"
                for k in data:
                    if k not in keys:
                        data[k] = _mask(data[k])
                out["data"] = data
        masked.append(node(out))
    return masked, records


def compare_records(test: Sequence[Mapping], ref: Sequence[Mapping]) -> list[str]:
    """Differences between the measured values of a re-run (``test``) and the saved ones
    (``ref``), each within the saved tolerance; an empty list when all agree."""
    problems = []
    if len(test) != len(ref):
        return [f"{len(test)} measured outputs now, {len(ref)} saved"]
    for i, (t, r) in enumerate(zip(test, ref, strict=True)):
        tv, rv, tol = t.get("values", []), r.get("values", []), r.get("tols", [])
        if len(tv) != len(rv):
            problems.append(f"record {i}: {len(tv)} values now, {len(rv)} saved")
            continue
        for j, (a, b, e) in enumerate(zip(tv, rv, tol, strict=True)):
            if a is None or b is None:
                if (a is None) != (b is None):
                    problems.append(f"record {i} value {j}: {a} now, {b} saved")
                continue
            if not abs(a - b) <= e:
                problems.append(f"record {i} value {j}: {a!r} now, {b!r} saved, differs by "
                                f"{abs(a - b):.3g} > tolerance {e:.3g}")
    return problems


def compare_outputs(test: Sequence[Mapping], ref: Sequence[Mapping]):
    """``(masked_test, masked_ref, problems)``: the outputs to compare exactly, and the
    differences of their measured values beyond tolerance."""
    test_m, test_r = split_outputs(test)
    ref_m, ref_r = split_outputs(ref)
    return test_m, ref_m, compare_records(test_r, ref_r)


class MeasuredMimeRenderer:
    """myst-nb plugin (entry point ``myst_nb.mime_renderers``): the record of measured values
    is for the tests, not for the page, so the book renders it as nothing, and picks the
    output's text, table or HTML instead."""

    mime_priority_overrides = [("*", MIME, None)]

    @staticmethod
    def handle_mime(renderer, data, inline):
        return [] if data.mime_type == MIME else None
