"""The Python half of bench/green.sh: input helpers, the cross-checks and
bench/GREEN_RESULTS.md (on stdout).

    green_report.py snap TILE.tif W S E N     the window widened to whole cells
    green_report.py census POLYS.gpkg         polygons per JAXA class
    green_report.py inputs DATADIR "W S E N"  the input summary (log note)
    green_report.py check OUTDIR              label|verdict|detail lines
    green_report.py report LOGDIR DATADIR     the Markdown

SPDX-License-Identifier: MIT
"""
import csv
import glob
import math
import os
import re
import statistics
import sys

from osgeo import gdal, ogr

HERE = os.path.dirname(os.path.abspath(__file__))
sys.path.insert(0, HERE)
from reportlib import machine, print_crosschecks, sh, Logs  # noqa: E402

gdal.UseExceptions()
ogr.UseExceptions()

GI_CLASSES = {1: "water", 3: "farmland", 4: "farmland", 5: "grass", 6: "forest",
              7: "forest", 8: "forest", 9: "forest", 11: "forest"}
CLASSES = ["farmland", "forest", "grass", "water"]
# Tolerances of the cross-checks: the 0.1 % (vector vs PostGIS) and
# 0.5 % (raster vs vector) per municipality; below SMALL_M2 of GI a zone is
# only checked in absolute terms (a sliver of a municipality at the window's
# edge: a relative difference there says nothing).
TOL_VEC = 0.001
TOL_RAS = 0.005
SMALL_M2 = 1e6
TOL_ACCESS = 0.001
# Points per ward: a point a few decimetres from a long boundary edge can
# fall on either side (see EDGES); up to this share of a ward's points.
TOL_POP = 1e-4
# The trial runs that chose the window (by hand, `cityweave green MUNIS --gi
# GI --class-field gi_class -o OUT.gpkg -v` on quarters of the tile made as
# green.sh makes its window; the machine's load average about 5 on 2 cores).
PROBES = ("Trial runs on quarters of the tile (2026-11-23, same binary, load "
          "average about 5 on the 2 cores): south-east quarter (139.5-140 E, "
          "35-35.5 N; 78,216 GI polygons, 31 municipalities) 85 s wall, 43.6 s "
          "CPU; north-west quarter (139-139.5 E, 35.5-36 N; mountains and forest, "
          "86,677 GI polygons, 64 municipalities) 338 s wall, 138 s CPU, of which "
          "248 s wall in the GI patch step. The time grows faster than the number "
          "of polygons where large forest patches join many small ones, and the "
          "whole tile joins the two western quarters' forests into larger patches "
          "still, so the whole tile (290,331 GI polygons) would take more than the "
          "sum of its quarters, over 6 minutes of CPU and, at that load, over 15 "
          "minutes of wall time.")


def snap(tile, w, s, e, n):
    ds = gdal.Open(tile)
    x0, dx, _, y0, _, dy = ds.GetGeoTransform()
    nx, ny = ds.RasterXSize, ds.RasterYSize
    c0 = max(0, math.floor((float(w) - x0) / dx + 1e-9))
    c1 = min(nx, math.ceil((float(e) - x0) / dx - 1e-9))
    r0 = max(0, math.floor((float(n) - y0) / dy + 1e-9))
    r1 = min(ny, math.ceil((float(s) - y0) / dy - 1e-9))
    print("%.12f %.12f %.12f %.12f" % (x0 + c0 * dx, y0 + r1 * dy,
                                       x0 + c1 * dx, y0 + r0 * dy))


def census(path):
    ds = ogr.Open(path)
    counts = {}
    for f in ds.GetLayer(0):
        k = f.GetField("jaxa")
        counts[k] = counts.get(k, 0) + 1
    by = {}
    for k, v in counts.items():
        c = GI_CLASSES.get(k, "other")
        by[c] = by.get(c, 0) + v
    print("polygons %d" % sum(counts.values()))
    for c in CLASSES + ["other"]:
        print("%s %d" % (c, by.get(c, 0)))


def read_census(path):
    with open(path) as f:
        return {k: int(v) for k, v in (line.split() for line in f)}


def count(path):
    ds = ogr.Open(path)   # kept: a layer dies with its dataset
    return ds.GetLayer(0).GetFeatureCount()


