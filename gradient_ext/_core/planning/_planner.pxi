# numpy.gradient's decisions, made in one place for every call form: the planner.
#
# `gradient_call` takes the arguments exactly as the user passed them and does
# what numpy.gradient does before its arithmetic, in numpy's order, so that the
# same mistake raises the same exception:
#
# 1. the axes (`read_axes`): None, an int, a numpy integer, a tuple or a list;
# 2. the spacings (`read_spacings`): none, one scalar, or one scalar or one
#    coordinate array per axis, mixed freely; coordinates are checked, made
#    float (integers become float64, as in numpy) and evenly spaced ones
#    collapse to the strong scalar ``diff(x)[0]``, as numpy collapses them;
# 3. edge_order, then gradient_ext's own workers and out;
# 4. per axis, numpy's too-small check and its coefficients in the precision
#    NEP 50 gives (`plan_axis`): Python scalars are weak (the data's precision
#    wins), numpy scalars and coordinate arrays are strong.
#
# The result is one AxisPlan per axis for the tiling, or a NumpyCall when no
# kernel reads the data or a spacing (float16, object, subclasses, ...): the
# call is then fully validated, and the wrapper only runs numpy.gradient.

from numpy.lib.array_utils import normalize_axis_tuple
import operator

TOO_SMALL = ("Shape of array too small to calculate a numerical gradient, "
             "at least (edge_order + 1) elements are required.")

cdef object _NP_FLOAT64 = np.float64
cdef object _NP_FLOAT32 = np.float32
cdef object _FLOAT64_DTYPE = np.dtype(np.float64)
cdef object _FLOAT32_DTYPE = np.dtype(np.float32)
cdef object _COMPLEX_CALC = {np.dtype(np.complex64): False, np.dtype(np.complex128): True}
cdef object _REAL_CALC = {_FLOAT32_DTYPE: False, _FLOAT64_DTYPE: True}
cdef dict _result_types = {}       # (work, operand) dtype chars -> np.result_type
# Python ints beyond this are not exact in a double; numpy's own path handles them.
cdef double EXACT_INT = 9007199254740992.0      # 2**53


cdef class NumpyCall:
    """A call validated by the planner that numpy.gradient itself must compute."""
    cdef readonly tuple axes
    cdef readonly int edge_order
    cdef readonly object outs       # the validated out= arrays, or None
    cdef readonly tuple wrap        # boundary="periodic": the axes numpy gets wrap-padded
    cdef readonly tuple varargs     # ... and the spacings it reads there (padded coordinates)
    cdef readonly object stacked    # out= given as one (k,) + shape array: returned as the result


cdef enum Form:
    SP_WEAK         # a Python float, int or bool: the data's precision (NEP 50)
    SP_DOUBLE       # an np.float64, or collapsed float64 coordinates: strong
    SP_SINGLE       # an np.float32, or collapsed float32 coordinates: strong
    SP_OBJECT       # any other scalar: numpy's expressions are evaluated on it
    SP_COORDS       # uneven float32/float64 coordinates (kept in `held`)
    SP_NUMPY        # no kernel reads this spacing (float16 coordinates, ...)


cdef struct Spacing:
    Form form
    double h


# ---------------------------------------------------------------------------
# 1. Axes
# ---------------------------------------------------------------------------

cdef int read_axes(object axis, int ndim, int* axes) except -1:
    """numpy's normalize_axis_tuple; returns the number of axes."""
    cdef int q, k, a
    if axis is None:
        for q in range(ndim):
            axes[q] = q
        return ndim
    if type(axis) is int and -ndim <= axis < ndim:
        axes[0] = axis + ndim if axis < 0 else axis
        return 1
    if (type(axis) is tuple or type(axis) is list) and len(axis) <= ndim:
        for q in range(len(axis)):
            item = axis[q]
            if type(item) is not int or not -ndim <= item < ndim:
                break
            a = item
            axes[q] = a + ndim if a < 0 else a
            for k in range(q):
                if axes[k] == axes[q]:
                    break
            else:
                continue
            break
        else:
            return len(axis)
    # numpy integers, and every mistake: numpy's own normalisation and errors
    normalized = normalize_axis_tuple(axis, ndim)
    for q in range(len(normalized)):
        axes[q] = normalized[q]
    return len(normalized)


# ---------------------------------------------------------------------------
# 2. Spacings
# ---------------------------------------------------------------------------

