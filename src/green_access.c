/* green_access.c: population per zone and the WHO accessibility
 * indicator: the share of it within --access straight-line distance of a
 * GI patch of at least --min-area (WHO Europe 2016, "Urban green spaces
 * and health"; the "300" of 3-30-300).
 * SPDX-License-Identifier: MIT
 *
 * A person inside a patch is at distance 0. Patches are the connected GI
 * as a whole, also beyond the zone's edge: a park across the street in the
 * next district still counts. The distance to a patch is the distance to
 * its nearest feature, so no patch is ever dissolved for it.
 */
#include <math.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "cityweave/coverage.h"
#include "green_priv.h"
#include "grid_geom.h"

/* ---- loading: weighted points, or a grid ---- */

struct wpoint { double lon, lat, w; size_t row; };

static int by_lon(const void *a, const void *b)
{
    const struct wpoint *p = a, *q = b;
    if (p->lon != q->lon)
        return p->lon < q->lon ? -1 : 1;
    return (p->row > q->row) - (p->row < q->row);
}

/* Keeps the points sorted by longitude, so a zone finds its own by two
 * binary searches. */
static int sort_points(struct green *g, const struct cw_layer *l, const double *w)
{
    GEOSContextHandle_t h = cw_ctx_geos(g->ctx);
    size_t n = l->attrs.nrows, k = 0;
    struct wpoint *pts = malloc((n ? n : 1) * sizeof *pts);
    struct pop_set *p = &g->pop;
    p->lon = malloc((n ? n : 1) * sizeof *p->lon);
    p->lat = malloc((n ? n : 1) * sizeof *p->lat);
    p->w = malloc((n ? n : 1) * sizeof *p->w);
    if (!pts || !p->lon || !p->lat || !p->w) {
        free(pts);
        return cw_ctx_error(g->ctx, CW_ERR_NOMEM, "out of memory");
    }
    int rc = CW_OK;
    for (size_t i = 0; i < n && !rc; i++) {
        const GEOSGeometry *pt = l->geoms[i];
        if (!pt || w[i] <= 0)
            continue;   /* nobody there, or nowhere */
        if (GEOSGeomTypeId_r(h, pt) != GEOS_POINT)
            rc = cw_ctx_error(g->ctx, CW_ERR_DATA, "'%s' feature %zu: population must be "
                              "points (or a grid)", g->job->pop, i + 1);
        else if (GEOSGeomGetX_r(h, pt, &pts[k].lon) && GEOSGeomGetY_r(h, pt, &pts[k].lat)) {
            pts[k].w = w[i];   /* else an empty point */
            pts[k++].row = i;
        }
    }
    qsort(pts, k, sizeof *pts, by_lon);
    for (size_t m = 0; !rc && m < k; m++) {
        p->lon[m] = pts[m].lon;
        p->lat[m] = pts[m].lat;
        p->w[m] = pts[m].w;
    }
    p->n = rc ? 0 : k;
    free(pts);
    return rc;
}

int cw_green_load_pop(struct green *g)
{
    const struct cw_green_job *j = g->job;
    if (!j->pop)
        return CW_OK;
    if (cw_is_raster(j->pop)) {
        int rc = cw_raster_read(g->ctx, j->pop, &g->popgrid);
        if (!rc && !g->popgrid.grid.wkt)
            rc = cw_ctx_error(g->ctx, CW_ERR_DATA, "'%s': the population grid has no CRS", j->pop);
        return rc;
    }
    struct cw_read_opts ro = { .layer = j->pop_layer };
    struct cw_layer l;
    int rc = cw_layer_read(g->ctx, j->pop, &ro, &l);
    if (rc)
        return rc;
    size_t n = l.attrs.nrows;
    double *w = malloc((n ? n : 1) * sizeof *w);
    if (!w)
        rc = cw_ctx_error(g->ctx, CW_ERR_NOMEM, "out of memory");
    for (size_t i = 0; !rc && !j->pop_field && i < n; i++)
        w[i] = 1;
    if (!rc && j->pop_field)
        rc = cw_layer_numbers(g->ctx, &l, j->pop, j->pop_field, "population", 0, 0, w, 1);
    rc = rc ? rc : sort_points(g, &l, w);
    free(w);
    cw_layer_release(g->ctx, &l);
    return rc;
}

