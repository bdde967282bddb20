"""The streaming-store path (running/_streaming.pxi), reached on small arrays.

The kernels write the memory-bound interior with non-temporal stores only for
calls writing >= 16 MiB in lines of >= 4 KiB, sizes the rest of the suite
barely reaches.  ``set_streaming_thresholds(0, 0)`` (what
``GRADIENT_EXT_STREAMING_THRESHOLDS=0,0`` does at import) streams every call it
applies to (float64 and float32 data in their own precision, uniform spacing,
contiguous lines), so here both builds of the kernels run it over every
alignment of the output, line lengths around the vector width, divisions and
exact reciprocals, threads and out=, against numpy's gradient, bit for bit.
"""

import json
import os
import textwrap

import numpy as np
import pytest

from gradient_ext import _api
from builds import BUILDS, kernels  # noqa: F401 (a fixture)
from helpers import python
from oracle import assert_result_same, numpy_gradient

DEFAULTS = (1 << 24, 4096)       # the kernels' thresholds: 16 MiB, 4 KiB lines


@pytest.fixture
def streaming(kernels):
    """One build of the kernels, swapped in, streaming every call it can."""
    module = kernels
    previous = module.set_streaming_thresholds(0, 0)
    try:
        yield module
    finally:
        module.set_streaming_thresholds(*previous)


# Spacings: powers of two (the kernels multiply by the exact reciprocal) and
# others (they divide); Python floats are weak (float32 data stays float32).
SPACINGS = [(), (0.5,), (0.3,), (np.float32(0.1),)]


def _cases(dtype, rng):
    """(description, f, varargs, kw): 1-D lines of every length up to past two
    vectors, at every element offset from a vector boundary (the head and tail
    loops), 2-D arrays along each axis and both, edge_order 1 and 2."""
    for n in list(range(2, 40)) + [257, 1000, 4099]:
        base = rng.standard_normal(n + 8).astype(dtype)
        for offset in range(0, 8, 1 if n < 40 else 3):
            f = base[offset:offset + n]
            for varargs in SPACINGS:
                for edge_order in (1, 2) if n % 3 == 0 else (1,):
                    yield (f"n={n} offset={offset} {varargs} edge_order={edge_order}",
                           f, varargs, {"edge_order": edge_order})
    for shape in [(3, 17), (5, 64), (64, 5), (9, 1000)]:
        f = rng.standard_normal(shape).astype(dtype)
        for axis in (None, 0, 1):
            for varargs in [(), (0.5,), (0.3,)]:
                yield f"{shape} axis={axis} {varargs}", f, varargs, {"axis": axis}
    with np.errstate(all="ignore"):
        special = np.array([np.inf, -np.inf, np.nan, -0.0, 0.0, 1e-310, 3e38, -3e38, 1.0],
                           dtype=dtype)
    yield "specials", np.tile(special, 7), (0.5,), {}
    yield "specials /0.3", np.tile(special, 7), (np.float32(0.3),), {}


def _check(f, varargs, kw, out=None, workers=None):
    with np.errstate(all="ignore"):
        want = numpy_gradient(f, *varargs, **kw)
        got = _api.gradient(f, *varargs, **kw, out=out, workers=workers)
    assert_result_same(got, want, check_order=False)


@pytest.mark.parametrize("dtype", [np.float64, np.float32], ids=lambda d: np.dtype(d).name)
def test_streamed_bits_match_numpy(streaming, dtype):
    assert streaming.set_streaming_thresholds(0, 0) == (0, 0)
    rng = np.random.default_rng([11, np.dtype(dtype).itemsize])
    failures, n = [], 0
    for desc, f, varargs, kw in _cases(dtype, rng):
        n += 1
        try:
            _check(f, varargs, kw)
        except AssertionError as e:
            failures.append(f"{desc}: {e}")
    assert not failures, f"{len(failures)} of {n} differ:\n" + "\n".join(failures[:20])
    assert n > 1000, n


