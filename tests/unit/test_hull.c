/* test_hull.c: cw_hull and cw_geod_area against oracles that share no code
 * with them: Python GeographicLib areas (tests/fixtures/make_hull_area.py),
 * the closed-form area of an ellipsoidal cell, GEOS containment on raw
 * lon/lat, and areas in a Lambert azimuthal equal-area plane made here
 * (a bare +proj operation fed radians, not cw_hull's degree pipeline, and
 * centred elsewhere): LAEA keeps areas, so a hull's geodesic area must
 * equal its area in any LAEA plane near it.
 * Clusters: the 2,000 most populous GeoNames places on a 3-degree grid,
 * and made-up ones across ±180 and round the poles. Data come from
 * $CW_TEST_DATA, else tests/data (run from the repo root).
 * SPDX-License-Identifier: MIT
 */
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include <geodesic.h>

#include "cityweave/hull.h"
#include "check.h"
#include "testdata.h"

#define NELEM(a) (sizeof (a) / sizeof (a)[0])
#define REL(a, b) (fabs((a) - (b)) / fabs(b))
#define LAEA_TOL 1e-3    /* relative: planar vs geodesic area, clusters <= 500 km */
/* Degrees (~1 cm): how far outside an unbuffered hull a member on its edge
 * may fall: PROJ 9.1's ellipsoidal LAEA round trip is good to ~1 mm (its
 * authalic latitude series), the lon/lat grid to 1e-9 degrees. */
#define ON_EDGE 1e-7

static struct cw_ctx *ctx;
static GEOSContextHandle_t h;

static int proj_fwd(double *x, double *y, void *pj)
{
    PJ_COORD c = proj_trans(pj, PJ_FWD, proj_coord(proj_torad(*x), proj_torad(*y), 0, 0));
    *x = c.xy.x;
    *y = c.xy.y;
    return isfinite(*x) && isfinite(*y);
}

/* Area of lon/lat @p g in LAEA centred on (lon0, lat0): a bare +proj
 * operation fed radians (cw_hull uses a degree pipeline). */
static double laea_area(const GEOSGeometry *g, double lon0, double lat0)
{
    char def[256];
    double a = -1;
    snprintf(def, sizeof def, "+proj=laea +lat_0=%.9f +lon_0=%.9f +ellps=WGS84", lat0, lon0);
    PJ *pj = proj_create(cw_ctx_proj(ctx), def);
    GEOSGeometry *p = pj ? GEOSGeom_transformXY_r(h, g, proj_fwd, pj) : NULL;
    if (!p || !GEOSArea_r(h, p, &a))
        a = -1;
    GEOSGeom_destroy_r(h, p);
    proj_destroy(pj);
    return a;
}

static double geod_area(const GEOSGeometry *g)
{
    double a = -1;
    return cw_geod_area(ctx, g, &a) == CW_OK ? a : -1;
}

static int in_lonlat_range(const GEOSGeometry *g)
{
    double x0, x1, y0, y1;
    return GEOSGeom_getXMin_r(h, g, &x0) && GEOSGeom_getXMax_r(h, g, &x1) &&
           GEOSGeom_getYMin_r(h, g, &y0) && GEOSGeom_getYMax_r(h, g, &y1) &&
           x0 >= -180 && x1 <= 180 && y0 >= -90 && y1 <= 90;
}

/* Members covered by @p g (raw lon/lat, GEOS planar predicate), or within
 * ON_EDGE degrees of it when @p tol is set. */
static size_t members_in(const GEOSGeometry *g, const double *lon, const double *lat,
                         size_t n, int tol)
{
    size_t in = 0;
    for (size_t i = 0; i < n; i++) {
        GEOSGeometry *pt = GEOSGeom_createPointFromXY_r(h, lon[i], lat[i]);
        double d = 1;
        if (tol ? GEOSDistance_r(h, g, pt, &d) && d <= ON_EDGE : GEOSCovers_r(h, g, pt) == 1)
            in++;
        GEOSGeom_destroy_r(h, pt);
    }
    return in;
}

static GEOSGeometry *hull(const double *lon, const double *lat, size_t n,
                          enum cw_hull_kind kind, double ratio, double buffer)
{
    struct cw_hull_opts o = { kind, ratio, buffer, 0 };
    GEOSGeometry *g = NULL;
    if (cw_hull(ctx, lon, lat, n, &o, &g) != CW_OK)
        fprintf(stderr, "cw_hull: %s\n", cw_ctx_errmsg(ctx));
    return g;
}

