/* green_zones.c: the zones of a green job, and the indicators of each:
 * GI area by class, patches, mesh sizes and connectivity, computed in an
 * equal-area projection centred on the zone.
 * SPDX-License-Identifier: MIT
 *
 * A GI polygon entirely inside the zone is taken whole (a prepared
 * containsProperly test); only those crossing the zone's edge are clipped.
 * Overlapping GI counts once: areas are of unions, per class and in all.
 */
#include <math.h>
#include <stdatomic.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "cityweave/geodesic.h"
#include "cityweave/patchconn.h"
#include "cityweave/repair.h"
#include "green_priv.h"
#include "parallel.h"
#include "unionfind.h"

/* Vertices of a buffered point: the polygon's area falls short of the
 * geodesic circle's by (2 pi / n)^2 / 6 = 4e-4 of it. */
#define CIRCLE_VERTICES 128

static GEOSGeometry *geodesic_circle(GEOSContextHandle_t h, double lon, double lat, double r)
{
    struct cw_geod wgs;
    double xy[2 * (CIRCLE_VERTICES + 1)];
    cw_geod_init(&wgs, 0);
    for (int i = 0; i < CIRCLE_VERTICES; i++) {
        /* Counter-clockwise from north: azimuths decreasing. */
        double azi = -360.0 * i / CIRCLE_VERTICES;
        geod_direct(&wgs.g, lat, lon, azi, r, &xy[2 * i + 1], &xy[2 * i], NULL);
    }
    xy[2 * CIRCLE_VERTICES] = xy[0];
    xy[2 * CIRCLE_VERTICES + 1] = xy[1];
    GEOSCoordSequence *cs = GEOSCoordSeq_copyFromBuffer_r(h, xy, CIRCLE_VERTICES + 1, 0, 0);
    GEOSGeometry *ring = cs ? GEOSGeom_createLinearRing_r(h, cs) : NULL;
    return ring ? GEOSGeom_createPolygon_r(h, ring, NULL, 0) : NULL;
}

int cw_green_load_zones(struct green *g)
{
    GEOSContextHandle_t h = cw_ctx_geos(g->ctx);
    const struct cw_green_job *j = g->job;
    struct cw_repair rep = { j->zones, "feature", j->strict, 0 };
    int rc = cw_layer_read(g->ctx, j->zones, &j->read, &g->zones);
    size_t n = rc ? 0 : g->zones.attrs.nrows;
    if (!rc && !(g->zg = calloc(n ? n : 1, sizeof *g->zg)))
        rc = cw_ctx_error(g->ctx, CW_ERR_NOMEM, "out of memory");
    for (size_t i = 0; !rc && i < n; i++) {
        GEOSGeometry **z = &g->zones.geoms[i];
        int t = *z ? GEOSGeomTypeId_r(h, *z) : -1;
        if (t == GEOS_POINT && j->buffer_m > 0) {
            /* The circle replaces the point: it is the zone written out. */
            double lon, lat;
            GEOSGeomGetX_r(h, *z, &lon);
            GEOSGeomGetY_r(h, *z, &lat);
            GEOSGeometry *c = geodesic_circle(h, lon, lat, j->buffer_m);
            if (!c)
                rc = cw_ctx_error(g->ctx, CW_ERR_LIB, "GEOS cannot make a buffer");
            GEOSGeom_destroy_r(h, *z);
            *z = c;
        } else if (t != GEOS_POLYGON && t != GEOS_MULTIPOLYGON && t >= 0) {
            rc = cw_ctx_error(g->ctx, CW_ERR_DATA, "'%s' feature %zu: a zone must be a polygon%s",
                              j->zones, i + 1, j->buffer_m > 0 ? " or a point" :
                              " (points need --buffer)");
        } else {
            rc = cw_repair_polygon(g->ctx, &rep, z, i);
        }
        g->zg[i] = *z;
    }
    if (!rc)
        cw_repair_warn(g->ctx, rep.repaired, "zone polygon");
    g->st->zones = n;
    return rc;
}

/* ---- one zone ---- */


static void collect(void *item, void *arg)
{
    struct worker *w = arg;
    if (w->ncand == w->cap) {
        size_t cap = w->cap ? 2 * w->cap : 256;
        size_t *grown = realloc(w->cand, cap * sizeof *grown);
        if (!grown) {
            w->oom = 1;
            return;
        }
        w->cand = grown;
        w->cap = cap;
    }
    w->cand[w->ncand++] = (size_t)(uintptr_t)item - 1;
}

