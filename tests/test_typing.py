"""The public stub matches the runtime (stubtest) and types real use (mypy).

Both run mypy in a subprocess (it takes several seconds) and skip when mypy is
not installed; the ``test`` extra installs it.
"""

import os
import subprocess
import sys

import pytest

pytest.importorskip("mypy")
pytestmark = pytest.mark.slow       # mypy runs take seconds each: the slow tier

import gradient_ext

TIMEOUT = 300
HERE = os.path.dirname(os.path.abspath(__file__))
# mypy finds packages on disk, not through the import hooks of editable
# installs: run it where the imported gradient_ext lies when that is a clone,
# anywhere else (an empty folder) for an installed package, since mypy refuses
# to run inside site-packages.
_ROOT = os.path.dirname(os.path.dirname(os.path.abspath(gradient_ext.__file__)))
INSTALLED = os.path.basename(_ROOT) in ("site-packages", "dist-packages")
MYPY_ARGS = ("--no-incremental", "--config-file", os.path.join(HERE, "typing", "mypy.ini"))


@pytest.fixture
def where(tmp_path):
    return str(tmp_path) if INSTALLED else _ROOT


def run(where, *args):
    proc = subprocess.run([sys.executable, "-m", *args], capture_output=True, text=True,
                          timeout=TIMEOUT, cwd=where)
    assert proc.returncode == 0, proc.stdout + proc.stderr
    return proc.stdout


def test_stubtest(where):
    run(where, "mypy.stubtest", "gradient_ext")


def test_usage_file_type_checks(where):
    run(where, "mypy", "--strict", *MYPY_ARGS, os.path.join(HERE, "typing", "usage.py"))


def test_mypy_catches_a_wrong_type(tmp_path, where):
    # the check above can fail: a tuple taken for one array is an error
    bad = tmp_path / "bad.py"
    bad.write_text("import numpy as np\nfrom gradient_ext import gradient\n"
                   "gradient(np.ones(3)).shape\n")
    proc = subprocess.run([sys.executable, "-m", "mypy", *MYPY_ARGS, str(bad)],
                          capture_output=True, text=True, timeout=TIMEOUT, cwd=where)
    assert proc.returncode == 1 and "has no attribute \"shape\"" in proc.stdout, proc.stdout
