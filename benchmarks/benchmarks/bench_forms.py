"""Call forms against their fast-path twins, and large calls writing into out=.

The forms and their inputs are those of the `python -m gradient_ext bench`
call-form table (gradient_ext._bench.engine.FORMS); the out= cases are the issue's
targets: threads on compute- and memory-bound calls, and single axes against
the allocation-free floor (np.copyto / fill into preallocated arrays).
"""

import numpy as np

import gradient_ext
from gradient_ext._bench.engine import (FORMS, Case, floor_out_callable, form_inputs,
                                 preallocated_out)

from .common import cached_input

_TWINNED = {form.name: form for form in FORMS if form.twin is not None}
_SOLO = {form.name: form for form in FORMS if form.twin is None}


class CallForms:
    """Each spelling (time_gradient_ext) next to the fast-path call it equals (time_twin)."""

    params = [list(_TWINNED)]
    param_names = ["form"]

    def setup(self, name):
        self.form, self.d = _TWINNED[name], form_inputs()

    def time_numpy(self, name):
        self.form.call(np.gradient, self.d)

    def time_gradient_ext(self, name):
        self.form.call(gradient_ext.gradient, self.d)

    def time_twin(self, name):
        self.form.twin(gradient_ext.gradient, self.d)


class CallFormsNoTwin:
    """Forms timed against numpy only (a list of ten Python floats)."""

    params = [list(_SOLO)]
    param_names = ["form"]

    def setup(self, name):
        self.form, self.d = _SOLO[name], form_inputs()

    def time_numpy(self, name):
        self.form.call(np.gradient, self.d)

    def time_gradient_ext(self, name):
        self.form.call(gradient_ext.gradient, self.d)


OUT_CASES = {
    "1-D n=1e6 coords": Case("asv", (10**6,), spacing="coords"),
    "1-D n=1e7": Case("asv", (10**7,)),
    "2-D 2000x2000 all axes": Case("asv", (2000, 2000)),
    "2-D 2000x2000 axis 0 C": Case("asv", (2000, 2000), axis=0),
    "2-D 2000x2000 axis 1 C": Case("asv", (2000, 2000), axis=1),
    "2-D 2000x2000 axis 0 F": Case("asv", (2000, 2000), layout="F", axis=0),
    "2-D 2000x2000 axis 1 F": Case("asv", (2000, 2000), layout="F", axis=1),
}


class OutArrays:
    """gradient_ext into preallocated out= arrays, and the allocation-free floor.

    time_floor_out is np.copyto of f into a preallocated array plus .fill of
    one preallocated array per further axis; it does not depend on workers.
    """

    params = [list(OUT_CASES), [1, 2]]
    param_names = ["case", "workers"]

    def setup(self, name, workers):
        case = OUT_CASES[name]
        self.f, self.varargs = cached_input(case)
        self.kw = {"axis": case.axis, "edge_order": case.edge_order}
        naxes = len(case.axes())
        otype = self.f.dtype            # every case is float64: the result dtype too
        self.out = preallocated_out(self.f, naxes, otype)
        self.floor = floor_out_callable(self.f, naxes, otype)
        self.workers = workers

    def time_gradient_ext_out(self, name, workers):
        gradient_ext.gradient(self.f, *self.varargs, workers=self.workers, out=self.out,
                              **self.kw)

    def time_floor_out(self, name, workers):
        self.floor()
