#!/usr/bin/python3
"""GeoPandas peer of bench/green.sh: GI area per zone and class.

    green_geopandas.py ZONES.gpkg GI.gpkg OUT.csv

One whole task, timed from the command line: read the zones (field `zid`)
and the GI polygons (field `gi_class`) with GeoPandas, `overlay(how=
'intersection')` (its R-tree, then shapely's intersection per pair), the
pieces and the zones taken to one Lambert azimuthal equal-area projection on
the WGS84 ellipsoid centred on the JAXA tile (equal-area everywhere, so the
areas are ellipsoidal areas up to the straight-edge approximation), areas
summed per zone and class, one CSV row per zone:
zid,zone_area_m2,gi_area_m2,gi_<class>_m2...

SPDX-License-Identifier: MIT
"""
import sys

import geopandas as gpd

LAEA = "+proj=laea +lat_0=35.5 +lon_0=139.5 +ellps=WGS84 +units=m +no_defs"


def main(zones_path, gi_path, out_path):
    zones = gpd.read_file(zones_path)[["zid", "geometry"]]
    gi = gpd.read_file(gi_path)[["gi_class", "geometry"]]
    pieces = gpd.overlay(zones, gi, how="intersection", keep_geom_type=True)
    pieces["m2"] = pieces.geometry.to_crs(LAEA).area
    by_class = pieces.pivot_table(index="zid", columns="gi_class", values="m2",
                                  aggfunc="sum", fill_value=0.0)
    zone_m2 = zones.set_index("zid").geometry.to_crs(LAEA).area
    classes = sorted(by_class.columns)
    with open(out_path, "w") as f:
        f.write("zid,zone_area_m2,gi_area_m2,%s\n"
                % ",".join("gi_%s_m2" % c for c in classes))
        for zid in sorted(zone_m2.index):
            row = [by_class.at[zid, c] if zid in by_class.index else 0.0
                   for c in classes]
            f.write("%d,%.1f,%.1f,%s\n" % (zid, zone_m2[zid], sum(row),
                                           ",".join("%.1f" % v for v in row)))


if __name__ == "__main__":
    if len(sys.argv) != 4:
        sys.exit("usage: green_geopandas.py ZONES.gpkg GI.gpkg OUT.csv")
    main(*sys.argv[1:])
