"""Shared helpers of the dask tests: a lazy gradient checked against an oracle, chunkings."""

import warnings

import numpy as np
import pytest

from oracle import assert_result_same

da = pytest.importorskip("dask.array")
import dask  # noqa: E402

import gradient_ext  # noqa: E402

SYNC = {"scheduler": "sync"}


def computed(v):
    return v.compute(**SYNC) if isinstance(v, da.Array) else v


def check_lazy(oracle, a, chunks, *varargs, **kw):
    """gradient_ext on da.from_array(a, chunks) is lazy, keeps the chunks, and computes
    to ``oracle(a, *computed varargs, **kw)`` bit for bit."""
    x = da.from_array(a, chunks=chunks)
    got = gradient_ext.gradient(x, *varargs, **kw)
    expected = oracle(a, *[computed(v) for v in varargs], **kw)
    parts = got if isinstance(got, tuple) else (got,)
    assert all(isinstance(p, da.Array) and p.chunks == x.chunks for p in parts), got
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", RuntimeWarning)
        results = dask.compute(*parts, **SYNC)
    for p, c in zip(parts, results):
        assert p.dtype == c.dtype, (p.dtype, c.dtype)
    assert_result_same(results if isinstance(got, tuple) else results[0], expected,
                       check_order=False)


def random_chunks(rng, n, sizes=(1, 1, 2, 3, 4, 7)):
    """Chunk sizes summing to n, drawn from `sizes` (many of them 1 or 2 elements)."""
    chunks = []
    while sum(chunks) < n:
        chunks.append(int(rng.choice(list(sizes))))
    chunks[-1] -= sum(chunks) - n
    return tuple(s for s in chunks if s)


def uneven(rng, n, dtype=np.float64):
    return np.cumsum(rng.random(n) + 0.1).astype(dtype)


def locally_even(n):
    """Globally uneven coordinates whose first chunks look evenly spaced."""
    x = np.arange(n, dtype=np.float64)
    x[-1] += 0.5
    return x
