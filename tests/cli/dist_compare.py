"""dist_compare.py: compares the dist_km and azimuth columns of two edge
CSVs written by `cityweave network` for the same links.

usage: dist_compare.py A.csv B.csv TOLERANCE_M
Exits 1 when the edges differ or a distance differs by more than
TOLERANCE_M metres.
"""
import csv
import sys

a = list(csv.DictReader(open(sys.argv[1], encoding="utf-8")))
b = list(csv.DictReader(open(sys.argv[2], encoding="utf-8")))
tol = float(sys.argv[3])
pairs = lambda rows: [(r["from_id"], r["to_id"]) for r in rows]
worst = max(abs(float(x["dist_km"]) - float(y["dist_km"])) * 1000 for x, y in zip(a, b))
print(f"{len(a)} edges; max distance difference {worst:.6f} m")
sys.exit(0 if a and pairs(a) == pairs(b) and worst <= tol else 1)
