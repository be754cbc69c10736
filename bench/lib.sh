# lib.sh: what bench/run.sh and bench/cluster.sh share, sourced by both
# (bash) from the repo root after they set PY, CW, OUT and LOG, and CHECK:
# the cross-check script that `check` and `info` run.
# SPDX-License-Identifier: MIT

ME=${0##*/}

# need TOOL...: stop unless every TOOL is found.
need() {
	local t
	for t in "$@"; do
		command -v "$t" >/dev/null || { echo "$ME: $t not found" >&2; exit 1; }
	done
}

# prepare_run: empty $OUT and $LOG, build $CW, write the input files.
# Others edit src/ meanwhile: if the tree does not build, the last binary
# that did is timed, and $LOG/make.failed makes the report say so.
prepare_run() {
	rm -rf "$OUT" "$LOG"
	mkdir -p "$OUT" "$LOG"
	if ! make B=build build/cityweave >"$LOG/make.log" 2>&1; then
		[ -x "$CW" ] || { cat "$LOG/make.log" >&2; exit 1; }
		echo "$ME: make failed (see $LOG/make.log); timing the existing $CW" >&2
		: >"$LOG/make.failed"
	fi
	bench/prepare.sh
}

# start_pg: the throwaway PostgreSQL server of bench/peers/postgis.sh in
# $PGDIR, stopped on exit; its versions go to $LOG/postgres.version.
# stop_pg: stop it now.
start_pg() {
	PGDIR=$(mktemp -d /tmp/cityweave-bench-pg.XXXXXX)
	trap stop_pg EXIT
	trap 'exit 130' INT TERM
	bench/peers/postgis.sh start "$PGDIR"
	bench/peers/postgis.sh version "$PGDIR" >"$LOG/postgres.version"
}
stop_pg() {
	bench/peers/postgis.sh stop "$PGDIR" || true
	trap - EXIT
}

# bench NAME CMD...: RUNS timed runs (BENCH_RUNS for this one); hyperfine's
# JSON has the wall times, NAME.rss one "Maximum resident set size" (kB)
# line per run.
bench() {
	local name=$1
	shift
	echo "== $name: $*" >&2
	hyperfine -N --style basic --runs "${BENCH_RUNS:-$RUNS}" --command-name "$name" \
		--export-json "$LOG/$name.json" \
		-- "/usr/bin/time -f %M -a -o $LOG/$name.rss $*" >"$LOG/$name.txt"
	grep -E '^ +(Time|Range)' "$LOG/$name.txt" >&2 || true
}

# note_load before|after: the load average (1, 5, 15 min) into $LOG/load.*.
note_load() {
	cut -d' ' -f1-3 /proc/loadavg >"$LOG/load.$1"
}

# check LABEL ARGS...: `$PY $CHECK ARGS` must succeed (OK, else MISMATCH);
# info LABEL ARGS...: its line is information only.  Both append
# LABEL|verdict|line to $LOG/crosscheck.txt, which the report tabulates.
check() {
	local label=$1 out st
	shift
	if out=$($PY $CHECK "$@"); then st=OK; else st=MISMATCH; fi
	printf '%s|%s|%s\n' "$label" "$st" "$out" >>"$LOG/crosscheck.txt"
	echo "$label: $st: $out" >&2
}
info() {
	local label=$1 out
	shift
	out=$($PY $CHECK "$@" || echo "failed")
	printf '%s|info|%s\n' "$label" "$out" >>"$LOG/crosscheck.txt"
	echo "$label: $out" >&2
}

# build_copy: build build/cityweave (or keep the last binary that built,
# noting $LOG/make.failed), copy it to $CW so the timed binary cannot
# change under the run, and record which it is in $LOG/build.txt.
build_copy() {
	if ! make B=build build/cityweave >"$LOG/make.log" 2>&1; then
		[ -x build/cityweave ] || { cat "$LOG/make.log" >&2; exit 1; }
		echo "$ME: make failed (see $LOG/make.log); timing the existing build/cityweave" >&2
		: >"$LOG/make.failed"
	fi
	cp build/cityweave "$CW"
	{
		echo "git $(git rev-parse --short HEAD)$(git status --porcelain -- src include tools Makefile |
			grep -q . && echo ' + uncommitted changes in src/, include/ or tools/')"
		echo "binary of $(date -u -r build/cityweave '+%Y-%m-%d %H:%M UTC'), sha256 $(sha256sum "$CW" | cut -c1-12)"
	} >"$LOG/build.txt"
}
