"""The hand-stencil table: each kernel family against the loop a user writes by hand.

A user who cares about speed compares gradient_ext with a numba ``prange``
stencil of the same taps: interior only, no edges, no dtype rules, its weights
computed once outside the loop, on every core numba's threading layer gives
it.  Each row (``cases.HAND_CASES``, 2-D float64 2000x2000: numba's 1-D loops
are slow on small VMs) times, alternating rep by rep:

* gradient_ext writing into a preallocated ``out=`` (``workers=None``);
* the numba stencil writing into a preallocated array (compiled before timing);
* the copy floor, ``np.copyto`` into a preallocated array.

The loops get gradient_ext's own weights (read back from its results on unit
impulses, ``point_weights``) and sum the taps in its order, so the check is
that gradient_ext's interior equals the loop's bit for bit.  numba is an optional bench dependency (``pip install numba``);
without it the table prints why it is skipped.
"""

import importlib
from typing import Any

import numpy as np

import gradient_ext

from .cases import HAND_CASES, build_input
from .compare import identical
from .engine import MISMATCH, Row, Table, verdict
from .report import fmt_ratio, fmt_time, markdown_table
from .timing import floor_out_callable

__all__ = ["TABLE", "hand_contenders"]

_KERNELS: dict[str, Any] = {}


def _numba():
    """numba, or None where it does not import (an optional bench dependency:
    imported by name, so that type checkers without it have nothing to resolve)."""
    try:
        return importlib.import_module("numba")
    except ImportError:
        return None


def _missing():
    if _numba() is None:
        return ("numba is not installed: the hand-stencil rows are skipped "
                "(pip install numba to time them)")
    return None


def _numba_kernels():
    """The hand stencils, compiled once per process: each tap written out, summed
    left to right as gradient_ext sums them (a tap of weight 0 in a uniform
    stencil left out, as gradient_ext leaves it out)."""
    if _KERNELS:
        return _KERNELS
    numba = _numba()
    prange = numba.prange

    @numba.njit(parallel=True)
    def diff_along(f, h2, o):
        for i in prange(f.shape[0]):
            for j in range(1, f.shape[1] - 1):
                o[i, j] = (f[i, j + 1] - f[i, j - 1]) / h2

    @numba.njit(parallel=True)
    def diff_across(f, h2, o):
        for i in prange(1, f.shape[0] - 1):
            for j in range(f.shape[1]):
                o[i, j] = (f[i + 1, j] - f[i - 1, j]) / h2

    @numba.njit(parallel=True)
    def diff_periodic(f, h2, o):
        n = f.shape[1]
        for i in prange(f.shape[0]):
            o[i, 0] = (f[i, 1] - f[i, n - 1]) / h2
            for j in range(1, n - 1):
                o[i, j] = (f[i, j + 1] - f[i, j - 1]) / h2
            o[i, n - 1] = (f[i, 0] - f[i, n - 2]) / h2

    @numba.njit(parallel=True)
    def three_along(f, w, o):           # (1, -2, 1) / h**2
        for i in prange(f.shape[0]):
            for j in range(1, f.shape[1] - 1):
                o[i, j] = (w[0] * f[i, j - 1] + w[1] * f[i, j]) + w[2] * f[i, j + 1]

    @numba.njit(parallel=True)
    def four_along(f, w, o):            # accuracy 4: the centre's weight is 0
        for i in prange(f.shape[0]):
            for j in range(2, f.shape[1] - 2):
                o[i, j] = ((w[0] * f[i, j - 2] + w[1] * f[i, j - 1]) + w[3] * f[i, j + 1]
                           ) + w[4] * f[i, j + 2]

    @numba.njit(parallel=True)
    def laplacian3(f, a, b, o):
        """Weights per point: a[t, i] along axis 0, b[t, j] along axis 1."""
        for i in prange(1, f.shape[0] - 1):
            for j in range(1, f.shape[1] - 1):
                o[i, j] = ((a[0, i] * f[i - 1, j] + a[1, i] * f[i, j]) + a[2, i] * f[i + 1, j]
                           ) + ((b[0, j] * f[i, j - 1] + b[1, j] * f[i, j])
                                + b[2, j] * f[i, j + 1])

    @numba.njit(parallel=True)
    def laplacian5(f, a, b, o):
        for i in prange(2, f.shape[0] - 2):
            for j in range(2, f.shape[1] - 2):
                o[i, j] = ((((a[0, i] * f[i - 2, j] + a[1, i] * f[i - 1, j])
                             + a[2, i] * f[i, j]) + a[3, i] * f[i + 1, j])
                           + a[4, i] * f[i + 2, j]) + ((((b[0, j] * f[i, j - 2]
                                                          + b[1, j] * f[i, j - 1])
                                                         + b[2, j] * f[i, j])
                                                        + b[3, j] * f[i, j + 1])
                                                       + b[4, j] * f[i, j + 2])

    _KERNELS.update(diff_along=diff_along, diff_across=diff_across,
                    diff_periodic=diff_periodic, three_along=three_along,
                    four_along=four_along, laplacian3=laplacian3, laplacian5=laplacian5)
    return _KERNELS


