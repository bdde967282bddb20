"""nan="split": each run of finite values along an axis is its own array.

The oracle cuts every line along the axis into its maximal runs of finite
values and calls the same function on each run alone (``boundary="one-sided"``;
numpy.gradient itself for the accuracy-2 gradient): gradient_ext's values on
the run must equal that call's bit for bit; runs the call rejects (too short
for the stencil) and the non-finite points themselves give NaN.  On a periodic
axis the run holding both ends is the two pieces joined across the wrap.  A
Laplacian or a divergence is the sum of its axes' split derivatives, in the
planner's order.  Beyond the oracle: points farther than the stencils' reach
from every non-finite value keep nan="propagate"'s bits.
"""

import numpy as np
import pytest
from hypothesis import given, settings, strategies as st

import gradient_ext as gx
from oracle import assert_array_same, numpy_gradient

SCHEMES = [(1, 2), (1, 4), (1, 8), (2, 2), (2, 4), (3, 6), (4, 2), (4, 8)]


def standalone(seg, x, n, accuracy, edge_order, periodic=False):
    """The function on one run alone, or None where it rejects the run."""
    try:
        if n == 1 and accuracy == 2:
            if len(seg) < edge_order + 1:
                return None
            return numpy_gradient(seg, x, edge_order=edge_order)
        return gx.derivative(seg, x, n=n, accuracy=accuracy)
    except ValueError:
        return None


def runs(bad):
    """(start, stop) of each maximal run of False in `bad`."""
    out, i, m = [], 0, len(bad)
    while i < m:
        if bad[i]:
            i += 1
            continue
        j = i
        while j < m and not bad[j]:
            j += 1
        out.append((i, j))
        i = j
    return out


def line_oracle(f, x, n, accuracy, edge_order, periodic=False):
    """The split result along one line (float64 or complex), NaN elsewhere."""
    bad = ~np.isfinite(f)
    m = len(f)
    out = np.full(m, np.nan, dtype=np.result_type(f.dtype, np.float64)
                  if f.dtype.kind in "iu" else f.dtype)
    if periodic and not bad.any():
        kw = {"boundary": "periodic"}
        return (gx.gradient(f, x, **kw) if n == 1 and accuracy == 2
                else gx.derivative(f, x, n=n, accuracy=accuracy, **kw))
    pieces = runs(bad)
    if periodic and not bad[0] and not bad[-1]:
        (a0, b0), (a1, b1) = pieces[0], pieces[-1]
        pieces = pieces[1:-1]
        seg = np.concatenate((f[a1:b1], f[a0:b0]))
        r = standalone(seg, x, n, accuracy, edge_order)
        if r is not None:
            out[a1:b1], out[a0:b0] = r[:b1 - a1], r[b1 - a1:]
    for a, b in pieces:
        r = standalone(f[a:b], x[a:b] if np.ndim(x) else x, n, accuracy, edge_order)
        if r is not None:
            out[a:b] = r
    return out


def axis_oracle(f, x, axis, n, accuracy, edge_order=1, periodic=False):
    g = np.moveaxis(f, axis, -1)
    out = None
    for idx in np.ndindex(g.shape[:-1]):
        r = line_oracle(g[idx], x, n, accuracy, edge_order, periodic)
        if out is None:
            out = np.empty(g.shape, r.dtype)
        out[idx] = r
    return np.moveaxis(out, -1, axis)


def assert_split_same(got, want):
    """NaN exactly where the oracle has NaN, the same bits elsewhere."""
    assert got.dtype == want.dtype and got.shape == want.shape
    gn, wn = np.isnan(got), np.isnan(want)
    assert np.array_equal(gn, wn), f"NaN at {np.argwhere(gn != wn)[:5].tolist()}"
    assert_array_same(got[~gn], want[~wn])


def scheme_call(n, accuracy):
    """The function and keywords a scheme is called with: numpy's own gradient for
    (1, 2), derivative otherwise."""
    if (n, accuracy) == (1, 2):
        return gx.gradient, {}
    return gx.derivative, {"n": n, "accuracy": accuracy}


def with_holes(shape, dtype, rng, fraction=0.15, special=(np.nan,)):
    f = rng.standard_normal(shape)
    if np.dtype(dtype).kind == "c":
        f = f + 1j * rng.standard_normal(shape)
    f = f.astype(dtype)
    holes = rng.random(shape) < fraction
    f[holes] = rng.choice(np.array(special, dtype=dtype), holes.sum())
    return f


