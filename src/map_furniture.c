/* map_furniture.c: the title, the legend, the scale bar and the
 * attribution line. Each is measured by the same function that draws it
 * (draw = 0), so the boxes that keep labels away are the boxes drawn.
 * SPDX-License-Identifier: MIT
 */
#include <math.h>
#include <stdio.h>
#include <string.h>

#include "cityweave/geodesic.h"
#include "map_priv.h"

/* A scale bar is drawn when the ground length of a pixel, along x and
 * along y, at the centre, the corners and the sides, varies by no more
 * than this ratio: past it a single bar would mislead. */
#define SCALE_TOLERANCE 1.05

static double pad_of(const struct map_fonts *f)
{
    return 0.5 * f->legend;
}

static void panel(cairo_t *cr, const struct map_box *b)
{
    cairo_rectangle(cr, b->x0, b->y0, b->x1 - b->x0, b->y1 - b->y0);
    cairo_set_source_rgba(cr, 1, 1, 1, 0.88);
    cairo_fill_preserve(cr);
    cairo_set_source_rgba(cr, 0.6, 0.6, 0.6, 1);
    cairo_set_line_width(cr, 0.6);
    cairo_set_line_join(cr, CAIRO_LINE_JOIN_MITER);
    cairo_stroke(cr);
}

/* Text at (x, y) (top-left); @return its size in w, h. */
static void text_at(cairo_t *cr, const char *family, double px, int bold, int wrap_px,
                    const char *text, double x, double y, int draw, double *w, double *h)
{
    PangoLayout *lay = map_text(cr, family, px, bold, text);
    if (wrap_px > 0) {
        pango_layout_set_width(lay, wrap_px * PANGO_SCALE);
        pango_layout_set_wrap(lay, PANGO_WRAP_WORD);
    }
    PangoRectangle logical;
    pango_layout_get_pixel_extents(lay, NULL, &logical);
    *w = logical.width;
    *h = logical.height;
    if (draw) {
        cairo_move_to(cr, x, y);
        cairo_set_source_rgb(cr, 0.13, 0.13, 0.13);
        pango_cairo_show_layout(cr, lay);
    }
    g_object_unref(lay);
}

/* One legend swatch of a layer's geometry type, in a @p s square at x, y. */
static void swatch(cairo_t *cr, const struct map_layer *l, struct cw_rgba c, double x,
                   double y, double s, double size, double width)
{
    cairo_new_path(cr);
    if (l->is_raster || l->geom_type == 2) {
        cairo_rectangle(cr, x + 1, y + 1, s - 2, s - 2);
        map_set_source(cr, c, l->is_raster ? 1 : l->style.opacity);
        cairo_fill_preserve(cr);
        map_set_source(cr, c, 1);
        cairo_set_line_width(cr, 0.8);
        cairo_stroke(cr);
    } else if (l->geom_type == 1) {
        cairo_move_to(cr, x, y + s / 2);
        cairo_line_to(cr, x + s, y + s / 2);
        map_set_source(cr, c, 1);
        cairo_set_line_width(cr, width);
        cairo_set_line_cap(cr, CAIRO_LINE_CAP_ROUND);
        cairo_stroke(cr);
    } else {
        cairo_arc(cr, x + s / 2, y + s / 2, size / 2, 0, 2 * M_PI);
        map_set_source(cr, c, 1);
        cairo_fill_preserve(cr);
        cairo_set_source_rgb(cr, 1, 1, 1);
        cairo_set_line_width(cr, 0.8);
        cairo_stroke(cr);
    }
}

/* @p v for a reader: whole numbers with thousands separators. */
static char *number(char *buf, size_t n, double v)
{
    if (v != floor(v) || fabs(v) >= 1e15) {
        snprintf(buf, n, "%.4g", v);
        return buf;
    }
    char digits[24];
    int len = snprintf(digits, sizeof digits, "%.0f", fabs(v)), k = 0;
    if (v < 0 && n > 1)
        buf[k++] = '-';
    for (int i = 0; i < len && (size_t)k + 2 < n; i++) {
        if (i && (len - i) % 3 == 0)
            buf[k++] = ',';
        buf[k++] = digits[i];
    }
    buf[k] = '\0';
    return buf;
}

/* Two class= items with one label and colour (forest: 6..9 and 11) are
 * one legend entry. */
static int same_as_before(const struct cw_styled *st, size_t k)
{
    const struct cw_style_class *c = &st->classes[k];
    for (size_t i = 0; i < k; i++)
        if (strcmp(st->classes[i].label, c->label) == 0 &&
            memcmp(&st->classes[i].color, &c->color, sizeof c->color) == 0)
            return 1;
    return 0;
}

/* Lays out (and with @p draw, draws) the legend from (x, y); @return its
 * size in w, h. */
