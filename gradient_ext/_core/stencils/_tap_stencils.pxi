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
        if not direct:
            chunk_out(o, os, c0, mc, acc, add, same, stream, f)
        c0 += mc


cdef inline void chunk_out(char* o, Py_ssize_t os, Py_ssize_t c0, Py_ssize_t mc,
                           const calc_t* acc, bint add, bint same, bint stream,
                           const real_t* like) noexcept nogil:
    """A chunk summed in acc into outputs c0 .. c0+mc-1: added (rounded to the output
    type first), streamed, or stored."""
    cdef Py_ssize_t k
    cdef calc_t* d
    if add and same:                    # contiguous, one type: a vector loop
        d = <calc_t*>o + c0
        for k in range(mc):
            d[k] = d[k] + acc[k]
    elif add:
        for k in range(mc):
            store_add(o + (c0 + k) * os, acc[k], like)
    elif stream and same and stream_store(o + c0 * os, acc, mc, like):
        pass
    else:
        for k in range(mc):
            store_real(o + (c0 + k) * os, 0, acc[k], like)


cdef extern from *:
    """
    /* tap_sweep for two outputs in one loop (two neighbouring lines of an axis
       across lines): d0[k] from taps a[j] with weights v[j], d1[k] from b[j]
       with u[j], each sum in tap_sweep's order (from -0.0, or from d[k] when
       `more`).  The lines both read are loaded once from memory and again from
       L1; one output at a time reads them from L2 (measured 1.3x slower for
       three taps on 2000x2000).  In C for `restrict`: the outputs are distinct
       lines that no tap reads (out= never overlaps the input), and without it
       the compiler declines to vectorise a loop over ten pointers. */
    #include <stddef.h>
    /* The loops of both kinds, over g <= 4 taps; X0(j), X1(j): tap j's term of
       each output (its weight a scalar or a vector shared by both). */
    #define GX_PAIR_LOOPS(T, X0, X1)                                                \
        const T *a0 = a[0], *a1 = a[1], *a2 = a[2], *a3 = a[3];                  \
        const T *b0 = b[0], *b1 = b[1], *b2 = b[2], *b3 = b[3];                  \
        const T z = -0.0;                                                         \
        ptrdiff_t k;                                                              \
        if (g == 1) {                                                             \
            for (k = 0; k < mc; k++) {                                            \
                T s0 = more ? d0[k] : z, s1 = more ? d1[k] : z;                   \
                d0[k] = s0 + X0(0);                                               \
                d1[k] = s1 + X1(0);                                               \
            }                                                                     \
        } else if (g == 2) {                                                      \
            for (k = 0; k < mc; k++) {                                            \
                T s0 = more ? d0[k] : z, s1 = more ? d1[k] : z;                   \
                d0[k] = (s0 + X0(0)) + X0(1);                                     \
                d1[k] = (s1 + X1(0)) + X1(1);                                     \
            }                                                                     \
        } else if (g == 3) {                                                      \
            for (k = 0; k < mc; k++) {                                            \
                T s0 = more ? d0[k] : z, s1 = more ? d1[k] : z;                   \
                d0[k] = ((s0 + X0(0)) + X0(1)) + X0(2);                           \
                d1[k] = ((s1 + X1(0)) + X1(1)) + X1(2);                           \
            }                                                                     \
        } else {                                                                  \
            for (k = 0; k < mc; k++) {                                            \
                T s0 = more ? d0[k] : z, s1 = more ? d1[k] : z;                   \
                d0[k] = (((s0 + X0(0)) + X0(1)) + X0(2)) + X0(3);                 \
                d1[k] = (((s1 + X1(0)) + X1(1)) + X1(2)) + X1(3);                 \
            }                                                                     \
        }
    /* Not inlined: inlined, the parameters' restrict may be lost, and the loops
       with them (scalar code measured on the weight-vector pairs). */
    #if defined(__GNUC__)
    #define GX_NOINLINE __attribute__((noinline))
    #elif defined(_MSC_VER)
    #define GX_NOINLINE __declspec(noinline)
    #else
    #define GX_NOINLINE
    #endif
    #define GX_RESTRICT __restrict  /* gcc, clang and MSVC, in any C mode */
    #define GX_SCALAR0(j) (v##j * a##j[k])
    #define GX_SCALAR1(j) (u##j * b##j[k])
    #define GX_VECTOR0(j) (v##j[k] * a##j[k])
    #define GX_VECTOR1(j) (v##j[k] * b##j[k])
    /* Scalar weights, one set per output (v, u: across lines). */
    #define GX_PAIR_SWEEP(NAME, T)                                                  \
    GX_NOINLINE static void NAME(T* GX_RESTRICT d0, T* GX_RESTRICT d1, int more, const T* const* a,  \
                     const T* const* b, const T* v, const T* u, int g,            \
                     ptrdiff_t mc) {                                              \
        const T v0 = v[0], v1 = v[g > 1], v2 = v[g > 2 ? 2 : 0], v3 = v[g > 3 ? 3 : 0]; \
        const T u0 = u[0], u1 = u[g > 1], u2 = u[g > 2 ? 2 : 0], u3 = u[g > 3 ? 3 : 0]; \
        GX_PAIR_LOOPS(T, GX_SCALAR0, GX_SCALAR1)                                  \
    }
    /* A weight per point, tap j's vector v[j] the same for both outputs (two
       lines along an uneven axis): each weight is read once for two lines. */
    #define GX_PAIR_SWEEP_VEC(NAME, T)                                              \
    GX_NOINLINE static void NAME(T* GX_RESTRICT d0, T* GX_RESTRICT d1, int more, const T* const* a,  \
                     const T* const* b, const T* const* v, int g, ptrdiff_t mc) {  \
        const T *v0 = v[0], *v1 = v[1], *v2 = v[2], *v3 = v[3];                  \
        GX_PAIR_LOOPS(T, GX_VECTOR0, GX_VECTOR1)                                  \
    }
    GX_PAIR_SWEEP_VEC(gx_pair_sweep_vec_f64, double)
    GX_PAIR_SWEEP_VEC(gx_pair_sweep_vec_f32, float)
    GX_PAIR_SWEEP(gx_pair_sweep_f64, double)
    GX_PAIR_SWEEP(gx_pair_sweep_f32, float)
    """
    void gx_pair_sweep_f64(double* d0, double* d1, bint more, const double** a,
                           const double** b, const double* v, const double* u, int g,
                           Py_ssize_t mc) noexcept nogil
    void gx_pair_sweep_f32(float* d0, float* d1, bint more, const float** a,
                           const float** b, const float* v, const float* u, int g,
                           Py_ssize_t mc) noexcept nogil
    void gx_pair_sweep_vec_f64(double* d0, double* d1, bint more, const double** a,
                               const double** b, const double** v, int g,
                               Py_ssize_t mc) noexcept nogil
    void gx_pair_sweep_vec_f32(float* d0, float* d1, bint more, const float** a,
                               const float** b, const float** v, int g,
                               Py_ssize_t mc) noexcept nogil


