"""1-D arrays: how the speedup grows with size, for each spacing form and edge order."""

from .common import _NumpyVsExt


class Gradient1D(_NumpyVsExt):
    """float64 vectors from call-overhead size (1e2) to memory-bound size (1e7)."""

    params = [
        [10**2, 10**3, 10**4, 10**5, 10**6, 10**7],
        ["unit", "uniform", "coords"],
        [1, 2],
    ]
    param_names = ["n", "spacing", "edge_order"]

    def setup(self, n, spacing, edge_order):
        self.prepare((n,), spacing=spacing, edge_order=edge_order)


class GradientSmall(_NumpyVsExt):
    """Tiny arrays, where the Python-level overhead of both functions dominates."""

    params = [[(3,), (10,), (3, 3), (64, 64), (16, 16, 16)]]
    param_names = ["shape"]

    def setup(self, shape):
        self.prepare(shape)