/* What every hull must be: a valid (Multi)Polygon in lon/lat range that
 * holds its members, with its LAEA area (centred on member 0). */
static void check_hull(const GEOSGeometry *g, const double *lon, const double *lat,
                       size_t n, double buffer)
{
    CHECK(g != NULL);
    if (!g)
        return;
    int type = GEOSGeomTypeId_r(h, g);
    CHECK(type == GEOS_POLYGON || type == GEOS_MULTIPOLYGON);
    CHECK(GEOSisValid_r(h, g) == 1);
    CHECK(in_lonlat_range(g));
    CHECK(members_in(g, lon, lat, n, buffer == 0) == n);
    double planar = laea_area(g, lon[0], lat[0]);
    CHECK(REL(geod_area(g), planar) < LAEA_TOL);
}

static void test_bad_args(void)
{
    double lon[] = { 1, 2, 3 }, lat[] = { 1, 2, 3 }, bad[] = { 1, NAN, 3 };
    double big[] = { 1, 91, 3 }, inf[] = { 1, INFINITY, 3 };
    struct cw_hull_opts o = { CW_HULL_CONCAVE, 0.5, 0, 0 };
    GEOSGeometry *g = (GEOSGeometry *)&o;   /* must be reset to NULL */

    CHECK(cw_hull(ctx, lon, lat, 0, &o, &g) == CW_ERR_ARG && g == NULL);
    CHECK(cw_hull(ctx, bad, lat, 3, &o, &g) == CW_ERR_ARG);
    CHECK(cw_hull(ctx, inf, lat, 3, &o, &g) == CW_ERR_ARG);
    CHECK(cw_hull(ctx, lon, bad, 3, &o, &g) == CW_ERR_ARG);
    CHECK(cw_hull(ctx, lon, big, 3, &o, &g) == CW_ERR_ARG);
    double ratios[] = { -0.1, 1.5, NAN };
    for (size_t i = 0; i < NELEM(ratios); i++) {
        o.ratio = ratios[i];
        CHECK(cw_hull(ctx, lon, lat, 3, &o, &g) == CW_ERR_ARG && g == NULL);
    }
    o.ratio = 0.5;
    o.buffer = -1;
    CHECK(cw_hull(ctx, lon, lat, 3, &o, &g) == CW_ERR_ARG);
    o.buffer = INFINITY;
    CHECK(cw_hull(ctx, lon, lat, 3, &o, &g) == CW_ERR_ARG);
    o.buffer = 0;
    o.small = -5;
    CHECK(cw_hull(ctx, lon, lat, 3, &o, &g) == CW_ERR_ARG);
    CHECK(strstr(cw_ctx_errmsg(ctx), "buffer") != NULL);

    GEOSGeometry *pt = GEOSGeom_createPointFromXY_r(h, 1, 2);
    GEOSGeometry *ls = GEOSGeom_createLineString_r(h, GEOSCoordSeq_create_r(h, 2, 2));
    double a = 7;
    CHECK(cw_geod_area(ctx, pt, &a) == CW_ERR_ARG && a == 0);
    CHECK(cw_geod_area(ctx, ls, &a) == CW_ERR_ARG);
    GEOSGeom_destroy_r(h, pt);
    GEOSGeom_destroy_r(h, ls);
}

/* Points no hull can hold: balanced round the globe (no centre), one at
 * the antipode of the centre (no image in the plane), and round both poles
 * (the lon/lat polygon would not keep the planar area). */
static void test_too_spread(void)
{
    double lon1[] = { 0, 180 }, lat1[] = { 0, 0 };
    double lon2[] = { 0, 0, 0, 180 }, lat2[] = { 0, 0, 0, 0 };
    double lon3[] = { 0, 90, 180, -90, 0, 90, 180, -90, 90, 90 };
    double lat3[] = { 88, 88, 88, 88, -88, -88, -88, -88, 0, 1 };
    GEOSGeometry *g = NULL;

    CHECK(cw_hull(ctx, lon1, lat1, 2, NULL, &g) == CW_ERR_DATA && g == NULL);
    CHECK(strstr(cw_ctx_errmsg(ctx), "no centre") != NULL);
    CHECK(cw_hull(ctx, lon2, lat2, 4, NULL, &g) == CW_ERR_DATA && g == NULL);
    CHECK(strstr(cw_ctx_errmsg(ctx), "too far") != NULL);
    CHECK(cw_hull(ctx, lon3, lat3, NELEM(lon3), NULL, &g) == CW_ERR_DATA && g == NULL);
    CHECK(strstr(cw_ctx_errmsg(ctx), "area") != NULL);
}

