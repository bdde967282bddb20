# nan="split": each run of finite values along an axis is differentiated as if it
# were its own array, with one-sided ends (`split_plan`, _schemes.pxi, gives each
# axis its reach, its shortest run, and what the runs' ends need).
#
# The sweep has computed every output by numpy's rule (a non-finite value spreads
# over every stencil that reads it).  `split_runs` then reads each source once.
# Where it finds a non-finite value (NaN, +-inf; never in integer data):
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
# Single-threaded after the (threaded) sweep; the recomputed points are the few
# near non-finite values.

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


cdef void split_runs(const void* data, Kind kind, const Tiling* t, const AxisPlan* plans,
                     int nplans) noexcept nogil:
    if kind == K_F64: split_all(<const double*>data, t, plans, nplans)
    elif kind == K_F32: split_all(<const float*>data, t, plans, nplans)
    elif kind == K_C128: split_all(<const cdouble_t*>data, t, plans, nplans)
    elif kind == K_C64: split_all(<const cfloat_t*>data, t, plans, nplans)
    # integer data holds no non-finite value: nothing to split


cdef void split_all(const src_t* f, const Tiling* t, const AxisPlan* plans,
                    int nplans) noexcept nogil:
    """Every source the plans read, once."""
    cdef int q, r
    cdef bint seen
    for q in range(nplans):
        seen = False
        for r in range(q):
            seen = seen or plans[r].src == plans[q].src
        if not seen:
            split_source(f, t, plans, nplans, plans[q].src)


cdef void split_source(const src_t* f, const Tiling* t, const AxisPlan* plans, int nplans,
                       const char* which) noexcept nogil:
    """The non-finite values of one source: NaN where they sit, their runs' ends
    recomputed (see the top of this file)."""
    cdef const src_t* src = f if which == NULL else <const src_t*>which
    cdef int nd = t.nd, last = nd - 1, d, d2, q, side, k
    cdef Py_ssize_t idx[MAX_DIMS]
    cdef Py_ssize_t qidx[MAX_DIMS]
    cdef Py_ssize_t line, nlines = t.nlines, j, foff, n, jj
    cdef bint periodic
    cdef const AxisPlan* p
    for d in range(nd):
        idx[d] = 0
    for line in range(nlines):
        foff = 0
        for d in range(last):
            foff += idx[d] * t.fstride[d]
        for j in range(t.shape[last]):
            idx[last] = j
            if not bad_at(src, foff + j * t.fstride[last]):
                continue
            for q in range(nplans):
                if plans[q].src == which:
                    nan_in_group(t, plans, nplans, q, idx, f)
            for q in range(nplans):
                p = &plans[q]
                if p.src != which or not p.split:
                    continue
                d = p.dim
                n = t.full[d]
                periodic = p.ghosts
                for side in range(-1, 2, 2):
                    for d2 in range(nd):
                        qidx[d2] = idx[d2]
                    for k in range(1, p.reach + 1):
                        jj = idx[d] + side * k
                        if jj < 0 or jj >= n:
                            if not periodic or k >= n:
                                break
                            jj = (jj + n) % n
                        qidx[d] = jj
                        if bad_at(src, point_offset(t, qidx)):
                            break
                        recompute_group(f, t, plans, nplans, q, qidx)
        idx[last] = 0
        d = last - 1
        while d >= 0:
            idx[d] += 1
            if idx[d] < t.shape[d]:
                break
            idx[d] = 0
            d -= 1


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


cdef void nan_in_group(const Tiling* t, const AxisPlan* plans, int nplans, int q,
                       const Py_ssize_t* idx, const src_t* like) noexcept nogil:
    """The output plans[q] contributes to is NaN at idx."""
    cdef const AxisPlan* p = &plans[group_first(plans, q)]
    put_nan(p.out + output_offset(t, p, idx), like)


cdef void recompute_group(const src_t* f, const Tiling* t, const AxisPlan* plans, int nplans,
                          int q, const Py_ssize_t* idx) noexcept nogil:
    """The output plans[q] contributes to, at idx: each term on its own run,
    combined as the sweep combines them (the first stored, the others added or
    subtracted in the output's type)."""
    cdef double tmp[2]
    cdef int g = group_first(plans, q), r = g
    cdef char* o = plans[g].out + output_offset(t, &plans[g], idx)
    split_term(f, t, &plans[g], idx, o)
    r = g + 1
    while r < nplans and plans[r].out == plans[g].out and (plans[r].combine
                                                           or plans[r].accumulate):
        split_term(f, t, &plans[r], idx, <char*>tmp)
        add_into(o, <const char*>tmp, -1 if plans[r].combine < 0 else 1, f)
        r += 1


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
