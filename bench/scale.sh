#!/bin/bash
# Peak memory of `cityweave network --knn 8` and `cluster --method dbscan`
# on 1, 3 and 10 million points, to show it grows linearly with the input
# (issue 7); writes bench/SCALE_RESULTS.md.
#
#   bench/scale.sh                 (SIZES="1000000 3000000 10000000" by default)
#
# The points are real GeoNames cities500 coordinates drawn with
# replacement and jittered by 2 km (tests/cli/scale_points.py, seed 7), written
# as id,lon,lat. Each command runs once under GNU time; the peak resident
# set size and the wall time are kept. Memory does not depend on the load
# of the machine; the wall times do, so the load average is noted.
# Scratch space: bench/work/scale/ (about 2 GB at 10 million points).
set -euo pipefail
cd "$(dirname "$0")/.."

PY=/usr/bin/python3
CW=build/cityweave
W=bench/work/scale
CITIES=/work/shared/data/cities/geonames_cities500.tsv
SIZES=${SIZES:-1000000 3000000 10000000}
if [ ! -r "$CITIES" ]; then
	echo "scale.sh: skipped: $CITIES not found (../shared is absent)" >&2
	exit 0
fi
make B=build build/cityweave >/dev/null
mkdir -p "$W"
LOG=$W/runs.tsv
printf 'n\tcommand\tmax_rss_kb\twall_s\tload\n' >"$LOG"

# run N NAME CMD...: one run under GNU time, a row of $LOG.
run() {
	local n=$1 name=$2
	shift 2
	echo "== $n $name: $*" >&2
	/usr/bin/time -f '%M %e' -o "$W/time" "$@"
	printf '%s\t%s\t%s\t%s\t%s\n' "$n" "$name" $(cat "$W/time") "$(cut -d' ' -f1 /proc/loadavg)" >>"$LOG"
}

# a baseline: libraries and buffers, whatever the number of points
head -n 1001 tests/data/geonames_2000.csv | cut -d, -f1,3,4 >"$W/pts_1000.csv"
for n in 1000 $SIZES; do
	in=$W/pts_$n.csv
	[ "$n" = 1000 ] || $PY tests/cli/scale_points.py "$CITIES" "$n" "$in"
	run "$n" "network --knn 8" "$CW" network "$in" --knn 8 --select from_id,to_id,dist_km \
		-o "$W/edges.csv" --overwrite -q
	run "$n" "cluster --method dbscan" "$CW" cluster "$in" --method dbscan --eps 2km --min-pts 10 \
		-o "$W/labels.csv" --overwrite -q
	[ "$n" = 1000 ] || rm -f "$in"
done
rm -f "$W/edges.csv" "$W/labels.csv" "$W/time"
$PY - "$LOG" "$(nproc)" "$(git rev-parse --short HEAD)" >bench/SCALE_RESULTS.md <<'PY'
import csv, sys
rows = list(csv.DictReader(open(sys.argv[1]), delimiter="\t"))
print("# Peak memory at scale (bench/scale.sh)\n")
print(f"cityweave {sys.argv[3]}, {sys.argv[2]} cores; points: GeoNames cities500 coordinates drawn "
      "with replacement, 2 km Gaussian jitter (tests/cli/scale_points.py). One run each under GNU "
      "time; the 1,000-point row is the baseline (libraries, buffers).\n")
print("| points | command | peak RSS (MB) | bytes per point | bytes per point above the baseline | wall (s) | load |")
print("|---:|---|---:|---:|---:|---:|---:|")
base = {r["command"]: int(r["max_rss_kb"]) for r in rows if r["n"] == "1000"}
for r in rows:
    n, kb = int(r["n"]), int(r["max_rss_kb"])
    per = kb * 1024 / n
    above = (kb - base[r["command"]]) * 1024 / n if n > 1000 else float("nan")
    print(f"| {n:,} | `{r['command']}` | {kb / 1024:,.0f} | {per:,.0f} | "
          f"{'' if n == 1000 else f'{above:,.0f}'} | {float(r['wall_s']):,.1f} | {r['load']} |")
PY
cat bench/SCALE_RESULTS.md
