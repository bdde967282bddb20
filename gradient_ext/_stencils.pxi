"""Compiled finite-difference stencils of gradient_ext.

This file is compiled twice, by ``_kernels.pyx`` for any x86-64 (or other)
CPU and by ``_kernels_avx2.pyx`` with AVX2 enabled; ``_api`` picks the one the
CPU runs.  AVX2 only widens the vectors: the operations, and so the bits, are
the same (no FMA: ``-ffp-contract=off``).

The Python wrapper (``_api.py``) decides *what* numpy.gradient would compute:
which axes, which coefficients, in which precision.  This module runs the
arithmetic over memory it is handed, without the GIL, and also holds
``fast_gradient``, which makes those decisions itself for the common calls
(no spacing, one scalar, float64 coordinates) so they cost well under a
microsecond of Python-level work.

Bit-identity with numpy is a property of this code, not luck:

* each output element is computed with the same operations, in the same order
  and the same precision as numpy's whole-array expressions
  (``(f[i+1] - f[i-1]) / (2h)``, ``(a*f0 + b*f1) + c*f2``, true division);
* the difference ``f[i+1] - f[i-1]`` is taken in the input's own precision
  (float32 stays float32, integers are widened to float64 first, as numpy
  converts them), and only then widened to the computation precision, which
  follows NEP 50 and is chosen by the wrapper (``wide`` flags);
* complex data is divided by a real spacing with numpy's complex division
  algorithm (a reciprocal ``scl`` times ``re + im*rat``), and multiplied by a
  real coefficient as ``(c + 0j) * z``, so inf/NaN cross components as in numpy;
* the build passes ``-ffp-contract=off``: no fused multiply-add.

Geometry.  The wrapper's arrays are viewed through a *tiling*: dimensions are
ordered like the first output in memory (largest stride first), length-1
dimensions dropped and neighbours merged where every array allows it.  The
last dimension is the *line*: the contiguous direction of the output.  Every
unit of work is a run of whole lines (or one segment of a long line); for each
line, every requested axis is computed:

* an axis along the line is a 1-D stencil over the line;
* any other axis combines whole lines of ``f`` at positions ``i-1, i, i+1``,
  so the innermost loop still runs over the contiguous line and vectorises.

All requested axes are computed line by line in one sweep, so the lines of
``f`` around the current one are read from cache for every axis.  Units are
independent output lines, so OpenMP may split them among threads and the
result never depends on the thread count.

Kernels take raw pointers and byte strides (as scipy's ``_upfirdn_apply``
does) rather than typed memoryviews: acquiring two memoryviews costs about
0.7 us on this class of machine, half the whole budget of a small call.
"""

from cython.parallel cimport prange
from cpython.mem cimport PyMem_RawMalloc, PyMem_RawFree
from cpython.ref cimport Py_INCREF
from libc.math cimport fabs
from libc.string cimport memcpy
from libc.stdint cimport (int8_t, int16_t, int32_t, int64_t,
                          uint8_t, uint16_t, uint32_t, uint64_t)
cimport numpy as cnp
import numpy as np

cnp.import_array()
gx_watch_fork()

cdef extern from *:
    """
    #ifdef _OPENMP
    #include <omp.h>
    #define GX_HAVE_OPENMP 1
    static int gx_omp_max_threads(void) { return omp_get_max_threads(); }
    #else
    #define GX_HAVE_OPENMP 0
    static int gx_omp_max_threads(void) { return 1; }
    #endif

    /* GNU OpenMP's thread pool does not survive fork(): a forked child that
       enters a parallel region waits forever for threads that exist only in
       the parent.  Whoever started that pool (we, or any other library on the
       same runtime), a forked child runs every call serially until it execs;
       the results are the same bits.  Spawned processes start fresh. */
    #if defined(_OPENMP) && !defined(_WIN32)
    #include <pthread.h>
    static volatile int gx_forked = 0;
    static void gx_mark_forked_child(void) { gx_forked = 1; }
    static void gx_watch_fork(void) { pthread_atfork(NULL, NULL, gx_mark_forked_child); }
    #else
    static const int gx_forked = 0;
    static void gx_watch_fork(void) { }
    #endif
    static int gx_in_forked_child(void) { return gx_forked; }
    """
    int GX_HAVE_OPENMP
    int gx_omp_max_threads() nogil
    void gx_watch_fork() noexcept
    int gx_in_forked_child() noexcept nogil

