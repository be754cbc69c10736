# test_nothing_lost.sh: a run that fails while writing leaves an existing
# output byte-identical and no temporary file, in every format. The N-th
# write is made to fail with CW_FAIL_WRITE=N (see cw_ctx_inject_write_fault).
# SPDX-License-Identifier: MIT
. tests/cli/lib.sh
C=data/cities.csv
L="--links data/links.csv"

for ext in geojson shp gpkg fgb csv; do
    mkdir "$T/$ext"
    out="$T/$ext/net.$ext"
    "$CW" network $C $L -o "$out" -q
    (cd "$T/$ext" && ls -A | sort >"$T/before.ls" && cat $(ls -A | sort) | cksum >"$T/before.sum")
    for n in 1 5 29 30; do
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
