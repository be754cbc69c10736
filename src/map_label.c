/* map_label.c: labels from a field, placed greedily by priority: each
 * label takes the first of eight positions round its feature whose box
 * overlaps no label placed before it, no labelled symbol and no map
 * furniture, and lies inside the frame; a label with no such position is
 * left out. A grid of cells indexes the boxes placed.
 * SPDX-License-Identifier: MIT
 */
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "map_priv.h"

#define CELL 64.0   /* grid cell, pixels */

PangoLayout *map_text(cairo_t *cr, const char *family, double px, int bold, const char *text)
{
    PangoLayout *lay = pango_cairo_create_layout(cr);
    PangoFontDescription *fd = pango_font_description_new();
    pango_font_description_set_family(fd, family);
    pango_font_description_set_absolute_size(fd, px * PANGO_SCALE);
    pango_font_description_set_weight(fd, bold ? PANGO_WEIGHT_BOLD : PANGO_WEIGHT_NORMAL);
    pango_layout_set_font_description(lay, fd);
    pango_font_description_free(fd);
    pango_layout_set_text(lay, text, -1);
    return lay;
}

/* A feature to label. */
struct cand {
    const char *text;
    double x, y, r;      /* anchor and symbol radius, pixels */
    double priority;
    size_t layer, row;
    int area;            /* polygon: centred on the anchor */
};

static int cmp_cand(const void *a, const void *b)
{
    const struct cand *p = a, *q = b;
    if (p->priority != q->priority)
        return p->priority > q->priority ? -1 : 1;
    if (p->layer != q->layer)
        return p->layer < q->layer ? -1 : 1;
    return p->row < q->row ? -1 : p->row > q->row;
}

/* Boxes indexed by the grid cells they touch. */
struct grid {
    int nx, ny;
    size_t **cell;     /* per cell: box indices */
    size_t *n, *cap;
    struct map_box *box;
    size_t nbox, capbox;
};

static int grid_init(struct grid *g, int w, int h)
{
    memset(g, 0, sizeof *g);
    g->nx = (int)ceil(w / CELL) + 1;
    g->ny = (int)ceil(h / CELL) + 1;
    size_t n = (size_t)g->nx * (size_t)g->ny;
    g->cell = calloc(n, sizeof *g->cell);
    g->n = calloc(n, sizeof *g->n);
    g->cap = calloc(n, sizeof *g->cap);
    return g->cell && g->n && g->cap ? 0 : -1;
}

static void grid_release(struct grid *g)
{
    for (size_t i = 0; g->cell && i < (size_t)g->nx * (size_t)g->ny; i++)
        free(g->cell[i]);
    free(g->cell);
    free(g->n);
    free(g->cap);
    free(g->box);
}

static void cells(const struct grid *g, const struct map_box *b, int c[4])
{
    c[0] = (int)fmax(0, floor(b->x0 / CELL)), c[1] = (int)fmax(0, floor(b->y0 / CELL));
    c[2] = (int)fmin(g->nx - 1, floor(b->x1 / CELL));
    c[3] = (int)fmin(g->ny - 1, floor(b->y1 / CELL));
}

static int grid_add(struct grid *g, struct map_box b)
{
    if (g->nbox == g->capbox) {
        size_t cap = g->capbox ? 2 * g->capbox : 256;
        struct map_box *nb = realloc(g->box, cap * sizeof *nb);
        if (!nb)
            return -1;
        g->box = nb;
        g->capbox = cap;
    }
    g->box[g->nbox] = b;
    int c[4];
    cells(g, &b, c);
    for (int cy = c[1]; cy <= c[3]; cy++)
        for (int cx = c[0]; cx <= c[2]; cx++) {
            size_t i = (size_t)cy * g->nx + cx;
            if (g->n[i] == g->cap[i]) {
                size_t cap = g->cap[i] ? 2 * g->cap[i] : 8;
                size_t *nc = realloc(g->cell[i], cap * sizeof *nc);
                if (!nc)
                    return -1;
                g->cell[i] = nc;
                g->cap[i] = cap;
            }
            g->cell[i][g->n[i]++] = g->nbox;
        }
    g->nbox++;
    return 0;
}

