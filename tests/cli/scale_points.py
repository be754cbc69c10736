#!/usr/bin/python3
"""scale_points.py: N points for tests/cli/test_scale.sh and bench/scale.sh:
real city coordinates, each drawn with replacement and moved by a Gaussian
jitter of SIGMA km (default 2) north-south and east-west, so the points
have the clustering of real settlements without repeating. Deterministic
(seed 7). Writes id,lon,lat (5 decimals, about 1 m) to OUT.

    scale_points.py CITIES N OUT [SIGMA_KM]

CITIES is a GeoNames cities TSV (latitude, longitude columns) or a CSV
with lon and lat columns.
"""
import csv
import sys

import numpy as np

KM_PER_DEG = 111.195   # a degree of latitude on the 6371.0088 km sphere


def read_cities(path):
    delim = "\t" if path.endswith(".tsv") else ","
    with open(path, newline="", encoding="utf-8") as f:
        rows = csv.DictReader(f, delimiter=delim, quoting=csv.QUOTE_NONE if delim == "\t" else csv.QUOTE_MINIMAL)
        lon_key = "longitude" if delim == "\t" else "lon"
        lat_key = "latitude" if delim == "\t" else "lat"
        pts = [(float(r[lon_key]), float(r[lat_key])) for r in rows]
    return np.array(pts)


def main():
    cities, n, out = sys.argv[1], int(sys.argv[2]), sys.argv[3]
    sigma = float(sys.argv[4]) if len(sys.argv) > 4 else 2.0
    c = read_cities(cities)
    rng = np.random.default_rng(7)
    pick = rng.integers(0, len(c), n)
    lat = c[pick, 1] + rng.normal(0, sigma / KM_PER_DEG, n)
    lat = np.clip(lat, -89.99, 89.99)
    coslat = np.maximum(np.cos(np.radians(lat)), 0.01)
    lon = c[pick, 0] + rng.normal(0, sigma / KM_PER_DEG, n) / coslat
    lon = (lon + 180.0) % 360.0 - 180.0
    with open(out, "w") as f:
        f.write("id,lon,lat\n")
        step = 1_000_000
        for s in range(0, n, step):
            e = min(n, s + step)
            block = np.column_stack((np.arange(s + 1, e + 1), lon[s:e], lat[s:e]))
            np.savetxt(f, block, fmt="%d,%.5f,%.5f")


if __name__ == "__main__":
    main()
