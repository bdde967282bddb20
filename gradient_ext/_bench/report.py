"""What the bench prints around its tables: cells, markdown, preamble, verdicts."""

import os
import platform

import numpy as np

import gradient_ext

__all__ = ["fmt_ratio", "fmt_time", "markdown_table", "no_match", "patched_note", "preamble",
           "summary"]


def fmt_time(seconds):
    """A time cell: three significant digits in s, ms, us or ns; n/a for None."""
    if seconds is None:
        return "n/a"
    for unit, scale in (("s", 1.0), ("ms", 1e-3), ("us", 1e-6)):
        if seconds >= scale:
            return f"{seconds / scale:.3g} {unit}"
    return f"{seconds / 1e-9:.3g} ns"


def fmt_ratio(ratio):
    """A ratio cell: 1.23x; n/a for None."""
    return "n/a" if ratio is None else f"{ratio:.2f}x"


def markdown_table(header, rows):
    """Aligned GitHub markdown: readable in a terminal and pasteable into a README."""
    widths = [max(len(str(x)) for x in col) for col in zip(header, *rows)]

    def line(cells):
        return "| " + " | ".join(str(c).ljust(w) for c, w in zip(cells, widths)) + " |"
    sep = "|" + "|".join("-" * (w + 1) + ":" if i else "-" * (w + 2)
                         for i, w in enumerate(widths)) + "|"
    return "\n".join([line(header), sep] + [line(r) for r in rows])


def _load():
    try:
        return "{:.2f} {:.2f} {:.2f}".format(*os.getloadavg())
    except (AttributeError, OSError):     # not on Windows
        return "unknown"


def patched_note():
    """A line saying numpy.gradient is patched in this process, or ''."""
    if not gradient_ext.is_patched():
        return ""
    return "numpy.gradient is patched to gradient_ext in this process"


def preamble(others, quick, reps, min_rep):
    """The versions, the machine, and what the in-memory tables' columns mean."""
    info = gradient_ext.openmp_info()
    lines = [
        "gradient_ext speed table",
        f"    gradient_ext {getattr(gradient_ext, '__version__', '?')}, "
        f"numpy {np.__version__}, Python {platform.python_version()}, "
        f"{platform.machine()}, {os.cpu_count()} CPUs, "
        f"OpenMP {'on' if info['openmp'] else 'off'} ({info['threads']} threads)",
        f"    load average at start {_load()} (other work on these CPUs adds noise)",
    ]
    if patched_note():
        lines.append(f"    {patched_note()}; the numpy column is numpy's own function, "
                     "captured at import")
    for name, mod in others.items():
        mod = mod[0] if isinstance(mod, tuple) else mod
        lines.append(f"    {name} {mod.__version__} (CPU)")
    lines += [
        "    speedup = numpy time / gradient_ext time (float64 and workers=1 unless named);",
        "    vs floor = gradient_ext time / time of np.copy(f) plus one fresh output",
        "      written per further axis (1.00 = memory speed; both sides allocate);",
        "    out= = gradient_ext writing into preallocated out= arrays;",
        "    vs floor, no alloc = out= time / time of np.copyto(preallocated, f) plus",
        "      .fill of one preallocated array per further axis (neither allocates);",
        "    vs 1 worker[, out=] = time with workers=1 / time with the workers named;",
    ]
    if others:
        lines.append("    vs torch/jax = their time / gradient_ext time (n/a: unsupported);")
    lines += [
        f"    times: median of {reps} alternating reps, each >= {min_rep * 1e3:g} ms of calls;",
        "    ratios: median of per-rep ratios"
        + ("; --quick: fewer, smaller cases and reps;" if quick else ";"),
        "    every result checked bit for bit against numpy.gradient first.",
    ]
    return "\n".join(lines)


def no_match(patterns, cases):
    """The answer to --cases patterns that match no row: the rows there are."""
    return "\n".join([f"no case matches {patterns}; the cases are:"]
                     + [f"    {c.name}" for c in cases])


def summary(bad, numpy_checked=True, otherwise_checked=False):
    """The closing verdict: the rows that failed their check, or that none did
    (rows checked against numpy.gradient; rows checked as their check column says)."""
    if bad:
        return ("MISMATCH with numpy.gradient (or the row's reference) in: "
                + ", ".join(bad))
    parts = (["results identical to numpy.gradient"] if numpy_checked else []) + (
        ["beyond-numpy rows passed the checks in their check column"] if otherwise_checked
        else [])
    return "All " + "; all ".join(parts) + "."