cdef inline bint plain_scalar(object v, Spacing* s) noexcept:
    """The scalar types read without Python arithmetic; False for any other."""
    t = type(v)
    if t is float:
        s.form = SP_WEAK
        s.h = v
    elif t is int:
        if not -EXACT_INT < v < EXACT_INT:
            return False
        s.form = SP_WEAK
        s.h = v
    elif t is _NP_FLOAT64:
        s.form = SP_DOUBLE
        s.h = v
    elif t is _NP_FLOAT32:
        s.form = SP_SINGLE
        s.h = v
    elif t is bool:
        s.form = SP_WEAK
        s.h = 1.0 if v else 0.0
    else:
        return False
    return True


cdef bint plainly_numpy_readable(object v) noexcept:
    """Spacings whose reading never dispatches (NEP 18) nor runs user code."""
    t = type(v)
    return (t is float or t is int or t is bool or t is cnp.ndarray or t is list
            or t is tuple or isinstance(v, np.generic))


cdef int read_spacings(cnp.ndarray f, tuple varargs, int* axes, int nplans,
                       Spacing* sp, list held) except -1:
    """numpy's reading of varargs into one Spacing per axis (held: their objects)."""
    cdef int q, n = len(varargs)
    cdef Spacing one
    if n == 0:
        for q in range(nplans):
            sp[q].form = SP_WEAK
            sp[q].h = 1.0
        return 0
    if n == 1 and scalar_spacing(varargs[0], &one, held, 0):
        for q in range(nplans):
            sp[q] = one
            if q:
                held.append(held[0])
        return 0
    if n != nplans:
        raise TypeError("invalid number of arguments")
    for q in range(nplans):
        v = varargs[q]
        held.append(None)
        if plain_scalar(v, &sp[q]):
            continue
        d = v if isinstance(v, cnp.ndarray) else np.asanyarray(v)
        if d.ndim == 0:
            sp[q].form = SP_OBJECT       # numpy keeps the object itself
            held[q] = v
            continue
        if d.ndim != 1:
            raise ValueError("distances must be either scalars or 1d")
        read_coordinates(d, cnp.PyArray_DIMS(f)[axes[q]], &sp[q], held, q, True)
    return 0


cdef bint scalar_spacing(object v, Spacing* s, list held, int q) except -1:
    """numpy's ``n == 1 and np.ndim(varargs[0]) == 0``: one scalar for all axes."""
    if plain_scalar(v, s):
        held.append(None)
        return True
    if (v.ndim if isinstance(v, cnp.ndarray) else np.ndim(v)) != 0:
        return False
    s.form = SP_OBJECT
    held.append(v)
    return True


cdef int read_coordinates(object d, Py_ssize_t n, Spacing* s, list held, int q,
                          bint collapse) except -1:
    """One axis's 1-D coordinates: numpy's checks, float conversion and collapse."""
    if len(d) != n:
        raise ValueError("when 1d, distances must match "
                         "the length of the corresponding dimension")
    if n < 2:
        # numpy fails later with IndexError on diffx[0]; say what is wrong.
        raise ValueError(TOO_SMALL)
    if d.dtype.kind in "iu":
        d = d.astype(np.float64)     # float64 avoids modular arithmetic in np.diff, as numpy
    elif d.dtype.kind == "f" and not d.dtype.isnative:
        d = d.astype(d.dtype.newbyteorder("="))    # same values, readable by the kernels
    if type(d) is not cnp.ndarray or d.dtype not in _REAL_CALC:
        # float16, longdouble, datetime, masked...: numpy's own path.  Its
        # differencing runs here, so that its errors (bool, strings) come first.
        diffx = np.diff(d)
        even = (diffx == diffx[0]).all()
        s.form = SP_NUMPY
        held[q] = diffx[0] if collapse and even else d     # numpy's value (read_call)
        return 0
    x = np.ascontiguousarray(d)
    if not cnp.PyArray_ISALIGNED(x):
        x = x.copy()                  # the kernels read aligned memory (unpickled buffers are not)
    if collapse and evenly_spaced(x):
        # numpy reduces evenly spaced coordinates to the strong scalar diff(x)[0]
        if cnp.PyArray_TYPE(x) == cnp.NPY_DOUBLE:
            s.form = SP_DOUBLE
            s.h = (<const double*>cnp.PyArray_DATA(x))[1] - (<const double*>cnp.PyArray_DATA(x))[0]
        else:
            s.form = SP_SINGLE
            s.h = (<const float*>cnp.PyArray_DATA(x))[1] - (<const float*>cnp.PyArray_DATA(x))[0]
        return 0
    s.form = SP_COORDS
    held[q] = x
    return 0


