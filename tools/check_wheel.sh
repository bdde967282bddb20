#!/usr/bin/env bash
# Install a built wheel into a fresh venv where no compiler can run, and run
# the test suite against the installed package from outside the source tree.
#
#   tools/check_wheel.sh [WHEEL [PYTEST_ARGS...]]
#
# WHEEL defaults to the manylinux wheel in dist/, PYTEST_ARGS to -x -q --full
# (both tiers of the suite, docs/contributing/building_testing.rst).
#
# gradient_ext comes only from the wheel (--no-index --find-links, binary
# only); its test dependencies come from the registry, as binaries.  CC and CXX
# are /bin/false and there is no build isolation, so any attempt to compile
# fails instead of silently building from source.
set -euo pipefail
cd "$(dirname "$0")/.."
src="$PWD"
wheel="$(realpath "${1:-$(ls dist/*manylinux*.whl | head -n 1)}")"
shift || true
[ $# -gt 0 ] || set -- -x -q --full
python="${PYTHON:-python3}"

work="$(mktemp -d)"
trap 'rm -rf "$work"' EXIT
"$python" -m venv "$work/venv"
# shellcheck disable=SC1091
source "$work/venv/bin/activate"
export CC=/bin/false CXX=/bin/false
python -m pip install --quiet --upgrade pip
pip install --quiet --no-build-isolation --only-binary :all: --no-index \
    --find-links "$(dirname "$wheel")" --no-deps "$wheel"
# numpy and the test extra from the registry, against the installed wheel's metadata
pip install --quiet --no-build-isolation --only-binary :all: "gradient_ext[test]"

cp -r "$src/tests" "$work/tests"
cd "$work"
installed="$(python -c 'import gradient_ext; print(gradient_ext.__file__)')"
case "$installed" in
    "$src"/*) echo "error: the tests would import the clone ($installed)" >&2; exit 1 ;;
    "$work/venv"/*) echo "testing the installed wheel: $installed" ;;
    *) echo "error: unexpected gradient_ext at $installed" >&2; exit 1 ;;
esac
python -c 'import gradient_ext, threadpoolctl, json
print(json.dumps(gradient_ext.openmp_info()))
print(json.dumps([(m["user_api"], m["filepath"]) for m in threadpoolctl.threadpool_info()]))'
# -p no:cacheprovider: nothing written next to the copied tests
python -m pytest -p no:cacheprovider --hypothesis-profile=ci "$@" tests
