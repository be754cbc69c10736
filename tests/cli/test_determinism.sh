# test_determinism.sh: order-independent methods give the same result from
# shuffled input, and the same bytes with 1 and 2 threads (issue 7). The
# shuffle is fixed: shuf draws from a committed file, so a failure replays.
# SPDX-License-Identifier: MIT
. tests/cli/lib.sh
# 6,000 GeoNames cities: over 2,048, so --threads 2 really gives two
# workers (src/parallel.c hands each at least 1,024 points), and over the
# 5,000 nodes above which network skips its all-pairs statistics, which
# would take minutes under valgrind.
head -n 6001 tests/data/geonames_20000.csv >"$T/geonames.csv"

# cluster IN OUT ARGS...: labelled points to OUT.csv, hulls to OUT.geojson.
cluster() {
    in=$1
    out=$2
    shift 2
    "$CW" cluster "$in" "$@" -o "$T/$out.csv" --hulls "$T/$out.geojson" -q --overwrite
}

for in in data/cities.csv "$T/geonames.csv"; do
    n=$(basename "$in")
    sh_in=$T/shuffled-$n
    { head -n 1 "$in"; tail -n +2 "$in" | shuf --random-source=tests/data/geonames_2000.csv; } >"$sh_in"
    check "$n: the shuffle moves rows" sh -c "! cmp -s '$in' '$sh_in'"

    # Edges run from the lower to the higher id, sorted: whole files match.
    for m in "--knn 8" "--within 100km" "--mst" "--delaunay"; do
        "$CW" network "$in" $m --threads 1 -o "$T/t1.csv" -q --overwrite
        "$CW" network "$in" $m --threads 2 -o "$T/t2.csv" -q --overwrite
        "$CW" network "$sh_in" $m -o "$T/sh.csv" -q --overwrite
        check "network $m, $n: same bytes with 1 and 2 threads" cmp -s "$T/t1.csv" "$T/t2.csv"
        check "network $m, $n: same edges from shuffled rows" cmp -s "$T/t1.csv" "$T/sh.csv"
    done

    # Labelled points keep the input order, so they are compared sorted;
    # hulls (one per cluster, with its summary) must match whole. At 200 km
    # both inputs have border points, the order-sensitive part of DBSCAN.
    for m in "dbscan --eps 200km --min-pts 3" "linkage --linkage single --k 20" \
        "hdbscan --min-cluster-size 10"; do
        cluster "$in" t1 --method $m --threads 1
        cluster "$in" t2 --method $m --threads 2
        cluster "$sh_in" sh --method $m
        check "cluster $m, $n: same bytes with 1 and 2 threads" \
            sh -c "cmp -s '$T/t1.csv' '$T/t2.csv' && cmp -s '$T/t1.geojson' '$T/t2.geojson'"
        tail -n +2 "$T/t1.csv" | sort >"$T/t1.sorted"
        tail -n +2 "$T/sh.csv" | sort >"$T/sh.sorted"
        check "cluster $m, $n: same labels from shuffled rows" cmp -s "$T/t1.sorted" "$T/sh.sorted"
        check "cluster $m, $n: same hulls from shuffled rows" cmp -s "$T/t1.geojson" "$T/sh.geojson"
    done
done

# -- link tables and node measures --
# Edges follow the link table's rows; node measures (centralities to the
# last bit, component and community numbers) must not follow either file.
{ head -n 1 data/links.csv; tail -n +2 data/links.csv | shuf --random-source=tests/data/geonames_2000.csv; } \
    >"$T/links.csv"
sh_c=$T/shuffled-cities.csv
"$CW" network data/cities.csv --links data/links.csv -o "$T/l1.csv" --nodes-out "$T/n1.csv" -q
"$CW" network "$sh_c" --links "$T/links.csv" -o "$T/l2.csv" --nodes-out "$T/n2.csv" -q
tail -n +2 "$T/l1.csv" | sort >"$T/l1.sorted"
tail -n +2 "$T/l2.csv" | sort >"$T/l2.sorted"
check "network --links, shuffled cities and links: the same edges" cmp -s "$T/l1.sorted" "$T/l2.sorted"
tail -n +2 "$T/n1.csv" | sort >"$T/n1.sorted"
tail -n +2 "$T/n2.csv" | sort >"$T/n2.sorted"
check "network --nodes-out, shuffled cities and links: the same measures and numbers" \
    cmp -s "$T/n1.sorted" "$T/n2.sorted"

