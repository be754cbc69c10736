# test_map.sh: `cityweave map` against independent oracles: city pixels at
# the positions PROJ's cs2cs gives (through the world file GDAL reads),
# lines against gdal_rasterize of the same lines projected by ogr2ogr
# (IoU), land-cover pixels against gdallocationinfo, SVG and QGIS styles
# parsed as XML; bad input; byte-identical SVG and PDF.
# SPDX-License-Identifier: MIT
. tests/cli/lib.sh
M="$PY tests/cli/map_check.py"
LAEA="+proj=laea +lat_0=50 +lon_0=10 +ellps=WGS84 +units=m"

# -- bad input: one line, exit 1 (data) or 2 (options), nothing left --
fails 1 "unknown style field" "$CW" map "data/cities.csv:color=colour_of" -o "$T/m.png"
check "unknown field named with the file and the fields there" \
    has_line "data/cities.csv': no colour field 'colour_of' (fields: id, name,"
fails 1 "unknown size field" "$CW" map "data/cities.csv:size=people" -o "$T/m.png"
check "unknown size field named" has_line "no size field 'people'"
fails 2 "unknown style key" "$CW" map "data/cities.csv:colr=#ff0000" -o "$T/m.png"
check "unknown key named" has_line "style item 'colr=#ff0000': unknown key"
fails 2 "bad colour" "$CW" map "data/cities.csv:color=#12" -o "$T/m.png"
check "bad colour explained" has_line "style item 'color=#12': bad colour"
printf '{"type":"FeatureCollection","features":[]}\n' >"$T/empty.geojson"
fails 1 "empty layer" "$CW" map "$T/empty.geojson" -o "$T/m.png"
check "empty layer named" has_line "empty.geojson': no features with a geometry to draw"
fails 2 "extent crossing the antimeridian" "$CW" map data/cities.csv --extent 170,-10,-170,10 -o "$T/m.png"
check "antimeridian extent explained" has_line "extent 170,-10,-170,10 crosses the antimeridian"
fails 2 "extent S >= N" "$CW" map data/cities.csv --extent 0,50,10,40 -o "$T/m.png"
fails 1 "unwritable output" "$CW" map data/cities.csv -o "$T/no/such/dir/m.png"
check "unwritable output named" has_line "no/such/dir/m.png"
fails 2 "unknown output format" "$CW" map data/cities.csv -o "$T/m.gif"
check "format explained" has_line "m.gif': unknown map format (use .png, .svg or .pdf)"
fails 2 "unknown projection" "$CW" map data/cities.csv --proj EPSG:999999 -o "$T/m.png"
check "projection named" has_line "unknown projection 'EPSG:999999'"
fails 2 "bad size" "$CW" map data/cities.csv --size 10x10 -o "$T/m.png"
fails 2 "raster without classes" "$CW" map data/japan/jaxa_lc_kanto_250m.tif -o "$T/m.png"
check "raster needs classes" has_line "a raster layer needs class= items or grad="
fails 1 "labels field nowhere" "$CW" map data/cities.csv --labels nom -o "$T/m.png"
check "labels field named" has_line "no layer has the label field 'nom'"
fails 1 "non-numeric graduated field" "$CW" map "data/cities.csv:grad=name" -o "$T/m.png"
check "row of the non-number named" has_line "cities.csv' row 1: name 'Ancona' is not a number"
fails 2 "no layer" "$CW" map -o "$T/m.png"
fails 2 "no output" "$CW" map data/cities.csv
cp data/cities.csv "$T/in.csv"
fails 2 "output is the input" "$CW" map "$T/in.csv" -o "$T/in.csv" --overwrite
check "input untouched" cmp -s data/cities.csv "$T/in.csv"
check "no output and no temporary file after errors" \
    test -z "$(ls -A "$T" | grep -v -e '^empty.geojson$' -e '^in.csv$' -e '^out$' -e '^err$')"