static int by_index(const void *a, const void *b)
{
    size_t x = *(const size_t *)a, y = *(const size_t *)b;
    return (x > y) - (x < y);
}


static void pieces_free(GEOSContextHandle_t h, struct pieces *p)
{
    for (size_t i = 0; i < p->n; i++)
        GEOSGeom_destroy_r(h, p->g[i]);
    free(p->g);
    free(p->cls);
    free(p->comp);
    memset(p, 0, sizeof *p);
}

static int pieces_push(struct pieces *p, GEOSGeometry *g, int cls, uint32_t comp)
{
    if (p->n == p->cap) {
        size_t cap = p->cap ? 2 * p->cap : 256;
        void *a = realloc(p->g, cap * sizeof *p->g);
        if (a)
            p->g = a;
        void *b = a ? realloc(p->cls, cap * sizeof *p->cls) : NULL;
        if (b)
            p->cls = b;
        void *c = b ? realloc(p->comp, cap * sizeof *p->comp) : NULL;
        if (!c)
            return -1;
        p->comp = c;
        p->cap = cap;
    }
    p->g[p->n] = g;
    p->cls[p->n] = cls;
    p->comp[p->n++] = comp;
    return 0;
}

/* A zone: in lon/lat, prepared, and in its projection, plain and prepared. */
struct zone_geom {
    const GEOSPreparedGeometry *ll;
    const GEOSGeometry *zp;
    const GEOSPreparedGeometry *pz;
};

/* GI polygon @p i's pieces in zone @p z: the polygon itself when it lies
 * inside, else the polygons of its intersection with the zone, one piece
 * each (the zone's edge may cut it in parts that meet nowhere inside the
 * zone, and a piece is one node of the patch graph). */
static int clip(struct worker *w, PJ *pj, const struct zone_geom *z, size_t i, struct pieces *p)
{
    GEOSContextHandle_t h = w->h;
    const struct gi_set *gi = &w->g->gi;
    /* Most candidates of a zone (its envelope's) lie outside it: they are
     * left before their vertices are projected. */
    if (GEOSPreparedIntersects_r(h, z->ll, gi->g[i]) == 0)
        return CW_OK;
    GEOSGeometry *gp = cw_green_project(w->ctx, pj, PJ_FWD, gi->g[i]);
    if (!gp)
        return cw_ctx_error(w->ctx, CW_ERR_DATA, "a GI polygon has no image in the "
                            "projection of its zone");
    GEOSGeometry *poly = NULL;
    if (GEOSPreparedContainsProperly_r(h, z->pz, gp) == 1) {
        poly = gp;
        gp = NULL;
    } else if (GEOSPreparedIntersects_r(h, z->pz, gp) == 1) {
        GEOSGeometry *x = GEOSIntersection_r(h, z->zp, gp);
        poly = x ? cw_polygonal(h, x) : NULL;
        GEOSGeom_destroy_r(h, x);
    }
    GEOSGeom_destroy_r(h, gp);
    int n = poly ? GEOSGetNumGeometries_r(h, poly) : 0, rc = CW_OK;
    for (int k = 0; !rc && k < n; k++) {
        const GEOSGeometry *part = GEOSGetGeometryN_r(h, poly, k);
        GEOSGeometry *c = NULL;
        double a = 0;
        if (!GEOSArea_r(h, part, &a) || !(a > 0))
            continue;
        if (!(c = GEOSGeom_clone_r(h, part)) || pieces_push(p, c, gi->cls[i], gi->comp[i])) {
            GEOSGeom_destroy_r(h, c);
            rc = cw_ctx_error(w->ctx, CW_ERR_NOMEM, "out of memory");
        }
    }
    p->overlap |= n > 0 && gi->overlap[i];
    GEOSGeom_destroy_r(h, poly);
    return rc;
}

/* ---- connectivity: links between patches within the dispersal distance ---- */

/* Links between patches no farther apart than @p d, edge to edge: a sweep
 * over envelopes grown by d, then GEOS's prepared distance test. */
