"""gradient_ext: a compiled, bit-identical drop-in for numpy.gradient.

>>> from gradient_ext import gradient      # instead of numpy.gradient

Same arguments, same return types, same bits as ``numpy.gradient`` (NumPy 2.x),
computed by Cython kernels in one pass over memory, without the GIL, optionally
on several threads (``workers=``), into preallocated arrays (``out=``).
"""

from ._api import gradient, openmp_info

__all__ = ["gradient", "openmp_info"]
__version__ = "0.1.0"
