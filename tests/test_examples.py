"""The worked examples of the seed note (numpy-gradient-explained.txt) as
readable tests: expected values computed by hand, and bit-equal to numpy."""

import numpy as np
from numpy.testing import assert_array_equal

from gradient_ext import gradient
from oracle import assert_same_as_numpy


def test_doc_example_interior_central_edges_one_sided():
    y = np.array([1, 2, 4, 7, 11, 16], dtype=float)
    # ends: first differences; interior: (y[i+1] - y[i-1]) / 2
    expected = np.array([(2 - 1) / 1, (4 - 1) / 2, (7 - 2) / 2,
                         (11 - 4) / 2, (16 - 7) / 2, (16 - 11) / 1])
    assert_array_equal(expected, [1, 1.5, 2.5, 3.5, 4.5, 5])
    assert_array_equal(gradient(y), expected)
    assert_same_as_numpy(y)


F = np.array([5, 7, 4, 8])


def test_example1_unit_spacing():
    # f'(0)=(7-5)/1, f'(1)=(4-5)/2, f'(2)=(8-7)/2, f'(3)=(8-4)/1
    res = gradient(F)
    assert res.dtype == np.float64
    assert_array_equal(res, [2, -0.5, 0.5, 4])
    assert_same_as_numpy(F)


def test_example2_uniform_spacing_doubles():
    res = gradient(F, 0.5)
    assert_array_equal(res, [4, -1, 1, 8])
    assert_array_equal(res, 2 * gradient(F))
    assert_same_as_numpy(F, 0.5)


def test_example3_uneven_coordinates():
    x = np.array([0, 1, 3, 3.5])
    h = np.diff(x)                     # [1, 2, 0.5]
    f = F.astype(float)
    expected = np.empty(4)
    expected[0] = (f[1] - f[0]) / h[0]              # 2
    expected[-1] = (f[-1] - f[-2]) / h[-1]          # 8
    for i in (1, 2):
        hl, hr = h[i - 1], h[i]
        a = -hr / (hl * (hl + hr))
        b = (hr - hl) / (hl * hr)
        c = hl / (hr * (hl + hr))
        expected[i] = a * f[i - 1] + b * f[i] + c * f[i + 1]
    # by hand: i=1 (h=1, 2): -2/3*5 + 1/2*7 + 1/6*4 = 5/6
    #          i=2 (h=2, 0.5): -1/10*7 - 3/2*4 + 8/5*8 = 6.1
    assert np.allclose(expected, [2, 5 / 6, 6.1, 8], rtol=0, atol=1e-12)
    res = gradient(F, x)
    assert_array_equal(res, expected)
    assert_same_as_numpy(F, x)


def test_2d_partial_derivatives():
    # f(x, y) = x**2 + 3*y sampled on a 4 x 5 grid with unit spacing
    xs, ys = np.meshgrid(np.arange(4.0), np.arange(5.0), indexing="ij")
    f = xs ** 2 + 3 * ys
    d0, d1 = gradient(f)
    # along axis 0 (x): central differences of x**2 give 2x inside, one-sided at the ends
    assert_array_equal(d0[:, 0], [1, 2, 4, 5])
    assert_array_equal(d1, np.full((4, 5), 3.0))
    res = gradient(f)
    assert type(res) is tuple and len(res) == 2
    assert_same_as_numpy(f)
    assert_same_as_numpy(f, 0.5, np.array([0, 1, 3, 4, 7.0]))