static int patch_links(struct worker *w, const struct patches *pt, double d, struct cw_edges *e)
{
    GEOSContextHandle_t h = w->h;
    struct box *b = cw_green_boxes(h, pt->g, pt->n);
    int rc = b ? CW_OK : cw_ctx_error(w->ctx, CW_ERR_NOMEM, "out of memory");
    for (size_t s = 0; !rc && s < pt->n; s++) {
        const GEOSPreparedGeometry *pa = GEOSPrepare_r(h, pt->g[b[s].i]);
        if (!pa)
            rc = cw_ctx_error(w->ctx, CW_ERR_LIB, "GEOS cannot prepare a patch");
        for (size_t t = s + 1; pa && !rc && t < pt->n && b[t].x0 <= b[s].x1 + d; t++) {
            double dist;
            if (b[t].y0 > b[s].y1 + d || b[t].y1 < b[s].y0 - d ||
                GEOSPreparedDistanceWithin_r(h, pa, pt->g[b[t].i], d) != 1)
                continue;
            if (!GEOSPreparedDistance_r(h, pa, pt->g[b[t].i], &dist))
                rc = cw_ctx_error(w->ctx, CW_ERR_LIB, "GEOS cannot measure a patch distance");
            else if (cw_edges_push(e, (uint32_t)b[s].i, (uint32_t)b[t].i, fmin(dist, d)))
                rc = cw_ctx_error(w->ctx, CW_ERR_NOMEM, "out of memory");
        }
        GEOSPreparedGeom_destroy_r(h, pa);
    }
    free(b);
    return rc;
}

/* Patch and link geometries back in lon/lat for --patches and --links. */
static int keep_outputs(struct worker *w, PJ *pj, const struct patches *pt,
                        const struct cw_edges *e, const struct cw_conn *c, struct zone_res *r)
{
    GEOSContextHandle_t h = w->h;
    const struct cw_green_job *j = w->g->job;
    if (j->patches && !(r->patches = calloc(pt->n ? pt->n : 1, sizeof *r->patches)))
        return cw_ctx_error(w->ctx, CW_ERR_NOMEM, "out of memory");
    for (size_t k = 0; j->patches && k < pt->n; k++, r->npatches++) {
        struct patch_out *o = &r->patches[k];
        o->m2 = pt->m2[k];
        o->whole_m2 = pt->whole[k];
        o->dpc = c && c->dpc ? c->dpc[k] : NAN;
        if (!(o->g = cw_green_project(w->ctx, pj, PJ_INV, pt->g[k])))
            return cw_ctx_error(w->ctx, CW_ERR_LIB, "cannot take a patch back to lon/lat");
    }
    if (!j->links || !e || !e->n)
        return CW_OK;
    if (!(r->links = calloc(e->n, sizeof *r->links)))
        return cw_ctx_error(w->ctx, CW_ERR_NOMEM, "out of memory");
    for (size_t i = 0; i < e->n; i++, r->nlinks++) {
        struct link_out *o = &r->links[i];
        o->a = e->e[i].a < e->e[i].b ? e->e[i].a : e->e[i].b;
        o->b = e->e[i].a < e->e[i].b ? e->e[i].b : e->e[i].a;
        o->dist_m = e->e[i].dist;
        o->p = pow(CW_CONN_P_DEFAULT, o->dist_m / j->dispersal_m);
        GEOSCoordSequence *cs = GEOSNearestPoints_r(h, pt->g[o->a], pt->g[o->b]);
        GEOSGeometry *line = cs ? GEOSGeom_createLineString_r(h, cs) : NULL;
        o->g = line ? cw_green_project(w->ctx, pj, PJ_INV, line) : NULL;
        GEOSGeom_destroy_r(h, line);
        if (!o->g)
            return cw_ctx_error(w->ctx, CW_ERR_LIB, "cannot draw a patch link");
    }
    return CW_OK;
}

static int connectivity(struct worker *w, PJ *pj, const struct patches *pt, struct zone_res *r)
{
    const struct cw_green_job *j = w->g->job;
    struct cw_edges e;
    struct cw_conn c = { 0 };
    int rc = CW_OK;
    cw_edges_init(&e);
    if (j->dispersal_m > 0) {
        struct cw_conn_opts o = { j->dispersal_m, CW_CONN_P_DEFAULT, j->patches != NULL, 0 };
        rc = patch_links(w, pt, j->dispersal_m, &e);
        rc = rc ? rc : cw_patch_connectivity(w->ctx, pt->n, pt->m2, e.n, e.e, r->area, &o, &c);
        if (!rc) {
            r->iic = c.iic;
            r->pc = c.pc;
            r->ec = c.ec;
        }
    }
    if (!rc)
        rc = keep_outputs(w, pj, pt, j->dispersal_m > 0 ? &e : NULL, &c, r);
    cw_conn_release(&c);
    cw_edges_release(&e);
    return rc;
}

