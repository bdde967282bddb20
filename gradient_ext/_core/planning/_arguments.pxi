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
# numpy's messages for coordinate arrays (the dask path reads lazy coordinates with them)
NOT_1D = "distances must be either scalars or 1d"
LENGTH_MISMATCH = "when 1d, distances must match the length of the corresponding dimension"

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
    cdef readonly tuple pads        # boundary= beyond one-sided: (axis, name, constant or
                                    # None) per axis numpy gets padded (np.pad's modes, "wrap")
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
            raise ValueError(NOT_1D)
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
    check_coordinate_length(len(d), n)
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


cdef int check_coordinate_length(Py_ssize_t length, Py_ssize_t n) except -1:
    """numpy's check of 1-D coordinates against an axis of n points."""
    if length != n:
        raise ValueError(LENGTH_MISMATCH)
    if n < 2:
        # numpy fails later with IndexError on diffx[0]; say what is wrong.
        raise ValueError(TOO_SMALL)
    return 0


def check_coordinate_shape(int ndim, Py_ssize_t length, Py_ssize_t n):
    """The checks numpy makes of a coordinate array's shape (ndim, length) for an
    axis of n points, in numpy's order: for coordinates read lazily (dask)."""
    if ndim != 1:
        raise ValueError(NOT_1D)
    check_coordinate_length(length, n)


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
