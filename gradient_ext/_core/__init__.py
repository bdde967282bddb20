"""The compiled core: one Cython compilation unit per CPU build.

``_kernels`` (baseline instruction set) and ``_kernels_avx2`` both compile
``_kernel_build.pxi``, which includes the layers in reading order:
``stencils/`` (arithmetic on one run of outputs), ``running/`` (threads,
tiling, streaming stores) and ``planning/`` (numpy.gradient's decisions, the
schemes, outputs).  ``gradient_ext._runtime`` picks the build the CPU runs.
"""
