"""kNN-8 peer: scikit-learn BallTree, haversine metric, one core.

Each city with its K nearest other cities, union undirected, distances on a
sphere of radius 6371.0088 km; the same task as
`cityweave network CITIES --knn 8 --sphere -o EDGES.csv`.
"""
import os
import sys

import numpy as np
from sklearn.neighbors import BallTree

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import common  # noqa: E402

K = int(os.environ.get("BENCH_K", "8"))


def run(src, dst):
    ids, lon, lat = common.read_cities(src)
    n = ids.size
    X = np.radians(np.column_stack([lat, lon]))  # haversine wants (lat, lon)
    tree = BallTree(X, metric="haversine")
    dist, ind = tree.query(X, k=K + 1)
    # Drop the city itself.  Coincident cities can come before it, so look
    # for it by index; where it is missing (over K coincident), drop the last.
    self_hit = ind == np.arange(n)[:, None]
    drop = self_hit.copy()
    drop[~self_hit.any(axis=1), K] = True
    keep = ~drop
    i = np.repeat(np.arange(n), K)
    j = ind[keep]
    d = dist[keep] * common.R_KM
    lo, hi, dk = common.undirected(ids, i, j, d)
    common.write_edges(dst, lo, hi, dk)


if __name__ == "__main__":
    common.main_guard(run)
