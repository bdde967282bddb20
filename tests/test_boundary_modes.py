"""boundary="symmetric", "reflect", "edge", "constant": the np.pad oracle, bit for bit.

The definition: the result equals the interior central stencils applied to
``np.pad(f, r, mode=...)`` (each such axis padded in increasing axis order, as
np.pad pads), cut back to f's shape; coordinates are padded by the documented
ghost rule, written here independently of the planner (a loop over k):

    reflect   x[-k] = 2x[0] - x[k]
    symmetric x[-k] = (2x[0] - h0) - x[k-1],   h0 = x[1] - x[0]
    edge, constant x[-k] = x[0] - k*h0
    (mirrored at the far end)

The interior stencils of the padded call come from numpy.gradient itself for
the accuracy-2 gradient, and from the one-sided call of the same function
(``boundary="one-sided"``, checked against numpy/findiff elsewhere) for the
k-tap schemes.  gradient_ext must give the same bits without the padded copy.
"""

import warnings

import numpy as np
import pytest
from hypothesis import given, settings, strategies as st
from numpy.lib.array_utils import normalize_axis_tuple

import gradient_ext as gx
from oracle import assert_array_same, numpy_gradient, run_collecting
from tiers import PARTS, Share

MODES = ["symmetric", "reflect", "edge", "constant"]
DTYPES = [np.float32, np.float64, np.complex128, np.int16, np.int64, np.uint8]
ACCURACIES = (2, 4, 6, 8)
ORDERS = (1, 2, 3, 4)


def ghost_coordinates(x, r, mode):
    """x with r ghost coordinates each side, by the documented rule."""
    x = np.asarray(x)
    if x.dtype.kind in "iu":
        x = x.astype(np.float64)
    n = len(x)
    h0, h1 = x[1] - x[0], x[n - 1] - x[n - 2]
    lo, hi = [], []
    for k in range(1, r + 1):
        if mode == "reflect":
            lo.append(2 * x[0] - x[k])
            hi.append(2 * x[n - 1] - x[n - 1 - k])
        elif mode == "symmetric":
            lo.append(2 * x[0] - h0 - x[k - 1])
            hi.append(2 * x[n - 1] + h1 - x[n - k])
        else:
            lo.append(x[0] - k * h0)
            hi.append(x[n - 1] + k * h1)
    return np.concatenate((np.array(lo[::-1], x.dtype), x, np.array(hi, x.dtype)))


def reach(n, accuracy):
    """Ghost points each side the central stencils read (the pad width)."""
    if n == 1 and accuracy == 2:
        return 1
    return (n + accuracy) // 2      # the widest: uneven coordinates' central stencils


def per_axis(value, count):
    return list(value) if isinstance(value, (list, tuple)) else [value] * count


def padded(f, axes, modes, consts, r):
    """f padded by r along each np.pad-mode axis, in increasing axis order."""
    for q in sorted(range(len(axes)), key=lambda q: axes[q]):
        if modes[q] == "one-sided":
            continue
        widths = [(r, r) if ax == axes[q] else (0, 0) for ax in range(f.ndim)]
        extra = ({"constant_values": 0 if consts[q] is None else consts[q]}
                 if modes[q] == "constant" else {})
        f = np.pad(f, widths, mode=modes[q], **extra)
    return f


def padded_spacing(varargs, axes, modes, r):
    """The spacings with each np.pad-mode axis's coordinates padded by the rule."""
    return [ghost_coordinates(v, r, modes[q]) if len(varargs) == len(axes) and np.ndim(v) == 1
            and modes[q] not in ("one-sided", "wrap") else v for q, v in enumerate(varargs)]


def trimmed(results, ndim, axes, modes, r):
    """Each result (its last `ndim` axes the data's) cut back to the unpadded shape."""
    cut = [axes[q] for q in range(len(axes)) if modes[q] != "one-sided"]
    trim = tuple(slice(r, -r) if ax in cut else slice(None) for ax in range(ndim))
    results = results if isinstance(results, tuple) else (results,)
    return tuple(x[(slice(None),) * (x.ndim - ndim) + trim] for x in results)


