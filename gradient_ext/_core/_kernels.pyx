# cython: freethreading_compatible = True
"""The kernels compiled for any CPU of the platform (see _kernel_build.pxi)."""
include "_kernel_build.pxi"
