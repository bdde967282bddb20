# The geometry: lines, units of work, the sweep over all axes, and the threads it gets.


# ---------------------------------------------------------------------------
# Plans and tiling
# ---------------------------------------------------------------------------

cdef struct Tiling:
    int nd
    Py_ssize_t shape[MAX_DIMS]
    Py_ssize_t fstride[MAX_DIMS]
    # A call restricted to rows [origin, origin + shape) of an axis of `full` points
    # (`rows=`): the stencils see the whole axis, only those outputs are computed.
    Py_ssize_t origin[MAX_DIMS]
    Py_ssize_t full[MAX_DIMS]
    Py_ssize_t nlines           # product of all but the last dimension
    Py_ssize_t seg_len          # elements of a line per unit
    Py_ssize_t nsegs            # segments per line
    Py_ssize_t lines_per_unit
    Py_ssize_t line_blocks      # ceil(nlines / lines_per_unit)
    # A k-tap axis runs along the second-last dimension (across neighbouring
    # lines), or along the lines with a weight per point: units take their lines
    # two at a time (`run_pair`), in even counts.
    bint pairs


cdef void line_stencil(const src_t* fl, Py_ssize_t fs, char* ol, Py_ssize_t os,
                       Py_ssize_t n, Py_ssize_t k0, Py_ssize_t k1,
                       const AxisPlan* p) noexcept nogil:
    """Outputs k0..k1-1 of an axis that runs along the line (length n)."""
    cdef Py_ssize_t j0 = k0 if k0 > 1 else 1
    cdef Py_ssize_t j1 = k1 if k1 < n - 1 else n - 1
    if p.half:
        line_taps(fl, fs, ol, os, n, k0, k1, p)
        return
    if j1 > j0:
        if p.x == NULL:
            op_diff(<const src_t*>at(fl, (j0 + 1) * fs), <const src_t*>at(fl, (j0 - 1) * fs), fs,
                    ol + j0 * os, os, j1 - j0, p.h2, p.wide, p.stream)
        elif p.coef != NULL:
            op_comb_vec(<const src_t*>at(fl, (j0 - 1) * fs), <const src_t*>at(fl, j0 * fs),
                        <const src_t*>at(fl, (j0 + 1) * fs), fs, ol + j0 * os, os, j1 - j0,
                        p, n, j0)
        else:
            op_comb_uneven(<const src_t*>at(fl, (j0 - 1) * fs), <const src_t*>at(fl, j0 * fs),
                           <const src_t*>at(fl, (j0 + 1) * fs), fs, ol + j0 * os, os, j1 - j0,
                           p, j0)
    if p.ghosts:
        # the ends are interior points too, their outer neighbour a ghost
        if k0 == 0:
            ghost_lines(fl, fs, fs, ol, os, 0, n, 1, p)
        if k1 == n and n > 1:
            ghost_lines(fl, fs, fs, ol + (n - 1) * os, os, n - 1, n, 1, p)
        return
    if k0 == 0:
        if p.edge_order == 1:
            op_diff(<const src_t*>at(fl, fs), fl, fs, ol, os, 1, p.dx_lo, p.edge_wide,
                    p.stream)
        else:
            op_comb(fl, <const src_t*>at(fl, fs), <const src_t*>at(fl, 2 * fs), fs,
                    ol, os, 1, p.lo, p.edge_wide)
    if k1 == n:
        if p.edge_order == 1:
            op_diff(<const src_t*>at(fl, (n - 1) * fs), <const src_t*>at(fl, (n - 2) * fs), fs,
                    ol + (n - 1) * os, os, 1, p.dx_hi, p.edge_wide, p.stream)
        else:
            op_comb(<const src_t*>at(fl, (n - 3) * fs), <const src_t*>at(fl, (n - 2) * fs),
                    <const src_t*>at(fl, (n - 1) * fs), fs, ol + (n - 1) * os, os, 1,
                    p.hi, p.edge_wide)


