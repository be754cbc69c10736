/* map_geom.c: lon/lat geometries to pixel geometries: lines and polygons
 * cut at the projection's seam (the meridian opposite its centre, so no
 * line streaks across the map), projected, and clipped to the frame.
 * SPDX-License-Identifier: MIT
 */
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "map_priv.h"

/* How far short of the seam a cut line or polygon stops, in degrees: the
 * two sides must not project onto the same edge of the map. */
#define SEAM_EPS 1e-7

void map_path_release(struct map_path *p)
{
    free(p->xy);
    free(p->ends);
    memset(p, 0, sizeof *p);
}

static int path_point(struct map_path *p, double x, double y)
{
    if (map_path_reserve(p, 1))
        return -1;
    p->xy[2 * p->n] = x;
    p->xy[2 * p->n + 1] = y;
    p->n++;
    return 0;
}

int map_path_reserve(struct map_path *p, size_t n)
{
    if (p->n + n <= p->cap)
        return 0;
    size_t cap = p->cap ? 2 * p->cap : 256;
    while (cap < p->n + n)
        cap *= 2;
    double *xy = realloc(p->xy, 2 * cap * sizeof *xy);
    if (!xy)
        return -1;
    p->xy = xy;
    p->cap = cap;
    return 0;
}

/* Records the end of the current part (@p min points or it is dropped). */
static int end_part(struct map_path *p, size_t min)
{
    size_t start = p->nparts ? p->ends[p->nparts - 1] : 0;
    if (p->n - start < min) {
        p->n = start;
        return 0;
    }
    if (p->nparts == p->pcap) {
        size_t cap = p->pcap ? 2 * p->pcap : 64;
        size_t *e = realloc(p->ends, cap * sizeof *e);
        if (!e)
            return -1;
        p->ends = e;
        p->pcap = cap;
    }
    p->ends[p->nparts++] = p->n;
    return 0;
}

int map_path_end_part(struct map_path *p)
{
    return end_part(p, 1);
}

/* Ends the current part: kept when it has two points or more. */
static int path_end(struct map_path *p)
{
    return end_part(p, 2);
}

/* Adds a point to the current part unless it repeats the last one (within
 * 1e-6 degree or pixel: a seam cut must not leave a dot at the far edge). */
static int path_add(struct map_path *p, double x, double y)
{
    size_t start = p->nparts ? p->ends[p->nparts - 1] : 0;
    if (p->n > start && fabs(p->xy[2 * p->n - 2] - x) < 1e-6 &&
        fabs(p->xy[2 * p->n - 1] - y) < 1e-6)
        return 0;
    return path_point(p, x, y);
}

/* Liang-Barsky: clips segment a-b to the box; @return 0 when none is left,
 * with t0 <= t1 the kept stretch. */
static int clip_segment(const double a[2], const double b[2], const double box[4],
                        double *t0, double *t1)
{
    double d[2] = { b[0] - a[0], b[1] - a[1] };
    double p[4] = { -d[0], d[0], -d[1], d[1] };
    double q[4] = { a[0] - box[0], box[2] - a[0], a[1] - box[1], box[3] - a[1] };
    *t0 = 0, *t1 = 1;
    for (int i = 0; i < 4; i++) {
        if (p[i] == 0) {
            if (q[i] < 0)
                return 0;
            continue;
        }
        double r = q[i] / p[i];
        if (p[i] < 0)
            *t0 = fmax(*t0, r);
        else
            *t1 = fmin(*t1, r);
    }
    return *t0 <= *t1;
}

int map_path_clip(const struct map_view *v, const struct map_path *in, size_t p0, size_t p1,
                  double margin, struct map_path *out)
{
    const double box[4] = { -margin, -margin, v->w + margin, v->h + margin };
    size_t start = p0 ? in->ends[p0 - 1] : 0;
    for (size_t k = p0; k < p1; start = in->ends[k++]) {
        for (size_t i = start + 1; i < in->ends[k]; i++) {
            const double *a = &in->xy[2 * (i - 1)], *b = &in->xy[2 * i];
            double t0, t1;
            if (isnan(a[0]) || isnan(b[0]) || !clip_segment(a, b, box, &t0, &t1)) {
                if (path_end(out))
                    return -1;
                continue;
            }
            double dx = b[0] - a[0], dy = b[1] - a[1];
            if (path_add(out, a[0] + t0 * dx, a[1] + t0 * dy) ||
                path_add(out, a[0] + t1 * dx, a[1] + t1 * dy))
                return -1;
            if (t1 < 1 && path_end(out))
                return -1;
        }
        if (path_end(out))
            return -1;
    }
    return 0;
}

/* One linestring in lon/lat into @p cut, as parts that keep to one side of
 * the seam: longitudes unwrapped along the line, a part ended where the
 * line crosses lon0 + 180 (+ k 360), with the crossing latitude
 * interpolated, and the next begun on the other edge. */
