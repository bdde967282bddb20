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
  Both sides allocate, so both pay the operating system's zero-filling of
  fresh pages, which moves with the allocator's history (by 1.5x between
  runs on a VM).
* The *allocation-free floor* takes allocation out of both sides:
  gradient_ext writing into preallocated ``out=`` arrays ("out=" column),
  divided by ``np.copyto`` of ``f`` into a preallocated array plus ``.fill``
  of one more preallocated array per further axis ("vs floor, no alloc").
  ``np.copyto`` is the C library's ``memmove`` for contiguous arrays, which
  on x86 may write without first reading the destination (``rep movsb`` or
  non-temporal stores); a plain store loop reads every destination line
  first.  That difference is what this column shows on large arrays.
* Threaded rows add "vs 1 worker" (allocating) and "vs 1 worker, out=":
  the same call with workers=1 / with the requested workers, paired.
* The *call-form* table times spellings of a call that do the same
  arithmetic as a fast-path call (its *twin*): ``gradient(f, 0.1, 0.2)``
  against ``gradient(f, 0.1)``, coordinate arrays of other dtypes against
  float64 ones, and so on.  The twin is timed in the same alternating reps,
  and "vs twin" is the paired ratio form / twin: 1.0 means the spelling costs
  nothing extra.  Both calls are checked bit for bit against numpy first.
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

__all__ = ["Case", "CASES", "FORMS", "Form", "QUICK_CASES", "bench", "build_input",
           "floor_callable", "floor_out_callable", "form_inputs", "identical",
           "measure", "measure_form", "paired_ratio", "random_array",
           "settle_allocator", "time_alternating"]

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
    Case("1-D n=1e6 coordinates workers=2", (10**6,), spacing="coords", workers=2),
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


def floor_out_callable(f, naxes, out_dtype):
    """The allocation-free floor: `f` copied into, and further arrays filled, in place.

    The destinations are allocated (and faulted in) once, here, as the
    ``out=`` arrays of gradient_ext are; a call then only moves bytes.
    """
    dst = np.empty_like(f)
    extras = [np.empty_like(f, dtype=out_dtype) for _ in range(naxes - 1)]
    np.copyto(dst, f)
    for extra in extras:
        extra.fill(0)

    def floor():
        np.copyto(dst, f)
        for extra in extras:
            extra.fill(0)
    return floor


def preallocated_out(f, naxes, out_dtype):
    """The `out=` argument of a gradient over `naxes` axes: numpy's result layout."""
    outs = [np.empty_like(f, dtype=out_dtype) for _ in range(naxes)]
    return outs[0] if naxes == 1 else outs


# ---------------------------------------------------------------------------
# Call forms: spellings of a call against the fast-path call they equal
# ---------------------------------------------------------------------------

@dataclass(frozen=True)
class Form:
    """One call form and its fast-path twin, as calls of a gradient function `g`.

    `call(g, d)` and `twin(g, d)` take the gradient function (numpy's or
    gradient_ext's) and the inputs of :func:`form_inputs`, so that numpy and
    gradient_ext are called with exactly the same arguments.  twin is None
    for a row timed against numpy only.
    """

    name: str
    call: object
    twin_name: str = ""
    twin: object = None


class FormInputs:
    """The data of the call-form rows (attributes; see :func:`form_inputs`)."""


def form_inputs(shape=(64, 64)):
    """Seeded inputs: f (float64), f32, uneven coordinates x, y (float64),
    x32, y32 (float32), xi, yi (int64) along axes 1 and 0, and lst, ten
    Python floats.  Uneven, so that no coordinate array collapses to a scalar.
    """
    rng = np.random.default_rng(SEED)
    d = FormInputs()
    d.f = rng.standard_normal(shape)
    d.f32 = d.f.astype(np.float32)
    d.x = np.cumsum(rng.uniform(0.5, 1.5, shape[0]))      # axis 0
    d.y = np.cumsum(rng.uniform(0.5, 1.5, shape[1]))      # axis 1
    d.x32, d.y32 = d.x.astype(np.float32), d.y.astype(np.float32)
    d.xi = np.cumsum(rng.integers(1, 4, shape[0]))
    d.yi = np.cumsum(rng.integers(1, 4, shape[1]))
    d.lst = [float(v) for v in rng.standard_normal(10)]
    return d


