"""Higher derivatives and the Laplacian: ``derivative`` and ``laplacian``.

Both are thin wrappers, like ``gradient``: the planner (``_core/planning``) reads
the arguments with gradient's rules (axes, spacings, NEP 50 precisions,
``out=``, ``workers=``, ``boundary=``, ``period=``, ``accuracy=``), and the
k-tap layer computes the stencils (``_schemes.pxi`` sizes them and computes
their weights).  ``derivative(f, ..., n=1)`` *is* ``gradient``: it calls it.
"""

from . import _dispatch
from ._api import _nan_argument, gradient
from ._runtime import kernels as _kernels

__all__ = ["derivative", "laplacian"]


def _derivative_kernel(f, varargs, generic, o):
    return _kernels.gradient_call(f, varargs, o["axis"], 1, o["workers"], o["out"], generic,
                                  o["boundary"], o["period"], o["accuracy"], o["n"],
                                  o["laplacian"], o["constant_values"], _nan_argument(o["nan"]))


def _derivative_dask(f, varargs, o):
    """Dask arrays: lazy, on the dask engine of every one-derivative operator."""
    from ._integrations import dask_arrays
    return dask_arrays.gradient(f, *varargs, axis=o["axis"], edge_order=1,
                                workers=o["workers"], boundary=o["boundary"],
                                period=o["period"], accuracy=o["accuracy"], n=o["n"],
                                laplacian=o["laplacian"], constant_values=o["constant_values"],
                                nan=o["nan"])


def _call(f, varargs, axis, order, workers, out, boundary, period, accuracy, laplacian,
          constant_values, nan):
    result = _kernels.gradient_call(f, varargs, axis, 1, workers, out, False, boundary,
                                    period, accuracy, order, laplacian, constant_values,
                                    _nan_argument(nan))
    if result is None:
        # No kernel for the data (float16, object, ...): the planner raises TypeError,
        # so no NumpyCall comes back.
        op = LAPLACIAN if laplacian else _DERIVATIVES[order]
        return _dispatch.general(op, f, varargs, {
            "axis": axis, "n": order, "workers": workers, "out": out, "boundary": boundary,
            "period": period, "accuracy": accuracy, "laplacian": laplacian,
            "constant_values": constant_values, "nan": nan})
    return result


LAPLACIAN = _dispatch.Operator("laplacian", _derivative_kernel, _derivative_dask)
_DERIVATIVES = {n: _dispatch.Operator(f"derivative(n={n})", _derivative_kernel,
                                      _derivative_dask) for n in range(2, 5)}


def derivative(f, *varargs, n=1, axis=None, accuracy=2, boundary="one-sided", period=None,
               out=None, workers=None, edge_order=None, constant_values=None,
               nan="propagate"):
    """Return the n-th derivative of an N-dimensional array along each axis.

    ``derivative(f, *varargs, n=1, ...)`` is ``gradient(f, *varargs, ...)``, bit
    for bit (dtype, exceptions and ``edge_order`` included). For ``n`` from 2 to
    4 each axis gets finite-difference stencils of order `accuracy`: central
    ones in the interior, one-sided ones of the same order at the ends (or
    wrapped central ones on a periodic axis), as findiff chooses them.

    Parameters
    ----------
    f : array_like
        An N-dimensional array containing samples of a scalar function.
    *varargs : list of scalar or array, optional
        Spacing between f values, exactly as for `gradient`: none (unit
        spacing), one scalar for every axis, or one scalar or one coordinate
        array per axis.
    n : int, optional
        Order of the derivative, 1 (default) to 4.
    axis : None or int or tuple of ints, optional
        The derivative is calculated only along the given axis or axes. The
        default (None) calculates it along every axis.
    accuracy : {2, 4, 6, 8}, optional
        Order of the scheme (error ``O(h**accuracy)``), interior and ends.
        Uniform spacing: central stencils of ``2*floor((n+1)/2) - 1 +
        accuracy`` points (``(1, -2, 1)/h**2`` for n=2, accuracy 2) with exact
        rational weights divided by ``h**n``; one-sided ends of ``n +
        accuracy`` points. Uneven coordinates: Fornberg weights at each point,
        central stencils of ``2*((n + accuracy)//2) + 1`` points, the ``n +
        accuracy`` points nearest each end there.
    boundary : {"one-sided", "periodic", "symmetric", "reflect", "edge", "constant"} \
or sequence of them, optional
        As for `gradient`: "periodic" wraps the stencils around the axis; the
        np.pad modes give every point the central stencil on the data padded
        by that mode (bit for bit, without the padded copy).
    period : None, scalar or sequence, optional
        As for `gradient`: required for a periodic axis given coordinates.
    out : ndarray or sequence of ndarray, optional
        As for `gradient`: one preallocated array per axis, with the dtype the
        result has.
    workers : int, optional
        Threads to use for large arrays, as for `gradient`. Results do not
        depend on it.
    edge_order : {1, 2}, optional
        gradient's `edge_order`, for ``n=1`` (with ``accuracy=2``) only; the
        default None is gradient's 1.
    constant_values : None, scalar or sequence, optional
        As for `gradient`: the value beyond the ends of ``boundary="constant"``
        axes (default 0).
    nan : {"propagate", "split"}, optional
        As for `gradient`: "split" differentiates each run of finite values
        along an axis as its own array.

    Returns
    -------
    derivative : ndarray or tuple of ndarray
        One array when one axis is computed (one-dimensional `f`, or `axis` an
        int), else a tuple with one array per axis, each the shape of `f`,
        with the dtype `gradient` returns (NEP 50 decides the computation's
        precision the same way).

    Raises
    ------
    ValueError
        For `n` outside 1..4, an axis with fewer than ``n + accuracy`` points,
        `edge_order` given with ``n > 1``, and every argument `gradient`
        rejects (the message names the argument).
    TypeError
        For a non-integer `n`, a wrong number of spacings (as numpy), and,
        for ``n > 1``, data no kernel computes (float16, longdouble, complex
        longdouble, object, datetime, bool, byte-swapped or unaligned arrays,
        ndarray subclasses) or duck arrays other than dask: convert them
        first. Dask arrays give lazy dask arrays (bit for bit the in-memory
        result, any chunking).

    See Also
    --------
    gradient : the first derivative, bit-identical to numpy.gradient.
    laplacian : the sum of the second derivatives over the axes.

    Notes
    -----
    The stencil taps are summed left to right by offset in the computation
    precision (NEP 50, as gradient's interior), so the result does not depend
    on threads or memory layout.

    Examples
    --------
    >>> import numpy as np
    >>> from gradient_ext import derivative
    >>> x = np.arange(6.0)
    >>> derivative(x**3, n=2)               # 6x, exact: second order, ends too
    array([ 0.,  6., 12., 18., 24., 30.])
    >>> derivative(x**3, n=3)
    array([6., 6., 6., 6., 6., 6.])
    >>> derivative(x**2, 0.5, n=2)          # spacing h = 0.5: 2 / 0.5**2
    array([8., 8., 8., 8., 8., 8.])
    >>> derivative(x**2)                    # n=1 is gradient (numpy's first-order ends)
    array([1., 2., 4., 6., 8., 9.])
    >>> xs = np.array([0.0, 0.5, 1.5, 2.0, 3.5, 4.0])
    >>> np.round(derivative(xs**2, xs, n=2), 12)   # uneven coordinates
    array([2., 2., 2., 2., 2., 2.])
    """
    order = _kernels.derivative_order(n)
    if order == 1:
        return gradient(f, *varargs, axis=axis, edge_order=1 if edge_order is None else
                        edge_order, out=out, workers=workers, boundary=boundary,
                        period=period, accuracy=accuracy, constant_values=constant_values,
                        nan=nan)
    if edge_order is not None:
        raise ValueError(f"edge_order applies to n=1 only (gradient's ends); with n={order} "
                         f"leave it at None (the ends get the order of accuracy)")
    return _call(f, varargs, axis, order, workers, out, boundary, period, accuracy, False,
                 constant_values, nan)


