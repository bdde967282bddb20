# gradient_ext's own arguments beyond numpy's: boundary=, period=, accuracy=.
#
# Read after numpy's arguments (so numpy's errors come first, in numpy's order),
# into a Scheme the planner applies per axis:
#
# * boundary="periodic", accuracy 2: numpy's interior scheme at every point,
#   the neighbours of the ends wrapped around.  It is numpy.gradient on the
#   wrap-padded data, bit for bit: a uniform spacing is used as it is; with
#   coordinates, numpy's spacing is read from the padded coordinates
#   ``concatenate(([x[-1] - period], x, [x[0] + period]))``, built here with
#   numpy so that its precision rules (NEP 50) are numpy's, evenly spaced ones
#   collapsing as numpy collapses them.
# * boundary="symmetric", "reflect", "edge", "constant" (constant_values=): the
#   interior stencils at every point of the data padded by np.pad's mode of that
#   name, without the padded copy (the kernels read each ghost by index,
#   `ghost_index`, and the constant from one element of the data's type, cast
#   as np.pad casts it).  Coordinates get ghost coordinates (`ghost_coordinates`):
#   reflect x[-k] = 2x[0] - x[k]; symmetric x[-k] = (2x[0] - h0) - x[k-1] with
#   h0 = x[1] - x[0]; edge and constant x[-k] = x[0] - k*h0; mirrored at the far
#   end.  As for the periodic axis, numpy's spacing (the even-coordinate
#   collapse included) is read from the coordinates padded by one point each side.
# * accuracy 4, 6, 8: (accuracy+1)-tap stencils (`_tap_tiling.pxi`), weights
#   in float64 rounded once to the computation precision (NEP 50, as for the
#   interior of accuracy 2): uniform ones exact rationals divided by h, uneven
#   ones per point, once per axis (`_uneven_weights.pxi`).
# * derivative n = 2..4 (`derivative`, `laplacian`), any accuracy: the same
#   k-tap layer with findiff's stencil sizes, one place for every order n
#   (`central_points`, `edge_points`): uniform central stencils of
#   2*floor((n+1)/2) - 1 + accuracy points, one-sided ends of n + accuracy
#   points; uneven coordinates (no symmetry gain) central stencils of
#   2*((n + accuracy)//2) + 1 points.  Uniform weights are exact rationals
#   (`_fornberg_exact`) rounded once, divided by h**n; uneven ones per point
#   (`_derivative_weights.pxi`).

from fractions import Fraction

ONE_SIDED = "one-sided"
PERIODIC = "periodic"
# boundary= names, in the order of the Boundary codes (`_elements.pxi`)
BOUNDARIES = (ONE_SIDED, PERIODIC, "symmetric", "reflect", "edge", "constant")
ACCURACIES = (2, 4, 6, 8)
# A period given for a uniform axis must be its n*h to this relative tolerance.
PERIOD_RTOL = 1e-6


cdef class Scheme:
    """The validated boundary, period and accuracy of one call."""
    cdef int accuracy
    cdef int deriv          # the derivative's order n (1: gradient)
    cdef bint taps          # k-tap stencils: accuracy > 2 or n > 1
    cdef int mode[MAX_DIMS]         # per axis: its Boundary
    cdef bint periodic[MAX_DIMS]
    cdef bint any_periodic
    cdef bint any_ghost             # an axis with an np.pad mode
    cdef bint split                 # nan="split": runs of finite values, each its own array
    cdef list constants             # per axis: boundary="constant"'s value, one element
                                    # of the data's dtype (np.pad's cast), or None
    cdef list periods       # per axis: the period given, or None
    cdef list extended      # per axis: coordinates extended by stencil_half() wrapped
                            # or ghost points each side (their dtype; integers as
                            # float64), or None
    cdef list wrapped       # per axis: coordinates extended as `extended`, float64, for the k-tap weights
    cdef tuple varargs      # the spacings numpy.gradient reads on the padded data
    cdef list keep          # weight arrays, alive while the kernels read them


