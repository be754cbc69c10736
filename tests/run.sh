#!/bin/sh
# run.sh: runs the unit tests and the CLI tests against each build given
# (build, build-asan, ...) and sums their "N passed, N failed" lines.
# SPDX-License-Identifier: MIT
#
#   tests/run.sh BUILD_DIR...
set -u
cd "$(dirname "$0")/.."
LC_ALL=C
export LC_ALL
# GDAL, PROJ and igraph keep process-lifetime caches that LeakSanitizer
# would report; our own leaks are still caught (see tests/lsan.supp).
export LSAN_OPTIONS="suppressions=$PWD/tests/lsan.supp:print_suppressions=0"
export ASAN_OPTIONS="detect_leaks=1:abort_on_error=0"
export UBSAN_OPTIONS="print_stacktrace=1:halt_on_error=1"

total_pass=0
total_fail=0
log=$(mktemp)
trap 'rm -f "$log"' EXIT

# run NAME CMD...: runs one suite, adds up its closing line.
run() {
    name=$1
    shift
    "$@" >"$log" 2>&1
    rc=$?
    line=$(grep -E '^[0-9]+ passed, [0-9]+ failed' "$log" | tail -n 1)
    p=$(echo "$line" | sed -n 's/^\([0-9]*\) passed.*/\1/p')
    f=$(echo "$line" | sed -n 's/.* \([0-9]*\) failed.*/\1/p')
    p=${p:-0}
    f=${f:-0}
    if [ "$rc" -ne 0 ] && [ "$f" -eq 0 ]; then
        f=1   # crashed or failed without saying so
    fi
    if [ "$f" -ne 0 ]; then
        sed 's/^/    /' "$log"
    fi
    printf '%-40s %s passed, %s failed\n' "$name" "$p" "$f"
    total_pass=$((total_pass + p))
    total_fail=$((total_fail + f))
}

for b in "$@"; do
    for t in "$b"/tests/test_*; do
        [ -x "$t" ] && run "$b: $(basename "$t")" "$t"
    done
    for t in tests/cli/test_*.sh; do
        [ -f "$t" ] && run "$b: $(basename "$t")" env CW="$b/cityweave" sh "$t"
    done
done
echo "$total_pass passed, $total_fail failed"
[ "$total_fail" -eq 0 ]