/* ---- one zone ---- */

/* The zone's people as points in its projection with weights. */
struct people {
    double *xy, *w;
    size_t n, cap;
};

static int people_push(struct people *pp, double x, double y, double w)
{
    if (pp->n == pp->cap) {
        size_t cap = pp->cap ? 2 * pp->cap : 1024;
        double *xy = realloc(pp->xy, 2 * cap * sizeof *xy);
        if (xy)
            pp->xy = xy;
        double *ww = xy ? realloc(pp->w, cap * sizeof *ww) : NULL;
        if (!ww)
            return CW_ERR_NOMEM;
        pp->w = ww;
        pp->cap = cap;
    }
    pp->xy[2 * pp->n] = x;
    pp->xy[2 * pp->n + 1] = y;
    pp->w[pp->n++] = w;
    return CW_OK;
}

static size_t lower_lon(const struct pop_set *p, double lon)
{
    size_t lo = 0, hi = p->n;
    while (lo < hi) {
        size_t mid = lo + (hi - lo) / 2;
        if (p->lon[mid] < lon)
            lo = mid + 1;
        else
            hi = mid;
    }
    return lo;
}

/* Points in the zone's envelope, projected, kept if in the zone (on its
 * edge counts). */
static int points_in_zone(struct green *g, struct cw_ctx *ctx, size_t z, PJ *pj,
                          const GEOSPreparedGeometry *pz, struct people *pp)
{
    GEOSContextHandle_t h = cw_ctx_geos(ctx);
    const struct pop_set *p = &g->pop;
    double e[4];
    cw_green_envelope(h, g->zg[z], e);
    double x0 = e[0], y0 = e[1], x1 = e[2], y1 = e[3];
    for (size_t i = lower_lon(p, x0); i < p->n && p->lon[i] <= x1; i++) {
        if (p->lat[i] < y0 || p->lat[i] > y1)
            continue;
        PJ_COORD c = proj_trans(pj, PJ_FWD, proj_coord(p->lon[i], p->lat[i], 0, 0));
        GEOSGeometry *pt = GEOSGeom_createPointFromXY_r(h, c.xy.x, c.xy.y);
        int in = pt && GEOSPreparedIntersects_r(h, pz, pt) == 1;
        GEOSGeom_destroy_r(h, pt);
        if (in && people_push(pp, c.xy.x, c.xy.y, p->w[i]))
            return cw_ctx_error(ctx, CW_ERR_NOMEM, "out of memory");
    }
    return CW_OK;
}

/* Cells of the population grid in the zone, as points at their centres
 * weighted by people times the cell's covered fraction. */
static int cells_in_zone(struct green *g, struct cw_ctx *ctx, size_t z, PJ *pj,
                         struct people *pp)
{
    const struct cw_raster *r = &g->popgrid;
    struct cw_gridproj gp;
    struct cw_cover cv = { 0 };
    GEOSGeometry *zg = NULL;
    int rc = cw_gridproj_open(ctx, &r->grid, &gp);
    rc = rc ? rc : cw_gridproj_geom(ctx, &gp, PJ_FWD, g->zg[z], &zg);
    rc = rc ? rc : cw_cover_polygon(ctx, &r->grid, zg, &cv);
    for (int i = 0; !rc && i < cv.nrows; i++)
        for (int k = 0; !rc && k < cv.ncols; k++) {
            size_t row = (size_t)(cv.row0 + i), col = (size_t)(cv.col0 + k);
            double f = cw_cover_at(&cv, i, k), v = r->v[row * (size_t)r->grid.nx + col];
            if (!(f > 0) || !(v > 0))
                continue;
            const double *gt = r->grid.gt;
            PJ_COORD c = proj_coord(gt[0] + ((double)col + 0.5) * gt[1],
                                    gt[3] + ((double)row + 0.5) * gt[5], 0, 0);
            if (gp.pj)
                c = proj_trans(gp.pj, PJ_INV, c);
            c = proj_trans(pj, PJ_FWD, c);
            if (people_push(pp, c.xy.x, c.xy.y, f * v))
                rc = cw_ctx_error(ctx, CW_ERR_NOMEM, "out of memory");
        }
    cw_cover_release(&cv);
    GEOSGeom_destroy_r(cw_ctx_geos(ctx), zg);
    cw_gridproj_close(&gp);
    return rc;
}

