"""The public ``gradient`` function: a thin wrapper around the compiled planner.

``gradient`` hands its arguments, exactly as given, to the kernels'
``gradient_call`` (``_core/planning/_entry_points.pxi``), which makes every decision numpy.gradient
makes (axes, spacing forms, the even-coordinate collapse, NEP 50 precisions,
coefficients, errors) and runs the stencils.  What stays here is what Python is
for: turning an array-like into an array, and running ``numpy.gradient`` itself
for the inputs no kernel computes (float16, longdouble, complex longdouble,
datetime, timedelta, object, bool, byte-swapped or unaligned data, ndarray
subclasses, complex or exotic spacings) once the planner has validated them,
which is by definition bit-identical.
"""

from . import _dispatch
from ._integrations import duck_arrays as _duck_arrays
from ._padded_numpy import padded_numpy_gradient
from ._runtime import NUMPY_GRADIENT as _NUMPY_GRADIENT
from ._runtime import kernels as _kernels

# nan='s default, the one object the small call's path tests by identity
_PROPAGATE = "propagate"

__all__ = ["gradient", "openmp_info", "clear_weight_cache"]


def openmp_info():
    """Report how gradient_ext uses threads.

    Returns
    -------
    dict
        ``"openmp"``: whether the kernels were compiled with OpenMP;
        ``"threads"``: how many threads a call with ``workers=None`` may use
        (OpenMP's setting, which follows ``OMP_NUM_THREADS`` and threadpoolctl,
        capped by the CPUs this process may run on; 1 without OpenMP);
        ``"kernels"``: which build of the kernels runs (``"_kernels_avx2"`` or
        the baseline ``"_kernels"``).
    """
    return {"openmp": _kernels.openmp_enabled(), "threads": _kernels.default_threads(),
            "kernels": _kernels.__name__.rsplit(".", 1)[-1]}


def clear_weight_cache():
    """Empty the cache of stencil weights on uneven coordinates.

    ``accuracy > 2`` (and `derivative`'s ``n > 1``) on uneven coordinates
    compute a table of weights per axis; the last few tables of axes of 256
    points or more (at most 32, 128 MiB together) are kept and reused when the
    same coordinates, order and boundary come again. The cache never changes results (a table is the same
    bits however often it is computed); clearing it frees its memory.
    """
    _kernels.clear_weight_cache()


