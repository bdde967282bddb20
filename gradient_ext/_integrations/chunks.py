"""The planner's reading of a call, cut into per-axis steps, and the kernels on
spacings already read: what every chunked caller shares (the operators' slabs,
the dask blocks).  Imports no optional library.

A call is read once by the planner (``read_call``: axes, spacings, orders,
schemes, the stencils' reach, the result's dtype).  Each axis it needs is then
read again alone, as ``derivative(f, given, n=n, axis=axis, ...)`` would read
it: that is a `Step`.  A `Term` is a sign, a source array and its steps; an
output is its terms combined left to right (``t0 + t1 - t2 ...``).
"""

import math

import numpy as np

from .._runtime import kernels as _kernels


def kernel_gradient(f, dx, axes, edge_order, workers=1, accuracy=2, n=1, outs=None,
                    rows=None, nan=None):
    """numpy.gradient's arrays for spacings numpy has already read; for chunked callers.

    `f` is a plain ndarray; `axes` a tuple of non-negative axes; `edge_order` 1
    or 2.  Each ``dx[k]`` is what numpy.gradient holds for axis ``axes[k]``
    after reading varargs: a scalar spacing (a weak Python or a strong numpy
    scalar, such as the ``diffx[0]`` of evenly spaced coordinates, or a 0-d
    array), or a 1-D float32/float64 coordinate array of length
    ``f.shape[axes[k]]`` that is computed as *uneven* (it is never collapsed,
    even if its own differences happen to be equal: the caller decided on the
    whole axis).  Returns the list of result arrays, or None when the kernels
    cannot compute it (then the caller uses numpy).  `accuracy` 4, 6 or 8 and
    `n` 2..4: the one-sided k-tap schemes of ``derivative(..., n=n,
    accuracy=...)``.  `outs`: one array per axis to write the results into;
    `rows` = (start, stop): one axis, only those rows of its result, into `outs`
    of that extent.  `nan`: "split" computes each run of finite values along the
    axes as its own array (whole lines: no `rows`).
    """
    return _kernels.kernel_gradient(f, list(dx), tuple(axes), edge_order,
                                    _kernels.threads_for(workers), accuracy, n, outs, rows,
                                    nan)


def kernel_computes(dtype):
    """True when the kernels compute data of `dtype` (else numpy, or a TypeError)."""
    return _kernels.kernel_gradient(np.zeros(3, dtype), [1.0], (0,), 1, 1) is not None


def window(s, e, n, half, span, extends):
    """The points [ws, we) along an axis that give the in-memory values on the block [s, e).

    The reach is the planner's (ParsedCall): an interior stencil reads `half`
    points each side, the ends' one-sided stencils span `span` points.
    `extends` (periodic or an np.pad mode): `half` points each side (ws < 0 and
    we > n are wrapped or ghost points, `ghost_points`), so that every point of
    the block is interior in the window.  Otherwise `half`
    points each side, and at an array end enough that the window's own end
    stencils (the first `half` points' reach `span + half - 1` points in) are
    the array's.
    """
    if extends:
        return s - half, e + half
    ws, we = max(0, s - half), min(n, e + half)
    if ws == 0:
        we = max(we, min(n, span + half - 1))
    if we == n:
        ws = min(ws, max(0, n - span - half + 1))
    return ws, we


def stand_in(shape):
    """A zero-strided object array of `shape`: what the planner reads in place of
    data it must not read (a dask array's)."""
    if any(isinstance(n, float) and math.isnan(n) for n in shape):
        raise ValueError("the chunk sizes of this dask array are unknown (NaN) along an "
                         "axis the call differentiates; call x.compute_chunk_sizes() first")
    return np.broadcast_to(np.empty((), object), shape)


# ---------------------------------------------------------------------------
# Steps and terms


