#!/usr/bin/env bash
# The differential tests against the oldest numpy gradient_ext supports.
#
#   tools/check_oldest_numpy.sh [NUMPY_SPEC [PYTEST_ARGS...]]
#
# NUMPY_SPEC defaults to 'numpy==2.0.*' (the floor in pyproject.toml),
# PYTEST_ARGS to -q --full.  gradient_ext is installed (not editable) from a
# copy of the clone's tracked files into a fresh venv, so the clone's own
# in-place build and generated files are left alone; the build runs in pip's
# isolated environment (the newest numpy, as for a wheel) and the tests run
# against the pinned numpy, from outside the clone.
set -euo pipefail
cd "$(dirname "$0")/.."
numpy_spec="${1:-numpy==2.0.*}"
shift || true
[ $# -gt 0 ] || set -- -q --full
python="${PYTHON:-python3}"

# the tests that compare results with numpy's own gradient
differential=(test_differential.py test_hypothesis.py test_numpy_cases.py
              test_numpy_formulas.py test_oracle.py test_hostile.py test_errors.py
              test_kernel_builds.py)

work="$(mktemp -d)"
trap 'rm -rf "$work"' EXIT
mkdir "$work/src"
git ls-files -z | xargs -0 cp --parents -t "$work/src"
"$python" -m venv "$work/venv"
# shellcheck disable=SC1091
source "$work/venv/bin/activate"
python -m pip install --quiet --upgrade pip
pip install --quiet "$work/src[test]" "$numpy_spec"

cp -r tests "$work/tests"
cd "$work"
installed="$(python -c 'import gradient_ext; print(gradient_ext.__file__)')"
case "$installed" in
    "$work/venv"/*) ;;
    *) echo "error: the tests would not import the installed package ($installed)" >&2; exit 1 ;;
esac
python -c 'import gradient_ext, numpy; print("gradient_ext", gradient_ext.__file__, "on numpy", numpy.__version__)'
python -m pytest -p no:cacheprovider --hypothesis-profile=ci "$@" \
    "${differential[@]/#/tests/}"
