#!/bin/sh
# Writes bench/work/cities500.csv (id,name,lon,lat; RFC 4180) from the
# GeoNames cities500 dump, the one input file every tool in bench/run.sh
# reads.  id is the geonameid; lon, lat are the dump's text, unchanged.
set -eu
cd "$(dirname "$0")/.."
SRC=${CITIES500:-/work/shared/data/cities/geonames_cities500.tsv}
OUT=bench/work/cities500.csv
mkdir -p bench/work
[ -f "$OUT" ] && [ "$OUT" -nt "$SRC" ] && [ "$OUT" -nt bench/prepare.sh ] && exit 0
# GeoNames TSV has no quoting; a name with a comma, quote or CR is quoted
# and its quotes doubled.  Columns: 1 geonameid, 2 name, 5 longitude, 4 latitude.
LC_ALL=C awk -F '\t' -v OFS=, '
NR == 1 { print "id", "name", "lon", "lat"; next }
{
	name = $2
	if (name ~ /[",\r\n]/) { gsub(/"/, "\"\"", name); name = "\"" name "\"" }
	print $1, name, $5, $4
	n++
}
END { if (n != 199568) printf "prepare.sh: %d cities, expected 199568\n", n > "/dev/stderr" }
' "$SRC" >"$OUT.tmp"
mv "$OUT.tmp" "$OUT"
