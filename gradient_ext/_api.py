"""The public ``gradient`` function: numpy.gradient's decisions, compiled arithmetic.

This layer does everything numpy.gradient does before its arithmetic, with the
same expressions so that types, values and exceptions come out the same:
normalising ``axis``, reading the spacing forms, computing the uniform-spacing
coefficients (``2. * dx``, ``-1.5 / dx``, ...), validating ``out`` and
``workers``, and resolving the precision of each operation under NEP 50 with
``np.result_type``.  The kernels (``_stencils.pxi``, built as ``_kernels`` and
``_kernels_avx2``) then run the stencils; they derive uneven-spacing
coefficients from the coordinates themselves.  The common calls never reach
this module's general path: ``_kernels.fast_gradient`` handles them whole.

Inputs that have no kernel (float16, longdouble, complex longdouble, datetime,
timedelta, object, bool, byte-swapped or unaligned data, ndarray subclasses,
complex or exotic spacings) are validated here and then handed to
``numpy.gradient`` itself, which is by definition bit-identical.
"""

import operator
import os

import numpy as np
from numpy.lib.array_utils import normalize_axis_tuple

from . import _kernels as _baseline_kernels

__all__ = ["gradient", "openmp_info"]


def _select_kernels():
    """The AVX2 build of the kernels when the CPU has AVX2, else the baseline one.

    ``GRADIENT_EXT_KERNELS=baseline`` forces the baseline build (for testing).
    Both compute the same operations, so the choice changes speed, not bits.
    """
    if os.environ.get("GRADIENT_EXT_KERNELS", "") == "baseline":
        return _baseline_kernels
    try:
        from numpy._core._multiarray_umath import __cpu_features__
        from . import _kernels_avx2
    except ImportError:
        return _baseline_kernels
    return _kernels_avx2 if __cpu_features__.get("AVX2") else _baseline_kernels


_kernels = _select_kernels()


def _usable_cpus():
    try:
        return len(os.sched_getaffinity(0))
    except (AttributeError, OSError):
        return os.cpu_count() or 1


# Measured once: default_threads() caps by it too, so workers=-1 and None agree.
_USABLE_CPUS = _usable_cpus()
_kernels.set_usable_cpus(_USABLE_CPUS)

_TOO_SMALL = _kernels.TOO_SMALL
# Real and complex computation precisions the kernels implement, by input kind.
_FLOAT64 = np.dtype(np.float64)
_REAL_CALC = {np.dtype(np.float32): False, np.dtype(np.float64): True}
_COMPLEX_CALC = {np.dtype(np.complex64): False, np.dtype(np.complex128): True}
# Python ints beyond this are not exact in a double; numpy's own path handles them.
_EXACT_INT = 2**53


# numpy's own gradient, captured before anything can patch numpy.gradient: the
# exact path and duck-array dispatch call it, and must never reach gradient_ext.
_NUMPY_GRADIENT = np.gradient


class _UseNumpy(Exception):
    """Raised while planning when numpy's own code must compute the result."""


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


