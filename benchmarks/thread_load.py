"""Threads on a busy machine: workers=None and workers=2 against workers=1.

    python benchmarks/thread_load.py [--reps N] [--loads 0 1 2]

For each load (that many busy processes, each spinning one CPU in pure
Python), times `out=` calls of two cases, alternating the worker settings rep
by rep, and prints the medians as ratios to workers=1 (above 1: slower than
one thread).  Every result is first checked bit for bit against workers=1.
The busy processes are started before and killed after each load's rows.
"""

import argparse
import os
import statistics
import sys
import time

import numpy as np

import gradient_ext
from gradient_ext._bench.cases import SEED

# the busy processes of the tests (tests/helpers.py), last on the path: it shadows nothing
sys.path.append(os.path.join(os.path.dirname(os.path.abspath(__file__)), os.pardir, "tests"))
from helpers import busy_processes  # noqa: E402


def cases():
    rng = np.random.default_rng(SEED)
    a = rng.random((2000, 2000))
    n = 2_000_000
    x = np.cumsum(rng.random(n) + 0.5)
    f = np.sin(x / 1000)
    g = rng.random(1_000_000)
    return {
        "2000x2000 all axes": (a, (), [np.empty_like(a), np.empty_like(a)], {}),
        "2e6 uneven coordinates": (f, (x,), np.empty_like(f), {}),
        "1e6 accuracy=8": (g, (), np.empty_like(g), {"accuracy": 8}),
    }


def run(f, args, out, workers, kw):
    t = time.perf_counter()
    gradient_ext.gradient(f, *args, out=out, workers=workers, **kw)
    return time.perf_counter() - t


def bits(r):
    return [o.tobytes() for o in (r if isinstance(r, (list, tuple)) else [r])]


def measure(reps, settings=(1, 2, None)):
    rows = {}
    for name, (f, args, out, kw) in cases().items():
        want = bits(gradient_ext.gradient(f, *args, workers=1, **kw))
        for w in settings:
            gradient_ext.gradient(f, *args, out=out, workers=w, **kw)
            assert bits(out) == want, (name, w)
        times = {w: [] for w in settings}
        for _ in range(reps):
            for w in settings:
                times[w].append(run(f, args, out, w, kw))
        med = {w: statistics.median(t) for w, t in times.items()}
        rows[name] = med
    return rows


def main(argv=None):
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--reps", type=int, default=15)
    parser.add_argument("--loads", type=int, nargs="+", default=[0, 1, 2])
    args = parser.parse_args(argv)
    print(f"gradient_ext {gradient_ext.__version__}, {os.cpu_count()} CPUs, "
          f"openmp_info={gradient_ext.openmp_info()}, "
          f"OMP_WAIT_POLICY={os.environ.get('OMP_WAIT_POLICY')}, "
          f"GOMP_SPINCOUNT={os.environ.get('GOMP_SPINCOUNT')}")
    print("| load | case | workers=1 | workers=2 vs 1 | workers=None vs 1 |")
    print("|---|---|--:|--:|--:|")
    for load in args.loads:
        with busy_processes(load):
            rows = measure(args.reps)
        for name, med in rows.items():
            print(f"| {load} busy | {name} | {med[1] * 1e3:.2f} ms | {med[2] / med[1]:.2f}x "
                  f"| {med[None] / med[1]:.2f}x |", flush=True)


if __name__ == "__main__":
    sys.exit(main())
