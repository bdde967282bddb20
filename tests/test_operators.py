"""mixed_derivative, hessian, divergence and curl: their documented definitions bit for
bit, stacked out=, threads, dask for random chunkings, exactness on polynomials,
convergence on stretched grids, and their errors.

The oracles: each operator is defined by `derivative` calls (themselves tested
bit for bit against numpy and findiff elsewhere): a divergence is the sum of
derivatives in increasing axis number, a curl the difference written in its
docstring, a mixed partial the nested derivatives (the highest axis first), a
Hessian its diagonal second derivatives and off-diagonal mixed partials.
"""

import numpy as np
import pytest

from gradient_ext import (curl, derivative, divergence, gradient, hessian, laplacian,
                          mixed_derivative)
from oracle import assert_array_same

RNG_SEED = 20261207


def uneven(rng, n, dtype=np.float64):
    return np.cumsum(rng.uniform(0.5, 1.5, n)).astype(dtype)


def field(rng, shape, dtype):
    dtype = np.dtype(dtype)
    if dtype.kind == "c":
        return (rng.standard_normal(shape) + 1j * rng.standard_normal(shape)).astype(dtype)
    if dtype.kind in "iu":
        return rng.integers(-50, 50, shape).astype(dtype)
    return rng.standard_normal(shape).astype(dtype)


def spacing_forms(rng, shape, axes):
    """(), one scalar, and one spacing per axis (scalars and uneven coordinates)."""
    yield ()
    yield (0.5,)
    yield tuple(uneven(rng, shape[ax]) if q % 2 == 0 else 0.25 + q for q, ax in
                enumerate(axes))


def per_axis(varargs, q, k):
    """The spacing argument of the q-th of k axes, as a one-axis call takes it."""
    if not varargs:
        return ()
    return (varargs[0],) if len(varargs) == 1 else (varargs[q],)


def same(got, want):
    assert_array_same(got, want, check_order=False)


SCHEMES = [dict(accuracy=2), dict(accuracy=2, edge_order=2), dict(accuracy=4),
           dict(accuracy=8), dict(accuracy=2, boundary="periodic"),
           dict(accuracy=6, boundary="periodic")]


def derivative_kw(kw, n=1):
    """derivative's keywords for an operator's: edge_order only for first derivatives."""
    kw = dict(kw)
    if n != 1:
        kw.pop("edge_order", None)
    return kw


def periodic_varargs(varargs, kw, shape, axes):
    """Periodic axes with coordinates need a period: one that fits."""
    if kw.get("boundary") != "periodic" or len(varargs) != len(axes):
        return {}
    return {"period": [float(v[-1] - v[0]) * 1.5 if np.ndim(v) else None for v in varargs]}


# ---------------------------------------------------------------------------
# Definitions, bit for bit


@pytest.mark.parametrize("kw", SCHEMES, ids=lambda kw: "-".join(f"{k}={v}" for k, v in kw.items()))
@pytest.mark.parametrize("dtype", [np.float64, np.float32, np.complex128, np.int32])
def test_divergence_is_the_sum_of_derivatives(kw, dtype):
    rng = np.random.default_rng([RNG_SEED, np.dtype(dtype).num, len(kw)])
    for shape, axis in [((13, 11), (0, 1)), ((13, 11), (1, 0)), ((9, 10, 11), (2, 0, 1))]:
        comps = [field(rng, shape, dtype) for _ in axis]
        for varargs in spacing_forms(rng, shape, axis):
            extra = periodic_varargs(varargs, kw, shape, axis)
            got = divergence(comps, *varargs, axis=axis, **kw, **extra)
            total = None
            for q in sorted(range(len(axis)), key=lambda q: axis[q]):
                pq = extra.get("period", [None] * len(axis))[q]
                d = derivative(comps[q], *per_axis(varargs, q, len(axis)), axis=axis[q],
                               **kw, **({"period": pq} if pq is not None else {}))
                total = d if total is None else total + d
            same(got, total)


