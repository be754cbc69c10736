/* raster_write.c: a class grid to GeoTIFF with its colour table, through
 * a temporary file.
 * SPDX-License-Identifier: MIT
 */
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cpl_error.h>
#include <cpl_string.h>
#include <gdal.h>

#include "atomic_file.h"
#include "cityweave/raster.h"

static int style(GDALRasterBandH b, const struct cw_class_colour *ct, size_t n)
{
    GDALColorTableH t = GDALCreateColorTable(GPI_RGB);
    int top = 0;
    for (size_t i = 0; i < n; i++)
        if (ct[i].code > top)
            top = ct[i].code;
    for (int code = 0; code <= top; code++) {
        const struct cw_class_colour *e = NULL;
        for (size_t i = 0; i < n; i++)
            if (ct[i].code == code)
                e = &ct[i];
        GDALColorEntry c = {e ? e->r : 0, e ? e->g : 0, e ? e->b : 0, e ? 255 : 0};
        GDALSetColorEntry(t, code, &c);
    }
    /* category names would go to a .aux.xml beside the file (PAM is off
     * for that reason); the colour table is stored in the TIFF itself */
    int ok = GDALSetRasterColorTable(b, t) == CE_None;
    GDALDestroyColorTable(t);
    return ok;
}

/* What one band holds: bytes with a colour table, or floats. */
struct band {
    GDALDataType type;
    const void *v;
    size_t size;                        /* bytes per value */
    double nodata;
    const struct cw_class_colour *ct;   /* NULL: no colour table */
    size_t nct;
};

/* Strip-wise writes, each one a checked write for the fault-injection
 * tests. */
static int write_rows(struct cw_ctx *ctx, GDALRasterBandH b, const struct cw_grid *g,
                      const struct band *d)
{
    const int strip = 256;
    for (int r = 0; r < g->ny; r += strip) {
        int h = g->ny - r < strip ? g->ny - r : strip;
        if (cw_ctx_inject_write_fault(ctx))
            return 0;
        const char *rows = (const char *)d->v + (size_t)r * g->nx * d->size;
        if (GDALRasterIO(b, GF_Write, 0, r, g->nx, h, (void *)rows, g->nx, h, d->type, 0, 0) !=
            CE_None)
            return 0;
    }
    return 1;
}

static int write_tiff(struct cw_ctx *ctx, const char *tmp, const struct cw_grid *g,
                      const struct band *d)
{
    /* DEFLATE on every thread: the bytes do not depend on their number;
     * level 1 writes 100 million classes in a second, 12 % larger than 6 */
    char threads[32];
    snprintf(threads, sizeof threads, "NUM_THREADS=%d", cw_ctx_threads(ctx));
    const char *co[] = {"COMPRESS=DEFLATE", "ZLEVEL=1", "TILED=YES", threads,
                        d->type == GDT_Float32 ? "PREDICTOR=3" : NULL, NULL};
    GDALDriverH drv = GDALGetDriverByName("GTiff");
    GDALDatasetH ds = drv ? GDALCreate(drv, tmp, g->nx, g->ny, 1, d->type, (char **)co) : NULL;
    if (!ds)
        return 0;
    GDALRasterBandH b = GDALGetRasterBand(ds, 1);
    double gt[6];
    memcpy(gt, g->gt, sizeof gt);
    int ok = GDALSetGeoTransform(ds, gt) == CE_None &&
             (!g->wkt || GDALSetProjection(ds, g->wkt) == CE_None) &&
             GDALSetRasterNoDataValue(b, d->nodata) == CE_None &&
             (!d->ct || style(b, d->ct, d->nct)) && write_rows(ctx, b, g, d);
    GDALClose(ds);   /* flushes; a failure here shows in the error state */
    return ok && CPLGetLastErrorType() < CE_Failure;
}

static int write_band(struct cw_ctx *ctx, const char *path, const struct cw_grid *g,
                      const struct band *d, int overwrite)
{
    struct cw_atomic a;
    int rc = cw_atomic_begin(ctx, path, overwrite, &a);
    if (rc)
        return rc;
    const char *tmp = cw_atomic_add(&a, ".tmp.tif");
    if (!tmp) {
        cw_atomic_abort(&a);
        return CW_ERR_NOMEM;
    }
    CPLPushErrorHandler(CPLQuietErrorHandler);
    CPLErrorReset();
    GDALAllRegister();
    /* no .aux.xml may appear beside the temporary file */
    CPLSetThreadLocalConfigOption("GDAL_PAM_ENABLED", "NO");
    if (!write_tiff(ctx, tmp, g, d)) {
        const char *m = CPLGetLastErrorMsg();
        rc = cw_ctx_error(ctx, CW_ERR_IO, "'%s': cannot write the GeoTIFF%s%s", path,
                          m && *m ? ": " : "", m ? m : "");
    }
    CPLSetThreadLocalConfigOption("GDAL_PAM_ENABLED", NULL);
    CPLPopErrorHandler();
    if (rc) {
        cw_atomic_abort(&a);
        return rc;
    }
    return cw_atomic_commit(&a);
}

int cw_raster_write_classes(struct cw_ctx *ctx, const char *path, const struct cw_grid *g,
                            const uint8_t *v, uint8_t nodata,
                            const struct cw_class_colour *ct, size_t n, int overwrite)
{
    struct band d = {GDT_Byte, v, 1, nodata, ct, n};
    return write_band(ctx, path, g, &d, overwrite);
}

int cw_raster_write_floats(struct cw_ctx *ctx, const char *path, const struct cw_grid *g,
                           const float *v, int overwrite)
{
    struct band d = {GDT_Float32, v, sizeof *v, NAN, NULL, 0};
    return write_band(ctx, path, g, &d, overwrite);
}
