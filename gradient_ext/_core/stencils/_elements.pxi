# Element types, the plan of one axis, and the kernel for each dtype.


# ---------------------------------------------------------------------------
# Element types
# ---------------------------------------------------------------------------

ctypedef float complex cfloat_t      # storage of complex64: (re, im) float pair
ctypedef double complex cdouble_t    # storage of complex128

ctypedef fused real_t:          # real input types (integers are read as float64)
    float
    double
    int8_t
    int16_t
    int32_t
    int64_t
    uint8_t
    uint16_t
    uint32_t
    uint64_t

ctypedef fused src_t:           # every input type the driver handles
    float
    double
    int8_t
    int16_t
    int32_t
    int64_t
    uint8_t
    uint16_t
    uint32_t
    uint64_t
    cfloat_t
    cdouble_t

ctypedef fused part_t:          # one component of a complex input
    float
    double

ctypedef fused calc_t:          # the precision numpy computes in
    float
    double

ctypedef fused coord_t:         # precision of the coordinate differences
    float
    double

cdef enum:
    MAX_DIMS = 64
    # Elements per unit of work: long lines are cut into segments this long and
    # short lines grouped until a unit holds about this many, so units stay
    # cache-sized and there are enough of them to share among threads.
    UNIT_ELEMENTS = 4096
    # The limits the planner enforces (`read_order`, `read_accuracy`), and the
    # widest stencil they allow, which sizes the stack arrays of the k-tap
    # layer: the uneven central stencil of 2*((n + accuracy)//2) + 1 points
    # (derivative(n=4, accuracy=8): 13; the one-sided ends have n + accuracy,
    # 12; uniform central ones 2*((n+1)//2) - 1 + accuracy, 11) -- the sizes
    # `central_points`, `edge_points` and `uneven_half` give (`_schemes.pxi`).
    MAX_ORDER = 4
    MAX_ACCURACY = 8
    MAX_TAPS = 2 * ((MAX_ORDER + MAX_ACCURACY) // 2) + 1
    # The outputs a k-tap primitive accumulates at a time (a stack buffer that stays in L1).
    TAP_CHUNK = 256
    TAP_SWEEP = 4               # taps summed in registers per sweep of a chunk
    # Outputs whose ghost values (boundary="constant") are gathered at a time (a
    # stack buffer of MAX_TAPS such runs of the source's type).
    GHOST_CHUNK = 64


# boundary= per axis (`_schemes.pxi` reads the names): numpy's one-sided ends, or
# every point central with the values beyond the ends (ghosts) wrapped around
# (periodic) or given by the np.pad mode of the same name (`ghost_index`).
cdef enum Boundary:
    B_ONE_SIDED, B_PERIODIC, B_SYMMETRIC, B_REFLECT, B_EDGE, B_CONSTANT


cdef inline const char* at(const void* p, Py_ssize_t offset) noexcept nogil:
    return <const char*>p + offset


cdef inline Py_ssize_t ghost_index(Py_ssize_t j, Py_ssize_t n, int rule) noexcept nogil:
    """The point of an axis of n points whose value sits at position j (j may lie
    beyond either end), as np.pad's modes (and the wrap) place it; -1 for
    B_CONSTANT's ghosts.  Reflections repeat, as np.pad's do for wide pads."""
    cdef Py_ssize_t period
    if 0 <= j < n:
        return j
    if rule == B_CONSTANT:
        return -1
    if rule == B_EDGE:
        return 0 if j < 0 else n - 1
    if rule == B_PERIODIC:
        period = n
    elif rule == B_SYMMETRIC:
        period = 2 * n                  # ... x1 x0 | x0 x1 ... x(n-1) | x(n-1) ...
    elif n == 1:
        return 0
    else:
        period = 2 * n - 2              # reflect: ... x1 | x0 x1 ... x(n-1) | x(n-2) ...
    j = j % period
    if j < 0:
        j += period
    if j < n:
        return j
    return period - j - 1 if rule == B_SYMMETRIC else period - j


cdef struct AxisPlan:
    # Where and what to compute for one requested axis.
    int axis                    # axis of the caller's array
    int dim                     # the same axis in the tiling
    char* out
    Py_ssize_t ostride[MAX_DIMS]   # output strides, in tiling order
    int edge_order
    bint wide                   # interior computed in float64 (else float32)
    bint edge_wide              # edges computed in float64 (else float32)
    double h2                   # uniform spacing: interior divisor 2*h
    double dx_lo, dx_hi         # edge_order 1: divisors at the two ends
    double lo[3]                # edge_order 2: coefficients of f[0], f[1], f[2]
    double hi[3]                # edge_order 2: coefficients of f[-3], f[-2], f[-1]
    const void* x               # uneven spacing: the coordinates (contiguous), else NULL
    bint x_double               # ... as float64 (else float32)
    void* coef                  # a, b, c rows precomputed when many lines share them
    bint stream                 # contiguous interiors use streaming stores
    # Every point is interior (boundary= other than one-sided): the neighbours
    # beyond the ends are ghosts, read by `ghost_index` under the rule `ghost`
    # (a Boundary); B_CONSTANT's value, one element of the source's type, is `cval`.
    bint ghosts
    int ghost
    const void* cval
    # accuracy > 2 or derivative n > 1 (_schemes.pxi): a (2*half+1)-tap central
    # stencil, edge_taps taps at the half points of each one-sided end; half == 0
    # for numpy's schemes
    int half
    int edge_taps
    bint accumulate             # add to the output (laplacian's axes after the first)
    # The operators' terms (`terms_call`): the array this plan reads (NULL: the
    # call's f, whose shape and strides it shares) and how its values meet the
    # output: 0 stored, +1 added to it, -1 subtracted from it (in the output's
    # dtype, through a buffer of one run: `combined_run`).
    const char* src
    int combine
    bint uneven_taps            # weights per point, tap-major (w[t*n + i]); else uniform rows
    const void* w               # the weights, in the computation precision (wide: double)
    Py_ssize_t wn               # ... uneven: the row stride of w (the whole axis's points)
    const void* wpoint          # weights of one point overriding w (NaN runs' ends), or NULL
    # nan="split" (`running/_nan_runs.pxi`): each run of finite values is its own
    # array.  `reach`: how far a non-finite value changes results; `min_len`: the
    # shortest run with a result; `wruns`: uniform k-tap rows for run lengths
    # edge_taps .. edge_taps + half - 1 (`rows_len` each); `xw`: float64
    # coordinates (uneven k-tap ends); `period`: a periodic axis's, or 0.
    bint split
    int order                   # the derivative's order (uneven k-tap end weights)
    int reach
    int min_len
    const void* wruns
    Py_ssize_t rows_len
    const double* xw
    double period


cdef enum Kind:
    K_NONE, K_F32, K_F64, K_C64, K_C128, K_I8, K_I16, K_I32, K_I64, K_U8, K_U16, K_U32, K_U64


cdef Kind kind_of(cnp.ndarray f) noexcept:
    """The kernel for f's dtype, or K_NONE (then numpy's own code runs)."""
    if not (cnp.PyArray_ISNOTSWAPPED(f) and cnp.PyArray_ISALIGNED(f)):
        return K_NONE
    cdef int num = cnp.PyArray_TYPE(f)
    if num == cnp.NPY_DOUBLE: return K_F64
    if num == cnp.NPY_FLOAT: return K_F32
    if num == cnp.NPY_CDOUBLE: return K_C128
    if num == cnp.NPY_CFLOAT: return K_C64
    if num == cnp.NPY_BYTE: return K_I8
    if num == cnp.NPY_UBYTE: return K_U8
    if num == cnp.NPY_SHORT: return K_I16
    if num == cnp.NPY_USHORT: return K_U16
    if num == cnp.NPY_INT: return K_I32
    if num == cnp.NPY_UINT: return K_U32
    if num == cnp.NPY_LONGLONG: return K_I64
    if num == cnp.NPY_ULONGLONG: return K_U64
    if num == cnp.NPY_LONG: return K_I64 if sizeof(long) == 8 else K_I32
    if num == cnp.NPY_ULONG: return K_U64 if sizeof(long) == 8 else K_U32
    return K_NONE


cdef inline bint is_narrow(Kind kind) noexcept:
    # float32 and complex64 data keep float32 arithmetic unless a spacing promotes.
    return kind == K_F32 or kind == K_C64

