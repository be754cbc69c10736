/* style_resolve.c: a parsed style applied to a layer's attributes (or a
 * raster's values): the legend classes, each feature's class, and its line
 * width, point size and label priority in pixels.
 * SPDX-License-Identifier: MIT
 */
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cityweave/style.h"
#include "cityweave/units.h"

#define PALETTE_SIZE 16

static const struct cw_rgba grey = { 0.733, 0.733, 0.733, 1 };

void cw_styled_release(struct cw_styled *st)
{
    for (size_t i = 0; i < st->nclasses; i++) {
        free(st->classes[i].value);
        free(st->classes[i].label);
    }
    free(st->classes);
    free(st->cls);
    free(st->width);
    free(st->size);
    free(st->priority);
    memset(st, 0, sizeof *st);
    st->label_col = -1;
}

static int nomem(struct cw_ctx *ctx)
{
    return cw_ctx_error(ctx, CW_ERR_NOMEM, "out of memory");
}

/* Appends a class; takes @p value and @p label (owned). @return its index or -1. */
static int add(struct cw_styled *st, char *value, double lo, double hi, int lo_open,
               struct cw_rgba color, char *label)
{
    struct cw_style_class *g = realloc(st->classes, (st->nclasses + 1) * sizeof *g);
    if (!g || !label) {
        free(value);
        free(label);
        if (g)
            st->classes = g;
        return -1;
    }
    st->classes = g;
    g[st->nclasses] = (struct cw_style_class){ value, lo, hi, lo_open, color, label };
    return (int)st->nclasses++;
}

static char *dupf(const char *fmt, double a, double b)
{
    char buf[96];
    snprintf(buf, sizeof buf, fmt, a, b);
    return strdup(buf);
}

static int numeq(const char *a, const char *b)
{
    double x, y;
    return cw_parse_double(a, &x) == 0 && cw_parse_double(b, &y) == 0 && x == y;
}

int cw_styled_class_of(const struct cw_styled *st, const char *text, double v)
{
    for (size_t i = 0; i < st->nclasses; i++) {
        const struct cw_style_class *k = &st->classes[i];
        if (k->value && text && (strcmp(text, k->value) == 0 || numeq(text, k->value)))
            return (int)i;
        if (!isnan(k->lo) && v <= k->hi && (k->lo_open ? v > k->lo : v >= k->lo))
            return (int)i;
    }
    return -1;
}

/* The class= items, as given. */
static int explicit_classes(const struct cw_style *s, struct cw_styled *st)
{
    for (size_t i = 0; i < s->nclasses_set; i++) {
        const struct cw_style_class *k = &s->classes[i];
        char *value = k->value ? strdup(k->value) : NULL;
        if ((k->value && !value) ||
            add(st, value, k->lo, k->hi, 0, k->color, strdup(k->label)) < 0)
            return -1;
    }
    return 0;
}

/* Graduated classes: from breaks= (open-ended first and last classes), or
 * classes= equal intervals over [lo, hi]. Colours run along the ramp. */
static int graduated_classes(const struct cw_style *s, double lo, double hi, struct cw_styled *st)
{
    const char *ramp = s->ramp ? s->ramp : "greens";
    size_t n = s->breaks ? s->nbreaks + 1 : (hi > lo ? (size_t)s->nclasses : 1);
    for (size_t i = 0; i < n; i++) {
        double a, b;
        char *label;
        if (s->breaks) {
            a = i ? s->breaks[i - 1] : -INFINITY;
            b = i < s->nbreaks ? s->breaks[i] : INFINITY;
            label = !i ? dupf("%.4g or less", b, 0)
                       : i == s->nbreaks ? dupf("more than %.4g", a, 0) : dupf("%.4g to %.4g", a, b);
        } else {
            a = lo + (hi - lo) * (double)i / (double)n;
            b = i + 1 == n ? hi : lo + (hi - lo) * (double)(i + 1) / (double)n;
            label = dupf("%.4g to %.4g", a, b);
        }
        struct cw_rgba c;
        cw_ramp_at(ramp, n > 1 ? (double)i / (double)(n - 1) : 1, &c);
        if (add(st, NULL, a, b, i > 0, c, label) < 0)
            return -1;
    }
    return 0;
}

