# test_green.sh: `cityweave green` against hand-worked squares (areas,
# shares, patches, mesh sizes, IIC, PC, EC, WHO access), a hand-made
# land-cover grid (the raster path), PostGIS on Malta's OSM GI and
# buildings, the polygonised JAXA land cover against the JAXA raster, and
# bad input.
# SPDX-License-Identifier: MIT
. tests/cli/lib.sh
quiet() { "$@" >/dev/null 2>&1; }
# near A B TOL: |A - B| <= TOL * max(|B|, 1)
near() { $PY -c "import sys; a, b, t = map(float, sys.argv[1:]); sys.exit(abs(a - b) > t * max(abs(b), 1))" "$@"; }
# prop FILE FEATURE FIELD: a property of a GeoJSON feature (0-based)
prop() { $PY -c "import json, sys; print(json.load(open(sys.argv[1]))['features'][int(sys.argv[2])]['properties'][sys.argv[3]])" "$@"; }

# ---- hand-worked squares ----------------------------------------------
# In EPSG:3035 (LAEA Europe, equal-area on GRS80) at its own origin, so a
# 1 km square is 1,000,000 m2 to about 1e-7 (GRS80 is not quite WGS84). Metres from (4321000, 3210000):
#   zone Z [0,1000]^2: 1,000,000 m2
#   A forest [100,200]x[100,200]  10,000 m2
#   B grass  [400,600]x[100,200]  20,000 m2; 200 m east of A
#   C forest [950,1050]x[100,200] 10,000 m2, half outside Z: 5,000 inside
#   D grass  [120,170]^2 inside A (only in the overlapping variant)
mk() {   # mk NAME "x0 y0 x1 y1 class" ...: polygons in EPSG:3035
    out=$1
    shift
    echo "WKT,gi_class" >"$T/$out.csv"
    for r in "$@"; do
        set -- $r
        x0=$((4321000 + $1)) y0=$((3210000 + $2)) x1=$((4321000 + $3)) y1=$((3210000 + $4))
        echo "\"POLYGON(($x0 $y0,$x1 $y0,$x1 $y1,$x0 $y1,$x0 $y0))\",$5" >>"$T/$out.csv"
    done
    ogr2ogr -f GPKG -a_srs EPSG:3035 -oo GEOM_POSSIBLE_NAMES=WKT -nln $out "$T/$out.gpkg" \
        "$T/$out.csv" 2>/dev/null
}
mk zone "0 0 1000 1000 z"
mk gi "100 100 200 200 forest" "400 100 600 200 grass" "950 100 1050 200 forest"
mk gio "100 100 200 200 forest" "400 100 600 200 grass" "950 100 1050 200 forest" \
    "120 120 170 170 grass"
# People (weight w): P1 in A (10), P2 250 m above A (20), P3 far from all
# (5), P4 100 m east of B (7), P5 104 m from C (3); 45 in all.
printf 'WKT,w\n' >"$T/pop.csv"
for p in "150 150 10" "150 450 20" "800 800 5" "700 150 7" "920 300 3"; do
    set -- $p
    echo "\"POINT($((4321000 + $1)) $((3210000 + $2)))\",$3" >>"$T/pop.csv"
done
ogr2ogr -f GPKG -a_srs EPSG:3035 -oo GEOM_POSSIBLE_NAMES=WKT "$T/pop.gpkg" "$T/pop.csv" 2>/dev/null

