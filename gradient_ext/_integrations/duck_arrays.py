"""NEP 18 for gradient_ext.gradient: duck arrays are answered as numpy answers them.

numpy.gradient dispatches on `f` and every spacing argument: when one of them
is an object whose type overrides ``__array_function__`` (CuPy, sparse, user
duck arrays; not ndarray or the subclasses that keep ndarray's method),
numpy returns what that protocol returns.  gradient_ext does the same by
calling numpy's own gradient, captured at import (``_runtime.NUMPY_GRADIENT``),
so that a later patch of numpy.gradient can never recurse into gradient_ext.

Dask arrays are the exception: they are computed lazily, chunk by chunk, by
gradient_ext's kernels (``dask_arrays.py``).  dask is looked up in ``sys.modules``
and never imported here: if ``dask.array`` has not been imported, no dask
array can exist, and plain calls pay nothing.

``overrides`` runs on the general path of every call (the fast path in the
kernels has already declined anything that is not an exact ndarray), so it
only looks at types, and skips the common ones without a lookup.
"""

import sys

import numpy as np

from .._runtime import NUMPY_GRADIENT, kernels

_NDARRAY_FUNCTION = np.ndarray.__array_function__
# Types that never override __array_function__: decided without a lookup.
_PLAIN = frozenset({np.ndarray, float, int, bool, complex, list, tuple, type(None),
                    np.float64, np.float32, np.int64})


def _overrides(obj):
    if type(obj) in _PLAIN:
        return False
    return getattr(type(obj), "__array_function__", _NDARRAY_FUNCTION) is not _NDARRAY_FUNCTION


def overrides(f, varargs):
    """Whether `f` or a spacing argument is a duck array in numpy's NEP 18 sense."""
    if type(f) not in _PLAIN and _overrides(f):
        return True
    for v in varargs:
        if type(v) not in _PLAIN and _overrides(v):
            return True
    return False


def overrides_any(arrays, varargs):
    """`overrides` for several data arrays (the components of a vector field)."""
    for a in arrays:
        if type(a) not in _PLAIN and _overrides(a):
            return True
    return overrides(None, varargs)


def call(op, f, arrays, varargs, options):
    """The result of operator `op` (``_dispatch.Operator``) for duck-array arguments:
    dask arrays lazily (``op.dask``), other duck arrays through numpy's own
    protocol where numpy has the function (``op.numpy``), else TypeError."""
    if options.get("out") is not None:
        raise TypeError(f"out= is not supported for dask or other duck arrays ({op.name}, "
                        f"got {type(arrays[0]).__name__}); assign the result instead")
    dask_array = sys.modules.get("dask.array")
    if dask_array is not None and only_dask_ducks(arrays, varargs, dask_array.Array):
        workers = options.get("workers")
        return op.dask(f, varargs, dict(options, workers=1 if workers is None else workers))
    if op.numpy is None:
        raise TypeError(f"{op.name} computes numpy and dask arrays (and array-likes); "
                        f"{type(arrays[0]).__name__} arrays and spacings are not supported "
                        f"(convert them with np.asarray first)")
    return op.numpy(f, varargs, None, options)


def numpy_protocol(f, varargs, axis, edge_order, boundary, period, accuracy):
    """numpy.gradient's NEP 18 dispatch, for duck arrays other than dask."""
    if not kernels.is_default_scheme(boundary, period, accuracy):
        raise TypeError("boundary=, period= and accuracy= are not supported for duck "
                        f"arrays other than dask (got {type(f).__name__}); compute them "
                        "in memory")
    # Pass axis and edge_order only when not the defaults, as a caller of
    # numpy.gradient who omitted them would: the duck sees the same kwargs.
    kwargs = {}
    if axis is not None:
        kwargs["axis"] = axis
    if not (type(edge_order) is int and edge_order == 1):
        kwargs["edge_order"] = edge_order
    return NUMPY_GRADIENT(f, *varargs, **kwargs)


def only_dask_ducks(arrays, varargs, dask_type):
    """True when every duck argument is a dask array (others: numpy's protocol)."""
    return all(isinstance(a, dask_type) for a in (*arrays, *varargs) if _overrides(a))
