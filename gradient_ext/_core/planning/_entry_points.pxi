# The planner's entry points: every call reads its arguments here (`parse_call`:
# `_arguments.pxi`, then `_schemes.pxi`), plans its axes (`_axis_plans.pxi`) and
# runs one sweep (`running/_tiling.pxi`).
#
# gradient_call   the public functions' call: gradient, derivative, laplacian (and
#                 the operators' one-axis rows= calls)
# read_call       the same reading on f's shape only, for chunked and labelled callers
# kernel_gradient the kernels on spacings already read (chunks, windows)
# terms_call      the operators' one-derivative terms in one sweep (divergence, curl)


def gradient_call(f, tuple varargs, axis, edge_order, workers, out, bint generic=False,
                  boundary=ONE_SIDED, period=None, accuracy=2, int n=1,
                  bint laplacian=False, constant_values=None, nan=None):
    """numpy.gradient(f, *varargs, axis=axis, edge_order=edge_order) with out/workers,
    and gradient_ext's boundary/period/accuracy/constant_values/nan (`_schemes.pxi`).

    `n` > 1: the n-th derivative along each axis (`derivative`, edge_order 1;
    ValueError outside 1..4); `laplacian`: the sum of the axes' derivatives (one
    output, summed in increasing axis order, `run_plans`).

    Returns the result; a NumpyCall when numpy must compute it (everything
    validated); or None when the wrapper must look at the arguments first (f
    not an ndarray, or a spacing that might dispatch under NEP 18).  With
    `generic`, the wrapper has done so: f is an ndarray (maybe a subclass) and
    every spacing is read as numpy reads it.
    """
    cdef cnp.ndarray a
    if type(f) is cnp.ndarray or (generic and isinstance(f, cnp.ndarray)):
        a = <cnp.ndarray>f
    elif type(f) is list and not generic:
        a = np.asarray(f)
    else:
        return None
    if not generic:
        for v in varargs:
            if not plainly_numpy_readable(v):
                return None
    cdef int axes[MAX_DIMS]
    cdef Spacing sp[MAX_DIMS]
    cdef list held = []
    cdef CallHead head
    cdef Scheme sc = parse_call(a, varargs, axis, edge_order, workers, boundary, period,
                                accuracy, n, laplacian, axes, sp, held, &head,
                                constant_values, nan)
    cdef Kind kind = kind_of(a) if type(a) is cnp.ndarray else K_NONE
    cdef list outs = None
    cdef int nouts = 1 if laplacian else head.nplans
    stacked = None
    if out is not None and not laplacian:
        stacked = stacked_out(out, a, nouts)
        if stacked is not None:
            out = tuple(stacked)        # one view per axis, returned as the one array
    if out is not None:
        if kind != K_NONE:
            outs = user_outputs(out, a, kind, nouts)
        if outs is None:
            outs = checked_outputs(out, a, nouts)
            if not kernel_writable(outs):
                kind = K_NONE               # the kernels write native, aligned memory only
    result = run_plans(a, kind, axes, head.nplans, sp, held, head.eo, head.nthreads, outs, sc,
                       laplacian)
    if stacked is None:
        return result
    if type(result) is NumpyCall:
        (<NumpyCall>result).stacked = stacked
        return result
    return stacked


def rows_gradient_call(cnp.ndarray f, tuple varargs, axis, edge_order, workers, out,
                       boundary, period, accuracy, n, rows, constant_values=None):
    """gradient_call on one axis of an ndarray whose result is only rows
    (start, stop) of that axis, written into `out` (one array of that extent):
    the stencils read the whole axis of f, exactly as the whole call would, so
    those rows have the whole call's bits (the operators' slabs)."""
    cdef int axes[MAX_DIMS]
    cdef Spacing sp[MAX_DIMS]
    cdef list held = []
    cdef CallHead head
    cdef Rows within
    cdef Scheme sc = parse_call(f, varargs, axis, edge_order, workers, boundary, period,
                                accuracy, read_order(n), False, axes, sp, held, &head,
                                constant_values)
    return rows_call(f, kind_of(f) if type(f) is cnp.ndarray else K_NONE, axes, head, sp,
                     held, sc, out, rows, &within)


