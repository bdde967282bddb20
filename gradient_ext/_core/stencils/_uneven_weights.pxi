# First-derivative weights on uneven coordinates (accuracy > 2), the table of
# every point of an axis, computed once per axis with the GIL released.
#
# The weights at node z_c of nodes z_0 .. z_{T-1} are the derivatives of the
# Lagrange basis there (what Fornberg's algorithm computes, for the first
# derivative only, in closed form):
#
#   s   = 2**-e, e the binary exponent of z_{T-1} - z_0   (exact scaling)
#   u_k = (z_k - z_c) * s
#   w_j = N_j / D_j  for j != c,  N_j = prod u_k,  Q_j = prod (u_k - u_j),
#                    D_j = Q_j * u_j    (products over k != j, c, in increasing k)
#   w_c = -(sum of 1/u_j = Q_j / D_j, j != c, in increasing j)
#   and every w times s.
#
# Only products and quotients, except the centre's sum of reciprocals, which
# does not cancel at a one-sided end (summing the other weights would: their
# rounding, times a large f, can swamp the derivative on very uneven grids).
#
# The reciprocals 1/D_j of up to INV_GROUP consecutive off-centre taps share
# one division (running products, then one reciprocal unwound), unless the
# group's product falls below TINY (very uneven spacing): then each 1/D_j is a
# division of its own.  The exact scaling keeps the products near 1 whatever
# the units of the coordinates.  Every point is computed by this sequence of
# operations, whichever loop computes it: the vectorised loop over runs of
# central points (`central_weights`) does for each point what `point_weights`
# does, so the weights, and the results, do not depend on threads or chunking.

cdef extern from *:
    """
    #include <stdint.h>
    #include <string.h>
    /* 2**-e for the binary exponent e of d: an exact power of two. */
    static inline double gx_pow2_inverse(double d) {
        uint64_t b;
        memcpy(&b, &d, sizeof b);
        b = (uint64_t)(2046 - (int64_t)((b >> 52) & 0x7ff)) << 52;
        memcpy(&d, &b, sizeof d);
        return d;
    }
    """
    double gx_pow2_inverse(double d) noexcept nogil

cdef enum:
    FIRST_TAPS = 9              # the widest first-derivative stencil (accuracy 8)
    INV_GROUP = 4               # reciprocals per division
    WEIGHT_CHUNK = 128          # points per pass of the vectorised loops
    # Central points from which the table is computed by several threads, in
    # blocks of WEIGHT_BLOCK points handed out dynamically.
    WEIGHT_PARALLEL_MIN = 1 << 18
    WEIGHT_BLOCK = 1 << 13

# Below this a group's product is unwound no further (2**-960: far from subnormal).
cdef double TINY = 1.0 / (<double>(1 << 30) ** 32)


cdef void group_reciprocals(const double* d, double* r, int g) noexcept nogil:
    """r[m] = 1/d[m] for the g values of one group, with one division where safe."""
    cdef double p[INV_GROUP]
    cdef double q
    cdef int m
    p[0] = d[0]
    for m in range(1, g):
        p[m] = p[m - 1] * d[m]
    if not fabs(p[g - 1]) >= TINY:
        for m in range(g):
            r[m] = 1 / d[m]
        return
    q = 1 / p[g - 1]
    for m in range(g - 1, 0, -1):
        r[m] = q * p[m - 1]
        q = q * d[m]
    r[0] = q


cdef void point_weights(const double* z, int T, int c, double* w) noexcept nogil:
    """The weights at z[c] from nodes z[0 .. T-1] (the formula above) into w[0 .. T-1]."""
    cdef double s = gx_pow2_inverse(z[T - 1] - z[0])
    cdef double u[MAX_TAPS]          # off-centre taps, compact: tap j is j - (j > c)
    cdef double num[MAX_TAPS]
    cdef double part[MAX_TAPS]
    cdef double den[MAX_TAPS]
    cdef double inv[MAX_TAPS]
    cdef double total = 0
    cdef int j, k, g
    for j in range(T - 1):
        u[j] = (z[j + (j >= c)] - z[c]) * s
    for j in range(T - 1):
        num[j] = 1
        part[j] = 1
        for k in range(T - 1):
            if k != j:
                num[j] = num[j] * u[k]
                part[j] = part[j] * (u[k] - u[j])
        den[j] = part[j] * u[j]
    g = 0
    while g < T - 1:
        group_reciprocals(den + g, inv + g, min(INV_GROUP, T - 1 - g))
        g += INV_GROUP
    for j in range(T - 1):
        num[j] = num[j] * inv[j]
        total = total + part[j] * inv[j]
    for j in range(T):
        w[j] = (-total if j == c else num[j - (j > c)]) * s


