"""Time xarray's differentiate unpatched (numpy.gradient) and patched (gradient_ext).

    python benchmarks/xarray_patch.py [--reps N]

A 721x1440 float32 field (a 0.25 degree global grid) on latitude/longitude
coordinates.  Each row checks that the patched result has the same bits, then
alternates unpatched and patched calls rep by rep and prints medians.
"""

import argparse
import platform
import time

import numpy as np
import xarray as xr

import gradient_ext


def field():
    lat = np.linspace(90.0, -90.0, 721)
    lon = np.arange(1440) * 0.25
    rng = np.random.default_rng(0)
    data = (280 + 30 * np.cos(np.deg2rad(lat))[:, None] * np.cos(np.deg2rad(lon))[None, :]
            + rng.standard_normal((721, 1440))).astype(np.float32)
    return xr.DataArray(data, coords={"latitude": lat, "longitude": lon},
                        dims=("latitude", "longitude"), name="t2m")


def cases(da):
    rng = np.random.default_rng(1)
    uneven = da.assign_coords(latitude=np.sort(rng.uniform(-90, 90, 721))[::-1])
    ds = xr.Dataset({"t2m": da, "u10": da * 0.5, "v10": da * 2.0})
    return {
        "DataArray.differentiate('latitude')": lambda: da.differentiate("latitude"),
        "DataArray.differentiate('longitude')": lambda: da.differentiate("longitude"),
        "DataArray.differentiate('latitude', edge_order=2)":
            lambda: da.differentiate("latitude", edge_order=2),
        "uneven latitude": lambda: uneven.differentiate("latitude"),
        "Dataset (3 variables).differentiate('longitude')":
            lambda: ds.differentiate("longitude"),
    }


def timed(fn):
    t0 = time.perf_counter()
    fn()
    return time.perf_counter() - t0


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--reps", type=int, default=30)
    reps = parser.parse_args().reps
    print(f"xarray {xr.__version__}, numpy {np.__version__}, gradient_ext "
          f"{gradient_ext.__version__}, Python {platform.python_version()}, "
          f"threads for workers=None: {gradient_ext.openmp_info()['threads']}")
    print("| call (721x1440 float32) | unpatched | patched | speedup |")
    print("|---|--:|--:|--:|")
    for name, fn in cases(field()).items():
        expected = fn()
        with gradient_ext.patched_numpy():
            got = fn()
        xr.testing.assert_identical(got, expected)
        for k in (expected.data_vars if isinstance(expected, xr.Dataset) else [None]):
            g, e = (got, expected) if k is None else (got[k], expected[k])
            assert g.values.tobytes() == e.values.tobytes(), name
        plain, patched = [], []
        for _ in range(reps):
            plain.append(timed(fn))
            with gradient_ext.patched_numpy():
                patched.append(timed(fn))
        ratio = np.median(np.array(plain) / np.array(patched))
        print(f"| {name} | {np.median(plain) * 1e3:.2f} ms | {np.median(patched) * 1e3:.2f} ms"
              f" | {ratio:.2f}x |")


if __name__ == "__main__":
    main()
