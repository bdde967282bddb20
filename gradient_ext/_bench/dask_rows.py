"""The dask table of ``python -m gradient_ext bench`` (run when dask imports).

gradient_ext.gradient (or laplacian, divergence) on a chunked dask array against
``dask.array.gradient`` on the same array (for the Laplacian: applied twice
along each axis and summed; for the divergence: once per component, summed), with in-memory gradient_ext on the same data as the
reference (``workers=None``: the threads OpenMP would use).  Method as in
``engine``: every result is first checked bit for bit against numpy's own
gradient (the Laplacian: against in-memory gradient_ext), contenders are
timed alternating rep by rep (one call per rep), times are medians and
ratios medians of per-rep ratios.

* "compute": ``dask.compute(grads)``, threaded scheduler: blocks are computed
  in parallel, then dask concatenates them into one numpy array per axis (a
  serial copy of every output byte that both dask contenders pay).
* "persist": ``dask.persist(grads)``: the blocks stay in memory as chunks, as
  in a pipeline that goes on with them; no concatenation.
* "cluster": a 2-process ``distributed.LocalCluster``; the input is generated
  and persisted on the workers, the gradient persisted there (gathering 2 x
  288 MB to the client would time the network, the same for both).
* peak memory: tracemalloc's peak (numpy reports its buffers to it) during
  one call of each threaded row, beyond the input.
"""

import contextlib
import gc
import tracemalloc
import warnings

import gradient_ext
from gradient_ext._runtime import NUMPY_GRADIENT

from .cases import DASK_CASES, QUICK_DASK_CASES, SEED, dask_input
from .compare import identical
from .engine import Row, Table, verdict
from .report import fmt_ratio, fmt_time, markdown_table, patched_note

__all__ = ["TABLE", "cluster_contenders", "cluster_input", "threaded_contenders"]


def threaded_contenders(case, inputs):
    """gradient_ext on dask, dask's own answer, in-memory gradient_ext (asv times them too).

    inputs: ``cases.dask_input(case)``.  dask's answer to a Laplacian is the
    sum of ``dask.array.gradient`` applied twice along each axis.
    """
    import dask

    f, varargs, x, dask_varargs = inputs
    run = dask.persist if case.run == "persist" else dask.compute
    return {
        "gradient_ext": lambda: run(case.ext_call(x, dask_varargs)),
        "dask": lambda: run(_dask_answer(case, x, varargs)),   # dask has no dask coordinates
        "in-memory gradient_ext": lambda: case.ext_call(f, varargs),
    }


def _dask_answer(case, x, varargs):
    import dask.array as da

    if case.op == "gradient":
        return da.gradient(x, *varargs, **case.numpy_kwargs())
    spacings = varargs or (1.0,) * x.ndim
    if case.op == "divergence":             # the components of Case.ext_call
        return sum(da.gradient(c, h, axis=ax, edge_order=case.edge_order)
                   for c, ax, h in zip((x, x[::-1, ::-1]), case.axes(), spacings))
    return sum(da.gradient(da.gradient(x, h, axis=ax), h, axis=ax)
               for ax, h in zip(case.axes(), spacings))


def _threaded_row(case):
    import dask

    inputs = dask_input(case)
    f, varargs, x, dask_varargs = inputs
    if case.op == "gradient":
        want = NUMPY_GRADIENT(f, *varargs, **case.numpy_kwargs())
        theirs = dask.compute(_dask_answer(case, x, varargs))[0]
        dask_same = identical(tuple(theirs) if isinstance(theirs, list) else theirs, want)
    else:                   # no numpy answer: the in-memory call is the oracle
        want, dask_same = case.ext_call(f, varargs), True
    same = identical(dask.compute(case.ext_call(x, dask_varargs))[0], want, nan_sign=True)
    del want
    contenders = threaded_contenders(case, inputs)
    return Row(case, verdict(same), contenders, note="" if dask_same else " (dask differs)",
               extra={"peak": _peak_memory(contenders)})