cdef extern from "numpy/arrayobject.h":
    # Declared here because numpy's .pxd lacks it; `descr` is a stolen reference.
    object PyArray_NewLikeArray(cnp.ndarray prototype, cnp.NPY_ORDER order,
                                cnp.PyArray_Descr* descr, int subok)


# ---------------------------------------------------------------------------
# Element types
# ---------------------------------------------------------------------------

ctypedef float complex cfloat_t      # storage of complex64: (re, im) float pair
ctypedef double complex cdouble_t    # storage of complex128

ctypedef fused real_t:          # real input types (integers are read as float64)
    float
    double
    int8_t
    int16_t
    int32_t
    int64_t
    uint8_t
    uint16_t
    uint32_t
    uint64_t

ctypedef fused src_t:           # every input type the driver handles
    float
    double
    int8_t
    int16_t
    int32_t
    int64_t
    uint8_t
    uint16_t
    uint32_t
    uint64_t
    cfloat_t
    cdouble_t

ctypedef fused part_t:          # one component of a complex input
    float
    double

ctypedef fused calc_t:          # the precision numpy computes in
    float
    double

ctypedef fused coord_t:         # precision of the coordinate differences
    float
    double

cdef enum:
    MAX_DIMS = 64
    # Elements per unit of work: long lines are cut into segments this long and
    # short lines grouped until a unit holds about this many, so units stay
    # cache-sized and there are enough of them to share among threads.
    UNIT_ELEMENTS = 4096
    # Below this many output elements (8 MB of float64) a call stays on one
    # thread: waking a team, and the risk of waiting for a thread the OS has
    # not scheduled yet, cost more than the arithmetic saves.
    PARALLEL_MIN_ELEMENTS = 1 << 20
    # Explicit worker counts above this are clamped (by _api) to it.
    MAX_WORKERS = 1024


cdef inline const char* at(const void* p, Py_ssize_t offset) noexcept nogil:
    return <const char*>p + offset


cdef struct AxisPlan:
    # Where and what to compute for one requested axis.
    int axis                    # axis of the caller's array
    int dim                     # the same axis in the tiling
    char* out
    Py_ssize_t ostride[MAX_DIMS]   # output strides, in tiling order
    int edge_order
    bint wide                   # interior computed in float64 (else float32)
    bint edge_wide              # edges computed in float64 (else float32)
    double h2                   # uniform spacing: interior divisor 2*h
    double dx_lo, dx_hi         # edge_order 1: divisors at the two ends
    double lo[3]                # edge_order 2: coefficients of f[0], f[1], f[2]
    double hi[3]                # edge_order 2: coefficients of f[-3], f[-2], f[-1]
    const void* x               # uneven spacing: the coordinates (contiguous), else NULL
    bint x_double               # ... as float64 (else float32)
    void* coef                  # a, b, c rows precomputed when many lines share them


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
                    char* o, Py_ssize_t os, Py_ssize_t m, calc_t h) noexcept nogil:
    """o[k] = (fp[k] - fm[k]) / h  -- central difference or first-order edge."""
    cdef Py_ssize_t k
    cdef Py_ssize_t osize = sizeof(float) if real_t is float else sizeof(double)
    cdef calc_t r
    if fs == sizeof(real_t) and os == osize:
        if exact_reciprocal(h, &r):
            for k in range(m):
                store_real(o, k, real_delta(fp[k], fm[k], h) * r, fp)
        else:
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


# ---------------------------------------------------------------------------
# Dispatch of one operation on the element type and the precision flag
# ---------------------------------------------------------------------------

cdef inline void op_diff(const src_t* fp, const src_t* fm, Py_ssize_t fs,
                         char* o, Py_ssize_t os, Py_ssize_t m,
                         double h, bint wide) noexcept nogil:
    if src_t is cfloat_t:
        if wide:
            cplx_diff(<const float*>fp, <const float*>fm, fs, <float*>o, os, m, <double>h)
        else:
            cplx_diff(<const float*>fp, <const float*>fm, fs, <float*>o, os, m, <float>h)
    elif src_t is cdouble_t:
        cplx_diff(<const double*>fp, <const double*>fm, fs, <double*>o, os, m, <double>h)
    elif src_t is float:
        if wide:
            real_diff(fp, fm, fs, o, os, m, <double>h)
        else:
            real_diff(fp, fm, fs, o, os, m, <float>h)
    else:
        real_diff(fp, fm, fs, o, os, m, <double>h)


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


