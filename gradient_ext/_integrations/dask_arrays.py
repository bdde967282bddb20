"""gradient_ext.gradient for dask arrays: lazy results, computed chunk by chunk by the kernels.

Imported only when a dask array reaches ``gradient_ext.gradient`` (see
``_duck_arrays.py``).  The result is bit-identical to ``numpy.gradient`` on the
whole computed array, for any chunking (1-element chunks included).

The graph, built with dask's own machinery (one high-level-graph layer):

* Per output block, one task receives its input block and thin *halo slabs*
  along each gradient axis: one element deep (two or three at the array's ends
  for ``edge_order=2`` when chunks are thinner than the stencil), cut by
  getitem tasks from as many neighbouring blocks as needed.  A derivative along
  an axis uses only points on the line along that axis, so no corners are
  needed, and blocks are never copied to add halos.
* The task runs the kernels once on the block for every axis along which the
  block has at least 3 elements, then recomputes the block's first/last slab
  along such an axis, where a neighbour exists, from a 3-slab window
  ``[halo, block[:2]]`` / ``[block[-2:], halo]``.  Along thinner axes, and for
  dtypes without a kernel (numpy per block), it computes on the small window
  ``[halos, block, halos]`` instead.  It returns one array per axis, as a
  tuple; one getitem layer per axis makes the output arrays.

boundary= and accuracy= (``dask_schemes.py`` validates them and builds
periodic coordinates): such axes always compute on the window, one-sided, with
halos as deep as the stencil (``_window``), so every point of the block keeps
the stencil, weights and coordinates it has in the whole array.  A periodic
axis gets `depth` wrapped halo points each side, and its window's coordinates
from the extended coordinates ``[x[-depth:] - period, x, x[:depth] + period]``;
every block point is then interior, where one-sided and periodic agree.  The
even-collapse is decided on the planner's padded coordinates.

numpy reads evenly spaced coordinates as the scalar ``diffx[0]`` (a different
formula, so different bits) and decides that on the *whole* coordinate array.
So evenness is decided once per axis: eagerly for numpy coordinates, by a small
lazy reduction for dask coordinates (every block task depends on it).  Then a
block gets either that scalar or its window of the coordinates, which
``_kernel_gradient`` never collapses.  When numpy itself computes a
window, one extra fake point beyond a halo (sliced off) keeps it from
collapsing coordinates that are even only locally.
"""

import bisect
import itertools
import math
import operator
import warnings

import numpy as np
import dask.array as da
from dask.array.routines import gradient as _dask_gradient
from dask.base import tokenize
from dask.highlevelgraph import HighLevelGraph

from .. import _runtime
from .._runtime import kernels as _kernels
from . import dask_schemes as _schemes
from .chunks import kernel_gradient as _kernel_gradient
from .chunks import window as _window

__all__ = ["gradient"]

# dask's own gradient, for chunks that are not ndarrays (masked, CuPy): never
# gradient_ext's, even if dask.array.gradient has been patched with it.
_DASK_GRADIENT = None if _dask_gradient.__module__.startswith("gradient_ext") else _dask_gradient


def gradient(f, *varargs, axis=None, edge_order=1, workers=1,
             boundary="one-sided", period=None, accuracy=2, deriv=1):
    """numpy.gradient of a dask array, as lazy dask arrays with the same chunks.

    Arguments as gradient_ext.gradient; spacings may also be dask arrays (0-d,
    or 1-D coordinates).  Errors the in-memory function would raise for these
    arguments are raised now, not at ``compute()`` (except those that depend on
    the values of dask spacings: periodic dask coordinates that do not fit in
    one period).  `workers` is the number of threads each chunk's kernel uses
    (dask already runs chunks in parallel).  `deriv` 2..4: derivative(n=deriv)
    instead (edge_order 1), bit for bit the in-memory result.
    """
    default = deriv == 1 and _kernels.is_default_scheme(boundary, period, accuracy)
    if not isinstance(f, da.Array):
        f = da.asarray(f)                       # numpy data, dask spacing
    if type(f._meta) is not np.ndarray:
        if _DASK_GRADIENT is None or not default:
            raise TypeError("gradient_ext computes dask arrays of numpy chunks only; "
                            f"this one has {type(f._meta).__name__} chunks")
        return _DASK_GRADIENT(f, *varargs, axis=axis, edge_order=edge_order)
    axes = _kernels.axes_of(axis, f.ndim)
    _check_chunks(f, axes)
    call, spacings = _read_call(f, varargs, axis, axes, edge_order, workers,
                                boundary, period, accuracy, deriv)
    for spacing in spacings:        # numpy's order: size (read_call), then arithmetic
        _probe(f.dtype, spacing, call.edge_order)
    if call.taps:
        _schemes.typed_probe(f.dtype, [sp.typed(f.dtype) for sp in spacings], call.accuracy,
                             call.deriv)
    if not call.axes:
        return ()
    token = tokenize(f, [(type(v).__name__, v) for v in varargs], call.axes, call.edge_order,
                     workers, call.periodic, [(type(p).__name__, p) for p in call.periods],
                     call.accuracy, call.deriv)
    outs = _build(f, spacings, workers, token, call)
    return outs[0] if len(call.axes) == 1 else tuple(outs)


