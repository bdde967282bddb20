"""numpy.gradient on wrap-padded data: boundary="periodic" where no kernel computes.

For the inputs numpy itself must compute (float16, longdouble, object data,
exotic spacings, ...), the periodic result is its definition: numpy.gradient
on the data padded by one wrapped element at each end of every periodic axis,
with the padded coordinates the planner built, trimmed back to the input's
shape.  Bit-identical by construction; it copies, as the kernels never do.
"""

import numpy as np

from ._dispatch import copy_into


def periodic_numpy_gradient(numpy_gradient, f, call):
    """`call` is the planner's NumpyCall with `wrap` (axes) and `varargs` set."""
    pad = [(1, 1) if ax in call.wrap else (0, 0) for ax in range(f.ndim)]
    padded = np.pad(f, pad, mode="wrap")
    result = numpy_gradient(padded, *call.varargs, axis=call.axes, edge_order=call.edge_order)
    results = (result,) if len(call.axes) == 1 else tuple(result)
    trim = tuple(slice(1, -1) if ax in call.wrap else slice(None) for ax in range(f.ndim))
    results = tuple(r[trim] for r in results)
    if call.outs is None:
        # the layout numpy would give the unpadded input
        results = tuple(np.array(r, order="K", copy=True) for r in results)
        return results[0] if len(call.axes) == 1 else results
    return copy_into(call.outs, results[0] if len(call.axes) == 1 else results, len(call.axes))
