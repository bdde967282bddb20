"""divergence, curl, mixed_derivative and hessian against numpy, findiff and the floor.

The rows of the bench's operators table (gradient_ext._bench.cases.OPERATOR_CASES),
with the same contenders (operator_rows.operator_contenders): gradient_ext, into
a preallocated out=, numpy.gradient composed, findiff's reused operators
(skipped where findiff is not installed) and the floor of the same bytes.
"""

from gradient_ext._bench.cases import OPERATOR_CASES, case_named
from gradient_ext._bench.operator_rows import operator_contenders

from .common import _Contenders


class Operators(_Contenders):
    """Each operators row's contenders, timed one by one."""

    params = [[case.name for case in OPERATOR_CASES]]
    param_names = ["case"]

    def setup(self, name):
        self.contenders = operator_contenders(case_named(name, OPERATOR_CASES))

    def time_numpy(self, name):
        self._time("numpy")

    def time_findiff(self, name):
        self._time("findiff")

    def time_floor_out(self, name):
        self._time("floor out=")
