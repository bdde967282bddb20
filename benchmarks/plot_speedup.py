"""Plot gradient_ext's speedup over numpy.gradient against 1-D array size.

    python benchmarks/plot_speedup.py            # writes benchmarks/speedup.png

The regenerable picture for the README, in the manner of fast-histogram's
comparison/ plot.  Each point is measured exactly as the speed table measures
(``gradient_ext._bench.memory_rows.measure``: a bit-for-bit check first, then numpy and
gradient_ext timed alternately rep by rep, medians), so the plot and
``python -m gradient_ext bench`` never disagree on method.  matplotlib is
needed here only; it is not a dependency of gradient_ext.

As in the table, the allocator is settled first (``settle_allocator``):
otherwise, on a VM, sizes around 1e5 show a spurious 30x peak that is only
numpy's temporaries paying for fresh pages on every call.
"""

import argparse
import os
import sys

import numpy as np

HERE = os.path.dirname(os.path.abspath(__file__))
try:
    import gradient_ext  # noqa: F401  (installed)
except ImportError:      # a checkout with an in-place build: use the one beside us
    sys.path.insert(0, os.path.dirname(HERE))

from gradient_ext._bench.cases import Case  # noqa: E402
from gradient_ext._bench.memory_rows import measure  # noqa: E402
from gradient_ext._bench.timing import settle_allocator  # noqa: E402

# label -> keyword arguments of Case besides the shape (float64, workers=1)
SERIES = {
    "unit spacing, edge_order=1": {},
    "unit spacing, edge_order=2": {"edge_order": 2},
    "uneven coordinates, edge_order=1": {"spacing": "coords"},
}


def sizes(quick):
    """Half-decade sizes from 1e1 to 1e7 (whole decades up to 1e6 with --quick)."""
    exponents = np.arange(1, 6.5, 1.0) if quick else np.arange(1, 7.25, 0.5)
    return [int(round(10**e)) for e in exponents]


def measure_series(kwargs, ns, reps):
    """Speedup (numpy time / gradient_ext time) per size; stops on a mismatch."""
    speedups = []
    for n in ns:
        result = measure(Case(f"n={n}", (n,), **kwargs), reps=reps)
        if not result.ok:
            sys.exit(f"MISMATCH with numpy.gradient for n={n}, {kwargs}")
        speedups.append(result.speedup())
        print(f"    n={n:>9}  {speedups[-1]:6.2f}x", flush=True)
    return speedups


def plot(ns, curves, path):
    """Draw one line per series on log-x axes, with the break-even line at 1."""
    import matplotlib
    matplotlib.use("Agg")
    import matplotlib.pyplot as plt

    fig, ax = plt.subplots(figsize=(7, 4.5))
    for label, speedups in curves.items():
        ax.plot(ns, speedups, marker="o", label=label)
    ax.axhline(1.0, color="grey", linewidth=1, linestyle="--")
    ax.set_xscale("log")
    ax.set_ylim(bottom=0)
    ax.grid(True, which="major", alpha=0.4)
    ax.set_xlabel("1-D array size (float64)")
    ax.set_ylabel("speedup: numpy.gradient time / gradient_ext time")
    ax.set_title("gradient_ext vs numpy.gradient, one thread")
    ax.legend()
    fig.savefig(path, dpi=120, bbox_inches="tight")
    print(f"wrote {path}")


def main(argv=None):
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--quick", action="store_true", help="fewer sizes and reps")
    parser.add_argument("--output", default=os.path.join(HERE, "speedup.png"))
    args = parser.parse_args(argv)
    ns = sizes(args.quick)
    settle_allocator()
    curves = {}
    for label, kwargs in SERIES.items():
        print(label, flush=True)
        curves[label] = measure_series(kwargs, ns, reps=3 if args.quick else 7)
    plot(ns, curves, args.output)


if __name__ == "__main__":
    main()
