# test_bad.sh: the bad-input catalogue in tests/bad/ (see its README.md):
# each file gives the documented result or exit 1 with one line naming
# the file, the row and the problem, and no output. Shapefiles are made
# here from the catalogue's text files with ogr2ogr, independently of
# cityweave.
# SPDX-License-Identifier: MIT
. tests/cli/lib.sh
B=tests/bad

# bad NAME MESSAGE CMD...: CMD exits 1 with the one line MESSAGE (a
# substring) on stderr and leaves no output ($T/o.*) behind.
bad() {
    name=$1
    msg=$2
    shift 2
    fails 1 "$name: exit 1" "$@"
    check "$name: one line '$msg'" has_line "$msg"
    check "$name: no output" sh -c "! ls '$T'/o.* >/dev/null 2>&1"
}

# names GEOJSON: the from_name/to_name pairs of a network, sorted.
names() {
    $PY -c "import json,sys
for f in json.load(open(sys.argv[1], encoding='utf-8'))['features']:
    p = f['properties']; print(p['from_name'], p['to_name'])" "$1" | sort
}
printf 'Genève Besançon\nZürich Besançon\n' >"$T/names.want"

# -- text encodings --
bad "Latin-1 CSV" "latin1.csv' line 2: not UTF-8 text (byte 0xFC; convert the file, e.g. iconv" \
    "$CW" network $B/latin1.csv --knn 1 -o "$T/o.geojson"
bad "NUL byte in a CSV" "nul_byte.csv' line 3: not UTF-8 text (byte 0x00;" \
    "$CW" network $B/nul_byte.csv --knn 1 -o "$T/o.geojson"

# A Latin-1 DBF as ogr2ogr writes it: a .cpg saying LATIN1, language byte 0.
mkdir "$T/l1"
ogr2ogr -f "ESRI Shapefile" "$T/l1/c.shp" $B/accents.csv -oo X_POSSIBLE_NAMES=lon \
    -oo Y_POSSIBLE_NAMES=lat -a_srs EPSG:4326 -lco ENCODING=LATIN1
check "the DBF holds Latin-1 bytes (Z\\xfcrich)" grep -q "$(printf 'Z\374rich')" "$T/l1/c.dbf"
check "ogr2ogr wrote a .cpg naming LATIN1" grep -qx LATIN1 "$T/l1/c.cpg"
"$CW" network "$T/l1/c.shp" --knn 1 -o "$T/l1.geojson" -q
names "$T/l1.geojson" >"$T/l1.names"
check "Latin-1 DBF with .cpg: names come out as UTF-8" cmp -s "$T/l1.names" "$T/names.want"
rm "$T/l1/c.cpg"
bad "Latin-1 DBF without .cpg" \
    "c.shp' row 1: field 'name' is not UTF-8 text (name its encoding in a .cpg file, e.g. LATIN1, or set SHAPE_ENCODING=LATIN1)" \
    "$CW" network "$T/l1/c.shp" --knn 1 -o "$T/o.geojson"
SHAPE_ENCODING=LATIN1 "$CW" network "$T/l1/c.shp" --knn 1 -o "$T/l1_env.geojson" -q
names "$T/l1_env.geojson" >"$T/l1_env.names"
check "Latin-1 DBF without .cpg, SHAPE_ENCODING=LATIN1: names as UTF-8" \
    cmp -s "$T/l1_env.names" "$T/names.want"
echo UTF-8 >"$T/l1/c.cpg"
bad "Latin-1 DBF whose .cpg says UTF-8" "c.shp' row 1: field 'name' is not UTF-8 text" \
    "$CW" network "$T/l1/c.shp" --knn 1 -o "$T/o.geojson"

# -- shapefiles with parts missing, truncated, or a CRS nobody knows --
mkdir "$T/s"
ogr2ogr -f "ESRI Shapefile" "$T/s/c.shp" $B/accents.csv -oo X_POSSIBLE_NAMES=lon \
    -oo Y_POSSIBLE_NAMES=lat -a_srs EPSG:4326 -lco ENCODING=UTF-8
