"""The Python half of bench/degurba.sh: makes the mosaic, runs the reference,
cross-checks the outputs and writes bench/DEGURBA_RESULTS.md (on stdout).

    degurba_report.py mosaic SRCDIR OUTDIR TX TY      OUTDIR/{pop,land,built}.tif, mosaic.txt
    degurba_report.py ref ARGS...                     tests/cli/degurba_ref.py ARGS (see below)
    degurba_report.py check WORKDIR LEVEL CROSSCHECK.txt
    degurba_report.py wrapcheck REF.csv WRAP.csv REF.tif WRAP.tif CROSSCHECK.txt
    degurba_report.py report LOGDIR WORKDIR

`ref` runs tests/cli/degurba_ref.py's own main() on ARGS with one function
replaced: centre_table, the summary table it prints after the classification,
compares the whole grid with each centre id in turn (n centres x n cells:
about 47,000 x 100 M here, hours). The replacement gives the same rows from
two np.bincount calls. Everything that classifies is the reference's own
code. Before it returns, `ref` times the original loop body for a few ids on
the real arrays and writes the extrapolated cost of the original table next
to --centres-csv (.orig_table).

SPDX-License-Identifier: MIT
"""
import csv
import os
import platform
import re
import sys
import time

import numpy as np

HERE = os.path.dirname(os.path.abspath(__file__))
sys.path.insert(0, HERE)
from reportlib import Logs, machine, print_crosschecks, sh  # noqa: E402

GRIDS = [("pop", "ghs_pop_2020.tif"), ("land", "ghs_land_2018.tif"),
         ("built", "ghs_built_s_2020.tif")]
CLASS_NAMES = {
    1: {0: "water", 1: "rural", 2: "urban cluster", 3: "urban centre"},
    2: {10: "water", 11: "very low density rural", 12: "low density rural",
        13: "rural cluster", 21: "suburban", 22: "semi-dense cluster",
        23: "dense cluster", 30: "urban centre"},
}


# ---------------------------------------------------------------- mosaic

def mosaic(src, out, tx, ty):
    """TX x TY copies of each Belgian grid side by side, the first at the
    original origin, so the cells stay 1 km Mollweide cells and the
    coordinates run on east and south. Same data type and nodata as the
    original; tiled 256 x 256, DEFLATE."""
    from osgeo import gdal
    gdal.UseExceptions()
    os.makedirs(out, exist_ok=True)
    drv = gdal.GetDriverByName("GTiff")
    opts = ["TILED=YES", "BLOCKXSIZE=256", "BLOCKYSIZE=256", "COMPRESS=DEFLATE",
            "BIGTIFF=YES", "NUM_THREADS=ALL_CPUS"]
    notes = []
    for key, name in GRIDS:
        ds = gdal.Open(os.path.join(src, name))
        b = ds.GetRasterBand(1)
        a = b.ReadAsArray()
        h, w = a.shape
        path = os.path.join(out, key + ".tif")
        tmp = path + ".tmp.tif"
        o = drv.Create(tmp, w * tx, h * ty, 1, b.DataType, options=opts)
        o.SetGeoTransform(ds.GetGeoTransform())
        o.SetProjection(ds.GetProjection())
        ob = o.GetRasterBand(1)
        if b.GetNoDataValue() is not None:
            ob.SetNoDataValue(b.GetNoDataValue())
        strip = np.tile(a, (1, tx))
        for j in range(ty):
            ob.WriteArray(strip, 0, j * h)
        o.FlushCache()
        o = None
        os.replace(tmp, path)
        notes.append(f"{key}.tif: {gdal.GetDataTypeName(b.DataType)}, "
                     f"{os.path.getsize(path) / 2**20:.0f} MiB")
    gt = ds.GetGeoTransform()
    nx, ny = w * tx, h * ty
    # The corners must stay inside Mollweide's ellipse (the polygons are
    # taken to lon/lat).
    from osgeo import osr
    s = osr.SpatialReference(wkt=ds.GetProjection())
    t = osr.SpatialReference()
    t.ImportFromEPSG(4326)
    t.SetAxisMappingStrategy(osr.OAMS_TRADITIONAL_GIS_ORDER)
    ct = osr.CoordinateTransformation(s, t)
    x0, y0 = gt[0], gt[3]
    x1, y1 = x0 + nx * gt[1], y0 + ny * gt[5]
    corners = []
    for x, y in ((x0, y0), (x1, y0), (x0, y1), (x1, y1)):
        lon, lat, _ = ct.TransformPoint(x, y)
        if not (np.isfinite(lon) and np.isfinite(lat)) or abs(lon) > 180:
            sys.exit(f"degurba_report: corner ({x}, {y}) is outside Mollweide")
        corners.append(f"{lat:.1f}, {lon:.1f}")
    with open(os.path.join(out, "mosaic.txt"), "w") as f:
        f.write(f"{tx} {ty} {w} {h} {nx} {ny}\n")
        f.write(f"{x0:.0f} {y0:.0f} {x1:.0f} {y1:.0f}\n")
        f.write("; ".join(corners) + "\n")
        f.write("; ".join(notes) + "\n")


