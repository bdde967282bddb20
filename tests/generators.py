"""Deterministic edge-case generators for the gradient_ext test-suite.

The model is bottleneck's ``array_generator`` (pydata/bottleneck,
``bottleneck/tests/util.py``): a single iterator that every differential test
draws from, covering dtypes x layouts x shapes x special values.  The code here
is written from scratch for ``gradient``.

* :func:`array_generator` yields ``(array, description)`` pairs.
* :func:`spacing_cases` yields ``(varargs, description)`` pairs for one array
  and one normalised axis tuple (valid forms and the malformed ones numpy
  rejects).

Everything is seeded, so a description always names the same array.
"""

import warnings
from fractions import Fraction

import numpy as np

# ---------------------------------------------------------------------------
# dtypes

INT_DTYPES = [np.dtype(t) for t in (np.int8, np.int16, np.int32, np.int64)]
UINT_DTYPES = [np.dtype(t) for t in (np.uint8, np.uint16, np.uint32, np.uint64)]
FLOAT_DTYPES = [np.dtype(t) for t in (np.float16, np.float32, np.float64, np.longdouble)]
COMPLEX_DTYPES = [np.dtype(t) for t in (np.complex64, np.complex128, np.clongdouble)]
TIME_DTYPES = [np.dtype("M8[D]"), np.dtype("M8[ns]"), np.dtype("m8[s]"), np.dtype("m8[ms]")]
OTHER_DTYPES = [np.dtype(object), np.dtype(bool)]

NUMERIC_DTYPES = INT_DTYPES + UINT_DTYPES + FLOAT_DTYPES + COMPLEX_DTYPES
ALL_DTYPES = NUMERIC_DTYPES + TIME_DTYPES + OTHER_DTYPES

# dtypes whose arithmetic runs in a compiled kernel (ints are converted to
# float64 first, exactly like numpy does)
KERNEL_DTYPES = FLOAT_DTYPES + COMPLEX_DTYPES + [np.dtype("m8[s]")]


def dtype_name(dt):
    dt = np.dtype(dt)
    name = dt.name if dt.kind not in "mM" else dt.str[1:]
    if dt.byteorder not in ("=", "|") and not dt.isnative:
        name += "-swapped"
    return name


# ---------------------------------------------------------------------------
# values


def _float_specials(dt):
    fi = np.finfo(dt)
    return [
        np.nan, np.inf, -np.inf, -0.0, 0.0, 1.0, -1.0,
        fi.max, -fi.max, fi.tiny, -fi.tiny, fi.smallest_subnormal,
        -fi.smallest_subnormal, fi.eps, fi.max / 3,
    ]


