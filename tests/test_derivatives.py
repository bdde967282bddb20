"""derivative() and laplacian(): n=1 is gradient (bits), exactness on polynomials,
convergence, weights against exact rationals and findiff, the laplacian's sum
(bits, threads, layouts), dtypes, out=, workers=, errors."""

import doctest
import math
from fractions import Fraction

import numpy as np
import pytest

import gradient_ext
from gradient_ext import derivative, gradient, laplacian
from generators import array_generator
from helpers import convergence_rate, runs_doctest, uneven_grid
from oracle import assert_array_same, assert_result_same
from tiers import PARTS, Share

ORDERS = [1, 2, 3, 4]
ACC = [2, 4, 6, 8]


def edge_points(n, acc):
    return n + acc


def outcome(fn):
    try:
        return fn()
    except Exception as e:          # the exception's type is compared
        return e


def assert_same_outcome(got, exp):
    if isinstance(exp, Exception):
        assert type(got) is type(exp), (got, exp)
    else:
        assert not isinstance(got, Exception), got
        assert_result_same(got, exp)


# ---------------------------------------------------------------------------
# n=1 is gradient, bit for bit

SHAPES = [(0,), (1,), (2,), (3,), (10,), (9, 7), (3, 1, 12), (0, 4)]


@pytest.mark.filterwarnings("ignore::RuntimeWarning")
@pytest.mark.parametrize("kw", [
    {}, {"axis": 0}, {"axis": -1}, {"edge_order": 2}, {"accuracy": 4},
    {"boundary": "periodic"}, {"accuracy": 6, "boundary": "periodic"},
    {"axis": (0,), "edge_order": 1}, {"edge_order": 3}, {"accuracy": 3}, {"workers": 2},
])
@pytest.mark.parametrize("part", PARTS)
def test_n1_is_gradient(kw, part):
    share = Share(part, every=6)
    for a, desc in array_generator(shapes=SHAPES):
        for v in ((), (0.5,), (np.float32(0.25),)):
            if not share(desc, v):
                continue
            got = outcome(lambda: derivative(a, *v, n=1, **kw))
            exp = outcome(lambda: gradient(a, *v, **kw))
            assert_same_outcome(got, exp)
    assert share.seen > 300 and share.taken > 0


def test_n1_is_gradient_with_coordinates_and_out():
    rng = np.random.default_rng(1)
    f = rng.standard_normal((12, 9))
    x, y = uneven_grid(12, rng), uneven_grid(9, rng)
    for kw in ({}, {"accuracy": 4}, {"edge_order": 2},
               {"boundary": ("periodic", "one-sided"), "period": (3.0, None)}):
        assert_same_outcome(outcome(lambda: derivative(f, x, y, **kw)),
                            outcome(lambda: gradient(f, x, y, **kw)))
    o1, o2 = np.empty_like(f), np.empty_like(f)
    r = derivative(f, x, 0.5, out=(o1, o2))
    assert r[0] is o1 and r[1] is o2
    assert_result_same(r, gradient(f, x, 0.5))
    assert type(outcome(lambda: derivative(f, x, n=1))) is type(outcome(lambda: gradient(f, x)))


# ---------------------------------------------------------------------------
# Weights: uniform ones are exact rationals rounded once


def fornberg_fractions(deriv, nodes):
    """Independent reference: solve the Vandermonde system sum_j w_j x_j^k = k! [k==n]
    exactly with fractions (Gaussian elimination)."""
    m = len(nodes)
    rows = [[Fraction(x) ** k for x in nodes] + [Fraction(math.factorial(deriv) if k == deriv
                                                          else 0)] for k in range(m)]
    for c in range(m):
        p = next(r for r in range(c, m) if rows[r][c] != 0)
        rows[c], rows[p] = rows[p], rows[c]
        for r in range(m):
            if r != c and rows[r][c] != 0:
                q = rows[r][c] / rows[c][c]
                rows[r] = [a - q * b for a, b in zip(rows[r], rows[c])]
    return [rows[j][m] / rows[j][j] for j in range(m)]


def stencil_of(n, acc, npts, i, periodic=False):
    """The weights at output i, read back from the results on unit impulses."""
    cols = []
    for j in range(npts):
        e = np.zeros(npts)
        e[j] = 1.0
        cols.append(derivative(e, n=n, accuracy=acc,
                               boundary="periodic" if periodic else "one-sided")[i])
    return np.array(cols)


