"""The compiled planner: every call form numpy.gradient accepts, decided in one place.

Each form is checked bit for bit against numpy (the oracle), and, for the forms
the kernels compute, with numpy's own gradient made unreachable: the planner,
not a fallback, must have handled them.
"""

import numpy as np
import pytest

import gradient_ext
from gradient_ext import _api, _runtime
from gradient_ext._integrations.chunks import kernel_gradient

from oracle import assert_same_as_numpy, numpy_gradient

RNG = np.random.default_rng(7)
F64 = RNG.standard_normal((5, 7))
X7 = np.cumsum(RNG.random(7) + 0.25)            # uneven coordinates of axis 1
X5 = np.cumsum(RNG.random(5) + 0.25)            # uneven coordinates of axis 0
DATA = {np.dtype(t): F64.astype(t) for t in (np.float64, np.float32, np.complex64,
                                             np.complex128, np.int16, np.uint32)}
DATA[np.dtype(np.complex128)] = DATA[np.dtype(np.complex128)] * (1 - 2j)

def _unaligned(x):
    """A copy of x whose data sits one byte off its alignment."""
    out = np.zeros(x.nbytes + 1, np.uint8)[1:].view(x.dtype)
    out[:] = x
    assert not out.flags.aligned
    return out


KERNEL_SCALARS = [0.3, 2, True, np.float64(0.3), np.float32(0.3), np.float16(0.3),
                  np.int8(-2), np.int64(3), np.uint8(2), np.bool_(True),
                  np.array(0.3), np.array(0.3, dtype=np.float32), np.array(2, dtype=np.int16)]
KERNEL_COORDS = [X7, X7.astype(np.float32), np.cumsum(RNG.integers(1, 4, 7)),
                 np.cumsum(RNG.integers(1, 4, 7)).astype(np.uint16),
                 np.arange(7.0) * 0.5,                          # even: collapses
                 np.arange(7, dtype=np.float32) * 0.25,         # even float32
                 np.arange(7),                                  # even integers
                 np.repeat(X7, 2)[::2],                          # strided
                 X7[::-1].copy()[::-1],                          # negative stride view
                 X7.astype(">f8"),                               # byte-swapped
                 _unaligned(X7),                                 # unaligned (a pickle buffer)
                 list(X7)]


@pytest.fixture
def numpy_unreachable(monkeypatch):
    def refuse(*args, **kwargs):
        raise AssertionError("numpy's gradient was called for a kernel form")
    monkeypatch.setattr(_api, "_NUMPY_GRADIENT", refuse)


def _oracle(f, *varargs, **kw):
    return numpy_gradient(f, *varargs, **kw)       # numpy's own, counted


def _same(got, want, what=""):
    got = got if isinstance(got, tuple) else (got,)
    want = want if isinstance(want, tuple) else (want,)
    assert len(got) == len(want), what
    for g, w in zip(got, want):
        assert g.dtype == w.dtype and g.shape == w.shape, what
        assert np.array_equal(g.view(np.uint8), w.view(np.uint8)), (what, g, w)


# One item per dtype (or edge_order), looping over the forms: the cartesian
# products used to be 326 items of one call each.
@pytest.mark.parametrize("dtype", list(DATA), ids=str)
def test_every_scalar_type_on_the_kernels(dtype, numpy_unreachable):
    f = DATA[dtype]
    for spacing in KERNEL_SCALARS:
        with np.errstate(all="ignore"):
            want = _oracle(f, spacing)
            want_mixed = _oracle(f, spacing, X7)
        _same(gradient_ext.gradient(f, spacing), want, repr(spacing))
        _same(gradient_ext.gradient(f, spacing, X7), want_mixed, f"{spacing!r}, X7")


@pytest.mark.parametrize("dtype", list(DATA), ids=str)
def test_every_coordinate_form_on_the_kernels(dtype, numpy_unreachable):
    f = DATA[dtype]
    for coords in KERNEL_COORDS:
        for edge_order in (1, 2):
            for varargs in ((X5, coords), (0.5, coords), (coords,)):
                axis = 1 if len(varargs) == 1 else None
                want = _oracle(f, *varargs, axis=axis, edge_order=edge_order)
                _same(gradient_ext.gradient(f, *varargs, axis=axis, edge_order=edge_order),
                      want, f"coords {np.asarray(coords).dtype} {len(varargs)} spacings, "
                            f"edge_order={edge_order}")


AXES = [None, 0, 1, -1, -2, np.int64(1), np.intp(-2), (0, 1), (1, 0), (-1,), [1], [0, -1], ()]
EDGE_ORDERS = [1, 2, True, 2.0, 1.0, np.int64(2), np.int8(1), np.float32(2.0)]


