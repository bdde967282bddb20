"""Hostile and extreme inputs: numpy's result or numpy's exception type, never a
crash, a hang or a modified input.

Where numpy has an answer (every input but ``out=`` and ``workers=``), the
oracle compares against it; ``out=`` and ``workers=`` follow the documented
rules (docs/guide/threads.rst).  A KeyboardInterrupt runs in a child process under a
timeout, so a hang fails instead of blocking the suite.
"""

import signal
import subprocess
import sys
import textwrap
import time

import numpy as np
import pytest
from numpy.lib.stride_tricks import as_strided

from gradient_ext import gradient
from generators import TaggedArray
from helpers import child_env
from oracle import assert_array_same, assert_result_same, assert_same_as_numpy, numpy_gradient

rng = np.random.default_rng(2024)
F = rng.standard_normal((5, 6))
LARGE = rng.standard_normal((1100, 1000))       # >= 2**20 elements: threads start


def _outcome(fn, f, *varargs, **kw):
    try:
        return fn(f, *varargs, **kw)
    except Exception as e:  # noqa: BLE001 - the type is compared
        return e


def _same_exception(f, *varargs, **kw):
    """For inputs too big to snapshot: both raise, with the same exception type."""
    want = _outcome(numpy_gradient, f, *varargs, **kw)
    got = _outcome(gradient, f, *varargs, **kw)
    assert isinstance(want, Exception), "numpy returned a result"
    assert type(got) is type(want), f"gradient_ext {got!r}, numpy {want!r}"


# ---------------------------------------------------------------------------
# 64 dimensions (numpy's maximum)


def _dims64(shape_head, shape_tail, rng=rng):
    shape = shape_head + (1,) * (64 - len(shape_head) - len(shape_tail)) + shape_tail
    return rng.standard_normal(shape)


CASES_64 = [
    ("len2-then-ones", lambda: _dims64((2,), ()), {"axis": 0}),
    ("all-axes-too-small", lambda: _dims64((2,), ()), {}),
    ("four-real-axes", lambda: _dims64((3, 2), (2, 4)), {"axis": (0, 1, 62, 63)}),
    ("four-real-axes-edge2", lambda: _dims64((3, 3), (3, 4)),
     {"axis": (0, 1, 62, 63), "edge_order": 2}),
    ("transposed", lambda: _dims64((3, 2), (2, 4)).T, {"axis": (0, 1, -1, -2)}),
    ("reversed", lambda: _dims64((3,), (4,))[(slice(None, None, -1),) * 64], {"axis": (0, 63)}),
    ("negative-axis", lambda: _dims64((3,), (4,)), {"axis": -64}),
    ("axis-64-out-of-range", lambda: _dims64((3,), (4,)), {"axis": 64}),
]


@pytest.mark.parametrize("make,kw", [c[1:] for c in CASES_64], ids=[c[0] for c in CASES_64])
def test_64_dimensions(make, kw):
    assert_same_as_numpy(make(), **kw)


def test_64_dimensions_coordinates_out_and_workers():
    f = _dims64((3,), (2, 5))
    x0, x63 = np.array([0.0, 1.0, 3.0]), np.cumsum(np.arange(1.0, 6.0))
    assert_same_as_numpy(f, x0, 0.5, x63, axis=(0, 62, 63), edge_order=1)
    expected = numpy_gradient(f, x0, x63, axis=(0, 63))
    outs = [np.empty_like(e) for e in expected]
    got = gradient(f, x0, x63, axis=(0, 63), out=outs, workers=2)
    assert all(g is o for g, o in zip(got, outs))
    assert_result_same(got, expected)


# ---------------------------------------------------------------------------
# broadcast views too large to compute; huge allocations


BROADCASTS = [
    # int8 views of 2**62 elements: 2**65 bytes of float64 output per axis
    ("int8-2^62-two-axes", lambda: np.broadcast_to(np.ones(2, np.int8), (2,) * 62),
     {"axis": (0, 1)}),
    ("int8-2^62-all-62-axes", lambda: np.broadcast_to(np.ones(2, np.int8), (2,) * 62), {}),
    ("float64-2^59", lambda: np.broadcast_to(np.ones(2), (2,) * 59), {}),
    ("float32-2^60", lambda: np.broadcast_to(np.ones(2, np.float32), (2,) * 60), {"axis": 0}),
    ("float64-8TiB", lambda: np.broadcast_to(np.ones(2), (2,) * 40), {}),
    ("float64-128TiB", lambda: np.broadcast_to(np.ones(1), (2**22, 2**22)), {}),
    ("float64-128TiB-general", lambda: np.broadcast_to(np.ones(1), (2**22, 2**22)),
     {"axis": (1, 0)}),
    ("complex-coordinates", lambda: np.broadcast_to(np.ones(3, np.complex128), (2**21, 2**21, 3)),
     {"axis": (0, 2)}),
]


