#!/bin/sh
# install-deps.sh: install the Debian/Ubuntu packages cityweave needs to
# build (and, with "check", to test; with "fuzz", to fuzz with clang's
# libFuzzer), unless they are already there.
# SPDX-License-Identifier: MIT
#
#   scripts/install-deps.sh build|check|fuzz
#
# Root uses apt-get directly; others go through sudo. Where neither works,
# the exact command is printed and the script fails.
set -eu

BUILD="build-essential pkg-config libgdal-dev libproj-dev libgeos-dev
libshp-dev libigraph-dev libqhull-dev libcairo2-dev libpango1.0-dev
fonts-dejavu-core fonts-droid-fallback"
RUN="gdal-bin proj-bin"
# The tests' oracles: NumPy, SciPy and GDAL's Python bindings (Degree of
# Urbanisation, population grids, green rasters), geographiclib (hull
# areas), xmllint (map styles).
CHECK="python3 python3-numpy python3-scipy python3-gdal python3-geographiclib libxml2-utils"
# libFuzzer and the sanitizer runtimes ship apart from clang, versioned
# like it (Debian 12: clang 14).
clang_major=$(clang -dumpversion 2>/dev/null | cut -d. -f1)
FUZZ="clang libclang-rt-${clang_major:-14}-dev"

case "${1:-build}" in
    build) want="$BUILD $RUN" ;;
    check) want="$BUILD $RUN $CHECK" ;;
    fuzz) want="$BUILD $FUZZ" ;;
    *) echo "usage: $0 build|check|fuzz" >&2; exit 2 ;;
esac

missing=""
for p in $want; do
    dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q 'ok installed' ||
        missing="$missing $p"
done
[ -z "$missing" ] && exit 0

cmd="apt-get install -y --no-install-recommends$missing"
if ! command -v apt-get >/dev/null 2>&1; then
    echo "cityweave: missing packages:$missing" >&2
    echo "cityweave: this is not a Debian/Ubuntu system; install the equivalents of:$missing" >&2
    exit 1
fi
if [ "$(id -u)" -eq 0 ]; then
    sudo=""
elif command -v sudo >/dev/null 2>&1 && sudo -n true 2>/dev/null; then
    sudo="sudo"
else
    echo "cityweave: missing packages; run as root:" >&2
    echo "  apt-get update && $cmd" >&2
    exit 1
fi
echo "cityweave: installing$missing" >&2
export DEBIAN_FRONTEND=noninteractive
$sudo apt-get update -q >/dev/null || true
$sudo $cmd >/dev/null
