/* green_gi.c: vector GI: reading each input with its class map, repairing
 * invalid polygons, indexing, and the connected patches of the whole GI
 * (for the cross-boundary mesh size and the patches that count for access).
 * SPDX-License-Identifier: MIT
 */
#include <math.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cpl_vsi.h>

#include "cityweave/hull.h"
#include "cityweave/repair.h"
#include "green_priv.h"
#include "unionfind.h"

/* Components up to this many features are dissolved for their area. */
#define EXACT_COMPONENT 64

/* OSM tag fields tried in this order when no class field is named. */
static const char *const tag_keys[] = { "leisure", "landuse", "natural", "boundary" };

static int gi_push(struct gi_set *s, GEOSGeometry *g, int cls)
{
    if (s->n == s->cap) {
        size_t cap = s->cap ? 2 * s->cap : 1024;
        GEOSGeometry **gg = realloc(s->g, cap * sizeof *gg);
        if (gg)
            s->g = gg;
        int *cc = gg ? realloc(s->cls, cap * sizeof *cc) : NULL;
        if (!cc)
            return CW_ERR_NOMEM;
        s->cls = cc;
        s->cap = cap;
    }
    s->g[s->n] = g;
    s->cls[s->n++] = cls;
    return CW_OK;
}

/* The class of feature @p row: its class field, or its first OSM tag the
 * map knows. */
static int feature_class(struct green *g, const struct cw_layer *l, size_t row, int field,
                         struct cw_classmap *m)
{
    if (field >= 0)
        return cw_classmap_lookup(m, &g->reg, cw_table_get(&l->attrs, row, field));
    for (size_t k = 0; k < sizeof tag_keys / sizeof *tag_keys; k++) {
        int f = cw_table_find(&l->attrs, tag_keys[k]);
        const char *v = f >= 0 ? cw_table_get(&l->attrs, row, f) : NULL;
        char tag[256];
        if (!v)
            continue;
        snprintf(tag, sizeof tag, "%s=%s", tag_keys[k], v);
        int c = cw_classmap_lookup(m, &g->reg, tag);
        if (c != -1)
            return c;
    }
    return -1;
}

/* Takes feature @p row's geometry (made valid already) as GI of class
 * @p cls, unless it has no area. */
static int take_geometry(struct green *g, struct cw_layer *l, size_t row, int cls)
{
    GEOSContextHandle_t h = cw_ctx_geos(g->ctx);
    GEOSGeometry *geom = l->geoms[row];
    int t = geom ? GEOSGeomTypeId_r(h, geom) : -1;
    double area = 0;
    if ((t != GEOS_POLYGON && t != GEOS_MULTIPOLYGON) || !GEOSArea_r(h, geom, &area) ||
        !(area > 0))
        return CW_OK;   /* null, points, lines, empty, or a ring folded flat */
    l->geoms[row] = NULL;
    if (gi_push(&g->gi, geom, cls)) {
        GEOSGeom_destroy_r(h, geom);
        return cw_ctx_error(g->ctx, CW_ERR_NOMEM, "out of memory");
    }
    return CW_OK;
}

/* Reads @p src (the GI input, or its polygonised cells) and takes the
 * features of a GI class: those of no class are dropped first, so that
 * only GI is checked for validity (and refused by --strict). */
static int take_layer(struct green *g, const struct cw_gi_input *in, const char *src,
                      const char *class_field, struct cw_classmap *m)
{
    GEOSContextHandle_t h = cw_ctx_geos(g->ctx);
    struct cw_read_opts ro = { .layer = src == in->path ? in->layer : NULL };
    struct cw_repair rep = { in->path, "feature", g->job->strict, 0 };
    struct cw_layer l;
    int rc = cw_layer_read(g->ctx, src, &ro, &l);
    if (rc)
        return rc;
    size_t n = l.attrs.nrows;
    int field = class_field ? cw_table_find(&l.attrs, class_field) : -1;
    int *cls = malloc((n ? n : 1) * sizeof *cls);
    if (!cls)
        rc = cw_ctx_error(g->ctx, CW_ERR_NOMEM, "out of memory");
    else if (class_field && field < 0)
        rc = cw_ctx_error(g->ctx, CW_ERR_DATA, "'%s': no class field '%s'", in->path,
                          class_field);
    for (size_t row = 0; !rc && row < n; row++) {
        if ((cls[row] = feature_class(g, &l, row, field, m)) == -2)
            rc = cw_ctx_error(g->ctx, CW_ERR_NOMEM, "out of memory");
        if (cls[row] < 0 && l.geoms[row]) {
            GEOSGeom_destroy_r(h, l.geoms[row]);
            l.geoms[row] = NULL;
        }
    }
    rc = rc ? rc : cw_repair_polygons(g->ctx, &rep, l.geoms, n);
    for (size_t row = 0; !rc && row < n; row++)
        if (cls[row] >= 0)
            rc = take_geometry(g, &l, row, cls[row]);
    g->st->repaired += rep.repaired;
    free(cls);
    cw_layer_release(g->ctx, &l);
    return rc;
}

