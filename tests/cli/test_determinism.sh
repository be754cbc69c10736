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
    for m in "dbscan --eps 200km --min-pts 3" "linkage --linkage single --k 20"; do
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
finish