@pytest.mark.parametrize("kw", SCHEMES[:4], ids=lambda kw: "-".join(f"{k}={v}" for k, v in kw.items()))
def test_curl_is_its_written_difference(kw):
    rng = np.random.default_rng([RNG_SEED, 2, len(kw)])
    shape = (12, 14, 9)
    for axis in [(1, 0), (0, 2)]:
        u, v = field(rng, shape, np.float64), field(rng, shape, np.float64)
        a, b = axis
        for varargs in spacing_forms(rng, shape, axis):
            want = (derivative(v, *per_axis(varargs, 0, 2), axis=a, **kw)
                    - derivative(u, *per_axis(varargs, 1, 2), axis=b, **kw))
            same(curl((u, v), *varargs, axis=axis, **kw), want)
            same(curl(np.stack([u, v]), *varargs, axis=axis, **kw), want)
    F = [field(rng, shape, np.float64) for _ in range(3)]
    x = (2, 0, 1)
    D = lambda m, q: derivative(F[m], axis=x[q], **kw)   # noqa: E731
    want = np.stack([D(2, 1) - D(1, 2), D(0, 2) - D(2, 0), D(1, 0) - D(0, 1)])
    same(curl(F, axis=x, **kw), want)


@pytest.mark.parametrize("kw", SCHEMES, ids=lambda kw: "-".join(f"{k}={v}" for k, v in kw.items()))
def test_mixed_derivative_is_the_nested_derivatives(kw):
    rng = np.random.default_rng([RNG_SEED, 3, len(kw)])
    for shape, n, axis in [((14, 13), (1, 1), (0, 1)), ((14, 13), (1, 1), (1, 0)),
                           ((15, 16), (2, 1), (1, 0)), ((12, 7, 13), (1, 3), (0, 2)),
                           ((10, 11, 12), (1, 1, 1), (2, 1, 0))]:
        f = field(rng, shape, np.float64)
        for varargs in spacing_forms(rng, shape, axis):
            extra = periodic_varargs(varargs, kw, shape, axis)
            periods = extra.get("period", [None] * len(axis))
            got = mixed_derivative(f, *varargs, n=n, axis=axis, **kw, **extra)
            want = f
            for q in sorted(range(len(axis)), key=lambda q: axis[q], reverse=True):
                pq = {"period": periods[q]} if periods[q] is not None else {}
                want = derivative(want, *per_axis(varargs, q, len(axis)), n=n[q],
                                  axis=axis[q], **derivative_kw(kw, n[q]), **pq)
            same(got, want)


def test_mixed_derivative_does_not_depend_on_how_axes_are_listed():
    rng = np.random.default_rng(7)
    f = rng.standard_normal((20, 30))
    x0, x1 = uneven(rng, 20), uneven(rng, 30)
    same(mixed_derivative(f, x0, x1, n=(2, 1), axis=(0, 1), accuracy=4),
         mixed_derivative(f, x1, x0, n=(1, 2), axis=(1, 0), accuracy=4))


@pytest.mark.parametrize("kw", SCHEMES[:5], ids=lambda kw: "-".join(f"{k}={v}" for k, v in kw.items()))
def test_hessian_entries(kw):
    rng = np.random.default_rng([RNG_SEED, 4, len(kw)])
    shape = (11, 12, 13)
    f = field(rng, shape, np.float64)
    for axis in [None, (2, 0)]:
        axes = (0, 1, 2) if axis is None else axis
        H = hessian(f, axis=axis, **kw)
        k = len(axes)
        assert H.shape == (k, k) + shape
        for i in range(k):
            same(H[i, i], derivative(f, n=2, axis=axes[i], **derivative_kw(kw, 2)))
            for j in range(k):
                if i != j:
                    same(H[i, j], mixed_derivative(f, n=(1, 1), axis=(axes[i], axes[j]), **kw))
                    assert H[i, j].tobytes() == H[j, i].tobytes()


