# test_degurba.sh: `cityweave linkage degurba` on the real Belgian GHSL
# grids (data/belgium): every cell against an independent NumPy/SciPy
# implementation of the rules (degurba_ref.py), centre populations, unit
# shares against per-cell GEOS intersections (units_ref.py), the NUTS3
# typology against GISCO's URBN_TYPE, determinism, nothing lost, bad input.
# SPDX-License-Identifier: MIT
. tests/cli/lib.sh
D=data/belgium
POP=$D/ghs_pop_2020.tif
LAND="--land $D/ghs_land_2018.tif"
BUILT="--built $D/ghs_built_s_2020.tif"

quiet() { "$@" >/dev/null; }

# centres of a --polygons CSV as degurba_compare.py reads them (1 km² cells)
centres_csv() {
    awk -F, 'NR == 1 { print "id,cells,pop"; next }
             $1 == "urban centre" { printf "%s,%d,%s\n", $2, $4 + 0.5, $3 }' "$1" >"$2"
}

# -- every cell and every centre against the independent reference --
for lv in 1 2; do
    for b in "" "$BUILT"; do
        tag=l$lv${b:+b}
        "$CW" linkage degurba $POP $LAND $b --level $lv -o "$T/$tag.tif" \
            --polygons "$T/$tag.csv" -q
        $PY tests/cli/degurba_ref.py $POP $LAND $b --level $lv -o "$T/ref_$tag.tif" \
            --centres-csv "$T/ref_$tag.csv" 2>/dev/null
        centres_csv "$T/$tag.csv" "$T/c_$tag.csv"
        check "level $lv ${b:+with built-up }: every cell equals the reference, centres within 1 %" \
            quiet $PY tests/cli/degurba_compare.py "$T/ref_$tag.tif" "$T/$tag.tif" \
            --ref-centres "$T/ref_$tag.csv" --test-centres "$T/c_$tag.csv"
    done
done
"$CW" linkage degurba $POP $LAND -o "$T/v.tif" -v 2>"$T/v.err"
check "31 urban centres of 6,301,103 people; all 20,602,096 people counted (GHS-POP sum)" \
    grep -q "31 urban centres (6301103 people), .* 20602096 people in all" "$T/v.err"
check "GeoTIFF: ESRI:54009 grid, Byte, nodata 255, colour table" sh -c \
    "gdalinfo '$T/v.tif' | grep -q 'Mollweide' && gdalinfo '$T/v.tif' | grep -q 'Type=Byte' &&
     gdalinfo '$T/v.tif' | grep -q 'NoData Value=255' && gdalinfo '$T/v.tif' | grep -q '3: 255,0,0,255'"

# -- units: shares from exact cell fractions equal per-cell GEOS intersections --
"$CW" linkage degurba $POP $LAND $BUILT -o "$T/u.tif" -q \
    --units $D/municipalities_2024.geojson -O "$T/muni.csv"
$PY tests/cli/units_ref.py $POP "$T/u.tif" $D/municipalities_2024.geojson UID \
    11001 11002 21004 21012 25043 52021 >"$T/muni_ref.csv"
check "6 municipalities: pop and shares equal the GEOS per-cell computation" $PY -c "
import csv, sys
ref = {r[0]: list(map(float, r[1:])) for r in csv.reader(open('$T/muni_ref.csv'))}
got = {r['UID']: [float(r[k]) for k in ('pop', 'share_centre', 'share_cluster', 'share_rural')]
       for r in csv.DictReader(open('$T/muni.csv'))}
bad = [(u, ref[u], got[u]) for u in ref
       if abs(ref[u][0] - got[u][0]) > 0.05 or max(abs(a - b) for a, b in zip(ref[u][1:], got[u][1:])) > 1e-6]
print(*bad, sep='\n')
sys.exit(len(ref) != 6 or bool(bad))"
check "Brussels-Capital municipalities are cities, Incourt rural (degurba 1 and 3)" $PY -c "
import csv, sys
d = {r['UID']: r['degurba'] for r in csv.DictReader(open('$T/muni.csv'))}
sys.exit(not (d['21004'] == '1' and d['21012'] == '1' and d['25043'] == '3'))"