/* Reads the WKT of each row of hull_area.csv (name,area_m2,"wkt"). */
static void test_area_fixture(void)
{
    FILE *f = open_data("hull_area.csv");
    GEOSWKTReader *rd = GEOSWKTReader_create_r(h);
    char *line = NULL;
    size_t cap = 0;
    int rows = 0;

    CHECK(f != NULL);
    while (f && getline(&line, &cap, f) > 0) {
        char *area = strchr(line, ','), *wkt = area ? strchr(area + 1, ',') : NULL;
        if (!wkt || strncmp(line, "name,", 5) == 0)
            continue;
        wkt[strcspn(wkt, "\n") - 1] = '\0';   /* the closing quote */
        GEOSGeometry *g = GEOSWKTReader_read_r(h, rd, wkt + 2);
        double want = strtod(area + 1, NULL), got = g ? geod_area(g) : -1;
        CHECK_NEAR(got, want, 1e-6 * want);
        GEOSGeom_destroy_r(h, g);
        rows++;
    }
    CHECK(rows == 7);
    free(line);
    GEOSWKTReader_destroy_r(h, rd);
    if (f)
        fclose(f);
}

/* Area between the equator and latitude phi per radian of longitude on
 * WGS84, by the authalic formula b^2/2 q(phi). */
static double zone(double phi_deg)
{
    double a = 6378137.0, f = 1 / 298.257223563, b = a * (1 - f), e = sqrt(f * (2 - f));
    double s = sin(phi_deg * M_PI / 180);
    return b * b / 2 * (s / (1 - e * e * s * s) + log((1 + e * s) / (1 - e * s)) / (2 * e));
}

/* The 1x1 degree cell at the equator, by hand: with geodesic edges it is
 * the published 12,308,778,361.47 m2; with edges along the parallels
 * (densified: each 0.001-degree chord bulges by ~3e-4 m2) it is the
 * closed-form ellipsoidal zone, 12,308,463,893.98 m2. */
static void test_area_hand(void)
{
    enum { STEPS = 1000 };
    GEOSWKTReader *rd = GEOSWKTReader_create_r(h);
    GEOSGeometry *cell = GEOSWKTReader_read_r(h, rd, "POLYGON((0 0,1 0,1 1,0 1,0 0))");
    CHECK_NEAR(geod_area(cell), 12308778361.47, 0.01);

    double xy[2 * (2 * STEPS + 3)];
    for (int i = 0; i <= STEPS; i++) {
        xy[2 * i] = (double)i / STEPS;   /* along the equator, east */
        xy[2 * i + 1] = 0;
        xy[2 * (STEPS + 1 + i)] = 1 - (double)i / STEPS;   /* along 1N, west */
        xy[2 * (STEPS + 1 + i) + 1] = 1;
    }
    xy[2 * (2 * STEPS + 2)] = 0;
    xy[2 * (2 * STEPS + 2) + 1] = 0;
    GEOSCoordSequence *seq = GEOSCoordSeq_copyFromBuffer_r(h, xy, 2 * STEPS + 3, 0, 0);
    GEOSGeometry *dense = GEOSGeom_createPolygon_r(h, GEOSGeom_createLinearRing_r(h, seq),
                                                   NULL, 0);
    double exact = (zone(1) - zone(0)) * M_PI / 180;
    CHECK(REL(exact, 12308463893.98) < 1e-12);
    CHECK(REL(geod_area(dense), exact) < 1e-9);
    GEOSGeom_destroy_r(h, dense);
    GEOSGeom_destroy_r(h, cell);
    GEOSWKTReader_destroy_r(h, rd);
}

