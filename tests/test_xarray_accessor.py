"""The ``.gx`` accessor (gradient_ext.xarray) against its oracles.

* ``derivative(dim)`` with the defaults is xarray's own ``differentiate(dim,
  edge_order, datetime_unit)``, identical objects and data bit for bit: numpy
  and dask backends, float32 and integer data, uneven and datetime coordinates.
* ``gradient(dims)`` is ``derivative`` per dimension, bit for bit, in one call
  per variable; ``laplacian`` is gradient_ext.laplacian on the object's data.
* ``boundary="periodic"`` is numpy.gradient on wrap-padded data (the pad oracle
  of test_periodic.py), per dimension through mappings.
* A global latitude/longitude grid: errors against the analytic derivative at
  the order of each scheme.
* Registration: ``import gradient_ext`` alone imports no xarray, and registers
  the accessor only when xarray came first (fresh interpreters).
"""

import doctest

import numpy as np
import pytest

import gradient_ext
import helpers
from helpers import assert_xarray_same, convergence_rate, run_python, runs_doctest
from oracle import assert_array_same, compared
from test_periodic import pad_oracle

xr = pytest.importorskip("xarray")
import gradient_ext.xarray as gx  # noqa: E402  (registers the accessor)

TIMEOUT = 120


def assert_same(got, expected):
    """Identical xarray objects (coords, dims, names, attrs) with data equal bit for bit."""
    assert_xarray_same(got, expected, check_order=False)


def differentiate(obj, *args, **kwargs):
    """xarray's own differentiate (numpy's gradient underneath): the oracle, counted."""
    expected = obj.differentiate(*args, **kwargs)
    compared(len(expected.data_vars) if isinstance(expected, xr.Dataset) else 1)
    return expected


def like(da, data):
    """`da` with other data and no attrs: what differentiate makes of it."""
    out = da.copy(data=data)
    out.attrs = {}
    return out


def lat_lon(dtype=np.float64):
    """A global grid (helpers.lat_lon) in kelvin."""
    return helpers.lat_lon(dtype, attrs={"units": "K"})


def uneven_cube(dtype, seed=1):
    rng = np.random.default_rng(seed)
    depth = np.cumsum(rng.uniform(0.5, 20.0, 30))         # ocean levels, uneven
    data = rng.random((30, 6, 8)) * 100
    da = xr.DataArray(data.astype(dtype), dims=("depth", "station", "x"),
                      coords={"depth": depth, "x": np.arange(8) * 0.25,
                              "label": ("station", list("abcdef")),
                              "depth2": ("depth", depth * 2.0)}, name="temp")
    return da


# ---------------------------------------------------------------- differentiate


@pytest.mark.parametrize("dtype", [np.float64, np.float32, np.int32])
@pytest.mark.parametrize("dim", ["lat", "lon"])
@pytest.mark.parametrize("edge_order", [1, 2])
def test_derivative_is_differentiate(dtype, dim, edge_order):
    da = lat_lon(np.float64) * (100 if dtype == np.int32 else 1)
    da = da.astype(dtype)
    before = da.copy(deep=True)
    got = da.gx.derivative(dim, edge_order=edge_order)
    assert_same(got, differentiate(da, dim, edge_order=edge_order))
    xr.testing.assert_identical(da, before)         # the input is not modified
    assert_array_same(da.values, before.values)


@pytest.mark.parametrize("dtype", [np.float64, np.float32, np.int16])
def test_uneven_coordinates_dims_without_coordinates_and_other_coordinates(dtype):
    da = uneven_cube(dtype)
    for name in ("depth", "x", "station", "depth2"):   # station has no coordinate: 0, 1, ...
        for edge_order in (1, 2):
            assert_same(da.gx.derivative(name, edge_order=edge_order),
                        differentiate(da, name, edge_order=edge_order))


def random_times(n, unit, seed, start="2091-03-01T00"):
    """Irregular times with odd nanoseconds (late in the epoch, so the float64
    rounding of their minimum matters, as in xarray's conversion)."""
    rng = np.random.default_rng(seed)
    steps = rng.integers(1, 7 * 3600 * 10**9, n).astype("timedelta64[ns]")
    return (np.datetime64(start, "ns") + np.cumsum(steps)
            + np.timedelta64(int(rng.integers(1, 255)), "ns")).astype(f"datetime64[{unit}]")


