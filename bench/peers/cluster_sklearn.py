"""scikit-learn DBSCAN peer for bench/cluster.sh.

    cluster_sklearn.py CITIES.csv OUT.csv [EPS_KM [MIN_PTS]]

Reads id,...,lon,lat (bench/work/cities500.csv), runs
DBSCAN(eps=EPS_KM/6371.0088, min_samples=MIN_PTS, metric="haversine",
algorithm="ball_tree") on (lat, lon) in radians and writes id,cluster,core
(cluster -1 = noise; core 1/0 from core_sample_indices_).  min_samples counts
the point itself, as cityweave's --min-pts does.  The whole process is timed:
start-up, imports, reading, clustering and writing.
"""
import os
import sys

import numpy as np
from sklearn.cluster import DBSCAN

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from common import R_KM, read_cities  # noqa: E402


def main():
    if len(sys.argv) not in (3, 4, 5):
        sys.exit("usage: %s CITIES.csv OUT.csv [EPS_KM [MIN_PTS]]" % sys.argv[0])
    src, out = sys.argv[1], sys.argv[2]
    eps_km = float(sys.argv[3]) if len(sys.argv) > 3 else 50.0
    min_pts = int(sys.argv[4]) if len(sys.argv) > 4 else 5
    ids, lon, lat = read_cities(src)
    X = np.radians(np.column_stack((lat, lon)))
    db = DBSCAN(eps=eps_km / R_KM, min_samples=min_pts, metric="haversine",
                algorithm="ball_tree").fit(X)
    core = np.zeros(ids.size, dtype=np.int8)
    core[db.core_sample_indices_] = 1
    with open(out, "w") as f:
        f.write("id,cluster,core\n")
        np.savetxt(f, np.column_stack((ids, db.labels_, core)), fmt="%d",
                   delimiter=",")


main()
