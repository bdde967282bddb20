"""The oracle is numpy's own gradient, and it catches a wrong one.

tests/oracle.py compares gradient_ext with ``NUMPY_GRADIENT`` (numpy's function,
captured before anything patches numpy), not with the attribute
``np.gradient``, which ``GRADIENT_EXT_PATCH_NUMPY=1`` makes gradient_ext itself.
Here a child process runs with that variable set: the oracle still passes the
real gradient_ext, and it fails a deliberately wrong gradient even when
numpy.gradient is patched to that same wrong function (an oracle that called
``np.gradient`` would compare it with itself and pass).
"""

import json
import os
import textwrap

import numpy as np
import pytest

import gradient_ext
import oracle
from helpers import python

CASES = textwrap.dedent("""
    import numpy as np

    def cases():
        rng = np.random.default_rng(0)
        for dtype in (np.float64, np.float32, np.complex128, np.int32):
            for shape in ((7,), (4, 5)):
                f = (rng.standard_normal(shape) * 10).astype(dtype)
                for varargs in ((), (0.5,), tuple(np.cumsum(rng.random(n) + 0.5) for n in shape)):
                    for edge_order in (1, 2):
                        yield (f"{f.dtype}{shape} {len(varargs)} edge_order={edge_order}",
                               f, varargs, {"edge_order": edge_order})
""")


def one_ulp_off(gradient):
    """``gradient`` with its first output element moved by one ulp."""
    def wrong(*args, **kwargs):
        result = gradient(*args, **kwargs)
        first = result[0] if isinstance(result, tuple) else result
        flat = first.reshape(-1)
        if flat.dtype.kind == "c":
            flat.real[0] = np.nextafter(flat.real[0], np.inf)
        else:
            flat[0] = np.nextafter(flat[0], np.inf)
        return result
    return wrong


CHILD = CASES + textwrap.dedent("""
    import json
    import gradient_ext
    import oracle
    from test_oracle import one_ulp_off

    report = {"patched": gradient_ext.is_patched() and np.gradient is gradient_ext.gradient,
              "oracle_is_numpys": oracle.NUMPY_GRADIENT is not gradient_ext.gradient
                                  and oracle.NUMPY_GRADIENT.__module__.startswith("numpy")}
    # the real gradient_ext, numpy patched to it: the comparisons pass
    report["compared"] = oracle.check_cases(cases())
    # a wrong gradient under test, and numpy.gradient patched to it too
    wrong = one_ulp_off(gradient_ext.gradient)
    oracle.ext_gradient = wrong
    np.gradient = wrong
    try:
        oracle.check_cases(cases())
        report["caught"] = None
    except AssertionError as e:
        report["caught"] = str(e).splitlines()[0]
    print(json.dumps(report))
""")


def test_oracle_is_numpys_own_gradient_when_numpy_is_patched():
    proc = python("-c", CHILD, env=dict(os.environ, GRADIENT_EXT_PATCH_NUMPY="1"))
    assert proc.returncode == 0, proc.stderr[-3000:]
    report = json.loads(proc.stdout.strip().splitlines()[-1])
    assert report["patched"] and report["oracle_is_numpys"], report
    assert report["compared"] == 4 * 2 * 3 * 2, report
    # every case's first element is one ulp off: all of them are caught
    assert report["caught"] == f"{report['compared']} of {report['compared']} cases differ " \
                               "from numpy:", report


def test_oracle_catches_a_wrong_gradient(monkeypatch):
    namespace = {}
    exec(CASES, namespace)
    assert oracle.check_cases(namespace["cases"]()) == 48
    monkeypatch.setattr(oracle, "ext_gradient", one_ulp_off(gradient_ext.gradient))
    with pytest.raises(AssertionError, match="48 of 48 cases differ from numpy"):
        oracle.check_cases(namespace["cases"]())


def test_numpy_gradient_never_reads_the_attribute(monkeypatch):
    f = np.arange(5.0) ** 2
    want = oracle.numpy_gradient(f)

    def refuse(*args, **kwargs):
        raise AssertionError("the oracle called np.gradient")

    monkeypatch.setattr(np, "gradient", refuse)
    assert oracle.numpy_gradient(f).tobytes() == want.tobytes()
    oracle.assert_same_as_numpy(f, 0.5, edge_order=2)


