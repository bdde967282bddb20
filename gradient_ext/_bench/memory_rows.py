"""The in-memory tables: numpy.gradient against gradient_ext on the cases
(``cases.CASES``) and on the call forms (``cases.FORMS``).

numpy's side is always numpy's own function, ``_runtime.NUMPY_GRADIENT``;
gradient_ext's is looked up as ``gradient_ext.gradient`` at each call.
"""

import gradient_ext
from gradient_ext._runtime import NUMPY_GRADIENT

from .cases import CASES, FORMS, QUICK_CASES, build_input, form_inputs
from .compare import identical
from .engine import Row, Table, time_row, verdict
from .others import jax_callable, torch_callable
from .report import fmt_ratio, fmt_time, markdown_table
from .timing import floor_callable, floor_out_callable, preallocated_out

__all__ = ["CASE_TABLE", "FORM_TABLE", "case_row", "form_row", "measure"]


def case_row(case, others=None):
    """One case checked bit for bit against numpy (allocating and out=), with its contenders."""
    f, varargs = build_input(case)
    kw = case.numpy_kwargs()
    want = NUMPY_GRADIENT(f, *varargs, **kw)
    out_dtype = (want[0] if isinstance(want, tuple) else want).dtype
    naxes = len(case.axes())
    out = preallocated_out(f, naxes, out_dtype)

    def ext(workers, **extra):
        return lambda: gradient_ext.gradient(f, *varargs, workers=workers, **kw, **extra)

    same = all(identical(ext(case.workers, **extra)(), want, nan_sign=True)
               for extra in ({}, {"out": out}))
    contenders = {
        "numpy": lambda: NUMPY_GRADIENT(f, *varargs, **kw),
        "gradient_ext": ext(case.workers),
        "floor": floor_callable(f, naxes, out_dtype),
        "gradient_ext out=": ext(case.workers, out=out),
        "floor out=": floor_out_callable(f, naxes, out_dtype),
    }
    if case.workers != 1:
        contenders["gradient_ext w=1"] = ext(1)
        contenders["gradient_ext out= w=1"] = ext(1, out=out)
    others = others or {}
    if "torch" in others:
        contenders["torch"] = torch_callable(others["torch"], case, f, varargs)
    if "jax" in others:
        contenders["jax"] = jax_callable(others["jax"], case, f, varargs)
    return Row(case, verdict(same), contenders)


def measure(case, others=None, reps=7, min_rep=0.02):
    """Check and time one case (``benchmarks/plot_speedup.py`` plots these)."""
    return time_row(case_row(case, others), reps, min_rep)


def _case_rows(cases, settings):
    for case in cases:
        yield case_row(case, settings.others)


def _columns(results, others):
    """Column titles and, per result, the cells of its row."""
    header = ["case", "numpy", "gradient_ext", "speedup", "vs floor",
              "out=", "vs floor, no alloc"]
    threaded = any(r.case.workers != 1 for r in results)
    if threaded:
        header += ["vs 1 worker", "vs 1 worker, out="]
    header += [f"vs {name}" for name in others]
    rows = []
    for r in results:
        row = [r.label(), fmt_time(r.time("numpy")), fmt_time(r.time("gradient_ext")),
               fmt_ratio(r.speedup()), fmt_ratio(r.ratio("gradient_ext", "floor")),
               fmt_time(r.time("gradient_ext out=")),
               fmt_ratio(r.ratio("gradient_ext out=", "floor out="))]
        if threaded and r.case.workers != 1:
            row += [fmt_ratio(r.ratio("gradient_ext w=1", "gradient_ext")),
                    fmt_ratio(r.ratio("gradient_ext out= w=1", "gradient_ext out="))]
        elif threaded:
            row += ["", ""]
        row += [fmt_ratio(r.ratio(name, "gradient_ext")) for name in others]
        rows.append(row)
    return header, rows


def _render_cases(results, settings):
    return "\n" + markdown_table(*_columns(results, list(settings.others)))


CASE_TABLE = Table((CASES, QUICK_CASES), _case_rows, _render_cases, intro=True, others=True)


# ---------------------------------------------------------------------------
# Call forms
# ---------------------------------------------------------------------------

def form_row(form, inputs):
    """One call form (and its twin) checked bit for bit against numpy, with its contenders."""
    calls = [form.call] + ([form.twin] if form.twin is not None else [])
    same = all(identical(call(gradient_ext.gradient, inputs), call(NUMPY_GRADIENT, inputs),
                         nan_sign=True) for call in calls)
    twin = None if form.twin is None else (lambda: form.twin(gradient_ext.gradient, inputs))
    contenders = {
        "numpy": lambda: form.call(NUMPY_GRADIENT, inputs),
        "gradient_ext": lambda: form.call(gradient_ext.gradient, inputs),
        "twin": twin,
    }
    return Row(form, verdict(same), contenders)


def _form_rows(forms, settings):
    inputs = form_inputs()
    for form in forms:
        yield form_row(form, inputs)


FORM_NOTE = """\
call forms: f is 64x64 float64 and f32 its float32 copy; x, y are uneven float64
    coordinates, x32, y32 and xi, yi the same as float32 and int64;
    vs twin = gradient_ext time of the form / time of its twin, the fast-path
    call with the same arithmetic, paired in the same reps."""


def _render_forms(results, settings):
    header = ["call form", "numpy", "gradient_ext", "speedup", "twin", "vs twin",
              "twin: the fast-path call"]
    rows = []
    for r in results:
        twinned = r.case.twin is not None
        rows.append([r.label(), fmt_time(r.time("numpy")), fmt_time(r.time("gradient_ext")),
                     fmt_ratio(r.speedup()),
                     fmt_time(r.time("twin")) if twinned else "",
                     fmt_ratio(r.ratio("gradient_ext", "twin")) if twinned else "",
                     r.case.twin_name])
    return "\n" + FORM_NOTE + "\n\n" + markdown_table(header, rows)


FORM_TABLE = Table((FORMS, FORMS), _form_rows, _render_forms, intro=True)
