"""Runtime facts every layer may read: the kernel build this CPU runs, numpy's own
gradient, and the CPUs this process may use.

A leaf: it imports numpy and the compiled core, nothing else of gradient_ext, so
any module (the public API, the integrations, the bench) can import it without
an import cycle.
"""

import os

import numpy as np

from ._core import _kernels as _baseline_kernels  # type: ignore[attr-defined]


def _select_kernels():
    """The AVX2 build of the kernels when the CPU has AVX2, else the baseline one.

    ``GRADIENT_EXT_KERNELS=baseline`` forces the baseline build (for testing).
    Both compute the same operations, so the choice changes speed, not bits.
    """
    if os.environ.get("GRADIENT_EXT_KERNELS", "") == "baseline":
        return _baseline_kernels
    try:
        from numpy._core._multiarray_umath import __cpu_features__  # type: ignore
        from ._core import _kernels_avx2  # type: ignore[attr-defined]
    except ImportError:
        return _baseline_kernels
    return _kernels_avx2 if __cpu_features__.get("AVX2") else _baseline_kernels


kernels = _select_kernels()


def _usable_cpus():
    try:
        return len(os.sched_getaffinity(0))
    except (AttributeError, OSError):
        return os.cpu_count() or 1


# Measured once: default_threads() caps by it too, so workers=-1 and None agree.
USABLE_CPUS = _usable_cpus()
kernels.set_usable_cpus(USABLE_CPUS)


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
