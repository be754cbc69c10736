/* hull.c: one polygon per cluster (a convex or concave hull made in a
 * Lambert azimuthal equal-area plane centred on the points, then buffered
 * and mapped back to lon/lat), and geodesic areas of lon/lat polygons.
 * SPDX-License-Identifier: MIT
 *
 * Why a local plane: GEOS is planar, and a hull drawn on raw lon/lat is
 * wrong across ±180°, near the poles and in its area. In LAEA centred on
 * the cluster the antimeridian is just another line, distances near the
 * centre are nearly true and areas are exactly true.
 *
 * Back in lon/lat each ring is unrolled (longitudes made continuous, so
 * they may leave [-180,180]), cut into the 360° bands it covers and the
 * parts are shifted home, so a hull across ±180° becomes a MultiPolygon
 * (RFC 7946 section 3.1.9). A ring whose unrolled longitude winds once
 * round the globe encloses a pole: it is closed along that pole's latitude
 * (±90°), and the result is one Polygon spanning -180..180 that reaches
 * the pole. Lon/lat output lies on a grid of 2^-30 degrees (about 0.1 mm),
 * which makes shifts by 360° exact and puts cuts exactly on ±180°.
 *
 * Limits: points whose hull reaches round towards the antipode of their
 * centre (say, one hull for every city on Earth, concave) fold over in
 * lon/lat and are refused with CW_ERR_DATA, as is a hull whose lon/lat area
 * would not match its planar one (a hull round both poles). Without a
 * buffer, members on the hull's edge lie on it to about 1 mm (PROJ 9.1's
 * LAEA round trip), so a strict point-in-polygon test may miss them.
 */
#include <limits.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cityweave/geodesic.h"
#include "cityweave/hull.h"

#define DEG (M_PI / 180.0)
#define GRID 0x1p-30            /* degrees: the lon/lat output grid */
#define QUAD_SEGS 16            /* a buffered point has 64 sides: area 0.16 % short */
#define SMALL_DEFAULT 1000.0    /* metres: buffer for hulls of 1-2 points */
#define DENSIFY_MIN 1000.0      /* metres: densified edges are at most this long, */
#define DENSIFY_EDGES 256.0     /* ... or 1/256 of the perimeter if that is longer */
#define AREA_TOL 0.01           /* relative: planar vs geodesic area of the result */
#define MAX_BANDS 4             /* 360° bands one unrolled ring may cover */

struct run {
    struct cw_ctx *ctx;
    GEOSContextHandle_t h;
    PJ *pj;   /* degrees <-> LAEA metres */
};

/* GEOS's error handler has just put its reason in the context. */
static int geos_error(struct run *r)
{
    char why[512];
    snprintf(why, sizeof why, "%s", cw_ctx_errmsg(r->ctx));
    return cw_ctx_error(r->ctx, CW_ERR_LIB, "cannot compute the hull: %s", why);
}

static int nomem(struct run *r)
{
    return cw_ctx_error(r->ctx, CW_ERR_NOMEM, "out of memory");
}

static int check_args(struct cw_ctx *ctx, const double *lon, const double *lat,
                      size_t n, const struct cw_hull_opts *o)
{
    if (n == 0 || n > UINT_MAX)
        return cw_ctx_error(ctx, CW_ERR_ARG, "a hull needs 1 to %u points (got %zu)",
                            UINT_MAX, n);
    if (o->kind != CW_HULL_CONVEX && o->kind != CW_HULL_CONCAVE)
        return cw_ctx_error(ctx, CW_ERR_ARG, "unknown hull kind %d", (int)o->kind);
    if (!(o->ratio >= 0 && o->ratio <= 1))
        return cw_ctx_error(ctx, CW_ERR_ARG, "hull ratio %g is not in [0,1]", o->ratio);
    if (!(o->buffer >= 0 && isfinite(o->buffer) && o->small >= 0 && isfinite(o->small)))
        return cw_ctx_error(ctx, CW_ERR_ARG, "hull buffers must be finite and >= 0");
    for (size_t i = 0; i < n; i++)
        if (!isfinite(lon[i]) || !(fabs(lat[i]) <= 90))
            return cw_ctx_error(ctx, CW_ERR_ARG, "point %zu: bad lon/lat (%g, %g)", i,
                                lon[i], lat[i]);
    return CW_OK;
}

/* The centre is the mean of the points' unit vectors: unlike a mean of
 * longitudes it is right across ±180° and around the poles.
 * @return -1 when the mean vanishes (points balanced round the globe). */
