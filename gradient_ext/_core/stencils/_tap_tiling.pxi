# The geometry of the k-tap schemes (accuracy > 2): which taps and weights each output uses.
#
# An axis of n points with half-width h (accuracy 2h) has outputs i in [h, n-h)
# on the central stencil, points i-h .. i+h.  The h points at each end are, with
# boundary="periodic", central stencils too, whose taps wrap around the axis
# (the tiling points at the wrapped element or line; nothing is copied);
# one-sided, they use edge_taps points as findiff does (2h+1 for gradient;
# derivative's n-th derivatives: n + accuracy, `_schemes.pxi`): on a uniform grid the forward
# (backward) stencil from the point itself (moved inwards where the axis is
# shorter than 3h+1 points), on uneven coordinates the 2h+1 points nearest the end.
# The np.pad modes (boundary="symmetric", "reflect", "edge", "constant") are
# central everywhere too, their taps beyond the ends read by `ghost_index`
# (the constant's gathered into a buffer: `constant_taps`).  Weights: `_schemes.pxi`.  A uniform stencil skips its
# taps of weight exactly 0 (the centre of a central stencil), wherever the point
# is computed, so results do not depend on the layout.


cdef inline Py_ssize_t tap_start(const AxisPlan* p, Py_ssize_t i, Py_ssize_t n) noexcept nogil:
    """The position of output i's first tap (before wrapping)."""
    cdef Py_ssize_t h = p.half, te = p.edge_taps
    if p.ghosts or h <= i < n - h:
        return i - h
    if p.uneven_taps:
        return 0 if i < h else n - te
    if i < h:
        return i if i < n - te else n - te
    return i - te + 1 if i - te + 1 > 0 else 0


cdef inline int tap_count(const AxisPlan* p, Py_ssize_t i, Py_ssize_t n) noexcept nogil:
    """Output i's number of taps: 2*half + 1 on a central stencil, edge_taps at an end."""
    if p.ghosts or p.half <= i < n - p.half:
        return 2 * p.half + 1
    return p.edge_taps


cdef inline const char* tap_weights(const AxisPlan* p, Py_ssize_t i, Py_ssize_t n,
                                    Py_ssize_t* wt) noexcept nogil:
    """Output i's weights (bytes), wt[0] elements apart from one tap to the next."""
    cdef Py_ssize_t h = p.half, taps = 2 * p.half + 1, te = p.edge_taps
    cdef Py_ssize_t es = sizeof(double) if p.wide else sizeof(float)
    if p.wpoint != NULL:            # one point's own weights (a NaN run's end)
        wt[0] = 1
        return <const char*>p.wpoint
    if p.uneven_taps:
        wt[0] = p.wn                # tap-major: w[t*wn + i]
        return <const char*>p.w + i * es
    wt[0] = 1                       # rows: central (taps), then h per end (edge_taps each)
    if p.ghosts or h <= i < n - h:
        return <const char*>p.w
    return <const char*>p.w + (taps + (i if i < h else i - (n - 2 * h)) * te) * es


cdef int point_taps(const AxisPlan* p, Py_ssize_t i, Py_ssize_t n, Py_ssize_t* pos,
                    double* wd, float* wf) noexcept nogil:
    """Output i's taps that count: the points they read (the ghost rule applied
    beyond the ends; -1: B_CONSTANT's value) and their weights; returns how many.
    A uniform stencil skips its taps of weight exactly 0, wherever it is computed."""
    cdef Py_ssize_t wt, j, start = tap_start(p, i, n)
    cdef const char* w = tap_weights(p, i, n, &wt)
    cdef int t, nt = 0
    for t in range(tap_count(p, i, n)):
        j = start + t
        if p.ghosts:
            j = ghost_index(j, n, p.ghost)
        if p.wide:
            wd[nt] = (<const double*>w)[t * wt]
            if wd[nt] == 0 and not p.uneven_taps:
                continue
        else:
            wf[nt] = (<const float*>w)[t * wt]
            if wf[nt] == 0 and not p.uneven_taps:
                continue
        pos[nt] = j
        nt += 1
    return nt


