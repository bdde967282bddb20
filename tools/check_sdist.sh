#!/usr/bin/env bash
# The sdist is complete: unpacked in a folder of its own (no clone, no git),
# the README's two commands run there, in a fresh venv.
#
#   tools/check_sdist.sh [SDIST [PYTEST_ARGS...]]
#
# SDIST defaults to dist/gradient_ext-*.tar.gz (tools/build_release.sh makes
# it), PYTEST_ARGS to -x -q: the README's `pytest --full` on the fast tier
# (the slow tier runs on the clone in .ci/run).  The first command builds the
# kernels from the sdist's sources (the wheels are built from the same file).
set -euo pipefail
cd "$(dirname "$0")/.."
sdist="$(realpath "${1:-$(ls dist/gradient_ext-*.tar.gz | head -n 1)}")"
shift || true
[ $# -gt 0 ] || set -- -x -q
work="$(mktemp -d)"
trap 'rm -rf "$work"' EXIT
tar -xzf "$sdist" -C "$work"
python3 -m venv "$work/venv"
# shellcheck disable=SC1091
source "$work/venv/bin/activate"
cd "$work"/gradient_ext-*/
echo "the README's commands in $PWD (from $(basename "$sdist"))"
python -m pip install --quiet --upgrade pip
pip install --quiet -e . && python -m gradient_ext
pip install --quiet -e '.[test]' && python -m pytest -p no:cacheprovider "$@"
