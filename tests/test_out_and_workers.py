"""``out=`` and ``workers=``: validation, identity, bits; thread-count
independence on large arrays; concurrent calls from many Python threads
(the kernels hold no mutable global state); ``openmp_info()``; and a build test in the manner of
scikit-learn's ``sklearn/tests/test_build.py``."""

import os
import threading

import numpy as np
import pytest

import gradient_ext
from gradient_ext import gradient, openmp_info
from oracle import assert_array_same, assert_result_same, numpy_gradient, quiet_ext_gradient

F2 = (np.arange(30.0).reshape(5, 6) ** 1.5).copy()


# ---------------------------------------------------------------------------
# out=: identity and bits


def _strided_out(shape, dtype, kind):
    if kind == "C":
        return np.full(shape, 7, dtype=dtype)
    if kind == "F":
        return np.full(shape, 7, dtype=dtype, order="F")
    if kind == "view":  # a sliced view (steps) of a larger array
        big = np.full(tuple(2 * s + 1 for s in shape), 7, dtype=dtype)
        return big[tuple(slice(1, None, 2) for _ in shape)]
    if kind == "reversed":
        return np.full(shape, 7, dtype=dtype)[tuple(slice(None, None, -1) for _ in shape)]
    raise ValueError(kind)


OUT_CASES = [
    ("float64", lambda: F2, (), {"axis": 0}),
    ("float32-uneven", lambda: F2.astype(np.float32), (np.array([0, 1, 3, 4, 8.0]),), {"axis": 0}),
    ("float64-edge2", lambda: F2, (0.5,), {"axis": 1, "edge_order": 2}),
    ("int64", lambda: np.arange(30).reshape(5, 6) ** 2, (), {"axis": -1}),
    ("complex128", lambda: F2 * (1 - 2j), (2.0,), {"axis": 1}),
    ("complex64-edge2", lambda: (F2 * (1 + 1j)).astype(np.complex64), (), {"axis": 0, "edge_order": 2}),
    ("float16", lambda: F2.astype(np.float16), (), {"axis": 0}),
    ("longdouble", lambda: F2.astype(np.longdouble), (), {"axis": 1}),
    ("byteswapped", lambda: F2.astype(">f8"), (), {"axis": 1}),
    ("timedelta", lambda: np.arange(30).reshape(5, 6).astype("m8[s]"), (), {"axis": 1}),
    ("datetime", lambda: np.arange(30).reshape(5, 6).astype("M8[D]"), (), {"axis": 0}),
    ("object", lambda: np.arange(30).reshape(5, 6).astype(object), (), {"axis": 1}),
    ("f-order-input", lambda: np.asfortranarray(F2), (), {"axis": 1}),
    ("3d", lambda: np.arange(60.0).reshape(3, 4, 5) ** 2, (), {"axis": 2}),
]


@pytest.mark.parametrize("kind", ["C", "F", "view", "reversed"])
@pytest.mark.parametrize("make,varargs,kw", [c[1:] for c in OUT_CASES], ids=[c[0] for c in OUT_CASES])
def test_out_single_axis_identity_and_bits(make, varargs, kw, kind):
    f = make()
    expected = quiet_ext_gradient(f, *varargs, **kw)
    assert_result_same(expected, numpy_gradient(f, *varargs, **kw))
    out = _strided_out(f.shape, expected.dtype, kind)
    res = quiet_ext_gradient(f, *varargs, out=out, **kw)
    assert res is out
    assert_array_same(np.asarray(res), np.asarray(expected), check_order=False)


