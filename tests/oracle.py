"""NumPy as the oracle: bit-for-bit comparison of gradient_ext.gradient with
numpy.gradient: compare bits, not closeness.

``assert_same_as_numpy(f, *varargs, **kw)`` calls both and checks

* exception type when numpy raises (with the documented deliberate
  differences applied: ``edge_order`` not 1/2 -> ValueError, an axis of
  length < 2 with a 1-D coordinate array -> ValueError("... too small ...")),
* otherwise return type (array vs tuple, ndarray subclass), dtype (byte
  order included), shape, memory order (C/F flags and stride order) and bits
  (NaN payloads, signed zeros and infinities included),
  with two documented exceptions: the sign and payload of a NaN where both
  are NaN, and the sign of a zero in complex results on uneven coordinates
  (numpy's AVX2/FMA loops; ``uneven_results``),
* that neither ``f`` nor any spacing argument was modified.

NumPy runs under ``np.errstate(all="ignore")`` with RuntimeWarning and
ComplexWarning ignored; warnings are not compared.

The oracle is numpy's *own* gradient, ``NUMPY_GRADIENT`` (captured by
gradient_ext before anything can patch ``numpy.gradient``), never the
attribute ``np.gradient``: with ``GRADIENT_EXT_PATCH_NUMPY=1`` that is
gradient_ext itself, and every comparison would pass.

``comparisons()`` counts the oracle's results computed so far (each call of
``numpy_gradient``, the expected result of a comparison; ``compared()`` adds
to it): conftest reports them per test and per file.
"""

import copy
import os
import threading
import warnings

import numpy as np
from numpy.lib.array_utils import normalize_axis_tuple

import gradient_ext
from gradient_ext._runtime import NUMPY_GRADIENT

ext_gradient = gradient_ext.gradient

_count_lock = threading.Lock()
_count = 0


def compared(n=1):
    """Count ``n`` results compared with the oracle (threads may call it)."""
    global _count
    with _count_lock:
        _count += n


def comparisons():
    """Results compared with the oracle so far, in this process."""
    return _count

_NOT_GIVEN = object()

# The contract is exact bits, except the sign and payload of a NaN where both
# results are NaN (docs/guide/numpy_compat.rst, difference 4): IEEE 754 leaves them
# unspecified, C compilers do not preserve them (gcc may turn -2./h into
# -(2./h)), and numpy's own SIMD loops give different NaN signs for the same
# operation in different code paths.  NaNs must still be in exactly the same
# places, component by component.  GRADIENT_EXT_TESTS_STRICT_NAN=1 compares
# NaN bits too, as a diagnostic.
STRICT_NAN = os.environ.get("GRADIENT_EXT_TESTS_STRICT_NAN", "0") not in ("", "0")


def numpy_gradient(f, *varargs, **kw):
    """numpy's own gradient (``NUMPY_GRADIENT``, never the patchable ``np.gradient``),
    quietly; each call counts as one oracle comparison."""
    compared()
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", RuntimeWarning)
        warnings.simplefilter("ignore", np.exceptions.ComplexWarning)
        with np.errstate(all="ignore"):
            return NUMPY_GRADIENT(f, *varargs, **kw)


def quiet_ext_gradient(f, *varargs, **kw):
    """gradient_ext.gradient with any warning swallowed (not compared)."""
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        return ext_gradient(f, *varargs, **kw)


# ---------------------------------------------------------------------------
# snapshots: the input must never be modified


def _snapshot(x):
    if isinstance(x, np.ndarray):
        snap = {"type": type(x), "dtype": x.dtype, "shape": x.shape,
                "strides": x.strides, "writeable": x.flags.writeable}
        if x.dtype.kind == "O":
            snap["objects"] = [id(o) for o in x.ravel(order="K")] if x.size else []
            snap["values"] = list(x.ravel(order="K"))
        else:
            # copied first: numpy < 2.3 serialises a non-contiguous array of more
            # than 32 dimensions only through a copy (tobytes raises RuntimeError)
            snap["bytes"] = np.asarray(x).copy(order="K").tobytes(order="A")
        if isinstance(x, np.ma.MaskedArray):
            snap["mask"] = np.ma.getmaskarray(x).copy()
            snap["mask_obj"] = x._mask
            snap["hardmask"] = x.hardmask
        return snap
    try:
        return {"deepcopy": copy.deepcopy(x), "repr": repr(x)}
    except Exception:  # pragma: no cover - exotic objects
        return {"repr": repr(x)}


