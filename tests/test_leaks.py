"""No leaks: memory stays flat over 100,000 calls through every path.

Two instruments, because each misses what the other sees:

* RSS (``/proc/self/statm``) over 100,000 calls per path: after a warm-up,
  the growth over each of two later windows must stay under a bound.  It sees
  everything (C buffers, numpy data, Python objects) but only by pages.
* ``tracemalloc`` (which traces ``PyMem_RawMalloc``, Python objects and
  numpy's data buffers) over a shorter window: exact to the byte, so a single
  leaked object per call shows up, but it slows each call about tenfold.

Paths: the fast path, the general path, numpy's fallback, ``out=``, uneven
coordinates with their coefficient buffers (``PyMem_RawMalloc`` in execute()),
every error of every validation stage, and a MemoryError half way through a
multi-axis call (the address-space limit of a child process makes the second
output, or the coefficient buffer, fail to allocate).
"""

import itertools
import os
import sys
import textwrap
import tracemalloc

import numpy as np
import pytest

from gradient_ext import gradient
from helpers import python

CALLS = 100_000          # per path, warm-up included, for RSS
RSS_BOUND = 1 << 20      # bytes a later window may grow (RSS moves by pages)
TRACED_BOUND = 4096      # bytes a traced window may grow (< 1 byte a call)
PAGE = os.sysconf("SC_PAGE_SIZE")

# ASan keeps freed memory in quarantine (RSS grows by design) and reserves
# terabytes of address space; leaks are measured on the normal build.
pytestmark = [
    pytest.mark.slow,           # hundreds of thousands of calls: the slow tier
    pytest.mark.skipif(os.environ.get("GRADIENT_EXT_SANITIZED") == "1",
                       reason="memory is not flat under AddressSanitizer"),
]

rng = np.random.default_rng(0)
F1 = rng.random(64)
F2 = rng.random((8, 50))
F2_32 = F2.astype(np.float32)
I2 = rng.integers(-100, 100, (8, 50))
C2 = F2 * (1 - 2j)
X8 = np.cumsum(rng.uniform(0.5, 1.5, 8))
X50 = np.cumsum(rng.uniform(0.5, 1.5, 50))
X50_32 = X50.astype(np.float32)
F16 = F2.astype(np.float16)
OBJ = np.arange(12).astype(object)


def _outs(*arrays):
    return [np.empty_like(a) for a in arrays]


OUT_FAST = _outs(F2, F2)
OUT_GENERAL = tuple(_outs(F2_32, F2_32))
OUT_F16 = np.empty_like(F16)

PATHS = {
    "fast": [
        lambda: gradient(F1),
        lambda: gradient(F2, 0.5, edge_order=2),
        lambda: gradient(F2_32, np.float32(0.5), axis=-1),
        lambda: gradient(C2, 2.0),
        lambda: gradient(I2, axis=0),
    ],
    "general": [
        lambda: gradient(F2, axis=(0, 1)),
        lambda: gradient(F2_32, 0.5, X50_32, axis=(0, 1)),
        lambda: gradient(F2, np.float32(0.25), X50),
        lambda: gradient(C2, 1, np.int8(3), edge_order=2),
        lambda: gradient(I2.tolist(), X8, 2.0),
    ],
    "numpy-fallback": [
        lambda: gradient(F16, axis=1),
        lambda: gradient(OBJ),
        lambda: gradient(F2.astype(">f8"), axis=0),
    ],
    "out": [
        lambda: gradient(F2, out=OUT_FAST),
        lambda: gradient(F2_32, 0.5, X50_32, axis=(0, 1), out=OUT_GENERAL),
        lambda: gradient(F16, axis=0, out=OUT_F16),
    ],
    # coordinates along the last axis of a 2-D array: coefficients buffered
    "uneven-coefficients": [
        lambda: gradient(F2, X50, axis=1),
        lambda: gradient(F2, X8, X50, edge_order=2),
        lambda: gradient(F2_32, X50_32, axis=-1),
        lambda: gradient(C2, X8, X50),
    ],
}


