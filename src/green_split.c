/* green_split.c: how two GI polygons meet (the length of boundary they
 * share, the area they overlap), at the cost of the vertices near where
 * they meet, not of all of them.
 * SPDX-License-Identifier: MIT
 *
 * A forest polygon of land cover has thousands of vertices and hundreds
 * of neighbours; an overlay with each would cost its whole size every
 * time. So large polygons are first cut, once, into parts of at most
 * SPLIT_VERTICES vertices by halving their envelope (as PostGIS's
 * ST_Subdivide does), and a pair of polygons is measured part by part,
 * only parts whose envelopes meet. The cuts run through a polygon's
 * interior: another polygon that only touches this one never meets them
 * except at its boundary, and one that overlaps it overlaps some part, so
 * lengths and areas summed over the parts are those of the whole.
 * Each pair of parts is clipped (GEOSClipByRect, linear, no overlay) to the
 * overlap of their envelopes grown by a hair before the overlay: on each
 * side of that box at most one of the two reaches beyond it, so the clip's
 * new edges never meet the other.
 */
#include <math.h>
#include <stdlib.h>

#include "cityweave/repair.h"
#include "green_priv.h"

#define SPLIT_VERTICES 256

static int split_push(struct split *s, GEOSGeometry *g)
{
    GEOSGeometry **grown = realloc(s->part, (s->n + 1) * sizeof *grown);
    if (!grown)
        return -1;
    s->part = grown;
    s->part[s->n++] = g;
    return 0;
}

static int split_rec(GEOSContextHandle_t h, const GEOSGeometry *g, int depth, struct split *s)
{
    if (GEOSGetNumCoordinates_r(h, g) <= SPLIT_VERTICES || depth > 24) {
        GEOSGeometry *c = GEOSGeom_clone_r(h, g);
        if (!c || split_push(s, c)) {
            GEOSGeom_destroy_r(h, c);
            return -1;
        }
        return 0;
    }
    double e[4], m;
    cw_green_envelope(h, g, e);
    int wide = e[2] - e[0] >= e[3] - e[1];
    m = wide ? (e[0] + e[2]) / 2 : (e[1] + e[3]) / 2;
    double half[2][4] = { { e[0], e[1], wide ? m : e[2], wide ? e[3] : m },
                          { wide ? m : e[0], wide ? e[1] : m, e[2], e[3] } };
    int rc = 0;
    for (int k = 0; k < 2 && !rc; k++) {
        GEOSGeometry *c = GEOSClipByRect_r(h, g, half[k][0], half[k][1], half[k][2], half[k][3]);
        GEOSGeometry *p = c ? cw_polygonal(h, c) : NULL;
        int np = p ? GEOSGetNumGeometries_r(h, p) : 0;
        rc = c ? 0 : -1;
        for (int i = 0; !rc && i < np; i++)
            rc = split_rec(h, GEOSGetGeometryN_r(h, p, i), depth + 1, s);
        GEOSGeom_destroy_r(h, p);
        GEOSGeom_destroy_r(h, c);
    }
    return rc;
}

int cw_green_split(GEOSContextHandle_t h, const GEOSGeometry *g, struct split *s)
{
    s->part = NULL;
    s->n = 0;
    s->done = 1;
    if (GEOSGetNumCoordinates_r(h, g) <= SPLIT_VERTICES)
        return 0;   /* small: measured whole */
    int rc = split_rec(h, g, 0, s);
    if (rc)
        cw_green_split_free(h, s);
    return rc;
}

void cw_green_split_free(GEOSContextHandle_t h, struct split *s)
{
    for (size_t i = 0; i < s->n; i++)
        GEOSGeom_destroy_r(h, s->part[i]);
    free(s->part);
    s->part = NULL;
    s->n = 0;
    s->done = 0;
}

static int boxes_meet(const double *a, const double *b)
{
    return !(a[2] < b[0] || a[0] > b[2] || a[3] < b[1] || a[1] > b[3]);
}

/* Length of a contact: its lines, and half the perimeter of its polygons.
 * A polygon there is either a sliver, the same boundary drawn twice a
 * little apart (half its perimeter is that boundary's length), or a true
 * overlap, which callers notice by its width and dissolve instead. */
static double contact_length(GEOSContextHandle_t h, const GEOSGeometry *x)
{
    int t = GEOSGeomTypeId_r(h, x);
    double l = 0;
    if (t == GEOS_GEOMETRYCOLLECTION || t == GEOS_MULTIPOLYGON) {
        int n = GEOSGetNumGeometries_r(h, x);
        for (int i = 0; i < n; i++)
            l += contact_length(h, GEOSGetGeometryN_r(h, x, i));
        return l;
    }
    if (!GEOSLength_r(h, x, &l))
        return 0;
    return t == GEOS_POLYGON ? l / 2 : l;
}

/* Shared length and overlap area of two small polygons, clipped first. */
static int contact_parts(GEOSContextHandle_t h, const GEOSGeometry *a, const double *ea,
                         const GEOSGeometry *b, const double *eb, double *len, double *area)
{
    double x0 = fmax(ea[0], eb[0]), y0 = fmax(ea[1], eb[1]);
    double x1 = fmin(ea[2], eb[2]), y1 = fmin(ea[3], eb[3]);
    double eps = 1e-9 * (fabs(x0) + fabs(x1) + fabs(y0) + fabs(y1) + 1);
    GEOSGeometry *ca = GEOSClipByRect_r(h, a, x0 - eps, y0 - eps, x1 + eps, y1 + eps);
    GEOSGeometry *cb = ca ? GEOSClipByRect_r(h, b, x0 - eps, y0 - eps, x1 + eps, y1 + eps) : NULL;
    GEOSGeometry *x = cb ? GEOSIntersection_r(h, ca, cb) : NULL;
    double s = 0;
    int ok = x && GEOSArea_r(h, x, &s);
    *len += ok ? contact_length(h, x) : 0;
    *area += s;
    GEOSGeom_destroy_r(h, x);
    GEOSGeom_destroy_r(h, ca);
    GEOSGeom_destroy_r(h, cb);
    return ok ? 0 : -1;
}

int cw_green_contact(GEOSContextHandle_t h, const GEOSGeometry *a, const struct split *sa,
                     const GEOSGeometry *b, const struct split *sb, double *len, double *area)
{
    double ea[4], eb[4], pa[4], pb[4];
    const GEOSGeometry *const *A = sa->n ? (const GEOSGeometry *const *)sa->part : &a;
    const GEOSGeometry *const *B = sb->n ? (const GEOSGeometry *const *)sb->part : &b;
    size_t na = sa->n ? sa->n : 1, nb = sb->n ? sb->n : 1;
    int rc = 0;
    *len = *area = 0;
    cw_green_envelope(h, a, ea);
    cw_green_envelope(h, b, eb);
    for (size_t i = 0; !rc && i < na; i++) {
        cw_green_envelope(h, A[i], pa);
        if (!boxes_meet(pa, eb))
            continue;
        for (size_t k = 0; !rc && k < nb; k++) {
            cw_green_envelope(h, B[k], pb);
            if (boxes_meet(pa, pb))
                rc = contact_parts(h, A[i], pa, B[k], pb, len, area);
        }
    }
    return rc;
}
