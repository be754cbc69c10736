#!/usr/bin/python3
"""costdist_peer.py: cityweave's cost distance beside scikit-image and GRASS.

    costdist_peer.py make DIR [--size N] [--seed S] [--sources K] [--cell C]
                     [--low L] [--high H] [--impassable P] [--zeros P] [--knight]
    costdist_peer.py skimage DIR      compare DIR/cost.f64, origin.i32 with MCP_Geometric
    costdist_peer.py grass DIR        compare them with GRASS r.cost (-k with --knight)
    costdist_peer.py run-skimage DIR OUT.f64            MCP_Geometric alone (bench)
    costdist_peer.py run-grass DIR OUT.f64 NEAR.i32     r.cost alone (bench)

`make` writes the input of test_costdist's peer mode (CW_COSTDIST_PEER_DIR):
DIR/friction.f32, raw little-endian float32 row-major from the top row (NaN:
impassable), and DIR/meta.txt, "nx ny cellsize knight" then the source cells
(row * nx + col). The unit-test binary then writes DIR/cost.f64 (NaN:
unreachable) and DIR/origin.i32 (index into the sources, -1 unreachable).

Each comparison prints one line and exits 1 on a disagreement.

scikit-image: MCP_Geometric(costs, fully_connected=True).find_costs(starts)
charges a move (costs[a] + costs[b]) / 2 * length, length 1 or sqrt(2) in
cells (skimage/graph/_mcp.pyx, MCP_Geometric._travel_cost; the start cell
costs nothing, use_start_cost = 0): cityweave's rule, so with `sampling` =
the cell size the costs must agree to rounding (1e-6 relative is asked; the
sums are the same, so far less is seen). It skips cells of infinite cost:
NaN becomes inf for it. It has no allocation: the origins are checked
against one find_costs per source, each cell's origin being a source whose
own cost there is the least, the first such where several tie within
1e-12. scikit-image's 16-neighbour mode would charge a knight's move its
two end cells only, not the four it crosses, so it is compared with 8.

GRASS r.cost (raster/r.cost/main.c) charges rook and bishop moves the same
rule and a knight's move (-k) the mean of the four cells it crosses times
its length, as cityweave does. Its costs are per cell of east-west
resolution (EW_fac = 1 / 2, NS_fac = ns_res / ew_res / 2, ...): they are
multiplied by the cell size here. Impassable cells are GRASS nulls. Its
`nearest` map gives the allocation; r.cost breaks exact ties by heap order,
so only cells whose best two sources differ by more than 1e-9 relative are
required to agree.
"""
import argparse
import os
import subprocess
import sys
import tempfile

import numpy as np


def load(d):
    with open(os.path.join(d, "meta.txt")) as fp:
        words = fp.read().split()
    nx, ny, cell, knight = int(words[0]), int(words[1]), float(words[2]), int(words[3])
    src = [int(w) for w in words[4:]]
    f = np.fromfile(os.path.join(d, "friction.f32"), dtype="<f4").reshape(ny, nx)
    return f, cell, knight, src


def load_result(d, ny, nx):
    cost = np.fromfile(os.path.join(d, "cost.f64"), dtype="<f8").reshape(ny, nx)
    origin = np.fromfile(os.path.join(d, "origin.i32"), dtype="<i4").reshape(ny, nx)
    return cost, origin


def make(a):
    rng = np.random.default_rng(a.seed)
    n = a.size
    f = rng.uniform(a.low, a.high, (n, n)).astype("<f4")
    if a.impassable:
        f[rng.random((n, n)) < a.impassable] = np.nan
    if a.zeros:
        f[rng.random((n, n)) < a.zeros] = 0
    open_cells = np.flatnonzero(~np.isnan(f))
    src = rng.choice(open_cells, size=a.sources, replace=False)
    os.makedirs(a.dir, exist_ok=True)
    f.tofile(os.path.join(a.dir, "friction.f32"))
    with open(os.path.join(a.dir, "meta.txt"), "w") as fp:
        fp.write(f"{n} {n} {a.cell:.17g} {int(a.knight)}\n")
        fp.write(" ".join(str(int(s)) for s in src) + "\n")


def mcp_costs(f, cell, starts):
    from skimage.graph import MCP_Geometric
    costs = np.where(np.isnan(f), np.inf, f.astype(np.float64))
    m = MCP_Geometric(costs, fully_connected=True, sampling=(cell, cell))
    return m.find_costs(starts)[0]