@pytest.mark.parametrize("container", [list, tuple])
@pytest.mark.parametrize("kinds", [("C", "C"), ("F", "view"), ("reversed", "F")])
@pytest.mark.parametrize("make,varargs,kw", [
    (lambda: F2, (), {}),
    (lambda: F2.astype(np.float32), (0.5, np.array([0, 1, 2, 4, 5, 9.0])), {"edge_order": 2}),
    (lambda: F2 * (1 + 0.5j), (), {"axis": (1, 0)}),
    (lambda: np.arange(30, dtype=np.uint8).reshape(5, 6), (3,), {}),
    (lambda: F2.astype(np.float16), (), {}),
], ids=["float64", "float32-mixed-spacing", "complex-axes-reversed", "uint8", "float16"])
def test_out_several_axes_identity_and_bits(make, varargs, kw, kinds, container):
    f = make()
    expected = quiet_ext_gradient(f, *varargs, **kw)
    assert_result_same(expected, numpy_gradient(f, *varargs, **kw))
    outs = container(_strided_out(f.shape, e.dtype, k) for e, k in zip(expected, kinds))
    res = quiet_ext_gradient(f, *varargs, out=outs, **kw)
    assert type(res) is tuple and len(res) == len(outs)
    for r, o, e in zip(res, outs, expected):
        assert r is o
        assert_array_same(r, e, check_order=False)


def test_out_three_axes():
    f = np.arange(60.0).reshape(3, 4, 5) ** 2
    outs = [np.empty_like(f) for _ in range(3)]
    res = gradient(f, out=outs)
    assert all(r is o for r, o in zip(res, outs))
    assert_result_same(res, numpy_gradient(f), check_order=False)


# ---------------------------------------------------------------------------
# out=: validation


def _bad_out_cases():
    f = F2
    base = np.empty((5, 6))
    yield "wrong-shape", f, {"axis": 0}, np.empty((5, 5))
    yield "wrong-shape-transposed", f, {"axis": 0}, np.empty((6, 5))
    yield "wrong-shape-extra-dim", f, {"axis": 0}, np.empty((1, 5, 6))
    yield "wrong-dtype-float32", f, {"axis": 0}, np.empty((5, 6), np.float32)
    yield "wrong-dtype-complex", f, {"axis": 0}, np.empty((5, 6), np.complex128)
    yield "wrong-dtype-longdouble", f, {"axis": 0}, np.empty((5, 6), np.longdouble)
    yield "wrong-dtype-byteswapped", f, {"axis": 0}, np.empty((5, 6), ">f8")
    yield "int-input-int-out", np.arange(30).reshape(5, 6), {"axis": 0}, np.empty((5, 6), np.int64)
    ro = np.empty((5, 6))
    ro.flags.writeable = False
    yield "read-only", f, {"axis": 0}, ro
    yield "broadcast-view", f, {"axis": 0}, np.broadcast_to(np.empty(6), (5, 6))
    g = F2.copy()
    yield "out-is-input", g, {"axis": 0}, g
    g2 = np.arange(60.0).reshape(5, 12)
    yield "out-overlaps-input", g2[:, ::2], {"axis": 0}, g2[:, :6]
    g3 = np.arange(60.0).reshape(5, 12)
    yield "out-reversed-view-of-input", g3[:, :6], {"axis": 1}, g3[::-1, 5::-1]
    yield "same-out-twice", f, {}, [base, base]
    yield "outs-overlap", f, {}, [np.empty((5, 12))[:, :6], None]
    yield "too-few-outs", f, {}, [np.empty((5, 6))]
    yield "too-many-outs", f, {}, [np.empty((5, 6))] * 3
    yield "list-for-one-axis-wrong-count", f, {"axis": 1}, [np.empty((5, 6)), np.empty((5, 6))]
    yield "one-wrong-dtype-of-two", f, {}, [np.empty((5, 6)), np.empty((5, 6), np.float32)]


def _fix(case):
    name, f, kw, out = case
    if name == "outs-overlap":
        big = np.empty((5, 12))
        out = [big[:, :6], big[:, 3:9]]
    return name, f, kw, out


BAD_OUT = [_fix(c) for c in _bad_out_cases()]


@pytest.mark.parametrize("f,kw,out", [c[1:] for c in BAD_OUT], ids=[c[0] for c in BAD_OUT])
def test_out_validation_value_error(f, kw, out):
    before = f.copy()
    with pytest.raises(ValueError):
        gradient(f, out=out, **kw)
    np.testing.assert_array_equal(f, before)