# ---------------------------------------------------------------------------
# Plans and tiling
# ---------------------------------------------------------------------------

cdef struct Tiling:
    int nd
    Py_ssize_t shape[MAX_DIMS]
    Py_ssize_t fstride[MAX_DIMS]
    Py_ssize_t nlines           # product of all but the last dimension
    Py_ssize_t seg_len          # elements of a line per unit
    Py_ssize_t nsegs            # segments per line
    Py_ssize_t lines_per_unit
    Py_ssize_t line_blocks      # ceil(nlines / lines_per_unit)


cdef void line_stencil(const src_t* fl, Py_ssize_t fs, char* ol, Py_ssize_t os,
                       Py_ssize_t n, Py_ssize_t k0, Py_ssize_t k1,
                       const AxisPlan* p) noexcept nogil:
    """Outputs k0..k1-1 of an axis that runs along the line (length n)."""
    cdef Py_ssize_t j0 = k0 if k0 > 1 else 1
    cdef Py_ssize_t j1 = k1 if k1 < n - 1 else n - 1
    if j1 > j0:
        if p.x == NULL:
            op_diff(<const src_t*>at(fl, (j0 + 1) * fs), <const src_t*>at(fl, (j0 - 1) * fs), fs,
                    ol + j0 * os, os, j1 - j0, p.h2, p.wide)
        elif p.coef != NULL:
            op_comb_vec(<const src_t*>at(fl, (j0 - 1) * fs), <const src_t*>at(fl, j0 * fs),
                        <const src_t*>at(fl, (j0 + 1) * fs), fs, ol + j0 * os, os, j1 - j0,
                        p, n, j0)
        else:
            op_comb_uneven(<const src_t*>at(fl, (j0 - 1) * fs), <const src_t*>at(fl, j0 * fs),
                           <const src_t*>at(fl, (j0 + 1) * fs), fs, ol + j0 * os, os, j1 - j0,
                           p, j0)
    if k0 == 0:
        if p.edge_order == 1:
            op_diff(<const src_t*>at(fl, fs), fl, fs, ol, os, 1, p.dx_lo, p.edge_wide)
        else:
            op_comb(fl, <const src_t*>at(fl, fs), <const src_t*>at(fl, 2 * fs), fs,
                    ol, os, 1, p.lo, p.edge_wide)
    if k1 == n:
        if p.edge_order == 1:
            op_diff(<const src_t*>at(fl, (n - 1) * fs), <const src_t*>at(fl, (n - 2) * fs), fs,
                    ol + (n - 1) * os, os, 1, p.dx_hi, p.edge_wide)
        else:
            op_comb(<const src_t*>at(fl, (n - 3) * fs), <const src_t*>at(fl, (n - 2) * fs),
                    <const src_t*>at(fl, (n - 1) * fs), fs, ol + (n - 1) * os, os, 1,
                    p.hi, p.edge_wide)


cdef void across_lines(const src_t* fr, Py_ssize_t s, Py_ssize_t fs, char* orow, Py_ssize_t os,
                       Py_ssize_t i, Py_ssize_t n, Py_ssize_t m,
                       const AxisPlan* p) noexcept nogil:
    """m outputs of a line at position i of an axis across lines (stride s in f)."""
    cdef double abc[3]
    if 0 < i < n - 1:
        if p.x == NULL:
            op_diff(<const src_t*>at(fr, s), <const src_t*>at(fr, -s), fs, orow, os, m,
                    p.h2, p.wide)
        else:
            line_coefficients(p, i, abc)     # one triple for the whole line
            op_comb(<const src_t*>at(fr, -s), fr, <const src_t*>at(fr, s), fs, orow, os, m,
                    abc, p.wide)
    elif i == 0:
        if p.edge_order == 1:
            op_diff(<const src_t*>at(fr, s), fr, fs, orow, os, m, p.dx_lo, p.edge_wide)
        else:
            op_comb(fr, <const src_t*>at(fr, s), <const src_t*>at(fr, 2 * s), fs, orow, os, m,
                    p.lo, p.edge_wide)
    else:
        if p.edge_order == 1:
            op_diff(fr, <const src_t*>at(fr, -s), fs, orow, os, m, p.dx_hi, p.edge_wide)
        else:
            op_comb(<const src_t*>at(fr, -2 * s), <const src_t*>at(fr, -s), fr, fs, orow, os, m,
                    p.hi, p.edge_wide)