cdef void across_lines(const src_t* fr, Py_ssize_t s, Py_ssize_t fs, char* orow, Py_ssize_t os,
                       Py_ssize_t i, Py_ssize_t n, Py_ssize_t m,
                       const AxisPlan* p) noexcept nogil:
    """m outputs of a line at position i of an axis across lines (stride s in f)."""
    cdef double abc[3]
    if p.half:
        across_taps(fr, s, fs, orow, os, i, n, m, p)
        return
    if p.ghosts and (i == 0 or i == n - 1):
        ghost_lines(<const src_t*>at(fr, -i * s), s, fs, orow, os, i, n, m, p)
        return
    if 0 < i < n - 1:
        if p.x == NULL:
            op_diff(<const src_t*>at(fr, s), <const src_t*>at(fr, -s), fs, orow, os, m,
                    p.h2, p.wide, p.stream)
        else:
            line_coefficients(p, i, abc)     # one triple for the whole line
            op_comb(<const src_t*>at(fr, -s), fr, <const src_t*>at(fr, s), fs, orow, os, m,
                    abc, p.wide)
    elif i == 0:
        if p.edge_order == 1:
            op_diff(<const src_t*>at(fr, s), fr, fs, orow, os, m, p.dx_lo, p.edge_wide,
                    p.stream)
        else:
            op_comb(fr, <const src_t*>at(fr, s), <const src_t*>at(fr, 2 * s), fs, orow, os, m,
                    p.lo, p.edge_wide)
    else:
        if p.edge_order == 1:
            op_diff(fr, <const src_t*>at(fr, -s), fs, orow, os, m, p.dx_hi, p.edge_wide,
                    p.stream)
        else:
            op_comb(<const src_t*>at(fr, -2 * s), <const src_t*>at(fr, -s), fr, fs, orow, os, m,
                    p.hi, p.edge_wide)


cdef void ghost_lines(const src_t* f0, Py_ssize_t s, Py_ssize_t fs, char* orow, Py_ssize_t os,
                      Py_ssize_t i, Py_ssize_t n, Py_ssize_t m, const AxisPlan* p) noexcept nogil:
    """m outputs at end position i (0 or n-1) of an accuracy-2 axis whose ends are
    interior points (f0: position 0, stride s): the neighbour beyond the end is
    the ghost line `ghost_index` names, pointed at, nothing copied; the constant
    of boundary="constant" is gathered with the line's other two into a buffer."""
    cdef Py_ssize_t jm = ghost_index(i - 1, n, p.ghost), jp = ghost_index(i + 1, n, p.ghost)
    cdef src_t buf[3 * GHOST_CHUNK]
    cdef Py_ssize_t c, c1, size = sizeof(src_t)
    if jm >= 0 and jp >= 0:
        neighbour_lines(<const src_t*>at(f0, i * s), (jm - i) * s, (jp - i) * s, fs, orow, os,
                        i, m, p)
        return
    c = 0
    while c < m:
        c1 = c + GHOST_CHUNK if c + GHOST_CHUNK < m else m
        gather_run(f0, jm, s, fs, c, c1, p, buf)
        gather_run(f0, i, s, fs, c, c1, p, buf + GHOST_CHUNK)
        gather_run(f0, jp, s, fs, c, c1, p, buf + 2 * GHOST_CHUNK)
        neighbour_lines(buf + GHOST_CHUNK, -GHOST_CHUNK * size, GHOST_CHUNK * size, size,
                        orow + c * os, os, i, c1 - c, p)
        c = c1


cdef void neighbour_lines(const src_t* fr, Py_ssize_t sm, Py_ssize_t sp, Py_ssize_t fs,
                          char* orow, Py_ssize_t os, Py_ssize_t i, Py_ssize_t m,
                          const AxisPlan* p) noexcept nogil:
    """m outputs at position i of an accuracy-2 axis, its neighbours at byte offsets
    sm, sp (the interior formula, whatever lines they are)."""
    cdef double abc[3]
    if p.x == NULL:
        # streamed like the interior it ends (one movnti): a plain store into a
        # cache line the interior streamed would flush it and read it back
        op_diff(<const src_t*>at(fr, sp), <const src_t*>at(fr, sm), fs, orow, os, m,
                p.h2, p.wide, p.stream)
    else:
        line_coefficients(p, i, abc)     # p.x[-1] and p.x[n] are the ghosts' coordinates
        op_comb(<const src_t*>at(fr, sm), fr, <const src_t*>at(fr, sp), fs, orow, os, m,
                abc, p.wide)


