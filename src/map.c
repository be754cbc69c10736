/* map.c: cw_map_render: loads and styles the layers, sets up the view,
 * draws the same picture on a PNG, SVG or PDF surface and writes it (and
 * its world file and QGIS styles) through temporary files.
 * SPDX-License-Identifier: MIT
 */
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include <cairo-pdf.h>
#include <cairo-svg.h>
#include <gdal.h>

#include "atomic_file.h"
#include "cityweave/cityweave.h"
#include "map_priv.h"

enum map_format { MAP_PNG, MAP_SVG, MAP_PDF };

/* Everything one render owns. */
struct render {
    struct cw_ctx *ctx;
    const struct cw_map_opts *o;
    struct map_layer *layers;
    size_t nlayers;
    struct map_feats base;
    struct map_view view;
    struct map_fonts fonts;
    struct map_labels labels;
};

/* The legend heading: title= or the file name without its extension. */
static char *title_of(const struct cw_style *s, const char *path)
{
    if (s->title)
        return strdup(s->title);
    const char *base = strrchr(path, '/');
    base = base ? base + 1 : path;
    const char *dot = strrchr(base, '.');
    return strndup(base, dot && dot != base ? (size_t)(dot - base) : strlen(base));
}

static int geom_type(const struct map_feats *f)
{
    for (size_t r = 0; r < f->n; r++)
        if (f->kind[r] >= 0)
            return f->kind[r];
    return -1;
}

/* The fields the style names, and those of --labels (if there). */
static size_t needed_fields(const struct cw_map_opts *o, const struct cw_style *s,
                            struct map_field need[7])
{
    size_t n = 0;
    const struct map_field all[7] = {
        { s->field, s->by == CW_BY_GRADUATED ? "graduated" : "colour" },
        { s->width_field, "width" }, { s->size_field, "size" }, { s->label_field, "label" },
        { s->priority_field, "priority" }, { o->labels, NULL }, { o->label_priority, NULL },
    };
    for (size_t i = 0; i < 7; i++)
        if (all[i].name)
            need[n++] = all[i];
    return n;
}

/* --labels and --label-priority name fields for every layer that has them. */
static int global_labels(struct render *R, struct map_layer *l)
{
    const struct cw_map_opts *o = R->o;
    const struct cw_table *t = &l->vec.attrs;
    if (o->labels && !l->style.label_field && cw_table_find(t, o->labels) >= 0 &&
        !(l->style.label_field = strdup(o->labels)))
        return CW_ERR_NOMEM;
    if (o->label_priority && l->style.label_field && !l->style.priority_field &&
        cw_table_find(t, o->label_priority) >= 0 &&
        !(l->style.priority_field = strdup(o->label_priority)))
        return CW_ERR_NOMEM;
    return CW_OK;
}

static int load_layer(struct render *R, const struct cw_map_layer *spec, struct map_layer *l)
{
    struct cw_ctx *ctx = R->ctx;
    l->path = spec->path;
    l->st.label_col = -1;
    int rc = cw_style_parse(ctx, spec->path, spec->style, &l->style);
    if (rc)
        return rc;
    l->title = title_of(&l->style, spec->path);
    if (!l->title)
        return cw_ctx_error(ctx, CW_ERR_NOMEM, "out of memory");
    if ((l->is_raster = cw_is_raster(spec->path))) {
        rc = cw_raster_read(ctx, spec->path, &l->ras);
        return rc ? rc : cw_style_resolve_values(ctx, &l->style, spec->path, l->ras.v,
                                                 (size_t)l->ras.grid.nx * l->ras.grid.ny, &l->st);
    }
    struct map_field need[7];
    if ((rc = map_feats_read(ctx, spec->path, need, needed_fields(R->o, &l->style, need),
                             &l->vec)))
        return rc;
    if ((l->geom_type = geom_type(&l->vec)) < 0)
        return cw_ctx_error(ctx, CW_ERR_DATA, "'%s': no features with a geometry to draw",
                            spec->path);
    if (global_labels(R, l))
        return cw_ctx_error(ctx, CW_ERR_NOMEM, "out of memory");
    rc = cw_style_resolve(ctx, &l->style, spec->path, &l->vec.attrs, &l->st);
    if (!rc && l->st.nclasses == 1 && !*l->st.classes[0].label) {
        free(l->st.classes[0].label);
        if (!(l->st.classes[0].label = strdup(l->title)))
            rc = cw_ctx_error(ctx, CW_ERR_NOMEM, "out of memory");
    }
    return rc;
}