static int cut_line(const double *xy, size_t n, double lon0, struct map_path *cut)
{
    double u_prev = 0;
    for (size_t i = 0; i < n; i++) {
        double lon = xy[2 * i], lat = xy[2 * i + 1];
        double u = i ? u_prev + remainder(lon - xy[2 * i - 2], 360)
                     : remainder(lon - lon0, 360);
        if (i) {
            double c0 = floor((u_prev + 180) / 360), c1 = floor((u + 180) / 360);
            if (c0 != c1) {
                double m = 360 * fmax(c0, c1) - 180, t = (m - u_prev) / (u - u_prev);
                double yc = xy[2 * i - 1] + t * (lat - xy[2 * i - 1]);
                double east = u > u_prev ? 180 - SEAM_EPS : -180 + SEAM_EPS;
                if (path_add(cut, lon0 + east, yc) || path_end(cut) ||
                    path_add(cut, lon0 - east, yc))
                    return -1;
            }
        }
        double r = u - 360 * floor((u + 180) / 360);
        if (path_add(cut, lon0 + r, lat))
            return -1;
        u_prev = u;
    }
    return path_end(cut);
}

int map_line_cut(const struct map_view *v, const struct map_feats *f, size_t r,
                 struct map_path *cut)
{
    const struct map_path *c = &f->coords;
    for (size_t k = f->first[r]; k < f->first[r + 1]; k++) {
        size_t start = k ? c->ends[k - 1] : 0;
        if (c->ends[k] - start >= 2 && cut_line(c->xy + 2 * start, c->ends[k] - start, v->lon0, cut))
            return -1;
    }
    return 0;
}

/* Relative longitude to pixels: x is degrees east of lon0. */
static int to_px(double *x, double *y, void *arg)
{
    const struct map_view *v = arg;
    *x += v->lon0;
    map_view_fwd(v, x, y, 1);
    return !isnan(*x);
}

static int shift_x(double *x, double *y, void *arg)
{
    (void)y;
    *x += *(const double *)arg;
    return 1;
}

/* A ring with its longitudes made relative to lon0 and unwrapped along
 * it, so an edge never jumps 360 degrees (sources such as Natural Earth's
 * TopoJSON store Russia as one ring spanning -180..180). A ring round a
 * pole (Antarctica) then ends 360 degrees from where it began: it is
 * closed along the pole, so that it too can be cut at the seam. */
static GEOSGeometry *unwrap_ring(GEOSContextHandle_t h, const GEOSGeometry *ring, double lon0)
{
    const GEOSCoordSequence *cs = GEOSGeom_getCoordSeq_r(h, ring);
    unsigned n = 0;
    if (!cs || !GEOSCoordSeq_getSize_r(h, cs, &n) || n < 4)
        return NULL;
    double *xy = malloc(2 * ((size_t)n + 3) * sizeof *xy);
    if (!xy || !GEOSCoordSeq_copyToBuffer_r(h, cs, xy, 0, 0)) {
        free(xy);
        return NULL;
    }
    double prev = xy[0], u = remainder(prev - lon0, 360), lat = 0;
    for (unsigned i = 0; i < n; i++) {
        double lon = xy[2 * i];
        u += i ? remainder(lon - prev, 360) : 0;
        prev = lon;
        xy[2 * i] = u;
        lat += xy[2 * i + 1] / n;
    }
    if (fabs(xy[2 * (n - 1)] - xy[0]) > 1) {
        double pole = lat < 0 ? -90 : 90;
        xy[2 * n] = xy[2 * (n - 1)], xy[2 * n + 1] = pole;
        xy[2 * n + 2] = xy[0], xy[2 * n + 3] = pole;
        xy[2 * n + 4] = xy[0], xy[2 * n + 5] = xy[1];
        n += 3;
    }
    GEOSCoordSequence *out = GEOSCoordSeq_copyFromBuffer_r(h, xy, n, 0, 0);
    free(xy);
    return out ? GEOSGeom_createLinearRing_r(h, out) : NULL;
}

/* Appends every ring of polygon @p g, unwrapped, to @p parts as a polygon
 * of its own: drawn with the even-odd rule, holes still cut their shells,
 * and each ring can be cut at the seam even where shell and hole only
 * make sense on the sphere (Natural Earth's Antarctica: a shell round the
 * pole at -89.999, the coast as its hole). */
static void unwrap_rings(GEOSContextHandle_t h, const GEOSGeometry *g, double lon0,
                         GEOSGeometry **parts, unsigned *k)
{
    int nh = GEOSGetNumInteriorRings_r(h, g);
    for (int i = -1; i < nh; i++) {
        GEOSGeometry *ring = unwrap_ring(h, i < 0 ? GEOSGetExteriorRing_r(h, g)
                                                  : GEOSGetInteriorRingN_r(h, g, i), lon0);
        GEOSGeometry *p = ring ? GEOSGeom_createPolygon_r(h, ring, NULL, 0) : NULL;
        if (p)
            parts[(*k)++] = p;
        else if (ring)
            GEOSGeom_destroy_r(h, ring);
    }
}

