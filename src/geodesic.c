/* geodesic.c: distances, azimuths and densified, antimeridian-safe lines on
 * the WGS84 ellipsoid (PROJ geodesic API) or the mean-radius sphere.
 * SPDX-License-Identifier: MIT
 */
#include <math.h>
#include <stdio.h>
#include <stdlib.h>

#include "cityweave/geodesic.h"

#define DEG (M_PI / 180.0)

void cw_geod_init(struct cw_geod *g, int sphere)
{
    g->sphere = sphere;
    geod_init(&g->g, 6378137.0, 1 / 298.257223563);
}

/* Great-circle distance by the haversine formula, the one scikit-learn's
 * haversine metric uses, so --sphere results compare exactly. */
static double sphere_dist(double lon1, double lat1, double lon2, double lat2)
{
    double sdlat = sin((lat2 - lat1) * DEG / 2), sdlon = sin((lon2 - lon1) * DEG / 2);
    double h = sdlat * sdlat + cos(lat1 * DEG) * cos(lat2 * DEG) * sdlon * sdlon;
    return 2 * CW_EARTH_RADIUS_M * asin(sqrt(h > 1 ? 1 : h));
}

static double sphere_azimuth(double lon1, double lat1, double lon2, double lat2)
{
    double p1 = lat1 * DEG, p2 = lat2 * DEG, dl = (lon2 - lon1) * DEG;
    return atan2(sin(dl) * cos(p2),
                 cos(p1) * sin(p2) - sin(p1) * cos(p2) * cos(dl)) / DEG;
}

void cw_geod_inverse(const struct cw_geod *g, double lon1, double lat1,
                     double lon2, double lat2, double *dist, double *azi1,
                     double *azi2)
{
    if (!g->sphere) {
        double s, a1, a2;
        geod_inverse(&g->g, lat1, lon1, lat2, lon2, &s, &a1, &a2);
        if (dist) *dist = s;
        if (azi1) *azi1 = a1;
        if (azi2) *azi2 = a2;
        return;
    }
    if (dist) *dist = sphere_dist(lon1, lat1, lon2, lat2);
    if (azi1) *azi1 = sphere_azimuth(lon1, lat1, lon2, lat2);
    /* The azimuth at point 2 continues the path: the reverse azimuth
     * turned by 180 degrees. */
    if (azi2) {
        double back = sphere_azimuth(lon2, lat2, lon1, lat1) + 180.0;
        *azi2 = back > 180.0 ? back - 360.0 : back;
    }
}

/* A path being densified: position at a fraction of its length. */
struct path {
    const struct cw_geod *g;
    struct geod_geodesicline line;   /* ellipsoid */
    double len;                      /* ellipsoid: metres */
    double p1[3], p2[3], omega;      /* sphere: unit vectors and angle */
    double lon1;
};

static void path_init(struct path *p, const struct cw_geod *g, double lon1,
                      double lat1, double lon2, double lat2)
{
    p->g = g;
    p->lon1 = lon1;
    if (!g->sphere) {
        geod_inverseline(&p->line, &g->g, lat1, lon1, lat2, lon2,
                         GEOD_LATITUDE | GEOD_LONGITUDE | GEOD_DISTANCE_IN |
                             GEOD_LONG_UNROLL);
        p->len = p->line.s13;
        return;
    }
    double v[2][3], ll[2][2] = { { lon1, lat1 }, { lon2, lat2 } };
    for (int i = 0; i < 2; i++) {
        double la = ll[i][1] * DEG, lo = ll[i][0] * DEG;
        v[i][0] = cos(la) * cos(lo);
        v[i][1] = cos(la) * sin(lo);
        v[i][2] = sin(la);
    }
    for (int k = 0; k < 3; k++) {
        p->p1[k] = v[0][k];
        p->p2[k] = v[1][k];
    }
    double dot = v[0][0] * v[1][0] + v[0][1] * v[1][1] + v[0][2] * v[1][2];
    p->omega = acos(dot > 1 ? 1 : dot < -1 ? -1 : dot);
    p->len = p->omega * CW_EARTH_RADIUS_M;
}

/* Position at fraction f of the path, longitude unrolled so that it is
 * continuous with @p near (the previous vertex). */
static void path_at(const struct path *p, double f, double near, double *lon,
                    double *lat)
{
    if (!p->g->sphere) {
        geod_genposition(&p->line, GEOD_LONG_UNROLL, f * p->len, lat, lon,
                         NULL, NULL, NULL, NULL, NULL, NULL);
    } else {
        double a, b, v[3];
        if (p->omega < 1e-15) {
            a = 1 - f;
            b = f;
        } else {
            a = sin((1 - f) * p->omega) / sin(p->omega);
            b = sin(f * p->omega) / sin(p->omega);
        }
        for (int k = 0; k < 3; k++)
            v[k] = a * p->p1[k] + b * p->p2[k];
        *lat = atan2(v[2], hypot(v[0], v[1])) / DEG;
        *lon = atan2(v[1], v[0]) / DEG;
    }
    *lon += 360.0 * round((near - *lon) / 360.0);
}

/* Index of the 360-degree band [-180+360k, 180+360k) holding lon. */
static double band(double lon)
{
    return floor((lon + 180.0) / 360.0);
}

/* Latitude where the path crosses the meridian lon = edge, between
 * fractions fa and fb (bisection: the crossing is bracketed and the
 * function is monotonic over one short segment). */
