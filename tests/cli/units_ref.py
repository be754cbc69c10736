#!/usr/bin/python3
"""units_ref.py: an independent check of cityweave's unit shares.

For the named units of a polygon layer, sums population by grid class with
each cell weighted by the area of (cell box ∩ unit) / cell area, the
intersection computed by OGR/GEOS in the grid's CRS, one cell at a time
(the slow, obvious way). Prints one CSV line per unit:
    id,pop,share_centre,share_cluster,share_rural

    units_ref.py POP.tif CLASSES.tif UNITS ID_FIELD ID [ID ...]

Level-1 codes: 3 centre, 2 cluster, 1 rural, 0 water (counted as rural).
"""
import sys

import numpy as np
from osgeo import gdal, ogr, osr

gdal.UseExceptions()


def cell_box(gt, r, c):
    x0, y0 = gt[0] + c * gt[1], gt[3] + r * gt[5]
    x1, y1 = x0 + gt[1], y0 + gt[5]
    ring = ogr.Geometry(ogr.wkbLinearRing)
    for x, y in ((x0, y0), (x1, y0), (x1, y1), (x0, y1), (x0, y0)):
        ring.AddPoint_2D(x, y)
    box = ogr.Geometry(ogr.wkbPolygon)
    box.AddGeometry(ring)
    return box


def shares(geom, pop, cls, gt):
    minx, maxx, miny, maxy = geom.GetEnvelope()
    c0, c1 = int((minx - gt[0]) // gt[1]), int((maxx - gt[0]) // gt[1])
    r0, r1 = int((maxy - gt[3]) // gt[5]), int((miny - gt[3]) // gt[5])
    cell = abs(gt[1] * gt[5])
    tot, by = 0.0, {3: 0.0, 2: 0.0, 1: 0.0}
    for r in range(max(r0, 0), min(r1, pop.shape[0] - 1) + 1):
        for c in range(max(c0, 0), min(c1, pop.shape[1] - 1) + 1):
            p = pop[r, c]
            if not p > 0:
                continue
            w = geom.Intersection(cell_box(gt, r, c)).GetArea() / cell * p
            tot += w
            by[max(int(cls[r, c]), 1)] += w
    return tot, [by[k] / tot if tot else 0 for k in (3, 2, 1)]


def main(argv):
    pop_ds, cls_ds = gdal.Open(argv[1]), gdal.Open(argv[2])
    pop = pop_ds.GetRasterBand(1).ReadAsArray().astype(float)
    cls = cls_ds.GetRasterBand(1).ReadAsArray()
    gt = pop_ds.GetGeoTransform()
    dst = osr.SpatialReference(wkt=pop_ds.GetProjection())
    dst.SetAxisMappingStrategy(osr.OAMS_TRADITIONAL_GIS_ORDER)
    ds = ogr.Open(argv[3])   # kept: the layer dies with its dataset
    lyr = ds.GetLayer(0)
    src = lyr.GetSpatialRef()
    src.SetAxisMappingStrategy(osr.OAMS_TRADITIONAL_GIS_ORDER)
    ct = osr.CoordinateTransformation(src, dst)
    want = set(argv[5:])
    for f in lyr:
        uid = str(f.GetField(argv[4]))
        if uid not in want:
            continue
        g = f.GetGeometryRef().Clone()
        g.Transform(ct)
        tot, s = shares(g, pop, cls, gt)
        print("%s,%.6f,%.9f,%.9f,%.9f" % (uid, tot, s[0], s[1], s[2]))


if __name__ == "__main__":
    main(sys.argv)