static int centre(const double *lon, const double *lat, size_t n, double *lon0,
                  double *lat0)
{
    double v[3] = { 0, 0, 0 };
    for (size_t i = 0; i < n; i++) {
        double c = cos(lat[i] * DEG);
        v[0] += c * cos(lon[i] * DEG);
        v[1] += c * sin(lon[i] * DEG);
        v[2] += sin(lat[i] * DEG);
    }
    if (sqrt(v[0] * v[0] + v[1] * v[1] + v[2] * v[2]) < 1e-6 * (double)n)
        return -1;
    *lon0 = atan2(v[1], v[0]) / DEG;
    *lat0 = fmax(-90, fmin(90, atan2(v[2], hypot(v[0], v[1])) / DEG));
    return 0;
}

/* Projects @p n interleaved x,y pairs in place. Only the antipode of the
 * centre has no image, and only points spread round the globe reach it. */
static int project(struct run *r, PJ_DIRECTION dir, double *xy, size_t n)
{
    size_t st = 2 * sizeof *xy;
    proj_trans_generic(r->pj, dir, xy, st, n, xy + 1, st, n, NULL, 0, 0, NULL, 0, 0);
    for (size_t i = 0; i < 2 * n; i++)
        if (!isfinite(xy[i]))
            return cw_ctx_error(r->ctx, CW_ERR_DATA,
                                "points spread too far round the globe for one hull");
    return CW_OK;
}

static int planar_points(struct run *r, const double *lon, const double *lat,
                         size_t n, GEOSGeometry **mp)
{
    double *xy = malloc(2 * n * sizeof *xy);
    GEOSGeometry **pts = malloc(n * sizeof *pts);
    size_t made = 0;
    int rc;

    *mp = NULL;
    if (!xy || !pts) {
        rc = nomem(r);
        goto out;
    }
    for (size_t i = 0; i < n; i++) {
        xy[2 * i] = lon[i];
        xy[2 * i + 1] = lat[i];
    }
    if ((rc = project(r, PJ_FWD, xy, n)))
        goto out;
    while (made < n &&
           (pts[made] = GEOSGeom_createPointFromXY_r(r->h, xy[2 * made], xy[2 * made + 1])))
        made++;
    if (made == n) {
        made = 0;   /* GEOS 3.11 takes the points even when this fails */
        *mp = GEOSGeom_createCollection_r(r->h, GEOS_MULTIPOINT, pts, (unsigned)n);
    }
    if (!*mp)
        rc = geos_error(r);
out:
    while (made > 0)
        GEOSGeom_destroy_r(r->h, pts[--made]);
    free(pts);
    free(xy);
    return rc;
}

/* Hull, buffer and densification, all in the plane. A hull that is not a
 * polygon (1 point, 2 points, all on one line) gets the opts->small buffer
 * so every cluster has an area. Densifying lets the lon/lat polygon follow
 * the planar edges, which are not straight lines in lon/lat. */
static int planar_hull(struct run *r, const double *lon, const double *lat, size_t n,
                       const struct cw_hull_opts *o, GEOSGeometry **out)
{
    GEOSGeometry *mp = NULL, *hull = NULL, *buf = NULL;
    double len = 0;
    int rc = planar_points(r, lon, lat, n, &mp);

    *out = NULL;
    if (rc)
        goto out;
    /* GEOS 3.11 ConcaveHull at ratio 1 can still cut the border triangle
     * on the longest edge (later GEOS maps 1 to twice that edge), so the
     * promised "1 = convex" is kept by asking for the convex hull. */
    hull = o->kind == CW_HULL_CONCAVE && o->ratio < 1
               ? GEOSConcaveHull_r(r->h, mp, o->ratio, 0)
               : GEOSConvexHull_r(r->h, mp);
    double dist = o->buffer;
    if (hull && GEOSGeomTypeId_r(r->h, hull) != GEOS_POLYGON)
        dist += o->small > 0 ? o->small : SMALL_DEFAULT;
    if (hull)
        buf = dist > 0 ? GEOSBuffer_r(r->h, hull, dist, QUAD_SEGS) : GEOSGeom_clone_r(r->h, hull);
    if (!buf || !GEOSLength_r(r->h, buf, &len) ||
        !(*out = GEOSDensify_r(r->h, buf, fmax(DENSIFY_MIN, len / DENSIFY_EDGES))))
        rc = geos_error(r);
out:
    GEOSGeom_destroy_r(r->h, buf);
    GEOSGeom_destroy_r(r->h, hull);
    GEOSGeom_destroy_r(r->h, mp);
    return rc;
}

