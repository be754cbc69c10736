/* green_patches.c: a zone's GI pieces to areas by class and patches:
 * count, areas, whole (cross-boundary) areas and edge length.
 * SPDX-License-Identifier: MIT
 *
 * Two ways, one result. GI that never overlaps (polygonised land cover,
 * most cadastral GI) is a coverage: areas are sums of piece areas,
 * patches are pieces joined where they touch (union-find), and the edge
 * is the pieces' perimeters less twice their shared boundaries, so no
 * polygon is ever dissolved; dissolving thousands of adjacent polygons is
 * what makes overlay tools slow. GI with overlaps (OSM: a park inside a
 * forest) is dissolved with GEOS's cascaded union, per class and in all.
 * Which way a zone takes depends only on whether any of its GI features
 * overlaps another, found once for the whole input (green_gi.c).
 */
#include <math.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "green_priv.h"
#include "unionfind.h"

/* Pieces closer than this (m) touch, and an overlap thinner than this on
 * average is a boundary they share. An edge that two polygons share in
 * lon/lat is straight there, not in the zone's projection: where one has
 * a vertex along the other's straight edge (GDALPolygonize writes only
 * the corners where an outline turns), that vertex lands off the other's
 * projected edge by up to L^2 / (8 R) tan(latitude), a centimetre for an
 * edge L of 1 km at 35 N, a gap or an overlap where there was neither.
 * Half a metre is no break in habitat, and no overlap of GI. */
#define SLIVER_M 0.5

/* Union of the pieces for which keep(cls) holds; NULL with *none set when
 * there are none. */
static GEOSGeometry *union_of(GEOSContextHandle_t h, const struct pieces *p, int cls,
                              int canopy, const struct cw_giclasses *reg, int *none)
{
    size_t k = 0;
    GEOSGeometry **parts = malloc((p->n ? p->n : 1) * sizeof *parts);
    for (size_t i = 0; parts && i < p->n; i++)
        if (canopy ? cw_giclass_is_canopy(reg->name[p->cls[i]]) : cls < 0 || p->cls[i] == cls)
            parts[k++] = GEOSGeom_clone_r(h, p->g[i]);
    *none = parts && k == 0;
    GEOSGeometry *coll = parts && k ? GEOSGeom_createCollection_r(h, GEOS_GEOMETRYCOLLECTION,
                                                                  parts, (unsigned)k)
                                    : NULL;
    GEOSGeometry *u = coll ? GEOSUnaryUnion_r(h, coll) : NULL;
    GEOSGeom_destroy_r(h, coll);
    free(parts);
    return u;
}

static int area_of(struct worker *w, const struct pieces *p, int cls, int canopy, double *m2)
{
    int none = 0;
    GEOSGeometry *u = union_of(w->h, p, cls, canopy, &w->g->reg, &none);
    *m2 = 0;
    if (none)
        return CW_OK;
    int ok = u && GEOSArea_r(w->h, u, m2);
    GEOSGeom_destroy_r(w->h, u);
    return ok ? CW_OK : cw_ctx_error(w->ctx, CW_ERR_LIB, "GEOS cannot dissolve GI");
}

/* ---- patches: the polygons of the union, those touching (even at a
 * corner, the 8-neighbour rule of FRAGSTATS) grouped ---- */


void cw_green_patches_free(GEOSContextHandle_t h, struct patches *pt)
{
    for (size_t i = 0; i < pt->n; i++)
        GEOSGeom_destroy_r(h, pt->g[i]);
    free(pt->g);
    free(pt->m2);
    free(pt->whole);
    memset(pt, 0, sizeof *pt);
}


static int by_x0(const void *a, const void *b)
{
    const struct box *p = a, *q = b;
    return p->x0 < q->x0 ? -1 : p->x0 > q->x0 ? 1 : p->i - q->i;
}