/* A land-cover raster given to --gi: its GI cells polygonised, each
 * polygon's class that of its code ("code" field) under the class map. */
static int load_raster_gi(struct green *g, const struct cw_gi_input *in)
{
    int8_t *lut = malloc(65536);
    char tmp[96];
    struct cw_classmap m = { .any = 0 };
    const char *map = in->class_map ? in->class_map : "jaxa";
    snprintf(tmp, sizeof tmp, "/vsimem/cityweave_gi_%p.fgb", (void *)g);
    int rc = lut ? cw_classmap_load(g->ctx, map, &g->reg, &m)
                 : cw_ctx_error(g->ctx, CW_ERR_NOMEM, "out of memory");
    rc = rc ? rc : cw_green_code_lut(g->ctx, &m, map, lut);
    long long n = 0;
    rc = rc ? rc : cw_green_polygonize(g, in, lut, tmp, &n);
    free(lut);
    rc = rc || !n ? rc : take_layer(g, in, tmp, "code", &m);
    cw_classmap_release(&m);
    VSIUnlink(tmp);
    return rc;
}

static int load_vector(struct green *g, const struct cw_gi_input *in)
{
    if (!in->class_field && !in->layer && cw_is_raster(in->path))
        return load_raster_gi(g, in);
    struct cw_classmap m = { .any = !in->class_map && in->class_field };
    int rc = m.any ? CW_OK
                   : cw_classmap_load(g->ctx, in->class_map ? in->class_map : "osm", &g->reg,
                                      &m);
    rc = rc ? rc : take_layer(g, in, in->path, in->class_field, &m);
    cw_classmap_release(&m);
    return rc;
}

static int build_tree(struct green *g)
{
    GEOSContextHandle_t h = cw_ctx_geos(g->ctx);
    if (!(g->gi.tree = GEOSSTRtree_create_r(h, 10)))
        return cw_ctx_error(g->ctx, CW_ERR_LIB, "GEOS cannot make an STRtree");
    for (size_t i = 0; i < g->gi.n; i++)
        GEOSSTRtree_insert_r(h, g->gi.tree, g->gi.g[i], (void *)(uintptr_t)(i + 1));
    return CW_OK;
}

int cw_green_load_gi(struct green *g)
{
    int rc = CW_OK;
    for (size_t i = 0; !rc && i < g->job->ngi; i++)
        if (!g->job->gi[i].raster)
            rc = load_vector(g, &g->job->gi[i]);
    g->st->gi_features = g->gi.n;
    if (!rc)
        cw_repair_warn(g->ctx, g->st->repaired, "GI polygon");
    return rc || !g->gi.n ? rc : build_tree(g);
}

/* ---- connected GI: features that touch or overlap are one patch ---- */

struct pair_scan {
    GEOSContextHandle_t h;
    const GEOSPreparedGeometry *pg;
    uint32_t *parent;
    uint8_t *overlap;
    size_t self;
    GEOSGeometry **g;
    const int *nv;          /* vertices of each feature */
    int coverage;           /* no overlaps to look for (--coverage) */
    double *chunk;          /* boxes (x0, y0, x1, y1) along self's rings */
    size_t nchunk, cap;
    struct split *split;    /* large features cut in parts, on first use */
};

/* Vertices per box of a ring, and the size from which a polygon's rings
 * are boxed at all. */
#define CHUNK 32
#define BIG_POLYGON 512