"$CW" network "$T/s/c.shp" --knn 1 -o "$T/full.csv" -q
check "complete shapefile: the names" grep -q 'Zürich,Besançon' "$T/full.csv"
mkdir "$T/noprj" && cp "$T/s/c.shp" "$T/s/c.shx" "$T/s/c.dbf" "$T/s/c.cpg" "$T/noprj/"
"$CW" network "$T/noprj/c.shp" --knn 1 -o "$T/noprj.csv" -q
check "no .prj, lon/lat coordinates: read as WGS 84, the same bytes" cmp -s "$T/full.csv" "$T/noprj.csv"
mkdir "$T/nodbf" && cp "$T/s/c.shp" "$T/s/c.shx" "$T/s/c.prj" "$T/nodbf/"
"$CW" network "$T/nodbf/c.shp" --knn 1 -o "$T/nodbf.csv" -q
cut -d, -f1-4 "$T/nodbf.csv" >"$T/nodbf.cut"
printf 'from_id,to_id,from_name,to_name\n1,3,"",""\n2,3,"",""\n' >"$T/nodbf.want"
check "no .dbf: geometry only, ids are row numbers, names empty" cmp -s "$T/nodbf.want" "$T/nodbf.cut"
mkdir "$T/noshx" && cp "$T/s/c.shp" "$T/s/c.dbf" "$T/s/c.prj" "$T/noshx/"
bad "no .shx" "cannot open '$T/noshx/c.shp': Unable to open $T/noshx/c.shx" \
    "$CW" network "$T/noshx/c.shp" --knn 1 -o "$T/o.csv"
mkdir "$T/half" && cp "$T"/s/c.* "$T/half/"
head -c $(($(wc -c <"$T/s/c.shp") / 2)) "$T/s/c.shp" >"$T/half/c.shp"
bad ".shp cut in half" "cannot open '$T/half/c.shp': .shp file is unreadable, or corrupt" \
    "$CW" network "$T/half/c.shp" --knn 1 -o "$T/o.csv"
# 2,000 points: a .shp of 100 + 2,000 x 28 bytes cut in half ends inside
# record 999; the .dbf cut in half inside record 1,000.
mkdir "$T/big"
ogr2ogr -f "ESRI Shapefile" "$T/big/c.shp" tests/data/geonames_2000.csv -oo X_POSSIBLE_NAMES=lon \
    -oo Y_POSSIBLE_NAMES=lat -a_srs EPSG:4326 -lco ENCODING=UTF-8
for part in shp dbf; do
    mkdir "$T/big_$part" && cp "$T"/big/c.* "$T/big_$part/"
    head -c $(($(wc -c <"$T/big/c.$part") / 2)) "$T/big/c.$part" >"$T/big_$part/c.$part"
done
bad ".shp of 2,000 points cut in half" "big_shp/c.shp' row 999: Error in fread() reading object of size 28" \
    "$CW" network "$T/big_shp/c.shp" --knn 1 -o "$T/o.csv"
bad ".dbf of 2,000 points cut in half" "big_dbf/c.shp' row 1000: fread(" \
    "$CW" network "$T/big_dbf/c.shp" --knn 1 -o "$T/o.csv"
cp $B/garbage.prj "$T/s/c.prj"
bad ".prj that is no CRS" "c.shp': its .prj is no CRS GDAL can read (give the CRS with -s_srs)" \
    "$CW" network "$T/s/c.shp" --knn 1 -o "$T/o.csv"
"$CW" network "$T/s/c.shp" -s_srs EPSG:4326 --knn 1 -o "$T/s_srs.csv" -q
check ".prj that is no CRS, -s_srs EPSG:4326: the same bytes" cmp -s "$T/full.csv" "$T/s_srs.csv"
cp $B/unknown_method.prj "$T/s/c.prj"
bad ".prj with a projection method PROJ does not know" "c.shp' row 1: cannot transform to WGS 84" \
    "$CW" network "$T/s/c.shp" --knn 1 -o "$T/o.csv"

# -- GeoJSON: truncated, null and mixed geometries, open rings, no area --
bad "GeoJSON cut mid-way" "cannot open '$B/truncated.geojson': Failed to read GeoJSON data" \
    "$CW" network $B/truncated.geojson --knn 1 -o "$T/o.csv"
bad "null geometry (network)" "null_geometry.geojson' row 2: no geometry" \
    "$CW" network $B/null_geometry.geojson --knn 1 -o "$T/o.csv"
