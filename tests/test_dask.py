"""Dask arrays: lazy results computed by the kernels, bit-identical to numpy.gradient
on the whole computed array, for any chunking.

Every check computes gradient_ext.gradient(dask_array, ...) and compares it,
bit for bit, with numpy.gradient on the computed array and computed spacings
(oracle.assert_result_same), after checking that the result is lazy, has the
input's chunks and numpy's return type.
"""

import textwrap

import numpy as np
import pytest
from hypothesis import given, settings, strategies as st

from oracle import NUMPY_GRADIENT, assert_result_same, numpy_gradient
from dask_checks import SYNC, check_lazy, locally_even, random_chunks, uneven
from helpers import python
from tiers import PARTS, Share

da = pytest.importorskip("dask.array")
import dask  # noqa: E402

import gradient_ext  # noqa: E402
from gradient_ext._integrations.chunks import kernel_gradient  # noqa: E402

def check(a, chunks, *varargs, **kw):
    """gradient_ext on da.from_array(a, chunks) against numpy on `a`, bit for bit."""
    def oracle(f, *spacing, workers=None, **numpy_kw):
        return numpy_gradient(f, *spacing, **numpy_kw)
    check_lazy(oracle, a, chunks, *varargs, **kw)


RNG = np.random.default_rng(20240607)
A2 = RNG.standard_normal((13, 11))
CHUNKINGS = [(1, 1), (2, 3), ((1, 2, 1, 4, 5), (3, 1, 1, 6)), (13, 11), (4, 4), ((12, 1), (1, 10))]


# The large loops are split between the tiers by tiers.Share: the "fast" items
# sample every dimension of the loop, the "rest" items (slow tier) run the others.
@pytest.mark.parametrize("part", PARTS)
@pytest.mark.parametrize("chunks", CHUNKINGS, ids=str)
@pytest.mark.parametrize("edge_order", [1, 2])
def test_spacing_forms(chunks, edge_order, part):
    share = Share(part, every=16)
    rng = np.random.default_rng(1)
    xs, ys = uneven(rng, 13), uneven(rng, 11)
    forms = [(), (0.5,), (np.float64(0.5),), (2,), (xs, ys), (xs, 2.0), (np.float32(3.0), ys),
             (np.arange(13), np.arange(11) * 3), (locally_even(13), locally_even(11)),
             (da.from_array(xs, chunks=3), da.from_array(ys, chunks=5)),
             (da.from_array(locally_even(13), chunks=4), 1.5),
             (da.arange(13, chunks=5) * 3, da.from_array(np.arange(11.0) * 0.75, chunks=2)),
             (np.arange(13) * 3, np.arange(11.0) * 0.75)]   # evenly spaced: numpy's scalar
    for i, varargs in enumerate(forms):
        if share(chunks, edge_order, i):
            check(A2, chunks, *varargs, edge_order=edge_order)
    assert share.seen == len(forms)


@pytest.mark.parametrize("dtype", ["float64", "float32", "complex128", "complex64", "int16",
                                   "uint8", "float16", "longdouble", "object", "M8[s]", "m8[ms]"])
@pytest.mark.parametrize("part", PARTS)
@pytest.mark.parametrize("edge_order", [1, 2])
def test_dtypes(dtype, edge_order, part):
    share = Share(part, every=16)
    rng = np.random.default_rng(2)
    a = (A2 * 50).astype(dtype) if dtype[0] not in "Mm" else (A2 * 1e3).astype("int64").astype(dtype)
    if dtype == "complex128":
        a = a + 1j * A2[::-1]
    xs = uneven(rng, 13)
    for chunks in [(1, 2), ((1, 2, 1, 4, 5), (3, 1, 1, 6)), (5, 4)]:
        if share(dtype, edge_order, chunks, "none"):
            check(a, chunks, edge_order=edge_order)
        if share(dtype, edge_order, chunks, "uneven"):
            check(a, chunks, xs, 0.5, edge_order=edge_order)
        if dtype[0] not in "Mm" and share(dtype, edge_order, chunks, "locally even"):
            check(a, chunks, locally_even(13), np.float32(2), edge_order=edge_order)


