/* fuzz_geojson.c: libFuzzer harness for the OGR reading path on GeoJSON:
 * the input becomes the in-memory file /vsimem/x.geojson, is read with
 * cw_layer_read and, when that succeeds, written back with our own
 * GeoJSON and CSV writers into the scratch directory (then removed). A
 * layer that reads must hold only UTF-8 text.
 * SPDX-License-Identifier: MIT
 */
#include <cpl_vsi.h>
#include <gdal.h>

#include "fuzz.h"
#include "../../src/utf8.h"

static void check_text(const struct cw_layer *l)
{
    for (size_t f = 0; f < l->attrs.nfields; f++)
        for (size_t r = 0; r < l->attrs.nrows; r++) {
            const char *v = cw_table_get(&l->attrs, r, (int)f);
            if (v && cw_utf8_check(v, strlen(v)) != strlen(v))
                abort();
        }
}

#define VSI_PATH "/vsimem/x.geojson"

/* The family of the first geometry; a later one of another family makes
 * the writer fail cleanly, which is worth fuzzing too. */
static enum cw_geom_type family(struct cw_ctx *ctx, const struct cw_layer *l)
{
    GEOSContextHandle_t h = cw_ctx_geos(ctx);
    for (size_t r = 0; r < l->attrs.nrows; r++) {
        if (!l->geoms[r])
            continue;
        switch (GEOSGeomTypeId_r(h, l->geoms[r])) {
        case GEOS_LINESTRING:
        case GEOS_MULTILINESTRING:
            return CW_GEOM_LINE;
        case GEOS_POLYGON:
        case GEOS_MULTIPOLYGON:
            return CW_GEOM_POLYGON;
        default:
            return CW_GEOM_POINT;
        }
    }
    return CW_GEOM_POINT;
}

static void write_back(struct cw_ctx *ctx, const struct cw_layer *l)
{
    static const struct { const char *name; enum cw_format format; } outs[] = {
        { "out.geojson", CW_FMT_GEOJSON }, { "out.csv", CW_FMT_CSV },
    };
    char path[512];
    for (size_t i = 0; i < sizeof outs / sizeof outs[0]; i++) {
        struct cw_write_opts wo = { .format = outs[i].format, .overwrite = 1 };
        fuzz_path(path, sizeof path, outs[i].name);
        cw_layer_write(ctx, l, path, &wo, family(ctx, l));
        unlink(path);
    }
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    struct cw_ctx *ctx = fuzz_ctx();
    struct cw_layer l;
    GByte *copy = malloc(size ? size : 1);
    if (!copy)
        return 0;
    memcpy(copy, data, size);
    VSILFILE *fp = VSIFileFromMemBuffer(VSI_PATH, copy, (vsi_l_offset)size, TRUE);
    if (!fp) {
        free(copy);
        return 0;
    }
    VSIFCloseL(fp);
    if (cw_layer_read(ctx, VSI_PATH, NULL, &l) == CW_OK) {
        check_text(&l);
        write_back(ctx, &l);
        cw_layer_release(ctx, &l);
    }
    VSIUnlink(VSI_PATH);
    return 0;
}
