"""The speed table: ``python -m gradient_ext bench``.

Like bottleneck's ``bn.bench()``, this is a product feature, not a test: any
user can run it on their own machine and see, per case, numpy.gradient's time
divided by gradient_ext's, after checking that both give the same bits.

Method, and why:

* Each case builds its input once, from a fixed seed, so runs are comparable.
* Before timing, gradient_ext's result is compared bit for bit with numpy's
  (see :func:`identical`).  A mismatch is reported and makes the exit status
  non-zero; speed of a wrong answer is worth nothing.
* The contenders are timed *alternating rep by rep in one process*: rep 1 of
  numpy, rep 1 of gradient_ext, rep 1 of the floor, ..., then rep 2, with the
  starting contender rotated each rep.  On a noisy shared VM, a slow period
  then hits every contender instead of biasing one of them.
* One rep is a timeit-style inner loop, sized per contender so that it lasts
  at least ``min_rep`` seconds (20 ms by default); a small array is called
  many times, a large one once.  The reported time is the median over reps of
  (rep time / calls), which shrugs off the odd preempted rep.  Ratios (speedup,
  vs floor, vs torch/jax) are medians of per-rep ratios, paired rep by rep,
  so that a slow patch of the machine during one rep cancels out.
* The *memory floor* is what the cheapest imaginable implementation must pay:
  ``np.copy(f)`` (read the input once, write one fresh output of the same
  bytes) plus, for every further axis, one more fresh output written once
  (``np.empty_like(f, dtype=out_dtype).fill(0)``).  It is measured the same
  alternating way.  "vs floor" is gradient_ext time / floor time: 1.0 would
  mean gradient_ext runs at memory speed.  The floor is single-threaded.
* When torch or jax import, ``torch.gradient`` on the CPU (with
  ``torch.set_num_threads(workers)``) and ``jax.jit(jax.numpy.gradient)``
  (float64 enabled, timed up to ``block_until_ready``, XLA's own threading)
  are timed too and shown as gradient_ext's speedup over each.  Their results
  are not checked (torch, for one, returns float32 for integer input), and a
  case they do not support (jax and ``edge_order=2``, torch and negative
  strides) shows "n/a".  They are never dependencies of gradient_ext.
* Before the first case, :func:`settle_allocator` allocates and frees one
  24 MiB block.  glibc then stops handing freed memory back to the OS after
  every call and faulting it in again on the next; without that, whether a
  1e5-element case pays ~1 ms of page faults (on a VM) depends on which larger
  arrays the process happened to free before it.  The table thus shows a
  process in its steady state, the same for every case, numpy and
  gradient_ext alike.  (``MALLOC_TOP_PAD_=67108864`` has the same effect.)
"""

import fnmatch
import gc
import math
import os
import platform
import sys
import time
from dataclasses import dataclass

import numpy as np

import gradient_ext

__all__ = ["Case", "CASES", "QUICK_CASES", "bench", "build_input", "identical",
           "measure", "paired_ratio", "random_array", "settle_allocator",
           "time_alternating"]

SEED = 20240607


# ---------------------------------------------------------------------------
# Bitwise comparison
# ---------------------------------------------------------------------------

def _bits(a):
    """The array's bytes as unsigned integers, so -0.0 != 0.0 and NaN == same NaN."""
    a = np.ascontiguousarray(a)
    width = {1: np.uint8, 2: np.uint16, 4: np.uint32, 8: np.uint64}
    return a.view(width.get(a.dtype.itemsize, np.uint8))


def identical(got, want):
    """True when `got` is `want` bit for bit: container type, dtype, shape, bytes.

    numpy.gradient returns a bare array for one axis and a tuple otherwise, so
    the container type is part of the contract, as are the array type and dtype.
    """
    if type(got) is not type(want):
        return False
    if not isinstance(want, np.ndarray):
        if len(got) != len(want):
            return False
        return all(identical(g, w) for g, w in zip(got, want))
    return (got.dtype == want.dtype and got.shape == want.shape
            and np.array_equal(_bits(got), _bits(want)))


# ---------------------------------------------------------------------------
# Cases
# ---------------------------------------------------------------------------