cdef bint default_scheme(object boundary, object period, object accuracy) except -1:
    """numpy's schemes: one-sided ends, accuracy 2 (the fast path's question)."""
    return (type(accuracy) is int and accuracy == 2 and period is None
            and (boundary is ONE_SIDED or (type(boundary) is str and boundary == ONE_SIDED)))


def is_default_scheme(boundary, period, accuracy):
    """Whether boundary=, period= and accuracy= ask for numpy's schemes as the planner
    reads them (ParsedCall.default agrees): accuracy 2, no period, every boundary
    one-sided (one name, or one per axis).  Values the planner refuses are not."""
    if default_scheme(boundary, period, accuracy):
        return True
    if period is not None:
        return False
    try:
        if read_accuracy(accuracy) != 2:
            return False
        values = [boundary] if isinstance(boundary, str) else list(boundary)
        return len(values) > 0 and not any([read_boundary_value(b, 0, False)
                                            for b in values])
    except (TypeError, ValueError):
        return False


cdef int read_accuracy(object accuracy) except -1:
    if type(accuracy) is int and (accuracy == 2 or accuracy == 4 or accuracy == 6
                                  or accuracy == 8):
        return accuracy
    if isinstance(accuracy, (bool, np.bool_)):
        raise ValueError(f"accuracy must be 2, 4, 6 or 8, got {accuracy!r}")
    try:
        acc = operator.index(accuracy)
    except TypeError:
        raise ValueError(f"accuracy must be 2, 4, 6 or 8, got {accuracy!r}") from None
    if acc % 2:
        raise ValueError(f"accuracy must be even (2, 4, 6 or 8), got {acc}")
    if acc not in ACCURACIES:
        raise ValueError(f"accuracy must be 2, 4, 6 or 8, got {acc}")
    return acc


cdef int read_order(object n) except -1:
    """The derivative's order n, 1 .. MAX_ORDER: TypeError for a non-integer,
    ValueError outside the range (the stack arrays are sized for it, MAX_TAPS)."""
    cdef int overflow = 0
    cdef long k
    if type(n) is int:              # the common case, read in C (no Python comparisons)
        k = PyLong_AsLongAndOverflow(n, &overflow)
        if not overflow and 1 <= k <= MAX_ORDER:
            return <int>k
    if isinstance(n, (bool, np.bool_)):
        raise TypeError(f"n must be an integer from 1 to {MAX_ORDER}, got {n!r}")
    try:
        order = operator.index(n)
    except TypeError:
        raise TypeError(f"n must be an integer from 1 to {MAX_ORDER}, got {n!r}") from None
    if not 1 <= order <= MAX_ORDER:
        raise ValueError(f"n must be an integer from 1 to {MAX_ORDER}, got {order}")
    return order


cdef inline int check_order(int n) except -1:
    """An order already read as a C int: ValueError outside 1 .. MAX_ORDER."""
    if not 1 <= n <= MAX_ORDER:
        raise ValueError(f"n must be an integer from 1 to {MAX_ORDER}, got {n}")
    return n


def derivative_order(n):
    """The planner's reading of a derivative order (`derivative`'s n=)."""
    return read_order(n)


def stencil_points(n, accuracy=MAX_ACCURACY):
    """Points of the widest stencil of derivative n at `accuracy` (its one-sided
    ends; default: the highest accuracy): what a probe of the call needs."""
    return edge_points(read_order(n), read_accuracy(accuracy))


cdef int read_boundary_value(object b, int q, bint per_axis) except -1:
    """One axis's boundary name as its Boundary code."""
    if type(b) is str:
        if b == ONE_SIDED:
            return B_ONE_SIDED
        if b == PERIODIC:
            return B_PERIODIC
        if b in BOUNDARIES:
            return BOUNDARIES.index(b)
    where = f" for axis {q} of the call" if per_axis else ""
    raise ValueError(f"boundary must be one of 'one-sided', 'periodic', 'symmetric', "
                     f"'reflect', 'edge', 'constant' (or one per axis), got {b!r}{where}")