def _check_chunks(f, axes):
    for ax in axes:
        if any(math.isnan(c) for c in f.chunks[ax]):
            raise ValueError(
                f"gradient_ext.gradient needs the chunk sizes along axis {ax}, and this "
                "dask array's are unknown (NaN); call x.compute_chunk_sizes() first")


# ---------------------------------------------------------------------------
# Spacings: numpy's reading is the planner's (`read_call`); dask spacings are
# read here, lazily, by the same rules


def _read_call(f, varargs, axis, axes, edge_order, workers, boundary, period, accuracy,
               deriv=1):
    """The planner's checks and reading on a probe of f's shape; (ParsedCall, spacings)."""
    shape, probe_args = _schemes.probe_arguments(f.shape, varargs, axes, boundary, period,
                                                 deriv)
    probe = np.broadcast_to(np.empty((), object), shape)
    call = _kernels.read_call(probe, probe_args, axis, edge_order, workers,
                              boundary, period, accuracy, deriv, dtype=f.dtype)
    spacings = []
    for q, value in enumerate(call.spacings):
        given = (varargs[q] if len(varargs) == len(axes) else varargs[0]) if varargs else 1.0
        n = f.shape[call.axes[q]]
        if isinstance(given, da.Array):
            sp = _dask_spacing(given, n, call, q)
        elif isinstance(value, np.ma.MaskedArray):
            raise TypeError("masked coordinate arrays are not supported with dask input")
        elif isinstance(value, np.ndarray) and value.ndim == 1:
            sp = _Coords(value)
            if call.periodic[q]:                # value: the padded coordinates
                sp.x, sp.offset = call.extended[q], call.half[q]
        else:
            sp = _Scalar(value, None if np.ndim(given) == 0 else np.asarray(value).dtype)
        spacings.append(sp)
    return call, spacings


class _Scalar:
    """A scalar spacing as numpy holds it (the user's object, or diffx[0])."""

    def __init__(self, value, coords=None):
        self.value, self.coords = value, coords     # coords: the dtype it collapsed from

    def probe(self, dtype):
        return self.value

    def typed(self, dtype):
        return self.value if self.coords is None else self.coords


class _DaskScalar:
    """A 0-d dask array spacing: its value arrives at compute time."""

    def __init__(self, array):
        self.array = array

    def probe(self, dtype):
        return np.ones((), self.array.dtype)

    def typed(self, dtype):
        return self.probe(dtype)


class _Coords:
    """Uneven numpy coordinates, as the planner reads them.

    Periodic axes: extended by `offset` wrapped coordinates at each end.
    """

    offset = 0

    def __init__(self, x):
        self.x = x

    def probe(self, dtype):
        return _probe_coordinates(self.x.dtype)

    def typed(self, dtype):
        return self.x.dtype


class _DaskCoords(_Coords):
    """Dask coordinates; `even` and `d0` are numpy's collapse test, lazily."""

    def __init__(self, x, even, d0):
        self.x, self.even, self.d0 = x, even, d0


def _dask_spacing(v, n, call, q):
    """A dask spacing of an axis of n points (periodic: its padded coordinates decide)."""
    if v.ndim == 0:
        return _DaskScalar(v)
    if not call.periodic[q]:
        return _dask_coordinates(v, n)
    depth = call.half[q]
    x = _schemes.extended_dask(v, call.periods[q], n, depth)
    sp = _dask_coordinates(_schemes.checked_padded_dask(x, depth, q), n + 2)
    sp.x, sp.offset = x, depth
    return sp