def tif_size(path):
    ds = gdal.Open(path)
    x0, dx, _, y0, _, dy = ds.GetGeoTransform()
    return (ds.RasterXSize, ds.RasterYSize, x0, y0 + ds.RasterYSize * dy,
            x0 + ds.RasterXSize * dx, y0)


def inputs(d, win):
    p = print
    wc = read_census(os.path.join(d, "win.census"))
    ac = read_census(os.path.join(d, "wardsgi.census"))
    nx, ny, x0, y0, x1, y1 = tif_size(os.path.join(d, "win.tif"))
    p("window %s: %d x %d cells, %.6f..%.6f E, %.6f..%.6f N"
      % (win, nx, ny, x0, x1, y0, y1))
    p("window polygons %d, GI %d (%s), not GI %d"
      % (wc["polygons"], sum(wc[c] for c in CLASSES),
         ", ".join("%s %d" % (c, wc[c]) for c in CLASSES), wc["other"]))
    p("municipalities %d" % count(os.path.join(d, "munis.gpkg")))
    nx, ny, x0, y0, x1, y1 = tif_size(os.path.join(d, "wardsgi.tif"))
    p("wards %d; their GI window %d x %d cells, %.6f..%.6f E, %.6f..%.6f N: "
      "polygons %d, GI %d" % (count(os.path.join(d, "wards.gpkg")), nx, ny,
                              x0, x1, y0, y1, ac["polygons"],
                              sum(ac[c] for c in CLASSES)))
    p("building points %d" % count(os.path.join(d, "buildings.gpkg")))


# ---- cross-checks ----

def read_gpkg(path):
    rows = {}
    ds = ogr.Open(path)
    for f in ds.GetLayer(0):
        d = f.items()
        rows[d["zid"]] = d
    return rows


def read_csv(path):
    with open(path) as f:
        return {int(r["zid"]): {k: float(v) for k, v in r.items()}
                for r in csv.DictReader(f)}


def differences(a, b, field):
    """The largest relative difference of FIELD over zones with at least
    SMALL_M2 in both, its zone, the largest absolute one over all zones, and
    the totals."""
    rel = absd = 0.0
    worst = "-"
    for z in a:
        x, y = float(a[z].get(field) or 0), float(b[z].get(field) or 0)
        absd = max(absd, abs(x - y))
        if min(x, y) >= SMALL_M2 and abs(x - y) / y > rel:
            rel, worst = abs(x - y) / y, z
    tot_a = sum(float(r.get(field) or 0) for r in a.values())
    tot_b = sum(float(r.get(field) or 0) for r in b.values())
    return rel, worst, absd, tot_a, tot_b


def compare(a, b, fields, tol):
    """verdict, detail over FIELDS (the worst of them)."""
    if set(a) != set(b):
        return "MISMATCH", "zones differ: %d vs %d" % (len(a), len(b))
    d = [differences(a, b, f) + (f,) for f in fields]
    rel, worst, _, tot_a, tot_b, field = max(d, key=lambda x: x[0])
    absd, afield = max((x[2], x[5]) for x in d)
    detail = ("%d zones; largest relative difference %.4f %% (%szid %s), largest "
              "absolute %.0f m2 (%s)" % (len(a), 100 * rel,
                                        field + ", " if len(fields) > 1 else "",
                                        worst, absd, afield))
    if len(fields) == 1:
        detail += ("; totals %.6g vs %.6g m2 (%+.4f %%)"
                   % (tot_a, tot_b, 100 * (tot_a - tot_b) / tot_b if tot_b else 0))
    return ("OK" if rel <= tol else "MISMATCH"), detail