@dataclass(frozen=True)
class Case:
    """One row of the table: an input array and the arguments of gradient.

    layout is "C", "F" (Fortran order), "slice" (every other element along
    each axis of an array twice the size: non-contiguous) or "reversed"
    (negative strides along every axis).  spacing is "unit" (no varargs),
    "uniform" (one scalar per axis) or "coords" (one uneven coordinate array
    per axis).
    """

    name: str
    shape: tuple
    dtype: str = "float64"
    layout: str = "C"
    axis: object = None
    spacing: str = "unit"
    edge_order: int = 1
    workers: int = 1

    def axes(self):
        """The gradient axes, as numpy normalises them."""
        if self.axis is None:
            return tuple(range(len(self.shape)))
        axes = self.axis if isinstance(self.axis, tuple) else (self.axis,)
        return tuple(a % len(self.shape) for a in axes)


def random_array(rng, shape, dtype):
    """Seeded values of `dtype`: normal floats, normal complex, or ints in +-1000."""
    dtype = np.dtype(dtype)
    if dtype.kind in "iu":
        return rng.integers(-1000, 1000, size=shape).astype(dtype)
    if dtype.kind == "c":
        return (rng.standard_normal(shape) + 1j * rng.standard_normal(shape)).astype(dtype)
    return rng.standard_normal(shape).astype(dtype)


def _arrange(rng, case):
    """An array of case.shape and case.dtype laid out in memory as case.layout says."""
    every_other = tuple(slice(None, None, 2) for _ in case.shape)
    backwards = tuple(slice(None, None, -1) for _ in case.shape)
    if case.layout == "slice":
        return random_array(rng, tuple(2 * n for n in case.shape), case.dtype)[every_other]
    f = random_array(rng, case.shape, case.dtype)
    if case.layout == "F":
        return np.asfortranarray(f)
    if case.layout == "reversed":
        return f[backwards]
    if case.layout != "C":
        raise ValueError(f"unknown layout {case.layout!r}")
    return f


def build_input(case):
    """Return (f, varargs) for `case`, the same on every run (seeded)."""
    rng = np.random.default_rng(SEED)
    f = _arrange(rng, case)
    varargs = []
    for ax in case.axes():
        n = case.shape[ax]
        if case.spacing == "uniform":
            varargs.append(0.25 + ax)
        elif case.spacing == "coords":
            varargs.append(np.cumsum(rng.uniform(0.5, 1.5, n)))
    return f, tuple(varargs)


CASES = [
    Case("1-D n=1e2", (10**2,)),
    Case("1-D n=1e4", (10**4,)),
    Case("1-D n=1e6", (10**6,)),
    Case("1-D n=1e7", (10**7,)),
    Case("1-D n=1e6 coordinates", (10**6,), spacing="coords"),
    Case("1-D n=1e6 edge_order=2", (10**6,), edge_order=2),
    Case("2-D 2000x2000 all axes", (2000, 2000)),
    Case("2-D 2000x2000 axis 0 C", (2000, 2000), axis=0),
    Case("2-D 2000x2000 axis 1 C", (2000, 2000), axis=1),
    Case("2-D 2000x2000 axis 0 F", (2000, 2000), layout="F", axis=0),
    Case("2-D 2000x2000 axis 1 F", (2000, 2000), layout="F", axis=1),
    Case("3-D 200^3 all axes", (200, 200, 200)),
    Case("2-D 64x64 all axes", (64, 64)),
    Case("2-D 2000x2000 all axes workers=2", (2000, 2000), workers=2),
    Case("1-D n=1e6 float32", (10**6,), dtype="float32"),
    Case("2-D 2000x2000 all axes float32", (2000, 2000), dtype="float32"),
    Case("1-D n=1e6 complex128", (10**6,), dtype="complex128"),
    Case("2-D 1000x1000 all axes complex128", (1000, 1000), dtype="complex128"),
    Case("1-D n=1e6 int64", (10**6,), dtype="int64"),
    Case("2-D 2000x2000 all axes int64", (2000, 2000), dtype="int64"),
]

QUICK_CASES = [
    Case("1-D n=1e2", (10**2,)),
    Case("1-D n=1e5 coordinates", (10**5,), spacing="coords"),
    Case("1-D n=1e5 edge_order=2", (10**5,), edge_order=2),
    Case("2-D 64x64 all axes", (64, 64)),
    Case("2-D 300x300 axis 0 F float32", (300, 300), "float32", "F", axis=0),
    Case("2-D 300x300 all axes workers=2", (300, 300), workers=2),
]


