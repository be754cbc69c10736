"""The Python half of bench/costdist.sh: makes the friction grid, cross-checks
the outputs and writes bench/COSTDIST_RESULTS.md (on stdout).

    costdist_report.py friction LANDCOVER.tif DIR KNIGHT   DIR/friction.f32, meta.txt
    costdist_report.py check WORKDIR CROSSCHECK.txt
    costdist_report.py report LOGDIR SIZE

SPDX-License-Identifier: MIT
"""
import os
import sys

import numpy as np

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from reportlib import Logs, print_crosschecks, print_setup, sh  # noqa: E402

# JAXA land cover v21.11 class -> walking speed, km/h (None: impassable).
# Rough hiking speeds: paths and streets in towns, field edges and levees
# in farmland, slower under forest, slowest through bamboo. The absolute
# values matter little here; their spread (1 to 5) sets the queue's bands.
SPEED = {
    1: None,   # water
    2: 5.0,    # urban
    3: 3.0,    # rice paddy
    4: 3.0,    # crop
    5: 4.0,    # grass
    6: 2.0,    # deciduous broad-leaf forest
    7: 2.0,    # deciduous needle-leaf forest
    8: 1.5,    # evergreen broad-leaf forest
    9: 1.5,    # evergreen needle-leaf forest
    10: 3.0,   # bare land
    11: 1.0,   # bamboo
    12: 2.0,   # solar panel
}
NAMES = ["no data", "water", "urban", "rice paddy", "crop", "grass", "DBF", "DNF",
         "EBF", "ENF", "bare", "bamboo", "solar"]
SOURCES, SEED = 10, 1


def friction(tif, d, knight):
    """Minutes per metre (60 / (1000 * km/h)); NaN impassable. Ten sources
    on urban cells drawn with a fixed seed. Prints the input's description."""
    from osgeo import gdal
    ds = gdal.Open(tif)
    lc = ds.GetRasterBand(1).ReadAsArray()
    cell = ds.GetGeoTransform()[1]
    table = np.full(256, np.nan, dtype=np.float32)
    for cls, v in SPEED.items():
        if v:
            table[cls] = 60.0 / (1000.0 * v)
    f = table[lc]
    urban = np.flatnonzero(lc.ravel() == 2)
    src = np.random.default_rng(SEED).choice(urban, size=SOURCES, replace=False)
    ny, nx = f.shape
    os.makedirs(d, exist_ok=True)
    f.astype("<f4").tofile(os.path.join(d, "friction.f32"))
    with open(os.path.join(d, "meta.txt"), "w") as fp:
        fp.write(f"{nx} {ny} {cell:.17g} {knight}\n")
        fp.write(" ".join(str(int(s)) for s in src) + "\n")
    counts = np.bincount(lc.ravel(), minlength=13)
    share = ", ".join(f"{NAMES[c]} {100 * counts[c] / lc.size:.1f}%"
                      for c in range(13) if counts[c])
    print(f"{nx:,} x {ny:,} cells of {cell:g} m ({nx * ny:,}); classes: {share}; "
          f"impassable {100 * np.isnan(f).mean():.1f}%; friction "
          f"{np.nanmin(f):.4f}..{np.nanmax(f):.4f} min/m")
    print("sources (row, col): " + ", ".join(f"({s // nx}, {s % nx})" for s in src))


def load(path, dtype, shape):
    return np.fromfile(path, dtype=dtype).reshape(shape)


def rel_diff(got, want):
    """Largest relative difference where both are finite; cells reachable
    in one only."""
    a, b = np.isfinite(got), np.isfinite(want)
    both = a & b
    d = np.abs(got[both] - want[both]) / np.maximum(np.abs(want[both]), 1e-300)
    return (float(d.max()) if d.size else 0.0), int((a != b).sum())


def check(w, out):
    with open(os.path.join(w, "cw8", "meta.txt")) as fp:
        nx, ny, cell = (lambda v: (int(v[0]), int(v[1]), float(v[2])))(fp.read().split())
    shape = (ny, nx)
    o = os.path.join(w, "out")
    rows = []

    def grass(name):
        g = load(os.path.join(o, name + ".f64"), "<f8", shape)
        near = load(os.path.join(o, name + "_near.i32"), "<i4", shape) - 1
        return np.where(g == -1, np.inf, g * cell), near   # per cell -> per metre

    def verdict(label, got, want, extra=""):
        worst, reach = rel_diff(got, want)
        ok = worst <= 1e-6 and reach == 0
        rows.append(f"{label}|{'OK' if ok else 'MISMATCH'}|largest relative difference "
                    f"{worst:.1e}, reachable in one only: {reach}{extra}")

    c8 = load(os.path.join(w, "cw8", "cost.f64"), "<f8", shape)
    o8 = load(os.path.join(w, "cw8", "origin.i32"), "<i4", shape)
    verdict("cityweave vs scikit-image MCP_Geometric (8)", c8,
            load(os.path.join(o, "sk8.f64"), "<f8", shape))
    for k, label in ((8, "r.cost"), (16, "r.cost -k")):
        c = c8 if k == 8 else load(os.path.join(w, "cw16", "cost.f64"), "<f8", shape)
        org = o8 if k == 8 else load(os.path.join(w, "cw16", "origin.i32"), "<i4", shape)
        g, near = grass(f"rc{k}")
        reach = org >= 0
        same = int((near[reach] == org[reach]).sum())
        verdict(f"cityweave vs GRASS {label} ({k})", c, g,
                f"; nearest source equal on {same:,} of {int(reach.sum()):,} cells "
                "(r.cost breaks exact ties by heap order)")
    c16 = load(os.path.join(w, "cw16", "cost.f64"), "<f8", shape)
    both = np.isfinite(c8) & (c8 > 0)
    r = c16[both] / c8[both]
    rows.append(f"cityweave 16 vs 8 neighbours|info|16-neighbour cost / 8-neighbour cost: "
                f"median {np.median(r):.4f}, min {r.min():.4f}, max {r.max():.4f}")
    with open(out, "a") as fp:
        fp.write("\n".join(rows) + "\n")