@pytest.mark.parametrize("dtype", [np.float64, np.float32, np.complex128])
@pytest.mark.parametrize("n, accuracy", SCHEMES)
def test_every_run_is_its_own_array_1d(n, accuracy, dtype):
    rng = np.random.default_rng(n * 10 + accuracy)
    for trial in range(40):
        m = int(rng.integers(n + accuracy, 60))
        f = with_holes(m, dtype, rng, special=(np.nan, np.inf, -np.inf))
        for x in (0.5, np.cumsum(rng.uniform(0.5, 1.5, m))):
            for eo in ((1, 2) if (n, accuracy) == (1, 2) else (1,)):
                kw = {"edge_order": eo} if (n, accuracy) == (1, 2) else {"n": n,
                                                                      "accuracy": accuracy}
                func = gx.gradient if (n, accuracy) == (1, 2) else gx.derivative
                got = func(f, x, nan="split", **kw)
                assert_split_same(got, line_oracle(f, x, n, accuracy, eo))


@pytest.mark.parametrize("n, accuracy", SCHEMES)
def test_an_infinity_beside_a_nan_gets_nan(n, accuracy):
    # The kernels skip writing NaN where the sweep's stencil already read a NaN.
    # An end's uniform row can have weight 0 next to its point (accuracy 8: the
    # tap is skipped), so there the infinity's own value would survive: every
    # position of a NaN-and-infinity pair, along the line and across lines.
    m = n + accuracy + 6
    base = np.linspace(-1.0, 2.0, m) ** 2
    for i in range(m - 1):
        for pair in ((np.nan, np.inf), (-np.inf, np.nan), (np.inf, -np.inf)):
            f = base.copy()
            f[i:i + 2] = pair
            func, kw = scheme_call(n, accuracy)
            assert_split_same(func(f, 0.5, nan="split", **kw),
                              line_oracle(f, 0.5, n, accuracy, 1))
            g = np.repeat(f[:, None], 3, axis=1)        # the same, across lines
            assert_split_same(func(g, 0.5, axis=0, nan="split", **kw),
                              axis_oracle(g, 0.5, 0, n, accuracy))


@pytest.mark.parametrize("dtype", [np.float64, np.float32])
@pytest.mark.parametrize("n, accuracy", [(1, 2), (1, 8), (2, 4), (4, 8)])
def test_patches_on_the_blocks_of_32(n, accuracy, dtype):
    # The kernels class each line's blocks of 32 points (clean, all NaN, mixed)
    # and skip blocks whose class says nothing can change: patches of land
    # exactly on a block, one point past it, one point short, an infinity or a
    # lone finite value inside an all-NaN block, NaN on the last point of a
    # block and the first of the next; along lines and across them.
    m = 203
    f = (np.linspace(-1.0, 2.0, m) ** 2).astype(dtype)
    for lo, hi in ((32, 64), (95, 129), (161, 191)):
        f[lo:hi] = np.nan
    f[40], f[110] = np.inf, 0.5             # not all NaN: mixed blocks
    f[159] = f[192] = np.nan                # a block's last point, the next's first
    func, kw = scheme_call(n, accuracy)
    assert_split_same(func(f, 0.5, nan="split", **kw), line_oracle(f, 0.5, n, accuracy, 1))
    g = np.repeat(f[:, None], 40, axis=1)   # the same pattern across lines ...
    g[70:75, :] = np.nan                    # ... and a band across them
    assert_split_same(func(g, 0.5, axis=0, nan="split", **kw),
                      axis_oracle(g, 0.5, 0, n, accuracy))
    assert_split_same(func(g.T.copy(), 0.5, axis=1, nan="split", **kw),
                      axis_oracle(g.T.copy(), 0.5, 1, n, accuracy))


@pytest.mark.parametrize("layout", ["C", "F", "negstrides"])
@pytest.mark.parametrize("n, accuracy", [(1, 2), (1, 6), (2, 2), (3, 4)])
def test_every_axis_of_2d_and_3d(n, accuracy, layout):
    rng = np.random.default_rng(7)
    for shape in [(17, 23), (9, 11, 14)]:
        if min(shape) < n + accuracy:
            continue
        f = with_holes(shape, np.float64, rng, fraction=0.12)
        f = {"C": f, "F": np.asfortranarray(f), "negstrides": f[::-1, ::-1]}[layout]
        xs = [np.cumsum(rng.uniform(0.5, 1.5, m)) for m in shape]
        for spacing in ([0.25] * len(shape), xs):
            func, kw = scheme_call(n, accuracy)
            got = func(f, *spacing, nan="split", **kw)
            for ax in range(len(shape)):
                assert_split_same(got[ax], axis_oracle(f, spacing[ax], ax, n, accuracy))


