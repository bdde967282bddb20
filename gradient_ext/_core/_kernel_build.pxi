# Compiled finite-difference kernels of gradient_ext: the layers, in reading order.
#
# This file is included by ``_kernels.pyx`` (compiled for any CPU of the
# platform) and ``_kernels_avx2.pyx`` (compiled with AVX2: wider vectors, the
# same operations, so the same bits; no FMA, ``-ffp-contract=off``).
# ``gradient_ext._runtime`` imports the build the CPU runs.  The folders are the
# layers; the includes at the bottom follow their dependencies:
#
# running/_threads.pxi        OpenMP shims, fork safety, team_size(): the one gate
#                             every parallel region takes its thread count from.
# stencils/                   arithmetic on one run of outputs
#   _elements.pxi             element types, the per-axis plan (``AxisPlan``), dtype -> kernel.
#   _real_stencils.pxi        real differences, 3-point combinations with constant,
#                             on-the-fly or precomputed coefficients.
#   _complex_stencils.pxi     the same for complex data, as numpy's complex loops compute them.
#   _dispatch.pxi             one operation, dispatched on element type and precision.
#   _tap_stencils.pxi         k-tap combinations (accuracy > 2), every element type.
#   _tap_tiling.pxi           which taps and weights each output of a k-tap axis uses
#                             (central, one-sided or wrapped around a periodic axis).
#   _uneven_weights.pxi       Fornberg weights of uneven coordinates, in closed form.
#   _derivative_weights.pxi   ... and of the n-th derivative (n = 2..4), Fornberg's recursion.
# running/                    how the work is laid out and run
#   _streaming.pxi            non-temporal stores for outputs far larger than the caches.
#   _tiling.pxi               arrays viewed as lines, units of work, the sweep over all
#                             axes, threads chosen by the cost of the work.
#   _nan_runs.pxi             nan="split": after each unit's sweep, its outputs near
#                             non-finite values recomputed on their runs (included after
#                             planning/_plans.pxi, whose edge formulas it shares).
# planning/                   what to compute
#   _outputs.pxi              output allocation and ``out=`` validation.
#   _arguments.pxi            numpy.gradient's reading of the arguments, in numpy's order:
#                             axes, spacings (the even-coordinate collapse), edge_order, workers.
#   _plans.pxi                filling an ``AxisPlan`` from numpy's coefficients, in the
#                             precision NEP 50 gives.
#   _weight_cache.pxi         the bounded, thread-safe cache of uneven weight tables.
#   _schemes.pxi              boundary=, period=, accuracy=, n=: reading them, wrapped
#                             coordinates, the stencils' sizes, the k-tap weight tables.
#   _axis_plans.pxi           the per-axis loop (too-small check, plans) and the sweep.
#   _entry_points.pxi         ``gradient_call``, ``read_call``, ``kernel_gradient``,
#                             ``terms_call``.
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
from cpython.long cimport PyLong_AsLongAndOverflow
from libc.math cimport fabs, NAN
from libc.string cimport memcpy, memcmp, memset
from libc.stdint cimport (int8_t, int16_t, int32_t, int64_t,
                          uint8_t, uint16_t, uint32_t, uint64_t)
cimport numpy as cnp
import numpy as np

cnp.import_array()

include "running/_threads.pxi"
include "stencils/_elements.pxi"
include "running/_streaming.pxi"
include "stencils/_real_stencils.pxi"
include "stencils/_complex_stencils.pxi"
include "stencils/_dispatch.pxi"
include "stencils/_tap_stencils.pxi"
include "stencils/_tap_tiling.pxi"
include "stencils/_uneven_weights.pxi"
include "stencils/_derivative_weights.pxi"
include "running/_tiling.pxi"
include "planning/_outputs.pxi"
include "planning/_arguments.pxi"
include "planning/_plans.pxi"
include "running/_nan_runs.pxi"
include "planning/_weight_cache.pxi"
include "planning/_schemes.pxi"
include "planning/_axis_plans.pxi"
include "planning/_entry_points.pxi"