@pytest.mark.parametrize("make,kw", [c[1:] for c in BROADCASTS], ids=[c[0] for c in BROADCASTS])
def test_huge_broadcast_views_raise_as_numpy_and_the_next_call_works(make, kw):
    f = make()
    _same_exception(f, **kw)
    assert_same_as_numpy(F, 0.5, edge_order=2)       # the next call works


def test_broadcast_view_threaded_matches_numpy():
    f = np.broadcast_to(rng.standard_normal(2**11), (2**10, 2**11))
    for workers in (1, 2, -1):
        assert_same_as_numpy(f, 2.0, np.cumsum(np.linspace(1, 2, 2**11)), workers=workers)


# ---------------------------------------------------------------------------
# out=: aliasing through other dtypes, subclasses, memmaps, byte order


def _aliases():
    buf = rng.standard_normal(30)
    yield "int64-view-of-out", buf.view(np.int64).reshape(5, 6), buf.reshape(5, 6)
    c = (rng.standard_normal(6) + 1j * rng.standard_normal(6))
    yield "real-into-float64-view", c.real, c.view(np.float64)[:6]
    yield "imag-into-float64-view", c.imag, c.view(np.float64)[3:9]
    b = rng.integers(0, 255, 48, dtype=np.uint8)
    yield "uint8-bytes-as-float64", b[:6], b.view(np.float64)
    f32 = rng.standard_normal(12).astype(np.float32)
    yield "float32-reversed-self", f32, f32[::-1]
    f2 = rng.standard_normal((6, 6))
    yield "transposed-self", f2, f2.T


@pytest.mark.parametrize("f,out", [c[1:] for c in _aliases()], ids=[c[0] for c in _aliases()])
def test_out_aliasing_input_through_a_view_is_rejected(f, out):
    before, out_before = f.tobytes(), out.tobytes()
    with pytest.raises(ValueError):
        gradient(f, out=out)
    assert f.tobytes() == before and out.tobytes() == out_before


def test_out_interleaved_through_other_dtype_is_computed():
    # f = the even float32 halves of a float64 buffer, out = the odd ones: no element shared
    buf = rng.standard_normal(20)
    halves = buf.view(np.float32)
    f, out = halves[::2], halves[1::2]
    want = numpy_gradient(f.copy(), 0.5)
    before = f.tobytes()
    assert gradient(f, 0.5, out=out) is out
    assert_array_same(out, want, check_order=False)
    assert f.tobytes() == before
    c = rng.standard_normal(8) + 1j * rng.standard_normal(8)     # real parts into imaginary
    want, before = numpy_gradient(c.real.copy()), c.real.tobytes()
    assert gradient(c.real, out=c.imag) is not None
    assert_array_same(c.imag, want, check_order=False)
    assert c.real.tobytes() == before


@pytest.mark.parametrize("axis", [0, None])
def test_out_overlapping_itself_is_rejected(axis):
    """A writeable zero-stride view would hold whichever element was written last."""
    naxes = 1 if axis == 0 else 2
    for shape, strides in [((5, 6), (0, 0)), ((5, 6), (8, 8)), ((5, 6), (48, 0))]:
        outs = [as_strided(np.zeros(64), shape, strides, writeable=True) for _ in range(naxes)]
        with pytest.raises(ValueError, match="overlap itself"):
            gradient(F, axis=axis, out=outs[0] if naxes == 1 else outs)


def test_out_subclass_and_memmap(tmp_path):
    want = numpy_gradient(F, 2.0)
    tagged = [np.empty_like(F).view(TaggedArray) for _ in range(2)]
    got = gradient(F, 2.0, out=tagged)
    assert all(g is t for g, t in zip(got, tagged))
    for g, w in zip(got, want):
        assert_array_same(np.asarray(g), w)
    maps = [np.memmap(tmp_path / f"out{k}.bin", dtype=np.float64, mode="w+", shape=F.shape)
            for k in range(2)]
    got = gradient(F, 2.0, out=maps)
    assert all(g is m for g, m in zip(got, maps))
    for k, w in enumerate(want):
        maps[k].flush()
        assert np.fromfile(tmp_path / f"out{k}.bin").tobytes() == w.tobytes()
    readonly = np.memmap(tmp_path / "out0.bin", dtype=np.float64, mode="r", shape=F.shape)
    with pytest.raises(ValueError):
        gradient(F, axis=0, out=readonly)


