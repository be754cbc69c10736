#!/usr/bin/python3
"""patchconn_ref.py: the NetworkX oracle for tests/unit/test_patchconn.c.
SPDX-License-Identifier: MIT

Writes tests/data/patchconn_networkx.txt: a few random patch graphs with
their IIC, PC, EC and every patch's dPC (and its intra, flux and connector
fractions), computed from the definitions of Pascual-Hortal & Saura (2006),
Saura & Pascual-Hortal (2007) and Saura & Rubio (2010) with NetworkX 2.8,
independently of the C code:

  - nl_ij: nx.all_pairs_shortest_path_length (hops), IIC = sum a_i a_j /
    (1 + nl_ij) / A_L^2 over reachable ordered pairs, i = j included;
  - p*_ij, the maximum product probability: nx.all_pairs_dijkstra_path_length
    with weight -log(p_ij), p_ij = P^(d_ij / dispersal), so p*_ij =
    exp(-length) (checked against brute-force enumeration of all simple paths
    on the first graph);
  - dPC_k: by removing patch k (G.remove_node) and recomputing every p*,
    100 * (S - S_-k) / S with S = sum a_i a_j p*_ij; the difference is summed
    term by term with math.fsum, so it is exactly rounded even for a patch
    whose dPC is tiny. intra = 100 a_k^2 / S, flux = 100 * 2 a_k
    sum_{j != k} a_j p*_kj / S, connector = 100 * sum_{i,j != k} a_i a_j
    (p*_ij - p*_ij without k) / S.

Run from the repository root:  /usr/bin/python3 tests/unit/patchconn_ref.py

File format (text, one record per line, floats as Python repr so strtod
reads back the exact doubles):
  graph NAME N M LANDSCAPE_M2 DISPERSAL_M P
  result IIC PC EC
  patch I AREA DPC INTRA FLUX CONNECTOR      (N lines, I = 0..N-1)
  link A B DIST                              (M lines)
  end
"""
import math
import random
import sys

import networkx as nx

OUT = "tests/data/patchconn_networkx.txt"


def discs(rng, n, side, rmin, rmax):
    """n random discs (x, y, r) in a square of side `side` metres."""
    return [(rng.uniform(0, side), rng.uniform(0, side), rng.uniform(rmin, rmax))
            for _ in range(n)]


def disc_links(pts, dispersal):
    """Edge-to-edge distances between discs, 0 where they overlap, kept
    when at most `dispersal`."""
    links = []
    for i in range(len(pts)):
        for j in range(i + 1, len(pts)):
            (xi, yi, ri), (xj, yj, rj) = pts[i], pts[j]
            d = max(0.0, math.hypot(xi - xj, yi - yj) - ri - rj)
            if d <= dispersal:
                links.append((i, j, d))
    return links


def pstar(G, P, dispersal):
    """{i: {j: p*_ij}} for reachable pairs, by max product probability."""
    for a, b, data in G.edges(data=True):
        data["cost"] = -(data["dist"] / dispersal) * math.log(P)
    return {i: {j: math.exp(-c) for j, c in row.items()}
            for i, row in nx.all_pairs_dijkstra_path_length(G, weight="cost")}


def check_pstar_by_paths(G, P, dispersal, ps):
    """p* equals the best product over every simple path (small graphs)."""
    for i in G:
        for j in G:
            if i == j:
                continue
            best = 0.0
            for path in nx.all_simple_paths(G, i, j):
                prod = 1.0
                for u, v in zip(path, path[1:]):
                    prod *= P ** (G[u][v]["dist"] / dispersal)
                best = max(best, prod)
            got = ps[i].get(j, 0.0)
            assert abs(got - best) <= 1e-12 * max(best, 1e-300), (i, j, got, best)


