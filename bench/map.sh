#!/bin/bash
# Benchmark of `cityweave map` beside gdal_rasterize: the 199,568 GeoNames
# cities and their 8-nearest-neighbour edges drawn on a 4000 x 2000 Equal
# Earth PNG; writes bench/MAP_RESULTS.md. Same conventions as bench/run.sh
# (hyperfine, /usr/bin/time for the peak memory); scratch in bench/work/map/.
#
#   bench/map.sh              (RUNS=3 by default)
#
# Inputs, made here and not timed: bench/prepare.sh's cities500.csv; the
# cities as a FlatGeobuf (ogr2ogr) and their `network --knn 8` edges as a
# FlatGeobuf (from_id, to_id), both read by every timed command.
#
# Timed, each one whole process:
#   cityweave       cityweave map: both layers projected, cut, clipped and
#                   drawn antialiased (edges 0.5 px, cities 2 px circles),
#                   PNG written
#   rasterize       gdal_rasterize of the same two layers, already projected
#                   (ogr2ogr -t_srs, not timed), into one 4000 x 2000 Byte
#                   GeoTIFF on the same grid: 1-pixel lines and points, no
#                   antialiasing, no symbols
#   ogr2ogr+rasterize  the projection with ogr2ogr too (what it takes GDAL
#                   to go from the same files to the same picture)
# Then, not timed: the IoU of cityweave's pixels and gdal_rasterize's.
set -euo pipefail
cd "$(dirname "$0")/.."

RUNS=${RUNS:-3}
PY=/usr/bin/python3
CW=build/cityweave
W=bench/work/map
OUT=$W/out
LOG=$W/log
EE="+proj=eqearth +lon_0=0 +ellps=WGS84 +units=m"
. bench/lib.sh

need hyperfine /usr/bin/time $PY ogr2ogr gdal_rasterize
prepare_run
mkdir -p "$W"
[ -s "$W/cities.fgb" ] || ogr2ogr -f FlatGeobuf "$W/cities.fgb" bench/work/cities500.csv \
	-oo X_POSSIBLE_NAMES=lon -oo Y_POSSIBLE_NAMES=lat -a_srs EPSG:4326 -nln cities
[ -s "$W/knn8.fgb" ] || $CW network bench/work/cities500.csv --knn 8 --select from_id,to_id \
	-o "$W/knn8.fgb" -q
cities=$(ogrinfo -ro -so "$W/cities.fgb" cities | sed -n 's/Feature Count: //p')
edges=$(ogrinfo -ro -so "$W/knn8.fgb" knn8 | sed -n 's/Feature Count: //p')
echo "$cities cities, $edges edges" >"$LOG/input.txt"

# The grid: cityweave's own, from its world file (a first, untimed run).
MAP=(map "$W/knn8.fgb:color=#0072B2;width=0.5" "$W/cities.fgb:color=#D55E00;size=2;outline=none"
	--basemap none --proj equal-earth --size 4000x2000 --overwrite -q)