# ---------------------------------------------------------------------------
# out=, threads, memory layouts


def test_stacked_out_is_the_tuple_form():
    rng = np.random.default_rng(11)
    f = rng.standard_normal((30, 40))
    for fn, kw, k in [(gradient, {}, 2), (derivative, {"n": 3}, 2),
                      (gradient, {"axis": (1, 0), "accuracy": 4}, 2)]:
        want = fn(f, **kw)
        out = np.full((k,) + f.shape, np.nan)
        assert fn(f, **kw, out=out) is out
        for i in range(k):
            same(out[i], want[i])
    out = np.empty((2, 2) + f.shape)
    assert hessian(f, out=out) is out
    same(out, hessian(f))
    F = [rng.standard_normal((6, 7, 8)) for _ in range(3)]
    out = np.empty((3, 6, 7, 8))
    assert curl(F, out=out) is out
    same(out, curl(F))
    outs = [np.empty((6, 7, 8)) for _ in range(3)]
    got = curl(F, out=outs)
    assert type(got) is tuple and all(g is o for g, o in zip(got, outs))
    for i in range(3):
        same(outs[i], curl(F)[i])


def test_out_of_each_operator():
    rng = np.random.default_rng(12)
    f = rng.standard_normal((25, 26))
    for call in [lambda **o: mixed_derivative(f, n=(1, 2), axis=(0, 1), **o),
                 lambda **o: divergence([f, 2 * f], **o),
                 lambda **o: curl([f, 2 * f], **o)]:
        out = np.full(f.shape, np.nan)
        assert call(out=out) is out
        same(out, call())


@pytest.mark.parametrize("order", ["C", "F"])
def test_threads_and_layouts_do_not_change_bits(order):
    rng = np.random.default_rng(13)
    f = np.asarray(rng.standard_normal((300, 257)), order=order)
    g = np.asarray(rng.standard_normal((300, 257)), order=order)
    x = uneven(rng, 300)
    for call in [lambda w: mixed_derivative(f, x, 0.1, n=(1, 1), axis=(0, 1), workers=w),
                 lambda w: divergence([f, g], x, 0.1, workers=w, accuracy=4),
                 lambda w: curl([f, g], x, 0.1, workers=w),
                 lambda w: hessian(f, x, 0.1, workers=w, accuracy=6)]:
        one = call(1)
        same(call(2), one)
        assert np.array_equal(call(None), one)
    c = np.ascontiguousarray(f)
    same(mixed_derivative(np.asfortranarray(c), n=(1, 1), axis=(0, 1)),
         mixed_derivative(c, n=(1, 1), axis=(0, 1)))


def test_large_arrays_cross_many_slabs():
    # the slabs (~32k elements) cut a 2000-row array into many: the result is
    # still the nested derivatives, periodic axes wrapping across slab edges
    rng = np.random.default_rng(14)
    f = rng.standard_normal((2000, 40))
    for kw in [{}, {"accuracy": 8}, {"boundary": "periodic", "accuracy": 4}]:
        want = derivative(derivative(f, axis=1, **kw), axis=0, **kw)
        same(mixed_derivative(f, n=(1, 1), axis=(1, 0), **kw), want)


def test_inputs_are_not_modified():
    rng = np.random.default_rng(15)
    u, v = rng.standard_normal((2, 20, 30))
    before = u.copy(), v.copy()
    curl((u, v)), divergence((u, v)), hessian(u), mixed_derivative(v, n=(1, 1), axis=(0, 1))
    assert u.tobytes() == before[0].tobytes() and v.tobytes() == before[1].tobytes()


# ---------------------------------------------------------------------------
# Exactness and convergence


def grids(rng, n):
    yield np.linspace(-1.0, 2.0, n)
    yield np.cumsum(rng.uniform(0.5, 1.5, n)) / n


