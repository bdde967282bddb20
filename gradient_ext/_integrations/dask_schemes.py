"""boundary=, period= and accuracy= for dask arrays: validated, then read per axis.

Validation is the planner's own: it runs on a *probe* call that has the dask
array's shape but no data (a zero-strided object array, which no kernel
computes, so the planner stops at a NumpyCall after every check), so the
errors are the in-memory function's, in its order.  Dask spacings are replaced
in the probe by numpy stand-ins; the checks that need their values (periodic
coordinates fitting inside one period) run at compute time.  With
accuracy > 2 a second probe, on ``accuracy + 1`` elements of the data's dtype,
raises the in-memory TypeError for dtypes and spacings no kernel computes.

What the graph needs per axis is the halo depth, and for a periodic axis with
coordinates the *extended* coordinates ``[x[-H:] - period, x, x[:H] + period]``
(H the stencil's half width); the planner builds them for numpy coordinates
(``ParsedCall.extended``), and ``extended_dask`` with the same expressions for
dask ones, so every window sees the planner's coordinate values and precision.
"""

import numpy as np
import dask.array as da

from .._runtime import kernels as _kernels


def probe_arguments(shape, varargs, axes, boundary, period, deriv=1):
    """(shape, varargs) of the planner's probe: dask spacings replaced by stand-ins.

    A 0-d dask spacing becomes an object the planner does not check; dask
    coordinates become increasing ones inside the period, on an axis cut to
    the widest stencil's points (``stencil_points``: n + 8 for n's highest
    accuracy): as short as possible, as long as any stencil.
    """
    n_axes = len(axes)
    try:
        _, periods = _kernels.scheme_flags(boundary, period, n_axes)
    except ValueError:                  # the planner raises it in its turn
        periods = [None] * n_axes
    shape = [1 if n != n else n for n in shape]     # unknown (NaN) off the gradient axes
    probe_args = list(varargs)
    for q, v in enumerate(varargs):
        if not isinstance(v, da.Array):
            continue
        if v.ndim == 0:
            probe_args[q] = np.empty((), object)    # its value is unknown: not checked
            continue
        ax = axes[q] if q < n_axes else axes[0]
        shape[ax] = min(shape[ax], _kernels.stencil_points(deriv))
        probe_args[q] = _stand_in_coordinates(shape[ax], v.dtype,
                                              periods[q] if q < n_axes else None)
    return tuple(shape), tuple(probe_args)


def _stand_in_coordinates(m, dtype, period):
    """m increasing coordinates of `dtype` inside one `period` (when it is a number)."""
    try:
        step = float(period) / (m + 1) if period is not None else 1.0
    except (TypeError, ValueError):
        step = 1.0
    with np.errstate(all="ignore"):
        return (np.arange(m) * step).astype(dtype)


def typed_probe(dtype, args, accuracy, deriv=1):
    """accuracy > 2 or n > 1: the in-memory TypeError for data or spacings without a kernel.

    `args` holds one stand-in per axis: a scalar, or a coordinate dtype.
    """
    m = _kernels.stencil_points(deriv, accuracy)
    for arg in args:
        if isinstance(arg, np.dtype):
            arg = (np.arange(m) * (np.arange(m) + 2.0)).astype(arg)     # uneven
        _kernels.gradient_call(np.zeros(m, dtype), (arg,), None, 1, None, None,
                               generic=True, accuracy=accuracy, deriv=deriv)


# ---------------------------------------------------------------------------
# Periodic coordinates


def extended_dask(v, period, n, depth):
    x = da.concatenate([v[n - depth:] - period, v, v[:depth] + period])
    return x.astype(np.float64) if np.issubdtype(x.dtype, np.integer) else x


def checked_padded_dask(x, depth, q):
    """The padded coordinates inside extended ones x, checked by the planner, when
    computed, to fit inside one period (axis q of the gradient)."""
    n = x.shape[0] - 2 * depth
    xp = x[depth - 1: depth + n + 1].rechunk(-1)
    return xp.map_blocks(_kernels.check_padded_fit, q, dtype=xp.dtype)
