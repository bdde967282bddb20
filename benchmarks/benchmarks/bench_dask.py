"""Dask arrays: gradient_ext.gradient against dask.array.gradient, computed.

The cases of the dask rows of `python -m gradient_ext bench`: 6000x6000
float64 in 1000x1000 chunks, all axes, threaded scheduler (compute, and
persist without dask's final concatenation), edge_order=2, coordinates
(dask arrays for gradient_ext, numpy arrays for dask, which has no dask
coordinates), and a 2-process distributed LocalCluster.  Skipped without dask.
"""

import numpy as np

import gradient_ext

try:
    import dask
    import dask.array as da
except ImportError:        # asv skips a benchmark whose setup raises NotImplementedError
    dask = da = None

SHAPE, CHUNKS, SEED = (6000, 6000), 1000, 20240607
_DATA = {}


def _data():
    if "a" not in _DATA:
        a = np.random.default_rng(SEED).standard_normal(SHAPE)
        rng = np.random.default_rng(SEED + 1)
        coords = [np.cumsum(rng.random(n) + 0.5) for n in SHAPE]
        _DATA.update(a=a, x=da.from_array(a, chunks=CHUNKS), coords=coords,
                     dcoords=[da.from_array(c, chunks=CHUNKS) for c in coords])
    return _DATA


class DaskThreads:
    """Threaded scheduler; `mode` compute concatenates the blocks, persist keeps them."""

    params = [["unit", "edge_order=2", "coords"], ["compute", "persist"]]
    param_names = ["spacing", "mode"]
    timeout = 300

    def setup(self, spacing, mode):
        if da is None:
            raise NotImplementedError("dask is not installed")
        d = _data()
        self.x, self.a = d["x"], d["a"]
        self.ours, self.theirs, self.kw = (), (), {}
        if spacing == "edge_order=2":
            self.kw = {"edge_order": 2}
        elif spacing == "coords":
            self.ours, self.theirs = tuple(d["dcoords"]), tuple(d["coords"])
        self.run = dask.persist if mode == "persist" else dask.compute
        self._config = dask.config.set(scheduler="threads")
        self._config.__enter__()

    def teardown(self, spacing, mode):
        self._config.__exit__(None, None, None)

    def time_gradient_ext(self, spacing, mode):
        self.run(*gradient_ext.gradient(self.x, *self.ours, **self.kw))

    def time_dask(self, spacing, mode):
        self.run(*da.gradient(self.x, *self.theirs, **self.kw))

    def time_in_memory_gradient_ext(self, spacing, mode):
        gradient_ext.gradient(self.a, *self.theirs, **self.kw)

    def peakmem_gradient_ext(self, spacing, mode):
        self.run(*gradient_ext.gradient(self.x, *self.ours, **self.kw))

    def peakmem_dask(self, spacing, mode):
        self.run(*da.gradient(self.x, *self.theirs, **self.kw))


class DaskCluster:
    """A 2-process LocalCluster; input generated and gradients persisted on the workers."""

    timeout = 600

    def setup(self):
        if da is None:
            raise NotImplementedError("dask is not installed")
        try:
            from distributed import Client, LocalCluster, wait
        except ImportError:
            raise NotImplementedError("distributed is not installed") from None
        self.cluster = LocalCluster(n_workers=2, processes=True, threads_per_worker=1,
                                    dashboard_address=None)
        self.client = Client(self.cluster)
        self.wait = wait
        self.x = da.random.default_rng(SEED).standard_normal(SHAPE, chunks=CHUNKS).persist()
        wait(self.x)

    def teardown(self):
        self.client.close()
        self.cluster.close()

    def _persist(self, grad):
        kept = self.client.persist(list(grad(self.x)))
        self.wait(kept)

    def time_gradient_ext(self):
        self._persist(gradient_ext.gradient)

    def time_dask(self):
        self._persist(da.gradient)
