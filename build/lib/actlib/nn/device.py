"""Choosing where torch code runs: a GPU when there is one, otherwise the CPU.

Chapters' GPU cells follow d2l's ``try_gpu`` ("return gpu(i) if it exists,
otherwise cpu()") and print which device they ran on with :func:`describe`.
:func:`pick_config` lets one cell run a full-size experiment on a GPU and a
smaller one on the CPU, so the book still builds on a machine without CUDA.

Examples:
    >>> from actlib.nn.device import describe, try_gpu
    >>> device = try_gpu()
    >>> describe(device).startswith(("GPU: ", "CPU"))
    True
"""

from __future__ import annotations

from typing import Any

import torch

from .._validate import check_param

__all__ = ["try_gpu", "try_all_gpus", "describe", "pick_config"]


def try_gpu(i: int = 0) -> torch.device:
    """Return ``cuda:i`` if that GPU exists, otherwise the CPU (d2l's ``try_gpu``).

    Args:
        i: index of the GPU, an integer ``>= 0``.

    Examples:
        >>> try_gpu(10_000)
        device(type='cpu')
    """
    i = check_param("i", i, 0, float("inf"), integer=True)
    if torch.cuda.is_available() and (i == 0 or torch.cuda.device_count() > i):
        return torch.device(f"cuda:{i}")
    return torch.device("cpu")


def try_all_gpus() -> list[torch.device]:
    """Every available GPU, or ``[cpu]`` when there is none."""
    if not torch.cuda.is_available():
        return [torch.device("cpu")]
    return [torch.device(f"cuda:{i}") for i in range(max(torch.cuda.device_count(), 1))]


def describe(device: torch.device | str | None = None) -> str:
    """A short, human-readable name for ``device`` (default: :func:`try_gpu`).

    Returns, for example, ``"GPU: NVIDIA H100 80GB HBM3"``, ``"CPU"`` or,
    when CUDA is not available at all, ``"CPU (no CUDA device found)"``.
    """
    device = try_gpu() if device is None else torch.device(device)
    if device.type == "cuda":
        index = device.index if device.index is not None else torch.cuda.current_device()
        return f"GPU: {torch.cuda.get_device_name(index)}"
    if device.type == "cpu":
        return "CPU" if torch.cuda.is_available() else "CPU (no CUDA device found)"
    return device.type.upper()


def pick_config(gpu: Any, cpu: Any, i: int = 0) -> tuple[torch.device, Any, bool]:
    """Return ``(device, config, on_gpu)``: ``gpu`` on ``cuda:i`` if it exists, else ``cpu``.

    A chapter's experiment cell passes a full-size configuration for the GPU
    and a smaller one that finishes in seconds on a CPU, then reports which
    one ran.

    Examples:
        >>> device, config, on_gpu = pick_config(gpu={"epochs": 20}, cpu={"epochs": 2})
        >>> config == ({"epochs": 20} if on_gpu else {"epochs": 2})
        True
    """
    device = try_gpu(i)
    on_gpu = device.type == "cuda"
    return device, (gpu if on_gpu else cpu), on_gpu
