"""Operators over several axes or fields: mixed partials, the Hessian, divergence, curl.

Every operator here is a list of *terms*.  A term is a sign, a source array (the
data, or one component of a vector field) and the derivatives it takes, one
`Step` per axis (``_integrations/chunks.py``, shared with the dask engine), applied one after the other (a mixed partial has several
steps, a divergence term one).  An output is its terms combined left to right in
the result's dtype: ``t0 + t1 - t2 ...``, the first term stored.  That is the
whole definition, and the bits follow from it: a divergence is bit for bit the
sum of `derivative` calls, a mixed partial the nested `derivative` calls.

The planner reads every call (``read_call``: axes, spacings, orders, schemes,
the stencils' reach, the result's dtype and the out= checks); this module only
cuts the work into blocks and runs the kernels on them:

* in memory, the outputs are computed one *slab* at a time (a few hundred
  kilobytes along the array's outermost axis), each term on the slab's
  *window*: the slab plus the points its stencils read beyond it, wrapped
  around on periodic axes (``chunks.window``, the dask path's rule, which makes
  every point of the slab get the stencil, weights and coordinates it has in
  the whole array).  Each input is read once (plus thin halos), the output
  written once, and no temporary is larger than a slab;
* on dask, one task per output block, bit-identical to the in-memory result
  for any chunking (chunks thinner than a stencil are merged with their
  neighbours first, and the result is given the input's chunks again).
  Operators of one-derivative terms (divergence, curl, like the gradient, the
  derivatives and the Laplacian) run on the one dask engine,
  ``_integrations/dask_blocks.py`` (each block swept in place, the rows near
  its faces recomputed from thin halo slabs: no block is copied); mixed
  partials and the Hessian, which read corners, take the block with its halos
  from ``dask.array.overlap`` and run the terms on its windows.
"""

import math
import sys

import numpy as np

from . import _dispatch
from ._api import _nan_argument
from ._integrations.chunks import Reader as _Reader
from ._integrations.chunks import Term as _Term
from ._integrations.chunks import kernel_computes as _kernel_computes
from ._integrations.chunks import kernel_gradient as _kernel_gradient
from ._integrations.chunks import one_derivative_order as _one_derivative_order
from ._integrations.chunks import stand_in as _stand_in
from ._integrations.chunks import term_tuples as _term_tuples
from ._integrations.chunks import window as _window
from ._runtime import kernels as _kernels

__all__ = ["mixed_derivative", "hessian", "divergence", "curl"]

# Elements per slab: large enough that the Python work per slab is small
# against the arithmetic, small enough that a slab's temporaries stay in cache.
# Measured (2-core VM, 2026-12-07, medians of 15 alternating calls): 1 << 17
# against 1 << 16, mixed_derivative 2000^2 3.13 against 3.66 ms, 200^3 6.6
# against 9.0 ms, 600^2 0.48 against 0.53 ms, the Hessian 2000^2 7.5 against
# 7.9 ms; 1 << 18 was slower again (4.3 ms: the window outgrows the L2 cache).
SLAB_ELEMENTS = 1 << 17
# Inputs from this many elements share their slabs among workers= threads
# (smaller ones: starting threads costs more than they save).
PARALLEL_SLABS_MIN = 1 << 19


# ---------------------------------------------------------------------------
# One term on one block


def _term_on(term, sources, block, avail, threads, scratch, dest=None, whole=0):
    """The term's values on `block` (per axis: [s, e)), from source arrays that
    cover `avail` (per axis: [lo, hi) in the whole array's indices; beyond the
    array's ends on periodic axes, the wrapped values; np.pad-mode axes' ghosts
    are read by `_cut`).

    Each step writes into a `scratch` buffer of its window's shape; the last
    writes straight into `dest` (returned) when the window is the block itself.
    Otherwise the values are a view of a scratch buffer, valid until the next
    call with the same key.  `whole`: the bytes of the output `dest` is a slab of
    (the kernels stream their stores into outputs far larger than the caches).
    """
    if len(term.steps) == 1 and avail is None:
        return _step_rows(term, sources[term.source], block, threads, scratch, dest, whole)
    avail = [(0, n) for n in sources[0].shape] if avail is None else avail
    ranges = list(block)
    for st in term.steps:
        s, e = block[st.axis]
        ranges[st.axis] = _window(s, e, st.size, st.half, st.span, st.extends)
    win = _cut(sources[term.source], ranges, avail, {st.axis: st for st in term.steps})
    last = len(term.steps) - 1
    for k, st in enumerate(term.steps):
        ws, we = ranges[st.axis]
        args = ([st.spacing_on(ws, we)], (st.axis,), st.edge_order, threads, st.accuracy,
                st.n)
        if k == last and dest is not None and all(
                r == b for ax, (r, b) in enumerate(zip(ranges, block)) if ax != st.axis):
            # only the block's rows of the last step, straight into dest
            s, e = block[st.axis]
            if _kernel_gradient(win, *args, outs=[dest], rows=(s - ws, e - ws, whole)) \
                    is not None:
                return dest
        buf = scratch.get((id(term), k), win.shape)
        if _kernel_gradient(win, *args, outs=[buf]) is None:
            raise TypeError("no kernel computes this operator's data")   # pragma: no cover
        win = buf
    trim = tuple(slice(s - ws, e - ws) for (s, e), (ws, we) in zip(block, ranges))
    return win[trim]


