"""numpy.gradient on padded data: boundary= beyond one-sided where no kernel computes.

For the inputs numpy itself must compute (float16, longdouble, object data,
exotic spacings, ...), a periodic or np.pad-mode axis has its definition as
the result: numpy.gradient on the data padded by one element at each end of
every such axis (wrapped, or by the np.pad mode of that name, axis after axis
in increasing order as np.pad pads), with the padded coordinates the planner
built, trimmed back to the input's shape.  Bit-identical by construction; it
copies, as the kernels never do.
"""

import numpy as np

from ._dispatch import copy_into


def pad_axes(f, pads, width=1):
    """f padded by `width` elements at each end of each axis of `pads` ((axis, name,
    constant or None) per axis, the planner's), axis after axis in increasing order."""
    for ax, name, constant in sorted(pads, key=lambda p: p[0]):
        widths = [(width, width) if a == ax else (0, 0) for a in range(f.ndim)]
        if name == "constant":
            f = np.pad(f, widths, mode="constant", constant_values=constant[0])
        else:
            f = np.pad(f, widths, mode="wrap" if name == "periodic" else name)
    return f


def padded_numpy_gradient(numpy_gradient, f, call):
    """`call` is the planner's NumpyCall with `pads` and `varargs` set."""
    padded_axes = {ax for ax, _, _ in call.pads}
    padded = pad_axes(f, call.pads)
    result = numpy_gradient(padded, *call.varargs, axis=call.axes, edge_order=call.edge_order)
    results = (result,) if len(call.axes) == 1 else tuple(result)
    trim = tuple(slice(1, -1) if ax in padded_axes else slice(None) for ax in range(f.ndim))
    results = tuple(r[trim] for r in results)
    if call.outs is None:
        # the layout numpy would give the unpadded input
        results = tuple(np.array(r, order="K", copy=True) for r in results)
        return results[0] if len(call.axes) == 1 else results
    return copy_into(call.outs, results[0] if len(call.axes) == 1 else results, len(call.axes))
