"""NumPy's own ``TestGradient`` cases, re-expressed against gradient_ext.

Credit: the cases come from NumPy's test-suite, class ``TestGradient`` in
``numpy/lib/tests/test_function_base.py`` (numpy/numpy, BSD-3-Clause).  They
are rewritten here; where NumPy expects behaviour that gradient_ext changes on
purpose (an axis shorter than 2 with a coordinate array raises ValueError
instead of IndexError), the documented behaviour is asserted instead.  Besides
NumPy's own checks, every result is also compared bit for bit with
numpy.gradient through the oracle.
"""

import numpy as np
import pytest
from numpy.exceptions import AxisError
from numpy.testing import assert_almost_equal, assert_array_equal

from gradient_ext import gradient
from oracle import NUMPY_GRADIENT, assert_same_as_numpy

V = [[1, 1], [3, 4]]
DX = [np.array([[2., 3.], [2., 3.]]), np.array([[0., 0.], [1., 1.]])]


def test_basic():
    x = np.array(V)
    assert_array_equal(gradient(x), DX)
    assert_array_equal(gradient(V), DX)
    assert_same_as_numpy(x)
    assert_same_as_numpy(V)


def test_args():
    dx = np.cumsum(np.ones(5))
    dx_uneven = [1., 2., 5., 9., 11.]
    f_2d = np.arange(25).reshape(5, 5)
    accepted = [
        (np.arange(5), (3.,), {}),
        (np.arange(5), (np.array(3.),), {}),
        (np.arange(5), (dx,), {}),
        (f_2d, (1.5,), {}),                    # dy = dx because scalar
        (f_2d, (np.array(1.5),), {}),
        (f_2d, (dx_uneven, dx_uneven), {}),
        (f_2d, (dx, 2), {}),                   # uneven/even and vector/scalar mix
        (f_2d, (dx,), {"axis": 1}),            # 2-D but axis given
    ]
    for f, varargs, kw in accepted:
        res = assert_same_as_numpy(f, *varargs, **kw)
        assert not isinstance(res, Exception), (varargs, kw, res)
    # 2-d coordinate arguments are not allowed
    with pytest.raises(ValueError, match="scalars or 1d"):
        gradient(f_2d, np.stack([dx] * 2, axis=-1), 1)


def test_badargs():
    f_2d = np.arange(25).reshape(5, 5)
    x = np.cumsum(np.ones(5))
    # wrong sizes
    for args in [(x, np.ones(2)), (1, np.ones(2)), (np.ones(2), np.ones(2))]:
        with pytest.raises(ValueError):
            gradient(f_2d, *args)
        assert_same_as_numpy(f_2d, *args)
    # wrong number of arguments
    for args, kw in [((x,), {}), ((x,), {"axis": (0, 1)}), ((x, x, x), {}),
                     ((1, 1, 1), {}), ((x, x), {"axis": 1}), ((1, 1), {"axis": 1})]:
        with pytest.raises(TypeError):
            gradient(f_2d, *args, **kw)
        assert_same_as_numpy(f_2d, *args, **kw)


def test_datetime64():
    x = np.array(['1910-08-16', '1910-08-11', '1910-08-10', '1910-08-12',
                  '1910-10-12', '1910-12-12', '1912-12-12'], dtype='datetime64[D]')
    dx = np.array([-5, -3, 0, 31, 61, 396, 731], dtype='timedelta64[D]')
    res = gradient(x)
    assert res.dtype == np.dtype('timedelta64[D]')
    assert_array_equal(res, dx)
    assert_same_as_numpy(x)


def test_timedelta64():
    x = np.array([-5, -3, 10, 12, 61, 321, 300], dtype='timedelta64[D]')
    dx = np.array([2, 7, 7, 25, 154, 119, -21], dtype='timedelta64[D]')
    res = gradient(x)
    assert res.dtype == np.dtype('timedelta64[D]')
    assert_array_equal(res, dx)
    assert_same_as_numpy(x)


def test_masked():
    # subclasses like masked arrays are supported
    x = np.ma.array([[1, 1], [3, 4]], mask=[[False, False], [False, False]])
    out = gradient(x)[0]
    assert type(out) is type(x)
    # output and input do not share a mask array
    assert x._mask is not out._mask
    assert_same_as_numpy(x)
    # edge_order=2 does not alter the original mask
    x2 = np.ma.arange(5)
    x2[2] = np.ma.masked
    gradient(x2, edge_order=2)
    assert_array_equal(x2.mask, [False, False, True, False, False])
    assert_same_as_numpy(x2, edge_order=2)


