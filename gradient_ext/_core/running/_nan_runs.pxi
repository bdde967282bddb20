# nan="split": each run of finite values along an axis is differentiated as if it
# were its own array, with one-sided ends (`split_plan`, _schemes.pxi, gives each
# axis its reach, its shortest run, and what the runs' ends need).
#
# The sweep has computed every output by numpy's rule (a non-finite value spreads
# over every stencil that reads it).  `split_runs` then reads each source once
# (`mark_block`), and where it finds a non-finite value (NaN, +-inf; never in
# integer data):
#
# * every output of a term that reads that source is NaN there;
# * along each split axis, the finite points within `reach` of it on each side
#   (a run's end, or its whole length if the run is short) are recomputed: every
#   output group they belong to (the Laplacian's axes, an operator's terms), each
#   term on its own run, combined in the sweep's order and dtype.
#
# A term's value at a point (`split_term`): the run holding the point is found by
# looking `reach` points each way (a periodic axis wraps: a run that touches both
# ends continues across).  Within `half` of one of the run's own ends, the run's
# end stencil, on the run's end points gathered into a small buffer (values and
# coordinates, wrapped ones shifted by the period) and the same primitives as a
# standalone call (uniform rows of the run's length, uneven end weights from the
# run's coordinates, numpy's edge formulas); elsewhere the axis's own stencil at
# that point, which the run shares.  Runs shorter than `min_len` give NaN.
#
# Both passes (marking, then recomputing the marked points: `fix_block`) run on
# the call's threads, each thread on its own block of lines; only the marks (a
# bitmap, set atomically) are shared.  The recomputed points are the few near
# non-finite values.

cdef enum:
    # points of a run's end gathered: a one-sided stencil's taps from a point
    # within `half` of the end (edge_taps + half <= MAX_ORDER + MAX_ACCURACY + MAX_TAPS)
    GATHER_MAX = 2 * MAX_TAPS + MAX_ORDER + MAX_ACCURACY


cdef inline bint bad_at(const src_t* f, Py_ssize_t off) noexcept nogil:
    """Whether the element `off` bytes from f is NaN or +-inf (integers: never)."""
    cdef const char* v = at(f, off)
    if src_t is float or src_t is cfloat_t:
        if (<const float*>v)[0] - (<const float*>v)[0] != 0:
            return True
        if src_t is cfloat_t:
            return (<const float*>v)[1] - (<const float*>v)[1] != 0
        return False
    elif src_t is double or src_t is cdouble_t:
        if (<const double*>v)[0] - (<const double*>v)[0] != 0:
            return True
        if src_t is cdouble_t:
            return (<const double*>v)[1] - (<const double*>v)[1] != 0
        return False
    else:
        return False


cdef inline Py_ssize_t out_elem(const src_t* like) noexcept nogil:
    """Bytes of one output element for data of this type (numpy.gradient keeps the
    data's float type; integers give float64)."""
    if src_t is float:
        return sizeof(float)
    elif src_t is cfloat_t:
        return 2 * sizeof(float)
    elif src_t is cdouble_t:
        return 2 * sizeof(double)
    else:
        return sizeof(double)


cdef inline bint is_nan(const char* o, const src_t* like) noexcept nogil:
    """Whether the output element at o is NaN (both parts, complex: put_nan's)."""
    if src_t is float or src_t is cfloat_t:
        if (<const float*>o)[0] == (<const float*>o)[0]:
            return False
        return src_t is float or (<const float*>o)[1] != (<const float*>o)[1]
    else:
        if (<const double*>o)[0] == (<const double*>o)[0]:
            return False
        return not (src_t is cdouble_t) or (<const double*>o)[1] != (<const double*>o)[1]


cdef inline void put_nan(char* o, const src_t* like) noexcept nogil:
    cdef double nd = NAN
    cdef float nf = <float>nd
    if src_t is float or src_t is cfloat_t:
        (<float*>o)[0] = nf
        if src_t is cfloat_t:
            (<float*>o)[1] = nf
    else:
        (<double*>o)[0] = nd
        if src_t is cdouble_t:
            (<double*>o)[1] = nd