static int chunk_ring(struct pair_scan *s, const GEOSGeometry *ring)
{
    const GEOSCoordSequence *cs = GEOSGeom_getCoordSeq_r(s->h, ring);
    unsigned n = 0;
    if (!cs || !GEOSCoordSeq_getSize_r(s->h, cs, &n))
        return -1;
    double *xy = malloc((n ? n : 1) * 2 * sizeof *xy);
    if (!xy || !GEOSCoordSeq_copyToBuffer_r(s->h, cs, xy, 0, 0)) {
        free(xy);
        return -1;
    }
    for (unsigned a = 0; a + 1 < n; a += CHUNK) {
        unsigned b = a + CHUNK < n ? a + CHUNK : n - 1;   /* chunks share an end */
        if (s->nchunk == s->cap) {
            size_t cap = s->cap ? 2 * s->cap : 256;
            double *grown = realloc(s->chunk, cap * 4 * sizeof *grown);
            if (!grown) {
                free(xy);
                return -1;
            }
            s->chunk = grown;
            s->cap = cap;
        }
        double *box = s->chunk + 4 * s->nchunk++;
        box[0] = box[2] = xy[2 * a];
        box[1] = box[3] = xy[2 * a + 1];
        for (unsigned k = a + 1; k <= b; k++) {
            box[0] = fmin(box[0], xy[2 * k]);
            box[2] = fmax(box[2], xy[2 * k]);
            box[1] = fmin(box[1], xy[2 * k + 1]);
            box[3] = fmax(box[3], xy[2 * k + 1]);
        }
    }
    free(xy);
    return 0;
}

/* Boxes along the rings of a large polygon, so that features whose
 * envelope meets none of them (wholly inside or outside it) take a
 * point-in-polygon test instead of a full intersection test: a forest
 * polygon's envelope holds thousands of features, few on its edge. */
static int chunk_rings(struct pair_scan *s, const GEOSGeometry *g)
{
    s->nchunk = 0;
    if (GEOSGetNumCoordinates_r(s->h, g) < BIG_POLYGON)
        return 0;
    int np = GEOSGetNumGeometries_r(s->h, g), rc = 0;
    for (int i = 0; !rc && i < np; i++) {
        const GEOSGeometry *poly = GEOSGetGeometryN_r(s->h, g, i);
        int nh = GEOSGetNumInteriorRings_r(s->h, poly);
        rc = chunk_ring(s, GEOSGetExteriorRing_r(s->h, poly));
        for (int k = 0; !rc && k < nh; k++)
            rc = chunk_ring(s, GEOSGetInteriorRingN_r(s->h, poly, k));
    }
    if (rc)
        s->nchunk = 0;   /* no shortcut, every test in full */
    return 0;
}

/* Whether polygon @p j is wholly inside or outside self, and which:
 * 0 no (test in full), 1 inside, -1 outside. */
static int off_edge(struct pair_scan *s, const GEOSGeometry *j)
{
    double e[4];
    if (!s->nchunk || GEOSGeomTypeId_r(s->h, j) != GEOS_POLYGON || !cw_green_envelope(s->h, j, e))
        return 0;
    for (size_t c = 0; c < s->nchunk; c++) {
        const double *b = s->chunk + 4 * c;
        if (!(e[2] < b[0] || e[0] > b[2] || e[3] < b[1] || e[1] > b[3]))
            return 0;
    }
    GEOSGeometry *pt = GEOSGeomGetStartPoint_r(s->h, GEOSGetExteriorRing_r(s->h, j));
    int in = pt ? GEOSPreparedIntersects_r(s->h, s->pg, pt) : 2;
    GEOSGeom_destroy_r(s->h, pt);
    return in == 1 ? 1 : in == 0 ? -1 : 0;
}

/* Whether two intersecting features only touch (share boundary, not
 * area). Any failure counts as an overlap: the exact union then decides. */
static int touch_only(struct pair_scan *s, size_t i, size_t j)
{
    size_t ij[2] = { i, j };
    for (int k = 0; k < 2; k++)
        if (!s->split[ij[k]].done && cw_green_split(s->h, s->g[ij[k]], &s->split[ij[k]]))
            return 0;
    double len, area;
    /* In square degrees: 1e-16 is about a square millimetre, the size of
     * the slivers rounding leaves between polygons that only touch. */
    return cw_green_contact(s->h, s->g[i], &s->split[i], s->g[j], &s->split[j], &len, &area) == 0 &&
           area < 1e-16;
}