static int vector_indicators(struct worker *w, PJ *pj, const struct pieces *p,
                             struct zone_res *r)
{
    const struct cw_green_job *j = w->g->job;
    if (j->areas_only && j->coverage) {
        cw_green_areas(w, p, r);
        return CW_OK;
    }
    struct patches pt = { 0 };
    int rc = cw_green_patches(w, p, r, &pt);
    rc = rc ? rc : connectivity(w, pj, &pt, r);
    cw_green_patches_free(w->h, &pt);
    return rc;
}

static void zone_centre(GEOSContextHandle_t h, const GEOSGeometry *z, double *lon, double *lat)
{
    double e[4];
    cw_green_envelope(h, z, e);
    *lon = (e[0] + e[2]) / 2;
    *lat = (e[1] + e[3]) / 2;
}

static int vector_zone(struct worker *w, PJ *pj, const GEOSGeometry *z, const GEOSGeometry *zp,
                       struct zone_res *r)
{
    struct zone_geom zg = { GEOSPrepare_r(w->h, z), zp, GEOSPrepare_r(w->h, zp) };
    struct pieces p = { 0 };
    int rc = zg.ll && zg.pz ? CW_OK : cw_ctx_error(w->ctx, CW_ERR_LIB, "GEOS cannot prepare a zone");
    w->ncand = 0;
    if (!rc && w->g->gi.tree)
        GEOSSTRtree_query_r(w->h, w->g->gi.tree, z, collect, w);
    if (!rc && w->oom)
        rc = cw_ctx_error(w->ctx, CW_ERR_NOMEM, "out of memory");
    if (w->ncand)
        qsort(w->cand, w->ncand, sizeof *w->cand, by_index);
    for (size_t k = 0; !rc && k < w->ncand; k++)
        rc = clip(w, pj, &zg, w->cand[k], &p);
    rc = rc ? rc : vector_indicators(w, pj, &p, r);
    pieces_free(w->h, &p);
    GEOSPreparedGeom_destroy_r(w->h, zg.pz);
    GEOSPreparedGeom_destroy_r(w->h, zg.ll);
    return rc;
}

static void res_undefined(struct zone_res *r, size_t nclass)
{
    double *cls = r->cls;
    memset(r, 0, sizeof *r);
    r->cls = cls;
    for (size_t c = 0; c < nclass; c++)
        cls[c] = NAN;
    r->area = r->gi = r->canopy = r->pop = r->access_pop = r->mapped = NAN;
    r->npatch = r->mean = r->lpi = r->ed = r->meff = r->meff_cbc = NAN;
    r->iic = r->pc = r->ec = NAN;
}

static int one_zone(struct worker *w, size_t z)
{
    struct green *g = w->g;
    struct zone_res *r = &g->res[z];
    const GEOSGeometry *zg = g->zg[z];
    res_undefined(r, g->reg.n);
    if (!zg)
        return CW_OK;   /* a null geometry: every indicator null */
    double lon, lat;
    zone_centre(w->h, zg, &lon, &lat);
    PJ *pj = cw_laea_new(w->ctx, lon, lat);
    GEOSGeometry *zp = pj ? cw_green_project(w->ctx, pj, PJ_FWD, zg) : NULL;
    int rc = zp ? CW_OK : cw_ctx_error(w->ctx, CW_ERR_LIB, "cannot project zone %zu", z + 1);
    if (!rc && (!GEOSArea_r(w->h, zp, &r->area) || !(r->area > 0))) {
        r->area = 0;
        w->empty++;
    } else if (!rc) {
        r->gi = 0;
        for (size_t c = 0; c < g->reg.n; c++)
            r->cls[c] = 0;
        rc = g->nrasters ? cw_green_raster_zone(g, w->ctx, z, r)
                         : vector_zone(w, pj, zg, zp, r);
        if (!rc && (g->pop.n || g->popgrid.v))
            rc = cw_green_access(g, w->ctx, z, pj, zp, r);
    }
    GEOSGeom_destroy_r(w->h, zp);
    proj_destroy(pj);
    return rc;
}