@pytest.mark.parametrize("accuracy", [2, 4, 8])
def test_laplacian_divergence_and_curl_sum_split_terms(accuracy):
    rng = np.random.default_rng(11)
    shape = (19, 21)
    f = with_holes(shape, np.float64, rng, fraction=0.1)
    g = with_holes(shape, np.float64, rng, fraction=0.1)
    xs = [np.cumsum(rng.uniform(0.5, 1.5, m)) for m in shape]
    for spacing in ([0.5, 0.25], xs):
        d0 = axis_oracle(f, spacing[0], 0, 2, accuracy)
        d1 = axis_oracle(f, spacing[1], 1, 2, accuracy)
        assert_split_same(gx.laplacian(f, *spacing, accuracy=accuracy, nan="split"), d0 + d1)
        kw = {"accuracy": accuracy} if accuracy > 2 else {}
        u0 = axis_oracle(f, spacing[0], 0, 1, accuracy)
        v1 = axis_oracle(g, spacing[1], 1, 1, accuracy)
        assert_split_same(gx.divergence([f, g], *spacing, nan="split", **kw), u0 + v1)
        u1 = axis_oracle(f, spacing[1], 1, 1, accuracy)
        v0 = axis_oracle(g, spacing[0], 0, 1, accuracy)
        assert_split_same(gx.curl([f, g], *spacing, nan="split", **kw), v0 - u1)


@pytest.mark.parametrize("n, accuracy", [(1, 2), (1, 4), (2, 2), (2, 8)])
def test_periodic_runs_continue_across_the_ends(n, accuracy):
    rng = np.random.default_rng(13)
    for trial in range(60):
        m = int(rng.integers(n + accuracy + 2, 40))
        f = with_holes(m, np.float64, rng, fraction=0.15)
        if trial % 5 == 0:
            f[:] = rng.standard_normal(m)           # no hole: the periodic call itself
        func, kw = scheme_call(n, accuracy)
        got = func(f, 0.5, nan="split", boundary="periodic", **kw)
        assert_split_same(got, line_oracle(f, 0.5, n, accuracy, 1, periodic=True))


@pytest.mark.parametrize("n, accuracy", [(1, 2), (1, 8), (2, 4), (4, 8)])
@pytest.mark.parametrize("periodic", [False, True])
def test_runs_across_the_units_of_long_lines(n, accuracy, periodic):
    # Lines longer than a unit of work (4096 points) are cut into segments, each
    # corrected after its own sweep from a window reaching into its neighbours:
    # holes on and beside the cuts, and near the ends (periodic: the wrap), on
    # one thread and on two, along the line and across lines.
    rng = np.random.default_rng(29)
    m = 3 * 4096 + 37
    base = np.sin(np.linspace(0.0, 40.0, m))
    func, kw = scheme_call(n, accuracy)
    kw["boundary"] = "periodic" if periodic else "one-sided"
    for trial in range(6):
        f = base.copy()
        for cut in (0, 4096, 8192, 3 * 4096, m):
            for _ in range(2):
                at = cut + int(rng.integers(-14, 14))
                if 0 <= at < m:
                    f[at:at + int(rng.integers(1, 4))] = rng.choice([np.nan, np.inf])
        # (coordinates on a periodic axis: test_periodic_uneven_runs_across_the_wrap)
        x = 0.5 if trial % 2 or periodic else np.cumsum(rng.uniform(0.5, 1.5, m))
        want = line_oracle(f, x, n, accuracy, 1, periodic=periodic)
        for workers in (1, 2):
            assert_split_same(func(f, x, nan="split", workers=workers, **kw), want)
        g = np.stack([f, base, f[::-1]], axis=1)              # the same, across lines
        got = func(g, x, axis=0, nan="split", workers=2, **kw)
        for j in range(3):
            assert_split_same(got[:, j], line_oracle(g[:, j], x, n, accuracy, 1, periodic))


def test_far_from_nan_keeps_the_propagate_bits():
    rng = np.random.default_rng(17)
    f = rng.standard_normal((200, 300))
    f[50:80, 100:150] = np.nan                      # an island
    f[150, 20] = np.inf
    for n, accuracy in SCHEMES:
        func, kw = scheme_call(n, accuracy)
        split = func(f, nan="split", **kw)
        prop = func(f, **kw)
        reach = n + accuracy + (n + accuracy) // 2          # beyond every stencil's reach
        near = ~np.isfinite(f)
        for ax in range(2):
            grown = near.copy()
            for k in range(1, reach + 1):
                grown |= np.roll(near, k, axis=ax) | np.roll(near, -k, axis=ax)
            assert_array_same(split[ax][~grown], prop[ax][~grown])
            assert not np.isnan(split[ax][np.isfinite(f)]).any()   # every run long enough


