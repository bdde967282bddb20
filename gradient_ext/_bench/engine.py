"""The one timing and checking engine of ``python -m gradient_ext bench``.

Like bottleneck's ``bn.bench()``, the bench is a product feature, not a test:
any user can run it on their own machine and see, per case, numpy.gradient's
time divided by gradient_ext's, after checking that both give the same bits.
Every table (in memory, call forms, beyond numpy, dask) is a :class:`Table`:
its cases (``cases``), a builder that turns each case into a checked
:class:`Row`, and a renderer.  :func:`run` takes every row the same way.

Method, and why:

* Each case builds its input once, from the one fixed seed
  (``cases.SEED``), so runs are comparable.
* Before timing, each row's results are checked (``compare.identical``):
  gradient_ext's bits against numpy's own gradient
  (``gradient_ext._runtime.NUMPY_GRADIENT``, never ``np.gradient``, which
  ``GRADIENT_EXT_PATCH_NUMPY=1`` makes gradient_ext itself).  A mismatch is
  reported and makes the exit status non-zero; speed of a wrong answer is
  worth nothing.  The beyond-numpy rows are checked against their reference:
  bit for bit against numpy's pad-and-slice workaround (periodic), or
  agreement with findiff (accuracy > 2, a different rounding).
* The contenders are timed *alternating rep by rep in one process*: rep 1 of
  numpy, rep 1 of gradient_ext, rep 1 of the floor, ..., then rep 2, with the
  starting contender rotated each rep.  On a noisy shared VM, a slow period
  then hits every contender instead of biasing one of them.
* One rep is a timeit-style inner loop, sized per contender so that it lasts
  at least ``min_rep`` seconds (20 ms by default); a small array is called
  many times, a large one once (the dask rows: always once).  The reported
  time is the median over reps of (rep time / calls), which shrugs off the
  odd preempted rep.  Ratios (speedup, vs floor, vs torch/jax, vs dask) are
  medians of per-rep ratios, paired rep by rep, so that a slow patch of the
  machine during one rep cancels out.
* The *memory floor* is what the cheapest imaginable implementation must pay:
  ``np.copy(f)`` (read the input once, write one fresh output of the same
  bytes) plus, for every further axis, one more fresh output written once
  (``np.empty_like(f, dtype=out_dtype).fill(0)``).  It is measured the same
  alternating way.  "vs floor" is gradient_ext time / floor time: 1.0 would
  mean gradient_ext runs at memory speed.  The floor is single-threaded.
  Both sides allocate, so both pay the operating system's zero-filling of
  fresh pages, which moves with the allocator's history (by 1.5x between
  runs on a VM).
* The *allocation-free floor* takes allocation out of both sides:
  gradient_ext writing into preallocated ``out=`` arrays ("out=" column),
  divided by ``np.copyto`` of ``f`` into a preallocated array plus ``.fill``
  of one more preallocated array per further axis ("vs floor, no alloc").
  ``np.copyto`` is the C library's ``memmove`` for contiguous arrays, which
  on x86 may write without first reading the destination (``rep movsb`` or
  non-temporal stores); a plain store loop reads every destination line
  first.  That difference is what this column shows on large arrays.
* Threaded rows add "vs 1 worker" (allocating) and "vs 1 worker, out=":
  the same call with workers=1 / with the requested workers, paired.
* The *call-form* table times spellings of a call that do the same
  arithmetic as a fast-path call (its *twin*): ``gradient(f, 0.1, 0.2)``
  against ``gradient(f, 0.1)``, coordinate arrays of other dtypes against
  float64 ones, and so on.  The twin is timed in the same alternating reps,
  and "vs twin" is the paired ratio form / twin: 1.0 means the spelling costs
  nothing extra.  Both calls are checked bit for bit against numpy first.
* When torch or jax import, ``torch.gradient`` on the CPU (with
  ``torch.set_num_threads(workers)``) and ``jax.jit(jax.numpy.gradient)``
  (float64 enabled, timed up to ``block_until_ready``, XLA's own threading)
  are timed too and shown as gradient_ext's speedup over each.  Their results
  are not checked (torch, for one, returns float32 for integer input), and a
  case they do not support (jax and ``edge_order=2``, torch and negative
  strides) shows "n/a".  They are never dependencies of gradient_ext.
* Before the first case, ``timing.settle_allocator`` allocates and frees one
  24 MiB block.  glibc then stops handing freed memory back to the OS after
  every call and faulting it in again on the next; without that, whether a
  1e5-element case pays ~1 ms of page faults (on a VM) depends on which larger
  arrays the process happened to free before it.  The table thus shows a
  process in its steady state, the same for every case, numpy and
  gradient_ext alike.  (``MALLOC_TOP_PAD_=67108864`` has the same effect.)
"""

import gc
import sys
from dataclasses import dataclass, field

import numpy as np

from .cases import select
from .others import import_others
from .report import no_match, preamble, summary
from .timing import paired_ratio, settle_allocator, time_alternating

__all__ = ["MISMATCH", "Result", "Row", "Settings", "Table", "run", "time_row", "verdict"]

MISMATCH = "MISMATCH"