# -- NUTS3: Eurostat's typology against GISCO's official URBN_TYPE --
"$CW" linkage degurba $POP $LAND $BUILT -o "$T/n.tif" -q --units $D/nuts3_2024.geojson \
    --nuts3 -O "$T/nuts3.csv"
$PY -c "
import csv
rows = list(csv.DictReader(open('$T/nuts3.csv')))
same = sum(r['URBN_TYPE'] == r['urbn_type'] for r in rows)
print('%d of %d' % (same, len(rows)))" >"$T/agree"
check "NUTS3: 37 of the 44 Belgian regions agree with GISCO (see tests/README.md)" \
    grep -qx "37 of 44" "$T/agree"
"$CW" linkage degurba $POP $LAND $BUILT -o "$T/n2.tif" --units $D/nuts3_2024.geojson \
    --nuts3 -O "$T/nuts3.gpkg" 2>"$T/err"
check "NUTS3 as GeoPackage (column names ignore case): ours is urbn_type_2, in one warning" \
    has_line "field 'urbn_type' written as 'urbn_type_2'"
check "... beside GISCO's URBN_TYPE, the values of the CSV (ogr2ogr)" sh -c "
    ogr2ogr -f CSV /vsistdout/ '$T/nuts3.gpkg' -sql 'SELECT NUTS_ID, URBN_TYPE, urbn_type_2 FROM nuts3' |
        tail -n +2 | tr -d '\"' >'$T/g.txt'
    $PY -c \"import csv; [print(r['NUTS_ID'], r['URBN_TYPE'], r['urbn_type'], sep=',') for r in csv.DictReader(open('$T/nuts3.csv'))]\" >'$T/c.txt'
    [ \$(wc -l <'$T/g.txt') -eq 44 ] && cmp -s '$T/g.txt' '$T/c.txt'"

# -- the same inputs give the same bytes --
"$CW" linkage degurba $POP $LAND --level 2 -o "$T/d1.tif" --polygons "$T/d1.geojson" -q
"$CW" linkage degurba $POP $LAND --level 2 -o "$T/d2.tif" --polygons "$T/d2.geojson" -q
check "GeoTIFF byte-identical across runs" cmp -s "$T/d1.tif" "$T/d2.tif"
"$CW" linkage degurba $POP $LAND --level 2 -o "$T/d3.tif" -q
check "without --polygons (one label array, not three) the same GeoTIFF" cmp -s "$T/d1.tif" "$T/d3.tif"
"$CW" linkage degurba $POP $LAND $BUILT -o "$T/d4.tif" -q
check "level 1 without --polygons: the same GeoTIFF as the reference" \
    quiet $PY tests/cli/degurba_compare.py "$T/ref_l1b.tif" "$T/d4.tif"
check "polygons byte-identical across runs" cmp -s "$T/d1.geojson" "$T/d2.geojson"
check "polygons: 31 centres and 233 clusters" sh -c \
    "test \$(grep -o '\"urban centre\"' '$T/d1.geojson' | wc -l) -eq 31 &&
     test \$(grep -o '\"urban cluster\"' '$T/d1.geojson' | wc -l) -eq 233"

# -- nothing lost: a failed write leaves the old output and no temporary --
cp "$T/d1.tif" "$T/keep.tif"
CW_FAIL_WRITE=1 "$CW" linkage degurba $POP -o "$T/keep.tif" --overwrite -q 2>/dev/null
check "failed write: exit 1" test $? -eq 1
check "failed write: old GeoTIFF byte-identical" cmp -s "$T/d1.tif" "$T/keep.tif"
check "failed write: no temporary or .aux.xml file left" sh -c "! ls -a '$T' | grep -q 'tmp\|aux'"