static void legend(cairo_t *cr, const struct map_fonts *f, const struct map_layer *layers,
                   size_t nlayers, double x, double y, int draw, double *w, double *h)
{
    double p = pad_of(f), s = f->legend * 1.3, cy = y + p, tw, th, wmax = 0;
    for (size_t li = 0; li < nlayers; li++) {
        const struct map_layer *l = &layers[li];
        const struct cw_styled *st = &l->st;
        int single = st->nclasses == 1 && !l->is_raster;
        if (!single) {
            text_at(cr, f->family, f->legend, 1, 0, l->title, x + p, cy, draw, &tw, &th);
            wmax = fmax(wmax, tw);
            cy += th + 0.2 * p;
        }
        for (size_t k = 0; k < st->nclasses; k++) {
            const char *label = single ? l->title : st->classes[k].label;
            if (same_as_before(st, k))
                continue;
            /* Sized by a field: a middling symbol stands for the class. */
            double sz = l->style.size_field ? 0.6 * s : fmin(s, l->style.size);
            double lw = l->style.width_field ? 0.25 * s : fmin(s / 2, l->style.width);
            if (draw)
                swatch(cr, l, st->classes[k].color, x + p, cy, s, sz, lw);
            text_at(cr, f->family, f->legend, 0, 0, label, x + p + s + 0.5 * p, cy, draw, &tw,
                    &th);
            wmax = fmax(wmax, s + 0.5 * p + tw);
            cy += fmax(s, th) + 0.2 * p;
        }
        /* Sizes by a field: the smallest and largest symbol, and values. */
        if ((l->geom_type == 0 && l->style.size_field) || (l->geom_type == 1 && l->style.width_field)) {
            const char *field = l->geom_type ? l->style.width_field : l->style.size_field;
            double vals[2] = { st->vmin, st->vmax };
            for (int i = 0; i < 2; i++) {
                char label[96], num[32];
                double px = l->geom_type ? (i ? l->style.width_max : l->style.width_min)
                                         : (i ? l->style.size_max : l->style.size_min);
                snprintf(label, sizeof label, "%s %s", field, number(num, sizeof num, vals[i]));
                double box = fmax(s, l->geom_type ? s : px + 2);
                if (draw)
                    swatch(cr, l, (struct cw_rgba){ 0.45, 0.45, 0.45, 1 }, x + p, cy, box,
                           px, px);
                text_at(cr, f->family, f->legend, 0, 0, label, x + p + box + 0.5 * p, cy, draw,
                        &tw, &th);
                wmax = fmax(wmax, box + 0.5 * p + tw);
                cy += fmax(box, th) + 0.2 * p;
            }
        }
        cy += 0.4 * p;
    }
    *w = wmax + 2 * p;
    *h = cy - y + 0.4 * p;
}

/* Ground metres per pixel along x and y at pixel (px, py); NAN off the globe. */
static void ground(const struct map_view *v, const struct cw_geod *g, double px, double py,
                   double out[2])
{
    double x[3] = { px, px + 1, px }, y[3] = { py, py, py + 1 };
    map_view_inv(v, x, y, 3);
    out[0] = out[1] = NAN;
    if (isnan(x[0]) || isnan(x[1]) || isnan(x[2]))
        return;
    cw_geod_inverse(g, x[0], y[0], x[1], y[1], &out[0], NULL, NULL);
    cw_geod_inverse(g, x[0], y[0], x[2], y[2], &out[1], NULL, NULL);
}

/* The scale bar's length in metres and pixels, or 0 when the scale varies
 * too much over the map for one bar. */
static void scale_bar(const struct map_view *v, double *metres, double *px)
{
    struct cw_geod g;
    cw_geod_init(&g, 0);
    double lo = INFINITY, hi = 0, centre[2];
    for (int i = 0; i < 9; i++) {
        double m[2];
        ground(v, &g, (i % 3) * (v->w - 1) / 2.0, (i / 3) * (v->h - 1) / 2.0, m);
        if (isnan(m[0]) || isnan(m[1]) || !(m[0] > 0) || !(m[1] > 0)) {
            *metres = *px = 0;
            return;
        }
        lo = fmin(lo, fmin(m[0], m[1]));
        hi = fmax(hi, fmax(m[0], m[1]));
        if (i == 4)
            memcpy(centre, m, sizeof centre);
    }
    if (hi / lo > SCALE_TOLERANCE) {
        *metres = *px = 0;
        return;
    }
    /* About a sixth of the width, rounded down to 1, 2 or 5 x 10^k. */
    double want = centre[0] * v->w / 6, e = pow(10, floor(log10(want))), m = want / e;
    *metres = (m >= 5 ? 5 : m >= 2 ? 2 : 1) * e;
    *px = *metres / centre[0];
}