cdef bint read_rows(object rows, Py_ssize_t n, int axis, Rows* within) except -1:
    """`rows` = (start, stop) or (start, stop, whole_bytes): rows [start, stop) of an axis
    of n points, part of an output of whole_bytes (its size decides streaming stores).
    False when they do not lie within the axis."""
    if not isinstance(rows, tuple) or not 2 <= len(rows) <= 3:
        return False
    start, stop = rows[0], rows[1]
    whole = rows[2] if len(rows) == 3 else 0
    if not (0 <= start <= stop <= n and whole >= 0):
        return False
    within.axis, within.start, within.stop, within.whole_bytes = axis, start, stop, whole
    return True


cdef object rows_call(cnp.ndarray a, Kind kind, int* axes, CallHead head, Spacing* sp,
                      list held, Scheme sc, object out, object rows, Rows* within):
    """gradient_call's `rows=`: one axis, rows [start, stop) into `out`."""
    if head.nplans != 1 or kind == K_NONE or type(out) is not cnp.ndarray:
        raise TypeError("rows= computes one axis of data a kernel reads, into one out= array")
    cdef Py_ssize_t n = cnp.PyArray_DIMS(a)[axes[0]]
    if not read_rows(rows, n, axes[0], within):
        raise ValueError(f"rows={rows!r} must be (start, stop[, whole_bytes]) within the "
                         f"axis of {n} points")
    start, stop = within.start, within.stop
    view = a[(slice(None),) * axes[0] + (slice(start, stop),)]
    outs = user_outputs(out, view, kind, 1)
    if outs is None or may_overlap(out, a):
        raise ValueError(f"out must be a writeable, aligned array of shape {view.shape} and "
                         f"the result's dtype, sharing no memory with the input")
    result = run_plans(a, kind, axes, 1, sp, held, head.eo, head.nthreads, outs, sc,
                       False, within)
    if type(result) is NumpyCall:       # pragma: no cover - kind was checked
        raise TypeError("rows= needs data a kernel reads")
    return result


cdef object stacked_out(object out, cnp.ndarray a, int nouts):
    """out= given as one array of shape (k,) + f.shape for k > 1 axes: that array
    (written through its views out[0] .. out[k-1]); None for the other forms
    (one axis takes one array of f's shape, as its result is one array)."""
    if (nouts < 2 or type(out) is not cnp.ndarray
            or cnp.PyArray_NDIM(out) != cnp.PyArray_NDIM(a) + 1):
        return None
    shape = (<object>a).shape
    if out.shape[1:] != shape or out.shape[0] != nouts:
        raise ValueError(f"out has shape {out.shape}; stacked, the result has shape "
                         f"{(nouts,) + shape} (one array per axis)")
    return out


cdef struct CallHead:
    int nplans          # number of gradient axes
    int eo              # edge_order, 1 or 2
    int nthreads        # what workers= asks for (team_size() has the last word)


cdef Scheme parse_call(cnp.ndarray a, tuple varargs, object axis, object edge_order,
                       object workers, object boundary, object period, object accuracy,
                       int deriv, bint laplacian, int* axes, Spacing* sp, list held,
                       CallHead* head, object constant_values=None, object nan=None):
    """Every argument: the derivative's order n first (derivative's own argument,
    `check_order`), then numpy's order and ours: axes, spacings, edge_order,
    boundary/period/accuracy/constant_values, workers.  Returns the Scheme (None:
    numpy's)."""
    check_order(deriv)
    head.nplans = read_axes(axis, cnp.PyArray_NDIM(a), axes)
    if laplacian and head.nplans == 0:
        raise ValueError("axis: the laplacian needs at least one axis")
    read_spacings(a, varargs, axes, head.nplans, sp, held)
    head.eo = read_edge_order(edge_order)
    cdef Scheme sc = None
    if not (deriv == 1 and default_scheme(boundary, period, accuracy)
            and constant_values is None and nan is None):
        sc = read_scheme(a, varargs, axes, head.nplans, sp, held, head.eo, boundary, period,
                         accuracy, deriv, constant_values, nan)
    head.nthreads = read_workers(workers)
    return sc


