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
import subprocess
import sys
import textwrap

import numpy as np
import pytest

import gradient_ext
import oracle

HERE = os.path.dirname(os.path.abspath(__file__))

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
    import json, sys
    sys.path.insert(0, sys.argv[1])
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
    env = dict(os.environ, GRADIENT_EXT_PATCH_NUMPY="1")
    proc = subprocess.run([sys.executable, "-c", CHILD, HERE], env=env, capture_output=True,
                          text=True, timeout=120)
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