/* Powers of two scale exactly, so this rounds to the grid exactly. */
static double snap(double v)
{
    return nearbyint(v / GRID) * GRID;
}

/* Makes longitudes continuous (steps of at most 180°) in place.
 * @return how many times the ring winds eastward round the globe. */
static long unroll(double *xy, unsigned n)
{
    for (unsigned i = 1; i < n; i++)
        xy[2 * i] += 360.0 * nearbyint((xy[2 * i - 2] - xy[2 * i]) / 360.0);
    return lround((xy[2 * n - 2] - xy[0]) / 360.0);
}

/* A winding ring encloses a pole: close it along the pole's latitude from
 * its last unrolled longitude back to its first. Needs room for 3 more
 * vertices. @return the new vertex count. */
static unsigned close_at_pole(double *xy, unsigned n, double pole)
{
    double add[6] = { xy[2 * n - 2], pole, xy[0], pole, xy[0], xy[1] };
    memcpy(xy + 2 * n, add, sizeof add);
    return n + 3;
}

/* The ring shifted west by @p shift degrees, as a polygon (@p tmp holds
 * n vertices). */
static GEOSGeometry *ring_polygon(struct run *r, const double *xy, double *tmp,
                                  unsigned n, double shift)
{
    for (unsigned i = 0; i < n; i++) {
        tmp[2 * i] = xy[2 * i] - shift;
        tmp[2 * i + 1] = xy[2 * i + 1];
    }
    /* each constructor takes its argument, even when it fails */
    GEOSCoordSequence *seq = GEOSCoordSeq_copyFromBuffer_r(r->h, tmp, n, 0, 0);
    GEOSGeometry *ring = seq ? GEOSGeom_createLinearRing_r(r->h, seq) : NULL;
    return ring ? GEOSGeom_createPolygon_r(r->h, ring, NULL, 0) : NULL;
}

/* The 360° bands [360k - 180, 360k + 180] that an unrolled ring covers
 * (touching one is not covering it), once the ring is known to be simple:
 * it is not when the hull comes near the antipode of its centre, where
 * the inverse projection folds. */
static int check_ring(struct run *r, const double *xy, double *tmp, unsigned n,
                      long *k0, long *k1)
{
    double lo = xy[0], hi = xy[0];
    for (unsigned i = 1; i < n; i++) {
        lo = fmin(lo, xy[2 * i]);
        hi = fmax(hi, xy[2 * i]);
    }
    *k0 = (long)floor((lo - 180) / 360) + 1;
    *k1 = (long)ceil((hi + 180) / 360) - 1;
    GEOSGeometry *poly = ring_polygon(r, xy, tmp, n, 0);
    char valid = poly ? GEOSisValid_r(r->h, poly) : 2;
    GEOSGeom_destroy_r(r->h, poly);
    if (valid == 2)
        return geos_error(r);
    if (!valid || *k1 - *k0 >= MAX_BANDS)
        return cw_ctx_error(r->ctx, CW_ERR_DATA, "points spread too far round the "
                            "globe for one hull (it folds over in lon/lat)");
    return CW_OK;
}

/* Everything west of -180 and east of 180, as far as a shifted ring of
 * MAX_BANDS bands can reach. */
static GEOSGeometry *outside_world(GEOSContextHandle_t h)
{
    double far = 180.0 + 360.0 * MAX_BANDS;
    GEOSGeometry *box[2] = { GEOSGeom_createRectangle_r(h, -far, -91, -180, 91),
                             GEOSGeom_createRectangle_r(h, 180, -91, far, 91) };
    if (box[0] && box[1])
        return GEOSGeom_createCollection_r(h, GEOS_MULTIPOLYGON, box, 2);
    GEOSGeom_destroy_r(h, box[0]);
    GEOSGeom_destroy_r(h, box[1]);
    return NULL;
}

/* Cuts an unrolled ring into the bands it covers, shifts each part home
 * and merges them: a polar cap's parts meet along its first meridian and
 * become one polygon again. Each part is the shifted ring minus the
 * outside of [-180,180], not its intersection with the inside: GEOS's
 * intersection keeps the lines where a part only touches ±180°, a
 * difference of polygons stays polygonal. */