def select(cases, patterns):
    """Cases whose name matches any pattern (shell-style, or a plain substring)."""
    if not patterns:
        return list(cases)
    def hit(name, pat):
        pat = pat.lower()
        return fnmatch.fnmatch(name.lower(), pat) or pat in name.lower()
    return [c for c in cases if any(hit(c.name, p) for p in patterns)]


# ---------------------------------------------------------------------------
# Timing
# ---------------------------------------------------------------------------

def _calls_per_rep(fn, min_rep):
    """How many calls make one rep last at least `min_rep` seconds (timeit's autorange)."""
    number = 1
    while True:
        t0 = time.perf_counter()
        for _ in range(number):
            fn()
        elapsed = time.perf_counter() - t0
        if elapsed >= min_rep:
            return number
        # Aim a little past min_rep, never more than 10x at once.
        guess = number * min_rep / max(elapsed, 1e-9) * 1.2
        number = max(number + 1, min(number * 10, math.ceil(guess)))


def time_alternating(contenders, reps=7, min_rep=0.02):
    """Seconds per call of each callable, one sample per rep, timed alternately.

    `contenders` maps a name to a zero-argument callable.  Each gets its own
    inner-loop count (see :func:`_calls_per_rep`); then every rep runs every
    contender once, starting with a different one each rep, with the garbage
    collector off as in timeit.  Returns {name: [seconds per call, one per rep]},
    samples in rep order so that sample i of two contenders were taken
    moments apart (see :func:`paired_ratio`).
    """
    names = list(contenders)
    number = {k: _calls_per_rep(contenders[k], min_rep) for k in names}
    samples = {k: [] for k in names}
    gc_was_on = gc.isenabled()
    gc.disable()
    try:
        for rep in range(reps):
            shift = rep % len(names)
            for k in names[shift:] + names[:shift]:
                fn, n = contenders[k], number[k]
                t0 = time.perf_counter()
                for _ in range(n):
                    fn()
                samples[k].append((time.perf_counter() - t0) / n)
    finally:
        if gc_was_on:
            gc.enable()
    return samples


def paired_ratio(num, den):
    """Median over reps of num[i] / den[i]: the ratio of two contenders' samples.

    Samples of the same rep were taken moments apart, so a slow patch of a
    shared machine inflates both and cancels in their ratio; the ratio of the
    two medians would not cancel it.  None when either side did not run.
    """
    if num is None or den is None:
        return None
    return float(np.median(np.asarray(num) / np.asarray(den)))


def settle_allocator(nbytes=24 * 2**20):
    """Allocate and free one large block so that glibc's malloc settles.

    glibc serves a block above its mmap threshold (128 KiB at start) with a
    fresh mapping and trims freed heap above its trim threshold; both cost
    page faults on the next call, expensive on a VM.  Freeing one mapped
    block of up to 32 MiB raises both thresholds to that size and twice it,
    for good.  Do it once, up front, so timings do not depend on which arrays
    were freed before (a no-op elsewhere than glibc).
    """
    block = np.empty(nbytes, dtype=np.uint8)
    del block


def floor_callable(f, naxes, out_dtype):
    """The memory floor of a gradient over `naxes` axes of `f` (see module docstring).

    Results are kept alive until the call returns, as gradient's outputs are,
    so the floor pays for the same fresh pages.
    """
    def floor():
        outs = [np.copy(f)]
        for _ in range(naxes - 1):
            extra = np.empty_like(f, dtype=out_dtype)
            extra.fill(0)
            outs.append(extra)
        return outs
    return floor


# ---------------------------------------------------------------------------
# Optional comparison libraries
# ---------------------------------------------------------------------------

def _import_others():
    """Return {'torch': module, 'jax': (jax, jnp)} for those that import."""
    others = {}
    try:
        import torch  # type: ignore[import-not-found]
        others["torch"] = torch
    except ImportError:
        pass
    try:
        import jax  # type: ignore[import-not-found]
        jax.config.update("jax_enable_x64", True)   # compare float64 with float64
        import jax.numpy as jnp  # type: ignore[import-not-found]
        others["jax"] = (jax, jnp)
    except ImportError:
        pass
    return others


