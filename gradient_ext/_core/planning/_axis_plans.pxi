# The per-axis loop of every call: numpy's too-small check, each axis's plan and
# its boundary=/accuracy= (`plan_every_axis`), then one sweep (`run_plans`); the
# Laplacian's summation order.


cdef object run_plans(cnp.ndarray a, Kind kind, int* axes, int nplans, Spacing* sp,
                      list held, int eo, int nthreads, list outs, Scheme sc,
                      bint laplacian=False, const Rows* rows=NULL):
    """numpy's per-axis loop: too-small check, coefficients; then one sweep.

    `sc` (None: numpy's schemes) is boundary=/accuracy= as _schemes.pxi read it.
    `laplacian`: every plan writes the one output (`outs` holds one array), the
    first axis in increasing axis order stores, the others add (one pass over
    f, no per-axis array; each output element's sum in the same order
    whichever thread or layout computes it).
    """
    cdef AxisPlan plans[MAX_DIMS]
    cdef int q
    cdef bint fresh = outs is None
    cdef NumpyCall call
    if kind != K_NONE and not plan_every_axis(a, kind, axes, nplans, sp, held, eo, nthreads,
                                              sc, plans):
        kind = K_NONE
    if kind != K_NONE:
        if fresh and laplacian:
            outs = [new_output(a, kind)] * nplans
        elif fresh:
            outs = [new_output(a, kind) for q in range(nplans)]
        elif laplacian:
            outs = outs * nplans
    if kind == K_NONE:
        if sc is not None:
            for q in range(nplans):
                check_length(a, axes[q], q, eo, sc)
            if sc.taps or sc.split:
                what = ("nan='split'" if not sc.taps else f"accuracy={sc.accuracy}"
                        if sc.deriv == 1 else f"the derivative of order n={sc.deriv}")
                raise TypeError(f"{what} is computed for float32, float64, complex64, "
                                f"complex128 and integer arrays with real spacings, not for "
                                f"{a.dtype} data or these spacings (convert them first, "
                                f"for example with f.astype(np.float64))")
        call = NumpyCall.__new__(NumpyCall)
        call.axes = tuple([axes[q] for q in range(nplans)])
        call.edge_order = eo
        call.outs = None if fresh else outs
        if sc is not None and (sc.any_periodic or sc.any_ghost):
            call.pads = tuple([(axes[q], BOUNDARIES[sc.mode[q]], sc.constants[q])
                               for q in range(nplans) if sc.mode[q] != B_ONE_SIDED])
            call.varargs = sc.varargs
        return call
    if laplacian:
        sum_in_axis_order(plans, nplans)
    execute(a, kind, outs, plans, nplans, nthreads, rows)
    return outs[0] if nplans == 1 or laplacian else tuple(outs)


cdef bint plan_every_axis(cnp.ndarray a, Kind kind, int* axes, int nplans, Spacing* sp,
                          list held, int eo, int nthreads, Scheme sc,
                          AxisPlan* plans) except -1:
    """numpy's per-axis loop: the too-small check, then each axis's plan (and
    boundary=/accuracy= on it); False when no kernel computes an axis."""
    cdef int q
    for q in range(nplans):
        if sc is None:
            if cnp.PyArray_DIMS(a)[axes[q]] < eo + 1:
                raise ValueError(TOO_SMALL)
        else:
            check_length(a, axes[q], q, eo, sc)
        if not plan_axis(&plans[q], axes[q], eo, &sp[q], held[q] if held else None, kind):
            return False
        if sc is not None:
            scheme_plan(&plans[q], q, sc, held[q] if held else None,
                        cnp.PyArray_DIMS(a)[axes[q]], nthreads)
    return True


cdef void sum_in_axis_order(AxisPlan* plans, int nplans) noexcept:
    """The laplacian's order: plans sorted by axis; the first stores, the rest add."""
    cdef AxisPlan p
    cdef int q, k
    for q in range(1, nplans):          # insertion sort (axes are distinct)
        p = plans[q]
        k = q - 1
        while k >= 0 and plans[k].axis > p.axis:
            plans[k + 1] = plans[k]
            k -= 1
        plans[k + 1] = p
    for q in range(nplans):
        plans[q].accumulate = q > 0


cdef int check_length(cnp.ndarray a, int axis, int q, int eo, Scheme sc) except -1:
    # An axis too short for its stencil raises, naming the argument that makes it so.
    cdef Py_ssize_t n = cnp.PyArray_DIMS(a)[axis]
    if sc.deriv > 1 and n < edge_points(sc.deriv, sc.accuracy):
        raise ValueError(f"n={sc.deriv} with accuracy={sc.accuracy} needs at least "
                         f"{edge_points(sc.deriv, sc.accuracy)} points along axis {axis}, "
                         f"which has {n}")
    if sc.accuracy > 2 and n < sc.accuracy + 1:
        raise ValueError(f"accuracy={sc.accuracy} needs at least {sc.accuracy + 1} points "
                         f"along axis {axis}, which has {n}")
    if sc.periodic[q] and n < 1:
        raise ValueError(f"boundary='periodic' needs at least 1 point along axis {axis}")
    if not sc.periodic[q] and n < eo + 1:
        raise ValueError(TOO_SMALL)
    return 0


cdef int scheme_plan(AxisPlan* p, int q, Scheme sc, object ref, Py_ssize_t n,
                     int nthreads) except -1:
    """Apply boundary=/accuracy= to an axis planned as numpy's (weights on nthreads)."""
    if sc.taps:
        return taps_plan(p, q, sc, ref, n, nthreads)
    if sc.mode[q] != B_ONE_SIDED:
        boundary_plan(p, q, sc)
        if p.x != NULL:
            # the padded coordinates: x[-1] and x[n] are the neighbours beyond the ends
            p.x = <const char*>p.x + (sizeof(double) if p.x_double else sizeof(float))
    if sc.split:
        split_plan(p, q, sc, ref, n)
    return 0