# ---------------------------------------------------------------------------
# workers: validation


@pytest.mark.parametrize("workers", [0, -2, -3, -100])
def test_workers_value_error(workers):
    with pytest.raises(ValueError):
        gradient(F2, workers=workers)
    with pytest.raises(ValueError):
        gradient(np.ones((1000, 1000)), workers=workers)


@pytest.mark.parametrize("workers", [1.5, "2", 2.0, [2], 1j])
def test_workers_type_error(workers):
    with pytest.raises(TypeError):
        gradient(F2, workers=workers)


@pytest.mark.parametrize("workers", [None, 1, 2, 3, 64, -1])
def test_workers_accepted_small(workers):
    assert_result_same(gradient(F2, workers=workers), numpy_gradient(F2))


# ---------------------------------------------------------------------------
# workers: bit-identity on large arrays (threaded path)

LARGE_DTYPES = [np.float32, np.float64, np.complex64, np.complex128, np.int16, np.int64, np.uint64]


def _large(dtype, layout, rng):
    dtype = np.dtype(dtype)
    # at least 2**20 elements: below that the kernels stay on one thread
    if layout == "C":
        shape = (1100, 1000)
    elif layout == "F":
        shape = (1100, 1000)
    elif layout == "strided":
        shape = (2200, 1001)
    else:  # 3d
        shape = (104, 100, 101)
    if dtype.kind == "c":
        a = (rng.standard_normal(shape) + 1j * rng.standard_normal(shape)).astype(dtype)
    elif dtype.kind == "f":
        a = (rng.standard_normal(shape) * 1e3).astype(dtype)
    else:
        ii = np.iinfo(dtype)
        a = rng.integers(ii.min, ii.max, size=shape, dtype=dtype, endpoint=True)
    flat = a.reshape(-1)
    if dtype.kind in "fc":  # a sprinkle of specials
        flat[rng.integers(0, flat.size, 50)] = np.nan
        flat[rng.integers(0, flat.size, 50)] = np.inf
        flat[rng.integers(0, flat.size, 50)] = -0.0
    if layout == "F":
        a = np.asfortranarray(a)
    elif layout == "strided":
        a = a[::2, :-1]
    assert a.size >= 2**20
    return a


# Stress: 28 items of 24 calls each on a million elements or more; the fast tier keeps one.
LARGE_CASES = [pytest.param(dtype, layout, id=f"{np.dtype(dtype).name}-{layout}",
                            marks=() if (dtype, layout) == (np.float32, "strided")
                            else pytest.mark.slow)
               for dtype in LARGE_DTYPES for layout in ["C", "F", "strided", "3d"]]


@pytest.mark.parametrize("dtype, layout", LARGE_CASES)
def test_workers_bit_identical_large(dtype, layout):
    rng = np.random.default_rng([7, LARGE_DTYPES.index(dtype), len(layout)])
    f = _large(dtype, layout, rng)
    nd = f.ndim
    variants = [
        ((), {"axis": None, "edge_order": 1}),
        (tuple(np.cumsum(rng.uniform(0.5, 1.5, n)) for n in f.shape),
         {"axis": None, "edge_order": 2}),
        ((np.float32(0.5),), {"axis": nd - 1, "edge_order": 2}),
        ((3.0,), {"axis": 0, "edge_order": 1}),
    ]
    for varargs, kw in variants:
        expected = numpy_gradient(f, *varargs, **kw)
        first = None
        for workers in (1, 2, -1, None):
            got = gradient(f, *varargs, workers=workers, **kw)
            assert_result_same(got, expected)
            first = got if first is None else first
        # also via out= with the threaded path
        outs = ([np.empty_like(e) for e in expected] if isinstance(expected, tuple)
                else np.empty_like(expected))
        got = gradient(f, *varargs, workers=2, out=outs, **kw)
        assert_result_same(got, expected)


# ---------------------------------------------------------------------------
# concurrency from Python threads