def test_out_byte_order():
    swapped = F.astype(">f8")
    # native input: the result dtype is native, so a swapped out is the wrong dtype
    with pytest.raises(ValueError):
        gradient(F, axis=1, out=np.empty(F.shape, ">f8"))
    # swapped input: numpy's result is swapped, and so must out be
    want = numpy_gradient(swapped, axis=1)
    out = np.empty(F.shape, ">f8")
    assert gradient(swapped, axis=1, out=out) is out
    assert_array_same(out, want)
    with pytest.raises(ValueError):
        gradient(swapped, axis=1, out=np.empty(F.shape))


# ---------------------------------------------------------------------------
# workers


@pytest.mark.parametrize("f", [F, LARGE], ids=["small", "large"])
@pytest.mark.parametrize("workers,error", [
    (0, ValueError), (-2, ValueError), (True, TypeError), (False, TypeError), (1.5, TypeError),
    ("2", TypeError), (np.bool_(True), TypeError), (2.0, TypeError), (None, None),
    (10**9, None), (np.int64(2), None), (-1, None),
])
def test_workers_values(f, workers, error):
    before = f.tobytes()
    if error is not None:
        with pytest.raises(error):
            gradient(f, workers=workers)
    else:
        assert_result_same(gradient(f, workers=workers), numpy_gradient(f))
    assert f.tobytes() == before


# ---------------------------------------------------------------------------
# spacings: NaN, infinities, zero, subnormal, huge; 0-d arrays


SPECIAL = [float("nan"), float("inf"), -float("inf"), 0.0, -0.0, 5e-324, 1e-310, -2.5e-320,
           1e308, -1.7e308, 2.0**1023, 2.0**-1074]
SPACING_DTYPES = [np.float64, np.float32, np.complex128, np.complex64, np.int64, np.uint8,
                  np.float16]


def _spellings(h):
    with np.errstate(over="ignore", under="ignore"):     # np.float32(1e308) is inf
        return (h, np.float64(h), np.float32(h), np.array(h))


# numpy's float16 path warns about the interior division before -1.5 / 0.0 raises
@pytest.mark.filterwarnings("ignore:divide by zero:RuntimeWarning")
@pytest.mark.parametrize("dtype", SPACING_DTYPES, ids=lambda d: np.dtype(d).name)
def test_special_scalar_spacings(dtype):
    f = (rng.standard_normal((4, 5)) * 100).astype(dtype)
    for h in SPECIAL:
        for spacing in _spellings(h):
            for edge_order in (1, 2):
                if edge_order == 2 and spacing == 0 and type(spacing) is float:
                    with pytest.raises(ZeroDivisionError):     # numpy's -1.5 / 0.0
                        gradient(f, spacing, edge_order=2)
                    continue
                assert_same_as_numpy(f, spacing, edge_order=edge_order)
                assert_same_as_numpy(f, spacing, 1.0, edge_order=edge_order)


@pytest.mark.parametrize("dtype", SPACING_DTYPES, ids=lambda d: np.dtype(d).name)
def test_special_coordinates(dtype):
    f = (rng.standard_normal((4, 6)) * 100).astype(dtype)
    coords = [
        [0.0, 1.0, float("nan"), 3.0, 4.0, 5.0],
        [0.0, float("inf"), 2.0, 3.0, float("-inf"), 5.0],
        [0.0, 0.0, 0.0, 1.0, 1.0, 2.0],                   # zero differences
        [0.0, 5e-324, 1e-323, 1.5e-323, 2e-323, 1e-300],  # subnormal differences
        [-1.7e308, 0.0, 1.7e308, 1.7e308, -1.7e308, 0.0],  # overflowing differences
        [5.0, 4.0, 2.0, 1.0, -1.0, -8.0],                 # decreasing
    ]
    for x in coords:
        with np.errstate(over="ignore"):
            x32 = np.array(x, np.float32)
        for xs in (np.array(x), x32, x):
            for edge_order in (1, 2):
                assert_same_as_numpy(f, xs, axis=1, edge_order=edge_order)
                assert_same_as_numpy(f, np.arange(4.0) ** 2, xs, edge_order=edge_order)


@pytest.mark.parametrize("f", [np.array(3.0), np.float64(2.0), np.array(5), 7.5],
                         ids=["0d-float", "scalar", "0d-int", "python-float"])
@pytest.mark.parametrize("varargs,kw", [
    ((), {}), ((2.0,), {}), ((np.array(2.0),), {}), ((np.array([1.0]),), {}),
    ((1.0, 2.0), {}), ((), {"axis": 0}), ((), {"axis": ()}), ((), {"edge_order": 2}),
])
def test_zero_dimensional(f, varargs, kw):
    assert_same_as_numpy(f, *varargs, **kw)