def _dask_coordinates(x, length):
    """The planner's coordinate checks, float conversion and collapse test, for a dask x."""
    if x.ndim == 1 and math.isnan(x.shape[0]):
        raise ValueError("the coordinates' length is unknown (NaN chunks); "
                         "call compute_chunk_sizes() on them first")
    _kernels.check_coordinate_shape(x.ndim, x.shape[0] if x.ndim == 1 else 0, length)
    if np.issubdtype(x.dtype, np.integer):
        x = x.astype(np.float64)                # as numpy, before its np.diff
    diffx = da.diff(x)
    return _DaskCoords(x, (diffx == diffx[0]).all(), diffx[0])


_NO_PROBE = object()


def _probe_coordinates(dtype):
    return np.array([0, 1, 3]).astype(dtype) if dtype.kind in "fc" else _NO_PROBE


def _probe(dtype, spacing, edge_order):
    """numpy on 3 elements of f's dtype with this spacing, so its type errors arise now.

    Object data is not probed: its errors depend on the values, and arise at
    compute time, as numpy would raise them.
    """
    arg = spacing.probe(dtype)
    if dtype.kind == "O" or arg is _NO_PROBE:
        return
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        with np.errstate(all="ignore"):
            _runtime.NUMPY_GRADIENT(np.zeros(3, dtype), arg, edge_order=edge_order)


# ---------------------------------------------------------------------------
# The graph


class _AxisBlock:
    """What a block needs to know along one gradient axis (static, pickled in the task)."""

    __slots__ = ("axis", "lo", "hi", "whole", "kind", "value", "simple")

    def __init__(self, axis, lo, hi, whole, kind, value, simple):
        self.axis, self.lo, self.hi, self.whole = axis, lo, hi, whole
        self.kind, self.value = kind, value
        self.simple = simple        # numpy's scheme: the block's own kernel run may serve


class _BlockPlan:
    __slots__ = ("axes", "edge_order", "workers", "accuracy", "deriv")

    def __init__(self, axes, edge_order, workers, accuracy, deriv=1):
        self.axes, self.edge_order, self.workers = axes, edge_order, workers
        self.accuracy, self.deriv = accuracy, deriv


def _pieces(starts, sizes, a, b):
    """(block, local start, local stop) covering global [a, b) along one axis."""
    out = []
    j = max(bisect.bisect_right(starts, a) - 1, 0)
    while j < len(starts) and starts[j] < b:
        lo, hi = max(a, starts[j]), min(b, starts[j] + sizes[j])
        if lo < hi:
            out.append((j, lo - starts[j], hi - starts[j]))
        j += 1
    return out


def _wrapped_pieces(starts, sizes, n, a, b):
    """_pieces of global [a, b), where points before 0 and from n on wrap around."""
    out = []
    for lo, hi, shift in ((a, min(b, 0), n), (max(a, 0), min(b, n), 0), (max(a, n), b, -n)):
        if lo < hi:
            out += _pieces(starts, sizes, lo + shift, hi + shift)
    return out


def _slab(ndim, axis, lo, hi):
    return (slice(None),) * axis + (slice(lo, hi),) + (slice(None),) * (ndim - axis - 1)