def laplacian(f, *varargs, axis=None, accuracy=2, boundary="one-sided", period=None,
              out=None, workers=None, constant_values=None, nan="propagate"):
    """Return the Laplacian of an N-dimensional array: the sum of its second
    derivatives over the axes.

    Parameters
    ----------
    f : array_like
        An N-dimensional array containing samples of a scalar function.
    *varargs : list of scalar or array, optional
        Spacing, exactly as for `gradient` and `derivative`: none, one scalar,
        or one scalar or coordinate array per axis of `axis`.
    axis : None or int or tuple of ints, optional
        The axes summed over; None (default) sums over every axis.
    accuracy : {2, 4, 6, 8}, optional
        Order of the second-derivative stencils (see `derivative`).
    boundary : {"one-sided", "periodic", "symmetric", "reflect", "edge", "constant"} \
or sequence of them, optional
        As for `gradient`, per axis.
    period : None, scalar or sequence, optional
        As for `gradient`.
    out : ndarray, optional
        One preallocated array of the result's shape and dtype.
    workers : int, optional
        Threads to use for large arrays. Results do not depend on it.
    constant_values : None, scalar or sequence, optional
        As for `gradient` (default 0).
    nan : {"propagate", "split"}, optional
        As for `gradient`: with "split", each axis's second derivative is taken
        on the runs of finite values along that axis, then summed.

    Returns
    -------
    laplacian : ndarray
        One array, the shape of `f`, with the dtype `gradient` returns.

    Raises
    ------
    ValueError
        For an axis with fewer than ``2 + accuracy`` points, no axis at all,
        and every argument `gradient` rejects (the message names it).
    TypeError
        As for `derivative` with ``n > 1``.

    See Also
    --------
    derivative : each axis's second derivative, ``derivative(f, n=2, axis=k)``.

    Notes
    -----
    The axes are summed in increasing axis number (whatever order `axis`
    lists them in), and the result is bit for bit
    ``d0 + d1 + ...`` with ``dk = derivative(f, *varargs, n=2, axis=k, ...)``
    summed in the result's dtype from left to right, for every thread count
    and memory layout. It is computed in one pass over `f`, each axis's
    value added into the output as it is computed: no per-axis array is made.

    Examples
    --------
    >>> import numpy as np
    >>> from gradient_ext import laplacian
    >>> y, x = np.meshgrid(np.arange(5.0), np.arange(6.0), indexing="ij")
    >>> laplacian(x**2 + 3 * y**2)          # 2 + 6, exact for quadratics
    array([[8., 8., 8., 8., 8., 8.],
           [8., 8., 8., 8., 8., 8.],
           [8., 8., 8., 8., 8., 8.],
           [8., 8., 8., 8., 8., 8.],
           [8., 8., 8., 8., 8., 8.]])
    >>> laplacian(x**2 + 3 * y**2, axis=1)
    array([[2., 2., 2., 2., 2., 2.],
           [2., 2., 2., 2., 2., 2.],
           [2., 2., 2., 2., 2., 2.],
           [2., 2., 2., 2., 2., 2.],
           [2., 2., 2., 2., 2., 2.]])
    """
    return _call(f, varargs, axis, 2, workers, out, boundary, period, accuracy, True,
                 constant_values, nan)