cdef bint evenly_spaced(cnp.ndarray x) noexcept:
    """numpy's ``(np.diff(x) == np.diff(x)[0]).all()`` in one pass, for float x."""
    cdef Py_ssize_t n = cnp.PyArray_DIMS(x)[0]
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


# ---------------------------------------------------------------------------
# 3. edge_order and workers (out: _outputs.pxi)
# ---------------------------------------------------------------------------

cdef int read_edge_order(object edge_order) except -1:
    if type(edge_order) is int and (edge_order == 1 or edge_order == 2):
        return edge_order
    if edge_order > 2:
        raise ValueError("'edge_order' greater than 2 not supported")
    if edge_order == 1:
        return 1
    if edge_order == 2:
        return 2
    raise ValueError(f"'edge_order' must be 1 or 2, got {edge_order!r}")


cdef int read_workers(object workers) except -1:
    if workers is None:
        return AUTO_THREADS             # team_size() decides, when a region starts
    if type(workers) is int and 1 <= workers <= MAX_WORKERS:
        return workers
    if isinstance(workers, (bool, np.bool_)):
        raise TypeError("workers must be an integer or None")
    w = operator.index(workers)         # TypeError for 1.5, "2"
    if w == -1:
        return _usable_cpus
    if w < 1:
        raise ValueError(f"workers must be a positive integer or -1, got {w}")
    return min(w, MAX_WORKERS)          # no more than units of work run anyway


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


include "_schemes.pxi"


# ---------------------------------------------------------------------------
# Entry points
# ---------------------------------------------------------------------------

def gradient_call(f, tuple varargs, axis, edge_order, workers, out, bint generic=False,
                  boundary=ONE_SIDED, period=None, accuracy=2, deriv=1,
                  bint laplacian=False, rows=None):
    """numpy.gradient(f, *varargs, axis=axis, edge_order=edge_order) with out/workers,
    and gradient_ext's boundary/period/accuracy (`_schemes.pxi`).

    `deriv` n > 1: the n-th derivative along each axis (`derivative`, edge_order 1);
    `laplacian`: the sum of the axes' derivatives (one output, summed in
    increasing axis order, `run_plans`).

    Returns the result; a NumpyCall when numpy must compute it (everything
    validated); or None when the wrapper must look at the arguments first (f
    not an ndarray, or a spacing that might dispatch under NEP 18).  With
    `generic`, the wrapper has done so: f is an ndarray (maybe a subclass) and
    every spacing is read as numpy reads it.

    `rows` = (start, stop), for the operators' slabs: a call on one axis whose
    result is only rows [start, stop) of that axis, written into `out` (one
    array of that extent); the stencils read the whole axis of f, exactly as
    the whole call would, so those rows have the whole call's bits.
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
                                accuracy, deriv, laplacian, axes, sp, held, &head)
    cdef Kind kind = kind_of(a) if type(a) is cnp.ndarray else K_NONE
    cdef list outs = None
    cdef int nouts = 1 if laplacian else head.nplans
    cdef Rows within
    if rows is not None:
        return rows_call(a, kind, axes, head, sp, held, sc, out, rows, &within)
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


cdef object rows_call(cnp.ndarray a, Kind kind, int* axes, CallHead head, Spacing* sp,
                      list held, Scheme sc, object out, object rows, Rows* within):
    """gradient_call's `rows=`: one axis, rows [start, stop) into `out`."""
    if head.nplans != 1 or kind == K_NONE or type(out) is not cnp.ndarray:
        raise TypeError("rows= computes one axis of data a kernel reads, into one out= array")
    start, stop = rows
    cdef Py_ssize_t n = cnp.PyArray_DIMS(a)[axes[0]]
    if not 0 <= start <= stop <= n:
        raise ValueError(f"rows=({start}, {stop}) must lie within the axis of {n} points")
    view = a[(slice(None),) * axes[0] + (slice(start, stop),)]
    outs = user_outputs(out, view, kind, 1)
    if outs is None or may_overlap(out, a):
        raise ValueError(f"out must be a writeable, aligned array of shape {view.shape} and "
                         f"the result's dtype, sharing no memory with the input")
    within.axis, within.start, within.stop = axes[0], start, stop
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
                       object n, bint laplacian, int* axes, Spacing* sp, list held,
                       CallHead* head):
    """Every argument: the derivative's order n first (derivative's own argument),
    then numpy's order and ours: axes, spacings, edge_order, boundary/period/
    accuracy, workers.  Returns the Scheme (None: numpy's)."""
    cdef int deriv = read_order(n)
    head.nplans = read_axes(axis, cnp.PyArray_NDIM(a), axes)
    if laplacian and head.nplans == 0:
        raise ValueError("axis: the laplacian needs at least one axis")
    read_spacings(a, varargs, axes, head.nplans, sp, held)
    head.eo = read_edge_order(edge_order)
    cdef Scheme sc = None
    if not (deriv == 1 and default_scheme(boundary, period, accuracy)):
        sc = read_scheme(a, varargs, axes, head.nplans, sp, held, head.eo, boundary, period,
                         accuracy, deriv)
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
    cdef readonly int edge_order
    cdef readonly int accuracy
    cdef readonly int deriv         # the derivative's order n (1: the gradient)
    cdef readonly bint taps         # k-tap stencils (accuracy > 2 or n > 1)
    cdef readonly bint default      # numpy's schemes: one-sided, accuracy 2, n 1
    cdef readonly tuple periodic    # bool
    cdef readonly tuple periods     # the period given, or None
    cdef readonly tuple extended    # periodic coordinates extended by `half` wrapped
                                    # points each side, or None
    cdef readonly tuple half        # points each side of an interior point its stencil reads
    cdef readonly tuple end_span    # points the one-sided stencils of the ends span
    cdef readonly int threads       # what workers= asks for (0: workers=None, decided
                                    # by team_size() as each parallel region starts)
    cdef readonly object result_dtype


