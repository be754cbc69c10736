# test_scale.sh: peak memory grows linearly with the number of points in
# network --knn and cluster --method dbscan: the growth from 50,000 to
# 200,000 points is about 4 times that from 1,000 to 50,000 (16 would be
# quadratic). The points are the 20,000 GeoNames cities of tests/data
# drawn with replacement and jittered by 2 km (scale_points.py, seed 7).
# The full measurement, 1 to 10 million points, is bench/scale.sh.
# SPDX-License-Identifier: MIT
. tests/cli/lib.sh
if [ -n "${CW_VALGRIND_LOGS:-}" ] || [ ! -x /usr/bin/time ]; then
    echo "skipped: peak memory (under valgrind, or no GNU time)" >&2
    finish
    exit
fi
head -n 1001 tests/data/geonames_2000.csv | cut -d, -f1,3,4 >"$T/p1000.csv"
for n in 50000 200000; do
    $PY tests/cli/scale_points.py tests/data/geonames_20000.csv $n "$T/p$n.csv"
done
check "scale_points.py: 200,000 points and a header" test "$(wc -l <"$T/p200000.csv")" -eq 200001

# rss CMD...: the peak resident set size of CMD in kB.
rss() {
    /usr/bin/time -f %M -o "$T/rss" "$@" >/dev/null 2>&1 && cat "$T/rss"
}
for m in "network --knn 8 --select from_id,to_id,dist_km" "cluster --method dbscan --eps 2km --min-pts 10"; do
    set -- $m
    cmd=$1
    shift
    r1=$(rss "$CW" $cmd "$T/p1000.csv" "$@" -o "$T/o.csv" --overwrite -q)
    r2=$(rss "$CW" $cmd "$T/p50000.csv" "$@" -o "$T/o.csv" --overwrite -q)
    r3=$(rss "$CW" $cmd "$T/p200000.csv" "$@" -o "$T/o.csv" --overwrite -q)
    echo "$cmd: peak RSS $r1, $r2, $r3 kB at 1,000, 50,000, 200,000 points" >&2
    check "$m: memory grows linearly (ratio of growths 2 to 8)" \
        awk -v a="$r1" -v b="$r2" -v c="$r3" 'BEGIN { r = (c - a) / (b - a); exit !(b > a && r >= 2 && r <= 8) }'
done
finish
