# test_nothing_lost.sh: a run that fails while writing leaves an existing
# output byte-identical and no temporary file, in every format and for
# every output of a run. The N-th write is made to fail with
# CW_FAIL_WRITE=N (see cw_ctx_inject_write_fault), and real write errors
# come from a file size limit (ulimit -f).
# SPDX-License-Identifier: MIT
. tests/cli/lib.sh
C=data/cities.csv
L="--links data/links.csv"
U=data/japan/nagano_municipalities.geojson

for ext in geojson shp gpkg fgb csv; do
    mkdir "$T/$ext"
    out="$T/$ext/net.$ext"
    "$CW" network $C $L -o "$out" -q
    (cd "$T/$ext" && ls -A | sort >"$T/before.ls" && cat $(ls -A | sort) | cksum >"$T/before.sum")
    # the last write is the commit, one after the records
    "$CW" network $C --knn 2 -o "$T/knn2.csv" -q --overwrite
    records=$(($(wc -l <"$T/knn2.csv") - 1))
    for n in 1 5 29 30 "$records" $((records + 1)); do
        CW_FAIL_WRITE=$n "$CW" network $C --knn 2 -o "$out" --overwrite -q 2>"$T/err"
        rc=$?
        (cd "$T/$ext" && ls -A | sort >"$T/after.ls" && cat $(ls -A | sort) | cksum >"$T/after.sum")
        check "$ext, write $n fails: exit 1" test "$rc" -eq 1
        check "$ext, write $n fails: one line on stderr" test "$(wc -l <"$T/err")" -eq 1
        check "$ext, write $n fails: same files, no temporary left" cmp -s "$T/before.ls" "$T/after.ls"
        check "$ext, write $n fails: old output byte-identical" cmp -s "$T/before.sum" "$T/after.sum"
    done
done

# The two outputs of one run: a failure in the second keeps the first out.
"$CW" network $C $L -o "$T/e.geojson" --nodes-out "$T/n.geojson" -q
cp "$T/e.geojson" "$T/e.keep"
CW_FAIL_WRITE=40 "$CW" network $C --knn 2 -o "$T/e.geojson" --nodes-out "$T/n.geojson" --overwrite -q 2>/dev/null
check "nodes fail: edges not replaced either" cmp -s "$T/e.geojson" "$T/e.keep"

# -- real write errors: a file size limit --
# RLIMIT_FSIZE (ulimit -f, in 512-byte blocks in POSIX sh; SIGXFSZ
# ignored) makes write(2) fail with EFBIG inside stdio, Shapelib, SQLite
# and GDAL alike, not only where cityweave counts its writes. One block
# fails the first write; a quarter of the new output fails one mid-way.
limited() {
    blocks=$1
    shift
    (trap '' XFSZ; ulimit -f "$blocks"; exec "$@") >/dev/null 2>"$T/err"
}
# Under valgrind the limit would cut valgrind's own log short.
if [ -n "${CW_VALGRIND_LOGS:-}" ]; then
    echo "skipped: write errors from a file size limit (under valgrind)" >&2
    fsize_formats=""
else
    fsize_formats="geojson shp gpkg fgb csv"
fi
for ext in $fsize_formats; do
    "$CW" network $C --knn 4 -o "$T/new.$ext" -q --overwrite
    for blocks in 1 $(($(wc -c <"$T/new.$ext") / 2048 + 1)); do
        (cd "$T/$ext" && ls -A | sort >"$T/before.ls" && cat $(ls -A | sort) | cksum >"$T/before.sum")
        limited "$blocks" "$CW" network $C --knn 4 -o "$T/$ext/net.$ext" --overwrite -q
        rc=$?
        (cd "$T/$ext" && ls -A | sort >"$T/after.ls" && cat $(ls -A | sort) | cksum >"$T/after.sum")
        check "$ext, files limited to $blocks blocks: exit 1" test "$rc" -eq 1
        check "$ext, files limited to $blocks blocks: one line naming the output" \
            has_line "net.$ext': cannot write"
        check "$ext, files limited to $blocks blocks: same files, no temporary left" \
            cmp -s "$T/before.ls" "$T/after.ls"
        check "$ext, files limited to $blocks blocks: old output byte-identical" \
            cmp -s "$T/before.sum" "$T/after.sum"
    done
done
mkdir "$T/tif"
"$CW" linkage popgrid $U --pop-field pop2020 --cell 2km -o "$T/tif/pop.tif" -q
cp "$T/tif/pop.tif" "$T/pop.keep"
"$CW" linkage popgrid $U --pop-field pop2020 -o "$T/new.tif" -q
for blocks in ${fsize_formats:+1 $(($(wc -c <"$T/new.tif") / 2048 + 1))}; do
    limited "$blocks" "$CW" linkage popgrid $U --pop-field pop2020 -o "$T/tif/pop.tif" --overwrite -q
    check "GeoTIFF, files limited to $blocks blocks: exit 1" test $? -eq 1
    check "GeoTIFF, files limited to $blocks blocks: one line" has_line "pop.tif': cannot write the GeoTIFF"
    check "GeoTIFF, files limited to $blocks blocks: old output byte-identical" \
        cmp -s "$T/pop.keep" "$T/tif/pop.tif"
    check "GeoTIFF, files limited to $blocks blocks: no temporary or .aux.xml left" \
        test "$(ls -A "$T/tif")" = pop.tif
done

# -- every output of a run: all replaced or none --
# A run with several outputs writes each in full to its temporary files,
# then publishes them together (cw_ctx_hold_outputs), so a failure at any
# write, the commits of the first outputs included, replaces none. The
# last write T is found by bisection (a run fails if and only if N <= T);
# every failing run is checked, and so are N = 1, T-2, T-1 and T.