cdef int read_boundary(object boundary, int nplans, int* mode) except -1:
    cdef int q, one
    if type(boundary) is str:
        one = read_boundary_value(boundary, 0, False)
        for q in range(nplans):
            mode[q] = one
        return 0
    if not isinstance(boundary, (list, tuple)) or len(boundary) != nplans:
        raise ValueError(f"boundary must be one name ('one-sided', 'periodic', 'symmetric', "
                         f"'reflect', 'edge', 'constant') or a sequence of them, one per "
                         f"axis ({nplans}), got {boundary!r}")
    for q in range(nplans):
        mode[q] = read_boundary_value(boundary[q], q, True)
    return 0


cdef int read_modes(object boundary, int nplans, Scheme sc) except -1:
    """boundary= into sc.mode, sc.periodic, any_periodic and any_ghost."""
    cdef int q
    read_boundary(boundary, nplans, sc.mode)
    sc.any_periodic = sc.any_ghost = False
    for q in range(nplans):
        sc.periodic[q] = sc.mode[q] == B_PERIODIC
        sc.any_periodic = sc.any_periodic or sc.periodic[q]
        sc.any_ghost = sc.any_ghost or sc.mode[q] >= B_SYMMETRIC
    return 0


NAN_MODES = ("propagate", "split")


cdef bint read_nan(object nan, int nplans, Scheme sc) except -1:
    """nan=: "propagate" (numpy's: a NaN spreads over the stencils that read it) or
    "split" (each run of finite values along an axis differentiated as its own
    array), with boundary "one-sided" or "periodic" only."""
    cdef int q
    if nan is None or (type(nan) is str and nan == "propagate"):
        return False
    if not (type(nan) is str and nan == "split"):
        raise ValueError(f"nan must be 'propagate' or 'split', got {nan!r}")
    for q in range(nplans):
        if sc.mode[q] >= B_SYMMETRIC:
            raise ValueError(f"nan='split' combines with boundary 'one-sided' and 'periodic', "
                             f"not with {BOUNDARIES[sc.mode[q]]!r} (axis {q} of the call)")
    return True


cdef list read_constants(object constant_values, cnp.ndarray a, int nplans, Scheme sc):
    """constant_values= per axis: one scalar for every boundary="constant" axis, or
    one per axis (None where the axis is not constant); each cast to the data's
    dtype as np.pad casts it (an assignment: its errors and warnings)."""
    cdef int q
    if constant_values is None:
        values = [None] * nplans
    elif isinstance(constant_values, (list, tuple)):
        if len(constant_values) != nplans:
            raise ValueError(f"constant_values must be one value or one per axis ({nplans}), "
                             f"got {len(constant_values)}")
        values = list(constant_values)
        for q in range(nplans):
            if values[q] is not None and sc.mode[q] != B_CONSTANT:
                raise ValueError(f"constant_values is given for axis {q} of the call, whose "
                                 f"boundary is {BOUNDARIES[sc.mode[q]]!r}, not 'constant'")
    elif not any([sc.mode[q] == B_CONSTANT for q in range(nplans)]):
        raise ValueError("constant_values is given, but no axis has boundary='constant'")
    else:
        values = [constant_values] * nplans
    constants = [None] * nplans
    for q in range(nplans):
        if sc.mode[q] == B_CONSTANT:
            c = np.zeros(1, dtype=a.dtype)
            c[0] = 0 if values[q] is None else values[q]
            constants[q] = c
    return constants


cdef object period_value(object v):
    if v is None:
        return None
    if isinstance(v, (bool, np.bool_)) or not isinstance(v, (int, float, np.integer, np.floating)):
        raise ValueError(f"period must be a real number, or one per axis, got {v!r}")
    return v


