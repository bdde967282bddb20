# Real stencil primitives: one run of m outputs, strided, with a contiguous fast path.


# ---------------------------------------------------------------------------
# Real primitives: one run of `m` outputs, strided, contiguous fast path
# ---------------------------------------------------------------------------

cdef inline void store_real(char* o, Py_ssize_t k, calc_t value, const real_t* like) noexcept nogil:
    # float32 data gives float32 output, everything else float64 (as numpy).
    if real_t is float:
        (<float*>o)[k] = <float>value
    else:
        (<double*>o)[k] = <double>value


cdef inline calc_t real_delta(real_t a, real_t b, calc_t like) noexcept nogil:
    # numpy subtracts in the input precision; integers were converted to float64.
    if real_t is float or real_t is double:
        return <calc_t>(a - b)
    else:
        return <calc_t>(<double>a - <double>b)


cdef inline bint exact_reciprocal(calc_t h, calc_t* r) noexcept nogil:
    """Whether x / h == x * (1/h) for every x: h a power of two with 1/h finite.

    Division and multiplication are both correctly rounded, so when 1/h is
    exact the two round the same real number and give the same bits (signed
    zeros, infinities and NaNs included).  The default spacing (2h = 2) is such
    a case; a multiplication vectorises about four times faster than a division.
    """
    cdef calc_t one = 1
    cdef double wide = h
    cdef uint64_t bits
    if not (h != 0 and h - h == 0):          # zero, inf or NaN
        return False
    memcpy(&bits, &wide, sizeof(double))
    if bits & ((<uint64_t>1 << 52) - 1):     # a mantissa: not a power of two
        return False
    r[0] = one / h
    return r[0] - r[0] == 0                   # finite (2**1023 and up have none)


cdef void real_diff(const real_t* fp, const real_t* fm, Py_ssize_t fs,
                    char* o, Py_ssize_t os, Py_ssize_t m, calc_t h, bint stream) noexcept nogil:
    """o[k] = (fp[k] - fm[k]) / h  -- central difference or first-order edge."""
    cdef Py_ssize_t k
    cdef Py_ssize_t osize = sizeof(float) if real_t is float else sizeof(double)
    cdef calc_t r
    if fs == sizeof(real_t) and os == osize:
        if exact_reciprocal(h, &r):
            if stream and stream_diff(fp, fm, o, m, r, False):
                return
            for k in range(m):
                store_real(o, k, real_delta(fp[k], fm[k], h) * r, fp)
        else:
            if stream and stream_diff(fp, fm, o, m, h, True):
                return
            for k in range(m):
                store_real(o, k, real_delta(fp[k], fm[k], h) / h, fp)
    else:
        for k in range(m):
            store_real(o + k * os, 0,
                       real_delta((<const real_t*>at(fp, k * fs))[0],
                                  (<const real_t*>at(fm, k * fs))[0], h) / h, fp)


cdef void real_comb(const real_t* f0, const real_t* f1, const real_t* f2, Py_ssize_t fs,
                    char* o, Py_ssize_t os, Py_ssize_t m,
                    calc_t a, calc_t b, calc_t c) noexcept nogil:
    """o[k] = (a*f0[k] + b*f1[k]) + c*f2[k] with constant coefficients."""
    cdef Py_ssize_t k
    cdef Py_ssize_t osize = sizeof(float) if real_t is float else sizeof(double)
    if fs == sizeof(real_t) and os == osize:
        for k in range(m):
            store_real(o, k, (a * <calc_t>f0[k] + b * <calc_t>f1[k]) + c * <calc_t>f2[k], f0)
    else:
        for k in range(m):
            store_real(o + k * os, 0,
                       (a * <calc_t>(<const real_t*>at(f0, k * fs))[0]
                        + b * <calc_t>(<const real_t*>at(f1, k * fs))[0])
                       + c * <calc_t>(<const real_t*>at(f2, k * fs))[0], f0)


cdef inline void uneven_coefficients(const coord_t* x, calc_t* a, calc_t* b, calc_t* c) noexcept nogil:
    """numpy's interior coefficients at x[0] from x[-1], x[0], x[1].

    Same expressions, same order, in the coordinates' precision (numpy takes
    ``dx = np.diff(x)`` and works on those arrays), then widened to the
    computation precision as numpy's multiplication does.
    """
    cdef coord_t dx1 = x[0] - (x - 1)[0]
    cdef coord_t dx2 = x[1] - x[0]
    a[0] = <calc_t>(-(dx2) / (dx1 * (dx1 + dx2)))
    b[0] = <calc_t>((dx2 - dx1) / (dx1 * dx2))
    c[0] = <calc_t>(dx1 / (dx2 * (dx1 + dx2)))


cdef void real_comb_uneven(const real_t* f0, const real_t* f1, const real_t* f2, Py_ssize_t fs,
                           char* o, Py_ssize_t os, Py_ssize_t m,
                           const coord_t* x, calc_t like) noexcept nogil:
    """o[k] = (a*f0[k] + b*f1[k]) + c*f2[k] along a line of uneven coordinates x[k].

    The coefficients are computed on the fly: no vector the size of the axis
    is stored, and each coordinate is read while its line is in cache.
    """
    cdef Py_ssize_t k
    cdef Py_ssize_t osize = sizeof(float) if real_t is float else sizeof(double)
    cdef calc_t a, b, c
    if fs == sizeof(real_t) and os == osize:
        for k in range(m):
            uneven_coefficients(x + k, &a, &b, &c)
            store_real(o, k, (a * <calc_t>f0[k] + b * <calc_t>f1[k]) + c * <calc_t>f2[k], f0)
    else:
        for k in range(m):
            uneven_coefficients(x + k, &a, &b, &c)
            store_real(o + k * os, 0,
                       (a * <calc_t>(<const real_t*>at(f0, k * fs))[0]
                        + b * <calc_t>(<const real_t*>at(f1, k * fs))[0])
                       + c * <calc_t>(<const real_t*>at(f2, k * fs))[0], f0)


cdef void real_comb_vec(const real_t* f0, const real_t* f1, const real_t* f2, Py_ssize_t fs,
                        char* o, Py_ssize_t os, Py_ssize_t m,
                        const calc_t* a, const calc_t* b, const calc_t* c) noexcept nogil:
    """o[k] = (a[k]*f0[k] + b[k]*f1[k]) + c[k]*f2[k] with precomputed coefficients."""
    cdef Py_ssize_t k
    cdef Py_ssize_t osize = sizeof(float) if real_t is float else sizeof(double)
    if fs == sizeof(real_t) and os == osize:
        for k in range(m):
            store_real(o, k, (a[k] * <calc_t>f0[k] + b[k] * <calc_t>f1[k]) + c[k] * <calc_t>f2[k], f0)
    else:
        for k in range(m):
            store_real(o + k * os, 0,
                       (a[k] * <calc_t>(<const real_t*>at(f0, k * fs))[0]
                        + b[k] * <calc_t>(<const real_t*>at(f1, k * fs))[0])
                       + c[k] * <calc_t>(<const real_t*>at(f2, k * fs))[0], f0)