"$CW" map data/cities.csv --basemap none --size 300x200 -o "$T/keep.png" -q
cp "$T/keep.png" "$T/keep.ref"
fails 2 "existing output without --overwrite" "$CW" map data/cities.csv -o "$T/keep.png"
CW_FAIL_WRITE=1 "$CW" map data/cities.csv --size 400x300 -o "$T/keep.png" --overwrite -q 2>"$T/err"
check "failed write: exit 1, one line" test "$?" -eq 1 -a "$(wc -l <"$T/err")" -eq 1
check "failed write: old map byte-identical" cmp -s "$T/keep.png" "$T/keep.ref"
check "failed write: no temporary file" test -z "$(ls -A "$T" | grep '\.tmp\.')"

# -- cities where cs2cs puts them: the pixel at the projected position
#    (world file read by GDAL) has the city colour, within 2 px --
"$CW" map "data/cities.csv:color=#D55E00;size=9;outline=none" --basemap none --proj "$LAEA" \
    --extent -10,35,30,62 --size 1600x1200 --world-file -o "$T/pts.png" -q
check "world file written beside the PNG" test -s "$T/pts.wld"
places=$(awk -F, '$1 ~ /^(bonn|prague|budapest|turin|marseille|oslo|helsinki|seville|tirana)$/ \
    { printf "%s,%s ", $5, $6 }' data/cities.csv)
check "9 cities drawn at their cs2cs positions" $M points "$T/pts.png" "$LAEA" D55E00 $places
check "oracle not vacuous: no city in the Aegean (25E 38N)" sh -c "! $M points '$T/pts.png' '$LAEA' D55E00 25,38 2>/dev/null"

# -- lines: cityweave's pixels against gdal_rasterize of the lines projected
#    by ogr2ogr and buffered by half the width, on the same grid --
"$CW" map "maps/iuc_iurc_network.geojson:color=#000000;width=3" --basemap none --proj equal-earth \
    --size 1600x800 --world-file -o "$T/lines.png" -q
check "pairings on Equal Earth: IoU >= 0.9 with gdal_rasterize" $M iou "$T/lines.png" \
    "+proj=eqearth +lon_0=0 +ellps=WGS84 +units=m" maps/iuc_iurc_network.geojson
# Centred on 100 W, the seam is at 80 E and cuts every pairing: the oracle
# clips the lines there with ogr2ogr -clipsrc before projecting.
EE100="+proj=eqearth +lon_0=-100 +ellps=WGS84 +units=m"
"$CW" map "maps/iuc_iurc_network.geojson:color=#000000;width=3" --basemap none --proj "$EE100" \
    --extent -180,20,180,75 --size 1600x500 --world-file -o "$T/seam.png" -q
check "pairings cut at the seam (80 E): IoU >= 0.9, no streak" $M iou "$T/seam.png" "$EE100" \
    maps/iuc_iurc_network.geojson 80
check "oracle not vacuous: uncut, ogr2ogr's lines streak across (IoU < 0.9)" \
    sh -c "! $M iou '$T/seam.png' '$EE100' maps/iuc_iurc_network.geojson >/dev/null 2>&1"
"$CW" map "tests/cli/data/pacific.csv" --basemap none --size 200x100 -o "$T/one.png" -q
check "a single point gets a map" test -s "$T/one.png"

# -- land cover: the pixel at each place has the colour of the class
#    gdallocationinfo reads from the grid there --
LC="data/japan/jaxa_lc_kanto_250m.tif"
CLS="1=#56B4E9,2=#BBBBBB,3=#E69F00,4=#E69F00,5=#B5D96A,6=#009E73,7=#009E73,8=#009E73,9=#009E73,10=#E3DCCF,11=#009E73,12=#CC79A7"
STYLE="class=1/#56B4E9/water;class=2/#BBBBBB/urban;class=3..4/#E69F00/farmland;class=5/#B5D96A/grass;class=6..9/#009E73/forest;class=11/#009E73/forest;class=10/#E3DCCF/bare;class=12/#CC79A7/solar"
LAEAK="+proj=laea +lat_0=36 +lon_0=140 +ellps=WGS84 +units=m"
"$CW" map "$LC:$STYLE" --basemap none --proj "$LAEAK" --extent 139,35,141,37 --size 900x1000 \
    --world-file -o "$T/lc.png" -q