cdef list read_periods(object period, int nplans, Scheme sc):
    """One period (or None) per axis; a scalar applies to the periodic axes."""
    cdef int q
    if period is None:
        return [None] * nplans
    if not sc.any_periodic:
        raise ValueError("period is given, but no axis has boundary='periodic'")
    if isinstance(period, (list, tuple)):
        if len(period) != nplans:
            raise ValueError(f"period must be one value or one per axis ({nplans}), "
                             f"got {len(period)}")
        periods = [period_value(v) for v in period]
        for q in range(nplans):
            if periods[q] is not None and not sc.periodic[q]:
                raise ValueError(f"period is given for axis {q} of the gradient, "
                                 f"whose boundary is {BOUNDARIES[sc.mode[q]]!r}")
        return periods
    v = period_value(period)
    return [v if sc.periodic[q] else None for q in range(nplans)]


cdef Scheme read_scheme(cnp.ndarray a, tuple varargs, int* axes, int nplans, Spacing* sp,
                        list held, int eo, object boundary, object period, object accuracy,
                        int deriv=1, object constant_values=None, object nan=None):
    """Validate boundary/period/accuracy/constant_values; re-read the coordinates of
    periodic and np.pad-mode axes padded (wrapped or ghost points)."""
    cdef Scheme sc = Scheme.__new__(Scheme)
    cdef int q
    cdef Py_ssize_t n
    sc.accuracy = read_accuracy(accuracy)
    sc.deriv = deriv
    sc.taps = sc.accuracy > 2 or deriv > 1
    if sc.accuracy > 2 and eo != 1:
        raise ValueError(f"edge_order applies to accuracy=2 only; with accuracy="
                         f"{sc.accuracy} leave it at its default (the edges get the same order)")
    read_modes(boundary, nplans, sc)
    periods = sc.periods = read_periods(period, nplans, sc)
    sc.constants = read_constants(constant_values, a, nplans, sc)
    sc.split = read_nan(nan, nplans, sc)
    sc.wrapped = [None] * nplans
    sc.extended = [None] * nplans
    sc.keep = []
    sc.varargs = varargs
    if not (sc.any_periodic or sc.any_ghost):
        return sc
    padded = list(varargs)
    for q in range(nplans):
        if sc.mode[q] == B_ONE_SIDED:
            continue
        n = cnp.PyArray_DIMS(a)[axes[q]]
        if len(varargs) == nplans and np.ndim(varargs[q]) != 0:
            if sc.periodic[q]:
                padded[q] = wrapped_coordinates(varargs[q], periods[q], n, q, sp, held, sc)
            elif n >= 2:            # shorter axes: check_length raises numpy's error
                padded[q] = ghost_coordinates(varargs[q], sc.mode[q], n, q, sp, held, sc)
        elif periods[q] is not None:
            check_uniform_period(periods[q], n, &sp[q], held[q] if held else None, q)
    sc.varargs = tuple(padded)
    return sc


cdef object ghost_coordinates(object v, int mode, Py_ssize_t n, int q, Spacing* sp,
                              list held, Scheme sc):
    """numpy's spacing for the coordinates of np.pad-mode axis q padded by one ghost
    point each side (sp[q], held[q]); sc.extended[q] (and sc.wrapped[q]) padded
    by stencil_half() ghost points each side."""
    d = v if isinstance(v, cnp.ndarray) else np.asanyarray(v)
    if d.ndim != 1 or len(d) != n or d.dtype.kind not in "iuf":
        return v                        # numpy's reading raises, or reads it as numpy does
    if d.dtype.kind in "iu":
        d = d.astype(np.float64)        # as numpy reads integer coordinates
    with np.errstate(all="ignore"):
        xp = extend_by_ghosts(d, n, 1, mode)
    read_coordinates(xp, n + 2, &sp[q], held, q, True)
    cdef int h = stencil_half(sc)
    with np.errstate(all="ignore"):
        xq = extend_by_ghosts(d, n, h, mode)
    sc.extended[q] = xq
    if sc.taps and sp[q].form == SP_COORDS:
        sc.wrapped[q] = np.ascontiguousarray(xq, dtype=np.float64)
    return xp