# ---------------------------------------------------------------- reference

def fast_centre_table(centres, pop):
    """degurba_ref.centre_table's rows: [(id, cells, pop)] sorted by pop
    descending, then id, for the ids present."""
    c = centres.ravel()
    cells = np.bincount(c)
    pops = np.bincount(c, weights=pop.ravel())
    rows = [(int(i), int(cells[i]), float(pops[i])) for i in np.flatnonzero(cells[1:]) + 1]
    rows.sort(key=lambda t: (-t[2], t[0]))
    return rows


def ref(args):
    sys.path.insert(0, os.path.join(HERE, "..", "tests", "cli"))
    import degurba_ref
    sample = {}

    def table(centres, pop):
        rows = fast_centre_table(centres, pop)
        # The original's cost per centre: its loop body on a few ids.
        ids = [r[0] for r in rows[:3]]
        if ids:
            t = time.perf_counter()
            for i in ids:
                m = centres == i
                (int(m.sum()), float(pop[m].sum()))
            sample["per_id"] = (time.perf_counter() - t) / len(ids)
        sample["n"] = len(rows)
        return rows

    degurba_ref.centre_table = table
    sys.argv = ["degurba_ref.py"] + args
    degurba_ref.main()
    if "--centres-csv" in args and "per_id" in sample:
        path = args[args.index("--centres-csv") + 1]
        with open(path + ".orig_table", "w") as f:
            f.write(f"{sample['n']} {sample['per_id']:.4f} "
                    f"{sample['n'] * sample['per_id']:.0f}\n")


# ---------------------------------------------------------------- checks

def read_classes(path):
    from osgeo import gdal
    ds = gdal.Open(path)
    return ds.GetRasterBand(1).ReadAsArray()


def cw_centres(gpkg):
    """(pop, cells) of each urban centre in cityweave's --polygons output
    (area_km2 / 1 km2 = cells)."""
    from osgeo import ogr
    ds = ogr.Open(gpkg)
    lyr = ds.GetLayer(0)
    lyr.SetAttributeFilter("kind = 'urban centre'")
    out = [(float(f["pop"]), int(round(f["area_km2"]))) for f in lyr]
    return sorted(out, reverse=True)


def ref_centres(path):
    with open(path, encoding="utf-8") as f:
        return sorted(((float(r["pop"]), int(r["cells"])) for r in csv.DictReader(f)),
                      reverse=True)