cdef void run_unit(const src_t* f, const Tiling* t, const AxisPlan* plans, int nplans,
                   Py_ssize_t unit) noexcept nogil:
    """All requested axes for the lines and segment of one unit of work."""
    cdef int last = t.nd - 1, d, q
    cdef Py_ssize_t seg = unit // t.line_blocks
    cdef Py_ssize_t block = unit - seg * t.line_blocks
    cdef Py_ssize_t k0 = seg * t.seg_len
    cdef Py_ssize_t k1 = min(k0 + t.seg_len, t.shape[last])
    cdef Py_ssize_t l0 = block * t.lines_per_unit
    cdef Py_ssize_t l1 = min(l0 + t.lines_per_unit, t.nlines)
    cdef Py_ssize_t idx[MAX_DIMS]
    cdef Py_ssize_t line, rest, foff, ooff
    cdef const AxisPlan* p
    cdef Py_ssize_t fs = t.fstride[last]
    # Multi-index of the first line of the unit; later lines step an odometer.
    rest = l0
    for d in range(last - 1, -1, -1):
        idx[d] = rest % t.shape[d]
        rest = rest // t.shape[d]
    for line in range(l0, l1):
        foff = k0 * fs
        for d in range(last):
            foff += idx[d] * t.fstride[d]
        for q in range(nplans):
            p = &plans[q]
            ooff = k0 * p.ostride[last]
            for d in range(last):
                ooff += idx[d] * p.ostride[d]
            if p.dim == last:
                line_stencil(<const src_t*>at(f, foff - k0 * fs), fs,
                             p.out + ooff - k0 * p.ostride[last], p.ostride[last],
                             t.shape[last], k0, k1, p)
            else:
                across_lines(<const src_t*>at(f, foff), t.fstride[p.dim], fs,
                             p.out + ooff, p.ostride[last],
                             idx[p.dim], t.shape[p.dim], k1 - k0, p)
        d = last - 1
        while d >= 0:
            idx[d] += 1
            if idx[d] < t.shape[d]:
                break
            idx[d] = 0
            d -= 1


cdef void run_all(const src_t* f, const Tiling* t, const AxisPlan* plans, int nplans,
                  int nthreads) noexcept nogil:
    cdef Py_ssize_t unit, nunits = t.nsegs * t.line_blocks
    if nthreads > nunits:
        nthreads = <int>nunits         # never more threads than units of work
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