def gradient(f, *varargs, axis=None, edge_order=1, out=None, workers=None,
             boundary="one-sided", period=None, accuracy=2, constant_values=None,
             nan=_PROPAGATE):
    """Return the gradient of an N-dimensional array, bit-identical to numpy.gradient.

    The gradient is computed using second order accurate central differences
    in the interior points and either first or second order accurate one-sided
    (forward or backwards) differences at the boundaries. The returned gradient
    hence has the same shape as the input array.

    Parameters
    ----------
    f : array_like
        An N-dimensional array containing samples of a scalar function.
    *varargs : list of scalar or array, optional
        Spacing between f values. Default unitary spacing for all dimensions.
        Spacing can be specified using:

        1. single scalar to specify a sample distance for all dimensions.
        2. N scalars to specify a constant sample distance for each dimension.
        3. N arrays to specify the coordinates of the values along each
           dimension of f. The length of the array must match the size of
           the corresponding dimension.
        4. Any combination of N scalars/arrays with the meaning of 2. and 3.

        If `axis` is given, the number of varargs must equal the number of axes.
    axis : None or int or tuple of ints, optional
        The gradient is calculated only along the given axis or axes.
        The default (None) is to calculate the gradient for all the axes of
        the input array. axis may be negative, in which case it counts from
        the last to the first axis.
    edge_order : {1, 2}, optional
        Gradient is calculated using N-th order accurate differences at the
        boundaries. Default: 1.  Unlike numpy, any value other than 1 or 2
        raises ``ValueError``.
    out : ndarray or sequence of ndarray, optional
        Preallocated result: one array when one axis is computed, a sequence of
        arrays (one per axis) otherwise. Each must have the shape of `f` and
        exactly the dtype numpy would return, be writeable, and share no
        memory with `f` or with each other. The result is written into them and
        they are returned.
    workers : int, optional
        Threads to use for large arrays. None (default) uses OpenMP's setting
        (``OMP_NUM_THREADS``, threadpoolctl) capped by the CPUs available; -1
        uses every CPU available. Results do not depend on it.
    boundary : {"one-sided", "periodic", "symmetric", "reflect", "edge", "constant"} \
or sequence of them, optional
        One value for every gradient axis, or one per axis. "one-sided"
        (default) is numpy's. "periodic" treats the axis as one period of a
        periodic function: every point gets the interior scheme, the
        neighbours of the ends wrapped around. With ``accuracy=2`` this is
        exactly numpy.gradient on ``np.pad(f, 1, mode="wrap")``, trimmed.
        "symmetric", "reflect", "edge" and "constant" are np.pad's modes:
        every point gets the interior scheme on the data padded by that
        mode, bit for bit, without the padded copy (see
        :doc:`/guide/boundaries`); coordinates get ghost coordinates
        (reflect ``x[-k] = 2x[0] - x[k]``, symmetric ``x[-k] = 2x[0] - h0 -
        x[k-1]``, edge and constant ``x[-k] = x[0] - k*h0``, ``h0 = x[1] -
        x[0]``; mirrored at the far end).
    period : None, scalar or sequence, optional
        The period of each periodic axis given coordinates (required there):
        the coordinates must increase and fit inside one period, the wrap-
        around gap is ``period - (x[-1] - x[0])``. A uniform axis has the
        period ``n * h``; a period given for it must equal that (relative
        tolerance 1e-6) and changes nothing. A scalar applies to every
        periodic axis; a sequence has one value (or None) per axis.
    accuracy : {2, 4, 6, 8}, optional
        Order of the scheme. 2 (default) is numpy's. 4, 6 and 8 use central
        stencils of ``accuracy + 1`` points (uniform weights such as
        ``(1/12, -2/3, 0, 2/3, -1/12)/h``; Fornberg weights per point on
        uneven coordinates) and, at one-sided ends, one-sided stencils of the
        same order as findiff's; ``edge_order`` must then stay at its default,
        and every axis needs at least ``accuracy + 1`` points. The taps are
        summed left to right by offset, in the computation precision numpy
        would use for the interior (NEP 50).
    constant_values : None, scalar or sequence, optional
        The value beyond the ends of each ``boundary="constant"`` axis
        (default 0): one scalar, or one value (or None) per axis. Cast to
        `f`'s dtype as np.pad casts it.
    nan : {"propagate", "split"}, optional
        "propagate" (default) is numpy's: a NaN or infinity spreads over every
        stencil that reads it. "split": along each axis, each run of finite
        values is differentiated as if it were its own array, with one-sided
        ends (bit for bit that call on the run alone); non-finite points give
        NaN, and so do runs too short for the stencil. On a periodic axis a
        run that touches both ends continues across them. With
        ``boundary="one-sided"`` or ``"periodic"`` only (see
        :doc:`/guide/missing_values`).

    Returns
    -------
    gradient : ndarray or tuple of ndarray
        A tuple of ndarrays (or a single ndarray if there is only one
        dimension) corresponding to the derivatives of f with respect to
        each dimension. Each derivative has the same shape as f.

    Raises
    ------
    ValueError
        For the inputs numpy rejects with ValueError, for an `edge_order`
        other than 1 or 2, for a coordinate array along an axis shorter than
        ``edge_order + 1`` (numpy raises IndexError for length 1), for an
        unusable `out` or `workers`, and for an invalid `boundary`, `period`,
        `accuracy`, `constant_values` or `nan` (the message names it).
    TypeError
        For a wrong number of spacing arguments, as numpy.

    See Also
    --------
    numpy.gradient : the reference whose results this function reproduces.

    Notes
    -----
    With unit spacing ``h`` the interior is ``(f[i+1] - f[i-1]) / (2h)`` and
    the ends ``(f[1] - f[0]) / h`` and ``(f[-1] - f[-2]) / h``; with
    ``edge_order=2`` the ends use ``(-1.5 f[0] + 2 f[1] - 0.5 f[2]) / h``. For
    uneven coordinates, with ``hd = x[i] - x[i-1]`` and ``hs = x[i+1] - x[i]``,
    the interior is ``-hs/(hd(hd+hs)) f[i-1] + (hs-hd)/(hd hs) f[i]
    + hd/(hs(hd+hs)) f[i+1]``, exact for quadratics.

    Floating-point errors (division by zero, overflow) produce the same IEEE
    values as numpy but no RuntimeWarning, and ``np.errstate`` has no effect.

    Examples
    --------
    >>> import numpy as np
    >>> from gradient_ext import gradient
    >>> gradient(np.array([1, 2, 4, 7, 11, 16], dtype=float))
    array([1. , 1.5, 2.5, 3.5, 4.5, 5. ])
    >>> gradient(np.array([5, 7, 4, 8]), np.array([0, 1, 3, 3.5]))
    array([2.        , 0.83333333, 6.1       , 8.        ])
    >>> gradient(np.array([[1, 2, 6], [3, 4, 5]], dtype=float))
    (array([[ 2.,  2., -1.],
           [ 2.,  2., -1.]]), array([[1. , 2.5, 4. ],
           [1. , 1. , 1. ]]))
    """
    if constant_values is None and nan is _PROPAGATE:
        # the small call's path (the defaults, tested by identity): no more arguments
        # than it needs
        result = _kernels.gradient_call(f, varargs, axis, edge_order, workers, out, False,
                                        boundary, period, accuracy)
    else:
        result = _kernels.gradient_call(f, varargs, axis, edge_order, workers, out, False,
                                        boundary, period, accuracy, 1, False, constant_values,
                                        _nan_argument(nan))
    if result is None or type(result) is _kernels.NumpyCall:
        return _dispatch.general(GRADIENT, f, varargs, {
            "axis": axis, "edge_order": edge_order, "out": out, "workers": workers,
            "boundary": boundary, "period": period, "accuracy": accuracy,
            "constant_values": constant_values, "nan": nan}, result)
    return result


