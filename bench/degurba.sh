#!/bin/bash
# Benchmark of `cityweave linkage degurba` on a grid of 100,928,997 cells,
# beside the independent NumPy/SciPy reference tests/cli/degurba_ref.py;
# writes bench/DEGURBA_RESULTS.md. Same conventions as bench/run.sh; its
# own scratch space is bench/work/degurba/ (about 2.5 GB: the mosaic 0.9 GB,
# the polygons 1.5 GB).
#
#   bench/degurba.sh                      RUNS=3; the reference once per level
#   REF_LEVELS=1 bench/degurba.sh         the reference at level 1 only
#                                         (REF_LEVELS= : not at all)
#   REF_RERUN=1 bench/degurba.sh          run the reference again (see below)
#   TILES="4 4" RUNS=1 W=/tmp/dg RESULTS=/tmp/dg.md bench/degurba.sh
#                                         a small trial, same steps
#
# Input (reproducible, made here by degurba_report.py mosaic): the real GHSL
# 1 km grids of Belgium in data/belgium (GHS-POP 2020, Float64; GHS-LAND
# 2018 and GHS-BUILT-S 2020, UInt32; 303 x 219 cells, ESRI:54009 Mollweide)
# laid side by side TILES (default 39 x 39) times: 11,817 x 8,541 cells.
# The first copy keeps the original origin (187,000 m E, 6,035,000 m N) and
# the others continue east and south on the same 1 km lattice, so the three
# grids stay aligned and every corner lies inside the Mollweide ellipse
# (north-west 51.6 N 2.5 E, north-east 51.6 N 161.2 E, south-west 20.4 S
# 1.9 E, south-east 20.4 S 124.7 E). Each is one tiled (256 x 256) DEFLATE
# GeoTIFF with the original data type and nodata, written once and kept.
#
# Timed (every command one whole process, from the three GeoTIFFs to the
# class GeoTIFF, and the polygons where asked):
#   cw_l1, cw_l1p   cityweave level 1 --land --built, without / with
#                   --polygons (GeoPackage)
#   cw_l2, cw_l2p   the same at level 2
#   ref_l1, ref_l2  degurba_report.py ref: tests/cli/degurba_ref.py's main()
#                   with only its centre table vectorised (see that script);
#                   once each, under GNU time -v, because each takes about
#                   half an hour and 8 GB; a failure (out of memory) is
#                   reported. Its outputs, times and load averages are kept
#                   in $W/ref/ and reused while degurba_ref.py and the mosaic
#                   are unchanged: it does not depend on cityweave.
# Untimed: one cityweave level 1 run with --polygons and -v, for its step
# times.
#
# Others rebuild build/cityweave while this runs: the binary is built, then
# copied to $W/bin/ and that copy is timed; $LOG/build.txt says what it is.
set -euo pipefail
cd "$(dirname "$0")/.."

RUNS=${RUNS:-3}
TILES=${TILES:-39 39}
REF_LEVELS=${REF_LEVELS-1 2}
PY=/usr/bin/python3            # Debian's Python with python3-gdal, numpy, scipy
W=${W:-bench/work/degurba}
RESULTS=${RESULTS:-bench/DEGURBA_RESULTS.md}
CW=$W/bin/cityweave
M=$W/mosaic
OUT=$W/out
LOG=$W/log
REF=$W/ref
REPORT=bench/degurba_report.py
. bench/lib.sh

need hyperfine /usr/bin/time $PY gdalinfo sha256sum
$PY -c 'import osgeo.gdal, scipy.ndimage' || { echo "$ME: needs python3-gdal and python3-scipy" >&2; exit 1; }

rm -rf "$OUT" "$LOG"
mkdir -p "$OUT" "$LOG" "$M" "$REF" "$W/bin"
build_copy

