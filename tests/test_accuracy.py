"""accuracy=4, 6, 8: exactness, convergence, agreement with findiff, determinism, errors.

Only the findiff comparisons need findiff; they skip, one by one, without it.
"""

import numpy as np
import pytest

from gradient_ext import gradient
from generators import array_generator
from helpers import convergence_rate, uneven_grid
from oracle import assert_array_same

ACC = [4, 6, 8]


@pytest.mark.parametrize("acc", ACC)
@pytest.mark.parametrize("grid", ["uniform", "uneven"])
def test_exact_on_polynomials(acc, grid):
    # a scheme of order p differentiates polynomials of degree p exactly
    rng = np.random.default_rng(acc)
    for n in (40, acc + 1, acc + 3):        # short axes: one-sided stencils moved inwards
        exact_on_axis(acc, grid, n, rng)


def exact_on_axis(acc, grid, n, rng):
    x = np.linspace(-1, 1, n) if grid == "uniform" else uneven_grid(n, rng, -1, 2)
    h = x[1] - x[0]
    for deg in range(acc + 1):
        c = rng.standard_normal(deg + 1)
        f = np.polyval(c, x)
        exact = np.polyval(np.polyder(c), x) if deg else np.zeros(n)
        got = gradient(f, h if grid == "uniform" else x, accuracy=acc)
        np.testing.assert_allclose(got, exact, rtol=0, atol=1e-10 * (1 + np.abs(exact).max()))


