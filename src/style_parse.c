/* style_parse.c: the style syntax (see style.h) into a cw_style, and the
 * colours it names: hex colours, the categorical palette, sequential ramps.
 * SPDX-License-Identifier: MIT
 */
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "cityweave/style.h"
#include "cityweave/units.h"

static int hexval(char c)
{
    if (c >= '0' && c <= '9')
        return c - '0';
    if (c >= 'a' && c <= 'f')
        return c - 'a' + 10;
    if (c >= 'A' && c <= 'F')
        return c - 'A' + 10;
    return -1;
}

int cw_rgba_parse(const char *s, struct cw_rgba *out)
{
    size_t n = s ? strlen(s) : 0;
    if (n < 4 || s[0] != '#' || (n != 4 && n != 7 && n != 9))
        return -1;
    int d[8];
    for (size_t i = 1; i < n; i++)
        if ((d[i - 1] = hexval(s[i])) < 0)
            return -1;
    if (n == 4) {
        *out = (struct cw_rgba){ d[0] * 17 / 255.0, d[1] * 17 / 255.0, d[2] * 17 / 255.0, 1 };
        return 0;
    }
    *out = (struct cw_rgba){ (d[0] * 16 + d[1]) / 255.0, (d[2] * 16 + d[3]) / 255.0,
                             (d[4] * 16 + d[5]) / 255.0,
                             n == 9 ? (d[6] * 16 + d[7]) / 255.0 : 1 };
    return 0;
}

static struct cw_rgba hex(unsigned v)
{
    return (struct cw_rgba){ (v >> 16) / 255.0, ((v >> 8) & 255) / 255.0, (v & 255) / 255.0, 1 };
}

/* Okabe & Ito (2008), "Color Universal Design", without black (kept for
 * outlines and text), then Paul Tol's muted scheme for categories 8-16:
 * both are told apart under the common colour-vision deficiencies. */
static const unsigned palette[] = {
    0xE69F00, 0x56B4E9, 0x009E73, 0xF0E442, 0x0072B2, 0xD55E00, 0xCC79A7,
    0x332288, 0x88CCEE, 0x44AA99, 0x117733, 0x999933, 0xDDCC77, 0xCC6677, 0x882255, 0xAA4499,
};
#define NPALETTE (sizeof palette / sizeof palette[0])

struct cw_rgba cw_palette(size_t i)
{
    return hex(i < NPALETTE ? palette[i] : 0xBBBBBB);
}

/* ColorBrewer sequential schemes (Brewer, colorbrewer2.org; all five are
 * marked colour-blind safe) and viridis, as five stops each. */
static const struct {
    const char *name;
    unsigned stop[5];
} ramps[] = {
    { "greens", { 0xFFFFCC, 0xC2E699, 0x78C679, 0x31A354, 0x006837 } },
    { "blues", { 0xEFF3FF, 0xBDD7E7, 0x6BAED6, 0x3182BD, 0x08519C } },
    { "oranges", { 0xFFFFD4, 0xFED98E, 0xFE9929, 0xD95F0E, 0x993404 } },
    { "purples", { 0xEDF8FB, 0xB3CDE3, 0x8C96C6, 0x8856A7, 0x810F7C } },
    { "viridis", { 0x440154, 0x3B528B, 0x21918C, 0x5EC962, 0xFDE725 } },
};

int cw_ramp_at(const char *name, double t, struct cw_rgba *out)
{
    for (size_t r = 0; r < sizeof ramps / sizeof ramps[0]; r++) {
        if (strcmp(ramps[r].name, name) != 0)
            continue;
        t = t < 0 ? 0 : t > 1 ? 1 : t;
        int i = t >= 1 ? 3 : (int)(t * 4);
        double f = t * 4 - i;
        struct cw_rgba a = hex(ramps[r].stop[i]), b = hex(ramps[r].stop[i + 1]);
        *out = (struct cw_rgba){ a.r + f * (b.r - a.r), a.g + f * (b.g - a.g),
                                 a.b + f * (b.b - a.b), 1 };
        return 0;
    }
    return -1;
}

void cw_style_release(struct cw_style *s)
{
    for (size_t i = 0; i < s->nclasses_set; i++) {
        free(s->classes[i].value);
        free(s->classes[i].label);
    }
    free(s->classes);
    free(s->field);
    free(s->ramp);
    free(s->breaks);
    free(s->width_field);
    free(s->size_field);
    free(s->label_field);
    free(s->priority_field);
    free(s->title);
    memset(s, 0, sizeof *s);
}

/* State of one parse, for messages. */
struct parser {
    struct cw_ctx *ctx;
    const char *what;   /* the layer */
    const char *key, *value;   /* the item being parsed */
};

