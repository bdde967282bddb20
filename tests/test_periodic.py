"""boundary="periodic", accuracy 2: bit for bit numpy.gradient on wrap-padded data.

The oracle pads f with ``np.pad(..., mode="wrap")`` by one element at both ends
of every periodic axis, pads coordinates with ``x[-1] - period`` and
``x[0] + period``, calls numpy.gradient and trims.  gradient_ext must give the
same bits without copying anything (the tiling points at wrapped neighbours).

Each looped test takes one dtype and runs every shape, layout and spacing form
(seeded arrays of generators.py), collecting every mismatch, and checks how
many cases it ran; each case compares one or more calls with the pad oracle
(counted in the "oracle comparisons" summary line, ``-v`` per test).  The
three largest loops are split by tiers.Share: the "fast" items sample them,
the "rest" items (slow tier) run the other cases.
"""

import numpy as np
import pytest
from hypothesis import given, strategies as st
from hypothesis.extra import numpy as hnp
from numpy.lib.array_utils import normalize_axis_tuple

from gradient_ext import gradient
from generators import array_generator
from oracle import assert_array_same, numpy_gradient, run_collecting
from tiers import PARTS, Share

KERNEL = [np.float32, np.float64, np.complex64, np.complex128, np.int8, np.int16,
          np.int32, np.int64, np.uint8, np.uint16, np.uint32, np.uint64]
FALLBACK = [np.float16, np.longdouble]       # numpy computes them, on padded data
LAYOUTS = ["C", "F", "transposed", "strided", "negstrides", "mixed_strides",
           "broadcast", "broadcast_last"]


def pad_oracle(f, *varargs, axis=None, edge_order=1, boundary="periodic", period=None):
    f = np.asarray(f)
    axes = tuple(range(f.ndim)) if axis is None else normalize_axis_tuple(axis, f.ndim)
    bounds = [boundary] * len(axes) if isinstance(boundary, str) else list(boundary)
    periods = list(period) if isinstance(period, (list, tuple)) else [period] * len(axes)
    wrap = [ax for ax, b in zip(axes, bounds) if b == "periodic"]
    spacing = list(varargs)
    if len(varargs) == len(axes):
        for q, v in enumerate(varargs):
            if np.ndim(v) == 1 and bounds[q] == "periodic":
                x = np.asanyarray(v)
                spacing[q] = np.concatenate(([x[-1] - periods[q]], x, [x[0] + periods[q]]))
    pad = [(1, 1) if ax in wrap else (0, 0) for ax in range(f.ndim)]
    res = numpy_gradient(np.pad(f, pad, mode="wrap"), *spacing, axis=axes,
                         edge_order=edge_order)
    res = (res,) if len(axes) == 1 else res
    trim = tuple(slice(1, -1) if ax in wrap else slice(None) for ax in range(f.ndim))
    return tuple(r[trim] for r in res)


def check(f, *varargs, **kw):
    kw.setdefault("boundary", "periodic")
    got = gradient(f, *varargs, **kw)
    exp = pad_oracle(f, *varargs, **kw)
    got = (got,) if not isinstance(got, tuple) else got
    assert len(got) == len(exp)
    for g, e in zip(got, exp):
        assert_array_same(g, e, check_order=False)


def check_all(cases):
    """Run ``(description, thunk)`` cases, collecting every failure into one
    AssertionError; returns how many ran."""
    return run_collecting(cases, "the pad oracle")


def arrays(dtype, shapes, layouts=LAYOUTS):
    """The seeded arrays of generators.array_generator for one dtype."""
    return array_generator(dtypes=[np.dtype(dtype)], shapes=shapes, layouts=layouts)


def name(dtype):
    return np.dtype(dtype).name


# Each test takes one dtype and loops over shapes, layouts and spacing forms
# (the cartesian product that used to be ~5,300 parametrized items).
SPACINGS_1D = [((), "unit"), ((0.5,), "py0.5"), ((np.float32(0.1),), "f32"),
               ((np.float64(0.3),), "f64"), ((2,), "int2")]