class _Raises:
    """Objects whose conversion fails where numpy would call it."""

    def __array__(self, dtype=None, copy=None):
        raise RuntimeError("no array")


# Every validation stage, in the order numpy and the wrapper meet them.
ERRORS = [
    (ValueError, lambda: gradient([[1, 2], [3]])),                       # conversion
    (RuntimeError, lambda: gradient(_Raises())),
    (np.exceptions.AxisError, lambda: gradient(F2, axis=2)),             # axis
    (ValueError, lambda: gradient(F2, axis=(0, 0))),
    (TypeError, lambda: gradient(F2, axis=1.0)),
    (TypeError, lambda: gradient(F2, 1.0, 2.0, 3.0)),                    # spacings
    (ValueError, lambda: gradient(F2, np.ones((8, 2)), 1.0)),
    (ValueError, lambda: gradient(F2, X50, X50)),
    (ValueError, lambda: gradient(np.ones((1, 50)), [0.0], X50)),
    (TypeError, lambda: gradient(F2, "a")),
    (ZeroDivisionError, lambda: gradient(F1, 0.0, edge_order=2)),        # coefficients
    (ZeroDivisionError, lambda: gradient(F2, 0, axis=(0,), edge_order=2)),
    (ValueError, lambda: gradient(F2, edge_order=3)),                    # edge_order
    (ValueError, lambda: gradient(F2, edge_order=0)),
    (ValueError, lambda: gradient(np.ones(1))),                          # too small
    (ValueError, lambda: gradient(np.ones((8, 2)), X8, [0, 1.0], edge_order=2)),
    (TypeError, lambda: gradient(F2, workers=True)),                     # workers
    (ValueError, lambda: gradient(F2, workers=0)),
    (TypeError, lambda: gradient(F2, workers="2")),
    (ValueError, lambda: gradient(F2, out=[np.empty((8, 5)), np.empty((8, 50))])),   # out
    (ValueError, lambda: gradient(F2, axis=0, out=np.empty((8, 50), np.float32))),
    (ValueError, lambda: gradient(F2, out=[F2, np.empty_like(F2)])),
    (ValueError, lambda: gradient(F2, out=OUT_FAST[:1])),
    (ValueError, lambda: gradient(F2, axis=1, out=np.broadcast_to(F1[:50], (8, 50)))),
]


def _raising(expected, call):
    def run():
        try:
            call()
        except expected:
            return
        raise AssertionError(f"{call} did not raise {expected.__name__}")
    return run


PATHS["errors"] = [_raising(e, c) for e, c in ERRORS]


def _rss():
    with open("/proc/self/statm") as fh:
        return int(fh.read().split()[1]) * PAGE


def _run(calls, n):
    for call in itertools.islice(itertools.cycle(calls), n):
        call()


def rss_windows(calls, total=CALLS):
    """RSS growth over two windows of 45% of `total` calls, after a 10% warm-up."""
    window = total * 45 // 100
    _run(calls, total - 2 * window)
    marks = [_rss()]
    for _ in range(2):
        _run(calls, window)
        marks.append(_rss())
    return [b - a for a, b in zip(marks, marks[1:])]


def traced_windows(calls, n):
    """tracemalloc growth over two windows of `n` calls, after a warm-up of n."""
    tracemalloc.start()
    try:
        _run(calls, n)
        marks = [tracemalloc.get_traced_memory()[0]]
        for _ in range(2):
            _run(calls, n)
            marks.append(tracemalloc.get_traced_memory()[0])
    finally:
        tracemalloc.stop()
    return [b - a for a, b in zip(marks, marks[1:])]


# Traced calls per window: the slow paths need fewer to show one object a call.
TRACED_CALLS = {"fast": 20_000, "general": 5_000, "numpy-fallback": 1_000, "out": 10_000,
                "uneven-coefficients": 10_000, "errors": 5_000}