for v in gi gio; do
    "$CW" green "$T/zone.gpkg" --gi "$T/$v.gpkg" --class-field gi_class --dispersal 250m \
        --pop "$T/pop.gpkg" --pop-field w --patches "$T/$v.p.geojson" --links "$T/$v.l.geojson" \
        -o "$T/$v.geojson" -q
    o=$T/$v.geojson
    check "$v: zone area 1,000,000 m2" near "$(prop $o 0 zone_area_m2)" 1e6 1e-6
    check "$v: GI 35,000 m2 (A + B + half of C; D inside A counts once)" \
        near "$(prop $o 0 gi_area_m2)" 35000 1e-7
    check "$v: share 0.035" near "$(prop $o 0 gi_share)" 0.035 1e-6
    check "$v: forest 15,000 m2" near "$(prop $o 0 gi_forest_m2)" 15000 1e-7
    check "$v: canopy share 0.015" near "$(prop $o 0 canopy_share)" 0.015 1e-5
    check "$v: 3 patches" [ "$(prop $o 0 patches)" = 3 ]
    check "$v: largest patch index 100 * 20,000 / 1e6 = 2" near "$(prop $o 0 lpi)" 2 1e-6
    # m_eff = (10,000^2 + 20,000^2 + 5,000^2) / 1e6 = 525 m2; the
    # cross-boundary variant takes C whole: (1e8 + 4e8 + 5,000 * 10,000) / 1e6.
    check "$v: m_eff 525 m2" near "$(prop $o 0 meff_m2)" 525 1e-6
    check "$v: m_eff CBC 550 m2" near "$(prop $o 0 meff_cbc_m2)" 550 1e-5
    # Edges 400 + 600 + 300 m (C's piece: 50 + 100 + 50 + 100) over 100 ha.
    check "$v: edge density 13 m/ha" near "$(prop $o 0 edge_density_m_ha)" 13 1e-6
    # Only A-B (200 m) is within 250 m. IIC = (a^2 + b^2 + c^2 + 2ab/2) / A^2;
    # PC = (a^2 + b^2 + c^2 + 2ab * 0.5^(200/250)) / A^2; EC = A sqrt(PC).
    check "$v: IIC 7.25e-4" near "$(prop $o 0 iic)" 7.25e-4 1e-5
    pc=$($PY -c "print((1e8 + 4e8 + 2.5e7 + 2 * 1e4 * 2e4 * 0.5 ** 0.8) / 1e12)")
    check "$v: PC $pc" near "$(prop $o 0 pc)" "$pc" 1e-5
    check "$v: EC = A sqrt(PC)" near "$(prop $o 0 ec_m2)" "$($PY -c "print(1e6 * $pc ** 0.5)")" 1e-5
    # WHO: within 300 m of a patch of 0.5 ha or more: P1, P2, P4, P5.
    check "$v: 45 people in the zone" near "$(prop $o 0 pop)" 45 0
    check "$v: access 40 of 45" near "$(prop $o 0 access_share)" "$($PY -c 'print(40 / 45)')" 1e-6
    check "$v: 3 patch polygons, C whole 10,000 m2" $PY -c "
import json, sys
f = [x['properties'] for x in json.load(open('$T/$v.p.geojson'))['features']]
w = sorted((p['area_m2'], p['whole_m2']) for p in f)
sys.exit(not (len(f) == 3 and abs(w[0][0] - 5000) < 1e-3 and abs(w[0][1] - 1e4) < 0.1))"
    check "$v: one link, A-B, 200 m, p = 0.5^0.8" $PY -c "
import json, sys
f = [x['properties'] for x in json.load(open('$T/$v.l.geojson'))['features']]
sys.exit(not (len(f) == 1 and abs(f[0]['dist_m'] - 200) < 1e-3 and abs(f[0]['p'] - 0.5 ** 0.8) < 1e-6))"
done
cp "$T/gi.geojson" "$T/gi.keep"
for n in 1 3 5; do
    CW_FAIL_WRITE=$n "$CW" green "$T/zone.gpkg" --gi "$T/gi.gpkg" --class-field gi_class \
        --dispersal 250m --pop "$T/pop.gpkg" --patches "$T/gi.p.geojson" --links "$T/gi.l.geojson" \
        -o "$T/gi.geojson" --overwrite -q 2>/dev/null
    check "a write failing at $n (patches, then links): exit 1, the zones output untouched" \
        sh -c "[ $? -eq 1 ] && cmp -s '$T/gi.geojson' '$T/gi.keep' && ! ls '$T' | grep -q tmp"
done
check "grass in the overlapping variant: B + D = 22,500 m2" near "$(prop $T/gio.geojson 0 gi_grass_m2)" 22500 1e-7
# --areas-only: the same areas, no patch columns; with --coverage the GI is
# taken not to overlap, its areas summed: D inside A then counts twice,
# 35,000 + 2,500 m2 (what ST_Intersection and ST_Area summed would give).
for v in gi gio; do
    "$CW" green "$T/zone.gpkg" --gi "$T/$v.gpkg" --class-field gi_class --areas-only \
        -o "$T/$v.ao.geojson" -q
    check "$v --areas-only: GI 35,000 m2, forest 15,000 m2, no patch columns" $PY -c "
import json, sys
p = json.load(open('$T/$v.ao.geojson'))['features'][0]['properties']
sys.exit(abs(p['gi_area_m2'] - 35000) > 0.1 or abs(p['gi_forest_m2'] - 15000) > 0.1
         or 'patches' in p or 'meff_m2' in p)"
done
"$CW" green "$T/zone.gpkg" --gi "$T/gi.gpkg" --class-field gi_class --coverage --areas-only \
    -o "$T/gi.cov.geojson" -q
check "gi --coverage --areas-only: GI 35,000 m2, share 0.035" sh -c \
    "$PY -c \"import json, sys; p = json.load(open('$T/gi.cov.geojson'))['features'][0]['properties']; sys.exit(abs(p['gi_area_m2'] - 35000) > 0.1 or abs(p['gi_share'] - 0.035) > 1e-6)\""
