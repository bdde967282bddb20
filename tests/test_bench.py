"""The speed table runs, checks every row bit for bit, and reports a mismatch.

No assertion on timing: only that the table is produced and that its bit
checks (allocating, out= and call-form rows) can pass and can fail.
"""

import io

import numpy as np
import pytest

import gradient_ext
from gradient_ext._bench import engine as _bench
from gradient_ext._runtime import NUMPY_GRADIENT


def _run(**kw):
    buf = io.StringIO()
    status = _bench.bench(quick=True, others=False, file=buf, min_rep=1e-4, **kw)
    return status, buf.getvalue()


def test_quick_table_all_rows_identical():
    status, text = _run()
    assert status == 0, text
    assert "vs floor, no alloc" in text
    for form in _bench.FORMS:
        assert form.name in text
    for case in _bench.QUICK_CASES:
        assert case.name in text


def test_every_form_and_twin_matches_numpy():
    d = _bench.form_inputs()
    for form in _bench.FORMS:
        calls = [form.call] + ([form.twin] if form.twin else [])
        for call in calls:
            assert _bench.identical(call(gradient_ext.gradient, d), call(NUMPY_GRADIENT, d)), \
                form.name


def test_mismatch_is_reported(monkeypatch):
    real = gradient_ext.gradient

    def off_by_one_ulp(f, *args, **kw):
        result = real(f, *args, **kw)
        first = result if isinstance(result, np.ndarray) else result[0]
        first.flat[0] = np.nextafter(first.flat[0], np.inf)
        return result

    monkeypatch.setattr(gradient_ext, "gradient", off_by_one_ulp)
    status, text = _run(cases=["64x64", "gradient(f, 0.1, 0.2)"])
    assert status == 1
    assert text.count("**MISMATCH**") == 2


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
    assert _bench.FORMS[0].name in text


@pytest.mark.parametrize("naxes", [1, 2])
def test_preallocated_out_has_numpy_result_layout(naxes):
    f = np.asfortranarray(np.arange(12.0).reshape(3, 4))
    out = _bench.preallocated_out(f, naxes, np.dtype(np.float64))
    outs = [out] if naxes == 1 else out
    assert isinstance(out, np.ndarray) == (naxes == 1)
    assert all(o.flags.f_contiguous and not o.flags.c_contiguous for o in outs)