@pytest.mark.parametrize("path", list(PATHS))
def test_memory_flat(path):
    calls = PATHS[path]
    refs = [sys.getrefcount(a) for a in (F1, F2, F2_32, X50, X50_32, F16, OBJ)]
    rss = rss_windows(calls)
    traced = traced_windows(calls, TRACED_CALLS[path])
    assert all(g < RSS_BOUND for g in rss), f"{path}: RSS grew {rss} bytes per window"
    assert all(g < TRACED_BOUND for g in traced), f"{path}: traced memory grew {traced}"
    # no reference to an input or a spacing is kept
    assert refs == [sys.getrefcount(a) for a in (F1, F2, F2_32, X50, X50_32, F16, OBJ)]


# ---------------------------------------------------------------------------
# MemoryError half way through a multi-axis call

ALLOCATION_FAILURE = textwrap.dedent(
    """
    import gc, os, resource, tracemalloc
    import numpy as np
    from gradient_ext import gradient

    PAGE = resource.getpagesize()
    N = 1 << 20
    f = np.ones((3, N))                        # each output: 24 MiB
    x = np.cumsum(np.linspace(1.0, 2.0, N))    # uneven: coefficients 3*N doubles
    f32, x32 = f.astype(np.float32), x.astype(np.float32)
    size = f.nbytes

    STATM = os.open("/proc/self/statm", os.O_RDONLY)   # opened once: open() allocates

    def vm():
        return int(os.pread(STATM, 200, 0).split()[0]) * PAGE

    CASES = {   # call, bytes it may allocate before the one that must fail
        "fast-second-output": (lambda: gradient(f, workers=1), 1.5 * size),
        "general-second-output": (lambda: gradient(f, axis=(0, 1), workers=1), 1.5 * size),
        "fast-coefficients": (lambda: gradient(f, 1.0, x, workers=1), 2.5 * size),
        "general-coefficients": (lambda: gradient(f32, 1.0, x32, workers=1), 2.7 * f32.nbytes),
    }
    soft, hard = resource.getrlimit(resource.RLIMIT_AS)
    for name, (call, room) in CASES.items():
        want = call()                          # works, and warms up
        tracemalloc.start()
        marks = []
        for i in range(201):
            if i in (1, 101, 200):
                gc.collect()   # an exception's frames may form cycles: garbage, not leaks
                marks.append((tracemalloc.get_traced_memory()[0], vm()))
            resource.setrlimit(resource.RLIMIT_AS, (vm() + int(room), hard))
            try:
                call()
                raise SystemExit(f"{name}: no MemoryError")
            except MemoryError:
                pass
            finally:
                resource.setrlimit(resource.RLIMIT_AS, (soft, hard))
        tracemalloc.stop()
        got = call()                           # the next call works, same bits
        assert all(np.array_equal(g.view(np.uint8), w.view(np.uint8)) for g, w in zip(got, want))
        (t0, v0), (t1, v1), (t2, v2) = marks
        print(name, t1 - t0, t2 - t1, v1 - v0, v2 - v1)
        # (numpy tracemalloc-tracks the NULL of its failed allocation: a constant)
        assert max(t1 - t0, t2 - t1) < 4096, (name, marks)
        assert max(v1 - v0, v2 - v1) <= 0, (name, marks)   # no mapping is left behind
    """
)


@pytest.mark.skipif(not sys.platform.startswith("linux"), reason="uses /proc and RLIMIT_AS")
def test_memory_error_half_way_leaks_nothing():
    # A fixed mmap threshold: every large block is mapped and unmapped at once
    # (glibc's adaptive one would keep freed outputs in the heap, below the limit).
    env = dict(os.environ, MALLOC_MMAP_THRESHOLD_="131072")
    run = python("-c", ALLOCATION_FAILURE, timeout=300, env=env)
    assert run.returncode == 0, run.stdout + run.stderr
    assert len(run.stdout.splitlines()) == 4, run.stdout