def test_second_order_accurate():
    # relative error < 3% for second order accurate differences everywhere
    x = np.linspace(0, 1, 10)
    dx = x[1] - x[0]
    y = 2 * x ** 3 + 4 * x ** 2 + 2 * x
    analytical = 6 * x ** 2 + 8 * x + 2
    num_error = np.abs((gradient(y, dx, edge_order=2) / analytical) - 1)
    assert np.all(num_error < 0.03)
    assert_same_as_numpy(y, dx, edge_order=2)

    # unevenly spaced
    rng = np.random.default_rng(0)
    x = np.sort(rng.random(10))
    y = 2 * x ** 3 + 4 * x ** 2 + 2 * x
    analytical = 6 * x ** 2 + 8 * x + 2
    num_error = np.abs((gradient(y, x, edge_order=2) / analytical) - 1)
    assert np.all(num_error < 0.03)
    assert_same_as_numpy(y, x, edge_order=2)


def test_spacing():
    f = np.array([0, 2., 3., 4., 5., 5.])
    f = np.tile(f, (6, 1)) + f.reshape(-1, 1)
    x_uneven = np.array([0., 0.5, 1., 3., 5., 7.])
    x_even = np.arange(6.)

    fdx_even_ord1 = np.tile([2., 1.5, 1., 1., 0.5, 0.], (6, 1))
    fdx_even_ord2 = np.tile([2.5, 1.5, 1., 1., 0.5, -0.5], (6, 1))
    fdx_uneven_ord1 = np.tile([4., 3., 1.7, 0.5, 0.25, 0.], (6, 1))
    fdx_uneven_ord2 = np.tile([5., 3., 1.7, 0.5, 0.25, -0.25], (6, 1))

    for edge_order, exp_res in [(1, fdx_even_ord1), (2, fdx_even_ord2)]:
        res1 = gradient(f, 1., axis=(0, 1), edge_order=edge_order)
        res2 = gradient(f, x_even, x_even, axis=(0, 1), edge_order=edge_order)
        res3 = gradient(f, x_even, x_even, axis=None, edge_order=edge_order)
        assert_array_equal(res1, res2)
        assert_array_equal(res2, res3)
        assert_almost_equal(res1[0], exp_res.T)
        assert_almost_equal(res1[1], exp_res)

        res1 = gradient(f, 1., axis=0, edge_order=edge_order)
        res2 = gradient(f, x_even, axis=0, edge_order=edge_order)
        assert res1.shape == res2.shape
        assert_almost_equal(res2, exp_res.T)

        res1 = gradient(f, 1., axis=1, edge_order=edge_order)
        res2 = gradient(f, x_even, axis=1, edge_order=edge_order)
        assert res1.shape == res2.shape
        assert_array_equal(res2, exp_res)

    for edge_order, exp_res in [(1, fdx_uneven_ord1), (2, fdx_uneven_ord2)]:
        res1 = gradient(f, x_uneven, x_uneven, axis=(0, 1), edge_order=edge_order)
        res2 = gradient(f, x_uneven, x_uneven, axis=None, edge_order=edge_order)
        assert_array_equal(res1, res2)
        assert_almost_equal(res1[0], exp_res.T)
        assert_almost_equal(res1[1], exp_res)
        assert_almost_equal(gradient(f, x_uneven, axis=0, edge_order=edge_order), exp_res.T)
        assert_almost_equal(gradient(f, x_uneven, axis=1, edge_order=edge_order), exp_res)

    # mixed
    for edge_order, even, uneven in [(1, fdx_even_ord1, fdx_uneven_ord1),
                                     (2, fdx_even_ord2, fdx_uneven_ord2)]:
        res1 = gradient(f, x_even, x_uneven, axis=(0, 1), edge_order=edge_order)
        res2 = gradient(f, x_uneven, x_even, axis=(1, 0), edge_order=edge_order)
        assert_array_equal(res1[0], res2[1])
        assert_array_equal(res1[1], res2[0])
        assert_almost_equal(res1[0], even.T)
        assert_almost_equal(res1[1], uneven)

    # and all of it bit for bit against numpy
    for edge_order in (1, 2):
        for varargs, axis in [((1.,), (0, 1)), ((x_even, x_even), (0, 1)),
                              ((x_even, x_even), None), ((x_even,), 0), ((1.,), 1),
                              ((x_uneven, x_uneven), None), ((x_uneven,), 0),
                              ((x_even, x_uneven), (0, 1)), ((x_uneven, x_even), (1, 0))]:
            assert_same_as_numpy(f, *varargs, axis=axis, edge_order=edge_order)


