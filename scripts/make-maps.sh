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
        --classes jaxa -o $OUT/nagano_obuse_green.$ext
done

# Green infrastructure round Tokorozawa, Yokohama and Kawasaki: the 250 m
# JAXA map polygonised (given to --gi), so patches, mesh size and
# connectivity (patches within 1 km linked) come with the shares.
for ext in geojson shp; do
    run green $J/kanto_municipalities.geojson --zone-id code --gi $J/jaxa_lc_kanto_250m.tif \
        --dispersal 1km -o $OUT/kanto_green.$ext
done

# The maps: a PNG of each product over the Natural Earth basemap, and
# (--qml) a QGIS style beside every vector product drawn, styled the same;
# the Kanto map draws inputs from data/, which get none.
map() {
    echo "cityweave map $*" >&2
    "$CW" map "$@" --legend --overwrite -q
}
NE="basemap: Natural Earth (public domain)"
CITIES="cities: GeoNames (CC BY 4.0), SimpleMaps (CC BY 4.0), e-Stat census 2020 (JP-Gov 2.0)"
POP="population: GHS-POP, GHS-BUILT-S, GHS-LAND © European Commission JRC (CC BY 4.0)"
BANDS="class=1/#0072B2/within 10 km;class=2/#56B4E9/10–25 km;class=3/#CC79A7/25–50 km;class=0/#999999/hinterland, beyond 50 km"
DEGURBA="class=1/#D55E00/city (urban centre);class=2/#E69F00/town or semi-dense area;class=3/#009E73/rural area"
map "$OUT/iuc_iurc_network.geojson:color=programme;width=2.5;title=Pairing programme" \
    "$OUT/iuc_iurc_nodes.geojson:color=#222222;size=population;minsize=4;maxsize=18;label=name;priority=population;title=Member city" \
    --title "EU–Japan city pairings: IUC 2017–2019 and IURC 2021–2023" --size 2000x900 \
    --attribution "Pairings: iuc.eu, iurc.eu, eu-japan.eu; $CITIES; $NE" --qml -o $OUT/iuc_iurc_network.png
map "$OUT/iclei_offices.geojson:color=#0072B2;width=2;title=Office link (parent to office)" \
    "$OUT/iclei_offices_nodes.geojson:color=#D55E00;size=degree;minsize=6;maxsize=18;label=name;priority=degree;title=ICLEI office" \
    --title "ICLEI's offices: the World Secretariat in Bonn, regional and country offices" \
    --size 2000x1100 --attribution "Offices: iclei.org (2024); $CITIES; $NE" --qml -o $OUT/iclei_offices.png
map "$OUT/member_clusters_hulls.geojson:color=cluster;opacity=0.25;width=1.5;title=Cluster hull" \
    "$OUT/member_clusters.geojson:color=cluster;class=-1/#999999/no cluster;size=population;minsize=4;maxsize=22;label=name;priority=population;title=Cluster" \
    --title "Member cities in regional clusters (DBSCAN: 400 km, 2 cities or more)" \
    --size 2000x1150 --attribution "$CITIES; $NE" --qml -o $OUT/member_clusters.png
map "$OUT/member_mst.geojson:color=#555555;width=1.5;title=Minimum spanning tree link" \
    "$OUT/member_mst_nodes.geojson:color=community;size=betweenness;minsize=4;maxsize=16;label=name;priority=betweenness;title=Community" \
    --title "How close the member cities are: their minimum spanning tree" \
    --size 2000x1150 --attribution "$CITIES; $NE" --qml -o $OUT/member_mst.png
map "$OUT/japan_urban_rural.geojson:fill=degurba;$DEGURBA;opacity=0.6;outline=#ffffff;label=name;priority=pop2020;title=Degree of Urbanisation" \
    "$OUT/nagano_urban_centres.geojson:color=kind;opacity=0;width=1.6;title=Grid clusters (1 km)" \
    "$OUT/japan_urban_rural_links.geojson:color=#333333;width=0.8;title=Link to the urban centre depended on" \
    --title "Urban and rural round Nagano and Obuse (2020)" --size 1400x1400 \
    --attribution "Boundaries: MLIT KSJ N03 (国土数値情報（行政区域データ）（国土交通省）を加工して作成); population: e-Stat census 2020 (JP-Gov 2.0) over JAXA land cover (© JAXA); $NE" \
    --qml -o $OUT/japan_urban_rural.png
