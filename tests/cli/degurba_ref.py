"""degurba_ref.py: an independent reference implementation (Python, GDAL,
NumPy, SciPy) of the Degree of Urbanisation grid classification, used as a
test oracle for `cityweave`'s DEGURBA code.  It was written from the rules
alone (UN Statistical Commission 2020, Eurostat "Applying the Degree of
Urbanisation" 2021, GHSL Data Package 2023) without looking at the C code.

usage:
  degurba_ref.py POP.tif [--land LAND.tif] [--built BUILT.tif] [--level 1|2]
                 [--built-share 0.5] -o OUT.tif [--centres-csv CENTRES.csv]
  degurba_ref.py --selftest

Level 1 codes: 3 urban centre, 2 urban cluster, 1 rural, 0 water.
Level 2 codes: 30 urban centre, 23 dense urban cluster, 22 semi-dense urban
cluster, 21 suburban/peri-urban, 13 rural cluster, 12 low density rural,
11 very low density rural, 10 water.
The output is a Byte GeoTIFF on the POP grid with nodata 255; every cell gets
a class (a cell without population data is a cell without population, which
is what the water rule is about), so no cell is written as nodata.

The centres CSV has `id,cells,pop`, sorted by pop descending (ties: id).
Centre ids are the order in which SciPy labels the candidate clusters (raster
order of their first cell), renumbered 1..n after the 50,000 filter; they are
not meaningful across implementations, compare centres by rank or cells.

Decisions where the rules leave room (none of them changes the Belgian
result except the first, which only moves 5 cells between water and rural):
- Without --built, BUILT counts as nodata everywhere, so the water rule (and
  'permanent water' in smoothing) is land < 0.5 and no population only.
- 'Ignored' in the smoothing vote uses the population with nodata as 0.
- A centre cell that is itself 'ignored' still counts in c (the rule counts
  neighbours "in that centre"); Belgium has no such cell.
- Built share is rounded with numpy.round (half to even on the binary value);
  Belgium has no share in [0.4995, 0.5).
- Centres keep their ids through smoothing and gap filling; two that come to
  touch are not merged (in Belgium two touch diagonally, none 4-adjacently).

The code favours plain loops over cleverness where the rule is subtle
(smoothing, gap filling): an oracle must be easy to check by reading.
"""
import argparse
import csv
import sys

import numpy as np
from scipy import ndimage

# Neighbourhoods for scipy.ndimage.label / binary_dilation.
CONN4 = np.array([[0, 1, 0], [1, 1, 1], [0, 1, 0]], dtype=bool)
CONN8 = np.ones((3, 3), dtype=bool)
NEIGH8 = [(-1, -1), (-1, 0), (-1, 1), (0, -1), (0, 1), (1, -1), (1, 0), (1, 1)]
NEIGH4 = [(-1, 0), (0, -1), (0, 1), (1, 0)]

CENTRE_POP = 50000      # urban centre minimum population
CLUSTER_POP = 5000      # urban / dense / semi-dense cluster minimum
RURAL_CLUSTER_POP = 500
GAP_MAX_KM2 = 15.0      # gaps strictly smaller than this are filled
BUFFER_CELLS = 3        # semi-dense clusters must stay out of this buffer


class Inputs:
    """The per-cell quantities every rule is written in.

    pop      residents, nodata already replaced by 0 (sums, densities)
    pop_nd   True where POP was nodata (the water rule treats it as 0 too,
             kept for clarity and for the 'ignored' test)
    land     land share L in [0, 1]
    built    built-up m2, nodata replaced by 0 (all 0 when no --built)
    dens     inhabitants per km2 of land
    bshare   built-up share of the land, rounded to 3 decimals
    use_built  whether the built criterion is on
    cell_km2 cell area in km2
    """

    def __init__(self, pop, pop_nd, land, built, cell_m2, use_built):
        self.pop = pop
        self.pop_nd = pop_nd
        self.land = land
        self.built = built
        self.use_built = use_built
        self.cell_km2 = cell_m2 / 1e6
        land_m2 = land * cell_m2
        with np.errstate(divide="ignore", invalid="ignore"):
            # A cell with no land but with people (or buildings) is infinitely
            # dense: it must not be lost from a centre for lack of land.
            self.dens = np.where(land > 0, pop / (land_m2 / 1e6),
                                 np.where(pop > 0, np.inf, 0.0))
            bs = np.where(land > 0, built / land_m2,
                          np.where(built > 0, np.inf, 0.0))
        # Rounded so that 0.4996 counts as 0.5, as in GHSL's published shares.
        self.bshare = np.round(bs, 3)
        # Permanent water: mostly water, nobody living there, nothing built.
        self.water = (land < 0.5) & (pop == 0) & (built == 0)
        # Cells that do not vote in the smoothing majority.
        self.ignored = ((land < 0.5) & (pop == 0)) | self.water