static int split(struct run *r, const double *xy, unsigned n, GEOSGeometry **out)
{
    GEOSGeometry *part[MAX_BANDS], *outside = outside_world(r->h), *all = NULL;
    double *tmp = malloc(2 * (size_t)n * sizeof *tmp);
    long k0 = 0, k1 = -1;
    int np = 0, rc = !tmp ? nomem(r) : !outside ? geos_error(r)
                                             : check_ring(r, xy, tmp, n, &k0, &k1);

    for (long k = k0; rc == CW_OK && k <= k1; k++) {
        GEOSGeometry *poly = ring_polygon(r, xy, tmp, n, 360.0 * (double)k);
        if (!poly || !(part[np++] = GEOSDifferencePrec_r(r->h, poly, outside, GRID)))
            rc = geos_error(r);
        GEOSGeom_destroy_r(r->h, poly);
    }
    if (rc == CW_OK) {
        all = GEOSGeom_createCollection_r(r->h, GEOS_GEOMETRYCOLLECTION, part, (unsigned)np);
        np = 0;   /* GEOS 3.11 takes the parts even when that fails */
        if (!all || !(*out = GEOSUnaryUnionPrec_r(r->h, all, GRID)))
            rc = geos_error(r);
    }
    while (np > 0)
        GEOSGeom_destroy_r(r->h, part[--np]);
    GEOSGeom_destroy_r(r->h, all);
    GEOSGeom_destroy_r(r->h, outside);
    free(tmp);
    return rc;
}

/* One planar ring as a lon/lat (Multi)Polygon inside [-180,180]. Which
 * pole a winding ring encloses follows from its planar orientation: LAEA
 * keeps orientation, and the interior of a counter-clockwise ring going
 * east lies to its left, north. */
static int ring_lonlat(struct run *r, const GEOSGeometry *ring, GEOSGeometry **out)
{
    const GEOSCoordSequence *seq = ring ? GEOSGeom_getCoordSeq_r(r->h, ring) : NULL;
    unsigned int n = 0;
    char ccw = 0;
    double *xy = NULL;
    int rc;

    *out = NULL;
    if (!seq || !GEOSCoordSeq_getSize_r(r->h, seq, &n) || n < 4 ||
        !GEOSCoordSeq_isCCW_r(r->h, seq, &ccw))
        return geos_error(r);
    if (!(xy = malloc(2 * ((size_t)n + 3) * sizeof *xy)))
        return nomem(r);
    if (!GEOSCoordSeq_copyToBuffer_r(r->h, seq, xy, 0, 0))
        rc = geos_error(r);
    else if (!(rc = project(r, PJ_INV, xy, n))) {
        for (size_t i = 0; i < 2 * (size_t)n; i++)
            xy[i] = snap(xy[i]);
        long wind = unroll(xy, n);
        if (wind != 0)
            n = close_at_pole(xy, n, (wind > 0) == (ccw != 0) ? 90.0 : -90.0);
        rc = split(r, xy, n, out);
    }
    free(xy);
    return rc;
}

/* The shell in lon/lat minus each hole in lon/lat: every ring is mapped
 * on its own, so holes need no alignment with the shell's bands. */
static int polygon_lonlat(struct run *r, const GEOSGeometry *poly, GEOSGeometry **out)
{
    int holes = GEOSGetNumInteriorRings_r(r->h, poly);
    int rc = holes >= 0 ? ring_lonlat(r, GEOSGetExteriorRing_r(r->h, poly), out)
                        : geos_error(r);

    for (int i = 0; rc == CW_OK && i < holes; i++) {
        GEOSGeometry *hole = NULL, *diff = NULL;
        rc = ring_lonlat(r, GEOSGetInteriorRingN_r(r->h, poly, i), &hole);
        if (rc == CW_OK && !(diff = GEOSDifferencePrec_r(r->h, *out, hole, GRID)))
            rc = geos_error(r);
        GEOSGeom_destroy_r(r->h, hole);
        if (diff) {
            GEOSGeom_destroy_r(r->h, *out);
            *out = diff;
        }
    }
    return rc;
}

/* LAEA keeps areas, so the lon/lat result must have the planar area. It
 * does not when the hull wraps both poles or nears the antipode of its
 * centre, where mapping back stops being faithful: refuse those. */
static int check_result(struct run *r, const GEOSGeometry *plane, const GEOSGeometry *ll)
{
    int type = GEOSGeomTypeId_r(r->h, ll);
    double a = 0, g = 0;

    if ((type != GEOS_POLYGON && type != GEOS_MULTIPOLYGON) || GEOSisEmpty_r(r->h, ll) ||
        GEOSisValid_r(r->h, ll) != 1 || !GEOSArea_r(r->h, plane, &a))
        return cw_ctx_error(r->ctx, CW_ERR_LIB, "hull is not a valid polygon in lon/lat");
    int rc = cw_geod_area(r->ctx, ll, &g);
    if (rc == CW_OK && !(fabs(g - a) <= AREA_TOL * a))
        rc = cw_ctx_error(r->ctx, CW_ERR_DATA,
                          "points spread too far round the globe for one hull "
                          "(area %.6g m2 in the plane, %.6g m2 on the ellipsoid)", a, g);
    return rc;
}

