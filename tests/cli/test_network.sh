# test_network.sh: `cityweave network` against independent oracles: PROJ's
# geod for distances and azimuths, ogrinfo for the Shapefile, and exact
# expectations for the antimeridian split and for bad input.
# SPDX-License-Identifier: MIT
. tests/cli/lib.sh
D=tests/cli/data

# -- bad input first: one line naming the file and the row, exit 1 or 2,
#    and no output left behind --
fails 1 "missing file" "$CW" network "$T/nope.csv" --knn 2 -o "$T/o.geojson"
check "missing file named" has_line "nope.csv"
printf 'id,name,a,b\n1,x,1,2\n' >"$T/nocoord.csv"
fails 1 "no coordinate columns" "$CW" network "$T/nocoord.csv" --knn 1 -o "$T/o.geojson"
check "no coordinate column said" has_line "nocoord.csv': no longitude column"
printf 'id,name,lon,lat\n1,a,10,50\n2,b,11,91\n' >"$T/lat91.csv"
fails 1 "latitude 91" "$CW" network "$T/lat91.csv" --knn 1 -o "$T/o.geojson"
check "latitude 91 named with its row" has_line "lat91.csv' row 2: latitude 91 out of range"
printf 'id,name,lon,lat\n1,a,10,50\n2,b,NaN,40\n' >"$T/nan.csv"
fails 1 "NaN longitude" "$CW" network "$T/nan.csv" --knn 1 -o "$T/o.geojson"
check "NaN named with its row" has_line "nan.csv' row 2: longitude 'NaN' is not a finite decimal number"
printf 'id,name,lon,lat\n1,a,10,50\n2,b,11,-Inf\n' >"$T/inf.csv"
fails 1 "infinite latitude" "$CW" network "$T/inf.csv" --knn 1 -o "$T/o.geojson"
check "infinity named with its row" has_line "inf.csv' row 2: latitude '-Inf' is not a finite decimal number"
printf 'id,name,lon,lat\n1,a,10,50\n2,b,0x10,40\n' >"$T/hex.csv"
fails 1 "hexadecimal longitude" "$CW" network "$T/hex.csv" --knn 1 -o "$T/o.geojson"
check "hexadecimal named with its row" has_line "hex.csv' row 2: longitude '0x10' is not a finite decimal number"
printf 'id,name,lon,lat\n1,a,10,50\n2,b, 11,40\n' >"$T/space.csv"
fails 1 "longitude with a leading space" "$CW" network "$T/space.csv" --knn 1 -o "$T/o.geojson"
printf 'id,name,lon,lat\n7,a,10,50\n8,b,11,40\n7,c,12,41\n' >"$T/dup.csv"
fails 1 "duplicate id" "$CW" network "$T/dup.csv" --knn 1 -o "$T/o.geojson"
check "duplicate id named with both rows" has_line "dup.csv' row 3: duplicate id '7' (first at row 1)"
printf 'from_id,to_id\nyokohama,Atlantis\n' >"$T/badlink.csv"
fails 1 "unmatched link" "$CW" network "$D/pacific.csv" --links "$T/badlink.csv" -o "$T/o.geojson"
check "unmatched link named with its row" has_line "badlink.csv' row 1: to_id 'Atlantis' matches no city"
printf 'from_id,to_id\nyokohama,yokohama\n' >"$T/selflink.csv"
fails 1 "self link" "$CW" network "$D/pacific.csv" --links "$T/selflink.csv" -o "$T/o.geojson"
check "self link named" has_line "selflink.csv' row 1: links 'yokohama' to itself"
fails 2 "knn 0" "$CW" network "$D/pacific.csv" --knn 0 -o "$T/o.geojson"
check "knn 0 explained" has_line "knn must be a whole number from 1"
fails 2 "knn with a leading space" "$CW" network "$D/pacific.csv" --knn " 2" -o "$T/o.geojson"
fails 2 "hexadecimal distance" "$CW" network "$D/pacific.csv" --within 0x10km -o "$T/o.geojson"
fails 2 "bad distance unit" "$CW" network "$D/pacific.csv" --within 25kn -o "$T/o.geojson"
check "bad distance explained" has_line "within must be a positive distance"
fails 2 "two methods" "$CW" network "$D/pacific.csv" --knn 1 --mst -o "$T/o.geojson"
fails 2 "no output" "$CW" network "$D/pacific.csv" --knn 1
fails 2 "unknown option" "$CW" network "$D/pacific.csv" --knn 1 --frobnicate -o "$T/o.geojson"
fails 2 "output is the input" "$CW" network "$T/lat91.csv" --knn 1 -o "$T/lat91.csv" --overwrite
check "input untouched" grep -q '^2,b,11,91$' "$T/lat91.csv"
check "no output after errors" test ! -e "$T/o.geojson"
check "no temporary file after errors" test -z "$(ls -A "$T" | grep -v -e '\.csv$' -e '^out$' -e '^err$')"