@pytest.mark.parametrize("cdtype", ["float16", "float32", "int32", "object"])
@pytest.mark.parametrize("part", PARTS)
@pytest.mark.parametrize("edge_order", [1, 2])
def test_coordinate_dtypes(cdtype, edge_order, part):
    """Coordinates the kernels take (float32) and the ones numpy's path takes."""
    share = Share(part, every=16)
    rng = np.random.default_rng(3)
    for i, xs in enumerate((uneven(rng, 13) * 8, locally_even(13), np.arange(13) * 4.0)):
        xs = xs.astype(cdtype)
        for chunks in [(1, 11), (3, 4), ((2, 1, 10), 11)]:
            if share(cdtype, edge_order, i, chunks, "f64"):
                check(A2, chunks, xs, 1.0, edge_order=edge_order)
            if share(cdtype, edge_order, i, chunks, "f32"):
                check(A2.astype(np.float32), chunks, xs, 1.0, edge_order=edge_order)
            if share(cdtype, edge_order, i, chunks, "dask"):
                check(A2, chunks, da.from_array(xs, chunks=4), 1.0, edge_order=edge_order)


@pytest.mark.parametrize("part", PARTS)
@pytest.mark.parametrize("edge_order", [1, 2])
def test_thin_chunks_at_the_ends(edge_order, part):
    """1-element chunks at both ends: edge_order=2 needs points from further blocks."""
    share = Share(part, every=12)
    rng = np.random.default_rng(4)
    a = rng.standard_normal(9)
    for chunks in [((1, 1, 1, 1, 1, 1, 1, 1, 1),), ((1, 7, 1),), ((2, 5, 2),), ((1, 2, 6),),
                   ((6, 2, 1),), ((3,) * 3,)]:
        for varargs in [(), (0.25,), (uneven(rng, 9),), (locally_even(9),),
                        (locally_even(9).astype(np.float16),),
                        (da.from_array(uneven(rng, 9), chunks=2),)]:
            for dtype in (np.float64, np.float16):
                if share(edge_order, chunks, str(varargs), dtype):
                    check(a.astype(dtype), chunks, *varargs, edge_order=edge_order)


@pytest.mark.parametrize("edge_order", [1, 2])
def test_short_axes(edge_order):
    """Axes of exactly edge_order + 1 points, split in every way."""
    n = edge_order + 1
    a = np.arange(n * 4, dtype=np.float64).reshape(n, 4) ** 2
    for chunks in [(1, 4), (n, 1), (1, 2)]:
        check(a, chunks, edge_order=edge_order)
        check(a, chunks, np.array([0.0, 1.0, 3.0][:n]), 1.0, edge_order=edge_order)


@pytest.mark.parametrize("part", PARTS)
def test_axis_forms_and_return_types(part):
    share = Share(part, every=8)
    a = RNG.standard_normal((6, 5, 4))
    rng = np.random.default_rng(5)
    for axis in [None, 0, -1, 1, (0, 2), (2, 0), (-1,), ()]:
        for chunks in [(1, 2, 3), (6, 5, 4), (4, 1, 2)]:
            for varargs in [(), (0.5,)]:
                if share(axis, chunks, varargs):
                    check(a, chunks, *varargs, axis=axis)
    check(a, (2, 2, 2), uneven(rng, 4), axis=-1)
    check(a, (2, 2, 2), uneven(rng, 4), uneven(rng, 6), axis=(2, 0), edge_order=2)
    assert isinstance(gradient_ext.gradient(da.ones(5, chunks=2)), da.Array)
    assert gradient_ext.gradient(da.from_array(np.float64(3.0))) == ()
    assert gradient_ext.gradient(da.ones((3, 4)), axis=()) == ()


def test_empty_along_other_axes():
    check(np.zeros((0, 7)), (1, 2), axis=1)
    check(np.zeros((5, 0)), (2, 1), axis=0, edge_order=2)


def test_empty_chunks_along_the_gradient_axis():
    rng = np.random.default_rng(0)
    for chunks in [((3, 0, 4, 0, 6), (0, 11)), ((0, 1, 0, 12), (5, 0, 6))]:
        for eo in (1, 2):
            check(A2, chunks, uneven(rng, 13), 1.0, edge_order=eo)
            check(A2.astype(np.float16), chunks, edge_order=eo)


@pytest.mark.parametrize("part", PARTS)
def test_random_chunkings_3d(part):
    share = Share(part, every=8)
    rng = np.random.default_rng(6)
    a = rng.standard_normal((9, 8, 7)).astype(np.float32)
    for i in range(6):
        chunks = tuple(random_chunks(rng, n) for n in a.shape)
        eo = int(rng.integers(1, 3))
        varargs = (uneven(rng, 9), 2.0,
                   da.from_array(uneven(rng, 7), chunks=random_chunks(rng, 7)))
        if share(i, "uniform"):
            check(a, chunks, edge_order=eo)
        if share(i, "coordinates"):
            check(a, chunks, *varargs, edge_order=eo)