class Step:
    """One derivative of a term: along `axis`, of order `n`, as the planner read it
    for the q-th axis of the call.

    `lazy`: the spacing is a dask array whose values arrive at compute time; the
    planner reads them then (`resolved`), and `spacing`/`extended` are stand-ins
    until it has."""

    __slots__ = ("axis", "q", "n", "size", "spacing", "extended", "periodic", "extends",
                 "constant", "half", "span", "edge_order", "accuracy", "given", "boundary",
                 "period", "dtype", "lazy", "split", "face", "depth")

    def __init__(self, call, q, n, size, dtype, lazy=None):
        self.axis, self.q, self.n, self.size, self.dtype = call.axes[0], q, n, size, dtype
        # the one-axis call's arguments, as derivative(f, given, n=n, axis=axis, ...)
        self.given, self.boundary, self.period = call.given[0], call.boundary[0], call.periods[0]
        self.spacing, self.extended = call.spacings[0], call.extended[0]
        self.periodic, self.half, self.span = call.periodic[0], call.half[0], call.end_span[0]
        # values beyond the ends: wrapped (periodic) or np.pad's ghosts (`ghost_points`);
        # boundary="constant"'s value as a scalar of the data's dtype (else None)
        self.extends = call.boundary[0] != "one-sided"
        self.constant = None if call.constants[0] is None else call.constants[0][0]
        # a chunk's face: the rows its neighbours change (`half`; nan="split": a
        # non-finite value's reach), recomputed from halos `depth` deep (split:
        # one more, so that a window's own ends never look like a run's)
        self.split = call.split
        self.face = call.reach[0] if call.split else call.half[0]
        self.depth = self.face + 1 if call.split else call.half[0]
        self.edge_order, self.accuracy = call.edge_order, call.accuracy
        self.lazy = lazy

    def resolved(self, value):
        """This step with the spacing `value` (the computed lazy one) read by the
        planner as the in-memory call reads it: numpy's collapse of evenly spaced
        coordinates, periodic and ghost coordinates extended and checked.  Read as the q-th
        axis of a call, so that its errors name the axis as the whole call's do."""
        q = self.q
        probe = stand_in((self.size,) * (q + 1))
        boundary, period = self.boundary, None
        if self.extends:                # the other axes one-sided
            boundary = (self.boundary,) * (q + 1) if q == 0 else \
                ("one-sided",) * q + (self.boundary,)
            period = (None,) * q + (self.period,)
        one = _kernels.read_call(probe, (1.0,) * q + (value,), tuple(range(q + 1)),
                                 self.edge_order, 1, boundary, period, self.accuracy, self.n,
                                 dtype=self.dtype)
        return self.replaced(given=value, spacing=one.spacings[q], extended=one.extended[q])

    def replaced(self, lazy=None, **fields):
        """A copy with `fields` changed (and `lazy` None unless given)."""
        new = Step.__new__(Step)
        for name in Step.__slots__:
            setattr(new, name, fields.get(name, getattr(self, name)))
        new.lazy = lazy
        return new

    def spacing_on(self, ws, we):
        """The spacing the kernel gets on the window [ws, we): a scalar as numpy
        holds it, or the window's coordinates (never collapsed: the planner has
        decided on the whole axis)."""
        x = self.spacing
        if not (isinstance(x, np.ndarray) and x.ndim == 1):
            return x
        if self.extends:                # coordinates extended by `half` wrapped or ghost points
            if -self.half <= ws and we <= self.size + self.half:
                return self.extended[ws + self.half: we + self.half]
            # a nan="split" window reaches further on a periodic axis: the wrapped
            # coordinates, whole periods away, as the kernels' run ends shift them
            own = self.extended[self.half: self.half + self.size]
            at = np.arange(ws, we)
            laps = at // self.size
            return own[at % self.size] + (laps * float(self.period)).astype(own.dtype)
        return x[ws:we]


class Term:
    __slots__ = ("sign", "source", "steps")

    def __init__(self, sign, source, steps):
        self.sign, self.source, self.steps = sign, source, steps


class Reader:
    """The planner's reading of one call: every (axis, order) it needs, as Steps.

    `f` is the data (or a stand-in of its shape for dask, with `dtype` the
    data's); the whole call is read once with the user's arguments (so the
    errors are the planner's, in its order), then each axis again alone with its
    own order, from the spacing, boundary and period the planner assigned it.
    `lazy`: per axis of the call, the dask spacing whose values the planner
    reads at compute time (None where `varargs` holds the spacing itself).
    """

    def __init__(self, f, varargs, axis, edge_order, workers, boundary, period, accuracy,
                 n=1, dtype=None, laplacian=False, lazy=None, constant_values=None, nan=None):
        self.f, self.dtype = f, f.dtype if dtype is None else dtype
        self.call = _kernels.read_call(f, varargs, axis, 1 if edge_order is None else
                                       edge_order, workers, boundary, period, accuracy,
                                       n, dtype=self.dtype, laplacian=laplacian,
                                       constant_values=constant_values, nan=nan)
        self.accuracy, self.workers, self.edge_order = accuracy, workers, edge_order
        # as given, for terms_call
        self.args = (varargs, axis, boundary, period, constant_values, nan)
        self.result_dtype = self.call.result_dtype
        self.lazy = lazy or [None] * len(self.call.axes)
        self._steps = {}

    @property
    def axes(self):
        return self.call.axes

    @property
    def sum_order(self):
        """The planner's order of a sum over the call's axes (positions of `axes`)."""
        return self.call.sum_order

    def step(self, q, n):
        """The Step of the q-th axis of the call, order n (1..4, the planner's check).
        edge_order shapes the ends of first derivatives only (at accuracy 2)."""
        key = (q, n)
        if key not in self._steps:
            c = self.call
            eo = c.edge_order if n == 1 else 1
            one = _kernels.read_call(self.f, (c.given[q],), c.axes[q], eo, self.workers,
                                     c.boundary[q], c.periods[q], self.accuracy, n,
                                     dtype=self.dtype, constant_values=None if
                                     c.constants[q] is None else c.constants[q][0],
                                     nan="split" if c.split else None)
            self._steps[key] = Step(one, q, n, self.f.shape[c.axes[q]], self.dtype,
                                    self.lazy[q])
        return self._steps[key]


def one_derivative_order(outputs):
    """The terms' common order when every term takes one derivative, of one order,
    and each output's first term is added (divergence, curl, the Laplacian, the
    gradient): terms that one sweep of the kernels computes.  Else None."""
    steps = [t.steps for terms in outputs for t in terms]
    if any(len(st) != 1 for st in steps) or len({st[0].n for st in steps}) != 1:
        return None
    if any(terms[0].sign < 0 for terms in outputs):
        return None
    return steps[0][0].n


def term_tuples(outputs, axes):
    """terms_call's (q, source, output, combine) of each term, in order: q the
    position of the term's axis in `axes`, combine 0 for an output's first term
    (stored), else its sign (added or subtracted)."""
    return tuple((axes.index(t.steps[0].axis), t.source, o, t.sign if k else 0)
                 for o, terms in enumerate(outputs) for k, t in enumerate(terms))