$CW "${MAP[@]}" --world-file -o "$OUT/grid.png"
read -r te < <($PY -c '
import sys
v = [float(x) for x in open(sys.argv[1]).read().split()]
res, x0, y0 = v[0], v[4] - v[0] / 2, v[5] - v[3] / 2
print(x0, y0 - 2000 * res, x0 + 4000 * res, y0)' "$OUT/grid.wld")
# The peer's inputs, projected once.
project() { ogr2ogr -f FlatGeobuf -t_srs "$EE" "$1" "$2" 2>/dev/null; }
project "$W/knn8_ee.fgb" "$W/knn8.fgb"
project "$W/cities_ee.fgb" "$W/cities.fgb"
RAST="gdal_rasterize -q -burn 1 -ot Byte -co COMPRESS=NONE -te $te -ts 4000 2000"
cat >"$W/rasterize.sh" <<EOF
#!/bin/sh
set -e
rm -f $OUT/peer.tif
$RAST -l knn8 $W/knn8_ee.fgb $OUT/peer.tif
gdal_rasterize -q -burn 2 -l cities $W/cities_ee.fgb $OUT/peer.tif
EOF
cat >"$W/project_rasterize.sh" <<EOF
#!/bin/sh
set -e
rm -f $W/p_knn8.fgb $W/p_cities.fgb $OUT/peer2.tif
ogr2ogr -f FlatGeobuf -t_srs "$EE" $W/p_knn8.fgb $W/knn8.fgb -nln knn8 2>/dev/null
ogr2ogr -f FlatGeobuf -t_srs "$EE" $W/p_cities.fgb $W/cities.fgb -nln cities 2>/dev/null
$RAST -l knn8 $W/p_knn8.fgb $OUT/peer2.tif
gdal_rasterize -q -burn 2 -l cities $W/p_cities.fgb $OUT/peer2.tif
EOF
chmod +x "$W/rasterize.sh" "$W/project_rasterize.sh"
gdal_rasterize --version >"$LOG/gdal.version"
$CW --version >"$LOG/cityweave.version"

# -- timed runs --
uptime >"$LOG/uptime.before"
note_load before
bench cityweave $CW "${MAP[@]}" -o "$OUT/cw.png"
bench rasterize "$W/rasterize.sh"
bench ogr2ogr+rasterize "$W/project_rasterize.sh"
note_load after
uptime >"$LOG/uptime.after"

# -- the same pixels? (not timed): cityweave's drawn pixels against
#    gdal_rasterize's, edges and cities together --
$PY - "$OUT/cw.png" "$OUT/peer.tif" >"$LOG/iou.txt" <<'PY'
import sys
import numpy as np
from osgeo import gdal
cw = gdal.Open(sys.argv[1]).ReadAsArray().astype(int)
bg = np.array([233, 240, 245]).reshape(3, 1, 1)        # the sea colour
drawn = np.abs(cw - bg).max(axis=0) > 60
ref = gdal.Open(sys.argv[2]).ReadAsArray() > 0
both, either = (drawn & ref).sum(), (drawn | ref).sum()
print(f"{drawn.sum()} pixels drawn by cityweave, {ref.sum()} by gdal_rasterize, "
      f"{both} by both: IoU {both / either:.3f}; "
      f"{(ref & ~drawn).sum()} rasterised but not drawn")
PY
cat "$LOG/iou.txt" >&2

$PY - "$LOG" >bench/MAP_RESULTS.md.tmp <<'PY'
import json, sys, os
log = sys.argv[1]
def t(name):
    r = json.load(open(f"{log}/{name}.json"))["results"][0]
    rss = max(int(x) for x in open(f"{log}/{name}.rss").read().split())
    return r["mean"], r["stddev"], r["min"], rss / 1024
rows = [("cityweave map", "cityweave"), ("gdal_rasterize (inputs projected beforehand)", "rasterize"),
        ("ogr2ogr -t_srs + gdal_rasterize", "ogr2ogr+rasterize")]
cw = t("cityweave")[0]
runs = len(json.load(open(f"{log}/cityweave.json"))["results"][0]["times"])
read = lambda f: open(f"{log}/{f}").read().strip()
print("# `cityweave map` beside gdal_rasterize\n")
print(f"Input: {read('input.txt')} (GeoNames cities500, `cityweave network --knn 8`), "
      "both as FlatGeobuf. Output: 4000 x 2000 pixels, Equal Earth. Produced by "
      "`bench/map.sh`; every command is one whole process, timed with hyperfine "
      f"({runs} runs each), peak memory from `/usr/bin/time`.\n")
print("| command | mean s | ± s | min s | peak RSS MB | time / cityweave |")
print("|---|---:|---:|---:|---:|---:|")
for label, name in rows:
    m, sd, mn, rss = t(name)
    print(f"| {label} | {m:.2f} | {sd:.2f} | {mn:.2f} | {rss:.0f} | {m / cw:.2f} |")
print()
print(f"Same pixels: {read('iou.txt')}.\n")
print("What each draws: cityweave projects, cuts at the seam, clips and draws both layers "
      "antialiased (edges 0.5 px wide, cities as 2 px circles) and writes a PNG; "
      "gdal_rasterize burns 1-pixel lines and points without antialiasing into an "
      "uncompressed GeoTIFF, from inputs projected beforehand by ogr2ogr (second row) or "
      "in the timed run (third row). The overlap is not 1: a 0.5 px antialiased line is "
      "drawn (here: differs from the sea by more than 60 levels) on fewer pixels than a "
      "1-pixel burned one; tests/cli/test_map.sh compares equal widths (IoU above 0.98).\n")
print(f"Machine: {os.cpu_count()} cores, shared; load average before "
      f"{read('load.before')}, after {read('load.after')}. "
      f"{read('gdal.version')}; {read('cityweave.version')}.")
PY
mv bench/MAP_RESULTS.md.tmp bench/MAP_RESULTS.md
echo "wrote bench/MAP_RESULTS.md" >&2