cdef void combined_run(const src_t* fl, Py_ssize_t fs, char* o, Py_ssize_t os, bint along,
                       Py_ssize_t s, Py_ssize_t n, Py_ssize_t i, Py_ssize_t k0, Py_ssize_t k1,
                       const AxisPlan* p) noexcept nogil:
    """A term added to (combine +1) or subtracted from (-1) outputs already stored:
    its values into a buffer, TAP_CHUNK outputs at a time, then o[k] = o[k] +-
    buffer[k] in the output's dtype, as numpy adds the two arrays.  `along`: the
    axis runs along the line (fl its first point, outputs k0..k1-1), else across
    lines (fl the current line, position i of n, stride s; outputs 0..k1-1).
    The buffer stays small (4 KiB): a large one would be probed page by page on
    every call, small calls included."""
    cdef double buf[2 * TAP_CHUNK]             # complex128: two doubles an output
    cdef AxisPlan q = p[0]
    cdef Py_ssize_t c, c1
    cdef Py_ssize_t parts = 2 if (src_t is cfloat_t or src_t is cdouble_t) else 1
    cdef Py_ssize_t size = parts * (sizeof(float) if (src_t is float or src_t is cfloat_t)
                                    else sizeof(double))
    q.stream = False
    q.accumulate = False
    c = k0
    while c < k1:
        c1 = c + TAP_CHUNK if c + TAP_CHUNK < k1 else k1
        if along:
            line_stencil(fl, fs, <char*>buf - c * size, size, n, c, c1, &q)
        else:
            across_lines(<const src_t*>at(fl, c * fs), s, fs, <char*>buf, size, i, n, c1 - c, &q)
        if src_t is float or src_t is cfloat_t:
            add_run(<float*>(o + (c - k0) * os), os, <const float*>buf, c1 - c, parts,
                    p.combine > 0)
        else:
            add_run(<double*>(o + (c - k0) * os), os, <const double*>buf, c1 - c, parts,
                    p.combine > 0)
        c = c1


cdef inline void add_run(part_t* o, Py_ssize_t os, const part_t* b, Py_ssize_t m,
                         Py_ssize_t parts, bint plus) noexcept nogil:
    """o[k] +-= b[k] for m outputs of `parts` components, o every os bytes."""
    cdef Py_ssize_t k, c
    cdef part_t* ok
    if os == parts * <Py_ssize_t>sizeof(part_t):     # contiguous: one vector loop
        if plus:
            for k in range(m * parts):
                o[k] = o[k] + b[k]
        else:
            for k in range(m * parts):
                o[k] = o[k] - b[k]
        return
    for k in range(m):
        ok = <part_t*>(<char*>o + k * os)
        for c in range(parts):
            ok[c] = ok[c] + b[k * parts + c] if plus else ok[c] - b[k * parts + c]


cdef inline void first_index(const Tiling* t, Py_ssize_t line, Py_ssize_t* idx) noexcept nogil:
    """The multi-index of a line's first point."""
    cdef int d
    idx[t.nd - 1] = 0
    for d in range(t.nd - 2, -1, -1):
        idx[d] = line % t.shape[d]
        line = line // t.shape[d]


cdef inline void next_line(const Tiling* t, Py_ssize_t* idx) noexcept nogil:
    cdef int d = t.nd - 2
    idx[t.nd - 1] = 0
    while d >= 0:
        idx[d] += 1
        if idx[d] < t.shape[d]:
            break
        idx[d] = 0
        d -= 1


