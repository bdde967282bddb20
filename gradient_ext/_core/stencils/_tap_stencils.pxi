# The k-tap stencil primitives (accuracy > 2): one run of m outputs, any element type.
#
# o[k] = (...((w_0*f_0[k] + w_1*f_1[k]) + w_2*f_2[k]) + ...) + w_{nt-1}*f_{nt-1}[k]
#
# Tap t reads f_t = f + off[t] bytes (elements k at k*fs further); its weight at
# output k is w[t*wt + k*wk] (wk == 0: one weight per tap, wk == 1: a weight
# vector).  The order of the sum is fixed (taps left to right by offset), so
# results do not depend on threads, layout or chunking.
#
# Contiguous taps (`contiguous_taps`) go TAP_CHUNK outputs at a time, TAP_SWEEP
# taps per sweep over the chunk with the partial sum in a register; the chunk
# accumulates in the output itself where it has the computation's type, else
# in a stack buffer.  Strided taps take one tap per loop (`strided_taps`).
# Complex data is multiplied by a real weight as numpy's (c + 0j) * z, as the
# 3-point primitives do.
#
# With `add` (laplacian's axes after the first) the run's sum is rounded to the
# output type and added to what the output holds, o[k] = o[k] + round(sum), in
# the output's type: numpy's ``d0 + d1`` of the per-axis results, without them.
# Where the output has the computation's type and the stencil fits one sweep,
# `add_sweep` does that in one loop over the run, with no buffer.


cdef inline void store_add(char* o, calc_t value, const real_t* like) noexcept nogil:
    # the sum rounded to the output type, then added in the output type (numpy's a + b)
    cdef float v32
    cdef double v64
    if real_t is float:
        v32 = <float>value
        (<float*>o)[0] = (<float*>o)[0] + v32
    else:
        v64 = <double>value
        (<double*>o)[0] = (<double*>o)[0] + v64


cdef inline void sweep_weights(const calc_t** wv, const calc_t* w, int t, Py_ssize_t wt,
                               Py_ssize_t c0, int g) noexcept nogil:
    # The weight vectors of taps t .. t+g-1 from output c0 (unused ones alias tap t's).
    cdef int j
    for j in range(TAP_SWEEP):
        wv[j] = w + (t + (j if j < g else 0)) * wt + c0


cdef inline void tap_sweep(calc_t* d, bint more, const real_t** ft, const calc_t** wv,
                           bint vec, int g, Py_ssize_t mc) noexcept nogil:
    """d[k] = (((d[k] + w0*f0[k]) + w1*f1[k]) + ...) over g <= TAP_SWEEP contiguous taps.

    Without `more`, d starts from -0.0, which x + -0.0 returns unchanged for
    every x (signed zeros, NaN and inf included): the first sweep is then
    exactly w0*f0[k] + w1*f1[k] + ..., in the same order.  With `vec`, tap j's
    weight at output k is wv[j][k], else wv[j][0].
    """
    cdef Py_ssize_t k
    cdef calc_t s, neg0 = -0.0
    cdef const real_t* f0 = ft[0]
    cdef const real_t* f1 = ft[1]
    cdef const real_t* f2 = ft[2]
    cdef const real_t* f3 = ft[3]
    cdef const calc_t* v0 = wv[0]
    cdef const calc_t* v1 = wv[1]
    cdef const calc_t* v2 = wv[2]
    cdef const calc_t* v3 = wv[3]
    cdef calc_t w0 = v0[0], w1 = v1[0], w2 = v2[0], w3 = v3[0]
    if vec:
        if g == 1:
            for k in range(mc):
                s = d[k] if more else neg0
                d[k] = s + v0[k] * <calc_t>f0[k]
        elif g == 2:
            for k in range(mc):
                s = d[k] if more else neg0
                d[k] = (s + v0[k] * <calc_t>f0[k]) + v1[k] * <calc_t>f1[k]
        elif g == 3:
            for k in range(mc):
                s = d[k] if more else neg0
                d[k] = ((s + v0[k] * <calc_t>f0[k]) + v1[k] * <calc_t>f1[k]) + v2[k] * <calc_t>f2[k]
        else:
            for k in range(mc):
                s = d[k] if more else neg0
                d[k] = (((s + v0[k] * <calc_t>f0[k]) + v1[k] * <calc_t>f1[k])
                        + v2[k] * <calc_t>f2[k]) + v3[k] * <calc_t>f3[k]
    elif g == 1:
        for k in range(mc):
            s = d[k] if more else neg0
            d[k] = s + w0 * <calc_t>f0[k]
    elif g == 2:
        for k in range(mc):
            s = d[k] if more else neg0
            d[k] = (s + w0 * <calc_t>f0[k]) + w1 * <calc_t>f1[k]
    elif g == 3:
        for k in range(mc):
            s = d[k] if more else neg0
            d[k] = ((s + w0 * <calc_t>f0[k]) + w1 * <calc_t>f1[k]) + w2 * <calc_t>f2[k]
    else:
        for k in range(mc):
            s = d[k] if more else neg0
            d[k] = (((s + w0 * <calc_t>f0[k]) + w1 * <calc_t>f1[k])
                    + w2 * <calc_t>f2[k]) + w3 * <calc_t>f3[k]


