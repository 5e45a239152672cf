"""Time actlib's numpy activations against PyTorch's, elementwise, on one large array.

For every elementwise record in :data:`actlib.REGISTRY` (at its default
parameters) the script times ``record.fn`` on a float32 numpy array and
PyTorch's own implementation (:func:`actlib.nn.reference.torch_callable`, built
from the record's ``torch`` spec; the :mod:`actlib.nn` module where torch has
none) on the same data, and prints a Markdown table: median milliseconds, the
ratio torch time / numpy time, and the effective bandwidth
(:func:`actlib.teaching.costs.bandwidth_gbs`: one read and one write of the
array). Copies of the array give
the memory-bound floor: into an existing array (``np.copyto``,
``out.copy_(x)``) and into a new one (``x.copy()``, ``x.clone()``), which
also pays for allocating, and first touching, fresh memory, as every
activation call here does.

actlib computes a float32 input natively in float32 where that is accurate
to 4 ULP for the parameters given, and in float64 otherwise, and runs on one
core, so a ratio of 0.5 means numpy is twice as slow as torch; the goal is a
ratio of at least 0.5. This is a figure for the book, not a test.

Usage::

    python bench/bench_numpy_vs_torch.py               # 1e7 elements, torch on the CPU
    python bench/bench_numpy_vs_torch.py --n 1e6 --repeat 9
    python bench/bench_numpy_vs_torch.py --device cuda # torch on the GPU, if there is one
"""

from __future__ import annotations

import argparse
import platform
from collections.abc import Callable

import numpy as np
import torch

import actlib
from actlib.nn.reference import TorchReference, torch_callable
from actlib.teaching import costs

GOAL = 0.5


def median_ms(fn: Callable[[], object], repeat: int, sync: Callable[[], None]) -> float:
    """Median wall time of ``fn()`` in milliseconds, after one warm-up call."""
    return 1e3 * costs.median_seconds(fn, repeat=repeat, warmup=1, sync=sync)


def gbps(n_bytes_each_way: int, ms: float) -> float:
    return costs.bandwidth_gbs(n_bytes_each_way, ms * 1e-3)


def describe(record, fn) -> str:
    """Which implementation the torch column timed."""
    if isinstance(fn, TorchReference):
        return f"`{record.torch_name}`"
    return f"actlib.nn.{type(fn).__name__}"


def main(argv=None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--n", type=float, default=1e7, help="number of float32 elements")
    parser.add_argument("--repeat", type=int, default=5, help="timed runs per measurement")
    parser.add_argument("--device", default="cpu", choices=["cpu", "cuda"],
                        help="where torch runs (numpy always runs on the CPU)")
    parser.add_argument("--threads", type=int, default=None, help="torch.set_num_threads")
    parser.add_argument("--only", nargs="*", default=None, help="registry names to time")
    args = parser.parse_args(argv)

    n = int(args.n)
    if args.threads is not None:
        torch.set_num_threads(args.threads)
    if args.device == "cuda" and not torch.cuda.is_available():
        print("--device cuda: no CUDA device found; timing torch on the CPU instead\n")
        args.device = "cpu"
    device = torch.device(args.device)
    sync = torch.cuda.synchronize if device.type == "cuda" else (lambda: None)

    x = np.random.default_rng(0).normal(scale=3.0, size=n).astype(np.float32)
    xt = torch.from_numpy(x).to(device)
    n_bytes = x.nbytes  # read once and written once: bandwidth_gbs counts both

    print(f"n = {n:,} float32 elements ({x.nbytes / 1e6:.0f} MB), median of {args.repeat} runs")
    print(f"numpy {np.__version__} on the CPU; torch {torch.__version__} on "
          f"{actlib.nn.device.describe(device)}, torch.get_num_threads() = "
          f"{torch.get_num_threads()}; {platform.processor() or platform.machine()}")
    print()

    out, out_t = np.empty_like(x), torch.empty_like(xt)
    copy_np = median_ms(lambda: np.copyto(out, x), args.repeat, lambda: None)
    copy_t = median_ms(lambda: out_t.copy_(xt), args.repeat, sync)
    new_np = median_ms(lambda: x.copy(), args.repeat, lambda: None)
    new_t = median_ms(lambda: xt.clone(), args.repeat, sync)

    rows = []
    records = [r for r in actlib.REGISTRY.values() if r.elementwise]
    if args.only:
        records = [actlib.get(name) for name in args.only]
    with torch.inference_mode():
        for record in records:
            t_fn = torch_callable(record)
            impl = describe(record, t_fn)
            if t_fn(xt) is xt:  # torch.nn.Identity returns its input: time a copy, as numpy makes one
                t_fn, impl = (lambda x: x.clone()), f"{impl} returns its input; timed: `x.clone()`"
            ms_np = median_ms(lambda rec=record: rec.fn(x), args.repeat, lambda: None)
            ms_t = median_ms(lambda f=t_fn: f(xt), args.repeat, sync)
            rows.append((record.name, ms_np, ms_t, impl))

    print("| activation | numpy ms | torch ms | torch/numpy | numpy GB/s | torch GB/s "
          "| torch side |")
    print("|---|---:|---:|---:|---:|---:|---|")
    for label, a, b, how in [
        ("copy into an existing array", copy_np, copy_t, "`np.copyto` / `out.copy_(x)`"),
        ("copy into a new array", new_np, new_t, "`x.copy()` / `x.clone()`"),
    ]:
        print(f"| *memcpy: {label}* | {a:.1f} | {b:.1f} | {b / a:.2f} | "
              f"{gbps(n_bytes, a):.2f} | {gbps(n_bytes, b):.2f} | {how} |")
    for name, ms_np, ms_t, impl in rows:
        ratio = ms_t / ms_np
        flag = "" if ratio >= GOAL else " ✗"
        print(f"| {name} | {ms_np:.1f} | {ms_t:.1f} | {ratio:.2f}{flag} | "
              f"{gbps(n_bytes, ms_np):.2f} | {gbps(n_bytes, ms_t):.2f} | {impl} |")
    below = [name for name, ms_np, ms_t, _ in rows if ms_t / ms_np < GOAL]
    print()
    print(f"{len(rows) - len(below)} of {len(rows)} activations reach torch/numpy >= {GOAL}"
          + (f"; below: {', '.join(below)}" if below else ""))


if __name__ == "__main__":
    main()