cdef void contiguous_pair(const real_t* f, const Py_ssize_t* off0, const Py_ssize_t* off1,
                          int nt, char* o0, char* o1, Py_ssize_t os, Py_ssize_t m,
                          const calc_t* w0, const calc_t* w1, Py_ssize_t wt, bint vec,
                          bint add, bint stream) noexcept nogil:
    """contiguous_taps for two outputs whose taps (off0, off1) read overlapping lines
    or share their weights: each chunk of both in one sweep.  Weights: one per tap
    (w0[t], w1[t]), or with `vec` one vector per tap for both (w0[t*wt + k])."""
    cdef calc_t acc0[TAP_CHUNK]
    cdef calc_t acc1[TAP_CHUNK]
    cdef const real_t* a[TAP_SWEEP]
    cdef const real_t* b[TAP_SWEEP]
    cdef const calc_t* wv[TAP_SWEEP]
    cdef Py_ssize_t c0 = 0, mc
    cdef int t, j, g
    cdef calc_t* d0
    cdef calc_t* d1
    cdef bint same = os == sizeof(calc_t) and (
        (real_t is float and calc_t is float) or (real_t is double and calc_t is double))
    cdef bint direct = not add and same and not stream
    while c0 < m:
        mc = m - c0 if m - c0 < TAP_CHUNK else TAP_CHUNK
        d0 = <calc_t*>o0 + c0 if direct else acc0
        d1 = <calc_t*>o1 + c0 if direct else acc1
        t = 0
        while t < nt:
            g = nt - t if nt - t < TAP_SWEEP else TAP_SWEEP
            for j in range(TAP_SWEEP):
                a[j] = <const real_t*>at(f, off0[t + (j if j < g else 0)]) + c0
                b[j] = <const real_t*>at(f, off1[t + (j if j < g else 0)]) + c0
            if vec:
                sweep_weights(wv, w0, t, wt, c0, g)
            if real_t is double and calc_t is double:
                if vec:
                    gx_pair_sweep_vec_f64(d0, d1, t > 0, a, b, wv, g, mc)
                else:
                    gx_pair_sweep_f64(d0, d1, t > 0, a, b, w0 + t, w1 + t, g, mc)
            elif real_t is float and calc_t is float:
                if vec:
                    gx_pair_sweep_vec_f32(d0, d1, t > 0, a, b, wv, g, mc)
                else:
                    gx_pair_sweep_f32(d0, d1, t > 0, a, b, w0 + t, w1 + t, g, mc)
            t += g
        if not direct:
            chunk_out(o0, os, c0, mc, acc0, add, same, stream, f)
            chunk_out(o1, os, c0, mc, acc1, add, same, stream, f)
        c0 += mc