"$CW" green "$T/zone.gpkg" --gi "$T/gio.gpkg" --class-field gi_class --coverage \
    -o "$T/gio.cov.geojson" -q
check "gio --coverage: the overlap summed, GI 37,500 m2, grass B + D 22,500" sh -c \
    "$PY -c \"import json, sys; p = json.load(open('$T/gio.cov.geojson'))['features'][0]['properties']; sys.exit(abs(p['gi_area_m2'] - 37500) > 0.1 or abs(p['gi_grass_m2'] - 22500) > 0.1)\""
"$CW" green "$T/zone.gpkg" --gi "$T/gi.gpkg" --class-field gi_class --areas-only \
    --dispersal 250m -o "$T/ao.bad.geojson" 2>"$T/err"
check "--areas-only with --dispersal: usage error, exit 2, nothing written" \
    sh -c "[ $? -eq 2 ] && grep -q 'areas-only cannot be combined' '$T/err' && [ ! -e '$T/ao.bad.geojson' ]"
# Only B (2 ha) has 1.5 ha: P1 (200 m west of B) and P4 reach it.
"$CW" green "$T/zone.gpkg" --gi "$T/gi.gpkg" --class-field gi_class --pop "$T/pop.gpkg" \
    --pop-field w --min-area 1.5ha -o "$T/min15.geojson" -q
check "--min-area 1.5ha: access 17 of 45" near "$(prop $T/min15.geojson 0 access_share)" \
    "$($PY -c 'print(17 / 45)')" 1e-6
# C is 0.5 ha inside the zone but 1 ha whole: a patch counts whole.
"$CW" green "$T/zone.gpkg" --gi "$T/gi.gpkg" --class-field gi_class --pop "$T/pop.gpkg" \
    --pop-field w --min-area 0.75ha -o "$T/min075.geojson" -q
check "--min-area 0.75ha: C counts whole, access 40 of 45" \
    near "$(prop $T/min075.geojson 0 access_share)" "$($PY -c 'print(40 / 45)')" 1e-6

# ---- patches cut apart by the zone's edge, and hairline gaps -------------
# A U-shaped zone, [0,1000]^2 less the notch [400,600]x[500,1000]: 900,000 m2.
# Forest E [100,900]x[700,800] crosses the notch: two pieces of 30,000 m2
# that meet nowhere inside the zone, so two patches; m_eff = 2 * 30,000^2 /
# 900,000 = 2,000 m2 (one patch would give 4,000), and each piece's whole
# patch is E's 80,000 m2: CBC = 2 * 30,000 * 80,000 / 900,000 = 5,333.3 m2.
# Grass F [100,200]x[100,200] and G [200.3,300]x[100,200] are 0.3 m apart,
# H [301.3,400]x[100,200] 1.3 m from G: F-G is one patch (a gap under half
# a metre is a boundary drawn twice), H another. The same with a grass
# square J inside F, so the GI overlaps and takes the union way.
x=4321000 y=3210000
u="POLYGON(($x $y,$((x + 1000)) $y,$((x + 1000)) $((y + 1000)),$((x + 600)) $((y + 1000)),\
$((x + 600)) $((y + 500)),$((x + 400)) $((y + 500)),$((x + 400)) $((y + 1000)),$x $((y + 1000)),$x $y))"
printf 'WKT,name\n"%s",u\n' "$u" >"$T/uzone.csv"
ogr2ogr -f GPKG -a_srs EPSG:3035 -oo GEOM_POSSIBLE_NAMES=WKT "$T/uzone.gpkg" "$T/uzone.csv" 2>/dev/null
rect() { echo "\"POLYGON(($(echo "$x $y $1 $2 $3 $4" | awk '{ a = $1 + $3; b = $2 + $4; c = $1 + $5; d = $2 + $6
    printf "%.1f %.1f,%.1f %.1f,%.1f %.1f,%.1f %.1f,%.1f %.1f", a, b, c, b, c, d, a, d, a, b }')))\",$5"; }
{ echo "WKT,gi_class"; rect 100 700 900 800 forest; rect 100 100 200 200 grass
  rect 200.3 100 300 200 grass; rect 301.3 100 400 200 grass; } >"$T/ugi.csv"
{ cat "$T/ugi.csv"; rect 120 120 170 170 grass; } >"$T/ugio.csv"
for v in ugi ugio; do
    ogr2ogr -f GPKG -a_srs EPSG:3035 -oo GEOM_POSSIBLE_NAMES=WKT "$T/$v.gpkg" "$T/$v.csv" 2>/dev/null
    "$CW" green "$T/uzone.gpkg" --gi "$T/$v.gpkg" --class-field gi_class -o "$T/$v.geojson" -q
    o=$T/$v.geojson
    check "$v: U-shaped zone 900,000 m2" near "$(prop $o 0 zone_area_m2)" 9e5 1e-6
    check "$v: 4 patches (E cut in two by the notch, F and G 0.3 m apart joined, H)" \
        [ "$(prop $o 0 patches)" = 4 ]
    # (2 * 30,000^2 + (10,000 + 9,970)^2 + 9,870^2) / 900,000 (written
    # to 0.1 m2)
    check "$v: m_eff 2,551.35 m2" near "$(prop $o 0 meff_m2)" \
        "$($PY -c 'print((2 * 3e4 ** 2 + 19970 ** 2 + 9870 ** 2) / 9e5)')" 1e-4
    check "$v: m_eff CBC 5,884.7 m2: each half of E counts E whole" near "$(prop $o 0 meff_cbc_m2)" \
        "$($PY -c 'print((2 * 3e4 * 8e4 + 19970 ** 2 + 9870 ** 2) / 9e5)')" 1e-5