cdef inline void add_sweep(calc_t* d, const real_t** ft, const calc_t** wv, bint vec, int g,
                           Py_ssize_t mc) noexcept nogil:
    """d[k] = d[k] + (((w0*f0[k] + w1*f1[k]) + ...)) over all g <= TAP_SWEEP taps, in one loop.

    The laplacian's later axes where the output has the computation's type:
    the same sum, rounded the same way, as an accumulation buffer then
    ``store_add`` would give (-0.0 + x is x), without the buffer's second pass.
    """
    cdef Py_ssize_t k
    cdef const real_t* f0 = ft[0]
    cdef const real_t* f1 = ft[1]
    cdef const real_t* f2 = ft[2]
    cdef const real_t* f3 = ft[3]
    cdef const calc_t* v0 = wv[0]
    cdef const calc_t* v1 = wv[1]
    cdef const calc_t* v2 = wv[2]
    cdef const calc_t* v3 = wv[3]
    cdef calc_t w0 = v0[0], w1 = v1[0], w2 = v2[0], w3 = v3[0]
    if vec:
        if g == 1:
            for k in range(mc):
                d[k] = d[k] + v0[k] * <calc_t>f0[k]
        elif g == 2:
            for k in range(mc):
                d[k] = d[k] + (v0[k] * <calc_t>f0[k] + v1[k] * <calc_t>f1[k])
        elif g == 3:
            for k in range(mc):
                d[k] = d[k] + ((v0[k] * <calc_t>f0[k] + v1[k] * <calc_t>f1[k])
                               + v2[k] * <calc_t>f2[k])
        else:
            for k in range(mc):
                d[k] = d[k] + (((v0[k] * <calc_t>f0[k] + v1[k] * <calc_t>f1[k])
                                + v2[k] * <calc_t>f2[k]) + v3[k] * <calc_t>f3[k])
    elif g == 1:
        for k in range(mc):
            d[k] = d[k] + w0 * <calc_t>f0[k]
    elif g == 2:
        for k in range(mc):
            d[k] = d[k] + (w0 * <calc_t>f0[k] + w1 * <calc_t>f1[k])
    elif g == 3:
        for k in range(mc):
            d[k] = d[k] + ((w0 * <calc_t>f0[k] + w1 * <calc_t>f1[k]) + w2 * <calc_t>f2[k])
    else:
        for k in range(mc):
            d[k] = d[k] + (((w0 * <calc_t>f0[k] + w1 * <calc_t>f1[k]) + w2 * <calc_t>f2[k])
                           + w3 * <calc_t>f3[k])


cdef void contiguous_taps(const real_t* f, const Py_ssize_t* off, int nt,
                          char* o, Py_ssize_t os, Py_ssize_t m,
                          const calc_t* w, Py_ssize_t wt, bint vec, bint add,
                          bint stream) noexcept nogil:
    """The taps of contiguous data, TAP_SWEEP at a time over each chunk of outputs.
    `stream` (an output far larger than the caches, stored not added): each chunk
    is summed in the L1 buffer and written with streaming stores, so the output's
    lines are never read for ownership."""
    cdef calc_t acc[TAP_CHUNK]
    cdef const real_t* ft[TAP_SWEEP]
    cdef const calc_t* wv[TAP_SWEEP]
    cdef Py_ssize_t c0 = 0, mc, k
    cdef int t, j, g
    cdef calc_t* d
    cdef bint same = os == sizeof(calc_t) and (
        (real_t is float and calc_t is float) or (real_t is double and calc_t is double))
    cdef bint direct = not add and same and not stream
    if add and same and nt <= TAP_SWEEP:       # one sweep adds straight into the output
        for j in range(TAP_SWEEP):
            ft[j] = <const real_t*>at(f, off[j if j < nt else 0])
        sweep_weights(wv, w, 0, wt, 0, nt)
        add_sweep(<calc_t*>o, ft, wv, vec, nt, m)
        return
    while c0 < m:
        mc = m - c0 if m - c0 < TAP_CHUNK else TAP_CHUNK
        d = <calc_t*>o + c0 if direct else acc
        t = 0
        while t < nt:
            g = nt - t if nt - t < TAP_SWEEP else TAP_SWEEP
            for j in range(TAP_SWEEP):
                ft[j] = <const real_t*>at(f, off[t + (j if j < g else 0)]) + c0
            sweep_weights(wv, w, t, wt, c0 if vec else 0, g)
            tap_sweep(d, t > 0, ft, wv, vec, g, mc)
            t += g
        if add and same:                    # contiguous, one type: a vector loop
            d = <calc_t*>o + c0
            for k in range(mc):
                d[k] = d[k] + acc[k]
        elif add:
            for k in range(mc):
                store_add(o + (c0 + k) * os, acc[k], f)
        elif stream and same and stream_store(o + c0 * os, acc, mc, f):
            pass
        elif not direct:
            for k in range(mc):
                store_real(o + (c0 + k) * os, 0, acc[k], f)
        c0 += mc


