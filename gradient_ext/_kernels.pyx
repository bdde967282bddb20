# cython: freethreading_compatible = True
"""The kernels compiled for any CPU of the platform (see _stencils.pxi)."""
include "_stencils.pxi"