static int overlaps(const struct map_box *a, const struct map_box *b)
{
    return a->x0 < b->x1 && b->x0 < a->x1 && a->y0 < b->y1 && b->y0 < a->y1;
}

/* @return non-zero when @p b overlaps a box other than @p skip. */
static int grid_hits(const struct grid *g, const struct map_box *b, size_t skip)
{
    int c[4];
    cells(g, b, c);
    for (int cy = c[1]; cy <= c[3]; cy++)
        for (int cx = c[0]; cx <= c[2]; cx++) {
            size_t i = (size_t)cy * g->nx + cx;
            for (size_t k = 0; k < g->n[i]; k++)
                if (g->cell[i][k] != skip && overlaps(&g->box[g->cell[i][k]], b))
                    return 1;
        }
    return 0;
}

/* Where a feature's label goes, in lon/lat: a point, the middle vertex of
 * a line, a point inside a polygon. @return 0 when there is none. */
static int anchor(GEOSContextHandle_t h, const struct map_feats *f, size_t r, double *x,
                  double *y)
{
    if (f->kind[r] == 2) {
        GEOSGeometry *p = GEOSPointOnSurface_r(h, f->poly[r]);
        int ok = p && !GEOSisEmpty_r(h, p) && GEOSGeomGetX_r(h, p, x) && GEOSGeomGetY_r(h, p, y);
        if (p)
            GEOSGeom_destroy_r(h, p);
        return ok;
    }
    if (f->kind[r] < 0 || f->first[r] == f->first[r + 1])
        return 0;
    size_t k = f->first[r], start = k ? f->coords.ends[k - 1] : 0;
    size_t mid = start + (f->coords.ends[k] - start) / 2;
    *x = f->coords.xy[2 * mid];
    *y = f->coords.xy[2 * mid + 1];
    return 1;
}

/* Every labelled feature in view, projected. */
static int candidates(struct cw_ctx *ctx, const struct map_view *v, struct map_layer *layers,
                      size_t nlayers, struct cand **out, size_t *nout)
{
    GEOSContextHandle_t h = cw_ctx_geos(ctx);
    size_t n = 0, cap = 0;
    struct cand *c = NULL;
    for (size_t li = 0; li < nlayers; li++) {
        const struct map_layer *l = &layers[li];
        if (l->is_raster || l->st.label_col < 0)
            continue;
        for (size_t r = 0; r < l->vec.n; r++) {
            const char *text = cw_table_get(&l->vec.attrs, r, l->st.label_col);
            struct cand k = { text, 0, 0, l->st.size[r] / 2, l->st.priority[r], li, r,
                              l->vec.kind[r] == 2 };
            if (!text || !*text || l->st.cls[r] < 0 || !anchor(h, &l->vec, r, &k.x, &k.y))
                continue;
            map_view_fwd(v, &k.x, &k.y, 1);
            if (isnan(k.x) || k.x < 0 || k.y < 0 || k.x > v->w || k.y > v->h)
                continue;
            if (k.area)
                k.r = 0;
            if (n == cap) {
                cap = cap ? 2 * cap : 64;
                struct cand *nc = realloc(c, cap * sizeof *nc);
                if (!nc) {
                    free(c);
                    return cw_ctx_error(ctx, CW_ERR_NOMEM, "out of memory");
                }
                c = nc;
            }
            c[n++] = k;
        }
    }
    *out = c;
    *nout = n;
    return CW_OK;
}

/* Tries the positions round @p k for a box @p w x @p h. @return 1 and the
 * box placed, 0 when every position collides. */
