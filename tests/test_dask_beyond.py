"""Dask arrays with boundary=, period= and accuracy=: lazy, and bit for bit the
in-memory gradient_ext.gradient on the computed array, for any chunking.

The oracle here is gradient_ext itself on the whole numpy array (these
arguments are gradient_ext's, numpy has none): every check compares the
computed dask result with it (oracle.assert_result_same: bits, dtype, type).
"""


import numpy as np
import pytest

from oracle import assert_result_same
import dask_checks
from dask_checks import SYNC, check_lazy, computed, locally_even, uneven
from tiers import PARTS, Share

da = pytest.importorskip("dask.array")
import dask  # noqa: E402

import gradient_ext  # noqa: E402

def check(a, chunks, *varargs, **kw):
    """gradient_ext on da.from_array(a, chunks) against gradient_ext on `a`, bit for bit."""
    check_lazy(gradient_ext.gradient, a, chunks, *varargs, **kw)


def random_chunks(rng, n):
    return dask_checks.random_chunks(rng, n, sizes=(1, 1, 2, 3, 5))


RNG = np.random.default_rng(20250801)
A = RNG.standard_normal((13, 11))
N0, N1 = A.shape
BOUNDS = ["periodic", "one-sided", ["periodic", "one-sided"], ["one-sided", "periodic"]]


def _periods(bounds, p0, p1):
    b = [bounds] * 2 if isinstance(bounds, str) else bounds
    periods = [p0 if b[0] == "periodic" else None, p1 if b[1] == "periodic" else None]
    return None if periods == [None, None] else periods


def spacing_forms(rng, bounds):
    """(varargs, period) pairs: uniform forms, then coordinates as numpy and dask arrays."""
    xs, ys = uneven(rng, N0), uneven(rng, N1)
    yield (), None
    yield (0.5,), _periods(bounds, N0 * 0.5, N1 * 0.5)
    yield (np.float32(0.25), 2), _periods(bounds, N0 * 0.25, N1 * 2)
    yield (da.from_array(np.float64(0.5)), 1.0), None
    even0, even1 = np.arange(N0) * 0.75, np.arange(N1, dtype=np.float32) * 3
    for cx, cy in [(xs, ys), (xs.astype(np.float32), ys), (locally_even(N0), np.arange(N1)),
                   (even0, even1), (da.from_array(xs, chunks=4), da.from_array(ys, chunks=(1, 3, 7))),
                   (da.from_array(even0, chunks=5), ys.astype(np.float32))]:
        p0 = float(computed(cx)[-1] - computed(cx)[0]) * 1.25 + 0.3
        yield (cx, cy), _periods(bounds, p0, np.float64(N1 * 3.0 + 5.5))
    # the periods that make the padded coordinates evenly spaced: numpy's collapse
    yield (even0, even1), _periods(bounds, N0 * 0.75, N1 * 3)
    yield (da.from_array(even0, chunks=3), even1), _periods(bounds, N0 * 0.75, np.float32(33))
    yield (np.arange(N0), even1), _periods(bounds, N0, 33)


CHUNKINGS = [(1, 1), ((1, 2, 1, 4, 5), (3, 1, 1, 6)), ((12, 1), (2, 9))]


# The large loops are split between the tiers by tiers.Share: the "fast" items
# sample every dimension of the loop, the "rest" items (slow tier) run the others.
@pytest.mark.parametrize("part", PARTS)
@pytest.mark.parametrize("accuracy", [2, 4, 6, 8])
@pytest.mark.parametrize("bounds", BOUNDS[:3], ids=str)
def test_spacing_forms_and_chunkings(accuracy, bounds, part):
    share = Share(part, every=48)
    rng = np.random.default_rng(accuracy)
    for i, (varargs, period) in enumerate(spacing_forms(rng, bounds)):
        for chunks in CHUNKINGS:
            if share(accuracy, bounds, i, chunks):
                check(A, chunks, *varargs, boundary=bounds, period=period, accuracy=accuracy)


