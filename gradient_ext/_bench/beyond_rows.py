"""The beyond-numpy table: boundary modes and accuracy > 2 against their references.

Each row (``cases.BEYOND_CASES``; none with --quick) times gradient_ext
against the reference of its target and against a baseline:

* periodic: numpy's own pad-and-slice workaround (``np.pad(f, 1,
  mode="wrap")``, numpy.gradient, a slice), which the result must equal bit
  for bit; baseline, gradient_ext's one-sided gradient of the same array.
* boundary="symmetric", "reflect", "edge", "constant": the workaround users
  write today, ``np.pad`` by the stencil's reach, the same call one-sided on
  the padded copy, a slice, which the result must equal bit for bit; baseline,
  the one-sided call, both into preallocated ``out=`` arrays.
* nan="split" (a land mask of a few blobs, 30% of the grid): what users write
  today, a Python loop over each line's runs of finite values
  (``np.flatnonzero`` on the mask, numpy.gradient per run), which the result
  must equal bit for bit; baseline, nan="propagate" into ``out=``.
* accuracy > 2: findiff (optional: "n/a" without it), whose sums round
  differently, so the check is agreement to 1e-9 of the largest value;
  baseline, the allocation-free floor ("floor out=": gradient_ext writing
  into preallocated ``out=`` arrays against ``np.copyto`` into preallocated
  arrays), since fresh-allocation times move with the allocator's history
  (here, the pages findiff's temporaries leave behind).  The ``out=`` result
  is checked bit for bit against the allocating one.
"""

import numpy as np

import gradient_ext
from gradient_ext._runtime import NUMPY_GRADIENT

from .cases import BEYOND_CASES, build_input
from .compare import close, identical
from .engine import MISMATCH, Row, Table, verdict
from .report import fmt_ratio, fmt_time, markdown_table
from .timing import floor_out_callable, preallocated_out

__all__ = ["TABLE", "beyond_contenders"]

PAD_WORKAROUND = "np.pad(wrap)+np.gradient+slice"
PAD_MODES = ("symmetric", "reflect", "edge", "constant")


def _pad_workaround(f, varargs):
    """numpy's periodic gradient: wrap-pad every axis by one, differentiate, cut."""
    padded = NUMPY_GRADIENT(np.pad(f, 1, mode="wrap"), *varargs)
    inner = (slice(1, -1),) * f.ndim
    return padded[inner] if f.ndim == 1 else tuple(g[inner] for g in padded)


def _padded_call(f, varargs, kw):
    """The np.pad-mode workaround: pad every axis by the stencil's reach (uniform
    spacing), the same call one-sided on the padded copy, cut back."""
    r = kw.get("accuracy", 2) // 2
    padded = np.pad(f, r, mode=kw["boundary"])
    result = gradient_ext.gradient(padded, *varargs, **{**kw, "boundary": "one-sided"})
    inner = (slice(r, -r),) * f.ndim
    return result[inner] if f.ndim == 1 else tuple(g[inner] for g in result)


def _per_run_loop(f, varargs):
    """numpy.gradient on every run of finite values of every line, per axis."""
    results = []
    for ax, h in enumerate(varargs):
        out = np.full(f.shape, np.nan)
        lines, res = np.moveaxis(f, ax, -1), np.moveaxis(out, ax, -1)
        for idx in np.ndindex(lines.shape[:-1]):
            line = lines[idx]
            edges = np.flatnonzero(np.diff(np.r_[0, np.isfinite(line).view(np.int8), 0]))
            for a, b in zip(edges[::2], edges[1::2]):
                if b - a >= 2:
                    res[idx + (slice(a, b),)] = NUMPY_GRADIENT(line[a:b], h)
        results.append(out)
    return results[0] if f.ndim == 1 else tuple(results)


def _findiff(case, f, varargs):
    """(name, callable) of findiff's derivative along the case's axes; callable None without it."""
    axes = case.axes()
    name = (f"findiff.Diff({axes[0]}, {'x' if case.spacing == 'coords' else 'h'}, "
            f"acc={case.accuracy})" if len(axes) == 1 else "findiff (all axes)")
    try:
        import findiff  # type: ignore[import-untyped]
    except ImportError:
        return name, None
    diffs = [findiff.Diff(ax, h, acc=case.accuracy) for ax, h in zip(axes, varargs)]
    if len(diffs) == 1:
        return name, lambda: diffs[0](f)
    return name, lambda: tuple(d(f) for d in diffs)


