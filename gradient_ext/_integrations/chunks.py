"""The kernels on spacings numpy has already read: the entry point of chunked
callers (the dask integration), which read the call once and then run every
block.  Imports no optional library."""

from .._runtime import kernels as _kernels


def kernel_gradient(f, dx, axes, edge_order, workers=1, accuracy=2, deriv=1):
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
    ``edge_order + 1``.  `accuracy` 4, 6 or 8 (with edge_order 1): the one-sided
    k-tap schemes of gradient(..., accuracy=...); a chunk needs accuracy/2
    halo points per side (periodic axes: halos wrapped across the array's
    ends, coordinates shifted by the period), and raises ValueError for an
    axis shorter than ``accuracy + 1``.  `deriv` 2..4: the n-th derivative's
    schemes of derivative(..., n=deriv) (edge_order 1; ``(deriv + accuracy)//2``
    halo points per side, axes of at least ``deriv + accuracy`` points).
    """
    return _kernels.kernel_gradient(f, list(dx), tuple(axes), edge_order,
                                    _kernels.threads_for(workers), accuracy, deriv)