def check(w, level, out):
    """Cross-check rows (label|verdict|detail) for one level's outputs:
    the class grids cell by cell, the cells per class, and the centres
    matched by rank of population (ids are not comparable)."""
    o = os.path.join(w, "out")
    rows = []
    cw_tif = os.path.join(o, f"cw_l{level}p.tif")
    ref_tif = os.path.join(w, "ref", f"ref_l{level}.tif")
    label = f"level {level} with --land --built"
    if not os.path.exists(ref_tif):
        rows.append(f"{label}: reference|not run|{reference_failure(w, level)}")
    else:
        a, b = read_classes(ref_tif), read_classes(cw_tif)
        ca = np.bincount(a.ravel(), minlength=256)
        cb = np.bincount(b.ravel(), minlength=256)
        cls = sorted(set(np.flatnonzero(ca)) | set(np.flatnonzero(cb)))
        per = ", ".join(f"{c} {CLASS_NAMES[level].get(int(c), c)}: {ca[c]:,}"
                        + ("" if ca[c] == cb[c] else f" vs {cb[c]:,}") for c in cls)
        rows.append(f"{label}: cells per class, reference vs cityweave|"
                    f"{'OK' if (ca == cb).all() else 'MISMATCH'}|{per}")
        rc = ref_centres(os.path.join(w, "ref", f"ref_l{level}.csv"))
        cc = cw_centres(os.path.join(o, f"cw_l{level}p.gpkg"))
        n = min(len(rc), len(cc))
        # cityweave writes pop rounded to whole people, summed from float32
        # cells: within half a person and 1e-6
        worst = max((abs(x[0] - y[0]) for x, y in zip(rc[:n], cc[:n])), default=0.0)
        bad = sum(abs(x[0] - y[0]) > 0.5 + 1e-6 * x[0] for x, y in zip(rc[:n], cc[:n]))
        cells = sum(x[1] != y[1] for x, y in zip(rc[:n], cc[:n]))
        ok = len(rc) == len(cc) and bad == 0 and cells == 0
        rows.append(f"{label}: urban centres, matched by rank of population|"
                    f"{'OK' if ok else 'MISMATCH'}|{len(rc):,} in the reference, "
                    f"{len(cc):,} in cityweave (`--polygons`); largest population "
                    f"difference {worst:.2f} people (cityweave rounds to whole people); "
                    f"cell counts differ for {cells} of {n:,}; people in centres "
                    f"{sum(x[0] for x in rc):,.0f} vs {sum(x[0] for x in cc):,.0f}")
    # cityweave against itself: with and without --polygons, the same grid
    c0 = os.path.join(o, f"cw_l{level}.tif")
    if os.path.exists(c0):
        same = os.path.exists(cw_tif) and open(c0, "rb").read() == open(cw_tif, "rb").read()
        rows.append(f"level {level}: cityweave without vs with --polygons|"
                    f"{'OK' if same else 'MISMATCH'}|class GeoTIFFs "
                    f"{'byte-identical' if same else 'differ'}")
    with open(out, "a") as fp:
        fp.write("\n".join(rows) + "\n")


def wrapcheck(ref_csv, wrap_csv, ref_tif, wrap_tif, out):
    """The wrapper's centre table and grid against the unmodified script's."""
    def rows(path):
        with open(path, encoding="utf-8") as f:
            return [(r["id"], int(r["cells"]), float(r["pop"])) for r in csv.DictReader(f)]
    a, b = rows(ref_csv), rows(wrap_csv)
    same_ids = [(x[0], x[1]) for x in a] == [(x[0], x[1]) for x in b]
    worst = max((abs(x[2] - y[2]) for x, y in zip(a, b)), default=0.0)
    grid = open(ref_tif, "rb").read() == open(wrap_tif, "rb").read()
    ok = same_ids and worst <= 0.1 and grid and len(a) == len(b)
    with open(out, "a") as fp:
        fp.write(f"`degurba_report.py ref` vs unmodified `degurba_ref.py`, Belgium, level 1 "
                 f"--land --built|{'OK' if ok else 'MISMATCH'}|class GeoTIFFs "
                 f"{'byte-identical' if grid else 'differ'}; centre tables: {len(a)} and "
                 f"{len(b)} rows, ids and cells {'equal' if same_ids else 'differ'}, "
                 f"largest population difference {worst:.1f}\n")


def reference_failure(w, level):
    p = os.path.join(w, "ref", f"ref_l{level}.err")
    if os.path.exists(p):
        with open(p) as f:
            lines = [x.strip() for x in f if x.strip()]
        if lines:
            return lines[-1][:300]
        return "no output"
    return "not run (not in REF_LEVELS)"


# ---------------------------------------------------------------- report