def read_call(f, tuple varargs, axis, edge_order, workers, boundary=ONE_SIDED, period=None,
              accuracy=2, deriv=1, dtype=None, bint laplacian=False):
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
                                accuracy, deriv, laplacian, axes, sp, held, &head)
    cdef int q, nplans = head.nplans
    for q in range(nplans):             # after workers, as in run_plans
        if sc is not None:
            check_length(a, axes[q], q, head.eo, sc)
        elif cnp.PyArray_DIMS(a)[axes[q]] < head.eo + 1:
            raise ValueError(TOO_SMALL)
    cdef ParsedCall call = ParsedCall.__new__(ParsedCall)
    call.axes = tuple([axes[q] for q in range(nplans)])
    call.given = tuple([(varargs[q] if len(varargs) == nplans else varargs[0])
                        if varargs else 1.0 for q in range(nplans)])
    call.spacings = tuple([spacing_value(&sp[q], held[q] if held else None, call.given[q])
                           for q in range(nplans)])
    call.boundary = tuple([PERIODIC if sc is not None and sc.periodic[q] else ONE_SIDED
                           for q in range(nplans)])
    call.edge_order = head.eo
    call.threads = head.nthreads
    call.accuracy = 2 if sc is None else sc.accuracy
    call.deriv = 1 if sc is None else sc.deriv
    call.taps = sc is not None and sc.taps
    call.default = sc is None or not (sc.taps or sc.any_periodic)
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
    read_boundary(boundary, nplans, sc.periodic)
    sc.any_periodic = any([sc.periodic[q] for q in range(nplans)])
    return [bool(sc.periodic[q]) for q in range(nplans)], read_periods(period, nplans, sc)


cdef object spacing_value(Spacing* s, object ref, object given):
    """numpy's spacing object from what read_spacings made of `given`."""
    if s.form == SP_OBJECT or s.form == SP_COORDS or s.form == SP_NUMPY:
        return ref
    if np.ndim(given) == 0:
        return given
    return _NP_FLOAT64(s.h) if s.form == SP_DOUBLE else _NP_FLOAT32(s.h)   # collapsed


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