done

# A patch joined across a hairline spans two components of the whole GI:
# forest K [900,1100]x[400,500] crosses the zone's east edge (20,000 m2
# whole, 10,000 inside), L [600,899.7]x[400,500] lies inside 0.3 m west of
# it (29,970). One patch of 39,970 m2 whose whole is both, 49,970 m2:
# m_eff CBC = 39,970 * 49,970 / 1e6 = 1,997.3 m2 (one component's area, or
# the patch's own, would give 1,597.6).
{ echo "WKT,gi_class"; rect 900 400 1100 500 forest; rect 600 400 899.7 500 forest; } >"$T/kl.csv"
{ cat "$T/kl.csv"; rect 620 420 640 440 forest; } >"$T/klo.csv"
for v in kl klo; do
    ogr2ogr -f GPKG -a_srs EPSG:3035 -oo GEOM_POSSIBLE_NAMES=WKT "$T/$v.gpkg" "$T/$v.csv" 2>/dev/null
    "$CW" green "$T/zone.gpkg" --gi "$T/$v.gpkg" --class-field gi_class -o "$T/$v.geojson" -q
    check "$v: one patch across the 0.3 m gap, m_eff CBC 1,997.3 m2 (both components whole)" \
        sh -c "[ \"\$($PY -c \"import json; print(json.load(open('$T/$v.geojson'))['features'][0]['properties']['patches'])\")\" = 1 ] &&
               $PY -c \"import json, sys; p = json.load(open('$T/$v.geojson'))['features'][0]['properties']; sys.exit(abs(p['meff_cbc_m2'] - 39970 * 49970 / 1e6) > 0.1)\""
done

# ---- a bow-tie zone ------------------------------------------------------
# The ring (0 0, 1000 1000, 1000 0, 0 1000) crosses itself at (500 500);
# GEOS MakeValid makes it the two triangles it encloses, 250,000 m2 each.
# Of A only the half above the diagonal y = x is inside (5,000 m2), B lies
# below both triangles, and C's 50 m inside the zone all lie in the right
# one (5,000 m2): 10,000 m2 of forest in 500,000. The diagonal is straight
# in lon/lat, not in LAEA: it sags 1.5 cm across A, 2 m2 (2e-4) of GI.
o=4321000 p=3210000
printf 'WKT,name\n"POLYGON((%d %d,%d %d,%d %d,%d %d,%d %d))",bow\n' $o $p $((o + 1000)) \
    $((p + 1000)) $((o + 1000)) $p $o $((p + 1000)) $o $p >"$T/bow.csv"
ogr2ogr -f GPKG -a_srs EPSG:3035 -oo GEOM_POSSIBLE_NAMES=WKT "$T/bow.gpkg" "$T/bow.csv" 2>/dev/null
"$CW" green "$T/bow.gpkg" --gi "$T/gi.gpkg" --class-field gi_class -o "$T/bow.geojson" 2>"$T/err"
check "bow-tie zone: repaired, in one warning" \
    has_line "1 invalid zone polygon repaired with GEOS MakeValid (--strict refuses them)"
check "bow-tie zone: area 500,000 m2 (two triangles)" near "$(prop $T/bow.geojson 0 zone_area_m2)" 5e5 1e-6
check "bow-tie zone: GI 10,000 m2 (half of A, the inner half of C)" \
    near "$(prop $T/bow.geojson 0 gi_area_m2)" 1e4 5e-4
check "bow-tie zone: share 0.02" near "$(prop $T/bow.geojson 0 gi_share)" 0.02 5e-4
fails 1 "bow-tie zone with --strict: refused" \
    "$CW" green "$T/bow.gpkg" --gi "$T/gi.gpkg" --class-field gi_class --strict -o "$T/bows.geojson"
