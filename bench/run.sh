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
CHECK=bench/crosscheck.py
. bench/lib.sh

need hyperfine /usr/bin/time $PY
prepare_run
start_pg

# The peers write only from_id,to_id,dist_km, and so does every timed
# cityweave CSV edge table (no names, no azimuths computed); the GeoJSON and
# Shapefile runs write whole features.
EDGES="--select from_id,to_id,dist_km"
S=$(date +%s)
note_load before
bench cw_knn          $CW network $IN --knn 8 $EDGES -o $OUT/cw_knn.csv --overwrite -q
bench cw_knn_sphere   $CW network $IN --knn 8 --sphere $EDGES -o $OUT/cw_knn_sphere.csv --overwrite -q
bench cw_knn_geojson  $CW network $IN --knn 8 -o $OUT/cw_knn.geojson --overwrite -q
bench cw_knn_shp      $CW network $IN --knn 8 -o $OUT/cw_knn.shp --overwrite -q
bench cw_within       $CW network $IN --within 25km $EDGES -o $OUT/cw_within.csv --overwrite -q
bench cw_within_sphere $CW network $IN --within 25km --sphere $EDGES -o $OUT/cw_within_sphere.csv --overwrite -q
bench cw_mst          $CW network $IN --mst $EDGES -o $OUT/cw_mst.csv --overwrite -q
bench cw_mst_sphere   $CW network $IN --mst --sphere $EDGES -o $OUT/cw_mst_sphere.csv --overwrite -q
# One worker thread, as the peers have (cityweave uses one per processor).
bench cw_knn_t1       $CW network $IN --knn 8 --threads 1 $EDGES -o $OUT/cw_knn_t1.csv --overwrite -q
bench cw_within_t1    $CW network $IN --within 25km --threads 1 $EDGES -o $OUT/cw_within_t1.csv --overwrite -q
bench cw_mst_t1       $CW network $IN --mst --threads 1 $EDGES -o $OUT/cw_mst_t1.csv --overwrite -q

bench sk_knn          $PY bench/peers/knn_sklearn.py $IN $OUT/sk_knn.csv
bench sk_within       $PY bench/peers/within_sklearn.py $IN $OUT/sk_within.csv
bench scipy_mst       $PY bench/peers/mst_scipy.py $IN $OUT/scipy_mst.csv
# NetworkX has no target: one run keeps the whole benchmark near 10 minutes.
BENCH_RUNS=1 bench nx_mst $PY bench/peers/mst_networkx.py $IN $OUT/nx_mst.csv

bench pg_knn          bench/peers/postgis.sh task knn $IN $OUT/pg_knn.csv $PGDIR $LOG/pg_knn.backend
bench pg_within       bench/peers/postgis.sh task within $IN $OUT/pg_within.csv $PGDIR $LOG/pg_within.backend
echo "$(( $(date +%s) - S ))" >"$LOG/elapsed"
note_load after
stop_pg

# Cross-checks on the last run's outputs (not timed).
: >"$LOG/crosscheck.txt"
check "cityweave --knn 8 --sphere vs scikit-learn kNN-8" knn $OUT/cw_knn_sphere.csv $OUT/sk_knn.csv
check "cityweave --within 25km --sphere vs scikit-learn query_radius" within $OUT/cw_within_sphere.csv $OUT/sk_within.csv
check "cityweave --within 25km (WGS84) vs PostGIS ST_DWithin (spheroid)" within $OUT/cw_within.csv $OUT/pg_within.csv
check "cityweave --mst --sphere vs SciPy MST" mst $OUT/cw_mst_sphere.csv $OUT/scipy_mst.csv
check "cityweave --mst --sphere vs NetworkX MST" mst $OUT/cw_mst_sphere.csv $OUT/nx_mst.csv

$PY bench/report.py "$LOG" "$OUT" >bench/RESULTS.md.tmp
mv bench/RESULTS.md.tmp bench/RESULTS.md
echo "wrote bench/RESULTS.md" >&2