def verdict(same, passed="bits"):
    """A row's check: `passed` ("bits", "close") when `same`, else MISMATCH."""
    return passed if same else MISMATCH


@dataclass
class Row:
    """One row ready to time: its case, its check (done), its contenders.

    contenders maps a column's contender to a zero-argument callable, or to
    None where it cannot run (shown "n/a").  note is appended to the row's
    label; extra holds what a table measures besides time (peak memory).
    """

    case: object
    check: str
    contenders: dict
    note: str = ""
    extra: dict = field(default_factory=dict)


@dataclass
class Result:
    """A timed row: samples are {contender: [seconds per call, one per rep] or None}."""

    row: Row
    samples: dict

    @property
    def case(self):
        return self.row.case

    @property
    def ok(self):
        return self.row.check != MISMATCH

    def label(self):
        """The case's name, marked where the check failed."""
        return self.case.name + ("" if self.ok else " **MISMATCH**") + self.row.note

    def time(self, name):
        """Median seconds per call of `name`, None where it did not run."""
        s = self.samples.get(name)
        return None if s is None else float(np.median(s))

    def ratio(self, num, den):
        """Paired ratio of two contenders' times (see ``timing.paired_ratio``)."""
        return paired_ratio(self.samples.get(num), self.samples.get(den))

    def speedup(self):
        """numpy time / gradient_ext time."""
        return self.ratio("numpy", "gradient_ext")


@dataclass(frozen=True)
class Table:
    """One table of the bench.

    cases: (full, quick) lists of cases.  rows(cases, settings): an iterator
    of checked :class:`Row` (a generator may hold a resource, such as a
    cluster, open while its row is timed).  render(results, settings): the
    printed table.  intro: the preamble explains its columns.  others: it
    times torch/jax.  numpy_checked: every row is checked against numpy.
    reps: its default (full, quick) reps where not the run's; min_rep: its
    fixed seconds per rep.  missing(): why it cannot run here, or None.
    """

    cases: tuple
    rows: object
    render: object
    intro: bool = False
    others: bool = False
    numpy_checked: bool = True
    reps: tuple = (7, 3)
    min_rep: float | None = None
    missing: object = None

    def chosen(self, quick, patterns):
        """Its cases (the quick ones with `quick`) that --cases `patterns` select."""
        return select(self.cases[1 if quick else 0], patterns)


@dataclass(frozen=True)
class Settings:
    """One run's options; reps and min_rep None: each table's defaults."""

    quick: bool = False
    reps: int | None = None
    min_rep: float | None = None
    others: dict = field(default_factory=dict)

    def timing(self, table):
        """(reps, min_rep) for `table`'s rows."""
        reps = table.reps[1 if self.quick else 0] if self.reps is None else self.reps
        if table.min_rep is not None:
            return reps, table.min_rep
        default = 0.005 if self.quick else 0.02
        return reps, default if self.min_rep is None else self.min_rep


def time_row(row, reps, min_rep):
    """Time a checked row's contenders alternately (see ``timing.time_alternating``)."""
    gc.collect()
    runnable = {k: fn for k, fn in row.contenders.items() if fn is not None}
    samples = time_alternating(runnable, reps=reps, min_rep=min_rep)
    samples.update({k: None for k, fn in row.contenders.items() if fn is None})
    return Result(row, samples)


def _run_table(table, cases, settings, file):
    """Check and time `cases` of `table`, print the table; its results."""
    reps, min_rep = settings.timing(table)
    results = [_progress(time_row(row, reps, min_rep)) for row in table.rows(cases, settings)]
    if results:
        print(table.render(results, settings), file=file)
    return results


def run(tables, quick=False, cases=None, others=None, file=None, reps=None, min_rep=None):
    """Print `tables`' rows matching `cases`; 0, 1 on a failed check, 2 if none matches.

    others: also time torch/jax when they import (default: not in quick mode).
    """
    file = file or sys.stdout
    chosen = [(t, t.chosen(quick, cases)) for t in tables]
    chosen = [(t, c) for t, c in chosen if c]
    if not chosen:
        print(no_match(cases, [c for t in tables for c in t.chosen(quick, None)]), file=file)
        return 2
    settle_allocator()
    want_others = (not quick) if others is None else others
    libs = import_others() if want_others and any(t.others for t, _ in chosen) else {}
    settings = Settings(quick, reps, min_rep, libs)
    intro = [t for t, _ in chosen if t.intro]
    if intro:
        print(preamble(libs, quick, *settings.timing(intro[0])), file=file)
    results, kinds = [], set()
    for table, rows in chosen:
        why_not = table.missing and table.missing()
        if why_not:
            print(f"\n({why_not})", file=file)
            continue
        results += _run_table(table, rows, settings, file)
        kinds.add(table.numpy_checked)
    bad = [r.case.name for r in results if not r.ok]
    if results:
        print("\n" + summary(bad, True in kinds, False in kinds), file=file)
    return 1 if bad else 0


def _progress(result):
    if sys.stderr.isatty():     # progress for a person, silence for pipes
        print(f"    measured {result.case.name}", file=sys.stderr, flush=True)
    return result