cdef void position_taps(const src_t* f0, Py_ssize_t s, Py_ssize_t fs, char* o, Py_ssize_t os,
                        Py_ssize_t i, Py_ssize_t n, Py_ssize_t m,
                        const AxisPlan* p) noexcept nogil:
    """m outputs at position i of the axis; f0 is position 0, s the axis's byte stride."""
    cdef Py_ssize_t off[MAX_TAPS]
    cdef Py_ssize_t pos[MAX_TAPS]
    cdef double wd[MAX_TAPS]
    cdef float wf[MAX_TAPS]
    cdef int t, nt = point_taps(p, i, n, pos, wd, wf)
    for t in range(nt):
        if pos[t] < 0:
            constant_taps(f0, s, fs, o, os, m, p, pos, nt, wd, wf)
            return
        off[t] = pos[t] * s
    if p.wide:
        op_taps(f0, off, nt, fs, o, os, m, wd, 1, 0, True, p.accumulate, p.stream)
    else:
        op_taps(f0, off, nt, fs, o, os, m, wf, 1, 0, False, p.accumulate, p.stream)


cdef void constant_taps(const src_t* f0, Py_ssize_t s, Py_ssize_t fs, char* o, Py_ssize_t os,
                        Py_ssize_t m, const AxisPlan* p, const Py_ssize_t* pos, int nt,
                        const double* wd, const float* wf) noexcept nogil:
    """position_taps where taps read boundary="constant"'s value (pos -1): each
    tap's values gathered, GHOST_CHUNK outputs at a time, into a buffer the same
    primitive then reads, so the sum is the padded array's, in the same order."""
    cdef src_t buf[MAX_TAPS * GHOST_CHUNK]
    cdef Py_ssize_t off[MAX_TAPS]
    cdef Py_ssize_t c, c1
    cdef int t
    for t in range(nt):
        off[t] = t * GHOST_CHUNK * <Py_ssize_t>sizeof(src_t)
    c = 0
    while c < m:
        c1 = c + GHOST_CHUNK if c + GHOST_CHUNK < m else m
        for t in range(nt):
            gather_run(f0, pos[t], s, fs, c, c1, p, buf + t * GHOST_CHUNK)
        if p.wide:
            op_taps(buf, off, nt, sizeof(src_t), o + c * os, os, c1 - c, wd, 1, 0, True,
                    p.accumulate, p.stream)
        else:
            op_taps(buf, off, nt, sizeof(src_t), o + c * os, os, c1 - c, wf, 1, 0, False,
                    p.accumulate, p.stream)
        c = c1


cdef inline void gather_run(const src_t* f0, Py_ssize_t j, Py_ssize_t s, Py_ssize_t fs,
                            Py_ssize_t c, Py_ssize_t c1, const AxisPlan* p,
                            src_t* b) noexcept nogil:
    """b[k - c] = the values of outputs c .. c1-1 at point j of the axis (stride s
    from f0), or boundary="constant"'s value for j = -1."""
    cdef Py_ssize_t k
    if j < 0:
        for k in range(c, c1):
            b[k - c] = (<const src_t*>p.cval)[0]
    else:
        for k in range(c, c1):
            b[k - c] = (<const src_t*>at(f0, j * s + k * fs))[0]