cdef class ParsedCall:
    """What the planner decided about a call, read-only: chunked callers (dask)
    read it instead of deciding again.  Per-axis fields are tuples in the
    order of `axes`."""
    cdef readonly tuple axes        # non-negative axes
    cdef readonly tuple spacings    # numpy's spacing: a scalar as numpy holds it (the
                                    # user's object, or diff(x)[0] of evenly spaced
                                    # coordinates), or coordinates read as uneven
                                    # (periodic axes: the padded ones)
    cdef readonly tuple given       # the spacing argument of each axis, as the user gave
                                    # it (1.0 for none): one axis's call re-reads it alone
    cdef readonly tuple boundary    # each axis's boundary, as one name
    cdef readonly tuple constants   # boundary="constant"'s value per axis (one element of
                                    # the data's dtype), or None
    cdef readonly bint split        # nan="split"
    cdef readonly tuple reach       # nan="split": how far a non-finite value changes
                                    # results along each axis (else 0)
    cdef readonly int edge_order
    cdef readonly int accuracy
    cdef readonly int n             # the derivative's order (1: the gradient)
    cdef readonly bint taps         # k-tap stencils (accuracy > 2 or n > 1)
    cdef readonly bint default      # numpy's schemes: one-sided, accuracy 2, n 1
    cdef readonly tuple periodic    # bool
    cdef readonly tuple periods     # the period given, or None
    cdef readonly tuple extended    # coordinates of periodic and np.pad-mode axes extended
                                    # by `half` wrapped or ghost points each side, or None
    cdef readonly tuple sum_order   # the positions of `axes` in increasing axis number: the
                                    # order a sum over axes adds its terms in (the
                                    # Laplacian's, the divergence's), reversed the order a
                                    # mixed partial nests its derivatives in
    cdef readonly tuple half        # points each side of an interior point its stencil reads
    cdef readonly tuple end_span    # points the one-sided stencils of the ends span
    cdef readonly int threads       # what workers= asks for (0: workers=None, decided
                                    # by team_size() as each parallel region starts)
    cdef readonly object result_dtype


def read_call(f, tuple varargs, axis, edge_order, workers, boundary=ONE_SIDED, period=None,
              accuracy=2, n=1, dtype=None, bint laplacian=False, constant_values=None,
              nan=None):
    """gradient_call's checks of a call on f's shape (f: any ndarray, its data unread),
    for chunked callers; returns a ParsedCall.  `dtype`: the data's, when f is a
    stand-in (by default f's).  Coordinates in `spacings` are contiguous and
    aligned float32/float64 where the kernels read them.  `laplacian`: a sum over
    the axes (at least one axis), whose terms are summed in increasing axis number.
    """
    cdef cnp.ndarray a = f
    cdef int axes[MAX_DIMS]
    cdef Spacing sp[MAX_DIMS]
    cdef list held = []
    cdef CallHead head
    cdef Scheme sc = parse_call(a, varargs, axis, edge_order, workers, boundary, period,
                                accuracy, read_order(n), laplacian, axes, sp, held, &head,
                                constant_values, nan)
    cdef int q, nplans = head.nplans
    for q in range(nplans):             # after workers, as in run_plans
        if sc is not None:
            check_length(a, axes[q], q, head.eo, sc)
        elif cnp.PyArray_DIMS(a)[axes[q]] < head.eo + 1:
            raise ValueError(TOO_SMALL)
    cdef ParsedCall call = ParsedCall.__new__(ParsedCall)
    call.axes = tuple([axes[q] for q in range(nplans)])
    call.sum_order = tuple(sorted(range(nplans), key=call.axes.__getitem__))
    call.given = tuple([(varargs[q] if len(varargs) == nplans else varargs[0])
                        if varargs else 1.0 for q in range(nplans)])
    call.spacings = tuple([spacing_value(&sp[q], held[q] if held else None, call.given[q])
                           for q in range(nplans)])
    call.boundary = tuple([BOUNDARIES[sc.mode[q]] if sc is not None else ONE_SIDED
                           for q in range(nplans)])
    call.constants = tuple(sc.constants) if sc is not None else (None,) * nplans
    call.split = sc is not None and sc.split
    call.reach = (split_reach(sc, head.eo) if call.split else 0,) * nplans
    call.edge_order = head.eo
    call.threads = head.nthreads
    call.accuracy = 2 if sc is None else sc.accuracy
    call.n = 1 if sc is None else sc.deriv
    call.taps = sc is not None and sc.taps
    call.default = sc is None or not (sc.taps or sc.any_periodic or sc.any_ghost or sc.split)
    call.periodic = tuple([sc is not None and sc.periodic[q] for q in range(nplans)])
    call.periods = tuple(sc.periods) if sc is not None else (None,) * nplans
    call.extended = tuple(sc.extended) if sc is not None else (None,) * nplans
    call.half = (stencil_half(sc),) * nplans
    call.end_span = (end_span(sc, head.eo),) * nplans
    call.result_dtype = output_dtype(np.dtype(a.dtype if dtype is None else dtype))
    return call