map "data/japan/jaxa_lc_kanto_250m.tif:class=6..9/#009E73/forest;class=11/#009E73/forest;class=5/#B5D96A/grassland;class=3..4/#E69F00/farmland (rice paddy, crops);class=1/#56B4E9/water (sea, lakes, rivers);class=2/#BBBBBB/urban;class=10/#E3DCCF/bare land;class=12/#CC79A7/solar panels;title=Land cover (JAXA, 2020)" \
    "data/cities.csv:color=#222222;size=population;minsize=5;maxsize=16;label=name;priority=population;title=Network member city" \
    --title "Green infrastructure in Kanto: forest, grassland, farmland and water" \
    --extent 139,35,141,37 --size 1250x1500 \
    --attribution "Land cover: JAXA High-Resolution Land Use and Land Cover of Japan v21.11 (© JAXA), 1/400° mode of the 50 m map; $CITIES; $NE" \
    -o $OUT/kanto_landcover.png
map "$OUT/belgium_municipalities_degurba.geojson:fill=degurba;$DEGURBA;opacity=0.6;outline=#ffffff;title=Municipality, Degree of Urbanisation" \
    "$OUT/belgium_urban_centres.geojson:color=kind;class=urban centre/#333333/urban centre (1 km grid);class=urban cluster/#8C6D31/urban cluster (1 km grid);opacity=0;width=1.2;title=Grid clusters" \
    --title "Belgium's 581 municipalities by Degree of Urbanisation (GHSL 2020)" --size 1600x1360 \
    --attribution "$POP; boundaries: Statbel 2024 (open data); $NE" --qml -o $OUT/belgium_degurba.png
map "$OUT/belgium_nuts3_urbn_type.geojson:fill=urbn_type;class=1/#D55E00/predominantly urban;class=2/#E69F00/intermediate;class=3/#009E73/predominantly rural;opacity=0.7;outline=#ffffff;label=NAME_LATN;priority=pop;title=Urban–rural typology" \
    --title "Belgium's NUTS 3 regions: urban–rural typology from the 2020 grids" --size 1600x1360 \
    --attribution "$POP; boundaries: Eurostat GISCO NUTS 2024 (© EuroGeographics); $NE" --qml -o $OUT/belgium_nuts3.png
map "$OUT/belgium_catchments.geojson:color=band;$BANDS;opacity=0.25;width=1;title=Catchment band" \
    "$OUT/belgium_links.geojson:color=band;$BANDS;width=0.8;title=Link band" \
    --title "Which urban centre each Belgian municipality depends on" --size 1600x1360 \
    --attribution "$POP; boundaries: Statbel 2024 (open data); $NE" --qml -o $OUT/belgium_links.png
map "$OUT/nagano_obuse_green.geojson:grad=gi_share;breaks=0.5,0.6,0.7,0.8,0.9;ramp=greens;opacity=0.85;outline=#ffffff;label=name;priority=zone_area_m2;title=Green share of the municipality (JAXA land cover)" \
    --title "Green infrastructure round Nagano and Obuse: share of each municipality" --size 1400x1400 \
    --attribution "Land cover: JAXA HRLULC v21.11 (© JAXA); boundaries: MLIT KSJ N03 (国土数値情報（行政区域データ）（国土交通省）を加工して作成); $NE" \
    --qml -o $OUT/nagano_obuse_green.png
map "$OUT/kanto_green.geojson:grad=gi_share;breaks=0.1,0.2,0.3,0.4,0.5,0.6;ramp=greens;opacity=0.85;outline=#ffffff;label=name;priority=pop2020;title=Green share of the municipality" \
    --title "Green infrastructure round Tokorozawa, Yokohama and Kawasaki (JAXA land cover)" \
    --extent 139.05,35.3,139.82,36.0 --size 1400x1500 \
    --attribution "Land cover: JAXA HRLULC v21.11 (© JAXA), 1/400° mode of the 50 m map; boundaries: MLIT KSJ N03 (国土数値情報（行政区域データ）（国土交通省）を加工して作成); $NE" \
    --qml -o $OUT/kanto_green.png
