-- PostGIS peer of bench/green.sh (driven by green_postgis.py): GI area per
-- zone and class. Tables zones (zid, geom) and gi (gi_class, geom), both
-- EPSG:4326 with the GiST index ogr2ogr builds, are loaded beforehand.
-- Each zone-polygon pair the GiST index finds is cut with ST_Intersection
-- (a polygon inside the zone, ST_CoveredBy, is taken whole: the usual idiom,
-- it only saves work), and measured with ST_Area on geography: areas on the
-- WGS84 spheroid (use_spheroid defaults to true). The CSV has one row per
-- zone: zid, zone_area_m2, gi_area_m2, gi_<class>_m2 for the four classes.
-- psql variables: out (CSV path), rsslog (file for the backend's VmHWM, kB).
-- SPDX-License-Identifier: MIT
SET client_min_messages = warning;
SELECT pg_backend_pid() AS pid \gset
\setenv BENCH_PID :pid
ANALYZE zones;
ANALYZE gi;
\o :out
COPY (
    WITH pieces AS (
        SELECT z.zid, g.gi_class,
               ST_Area(CASE WHEN ST_CoveredBy(g.geom, z.geom) THEN g.geom
                            ELSE ST_Intersection(g.geom, z.geom) END::geography) AS m2
        FROM zones z JOIN gi g ON ST_Intersects(z.geom, g.geom)
    ), per_zone AS (
        SELECT zid, sum(m2) AS gi,
               sum(m2) FILTER (WHERE gi_class = 'farmland') AS farmland,
               sum(m2) FILTER (WHERE gi_class = 'forest') AS forest,
               sum(m2) FILTER (WHERE gi_class = 'grass') AS grass,
               sum(m2) FILTER (WHERE gi_class = 'water') AS water
        FROM pieces GROUP BY zid
    )
    SELECT z.zid, round(ST_Area(z.geom::geography)::numeric, 1) AS zone_area_m2,
           round(coalesce(p.gi, 0)::numeric, 1) AS gi_area_m2,
           round(coalesce(p.farmland, 0)::numeric, 1) AS gi_farmland_m2,
           round(coalesce(p.forest, 0)::numeric, 1) AS gi_forest_m2,
           round(coalesce(p.grass, 0)::numeric, 1) AS gi_grass_m2,
           round(coalesce(p.water, 0)::numeric, 1) AS gi_water_m2
    FROM zones z LEFT JOIN per_zone p USING (zid)
    ORDER BY z.zid
) TO STDOUT WITH (FORMAT csv, HEADER true);
\o
\setenv RSSLOG :rsslog
\! awk '/^VmHWM/ { print $2 }' /proc/$BENCH_PID/status >>"$RSSLOG"
