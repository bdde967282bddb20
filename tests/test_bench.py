"""The speed table runs, checks every row bit for bit, and reports a mismatch.

No assertion on timing: only that the table is produced, that its bit
checks (allocating, out=, call-form, dask rows) can pass and can fail, that
its numpy side is numpy's own gradient even where numpy is patched, and that
the asv suite builds its benchmarks from the bench's cases.
"""

import dataclasses
import importlib
import importlib.util
import io
import os
import pathlib
import sys

import numpy as np
import pytest

import gradient_ext
from gradient_ext._bench import TABLES, bench, derivative_rows, hand_rows, operator_rows
from gradient_ext._bench.cases import (BEYOND_CASES, CASES, DASK_CASES, DERIVATIVE_CASES,
                                       FORMS, HAND_CASES, OPERATOR_CASES, QUICK_CASES,
                                       QUICK_DASK_CASES, Case, build_input, form_inputs,
                                       matches, select)
from gradient_ext._bench.compare import identical
from gradient_ext._bench.engine import MISMATCH
from gradient_ext._bench.timing import preallocated_out
from gradient_ext._runtime import NUMPY_GRADIENT
from helpers import python

ROOT = pathlib.Path(__file__).resolve().parent.parent


def _run(**kw):
    buf = io.StringIO()
    status = bench(quick=True, others=False, file=buf, min_rep=1e-4, **kw)
    return status, buf.getvalue()


def test_quick_table_all_rows_identical():
    status, text = _run(cases=[c.name for c in QUICK_CASES + FORMS])
    assert status == 0, text
    assert "vs floor, no alloc" in text
    for form in FORMS:
        assert form.name in text
    for case in QUICK_CASES:
        assert case.name in text
    assert "All results identical to numpy.gradient." in text


def test_every_form_and_twin_matches_numpy():
    d = form_inputs()
    for form in FORMS:
        calls = [form.call] + ([form.twin] if form.twin else [])
        for call in calls:
            assert identical(call(gradient_ext.gradient, d), call(NUMPY_GRADIENT, d)), form.name


def _off_by_one_ulp(real):
    def gradient(f, *args, **kw):
        result = real(f, *args, **kw)
        first = result if isinstance(result, np.ndarray) else result[0]
        first.flat[0] = np.nextafter(first.flat[0], np.inf)
        return result
    return gradient


def test_mismatch_is_reported(monkeypatch):
    monkeypatch.setattr(gradient_ext, "gradient", _off_by_one_ulp(gradient_ext.gradient))
    status, text = _run(cases=["64x64", "gradient(f, 0.1, 0.2)"])
    assert status == 1
    assert text.count("**MISMATCH**") == 2
    assert "MISMATCH with numpy.gradient (or the row's reference) in: 2-D 64x64" in text


# ---------------------------------------------------------------------------
# The derivatives table and the dask Laplacian rows: their checks pass and fail

def _small(case):
    """The derivatives row at a size that checks in milliseconds."""
    return dataclasses.replace(case, shape=tuple(min(n, 300) for n in case.shape))


@pytest.mark.parametrize("case", DERIVATIVE_CASES, ids=lambda c: c.name)
def test_derivative_rows_pass_their_checks(case):
    pytest.importorskip("findiff")
    small = _small(case)
    inputs = build_input(small)
    contenders = derivative_rows.derivative_contenders(small, inputs)
    assert derivative_rows._check(small, contenders, inputs) == "close"
    for name, run in contenders.items():
        assert run is not None or name == "numpy twice" and case.boundary == "periodic"


def _scaled(real, factor):
    def changed(f, *args, **kw):
        return real(f, *args, **kw) * factor
    return changed


@pytest.mark.parametrize("case", DERIVATIVE_CASES, ids=lambda c: c.name)
def test_derivative_rows_catch_a_wrong_result(case, monkeypatch):
    """A result off by a relative 1e-6 fails the findiff check; a Laplacian off by
    one ulp fails its bit check against the sum of second derivatives."""
    pytest.importorskip("findiff")
    small = _small(case)
    if case.op == "laplacian":
        monkeypatch.setattr(gradient_ext, "laplacian",
                            _off_by_one_ulp(gradient_ext.laplacian))
        contenders = derivative_rows.derivative_contenders(small)
        monkeypatch.setattr(derivative_rows, "_close", lambda got, want: True)
    else:
        monkeypatch.setattr(gradient_ext, "derivative",
                            _scaled(gradient_ext.derivative, 1 + 1e-6))
        contenders = derivative_rows.derivative_contenders(small)
    assert derivative_rows._check(small, contenders, build_input(small)) == MISMATCH


