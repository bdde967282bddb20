# One stencil operation dispatched on the element type and the precision flag; coefficient helpers.


# ---------------------------------------------------------------------------
# Dispatch of one operation on the element type and the precision flag
# ---------------------------------------------------------------------------

cdef inline void op_diff(const src_t* fp, const src_t* fm, Py_ssize_t fs,
                         char* o, Py_ssize_t os, Py_ssize_t m,
                         double h, bint wide, bint stream=False) noexcept nogil:
    if src_t is cfloat_t:
        if wide:
            cplx_diff(<const float*>fp, <const float*>fm, fs, <float*>o, os, m, <double>h)
        else:
            cplx_diff(<const float*>fp, <const float*>fm, fs, <float*>o, os, m, <float>h)
    elif src_t is cdouble_t:
        cplx_diff(<const double*>fp, <const double*>fm, fs, <double*>o, os, m, <double>h)
    elif src_t is float:
        if wide:
            real_diff(fp, fm, fs, o, os, m, <double>h, stream)
        else:
            real_diff(fp, fm, fs, o, os, m, <float>h, stream)
    else:
        real_diff(fp, fm, fs, o, os, m, <double>h, stream)


cdef inline void op_comb(const src_t* f0, const src_t* f1, const src_t* f2, Py_ssize_t fs,
                         char* o, Py_ssize_t os, Py_ssize_t m,
                         const double* abc, bint wide) noexcept nogil:
    if src_t is cfloat_t:
        if wide:
            cplx_comb(<const float*>f0, <const float*>f1, <const float*>f2, fs, <float*>o, os, m,
                      abc[0], abc[1], abc[2])
        else:
            cplx_comb(<const float*>f0, <const float*>f1, <const float*>f2, fs, <float*>o, os, m,
                      <float>abc[0], <float>abc[1], <float>abc[2])
    elif src_t is cdouble_t:
        cplx_comb(<const double*>f0, <const double*>f1, <const double*>f2, fs, <double*>o, os, m,
                  abc[0], abc[1], abc[2])
    elif src_t is float:
        if wide:
            real_comb(f0, f1, f2, fs, o, os, m, abc[0], abc[1], abc[2])
        else:
            real_comb(f0, f1, f2, fs, o, os, m, <float>abc[0], <float>abc[1], <float>abc[2])
    else:
        real_comb(f0, f1, f2, fs, o, os, m, abc[0], abc[1], abc[2])


cdef inline void op_comb_uneven(const src_t* f0, const src_t* f1, const src_t* f2, Py_ssize_t fs,
                                char* o, Py_ssize_t os, Py_ssize_t m,
                                const AxisPlan* p, Py_ssize_t j) noexcept nogil:
    # Outputs j..j+m-1 of an axis with coordinates p.x (float32 or float64).
    cdef const double* xd = <const double*>p.x + j
    cdef const float* xf = <const float*>p.x + j
    cdef float narrow = 0
    cdef double wide = 0
    if src_t is cfloat_t:
        if p.x_double:
            cplx_comb_uneven(<const float*>f0, <const float*>f1, <const float*>f2, fs, <float*>o, os, m, xd, wide)
        elif p.wide:
            cplx_comb_uneven(<const float*>f0, <const float*>f1, <const float*>f2, fs, <float*>o, os, m, xf, wide)
        else:
            cplx_comb_uneven(<const float*>f0, <const float*>f1, <const float*>f2, fs, <float*>o, os, m, xf, narrow)
    elif src_t is cdouble_t:
        if p.x_double:
            cplx_comb_uneven(<const double*>f0, <const double*>f1, <const double*>f2, fs, <double*>o, os, m, xd, wide)
        else:
            cplx_comb_uneven(<const double*>f0, <const double*>f1, <const double*>f2, fs, <double*>o, os, m, xf, wide)
    elif src_t is float:
        if p.x_double:
            real_comb_uneven(f0, f1, f2, fs, o, os, m, xd, wide)
        elif p.wide:
            real_comb_uneven(f0, f1, f2, fs, o, os, m, xf, wide)
        else:
            real_comb_uneven(f0, f1, f2, fs, o, os, m, xf, narrow)
    else:
        if p.x_double:
            real_comb_uneven(f0, f1, f2, fs, o, os, m, xd, wide)
        else:
            real_comb_uneven(f0, f1, f2, fs, o, os, m, xf, wide)


cdef inline void op_comb_vec(const src_t* f0, const src_t* f1, const src_t* f2, Py_ssize_t fs,
                             char* o, Py_ssize_t os, Py_ssize_t m,
                             const AxisPlan* p, Py_ssize_t n, Py_ssize_t j) noexcept nogil:
    # Outputs j..j+m-1 from the a, b, c rows of p.coef (n each, calc precision).
    cdef const double* cd = <const double*>p.coef + j
    cdef const float* cf = <const float*>p.coef + j
    if src_t is cfloat_t:
        if p.wide:
            cplx_comb_vec(<const float*>f0, <const float*>f1, <const float*>f2, fs, <float*>o, os,
                          m, cd, cd + n, cd + 2 * n)
        else:
            cplx_comb_vec(<const float*>f0, <const float*>f1, <const float*>f2, fs, <float*>o, os,
                          m, cf, cf + n, cf + 2 * n)
    elif src_t is cdouble_t:
        cplx_comb_vec(<const double*>f0, <const double*>f1, <const double*>f2, fs, <double*>o, os,
                      m, cd, cd + n, cd + 2 * n)
    elif src_t is float:
        if p.wide:
            real_comb_vec(f0, f1, f2, fs, o, os, m, cd, cd + n, cd + 2 * n)
        else:
            real_comb_vec(f0, f1, f2, fs, o, os, m, cf, cf + n, cf + 2 * n)
    else:
        real_comb_vec(f0, f1, f2, fs, o, os, m, cd, cd + n, cd + 2 * n)


cdef void fill_coefficients(const AxisPlan* p, Py_ssize_t n, void* coef) noexcept nogil:
    """The a, b, c rows of an uneven axis (n each), once for all its lines."""
    cdef double* cd = <double*>coef
    cdef float* cf = <float*>coef
    cdef Py_ssize_t i
    for i in range(1, n - 1):
        if p.x_double:
            uneven_coefficients(<const double*>p.x + i, cd + i, cd + n + i, cd + 2 * n + i)
        elif p.wide:
            uneven_coefficients(<const float*>p.x + i, cd + i, cd + n + i, cd + 2 * n + i)
        else:
            uneven_coefficients(<const float*>p.x + i, cf + i, cf + n + i, cf + 2 * n + i)


cdef inline void line_coefficients(const AxisPlan* p, Py_ssize_t i, double* abc) noexcept nogil:
    # The interior coefficients of position i, as the precision they are used in.
    cdef double ad, bd, cd
    cdef float af, bf, cf
    if p.x_double:
        uneven_coefficients(<const double*>p.x + i, &ad, &bd, &cd)
    elif p.wide:
        uneven_coefficients(<const float*>p.x + i, &ad, &bd, &cd)
    else:
        uneven_coefficients(<const float*>p.x + i, &af, &bf, &cf)
        ad, bd, cd = af, bf, cf
    abc[0] = ad
    abc[1] = bd
    abc[2] = cd