def _peak_memory(contenders):
    """tracemalloc's peak {contender: bytes} during one call of each dask contender."""
    peaks = {}
    for who in ("gradient_ext", "dask"):
        gc.collect()
        tracemalloc.start()
        kept = contenders[who]()
        peaks[who] = tracemalloc.get_traced_memory()[1]
        tracemalloc.stop()
        del kept
    return peaks


@contextlib.contextmanager
def cluster_input(case):
    """A 2-process LocalCluster with case's input generated and persisted on its
    workers (seeded); yields (client, x)."""
    import dask.array as da
    from distributed import Client, LocalCluster, wait

    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        cluster = LocalCluster(n_workers=2, processes=True, threads_per_worker=1,
                               dashboard_address=None)
    with cluster, Client(cluster) as client:
        x = da.random.default_rng(SEED).standard_normal(case.shape, chunks=case.chunks)
        x = x.persist()
        wait(x)
        yield client, x


def cluster_contenders(client, x):
    """gradient_ext and dask.array.gradient persisted on the cluster (asv times them too)."""
    import dask.array as da
    from distributed import wait

    def persisted(grad):
        def run():
            wait(client.persist(list(grad(x))))
        return run
    return {"gradient_ext": persisted(lambda a: gradient_ext.gradient(a)),
            "dask": persisted(da.gradient)}


def _cluster_rows(case):
    with cluster_input(case) as (client, x):
        local = x.compute()
        got = client.compute(list(gradient_ext.gradient(x)), sync=True)
        same = identical(tuple(got), NUMPY_GRADIENT(local), nan_sign=True)
        del got
        contenders = cluster_contenders(client, x)
        contenders["in-memory gradient_ext"] = lambda: gradient_ext.gradient(local)
        yield Row(case, verdict(same), contenders)     # timed while the cluster runs


def _rows(cases, settings):
    import dask

    with dask.config.set(scheduler="threads"):
        for case in cases:
            if case.run == "cluster":
                yield from _cluster_rows(case)
            else:
                yield _threaded_row(case)


def _missing():
    try:
        import dask.array  # noqa: F401
    except ImportError:
        return "dask rows skipped: pip install 'gradient_ext[dask]' to add them"
    return None


def _render(results, settings):
    import dask

    case = results[0].case
    size = "x".join(map(str, case.shape))
    lines = [f"\ndask {dask.__version__}: {size} float64 in {case.chunks}x{case.chunks} "
             "chunks, all axes; vs dask = dask.array.gradient time / gradient_ext time; "
             "vs in-memory = gradient_ext on dask / gradient_ext on the numpy array"]
    if patched_note():
        lines.append(f"({patched_note()}: dask.array.gradient runs gradient_ext per block)")
    header = ["case", "gradient_ext", "dask.array.gradient (composed)", "vs dask",
              "in-memory gradient_ext", "vs in-memory"]
    rows = [[r.label(), fmt_time(r.time("gradient_ext")), fmt_time(r.time("dask")),
             fmt_ratio(r.ratio("dask", "gradient_ext")),
             fmt_time(r.time("in-memory gradient_ext")),
             fmt_ratio(r.ratio("gradient_ext", "in-memory gradient_ext"))] for r in results]
    lines.append(markdown_table(header, rows))
    peaks = [(r.case.name, r.row.extra["peak"]) for r in results if "peak" in r.row.extra]
    if peaks:
        lines.append("\npeak memory beyond the input (tracemalloc), threaded scheduler:")
    for name, peak in peaks:
        ours, theirs = peak["gradient_ext"], peak["dask"]
        lines.append(f"    {name}: gradient_ext {ours / 2**20:.0f} MiB, dask.array.gradient "
                     f"{theirs / 2**20:.0f} MiB ({ours / theirs:.2f}x)")
    return "\n".join(lines)


TABLE = Table((DASK_CASES, QUICK_DASK_CASES), _rows, _render, reps=(5, 3), min_rep=0.0,
              missing=_missing)
