/* cities.c: a point layer checked as a set of cities: one point each,
 * unique ids, and an id order that serves as the tie-break rank.
 * SPDX-License-Identifier: MIT
 */
#include <ctype.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "cityweave/cities.h"

/* Ids compare as integers when both are integers ("9" < "10"), else as
 * bytes, so numeric GeoNames ids and text slugs both order naturally. */
static int is_integer(const char *s)
{
    if (*s == '-')
        s++;
    if (!*s || strlen(s) > 18)
        return 0;
    for (; *s; s++)
        if (!isdigit((unsigned char)*s))
            return 0;
    return 1;
}

static int id_cmp(const char *a, const char *b)
{
    if (is_integer(a) && is_integer(b)) {
        long long x = strtoll(a, NULL, 10), y = strtoll(b, NULL, 10);
        if (x != y)
            return x < y ? -1 : 1;
    }
    return strcmp(a, b);
}

/* An id with its integer value parsed once, not at every comparison. */
struct keyed {
    const char *id;
    long long num;
    int isnum;
    uint32_t index;
};

static int by_id(const void *pa, const void *pb)
{
    const struct keyed *a = pa, *b = pb;
    if (a->isnum && b->isnum && a->num != b->num)
        return a->num < b->num ? -1 : 1;
    return strcmp(a->id, b->id);
}

/* Ranks cities by id; equal neighbours in that order are duplicates. */
static int rank_ids(struct cw_ctx *ctx, struct cw_cities *c, const char *path)
{
    struct keyed *k = malloc((c->n ? c->n : 1) * sizeof *k);
    if (!k)
        return cw_ctx_error(ctx, CW_ERR_NOMEM, "out of memory");
    for (size_t i = 0; i < c->n; i++) {
        k[i] = (struct keyed){ c->id[i], 0, is_integer(c->id[i]), (uint32_t)i };
        if (k[i].isnum)
            k[i].num = strtoll(c->id[i], NULL, 10);
    }
    qsort(k, c->n, sizeof *k, by_id);
    int rc = CW_OK;
    for (size_t i = 0; i < c->n; i++) {
        c->rank[k[i].index] = (uint32_t)i;
        c->by_rank[i] = k[i].index;
        if (i && strcmp(k[i].id, k[i - 1].id) == 0) {
            size_t a = k[i - 1].index < k[i].index ? k[i - 1].index : k[i].index;
            size_t b = k[i - 1].index ^ k[i].index ^ a;
            rc = cw_ctx_error(ctx, CW_ERR_DATA, "'%s' row %zu: duplicate id '%s' (first at row %zu)",
                              path, b + 1, c->id[b], a + 1);
            break;
        }
    }
    free(k);
    return rc;
}

/* Fills id, name, lon and lat from the layer. */
static int extract(struct cw_ctx *ctx, struct cw_cities *c, const char *path)
{
    GEOSContextHandle_t h = cw_ctx_geos(ctx);
    for (size_t i = 0; i < c->n; i++) {
        const GEOSGeometry *g = c->layer.geoms[i];
        if (!g || GEOSGeomTypeId_r(h, g) != GEOS_POINT || GEOSisEmpty_r(h, g))
            return cw_ctx_error(ctx, CW_ERR_DATA, "'%s' row %zu: %s", path, i + 1,
                                g ? "geometry is not a point" : "no geometry");
        GEOSGeomGetX_r(h, g, &c->lon[i]);
        GEOSGeomGetY_r(h, g, &c->lat[i]);
        c->id[i] = cw_table_get(&c->layer.attrs, i, c->id_col);
        if (!c->id[i] || !*c->id[i])
            return cw_ctx_error(ctx, CW_ERR_DATA, "'%s' row %zu: empty id", path, i + 1);
        c->name[i] = c->name_col >= 0 ? cw_table_get(&c->layer.attrs, i, c->name_col) : NULL;
        if (!c->name[i])
            c->name[i] = "";
    }
    return CW_OK;
}

/* Without an id column, the 1-based row number is the id. */
static int add_row_ids(struct cw_ctx *ctx, struct cw_cities *c)
{
    c->id_col = cw_table_add_field(&c->layer.attrs, "id", CW_FT_INTEGER, -1);
    if (c->id_col < 0)
        return cw_ctx_error(ctx, CW_ERR_NOMEM, "out of memory");
    for (size_t i = 0; i < c->n; i++)
        if (cw_table_set_int(&c->layer.attrs, i, c->id_col, (long long)i + 1))
            return cw_ctx_error(ctx, CW_ERR_NOMEM, "out of memory");
    return CW_OK;
}

int cw_cities_from_layer(struct cw_ctx *ctx, struct cw_layer *layer,
                         const char *path, const char *id_field,
                         const char *name_field, struct cw_cities *out)
{
    int rc;
    memset(out, 0, sizeof *out);
    out->layer = *layer;
    cw_layer_init(layer);
    out->n = out->layer.attrs.nrows;
    out->id_col = cw_table_find(&out->layer.attrs, id_field ? id_field : "id");
    out->name_col = cw_table_find(&out->layer.attrs, name_field ? name_field : "name");
    if (out->id_col < 0 && id_field) {
        rc = cw_ctx_error(ctx, CW_ERR_DATA, "'%s': no id field '%s'", path, id_field);
        goto out;
    }
    if (name_field && out->name_col < 0) {
        rc = cw_ctx_error(ctx, CW_ERR_DATA, "'%s': no name field '%s'", path, name_field);
        goto out;
    }
    size_t n = out->n ? out->n : 1;
    out->lon = malloc(n * sizeof *out->lon);
    out->lat = malloc(n * sizeof *out->lat);
    out->id = malloc(n * sizeof *out->id);
    out->name = malloc(n * sizeof *out->name);
    out->rank = malloc(n * sizeof *out->rank);
    out->by_rank = malloc(n * sizeof *out->by_rank);
    if (!out->lon || !out->lat || !out->id || !out->name || !out->rank || !out->by_rank) {
        rc = cw_ctx_error(ctx, CW_ERR_NOMEM, "out of memory");
        goto out;
    }
    if ((out->id_col < 0 && (rc = add_row_ids(ctx, out))) ||
        (rc = extract(ctx, out, path)) || (rc = rank_ids(ctx, out, path)))
        goto out;
    return CW_OK;
out:
    cw_cities_release(ctx, out);
    return rc;
}

void cw_cities_release(struct cw_ctx *ctx, struct cw_cities *c)
{
    free(c->lon);
    free(c->lat);
    free(c->id);
    free(c->name);
    free(c->rank);
    free(c->by_rank);
    cw_layer_release(ctx, &c->layer);
    memset(c, 0, sizeof *c);
}

long cw_cities_lookup(const struct cw_cities *c, const char *key)
{
    size_t lo = 0, hi = c->n;
    while (lo < hi) {  /* binary search of the id order */
        size_t mid = lo + (hi - lo) / 2;
        int cmp = id_cmp(c->id[c->by_rank[mid]], key);
        if (cmp == 0)
            return (long)c->by_rank[mid];
        if (cmp < 0)
            lo = mid + 1;
        else
            hi = mid;
    }
    long found = -1;
    for (size_t i = 0; i < c->n; i++) {
        if (strcasecmp(c->name[i], key) == 0) {
            if (found >= 0)
                return -2;
            found = (long)i;
        }
    }
    return found;
}