RUNS = [
    ("cw8", "cityweave `cw_costdist`", 8),
    ("sk8", "scikit-image `MCP_Geometric.find_costs`", 8),
    ("rcost8", "GRASS `r.cost` (session: import, r.cost, export)", 8),
    ("cw16", "cityweave `cw_costdist`, knight's moves", 16),
    ("rcost16", "GRASS `r.cost -k` (session: import, r.cost, export)", 16),
]


def rcost_alone(logs, name):
    """Median wall time and largest peak RSS (MiB) of r.cost itself."""
    with open(logs.file(name + ".time")) as fp:
        v = [line.split() for line in fp if line.strip()]
    return float(np.median([float(t) for t, _ in v])), max(int(m) for _, m in v) / 1024.0


def report(logdir, size):
    logs = Logs(logdir)
    p = print
    size = int(size)
    p(f"# cityweave cost-distance benchmark: {size:,} x {size:,} friction grid")
    p()
    p("Generated by `bench/costdist.sh` (its top comment says how the input is made "
      "and what is timed). Do not edit by hand.")
    p()
    inp = logs.text("input.txt").split("\n")
    p("- Input: JAXA land cover v21.11 (50 m) tiles N36E138 and N36E139, warped to UTM 54N "
      f"at 20 m (nearest neighbour), the middle {inp[0]}")
    p(f"- Ten {inp[1] if len(inp) > 1 else ''}")
    print_setup(logs, ", CFLAGS -O2 -g; timed through the peer mode of "
                "build/tests/test_costdist")
    p(f"- Peers: {logs.text('grass.version')}; {logs.text('skimage.version')}, "
      f"Python {sh('/usr/bin/python3', '-c', 'import platform; print(platform.python_version())')}")
    n = logs.timing("cw8")[3]
    p(f"- {sh('hyperfine', '--version')}; {n} runs each; wall time is the median; peak RSS "
      f"the largest `Maximum resident set size` of GNU time over the runs (the largest "
      f"process of the tree: r.cost for GRASS); whole run {logs.text('elapsed')} s")
    p(f"- Load average (1, 5, 15 min) before the timed runs {logs.text('load.before')}, after "
      f"{logs.text('load.after')}; other processes on the machine were not stopped")
    p("- Every tool runs on one core. Ratio = tool's median / cityweave's median with the "
      "same neighbours")
    p()
    p("| tool | neighbours | median s | min–max s | peak RSS MiB | ratio |")
    p("|---|---:|---:|---:|---:|---:|")
    base = {8: logs.timing("cw8")[0], 16: logs.timing("cw16")[0]}
    for name, label, k in RUNS:
        med, lo, hi, _ = logs.timing(name)
        p(f"| {label} | {k} | {med:.2f} | {lo:.2f}–{hi:.2f} | {logs.peak_mib(name):.0f} | "
          f"{med / base[k]:.2f} |")
        if name.startswith("rcost"):
            t, m = rcost_alone(logs, name)
            p(f"| … of which `r.cost{' -k' if k == 16 else ''}` itself | {k} | {t:.2f} | | "
              f"{m:.0f} | {t / base[k]:.2f} |")
    p()
    r_cost = rcost_alone(logs, "rcost8")[0] / base[8]
    r_sk = logs.timing("sk8")[0] / base[8]
    p(f"Targets: at least 3x faster than r.cost (r.cost alone / cityweave: {r_cost:.1f}x, "
      f"{'met' if r_cost >= 3 else 'NOT met'}); faster than MCP_Geometric "
      f"({r_sk:.1f}x, {'met' if r_sk > 1 else 'NOT met'}).")
    p()
    print_crosschecks(logs)
    p("## What each tool does")
    p()
    p("- All read the same raw float32 grid (`friction.f32`) and write float64 costs; "
      "cityweave also writes the allocation (`origin.i32`), r.cost its `nearest` map; "
      "scikit-image computes no allocation.")
    p("- Same cost rule: a rook or bishop move costs the mean friction of its two cells "
      "times its length. For knight's moves cityweave and r.cost -k both take the mean of "
      "the four cells the move crosses; scikit-image is not run with 16 neighbours "
      "because it would charge only the two end cells.")
    p("- r.cost gives costs per cell width (its factors are relative to the east-west "
      "resolution): the cross-checks multiply them by 20 m. It gets enough `memory=` to "
      "keep every segment in RAM. Its session time includes creating a throwaway XY "
      "location, `r.in.bin` and `r.out.bin`; the row below it is r.cost alone, timed "
      "inside the session with GNU time.")


def main():
    cmd = sys.argv[1]
    if cmd == "friction":
        friction(sys.argv[2], sys.argv[3], int(sys.argv[4]))
    elif cmd == "check":
        check(sys.argv[2], sys.argv[3])
    elif cmd == "report":
        report(sys.argv[2], sys.argv[3])
    else:
        sys.exit(__doc__)


if __name__ == "__main__":
    main()