def test_specific_axes():
    x = np.array(V)
    assert_array_equal(gradient(x, axis=0), DX[0])
    assert_array_equal(gradient(x, axis=1), DX[1])
    assert_array_equal(gradient(x, axis=-1), DX[1])
    assert_array_equal(gradient(x, axis=(1, 0)), [DX[1], DX[0]])
    # axis=None means all axes, same as not giving axis
    assert_almost_equal(gradient(x, axis=None), [DX[0], DX[1]])
    assert_almost_equal(gradient(x, axis=None), gradient(x))
    # vararg order follows the axis order
    assert_array_equal(gradient(x, 2, 3, axis=(1, 0)), [DX[1] / 2.0, DX[0] / 3.0])
    # maximal number of varargs
    with pytest.raises(TypeError):
        gradient(x, 1, 2, axis=1)
    with pytest.raises(AxisError):
        gradient(x, axis=3)
    with pytest.raises(AxisError):
        gradient(x, axis=-3)
    for axis in (0, 1, -1, (1, 0), None, 3, -3):
        assert_same_as_numpy(x, axis=axis)
    assert_same_as_numpy(x, 2, 3, axis=(1, 0))


def test_inexact_dtypes():
    for dt in [np.float16, np.float32, np.float64]:
        # dtypes are not promoted differently from what diff does
        x = np.array([1, 2, 3], dtype=dt)
        assert gradient(x).dtype == np.diff(x).dtype
        assert_same_as_numpy(x)


def test_values():
    # at least 2 points for edge_order 1, 3 for edge_order 2
    gradient(np.arange(2), edge_order=1)
    gradient(np.arange(3), edge_order=2)
    for n, edge_order in [(0, 1), (0, 2), (1, 1), (1, 2), (2, 2)]:
        with pytest.raises(ValueError):
            gradient(np.arange(n), edge_order=edge_order)
        assert_same_as_numpy(np.arange(n), edge_order=edge_order)


@pytest.mark.parametrize('f_dtype', [np.uint8, np.uint16, np.uint32, np.uint64])
def test_f_decreasing_unsigned_int(f_dtype):
    f = np.array([5, 4, 3, 2, 1], dtype=f_dtype)
    assert_array_equal(gradient(f), [-1] * len(f))
    assert_same_as_numpy(f)


@pytest.mark.parametrize('f_dtype', [np.int8, np.int16, np.int32, np.int64])
def test_f_signed_int_big_jump(f_dtype):
    maxint = np.iinfo(f_dtype).max
    x = np.array([1, 3])
    f = np.array([-1, maxint], dtype=f_dtype)
    assert_array_equal(gradient(f, x), [(maxint + 1) // 2] * 2)
    assert_same_as_numpy(f, x)


@pytest.mark.parametrize('x_dtype', [np.uint8, np.uint16, np.uint32, np.uint64])
def test_x_decreasing_unsigned(x_dtype):
    x = np.array([3, 2, 1], dtype=x_dtype)
    f = np.array([0, 2, 4])
    assert_array_equal(gradient(f, x), [-2] * len(x))
    assert_same_as_numpy(f, x)


@pytest.mark.parametrize('x_dtype', [np.int8, np.int16, np.int32, np.int64])
def test_x_signed_int_big_jump(x_dtype):
    minint = np.iinfo(x_dtype).min
    maxint = np.iinfo(x_dtype).max
    x = np.array([-1, maxint], dtype=x_dtype)
    f = np.array([minint // 2, 0])
    assert_array_equal(gradient(f, x), [0.5, 0.5])
    assert_same_as_numpy(f, x)


def test_return_type():
    res = gradient(([1, 2], [2, 3]))
    assert type(res) is tuple
    assert_same_as_numpy(([1, 2], [2, 3]))


def test_coordinate_on_short_axis_is_value_error():
    """NumPy raises IndexError (from ``diffx[0]``) for a coordinate array on an
    axis of length < 2; gradient_ext deliberately raises ValueError."""
    for f, x in [(np.arange(1.), np.arange(1.)), (np.zeros(0), np.zeros(0))]:
        with pytest.raises(IndexError):
            NUMPY_GRADIENT(f, x)
        with pytest.raises(ValueError, match="too small"):
            gradient(f, x)