check "land-cover classes where gdallocationinfo reads them" $M raster "$T/lc.png" "$LAEAK" "$LC" \
    "$CLS" 139.85,35.5 139.1,35.95 140.6,36.9 139.7,35.69 140.25,35.9 140.05,36.3 139.3,36.6 140.85,35.8

# -- labels: the SVG parses, every label box holds its glyphs, no two boxes
#    intersect, and the most important cities keep their labels --
"$CW" map "data/cities.csv:size=population;label=name;priority=population" --title "Members" \
    --legend --size 1600x900 -o "$T/a.svg" -q
check "SVG labels: present, boxes apart, glyphs inside" $M svg "$T/a.svg" Tokyo "São Paulo" \
    "Mexico City" Jakarta "Cape Town" Melbourne Toronto
check "SVG is well-formed for xmllint too" xmllint --noout "$T/a.svg"

# -- deterministic: same bytes for SVG and PDF, same PNG --
"$CW" map "data/cities.csv:size=population;label=name;priority=population" --title "Members" \
    --legend --size 1600x900 -o "$T/b.svg" -q
check "SVG byte-identical on a second run" cmp -s "$T/a.svg" "$T/b.svg"
for i in 1 2; do
    "$CW" map "maps/member_clusters.geojson:color=cluster;label=name" --title "Members" --legend \
        --size 800x500 -o "$T/p$i.pdf" -q
    "$CW" map "maps/member_clusters.geojson:color=cluster;label=name" --size 800x500 -o "$T/p$i.png" -q
done
check "PDF byte-identical on a second run" cmp -s "$T/p1.pdf" "$T/p2.pdf"
check "PDF starts as a PDF" sh -c "head -c 5 '$T/p1.pdf' | grep -q '%PDF-'"
check "PNG byte-identical on a second run" cmp -s "$T/p1.png" "$T/p2.png"

# -- QGIS styles: well-formed, the categories ogrinfo finds, Okabe-Ito
#    colours in order; QGIS itself loads them when it is installed --
for q in maps/*.qml; do
    check "$q well-formed" xmllint --noout "$q"
done
for f in maps/*.geojson maps/*.shp; do
    check "$f has a QGIS style beside it" test -s "${f%.*}.qml"
done
ogrinfo -ro -q -dialect sqlite -sql "SELECT DISTINCT programme FROM iuc_iurc_network ORDER BY 1" \
    maps/iuc_iurc_network.geojson | sed -n 's/.*programme (String) = //p' >"$T/programmes"
check "iuc_iurc_network.qml: categories IUC, IURC as ogrinfo lists, orange and sky blue" $PY - \
    maps/iuc_iurc_network.qml "$T/programmes" <<'PY'
import sys, xml.etree.ElementTree as ET
r = ET.parse(sys.argv[1]).getroot().find("renderer-v2")
assert r.get("type") == "categorizedSymbol" and r.get("attr") == "programme", r.attrib
values = [c.get("value") for c in r.find("categories")]
assert values == open(sys.argv[2]).read().split(), values
colours = {s.get("name"): [p.get("v") for p in s.iter("prop") if p.get("k") == "line_color"][0]
           for s in r.find("symbols")}
assert colours == {"0": "230,159,0,255", "1": "86,180,233,255"}, colours
PY
check "japan_urban_rural.qml: the three DEGURBA classes and the labels" $PY - maps/japan_urban_rural.qml <<'PY'
import sys, xml.etree.ElementTree as ET
q = ET.parse(sys.argv[1]).getroot()
cats = [(c.get("value"), c.get("label")) for c in q.find("renderer-v2").find("categories")]
assert cats == [("1", "city (urban centre)"), ("2", "town or semi-dense area"),
                ("3", "rural area")], cats
assert q.find("labeling").find("settings").find("text-style").get("fieldName") == "name"
PY
if command -v qgis_process >/dev/null 2>&1; then
    check "QGIS loads the style" qgis_process run native:setlayerstyle \
        --INPUT=maps/iuc_iurc_network.geojson --STYLE=maps/iuc_iurc_network.qml
else
    echo "skipped: QGIS's own check of the .qml files (qgis_process not installed)" >&2
fi
finish
