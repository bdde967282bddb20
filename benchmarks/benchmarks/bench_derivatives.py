"""derivative(n>1) and laplacian against findiff, numpy.gradient twice and the floor.

The rows of the bench's derivatives table (gradient_ext._bench.cases.DERIVATIVE_CASES),
with the same contenders (derivative_rows.derivative_contenders): gradient_ext,
into a preallocated out=, findiff's reused operator (skipped where findiff is
not installed), numpy.gradient applied twice (skipped on periodic rows) and
np.copyto into a preallocated array.  The dask Laplacian rows are in bench_dask.
"""

from gradient_ext._bench.cases import DERIVATIVE_CASES, case_named
from gradient_ext._bench.derivative_rows import derivative_contenders

from .common import _Contenders


class Derivatives(_Contenders):
    """Each derivatives row's contenders, timed one by one."""

    params = [[case.name for case in DERIVATIVE_CASES]]
    param_names = ["case"]

    def setup(self, name):
        self.contenders = derivative_contenders(case_named(name, DERIVATIVE_CASES))

    def time_findiff(self, name):
        self._time("findiff")

    def time_numpy_twice(self, name):
        self._time("numpy twice")

    def time_floor_out(self, name):
        self._time("floor out=")