@pytest.mark.parametrize("case", OPERATOR_CASES, ids=lambda c: c.name)
def test_operator_rows_pass_their_checks(case):
    pytest.importorskip("findiff")
    small = _small(case)
    inputs = operator_rows.operator_input(small)
    contenders = operator_rows.operator_contenders(small, inputs)
    assert operator_rows._check(small, contenders, inputs) == "close"
    assert all(run is not None for run in contenders.values())


@pytest.mark.parametrize("case", OPERATOR_CASES, ids=lambda c: c.name)
def test_operator_rows_catch_a_wrong_result(case, monkeypatch):
    """An operator off by one ulp fails its bit check against its definition."""
    small = _small(case)
    name = {"mixed": "mixed_derivative"}.get(case.op, case.op)
    monkeypatch.setattr(gradient_ext, name, _off_by_one_ulp(getattr(gradient_ext, name)))
    monkeypatch.setattr(operator_rows, "_close", lambda got, want: True)
    inputs = operator_rows.operator_input(small)
    contenders = operator_rows.operator_contenders(small, inputs)
    assert operator_rows._check(small, contenders, inputs) == MISMATCH


def test_dask_laplacian_rows_checked_against_in_memory(monkeypatch):
    pytest.importorskip("dask.array")
    status, text = _run(cases=["dask laplacian"])
    assert status == 0, text
    assert text.count("dask laplacian") == 4         # two rows, two peak-memory lines
    real = gradient_ext.laplacian

    def off_on_dask(f, *args, **kw):                 # the dask result only, one ulp
        return real(f, *args, **kw) if isinstance(f, np.ndarray) else \
            real(f, *args, **kw).map_blocks(lambda b: np.nextafter(b, np.inf))
    monkeypatch.setattr(gradient_ext, "laplacian", off_on_dask)
    status, text = _run(cases=["dask laplacian compute"])
    assert status == 1 and "**MISMATCH**" in text


def test_command_line(capsys):
    from gradient_ext.__main__ import main
    status = main(["bench", "--quick", "--reps", "1", "--min-rep", "0.0001",
                   "--cases", "64x64", "gradient(f, xi, yi)"])
    text = capsys.readouterr().out
    assert status == 0, text
    assert "median of 1 alternating reps" in text and "gradient(f, xi, yi)" in text


def test_unknown_case_lists_the_cases():
    status, text = _run(cases=["no such case"])
    assert status == 2
    assert FORMS[0].name in text and QUICK_DASK_CASES[0].name in text


@pytest.mark.parametrize("naxes", [1, 2])
def test_preallocated_out_has_numpy_result_layout(naxes):
    f = np.asfortranarray(np.arange(12.0).reshape(3, 4))
    out = preallocated_out(f, naxes, np.dtype(np.float64))
    outs = [out] if naxes == 1 else out
    assert isinstance(out, np.ndarray) == (naxes == 1)
    assert all(o.flags.f_contiguous and not o.flags.c_contiguous for o in outs)


# ---------------------------------------------------------------------------
# The one comparator, the one matcher, the one case table


def test_identical_is_strict():
    a = np.array([0.0, 1.0, np.nan])
    assert identical(a, a.copy()) and identical((a, a), (a.copy(), a.copy()))
    assert not identical(a, a.astype(np.float32))             # dtype
    assert not identical((a,), [a])                           # container
    assert not identical(np.array([-0.0, 1.0, np.nan]), a)    # signed zero
    assert not identical(np.nextafter(a, 2), a)               # one ulp


def test_nan_sign_only_where_granted():
    a = np.array([1.0, np.nan]) + 0j
    b = a.copy()
    b.imag[1] = -b.imag[1]                  # -0.0 in a NaN element: not a NaN component
    c = a.copy()
    c.real[1] = -c.real[1]                  # the NaN's sign flipped: granted by documented difference 4
    assert not identical(c, a) and identical(c, a, nan_sign=True)
    assert not identical(b, a, nan_sign=True)
    assert not identical(np.array([1.0, np.nan]), np.array([np.nan, np.nan]), nan_sign=True)