def test_integer_data_is_accepted_and_unchanged():
    f = np.arange(60, dtype=np.int32).reshape(6, 10) ** 2
    for a, b in [(gx.gradient(f, nan="split"), gx.gradient(f)),
                 (gx.laplacian(f, nan="split"), gx.laplacian(f))]:
        for x, y in zip(a if isinstance(a, tuple) else (a,), b if isinstance(b, tuple) else (b,)):
            assert_array_same(x, y)


def test_out_workers_and_the_input_untouched():
    rng = np.random.default_rng(19)
    f = with_holes((600, 700), np.float64, rng, fraction=0.05)
    before = f.copy()
    want = gx.derivative(f, n=2, accuracy=4, nan="split")
    for workers in (1, 2):
        outs = (np.empty_like(f), np.empty_like(f, order="F"))
        got = gx.derivative(f, n=2, accuracy=4, nan="split", out=outs, workers=workers)
        assert got[0] is outs[0]
        for g, w in zip(got, want):
            assert_array_same(g, w, check_order=False)
    assert_array_same(f, before)


@pytest.mark.parametrize("call, error, match", [
    (lambda: gx.gradient(np.ones(5), nan="skip"), ValueError, "nan must be 'propagate' or "
                                                              "'split', got 'skip'"),
    (lambda: gx.gradient(np.ones((5, 5)), boundary=["edge", "one-sided"], nan="split"),
     ValueError, "nan='split' combines with boundary 'one-sided' and 'periodic', not with "
                 "'edge' \\(axis 0 of the call\\)"),
    (lambda: gx.mixed_derivative(np.ones((5, 5)), n=(1, 1), axis=(0, 1), nan="split"),
     ValueError, "nan='split' is not computed for mixed_derivative"),
    (lambda: gx.hessian(np.ones((5, 5)), nan="split"), ValueError,
     "nan='split' is not computed for hessian"),
    (lambda: gx.laplacian(np.ones(5), nan=True), ValueError, "nan must be"),
    (lambda: gx.gradient(np.ones(5, np.float16), nan="split"), TypeError,
     "nan='split' is computed for float32, float64"),
])
def test_errors_name_the_argument(call, error, match):
    with pytest.raises(error, match=match):
        call()


@pytest.mark.parametrize("boundary", ["one-sided", "periodic"])
def test_dask_equals_in_memory_for_random_chunkings(boundary):
    """A run crossing chunk edges is still one run: the faces of every block are
    recomputed from halos one point deeper than a non-finite value's reach."""
    da = pytest.importorskip("dask.array")
    rng = np.random.default_rng(29)
    f = with_holes((37, 41), np.float64, rng, fraction=0.12)
    g = with_holes((37, 41), np.float64, rng, fraction=0.12)
    xs = [np.cumsum(rng.uniform(0.5, 1.5, m)) for m in f.shape]
    calls = [
        lambda a, **k: gx.gradient(a, **k),
        lambda a, **k: gx.gradient(a, 0.5, 0.25, edge_order=2, **k),
        lambda a, **k: gx.derivative(a, n=2, accuracy=4, **k),
        lambda a, **k: gx.derivative(a, n=3, accuracy=6, **k),
        lambda a, **k: gx.laplacian(a, accuracy=8, **k),
    ]
    if boundary == "one-sided":
        calls.append(lambda a, **k: gx.gradient(a, *xs, **k))
        calls.append(lambda a, **k: gx.derivative(a, *xs, n=2, accuracy=4, **k))
    else:       # integer coordinates: every shift by the period is exact
        xi = [np.cumsum(rng.integers(1, 4, m)).astype(np.float64) for m in f.shape]
        periods = [float(x[-1] - x[0] + 2) for x in xi]
        calls.append(lambda a, **k: gx.gradient(a, *xi, period=periods, **k))
        calls.append(lambda a, **k: gx.derivative(a, *xi, n=2, accuracy=4, period=periods,
                                                  **k))
    for trial in range(4):
        chunks = tuple(tuple(np.diff(np.unique(np.r_[0, np.sort(rng.choice(
            np.arange(1, m), rng.integers(1, 6), replace=False)), m]))) for m in f.shape)
        d = da.from_array(f, chunks=chunks)
        for call in calls:
            want = call(f, nan="split", boundary=boundary)
            lazy = call(d, nan="split", boundary=boundary)
            got = tuple(x.compute() for x in lazy) if isinstance(lazy, tuple) else \
                lazy.compute()
            for x, w in zip(got if isinstance(got, tuple) else (got,),
                            want if isinstance(want, tuple) else (want,)):
                assert_split_same(x, w)
        dg = da.from_array(g, chunks=chunks)
        for func in (gx.divergence, gx.curl):
            want = func([f, g], nan="split", boundary=boundary, accuracy=4)
            got = func([d, dg], nan="split", boundary=boundary, accuracy=4).compute()
            assert_split_same(got, want)


