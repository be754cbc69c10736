#!/usr/bin/python3
"""map_check.py: checks of `cityweave map` outputs against independent
oracles: PROJ's cs2cs for positions, GDAL (the PNG and its world file read
by GDAL itself, ogr2ogr and gdal_rasterize) for coverage, Python's XML
parser for SVG and QGIS styles.
SPDX-License-Identifier: MIT

  map_check.py points MAP.png PROJ RRGGBB LON,LAT...   city colour within 2 px
  map_check.py iou MAP.png PROJ LINES [CUT_LON]          IoU with gdal_rasterize >= 0.9
  map_check.py svg MAP.svg [LABEL...]                    labels present, boxes apart
  map_check.py raster MAP.png PROJ GRID V=#RRGGBB,... LON,LAT...   class colours
"""
import os
import subprocess
import sys
import tempfile
import xml.etree.ElementTree as ET

import numpy as np
from osgeo import gdal

gdal.UseExceptions()
SVG = "{http://www.w3.org/2000/svg}"


def read_png(path):
    """The image as an H x W x 3 array and its geotransform (from the
    world file beside it, read by GDAL)."""
    ds = gdal.Open(path)
    gt = ds.GetGeoTransform()
    assert gt != (0, 1, 0, 0, 0, 1), f"{path}: GDAL found no world file"
    rgb = np.stack([ds.GetRasterBand(b + 1).ReadAsArray() for b in range(3)], axis=-1)
    return rgb, gt


def cs2cs(proj, lonlat):
    """Projects (lon, lat) pairs with PROJ's cs2cs command."""
    text = "".join(f"{lon} {lat}\n" for lon, lat in lonlat)
    out = subprocess.run(["cs2cs", "-f", "%.6f", "+proj=longlat", "+ellps=WGS84", "+to"]
                         + proj.split(), input=text, capture_output=True, text=True,
                         check=True).stdout
    return [tuple(map(float, line.split()[:2])) for line in out.splitlines()]


def pixel(gt, x, y):
    """Map coordinates to a pixel's column and row (gt: GDAL geotransform)."""
    return (x - gt[0]) / gt[1], (y - gt[3]) / gt[5]


def near(rgb, col, row, colour, radius=2):
    """Does a pixel within @radius of (col, row) have @colour (+-2 levels)?"""
    r0, c0 = int(row), int(col)
    win = rgb[max(r0 - radius, 0):r0 + radius + 1, max(c0 - radius, 0):c0 + radius + 1]
    return bool((np.abs(win.astype(int) - colour).max(axis=-1) <= 2).any())


def hexrgb(s):
    s = s.lstrip("#")
    return np.array([int(s[i:i + 2], 16) for i in (0, 2, 4)])


def check_points(png, proj, colour, places):
    rgb, gt = read_png(png)
    lonlat = [tuple(map(float, p.split(","))) for p in places]
    bad = []
    for (lon, lat), (x, y) in zip(lonlat, cs2cs(proj, lonlat)):
        col, row = pixel(gt, x, y)
        if not near(rgb, col, row, hexrgb(colour)):
            bad.append(f"{lon},{lat} -> pixel {col:.1f},{row:.1f}")
    assert not bad, "no city colour within 2 px: " + "; ".join(bad)


def check_raster(png, proj, grid, classes, places):
    """For each LON,LAT, gdallocationinfo gives the class of the grid cell
    there; the map pixel at the cs2cs position must have that class's
    colour (@classes: "1=#56B4E9,2=#BBBBBB,...")."""
    colours = dict(c.split("=") for c in classes.split(","))
    rgb, gt = read_png(png)
    bad = []
    for place in places:
        lon, lat = map(float, place.split(","))
        value = subprocess.run(["gdallocationinfo", "-valonly", "-wgs84", grid, str(lon),
                                str(lat)], capture_output=True, text=True,
                               check=True).stdout.strip()
        (x, y), = cs2cs(proj, [(lon, lat)])
        col, row = pixel(gt, x, y)
        if not near(rgb, col, row, hexrgb(colours[value]), radius=1):
            bad.append(f"{place}: class {value}, {rgb[int(row), int(col)]} != {colours[value]}")
    assert not bad, "; ".join(bad)


def drawn(rgb):
    """Pixels the lines cover at least half: darker than halfway between
    the background and the black of the lines."""
    return rgb.astype(int).sum(axis=-1) < 3 * 115