@pytest.mark.parametrize("spacing, n, accuracy, taps", [
    (0.3, 2, 2, 3), (0.3, 1, 4, 5), (0.3, 4, 2, 5), ("uneven", 2, 2, 5)])
def test_hand_stencils_get_the_kernels_own_weights(spacing, n, accuracy, taps):
    """point_weights reads back each tap's weight: the taps summed left to right
    from -0.0 (a uniform stencil's taps of weight 0 left out) give gradient_ext's
    interior bit for bit."""
    rng = np.random.default_rng(5)
    x = np.cumsum(rng.uniform(0.5, 1.5, 24)) if spacing == "uneven" else spacing
    f = rng.standard_normal(24)
    w = hand_rows.point_weights(x, 24, n, accuracy, taps)
    want = gradient_ext.derivative(f, x, n=n, accuracy=accuracy)
    half = taps // 2
    for i in range(half, 24 - half):
        s = -0.0
        for t in range(taps):
            if w[t, i] != 0 or spacing == "uneven":
                s = s + w[t, i] * f[i - half + t]
        assert s == want[i], (i, s, want[i])


@pytest.mark.parametrize("case", HAND_CASES, ids=lambda c: c.name)
def test_hand_rows_pass_their_checks_and_catch_a_wrong_result(case, monkeypatch):
    pytest.importorskip("numba")
    small = dataclasses.replace(case, shape=(40, 36))
    contenders, ours, loop = hand_rows.hand_contenders(small)
    assert hand_rows._check(small, contenders, ours, loop) == "bits"
    contenders, ours, loop = hand_rows.hand_contenders(small)
    wrong = contenders["numba"]
    contenders["numba"] = lambda: (wrong(), loop.__setitem__((20, 18), loop[20, 18] * 2))
    assert hand_rows._check(small, contenders, ours, loop) == MISMATCH


def test_one_matcher_for_every_table():
    assert matches("dask threads compute", ["DASK*"]) and matches("1-D n=1e2", ["n=1e"])
    assert matches("anything", None) and not matches("1-D n=1e2", ["2-D"])
    assert select(BEYOND_CASES, ["periodic"]) == [BEYOND_CASES[1]]
    assert [t.chosen(True, ["dask coordinates"]) for t in TABLES] == [
        [], [], [], [], [], [], [c for c in QUICK_DASK_CASES if c.name == "dask coordinates"]]


def test_inputs_are_seeded_and_row_names_unique():
    case = Case("t", (5, 4), spacing="coords", layout="reversed")
    (f1, v1), (f2, v2) = build_input(case), build_input(case)
    assert identical(f1, f2) and identical(v1, v2)
    names = [c.name for c in CASES + BEYOND_CASES + DERIVATIVE_CASES + OPERATOR_CASES
             + HAND_CASES + DASK_CASES]  # no twins
    assert len(set(names)) == len(names)


# ---------------------------------------------------------------------------
# numpy's own gradient, even where GRADIENT_EXT_PATCH_NUMPY=1 patches numpy

# numpy patched at import by the environment; then gradient_ext corrupted by one
# ulp *through the patch*, so that numpy.gradient is the corrupted function too.
# A bench or demo that called np.gradient would compare it with itself.
PATCHED_AND_CORRUPTED = """
import sys
import numpy as np
import gradient_ext
from gradient_ext import _api

assert np.gradient is gradient_ext.gradient, "GRADIENT_EXT_PATCH_NUMPY=1 did not patch"
real = _api.gradient

def one_ulp_more(x):
    if np.iscomplexobj(x):
        return complex(np.nextafter(x.real, np.inf), x.imag)
    return np.nextafter(x, np.inf)

def corrupted(f, *args, **kw):
    result = real(f, *args, **kw)
    first = result if isinstance(result, np.ndarray) else result[0]
    if isinstance(first, np.ndarray) and first.size:      # dask results stay as they are
        first.flat[0] = one_ulp_more(first.flat[0])
    return result

if sys.argv[2] == "corrupt":
    gradient_ext.restore_numpy()
    _api.gradient = gradient_ext.gradient = corrupted
    gradient_ext.patch_numpy()
    assert np.gradient is corrupted
if sys.argv[1] == "demo":
    from gradient_ext._bench.demo import demo
    sys.exit(demo())
from gradient_ext._bench import bench
sys.exit(bench(quick=True, others=False, reps=1, min_rep=1e-4,
               cases=["64x64", "gradient(f, 0.1, 0.2)"]))
"""


