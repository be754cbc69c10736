"""What bench/report.py and bench/cluster_report.py share: reading the log
directory that bench/lib.sh fills (hyperfine's JSON, GNU time's peak RSS
lines, one-line notes) and the Markdown lines both reports print.

SPDX-License-Identifier: MIT
"""
import json
import os
import platform
import subprocess

MIB = 1024.0


def sh(*cmd):
    """A command's stdout, stripped; "?" if it cannot be run."""
    try:
        return subprocess.run(cmd, capture_output=True, text=True,
                              check=False).stdout.strip()
    except OSError:
        return "?"


def kb_lines(path):
    if not os.path.exists(path):
        return []
    with open(path) as f:
        return [int(x) for x in f.read().split() if x.isdigit()]


class Logs:
    """One log directory of bench/run.sh or bench/cluster.sh."""

    def __init__(self, path):
        self.path = path

    def file(self, name):
        return os.path.join(self.path, name)

    def text(self, name, default="?"):
        """The stripped contents of a note such as `elapsed`, or default."""
        p = self.file(name)
        if not os.path.exists(p):
            return default
        with open(p) as f:
            return f.read().strip() or default

    def timing(self, name):
        """median, min, max wall time (s) and the number of runs of NAME."""
        with open(self.file(name + ".json")) as f:
            r = json.load(f)["results"][0]
        return r["median"], min(r["times"]), max(r["times"]), len(r["times"])

    def peak_mib(self, name):
        """Largest peak RSS over the runs.  For PostGIS: psql's own peak plus
        the server backend's VmHWM (which counts the shared buffers it
        touched)."""
        kb = max(kb_lines(self.file(name + ".rss")), default=0)
        kb += max(kb_lines(self.file(name + ".backend")), default=0)
        return kb / MIB


def machine():
    model = "?"
    with open("/proc/cpuinfo") as f:
        for line in f:
            if line.startswith("model name"):
                model = line.split(":", 1)[1].strip()
                break
    with open("/proc/meminfo") as f:
        mem = int(f.readline().split()[1]) / MIB / MIB
    return model, os.cpu_count(), mem


def print_setup(logs, build_note):
    """The Machine, cityweave (and did-not-build) and PostgreSQL lines of
    the header; build_note follows the compiler in the cityweave line."""
    p = print
    model, ncpu, mem = machine()
    p("- Machine: %s, %d cores (nproc), %.1f GiB RAM; %s"
      % (model, ncpu, mem, platform.platform()))
    head = sh("git", "rev-parse", "--short", "HEAD")
    dirty = sh("git", "status", "--porcelain", "--", "src", "include",
               "Makefile")
    p("- cityweave: %s, git %s%s, built with `make B=build` (%s%s)"
      % (sh("build/cityweave", "--version"), head,
         " + uncommitted changes in src/" if dirty else "",
         sh("cc", "--version").splitlines()[0], build_note))
    if os.path.exists(logs.file("make.failed")):
        p("- **The tree did not build at run time** (others' work in "
          "progress); timed the existing build/cityweave of %s"
          % sh("date", "-r", "build/cityweave", "+%Y-%m-%d %H:%M"))


def postgres_line(logs):
    pv = logs.text("postgres.version").split("\n")
    return "- %s; PostGIS, GEOS, PROJ %s" % (pv[0].split(" on ")[0],
                                              pv[1] if len(pv) > 1 else "?")


def print_crosschecks(logs):
    """The cross-check table from crosscheck.txt (label|verdict|detail)."""
    p = print
    p("## Cross-checks (last run's outputs, not timed)")
    p()
    p("| comparison | verdict | detail |")
    p("|---|:---:|---|")
    with open(logs.file("crosscheck.txt")) as f:
        for line in f:
            label, st, detail = line.rstrip("\n").split("|", 2)
            p("| %s | %s | %s |" % (label, st, detail))
    p()