class _AxisGraph:
    """The halo and spacing keys of one gradient axis, for every chunk along it."""

    def __init__(self, f, axis, spacing, token, dsk, deps, call, q):
        self.f, self.axis, self.dsk = f, axis, dsk
        self.halo = f"gradient_ext-halo-{token}"
        sizes = f.chunks[axis]
        self.sizes, self.starts = sizes, [0, *itertools.accumulate(sizes)][:-1]
        self.n = n = f.shape[axis]
        periodic = call.periodic[q]
        simple = not call.taps and not periodic
        self.windows, self.plans, self.extra = [], [], []
        for i, (s, c) in enumerate(zip(self.starts, sizes)):
            ws, we = _window(s, s + c, n, call.half[q], call.end_span[q], periodic)
            self.windows.append((ws, s, s + c, we))
            kind, value, extra = self._spacing(spacing, i, ws, we, token, deps)
            self.plans.append(_AxisBlock(axis, s - ws, we - s - c, ws == 0 and we == n,
                                         kind, value, simple))
            self.extra.append(extra)

    def _spacing(self, sp, i, ws, we, token, deps):
        """(kind, static value, keys the task receives) of block i's spacing."""
        if isinstance(sp, _Scalar):
            return "scalar", sp.value, []
        if isinstance(sp, _DaskScalar):
            if i == 0:
                deps.append(sp.array)
            return "dask-scalar", None, [_key(sp.array)]
        key = (f"gradient_ext-coords-{token}", self.axis, i)
        off = sp.offset                         # periodic: extended coordinates
        if not isinstance(sp, _DaskCoords):
            self.dsk[key] = sp.x[ws + off:we + off].copy()  # the window only, as data
            return "coords", None, [key]
        sizes = ((off,) if off else ()) + self.sizes + ((off,) if off else ())
        x = sp.x.rechunk((sizes,))
        if i == 0:
            deps.extend([x, sp.even, sp.d0])
        pieces = []
        starts = [0, *itertools.accumulate(sizes)][:-1]
        for j, lo, hi in _pieces(starts, sizes, ws + off, we + off):
            pkey = (f"gradient_ext-coordpiece-{token}", self.axis, j, lo, hi)
            self.dsk[pkey] = (operator.getitem, (x.name, j), slice(lo, hi))
            pieces.append(pkey)
        self.dsk[key] = (np.concatenate, pieces)
        return "dask-coords", None, [_key(sp.even), _key(sp.d0), key]

    def halos(self, idx):
        """Keys of the slabs before and after block idx along this axis."""
        i = idx[self.axis]
        ws, s, e, we = self.windows[i]
        return self._halo(idx, ws, s), self._halo(idx, e, we)

    def _halo(self, idx, a, b):
        keys = []
        for j, lo, hi in _wrapped_pieces(self.starts, self.sizes, self.n, a, b):
            src = idx[:self.axis] + (j,) + idx[self.axis + 1:]
            key = (self.halo, self.axis, lo, hi, *src)
            if key not in self.dsk:
                self.dsk[key] = (operator.getitem, (self.f.name, *src),
                                 _slab(self.f.ndim, self.axis, lo, hi))
            keys.append(key)
        return keys


def _key(array):
    (key,) = list(_flatten(array.__dask_keys__()))
    return key


def _flatten(keys):
    for k in keys:
        if isinstance(k, list):
            yield from _flatten(k)
        else:
            yield k


def _build(f, spacings, workers, token, call):
    name = f"gradient_ext-{token}"
    dsk, deps = {}, [f]
    graphs = [_AxisGraph(f, ax, sp, token, dsk, deps, call, q)
              for q, (ax, sp) in enumerate(zip(call.axes, spacings))]
    blocks = list(itertools.product(*(range(len(c)) for c in f.chunks)))
    for idx in blocks:
        args, plans = [], []
        for g in graphs:
            before, after = g.halos(idx)
            args += [before, after, g.extra[idx[g.axis]]]
            plans.append(g.plans[idx[g.axis]])
        plan = _BlockPlan(tuple(plans), call.edge_order, workers, call.accuracy, call.deriv)
        dsk[(name, *idx)] = (_block_task, plan, (f.name, *idx), *args)
    graph = HighLevelGraph.from_collections(name, dsk, dependencies=deps)
    meta = np.empty((0,) * f.ndim, dtype=call.result_dtype)
    outs = []
    for k, ax in enumerate(call.axes):
        oname = f"gradient_ext-axis{ax}-{token}"
        layer = {(oname, *idx): (operator.getitem, (name, *idx), k) for idx in blocks}
        g = HighLevelGraph({**graph.layers, oname: layer},
                           {**graph.dependencies, oname: {name}})
        outs.append(da.Array(g, oname, chunks=f.chunks, meta=meta))
    return outs


# ---------------------------------------------------------------------------
# The task


def _block_task(plan, block, *parts):
    """numpy.gradient's values on one block, one array per axis, as a tuple."""
    per_axis = []
    for k, ab in enumerate(plan.axes):
        before, after, extra = parts[3 * k: 3 * k + 3]
        per_axis.append((ab, before, after, *_resolve(ab, extra)))
    results = _on_block(plan, block, per_axis)
    for k, item in enumerate(per_axis):
        if results[k] is None:
            results[k] = _on_window(block, *item, plan)
    return tuple(results)


def _resolve(ab, extra):
    """(scalar spacing or None, window coordinates or None) of one axis."""
    if ab.kind == "scalar":
        return ab.value, None
    if ab.kind == "dask-scalar":
        return extra[0], None
    if ab.kind == "coords":
        return None, extra[0]
    even, d0, coords = extra
    if bool(even):
        return np.asarray(d0)[()], None         # numpy's strong diffx[0]
    return None, coords


