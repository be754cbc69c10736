"""Shared input/output for the Python peers of bench/run.sh.

Every peer reads the same bench/work/cities500.csv (id,name,lon,lat, RFC 4180)
and writes an undirected edge table from_id,to_id,dist_km with from_id < to_id,
sorted by (from_id, to_id) and dist_km to 9 decimals, as cityweave's CSV does
(cityweave also writes names and azimuth, so it writes more).

The writer formats with numpy arrays, not row by row: csv.writer takes about
9 s for 5.7 million rows, which would be timing Python's string formatting
rather than the neighbour search.  This favours the peers.
"""
import csv
import sys

import numpy as np

R_KM = 6371.0088  # mean Earth radius, as cityweave --sphere


def read_cities(path):
    """Return (ids int64, lon degrees, lat degrees)."""
    ids, lon, lat = [], [], []
    with open(path, newline="", encoding="utf-8") as f:
        r = csv.reader(f)
        head = next(r)
        ci, cx, cy = head.index("id"), head.index("lon"), head.index("lat")
        for row in r:
            ids.append(row[ci])
            lon.append(row[cx])
            lat.append(row[cy])
    return (np.array(ids, dtype=np.int64), np.array(lon, dtype=np.float64),
            np.array(lat, dtype=np.float64))


def undirected(ids, i, j, d_km):
    """Index pairs (i, j) -> sorted unique (lo_id, hi_id, dist) rows."""
    a, b = ids[i], ids[j]
    lo, hi = np.minimum(a, b), np.maximum(a, b)
    key = (lo.astype(np.uint64) << np.uint64(32)) | hi.astype(np.uint64)
    _, first = np.unique(key, return_index=True)  # sorted by (lo, hi)
    return lo[first], hi[first], d_km[first]


def _digits(v, width):
    """Non-negative int64 -> (n, width) ASCII digits, right-aligned, and a
    mask that drops the leading zeros (keeping at least one digit)."""
    n = v.shape[0]
    out = np.empty((n, width), dtype=np.uint8)
    keep = np.empty((n, width), dtype=bool)
    x = v.astype(np.uint32)  # ids and 9-digit fractions fit
    for c in range(width - 1, -1, -1):
        q = x // np.uint32(10)
        out[:, c] = x - q * np.uint32(10)
        keep[:, c] = x > 0
        x = q
    out += 48
    keep[:, width - 1] = True
    return out, keep


def write_edges(path, lo, hi, d_km, chunk=1 << 16):
    with open(path, "wb") as f:
        f.write(b"from_id,to_id,dist_km\n")
        if lo.size == 0:
            return
        wid = max(len(str(int(lo.max()))), len(str(int(hi.max()))))
        nano = np.rint(d_km * 1e9).astype(np.int64)
        wkm = len(str(int(nano.max() // 10**9)))
        for s in range(0, lo.size, chunk):
            e = min(s + chunk, lo.size)
            n = e - s
            parts = []
            for v, w in ((lo[s:e], wid), (hi[s:e], wid)):
                parts.append(_digits(v, w))
                parts.append((np.full((n, 1), ord(","), np.uint8),
                              np.ones((n, 1), bool)))
            km, frac = np.divmod(nano[s:e], 10**9)
            parts.append(_digits(km, wkm))
            parts.append((np.full((n, 1), ord("."), np.uint8),
                          np.ones((n, 1), bool)))
            fd, _ = _digits(frac, 9)
            parts.append((fd, np.ones((n, 9), bool)))  # keep zeros after '.'
            parts.append((np.full((n, 1), ord("\n"), np.uint8),
                          np.ones((n, 1), bool)))
            chars = np.hstack([p[0] for p in parts])
            keep = np.hstack([p[1] for p in parts])
            f.write(chars[keep].tobytes())


def main_guard(fn):
    if len(sys.argv) != 3:
        sys.exit("usage: %s CITIES.csv EDGES.csv" % sys.argv[0])
    fn(sys.argv[1], sys.argv[2])