@pytest.mark.parametrize("part", PARTS)
@pytest.mark.parametrize("dtype", KERNEL + FALLBACK, ids=name)
def test_uniform_1d(dtype, part):
    share = Share(part, every=4)

    def cases():
        for f, desc in arrays(dtype, [(1,), (2,), (3,), (7,), (5000,)]):
            for h, hdesc in SPACINGS_1D:
                yield f"{desc} h={hdesc}", lambda f=f, h=h: check(f, *h)
    assert check_all(share.filter(cases())) == share.taken
    # 5 shapes x 7 layouts of a 1-D array (C twice: ordinary and special values)
    assert share.seen == 5 * 7 * len(SPACINGS_1D)


@pytest.mark.parametrize("part", PARTS)
@pytest.mark.parametrize("dtype", KERNEL + FALLBACK, ids=name)
def test_uniform_nd_all_axes(dtype, part):
    share = Share(part, every=4)

    def cases():
        for f, desc in arrays(dtype, [(3, 4), (1, 5), (2, 1, 3), (70, 80)]):
            yield f"{desc} 0.5", lambda f=f: check(f, 0.5)
            yield f"{desc} f32 per axis", lambda f=f: check(f, *[np.float32(0.25)] * f.ndim)
    assert check_all(share.filter(cases())) == share.taken
    # 4 shapes x 8 layouts (C twice; the 2-D and 3-D layouts all apply) x 2 spacings
    assert share.seen == 4 * 9 * 2


@pytest.mark.parametrize("dtype", [np.float32, np.float64, np.complex64, np.int16], ids=name)
def test_mixed_boundaries(dtype):
    def cases():
        for f, desc in arrays(dtype, [(4, 5), (6, 3, 5), (9, 8)]):
            for q in range(f.ndim):
                bounds = ["one-sided"] * f.ndim
                bounds[q] = "periodic"
                for edge_order in (1, 2):
                    yield f"{desc} {bounds} edge_order={edge_order}", \
                        lambda f=f, b=bounds, e=edge_order: check(f, boundary=b, edge_order=e)
    assert check_all(cases()) > 0


def uneven(n, dtype, rng):
    return (np.cumsum(rng.uniform(0.5, 1.5, n)) - 2.0).astype(dtype)


def uneven_1d_case(f, xdtype, ptype):
    rng = np.random.default_rng(f.size)
    x = uneven(f.shape[0], xdtype, rng) if xdtype != np.int64 else np.cumsum(
        rng.integers(1, 4, f.shape[0]))
    period = ptype(int(x[-1] - x[0]) + 3)      # a wrap gap of 2 to 3
    if f.dtype.kind == "c" and np.any(np.abs(f[np.isfinite(f)]) < 1e-300):
        # Known, not periodic-specific: numpy's complex multiply (FMA in its
        # SIMD loop here) and the kernels' round a subnormal product's zero
        # sign differently on uneven coordinates, one-sided too.
        f = np.where(np.abs(f) < 1e-300, 0, f).astype(f.dtype)
    if f.shape[0] == 1:
        # coordinates are read (and a single one rejected) before boundary=
        with pytest.raises(ValueError, match="too small"):
            gradient(f, x, period=period, boundary="periodic")
        return
    check(f, x, period=period)


@pytest.mark.parametrize("part", PARTS)
@pytest.mark.parametrize("dtype", KERNEL, ids=name)
def test_uneven_1d(dtype, part):
    share = Share(part, every=4)

    def cases():
        for f, desc in arrays(dtype, [(1,), (2,), (3,), (9,), (5000,)],
                              ["C", "strided", "negstrides"]):
            for xdtype in (np.float64, np.float32, np.int64):
                for ptype, pdesc in [(float, "py"), (np.float32, "f32"), (np.float64, "f64"),
                                     (int, "int")]:
                    yield f"{desc} x={name(xdtype)} period={pdesc}", \
                        lambda f=f, x=xdtype, p=ptype: uneven_1d_case(f, x, p)
    assert check_all(share.filter(cases())) == share.taken
    assert share.seen == 5 * 4 * 3 * 4       # shapes x arrays x xdtypes x ptypes