def pad_oracle(func, f, *varargs, axis=None, boundary, constant_values=None, n=1,
               accuracy=2, **kw):
    """func's interior stencils on f padded by each axis's mode, trimmed."""
    f = np.asarray(f)
    axes = tuple(range(f.ndim)) if axis is None else normalize_axis_tuple(axis, f.ndim)
    modes = per_axis(boundary, len(axes))
    r = reach(n, accuracy)
    P = padded(f, axes, modes, per_axis(constant_values, len(axes)), r)
    spacing = padded_spacing(varargs, axes, modes, r)
    if func is gx.gradient and accuracy == 2:
        res = numpy_gradient(P, *spacing, axis=axes, **kw)
    else:
        res = func(P, *spacing, axis=axes, accuracy=accuracy, boundary="one-sided",
                   **({"n": n} if func is gx.derivative else {}), **kw)
    return trimmed(res, f.ndim, axes, modes, r)


def check(func, f, *varargs, **kw):
    got = func(f, *varargs, **{k: v for k, v in kw.items()
                               if not (k == "n" and func is gx.laplacian)})
    exp = pad_oracle(func, f, *varargs, **kw)
    got = got if isinstance(got, tuple) else (got,)
    assert len(got) == len(exp)
    for g, e in zip(got, exp):
        assert_array_same(g, e, check_order=False)


def data(shape, dtype, seed=0):
    rng = np.random.default_rng(seed)
    if np.dtype(dtype).kind in "iu":
        return rng.integers(0, 100, shape).astype(dtype)
    v = rng.standard_normal(shape)
    if np.dtype(dtype).kind == "c":
        v = v + 1j * rng.standard_normal(shape)
    return v.astype(dtype)


def uneven(n, seed=1, dtype=np.float64):
    return (np.cumsum(np.random.default_rng(seed).uniform(0.5, 1.5, n)) - 3.0).astype(dtype)


def derivative_case(f, mode, acc, order, spacing, axis, constant):
    kw = {"boundary": mode, "accuracy": acc, "n": order, "axis": axis}
    if mode == "constant" and constant is not None:
        kw["constant_values"] = constant
    if order == 1 and acc == 2:
        kw.pop("n")
        kw.pop("accuracy")
        check(gx.gradient, f, *spacing, **kw)
    else:
        check(gx.derivative, f, *spacing, **kw)


@pytest.mark.parametrize("part", PARTS)
@pytest.mark.parametrize("mode", MODES)
def test_every_mode_accuracy_order_and_spacing(mode, part):
    """Every mode x accuracy x order x uniform/uneven, 1-, 2- and 3-D, every dtype."""
    share = Share(part, every=6)

    def cases():
        for shape, axis in [((23,), 0), ((14, 17), 0), ((14, 17), 1), ((13, 4, 15), 2),
                            ((13, 4, 15), 0)]:
            for dtype in DTYPES:
                f = data(shape, dtype, seed=len(shape))
                x = uneven(shape[axis])
                for acc in ACCURACIES:
                    for order in ORDERS:
                        for spacing, sdesc in [((), "unit"), ((0.5,), "h=0.5"),
                                               ((x,), "uneven"),
                                               ((np.arange(shape[axis]) * 0.25,), "even x")]:
                            desc = f"{shape} axis={axis} {np.dtype(dtype).name} acc={acc} " \
                                   f"n={order} {sdesc}"
                            yield desc, (lambda f=f, a=acc, o=order, s=spacing, ax=axis:
                                         derivative_case(f, mode, a, o, s, ax, 2.5))
    assert run_collecting(share.filter(cases()), "the np.pad oracle") == share.taken
    assert share.seen == 5 * len(DTYPES) * 4 * 4 * 4


@pytest.mark.parametrize("mode", MODES)
@pytest.mark.parametrize("dtype", [np.float32, np.float64, np.complex128, np.int32])
def test_gradient_all_axes_and_the_laplacian(mode, dtype):
    f = data((11, 10, 12), dtype, seed=3)
    xs = [uneven(k, seed=k) for k in f.shape]
    for edge_order in (1, 2):      # the ends are interior points: edge_order changes nothing
        check(gx.gradient, f, boundary=mode, edge_order=edge_order)
    check(gx.gradient, f, *xs, boundary=mode)
    check(gx.gradient, f, 0.5, boundary=mode, axis=(2, 0))
    for acc in ACCURACIES:
        check(gx.laplacian, f, boundary=mode, accuracy=acc, n=2)
        check(gx.laplacian, f, *xs, boundary=mode, accuracy=acc, n=2)