cdef void run_unit(const src_t* f, const Tiling* t, const AxisPlan* plans, int nplans,
                   Py_ssize_t unit) noexcept nogil:
    """All requested axes for the lines and segment of one unit of work: line by
    line, or two neighbouring lines at a time (`Tiling.pairs`)."""
    cdef int last = t.nd - 1, d, q
    cdef Py_ssize_t seg = unit // t.line_blocks
    cdef Py_ssize_t block = unit - seg * t.line_blocks
    cdef Py_ssize_t k0 = seg * t.seg_len
    cdef Py_ssize_t k1 = min(k0 + t.seg_len, t.shape[last])
    cdef Py_ssize_t l0 = block * t.lines_per_unit
    cdef Py_ssize_t l1 = min(l0 + t.lines_per_unit, t.nlines)
    cdef Py_ssize_t idx[MAX_DIMS]
    cdef Py_ssize_t line = l0, foff
    first_index(t, l0, idx)             # later lines step the odometer: next_line
    while line < l1:
        foff = k0 * t.fstride[last]
        for d in range(last):
            foff += idx[d] * t.fstride[d]
        if t.pairs and line + 1 < l1 and idx[last - 1] + 1 < t.shape[last - 1]:
            run_pair(f, t, plans, nplans, idx, foff, k0, k1)
            next_line(t, idx)
            line += 1
        else:
            for q in range(nplans):
                run_line(f, t, &plans[q], idx, foff, k0, k1)
        next_line(t, idx)
        line += 1
    if src_t is float or src_t is double or src_t is cfloat_t or src_t is cdouble_t:
        if plans[0].split:
            # while the unit's lines are in cache (_nan_runs.pxi); integers hold
            # no non-finite value
            split_unit(f, t, plans, nplans, l0, l1, k0, k1)
    if plans[0].stream:
        gx_stream_fence()           # this unit's streamed lines visible before it counts as done


cdef void run_pair(const src_t* f, const Tiling* t, const AxisPlan* plans, int nplans,
                   const Py_ssize_t* idx, Py_ssize_t foff, Py_ssize_t k0,
                   Py_ssize_t k1) noexcept nogil:
    """The line at idx and the next one along the tiling's second-last dimension,
    plan by plan (each output element still gets its terms in order): a k-tap
    axis along that dimension computes both lines in one pass (`position_pair`),
    sharing the lines they both read while those are in L1; an axis along the
    lines with a weight per point reads each weight once for both (`line_pair`).
    Any other plan, or one these decline, runs line by line."""
    cdef int last = t.nd - 1, q
    cdef Py_ssize_t nidx[MAX_DIMS]
    cdef const AxisPlan* p
    cdef const src_t* src
    memcpy(nidx, idx, t.nd * sizeof(Py_ssize_t))
    nidx[last - 1] += 1
    cdef Py_ssize_t fs = t.fstride[last], os, a0 = k0 + t.origin[last]
    for q in range(nplans):
        p = &plans[q]
        src = f if p.src == NULL else <const src_t*>p.src
        os = p.ostride[last]
        if p.half and not p.combine and p.dim == last - 1:
            if position_pair(<const src_t*>at(src, foff - (idx[p.dim] + t.origin[p.dim])
                                              * t.fstride[p.dim]),
                             t.fstride[p.dim], fs, p.out + out_offset(t, p, idx, k0),
                             p.out + out_offset(t, p, nidx, k0), os,
                             idx[p.dim] + t.origin[p.dim], t.full[p.dim], k1 - k0, p):
                continue
        elif p.half and not p.combine and p.dim == last:
            # the lines from their first points, in the whole axis's indices
            if line_pair(<const src_t*>at(src, foff - a0 * fs), t.fstride[last - 1], fs,
                         p.out + out_offset(t, p, idx, k0) - a0 * os,
                         p.out + out_offset(t, p, nidx, k0) - a0 * os, os,
                         t.full[last], a0, k1 + t.origin[last], p):
                continue
        run_line(f, t, p, idx, foff, k0, k1)
        run_line(f, t, p, nidx, foff + t.fstride[last - 1], k0, k1)


cdef inline Py_ssize_t out_offset(const Tiling* t, const AxisPlan* p, const Py_ssize_t* idx,
                                  Py_ssize_t k0) noexcept nogil:
    """The byte offset of output element k0 of the line at idx."""
    cdef int last = t.nd - 1, d
    cdef Py_ssize_t ooff = k0 * p.ostride[last]
    for d in range(last):
        ooff += idx[d] * p.ostride[d]
    return ooff