/* Whether the pair (self, j) is tested from j's side instead: each pair
 * is tested once, with the larger polygon prepared. A prepared test costs
 * the size of the unprepared side; the other way round, each of a forest
 * polygon's thousands of small neighbours would walk all its vertices. */
static int tested_from(const struct pair_scan *s, size_t j)
{
    int a = s->nv[j], b = s->nv[s->self];
    return a > b || (a == b && j > s->self);
}

static void join_touching(void *item, void *arg)
{
    struct pair_scan *s = arg;
    size_t j = (size_t)(uintptr_t)item - 1;
    if (j == s->self || tested_from(s, j))
        return;
    uint32_t a = cw_uf_find(s->parent, (uint32_t)j), b = cw_uf_find(s->parent, (uint32_t)s->self);
    /* Pairs already joined are not tested again: a forest polygon's
     * envelope can hold every other feature of the layer. */
    if (a == b)
        return;
    int side = off_edge(s, s->g[j]);
    if (side < 0 || (side == 0 && GEOSPreparedIntersects_r(s->h, s->pg, s->g[j]) != 1))
        return;
    s->parent[a > b ? a : b] = a > b ? b : a;   /* the lower root stays */
    if (s->coverage)
        return;
    if (side > 0) {   /* inside, clear of the edge: the interiors meet */
        s->overlap[j] = s->overlap[s->self] = 1;
        return;
    }
    /* Touching is not overlapping: only interiors that meet make the
     * union necessary (green_patches.c). */
    if (!(s->overlap[j] && s->overlap[s->self]) && !touch_only(s, s->self, j))
        s->overlap[j] = s->overlap[s->self] = 1;
}

/* Area on the ellipsoid of the union of the features of each component. */
static int component_areas(struct green *g, const uint32_t *first, const uint32_t *next)
{
    GEOSContextHandle_t h = cw_ctx_geos(g->ctx);
    int rc = CW_OK;
    for (size_t c = 0; !rc && c < g->gi.ncomp; c++) {
        size_t k = 0;
        int overlap = 0;
        for (uint32_t i = first[c]; i != UINT32_MAX; i = next[i], k++)
            overlap |= g->gi.overlap[i];
        /* Overlaps are noticed where two features first meet; one hidden
         * behind an earlier join is caught by checking small components
         * against their union. A large one with no overlap seen is taken
         * as a coverage (polygonised land cover): its area is the sum of
         * its parts, as dissolving it would cost minutes. */
        if (!overlap && k > 1 && k <= EXACT_COMPONENT && !g->job->coverage)
            overlap = 1;
        if (!overlap) {
            double sum = 0, a = 0;
            for (uint32_t i = first[c]; !rc && i != UINT32_MAX; i = next[i], sum += a)
                rc = cw_geod_area(g->ctx, g->gi.g[i], &a);
            g->gi.comp_m2[c] = sum;
            continue;
        }
        GEOSGeometry **parts = malloc(k * sizeof *parts);
        if (!parts)
            return cw_ctx_error(g->ctx, CW_ERR_NOMEM, "out of memory");
        k = 0;
        for (uint32_t i = first[c]; i != UINT32_MAX; i = next[i])
            parts[k++] = GEOSGeom_clone_r(h, g->gi.g[i]);
        GEOSGeometry *coll = GEOSGeom_createCollection_r(h, GEOS_GEOMETRYCOLLECTION, parts,
                                                         (unsigned)k);
        GEOSGeometry *u = coll ? GEOSUnaryUnion_r(h, coll) : NULL;
        GEOSGeometry *poly = u ? cw_polygonal(h, u) : NULL;
        rc = poly ? cw_geod_area(g->ctx, poly, &g->gi.comp_m2[c])
                  : cw_ctx_error(g->ctx, CW_ERR_LIB, "GEOS cannot dissolve GI patch %zu", c);
        GEOSGeom_destroy_r(h, poly);
        GEOSGeom_destroy_r(h, u);
        GEOSGeom_destroy_r(h, coll);
        free(parts);
    }
    return rc;
}

/* --coverage --areas-only: no overlaps to find and no patches to build,
 * so no components either; every feature stands for its own, of a whole
 * area nothing reads. */