def test_mixtures_of_modes_and_constants_per_axis():
    f = data((10, 12, 9), np.float64, seed=4)
    xs = [uneven(k, seed=k + 7) for k in f.shape]
    for bounds in [("edge", "constant", "reflect"), ("constant", "one-sided", "symmetric"),
                   ("periodic", "edge", "constant"), ("constant", "constant", "constant")]:
        consts = [1.5 if b == "constant" else None for b in bounds]
        consts[-1] = -2.0 if bounds[-1] == "constant" else None
        period = [f.shape[q] * 1.0 if b == "periodic" else None for q, b in enumerate(bounds)]
        period = period if "periodic" in bounds else None
        for acc in (2, 4):
            kw = {"boundary": list(bounds), "constant_values": consts, "accuracy": acc}
            if period is None:
                check(gx.derivative, f, n=2, **kw)
                check(gx.derivative, f, *xs, n=3, **kw)
                check(gx.laplacian, f, n=2, **kw)
            got = gx.derivative(f, n=1, **kw, period=period)
            if "periodic" not in bounds:
                check(gx.derivative, f, n=1, **kw)
            else:
                # the periodic axis wraps; the oracle pads it with np.pad's "wrap"
                exp = pad_oracle(gx.derivative, f, n=1,
                                 **{**kw, "boundary": [b if b != "periodic" else "wrap"
                                                       for b in bounds]})
                for g, e in zip(got, exp):
                    assert_array_same(g, e, check_order=False)


def test_constant_values_are_cast_as_np_pad_casts_them():
    f = np.arange(12, dtype=np.int16) * 3
    for c in (2.7, -1.9, 7, np.float32(300.5)):
        check(gx.gradient, f, boundary="constant", constant_values=c)
        check(gx.derivative, f, n=2, boundary="constant", constant_values=c)
    z = data(12, np.complex128)
    check(gx.derivative, z, n=2, boundary="constant", constant_values=1 - 2j)
    g = data(12, np.float32)
    # out of float32's range: inf, with numpy's overflow warning, as np.pad
    with pytest.warns(RuntimeWarning, match="overflow"):
        np.pad(g, 1, constant_values=1e40)
    with pytest.warns(RuntimeWarning, match="overflow"):
        got = gx.derivative(g, n=4, accuracy=8, boundary="constant", constant_values=1e40)
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", RuntimeWarning)
        exp = pad_oracle(gx.derivative, g, n=4, accuracy=8, boundary="constant",
                         constant_values=1e40)
    assert_array_same(got, exp[0])


@pytest.mark.parametrize("layout", ["F", "negstrides", "strided"])
def test_layouts_out_and_workers(layout):
    base = data((130, 170), np.float64, seed=5)
    f = {"F": np.asfortranarray(base), "negstrides": base[::-1, ::-1],
         "strided": data((260, 340), np.float64, seed=5)[::2, ::2]}[layout]
    for mode in MODES:
        exp = pad_oracle(gx.derivative, f, boundary=mode, n=2, accuracy=4)
        for workers in (1, 2):
            outs = (np.empty(f.shape), np.empty(f.shape, order="F"))
            got = gx.derivative(f, n=2, accuracy=4, boundary=mode, out=outs, workers=workers)
            assert got[0] is outs[0] and got[1] is outs[1]
            for g, e in zip(got, exp):
                assert_array_same(g, e, check_order=False)


def test_large_arrays_stream_with_ghost_ends():
    # 1e6 and 2000 x 600: the tiling's threaded, streamed paths meet the ghost ends
    f = data(1_000_000, np.float64, seed=6)
    g = data((2000, 600), np.float64, seed=7)
    for mode in MODES:
        check(gx.gradient, f, boundary=mode)
        check(gx.derivative, f, n=2, accuracy=6, boundary=mode, constant_values=None)
        check(gx.laplacian, g, boundary=mode, constant_values=None, n=2)
        check(gx.gradient, g, 0.1, uneven(600), boundary=mode)


def test_numpy_fallback_dtypes_pad_as_np_pad():
    # float16 and longdouble: numpy.gradient on the padded data (accuracy 2)
    for dtype in (np.float16, np.longdouble):
        f = data((7, 9), np.float64, seed=8).astype(dtype)
        for mode in MODES:
            check(gx.gradient, f, boundary=mode, constant_values=3 if mode == "constant"
                  else None)
            check(gx.gradient, f, 0.5, uneven(9), boundary=mode)


