"""What the in-memory benchmark classes share: the bench's cases and inputs.

Inputs come from gradient_ext._bench.cases.build_input (the bench's one seed), so
asv and the `python -m gradient_ext bench` table time the same data; numpy's side
is numpy's own gradient (gradient_ext._runtime.NUMPY_GRADIENT), never the
np.gradient that GRADIENT_EXT_PATCH_NUMPY=1 makes gradient_ext's.
"""

import functools

import gradient_ext
from gradient_ext._bench.cases import Case, build_input
from gradient_ext._bench.timing import settle_allocator
from gradient_ext._runtime import NUMPY_GRADIENT

settle_allocator()   # same steady allocator state as the speed table

# (f, varargs) of a case, built once per process: setup runs per benchmark
cached_input = functools.lru_cache(maxsize=None)(build_input)


class _NumpyVsExt:
    """numpy and gradient_ext timed (and their peak memory measured) side by side.

    Subclasses set `params`/`param_names` and call `prepare(...)` from `setup`.
    The leading underscore keeps asv from collecting this base class itself.
    """

    def prepare(self, shape, dtype="float64", layout="C", axis=None,
                spacing="unit", edge_order=1, workers=1):
        case = Case("asv", tuple(shape), dtype, layout,
                    None if axis == "all" else axis, spacing, edge_order, workers)
        self.f, self.varargs = cached_input(case)
        self.kw = case.numpy_kwargs()
        self.workers = workers

    def time_numpy(self, *params):
        NUMPY_GRADIENT(self.f, *self.varargs, **self.kw)

    def time_gradient_ext(self, *params):
        gradient_ext.gradient(self.f, *self.varargs, workers=self.workers, **self.kw)

    # asv names a benchmark by its attribute: the same calls, measured for peak memory
    peakmem_numpy = time_numpy
    peakmem_gradient_ext = time_gradient_ext


class _Contenders:
    """A table row's contenders (a dict of callables, None where one cannot run),
    timed one by one.  Subclasses fill `self.contenders` in `setup`."""

    def _time(self, contender):
        run = self.contenders[contender]
        if run is None:          # asv skips it: no out= form, findiff not installed, ...
            raise NotImplementedError(f"{contender}: not available for this row")
        run()

    def time_gradient_ext(self, name):
        self._time("gradient_ext")

    def time_gradient_ext_out(self, name):
        self._time("gradient_ext out=")