@pytest.mark.parametrize("accuracy", [2, 4, 6, 8])
def test_solid_body_rotation(accuracy):
    rng = np.random.default_rng(16)
    for x in grids(rng, 33):
        for y in grids(rng, 29):
            Y, X = np.meshgrid(y, x, indexing="ij")
            u, v = -Y, X
            kw = {"accuracy": accuracy, "edge_order": 2} if accuracy == 2 else {"accuracy": accuracy}
            div = divergence((u, v), x, y, axis=(1, 0), **kw)
            vort = curl((u, v), x, y, axis=(1, 0), **kw)
            assert np.abs(div).max() <= 1e-12 * 2
            assert np.abs(vort - 2).max() <= 1e-12 * 2
            # the default axis (0, 1) takes the components in the arrays' axis
            # order, F = (v, u) on [y, x] arrays: minus the vorticity
            assert np.abs(curl((v, u), y, x, **kw) + 2).max() <= 1e-12 * 2


def test_periodic_fields_with_wrapped_coordinates():
    # divergence-free on a periodic grid: u depends on y only, v on x only
    rng = np.random.default_rng(17)
    x = np.sort(rng.uniform(0, 2 * np.pi, 40))
    y = np.linspace(0, 2 * np.pi, 36, endpoint=False)
    Y, X = np.meshgrid(y, x, indexing="ij")
    u, v = np.sin(Y), np.cos(X)
    for acc in (2, 4, 8):
        kw = dict(boundary="periodic", period=2 * np.pi, accuracy=acc)
        assert np.abs(divergence((u, v), x, y, axis=(1, 0), **kw)).max() <= 1e-12
        vort = curl((u, v), x, y, axis=(1, 0), **kw)
        exact = -np.sin(X) - np.cos(Y)
        assert np.abs(vort - exact).max() < 0.05


@pytest.mark.parametrize("accuracy", [2, 4, 6])
def test_mixed_derivative_exact_on_polynomials(accuracy):
    rng = np.random.default_rng(18)
    # derivative's stencils of order `accuracy` differentiate polynomials of
    # degree n + accuracy - 1 exactly (ends included; accuracy 2: edge_order=2)
    kw = {"accuracy": accuracy} | ({"edge_order": 2} if accuracy == 2 else {})
    deg = accuracy
    for x in grids(rng, 24):
        for y in grids(rng, 21):
            X, Y = np.meshgrid(x, y, indexing="ij")
            f = X ** deg * Y ** deg
            want = deg * deg * X ** (deg - 1) * Y ** (deg - 1)
            got = mixed_derivative(f, x, y, n=(1, 1), axis=(0, 1), **kw)
            assert np.allclose(got, want, rtol=1e-7, atol=1e-7 * np.abs(want).max())


@pytest.mark.parametrize("accuracy", [2, 4, 6])
def test_mixed_derivative_converges_on_stretched_grids(accuracy):
    errors = []
    for n in (40, 80, 160):
        s = np.linspace(0, 1, n)
        x = 2 * np.pi * (s + 0.1 * np.sin(2 * np.pi * s) / (2 * np.pi))   # stretched
        y = 2 * np.pi * s ** 1.2
        X, Y = np.meshgrid(x, y, indexing="ij")
        kw = {"accuracy": accuracy} | ({"edge_order": 2} if accuracy == 2 else {})
        got = mixed_derivative(np.sin(X) * np.cos(Y), x, y, n=(1, 1), axis=(0, 1), **kw)
        errors.append(np.abs(got + np.cos(X) * np.sin(Y)).max())
    rates = np.log2(np.array(errors[:-1]) / np.array(errors[1:]))
    assert rates.min() > accuracy - 0.6, (errors, rates)


# ---------------------------------------------------------------------------
# Errors