# -- distances and azimuths: PROJ geod -I on every link, <= 1 mm --
"$CW" network data/cities.csv --links data/links.csv -o "$T/links.csv" -q
check "every data/links.csv link equals geod -I" $PY tests/cli/geod_compare.py data/cities.csv "$T/links.csv"
"$CW" network "$D/antipodal.csv" --links "$D/antipodal_links.csv" -o "$T/anti.csv" -q
check "near-antipodal links equal geod -I" $PY tests/cli/geod_compare.py "$D/antipodal.csv" "$T/anti.csv"
"$CW" network "$D/antipodal.csv" --links "$D/antipodal_links.csv" --sphere -o "$T/antis.csv" -q
check "--sphere equals geod on a sphere of R 6371008.8 m" $PY tests/cli/geod_compare.py "$D/antipodal.csv" "$T/antis.csv" --sphere
# --within solves each azimuth with the distance, from whichever end the
# fixed order starts (it is turned round for the other): 182,896 links of
# GeoNames, half of them each way, against geod from their from-end.
"$CW" network tests/data/geonames_20000.csv --within 50km -o "$T/w50.csv" -q
check "--within 50km: 182,896 links, each equal to geod -I" $PY tests/cli/geod_compare.py tests/data/geonames_20000.csv "$T/w50.csv"
check "--within 50km: 182,896 links" test "$(($(wc -l <"$T/w50.csv") - 1))" = 182896
"$CW" network tests/data/geonames_20000.csv --within 50km --sphere -o "$T/w50s.csv" -q
check "--within 50km --sphere: each link equal to geod on the sphere" $PY tests/cli/geod_compare.py tests/data/geonames_20000.csv "$T/w50s.csv" --sphere

# -- the antimeridian: Yokohama-Vancouver is split at 180 in GeoJSON --
"$CW" network "$D/pacific.csv" --links "$D/pacific_links.csv" -o "$T/pac.geojson" -q
check "Pacific link split into two parts sharing the 180 point" $PY - "$T/pac.geojson" <<'PY'
import json, sys
fc = json.load(open(sys.argv[1]))
assert "crs" not in fc
(f,) = fc["features"]
g = f["geometry"]
assert g["type"] == "MultiLineString", g["type"]
a, b = g["coordinates"]
assert all(-180 <= x <= 180 and -90 <= y <= 90 for part in (a, b) for x, y in part)
assert a[0] == [139.65, 35.44722] and b[-1] == [-123.11934, 49.24966]
assert a[-1][0] == 180 and b[0][0] == -180 and a[-1][1] == b[0][1], (a[-1], b[0])
assert f["properties"]["programme"] == "test"
# The crossing point lies on the geodesic (PROJ geod): same start azimuth,
# and the two legs add up to the whole within 1 mm.
import subprocess
Y, X, V = a[0], a[-1], b[-1]
q = "".join(f"{p[1]} {p[0]} {r[1]} {r[0]}\n" for p, r in ((Y, V), (Y, X), (X, V)))
out = subprocess.run(["geod", "+ellps=WGS84", "-I", "-f", "%.10f", "-F", "%.6f"],
                     input=q, capture_output=True, text=True, check=True).stdout
(az, _, s), (az1, _, s1), (_, _, s2) = [map(float, l.split()) for l in out.splitlines()]
assert abs(az - az1) < 1e-6 and abs(s1 + s2 - s) < 1e-3, (az, az1, s, s1 + s2)
PY
check "ogrinfo reads the split line as one feature" sh -c \
    "ogrinfo -ro -al -q '$T/pac.geojson' | grep -q 'MULTILINESTRING ((139.65 35.44722'"

# -- Shapefile: ogrinfo reads it, documented names, .prj is WGS 84 --
"$CW" network data/cities.csv --links data/links.csv -o "$T/net.shp" -q
check "ogrinfo counts 29 links" sh -c "ogrinfo -ro -so -al '$T/net.shp' | grep -q 'Feature Count: 29'"
for f in from_id to_id from_name to_name dist_km azimuth programme year themes kind source; do
    check "shapefile field $f" sh -c "ogrinfo -ro -so -al '$T/net.shp' | grep -q '^$f: '"
