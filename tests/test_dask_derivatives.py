"""derivative() and laplacian() on dask arrays: lazy, the chunks kept, and bit for bit the
in-memory result on the computed array, for random chunkings (1-element chunks included),
every spacing form (numpy and dask coordinates), one-sided and periodic axes."""

import numpy as np
import pytest

import dask_checks
from dask_checks import SYNC, computed, uneven
from oracle import assert_result_same

da = pytest.importorskip("dask.array")
import dask  # noqa: E402

from gradient_ext import derivative, laplacian  # noqa: E402


def check(fn, a, chunks, *varargs, **kw):
    x = da.from_array(a, chunks=chunks)
    got = fn(x, *varargs, **kw)
    expected = fn(a, *[computed(v) for v in varargs], **kw)
    parts = got if isinstance(got, tuple) else (got,)
    assert all(isinstance(p, da.Array) and p.chunks == x.chunks for p in parts), got
    results = dask.compute(*parts, **SYNC)
    assert_result_same(results if isinstance(got, tuple) else results[0], expected,
                       check_order=False)


def random_chunks(rng, n):
    return dask_checks.random_chunks(rng, n, sizes=(1, 1, 2, 3, 5, 8))


@pytest.mark.parametrize("n", [2, 3, 4])
@pytest.mark.parametrize("acc", [2, 4, 8])
def test_derivative_one_sided(n, acc):
    rng = np.random.default_rng(100 * n + acc)
    a = rng.standard_normal((24, 17))
    x0, x1 = uneven(rng, 24), uneven(rng, 17)
    for varargs in ((), (0.5,), (x0, 0.25), (da.from_array(x0, chunks=5), x1)):
        for _ in range(2):
            chunks = (random_chunks(rng, 24), random_chunks(rng, 17))
            check(derivative, a, chunks, *varargs, n=n, accuracy=acc)
    check(derivative, a, (random_chunks(rng, 24), 17), x0, n=n, accuracy=acc, axis=0)


@pytest.mark.parametrize("n", [2, 3, 4])
@pytest.mark.parametrize("acc", [2, 6])
def test_derivative_periodic(n, acc):
    rng = np.random.default_rng(7 * n + acc)
    a = rng.standard_normal((20, 16))
    P0 = 30.0
    x0 = np.sort(rng.uniform(0, P0, 20))
    for _ in range(2):
        chunks = (random_chunks(rng, 20), random_chunks(rng, 16))
        check(derivative, a, chunks, 0.5, 0.25, n=n, accuracy=acc, boundary="periodic")
        check(derivative, a, chunks, x0, 0.25, n=n, accuracy=acc,
              boundary=["periodic", "one-sided"], period=[P0, None])
        check(derivative, a, chunks, da.from_array(x0, chunks=7), 0.25, n=n, accuracy=acc,
              boundary="periodic", period=[P0, None])


@pytest.mark.parametrize("acc", [2, 4])
def test_laplacian(acc):
    rng = np.random.default_rng(acc)
    a = rng.standard_normal((15, 12, 11))
    x1 = uneven(rng, 12)
    for varargs, kw in [((), {}), ((0.5, x1, 2.0), {}), ((x1, 0.5), {"axis": (1, 0)}),
                        ((0.5,), {"boundary": "periodic"})]:
        chunks = tuple(random_chunks(rng, m) for m in a.shape)
        check(laplacian, a, chunks, *varargs, accuracy=acc, **kw)


def test_dtypes_and_errors():
    rng = np.random.default_rng(3)
    for dtype in (np.float32, np.int16, np.complex64):
        a = (rng.standard_normal(30) * 10).astype(dtype)
        check(derivative, a, (random_chunks(rng, 30),), 0.5, n=2, accuracy=4)
    x = da.from_array(np.arange(10.0), chunks=3)
    with pytest.raises(TypeError, match="order n=2"):
        derivative(x.astype(np.float16), n=2)
    with pytest.raises(ValueError, match="needs at least"):
        derivative(x, n=4, accuracy=8)
    with pytest.raises(ValueError, match="edge_order"):
        derivative(x, n=2, edge_order=1)
    with pytest.raises(TypeError, match="out="):
        laplacian(x, out=np.empty(10))
    with pytest.raises(ValueError, match="axis"):
        laplacian(da.ones((4, 5)), axis=())
    # n=1 is gradient, on dask arrays too
    assert_result_same(derivative(x, 0.5).compute(**SYNC), derivative(np.arange(10.0), 0.5))