def extend_by_ghosts(d, Py_ssize_t n, int h, int mode):
    """Coordinates d (n >= 2 points, a float dtype) with h ghost coordinates each
    side, in d's precision, by the rule of np.pad mode `mode` (a Boundary code):
    reflect x[-k] = 2x[0] - x[k]; symmetric x[-k] = (2x[0] - h0) - x[k-1], h0 =
    x[1] - x[0]; edge, constant x[-k] = x[0] - k*h0; mirrored at the far end.
    (The axes are long enough, `check_length`, that every ghost mirrors a point.)"""
    k = np.arange(1, h + 1).astype(d.dtype)          # 1 .. h, in d's precision
    i = np.arange(1, h + 1)
    h0 = d[1] - d[0]
    h1 = d[n - 1] - d[n - 2]
    if mode == B_REFLECT:
        lo = 2 * d[0] - d[np.minimum(i, n - 1)]
        hi = 2 * d[n - 1] - d[np.maximum(n - 1 - i, 0)]
    elif mode == B_SYMMETRIC:
        lo = (2 * d[0] - h0) - d[np.minimum(i - 1, n - 1)]
        hi = (2 * d[n - 1] + h1) - d[np.maximum(n - i, 0)]
    else:
        lo = d[0] - k * h0
        hi = d[n - 1] + k * h1
    return np.concatenate((lo[::-1], d, hi))


cdef object wrapped_coordinates(object v, object P, Py_ssize_t n, int q, Spacing* sp,
                                list held, Scheme sc):
    """numpy's spacing for the padded coordinates of periodic axis q (sp[q], held[q])."""
    if P is None:
        raise ValueError(f"period is required for axis {q} of the gradient: it is "
                         f"periodic and given coordinates")
    d = v if isinstance(v, cnp.ndarray) else np.asanyarray(v)
    with np.errstate(all="ignore"):
        xp = np.concatenate(([d[n - 1] - P], d, [d[0] + P]))
    check_fits(xp, n, q)
    read_coordinates(xp, n + 2, &sp[q], held, q, True)
    cdef int h = stencil_half(sc)
    with np.errstate(all="ignore"):
        xq = np.concatenate((d[n - h:] - P, d, d[:h] + P))
    sc.extended[q] = xq.astype(np.float64) if np.issubdtype(xq.dtype, np.integer) else xq
    if sc.taps and sp[q].form == SP_COORDS:
        sc.wrapped[q] = np.ascontiguousarray(xq, dtype=np.float64)
    return xp


cdef int check_fits(object xp, Py_ssize_t n, int q) except -1:
    """Padded coordinates xp (n + 2 points) of periodic axis q fit inside one period."""
    cdef bint fits
    with np.errstate(all="ignore"):
        fits = bool(xp[0] < xp[1]) and bool(xp[1] <= xp[n]) and bool(xp[n] < xp[n + 1])
    if not fits:
        raise ValueError(f"period: the coordinates of axis {q} of the gradient do not fit "
                         f"inside one period (need x[0] <= x[-1] < x[0] + period)")
    return 0


def check_padded_fit(xp, int q):
    """check_fits on padded coordinates computed elsewhere (dask coordinates, at
    compute time); returns them."""
    check_fits(xp, xp.shape[0] - 2, q)
    return xp


cdef int check_uniform_period(object P, Py_ssize_t n, Spacing* s, object ref, int q) except -1:
    # A uniform periodic axis has the period n*h; a given one must agree.
    if s.form == SP_OBJECT:
        h = as_double(ref)
        if h is None:
            return 0                    # numpy's path reads it; the period is not checked
    else:
        h = s.h
    if not abs(float(P) - n * h) <= PERIOD_RTOL * abs(n * h):
        raise ValueError(f"period: axis {q} of the gradient is uniform with {n} points of "
                         f"spacing {h!r}, so its period is {n * h!r}, not {P!r}")
    return 0