def _patched(what, corrupt):
    # the installed gradient_ext (helpers.child_env), never the source tree
    return python("-c", PATCHED_AND_CORRUPTED, what, corrupt, timeout=300,
                  env=dict(os.environ, GRADIENT_EXT_PATCH_NUMPY="1"))


@pytest.mark.parametrize("what", ["bench", pytest.param("demo", marks=pytest.mark.slow)])
def test_patched_numpy_is_still_compared_with_numpy(what):
    done = _patched(what, "intact")
    assert done.returncode == 0, done.stdout + done.stderr
    assert "MISMATCH" not in done.stdout
    assert "numpy.gradient is patched to gradient_ext in this process" in done.stdout


def test_patched_numpy_corrupted_gradient_ext_is_a_mismatch():
    done = _patched("bench", "corrupt")
    assert done.returncode == 1, done.stdout + done.stderr
    assert done.stdout.count("**MISMATCH**") == 2       # the 64x64 row and the call form


@pytest.mark.slow
def test_patched_numpy_corrupted_gradient_ext_is_a_mismatch_in_the_demo():
    done = _patched("demo", "corrupt")
    assert done.returncode == 1, done.stdout + done.stderr
    checks = [line for line in done.stdout.splitlines() if line.startswith("  ")
              and line.rstrip().endswith(("identical to numpy.gradient", "MISMATCH"))
              and "dask" not in line]              # dask results are left uncorrupted
    assert len(checks) > 20 and all(line.rstrip().endswith("MISMATCH") for line in checks)


# ---------------------------------------------------------------------------
# asv: every benchmark module imports, and each class's setup and timers run


def _asv_classes():
    sys.path.insert(0, str(ROOT / "benchmarks"))
    try:
        modules = [importlib.import_module(f"benchmarks.{p.stem}")
                   for p in sorted((ROOT / "benchmarks" / "benchmarks").glob("bench_*.py"))]
    finally:
        sys.path.remove(str(ROOT / "benchmarks"))
    return [cls for m in modules for name, cls in vars(m).items()
            if isinstance(cls, type) and cls.__module__ == m.__name__
            and not name.startswith("_") and any(k.startswith(("time_", "peakmem_"))
                                                 for k in dir(cls))]


def _first_params(cls):
    params = getattr(cls, "params", [])
    return [p[0] for p in params] if params and isinstance(params[0], list) else params[:1]


def test_asv_suite_takes_its_cases_from_the_bench(monkeypatch):
    """Every class's setup and timers run (first parameters; dask rows at --quick size)."""
    if not (ROOT / "benchmarks" / "benchmarks").is_dir():
        pytest.skip("the asv suite is not beside the tests (tests run from an installed wheel)")
    text = "\n".join(p.read_text() for p in (ROOT / "benchmarks" / "benchmarks").glob("*.py"))
    assert "np.gradient(" not in text and "default_rng(" not in text and "SEED =" not in text
    classes = _asv_classes()
    assert len(classes) >= 8
    for cls in classes:
        if cls.__name__.startswith("Dask"):
            if importlib.util.find_spec("dask") is None or cls.__name__ == "DaskCluster":
                continue            # the cluster: minutes of a 2-process LocalCluster
            monkeypatch.setattr(sys.modules[cls.__module__], "_BASE", QUICK_DASK_CASES[0])
        bench_obj, params = cls(), _first_params(cls)
        bench_obj.setup(*params)
        try:
            for name in dir(cls):
                if name.startswith(("time_", "peakmem_")):
                    try:
                        getattr(bench_obj, name)(*params)
                    except NotImplementedError:     # asv: skipped (no out= form, no findiff)
                        pass
        finally:
            getattr(bench_obj, "teardown", lambda *p: None)(*params)