def check(out):
    p = print
    f = lambda n: os.path.join(out, n)  # noqa: E731
    have = lambda n: os.path.exists(f(n))  # noqa: E731
    cw = read_gpkg(f("cw_vec.gpkg")) if have("cw_vec.gpkg") else None
    ca = read_gpkg(f("cw_area.gpkg")) if have("cw_area.gpkg") else None
    pg = read_csv(f("pg_vec.csv")) if have("pg_vec.csv") else None
    gp = read_csv(f("gp_vec.csv")) if have("gp_vec.csv") else None
    ras = read_gpkg(f("cw_ras.gpkg")) if have("cw_ras.gpkg") else None
    pairs = [("cityweave --areas-only vs PostGIS", ca, pg, TOL_VEC),
             ("cityweave --areas-only vs cityweave vector", ca, cw, 1e-9),
             ("cityweave vector vs PostGIS", cw, pg, TOL_VEC),
             ("cityweave vector vs GeoPandas", cw, gp, TOL_VEC),
             ("PostGIS vs GeoPandas", pg, gp, TOL_VEC),
             ("cityweave raster vs cityweave vector", ras, cw, TOL_RAS),
             ("cityweave raster vs PostGIS", ras, pg, TOL_RAS)]
    for label, a, b, tol in pairs:
        if a is None or b is None:
            p("%s|MISSING|an output is missing (a command failed)" % label)
            continue
        for what, fields in [("gi_area_m2", ["gi_area_m2"]),
                             ("gi_<class>_m2, 4 classes", ["gi_%s_m2" % c for c in CLASSES]),
                             ("zone_area_m2", ["zone_area_m2"])]:
            st, detail = compare(a, b, fields, tol)
            p("%s: %s per municipality|%s|%s" % (label, what, st, detail))
    acc = read_gpkg(f("cw_acc.gpkg")) if have("cw_acc.gpkg") else None
    pga = read_csv(f("pg_acc.csv")) if have("pg_acc.csv") else None
    if acc is None or pga is None:
        p("access: cityweave vs PostGIS|MISSING|an output is missing")
        return
    if set(acc) != set(pga):
        p("access: cityweave vs PostGIS|MISMATCH|wards differ")
        return
    dpop = max(abs(float(acc[z]["pop"]) - pga[z]["pop"]) for z in acc)
    dacc = max(abs(float(acc[z]["access_pop"]) - pga[z]["access_pop"]) for z in acc)
    dsh = max(abs(float(acc[z]["access_share"]) - pga[z]["access_share"]) for z in acc)
    worst = max(acc, key=lambda z: abs(float(acc[z]["access_share"]) - pga[z]["access_share"]))
    tot = lambda rows, k: sum(float(r[k]) for r in rows.values())  # noqa: E731
    moved = [z for z in acc if float(acc[z]["pop"]) != pga[z]["pop"]]
    rel = max((abs(float(acc[z]["pop"]) - pga[z]["pop"]) / pga[z]["pop"] for z in moved),
              default=0)
    p("access: people (points) per ward, cityweave vs PostGIS|%s|%d wards; %d differ, "
      "by at most %d point(s) (%.4f %% of the ward's): %s; totals %d vs %d"
      % ("OK" if rel <= TOL_POP and tot(acc, "pop") == tot(pga, "pop") else "MISMATCH",
         len(acc), len(moved), dpop, 100 * rel,
         ", ".join("%s %+d" % (acc[z].get("N03_004"), float(acc[z]["pop"]) - pga[z]["pop"])
                   for z in sorted(moved)) or "none",
         tot(acc, "pop"), tot(pga, "pop")))
    p("access: access_pop and access_share per ward, cityweave vs PostGIS|%s|"
      "largest difference %d points, %.5f in share (%s, zid %d: %s vs %s); "
      "totals %d vs %d with access"
      % ("OK" if dsh <= TOL_ACCESS else "MISMATCH", dacc, dsh,
         acc[worst].get("N03_004"), worst, acc[worst]["access_share"],
         pga[worst]["access_share"], tot(acc, "access_pop"), tot(pga, "access_pop")))


# ---- the report ----