def point_weights(spacing, size, n, accuracy, taps):
    """The (taps, size) weights of gradient_ext's central stencil of derivative n at
    each point of an axis, read back from its own results on unit impulses
    (output i of the impulse at k is the weight of tap k - i + taps // 2): the
    loop gets the very same numbers.  Ends (no central stencil) are 0."""
    half = taps // 2
    w = np.zeros((taps, size))
    for k in range(size):
        e = np.zeros(size)
        e[k] = 1.0
        d = gradient_ext.derivative(e, spacing, n=n, accuracy=accuracy)
        for t in range(taps):
            i = k - t + half
            if half <= i < size - half:
                w[t, i] = d[i]
    return w


def _hand(case, f, varargs, o):
    """The numba stencil of the case, as a zero-argument callable writing into o."""
    k = _numba_kernels()
    if case.op == "laplacian":
        taps = 5 if case.spacing == "coords" else 3        # uneven: no symmetry gain
        a, b = (point_weights(v, f.shape[ax], 2, case.accuracy, taps)
                for ax, v in enumerate(varargs))
        return lambda: k[f"laplacian{taps}"](f, a, b, o)
    h = varargs[0]
    if case.boundary == "periodic":
        return lambda: k["diff_periodic"](f, 2.0 * h, o)
    if case.op == "derivative":
        w = np.ascontiguousarray(point_weights(h, 9, case.n, case.accuracy, 3)[:, 4])
        return lambda: k["three_along"](f, w, o)
    if case.accuracy == 4:
        w = np.ascontiguousarray(point_weights(h, 9, 1, 4, 5)[:, 4])
        return lambda: k["four_along"](f, w, o)
    if case.axes() == (0,):
        return lambda: k["diff_across"](f, 2.0 * h, o)
    return lambda: k["diff_along"](f, 2.0 * h, o)


def hand_contenders(case, inputs=None):
    """{contender: callable} of a hand-stencil row: "gradient_ext out=", "numba",
    "floor out="; and the two outputs (ours, the loop's) to check."""
    f, varargs = build_input(case) if inputs is None else inputs
    ours = np.empty_like(f)
    loop = np.zeros_like(f)
    spacing = list(varargs)
    return {
        "gradient_ext out=": lambda: case.ext_call(f, spacing, out=ours),
        "numba": _hand(case, f, varargs, loop),
        "floor out=": floor_out_callable(f, 1, f.dtype),
    }, ours, loop


def _check(case, contenders, ours, loop):
    """bits of the interior against the numba loop (and out= against allocating)."""
    contenders["gradient_ext out="]()
    contenders["numba"]()
    if not identical(ours, case.ext_call(*build_input(case))):
        return MISMATCH
    inner = (slice(2, -2),) * ours.ndim       # every row's stencils reach 2 at most
    return verdict(identical(ours[inner], loop[inner]), "bits")


def _rows(cases, settings):
    for case in cases:
        contenders, ours, loop = hand_contenders(case)
        yield Row(case, _check(case, contenders, ours, loop), contenders)


def _render(results, settings):
    header = ["case", "gradient_ext out=", "numba prange", "floor", "vs floor", "vs numba",
              "target", "check"]
    rows = [[r.case.name, fmt_time(r.time("gradient_ext out=")), fmt_time(r.time("numba")),
             fmt_time(r.time("floor out=")),
             fmt_ratio(r.ratio("gradient_ext out=", "floor out=")),
             fmt_ratio(r.ratio("gradient_ext out=", "numba")),
             r.case.target, r.row.check] for r in results]
    return ("\nAgainst the hand-written stencil (numba prange, the same taps, interior only; "
            "vs X = gradient_ext's time / X's: below 1 is faster; floor = np.copyto into a "
            "preallocated array)\n\n" + markdown_table(header, rows))


TABLE = Table((HAND_CASES, []), _rows, _render, numpy_checked=False, missing=_missing)
