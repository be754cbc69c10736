# test_links.sh: `cityweave linkage links`: nearest and banded (URCA)
# assignment of the 581 Belgian municipalities to their urban centres
# against brute force over PROJ geod distances, hand-computed gravity,
# Huff and travel-time cases, catchments, bad input.
# SPDX-License-Identifier: MIT
. tests/cli/lib.sh
quiet() { "$@" >/dev/null; }
# the urban centres and municipalities that make maps wrote
belgium() {
    "$CW" linkage links --centres maps/belgium_urban_centres.geojson \
        --centres-where "kind = 'urban centre'" --pop-field pop \
        --places maps/belgium_municipalities_degurba.geojson --id-field UID --name-field NAME_4 "$@"
}

# -- Belgium: every municipality's centre and distance against geod --
belgium -o "$T/near.geojson" --summary "$T/sum.geojson" -q
check "nearest: all 581 centres and distances equal brute force over geod" \
    quiet $PY tests/cli/links_check.py "$T/near.geojson" "$T/sum.geojson"
belgium --dist-bands 10km,25km,50km -o "$T/band.geojson" \
    --summary "$T/bsum.geojson" --catchments "$T/catch.geojson" -q
check "bands 10/25/50 km: the URCA choice for all 581 equals brute force over geod" \
    quiet $PY tests/cli/links_check.py "$T/band.geojson" "$T/bsum.geojson" 10,25,50
check "catchments: people in bands 1-3 plus the hinterland are all 11,553,261" $PY -c "
import json, sys
f = json.load(open('$T/catch.geojson'))['features']
s = json.load(open('$T/bsum.geojson'))['features']
tot = sum(x['properties']['pop'] for x in f)
served = sum(x['properties']['pop_served'] for x in s)
hinter = sum(x['properties']['pop'] for x in f if x['properties']['band'] == 0)
sys.exit(not (abs(tot - 11553261.3) < 1 and abs(served + hinter - tot) < 1))"
check "catchment areas add up to the municipalities' geodesic area (spatialite)" sh -c "
    a=\$(ogrinfo -q -dialect sqlite -sql 'SELECT SUM(ST_Area(geometry, 1)) / 1e6 AS km2 FROM municipalities' \
        data/belgium/municipalities_2024.geojson 2>/dev/null | sed -n 's/.*km2 (Real) = //p')
    $PY -c \"
import json, sys
f = json.load(open('$T/catch.geojson'))['features']
s = sum(x['properties']['area_km2'] for x in f)
sys.exit(abs(s - \$a) > 1e-6 * \$a)\""

# -- hand-computed: two centres on the equator, one place between --
# Big (2,000,000) at lon 0, small (100,000) at lon 0.2, the place at 0.15:
# 16.698 km and 5.566 km on WGS84 (the equator is a geodesic: a = 6378137 m,
# 111319.49 m per degree).
printf 'id,name,lon,lat,population\nbig,Big,0,0,2000000\nsmall,Small,0.2,0,100000\n' >"$T/c.csv"
printf 'id,name,lon,lat,population\np,Place,0.15,0,1000\n' >"$T/p.csv"
L="--centres $T/c.csv --pop-field population --places $T/p.csv"
"$CW" linkage links $L -o "$T/h1.csv" -q
check "nearest: the small centre, 5.566 km" grep -q '^p,Place,small,Small,5.566,,1,1000,1,3$' "$T/h1.csv"
"$CW" linkage links $L --dist-bands 10km,25km -o "$T/h2.csv" -q
check "bands 10/25 km: only the small centre within 10 km" grep -q '^p,Place,small,.*,1,3$' "$T/h2.csv"
"$CW" linkage links $L --dist-bands 20km,50km -o "$T/h3.csv" -q
check "bands 20/50 km: both within 20 km, the larger class wins" grep -q '^p,Place,big,Big,16.698,,1,1000,1,1$' "$T/h3.csv"
"$CW" linkage links $L --dist-bands 1km,2km -o "$T/h4.csv" -q
check "beyond the last band: the nearest, band 0 (hinterland)" grep -q '^p,Place,small,.*,0,3$' "$T/h4.csv"
# Huff, alpha 1, beta 2: the distances are in the ratio 3:1, so the
# attractions are 2e6/9 : 1e5/1 and P(big) = 20/29 = 0.689655, P(small) =
# 9/29 = 0.310345.
"$CW" linkage links $L --model huff -o "$T/h5.csv" -q
check "huff: P(big) = 20/29, flow 689.66" grep -q '^p,Place,big,Big,16.698,,0.689655,689.66,1,1$' "$T/h5.csv"
check "huff: P(small) = 9/29" grep -q '^p,Place,small,Small,5.566,,0.310345,310.34,1,3$' "$T/h5.csv"
"$CW" linkage links $L --model gravity --max-dist 10km -o "$T/h6.csv" -q
check "gravity within 10 km: one link, flow = 1000 x 1e5 / 5.56597^2 = 3,227,881" sh -c \
    "test \$(wc -l <'$T/h6.csv') -eq 2 && grep -q '^p,Place,small,Small,5.566,,1,3227881.[34],1,3$' '$T/h6.csv'"

