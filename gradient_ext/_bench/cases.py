"""The case table: every row of ``python -m gradient_ext bench`` and of the asv
suite, its seeded input, and the one ``--cases`` matcher.

A row of any table is a :class:`Case` (or, in the call-form table, a
:class:`Form`); :func:`build_input` makes its input from the one :data:`SEED`,
so the table, the asv suite and the demo time and check the same data.
"""

import fnmatch
from dataclasses import dataclass

import numpy as np

__all__ = ["BEYOND_CASES", "CASES", "Case", "DASK_CASES", "DERIVATIVE_CASES", "FORMS", "Form",
           "HAND_CASES", "OPERATOR_CASES", "QUICK_CASES",
           "QUICK_DASK_CASES", "SEED", "build_input", "case_named", "dask_input",
           "form_inputs", "matches", "random_array", "select"]

SEED = 20240607


@dataclass(frozen=True)
class Case:
    """One row: an input array and the arguments of gradient.

    layout is "C", "F" (Fortran order), "slice" (every other element along
    each axis of an array twice the size: non-contiguous) or "reversed"
    (negative strides along every axis).  spacing is "unit" (no varargs),
    "uniform" (one scalar per axis) or "coords" (one uneven coordinate array
    per axis).  accuracy and boundary are gradient_ext's own arguments (the
    beyond-numpy rows), target the goal those rows are held to.  chunks > 0
    makes the input a dask array of chunks x chunks blocks, computed as
    `run` says: "compute" or "persist" on the threaded scheduler, or
    "cluster" (persisted on a 2-process LocalCluster).  op is the function
    timed: "gradient", "derivative" (of order n) or "laplacian"; the
    operators table's "divergence", "curl", "mixed" (n=(1, 1)) and "hessian".
    """

    name: str
    shape: tuple
    dtype: str = "float64"
    layout: str = "C"
    axis: object = None
    spacing: str = "unit"
    edge_order: int = 1
    workers: object = 1         # None: the default team (workers=None)
    accuracy: int = 2
    boundary: str = "one-sided"
    target: str = ""
    chunks: int = 0
    run: str = "compute"
    op: str = "gradient"
    n: int = 1
    nan: str = "propagate"      # "split": the input gets a land mask (`land_mask`)

    def axes(self):
        """The gradient axes, as numpy normalises them."""
        if self.axis is None:
            return tuple(range(len(self.shape)))
        axes = self.axis if isinstance(self.axis, tuple) else (self.axis,)
        return tuple(a % len(self.shape) for a in axes)

    def numpy_kwargs(self):
        """The keyword arguments numpy.gradient and gradient_ext share."""
        return {"axis": self.axis, "edge_order": self.edge_order}

    def ext_kwargs(self):
        """gradient_ext's keyword arguments: numpy's, and its own where not the default."""
        kw = self.numpy_kwargs()
        if self.accuracy != 2:
            kw["accuracy"] = self.accuracy
        if self.boundary != "one-sided":
            kw["boundary"] = self.boundary
        if self.nan != "propagate":
            kw["nan"] = self.nan
        return kw

    def ext_call(self, f, varargs, **extra):
        """gradient_ext's result of the case's op on (f, varargs); extra: out=, workers=."""
        import gradient_ext

        if self.op == "gradient":
            return gradient_ext.gradient(f, *varargs, **self.ext_kwargs(), **extra)
        kw = {"axis": self.axis, "accuracy": self.accuracy, "boundary": self.boundary, **extra}
        if self.op == "divergence":     # the second component: the first one reversed
            return gradient_ext.divergence((f, f[::-1, ::-1]), *varargs,
                                           edge_order=self.edge_order, **kw)
        if self.op == "derivative":
            return gradient_ext.derivative(f, *varargs, n=self.n, **kw)
        return gradient_ext.laplacian(f, *varargs, **kw)


def random_array(rng, shape, dtype):
    """Seeded values of `dtype`: normal floats, normal complex, or ints in +-1000."""
    dtype = np.dtype(dtype)
    if dtype.kind in "iu":
        return rng.integers(-1000, 1000, size=shape).astype(dtype)
    if dtype.kind == "c":
        return (rng.standard_normal(shape) + 1j * rng.standard_normal(shape)).astype(dtype)
    return rng.standard_normal(shape).astype(dtype)


def _arrange(rng, case):
    """An array of case.shape and case.dtype laid out in memory as case.layout says."""
    every_other = tuple(slice(None, None, 2) for _ in case.shape)
    backwards = tuple(slice(None, None, -1) for _ in case.shape)
    if case.layout == "slice":
        return random_array(rng, tuple(2 * n for n in case.shape), case.dtype)[every_other]
    f = random_array(rng, case.shape, case.dtype)
    if case.layout == "F":
        return np.asfortranarray(f)
    if case.layout == "reversed":
        return f[backwards]
    if case.layout != "C":
        raise ValueError(f"unknown layout {case.layout!r}")
    return f