/* GI features of patches of at least --min-area near the zone, projected
 * and indexed. */
struct near_gi {
    GEOSGeometry **g;
    const GEOSPreparedGeometry **pg;   /* prepared on first use */
    size_t n, cap;
    GEOSSTRtree *tree;
    const struct green *green;
    int oom;
};

static void near_collect(void *item, void *arg)
{
    struct near_gi *ng = arg;
    size_t i = (size_t)(uintptr_t)item - 1;
    if (ng->green->gi.comp_m2[ng->green->gi.comp[i]] < ng->green->job->min_area_m2)
        return;
    if (ng->n == ng->cap) {
        size_t cap = ng->cap ? 2 * ng->cap : 64;
        GEOSGeometry **grown = realloc(ng->g, cap * sizeof *grown);
        if (!grown) {
            ng->oom = 1;
            return;
        }
        ng->g = grown;
        ng->cap = cap;
    }
    ng->g[ng->n++] = (GEOSGeometry *)(uintptr_t)i;   /* an index until projected */
}

static int cmp_ptr(const void *a, const void *b)
{
    uintptr_t x = (uintptr_t)*(GEOSGeometry *const *)a, y = (uintptr_t)*(GEOSGeometry *const *)b;
    return (x > y) - (x < y);
}

static int near_gi_build(struct green *g, struct cw_ctx *ctx, size_t z, PJ *pj,
                         struct near_gi *ng)
{
    GEOSContextHandle_t h = cw_ctx_geos(ctx);
    double e[4], d = g->job->access_m;
    cw_green_envelope(h, g->zg[z], e);
    double x0 = e[0], y0 = e[1], x1 = e[2], y1 = e[3];
    /* Degrees that hold --access surely: a degree of latitude is over
     * 110.5 km, one of longitude over 110.5 km times cos(lat). */
    double dlat = d / 110000.0, c = cos(fmax(fabs(y0), fabs(y1)) * M_PI / 180 + dlat);
    double dlon = c > 0.01 ? dlat / c : 360;
    GEOSGeometry *box = GEOSGeom_createRectangle_r(h, x0 - dlon, y0 - dlat, x1 + dlon,
                                                   y1 + dlat);
    if (!box)
        return cw_ctx_error(ctx, CW_ERR_LIB, "GEOS cannot make a rectangle");
    if (g->gi.tree)
        GEOSSTRtree_query_r(h, g->gi.tree, box, near_collect, ng);
    GEOSGeom_destroy_r(h, box);
    if (ng->oom)
        return cw_ctx_error(ctx, CW_ERR_NOMEM, "out of memory");
    if (ng->n)
        qsort(ng->g, ng->n, sizeof *ng->g, cmp_ptr);
    ng->pg = calloc(ng->n ? ng->n : 1, sizeof *ng->pg);
    ng->tree = GEOSSTRtree_create_r(h, 10);
    if (!ng->pg || !ng->tree)
        return cw_ctx_error(ctx, CW_ERR_NOMEM, "out of memory");
    for (size_t k = 0; k < ng->n; k++) {
        size_t i = (size_t)(uintptr_t)ng->g[k];
        if (!(ng->g[k] = cw_green_project(ctx, pj, PJ_FWD, g->gi.g[i]))) {
            ng->n = k;
            return cw_ctx_error(ctx, CW_ERR_DATA, "a GI polygon has no image in the "
                                "projection of its zone");
        }
        GEOSSTRtree_insert_r(h, ng->tree, ng->g[k], (void *)(uintptr_t)(k + 1));
    }
    return CW_OK;
}