@pytest.mark.parametrize("edge_order", EDGE_ORDERS, ids=repr)
def test_axis_and_edge_order_forms_on_the_kernels(edge_order, numpy_unreachable):
    f = DATA[np.dtype(np.float64)]
    for axis in AXES:
        axes = (0, 1) if axis is None else tuple(np.atleast_1d(np.asarray(axis, dtype=int)) % 2)
        forms = [(), (0.25,), (np.float32(0.25),) * len(axes)]
        if axes == (1,):
            forms.append((X7,))
        for varargs in forms:
            want = _oracle(f, *varargs, axis=axis, edge_order=edge_order)
            _same(gradient_ext.gradient(f, *varargs, axis=axis, edge_order=edge_order), want,
                  f"axis={axis!r} {len(varargs)} spacings")


@pytest.mark.parametrize("args, kw", [
    ((F64, 1.0, 2.0, 3.0), {}),                       # too many spacings
    ((F64, X7, X7), {}),                              # wrong length along axis 0
    ((F64, np.ones((5, 7))), {"axis": 0}),            # 2-D coordinates
    ((F64,), {"axis": (0, 0)}),                       # duplicate axes
    ((F64,), {"axis": [1, -1]}),
    ((F64,), {"axis": 2}),                            # out of range
    ((F64,), {"axis": (0, 2)}),
    ((F64,), {"axis": 1.0}),                          # not an integer
    ((F64,), {"axis": (0, "1")}),
    ((F64,), {"edge_order": 3}),
    ((F64,), {"edge_order": "2"}),
    ((F64[:, :2],), {"axis": 1, "edge_order": 2}),    # too small for edge_order 2
    ((F64[:, :1], 1.0, [0.0]), {}),                   # numpy: too small, axis 1
    ((F64, 0), {"edge_order": 2}),                    # ZeroDivisionError, as numpy
    ((F64, np.array([True] * 7)), {"axis": 1}),       # bool coordinates: numpy's TypeError
    ((F64, "a"), {}),
    ((np.float64(3.0), 1.0, 2.0), {}),                 # 0-d data
])
def test_errors_match_numpy(args, kw):
    assert_same_as_numpy(*args, **kw)


@pytest.mark.parametrize("edge_order", [1, 2])
def test_kernel_gradient_never_collapses(edge_order):
    """_kernel_gradient: coordinates the caller declared uneven stay uneven.

    A block whose own coordinates are evenly spaced, cut from an axis whose
    coordinates are not, must get numpy's uneven-formula bits for the whole
    axis, not the collapsed uniform formula.
    """
    x = np.concatenate([np.arange(6) * 0.5, [3.7]])    # even but for the last gap
    f = RNG.standard_normal((4, 7))
    whole = _oracle(f, x, axis=1, edge_order=edge_order)
    block = kernel_gradient(np.ascontiguousarray(f[:, :6]), [x[:6]], (1,), edge_order)
    assert block is not None
    # interior points of the block, and its left end (the array's own end)
    _same(block[0][:, :5], whole[:, :5])
    # the collapse, when the caller asks for it with the scalar numpy holds
    even = kernel_gradient(f, [np.diff(x[:2])[0]], (1,), edge_order)
    _same(even[0], _oracle(f, x[:2].dtype.type(0.5), axis=1, edge_order=edge_order))


def test_kernel_gradient_declines_what_no_kernel_computes():
    f16 = F64.astype(np.float16)
    assert kernel_gradient(f16, [1.0], (0,), 1) is None
    assert kernel_gradient(F64, [X7.astype(np.float16)], (1,), 1) is None
    assert kernel_gradient(F64, [1j], (0,), 1) is None


def test_list_data_and_nested_lists_on_the_kernels(numpy_unreachable):
    values = [float(v) for v in RNG.random(10)]
    _same(gradient_ext.gradient(values), _oracle(values))
    nested = [[1, 2, 4], [3, 5, 9.5]]
    _same(gradient_ext.gradient(nested, 2.0, [0, 1, 3]), _oracle(nested, 2.0, [0, 1, 3]))