def _step_rows(term, src, block, threads, scratch, dest, whole=0):
    """A one-derivative term on an in-memory block: the planner's own call on the
    block's rows (``rows=``), which reads the whole axis as `derivative` does."""
    (st,) = term.steps
    s, e = block[st.axis]
    view = src[tuple(slice(None) if ax == st.axis else slice(bs, be)
                     for ax, (bs, be) in enumerate(block))]
    shape = tuple(be - bs for bs, be in block)
    target = scratch.get((id(term), 0), shape) if dest is None else dest
    if (s, e) == (0, st.size) and not whole:
        _kernels.gradient_call(view, (st.given,), st.axis, st.edge_order, threads, target,
                               True, st.boundary, st.period, st.accuracy, st.n, False,
                               st.constant)
    else:
        _kernels.rows_gradient_call(view, (st.given,), st.axis, st.edge_order, threads,
                                    target, st.boundary, st.period, st.accuracy, st.n,
                                    (s, e, whole), st.constant)
    return target


class _Scratch:
    """Buffers of the result's dtype, reused from slab to slab."""

    def __init__(self, dtype):
        self.dtype, self.buffers = dtype, {}

    def get(self, key, shape):
        buf = self.buffers.get(key)
        if buf is None or buf.shape != shape:
            buf = self.buffers[key] = np.empty(shape, self.dtype)
        return buf


def _output_on(terms, sources, block, avail, threads, scratch, out, whole=0):
    """out = the terms' values combined left to right in out's dtype (t0 + t1 - t2 ...);
    the first term is written straight into out where it can be (streamed when
    out is a slab of an output of `whole` bytes, far larger than the caches, and
    no later term reads it back)."""
    for k, term in enumerate(terms):
        if k == 0:
            stored = term.sign > 0      # into out; streamed when no later term adds to it
            v = _term_on(term, sources, block, avail, threads, scratch,
                         out if stored else None, whole if stored and len(terms) == 1 else 0)
            if v is not out:
                if stored:
                    np.copyto(out, v, casting="no")
                else:
                    np.negative(v, out=out)
            continue
        v = _term_on(term, sources, block, avail, threads, scratch)
        if term.sign > 0:
            np.add(out, v, out=out)
        else:
            np.subtract(out, v, out=out)


def _cut(src, ranges, avail, steps):
    """src (covering `avail`) cut to `ranges`, taking what lies beyond `avail` by
    the rule of the axis's step: wrapped on periodic axes (of an in-memory
    array: avail is the whole axis), else np.pad's ghosts (``ghost_points``,
    the kernels' rule; the constant set axis after axis, in increasing order,
    as np.pad sets its corners)."""
    index = []
    beyond = []
    for ax, ((ws, we), (lo, hi)) in enumerate(zip(ranges, avail)):
        if lo <= ws and we <= hi:
            index.append(slice(ws - lo, we - lo))
        else:
            index.append(slice(None))
            beyond.append((ax, ws, we, lo, hi))
    win = src[tuple(index)]
    for ax, ws, we, lo, hi in beyond:
        st = steps[ax]
        if st.periodic:
            win = np.take(win, (np.arange(ws, we) - lo) % (hi - lo), axis=ax)
            continue
        points = _kernels.ghost_points(range(ws, we), st.size, st.boundary)
        win = np.take(win, np.maximum(points, lo) - lo, axis=ax)
        if st.constant is not None:
            win[(slice(None),) * ax + (points < 0,)] = st.constant
    return win


# ---------------------------------------------------------------------------
# In memory: slabs along the outermost axis


def _slab_axis(shape, strides):
    """The axis slabs are cut along: the outermost in memory (largest stride)."""
    axes = [ax for ax in range(len(shape)) if shape[ax] > 1]
    if not axes:
        return 0
    return max(axes, key=lambda ax: abs(strides[ax]))


