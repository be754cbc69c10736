/* map_draw.c: drawing on a cairo context: the sea and the globe, the
 * basemap, and each layer (polygons, lines, points, a class raster).
 * SPDX-License-Identifier: MIT
 */
#include <math.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "map_priv.h"

/* How far past the frame geometry is kept, in pixels: line caps and
 * outlines of what is cut there stay outside the picture. */
#define FRAME_MARGIN 8.0
#define BATCH_POINTS 512     /* points stroked at once */
#define LINE_CHUNK 4096      /* line features projected at once */
#define THIN_LINE 1.5        /* pixels */

/* The path waiting to be stroked: its class, width and points. */
struct line_state {
    int cls;
    double width;
    size_t batch;
};

static const struct cw_rgba sea = { 0.914, 0.941, 0.961, 1 };     /* #e9f0f5 */
static const struct cw_rgba land = { 0.969, 0.961, 0.941, 1 };    /* #f7f5f0 */
static const struct cw_rgba border = { 0.749, 0.737, 0.71, 1 };   /* #bfbcb5 */
static const struct cw_rgba white = { 1, 1, 1, 1 };

void map_set_source(cairo_t *cr, struct cw_rgba c, double alpha)
{
    cairo_set_source_rgba(cr, c.r, c.g, c.b, c.a * alpha);
}

/* The outline of the whole globe, for world maps: the meridians on either
 * side of the seam and the two pole lines. */
static void globe_path(cairo_t *cr, const struct map_view *v)
{
    enum { N = 180 };
    double x[4 * N], y[4 * N];
    double w = v->lon0 - 180 + 1e-7, e = v->lon0 + 180 - 1e-7;
    for (int i = 0; i < N; i++) {
        double t = (double)i / N;
        x[i] = w, y[i] = -90 + 180 * t;
        x[N + i] = w + (e - w) * t, y[N + i] = 90;
        x[2 * N + i] = e, y[2 * N + i] = 90 - 180 * t;
        x[3 * N + i] = e - (e - w) * t, y[3 * N + i] = -90;
    }
    map_view_fwd(v, x, y, 4 * N);
    cairo_new_path(cr);
    for (int i = 0; i < 4 * N; i++)
        if (!isnan(x[i]))
            cairo_line_to(cr, x[i], y[i]);
    cairo_close_path(cr);
}

void map_draw_background(cairo_t *cr, const struct map_view *v)
{
    map_set_source(cr, v->world ? white : sea, 1);
    cairo_paint(cr);
    if (v->world) {
        globe_path(cr, v);
        map_set_source(cr, sea, 1);
        cairo_fill_preserve(cr);
        map_set_source(cr, border, 1);
        cairo_set_line_width(cr, 0.8);
        cairo_stroke(cr);
    }
}

static void ring_path(GEOSContextHandle_t h, cairo_t *cr, const GEOSGeometry *ring)
{
    const GEOSCoordSequence *cs = GEOSGeom_getCoordSeq_r(h, ring);
    unsigned n = 0;
    double x, y;
    if (!cs || !GEOSCoordSeq_getSize_r(h, cs, &n))
        return;
    for (unsigned i = 0; i < n; i++) {
        GEOSCoordSeq_getXY_r(h, cs, i, &x, &y);
        if (i)
            cairo_line_to(cr, x, y);
        else
            cairo_move_to(cr, x, y);
    }
    cairo_close_path(cr);
}

/* Adds the polygons of @p g (pixels) to the current path. */
static void polygon_path(GEOSContextHandle_t h, cairo_t *cr, const GEOSGeometry *g)
{
    int type = GEOSGeomTypeId_r(h, g);
    if (type == GEOS_POLYGON) {
        ring_path(h, cr, GEOSGetExteriorRing_r(h, g));
        int holes = GEOSGetNumInteriorRings_r(h, g);
        for (int i = 0; i < holes; i++)
            ring_path(h, cr, GEOSGetInteriorRingN_r(h, g, i));
    } else if (type == GEOS_MULTIPOLYGON || type == GEOS_GEOMETRYCOLLECTION) {
        int n = GEOSGetNumGeometries_r(h, g);
        for (int i = 0; i < n; i++)
            polygon_path(h, cr, GEOSGetGeometryN_r(h, g, i));
    }
}

/* Projects polygon @p g and sets it as the current path. @return 1 when
 * anything is in view, 0 when not, -1 on error. */
static int polygon_in_view(struct cw_ctx *ctx, cairo_t *cr, const struct map_view *v,
                           const GEOSGeometry *g)
{
    int rc;
    GEOSGeometry *px = map_polygon_px(ctx, v, g, FRAME_MARGIN, &rc);
    if (!px)
        return rc ? -1 : 0;
    cairo_new_path(cr);
    polygon_path(cw_ctx_geos(ctx), cr, px);
    GEOSGeom_destroy_r(cw_ctx_geos(ctx), px);
    return 1;
}