FORMS = [
    Form("gradient(f, 0.1, 0.2)", lambda g, d: g(d.f, 0.1, 0.2),
         "gradient(f, 0.1)", lambda g, d: g(d.f, 0.1)),
    Form("gradient(f, axis=(0, 1))", lambda g, d: g(d.f, axis=(0, 1)),
         "gradient(f)", lambda g, d: g(d.f)),
    Form("gradient(f, 0.1, x)", lambda g, d: g(d.f, 0.1, d.x),
         "gradient(f, x, y)", lambda g, d: g(d.f, d.x, d.y)),
    Form("gradient(f32, 0.1, 0.2)", lambda g, d: g(d.f32, 0.1, 0.2),
         "gradient(f32, 0.1)", lambda g, d: g(d.f32, 0.1)),
    Form("gradient(f, x32, y32)", lambda g, d: g(d.f, d.x32, d.y32),
         "gradient(f, x, y)", lambda g, d: g(d.f, d.x, d.y)),
    Form("gradient(f, xi, yi)", lambda g, d: g(d.f, d.xi, d.yi),
         "gradient(f, x, y)", lambda g, d: g(d.f, d.x, d.y)),
    Form("gradient(f, np.float64(0.1), np.float64(0.2))",
         lambda g, d: g(d.f, np.float64(0.1), np.float64(0.2)),
         "gradient(f, 0.1)", lambda g, d: g(d.f, 0.1)),
    Form("gradient(f, axis=[1], edge_order=np.int64(2))",
         lambda g, d: g(d.f, axis=[1], edge_order=np.int64(2)),
         "gradient(f, axis=1, edge_order=2)", lambda g, d: g(d.f, axis=1, edge_order=2)),
    Form("gradient(list of 10 floats)", lambda g, d: g(d.lst)),
]


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
    """One row's check and samples: {contender: [seconds per call per rep] or None}."""

    case: object        # a Case, or a Form in the call-form table
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

    naxes = len(case.axes())
    out = preallocated_out(f, naxes, out_dtype)
    same = same and identical(
        gradient_ext.gradient(f, *varargs, workers=case.workers, out=out, **kw), want)
    del want

    def ext(workers, **extra):
        return lambda: gradient_ext.gradient(f, *varargs, workers=workers, **kw, **extra)

    contenders = {
        "numpy": lambda: np.gradient(f, *varargs, **kw),
        "gradient_ext": ext(case.workers),
        "floor": floor_callable(f, naxes, out_dtype),
        "gradient_ext out=": ext(case.workers, out=out),
        "floor out=": floor_out_callable(f, naxes, out_dtype),
    }
    if case.workers != 1:
        contenders["gradient_ext w=1"] = ext(1)
        contenders["gradient_ext out= w=1"] = ext(1, out=out)
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
    header = ["case", "numpy", "gradient_ext", "speedup", "vs floor",
              "out=", "vs floor, no alloc"]
    threaded = any(r.case.workers != 1 for r in results)
    if threaded:
        header += ["vs 1 worker", "vs 1 worker, out="]
    header += [f"vs {name}" for name in others]
    rows = []
    for r in results:
        name = r.case.name + ("" if r.identical else " **MISMATCH**")
        row = [name, _fmt_time(r.time("numpy")), _fmt_time(r.time("gradient_ext")),
               _fmt_ratio(r.speedup()), _fmt_ratio(r.ratio("gradient_ext", "floor")),
               _fmt_time(r.time("gradient_ext out=")),
               _fmt_ratio(r.ratio("gradient_ext out=", "floor out="))]
        if threaded and r.case.workers != 1:
            row += [_fmt_ratio(r.ratio("gradient_ext w=1", "gradient_ext")),
                    _fmt_ratio(r.ratio("gradient_ext out= w=1", "gradient_ext out="))]
        elif threaded:
            row += ["", ""]
        row += [_fmt_ratio(r.ratio(name, "gradient_ext")) for name in others]
        rows.append(row)
    return header, rows


def measure_form(form, inputs, reps=7, min_rep=0.02):
    """Check and time one call form against numpy and against its twin."""
    want = form.call(np.gradient, inputs)
    same = identical(form.call(gradient_ext.gradient, inputs), want)
    contenders = {
        "numpy": lambda: form.call(np.gradient, inputs),
        "gradient_ext": lambda: form.call(gradient_ext.gradient, inputs),
    }
    if form.twin is not None:
        same = same and identical(form.twin(gradient_ext.gradient, inputs),
                                  form.twin(np.gradient, inputs))
        contenders["twin"] = lambda: form.twin(gradient_ext.gradient, inputs)
    samples = time_alternating(contenders, reps=reps, min_rep=min_rep)
    samples.setdefault("twin", None)
    return Result(form, same, samples)


