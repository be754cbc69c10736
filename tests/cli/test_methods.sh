# test_methods.sh: every way `cityweave network` links cities, against PROJ
# geod over all pairs, Euler's formula and the subgraph chain
# MST <= RNG <= Gabriel <= Delaunay; and the GPKG and FlatGeobuf outputs.
# SPDX-License-Identifier: MIT
. tests/cli/lib.sh
C=data/cities.csv
pairs() { tail -n +2 "$1" | cut -d, -f1,2 | awk -F, '{ print ($1 < $2) ? $1 "," $2 : $2 "," $1 }' | sort; }

# -- within: all pairs at most 300 km apart, as geod says --
"$CW" network $C --within 300km -o "$T/w.csv" -q
$PY tests/cli/geod_pairs.py within $C 300000 >"$T/w.want"
pairs "$T/w.csv" >"$T/w.got"
check "within 300 km equals geod over all 3,321 pairs" cmp -s "$T/w.got" "$T/w.want"
check "within 300 km finds pairs" test -s "$T/w.want"

# -- nearest hub: each city to the closest regional office, as geod says --
{ head -n 1 $C; grep -E 'ICLEI-(WS|RO)' $C; } >"$T/hubs.csv"
"$CW" network $C --hubs "$T/hubs.csv" --nearest-hub -o "$T/nh.csv" -q
$PY tests/cli/geod_pairs.py nearest $C "$T/hubs.csv" | sort >"$T/nh.want"
tail -n +2 "$T/nh.csv" | cut -d, -f1,2 | sort >"$T/nh.got"
check "nearest hub equals geod's nearest for every city" cmp -s "$T/nh.got" "$T/nh.want"
check "hubs are not linked to themselves" test "$(wc -l <"$T/nh.got")" -eq $(( $(wc -l <$C) - $(wc -l <"$T/hubs.csv") ))

# -- hub field: each city to the hub its field names --
printf 'id,name,lon,lat,office\nbonn,Bonn,7.09549,50.73438,\nseoul,Seoul,126.9784,37.566,bonn\ntokyo,Tokyo,139.69171,35.6895,seoul\nsuwon,Suwon,127.00889,37.29111,seoul\n' >"$T/o.csv"
"$CW" network "$T/o.csv" --hub-field office -o "$T/hf.csv" -q
check "hub field links" test "$(pairs "$T/hf.csv" | tr '\n' ' ')" = "bonn,seoul seoul,suwon seoul,tokyo "
printf 'id,name,lon,lat,office\na,A,1,1,zzz\n' >"$T/bad_hub.csv"
fails 1 "unknown hub" "$CW" network "$T/bad_hub.csv" --hub-field office -o "$T/x.csv"
check "unknown hub named with its row" has_line "bad_hub.csv' row 1: office 'zzz' matches no hub"
fails 2 "nearest hub without hubs" "$CW" network $C --nearest-hub -o "$T/x.csv"

# -- Delaunay, Gabriel, RNG, MST --
for m in delaunay gabriel rng mst; do
    "$CW" network $C --$m -o "$T/$m.csv" -q
    pairs "$T/$m.csv" >"$T/$m.pairs"
done
# Euler: a triangulation of n points on the sphere has 3n - 6 edges.
check "Delaunay of the 82 cities has 3*82-6 = 240 edges" test "$(wc -l <"$T/delaunay.pairs")" -eq 240
check "MST has n-1 = 81 edges" test "$(wc -l <"$T/mst.pairs")" -eq 81
check "MST within RNG" test -z "$(comm -23 "$T/mst.pairs" "$T/rng.pairs")"
check "RNG within Gabriel" test -z "$(comm -23 "$T/rng.pairs" "$T/gabriel.pairs")"
check "Gabriel within Delaunay" test -z "$(comm -23 "$T/gabriel.pairs" "$T/delaunay.pairs")"
"$CW" network $C --knn 1 -o "$T/k1.csv" -q
pairs "$T/k1.csv" >"$T/k1.pairs"
check "nearest-neighbour edges are MST edges" test -z "$(comm -23 "$T/k1.pairs" "$T/mst.pairs")"

# -- GeoPackage and FlatGeobuf, by extension and by -f --
"$CW" network $C --links data/links.csv -o "$T/n.gpkg" --nodes-out "$T/nodes.gpkg" -q
check "GPKG: 29 links" sh -c "ogrinfo -ro -so -al '$T/n.gpkg' | grep -q 'Feature Count: 29'"
check "GPKG: 82 nodes with betweenness" sh -c \
    "ogrinfo -ro -so -al '$T/nodes.gpkg' | grep -q 'Feature Count: 82' && ogrinfo -ro -so -al '$T/nodes.gpkg' | grep -q '^betweenness: Real'"
"$CW" network $C --links data/links.csv -f FlatGeobuf -o "$T/n.fgb" -q
check "FlatGeobuf: 29 links in WGS 84" sh -c \
    "ogrinfo -ro -so -al '$T/n.fgb' | grep -q 'Feature Count: 29' && ogrinfo -ro -so -al '$T/n.fgb' | grep -q 'WGS 84'"
mkdir "$T/again"
"$CW" network $C --links data/links.csv -o "$T/again/n.gpkg" -q
check "GPKG byte-identical on a second run" cmp -s "$T/n.gpkg" "$T/again/n.gpkg"
finish
