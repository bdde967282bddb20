"""gradient_ext: a compiled, bit-identical drop-in for numpy.gradient.

>>> from gradient_ext import gradient      # instead of numpy.gradient

Same arguments, same return types, same bits as ``numpy.gradient`` (NumPy 2.x),
computed by Cython kernels in one pass over memory, without the GIL, optionally
on several threads (``workers=``), into preallocated arrays (``out=``).

``derivative(f, n=2)`` gives higher derivatives (n = 1..4, ``n=1`` is
``gradient``), ``laplacian(f)`` the sum of the second derivatives;
``mixed_derivative``, ``hessian``, ``divergence`` and ``curl`` the operators
over several axes or fields, each in one pass.

``gradient_ext.patch_numpy()`` (or ``with gradient_ext.patched_numpy():``, or
``GRADIENT_EXT_PATCH_NUMPY=1`` in the environment at import) makes
``numpy.gradient`` itself this function, for code that calls numpy's.

``import gradient_ext.xarray`` registers the ``.gx`` accessor on xarray's
DataArray and Dataset (derivatives by dimension name, periodic dimensions);
``import gradient_ext`` registers it too when xarray is already imported.
``gradient_ext.show_config()`` (or ``python -m gradient_ext info``) prints the
build and runtime report a bug report needs.
"""

import os as _os
import sys as _sys

from ._api import clear_weight_cache, gradient, openmp_info
from ._derivatives import derivative, laplacian
from ._operators import curl, divergence, hessian, mixed_derivative
from ._patch import is_patched, patch_numpy, patched_numpy, restore_numpy
from ._show_config import show_config

__all__ = ["gradient", "derivative", "laplacian", "mixed_derivative", "hessian", "divergence",
           "curl", "openmp_info", "clear_weight_cache",
           "patch_numpy", "restore_numpy", "patched_numpy", "is_patched", "show_config"]
__version__ = "0.1.0"

if _os.environ.get("GRADIENT_EXT_PATCH_NUMPY", "0") not in ("", "0"):
    patch_numpy()

# The accessor, when xarray is already imported (fully: its registration function
# exists); gradient_ext never imports xarray itself.
if hasattr(_sys.modules.get("xarray"), "register_dataarray_accessor"):
    from . import xarray as _xarray
