"""The one dask engine of every one-derivative operator: the gradient, `derivative`,
the Laplacian, divergence and curl.  Imported only with dask.

An operator arrives as *outputs*, each a list of `chunks.Term` of one `Step`
(one derivative along one axis), read by the planner; nothing here decides a
numerical rule.  The graph, written by hand (one layer; every chunk size along
the other axes may be unknown):

* Chunks thinner than a stencil's reach are merged with a neighbour first (the
  result gets the input's chunks back): every block is long enough that an array
  end's one-sided stencils, computed on the end block alone, are the whole
  array's (``chunks.window``'s reach), and that each face has `half` points of
  its own behind it.
* Per (source, axis) a term reads, thin *halo slabs*: the `half` points just
  before and just after each block, cut from the neighbouring blocks (beyond
  the array's ends: wrapped around on periodic axes; on np.pad-mode axes the
  ghost points the kernels read, ``ghost_points``, taken from the end block,
  or boundary="constant"'s value).  A derivative along an axis reads only its line, so no
  corners move and no block is copied.
* Per block, one task: every term of every output in one sweep of the kernels on
  the block itself (``terms_kernel``), then the rows within `half` of each face
  that has a neighbour (or a wrapped one) recomputed on a window of the face's
  rows and the slabs.  It returns one array per output (a tuple); one getitem
  layer per output makes the lazy results.
* Lazy (dask) spacings: one task per axis reads the computed values with the
  planner's own reading (``Step.resolved``: numpy's collapse of evenly spaced
  coordinates, decided on the whole axis; periodic coordinates extended and
  checked), and every block task depends on it.
* Data no kernel computes (float16, object, ...; only numpy's own schemes
  accept it, the planner has said so): numpy on each block's window, with a
  fake end point where numpy must not collapse coordinates that are even only
  locally.
"""

import bisect
import itertools
import operator

import numpy as np
import dask.array as da
from dask.base import tokenize
from dask.highlevelgraph import HighLevelGraph

from .. import _runtime
from .._runtime import kernels as _kernels
from .chunks import kernel_gradient, term_tuples, window

__all__ = ["run", "merged"]


def run(outputs, sources, threads, result_dtype):
    """One lazy array per output: its terms (one step each) on the dask `sources`
    (one chunking), bit for bit the in-memory result."""
    steps = _steps_by_axis(outputs)
    given = sources[0].chunks
    # nan="split": one more point, so that an end block's own rows near the array's
    # end never see its other face as a run's end
    least = {ax: max(st.span + st.face - 1, 2 * st.face + st.split, 1)
             for ax, st in steps.items()}
    chunks = tuple(merged(c, least[ax]) if ax in least else c for ax, c in enumerate(given))
    if chunks != given:
        sources = [x.rechunk({ax: chunks[ax] for ax in steps}) for x in sources]
        chunks = sources[0].chunks
    token = tokenize([x.name for x in sources], _describe(outputs), threads, result_dtype)
    name = f"gradient_ext-blocks-{token}"
    dsk, deps = {}, list(sources)
    lazy = _lazy_steps(steps, dsk, deps, token)
    reads = sorted({(t.source, t.steps[0].axis) for terms in outputs for t in terms})
    starts = [[0, *itertools.accumulate(c)][:-1] for c in chunks]
    spec = _Spec(outputs, steps, least, reads, starts, chunks, threads, result_dtype,
                 list(lazy))
    for idx in itertools.product(*(range(len(c)) for c in chunks)):
        halos = [_halos(sources[m], ax, steps[ax], idx, starts[ax], chunks[ax], dsk, token)
                 for m, ax in reads]
        dsk[(name, *idx)] = (_block_task, spec, idx, [(x.name, *idx) for x in sources],
                             halos, list(lazy.values()))
    graph = HighLevelGraph.from_collections(name, dsk, dependencies=deps)
    meta = np.empty((0,) * sources[0].ndim, dtype=result_dtype)
    blocks = [k for k in dsk if k[0] == name]
    results = []
    for o in range(len(outputs)):
        oname = f"gradient_ext-output{o}-{token}"
        layer = {(oname, *k[1:]): (operator.getitem, k, o) for k in blocks}
        g = HighLevelGraph({**graph.layers, oname: layer},
                           {**graph.dependencies, oname: {name}})
        r = da.Array(g, oname, chunks=chunks, meta=meta)
        results.append(r if chunks == given else r.rechunk(given))
    return results


