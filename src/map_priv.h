/* map_priv.h: the parts of map rendering shared between its files: the
 * view (projection and pixel grid), projected geometry, the layers as
 * loaded and styled, label placement and the map furniture; private.
 * SPDX-License-Identifier: MIT
 */
#ifndef CW_MAP_PRIV_H
#define CW_MAP_PRIV_H

#include <stdio.h>

#include <cairo.h>
#include <pango/pangocairo.h>

#include "cityweave/layer.h"
#include "cityweave/map.h"
#include "cityweave/raster.h"
#include "cityweave/style.h"

/* The map's projection and its pixel grid: pixel (px, py) covers map
 * coordinates x0 + px*res .. x0 + (px+1)*res, y0 - py*res .. y0 - (py+1)*res. */
struct map_view {
    PJ *pj;             /* EPSG:4326 lon/lat -> the map CRS (x east, y north) */
    char *crs;          /* owned; the CRS definition as PROJ took it */
    double lon0;        /* central meridian: the seam is at lon0 + 180 */
    double x0, y0, res;
    int w, h;
    int world;          /* the whole globe is in view: draw its outline */
    double ll[4];       /* W, S, E, N: lon/lat box holding the view */
};

/* Picks the CRS (auto: Equal Earth when @p bbox, W S E N of the data, is
 * world-spanning, else Lambert azimuthal equal-area on its centre) and the
 * extent, fitted to the map's aspect. */
int map_view_init(struct cw_ctx *ctx, const struct cw_map_opts *o, const double bbox[4],
                  struct map_view *v);
void map_view_release(struct map_view *v);
/* lon/lat to pixel coordinates in place; a point PROJ cannot project
 * becomes NAN. */
void map_view_fwd(const struct map_view *v, double *x, double *y, size_t n);
/* The same for x[i * stride], y[i * stride] (x, y pairs: stride 2). */
void map_view_fwd_strided(const struct map_view *v, double *x, double *y, size_t stride,
                          size_t n);
/* Pixel coordinates to lon/lat in place (NAN where outside the projection). */
void map_view_inv(const struct map_view *v, double *x, double *y, size_t n);

/* Line parts: x, y pairs (lon/lat, then pixels) and where each part ends. */
struct map_path {
    double *xy;          /* x, y pairs */
    size_t n, cap;       /* points */
    size_t *ends;        /* end (exclusive) of each part */
    size_t nparts, pcap;
};
void map_path_release(struct map_path *p);
/* Room for @p n more points; a part ended (kept with one point or more).
 * @return 0, or -1 when out of memory. */
int map_path_reserve(struct map_path *p, size_t n);
int map_path_end_part(struct map_path *p);

/* A layer as drawn: points and lines as lon/lat parts, polygons as GEOS. */
struct map_feats {
    size_t n;                 /* features, = attrs.nrows */
    signed char *kind;        /* per feature: 0 points, 1 lines, 2 polygons, -1 none */
    size_t *first;            /* feature r has parts first[r] .. first[r + 1] - 1 */
    struct map_path coords;   /* the parts, lon/lat */
    GEOSGeometry **poly;      /* per feature: its polygons, else NULL */
    struct cw_table attrs;    /* the fields the style names (a table: all) */
};

/* A field a layer must have; @p what NULL: read it only if there. */
struct map_field {
    const char *name, *what;
};

/* Reads @p path (any OGR vector source, or a table with coordinate
 * columns) with the fields @p need. @return CW_OK, or an error: CW_ERR_DATA
 * "'PATH': no WHAT field 'F' (fields: ...)" for a missing field. */
int map_feats_read(struct cw_ctx *ctx, const char *path, const struct map_field *need,
                   size_t nneed, struct map_feats *out);
void map_feats_release(struct cw_ctx *ctx, struct map_feats *f);

/* Appends the lines of feature @p r, cut into parts that keep to one side
 * of the seam. @return 0, or -1 when out of memory. */