def test_short_axes_follow_the_one_sided_rules():
    for mode in MODES:
        check(gx.gradient, np.array([1.0, 4.0]), boundary=mode)
        check(gx.gradient, np.array([1.0, 4.0]), np.array([0.0, 0.3]), boundary=mode)
        with pytest.raises(ValueError, match="too small"):
            gx.gradient(np.array([1.0]), boundary=mode)
        with pytest.raises(ValueError, match="accuracy=4 needs at least 5 points"):
            gx.gradient(np.arange(4.0), boundary=mode, accuracy=4)
        check(gx.derivative, np.arange(6.0) ** 3, n=4, accuracy=2, boundary=mode)


def test_input_is_not_modified():
    f = data((20, 30), np.float64)
    before = f.copy()
    for mode in MODES:
        gx.laplacian(f, boundary=mode, accuracy=8)
        gx.gradient(f, boundary=mode)
    assert_array_same(f, before)


def test_ghost_values_meet_the_boundary_condition():
    # physics, beyond bits: "edge" and "symmetric" make the wall's normal
    # derivative vanish (a reflected ramp turns around), "constant" sees the jump
    f = np.arange(8.0)
    assert gx.gradient(f, boundary="symmetric")[0] == 0.5      # (f1 - f0) / 2 with f[-1] = f0
    assert gx.gradient(f, boundary="reflect")[0] == 0.0        # f[-1] = f[1]
    assert gx.gradient(f, boundary="edge")[-1] == 0.5
    assert gx.gradient(f + 10, boundary="constant")[0] == 5.5   # (11 - 0) / 2
    # a field even about both walls (cos(pi x) on cell centres of [0, 1]):
    # symmetric's second derivative keeps the interior's order at the walls
    x = (np.arange(32) + 0.5) / 32
    d2 = gx.derivative(np.cos(np.pi * x), 1 / 32, n=2, accuracy=8, boundary="symmetric")
    np.testing.assert_allclose(d2, -np.pi ** 2 * np.cos(np.pi * x), rtol=0, atol=1e-9)
    one_sided = gx.derivative(np.cos(np.pi * x), 1 / 32, n=2, accuracy=8)
    assert np.abs(one_sided + np.pi ** 2 * np.cos(np.pi * x)).max() > 1e-8


@pytest.mark.parametrize("call, match", [
    (lambda: gx.gradient(np.ones(5), boundary="wall"), "boundary must be one of .*'wall'"),
    (lambda: gx.gradient(np.ones((5, 5)), boundary=["edge", "mirror"]),
     "got 'mirror' for axis 1"),
    (lambda: gx.gradient(np.ones(5), boundary="edge", constant_values=1),
     "constant_values is given, but no axis has boundary='constant'"),
    (lambda: gx.derivative(np.ones((5, 6)), n=2, boundary=["edge", "constant"],
                           constant_values=[1, 2]),
     "constant_values is given for axis 0 of the call, whose boundary is 'edge'"),
    (lambda: gx.gradient(np.ones((5, 6)), boundary="constant", constant_values=[1, 2, 3]),
     "constant_values must be one value or one per axis"),
    (lambda: gx.gradient(np.ones(5), constant_values=0),
     "constant_values is given, but no axis has boundary='constant'"),
    (lambda: gx.laplacian(np.ones(5), boundary="reflect", period=5.0),
     "period is given, but no axis has boundary='periodic'"),
])
def test_errors_name_the_argument(call, match):
    with pytest.raises(ValueError, match=match):
        call()


def test_constant_values_nan_into_integers_raise_as_np_pad():
    with pytest.raises(ValueError):
        np.pad(np.ones(5, np.int32), 1, constant_values=np.nan)
    with pytest.raises(ValueError):
        gx.gradient(np.ones(5, np.int32), boundary="constant", constant_values=np.nan)


