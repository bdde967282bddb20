"""The dask rows of ``python -m gradient_ext bench`` (run when dask imports).

gradient_ext.gradient on a chunked dask array against ``dask.array.gradient``
on the same array, with in-memory gradient_ext on the same data as the
reference (``workers=None``: the threads OpenMP would use).  Method as in
``engine.py``: every result is first checked bit for bit against
numpy.gradient, contenders are timed alternating rep by rep, times are
medians and ratios medians of per-rep ratios.

* "compute": ``dask.compute(*grads)``, threaded scheduler: blocks are computed
  in parallel, then dask concatenates them into one numpy array per axis (a
  serial copy of every output byte that both dask contenders pay).
* "persist": ``dask.persist(*grads)``: the blocks stay in memory as chunks, as
  in a pipeline that goes on with them; no concatenation.
* "cluster": a 2-process ``distributed.LocalCluster``; the input is generated
  and persisted on the workers, the gradient persisted there (gathering 2 x
  288 MB to the client would time the network, the same for both).
* peak memory: tracemalloc's peak (numpy reports its buffers to it) during
  one threaded compute, beyond the input.
"""

import fnmatch
import gc
import sys
import tracemalloc
import warnings

import numpy as np

import gradient_ext
from .engine import _fmt_ratio, _fmt_time, identical, markdown_table, paired_ratio, \
    time_alternating

__all__ = ["bench_dask", "claims"]

SEED = 20240607
CASE_NAMES = ["dask threads compute", "dask threads persist", "dask edge_order=2",
              "dask coordinates", "dask cluster"]


def claims(patterns):
    """True when every --cases pattern names only dask rows (skip the in-memory table)."""
    return bool(patterns) and all("dask" in p.lower() for p in patterns)


def _chosen(patterns):
    if not patterns:
        return list(CASE_NAMES)
    return [n for n in CASE_NAMES
            if any(fnmatch.fnmatch(n, p.lower()) or p.lower() in n for p in patterns)]


def bench_dask(quick=False, cases=None, file=None):
    """Print the dask table; 0, 1 on a mismatch with numpy, None if dask is missing."""
    file = file or sys.stdout
    names = _chosen(cases)
    if not names:
        return None
    try:
        import dask
        import dask.array as da
    except ImportError:
        print("\n(dask rows skipped: pip install 'gradient_ext[dask]' to add them)", file=file)
        return None
    n, c = (1200, 200) if quick else (6000, 1000)
    reps = 3 if quick else 5
    a = np.random.default_rng(SEED).standard_normal((n, n))
    x = da.from_array(a, chunks=c)
    print(f"\ndask {dask.__version__}: {n}x{n} float64 in {c}x{c} chunks, all axes; "
          "vs dask = dask.array.gradient time / gradient_ext time; "
          "vs in-memory = gradient_ext on dask / gradient_ext on the numpy array", file=file)
    rows, ok = [], True
    with dask.config.set(scheduler="threads"):
        for name in names:
            if name == "dask cluster":
                if quick:
                    continue
                row, same = _cluster_row(a, c, reps)
            else:
                row, same = _threaded_row(name, a, x, reps)
            ok &= same
            rows.append(row)
        memory = _peak_memory(x) if "dask threads compute" in names else None
    header = ["case", "gradient_ext", "dask.array.gradient", "vs dask",
              "in-memory gradient_ext", "vs in-memory"]
    print(markdown_table(header, rows), file=file)
    if memory:
        print("\npeak memory beyond the input (tracemalloc), threaded scheduler:", file=file)
        for mode in ("compute", "persist"):
            ext, theirs = memory[mode, "ext"], memory[mode, "dask"]
            print(f"    {mode}: gradient_ext {ext / 2**20:.0f} MiB, dask.array.gradient "
                  f"{theirs / 2**20:.0f} MiB ({ext / theirs:.2f}x)", file=file)
    if not ok:
        print("\nMISMATCH with numpy.gradient in a dask row", file=file)
        return 1
    return 0


def _variant(name, a, x):
    """(varargs for gradient_ext, varargs for dask, kwargs) of a threaded case."""
    import dask.array as da
    if name == "dask edge_order=2":
        return (), (), {"edge_order": 2}
    if name == "dask coordinates":
        rng = np.random.default_rng(SEED + 1)
        coords = [np.cumsum(rng.random(m) + 0.5) for m in a.shape]
        dcoords = [da.from_array(v, chunks=x.chunks[k]) for k, v in enumerate(coords)]
        return tuple(dcoords), tuple(coords), {}    # dask has no dask coordinates
    return (), (), {}


def _threaded_row(name, a, x, reps):
    import dask
    import dask.array as da
    ours, theirs, kw = _variant(name, a, x)
    run = dask.persist if name == "dask threads persist" else dask.compute
    want = np.gradient(a, *theirs, **kw)
    got = dask.compute(*gradient_ext.gradient(x, *ours, **kw))
    same = identical(got, want)
    dask_same = identical(dask.compute(*da.gradient(x, *theirs, **kw)), want)
    del got, want
    contenders = {
        "ext": lambda: run(*gradient_ext.gradient(x, *ours, **kw)),
        "dask": lambda: run(*da.gradient(x, *theirs, **kw)),
        "memory": lambda: gradient_ext.gradient(a, *theirs, **kw),
    }
    samples = _timed(contenders, reps)
    label = name + ("" if same else " **MISMATCH**") + ("" if dask_same else " (dask differs)")
    return _row(label, samples), same


def _cluster_row(a, chunks, reps):
    import dask.array as da
    from distributed import Client, LocalCluster, wait
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        cluster = LocalCluster(n_workers=2, processes=True, threads_per_worker=1,
                               dashboard_address=None)
    with cluster, Client(cluster) as client:
        x = da.random.default_rng(SEED).standard_normal(a.shape, chunks=chunks).persist()
        wait(x)
        local = x.compute()
        got = client.compute(list(gradient_ext.gradient(x)), sync=True)
        same = identical(tuple(got), np.gradient(local))
        del got

        def persisted(grads):
            def run():
                kept = client.persist(list(grads(x)))
                wait(kept)
                del kept
            return run
        contenders = {"ext": persisted(gradient_ext.gradient), "dask": persisted(da.gradient),
                      "memory": lambda: gradient_ext.gradient(local)}
        samples = _timed(contenders, reps)
    return _row("dask cluster (2 processes, persist)" + ("" if same else " **MISMATCH**"),
                samples), same


def _timed(contenders, reps):
    gc.collect()
    # min_rep=0: one call per rep; sizing that runs each contender once, as a warm-up
    return time_alternating(contenders, reps=reps, min_rep=0.0)


def _row(label, s):
    med = {k: float(np.median(v)) for k, v in s.items()}
    return [label, _fmt_time(med["ext"]), _fmt_time(med["dask"]),
            _fmt_ratio(paired_ratio(s["dask"], s["ext"])), _fmt_time(med["memory"]),
            _fmt_ratio(paired_ratio(s["ext"], s["memory"]))]


def _peak_memory(x):
    """tracemalloc peaks {(mode, who): bytes} of one threaded compute and persist."""
    import dask
    import dask.array as da
    peaks = {}
    for mode, run in (("compute", dask.compute), ("persist", dask.persist)):
        for who, grad in (("ext", gradient_ext.gradient), ("dask", da.gradient)):
            gc.collect()
            tracemalloc.start()
            result = run(*grad(x))
            peaks[mode, who] = tracemalloc.get_traced_memory()[1]
            tracemalloc.stop()
            del result
    return peaks