static void grow(double bb[4], double x0, double y0, double x1, double y1)
{
    bb[0] = fmin(bb[0], x0), bb[1] = fmin(bb[1], y0);
    bb[2] = fmax(bb[2], x1), bb[3] = fmax(bb[3], y1);
}

/* The lon/lat box of a raster: its corners and side midpoints. */
static void raster_bbox(struct cw_ctx *ctx, const struct cw_raster *r, double bb[4])
{
    const double *gt = r->grid.gt;
    double x[8], y[8];
    for (int i = 0; i < 8; i++) {
        static const double fx[8] = { 0, 0.5, 1, 1, 1, 0.5, 0, 0 };
        static const double fy[8] = { 0, 0, 0, 0.5, 1, 1, 1, 0.5 };
        x[i] = gt[0] + fx[i] * r->grid.nx * gt[1];
        y[i] = gt[3] + fy[i] * r->grid.ny * gt[5];
    }
    if (!r->grid.geographic && r->grid.wkt) {
        PJ *p = proj_create_crs_to_crs(cw_ctx_proj(ctx), r->grid.wkt, "EPSG:4326", NULL);
        PJ *n = p ? proj_normalize_for_visualization(cw_ctx_proj(ctx), p) : NULL;
        if (n)
            proj_trans_generic(n, PJ_FWD, x, sizeof *x, 8, y, sizeof *y, 8, NULL, 0, 0, NULL, 0, 0);
        if (n)
            proj_destroy(n);
        if (p)
            proj_destroy(p);
    }
    for (int i = 0; i < 8; i++)
        if (isfinite(x[i]) && isfinite(y[i]) && fabs(x[i]) <= 180)
            grow(bb, x[i], y[i], x[i], y[i]);
}

static void data_bbox(struct render *R, double bb[4])
{
    GEOSContextHandle_t h = cw_ctx_geos(R->ctx);
    bb[0] = bb[1] = INFINITY;
    bb[2] = bb[3] = -INFINITY;
    for (size_t i = 0; i < R->nlayers; i++) {
        const struct map_layer *l = &R->layers[i];
        if (l->is_raster) {
            raster_bbox(R->ctx, &l->ras, bb);
            continue;
        }
        const struct map_path *c = &l->vec.coords;
        for (size_t k = 0; k < c->n; k++)
            grow(bb, c->xy[2 * k], c->xy[2 * k + 1], c->xy[2 * k], c->xy[2 * k + 1]);
        for (size_t r = 0; r < l->vec.n; r++) {
            double x0, y0, x1, y1;
            const GEOSGeometry *g = l->vec.poly[r];
            if (g && !GEOSisEmpty_r(h, g) && GEOSGeom_getXMin_r(h, g, &x0) &&
                GEOSGeom_getYMin_r(h, g, &y0) && GEOSGeom_getXMax_r(h, g, &x1) &&
                GEOSGeom_getYMax_r(h, g, &y1))
                grow(bb, x0, y0, x1, y1);
        }
    }
}

/* Text sizes from the map's short side: 12.8 px labels on a 1600 px side,
 * never under 10 px. */
static void fonts_for(const struct cw_map_opts *o, struct map_fonts *f)
{
    double side = o->width < o->height ? o->width : o->height;
    f->label = fmax(10, side / 125);
    f->legend = f->label;
    f->title = 1.7 * f->label;
    f->small = fmax(7, 0.8 * f->label);
    f->family = "DejaVu Sans";
}