# run_at N DIR CMD...: CMD with its N-th write failing, on a fresh copy of
# the old outputs in DIR (saved in DIR.ref); returns its exit status.
run_at() {
    n=$1
    dir=$2
    shift 2
    rm -rf "$dir" && cp -a "$dir.ref" "$dir"
    CW_FAIL_WRITE=$n "$@" >/dev/null 2>"$T/err"
}
# intact WHAT DIR RC: the run failed with one line and left DIR as it was.
intact() {
    check "$1: exit 1" test "$3" -eq 1
    check "$1: one line on stderr" test "$(wc -l <"$T/err")" -eq 1
    check "$1: every old output byte-identical, no temporary left" diff -rq "$2.ref" "$2"
}
# sweep WHAT DIR CMD...: CMD writes its outputs into DIR, whose old
# outputs are saved in DIR.ref.
sweep() {
    label=$1
    dir=$2
    shift 2
    lo=1
    hi=1024
    run_at $hi "$dir" "$@"
    check "$label: succeeds when no write fails" test $? -eq 0
    check "$label: and then replaces the old outputs" sh -c "! diff -rq '$dir.ref' '$dir' >/dev/null"
    while [ $((hi - lo)) -gt 1 ]; do
        mid=$(((lo + hi) / 2))
        run_at $mid "$dir" "$@"
        rc=$?
        if [ $rc -eq 0 ]; then
            hi=$mid
        else
            intact "$label, write $mid fails" "$dir" $rc
            lo=$mid
        fi
    done
    for n in 1 $((lo - 2)) $((lo - 1)) $lo; do
        [ "$n" -ge 1 ] || continue
        run_at "$n" "$dir" "$@"
        intact "$label, write $n of $lo fails" "$dir" $?
    done
}
mkdir "$T/m.ref"
"$CW" network $C $L -o "$T/m.ref/e.shp" --nodes-out "$T/m.ref/n.gpkg" -q
sweep "network edges (Shapefile) and nodes (GeoPackage)" "$T/m" \
    "$CW" network $C --knn 2 -o "$T/m/e.shp" --nodes-out "$T/m/n.gpkg" --overwrite -q
mkdir "$T/k.ref"
"$CW" cluster $C --method dbscan --eps 100km --min-pts 2 -o "$T/k.ref/p.fgb" \
    --hulls "$T/k.ref/h.geojson" -q
sweep "cluster points (FlatGeobuf) and hulls (GeoJSON)" "$T/k" \
    "$CW" cluster $C --method dbscan --eps 300km --min-pts 2 -o "$T/k/p.fgb" \
    --hulls "$T/k/h.geojson" --overwrite -q
D=data/belgium
mkdir "$T/d.ref"
"$CW" linkage degurba $D/ghs_pop_2020.tif --level 2 -o "$T/d.ref/c.tif" --polygons "$T/d.ref/p.csv" \
    --units $D/nuts3_2024.geojson -O "$T/d.ref/u.shp" -q
sweep "degurba classes (GeoTIFF), polygons (CSV) and units (Shapefile)" "$T/d" \
    "$CW" linkage degurba $D/ghs_pop_2020.tif -o "$T/d/c.tif" --polygons "$T/d/p.csv" \
    --units $D/nuts3_2024.geojson -O "$T/d/u.shp" --overwrite -q
mkdir "$T/l.ref"
links() {
    dir=$1
    shift
    "$CW" linkage links --centres $U --centres-where "pop2020 > 100000" --pop-field pop2020 \
        --places $U -o "$dir/l.csv" --catchments "$dir/c.geojson" --summary "$dir/s.gpkg" -q "$@"
}
links "$T/l.ref" --dist-bands 10km,25km
sweep "links (CSV), catchments (GeoJSON) and summary (GeoPackage)" "$T/l" \
    links "$T/l" --dist-bands 20km,40km --overwrite

# Inputs are opened read-only, through cityweave's CSV reader and through
# OGR alike: every open(2) of an input, as strace sees it, has O_RDONLY and
# neither O_CREAT nor O_TRUNC.
cp $C "$T/in.csv" && cp data/links.csv "$T/in_links.csv" && cp maps/iuc_iurc_nodes.geojson "$T/in.geojson"
trace() {
    strace -f -qq -e trace=open,openat -o "$T/trace" "$@" >/dev/null 2>&1
}
if ! command -v strace >/dev/null || ! trace true; then
    echo "skipped: read-only inputs (strace missing or not permitted)" >&2
else
    trace "$CW" network "$T/in.csv" --links "$T/in_links.csv" --links-where "kind = 'pairing'" \
        -o "$T/ro.geojson" --nodes-out "$T/ro_nodes.shp" -q
    check "network opened its inputs" test "$(grep -c 'in\(_links\)\{0,1\}\.csv"' "$T/trace")" -ge 2
    check "network opened no input for writing" sh -c "! grep 'in\(_links\)\{0,1\}\.csv\"' '$T/trace' | grep -q 'O_WRONLY\|O_RDWR\|O_CREAT\|O_TRUNC'"
    trace "$CW" cluster "$T/in.geojson" --method dbscan --eps 400km --min-pts 2 -o "$T/ro.gpkg" -q
    check "cluster opened its input" grep -q 'in\.geojson"' "$T/trace"
    check "cluster opened no input for writing" sh -c "! grep 'in\.geojson\"' '$T/trace' | grep -q 'O_WRONLY\|O_RDWR\|O_CREAT\|O_TRUNC'"
fi
finish
