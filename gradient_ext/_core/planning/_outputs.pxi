# Output arrays: fresh allocation like np.empty_like, and validation of out=.


cdef extern from "numpy/arrayobject.h":
    # Declared here because numpy's .pxd lacks it; `descr` is a stolen reference.
    object PyArray_NewLikeArray(cnp.ndarray prototype, cnp.NPY_ORDER order,
                                cnp.PyArray_Descr* descr, int subok)

cdef int output_type(Kind kind) noexcept:
    """The result's type number for data of `kind`: floating and complex data keep
    their type, integers give float64 (numpy's otype, for the kernels' kinds)."""
    if kind == K_F32:
        return cnp.NPY_FLOAT
    if kind == K_C64:
        return cnp.NPY_CFLOAT
    if kind == K_C128:
        return cnp.NPY_CDOUBLE
    return cnp.NPY_DOUBLE


cdef object new_output(cnp.ndarray f, Kind kind):
    """np.empty_like(f, dtype=otype) through the C API (a tenth of the cost)."""
    cdef cnp.dtype descr = cnp.PyArray_DescrFromType(output_type(kind))
    Py_INCREF(descr)
    return PyArray_NewLikeArray(f, cnp.NPY_KEEPORDER, <cnp.PyArray_Descr*>descr, 0)


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
    want = output_type(kind)
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



cdef object output_dtype(cnp.dtype dtype):
    """numpy's otype: datetimes give timedeltas, inexact stays, the rest float64."""
    if dtype.kind == "M":
        return np.dtype(dtype.name.replace("datetime", "timedelta"))
    if dtype.kind in "mfc":
        return dtype
    return _FLOAT64_DTYPE


cdef list checked_outputs(object out, object f, int naxes):
    """Validate a user's `out` fully (the slow twin of user_outputs); raises ValueError."""
    otype = output_dtype(<cnp.dtype>f.dtype)
    outs = [out] if naxes == 1 and isinstance(out, cnp.ndarray) else out
    if isinstance(outs, cnp.ndarray) or not hasattr(outs, "__len__"):
        raise ValueError(f"out must be a sequence of {naxes} arrays, one per axis")
    outs = list(outs)
    if len(outs) != naxes:
        raise ValueError(f"out must hold {naxes} arrays, one per axis, got {len(outs)}")
    for k, o in enumerate(outs):
        if not isinstance(o, cnp.ndarray):
            raise ValueError("out must contain numpy arrays")
        if o.shape != f.shape:
            raise ValueError(f"out has shape {o.shape}, the result has shape {f.shape}")
        if o.dtype != otype:
            raise ValueError(f"out has dtype {o.dtype}, the result has dtype {otype}")
        if not o.flags.writeable:
            raise ValueError("out is read-only")
        if o.size and overlaps_itself(o):
            raise ValueError("out must not overlap itself (its elements must be distinct)")
        if o.size and may_overlap(o, f):
            raise ValueError("out must not share memory with the input")
        for other in outs[:k]:
            if o.size and may_overlap(o, other):
                raise ValueError("the arrays of out must not share memory")
    return outs


cdef bint may_overlap(a, b):
    """np.shares_memory, bounded: too hard to decide counts as overlap."""
    if not np.may_share_memory(a, b):
        return False
    try:
        return np.shares_memory(a, b, max_work=10_000)
    except np.exceptions.TooHardError:
        return True


cdef bint kernel_writable(list outs):
    """Whether the kernels can write every array of outs (native, aligned)."""
    for o in outs:
        if not (cnp.PyArray_ISNOTSWAPPED(<cnp.ndarray>o) and cnp.PyArray_ISALIGNED(<cnp.ndarray>o)):
            return False
    return True