def _torch_callable(torch, case, f, varargs):
    """torch.gradient on the CPU for `case`, or None when torch cannot run it."""
    try:
        t = torch.from_numpy(f)
        kw = {"edge_order": case.edge_order}
        if case.axis is not None:
            kw["dim"] = list(case.axes())
        if varargs:
            kw["spacing"] = [torch.from_numpy(v) if isinstance(v, np.ndarray) else v
                             for v in varargs]
        torch.set_num_threads(case.workers)
        torch.gradient(t, **kw)
    except (RuntimeError, TypeError, ValueError):
        return None
    return lambda: torch.gradient(t, **kw)


def _jax_callable(jax_mods, case, f, varargs):
    """jit-compiled jax.numpy.gradient for `case`, or None when jax cannot run it."""
    jax, jnp = jax_mods
    if case.edge_order != 1:        # jnp.gradient raises NotImplementedError
        return None
    try:
        fn = jax.jit(jnp.gradient, static_argnames=("axis",))
        x = jax.device_put(f)
        args = [jax.device_put(v) if isinstance(v, np.ndarray) else v for v in varargs]
        kw = {} if case.axis is None else {"axis": case.axis}
        jax.block_until_ready(fn(x, *args, **kw))      # compile outside the timing
    except (NotImplementedError, TypeError, ValueError):
        return None
    return lambda: jax.block_until_ready(fn(x, *args, **kw))


# ---------------------------------------------------------------------------
# One case, the whole table
# ---------------------------------------------------------------------------

@dataclass
class Result:
    """One case's check and samples: {contender: [seconds per call per rep] or None}."""

    case: Case
    identical: bool
    samples: dict

    def time(self, name):
        """Median seconds per call of `name`, None where it did not run."""
        s = self.samples.get(name)
        return None if s is None else float(np.median(s))

    def ratio(self, num, den):
        """Paired ratio of two contenders' times (see :func:`paired_ratio`)."""
        return paired_ratio(self.samples.get(num), self.samples.get(den))

    def speedup(self):
        """numpy time / gradient_ext time."""
        return self.ratio("numpy", "gradient_ext")


def measure(case, others=None, reps=7, min_rep=0.02):
    """Check and time one case; `others` as returned by :func:`_import_others`."""
    f, varargs = build_input(case)
    kw = {"axis": case.axis, "edge_order": case.edge_order}
    want = np.gradient(f, *varargs, **kw)
    got = gradient_ext.gradient(f, *varargs, workers=case.workers, **kw)
    same = identical(got, want)
    del got
    out_dtype = (want if isinstance(want, np.ndarray) else want[0]).dtype
    del want

    contenders = {
        "numpy": lambda: np.gradient(f, *varargs, **kw),
        "gradient_ext": lambda: gradient_ext.gradient(
            f, *varargs, workers=case.workers, **kw),
        "floor": floor_callable(f, len(case.axes()), out_dtype),
    }
    if case.workers != 1:
        contenders["gradient_ext w=1"] = lambda: gradient_ext.gradient(
            f, *varargs, workers=1, **kw)
    others = others or {}
    if "torch" in others:
        contenders["torch"] = _torch_callable(others["torch"], case, f, varargs)
    if "jax" in others:
        contenders["jax"] = _jax_callable(others["jax"], case, f, varargs)
    runnable = {k: v for k, v in contenders.items() if v is not None}
    samples = time_alternating(runnable, reps=reps, min_rep=min_rep)
    samples.update({k: None for k, v in contenders.items() if v is None})
    return Result(case, same, samples)


def _fmt_time(seconds):
    if seconds is None:
        return "n/a"
    for unit, scale in (("s", 1.0), ("ms", 1e-3), ("us", 1e-6)):
        if seconds >= scale:
            return f"{seconds / scale:.3g} {unit}"
    return f"{seconds / 1e-9:.3g} ns"


def _fmt_ratio(ratio):
    return "n/a" if ratio is None else f"{ratio:.2f}x"