def _nan_argument(nan):
    """nan= as the planner takes it: None for numpy's "propagate" (its fast path)."""
    return None if isinstance(nan, str) and nan == "propagate" else nan


def _gradient_kernel(f, varargs, generic, o):
    return _kernels.gradient_call(f, varargs, o["axis"], o["edge_order"], o["workers"],
                                  o["out"], generic, o["boundary"], o["period"], o["accuracy"],
                                  1, False, o["constant_values"], _nan_argument(o["nan"]))


def _gradient_dask(f, varargs, o):
    from ._integrations import dask_arrays
    return dask_arrays.gradient(f, *varargs, axis=o["axis"], edge_order=o["edge_order"],
                                workers=o["workers"], boundary=o["boundary"],
                                period=o["period"], accuracy=o["accuracy"],
                                constant_values=o["constant_values"], nan=o["nan"])


def _gradient_numpy(f, varargs, call, o):
    """numpy.gradient itself: a NumpyCall the planner validated, or a duck array."""
    if call is None:
        return _duck_arrays.numpy_protocol(f, varargs, o["axis"], o["edge_order"],
                                           o["boundary"], o["period"], o["accuracy"])
    if call.pads:
        result = padded_numpy_gradient(_NUMPY_GRADIENT, f, call)
    else:
        result = _numpy_gradient(f, varargs, call.axes, call.edge_order, call.outs)
    return result if call.stacked is None else call.stacked


def _numpy_gradient(f, varargs, axes, edge_order, outs):
    """numpy.gradient itself, for the inputs without a kernel; fills `outs` if given."""
    result = _NUMPY_GRADIENT(f, *varargs, axis=axes, edge_order=edge_order)
    return result if outs is None else _dispatch.copy_into(outs, result, len(axes))


GRADIENT = _dispatch.Operator("gradient", _gradient_kernel, _gradient_dask, _gradient_numpy)