@pytest.mark.parametrize("dtype", ["float64", "float32", "complex128", "int16"])
@pytest.mark.parametrize("part", PARTS)
@pytest.mark.parametrize("accuracy", [2, 4, 6, 8])
def test_dtypes_random_chunkings(dtype, accuracy, part):
    share = Share(part, every=32)
    rng = np.random.default_rng(7 + accuracy)
    a = (rng.standard_normal((9, 12)) * 50).astype(dtype)
    if dtype == "complex128":
        a = a + 1j * rng.standard_normal(a.shape)
    for _ in range(2):
        chunks = tuple(random_chunks(rng, n) for n in a.shape)
        x = uneven(rng, 12)
        for bounds in BOUNDS:
            if share(dtype, accuracy, chunks, bounds, "uniform"):
                check(a, chunks, boundary=bounds, accuracy=accuracy)
            if share(dtype, accuracy, chunks, bounds, "uneven"):
                check(a, chunks, 0.5, x, boundary=bounds, accuracy=accuracy,
                      period=_periods(bounds, 4.5, 20.0))
            if share(dtype, accuracy, chunks, bounds, "dask"):
                check(a, chunks, 2.0, da.from_array(x.astype(np.float32), chunks=chunks[1]),
                      boundary=bounds, accuracy=accuracy, period=_periods(bounds, 18.0, 15.5))


@pytest.mark.parametrize("part", PARTS)
@pytest.mark.parametrize("accuracy", [2, 4, 6, 8])
def test_1d_every_chunking_of_a_short_axis(accuracy, part):
    """Shortest axes (accuracy + 1 points), 1-element chunks, and a little longer."""
    share = Share(part, every=32)
    rng = np.random.default_rng(11)
    for n in (accuracy + 1, accuracy + 3, 2 * accuracy + 3):
        a = rng.standard_normal(n)
        x = uneven(rng, n)
        for chunks in [(1,) * n, (n,), ((1, n - 1),), ((n - 1, 1),),
                       (random_chunks(rng, n),), (random_chunks(rng, n),)]:
            for bounds in ("one-sided", "periodic"):
                period = float(x[-1] - x[0]) + 0.7 if bounds == "periodic" else None
                if share(accuracy, n, chunks, bounds, "uniform"):
                    check(a, chunks, boundary=bounds, accuracy=accuracy)
                if share(accuracy, n, chunks, bounds, "uneven"):
                    check(a, chunks, x, boundary=bounds, period=period, accuracy=accuracy)
                if share(accuracy, n, chunks, bounds, "dask"):
                    check(a, chunks, da.from_array(x, chunks=2), boundary=bounds,
                          period=period, accuracy=accuracy)


def test_periodic_tiny_axes_and_numpy_dtypes():
    """Periodic accuracy 2 on 1 and 2 points; float16 and object data (numpy's path)."""
    for n in (1, 2, 3):
        a = np.arange(n, dtype=np.float64) ** 2
        for chunks in [(1,), (n,)]:
            check(a, chunks, boundary="periodic")
            check(a, chunks, boundary="periodic", edge_order=2)
    rng = np.random.default_rng(12)
    x = uneven(rng, 11)
    for dtype in ("float16", "object"):
        a = (A * 10).astype(dtype)
        for chunks in [(1, 2), ((2, 11), (3, 1, 1, 6))]:
            check(a, chunks, boundary="periodic")
            check(a, chunks, 1.0, x, boundary=["one-sided", "periodic"], period=[None, 15.0])
            check(a, chunks, 1.0, locally_even(11).astype(np.float16),
                  boundary="periodic", period=[None, 12.0])


@pytest.mark.parametrize("part", PARTS)
def test_3d_mixed_axes(part):
    share = Share(part, every=8)
    rng = np.random.default_rng(13)
    a = rng.standard_normal((9, 10, 11)).astype(np.float32)
    x = uneven(rng, 11)
    for accuracy in (2, 6):
        for i in range(2):
            chunks = tuple(random_chunks(rng, n) for n in a.shape)
            if share(accuracy, i, "axes 0, 2"):
                check(a, chunks, 0.5, da.from_array(x, chunks=3), axis=(0, 2),
                      accuracy=accuracy, boundary=("periodic", "periodic"), period=(4.5, 20.0))
            if share(accuracy, i, "axis -1"):
                check(a, chunks, x, axis=-1, accuracy=accuracy, boundary="periodic",
                      period=19.0)


def test_lazy():
    """Nothing is computed until compute(): the input's blocks are never called."""
    calls = []

    def block(b):
        calls.append(1)
        return b

    x = da.from_array(A, chunks=(3, 4)).map_blocks(block, dtype=A.dtype)
    xs = da.from_array(uneven(np.random.default_rng(0), N0), chunks=5).map_blocks(block)
    del calls[:]                # map_blocks ran it on empty arrays, for the meta
    got = gradient_ext.gradient(x, xs, 1.0, boundary="periodic", period=[30.0, None],
                                accuracy=4)
    assert calls == [] and all(isinstance(g, da.Array) for g in got)
    dask.compute(*got, **SYNC)
    assert calls


