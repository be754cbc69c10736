#!/bin/bash
# Benchmark of `cityweave green` beside PostGIS and GeoPandas on JAXA land
# cover polygonised; writes bench/GREEN_RESULTS.md. Same conventions as
# bench/degurba.sh; its own scratch space is bench/work/green/ (about 0.6 GB).
#
#   bench/green.sh                          the whole tile (below)
#   WIN="139.5 35 140 36" bench/green.sh    its east half
#   WIN="139.5 35 140 35.5" W=/tmp/g RESULTS=/tmp/g.md bench/green.sh
#                                           a small trial, same steps
#   REPEAT=3 bench/green.sh                 every command 3 times (default 1;
#                                           the raster path always 3 times)
#
# Input (reproducible, made here and kept in $W/data while the sources do
# not change):
#   - JAXA HRLULC v21.11 50 m tile N35E139 (/work/shared/data/landcover/
#     jaxa50m), cut to the window WIN = "W S E N" degrees (gdal_translate
#     -projwin, on cell edges: no resampling) and polygonised with
#     gdal_polygonize.py (4-connected, the default: 337,435 polygons for the
#     whole tile). Polygons of JAXA classes 1 (water), 3-4 (farmland), 5
#     (grass), 6-9 and 11 (forest) are GI with that gi_class; the others
#     are dropped.
#   - Zones: the municipalities of jp_municipalities_pop2020.gpkg, layer
#     wards_s0010 (wards of designated cities separate), that intersect the
#     window (ST_Intersects), with zid = their fid there.
#   - Access: the 23 wards of Tokyo (N03_007 13101-13123), the 1,767,593
#     PLATEAU building points (one person each), and GI polygonised as above
#     from the tile cut to the wards' bounding box (widened outwards to whole
#     cells).
#
# Timed, each one whole process from the GeoPackages (and GeoTIFF) to an
# output file, under GNU time -v (wall, user + system CPU, peak RSS):
#   cw_area cityweave green MUNIS --gi GI --class-field gi_class --coverage
#           --areas-only -o .gpkg -v (GI areas by class: what the peers compute)
#   cw_vec  cityweave green MUNIS --gi GI --class-field gi_class -o .gpkg -v
#           (all its indicators: areas, patches, edge density, m_eff, CBC;
#           overlaps looked for)
#   pg_vec  peers/green_postgis.py overlay: ogr2ogr into PostGIS (GiST),
#           then peers/green_overlay.sql (ST_Intersection, ST_Area on
#           geography) to a CSV
#   gp_vec  peers/green_geopandas.py: read_file, overlay(how=
#           'intersection'), areas in an ellipsoidal LAEA, to a CSV
#   cw_ras  cityweave green MUNIS --raster WINDOW.tif --classes jaxa
#   cw_acc  cityweave green WARDS --gi GI --class-field gi_class --pop PTS
#   pg_acc  peers/green_postgis.py access: ogr2ogr, peers/green_access.sql
#           (ST_ClusterDBSCAN eps 0, area on geography, ST_DWithin on
#           geography with a GiST index)
# PostGIS's peak RSS is its client's (ogr2ogr, psql) plus the query
# backend's VmHWM. The binary timed is a copy of build/cityweave in $W/bin.
set -euo pipefail
cd "$(dirname "$0")/.."

WIN=${WIN:-139 35 140 36}
REPEAT=${REPEAT:-1}
PY=/usr/bin/python3            # Debian's Python: python3-gdal, -geopandas, -rtree
W=${W:-bench/work/green}
RESULTS=${RESULTS:-bench/GREEN_RESULTS.md}
D=$W/data
CW=$W/bin/cityweave
OUT=$W/out
LOG=$W/log
JAXA=/work/shared/data/landcover/jaxa50m/LC_N35E139_50m.tif
MUNI=/work/shared/data/boundaries/japan/jp_municipalities_pop2020.gpkg
BLDGZ=/work/shared/data/buildings/tokyo23ku_plateau2020_building_points.gpkg.gz
REPORT=bench/green_report.py
. bench/lib.sh