static int cmp_text(const void *a, const void *b)
{
    return strcmp(*(char *const *)a, *(char *const *)b);
}

static int cmp_num(const void *a, const void *b)
{
    double x, y;
    cw_parse_double(*(char *const *)a, &x);
    cw_parse_double(*(char *const *)b, &y);
    return x < y ? -1 : x > y ? 1 : strcmp(*(char *const *)a, *(char *const *)b);
}

/* Sorts the distinct strings of @p v (n) in place; @return how many. */
static size_t sort_unique(char **v, size_t n)
{
    int numeric = 1;
    double x;
    for (size_t i = 0; i < n; i++)
        numeric &= cw_parse_double(v[i], &x) == 0;
    qsort(v, n, sizeof *v, numeric ? cmp_num : cmp_text);
    size_t k = 0;
    for (size_t i = 0; i < n; i++)
        if (!k || strcmp(v[i], v[k - 1]) != 0)
            v[k++] = v[i];
    return k;
}

/* One class per distinct value of column @p col that no class= item
 * takes, sorted, in palette colours. */
static int category_classes(const struct cw_table *t, int col, struct cw_styled *st)
{
    st->nfixed = st->nclasses;
    char **v = malloc((t->nrows + 1) * sizeof *v);
    if (!v)
        return -1;
    size_t n = 0;
    double x;
    for (size_t r = 0; r < t->nrows; r++) {
        const char *s = cw_table_get(t, r, col);
        if (s && cw_styled_class_of(st, s, cw_parse_double(s, &x) ? NAN : x) < 0)
            v[n++] = (char *)s;
    }
    n = sort_unique(v, n);
    int rc = 0;
    /* Past the palette the rest share "other" grey. */
    for (size_t i = 0; i < n && i < PALETTE_SIZE && !rc; i++) {
        char *value = strdup(v[i]);
        rc = !value || add(st, value, NAN, NAN, 0, cw_palette(i), strdup(v[i])) < 0;
    }
    free(v);
    return rc;
}

/* A grey class for what no class holds: nulls, or values past the palette. */
static int catch_all(struct cw_styled *st, const char *label)
{
    for (size_t i = 0; i < st->nclasses; i++)
        if (isnan(st->classes[i].lo) && !st->classes[i].value &&
            strcmp(st->classes[i].label, label) == 0)
            return (int)i;
    return add(st, NULL, NAN, NAN, 0, grey, strdup(label));
}

static int find_field(struct cw_ctx *ctx, const struct cw_table *t, const char *path,
                      const char *what, const char *name, int *col)
{
    *col = -1;
    if (!name)
        return CW_OK;
    if ((*col = cw_table_find(t, name)) >= 0)
        return CW_OK;
    char list[256] = "";
    for (size_t f = 0; f < t->nfields; f++)
        snprintf(list + strlen(list), sizeof list - strlen(list), "%s%s", f ? ", " : "",
                 t->fields[f].name);
    return cw_ctx_error(ctx, CW_ERR_DATA, "'%s': no %s field '%s' (fields: %s)", path, what,
                        name, t->nfields ? list : "none");
}

/* Column @p col as numbers into out[] (nulls: NAN). */
static int numbers(struct cw_ctx *ctx, const struct cw_table *t, const char *path, int col,
                   double *out, double *lo, double *hi)
{
    *lo = INFINITY;
    *hi = -INFINITY;
    for (size_t r = 0; r < t->nrows; r++) {
        const char *s = cw_table_get(t, r, col);
        out[r] = NAN;
        if (!s || !*s)
            continue;
        if (cw_parse_double(s, &out[r]))
            return cw_ctx_error(ctx, CW_ERR_DATA, "'%s' row %zu: %s '%s' is not a number", path,
                                r + 1, t->fields[col].name, s);
        *lo = fmin(*lo, out[r]);
        *hi = fmax(*hi, out[r]);
    }
    return CW_OK;
}

