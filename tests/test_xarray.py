"""xarray's differentiate through a patched numpy: the same bits, by our kernels.

``DataArray.differentiate`` and ``Dataset.differentiate`` call
``numpy.gradient`` (through xarray's array namespace) with the coordinate
values, datetimes converted to numbers in ``datetime_unit``.  Each case is
computed unpatched (numpy) and patched (gradient_ext); the two xarray objects
must be identical and their data equal bit for bit.  Counters prove the
patched run went through gradient_ext, and to its kernels, not back to numpy.
"""

import numpy as np
import pytest

import gradient_ext
from gradient_ext import _api
from helpers import assert_xarray_same, lat_lon

xr = pytest.importorskip("xarray")


class Calls:
    """Counts of calls reaching gradient_ext and of its hand-offs to numpy's code."""

    gradient = 0
    numpy = 0


@pytest.fixture
def kernels(monkeypatch):
    """Counts calls of gradient_ext.gradient (the object the patch installs) and of
    numpy's original (the exact path); the kernels computed a call that reached
    gradient_ext and did not hand it to numpy."""
    calls = Calls()
    real_gradient, real_numpy = _api.gradient, _api._NUMPY_GRADIENT

    def counting_gradient(*args, **kwargs):
        calls.gradient += 1
        return real_gradient(*args, **kwargs)

    def counting_numpy(*args, **kwargs):
        calls.numpy += 1
        return real_numpy(*args, **kwargs)

    monkeypatch.setattr(_api, "gradient", counting_gradient)
    monkeypatch.setattr(_api, "_NUMPY_GRADIENT", counting_numpy)
    yield calls
    assert calls.numpy == 0, "a call went to numpy's own code, not the kernels"


def both(compute):
    """compute() unpatched and patched; checks they are identical, bit for bit."""
    expected = compute()
    with gradient_ext.patched_numpy():
        got = compute()
    assert_xarray_same(got, expected)
    return got


@pytest.mark.parametrize("dtype", [np.float64, np.float32])
@pytest.mark.parametrize("coord", ["lat", "lon"])
@pytest.mark.parametrize("edge_order", [1, 2])
def test_dataarray_on_lat_lon(kernels, dtype, coord, edge_order):
    da = lat_lon(dtype, amplitude=1.0)
    got = both(lambda: da.differentiate(coord, edge_order=edge_order))
    assert got.dtype == dtype and kernels.gradient == 1


@pytest.mark.parametrize("dtype", [np.float64, np.float32, np.int32])
def test_dataarray_on_uneven_coordinates(kernels, dtype):
    rng = np.random.default_rng(1)
    depth = np.cumsum(rng.uniform(0.5, 20.0, 50))     # ocean levels, uneven
    da = xr.DataArray((rng.random((50, 8)) * 100).astype(dtype),
                      coords={"depth": depth}, dims=("depth", "station"))
    both(lambda: da.differentiate("depth"))
    both(lambda: da.differentiate("depth", edge_order=2))
    assert kernels.gradient == 2


@pytest.mark.parametrize("unit", [None, "s", "h", "D"])
@pytest.mark.parametrize("dtype", [np.float64, np.float32])
def test_dataarray_on_datetime_coordinates(kernels, unit, dtype):
    rng = np.random.default_rng(2)
    hours = np.cumsum(rng.integers(1, 7, 40))          # irregular sampling times
    time = np.datetime64("2024-01-01T00", "ns") + hours.astype("timedelta64[h]")
    da = xr.DataArray(rng.random((40, 5)).astype(dtype), coords={"time": time},
                      dims=("time", "x"))
    both(lambda: da.differentiate("time", datetime_unit=unit))
    assert kernels.gradient == 1


def test_dataset_with_several_variables(kernels):
    base = lat_lon(np.float64, amplitude=1.0)
    ds = xr.Dataset({
        "t2m": base,
        "t2m_f32": base.astype(np.float32),
        "counts": (("lat", "lon"), np.arange(base.size, dtype=np.int64).reshape(base.shape)),
        "zonal": ("lat", np.sin(np.deg2rad(base.lat.values)) ** 2),
        "no_lat": ("lon", np.ones(base.sizes["lon"])),     # left alone along lat
    })
    both(lambda: ds.differentiate("lat"))
    both(lambda: ds.differentiate("lon", edge_order=2))
    assert kernels.gradient == 4 + 4          # the variables holding the dimension, per call


def test_dataset_on_datetime_coordinates(kernels):
    time = np.array(["2024-01-01", "2024-01-02", "2024-01-04", "2024-01-08", "2024-01-09"],
                    dtype="datetime64[ns]")
    ds = xr.Dataset({"level": ("time", np.array([1.0, 3.0, 2.0, 8.0, 9.5])),
                     "flow": ("time", np.array([5, 7, 4, 8, 2], dtype=np.float32))},
                    coords={"time": time})
    both(lambda: ds.differentiate("time", datetime_unit="D"))
    assert kernels.gradient == 2