need /usr/bin/time $PY gdal_translate gdal_polygonize.py ogr2ogr ogrinfo psql sha256sum
$PY -c 'import osgeo.ogr, geopandas, rtree' || {
	echo "$ME: needs python3-gdal, python3-geopandas and python3-rtree" >&2; exit 1; }
for f in "$JAXA" "$MUNI" "$BLDGZ"; do
	[ -e "$f" ] || { echo "$ME: $f not found (../shared/data)" >&2; exit 1; }
done

rm -rf "$OUT" "$LOG"
mkdir -p "$OUT" "$LOG" "$D" "$W/bin"
build_copy

# -- input, made once per window --
GI_SQL="SELECT geom, jaxa, CASE WHEN jaxa = 1 THEN 'water' WHEN jaxa IN (3, 4) THEN 'farmland'
	WHEN jaxa = 5 THEN 'grass' ELSE 'forest' END AS gi_class
	FROM lc WHERE jaxa IN (1, 3, 4, 5, 6, 7, 8, 9, 11)"
# gi_window NAME W S E N: $D/NAME.tif (the tile cut on cell edges) and
# $D/NAME.gpkg (its GI polygons, layer gi).
gi_window() {
	local n=$1
	shift
	read -r w s e nn < <($PY $REPORT snap "$JAXA" "$@")
	gdal_translate -q -projwin "$w" "$nn" "$e" "$s" "$JAXA" "$D/$n.tif"
	rm -f "$D/$n.poly.gpkg" "$D/$n.gpkg"
	gdal_polygonize.py -q "$D/$n.tif" -f GPKG "$D/$n.poly.gpkg" lc jaxa
	ogr2ogr -f GPKG "$D/$n.gpkg" "$D/$n.poly.gpkg" -nln gi -sql "$GI_SQL"
	$PY $REPORT census "$D/$n.poly.gpkg" >"$D/$n.census"
	rm -f "$D/$n.poly.gpkg"
}
# (Remade when a source or the window changes; after changing how, rm -r $D.)
STAMP="$(sha256sum "$JAXA" "$MUNI" "$BLDGZ" | sha256sum | cut -c1-16) $WIN"
if [ "$(cat "$D/stamp" 2>/dev/null)" != "$STAMP" ]; then
	echo "== input: window $WIN" >&2
	rm -rf "$D"
	mkdir -p "$D"
	gi_window win $WIN
	ogr2ogr -f GPKG "$D/munis.gpkg" "$MUNI" -nln munis -dialect SQLite -sql \
		"SELECT CAST(fid AS INTEGER) + 0 AS zid, N03_001, N03_004, N03_007, pop2020, geom
		 FROM wards_s0010 WHERE ST_Intersects(geom, BuildMbr($(echo $WIN | tr ' ' ,), 4326))"
	ogr2ogr -f GPKG "$D/wards.gpkg" "$MUNI" -nln wards -dialect SQLite -sql \
		"SELECT CAST(fid AS INTEGER) + 0 AS zid, N03_001, N03_004, N03_007, pop2020, geom
		 FROM wards_s0010 WHERE N03_007 BETWEEN '13101' AND '13123'"
	gi_window wardsgi $(ogrinfo -so "$D/wards.gpkg" wards |
		sed -n 's/^Extent: (\(.*\), \(.*\)) - (\(.*\), \(.*\))/\1 \2 \3 \4/p')
	gunzip -c "$BLDGZ" >"$D/buildings.gpkg"
	echo "$STAMP" >"$D/stamp"
fi
$PY $REPORT inputs "$D" "$WIN" >"$LOG/inputs.txt"

