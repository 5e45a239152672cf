r"""Measuring what activations cost: time per element, bandwidth, memory kept for backward.

The chapter *What activations cost on hardware* uses these helpers; they are
kept here so that the chapter's cells stay short and the accounting can be
unit-tested (``tests/test_costs.py``).

Timing:

- :func:`median_seconds` runs a callable a few times after a warm-up and
  returns the median wall time (``time.perf_counter``), synchronising CUDA
  when asked, so that a GPU kernel is not timed as the microseconds it takes
  to *launch*.
- :func:`cuda_median_seconds` times with ``torch.cuda.Event`` pairs instead
  (what the GPU itself measured between two points of its stream).
- :func:`numpy_ns_per_element` and :func:`torch_ns_per_element` time one
  registry activation on an array; :func:`copy_ns_per_element` times the copy
  of the same array into an existing one, the floor for any elementwise
  function that reads its input once and writes its output once.
- :func:`bandwidth_gbs` turns a time into bytes moved per second, counting one
  read of the input and one write of the output.

Memory for backward:

- :func:`saved_tensors` records every tensor autograd saves while a function
  runs, with ``torch.autograd.graph.saved_tensors_hooks``, and says whether it
  is the input, the output or something new (a mask, an intermediate).
- :func:`kept_bytes` adds up the distinct storages saved by a forward pass,
  leaving out the inputs and the parameters (they exist anyway): the memory a
  forward pass holds on to until the backward pass. It works on any device.
- :func:`cuda_kept_bytes` measures the same quantity with the CUDA caching
  allocator (``torch.cuda.memory_allocated``), and the peak of a forward plus
  backward pass with ``torch.cuda.max_memory_allocated``.

Examples:
    >>> import torch
    >>> from actlib.teaching import costs
    >>> x = torch.randn(1000, requires_grad=True)
    >>> [(s.role, s.nbytes) for s in costs.saved_tensors(torch.sigmoid, x)]
    [('output', 4000)]
    >>> [(s.role, s.nbytes) for s in costs.saved_tensors(torch.nn.functional.gelu, x)]
    [('input', 4000)]
"""

from __future__ import annotations

import statistics
import time
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass

import numpy as np

from ..functions import GELU_TANH_COEFF

__all__ = [
    "median_seconds", "cuda_median_seconds", "bandwidth_gbs", "numpy_ns_per_element",
    "torch_ns_per_element", "copy_ns_per_element", "torch_callable", "gelu_tanh_composite",
    "SavedTensor", "saved_tensors", "kept_bytes", "cuda_kept_bytes",
]


# ----------------------------------------------------------------------------
# Timing
# ----------------------------------------------------------------------------

def _check_repeat(repeat: int) -> int:
    if not isinstance(repeat, int) or isinstance(repeat, bool) or repeat < 1:
        raise ValueError(f"repeat must be a positive integer, got {repeat!r}")
    return repeat


def median_seconds(fn: Callable[[], object], repeat: int = 7, warmup: int = 1,
                   sync: Callable[[], None] | None = None) -> float:
    """Median wall time of ``fn()`` in seconds over ``repeat`` runs, after ``warmup`` runs.

    Args:
        fn: a callable without arguments.
        repeat: timed runs (a positive integer); the median is robust to the odd
            run that another process interrupted.
        warmup: untimed runs first (allocations, caches, lazy initialisation).
        sync: called after each run before the clock stops, e.g.
            ``torch.cuda.synchronize`` for GPU work.

    Returns:
        The median, in seconds (always positive).
    """
    repeat = _check_repeat(repeat)
    sync = sync or (lambda: None)
    for _ in range(warmup):
        fn()
    sync()
    times = []
    for _ in range(repeat):
        start = time.perf_counter()
        fn()
        sync()
        times.append(time.perf_counter() - start)
    return max(statistics.median(times), 1e-12)