def merged(sizes, least):
    """Chunk sizes with every chunk at least `least` long (thin ones merged)."""
    out = []
    for c in sizes:
        if out and out[-1] < least:
            out[-1] += c
        else:
            out.append(c)
    if len(out) > 1 and out[-1] < least:
        last = out.pop()
        out[-1] += last
    return tuple(out)


class _Spec:
    """What every block task shares, pickled with it: no dask array, no data but the
    numpy coordinates the in-memory call holds too.  `outputs`: per output, its
    terms as (sign, source, axis); `lazy`: the axes whose resolved Steps the task
    receives as arguments."""

    __slots__ = ("outputs", "steps", "least", "reads", "starts", "sizes", "threads", "dtype",
                 "terms", "lazy")

    def __init__(self, outputs, steps, least, reads, starts, sizes, threads, dtype, lazy):
        self.outputs = [[(t.sign, t.source, t.steps[0].axis) for t in terms]
                        for terms in outputs]
        self.terms = term_tuples(outputs, sorted(steps))
        self.steps = {ax: st.replaced() for ax, st in steps.items()}
        self.least, self.reads, self.starts, self.sizes = least, reads, starts, sizes
        self.threads, self.dtype, self.lazy = threads, dtype, lazy


def _steps_by_axis(outputs):
    """{axis: its step}: every term along an axis takes that axis's one step."""
    steps = {}
    for terms in outputs:
        for t in terms:
            (st,) = t.steps
            steps.setdefault(st.axis, st)
    return steps


def _describe(outputs):
    return [[(t.sign, t.source, st.axis, st.n, st.edge_order, st.accuracy, st.periodic,
              st.boundary, st.constant, st.split, type(st.given).__name__,
              st.given if st.lazy is None else None, st.period, st.lazy)
             for t in terms for st in t.steps] for terms in outputs]


def _lazy_steps(steps, dsk, deps, token):
    """{axis: key of its resolved Step} for steps whose spacing is a dask array."""
    keys = {}
    for ax, st in steps.items():
        if st.lazy is None:
            continue
        v = st.lazy if st.lazy.ndim == 0 else st.lazy.rechunk(-1)
        deps.append(v)
        key = (f"gradient_ext-spacing-{token}", ax)
        dsk[key] = (st.replaced().resolved, (v.name,) + (0,) * v.ndim)
        keys[ax] = key
    return keys


def _halos(x, ax, st, idx, starts, sizes, dsk, token):
    """The keys of the slabs `half` deep before and after block idx along ax (lists
    of pieces; empty where the block is at a one-sided array end)."""
    i, n, half = idx[ax], st.size, st.depth
    s, e = starts[i], starts[i] + sizes[i]
    sides = []
    for a, b, needed in ((s - half, s, st.extends or s > 0),
                         (e, e + half, st.extends or e < n)):
        if needed and not st.periodic and (a < 0 or b > n):
            sides.append([_ghost_halo(x, ax, st, idx, starts, sizes, a, b, dsk, token)])
            continue
        keys = []
        for j, lo, hi in (_wrapped_pieces(starts, sizes, n, a, b) if needed else ()):
            src = idx[:ax] + (j,) + idx[ax + 1:]
            key = (f"gradient_ext-halo-{token}", x.name, ax, lo, hi, *src)
            if key not in dsk:
                index = (slice(None),) * ax + (slice(lo, hi),)
                dsk[key] = (operator.getitem, (x.name, *src), index)
            keys.append(key)
        sides.append(keys)
    return sides


def _ghost_halo(x, ax, st, idx, starts, sizes, a, b, dsk, token):
    """The key of the slab of points [a, b) beyond an array end of an np.pad-mode
    axis: the points `ghost_points` names, taken from the blocks that hold them
    (the end block: it is at least 2*half long), or the constant."""
    points = _kernels.ghost_points(range(a, b), st.size, st.boundary)
    key = (f"gradient_ext-ghosts-{token}", x.name, ax, a, b, *idx)
    if key in dsk:
        return key
    picks, srcs = [], []
    for p in points:
        if p < 0:
            picks.append(None)
            continue
        j = bisect.bisect_right(starts, p) - 1
        src = idx[:ax] + (j,) + idx[ax + 1:]
        if (x.name, *src) not in srcs:
            srcs.append((x.name, *src))
        picks.append((srcs.index((x.name, *src)), int(p - starts[j])))
    like = (x.name, *idx)
    dsk[key] = (_ghost_slab, like, srcs, ax, picks, st.constant)
    return key


