"""Typed use of gradient_ext, checked by mypy (tests/test_typing.py); never run.

``assert_type`` fails the mypy run when an inferred type differs, so this file
checks the overloads of ``gradient`` on ``axis``.
"""

from typing import Any

import numpy as np
from numpy.typing import NDArray
from typing_extensions import assert_type

import gradient_ext
from gradient_ext import gradient

f = np.ones((3, 4))
x = np.linspace(0.0, 1.0, 4)

# one integer axis: one array
assert_type(gradient(f, axis=0), NDArray[Any])
assert_type(gradient(f, 0.5, axis=-1, edge_order=2, workers=1), NDArray[Any])
assert_type(gradient(f, x, axis=np.int64(1)), NDArray[Any])
one: NDArray[np.float64] = gradient(f, axis=1)

# axis=None or a tuple: one array for 1-D input or one axis, else a tuple
assert_type(gradient(f), NDArray[Any] | tuple[NDArray[Any], ...])
assert_type(gradient(f, 1.0, x, axis=(0, 1)), NDArray[Any] | tuple[NDArray[Any], ...])
result = gradient([1.0, 2.0, 4.0])
if isinstance(result, tuple):
    assert_type(result, tuple[NDArray[Any], ...])

outs = (np.empty_like(f), np.empty_like(f))
gradient(f, out=outs)
gradient(f, axis=0, out=outs[0])

info = gradient_ext.openmp_info()
assert_type(info["threads"], int)
assert_type(info["openmp"], bool)

with gradient_ext.patched_numpy():
    assert_type(gradient_ext.is_patched(), bool)
gradient_ext.patch_numpy()
gradient_ext.restore_numpy()
assert_type(gradient_ext.__version__, str)

# derivative: gradient's overloads on axis; laplacian: always one array
from gradient_ext import derivative, laplacian  # noqa: E402

assert_type(derivative(f, n=2, axis=0), NDArray[Any])
assert_type(derivative(f, 0.5, x, n=3, accuracy=4), NDArray[Any] | tuple[NDArray[Any], ...])
assert_type(laplacian(f), NDArray[Any])
assert_type(laplacian(f, 1.0, x, axis=(0, 1), workers=2), NDArray[Any])

# the xarray accessor: obj.gx is GradientAccessor(obj), which type checkers see
import xarray as xr  # noqa: E402

from gradient_ext.xarray import GradientAccessor  # noqa: E402

da = xr.DataArray(f, dims=("y", "x"))
ds = da.to_dataset(name="f")
assert_type(GradientAccessor(da).derivative("x", n=2, boundary={"x": "periodic"}), xr.DataArray)
assert_type(GradientAccessor(ds).derivative("y", period={"y": 3.0}), xr.Dataset)
assert_type(GradientAccessor(da).gradient(["y", "x"], accuracy=4), tuple[xr.DataArray, ...])
assert_type(GradientAccessor(ds).laplacian(datetime_unit="h"), xr.Dataset)
# show_config: prints (None) or returns the report's sections
assert_type(gradient_ext.show_config(mode="dicts"), dict[str, dict[str, Any]])
assert_type(gradient_ext.show_config(), None)