def solve(n, area, links, landscape, dispersal, P, check_paths=False):
    G = nx.Graph()
    G.add_nodes_from(range(n))
    for a, b, d in links:
        # a parallel link keeps the shortest distance
        if not G.has_edge(a, b) or G[a][b]["dist"] > d:
            G.add_edge(a, b, dist=d)
    hops = dict(nx.all_pairs_shortest_path_length(G))
    iic = math.fsum(area[i] * area[j] / (1 + h)
                    for i, row in hops.items() for j, h in row.items())
    ps = pstar(G, P, dispersal)
    if check_paths:
        check_pstar_by_paths(G, P, dispersal, ps)
    terms = {(i, j): area[i] * area[j] * p for i, row in ps.items() for j, p in row.items()}
    S = math.fsum(terms.values())
    patches = []
    for k in range(n):
        H = G.copy()
        H.remove_node(k)
        ps_k = pstar(H, P, dispersal)
        lost = [t for (i, j), t in terms.items() if i == k or j == k]
        diff = [t for (i, j), t in terms.items() if i != k and j != k]
        diff += [-area[i] * area[j] * p for i, row in ps_k.items() for j, p in row.items()]
        if S > 0:
            dpc = 100 * math.fsum(lost + diff) / S
            intra = 100 * area[k] * area[k] / S
            flux = 100 * math.fsum(t for (i, j), t in terms.items()
                                   if (i == k) != (j == k)) / S
            conn = 100 * math.fsum(diff) / S
        else:
            dpc = intra = flux = conn = 0.0
        patches.append((area[k], dpc, intra, flux, conn))
    L2 = landscape * landscape
    return (iic / L2, S / L2, math.sqrt(S)), patches


def lattice(rows, cols, step):
    """A grid of equal squares `step` apart: many equal-length paths; some
    neighbours touch (distance 0), a few diagonals."""
    rng = random.Random(11)
    n = rows * cols
    area = [rng.choice([0.0, 400.0, 900.0, 2500.0]) for _ in range(n)]
    links = []
    for r in range(rows):
        for c in range(cols):
            i = r * cols + c
            if c + 1 < cols:
                links.append((i, i + 1, 0.0 if rng.random() < 0.1 else step))
            if r + 1 < rows:
                links.append((i, i + cols, 0.0 if rng.random() < 0.1 else step))
            if r + 1 < rows and c + 1 < cols and rng.random() < 0.15:
                links.append((i, i + cols + 1, 2 * step))
    return n, area, links


def random_graph(seed, n, side, rmin, rmax, dispersal):
    rng = random.Random(seed)
    pts = discs(rng, n, side, rmin, rmax)
    area = [math.pi * r * r for _, _, r in pts]
    return n, area, disc_links(pts, dispersal)


def graphs():
    """(name, n, area, links, landscape, dispersal, P, check_paths)"""
    n, area, links = random_graph(1, 12, 1500.0, 20.0, 120.0, 400.0)
    yield "small12", n, area, links, 1500.0 ** 2, 400.0, 0.5, True
    n, area, links = random_graph(2, 60, 3000.0, 10.0, 80.0, 300.0)
    yield "rgg60", n, area, links, 3000.0 ** 2, 300.0, 0.5, False
    n, area, links = random_graph(3, 150, 5000.0, 10.0, 60.0, 350.0)
    yield "rgg150_p03", n, area, links, 5000.0 ** 2, 350.0, 0.3, False
    n, area, links = random_graph(4, 300, 10000.0, 5.0, 90.0, 500.0)
    # links in a shuffled order, some reversed, one duplicated longer
    rng = random.Random(4)
    rng.shuffle(links)
    links = [(b, a, d) if rng.random() < 0.5 else (a, b, d) for a, b, d in links]
    a, b, d = links[0]
    links.append((a, b, (d + 500.0) / 2))
    yield "rgg300_shuffled", n, area, links, 1.2e8, 500.0, 0.5, False
    n, area, links = lattice(8, 10, 100.0)
    yield "lattice80_ties", n, area, links, 1e6, 200.0, 0.5, False


def fmt(x):
    return repr(float(x))


def main():
    with open(OUT, "w") as f:
        for name, n, area, links, landscape, dispersal, P, check in graphs():
            (iic, pc, ec), patches = solve(n, area, links, landscape, dispersal, P, check)
            f.write("graph %s %d %d %s %s %s\n" % (name, n, len(links), fmt(landscape),
                                                   fmt(dispersal), fmt(P)))
            f.write("result %s %s %s\n" % (fmt(iic), fmt(pc), fmt(ec)))
            for k, row in enumerate(patches):
                f.write("patch %d %s\n" % (k, " ".join(fmt(x) for x in row)))
            for a, b, d in links:
                f.write("link %d %d %s\n" % (a, b, fmt(d)))
            f.write("end\n")
            print("%s: %d patches, %d links, IIC %.6g PC %.6g" % (name, n, len(links), iic, pc),
                  file=sys.stderr)


if __name__ == "__main__":
    main()