bad "null geometry (cluster)" "null_geometry.geojson' row 2: no geometry" \
    "$CW" cluster $B/null_geometry.geojson --method dbscan --eps 50km -o "$T/o.csv"
bad "null geometry (popgrid units)" "null_zone.geojson' row 2: no geometry" \
    "$CW" linkage popgrid $B/null_zone.geojson --pop-field pop -o "$T/o.tif"
bad "null geometry (links places)" "null_zone.geojson' row 2: no geometry" \
    "$CW" linkage links --centres data/cities.csv --pop-field population \
    --places $B/null_zone.geojson -o "$T/o.csv"
bad "mixed types where points are read" "mixed_types.geojson' row 2: geometry is not a point" \
    "$CW" network $B/mixed_types.geojson --knn 1 -o "$T/o.csv"
bad "mixed types where zones are read" "mixed_types.geojson' row 1: geometry is not a polygon (Point)" \
    "$CW" linkage popgrid $B/mixed_types.geojson --pop-field pop -o "$T/o.tif"
bad "unclosed ring" "unclosed_ring.geojson' row 2: unreadable geometry (GEOS: IllegalArgumentException: Points of LinearRing do not form a closed linestring)" \
    "$CW" linkage popgrid $B/unclosed_ring.geojson --pop-field pop -o "$T/o.tif"
bad "zero-area unit (popgrid)" "zero_area.geojson' row 2: polygon has no area" \
    "$CW" linkage popgrid $B/zero_area.geojson --pop-field pop -o "$T/o.tif"
bad "zero-area unit (degurba --units)" "zero_area.geojson' row 2: polygon has no area" \
    "$CW" linkage degurba data/belgium/ghs_pop_2020.tif --units $B/zero_area.geojson \
    -O "$T/o.gpkg" -o "$T/o.tif"

# A bow-tie unit (tests/bad/bowtie.geojson, crossing at 4.45 50.85) is
# made valid with GEOS MakeValid: the same results, to the byte, as the two
# triangles it encloses written by hand (bowtie_fixed.geojson).
"$CW" linkage popgrid $B/bowtie.geojson --pop-field pop -o "$T/bow.tif" 2>"$T/err"
check "bow-tie unit (popgrid): repaired, in one warning" \
    has_line "1 invalid unit polygon repaired with GEOS MakeValid (--strict refuses them)"
"$CW" linkage popgrid $B/bowtie_fixed.geojson --pop-field pop -o "$T/fix.tif" -q
check "bow-tie unit (popgrid): the grid of the two hand-made triangles, byte for byte" \
    cmp -s "$T/bow.tif" "$T/fix.tif"
for f in bowtie bowtie_fixed; do
    "$CW" linkage degurba data/belgium/ghs_pop_2020.tif --units $B/$f.geojson -O "$T/$f.csv" \
        -o "$T/$f.tif" 2>"$T/$f.err"
done
check "bow-tie unit (degurba): the units table of the two hand-made triangles" \
    cmp -s "$T/bowtie.csv" "$T/bowtie_fixed.csv"
check "... whose own 'pop' field is replaced, with a warning (not written twice)" sh -c \
    "grep -q \"field 'pop' is replaced by the computed one\" '$T/bowtie.err' &&
     head -1 '$T/bowtie.csv' | grep -qx 'id,pop,share_centre,share_cluster,share_rural,degurba'"
bad "bow-tie unit with --strict (popgrid)" \
    "bowtie.geojson' row 2: invalid polygon (Self-intersection\\[4.45 50.85\\])" \
    "$CW" linkage popgrid $B/bowtie.geojson --pop-field pop --strict -o "$T/o.tif"
bad "bow-tie unit with --strict (degurba --units)" \
    "bowtie.geojson' row 2: invalid polygon (Self-intersection\\[4.45 50.85\\])" \
    "$CW" linkage degurba data/belgium/ghs_pop_2020.tif --units $B/bowtie.geojson --strict \
    -O "$T/o.gpkg" -o "$T/o.tif"

# -- coordinates on the antimeridian and at the poles --
# Distances from PROJ's geod (WGS84, -I, metres) for the pairs East-West
# (180 and -179.5 at 10N), North-North2 (the pole, 89.5N) and South-South2.
"$CW" network $B/extremes.csv --knn 1 -o "$T/ext.csv" -q
printf '10 180 10 -179.5\n90 0 89.5 120\n-90 0 -89 -60\n' |
    geod +ellps=WGS84 -I +units=m -F %.4f | awk '{print $3}' >"$T/ext.geod"