static int bad(const struct parser *p, const char *why)
{
    return cw_ctx_error(p->ctx, CW_ERR_ARG, "'%s': style item '%s%s%s': %s", p->what, p->key,
                        p->value ? "=" : "", p->value ? p->value : "", why);
}

static int set_str(const struct parser *p, char **dst, const char *val)
{
    if (!*val)
        return bad(p, "empty value");
    free(*dst);
    if (!(*dst = strdup(val)))
        return cw_ctx_error(p->ctx, CW_ERR_NOMEM, "out of memory");
    return CW_OK;
}

/* "N" sets a fixed pixel value, anything else names a field. */
static int set_num_or_field(const struct parser *p, const char *val, double *num, char **field)
{
    double v;
    if (cw_parse_double(val, &v) == 0) {
        if (!(v > 0 && v <= 1000))
            return bad(p, "must be a number of pixels from 0 to 1000");
        *num = v;
        return CW_OK;
    }
    return set_str(p, field, val);
}

static int set_px(const struct parser *p, const char *val, double *out)
{
    if (cw_parse_double(val, out) || !(*out > 0 && *out <= 1000))
        return bad(p, "must be a number of pixels from 0 to 1000");
    return CW_OK;
}

static int set_breaks(const struct parser *p, struct cw_style *s, const char *val)
{
    size_t n = 1;
    for (const char *c = val; *c; c++)
        n += *c == ',';
    double *b = malloc(n * sizeof *b);
    char *copy = strdup(val);
    if (!b || !copy) {
        free(b);
        free(copy);
        return cw_ctx_error(p->ctx, CW_ERR_NOMEM, "out of memory");
    }
    size_t k = 0;
    for (char *save = NULL, *tok = strtok_r(copy, ",", &save); tok; tok = strtok_r(NULL, ",", &save))
        if (cw_parse_double(tok, &b[k]) || (k && b[k] <= b[k - 1]) || ++k > n)
            break;
    free(copy);
    if (k != n) {
        free(b);
        return bad(p, "breaks must be increasing numbers separated by commas");
    }
    free(s->breaks);
    s->breaks = b;
    s->nbreaks = n;
    return CW_OK;
}

/* class=V/#rrggbb/LABEL or class=LO..HI/#rrggbb/LABEL */
static int add_class(const struct parser *p, struct cw_style *s, const char *val)
{
    const char *c1 = strchr(val, '/'), *c2 = c1 ? strchr(c1 + 1, '/') : NULL;
    if (!c1 || !c2 || c1 == val || !c2[1])
        return bad(p, "expected class=VALUE/#rrggbb/LABEL or class=LO..HI/#rrggbb/LABEL");
    char colour[16];
    size_t nc = (size_t)(c2 - c1 - 1);
    struct cw_style_class k = { .lo = NAN, .hi = NAN };
    if (nc >= sizeof colour)
        return bad(p, "bad colour (use #rrggbb or #rrggbbaa)");
    memcpy(colour, c1 + 1, nc);
    colour[nc] = '\0';
    if (cw_rgba_parse(colour, &k.color))
        return bad(p, "bad colour (use #rrggbb or #rrggbbaa)");
    char *value = strndup(val, (size_t)(c1 - val)), *dots = value ? strstr(value, "..") : NULL;
    if (dots) {
        *dots = '\0';
        if (cw_parse_double(value, &k.lo) || cw_parse_double(dots + 2, &k.hi) || k.hi < k.lo) {
            free(value);
            return bad(p, "a range is LO..HI with LO <= HI");
        }
        free(value);
        value = NULL;
    } else if (value) {
        /* A number also matches raster cells and numeric fields as a number. */
        double x;
        if (cw_parse_double(value, &x) == 0)
            k.lo = k.hi = x;
    }
    struct cw_style_class *grown = realloc(s->classes, (s->nclasses_set + 1) * sizeof *grown);
    if (grown)
        s->classes = grown;
    k.value = value;
    k.label = strdup(c2 + 1);
    if (!grown || !k.label || (!dots && !value)) {
        free(k.value);
        free(k.label);
        return cw_ctx_error(p->ctx, CW_ERR_NOMEM, "out of memory");
    }
    s->classes[s->nclasses_set++] = k;
    return CW_OK;
}

static int set_colour_or_field(const struct parser *p, struct cw_style *s, const char *val)
{
    if (val[0] == '#') {
        if (cw_rgba_parse(val, &s->color))
            return bad(p, "bad colour (use #rrggbb or #rrggbbaa)");
        s->has_color = 1;
        s->by = CW_BY_FIXED;
        return CW_OK;
    }
    s->by = CW_BY_CATEGORY;
    return set_str(p, &s->field, val);
}