@pytest.mark.parametrize("n", [2, 3, 4])
@pytest.mark.parametrize("acc", ACC)
def test_uniform_weights_are_exact_rationals(n, acc):
    npts = 2 * (n + acc) + 3
    central = 2 * ((n + 1) // 2) - 1 + acc
    h = central // 2
    te = n + acc
    w = stencil_of(n, acc, npts, npts // 2)
    exact = fornberg_fractions(n, range(-h, h + 1))
    expect = np.zeros(npts)
    expect[npts // 2 - h: npts // 2 + h + 1] = [float(v) for v in exact]
    assert_array_same(w + 0.0, expect + 0.0)
    for i in range(h):                  # forward stencils from the point itself
        w = stencil_of(n, acc, npts, i)
        expect = np.zeros(npts)
        expect[i: i + te] = [float(v) for v in fornberg_fractions(n, range(0, te))]
        assert_array_same(w + 0.0, expect + 0.0)
        w = stencil_of(n, acc, npts, npts - 1 - i)     # backward at the other end
        expect = np.zeros(npts)
        expect[npts - i - te: npts - i] = [float(v) for v in
                                           fornberg_fractions(n, range(1 - te, 1))]
        assert_array_same(w + 0.0, expect + 0.0)


def test_second_derivative_three_points():
    f = np.array([0.0, 1.0, 4.0, 9.0, 16.0, 25.0])
    assert_array_same(derivative(f, n=2), np.full(6, 2.0))
    assert_array_same(derivative(f, 0.5, n=2), np.full(6, 8.0))
    # (1, -2, 1) / h**2 in the interior, exactly
    g = np.array([0.0, 1.0, 0.0, 3.0, -1.0, 2.0])
    assert_array_same(derivative(g, n=2)[1:-1], g[:-2] - 2 * g[1:-1] + g[2:])
    # the ends: findiff's forward (2, -5, 4, -1)
    assert derivative(g, n=2)[0] == 2 * g[0] - 5 * g[1] + 4 * g[2] - g[3]


# ---------------------------------------------------------------------------
# Exactness on polynomials and convergence


@pytest.mark.parametrize("n", ORDERS)
@pytest.mark.parametrize("acc", ACC)
@pytest.mark.parametrize("grid", ["uniform", "uneven"])
def test_exact_on_polynomials(n, acc, grid):
    # the one-sided stencils (n + acc points) are exact to degree n + acc - 1,
    # the central ones too: every point of the result is
    rng = np.random.default_rng(10 * n + acc)
    for npts in (24, edge_points(n, acc), edge_points(n, acc) + 3):
        x = np.linspace(-1, 1, npts) if grid == "uniform" else uneven_grid(npts, rng)
        sp = x[1] - x[0] if grid == "uniform" else x
        hmin = np.diff(x).min()
        for deg in range(n + acc):
            c = rng.standard_normal(deg + 1)
            f = np.polyval(c, x)
            exact = np.polyval(np.polyder(c, n), x) if deg >= n else np.zeros(npts)
            # n=1, accuracy 2 is gradient: second-order ends need edge_order=2
            eo = {"edge_order": 2} if n == 1 and acc == 2 else {}
            got = derivative(f, sp, n=n, accuracy=acc, **eo)
            # rounding of f, amplified by the weights (about (2/h)**n times a
            # growth factor of the stencil's size)
            tol = 1e-14 * 4.0 ** (n + acc) * (1 / hmin) ** n * (1 + np.abs(f).max())
            np.testing.assert_allclose(got, exact, rtol=0, atol=tol,
                                       err_msg=f"n={n} acc={acc} {grid} N={npts} deg={deg}")


def error_rate(n, acc, grid, where, boundary="one-sided"):
    """The slope of log(error) against log(h) of f = sin x + cos(x)/2, on spacings
    where truncation, not rounding, dominates (coarser for higher orders)."""
    hs = (0.4, 0.3, 0.2) if n + acc >= 8 else (0.2, 0.1, 0.05)
    errs = []
    for h in hs:
        if boundary == "periodic":              # three periods of the function
            npts = int(round(6 * np.pi / h))
            x = np.arange(npts) * (6 * np.pi / npts)
            if grid == "uneven":                # a smooth periodic map of the uniform grid
                x = x + 0.2 * np.sin(x / 3) * (6 * np.pi / npts)
        else:
            npts = int(round(12 / h)) + 1
            x = np.linspace(0, 12, npts)
            if grid == "uneven":
                x = x + 0.3 * (x[1] - x[0]) * np.sin(x * np.pi / 12)
        f = np.sin(x) + 0.5 * np.cos(x)
        d = [f, np.cos(x) - 0.5 * np.sin(x), -f, -np.cos(x) + 0.5 * np.sin(x)][n % 4]
        sp = x if grid == "uneven" else x[1] - x[0]
        kw = {"period": 6 * np.pi} if boundary == "periodic" and grid == "uneven" else {}
        e = np.abs(derivative(f, sp, n=n, accuracy=acc, boundary=boundary, **kw) - d)
        k = (n + acc) // 2
        errs.append(e[:k].max() if where == "edge" else e[npts // 3: 2 * npts // 3].max())
    return convergence_rate(hs, errs)


@pytest.mark.parametrize("n", [2, 3, 4])
@pytest.mark.parametrize("acc", ACC)
@pytest.mark.parametrize("grid", ["uniform", "uneven"])
def test_convergence(n, acc, grid):
    assert error_rate(n, acc, grid, "interior") > acc - 0.75
    assert error_rate(n, acc, grid, "edge") > acc - 0.75


@pytest.mark.parametrize("n", [2, 3, 4])
@pytest.mark.parametrize("acc", ACC)
@pytest.mark.parametrize("grid", ["uniform", "uneven"])
def test_convergence_periodic(n, acc, grid):
    assert error_rate(n, acc, grid, "edge", "periodic") > acc - 0.75
    assert error_rate(n, acc, grid, "interior", "periodic") > acc - 0.75


def test_uneven_weights_do_not_depend_on_units():
    # coordinates times a power of two: the weights scale exactly by its n-th power
    rng = np.random.default_rng(3)
    x = uneven_grid(50, rng, 0, 1)
    f = np.sin(4 * x)
    for n in (2, 3, 4):
        a = derivative(f, x, n=n, accuracy=4)
        b = derivative(f, x * 2.0 ** 40, n=n, accuracy=4)
        assert_array_same(b, a * 2.0 ** (-40 * n))


def test_uneven_on_a_uniform_grid_is_close_to_uniform():
    x = np.linspace(0, 1, 40)
    x2 = x.copy()
    x2[1:-1] += 1e-15           # not evenly spaced: the uneven path runs
    f = np.exp(x)
    for n in (2, 3, 4):
        np.testing.assert_allclose(derivative(f, x2, n=n, accuracy=2),
                                   np.exp(x), rtol=0.05 if n == 4 else 0.02)


# ---------------------------------------------------------------------------
# findiff

def _findiff():
    return pytest.importorskip("findiff")


@pytest.mark.parametrize("n", [2, 3, 4])
@pytest.mark.parametrize("acc", ACC)
def test_findiff_uniform(n, acc):
    findiff = _findiff()
    rng = np.random.default_rng(n * acc)
    npts, h = 120, 0.02
    f = np.sin(np.arange(npts) * h * 5) + 0.1 * rng.standard_normal(npts)
    ref = (findiff.Diff(0, h, acc=acc) ** n)(f)
    # findiff solves for its uniform weights in floating point; ours are exact
    tol = {2: 1e-12, 4: 1e-10, 6: 1e-8, 8: 1e-6}[acc]
    np.testing.assert_allclose(derivative(f, h, n=n, accuracy=acc), ref, rtol=0,
                               atol=tol * np.abs(ref).max())


@pytest.mark.parametrize("n", [2, 3, 4])
@pytest.mark.parametrize("acc", [2, 4, 6])
def test_findiff_uneven(n, acc):
    findiff = _findiff()
    rng = np.random.default_rng(n * acc)
    x = uneven_grid(60, rng, 0, 2)
    f = np.sin(3 * x) + 0.1 * rng.standard_normal(x.size)
    ref = (findiff.Diff(0, x, acc=acc) ** n)(f)
    np.testing.assert_allclose(derivative(f, x, n=n, accuracy=acc), ref, rtol=0,
                               atol=1e-8 * np.abs(ref).max())


@pytest.mark.parametrize("n", [2, 3, 4])
@pytest.mark.parametrize("acc", ACC)
def test_findiff_uniform_periodic(n, acc):
    findiff = _findiff()
    rng = np.random.default_rng(n + acc)
    npts = 64
    h = 2 * np.pi / npts
    f = np.sin(np.arange(npts) * h * 3) + 0.1 * rng.standard_normal(npts)
    ref = (findiff.Diff(0, h, acc=acc, periodic=True) ** n)(f)
    got = derivative(f, h, n=n, accuracy=acc, boundary="periodic")
    tol = {2: 1e-12, 4: 1e-10, 6: 1e-9, 8: 1e-6}[acc]
    np.testing.assert_allclose(got, ref, rtol=0, atol=tol * np.abs(ref).max())


def test_findiff_laplacian():
    findiff = _findiff()
    rng = np.random.default_rng(7)
    f = rng.standard_normal((30, 25))
    h0, h1 = 0.1, 0.2
    ref = (findiff.Diff(0, h0, acc=4) ** 2 + findiff.Diff(1, h1, acc=4) ** 2)(f)
    np.testing.assert_allclose(laplacian(f, h0, h1, accuracy=4), ref, rtol=0,
                               atol=1e-10 * np.abs(ref).max())


# ---------------------------------------------------------------------------
# Periodic uneven coordinates: a Vandermonde reference


def test_uneven_periodic_against_reference():
    rng = np.random.default_rng(4)
    npts, P = 40, 2 * np.pi
    x = np.arange(npts) * (P / npts) + 0.3 * (P / npts) * rng.uniform(-1, 1, npts)
    f = np.sin(x) + 0.2 * np.cos(3 * x)
    for n in (2, 3):
        for acc in (2, 4):
            k = (n + acc) // 2
            xp = np.concatenate((x[npts - k:] - P, x, x[:k] + P))
            ref = np.empty(npts)
            for i in range(npts):
                z = xp[i: i + 2 * k + 1] - xp[i + k]
                w = [float(v) for v in fornberg_fractions(n, [Fraction(t) for t in z])]
                ref[i] = np.dot(w, f[[(i - k + t) % npts for t in range(2 * k + 1)]])
            got = derivative(f, x, n=n, accuracy=acc, boundary="periodic", period=P)
            np.testing.assert_allclose(got, ref, rtol=0, atol=1e-9 * np.abs(ref).max())


# ---------------------------------------------------------------------------
# The laplacian: the documented sum, bit for bit; threads and layouts


def sum_of_derivatives(f, *v, axes=None, boundary="one-sided", **kw):
    """The laplacian's documented value: derivative(f, n=2, axis=k) of each axis,
    summed from left to right in increasing axis order."""
    axes = list(range(f.ndim)) if axes is None else [a % f.ndim for a in axes]
    per_axis = len(v) == len(axes) and len(axes) > 1
    bounds = boundary if not isinstance(boundary, str) else [boundary] * len(axes)
    total = None
    for i in np.argsort(axes):
        sp = (v[i],) if per_axis else v
        d = derivative(f, *sp, n=2, axis=axes[i], boundary=bounds[i], **kw)
        total = d if total is None else total + d
    return total


@pytest.mark.parametrize("acc", ACC)
def test_laplacian_is_the_sum_of_second_derivatives(acc):
    rng = np.random.default_rng(acc)
    f = rng.standard_normal((11, 13, 12))
    x = uneven_grid(13, rng)
    for v in ((), (0.3,), (0.5, x, np.float64(2.0))):
        assert_array_same(laplacian(f, *v, accuracy=acc), sum_of_derivatives(f, *v, accuracy=acc))
    kw = {"boundary": ("periodic", "one-sided", "periodic"), "accuracy": acc}
    assert_array_same(laplacian(f, 0.5, x, 0.25, **kw), sum_of_derivatives(f, 0.5, x, 0.25, **kw))


def test_laplacian_sums_in_increasing_axis_order():
    rng = np.random.default_rng(2)
    f = rng.standard_normal((10, 11, 12)) * 10.0 ** rng.integers(-8, 8, (10, 11, 12))
    h = (0.1, 0.3, 0.7)
    ref = sum_of_derivatives(f, *h)
    assert_array_same(laplacian(f, *h), ref)
    assert_array_same(laplacian(f, h[2], h[0], h[1], axis=(2, 0, 1)), ref)
    assert_array_same(laplacian(f, h[1], h[0], axis=(-2, 0)),
                      sum_of_derivatives(f, h[1], h[0], axes=(-2, 0)))
    # another order of summation gives other bits on these data: the order matters
    other = (derivative(f, h[2], n=2, axis=2) + derivative(f, h[1], n=2, axis=1)) \
        + derivative(f, h[0], n=2, axis=0)
    assert not np.array_equal(other, ref)


@pytest.mark.parametrize("dtype", [np.float32, np.float64, np.complex64, np.complex128,
                                   np.int16, np.uint8])
def test_laplacian_dtypes(dtype):
    rng = np.random.default_rng(5)
    f = (rng.standard_normal((9, 10)) * 20).astype(dtype) if np.dtype(dtype).kind != "c" \
        else (rng.standard_normal((9, 10)) + 1j * rng.standard_normal((9, 10))).astype(dtype)
    for v in ((), (0.5,), (np.float64(0.5), 0.25), (np.float32(0.5),)):
        got = laplacian(f, *v)
        assert got.dtype == gradient(f, *v)[0].dtype
        assert_array_same(got, sum_of_derivatives(f, *v))


def test_laplacian_threads_and_layouts():
    rng = np.random.default_rng(9)
    f = rng.standard_normal((700, 800))
    x = np.cumsum(rng.uniform(0.5, 1.5, 800))
    for v in ((0.1, 0.2), (0.1, x)):
        ref = laplacian(f, *v, workers=1, accuracy=4)
        assert_array_same(laplacian(f, *v, workers=2, accuracy=4), ref)
        assert_array_same(laplacian(np.asfortranarray(f), *v, workers=2, accuracy=4), ref,
                          check_order=False)
        big = np.zeros((700, 1600))
        big[:, ::2] = f
        assert_array_same(laplacian(big[:, ::2], *v, workers=2, accuracy=4), ref)
        assert_array_same(ref, sum_of_derivatives(f, *v, accuracy=4))
    g = rng.standard_normal((40, 50, 60))
    ref = laplacian(g, workers=1, accuracy=6)
    for a in (np.asfortranarray(g), g.transpose(2, 0, 1).copy().transpose(1, 2, 0),
              g[::-1][::-1]):
        assert_array_same(laplacian(a, workers=2, accuracy=6), ref, check_order=False)


def test_derivative_threads_and_layouts():
    rng = np.random.default_rng(11)
    f = rng.standard_normal((600, 900))
    x = np.cumsum(rng.uniform(0.5, 1.5, 900))
    for n in (2, 3, 4):
        ref = derivative(f, 0.5, x, n=n, accuracy=4, workers=1)
        got = derivative(np.asfortranarray(f), 0.5, x, n=n, accuracy=4, workers=2)
        for r, g in zip(ref, got):
            assert_array_same(g, r, check_order=False)
    # a long uneven axis: the weight table is split across threads
    x = np.cumsum(rng.uniform(0.5, 1.5, 200_000))
    f = np.sin(x / 100)
    assert_array_same(derivative(f, x, n=3, accuracy=6, workers=2),
                      derivative(f, x, n=3, accuracy=6, workers=1))


# ---------------------------------------------------------------------------
# dtypes, out=, workers=


@pytest.mark.parametrize("dtype", [np.float32, np.float64, np.complex64, np.complex128,
                                   np.int8, np.int64, np.uint32])
def test_kernel_dtypes(dtype):
    rng = np.random.default_rng(1)
    f = (rng.standard_normal(30) * 10).astype(dtype)
    for v in ((), (0.5,), (np.float64(0.5),), (np.float32(0.5),)):
        got = derivative(f, *v, n=2, accuracy=4)
        assert got.dtype == gradient(f, *v).dtype
    # float32 data keeps float32 arithmetic with a Python spacing, float64 with np.float64
    f32 = rng.standard_normal(30).astype(np.float32)
    wide = derivative(f32.astype(np.float64), np.float64(0.1), n=2).astype(np.float32)
    assert_array_same(derivative(f32, np.float64(0.1), n=2), wide)
    # integers are read as float64
    i = rng.integers(-100, 100, 30)
    assert_array_same(derivative(i, 0.5, n=3), derivative(i.astype(np.float64), 0.5, n=3))


@pytest.mark.parametrize("dtype", [np.float16, np.longdouble, np.clongdouble, object, bool,
                                   "M8[s]", "m8[s]"])
def test_no_kernel_dtypes_raise_typeerror(dtype):
    f = np.arange(12).astype(dtype)
    for fn in (lambda: derivative(f, n=2), lambda: laplacian(f)):
        with pytest.raises(TypeError, match="derivative of order n=2"):
            fn()
    # the documented route: convert first
    assert derivative(np.arange(12).astype(np.float16).astype(np.float64), n=2).dtype == np.float64
    # n=1 is gradient, which computes them
    if np.dtype(dtype).kind != "M":
        assert_same_outcome(outcome(lambda: derivative(f)), outcome(lambda: gradient(f)))


def test_byteswapped_and_subclasses_raise():
    f = np.arange(12.0).astype(">f8")
    with pytest.raises(TypeError):
        derivative(f, n=2)
    with pytest.raises(TypeError):
        laplacian(np.ma.masked_array(np.arange(12.0)))


def test_lists_and_scalars_spacings():
    f = [0.0, 1.0, 4.0, 9.0, 16.0]
    assert_array_same(derivative(f, n=2), np.full(5, 2.0))
    assert_array_same(laplacian(f, [0, 1, 2, 3, 4]), np.full(5, 2.0))


def test_out_and_workers():
    rng = np.random.default_rng(2)
    f = rng.standard_normal((20, 30))
    o0, o1 = np.empty_like(f), np.empty_like(f)
    r = derivative(f, n=2, out=(o0, o1), workers=2)
    assert r[0] is o0 and r[1] is o1
    ref = derivative(f, n=2)
    assert_array_same(o0, ref[0])
    assert_array_same(o1, ref[1])
    o = np.full_like(f, np.nan)
    assert derivative(f, n=3, axis=1, out=o) is o
    assert_array_same(o, derivative(f, n=3, axis=1))
    o = np.full_like(f, np.nan)
    assert laplacian(f, out=o) is o
    assert_array_same(o, laplacian(f))
    of = np.full(f.shape, np.nan, order="F")
    assert laplacian(f, out=of, workers=-1) is of
    assert_array_same(of, laplacian(f), check_order=False)
    with pytest.raises(ValueError, match="out"):
        laplacian(f, out=np.empty((20, 30), dtype=np.float32))
    with pytest.raises(ValueError, match="out"):
        laplacian(f, out=(np.empty_like(f), np.empty_like(f)))
    with pytest.raises(ValueError, match="out"):
        derivative(f, n=2, out=np.empty_like(f))
    with pytest.raises(ValueError, match="out"):
        laplacian(f, out=f)
    with pytest.raises(ValueError, match="workers"):
        derivative(f, n=2, workers=0)
    with pytest.raises(TypeError):
        laplacian(f, workers=1.5)


def test_return_types():
    f = np.ones((6, 7))
    assert isinstance(derivative(f, n=2), tuple) and len(derivative(f, n=2)) == 2
    assert isinstance(derivative(f, n=2, axis=1), np.ndarray)
    assert isinstance(derivative(f, n=2, axis=(1,)), np.ndarray)
    assert isinstance(derivative(np.ones(6), n=2), np.ndarray)
    assert isinstance(laplacian(f), np.ndarray)
    assert derivative(np.ones((0, 6)), n=2, axis=1).shape == (0, 6)


# ---------------------------------------------------------------------------
# Errors


@pytest.mark.parametrize("n", [0, 5, -1, np.int64(7)])
def test_n_out_of_range(n):
    with pytest.raises(ValueError, match="n must be"):
        derivative(np.ones(10), n=n)


@pytest.mark.parametrize("n", [1.5, 2.0, "2", None, True, np.float64(2)])
def test_n_not_an_int(n):
    with pytest.raises(TypeError, match="n must be"):
        derivative(np.ones(10), n=n)


def test_numpy_integer_n():
    assert_array_same(derivative(np.arange(8.0) ** 2, n=np.int32(2)), np.full(8, 2.0))


@pytest.mark.parametrize("n", [2, 3, 4])
@pytest.mark.parametrize("acc", ACC)
def test_axis_too_short(n, acc):
    need = n + acc
    derivative(np.ones(need), n=n, accuracy=acc)
    with pytest.raises(ValueError, match=f"n={n} with accuracy={acc} needs at least {need} "
                                         f"points along axis 0"):
        derivative(np.ones(need - 1), n=n, accuracy=acc)
    with pytest.raises(ValueError, match="needs at least"):
        derivative(np.ones((need - 1, 3)), n=n, accuracy=acc, boundary="periodic", axis=0)
    if n == 2:
        with pytest.raises(ValueError, match="needs at least"):
            laplacian(np.ones((need + 3, need - 1)), accuracy=acc)


def test_edge_order_only_for_n1():
    f = np.arange(10.0)
    for eo in (1, 2):
        with pytest.raises(ValueError, match="edge_order"):
            derivative(f, n=2, edge_order=eo)
    with pytest.raises(ValueError, match="edge_order"):
        derivative(f, n=1, edge_order=2, accuracy=4)
    assert_array_same(derivative(f ** 2, edge_order=2), gradient(f ** 2, edge_order=2))
    with pytest.raises(TypeError):
        laplacian(f, edge_order=1)


def test_other_arguments_name_themselves():
    f = np.ones((10, 12))
    with pytest.raises(ValueError, match="accuracy"):
        derivative(f, n=2, accuracy=3)
    with pytest.raises(ValueError, match="accuracy"):
        laplacian(f, accuracy=10)
    with pytest.raises(ValueError, match="boundary"):
        derivative(f, n=2, boundary="wrap")
    with pytest.raises(ValueError, match="period"):
        laplacian(f, period=2.0)
    with pytest.raises(ValueError, match="period"):
        laplacian(f, np.arange(10.0), np.arange(12.0), boundary="periodic")
    with pytest.raises(ValueError, match="axis"):
        laplacian(f, axis=())
    with pytest.raises(np.exceptions.AxisError):
        derivative(f, n=2, axis=2)
    with pytest.raises(ValueError):
        laplacian(f, axis=(0, 0))
    with pytest.raises(TypeError, match="invalid number of arguments"):
        laplacian(f, 1.0, 2.0, 3.0)
    with pytest.raises(ValueError, match="distances must match"):
        derivative(f, np.arange(3.0), 1.0, n=2)


def test_errors_match_gradient_where_gradient_raises():
    f = np.ones((10, 12))
    for args, kw in [((1.0, 2.0, 3.0), {}), ((np.ones((2, 2)), 1.0), {}), ((), {"axis": 5}),
                     ((), {"workers": -5}), ((), {"boundary": "x"}), ((), {"accuracy": 5})]:
        exp = outcome(lambda: gradient(f, *args, **kw))
        assert isinstance(exp, Exception)
        for fn in (lambda: derivative(f, *args, n=2, **kw), lambda: laplacian(f, *args, **kw)):
            got = outcome(fn)
            assert type(got) is type(exp), (args, kw, got, exp)


def test_duck_arrays_other_than_dask_refused():
    class Duck:
        def __array_function__(self, func, types, args, kwargs):
            return NotImplemented

    with pytest.raises(TypeError, match="not supported"):
        derivative(Duck(), n=2)
    with pytest.raises(TypeError, match="not supported"):
        laplacian(np.ones(10), Duck())


# ---------------------------------------------------------------------------
# The docstrings' examples run


@runs_doctest
def test_docstring_examples():
    import gradient_ext._derivatives as module
    result = doctest.testmod(module, optionflags=doctest.NORMALIZE_WHITESPACE)
    assert result.attempted >= 8 and result.failed == 0


def test_exported():
    assert {"derivative", "laplacian"} <= set(gradient_ext.__all__)


@runs_doctest
def test_guide_page_examples():
    # The user guide's page on derivative and laplacian (docs/guide/derivatives.rst);
    # tools/build_docs.sh runs every page's examples, this runs these in the fast tier.
    import pathlib
    page = pathlib.Path(__file__).parents[1] / "docs" / "guide" / "derivatives.rst"
    if not page.exists():
        pytest.skip("docs/ is not beside the tests (installed package)")
    test = doctest.DocTestParser().get_doctest(
        page.read_text(), {"np": np}, "derivatives", str(page), 0)
    runner = doctest.DocTestRunner(optionflags=doctest.NORMALIZE_WHITESPACE)
    runner.run(test)
    assert runner.summarize(verbose=False).attempted >= 4
    assert runner.summarize(verbose=False).failed == 0


# ---------------------------------------------------------------------------
# The cache of uneven weight tables


def cache_info():
    from gradient_ext._runtime import kernels
    return kernels.weight_cache_info()


# One weight cache per process: a test asserting its counters must be alone
# (pytest-run-parallel runs it in one thread).
cache_counters = pytest.mark.thread_unsafe(reason="asserts the process-wide weight cache's "
                                                  "counters")


@cache_counters
def test_weight_cache_same_bits_with_and_without():
    rng = np.random.default_rng(21)
    x = uneven_grid(300, rng, 0, 5)
    f = rng.standard_normal((7, 300))
    P = 6.0
    for kw in ({"n": 2}, {"n": 4, "accuracy": 6}, {"n": 1, "accuracy": 8},
               {"n": 3, "boundary": "periodic", "period": P}):
        gradient_ext.clear_weight_cache()
        first = derivative(f, x, n=kw["n"], axis=1, **{k: v for k, v in kw.items() if k != "n"})
        info = cache_info()
        assert info["entries"] == 1 and info["misses"] == 1 and info["hits"] == 0
        again = derivative(f, x, axis=1, **kw)
        assert cache_info()["hits"] == 1
        assert_array_same(again, first)
        if "period" not in kw:      # (periodic float32 coordinates wrap in float32)
            assert_array_same(derivative(f, x.astype(np.float32).astype(np.float64), axis=1,
                                         **kw),
                              derivative(f, x.astype(np.float32), axis=1, **kw))
        gradient_ext.clear_weight_cache()
        assert cache_info()["entries"] == 0
        assert_array_same(derivative(f, x, axis=1, **kw), first)


def test_weight_cache_sees_changed_coordinates():
    # same first, middle and last coordinates (the cheap key), other values inside
    rng = np.random.default_rng(22)
    x = uneven_grid(301, rng, 0, 1)
    f = np.sin(7 * x)
    gradient_ext.clear_weight_cache()
    a = derivative(f, x, n=2, accuracy=4)
    y = x.copy()
    y[10] += 1e-3
    b = derivative(f, y, n=2, accuracy=4)
    gradient_ext.clear_weight_cache()
    assert_array_same(b, derivative(f, y, n=2, accuracy=4))
    assert not np.array_equal(a, b)
    x[10] += 1e-3                       # in place: the cached table must not be reused
    gradient_ext.clear_weight_cache()
    derivative(f, y, n=2, accuracy=4)
    assert_array_same(derivative(f, x, n=2, accuracy=4), b)


@cache_counters
def test_weight_cache_is_bounded():
    rng = np.random.default_rng(23)
    gradient_ext.clear_weight_cache()
    for k in range(45):
        x = uneven_grid(300 + k, rng)
        derivative(np.ones(300 + k), x, n=2)
    info = cache_info()
    assert info["entries"] == info["max_entries"] == 32
    assert info["bytes"] <= info["max_bytes"]
    gradient_ext.clear_weight_cache()


def test_weight_cache_threads():
    import concurrent.futures
    rng = np.random.default_rng(24)
    grids = [uneven_grid(2000 + 7 * k, rng) for k in range(5)]
    fs = [np.sin(g) for g in grids]
    gradient_ext.clear_weight_cache()
    serial = [derivative(f, g, n=3, accuracy=4) for f, g in zip(fs, grids)]
    gradient_ext.clear_weight_cache()
    with concurrent.futures.ThreadPoolExecutor(8) as pool:
        futures = [pool.submit(derivative, fs[k % 5], grids[k % 5], n=3, accuracy=4)
                   for k in range(80)]
        for k, fut in enumerate(futures):
            assert_array_same(fut.result(), serial[k % 5])
    gradient_ext.clear_weight_cache()


@cache_counters
def test_weight_cache_skips_short_axes():
    # short axes are not cached (their tables cost less than a lookup)
    rng = np.random.default_rng(25)
    gradient_ext.clear_weight_cache()
    xs = uneven_grid(cache_info()["min_points"] - 1, rng)
    derivative(np.sin(xs), xs, n=2)
    assert cache_info()["entries"] == 0
    xl = uneven_grid(cache_info()["min_points"], rng)
    derivative(np.sin(xl), xl, n=2)
    assert cache_info()["entries"] == 1
    gradient_ext.clear_weight_cache()


PAIR_SCHEMES = [(1, 4, "one-sided"), (1, 8, "one-sided"), (2, 2, "one-sided"),
                (2, 4, "periodic"), (3, 6, "one-sided"), (4, 2, "reflect"),
                (2, 4, "constant"), (1, 6, "symmetric"), (2, 6, "edge")]


@pytest.mark.parametrize("dtype", [np.float64, np.float32], ids=lambda d: np.dtype(d).name)
@pytest.mark.parametrize("grid", ["uniform", "uneven"])
def test_pairs_of_lines_have_the_bits_of_each_line_alone(dtype, grid):
    """A k-tap axis across lines computes two neighbouring lines in one pass
    (`run_pair`, running/_tiling.pxi): each output has the bits of the same axis
    taken along its own line (the axis moved last, contiguous), for every scheme,
    at the ends and inside, odd and even line counts, lines shorter and longer
    than a unit of work, 2-D and 3-D, one thread and two."""
    rng = np.random.default_rng([21, np.dtype(dtype).itemsize])
    failures = []
    for shape, axis in [((12, 5), 0), ((14, 4099), 0), ((13, 300), 0), ((12, 12, 70), 1),
                        ((12, 12, 70), 0)]:
        f = (rng.standard_normal(shape) * 10).astype(dtype)
        n_points = shape[axis]
        for n, accuracy, boundary in PAIR_SCHEMES:
            if grid == "uneven" and boundary not in ("one-sided", "periodic"):
                continue
            x = np.cumsum(rng.uniform(0.5, 1.5, n_points)) if grid == "uneven" else 0.3
            kw = dict(n=n, accuracy=accuracy, boundary=boundary)
            if boundary == "periodic" and grid == "uneven":
                kw["period"] = float(x[-1] - x[0]) + 1.0
            alone = np.moveaxis(derivative(np.ascontiguousarray(np.moveaxis(f, axis, -1)),
                                              x, axis=-1, **kw), -1, axis)
            for workers in (1, 2):
                got = derivative(f, x, axis=axis, workers=workers, **kw)
                if np.ascontiguousarray(got).tobytes() != np.ascontiguousarray(alone).tobytes():
                    failures.append(f"{shape} axis={axis} {kw} workers={workers}")
    assert not failures, failures