ERROR_CASES = [
    dict(boundary="wrap"),
    dict(boundary=["periodic"]),
    dict(accuracy=3),
    dict(accuracy=10),
    dict(accuracy=4, edge_order=2),
    dict(period=5.0),
    dict(boundary="periodic", period=[1.0, 2.0, 3.0]),
    dict(boundary="periodic", period="x"),
]


@pytest.mark.parametrize("kw", ERROR_CASES, ids=str)
def test_errors_at_call_time(kw):
    _same_error(A, (2, 3), (), kw)


def test_errors_that_depend_on_the_data():
    x = uneven(np.random.default_rng(1), N0)
    cases = [
        ((x, 1.0), dict(boundary="periodic")),                       # period required
        ((x, 1.0), dict(boundary="periodic", period=[1.0, None])),   # does not fit
        ((0.5,), dict(boundary="periodic", period=3.0)),             # not n * h
        ((da.from_array(x, chunks=3), 1.0), dict(boundary="periodic")),
        ((), dict(accuracy=8)),                                      # valid: no error
    ]
    for varargs, kw in cases:
        _same_error(A, (2, 3), varargs, kw)
    _same_error(A[:, :6], (2, 3), (), dict(accuracy=6))              # 6 points < 7
    _same_error(A[:, :6], (2, 3), (1.0, da.from_array(np.arange(6.0) ** 2, chunks=2)),
                dict(accuracy=6))
    _same_error(A.astype(np.float16), (2, 3), (), dict(accuracy=4))  # no k-tap kernel
    _same_error(A, (2, 3), (1.0, np.arange(11.0).astype(np.float16) ** 2),
                dict(accuracy=4))


def _same_error(a, chunks, varargs, kw):
    try:
        gradient_ext.gradient(a, *[computed(v) for v in varargs], **kw)
    except Exception as e:      # noqa: BLE001 - whatever it raises, dask raises the same now
        expected = e
    else:
        expected = None
    x = da.from_array(a, chunks=chunks)
    if expected is None:
        gradient_ext.gradient(x, *varargs, **kw)
        return
    with pytest.raises(type(expected)) as info:
        gradient_ext.gradient(x, *varargs, **kw)
    assert str(info.value) == str(expected)


def test_dask_coordinates_that_do_not_fit_raise_at_compute():
    x = da.from_array(np.arange(13.0), chunks=4)
    got = gradient_ext.gradient(da.from_array(A, chunks=3), x, 1.0, boundary="periodic",
                                period=[5.0, None])
    with pytest.raises(ValueError, match="do not fit inside one period"):
        dask.compute(*got, **SYNC)


def test_other_duck_arrays_still_refuse():
    class Duck:
        def __array_function__(self, func, types, args, kwargs):
            return "numpy's protocol"

    with pytest.raises(TypeError, match="other than dask"):
        gradient_ext.gradient(Duck(), accuracy=4)
    assert gradient_ext.gradient(Duck()) == "numpy's protocol"


def _unaligned(block):
    """The block's values in an unaligned buffer: what a distributed worker can hold
    after receiving a block over the network."""
    buf = np.empty(block.nbytes + 1, np.uint8)[1:]
    out = buf.view(block.dtype).reshape(block.shape)
    out[...] = block
    assert block.size == 0 or not out.flags.aligned
    return out


def test_unaligned_blocks_keep_every_scheme():
    """Blocks no kernel can read as they are (unaligned) are copied, never handed to
    numpy, whose only scheme is accuracy 2: every scheme keeps its bits."""
    rng = np.random.default_rng(3)
    a = rng.standard_normal((40, 36))
    x = da.from_array(a, chunks=(10, 12)).map_blocks(_unaligned, dtype=a.dtype)   # not merged
    xs = uneven(rng, 40)
    for varargs, kw in [((), {}), ((xs, 0.5), {"accuracy": 4}),
                        ((0.5,), {"boundary": "periodic", "accuracy": 6}),
                        ((), {"edge_order": 2})]:
        got = dask.compute(*gradient_ext.gradient(x, *varargs, **kw), **SYNC)
        want = gradient_ext.gradient(a, *varargs, **kw)
        assert_result_same(got, want, check_order=False)
    got = gradient_ext.derivative(x, xs, n=2, axis=0, accuracy=4).compute(**SYNC)
    want = gradient_ext.derivative(a, xs, n=2, axis=0, accuracy=4)
    assert_result_same(got, want, check_order=False)
    got = gradient_ext.divergence([x, x], accuracy=4).compute(**SYNC)
    assert_result_same(got, gradient_ext.divergence([a, a], accuracy=4), check_order=False)