# ---------------------------------------------------------------------------
# Weights of the k-tap schemes
# ---------------------------------------------------------------------------

cdef inline int central_points(int deriv, int acc) noexcept:
    """Points of the uniform central stencil of derivative `deriv` to order `acc`
    (findiff's 2*floor((n+1)/2) - 1 + acc: symmetry gains an order for even n)."""
    return 2 * ((deriv + 1) // 2) - 1 + acc


cdef inline int edge_points(int deriv, int acc) noexcept:
    """Points of a one-sided stencil of derivative `deriv` to order `acc`, uniform
    or uneven: n + acc.  Every axis needs at least this many."""
    return deriv + acc


cdef inline int uniform_half(int deriv, int acc) noexcept:
    return central_points(deriv, acc) // 2


cdef inline int uneven_half(int deriv, int acc) noexcept:
    # uneven central stencils get no symmetry gain: as many points as one-sided
    # ones, rounded up to an odd count centred on the point
    return edge_points(deriv, acc) // 2


cdef inline int stencil_half(Scheme sc) noexcept:
    """Points each side of an interior point that an axis's stencil may read: the
    widest of its uniform and uneven central stencils (1: numpy's); a chunk's halo."""
    return 1 if sc is None or not sc.taps else uneven_half(sc.deriv, sc.accuracy)


cdef inline int split_reach(Scheme sc, int eo) noexcept:
    """nan="split": how far along an axis a non-finite value changes results, at
    most (`split_plan`'s rule with the widest stencil): a chunk's face depth."""
    cdef int h = stencil_half(sc), te = end_span(sc, eo)
    return max(h, te + h - 2)


cdef inline int end_span(Scheme sc, int eo) noexcept:
    """Points the one-sided stencils of an axis's ends span (numpy's: edge_order + 1)."""
    return eo + 1 if sc is None or not sc.taps else edge_points(sc.deriv, sc.accuracy)


def _fornberg_exact(nodes, deriv=1):
    """Weights of derivative `deriv` at 0 from integer nodes, as exact fractions
    (Fornberg's recursion, with exact arithmetic)."""
    m = deriv
    c = [[Fraction(0)] * (m + 1) for _ in nodes]
    c[0][0] = Fraction(1)
    c1 = Fraction(1)
    c4 = Fraction(nodes[0])
    for i in range(1, len(nodes)):
        mn = min(i, m)
        c2 = Fraction(1)
        c5 = c4
        c4 = Fraction(nodes[i])
        for j in range(i):
            c3 = Fraction(nodes[i] - nodes[j])
            c2 *= c3
            if j == i - 1:
                for k in range(mn, 0, -1):
                    c[i][k] = c1 * (k * c[i - 1][k - 1] - c5 * c[i - 1][k]) / c2
                c[i][0] = -c1 * c5 * c[i - 1][0] / c2
            for k in range(mn, 0, -1):
                c[j][k] = (c4 * c[j][k] - k * c[j][k - 1]) / c3
            c[j][0] = c4 * c[j][0] / c3
        c1 = c2
    return [w[m] for w in c]


# (deriv, taps, at) -> unit-spacing weights, as floats
cdef dict _exact_rows = {}


cdef list exact_row(int deriv, int taps, int at):
    """Unit-spacing weights of derivative `deriv` from the points 0 .. taps-1 at
    point `at`: exact rationals, each rounded once to a float."""
    key = (deriv, taps, at)
    row = _exact_rows.get(key)
    if row is None:
        row = _exact_rows[key] = [float(w) for w in
                                  _fornberg_exact([k - at for k in range(taps)], deriv)]
    return row


cdef list uniform_rows(int deriv, int acc, Py_ssize_t n):
    """Central row, then the h rows of each end (`tap_start` and `tap_weights`):
    findiff's forward (backward) stencil from the point itself, its start moved
    inwards where the axis is too short for it."""
    cdef int h = uniform_half(deriv, acc), te = edge_points(deriv, acc), i
    cdef Py_ssize_t start
    rows = exact_row(deriv, central_points(deriv, acc), h)
    for i in range(h):
        start = min(i, n - te)
        rows = rows + exact_row(deriv, te, i - start)
    for i in range(h):
        start = max(n - h + i - te + 1, 0)
        rows = rows + exact_row(deriv, te, n - h + i - start)
    return rows


cdef object uneven_table(cnp.ndarray x, Py_ssize_t n, int h, int te, int m, bint periodic,
                         int nthreads):
    """The (2h+1, n) tap-major weights of derivative m at every point of an axis,
    from float64 coordinates x (length n, or n + 2h padded with the wrapped
    coordinates when periodic): the one driver of every order.  One-sided, the h
    points of each end use the te points nearest it (rows beyond te stay 0);
    central points use the 2h+1 points around them.  m = 1 has a closed form
    (`_uneven_weights.pxi`), m > 1 Fornberg's recursion (`_derivative_weights.pxi`)."""
    cdef int taps = 2 * h + 1, t
    cdef cnp.ndarray w = np.zeros((taps, n), dtype=np.float64)
    cdef double* wp = <double*>cnp.PyArray_DATA(w)
    cdef const double* xp = <const double*>cnp.PyArray_DATA(x)
    cdef double row[MAX_TAPS]
    cdef Py_ssize_t i, first = 0 if periodic else h
    with nogil:
        if not periodic:            # the ends: the te points nearest each end
            for i in range(h):
                end_weights(xp, te, <int>i, m, row)
                for t in range(te):
                    wp[t * n + i] = row[t]
            for i in range(n - h, n):
                end_weights(xp + n - te, te, <int>(i - (n - te)), m, row)
                for t in range(te):
                    wp[t * n + i] = row[t]
        # central points first .. n-first-1 (periodic: all of them, on x padded by h)
        central_table(xp + h, n - 2 * first, h, m, wp + first, n, nthreads)
    return w


cdef inline void end_weights(const double* z, int T, int c, int m, double* row) noexcept nogil:
    if m == 1:
        point_weights(z, T, c, row)
    else:
        fornberg_point(z, T, c, m, row)


cdef void central_table(const double* xc, Py_ssize_t count, int h, int m, double* w,
                        Py_ssize_t n, int nthreads) noexcept nogil:
    """The central weights of `count` points; blocks of them across up to nthreads
    threads when there are many (each point's weights are the same either way).
    A first derivative's point costs a tenth of a higher one's: larger blocks."""
    cdef Py_ssize_t block = WEIGHT_BLOCK if m == 1 else DERIV_BLOCK
    cdef Py_ssize_t least = WEIGHT_PARALLEL_MIN if m == 1 else DERIV_PARALLEL_MIN
    cdef Py_ssize_t b, nblocks = (count + block - 1) // block
    nthreads = team_size(nthreads if count >= least else 1, nblocks)
    if nthreads > 1:
        # Dynamic blocks: a thread the OS delays leaves its share to the others.
        for b in prange(nblocks, nogil=True, schedule="dynamic", num_threads=nthreads):
            central_block(xc, b * block, min((b + 1) * block, count), h, m, w, n)
    else:
        central_block(xc, 0, count, h, m, w, n)


cdef inline void central_block(const double* xc, Py_ssize_t i0, Py_ssize_t i1, int h, int m,
                               double* w, Py_ssize_t n) noexcept nogil:
    if m == 1:
        central_weights(xc + i0, i1 - i0, h, w + i0, n)
    else:
        deriv_central_block(xc, i0, i1, h, m, w, n)


cdef int boundary_plan(AxisPlan* p, int q, Scheme sc) except -1:
    """The axis's boundary= in its plan: every point central beyond one-sided, the
    ghost rule, and boundary="constant"'s value (alive in sc.constants)."""
    p.ghosts = sc.mode[q] != B_ONE_SIDED
    p.ghost = sc.mode[q]
    p.cval = NULL
    if sc.mode[q] == B_CONSTANT:
        p.cval = cnp.PyArray_DATA(<cnp.ndarray>sc.constants[q])
    return 0


cdef int taps_plan(AxisPlan* p, int q, Scheme sc, object ref, Py_ssize_t n,
                   int nthreads) except -1:
    """Turn an accuracy-2 plan (precision, spacing) into the k-tap plan of sc.accuracy
    and sc.deriv."""
    cdef int h
    boundary_plan(p, q, sc)
    p.edge_taps = edge_points(sc.deriv, sc.accuracy)
    if p.x == NULL:
        p.half = uniform_half(sc.deriv, sc.accuracy)
        with np.errstate(all="ignore"):
            w = (np.array(uniform_rows(sc.deriv, sc.accuracy, n), dtype=np.float64)
                 / (p.dx_lo ** sc.deriv))
    else:
        h = p.half = uneven_half(sc.deriv, sc.accuracy)
        x = sc.wrapped[q] if p.ghosts else np.ascontiguousarray(ref, dtype=np.float64)
        cache = n >= WEIGHT_CACHE_MIN_POINTS
        key = weight_key(x, (n, h, p.edge_taps, sc.deriv, bool(p.ghosts))) if cache else None
        w = cached_weights(key, x) if cache else None
        if w is None:
            w = uneven_table(x, n, h, p.edge_taps, sc.deriv, p.ghosts, nthreads)
            if cache:
                keep_weights(key, x, w)
        p.uneven_taps = True
        p.x = NULL                      # the weights replace the coordinates
    if not p.wide:
        w = w.astype(np.float32)
    sc.keep.append(w)
    p.w = cnp.PyArray_DATA(<cnp.ndarray>w)
    p.wn = n
    if sc.split:
        split_plan(p, q, sc, ref, n)
    return 0


cdef int split_plan(AxisPlan* p, int q, Scheme sc, object ref, Py_ssize_t n) except -1:
    """nan="split" on a planned axis: how far a non-finite value reaches, the
    shortest run with a result, and what the runs' own ends need (uniform rows
    per short run length; float64 coordinates; the period)."""
    cdef int h = p.half if p.half else 1
    cdef int te = p.edge_taps if p.half else p.edge_order + 1
    cdef int length
    p.split = True
    p.order = sc.deriv
    # a value changes where a stencil reads it, where its neighbour becomes a
    # run's end (h points), and over a whole short run (te + h - 2 points)
    p.reach = max(h, te + h - 2)
    p.min_len = te
    p.period = 0.0 if sc.periods[q] is None else float(sc.periods[q])
    if p.half and not p.uneven_taps:
        # rows of runs edge_taps .. edge_taps + half - 1 points long (the last: any longer)
        runs = [uniform_rows(sc.deriv, sc.accuracy, length)
                for length in range(te, te + p.half)]
        p.rows_len = len(runs[0])
        with np.errstate(all="ignore"):
            w = np.array(runs, dtype=np.float64) / (p.dx_lo ** sc.deriv)
        w = w if p.wide else w.astype(np.float32)
        sc.keep.append(w)
        p.wruns = cnp.PyArray_DATA(<cnp.ndarray>w)
    if p.half and p.uneven_taps:
        # the axis's own coordinates (a periodic axis holds them wrapped-extended)
        if p.ghosts:
            h = stencil_half(sc)
            x = np.ascontiguousarray(sc.wrapped[q][h:h + n], dtype=np.float64)
        else:
            x = np.ascontiguousarray(ref, dtype=np.float64)
        sc.keep.append(x)
        p.xw = <const double*>cnp.PyArray_DATA(<cnp.ndarray>x)
    return 0
