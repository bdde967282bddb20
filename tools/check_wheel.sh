#!/usr/bin/env bash
# Install a built wheel into a fresh venv of its own interpreter, where no
# compiler can run, and run the test suite against the installed package from
# outside the source tree.
#
#   tools/check_wheel.sh [WHEEL [PYTEST_ARGS...]]
#
# WHEEL defaults to the first manylinux wheel in dist/, PYTEST_ARGS to -x -q
# (the fast tier; add --full for both, docs/contributing/building_testing.rst).
# The interpreter is the wheel's CPython version (its cp3XY tag): $PYTHON, else
# this machine's (tools/debian_chroot.sh host_python), else Debian unstable's in
# a chroot, into which this script copies itself, the tests and the wheel and
# runs there.  CHECK_WHEEL_CHROOT=SUITE runs it in that Debian suite's chroot
# (tools/build_oldglibc.sh), with $PYTHON a path inside.  On a free-threaded
# interpreter (3.13t) it also checks that the GIL stays disabled and runs
# tests/test_concurrency.py and the suite under pytest --parallel-threads=8.
#
# gradient_ext comes only from the wheel (--no-index --find-links, binary
# only); its test dependencies come from the registry, as binaries.  CC and CXX
# are /bin/false and there is no build isolation, so any attempt to compile
# fails instead of silently building from source.
set -euo pipefail
cd "$(dirname "$0")/.."
src="$PWD"
source tools/debian_chroot.sh
wheel="$(realpath "${1:-$(ls dist/*manylinux*.whl | head -n 1)}")"
shift || true
[ $# -gt 0 ] || set -- -x -q
tag="$(basename "$wheel" | cut -d- -f3)"                 # cp312
version="${tag:2:1}.${tag:3}"                            # 3.12
suite="${CHECK_WHEEL_CHROOT:-}"
python=""
[ -n "$suite" ] || python="${PYTHON:-$(host_python "$version")}"
[ -n "$suite" ] || [ -n "$python" ] || suite=sid

work="$(mktemp -d)"
dir=""
inside=/root/gradient_ext-check
trap '[ -z "$dir" ] || { rm -rf "$dir$inside"; chroot_close "$dir"; }; rm -rf "$work"' EXIT

if [ -n "$suite" ]; then
    dir="$(chroot_dir "$suite")"
    echo "testing in the Debian $suite chroot $dir"
    pkgs=()
    [ "$suite" != sid ] || pkgs=("python$version" "python$version-venv")
    chroot_open "$suite" "$dir" "${pkgs[@]}"
    rm -rf "$dir$inside"
    mkdir -p "$dir$inside/tools"
    cp tools/check_wheel.sh tools/debian_chroot.sh "$dir$inside/tools/"
    cp -r tests "$dir$inside/tests"
    cp "$wheel" "$dir$inside/"
    chroot_run "$dir" env PYTHON="${PYTHON:-python$version}" \
        bash "$inside/tools/check_wheel.sh" "$inside/$(basename "$wheel")" "$@"
    exit
fi

echo "python$version: $python"
"$python" -m venv "$work/venv"
# shellcheck disable=SC1091
source "$work/venv/bin/activate"
export CC=/bin/false CXX=/bin/false
python -m pip install --quiet --upgrade pip
pip install --quiet --no-build-isolation --only-binary :all: --no-index \
    --find-links "$(dirname "$wheel")" --no-deps "$wheel"
# numpy and the test extra from the registry, against the installed wheel's metadata
freethreaded="$(python -c 'import sysconfig; print(int(bool(sysconfig.get_config_var("Py_GIL_DISABLED"))))')"
if [ "$freethreaded" = 1 ]; then
    # Not every test dependency has a free-threaded wheel (dask's pyyaml and
    # distributed's msgpack have no cp313t one): each that has one is
    # installed, the tests needing the others skip (tests/conftest.py).
    python -c 'from importlib.metadata import requires
print("\n".join(r.split(";")[0] for r in requires("gradient_ext") if "extra == \"test\"" in r))' |
    while read -r requirement; do
        pip install --quiet --no-build-isolation --only-binary :all: "$requirement" >/dev/null 2>&1 ||
            echo "no wheel of $requirement for this interpreter: the tests needing it skip"
    done
else
    pip install --quiet --no-build-isolation --only-binary :all: "gradient_ext[test]"
fi

cp -r "$src/tests" "$work/tests"
cd "$work"
installed="$(python -c 'import gradient_ext; print(gradient_ext.__file__)')"
case "$installed" in
    "$src"/*) echo "error: the tests would import the clone ($installed)" >&2; exit 1 ;;
    "$work/venv"/*) echo "testing the installed wheel: $installed" ;;
    *) echo "error: unexpected gradient_ext at $installed" >&2; exit 1 ;;
esac
python -c 'import gradient_ext, threadpoolctl, json, sys, numpy
print(sys.version.split()[0], "numpy", numpy.__version__)
print(json.dumps(gradient_ext.openmp_info()))
print(json.dumps([(m["user_api"], m["filepath"]) for m in threadpoolctl.threadpool_info()]))'
# -p no:cacheprovider: nothing written next to the copied tests
python -m pytest -p no:cacheprovider --hypothesis-profile=ci "$@" tests
[ "$freethreaded" = 1 ] || exit 0

# A free-threaded interpreter (docs/guide/threads.rst): importing gradient_ext
# leaves the GIL disabled; every public function from 8 threads at once gives
# the serial bits, and the comparison catches an injected race; the suite
# itself passes with each test run by 8 threads at once (pytest-run-parallel).
echo; echo "free-threaded $(python -c 'import sys; print(sys.version.split()[0])'): the GIL, the concurrent calls, the suite on 8 threads"
python -c 'import sys, gradient_ext
assert not sys._is_gil_enabled(), "importing gradient_ext enabled the GIL"
print("import gradient_ext: GIL disabled")'
python -m pytest -p no:cacheprovider -v -o addopts= tests/test_concurrency.py
python -m pytest -p no:cacheprovider --hypothesis-profile=ci -q -x --parallel-threads=8 tests