def clusters(mask, conn, minpop, pop):
    """Label connected components of mask (conn 4 or 8) and keep those whose
    population is >= minpop.  Returns (labels renumbered 1..n, n)."""
    lab, n = ndimage.label(mask, structure=CONN4 if conn == 4 else CONN8)
    if n == 0:
        return lab, 0
    sums = ndimage.sum_labels(pop, lab, index=np.arange(1, n + 1))
    keep = np.zeros(n + 1, dtype=np.int64)
    kept = np.nonzero(sums >= minpop)[0] + 1
    keep[kept] = np.arange(1, len(kept) + 1)
    return keep[lab], len(kept)


def smooth(centres, inp):
    """GHSL 2023 majority-rule edge smoothing, iterated to a fixed point.

    Synchronous: every decision of an iteration reads the labels as they were
    at its start, as the rule says.  (Counts only grow and at most one id can
    hold a majority, so an in-place scan reaches the same fixed point; only
    the number of iterations would differ.)"""
    h, w = centres.shape
    iterations = 0
    while True:
        # Pad with -1: outside cells vote, as non-centre cells.
        pad = np.full((h + 2, w + 2), -1, dtype=np.int64)
        pad[1:-1, 1:-1] = centres
        ign = np.zeros((h + 2, w + 2), dtype=bool)
        ign[1:-1, 1:-1] = inp.ignored
        new = centres.copy()
        changed = 0
        for r in range(h):
            for c in range(w):
                if centres[r, c] > 0 or inp.water[r, c]:
                    continue
                counts = {}
                n = 0
                for dr, dc in NEIGH8:
                    rr, cc = r + 1 + dr, c + 1 + dc
                    lab = pad[rr, cc]
                    if lab > 0:
                        counts[lab] = counts.get(lab, 0) + 1
                    if not ign[rr, cc]:
                        n += 1
                if not counts:
                    continue
                # Largest count, then smallest id (a tie can never be a
                # majority for both, so the tie rule is only for form's sake).
                best = min(counts, key=lambda k: (-counts[k], k))
                if 2 * counts[best] > n:
                    new[r, c] = best
                    changed += 1
        iterations += 1
        centres = new
        if changed == 0:
            return centres, iterations


def fill_gaps(centres, cell_km2):
    """Add to a centre each hole (8-connected non-centre component) that does
    not reach the grid border, is bounded (4-neighbours) by that one centre
    only, and is smaller than 15 km2."""
    h, w = centres.shape
    holes, n = ndimage.label(centres == 0, structure=CONN8)
    out = centres.copy()
    filled = 0
    for k, sl in enumerate(ndimage.find_objects(holes), start=1):
        if sl is None:
            continue
        if sl[0].start == 0 or sl[1].start == 0 or sl[0].stop == h or sl[1].stop == w:
            continue            # touches the border: not a hole
        rows, cols = np.nonzero(holes[sl] == k)
        rows += sl[0].start
        cols += sl[1].start
        if len(rows) * cell_km2 >= GAP_MAX_KM2:
            continue
        around = set()
        for r, c in zip(rows, cols):
            for dr, dc in NEIGH4:
                rr, cc = r + dr, c + dc
                if holes[rr, cc] != k:
                    around.add(int(centres[rr, cc]))
        if len(around) == 1 and 0 not in around:
            out[rows, cols] = around.pop()
            filled += len(rows)
    return out, filled


def urban_centres(inp, share):
    """Level-1 steps 1-3: candidates, smoothing, gap filling."""
    dense = inp.dens >= 1500
    if inp.use_built:
        dense = dense | (inp.bshare >= share)
    cand, n = clusters(dense, 4, CENTRE_POP, inp.pop)
    sm, _ = smooth(cand, inp)
    filled, _ = fill_gaps(sm, inp.cell_km2)
    return filled, n