def check_iou(png, proj, lines, cut=None):
    """Rasterises @lines projected by ogr2ogr and buffered by half the line
    width (GEOS through OGR's SQLite dialect) with gdal_rasterize on the
    map's grid, and compares with the pixels cityweave drew. With @cut, the
    lines are first clipped by ogr2ogr on either side of that meridian (the
    seam of a map centred on the other side of the globe)."""
    rgb, gt = read_png(png)
    h, w = rgb.shape[:2]
    res = gt[1]
    with tempfile.TemporaryDirectory() as d:
        src = lines
        if cut is not None:
            parts = []
            for i, box in enumerate(([-180, -90, cut - 1e-7, 90], [cut + 1e-7, -90, 180, 90])):
                p = os.path.join(d, f"part{i}.gpkg")
                subprocess.run(["ogr2ogr", "-f", "GPKG", p, lines, "-nln", "l", "-clipsrc"]
                               + [str(v) for v in box], check=True)
                parts.append(p)
            src = os.path.join(d, "cut.gpkg")
            subprocess.run(["ogr2ogr", "-f", "GPKG", src, parts[0], "-nln", "l"], check=True)
            subprocess.run(["ogr2ogr", "-f", "GPKG", "-append", src, parts[1], "-nln", "l"],
                           check=True)
        proj_gpkg = os.path.join(d, "proj.gpkg")
        # (GDAL cannot write Equal Earth as WKT into the GeoPackage and says
        # so; the coordinates are what count here.)
        subprocess.run(["ogr2ogr", "-f", "GPKG", "-t_srs", proj, proj_gpkg, src, "-nln", "p"],
                       check=True, stderr=subprocess.DEVNULL)
        buf = os.path.join(d, "buf.gpkg")
        subprocess.run(["ogr2ogr", "-f", "GPKG", buf, proj_gpkg, "-dialect", "sqlite", "-sql",
                        f"SELECT ST_Buffer(geom, {1.5 * res}) AS geom FROM p", "-nln", "b"],
                       check=True, stderr=subprocess.DEVNULL)
        tif = os.path.join(d, "ref.tif")
        xmin, ymax = gt[0], gt[3]
        subprocess.run(["gdal_rasterize", "-q", "-burn", "1", "-ot", "Byte", "-te", str(xmin),
                        str(ymax - h * res), str(xmin + w * res), str(ymax), "-ts", str(w),
                        str(h), buf, tif], check=True)
        ref = gdal.Open(tif).ReadAsArray().astype(bool)
    ours = drawn(rgb)
    iou = (ours & ref).sum() / max((ours | ref).sum(), 1)
    print(f"IoU {iou:.4f} ({ours.sum()} drawn, {ref.sum()} rasterised)")
    assert iou >= 0.9, f"IoU {iou:.4f} < 0.9"


def check_svg(path, expected):
    """The SVG parses; each cw-label box holds the glyphs cairo drew for it
    (their origins, as <use> elements), no two boxes intersect, and the
    expected labels are there."""
    root = ET.parse(path).getroot()
    glyphs = [(float(u.get("x")), float(u.get("y"))) for u in root.iter(SVG + "use")
              if u.get("{http://www.w3.org/1999/xlink}href", "").startswith("#glyph")]
    boxes = []
    for g in root.iter(SVG + "g"):
        if g.get("class") != "cw-label":
            continue
        r, t = g.find(SVG + "rect"), g.find(SVG + "text")
        x, y = float(r.get("x")), float(r.get("y"))
        box = (x, y, x + float(r.get("width")), y + float(r.get("height")))
        inside = sum(box[0] <= gx <= box[2] and box[1] <= gy <= box[3] for gx, gy in glyphs)
        need = len(t.text.replace(" ", "")) - 2
        assert inside >= need, f"label {t.text!r}: {inside} glyphs in its box, want {need}"
        boxes.append((t.text, box))
    for i, (a, p) in enumerate(boxes):
        for b, q in boxes[i + 1:]:
            assert not (p[0] < q[2] and q[0] < p[2] and p[1] < q[3] and q[1] < p[3]), \
                f"label boxes of {a!r} and {b!r} intersect"
    names = {t for t, _ in boxes}
    missing = [e for e in expected if e not in names]
    assert not missing, f"labels missing: {missing} (have {sorted(names)})"
    print(f"{len(boxes)} labels, {len(glyphs)} glyphs, no two boxes intersect")


def main():
    cmd, args = sys.argv[1], sys.argv[2:]
    if cmd == "points":
        check_points(args[0], args[1], args[2], args[3:])
    elif cmd == "raster":
        check_raster(args[0], args[1], args[2], args[3], args[4:])
    elif cmd == "iou":
        check_iou(args[0], args[1], args[2], float(args[3]) if len(args) > 3 else None)
    elif cmd == "svg":
        check_svg(args[0], args[1:])
    else:
        sys.exit(f"unknown check {cmd}")


if __name__ == "__main__":
    main()