static struct box box_of(GEOSContextHandle_t h, const GEOSGeometry *g, int i)
{
    double e[4];
    cw_green_envelope(h, g, e);
    return (struct box){ e[0], e[2], e[1], e[3], i };
}

struct box *cw_green_boxes(GEOSContextHandle_t h, GEOSGeometry *const *g, size_t n)
{
    struct box *b = malloc((n ? n : 1) * sizeof *b);
    for (size_t i = 0; b && i < n; i++)
        b[i] = box_of(h, g[i], (int)i);
    if (b)
        qsort(b, n, sizeof *b, by_x0);
    return b;
}

/* Joins the polygons of @p u that touch (come within SLIVER_M): a sweep
 * over envelopes sorted by their west edge, GEOS only for pairs whose
 * envelopes meet. */
static int join_touching_polygons(struct worker *w, const GEOSGeometry *u, int n,
                                  uint32_t *parent)
{
    GEOSContextHandle_t h = w->h;
    struct box *b = malloc((n > 0 ? (size_t)n : 1) * sizeof *b);
    if (!b)
        return cw_ctx_error(w->ctx, CW_ERR_NOMEM, "out of memory");
    for (int i = 0; i < n; i++) {
        b[i] = box_of(h, GEOSGetGeometryN_r(h, u, i), i);
        parent[i] = (uint32_t)i;
    }
    qsort(b, (size_t)n, sizeof *b, by_x0);
    int rc = CW_OK;
    for (int s = 0; s < n && !rc; s++) {
        const GEOSPreparedGeometry *ps = NULL;   /* prepared when first needed */
        for (int t = s + 1; t < n && b[t].x0 <= b[s].x1 + SLIVER_M; t++) {
            if (b[t].y0 > b[s].y1 + SLIVER_M || b[t].y1 < b[s].y0 - SLIVER_M)
                continue;
            uint32_t ra = cw_uf_find(parent, (uint32_t)b[s].i);
            uint32_t rb = cw_uf_find(parent, (uint32_t)b[t].i);
            if (ra == rb)
                continue;
            if (!ps && !(ps = GEOSPrepare_r(h, GEOSGetGeometryN_r(h, u, b[s].i)))) {
                rc = cw_ctx_error(w->ctx, CW_ERR_LIB, "GEOS cannot prepare a patch");
                break;
            }
            if (GEOSPreparedDistanceWithin_r(h, ps, GEOSGetGeometryN_r(h, u, b[t].i), SLIVER_M) == 1)
                parent[ra > rb ? ra : rb] = ra > rb ? rb : ra;
        }
        GEOSPreparedGeom_destroy_r(h, ps);
    }
    free(b);
    return rc;
}

/* Groups the polygons of @p u that touch into patches, numbered by their
 * first polygon. */
