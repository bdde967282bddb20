# Weights of the n-th derivative (n = 2..4, `derivative` and `laplacian`) on
# uneven coordinates, point by point (the first derivative has its closed form
# in `_uneven_weights.pxi`); `uneven_table` (`_schemes.pxi`) is the one driver
# that fills an axis's table from either, with the GIL released.
#
# The weights at node z_c of the nodes z_0 .. z_{T-1} come from Fornberg's
# recursion (B. Fornberg, "Generation of finite difference formulas on
# arbitrarily spaced grids", Math. Comp. 51, 1988), run on coordinates made
# unit-free:
#
#   s   = 2**-e, e the binary exponent of z_{T-1} - z_0   (exact scaling)
#   u_k = (z_k - z_c) * s          (u_c = 0: the weights are taken at 0)
#   c_{k,j} = Fornberg's weights of derivative j at 0 from u_0 .. u_k
#   w_k = c_{T-1,n}[k] * s**n      (s**n an exact power of two)
#
# Multiplying every coordinate by a power of two gives the same u, so the
# same weights scaled exactly: the units of the coordinates do not matter.
# Every point is computed by the same sequence of operations (`fornberg_point`),
# whichever thread computes it, so the table does not depend on threads.

cdef enum:
    # Central points from which the table is computed by several threads, in
    # blocks of DERIV_BLOCK points handed out dynamically (a point costs about
    # T*T/2 divisions, ten times the first derivative's closed form).
    DERIV_PARALLEL_MIN = 1 << 15
    DERIV_BLOCK = 1 << 11


cdef void fornberg_point(const double* z, int T, int c, int m, double* w) noexcept nogil:
    """The weights of derivative m at z[c] from the nodes z[0 .. T-1], into w[0 .. T-1]."""
    cdef double s = gx_pow2_inverse(z[T - 1] - z[0])
    cdef double u[MAX_TAPS]
    cdef double C[MAX_TAPS * (MAX_ORDER + 1)]      # C[j*(m+1) + k]: node j, derivative k
    cdef double c1, c2, c3, c4, c5, sm
    cdef int i, j, k, mn, r = m + 1
    for j in range(T):
        u[j] = (z[j] - z[c]) * s
    for j in range(T * r):
        C[j] = 0
    C[0] = 1
    c1 = 1
    c4 = u[0]
    for i in range(1, T):
        mn = i if i < m else m
        c2 = 1
        c5 = c4
        c4 = u[i]
        for j in range(i):
            c3 = u[i] - u[j]
            c2 = c2 * c3
            if j == i - 1:
                for k in range(mn, 0, -1):
                    C[i * r + k] = c1 * (k * C[(i - 1) * r + k - 1] - c5 * C[(i - 1) * r + k]) / c2
                C[i * r] = -c1 * c5 * C[(i - 1) * r] / c2
            for k in range(mn, 0, -1):
                C[j * r + k] = (c4 * C[j * r + k] - k * C[j * r + k - 1]) / c3
            C[j * r] = c4 * C[j * r] / c3
        c1 = c2
    sm = 1
    for k in range(m):
        sm = sm * s
    for j in range(T):
        w[j] = C[j * r + m] * sm


cdef void deriv_central_block(const double* xc, Py_ssize_t i0, Py_ssize_t i1, int h, int m,
                              double* w, Py_ssize_t n) noexcept nogil:
    """fornberg_point of the points i0 .. i1-1 of xc (nodes xc[i-h .. i+h], centre h),
    into the tap-major table w (w[t*n + i])."""
    cdef double row[MAX_TAPS]
    cdef Py_ssize_t i
    cdef int t, T = 2 * h + 1
    for i in range(i0, i1):
        fornberg_point(xc + i - h, T, h, m, row)
        for t in range(T):
            w[t * n + i] = row[t]
