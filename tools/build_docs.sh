#!/usr/bin/env bash
# The documentation site: docs/ (Sphinx) and the gallery examples/ (run at build
# time).  Builds the HTML with warnings as errors, then runs every example of the
# pages and of the docstrings as a doctest.  Needs `pip install -e '.[docs]'` (or
# an in-place build of the kernels on PYTHONPATH and the docs extra installed).
#   tools/build_docs.sh [OUTDIR]      default docs/_build
set -euo pipefail
cd "$(dirname "$0")/.."
out="${1:-docs/_build}"
export MPLBACKEND=Agg
start=$SECONDS
# -E: read every page afresh, so a stale environment cannot hide a warning.
python -m sphinx -E -W --keep-going -b html docs "$out/html"
python -m sphinx -E -W --keep-going -b doctest docs "$out/doctest"
# The docstrings of every module (also those the API pages do not show).
python -m pytest -q -p no:cacheprovider --doctest-modules gradient_ext \
    -o doctest_optionflags="NORMALIZE_WHITESPACE ELLIPSIS"
echo "docs: built and doctested in $((SECONDS - start)) s: $out/html/index.html"
