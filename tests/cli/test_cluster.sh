# test_cluster.sh: `cityweave cluster` end to end: labels against the
# scikit-learn fixture, hulls against geographiclib and spatialite, groups,
# order independence and bad input.
# SPDX-License-Identifier: MIT
. tests/cli/lib.sh
C=data/cities.csv
G=tests/data/geonames_2000.csv

# -- bad input and options --
fails 2 "no method" "$CW" cluster $C -o "$T/o.geojson"
fails 2 "unknown method" "$CW" cluster $C --method optics2 -o "$T/o.geojson"
check "unknown method lists the choices" has_line "unknown --method 'optics2' (choose from dbscan, hdbscan, kmeans, linkage, skater)"
fails 2 "eps 0" "$CW" cluster $C --method dbscan --eps 0km -o "$T/o.geojson"
fails 2 "negative eps" "$CW" cluster $C --method dbscan --eps -5km -o "$T/o.geojson"
fails 2 "eps with kmeans" "$CW" cluster $C --method kmeans --k 3 --eps 5km -o "$T/o.geojson"
check "option that does not belong said" has_line "eps does not go with --method kmeans"
fails 2 "linkage needs a cut" "$CW" cluster $C --method linkage -o "$T/o.geojson"
fails 2 "k larger than the points" "$CW" cluster $C --method kmeans --k 500 -o "$T/o.geojson"
check "no output after errors" test ! -e "$T/o.geojson"
printf 'id,name,lon,lat\n' >"$T/empty.csv"
"$CW" cluster "$T/empty.csv" --method dbscan --eps 5km -o "$T/empty.geojson" -q
check "empty input: an empty result" grep -q '"features":\[' "$T/empty.geojson"
printf 'id,name,lon,lat\n1,a,5,5\n2,b,5,5\n3,c,5,5\n' >"$T/same.csv"
"$CW" cluster "$T/same.csv" --method dbscan --eps 1km --min-pts 3 -o "$T/same.csv.geojson" -q
check "identical points: one cluster, all core" sh -c \
    "test \$(grep -c '\"cluster\":0,\"role\":\"core\"' '$T/same.csv.geojson') -eq 3"

# -- DBSCAN on the sphere equals scikit-learn on 20,000 cities, 50 km --
"$CW" cluster tests/data/geonames_20000.csv --method dbscan --eps 50km --min-pts 5 --sphere \
    -o "$T/db.csv" -q
check "DBSCAN 50 km / 5 on 20,000 cities: core and noise equal scikit-learn" \
    $PY tests/cli/dbscan_compare.py "$T/db.csv" tests/data/dbscan_50km_5.csv

# -- hulls: areas (geographiclib), members covered (spatialite), by group --
"$CW" cluster $G --method dbscan --eps 150km --min-pts 4 -o "$T/p.geojson" \
    --hulls "$T/h.geojson" -q
check "hull areas and counts equal geographiclib's" $PY tests/cli/hull_check.py "$T/p.geojson" "$T/h.geojson"
ogr2ogr -f GPKG "$T/both.gpkg" "$T/p.geojson" -nln points
ogr2ogr -f GPKG -update "$T/both.gpkg" "$T/h.geojson" -nln hulls
check "every member lies in its hull (spatialite ST_Covers)" sh -c \
    "ogrinfo -ro -q '$T/both.gpkg' -dialect SQLite -sql \"SELECT count(*) AS outside FROM points p JOIN hulls h ON p.cluster = h.cluster WHERE NOT ST_Covers(h.geom, p.geom)\" | grep -q 'outside (Integer) = 0'"
check "every hull is valid (spatialite ST_IsValid)" sh -c \
    "ogrinfo -ro -q '$T/both.gpkg' -dialect SQLite -sql \"SELECT count(*) AS bad FROM hulls WHERE NOT ST_IsValid(geom)\" | grep -q 'bad (Integer) = 0'"
"$CW" cluster $G --method dbscan --eps 150km --min-pts 4 -o "$T/pc.geojson" \
    --hulls "$T/hc.geojson" --hull concave --ratio 0.2 -q
check "concave hulls: areas equal geographiclib's" $PY tests/cli/hull_check.py "$T/pc.geojson" "$T/hc.geojson"
"$CW" cluster $G --method dbscan --eps 150km --min-pts 4 -o "$T/p.shp" --hulls "$T/h.shp" -q
check "shapefile hulls: ogrinfo reads polygons" sh -c "ogrinfo -ro -so -al '$T/h.shp' | grep -q 'Geometry: Polygon'"
check "shapefile hull names documented" sh -c "ogrinfo -ro -so -al '$T/h.shp' | grep -q '^centroid_l: Real'"

# -- across the antimeridian: Fiji-like points give a split hull --
printf 'id,name,lon,lat\n1,a,179.5,-17\n2,b,-179.8,-16.5\n3,c,179.9,-16\n4,d,-179.2,-17.2\n' >"$T/fiji.csv"
"$CW" cluster "$T/fiji.csv" --method dbscan --eps 200km --min-pts 2 -o "$T/fp.geojson" --hulls "$T/fh.geojson" -q
check "antimeridian hull is a MultiPolygon with areas right" $PY - "$T/fp.geojson" "$T/fh.geojson" <<'PY'
import json, subprocess, sys
(h,) = json.load(open(sys.argv[2]))["features"]
assert h["geometry"]["type"] == "MultiPolygon", h["geometry"]["type"]
subprocess.run([sys.executable, "tests/cli/hull_check.py", sys.argv[1], sys.argv[2]], check=True)
PY

# -- groups: with --by, no cluster spans two values --
"$CW" cluster $C --method dbscan --eps 500km --min-pts 2 --by country -o "$T/by.csv" \
    --hulls "$T/by_h.geojson" -q
check "--by country: each cluster within one country" $PY - "$T/by.csv" <<'PY'
import csv, sys
seen = {}
for r in csv.DictReader(open(sys.argv[1], encoding="utf-8")):
    if r["cluster"] != "-1":
        assert seen.setdefault(r["cluster"], r["country"]) == r["country"], r
assert len(seen) > 3
PY
check "--by: hulls report the dominant country" grep -q '"country":"JP"' "$T/by_h.geojson"

# -- order independence --
{ head -n 1 $G; tail -n +2 $G | sort -t, -k3,3 -r; } >"$T/shuffled.csv"
for m in "dbscan --eps 100km" "kmeans --k 12" "linkage --linkage average --k 15"; do
    "$CW" cluster $G --method $m -o "$T/a.csv" -q --overwrite
    "$CW" cluster "$T/shuffled.csv" --method $m -o "$T/b.csv" -q --overwrite
    tail -n +2 "$T/a.csv" | sort >"$T/a.s"
    tail -n +2 "$T/b.csv" | sort >"$T/b.s"
    check "$m: same labels from shuffled input" cmp -s "$T/a.s" "$T/b.s"
done
finish
