"""An explorer's controls: :class:`Slider` over a grid of numbers, :class:`Choice` among
named options, and :class:`Controls`, the set of them with where each one stands.

A state of an explorer is one value per control; ``Controls.grid`` walks every state in
the order the static page stores them (the last control varies fastest).
"""

from __future__ import annotations

import itertools
import math
from collections.abc import Sequence
from dataclasses import dataclass

import numpy as np

__all__ = ["Slider", "Choice", "Controls"]


@dataclass(frozen=True)
class Slider:
    """A control over a grid of values; ``default`` must be one of them.

    ``labels`` (one per value) replaces the number the page shows (e.g. ``"10⁻³"``);
    ``play`` adds a play/pause button that steps through the values.
    """

    name: str
    values: tuple[float, ...]
    default: float
    label: str = ""
    integer: bool = False
    labels: tuple[str, ...] | None = None
    play: bool = False

    @classmethod
    def range(cls, name, start, stop, step, default, label="", integer=False, **kw):
        """Values ``start, start + step, ..., stop`` (``stop`` must be on the grid)."""
        for arg, v in (("start", start), ("stop", stop), ("step", step)):
            if not isinstance(v, (int, float, np.integer, np.floating)) or not math.isfinite(v):
                raise TypeError(f"slider {name}: {arg} must be a finite number, got {v!r}")
        if step <= 0 or stop <= start:
            raise ValueError(f"slider {name}: needs start < stop and step > 0, got "
                             f"start={start}, stop={stop}, step={step}")
        n = int(round((stop - start) / step)) + 1
        values = tuple(float(round(start + i * step, 10)) for i in range(n))
        return cls(name, values, float(default), label or name, integer, **kw)

    def __post_init__(self):
        values = tuple(float(v) for v in self.values)
        if len(values) < 2:
            raise ValueError(f"slider {self.name}: needs at least two values")
        if not all(math.isfinite(v) for v in values) or any(b <= a for a, b in zip(values, values[1:], strict=False)):
            raise ValueError(f"slider {self.name}: values must be finite and increasing")
        near = [v for v in values if abs(v - self.default) <= 1e-9 * max(1.0, abs(v))]
        if not near:
            raise ValueError(f"slider {self.name}: default {self.default} is not on the grid")
        if self.labels is not None and len(self.labels) != len(values):
            raise ValueError(f"slider {self.name}: needs one label per value")
        object.__setattr__(self, "values", values)
        object.__setattr__(self, "default", near[0])  # snap rounding noise to the grid value
        object.__setattr__(self, "label", self.label or self.name)

    @property
    def step(self) -> float:
        return self.values[1] - self.values[0]

    def index(self, value: float) -> int:
        return int(np.argmin(np.abs(np.asarray(self.values) - value)))

    def fmt(self, v: float) -> str:
        """The value as the page shows it: its label, or 4 significant digits."""
        if self.labels is not None:
            return self.labels[self.index(v)]
        if self.integer:
            return f"{int(round(v))}"
        return f"{v:.4g}".replace("-", "−")

    def spec(self) -> dict:
        out = {"kind": "slider", "name": self.name, "label": self.label, "values": list(self.values),
               "default": self.index(self.default), "integer": self.integer}
        if self.labels is not None:
            out["labels"] = list(self.labels)
        if self.play:
            out["play"] = True
        return out

    def value_at(self, i: int) -> float:
        return int(round(self.values[i])) if self.integer else self.values[i]