def test_workers_give_the_same_bits():
    a = RNG.standard_normal((1100, 1000))
    for workers in (1, 2, -1, None):
        check(a, (600, 500), workers=workers)


def test_dask_scalar_spacing():
    for spacing in (da.from_array(np.float64(0.5)), da.from_array(np.float32(2.0))):
        check(A2, (3, 4), spacing)
        check(A2.astype(np.float32), (3, 4), spacing, 1.0, edge_order=2)


def test_numpy_data_with_dask_coordinates():
    rng = np.random.default_rng(7)
    xs = uneven(rng, 13)
    got = gradient_ext.gradient(A2, da.from_array(xs, chunks=4), 1.0)
    assert all(isinstance(g, da.Array) for g in got)
    assert_result_same(dask.compute(*got, **SYNC), numpy_gradient(A2, xs, 1.0), check_order=False)


def test_threaded_scheduler():
    rng = np.random.default_rng(8)
    a = rng.standard_normal((40, 30))
    x = da.from_array(a, chunks=(7, 1))
    xs = da.from_array(uneven(rng, 40), chunks=3)
    got = dask.compute(*gradient_ext.gradient(x, xs, 0.5, edge_order=2), scheduler="threads")
    assert_result_same(got, numpy_gradient(a, xs.compute(), 0.5, edge_order=2), check_order=False)


# ---------------------------------------------------------------------------
# Errors: raised at call time, with the type the in-memory call raises


ERROR_CASES = [
    ("too many spacings", (1.0, 2.0, 3.0), {}),
    ("2-D coordinates", (np.ones((13, 11)), 1.0), {}),
    ("coordinate length", (np.arange(12.0), 1.0), {}),
    ("one coordinate", (np.arange(13.0),), {"axis": 1}),
    ("edge_order 3", (), {"edge_order": 3}),
    ("edge_order 0", (), {"edge_order": 0}),
    ("bad axis", (), {"axis": 2}),
    ("repeated axis", (), {"axis": (0, 0)}),
    ("workers 0", (), {"workers": 0}),
    ("workers 1.5", (), {"workers": 1.5}),
    ("string spacing", ("a",), {}),
    ("None spacing", (None,), {}),
    ("python 0 edge 2", (0,), {"edge_order": 2}),
]


@pytest.mark.parametrize("desc,varargs,kw", ERROR_CASES, ids=[c[0] for c in ERROR_CASES])
def test_errors_are_eager(desc, varargs, kw):
    with pytest.raises(Exception) as in_memory:
        gradient_ext.gradient(A2, *varargs, **kw)
    x = da.from_array(A2, chunks=(1, 4))
    with pytest.raises(type(in_memory.value)):
        gradient_ext.gradient(x, *varargs, **kw)


def test_dtype_errors_are_eager():
    for a, varargs in [(A2 > 0, ()), (A2.astype("U3"), ()),
                       (A2.astype("M8[s]"), (1j,))]:
        with pytest.raises(TypeError):
            NUMPY_GRADIENT(a, *varargs)
        with pytest.raises(TypeError):
            gradient_ext.gradient(da.from_array(a, chunks=5), *varargs)


def test_too_small_axis():
    x = da.ones((2, 5), chunks=1)
    with pytest.raises(ValueError, match="too small"):
        gradient_ext.gradient(x, edge_order=2)
    with pytest.raises(ValueError, match="too small"):
        gradient_ext.gradient(da.ones((1, 5)), np.arange(1.0), 1.0)


def test_dask_coordinate_errors():
    x = da.ones((13, 11), chunks=4)
    with pytest.raises(ValueError, match="match"):
        gradient_ext.gradient(x, da.arange(12, chunks=5), 1.0)
    with pytest.raises(ValueError, match="1d"):
        gradient_ext.gradient(x, da.ones((13, 2)), 1.0)


