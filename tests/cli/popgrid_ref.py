#!/usr/bin/python3
"""popgrid_ref.py: an independent check of `cityweave linkage popgrid`.

  popgrid_ref.py area POP.tif UNITS POP_FIELD
      areal weighting: every output cell must hold the sum over units of
      pop * area(cell ∩ unit) / area(unit), intersections by OGR/GEOS in
      the grid's CRS, one cell at a time.
  popgrid_ref.py classes POP.tif UNITS POP_FIELD LANDCOVER CLASS
      dasymetric, for a layer of ONE unit: each land-cover cell of CLASS
      weighs the area of its intersection with the unit, measured by OGR
      after projecting both (densified to about 10 m, so edges stay the
      lines they are in lon/lat) to a Lambert azimuthal equal-area
      projection centred on the unit; its share of the people goes to the output
      cell under its centre.

Prints the worst relative difference over cells holding people; exits 1
above 1e-4 (float32 output).
"""
import sys

import numpy as np
from osgeo import gdal, ogr, osr

gdal.UseExceptions()


def srs(wkt_or_epsg):
    s = osr.SpatialReference()
    if isinstance(wkt_or_epsg, int):
        s.ImportFromEPSG(wkt_or_epsg)
    else:
        s.ImportFromWkt(wkt_or_epsg)
    s.SetAxisMappingStrategy(osr.OAMS_TRADITIONAL_GIS_ORDER)
    return s


def box(x0, y0, x1, y1):
    ring = ogr.Geometry(ogr.wkbLinearRing)
    for x, y in ((x0, y0), (x1, y0), (x1, y1), (x0, y1), (x0, y0)):
        ring.AddPoint_2D(x, y)
    g = ogr.Geometry(ogr.wkbPolygon)
    g.AddGeometry(ring)
    return g


def units(path, field, to):
    ds = ogr.Open(path)
    lyr = ds.GetLayer(0)
    ct = osr.CoordinateTransformation(srs(4326), to)
    out = []
    for f in lyr:
        g = f.GetGeometryRef().Clone()
        g.Transform(ct)
        out.append((g, float(f.GetField(field))))
    return out


def area_mode(pop_path, units_path, field):
    ds = gdal.Open(pop_path)
    got = ds.GetRasterBand(1).ReadAsArray().astype(float)
    gt = ds.GetGeoTransform()
    want = np.zeros_like(got)
    for g, p in units(units_path, field, srs(ds.GetProjection())):
        a = g.GetArea()
        x0, x1, y0, y1 = g.GetEnvelope()
        for r in range(int((y1 - gt[3]) // gt[5]), int((y0 - gt[3]) // gt[5]) + 1):
            for c in range(int((x0 - gt[0]) // gt[1]), int((x1 - gt[0]) // gt[1]) + 1):
                cell = box(gt[0] + c * gt[1], gt[3] + (r + 1) * gt[5],
                           gt[0] + (c + 1) * gt[1], gt[3] + r * gt[5])
                want[r, c] += p * g.Intersection(cell).GetArea() / a
    return got, want


def classes_mode(pop_path, units_path, field, lc_path, cls):
    ds = gdal.Open(pop_path)
    got = ds.GetRasterBand(1).ReadAsArray().astype(float)
    gt = ds.GetGeoTransform()
    out_srs = srs(ds.GetProjection())
    lc = gdal.Open(lc_path)
    lgt = lc.GetGeoTransform()
    codes = lc.GetRasterBand(1).ReadAsArray()
    (u, p), = units(units_path, field, srs(4326))
    cx, cy = u.Centroid().GetX(), u.Centroid().GetY()
    laea = osr.SpatialReference()
    laea.ImportFromProj4(f"+proj=laea +lat_0={cy} +lon_0={cx} +ellps=WGS84")
    laea.SetAxisMappingStrategy(osr.OAMS_TRADITIONAL_GIS_ORDER)
    to_laea = osr.CoordinateTransformation(srs(4326), laea)
    to_out = osr.CoordinateTransformation(srs(4326), out_srs)
    ul = u.Clone()
    ul.Segmentize(1e-4)   # edges straight in lon/lat, as cityweave takes them
    ul.Transform(to_laea)
    x0, x1, y0, y1 = u.GetEnvelope()
    weights = []
    for r in range(int((y1 - lgt[3]) // lgt[5]), int((y0 - lgt[3]) // lgt[5]) + 1):
        for c in range(int((x0 - lgt[0]) // lgt[1]), int((x1 - lgt[0]) // lgt[1]) + 1):
            if codes[r, c] != cls:
                continue
            cell = box(lgt[0] + c * lgt[1], lgt[3] + (r + 1) * lgt[5],
                       lgt[0] + (c + 1) * lgt[1], lgt[3] + r * lgt[5])
            if not cell.Intersects(u):
                continue
            # a 50 m cell's edges are straight enough in LAEA: densify to 1 m
            cell.Segmentize(1e-5)
            cell.Transform(to_laea)
            w = cell.Intersection(ul).GetArea()
            if w > 0:
                x, y, _ = to_out.TransformPoint(lgt[0] + (c + 0.5) * lgt[1], lgt[3] + (r + 0.5) * lgt[5])
                weights.append((int((y - gt[3]) // gt[5]), int((x - gt[0]) // gt[1]), w))
    want = np.zeros_like(got)
    tot = sum(w for _, _, w in weights)
    for r, c, w in weights:
        want[r, c] += p * w / tot
    return got, want


def main(argv):
    got, want = area_mode(*argv[2:5]) if argv[1] == "area" else \
        classes_mode(argv[2], argv[3], argv[4], argv[5], int(argv[6]))
    got = np.nan_to_num(got)
    mask = want > 1e-3 * want.max()
    worst = np.max(np.abs(got[mask] - want[mask]) / want[mask])
    print(f"{mask.sum()} cells with people; worst relative difference {worst:.2e}; "
          f"totals {got.sum():.1f} / {want.sum():.1f}")
    return 1 if worst > 1e-4 or np.any(got[~mask] > 1e-3 * want.max()) else 0


if __name__ == "__main__":
    sys.exit(main(sys.argv))