cdef inline bint pair_ready(const src_t* like, Py_ssize_t fs, const AxisPlan* p) noexcept nogil:
    """Whether two lines of this plan can go through `contiguous_pair`: contiguous
    float64 or float32 data computed in its own precision, no one-point weights
    (complex and integer data, float32 computed in float64: one line at a time)."""
    if src_t is double:
        return fs == sizeof(double) and p.wpoint == NULL
    elif src_t is float:
        return fs == sizeof(float) and p.wpoint == NULL and not p.wide
    else:
        return False


cdef bint position_pair(const src_t* f0, Py_ssize_t s, Py_ssize_t fs, char* o0, char* o1,
                        Py_ssize_t os, Py_ssize_t i, Py_ssize_t n, Py_ssize_t m,
                        const AxisPlan* p) noexcept nogil:
    """m outputs at positions i and i+1 of an axis across lines (f0: position 0,
    stride s), in one pass where both read their taps straight from contiguous
    real data with as many taps; False where the caller computes each alone."""
    cdef Py_ssize_t off0[MAX_TAPS]
    cdef Py_ssize_t off1[MAX_TAPS]
    cdef Py_ssize_t pos0[MAX_TAPS]
    cdef Py_ssize_t pos1[MAX_TAPS]
    cdef double wd0[MAX_TAPS]
    cdef double wd1[MAX_TAPS]
    cdef float wf0[MAX_TAPS]
    cdef float wf1[MAX_TAPS]
    cdef int t, nt
    if not pair_ready(f0, fs, p):
        return False
    if src_t is double or src_t is float:
        nt = point_taps(p, i, n, pos0, wd0, wf0)
        if point_taps(p, i + 1, n, pos1, wd1, wf1) != nt:
            return False
        for t in range(nt):
            if pos0[t] < 0 or pos1[t] < 0:      # boundary="constant"'s value
                return False
            off0[t] = pos0[t] * s
            off1[t] = pos1[t] * s
        if src_t is double:
            contiguous_pair(f0, off0, off1, nt, o0, o1, os, m, wd0, wd1, 1, False,
                            p.accumulate, p.stream)
        else:
            contiguous_pair(f0, off0, off1, nt, o0, o1, os, m, wf0, wf1, 1, False,
                            p.accumulate, p.stream)
        return True
    return False


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