@settings(deadline=None, max_examples=60)
@given(st.data())
def test_hypothesis_pad_oracle(draw):
    ndim = draw.draw(st.integers(1, 3))
    acc = draw.draw(st.sampled_from(ACCURACIES))
    order = draw.draw(st.sampled_from(ORDERS))
    shape = tuple(draw.draw(st.integers(order + acc, order + acc + 6)) for _ in range(ndim))
    f = data(shape, draw.draw(st.sampled_from(DTYPES)), seed=draw.draw(st.integers(0, 99)))
    bounds = [draw.draw(st.sampled_from(MODES + ["one-sided"])) for _ in range(ndim)]
    consts = [draw.draw(st.floats(0, 5)) if b == "constant" else None for b in bounds]
    xs = [uneven(k, seed=k) if draw.draw(st.booleans()) else 0.5 for k in shape]
    check(gx.derivative, f, *xs, n=order, accuracy=acc, boundary=bounds,
          constant_values=consts)


# ---------------------------------------------------------------------------
# The operators: the same oracle, every axis of the call padded


def check_operator(func, F, *varargs, axis, boundary, constant_values=None, r=4, **kw):
    """func on the np.pad-mode data against func one-sided on the padded data."""
    got = func(F, *varargs, axis=axis, boundary=boundary, constant_values=constant_values,
               **kw)
    fields = isinstance(F, (list, tuple))
    first = F[0] if fields else F
    modes = per_axis(boundary, len(axis))
    consts = per_axis(constant_values, len(axis))
    P = [padded(c, axis, modes, consts, r) for c in F] if fields else \
        padded(F, axis, modes, consts, r)
    exp = func(P, *padded_spacing(varargs, axis, modes, r), axis=axis, boundary="one-sided",
               **kw)
    got = got if isinstance(got, tuple) else (got,)
    for g, e in zip(got, trimmed(exp, first.ndim, axis, modes, r)):
        assert_array_same(g, e, check_order=False)


@pytest.mark.parametrize("mode", MODES)
@pytest.mark.parametrize("acc", [2, 4, 8])
def test_operators_equal_the_pad_oracle(mode, acc):
    f = data((13, 11, 14), np.float64, seed=9)
    F = [data((13, 11, 14), np.float64, seed=s) for s in (10, 11, 12)]
    xs = [uneven(k, seed=k + 3) for k in f.shape]
    c = 1.25 if mode == "constant" else None
    for spacing in ((), tuple(xs)):
        sp2 = spacing[:2]
        check_operator(gx.mixed_derivative, f, *sp2, n=(1, 2), axis=(0, 1), boundary=mode,
                       constant_values=c, accuracy=acc, r=6)
        check_operator(gx.mixed_derivative, f, *spacing, n=(1, 1, 1), axis=(0, 1, 2),
                       boundary=mode, constant_values=c, accuracy=acc, r=6)
        check_operator(gx.hessian, f, *spacing, axis=(0, 1, 2), boundary=mode,
                       constant_values=c, accuracy=acc, r=6)
        check_operator(gx.divergence, F, *spacing, axis=(0, 1, 2), boundary=mode,
                       constant_values=c, accuracy=acc, r=6)
        check_operator(gx.curl, F, *spacing, axis=(0, 1, 2), boundary=mode,
                       constant_values=c, accuracy=acc, r=6)
        check_operator(gx.curl, F[:2], *spacing[2:0:-1], axis=(2, 1), boundary=mode,
                       constant_values=c, accuracy=acc, r=6)


def test_mixed_partials_pad_corners_axis_after_axis():
    # different modes and constants per axis: the corners np.pad makes (the later
    # axis's constant wins) are what the tensor-product stencil reads
    f = data((12, 13), np.float64, seed=13)
    for bounds in [("constant", "constant"), ("edge", "constant"), ("constant", "reflect"),
                   ("symmetric", "one-sided")]:
        consts = [2.0 if b == "constant" else None for b in bounds]
        if bounds == ("constant", "constant"):
            consts = [2.0, -3.0]
        for acc in (2, 6):
            check_operator(gx.mixed_derivative, f, n=(1, 1), axis=(0, 1), boundary=list(bounds),
                           constant_values=consts, accuracy=acc, r=5)
            check_operator(gx.hessian, f, axis=(0, 1), boundary=list(bounds),
                           constant_values=consts, accuracy=acc, r=5)


# ---------------------------------------------------------------------------
# dask: lazy, bit for bit the in-memory result for any chunking


def _dask_cases():
    f = data((31, 27), np.float64, seed=14)
    xs = [uneven(k, seed=k) for k in f.shape]
    return f, xs