static void scale_draw(cairo_t *cr, const struct map_fonts *f, double metres, double px,
                       double x, double y, int draw, double *w, double *h)
{
    char label[32];
    double tw, th, p = pad_of(f), bar = 0.4 * f->small;
    if (metres >= 1000)
        snprintf(label, sizeof label, "%g km", metres / 1000);
    else
        snprintf(label, sizeof label, "%g m", metres);
    text_at(cr, f->family, f->small, 0, 0, label, x + p + px + 0.4 * p, y + p, draw, &tw, &th);
    *w = px + 0.4 * p + tw + 2 * p;
    *h = fmax(th, bar) + 2 * p;
    if (!draw)
        return;
    double by = y + p + (th - bar) / 2;
    for (int i = 0; i < 4; i++) {
        cairo_rectangle(cr, x + p + i * px / 4, by, px / 4, bar);
        cairo_set_source_rgb(cr, i % 2 ? 1 : 0.2, i % 2 ? 1 : 0.2, i % 2 ? 1 : 0.2);
        cairo_fill_preserve(cr);
        cairo_set_source_rgb(cr, 0.2, 0.2, 0.2);
        cairo_set_line_width(cr, 0.6);
        cairo_stroke(cr);
    }
}

/* Each piece of furniture, measured or drawn at its box. */
static void furniture(cairo_t *cr, const struct map_view *v, const struct map_fonts *f,
                      const struct cw_map_opts *o, const struct map_layer *layers,
                      size_t nlayers, struct map_furniture *fu, int draw)
{
    double m = f->small, p = pad_of(f), w, h;
    if (o->title) {
        text_at(cr, f->family, f->title, 1, (int)(v->w * 0.7), o->title, m + p, m + p, 0,
                &w, &h);
        fu->box[MAP_TITLE] = (struct map_box){ m, m, m + w + 2 * p, m + h + 2 * p };
        fu->has[MAP_TITLE] = 1;
    }
    double bottom = v->h - m;
    if (o->attribution) {
        int wrap = (int)(v->w * 0.55);
        text_at(cr, f->family, f->small, 0, wrap, o->attribution, 0, 0, 0, &w, &h);
        double x = v->w - m - w - 2 * p, y = bottom - h - 2 * p;
        fu->box[MAP_ATTRIB] = (struct map_box){ x, y, v->w - m, bottom };
        fu->has[MAP_ATTRIB] = 1;
        if (draw) {
            panel(cr, &fu->box[MAP_ATTRIB]);
            text_at(cr, f->family, f->small, 0, wrap, o->attribution, x + p, y + p, 1, &w, &h);
        }
        bottom = y - 0.5 * m;
    }
    if (fu->scale_px > 0) {
        scale_draw(cr, f, fu->scale_m, fu->scale_px, 0, 0, 0, &w, &h);
        double x = v->w - m - w, y = bottom - h;
        fu->box[MAP_SCALE] = (struct map_box){ x, y, x + w, y + h };
        fu->has[MAP_SCALE] = 1;
        if (draw) {
            panel(cr, &fu->box[MAP_SCALE]);
            scale_draw(cr, f, fu->scale_m, fu->scale_px, x, y, 1, &w, &h);
        }
    }
    if (o->legend && nlayers) {
        legend(cr, f, layers, nlayers, 0, 0, 0, &w, &h);
        double y = v->h - m - h;
        fu->box[MAP_LEGEND] = (struct map_box){ m, y, m + w, y + h };
        fu->has[MAP_LEGEND] = 1;
        if (draw) {
            panel(cr, &fu->box[MAP_LEGEND]);
            legend(cr, f, layers, nlayers, m, y, 1, &w, &h);
        }
    }
    if (draw && o->title) {
        panel(cr, &fu->box[MAP_TITLE]);
        text_at(cr, f->family, f->title, 1, (int)(v->w * 0.7), o->title, m + p, m + p, 1, &w,
                &h);
    }
}

void map_furniture_layout(cairo_t *cr, const struct map_view *v, const struct map_fonts *f,
                          const struct cw_map_opts *o, const struct map_layer *layers,
                          size_t nlayers, struct map_furniture *fu)
{
    memset(fu, 0, sizeof *fu);
    scale_bar(v, &fu->scale_m, &fu->scale_px);
    furniture(cr, v, f, o, layers, nlayers, fu, 0);
}

void map_furniture_draw(cairo_t *cr, const struct map_view *v, const struct map_fonts *f,
                        const struct cw_map_opts *o, const struct map_layer *layers,
                        size_t nlayers, const struct map_furniture *fu)
{
    struct map_furniture copy = *fu;
    furniture(cr, v, f, o, layers, nlayers, &copy, 1);
}