TIME_TARGET_S = 20.0      # from the issue: under 20 s ...
MEM_TARGET_B = 3.0        # ... and under 3 bytes per cell beyond the inputs
INPUT_B = 12.0            # the three input grids as float32 in memory

CW_RUNS = [
    ("cw_l1", "level 1, `--land --built`"),
    ("cw_l1p", "level 1, `--land --built --polygons`"),
    ("cw_l2", "level 2, `--land --built`"),
    ("cw_l2p", "level 2, `--land --built --polygons`"),
]


def timev(refs, name):
    """(wall s, peak kB, exit status) of a `once` run, or None."""
    p = refs.file(name + ".timev")
    if not os.path.exists(p):
        return None
    wall = kb = None
    with open(p) as f:
        for line in f:
            line = line.strip()
            if line.startswith("Elapsed (wall clock)"):
                t = [float(x) for x in line.rsplit(" ", 1)[1].split(":")]
                wall = sum(v * 60 ** k for k, v in enumerate(reversed(t)))
            elif line.startswith("Maximum resident set size"):
                kb = int(line.rsplit(" ", 1)[1])
    return wall, kb, int(refs.text(name + ".rc", "-1"))


def load_samples(path):
    """'max M, mean A over N samples' of a load.samples file."""
    try:
        with open(path) as f:
            v = [float(x) for x in f.read().split()]
    except OSError:
        return "?"
    if not v:
        return "?"
    return f"1-minute load sampled every 10 s: mean {np.mean(v):.2f}, max {max(v):.2f}"


def hms(s):
    m, s = divmod(s, 60)
    return f"{s:.0f} s" if not m else f"{int(m)} min {s:02.0f} s"