cdef void line_taps(const src_t* fl, Py_ssize_t fs, char* ol, Py_ssize_t os,
                    Py_ssize_t n, Py_ssize_t k0, Py_ssize_t k1,
                    const AxisPlan* p) noexcept nogil:
    """Outputs k0..k1-1 of a k-tap axis along the line (n >= 2*half + 1)."""
    cdef Py_ssize_t h = p.half
    cdef Py_ssize_t j0 = k0 if k0 > h else h
    cdef Py_ssize_t j1 = k1 if k1 < n - h else n - h
    cdef Py_ssize_t es = sizeof(double) if p.wide else sizeof(float)
    cdef Py_ssize_t off[MAX_TAPS]
    cdef int t
    if j1 > j0:
        if p.uneven_taps:
            for t in range(2 * h + 1):
                off[t] = t * fs
            op_taps(<const src_t*>at(fl, (j0 - h) * fs), off, 2 * h + 1, fs, ol + j0 * os, os,
                    j1 - j0, <const char*>p.w + j0 * es, p.wn, 1, p.wide, p.accumulate, p.stream)
        else:
            position_taps(<const src_t*>at(fl, (j0 - h) * fs), fs, fs, ol + j0 * os, os,
                          h, 2 * h + 1, j1 - j0, p)      # one central stencil for the run
    line_ends(fl, fs, ol, os, n, k0, k1, p)


cdef inline void line_ends(const src_t* fl, Py_ssize_t fs, char* ol, Py_ssize_t os,
                           Py_ssize_t n, Py_ssize_t k0, Py_ssize_t k1,
                           const AxisPlan* p) noexcept nogil:
    """line_taps' outputs within half of the line's ends, one at a time."""
    cdef Py_ssize_t h = p.half, i = k0
    while i < k1 and i < h:
        position_taps(fl, fs, fs, ol + i * os, os, i, n, 1, p)
        i += 1
    i = k0 if k0 > n - h else n - h
    while i < k1:
        position_taps(fl, fs, fs, ol + i * os, os, i, n, 1, p)
        i += 1


cdef bint line_pair(const src_t* fl, Py_ssize_t sl, Py_ssize_t fs, char* ol0, char* ol1,
                    Py_ssize_t os, Py_ssize_t n, Py_ssize_t k0, Py_ssize_t k1,
                    const AxisPlan* p) noexcept nogil:
    """line_taps for two lines (the second sl bytes after the first) of an axis with
    a weight per point: both central runs in one pass, each weight read once for
    the two (`contiguous_pair`); the ends line by line.  False where the caller
    runs each line (not contiguous real data, or uniform weights)."""
    cdef Py_ssize_t h = p.half, t
    cdef Py_ssize_t j0 = k0 if k0 > h else h
    cdef Py_ssize_t j1 = k1 if k1 < n - h else n - h
    cdef Py_ssize_t off0[MAX_TAPS]
    cdef Py_ssize_t off1[MAX_TAPS]
    if not (p.uneven_taps and pair_ready(fl, fs, p)):
        return False
    if src_t is double or src_t is float:
        if j1 > j0:
            for t in range(2 * h + 1):
                off0[t] = t * fs
                off1[t] = t * fs + sl
            if src_t is double:
                contiguous_pair(<const src_t*>at(fl, (j0 - h) * fs), off0, off1, 2 * h + 1,
                                ol0 + j0 * os, ol1 + j0 * os, os, j1 - j0,
                                <const double*>p.w + j0, <const double*>p.w + j0, p.wn, True,
                                p.accumulate, p.stream)
            else:
                contiguous_pair(<const src_t*>at(fl, (j0 - h) * fs), off0, off1, 2 * h + 1,
                                ol0 + j0 * os, ol1 + j0 * os, os, j1 - j0,
                                <const float*>p.w + j0, <const float*>p.w + j0, p.wn, True,
                                p.accumulate, p.stream)
        line_ends(fl, fs, ol0, os, n, k0, k1, p)
        line_ends(<const src_t*>at(fl, sl), fs, ol1, os, n, k0, k1, p)
        return True
    return False


cdef inline void across_taps(const src_t* fr, Py_ssize_t s, Py_ssize_t fs, char* orow,
                             Py_ssize_t os, Py_ssize_t i, Py_ssize_t n, Py_ssize_t m,
                             const AxisPlan* p) noexcept nogil:
    """m outputs of a line at position i of a k-tap axis across lines (stride s)."""
    position_taps(<const src_t*>at(fr, -i * s), s, fs, orow, os, i, n, m, p)