def test_errors_name_the_argument_and_write_nothing():
    f = np.ones((8, 9))
    out = np.full((8, 9), 7.0)
    cases = [
        (ValueError, "components", lambda: divergence([f, f, f], axis=(0, 1), out=out)),
        (ValueError, "components", lambda: curl([f], out=out)),
        (ValueError, "repeated axis", lambda: divergence([f, f], axis=(0, 0), out=out)),
        (ValueError, "repeated axis", lambda: mixed_derivative(f, n=(1, 1), axis=(1, 1),
                                                               out=out)),
        (ValueError, "one shape", lambda: divergence([f, np.ones((8, 8))], out=out)),
        (TypeError, "one dtype", lambda: curl([f, f.astype(np.float32)], out=out)),
        (ValueError, "n must be", lambda: mixed_derivative(f, n=(1, 5), axis=(0, 1),
                                                           out=out)),
        (ValueError, "n must be", lambda: mixed_derivative(f, n=(0, 1), axis=(0, 1),
                                                           out=out)),
        (ValueError, "one order per axis", lambda: mixed_derivative(f, n=(1,), axis=(0, 1),
                                                                    out=out)),
        (TypeError, "float16", lambda: divergence([f.astype(np.float16)] * 2)),
        (TypeError, "object", lambda: hessian(f.astype(object))),
        (ValueError, "accuracy", lambda: divergence([f, f], accuracy=3, out=out)),
        (ValueError, "boundary", lambda: curl([f, f], boundary="wall", out=out)),
        (ValueError, "needs at least", lambda: mixed_derivative(f, n=(4, 1), axis=(0, 1),
                                                                accuracy=6, out=out)),
        (ValueError, "out has", lambda: divergence([f, f], out=np.empty((8, 8)))),
        (ValueError, "share memory", lambda: divergence([f, out], out=out)),
        (TypeError, "invalid number", lambda: hessian(f, 1.0, 2.0, 3.0)),
    ]
    for exc, match, call in cases:
        with pytest.raises(exc, match=match):
            call()
        assert (out == 7.0).all(), match


def test_compiled_entry_points_refuse_orders_outside_1_to_4():
    from gradient_ext._runtime import kernels
    f = np.ones(30)
    for n in (0, 5, 7, -1):
        for call in [lambda: kernels.gradient_call(f, (), None, 1, None, None, False,
                                                   "one-sided", None, 2, n),
                     lambda: kernels.read_call(f, (), None, 1, None, "one-sided", None, 8, n),
                     lambda: kernels.kernel_gradient(f, [1.0], (0,), 1, 1, 8, n)]:
            with pytest.raises(ValueError, match="n must be an integer from 1 to 4"):
                call()
    with pytest.raises(TypeError, match="n must be an integer"):
        kernels.kernel_gradient(f, [1.0], (0,), 1, 1, 2, 1.5)


def test_divergence_of_the_gradient_terms_is_the_laplacian_rule():
    # divergence sums its terms as the Laplacian does: in increasing axis number
    rng = np.random.default_rng(19)
    f = rng.standard_normal((20, 21))
    g0, g1 = derivative(f, n=1, axis=0), derivative(f, n=1, axis=1)
    want = derivative(g0, axis=0) + derivative(g1, axis=1)
    same(divergence([g0, g1]), want)
    same(divergence([g1, g0], axis=(1, 0)), want)


# ---------------------------------------------------------------------------
# dask: lazy, one pass per block, bit for bit the in-memory result


def _dask_case(rng, shape):
    import dask_checks
    return tuple(tuple(dask_checks.random_chunks(rng, n)) for n in shape)


@pytest.mark.parametrize("kw", [kw if k in (0, 4) else pytest.param(kw, marks=pytest.mark.slow)
                                for k, kw in enumerate(SCHEMES)],
                         ids=lambda kw: "-".join(f"{k}={v}" for k, v in kw.items()))
