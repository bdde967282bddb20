"""What every benchmark class shares: seeded cached inputs and the four measurements.

Inputs come from gradient_ext._bench.engine.build_input, the same generator as the
`python -m gradient_ext bench` table, so asv and the table time the same data.
"""

import numpy as np

import gradient_ext
from gradient_ext._bench.engine import Case, build_input, settle_allocator

_INPUTS = {}
settle_allocator()   # same steady allocator state as the speed table


def cached_input(case):
    """(f, varargs) for `case`, built once per process: setup runs per benchmark."""
    if case not in _INPUTS:
        _INPUTS[case] = build_input(case)
    return _INPUTS[case]


class _NumpyVsExt:
    """numpy and gradient_ext timed (and their peak memory measured) side by side.

    Subclasses set `params`/`param_names` and call `prepare(...)` from `setup`.
    The leading underscore keeps asv from collecting this base class itself.
    """

    def prepare(self, shape, dtype="float64", layout="C", axis=None,
                spacing="unit", edge_order=1, workers=1):
        case = Case("asv", tuple(shape), dtype, layout,
                    None if axis == "all" else axis, spacing, edge_order, workers)
        self.f, self.varargs = cached_input(case)
        self.kw = {"axis": case.axis, "edge_order": edge_order}
        self.workers = workers

    def time_numpy(self, *params):
        np.gradient(self.f, *self.varargs, **self.kw)

    def time_gradient_ext(self, *params):
        gradient_ext.gradient(self.f, *self.varargs, workers=self.workers, **self.kw)

    def peakmem_numpy(self, *params):
        np.gradient(self.f, *self.varargs, **self.kw)

    def peakmem_gradient_ext(self, *params):
        gradient_ext.gradient(self.f, *self.varargs, workers=self.workers, **self.kw)