def _assert_unchanged(before, x, what):
    after = _snapshot(x)
    if "deepcopy" in before:
        assert before["repr"] == after["repr"], f"{what} was modified"
        return
    for key in ("type", "dtype", "shape", "strides", "writeable", "bytes", "hardmask"):
        if key in before:
            assert before[key] == after[key], f"{what} was modified ({key})"
    if "objects" in before:
        assert before["objects"] == after["objects"], f"{what} was modified (objects)"
    if "mask" in before:
        assert np.array_equal(before["mask"], after["mask"]), f"{what}: mask modified"


# ---------------------------------------------------------------------------
# bit comparison


def _longdouble_significant(dt):
    """Byte slice of the value bytes of a long double scalar (x87 80-bit in 16
    bytes has 6 padding bytes whose content is unspecified)."""
    fi = np.finfo(np.longdouble)
    if np.dtype(np.longdouble).itemsize == 16 and fi.nmant == 63:
        return slice(0, 10) if np.dtype(dt).isnative else slice(6, 16)
    return slice(None)


def value_bytes(a):
    """uint8 array of shape (size, k) holding the significant bytes of each
    element of ``a`` (any dtype except object)."""
    a = np.asarray(a)
    flat = np.ascontiguousarray(a).reshape(-1)
    dt = flat.dtype
    u = flat.view(np.uint8).reshape(flat.size, dt.itemsize)
    base = dt.type
    if base in (np.longdouble, np.clongdouble):
        sl = _longdouble_significant(dt)
        if base is np.clongdouble:
            half = dt.itemsize // 2
            return np.concatenate([u[:, :half][:, sl], u[:, half:][:, sl]], axis=1)
        return u[:, sl]
    return u


def _hex(a, i):
    a = np.asarray(a)
    if a.dtype.kind == "O":
        return ""
    return " [0x" + bytes(value_bytes(a)[i][::-1]).hex() + "]"


def _describe_mismatch(got, exp, bad):
    idx = np.flatnonzero(bad)[:5]
    g = np.asarray(got).reshape(-1)
    e = np.asarray(exp).reshape(-1)
    return "; ".join(
        f"flat[{i}]: got {g[i]!r}{_hex(g, i)} expected {e[i]!r}{_hex(e, i)}" for i in idx
    ) + f" ({int(bad.sum())} of {bad.size} differ)"


def _only_nan_sign_or_payload(got, exp, bad):
    """True when every differing element is NaN in both (per component for
    complex), i.e. the difference is only a NaN's sign or payload."""
    g = np.asarray(got).reshape(-1)[bad]
    e = np.asarray(exp).reshape(-1)[bad]
    if g.dtype.kind == "c":
        parts = [(g.real, e.real), (g.imag, e.imag)]
    else:
        parts = [(g, e)]
    for gp, ep in parts:
        gb, eb = value_bytes(gp), value_bytes(ep)
        differ = np.any(gb != eb, axis=1)
        if not np.all(np.isnan(gp[differ]) & np.isnan(ep[differ])):
            return False
    return True


# numpy's complex multiply loops for AVX2/FMA give some zeros another sign than
# its baseline loops (and gradient_ext) do: seen in complex results on uneven
# coordinates, whose coefficients multiply the data, from subnormal data
# (docs/guide/numpy_compat.rst, documented difference 5).  Only there,
# a zero may differ from numpy's zero in its sign; any other bit, and the sign
# of anything but a zero, is compared.


def same_or_zero_in_both(got, exp):
    """Elementwise: True where every component of ``got`` and ``exp`` has the
    same bits or is a zero (of either sign) in both."""
    g, e = np.asarray(got).reshape(-1), np.asarray(exp).reshape(-1)
    ok = np.ones(g.shape, dtype=bool)
    parts = [(g.real, e.real), (g.imag, e.imag)] if g.dtype.kind == "c" else [(g, e)]
    for gp, ep in parts:
        same = np.all(value_bytes(gp) == value_bytes(ep), axis=1)
        ok &= same | ((gp == 0) & (ep == 0))
    return ok


def _uneven(coordinates):
    """numpy's test: coordinates whose steps are not all equal take the uneven
    formulas (equal steps collapse to one spacing)."""
    try:
        steps = np.diff(np.asarray(coordinates))
        return steps.size > 0 and not bool((steps == steps[0]).all())
    except Exception:  # noqa: BLE001 - numpy raises for these; compared elsewhere
        return False


