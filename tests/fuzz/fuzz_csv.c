/* fuzz_csv.c: libFuzzer harness for the fast CSV/TSV reader
 * (cw_csv_parse). Each input is parsed four times: as given and with ','
 * and '\t' swapped (so comma and tab tables both get fuzzed, whichever
 * the mutator made), each as points and as attributes only. A table that
 * parses must hold what the reader promises: points within lon/lat
 * bounds, fields within their width, text that is UTF-8.
 * SPDX-License-Identifier: MIT
 */
#include <math.h>

#include "fuzz.h"
#include "../../src/read_priv.h"
#include "../../src/utf8.h"

static void check_layer(struct cw_ctx *ctx, const struct cw_layer *l, int attributes_only)
{
    GEOSContextHandle_t h = cw_ctx_geos(ctx);
    const struct cw_table *t = &l->attrs;
    if (!l->name || t->nfields == 0)
        abort();
    for (size_t r = 0; r < t->nrows; r++) {
        for (size_t f = 0; f < t->nfields; f++) {
            const char *v = cw_table_get(t, r, (int)f);
            if (v && (strlen(v) > t->fields[f].width || cw_utf8_check(v, strlen(v)) != strlen(v)))
                abort();
        }
        if (attributes_only)
            continue;
        double x, y;
        if (!l->geoms[r] || !GEOSGeomGetX_r(h, l->geoms[r], &x) ||
            !GEOSGeomGetY_r(h, l->geoms[r], &y) || !(fabs(x) <= 180) || !(fabs(y) <= 90))
            abort();
    }
}

static void parse(const uint8_t *data, size_t size, int swap, int attributes_only)
{
    struct cw_ctx *ctx = fuzz_ctx();
    struct cw_read_opts o = { .attributes_only = attributes_only };
    struct cw_layer l;
    char *buf = malloc(size + 1);
    if (!buf)
        return;
    memcpy(buf, data, size);
    buf[size] = '\0';
    for (size_t i = 0; swap && i < size; i++)
        buf[i] = buf[i] == ',' ? '\t' : buf[i] == '\t' ? ',' : buf[i];
    if (cw_csv_parse(ctx, swap ? "fuzz.tsv" : "fuzz.csv", buf, size, &o, &l) == CW_OK) {
        check_layer(ctx, &l, attributes_only);
        cw_layer_release(ctx, &l);
    }
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    for (int swap = 0; swap < 2; swap++)
        for (int attributes_only = 0; attributes_only < 2; attributes_only++)
            parse(data, size, swap, attributes_only);
    return 0;
}
