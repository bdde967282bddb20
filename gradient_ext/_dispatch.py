"""One path for every operator: the kernels, then duck arrays, then numpy.

Every public function (``gradient``, ``derivative``, ``laplacian``,
``mixed_derivative``, ``hessian``, ``divergence``, ``curl``) is an `Operator`:

* ``kernel(f, varargs, generic, options)``: the compiled planner's entry (or
  the operator engine on top of it).  It returns the result; None when the
  arguments must be looked at first (``f`` not an ndarray, or a spacing that
  may dispatch under NEP 18); or a ``NumpyCall`` when numpy.gradient itself
  must compute a validated call (gradient only).  With ``generic``, ``f`` has
  been through ``np.asanyarray`` and every spacing is read as numpy reads it.
* ``dask(f, varargs, options)``: the lazy result for dask arrays.
* ``numpy(f, varargs, call, options)``: numpy's own gradient for a NumpyCall,
  or, for duck arrays other than dask (``call`` None), their NEP 18 protocol.
  None for the operators numpy does not have: they refuse such inputs.

A public wrapper calls its kernel once itself (the fast path: no extra Python
frame on small calls) and hands everything else to `general`.  The rules of
the arithmetic (axes, spacings, orders, schemes, output dtypes and checks)
are the planner's (``_core/planning``); nothing here decides them.
"""

import numpy as np

from ._integrations import duck_arrays as _duck_arrays

__all__ = ["Operator", "general", "copy_into"]


class Operator:
    """What the dispatch needs of one public function (see the module's docstring)."""

    __slots__ = ("name", "kernel", "dask", "numpy", "fields")

    def __init__(self, name, kernel, dask, numpy=None, fields=False):
        self.name = name            # for messages: "gradient", "derivative(n=2)", ...
        self.kernel = kernel
        self.dask = dask
        self.numpy = numpy
        self.fields = fields        # f is a sequence of component arrays (divergence, curl)


def general(op, f, varargs, options, result=None):
    """The rest of a call whose first kernel attempt returned `result` (None or a
    NumpyCall): duck arrays, then array-likes made arrays, then numpy itself."""
    if result is None:
        arrays = tuple(f) if op.fields and isinstance(f, (list, tuple)) else (f,)
        if _duck_arrays.overrides_any(arrays, varargs):    # NEP 18 duck arrays, dask arrays
            return _duck_arrays.call(op, f, arrays, varargs, options)
        if not op.fields:
            f = np.asanyarray(f)
        result = op.kernel(f, varargs, True, options)
    if isinstance(result, (np.ndarray, tuple)):
        return result
    return op.numpy(f, varargs, result, options)     # a NumpyCall (of either kernel build)


def copy_into(outs, result, naxes):
    """numpy's result (an array, or a tuple for several axes) copied into out=."""
    results = (result,) if naxes == 1 else result
    for o, r in zip(outs, results):
        np.copyto(o, r, casting="no")
    return outs[0] if naxes == 1 else tuple(outs)