/* The whole picture, the same on every surface. */
static int draw(struct render *R, cairo_surface_t *surface)
{
    cairo_t *cr = cairo_create(surface);
    /* Unhinted metrics: text measures the same on PNG, SVG and PDF, so the
     * labels that fit are the same in all three. */
    cairo_font_options_t *fo = cairo_font_options_create();
    cairo_font_options_set_hint_metrics(fo, CAIRO_HINT_METRICS_OFF);
    cairo_font_options_set_hint_style(fo, CAIRO_HINT_STYLE_NONE);
    cairo_set_font_options(cr, fo);
    cairo_font_options_destroy(fo);
    struct cw_ctx *ctx = R->ctx;
    const struct map_view *v = &R->view;
    int rc = CW_OK;
    map_draw_background(cr, v);
    if (R->o->basemap)
        rc = map_draw_basemap(ctx, cr, v, &R->base);
    for (size_t i = 0; i < R->nlayers && !rc; i++) {
        rc = map_draw_layer(ctx, cr, v, &R->layers[i]);
        if (!rc)
            rc = cw_ctx_progress(ctx, 0.1 + 0.8 * (double)(i + 1) / R->nlayers, "drawing");
    }
    struct map_furniture fu;
    if (!rc) {
        map_furniture_layout(cr, v, &R->fonts, R->o, R->layers, R->nlayers, &fu);
        struct map_box obst[4];
        size_t n = 0;
        for (int i = 0; i < 4; i++)
            if (fu.has[i])
                obst[n++] = fu.box[i];
        map_labels_release(&R->labels);
        rc = map_labels_place(ctx, cr, v, &R->fonts, R->layers, R->nlayers, obst, n,
                              &R->labels);
    }
    if (!rc) {
        map_labels_draw(cr, &R->fonts, &R->labels);
        map_furniture_draw(cr, v, &R->fonts, R->o, R->layers, R->nlayers, &fu);
    }
    if (!rc && cairo_status(cr))
        rc = cw_ctx_error(ctx, CW_ERR_LIB, "cairo: %s", cairo_status_to_string(cairo_status(cr)));
    cairo_destroy(cr);
    return rc;
}

/* A growing memory buffer for cairo's SVG stream. */
struct membuf {
    char *p;
    size_t n, cap;
};

static cairo_status_t to_membuf(void *arg, const unsigned char *data, unsigned int len)
{
    struct membuf *b = arg;
    if (b->n + len + 1 > b->cap) {
        size_t cap = (b->n + len + 1) * 2;
        char *p = realloc(b->p, cap);
        if (!p)
            return CAIRO_STATUS_NO_MEMORY;
        b->p = p;
        b->cap = cap;
    }
    memcpy(b->p + b->n, data, len);
    b->n += len;
    return CAIRO_STATUS_SUCCESS;
}

/* cairo draws text as glyph outlines; the labels also go in as invisible
 * <text> over their boxes, so the SVG can be searched and read aloud. */
static void svg_labels(FILE *fp, const struct render *R)
{
    fputs("<g id=\"cw-labels\" fill-opacity=\"0\" stroke=\"none\">\n", fp);
    for (size_t i = 0; i < R->labels.n; i++) {
        const struct map_placed *p = &R->labels.p[i];
        fprintf(fp, "<g class=\"cw-label\"><rect x=\"%.2f\" y=\"%.2f\" width=\"%.2f\" "
                "height=\"%.2f\" fill=\"none\"/><text x=\"%.2f\" y=\"%.2f\" font-family=\"%s\" "
                "font-size=\"%.2f\">", p->box.x0, p->box.y0, p->box.x1 - p->box.x0,
                p->box.y1 - p->box.y0, p->box.x0, p->box.y1 - 0.25 * R->fonts.label,
                R->fonts.family, R->fonts.label);
        map_xml(fp, p->text);
        fputs("</text></g>\n", fp);
    }
    fputs("</g>\n", fp);
}

