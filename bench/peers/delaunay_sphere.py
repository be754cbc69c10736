"""Spherical Delaunay graph with SciPy, shared by the MST peers.

The convex hull of the cities' unit vectors (Qhull through
scipy.spatial.ConvexHull) is their spherical Delaunay triangulation.  Qhull
keeps one of several coincident points, so the hull is built on the distinct
coordinates; a point Qhull still leaves out of every facet (nearly coincident
with a kept one) is joined to its nearest hull vertex, and coincident cities
are joined at distance 0 afterwards, as cityweave --mst does.
"""
import numpy as np
from scipy.spatial import ConvexHull, cKDTree

import common


def unit_vectors(lon, lat):
    lo, la = np.radians(lon), np.radians(lat)
    c = np.cos(la)
    return np.column_stack([c * np.cos(lo), c * np.sin(lo), np.sin(la)])


def great_circle_km(lon, lat, i, j):
    """Haversine distance, as scikit-learn's haversine metric."""
    lo, la = np.radians(lon), np.radians(lat)
    s = (np.sin((la[j] - la[i]) / 2) ** 2
         + np.cos(la[i]) * np.cos(la[j]) * np.sin((lo[j] - lo[i]) / 2) ** 2)
    return 2 * common.R_KM * np.arcsin(np.sqrt(np.minimum(s, 1.0)))


def delaunay_edges(lon, lat):
    """Return (u, v, w) over distinct-point indices, plus (rep, inverse):
    rep[k] is a city index of distinct point k, inverse[c] its point."""
    xy = np.column_stack([lon, lat])
    _, rep, inverse = np.unique(xy, axis=0, return_index=True,
                                return_inverse=True)
    inverse = inverse.ravel()
    ulon, ulat = lon[rep], lat[rep]
    P = unit_vectors(ulon, ulat)
    hull = ConvexHull(P)
    s = hull.simplices
    e = np.vstack([s[:, [0, 1]], s[:, [1, 2]], s[:, [2, 0]]])
    e.sort(axis=1)
    e = np.unique(e, axis=0)
    u, v = e[:, 0], e[:, 1]
    missing = np.setdiff1d(np.arange(P.shape[0]), hull.vertices)
    if missing.size:
        verts = hull.vertices
        _, nn = cKDTree(P[verts]).query(P[missing])
        u = np.concatenate([u, missing])
        v = np.concatenate([v, verts[nn]])
    w = great_circle_km(ulon, ulat, u, v)
    return u, v, w, rep, inverse, missing.size


def coincident_edges(rep, inverse):
    """City index pairs (a, b) joining each duplicate to its point's
    representative city, at distance 0."""
    n = inverse.size
    c = np.arange(n)
    dup = rep[inverse] != c
    return rep[inverse[dup]], c[dup]
