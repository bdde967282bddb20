"""The bench's one bit comparator: :func:`identical`.

Bits, not closeness: container type (numpy.gradient returns a bare array for
one axis and a tuple otherwise), array type, dtype, shape and every byte, so
-0.0 differs from 0.0 and a one-ulp change is a mismatch.

The one exception is documented difference 4 (docs/guide/numpy_compat.rst,
"Documented differences"): where gradient_ext's result and numpy.gradient's are both
NaN, the NaN's sign bit and payload may differ (IEEE 754 leaves them
unspecified; numpy's own loops disagree about them).  Only a comparison of
gradient_ext with numpy.gradient may grant it (``nan_sign=True``), and the
NaNs must still stand in exactly the same places, component by component.
(tests/oracle.py is the test suite's comparator, with the same rule.)
"""

import numpy as np

__all__ = ["close", "identical"]

_UNSIGNED = {1: np.uint8, 2: np.uint16, 4: np.uint32, 8: np.uint64}


def identical(got, want, nan_sign=False):
    """True when `got` is `want` bit for bit: container type, dtype, shape, bytes.

    nan_sign: grant the documented NaN exception (for gradient_ext against
    numpy.gradient only; see the module docstring).
    """
    if type(got) is not type(want):
        return False
    if not isinstance(want, np.ndarray):
        return len(got) == len(want) and all(
            identical(g, w, nan_sign) for g, w in zip(got, want))
    if got.dtype != want.dtype or got.shape != want.shape:
        return False
    g, w = _components(got), _components(want)
    differ = _bits(g) != _bits(w)
    if differ.ndim > 1:                     # compared byte by byte: any byte differs
        differ = differ.any(axis=1)
    if not differ.any():
        return True
    return nan_sign and g.dtype.kind == "f" and bool(
        np.all(np.isnan(g[differ]) & np.isnan(w[differ])))


def _components(a):
    """The array as a flat run of real components (complex: real, imag, real, ...)."""
    a = np.ascontiguousarray(a).reshape(-1)
    return a.view(a.real.dtype) if a.dtype.kind == "c" else a


def _bits(a):
    """Each element's bits as one unsigned integer, or as a row of bytes."""
    width = _UNSIGNED.get(a.dtype.itemsize)
    if width is not None:
        return a.view(width)
    return a.view(np.uint8).reshape(a.size, a.dtype.itemsize)


def close(got, want):
    """Agreement to 1e-9 of the largest reference value, component by component
    (findiff's weights are solved in floating point: a different rounding)."""
    got = got if isinstance(got, tuple) else (got,)
    want = want if isinstance(want, tuple) else (want,)
    scale = max(float(np.max(np.abs(w))) for w in want)
    return len(got) == len(want) and all(
        bool(np.allclose(g, w, rtol=1e-9, atol=1e-9 * scale)) for g, w in zip(got, want))
