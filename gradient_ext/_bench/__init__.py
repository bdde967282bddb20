"""``python -m gradient_ext bench`` and the demo (``python -m gradient_ext``).

One case table (``cases``: every row, its seeded input, the ``--cases``
matcher), one bit comparator (``compare``), one timing and checking engine
(``engine``, with ``timing`` and ``report``), and the tables it runs: in memory
and call forms (``memory_rows``), beyond numpy (``beyond_rows``), derivatives
and the Laplacian (``derivative_rows``), the operators over several axes or
fields (``operator_rows``), the hand-written numba stencil (``hand_rows``), dask
(``dask_rows``); torch/jax columns come from ``others``.  The asv suite in
``benchmarks/`` imports its cases, inputs and contenders from here.
"""

from . import beyond_rows, dask_rows, derivative_rows, hand_rows, memory_rows, operator_rows
from .engine import run

__all__ = ["TABLES", "bench"]

TABLES = (memory_rows.CASE_TABLE, memory_rows.FORM_TABLE, beyond_rows.TABLE,
          derivative_rows.TABLE, hand_rows.TABLE, operator_rows.TABLE, dask_rows.TABLE)


def bench(quick=False, cases=None, others=None, file=None, reps=None, min_rep=None):
    """Print the speed tables; 0, 1 if any result failed its check, 2 if no row matches.

    quick: a small, fast subset (smoke tests; no beyond-numpy or derivative rows).
    cases: name patterns (``cases.matches``): only the rows of any table they
    match.  others: also time torch/jax when they import (default: not in
    quick mode).  reps, min_rep: alternating reps per row and seconds per rep
    (default 7 and 0.02; quick 3 and 0.005; dask rows 5 (quick 3) reps of one call).
    """
    return run(TABLES, quick=quick, cases=cases, others=others, file=file, reps=reps,
               min_rep=min_rep)
