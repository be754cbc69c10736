#!/bin/sh
# valgrind-cw.sh: runs cityweave under valgrind memcheck, for
# `make check-valgrind`, which points CW at a link to this script. Called
# as cityweave-<cmd> (the argv[0] test links it so), it runs that link of
# the real binary. Each process logs to $CW_VALGRIND_LOGS/<pid>.vg, as the
# tests read the tool's stderr; an error or a definite leak makes the exit
# status 99 and the log's "ERROR SUMMARY" non-zero. valgrind.supp holds
# fontconfig's process-lifetime caches, which Pango keeps.
# SPDX-License-Identifier: MIT
#
#   CW_VALGRIND_BIN   the binary (default: build/cityweave of this tree)
#   CW_VALGRIND_LOGS  log directory (default: .)
here=$(cd "$(dirname "$(readlink -f "$0")")" && pwd)
bin=${CW_VALGRIND_BIN:-$here/../build/cityweave}
name=$(basename "$0")
case $name in
    cityweave-*) bin=$bin-${name#cityweave-} ;;
esac
exec valgrind --tool=memcheck --error-exitcode=99 --leak-check=full \
    --errors-for-leak-kinds=definite --show-leak-kinds=definite \
    --suppressions="$here/valgrind.supp" \
    --log-file="${CW_VALGRIND_LOGS:-.}/%p.vg" "$bin" "$@"