def scheme_flags(boundary, period, int nplans):
    """(periodic flags, periods) of boundary=/period= for nplans axes, with the
    planner's errors: for stand-ins built before the planner reads a call."""
    cdef Scheme sc = Scheme.__new__(Scheme)
    cdef int q
    if not 0 <= nplans <= MAX_DIMS:
        raise ValueError(f"{nplans} axes: at most {MAX_DIMS}")
    read_modes(boundary, nplans, sc)
    return [bool(sc.periodic[q]) for q in range(nplans)], read_periods(period, nplans, sc)


def ghost_points(positions, Py_ssize_t n, boundary):
    """The points of an axis of n points whose values sit at `positions` (integers,
    any of them beyond either end) under `boundary` (one name other than
    "one-sided"): the kernels' own rule (`ghost_index`), as an int64 array; -1
    where boundary="constant"'s value sits.  For chunked callers' halos."""
    cdef int mode = read_boundary_value(boundary, 0, False)
    if mode == B_ONE_SIDED or n < 1:
        raise ValueError(f"no ghost points: boundary={boundary!r}, {n} points")
    cdef cnp.ndarray j = np.array(positions, dtype=np.int64).ravel()
    cdef cnp.ndarray out = np.empty_like(j)
    cdef int64_t* jp = <int64_t*>cnp.PyArray_DATA(j)
    cdef int64_t* op = <int64_t*>cnp.PyArray_DATA(out)
    cdef Py_ssize_t k
    for k in range(j.shape[0]):
        op[k] = ghost_index(jp[k], n, mode)
    return out


cdef object spacing_value(Spacing* s, object ref, object given):
    """numpy's spacing object from what read_spacings made of `given`."""
    if s.form == SP_OBJECT or s.form == SP_COORDS or s.form == SP_NUMPY:
        return ref
    if np.ndim(given) == 0:
        return given
    return _NP_FLOAT64(s.h) if s.form == SP_DOUBLE else _NP_FLOAT32(s.h)   # collapsed


def axes_of(axis, int ndim):
    """numpy's normalisation of `axis` for an ndim-dimensional array (a tuple)."""
    cdef int axes[MAX_DIMS]
    if not 0 <= ndim <= MAX_DIMS:
        raise ValueError(f"{ndim} dimensions: at most {MAX_DIMS}")
    cdef int q, k = read_axes(axis, ndim, axes)
    return tuple([axes[q] for q in range(k)])


def threads_now(workers, Py_ssize_t units=MAX_WORKERS):
    """The team a parallel region of `units` pieces of work would start now for this
    `workers` argument (workers=None: no more threads than idle CPUs)."""
    return team_size(read_workers(workers), units)


def threads_for(workers):
    """The threads a call with this `workers` argument may use (validated)."""
    return read_workers(workers)


def check_out(out, f, int nouts, tuple others=()):
    """out= of an operator with `nouts` results of f's shape and result dtype,
    validated as gradient's (`checked_outputs`), and sharing no memory with
    the `others` inputs either; returns the list of arrays."""
    outs = checked_outputs(out, f, nouts)
    for o in outs:
        for g in others:
            if o.size and may_overlap(o, g):
                raise ValueError("out must not share memory with the input")
    return outs


def result_dtype(dtype):
    """The dtype numpy.gradient returns for data of `dtype`."""
    return output_dtype(np.dtype(dtype))


