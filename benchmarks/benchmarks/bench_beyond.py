"""boundary="periodic" and accuracy > 2 against their references (issue 8)."""

import numpy as np

from gradient_ext import gradient

try:
    import findiff
except ImportError:          # the asv environment may lack it: those rows skip
    findiff = None


class PeriodicVsPad:
    """1-D 1e6: boundary="periodic" vs the np.pad(wrap)+np.gradient+slice workaround."""

    def setup(self):
        self.f = np.random.default_rng(0).standard_normal(10**6)

    def time_gradient_ext_periodic(self):
        gradient(self.f, 1e-3, boundary="periodic")

    def time_gradient_ext_one_sided(self):
        gradient(self.f, 1e-3)

    def time_numpy_pad_workaround(self):
        np.gradient(np.pad(self.f, 1, mode="wrap"), 1e-3)[1:-1]


class HigherAccuracy:
    """accuracy=4 vs findiff: 1-D 1e6 uniform, 2-D 2000x2000, 1-D 1e5 uneven."""

    params = [["1d-uniform", "2d-uniform", "1d-uneven"]]
    param_names = ["case"]

    def setup(self, case):
        rng = np.random.default_rng(0)
        if case == "1d-uniform":
            self.f, self.sp, self.axes = rng.standard_normal(10**6), (1e-3,), (0,)
        elif case == "2d-uniform":
            self.f, self.sp, self.axes = rng.standard_normal((2000, 2000)), (1e-3,), (0, 1)
        else:
            x = np.cumsum(rng.uniform(0.5, 1.5, 10**5))
            self.f, self.sp, self.axes = np.sin(x * 1e-3), (x,), (0,)
        self.diffs = None if findiff is None else [
            findiff.Diff(a, self.sp[0], acc=4) for a in self.axes]

    def time_gradient_ext(self, case):
        gradient(self.f, *self.sp, accuracy=4)

    def time_findiff(self, case):
        if self.diffs is None:
            raise NotImplementedError("findiff not installed")
        for d in self.diffs:
            d(self.f)
