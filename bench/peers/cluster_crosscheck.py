"""Cross-checks for bench/cluster.sh (not timed).  Prints one line.

    cluster_crosscheck.py dbscan CW.csv SK.csv [EPS_KM]
        cityweave (id,...,lon,lat,cluster,role) against scikit-learn
        (id,cluster,core): core sets, noise sets and the partition of the
        core points (labels up to renaming) must be identical; exit 1
        otherwise.  A border point within EPS_KM (great circle) of core
        points of two clusters may go either way (sklearn: the first cluster
        to reach it, cityweave: its nearest core point); each border point
        labelled differently is checked to have core points of both labels
        within EPS_KM, else that is a failure too.
    cluster_crosscheck.py compare CW.csv PEER.csv
        cluster and noise counts of both, noise-set overlap and the adjusted
        Rand index (sklearn.metrics) of the two labellings; never fails.
    cluster_crosscheck.py partition A.csv B.csv
        the same noise set and the same partition of the rest, up to the
        numbering of the clusters; exit 1 otherwise.
    cluster_crosscheck.py counts FILE.csv
        clusters and noise of one labelling.

Every file: a header with id and cluster (-1 = noise).
"""
import csv
import sys
from collections import Counter

from sklearn.metrics import adjusted_rand_score


def read(path):
    with open(path, newline="", encoding="utf-8") as f:
        r = csv.reader(f)
        head = next(r)
        ci, cc = head.index("id"), head.index("cluster")
        cr = head.index("role") if "role" in head else None
        ck = head.index("core") if "core" in head else None
        cx = head.index("lon") if "lon" in head else None
        cy = head.index("lat") if "lat" in head else None
        lab, core = {}, {}
        pos = {}
        for row in r:
            i = row[ci]
            lab[i] = int(row[cc])
            if cx is not None:
                pos[i] = (float(row[cy]), float(row[cx]))
            if cr is not None:
                core[i] = row[cr] == "core"
            elif ck is not None:
                core[i] = row[ck] == "1"
    read.pos = pos
    return lab, core


def ncl(lab):
    return len(set(lab.values()) - {-1})


def nnoise(lab):
    return sum(1 for v in lab.values() if v == -1)


def sample(s, k=5):
    s = sorted(s, key=lambda x: (len(x), x))
    return ", ".join(s[:k]) + (" …" if len(s) > k else "")


def dbscan(a_path, b_path, eps_km):
    la, ca = read(a_path)
    pos = read.pos
    lb, cb = read(b_path)
    bad = []
    if set(la) != set(lb):
        print("id sets differ: %d only in A, %d only in B"
              % (len(set(la) - set(lb)), len(set(lb) - set(la))))
        return 1
    core_a = {i for i, c in ca.items() if c}
    core_b = {i for i, c in cb.items() if c}
    noise_a = {i for i, v in la.items() if v == -1}
    noise_b = {i for i, v in lb.items() if v == -1}
    if core_a != core_b:
        bad.append("core only in A: %d [%s], only in B: %d [%s]"
                   % (len(core_a - core_b), sample(core_a - core_b),
                      len(core_b - core_a), sample(core_b - core_a)))
    if noise_a != noise_b:
        bad.append("noise only in A: %d [%s], only in B: %d [%s]"
                   % (len(noise_a - noise_b), sample(noise_a - noise_b),
                      len(noise_b - noise_a), sample(noise_b - noise_a)))
    # Partition of the common core points: a bijection between labels.
    common = core_a & core_b
    pairs = Counter((la[i], lb[i]) for i in common)
    fa, fb = {}, {}
    split = 0
    for (x, y), n in pairs.items():
        if fa.setdefault(x, y) != y or fb.setdefault(y, x) != x:
            split += n
    if split:
        bad.append("core partition differs (%d core points in split or "
                   "merged clusters)" % split)
    # Border points: same cluster under the core mapping?
    border = [i for i in la if i not in core_a and la[i] != -1
              and lb[i] != -1]
    moved = [i for i in border if fa.get(la[i]) != lb[i]]
    unexplained = []
    if moved:
        import numpy as np
        from sklearn.neighbors import BallTree
        cores = sorted(common)
        tree = BallTree(np.radians([pos[i] for i in cores]),
                        metric="haversine")
        near = tree.query_radius(np.radians([pos[i] for i in moved]),
                                 r=eps_km / 6371.0088)
        for i, nb in zip(moved, near):
            labs = {la[cores[k]] for k in nb}
            want = {x for x, y in fa.items() if y == lb[i]}
            if la[i] not in labs or not (labs & want):
                unexplained.append(i)
    if unexplained:
        bad.append("%d border points labelled apart without core points of "
                   "both clusters within eps [%s]"
                   % (len(unexplained), sample(unexplained)))
    summary = ("%d clusters / %d core / %d border / %d noise vs %d / %d / "
               "%d / %d; core partition %s; %d of %d border points in the "
               "other cluster, each within eps of core points of both"
               % (ncl(la), len(core_a), len(la) - len(core_a) - len(noise_a),
                  len(noise_a), ncl(lb), len(core_b),
                  len(lb) - len(core_b) - len(noise_b), len(noise_b),
                  "identical" if not split else "DIFFERS", len(moved),
                  len(border)))
    if bad:
        print(summary + "; " + "; ".join(bad))
        return 1
    print("core and noise sets identical; " + summary)
    return 0