/* 1-2 points (and duplicates) get a disc or stadium of small + buffer. */
static void test_small(void)
{
    double lon[] = { 8.68, 8.68, 8.68 }, lat[] = { 50.11, 50.11, 50.11 };
    struct cw_hull_opts o = { CW_HULL_CONVEX, 0, 200, 500 };
    GEOSGeometry *g;

    g = hull(lon, lat, 1, CW_HULL_CONVEX, 0, 0);
    CHECK(g && GEOSGeomTypeId_r(h, g) == GEOS_POLYGON);
    CHECK(REL(geod_area(g), M_PI * 1000 * 1000) < 0.005);
    check_hull(g, lon, lat, 1, 1000);
    GEOSGeom_destroy_r(h, g);

    g = hull(lon, lat, 3, CW_HULL_CONCAVE, 0.2, 0);
    CHECK(REL(geod_area(g), M_PI * 1000 * 1000) < 0.005);
    GEOSGeom_destroy_r(h, g);

    g = NULL;
    CHECK(cw_hull(ctx, lon, lat, 1, &o, &g) == CW_OK);
    CHECK(REL(geod_area(g), M_PI * 700 * 700) < 0.005);
    GEOSGeom_destroy_r(h, g);

    double lon2[] = { 0, 0 }, lat2[] = { 0, 10000 / 110574.0 };   /* ~10 km apart */
    double d = 10000, r = 1000;
    g = hull(lon2, lat2, 2, CW_HULL_CONVEX, 0, 0);
    CHECK(REL(geod_area(g), M_PI * r * r + 2 * r * d) < 0.005);
    check_hull(g, lon2, lat2, 2, r);
    GEOSGeom_destroy_r(h, g);
}

/* A point on ±180 gives two half-discs, one at the pole a disc that
 * reaches it: both still of area pi r^2. */
static void test_small_edges(void)
{
    double lon[] = { 180 }, lat[] = { -17 }, plon[] = { 0 }, plat[] = { 90 };
    GEOSGeometry *g = hull(lon, lat, 1, CW_HULL_CONVEX, 0, 0);
    CHECK(g && GEOSGeomTypeId_r(h, g) == GEOS_MULTIPOLYGON);
    CHECK(g && GEOSGetNumGeometries_r(h, g) == 2);
    CHECK(REL(geod_area(g), M_PI * 1000 * 1000) < 0.005);
    check_hull(g, lon, lat, 1, 1000);
    GEOSGeom_destroy_r(h, g);

    g = hull(plon, plat, 1, CW_HULL_CONVEX, 0, 0);
    double y1 = 0;
    CHECK(g && GEOSGeomTypeId_r(h, g) == GEOS_POLYGON);
    CHECK(g && GEOSGeom_getYMax_r(h, g, &y1) && y1 == 90);
    CHECK(REL(geod_area(g), M_PI * 1000 * 1000) < 0.005);
    check_hull(g, plon, plat, 1, 1000);
    GEOSGeom_destroy_r(h, g);
}

static long grid_cell(double lon, double lat)
{
    return (long)floor((lat + 90) / 3) * 1000 + (long)floor((lon + 180) / 3);
}

/* One grid cell's cluster, every kind of hull. */
static void check_cluster(const double *lon, const double *lat, size_t n, int *polys)
{
    GEOSGeometry *cx = hull(lon, lat, n, CW_HULL_CONVEX, 0, 0);
    GEOSGeometry *cb = hull(lon, lat, n, CW_HULL_CONVEX, 0, 10);
    GEOSGeometry *cc = hull(lon, lat, n, CW_HULL_CONCAVE, 0.3, 0);
    GEOSGeometry *c1 = hull(lon, lat, n, CW_HULL_CONCAVE, 1, 0);
    check_hull(cx, lon, lat, n, 0);
    check_hull(cb, lon, lat, n, 10);
    check_hull(cc, lon, lat, n, 0);
    double a = geod_area(cx);
    CHECK(geod_area(cb) > a);
    CHECK(geod_area(cc) <= a * (1 + 1e-9));
    CHECK(REL(geod_area(c1), a) < 1e-9);
    *polys += n >= 3;
    GEOSGeom_destroy_r(h, cx);
    GEOSGeom_destroy_r(h, cb);
    GEOSGeom_destroy_r(h, cc);
    GEOSGeom_destroy_r(h, c1);
}

static const long *sort_by;

static int by_cell(const void *a, const void *b)
{
    long ca = sort_by[*(const size_t *)a], cb = sort_by[*(const size_t *)b];
    return (ca > cb) - (ca < cb);
}

/* All 2,000 places as one cluster: the convex hull covers more than half
 * the Earth (its area must not come back as the complement); the concave
 * one reaches round to the antipode of the centre, where the lon/lat ring
 * folds over, and is refused. */