@pytest.mark.parametrize("mode", MODES)
def test_dask_equals_in_memory_for_random_chunkings(mode):
    da = pytest.importorskip("dask.array")
    f, xs = _dask_cases()
    F = [f, f[::-1] * 2]
    rng = np.random.default_rng(15)
    c = -0.75 if mode == "constant" else None
    calls = [
        lambda g, **k: gx.gradient(g, **k),
        lambda g, **k: gx.gradient(g, *xs, **k),
        lambda g, **k: gx.derivative(g, n=2, accuracy=6, **k),
        lambda g, **k: gx.derivative(g, *xs, n=3, accuracy=4, **k),
        lambda g, **k: gx.laplacian(g, accuracy=8, **k),
        lambda g, **k: gx.mixed_derivative(g, *xs, n=(1, 1), axis=(0, 1), accuracy=4, **k),
        lambda g, **k: gx.hessian(g, accuracy=2, **k),
    ]
    for trial in range(3):
        chunks = tuple(tuple(np.diff(np.unique(np.r_[0, np.sort(rng.choice(
            np.arange(1, n), rng.integers(1, 5), replace=False)), n]))) for n in f.shape)
        d = da.from_array(f, chunks=chunks)
        for call in calls:
            want = call(f, boundary=mode, constant_values=c)
            lazy = call(d, boundary=mode, constant_values=c)
            got = tuple(x.compute() for x in lazy) if isinstance(lazy, tuple) else \
                lazy.compute()
            for g, w in zip(got if isinstance(got, tuple) else (got,),
                            want if isinstance(want, tuple) else (want,)):
                assert_array_same(g, w, check_order=False)
        dF = [da.from_array(v, chunks=chunks) for v in F]
        for func in (gx.divergence, gx.curl):
            want = func(F, boundary=mode, constant_values=c, accuracy=4)
            got = func(dF, boundary=mode, constant_values=c, accuracy=4).compute()
            assert_array_same(got, want, check_order=False)


# ---------------------------------------------------------------------------
# xarray: boundary and constant_values per dimension name


def test_accessor_modes_by_dimension_name():
    xr = pytest.importorskip("xarray")
    import gradient_ext.xarray  # noqa: F401
    depth = np.cumsum(np.random.default_rng(16).uniform(5, 15, 12))
    lon = np.arange(24) * 15.0
    values = data((12, 24), np.float64, seed=17)
    da = xr.DataArray(values, coords={"depth": depth, "lon": lon}, dims=("depth", "lon"))
    got = da.gx.derivative("depth", n=2, accuracy=4, boundary={"depth": "edge",
                                                               "lon": "periodic"})
    assert_array_same(got.values, gx.derivative(values, depth, n=2, accuracy=4, axis=0,
                                                boundary="edge"))
    dz, dlon = da.gx.gradient(["depth", "lon"], boundary={"depth": "constant",
                                                           "lon": "periodic"},
                              constant_values={"depth": 4.0}, period={"lon": 360.0})
    want = gx.gradient(values, depth, lon, boundary=["constant", "periodic"],
                       constant_values=[4.0, None], period=[None, 360.0])
    assert_array_same(dz.values, want[0])
    assert_array_same(dlon.values, want[1])
    lap = da.gx.laplacian(boundary="reflect")
    assert_array_same(lap.values, gx.laplacian(values, depth, lon, boundary="reflect"))
    ds = xr.Dataset({"u": da, "v": da * 2})
    div = ds.gx.divergence({"depth": "u", "lon": "v"}, boundary="symmetric")
    assert_array_same(div.values, gx.divergence([values, values * 2], depth, lon,
                                                boundary="symmetric"))
    with pytest.raises(ValueError, match="constant_values is given, but no axis has "
                                         "boundary='constant'.*axes of the call: 0 = 'depth'"):
        da.gx.derivative("depth", boundary="edge", constant_values={"depth": 1.0})
    # lazy on dask, the same bits
    pytest.importorskip("dask.array")
    lazy = da.chunk({"depth": 5, "lon": 7}).gx.laplacian(
        boundary={"depth": "edge", "lon": "periodic"}, period={"lon": 360.0}, accuracy=6)
    assert_array_same(lazy.values, gx.laplacian(values, depth, lon, accuracy=6,
                                                boundary=["edge", "periodic"],
                                                period=[None, 360.0]))