def test_dask_operators_equal_in_memory(kw):
    da = pytest.importorskip("dask.array")
    import dask
    from dask_checks import SYNC
    rng = np.random.default_rng([RNG_SEED, 5, len(kw)])
    shape = (23, 19)
    f, g = rng.standard_normal(shape), rng.standard_normal(shape)
    x0 = uneven(rng, shape[0])
    for trial in range(3):
        chunks = _dask_case(rng, shape)
        F, G = da.from_array(f, chunks=chunks), da.from_array(g, chunks=chunks)
        varargs = [(), (0.5,), (x0, 0.3)][trial]
        extra = periodic_varargs(varargs, kw, shape, (0, 1))
        cases = [
            (lambda a, b: divergence([a, b], *varargs, **kw, **extra)),
            (lambda a, b: curl([a, b], *varargs, **kw, **extra)),
            (lambda a, b: mixed_derivative(a, *varargs, n=(1, 1), axis=(0, 1), **kw,
                                           **extra)),
            (lambda a, b: hessian(a, *varargs, **kw, **extra)),
        ]
        if "edge_order" not in kw:
            cases.append(lambda a, b: laplacian(a, *varargs, **kw, **extra))
        for call in cases:
            lazy = call(F, G)
            assert isinstance(lazy, da.Array)
            if lazy.ndim == 2:
                assert lazy.chunks == F.chunks
            (got,) = dask.compute(lazy, **SYNC)
            same(got, call(f, g))


def test_dask_spacings_of_divergence_and_curl():
    """Dask coordinates and 0-d dask spacings: read at compute time by the planner,
    bit for bit the in-memory call with the computed spacings; mixed partials and
    the Hessian (whose blocks read corners) refuse them with TypeError."""
    da = pytest.importorskip("dask.array")
    import dask
    from dask_checks import SYNC
    rng = np.random.default_rng([RNG_SEED, 6])
    shape = (23, 19)
    f, g = rng.standard_normal(shape), rng.standard_normal(shape)
    x0, x1 = uneven(rng, shape[0]), np.arange(19.0) * 0.25      # uneven; even (collapses)
    F, G = (da.from_array(a, chunks=_dask_case(rng, shape)) for a in (f, g))
    G = G.rechunk(F.chunks)
    for varargs, kw in [((da.from_array(x0, chunks=5), da.from_array(x1, chunks=7)), {}),
                        ((da.from_array(x0, chunks=4), 0.5), {"accuracy": 4}),
                        ((da.from_array(np.float64(0.3)), da.from_array(x1, chunks=19)),
                         {"edge_order": 2}),
                        ((da.from_array(x0, chunks=6), da.from_array(x1, chunks=5)),
                         {"boundary": "periodic", "accuracy": 6,
                          "period": [x0[-1] - x0[0] + 0.7, x1[-1] - x1[0] + 0.3]})]:
        computed = [np.asarray(v) if isinstance(v, da.Array) else v for v in varargs]
        for op in (divergence, curl):
            lazy = op([F, G], *varargs, **kw)
            (got,) = dask.compute(lazy, **SYNC)
            same(got, op([f, g], *computed, **kw))
    coords = da.from_array(x0, chunks=5)
    with pytest.raises(TypeError, match="dask spacings"):
        mixed_derivative(F, coords, 0.5, n=(1, 1), axis=(0, 1))
    with pytest.raises(TypeError, match="dask spacings"):
        hessian(F, coords, 0.5)


def test_dask_refuses_out_and_other_ducks():
    da = pytest.importorskip("dask.array")
    f = da.ones((10, 10), chunks=5)
    with pytest.raises(TypeError, match="out="):
        divergence([f, f], out=np.empty((10, 10)))

    class Duck:
        shape = (4, 4)

        def __array_function__(self, func, types, args, kwargs):
            return NotImplemented

    with pytest.raises(TypeError, match="not supported"):
        hessian(Duck())


# ---------------------------------------------------------------------------
# The xarray accessor: by dimension name, bit for bit the functions