# Found while checking the first run by hand (2026-11-23): one municipality,
# its 130 GI polygons that cross its boundary, one by one.
EDGES = (
    "cityweave clips GI polygons and places points in each zone's own "
    "Lambert azimuthal equal-area projection, its edges straight lines between "
    "the projected vertices; PostGIS (`ST_Intersection` on geometry), GeoPandas "
    "(`overlay` in degrees) and cityweave's raster path (cell fractions in the "
    "lon/lat grid) cut along lines straight in longitude and latitude. The two "
    "differ by decimetres in the middle of a long edge, and the municipal "
    "boundaries here are the simplified ones (`wards_s0010`): Yoshikawa (zid "
    "576) has 14 vertices and an edge of 5.1 km. Its 130 crossing GI polygons, "
    "clipped one at a time, give cityweave 10,852,240 m2 and GeoPandas 10,851,175 "
    "m2 (+1,065 m2, the whole of its difference); for one of them, projecting "
    "then clipping with Shapely gives 5,654.4 m2 and clipping then projecting "
    "5,574.8 m2, cityweave's and PostGIS's figures. The area moves between "
    "neighbours (the totals agree to 1e-6). The polygons inside a zone agree to "
    "the square metre. The same convention moves a few building points between "
    "wards: Shapely's point-in-polygon in lon/lat gives PostGIS's counts per "
    "ward, in each ward's LAEA cityweave's. The zone areas agree to metres because "
    "PostGIS's geography area uses geodesic edges, which cityweave's projected "
    "straight edges follow closely; whether a straight lon/lat edge or a "
    "geodesic is meant is a convention of the data, not something either side "
    "gets wrong, but the raster and vector paths of cityweave use different ones.")


def problems(R, ngi):
    """The findings about cityweave green, from this run's numbers."""
    out = []
    cw, pg, gp, ar = R["cw_vec"], R["pg_vec"], R["gp_vec"], R["cw_area"]
    if cw.wall and pg.wall and ar.wall:
        out.append(
            "All indicators take %.0f s wall (%.0f s CPU) for %d GI polygons; PostGIS "
            "takes %.2fx as long for the areas alone, and cityweave's areas alone "
            "(`--coverage --areas-only`) take %.1f s. `-v` splits the full run into the GI patch "
            "step (joining touching polygons over the whole layer and checking that "
            "they do not overlap: one thread, most of it GEOS overlays of touching "
            "pairs) and the zones step (clipping; joining pieces and measuring the "
            "edges they share, again by GEOS overlays; two threads). `--coverage` "
            "skips the overlap checks of both."
            % (cw.wall, cw.cpu, ngi, pg.wall / cw.wall, ar.wall))
    ca, pa = R["cw_acc"], R["pg_acc"]
    if ca.wall and pa.wall:
        st = [l for l in steps_of(ca) if "GI patches" in l]
        out.append(
            "Accessibility: the target is %s (%.1fx PostGIS). Of cityweave's %.0f s, "
            "the first %s s (before the GI patch step) go to reading the zones, the "
            "GI and the 1.77 M points." % (
                "met" if pa.wall / ca.wall >= 3 else "not met", pa.wall / ca.wall,
                ca.wall, st[0].split(": ")[1].split(" s")[0] if st else "?"))
    out.append(
        "Clipping and point-in-polygon in each zone's LAEA (above): within the "
        "issue's tolerances here (0.1 %, 0.5 %), but the raster and vector paths "
        "follow different edge conventions; worth a sentence in the man page, or "
        "densifying long zone edges in lon/lat before projecting them.")
    out.append(
        "The `gi_<class>_m2` columns come in the order in which the classes first "
        "appear in the GI input (a window of the same data gave `gi_farmland_m2, "
        "gi_forest_m2, ...`, another `gi_grass_m2, gi_farmland_m2, ...`): "
        "deterministic, but a fixed order (the class map's) would make outputs of "
        "different inputs line up.")
    return out

def timev(path):
    """wall s, CPU (user + system) s, peak RSS kB of one GNU time -v file."""
    t = {}
    with open(path) as f:
        for line in f:
            k, _, v = line.strip().rpartition(": ")
            t[k] = v
    h = [float(x) for x in t["Elapsed (wall clock) time (h:mm:ss or m:ss)"].split(":")]
    wall = sum(x * 60 ** i for i, x in enumerate(reversed(h)))
    return (wall, float(t["User time (seconds)"]) + float(t["System time (seconds)"]),
            int(t["Maximum resident set size (kbytes)"]))


def numbers(path):
    if not os.path.exists(path):
        return []
    with open(path) as f:
        return [float(x) for x in f.read().split()]


