#!/bin/bash
# Benchmark of `cityweave network` against scikit-learn, PostGIS, SciPy and
# NetworkX on GeoNames cities500; writes bench/RESULTS.md.  See bench/README.md.
#
#   bench/run.sh            (RUNS=3 by default; RUNS=1 for a quick look)
set -euo pipefail
cd "$(dirname "$0")/.."

RUNS=${RUNS:-3}
PY=/usr/bin/python3            # Debian's Python: sklearn, scipy, networkx
CW=build/cityweave
W=bench/work
IN=$W/cities500.csv
OUT=$W/out
LOG=$W/log

for t in hyperfine /usr/bin/time $PY; do
	command -v "$t" >/dev/null || { echo "run.sh: $t not found" >&2; exit 1; }
done
rm -rf "$OUT" "$LOG"
mkdir -p "$OUT" "$LOG"
# Others edit src/ meanwhile: if the tree does not build, time the last
# binary that did and say so in RESULTS.md.
if ! make B=build build/cityweave >"$LOG/make.log" 2>&1; then
	[ -x "$CW" ] || { cat "$LOG/make.log" >&2; exit 1; }
	echo "run.sh: make failed (see $LOG/make.log); timing the existing $CW" >&2
	: >"$LOG/make.failed"
fi
bench/prepare.sh

PGDIR=$(mktemp -d /tmp/cityweave-bench-pg.XXXXXX)
stop_pg() { bench/peers/postgis.sh stop "$PGDIR" || true; }
trap stop_pg EXIT
trap 'exit 130' INT TERM
bench/peers/postgis.sh start "$PGDIR"
bench/peers/postgis.sh version "$PGDIR" >"$LOG/postgres.version"

# bench NAME CMD...: RUNS timed runs; hyperfine's JSON has the wall times,
# NAME.rss one "Maximum resident set size" (kB) line per run.
bench() {
	local name=$1
	shift
	echo "== $name: $*" >&2
	hyperfine -N --style basic --runs "${BENCH_RUNS:-$RUNS}" --command-name "$name" \
		--export-json "$LOG/$name.json" \
		-- "/usr/bin/time -f %M -a -o $LOG/$name.rss $*" >"$LOG/$name.txt"
	grep -E '^ +(Time|Range)' "$LOG/$name.txt" >&2 || true
}

S=$(date +%s)
cut -d' ' -f1-3 /proc/loadavg >"$LOG/load.before"
bench cw_knn          $CW network $IN --knn 8 -o $OUT/cw_knn.csv --overwrite -q
bench cw_knn_sphere   $CW network $IN --knn 8 --sphere -o $OUT/cw_knn_sphere.csv --overwrite -q
bench cw_knn_geojson  $CW network $IN --knn 8 -o $OUT/cw_knn.geojson --overwrite -q
bench cw_knn_shp      $CW network $IN --knn 8 -o $OUT/cw_knn.shp --overwrite -q
bench cw_within       $CW network $IN --within 25km -o $OUT/cw_within.csv --overwrite -q
bench cw_within_sphere $CW network $IN --within 25km --sphere -o $OUT/cw_within_sphere.csv --overwrite -q
bench cw_mst          $CW network $IN --mst -o $OUT/cw_mst.csv --overwrite -q
bench cw_mst_sphere   $CW network $IN --mst --sphere -o $OUT/cw_mst_sphere.csv --overwrite -q
# One worker thread, as the peers have (cityweave uses one per processor).
bench cw_knn_t1       $CW network $IN --knn 8 --threads 1 -o $OUT/cw_knn_t1.csv --overwrite -q
bench cw_within_t1    $CW network $IN --within 25km --threads 1 -o $OUT/cw_within_t1.csv --overwrite -q
bench cw_mst_t1       $CW network $IN --mst --threads 1 -o $OUT/cw_mst_t1.csv --overwrite -q

bench sk_knn          $PY bench/peers/knn_sklearn.py $IN $OUT/sk_knn.csv
bench sk_within       $PY bench/peers/within_sklearn.py $IN $OUT/sk_within.csv
bench scipy_mst       $PY bench/peers/mst_scipy.py $IN $OUT/scipy_mst.csv
# NetworkX has no target: one run keeps the whole benchmark near 14 minutes.
BENCH_RUNS=1 bench nx_mst $PY bench/peers/mst_networkx.py $IN $OUT/nx_mst.csv

bench pg_knn          bench/peers/postgis.sh task knn $IN $OUT/pg_knn.csv $PGDIR $LOG/pg_knn.backend
bench pg_within       bench/peers/postgis.sh task within $IN $OUT/pg_within.csv $PGDIR $LOG/pg_within.backend
echo "$(( $(date +%s) - S ))" >"$LOG/elapsed"
cut -d' ' -f1-3 /proc/loadavg >"$LOG/load.after"
stop_pg
trap - EXIT

# Cross-checks on the last run's outputs (not timed).
: >"$LOG/crosscheck.txt"
check() {
	local label=$1
	shift
	if out=$($PY bench/crosscheck.py "$@"); then st=OK; else st=MISMATCH; fi
	printf '%s|%s|%s\n' "$label" "$st" "$out" >>"$LOG/crosscheck.txt"
	echo "$label: $st: $out" >&2
}
check "cityweave --knn 8 --sphere vs scikit-learn kNN-8" knn $OUT/cw_knn_sphere.csv $OUT/sk_knn.csv
check "cityweave --within 25km --sphere vs scikit-learn query_radius" within $OUT/cw_within_sphere.csv $OUT/sk_within.csv
check "cityweave --within 25km (WGS84) vs PostGIS ST_DWithin (spheroid)" within $OUT/cw_within.csv $OUT/pg_within.csv
check "cityweave --mst --sphere vs SciPy MST" mst $OUT/cw_mst_sphere.csv $OUT/scipy_mst.csv
check "cityweave --mst --sphere vs NetworkX MST" mst $OUT/cw_mst_sphere.csv $OUT/nx_mst.csv

$PY bench/report.py "$LOG" "$OUT" >bench/RESULTS.md.tmp
mv bench/RESULTS.md.tmp bench/RESULTS.md
echo "wrote bench/RESULTS.md" >&2