cdef int tile(cnp.ndarray f, list outs, AxisPlan* plans, int nplans, Tiling* t) except -1:
    """Order, drop and merge the dimensions shared by f and the outputs.

    Dimensions follow the first output's strides, largest first, so its writes
    are sequential; length-1 dimensions are dropped; neighbours that are not
    gradient axes merge when f and every output step over them as one.
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
    t.nlines = 1
    for d in range(nd - 1):
        t.nlines *= t.shape[d]
    cdef Py_ssize_t length = t.shape[nd - 1]
    if length >= UNIT_ELEMENTS:
        t.seg_len = UNIT_ELEMENTS
        t.nsegs = (length + UNIT_ELEMENTS - 1) // UNIT_ELEMENTS
        t.lines_per_unit = 1
    else:
        t.seg_len = length
        t.nsegs = 1
        t.lines_per_unit = UNIT_ELEMENTS // length
    t.line_blocks = (t.nlines + t.lines_per_unit - 1) // t.lines_per_unit
    return 0


# ---------------------------------------------------------------------------
# Entry points
# ---------------------------------------------------------------------------

cdef enum Kind:
    K_NONE, K_F32, K_F64, K_C64, K_C128, K_I8, K_I16, K_I32, K_I64, K_U8, K_U16, K_U32, K_U64


cdef Kind kind_of(cnp.ndarray f) noexcept:
    """The kernel for f's dtype, or K_NONE (then numpy's own code runs)."""
    if not (cnp.PyArray_ISNOTSWAPPED(f) and cnp.PyArray_ISALIGNED(f)):
        return K_NONE
    cdef int num = cnp.PyArray_TYPE(f)
    if num == cnp.NPY_DOUBLE: return K_F64
    if num == cnp.NPY_FLOAT: return K_F32
    if num == cnp.NPY_CDOUBLE: return K_C128
    if num == cnp.NPY_CFLOAT: return K_C64
    if num == cnp.NPY_BYTE: return K_I8
    if num == cnp.NPY_UBYTE: return K_U8
    if num == cnp.NPY_SHORT: return K_I16
    if num == cnp.NPY_USHORT: return K_U16
    if num == cnp.NPY_INT: return K_I32
    if num == cnp.NPY_UINT: return K_U32
    if num == cnp.NPY_LONGLONG: return K_I64
    if num == cnp.NPY_ULONGLONG: return K_U64
    if num == cnp.NPY_LONG: return K_I64 if sizeof(long) == 8 else K_I32
    if num == cnp.NPY_ULONG: return K_U64 if sizeof(long) == 8 else K_U32
    return K_NONE


cdef inline bint is_narrow(Kind kind) noexcept:
    # float32 and complex64 data keep float32 arithmetic unless a spacing promotes.
    return kind == K_F32 or kind == K_C64


cdef int execute(cnp.ndarray f, Kind kind, list outs, AxisPlan* plans, int nplans,
                 int nthreads) except -1:
    cdef Tiling t
    cdef const void* data = cnp.PyArray_DATA(f)
    cdef Py_ssize_t size = cnp.PyArray_SIZE(f)
    cdef int q
    if size == 0 or nplans == 0:
        return 0
    for q in range(nplans):
        plans[q].out = <char*>cnp.PyArray_DATA(<cnp.ndarray>outs[q])
    tile(f, outs, plans, nplans, &t)
    if size * nplans < PARALLEL_MIN_ELEMENTS or gx_in_forked_child():
        nthreads = 1
    cdef Py_ssize_t n = t.shape[t.nd - 1]
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


cdef object new_output(cnp.ndarray f, Kind kind):
    """np.empty_like(f, dtype=otype) through the C API (a tenth of the cost)."""
    cdef cnp.dtype descr
    if kind == K_F64 or kind == K_F32 or kind == K_C128 or kind == K_C64:
        descr = f.dtype
    else:
        descr = cnp.PyArray_DescrFromType(cnp.NPY_DOUBLE)
    Py_INCREF(descr)
    return PyArray_NewLikeArray(f, cnp.NPY_KEEPORDER, <cnp.PyArray_Descr*>descr, 0)


cdef void init_plan(AxisPlan* p, int axis, int edge_order, bint wide) noexcept:
    # What every plan starts from; the spacing-specific fields follow.
    p.axis = axis
    p.dim = -1
    p.edge_order = edge_order
    p.wide = wide
    p.edge_wide = wide
    p.x = NULL
    p.coef = NULL
    p.h2 = 0


cdef void uniform_plan(AxisPlan* p, int axis, int edge_order, double h, bint wide,
                       bint single) noexcept:
    # numpy: interior / (2. * h); ends / h, or -1.5/h, 2./h, -0.5/h and mirror;
    # an np.float32 spacing (`single`) makes those float32 operations.
    cdef float hf = <float>h
    init_plan(p, axis, edge_order, wide)
    p.dx_lo = h
    p.dx_hi = h
    if single:
        p.h2 = <float>2 * hf
    else:
        p.h2 = 2. * h
    if edge_order == 2 and single:
        p.lo[0] = <float>-1.5 / hf
        p.lo[1] = <float>2 / hf
        p.lo[2] = <float>-0.5 / hf
        p.hi[0] = <float>0.5 / hf
        p.hi[1] = <float>-2 / hf
        p.hi[2] = <float>1.5 / hf
    elif edge_order == 2:
        p.lo[0] = -1.5 / h
        p.lo[1] = 2. / h
        p.lo[2] = -0.5 / h
        p.hi[0] = 0.5 / h
        p.hi[1] = -2. / h
        p.hi[2] = 1.5 / h


cdef void uneven_plan(AxisPlan* p, int axis, int edge_order, cnp.ndarray x,
                      bint wide) noexcept:
    # The interior coefficients come from x in the kernels; the edge ones here.
    init_plan(p, axis, edge_order, wide)
    p.x = cnp.PyArray_DATA(x)
    p.x_double = cnp.PyArray_TYPE(x) == cnp.NPY_DOUBLE
    if p.x_double:
        uneven_edges(p, <const double*>p.x, cnp.PyArray_DIMS(x)[0])
    else:
        uneven_edges(p, <const float*>p.x, cnp.PyArray_DIMS(x)[0])


cdef void uneven_edges(AxisPlan* p, const coord_t* x, Py_ssize_t n) noexcept:
    # numpy's expressions on dx = np.diff(x): the same operations, in the
    # coordinates' precision (numpy scalars of x's dtype).
    cdef coord_t two = 2, dx1, dx2
    p.dx_lo = x[1] - x[0]
    p.dx_hi = x[n - 1] - x[n - 2]
    if p.edge_order == 2:
        dx1 = x[1] - x[0]
        dx2 = x[2] - x[1]
        p.lo[0] = -(two * dx1 + dx2) / (dx1 * (dx1 + dx2))
        p.lo[1] = (dx1 + dx2) / (dx1 * dx2)
        p.lo[2] = - dx1 / (dx2 * (dx1 + dx2))
        dx1 = x[n - 2] - x[n - 3]
        dx2 = x[n - 1] - x[n - 2]
        p.hi[0] = (dx2) / (dx1 * (dx1 + dx2))
        p.hi[1] = - (dx2 + dx1) / (dx1 * dx2)
        p.hi[2] = (two * dx2 + dx1) / (dx2 * (dx1 + dx2))


cdef bint is_coordinate_vector(object v, Py_ssize_t n) noexcept:
    """A native, contiguous float64 1-D ndarray of length n (the fast path's coordinates)."""
    if type(v) is not cnp.ndarray:
        return False
    cdef cnp.ndarray x = <cnp.ndarray>v
    return (cnp.PyArray_NDIM(x) == 1 and cnp.PyArray_TYPE(x) == cnp.NPY_DOUBLE
            and cnp.PyArray_DIMS(x)[0] == n and cnp.PyArray_ISNOTSWAPPED(x)
            and cnp.PyArray_ISCARRAY_RO(x))


TOO_SMALL = ("Shape of array too small to calculate a numerical gradient, "
             "at least (edge_order + 1) elements are required.")

cdef Py_ssize_t _usable_cpus = 1
cdef object _NP_FLOAT64 = np.float64
cdef object _NP_FLOAT32 = np.float32


MAX_THREADS = MAX_WORKERS


def set_usable_cpus(int n):
    """Record how many CPUs this process may use (the wrapper measures it)."""
    global _usable_cpus
    _usable_cpus = max(1, n)


def openmp_enabled():
    """Whether the kernels were compiled with OpenMP."""
    return bool(GX_HAVE_OPENMP)


cpdef int default_threads() noexcept:
    """Threads a call with workers=None uses: OpenMP's setting, capped by the CPUs
    (1 in a forked child, where the OpenMP runtime cannot start threads)."""
    if gx_in_forked_child():
        return 1
    return max(1, min(gx_omp_max_threads(), _usable_cpus))


cdef bint extents_overlap(cnp.ndarray a, cnp.ndarray b) noexcept:
    """Whether the byte ranges a and b can touch (False proves no shared memory)."""
    cdef char* alo
    cdef char* ahi
    cdef char* blo
    cdef char* bhi
    if cnp.PyArray_SIZE(a) == 0 or cnp.PyArray_SIZE(b) == 0:
        return False
    extent(a, &alo, &ahi)
    extent(b, &blo, &bhi)
    return alo < bhi and blo < ahi


cdef void extent(cnp.ndarray a, char** lo, char** hi) noexcept:
    cdef int d
    cdef Py_ssize_t step
    lo[0] = <char*>cnp.PyArray_DATA(a)
    hi[0] = lo[0] + cnp.PyArray_ITEMSIZE(a)
    for d in range(cnp.PyArray_NDIM(a)):
        step = (cnp.PyArray_DIMS(a)[d] - 1) * cnp.PyArray_STRIDES(a)[d]
        if step < 0:
            lo[0] += step
        else:
            hi[0] += step


cpdef bint overlaps_itself(cnp.ndarray a) noexcept:
    """Whether two elements of `a` may share memory (a writeable broadcast view...).

    Conservative: True unless, with dimensions sorted by |stride|, each stride
    steps over everything the smaller ones span (every sliced, transposed or
    reversed view of a block of memory passes).
    """
    cdef int d, j, k, nd = cnp.PyArray_NDIM(a)
    cdef int order[MAX_DIMS]
    cdef Py_ssize_t span = cnp.PyArray_ITEMSIZE(a), step
    cdef cnp.npy_intp* shape = cnp.PyArray_DIMS(a)
    cdef cnp.npy_intp* st = cnp.PyArray_STRIDES(a)
    for d in range(nd):
        order[d] = d
        j = d
        while j > 0 and abs(st[order[j - 1]]) > abs(st[d]):   # insertion sort
            order[j] = order[j - 1]
            j -= 1
        order[j] = d
    for j in range(nd):
        k = order[j]
        if shape[k] > 1:
            step = abs(st[k])
            if step < span:
                return True
            span += (shape[k] - 1) * step
    return False


cdef list user_outputs(object out, cnp.ndarray a, Kind kind, int nplans):
    """The caller's out= arrays when the fast path may write them as they are.

    None sends the call to the wrapper, which validates `out` fully (and
    raises, or proves that overlapping extents share no memory).
    """
    cdef int want, d, k
    cdef cnp.ndarray o
    if type(out) is cnp.ndarray and nplans == 1:
        outs = [out]
    elif (type(out) is list or type(out) is tuple) and len(out) == nplans:
        outs = list(out)
    else:
        return None
    if kind == K_F32:
        want = cnp.NPY_FLOAT
    elif kind == K_C64:
        want = cnp.NPY_CFLOAT
    elif kind == K_C128:
        want = cnp.NPY_CDOUBLE
    else:
        want = cnp.NPY_DOUBLE
    for k in range(nplans):
        if type(outs[k]) is not cnp.ndarray:
            return None
        o = <cnp.ndarray>outs[k]
        if cnp.PyArray_NDIM(o) != cnp.PyArray_NDIM(a) or cnp.PyArray_TYPE(o) != want:
            return None
        for d in range(cnp.PyArray_NDIM(a)):
            if cnp.PyArray_DIMS(o)[d] != cnp.PyArray_DIMS(a)[d]:
                return None
        if not (cnp.PyArray_ISNOTSWAPPED(o) and cnp.PyArray_ISALIGNED(o)
                and cnp.PyArray_ISWRITEABLE(o)) or extents_overlap(o, a) or overlaps_itself(o):
            return None
        for d in range(k):
            if extents_overlap(o, <cnp.ndarray>outs[d]):
                return None
    return outs


def fast_gradient(f, tuple varargs, axis, edge_order, workers, out):
    """numpy.gradient for the common calls, or None for the general path.

    Covered: an exact ndarray of a kernel dtype; no spacing, one Python
    int/float or np.float64/np.float32 scalar, or one contiguous float64
    coordinate vector per axis; axis None or an int; edge_order the int 1 or
    2; workers None or a positive int; out None or arrays that are plainly
    valid.  Everything else, including every error but the two below (raised
    in numpy's order), is left to the wrapper.
    """
    if type(f) is not cnp.ndarray:
        return None
    cdef cnp.ndarray a = <cnp.ndarray>f
    cdef Kind kind = kind_of(a)
    cdef int ndim = cnp.PyArray_NDIM(a), nplans, q, eo, nthreads
    cdef double h = 1.0
    cdef bint weak = True, wide, single = False
    cdef cnp.ndarray x
    cdef const double* xd
    cdef Py_ssize_t n
    cdef AxisPlan plans[MAX_DIMS]
    if kind == K_NONE or ndim == 0:
        return None
    if type(edge_order) is not int or (edge_order != 1 and edge_order != 2):
        return None
    eo = edge_order
    if workers is None:
        nthreads = default_threads()
    elif type(workers) is int and 1 <= workers <= MAX_WORKERS:
        nthreads = workers
    else:
        return None
    cdef bint coordinates = False
    if len(varargs) >= 1 and type(varargs[0]) is cnp.ndarray:
        coordinates = True              # one float64 coordinate vector per axis
    elif len(varargs) == 1:
        spacing = varargs[0]
        if type(spacing) is float:
            h = spacing
        elif type(spacing) is int and -2**53 < spacing < 2**53:
            h = spacing                 # exact in a double, so one rounding as numpy
        elif type(spacing) is _NP_FLOAT64:
            h = spacing                 # strong (NEP 50): float32 data computes in float64
            weak = False
        elif type(spacing) is _NP_FLOAT32:
            h = spacing                 # strong, and its coefficients are float32 maths
            weak = False
            single = True
        else:
            return None
    elif len(varargs) != 0:
        return None
    if axis is None:
        nplans = ndim
        for q in range(ndim):
            plans[q].axis = q
    elif type(axis) is int and -ndim <= axis < ndim:
        nplans = 1
        plans[0].axis = axis + ndim if axis < 0 else axis
    else:
        return None
    if coordinates:
        if len(varargs) != nplans:
            return None
        for q in range(nplans):
            if not is_coordinate_vector(varargs[q], cnp.PyArray_DIMS(a)[plans[q].axis]):
                return None
    cdef list outs = []
    if out is not None:
        outs = user_outputs(out, a, kind, nplans)
        if outs is None:
            return None
    for q in range(nplans):
        if cnp.PyArray_DIMS(a)[plans[q].axis] < eo + 1:
            raise ValueError(TOO_SMALL)
        if coordinates:
            x = <cnp.ndarray>varargs[q]
            xd = <const double*>cnp.PyArray_DATA(x)
            n = cnp.PyArray_DIMS(x)[0]
            if _evenly_spaced(xd, n):
                # numpy collapses even coordinates to the strong scalar diff[0]
                uniform_plan(&plans[q], plans[q].axis, eo, xd[1] - xd[0], True, False)
            else:
                uneven_plan(&plans[q], plans[q].axis, eo, x, True)   # float64: all wide
        else:
            if eo == 2 and h == 0 and weak:
                raise ZeroDivisionError("float division by zero")   # numpy's -1.5 / 0.0
            wide = not is_narrow(kind) or (not weak and not single)
            uniform_plan(&plans[q], plans[q].axis, eo, h, wide, single)
        if out is None:
            outs.append(new_output(a, kind))
    execute(a, kind, outs, plans, nplans, nthreads)
    return outs[0] if nplans == 1 else tuple(outs)


def run(cnp.ndarray f, list outs, list specs, int nthreads):
    """Fill `outs` with the gradients described by `specs` (built by _api).

    A spec is ``(axis, edge_order, wide, coords)`` for uneven float32/float64
    coordinates (C-contiguous; every coefficient is derived from them here), or
    ``(axis, edge_order, wide, edge_wide, h2, h, lo, hi)`` for a uniform
    spacing, with the coefficients already rounded as numpy rounds them:
    the interior divisor ``2*h``, the edge_order 1 divisor ``h``, and the
    edge_order 2 triples ``lo``/``hi``.  ``wide``: computed in float64.
    Returns False when f's dtype has no kernel.
    """
    cdef Kind kind = kind_of(f)
    cdef AxisPlan plans[MAX_DIMS]
    cdef int q, j
    if kind == K_NONE:
        return False
    for q, spec in enumerate(specs):
        if len(spec) == 4:
            axis, edge_order, wide, coords = spec   # kept alive by `specs` for the call
            uneven_plan(&plans[q], axis, edge_order, coords, wide)
            continue
        # numpy's coefficients, already computed by the wrapper: copied as they are
        axis, edge_order, wide, edge_wide, h2, h, lo, hi = spec
        init_plan(&plans[q], axis, edge_order, wide)
        plans[q].edge_wide = edge_wide
        plans[q].h2 = h2
        plans[q].dx_lo = h
        plans[q].dx_hi = h
        for j in range(3):
            plans[q].lo[j] = lo[j]
            plans[q].hi[j] = hi[j]
    execute(f, kind, outs, plans, len(specs), nthreads)
    return True


def evenly_spaced(cnp.ndarray x):
    """numpy's ``(np.diff(x) == np.diff(x)[0]).all()`` in one pass, for float x."""
    cdef Py_ssize_t k, n = cnp.PyArray_DIMS(x)[0]
    if cnp.PyArray_TYPE(x) == cnp.NPY_DOUBLE:
        return _evenly_spaced(<const double*>cnp.PyArray_DATA(x), n)
    return _evenly_spaced(<const float*>cnp.PyArray_DATA(x), n)


cdef bint _evenly_spaced(const coord_t* x, Py_ssize_t n) noexcept nogil:
    cdef coord_t first = x[1] - x[0]
    cdef Py_ssize_t k
    for k in range(1, n - 1):
        if not (x[k + 1] - x[k] == first):
            return False
    return first == first           # a NaN difference never equals itself