@dataclass(frozen=True)
class Choice:
    """A control that picks one of ``options`` (strings); ``default`` is one of them."""

    name: str
    options: tuple[str, ...]
    default: str | None = None
    label: str = ""

    def __post_init__(self):
        options = tuple(self.options)
        if len(options) < 2 or not all(isinstance(o, str) for o in options):
            raise ValueError(f"choice {self.name}: needs at least two options, all strings")
        if len(set(options)) != len(options):
            raise ValueError(f"choice {self.name}: options must be distinct")
        default = options[0] if self.default is None else self.default
        if default not in options:
            raise ValueError(f"choice {self.name}: default {default!r} is not one of {options}")
        object.__setattr__(self, "options", options)
        object.__setattr__(self, "default", default)
        object.__setattr__(self, "label", self.label or self.name)

    @property
    def values(self) -> tuple[str, ...]:
        return self.options

    def index(self, value) -> int:
        if value not in self.options:
            raise ValueError(f"unknown {self.name} choice {value!r}; choices: {list(self.options)}")
        return self.options.index(value)

    def spec(self) -> dict:
        return {"kind": "choice", "name": self.name, "label": self.label, "options": list(self.options),
                "default": self.index(self.default)}

    def value_at(self, i: int) -> str:
        return self.options[i]


class Controls:
    """The controls passed to ``compute`` by name, and where each one stands; with two or
    more overlays, a last "compare with" choice among them (not passed to ``compute``)."""

    def __init__(self, sliders: Sequence[Slider | Choice], overlays: Sequence[str], overlay_label: str):
        self.sliders = list(sliders)
        for s in self.sliders:
            if not isinstance(s, (Slider, Choice)):
                raise TypeError(f"sliders holds Slider and Choice controls, got {type(s).__name__}")
        names = [s.name for s in self.sliders]
        if len(set(names)) != len(names):
            raise ValueError(f"control names must be distinct, got {names}")
        self.overlays = list(overlays)
        self.overlay_label = overlay_label
        self.values = {s.name: s.default for s in self.sliders}
        self.overlay = self.overlays[0] if self.overlays else None

    @property
    def all(self) -> list[Slider | Choice]:
        """Every control, the "compare with" choice last."""
        if len(self.overlays) < 2:
            return list(self.sliders)
        return self.sliders + [Choice(self.overlay_label, tuple(self.overlays), self.overlay)]

    def set(self, **values) -> None:
        """Move controls by name (``overlay`` or the overlay label picks the overlay); a
        slider snaps to its nearest grid value."""
        for name, v in values.items():
            if name in (self.overlay_label, "overlay"):
                if v not in self.overlays:
                    raise ValueError(f"unknown {self.overlay_label} choice {v!r}; choices: {self.overlays}")
                self.overlay = v
                continue
            control = next((s for s in self.sliders if s.name == name), None)
            if control is None:
                raise ValueError(f"no control called {name!r}; controls: {list(self.values)}")
            if isinstance(control, Slider):
                v = control.values[control.index(float(v))]
            else:
                control.index(v)
            self.values[name] = v

    def indices(self) -> list[int]:
        """Where each control of :attr:`all` stands, as an index into its values."""
        idx = [s.index(self.values[s.name]) for s in self.sliders]
        if len(self.overlays) > 1:
            idx.append(self.overlays.index(self.overlay))
        return idx

    def set_indices(self, idx: Sequence[int]) -> None:
        controls = self.all
        if len(idx) != len(controls):
            raise ValueError(f"{len(idx)} indices for {len(controls)} controls")
        for c, i in zip(controls, idx, strict=True):
            if not 0 <= int(i) < len(c.values):
                raise ValueError(f"index {i} is outside control {c.name!r} (0 to {len(c.values) - 1})")
        for s, i in zip(self.sliders, idx, strict=False):
            self.values[s.name] = s.values[int(i)]
        if len(self.overlays) > 1:
            self.overlay = self.overlays[int(idx[-1])]

    def grid(self):
        """Every state, in the page's order (the last control varies fastest):
        ``(values, overlay)`` pairs."""
        overlays = self.overlays if len(self.overlays) > 1 else [self.overlay]
        for combo in itertools.product(*(s.values for s in self.sliders), overlays):
            yield dict(zip((s.name for s in self.sliders), combo[:-1], strict=True)), combo[-1]

    def __str__(self) -> str:
        return ", ".join(f"{s.name}={s.fmt(self.values[s.name]) if isinstance(s, Slider) else self.values[s.name]}"
                         for s in self.sliders)
