"""Benchmark rows for boundary="periodic" and accuracy > 2 (issue 8's targets).

``beyond_rows()`` returns one dict per case, for ``python -m gradient_ext
bench`` to print; ``python -m gradient_ext._bench_beyond`` prints them alone.
Each row times gradient_ext against the reference of its target (findiff,
or numpy's pad-and-slice workaround) and against the memory floor (one copy
of the input plus the other outputs, single-threaded) or a gradient_ext
baseline, alternating contenders rep by rep; ratios are medians of per-rep
ratios (see ``engine``).  The floor is the allocation-free one: gradient_ext
writing into preallocated ``out=`` arrays against ``np.copyto`` into
preallocated arrays, since fresh-allocation times move with the allocator's
history (here, the pages findiff's temporaries leave behind).  findiff is optional: its columns are None without it.
"""

import fnmatch

import numpy as np

from .. import gradient
from .engine import floor_out_callable, paired_ratio, preallocated_out, settle_allocator, \
    time_alternating


def _findiff(axis, spacing, acc, periodic=False):
    try:
        import findiff  # type: ignore[import-untyped]
    except ImportError:
        return None
    d = findiff.Diff(axis, spacing, acc=acc, periodic=periodic) if periodic else \
        findiff.Diff(axis, spacing, acc=acc)
    return d


def _cases(rng):
    n = 10**6
    h = 1e-3
    f1 = rng.standard_normal(n)
    f2 = rng.standard_normal((2000, 2000))
    x = np.cumsum(rng.uniform(0.5, 1.5, 10**5))
    fx = np.sin(x * 1e-3)
    d1 = _findiff(0, h, 4)
    dx = _findiff(0, x, 4)
    o1, o2, ox = (preallocated_out(f, k, f.dtype) for f, k in ((f1, 1), (f2, 2), (fx, 1)))
    yield dict(
        name="1-D 1e6 accuracy=4 one-sided", target="≥10x findiff, ≤1.3x floor",
        ext=lambda: gradient(f1, h, accuracy=4),
        ref_name="findiff.Diff(0, h, acc=4)", ref=(lambda: d1(f1)) if d1 else None,
        ext_out=lambda: gradient(f1, h, accuracy=4, out=o1),
        base_name="floor out=", base=floor_out_callable(f1, 1, f1.dtype))
    yield dict(
        name="1-D 1e6 periodic accuracy 2", target="≥5x pad+gradient+slice, ≤1.1x one-sided",
        ext=lambda: gradient(f1, h, boundary="periodic"),
        ref_name="np.pad(wrap)+np.gradient+slice",
        ref=lambda: np.gradient(np.pad(f1, 1, mode="wrap"), h)[1:-1],
        base_name="gradient_ext one-sided", base=lambda: gradient(f1, h))
    yield dict(
        name="2-D 2000x2000 accuracy=4 all axes", target="≤1.4x floor",
        ext=lambda: gradient(f2, h, accuracy=4),
        ref_name="findiff (both axes)",
        ref=(lambda: (_findiff(0, h, 4)(f2), _findiff(1, h, 4)(f2))) if d1 else None,
        ext_out=lambda: gradient(f2, h, accuracy=4, out=o2),
        base_name="floor out=", base=floor_out_callable(f2, 2, f2.dtype))
    yield dict(
        name="1-D 1e5 uneven accuracy=4", target="≥10x findiff",
        ext=lambda: gradient(fx, x, accuracy=4),
        ref_name="findiff.Diff(0, x, acc=4)", ref=(lambda: dx(fx)) if dx else None,
        ext_out=lambda: gradient(fx, x, accuracy=4, out=ox),
        base_name="floor out=", base=floor_out_callable(fx, 1, fx.dtype))


def beyond_rows(reps=7, min_rep=0.02, cases=None):
    """Time every case; returns a list of dicts (seconds per call and ratios)."""
    settle_allocator()
    rows = []
    for case in _cases(np.random.default_rng(0)):
        if cases and not any(fnmatch.fnmatch(case["name"], c) or c in case["name"] for c in cases):
            continue
        contenders = {"ext": case["ext"], "base": case["base"]}
        if "ext_out" in case:                   # its out= form against the floor
            contenders["ext_out"] = case["ext_out"]
        if case["ref"] is not None:
            contenders["ref"] = case["ref"]
        s = time_alternating(contenders, reps=reps, min_rep=min_rep)
        rows.append(dict(
            name=case["name"], target=case["target"],
            ext_s=float(np.median(s["ext"])),
            ref_name=case["ref_name"], ref_s=float(np.median(s["ref"])) if "ref" in s else None,
            speedup_vs_ref=paired_ratio(s.get("ref"), s["ext"]),
            base_name=case["base_name"],
            vs_base=paired_ratio(s.get("ext_out", s["ext"]), s["base"]),
            check=_check(case)))
    return rows


def _check(case):
    """The periodic row is bit-identical to its workaround; the others agree with findiff."""
    if case["ref"] is None:
        return "n/a"
    got, want = case["ext"](), case["ref"]()
    got = got if isinstance(got, tuple) else (got,)
    want = want if isinstance(want, tuple) else (want,)
    if "periodic" in case["name"]:
        return "bits" if all(np.array_equal(g, w) for g, w in zip(got, want)) else "MISMATCH"
    scale = max(float(np.max(np.abs(w))) for w in want)
    close = all(np.allclose(g, w, rtol=1e-9, atol=1e-9 * scale) for g, w in zip(got, want))
    return "close" if close else "MISMATCH"


def bench_beyond(quick=False, cases=None, reps=None, min_rep=None, file=None):
    """Print the periodic/accuracy table; 1 on a failed check, else 0 (skipped with --quick)."""
    if quick:
        return 0
    rows = beyond_rows(reps=reps or 7, min_rep=min_rep or 0.02, cases=cases)
    if rows:
        print("\nBeyond numpy: periodic boundaries and higher accuracy\n", file=file)
        print(format_rows(rows), file=file)
    return int(any(r["check"] == "MISMATCH" for r in rows))


def format_rows(rows):
    lines = ["| case | gradient_ext | reference | speedup | vs baseline | target | check |",
             "|---|---|---|---|---|---|---|"]
    for r in rows:
        ref = "n/a" if r["ref_s"] is None else f"{r['ref_name']}: {r['ref_s'] * 1e3:.2f} ms"
        sp = "n/a" if r["speedup_vs_ref"] is None else f"{r['speedup_vs_ref']:.1f}x"
        lines.append(f"| {r['name']} | {r['ext_s'] * 1e3:.2f} ms | {ref} | {sp} | "
                     f"{r['vs_base']:.2f}x {r['base_name']} | {r['target']} | {r['check']} |")
    return "\n".join(lines)


if __name__ == "__main__":
    print(format_rows(beyond_rows()))