static int group_polygons(struct worker *w, const GEOSGeometry *u, struct patches *pt)
{
    GEOSContextHandle_t h = w->h;
    int n = GEOSGetNumGeometries_r(h, u);
    uint32_t *parent = malloc((n > 0 ? (size_t)n : 1) * sizeof *parent);
    uint32_t *label = malloc((n > 0 ? (size_t)n : 1) * sizeof *label);
    int rc = parent && label ? join_touching_polygons(w, u, n, parent)
                             : cw_ctx_error(w->ctx, CW_ERR_NOMEM, "out of memory");
    size_t np = 0;
    for (int i = 0; !rc && i < n; i++) {
        uint32_t r = cw_uf_find(parent, (uint32_t)i);
        label[i] = r == (uint32_t)i ? (uint32_t)np++ : label[r];
    }
    pt->g = rc ? NULL : calloc(np ? np : 1, sizeof *pt->g);
    pt->m2 = pt->g ? calloc(np ? np : 1, sizeof *pt->m2) : NULL;
    pt->whole = pt->m2 ? calloc(np ? np : 1, sizeof *pt->whole) : NULL;
    if (!rc && !pt->whole)
        rc = cw_ctx_error(w->ctx, CW_ERR_NOMEM, "out of memory");
    /* The polygons in patch order (a counting sort on the labels), so each
     * patch's parts are one run of the array. */
    size_t *start = rc ? NULL : calloc(np + 1, sizeof *start);
    GEOSGeometry **parts = start ? malloc((n > 0 ? (size_t)n : 1) * sizeof *parts) : NULL;
    if (!rc && !parts)
        rc = cw_ctx_error(w->ctx, CW_ERR_NOMEM, "out of memory");
    for (int i = 0; !rc && i < n; i++)
        start[label[i] + 1]++;
    for (size_t k = 0; !rc && k < np; k++)
        start[k + 1] += start[k];
    for (int i = 0; !rc && i < n; i++)
        parts[start[label[i]]++] = GEOSGeom_clone_r(h, GEOSGetGeometryN_r(h, u, i));
    for (size_t k = 0, at = 0; !rc && k < np; k++) {
        size_t m = start[k] - at;   /* start[k] is now the end of run k */
        pt->g[k] = GEOSGeom_createCollection_r(h, GEOS_MULTIPOLYGON, parts + at, (unsigned)m);
        at = start[k];
        pt->n = k + 1;
        if (!pt->g[k] || !GEOSArea_r(h, pt->g[k], &pt->m2[k]))
            rc = cw_ctx_error(w->ctx, CW_ERR_LIB, "GEOS cannot group patches");
    }
    free(start);
    free(parts);
    free(parent);
    free(label);
    return rc;
}

/* A piece's patch and GI component. */
struct patch_comp { uint32_t patch, comp; };

static int by_patch_comp(const void *a, const void *b)
{
    const struct patch_comp *x = a, *y = b;
    if (x->patch != y->patch)
        return x->patch < y->patch ? -1 : 1;
    return (x->comp > y->comp) - (x->comp < y->comp);
}

/* Whole area of each patch: the areas of the components (connected GI of
 * the whole layer) of its pieces, each counted once; a patch joined across
 * a hairline gap spans two. @p of[i] is piece i's patch (UINT32_MAX:
 * none). The patch is in the plane, the components on the ellipsoid: a
 * whole is never less than its part. */
static int sum_components(struct worker *w, const struct pieces *p, const uint32_t *of,
                          struct patches *pt)
{
    struct patch_comp *v = malloc((p->n ? p->n : 1) * sizeof *v);
    size_t m = 0;
    if (!v)
        return cw_ctx_error(w->ctx, CW_ERR_NOMEM, "out of memory");
    for (size_t i = 0; i < p->n; i++)
        if (of[i] != UINT32_MAX)
            v[m++] = (struct patch_comp){ of[i], p->comp[i] };
    qsort(v, m, sizeof *v, by_patch_comp);
    for (size_t k = 0; k < pt->n; k++)
        pt->whole[k] = 0;
    for (size_t j = 0; j < m; j++)
        if (!j || v[j].patch != v[j - 1].patch || v[j].comp != v[j - 1].comp)
            pt->whole[v[j].patch] += w->g->gi.comp_m2[v[j].comp];
    for (size_t k = 0; k < pt->n; k++)
        pt->whole[k] = fmax(pt->whole[k], pt->m2[k]);
    free(v);
    return CW_OK;
}

/* Whole area of each patch of the union: a point on each piece's surface
 * finds its patch (envelopes first, then a prepared test). */