def rate(acc, grid, where, boundary="one-sided"):
    """The observed order of f = sin 2x + cos x's first derivative.  Uneven grids are
    smooth maps of the uniform one (random spacings would make the error of each
    refinement a different draw, not a convergence)."""
    errs, hs = [], []
    # coarse enough that rounding stays far below the truncation error
    for n in {4: (40, 80, 160), 6: (30, 50, 80), 8: (20, 28, 40)}[acc]:
        if boundary == "periodic":
            x = np.arange(n) * (2 * np.pi / n)
            if grid == "uneven":       # a smooth, periodic map of the uniform grid
                x = x + 0.2 * np.sin(x)
        else:
            x = np.linspace(0, 2, n)
            if grid == "uneven":       # a smooth map keeping the ends: spacings vary by
                # about 1/n of themselves (exactness on polynomials has random spacings)
                x = x + 0.3 * np.sin(x * np.pi) / n
        f = np.sin(2 * x) + np.cos(x)
        d = 2 * np.cos(2 * x) - np.sin(x)
        sp = x if grid == "uneven" else x[1] - x[0]
        kw = {"period": 2 * np.pi} if boundary == "periodic" and grid == "uneven" else {}
        g = gradient(f, sp, accuracy=acc, boundary=boundary, **kw)
        e = np.abs(g - d)
        errs.append(e[:acc // 2].max() if where == "edge" else e[n // 3: 2 * n // 3].max())
        hs.append(2 / n)
    return convergence_rate(hs, errs)


@pytest.mark.parametrize("acc", ACC)
@pytest.mark.parametrize("grid", ["uniform", "uneven"])
@pytest.mark.parametrize("where", ["interior", "edge"])
def test_convergence_one_sided(acc, grid, where):
    assert rate(acc, grid, where) > acc - 0.6


@pytest.mark.parametrize("acc", ACC)
@pytest.mark.parametrize("grid", ["uniform", "uneven"])
def test_convergence_periodic(acc, grid):
    assert rate(acc, grid, "edge", "periodic") > acc - 0.6
    assert rate(acc, grid, "interior", "periodic") > acc - 0.6


@pytest.fixture
def findiff():
    return pytest.importorskip("findiff")


@pytest.mark.parametrize("acc", ACC)
def test_findiff_uniform(acc, findiff):
    rng = np.random.default_rng(acc)
    n, h = 200, 0.01
    f = np.sin(np.arange(n) * h * 7) + 0.1 * rng.standard_normal(n)
    ref = findiff.Diff(0, h, acc=acc)(f)
    np.testing.assert_allclose(gradient(f, h, accuracy=acc), ref, rtol=1e-9,
                               atol=1e-9 * np.abs(ref).max())


@pytest.mark.parametrize("acc", ACC)
def test_findiff_uniform_periodic(acc, findiff):
    rng = np.random.default_rng(acc)
    n = 128
    h = 2 * np.pi / n
    f = np.sin(np.arange(n) * h * 3) + 0.1 * rng.standard_normal(n)
    d = findiff.Diff(0, h, acc=acc, periodic=True)
    ref = d(f)
    got = gradient(f, h, accuracy=acc, boundary="periodic")
    np.testing.assert_allclose(got, ref, rtol=1e-9, atol=1e-9 * np.abs(ref).max())


@pytest.mark.parametrize("acc", ACC)
def test_findiff_uneven(acc, findiff):
    rng = np.random.default_rng(acc)
    x = uneven_grid(150, rng, 0, 3)
    f = np.sin(3 * x) + 0.1 * rng.standard_normal(x.size)
    ref = findiff.Diff(0, x, acc=acc)(f)
    np.testing.assert_allclose(gradient(f, x, accuracy=acc), ref, rtol=1e-8,
                               atol=1e-8 * np.abs(ref).max())


def fornberg_reference(x, f, acc, period):
    """Uneven periodic reference (findiff raises here): weights by solving the
    Vandermonde system in longdouble on the coordinates padded by +-period."""
    n, h = len(x), acc // 2
    xp = np.concatenate((x[n - h:] - period, x, x[:h] + period)).astype(np.longdouble)
    out = np.empty(n, dtype=np.longdouble)
    for i in range(n):
        z = xp[i: i + 2 * h + 1] - xp[i + h]
        v = np.vander(z / (z[-1] - z[0]), increasing=True).T
        rhs = np.zeros(2 * h + 1, dtype=np.longdouble)
        rhs[1] = 1 / (z[-1] - z[0])
        w = np.linalg.solve(v.astype(np.float64), rhs.astype(np.float64))
        idx = [(i - h + t) % n for t in range(2 * h + 1)]
        out[i] = np.dot(w, f[idx])
    return out.astype(np.float64)


@pytest.mark.parametrize("acc", ACC)
def test_uneven_periodic_against_reference(acc):
    rng = np.random.default_rng(acc)
    n, P = 60, 2 * np.pi
    x = np.sort(rng.uniform(0, P, n))
    x = np.arange(n) * (P / n) + 0.3 * (P / n) * rng.uniform(-1, 1, n)
    f = np.sin(x) + 0.2 * np.cos(3 * x)
    ref = fornberg_reference(x, f, acc, P)
    got = gradient(f, x, accuracy=acc, boundary="periodic", period=P)
    np.testing.assert_allclose(got, ref, rtol=1e-7, atol=1e-7)


LAYOUTS = ["C", "F", "transposed", "strided", "negstrides", "mixed_strides", "broadcast"]


# Million-element threaded calls: accuracy 6 and 8 in the slow tier.
@pytest.mark.parametrize("acc", [4] + [pytest.param(a, marks=pytest.mark.slow) for a in (6, 8)])
@pytest.mark.parametrize("boundary", ["one-sided", "periodic"])
@pytest.mark.parametrize("grid", ["uniform", "uneven"])
def test_independent_of_layout_threads_and_dtype(acc, boundary, grid):
    rng = np.random.default_rng(acc)
    shape = (11, 300)
    xs = [uneven_grid(n, rng, 0, n) for n in shape]
    sp = xs if grid == "uneven" else [0.5, np.float64(0.25)]
    kw = dict(accuracy=acc, boundary=boundary)
    if boundary == "periodic" and grid == "uneven":
        kw["period"] = [n + 1.0 for n in shape]
    base = np.ascontiguousarray(rng.standard_normal(shape))
    ref = gradient(base, *sp, **kw)
    for a, desc in array_generator(dtypes=[np.dtype(np.float64)], shapes=[shape],
                                   layouts=LAYOUTS):
        g = gradient(a, *sp, **kw)
        c = np.ascontiguousarray(a)
        exp = gradient(c, *sp, **kw)
        # bits (up to NaN signs, docs/guide/numpy_compat.rst) independent of layout, and of each
        # axis being computed alone, along lines or across them
        for q in range(2):
            assert_array_same(g[q], exp[q], desc, check_order=False)
            alone = gradient(c, sp[q], axis=q, **{k: (v[q] if k == "period" else v)
                                                  for k, v in kw.items()})
            assert_array_same(alone, exp[q], desc, check_order=False)
            assert_array_same(gradient(c.T, sp[q], axis=1 - q,
                                       **{k: (v[q] if k == "period" else v)
                                          for k, v in kw.items()}).T, exp[q], desc, False)
    for workers in (1, 2, 3):
        big = np.tile(base, (40, 10))
        spb = sp if grid == "uniform" else [uneven_grid(n, rng, 0, n) for n in big.shape]
        kwb = dict(kw, period=[n + 1.0 for n in big.shape]) if "period" in kw else kw
        r1 = gradient(big, *spb, workers=1, **kwb)
        rw = gradient(big, *spb, workers=workers, **kwb)
        assert all(a.tobytes() == b.tobytes() for a, b in zip(r1, rw))
    # integers are read as float64; complex parts are the real computation on each part
    i = (base * 100).astype(np.int32)
    assert all(a.tobytes() == b.tobytes() for a, b in
               zip(gradient(i, *sp, **kw), gradient(i.astype(np.float64), *sp, **kw)))
    z = base + 1j * base[::-1]
    gz = gradient(z, *sp, **kw)
    gr = gradient(base, *sp, **kw)
    gi = gradient(np.ascontiguousarray(base[::-1]), *sp, **kw)
    for q in range(2):
        np.testing.assert_array_equal(gz[q].real, gr[q])
        np.testing.assert_array_equal(gz[q].imag, gi[q])
    f32 = gradient(base.astype(np.float32), *sp, **kw)
    assert f32[0].dtype == np.float32
    np.testing.assert_allclose(f32[1], ref[1], rtol=1e-3, atol=1e-3 * np.abs(ref[1]).max())


def test_out_and_workers():
    f = np.random.default_rng(0).standard_normal((50, 70))
    outs = [np.empty_like(f), np.empty_like(f)]
    got = gradient(f, 0.1, accuracy=6, out=outs, workers=2)
    assert got[0] is outs[0] and got[1] is outs[1]
    exp = gradient(f, 0.1, accuracy=6)
    assert all(a.tobytes() == b.tobytes() for a, b in zip(got, exp))


def test_float32_nep50():
    f = np.random.default_rng(0).standard_normal(50).astype(np.float32)
    assert gradient(f, 0.1, accuracy=4).dtype == np.float32
    assert gradient(f, np.float32(0.1), accuracy=4).dtype == np.float32
    # a strong float64 spacing computes in float64 and still returns float32, as numpy
    wide = gradient(f, np.float64(0.1), accuracy=4)
    narrow = gradient(f, 0.1, accuracy=4)
    assert wide.dtype == narrow.dtype == np.float32
    ref = gradient(f.astype(np.float64), 0.1, accuracy=4)
    # float64 arithmetic, rounded once at the end, is closer than float32 arithmetic
    assert np.abs(wide - ref).max() <= np.abs(narrow - ref).max()


@pytest.mark.parametrize("kw, match", [
    (dict(accuracy=3), "accuracy must be even"),
    (dict(accuracy=10), "accuracy must be 2, 4, 6 or 8"),
    (dict(accuracy=0), "accuracy must be 2, 4, 6 or 8"),
    (dict(accuracy=4.0), "accuracy"),
    (dict(accuracy=True), "accuracy"),
    (dict(accuracy=4, edge_order=2), "edge_order"),
    (dict(boundary="wrap"), "boundary"),
    (dict(boundary=["periodic"]), "boundary"),
    (dict(boundary=3), "boundary"),
    (dict(period=5.0), "period"),
    (dict(boundary="periodic", period=5.0), "period"),
    (dict(boundary="periodic", period="x"), "period"),
    (dict(boundary="periodic", period=[1.0]), "period"),
    (dict(boundary=["periodic", "one-sided"], period=[None, 3.0]), "period"),
])
def test_invalid_arguments(kw, match):
    f = np.ones((10, 12))
    with pytest.raises(ValueError, match=match):
        gradient(f, **kw)


def test_invalid_coordinates_and_lengths():
    x = np.cumsum(np.ones(9) * 0.5) + np.linspace(0, 0.1, 9)
    f = np.sin(x)
    with pytest.raises(ValueError, match="period is required"):
        gradient(f, x, boundary="periodic")
    with pytest.raises(ValueError, match="period"):
        gradient(f, x, boundary="periodic", period=1.0)       # x spans more than 1
    with pytest.raises(ValueError, match="period"):
        gradient(f, x[::-1], boundary="periodic", period=10.0)  # decreasing
    with pytest.raises(ValueError, match="accuracy=8 needs at least 9"):
        gradient(f[:8], accuracy=8)
    with pytest.raises(ValueError, match="accuracy=6 needs at least 7"):
        gradient(np.ones((6, 20)), accuracy=6, boundary="periodic")
    with pytest.raises(TypeError, match="accuracy=4"):
        gradient(f.astype(np.float16), accuracy=4)
    # a uniform periodic axis: its period is n*h, and a given one must agree
    gradient(f, 0.5, boundary="periodic", period=4.5)
    with pytest.raises(ValueError, match="period"):
        gradient(f, 0.5, boundary="periodic", period=4.0)


def test_kernel_gradient_accuracy():
    from gradient_ext._integrations.chunks import kernel_gradient
    f = np.random.default_rng(0).standard_normal((20, 30))
    x = uneven_grid(30, np.random.default_rng(1), 0, 3)
    got = kernel_gradient(f, [0.5, x], (0, 1), 1, accuracy=4)
    exp = gradient(f, 0.5, x, accuracy=4)
    assert all(a.tobytes() == b.tobytes() for a, b in zip(got, exp))


def lagrange_weights(z, c):
    """Exact first-derivative weights at z[c] (rationals from the float64 nodes)."""
    from fractions import Fraction
    z = [Fraction(float(v)) for v in z]
    w = []
    for j in range(len(z)):
        if j == c:
            w.append(sum(1 / (z[c] - z[k]) for k in range(len(z)) if k != c))
            continue
        num, den = Fraction(1), z[j] - z[c]
        for k in range(len(z)):
            if k not in (j, c):
                num *= z[c] - z[k]
                den *= z[j] - z[k]
        w.append(num / den)
    return np.array([float(v) for v in w])


@pytest.mark.parametrize("acc", ACC)
@pytest.mark.parametrize("scale", [1.0, 2.0 ** -500, 1e-150, 1e150])
def test_uneven_weights_near_exact(acc, scale):
    # the weights (gradients of unit vectors) are within a few ulps of the exact
    # ones, whatever the units; scaling by a power of 2 scales them exactly
    rng = np.random.default_rng(acc)
    n, h = 3 * acc, acc // 2
    x = uneven_grid(n, rng, 0, n) * scale
    m = np.array([gradient(e, x, accuracy=acc) for e in np.eye(n)]).T
    for i in range(n):
        st = 0 if i < h else (n - acc - 1 if i >= n - h else i - h)
        ex = lagrange_weights(x[st: st + acc + 1], i - st)
        np.testing.assert_allclose(m[i, st: st + acc + 1], ex, rtol=0,
                                   atol=16e-16 * np.abs(ex).max())
    if scale == 1.0:
        m2 = np.array([gradient(e, x * 2.0 ** -40, accuracy=acc) for e in np.eye(n)]).T
        assert np.array_equal(m2, m * 2.0 ** 40)


def test_uneven_weights_very_uneven_spacing():
    # spacings 1e-12 .. 1e9 apart: still exact on x**2 to rounding of the data
    x = np.cumsum([1, 1e-12, 1, 1, 1e-12, 1, 1, 1, 1, 1, 1e9, 1, 1.0])
    for acc in ACC:
        g = gradient(x ** 2, x, accuracy=acc)
        assert np.abs(g - 2 * x).max() < 1e-5 * 2 * x.max()


def test_uneven_weights_independent_of_threads():
    # long enough for the weight table to be split across threads
    x = uneven_grid(300_001, np.random.default_rng(3), 0, 10)
    f = np.sin(x)
    for acc in ACC:
        for periodic in (False, True):
            kw = dict(boundary="periodic", period=10.5) if periodic else {}
            r1 = gradient(f, x, accuracy=acc, workers=1, **kw)
            assert gradient(f, x, accuracy=acc, workers=3, **kw).tobytes() == r1.tobytes()


@pytest.mark.parametrize("acc", ACC)
@pytest.mark.parametrize("grid", ["uniform", "uneven"])
@pytest.mark.parametrize("boundary", ["one-sided", "periodic"])
def test_documented_summation_order(acc, grid, boundary):
    # docs/guide/periodic_accuracy.rst: o[i] = (...((w_0*f[j_0] + w_1*f[j_1]) + w_2*f[j_2]) + ...)
    # with the taps left to right by offset (uniform grids skip weights of 0).
    # The weights are read back exactly as the gradients of unit vectors; the
    # sum is then redone in that order, one float64 operation at a time.  The
    # axis is several accumulation chunks long; contiguous, strided and
    # across-lines layouts all have to give those bits.
    rng = np.random.default_rng(acc)
    n = 700
    x = uneven_grid(n, rng, 0, n) if grid == "uneven" else 0.37
    kw = dict(accuracy=acc, boundary=boundary)
    if boundary == "periodic" and grid == "uneven":
        kw["period"] = n + 1.0
    w = np.array([gradient(e, x, **kw) for e in np.eye(n)]).T
    f = rng.standard_normal(n)
    f[rng.integers(0, n, 40)] = 0.0
    f[rng.integers(0, n, 40)] = -0.0
    exp = np.empty(n)
    for i in range(n):
        taps = np.flatnonzero(w[i])
        if boundary == "periodic":
            taps = sorted(taps, key=lambda j: (j - i + acc // 2) % n)
        s = None
        for j in taps:
            term = w[i, j] * f[j]
            s = term if s is None else s + term
        exp[i] = s
    two = np.stack([f, rng.standard_normal(n)], axis=1)
    wide = np.zeros(2 * n)
    wide[::2] = f
    for got, desc in [(gradient(f, x, **kw), "contiguous"),
                      (gradient(wide[::2], x, **kw), "strided"),
                      (gradient(two, x, axis=0, **kw)[:, 0], "across lines")]:
        assert got.tobytes() == exp.tobytes(), desc