int map_draw_basemap(struct cw_ctx *ctx, cairo_t *cr, const struct map_view *v,
                     const struct map_feats *base)
{
    cairo_set_fill_rule(cr, CAIRO_FILL_RULE_EVEN_ODD);
    cairo_set_line_width(cr, 0.6);
    cairo_set_line_join(cr, CAIRO_LINE_JOIN_ROUND);
    for (size_t r = 0; r < base->n; r++) {
        int in = base->poly[r] ? polygon_in_view(ctx, cr, v, base->poly[r]) : 0;
        if (in < 0)
            return CW_ERR_LIB;
        if (!in)
            continue;
        map_set_source(cr, land, 1);
        cairo_fill_preserve(cr);
        map_set_source(cr, border, 1);
        cairo_stroke(cr);
    }
    return CW_OK;
}

static int draw_polygons(struct cw_ctx *ctx, cairo_t *cr, const struct map_view *v,
                         const struct map_layer *l)
{
    const struct cw_style *s = &l->style;
    cairo_set_fill_rule(cr, CAIRO_FILL_RULE_EVEN_ODD);
    cairo_set_line_join(cr, CAIRO_LINE_JOIN_ROUND);
    for (size_t r = 0; r < l->vec.n; r++) {
        int k = l->st.cls[r];
        if (k < 0 || !l->vec.poly[r])
            continue;
        int in = polygon_in_view(ctx, cr, v, l->vec.poly[r]);
        if (in < 0)
            return CW_ERR_LIB;
        if (!in)
            continue;
        struct cw_rgba c = l->st.classes[k].color;
        map_set_source(cr, c, s->opacity);
        if (s->no_outline) {
            cairo_fill(cr);
            continue;
        }
        cairo_fill_preserve(cr);
        /* Graduated zones are told apart by fill; categories by their edge. */
        map_set_source(cr, s->has_outline ? s->outline : s->by == CW_BY_GRADUATED ? white : c, 1);
        cairo_set_line_width(cr, s->by == CW_BY_GRADUATED ? 0.5 : l->st.width[r]);
        cairo_stroke(cr);
    }
    return CW_OK;
}

/* Strokes the path waiting in @p cr in class @p k's colour at width @p w.
 * Lines thinner than THIN_LINE get butt caps and bevel joins: a round end
 * a quarter pixel wide cannot be seen, and costs cairo a third of its time
 * on a million short edges. */
static void stroke_lines(cairo_t *cr, const struct map_layer *l, int k, double w)
{
    cairo_save(cr);
    cairo_set_antialias(cr, w < THIN_LINE ? CAIRO_ANTIALIAS_FAST : CAIRO_ANTIALIAS_DEFAULT);
    cairo_set_line_cap(cr, w < THIN_LINE ? CAIRO_LINE_CAP_BUTT : CAIRO_LINE_CAP_ROUND);
    cairo_set_line_join(cr, w < THIN_LINE ? CAIRO_LINE_JOIN_BEVEL : CAIRO_LINE_JOIN_ROUND);
    map_set_source(cr, l->st.classes[k].color, 1);
    cairo_set_line_width(cr, w);
    cairo_stroke(cr);
    cairo_restore(cr);
}

/* Features [r0, r1) of line layer @p l: cut at the seam into @p cut, all
 * projected in one PROJ call, then clipped and drawn feature by feature;
 * the path is stroked when colour or width change, and every BATCH_POINTS
 * points (cairo strokes a path of a million segments slowly). */
static int draw_line_chunk(struct cw_ctx *ctx, cairo_t *cr, const struct map_view *v,
                           const struct map_layer *l, size_t r0, size_t r1,
                           struct map_path *cut, struct map_path *px, size_t *fend,
                           struct line_state *ls)
{
    cut->n = cut->nparts = 0;
    for (size_t r = r0; r < r1; r++) {
        if (l->st.cls[r] >= 0 && l->vec.kind[r] == 1 && map_line_cut(v, &l->vec, r, cut))
            return cw_ctx_error(ctx, CW_ERR_NOMEM, "out of memory");
        fend[r - r0] = cut->nparts;
    }
    map_view_fwd_strided(v, cut->xy, cut->xy + 1, 2, cut->n);
    for (size_t r = r0; r < r1; r++) {
        size_t p0 = r > r0 ? fend[r - r0 - 1] : 0, p1 = fend[r - r0];
        int k = l->st.cls[r];
        if (p0 == p1)
            continue;
        if ((k != ls->cls || l->st.width[r] != ls->width || ls->batch > BATCH_POINTS) &&
            ls->cls >= 0) {
            stroke_lines(cr, l, ls->cls, ls->width);
            ls->batch = 0;
        }
        ls->cls = k;
        ls->width = l->st.width[r];
        px->n = px->nparts = 0;
        if (map_path_clip(v, cut, p0, p1, FRAME_MARGIN, px))
            return cw_ctx_error(ctx, CW_ERR_NOMEM, "out of memory");
        ls->batch += px->n;
        size_t start = 0;
        for (size_t j = 0; j < px->nparts; start = px->ends[j++]) {
            cairo_move_to(cr, px->xy[2 * start], px->xy[2 * start + 1]);
            for (size_t i = start + 1; i < px->ends[j]; i++)
                cairo_line_to(cr, px->xy[2 * i], px->xy[2 * i + 1]);
        }
    }
    return CW_OK;
}

