"""boundary=, period= and accuracy= for dask arrays (issue 8): validated, then read per axis.

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
(H the depth), built with numpy's expressions as the planner builds its padded
ones, so every window sees the planner's coordinate values and precision.
"""

import numpy as np
import dask.array as da

from .._runtime import kernels as _kernels

ONE_SIDED, PERIODIC = "one-sided", "periodic"


class Scheme:
    """The validated boundary/period/accuracy of one call, per gradient axis
    (`deriv`: derivative's order n, 1 for gradient)."""

    def __init__(self, periodic, periods, accuracy, deriv=1):
        self.periodic, self.periods, self.accuracy = periodic, periods, accuracy
        self.deriv = deriv

    @property
    def default(self):
        return self.accuracy == 2 and self.deriv == 1 and not any(self.periodic)

    @property
    def taps(self):
        """k-tap stencils (accuracy > 2 or n > 1): windows as deep as the stencil."""
        return self.accuracy > 2 or self.deriv > 1

    def half(self):
        """The widest central stencil's half width, uniform or uneven (`_schemes.pxi`)."""
        return (self.deriv + self.accuracy) // 2

    def edge_points(self):
        """The points of a one-sided stencil: n + accuracy."""
        return self.deriv + self.accuracy

    def depth(self):
        """Halo points per side for a periodic axis (the interior stencil's half width)."""
        return max(1, self.half())


def is_default(boundary, period, accuracy):
    return (type(boundary) is str and boundary == ONE_SIDED and period is None
            and type(accuracy) is int and accuracy == 2)


def read_scheme(n_axes, boundary, period, accuracy, deriv=1):
    """The Scheme of a call the planner has validated (`dask_arrays._read_call`)."""
    periodic = _periodic_flags(boundary, n_axes)
    if period is None:
        periods = [None] * n_axes
    elif isinstance(period, (list, tuple)):
        periods = list(period)
    else:
        periods = [period if p else None for p in periodic]
    return Scheme(periodic, periods, int(accuracy), deriv)


def probe_arguments(shape, varargs, axes, boundary, period, deriv=1):
    """(shape, varargs) of the planner's probe: dask spacings replaced by stand-ins.

    A 0-d dask spacing becomes an object the planner does not check; dask
    coordinates become increasing ones inside the period, on an axis cut to
    at most 8 + n points (as short as possible, as long as the widest stencil:
    n + accuracy points, n the derivative's order).
    """
    n_axes = len(axes)
    periodic = _periodic_flags(boundary, n_axes)
    shape = [1 if n != n else n for n in shape]     # unknown (NaN) off the gradient axes
    probe_args = list(varargs)
    for q, v in enumerate(varargs):
        if not isinstance(v, da.Array):
            continue
        if v.ndim == 0:
            probe_args[q] = np.empty((), object)    # its value is unknown: not checked
            continue
        ax = axes[q] if q < n_axes else axes[0]
        shape[ax] = min(shape[ax], 8 + deriv)
        probe_args[q] = _stand_in_coordinates(shape[ax], v.dtype,
                                              _axis_period(period, q, periodic))
    return tuple(shape), tuple(probe_args)


def _periodic_flags(boundary, n_axes):
    """Which axes `boundary` makes periodic; None for a value the planner will reject."""
    if type(boundary) is str:
        return [boundary == PERIODIC] * n_axes
    return [b == PERIODIC for b in boundary] if isinstance(boundary, (list, tuple)) else None


def _axis_period(period, q, periodic):
    if isinstance(period, (list, tuple)):
        return period[q] if q < len(period) else None
    return period if periodic is not None and q < len(periodic) and periodic[q] else None


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
    m = accuracy + deriv
    for arg in args:
        if isinstance(arg, np.dtype):
            arg = (np.arange(m) * (np.arange(m) + 2.0)).astype(arg)     # uneven
        _kernels.gradient_call(np.zeros(m, dtype), (arg,), None, 1, None, None,
                               True, ONE_SIDED, None, accuracy, deriv)


# ---------------------------------------------------------------------------
# Periodic coordinates


def extended_numpy(v, period, n, depth):
    d = v if isinstance(v, np.ndarray) else np.asanyarray(v)
    with np.errstate(all="ignore"):
        x = np.concatenate((d[n - depth:] - period, d, d[:depth] + period))
    return x.astype(np.float64) if np.issubdtype(x.dtype, np.integer) else x


def extended_dask(v, period, n, depth):
    x = da.concatenate([v[n - depth:] - period, v, v[:depth] + period])
    return x.astype(np.float64) if np.issubdtype(x.dtype, np.integer) else x


def _fits(xp):
    """The planner's check that the coordinates fit inside one period (at compute time)."""
    n = xp.shape[0] - 2
    with np.errstate(all="ignore"):
        fits = bool(xp[0] < xp[1]) and bool(xp[1] <= xp[n]) and bool(xp[n] < xp[n + 1])
    if not fits:
        raise ValueError("period: the dask coordinates do not fit inside one period "
                         "(need x[0] <= x[-1] < x[0] + period)")
    return xp


def checked_padded_dask(x, depth):
    """The padded coordinates inside extended ones x, checked to fit when computed."""
    n = x.shape[0] - 2 * depth
    xp = x[depth - 1: depth + n + 1].rechunk(-1)
    return xp.map_blocks(_fits, dtype=xp.dtype)
