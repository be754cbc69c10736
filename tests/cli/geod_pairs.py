"""geod_pairs.py: oracles over all pairs of a city CSV, with PROJ's geod.

usage: geod_pairs.py within CITIES.csv METRES     -> "a,b" of every pair within
       geod_pairs.py nearest CITIES.csv HUBS.csv  -> "hub,city" for each city
Pairs are printed with the lower id first (within) and sorted.
"""
import csv
import subprocess
import sys


def rows(path):
    return list(csv.DictReader(open(path, encoding="utf-8")))


def geod(pairs):
    q = "".join(f'{a["lat"]} {a["lon"]} {b["lat"]} {b["lon"]}\n' for a, b in pairs)
    out = subprocess.run(["geod", "+ellps=WGS84", "-I", "-f", "%.9f", "-F", "%.6f"],
                         input=q, capture_output=True, text=True, check=True).stdout
    return [float(line.split()[2]) for line in out.splitlines()]


mode = sys.argv[1]
cities = rows(sys.argv[2])
if mode == "within":
    pairs = [(a, b) for i, a in enumerate(cities) for b in cities[i + 1:]]
    for (a, b), d in zip(pairs, geod(pairs)):
        if d <= float(sys.argv[3]):
            print(",".join(sorted((a["id"], b["id"]))))
else:
    hubs = rows(sys.argv[3])
    hub_ids = {h["id"] for h in hubs}
    for c in cities:
        if c["id"] in hub_ids:
            continue
        d = geod([(c, h) for h in hubs])
        best = min(range(len(hubs)), key=lambda i: (d[i], hubs[i]["id"]))
        print(f'{hubs[best]["id"]},{c["id"]}')