static int draw_lines(struct cw_ctx *ctx, cairo_t *cr, const struct map_view *v,
                      const struct map_layer *l)
{
    struct map_path cut = { 0 }, px = { 0 };
    struct line_state ls = { -1, -1, 0 };
    size_t n = l->vec.n, *fend = malloc(LINE_CHUNK * sizeof *fend);
    int rc = fend ? CW_OK : cw_ctx_error(ctx, CW_ERR_NOMEM, "out of memory");
    cairo_new_path(cr);
    for (size_t r0 = 0; r0 < n && !rc; r0 += LINE_CHUNK)
        rc = draw_line_chunk(ctx, cr, v, l, r0, r0 + LINE_CHUNK < n ? r0 + LINE_CHUNK : n,
                             &cut, &px, fend, &ls);
    if (!rc && ls.cls >= 0)
        stroke_lines(cr, l, ls.cls, ls.width);
    cairo_new_path(cr);
    map_path_release(&cut);
    map_path_release(&px);
    free(fend);
    return rc;
}

/* A point symbol to draw: where, and which row. */
struct mark {
    double x, y, d;
    size_t row;
};

static int cmp_mark(const void *a, const void *b)
{
    const struct mark *p = a, *q = b;
    if (p->d != q->d)
        return p->d > q->d ? -1 : 1;   /* large first: small ones stay visible */
    return p->row < q->row ? -1 : p->row > q->row;
}

/* The points of every feature (multipoints give several), projected. */
static int collect_marks(struct cw_ctx *ctx, const struct map_view *v,
                         const struct map_layer *l, struct mark **out, size_t *nout)
{
    const struct map_feats *f = &l->vec;
    size_t n = 0, cap = f->coords.n + 1;
    struct mark *m = malloc(cap * sizeof *m);
    double *xy = malloc(2 * cap * sizeof *xy);
    if (!m || !xy) {
        free(m);
        free(xy);
        return cw_ctx_error(ctx, CW_ERR_NOMEM, "out of memory");
    }
    for (size_t r = 0; r < f->n; r++) {
        if (f->kind[r] != 0 || l->st.cls[r] < 0)
            continue;
        size_t p0 = f->first[r] ? f->coords.ends[f->first[r] - 1] : 0;
        size_t p1 = f->first[r + 1] ? f->coords.ends[f->first[r + 1] - 1] : 0;
        for (size_t i = p0; i < p1; i++) {
            xy[2 * n] = f->coords.xy[2 * i];
            xy[2 * n + 1] = f->coords.xy[2 * i + 1];
            m[n++].row = r;
        }
    }
    map_view_fwd_strided(v, xy, xy + 1, 2, n);
    size_t k = 0;
    for (size_t i = 0; i < n; i++) {
        double d = l->st.size[m[i].row], x = xy[2 * i], y = xy[2 * i + 1];
        if (isnan(x) || x < -d || y < -d || x > v->w + d || y > v->h + d)
            continue;
        m[k++] = (struct mark){ x, y, d, m[i].row };
    }
    free(xy);
    *out = m;
    *nout = k;
    return CW_OK;
}