def test_unknown_chunks():
    x = da.from_array(A2, chunks=4)
    y = x[x[:, 0] > -10]                          # NaN chunk sizes along axis 0
    with pytest.raises(ValueError, match="unknown"):
        gradient_ext.gradient(y)
    with pytest.raises(ValueError, match="unknown"):
        gradient_ext.gradient(y, axis=0)
    with pytest.raises(ValueError, match="unknown"):
        gradient_ext.gradient(x, y[:, 0], 1.0)
    got = gradient_ext.gradient(y, axis=1)       # unknown only along another axis
    assert_result_same(got.compute(**SYNC), numpy_gradient(A2, axis=1), check_order=False)
    thin = da.from_array(A2, chunks=(4, 1))
    thin = thin[thin[:, 0] > -10]                 # and 1-wide chunks, merged for the stencil
    got = gradient_ext.gradient(thin, axis=1, edge_order=2)
    assert got.chunks[1] == (1,) * A2.shape[1]
    assert_result_same(got.compute(**SYNC), numpy_gradient(A2, axis=1, edge_order=2),
                       check_order=False)


def test_out_is_refused():
    x = da.ones((4, 4), chunks=2)
    with pytest.raises(TypeError, match="out="):
        gradient_ext.gradient(x, out=(np.empty((4, 4)), np.empty((4, 4))))


# ---------------------------------------------------------------------------
# The graph: thin halos, lazy and small


def test_halos_are_thin_and_nothing_computes_early():
    """Blocks are never copied into overlapped ones: each task gets thin slabs of its
    neighbours along the axis it differentiates (no corners), and nothing is read
    before compute()."""
    x = da.from_array(RNG.standard_normal((60, 50)), chunks=(10, 1))
    computed = []

    def spy(block):
        if block.size:                            # dask calls it on an empty meta
            computed.append(block.shape)
        return block

    y = x.map_blocks(spy, dtype=x.dtype)
    xs = np.cumsum(RNG.random(60))
    gx, gy = gradient_ext.gradient(y, da.from_array(xs, chunks=7), 1.0, edge_order=2)
    assert computed == []                         # lazy: no block was read
    graph = dict(gx.dask)
    halo_keys = [k for k in graph
                 if isinstance(k, tuple) and str(k[0]).startswith("gradient_ext-halo-")]
    assert halo_keys
    for _, _, axis, lo, hi, *_ in halo_keys:      # slabs one element deep (half = 1)
        assert hi - lo == 1
    assert {k[2] for k in halo_keys} == {0, 1}    # along each differentiated axis
    blocks = [k for k in graph if str(k[0]).startswith("gradient_ext-blocks-")]
    assert len(blocks) == 6 * 16                  # 1-wide chunks merged to 3 (+ the rest)
    assert computed == []
    want = numpy_gradient(x.compute(), xs, 1.0, edge_order=2)
    got = dask.compute(gx, gy, **SYNC)
    assert_result_same(got, want, check_order=False)


def test_import_does_not_import_dask():
    code = textwrap.dedent("""
        import sys
        import numpy as np
        import gradient_ext
        a = np.ones((5, 4))
        gradient_ext.gradient(a); gradient_ext.gradient(a, np.arange(5.0) ** 2, 1.0)
        gradient_ext.gradient(a.astype(np.float16)); gradient_ext.gradient([1, 2, 4])
        assert not [m for m in sys.modules if m.split(".")[0] in ("dask", "distributed", "xarray")]
        assert "gradient_ext._integrations.dask_arrays" not in sys.modules
    """)
    proc = python("-c", code, timeout=60)
    assert proc.returncode == 0, proc.stderr[-3000:]


# ---------------------------------------------------------------------------
# Hypothesis: random chunkings of random shapes


@st.composite
def chunked(draw):
    ndim = draw(st.integers(1, 3))
    shape = tuple(draw(st.integers(3, 9)) for _ in range(ndim))
    chunks = []
    for n in shape:
        sizes = []
        while sum(sizes) < n:
            sizes.append(draw(st.integers(1, n)))
        sizes[-1] -= sum(sizes) - n
        chunks.append(tuple(s for s in sizes if s))
    return shape, tuple(chunks)


@settings(max_examples=40)
@given(chunked(), st.sampled_from([1, 2]), st.sampled_from(["none", "scalar", "coords", "dask"]),
       st.sampled_from([np.float64, np.float32, np.float16]), st.integers(0, 2**32 - 1))
def test_hypothesis_chunkings(shape_chunks, edge_order, form, dtype, seed):
    shape, chunks = shape_chunks
    rng = np.random.default_rng(seed)
    a = rng.standard_normal(shape).astype(dtype)
    if form == "none":
        varargs = ()
    elif form == "scalar":
        varargs = (float(rng.random() + 0.5),)
    else:
        coords = [uneven(rng, n) if rng.random() < 0.5 else locally_even(n) for n in shape]
        if form == "dask":
            coords = [da.from_array(c, chunks=int(rng.integers(1, len(c) + 1))) for c in coords]
        varargs = tuple(coords)
    check(a, chunks, *varargs, edge_order=edge_order)


