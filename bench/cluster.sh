#!/bin/bash
# Benchmark of `cityweave cluster` (DBSCAN, HDBSCAN) against scikit-learn,
# PostGIS ST_ClusterDBSCAN, GRASS v.cluster and R dbscan::hdbscan; writes
# bench/CLUSTER_RESULTS.md.  Same conventions as bench/run.sh (the network
# benchmark); its own scratch space is bench/work/cluster/.
#
#   bench/cluster.sh          (RUNS=3 by default; RUNS=1 for a quick look)
#
# DBSCAN: all 199,568 GeoNames cities500 (bench/work/cities500.csv, made by
# bench/prepare.sh), eps 50 km, min-pts 5.  HDBSCAN: tests/data/geonames_20000.csv,
# min cluster size 5.  Every timed command is one whole process, from the
# input file to a labelled CSV on disk.
set -euo pipefail
cd "$(dirname "$0")/.."

RUNS=${RUNS:-3}
PY=/usr/bin/python3            # Debian's Python: scikit-learn 1.2
CW=build/cityweave
W=bench/work/cluster
IN=bench/work/cities500.csv
IN20=tests/data/geonames_20000.csv
OUT=$W/out
LOG=$W/log
CHECK=bench/peers/cluster_crosscheck.py
. bench/lib.sh

need hyperfine /usr/bin/time $PY grass Rscript
prepare_run
start_pg
grass --version 2>&1 | head -n 1 >"$LOG/grass.version" || true
Rscript -e 'cat(R.version.string, "; dbscan ", format(packageVersion("dbscan")), "\n", sep = "")' \
	>"$LOG/r.version" 2>/dev/null || true

# Other benchmarks running at the same time (e.g. bench/run.sh) skew the
# timings: note any seen at the start or end.
others() { ps -eo pid=,args= | awk -v me=$$ '$1 != me && /hyperfine|bench\/run\.sh/ && !/awk/ { $1 = ""; print substr($0, 2, 80) }'; }
S=$(date +%s)
others >"$LOG/others.before"
uptime >"$LOG/uptime.before"
note_load before
DB="--method dbscan --eps 50km --min-pts 5"
bench cw_dbscan        $CW cluster $IN $DB -o $OUT/cw_dbscan.csv --overwrite -q
bench cw_dbscan_sphere $CW cluster $IN $DB --sphere -o $OUT/cw_dbscan_sphere.csv --overwrite -q
bench cw_dbscan_t1     $CW cluster $IN $DB --threads 1 -o $OUT/cw_dbscan_t1.csv --overwrite -q
bench sk_dbscan        $PY bench/peers/cluster_sklearn.py $IN $OUT/sk_dbscan.csv 50 5
bench pg_dbscan        bench/peers/cluster_postgis.sh $IN $OUT/pg_dbscan.csv $PGDIR $LOG/pg_dbscan.backend 50000 5
bench grass_dbscan     bench/peers/cluster_grass.sh $IN $OUT/grass_dbscan.csv 50000 5

HD="--method hdbscan --min-cluster-size 5"
bench cw_hdbscan        $CW cluster $IN20 $HD -o $OUT/cw_hdbscan.csv --overwrite -q
bench cw_hdbscan_sphere $CW cluster $IN20 $HD --sphere -o $OUT/cw_hdbscan_sphere.csv --overwrite -q
bench cw_hdbscan_t1     $CW cluster $IN20 $HD --threads 1 -o $OUT/cw_hdbscan_t1.csv --overwrite -q
bench r_hdbscan         Rscript bench/peers/cluster_hdbscan.R $IN20 $OUT/r_hdbscan.csv 5
echo "$(( $(date +%s) - S ))" >"$LOG/elapsed"
note_load after
uptime >"$LOG/uptime.after"
others >"$LOG/others.after"
stop_pg

# Cross-checks on the last run's outputs (not timed).
: >"$LOG/crosscheck.txt"
check "DBSCAN: cityweave --sphere vs scikit-learn (core, noise, core partition)" \
	dbscan $OUT/cw_dbscan_sphere.csv $OUT/sk_dbscan.csv 50
info "DBSCAN: cityweave (WGS84) vs cityweave --sphere" compare $OUT/cw_dbscan.csv $OUT/cw_dbscan_sphere.csv
check "DBSCAN: cityweave --threads 1 vs default threads" partition $OUT/cw_dbscan_t1.csv $OUT/cw_dbscan.csv
info "DBSCAN: cityweave (WGS84) vs PostGIS (planar EPSG:4087)" compare $OUT/cw_dbscan.csv $OUT/pg_dbscan.csv
info "DBSCAN: cityweave (WGS84) vs GRASS v.cluster (planar EPSG:4087)" compare $OUT/cw_dbscan.csv $OUT/grass_dbscan.csv
info "DBSCAN: PostGIS vs GRASS (same projection)" compare $OUT/pg_dbscan.csv $OUT/grass_dbscan.csv
check "HDBSCAN: cityweave --sphere vs R dbscan::hdbscan (noise, partition)" partition $OUT/cw_hdbscan_sphere.csv $OUT/r_hdbscan.csv
info "HDBSCAN: cityweave (WGS84) vs R dbscan::hdbscan" compare $OUT/cw_hdbscan.csv $OUT/r_hdbscan.csv
check "HDBSCAN: cityweave --threads 1 vs default threads" partition $OUT/cw_hdbscan_t1.csv $OUT/cw_hdbscan.csv

$PY bench/cluster_report.py "$LOG" "$OUT" >bench/CLUSTER_RESULTS.md.tmp
mv bench/CLUSTER_RESULTS.md.tmp bench/CLUSTER_RESULTS.md
echo "wrote bench/CLUSTER_RESULTS.md" >&2
