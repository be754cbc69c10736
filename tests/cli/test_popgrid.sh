# test_popgrid.sh: `cityweave linkage popgrid` on the real municipalities
# round Nagano (2020 census) and JAXA land cover: totals kept, areal
# weighting and dasymetric weights against per-cell OGR/GEOS intersections
# (popgrid_ref.py), the grid aligned with GHSL's, bad input.
# SPDX-License-Identifier: MIT
. tests/cli/lib.sh
quiet() { "$@" >/dev/null; }
J=data/japan
U=$J/nagano_municipalities.geojson
LC=$J/jaxa_lc_N36E138_50m.tif

"$CW" linkage popgrid $U --pop-field pop2020 -o "$T/area.tif" -q
check "by area: every cell equals the per-cell GEOS computation (1e-4)" \
    quiet $PY tests/cli/popgrid_ref.py area "$T/area.tif" $U pop2020
check "by area: all 1,304,242 people of the 46 municipalities kept" $PY -c "
from osgeo import gdal; import numpy as np, sys
a = gdal.Open('$T/area.tif').ReadAsArray().astype(float)
sys.exit(bool(abs(np.nansum(a) - 1304242) > 1))"
check "1 km cells on multiples of 1,000 m in Mollweide (the GHSL grid)" $PY -c "
from osgeo import gdal; import sys
d = gdal.Open('$T/area.tif'); g = d.GetGeoTransform()
sys.exit(not (g[1] == 1000 and g[5] == -1000 and g[0] % 1000 == 0 and g[3] % 1000 == 0
              and 'Mollweide' in d.GetProjection()))"

ogr2ogr -f GeoJSON -where "code = '20541'" "$T/obuse.geojson" $U
"$CW" linkage popgrid "$T/obuse.geojson" --pop-field pop2020 --ancillary $LC --classes 2 \
    -o "$T/obuse.tif" -q
check "over JAXA's urban class: Obuse's 10,661 people where GEOS puts them (1e-4)" \
    quiet $PY tests/cli/popgrid_ref.py classes "$T/obuse.tif" "$T/obuse.geojson" pop2020 $LC 2

"$CW" linkage popgrid $U --pop-field pop2020 --ancillary $LC --classes 2 -o "$T/dasy.tif" -v \
    2>"$T/v.err"
check "dasymetric: all people kept, none spread by area" \
    grep -q "46 units, 1304242 people on 163 x 125 cells; 0 units spread by area" "$T/v.err"
check "dasymetric: people only under urban cells (at most 1 in 20 cells with people)" $PY -c "
from osgeo import gdal; import numpy as np, sys
a = np.nan_to_num(gdal.Open('$T/dasy.tif').ReadAsArray()); b = np.nan_to_num(gdal.Open('$T/area.tif').ReadAsArray())
sys.exit(not ((a > 0).sum() < (b > 0).sum() and abs(a.sum() - b.sum()) < 1))"
"$CW" linkage popgrid $U --pop-field pop2020 --ancillary $LC --classes 2 -o "$T/dasy2.tif" -q
check "byte-identical on a second run" cmp -s "$T/dasy.tif" "$T/dasy2.tif"

# -- bad input --
fails 2 "no --pop-field" "$CW" linkage popgrid $U -o "$T/x.tif"
fails 2 "--classes without --ancillary" "$CW" linkage popgrid $U --pop-field pop2020 --classes 2 -o "$T/x.tif"
fails 1 "unknown population field" "$CW" linkage popgrid $U --pop-field pop -o "$T/x.tif"
check "field named" has_line "no population field 'pop'"
sed 's/"pop2020": 10661/"pop2020": -5/' $U >"$T/neg.geojson"
fails 1 "negative population" "$CW" linkage popgrid "$T/neg.geojson" --pop-field pop2020 -o "$T/x.tif"
check "negative named with its row" has_line "row [0-9]*: population '-5' is not a number of 0 or more"
fails 2 "a geographic -t_srs" "$CW" linkage popgrid $U --pop-field pop2020 -t_srs EPSG:4326 -o "$T/x.tif"
fails 2 "--cell 0" "$CW" linkage popgrid $U --pop-field pop2020 --cell 0km -o "$T/x.tif"
check "no output after any error" test ! -e "$T/x.tif"
finish