def land_mask(shape, fraction=0.3):
    """A few smooth blobs covering `fraction` of a 2-D grid: the land of an ocean field."""
    y, x = np.mgrid[0:shape[0], 0:shape[1]]
    y, x = y / shape[0], x / shape[1]
    blobs = sum(np.exp(-((x - cx) ** 2 + (y - cy) ** 2) / (2 * r * r))
                for cx, cy, r in [(0.3, 0.3, 0.18), (0.7, 0.6, 0.22), (0.2, 0.8, 0.12),
                                  (0.8, 0.15, 0.1)])
    return blobs > np.quantile(blobs, 1 - fraction)


def build_input(case):
    """Return (f, varargs) for `case` as numpy arrays, the same on every run (seeded)."""
    rng = np.random.default_rng(SEED)
    f = _arrange(rng, case)
    if case.nan == "split":
        f[land_mask(case.shape)] = np.nan
    varargs = []
    for ax in case.axes():
        if case.spacing == "uniform":
            varargs.append(0.25 + ax)
        elif case.spacing == "coords":
            varargs.append(np.cumsum(rng.uniform(0.5, 1.5, case.shape[ax])))
    return f, tuple(varargs)


def dask_input(case):
    """(f, varargs, x, dask_varargs): :func:`build_input`'s arrays, and the same
    as dask arrays in case.chunks blocks (coordinates chunked along their axis)."""
    import dask.array as da

    f, varargs = build_input(case)
    x = da.from_array(f, chunks=case.chunks)
    dask_varargs = tuple(da.from_array(v, chunks=x.chunks[ax]) if np.ndim(v) else v
                         for ax, v in zip(case.axes(), varargs))
    return f, varargs, x, dask_varargs


# ---------------------------------------------------------------------------
# The rows of each table
# ---------------------------------------------------------------------------

CASES = [
    Case("1-D n=1e2", (10**2,)),
    Case("1-D n=1e4", (10**4,)),
    Case("1-D n=1e6", (10**6,)),
    Case("1-D n=1e7", (10**7,)),
    Case("1-D n=1e6 coordinates", (10**6,), spacing="coords"),
    Case("1-D n=1e6 coordinates workers=2", (10**6,), spacing="coords", workers=2),
    Case("1-D n=1e6 edge_order=2", (10**6,), edge_order=2),
    Case("2-D 2000x2000 all axes", (2000, 2000)),
    Case("2-D 2000x2000 axis 0 C", (2000, 2000), axis=0),
    Case("2-D 2000x2000 axis 1 C", (2000, 2000), axis=1),
    Case("2-D 2000x2000 axis 0 F", (2000, 2000), layout="F", axis=0),
    Case("2-D 2000x2000 axis 1 F", (2000, 2000), layout="F", axis=1),
    Case("3-D 200^3 all axes", (200, 200, 200)),
    Case("2-D 64x64 all axes", (64, 64)),
    Case("2-D 2000x2000 all axes workers=2", (2000, 2000), workers=2),
    Case("1-D n=1e6 float32", (10**6,), dtype="float32"),
    Case("2-D 2000x2000 all axes float32", (2000, 2000), dtype="float32"),
    Case("1-D n=1e6 complex128", (10**6,), dtype="complex128"),
    Case("2-D 1000x1000 all axes complex128", (1000, 1000), dtype="complex128"),
    Case("1-D n=1e6 int64", (10**6,), dtype="int64"),
    Case("2-D 2000x2000 all axes int64", (2000, 2000), dtype="int64"),
]

QUICK_CASES = [
    Case("1-D n=1e2", (10**2,)),
    Case("1-D n=1e5 coordinates", (10**5,), spacing="coords"),
    Case("1-D n=1e5 edge_order=2", (10**5,), edge_order=2),
    Case("2-D 64x64 all axes", (64, 64)),
    Case("2-D 300x300 axis 0 F float32", (300, 300), "float32", "F", axis=0),
    Case("2-D 300x300 all axes workers=2", (300, 300), workers=2),
]

