#!/usr/bin/env bash
# Run the test suite on a build of the kernels with AddressSanitizer and
# UndefinedBehaviorSanitizer (GRADIENT_EXT_SANITIZE=1, see setup.py).
#
#   tools/sanitize.sh [pytest arguments]      # always with --full: both tiers
#
# The build happens in a throwaway copy of this tree with its own venv, so the
# checkout and its editable install are left as they are.  Any sanitizer
# report fails the run: reports abort the process that hits them (no
# recovery), and each one is also written to a log file, which catches
# reports from child processes whose exit status a test might tolerate.
# Measured: the whole suite in about 7 minutes on 2 busy cores (build included).
set -euo pipefail
root="$(cd "$(dirname "$0")/.." && pwd)"
work="$(mktemp -d)"
trap 'rm -rf "$work"' EXIT
cc="${CC:-gcc}"

# The tree as git sees it (tracked and new files, nothing ignored or built).
mkdir "$work/src"
git -C "$root" ls-files -z --cached --others --exclude-standard \
    | (cd "$root" && tar --null -T - -cf -) | tar -xf - -C "$work/src"

python3 -m venv "$work/venv"
# shellcheck disable=SC1091
source "$work/venv/bin/activate"
python -m pip install --quiet --upgrade pip
GRADIENT_EXT_SANITIZE=1 python -m pip install --quiet -e "$work/src[test]"
cd "$work/src"
for so in gradient_ext/_core/_kernels*.so; do
    # Not "ldd | grep -q": grep exits at the first match, ldd may then die of
    # SIGPIPE, and pipefail turns that into a failure (3 runs in 200 here).
    libs="$(ldd "$so")"
    grep -q libasan <<<"$libs" || { echo "sanitize.sh: $so is not instrumented" >&2; exit 1; }
done

# Python itself is not instrumented: the runtimes must be loaded first.
# CPython's memory that lives until exit is not a leak of ours (detect_leaks=0);
# tests that provoke MemoryError need malloc to fail, not to abort.
export LD_PRELOAD="$("$cc" -print-file-name=libasan.so) $("$cc" -print-file-name=libubsan.so)"
export ASAN_OPTIONS="detect_leaks=0:allocator_may_return_null=1:abort_on_error=1:log_path=$work/report"
export UBSAN_OPTIONS="print_stacktrace=1:halt_on_error=1:log_path=$work/report"
export PYTHONMALLOC=malloc            # every allocation through ASan's malloc
export GRADIENT_EXT_SANITIZED=1       # tests that cannot run under ASan skip themselves
status=0
python -m pytest -q -p no:cacheprovider --full "$@" || status=$?
# Errors fail the run; ASan's warnings for the huge allocations the tests make
# fail on purpose (MemoryError, allocator_may_return_null) are only shown.
if compgen -G "$work/report*" > /dev/null; then
    if grep -qE "ERROR: |runtime error:|SUMMARY: " "$work"/report*; then
        echo "sanitize.sh: sanitizer reports:" >&2
        cat "$work"/report* >&2
        exit 1
    fi
    echo "sanitize.sh: $(cat "$work"/report* | wc -l) allocation warnings (expected), no errors"
fi
exit "$status"