cdef inline void run_line(const src_t* f, const Tiling* t, const AxisPlan* p,
                          const Py_ssize_t* idx, Py_ssize_t foff, Py_ssize_t k0,
                          Py_ssize_t k1) noexcept nogil:
    """One plan on the segment k0..k1-1 of the line at idx (foff: the byte offset
    of its point k0 in the call's f)."""
    cdef int last = t.nd - 1
    cdef Py_ssize_t fs = t.fstride[last], os = p.ostride[last]
    cdef char* o = p.out + out_offset(t, p, idx, k0)
    cdef const src_t* src = f if p.src == NULL else <const src_t*>p.src
    if p.combine:
        if p.dim == last:
            combined_run(<const src_t*>at(src, foff - (k0 + t.origin[last]) * fs), fs,
                         o, os, True, 0, t.full[last], 0,
                         k0 + t.origin[last], k1 + t.origin[last], p)
        else:
            combined_run(<const src_t*>at(src, foff), fs, o, os, False, t.fstride[p.dim],
                         t.full[p.dim], idx[p.dim] + t.origin[p.dim], 0, k1 - k0, p)
    elif p.dim == last:
        # the line from its first point, in the whole axis's indices
        line_stencil(<const src_t*>at(src, foff - (k0 + t.origin[last]) * fs), fs,
                     o - (k0 + t.origin[last]) * os, os, t.full[last],
                     k0 + t.origin[last], k1 + t.origin[last], p)
    else:
        across_lines(<const src_t*>at(src, foff), t.fstride[p.dim], fs, o, os,
                     idx[p.dim] + t.origin[p.dim], t.full[p.dim], k1 - k0, p)


cdef void run_all(const src_t* f, const Tiling* t, const AxisPlan* plans, int nplans,
                  int nthreads) noexcept nogil:
    cdef Py_ssize_t unit, nunits = t.nsegs * t.line_blocks
    nthreads = team_size(nthreads, nunits)
    if nthreads > 1:
        # Dynamic chunks: a thread that the OS delays (another process on its
        # core) leaves its share to the others instead of stalling the team.
        for unit in prange(nunits, nogil=True, schedule="dynamic", chunksize=4,
                           num_threads=nthreads):
            run_unit(f, t, plans, nplans, unit)
    else:
        # Not even an inactive OpenMP region: entering one costs about a microsecond.
        for unit in range(nunits):
            run_unit(f, t, plans, nplans, unit)


