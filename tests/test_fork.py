"""Fork safety: no call hangs in a child process, whatever the parent did.

GNU OpenMP's thread pool does not survive ``fork()``; a child that entered a
parallel region used to wait forever.  Each scenario runs in a fresh Python
process under a timeout, so a regression fails instead of hanging CI.  The
parent first runs a multi-threaded call (its OpenMP team then exists), then
children of every start method compute gradients with threads requested;
their results must be bit-identical to the parent's.
"""

import textwrap

import pytest

import gradient_ext
from helpers import python

TIMEOUT = 120

# Large enough (>= 2**20 output elements) that workers=2 really starts a team.
PRELUDE = textwrap.dedent(
    """
    import hashlib, os, sys
    import numpy as np
    import gradient_ext as g

    def digest(result):
        return hashlib.sha256(b"".join(r.tobytes() for r in result)).hexdigest()

    def child_digest(workers):
        a = np.random.default_rng(0).random((1100, 1000))
        return digest(g.gradient(a, workers=workers)), g.openmp_info()["threads"]

    a = np.random.default_rng(0).random((1100, 1000))
    want = digest(g.gradient(a, workers=2))     # the parent's OpenMP team now exists
    """
)

SCENARIOS = {
    "os.fork": """
        pid = os.fork()
        if pid == 0:
            got, threads = child_digest(2)
            os._exit(0 if got == want and threads == 1 else 3)
        _, status = os.waitpid(pid, 0)
        assert os.waitstatus_to_exitcode(status) == 0, status
    """,
    "multiprocessing-fork": """
        import multiprocessing as mp
        with mp.get_context("fork").Pool(2) as pool:
            results = pool.map(child_digest, [2, None, 1, 2])
        assert all(r[0] == want for r in results), results
    """,
    "multiprocessing-forkserver": """
        import multiprocessing as mp
        if __name__ == "__main__":
            with mp.get_context("forkserver").Pool(2) as pool:
                results = pool.map(child_digest, [2, None, 1])
            assert all(r[0] == want for r in results), results
    """,
    "multiprocessing-spawn": """
        import multiprocessing as mp
        if __name__ == "__main__":
            with mp.get_context("spawn").Pool(2) as pool:
                results = pool.map(child_digest, [2, None, 1])
            assert all(r[0] == want for r in results), results
    """,
    "ProcessPoolExecutor-fork": """
        import multiprocessing as mp
        from concurrent.futures import ProcessPoolExecutor
        with ProcessPoolExecutor(2, mp_context=mp.get_context("fork")) as ex:
            results = list(ex.map(child_digest, [2, None, 2]))
        assert all(r[0] == want for r in results), results
    """,
    "ProcessPoolExecutor-default": """
        from concurrent.futures import ProcessPoolExecutor
        if __name__ == "__main__":
            with ProcessPoolExecutor(2) as ex:
                results = list(ex.map(child_digest, [2, None]))
            assert all(r[0] == want for r in results), results
    """,
}


# The children of every start method (process pools, spawn) are the slow tier;
# the fast tier keeps one forked child and the source check.
@pytest.mark.slow
@pytest.mark.parametrize("name", sorted(SCENARIOS))
def test_children_do_not_hang_and_match(name, tmp_path):
    script = tmp_path / "scenario.py"
    script.write_text(PRELUDE + textwrap.dedent(SCENARIOS[name]) + "\nprint('done')\n")
    proc = python(str(script), timeout=TIMEOUT, cwd=tmp_path)
    assert proc.returncode == 0, proc.stderr[-3000:]
    assert proc.stdout.strip().endswith("done")


def test_forked_child_reports_serial():
    """A forked child reports one thread; the parent keeps its setting."""
    code = PRELUDE + textwrap.dedent(
        """
        r, w = os.pipe()
        pid = os.fork()
        if pid == 0:
            os.write(w, str(g.openmp_info()["threads"]).encode())
            os._exit(0)
        os.waitpid(pid, 0)
        print(os.read(r, 16).decode(), g.openmp_info()["threads"])
        """
    )
    proc = python("-c", code, timeout=TIMEOUT)
    assert proc.returncode == 0, proc.stderr[-3000:]
    child, parent = proc.stdout.split()
    assert child == "1"
    assert int(parent) == gradient_ext.openmp_info()["threads"]


