"""Dask arrays: gradient_ext.gradient (and laplacian) against dask.array.gradient.

The dask rows of `python -m gradient_ext bench` (gradient_ext._bench.cases.DASK_CASES:
6000x6000 float64 in 1000x1000 chunks, all axes), with their inputs and
contenders (gradient_ext._bench.dask_rows): the threaded scheduler over every
spacing, the Laplacian (against dask.array.gradient twice per axis, summed) and
mode (compute concatenates the blocks, persist keeps them), and a
2-process distributed LocalCluster.  Skipped without dask.
"""

import contextlib
import dataclasses
import functools
import importlib

from gradient_ext._bench.cases import DASK_CASES, dask_input
from gradient_ext._bench.dask_rows import cluster_contenders, cluster_input, threaded_contenders

_BASE = DASK_CASES[0]
_VARIANTS = {"unit": {}, "edge_order=2": {"edge_order": 2}, "coords": {"spacing": "coords"},
             "laplacian": {"op": "laplacian"}}
_cached_input = functools.lru_cache(maxsize=1)(dask_input)     # one 288 MB input at a time


def _require(*modules):
    """Skip the benchmark (asv: setup raises NotImplementedError) without `modules`."""
    for module in modules:
        try:
            importlib.import_module(module)
        except ImportError:
            raise NotImplementedError(f"{module} is not installed") from None


class DaskThreads:
    """Threaded scheduler; `mode` compute concatenates the blocks, persist keeps them."""

    params = [list(_VARIANTS), ["compute", "persist"]]
    param_names = ["variant", "mode"]
    timeout = 300

    def setup(self, variant, mode):
        _require("dask.array")
        import dask

        case = dataclasses.replace(_BASE, name=f"asv {variant} {mode}", run=mode,
                                   **_VARIANTS[variant])
        self.contenders = threaded_contenders(case, _cached_input(case))
        self._config = dask.config.set(scheduler="threads")
        self._config.__enter__()

    def teardown(self, variant, mode):
        self._config.__exit__(None, None, None)

    def time_gradient_ext(self, variant, mode):
        self.contenders["gradient_ext"]()

    def time_dask(self, variant, mode):
        self.contenders["dask"]()

    def time_in_memory_gradient_ext(self, variant, mode):
        self.contenders["in-memory gradient_ext"]()

    peakmem_gradient_ext = time_gradient_ext      # the same calls, for peak memory
    peakmem_dask = time_dask


class DaskCluster:
    """A 2-process LocalCluster; input generated and gradients persisted on the workers."""

    timeout = 600

    def setup(self):
        _require("dask.array", "distributed")
        self._stack = contextlib.ExitStack()
        client, x = self._stack.enter_context(cluster_input(_BASE))
        self.contenders = cluster_contenders(client, x)

    def teardown(self):
        self._stack.close()

    def time_gradient_ext(self):
        self.contenders["gradient_ext"]()

    def time_dask(self):
        self.contenders["dask"]()
