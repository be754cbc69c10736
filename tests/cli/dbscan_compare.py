"""dbscan_compare.py: compares the roles `cityweave cluster --method dbscan`
wrote (CSV, input order) with a scikit-learn fixture of the same points
(tests/fixtures/make_dbscan_sklearn.py: one role a line, c/b/n).

usage: dbscan_compare.py CLUSTERED.csv tests/data/dbscan_<case>.csv
"""
import csv
import sys

ours = [r["role"][0] for r in csv.DictReader(open(sys.argv[1], encoding="utf-8"))]
want = [r["role"] for r in csv.DictReader(open(sys.argv[2], encoding="utf-8"))]
diff = sum(a != b for a, b in zip(ours, want))
print(f"{len(want)} points: {want.count('c')} core, {want.count('b')} border, "
      f"{want.count('n')} noise in scikit-learn; {diff} roles differ")
sys.exit(0 if len(ours) == len(want) and diff == 0 else 1)