def test_read_call_gives_numpy_spacings():
    # chunked callers (dask) take numpy's reading of the spacings from the
    # planner: scalars as given, collapsed coordinates as diff(x)[0] in their
    # precision, uneven ones as float coordinates, periodic ones padded
    def read(*args, **kw):
        return list(_runtime.kernels.read_call(*args, **kw).spacings)

    probe = np.broadcast_to(np.empty((), object), (5, 7))
    s64 = np.float64(0.5)
    got = read(probe, (s64,), None, 1, 1)
    assert got[0] is s64 and got[1] is s64
    assert read(probe, (), None, 1, 1) == [1.0, 1.0]
    for x, dtype in [(np.arange(7.0) * 0.5, np.float64), (np.arange(7, dtype=np.float32), np.float32),
                     (np.arange(7, dtype=np.float16), np.float16), (np.arange(7) * 3, np.float64)]:
        (h,) = read(probe, (x,), 1, 1, 1)
        d = np.diff(x.astype(np.float64) if x.dtype.kind == "i" else x)
        assert type(h) is dtype and h == d[0]
    x, y = read(probe, (X5.astype(np.int64), X7.astype(np.float32)), None, 2, 1)
    assert x.dtype == np.float64 and np.array_equal(x, X5.astype(np.int64))
    assert y.dtype == np.float32 and np.array_equal(y, X7.astype(np.float32))
    (p,) = read(probe, (X7,), 1, 1, 1, boundary="periodic", period=X7[-1] - X7[0] + 1.0)
    assert np.array_equal(p, np.concatenate(([X7[-1] - (X7[-1] - X7[0] + 1.0)], X7,
                                              [X7[0] + (X7[-1] - X7[0] + 1.0)])))
    with pytest.raises(ValueError, match="accuracy=8 needs at least 9 points"):
        read(probe, (), None, 1, 1, accuracy=8)
    with pytest.raises(TypeError, match="invalid number of arguments"):
        read(probe, (1.0, 2.0, 3.0), None, 1, 1)


@pytest.mark.parametrize("kw, half, span", [
    (dict(), 1, 2), (dict(edge_order=2), 1, 3), (dict(accuracy=4), 2, 5),
    (dict(accuracy=8), 4, 9), (dict(boundary="periodic"), 1, 2),
    (dict(boundary="periodic", accuracy=6), 3, 7)])
def test_read_call_gives_the_whole_decision(kw, half, span):
    # everything a chunked caller needs, decided once: axes, schemes, reach, dtype
    probe = np.broadcast_to(np.empty((), object), (9, 11))
    kw = dict(kw)           # a copy: the parameter is shared (by pytest-run-parallel's threads)
    edge_order = kw.pop("edge_order", 1)
    call = _runtime.kernels.read_call(probe, (), (-1, 0), edge_order, 2, dtype=np.int16, **kw)
    assert call.axes == (1, 0) and call.edge_order == edge_order and call.threads == 2
    assert call.accuracy == kw.get("accuracy", 2)
    periodic = kw.get("boundary") == "periodic"
    assert call.periodic == (periodic, periodic) and call.periods == (None, None)
    assert call.default == (not kw)
    assert call.half == (half, half) and call.end_span == (span, span)
    assert call.result_dtype == np.gradient(np.zeros(3, np.int16)).dtype
    assert _runtime.kernels.is_default_scheme("one-sided", None, 2)
    assert not _runtime.kernels.is_default_scheme("one-sided", None, 4)


@pytest.mark.parametrize("boundary,period,accuracy", [
    ("one-sided", None, 2), (("one-sided", "one-sided"), None, 2), (["one-sided"] * 2, None, 2),
    ("one-sided", None, np.int64(2)), (("one-sided", "periodic"), None, 2),
    ("periodic", None, 2), ("one-sided", None, 4), (("periodic",) * 2, [9.0, None], 2)])
def test_the_two_default_questions_agree(boundary, period, accuracy):
    """is_default_scheme (asked before a call is read: duck arrays, dask's own
    gradient for non-numpy chunks) and the reading's ParsedCall.default agree."""
    probe = np.broadcast_to(np.empty((), object), (9, 9))
    call = _runtime.kernels.read_call(probe, (), None, 1, 1, boundary, period, accuracy,
                                      dtype=np.float64)
    assert _runtime.kernels.is_default_scheme(boundary, period, accuracy) == call.default


def test_read_call_extends_periodic_coordinates():
    probe = np.broadcast_to(np.empty((), object), (7,))
    x = X7.astype(np.float32)
    period = np.float32(x[-1] - x[0] + 1)
    call = _runtime.kernels.read_call(probe, (x,), None, 1, 1, boundary="periodic",
                                      period=period, accuracy=4)
    want = np.concatenate((x[-2:] - period, x, x[:2] + period))
    (ext,) = call.extended
    assert ext.dtype == want.dtype and np.array_equal(ext, want)
    assert call.periods == (period,)