cdef void central_weights(const double* xc, Py_ssize_t m, int h, double* w,
                          Py_ssize_t n) noexcept nogil:
    """point_weights of the m points xc[0 .. m-1] (nodes xc[i-h .. i+h], centre h),
    into the tap-major table w (w[t*n + i]): each step over WEIGHT_CHUNK points
    at a time (loops that vectorise), the same operations as point_weights."""
    cdef double s[WEIGHT_CHUNK]
    cdef double u[2 * (FIRST_TAPS - 1) * WEIGHT_CHUNK]
    cdef double* num = u + (FIRST_TAPS - 1) * WEIGHT_CHUNK
    cdef double part[(FIRST_TAPS - 1) * WEIGHT_CHUNK]
    cdef double den[(FIRST_TAPS - 1) * WEIGHT_CHUNK]
    cdef double inv[(FIRST_TAPS - 1) * WEIGHT_CHUNK]
    cdef double pre[INV_GROUP * WEIGHT_CHUNK]
    cdef double total[WEIGHT_CHUNK]
    cdef double q[WEIGHT_CHUNK]
    cdef double* uj
    cdef double* nj
    cdef double* pj
    cdef double* dj
    cdef const double* xk
    cdef int T1 = 2 * h, j, k, g
    cdef Py_ssize_t i0 = 0, i, mc
    while i0 < m:
        mc = m - i0 if m - i0 < WEIGHT_CHUNK else WEIGHT_CHUNK
        for i in range(mc):
            s[i] = gx_pow2_inverse(xc[i0 + i + h] - xc[i0 + i - h])
        for j in range(T1):
            xk = xc + i0 + j + (j >= h) - h
            uj = u + j * WEIGHT_CHUNK
            for i in range(mc):
                uj[i] = (xk[i] - xc[i0 + i]) * s[i]
        for j in range(T1):
            uj = u + j * WEIGHT_CHUNK
            nj = num + j * WEIGHT_CHUNK
            pj = part + j * WEIGHT_CHUNK
            dj = den + j * WEIGHT_CHUNK
            for i in range(mc):
                nj[i] = 1
                pj[i] = 1
            for k in range(T1):
                if k != j:
                    for i in range(mc):
                        nj[i] = nj[i] * u[k * WEIGHT_CHUNK + i]
                        pj[i] = pj[i] * (u[k * WEIGHT_CHUNK + i] - uj[i])
            for i in range(mc):
                dj[i] = pj[i] * uj[i]
        g = 0
        while g < T1:
            chunk_reciprocals(den + g * WEIGHT_CHUNK, inv + g * WEIGHT_CHUNK, pre, q,
                              min(INV_GROUP, T1 - g), mc)
            g += INV_GROUP
        for i in range(mc):
            total[i] = 0
        for j in range(T1):
            nj = num + j * WEIGHT_CHUNK
            pj = part + j * WEIGHT_CHUNK
            dj = inv + j * WEIGHT_CHUNK
            for i in range(mc):
                nj[i] = nj[i] * dj[i]
                total[i] = total[i] + pj[i] * dj[i]
        for j in range(T1 + 1):
            nj = num + (j - (j > h)) * WEIGHT_CHUNK
            if j == h:
                for i in range(mc):
                    w[j * n + i0 + i] = -total[i] * s[i]
            else:
                for i in range(mc):
                    w[j * n + i0 + i] = nj[i] * s[i]
        i0 += mc


cdef void chunk_reciprocals(const double* d, double* r, double* p, double* q, int g,
                            Py_ssize_t mc) noexcept nogil:
    """group_reciprocals of each of mc points: r[a*WEIGHT_CHUNK + i] = 1/d[a*WEIGHT_CHUNK + i]
    (p, q: scratch)."""
    cdef Py_ssize_t i
    cdef int a
    cdef const double* da
    cdef double* pa
    cdef double* ra
    for i in range(mc):
        p[i] = d[i]
    for a in range(1, g):
        da = d + a * WEIGHT_CHUNK
        pa = p + a * WEIGHT_CHUNK
        for i in range(mc):
            pa[i] = pa[i - WEIGHT_CHUNK] * da[i]
    pa = p + (g - 1) * WEIGHT_CHUNK
    for i in range(mc):
        q[i] = 1 / pa[i]
    for a in range(g - 1, 0, -1):
        da = d + a * WEIGHT_CHUNK
        pa = p + (a - 1) * WEIGHT_CHUNK
        ra = r + a * WEIGHT_CHUNK
        for i in range(mc):
            ra[i] = q[i] * pa[i]
            q[i] = q[i] * da[i]
    for i in range(mc):
        r[i] = q[i]
    pa = p + (g - 1) * WEIGHT_CHUNK
    for i in range(mc):
        if not fabs(pa[i]) >= TINY:
            for a in range(g):
                r[a * WEIGHT_CHUNK + i] = 1 / d[a * WEIGHT_CHUNK + i]