def kernel_gradient(cnp.ndarray f, list dx, tuple axes, int edge_order, int nthreads,
                    int accuracy=2, n=1, list outs=None, rows=None):
    """The kernels on spacings already read, for chunked callers (see _api).

    Each ``dx[k]`` is a scalar, or 1-D float32/float64 coordinates computed as
    uneven, never collapsed.  `accuracy` 4, 6, 8: the one-sided k-tap schemes
    (edge_order 1); `deriv` 2..4: derivative(n=deriv)'s schemes.  Returns the
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
    if accuracy != 2 or deriv != 1:
        sc = read_scheme(f, (), ax, nplans, sp, held, edge_order, ONE_SIDED, None, accuracy,
                         deriv)
    for q in range(nplans):
        ax[q] = axes[q]
        v = dx[q]
        if plain_scalar(v, &sp[q]):
            continue
        if isinstance(v, cnp.ndarray) and v.ndim == 1:
            read_coordinates(v, cnp.PyArray_DIMS(f)[ax[q]], &sp[q], held, q, False)
        elif np.ndim(v) == 0:
            sp[q].form = SP_OBJECT
            held[q] = v
        else:
            return None
    cdef Rows within
    cdef const Rows* limit = NULL
    target = f
    if rows is not None:
        start, stop = rows
        if nplans != 1 or outs is None or not 0 <= start <= stop <= cnp.PyArray_DIMS(f)[ax[0]]:
            return None
        target = f[(slice(None),) * ax[0] + (slice(start, stop),)]
        within.axis, within.start, within.stop = ax[0], start, stop
        limit = &within
    if outs is not None and (kind == K_NONE or user_outputs(outs, target, kind, nplans) is None
                             or (rows is not None and may_overlap(outs[0], f))):
        return None                     # not arrays the kernels may write as they are
    result = run_plans(f, kind, ax, nplans, sp, held, edge_order, nthreads, outs, sc,
                       False, limit)
    if type(result) is NumpyCall:
        return None
    return list(result) if nplans != 1 else [result]


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
            if sc.taps:
                what = (f"accuracy={sc.accuracy}" if sc.deriv == 1 else
                        f"the derivative of order n={sc.deriv}")
                raise TypeError(f"{what} is computed for float32, float64, complex64, "
                                f"complex128 and integer arrays with real spacings, not for "
                                f"{a.dtype} data or these spacings (convert them first, "
                                f"for example with f.astype(np.float64))")
        call = NumpyCall.__new__(NumpyCall)
        call.axes = tuple([axes[q] for q in range(nplans)])
        call.edge_order = eo
        call.outs = None if fresh else outs
        if sc is not None and sc.any_periodic:
            call.wrap = tuple([axes[q] for q in range(nplans) if sc.periodic[q]])
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


def terms_call(tuple sources, tuple varargs, axis, edge_order, workers, list outs,
               boundary=ONE_SIDED, period=None, accuracy=2, n=1, tuple terms=()):
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
    cdef AxisPlan tp[MAX_DIMS]
    cdef list held = []
    cdef CallHead head
    cdef Scheme sc = parse_call(a, varargs, axis, edge_order, workers, boundary, period,
                                accuracy, n, False, axes, sp, held, &head)
    cdef Kind kind = kind_of(a) if type(a) is cnp.ndarray else K_NONE
    cdef int k, nterms = len(terms)
    if kind == K_NONE or not 0 < nterms <= MAX_DIMS:
        raise TypeError("terms_call computes arrays a kernel reads, with 1 to 64 terms")
    for src in sources:
        if (type(src) is not cnp.ndarray or kind_of(<cnp.ndarray>src) != kind
                or (<object>src).shape != (<object>a).shape
                or (<object>src).strides != (<object>a).strides):
            return None
    for o in outs:
        if user_outputs(o, a, kind, 1) is None:
            raise ValueError("out: the kernels write native, aligned arrays of the result's "
                             "shape and dtype that share no memory with the input")
    if not plan_every_axis(a, kind, axes, head.nplans, sp, held, head.eo, head.nthreads, sc,
                           plans):
        raise TypeError("terms_call: no kernel computes these spacings")
    cdef list touched = []
    cdef list term_outs = []
    for k in range(nterms):
        q, j, o, combine = terms[k]
        if not (0 <= q < head.nplans and 0 <= j < len(sources) and 0 <= o < len(outs)
                and combine in (-1, 0, 1) and (combine == 0) == (o not in touched)):
            raise ValueError(f"terms_call: term {k} = {terms[k]!r} is not a term of this call "
                             f"(each output's first term stores, the others add or subtract)")
        touched.append(o)
        tp[k] = plans[q]
        tp[k].src = NULL if j == 0 else <const char*>cnp.PyArray_DATA(<cnp.ndarray>sources[j])
        tp[k].combine = combine
        term_outs.append(outs[o])
    execute(a, kind, term_outs, tp, nterms, head.nthreads)
    return outs


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
    if sc.periodic[q]:
        p.periodic = True
        if p.x != NULL:
            # the padded coordinates: x[-1] and x[n] are the wrapped neighbours
            p.x = <const char*>p.x + (sizeof(double) if p.x_double else sizeof(float))
    return 0
