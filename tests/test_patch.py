"""patch_numpy / restore_numpy / patched_numpy / is_patched.

The oracle here is numpy's own gradient as captured at import
(``_runtime.NUMPY_GRADIENT``): ``np.gradient`` itself is what is being patched.
Subprocess scenarios run under a timeout, so a recursion or hang fails.
"""

import functools
import importlib.util
import sys
import threading
from concurrent.futures import ThreadPoolExecutor

import numpy as np
import pytest

import gradient_ext
from gradient_ext import _api, _patch, _runtime
import helpers
from oracle import assert_result_same

ORIGINAL = _runtime.NUMPY_GRADIENT
TIMEOUT = 120
HAS_DASK_SUPPORT = importlib.util.find_spec("gradient_ext._integrations.dask_arrays") is not None
# numpy's patch is process-wide: each test here sets it, counts it or asserts it
# (pytest --parallel-threads runs them in one thread; test_threads_* starts its own)
pytestmark = pytest.mark.thread_unsafe(reason="numpy's patch is process-wide state")


@pytest.fixture(autouse=True)
def unpatched():
    """Every test starts and ends with numpy unpatched, whatever it did."""
    assert not gradient_ext.is_patched() and np.gradient is ORIGINAL
    yield
    while gradient_ext.is_patched():
        gradient_ext.restore_numpy()
    assert np.gradient is ORIGINAL


def test_captured_gradient_is_numpys():
    assert ORIGINAL is np.lib._function_base_impl.gradient


def test_patch_and_restore_put_back_the_same_object():
    gradient_ext.patch_numpy()
    assert gradient_ext.is_patched()
    assert np.gradient is gradient_ext.gradient
    gradient_ext.restore_numpy()
    assert not gradient_ext.is_patched()
    assert np.gradient is ORIGINAL


def test_patches_are_counted():
    gradient_ext.patch_numpy()
    gradient_ext.patch_numpy()
    gradient_ext.restore_numpy()
    assert gradient_ext.is_patched() and np.gradient is gradient_ext.gradient
    gradient_ext.restore_numpy()
    assert not gradient_ext.is_patched() and np.gradient is ORIGINAL


def test_restore_without_patch_raises_and_changes_nothing():
    with pytest.raises(RuntimeError, match="without a matching"):
        gradient_ext.restore_numpy()
    assert np.gradient is ORIGINAL and not gradient_ext.is_patched()


def test_context_manager_nests():
    with gradient_ext.patched_numpy():
        assert np.gradient is gradient_ext.gradient
        with gradient_ext.patched_numpy():
            assert np.gradient is gradient_ext.gradient
        assert gradient_ext.is_patched() and np.gradient is gradient_ext.gradient
    assert not gradient_ext.is_patched() and np.gradient is ORIGINAL


def test_context_manager_restores_on_exception():
    with pytest.raises(ZeroDivisionError):
        with gradient_ext.patched_numpy():
            with gradient_ext.patched_numpy():
                1 / 0
    assert not gradient_ext.is_patched() and np.gradient is ORIGINAL


def test_context_manager_as_decorator():
    @gradient_ext.patched_numpy()
    def inside():
        return np.gradient is gradient_ext.gradient

    assert inside() and np.gradient is ORIGINAL


def test_threads_patch_and_restore_concurrently():
    nthreads, rounds = 8, 200
    barrier = threading.Barrier(nthreads)
    f = np.arange(10.0) ** 2

    def worker(_):
        barrier.wait()
        seen = []
        for _ in range(rounds):
            with gradient_ext.patched_numpy():
                # this thread's scope is open: numpy must be patched, whatever others do
                seen.append(np.gradient is gradient_ext.gradient and gradient_ext.is_patched())
                np.gradient(f)
        return all(seen)

    with ThreadPoolExecutor(nthreads) as ex:
        results = list(ex.map(worker, range(nthreads), timeout=TIMEOUT))
    assert all(results)
    assert not gradient_ext.is_patched() and np.gradient is ORIGINAL


EXACT_PATH_INPUTS = {
    "float16": lambda: (np.linspace(0, 3, 7, dtype=np.float16) ** 2,),
    "object": lambda: (np.array([1, 4, 9, 16, 25], dtype=object),),
    "longdouble 2-D": lambda: (np.arange(12, dtype=np.longdouble).reshape(3, 4) ** 2,),
    "datetime64": lambda: (np.array(["2020-01-01", "2020-01-03", "2020-01-07"],
                                    dtype="datetime64[D]"),),
    "float16 coordinates": lambda: (np.arange(5.0) ** 2, np.array([0, 1, 3, 4, 7],
                                                                  dtype=np.float16)),
    "masked": lambda: (np.ma.masked_array(np.arange(6.0) ** 2, mask=[0, 0, 1, 0, 0, 0]),),
}


@pytest.mark.parametrize("name", sorted(EXACT_PATH_INPUTS))
def test_exact_path_while_patched_calls_numpys_original(name):
    args = EXACT_PATH_INPUTS[name]()
    expected = ORIGINAL(*args)
    with gradient_ext.patched_numpy():
        got = np.gradient(*args)          # gradient_ext -> its exact path -> numpy's own
    assert_result_same(got, expected)