@pytest.mark.slow
def test_concurrent_calls_from_8_threads():
    rng = np.random.default_rng(123)
    jobs = []
    specs = [
        (np.float64, (600, 500)), (np.float32, (300, 400)), (np.complex128, (200, 300)),
        (np.int64, (500, 400)), (np.float64, (40, 50, 60)), (np.complex64, (1000,)),
        (np.float64, (2_000_000,)), (np.uint8, (300, 300)),
    ]
    for i, (dt, shape) in enumerate(specs):
        a = rng.standard_normal(shape) * 100
        if np.dtype(dt).kind == "c":
            a = a + 1j * rng.standard_normal(shape)
        a = a.astype(dt)
        varargs = (0.5,) if i % 2 else tuple(np.cumsum(rng.uniform(0.5, 1.5, n)) for n in shape)
        kw = {"edge_order": 1 + i % 2, "workers": [None, 1, 2, -1][i % 4]}
        expected = numpy_gradient(a, *varargs, edge_order=kw["edge_order"])
        jobs.append((a, varargs, kw, expected))

    barrier = threading.Barrier(len(jobs))
    results = [None] * len(jobs)
    errors = []

    def work(i):
        a, varargs, kw, expected = jobs[i]
        try:
            barrier.wait()
            for _ in range(3):
                res = gradient(a, *varargs, **kw)
                assert_result_same(res, expected)
            results[i] = True
        except BaseException as e:  # noqa: BLE001 - reported below
            errors.append((i, repr(e)))

    threads = [threading.Thread(target=work, args=(i,)) for i in range(len(jobs))]
    for t in threads:
        t.start()
    for t in threads:
        t.join(timeout=300)
    assert not errors, errors
    assert all(r is True for r in results)


# ---------------------------------------------------------------------------
# openmp_info and the build


def test_openmp_info_shape():
    info = openmp_info()
    assert isinstance(info, dict)
    assert {"openmp", "threads"} <= set(info)
    assert isinstance(info["openmp"], bool)
    assert isinstance(info["threads"], int) and not isinstance(info["threads"], bool)
    assert info["threads"] >= 1
    if hasattr(os, "sched_getaffinity"):
        assert info["threads"] <= len(os.sched_getaffinity(0))
    if not info["openmp"]:
        assert info["threads"] == 1
    assert gradient_ext.openmp_info is openmp_info


def test_openmp_required_by_build():
    """Like scikit-learn's test_build: a build meant to have OpenMP must not
    silently fall back to the serial kernels."""
    if os.environ.get("GRADIENT_EXT_REQUIRE_OPENMP", "0") in ("", "0"):
        pytest.skip("set GRADIENT_EXT_REQUIRE_OPENMP=1 to require an OpenMP build")
    assert openmp_info()["openmp"] is True, (
        "gradient_ext was built without OpenMP although GRADIENT_EXT_REQUIRE_OPENMP=1; "
        "install an OpenMP-capable compiler or unset the variable")


# ---------------------------------------------------------------------------
# out= whose memory extent touches f's without sharing an element


def test_out_interleaved_with_input_is_accepted():
    """f and out interleave in one buffer (f = even columns, out = odd ones):
    their byte ranges overlap but no element is shared, so out= is valid."""
    buf = np.arange(2 * 6 * 5, dtype=np.float64).reshape(6, 10) ** 1.5
    f, out = buf[:, ::2], buf[:, 1::2]
    expected = numpy_gradient(f.copy(), axis=1)
    got = gradient(f, axis=1, out=out)
    assert got is out
    assert np.array_equal(out.view(np.uint64), expected.view(np.uint64))


def test_out_adjacent_to_input_is_accepted():
    buf = np.linspace(0.0, 3.0, 200) ** 3
    f, out = buf[:100], buf[100:]
    expected = numpy_gradient(f.copy(), 0.25, edge_order=2)
    got = gradient(f, 0.25, edge_order=2, out=out)
    assert got is out
    assert np.array_equal(out.view(np.uint64), expected.view(np.uint64))