static int draw_points(struct cw_ctx *ctx, cairo_t *cr, const struct map_view *v,
                       const struct map_layer *l)
{
    struct mark *m = NULL;
    size_t n = 0;
    int rc = collect_marks(ctx, v, l, &m, &n);
    if (rc)
        return rc;
    qsort(m, n, sizeof *m, cmp_mark);
    const struct cw_style *s = &l->style;
    struct cw_rgba edge = s->has_outline ? s->outline : white;
    cairo_set_line_width(cr, 0.8);
    cairo_new_path(cr);
    for (size_t i = 0; i < n; i++) {
        int k = l->st.cls[m[i].row];
        if (s->no_outline) {
            /* Without outlines, runs of one colour fill as one path. */
            cairo_new_sub_path(cr);
            cairo_arc(cr, m[i].x, m[i].y, m[i].d / 2, 0, 2 * M_PI);
            if (i + 1 == n || l->st.cls[m[i + 1].row] != k || i % BATCH_POINTS == 0) {
                map_set_source(cr, l->st.classes[k].color, 1);
                cairo_fill(cr);
            }
            continue;
        }
        cairo_new_path(cr);
        cairo_arc(cr, m[i].x, m[i].y, m[i].d / 2, 0, 2 * M_PI);
        map_set_source(cr, l->st.classes[k].color, 1);
        cairo_fill_preserve(cr);
        map_set_source(cr, edge, 1);
        cairo_stroke(cr);
    }
    free(m);
    return CW_OK;
}

/* A transform from lon/lat to the raster's CRS, NULL for lon/lat rasters. */
static int raster_pj(struct cw_ctx *ctx, const struct map_layer *l, PJ **out)
{
    *out = NULL;
    if (l->ras.grid.geographic || !l->ras.grid.wkt)
        return CW_OK;
    PJ_CONTEXT *pc = cw_ctx_proj(ctx);
    PJ *p = proj_create_crs_to_crs(pc, "EPSG:4326", l->ras.grid.wkt, NULL);
    *out = p ? proj_normalize_for_visualization(pc, p) : NULL;
    if (p)
        proj_destroy(p);
    return *out ? CW_OK : cw_ctx_error(ctx, CW_ERR_LIB, "'%s': PROJ cannot reach its CRS",
                                       l->path);
}

static uint32_t premultiplied(struct cw_rgba c)
{
    double a = c.a;
    return (uint32_t)lround(a * 255) << 24 | (uint32_t)lround(c.r * a * 255) << 16 |
           (uint32_t)lround(c.g * a * 255) << 8 | (uint32_t)lround(c.b * a * 255);
}

/* Nearest-neighbour resampling: each map pixel's centre, unprojected,
 * takes the class colour of the raster cell under it. */
static int draw_raster(struct cw_ctx *ctx, cairo_t *cr, const struct map_view *v,
                       const struct map_layer *l)
{
    PJ *pj;
    int rc = raster_pj(ctx, l, &pj);
    if (rc)
        return rc;
    cairo_surface_t *img = cairo_image_surface_create(CAIRO_FORMAT_ARGB32, v->w, v->h);
    double *x = malloc(v->w * sizeof *x), *y = malloc(v->w * sizeof *y);
    uint32_t *colour = malloc((l->st.nclasses + 1) * sizeof *colour);
    if (cairo_surface_status(img) || !x || !y || !colour) {
        rc = cw_ctx_error(ctx, CW_ERR_NOMEM, "out of memory");
        goto done;
    }
    for (size_t k = 0; k < l->st.nclasses; k++)
        colour[k] = premultiplied(l->st.classes[k].color);
    cairo_surface_flush(img);
    unsigned char *data = cairo_image_surface_get_data(img);
    int stride = cairo_image_surface_get_stride(img);
    for (int row = 0; row < v->h; row++) {
        uint32_t *px = (uint32_t *)(data + (size_t)row * stride);
        for (int col = 0; col < v->w; col++)
            x[col] = col + 0.5, y[col] = row + 0.5;
        map_view_inv(v, x, y, v->w);
        if (pj)
            proj_trans_generic(pj, PJ_FWD, x, sizeof *x, v->w, y, sizeof *y, v->w, NULL, 0, 0,
                               NULL, 0, 0);
        for (int col = 0; col < v->w; col++) {
            long cell = isnan(x[col]) ? -1 : cw_grid_cell(&l->ras.grid, x[col], y[col]);
            float val = cell >= 0 ? l->ras.v[cell] : NAN;
            int k = isnan(val) ? -1 : cw_styled_class_of(&l->st, NULL, val);
            px[col] = k >= 0 ? colour[k] : 0;
        }
    }
    cairo_surface_mark_dirty(img);
    cairo_set_source_surface(cr, img, 0, 0);
    cairo_paint(cr);
done:
    cairo_surface_destroy(img);
    if (pj)
        proj_destroy(pj);
    free(x);
    free(y);
    free(colour);
    return rc;
}

int map_draw_layer(struct cw_ctx *ctx, cairo_t *cr, const struct map_view *v,
                   const struct map_layer *l)
{
    if (l->is_raster)
        return draw_raster(ctx, cr, v, l);
    /* A layer of mixed geometries: polygons under lines under points. */
    int rc = draw_polygons(ctx, cr, v, l);
    rc = rc ? rc : draw_lines(ctx, cr, v, l);
    return rc ? rc : draw_points(ctx, cr, v, l);
}