def uneven_results(varargs):
    """The positions in the result (0 for a single array) computed on uneven
    coordinates: where a complex result's zeros may differ in sign."""
    return frozenset(i for i, v in enumerate(varargs) if np.ndim(v) == 1 and _uneven(v))


def _obj_equal(x, y):
    if type(x) is not type(y):
        return False
    if isinstance(x, float) and x != x:
        return y != y
    try:
        same = x == y
        if isinstance(x, float) and same and x == 0:
            return np.signbit(x) == np.signbit(y)
        return bool(same)
    except Exception:
        return False


def stride_order(a):
    """Axes of length > 1 sorted from largest to smallest |stride|."""
    axes = [i for i in range(a.ndim) if a.shape[i] > 1]
    return tuple(sorted(axes, key=lambda i: (-abs(a.strides[i]), i)))


def assert_array_same(got, exp, what="result", check_order=True, zero_sign=False):
    """``zero_sign``: a complex result on uneven coordinates, whose zeros may
    differ from numpy's in sign (``uneven_results``)."""
    assert type(got) is type(exp), f"{what}: type {type(got)} != {type(exp)}"
    assert got.dtype == exp.dtype and got.dtype.str == exp.dtype.str, \
        f"{what}: dtype {got.dtype.str} != {exp.dtype.str}"
    assert got.shape == exp.shape, f"{what}: shape {got.shape} != {exp.shape}"
    if check_order:
        assert got.flags.c_contiguous == exp.flags.c_contiguous, \
            f"{what}: c_contiguous {got.flags.c_contiguous} != {exp.flags.c_contiguous}"
        assert got.flags.f_contiguous == exp.flags.f_contiguous, \
            f"{what}: f_contiguous {got.flags.f_contiguous} != {exp.flags.f_contiguous}"
        assert stride_order(got) == stride_order(exp), \
            f"{what}: stride order {got.strides} vs numpy {exp.strides}"
    if isinstance(exp, np.ma.MaskedArray):
        gm, em = np.ma.getmaskarray(got), np.ma.getmaskarray(exp)
        assert np.array_equal(gm, em), f"{what}: mask differs\n got {gm}\n exp {em}"
        # the data under the mask is an artefact of np.ma's arithmetic; the
        # unmasked data must match bit for bit
        keep = ~em.reshape(-1)
        gd, ed = np.asarray(got.data), np.asarray(exp.data)
    else:
        keep = None
        gd, ed = np.asarray(got), np.asarray(exp)
    if exp.dtype.kind == "O":
        g, e = gd.reshape(-1), ed.reshape(-1)
        bad = np.array([not _obj_equal(x, y) for x, y in zip(g, e)], dtype=bool)
    else:
        gb, eb = value_bytes(gd), value_bytes(ed)
        bad = np.any(gb != eb, axis=1)
    if keep is not None:
        bad &= keep
    if bad.any() and zero_sign and exp.dtype.kind == "c":
        bad &= ~same_or_zero_in_both(gd, ed)
    if bad.any():
        nan_only = exp.dtype.kind in "fc" and _only_nan_sign_or_payload(gd, ed, bad)
        if nan_only and not STRICT_NAN:
            return
        kind = "NaN sign/payload only" if nan_only else "VALUES differ"
        raise AssertionError(f"{what}: bits differ ({kind}): " + _describe_mismatch(gd, ed, bad))


def assert_result_same(got, exp, check_order=True, zero_sign=frozenset()):
    """``zero_sign``: the positions ``uneven_results`` gives."""
    if isinstance(exp, tuple):
        assert type(got) is tuple, f"expected a tuple, got {type(got)}"
        assert len(got) == len(exp), f"tuple length {len(got)} != {len(exp)}"
        for i, (g, e) in enumerate(zip(got, exp)):
            assert_array_same(g, e, f"result[{i}]", check_order, zero_sign=i in zero_sign)
    else:
        assert not isinstance(got, tuple), "expected a single array, got a tuple"
        assert_array_same(got, exp, "result", check_order, zero_sign=0 in zero_sign)


# ---------------------------------------------------------------------------
# documented differences


