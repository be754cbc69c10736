# test_maps.sh: the main job is deterministic and maps/ is up to date:
# two runs give byte-identical files, equal to the committed ones.
# SPDX-License-Identifier: MIT
. tests/cli/lib.sh

scripts/make-maps.sh "$CW" "$T/a" 2>/dev/null
scripts/make-maps.sh "$CW" "$T/b" 2>/dev/null
check "make maps wrote files" test -s "$T/a/iuc_iurc_network.geojson"
for f in "$T"/a/*; do
    n=$(basename "$f")
    check "$n identical on a second run" cmp -s "$f" "$T/b/$n"
    check "committed maps/$n is up to date" cmp -s "$f" "maps/$n"
done
check "ogrinfo: 15 pairing links in the shapefile" \
    sh -c "ogrinfo -ro -so -al '$T/a/iuc_iurc_network.shp' | grep -q 'Feature Count: 15'"
check "ogrinfo: 14 office links" \
    sh -c "ogrinfo -ro -so -al '$T/a/iclei_offices.geojson' | grep -q 'Feature Count: 14'"
# The MST of n cities has n - 1 edges (all 82 cities are distinct points).
check "member MST has 81 edges" \
    sh -c "ogrinfo -ro -so -al '$T/a/member_mst.geojson' | grep -q 'Feature Count: 81'"
finish