static int whole_areas(struct worker *w, const struct pieces *p, struct patches *pt)
{
    GEOSContextHandle_t h = w->h;
    struct box *b = cw_green_boxes(h, pt->g, pt->n);
    const GEOSPreparedGeometry **pg = calloc(pt->n ? pt->n : 1, sizeof *pg);
    uint32_t *of = malloc((p->n ? p->n : 1) * sizeof *of);
    int rc = b && pg && of ? CW_OK : cw_ctx_error(w->ctx, CW_ERR_NOMEM, "out of memory");
    for (size_t i = 0; !rc && i < p->n; i++) {
        of[i] = UINT32_MAX;
        GEOSGeometry *pos = GEOSPointOnSurface_r(h, p->g[i]);
        double x, y;
        if (!pos || !GEOSGeomGetX_r(h, pos, &x) || !GEOSGeomGetY_r(h, pos, &y)) {
            GEOSGeom_destroy_r(h, pos);
            continue;   /* an empty piece */
        }
        for (size_t s = 0; s < pt->n && b[s].x0 <= x; s++) {
            int k = b[s].i;
            if (x > b[s].x1 || y < b[s].y0 || y > b[s].y1)
                continue;
            if (!pg[k] && !(pg[k] = GEOSPrepare_r(h, pt->g[k]))) {
                rc = cw_ctx_error(w->ctx, CW_ERR_LIB, "GEOS cannot prepare a patch");
                break;
            }
            if (GEOSPreparedIntersects_r(h, pg[k], pos) == 1) {
                of[i] = (uint32_t)k;
                break;
            }
        }
        GEOSGeom_destroy_r(h, pos);
    }
    rc = rc ? rc : sum_components(w, p, of, pt);
    for (size_t k = 0; pg && k < pt->n; k++)
        GEOSPreparedGeom_destroy_r(h, pg[k]);
    free(of);
    free(pg);
    free(b);
    return rc;
}

static void patch_indicators(const struct patches *pt, struct zone_res *r)
{
    double sum = 0, sq = 0, cbc = 0, big = 0;
    for (size_t k = 0; k < pt->n; k++) {
        sum += pt->m2[k];
        sq += pt->m2[k] * pt->m2[k];
        cbc += pt->m2[k] * pt->whole[k];
        big = fmax(big, pt->m2[k]);
    }
    r->npatch = (double)pt->n;
    r->mean = pt->n ? sum / (double)pt->n : NAN;
    r->lpi = 100 * big / r->area;
    r->ed = pt->edge / (r->area / 1e4);
    r->meff = sq / r->area;
    r->meff_cbc = cbc / r->area;
}

/* ---- the union way (overlapping GI) ---- */

static int union_patches(struct worker *w, const struct pieces *p, struct zone_res *r,
                         struct patches *pt)
{
    struct green *g = w->g;
    int rc = CW_OK;
    for (size_t c = 0; !rc && c < g->reg.n; c++)
        rc = area_of(w, p, (int)c, 0, &r->cls[c]);
    if (!rc && g->has_canopy && !(rc = area_of(w, p, -1, 1, &r->canopy)))
        r->canopy /= r->area;
    int none = 0;
    GEOSGeometry *u = rc ? NULL : union_of(w->h, p, -1, 0, &g->reg, &none);
    if (!rc && !none && (!u || !GEOSArea_r(w->h, u, &r->gi)))
        rc = cw_ctx_error(w->ctx, CW_ERR_LIB, "GEOS cannot dissolve GI");
    if (!rc && !none)
        rc = group_polygons(w, u, pt);
    for (size_t k = 0; !rc && k < pt->n; k++)
        pt->edge += cw_green_perimeter(w->h, pt->g[k]);
    rc = rc ? rc : whole_areas(w, p, pt);
    GEOSGeom_destroy_r(w->h, u);
    return rc;
}

/* ---- the coverage way (no overlaps) ---- */

/* Whether pieces @p a and @p b touch or overlap: come within SLIVER_M of
 * each other, with the larger one prepared, once (a prepared test costs
 * the size of the other side). -1 when GEOS fails. */
static int pieces_meet(GEOSContextHandle_t h, const struct pieces *p,
                       const GEOSPreparedGeometry **prep, size_t a, size_t b)
{
    if (GEOSGetNumCoordinates_r(h, p->g[a]) < GEOSGetNumCoordinates_r(h, p->g[b])) {
        size_t t = a;
        a = b;
        b = t;
    }
    if (!prep[a] && !(prep[a] = GEOSPrepare_r(h, p->g[a])))
        return -1;
    int in = GEOSPreparedDistanceWithin_r(h, prep[a], p->g[b], SLIVER_M);
    return in == 2 ? -1 : in;
}

