# Complex stencil primitives: numpy's complex loops written out on (re, im) pairs.


# ---------------------------------------------------------------------------
# Complex primitives: numpy's complex loops, written out on (re, im) pairs
# ---------------------------------------------------------------------------

cdef void cplx_diff(const part_t* fp, const part_t* fm, Py_ssize_t fs,
                    part_t* o, Py_ssize_t os, Py_ssize_t m, calc_t h) noexcept nogil:
    """o[k] = (fp[k] - fm[k]) / (h + 0j) by numpy's complex division.

    numpy divides by the complex divisor (h, +0) with Smith's method: for a
    finite non-zero h that is ``(re + im*rat) * scl`` with ``rat = 0/h`` and
    ``scl = 1/(h + 0*rat)``, a multiplication by a reciprocal, so the bits
    differ from ``re / h``.  Zero and NaN divisors take numpy's other branches.
    """
    cdef calc_t zero = 0, one = 1, rat = 0, scl = 0, dr, di
    cdef calc_t ah = <calc_t>fabs(h)     # numpy divides by |in2r| when the divisor is 0
    cdef int branch
    cdef Py_ssize_t k
    cdef const part_t* p
    cdef const part_t* q
    cdef part_t* r
    if fabs(h) >= zero:          # |in2r| >= |in2i|; false only for NaN
        if h == zero:
            branch = 0
        else:
            branch = 1
            rat = zero / h
            scl = one / (h + zero * rat)
    else:
        branch = 2
        rat = h / zero
        scl = one / (zero + h * rat)
    # One loop per branch, so the per-element body has no test in it.
    if branch == 1:
        for k in range(m):
            p = <const part_t*>at(fp, k * fs)
            q = <const part_t*>at(fm, k * fs)
            r = <part_t*>(<char*>o + k * os)
            dr = <calc_t>(p[0] - q[0])
            di = <calc_t>(p[1] - q[1])
            r[0] = <part_t>((dr + di * rat) * scl)
            r[1] = <part_t>((di - dr * rat) * scl)
    elif branch == 0:
        for k in range(m):
            p = <const part_t*>at(fp, k * fs)
            q = <const part_t*>at(fm, k * fs)
            r = <part_t*>(<char*>o + k * os)
            r[0] = <part_t>(<calc_t>(p[0] - q[0]) / ah)
            r[1] = <part_t>(<calc_t>(p[1] - q[1]) / ah)
    else:
        for k in range(m):
            p = <const part_t*>at(fp, k * fs)
            q = <const part_t*>at(fm, k * fs)
            r = <part_t*>(<char*>o + k * os)
            dr = <calc_t>(p[0] - q[0])
            di = <calc_t>(p[1] - q[1])
            r[0] = <part_t>((dr * rat + di) * scl)
            r[1] = <part_t>((di * rat - dr) * scl)


cdef inline void cplx_comb_one(const part_t* z0, const part_t* z1, const part_t* z2,
                               part_t* r, calc_t a, calc_t b, calc_t c) noexcept nogil:
    # (a + 0j) * z = (a*re - 0*im, a*im + 0*re): numpy casts the real
    # coefficient to complex, so an infinite component spills NaN into the other.
    cdef calc_t zero = 0
    cdef calc_t re0 = z0[0], im0 = z0[1], re1 = z1[0], im1 = z1[1], re2 = z2[0], im2 = z2[1]
    r[0] = <part_t>(((a * re0 - zero * im0) + (b * re1 - zero * im1)) + (c * re2 - zero * im2))
    r[1] = <part_t>(((a * im0 + zero * re0) + (b * im1 + zero * re1)) + (c * im2 + zero * re2))


cdef void cplx_comb(const part_t* f0, const part_t* f1, const part_t* f2, Py_ssize_t fs,
                    part_t* o, Py_ssize_t os, Py_ssize_t m,
                    calc_t a, calc_t b, calc_t c) noexcept nogil:
    cdef Py_ssize_t k
    for k in range(m):
        cplx_comb_one(<const part_t*>at(f0, k * fs), <const part_t*>at(f1, k * fs),
                      <const part_t*>at(f2, k * fs), <part_t*>(<char*>o + k * os), a, b, c)


cdef void cplx_comb_uneven(const part_t* f0, const part_t* f1, const part_t* f2, Py_ssize_t fs,
                           part_t* o, Py_ssize_t os, Py_ssize_t m,
                           const coord_t* x, calc_t like) noexcept nogil:
    cdef Py_ssize_t k
    cdef calc_t a, b, c
    for k in range(m):
        uneven_coefficients(x + k, &a, &b, &c)
        cplx_comb_one(<const part_t*>at(f0, k * fs), <const part_t*>at(f1, k * fs),
                      <const part_t*>at(f2, k * fs), <part_t*>(<char*>o + k * os), a, b, c)


cdef void cplx_comb_vec(const part_t* f0, const part_t* f1, const part_t* f2, Py_ssize_t fs,
                        part_t* o, Py_ssize_t os, Py_ssize_t m,
                        const calc_t* a, const calc_t* b, const calc_t* c) noexcept nogil:
    cdef Py_ssize_t k
    for k in range(m):
        cplx_comb_one(<const part_t*>at(f0, k * fs), <const part_t*>at(f1, k * fs),
                      <const part_t*>at(f2, k * fs), <part_t*>(<char*>o + k * os),
                      a[k], b[k], c[k])