int map_line_cut(const struct map_view *v, const struct map_feats *f, size_t r,
                 struct map_path *cut);
/* Appends parts [p0, p1) of the projected @p in, clipped to the frame
 * grown by @p margin pixels, to @p out. @return 0, or -1 when out of memory. */
int map_path_clip(const struct map_view *v, const struct map_path *in, size_t p0, size_t p1,
                  double margin, struct map_path *out);
/* The (multi)polygon @p g cut at the seam, projected to pixels and clipped
 * to the frame grown by @p margin; NULL when nothing is left (or on error,
 * with @p rc set). */
GEOSGeometry *map_polygon_px(struct cw_ctx *ctx, const struct map_view *v,
                             const GEOSGeometry *g, double margin, int *rc);

/* A loaded, styled layer. */
struct map_layer {
    const char *path;
    char *title;               /* owned; legend heading */
    struct cw_style style;
    struct cw_styled st;
    struct map_feats vec;      /* vector layers */
    struct cw_raster ras;      /* raster layers (ras.v != NULL) */
    int is_raster;
    int geom_type;             /* 0 point, 1 line, 2 polygon, -1 empty */
};

/* Sizes of text and symbols, from the map's size. */
struct map_fonts {
    double label, title, legend, small;   /* pixels */
    const char *family;
};

void map_draw_background(cairo_t *cr, const struct map_view *v);
int map_draw_basemap(struct cw_ctx *ctx, cairo_t *cr, const struct map_view *v,
                     const struct map_feats *base);
int map_draw_layer(struct cw_ctx *ctx, cairo_t *cr, const struct map_view *v,
                   const struct map_layer *l);
void map_set_source(cairo_t *cr, struct cw_rgba c, double alpha);

/* A rectangle in pixels. */
struct map_box {
    double x0, y0, x1, y1;
};

/* A placed label: its text, box and where its layout is drawn. */
struct map_placed {
    const char *text;          /* borrowed from the layer's table */
    struct map_box box;
    double x, y;               /* top-left of the layout */
};

struct map_labels {
    struct map_placed *p;
    size_t n;
};

/* Places the labels of every layer, most important first, never two
 * overlapping, nor over @p obstacles (n of them) or outside the frame. */
int map_labels_place(struct cw_ctx *ctx, cairo_t *cr, const struct map_view *v,
                     const struct map_fonts *f, struct map_layer *layers, size_t nlayers,
                     const struct map_box *obstacles, size_t nobst, struct map_labels *out);
void map_labels_draw(cairo_t *cr, const struct map_fonts *f, const struct map_labels *lb);
void map_labels_release(struct map_labels *lb);

/* Title, legend, scale bar and attribution: laid out first (their boxes
 * keep labels away), drawn last. */
struct map_furniture {
    struct map_box box[4];     /* title, legend, scale bar, attribution */
    int has[4];
    double scale_m;            /* length of the scale bar, metres */
    double scale_px;
};
enum { MAP_TITLE, MAP_LEGEND, MAP_SCALE, MAP_ATTRIB };

void map_furniture_layout(cairo_t *cr, const struct map_view *v, const struct map_fonts *f,
                          const struct cw_map_opts *o, const struct map_layer *layers,
                          size_t nlayers, struct map_furniture *fu);
void map_furniture_draw(cairo_t *cr, const struct map_view *v, const struct map_fonts *f,
                        const struct cw_map_opts *o, const struct map_layer *layers,
                        size_t nlayers, const struct map_furniture *fu);

/* A Pango layout of @p text in @p family at @p px pixels (caller unrefs). */
PangoLayout *map_text(cairo_t *cr, const char *family, double px, int bold, const char *text);

/* @p s as XML text or attribute value (&, <, >, quotes escaped). */
void map_xml(FILE *fp, const char *s);

/* Writes PATH.qml beside the vector layer @p l (same look as the map). */
int map_write_qml(struct cw_ctx *ctx, const struct map_layer *l, const struct map_fonts *f,
                  int overwrite);

#endif