static int write_svg(struct render *R, const char *tmp)
{
    struct membuf b = { 0 };
    cairo_surface_t *s = cairo_svg_surface_create_for_stream(to_membuf, &b, R->view.w,
                                                             R->view.h);
    cairo_svg_surface_set_document_unit(s, CAIRO_SVG_UNIT_PX);
    int rc = draw(R, s);
    cairo_surface_finish(s);
    if (!rc && cairo_surface_status(s))
        rc = cw_ctx_error(R->ctx, CW_ERR_NOMEM, "cairo SVG: %s",
                          cairo_status_to_string(cairo_surface_status(s)));
    cairo_surface_destroy(s);
    char *end = NULL;
    if (!rc) {
        b.p[b.n] = '\0';
        for (char *e = strstr(b.p, "</svg>"); e; e = strstr(e + 1, "</svg>"))
            end = e;
    }
    FILE *fp = !rc && end ? fopen(tmp, "wb") : NULL;
    if (fp) {
        fwrite(b.p, 1, (size_t)(end - b.p), fp);
        svg_labels(fp, R);
        fputs(end, fp);
        if (fclose(fp) || cw_ctx_inject_write_fault(R->ctx))
            fp = NULL;
    }
    if (!rc && !fp)
        rc = cw_ctx_error(R->ctx, CW_ERR_IO, "'%s': cannot write", R->o->output);
    free(b.p);
    return rc;
}

static int write_surface(struct render *R, enum map_format fmt, const char *tmp)
{
    cairo_surface_t *s;
    if (fmt == MAP_PNG) {
        s = cairo_image_surface_create(CAIRO_FORMAT_RGB24, R->view.w, R->view.h);
    } else {
        s = cairo_pdf_surface_create(tmp, R->view.w, R->view.h);
        /* cairo stamps the current time by default: a fixed date keeps
         * the bytes the same from run to run. */
        cairo_pdf_surface_set_metadata(s, CAIRO_PDF_METADATA_CREATE_DATE, "2000-01-01T00:00:00Z");
        cairo_pdf_surface_set_metadata(s, CAIRO_PDF_METADATA_CREATOR, "cityweave " CW_VERSION);
        if (R->o->title)
            cairo_pdf_surface_set_metadata(s, CAIRO_PDF_METADATA_TITLE, R->o->title);
    }
    int rc = cairo_surface_status(s) ? cw_ctx_error(R->ctx, CW_ERR_IO, "'%s': cannot write",
                                                    R->o->output)
                                     : draw(R, s);
    if (!rc && fmt == MAP_PNG && cairo_surface_write_to_png(s, tmp) != CAIRO_STATUS_SUCCESS)
        rc = cw_ctx_error(R->ctx, CW_ERR_IO, "'%s': cannot write the PNG", R->o->output);
    cairo_surface_finish(s);
    if (!rc && (cairo_surface_status(s) || cw_ctx_inject_write_fault(R->ctx)))
        rc = cw_ctx_error(R->ctx, CW_ERR_IO, "'%s': cannot write", R->o->output);
    cairo_surface_destroy(s);
    return rc;
}

/* A world file: pixel size, rotation, and the centre of the top-left pixel. */
static int write_world(struct render *R, const char *tmp)
{
    char text[256];
    const struct map_view *v = &R->view;
    snprintf(text, sizeof text, "%.10f\n0\n0\n%.10f\n%.10f\n%.10f\n", v->res, -v->res,
             v->x0 + v->res / 2, v->y0 - v->res / 2);
    if (cw_ctx_inject_write_fault(R->ctx))
        return cw_ctx_error(R->ctx, CW_ERR_IO, "'%s': cannot write its world file", R->o->output);
    return cw_atomic_write_text(R->ctx, R->o->output, tmp, text);
}

static int format_of(struct cw_ctx *ctx, const char *path, enum map_format *fmt)
{
    const char *dot = strrchr(path, '.');
    if (dot && strcasecmp(dot, ".png") == 0)
        *fmt = MAP_PNG;
    else if (dot && strcasecmp(dot, ".svg") == 0)
        *fmt = MAP_SVG;
    else if (dot && strcasecmp(dot, ".pdf") == 0)
        *fmt = MAP_PDF;
    else
        return cw_ctx_error(ctx, CW_ERR_ARG, "'%s': unknown map format (use .png, .svg or .pdf)",
                            path);
    return CW_OK;
}

