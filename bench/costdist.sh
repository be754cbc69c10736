#!/bin/bash
# Benchmark of cityweave's cost distance (cw_costdist) against GRASS r.cost
# and scikit-image MCP_Geometric on a 4,800 x 4,800 friction grid made from
# JAXA land cover; writes bench/COSTDIST_RESULTS.md. Same conventions as
# bench/run.sh; its own scratch space is bench/work/costdist/.
#
#   bench/costdist.sh              (RUNS=3 by default; RUNS=1 for a quick look)
#   SIZE=600 RUNS=1 bench/costdist.sh   a small trial, same steps
#
# Input (reproducible, made here): JAXA's 50 m land cover (v21.11) tiles
# N36E138 and N36E139 (/work/shared/data/landcover/jaxa50m), mosaicked,
# warped to UTM 54N (EPSG:32654) at 20 m, nearest neighbour, and the middle
# SIZE x SIZE cells cut out (at 4,800: 138.4-139.5 E, 36.1-36.9 N, the
# mountains of Gunma and eastern Nagano down to Maebashi and Takasaki).
# Each class becomes a walking friction in minutes per metre
# (60 / (1000 km/h), speeds in bench/costdist_report.py SPEED); water and no
# data are impassable.
# Ten sources on urban cells, drawn with a fixed seed.
#
# Every timed command is one whole process from the raw float32 grid to a
# raw float64 cost grid on disk:
#   cityweave     the peer mode of build/tests/test_costdist (no CLI yet):
#                 reads friction.f32, cw_costdist, writes cost.f64 and
#                 origin.i32 (the allocation too); 8 and 16 neighbours
#   r.cost        tests/cli/costdist_peer.py run-grass: a GRASS session in
#                 a throwaway XY location, r.in.bin, r.cost (-k for 16)
#                 with nearest=, r.out.bin; r.cost's own time is also kept
#   scikit-image  tests/cli/costdist_peer.py run-skimage: numpy.fromfile,
#                 MCP_Geometric(fully_connected=True).find_costs, tofile
#                 (no allocation: it has none)
set -euo pipefail
cd "$(dirname "$0")/.."

RUNS=${RUNS:-3}
SIZE=${SIZE:-4800}
PY=/usr/bin/python3            # Debian's Python with python3-skimage, python3-gdal
TC=build/tests/test_costdist
W=bench/work/costdist
OUT=$W/out
LOG=$W/log
JAXA=/work/shared/data/landcover/jaxa50m
PEER=tests/cli/costdist_peer.py
REPORT=bench/costdist_report.py
. bench/lib.sh

need hyperfine /usr/bin/time $PY grass gdalbuildvrt gdalwarp gdal_translate
$PY -c 'import skimage.graph, osgeo.gdal' || { echo "$ME: needs python3-skimage and python3-gdal" >&2; exit 1; }

rm -rf "$OUT" "$LOG"
mkdir -p "$OUT" "$LOG" "$W/cw8" "$W/cw16"
make B=build "$TC" >"$LOG/make.log" 2>&1 || { cat "$LOG/make.log" >&2; exit 1; }

# -- the friction grid --
if [ ! -s "$W/lc_utm.tif" ]; then
	gdalbuildvrt -q "$W/lc.vrt" "$JAXA/LC_N36E138_50m.tif" "$JAXA/LC_N36E139_50m.tif"
	gdalwarp -q -overwrite -t_srs EPSG:32654 -tr 20 20 -r near -dstnodata 0 \
		"$W/lc.vrt" "$W/lc_utm.tif"
fi
read -r nx ny < <(gdalinfo "$W/lc_utm.tif" | sed -n 's/^Size is \([0-9]*\), \([0-9]*\)/\1 \2/p')
gdal_translate -q -srcwin $(((nx - SIZE) / 2)) $(((ny - SIZE) / 2)) "$SIZE" "$SIZE" \
	"$W/lc_utm.tif" "$W/lc_crop.tif"
$PY $REPORT friction "$W/lc_crop.tif" "$W/cw8" 0 >"$LOG/input.txt"
$PY $REPORT friction "$W/lc_crop.tif" "$W/cw16" 1 >/dev/null

grass --version 2>&1 | head -n 1 >"$LOG/grass.version" || true
$PY -c 'import skimage, numpy; print("scikit-image", skimage.__version__, "numpy", numpy.__version__)' \
	>"$LOG/skimage.version"

# -- timed runs --
S=$(date +%s)
uptime >"$LOG/uptime.before"
note_load before
bench cw8     env CW_COSTDIST_PEER_DIR=$W/cw8 $TC
bench cw16    env CW_COSTDIST_PEER_DIR=$W/cw16 $TC
bench sk8     $PY $PEER run-skimage $W/cw8 $OUT/sk8.f64
bench rcost8  $PY $PEER run-grass $W/cw8 $OUT/rc8.f64 $OUT/rc8_near.i32
bench rcost16 $PY $PEER run-grass $W/cw16 $OUT/rc16.f64 $OUT/rc16_near.i32
echo "$(( $(date +%s) - S ))" >"$LOG/elapsed"
note_load after
uptime >"$LOG/uptime.after"
mv "$W/cw8/rcost.time" "$LOG/rcost8.time"
mv "$W/cw16/rcost.time" "$LOG/rcost16.time"

# -- cross-checks on the last run's outputs (not timed) --
: >"$LOG/crosscheck.txt"
$PY $REPORT check "$W" "$LOG/crosscheck.txt"
cat "$LOG/crosscheck.txt" >&2

$PY $REPORT report "$LOG" "$SIZE" >bench/COSTDIST_RESULTS.md.tmp
mv bench/COSTDIST_RESULTS.md.tmp bench/COSTDIST_RESULTS.md
echo "wrote bench/COSTDIST_RESULTS.md" >&2