def _form_columns(results):
    """Column titles and rows of the call-form table."""
    header = ["call form", "numpy", "gradient_ext", "speedup", "twin", "vs twin",
              "twin: the fast-path call"]
    rows = []
    for r in results:
        name = r.case.name + ("" if r.identical else " **MISMATCH**")
        twinned = r.case.twin is not None
        rows.append([name, _fmt_time(r.time("numpy")), _fmt_time(r.time("gradient_ext")),
                     _fmt_ratio(r.speedup()),
                     _fmt_time(r.time("twin")) if twinned else "",
                     _fmt_ratio(r.ratio("gradient_ext", "twin")) if twinned else "",
                     r.case.twin_name])
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


def _preamble(others, quick, reps, min_rep):
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
        "      written per further axis (1.00 = memory speed; both sides allocate);",
        "    out= = gradient_ext writing into preallocated out= arrays;",
        "    vs floor, no alloc = out= time / time of np.copyto(preallocated, f) plus",
        "      .fill of one preallocated array per further axis (neither allocates);",
        "    vs 1 worker[, out=] = time with workers=1 / time with the workers named;",
    ]
    if others:
        lines.append("    vs torch/jax = their time / gradient_ext time (n/a: unsupported);")
    lines += [
        f"    times: median of {reps} alternating reps, each >= {min_rep * 1e3:g} ms of calls;",
        "    ratios: median of per-rep ratios"
        + ("; --quick: fewer, smaller cases and reps;" if quick else ";"),
        "    every result checked bit for bit against numpy.gradient first.",
    ]
    return "\n".join(lines)


FORM_NOTE = """\
call forms: f is 64x64 float64 and f32 its float32 copy; x, y are uneven float64
    coordinates, x32, y32 and xi, yi the same as float32 and int64;
    vs twin = gradient_ext time of the form / time of its twin, the fast-path
    call with the same arithmetic, paired in the same reps."""


def bench(quick=False, cases=None, others=None, file=None, reps=None, min_rep=None):
    """Print the speed tables; return 0, or 1 if any result differed from numpy.

    quick: a small, fast subset (smoke tests).  cases: name patterns to run,
    matched against both tables (the cases and the call forms).
    others: also time torch/jax when they import (default: not in quick mode).
    reps, min_rep: alternating reps per row and seconds per rep (default 7
    and 0.02; quick 3 and 0.005).
    """
    file = file or sys.stdout
    pool = QUICK_CASES if quick else CASES
    chosen, forms = select(pool, cases), select(FORMS, cases)
    if not chosen and not forms:
        print(f"no case matches {cases}; the cases are:", file=file)
        for c in list(pool) + FORMS:
            print(f"    {c.name}", file=file)
        return 2
    settle_allocator()
    want_others = (not quick) if others is None else others
    libs = _import_others() if want_others and chosen else {}
    default_reps, default_min_rep = (3, 0.005) if quick else (7, 0.02)
    reps = default_reps if reps is None else reps
    min_rep = default_min_rep if min_rep is None else min_rep
    print(_preamble(libs, quick, reps, min_rep), file=file)
    results = [_progress(measure(c, libs, reps=reps, min_rep=min_rep)) for c in chosen]
    inputs = form_inputs()
    form_results = [_progress(measure_form(fm, inputs, reps=reps, min_rep=min_rep))
                    for fm in forms]
    if results:
        print(file=file)
        print(markdown_table(*_columns(results, list(libs))), file=file)
    if form_results:
        print("\n" + FORM_NOTE + "\n", file=file)
        print(markdown_table(*_form_columns(form_results)), file=file)
    bad = [r.case.name for r in results + form_results if not r.identical]
    if bad:
        print(f"\nMISMATCH with numpy.gradient in: {', '.join(bad)}", file=file)
        return 1
    print("\nAll results identical to numpy.gradient.", file=file)
    return 0


def _progress(result):
    if sys.stderr.isatty():     # progress for a person, silence for pipes
        print(f"    measured {result.case.name}", file=sys.stderr, flush=True)
    return result
