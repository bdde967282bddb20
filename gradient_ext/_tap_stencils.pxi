# The k-tap stencil primitives (accuracy > 2): one run of m outputs, any element type.
#
# o[k] = (...((w_0*f_0[k] + w_1*f_1[k]) + w_2*f_2[k]) + ...) + w_{nt-1}*f_{nt-1}[k]
#
# Tap t reads f_t = f + off[t] bytes (elements k at k*fs further); its weight at
# output k is w[t*wt + k*wk] (wk == 0: one weight per tap, wk == 1: a weight
# vector).  Outputs accumulate TAP_CHUNK at a time in a stack buffer of the
# computation precision, one tap after the other: each tap's loop vectorises,
# and the order of the sum is fixed (taps left to right by offset), so results
# do not depend on threads, layout or chunking.  Complex data is multiplied by
# a real weight as numpy's (c + 0j) * z, as the 3-point primitives do.


cdef void real_taps(const real_t* f, const Py_ssize_t* off, int nt, Py_ssize_t fs,
                    char* o, Py_ssize_t os, Py_ssize_t m,
                    const calc_t* w, Py_ssize_t wt, Py_ssize_t wk) noexcept nogil:
    cdef calc_t acc[TAP_CHUNK]
    cdef Py_ssize_t c0, k, mc
    cdef Py_ssize_t osize = sizeof(float) if real_t is float else sizeof(double)
    cdef int t
    cdef const real_t* ft
    cdef const calc_t* wp
    cdef calc_t wc
    cdef bint contiguous = fs == sizeof(real_t)
    c0 = 0
    while c0 < m:
        mc = m - c0 if m - c0 < TAP_CHUNK else TAP_CHUNK
        for t in range(nt):
            ft = <const real_t*>at(f, off[t] + c0 * fs)
            wp = w + t * wt + c0 * wk
            wc = wp[0]
            if contiguous and wk == 0:
                if t == 0:
                    for k in range(mc):
                        acc[k] = wc * <calc_t>ft[k]
                else:
                    for k in range(mc):
                        acc[k] = acc[k] + wc * <calc_t>ft[k]
            elif contiguous:
                if t == 0:
                    for k in range(mc):
                        acc[k] = wp[k] * <calc_t>ft[k]
                else:
                    for k in range(mc):
                        acc[k] = acc[k] + wp[k] * <calc_t>ft[k]
            else:
                for k in range(mc):
                    if t == 0:
                        acc[k] = wp[k * wk] * <calc_t>(<const real_t*>at(ft, k * fs))[0]
                    else:
                        acc[k] = acc[k] + wp[k * wk] * <calc_t>(<const real_t*>at(ft, k * fs))[0]
        if os == osize:
            for k in range(mc):
                store_real(o, c0 + k, acc[k], f)
        else:
            for k in range(mc):
                store_real(o + (c0 + k) * os, 0, acc[k], f)
        c0 += mc


cdef void cplx_taps(const part_t* f, const Py_ssize_t* off, int nt, Py_ssize_t fs,
                    part_t* o, Py_ssize_t os, Py_ssize_t m,
                    const calc_t* w, Py_ssize_t wt, Py_ssize_t wk) noexcept nogil:
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
            r[0] = <part_t>re[k]
            r[1] = <part_t>im[k]
        c0 += mc


cdef inline void op_taps(const src_t* f, const Py_ssize_t* off, int nt, Py_ssize_t fs,
                         char* o, Py_ssize_t os, Py_ssize_t m,
                         const void* w, Py_ssize_t wt, Py_ssize_t wk, bint wide) noexcept nogil:
    # w holds doubles when the computation is wide, else floats.
    cdef const double* wd = <const double*>w
    cdef const float* wf = <const float*>w
    if src_t is cfloat_t:
        if wide:
            cplx_taps(<const float*>f, off, nt, fs, <float*>o, os, m, wd, wt, wk)
        else:
            cplx_taps(<const float*>f, off, nt, fs, <float*>o, os, m, wf, wt, wk)
    elif src_t is cdouble_t:
        cplx_taps(<const double*>f, off, nt, fs, <double*>o, os, m, wd, wt, wk)
    elif src_t is float:
        if wide:
            real_taps(f, off, nt, fs, o, os, m, wd, wt, wk)
        else:
            real_taps(f, off, nt, fs, o, os, m, wf, wt, wk)
    else:
        real_taps(f, off, nt, fs, o, os, m, wd, wt, wk)