# ---------------------------------------------------------------------------
# the sign of a zero in complex results on uneven coordinates (documented
# difference 5, docs/guide/numpy_compat.rst): tolerated there, and nowhere else

TINY = np.finfo(np.float32).smallest_subnormal
# Found by the Hypothesis tests: numpy's AVX2/FMA loops give 0-0j in the
# middle where its baseline loops and gradient_ext give 0+0j.
SUBNORMAL_COMPLEX64 = np.array([complex(TINY, -3 * TINY), complex(0, TINY), complex(-TINY, 0)],
                               dtype=np.complex64)
UNEVEN_FLOAT32 = np.array([0.5, 7.5, 10.5], dtype=np.float32)


@pytest.mark.parametrize("edge_order", [1, 2])
def test_subnormal_complex_on_uneven_coordinates(edge_order):
    f, x = SUBNORMAL_COMPLEX64, UNEVEN_FLOAT32
    got = oracle.assert_same_as_numpy(f, x, edge_order=edge_order)
    want = oracle.numpy_gradient(f, x, edge_order=edge_order)
    # whatever loops numpy ran, the results differ in zeros' signs at most
    assert oracle.same_or_zero_in_both(got, want).all()
    assert got.reshape(-1)[1] == 0


def _changed(gradient, change):
    """``gradient`` with ``change`` applied to the flat view of its first output."""
    def changed(*args, **kwargs):
        result = gradient(*args, **kwargs)
        change((result[0] if isinstance(result, tuple) else result).reshape(-1))
        return result
    return changed


def _flip_sign(flat):
    flat.real[0] = -flat.real[0]


ZERO_FIRST = np.array([0, 0, 3, 9], dtype=np.complex128)      # gradient starts at 0+0j
UNEVEN = np.array([0.0, 1.0, 3.0, 4.5])


@pytest.mark.parametrize("f,varargs,tolerated", [
    (ZERO_FIRST, (UNEVEN,), True),
    (ZERO_FIRST.astype(np.complex64), (UNEVEN.astype(np.float32),), True),
    (ZERO_FIRST, (np.array([0.0, 1.0, 2.0, 3.0]),), False),    # even: numpy's uniform formulas
    (ZERO_FIRST, (1.0,), False),
    (ZERO_FIRST.real.copy(), (UNEVEN,), False),                 # real data
    (np.array([1, 2, 3, 9], dtype=np.complex128), (UNEVEN,), False),  # a nonzero's sign
])
def test_only_the_sign_of_a_complex_uneven_zero_is_tolerated(monkeypatch, f, varargs, tolerated):
    monkeypatch.setattr(oracle, "ext_gradient", _changed(gradient_ext.gradient, _flip_sign))
    if tolerated:
        oracle.assert_same_as_numpy(f, *varargs)
    else:
        with pytest.raises(AssertionError, match="VALUES differ"):
            oracle.assert_same_as_numpy(f, *varargs)


def test_a_zero_against_a_nonzero_is_still_caught(monkeypatch):
    def to_subnormal(flat):
        flat.real[0] = np.nextafter(flat.real[0], np.inf)

    monkeypatch.setattr(oracle, "ext_gradient", _changed(gradient_ext.gradient, to_subnormal))
    with pytest.raises(AssertionError, match="VALUES differ"):
        oracle.assert_same_as_numpy(ZERO_FIRST, UNEVEN)


def test_the_zero_sign_rule_applies_per_axis(monkeypatch):
    f = np.zeros((3, 4), dtype=np.complex128)     # every result is zero
    monkeypatch.setattr(oracle, "ext_gradient", _changed(gradient_ext.gradient, _flip_sign))
    oracle.assert_same_as_numpy(f, UNEVEN[:3], 1.0)       # result[0] on uneven coordinates
    with pytest.raises(AssertionError, match=r"result\[0\].*VALUES differ"):
        oracle.assert_same_as_numpy(f, 1.0, UNEVEN)       # result[0] on a uniform spacing
    assert oracle.uneven_results((1.0, UNEVEN)) == {1}
    assert oracle.uneven_results((UNEVEN[:3], np.arange(4.0))) == {0}