/* Classes of every row of @p t by the style's colour rule. */
static int classify_rows(struct cw_ctx *ctx, const struct cw_style *s, const char *path,
                         const struct cw_table *t, int col, struct cw_styled *st)
{
    double lo, hi;
    if (s->by == CW_BY_FIXED) {
        struct cw_rgba c = s->color;
        if (add(st, NULL, NAN, NAN, 0, c, strdup(s->title ? s->title : "")) < 0)
            return nomem(ctx);
        memset(st->cls, 0, t->nrows * sizeof *st->cls);
        return CW_OK;
    }
    double *v = s->by == CW_BY_GRADUATED ? malloc((t->nrows + 1) * sizeof *v) : NULL;
    int rc = CW_OK;
    if (s->by == CW_BY_GRADUATED && !v)
        return nomem(ctx);
    if (v && (rc = numbers(ctx, t, path, col, v, &lo, &hi))) {
        free(v);
        return rc;
    }
    /* Categories: class= items first, then the other values in turn. */
    if (explicit_classes(s, st) || (v && !s->nclasses_set && graduated_classes(s, lo, hi, st)) ||
        (!v && category_classes(t, col, st))) {
        free(v);
        return nomem(ctx);
    }
    for (size_t r = 0; r < t->nrows && !rc; r++) {
        const char *text = cw_table_get(t, r, col);
        double x = v ? v[r] : NAN;
        if (!v && text && cw_parse_double(text, &x))
            x = NAN;
        int k = text && (!v || !isnan(x)) ? cw_styled_class_of(st, text, x) : -1;
        if (k < 0 && (k = catch_all(st, text ? "other" : "no value")) < 0)
            rc = nomem(ctx);
        st->cls[r] = k;
    }
    free(v);
    return rc;
}

/* Per-row pixel values of a numeric field: width linear from min to max,
 * size with the area proportional to the value. */
static int scaled(struct cw_ctx *ctx, const struct cw_table *t, const char *path, int col,
                  double fixed, double pmin, double pmax, int area,
                  double *out, double *vmin, double *vmax)
{
    if (col < 0) {
        for (size_t r = 0; r < t->nrows; r++)
            out[r] = fixed;
        return CW_OK;
    }
    double lo, hi;
    int rc = numbers(ctx, t, path, col, out, &lo, &hi);
    if (rc)
        return rc;
    *vmin = lo;
    *vmax = hi;
    for (size_t r = 0; r < t->nrows; r++) {
        double v = isnan(out[r]) ? lo : out[r], px;
        if (area)
            px = hi > 0 && v > 0 ? pmax * sqrt(v / hi) : pmin;
        else
            px = hi > lo ? pmin + (pmax - pmin) * (v - lo) / (hi - lo) : pmax;
        out[r] = fmax(px, pmin);
    }
    return CW_OK;
}

static int priorities(struct cw_ctx *ctx, const struct cw_table *t, const char *path, int col,
                      const double *size, struct cw_styled *st)
{
    double lo, hi;
    if (col >= 0) {
        int rc = numbers(ctx, t, path, col, st->priority, &lo, &hi);
        for (size_t r = 0; r < t->nrows && !rc; r++)
            if (isnan(st->priority[r]))
                st->priority[r] = -INFINITY;
        return rc;
    }
    /* No priority field: larger symbols first, then the layer's order. */
    for (size_t r = 0; r < t->nrows; r++)
        st->priority[r] = size ? size[r] : -(double)r;
    return CW_OK;
}