def _ghost_slab(like, blocks, ax, picks, constant):
    """The ghost rows `picks` ((block, row) or None for the constant) along ax, with
    `like`'s extent along the other axes."""
    rows = []
    for pick in picks:
        if pick is None:
            shape = like.shape[:ax] + (1,) + like.shape[ax + 1:]
            rows.append(np.full(shape, constant, like.dtype))
        else:
            k, r = pick
            rows.append(blocks[k][(slice(None),) * ax + (slice(r, r + 1),)])
    return np.concatenate(rows, axis=ax)


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
    """_pieces of global [a, b), where points before 0 and from n on wrap around
    (any number of times: an axis shorter than a halo)."""
    out = []
    while a < b:
        lap = a // n
        hi = min(b, (lap + 1) * n)
        out += _pieces(starts, sizes, a - lap * n, hi - lap * n)
        a = hi
    return out


# ---------------------------------------------------------------------------
# The task


def _block_task(spec, idx, blocks, halos, resolved):
    """Every output's values on block idx, as a tuple."""
    steps = dict(spec.steps)
    steps.update(zip(spec.lazy, resolved))      # the lazy spacings, read
    # blocks a worker received over the network may be unaligned views of its
    # buffers, which no kernel reads: aligned copies (the halos are cut from them)
    blocks = [_aligned(b) for b in blocks]
    # the block's extent in the whole array along the differentiated axes (along the
    # others, whose chunk sizes may be unknown, its own)
    block = [(s[i], s[i] + c[i]) if ax in steps else (0, blocks[0].shape[ax])
             for ax, (s, c, i) in enumerate(zip(spec.starts, spec.sizes, idx))]
    halo = {key: [_aligned(np.concatenate(p, axis=key[1]) if len(p) > 1 else p[0])
                  if p else None for p in pair] for key, pair in zip(spec.reads, halos)}
    shape = tuple(e - s for s, e in block)
    outs = [np.empty(shape, spec.dtype) for _ in spec.outputs]
    if 0 in shape:
        return tuple(outs)
    if any(shape[ax] < least for ax, least in spec.least.items()):
        # an axis shorter than the stencils' reach (one block): every row from windows
        for terms, out in zip(spec.outputs, outs):
            _face_on(terms, steps, blocks, halo, block, block, spec.threads, out)
        return tuple(outs)
    if not _kernel_sweep(spec, steps, blocks, block, outs):
        for terms, out in zip(spec.outputs, outs):
            _numpy_on_window(terms, steps, blocks, halo, block, out)
        return tuple(outs)
    for terms, out in zip(spec.outputs, outs):
        for ax in sorted({axis for _, _, axis in terms}):
            st = steps[ax]
            s, e = block[ax]
            for lo, hi, side in ((s, s + st.face, 0), (e - st.face, e, 1)):
                if not st.extends and (s == 0 if side == 0 else e == st.size):
                    continue                    # the array's own end: the block's stencils
                face = list(block)
                face[ax] = (lo, hi)
                at = tuple(slice(a - b0, z - b0) for (a, z), (b0, _) in zip(face, block))
                _face_on(terms, steps, blocks, halo, block, face, spec.threads, out[at])
    return tuple(outs)


def _aligned(a):
    """`a`, or an aligned copy of it (an unaligned view of a received buffer)."""
    return a if not isinstance(a, np.ndarray) or a.flags.aligned else np.array(a)


def _kernel_sweep(spec, steps, blocks, block, outs):
    """Every term on the block itself, in one sweep (its ends one-sided, as if it
    were the whole array); False where no kernel computes the data."""
    if any(type(b) is not np.ndarray for b in blocks):
        return False
    axes = sorted(steps)
    dx = [steps[ax].spacing_on(*block[ax]) for ax in axes]
    st0 = steps[axes[0]]
    alike = tuple(blocks)
    if any(b.strides != blocks[0].strides for b in blocks):
        alike = tuple(np.ascontiguousarray(b) for b in blocks)      # one layout for all
    return _kernels.terms_kernel(alike, dx, tuple(axes), st0.edge_order,
                                 _kernels.threads_for(spec.threads), st0.accuracy, st0.n,
                                 outs, spec.terms, "split" if st0.split else None) is not None


