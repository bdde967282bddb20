"""The demo (python -m gradient_ext) runs in CI before the test extra brings dask:
it must pass without dask, and show the dask example when dask is there."""

import importlib.util

import pytest

from helpers import python

BLOCK_DASK = "import sys; sys.modules['dask'] = None; sys.modules['dask.array'] = None; "
RUN_DEMO = "from gradient_ext._bench.demo import demo; sys.exit(demo())"


def _demo(prefix):
    return python("-c", prefix + "import sys; " + RUN_DEMO, timeout=120)


def test_demo_without_dask():
    done = _demo(BLOCK_DASK)
    assert done.returncode == 0, done.stdout + done.stderr
    assert "Dask: skipped" in done.stdout and "MISMATCH" not in done.stdout


@pytest.mark.slow
@pytest.mark.skipif(importlib.util.find_spec("dask") is None, reason="dask not installed")
def test_demo_with_dask():
    done = _demo("")
    assert done.returncode == 0, done.stdout + done.stderr
    line = [s for s in done.stdout.splitlines() if "dask f, dask y" in s]
    assert line and "identical to numpy.gradient" in line[0]
