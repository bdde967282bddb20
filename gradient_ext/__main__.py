"""``python -m gradient_ext``: the demo; ``python -m gradient_ext bench``: the speed table;
``python -m gradient_ext info``: the build report (``show_config()``)."""

import argparse
import sys


def main(argv=None):
    parser = argparse.ArgumentParser(
        prog="python -m gradient_ext",
        description="Demonstrate gradient_ext (default), print its speed table or its "
                    "build report.")
    sub = parser.add_subparsers(dest="command")
    sub.add_parser("demo", help="show bit-identical results on built-in data (default)")
    sub.add_parser("info", help="print the build and runtime report for bug reports "
                                "(gradient_ext.show_config())")
    bench = sub.add_parser("bench", help="time gradient_ext against numpy.gradient")
    bench.add_argument("--quick", action="store_true",
                       help="a small, fast subset of cases (smoke test)")
    bench.add_argument("--cases", nargs="+", metavar="PATTERN",
                       help="only rows (of any table) whose name contains PATTERN "
                            "(or matches it, shell-style), case-insensitively; e.g. "
                            "--cases '1-D*' 'workers' 'gradient(' dask")
    bench.add_argument("--reps", type=int, metavar="N",
                       help="alternating reps per row (default 7, --quick 3; dask rows "
                            "5, --quick 3); more reps steady the medians on a busy machine")
    bench.add_argument("--min-rep", type=float, metavar="SECONDS",
                       help="minimum duration of one rep (default 0.02, --quick 0.005; "
                            "a dask rep is always one call)")
    bench.add_argument("--others", action=argparse.BooleanOptionalAction, default=None,
                       help="also time torch.gradient / jax.numpy.gradient when they "
                            "import (default: yes, except with --quick)")
    args = parser.parse_args(argv)

    if args.command == "info":
        from ._show_config import show_config
        show_config()
        return 0
    if args.command == "bench":
        from ._bench import bench as run_bench
        return run_bench(quick=args.quick, cases=args.cases, others=args.others,
                         reps=args.reps, min_rep=args.min_rep)
    from ._bench.demo import demo
    return demo()


if __name__ == "__main__":
    sys.exit(main())
