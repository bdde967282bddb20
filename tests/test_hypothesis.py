"""Hypothesis exploration beyond the fixed generator: random dtypes, values
(special floats included), shapes with small dims, layouts (slices with
steps, reversed axes, transpositions, broadcasting, read-only), axis forms,
spacing forms (scalars and coordinate arrays) and edge_order, compared bit for
bit with numpy through the oracle.

Profiles are registered in conftest.py ("ci": derandomized, 300 examples).
"""

import numpy as np
import hypothesis.extra.numpy as hnp
from hypothesis import assume, given, note, strategies as st

from oracle import (assert_array_same, assert_same_as_numpy, numpy_gradient, quiet_ext_gradient,
                    uneven_results)

REAL_DTYPES = [np.float16, np.float32, np.float64, np.longdouble]
COMPLEX_DTYPES = [np.complex64, np.complex128, np.clongdouble]
INT_DTYPES = [np.int8, np.int16, np.int32, np.int64, np.uint8, np.uint16, np.uint32, np.uint64]
TIME_DTYPES = ["m8[s]", "M8[D]", "m8[ns]"]


def _maybe_swapped(dtypes):
    out = []
    for d in dtypes:
        d = np.dtype(d)
        out.append(d)
        if d.itemsize > 1 and d.kind not in "M":
            out.append(d.newbyteorder())
    return out


ANY_DTYPE = st.sampled_from(_maybe_swapped(REAL_DTYPES + COMPLEX_DTYPES + INT_DTYPES + TIME_DTYPES))
KERNEL_DTYPE = st.sampled_from([np.dtype(t) for t in (np.float32, np.float64,
                                                     np.complex64, np.complex128,
                                                     np.int32, np.int64, np.uint8)])

EDGE_ORDERS = st.sampled_from([1, 2, 1.0, 2.0, True, np.int64(2)])


def _elements(dtype, finite=False):
    dtype = np.dtype(dtype)
    if dtype.kind in "fc":
        return hnp.from_dtype(dtype.newbyteorder("="), allow_nan=not finite,
                              allow_infinity=not finite, allow_subnormal=True)
    return hnp.from_dtype(dtype.newbyteorder("=") if dtype.kind != "M" else dtype)


@st.composite
def layouts(draw, base):
    """Apply a random chain of view operations that keep the data (slicing
    with steps, reversing axes, transposing, making read-only/Fortran)."""
    a = base
    for _ in range(draw(st.integers(0, 3))):
        op = draw(st.sampled_from(["step", "reverse", "transpose", "fortran", "readonly"]))
        if a.ndim == 0:
            break
        if op == "step":
            ax = draw(st.integers(0, a.ndim - 1))
            start = draw(st.integers(0, 1))
            step = draw(st.sampled_from([1, 2, 3, -1, -2]))
            sl = [slice(None)] * a.ndim
            sl[ax] = slice(start, None, step) if step > 0 else slice(None, None, step)
            a = a[tuple(sl)]
        elif op == "reverse":
            ax = draw(st.integers(0, a.ndim - 1))
            a = np.flip(a, ax)
        elif op == "transpose":
            a = a.transpose(draw(st.permutations(range(a.ndim))))
        elif op == "fortran":
            a = np.asfortranarray(a)
        else:
            a = a.view()
            a.flags.writeable = False
    return a


@st.composite
def input_arrays(draw, dtypes=ANY_DTYPE, finite=False, max_dims=4):
    dtype = draw(dtypes)
    shape = draw(hnp.array_shapes(min_dims=0, max_dims=max_dims, min_side=0, max_side=6))
    if draw(st.booleans()) and len(shape) >= 1:
        # zero-stride broadcast view along the leading axes
        row = draw(hnp.arrays(dtype, shape[-1:], elements=_elements(dtype, finite)))
        return np.broadcast_to(row, shape)
    # draw a larger array so that steps/reversals leave something behind
    big = tuple(min(2 * s, 8) for s in shape)
    a = draw(hnp.arrays(dtype, big, elements=_elements(dtype, finite)))
    return draw(layouts(a))


@st.composite
def axis_and_axes(draw, ndim):
    kind = draw(st.sampled_from(["none", "int", "tuple"]))
    if kind == "none" or ndim == 0:
        return None, tuple(range(ndim))
    if kind == "int":
        ax = draw(st.integers(-ndim, ndim - 1))
        return ax, (ax % ndim,)
    perm = draw(st.permutations(range(ndim)))
    k = draw(st.integers(1, ndim))
    axes = tuple(perm[:k])
    spelled = tuple(ax - ndim if draw(st.booleans()) else ax for ax in axes)
    return spelled, axes


SCALAR_SPACINGS = st.one_of(
    st.floats(allow_nan=True, allow_infinity=True, allow_subnormal=True),
    st.integers(-1000, 1000),
    st.sampled_from([np.float16(0.5), np.float32(0.1), np.float64(0.3), np.int8(-2),
                     np.int16(3), np.int64(5), np.uint8(4), np.array(0.25), True,
                     np.float32(-0.0), np.float64(np.inf)]),
    st.floats(min_value=1e-3, max_value=1e3).map(np.float32),
)

COORD_DTYPES = st.sampled_from([np.float16, np.float32, np.float64, np.int8, np.int64, np.uint8])


