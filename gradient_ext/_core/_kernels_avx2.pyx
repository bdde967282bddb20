# cython: freethreading_compatible = True
"""The kernels compiled with AVX2 vectors (see _kernel_build.pxi); used when the CPU has AVX2."""
include "_kernel_build.pxi"