def level1(inp, share):
    centres, n = urban_centres(inp, share)
    ucl, _ = clusters(inp.dens >= 300, 8, CLUSTER_POP, inp.pop)
    out = np.ones(centres.shape, dtype=np.uint8)
    out[ucl > 0] = 2
    out[centres > 0] = 3
    out[(out == 1) & inp.water] = 0
    return out, centres, n


def level2(inp, share):
    centres, n = urban_centres(inp, share)
    out = np.zeros(centres.shape, dtype=np.uint8)   # 0 = not yet classified
    out[centres > 0] = 30

    dense = inp.dens >= 1500
    if inp.use_built:
        dense = dense | (inp.bshare >= share)
    dcl, _ = clusters(dense, 4, CLUSTER_POP, inp.pop)
    out[(out == 0) & (dcl > 0)] = 23

    # Semi-dense clusters must lie wholly outside a 3-cell buffer of the
    # centres and dense clusters; the buffer includes the 30/23 cells.
    buf = ndimage.binary_dilation((out == 30) | (out == 23), structure=CONN8,
                                  iterations=BUFFER_CELLS)
    ucl, nu = clusters(inp.dens >= 300, 8, CLUSTER_POP, inp.pop)
    near = np.zeros(nu + 1, dtype=bool)
    near[np.unique(ucl[buf & (ucl > 0)])] = True
    semi = (ucl > 0) & ~near[ucl]
    out[(out == 0) & semi] = 22
    out[(out == 0) & (ucl > 0)] = 21

    rcl, _ = clusters(inp.dens >= 300, 8, RURAL_CLUSTER_POP, inp.pop)
    out[(out == 0) & (rcl > 0)] = 13
    out[(out == 0) & (inp.dens >= 50)] = 12
    out[out == 0] = 11
    out[(out == 11) & inp.water] = 10
    return out, centres, n


def centre_table(centres, pop):
    """[(id, cells, pop)] sorted by pop descending, then id."""
    ids = np.unique(centres[centres > 0])
    rows = []
    for i in ids:
        m = centres == i
        rows.append((int(i), int(m.sum()), float(pop[m].sum())))
    rows.sort(key=lambda t: (-t[2], t[0]))
    return rows


# ---------------------------------------------------------------- GDAL I/O

def read_band(path):
    from osgeo import gdal
    ds = gdal.Open(path)
    if ds is None:
        sys.exit(f"degurba_ref: cannot open {path}")
    b = ds.GetRasterBand(1)
    a = b.ReadAsArray().astype(np.float64)
    nd = b.GetNoDataValue()
    bad = ~np.isfinite(a)
    if nd is not None and not np.isnan(nd):
        bad |= a == nd
    return ds, a, bad


def load(pop_path, land_path, built_path):
    ds, pop, pop_nd = read_band(pop_path)
    gt = ds.GetGeoTransform()
    cell_m2 = abs(gt[1] * gt[5])

    def same_grid(path, d):
        if (d.RasterXSize, d.RasterYSize) != (ds.RasterXSize, ds.RasterYSize) \
                or any(abs(a - b) > 1e-6 for a, b in zip(d.GetGeoTransform(), gt)):
            sys.exit(f"degurba_ref: {path} is not on the POP grid")

    pop = np.where(pop_nd, 0.0, pop)
    if land_path:
        d, land, land_nd = read_band(land_path)
        same_grid(land_path, d)
        land = np.where(land_nd, 0.0, land / cell_m2)
    else:
        land = np.ones(pop.shape)
    if built_path:
        d, built, built_nd = read_band(built_path)
        same_grid(built_path, d)
        built = np.where(built_nd, 0.0, built)
    else:
        built = np.zeros(pop.shape)    # no BUILT: as if all nodata
    return ds, Inputs(pop, pop_nd, land, built, cell_m2, bool(built_path))