# -- travel time over a friction grid (LAEA Europe, 1 km cells, 1 min/km) --
$PY -c "
from osgeo import gdal, osr
import numpy as np
ds = gdal.GetDriverByName('GTiff').Create('$T/f.tif', 40, 5, 1, gdal.GDT_Float32)
ds.SetGeoTransform((4000000, 1000, 0, 3000000, 0, -1000))
s = osr.SpatialReference(); s.ImportFromEPSG(3035); ds.SetProjection(s.ExportToWkt())
s.SetAxisMappingStrategy(osr.OAMS_TRADITIONAL_GIS_ORDER)
a = np.full((5, 40), 0.001, np.float32); a[:, 20] = np.nan; a[4, 20] = 0.001
ds.GetRasterBand(1).WriteArray(a)
g = osr.SpatialReference(); g.ImportFromEPSG(4326); g.SetAxisMappingStrategy(osr.OAMS_TRADITIONAL_GIS_ORDER)
t = osr.CoordinateTransformation(s, g)
def ll(col): x, y, _ = t.TransformPoint(4000000 + 1000 * col + 500, 3000000 - 500); return '%.9f,%.9f' % (x, y)
open('$T/tc.csv', 'w').write('id,lon,lat,pop\nA,%s,2000000\nB,%s,100000\n' % (ll(5), ll(30)))
open('$T/tp.csv', 'w').write('id,lon,lat,pop\nq,%s,10\nr,%s,10\n' % (ll(12), ll(25)))"
TL="--centres $T/tc.csv --pop-field pop --places $T/tp.csv --cost $T/f.tif"
"$CW" linkage links $TL --bands 10,60 -o "$T/t1.csv" -q
# q (col 12): 7 minutes to A along the row; r (col 25): 5 to B. dist_km is
# the geodesic between the points: 7.001 and 5.001 km (LAEA scale there).
check "travel time: q 7 min to A, band 1" grep -q '^q,"",A,"",7.001,7,1,10,1,1$' "$T/t1.csv"
check "travel time: r 5 min to B, band 1" grep -q '^r,"",B,"",5.001,5,1,10,1,3$' "$T/t1.csv"
"$CW" linkage links $TL --bands 30,60 -o "$T/t2.csv" -q
# r to A: the wall at column 20 has its only gap in row 4, so the path is
# (0,25)->(4,21) 4 diagonals, (4,21)->(4,19) 2 straight, (4,19)->(0,15)
# 4 diagonals, (0,15)->(0,5) 10 straight: 8 sqrt(2) + 12 = 23.314 min.
check "travel time round a wall: r 23.31 min to A, which wins band 1 by size" \
    grep -q '^r,"",A,"",20.004,23.31,1,10,1,1$' "$T/t2.csv"

# -- bad input --
fails 2 "no centres" "$CW" linkage links --places "$T/p.csv" --pop-field population -o "$T/x.csv"
fails 2 "bands not increasing" "$CW" linkage links $L --dist-bands 25km,10km -o "$T/x.csv"
fails 2 "--cost with huff" "$CW" linkage links $TL --model huff -o "$T/x.csv"
fails 2 "--bands without --cost" "$CW" linkage links $L --bands 10,20 -o "$T/x.csv"
fails 1 "missing population field" "$CW" linkage links --centres "$T/c.csv" --pop-field pop \
    --places "$T/p.csv" -o "$T/x.csv"
check "missing field named" has_line "no population field 'pop'"
printf 'id,lon,lat,pop\nZ,20,60,5000\n' >"$T/far.csv"
fails 1 "centre outside the friction grid" "$CW" linkage links --centres "$T/far.csv" --pop-field pop \
    --places "$T/tp.csv" --cost "$T/f.tif" -o "$T/x.csv"
check "outside said with the row" has_line "row 1: the centre lies outside the friction grid"
fails 2 "catchments of points" "$CW" linkage links $L --catchments "$T/x.geojson" -o "$T/x.csv"
check "no output after any error" test ! -e "$T/x.csv"
finish