cdef bint read_spacings_given(cnp.ndarray a, list dx, int* ax, int nplans, Spacing* sp,
                              list held) except -1:
    """kernel_gradient's and terms_kernel's spacings, already read by the caller: a
    scalar as numpy holds it (0-d arrays included), or 1-D coordinates computed as
    uneven, never collapsed.  False for anything else (no kernel call)."""
    cdef int q
    for q in range(nplans):
        v = dx[q]
        if plain_scalar(v, &sp[q]):
            continue
        if isinstance(v, cnp.ndarray) and v.ndim == 1:
            read_coordinates(v, cnp.PyArray_DIMS(a)[ax[q]], &sp[q], held, q, False)
        elif np.ndim(v) == 0:
            sp[q].form = SP_OBJECT
            held[q] = v
        else:
            return False
    return True


def kernel_gradient(cnp.ndarray f, list dx, tuple axes, int edge_order, int nthreads,
                    int accuracy=2, n=1, list outs=None, rows=None, nan=None):
    """The kernels on spacings already read, for chunked callers (see _api).

    Each ``dx[k]`` is a scalar, or 1-D float32/float64 coordinates computed as
    uneven, never collapsed.  `accuracy` 4, 6, 8: the one-sided k-tap schemes
    (edge_order 1); `n` 2..4: derivative(n=n)'s schemes.  Returns the
    list of results, or None when no kernel computes it.  `outs`: one array per
    axis to write into, of the result's shape and dtype (native, aligned, writeable,
    sharing no memory with f or each other: else None is returned).  An order
    `n` outside 1..4 raises ValueError.  `rows` = (start, stop): one axis, only
    rows [start, stop) of its result, into `outs` of that extent (gradient_call's).
    """
    cdef int deriv = read_order(n)
    cdef Scheme sc = None
    cdef int q, nplans = len(axes)
    cdef int ax[MAX_DIMS]
    cdef Spacing sp[MAX_DIMS]
    cdef list held = [None] * nplans
    cdef Kind kind = kind_of(f) if type(f) is cnp.ndarray else K_NONE
    if nplans > MAX_DIMS or nplans != len(dx) or not 1 <= edge_order <= 2:
        return None
    if accuracy != 2 or deriv != 1 or nan is not None:
        sc = read_scheme(f, (), ax, nplans, sp, held, edge_order, ONE_SIDED, None, accuracy,
                         deriv, None, nan)
    for q in range(nplans):
        ax[q] = axes[q]
    if not read_spacings_given(f, dx, ax, nplans, sp, held):
        return None
    cdef Rows within
    if sc is not None and sc.split and rows is not None:
        return None                     # nan="split" reads whole lines
    cdef const Rows* limit = NULL
    target = f
    if rows is not None:
        if nplans != 1 or outs is None or not read_rows(rows, cnp.PyArray_DIMS(f)[ax[0]],
                                                        ax[0], &within):
            return None
        target = f[(slice(None),) * ax[0] + (slice(within.start, within.stop),)]
        limit = &within
    if outs is not None and (kind == K_NONE or user_outputs(outs, target, kind, nplans) is None
                             or (rows is not None and may_overlap(outs[0], f))):
        return None                     # not arrays the kernels may write as they are
    result = run_plans(f, kind, ax, nplans, sp, held, edge_order, nthreads, outs, sc,
                       False, limit)
    if type(result) is NumpyCall:
        return None
    return list(result) if nplans != 1 else [result]


def terms_call(tuple sources, tuple varargs, axis, edge_order, workers, list outs,
               boundary=ONE_SIDED, period=None, accuracy=2, n=1, tuple terms=(),
               constant_values=None, nan=None):
    """The operators' one-derivative terms in one sweep (divergence, curl).

    `sources`: ndarrays of one shape, dtype and strides (the fields' components;
    the call is read on sources[0]); `outs`: the output arrays, of the result's
    shape and dtype, already validated (`check_out`).  `terms`: (q, source,
    output, combine) in order: the derivative along the q-th axis of the call
    of sources[source], stored into (combine 0, each output's first term),
    added to (+1) or subtracted from (-1) outs[output], in the output's dtype.
    Returns the list of outputs; None when the sources' layouts differ (the
    caller makes them alike).
    """
    cdef cnp.ndarray a = sources[0]
    cdef int axes[MAX_DIMS]
    cdef Spacing sp[MAX_DIMS]
    cdef AxisPlan plans[MAX_DIMS]
    cdef list held = []
    cdef CallHead head
    cdef Scheme sc = parse_call(a, varargs, axis, edge_order, workers, boundary, period,
                                accuracy, read_order(n), False, axes, sp, held, &head,
                                constant_values, nan)
    cdef Kind kind = terms_kind(sources, outs, terms)
    if kind == K_NONE:
        return None
    if not plan_every_axis(a, kind, axes, head.nplans, sp, held, head.eo, head.nthreads, sc,
                           plans):
        raise TypeError("terms_call: no kernel computes these spacings")
    return run_terms(a, kind, sources, outs, terms, plans, head.nplans, head.nthreads)