static int no_components(struct green *g)
{
    size_t n = g->gi.n;
    g->gi.overlap = calloc(n, 1);
    g->gi.comp = g->gi.overlap ? malloc(n * sizeof *g->gi.comp) : NULL;
    g->gi.comp_m2 = g->gi.comp ? malloc(n * sizeof *g->gi.comp_m2) : NULL;
    if (!g->gi.comp_m2)
        return cw_ctx_error(g->ctx, CW_ERR_NOMEM, "out of memory");
    for (size_t i = 0; i < n; i++) {
        g->gi.comp[i] = (uint32_t)i;
        g->gi.comp_m2[i] = NAN;
    }
    g->gi.ncomp = n;
    return CW_OK;
}

int cw_green_components(struct green *g)
{
    GEOSContextHandle_t h = cw_ctx_geos(g->ctx);
    size_t n = g->gi.n;
    if (!n)
        return CW_OK;
    if (g->job->coverage && g->job->areas_only)
        return no_components(g);
    uint32_t *parent = malloc(n * sizeof *parent);
    if (!parent)
        return cw_ctx_error(g->ctx, CW_ERR_NOMEM, "out of memory");
    for (size_t i = 0; i < n; i++)
        parent[i] = (uint32_t)i;
    g->gi.overlap = calloc(n, 1);
    if (!g->gi.overlap) {
        free(parent);
        return cw_ctx_error(g->ctx, CW_ERR_NOMEM, "out of memory");
    }
    int *nv = malloc(n * sizeof *nv);
    struct pair_scan s = { h, NULL, parent, g->gi.overlap, 0, g->gi.g, nv, g->job->coverage,
                           NULL, 0, 0, calloc(n, sizeof *s.split) };
    if (!s.split || !nv) {
        free(s.split);
        free(nv);
        free(parent);
        return cw_ctx_error(g->ctx, CW_ERR_NOMEM, "out of memory");
    }
    for (size_t i = 0; i < n; i++)
        nv[i] = GEOSGetNumCoordinates_r(h, g->gi.g[i]);
    int rc = CW_OK;
    for (size_t i = 0; !rc && i < n; i++) {
        s.self = i;
        if (!(s.pg = GEOSPrepare_r(h, g->gi.g[i])))
            rc = cw_ctx_error(g->ctx, CW_ERR_LIB, "GEOS cannot prepare a GI polygon");
        else if (!chunk_rings(&s, g->gi.g[i]))
            GEOSSTRtree_query_r(h, g->gi.tree, g->gi.g[i], join_touching, &s);
        GEOSPreparedGeom_destroy_r(h, s.pg);
        if (!rc && i % 4096 == 0)
            rc = cw_ctx_progress(g->ctx, 0.3 * (double)i / (double)n, "GI patches");
    }
    uint32_t *first = NULL, *next = NULL;
    g->gi.comp = rc ? NULL : malloc(n * sizeof *g->gi.comp);
    next = g->gi.comp ? malloc(n * sizeof *next) : NULL;
    first = next ? malloc(n * sizeof *first) : NULL;
    if (!rc && !first)
        rc = cw_ctx_error(g->ctx, CW_ERR_NOMEM, "out of memory");
    if (!rc) {
        /* Components numbered by their first feature; members listed in
         * feature order (built backwards, so walk i downwards). */
        size_t nc = 0;
        for (size_t i = 0; i < n; i++) {
            uint32_t r = cw_uf_find(parent, (uint32_t)i);
            g->gi.comp[i] = r == i ? (uint32_t)nc++ : g->gi.comp[r];
        }
        for (size_t c = 0; c < nc; c++)
            first[c] = UINT32_MAX;
        for (size_t i = n; i-- > 0;) {
            next[i] = first[g->gi.comp[i]];
            first[g->gi.comp[i]] = (uint32_t)i;
        }
        g->gi.ncomp = nc;
        if (!(g->gi.comp_m2 = malloc(nc * sizeof *g->gi.comp_m2)))
            rc = cw_ctx_error(g->ctx, CW_ERR_NOMEM, "out of memory");
        else
            rc = component_areas(g, first, next);
    }
    free(first);
    free(next);
    free(s.chunk);
    for (size_t i = 0; i < n; i++)
        cw_green_split_free(h, &s.split[i]);
    free(s.split);
    free(nv);
    free(parent);
    return rc;
}