static int set_outline(const struct parser *p, struct cw_style *s, const char *val)
{
    if (strcmp(val, "none") == 0) {
        s->no_outline = 1;
        return CW_OK;
    }
    if (cw_rgba_parse(val, &s->outline))
        return bad(p, "bad colour (use #rrggbb, #rrggbbaa or none)");
    s->has_outline = 1;
    return CW_OK;
}

static int parse_item(struct parser *p, struct cw_style *s, char *item)
{
    p->key = item;
    p->value = NULL;
    char *eq = strchr(item, '=');
    if (!eq)
        return bad(p, "expected KEY=VALUE");
    *eq = '\0';
    const char *key = item, *val = eq + 1;
    p->value = val;
    int rc;
    double v;
    if (strcmp(key, "color") == 0 || strcmp(key, "colour") == 0 || strcmp(key, "fill") == 0)
        rc = set_colour_or_field(p, s, val);
    else if (strcmp(key, "grad") == 0) {
        s->by = CW_BY_GRADUATED;
        rc = set_str(p, &s->field, val);
    } else if (strcmp(key, "breaks") == 0)
        rc = set_breaks(p, s, val);
    else if (strcmp(key, "classes") == 0) {
        long n;
        rc = cw_parse_int(val, 2, 9, &n) ? bad(p, "classes must be 2 to 9") : CW_OK;
        s->nclasses = (int)n;
    } else if (strcmp(key, "ramp") == 0) {
        struct cw_rgba probe;
        rc = cw_ramp_at(val, 0, &probe) ? bad(p, "ramp must be greens, blues, oranges, "
                                               "purples or viridis")
                                        : set_str(p, &s->ramp, val);
    } else if (strcmp(key, "class") == 0)
        rc = add_class(p, s, val);
    else if (strcmp(key, "width") == 0)
        rc = set_num_or_field(p, val, &s->width, &s->width_field);
    else if (strcmp(key, "size") == 0)
        rc = set_num_or_field(p, val, &s->size, &s->size_field);
    else if (strcmp(key, "minwidth") == 0)
        rc = set_px(p, val, &s->width_min);
    else if (strcmp(key, "maxwidth") == 0)
        rc = set_px(p, val, &s->width_max);
    else if (strcmp(key, "minsize") == 0)
        rc = set_px(p, val, &s->size_min);
    else if (strcmp(key, "maxsize") == 0)
        rc = set_px(p, val, &s->size_max);
    else if (strcmp(key, "opacity") == 0) {
        rc = cw_parse_double(val, &v) || v < 0 || v > 1 ? bad(p, "opacity must be 0 to 1")
                                                       : CW_OK;
        s->opacity = v;
    } else if (strcmp(key, "outline") == 0)
        rc = set_outline(p, s, val);
    else if (strcmp(key, "label") == 0)
        rc = set_str(p, &s->label_field, val);
    else if (strcmp(key, "priority") == 0)
        rc = set_str(p, &s->priority_field, val);
    else if (strcmp(key, "title") == 0)
        rc = set_str(p, &s->title, val);
    else
        rc = bad(p, "unknown key (color, fill, grad, breaks, classes, ramp, class, width, "
                    "size, minwidth, maxwidth, minsize, maxsize, opacity, outline, label, "
                    "priority, title)");
    *eq = '=';
    return rc;
}

int cw_style_parse(struct cw_ctx *ctx, const char *what, const char *text, struct cw_style *out)
{
    memset(out, 0, sizeof *out);
    out->opacity = 0.7;
    out->nclasses = 5;
    out->width = 1.2;
    out->size = 5;
    out->width_min = 0.6;
    out->width_max = 5;
    out->size_min = 3;
    out->size_max = 16;
    out->color = (struct cw_rgba){ 0.0, 0.447, 0.698, 1 };   /* Okabe-Ito blue */
    if (!text || !*text)
        return CW_OK;
    char *copy = strdup(text);
    if (!copy)
        return cw_ctx_error(ctx, CW_ERR_NOMEM, "out of memory");
    struct parser p = { ctx, what, NULL, NULL };
    int rc = CW_OK;
    for (char *save = NULL, *item = strtok_r(copy, ";", &save); item && !rc;
         item = strtok_r(NULL, ";", &save))
        rc = parse_item(&p, out, item);
    free(copy);
    if (!rc && out->width_min > out->width_max)
        rc = cw_ctx_error(ctx, CW_ERR_ARG, "'%s': style: minwidth is above maxwidth", what);
    if (!rc && out->size_min > out->size_max)
        rc = cw_ctx_error(ctx, CW_ERR_ARG, "'%s': style: minsize is above maxsize", what);
    if (rc)
        cw_style_release(out);
    return rc;
}