/* Joins touching pieces into patches (labels numbered by first piece),
 * sums the length of the boundaries they share, and notices overlaps. */
static int join_pieces(struct worker *w, const struct pieces *p, uint32_t *label,
                       double *shared, int *overlap, size_t *np)
{
    GEOSContextHandle_t h = w->h;
    struct box *b = cw_green_boxes(h, p->g, p->n);
    uint32_t *parent = malloc((p->n ? p->n : 1) * sizeof *parent);
    struct split *split = calloc(p->n ? p->n : 1, sizeof *split);
    const GEOSPreparedGeometry **prep = calloc(p->n ? p->n : 1, sizeof *prep);
    int rc = b && parent && split && prep ? CW_OK
                                          : cw_ctx_error(w->ctx, CW_ERR_NOMEM, "out of memory");
    for (size_t i = 0; !rc && i < p->n; i++)
        parent[i] = (uint32_t)i;
    *shared = 0;
    for (size_t s = 0; !rc && s < p->n; s++) {
        for (size_t t = s + 1; !rc && t < p->n && b[t].x0 <= b[s].x1 + SLIVER_M; t++) {
            if (b[t].y0 > b[s].y1 + SLIVER_M || b[t].y1 < b[s].y0 - SLIVER_M)
                continue;
            size_t is = (size_t)b[s].i, it = (size_t)b[t].i;
            int meet = pieces_meet(h, p, prep, is, it);
            if (meet < 0)
                rc = cw_ctx_error(w->ctx, CW_ERR_LIB, "GEOS cannot intersect GI pieces");
            if (meet != 1)
                continue;
            uint32_t ra = cw_uf_find(parent, (uint32_t)is);
            uint32_t rb = cw_uf_find(parent, (uint32_t)it);
            parent[ra > rb ? ra : rb] = ra > rb ? rb : ra;
            const GEOSGeometry *gs = p->g[is], *gt = p->g[it];
            struct split *ss = &split[is], *st = &split[it];
            double len = 0, area = 0;
            if ((!ss->done && cw_green_split(h, gs, ss)) || (!st->done && cw_green_split(h, gt, st)) ||
                cw_green_contact(h, gs, ss, gt, st, &len, &area))
                rc = cw_ctx_error(w->ctx, CW_ERR_LIB, "GEOS cannot intersect GI pieces");
            *shared += len;
            /* A contact thinner than SLIVER_M on average is a boundary the
             * two share, not GI overlapping. */
            *overlap |= !w->g->job->coverage && area > 1e-6 && area > SLIVER_M * len;
        }
    }
    *np = 0;
    for (size_t i = 0; !rc && i < p->n; i++) {
        uint32_t r = cw_uf_find(parent, (uint32_t)i);
        label[i] = r == (uint32_t)i ? (uint32_t)(*np)++ : label[r];
    }
    for (size_t i = 0; split && i < p->n; i++)
        cw_green_split_free(h, &split[i]);
    for (size_t i = 0; prep && i < p->n; i++)
        GEOSPreparedGeom_destroy_r(h, prep[i]);
    free(prep);
    free(split);
    free(parent);
    free(b);
    return rc;
}

/* Each patch as a MultiPolygon of its pieces (parts that share edges: not
 * valid as a polygon, but exact for areas and distances), or dissolved
 * when the patches are to be written. */