# The beyond-numpy rows: boundary="periodic" against numpy's pad-and-slice
# workaround, accuracy > 2 against findiff.
BEYOND_CASES = [
    Case("1-D 1e6 accuracy=4 one-sided", (10**6,), spacing="uniform", accuracy=4,
         target="≥10x findiff, ≤1.3x floor"),
    Case("1-D 1e6 periodic accuracy 2", (10**6,), spacing="uniform", boundary="periodic",
         target="≥5x pad+gradient+slice, ≤1.1x one-sided"),
    Case("2-D 2000x2000 accuracy=4 all axes", (2000, 2000), spacing="uniform", accuracy=4,
         target="≤1.4x floor"),
    Case("1-D 1e5 uneven accuracy=4", (10**5,), spacing="coords", accuracy=4,
         target="≥10x findiff"),
    Case("1-D 1e6 accuracy=8 workers=None", (10**6,), spacing="uniform", accuracy=8,
         workers=None, target="≥10x findiff, ≤0.63x workers=1 (≥1.6x faster)"),
] + [Case(f"{name} {mode}", shape, spacing="uniform", boundary=mode,
          target="≥2x np.pad+call, ≤1.1x one-sided")
     for mode in ("symmetric", "reflect", "edge", "constant")
     for name, shape in (("1-D 1e6", (10**6,)), ("2-D 2000x2000 all axes", (2000, 2000)))] + [
    Case("2-D 2000x2000 nan=split, 30% land", (2000, 2000), spacing="uniform", nan="split",
         target="≥5x per-run loop, ≤1.5x propagate"),
]


# Derivatives and the Laplacian against findiff (its operator built once and
# reused), numpy.gradient applied twice, and the allocation-free floor.
DERIVATIVE_CASES = [
    Case("1-D 1e6 n=2", (10**6,), spacing="uniform", op="derivative", n=2,
         target="≥10x findiff, ≥3x np twice, out= ≤1.2x floor"),
    Case("2-D 2000x2000 laplacian", (2000, 2000), spacing="uniform", op="laplacian",
         target="≥10x findiff, ≥8x np twice, out= ≤1.3x floor"),
    Case("2-D 2000x2000 laplacian accuracy=4 periodic", (2000, 2000), spacing="uniform",
         op="laplacian", accuracy=4, boundary="periodic",
         target="≥10x findiff, out= ≤1.5x floor"),
    Case("1-D 1e5 uneven n=2 accuracy=4", (10**5,), spacing="coords", op="derivative", n=2,
         accuracy=4, target="≥10x findiff"),
]


# Each kernel family against the hand-written numba stencil of the same taps
# (``hand_rows``): 2-D float64 2000x2000, out=, workers=None.
_HAND = (2000, 2000)
HAND_CASES = [
    Case("hand gradient axis=1", _HAND, axis=1, spacing="uniform",
         target="≤1.05x numba"),
    Case("hand gradient axis=0", _HAND, axis=0, spacing="uniform",
         target="≤1.05x numba"),
    Case("hand gradient periodic axis=1", _HAND, axis=1, spacing="uniform",
         boundary="periodic", target="≤1.05x numba"),
    Case("hand gradient accuracy=4 axis=1", _HAND, axis=1, spacing="uniform", accuracy=4,
         target="≤1.05x numba"),
    Case("hand derivative n=2 axis=1", _HAND, axis=1, spacing="uniform", op="derivative",
         n=2, target="≤1.05x numba"),
    Case("hand laplacian", _HAND, spacing="uniform", op="laplacian",
         target="≤1.1x floor, ≤1.05x numba"),
    Case("hand laplacian uneven", _HAND, spacing="coords", op="laplacian",
         target="≤1.1x floor, ≤1.05x numba"),
]


# The operators over several axes or fields (``operator_rows``): 2-D float64, uniform
# spacings, edge_order=2 (second-order ends, as findiff's at accuracy 2).
OPERATOR_CASES = [
    Case("2-D 2000x2000 divergence", (2000, 2000), spacing="uniform", op="divergence",
         edge_order=2, target="out= ≤1.3x floor, ≥5x numpy"),
    Case("2-D 2000x2000 curl", (2000, 2000), spacing="uniform", op="curl", edge_order=2,
         target="out= ≤1.3x floor, ≥5x numpy"),
    Case("2-D 2000x2000 mixed (1, 1)", (2000, 2000), spacing="uniform", op="mixed",
         edge_order=2, target="out= ≤1.5x floor, ≥10x findiff, ≥5x numpy"),
    Case("2-D 2000x2000 hessian", (2000, 2000), spacing="uniform", op="hessian",
         edge_order=2, target="out= ≤1.5x floor"),
    Case("2-D 2000x2000 divergence accuracy=4", (2000, 2000), spacing="uniform",
         op="divergence", accuracy=4, target="out= ≤1.3x floor"),
]


def _dask_cases(n, chunks, cluster):
    """The dask rows on an n x n float64 array in chunks x chunks blocks, all axes."""
    cases = [
        Case("dask threads compute", (n, n), chunks=chunks),
        Case("dask threads persist", (n, n), chunks=chunks, run="persist"),
        Case("dask edge_order=2", (n, n), edge_order=2, chunks=chunks),
        Case("dask coordinates", (n, n), spacing="coords", chunks=chunks),
        Case("dask laplacian compute", (n, n), chunks=chunks, op="laplacian"),
        Case("dask laplacian persist", (n, n), chunks=chunks, op="laplacian", run="persist"),
        Case("dask divergence persist", (n, n), chunks=chunks, op="divergence", run="persist"),
    ]
    if cluster:
        cases.append(Case("dask cluster (2 processes, persist)", (n, n), chunks=chunks,
                          run="cluster"))
    return cases