def rel_diff(got, want):
    """Largest relative difference where both are finite, and the number of
    cells reachable in one and not the other (ours NaN, theirs inf)."""
    reach_got, reach_want = np.isfinite(got), np.isfinite(want)
    both = reach_got & reach_want
    d = np.abs(got[both] - want[both]) / np.maximum(np.abs(want[both]), 1e-300)
    d[want[both] == 0] = np.abs(got[both][want[both] == 0])
    return (d.max() if d.size else 0.0), int((reach_got != reach_want).sum())


def check_origins(origin, per_source, tie):
    """Cells whose origin is not a cheapest source (within `tie` relative),
    cells with a unique cheapest source (margin above `tie`) that differ,
    and the number of ties."""
    best = per_source.min(axis=0)
    reach = np.isfinite(best)
    if ((origin >= 0) != reach).any():
        return -1, -1, 0
    mine = np.take_along_axis(per_source, np.clip(origin, 0, None)[None], axis=0)[0]
    slack = tie * np.maximum(best, 1e-300)
    not_cheapest = int((reach & (mine > best + slack)).sum())
    near = (per_source <= best + slack).sum(axis=0)
    unique = reach & (near == 1)
    argmin = per_source.argmin(axis=0)
    wrong = int((unique & (origin != argmin)).sum())
    return not_cheapest, wrong, int((reach & (near > 1)).sum())


def compare_skimage(a):
    f, cell, knight, src = load(a.dir)
    ny, nx = f.shape
    if knight:
        print("skimage: 16 neighbours are not comparable (see the top comment)")
        return 1
    cost, origin = load_result(a.dir, ny, nx)
    starts = [divmod(s, nx) for s in src]
    want = mcp_costs(f, cell, starts)
    worst, reach = rel_diff(cost, want)
    per = np.stack([mcp_costs(f, cell, [s]) for s in starts])
    not_cheapest, wrong, ties = check_origins(origin, per, 1e-12)
    ok = worst <= a.tol and reach == 0 and not_cheapest == 0 and wrong == 0
    print(f"{nx}x{ny}, {len(src)} sources, {int(np.isnan(f).sum())} impassable: cost max "
          f"relative difference {worst:.2e} (tolerance {a.tol:g}), reachability differs at "
          f"{reach}; origin not a cheapest source at {not_cheapest}, unique cheapest "
          f"differs at {wrong}, ties {ties}: {'OK' if ok else 'MISMATCH'}")
    return 0 if ok else 1


def run_skimage(a):
    f, cell, knight, src = load(a.dir)
    nx = f.shape[1]
    mcp_costs(f, cell, [divmod(s, nx) for s in src]).tofile(a.out)
    return 0


GRASS_JOB = """set -e
g.region n={n} s=0 e={e} w=0 rows={ny} cols={nx}
r.in.bin -f input={tmp}/fr.f32 output=fr bytes=4 order=little north={n} south=0 \
east={e} west=0 rows={ny} cols={nx} anull=-9999 --quiet
/usr/bin/time -f "%e %M" -o {tmp}/rcost.time r.cost {k} input=fr output=cost nearest=near \
start_coordinates={coords} memory={mem} --quiet
r.out.bin -f input=cost output={out} bytes=8 order=little null=-1 --quiet
r.out.bin -i input=near output={near} bytes=4 order=little null=0 --quiet
"""


