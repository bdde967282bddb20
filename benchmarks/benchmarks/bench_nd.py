"""N-D arrays: all axes or one, in every memory layout, every kernel dtype."""

from .common import _NumpyVsExt


class GradientAxes(_NumpyVsExt):
    """float64 2-D and 3-D arrays: C and Fortran order, strided slices, reversed.

    A single axis along the contiguous dimension and one across it stress
    different loops, so both are here (axis 0 and axis -1), next to all axes.
    """

    params = [
        [(2000, 2000), (200, 200, 200)],
        ["C", "F", "slice", "reversed"],
        ["all", 0, -1],
    ]
    param_names = ["shape", "layout", "axis"]

    def setup(self, shape, layout, axis):
        self.prepare(shape, layout=layout, axis=axis)


class GradientDtypes(_NumpyVsExt):
    """Each dtype with a kernel, with scalar and coordinate spacing, edge order 1 and 2."""

    params = [
        ["float32", "float64", "complex128", "int64"],
        [(10**6,), (1000, 1000)],
        ["uniform", "coords"],
        [1, 2],
    ]
    param_names = ["dtype", "shape", "spacing", "edge_order"]

    def setup(self, dtype, shape, spacing, edge_order):
        self.prepare(shape, dtype=dtype, spacing=spacing, edge_order=edge_order)


class GradientWorkers(_NumpyVsExt):
    """One thread against all CPUs (workers=-1); numpy, single-threaded, for scale."""

    params = [
        [(10**5,), (10**7,), (2000, 2000), (200, 200, 200)],
        [1, -1],
    ]
    param_names = ["shape", "workers"]

    def setup(self, shape, workers):
        self.prepare(shape, workers=workers)