def compare(a_path, b_path):
    la, _ = read(a_path)
    lb, _ = read(b_path)
    ids = sorted(set(la) & set(lb))
    na = {i for i in ids if la[i] == -1}
    nb = {i for i in ids if lb[i] == -1}
    ari = adjusted_rand_score([la[i] for i in ids], [lb[i] for i in ids])
    print("%d vs %d clusters, %d vs %d noise (%d noise in both); "
          "adjusted Rand index %.4f"
          % (ncl(la), ncl(lb), len(na), len(nb), len(na & nb), ari))
    return 0


def partition(a_path, b_path):
    la, _ = read(a_path)
    lb, _ = read(b_path)
    if set(la) != set(lb):
        print("id sets differ")
        return 1
    na = {i for i, v in la.items() if v == -1}
    nb = {i for i, v in lb.items() if v == -1}
    fa, fb = {}, {}
    split = set()
    for i in la:
        x, y = la[i], lb[i]
        if x == -1 or y == -1:
            continue
        if fa.setdefault(x, y) != y or fb.setdefault(y, x) != x:
            split.add(i)
    same = sum(1 for x, y in fa.items() if fb.get(y) == x)
    msg = ("%d vs %d clusters, %d vs %d noise"
           % (ncl(la), ncl(lb), len(na), len(nb)))
    if na == nb and not split and ncl(la) == ncl(lb):
        print("identical partitions: " + msg)
        return 0
    print("%s; noise only in A: %d [%s], only in B: %d [%s]; %d points in "
          "split or merged clusters; %d clusters paired one to one (noise aside)"
          % (msg, len(na - nb), sample(na - nb), len(nb - na),
             sample(nb - na), len(split), same))
    return 1


def counts(path):
    la, _ = read(path)
    print("%d clusters, %d noise" % (ncl(la), nnoise(la)))
    return 0


def main():
    cmd = sys.argv[1] if len(sys.argv) > 1 else ""
    if cmd == "dbscan" and len(sys.argv) in (4, 5):
        return dbscan(sys.argv[2], sys.argv[3],
                      float(sys.argv[4]) if len(sys.argv) == 5 else 50.0)
    if cmd == "compare" and len(sys.argv) == 4:
        return compare(sys.argv[2], sys.argv[3])
    if cmd == "partition" and len(sys.argv) == 4:
        return partition(sys.argv[2], sys.argv[3])
    if cmd == "counts" and len(sys.argv) == 3:
        return counts(sys.argv[2])
    sys.exit(__doc__)


sys.exit(main())