# Every threaded path, each big enough that workers=2 starts a team in the parent
# (>= 2**20 units of work, or >= 2**18 points of uneven k-tap weights).  Each
# runs in its own forked child, watched by the parent, so a hang names its path.
PATHS = textwrap.dedent(
    """
    import signal, time
    rng = np.random.default_rng(1)
    n = 1 << 19
    x = np.cumsum(rng.random(n) + 0.5)
    f1 = np.sin(x / 1000)
    f2 = rng.random((1100, 1000))
    PATHS = {}
    for acc in (4, 6, 8):
        PATHS[f"uniform accuracy={acc}"] = lambda w, acc=acc: g.gradient(
            f2, 0.5, accuracy=acc, workers=w)
        PATHS[f"uneven accuracy={acc}"] = lambda w, acc=acc: g.gradient(
            f1, x, accuracy=acc, workers=w)
    PATHS["periodic uniform"] = lambda w: g.gradient(f2, boundary="periodic", workers=w)
    PATHS["periodic uniform accuracy=4"] = lambda w: g.gradient(
        f2, boundary="periodic", accuracy=4, workers=w)
    PATHS["periodic uneven"] = lambda w: g.gradient(
        f1, x, boundary="periodic", period=x[-1] + 1.0, workers=w)
    PATHS["periodic uneven accuracy=4"] = lambda w: g.gradient(
        f1, x, boundary="periodic", period=x[-1] + 1.0, accuracy=4, workers=w)
    PATHS["uneven accuracy=2"] = lambda w: g.gradient(f1, x, workers=w)
    PATHS["derivative n=2 uniform accuracy=4"] = lambda w: g.derivative(
        f2, 0.5, n=2, accuracy=4, workers=w)
    PATHS["derivative n=3 uneven accuracy=2"] = lambda w: g.derivative(
        f1, x, n=3, workers=w)
    PATHS["derivative n=2 periodic uneven accuracy=4"] = lambda w: g.derivative(
        f1, x, n=2, accuracy=4, boundary="periodic", period=x[-1] + 1.0, workers=w)
    PATHS["laplacian"] = lambda w: g.laplacian(f2, workers=w)
    PATHS["laplacian accuracy=4 periodic"] = lambda w: g.laplacian(
        f2, accuracy=4, boundary="periodic", workers=w)
    PATHS["all axes accuracy=2"] = lambda w: g.gradient(f2, workers=w)

    def dask_path(w, **kw):
        import dask, dask.array as da
        d = da.from_array(f2, chunks=(550, 1000))
        with dask.config.set(scheduler="synchronous"):
            return da.compute(*g.gradient(d, workers=w, **kw))

    try:
        import dask.array
        PATHS["dask chunks"] = dask_path
        PATHS["dask chunks accuracy=4 periodic"] = lambda w: dask_path(
            w, accuracy=4, boundary="periodic")
    except ImportError:
        pass

    failed = []
    for name, call in PATHS.items():
        want = digest(_as_tuple(call(2)))
        pid = os.fork()
        if pid == 0:
            g.clear_weight_cache()      # the child computes its weights (threaded)
            os._exit(0 if digest(_as_tuple(call(2))) == want else 3)
        deadline = time.monotonic() + 30
        while True:
            done, status = os.waitpid(pid, os.WNOHANG)
            if done:
                if os.waitstatus_to_exitcode(status) != 0:
                    failed.append(f"{name}: exit {os.waitstatus_to_exitcode(status)}")
                break
            if time.monotonic() > deadline:
                os.kill(pid, signal.SIGKILL)
                os.waitpid(pid, 0)
                failed.append(f"{name}: hung")
                break
            time.sleep(0.01)
    assert not failed, failed
    print(len(PATHS), "paths")
    """
)


@pytest.mark.slow
def test_every_threaded_path_in_a_forked_child():
    """The reproduction of the fork hang, generalised: the parent runs each threaded path
    with workers=2 (its OpenMP team exists), then a forked child runs it again
    with workers=2 and must finish with the parent's bits."""
    code = PRELUDE + textwrap.dedent(
        """
        def _as_tuple(r):
            return r if isinstance(r, tuple) else (r,)
        """
    ) + PATHS
    proc = python("-c", code, timeout=600)
    assert proc.returncode == 0, proc.stderr[-3000:]
    assert proc.stdout.split()[-1] == "paths"


def test_every_parallel_region_takes_its_count_from_team_size():
    """Every prange in the kernel sources gets num_threads from a variable that the
    enclosing function assigned from team_size() (the fork rule's one home), and
    no other OpenMP construct exists that could bypass it."""
    import pathlib
    import re
    sources = pathlib.Path(gradient_ext.__file__).parent
    regions = 0
    for path in sorted(sources.rglob("*.p[yx][xi]")):
        text = path.read_text()
        assert "#pragma omp" not in text, path
        assert not re.search(r"\bparallel\(", text.replace("cython.parallel", "")), path
        for m in re.finditer(r"prange\(", text):
            if "cimport prange" in text[max(0, m.start() - 30):m.end()]:
                continue
            call = text[m.start():text.index(":", m.start())]
            var = re.search(r"num_threads=(\w+)", call)
            assert var, f"{path.name}: prange without num_threads"
            body = text[text.rfind("\ncdef ", 0, m.start()):m.start()]
            assert re.search(rf"\b{var.group(1)} = team_size\(", body), \
                f"{path.name}: prange's num_threads={var.group(1)} not from team_size()"
            regions += 1
    assert regions >= 2