static void check_world(const struct cities *c)
{
    GEOSGeometry *g = hull(c->lon, c->lat, c->n, CW_HULL_CONVEX, 0, 10000), *cc = NULL;
    struct cw_hull_opts o = { CW_HULL_CONCAVE, 0.2, 0, 0 };
    double earth = 510065621.7e6, a = geod_area(g);   /* WGS84, m2 */
    CHECK(g && GEOSisValid_r(h, g) == 1 && in_lonlat_range(g));
    CHECK(a > earth / 2 && a < earth);
    CHECK(g && members_in(g, c->lon, c->lat, c->n, 0) == c->n);
    CHECK(cw_hull(ctx, c->lon, c->lat, c->n, &o, &cc) == CW_ERR_DATA && cc == NULL);
    GEOSGeom_destroy_r(h, g);
}

/* The 2,000 places grouped by 3x3 degree cells (clusters < 500 km). */
static void test_cities(void)
{
    struct cities c;
    int clusters = 0, polys = 0;
    CHECK(load_cities("geonames_2000.csv", &c) == 0 && c.n == 2000);
    check_world(&c);
    size_t *idx = malloc(c.n * sizeof *idx);
    double *lon = malloc(c.n * sizeof *lon), *lat = malloc(c.n * sizeof *lat);
    long *cell = malloc(c.n * sizeof *cell);
    for (size_t i = 0; i < c.n; i++) {
        idx[i] = i;
        cell[i] = grid_cell(c.lon[i], c.lat[i]);
    }
    sort_by = cell;
    qsort(idx, c.n, sizeof *idx, by_cell);
    for (size_t i = 0, j; i < c.n; i = j) {
        for (j = i; j < c.n && cell[idx[j]] == cell[idx[i]]; j++) {
            lon[j - i] = c.lon[idx[j]];
            lat[j - i] = c.lat[idx[j]];
        }
        check_cluster(lon, lat, j - i, &polys);
        clusters++;
    }
    CHECK(clusters > 300 && polys > 100);
    free(idx);
    free(lon);
    free(lat);
    free(cell);
    free_cities(&c);
}

/* A hull across ±180: a MultiPolygon of two valid parts that meet the
 * antimeridian exactly, one from each side. */
static void check_split(const double *lon, const double *lat, size_t n,
                        enum cw_hull_kind kind, double buffer)
{
    GEOSGeometry *g = hull(lon, lat, n, kind, 0.3, buffer);
    check_hull(g, lon, lat, n, buffer);
    CHECK(g && GEOSGeomTypeId_r(h, g) == GEOS_MULTIPOLYGON);
    CHECK(g && GEOSGetNumGeometries_r(h, g) == 2);
    double east = 0, west = 0, x;
    for (int i = 0; g && i < GEOSGetNumGeometries_r(h, g); i++) {
        const GEOSGeometry *part = GEOSGetGeometryN_r(h, g, i);
        CHECK(GEOSisValid_r(h, part) == 1);
        if (GEOSGeom_getXMax_r(h, part, &x) && x == 180)
            east++;
        if (GEOSGeom_getXMin_r(h, part, &x) && x == -180)
            west++;
    }
    CHECK(east == 1 && west == 1);
    GEOSGeom_destroy_r(h, g);
}

static void test_antimeridian(void)
{
    double fiji_lon[] = { 179.5, -179.8, 179.9, -179.2, 179.7 };
    double fiji_lat[] = { -17, -16, -16.2, -16.8, -16.5 };
    double chuk_lon[] = { 170.3, 177.5, -179.1, -173.2, -171.8, 178.7, -176.0 };
    double chuk_lat[] = { 69.7, 64.7, 65.5, 64.4, 66.1, 69.1, 67.0 };

    check_split(fiji_lon, fiji_lat, NELEM(fiji_lon), CW_HULL_CONVEX, 0);
    check_split(fiji_lon, fiji_lat, NELEM(fiji_lon), CW_HULL_CONVEX, 100);
    check_split(chuk_lon, chuk_lat, NELEM(chuk_lon), CW_HULL_CONVEX, 0);
    check_split(chuk_lon, chuk_lat, NELEM(chuk_lon), CW_HULL_CONCAVE, 500);
}

/* A hull round a pole: one Polygon over -180..180 reaching the pole,
 * holding points near the pole at every longitude. */