def write_classes(path, ds, classes):
    from osgeo import gdal
    drv = gdal.GetDriverByName("GTiff")
    out = drv.Create(path, ds.RasterXSize, ds.RasterYSize, 1, gdal.GDT_Byte,
                     options=["COMPRESS=LZW"])
    out.SetGeoTransform(ds.GetGeoTransform())
    out.SetProjection(ds.GetProjection())
    b = out.GetRasterBand(1)
    b.SetNoDataValue(255)
    b.WriteArray(classes)
    out.FlushCache()
    out = None


# ---------------------------------------------------------------- self-test

def grid_inputs(pop, land=None, built=None, use_built=False, pop_nd=None):
    pop = np.asarray(pop, dtype=np.float64)
    land = np.ones(pop.shape) if land is None else np.asarray(land, dtype=float)
    built = np.zeros(pop.shape) if built is None else np.asarray(built, dtype=float)
    nd = np.zeros(pop.shape, dtype=bool) if pop_nd is None else pop_nd
    return Inputs(pop, nd, land, built, 1e6, use_built)


def cells(arr, value):
    return sorted(zip(*[x.tolist() for x in np.nonzero(arr == value)]))


def selftest():
    # 1. Clusters: diagonal cells join with 8 but not with 4 connectivity.
    m = np.array([[1, 0], [0, 1]], dtype=bool)
    p = np.array([[3.0, 0], [0, 3.0]])
    assert clusters(m, 4, 5, p)[1] == 0
    assert clusters(m, 8, 5, p)[1] == 1
    assert clusters(m, 8, 6, p)[1] == 1 and clusters(m, 8, 6.1, p)[1] == 0

    # 2. A convex 3x3 block is stable: a side neighbour sees 3 of 8.
    pop = np.zeros((7, 7))
    pop[2:5, 2:5] = 10000
    lab, _ = urban_centres(grid_inputs(pop), 0.5)
    assert (lab > 0).sum() == 9

    # 3. A notch in a block (5 of 8 neighbours in the centre) is smoothed in.
    pop[2, 3] = 0
    inp = grid_inputs(pop)
    cand, _ = clusters(inp.dens >= 1500, 4, CENTRE_POP, inp.pop)
    assert (cand > 0).sum() == 8
    sm, it = smooth(cand, inp)
    assert (sm > 0).sum() == 9 and sm[2, 3] == 1 and it == 2

    # 4. Ignored neighbours leave the vote: X=(3,3) has 4 centre neighbours
    #    out of 8 (no majority), but 4 of 5 once (4,2..4) are water.
    pop = np.zeros((7, 7))
    for rc in [(2, 2), (2, 3), (2, 4), (3, 2)]:
        pop[rc] = 20000          # 80,000 >= 50,000
    lab, _ = urban_centres(grid_inputs(pop), 0.5)
    assert cells(lab, 1) == [(2, 2), (2, 3), (2, 4), (3, 2)]
    land = np.ones((7, 7))
    land[4, 2:5] = 0.2           # water: land < 0.5, nobody, nothing built
    inp = grid_inputs(pop, land)
    lab, _ = urban_centres(inp, 0.5)
    assert cells(lab, 1) == [(2, 2), (2, 3), (2, 4), (3, 2), (3, 3)], cells(lab, 1)
    l1, _, _ = level1(inp, 0.5)
    assert cells(l1, 0) == [(4, 2), (4, 3), (4, 4)]
    # Built-up but unpopulated mostly-water cells are not water (they stay
    # rural and are themselves tested) but are still ignored in the vote.
    built = np.zeros((7, 7))
    built[4, 2:5] = 1000
    inp = grid_inputs(pop, land, built, True)
    lab, _ = urban_centres(inp, 0.5)
    assert cells(lab, 1) == [(2, 2), (2, 3), (2, 4), (3, 2), (3, 3)]
    l1, _, _ = level1(inp, 0.5)
    assert (l1 == 0).sum() == 0 and (l1[4, 2:5] == 1).all()
    # A half-land cell (0.5) is not ignored: no majority again.
    land[4, 2:5] = 0.5
    lab, _ = urban_centres(grid_inputs(pop, land), 0.5)
    assert (lab > 0).sum() == 4

    # 5. Outside the grid counts as non-centre: the corner cell (0,0) with its
    #    3 in-grid neighbours all in the centre has 3 of 8, not 3 of 3.
    pop = np.zeros((4, 5))
    for rc in [(0, 1), (0, 2), (1, 0), (1, 1), (1, 2)]:
        pop[rc] = 20000
    lab, _ = urban_centres(grid_inputs(pop), 0.5)
    assert (lab > 0).sum() == 5 and lab[0, 0] == 0

    # 6. Gap filling of a lake (water cells are never smoothed) inside a ring.
    pop = np.zeros((7, 7))
    land = np.ones((7, 7))
    pop[1:6, 1:6] = 10000
    pop[2:5, 2:5] = 0
    land[2:5, 2:5] = 0           # 3x3 lake, 9 km2
    inp = grid_inputs(pop, land)
    cand, _ = clusters(inp.dens >= 1500, 4, CENTRE_POP, inp.pop)
    sm, it = smooth(cand, inp)
    assert (sm > 0).sum() == 16 and it == 1
    lab, _ = urban_centres(inp, 0.5)
    assert (lab > 0).sum() == 25
    l1, _, _ = level1(inp, 0.5)
    assert (l1 == 3).sum() == 25 and (l1 == 0).sum() == 0
    # A 4x4 lake (16 km2) stays: code 0 at level 1, 10 at level 2.
    pop = np.zeros((8, 8))
    land = np.ones((8, 8))
    pop[1:7, 1:7] = 10000
    pop[2:6, 2:6] = 0
    land[2:6, 2:6] = 0
    inp = grid_inputs(pop, land)
    l1, _, _ = level1(inp, 0.5)
    assert (l1 == 3).sum() == 20 and (l1 == 0).sum() == 16
    l2, _, _ = level2(inp, 0.5)
    assert (l2 == 30).sum() == 20 and (l2 == 10).sum() == 16

    # 7. fill_gaps on hand-made labels: 14 km2 filled, 15 km2 not; a hole
    #    bordered by two centres is not filled; nor one touching the border.
    lab = np.ones((6, 9), dtype=np.int64)
    lab[1:3, 1:8] = 0            # 2x7 = 14 cells
    assert (fill_gaps(lab, 1.0)[0] == 1).all()
    lab = np.ones((7, 9), dtype=np.int64)
    lab[1:4, 1:6] = 0            # 3x5 = 15 cells
    assert (fill_gaps(lab, 1.0)[0] == 0).sum() == 15
    lab = np.ones((7, 9), dtype=np.int64)
    lab[1:4, 1:6] = 0
    assert (fill_gaps(lab, 0.25)[0] == 0).sum() == 0     # 3.75 km2
    lab = np.array([[1, 1, 1, 1, 2],
                    [1, 0, 0, 2, 2],
                    [1, 0, 0, 2, 2],
                    [1, 1, 1, 2, 2]])
    assert (fill_gaps(lab, 1.0)[0] == 0).sum() == 4
    lab[3, 1:3] = 2              # 4-neighbours now 1 (top, left) and 2
    assert (fill_gaps(lab, 1.0)[0] == 0).sum() == 4
    lab = np.array([[1, 1, 1, 1],
                    [1, 0, 0, 1],
                    [1, 1, 1, 1]])
    assert (fill_gaps(lab, 1.0)[0] == 1).all()
    lab[0, 1] = 0                # the hole now reaches row 0
    assert (fill_gaps(lab, 1.0)[0] == 0).sum() == 3
    # A hole that reaches outside only diagonally is not a hole.
    lab = np.array([[1, 1, 1, 1, 1],
                    [1, 0, 1, 1, 1],
                    [1, 1, 0, 1, 1],
                    [1, 1, 1, 0, 1],
                    [1, 1, 1, 1, 0]])
    assert (fill_gaps(lab, 1.0)[0] == 0).sum() == 4

    # 8. Built criterion, and its rounding: five cells of 9,000 (45,000) are
    #    not a centre; with (1,6) (1,400 people, built share 0.4996 -> 0.500)
    #    and (1,7) (4,000) they are, 50,400 over 7 cells.
    pop = np.zeros((3, 9))
    pop[1, 1:6] = 9000
    pop[1, 6] = 1400
    pop[1, 7] = 4000
    built = np.zeros((3, 9))
    built[1, 6] = 499600
    lab, n = urban_centres(grid_inputs(pop, built=built, use_built=False), 0.5)
    assert n == 0
    lab, n = urban_centres(grid_inputs(pop, built=built, use_built=True), 0.5)
    assert n == 1 and (lab > 0).sum() == 7
    built[1, 6] = 499400         # 0.4994 -> 0.499: not built-up enough
    lab, n = urban_centres(grid_inputs(pop, built=built, use_built=True), 0.5)
    assert n == 0
    # Built share is against land, not against the cell: 300,000 m2 built on
    # 0.6 km2 of land is 0.5 (only 0.3 of the cell); the 100 people there are
    # 167/km2, so only the built criterion can take the cell in.
    pop[1, 6] = 100
    pop[1, 7] = 5000             # 45,000 + 100 + 5,000 = 50,100
    built[1, 6] = 300000
    land = np.ones((3, 9))
    lab, n = urban_centres(grid_inputs(pop, land, built, True), 0.5)
    assert n == 0
    land[1, 6] = 0.6
    lab, n = urban_centres(grid_inputs(pop, land, built, True), 0.5)
    assert n == 1 and (lab > 0).sum() == 7
    # Density is against land too: 1,000 people on 0.6 km2 is 1,667/km2.
    pop[1, 6] = 1000
    lab, n = urban_centres(grid_inputs(pop), 0.5)
    assert n == 0
    lab, n = urban_centres(grid_inputs(pop, land), 0.5)
    assert n == 1 and (lab > 0).sum() == 7

    # 9. Level 1 and level 2 on a hand-made 10x20 grid.
    pop = np.zeros((10, 20))
    land = np.ones((10, 20))
    pop[1:4, 1:4] = 10000        # centre, 90,000
    pop[4, 0:5] = 400            # touches the centre diagonally
    pop[1, 10:12] = 3000         # dense cluster, 6,000
    pop[4, 10:20] = 600          # 6,000, 3 rows from the dense cluster
    pop[8, 10:20] = 600          # 6,000, far from everything dense
    pop[8, 0:2] = 400            # rural cluster, 800
    pop[6, 6] = 100              # low density
    pop[6, 8] = 350              # D >= 300 but only 350 people: low density
    land[0, 18:20] = 0           # water
    inp = grid_inputs(pop, land)
    l1, cen, n = level1(inp, 0.5)
    want1 = np.ones((10, 20), dtype=np.uint8)
    want1[4, 0:5] = 2
    want1[1, 10:12] = 2
    want1[4, 10:20] = 2
    want1[8, 10:20] = 2
    want1[1:4, 1:4] = 3
    want1[0, 18:20] = 0
    assert (l1 == want1).all(), l1
    assert centre_table(cen, inp.pop) == [(1, 9, 90000.0)]
    l2, _, _ = level2(inp, 0.5)
    want2 = np.full((10, 20), 11, dtype=np.uint8)
    want2[1:4, 1:4] = 30
    want2[1, 10:12] = 23
    want2[4, 0:5] = 21
    want2[4, 10:20] = 21
    want2[8, 10:20] = 22
    want2[8, 0:2] = 13
    want2[6, 6] = 12
    want2[6, 8] = 12
    want2[0, 18:20] = 10
    assert (l2 == want2).all(), l2
    # One row lower, the 600s are 4 rows from the dense cluster: semi-dense.
    pop[4, 10:20] = 0
    pop[5, 10:20] = 600
    l2, _, _ = level2(grid_inputs(pop, land), 0.5)
    assert (l2[5, 10:20] == 22).all()
    # The buffer is a square (8-neighbourhood): (4,14) is 3 cells from
    # (1,11) diagonally, so a cluster starting there is not semi-dense;
    # starting at (4,15) it is.
    pop[5, 10:20] = 0
    pop[4, 14:20] = 1000
    l2, _, _ = level2(grid_inputs(pop, land), 0.5)
    assert (l2[4, 14:20] == 21).all()
    pop[4, 14:20] = 0
    pop[4, 15:20] = 1200
    l2, _, _ = level2(grid_inputs(pop, land), 0.5)
    assert (l2[4, 15:20] == 22).all()

    # 10. Nodata population on water: still water; infinite density on land
    #     share 0 with people.
    pop = np.array([[np.nan, 5.0, 0.0]])
    nd = np.isnan(pop)
    inp = grid_inputs(np.where(nd, 0, pop), np.array([[0.2, 0.0, 0.0]]),
                      pop_nd=nd)
    assert inp.dens[0, 1] == np.inf and inp.dens[0, 2] == 0
    l1, _, _ = level1(inp, 0.5)
    assert l1.tolist() == [[0, 1, 0]]

    # 11. The R2023A majority-rule and fill-gaps cases of the flexurba R
    #     package's unit tests (tests/testthat/test-apply-majority-rule.R and
    #     test-fill-gaps.R, cvmigero/flexurba), 3x3 grids, 0 = not a centre.
    def major(x, land, pop, water=None):
        inp = grid_inputs(np.array(pop, float).reshape(3, 3),
                          np.array(land, float).reshape(3, 3))
        if water is not None:        # flexurba passes water as its own layer
            inp.water = np.array(water, bool).reshape(3, 3)
            inp.ignored = inp.ignored | inp.water
        return smooth(np.array(x).reshape(3, 3), inp)[0].ravel().tolist()
    ones = [1] * 9
    assert major([1, 1, 1, 1, 0, 0, 1, 1, 1], ones, ones) == ones
    assert major([1, 1, 1, 1, 0, 0, 1, 1, 1], ones, ones,
                 [0, 0, 0, 0, 0, 1, 0, 0, 0]) == [1, 1, 1, 1, 1, 0, 1, 1, 1]
    assert major([1, 1, 2, 1, 0, 0, 2, 1, 0], ones, ones) == [1, 1, 2, 1, 0, 0, 2, 1, 0]
    land = [1, 0.3, 0.3, 1, 1, 0.3, 1, 1, 1]
    assert major([0, 0, 0, 0, 0, 0, 1, 1, 1], land, [1, 0, 0, 1, 1, 1, 1, 0, 1]) \
        == [0, 0, 0, 0, 0, 0, 1, 1, 1]
    assert major([0, 0, 0, 0, 0, 0, 1, 1, 1], land, [1, 0, 0, 1, 1, 0, 1, 1, 1]) \
        == [0, 0, 0, 0, 1, 0, 1, 1, 1]
    for x, want in [([1, 1, 1, 1, 0, 1, 1, 1, 1], ones),
                    ([1, 1, 1, 1, 2, 1, 1, 1, 1], [1, 1, 1, 1, 2, 1, 1, 1, 1]),
                    ([1, 1, 2, 1, 0, 2, 1, 1, 2], [1, 1, 2, 1, 0, 2, 1, 1, 2])]:
        assert fill_gaps(np.array(x).reshape(3, 3), 1.0)[0].ravel().tolist() == want
    print("selftest ok")