done
check ".prj is WGS 84" sh -c "ogrinfo -ro -so -al '$T/net.shp' | grep -q 'GEOGCRS\[\"WGS 84\"'"
check ".cpg says UTF-8" grep -qx 'UTF-8' "$T/net.cpg"
check "UTF-8 names survive the shapefile" sh -c "ogrinfo -ro -al '$T/net.shp' | grep -q 'from_name (String) = Umeå'"

# -- overwrite rules, stdout, determinism, argv[0] --
cp "$T/pac.geojson" "$T/keep.geojson"
fails 2 "existing output without --overwrite" "$CW" network "$D/pacific.csv" --knn 1 -o "$T/pac.geojson"
check "existing output named" has_line "pac.geojson' exists"
check "existing output untouched" cmp -s "$T/pac.geojson" "$T/keep.geojson"
"$CW" network "$D/pacific.csv" --knn 1 -o "$T/pac.geojson" --overwrite -q
check "--overwrite replaces" sh -c "! cmp -s '$T/pac.geojson' '$T/keep.geojson'"
"$CW" network "$D/pacific.csv" --links "$D/pacific_links.csv" -o - -q >"$T/stdout.geojson"
check "-o - streams the same GeoJSON to stdout" cmp -s "$T/stdout.geojson" "$T/keep.geojson"
"$CW" network data/cities.csv --links data/links.csv -o "$T/again.shp" -q
check "same input, byte-identical .shp" cmp -s "$T/net.shp" "$T/again.shp"
check "same input, byte-identical .dbf" cmp -s "$T/net.dbf" "$T/again.dbf"
ln -s "$(cd "$(dirname "$CW")" && pwd)/cityweave" "$T/cityweave-network"
"$T/cityweave-network" "$D/pacific.csv" --knn 1 -o "$T/argv0.csv" -q
check "cityweave-network works through argv[0]" test -s "$T/argv0.csv"
check "--help lists --knn" sh -c "'$CW' network --help | grep -q -- '--knn K'"

# -- stats: the pairings graph --
"$CW" network data/cities.csv --links data/links.csv --links-where "kind = 'pairing'" \
    -o "$T/pair.csv" --stats -q 2>"$T/stats"
check "stats: 15 pairing links" grep -qx 'edges: 15' "$T/stats"
check "stats: 82 nodes" grep -qx 'nodes: 82' "$T/stats"

# -- results do not depend on the thread count or the input order --
# (20,000 points: enough for 3 workers of at least 1,024 points each)
G=tests/data/geonames_20000.csv
for m in "--knn 8" "--within 100km" "--mst" "--gabriel"; do
    "$CW" network $G $m --threads 1 -o "$T/t1.csv" -q --overwrite
    "$CW" network $G $m --threads 3 -o "$T/t3.csv" -q --overwrite
    check "$m: same with 1 and 3 threads" cmp -s "$T/t1.csv" "$T/t3.csv"
    { head -n 1 $G; tail -n +2 $G | sort -t, -k3,3 -r; } >"$T/shuffled.csv"
    "$CW" network "$T/shuffled.csv" $m -o "$T/sh.csv" -q --overwrite
    check "$m: same from shuffled input" cmp -s "$T/t1.csv" "$T/sh.csv"
done

# -- -select: only the named fields, in that order, the same values --
"$CW" network $G --knn 4 -o "$T/all.csv" -q
"$CW" network $G --knn 4 -select to_id,from_id,dist_km -o "$T/sel.csv" -q
check "-select writes the named fields in order" test "$(head -n 1 "$T/sel.csv")" = "to_id,from_id,dist_km"
tail -n +2 "$T/all.csv" | awk -F, '{ print $2 "," $1 "," $5 }' >"$T/all.proj"
tail -n +2 "$T/sel.csv" >"$T/sel.proj"
check "-select: same edges and distances as the full output" cmp -s "$T/all.proj" "$T/sel.proj"
fails 2 "-select of an unknown field" "$CW" network $G --knn 4 -select from_id,bogus -o "$T/x.csv"
check "unknown -select field named" has_line "-select: no edge field 'bogus'"

# -- centralities of the pairings graph equal NetworkX's (fixture) --
"$CW" network data/cities.csv --links data/links.csv --links-where "kind = 'pairing'" \
    -o "$T/pe.csv" --nodes-out "$T/pn.csv" -q
check "pairings centralities equal NetworkX" \
    $PY tests/cli/nodes_compare.py "$T/pn.csv" tests/data/centrality_pairings_nodes.csv
"$CW" network data/cities.csv --links data/links.csv -o "$T/ae.csv" --nodes-out "$T/an.csv" -q
check "all-links centralities equal NetworkX" \
    $PY tests/cli/nodes_compare.py "$T/an.csv" tests/data/centrality_links_nodes.csv

finish
