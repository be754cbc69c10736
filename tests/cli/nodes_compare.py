"""nodes_compare.py: compares the node CSV of `cityweave network
--nodes-out` with the NetworkX fixture of the same graph
(tests/fixtures/make_centrality_networkx.py).

usage: nodes_compare.py NODES.csv tests/data/centrality_<graph>_nodes.csv
Exits 1 when a measure differs by more than 1e-9 (relative) or 1e-6 for
eigenvector centrality.
"""
import csv
import math
import sys

ours = {r["id"]: r for r in csv.DictReader(open(sys.argv[1], encoding="utf-8"))}
want = list(csv.DictReader(open(sys.argv[2], encoding="utf-8")))
bad = 0
for w in want:
    o = ours[w["name"]]
    for m in ("degree", "strength", "betweenness", "closeness", "harmonic", "eigenvector"):
        tol = 1e-6 if m == "eigenvector" else 1e-9
        if not math.isclose(float(o[m]), float(w[m]), rel_tol=tol, abs_tol=1e-12):
            print(f"{w['name']}: {m} = {o[m]}, NetworkX {w[m]}")
            bad += 1
print(f"{len(want)} nodes compared, {bad} differences")
sys.exit(1 if bad or len(ours) != len(want) else 0)
