"""Every public function from 8 Python threads at once: the serial bits, no crash, no
hang (tests/concurrent_calls.py, in a child that imports only numpy and gradient_ext,
under the helpers' timeout).  The kernels release the GIL, so their work overlaps
even on a GIL build; on a free-threaded one everything does."""

import pytest

from helpers import python

# Each test starts its own 8 threads in a child.  Under pytest --parallel-threads=8
# that made 8 children of 8 threads at once, on two cores beside the wheel checks:
# the race test's 200 rounds then ran past the helpers' 120 s timeout (CI, 3.13t).
pytestmark = pytest.mark.thread_unsafe(reason="starts its own 8 threads, in a child process")

CODE = ("import sys, concurrent_calls; "
        "sys.exit(concurrent_calls.main(threads=8, rounds={rounds}, inject={inject!r}))")


def _run(rounds, inject=None):
    proc = python("-c", CODE.format(rounds=rounds, inject=inject))
    return proc.returncode, proc.stdout + proc.stderr


def test_every_function_from_eight_threads_gives_the_serial_bits():
    status, text = _run(2)
    assert status == 0 and " 0 failures" in text, text


def test_the_comparison_catches_a_race():
    # one scratch buffer shared by every call and thread: the operators' slabs
    # overwrite each other's values, and the comparison must see it: up to 200
    # rounds of the calls that use the scratch, stopped at the first mismatch
    # (well under a second when the machine is idle; a few seconds when loaded)
    status, text = _run(200, inject="shared-scratch")
    assert status == 1 and " 0 failures" not in text and "failures" in text, text