@pytest.mark.parametrize("unit", [None, "s", "h", "D", "ms"])
@pytest.mark.parametrize("coord_unit", ["ns", "s"])
def test_datetime_coordinates(unit, coord_unit):
    rng = np.random.default_rng(2)
    for seed in range(6):
        time = random_times(40, coord_unit, seed)
        da = xr.DataArray(rng.random((40, 3)).astype(np.float32), coords={"time": time},
                          dims=("time", "x"))
        for edge_order in (1, 2):
            assert_same(da.gx.derivative("time", edge_order=edge_order, datetime_unit=unit),
                        differentiate(da, "time", edge_order=edge_order, datetime_unit=unit))


def test_time_numbers_round_the_offset_as_xarray():
    # the minimum goes through float64: 2091 in ns is not exact there, the numbers shift
    time = random_times(50, "ns", 7)
    exact = (time - time.min()) / np.timedelta64(1, "h")
    ours = gx.time_numbers(time, "h")
    assert not np.array_equal(ours, exact)
    variable = xr.Variable("t", time)
    if not hasattr(variable, "_to_numeric"):        # xarray's private converter, if present
        pytest.skip("this xarray has no Variable._to_numeric")
    xarray_numbers = variable._to_numeric(datetime_unit="h").values
    assert_array_same(ours, xarray_numbers)


def test_timedelta_and_nat_coordinates_and_datetime_data():
    rng = np.random.default_rng(3)
    lead = np.cumsum(rng.integers(1, 500, 20)).astype("timedelta64[m]")
    da = xr.DataArray(rng.random(20), coords={"lead": lead}, dims="lead")
    for unit in (None, "h", "s"):
        assert_same(da.gx.derivative("lead", datetime_unit=unit),
                    differentiate(da, "lead", datetime_unit=unit))
    time = random_times(20, "ns", 4)
    time[5] = np.datetime64("NaT")
    with_nat = xr.DataArray(rng.random(20), coords={"time": time}, dims="time")
    assert_same(with_nat.gx.derivative("time"), differentiate(with_nat, "time"))
    # the data itself datetime: converted to numbers as differentiate converts them
    arrival = xr.Dataset({"arrival": ("x", random_times(20, "ns", 5)),
                          "v": ("x", rng.random(20))}, coords={"x": np.arange(20.0) ** 1.5})
    assert_same(arrival.gx.derivative("x"), differentiate(arrival, "x"))
    ts = xr.Dataset({"arrival": ("time", random_times(20, "ns", 6))},
                    coords={"time": random_times(20, "s", 8)})
    for unit in (None, "h"):
        assert_same(ts.gx.derivative("time", datetime_unit=unit),
                    differentiate(ts, "time", datetime_unit=unit))


def dataset():
    base = lat_lon(np.float64)
    return xr.Dataset({
        "t2m": base,
        "t2m_f32": base.astype(np.float32).assign_attrs(long_name="2 m temperature"),
        "counts": (("lat", "lon"), np.arange(base.size, dtype=np.int64).reshape(base.shape)),
        "zonal": ("lat", np.sin(np.deg2rad(base.lat.values)) ** 2, {"units": "1"}),
        "no_lat": ("lon", np.ones(base.sizes["lon"])),     # left alone along lat
        "scalar": ((), 3.0),
    }, coords={"height": 2.0}, attrs={"title": "a global grid"})


@pytest.mark.parametrize("dim", ["lat", "lon"])
def test_dataset_variables_without_the_dimension_are_kept(dim):
    ds = dataset()
    for edge_order in (1, 2):
        got = ds.gx.derivative(dim, edge_order=edge_order)
        assert_same(got, differentiate(ds, dim, edge_order=edge_order))
    assert got.attrs == ds.attrs and list(got.data_vars) == list(ds.data_vars)


# ---------------------------------------------------------------- dask


def no_compute(*args, **kwargs):
    raise AssertionError("the graph was computed: the result is not lazy")


@pytest.mark.parametrize("chunks", [{"lat": 10, "lon": 24}, {"lat": 37, "lon": 9},
                                    pytest.param({"lat": 3, "lon": 8}, marks=pytest.mark.slow)])