def cuda_median_seconds(fn: Callable[[], object], repeat: int = 20, warmup: int = 3) -> float:
    """Median GPU time of ``fn()`` in seconds, measured with ``torch.cuda.Event`` pairs.

    Each run is bracketed by two events recorded on the current stream; the
    elapsed time between them is what the GPU spent, without Python's launch
    overhead on either side. Requires CUDA.
    """
    import torch

    if not torch.cuda.is_available():
        raise RuntimeError("cuda_median_seconds needs a CUDA device; use median_seconds")
    repeat = _check_repeat(repeat)
    for _ in range(warmup):
        fn()
    torch.cuda.synchronize()
    pairs = []
    for _ in range(repeat):
        start, end = torch.cuda.Event(enable_timing=True), torch.cuda.Event(enable_timing=True)
        start.record()
        fn()
        end.record()
        pairs.append((start, end))
    torch.cuda.synchronize()
    return max(statistics.median(s.elapsed_time(e) for s, e in pairs) * 1e-3, 1e-12)


def bandwidth_gbs(n_bytes_each_way: int, seconds: float) -> float:
    """Achieved bandwidth in GB/s (10⁹ bytes) for reading and writing ``n_bytes_each_way``.

    An elementwise activation reads its input once and writes its output once,
    so it moves twice the array's size; so does a copy.
    """
    return 2 * n_bytes_each_way / seconds / 1e9


def numpy_ns_per_element(record, x: np.ndarray, repeat: int = 7) -> float:
    """Median nanoseconds per element of ``record.fn(x)`` (a registry activation) in numpy."""
    return median_seconds(lambda: record.fn(x), repeat) / x.size * 1e9


def torch_callable(record) -> Callable:
    """PyTorch's own implementation of a registry record, or actlib's module where torch has none."""
    from ..nn.reference import torch_callable as reference

    return reference(record)


def torch_ns_per_element(record, x, repeat: int = 7) -> float:
    """Median nanoseconds per element of PyTorch's ``record`` on tensor ``x`` (inference mode).

    On a CUDA tensor the time comes from :func:`cuda_median_seconds`.
    """
    import torch

    fn = torch_callable(record)
    with torch.inference_mode():
        if x.is_cuda:
            seconds = cuda_median_seconds(lambda: fn(x), repeat)
        else:
            seconds = median_seconds(lambda: fn(x), repeat)
    return seconds / x.numel() * 1e9


def copy_ns_per_element(x, repeat: int = 7) -> float:
    """Median nanoseconds per element of copying ``x`` into an existing array or tensor.

    ``x`` is a numpy array (``np.copyto``) or a torch tensor (``out.copy_(x)``,
    timed with CUDA events on a GPU). This is the memory-bound floor of an
    elementwise function of one input.
    """
    if isinstance(x, np.ndarray):
        out = np.empty_like(x)
        return median_seconds(lambda: np.copyto(out, x), repeat) / x.size * 1e9
    import torch

    out = torch.empty_like(x)
    with torch.inference_mode():
        if x.is_cuda:
            seconds = cuda_median_seconds(lambda: out.copy_(x), repeat)
        else:
            seconds = median_seconds(lambda: out.copy_(x), repeat)
    return seconds / x.numel() * 1e9


def gelu_tanh_composite(x):
    r"""The tanh approximation of GELU written as separate tensor operations.

    .. math:: \tfrac12 x\bigl(1 + \tanh\bigl(\sqrt{2/\pi}\,(x + c\,x^3)\bigr)\bigr)

    with :math:`c` = :data:`actlib.GELU_TANH_COEFF`. Each operation reads and
    writes a whole tensor, as an unfused implementation does (GPT-2's original
    code, minGPT's ``NewGELU``); ``torch.nn.functional.gelu(x, approximate="tanh")``
    computes the same function in one pass.
    """
    import math

    import torch

    cube = torch.pow(x, 3.0)
    inner = math.sqrt(2.0 / math.pi) * (x + GELU_TANH_COEFF * cube)
    return 0.5 * x * (1.0 + torch.tanh(inner))


# ----------------------------------------------------------------------------
# Memory kept for backward
# ----------------------------------------------------------------------------

@dataclass(frozen=True)
class SavedTensor:
    """One tensor that autograd saved for the backward pass.

    ``role`` is ``"input"`` or ``"output"`` when it shares storage with an input
    or the output of the function, ``"parameter"`` for a parameter (or a view of
    one), otherwise ``"new"`` (a mask, an intermediate). ``nbytes`` is
    ``numel * element_size`` of the saved tensor; ``storage`` identifies the
    memory it lives in, so two saved views of one buffer can be counted once.
    """

    shape: tuple[int, ...]
    dtype: str
    nbytes: int
    role: str
    storage: int
    storage_nbytes: int