class Run:
    """The runs of one timed command: median wall and CPU, largest RSS."""

    def __init__(self, logs, name):
        self.name = name
        files = sorted(glob.glob(logs.file(name + ".*.timev")))
        self.rc = logs.text(name + ".rc", "?")
        self.err = logs.text(name + ".err", "")
        t = [timev(p) for p in files if os.path.getsize(p)]
        ok = self.rc == "0" and t
        self.n = len(t)
        self.wall = statistics.median(x[0] for x in t) if ok else None
        self.walls = [x[0] for x in t]
        server = numbers(logs.file(name + ".backend.cpu"))
        cpus = [x[1] + (server[i] if i < len(server) else 0) for i, x in enumerate(t)]
        self.cpu = statistics.median(cpus) if ok else None
        self.server_cpu = statistics.median(server) if server else None
        backend = max(numbers(logs.file(name + ".backend")), default=0)
        self.rss = (max(x[2] for x in t) + backend) / 1024.0 if ok else None
        self.backend = backend / 1024.0


def fmt(x, spec="%.1f"):
    return spec % x if x is not None else "failed"


def ratio(a, b):
    return "%.2f" % (a / b) if a is not None and b is not None and b > 0 else "–"


def steps_of(run):
    return [l for l in run.err.splitlines() if l.startswith("cityweave green")]


def steps(logs, name):
    lines = [l for l in logs.text(name + ".err", "").splitlines()
             if l.startswith("cityweave green")]
    return "\n".join(lines)


def load_line(logs):
    s = numbers(logs.file("load.samples"))
    return ("Load average (1, 5, 15 min) before %s, after %s; 1-minute load "
            "sampled every 10 s: mean %.2f, max %.2f (%d s in all). The machine "
            "is shared (2 cores) and other users' processes were not stopped: "
            "wall times are what this load allowed, CPU times are less "
            "sensitive to it"
            % (logs.text("load.before"), logs.text("load.after"),
               statistics.mean(s) if s else 0, max(s) if s else 0,
               int(logs.text("elapsed", "0"))))