cdef int tile(cnp.ndarray f, list outs, AxisPlan* plans, int nplans, Tiling* t,
              const Rows* rows) except -1:
    """Order, drop and merge the dimensions shared by f and the outputs.

    Dimensions follow the first output's strides, largest first, so its writes
    are sequential; length-1 dimensions are dropped; neighbours that are not
    gradient axes merge when f and every output step over them as one.
    `rows` (NULL: all): only rows [start, stop) of that gradient axis are
    computed, into outputs of that extent (the axis is never merged).
    """
    cdef int ndim = cnp.PyArray_NDIM(f), nd = 0, j, k, q, d
    cdef cnp.npy_intp* shape = cnp.PyArray_DIMS(f)
    cdef cnp.npy_intp* fst = cnp.PyArray_STRIDES(f)
    cdef cnp.npy_intp* ost[MAX_DIMS]
    cdef int order[MAX_DIMS]
    cdef bint is_axis[MAX_DIMS]
    cdef bint tiled_axis[MAX_DIMS]
    cdef bint merge
    cdef Py_ssize_t key
    for q in range(nplans):
        ost[q] = cnp.PyArray_STRIDES(<cnp.ndarray>outs[q])
    for j in range(ndim):
        order[j] = j
        is_axis[j] = False
    for q in range(nplans):
        is_axis[plans[q].axis] = True
    for j in range(1, ndim):            # stable insertion sort by |stride|
        k = order[j]
        key = abs(ost[0][k])
        d = j - 1
        while d >= 0 and abs(ost[0][order[d]]) < key:
            order[d + 1] = order[d]
            d -= 1
        order[d + 1] = k
    for j in range(ndim):
        k = order[j]
        if shape[k] == 1 and not is_axis[k]:
            continue
        t.origin[nd] = 0
        merge = nd > 0 and not is_axis[k] and not tiled_axis[nd - 1] \
            and t.fstride[nd - 1] == fst[k] * shape[k]
        for q in range(nplans):
            merge = merge and plans[q].ostride[nd - 1] == ost[q][k] * shape[k]
        if merge:
            t.shape[nd - 1] *= shape[k]
            t.fstride[nd - 1] = fst[k]
            for q in range(nplans):
                plans[q].ostride[nd - 1] = ost[q][k]
        else:
            t.shape[nd] = shape[k]
            t.fstride[nd] = fst[k]
            tiled_axis[nd] = is_axis[k]
            for q in range(nplans):
                plans[q].ostride[nd] = ost[q][k]
                if plans[q].axis == k:
                    plans[q].dim = nd
            nd += 1
    t.nd = nd
    for d in range(nd):
        t.full[d] = t.shape[d]
    if rows != NULL and rows.axis >= 0:
        for q in range(nplans):
            if plans[q].axis == rows.axis:
                d = plans[q].dim
                t.origin[d] = rows.start
                t.shape[d] = rows.stop - rows.start
    t.nlines = 1
    for d in range(nd - 1):
        t.nlines *= t.shape[d]
    cdef Py_ssize_t length = t.shape[nd - 1]
    t.pairs = False
    for q in range(nplans):
        t.pairs = t.pairs or (nd >= 2 and plans[q].half and (
            plans[q].dim == nd - 2 or (plans[q].dim == nd - 1 and plans[q].uneven_taps)))
    if length >= UNIT_ELEMENTS:
        t.seg_len = UNIT_ELEMENTS
        t.nsegs = (length + UNIT_ELEMENTS - 1) // UNIT_ELEMENTS
        t.lines_per_unit = 1
    else:
        t.seg_len = length
        t.nsegs = 1
        t.lines_per_unit = UNIT_ELEMENTS // length
        if plans[0].split and t.lines_per_unit < SPLIT_LINES:
            # nan="split" reads each line's neighbours: a unit walks more of them
            t.lines_per_unit = SPLIT_LINES
    if t.pairs:
        t.lines_per_unit += t.lines_per_unit % 2
    t.line_blocks = (t.nlines + t.lines_per_unit - 1) // t.lines_per_unit
    return 0


cdef struct Rows:
    int axis                # -1: every row
    Py_ssize_t start, stop
    Py_ssize_t whole_bytes  # the bytes of the whole output these rows are part of (the
                            # operators' slabs): the streaming decision's size; 0: theirs


cdef int execute(cnp.ndarray f, Kind kind, list outs, AxisPlan* plans, int nplans,
                 int nthreads, const Rows* rows=NULL) except -1:
    cdef Tiling t
    cdef const char* data = <const char*>cnp.PyArray_DATA(f)
    cdef Py_ssize_t size = cnp.PyArray_SIZE(<cnp.ndarray>outs[0]) if nplans else 0
    cdef int q, d
    if size == 0 or nplans == 0:
        return 0
    for q in range(nplans):
        plans[q].out = <char*>cnp.PyArray_DATA(<cnp.ndarray>outs[q])
    tile(f, outs, plans, nplans, &t, rows)
    for d in range(t.nd):
        data += t.origin[d] * t.fstride[d]       # the first row computed
    cdef Py_ssize_t itemsize = cnp.PyArray_ITEMSIZE(<cnp.ndarray>outs[0])
    cdef Py_ssize_t out_bytes = size * itemsize * nplans
    if rows != NULL and rows.whole_bytes > out_bytes:
        out_bytes = rows.whole_bytes            # a slab of an output far larger than it
    cdef bint stream = use_streaming(out_bytes, t.shape[t.nd - 1] * itemsize)
    for q in range(nplans):
        # terms and the Laplacian's later axes read back what they add to
        stream = stream and not plans[q].combine and not plans[q].accumulate
    for q in range(nplans):
        plans[q].stream = stream
    if work_of(kind, &t, plans, nplans, size) < PARALLEL_MIN_WORK:
        nthreads = 1
    cdef Py_ssize_t n = t.full[t.nd - 1]
    for q in range(nplans):
        plans[q].coef = NULL
        # An uneven axis along lines that many lines share: its coefficients
        # once (3 vectors of the axis length), instead of 3 divisions per element.
        if plans[q].x != NULL and plans[q].dim == t.nd - 1 and t.nlines > 1:
            plans[q].coef = PyMem_RawMalloc(3 * n * sizeof(double))
            if plans[q].coef == NULL:
                free_coefficients(plans, q)
                raise MemoryError()
            fill_coefficients(&plans[q], n, plans[q].coef)
    run_kernel(data, kind, &t, plans, nplans, nthreads)
    free_coefficients(plans, nplans)
    return 0