# -- cells 1 km wide and 500 m tall (EPSG:3035), worked by hand --
# A cell is 0.5 km2. Block A, 8 x 8 cells of 800 people: 1,600/km2 and
# 51,200 people, an urban centre of 32 km2. Block B, 8 x 12 cells of 600:
# 1,200/km2, an urban cluster of 57,600 people on 48 km2. Taking the cell
# as 1 km2 (the width squared) would leave A a cluster; as 0.25 km2 (the
# height squared) would make B a centre.
$PY -c "
from osgeo import gdal, osr
import numpy as np
a = np.zeros((40, 30), np.float32); a[2:10, 2:10] = 800; a[20:32, 15:23] = 600
ds = gdal.GetDriverByName('GTiff').Create('$T/rect.tif', 30, 40, 1, gdal.GDT_Float32)
ds.SetGeoTransform((4321000, 1000, 0, 3230000, 0, -500))
s = osr.SpatialReference(); s.ImportFromEPSG(3035); ds.SetProjection(s.ExportToWkt())
ds.GetRasterBand(1).WriteArray(a)"
"$CW" linkage degurba "$T/rect.tif" -o "$T/rect_c.tif" --polygons "$T/rect.csv" -q
check "1 x 0.5 km cells: 64 centre cells (A), 96 cluster cells (B), the rest rural" $PY -c "
from osgeo import gdal
import numpy as np
c = gdal.Open('$T/rect_c.tif').ReadAsArray()
want = np.ones((40, 30), np.uint8); want[2:10, 2:10] = 3; want[20:32, 15:23] = 2
raise SystemExit(not np.array_equal(c, want))"
check "1 x 0.5 km cells: the centre has 51,200 people on 32 km2, B's cluster 57,600 on 48 km2" \
    sh -c "grep -q '^urban centre,[^,]*,51200,32\(\.0*\)\?\(,\|\$\)' '$T/rect.csv' &&
           grep -q '^urban cluster,[^,]*,57600,48\(\.0*\)\?\(,\|\$\)' '$T/rect.csv'"

# -- bad input: one line naming the file and the problem --
fails 2 "existing output without --overwrite" "$CW" linkage degurba $POP -o "$T/d1.tif"
fails 1 "missing raster" "$CW" linkage degurba "$T/none.tif" -o "$T/x.tif"
check "missing raster named" has_line "none.tif'"
fails 1 "not a raster" "$CW" linkage degurba data/cities.csv -o "$T/x.tif"
$PY -c "
from osgeo import gdal
gdal.GetDriverByName('GTiff').CreateCopy('$T/nocrs.tif', gdal.Open('$POP')).SetProjection('')"
fails 1 "raster without CRS" "$CW" linkage degurba "$T/nocrs.tif" -o "$T/x.tif"
check "no CRS said in one line" has_line "has no CRS"
gdal_translate -q -srcwin 0 0 100 100 $D/ghs_land_2018.tif "$T/small_land.tif"
fails 1 "land grid of another size" "$CW" linkage degurba $POP --land "$T/small_land.tif" -o "$T/x.tif"
check "mismatch said in one line" has_line "does not match the population grid"
$PY -c "
from osgeo import gdal
import numpy as np
ds = gdal.GetDriverByName('GTiff').CreateCopy('$T/neg.tif', gdal.Open('$POP'))
a = ds.GetRasterBand(1).ReadAsArray(); a[10, 20] = -5; ds.GetRasterBand(1).WriteArray(a)"
fails 1 "negative population" "$CW" linkage degurba "$T/neg.tif" -o "$T/x.tif"
check "negative cell named with the file, row and column" \
    has_line "neg.tif': population grid: cell (row 10, column 20) is negative (-5)"
gdal_translate -q -a_ullr 187000 6035000 490000 5816000 $POP "$T/ok.tif"
$PY -c "
from osgeo import gdal
ds = gdal.Open('$T/ok.tif', gdal.GA_Update)
gt = list(ds.GetGeoTransform()); gt[2] = 10.0; ds.SetGeoTransform(gt)"
fails 1 "rotated cells" "$CW" linkage degurba "$T/ok.tif" -o "$T/x.tif"
check "rotation said in one line" has_line "rotated or sheared"
fails 2 "level 3" "$CW" linkage degurba $POP --level 3 -o "$T/x.tif"
fails 2 "--nuts3 without --units" "$CW" linkage degurba $POP --nuts3 -o "$T/x.tif"
fails 2 "--units without -O" "$CW" linkage degurba $POP --units $D/nuts3_2024.geojson -o "$T/x.tif"
fails 2 "output naming the input" "$CW" linkage degurba $POP -o $POP --overwrite
fails 2 "built share over 1" "$CW" linkage degurba $POP --built-share 1.5 -o "$T/x.tif"
fails 2 "unknown tool" "$CW" linkage degurbia $POP
check "no output after any error" test ! -e "$T/x.tif"
check "the input was not touched" cmp -s $POP data/belgium/ghs_pop_2020.tif
finish
