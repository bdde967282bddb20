# Compiled finite-difference kernels of gradient_ext: the layers, in reading order.
#
# This file is included by ``_kernels.pyx`` (compiled for any CPU of the
# platform) and ``_kernels_avx2.pyx`` (compiled with AVX2: wider vectors, the
# same operations, so the same bits; no FMA, ``-ffp-contract=off``).  ``_api``
# imports the build the CPU runs.  Read the layers bottom-up:
#
# ``_threads.pxi``           OpenMP shims, fork safety, the default thread count.
# ``_elements.pxi``          element types, the per-axis plan (``AxisPlan``), dtype -> kernel.
# ``_streaming.pxi``         non-temporal stores for outputs far larger than the caches.
# ``_real_stencils.pxi``     real arithmetic on one run of outputs: differences, 3-point
#                            combinations with constant, on-the-fly or precomputed coefficients.
# ``_complex_stencils.pxi``  the same for complex data, as numpy's complex loops compute them.
# ``_dispatch.pxi``          one operation, dispatched on element type and precision.
# ``_tap_stencils.pxi``      k-tap combinations (accuracy > 2), every element type.
# ``_tap_tiling.pxi``        which taps and weights each output of a k-tap axis uses
#                            (central, one-sided or wrapped around a periodic axis).
# ``_tiling.pxi``            the geometry: arrays viewed as lines, units of work, the sweep
#                            over all axes, threads chosen by the cost of the work.
# ``_outputs.pxi``           output allocation and ``out=`` validation.
# ``_plans.pxi``             filling an ``AxisPlan`` from numpy's coefficients.
# ``_schemes.pxi``           (included by the planner) boundary=, period=, accuracy=:
#                            reading them, wrapped coordinates, the k-tap weights.
# ``_planner.pxi``           numpy.gradient's decisions for every call form, and the entry
#                            points ``gradient_call`` and ``kernel_gradient``.
#
# Bit-identity with numpy is a property of this code, not luck:
#
# * each output element is computed with the same operations, in the same order
#   and the same precision as numpy's whole-array expressions
#   (``(f[i+1] - f[i-1]) / (2h)``, ``(a*f0 + b*f1) + c*f2``, true division);
# * the difference ``f[i+1] - f[i-1]`` is taken in the input's own precision
#   (float32 stays float32, integers are widened to float64 first, as numpy
#   converts them), and only then widened to the computation precision, which
#   follows NEP 50 and is chosen by the planner (``wide`` flags);
# * complex data is divided by a real spacing with numpy's complex division
#   algorithm (a reciprocal ``scl`` times ``re + im*rat``), and multiplied by a
#   real coefficient as ``(c + 0j) * z``, so inf/NaN cross components as in numpy;
# * the build passes ``-ffp-contract=off``: no fused multiply-add.
#
# Kernels take raw pointers and byte strides (as scipy's ``_upfirdn_apply``
# does) rather than typed memoryviews: acquiring two memoryviews costs about
# 0.7 us on this class of machine, half the whole budget of a small call.


from cython.parallel cimport prange
from cpython.mem cimport PyMem_RawMalloc, PyMem_RawFree
from cpython.ref cimport Py_INCREF
from libc.math cimport fabs
from libc.string cimport memcpy
from libc.stdint cimport (int8_t, int16_t, int32_t, int64_t,
                          uint8_t, uint16_t, uint32_t, uint64_t)
cimport numpy as cnp
import numpy as np

cnp.import_array()

include "_threads.pxi"
include "_elements.pxi"
include "_streaming.pxi"
include "_real_stencils.pxi"
include "_complex_stencils.pxi"
include "_dispatch.pxi"
include "_tap_stencils.pxi"
include "_tap_tiling.pxi"
include "_tiling.pxi"
include "_outputs.pxi"
include "_plans.pxi"
include "_planner.pxi"