static int try_place(const struct grid *g, const struct map_view *v, const struct cand *k,
                     size_t self, double w, double h, struct map_box *out)
{
    double d = k->r + 2;
    /* right, left, above, below, then the four diagonals */
    const double pos[8][2] = {
        { k->x + d, k->y - h / 2 }, { k->x - d - w, k->y - h / 2 },
        { k->x - w / 2, k->y - d - h }, { k->x - w / 2, k->y + d },
        { k->x + d * 0.7, k->y - d * 0.7 - h }, { k->x + d * 0.7, k->y + d * 0.7 },
        { k->x - d * 0.7 - w, k->y - d * 0.7 - h }, { k->x - d * 0.7 - w, k->y + d * 0.7 },
    };
    int npos = k->area ? 1 : 8;
    for (int i = 0; i < npos; i++) {
        double x = k->area ? k->x - w / 2 : pos[i][0], y = k->area ? k->y - h / 2 : pos[i][1];
        struct map_box b = { x, y, x + w, y + h };
        if (b.x0 < 0 || b.y0 < 0 || b.x1 > v->w || b.y1 > v->h || grid_hits(g, &b, self))
            continue;
        *out = b;
        return 1;
    }
    return 0;
}

static int place_all(cairo_t *cr, const struct map_view *v, const struct map_fonts *f,
                     const struct cand *c, size_t n, struct grid *g, size_t first_symbol,
                     struct map_labels *out)
{
    for (size_t i = 0; i < n; i++) {
        PangoLayout *lay = map_text(cr, f->family, f->label, 0, c[i].text);
        PangoRectangle ink, logical;
        pango_layout_get_pixel_extents(lay, &ink, &logical);
        g_object_unref(lay);
        /* The halo reaches 1.5 px past the glyphs. */
        double w = logical.width + 3, h = logical.height + 1;
        struct map_box b;
        if (!try_place(g, v, &c[i], first_symbol + i, w, h, &b))
            continue;
        if (grid_add(g, b))
            return -1;
        out->p[out->n++] = (struct map_placed){ c[i].text, b, b.x0 + 1.5 - logical.x,
                                                b.y0 + 0.5 - logical.y };
    }
    return 0;
}

int map_labels_place(struct cw_ctx *ctx, cairo_t *cr, const struct map_view *v,
                     const struct map_fonts *f, struct map_layer *layers, size_t nlayers,
                     const struct map_box *obstacles, size_t nobst, struct map_labels *out)
{
    memset(out, 0, sizeof *out);
    struct cand *c = NULL;
    size_t n = 0;
    int rc = candidates(ctx, v, layers, nlayers, &c, &n);
    if (rc)
        return rc;
    if (n)
        qsort(c, n, sizeof *c, cmp_cand);
    struct grid g;
    out->p = malloc((n + 1) * sizeof *out->p);
    rc = !out->p || grid_init(&g, v->w, v->h);
    for (size_t i = 0; i < nobst && !rc; i++)
        rc = grid_add(&g, obstacles[i]);
    /* Labelled symbols are obstacles too: a label never hides a place. */
    for (size_t i = 0; i < n && !rc; i++)
        rc = grid_add(&g, (struct map_box){ c[i].x - c[i].r, c[i].y - c[i].r,
                                            c[i].x + c[i].r, c[i].y + c[i].r });
    rc = rc ? rc : place_all(cr, v, f, c, n, &g, nobst, out);
    grid_release(&g);
    free(c);
    if (rc) {
        map_labels_release(out);
        return cw_ctx_error(ctx, CW_ERR_NOMEM, "out of memory");
    }
    return CW_OK;
}

void map_labels_draw(cairo_t *cr, const struct map_fonts *f, const struct map_labels *lb)
{
    cairo_set_line_join(cr, CAIRO_LINE_JOIN_ROUND);
    for (size_t i = 0; i < lb->n; i++) {
        PangoLayout *lay = map_text(cr, f->family, f->label, 0, lb->p[i].text);
        cairo_move_to(cr, lb->p[i].x, lb->p[i].y);
        pango_cairo_layout_path(cr, lay);
        cairo_set_source_rgba(cr, 1, 1, 1, 0.85);
        cairo_set_line_width(cr, 3);
        cairo_stroke(cr);
        cairo_move_to(cr, lb->p[i].x, lb->p[i].y);
        cairo_set_source_rgb(cr, 0.13, 0.13, 0.13);
        pango_cairo_show_layout(cr, lay);
        g_object_unref(lay);
    }
}

void map_labels_release(struct map_labels *lb)
{
    free(lb->p);
    memset(lb, 0, sizeof *lb);
}