def gradient(f, *varargs, axis=None, edge_order=1, out=None, workers=None):
    """Return the gradient of an N-dimensional array, bit-identical to numpy.gradient.

    The gradient is computed using second order accurate central differences
    in the interior points and either first or second order accurate one-sides
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
        ``edge_order + 1`` (numpy raises IndexError for length 1), and for an
        unusable `out` or `workers`.
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
    result = _kernels.fast_gradient(f, varargs, axis, edge_order, workers, out)
    if result is not None:
        return result
    return _general_gradient(f, varargs, axis, edge_order, out, workers)


def _general_gradient(f, varargs, axis, edge_order, out, workers):
    # The statements below follow numpy.gradient step by step, so that every
    # exception arises where, and with the type, numpy raises it.
    f = np.asanyarray(f)
    ndim = f.ndim
    axes = tuple(range(ndim)) if axis is None else normalize_axis_tuple(axis, ndim)
    dx = _spacings(f, varargs, axes)
    if edge_order > 2:
        raise ValueError("'edge_order' greater than 2 not supported")
    if edge_order != 1 and edge_order != 2:
        raise ValueError(f"'edge_order' must be 1 or 2, got {edge_order!r}")
    edge_order = int(edge_order)
    nthreads = _threads(workers)
    otype = _output_dtype(f.dtype)
    outs = _check_out(out, f, otype, len(axes))

    try:
        if outs is not None and not all(o.flags.aligned and o.dtype.isnative for o in outs):
            raise _UseNumpy               # the kernels write native, aligned memory only
        with np.errstate(all="ignore"):   # coefficient maths warns nowhere (README)
            specs = _plan(f, axes, dx, edge_order)
    except _UseNumpy:
        return _numpy_gradient(f, varargs, axes, edge_order, outs)
    results = outs or [np.empty_like(f, dtype=otype) for _ in axes]
    if not _kernels.run(f, results, specs, nthreads):
        # byte-swapped or unaligned data: no kernel reads it
        return _numpy_gradient(f, varargs, axes, edge_order, outs)
    return results[0] if len(axes) == 1 else tuple(results)


def _kernel_gradient(f, dx, axes, edge_order, workers=1):
    """numpy.gradient's arrays for spacings numpy has already read; for chunked callers.

    `f` is a plain ndarray; `axes` a tuple of non-negative axes; `edge_order` 1
    or 2.  Each ``dx[k]`` is what numpy.gradient holds for axis ``axes[k]``
    after reading varargs: a scalar spacing (a weak Python or a strong numpy
    scalar, such as the ``diffx[0]`` of evenly spaced coordinates), or a 1-D
    float32/float64 coordinate array of length ``f.shape[axes[k]]`` that is
    computed as *uneven* (it is never collapsed, even if its own differences
    happen to be equal: the caller decided on the whole axis).  Returns the list
    of result arrays, or None when the kernels cannot compute it (then the
    caller uses numpy).  Raises ValueError for an axis shorter than
    ``edge_order + 1``.
    """
    dx = list(dx)
    for k, d in enumerate(dx):
        if isinstance(d, np.ndarray) and d.ndim == 1:
            if d.dtype not in _REAL_CALC or len(d) != f.shape[axes[k]]:
                return None
            dx[k] = _Coordinates(np.ascontiguousarray(d))
    try:
        with np.errstate(all="ignore"):
            specs = _plan(f, tuple(axes), dx, edge_order)
    except _UseNumpy:
        return None
    results = [np.empty_like(f, dtype=_output_dtype(f.dtype)) for _ in axes]
    if not _kernels.run(f, results, specs, _threads(workers)):
        return None
    return results


def _spacings(f, varargs, axes):
    """numpy's reading of varargs: a scalar, or the coordinate differences, per axis."""
    n = len(varargs)
    if n == 0:
        return [1.0] * len(axes)
    if n == 1 and np.ndim(varargs[0]) == 0:
        return list(varargs) * len(axes)
    if n != len(axes):
        raise TypeError("invalid number of arguments")
    dx = list(varargs)
    for i, distances in enumerate(dx):
        distances = np.asanyarray(distances)
        if distances.ndim == 0:
            continue
        if distances.ndim != 1:
            raise ValueError("distances must be either scalars or 1d")
        if len(distances) != f.shape[axes[i]]:
            raise ValueError("when 1d, distances must match "
                             "the length of the corresponding dimension")
        if len(distances) < 2:
            # numpy fails later with IndexError on diffx[0]; say what is wrong.
            raise ValueError(_TOO_SMALL)
        if np.issubdtype(distances.dtype, np.integer):
            # float64 avoids modular arithmetic in np.diff, as numpy does.
            distances = distances.astype(np.float64)
        if type(distances) is np.ndarray and distances.dtype in _REAL_CALC:
            # numpy's diff and equality test below, in one pass without temporaries
            x = np.ascontiguousarray(distances)
            if _kernels.evenly_spaced(x):
                dx[i] = x[1] - x[0]         # numpy's diffx[0]: a strong scalar
            else:
                dx[i] = _Coordinates(x)
            continue
        diffx = np.diff(distances)
        # numpy reduces evenly spaced coordinates to the scalar case.
        if (diffx == diffx[0]).all():
            diffx = diffx[0]
        dx[i] = diffx                       # float16 and exotic coordinates: numpy's path
    return dx


class _Coordinates:
    """Uneven float32/float64 coordinates, whose coefficients the kernels compute."""

    __slots__ = ("x",)

    def __init__(self, x):
        self.x = x


def _threads(workers):
    if workers is None:
        return _kernels.default_threads()
    if isinstance(workers, (bool, np.bool_)):
        raise TypeError("workers must be an integer or None")
    workers = operator.index(workers)   # TypeError for 1.5, "2"
    if workers == -1:
        return _USABLE_CPUS
    if workers < 1:
        raise ValueError(f"workers must be a positive integer or -1, got {workers}")
    return min(workers, _kernels.MAX_THREADS)   # no more than units of work run anyway


def _output_dtype(dtype):
    """numpy's otype: datetimes give timedeltas, inexact stays, the rest float64."""
    if dtype.kind == "M":
        return np.dtype(dtype.name.replace("datetime", "timedelta"))
    if dtype.kind in "mfc":
        return dtype
    return _FLOAT64


def _check_out(out, f, otype, naxes):
    """Validate a user's `out`; returns a list of arrays, or None."""
    if out is None:
        return None
    outs = [out] if naxes == 1 and isinstance(out, np.ndarray) else out
    if isinstance(outs, np.ndarray) or not hasattr(outs, "__len__"):
        raise ValueError(f"out must be a sequence of {naxes} arrays, one per axis")
    outs = list(outs)
    if len(outs) != naxes:
        raise ValueError(f"out must hold {naxes} arrays, one per axis, got {len(outs)}")
    for k, o in enumerate(outs):
        if not isinstance(o, np.ndarray):
            raise ValueError("out must contain numpy arrays")
        if o.shape != f.shape:
            raise ValueError(f"out has shape {o.shape}, the result has shape {f.shape}")
        if o.dtype != otype:
            raise ValueError(f"out has dtype {o.dtype}, the result has dtype {otype}")
        if not o.flags.writeable:
            raise ValueError("out is read-only")
        if o.size and _kernels.overlaps_itself(o):
            raise ValueError("out must not overlap itself (its elements must be distinct)")
        if o.size and _overlap(o, f):
            raise ValueError("out must not share memory with the input")
        for other in outs[:k]:
            if o.size and _overlap(o, other):
                raise ValueError("the arrays of out must not share memory")
    return outs