def _window_of(st, block, face, halo_pair, src):
    """The window along st.axis that gives the in-memory values on the `face` rows
    (a part of `block`), made of the face's lines of the block and of the halo
    slabs; and its extent [ws, we) in the whole axis."""
    ax = st.axis
    b0, b1 = block[ax]
    f0, f1 = face[ax]
    ws, we = window(f0, f1, st.size, st.depth, st.span, st.extends)
    ws, we = max(ws, b0 - st.depth), min(we, b1 + st.depth)
    cut = tuple(slice(None) if a == ax else slice(f[0] - bl[0], f[1] - bl[0])
                for a, (f, bl) in enumerate(zip(face, block)))
    before, after = halo_pair
    pieces = []
    if ws < b0:
        pieces.append(before[cut][(slice(None),) * ax + (slice(st.depth - (b0 - ws), None),)])
    pieces.append(src[cut][(slice(None),) * ax + (slice(max(ws, b0) - b0, min(we, b1) - b0),)])
    if we > b1:
        pieces.append(after[cut][(slice(None),) * ax + (slice(0, we - b1),)])
    win = np.concatenate(pieces, axis=ax) if len(pieces) > 1 else pieces[0]
    return win, ws, we


def _face_on(terms, steps, blocks, halo, block, face, threads, out):
    """Every term of an output on the `face` rows, each on its window along its own
    axis; combined into `out` left to right (the first stored)."""
    for k, (sign, source, axis) in enumerate(terms):
        st = steps[axis]
        win, ws, we = _window_of(st, block, face, halo[(source, axis)], blocks[source])
        f0, f1 = face[st.axis]
        dest = np.empty(out.shape, out.dtype) if k else out
        args = (win, [st.spacing_on(ws, we)], (st.axis,), st.edge_order, threads,
                st.accuracy, st.n)
        if st.split:
            # nan="split" reads whole lines: the window's, its face rows cut out
            whole = kernel_gradient(*args, nan="split")
            if whole is None:
                raise TypeError("no kernel computes this operator's data")  # pragma: no cover
            dest[...] = whole[0][(slice(None),) * st.axis + (slice(f0 - ws, f1 - ws),)]
        elif kernel_gradient(*args, outs=[dest], rows=(f0 - ws, f1 - ws)) is None:
            raise TypeError("no kernel computes this operator's data")   # pragma: no cover
        if k and sign > 0:
            np.add(out, dest, out=out)
        elif k:
            np.subtract(out, dest, out=out)


def _numpy_on_window(terms, steps, blocks, halo, block, out):
    """numpy.gradient on the block's window: data no kernel computes (numpy's own
    schemes only: one term of a first derivative at accuracy 2)."""
    (_, source, ax), st = terms[0], steps[terms[0][2]]
    if len(terms) != 1 or st.accuracy != 2 or st.n != 1:
        # the planner refused such data when it read the call; never numpy's scheme
        # for another scheme's
        raise TypeError("no kernel computes this data, and numpy has no such scheme")
    win, ws, we = _window_of(st, block, block, halo[(source, ax)], blocks[source])
    spacing = st.spacing_on(ws, we)
    side = 0
    with np.errstate(all="ignore"):
        if isinstance(spacing, np.ndarray) and spacing.ndim == 1 and (ws, we) != (0, st.size):
            side = 1 if we > block[ax][1] else -1      # beyond a halo, never the block
            win, spacing = _uncollapsed(win, spacing, ax, side)
        r = _runtime.NUMPY_GRADIENT(win, spacing, axis=ax, edge_order=st.edge_order)
    lo = block[ax][0] - ws + (1 if side == -1 else 0)
    out[...] = r[(slice(None),) * ax + (slice(lo, lo + out.shape[ax]),)]


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
    index = [slice(None)] * nd
    index[ax] = slice(-1, None) if side > 0 else slice(0, 1)
    end = win[tuple(index)]
    parts = [win, end] if side > 0 else [end, win]
    return np.concatenate(parts, axis=ax), ext