struct zone_pass {
    struct green *g;
    struct worker *w;
    size_t *order;          /* zones, largest envelope first */
    atomic_size_t done;
};

static int zone_item(size_t i, int wi, void *arg)
{
    struct zone_pass *zp = arg;
    int rc = one_zone(&zp->w[wi], zp->order[i]);
    size_t done = atomic_fetch_add(&zp->done, 1) + 1, n = zp->g->zones.attrs.nrows;
    if (!rc && wi == 0)
        rc = cw_ctx_progress(zp->w[0].ctx, 0.3 + 0.7 * (double)done / (double)n, "zones");
    return rc;
}

/* The zones in the order they are handed to workers: largest envelope
 * first, so that the longest are not left to the end with one worker
 * busy and the others idle (the results do not depend on it). */
struct zone_size { double deg2; size_t z; };

static int by_size(const void *a, const void *b)
{
    const struct zone_size *p = a, *q = b;
    if (p->deg2 != q->deg2)
        return p->deg2 > q->deg2 ? -1 : 1;
    return (p->z > q->z) - (p->z < q->z);
}

static size_t *zone_order(struct green *g)
{
    GEOSContextHandle_t h = cw_ctx_geos(g->ctx);
    size_t n = g->zones.attrs.nrows;
    struct zone_size *zs = malloc((n ? n : 1) * sizeof *zs);
    size_t *order = malloc((n ? n : 1) * sizeof *order);
    for (size_t z = 0; zs && order && z < n; z++) {
        double e[4] = { 0, 0, 0, 0 };
        if (g->zg[z])
            cw_green_envelope(h, g->zg[z], e);
        zs[z] = (struct zone_size){ (e[2] - e[0]) * (e[3] - e[1]), z };
    }
    if (zs && order) {
        qsort(zs, n, sizeof *zs, by_size);
        for (size_t k = 0; k < n; k++)
            order[k] = zs[k].z;
    }
    free(zs);
    if (!zs) {
        free(order);
        return NULL;
    }
    return order;
}

int cw_green_zones(struct green *g)
{
    size_t n = g->zones.attrs.nrows;
    int nw = cw_ctx_threads(g->ctx);
    if ((size_t)nw > n)
        nw = n ? (int)n : 1;
    struct worker *w = calloc((size_t)nw, sizeof *w);
    struct zone_pass zp = { .g = g, .w = w, .order = zone_order(g) };
    int rc = w && zp.order ? CW_OK : cw_ctx_error(g->ctx, CW_ERR_NOMEM, "out of memory");
    /* Worker 0 runs in this thread and uses the job's context; the others
     * each get their own (GEOS and PROJ handles are per thread). */
    for (int i = 0; !rc && i < nw; i++) {
        w[i].g = g;
        w[i].ctx = i ? cw_ctx_new() : g->ctx;
        w[i].h = w[i].ctx ? cw_ctx_geos(w[i].ctx) : NULL;
        if (!w[i].ctx)
            rc = cw_ctx_error(g->ctx, CW_ERR_NOMEM, "cannot make a worker context");
    }
    g->res = rc ? NULL : calloc(n ? n : 1, sizeof *g->res);
    for (size_t z = 0; g->res && z < n; z++)
        if (!(g->res[z].cls = calloc(g->reg.n ? g->reg.n : 1, sizeof *g->res[z].cls)))
            rc = cw_ctx_error(g->ctx, CW_ERR_NOMEM, "out of memory");
    if (!rc && !g->res)
        rc = cw_ctx_error(g->ctx, CW_ERR_NOMEM, "out of memory");
    if (!rc) {
        int failed = -1;
        atomic_init(&zp.done, 0);
        rc = cw_parallel_items(n, nw, zone_item, &zp, &failed);
        if (rc && failed > 0)   /* the message is in that worker's context */
            cw_ctx_error(g->ctx, rc, "%s", cw_ctx_errmsg(w[failed].ctx));
    }
    for (int i = 0; w && i < nw; i++) {
        g->st->empty_zones += w[i].empty;
        free(w[i].cand);
        if (i && w[i].ctx)
            cw_ctx_free(w[i].ctx);
    }
    free(zp.order);
    free(w);
    return rc;
}
