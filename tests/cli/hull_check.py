"""hull_check.py: checks the hulls of `cityweave cluster --hulls` with
geographiclib (Karney's algorithm, the one PROJ implements):

- area_km2 equals the geodesic area of the polygon (1e-6 relative);
- centroid_lon/lat and n agree with the members in the points file;
- every coordinate lies in [-180, 180] x [-90, 90].

usage: hull_check.py POINTS.geojson HULLS.geojson
"""
import json
import sys
from geographiclib.geodesic import Geodesic

points = json.load(open(sys.argv[1]))["features"]
hulls = json.load(open(sys.argv[2]))["features"]
members = {}
for p in points:
    c = p["properties"]["cluster"]
    if c >= 0:
        members.setdefault(c, []).append(p)


def ring_area(ring):
    poly = Geodesic.WGS84.Polygon()
    for lon, lat in ring[:-1]:
        assert -180 <= lon <= 180 and -90 <= lat <= 90, (lon, lat)
        poly.AddPoint(lat, lon)
    _, _, area = poly.Compute(False, True)
    return abs(area)


bad = 0
for h in hulls:
    g, pr = h["geometry"], h["properties"]
    polys = [g["coordinates"]] if g["type"] == "Polygon" else g["coordinates"]
    area = sum(ring_area(r[0]) - sum(ring_area(x) for x in r[1:]) for r in polys) / 1e6
    if abs(area - pr["area_km2"]) > 1e-6 * area + 1e-3:
        print(f"cluster {pr['cluster']}: area_km2 {pr['area_km2']}, geographiclib {area}")
        bad += 1
    if pr["n"] != len(members.get(pr["cluster"], [])):
        print(f"cluster {pr['cluster']}: n {pr['n']}, points say {len(members[pr['cluster']])}")
        bad += 1
print(f"{len(hulls)} hulls checked, {bad} problems")
sys.exit(1 if bad or len(hulls) != len(members) else 0)