static double crossing_lat(const struct path *p, double fa, double fb,
                           double lona, double edge)
{
    double lon, lat = 0;
    for (int i = 0; i < 60; i++) {
        double fm = (fa + fb) / 2;
        path_at(p, fm, lona, &lon, &lat);
        if ((lon < edge) == (lona < edge))
            fa = fm;
        else
            fb = fm;
    }
    path_at(p, (fa + fb) / 2, lona, &lon, &lat);
    return lat;
}

struct parts {
    GEOSContextHandle_t h;
    GEOSCoordSequence *seq;
    size_t nseq, capseq;
    double *xy;
    GEOSGeometry *lines[8];
    int nlines;
};

static int parts_flush(struct parts *pt)
{
    GEOSCoordSequence *cs = GEOSCoordSeq_create_r(pt->h, (unsigned)pt->nseq, 2);
    if (!cs)
        return -1;
    for (size_t i = 0; i < pt->nseq; i++)
        GEOSCoordSeq_setXY_r(pt->h, cs, (unsigned)i, pt->xy[2 * i], pt->xy[2 * i + 1]);
    GEOSGeometry *ls = GEOSGeom_createLineString_r(pt->h, cs);
    if (!ls || pt->nlines == 8) {
        GEOSGeom_destroy_r(pt->h, ls);
        return -1;
    }
    pt->lines[pt->nlines++] = ls;
    pt->nseq = 0;
    return 0;
}

static int parts_add(struct parts *pt, double lon, double lat)
{
    if (pt->nseq == pt->capseq) {
        size_t cap = pt->capseq ? 2 * pt->capseq : 64;
        double *xy = realloc(pt->xy, 2 * cap * sizeof *xy);
        if (!xy)
            return -1;
        pt->xy = xy;
        pt->capseq = cap;
    }
    pt->xy[2 * pt->nseq] = lon;
    pt->xy[2 * pt->nseq + 1] = lat;
    pt->nseq++;
    return 0;
}

/* Appends vertex (lon unrolled) to the current part, first closing the part
 * at the antimeridian when the vertex lies in another 360-degree band. */
static int add_vertex(struct parts *pt, const struct path *p, double fprev,
                      double lonprev, double f, double lon, double lat)
{
    double bp = band(lonprev), bc = band(lon);
    if (bc != bp) {
        double edge = (bc > bp ? bc : bp) * 360.0 - 180.0;
        double clat = crossing_lat(p, fprev, f, lonprev, edge);
        double shift = bp * 360.0;
        if (parts_add(pt, edge - shift, clat) || parts_flush(pt))
            return -1;
        if (parts_add(pt, edge - bc * 360.0, clat))
            return -1;
    }
    return parts_add(pt, lon - bc * 360.0, lat);
}

int cw_geod_line(struct cw_ctx *ctx, const struct cw_geod *g, double lon1,
                 double lat1, double lon2, double lat2, double segment,
                 GEOSGeometry **out)
{
    struct parts pt = { .h = cw_ctx_geos(ctx) };
    struct path p;
    int rc = CW_OK;

    *out = NULL;
    if (!(segment > 0))
        return cw_ctx_error(ctx, CW_ERR_ARG, "segment length must be positive");
    path_init(&p, g, lon1, lat1, lon2, lat2);
    double nseg = ceil(p.len / segment);
    if (nseg < 1)
        nseg = 1;
    if (nseg > 1e6)
        return cw_ctx_error(ctx, CW_ERR_ARG, "segment length too small for the line");
    double fprev = 0, lonprev = lon1, lat = lat1, lon;
    if (parts_add(&pt, lon1, lat1))
        goto nomem;
    for (long i = 1; i <= (long)nseg; i++) {
        double f = i / nseg;
        path_at(&p, f, lonprev, &lon, &lat);
        if (add_vertex(&pt, &p, fprev, lonprev, f, lon, lat))
            goto nomem;
        fprev = f;
        lonprev = lon;
    }
    if (parts_flush(&pt))
        goto nomem;
    if (pt.nlines == 1)
        *out = pt.lines[0];
    else if (!(*out = GEOSGeom_createCollection_r(pt.h, GEOS_MULTILINESTRING,
                                                  pt.lines, (unsigned)pt.nlines)))
        goto nomem;
    free(pt.xy);
    return rc;
nomem:
    for (int i = 0; i < pt.nlines; i++)
        GEOSGeom_destroy_r(pt.h, pt.lines[i]);
    free(pt.xy);
    return cw_ctx_error(ctx, CW_ERR_LIB, "cannot build geodesic line");
}

/* Writes degrees as "[-]D.DDDDDD" with integer conversions only, so a
 * caller's LC_NUMERIC (a decimal comma) cannot garble the PROJ string;
 * micro-degrees are plenty for a projection centre. */
static void put_deg(char *buf, size_t size, double deg)
{
    long long u = llround(fabs(deg) * 1e6);
    snprintf(buf, size, "%s%lld.%06lld", deg < 0 ? "-" : "", u / 1000000, u % 1000000);
}

/* A +proj string wants radians, hence the unitconvert step: both
 * directions then take and give degrees, lon first. */
PJ *cw_laea_new(struct cw_ctx *ctx, double lon0, double lat0)
{
    char lon[32], lat[32], def[256];
    put_deg(lon, sizeof lon, lon0);
    put_deg(lat, sizeof lat, lat0);
    snprintf(def, sizeof def,
             "+proj=pipeline +step +proj=unitconvert +xy_in=deg +xy_out=rad "
             "+step +proj=laea +lat_0=%s +lon_0=%s +x_0=0 +y_0=0 +ellps=WGS84",
             lat, lon);
    return proj_create(cw_ctx_proj(ctx), def);
}
