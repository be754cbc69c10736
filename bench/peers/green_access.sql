-- PostGIS peer of bench/green.sh (driven by green_postgis.py): the WHO
-- access indicator per zone. Tables zones (zid, geom), gi (geom) and pts
-- (geom, building points), all EPSG:4326 with the GiST indexes ogr2ogr
-- builds, are loaded beforehand.
-- Patches: GI polygons that touch or overlap are one patch, found with
-- ST_ClusterDBSCAN(geom, 0, 1) (eps 0: the clusters of ST_ClusterIntersecting,
-- through the GiST index). A patch's area is the sum of its polygons' areas
-- on the spheroid (ST_Area of geography): polygonised land cover does not
-- overlap, so this is the area of their union without dissolving. Patches of
-- at least 5,000 m2 (0.5 ha) keep their polygons, as geography with a GiST
-- index; a point has access if ST_DWithin(geography, 300 m, on the spheroid)
-- of one of them: the distance to a patch is the least over its polygons.
-- The CSV has one row per zone: zid, pop, access_pop, access_share.
-- psql variables: out (CSV path), rsslog (file for the backend's VmHWM, kB).
-- SPDX-License-Identifier: MIT
SET client_min_messages = warning;
SELECT pg_backend_pid() AS pid \gset
\setenv BENCH_PID :pid
ANALYZE zones;
ANALYZE gi;
ANALYZE pts;
CREATE TEMP TABLE clustered AS
    SELECT geom, ST_Area(geom::geography) AS m2,
           ST_ClusterDBSCAN(geom, 0, 1) OVER () AS cid
    FROM gi;
CREATE TEMP TABLE big AS
    SELECT c.geom::geography AS geog
    FROM clustered c
    JOIN (SELECT cid FROM clustered GROUP BY cid HAVING sum(m2) >= 5000) k USING (cid);
CREATE INDEX big_geog ON big USING gist (geog);
ANALYZE big;
\o :out
COPY (
    WITH located AS (
        SELECT z.zid,
               EXISTS (SELECT 1 FROM big p
                       WHERE ST_DWithin(p.geog, b.geom::geography, 300)) AS near
        FROM zones z JOIN pts b ON ST_Intersects(z.geom, b.geom)
    )
    SELECT zid, count(*) AS pop, count(*) FILTER (WHERE near) AS access_pop,
           round(count(*) FILTER (WHERE near)::numeric / count(*), 6) AS access_share
    FROM located GROUP BY zid ORDER BY zid
) TO STDOUT WITH (FORMAT csv, HEADER true);
\o
\setenv RSSLOG :rsslog
\! awk '/^VmHWM/ { print $2 }' /proc/$BENCH_PID/status >>"$RSSLOG"