$PY -c 'import platform, geopandas, shapely, pandas, rtree, pyproj
print("Python", platform.python_version(), "GeoPandas", geopandas.__version__, "Shapely",
      shapely.__version__, "pandas", pandas.__version__, "rtree", rtree.__version__,
      "pyproj", pyproj.__version__, "(PROJ %s)" % pyproj.proj_version_str)' >"$LOG/py.version"
gdalinfo --version >"$LOG/gdal.version"
start_pg

# once NAME CMD...: one run under GNU time -v ($LOG/NAME.N.timev, N = 1..,
# REPEAT or RUNS_NAME runs), stderr in $LOG/NAME.err; a failure is noted in
# $LOG/NAME.rc and does not stop the benchmark.
once() {
	local name=$1 runs i st
	shift
	runs=$REPEAT
	case $name in cw_ras | cw_area) [ "$runs" -lt 3 ] && runs=3 ;; esac
	for i in $(seq "$runs"); do
		st=0
		echo "== $name ($i/$runs): $*" >&2
		/usr/bin/time -v -o "$LOG/$name.$i.timev" "$@" 2>"$LOG/$name.err" || st=$?
		echo "$st" >"$LOG/$name.rc"
		grep -E 'Elapsed|Maximum resident' "$LOG/$name.$i.timev" >&2 || true
		[ "$st" = 0 ] || { echo "$ME: $name failed (exit $st): $(tail -n 1 "$LOG/$name.err")" >&2; break; }
	done
}

# sample_load FILE: the 1-minute load average every 10 s into FILE until
# killed (its pid in SAMPLER).
SAMPLER=
sample_load() {
	while :; do cut -d' ' -f1 /proc/loadavg; sleep 10; done >"$1" &
	SAMPLER=$!
}
trap '[ -z "$SAMPLER" ] || kill "$SAMPLER" 2>/dev/null || true; stop_pg' EXIT

# Read once, so that every timed run finds its files in the page cache.
cat "$D"/*.gpkg "$D"/*.tif >/dev/null

S=$(date +%s)
uptime >"$LOG/uptime.before"
note_load before
sample_load "$LOG/load.samples"
once cw_area $CW green $D/munis.gpkg --gi $D/win.gpkg --class-field gi_class \
	--coverage --areas-only -o $OUT/cw_area.gpkg --overwrite -v
once cw_vec $CW green $D/munis.gpkg --gi $D/win.gpkg --class-field gi_class \
	-o $OUT/cw_vec.gpkg --overwrite -v
once pg_vec $PY bench/peers/green_postgis.py overlay "$PGDIR" $OUT/pg_vec.csv \
	$LOG/pg_vec.backend $D/munis.gpkg $D/win.gpkg
once gp_vec $PY bench/peers/green_geopandas.py $D/munis.gpkg $D/win.gpkg $OUT/gp_vec.csv
once cw_ras $CW green $D/munis.gpkg --raster $D/win.tif --classes jaxa -o $OUT/cw_ras.gpkg --overwrite -v
once cw_acc $CW green $D/wards.gpkg --gi $D/wardsgi.gpkg --class-field gi_class \
	--pop $D/buildings.gpkg -o $OUT/cw_acc.gpkg --overwrite -v
once pg_acc $PY bench/peers/green_postgis.py access "$PGDIR" $OUT/pg_acc.csv \
	$LOG/pg_acc.backend $D/wards.gpkg $D/wardsgi.gpkg $D/buildings.gpkg
kill "$SAMPLER"; SAMPLER=
echo "$(( $(date +%s) - S ))" >"$LOG/elapsed"
note_load after
uptime >"$LOG/uptime.after"
stop_pg

# -- cross-checks on the last run's outputs (not timed) --
$PY $REPORT check "$OUT" >"$LOG/crosscheck.txt" || true
cat "$LOG/crosscheck.txt" >&2

$PY $REPORT report "$LOG" "$D" >"$RESULTS.tmp"
mv "$RESULTS.tmp" "$RESULTS"
echo "wrote $RESULTS" >&2
