"""Threads under the ecosystem's controls: threadpoolctl and OMP_NUM_THREADS.

gradient_ext's ``workers=None`` follows ``omp_get_max_threads()`` of the
OpenMP runtime its kernels link (capped by the usable CPUs), so
threadpoolctl, which finds that runtime among the loaded libraries and calls
its ``omp_set_num_threads``, controls it.  Besides the reported thread count,
a behavioural check counts the process's OS threads (Linux ``/proc``): a
large call that may not use threads must not start any.
"""

import importlib.util
import json
import os

import pytest

import gradient_ext
from gradient_ext import _runtime
from helpers import run_python

TIMEOUT = 120
OPENMP = gradient_ext.openmp_info()["openmp"]
CPUS = _runtime.USABLE_CPUS
needs_openmp = pytest.mark.skipif(not OPENMP, reason="serial build")
needs_two_cpus = pytest.mark.skipif(CPUS < 2, reason="one usable CPU: no thread to limit")
needs_proc = pytest.mark.skipif(not os.path.isdir("/proc/self/task"), reason="no /proc")
# OMP_NUM_THREADS needs no threadpoolctl; the others skip one by one without it
needs_threadpoolctl = pytest.mark.skipif(importlib.util.find_spec("threadpoolctl") is None,
                                         reason="threadpoolctl not installed")


def run_json(*parts, **env):
    """Run the code parts in a fresh Python (helpers.run_python); its last line as JSON."""
    return json.loads(run_python(*parts, timeout=TIMEOUT, **env).strip().splitlines()[-1])


@pytest.mark.slow
@needs_threadpoolctl
@needs_openmp
def test_threadpool_info_lists_our_openmp_runtime():
    # Which OpenMP libraries appear in the process because gradient_ext was imported.
    info = run_json("""
        import json, os, numpy, threadpoolctl
        def openmp():
            return {m["filepath"] for m in threadpoolctl.threadpool_info()
                    if m["user_api"] == "openmp"}
        before = openmp()
        import gradient_ext
        libs = os.path.join(os.path.dirname(os.path.dirname(gradient_ext.__file__)),
                            "gradient_ext.libs")
        print(json.dumps({"new": sorted(openmp() - before), "libs": libs,
                          "vendored": os.path.isdir(libs)}))
    """)
    assert len(info["new"]) == 1, info
    if info["vendored"]:      # a wheel repaired by auditwheel carries its own libgomp
        assert os.path.dirname(info["new"][0]) == info["libs"], info


@needs_threadpoolctl
@needs_openmp
@needs_two_cpus
def test_threadpool_limits_reach_workers_none():
    import threadpoolctl

    before = gradient_ext.openmp_info()["threads"]
    assert before > 1
    with threadpoolctl.threadpool_limits(1):
        assert gradient_ext.openmp_info()["threads"] == 1
        with threadpoolctl.threadpool_limits(2, user_api="openmp"):
            assert gradient_ext.openmp_info()["threads"] == 2
        assert gradient_ext.openmp_info()["threads"] == 1
    assert gradient_ext.openmp_info()["threads"] == before


# Counts the OS threads a large call (4e6 outputs, above the threading threshold)
# adds to the process; OpenMP keeps its worker threads after a parallel region.
COUNT_THREADS = """
    import json, os
    import numpy as np
    import gradient_ext
    from gradient_ext._runtime import NUMPY_GRADIENT
    def nthreads():
        return len(os.listdir("/proc/self/task"))
    a = np.random.default_rng(0).random((2000, 2000))
    want = [r.tobytes() for r in NUMPY_GRADIENT(a)]
    def added(**kw):
        start = nthreads()
        same = [r.tobytes() for r in gradient_ext.gradient(a, **kw)] == want
        return nthreads() - start, same
"""


@pytest.mark.slow
@needs_threadpoolctl
@needs_openmp
@needs_two_cpus
@needs_proc
def test_threadpool_limits_one_starts_no_thread():
    out = run_json(COUNT_THREADS, """
        import threadpoolctl
        with threadpoolctl.threadpool_limits(1):
            limited = added()
            explicit = added(workers=2)     # the caller's explicit choice is not limited
        print(json.dumps({"limited": limited, "explicit": explicit}))
    """)
    assert out["limited"] == [0, True], out      # one thread under the limit
    assert out["explicit"] == [1, True], out     # and the count does see a new thread


@pytest.mark.slow
@needs_openmp
@needs_proc
@pytest.mark.parametrize("omp", ["1", "2"])
def test_omp_num_threads_is_honoured(omp):
    out = run_json(COUNT_THREADS, """
        threads = gradient_ext.openmp_info()["threads"]
        print(json.dumps({"threads": threads, "added": added()}))
    """, OMP_NUM_THREADS=omp, GRADIENT_EXT_LOAD_AWARE="0")    # not the machine's load
    expected = min(int(omp), CPUS)
    assert out["threads"] == expected, out
    assert out["added"] == [expected - 1, True], out