def test_xarray_accessor_operators():
    xr = pytest.importorskip("xarray")
    import gradient_ext.xarray  # noqa: F401
    rng = np.random.default_rng(21)
    y, x = np.linspace(0, 1, 14), uneven(rng, 17)
    u, v = rng.standard_normal((2, 14, 17))
    ds = xr.Dataset({"u": (("y", "x"), u), "v": (("y", "x"), v),
                     "t": (("x",), x)}, coords={"y": y, "x": x})
    # the mapping's order is the frame's, whatever the arrays' dimension order
    same(ds.gx.curl({"x": "u", "y": "v"}).values, curl((u, v), x, y, axis=(1, 0)))
    same(ds.gx.curl({"y": "v", "x": "u"}).values, curl((v, u), y, x, axis=(0, 1)))
    vt = ds.transpose("x", "y")
    same(vt.gx.curl({"x": "u", "y": "v"}).transpose("y", "x").values,
         curl((u, v), x, y, axis=(1, 0)))
    same(ds.gx.divergence({"x": "u", "y": "v"}, accuracy=4).values,
         divergence((u, v), x, y, axis=(1, 0), accuracy=4))
    got = ds.gx.mixed_derivative({"x": 1, "y": 2}, accuracy=4)
    same(got["u"].values, mixed_derivative(u, x, y, n=(1, 2), axis=(1, 0), accuracy=4))
    assert got["t"].identical(ds["t"])          # lacks "y": unchanged
    H = ds.gx.hessian(["y", "x"])
    want = hessian(v, y, x, axis=(0, 1))
    for i in range(2):
        for j in range(2):
            same(H[i][j]["v"].values, want[i, j])
    with pytest.raises(ValueError, match="'lon'"):
        ds.rename(x="lon").gx.curl({"lon": "u", "y": "v"}, boundary={"lon": "wall"})


# ---------------------------------------------------------------------------
# Slabs: arrays larger than one slab, every scheme, both memory orders


@pytest.mark.parametrize("kw", SCHEMES, ids=lambda kw: "-".join(f"{k}={v}" for k, v in kw.items()))
@pytest.mark.parametrize("order", ["C", "F"])
def test_many_slabs_keep_the_definitions(kw, order, monkeypatch):
    import gradient_ext._operators as ops
    monkeypatch.setattr(ops, "SLAB_ELEMENTS", 1000)     # many slabs (8x with threads)
    rng = np.random.default_rng([RNG_SEED, 6, len(kw)])
    shape = (260, 170)
    assert np.prod(shape) > 5 * 8 * ops.SLAB_ELEMENTS
    u = np.asarray(rng.standard_normal(shape), order=order)
    v = np.asarray(rng.standard_normal(shape), order=order)
    x0, x1 = uneven(rng, shape[0]), uneven(rng, shape[1])
    for varargs in [(0.3,), (x0, x1)]:
        extra = periodic_varargs(varargs, kw, shape, (0, 1))
        pq = extra.get("period", [None, None])
        d = lambda f, q, n=1: derivative(f, varargs[min(q, len(varargs) - 1)], axis=q, n=n,  # noqa
                                         **derivative_kw(kw, n),
                                         **({"period": pq[q]} if pq[q] is not None else {}))
        same(divergence((u, v), *varargs, **kw, **extra), d(u, 0) + d(v, 1))
        same(curl((u, v), *varargs, **kw, **extra), d(v, 0) - d(u, 1))
        H = hessian(u, *varargs, **kw, **extra, workers=1)
        same(H[0, 0], d(u, 0, 2))
        same(H[1, 1], d(u, 1, 2))
        same(H[0, 1], d(d(u, 1), 0))