def report(logdir, w):
    logs = Logs(logdir)
    refs = Logs(os.path.join(w, "ref"))
    p = print
    with open(logs.file("mosaic.txt")) as f:
        mo = f.read().split("\n")
    tx, ty, w0, h0, nx, ny = map(int, mo[0].split())
    x0, y0, x1, y1 = map(int, mo[1].split())
    n = nx * ny
    p(f"# cityweave Degree of Urbanisation benchmark: {nx:,} x {ny:,} = {n:,} cells")
    p()
    p("Generated by `bench/degurba.sh` (its top comment says how the input is made and "
      "what is timed). Do not edit by hand.")
    p()
    p(f"- Input: the real GHSL 1 km grids of Belgium in `data/belgium` (GHS-POP 2020, "
      f"GHS-LAND 2018, GHS-BUILT-S 2020; {w0} x {h0} cells, ESRI:54009 Mollweide), "
      f"tiled {tx} x {ty} times into one GeoTIFF each (`degurba_report.py mosaic`): copy "
      f"(i, j), i, j = 0..{tx - 1}, holds the original grid shifted {w0} km x i east and "
      f"{h0} km x j south, the first at the original origin ({x0:,} m E, {y0:,} m N), so "
      f"the cells stay 1 km Mollweide cells and the three grids stay aligned; extent "
      f"{x0:,}..{x1:,} m E, {y1:,}..{y0:,} m N, corners (lat, lon) {mo[2]}. Original "
      f"data types and nodata, tiled 256 x 256, DEFLATE: {mo[3]}.")
    model, ncpu, mem = machine()
    p(f"- Machine: {model}, {ncpu} cores (nproc), {mem:.1f} GiB RAM; "
      f"{platform.platform()}")
    b = logs.text("build.txt").split("\n")
    p(f"- cityweave: {sh('build/cityweave', '--version')}, {b[0]}, built with "
      f"`make B=build` ({sh('cc', '--version').splitlines()[0]}, CFLAGS -O2 -g), "
      f"{b[-1]}; that binary, copied, is what was timed")
    if os.path.exists(logs.file("make.failed")):
        p("- **The tree did not build at run time** (others' work in progress); timed the "
          "existing build/cityweave")
    p(f"- Reference: `tests/cli/degurba_ref.py` ({logs.text('py.version')}; "
      f"{logs.text('gdal.version')})")
    runs = logs.timing("cw_l1")[3]
    p(f"- {sh('hyperfine', '--version')}; cityweave {runs} runs each, wall time the "
      f"median, peak RSS the largest `Maximum resident set size` of GNU time over the "
      f"runs ({logs.text('elapsed')} s for all); the reference once per level under "
      "`/usr/bin/time -v`")
    p(f"- Load average (1, 5, 15 min) before cityweave's runs {logs.text('load.before')}, "
      f"after {logs.text('load.after')}; {load_samples(logs.file('load.samples'))}. "
      "The machine is shared (2 cores) and other processes were not stopped")
    p(f"- Memory per cell = peak RSS / {n:,} cells; *beyond the input* subtracts the "
      f"three input grids as float32 ({INPUT_B:.0f} bytes per cell: 4 each for "
      "population, land and built-up). cityweave uses one worker thread per processor "
      "(2); the reference is single-threaded NumPy/SciPy")
    p()
    p("| command | median s | min–max s | peak RSS MiB | bytes/cell | bytes/cell beyond "
      "input | < 20 s | < 3 B/cell beyond |")
    p("|---|---:|---:|---:|---:|---:|:---:|:---:|")
    res = {}
    for name, label in CW_RUNS:
        if not os.path.exists(logs.file(name + ".json")):
            continue
        med, lo, hi, _ = logs.timing(name)
        mib = logs.peak_mib(name)
        bc = mib * 2**20 / n
        res[name] = (med, bc - INPUT_B)
        p(f"| cityweave {label} | {med:.2f} | {lo:.2f}–{hi:.2f} | {mib:,.0f} | {bc:.2f} | "
          f"{bc - INPUT_B:.2f} | {'yes' if med < TIME_TARGET_S else '**no**'} | "
          f"{'yes' if bc - INPUT_B < MEM_TARGET_B else '**no**'} |")
    ref_runs = []
    for lv in (1, 2):
        t = timev(refs, f"ref_l{lv}")
        if t is None:
            continue
        wall, kb, rc = t
        ref_runs.append((lv, wall, kb, rc))
        bc = kb * 1024 / n
        what = "" if rc == 0 else f" (**failed, exit {rc}**)"
        p(f"| reference `degurba_ref.py`, level {lv}, `--land --built`{what} | {wall:.1f} | "
          f"(one run) | {kb / 1024:,.0f} | {bc:.2f} | {bc - INPUT_B:.2f} | | |")
    p()
    if res:
        p("Targets (from the issue): under 20 s and under 3 bytes per cell beyond the "
          "input grids:")
        p()
        for name, label in CW_RUNS:
            if name in res:
                med, beyond = res[name]
                p(f"- {label}: {med:.1f} s, time target "
                  f"{'met' if med < TIME_TARGET_S else '**not met**'}; {beyond:.2f} bytes "
                  f"per cell beyond the input, memory target "
                  f"{'met' if beyond < MEM_TARGET_B else '**not met**'}")
        p()
        for lv, wall, kb, rc in ref_runs:
            a, c = res.get(f"cw_l{lv}"), res.get(f"cw_l{lv}p")
            if rc == 0 and a and c:
                p(f"At level {lv} the reference takes {hms(wall)}: {wall / a[0]:.0f}x "
                  f"cityweave without polygons, {wall / c[0]:.0f}x with them; "
                  f"{kb * 1024 / n:.1f} bytes per cell.")
        p()
    steps = logs.text("cw_l1_steps.txt", "")
    if steps:
        p("## Where cityweave's time goes (one untimed level 1 run with `--polygons -v`)")
        p()
        p("```")
        p(steps)
        p(logs.text("cw_l1_steps.end", ""))
        p("```")
        p()
        p("Each line is the time since the start at which a step began. Before \"urban "
          "centres\": reading the three GeoTIFFs and reducing land and built-up to "
          "per-cell flags; from \"classified\" to \"writing\": the class GeoTIFF "
          "(DEFLATE) and tracing the polygons; from \"writing\" to the end: the "
          "GeoPackage.")
        m = re.search(r"(\d+) urban centres \(\d+ people\), (\d+) urban clusters", steps)
        if m:
            nc, nu = int(m.group(1)), int(m.group(2))
            k = tx * ty
            same = nc == 31 * k and nu == 233 * k
            p()
            p(f"{nc:,} urban centres and {nu:,} urban clusters: "
              + ("31 and 233 per copy, as in Belgium alone, so none joins across a seam "
                 "between copies." if same else
                 f"Belgium alone has 31 and 233; {k:,} copies would have {31 * k:,} and "
                 f"{233 * k:,}, so some join across the seams between copies."))
        p()
    print_crosschecks(logs)
    p("## The reference")
    p()
    p("`tests/cli/degurba_ref.py` is the test oracle: an independent implementation of "
      "the rules in Python with GDAL, NumPy and SciPy (`ndimage.label` for the clusters), "
      "with the majority-rule smoothing and the gap filling written as plain per-cell "
      "Python loops so that they are easy to check by reading. It works in float64 and "
      "int64 arrays.")
    p()
    p("It is run through `degurba_report.py ref`, which calls the script's own `main()` "
      "with one function replaced: `centre_table`, the summary it builds after the "
      "classification, compares the whole grid with each centre id in turn "
      "(`centres == i`), centres x cells operations. The replacement gives the same rows "
      "from two `np.bincount` calls; nothing that classifies is changed (the last "
      "cross-check shows the two give the same outputs on Belgium). It does not depend "
      "on cityweave: `bench/degurba.sh` keeps its outputs and times and reuses them "
      "while `degurba_ref.py` and the mosaic are unchanged.")
    p()
    for lv, wall, kb, rc in ref_runs:
        v = refs.text(f"ref_l{lv}.csv.orig_table", "").split()
        err = refs.text(f"ref_l{lv}.err", "").split("\n")[-1]
        p(f"- Level {lv}: run {refs.text(f'ref_l{lv}.date')}; load average before "
          f"{refs.text(f'ref_l{lv}.load.before')}, after "
          f"{refs.text(f'ref_l{lv}.load.after')}"
          + (f", {load_samples(refs.file(f'ref_l{lv}.load.samples'))}"
             if os.path.exists(refs.file(f"ref_l{lv}.load.samples")) else "")
          + (f"; {refs.text(f'ref_l{lv}.load.note')}"
             if os.path.exists(refs.file(f"ref_l{lv}.load.note")) else "")
          + (f"; it says `{err}`" if err else ""))
        if len(v) == 3:
            nc, per, tot = int(v[0]), float(v[1]), float(v[2])
            p(f"  The original centre table would have added about {hms(tot)} "
              f"({nc:,} centres x {per:.3f} s: its loop body, timed on the real arrays "
              "for three centres).")
    p()
    p("## What is timed")
    p()
    p("- cityweave: `cityweave linkage degurba pop.tif --land land.tif --built "
      "built.tif --level 1|2 -o classes.tif [--polygons centres.gpkg] --overwrite -q`: "
      "reading the three GeoTIFFs (DEFLATE, decompressed by GDAL), the classification, "
      "the class GeoTIFF (DEFLATE) and, with `--polygons`, the urban centres and urban "
      "clusters traced with GDAL, taken to WGS84 and written as a GeoPackage.")
    p("- The reference: the same three GeoTIFFs to an LZW class GeoTIFF and the centre "
      "CSV, including Python's start-up and imports.")
    p("- The mosaic files are read once with `cat` before the timed runs, so every run "
      "finds them in the page cache.")


def main():
    cmd = sys.argv[1] if len(sys.argv) > 1 else ""
    if cmd == "mosaic":
        mosaic(sys.argv[2], sys.argv[3], int(sys.argv[4]), int(sys.argv[5]))
    elif cmd == "ref":
        ref(sys.argv[2:])
    elif cmd == "wrapcheck":
        wrapcheck(*sys.argv[2:7])
    elif cmd == "check":
        check(sys.argv[2], int(sys.argv[3]), sys.argv[4])
    elif cmd == "report":
        report(sys.argv[2], sys.argv[3])
    else:
        sys.exit(__doc__)


if __name__ == "__main__":
    main()
