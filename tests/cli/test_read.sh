# test_read.sh: cities from any OGR source and CRS give the same network as
# from the CSV; tables are parsed strictly. The other formats and CRSs are
# made with ogr2ogr, independently of cityweave.
# SPDX-License-Identifier: MIT
. tests/cli/lib.sh
L="--links data/links.csv"

"$CW" network data/cities.csv $L -o "$T/ref.csv" -q

# -- other formats, other CRSs --
ogr2ogr -f GeoJSON "$T/c.geojson" data/cities.csv -oo X_POSSIBLE_NAMES=lon \
    -oo Y_POSSIBLE_NAMES=lat -oo AUTODETECT_TYPE=YES -a_srs EPSG:4326
"$CW" network "$T/c.geojson" $L -o "$T/gj.csv" -q
check "GeoJSON cities: same links, same distances" \
    $PY tests/cli/dist_compare.py "$T/ref.csv" "$T/gj.csv" 0
ogr2ogr -f GPKG "$T/c.gpkg" "$T/c.geojson" -t_srs EPSG:3857 -nln members
"$CW" network "$T/c.gpkg" -l members $L -o "$T/gpkg.csv" -q
check "GeoPackage in EPSG:3857, -l: distances within 1 mm" \
    $PY tests/cli/dist_compare.py "$T/ref.csv" "$T/gpkg.csv" 0.001
ogr2ogr -f "ESRI Shapefile" "$T/c.shp" "$T/c.geojson" -t_srs EPSG:8857 -lco ENCODING=UTF-8 2>/dev/null
"$CW" network "$T/c.shp" $L -o "$T/shp.csv" -q
# Equal Earth's inverse is a series PROJ solves to about a millimetre per
# point (EPSG:3857 above has a closed form and round-trips exactly).
check "Shapefile in EPSG:8857 (Equal Earth): within 1 cm" \
    $PY tests/cli/dist_compare.py "$T/ref.csv" "$T/shp.csv" 0.01
ogr2ogr -f CSV "$T/xy.csv" "$T/c.gpkg" -lco GEOMETRY=AS_XY
"$CW" network "$T/xy.csv" --lon-field X --lat-field Y -s_srs EPSG:3857 $L -o "$T/xy_out.csv" -q
check "CSV of EPSG:3857 X/Y with -s_srs: within 1 mm" \
    $PY tests/cli/dist_compare.py "$T/ref.csv" "$T/xy_out.csv" 0.001
"$CW" network "$T/c.gpkg" -where "country = 'JP'" --knn 1 -o "$T/jp.csv" -q
check "-where keeps the 31 Japanese cities" \
    test "$(cut -d, -f1 "$T/jp.csv" | tail -n +2 | sort -u | wc -l)" -le 31
check "-where: no European city in a JP-only network" sh -c "! grep -q frankfurt '$T/jp.csv'"
rm "$T/c.prj"
fails 1 "projected shapefile without .prj" "$CW" network "$T/c.shp" --knn 1 -o "$T/o.csv"
check "no CRS and projected coordinates: said so" has_line "outside longitude/latitude range"

# -- tables: column names, BOM, delimiters, quoting --
printf '\357\273\277ID;Name;Longitude;Latitude\na;Alpha;10.5;50.25\nb;"Be;ta";11;51\n' >"$T/semi.csv"
"$CW" network "$T/semi.csv" --id-field ID --name-field Name --knn 1 -o "$T/semi.geojson" -q
check "BOM, ';', Longitude/Latitude, quoted ';'" $PY - "$T/semi.geojson" <<'PY'
import json, sys
(f,) = json.load(open(sys.argv[1]))["features"]
p = f["properties"]
assert (p["from_id"], p["to_id"], p["to_name"]) == ("a", "b", "Be;ta"), p
assert f["geometry"]["coordinates"][0] == [10.5, 50.25]
PY
printf 'id\tname\tx\ty\n1\tPoselok "Klyazminskoe"\t37.6\t55.9\n2\tB\t37.7\t55.8\n' >"$T/q.tsv"
"$CW" network "$T/q.tsv" --knn 1 -o "$T/q.csv" -q
check "TSV keeps literal quotes, x/y found" grep -q 'Poselok ""Klyazminskoe""' "$T/q.csv"
printf 'id,name,lon,lat\n1,a,10,50\n2,b,11\n' >"$T/ragged.csv"
fails 1 "ragged row" "$CW" network "$T/ragged.csv" --knn 1 -o "$T/o.csv"
check "ragged row named" has_line "ragged.csv' row 2 (line 3): 3 fields, the header has 4"
printf 'id,name,lon,lat\n1,"open,10,50\n' >"$T/quote.csv"
fails 1 "unterminated quote" "$CW" network "$T/quote.csv" --knn 1 -o "$T/o.csv"
check "unterminated quote named" has_line "quote.csv' row 1 (line 2): unterminated quote"
printf 'id,name,lon,lat\n' >"$T/header.csv"
"$CW" network "$T/header.csv" --knn 1 -o "$T/empty.geojson" -q
check "no cities: an empty FeatureCollection" grep -q '"features":\[' "$T/empty.geojson"
: >"$T/zero.csv"
fails 1 "empty file" "$CW" network "$T/zero.csv" --knn 1 -o "$T/o.csv"
check "empty file said" has_line "zero.csv': empty file"
printf 'id,name,lon,lat\n1,a,10,50\n' >"$T/nofile"
fails 1 "not a format GDAL reads" "$CW" network "$T/nofile" --knn 1 -o "$T/o.csv"
check "unreadable format named" has_line "cannot open '$T/nofile'"
printf '{"type":"FeatureCollection","features":[{"type":"Feature","properties":{"id":1},"geometry":{"type":"LineString","coordinates":[[0,0],[1,1]]}}]}' >"$T/line.geojson"
fails 1 "lines as cities" "$CW" network "$T/line.geojson" --knn 1 -o "$T/o.csv"
check "non-point named with its row" has_line "line.geojson' row 1: geometry is not a point"
check "no output after read errors" test ! -e "$T/o.csv"
finish