def test_dask_stays_lazy_and_is_differentiate(chunks):
    dask = pytest.importorskip("dask")
    ds = dataset()
    lazy = ds.chunk(chunks)
    with dask.config.set(scheduler=no_compute):
        results = {dim: lazy.gx.derivative(dim, edge_order=2) for dim in ("lat", "lon")}
        grads = lazy.gx.gradient(("lat", "lon"), accuracy=4)
        lap = lazy.t2m.gx.laplacian(boundary={"lon": "periodic"}, period={"lon": 360.0})
        second = lazy.gx.derivative("lon", n=2, boundary="periodic", period=360.0)
    for dim, got in results.items():
        assert isinstance(got.t2m.data, dask.array.Array)
        assert_same(got, differentiate(ds, dim, edge_order=2))
        if min(min(c) for c in lazy.chunks.values()) > 3:   # dask's own gradient runs
            assert_same(got, differentiate(lazy, dim, edge_order=2))
    for got, dim in zip(grads, ("lat", "lon")):
        assert isinstance(got.t2m.data, dask.array.Array)
        assert_same(got, ds.gx.derivative(dim, accuracy=4))
    assert isinstance(lap.data, dask.array.Array)
    assert_same(lap, ds.t2m.gx.laplacian(boundary={"lon": "periodic"}, period={"lon": 360.0}))
    assert_same(second, ds.gx.derivative("lon", n=2, boundary="periodic", period=360.0))


def test_dask_datetime_data_stays_lazy():
    dask = pytest.importorskip("dask")
    arrival = xr.Dataset({"arrival": ("x", random_times(20, "ns", 5))},
                         coords={"x": np.arange(20.0) ** 1.5})
    with dask.config.set(scheduler=no_compute):
        got = arrival.chunk({"x": 7}).gx.derivative("x")
    assert isinstance(got.arrival.data, dask.array.Array)
    assert_same(got, differentiate(arrival, "x"))


# ---------------------------------------------------------------- gradient, laplacian


def count_calls(monkeypatch, module, name):
    calls = []
    real = getattr(module, name)

    def counting(*args, **kwargs):
        calls.append(kwargs.get("axis"))
        return real(*args, **kwargs)

    monkeypatch.setattr(module, name, counting)
    return calls


def test_gradient_is_derivative_per_dimension_in_one_call(monkeypatch):
    ds = dataset()
    calls = count_calls(monkeypatch, gx, "_gradient")
    dlat, dlon = ds.gx.gradient(edge_order=2, boundary={"lon": "periodic"},
                                period={"lon": 360.0})
    # one call per variable, over all the dimensions it holds
    assert sorted(calls, key=str) == sorted([(0, 1), (0, 1), (0, 1), (0,), (0,)], key=str)
    assert_same(dlat, ds.gx.derivative("lat", edge_order=2))
    assert_same(dlon, ds.gx.derivative("lon", edge_order=2, boundary="periodic", period=360.0))
    da = uneven_cube(np.float32)
    parts = da.gx.gradient(["x", "depth"], accuracy=4)
    assert isinstance(parts, tuple) and len(parts) == 2
    assert_same(parts[0], da.gx.derivative("x", accuracy=4))
    assert_same(parts[1], da.gx.derivative("depth", accuracy=4))
    (one,) = da.gx.gradient("depth")
    assert_same(one, differentiate(da, "depth"))
    everything = da.gx.gradient()
    assert len(everything) == 3
    assert_same(everything[1], differentiate(da, "station"))


def test_laplacian_is_gradient_ext_laplacian():
    da = uneven_cube(np.float64).transpose("x", "depth", "station")
    got = da.gx.laplacian(["depth", "x"], accuracy=4)
    exp = gradient_ext.laplacian(da.values, da.x.values, da.depth.values, axis=(0, 1),
                                 accuracy=4)
    assert_same(got, like(da, exp))
    ds = dataset()
    lap = ds.gx.laplacian(boundary={"lon": "periodic"}, period={"lon": 360.0})
    assert_same(lap.zonal, ds.zonal.gx.derivative("lat", n=2))
    assert_same(lap.no_lat, ds.no_lat.gx.derivative("lon", n=2, boundary="periodic",
                                                     period=360.0))
    assert_same(lap.scalar, ds.scalar)
    exp = gradient_ext.laplacian(ds.t2m.values, ds.lat.values, ds.lon.values,
                                 boundary=["one-sided", "periodic"], period=[None, 360.0])
    assert_array_same(lap.t2m.values, exp)


# ---------------------------------------------------------------- periodic, mappings


