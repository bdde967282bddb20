"""Thread safety: many Python threads calling gradient at once get the bits of a
serial run, with OpenMP teams running inside several of those threads.

* ``test_16_threads_1000_rounds``: a child process (under a timeout, so a
  deadlock fails instead of hanging) runs 1,000 rounds; in each round 16
  threads start together (a barrier) and each computes a different job:
  mixed dtypes, axes, spacings, ``out=`` and worker counts, four of them large
  enough (>= 2**20 output elements) that ``workers=2`` starts an OpenMP team.
* ``test_job_in_parallel_threads`` is run by pytest-run-parallel (test extra)
  in 4 threads at once (``force_parallel_threads``).  On a free-threaded
  Python the plugin also fails a test whose imports re-enable the GIL, so it
  checks that the kernels keep ``freethreading_compatible``.  Run every test
  of a file in threads with ``pytest --parallel-threads=4 FILE``.
"""

import os
import sys
import sysconfig
import textwrap
from pathlib import Path

import numpy as np
import pytest

import gradient_ext
from gradient_ext import gradient
from helpers import busy_processes, python
from oracle import assert_result_same, numpy_gradient

N_THREADS = 16
# Under the sanitizers (tools/sanitize.sh) calls are several times slower and
# races are not what ASan finds: fewer rounds there, 1,000 everywhere else.
ROUNDS = 100 if os.environ.get("GRADIENT_EXT_SANITIZED") == "1" else 1000
LARGE = 1 << 20


def make_jobs():
    """16 jobs ``(f, varargs, kwargs, out_dtypes)``; out_dtypes None: allocate."""
    rng = np.random.default_rng(16)

    def real(shape, dtype=np.float64):
        return (rng.standard_normal(shape) * 100).astype(dtype)

    def cplx(shape, dtype=np.complex128):
        return (rng.standard_normal(shape) + 1j * rng.standard_normal(shape)).astype(dtype)

    def coords(n, dtype=np.float64):
        return np.cumsum(rng.uniform(0.5, 1.5, n)).astype(dtype)

    big = real((1024, 1024))
    return [
        # threaded: >= 2**20 output elements and workers=2
        (big, (), {"axis": 1, "workers": 2}, None),
        (real((1024, 1024), np.float32), (np.float32(0.5),), {"axis": 0, "workers": 2},
         [np.float32]),
        (real(LARGE, np.int16), (coords(LARGE),), {"edge_order": 2, "workers": 2}, None),
        (cplx((512, 2048), np.complex64), (0.25, coords(2048)), {"workers": 2},
         [np.complex64, np.complex64]),
        # single-threaded, every path
        (real((30, 40)), (), {"axis": (1, 0)}, [np.float64, np.float64]),
        (real((50, 60), np.float32), (0.5, coords(60, np.float32)), {"edge_order": 2}, None),
        (cplx((10, 20, 30)), (2.0, coords(30)), {"axis": (0, 2), "workers": None}, None),
        (rng.integers(0, 255, (100, 100), dtype=np.uint8), (3,), {}, [np.float64] * 2),
        (real((40, 40), np.float16), (), {"axis": 0}, None),                 # numpy fallback
        (np.arange(20).astype(object), (0.5,), {}, None),                    # numpy fallback
        (np.asfortranarray(real((300, 200))), (), {"workers": -1}, None),
        (real((60, 70))[::-2, ::3], (1.5, coords(24)), {"workers": 1}, [np.float64] * 2),
        (np.broadcast_to(real(80).astype(np.int64), (50, 80)), (), {"axis": -1}, None),
        (real(1000), (coords(1000),), {}, [np.float64]),
        (big, (0.5,), {"edge_order": 2, "axis": 0, "workers": 2}, [np.float64]),  # out=, shared f
        (real((200, 300), ">f8"), (), {"axis": 1}, None),                    # byte-swapped
    ]


def run_job(job):
    """One call of a job, with fresh out= arrays when it uses them."""
    f, varargs, kw, out_dtypes = job
    if out_dtypes is None:
        return gradient(f, *varargs, **kw)
    outs = [np.empty(f.shape, d) for d in out_dtypes]
    return gradient(f, *varargs, out=outs[0] if len(outs) == 1 else outs, **kw)


def as_bytes(result):
    results = result if isinstance(result, tuple) else (result,)
    # an object array's bytes are pointers: compare its values
    return [repr(r.tolist()) if r.dtype == object else r.tobytes() for r in results]


STRESS = textwrap.dedent(
    """
    import threading
    from test_threads import make_jobs, run_job, as_bytes, N_THREADS, ROUNDS

    jobs = make_jobs()
    serial = [as_bytes(run_job(job)) for job in jobs]        # the reference: one thread
    barrier = threading.Barrier(N_THREADS, timeout=120)        # a lost thread: an error, no hang
    errors = []

    def worker(t):
        try:
            for r in range(ROUNDS):
                barrier.wait()
                k = (t + r) % len(jobs)                        # each round: every job at once
                if as_bytes(run_job(jobs[k])) != serial[k]:
                    errors.append(f"thread {t} round {r} job {k}: bits differ")
        except BaseException as e:
            errors.append(f"thread {t}: {e!r}")
            barrier.abort()

    threads = [threading.Thread(target=worker, args=(t,)) for t in range(N_THREADS)]
    for th in threads:
        th.start()
    for th in threads:
        th.join()
    assert not errors, errors[:10]
    print("ok", ROUNDS * N_THREADS)
    """
)