@pytest.mark.parametrize("kw", SCHEMES, ids=lambda kw: "-".join(f"{k}={v}" for k, v in kw.items()))
def test_rows_of_a_long_line(kw, monkeypatch):
    # one axis, longer than a slab: the rows= restriction runs along the line
    import gradient_ext._operators as ops
    monkeypatch.setattr(ops, "SLAB_ELEMENTS", 1000)
    rng = np.random.default_rng([RNG_SEED, 7, len(kw)])
    n = 30_011
    f = rng.standard_normal(n)
    for varargs in [(), (uneven(rng, n),)]:
        extra = periodic_varargs(varargs, kw, (n,), (0,))
        pq = extra.get("period", [None])[0]
        want = derivative(f, *varargs, **kw, **({"period": pq} if pq is not None else {}))
        same(divergence([f], *varargs, axis=(0,), **kw, **extra), want)


def test_rows_call_refuses_what_it_cannot_hold():
    from gradient_ext._runtime import kernels
    f = np.arange(20.0)
    out = np.empty(5)
    got = kernels.rows_gradient_call(f, (), 0, 1, 1, out, "one-sided", None, 2, 1, (3, 8))
    same(got, np.gradient(f)[3:8])
    for rows, o, exc in [((3, 9), out, ValueError), ((-1, 4), np.empty(5), ValueError),
                         ((15, 25), np.empty(10), ValueError), ((3, 8), None, TypeError),
                         ((3, 8), np.empty(5, np.float32), ValueError),
                         ((3, 8), f[:5], ValueError)]:
        with pytest.raises(exc):
            kernels.rows_gradient_call(f, (), 0, 1, 1, o, "one-sided", None, 2, 1, rows)


def test_slabs_shared_among_threads_keep_the_bits(monkeypatch):
    import gradient_ext._operators as ops
    monkeypatch.setattr(ops, "SLAB_ELEMENTS", 700)
    monkeypatch.setattr(ops, "PARALLEL_SLABS_MIN", 0)
    rng = np.random.default_rng(22)
    f = rng.standard_normal((210, 90))
    x = uneven(rng, 210)
    for call in [lambda w: mixed_derivative(f, x, 0.3, n=(2, 1), axis=(0, 1), workers=w,
                                            accuracy=4),
                 lambda w: hessian(f, x, 0.3, workers=w, boundary=("periodic", "one-sided"),
                                   period=(float(x[-1] - x[0]) * 1.5, None))]:
        one = call(1)
        same(call(2), one)
        same(call(-1), one)
    want = derivative(derivative(f, 0.3, axis=1, accuracy=4), x, n=2, axis=0, accuracy=4)
    same(mixed_derivative(f, x, 0.3, n=(2, 1), axis=(0, 1), workers=2, accuracy=4), want)


@pytest.mark.parametrize("kw", [kw if k in (2, 5) else pytest.param(kw, marks=pytest.mark.slow)
                                for k, kw in enumerate(SCHEMES)],
                         ids=lambda kw: "-".join(f"{k}={v}" for k, v in kw.items()))
def test_dask_one_derivative_terms_for_many_chunkings(kw):
    # divergence, curl and the Laplacian: each block's own sweep, faces from thin halos
    da = pytest.importorskip("dask.array")
    import dask
    from dask_checks import SYNC
    rng = np.random.default_rng([RNG_SEED, 8, len(kw)])
    shape = (21, 17, 19)
    F = [rng.standard_normal(shape) for _ in range(3)]
    x1 = uneven(rng, shape[1])
    extra = periodic_varargs((0.5, x1, 0.2), kw, shape, (0, 1, 2))
    for trial in range(3):
        chunks = _dask_case(rng, shape)
        D = [da.from_array(f, chunks=chunks) for f in F]
        for call in [lambda G: divergence(G, 0.5, x1, 0.2, **kw, **extra),
                     lambda G: curl(G, 0.5, x1, 0.2, **kw, **extra),
                     lambda G: curl(G[:2], x1, 0.5, axis=(1, 0), **kw,
                                    **({"period": extra["period"][:2][::-1]} if extra else {})),
                     lambda G: laplacian(G[0], 0.5, x1, 0.2, **derivative_kw(kw, 2), **extra)]:
            (got,) = dask.compute(call(D), **SYNC)
            same(got, call(F))
