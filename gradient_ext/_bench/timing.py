"""Timing: contenders alternating rep by rep, paired ratios, and the memory floors.

See ``engine``'s docstring for the method and why.
"""

import gc
import math
import time

import numpy as np

__all__ = ["floor_callable", "floor_out_callable", "paired_ratio", "preallocated_out",
           "settle_allocator", "time_alternating"]


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
