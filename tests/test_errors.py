"""Exceptions: the same type as numpy for bad input, the documented deliberate
differences, and the input never modified (read-only and non-contiguous too)."""

import warnings

import numpy as np
import pytest
from numpy.exceptions import AxisError

from gradient_ext import gradient
from generators import array_generator
from oracle import assert_same_as_numpy, numpy_gradient

F2 = np.arange(20.0).reshape(4, 5) ** 2


# ---------------------------------------------------------------------------
# same exception type as numpy

BAD_INPUTS = [
    ("axis-out-of-range", F2, (), {"axis": 2}),
    ("axis-negative-out-of-range", F2, (), {"axis": -3}),
    ("axis-tuple-out-of-range", F2, (), {"axis": (0, 5)}),
    ("axis-duplicate", F2, (), {"axis": (0, 0)}),
    ("axis-duplicate-negative", F2, (), {"axis": (1, -1)}),
    ("axis-float", F2, (), {"axis": 1.0}),
    ("axis-str", F2, (), {"axis": "0"}),
    ("axis-on-0d", np.array(3.0), (), {"axis": 0}),
    ("too-many-scalars", F2, (1.0, 2.0, 3.0), {}),
    ("too-many-for-axis", F2, (1.0, 2.0), {"axis": 0}),
    ("one-array-for-two-axes", F2, (np.arange(4.0),), {}),
    ("array-on-0d", np.array(3.0), (np.arange(2.0),), {}),
    ("2d-spacing", F2, (np.ones((4, 2)), 1.0), {}),
    ("2d-spacing-single-axis", F2, (np.ones((5, 1)),), {"axis": 1}),
    ("coords-wrong-length", F2, (np.arange(5.0), 1.0), {}),
    ("coords-wrong-length-list", F2, ([0, 1, 2], [0, 1, 2, 3, 4]), {}),
    ("edge-order-3", F2, (), {"edge_order": 3}),
    ("edge-order-2.5", F2, (), {"edge_order": 2.5}),
    ("edge-order-inf", F2, (), {"edge_order": float("inf")}),
    ("edge-order-None", F2, (), {"edge_order": None}),
    ("edge-order-str", F2, (), {"edge_order": "1"}),
    ("edge-order-complex", F2, (), {"edge_order": 1j}),
    ("too-short-edge1", np.ones(1), (), {}),
    ("too-short-edge2", np.ones((3, 2)), (), {"edge_order": 2}),
    ("empty-axis", np.ones((0, 3)), (), {"axis": 0}),
    ("zero-spacing-edge2-int", F2, (0,), {"edge_order": 2}),
    ("zero-spacing-edge2-float", F2, (0.0, 1.0), {"edge_order": 2}),
    ("zero-spacing-edge2-False", F2, (False,), {"edge_order": 2}),
    ("bool-data", np.array([True, False, True]), (), {}),
    ("bool-data-2d", np.ones((3, 3), dtype=bool), (), {"axis": 1}),
    ("str-data", np.array(["a", "b", "c"]), (), {}),
    ("object-None", np.array([None, 1, 2], dtype=object), (), {}),
    ("object-zero-spacing", np.array([1, 2, 3], dtype=object), (0,), {}),
    ("string-spacing", F2, ("a",), {}),
    ("none-spacing", F2, (None,), {}),
    ("object-spacing-array", F2, (np.array([None] * 4, dtype=object), 1.0), {}),
]


@pytest.mark.parametrize("f,varargs,kw", [c[1:] for c in BAD_INPUTS], ids=[c[0] for c in BAD_INPUTS])
def test_same_exception_as_numpy(f, varargs, kw):
    with pytest.raises(Exception) as np_info:
        numpy_gradient(f, *varargs, **kw)
    with pytest.raises(type(np_info.value)) as info:
        gradient(f, *varargs, **kw)
    assert type(info.value) is type(np_info.value)
    assert_same_as_numpy(f, *varargs, **kw)


def test_odd_inputs_numpy_accepts():
    """Inputs numpy accepts although they look wrong: same result."""
    d = np.arange(3).astype("M8[D]")
    assert_same_as_numpy(d, d)                          # datetime coordinates
    assert_same_as_numpy(np.arange(4.0), np.array([1, 2, 4, 8], dtype="m8[s]"))
    assert_same_as_numpy(np.arange(4.0), np.array([1.0, 2, 4, 8], dtype=object))
    assert_same_as_numpy(np.arange(4.0), [1, 2.5, 4j, 8])
    assert_same_as_numpy(np.arange(4.0), 1 + 2j, edge_order=2)


def test_zero_spacing_edge_order_2_is_zero_division():
    """numpy computes ``-1.5 / dx`` in Python for a Python scalar spacing."""
    for dx in (0, 0.0, -0.0, False):
        with pytest.raises(ZeroDivisionError):
            gradient(np.arange(5.0), dx, edge_order=2)
    # a numpy zero is no Python division: inf/nan results, no exception
    res = gradient(np.arange(5.0), np.float64(0), edge_order=2)
    assert_same_as_numpy(np.arange(5.0), np.float64(0), edge_order=2)
    assert not np.isfinite(res).any()


# ---------------------------------------------------------------------------
# documented differences


@pytest.mark.parametrize("edge_order", [0, -1, 1.5, 0.5, np.float64(0.0), -np.inf, np.nan])
def test_edge_order_not_1_or_2_is_value_error(edge_order):
    # numpy silently runs its second-order branch for these
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        numpy_gradient(np.arange(5.0), edge_order=edge_order)
    with pytest.raises(ValueError):
        gradient(np.arange(5.0), edge_order=edge_order)
    with pytest.raises(ValueError):
        gradient(F2, 0.5, axis=1, edge_order=edge_order)
    assert_same_as_numpy(np.arange(5.0), edge_order=edge_order)


