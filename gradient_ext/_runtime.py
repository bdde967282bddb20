"""Runtime facts every layer may read: the kernel build this CPU runs, numpy's own
gradient, and the CPUs this process may use.

A leaf: it imports numpy and the compiled core, nothing else of gradient_ext, so
any module (the public API, the integrations, the bench) can import it without
an import cycle.
"""

import os

import numpy as np


def _import_kernels():
    """Import the compiled builds with OpenMP's idle threads sleeping, not spinning.

    GNU OpenMP reads OMP_WAIT_POLICY once, when the runtime is loaded (here, by
    the first kernel import).  Its default spins a finished thread for a while
    before it sleeps; on a machine where other processes want the CPUs, a
    spinning team member takes the CPU from the one still working, and a call
    on two threads became several times slower than on one.  Passive waiting
    costs a wake-up of a few microseconds per parallel region, and regions
    start only above a millisecond of work.  A policy the user set is kept;
    the variable is removed again, so child processes see the environment
    they were given.  (A runtime that another library loaded first keeps its
    own setting.)
    """
    unset = "OMP_WAIT_POLICY" not in os.environ
    if unset:
        os.environ["OMP_WAIT_POLICY"] = "passive"
    try:
        from ._core import _kernels  # type: ignore[attr-defined]
        try:
            from ._core import _kernels_avx2  # type: ignore[attr-defined]
        except ImportError:
            _kernels_avx2 = None
    finally:
        if unset:
            os.environ.pop("OMP_WAIT_POLICY", None)
    return _kernels, _kernels_avx2


_baseline_kernels, _avx2_kernels = _import_kernels()


def _select_kernels():
    """The AVX2 build of the kernels when the CPU has AVX2, else the baseline one,
    and the reason, in words (``show_config`` reports it).

    ``GRADIENT_EXT_KERNELS=baseline`` forces the baseline build (for testing).
    Both compute the same operations, so the choice changes speed, not bits.
    """
    if os.environ.get("GRADIENT_EXT_KERNELS", "") == "baseline":
        return _baseline_kernels, "GRADIENT_EXT_KERNELS=baseline is set"
    if _avx2_kernels is None:
        return _baseline_kernels, "this installation has no AVX2 build (not x86-64)"
    try:
        from numpy._core._multiarray_umath import __cpu_features__  # type: ignore
    except ImportError:
        return _baseline_kernels, "numpy does not report the CPU's features"
    if __cpu_features__.get("AVX2"):
        return _avx2_kernels, "the CPU reports AVX2"
    return _baseline_kernels, "the CPU does not report AVX2"


kernels, KERNELS_REASON = _select_kernels()


def _usable_cpus():
    try:
        return len(os.sched_getaffinity(0))
    except (AttributeError, OSError):
        return os.cpu_count() or 1


# Measured once: default_threads() caps by it too, so workers=-1 and None agree.
USABLE_CPUS = _usable_cpus()
kernels.set_usable_cpus(USABLE_CPUS)
# GRADIENT_EXT_LOAD_AWARE=1: workers=None takes only the CPUs idle when a parallel
# region starts.  Off by default: on an idle machine the runnable count read at a
# region's start can include this process's own just-finished team, and calls
# fell back to one thread (1e6 uneven coordinates: 0.7 -> 1.2 ms).
kernels.set_load_aware(os.environ.get("GRADIENT_EXT_LOAD_AWARE", "0") not in ("", "0"))


def _streaming_override():
    """``GRADIENT_EXT_STREAMING_THRESHOLDS=BYTES,LINE_BYTES`` (for testing): stream
    calls writing at least BYTES in lines of at least LINE_BYTES; ``0,0`` takes the
    streaming-store path on every call it applies to, however small.  Read once,
    here; unset, the kernels keep their own thresholds (16 MiB, 4 KiB lines)."""
    value = os.environ.get("GRADIENT_EXT_STREAMING_THRESHOLDS", "")
    if not value:
        return None
    try:
        min_bytes, min_line_bytes = (int(v) for v in value.split(","))
    except ValueError:
        raise ValueError("GRADIENT_EXT_STREAMING_THRESHOLDS must be BYTES,LINE_BYTES, "
                         f"not {value!r}") from None
    return min_bytes, min_line_bytes


STREAMING_OVERRIDE = _streaming_override()
if STREAMING_OVERRIDE is not None:
    kernels.set_streaming_thresholds(*STREAMING_OVERRIDE)

# numpy's own gradient, captured before anything can patch numpy.gradient: the
# exact path, duck-array dispatch, the oracle and the bench call it, and must
# never reach gradient_ext.  A re-import while numpy is patched finds it on the
# installed function (_patch).
NUMPY_GRADIENT = getattr(np.gradient, "_numpy_gradient", np.gradient)
