"""Time xarray's differentiate unpatched (numpy.gradient) and patched (gradient_ext).

    python benchmarks/xarray_patch.py [--reps N]

A 721x1440 float32 field (a 0.25 degree global grid) on latitude/longitude
coordinates, from the bench's seed.  Each row checks that the patched result
is the unpatched one (xarray's metadata, and every variable's bits with the
bench's comparator), then alternates unpatched and patched calls rep by rep
(the bench's engine, one call per rep) and prints medians.
"""

import argparse
import platform
import sys
import types

import numpy as np
import xarray as xr

import gradient_ext
from gradient_ext._bench.cases import SEED
from gradient_ext._bench.compare import identical
from gradient_ext._bench.engine import Row, time_row, verdict
from gradient_ext._bench.report import fmt_ratio, fmt_time, markdown_table


def field(rng):
    lat = np.linspace(90.0, -90.0, 721)
    lon = np.arange(1440) * 0.25
    data = (280 + 30 * np.cos(np.deg2rad(lat))[:, None] * np.cos(np.deg2rad(lon))[None, :]
            + rng.standard_normal((721, 1440))).astype(np.float32)
    return xr.DataArray(data, coords={"latitude": lat, "longitude": lon},
                        dims=("latitude", "longitude"), name="t2m")


def cases(da, rng):
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


def patched(fn):
    """`fn` run with numpy.gradient patched to gradient_ext."""
    def run():
        with gradient_ext.patched_numpy():
            return fn()
    return run


def _same(got, expected):
    """xarray's identical metadata, and the bits of every variable."""
    try:
        xr.testing.assert_identical(got, expected)
    except AssertionError:
        return False
    names = list(expected.data_vars) if isinstance(expected, xr.Dataset) else [None]
    pick = (lambda a, k: a if k is None else a[k])
    return all(identical(pick(got, k).values, pick(expected, k).values) for k in names)


def row(name, fn):
    """The checked row of one call: unpatched and patched contenders."""
    check = verdict(_same(patched(fn)(), fn()))
    return Row(types.SimpleNamespace(name=name), check,
               {"unpatched": fn, "patched": patched(fn)})


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--reps", type=int, default=30)
    reps = parser.parse_args().reps
    if gradient_ext.is_patched():
        sys.exit("numpy.gradient is patched (GRADIENT_EXT_PATCH_NUMPY?): the unpatched "
                 "column needs numpy's own")
    print(f"xarray {xr.__version__}, numpy {np.__version__}, gradient_ext "
          f"{gradient_ext.__version__}, Python {platform.python_version()}, "
          f"threads for workers=None: {gradient_ext.openmp_info()['threads']}")
    rng = np.random.default_rng(SEED)
    results = [time_row(row(name, fn), reps, min_rep=0.0)
               for name, fn in cases(field(rng), rng).items()]
    print(markdown_table(
        ["call (721x1440 float32)", "unpatched", "patched", "speedup"],
        [[r.label(), fmt_time(r.time("unpatched")), fmt_time(r.time("patched")),
          fmt_ratio(r.ratio("unpatched", "patched"))] for r in results]))
    return 0 if all(r.ok for r in results) else 1


if __name__ == "__main__":
    sys.exit(main())