@pytest.mark.parametrize("dtype", KERNEL, ids=name)
def test_uneven_nd(dtype):
    def case(f):
        rng = np.random.default_rng(3)
        xs = [uneven(n, np.float64, rng) for n in f.shape]
        periods = [float(x[-1] - x[0]) + 1.25 for x in xs]
        check(f, *xs, period=periods)
        bounds = ["periodic"] + ["one-sided"] * (f.ndim - 1)
        check(f, *xs, boundary=bounds, period=[periods[0]] + [None] * (f.ndim - 1))

    assert check_all((desc, lambda f=f: case(f)) for f, desc in arrays(
        dtype, [(5, 6), (40, 3, 50)], ["C", "F", "transposed", "negstrides"])) > 0


def test_even_coordinates_collapse_on_the_padded_coordinates():
    # x even and the wrap gap equal to the step: numpy collapses the padded
    # coordinates to the strong scalar diff[0]; a different gap keeps them uneven
    f = np.random.default_rng(0).standard_normal(12).astype(np.float32)
    x = np.arange(12, dtype=np.float64) * 0.5
    check(f, x, period=6.0)
    check(f, x, period=6.5)
    check(f, x.astype(np.float32), period=6.0)


def test_float16_coordinates_and_fallback_dtypes():
    rng = np.random.default_rng(1)
    x = np.cumsum(rng.uniform(0.5, 1.5, 9)).astype(np.float16)
    check(rng.standard_normal(9), x, period=np.float16(20))
    check(rng.standard_normal(9).astype(np.float16), 0.5)
    check(rng.standard_normal((4, 5)).astype(np.longdouble), 0.5, axis=1)


@pytest.mark.parametrize("workers", [1, 2, 4])
def test_out_and_workers(workers):
    rng = np.random.default_rng(2)
    f = rng.standard_normal((300, 4000))
    x = uneven(4000, np.float64, rng)
    exp = pad_oracle(f, 1.0, x, period=[None, 6000.0])
    outs = [np.empty_like(f), np.empty_like(f, order="F")]
    got = gradient(f, 1.0, x, period=[None, 6000.0], boundary="periodic", out=outs,
                   workers=workers)
    assert got[0] is outs[0] and got[1] is outs[1]
    for g, e in zip(got, exp):
        assert_array_same(g, e, check_order=False)


def test_length_one_and_two():
    for n in (1, 2):
        for dt in (np.float64, np.complex128, np.int32):
            check(np.arange(1, n + 1, dtype=dt) * 3, 0.5)
            check(np.full((n, 3), np.inf), boundary=["periodic", "one-sided"])


def test_periodic_gradient_of_sin_is_central_at_the_ends():
    n = 64
    x = np.arange(n) * (2 * np.pi / n)
    g = gradient(np.sin(x), 2 * np.pi / n, boundary="periodic")
    exact = np.cos(x) * np.sinc(1 / (n / 2))        # the central difference of sin
    np.testing.assert_allclose(g, exact, rtol=0, atol=1e-14)
    assert np.abs(gradient(np.sin(x), 2 * np.pi / n)[0] - 1) > 1e-3


@given(f=hnp.arrays(np.float64, hnp.array_shapes(min_dims=1, max_dims=3, max_side=6),
                    elements=st.floats(-1e6, 1e6)),
       data=st.data())
def test_hypothesis_pad_oracle(f, data):
    q = data.draw(st.integers(0, f.ndim - 1))
    bounds = [data.draw(st.sampled_from(["one-sided", "periodic"])) for _ in range(f.ndim)]
    bounds[q] = "periodic"
    if any(f.shape[k] < 2 for k in range(f.ndim) if bounds[k] == "one-sided"):
        return
    h = data.draw(st.sampled_from([1.0, 0.5, np.float32(0.3), 3]))
    check(f, h, boundary=bounds)