@pytest.mark.parametrize("dtype", [np.float64, np.float32, np.int32])
def test_periodic_is_the_pad_oracle(dtype):
    da = (lat_lon() * 100).astype(dtype)
    rng = np.random.default_rng(5)
    uneven_lon = np.sort(rng.uniform(0.0, 360.0, da.sizes["lon"]))
    for lon in (da.lon.values, uneven_lon):
        field = da.assign_coords(lon=lon)
        for kw in ({"boundary": "periodic", "period": 360.0},
                   {"boundary": {"lon": "periodic"}, "period": {"lon": 360.0}}):
            got = field.gx.derivative("lon", **kw)
            (exp,) = pad_oracle(field.values, lon, axis=1, period=360.0)
            assert_array_same(got.values, exp, check_order=False)
            xr.testing.assert_identical(got, like(field, exp))
        dlat, dlon = field.gx.gradient(boundary={"lon": "periodic"}, period={"lon": 360.0})
        assert_array_same(dlon.values, exp, check_order=False)
        assert_same(dlat, differentiate(field, "lat"))


def test_periodic_time_with_a_timedelta_period():
    hours = np.array([0, 1, 3, 4, 7, 9, 12, 15, 16, 20, 22], dtype="timedelta64[h]")
    time = np.datetime64("2024-06-01T00", "ns") + hours
    da = xr.DataArray(np.sin(2 * np.pi * hours.astype(float) / 24), coords={"time": time},
                      dims="time")
    got = da.gx.derivative("time", boundary="periodic", period=np.timedelta64(1, "D"),
                           datetime_unit="h")
    (exp,) = pad_oracle(da.values, hours.astype(float), period=24.0)
    assert_array_same(got.values, exp)
    same = da.gx.derivative("time", boundary="periodic", period=24.0, datetime_unit="h")
    assert_same(got, same)


# ---------------------------------------------------------------- a global grid


def analytic_grid(nlat, nlon):
    """f = cos(lat) sin(2 lon + 0.7) + sin(lat)**2 on a global grid, per degree."""
    lat = np.linspace(-80.0, 80.0, nlat)            # away from the poles' singular rows
    lon = np.linspace(0.0, 360.0, nlon, endpoint=False)
    la, lo = np.deg2rad(lat)[:, None], np.deg2rad(lon)[None, :]
    f = np.cos(la) * np.sin(2 * lo + 0.7) + np.sin(la) ** 2
    dlon = 2 * np.cos(la) * np.cos(2 * lo + 0.7) * np.pi / 180
    dlat = (-np.sin(la) * np.sin(2 * lo + 0.7) + 2 * np.sin(la) * np.cos(la)) * np.pi / 180
    da = xr.DataArray(f, coords={"lat": lat, "lon": lon}, dims=("lat", "lon"))
    return da, dlat, dlon


def errors(nlat, nlon, accuracy, boundary, edge_order=1):
    """|computed - analytic| of the derivatives along lat and lon."""
    da, dlat, dlon = analytic_grid(nlat, nlon)
    glat, glon = da.gx.gradient(("lat", "lon"), accuracy=accuracy, boundary=boundary,
                                period={"lon": 360.0} if boundary != "one-sided" else None,
                                edge_order=edge_order)
    return np.abs(glat.values - dlat), np.abs(glon.values - dlon)


def max_errors(*args):
    return tuple(e.max() for e in errors(*args))


@pytest.mark.parametrize("accuracy", [2, 4])
def test_global_grid_converges_at_the_order_of_the_scheme(accuracy):
    # longitudes periodic (period 360), latitudes one-sided (numpy's second-order
    # ends for accuracy 2)
    periodic, edges = {"lon": "periodic"}, 2 if accuracy == 2 else 1
    coarse = max_errors(41, 72, accuracy, periodic, edges)
    fine = max_errors(81, 144, accuracy, periodic, edges)
    # each axis's spacing halves from the coarse grid to the fine one
    rates = [convergence_rate([2, 1], errs) for errs in zip(coarse, fine)]
    assert min(rates) > accuracy - 0.3, rates
    # periodic: the date line is interior like any other meridian; one-sided
    # ends (even of the same order) are worse there
    for boundary, worse in ((periodic, False), ("one-sided", True)):
        lon_error = errors(81, 144, accuracy, boundary, edges)[1]
        ends = max(lon_error[:, 0].max(), lon_error[:, -1].max())
        assert (ends > 1.5 * lon_error[:, 2:-2].max()) == worse, boundary
    if accuracy == 2:       # differentiate's: first-order ends at the date line
        one_sided = max_errors(81, 144, 2, "one-sided")[1]
        assert one_sided > 10 * fine[1]