def grass(d, out, near):
    """One GRASS session in a throwaway XY location: import, r.cost, export.
    Appends r.cost's own wall time (s) and peak RSS (kB) to DIR/rcost.time."""
    f, cell, knight, src = load(d)
    ny, nx = f.shape
    tmp = tempfile.mkdtemp(prefix="cityweave-costdist-grass.")
    try:
        np.where(np.isnan(f), np.float32(-9999), f).astype("<f4").tofile(f"{tmp}/fr.f32")
        coords = ",".join(f"{(s % nx + 0.5) * cell!r},{(ny - s // nx - 0.5) * cell!r}" for s in src)
        mem = max(300, nx * ny * 40 // 2**20)     # r.cost: 24 B a cell, plus its heap
        with open(f"{tmp}/job.sh", "w") as fp:
            fp.write(GRASS_JOB.format(n=ny * cell, e=nx * cell, ny=ny, nx=nx, tmp=tmp,
                                      k="-k" if knight else "", coords=coords, mem=mem,
                                      out=os.path.abspath(out), near=os.path.abspath(near)))
        env = dict(os.environ, HOME=tmp)
        r = subprocess.run(["grass", "--tmp-location", "XY", "--exec", "sh", f"{tmp}/job.sh"],
                           env=env, capture_output=True, text=True)
        if r.returncode != 0:
            sys.stderr.write(r.stdout + r.stderr)
            return 1
        with open(f"{tmp}/rcost.time") as src, open(os.path.join(d, "rcost.time"), "a") as dst:
            dst.write(src.read())
        return 0
    finally:
        subprocess.run(["rm", "-rf", tmp])


def run_grass(a):
    return grass(a.dir, a.out, a.near)


def compare_grass(a):
    f, cell, knight, src = load(a.dir)
    ny, nx = f.shape
    out, near = os.path.join(a.dir, "grass_cost.f64"), os.path.join(a.dir, "grass_near.i32")
    if grass(a.dir, out, near):
        print("r.cost failed")
        return 1
    cost, origin = load_result(a.dir, ny, nx)
    g = np.fromfile(out, dtype="<f8").reshape(ny, nx)
    g = np.where(g == -1, np.inf, g * cell)          # per cell -> per metre * metres
    gnear = np.fromfile(near, dtype="<i4").reshape(ny, nx) - 1
    worst, reach = rel_diff(cost, g)
    # Exact ties decide r.cost's allocation by heap order: compare where
    # cityweave's runner-up is clearly dearer (cost from each source alone).
    per = np.stack([single(a.dir, f, cell, knight, s) for s in src])
    best = per.min(axis=0)
    near_count = (per <= best + 1e-9 * np.maximum(best, 1e-300)).sum(axis=0)
    clear = np.isfinite(best) & (near_count == 1)
    differ = int((clear & (gnear != origin)).sum())
    ok = worst <= a.tol and reach == 0 and differ == 0
    print(f"{nx}x{ny}, {len(src)} sources, {16 if knight else 8} neighbours: r.cost cost max "
          f"relative difference {worst:.2e} (tolerance {a.tol:g}), reachability differs at "
          f"{reach}; nearest differs at {differ} of {int(clear.sum())} cells without a tie: "
          f"{'OK' if ok else 'MISMATCH'}")
    return 0 if ok else 1


def single(d, f, cell, knight, s):
    """cityweave's cost from source s alone, by the unit-test binary."""
    sub = tempfile.mkdtemp(prefix="cityweave-costdist-one.")
    try:
        f.tofile(os.path.join(sub, "friction.f32"))
        ny, nx = f.shape
        with open(os.path.join(sub, "meta.txt"), "w") as fp:
            fp.write(f"{nx} {ny} {cell!r} {knight}\n{s}\n")
        subprocess.run([os.environ["CW_COSTDIST_BIN"]], check=True, capture_output=True,
                       env=dict(os.environ, CW_COSTDIST_PEER_DIR=sub))
        return np.fromfile(os.path.join(sub, "cost.f64"), dtype="<f8").reshape(ny, nx)
    finally:
        subprocess.run(["rm", "-rf", sub])


def main():
    p = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    sub = p.add_subparsers(dest="cmd", required=True)
    m = sub.add_parser("make")
    m.add_argument("dir")
    m.add_argument("--size", type=int, default=300)
    m.add_argument("--seed", type=int, default=1)
    m.add_argument("--sources", type=int, default=3)
    m.add_argument("--cell", type=float, default=1.0)
    m.add_argument("--low", type=float, default=0.5)
    m.add_argument("--high", type=float, default=5.0)
    m.add_argument("--impassable", type=float, default=0.0)
    m.add_argument("--zeros", type=float, default=0.0)
    m.add_argument("--knight", action="store_true")
    for name in ("skimage", "grass"):
        c = sub.add_parser(name)
        c.add_argument("dir")
        c.add_argument("--tol", type=float, default=1e-6)
    r = sub.add_parser("run-skimage")
    r.add_argument("dir")
    r.add_argument("out")
    r = sub.add_parser("run-grass")
    r.add_argument("dir")
    r.add_argument("out")
    r.add_argument("near")
    a = p.parse_args()
    return {"make": make, "skimage": compare_skimage, "grass": compare_grass,
            "run-skimage": run_skimage, "run-grass": run_grass}[a.cmd](a) or 0


if __name__ == "__main__":
    sys.exit(main())