static void check_polar(const double *lon, const double *lat, size_t n, double pole)
{
    GEOSGeometry *g = hull(lon, lat, n, CW_HULL_CONVEX, 0, 50);
    double y = 0, x0 = 0, x1 = 0;
    check_hull(g, lon, lat, n, 50);
    CHECK(g && GEOSGeomTypeId_r(h, g) == GEOS_POLYGON);
    CHECK(g && (pole > 0 ? GEOSGeom_getYMax_r : GEOSGeom_getYMin_r)(h, g, &y) && y == pole);
    CHECK(g && GEOSGeom_getXMin_r(h, g, &x0) && GEOSGeom_getXMax_r(h, g, &x1) &&
          x0 == -180 && x1 == 180);
    double near_lon[] = { -180, -135, -60, 0, 45, 120, 179.9 }, near_lat[NELEM(near_lon)];
    for (size_t i = 0; i < NELEM(near_lon); i++)
        near_lat[i] = pole * 0.9999;
    CHECK(members_in(g, near_lon, near_lat, NELEM(near_lon), 0) == NELEM(near_lon));
    CHECK(REL(geod_area(g), laea_area(g, 0, pole)) < LAEA_TOL);
    GEOSGeom_destroy_r(h, g);
}

static void test_poles(void)
{
    double nlon[] = { 0, 60, 120, 180, -120, -60 }, nlat[] = { 85, 85, 85, 85, 85, 85 };
    double slon[] = { 10, 100, 170, -150, -80, -20, 40, 45 };
    double slat[] = { -78, -80, -82, -79, -81, -77, -83, -76 };
    check_polar(nlon, nlat, NELEM(nlon), 90);
    check_polar(slon, slat, NELEM(slon), -90);
}

/* Points on a "C" (radii 45 and 50 km, 40-degree gap) round (lon0, lat0):
 * the concave hull is the C, and a 20 km buffer closes its gap but not its
 * middle, so the planar polygon has a hole. In lon/lat the result must be
 * of @p type, its first part with @p holes holes. */
static void check_hole(double lon0, double lat0, int type, int holes)
{
    enum { N = 2 * 81 };
    double lon[N], lat[N], clon[] = { lon0 }, clat[] = { lat0 };
    struct geod_geodesic g;
    geod_init(&g, 6378137, 1 / 298.257223563);
    for (int i = 0; i < N; i++)
        geod_direct(&g, lat0, lon0, 20 + 4 * (i / 2), i % 2 ? 45000 : 50000,
                    &lat[i], &lon[i], NULL);
    GEOSGeometry *c = hull(lon, lat, N, CW_HULL_CONCAVE, 0.1, 0);
    GEOSGeometry *o = hull(lon, lat, N, CW_HULL_CONCAVE, 0.1, 20000);
    check_hull(c, lon, lat, N, 0);
    check_hull(o, lon, lat, N, 20000);
    CHECK(members_in(c, clon, clat, 1, 0) == 0);
    CHECK(members_in(o, clon, clat, 1, 0) == 0);
    CHECK(REL(geod_area(o), laea_area(o, lon0, lat0)) < LAEA_TOL);
    CHECK(o && GEOSGeomTypeId_r(h, o) == type);
    CHECK(o && GEOSGetNumInteriorRings_r(h, GEOSGetGeometryN_r(h, o, 0)) == holes);
    GEOSGeom_destroy_r(h, c);
    GEOSGeom_destroy_r(h, o);
}

/* The hole at an ordinary place; across ±180, where the shell and the
 * hole are both cut, leaving two C-shaped parts; and round the North Pole,
 * where both close along the pole and their difference is a band clear of
 * it, bounded by ±180 (so no hole in lon/lat either). */
static void test_holes(void)
{
    check_hole(10, 45, GEOS_POLYGON, 1);
    check_hole(180, -30, GEOS_MULTIPOLYGON, 0);
    check_hole(0, 90, GEOS_POLYGON, 0);
}

int main(void)
{
    ctx = cw_ctx_new();
    if (!ctx)
        return 1;
    h = cw_ctx_geos(ctx);
    test_bad_args();
    test_too_spread();
    test_area_fixture();
    test_area_hand();
    test_small();
    test_small_edges();
    test_cities();
    test_antimeridian();
    test_poles();
    test_holes();
    cw_ctx_free(ctx);
    return CHECK_DONE();
}
