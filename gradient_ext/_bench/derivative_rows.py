"""The derivatives table: ``derivative(n>1)`` and ``laplacian`` against their peers.

Each row (``cases.DERIVATIVE_CASES``; none with --quick) times gradient_ext
against:

* findiff (optional: "n/a" without it): ``Diff(axis, h or x, acc) ** n`` or
  the sum of ``Diff(k, h_k, acc) ** 2`` over the axes, with ``periodic=True``
  on periodic rows.  The operator is built once and reused, as a pipeline
  that calls it repeatedly would (findiff then keeps its weights).  findiff
  solves for its weights in floating point, so the check is agreement to
  1e-9 of the largest value.
* numpy.gradient applied twice per axis (summed over the axes for the
  Laplacian): what users write today.  A different scheme (spacing 2h), so
  not checked; "n/a" on periodic rows, where numpy has no such boundary.
* the allocation-free floor: gradient_ext writing into a preallocated
  ``out=`` against ``np.copyto`` into a preallocated array.

Before timing, the ``out=`` result is checked bit for bit against the
allocating one, and a Laplacian bit for bit against its documented
definition: the second derivatives summed in axis order.
"""

import numpy as np

import gradient_ext
from gradient_ext._runtime import NUMPY_GRADIENT

from .cases import DERIVATIVE_CASES, build_input
from .compare import close, identical
from .engine import MISMATCH, Row, Table, verdict
from .report import fmt_ratio, fmt_time, markdown_table
from .timing import floor_out_callable

__all__ = ["TABLE", "derivative_contenders"]


def _findiff(case, varargs):
    """findiff's operator for the case (built once), or None without findiff."""
    try:
        import findiff  # type: ignore[import-untyped]
    except ImportError:
        return None
    periodic = case.boundary == "periodic"
    n = 2 if case.op == "laplacian" else case.n
    ops = [findiff.Diff(ax, h, acc=case.accuracy, periodic=periodic) ** n
           for ax, h in zip(case.axes(), varargs)]
    total = ops[0]
    for op in ops[1:]:
        total = total + op
    return total


def _numpy_twice(case, f, varargs):
    """numpy.gradient applied n times along each axis (summed: the Laplacian)."""
    def twice(ax, h):
        g = f
        for _ in range(2 if case.op == "laplacian" else case.n):
            g = NUMPY_GRADIENT(g, h, axis=ax)
        return g
    parts = [twice(ax, h) for ax, h in zip(case.axes(), varargs)]
    if case.op == "laplacian":
        return sum(parts[1:], parts[0])
    return parts[0] if len(parts) == 1 else tuple(parts)


def derivative_contenders(case, inputs=None):
    """{contender: callable or None} of a derivatives row (asv times them too).

    Contenders: "gradient_ext", "gradient_ext out=", "findiff", "numpy twice",
    "floor out="; None where one cannot run.  inputs: the case's (f, varargs),
    built here when not given.
    """
    f, varargs = build_input(case) if inputs is None else inputs
    naxes = 1 if case.op == "laplacian" else len(case.axes())
    first = case.ext_call(f, varargs)
    out = np.empty_like(first) if naxes == 1 else tuple(np.empty_like(g) for g in first)
    fd = _findiff(case, varargs)
    return {
        "gradient_ext": lambda: case.ext_call(f, varargs),
        "gradient_ext out=": lambda: case.ext_call(f, varargs, out=out),
        "findiff": None if fd is None else lambda: fd(f),
        "numpy twice": (None if case.boundary == "periodic"
                        else lambda: _numpy_twice(case, f, varargs)),
        "floor out=": floor_out_callable(f, naxes, f.dtype),
    }


def _definition(case, f, varargs):
    """The Laplacian as documented: the second derivatives summed in axis order."""
    total = None
    for ax, h in zip(case.axes(), varargs):
        d2 = gradient_ext.derivative(f, h, n=2, axis=ax, accuracy=case.accuracy,
                                     boundary=case.boundary)
        total = d2 if total is None else total + d2
    return total


_close = close          # a module name, so that the bench's tests can stand it in


def _check(case, contenders, inputs):
    """close (findiff), n/a (no findiff: the bit checks still ran), or MISMATCH."""
    got = contenders["gradient_ext"]()
    if not identical(contenders["gradient_ext out="](), got):
        return MISMATCH
    if case.op == "laplacian" and not identical(got, _definition(case, *inputs)):
        return MISMATCH
    if contenders["findiff"] is None:
        return "n/a"
    return verdict(_close(got, contenders["findiff"]()), "close")


def _rows(cases, settings):
    for case in cases:
        inputs = build_input(case)          # built once: timed and checked on the same data
        contenders = derivative_contenders(case, inputs)
        yield Row(case, _check(case, contenders, inputs), contenders)


def _render(results, settings):
    header = ["case", "gradient_ext", "out=", "vs findiff", "vs numpy twice",
              "out= vs floor", "target", "check"]
    rows = [[r.case.name, fmt_time(r.time("gradient_ext")), fmt_time(r.time("gradient_ext out=")),
             fmt_ratio(r.ratio("findiff", "gradient_ext")),
             fmt_ratio(r.ratio("numpy twice", "gradient_ext")),
             fmt_ratio(r.ratio("gradient_ext out=", "floor out=")),
             r.case.target, r.row.check] for r in results]
    return ("\nDerivatives and the Laplacian (vs X = X's time / gradient_ext's; "
            "findiff's operator reused; floor = np.copyto into a preallocated array)\n\n"
            + markdown_table(header, rows))


TABLE = Table((DERIVATIVE_CASES, []), _rows, _render, numpy_checked=False)
