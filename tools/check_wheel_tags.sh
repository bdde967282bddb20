#!/usr/bin/env bash
# Fail if a Linux wheel would not install where numpy's wheels do.
#
#   tools/check_wheel_tags.sh WHEEL...      (default: dist/*manylinux*.whl)
#
# For each wheel: the platform tags in its file name and the tag `auditwheel
# show` measures from the glibc symbols of everything inside (the vendored
# libgomp included) must all be manylinux_2_28 or lower (numpy's own floor);
# and every GOMP_*/omp_* symbol the extensions import must be defined, at its
# symbol version, by the libgomp the wheel carries (a libgomp older than the
# compiler, as tools/build_release.sh vendors, must still have all of them).
# Prints the newest GLIBC_ version the kernels and the vendored libraries each
# need (docs/contributing/releases.rst).  Uses auditwheel from PATH, else from
# a throwaway venv; binutils' nm and objdump.
set -euo pipefail
wheels=()
for wheel in "$@"; do wheels+=("$(realpath "$wheel")"); done
cd "$(dirname "$0")/.."
((${#wheels[@]})) || wheels=(dist/*manylinux*.whl)
floor=2_28
work="$(mktemp -d)"
trap 'rm -rf "$work"' EXIT
if ! command -v auditwheel >/dev/null; then
    python3 -m venv "$work/venv"
    "$work/venv/bin/pip" install --quiet auditwheel
    PATH="$work/venv/bin:$PATH"
fi

# the newest GLIBC_x.y among the dynamic symbols of the files given
newest_glibc() {
    objdump -T "$@" | grep -o 'GLIBC_[0-9][0-9.]*' | sort -uV | tail -n 1
}

# "ok TAGS" or "FAIL TAGS: ..." for a wheel's name and `auditwheel show` on stdin
read -r -d '' verdict_of <<'EOF' || true
import re, sys
name, floor = sys.argv[1], tuple(int(x) for x in sys.argv[2].split("_"))
legacy = {"manylinux1": (2, 5), "manylinux2010": (2, 12), "manylinux2014": (2, 17)}
def glibc(tag):
    m = re.match(r"(manylinux1|manylinux2010|manylinux2014|manylinux_(\d+)_(\d+))_", tag)
    if not m:
        return None
    return legacy.get(m.group(1)) or (int(m.group(2)), int(m.group(3)))
plats = name[:-len(".whl")].split("-")[-1].split(".")
# auditwheel wraps its lines anywhere in that sentence
m = re.search(r'consistent\s+with\s+the\s+following\s+platform\s+tag:\s*"([^"]+)"', sys.stdin.read())
measured = m.group(1) if m else "none"
tags = [(t, glibc(t)) for t in plats] + [(f"{measured} (auditwheel show)", glibc(measured))]
newer = [t for t, g in tags if g is None or g > floor]
print(("FAIL " if newer else "ok ") + ", ".join(t for t, _ in tags)
      + (f": newer than manylinux_{sys.argv[2]}: {', '.join(newer)}" if newer else ""))
EOF

bad=0
for wheel in "${wheels[@]}"; do
    name="$(basename "$wheel")"
    verdict="$(auditwheel show "$wheel" | python3 -c "$verdict_of" "$name" "$floor")"
    echo "$name: $verdict"
    [[ "$verdict" == ok* ]] || bad=1

    rm -rf "$work/w" && mkdir "$work/w" && unzip -q -d "$work/w" "$wheel"
    mapfile -t exts < <(find "$work/w" -name '*.so' -not -path '*.libs/*' | sort)
    mapfile -t vendored < <(find "$work/w" -path '*.libs/*' -name '*.so*' | sort)
    echo "  kernels need $(newest_glibc "${exts[@]}")$( ((${#vendored[@]})) && echo "; vendored $(basename -a "${vendored[@]}" | tr '\n' ' ')needs $(newest_glibc "${vendored[@]}")")"
    gomp="$(printf '%s\n' "${vendored[@]}" | grep '/libgomp' || true)"
    wanted="$(nm -D --undefined-only "${exts[@]}" | grep -oE '\b(GOMP|omp)_[A-Za-z0-9_]+@[A-Za-z0-9_.]+' | sort -u)"
    [ -n "$wanted" ] || continue                    # a serial build
    if [ -z "$gomp" ]; then
        echo "  FAIL: the extensions import OpenMP symbols and no libgomp is vendored"; bad=1; continue
    fi
    have="$(nm -D --defined-only "$gomp" | awk '{print $NF}' | sed 's/@@/@/' | sort -u)"
    missing="$(comm -23 <(echo "$wanted") <(echo "$have"))"
    if [ -n "$missing" ]; then
        echo "  FAIL: the vendored $(basename "$gomp") lacks:" $missing; bad=1
    else
        echo "  the vendored libgomp defines all $(wc -l <<<"$wanted") OpenMP symbols the kernels import"
    fi
done
if ((bad)); then
    echo "error: a wheel above would not install where numpy's manylinux_$floor wheels do, or lacks OpenMP symbols" >&2
    exit 1
fi