cdef void strided_taps(const real_t* f, const Py_ssize_t* off, int nt, Py_ssize_t fs,
                       char* o, Py_ssize_t os, Py_ssize_t m,
                       const calc_t* w, Py_ssize_t wt, Py_ssize_t wk, bint add) noexcept nogil:
    """The taps of strided data, one tap per loop over each chunk of outputs."""
    cdef calc_t acc[TAP_CHUNK]
    cdef Py_ssize_t c0 = 0, k, mc
    cdef int t
    cdef const real_t* ft
    cdef const calc_t* wp
    while c0 < m:
        mc = m - c0 if m - c0 < TAP_CHUNK else TAP_CHUNK
        for t in range(nt):
            ft = <const real_t*>at(f, off[t] + c0 * fs)
            wp = w + t * wt + c0 * wk
            for k in range(mc):
                if t == 0:
                    acc[k] = wp[k * wk] * <calc_t>(<const real_t*>at(ft, k * fs))[0]
                else:
                    acc[k] = acc[k] + wp[k * wk] * <calc_t>(<const real_t*>at(ft, k * fs))[0]
        if add:
            for k in range(mc):
                store_add(o + (c0 + k) * os, acc[k], f)
        else:
            for k in range(mc):
                store_real(o + (c0 + k) * os, 0, acc[k], f)
        c0 += mc


cdef inline void real_taps(const real_t* f, const Py_ssize_t* off, int nt, Py_ssize_t fs,
                           char* o, Py_ssize_t os, Py_ssize_t m,
                           const calc_t* w, Py_ssize_t wt, Py_ssize_t wk,
                           bint add, bint stream) noexcept nogil:
    if fs == sizeof(real_t):
        contiguous_taps(f, off, nt, o, os, m, w, wt, wk != 0, add, stream)
    else:
        strided_taps(f, off, nt, fs, o, os, m, w, wt, wk, add)


cdef void cplx_taps(const part_t* f, const Py_ssize_t* off, int nt, Py_ssize_t fs,
                    part_t* o, Py_ssize_t os, Py_ssize_t m,
                    const calc_t* w, Py_ssize_t wt, Py_ssize_t wk, bint add) noexcept nogil:
    cdef calc_t re[TAP_CHUNK]
    cdef calc_t im[TAP_CHUNK]
    cdef calc_t zero = 0, wc, zr, zi
    cdef Py_ssize_t c0, k, mc
    cdef int t
    cdef const part_t* z
    cdef part_t* r
    c0 = 0
    while c0 < m:
        mc = m - c0 if m - c0 < TAP_CHUNK else TAP_CHUNK
        for t in range(nt):
            for k in range(mc):
                z = <const part_t*>at(f, off[t] + (c0 + k) * fs)
                wc = w[t * wt + (c0 + k) * wk]
                zr = z[0]
                zi = z[1]
                if t == 0:
                    re[k] = wc * zr - zero * zi
                    im[k] = wc * zi + zero * zr
                else:
                    re[k] = re[k] + (wc * zr - zero * zi)
                    im[k] = im[k] + (wc * zi + zero * zr)
        for k in range(mc):
            r = <part_t*>(<char*>o + (c0 + k) * os)
            if add:
                r[0] = r[0] + <part_t>re[k]
                r[1] = r[1] + <part_t>im[k]
            else:
                r[0] = <part_t>re[k]
                r[1] = <part_t>im[k]
        c0 += mc


cdef inline void op_taps(const src_t* f, const Py_ssize_t* off, int nt, Py_ssize_t fs,
                         char* o, Py_ssize_t os, Py_ssize_t m,
                         const void* w, Py_ssize_t wt, Py_ssize_t wk, bint wide,
                         bint add, bint stream=False) noexcept nogil:
    # w holds doubles when the computation is wide, else floats.
    cdef const double* wd = <const double*>w
    cdef const float* wf = <const float*>w
    if src_t is cfloat_t:
        if wide:
            cplx_taps(<const float*>f, off, nt, fs, <float*>o, os, m, wd, wt, wk, add)
        else:
            cplx_taps(<const float*>f, off, nt, fs, <float*>o, os, m, wf, wt, wk, add)
    elif src_t is cdouble_t:
        cplx_taps(<const double*>f, off, nt, fs, <double*>o, os, m, wd, wt, wk, add)
    elif src_t is float:
        if wide:
            real_taps(f, off, nt, fs, o, os, m, wd, wt, wk, add, stream)
        else:
            real_taps(f, off, nt, fs, o, os, m, wf, wt, wk, add, stream)
    else:
        real_taps(f, off, nt, fs, o, os, m, wd, wt, wk, add, stream)
