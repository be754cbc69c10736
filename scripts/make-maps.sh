#!/bin/sh
# make-maps.sh: the main job. Regenerates maps/ from data/ with the given
# cityweave binary; the same data gives byte-identical files.
# SPDX-License-Identifier: MIT
#
#   scripts/make-maps.sh build/cityweave [OUTDIR]      (OUTDIR: maps)
set -eu
CW=$(cd "$(dirname "${1:-build/cityweave}")" && pwd)/$(basename "${1:-build/cityweave}")
OUT=${2:-maps}
cd "$(dirname "$0")/.."
LC_ALL=C
export LC_ALL
mkdir -p "$OUT"
run() {
    echo "cityweave $*" >&2
    "$CW" "$@" --overwrite -q
}

# EU-Japan pairings (IUC 2017-2019, IURC 2021-2023) and their members.
IUC="roles LIKE '%IUC%' OR roles LIKE '%IURC%'"
for ext in geojson shp; do
    run network data/cities.csv -where "$IUC" --links data/links.csv \
        --links-where "kind = 'pairing'" -o $OUT/iuc_iurc_network.$ext \
        --nodes-out $OUT/iuc_iurc_nodes.$ext
done

# ICLEI's offices: World Secretariat -> regional -> country offices.
ICLEI="roles LIKE '%ICLEI-WS%' OR roles LIKE '%ICLEI-RO%' OR roles LIKE '%ICLEI-CO%'
       OR roles LIKE '%ICLEI-CC%' OR roles LIKE '%ICLEI-PO%'"
for ext in geojson shp; do
    run network data/cities.csv -where "$ICLEI" --links data/links.csv \
        --links-where "kind = 'office'" -o $OUT/iclei_offices.$ext \
        --nodes-out $OUT/iclei_offices_nodes.$ext
done

# How close the member cities are: their minimum spanning tree.
run network data/cities.csv --mst -o $OUT/member_mst.geojson \
    --nodes-out $OUT/member_mst_nodes.geojson

# Regional clusters of the member cities: DBSCAN at 400 km, with hulls.
for ext in geojson shp; do
    run cluster data/cities.csv --method dbscan --eps 400km --min-pts 2 \
        --theme-field country -o $OUT/member_clusters.$ext \
        --hulls $OUT/member_clusters_hulls.$ext
done

# Degree of Urbanisation of Belgium from the GHSL grids: level-2 grid
# classes, urban centres and clusters, municipalities, NUTS3 typology.
B=data/belgium
GRIDS="$B/ghs_pop_2020.tif --land $B/ghs_land_2018.tif --built $B/ghs_built_s_2020.tif"
run linkage degurba $GRIDS --level 2 -o $OUT/belgium_degurba.tif \
    --polygons $OUT/belgium_urban_centres.geojson
for ext in geojson shp; do
    run linkage degurba $GRIDS -o $OUT/belgium_degurba_l1.tif \
        --units $B/municipalities_2024.geojson -O $OUT/belgium_municipalities_degurba.$ext
done
run linkage degurba $GRIDS -o $OUT/belgium_degurba_l1.tif \
    --units $B/nuts3_2024.geojson --nuts3 -O $OUT/belgium_nuts3_urbn_type.geojson

# Which urban centre each Belgian municipality depends on, in 10/25/50 km
# bands (larger centres win within a band), with catchments and a summary.
run linkage links --centres $OUT/belgium_urban_centres.geojson \
    --centres-where "kind = 'urban centre'" --pop-field pop \
    --places $OUT/belgium_municipalities_degurba.geojson --id-field UID --name-field NAME_4 \
    --dist-bands 10km,25km,50km -o $OUT/belgium_links.geojson \
    --catchments $OUT/belgium_catchments.geojson --summary $OUT/belgium_centres_summary.csv

# Urban and rural round Nagano and Obuse (their circular-economy pairing
# with Turku): a 1 km population grid from the 2020 census by
# municipality spread over JAXA's urban land cover, its Degree of
# Urbanisation, the municipalities' classes, and each one's link to the
# urban centre it depends on.
J=data/japan
run linkage popgrid $J/nagano_municipalities.geojson --pop-field pop2020 \
    --ancillary $J/jaxa_lc_N36E138_50m.tif --classes 2 -o $OUT/nagano_pop_1km.tif
run linkage degurba $OUT/nagano_pop_1km.tif -o $OUT/nagano_degurba.tif \
    --polygons $OUT/nagano_urban_centres.geojson
for ext in geojson shp; do
    run linkage degurba $OUT/nagano_pop_1km.tif -o $OUT/nagano_degurba.tif \
        --units $J/nagano_municipalities.geojson -O $OUT/japan_urban_rural.$ext
done
run linkage links --centres $OUT/nagano_urban_centres.geojson \
    --centres-where "kind = 'urban centre'" --pop-field pop \
    --places $OUT/japan_urban_rural.geojson --id-field code --name-field name \
    --place-pop-field pop2020 --dist-bands 10km,25km,50km \
    -o $OUT/japan_urban_rural_links.geojson --summary $OUT/japan_urban_rural_centres.csv

# Green infrastructure of the same municipalities from JAXA's 50 m land
# cover: forest, farmland, grass and water by municipality, from exact
# cell fractions and cell areas on the ellipsoid.
for ext in geojson shp; do
    run green $J/nagano_municipalities.geojson --raster $J/jaxa_lc_N36E138_50m.tif \
        --classes jaxa -o $OUT/nagano_green.$ext
done