def test_dask_refuses_data_without_a_kernel():
    da = pytest.importorskip("dask.array")
    x = da.from_array(np.ones((6, 6), np.float16), chunks=3)
    with pytest.raises(TypeError, match="nan='split' is computed for float32"):
        gx.gradient(x, nan="split")


@settings(deadline=None, max_examples=80)
@given(st.data())
def test_hypothesis_masks(data):
    n, accuracy = data.draw(st.sampled_from(SCHEMES))
    m = data.draw(st.integers(n + accuracy, 40))
    mask = np.array(data.draw(st.lists(st.booleans(), min_size=m, max_size=m)))
    periodic = data.draw(st.booleans())
    f = np.random.default_rng(m).standard_normal(m)
    f[mask] = np.nan
    uneven = data.draw(st.booleans()) and not periodic
    x = np.cumsum(np.random.default_rng(m + 1).uniform(0.5, 1.5, m)) if uneven else 0.5
    func, kw = scheme_call(n, accuracy)
    got = func(f, x, nan="split", boundary="periodic" if periodic else "one-sided", **kw)
    assert_split_same(got, line_oracle(f, x, n, accuracy, 1, periodic))


def test_accessor_passes_nan_split():
    xr = pytest.importorskip("xarray")
    import gradient_ext.xarray  # noqa: F401
    rng = np.random.default_rng(23)
    values = with_holes((15, 18), np.float64, rng)
    lat, lon = np.linspace(-30, 30, 15), np.arange(18) * 20.0
    da = xr.DataArray(values, coords={"lat": lat, "lon": lon}, dims=("lat", "lon"))
    got = da.gx.derivative("lon", n=2, accuracy=4, nan="split",
                           boundary={"lon": "periodic"}, period={"lon": 360.0})
    want = gx.derivative(values, lon, n=2, accuracy=4, axis=1, nan="split",
                         boundary="periodic", period=360.0)
    assert_split_same(got.values, want)
    dlat, dlon = da.gx.gradient(nan="split")
    want = gx.gradient(values, lat, lon, nan="split")
    assert_split_same(dlat.values, want[0])
    assert_split_same(dlon.values, want[1])


@pytest.mark.parametrize("n, accuracy", [(1, 2), (1, 4), (2, 2), (3, 4)])
def test_periodic_uneven_runs_across_the_wrap(n, accuracy):
    """Uneven periodic axes: the run across the wrap is the call on its two pieces
    joined, the wrapped coordinates shifted by the period.  With integer
    coordinates every shift is exact, so the periodic table's point-centred
    wrapped coordinates and the joined run's give the same weights."""
    rng = np.random.default_rng(31)
    for trial in range(40):
        m = int(rng.integers(n + accuracy + 4, 30))
        x = np.cumsum(rng.integers(1, 4, m)).astype(np.float64)
        period = float(x[-1] - x[0] + rng.integers(1, 4))
        f = rng.standard_normal(m)
        holes = rng.choice(np.arange(2, m - 2), int(rng.integers(1, 3)), replace=False)
        f[holes] = np.nan                   # both ends finite: one run wraps
        func, kw = scheme_call(n, accuracy)
        got = func(f, x, nan="split", boundary="periodic", period=period, **kw)
        bad = ~np.isfinite(f)
        want = line_oracle(f, x, n, accuracy, 1)          # the runs inside
        a0, b0 = np.argmax(bad), m - np.argmax(bad[::-1])
        seg = np.concatenate((f[b0:], f[:a0]))
        xs = np.concatenate((x[b0:], x[:a0] + period))
        r = standalone(seg, xs, n, accuracy, 1)
        want[b0:] = np.nan if r is None else r[:m - b0]
        want[:a0] = np.nan if r is None else r[m - b0:]
        assert_split_same(got, want)