/* Every ring of the polygons of @p g unwrapped, as one collection. */
static GEOSGeometry *unwrap(GEOSContextHandle_t h, const GEOSGeometry *g, double lon0)
{
    int type = GEOSGeomTypeId_r(h, g);
    int n = type == GEOS_POLYGON ? 1 : GEOSGetNumGeometries_r(h, g);
    unsigned rings = 0, k = 0;
    for (int i = 0; i < n; i++) {
        const GEOSGeometry *p = type == GEOS_POLYGON ? g : GEOSGetGeometryN_r(h, g, i);
        if (GEOSGeomTypeId_r(h, p) == GEOS_POLYGON && !GEOSisEmpty_r(h, p))
            rings += 1 + (unsigned)GEOSGetNumInteriorRings_r(h, p);
    }
    GEOSGeometry **parts = calloc(rings + 1, sizeof *parts);
    if (!parts)
        return NULL;
    for (int i = 0; i < n; i++) {
        const GEOSGeometry *p = type == GEOS_POLYGON ? g : GEOSGetGeometryN_r(h, g, i);
        if (GEOSGeomTypeId_r(h, p) == GEOS_POLYGON && !GEOSisEmpty_r(h, p))
            unwrap_rings(h, p, lon0, parts, &k);
    }
    GEOSGeometry *c = GEOSGeom_createCollection_r(h, GEOS_GEOMETRYCOLLECTION, parts, k);
    if (!c)
        for (unsigned i = 0; i < k; i++)
            GEOSGeom_destroy_r(h, parts[i]);
    free(parts);
    return c;
}

/* The unwrapped @p g cut into the world before, at and after the seams,
 * each piece moved back into -180..180 degrees of lon0. */
static GEOSGeometry *fold(GEOSContextHandle_t h, GEOSGeometry *g)
{
    double x0, x1;
    if (!GEOSGeom_getXMin_r(h, g, &x0) || !GEOSGeom_getXMax_r(h, g, &x1))
        return g;
    if (x0 >= -180 && x1 <= 180)
        return g;
    GEOSGeometry *parts[3];
    unsigned n = 0;
    for (int k = -1; k <= 1; k++) {
        GEOSGeometry *p = GEOSClipByRect_r(h, g, -180 + 360 * k + SEAM_EPS, -90,
                                           180 + 360 * k - SEAM_EPS, 90);
        double shift = -360.0 * k;
        GEOSGeometry *moved = p && !GEOSisEmpty_r(h, p) ? GEOSGeom_transformXY_r(h, p, shift_x,
                                                                                   &shift)
                                                        : NULL;
        if (p)
            GEOSGeom_destroy_r(h, p);
        if (moved)
            parts[n++] = moved;
    }
    GEOSGeom_destroy_r(h, g);
    return GEOSGeom_createCollection_r(h, GEOS_GEOMETRYCOLLECTION, parts, n);
}

GEOSGeometry *map_polygon_px(struct cw_ctx *ctx, const struct map_view *v,
                             const GEOSGeometry *g, double margin, int *rc)
{
    GEOSContextHandle_t h = cw_ctx_geos(ctx);
    *rc = CW_OK;
    GEOSGeometry *rel = unwrap(h, g, v->lon0);
    rel = rel ? fold(h, rel) : NULL;
    /* Only what lies near the view is projected (relative to lon0). */
    GEOSGeometry *ll = rel ? GEOSClipByRect_r(h, rel, v->ll[2] - v->ll[0] >= 360 ? -180
                                                      : v->ll[0] - v->lon0, v->ll[1],
                                              v->ll[2] - v->ll[0] >= 360 ? 180
                                                      : v->ll[2] - v->lon0, v->ll[3])
                              : NULL;
    if (rel)
        GEOSGeom_destroy_r(h, rel);
    if (!ll || GEOSisEmpty_r(h, ll)) {
        if (ll)
            GEOSGeom_destroy_r(h, ll);
        else
            *rc = cw_ctx_error(ctx, CW_ERR_LIB, "GEOS could not cut a polygon at the seam");
        return NULL;
    }
    /* A vertex PROJ cannot project (the antipode of an azimuthal map's
     * centre) drops the polygon: there is no place to draw it. */
    GEOSGeometry *px = GEOSGeom_transformXY_r(h, ll, to_px, (void *)v);
    GEOSGeom_destroy_r(h, ll);
    if (!px)
        return NULL;
    GEOSGeometry *clipped = GEOSClipByRect_r(h, px, -margin, -margin, v->w + margin,
                                             v->h + margin);
    GEOSGeom_destroy_r(h, px);
    if (clipped && GEOSisEmpty_r(h, clipped)) {
        GEOSGeom_destroy_r(h, clipped);
        return NULL;
    }
    if (!clipped)
        *rc = cw_ctx_error(ctx, CW_ERR_LIB, "GEOS could not clip a polygon to the map");
    return clipped;
}