def test_kernel_results_through_patched_numpy_are_numpys():
    rng = np.random.default_rng(7)
    cases = [(rng.random((30, 40)),), (rng.random(50).astype(np.float32), 0.5),
             (rng.random((6, 9)), np.cumsum(rng.random(6)), 2.0)]
    for args in cases:
        expected = ORIGINAL(*args, edge_order=2)
        with gradient_ext.patched_numpy():
            got = np.gradient(*args, edge_order=2)
        assert_result_same(got, expected)


# a fresh Python, numpy patched only where a test's environment says so
run_python = functools.partial(helpers.run_python, unset=["GRADIENT_EXT_PATCH_NUMPY"],
                               timeout=TIMEOUT)


EXACT_CHECK = """
    import numpy as np
    from numpy.lib._function_base_impl import gradient as numpys
    x = np.linspace(0, 3, 7, dtype=np.float16) ** 2
    o = np.array([1, 4, 9, 16], dtype=object)
    assert np.gradient(x).tobytes() == numpys(x).tobytes()
    assert list(np.gradient(o)) == list(numpys(o))
"""


# Fresh interpreters: the fast tier keeps one of each (tests/conftest.py).
@pytest.mark.parametrize("value, patched", [
    ("1", True),
    pytest.param("0", False, marks=pytest.mark.slow),
    pytest.param("", False, marks=pytest.mark.slow),
])
def test_environment_variable_patches_at_import(value, patched):
    out = run_python("""
        import numpy as np, gradient_ext
        print(gradient_ext.is_patched(), np.gradient is gradient_ext.gradient)
        assert gradient_ext._runtime.NUMPY_GRADIENT is np.lib._function_base_impl.gradient
        assert gradient_ext._api._NUMPY_GRADIENT is np.lib._function_base_impl.gradient
    """, EXACT_CHECK, GRADIENT_EXT_PATCH_NUMPY=value)
    assert out.split() == [str(patched)] * 2


@pytest.mark.parametrize("reimport", [
    "importlib.reload(gradient_ext._api)",
    pytest.param("importlib.reload(gradient_ext._runtime); importlib.reload(gradient_ext._api)",
                 marks=pytest.mark.slow),
    pytest.param("[sys.modules.pop(m) for m in list(sys.modules) if m.startswith('gradient_ext')];"
                 " import gradient_ext", marks=pytest.mark.slow),
])
def test_reimport_while_patched_still_reaches_numpys_gradient(reimport):
    # A fresh _api, imported while numpy.gradient is gradient_ext's, must still
    # capture numpy's own function, not the patched one (that would recurse).
    run_python(f"""
        import importlib, sys
        import numpy as np, gradient_ext
        gradient_ext.patch_numpy()
        {reimport}
        assert gradient_ext._runtime.NUMPY_GRADIENT is np.lib._function_base_impl.gradient
        assert gradient_ext._api._NUMPY_GRADIENT is np.lib._function_base_impl.gradient
    """, EXACT_CHECK)


def test_import_loads_no_optional_library():
    out = run_python("""
        import sys, gradient_ext
        print(sorted(m for m in ("dask", "xarray", "threadpoolctl") if m in sys.modules))
    """)
    assert out.strip() == "[]"


# --- dask -----------------------------------------------------------------


@pytest.fixture
def dask_array(monkeypatch):
    """dask.array, with gradient_ext's dask support reported present (mechanics only)."""
    da = pytest.importorskip("dask.array")
    monkeypatch.setattr(_patch, "_has_dask_support", lambda: True)
    return da


def test_dask_gradient_patched_and_restored(dask_array):
    original = dask_array.gradient
    with gradient_ext.patched_numpy():
        assert dask_array.gradient is _patch._dask_gradient
    assert dask_array.gradient is original


def test_dask_left_alone_without_dask_support(monkeypatch):
    da = pytest.importorskip("dask.array")
    monkeypatch.setattr(_patch, "_has_dask_support", lambda: False)
    original = da.gradient
    with gradient_ext.patched_numpy():
        assert da.gradient is original and np.gradient is gradient_ext.gradient


def test_dask_imported_while_patched_is_patched_by_the_next_patch(dask_array, monkeypatch):
    original = dask_array.gradient
    with monkeypatch.context() as m:
        m.delitem(sys.modules, "dask.array")      # as if dask were imported later
        gradient_ext.patch_numpy()
    assert dask_array.gradient is original        # not hooked at the first patch
    with gradient_ext.patched_numpy():            # a patch that finds it imported
        assert dask_array.gradient is _patch._dask_gradient
    assert dask_array.gradient is _patch._dask_gradient   # the first patch still holds
    gradient_ext.restore_numpy()
    assert dask_array.gradient is original and np.gradient is ORIGINAL


@pytest.mark.skipif(not HAS_DASK_SUPPORT, reason="gradient_ext's dask integration is not installed")
def test_patched_dask_gradient_is_numpys_bits():
    da = pytest.importorskip("dask.array")
    f = np.random.default_rng(3).random((40, 30))
    x = da.from_array(f, chunks=(7, 11))
    expected = ORIGINAL(f)
    with gradient_ext.patched_numpy():
        lazy = da.gradient(x)
    assert_result_same(tuple(r.compute() for r in lazy), expected)