check "... naming the feature and the crossing" \
    has_line "bow.gpkg' feature 1: invalid polygon (Self-intersection\\["
check "... and nothing written" [ ! -e "$T/bows.geojson" ]

# ---- the raster path on a hand-made grid --------------------------------
# 10 x 10 cells of 100 m in EPSG:3035: columns 0-4 forest (JAXA 6), columns
# 5-9 grass (5) in the top five rows and urban (2) below. The zone
# [250,750]^2 holds 125,000 m2 of forest, 62,500 of grass, 62,500 urban.
# lcgrid NAME ROWS CELL_HEIGHT: 10 columns of 100 m over 1,000 m, that layout
lcgrid() {
    $PY -c "
from osgeo import gdal, osr; import numpy as np
n, h = $2, $3
d = gdal.GetDriverByName('GTiff').Create('$T/$1.tif', 10, n, 1, gdal.GDT_Byte)
d.SetGeoTransform((4321000, 100, 0, 3211000, 0, -h))
s = osr.SpatialReference(); s.ImportFromEPSG(3035); d.SetProjection(s.ExportToWkt())
a = np.full((n, 10), 2, np.uint8); a[:, :5] = 6; a[:n // 2, 5:] = 5
d.GetRasterBand(1).WriteArray(a); d = None"
}
# raster_areas WHAT GRID ZONE FOREST GRASS: the raster path; GI share 0.75
raster_areas() {
    "$CW" green "$T/$3.gpkg" --raster "$T/$2.tif" --classes jaxa -o "$T/$3.geojson" -q
    check "$1: forest $4 m2 from cell fractions" near "$(prop $T/$3.geojson 0 gi_forest_m2)" $4 1e-5
    check "$1: grass $5 m2" near "$(prop $T/$3.geojson 0 gi_grass_m2)" $5 1e-5
    check "$1: share 0.75" near "$(prop $T/$3.geojson 0 gi_share)" 0.75 1e-5
}
lcgrid lc 10 100
mk rz "250 250 750 750 z"
raster_areas raster lc rz 125000 62500
check "raster: the grid covers the whole zone" near "$(prop $T/rz.geojson 0 lc_share)" 1 1e-5
# The same raster given to --gi is polygonised: the same class areas, and
# patches. Forest (columns 0-4) and grass (top right) touch: one patch of
# 187,500 m2 in the zone; m_eff = 187,500^2 / 250,000 = 140,625 m2; its
# whole area is all the forest and grass of the grid, 500,000 + 250,000,
# so m_eff CBC = 187,500 * 750,000 / 250,000 = 562,500 m2; IIC = PC =
# 187,500^2 / 250,000^2 = 0.5625. GDAL's Python Polygonize of the same
# grid, read as a vector layer, gives the same indicators.
"$CW" green "$T/rz.gpkg" --gi "$T/lc.tif" --dispersal 250m --patches "$T/rzp.geojson" \
    -o "$T/rzv.geojson" -q
o=$T/rzv.geojson
check "raster to --gi: forest 125,000 m2" near "$(prop $o 0 gi_forest_m2)" 125000 1e-6
check "raster to --gi: grass 62,500 m2" near "$(prop $o 0 gi_grass_m2)" 62500 1e-6
check "raster to --gi: one patch" [ "$(prop $o 0 patches)" = 1 ]
check "raster to --gi: m_eff 140,625 m2" near "$(prop $o 0 meff_m2)" 140625 1e-6
check "raster to --gi: m_eff CBC 562,500 m2 (the whole patch beyond the zone)" \
    near "$(prop $o 0 meff_cbc_m2)" 562500 1e-6
check "raster to --gi: IIC 0.5625" near "$(prop $o 0 iic)" 0.5625 1e-6
$PY -c "
from osgeo import gdal, ogr
src = gdal.Open('$T/lc.tif'); b = src.GetRasterBand(1)
ds = ogr.GetDriverByName('GPKG').CreateDataSource('$T/lcpoly.gpkg')
l = ds.CreateLayer('lc', src.GetSpatialRef(), ogr.wkbPolygon)
l.CreateField(ogr.FieldDefn('code', ogr.OFTInteger))
gdal.Polygonize(b, None, l, 0); ds = None"
"$CW" green "$T/rz.gpkg" --gi "$T/lcpoly.gpkg" --class-field code --class-map jaxa \
    --dispersal 250m -o "$T/rzpy.geojson" -q
check "raster to --gi: every indicator of GDAL's own Polygonize, within 1e-6" $PY -c "
import json, sys
a, b = (json.load(open(f))['features'][0]['properties'] for f in ('$T/rzv.geojson', '$T/rzpy.geojson'))
sys.exit(a.keys() != b.keys() or any(abs(a[k] - b[k]) > 1e-6 * max(abs(b[k]), 1)
                                     for k in a if isinstance(a[k], float)))"
# The same land cover on cells 100 m wide and 50 m tall (10 x 20), and a
# zone [250,750] x [225,775] whose edges cut cells in both directions:
# forest 250 x 550 = 137,500 m2, grass and urban 250 x 275 = 68,750 each.
lcgrid lc2 20 50
mk rz2 "250 225 750 775 z"
raster_areas "raster, 100 x 50 m cells" lc2 rz2 137500 68750
mk rhalf "750 250 1250 750 z"
"$CW" green "$T/rhalf.gpkg" --raster "$T/lc.tif" -o "$T/rhalf.geojson" 2>"$T/warn"
check "raster: a zone half off the grid has lc_share 0.5 and a warning" sh -c \
    "grep -q '1 zones lie partly outside the land-cover grid' '$T/warn' &&
     $PY -c \"import json, sys; p = json.load(open('$T/rhalf.geojson'))['features'][0]['properties']; sys.exit(abs(p['lc_share'] - 0.5) > 1e-5)\""

# ---- the Kanto product: JAXA's 250 m map polygonised vs its raster path --
# 57 municipalities round Tokorozawa, Yokohama and Kawasaki (maps/kanto_green):
# the polygonised cells (GDALPolygonize) and the exact cell fractions of the
# raster path are two computations of the same areas.
K=data/japan/kanto_municipalities.geojson
KLC=data/japan/jaxa_lc_kanto_250m.tif
"$CW" green $K --gi $KLC --dispersal 1km -o "$T/kv.geojson" -q
"$CW" green $K --raster $KLC -o "$T/kr.geojson" -q
check "Kanto, 57 zones: every class area of the polygons within 0.5 % of the raster path's (seen: 0.13 %)" $PY -c "
import json, sys
v = json.load(open('$T/kv.geojson'))['features']; r = json.load(open('$T/kr.geojson'))['features']
k = [x for x in r[0]['properties'] if x.startswith('gi_') and x.endswith('_m2')]
d = [abs(a['properties'][c] - b['properties'][c]) / b['properties'][c] for a, b in zip(v, r)
     for c in k if b['properties'][c] > 1e5]
sys.exit(len(v) != 57 or len(d) < 150 or max(d) > 5e-3)"
# Bounds that hold whatever the patches: sum(a^2)/A <= (sum a)^2/A, the
# whole patch is no smaller than its part, and IIC and PC both count each
# patch with itself (sum(a^2)/A^2; both are written to 4 significant
# digits) and nothing above 1.
check "Kanto: m_eff <= GI area x share, m_eff <= CBC; m_eff / A <= IIC, PC <= 1" $PY -c "
import json, sys
bad = [p['name'] for p in (f['properties'] for f in json.load(open('$T/kv.geojson'))['features'])
       if not (p['meff_m2'] <= p['gi_area_m2'] * p['gi_share'] * (1 + 1e-5)
               and p['meff_m2'] <= p['meff_cbc_m2'] * (1 + 1e-5)
               and p['meff_m2'] / p['zone_area_m2'] <= min(p['iic'], p['pc']) * (1 + 1e-3) + 1e-8
               and max(p['iic'], p['pc']) <= 1)]
sys.exit(bool(bad))"

# ---- buffered points, Shapefile names, determinism ----------------------
echo "id,lon,lat" >"$T/pt.csv"
echo "1,10.0,52.0" >>"$T/pt.csv"
"$CW" green "$T/pt.csv" --buffer 500m --gi "$T/gi.gpkg" --class-field gi_class -o "$T/pt.geojson" -q
# A 128-gon inscribed in a geodesic circle of 500 m: pi r^2 sin(2pi/128)/(2pi/128).
check "--buffer 500m: a geodesic 128-gon's area" near "$(prop $T/pt.geojson 0 zone_area_m2)" \
    "$($PY -c 'import math; n = 128; print(0.5 * n * 500 ** 2 * math.sin(2 * math.pi / n))')" 1e-5
"$CW" green "$T/zone.gpkg" --gi "$T/gi.gpkg" --class-field gi_class -o "$T/z.shp" -q
check "Shapefile: the documented short names" sh -c "ogrinfo -so -al '$T/z.shp' | grep -q '^gi_share:' &&
    ogrinfo -so -al '$T/z.shp' | grep -q '^gi_forest_:' && ogrinfo -so -al '$T/z.shp' | grep -q '^meff_cbc_m:'"

# ---- PostGIS on Malta (tests/fixtures/make_green_malta_postgis.sh) -------
M=../shared/data/gi/malta-latest-2018.gi.gpkg
if [ -f "$M" ]; then
    ogr2ogr -f GeoJSON -where "CNTR_CODE='MT' AND LEVL_CODE=3" "$T/mt.geojson" \
        ../shared/data/boundaries/gisco_nuts_2024_20m.gpkg
    for th in 1 2; do
        "$CW" green "$M" -l place_points --buffer 1km --gi "$M" --gi-layer gi_polygons \
            --class-field gi_class --pop "$M" --pop-layer building_points --threads $th \
            -o "$T/mc$th.geojson" -q
    done
    check "--threads 1 and 2: the same bytes" cmp -s "$T/mc1.geojson" "$T/mc2.geojson"
    "$CW" green "$T/mt.geojson" --gi "$M" --gi-layer gi_polygons --class-field gi_class \
        --pop "$M" --pop-layer building_points -o "$T/mn.geojson" 2>"$T/warn"
    check "Malta: 2 invalid GI polygons repaired, in one warning" \
        grep -q "2 invalid GI polygons repaired with GEOS MakeValid" "$T/warn"
    check "Malta, 172 zones: areas within 1e-5, GI within 1e-4 (target 1e-3), buildings and access equal PostGIS" \
        $PY -c "
import csv, json, sys
ref = {r['zone']: r for r in csv.DictReader(l for l in open('tests/data/green_malta_postgis.csv') if l[0] != '#')}
ours = {'circle:%d' % (i + 1): f['properties'] for i, f in enumerate(json.load(open('$T/mc1.geojson'))['features'])}
ours.update({'nuts3:' + f['properties']['NUTS_ID']: f['properties'] for f in json.load(open('$T/mn.geojson'))['features']})
bad = [k for k, r in ref.items() if
       abs(ours[k]['zone_area_m2'] - float(r['zone_m2'])) > 1e-5 * float(r['zone_m2']) or
       abs(ours[k]['gi_area_m2'] - float(r['gi_m2'])) > 1e-4 * max(float(r['gi_m2']), 1) or
       ours[k]['pop'] != float(r['buildings']) or ours[k]['access_pop'] != float(r['buildings_300m'])]
sys.exit(len(ref) != 172 or bool(bad))"
    fails 1 "--strict refuses Malta's invalid polygons, naming the feature" \
        "$CW" green "$T/mt.geojson" --gi "$M" --gi-layer gi_polygons --class-field gi_class --strict \
        -o "$T/strict.geojson"
    check "... in one line, with GEOS's reason" has_line "feature [0-9]*: invalid polygon ("
    check "... and nothing written" [ ! -e "$T/strict.geojson" ]
else
    echo "test_green.sh: ../shared/data absent: Malta PostGIS comparison skipped" >&2
fi

# ---- polygonised JAXA land cover vs the JAXA raster (Obuse) -------------
W=../shared/data/gi/jaxa_hrlulc50m_nagano_window.gpkg
LC=../shared/data/landcover/jaxa50m/LC_N36E138_50m.tif
if [ -f "$W" ] && [ -f "$LC" ]; then
    ogr2ogr -f GeoJSON -where "code = '20541'" "$T/ob.geojson" \
        data/japan/nagano_municipalities.geojson
    ogr2ogr -f GPKG -spat 138.27 36.6 138.4 36.74 "$T/win.gpkg" "$W" landcover
    "$CW" green "$T/ob.geojson" --gi "$T/win.gpkg" --class-field gi_class -o "$T/obv.geojson" -q
    "$CW" green "$T/ob.geojson" --raster "$LC" --classes jaxa -o "$T/obr.geojson" -q
    check "Obuse: polygons and raster agree within 0.5 % per class" $PY -c "
import json, sys
v = json.load(open('$T/obv.geojson'))['features']; r = json.load(open('$T/obr.geojson'))['features']
d = [abs(a['properties'][k] - b['properties'][k]) / b['properties'][k] for a, b in zip(v, r)
     for k in ('gi_area_m2', 'gi_forest_m2', 'gi_farmland_m2') if b['properties'][k] > 1e5]
sys.exit(len(d) != 3 or max(d) > 0.005)"
else
    echo "test_green.sh: ../shared/data absent: JAXA polygons vs raster skipped" >&2
fi

# ---- bad input -----------------------------------------------------------
fails 1 "points as zones without --buffer" "$CW" green "$T/pt.csv" --gi "$T/gi.gpkg" -o "$T/x.geojson"
check "... names the file and the feature" has_line "pt.csv' feature 1: a zone must be a polygon (points need --buffer)"
mk flat "0 0 1000 0 z"
"$CW" green "$T/flat.gpkg" --gi "$T/gi.gpkg" --class-field gi_class -o "$T/flat.geojson" 2>"$T/warn"
check "a zone without area: a warning, its indicators null" sh -c \
    "grep -q '1 zones have no area' '$T/warn' && [ \"\$($PY -c \"import json; print(json.load(open('$T/flat.geojson'))['features'][0]['properties']['gi_share'])\")\" = None ]"
echo "WKT,gi_class" >"$T/none.csv"
ogr2ogr -f GPKG -a_srs EPSG:3035 -oo GEOM_POSSIBLE_NAMES=WKT -nlt POLYGON "$T/none.gpkg" "$T/none.csv" 2>/dev/null
"$CW" green "$T/zone.gpkg" --gi "$T/none.gpkg" --class-field gi_class -o "$T/none.geojson" -q
check "an empty GI layer: share 0, no patches" \
    [ "$(prop "$T/none.geojson" 0 gi_share) $(prop "$T/none.geojson" 0 patches)" = "0 0" ]
printf 'forest wood\nbad line here\n' >"$T/bad.map"
fails 1 "a class map line with three words" "$CW" green "$T/zone.gpkg" --gi "$T/gi.gpkg" \
    --class-field gi_class --class-map "$T/bad.map" -o "$T/x.geojson"
check "... names the file and line" has_line "bad.map' line 2: expected 'VALUE CLASS'"
printf 'forest wo-od\n' >"$T/bad2.map"
fails 1 "a class name that cannot be a field name" "$CW" green "$T/zone.gpkg" --gi "$T/gi.gpkg" \
    --class-field gi_class --class-map "$T/bad2.map" -o "$T/x.geojson"
printf '# nothing\n' >"$T/empty.map"
fails 1 "an empty class map" "$CW" green "$T/zone.gpkg" --gi "$T/gi.gpkg" --class-map "$T/empty.map" \
    -o "$T/x.geojson"
check "... says so" has_line "empty.map': the class map is empty"
fails 1 "an unknown preset or missing map file" "$CW" green "$T/zone.gpkg" --gi "$T/gi.gpkg" \
    --class-map nosuch -o "$T/x.geojson"
check "... says which presets exist" has_line "osm, jaxa, worldcover, corine"
fails 1 "a class field that does not exist" "$CW" green "$T/zone.gpkg" --gi "$T/gi.gpkg" \
    --class-field nosuch -o "$T/x.geojson"
fails 2 "--gi and --raster together" "$CW" green "$T/zone.gpkg" --gi "$T/gi.gpkg" --raster "$T/lc.tif" \
    -o "$T/x.geojson"
check "... says to give the raster to --gi" has_line "give the raster to --gi: it is polygonised"
$PY -c "
from osgeo import gdal
d = gdal.GetDriverByName('GTiff').Create('$T/nocrs.tif', 4, 4, 1, gdal.GDT_Byte)
d.SetGeoTransform((0, 1, 0, 4, 0, -1)); d = None"
fails 1 "a land-cover raster without CRS given to --gi" "$CW" green "$T/zone.gpkg" \
    --gi "$T/nocrs.tif" -o "$T/x.geojson"
check "... says so in one line" has_line "nocrs.tif': the land-cover grid has no CRS"
"$CW" green tests/bad/bowtie_fixed.geojson --gi data/japan/jaxa_lc_kanto_250m.tif \
    -o "$T/far.geojson" -q
check "a land-cover raster given to --gi that misses every zone: GI 0, no patches" \
    [ "$(prop "$T/far.geojson" 0 gi_share) $(prop "$T/far.geojson" 0 patches)" = "0 0" ]
fails 2 "--pop with --raster" "$CW" green "$T/zone.gpkg" --raster "$T/lc.tif" --pop "$T/pop.gpkg" \
    -o "$T/x.geojson"
fails 2 "--min-area -1ha" "$CW" green "$T/zone.gpkg" --gi "$T/gi.gpkg" --min-area -1ha -o "$T/x.geojson"
fails 2 "--links without --dispersal" "$CW" green "$T/zone.gpkg" --gi "$T/gi.gpkg" \
    --links "$T/l.geojson" -o "$T/x.geojson"
fails 2 "--classes before any --raster" "$CW" green "$T/zone.gpkg" --classes jaxa --raster "$T/lc.tif" \
    -o "$T/x.geojson"
fails 2 "-o naming the GI input" "$CW" green "$T/zone.gpkg" --gi "$T/gi.gpkg" -o "$T/gi.gpkg"
fails 2 "no GI input" "$CW" green "$T/zone.gpkg" -o "$T/x.geojson"
check "nothing written by the failed runs" [ ! -e "$T/x.geojson" ]
finish
