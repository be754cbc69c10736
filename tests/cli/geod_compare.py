"""geod_compare.py: compares an edge CSV written by `cityweave network`
with PROJ's `geod -I` run on the same endpoints.

usage: geod_compare.py CITIES.csv EDGES.csv [--sphere]
Prints the largest differences; exits 1 when a distance differs by more
than 1 mm or an azimuth by more than 1e-6 degree.
"""
import csv
import math
import subprocess
import sys

cities = {r["id"]: r for r in csv.DictReader(open(sys.argv[1], encoding="utf-8"))}
edges = list(csv.DictReader(open(sys.argv[2], encoding="utf-8")))
lines = []
for e in edges:
    a, b = cities[e["from_id"]], cities[e["to_id"]]
    lines.append(f'{a["lat"]} {a["lon"]} {b["lat"]} {b["lon"]}')
ellps = ["+ellps=WGS84"] if "--sphere" not in sys.argv else ["+R=6371008.8"]
out = subprocess.run(["geod", *ellps, "-I", "-f", "%.12f", "-F", "%.9f"],
                     input="\n".join(lines) + "\n", capture_output=True, text=True,
                     check=True).stdout.split("\n")
worst_d = worst_a = 0.0
for e, line in zip(edges, out):
    az12, _az21, dist = (float(x) for x in line.split())
    worst_d = max(worst_d, abs(float(e["dist_km"]) * 1000 - dist))
    da = abs(float(e["azimuth"]) - az12) % 360
    worst_a = max(worst_a, min(da, 360 - da))
print(f"{len(edges)} edges; max |dist - geod| = {worst_d:.6f} m; "
      f"max |azimuth - geod| = {worst_a:.3g} deg")
sys.exit(0 if edges and worst_d <= 1e-3 and worst_a <= 1e-6 else 1)