def test_jobs_match_numpy():
    """The serial reference of the stress test is numpy's result."""
    for job in make_jobs():
        f, varargs, kw, _ = job
        kw = {k: v for k, v in kw.items() if k != "workers"}
        assert_result_same(run_job(job), numpy_gradient(f, *varargs, **kw), check_order=False)


@pytest.mark.slow
@pytest.mark.thread_unsafe(reason="starts its own 16 threads, in a child process")
def test_16_threads_1000_rounds():
    run = python("-c", STRESS, timeout=900)
    assert run.returncode == 0, run.stdout + run.stderr[-4000:]
    assert run.stdout.split() == ["ok", str(ROUNDS * N_THREADS)]


@pytest.fixture(scope="module")
def jobs_and_serial():
    # module scope: built once, before pytest-run-parallel starts its threads
    jobs = make_jobs()
    return jobs, [as_bytes(run_job(job)) for job in jobs]


@pytest.mark.force_parallel_threads(4)
@pytest.mark.parametrize("k", range(16))
def test_job_in_parallel_threads(jobs_and_serial, k):
    jobs, serial = jobs_and_serial
    for _ in range(3):
        assert as_bytes(run_job(jobs[k])) == serial[k]


def test_kernels_declare_freethreading_compatible():
    """Both kernel builds keep the directive (without it a free-threaded Python
    re-enables the GIL on import); on such a Python, check the GIL is off."""
    root = Path(gradient_ext.__file__).parent / "_core"   # the sources ship in the package
    for name in ("_kernels.pyx", "_kernels_avx2.pyx"):
        first = (root / name).read_text().splitlines()[0]
        assert first == "# cython: freethreading_compatible = True", name
    if sysconfig.get_config_var("Py_GIL_DISABLED"):
        assert not sys._is_gil_enabled()


# ---------------------------------------------------------------------------
# A busy machine: idle OpenMP threads sleep, and workers=None takes idle CPUs only


def _run(code, **env):
    return python("-c", textwrap.dedent(code), env={**os.environ, **env},
                  unset=[k for k in ("OMP_WAIT_POLICY", "OMP_DISPLAY_ENV") if k not in env])


@pytest.mark.skipif(not gradient_ext.openmp_info()["openmp"], reason="serial build")
@pytest.mark.parametrize("given", [None, "active"])
def test_openmp_waits_passively_unless_told_otherwise(given):
    """libgomp reads OMP_WAIT_POLICY when it loads: gradient_ext sets it to passive
    for that moment (spinning threads took the CPUs of a busy machine from the
    thread still working), keeps a user's setting, and leaves the environment
    as it found it."""
    env = {"OMP_DISPLAY_ENV": "TRUE"}       # libgomp prints its settings as it loads
    if given:
        env["OMP_WAIT_POLICY"] = given
    proc = _run("""
        import os, gradient_ext
        print(os.environ.get("OMP_WAIT_POLICY"))
    """, **env)
    assert proc.returncode == 0, proc.stderr
    assert proc.stdout.split() == [str(given)]
    if "OMP_WAIT_POLICY" not in proc.stderr:
        pytest.skip("this OpenMP runtime does not display its settings")
    want = (given or "passive").upper()
    assert f"OMP_WAIT_POLICY = '{want}'" in proc.stderr, proc.stderr


@pytest.mark.skipif(not gradient_ext.openmp_info()["openmp"], reason="serial build")
@pytest.mark.thread_unsafe(reason="sets the process-wide load rule and fills every CPU")
def test_workers_none_takes_idle_cpus_only():
    """With every usable CPU held by a busy process, workers=None runs on one thread;
    an explicit workers=2 is honoured.  (Only where the machine's load is ours to
    read: all online CPUs usable, Linux.)"""
    from gradient_ext import _runtime
    cpus = _runtime.USABLE_CPUS
    if not sys.platform.startswith("linux") or os.sysconf("SC_NPROCESSORS_ONLN") != cpus:
        pytest.skip("the machine's load is not this process's to read")
    if cpus < 2 or cpus > 16:
        pytest.skip("needs 2 to 16 CPUs")
    kernels = _runtime.kernels
    kernels.set_load_aware(True)            # the opt-in rule (GRADIENT_EXT_LOAD_AWARE=1)
    try:
        with busy_processes(cpus):
            teams = [kernels.threads_now(None) for _ in range(20)]
            explicit = kernels.threads_now(2)
    finally:
        kernels.set_load_aware(False)
    assert max(teams) == 1, teams
    assert explicit == 2
    assert kernels.threads_now(None, 1) == 1        # one unit of work: one thread


def test_load_rule_can_be_turned_off():
    proc = _run("""
        from gradient_ext import _runtime
        from helpers import busy_processes
        with busy_processes(_runtime.USABLE_CPUS):
            print(_runtime.kernels.threads_now(None), _runtime.kernels.default_threads())
    """, GRADIENT_EXT_LOAD_AWARE="0")
    assert proc.returncode == 0, proc.stderr
    now, default = proc.stdout.split()
    assert now == default