# ---------------------------------------------------------------- main

def main():
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("pop", nargs="?")
    ap.add_argument("--land")
    ap.add_argument("--built")
    ap.add_argument("--level", type=int, choices=(1, 2), default=1)
    ap.add_argument("--built-share", type=float, default=0.5)
    ap.add_argument("-o", "--output")
    ap.add_argument("--centres-csv")
    ap.add_argument("--selftest", action="store_true")
    a = ap.parse_args()
    if a.selftest:
        selftest()
        return
    if not a.pop or not a.output:
        ap.error("POP and -o OUT.tif are required")
    ds, inp = load(a.pop, a.land, a.built)
    run = level1 if a.level == 1 else level2
    classes, centres, _ = run(inp, a.built_share)
    write_classes(a.output, ds, classes)

    table = centre_table(centres, inp.pop)
    if a.centres_csv:
        with open(a.centres_csv, "w", newline="", encoding="utf-8") as f:
            wr = csv.writer(f, lineterminator="\n")
            wr.writerow(["id", "cells", "pop"])
            for i, n, p in table:
                wr.writerow([i, n, f"{p:.1f}"])
    # A short summary on stderr, so stdout stays free for callers.
    vals, counts = np.unique(classes, return_counts=True)
    print(f"level {a.level}: {len(table)} urban centres; cells per class: "
          + ", ".join(f"{v}:{c}" for v, c in zip(vals, counts))
          + f"; total pop {inp.pop.sum():.1f}", file=sys.stderr)


if __name__ == "__main__":
    main()
