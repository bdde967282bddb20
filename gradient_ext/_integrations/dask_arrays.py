"""gradient, derivative and laplacian of dask arrays: lazy results, computed chunk by
chunk by the kernels, bit-identical to the in-memory call for any chunking
(1-element chunks included).  Imported only when a dask array reaches them
(``duck_arrays.py``).

This module only *reads* the call; ``dask_blocks.run``, the engine of every
one-derivative operator, builds the graph.  The reading is the planner's own,
on a *probe*: an object array of the dask array's shape (zero-strided, no data;
no kernel computes it, so the planner stops after every check), so the errors
are the in-memory function's, raised now and in its order.  Dask spacings are
replaced in the probe by stand-ins of their shape and dtype; their values are
read by the planner at compute time (``Step.resolved``: numpy's collapse of
evenly spaced coordinates, periodic coordinates checked and extended), the only
errors left for ``compute()``.  Then numpy on three elements of the data's dtype
with each spacing, and the k-tap kernels on a few, raise now the TypeErrors
the arithmetic would raise later.
"""

import math
import warnings

import numpy as np
import dask.array as da
from dask.array.routines import gradient as _dask_gradient

from .. import _runtime
from .._runtime import kernels as _kernels
from . import dask_blocks
from .chunks import Reader, Term, kernel_computes, stand_in

__all__ = ["gradient", "stand_ins"]

# dask's own gradient, for chunks that are not ndarrays (masked, CuPy): never
# gradient_ext's, even if dask.array.gradient has been patched with it.
_DASK_GRADIENT = None if _dask_gradient.__module__.startswith("gradient_ext") else _dask_gradient


def gradient(f, *varargs, axis=None, edge_order=1, workers=1,
             boundary="one-sided", period=None, accuracy=2, n=1, laplacian=False,
             constant_values=None, nan="propagate"):
    """numpy.gradient of a dask array, as lazy dask arrays with the same chunks.

    Arguments as gradient_ext.gradient; spacings may also be dask arrays (0-d,
    or 1-D coordinates).  `n` 2..4: derivative(n=n) instead (edge_order 1);
    `laplacian`: the sum of the axes' n-th derivatives (one array).  Errors the
    in-memory function would raise are raised now, not at ``compute()``, except
    those that depend on the values of dask spacings (periodic dask coordinates
    that do not fit in one period).  `workers` is the number of threads each
    chunk's kernel uses (dask already runs chunks in parallel).
    """
    if not isinstance(f, da.Array):
        f = da.asarray(f)                       # numpy data, dask spacing
    nan = None if isinstance(nan, str) and nan == "propagate" else nan
    if type(f._meta) is not np.ndarray:
        if (_DASK_GRADIENT is None or n != 1 or laplacian or constant_values is not None
                or nan is not None
                or not _kernels.is_default_scheme(boundary, period, accuracy)):
            raise TypeError("gradient_ext computes dask arrays of numpy chunks only; "
                            f"this one has {type(f._meta).__name__} chunks")
        return _DASK_GRADIENT(f, *varargs, axis=axis, edge_order=edge_order)
    reader = _read(f, varargs, axis, edge_order, workers, boundary, period, accuracy, n,
                   laplacian, constant_values, nan)
    call = reader.call
    if not call.axes:
        return ()
    if laplacian:
        outputs = [[Term(1, 0, [reader.step(q, n)]) for q in call.sum_order]]
    else:
        outputs = [[Term(1, 0, [reader.step(q, n)])] for q in range(len(call.axes))]
    outs = dask_blocks.run(outputs, [f], workers, call.result_dtype)
    return outs[0] if len(outs) == 1 else tuple(outs)


def _read(f, varargs, axis, edge_order, workers, boundary, period, accuracy, n, laplacian,
          constant_values=None, nan=None):
    """The planner's reading of the call on a probe of f's shape (a Reader), then
    the type probes."""
    axes = _kernels.axes_of(axis, f.ndim)
    for ax in axes:
        if math.isnan(f.shape[ax]):
            raise ValueError(
                f"gradient_ext needs the chunk sizes along axis {ax}, and this dask "
                "array's are unknown (NaN); call x.compute_chunk_sizes() first")
    shape = tuple(1 if math.isnan(m) else m for m in f.shape)   # unknown off the axes
    probe_args, lazy = stand_ins(varargs, len(axes), boundary, period)
    reader = Reader(stand_in(shape), probe_args, axis, edge_order, workers, boundary, period,
                    accuracy, n, dtype=f.dtype, laplacian=laplacian, lazy=lazy,
                    constant_values=constant_values, nan=nan)
    call = reader.call
    for q in range(len(call.axes)):     # numpy's order: size (read_call), then arithmetic
        _numpy_probe(f.dtype, _probe_value(call.given[q], lazy[q], call.spacings[q]),
                     call.edge_order)
    if call.taps:
        _kernel_probe(f.dtype, [_typed(call.given[q], lazy[q], call.spacings[q])
                                for q in range(len(call.axes))], call.accuracy, call.n)
    if call.split and not kernel_computes(f.dtype):
        raise TypeError(f"nan='split' is computed for float32, float64, complex64, complex128 "
                        f"and integer arrays, not for {f.dtype} data (convert it first)")
    return reader