# -- the mosaic, made once per tiling --
read -r TX TY <<<"$TILES"
if [ "$(head -n 1 "$M/mosaic.txt" 2>/dev/null | cut -d' ' -f1-2)" != "$TX $TY" ]; then
	echo "== mosaic: $TX x $TY copies of data/belgium" >&2
	rm -f "$M"/*
	$PY $REPORT mosaic data/belgium "$M" "$TX" "$TY"
fi
cp "$M/mosaic.txt" "$LOG/mosaic.txt"
IN="$M/pop.tif --land $M/land.tif --built $M/built.tif"
# Read once, so that every timed run finds the files in the page cache.
cat "$M"/*.tif >/dev/null

$PY -c 'import platform, numpy, scipy; from osgeo import gdal
print("Python", platform.python_version(), "numpy", numpy.__version__, "SciPy",
      scipy.__version__, "GDAL", gdal.__version__)' >"$LOG/py.version"
gdalinfo --version >"$LOG/gdal.version"

# once DIR NAME CMD...: one run under GNU time -v (DIR/NAME.timev), stderr
# in DIR/NAME.err, exit status in DIR/NAME.rc; a failure does not stop the
# benchmark.
once() {
	local dir=$1 name=$2 st=0
	shift 2
	echo "== $name (once): $*" >&2
	/usr/bin/time -v -o "$dir/$name.timev" "$@" 2>"$dir/$name.err" || st=$?
	echo "$st" >"$dir/$name.rc"
	grep -E 'Elapsed|Maximum resident' "$dir/$name.timev" >&2 || true
	[ "$st" = 0 ] || echo "$ME: $name failed (exit $st): $(tail -n 1 "$dir/$name.err")" >&2
}

# sample_load FILE: the 1-minute load average every 10 s into FILE until
# killed (by its pid, kept in SAMPLER).
SAMPLER=
sample_load() {
	while :; do cut -d' ' -f1 /proc/loadavg; sleep 10; done >"$1" &
	SAMPLER=$!
}
trap '[ -z "$SAMPLER" ] || kill "$SAMPLER" 2>/dev/null || true' EXIT

# -- timed runs: cityweave --
S=$(date +%s)
uptime >"$LOG/uptime.before"
note_load before
sample_load "$LOG/load.samples"
for lv in 1 2; do
	bench cw_l$lv  $CW linkage degurba $IN --level $lv -o $OUT/cw_l$lv.tif --overwrite -q
	bench cw_l${lv}p $CW linkage degurba $IN --level $lv -o $OUT/cw_l${lv}p.tif \
		--polygons $OUT/cw_l${lv}p.gpkg --overwrite -q
done
kill "$SAMPLER"; SAMPLER=
echo "$(( $(date +%s) - S ))" >"$LOG/elapsed"
note_load after
uptime >"$LOG/uptime.after"

# -- timed runs: the reference, unless kept from an earlier run --
STAMP="$(sha256sum tests/cli/degurba_ref.py | cut -c1-16) $(head -n 1 "$M/mosaic.txt")"
if [ -n "${REF_RERUN:-}" ] || [ "$(cat "$REF/stamp" 2>/dev/null)" != "$STAMP" ]; then
	rm -rf "$REF"
	mkdir -p "$REF"
fi
for lv in $REF_LEVELS; do
	[ -e "$REF/ref_l$lv.rc" ] && continue
	echo "$STAMP" >"$REF/stamp"
	cut -d' ' -f1-3 /proc/loadavg >"$REF/ref_l$lv.load.before"
	sample_load "$REF/ref_l$lv.load.samples"
	date -u '+%Y-%m-%d %H:%M UTC' >"$REF/ref_l$lv.date"
	once "$REF" ref_l$lv $PY $REPORT ref $IN --level $lv -o $REF/ref_l$lv.tif \
		--centres-csv $REF/ref_l$lv.csv
	kill "$SAMPLER"; SAMPLER=
	cut -d' ' -f1-3 /proc/loadavg >"$REF/ref_l$lv.load.after"
done

# -- untimed: where cityweave's time goes --
/usr/bin/time -f '%e s: end (peak RSS %M kB)' -o "$LOG/cw_l1_steps.end" \
	$CW linkage degurba $IN -o $OUT/steps.tif --polygons $OUT/steps.gpkg --overwrite -v \
	2>"$LOG/cw_l1_steps.txt"

# -- cross-checks on the last run's outputs (not timed) --
: >"$LOG/crosscheck.txt"
for lv in 1 2; do
	if [ -s "$REF/ref_l$lv.tif" ]; then
		if $PY tests/cli/degurba_compare.py $REF/ref_l$lv.tif $OUT/cw_l${lv}p.tif \
			>"$LOG/compare_l$lv.txt"; then st=OK; else st=MISMATCH; fi
		printf 'level %s: tests/cli/degurba_compare.py, reference vs cityweave|%s|%s\n' \
			"$lv" "$st" "$(tail -n 1 "$LOG/compare_l$lv.txt")" >>"$LOG/crosscheck.txt"
	fi
	$PY $REPORT check "$W" "$lv" "$LOG/crosscheck.txt"
done
# `ref` changes only the centre table: on Belgium it must give the unmodified
# script's outputs.
BE="data/belgium/ghs_pop_2020.tif --land data/belgium/ghs_land_2018.tif --built data/belgium/ghs_built_s_2020.tif"
$PY tests/cli/degurba_ref.py $BE -o $OUT/be_ref.tif --centres-csv $OUT/be_ref.csv 2>/dev/null
$PY $REPORT ref $BE -o $OUT/be_wrap.tif --centres-csv $OUT/be_wrap.csv 2>/dev/null
$PY $REPORT wrapcheck $OUT/be_ref.csv $OUT/be_wrap.csv $OUT/be_ref.tif $OUT/be_wrap.tif \
	"$LOG/crosscheck.txt"
cat "$LOG/crosscheck.txt" >&2

$PY $REPORT report "$LOG" "$W" >"$RESULTS.tmp"
mv "$RESULTS.tmp" "$RESULTS"
echo "wrote $RESULTS" >&2
