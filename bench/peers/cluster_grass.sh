#!/bin/sh
# GRASS GIS v.cluster DBSCAN peer for bench/cluster.sh.
#
#   cluster_grass.sh CITIES.csv OUT.csv [EPS_M [MIN_PTS]]
#
# One whole GRASS session: `grass --tmp-location EPSG:4087` (a throwaway
# location in WGS 84 / World Equidistant Cylindrical, metres), then
#   m.proj -i       lon/lat -> EPSG:4087 x/y (PROJ, in the location's CRS)
#   v.in.ascii      the points, no table, no topology; cat = row number
#   v.cluster -2    method=dbscan distance=EPS_M min=MIN_PTS, no table/topology
#   v.category      print layer 1 (row) and layer 2 (cluster) cats
# and writes id,cluster (cluster -1 = noise; v.cluster gives noise cat 0).
# v.cluster's min counts the point itself ("min - 1 neighbours within
# distance"), as sklearn's min_samples and cityweave's --min-pts do.
# Distances are planar in EPSG:4087: true along meridians, east-west
# stretched by about 1/cos(latitude) (x2 at 60 deg) -- an approximation.
set -eu
src=$(realpath "${1:?CITIES.csv}")
out=$(realpath -m "${2:?OUT.csv}")
eps=${3:-50000}
minpts=${4:-5}
tmp=$(mktemp -d /tmp/cityweave-bench-grass.XXXXXX)
trap 'rm -rf "$tmp"' EXIT
# lon and lat are the last two fields (names may hold quoted commas).
tail -n +2 "$src" | awk -F, '{ print $(NF-1) "|" $NF }' >"$tmp/ll.txt"
cat >"$tmp/job.sh" <<EOF
set -e
m.proj -i input="$tmp/ll.txt" separator=pipe output="$tmp/xy.txt" --quiet
v.in.ascii -t -b input="$tmp/xy.txt" output=pts separator=pipe x=1 y=2 --quiet
v.cluster -2 -t -b input=pts output=cl distance=$eps min=$minpts method=dbscan --quiet
v.category input=cl option=print layer=1,2 >"$tmp/cats.txt"
EOF
HOME=$tmp grass --tmp-location EPSG:4087 --exec sh "$tmp/job.sh" >"$tmp/grass.log" 2>&1 || {
	cat "$tmp/grass.log" >&2
	exit 1
}
# cats.txt: row|cluster in row order; join back to the ids.
tail -n +2 "$src" | awk -F, -v cats="$tmp/cats.txt" '
BEGIN { while ((getline l < cats) > 0) { split(l, a, "|"); c[a[1]] = a[2] } }
{ n++; k = (n in c) ? c[n] : 0; print $1 "," (k == 0 ? -1 : k - 1) }
' | { echo "id,cluster"; cat; } >"$out"