static int write_map(struct render *R, enum map_format fmt)
{
    struct cw_atomic a;
    int rc = cw_atomic_begin(R->ctx, R->o->output, R->o->overwrite, &a);
    if (rc)
        return rc;
    const char *main = cw_atomic_add(&a, "");
    const char *wld = main && R->o->world_file ? cw_atomic_add(&a, ".wld") : NULL;
    if (!main || (R->o->world_file && !wld))
        rc = CW_ERR_NOMEM;
    else
        rc = fmt == MAP_SVG ? write_svg(R, main) : write_surface(R, fmt, main);
    if (!rc && wld)
        rc = write_world(R, wld);
    if (rc) {
        cw_atomic_abort(&a);
        return rc;
    }
    return cw_atomic_commit(&a);
}

static void release(struct render *R)
{
    for (size_t i = 0; i < R->nlayers; i++) {
        struct map_layer *l = &R->layers[i];
        cw_style_release(&l->style);
        cw_styled_release(&l->st);
        map_feats_release(R->ctx, &l->vec);
        cw_raster_release(&l->ras);
        free(l->title);
    }
    free(R->layers);
    map_feats_release(R->ctx, &R->base);
    map_view_release(&R->view);
    map_labels_release(&R->labels);
}

/* Layers coloured by the same field share one palette. */
static int share_palettes(struct render *R)
{
    struct cw_styled **group = malloc((R->nlayers + 1) * sizeof *group);
    if (!group)
        return cw_ctx_error(R->ctx, CW_ERR_NOMEM, "out of memory");
    int rc = CW_OK;
    for (size_t i = 0; i < R->nlayers && !rc; i++) {
        const struct cw_style *s = &R->layers[i].style;
        size_t n = 0;
        int first = 1;
        for (size_t j = 0; j < R->nlayers; j++) {
            const struct cw_style *t = &R->layers[j].style;
            if (R->layers[j].is_raster || t->by != CW_BY_CATEGORY || s->by != CW_BY_CATEGORY ||
                R->layers[i].is_raster || strcasecmp(s->field, t->field) != 0)
                continue;
            first &= j >= i;
            group[n++] = &R->layers[j].st;
        }
        if (n > 1 && first && cw_styled_share_palette(group, n))
            rc = cw_ctx_error(R->ctx, CW_ERR_NOMEM, "out of memory");
    }
    free(group);
    return rc;
}

/* Checks that some layer took the --labels field. */
static int labels_used(struct render *R)
{
    if (!R->o->labels)
        return CW_OK;
    for (size_t i = 0; i < R->nlayers; i++)
        if (R->layers[i].st.label_col >= 0)
            return CW_OK;
    return cw_ctx_error(R->ctx, CW_ERR_DATA, "no layer has the label field '%s'", R->o->labels);
}

int cw_map_render(struct cw_ctx *ctx, const struct cw_map_opts *o)
{
    enum map_format fmt = MAP_PNG;
    int rc = format_of(ctx, o->output, &fmt);
    if (rc)
        return rc;
    struct render R = { .ctx = ctx, .o = o };
    GDALAllRegister();
    if (!(R.layers = calloc(o->nlayers + 1, sizeof *R.layers)))
        return cw_ctx_error(ctx, CW_ERR_NOMEM, "out of memory");
    for (size_t i = 0; i < o->nlayers && !rc; i++) {
        R.nlayers = i + 1;
        rc = load_layer(&R, &o->layers[i], &R.layers[i]);
    }
    rc = rc ? rc : labels_used(&R);
    rc = rc ? rc : share_palettes(&R);
    if (!rc && o->basemap)
        rc = map_feats_read(ctx, o->basemap, NULL, 0, &R.base);
    rc = rc ? rc : cw_ctx_progress(ctx, 0.1, "projecting");
    double bb[4];
    if (!rc) {
        data_bbox(&R, bb);
        rc = map_view_init(ctx, o, bb, &R.view);
    }
    fonts_for(o, &R.fonts);
    rc = rc ? rc : write_map(&R, fmt);
    for (size_t i = 0; i < R.nlayers && !rc && o->qml; i++)
        if (!R.layers[i].is_raster)
            rc = map_write_qml(ctx, &R.layers[i], &R.fonts, o->overwrite);
    rc = rc ? rc : cw_ctx_progress(ctx, 1, "done");
    release(&R);
    return rc;
}