def beyond_contenders(case):
    """(contenders, reference name, baseline name) of a beyond-numpy case (asv times them too).

    Contenders: "gradient_ext", "gradient_ext out=", "reference", "baseline";
    None where one cannot run.
    """
    f, varargs = build_input(case)
    kw = case.ext_kwargs()

    def ext(**extra):
        return lambda: gradient_ext.gradient(f, *varargs, **kw, **extra)

    if case.nan == "split":
        naxes = len(case.axes())
        base_out = preallocated_out(f, naxes, f.dtype)
        return ({"gradient_ext": ext(),
                 "gradient_ext out=": ext(out=preallocated_out(f, naxes, f.dtype)),
                 "reference": lambda: _per_run_loop(f, varargs),
                 "baseline": lambda: gradient_ext.gradient(f, *varargs, out=base_out)},
                "per-run loop (np.gradient)", "propagate out=")
    if case.boundary in PAD_MODES:
        naxes = len(case.axes())
        one_sided = {**kw, "boundary": "one-sided"}
        base_out = preallocated_out(f, naxes, f.dtype)
        return ({"gradient_ext": ext(),
                 "gradient_ext out=": ext(out=preallocated_out(f, naxes, f.dtype)),
                 "reference": lambda: _padded_call(f, varargs, kw),
                 "baseline": lambda: gradient_ext.gradient(f, *varargs, **one_sided,
                                                           out=base_out)},
                f"np.pad({case.boundary})+same call+slice", "one-sided out=")
    if case.boundary == "periodic":
        return ({"gradient_ext": ext(), "gradient_ext out=": None,
                 "reference": lambda: _pad_workaround(f, varargs),
                 "baseline": lambda: gradient_ext.gradient(f, *varargs)},
                PAD_WORKAROUND, "gradient_ext one-sided")
    naxes = len(case.axes())
    ref_name, ref = _findiff(case, f, varargs)
    if case.workers is None:            # threads: against one thread, out= both
        return ({"gradient_ext": ext(),
                 "gradient_ext out=": ext(out=preallocated_out(f, naxes, f.dtype)),
                 "reference": ref,
                 "baseline": ext(out=preallocated_out(f, naxes, f.dtype), workers=1)},
                ref_name, "workers=1 out=")
    return ({"gradient_ext": ext(),
             "gradient_ext out=": ext(out=preallocated_out(f, naxes, f.dtype)),
             "reference": ref, "baseline": floor_out_callable(f, naxes, f.dtype)},
            ref_name, "floor out=")


_close = close          # a module name, so that the bench's tests can stand it in


def _check(case, contenders):
    """bits (periodic, np.pad modes: the workaround's), close (findiff), n/a (no
    findiff), or MISMATCH."""
    got = contenders["gradient_ext"]()
    into_out = contenders["gradient_ext out="]
    if into_out is not None and not identical(into_out(), got):
        return MISMATCH
    if contenders["reference"] is None:
        return "n/a"
    want = contenders["reference"]()
    if case.boundary == "periodic" or case.boundary in PAD_MODES or case.nan == "split":
        return verdict(identical(got, want))
    return verdict(_close(got, want), "close")


def _rows(cases, settings):
    for case in cases:
        contenders, ref_name, base_name = beyond_contenders(case)
        yield Row(case, _check(case, contenders), contenders,
                  extra={"reference": ref_name, "baseline": base_name})


def _render(results, settings):
    header = ["case", "gradient_ext", "reference", "speedup", "vs baseline", "target", "check"]
    rows = []
    for r in results:
        ref = r.time("reference")
        ours = "gradient_ext out=" if r.samples.get("gradient_ext out=") else "gradient_ext"
        rows.append([r.case.name, fmt_time(r.time("gradient_ext")),
                     "n/a" if ref is None else f"{r.row.extra['reference']}: {fmt_time(ref)}",
                     fmt_ratio(r.ratio("reference", "gradient_ext")),
                     f"{fmt_ratio(r.ratio(ours, 'baseline'))} {r.row.extra['baseline']}",
                     r.case.target, r.row.check])
    return ("\nBeyond numpy: boundary modes and higher accuracy\n\n"
            + markdown_table(header, rows))


TABLE = Table((BEYOND_CASES, []), _rows, _render, numpy_checked=False)