static void near_gi_free(GEOSContextHandle_t h, struct near_gi *ng)
{
    for (size_t k = 0; k < ng->n; k++) {
        GEOSPreparedGeom_destroy_r(h, ng->pg ? ng->pg[k] : NULL);
        GEOSGeom_destroy_r(h, ng->g[k]);
    }
    if (ng->tree)
        GEOSSTRtree_destroy_r(h, ng->tree);
    free(ng->g);
    free(ng->pg);
}

struct reach {
    GEOSContextHandle_t h;
    struct near_gi *ng;
    const GEOSGeometry *pt;
    double d;
    int hit, bad;
};

static void reach_test(void *item, void *arg)
{
    struct reach *r = arg;
    size_t k = (size_t)(uintptr_t)item - 1;
    if (r->hit || r->bad)
        return;
    if (!r->ng->pg[k] && !(r->ng->pg[k] = GEOSPrepare_r(r->h, r->ng->g[k]))) {
        r->bad = 1;
        return;
    }
    r->hit = GEOSPreparedDistanceWithin_r(r->h, r->ng->pg[k], r->pt, r->d) == 1;
}

/* Weight of the people within --access of an eligible patch. */
static int reachable(struct cw_ctx *ctx, struct near_gi *ng, const struct people *pp, double d,
                     double *out)
{
    GEOSContextHandle_t h = cw_ctx_geos(ctx);
    double sum = 0;
    int rc = CW_OK;
    for (size_t i = 0; !rc && i < pp->n; i++) {
        double x = pp->xy[2 * i], y = pp->xy[2 * i + 1];
        GEOSGeometry *box = GEOSGeom_createRectangle_r(h, x - d, y - d, x + d, y + d);
        struct reach r = { h, ng, GEOSGeom_createPointFromXY_r(h, x, y), d, 0, 0 };
        if (!box || !r.pt)
            rc = cw_ctx_error(ctx, CW_ERR_LIB, "GEOS cannot make a point");
        else
            GEOSSTRtree_query_r(h, ng->tree, box, reach_test, &r);
        if (!rc && r.bad)
            rc = cw_ctx_error(ctx, CW_ERR_LIB, "GEOS cannot prepare a GI polygon");
        if (r.hit)
            sum += pp->w[i];
        GEOSGeom_destroy_r(h, box);
        GEOSGeom_destroy_r(h, (GEOSGeometry *)r.pt);
    }
    *out = sum;
    return rc;
}

int cw_green_access(struct green *g, struct cw_ctx *ctx, size_t z, PJ *pj,
                    const GEOSGeometry *zp, struct zone_res *res)
{
    GEOSContextHandle_t h = cw_ctx_geos(ctx);
    struct people pp = { 0 };
    struct near_gi ng = { .green = g };
    const GEOSPreparedGeometry *pz = GEOSPrepare_r(h, zp);
    int rc = pz ? CW_OK : cw_ctx_error(ctx, CW_ERR_LIB, "GEOS cannot prepare a zone");
    if (!rc)
        rc = g->popgrid.v ? cells_in_zone(g, ctx, z, pj, &pp)
                          : points_in_zone(g, ctx, z, pj, pz, &pp);
    double pop = 0;
    for (size_t i = 0; i < pp.n; i++)
        pop += pp.w[i];
    res->pop = pop;
    if (!rc && g->gi.n)
        rc = near_gi_build(g, ctx, z, pj, &ng);
    res->access_pop = 0;
    if (!rc && g->gi.n)
        rc = reachable(ctx, &ng, &pp, g->job->access_m, &res->access_pop);
    near_gi_free(h, &ng);
    GEOSPreparedGeom_destroy_r(h, pz);
    free(pp.xy);
    free(pp.w);
    return rc;
}