@pytest.mark.parametrize("edge_order", [3, 4, 100, np.int64(3), 2.0001])
def test_edge_order_greater_than_2_is_value_error(edge_order):
    with pytest.raises(ValueError):
        gradient(np.arange(5.0), edge_order=edge_order)


@pytest.mark.parametrize("edge_order", [None, "1", "2", [1]])
def test_edge_order_wrong_type_is_type_error(edge_order):
    with pytest.raises(TypeError):
        gradient(np.arange(5.0), edge_order=edge_order)
    assert_same_as_numpy(np.arange(5.0), edge_order=edge_order)


@pytest.mark.parametrize("edge_order", [1, 2, 1.0, 2.0, True, np.int64(2), np.int64(1)])
def test_edge_order_equivalent_spellings(edge_order):
    f = np.array([1.0, 4.0, 9.0, 16.0, 25.0])
    canonical = 1 if edge_order == 1 else 2
    np.testing.assert_array_equal(gradient(f, edge_order=edge_order),
                                  gradient(f, edge_order=canonical))
    assert_same_as_numpy(f, edge_order=edge_order)
    assert_same_as_numpy(F2, 0.25, np.arange(5.0) ** 2, edge_order=edge_order)


@pytest.mark.parametrize("shape,axis", [((1,), 0), ((0,), 0), ((3, 1), 1), ((0, 4), 0), ((1, 4), None)])
def test_coordinates_on_axis_shorter_than_2(shape, axis):
    f = np.ones(shape)
    axes = range(f.ndim) if axis is None else [axis]
    coords = [np.arange(float(shape[ax])) for ax in axes]
    with pytest.raises(IndexError):  # numpy's accident: diffx[0] on an empty diff
        numpy_gradient(f, *coords, axis=axis)
    with pytest.raises(ValueError, match="too small"):
        gradient(f, *coords, axis=axis)
    assert_same_as_numpy(f, *coords, axis=axis)


def test_no_floating_point_warnings_and_errstate_ignored():
    """Kernels emit no RuntimeWarning and ignore np.errstate (even 'raise')."""
    cases = [
        (np.array([0.0, np.inf, -np.inf, np.nan, 1e308, -1e308]), (np.array(0.0),)),
        (np.array([0.0, np.inf, -np.inf, np.nan, 1e308, -1e308]), (np.float64(0),)),
        (np.array([1.0, 2.0, 4.0, 1e308], dtype=np.float32), ()),
        (np.array([1 + 1j, np.inf, np.nan * 1j, 0], dtype=np.complex128), (np.float64(0.0),)),
        (np.array([1.0, 2.0, 3.0, 4.0]), (np.array([0.0, 0.0, 0.0, 0.0]),)),
        (np.arange(12.0).reshape(3, 4), (np.array([1.0, 1.0, 2.0]), np.float32(0.0))),
    ]
    for f, varargs in cases:
        for edge_order in (1, 2):
            with warnings.catch_warnings():
                warnings.simplefilter("error")
                with np.errstate(all="raise"):
                    res = gradient(f, *varargs, edge_order=edge_order)
            assert res is not None
            assert_same_as_numpy(f, *varargs, edge_order=edge_order)


# ---------------------------------------------------------------------------
# input never modified


def test_input_never_modified():
    """gradient never writes to its input (checked by the oracle's snapshot
    before/after) for read-only, non-contiguous, broadcast and byte-swapped
    arrays; an explicit check here in addition to the oracle's."""
    n = 0
    for a, desc in array_generator(
            [np.float64, np.float32, np.int64, np.complex128, np.uint8, "m8[s]", object],
            shapes=[(3,), (4, 5), (2, 3, 4)],
            layouts=["C", "F", "strided", "negstrides", "broadcast", "readonly", "byteswapped"]):
        before = a.copy()
        writeable = a.flags.writeable
        for varargs in [(), (0.5,), tuple(np.cumsum(np.arange(1.0, s + 1)) for s in a.shape)]:
            for edge_order in (1, 2):
                assert_same_as_numpy(a, *varargs, edge_order=edge_order)
                n += 1
        assert a.flags.writeable == writeable, desc
        if a.dtype.kind == "O":
            assert all(x is y or x == y for x, y in zip(before.ravel(), a.ravel())), desc
        else:
            assert before.tobytes() == a.tobytes(), desc
    assert n > 100


def test_coordinates_never_modified():
    f = np.arange(20.0).reshape(4, 5) ** 2
    x = np.array([3, 2, 1, 0], dtype=np.uint8)
    y = np.array([0.0, 0.5, 0.5, 2.0, 9.0])
    y.flags.writeable = False
    xc, yc = x.copy(), y.copy()
    gradient(f, x, y)
    gradient(f, x, y, edge_order=2)
    assert x.tobytes() == xc.tobytes() and y.tobytes() == yc.tobytes()


def test_masked_input_mask_not_aliased_or_modified():
    x = np.ma.array([[1.0, 2.0, 4.0], [3.0, 4.0, 9.0]], mask=[[False, True, False], [False] * 3])
    mask_before = x.mask.copy()
    res = gradient(x, edge_order=2, axis=1)
    assert res._mask is not x._mask
    np.testing.assert_array_equal(x.mask, mask_before)
    assert_same_as_numpy(x, edge_order=2, axis=1)


def test_axis_error_is_value_and_index_error_subclass():
    # AxisError must be the exact type numpy raises (it subclasses both)
    with pytest.raises(AxisError):
        gradient(F2, axis=2)
