#!/usr/bin/python3
"""PostGIS peer of bench/green.sh: one whole task against the throwaway
server of bench/peers/postgis.sh, from the GeoPackages to a CSV.

    green_postgis.py overlay PGDIR OUT.csv RSSLOG ZONES.gpkg GI.gpkg
    green_postgis.py access  PGDIR OUT.csv RSSLOG ZONES.gpkg GI.gpkg PTS.gpkg

Loads each input with ogr2ogr (COPY, EPSG:4326 kept, the GiST index GDAL's
PostgreSQL driver builds), then runs green_overlay.sql or green_access.sql
in one psql session, which appends its backend's peak RSS (VmHWM, kB) to
RSSLOG. Zones keep `zid`, GI `gi_class`, points nothing but the geometry.
The server's CPU time is not the caller's (GNU time does not see it): the
CPU seconds that the server's backends spent meanwhile (the postmaster's
reaped children, from /proc) are appended to RSSLOG.cpu.

SPDX-License-Identifier: MIT
"""
import glob
import os
import subprocess
import sys
import time

HERE = os.path.dirname(os.path.abspath(__file__))


def psql():
    bins = sorted(glob.glob("/usr/lib/postgresql/*/bin/psql"),
                  key=lambda p: int(p.split("/")[4]))
    return bins[-1] if bins else "psql"


def load(pgdir, path, table, fields, geom_type):
    subprocess.run(
        ["ogr2ogr", "-f", "PostgreSQL",
         "PG:host=%s dbname=postgres user=bench" % pgdir, path,
         "-nln", table, "-overwrite", "-select", fields, "-nlt", geom_type,
         "-lco", "GEOMETRY_NAME=geom", "-lco", "FID=fid",
         "--config", "PG_USE_COPY", "YES"], check=True)


def server_cpu(pgdir):
    """CPU seconds of the postmaster's exited children (the backends)."""
    with open(os.path.join(pgdir, "data", "postmaster.pid")) as f:
        pid = f.readline().strip()
    with open("/proc/%s/stat" % pid) as f:
        fields = f.read().rsplit(")", 1)[1].split()
    # fields[0] is field 3 (state): cutime, cstime are fields 16, 17.
    return (int(fields[13]) + int(fields[14])) / os.sysconf("SC_CLK_TCK")


def main(task, pgdir, out, rsslog, zones, gi, pts=None):
    cpu0 = server_cpu(pgdir)
    load(pgdir, zones, "zones", "zid", "MULTIPOLYGON")
    load(pgdir, gi, "gi", "gi_class", "POLYGON")
    if task == "access":
        load(pgdir, pts, "pts", "", "POINT")
    env = dict(os.environ, PGUSER="bench")
    subprocess.run(
        [psql(), "-h", pgdir, "-d", "postgres", "-qAt", "-v", "ON_ERROR_STOP=1",
         "-v", "out=%s" % os.path.abspath(out),
         "-v", "rsslog=%s" % os.path.abspath(rsslog),
         "-f", os.path.join(HERE, "green_%s.sql" % task)], check=True, env=env)
    # The backends exit as their clients disconnect and the postmaster
    # reaps them at once; half a second is ample.
    time.sleep(0.5)
    with open(rsslog + ".cpu", "a") as f:
        f.write("%.2f\n" % (server_cpu(pgdir) - cpu0))


if __name__ == "__main__":
    a = sys.argv[1:]
    if not ((len(a) == 6 and a[0] == "overlay") or (len(a) == 7 and a[0] == "access")):
        sys.exit(__doc__.split("\n\n")[1])
    main(*a)