# -- linkage: units, centres and places in another order --
# shuffle IN OUT: the features of a GeoJSON in a fixed random order.
shuffle() {
    $PY -c "import json, random, sys
d = json.load(open(sys.argv[1], encoding='utf-8'))
random.Random(7).shuffle(d['features'])
json.dump(d, open(sys.argv[2], 'w', encoding='utf-8'), ensure_ascii=False)" "$1" "$2"
}
U=data/japan/nagano_municipalities.geojson
LC=data/japan/jaxa_lc_N36E138_50m.tif
shuffle $U "$T/u.geojson"
for a in "" "--ancillary $LC --classes 2"; do
    "$CW" linkage popgrid $U --pop-field pop2020 $a -o "$T/p1.tif" -q --overwrite --threads 1
    "$CW" linkage popgrid $U --pop-field pop2020 $a -o "$T/p2.tif" -q --overwrite --threads 2
    "$CW" linkage popgrid "$T/u.geojson" --pop-field pop2020 $a -o "$T/psh.tif" -q --overwrite
    check "popgrid $a: the same bytes with 1 and 2 threads" cmp -s "$T/p1.tif" "$T/p2.tif"
    check "popgrid $a: the same bytes from shuffled units" cmp -s "$T/p1.tif" "$T/psh.tif"
done

D=data/belgium
shuffle $D/nuts3_2024.geojson "$T/nuts3.geojson"
degurba() {
    out=$1
    shift
    "$CW" linkage degurba $D/ghs_pop_2020.tif --land $D/ghs_land_2018.tif -o "$T/$out.tif" \
        --polygons "$T/$out.geojson" -O "$T/${out}_units.csv" -q --overwrite "$@"
}
degurba d1 --units $D/nuts3_2024.geojson --nuts3 --threads 1
degurba d2 --units $D/nuts3_2024.geojson --nuts3 --threads 2
degurba dsh --units "$T/nuts3.geojson" --nuts3
check "degurba: the same bytes with 1 and 2 threads" \
    sh -c "cmp -s '$T/d1.tif' '$T/d2.tif' && cmp -s '$T/d1.geojson' '$T/d2.geojson' &&
           cmp -s '$T/d1_units.csv' '$T/d2_units.csv'"
tail -n +2 "$T/d1_units.csv" | sort >"$T/d1.sorted"
tail -n +2 "$T/dsh_units.csv" | sort >"$T/dsh.sorted"
check "degurba --units: the same rows from shuffled units" cmp -s "$T/d1.sorted" "$T/dsh.sorted"

shuffle $U "$T/c.geojson"   # the centres: the same file, its own shuffle
links() {
    out=$1
    centres=$2
    places=$3
    shift 3
    "$CW" linkage links --centres "$centres" --centres-where "pop2020 > 50000" --pop-field pop2020 \
        --places "$places" --id-field code --dist-bands 10km,25km -o "$T/$out.csv" \
        --catchments "$T/$out.geojson" --summary "$T/${out}_sum.csv" -q --overwrite "$@"
}
links k1 $U $U --threads 1
links k2 $U $U --threads 2
links ksh "$T/c.geojson" "$T/u.geojson"
check "links: the same bytes with 1 and 2 threads" \
    sh -c "cmp -s '$T/k1.csv' '$T/k2.csv' && cmp -s '$T/k1.geojson' '$T/k2.geojson' &&
           cmp -s '$T/k1_sum.csv' '$T/k2_sum.csv'"
for f in .csv _sum.csv; do
    tail -n +2 "$T/k1$f" | sort >"$T/k1.sorted"
    tail -n +2 "$T/ksh$f" | sort >"$T/ksh.sorted"
    check "links $f: the same rows from shuffled centres and places" cmp -s "$T/k1.sorted" "$T/ksh.sorted"
done
# Catchments are written centre by centre in the centres' order: the same
# features, each one byte for byte, in another order.
check "links catchments: the same features from shuffled centres and places" $PY -c "
import json, sys
f = lambda p: sorted(json.dumps(x, sort_keys=True) for x in json.load(open(p))['features'])
sys.exit(f('$T/k1.geojson') != f('$T/ksh.geojson'))"
finish