def report(logdir, d):
    logs = Logs(logdir)
    p = print
    inp = logs.text("inputs.txt").splitlines()
    win = re.match(r"window ([-\d. ]+):", inp[0]).group(1).split()
    whole = [float(x) for x in win] == [139, 35, 140, 36]
    wc = read_census(os.path.join(d, "win.census"))
    ngi = sum(wc[c] for c in CLASSES)
    R = {n: Run(logs, n)
         for n in ["cw_area", "cw_vec", "pg_vec", "gp_vec", "cw_ras", "cw_acc", "pg_acc"]}
    p("# cityweave green benchmark: JAXA land cover polygonised vs municipalities; "
      "WHO access for Tokyo's 23 wards")
    p()
    p("Generated by `bench/green.sh` (its top comment says how the input is made "
      "and what is timed). Do not edit by hand.")
    p()
    if not whole:
        p("**A window, not the whole tile.** The overlay runs on %s of the N35E139 "
          "tile (%s E, %s N: %d polygons of the tile's 337,435), not on all of it: "
          "cityweave's vector path would have taken well over the 10 minutes this "
          "benchmark can give one command on the shared machine. %s See *Problems "
          "found*." % ("the east half" if win == ["139.5", "35", "140", "36"] else "a window",
                       "%s-%s" % (win[0], win[2]), "%s-%s" % (win[1], win[3]),
                       wc["polygons"], PROBES))
        p()
    model, ncpu, mem = machine()
    pv = logs.text("postgres.version").split("\n")
    p("- Input (made by `bench/green.sh`, kept in `bench/work/green/data`):")
    for line in inp:
        p("  - %s" % line)
    p("- Machine: %s, %d cores (nproc), %.1f GiB RAM" % (model, ncpu, mem))
    p("- cityweave: %s, %s; built with `make B=build` (%s, CFLAGS -O2 -g); "
      "2 worker threads (one per processor, the default)"
      % (sh(os.path.join(d, "..", "bin", "cityweave"), "--version"),
         "; ".join(logs.text("build.txt").splitlines()),
         sh("cc", "--version").splitlines()[0]))
    if os.path.exists(logs.file("make.failed")):
        p("- **The tree did not build at run time**; timed the existing build/cityweave")
    p("- PostGIS: %s; PostGIS, GEOS, PROJ %s; the throwaway server of "
      "`bench/peers/postgis.sh` (one backend, no parallel workers, fsync off)"
      % (pv[0].split(" on ")[0], pv[1] if len(pv) > 1 else "?"))
    p("- GeoPandas: %s (Debian's packages; Shapely 1.8 without PyGEOS: the "
      "intersections run one pair at a time in Python)" % logs.text("py.version"))
    p("- %s" % logs.text("gdal.version"))
    p("- Each command once under `/usr/bin/time -v` (the raster path and "
      "`--areas-only` %d times, median); %s" % (R["cw_ras"].n, load_line(logs)))
    p("- *CPU s* = user + system. For PostGIS it adds the server backends' CPU "
      "(the postmaster's reaped children, read from /proc): GNU time sees only "
      "the clients. *Peak RSS* for PostGIS = the largest client (ogr2ogr, psql, "
      "Python) + the query backend's VmHWM (which counts the shared buffers it "
      "touched)")
    p()
    p("## Overlay: GI area per municipality and class (%d GI polygons)" % ngi)
    p()
    p("| command | wall s | CPU s | peak RSS MiB | PostGIS / cityweave (wall) | "
      "GeoPandas / cityweave (wall) | same, CPU |")
    p("|---|---:|---:|---:|---:|---:|---|")
    rows = [("cityweave `green --gi --coverage --areas-only` (vector: areas by class, as the peers)",
             "cw_area"),
            ("cityweave `green --gi` (vector: areas, patches, m_eff, CBC, edge density)", "cw_vec"),
            ("PostGIS: ogr2ogr (GiST), ST_Intersection, ST_Area(geography)", "pg_vec"),
            ("GeoPandas: read_file, overlay(intersection), area in LAEA", "gp_vec"),
            ("cityweave `green --raster --classes jaxa` (raster: areas only)", "cw_ras")]
    cw, pg, gp = R["cw_vec"], R["pg_vec"], R["gp_vec"]
    for label, n in rows:
        r = R[n]
        extra = ("%s, %s" % (ratio(pg.cpu, r.cpu), ratio(gp.cpu, r.cpu))
                 if n.startswith("cw") else "")
        p("| %s | %s | %s | %s | %s | %s | %s |"
          % (label, fmt(r.wall), fmt(r.cpu), fmt(r.rss, "%.0f"),
             ratio(pg.wall, r.wall) if n.startswith("cw") else "",
             ratio(gp.wall, r.wall) if n.startswith("cw") else "", extra))
    p()
    ras, ca = R["cw_ras"], R["cw_area"]
    p("Targets (from the issue; the like-for-like run is `--areas-only`, which "
      "computes what the peers do, on GI declared not to overlap as the peers "
      "assume; the full vector run is given too):")
    p()
    for label, r in [("vector, areas only", ca), ("vector, all indicators", cw)]:
        p("- cityweave %s ≥ 3x faster than PostGIS: %s (wall), %s (CPU): **%s**"
          % (label, ratio(pg.wall, r.wall), ratio(pg.cpu, r.cpu),
             "met" if r.wall and pg.wall and pg.wall / r.wall >= 3 else "not met"))
        p("- cityweave %s ≥ 3x faster than GeoPandas: %s (wall), %s (CPU): **%s**"
          % (label, ratio(gp.wall, r.wall), ratio(gp.cpu, r.cpu),
             "met" if r.wall and gp.wall and gp.wall / r.wall >= 3 else "not met"))
    p("- peak memory under 4 GiB: cityweave %s MiB (all indicators), %s MiB (areas "
      "only): **%s**" % (fmt(cw.rss, "%.0f"), fmt(ca.rss, "%.0f"),
                         "met" if cw.rss and ca.rss and max(cw.rss, ca.rss) < 4096
                         else "not met"))
    p("- raster path ≥ 10x faster than the vector path: %s (wall), %s (CPU): **%s**"
      % (ratio(cw.wall, ras.wall), ratio(cw.cpu, ras.cpu),
         "met" if cw.wall and ras.wall and cw.wall / ras.wall >= 10 else "not met"))
    if pg.server_cpu is not None:
        p()
        p("PostGIS's %.1f CPU s: %.1f in the server, the rest in ogr2ogr, psql and Python."
          % (pg.cpu, pg.server_cpu))
    p()
    p("## Accessibility: building points within 300 m of GI patches of 0.5 ha or more, per ward")
    p()
    p("| command | wall s | CPU s | peak RSS MiB | PostGIS / cityweave (wall) | same, CPU |")
    p("|---|---:|---:|---:|---:|---:|")
    ca, pa = R["cw_acc"], R["pg_acc"]
    p("| cityweave `green WARDS --gi GI --class-field gi_class --pop BUILDINGS` | %s | %s | %s | %s | %s |"
      % (fmt(ca.wall), fmt(ca.cpu), fmt(ca.rss, "%.0f"), ratio(pa.wall, ca.wall),
         ratio(pa.cpu, ca.cpu)))
    p("| PostGIS: ogr2ogr (GiST), ST_ClusterDBSCAN(eps 0), ST_DWithin(geography, 300) | %s | %s | %s | | |"
      % (fmt(pa.wall), fmt(pa.cpu), fmt(pa.rss, "%.0f")))
    p()
    p("- target cityweave ≥ 3x faster than PostGIS: %s (wall), %s (CPU): **%s**"
      % (ratio(pa.wall, ca.wall), ratio(pa.cpu, ca.cpu),
         "met" if ca.wall and pa.wall and pa.wall / ca.wall >= 3 else "not met"))
    if pa.server_cpu is not None:
        p("- PostGIS's %.1f CPU s: %.1f in the server" % (pa.cpu, pa.server_cpu))
    p()
    failed = [r for r in R.values() if r.rc != "0"]
    for r in failed:
        p("**%s failed** (exit %s): `%s`" % (r.name, r.rc, r.err.splitlines()[-1] if r.err else "?"))
        p()
    p("## Where cityweave's time goes (`-v` of the timed runs)")
    p()
    for n, label in [("cw_area", "vector overlay, areas only"), ("cw_vec", "vector overlay"),
                     ("cw_acc", "accessibility")]:
        p("%s:" % label)
        p()
        p("```")
        p(steps(logs, n))
        p("```")
        p()
    print_crosschecks(logs)
    p("### Why cityweave's vector areas differ from the others' more than they differ among themselves")
    p()
    p(EDGES)
    p()
    p("## Problems found in `cityweave green`")
    p()
    for line in problems(R, ngi):
        p("- %s" % line)
    p()
    p("## What is timed")
    p()
    p("- cityweave: one process from the GeoPackages to a GeoPackage of the zones "
      "with their indicators. `--coverage --areas-only` computes what the peers "
      "do: GI area per zone and class, polygons inside a zone taken whole, the "
      "others clipped, on GI declared not to overlap (the peers sum overlaps "
      "too). The full vector run computes more: it looks for overlaps, and "
      "besides the areas per class, the patches (touching polygons joined), "
      "their count, mean area, largest patch index, edge density, m_eff and its "
      "cross-boundary variant with whole-patch areas.")
    p("- PostGIS: `bench/peers/green_postgis.py`: loading the GeoPackages with "
      "ogr2ogr (COPY, GiST index built by GDAL's PostgreSQL driver) is timed, as "
      "reading them is for the others; then `green_overlay.sql` (each zone-polygon "
      "pair found by the index, cut with ST_Intersection unless ST_CoveredBy, "
      "ST_Area on geography: the WGS84 spheroid) or `green_access.sql` (patches "
      "by ST_ClusterDBSCAN(geom, 0, 1), i.e. the clusters of ST_ClusterIntersecting, "
      "a patch's area the sum of its polygons' areas on the spheroid: polygonised "
      "land cover does not overlap; the polygons of patches of 0.5 ha or more as "
      "geography with a GiST index; each point's ward by ST_Intersects and "
      "EXISTS ST_DWithin(geography, 300 m) on the spheroid) to a CSV.")
    p("- GeoPandas: `bench/peers/green_geopandas.py`: `read_file` (Fiona), "
      "`overlay(how='intersection')`, pieces and zones to `+proj=laea +lat_0=35.5 "
      "+lon_0=139.5 +ellps=WGS84` (equal-area on the ellipsoid), areas summed per "
      "zone and class, to a CSV.")
    p("- The input files are read once with `cat` before the timed runs, so every "
      "run finds them in the page cache.")


def main():
    cmd, args = sys.argv[1], sys.argv[2:]
    {"snap": snap, "census": census, "inputs": inputs, "check": check,
     "report": report}[cmd](*args)


if __name__ == "__main__":
    main()