def _on_block(plan, block, per_axis):
    """The kernels on the block, for axes where it has >= 3 elements; None elsewhere."""
    results = [None] * len(per_axis)
    fast = [k for k, item in enumerate(per_axis)
            if item[0].simple and block.shape[item[0].axis] >= 3]
    if not fast or type(block) is not np.ndarray:
        return results
    dxs = [_block_spacing(per_axis[k], block.shape[per_axis[k][0].axis]) for k in fast]
    axes = tuple(per_axis[k][0].axis for k in fast)
    got = _kernel_gradient(block, dxs, axes, plan.edge_order, plan.workers)
    if got is None:
        return results
    for k, r in zip(fast, got):
        if _fix_faces(r, block, *per_axis[k], plan.edge_order, plan.workers):
            results[k] = r
    return results


def _block_spacing(item, length):
    ab, _, _, dx, coords = item
    return dx if coords is None else coords[ab.lo: ab.lo + length]


def _fix_faces(r, block, ab, before, after, dx, coords, edge_order, workers):
    """Recompute the block's first/last slab where a neighbour exists, in place."""
    ax, nd, n = ab.axis, block.ndim, block.shape[ab.axis]
    faces = []
    if ab.lo:                                   # point s: [s-1, s, s+1]
        faces.append((before + [block[_slab(nd, ax, 0, 2)]], 0,
                      None if coords is None else coords[:3]))
    if ab.hi:                                   # point e-1: [e-2, e-1, e]
        faces.append(([block[_slab(nd, ax, n - 2, n)]] + after, n - 1,
                      None if coords is None else coords[ab.lo + n - 2: ab.lo + n + 1]))
    for parts, at, x in faces:
        win = np.concatenate(parts, axis=ax)
        got = _kernel_gradient(win, [dx if x is None else x], (ax,), edge_order, workers)
        if got is None:
            return False
        r[_slab(nd, ax, at, at + 1)] = got[0][_slab(nd, ax, 1, 2)]
    return True


def _on_window(block, ab, before, after, dx, coords, plan):
    """One axis from the window [halos, block, halos]: thin blocks, numpy's dtypes,
    boundary= and accuracy= (computed one-sided: the block's points keep the
    stencils they have in the whole array)."""
    edge_order, workers = plan.edge_order, plan.workers
    ax, nd, n = ab.axis, block.ndim, block.shape[ab.axis]
    if n == 0:                                  # an empty chunk (dask allows them)
        return np.empty_like(block, dtype=_kernels.result_dtype(block.dtype))
    win = np.concatenate(before + [block] + after, axis=ax) if before or after else block
    spacing = dx if coords is None else coords
    got = None
    if type(win) is np.ndarray:
        got = _kernel_gradient(win, [spacing], (ax,), edge_order, workers,
                               plan.accuracy, plan.deriv)
    r = got[0] if got is not None else _numpy_window(win, ab, spacing, coords is not None,
                                                      edge_order)
    if not (before or after):
        return r
    return r[_slab(nd, ax, ab.lo, ab.lo + n)].copy(order="K")


def _numpy_window(win, ab, spacing, uneven, edge_order):
    """numpy.gradient on a window, with a fake end point if it must not collapse."""
    ax = ab.axis
    side = 0
    with np.errstate(all="ignore"):
        if uneven and not ab.whole:
            side = 1 if ab.hi else -1           # beyond a halo, never the block
            win, spacing = _uncollapsed(win, spacing, ax, side)
        r = _runtime.NUMPY_GRADIENT(win, spacing, axis=ax, edge_order=edge_order)
    if side == 1:
        return r[_slab(win.ndim, ax, 0, -1)]
    if side == -1:
        return r[_slab(win.ndim, ax, 1, None)]
    return r


def _uncollapsed(win, x, ax, side):
    """win and x with one more point on `side` so that numpy reads x as uneven.

    The fake point changes only the halo point next to it, which is sliced off.
    """
    edge = x[-1:] if side > 0 else x[:1]
    for delta in (x[1:2] - x[:1], 1, edge, -1):  # (d0 doubled, 2, 2*edge, -2) outwards
        try:
            fake = edge + (delta + delta) * side
            ext = np.concatenate([x, fake] if side > 0 else [fake, x])
            diffx = np.diff(ext)
        except TypeError:                       # e.g. datetime + datetime
            continue
        if not (diffx == diffx[0]).all():
            break
    else:   # pragma: no cover - no such coordinates found
        raise AssertionError("no fake coordinate keeps numpy from collapsing")
    nd = win.ndim
    end = win[_slab(nd, ax, -1, None)] if side > 0 else win[_slab(nd, ax, 0, 1)]
    parts = [win, end] if side > 0 else [end, win]
    return np.concatenate(parts, axis=ax), ext