def test_kernel_interface_still_declines_what_it_cannot_do():
    """The stable interface dask_arrays relies on: None for float16, lists for float64."""
    a = np.ones((4, 4))
    assert kernel_gradient(a.astype(np.float16), [1.0], (0,), 1) is None
    got = kernel_gradient(a, [np.arange(4.0), 1.0], (0, 1), 2)
    assert len(got) == 2


# ---------------------------------------------------------------------------
# distributed: the graph pickles and runs on worker processes


CLUSTER_SCRIPT = textwrap.dedent("""
    import numpy as np
    import dask, dask.array as da
    from distributed import Client, LocalCluster
    import gradient_ext
    from gradient_ext._runtime import NUMPY_GRADIENT

    def same_bits(got, want):
        return all(g.dtype == w.dtype and g.shape == w.shape and g.tobytes() == w.tobytes()
                   for g, w in zip(got, want))

    if __name__ == "__main__":
        rng = np.random.default_rng(0)
        a = rng.standard_normal((90, 70))
        xs = np.cumsum(rng.random(90) + 0.1)
        ys = np.arange(70.0)
        ys[40] += 0.5                          # uneven globally, even in most chunks
        with LocalCluster(n_workers=2, processes=True, threads_per_worker=1,
                          dashboard_address=None) as cluster, Client(cluster) as client:
            x = da.from_array(a, chunks=((1, 29, 30, 30), (2, 20, 47, 1)))
            dys = da.from_array(ys, chunks=9)
            for varargs, eo in [((), 1), ((xs, dys), 2), ((0.5, dys), 1)]:
                got = client.compute(list(gradient_ext.gradient(x, *varargs, edge_order=eo)),
                                     sync=True)
                want = NUMPY_GRADIENT(a, *[np.asarray(v) for v in varargs], edge_order=eo)
                assert same_bits(got, want), (varargs, eo)
            assert len(client.scheduler_info()["workers"]) == 2
        print("cluster ok")
""")


@pytest.mark.slow
def test_distributed_local_cluster(tmp_path):
    pytest.importorskip("distributed")
    script = tmp_path / "cluster_check.py"
    script.write_text(CLUSTER_SCRIPT)
    done = python(str(script), timeout=90, cwd=tmp_path)
    assert done.returncode == 0, done.stdout + done.stderr
    assert "cluster ok" in done.stdout


# ---------------------------------------------------------------------------
# xarray: DataArray.differentiate on dask-backed data goes through dask.array.gradient


def test_xarray_differentiate_with_patched_dask_gradient(monkeypatch):
    xr = pytest.importorskip("xarray")
    rng = np.random.default_rng(9)
    data = rng.standard_normal((30, 20))
    lat = np.cumsum(rng.random(30) + 0.5)
    lon = np.arange(20) * 1.5
    numpy_backed = xr.DataArray(data, dims=("lat", "lon"), coords={"lat": lat, "lon": lon})
    expected = {(dim, eo): numpy_backed.differentiate(dim, edge_order=eo)
                for dim in ("lat", "lon") for eo in (1, 2)}
    calls = []

    def spy(*args, **kwargs):                   # gradient_ext.gradient, counting calls
        calls.append(kwargs)
        return gradient_ext.gradient(*args, **kwargs)

    monkeypatch.setattr(da, "gradient", spy)
    dask_backed = numpy_backed.chunk({"lat": 7, "lon": 1})
    for (dim, eo), want in expected.items():
        got = dask_backed.differentiate(dim, edge_order=eo)
        assert isinstance(got.data, da.Array)
        computed = got.compute(scheduler="sync")
        assert computed.dims == want.dims
        assert_result_same(computed.values, want.values, check_order=False)
    assert len(calls) == 4 and all("axis" in kw and "edge_order" in kw for kw in calls)


@pytest.mark.slow
def test_bench_dask_rows_check_bits():
    """The bench's dask rows run and check their results (no timing is asserted)."""
    import io
    from gradient_ext._bench import bench
    out = io.StringIO()
    assert bench(quick=True, cases=["dask coordinates"], file=out, reps=1) == 0
    assert "dask coordinates" in out.getvalue() and "MISMATCH" not in out.getvalue()
    assert "speed table" not in out.getvalue()     # dask rows only: no in-memory table