DASK_CASES = _dask_cases(6000, 1000, cluster=True)
QUICK_DASK_CASES = _dask_cases(1200, 200, cluster=False)


def case_named(name, cases=CASES):
    """The case of `cases` called `name` (asv picks table rows by name)."""
    return next(c for c in cases if c.name == name)


# ---------------------------------------------------------------------------
# Call forms: spellings of a call against the fast-path call they equal
# ---------------------------------------------------------------------------

@dataclass(frozen=True)
class Form:
    """One call form and its fast-path twin, as calls of a gradient function `g`.

    `call(g, d)` and `twin(g, d)` take the gradient function (numpy's or
    gradient_ext's) and the inputs of :func:`form_inputs`, so that numpy and
    gradient_ext are called with exactly the same arguments.  twin is None
    for a row timed against numpy only.
    """

    name: str
    call: object
    twin_name: str = ""
    twin: object = None


class FormInputs:
    """The data of the call-form rows (attributes; see :func:`form_inputs`)."""


def form_inputs(shape=(64, 64)):
    """Seeded inputs: f (float64), f32, uneven coordinates x, y (float64),
    x32, y32 (float32), xi, yi (int64) along axes 1 and 0, and lst, ten
    Python floats.  Uneven, so that no coordinate array collapses to a scalar.
    """
    rng = np.random.default_rng(SEED)
    d = FormInputs()
    d.f = rng.standard_normal(shape)
    d.f32 = d.f.astype(np.float32)
    d.x = np.cumsum(rng.uniform(0.5, 1.5, shape[0]))      # axis 0
    d.y = np.cumsum(rng.uniform(0.5, 1.5, shape[1]))      # axis 1
    d.x32, d.y32 = d.x.astype(np.float32), d.y.astype(np.float32)
    d.xi = np.cumsum(rng.integers(1, 4, shape[0]))
    d.yi = np.cumsum(rng.integers(1, 4, shape[1]))
    d.lst = [float(v) for v in rng.standard_normal(10)]
    return d


FORMS = [
    Form("gradient(f, 0.1, 0.2)", lambda g, d: g(d.f, 0.1, 0.2),
         "gradient(f, 0.1)", lambda g, d: g(d.f, 0.1)),
    Form("gradient(f, axis=(0, 1))", lambda g, d: g(d.f, axis=(0, 1)),
         "gradient(f)", lambda g, d: g(d.f)),
    Form("gradient(f, 0.1, x)", lambda g, d: g(d.f, 0.1, d.x),
         "gradient(f, x, y)", lambda g, d: g(d.f, d.x, d.y)),
    Form("gradient(f32, 0.1, 0.2)", lambda g, d: g(d.f32, 0.1, 0.2),
         "gradient(f32, 0.1)", lambda g, d: g(d.f32, 0.1)),
    Form("gradient(f, x32, y32)", lambda g, d: g(d.f, d.x32, d.y32),
         "gradient(f, x, y)", lambda g, d: g(d.f, d.x, d.y)),
    Form("gradient(f, xi, yi)", lambda g, d: g(d.f, d.xi, d.yi),
         "gradient(f, x, y)", lambda g, d: g(d.f, d.x, d.y)),
    Form("gradient(f, np.float64(0.1), np.float64(0.2))",
         lambda g, d: g(d.f, np.float64(0.1), np.float64(0.2)),
         "gradient(f, 0.1)", lambda g, d: g(d.f, 0.1)),
    Form("gradient(f, axis=[1], edge_order=np.int64(2))",
         lambda g, d: g(d.f, axis=[1], edge_order=np.int64(2)),
         "gradient(f, axis=1, edge_order=2)", lambda g, d: g(d.f, axis=1, edge_order=2)),
    Form("gradient(list of 10 floats)", lambda g, d: g(d.lst)),
]


# ---------------------------------------------------------------------------
# --cases
# ---------------------------------------------------------------------------

def matches(name, patterns):
    """The one --cases rule: no patterns, or a pattern that matches `name`
    shell-style or is a substring of it, case-insensitively."""
    if not patterns:
        return True
    name = name.lower()
    return any(fnmatch.fnmatch(name, p.lower()) or p.lower() in name for p in patterns)


def select(cases, patterns):
    """The cases (or forms) whose name :func:`matches` any of `patterns`."""
    return [c for c in cases if matches(c.name, patterns)]