def _storage(t) -> tuple[int, int]:
    s = t.untyped_storage()
    return s.data_ptr(), s.nbytes()


def saved_tensors(fn: Callable, *inputs, parameters: Iterable = ()) -> list[SavedTensor]:
    r"""Run ``fn(*inputs)`` and list every tensor autograd saves for its backward pass.

    Uses ``torch.autograd.graph.saved_tensors_hooks``: the pack hook sees each
    tensor when an operation saves it. At least one input must require grad
    (otherwise autograd saves nothing). Works for built-in operations, modules
    and custom ``autograd.Function``\ s alike.

    Args:
        fn: the function (or module) to run.
        inputs: its tensor arguments.
        parameters: tensors whose storage counts as ``"parameter"`` (pass
            ``module.parameters()``).
    """
    import torch

    packed = []

    def pack(t):
        packed.append(t)
        return t

    with torch.autograd.graph.saved_tensors_hooks(pack, lambda t: t):
        out = fn(*inputs)
    outs = out if isinstance(out, (tuple, list)) else (out,)
    roles = {}
    for p in parameters:
        roles[_storage(p)[0]] = "parameter"
    for t in inputs:
        if isinstance(t, torch.Tensor):
            roles.setdefault(_storage(t)[0], "input")
    for t in outs:
        if isinstance(t, torch.Tensor):
            roles.setdefault(_storage(t)[0], "output")
    result = []
    for t in packed:
        ptr, size = _storage(t)
        result.append(SavedTensor(tuple(t.shape), str(t.dtype).removeprefix("torch."),
                                  t.numel() * t.element_size(), roles.get(ptr, "new"), ptr, size))
    return result


def kept_bytes(fn: Callable, *inputs, parameters: Iterable = ()) -> int:
    """Bytes a forward pass of ``fn(*inputs)`` keeps alive for the backward pass.

    The distinct storages among :func:`saved_tensors`, each counted once, not
    counting the inputs and the parameters (they are in memory whether or not
    the graph keeps them). A tensor saved by two operations (the output of an
    activation that the next ``Linear`` also saves as its input) counts once.
    """
    seen = {}
    for s in saved_tensors(fn, *inputs, parameters=parameters):
        if s.role not in ("input", "parameter"):
            seen[s.storage] = s.storage_nbytes
    return sum(seen.values())


def cuda_kept_bytes(fn: Callable, x, parameters: Sequence = ()) -> dict:
    """The CUDA allocator's view of what ``fn(x)`` keeps for backward, and its peak.

    ``x`` is a CUDA tensor (it is made to require grad). Returns a dict with

    - ``kept``: ``memory_allocated`` after a forward pass with autograd minus
      after the same forward pass under ``torch.no_grad()`` (both still hold
      the output), i.e. what the graph keeps alive. The allocator rounds every
      block up to a multiple of 512 bytes.
    - ``peak``: ``max_memory_allocated`` during forward plus backward, above
      what was allocated before (the parameters' gradients included).
    """
    import torch

    if not x.is_cuda:
        raise ValueError("cuda_kept_bytes needs a CUDA tensor; use kept_bytes on the CPU")
    x = x.detach().requires_grad_(True)
    torch.cuda.synchronize()
    base = torch.cuda.memory_allocated()
    with torch.no_grad():
        y = fn(x)
    torch.cuda.synchronize()
    without_graph = torch.cuda.memory_allocated() - base
    del y
    for p in parameters:
        p.grad = None
    torch.cuda.synchronize()
    base = torch.cuda.memory_allocated()
    torch.cuda.reset_peak_memory_stats()
    y = fn(x)
    torch.cuda.synchronize()
    with_graph = torch.cuda.memory_allocated() - base
    y.sum().backward()
    torch.cuda.synchronize()
    peak = torch.cuda.max_memory_allocated() - base
    del y
    x.grad = None
    for p in parameters:
        p.grad = None
    return {"kept": with_graph - without_graph, "peak": peak}
