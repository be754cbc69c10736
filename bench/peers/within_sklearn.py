"""within-25 km peer: scikit-learn BallTree.query_radius, haversine, one core.

Every pair of distinct cities at most 25 km apart on a sphere of radius
6371.0088 km; the task of `cityweave network CITIES --within 25km --sphere`.
"""
import os
import sys

import numpy as np
from sklearn.neighbors import BallTree

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import common  # noqa: E402

DIST_KM = float(os.environ.get("BENCH_WITHIN_KM", "25"))


def run(src, dst):
    ids, lon, lat = common.read_cities(src)
    n = ids.size
    X = np.radians(np.column_stack([lat, lon]))
    tree = BallTree(X, metric="haversine")
    ind, dist = tree.query_radius(X, r=DIST_KM / common.R_KM,
                                  return_distance=True)
    counts = np.fromiter((a.size for a in ind), dtype=np.int64, count=n)
    i = np.repeat(np.arange(n), counts)
    j = np.concatenate(ind)
    d = np.concatenate(dist)
    del ind, dist
    m = i < j  # each pair appears from both ends; also drops the city itself
    lo, hi, dk = common.undirected(ids, i[m], j[m], d[m] * common.R_KM)
    common.write_edges(dst, lo, hi, dk)


if __name__ == "__main__":
    common.main_guard(run)