# ---------------------------------------------------------------- errors


def test_errors_name_the_argument():
    da = lat_lon()
    with pytest.raises(ValueError, match="dims: 'level'"):
        da.gx.derivative("level")
    with pytest.raises(ValueError, match="dims: 'level'"):
        da.gx.gradient(["lat", "level"])
    with pytest.raises(ValueError, match="dims: 'level'"):
        dataset().gx.laplacian("level")
    with pytest.raises(ValueError, match="boundary must be .*got 'perodic'.*axes of the call: .*'lon'"):
        da.gx.derivative("lon", boundary="perodic")
    with pytest.raises(ValueError, match="boundary must be .*got 'wrap'.*axes of the call: .*'lon'"):
        da.gx.laplacian(boundary={"lon": "wrap"})
    with pytest.raises(ValueError, match="boundary: 'longitude' is neither"):
        da.gx.derivative("lon", boundary={"longitude": "periodic"})
    with pytest.raises(ValueError, match="period: 'longitude' is neither"):
        da.gx.derivative("lon", boundary="periodic", period={"longitude": 360.0})
    with pytest.raises(ValueError, match="period is given for axis 0 .*one-sided.*0 = 'lat'"):
        da.gx.gradient(boundary={"lon": "periodic"}, period={"lat": 180.0})
    with pytest.raises(ValueError, match="period is given, but no axis .*0 = 'lat'"):
        da.gx.derivative("lat", period=180.0)
    for obj in (da, dataset(), xr.DataArray(1.0)):
        with pytest.raises(ValueError, match="the laplacian needs at least one axis "
                                             r"\(axes of the call: none: no dims given\)"):
            obj.gx.laplacian([] if obj.sizes else None)
    assert xr.DataArray(1.0).gx.gradient() == ()
    with pytest.raises(ValueError, match="named twice"):
        uneven_cube(np.float64).gx.gradient(["depth", "depth2"])
    with pytest.raises(ValueError, match="period .*axes of the call: 0 = 'lon'"):
        da.gx.derivative("lon", boundary="periodic", period=350.0)    # gradient_ext's check
    with pytest.raises(ValueError, match="period is required .*1 = 'lon'"):
        da.gx.laplacian(boundary={"lon": "periodic"})
    with pytest.raises(ValueError, match="n must be"):
        da.gx.derivative("lon", n=5)
    with pytest.raises(ValueError, match="edge_order"):
        da.gx.derivative("lon", n=2, edge_order=2)
    with pytest.raises(ValueError, match="accuracy"):
        da.gx.laplacian(accuracy=3)
    two_d = da.assign_coords(area=(("lat", "lon"), np.ones(da.shape)))
    with pytest.raises(ValueError, match="one-dimensional"):
        two_d.gx.derivative("area")
    cal = da.assign_coords(lon=np.array(da.lon.values, dtype=object))
    with pytest.raises(TypeError, match="holds objects"):
        cal.gx.derivative("lon")


# ---------------------------------------------------------------- docs, registration


@runs_doctest
def test_docstring_examples_run():
    results = doctest.testmod(gx, optionflags=doctest.NORMALIZE_WHITESPACE)
    assert results.attempted >= 8 and results.failed == 0


def test_import_gradient_ext_alone_imports_no_xarray_and_registers_nothing():
    out = run_python("""
        import sys
        import gradient_ext
        print("xarray" in sys.modules)
        import xarray as xr
        print(hasattr(xr.DataArray, "gx"))
        import gradient_ext.xarray
        print(hasattr(xr.DataArray, "gx"), hasattr(xr.Dataset, "gx"))
    """, flags=["-W", "error"]).split()
    assert out == ["False", "False", "True", "True"]


def test_import_gradient_ext_after_xarray_registers_the_accessor():
    out = run_python("""
        import xarray as xr
        import gradient_ext
        print(hasattr(xr.DataArray, "gx"), hasattr(xr.Dataset, "gx"))
        import gradient_ext.xarray                  # again: no re-registration warning
        print(xr.DataArray([1.0, 3.0], dims="x").gx.derivative("x").values.tolist())
    """, flags=["-W", "error"]).split()
    assert out == ["True", "True", "[2.0,", "2.0]"]