@pytest.mark.parametrize("dtype", [np.float64, np.float32], ids=lambda d: np.dtype(d).name)
def test_streamed_into_out_at_every_alignment_and_threads(streaming, dtype):
    rng = np.random.default_rng(5)
    itemsize = np.dtype(dtype).itemsize
    f = rng.standard_normal(300).astype(dtype)
    for offset in range(0, 40, itemsize):         # bytes off a 64-byte boundary
        buf = np.zeros(f.nbytes + 128, np.uint8)
        start = -buf.ctypes.data % 64 + offset
        out = buf[start:start + f.nbytes].view(dtype)
        _check(f, (0.5,), {}, out=out)
        _check(f, (0.3,), {"edge_order": 2}, out=out)
    # an output not aligned to its element: the kernels' own loop, same bits
    out = np.zeros(f.nbytes + 1, np.uint8)[1:].view(dtype)
    assert not out.flags.aligned
    _check(f, (0.5,), {}, out=out)
    # threads (above the threading threshold), each fencing its streamed stores
    big = rng.standard_normal((1100, 1000)).astype(dtype)
    for workers in (1, 2):
        _check(big, (0.25,), {}, workers=workers)
        _check(big, (0.3,), {"axis": 0}, out=np.empty_like(big), workers=workers)


def test_other_dtypes_are_not_streamed_and_unchanged(streaming):
    # complex, integer and float64-on-float32 calls have no streaming kernel
    rng = np.random.default_rng(6)
    f = rng.standard_normal(100)
    for a, varargs in [(f.astype(np.complex128), (0.5,)), ((f * 100).astype(np.int32), (0.5,)),
                       (f.astype(np.float32), (np.float64(0.3),)), (f, (np.float32(0.5),)),
                       (f, (np.cumsum(rng.random(100)),))]:
        _check(a, varargs, {})


def test_default_thresholds():
    for module in BUILDS:
        previous = module.set_streaming_thresholds(*DEFAULTS)
        try:
            assert previous == DEFAULTS
        finally:
            module.set_streaming_thresholds(*previous)


RUNS_WITH_OVERRIDE = textwrap.dedent("""
    import json, sys
    import numpy as np
    from gradient_ext import _runtime, gradient
    from oracle import assert_result_same, numpy_gradient
    f = np.random.default_rng(0).standard_normal((7, 300)).astype(sys.argv[1])
    for varargs in [(), (0.5,), (0.3,)]:
        assert_result_same(gradient(f, *varargs), numpy_gradient(f, *varargs))
    print(json.dumps({"override": _runtime.STREAMING_OVERRIDE,
                      "now": _runtime.kernels.set_streaming_thresholds(0, 0),
                      "kernels": _runtime.kernels.__name__}))
""")


@pytest.mark.parametrize("build, dtype", [
    pytest.param("", "float32", marks=pytest.mark.slow),      # a fresh interpreter each
    ("baseline", "float64"),
])
def test_environment_variable_is_read_at_import(build, dtype):
    env = dict(os.environ, GRADIENT_EXT_STREAMING_THRESHOLDS="0,0", GRADIENT_EXT_KERNELS=build)
    proc = python("-c", RUNS_WITH_OVERRIDE, dtype, env=env)
    assert proc.returncode == 0, proc.stderr[-3000:]
    out = json.loads(proc.stdout.strip().splitlines()[-1])
    assert out["override"] == [0, 0] and out["now"] == [0, 0], out
    if build:
        assert out["kernels"].endswith("._kernels"), out


def test_malformed_environment_variable_fails_the_import():
    proc = python("-c", "import gradient_ext",
                  env=dict(os.environ, GRADIENT_EXT_STREAMING_THRESHOLDS="16M"))
    assert proc.returncode != 0 and "GRADIENT_EXT_STREAMING_THRESHOLDS" in proc.stderr


# ---------------------------------------------------------------------------
# The operators' slabs: the output of a slab streamed when the whole output is
# large (rows=(start, stop, whole_bytes))


