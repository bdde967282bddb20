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
    p.periodic = False
    p.half = 0
    p.edge_taps = 0
    p.accumulate = False
    p.src = NULL
    p.combine = 0
    p.uneven_taps = False
    p.w = NULL


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