def _columns(results, others):
    """Column titles and, per result, the cells of its row."""
    header = ["case", "numpy", "gradient_ext", "speedup", "vs floor"]
    threaded = any(r.case.workers != 1 for r in results)
    if threaded:
        header.append("vs 1 worker")
    header += [f"vs {name}" for name in others]
    rows = []
    for r in results:
        name = r.case.name + ("" if r.identical else " **MISMATCH**")
        row = [name, _fmt_time(r.time("numpy")), _fmt_time(r.time("gradient_ext")),
               _fmt_ratio(r.speedup()), _fmt_ratio(r.ratio("gradient_ext", "floor"))]
        if threaded:
            row.append(_fmt_ratio(r.ratio("gradient_ext w=1", "gradient_ext"))
                       if r.case.workers != 1 else "")
        row += [_fmt_ratio(r.ratio(name, "gradient_ext")) for name in others]
        rows.append(row)
    return header, rows


def markdown_table(header, rows):
    """Aligned GitHub markdown: readable in a terminal and pasteable into a README."""
    widths = [max(len(str(x)) for x in col) for col in zip(header, *rows)]
    def line(cells):
        return "| " + " | ".join(str(c).ljust(w) for c, w in zip(cells, widths)) + " |"
    sep = "|" + "|".join("-" * (w + 1) + ":" if i else "-" * (w + 2)
                         for i, w in enumerate(widths)) + "|"
    return "\n".join([line(header), sep] + [line(r) for r in rows])


def _load():
    try:
        return "{:.2f} {:.2f} {:.2f}".format(*os.getloadavg())
    except (AttributeError, OSError):     # not on Windows
        return "unknown"


def _preamble(others, quick, min_rep):
    info = gradient_ext.openmp_info()
    lines = [
        "gradient_ext speed table",
        f"    gradient_ext {getattr(gradient_ext, '__version__', '?')}, "
        f"numpy {np.__version__}, Python {platform.python_version()}, "
        f"{platform.machine()}, {os.cpu_count()} CPUs, "
        f"OpenMP {'on' if info['openmp'] else 'off'} ({info['threads']} threads)",
        f"    load average at start {_load()} (other work on these CPUs adds noise)",
    ]
    for name, mod in others.items():
        mod = mod[0] if isinstance(mod, tuple) else mod
        lines.append(f"    {name} {mod.__version__} (CPU)")
    lines += [
        "    speedup = numpy time / gradient_ext time (float64 and workers=1 unless named);",
        "    vs floor = gradient_ext time / time of np.copy(f) plus one fresh output",
        "      written per further axis (1.00 = memory speed);",
    ]
    if others:
        lines.append("    vs torch/jax = their time / gradient_ext time (n/a: unsupported);")
    lines += [
        f"    times: median of alternating reps, each rep >= {min_rep * 1e3:g} ms of calls;",
        "    ratios: median of per-rep ratios"
        + ("; --quick: fewer, smaller cases and reps;" if quick else ";"),
        "    every result checked bit for bit against numpy.gradient first.",
    ]
    return "\n".join(lines)


def bench(quick=False, cases=None, others=None, file=None):
    """Print the speed table; return 0, or 1 if any result differed from numpy.

    quick: a small, fast subset (smoke tests).  cases: name patterns to run.
    others: also time torch/jax when they import (default: not in quick mode).
    """
    file = file or sys.stdout
    pool = QUICK_CASES if quick else CASES
    chosen = select(pool, cases)
    if not chosen:
        print(f"no case matches {cases}; the cases are:", file=file)
        for c in pool:
            print(f"    {c.name}", file=file)
        return 2
    settle_allocator()
    want_others = (not quick) if others is None else others
    libs = _import_others() if want_others else {}
    reps, min_rep = (3, 0.005) if quick else (7, 0.02)
    print(_preamble(libs, quick, min_rep), file=file)
    print(file=file)
    results = []
    for case in chosen:
        results.append(measure(case, libs, reps=reps, min_rep=min_rep))
        if sys.stderr.isatty():     # progress for a person, silence for pipes
            print(f"    measured {case.name}", file=sys.stderr, flush=True)
    header, rows = _columns(results, list(libs))
    print(markdown_table(header, rows), file=file)
    bad = [r.case.name for r in results if not r.identical]
    if bad:
        print(f"\nMISMATCH with numpy.gradient in: {', '.join(bad)}", file=file)
        return 1
    print("\nAll results identical to numpy.gradient.", file=file)
    return 0
