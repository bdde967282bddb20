"""The operators table: divergence, curl, mixed partials and the Hessian against their peers.

Each row (``cases.OPERATOR_CASES``; none with --quick) is a 2-D field (and, for
divergence and curl, a second component: the first one reversed), timed as:

* gradient_ext, allocating and into a preallocated ``out=``;
* ``numpy.gradient`` composed as users write it today: the sum or difference
  of per-axis gradients, nested gradients for the mixed partial, every pair of
  nested gradients for the Hessian (the same scheme at accuracy 2 with
  ``edge_order=2``, so not bit for bit: numpy computes ``(f[i+1]-f[i-1])/2h``
  for each factor, we do too, but the composition adds in another order);
* findiff's operators, built once and reused (optional: "n/a" without it);
* the allocation-free floor of the same bytes: ``np.add(u, v, out=w)`` for k
  inputs and one output, ``np.copyto`` for the mixed partial, ``np.copyto``
  plus three ``fill`` for the Hessian (one read, four writes).

Before timing, ``out=`` is checked bit for bit against the allocating call, the
result bit for bit against its documented definition (``derivative`` calls:
the sum or difference, the nested derivatives, the Hessian's entries), and
findiff's agreement to 1e-9 of the largest value.
"""

import numpy as np

import gradient_ext
from gradient_ext._runtime import NUMPY_GRADIENT

from .cases import OPERATOR_CASES, build_input
from .compare import close, identical
from .engine import MISMATCH, Row, Table, verdict
from .report import fmt_ratio, fmt_time, markdown_table
from .timing import floor_out_callable

__all__ = ["TABLE", "operator_contenders", "operator_input"]


def operator_input(case):
    """(u, v, varargs): the case's field, a second component, the spacings."""
    f, varargs = build_input(case)
    return f, np.ascontiguousarray(f[::-1, ::-1]), varargs


def _kw(case):
    return {"accuracy": case.accuracy, "edge_order": case.edge_order}


def ext_operator(case, u, v, varargs, **extra):
    """gradient_ext's result of the case's operator."""
    kw = dict(_kw(case), **extra)
    if case.op == "divergence":
        return gradient_ext.divergence((u, v), *varargs, **kw)
    if case.op == "curl":
        return gradient_ext.curl((u, v), *varargs, **kw)
    if case.op == "mixed":
        return gradient_ext.mixed_derivative(u, *varargs, n=(1, 1), axis=(0, 1), **kw)
    return gradient_ext.hessian(u, *varargs, **kw)


def _definition(case, u, v, varargs):
    """The documented value: derivative calls, summed or nested as the docstrings say."""
    kw = _kw(case)
    d = lambda f, h, ax: gradient_ext.derivative(f, h, axis=ax, **kw)   # noqa: E731
    h0, h1 = varargs
    if case.op == "divergence":
        return d(u, h0, 0) + d(v, h1, 1)
    if case.op == "curl":
        return d(v, h0, 0) - d(u, h1, 1)
    if case.op == "mixed":
        return d(d(u, h1, 1), h0, 0)
    H = np.empty((2, 2) + u.shape)
    H[0, 0] = gradient_ext.derivative(u, h0, n=2, axis=0, accuracy=case.accuracy)
    H[1, 1] = gradient_ext.derivative(u, h1, n=2, axis=1, accuracy=case.accuracy)
    H[0, 1] = H[1, 0] = d(d(u, h1, 1), h0, 0)
    return H


def _numpy(case, u, v, varargs):
    """numpy.gradient composed as users write it today."""
    g = lambda f, h, ax: NUMPY_GRADIENT(f, h, axis=ax, edge_order=case.edge_order)  # noqa
    h0, h1 = varargs
    if case.op == "divergence":
        return lambda: g(u, h0, 0) + g(v, h1, 1)
    if case.op == "curl":
        return lambda: g(v, h0, 0) - g(u, h1, 1)
    if case.op == "mixed":
        return lambda: g(g(u, h1, 1), h0, 0)
    return lambda: np.array([[g(g(u, hi, i), hj, j) for j, hj in enumerate(varargs)]
                             for i, hi in enumerate(varargs)])


def _findiff(case, u, v, varargs):
    """findiff's operators, built once; None without findiff."""
    try:
        import findiff  # type: ignore[import-untyped]
    except ImportError:
        return None
    acc = case.accuracy
    d0, d1 = (findiff.Diff(ax, h, acc=acc) for ax, h in zip((0, 1), varargs))
    if case.op == "divergence":
        return lambda: d0(u) + d1(v)
    if case.op == "curl":
        return lambda: d0(v) - d1(u)
    mixed = d0 * d1
    if case.op == "mixed":
        return lambda: mixed(u)
    second = [findiff.Diff(ax, h, acc=acc) ** 2 for ax, h in zip((0, 1), varargs)]
    return lambda: np.array([[second[0](u), mixed(u)], [mixed(u), second[1](u)]])


def operator_contenders(case, inputs=None):
    """{contender: callable or None} of an operators row (asv times them too)."""
    u, v, varargs = operator_input(case) if inputs is None else inputs
    first = ext_operator(case, u, v, varargs)
    out = np.empty_like(first)
    fields = case.op in ("divergence", "curl")
    w = np.empty_like(u)
    return {
        "gradient_ext": lambda: ext_operator(case, u, v, varargs),
        "gradient_ext out=": lambda: ext_operator(case, u, v, varargs, out=out),
        "numpy": _numpy(case, u, v, varargs),
        "findiff": _findiff(case, u, v, varargs),
        "floor out=": ((lambda: np.add(u, v, out=w)) if fields else
                       floor_out_callable(u, 4 if case.op == "hessian" else 1, u.dtype)),
    }


_close = close          # a module name, so that the bench's tests can stand it in


def _check(case, contenders, inputs):
    """close (findiff), n/a (no findiff: the bit checks still ran), or MISMATCH."""
    got = contenders["gradient_ext"]()
    if not identical(contenders["gradient_ext out="](), got):
        return MISMATCH
    if not identical(got, _definition(case, *inputs)):
        return MISMATCH
    if contenders["findiff"] is None:
        return "n/a"
    return verdict(_close(got, contenders["findiff"]()), "close")


def _rows(cases, settings):
    for case in cases:
        inputs = operator_input(case)
        contenders = operator_contenders(case, inputs)
        yield Row(case, _check(case, contenders, inputs), contenders)


def _render(results, settings):
    header = ["case", "gradient_ext", "out=", "vs numpy", "vs findiff", "out= vs floor",
              "target", "check"]
    rows = [[r.case.name, fmt_time(r.time("gradient_ext")), fmt_time(r.time("gradient_ext out=")),
             fmt_ratio(r.ratio("numpy", "gradient_ext")),
             fmt_ratio(r.ratio("findiff", "gradient_ext")),
             fmt_ratio(r.ratio("gradient_ext out=", "floor out=")),
             r.case.target, r.row.check] for r in results]
    return ("\nOperators (vs X = X's time / gradient_ext's; numpy.gradient composed; findiff's "
            "operators reused; floor = the same bytes moved: np.add(u, v, out=w) for two "
            "components, np.copyto (+ fill per further output) otherwise)\n\n"
            + markdown_table(header, rows))


TABLE = Table((OPERATOR_CASES, []), _rows, _render, numpy_checked=False)
