# lib.sh: sourced by every CLI test (after jq's tests/setup).
# SPDX-License-Identifier: MIT
#
#   check "what is checked" COMMAND...      passes when COMMAND succeeds
#   fails CODE "what" COMMAND...            passes when COMMAND exits CODE
#   finish                                  prints "N passed, N failed"
set -u
LC_ALL=C
export LC_ALL
CW=${CW:-build/cityweave}
PY=/usr/bin/python3
T=$(mktemp -d)
trap 'rm -rf "$T"' EXIT
passed=0
failed=0

check() {
    what=$1
    shift
    if "$@"; then
        passed=$((passed + 1))
    else
        failed=$((failed + 1))
        echo "FAIL: $what" >&2
    fi
}

# fails CODE WHAT CMD...: CMD must exit with CODE; its stderr is in $T/err.
fails() {
    code=$1
    what=$2
    shift 2
    "$@" >"$T/out" 2>"$T/err"
    rc=$?
    if [ "$rc" -eq "$code" ]; then
        passed=$((passed + 1))
    else
        failed=$((failed + 1))
        echo "FAIL: $what: exit $rc, expected $code; stderr:" >&2
        cat "$T/err" >&2
    fi
}

# has_line PATTERN: stderr of the last `fails` is one line matching PATTERN.
has_line() {
    [ "$(wc -l <"$T/err")" -eq 1 ] && grep -q -- "$1" "$T/err"
}

finish() {
    echo "$passed passed, $failed failed"
    [ "$failed" -eq 0 ]
}
