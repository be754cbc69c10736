#!/usr/bin/python3
"""links_check.py: checks `cityweave linkage links` (model nearest) against
distances from PROJ's `geod -I`, brute force over every centre.

usage: links_check.py LINKS.geojson SUMMARY.geojson [BAND_KM,...]

Each link runs from its place's point to its centre. For every place the
distance to every centre comes from geod; the expected centre is the
nearest one, or with bands the centre of the largest size class (then
most people, then nearest) within the first band that holds any, and
dist_km must equal geod's distance within 1 m. Exits 1 on any mismatch.
"""
import json
import subprocess
import sys


def geod(pairs):
    lines = "".join(f"{a[1]} {a[0]} {b[1]} {b[0]}\n" for a, b in pairs)
    out = subprocess.run(["geod", "+ellps=WGS84", "-I", "-f", "%.12f", "-F", "%.6f"],
                         input=lines, capture_output=True, text=True, check=True).stdout
    return [float(l.split()[2]) for l in out.splitlines()]


def expected(dists, centres, bands):
    for edge in bands:
        inside = [j for j, d in enumerate(dists) if d <= edge]
        if inside:
            return min(inside, key=lambda j: (centres[j]["size_class"], -centres[j]["pop"], dists[j]))
    return min(range(len(dists)), key=lambda j: dists[j])


def main(argv):
    links = json.load(open(argv[1], encoding="utf-8"))["features"]
    cfeat = json.load(open(argv[2], encoding="utf-8"))["features"]
    centres = [dict(f["properties"], xy=f["geometry"]["coordinates"]) for f in cfeat]
    bands = [float(b) * 1000 for b in argv[3].split(",")] if len(argv) > 3 else []
    places = [l["geometry"]["coordinates"][0] for l in links]
    allpairs = [(p, c["xy"]) for p in places for c in centres]
    d = geod(allpairs)
    bad = 0
    for i, l in enumerate(links):
        row = d[i * len(centres):(i + 1) * len(centres)]
        want = centres[expected(row, centres, bands)]["centre_id"]
        got = l["properties"]["centre_id"]
        j = [c["centre_id"] for c in centres].index(got)
        if got != want or abs(l["properties"]["dist_km"] * 1000 - row[j]) > 1.0:
            bad += 1
            print(l["properties"]["place_id"], "got", got, "want", want,
                  l["properties"]["dist_km"], row[j] / 1000)
    print(f"{len(links)} links, {len(centres)} centres, {bad} wrong")
    return 1 if bad else 0


if __name__ == "__main__":
    sys.exit(main(sys.argv))