def _int_specials(dt):
    ii = np.iinfo(dt)
    vals = [ii.min, ii.max, ii.max - 1, 0, 1, ii.min + 1, ii.max // 2 + 1]
    if ii.min < 0:
        vals += [-1, ii.min // 2]
    return vals


def values(dtype, n, rng, special):
    """A 1-D array of ``n`` values of ``dtype``.

    ``special=False`` gives ordinary varied-magnitude values (so the arithmetic
    is exercised, not just NaN propagation); ``special=True`` salts them with
    nan/+-inf/-0.0/huge/tiny/subnormal or integer limits.
    """
    dt = np.dtype(dtype)
    native = dt.newbyteorder("=") if dt.kind not in "OVb" else dt
    kind = dt.kind
    if kind == "f":
        scale = 10.0 ** rng.integers(-3, 4, size=n)
        if native == np.float16:
            scale = np.minimum(scale, 100.0)
        a = (rng.standard_normal(n) * scale).astype(native)
        if special:
            sp = np.array(_float_specials(native), dtype=native)
            idx = rng.random(n) < 0.4
            a[idx] = rng.choice(sp, size=int(idx.sum()))
    elif kind == "c":
        part = np.dtype(native.char.lower()) if native.char != "G" else np.dtype(np.longdouble)
        re = values(part, n, rng, special)
        im = values(part, n, rng, special)
        a = np.empty(n, dtype=native)
        a.real = re
        a.imag = im
    elif kind in "iu":
        ii = np.iinfo(native)
        if special or rng.random() < 0.3:
            a = rng.integers(ii.min, ii.max, size=n, dtype=native, endpoint=True)
        else:
            lo = max(ii.min, -100)
            a = rng.integers(lo, 100, size=n).astype(native)
        if special:
            sp = np.array(_int_specials(native), dtype=native)
            idx = rng.random(n) < 0.4
            a[idx] = rng.choice(sp, size=int(idx.sum()))
    elif kind == "b":
        a = rng.random(n) < 0.5
    elif kind in "mM":
        if special:
            ints = rng.integers(-(2**62), 2**62, size=n)
            sp = np.array([np.iinfo(np.int64).min, np.iinfo(np.int64).max,
                           np.iinfo(np.int64).min + 1, 0, -1], dtype=np.int64)
            idx = rng.random(n) < 0.4
            ints[idx] = rng.choice(sp, size=int(idx.sum()))   # includes NaT
        else:
            ints = np.cumsum(rng.integers(-1000, 1000, size=n)) + 10_000
        a = ints.astype(np.int64).view(native)
    elif kind == "O":
        pool = [0, 1, -3, 2**70, -(2**65), 7, 0.5, -0.0, 1e300, 2.5, Fraction(1, 3)]
        if special:
            pool += [float("nan"), float("inf"), float("-inf")]
        a = np.empty(n, dtype=object)
        for i in range(n):
            a[i] = pool[int(rng.integers(len(pool)))]
        return a
    else:  # pragma: no cover - every dtype of ALL_DTYPES is handled above
        raise ValueError(dt)
    return a.astype(dt) if dt != native else a


# ---------------------------------------------------------------------------
# shapes and layouts

SHAPES = [
    (), (0,), (1,), (2,), (3,), (4,), (7,),
    (0, 3), (3, 0), (1, 5), (2, 3), (5, 4),
    (3, 1, 4), (2, 3, 4), (2, 0, 3),
    (2, 3, 2, 3), (1, 2, 3, 4),
]

SMALL_SHAPES = [(), (1,), (2,), (3,), (6,), (0, 3), (3, 4), (2, 1, 3), (2, 3, 2, 2)]


class TaggedArray(np.ndarray):
    """A trivial ndarray subclass (numpy keeps subclasses through empty_like)."""


def _filled(dtype, shape, rng, special):
    n = int(np.prod(shape, dtype=np.int64))
    return values(dtype, n, rng, special).reshape(shape)


def _layout(name, dtype, shape, rng, special):
    """Build an array of ``shape`` (logical) and ``dtype`` with layout ``name``.

    Returns None when the layout does not apply to this dtype/shape.
    """
    dt = np.dtype(dtype)
    nd = len(shape)
    if name == "C":
        return _filled(dt, shape, rng, special)
    if name == "F":
        if nd == 0:
            return None
        return np.asfortranarray(_filled(dt, shape, rng, special))
    if name == "transposed":  # C data seen through a permuted view
        if nd < 2:
            return None
        perm = tuple(range(1, nd)) + (0,)
        base = _filled(dt, tuple(shape[p] for p in np.argsort(perm)), rng, special)
        return base.transpose(perm)
    if name == "strided":  # a view with steps into a larger array
        if nd == 0:
            return None
        big = _filled(dt, tuple(2 * s + 1 for s in shape), rng, special)
        return big[tuple(slice(1, None, 2) for _ in shape)]
    if name == "negstrides":
        if nd == 0:
            return None
        base = _filled(dt, shape, rng, special)
        return base[tuple(slice(None, None, -1) for _ in shape)]
    if name == "mixed_strides":  # step 3 on one axis, negative on the other(s)
        if nd < 2:
            return None
        big_shape = (3 * shape[0],) + tuple(shape[1:])
        big = _filled(dt, big_shape, rng, special)
        return big[(slice(None, None, 3),) + tuple(slice(None, None, -1) for _ in shape[1:])]
    if name == "broadcast":  # zero strides on all but the last axis
        if nd == 0:
            return None
        row = _filled(dt, shape[-1:], rng, special)
        return np.broadcast_to(row, shape)
    if name == "broadcast_last":  # zero stride along the last axis
        if nd == 0:
            return None
        col = _filled(dt, shape[:-1] + (1,), rng, special)
        return np.broadcast_to(col, shape)
    if name == "readonly":
        a = _filled(dt, shape, rng, special)
        a.flags.writeable = False
        return a
    if name == "byteswapped":
        if dt.kind in "ObM" or dt.itemsize == 1:
            return None
        return _filled(dt, shape, rng, special).astype(dt.newbyteorder())
    if name == "byteswapped_F":
        if dt.kind in "ObM" or dt.itemsize == 1 or nd < 2:
            return None
        return np.asfortranarray(_filled(dt, shape, rng, special).astype(dt.newbyteorder()))
    if name == "masked":
        if dt.kind in "ObmM" or nd == 0:
            return None
        data = _filled(dt, shape, rng, special)
        mask = rng.random(shape) < 0.25
        return np.ma.masked_array(data, mask=mask)
    if name == "masked_nomask":
        if dt.kind in "ObmM" or nd == 0:
            return None
        return np.ma.masked_array(_filled(dt, shape, rng, special))
    if name == "matrix":
        if nd != 2 or dt.kind in "mMO":
            return None
        with warnings.catch_warnings():
            warnings.simplefilter("ignore", PendingDeprecationWarning)
            return np.matrix(_filled(dt, shape, rng, special))
    if name == "subclass":
        return _filled(dt, shape, rng, special).view(TaggedArray)
    raise ValueError(name)


LAYOUTS = [
    "C", "F", "transposed", "strided", "negstrides", "mixed_strides",
    "broadcast", "broadcast_last", "readonly", "byteswapped", "byteswapped_F",
    "masked", "masked_nomask", "matrix", "subclass",
]


def shape_str(shape):
    return "x".join(map(str, shape)) if shape else "0d"


def array_generator(dtypes=ALL_DTYPES, shapes=SHAPES, layouts=LAYOUTS, seed=0):
    """Yield ``(array, description)`` over dtypes x shapes x layouts x values.

    Every (dtype, shape, layout) gives one array with ordinary values; C order
    additionally gives a special-value version, and other layouts alternate
    between ordinary and special values so both are seen in every layout.
    """
    for dt in dtypes:
        dt = np.dtype(dt)
        for shape in shapes:
            for li, layout in enumerate(layouts):
                # one private stream per (dtype, shape, layout): adding a case
                # never changes the arrays of the others
                key = [seed, ALL_DTYPES.index(dt) if dt in ALL_DTYPES else 99,
                       SHAPES.index(shape) if shape in SHAPES else 99, li]
                rng = np.random.default_rng(key)
                modes = [False, True] if layout == "C" else [bool((len(shape) + li) % 2)]
                for special in modes:
                    a = _layout(layout, dt, shape, rng, special)
                    if a is None:
                        continue
                    desc = "{}-{}-{}{}".format(dtype_name(dt), shape_str(shape), layout,
                                               "-special" if special else "")
                    yield a, desc


# ---------------------------------------------------------------------------
# spacing


def scalar_spacings():
    """Every scalar spacing form: ``(value, description)``."""
    return [
        (2, "int2"), (-3, "int-3"), (0, "int0"), (10**30, "bigint"),
        (0.5, "float0.5"), (-1.5, "float-1.5"), (0.0, "float0"), (-0.0, "float-0"),
        (float("inf"), "inf"), (float("nan"), "nan"), (1e-310, "subnormal"),
        (np.float16(0.3), "f16"), (np.float32(0.1), "f32"), (np.float64(0.3), "f64"),
        (np.float64(0.0), "f64zero"), (np.longdouble("0.1"), "longdouble"),
        (np.int8(2), "i8"), (np.int16(-3), "i16"), (np.int64(7), "i64"), (np.uint8(3), "u8"),
        (np.array(0.25), "0d-f64"), (np.array(3, dtype=np.int8), "0d-i8"),
        (np.array(0.7, dtype=np.float32), "0d-f32"),
        (True, "True"), (np.bool_(True), "np-True"),
        (0.5 + 0.25j, "complex"),
    ]


def coordinate_kinds():
    return [
        "arange", "linspace", "uneven_f64", "uneven_f32", "uneven_f16",
        "int8", "int64_big", "uint8_decreasing", "list_float", "list_int",
        "repeated", "decreasing", "scalar_int", "scalar_f32", "nan_coord",
        "complex", "arange_int", "scalar_0d",
    ]


def coordinates(kind, n, rng):
    """One spacing argument for an axis of length ``n``."""
    if kind == "arange":
        return np.arange(n, dtype=np.float64) * 0.5
    if kind == "arange_int":
        return np.arange(n) * 3 - 1
    if kind == "linspace":
        return np.linspace(-1.0, 2.0, n)
    if kind == "uneven_f64":
        return np.cumsum(rng.uniform(0.1, 2.0, n)) - 1.0
    if kind == "uneven_f32":
        return (np.cumsum(rng.uniform(0.1, 2.0, n)) - 1.0).astype(np.float32)
    if kind == "uneven_f16":
        return (np.cumsum(rng.uniform(0.1, 2.0, n))).astype(np.float16)
    if kind == "int8":
        return np.sort(rng.choice(np.arange(-128, 128), size=n, replace=False)).astype(np.int8)
    if kind == "int64_big":
        big = np.iinfo(np.int64).max
        return np.array([-big // 2 + (big // 4) * i * 3 // max(n - 1, 1) * 2 for i in range(n)],
                        dtype=np.int64)
    if kind == "uint8_decreasing":
        return (np.arange(n)[::-1] * 7 % 256).astype(np.uint8)
    if kind == "list_float":
        return [float(v) for v in np.cumsum(rng.uniform(0.5, 1.5, n))]
    if kind == "list_int":
        return [int(v) for v in np.cumsum(rng.integers(1, 4, n))]
    if kind == "repeated":
        c = np.cumsum(rng.uniform(0.5, 1.5, n))
        if n >= 3:
            c[1] = c[2]          # a zero difference in the interior
        elif n == 2:
            c[1] = c[0]
        return c
    if kind == "decreasing":
        return -np.cumsum(rng.uniform(0.1, 2.0, n))
    if kind == "nan_coord":
        c = np.cumsum(rng.uniform(0.5, 1.5, n))
        if n:
            c[n // 2] = np.nan
        return c
    if kind == "complex":
        return np.cumsum(rng.uniform(0.5, 1.5, n)) * (1 + 0.5j)
    if kind == "scalar_int":
        return 3
    if kind == "scalar_f32":
        return np.float32(0.25)
    if kind == "scalar_0d":
        return np.array(-2.0)
    raise ValueError(kind)


def spacing_cases(shape, axes, seed=0, scalars=True, malformed=True):
    """Yield ``(varargs, description)`` for an array of ``shape`` and the
    normalised tuple ``axes``: no spacing, one scalar for all axes, one
    argument per axis mixing scalars and coordinate arrays, and the malformed
    forms (wrong count, 2-D, wrong length)."""
    rng = np.random.default_rng([seed, len(shape), len(axes)] + list(shape))
    yield (), "nospacing"
    if scalars:
        for v, name in scalar_spacings():
            yield (v,), "scalar-" + name
    kinds = coordinate_kinds()
    if axes:
        for i in range(len(kinds)):
            args = tuple(coordinates(kinds[(i + 5 * j) % len(kinds)], shape[ax], rng)
                         for j, ax in enumerate(axes))
            names = ",".join(kinds[(i + 5 * j) % len(kinds)] for j in range(len(axes)))
            yield args, "peraxis-" + names
    if malformed:
        yield (1.0,) * (len(axes) + 1), "too-many-scalars"
        if len(axes) >= 2:
            yield (1.0,) * (len(axes) - 1) + (np.ones(3),), "too-few"
        if axes:
            n0 = shape[axes[0]]
            yield (np.ones((n0, 2)),) + (1.0,) * (len(axes) - 1), "2d-spacing"
            yield (np.arange(n0 + 1.0),) + (1.0,) * (len(axes) - 1), "wrong-length"
            yield (list(range(n0)),) * (len(axes) + 1), "too-many-arrays"