def _run_memory(outputs, sources, outs, threads, mirrors=None):
    """Fill each array of `outs` with its output's terms, slab by slab (and its
    `mirrors` array, where one is given, with a copy of each slab while it is in
    cache: the Hessian's H[j, i]).

    Slabs are independent (each computes its own rows from the whole input), so
    `threads` (workers=) share them: each thread takes a contiguous run of slabs
    with scratch buffers of its own, the kernels inside on one thread (they
    release the GIL).  The threads start and end within the call: nothing is
    left running for a fork to inherit.  The bits do not depend on it."""
    shape = sources[0].shape
    if sources[0].size == 0:
        return
    sa = _slab_axis(shape, sources[0].strides)
    inner = sources[0].size // shape[sa]
    step = max(1, SLAB_ELEMENTS // max(inner, 1))
    starts = list(range(0, shape[sa], step))
    team = 1 if sources[0].size < PARALLEL_SLABS_MIN else _kernels.threads_now(
        threads, len(starts))

    def run(first, last):
        scratch = _Scratch(outs[0].dtype)
        whole = [(0, n) for n in shape]
        for s in starts[first:last]:
            e = min(s + step, shape[sa])
            block = list(whole)
            block[sa] = (s, e)
            cut = tuple(slice(s, e) if ax == sa else slice(None) for ax in range(len(shape)))
            for o, (terms, out) in enumerate(zip(outputs, outs)):
                if mirrors is None or mirrors[o] is None:
                    _output_on(terms, sources, block, None, 1, scratch, out[cut], out.nbytes)
                    continue
                # computed into out, then copied while it is in cache (a streaming
                # copy measured slower than numpy's on these slabs)
                _output_on(terms, sources, block, None, 1, scratch, out[cut])
                np.copyto(mirrors[o][cut], out[cut])

    if team <= 1:
        run(0, len(starts))
        return
    _share(run, len(starts), team)


def _share(run, count, team):
    """run(first, last) over [0, count) in `team` contiguous shares, the calling
    thread taking the first; the first error is raised once all have ended."""
    import threading
    bounds = [count * k // team for k in range(team + 1)]
    errors = []

    def guarded(first, last):
        try:
            run(first, last)
        except BaseException as exc:        # re-raised in the calling thread
            errors.append(exc)

    others = [threading.Thread(target=guarded, args=(bounds[k], bounds[k + 1]))
              for k in range(1, team)]
    for t in others:
        t.start()
    guarded(bounds[0], bounds[1])
    for t in others:
        t.join()
    if errors:
        raise errors[0]


# ---------------------------------------------------------------------------
# dask: one task per block, with halos


def _run_dask(outputs, sources, reader, threads):
    """One lazy array per output: one-derivative terms on the dask engine
    (``dask_blocks``); others as a map_blocks over the overlapped sources."""
    import dask.array as da
    from ._integrations import dask_blocks
    if _one_derivative_order(outputs) is not None:
        return dask_blocks.run(outputs, sources, threads, reader.result_dtype)
    steps = [st for terms in outputs for t in terms for st in t.steps]
    if any(st.lazy is not None for st in steps):
        raise TypeError("dask spacings are not supported by mixed partials and the Hessian "
                        "(their blocks read corners); pass numpy coordinates (compute "
                        "them first)")
    ndim = sources[0].ndim
    depth, least, periodic = [0] * ndim, [1] * ndim, [False] * ndim
    for st in steps:
        depth[st.axis] = max(depth[st.axis], st.half)
        least[st.axis] = max(least[st.axis], st.span, st.half)
        periodic[st.axis] = periodic[st.axis] or st.periodic
    given = sources[0].chunks
    chunks = tuple(dask_blocks.merged(c, m) for c, m in zip(given, least))
    sources = [x.rechunk(chunks) for x in sources]
    boundary = {ax: "periodic" if periodic[ax] else "none" for ax in range(ndim)}
    halo = {ax: depth[ax] for ax in range(ndim)}
    grown = [da.overlap.overlap(x, depth=halo, boundary=boundary) if any(depth) else x
             for x in sources]
    starts = [[0, *np.cumsum(c)[:-1].tolist()] for c in chunks]
    meta = np.empty((0,) * ndim, dtype=reader.result_dtype)
    results = []
    for terms in outputs:
        results.append(da.map_blocks(
            _block_task, *grown, terms=terms, sizes=chunks, chunks=chunks, starts=starts,
            depth=depth,
            periodic=periodic, shape=sources[0].shape, threads=threads, result=meta.dtype,
            dtype=meta.dtype, meta=meta))
    # the chunks the input had (thin ones were merged for the stencils' reach)
    return [r if chunks == given else r.rechunk(given) for r in results]


def _block_task(*blocks, terms, sizes, starts, depth, periodic, shape, threads, result,
                block_id=None):
    dtype = result
    block, avail = [], []
    for ax, i in enumerate(block_id):
        s = starts[ax][i]
        e = s + sizes[ax][i]
        block.append((s, e))
        lo = s - depth[ax] if periodic[ax] or s > 0 else s
        hi = e + depth[ax] if periodic[ax] or e < shape[ax] else e
        avail.append((lo, hi))
    out = np.empty(tuple(e - s for s, e in block), dtype=dtype)
    _output_on(terms, blocks, block, avail, threads, _Scratch(dtype), out)
    return out


# ---------------------------------------------------------------------------
# Reading the fields and running an operator


def _is_dask(x):
    da = sys.modules.get("dask.array")
    return da is not None and isinstance(x, da.Array)


def _fields(F, name, generic):
    """The components of a vector field: a sequence of arrays, or one array whose
    first axis counts them.  None: duck arrays to look at first (not generic)."""
    if isinstance(F, (list, tuple)):
        comps = list(F)
    elif isinstance(F, np.ndarray) or _is_dask(F):
        if F.ndim < 1:
            raise ValueError(f"{name}: F must be a sequence of arrays, or one array of "
                             f"shape (k, ...) holding k components, got a 0-d array")
        comps = [F[m] for m in range(F.shape[0])]
    else:
        comps = list(np.asarray(F))
    if not comps:
        raise ValueError(f"{name}: F has no components")
    if not generic:
        if not all(type(c) is np.ndarray for c in comps):
            return None
    else:
        comps = [c if _is_dask(c) else np.asanyarray(c) for c in comps]
    shape, dtype = comps[0].shape, comps[0].dtype
    for m, c in enumerate(comps):
        if c.shape != shape:
            raise ValueError(f"{name}: the components of F must have one shape; F[0] has "
                             f"{shape}, F[{m}] has {c.shape}")
        if c.dtype != dtype:
            raise TypeError(f"{name}: the components of F must have one dtype; F[0] is "
                            f"{dtype}, F[{m}] is {c.dtype} (convert them first)")
    return comps


def _probe_kernel(name, dtype):
    """TypeError now, as `derivative` raises it, for data no kernel computes."""
    if not _kernel_computes(dtype):
        raise TypeError(f"{name} is computed for float32, float64, complex64, complex128 "
                        f"and integer arrays, not for {dtype} data (convert it first, for "
                        f"example with f.astype(np.float64))")


def _reader(name, first, varargs, axis, options):
    lazy = None
    if _is_dask(first):
        f = _stand_in(first.shape)
        if any(_is_dask(v) for v in varargs):
            # read at compute time by the planner, on the dask engine (dask_blocks)
            from ._integrations import dask_arrays
            varargs, lazy = dask_arrays.stand_ins(
                varargs, len(_kernels.axes_of(axis, first.ndim)), options["boundary"],
                options["period"])
    elif isinstance(first, np.ndarray) and type(first) is not np.ndarray:
        raise TypeError(f"{name} computes numpy arrays, not {type(first).__name__} "
                        f"(convert with np.asarray first)")
    else:
        f = first
    reader = _Reader(f, varargs, axis, options.get("edge_order"), options["workers"],
                     options["boundary"], options["period"], options["accuracy"],
                     dtype=first.dtype, lazy=lazy,
                     constant_values=options["constant_values"], nan=options["nan"])
    _probe_kernel(name, first.dtype)
    return reader


def _outputs_into(name, out, first, sources, count, stacked_shape):
    """The validated out= arrays of `count` outputs (one array of `stacked_shape`,
    or a sequence), or fresh ones; and what to return."""
    if out is None:
        return None
    if isinstance(out, np.ndarray) and out.ndim == first.ndim + len(stacked_shape) \
            and stacked_shape:
        if out.shape != stacked_shape + first.shape:
            raise ValueError(f"{name}: out has shape {out.shape}, the result has shape "
                             f"{stacked_shape + first.shape}")
        views = [out[idx] for idx in np.ndindex(*stacked_shape)]
        return _kernels.check_out(views, first, count, tuple(sources)), out
    outs = _kernels.check_out(out, first, count, tuple(sources))
    return outs, (outs[0] if count == 1 and isinstance(out, np.ndarray) else tuple(outs))


def _run(name, outputs, sources, reader, out, stacked_shape, shape_result):
    """Compute `outputs` (lists of terms) on `sources`; returns the result as
    `shape_result` arranges the output arrays (in memory) or lazy arrays (dask)."""
    threads = reader.workers
    if any(_is_dask(s) for s in sources):    # out= was refused by the dispatch
        import dask.array as da
        sources = [s if _is_dask(s) else da.asarray(s) for s in sources]
        return shape_result(_run_dask(outputs, sources, reader, threads), stacked=True)
    checked = _outputs_into(name, out, sources[0], sources, len(outputs), stacked_shape)
    if checked is None:
        outs = [np.empty_like(sources[0], dtype=reader.result_dtype) for _ in outputs]
    else:
        outs = checked[0]
    if not _run_sweep(outputs, sources, outs, reader):
        _run_memory(outputs, sources, outs, threads)
    if checked is not None:
        return checked[1]
    return shape_result(outs, stacked=False)


def _run_sweep(outputs, sources, outs, reader):
    """Outputs whose terms each take one derivative of one order (divergence, curl):
    every term in one sweep of the kernels (``terms_call``), each output's first
    term stored and the others added or subtracted as the sweep reaches them.
    False when the operator has other terms (the slabs compute it)."""
    n = _one_derivative_order(outputs)
    if n is None:
        return False
    varargs, axis, boundary, period, constant_values, nan = reader.args
    # edge_order shapes the ends of first derivatives only (Reader.step's rule)
    eo = 1 if reader.edge_order is None or n > 1 else reader.edge_order
    call = (varargs, axis, eo, reader.workers, outs, boundary, period, reader.accuracy, n,
            _term_tuples(outputs, list(reader.axes)), constant_values, nan)
    if _kernels.terms_call(tuple(sources), *call) is None:
        # components laid out differently: the same layout for every one
        alike = tuple(np.ascontiguousarray(s) for s in sources)
        if _kernels.terms_call(alike, *call) is None:
            return False                # pragma: no cover - the dtype was probed first
    return True


def _options(axis, accuracy, boundary, period, out, workers, edge_order, constant_values,
             nan="propagate", split_allowed=True, name=""):
    """An operator's options; nan="split" where its terms are single-axis derivatives
    (divergence, curl), else a ValueError (mixed partials read corners).  Other
    nan= values are the planner's to refuse (its Reader reads them)."""
    if isinstance(nan, str) and nan == "split" and not split_allowed:
        raise ValueError(f"nan='split' is not computed for {name} (its terms read corners "
                         f"across axes): give nan='propagate'")
    return {"axis": axis, "accuracy": accuracy, "boundary": boundary, "period": period,
            "out": out, "workers": workers, "edge_order": edge_order,
            "constant_values": constant_values, "nan": _nan_argument(nan)}


def _single(outs, stacked):
    return outs[0]


# ---------------------------------------------------------------------------
# mixed_derivative


def _read_orders(n, naxes):
    if isinstance(n, (list, tuple)):
        orders = tuple(_kernels.derivative_order(v) for v in n)
    else:
        raise TypeError(f"mixed_derivative: n must be a tuple of orders, one per axis, "
                        f"got {n!r}")
    if len(orders) != naxes:
        raise ValueError(f"mixed_derivative: n has {len(orders)} orders and axis names "
                         f"{naxes} axes; give one order per axis")
    return orders


def _mixed_terms(reader, orders, sign=1, source=0):
    """One term: the derivatives nested in the planner's order, the reverse of its
    sum order (decreasing axis number: the last axis first)."""
    return _Term(sign, source, [reader.step(q, orders[q]) for q in reversed(reader.sum_order)])


def _mixed_kernel(f, varargs, generic, o):
    if not generic and type(f) is not np.ndarray:
        return None
    axis = o["axis"]
    if not isinstance(axis, (list, tuple)):
        raise TypeError(f"mixed_derivative: axis must be a tuple of axes, got {axis!r}")
    reader = _reader("mixed_derivative", f, varargs, tuple(axis), o)
    orders = _read_orders(o["n"], len(reader.axes))
    return _run("mixed_derivative", [[_mixed_terms(reader, orders)]], [f], reader, o["out"],
                (), _single)


def _mixed_dask(f, varargs, o):
    return _mixed_kernel(f, varargs, True, o)


MIXED = _dispatch.Operator("mixed_derivative", _mixed_kernel, _mixed_dask)


def mixed_derivative(f, *varargs, n, axis, accuracy=2, boundary="one-sided", period=None,
                     out=None, workers=None, edge_order=None, constant_values=None,
                     nan="propagate"):
    """Return a mixed partial derivative of an N-dimensional array, in one pass.

    ``mixed_derivative(f, n=(1, 1), axis=(0, 1))`` is ∂²f/∂x0∂x1: the derivative
    of order ``n[k]`` along each axis ``axis[k]``, with the stencils `derivative`
    uses along that axis for that order (central inside, one-sided or wrapped
    at the ends), combined as their tensor product.

    Parameters
    ----------
    f : array_like
        An N-dimensional array.
    *varargs : list of scalar or array, optional
        Spacing, as for `gradient`: none, one scalar for every axis, or one
        scalar or coordinate array per axis of `axis`, in `axis` order.
    n : tuple of int
        The order (1 to 4) along each axis of `axis`.
    axis : tuple of int
        Distinct axes, as many as orders.
    accuracy : {2, 4, 6, 8}, optional
        Order of each axis's stencils (see `derivative`).
    nan : {"propagate"}, optional
        numpy's (a NaN spreads over the stencils that read it); "split" raises
        ValueError: a mixed partial reads corners across axes.
    boundary, period, constant_values : optional
        As for `gradient`, one value or one per axis of `axis`; with the np.pad
        modes, the result is the nested interior stencils on the data padded
        along every axis of `axis` (np.pad's corners: axis after axis, in
        increasing order).
    out : ndarray, optional
        A preallocated array of the result's shape and dtype.
    workers : int, optional
        Threads for large arrays. Results do not depend on it.
    edge_order : {1, 2}, optional
        The ends of first derivatives at accuracy 2, as `gradient`'s (default 1).

    Returns
    -------
    ndarray
        The shape of `f`, with the dtype `derivative` returns; a lazy array for
        dask input (bit for bit the in-memory result, any chunking).

    Raises
    ------
    ValueError
        For repeated axes, as many orders as axes, orders outside 1..4, an
        axis too short for its stencil, and every argument `derivative`
        rejects.
    TypeError
        For a non-tuple `n` or `axis`, and data no kernel computes (as
        `derivative` with ``n > 1``).

    Notes
    -----
    The derivatives are applied one axis at a time, the highest axis number
    first, each on the previous one's values in the result's dtype: the result
    is bit for bit ``derivative(derivative(f, n=n1, axis=a1), n=n0, axis=a0)``
    for ``a0 < a1`` (with the spacings of those axes), whatever order `axis`
    lists them in.  It is computed slab by slab: `f` is read once, the result
    written once, and no temporary is larger than a slab of about 256 KiB.

    Examples
    --------
    >>> import numpy as np
    >>> from gradient_ext import mixed_derivative
    >>> y, x = np.meshgrid(np.arange(4.0), np.arange(5.0), indexing="ij")
    >>> mixed_derivative(x**2 * y, n=(1, 1), axis=(0, 1))      # d2/dydx = 2x
    array([[1., 2., 4., 6., 7.],
           [1., 2., 4., 6., 7.],
           [1., 2., 4., 6., 7.],
           [1., 2., 4., 6., 7.]])
    >>> mixed_derivative(x**2 * y, n=(1, 1), axis=(0, 1), edge_order=2)
    array([[0., 2., 4., 6., 8.],
           [0., 2., 4., 6., 8.],
           [0., 2., 4., 6., 8.],
           [0., 2., 4., 6., 8.]])
    """
    o = _options(axis, accuracy, boundary, period, out, workers, edge_order,
                 constant_values, nan, False, "mixed_derivative")
    o["n"] = n
    if type(f) is np.ndarray:
        return _mixed_kernel(f, varargs, False, o)
    return _dispatch.general(MIXED, f, varargs, o)


# ---------------------------------------------------------------------------
# hessian


def _hessian_kernel(f, varargs, generic, o):
    if not generic and type(f) is not np.ndarray:
        return None
    reader = _reader("hessian", f, varargs, o["axis"], o)
    k = len(reader.axes)
    outputs, where = [], {}
    for i in range(k):
        for j in range(i, k):
            orders = (2,) if i == j else (1, 1)
            qs = (i,) if i == j else (i, j)
            sub = _SubReader(reader, qs)
            where[(i, j)] = len(outputs)
            outputs.append([_mixed_terms(sub, orders)])

    def arrange(arrays, stacked):       # dask only: in memory, `_hessian_into` fills H
        import dask.array as da
        return da.stack([da.stack([arrays[where[min(i, j), max(i, j)]] for j in range(k)])
                         for i in range(k)])

    out = o["out"]
    if _is_dask(f) or out is None:
        if out is None and not _is_dask(f):
            H = np.empty((k, k) + f.shape, dtype=reader.result_dtype)
            _hessian_into(outputs, where, f, reader, H, k)
            return H
        return _run("hessian", outputs, [f], reader, out, (k, k), arrange)
    if not (isinstance(out, np.ndarray) and out.shape == (k, k) + f.shape):
        raise ValueError(f"hessian: out must be one array of shape {(k, k) + f.shape}, "
                         f"got {getattr(out, 'shape', type(out).__name__)}")
    _kernels.check_out([out[i, j] for i in range(k) for j in range(k)], f, k * k, (f,))
    _hessian_into(outputs, where, f, reader, out, k)
    return out


def _hessian_into(outputs, where, f, reader, H, k):
    """Each distinct entry once, into H[i, j] (i <= j); then H[j, i] = H[i, j]. The
    diagonal in one sweep of the kernels (every second derivative while f's lines
    are in cache), the mixed entries slab by slab, each copied while in cache."""
    diagonal = [(i, i) for i in range(k)]
    if _run_sweep([outputs[where[p]] for p in diagonal], [f], [H[p] for p in diagonal],
                  reader):
        where = {p: w for p, w in where.items() if p[0] != p[1]}
    order = sorted(where, key=where.get)
    if order:
        _run_memory([outputs[where[p]] for p in order], [f], [H[i, j] for i, j in order],
                    reader.workers, [H[j, i] if i != j else None for i, j in order])


class _SubReader:
    """A reader restricted to some axes of the call (the Hessian's entries)."""

    def __init__(self, reader, qs):
        self.reader, self.qs = reader, qs
        self.axes = tuple(reader.axes[q] for q in qs)

    @property
    def sum_order(self):
        return tuple(k for p in self.reader.sum_order for k, q in enumerate(self.qs) if q == p)

    def step(self, q, n):
        return self.reader.step(self.qs[q], n)


def _hessian_dask(f, varargs, o):
    return _hessian_kernel(f, varargs, True, o)


HESSIAN = _dispatch.Operator("hessian", _hessian_kernel, _hessian_dask)


def hessian(f, *varargs, axis=None, accuracy=2, boundary="one-sided", period=None,
            out=None, workers=None, edge_order=None, constant_values=None,
            nan="propagate"):
    """Return the Hessian of an N-dimensional array: all its second derivatives.

    Parameters
    ----------
    f : array_like
        An N-dimensional array.
    *varargs : list of scalar or array, optional
        Spacing, as for `gradient`: none, one scalar, or one scalar or
        coordinate array per axis of `axis`.
    axis : None or int or tuple of ints, optional
        The k axes (default: every axis).
    accuracy : {2, 4, 6, 8}, optional
        Order of the stencils (see `derivative`).
    boundary, period, constant_values : optional
        As for `gradient`, per axis (the np.pad modes: see `mixed_derivative`).
    nan : {"propagate"}, optional
        As for `mixed_derivative` ("split" raises ValueError: the off-diagonal
        terms read corners).
    out : ndarray, optional
        One preallocated array of shape ``(k, k) + f.shape`` and the result's dtype.
    workers : int, optional
        Threads for large arrays. Results do not depend on it.
    edge_order : {1, 2}, optional
        The ends of the first derivatives of the off-diagonal terms at
        accuracy 2, as `gradient`'s (default 1).

    Returns
    -------
    ndarray
        Shape ``(k, k) + f.shape``: ``H[i, i]`` is ``derivative(f, n=2,
        axis=axis[i])`` and ``H[i, j]`` is ``mixed_derivative(f, n=(1, 1),
        axis=(axis[i], axis[j]))``, bit for bit; ``H[j, i]`` has the bits of
        ``H[i, j]`` (each off-diagonal entry is computed once).

    Examples
    --------
    >>> import numpy as np
    >>> from gradient_ext import hessian
    >>> y, x = np.meshgrid(np.arange(5.0), np.arange(6.0), indexing="ij")
    >>> H = hessian(x**2 + 3 * x * y + 2 * y**2, edge_order=2)
    >>> H.shape
    (2, 2, 5, 6)
    >>> [float(v) for v in H[:, :, 2, 3].ravel()]        # [[4, 3], [3, 2]]
    [4.0, 3.0, 3.0, 2.0]
    """
    o = _options(axis, accuracy, boundary, period, out, workers, edge_order,
                 constant_values, nan, False, "hessian")
    if type(f) is np.ndarray:
        return _hessian_kernel(f, varargs, False, o)
    return _dispatch.general(HESSIAN, f, varargs, o)


# ---------------------------------------------------------------------------
# divergence and curl


def _field_axes(name, comps, axis, k_needed=None):
    """The axes of a vector field's components (default: the first k)."""
    k = len(comps)
    if k_needed is not None and k not in k_needed:
        raise ValueError(f"{name}: F must have {' or '.join(map(str, k_needed))} "
                         f"components, got {k}")
    if axis is None:
        if comps[0].ndim < k:
            raise ValueError(f"{name}: F has {k} components, but they have only "
                             f"{comps[0].ndim} axes")
        return tuple(range(k))
    if isinstance(axis, (list, tuple)) and len(axis) != k:
        raise ValueError(f"{name}: F has {k} components and axis names {len(axis)} axes; "
                         f"give one axis per component")
    if not isinstance(axis, (list, tuple)):
        if k != 1:
            raise ValueError(f"{name}: F has {k} components and axis names 1 axis; give "
                             f"one axis per component")
        return axis
    return tuple(axis)


def _divergence_kernel(F, varargs, generic, o):
    comps = _fields(F, "divergence", generic)
    if comps is None:
        return None
    axis = _field_axes("divergence", comps, o["axis"])
    reader = _reader("divergence", comps[0], varargs, axis, o)
    terms = [_Term(1, q, [reader.step(q, 1)]) for q in reader.sum_order]
    return _run("divergence", [terms], comps, reader, o["out"], (), _single)


def _divergence_dask(F, varargs, o):
    return _divergence_kernel(F, varargs, True, o)


DIVERGENCE = _dispatch.Operator("divergence", _divergence_kernel, _divergence_dask,
                                fields=True)


def divergence(F, *varargs, axis=None, accuracy=2, boundary="one-sided", period=None,
               out=None, workers=None, edge_order=None, constant_values=None,
               nan="propagate"):
    """Return the divergence of a vector field, in one pass: sum of dF[m]/dx_axis[m].

    Parameters
    ----------
    F : sequence of array_like, or ndarray
        The k components, each of the same shape and dtype; or one array of
        shape ``(k,) + shape`` whose first axis counts them (`axis` then counts
        the axes of a component, not of the stack).
    *varargs : list of scalar or array, optional
        Spacing, as for `gradient`: none, one scalar, or one scalar or
        coordinate array per axis of `axis`, in `axis` order.
    axis : None or tuple of ints, optional
        The axis each component is differentiated along; default
        ``(0, 1, ..., k-1)``.
    accuracy, boundary, period, workers, edge_order, constant_values, nan : optional
        As for `derivative` with ``n=1``, per axis (``nan="split"``: each term on
        the runs of finite values of its component along its axis).
    out : ndarray, optional
        A preallocated array of a component's shape and the result's dtype.

    Returns
    -------
    ndarray
        The shape of a component; bit for bit ``d0 + d1 + ...`` with
        ``dm = derivative(F[m], *spacing_m, axis=axis[m], ...)``, summed in
        increasing axis number, left to right, in the result's dtype (the
        Laplacian's rule).  A lazy array for dask components.

    Raises
    ------
    ValueError
        For as many axes as components not given, repeated axes, components of
        different shapes, and every argument `derivative` rejects.
    TypeError
        For components of different dtypes, or data no kernel computes.

    Examples
    --------
    >>> import numpy as np
    >>> from gradient_ext import divergence
    >>> y, x = np.meshgrid(np.arange(4.0), np.arange(5.0), indexing="ij")
    >>> divergence([x * y, 3 * x], axis=(1, 0))        # d(xy)/dx + d(3x)/dy = y
    array([[0., 0., 0., 0., 0.],
           [1., 1., 1., 1., 1.],
           [2., 2., 2., 2., 2.],
           [3., 3., 3., 3., 3.]])
    """
    o = _options(axis, accuracy, boundary, period, out, workers, edge_order,
                 constant_values, nan)
    result = _divergence_kernel(F, varargs, False, o)
    if result is None:
        return _dispatch.general(DIVERGENCE, F, varargs, o)
    return result


def _curl_terms(reader, k):
    step = reader.step
    if k == 2:
        return [[_Term(1, 1, [step(0, 1)]), _Term(-1, 0, [step(1, 1)])]]
    return [[_Term(1, 2, [step(1, 1)]), _Term(-1, 1, [step(2, 1)])],
            [_Term(1, 0, [step(2, 1)]), _Term(-1, 2, [step(0, 1)])],
            [_Term(1, 1, [step(0, 1)]), _Term(-1, 0, [step(1, 1)])]]


def _curl_kernel(F, varargs, generic, o):
    comps = _fields(F, "curl", generic)
    if comps is None:
        return None
    axis = _field_axes("curl", comps, o["axis"], (2, 3))
    reader = _reader("curl", comps[0], varargs, axis, o)
    k = len(comps)
    if k == 2:
        return _run("curl", _curl_terms(reader, 2), comps, reader, o["out"], (), _single)

    def arrange(arrays, stacked):       # dask only: in memory, C is filled below
        import dask.array as da
        return da.stack(arrays)

    out = o["out"]
    if out is None and not _is_dask(comps[0]):
        C = np.empty((3,) + comps[0].shape, dtype=reader.result_dtype)
        _run_memory(_curl_terms(reader, 3), comps, [C[0], C[1], C[2]], reader.workers)
        return C
    return _run("curl", _curl_terms(reader, 3), comps, reader, out, (3,), arrange)


def _curl_dask(F, varargs, o):
    return _curl_kernel(F, varargs, True, o)


CURL = _dispatch.Operator("curl", _curl_kernel, _curl_dask, fields=True)


def curl(F, *varargs, axis=None, accuracy=2, boundary="one-sided", period=None, out=None,
         workers=None, edge_order=None, constant_values=None, nan="propagate"):
    """Return the curl of a 2- or 3-component vector field, each output in one pass.

    Two components on two axes ``(a, b) = axis`` give the scalar
    ``dF[1]/dx_a - dF[0]/dx_b``; three on ``(x0, x1, x2) = axis``, taken as a
    right-handed frame, give ``(dF2/dx1 - dF1/dx2, dF0/dx2 - dF2/dx0,
    dF1/dx0 - dF0/dx1)`` as one ``(3,) + shape`` array.

    **Vorticity.** On ``[y, x]`` arrays (rows y, columns x) with ``F = (u, v)``,
    ``curl((u, v), axis=(1, 0))`` is the vorticity ``dv/dx - du/dy``, the sign
    meteorologists expect: the frame is (x, y), ``u`` along x (axis 1), ``v``
    along y (axis 0).  With the default ``axis=(0, 1)`` the frame is (y, x),
    and each component must lie along its axis: ``curl((v, u))`` gives
    ``du/dy - dv/dx``, minus the vorticity.

    Parameters
    ----------
    F : sequence of array_like, or ndarray
        2 or 3 components of one shape and dtype, or one array stacking them
        along its first axis.
    *varargs : list of scalar or array, optional
        Spacing, as for `gradient`: none, one scalar, or one per axis of
        `axis`, in `axis` order.
    axis : None or tuple of ints, optional
        The frame's axes; default ``(0, 1)`` or ``(0, 1, 2)``.
    accuracy, boundary, period, workers, edge_order, constant_values, nan : optional
        As for `derivative` with ``n=1``, per axis (``nan="split"``: each term on
        the runs of finite values of its component along its axis).
    out : ndarray or sequence of ndarray, optional
        2 components: one array; 3: one ``(3,) + shape`` array or 3 arrays.

    Returns
    -------
    ndarray
        Each output bit for bit ``derivative(F[i], axis=...) - derivative(F[j],
        axis=...)`` as written above, in the result's dtype.

    Examples
    --------
    >>> import numpy as np
    >>> from gradient_ext import curl
    >>> y, x = np.meshgrid(np.arange(4.0), np.arange(5.0), indexing="ij")
    >>> u, v = -y, x                             # solid-body rotation
    >>> curl((u, v), axis=(1, 0))                # vorticity: 2 everywhere
    array([[2., 2., 2., 2., 2.],
           [2., 2., 2., 2., 2.],
           [2., 2., 2., 2., 2.],
           [2., 2., 2., 2., 2.]])
    >>> float(curl((v, u))[0, 0])                # frame (y, x): minus the vorticity
    -2.0
    """
    o = _options(axis, accuracy, boundary, period, out, workers, edge_order,
                 constant_values, nan)
    result = _curl_kernel(F, varargs, False, o)
    if result is None:
        return _dispatch.general(CURL, F, varargs, o)
    return result