static int coverage_geometries(struct worker *w, const struct pieces *p, const uint32_t *label,
                               struct patches *pt)
{
    GEOSContextHandle_t h = w->h;
    size_t *start = calloc(pt->n + 1, sizeof *start);
    GEOSGeometry **parts = malloc((p->n ? p->n : 1) * sizeof *parts);
    int rc = start && parts ? CW_OK : cw_ctx_error(w->ctx, CW_ERR_NOMEM, "out of memory");
    for (size_t i = 0; !rc && i < p->n; i++)
        start[label[i] + 1]++;
    for (size_t k = 0; !rc && k < pt->n; k++)
        start[k + 1] += start[k];
    for (size_t i = 0; !rc && i < p->n; i++)
        parts[start[label[i]]++] = GEOSGeom_clone_r(h, p->g[i]);
    for (size_t k = 0, at = 0; !rc && k < pt->n; at = start[k++]) {
        GEOSGeometry *m = GEOSGeom_createCollection_r(h, GEOS_MULTIPOLYGON, parts + at,
                                                      (unsigned)(start[k] - at));
        pt->g[k] = m && w->g->job->patches ? GEOSUnaryUnion_r(h, m) : m;
        if (pt->g[k] != m)
            GEOSGeom_destroy_r(h, m);
        if (!pt->g[k])
            rc = cw_ctx_error(w->ctx, CW_ERR_LIB, "GEOS cannot build a patch");
    }
    free(start);
    free(parts);
    return rc;
}

void cw_green_areas(struct worker *w, const struct pieces *p, struct zone_res *r)
{
    const struct green *g = w->g;
    r->gi = 0;
    r->canopy = g->has_canopy ? 0 : NAN;
    for (size_t i = 0; i < p->n; i++) {
        double a = 0;
        GEOSArea_r(w->h, p->g[i], &a);
        r->cls[p->cls[i]] += a;
        r->gi += a;
        if (g->has_canopy && cw_giclass_is_canopy(g->reg.name[p->cls[i]]))
            r->canopy += a;
    }
    if (g->has_canopy)
        r->canopy /= r->area;
}

static int coverage_patches(struct worker *w, const struct pieces *p, struct zone_res *r,
                            struct patches *pt)
{
    GEOSContextHandle_t h = w->h;
    uint32_t *label = malloc((p->n ? p->n : 1) * sizeof *label);
    double shared = 0, perim = 0;
    size_t np = 0;
    int overlap = 0;
    int rc = label ? join_pieces(w, p, label, &shared, &overlap, &np)
                   : cw_ctx_error(w->ctx, CW_ERR_NOMEM, "out of memory");
    if (!rc && overlap) {   /* not a coverage after all */
        free(label);
        return union_patches(w, p, r, pt);
    }
    pt->n = np;
    pt->g = rc ? NULL : calloc(np ? np : 1, sizeof *pt->g);
    pt->m2 = pt->g ? calloc(np ? np : 1, sizeof *pt->m2) : NULL;
    pt->whole = pt->m2 ? calloc(np ? np : 1, sizeof *pt->whole) : NULL;
    if (!rc && !pt->whole) {
        pt->n = 0;
        rc = cw_ctx_error(w->ctx, CW_ERR_NOMEM, "out of memory");
    }
    if (!rc)
        cw_green_areas(w, p, r);
    for (size_t i = 0; !rc && i < p->n; i++) {
        double a = 0;
        GEOSArea_r(h, p->g[i], &a);
        perim += cw_green_perimeter(h, p->g[i]);
        pt->m2[label[i]] += a;
    }
    rc = rc ? rc : sum_components(w, p, label, pt);
    pt->edge = perim - 2 * shared;
    /* Patch geometries only for what reads them: links and --patches. */
    if (!rc && (w->g->job->patches || w->g->job->dispersal_m > 0))
        rc = coverage_geometries(w, p, label, pt);
    free(label);
    return rc;
}

int cw_green_patches(struct worker *w, const struct pieces *p, struct zone_res *r,
                     struct patches *pt)
{
    int rc = p->overlap ? union_patches(w, p, r, pt) : coverage_patches(w, p, r, pt);
    if (!rc)
        patch_indicators(pt, r);
    return rc;
}
