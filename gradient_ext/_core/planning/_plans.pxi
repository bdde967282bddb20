# Filling one axis's AxisPlan from numpy's coefficients (uniform or uneven spacing).


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
    p.ghosts = False
    p.ghost = B_ONE_SIDED
    p.cval = NULL
    p.half = 0
    p.edge_taps = 0
    p.accumulate = False
    p.src = NULL
    p.combine = 0
    p.uneven_taps = False
    p.w = NULL
    p.wn = 0
    p.wpoint = NULL
    p.split = False
    p.order = 0
    p.reach = 0
    p.min_len = 0
    p.wruns = NULL
    p.rows_len = 0
    p.xw = NULL
    p.period = 0


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


cdef void uneven_edges(AxisPlan* p, const coord_t* x, Py_ssize_t n) noexcept nogil:
    # numpy's expressions on dx = np.diff(x): the same operations, in the
    # coordinates' precision (numpy scalars of x's dtype).
    p.dx_lo = low_edge(x, p.edge_order, p.lo)
    p.dx_hi = high_edge(x + n - 3, p.edge_order, p.hi)


cdef inline double low_edge(const coord_t* x, int edge_order, double* c) noexcept nogil:
    """The first point's divisor x[1] - x[0] (edge_order 1), and with edge_order 2
    numpy's coefficients of f[0], f[1], f[2] in c (x: the first three points)."""
    cdef coord_t two = 2, dx1 = x[1] - x[0], dx2
    if edge_order == 2:
        dx2 = x[2] - x[1]
        c[0] = -(two * dx1 + dx2) / (dx1 * (dx1 + dx2))
        c[1] = (dx1 + dx2) / (dx1 * dx2)
        c[2] = - dx1 / (dx2 * (dx1 + dx2))
    return dx1


cdef inline double high_edge(const coord_t* x, int edge_order, double* c) noexcept nogil:
    """The last point's divisor and coefficients of f[-3], f[-2], f[-1] (x: the
    last three points; with edge_order 1, x[1] and x[2] only are read)."""
    cdef coord_t two = 2, dx1, dx2 = x[2] - x[1]
    if edge_order == 2:
        dx1 = x[1] - x[0]
        c[0] = (dx2) / (dx1 * (dx1 + dx2))
        c[1] = - (dx2 + dx1) / (dx1 * dx2)
        c[2] = (two * dx2 + dx1) / (dx2 * (dx1 + dx2))
    return dx2


# ---------------------------------------------------------------------------
# 4. Coefficients and precisions, per axis
# ---------------------------------------------------------------------------

cdef int plan_axis(AxisPlan* p, int axis, int eo, Spacing* s, object ref, Kind kind) except -1:
    """Fill p for one axis; returns 0 when numpy must compute instead."""
    cdef bint narrow = is_narrow(kind)
    if s.form == SP_WEAK:
        if eo == 2 and s.h == 0:
            raise ZeroDivisionError("float division by zero")   # numpy's -1.5 / 0.0
        uniform_plan(p, axis, eo, s.h, not narrow, False)
    elif s.form == SP_DOUBLE:
        uniform_plan(p, axis, eo, s.h, True, False)
    elif s.form == SP_SINGLE:
        uniform_plan(p, axis, eo, s.h, not narrow, True)
    elif s.form == SP_COORDS:
        # coefficients in x's precision, multiplied in result_type(work, x.dtype)
        uneven_plan(p, axis, eo, <cnp.ndarray>ref,
                    not narrow or cnp.PyArray_TYPE(<cnp.ndarray>ref) == cnp.NPY_DOUBLE)
    elif s.form == SP_OBJECT:
        return object_plan(p, axis, eo, ref, kind)
    else:
        return 0
    return 1


cdef int object_plan(AxisPlan* p, int axis, int eo, object ax_dx, Kind kind) except -1:
    # numpy's expressions evaluated on the same object, so their result types
    # (weak Python, strong numpy scalars) and exceptions are numpy's own.
    cdef int wide, edge_wide
    cdef int j
    work = work_dtype(kind)
    with np.errstate(all="ignore"):     # coefficient maths warns nowhere (docs: numpy compatibility)
        h2 = 2. * ax_dx
        wide = calc_wide(work, h2)
        if eo == 1:
            edge_wide = calc_wide(work, ax_dx)
            lo = hi = (0.0, 0.0, 0.0)
        else:
            lo = (-1.5 / ax_dx, 2. / ax_dx, -0.5 / ax_dx)
            hi = (0.5 / ax_dx, -2. / ax_dx, 1.5 / ax_dx)
            edge_wide = calc_wide(work, lo[0])
    if wide < 0 or edge_wide < 0:
        return 0
    values = [as_double(c) for c in (h2, ax_dx) + lo + hi]
    if None in values:
        return 0
    init_plan(p, axis, eo, wide)
    p.edge_wide = edge_wide
    p.h2 = values[0]
    p.dx_lo = p.dx_hi = values[1]
    for j in range(3):
        p.lo[j] = values[2 + j]
        p.hi[j] = values[5 + j]
    return 1


cdef object work_dtype(Kind kind):
    """The dtype numpy's arithmetic starts from (integers are converted to float64)."""
    if kind == K_F32:
        return _FLOAT32_DTYPE
    if kind == K_C64:
        return np.dtype(np.complex64)
    if kind == K_C128:
        return np.dtype(np.complex128)
    return _FLOAT64_DTYPE


cdef int calc_wide(object work, object operand) except -2:
    """1 or 0: numpy computes `work`-array op `operand` in double or single precision
    (NEP 50: Python scalars are weak, numpy's strong); -1: no kernel for it."""
    if type(operand) is float or type(operand) is int or type(operand) is bool:
        calc = work
    else:
        dtype = operand if isinstance(operand, np.dtype) else getattr(operand, "dtype", None)
        if not isinstance(dtype, np.dtype) or dtype.kind not in "biuf":
            return -1                       # complex spacings, objects: numpy's path
        key = (work.char, dtype.char)
        calc = _result_types.get(key)
        if calc is None:
            calc = _result_types[key] = np.result_type(work, dtype)
    table = _COMPLEX_CALC if work.kind == "c" else _REAL_CALC
    wide = table.get(calc)
    return -1 if wide is None else wide


cdef object as_double(object operand):
    """The operand as a double (exact for numpy scalars), or None if not exactly."""
    if type(operand) is int and not -EXACT_INT < operand < EXACT_INT:
        return None
    try:
        return float(operand)
    except Exception:           # numpy never calls float(): whatever fails, numpy decides
        return None