cdef inline void add_into(char* o, const char* v, int sign, const src_t* like) noexcept nogil:
    """o = o + v (sign > 0) or o - v, in the output's type, part by part (numpy's a + b)."""
    cdef int parts = 2 if (src_t is cfloat_t or src_t is cdouble_t) else 1, c
    for c in range(parts):
        if src_t is float or src_t is cfloat_t:
            if sign > 0:
                (<float*>o)[c] = (<float*>o)[c] + (<const float*>v)[c]
            else:
                (<float*>o)[c] = (<float*>o)[c] - (<const float*>v)[c]
        else:
            if sign > 0:
                (<double*>o)[c] = (<double*>o)[c] + (<const double*>v)[c]
            else:
                (<double*>o)[c] = (<double*>o)[c] - (<const double*>v)[c]


cdef extern from *:
    """
    /* Point i of the marks, set by several threads at once: an atomic or. */
    static inline void gx_mark(unsigned char* m, ptrdiff_t i) {
        __atomic_fetch_or(m + (i >> 3), (unsigned char)(1u << (i & 7)), __ATOMIC_RELAXED);
    }
    """
    void gx_mark(unsigned char* m, Py_ssize_t i) noexcept nogil


cdef int split_runs(const void* data, Kind kind, const Tiling* t, const AxisPlan* plans,
                    int nplans, int nthreads) except -1:
    """After the sweep: NaN at the non-finite points, then the outputs they change
    recomputed (see the top of this file).  Two passes over blocks of lines on
    nthreads: the first marks the changed points (a bit each: 1/64 of a float64
    array, few pages to fault in), the second recomputes, at the marked points of
    its own lines, every output group of a split plan."""
    if kind != K_F64 and kind != K_F32 and kind != K_C128 and kind != K_C64:
        return 0                        # integer data holds no non-finite value
    cdef Py_ssize_t row = t.shape[t.nd - 1]
    cdef Py_ssize_t nblocks = min(t.nlines, 64 * MAX_WORKERS)
    cdef unsigned char* mark = <unsigned char*>calloc((t.nlines * row + 7) // 8, 1)
    if mark == NULL:
        raise MemoryError()
    with nogil:
        if kind == K_F64: split_all(<const double*>data, t, plans, nplans, mark, nblocks, nthreads)
        elif kind == K_F32: split_all(<const float*>data, t, plans, nplans, mark, nblocks, nthreads)
        elif kind == K_C128: split_all(<const cdouble_t*>data, t, plans, nplans, mark, nblocks,
                                       nthreads)
        else: split_all(<const cfloat_t*>data, t, plans, nplans, mark, nblocks, nthreads)
    free(mark)
    return 0


cdef void split_all(const src_t* f, const Tiling* t, const AxisPlan* plans, int nplans,
                    unsigned char* mark, Py_ssize_t nblocks, int nthreads) noexcept nogil:
    cdef Py_ssize_t b
    cdef int team = team_size(nthreads, nblocks)
    if team > 1:
        for b in prange(nblocks, nogil=True, schedule="dynamic", num_threads=team):
            mark_block(f, t, plans, nplans, mark, b * t.nlines // nblocks,
                       (b + 1) * t.nlines // nblocks)
        for b in prange(nblocks, nogil=True, schedule="dynamic", num_threads=team):
            fix_block(f, t, plans, nplans, mark, b * t.nlines // nblocks,
                      (b + 1) * t.nlines // nblocks)
    else:
        mark_block(f, t, plans, nplans, mark, 0, t.nlines)
        fix_block(f, t, plans, nplans, mark, 0, t.nlines)


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


cdef void mark_block(const src_t* f, const Tiling* t, const AxisPlan* plans, int nplans,
                     unsigned char* mark, Py_ssize_t l0, Py_ssize_t l1) noexcept nogil:
    """Lines l0..l1-1 of every source: NaN where a value is non-finite; the points
    within reach of it along each split axis, up to the next non-finite one,
    marked.  A line is read as runs of non-finite values: along it only a run's
    two ends look further."""
    cdef int nd = t.nd, last = nd - 1, q, r, d, side
    cdef Py_ssize_t u2, jj, nb
    cdef Py_ssize_t idx[MAX_DIMS]
    cdef Py_ssize_t pstride[MAX_DIMS]
    cdef Py_ssize_t line, j, u, v, foff, row = t.shape[last], fs = t.fstride[last], at0
    cdef const src_t* src
    cdef const AxisPlan* p
    cdef bint seen
    pstride[last] = 1
    for d in range(last - 1, -1, -1):
        pstride[d] = pstride[d + 1] * t.shape[d + 1]
    for q in range(nplans):
        seen = False
        for r in range(q):
            seen = seen or plans[r].src == plans[q].src
        if seen:
            continue                    # each source once
        src = f if plans[q].src == NULL else <const src_t*>plans[q].src
        first_index(t, l0, idx)
        for line in range(l0, l1):
            foff = point_offset(t, idx)
            at0 = line * row            # the line's first point in the marks
            j = 0
            while j < row:
                if not bad_at(src, foff + j * fs):
                    j += 1
                    continue
                u = j
                while j < row and bad_at(src, foff + j * fs):
                    j += 1
                v = j                   # [u, v): non-finite
                for r in range(nplans):
                    if plans[r].src != plans[q].src:
                        continue
                    nan_run(t, &plans[group_first(plans, r)], idx, u, v, f)
                    p = &plans[r]
                    if not p.split:
                        continue
                    if p.dim == last:
                        mark_walk(src, foff, fs, row, u, -1, p, mark, at0, 1)
                        mark_walk(src, foff, fs, row, v - 1, 1, p, mark, at0, 1)
                    else:
                        d = p.dim
                        for side in range(-1, 2, 2):
                            # the neighbouring line on `side`: where it is non-finite
                            # too (inside a patch of them), nothing to mark
                            jj = idx[d] + side
                            if jj < 0 or jj >= t.full[d]:
                                if not p.ghosts or t.full[d] < 2:
                                    continue
                                jj = (jj + t.full[d]) % t.full[d]
                            nb = foff + (jj - idx[d]) * t.fstride[d]
                            for u2 in range(u, v):
                                if bad_at(src, nb + u2 * fs):
                                    continue
                                mark_walk(src, foff + u2 * fs - idx[d] * t.fstride[d],
                                          t.fstride[d], t.full[d], idx[d], side, p, mark,
                                          at0 + u2 - idx[d] * pstride[d], pstride[d])
            next_line(t, idx)


cdef inline void nan_run(const Tiling* t, const AxisPlan* g, Py_ssize_t* idx, Py_ssize_t u,
                         Py_ssize_t v, const src_t* like) noexcept nogil:
    """The output of group g is NaN at points u..v-1 of the line idx (idx[last] 0).
    Most already are (the sweep's stencils read NaN there): only the others are
    written, so that the output's lines are read, not read and written back."""
    cdef int last = t.nd - 1
    cdef Py_ssize_t k, os = g.ostride[last]
    cdef char* o = g.out + output_offset(t, g, idx)
    for k in range(u, v):
        if not is_nan(o + k * os, like):
            put_nan(o + k * os, like)


cdef inline void mark_walk(const src_t* src, Py_ssize_t base, Py_ssize_t s, Py_ssize_t n,
                           Py_ssize_t j, int side, const AxisPlan* p, unsigned char* m,
                           Py_ssize_t m0, Py_ssize_t ms) noexcept nogil:
    """From the non-finite point j of a line (base: its first point, stride s; its
    marks from point m0, ms apart), the finite points beyond it on `side`, up to
    reach, marked."""
    cdef Py_ssize_t k, jj
    for k in range(1, p.reach + 1):
        jj = j + side * k
        if jj < 0 or jj >= n:
            if not p.ghosts or k >= n:
                return
            jj = (jj + n) % n
        if bad_at(src, base + jj * s):
            return
        gx_mark(m, m0 + jj * ms)


cdef void fix_block(const src_t* f, const Tiling* t, const AxisPlan* plans, int nplans,
                    const unsigned char* mark, Py_ssize_t l0, Py_ssize_t l1) noexcept nogil:
    """The marked points of lines l0..l1-1: every output group with a split plan,
    recomputed there (its lines are this block's: no other thread writes them)."""
    cdef int last = t.nd - 1, q
    cdef Py_ssize_t idx[MAX_DIMS]
    cdef Py_ssize_t line, j, i, row = t.shape[last]
    first_index(t, l0, idx)
    for line in range(l0, l1):
        j = 0
        while j < row:
            i = line * row + j
            if mark[i >> 3] == 0 and (i & 7) == 0 and j + 8 <= row:
                j += 8                  # eight unmarked points at once
                continue
            if (mark[i >> 3] >> (i & 7)) & 1:
                idx[last] = j
                q = 0
                while q < nplans:
                    if group_has_split(plans, nplans, q):
                        recompute_group(f, t, plans, nplans, q, idx)
                    q = group_after(plans, nplans, q)
            j += 1
        idx[last] = 0
        next_line(t, idx)


cdef inline int group_after(const AxisPlan* plans, int nplans, int g) noexcept nogil:
    """The first plan after the output group that plan g stores."""
    cdef int r = g + 1
    while r < nplans and plans[r].out == plans[g].out and (plans[r].combine
                                                           or plans[r].accumulate):
        r += 1
    return r


cdef inline bint group_has_split(const AxisPlan* plans, int nplans, int g) noexcept nogil:
    cdef int r
    for r in range(g, group_after(plans, nplans, g)):
        if plans[r].split:
            return True
    return False


cdef inline Py_ssize_t point_offset(const Tiling* t, const Py_ssize_t* idx) noexcept nogil:
    cdef Py_ssize_t off = 0
    cdef int d
    for d in range(t.nd):
        off += idx[d] * t.fstride[d]
    return off


cdef inline Py_ssize_t output_offset(const Tiling* t, const AxisPlan* p,
                                     const Py_ssize_t* idx) noexcept nogil:
    cdef Py_ssize_t off = 0
    cdef int d
    for d in range(t.nd):
        off += idx[d] * p.ostride[d]
    return off


cdef inline int group_first(const AxisPlan* plans, int q) noexcept nogil:
    """The plan that stores the output plans[q] adds to (itself if it stores)."""
    while q > 0 and (plans[q].combine or plans[q].accumulate) and plans[q - 1].out == plans[q].out:
        q -= 1
    return q


cdef void recompute_group(const src_t* f, const Tiling* t, const AxisPlan* plans, int nplans,
                          int q, const Py_ssize_t* idx) noexcept nogil:
    """The output plans[q] contributes to, at idx: each term on its own run,
    combined as the sweep combines them (the first stored, the others added or
    subtracted in the output's type)."""
    cdef double tmp[2]
    cdef int g = group_first(plans, q), r
    cdef char* o = plans[g].out + output_offset(t, &plans[g], idx)
    split_term(f, t, &plans[g], idx, o)
    for r in range(g + 1, group_after(plans, nplans, g)):
        split_term(f, t, &plans[r], idx, <char*>tmp)
        add_into(o, <const char*>tmp, -1 if plans[r].combine < 0 else 1, f)


cdef void split_term(const src_t* f, const Tiling* t, const AxisPlan* p, const Py_ssize_t* idx,
                     char* o) noexcept nogil:
    """One term's value at idx, each run of its source its own array, into o (one
    output element)."""
    cdef const src_t* src = f if p.src == NULL else <const src_t*>p.src
    cdef int d = p.dim, k
    cdef Py_ssize_t n = t.full[d], s = t.fstride[d], j = idx[d], base, jj
    cdef Py_ssize_t a = 0, b = n, size = out_elem(f)
    cdef bint near_a = False, near_b = False, periodic = p.ghosts, at_end
    cdef int h = p.half if p.half else 1
    cdef AxisPlan pe = p[0]
    pe.accumulate = False
    pe.combine = 0
    pe.stream = False
    pe.coef = NULL
    base = point_offset(t, idx) - j * s          # the line's first point
    if bad_at(src, base + j * s):
        put_nan(o, f)
        return
    if p.split:
        # the run around j, in unwrapped positions a .. b-1, where within reach
        for k in range(1, p.reach + 1):
            jj = j - k
            if jj < 0 and not periodic:
                a, near_a = 0, True
                break
            if k < n and bad_at(src, base + ((jj % n + n) % n) * s):
                a, near_a = jj + 1, True
                break
        for k in range(1, p.reach + 1):
            jj = j + k
            if jj >= n and not periodic:
                b, near_b = n, True
                break
            if k < n and bad_at(src, base + (jj % n) * s):
                b, near_b = jj, True
                break
        if near_a and near_b and b - a < p.min_len:
            put_nan(o, f)
            return
        # the run's own end (not the axis's: that one is the swept stencil's), or an
        # end of a uniform run too short for the axis's rows
        at_end = ((near_a and j - a < h and (periodic or a > 0))
                  or (near_b and b - 1 - j < h and (periodic or b < n))
                  or (near_a and near_b and p.half and not p.uneven_taps
                      and b - a < p.edge_taps + p.half - 1
                      and (j - a < h or b - 1 - j < h)))
        if at_end:
            run_end(src, base, s, n, a, b, near_a, near_b, j, &pe, o, f)
            return
    # the axis's own stencil at j reads only j's run: as swept
    line_stencil(<const src_t*>at(src, base), s, o - j * size, size, n, j, j + 1, &pe)


cdef void run_end(const src_t* src, Py_ssize_t base, Py_ssize_t s, Py_ssize_t n,
                  Py_ssize_t a, Py_ssize_t b, bint near_a, bint near_b, Py_ssize_t j,
                  AxisPlan* pe, char* o, const src_t* like) noexcept nogil:
    """j's value near an end of its run [a, b) (unwrapped positions; a far end not
    known): the run, or its known end's edge_taps + half points, gathered with their
    coordinates, then the standalone call's primitives on them."""
    cdef src_t v[GATHER_MAX]
    cdef double xd[GATHER_MAX]
    cdef float xf[GATHER_MAX]
    cdef double row[MAX_TAPS]
    cdef float rowf[MAX_TAPS]
    cdef double c[3]
    c[0] = c[1] = c[2] = 0
    cdef Py_ssize_t g0, m, u, w, i, size = out_elem(like), sz = sizeof(src_t)
    cdef int h = pe.half if pe.half else 1, te = pe.edge_taps if pe.half else pe.edge_order + 1
    cdef int t
    cdef double shift, hh
    if near_a and near_b:
        g0, m = a, b - a                        # the whole run (short: within reach)
    elif near_a and j - a < h:
        g0, m = a, te + h
    else:
        g0, m = b - (te + h), te + h
    for u in range(m):
        w = ((g0 + u) % n + n) % n
        v[u] = (<const src_t*>at(src, base + w * s))[0]
        shift = ((g0 + u) - w) // n * pe.period       # whole periods wrapped (exact: C's //)
        if pe.xw != NULL:
            xd[u] = pe.xw[w] + shift
        elif pe.x != NULL and pe.x_double:
            xd[u] = (<const double*>pe.x)[w] + shift
        elif pe.x != NULL:
            xf[u] = <float>((<const float*>pe.x)[w] + <float>shift)
    i = j - g0
    if not pe.half:                             # numpy's edges, on the run's points
        if i == 0:
            if pe.x == NULL:
                hh = pe.dx_lo
                c[0], c[1], c[2] = pe.lo[0], pe.lo[1], pe.lo[2]
            elif pe.x_double:
                hh = low_edge(<const double*>xd, pe.edge_order, c)
            else:
                hh = low_edge(<const float*>xf, pe.edge_order, c)
            if pe.edge_order == 1:
                op_diff(&v[1], &v[0], sz, o, size, 1, hh, pe.edge_wide)
            else:
                op_comb(&v[0], &v[1], &v[2], sz, o, size, 1, c, pe.edge_wide)
        else:
            if pe.x == NULL:
                hh = pe.dx_hi
                c[0], c[1], c[2] = pe.hi[0], pe.hi[1], pe.hi[2]
            elif pe.x_double:
                hh = high_edge(<const double*>xd + m - 3, pe.edge_order, c)
            else:
                hh = high_edge(<const float*>xf + m - 3, pe.edge_order, c)
            if pe.edge_order == 1:
                op_diff(&v[m - 1], &v[m - 2], sz, o, size, 1, hh, pe.edge_wide)
            else:
                op_comb(&v[m - 3], &v[m - 2], &v[m - 1], sz, o, size, 1, c, pe.edge_wide)
        return
    pe.ghosts = False
    if pe.uneven_taps:                          # the run's end weights, as its own table's
        if i < h:
            end_weights(xd, te, <int>i, pe.order, row)
        else:
            end_weights(xd + m - te, te, <int>(i - (m - te)), pe.order, row)
        if pe.wide:
            pe.wpoint = row
        else:
            for t in range(te):
                rowf[t] = <float>row[t]
            pe.wpoint = rowf
    else:                                       # the rows of a run of this length
        pe.w = <const char*>pe.wruns + (min(m, te + h - 1) - te) * pe.rows_len * (
            sizeof(double) if pe.wide else sizeof(float))
    position_taps(v, sz, sz, o, size, i, m, 1, pe)
