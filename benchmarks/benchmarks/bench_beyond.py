"""boundary="periodic" and accuracy > 2 against their references.

The rows of the bench's beyond-numpy table (gradient_ext._bench.cases.BEYOND_CASES),
with the same contenders (beyond_rows.beyond_contenders): gradient_ext, into
out= where the row has it, its reference (numpy's pad-and-slice workaround, or
findiff: skipped where findiff is not installed) and its baseline.
"""

from gradient_ext._bench.beyond_rows import beyond_contenders
from gradient_ext._bench.cases import BEYOND_CASES, case_named

from .common import _Contenders


class BeyondNumpy(_Contenders):
    """Each beyond-numpy row's contenders, timed one by one."""

    params = [[case.name for case in BEYOND_CASES]]
    param_names = ["case"]

    def setup(self, name):
        self.contenders = beyond_contenders(case_named(name, BEYOND_CASES))[0]

    def time_reference(self, name):
        self._time("reference")

    def time_baseline(self, name):
        self._time("baseline")