tail -n +2 "$T/ext.csv" | cut -d, -f1,2,5 >"$T/ext.got"
check "antimeridian and poles: the three nearest pairs" \
    test "$(cut -d, -f1,2 "$T/ext.got" | tr '\n' ' ')" = "a,b c,d e,f "
check "antimeridian and poles: distances within 1 mm of geod" sh -c "
    cut -d, -f3 '$T/ext.got' | paste -d' ' - '$T/ext.geod' |
    awk '{ d = \$1 * 1000 - \$2; if (d < -0.001 || d > 0.001) exit 1 }'"
"$CW" cluster $B/extremes.csv --method dbscan --eps 60km --min-pts 2 -o "$T/extc.csv" -q
check "antimeridian and poles: DBSCAN joins East-West and North-North2, South-South2 (112 km) noise" \
    test "$(tail -n +2 "$T/extc.csv" | cut -d, -f1,5 | tr '\n' ' ')" = "a,0 b,0 c,1 d,1 e,-1 f,-1 "

# -- options out of range, every command: exit 2, one line naming the range --
C=data/cities.csv
P=data/belgium/ghs_pop_2020.tif
U=data/japan/nagano_municipalities.geojson
LK="linkage links --centres $C --pop-field population --places $C"
while IFS='|' read -r ext args msg; do
    # shellcheck disable=SC2086 # the arguments are split on purpose
    fails 2 "$args" "$CW" $args -o "$T/o.$ext"
    check "$args: one line '$msg'" has_line "$msg"
done <<EOF
csv|network $C --knn 1001|--knn must be a whole number from 1 to 1000
csv|network $C --within 0m|--within must be a positive distance
csv|network $C --knn 2 --segment -1km|--segment must be a positive distance
csv|network $C --knn 2 --precision 16|--precision must be a whole number from 1 to 15
csv|network $C --knn 2 --threads 65|--threads must be a whole number from 1 to 64
csv|network $C --knn 2 -s_srs EPSG:99999|unknown CRS 'EPSG:99999' (-s_srs)
csv|cluster $C --method dbscan --eps 50km --min-pts 0|--min-pts must be a number from 1
csv|cluster $C --method hdbscan --min-cluster-size 1|--min-cluster-size must be a whole number from 2
csv|cluster $C --method kmeans --k 3 --n-init 0|--n-init must be a whole number from 1 to 10000
csv|cluster $C --method kmeans --k 3 --seed -1|--seed must be a whole number from 0
csv|cluster $C --method skater --k 3 --graph knn:0|--graph knn:K must be a whole number from 1 to 1000
csv|cluster $C --method skater --k 3 --min-pop -5|--min-pop must be a number from 0
csv|cluster $C --method dbscan --eps 50km --hulls $T/h.geojson --hull concave --ratio 1.5|--ratio must be a number from 0 to 1
csv|cluster $C --method dbscan --eps 50km --hulls $T/h.geojson --buffer -5km|--buffer must be a positive distance
tif|linkage degurba $P --centre-density -1|--centre-density must be a number from 0
tif|linkage degurba $P --water-land 2|--water-land must be a number from 0 to 1
tif|linkage degurba $P --level 2 --semi-dense-gap 1001|--semi-dense-gap must be a whole number from 0 to 1000
tif|linkage popgrid $U --pop-field pop2020 --cell 1m|--cell 1 makes a grid of 162287 x 123215 cells
tif|linkage popgrid $U --pop-field pop2020 -t_srs EPSG:99999|-t_srs 'EPSG:99999' is not a projected CRS GDAL knows
tif|linkage popgrid $U --pop-field pop2020 --ancillary data/japan/jaxa_lc_N36E138_50m.tif --classes 256|--classes must be a whole number from 0 to 255
csv|$LK --alpha -1|--alpha must be a number from 0 to 10
csv|$LK --model gravity --beta 11|--beta must be a number from 0 to 10
csv|$LK --max-dist 0km|--max-dist must be a positive distance
csv|$LK --dist-bands 10km,5km|--dist-bands must be increasing
csv|$LK --size-classes 10,100|--size-classes must be decreasing
EOF
finish
