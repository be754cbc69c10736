#!/bin/sh
# PostGIS peer for bench/run.sh: a throwaway PostgreSQL server on a Unix
# socket only, and the kNN-8 / within-25 km tasks as psql scripts.
#
#   postgis.sh start DIR               initdb into DIR/data, start; socket in DIR
#   postgis.sh task knn|within CSV OUT DIR [RSSLOG]
#                                      one whole task: load CSV, build the
#                                      geography column and GiST index, run
#                                      the query, write OUT; appends the
#                                      backend's peak RSS (kB) to RSSLOG
#   postgis.sh version DIR             PostgreSQL and PostGIS versions
#   postgis.sh stop DIR                stop the server and remove DIR
#
# As root, the server runs as the "postgres" user (initdb refuses root);
# psql runs as the caller and connects as that database superuser.
set -eu

PGBIN=${PGBIN:-$(ls -d /usr/lib/postgresql/*/bin 2>/dev/null | sort -V | tail -n 1)}
[ -x "$PGBIN/initdb" ] || { echo "postgis.sh: no PostgreSQL in $PGBIN" >&2; exit 1; }
PGUSER=bench
export PGUSER

as_server() {
	if [ "$(id -u)" = 0 ]; then
		runuser -u postgres -- "$@"
	else
		"$@"
	fi
}

cmd=${1:?usage: postgis.sh start|task|stop ...}
shift
case $cmd in
start)
	dir=${1:?DIR}
	mkdir -p "$dir"
	[ "$(id -u)" = 0 ] && chown postgres "$dir"
	as_server "$PGBIN/initdb" -D "$dir/data" -U "$PGUSER" --auth=trust \
		--encoding=UTF8 --locale=C.UTF-8 >"$dir/initdb.log" 2>&1 || {
		cat "$dir/initdb.log" >&2
		exit 1
	}
	# One backend, no parallel workers; durability off (nothing here needs
	# it and cityweave does not fsync either); everything else default.
	as_server "$PGBIN/pg_ctl" -D "$dir/data" -l "$dir/server.log" -w \
		-o "-k $dir -c listen_addresses='' -c fsync=off -c synchronous_commit=off -c full_page_writes=off -c max_parallel_workers_per_gather=0 -c max_parallel_maintenance_workers=0" \
		start >/dev/null
	"$PGBIN/psql" -h "$dir" -d postgres -qAt -v ON_ERROR_STOP=1 \
		-c "CREATE EXTENSION postgis" >/dev/null
	;;
version)
	"$PGBIN/psql" -h "${1:?DIR}" -d postgres -qAt -c "SELECT version()" \
		-c "SELECT postgis_lib_version(), postgis_geos_version(), postgis_proj_version()"
	;;
stop)
	dir=${1:?DIR}
	if [ -f "$dir/data/postmaster.pid" ]; then
		as_server "$PGBIN/pg_ctl" -D "$dir/data" -m fast -w stop >/dev/null || true
	fi
	rm -rf "$dir"
	;;
task)
	task=${1:?knn|within}
	src=$(realpath "${2:?CSV}")
	out=$(realpath -m "${3:?OUT}")
	dir=${4:?DIR}
	rsslog=${5:-/dev/null}
	case $task in
	knn)
		query="
WITH nn AS (
    SELECT a.id AS aid, b.id AS bid, ST_Distance(a.geog, b.geog) AS m
    FROM cities a
    CROSS JOIN LATERAL (
        SELECT c.id, c.geog FROM cities c
        WHERE c.id <> a.id
        ORDER BY a.geog <-> c.geog
        LIMIT 8) b
)
SELECT least(aid, bid) AS from_id, greatest(aid, bid) AS to_id,
       min(m) / 1000 AS dist_km
FROM nn GROUP BY 1, 2 ORDER BY 1, 2" ;;
	within)
		query="
SELECT a.id AS from_id, b.id AS to_id, ST_Distance(a.geog, b.geog) / 1000 AS dist_km
FROM cities a JOIN cities b
  ON a.id < b.id AND ST_DWithin(a.geog, b.geog, 25000)
ORDER BY 1, 2" ;;
	*) echo "postgis.sh: unknown task $task" >&2; exit 2 ;;
	esac
	"$PGBIN/psql" -h "$dir" -d postgres -qAt -v ON_ERROR_STOP=1 <<SQL
SET client_min_messages = warning;
SELECT pg_backend_pid() AS pid \gset
\setenv BENCH_PID :pid
DROP TABLE IF EXISTS raw, cities;
CREATE UNLOGGED TABLE raw (id bigint, name text, lon float8, lat float8);
\copy raw FROM '$src' WITH (FORMAT csv, HEADER true)
CREATE UNLOGGED TABLE cities AS
    SELECT id, name, ST_SetSRID(ST_MakePoint(lon, lat), 4326)::geography AS geog
    FROM raw;
CREATE INDEX cities_geog ON cities USING gist (geog);
ANALYZE cities;
\o '$out'
COPY ($query) TO STDOUT WITH (FORMAT csv, HEADER true);
\o
\! awk '/^VmHWM/ { print \$2 }' /proc/\$BENCH_PID/status >>'$rsslog'
DROP TABLE raw, cities;
SQL
	;;
*)
	echo "postgis.sh: unknown command $cmd" >&2
	exit 2
	;;
esac
