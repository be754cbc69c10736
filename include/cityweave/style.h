/* style.h: how a map layer looks: the style syntax, its parsing, and the
 * classes (colour and legend label) each feature falls into.
 * SPDX-License-Identifier: MIT
 *
 * A style is a list of KEY=VALUE items separated by ';':
 *
 *   color=#rrggbb[aa] | color=FIELD    one colour, or one per category of
 *                                      FIELD (Okabe-Ito palette; fill= is
 *                                      the same key)
 *   grad=FIELD                         graduated colour by a numeric field
 *   breaks=B1,B2,...  classes=N        graduated class limits (default: N=5
 *                                      equal intervals from the data)
 *   ramp=greens|blues|oranges|purples|viridis    graduated ramp
 *   class=V/#rrggbb/LABEL              explicit category: value V, or values
 *   class=LO..HI/#rrggbb/LABEL         LO to HI; repeatable; rasters need it;
 *                                      with color=FIELD, values no class=
 *                                      takes get palette colours
 *   width=N | width=FIELD              line width in pixels, or scaled by
 *                                      FIELD from minwidth to maxwidth
 *   size=N | size=FIELD                point diameter in pixels, or with the
 *                                      area proportional to FIELD up to maxsize
 *   opacity=A                          polygon fill opacity, 0 to 1
 *   outline=#rrggbb[aa] | outline=none polygon and point outline
 *   label=FIELD  priority=FIELD        labels, and which win where they collide
 *   title=TEXT                         the layer's name in the legend
 */
#ifndef CITYWEAVE_STYLE_H
#define CITYWEAVE_STYLE_H

#include <stddef.h>

#include "cityweave/ctx.h"
#include "cityweave/table.h"

struct cw_rgba {
    double r, g, b, a;   /**< 0..1, not premultiplied */
};

/** One legend entry and the features that fall in it. */
struct cw_style_class {
    char *value;        /**< owned; categorical value, NULL for a range */
    double lo, hi;      /**< range classes: lo <= v <= hi, or lo < v when lo_open */
    int lo_open;
    struct cw_rgba color;
    char *label;        /**< owned legend text */
};

enum cw_style_by { CW_BY_FIXED, CW_BY_CATEGORY, CW_BY_GRADUATED };

struct cw_style {
    enum cw_style_by by;
    char *field;                 /**< owned; category or graduated field */
    struct cw_rgba color;        /**< CW_BY_FIXED colour */
    int has_color;               /**< color= was given as a colour */
    struct cw_rgba outline;
    int has_outline, no_outline;
    double opacity;              /**< polygon fill opacity (default 0.7) */
    char *ramp;                  /**< owned; default "greens" */
    double *breaks;              /**< owned; interior limits given by breaks= */
    size_t nbreaks;
    int nclasses;                /**< classes= (default 5) */
    struct cw_style_class *classes;   /**< owned; explicit (class=) then resolved */
    size_t nclasses_set;
    char *width_field, *size_field;   /**< owned */
    double width, width_min, width_max;
    double size, size_min, size_max;
    char *label_field, *priority_field, *title;   /**< owned */
};

/** Parses @p text (may be NULL: the default style) into @p out; @p what
 *  names the layer in messages. @return CW_OK or CW_ERR_ARG ("LAYER: style
 *  item 'x': ..."). On error @p out is released. */
int cw_style_parse(struct cw_ctx *ctx, const char *what, const char *text,
                   struct cw_style *out);
void cw_style_release(struct cw_style *s);

/** @return 0 and the colour of "#rgb", "#rrggbb" or "#rrggbbaa", else -1. */
int cw_rgba_parse(const char *s, struct cw_rgba *out);
/** The sequential ramp @p name at @p t in [0,1]; -1 for an unknown name. */
int cw_ramp_at(const char *name, double t, struct cw_rgba *out);
/** The i-th colour of the categorical palette (Okabe-Ito without black,
 *  then Paul Tol's muted scheme); i beyond its end is grey. */
struct cw_rgba cw_palette(size_t i);

/** What each feature of a table looks like, once the style is resolved. */
struct cw_styled {
    struct cw_style_class *classes;   /**< owned; one legend entry each */
    size_t nclasses;
    int *cls;           /**< owned; per row: class index, -1 = not drawn */
    double *width;      /**< owned; per row line width (px) */
    double *size;       /**< owned; per row point diameter (px) */
    double *priority;   /**< owned; per row label priority (higher wins) */
    size_t nfixed;      /**< classes[0..nfixed) came from class= items */
    int label_col;      /**< label field column, -1 = no labels */
    double vmin, vmax;  /**< range of the width or size field, for the legend */
};

/** Resolves @p s against the attributes @p t of @p path: checks that every
 *  field named exists (CW_ERR_DATA "'PATH': no colour field 'F' (fields:
 *  ...)" otherwise) and computes classes and per-row values. Categories are
 *  sorted (numerically when all are numbers) and take the palette's
 *  colours in turn; past its 16 colours the rest share an "other" grey. */
int cw_style_resolve(struct cw_ctx *ctx, const struct cw_style *s, const char *path,
                     const struct cw_table *t, struct cw_styled *out);
/** Resolves a style against raster values @p v (n of them, NaN = nodata):
 *  class= entries or grad=. The class of each value is then cw_styled_class_of. */
int cw_style_resolve_values(struct cw_ctx *ctx, const struct cw_style *s, const char *path,
                            const float *v, size_t n, struct cw_styled *out);
/** @return the class index of number @p v (or text @p text for categories),
 *  -1 when none. */
int cw_styled_class_of(const struct cw_styled *st, const char *text, double v);
void cw_styled_release(struct cw_styled *st);
/** Gives the automatic categories of @p n styles (all of one field) one
 *  palette over the union of their values, so a value has the same colour
 *  on every layer (clusters and their hulls). @return CW_OK or CW_ERR_NOMEM. */
int cw_styled_share_palette(struct cw_styled *const *sts, size_t n);

#endif