int cw_hull(struct cw_ctx *ctx, const double *lon, const double *lat, size_t n,
            const struct cw_hull_opts *opts, GEOSGeometry **out)
{
    static const struct cw_hull_opts defaults = { CW_HULL_CONVEX, 0, 0, 0 };
    struct run r = { ctx, cw_ctx_geos(ctx), NULL };
    GEOSGeometry *plane = NULL;
    double lon0 = 0, lat0 = 0;
    int rc;

    *out = NULL;
    if (!opts)
        opts = &defaults;
    if ((rc = check_args(ctx, lon, lat, n, opts)))
        return rc;
    if (centre(lon, lat, n, &lon0, &lat0))
        return cw_ctx_error(ctx, CW_ERR_DATA, "points balanced round the globe have no "
                            "centre for a hull");
    if (!(r.pj = cw_laea_new(ctx, lon0, lat0)))
        return cw_ctx_error(ctx, CW_ERR_LIB, "PROJ cannot make the hull's projection");
    if (!(rc = planar_hull(&r, lon, lat, n, opts, &plane)) &&
        !(rc = polygon_lonlat(&r, plane, out)))
        rc = check_result(&r, plane, *out);
    if (rc) {
        GEOSGeom_destroy_r(r.h, *out);
        *out = NULL;
    }
    GEOSGeom_destroy_r(r.h, plane);
    proj_destroy(r.pj);
    return rc;
}

/* Area of the region a ring encloses. Its lon/lat orientation says which
 * side that is (a counter-clockwise ring has it on the left), and
 * geod_polygon_compute gives the signed area of the left side modulo the
 * Earth's, so a ring round more than half the globe comes out negative and
 * gets the Earth's area back. Less than 1 m2 below zero is rounding in a
 * degenerate ring, not a polygon of nearly the whole Earth. */
static int ring_area(GEOSContextHandle_t h, const struct geod_geodesic *g,
                     const GEOSGeometry *ring, double *m2)
{
    const GEOSCoordSequence *seq = ring ? GEOSGeom_getCoordSeq_r(h, ring) : NULL;
    unsigned int n = 0;
    char ccw = 0;
    struct geod_polygon p;
    double a = 0, x, y;

    *m2 = 0;
    if (!seq || !GEOSCoordSeq_getSize_r(h, seq, &n))
        return -1;
    if (n < 4)
        return 0;   /* an empty ring */
    if (!GEOSCoordSeq_isCCW_r(h, seq, &ccw))
        return -1;
    geod_polygon_init(&p, 0);
    for (unsigned i = 0; i + 1 < n; i++) {   /* the last point repeats the first */
        GEOSCoordSeq_getXY_r(h, seq, i, &x, &y);
        geod_polygon_addpoint(g, &p, y, x);
    }
    geod_polygon_compute(g, &p, 0, 1, &a, NULL);
    a = ccw ? a : -a;
    *m2 = a < -1.0 ? a + 4 * M_PI * g->c2 : fabs(a);
    return 0;
}

int cw_geod_area(struct cw_ctx *ctx, const GEOSGeometry *g, double *m2)
{
    GEOSContextHandle_t h = cw_ctx_geos(ctx);
    int type = GEOSGeomTypeId_r(h, g), parts = GEOSGetNumGeometries_r(h, g), bad = 0;
    struct cw_geod wgs;
    double sum = 0, a = 0;

    *m2 = 0;
    if (type != GEOS_POLYGON && type != GEOS_MULTIPOLYGON)
        return cw_ctx_error(ctx, CW_ERR_ARG, "geodesic area needs a (multi)polygon");
    cw_geod_init(&wgs, 0);
    for (int i = 0; i < parts && !bad; i++) {
        const GEOSGeometry *poly = GEOSGetGeometryN_r(h, g, i);
        int holes = GEOSGetNumInteriorRings_r(h, poly);
        bad = holes < 0 || ring_area(h, &wgs.g, GEOSGetExteriorRing_r(h, poly), &a);
        sum += a;
        for (int j = 0; j < holes && !bad; j++) {
            bad = ring_area(h, &wgs.g, GEOSGetInteriorRingN_r(h, poly, j), &a);
            sum -= a;
        }
    }
    if (bad)
        return cw_ctx_error(ctx, CW_ERR_LIB, "GEOS cannot read the polygon");
    *m2 = sum;
    return CW_OK;
}