def stand_ins(varargs, naxes, boundary, period):
    """(varargs with each dask spacing replaced by a stand-in, the dask spacing of
    each axis or None).  A 0-d one becomes an object the planner does not check;
    coordinates become increasing ones of their shape and dtype, inside the
    period where one is given."""
    try:
        _, periods = _kernels.scheme_flags(boundary, period, naxes)
    except ValueError:                  # the planner raises it in its turn
        periods = [None] * naxes
    args = list(varargs)
    for q, v in enumerate(varargs):
        if not isinstance(v, da.Array):
            if isinstance(v, np.ma.MaskedArray) and v.ndim == 1:
                raise TypeError("masked coordinate arrays are not supported with dask input")
            continue
        if v.ndim == 0:
            args[q] = np.empty((), object)     # its value is unknown: not checked
            continue
        if any(math.isnan(m) for m in v.shape):
            raise ValueError("the coordinates' length is unknown (NaN chunks); "
                             "call compute_chunk_sizes() on them first")
        args[q] = _stand_in_coordinates(v.shape, v.dtype, periods[q] if q < naxes else None)
    lazy = [None] * naxes
    if len(varargs) in (1, naxes):
        for q in range(naxes):
            v = varargs[q] if len(varargs) == naxes else varargs[0]
            lazy[q] = v if isinstance(v, da.Array) else None
    return tuple(args), lazy


def _stand_in_coordinates(shape, dtype, period):
    """Increasing coordinates of `shape` (1-D; else zeros, which the planner refuses
    as it refuses the real ones) and `dtype`, inside one `period` (a number)."""
    if len(shape) != 1:
        return np.zeros(shape, dtype)
    m = shape[0]
    try:
        step = float(period) / (m + 1) if period is not None else 1.0
    except (TypeError, ValueError):
        step = 1.0
    with np.errstate(all="ignore"):
        return (np.arange(m) * step).astype(dtype)


_NO_PROBE = object()


def _probe_value(given, lazy, read):
    """The spacing of numpy's 3-point probe: the scalar numpy holds, or three
    coordinates of the dtype numpy computes them in (_NO_PROBE: not probed)."""
    if lazy is not None and lazy.ndim == 0:
        return np.ones((), lazy.dtype)
    dtype = _coordinate_dtype(given, lazy, read)
    if dtype is None:
        return read
    return np.array([0, 1, 3]).astype(dtype) if dtype.kind in "fc" else _NO_PROBE


def _typed(given, lazy, read):
    """What the k-tap probe is given for an axis: a scalar, or a coordinate dtype."""
    if lazy is not None and lazy.ndim == 0:
        return np.ones((), lazy.dtype)
    dtype = _coordinate_dtype(given, lazy, read)
    return read if dtype is None else dtype


def _coordinate_dtype(given, lazy, read):
    """The dtype numpy computes the coordinates of an axis in (None: a scalar)."""
    if lazy is not None:
        return np.dtype(np.float64) if np.issubdtype(lazy.dtype, np.integer) else lazy.dtype
    if np.ndim(given) == 0:
        return None
    return np.asarray(read).dtype       # read coordinates, or diff(x)[0] of even ones


def _numpy_probe(dtype, arg, edge_order):
    """numpy on 3 elements of f's dtype with this spacing, so its type errors arise now.

    Object data is not probed: its errors depend on the values, and arise at
    compute time, as numpy would raise them.
    """
    if dtype.kind == "O" or arg is _NO_PROBE:
        return
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        with np.errstate(all="ignore"):
            _runtime.NUMPY_GRADIENT(np.zeros(3, dtype), arg, edge_order=edge_order)


def _kernel_probe(dtype, args, accuracy, n):
    """accuracy > 2 or n > 1: the in-memory TypeError for data or spacings without a
    kernel (the planner's, from a call on as few points as the stencils need)."""
    m = _kernels.stencil_points(n, accuracy)
    for arg in args:
        if isinstance(arg, np.dtype):
            arg = (np.arange(m) * (np.arange(m) + 2.0)).astype(arg)     # uneven
        _kernels.gradient_call(np.zeros(m, dtype), (arg,), None, 1, None, None,
                               generic=True, accuracy=accuracy, n=n)
