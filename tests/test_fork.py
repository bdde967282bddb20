"""Fork safety: no call hangs in a child process, whatever the parent did.

GNU OpenMP's thread pool does not survive ``fork()``; a child that entered a
parallel region used to wait forever.  Each scenario runs in a fresh Python
process under a timeout, so a regression fails instead of hanging CI.  The
parent first runs a multi-threaded call (its OpenMP team then exists), then
children of every start method compute gradients with threads requested;
their results must be bit-identical to the parent's.
"""

import subprocess
import sys
import textwrap

import pytest

import gradient_ext

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


@pytest.mark.parametrize("name", sorted(SCENARIOS))
def test_children_do_not_hang_and_match(name, tmp_path):
    script = tmp_path / "scenario.py"
    script.write_text(PRELUDE + textwrap.dedent(SCENARIOS[name]) + "\nprint('done')\n")
    proc = subprocess.run([sys.executable, str(script)], capture_output=True, text=True,
                          timeout=TIMEOUT, cwd=tmp_path,
                          env=_env_with_package_on_path())
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
    proc = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True,
                          timeout=TIMEOUT, env=_env_with_package_on_path())
    assert proc.returncode == 0, proc.stderr[-3000:]
    child, parent = proc.stdout.split()
    assert child == "1"
    assert int(parent) == gradient_ext.openmp_info()["threads"]


def _env_with_package_on_path():
    """The environment, with the tested gradient_ext first on PYTHONPATH.

    Children (spawn, forkserver) import gradient_ext afresh; they must get the
    same build as this process, wherever the scenario script lies.
    """
    import os
    package_root = os.path.dirname(os.path.dirname(gradient_ext.__file__))
    env = dict(os.environ)
    env["PYTHONPATH"] = os.pathsep.join(filter(None, [package_root, env.get("PYTHONPATH")]))
    return env