def _overlap(a, b):
    if not np.may_share_memory(a, b):
        return False
    try:
        return np.shares_memory(a, b, max_work=10_000)
    except np.exceptions.TooHardError:
        return True


def _plan(f, axes, dx, edge_order):
    """Per axis, the coefficients and precisions numpy would use, for the kernels."""
    if type(f) is not np.ndarray:
        raise _UseNumpy                   # subclasses keep numpy's semantics (masks, matrix)
    work = _work_dtype(f.dtype)
    specs = []
    for axis, ax_dx in zip(axes, dx):
        if f.shape[axis] < edge_order + 1:
            raise ValueError(_TOO_SMALL)
        if type(ax_dx) is _Coordinates:
            specs.append(_uneven_spec(work, axis, ax_dx.x, edge_order))
        elif type(ax_dx) in _PYTHON_SCALARS or np.ndim(ax_dx) == 0:
            specs.append(_uniform_spec(work, axis, ax_dx, edge_order))
        else:
            raise _UseNumpy                   # differences of float16 or exotic coordinates
    return specs


def _work_dtype(dtype):
    """The dtype numpy's arithmetic starts from (integers are converted to float64)."""
    if dtype.kind in "fc" and (dtype in _REAL_CALC or dtype in _COMPLEX_CALC):
        return dtype
    if dtype.kind in "iu":
        return _FLOAT64
    raise _UseNumpy


_PYTHON_SCALARS = (float, int, bool)
_calc_cache = {}


def _calc(work, operand):
    """Whether numpy computes `work`-array op `operand` in double precision (NEP 50).

    Python floats and ints are weak: the array's precision wins.  numpy
    scalars and arrays are strong: np.result_type of the two dtypes decides,
    cached because it depends on the dtypes only.  Complex spacings, objects
    and precisions without a kernel go to numpy's own code.
    """
    if type(operand) in _PYTHON_SCALARS:
        calc = work
    else:
        dtype = operand if isinstance(operand, np.dtype) else getattr(operand, "dtype", None)
        if not isinstance(dtype, np.dtype) or dtype.kind not in "biuf":
            raise _UseNumpy
        key = (work.char, dtype.char)
        calc = _calc_cache.get(key)
        if calc is None:
            calc = _calc_cache[key] = np.result_type(work, dtype)
    table = _COMPLEX_CALC if work.kind == "c" else _REAL_CALC
    if calc not in table:
        raise _UseNumpy
    return table[calc]


def _value(operand):
    """The operand as a double; exact for numpy scalars, one rounding for Python's."""
    if type(operand) is int and not -_EXACT_INT < operand < _EXACT_INT:
        raise _UseNumpy
    try:
        return float(operand)
    except Exception:           # numpy never calls float(): whatever fails, numpy decides
        raise _UseNumpy from None


def _uniform_spec(work, axis, ax_dx, edge_order):
    # The same expressions as numpy.gradient, evaluated on the same objects, so
    # their result types (weak Python floats, strong numpy scalars) and their
    # exceptions (ZeroDivisionError for a Python 0) are numpy's.
    h2 = 2. * ax_dx
    wide = _calc(work, h2)
    lo = hi = (0.0, 0.0, 0.0)
    if edge_order == 1:
        edge_wide = _calc(work, ax_dx)
    else:
        lo = (-1.5 / ax_dx, 2. / ax_dx, -0.5 / ax_dx)
        hi = (0.5 / ax_dx, -2. / ax_dx, 1.5 / ax_dx)
        edge_wide = _calc(work, lo[0])
        lo = tuple(_value(c) for c in lo)
        hi = tuple(_value(c) for c in hi)
    return (axis, edge_order, wide, edge_wide, _value(h2), _value(ax_dx), lo, hi)


def _uneven_spec(work, axis, x, edge_order):
    # numpy computes every coefficient in x's precision (float32 or float64),
    # then multiplies in np.result_type(work, x.dtype); the kernels derive the
    # coefficients from x with numpy's expressions.
    return (axis, edge_order, _calc(work, x.dtype), x)


def _numpy_gradient(f, varargs, axes, edge_order, outs):
    """numpy.gradient itself, for the inputs without a kernel; fills `outs` if given."""
    result = _NUMPY_GRADIENT(f, *varargs, axis=axes, edge_order=edge_order)
    if outs is None:
        return result
    results = (result,) if len(axes) == 1 else result
    for o, r in zip(outs, results):
        np.copyto(o, r, casting="no")
    return outs[0] if len(axes) == 1 else tuple(outs)