@st.composite
def coordinates(draw, n):
    kind = draw(st.sampled_from(["scalar", "random", "sorted", "even", "list", "repeated"]))
    if kind == "scalar":
        return draw(SCALAR_SPACINGS)
    dt = np.dtype(draw(COORD_DTYPES))
    if kind == "even":
        step = draw(st.sampled_from([1, 2, 3]))
        return (np.arange(n) * step).astype(dt)
    finite = draw(st.booleans())
    c = draw(hnp.arrays(dt, (n,), elements=hnp.from_dtype(
        dt, allow_nan=not finite, allow_infinity=not finite)))
    if kind == "sorted":
        c = np.sort(c)
    elif kind == "repeated" and n >= 2:
        c = c.copy()
        c[1] = c[0]
    elif kind == "list":
        c = c.tolist()
    return c


@st.composite
def spacing(draw, shape, axes):
    form = draw(st.sampled_from(["none", "scalar", "per-axis"]))
    if form == "none":
        return ()
    if form == "scalar":
        return (draw(SCALAR_SPACINGS),)
    return tuple(draw(coordinates(shape[ax])) for ax in axes)


def _call_kw(axis, edge_order):
    kw = {"edge_order": edge_order}
    if axis is not None:
        kw["axis"] = axis
    return kw


@given(st.data())
def test_any_input_matches_numpy(data):
    """Anything: all dtypes (byte-swapped too), specials, layouts, axes, spacings."""
    f = data.draw(input_arrays())
    axis, axes = data.draw(axis_and_axes(f.ndim))
    varargs = data.draw(spacing(f.shape, axes))
    edge_order = data.draw(EDGE_ORDERS)
    note(f"f={f!r} dtype={f.dtype.str} strides={f.strides} axis={axis!r} "
         f"varargs={varargs!r} edge_order={edge_order!r}")
    assert_same_as_numpy(f, *varargs, **_call_kw(axis, edge_order))


@given(st.data())
def test_kernel_dtypes_finite_values(data):
    """Finite values only, so the arithmetic itself (not NaN propagation) is
    what is compared, on the dtypes that run in compiled kernels."""
    f = data.draw(input_arrays(dtypes=KERNEL_DTYPE, finite=True, max_dims=3))
    axis, axes = data.draw(axis_and_axes(f.ndim))
    varargs = data.draw(spacing(f.shape, axes))
    edge_order = data.draw(st.sampled_from([1, 2]))
    note(f"f={f!r} axis={axis!r} varargs={varargs!r} edge_order={edge_order}")
    assert_same_as_numpy(f, *varargs, **_call_kw(axis, edge_order))


@given(st.data())
def test_uneven_coordinates_float_data(data):
    """1-D coordinate arrays (uneven, repeated, unsorted, any coordinate dtype)
    on float32/float64/complex data with at least 3 points along the axis."""
    dtype = data.draw(st.sampled_from([np.float32, np.float64, np.complex64, np.complex128]))
    shape = data.draw(hnp.array_shapes(min_dims=1, max_dims=3, min_side=3, max_side=7))
    f = data.draw(hnp.arrays(dtype, shape, elements=_elements(dtype, finite=data.draw(st.booleans()))))
    f = data.draw(layouts(f))
    assume(all(s >= 1 for s in f.shape))
    axis, axes = data.draw(axis_and_axes(f.ndim))
    varargs = tuple(data.draw(coordinates(f.shape[ax])) for ax in axes)
    edge_order = data.draw(st.sampled_from([1, 2]))
    note(f"f={f!r} axis={axis!r} varargs={varargs!r} edge_order={edge_order}")
    assert_same_as_numpy(f, *varargs, **_call_kw(axis, edge_order))


@given(st.data())
def test_out_and_workers_match_allocating_call(data):
    """out= (any strides) and workers give the same bits as the allocating call."""
    f = data.draw(input_arrays(dtypes=KERNEL_DTYPE, max_dims=3))
    assume(f.ndim >= 1 and all(s >= 2 for s in f.shape))
    axis, axes = data.draw(axis_and_axes(f.ndim))
    varargs = data.draw(spacing(f.shape, axes))
    kw = _call_kw(axis, 1)
    try:
        expected = numpy_gradient(f, *varargs, **kw)
    except Exception:
        assume(False)
    single = isinstance(expected, np.ndarray)
    exps = [expected] if single else list(expected)
    outs = []
    for e in exps:
        order = data.draw(st.sampled_from(["C", "F", "view"]))
        if order == "view":
            big = np.full(tuple(2 * s for s in e.shape), 7, dtype=e.dtype)
            o = big[tuple(slice(None, None, 2) for _ in e.shape)][tuple(
                slice(None, None, -1) for _ in e.shape)]
        else:
            o = np.full(e.shape, 7, dtype=e.dtype, order=order)
        outs.append(o)
    out_arg = outs[0] if single else data.draw(st.sampled_from([list, tuple]))(outs)
    workers = data.draw(st.sampled_from([None, 1, 2, -1]))
    res = quiet_ext_gradient(f, *varargs, out=out_arg, workers=workers, **kw)
    uneven = uneven_results(varargs)
    if single:
        assert res is outs[0]
        assert_array_same(res, exps[0], check_order=False, zero_sign=0 in uneven)
    else:
        assert type(res) is tuple and len(res) == len(outs)
        for i, (r, o, e) in enumerate(zip(res, outs, exps)):
            assert r is o
            assert_array_same(r, e, check_order=False, zero_sign=i in uneven)
