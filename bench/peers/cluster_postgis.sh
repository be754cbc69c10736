#!/bin/sh
# PostGIS ST_ClusterDBSCAN peer for bench/cluster.sh.  The server is the
# throwaway one of bench/peers/postgis.sh (start / stop / version there).
#
#   cluster_postgis.sh CITIES.csv OUT.csv DIR [RSSLOG [EPS_M [MIN_PTS]]]
#
# One psql session, all of it timed: \copy the CSV into an unlogged table,
# then COPY (SELECT id, ST_ClusterDBSCAN(geom, EPS_M, MIN_PTS) OVER () ...)
# with geom = ST_Transform(lon/lat point, 4087), i.e. planar distances in
# EPSG:4087 WGS 84 / World Equidistant Cylindrical (metres): true along
# meridians, east-west stretched by about 1/cos(latitude) (x2 at 60 deg) --
# an approximation, not geodesics.  No index is built: ST_ClusterDBSCAN
# builds its own tree.  minpoints counts the point itself, as sklearn's
# min_samples.  Writes id,cluster (-1 = noise, PostGIS returns NULL) and
# appends the backend's peak RSS (VmHWM, kB) to RSSLOG.
set -eu
PGBIN=${PGBIN:-$(ls -d /usr/lib/postgresql/*/bin 2>/dev/null | sort -V | tail -n 1)}
PGUSER=bench
export PGUSER
src=$(realpath "${1:?CITIES.csv}")
out=$(realpath -m "${2:?OUT.csv}")
dir=${3:?DIR}
rsslog=${4:-/dev/null}
eps=${5:-50000}
minpts=${6:-5}
"$PGBIN/psql" -h "$dir" -d postgres -qAt -v ON_ERROR_STOP=1 <<SQL
SET client_min_messages = warning;
SELECT pg_backend_pid() AS pid \gset
\setenv BENCH_PID :pid
DROP TABLE IF EXISTS craw;
CREATE UNLOGGED TABLE craw (id bigint, name text, lon float8, lat float8);
\copy craw FROM '$src' WITH (FORMAT csv, HEADER true)
\o '$out'
COPY (
    SELECT id, coalesce(ST_ClusterDBSCAN(
               ST_Transform(ST_SetSRID(ST_MakePoint(lon, lat), 4326), 4087),
               $eps, $minpts) OVER (), -1) AS cluster
    FROM craw
) TO STDOUT WITH (FORMAT csv, HEADER true);
\o
\! awk '/^VmHWM/ { print \$2 }' /proc/\$BENCH_PID/status >>'$rsslog'
DROP TABLE craw;
SQL
