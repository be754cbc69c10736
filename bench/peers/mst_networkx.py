"""MST peer: networkx.minimum_spanning_tree (Kruskal) over the same SciPy
spherical Delaunay graph as mst_scipy.py.  No target; it shows what the
pure-Python graph library costs on the same task.
"""
import os
import sys

import networkx as nx
import numpy as np

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import common  # noqa: E402
import delaunay_sphere as ds  # noqa: E402


def run(src, dst):
    ids, lon, lat = common.read_cities(src)
    u, v, w, rep, inverse, _ = ds.delaunay_edges(lon, lat)
    a, b = ds.coincident_edges(rep, inverse)
    g = nx.Graph()
    g.add_nodes_from(range(ids.size))
    g.add_weighted_edges_from(zip(rep[u].tolist(), rep[v].tolist(),
                                  w.tolist()))
    g.add_weighted_edges_from(zip(a.tolist(), b.tolist(), [0.0] * a.size))
    t = nx.minimum_spanning_tree(g, algorithm="kruskal")
    e = np.array([(x, y, d) for x, y, d in t.edges(data="weight")])
    i, j = e[:, 0].astype(np.int64), e[:, 1].astype(np.int64)
    lo, hi, dk = common.undirected(ids, i, j, e[:, 2])
    common.write_edges(dst, lo, hi, dk)


if __name__ == "__main__":
    common.main_guard(run)
