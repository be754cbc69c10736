"""Compare two edge tables (from_id,to_id,dist_km, undirected, any order).

    crosscheck.py knn    A.csv B.csv   differences must be equal-distance swaps
    crosscheck.py within A.csv B.csv   differences must lie at the threshold
    crosscheck.py mst    A.csv B.csv   same total length; swaps of equal edges

Prints one line of counts and exits 0; exit 1 if a difference is unexplained.
A tie is two edges whose lengths agree within --eps km (default 2e-9, the
last printed decimal): tools break such ties differently (cityweave by the
lower id, scikit-learn and SciPy by tree order).
"""
import argparse
import csv
import sys

import numpy as np


def read_edges(path):
    with open(path, newline="", encoding="utf-8") as f:
        h = next(csv.reader(f))
    cols = (h.index("from_id"), h.index("to_id"), h.index("dist_km"))
    x = np.loadtxt(path, delimiter=",", skiprows=1, usecols=cols,
                   quotechar='"', encoding="utf-8", ndmin=2)
    a, b = x[:, 0].astype(np.int64), x[:, 1].astype(np.int64)
    lo, hi = np.minimum(a, b), np.maximum(a, b)
    key = (lo.astype(np.uint64) << np.uint64(32)) | hi.astype(np.uint64)
    o = np.argsort(key, kind="stable")
    return key[o], lo[o], hi[o], x[o, 2]


def only_in(x, y):
    """Mask of x's edges that y lacks."""
    return ~np.isin(x[0], y[0], assume_unique=True)


def tie_explained(diff_lo, diff_hi, diff_d, other, eps):
    """A diff edge (u, v, d) is a tie if the other table has an edge at u or
    at v, to a third city, of the same length within eps."""
    _, olo, ohi, od = other
    ends = np.concatenate([olo, ohi])
    peer = np.concatenate([ohi, olo])
    dist = np.concatenate([od, od])
    o = np.lexsort((dist, ends))
    ends, peer, dist = ends[o], peer[o], dist[o]
    ok = np.zeros(diff_lo.size, dtype=bool)
    for k in range(diff_lo.size):
        for u, v in ((diff_lo[k], diff_hi[k]), (diff_hi[k], diff_lo[k])):
            s, e = np.searchsorted(ends, [u, u + 1])
            lo = np.searchsorted(dist[s:e], diff_d[k] - eps)
            hi = np.searchsorted(dist[s:e], diff_d[k] + eps, side="right")
            if np.any(peer[s + lo:s + hi] != v):
                ok[k] = True
                break
    return ok


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("kind", choices=["knn", "within", "mst"])
    ap.add_argument("a")
    ap.add_argument("b")
    ap.add_argument("--eps", type=float, default=2e-9)
    ap.add_argument("--threshold", type=float, default=25.0)
    args = ap.parse_args()
    A, B = read_edges(args.a), read_edges(args.b)
    ma, mb = only_in(A, B), only_in(B, A)
    both = np.isin(A[0], B[0], assume_unique=True)
    common_b = np.isin(B[0], A[0], assume_unique=True)
    ddiff = (np.max(np.abs(A[3][both] - B[3][common_b]))
             if both.any() else 0.0)
    ndiff = int(ma.sum() + mb.sum())
    if args.kind == "within":
        ea = np.abs(A[3][ma] - args.threshold) <= max(args.eps, 1e-6)
        eb = np.abs(B[3][mb] - args.threshold) <= max(args.eps, 1e-6)
        explained = int(ea.sum() + eb.sum())
        why = "at the %g km threshold (within 1e-6 km)" % args.threshold
    elif args.kind == "knn":
        ea = tie_explained(A[1][ma], A[2][ma], A[3][ma], B, args.eps)
        eb = tie_explained(B[1][mb], B[2][mb], B[3][mb], A, args.eps)
        explained = int(ea.sum() + eb.sum())
        why = "equal-length ties (within %g km)" % args.eps
    else:
        # A spanning tree swaps an edge for an equal one anywhere on the
        # cycle it closes, so pair the lengths of the two sides' extras.
        da, db = np.sort(A[3][ma]), np.sort(B[3][mb])
        explained = 0
        if da.size == db.size and np.all(np.abs(da - db) <= args.eps):
            explained = ndiff
        why = "equal-length swaps (within %g km)" % args.eps
    line = ("%s: %d vs %d edges, %d common, %d differ (%d only in A, %d only "
            "in B), %d of them %s, %d unexplained; max abs dist diff on common "
            "edges %.3g km" % (args.kind, A[0].size, B[0].size,
                               int(both.sum()), ndiff, int(ma.sum()),
                               int(mb.sum()), explained, why,
                               ndiff - explained, ddiff))
    if args.kind == "mst":
        ta, tb = A[3].sum(), B[3].sum()
        line += "; total length %.6f vs %.6f km" % (ta, tb)
        if abs(ta - tb) > 1e-6 * max(1.0, ta):
            explained = -1
    print(line)
    return 0 if explained == ndiff else 1


if __name__ == "__main__":
    sys.exit(main())