def terms_kernel(tuple sources, list dx, tuple axes, int edge_order, int nthreads,
                 int accuracy=2, n=1, list outs=None, tuple terms=(), nan=None):
    """terms_call on spacings already read, for chunked callers: `dx` as
    kernel_gradient's (scalars, or coordinates computed as uneven, never
    collapsed; one-sided schemes).  None when the sources' layouts differ or no
    kernel computes them."""
    cdef cnp.ndarray a = sources[0]
    cdef int deriv = read_order(n)
    cdef Scheme sc = None
    cdef int q, nplans = len(axes)
    cdef int ax[MAX_DIMS]
    cdef Spacing sp[MAX_DIMS]
    cdef AxisPlan plans[MAX_DIMS]
    cdef list held = [None] * nplans
    if nplans > MAX_DIMS or nplans != len(dx) or not 1 <= edge_order <= 2:
        return None
    cdef Kind kind = terms_kind(sources, outs, terms)
    if kind == K_NONE:
        return None
    for q in range(nplans):
        ax[q] = axes[q]
    if accuracy != 2 or deriv != 1 or nan is not None:
        sc = read_scheme(a, (), ax, nplans, sp, held, edge_order, ONE_SIDED, None, accuracy,
                         deriv, None, nan)
    if not read_spacings_given(a, dx, ax, nplans, sp, held):
        return None
    if not plan_every_axis(a, kind, ax, nplans, sp, held, edge_order, nthreads, sc, plans):
        return None
    return run_terms(a, kind, sources, outs, terms, plans, nplans, nthreads)


cdef Kind terms_kind(tuple sources, list outs, tuple terms) except *:
    """The kernel of the sources' data: K_NONE unless they share one kind, shape and
    strides (and the outputs are ones the kernels may write)."""
    cdef cnp.ndarray a = sources[0]
    cdef Kind kind = kind_of(a) if type(a) is cnp.ndarray else K_NONE
    if kind == K_NONE or not 0 < len(terms) <= MAX_DIMS:
        return K_NONE
    for src in sources:
        if (type(src) is not cnp.ndarray or kind_of(<cnp.ndarray>src) != kind
                or (<object>src).shape != (<object>a).shape
                or (<object>src).strides != (<object>a).strides):
            return K_NONE
    for o in outs:
        if user_outputs(o, a, kind, 1) is None:
            raise ValueError("out: the kernels write native, aligned arrays of the result's "
                             "shape and dtype that share no memory with the input")
    return kind


cdef object run_terms(cnp.ndarray a, Kind kind, tuple sources, list outs, tuple terms,
                      AxisPlan* plans, int nplans, int nthreads):
    """The terms' plans (copies of their axes' plans, each with its source and how it
    meets its output), then one sweep."""
    cdef AxisPlan tp[MAX_DIMS]
    cdef int k, nterms = len(terms)
    cdef list touched = []
    cdef list term_outs = []
    for k in range(nterms):
        q, j, o, combine = terms[k]
        if not (0 <= q < nplans and 0 <= j < len(sources) and 0 <= o < len(outs)
                and combine in (-1, 0, 1) and (combine == 0) == (o not in touched)):
            raise ValueError(f"terms: term {k} = {terms[k]!r} is not a term of this call "
                             f"(each output's first term stores, the others add or subtract)")
        touched.append(o)
        tp[k] = plans[q]
        tp[k].src = NULL if j == 0 else <const char*>cnp.PyArray_DATA(<cnp.ndarray>sources[j])
        tp[k].combine = combine
        if combine == 1 and tp[k].half:
            # a k-tap term added: summed straight into the output, as the Laplacian's
            # later axes are (o + round(sum), the bits of the buffered combine)
            tp[k].combine = 0
            tp[k].accumulate = True
        term_outs.append(outs[o])
    execute(a, kind, term_outs, tp, nterms, nthreads)
    return outs