# ---------------------------------------------------------------------------
# objects whose __len__, __array__ or __float__ raise


class LenRaises:
    def __len__(self):
        raise RuntimeError("__len__ failed")

    def __getitem__(self, i):
        return 1.0


class ArrayRaises:
    def __array__(self, dtype=None, copy=None):
        raise RuntimeError("__array__ failed")


class FloatRaises:
    def __float__(self):
        raise RuntimeError("__float__ failed")


class NumberWhoseFloatRaises(FloatRaises):
    """Arithmetic works (numpy never calls __float__), only float() fails."""

    def __mul__(self, other):
        return 2.0

    __rmul__ = __mul__

    def __rtruediv__(self, other):
        return other / 2.0


HOSTILE = [LenRaises(), ArrayRaises(), FloatRaises(), NumberWhoseFloatRaises()]


@pytest.mark.parametrize("obj", HOSTILE, ids=lambda o: type(o).__name__)
def test_objects_that_raise(obj):
    f = np.arange(6.0) ** 2
    f2 = np.arange(18.0).reshape(3, 6) ** 2
    for edge_order in (1, 2):
        assert_same_as_numpy(obj, edge_order=edge_order)
        assert_same_as_numpy([1.0, obj, 3.0], edge_order=edge_order)
        assert_same_as_numpy(f, obj, edge_order=edge_order)
        assert_same_as_numpy(f.astype(np.float32), obj, edge_order=edge_order)
        assert_same_as_numpy(f2, 1.0, obj, edge_order=edge_order)
        assert_same_as_numpy(f2, obj, axis=(1,), edge_order=edge_order)
        assert_same_as_numpy(f, [0.0, obj, 2.0, 3.0, 4.0, 5.0], edge_order=edge_order)


def test_out_and_workers_objects_that_raise():
    class IndexRaises:
        def __index__(self):
            raise RuntimeError("__index__ failed")
    with pytest.raises(RuntimeError):
        gradient(F, workers=IndexRaises())
    with pytest.raises((RuntimeError, ValueError)):
        gradient(F, out=LenRaises())
    assert_same_as_numpy(F)


# ---------------------------------------------------------------------------
# KeyboardInterrupt during a long multi-threaded call

INTERRUPTED = textwrap.dedent(
    """
    import hashlib, signal, sys
    import numpy as np
    from gradient_ext import gradient
    from gradient_ext._runtime import NUMPY_GRADIENT

    # A shell's background job starts with SIGINT ignored: take Python's handler
    # back, so the test does not depend on how pytest was started.
    signal.signal(signal.SIGINT, signal.default_int_handler)
    a = np.random.default_rng(1).standard_normal((1500, 1500))
    x = np.cumsum(np.linspace(1.0, 2.0, 1500))
    want = [r.tobytes() for r in NUMPY_GRADIENT(a, x, 0.5, edge_order=2)]
    print("ready", flush=True)
    calls = 0
    try:
        while True:                # long multi-threaded calls until the signal lands
            gradient(a, x, 0.5, edge_order=2, workers=2)
            calls += 1
    except KeyboardInterrupt:
        pass
    got = [r.tobytes() for r in gradient(a, x, 0.5, edge_order=2, workers=2)]
    assert got == want, "wrong result after the interrupt"
    print("ok", calls, flush=True)
    """
)


@pytest.mark.slow
@pytest.mark.skipif(sys.platform == "win32", reason="SIGINT to a child process")
def test_keyboard_interrupt_during_threaded_call():
    child = subprocess.Popen([sys.executable, "-c", INTERRUPTED], stdout=subprocess.PIPE,
                             stderr=subprocess.PIPE, text=True, env=child_env())
    try:
        assert child.stdout.readline().strip() == "ready"
        time.sleep(0.5)                                # inside the loop of calls
        child.send_signal(signal.SIGINT)
        out, err = child.communicate(timeout=120)
    finally:
        if child.poll() is None:
            child.kill()
            child.wait()
    assert child.returncode == 0, err
    assert out.startswith("ok"), out + err


# ---------------------------------------------------------------------------
# after a MemoryError, the next call works


def test_next_call_after_memory_error():
    huge = np.broadcast_to(np.ones(1), (2**22, 2**22))
    for kw in ({}, {"axis": (0, 1)}, {"axis": 1}):
        with pytest.raises(MemoryError):
            gradient(huge, **kw)
        assert_same_as_numpy(F, 0.5, np.arange(6.0) ** 2)
        assert_result_same(gradient(LARGE, workers=2), numpy_gradient(LARGE))