cdef Py_ssize_t work_of(Kind kind, const Tiling* t, const AxisPlan* plans, int nplans,
                        Py_ssize_t size) noexcept:
    """The call's work in units of one float64 central difference (memory-bound).

    Rough per-element weights, measured on x86-64: compute-bound calls (three
    divisions per element for uneven coordinates along a single line, complex
    division, integer conversion) pay for a thread team at much smaller sizes
    than a plain difference, which is limited by memory bandwidth anyway.
    """
    cdef Py_ssize_t weight, work = 0
    cdef int q
    for q in range(nplans):
        if plans[q].half:
            # 2*half + 1 taps: more than a difference (1e6 float64 points, one
            # thread: a difference 0.24 ms, 3 taps 0.31 ms, 4 taps (accuracy 4)
            # 0.33 ms, 8 taps 0.62 ms), twice that with a weight per point (uneven)
            weight = (plans[q].half + 1) * (2 if plans[q].uneven_taps else 1)
        elif plans[q].x == NULL:
            weight = 1
        elif plans[q].dim == t.nd - 1 and t.nlines == 1:
            weight = 8                  # coefficients computed per element
        else:
            weight = 2                  # coefficients per line, or precomputed
        work += weight
    if kind == K_C64 or kind == K_C128:
        work *= 3
    elif kind != K_F64 and kind != K_F32:
        work *= 2                       # integers: a conversion per element read
    if size > PARALLEL_MIN_WORK:
        return PARALLEL_MIN_WORK       # saturate: no overflow for huge broadcast views
    return size * work


cdef void free_coefficients(AxisPlan* plans, int nplans) noexcept:
    cdef int q
    for q in range(nplans):
        PyMem_RawFree(plans[q].coef)
        plans[q].coef = NULL


cdef void run_kernel(const void* data, Kind kind, const Tiling* t, const AxisPlan* plans,
                     int nplans, int nthreads) noexcept:
    with nogil:
        if kind == K_F64: run_all(<const double*>data, t, plans, nplans, nthreads)
        elif kind == K_F32: run_all(<const float*>data, t, plans, nplans, nthreads)
        elif kind == K_C128: run_all(<const cdouble_t*>data, t, plans, nplans, nthreads)
        elif kind == K_C64: run_all(<const cfloat_t*>data, t, plans, nplans, nthreads)
        elif kind == K_I8: run_all(<const int8_t*>data, t, plans, nplans, nthreads)
        elif kind == K_I16: run_all(<const int16_t*>data, t, plans, nplans, nthreads)
        elif kind == K_I32: run_all(<const int32_t*>data, t, plans, nplans, nthreads)
        elif kind == K_I64: run_all(<const int64_t*>data, t, plans, nplans, nthreads)
        elif kind == K_U8: run_all(<const uint8_t*>data, t, plans, nplans, nthreads)
        elif kind == K_U16: run_all(<const uint16_t*>data, t, plans, nplans, nthreads)
        elif kind == K_U32: run_all(<const uint32_t*>data, t, plans, nplans, nthreads)
        elif kind == K_U64: run_all(<const uint64_t*>data, t, plans, nplans, nthreads)

