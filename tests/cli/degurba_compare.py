"""degurba_compare.py: compares two Degree of Urbanisation class grids (a
reference from degurba_ref.py and the grid under test), and optionally their
urban-centre tables.

usage: degurba_compare.py REF.tif TEST.tif [--ref-centres REF.csv
                          --test-centres TEST.csv] [--tolerance 0.01]

Grids: prints, for every (ref class, test class) pair that differs, how many
cells; then the agreement.  Fails (exit 1) if any cell differs, or if the
grids are not the same size and geotransform.

Centres (CSV with id,cells,pop): the CSVs hold no cell sets and ids are
arbitrary, so centres are matched BY POPULATION: a one-to-one assignment
(scipy linear_sum_assignment) minimising the sum of relative population
differences.  When the two tables agree this is simply matching by rank; when
they do not, it keeps two centres that swapped ranks from both failing.
Prints each pair (in ref rank order): pop ref, pop test, relative
difference, and the two cell counts.  Fails if the numbers of centres differ
or any pair's population differs by more than the tolerance (1 %).  A
cell-count difference alone is reported, not failed: the grids already fail
on any cell difference.
"""
import argparse
import csv
import sys

import numpy as np
from osgeo import gdal
from scipy.optimize import linear_sum_assignment


def read(path):
    ds = gdal.Open(path)
    if ds is None:
        sys.exit(f"degurba_compare: cannot open {path}")
    b = ds.GetRasterBand(1)
    return ds, b.ReadAsArray(), b.GetNoDataValue()


def centres(path):
    rows = []
    with open(path, encoding="utf-8") as f:
        for r in csv.DictReader(f):
            rows.append((r["id"], int(r["cells"]), float(r["pop"])))
    rows.sort(key=lambda t: -t[2])
    return rows


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("ref")
    ap.add_argument("test")
    ap.add_argument("--ref-centres")
    ap.add_argument("--test-centres")
    ap.add_argument("--tolerance", type=float, default=0.01)
    a = ap.parse_args()
    if bool(a.ref_centres) != bool(a.test_centres):
        ap.error("--ref-centres and --test-centres go together")

    ok = True
    rds, ref, rnd = read(a.ref)
    tds, test, tnd = read(a.test)
    if ref.shape != test.shape:
        print(f"grid size differs: ref {ref.shape[1]}x{ref.shape[0]}, "
              f"test {test.shape[1]}x{test.shape[0]}")
        sys.exit(1)
    rgt, tgt = rds.GetGeoTransform(), tds.GetGeoTransform()
    if any(abs(x - y) > 1e-6 for x, y in zip(rgt, tgt)):
        print(f"geotransform differs: ref {rgt}, test {tgt}")
        ok = False
    if rnd != tnd:
        print(f"nodata value differs: ref {rnd}, test {tnd}")

    diff = ref != test
    nd = int(diff.sum())
    if nd:
        pairs, counts = np.unique(np.stack([ref[diff], test[diff]]), axis=1,
                                  return_counts=True)
        print("ref class -> test class: cells")
        for (r, t), n in sorted(zip(pairs.T.tolist(), counts.tolist())):
            print(f"  {r} -> {t}: {n}")
        ok = False
    classes = sorted(set(np.unique(ref).tolist()) | set(np.unique(test).tolist()))
    print("cells per class (ref/test): " + ", ".join(
        f"{c}: {int((ref == c).sum())}/{int((test == c).sum())}" for c in classes))
    total = ref.size
    print(f"{total - nd} of {total} cells agree ({100.0 * (total - nd) / total:.3f} %), "
          f"{nd} differ")

    if a.ref_centres:
        rc, tc = centres(a.ref_centres), centres(a.test_centres)
        print(f"urban centres: {len(rc)} in ref, {len(tc)} in test "
              "(matched by population)")
        if len(rc) != len(tc):
            ok = False
        cost = np.array([[abs(t[2] - r[2]) / max(r[2], 1e-9) for t in tc] for r in rc])
        match = {}
        if len(rc) and len(tc):
            ri, ti = linear_sum_assignment(cost)
            match = dict(zip(ri.tolist(), ti.tolist()))
        print("rank  pop_ref  pop_test  rel_diff  cells_ref  cells_test")
        for k, r in enumerate(rc):
            if k not in match:
                print(f"{k + 1:4d}  {r[2]:.1f}  only in ref ({r[1]} cells)  FAIL")
                ok = False
                continue
            t = tc[match[k]]
            rel = cost[k, match[k]]
            flag = "" if rel <= a.tolerance else "  FAIL"
            if flag:
                ok = False
            print(f"{k + 1:4d}  {r[2]:.1f}  {t[2]:.1f}  {rel:.5f}  {r[1]}  {t[1]}{flag}")
        for j in sorted(set(range(len(tc))) - set(match.values())):
            print(f"   -  only in test: {tc[j][2]:.1f} ({tc[j][1]} cells)  FAIL")
            ok = False

    sys.exit(0 if ok else 1)


if __name__ == "__main__":
    main()
