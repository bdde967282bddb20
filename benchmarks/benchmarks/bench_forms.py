"""Call forms against their fast-path twins, and large calls writing into out=.

The forms, their inputs and the out= cases are rows of the `python -m gradient_ext
bench` tables (gradient_ext._bench.cases: FORMS, CASES); the out= cases are the
speed targets: threads on compute- and memory-bound calls, and single axes
against the allocation-free floor (np.copyto / fill into preallocated arrays).
"""

import gradient_ext
from gradient_ext._bench.cases import CASES, FORMS, case_named, form_inputs
from gradient_ext._bench.timing import floor_out_callable, preallocated_out
from gradient_ext._runtime import NUMPY_GRADIENT

from .common import cached_input

_TWINNED = {form.name: form for form in FORMS if form.twin is not None}
_SOLO = {form.name: form for form in FORMS if form.twin is None}


class CallFormsNoTwin:
    """Forms timed against numpy only (a list of ten Python floats)."""

    params = [list(_SOLO)]
    param_names = ["form"]
    forms = _SOLO

    def setup(self, name):
        self.form, self.d = self.forms[name], form_inputs()

    def time_numpy(self, name):
        self.form.call(NUMPY_GRADIENT, self.d)

    def time_gradient_ext(self, name):
        self.form.call(gradient_ext.gradient, self.d)


class CallForms(CallFormsNoTwin):
    """Each spelling (time_gradient_ext) next to the fast-path call it equals (time_twin)."""

    params = [list(_TWINNED)]
    forms = _TWINNED

    def time_twin(self, name):
        self.form.twin(gradient_ext.gradient, self.d)


OUT_CASES = ["1-D n=1e6 coordinates", "1-D n=1e7", "2-D 2000x2000 all axes",
             "2-D 2000x2000 axis 0 C", "2-D 2000x2000 axis 1 C", "2-D 2000x2000 axis 0 F",
             "2-D 2000x2000 axis 1 F"]


class OutArrays:
    """gradient_ext into preallocated out= arrays, and the allocation-free floor.

    time_floor_out is np.copyto of f into a preallocated array plus .fill of
    one preallocated array per further axis; it does not depend on workers.
    """

    params = [OUT_CASES, [1, 2]]
    param_names = ["case", "workers"]

    def setup(self, name, workers):
        case = case_named(name, CASES)
        self.f, self.varargs = cached_input(case)
        self.kw = case.numpy_kwargs()
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
