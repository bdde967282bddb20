"""Every public function called from many Python threads at once, in a child process
that imports only numpy and gradient_ext (dask or xarray could turn a free-threaded
interpreter's GIL back on).  Run by tests/test_concurrency.py:

    python -c "import concurrent_calls; concurrent_calls.main(threads=8, rounds=4)"

Each call's result is computed once serially; then `threads` threads run every
call `rounds` times in orders of their own (mixed dtypes and shapes, out=,
workers=, the weight cache's hits and misses, the operators' slabs shared among
threads, patch_numpy/restore_numpy toggled while np.gradient is called) and
compare each result with the serial one, bit for bit.  Prints one summary line;
exits 1 on any mismatch or exception.

``inject="shared-scratch"`` breaks the operators on purpose (one scratch buffer
shared by every call and thread) to show that the comparison catches a race.  Then
only the calls that use the scratch run (mixed_derivative and hessian, slab by
slab), and each thread pauses for a random fraction of a millisecond whenever it
takes a buffer, as a race detector perturbs a schedule: the same call's threads
(whose buffers share keys) then work on different slabs while another's values
sit in a buffer.  Without the pauses the threads ran in step often enough to hide
the race in most runs on a loaded machine.  The threads stop at the first mismatch.
"""

import random
import sys
import threading
import time

import numpy as np

import gradient_ext as gx


def _calls(rng):
    """(name, function returning a result) pairs; out= arrays are made per call."""
    f64 = rng.standard_normal((300, 260))
    f32 = f64.astype(np.float32)
    c128 = (f64 + 1j * f64[::-1]).astype(np.complex128)
    i32 = rng.integers(-100, 100, (300, 260)).astype(np.int32)
    big = rng.standard_normal((700, 800))              # operators share slabs among threads
    u, v = rng.standard_normal((2, 700, 800))
    # uneven axes of >= 256 points: the weight cache (hits, and misses on other grids)
    xs = [np.cumsum(rng.uniform(0.5, 1.5, 300)) for _ in range(3)]
    y = np.cumsum(rng.uniform(0.5, 1.5, 260))
    line = rng.standard_normal(100)

    def stacked(f):
        out = np.empty((2,) + f.shape, gx.gradient(f)[0].dtype)
        return gx.gradient(f, 0.5, 0.25, out=out, workers=2)

    def into(fn, f, *args, **kw):
        out = np.empty_like(f, dtype=np.result_type(f.dtype, np.float64)
                            if f.dtype.kind in "iu" else f.dtype)
        return fn(f, *args, out=out, **kw)

    calls = [
        ("gradient small", lambda: gx.gradient(line)),
        ("gradient f64 workers=2", lambda: gx.gradient(f64, workers=2)),
        ("gradient f32 coordinates", lambda: gx.gradient(f32, xs[0], y)),
        ("gradient c128 edge_order=2", lambda: gx.gradient(c128, 0.3, edge_order=2)),
        ("gradient i32 out=", lambda: into(gx.gradient, i32, axis=1)),
        ("gradient stacked out=", lambda: stacked(f64)),
        ("gradient accuracy=8 periodic", lambda: gx.gradient(f64, accuracy=8,
                                                             boundary="periodic")),
        ("np.gradient (patched or not)", lambda: np.gradient(f64, 0.5)),
        ("clear_weight_cache", lambda: gx.clear_weight_cache()),
        ("laplacian", lambda: gx.laplacian(f64, 0.5, accuracy=4)),
        ("laplacian f32 out=", lambda: into(gx.laplacian, f32)),
        ("mixed_derivative big", lambda: gx.mixed_derivative(big, n=(1, 2), axis=(0, 1),
                                                             accuracy=4, workers=2)),
        ("hessian", lambda: gx.hessian(f64, xs[2], y, edge_order=2)),
        ("divergence big", lambda: gx.divergence((u, v), 0.1, 0.2, workers=2)),
        ("curl 3-D", lambda: gx.curl([f64[:60, :50, None] * np.ones(40)] * 3, accuracy=6)),
        ("curl big out=", lambda: gx.curl((u, v), out=np.empty_like(u))),
    ]
    for k, x in enumerate(xs):              # three grids: each a hit after its first call
        calls.append((f"derivative n=2 grid {k}", lambda x=x: gx.derivative(
            f64, x, y, n=2, accuracy=4)))
        calls.append((f"derivative n=3 grid {k} axis 0", lambda x=x: gx.derivative(
            f64, x, n=3, axis=0, accuracy=6, workers=2)))
    return calls


def _same(a, b):
    if isinstance(a, tuple) or isinstance(b, tuple):
        return (isinstance(a, tuple) and isinstance(b, tuple) and len(a) == len(b)
                and all(_same(x, y) for x, y in zip(a, b)))
    if a is None or b is None:
        return a is None and b is None
    return (a.dtype == b.dtype and a.shape == b.shape
            and np.ascontiguousarray(a).tobytes() == np.ascontiguousarray(b).tobytes())


def _toggler(stop):
    """patch_numpy / restore_numpy over and over while the others call."""
    while not stop.is_set():
        gx.patch_numpy()
        gx.restore_numpy()


def _inject_shared_scratch():
    import gradient_ext._operators as ops
    shared = {}

    class SharedScratch(ops._Scratch):
        def __init__(self, dtype):
            super().__init__(dtype)
            self.buffers = shared           # one set of buffers for every call and thread

        def get(self, key, shape):
            buf = super().get(key, shape)
            time.sleep(random.random() * 1e-3)
            return buf

    ops._Scratch = SharedScratch


def main(threads=8, rounds=4, inject=None):
    calls = _calls(np.random.default_rng(7))
    if inject == "shared-scratch":
        _inject_shared_scratch()
        calls = [c for c in calls if c[0].startswith(("mixed_derivative", "hessian"))]
    want = {name: fn() for name, fn in calls}
    failures, lock, start = [], threading.Lock(), threading.Barrier(threads + 1)

    def worker(seed):
        order = list(calls) * rounds
        random.Random(seed).shuffle(order)
        start.wait()
        for name, fn in order:
            if inject and failures:
                return                      # the race was seen: enough
            try:
                ok = _same(fn(), want[name])
            except Exception as exc:        # a crash is a failure too; say which
                ok, name = False, f"{name} raised {type(exc).__name__}: {exc}"
            if not ok:
                with lock:
                    failures.append(name)

    team = [threading.Thread(target=worker, args=(k,)) for k in range(threads)]
    stop = threading.Event()
    toggler = threading.Thread(target=_toggler, args=(stop,))
    for t in team:
        t.start()
    toggler.start()
    start.wait()
    for t in team:
        t.join()
    stop.set()
    toggler.join()
    assert not gx.is_patched()                  # every patch was restored
    gil = getattr(sys, "_is_gil_enabled", lambda: True)()
    print(f"{threads} threads x {rounds} rounds x {len(calls)} calls, GIL "
          f"{'enabled' if gil else 'disabled'}: {len(failures)} failures"
          + (f" ({sorted(set(failures))[:5]})" if failures else ""))
    if "dask" in sys.modules or "xarray" in sys.modules:
        print("dask or xarray was imported", file=sys.stderr)
        return 1
    return 1 if failures else 0


if __name__ == "__main__":
    sys.exit(main())
