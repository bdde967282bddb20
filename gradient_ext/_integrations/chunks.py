"""The kernels on spacings numpy has already read: the entry point of chunked
callers (the dask integration), which read the call once and then run every
block.  Imports no optional library."""

from .._runtime import kernels as _kernels


def kernel_gradient(f, dx, axes, edge_order, workers=1, accuracy=2, deriv=1, outs=None,
                    rows=None):
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
    `outs`: one array per axis to write the results into; `rows` = (start, stop):
    one axis, only those rows of its result, into `outs` of that extent.
    """
    return _kernels.kernel_gradient(f, list(dx), tuple(axes), edge_order,
                                    _kernels.threads_for(workers), accuracy, deriv, outs,
                                    rows)


def window(s, e, n, half, span, periodic):
    """The points [ws, we) along an axis that give the in-memory values on the block [s, e).

    The reach is the planner's (ParsedCall): an interior stencil reads `half`
    points each side, the ends' one-sided stencils span `span` points.
    Periodic: `half` wrapped points each side (ws < 0 and we > n wrap), so that
    every point of the block is interior in the window.  Otherwise `half`
    points each side, and at an array end enough that the window's own end
    stencils (the first `half` points' reach `span + half - 1` points in) are
    the array's.
    """
    if periodic:
        return s - half, e + half
    ws, we = max(0, s - half), min(n, e + half)
    if ws == 0:
        we = max(we, min(n, span + half - 1))
    if we == n:
        ws = min(ws, max(0, n - span - half + 1))
    return ws, we