@pytest.mark.thread_unsafe(reason="sets the kernels' process-wide streaming thresholds")
def test_streamed_slabs_keep_the_definitions(monkeypatch):
    """Every slab streamed (thresholds 0): the mixed partial and the Hessian still
    equal their documented derivative calls, bit for bit."""
    import gradient_ext as gx
    import gradient_ext._operators as ops
    from gradient_ext._runtime import kernels as active
    previous = active.set_streaming_thresholds(0, 0)
    monkeypatch.setattr(ops, "SLAB_ELEMENTS", 1000)
    try:
        rng = np.random.default_rng(11)
        for shape in [(37, 64), (64, 37), (9, 1000)]:
            f = rng.standard_normal(shape)
            want = gx.derivative(gx.derivative(f, 0.5, axis=1), 0.3, axis=0)
            got = gx.mixed_derivative(f, 0.3, 0.5, n=(1, 1), axis=(0, 1), out=np.empty(shape))
            assert got.tobytes() == want.tobytes()
            H = gx.hessian(f, 0.3, 0.5, out=np.empty((2, 2) + shape))
            assert H[0, 1].tobytes() == want.tobytes() and H[1, 0].tobytes() == want.tobytes()
            assert H[0, 0].tobytes() == gx.derivative(f, 0.3, n=2, axis=0).tobytes()
            assert H[1, 1].tobytes() == gx.derivative(f, 0.5, n=2, axis=1).tobytes()
    finally:
        active.set_streaming_thresholds(*previous)


@pytest.mark.thread_unsafe(reason="sets the kernels' process-wide streaming thresholds")
@pytest.mark.parametrize("dtype", [np.float64, np.float32], ids=lambda d: np.dtype(d).name)
def test_streamed_taps_keep_their_bits(kernels, dtype):
    """The k-tap schemes (n > 1, accuracy > 2, periodic, the Laplacian) streamed: the
    same bits as their plain stores, along and across lines, at every alignment of
    the output, with threads."""
    rng = np.random.default_rng([12, np.dtype(dtype).itemsize])
    itemsize = np.dtype(dtype).itemsize

    def call(f, out, axis, n, accuracy, boundary, laplacian=False, workers=1):
        return kernels.gradient_call(f, (0.3,), axis, 1, workers, out, False, boundary,
                                     None, accuracy, n, laplacian)

    cases = []
    for n_, accuracy, boundary in [(1, 4, "one-sided"), (2, 2, "one-sided"), (2, 4, "periodic"),
                                   (3, 6, "one-sided"), (4, 8, "periodic"), (1, 8, "one-sided")]:
        for shape, axis in [((300,), 0), ((40, 77), 0), ((40, 77), 1), ((1100, 1000), 0)]:
            cases.append((shape, axis, n_, accuracy, boundary))
    failures = 0
    for shape, axis, n_, accuracy, boundary in cases:
        f = rng.standard_normal(shape).astype(dtype)
        for offset in range(0, 40 if f.size < 10 ** 5 else 8, itemsize):
            buf = np.zeros(f.nbytes + 128, np.uint8)
            start = -buf.ctypes.data % 64 + offset
            out = buf[start:start + f.nbytes].view(dtype).reshape(shape)
            previous = kernels.set_streaming_thresholds(1 << 60, 1 << 60)    # plain stores
            try:
                want = call(f, None, axis, n_, accuracy, boundary).copy()
                kernels.set_streaming_thresholds(0, 0)                       # every call streams
                for workers in (1, 2) if f.size > 10 ** 5 else (1,):
                    got = call(f, out, axis, n_, accuracy, boundary, workers=workers)
                    failures += got.tobytes() != want.tobytes()
            finally:
                kernels.set_streaming_thresholds(*previous)
    assert failures == 0
    # the Laplacian (later axes add to the first: never streamed), same bits either way
    f = rng.standard_normal((40, 77)).astype(dtype)
    want = call(f, None, None, 2, 4, "one-sided", laplacian=True).copy()
    previous = kernels.set_streaming_thresholds(0, 0)
    try:
        got = call(f, None, None, 2, 4, "one-sided", laplacian=True)
    finally:
        kernels.set_streaming_thresholds(*previous)
    assert got.tobytes() == want.tobytes()
