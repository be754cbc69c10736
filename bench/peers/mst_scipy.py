"""MST peer: scipy.sparse.csgraph.minimum_spanning_tree over the spherical
Delaunay graph (Qhull convex hull of unit vectors), great-circle weights on a
sphere of radius 6371.0088 km.  The Euclidean MST on the sphere is a subgraph
of its Delaunay triangulation, so this is the exact spherical MST.
"""
import os
import sys

import numpy as np
from scipy.sparse import coo_matrix
from scipy.sparse.csgraph import minimum_spanning_tree

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import common  # noqa: E402
import delaunay_sphere as ds  # noqa: E402


def run(src, dst):
    ids, lon, lat = common.read_cities(src)
    u, v, w, rep, inverse, nmiss = ds.delaunay_edges(lon, lat)
    m = rep.size
    # csgraph drops explicit zeros; distinct points are never 0 km apart,
    # but guard anyway with a tiny floor that cannot change the tree.
    g = coo_matrix((np.maximum(w, 1e-12), (u, v)), shape=(m, m)).tocsr()
    t = minimum_spanning_tree(g).tocoo()
    tu, tv = rep[t.row], rep[t.col]
    a, b = ds.coincident_edges(rep, inverse)
    i = np.concatenate([tu, a])
    j = np.concatenate([tv, b])
    d = np.concatenate([ds.great_circle_km(lon, lat, tu, tv),
                        np.zeros(a.size)])
    lo, hi, dk = common.undirected(ids, i, j, d)
    common.write_edges(dst, lo, hi, dk)
    if nmiss:
        print("mst_scipy: %d points outside Qhull's facets joined to their "
              "nearest vertex" % nmiss, file=sys.stderr)


if __name__ == "__main__":
    common.main_guard(run)