int cw_style_resolve(struct cw_ctx *ctx, const struct cw_style *s, const char *path,
                     const struct cw_table *t, struct cw_styled *out)
{
    memset(out, 0, sizeof *out);
    out->label_col = -1;
    size_t n = t->nrows ? t->nrows : 1;
    out->cls = malloc(n * sizeof *out->cls);
    out->width = malloc(n * sizeof *out->width);
    out->size = malloc(n * sizeof *out->size);
    out->priority = malloc(n * sizeof *out->priority);
    if (!out->cls || !out->width || !out->size || !out->priority) {
        cw_styled_release(out);
        return nomem(ctx);
    }
    int col, wcol, scol, pcol;
    int rc = find_field(ctx, t, path, s->by == CW_BY_GRADUATED ? "graduated" : "colour",
                        s->field, &col);
    rc = rc ? rc : find_field(ctx, t, path, "width", s->width_field, &wcol);
    rc = rc ? rc : find_field(ctx, t, path, "size", s->size_field, &scol);
    rc = rc ? rc : find_field(ctx, t, path, "label", s->label_field, &out->label_col);
    rc = rc ? rc : find_field(ctx, t, path, "priority", s->priority_field, &pcol);
    rc = rc ? rc : classify_rows(ctx, s, path, t, col, out);
    rc = rc ? rc : scaled(ctx, t, path, wcol, s->width, s->width_min, s->width_max, 0,
                          out->width, &out->vmin, &out->vmax);
    rc = rc ? rc : scaled(ctx, t, path, scol, s->size, s->size_min, s->size_max, 1,
                          out->size, &out->vmin, &out->vmax);
    rc = rc ? rc : priorities(ctx, t, path, pcol, scol >= 0 ? out->size : NULL, out);
    if (rc)
        cw_styled_release(out);
    return rc;
}

int cw_style_resolve_values(struct cw_ctx *ctx, const struct cw_style *s, const char *path,
                            const float *v, size_t n, struct cw_styled *out)
{
    memset(out, 0, sizeof *out);
    out->label_col = -1;
    if (s->nclasses_set == 0 && s->by != CW_BY_GRADUATED)
        return cw_ctx_error(ctx, CW_ERR_ARG, "'%s': a raster layer needs class= items or "
                                             "grad= in its style", path);
    double lo = INFINITY, hi = -INFINITY;
    for (size_t i = 0; i < n; i++)
        if (!isnan(v[i])) {
            lo = fmin(lo, v[i]);
            hi = fmax(hi, v[i]);
        }
    if (lo > hi)
        return cw_ctx_error(ctx, CW_ERR_DATA, "'%s': the raster holds only nodata", path);
    if (s->nclasses_set ? explicit_classes(s, out) : graduated_classes(s, lo, hi, out)) {
        cw_styled_release(out);
        return nomem(ctx);
    }
    return CW_OK;
}

int cw_styled_share_palette(struct cw_styled *const *sts, size_t n)
{
    size_t total = 0;
    for (size_t i = 0; i < n; i++)
        total += sts[i]->nclasses;
    char **v = malloc((total + 1) * sizeof *v);
    if (!v)
        return CW_ERR_NOMEM;
    size_t k = 0;
    for (size_t i = 0; i < n; i++)
        for (size_t c = sts[i]->nfixed; c < sts[i]->nclasses; c++)
            if (sts[i]->classes[c].value)
                v[k++] = sts[i]->classes[c].value;
    k = sort_unique(v, k);
    for (size_t i = 0; i < n; i++)
        for (size_t c = sts[i]->nfixed; c < sts[i]->nclasses; c++) {
            struct cw_style_class *cl = &sts[i]->classes[c];
            for (size_t j = 0; cl->value && j < k; j++)
                if (strcmp(cl->value, v[j]) == 0)
                    cl->color = cw_palette(j);
        }
    free(v);
    return CW_OK;
}