def edge_order_numpy_accepts_but_we_reject(edge_order):
    """numpy silently accepts any edge_order <= 2 (0, -1, 1.5 ... run the
    second-order branch); gradient_ext raises ValueError unless it is 1 or 2."""
    try:
        if edge_order > 2:
            return False
        return not (edge_order == 1 or edge_order == 2)
    except TypeError:
        return False


def _coordinate_on_short_axis(f, varargs, axis):
    """True when a 1-D coordinate array is given for an axis of length < 2."""
    try:
        a = np.asanyarray(f)
        axes = tuple(range(a.ndim)) if axis is None else normalize_axis_tuple(axis, a.ndim)
    except Exception:
        return False
    if len(varargs) != len(axes) or (len(varargs) == 1 and np.ndim(varargs[0]) == 0):
        return False
    return any(np.ndim(v) == 1 and a.shape[ax] < 2 for v, ax in zip(varargs, axes))


# ---------------------------------------------------------------------------
# the oracle


def assert_same_as_numpy(f, *varargs, axis=_NOT_GIVEN, edge_order=_NOT_GIVEN,
                         check_order=True, **ext_kw):
    """Compare gradient_ext.gradient(f, *varargs, ...) with numpy.gradient.

    ``ext_kw`` (e.g. ``workers``) is passed to gradient_ext only.
    Returns the gradient_ext result (or the exception it raised).
    """
    kw = {}
    if axis is not _NOT_GIVEN:
        kw["axis"] = axis
    if edge_order is not _NOT_GIVEN:
        kw["edge_order"] = edge_order
    snaps = [(_snapshot(f), f, "f")] + [
        (_snapshot(v), v, f"varargs[{i}]") for i, v in enumerate(varargs)]

    np_exc = None
    try:
        expected = numpy_gradient(f, *varargs, **kw)
    except Exception as e:  # noqa: BLE001 - any exception type is compared
        np_exc = e

    ext_exc = None
    try:
        got = quiet_ext_gradient(f, *varargs, **kw, **ext_kw)
    except Exception as e:  # noqa: BLE001
        ext_exc = e

    for snap, obj, what in snaps:
        _assert_unchanged(snap, obj, what)

    bad_edge = edge_order is not _NOT_GIVEN and edge_order_numpy_accepts_but_we_reject(edge_order)

    if np_exc is not None:
        if type(np_exc) is IndexError and _coordinate_on_short_axis(
                f, varargs, None if axis is _NOT_GIVEN else axis):
            assert type(ext_exc) is ValueError, \
                f"axis < 2 with coordinates: expected ValueError, got {ext_exc!r} (numpy: {np_exc!r})"
            assert "too small" in str(ext_exc), f"message lacks 'too small': {ext_exc}"
            return ext_exc
        if bad_edge and isinstance(ext_exc, ValueError):
            return ext_exc
        assert ext_exc is not None, \
            f"numpy raised {type(np_exc).__name__}({np_exc}) but gradient_ext returned {got!r}"
        assert type(ext_exc) is type(np_exc), \
            f"exception type: gradient_ext {ext_exc!r} vs numpy {np_exc!r}"
        return ext_exc

    if bad_edge:
        assert type(ext_exc) is ValueError, \
            f"edge_order={edge_order!r}: expected ValueError, got {ext_exc!r}"
        return ext_exc

    if ext_exc is not None:
        raise AssertionError(f"gradient_ext raised {ext_exc!r}; numpy returned a result") \
            from ext_exc
    assert_result_same(got, expected, check_order, uneven_results(varargs))
    return got


def check_cases(cases):
    """Run ``assert_same_as_numpy`` over ``(description, f, varargs, kw)``
    tuples, collecting every failure into one readable AssertionError.

    Returns the number of cases checked (so callers can assert it is > 0)."""
    return run_collecting(((desc, lambda f=f, v=varargs, k=kw: assert_same_as_numpy(f, *v, **k))
                           for desc, f, varargs, kw in cases), "numpy")


def run_collecting(cases, oracle):
    """Run ``(description, thunk)`` cases, collecting every AssertionError into
    one that names `oracle`; returns how many ran."""
    failures = []
    n = 0
    for desc, thunk in cases:
        n += 1
        try:
            thunk()
        except AssertionError as e:
            failures.append(f"{desc}: {e}")
    if failures:
        shown = "\n".join(failures[:25])
        raise AssertionError(f"{len(failures)} of {n} cases differ from {oracle}:\n{shown}")
    return n
