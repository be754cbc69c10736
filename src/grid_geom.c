/* grid_geom.c: geometries between lon/lat and a grid's CRS, and polygons
 * of labelled regions of a grid.
 * SPDX-License-Identifier: MIT
 */
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include <cpl_error.h>
#include <cpl_string.h>
#include <gdal.h>
#include <gdal_alg.h>
#include <ogr_api.h>

#include "grid_geom.h"

int cw_gridproj_open(struct cw_ctx *ctx, const struct cw_grid *g, struct cw_gridproj *p)
{
    PJ_CONTEXT *pc = cw_ctx_proj(ctx);
    p->pj = NULL;
    if (!g->wkt)
        return cw_ctx_error(ctx, CW_ERR_DATA, "the grid has no CRS");
    PJ *raw = proj_create_crs_to_crs(pc, "EPSG:4326", g->wkt, NULL);
    if (raw) {
        p->pj = proj_normalize_for_visualization(pc, raw);
        proj_destroy(raw);
    }
    return p->pj ? CW_OK
                 : cw_ctx_error(ctx, CW_ERR_DATA, "PROJ cannot relate the grid's CRS to WGS84");
}

void cw_gridproj_close(struct cw_gridproj *p)
{
    proj_destroy(p->pj);
    p->pj = NULL;
}

struct trans {
    PJ *pj;
    PJ_DIRECTION dir;
    int bad;
};

static int trans_xy(double *x, double *y, void *arg)
{
    struct trans *t = arg;
    PJ_COORD c = proj_coord(*x, *y, 0, 0);
    c = proj_trans(t->pj, t->dir, c);
    if (!isfinite(c.xy.x) || !isfinite(c.xy.y)) {
        t->bad = 1;
        return 0;
    }
    *x = c.xy.x;
    *y = c.xy.y;
    return 1;
}

int cw_gridproj_geom(struct cw_ctx *ctx, const struct cw_gridproj *p, PJ_DIRECTION dir,
                     const GEOSGeometry *in, GEOSGeometry **out)
{
    struct trans t = {p->pj, dir, 0};
    *out = GEOSGeom_transformXY_r(cw_ctx_geos(ctx), in, trans_xy, &t);
    if (*out)
        return CW_OK;
    return t.bad ? cw_ctx_error(ctx, CW_ERR_DATA, "a point has no image in the grid's CRS")
                 : cw_ctx_error(ctx, CW_ERR_LIB, "%s", cw_ctx_errmsg(ctx));
}

/* The ids as an in-memory raster for GDALPolygonize. */
static GDALDatasetH mem_raster(const struct cw_grid *g, const int32_t *ids)
{
    GDALDriverH drv = GDALGetDriverByName("MEM");
    GDALDatasetH ds = drv ? GDALCreate(drv, "", g->nx, g->ny, 1, GDT_Int32, NULL) : NULL;
    double gt[6];
    memcpy(gt, g->gt, sizeof gt);
    if (ds && (GDALSetGeoTransform(ds, gt) != CE_None ||
               GDALRasterIO(GDALGetRasterBand(ds, 1), GF_Write, 0, 0, g->nx, g->ny,
                            (void *)ids, g->nx, g->ny, GDT_Int32, 0, 0) != CE_None)) {
        GDALClose(ds);
        ds = NULL;
    }
    return ds;
}

/* Appends each traced polygon, as GEOS in the grid's CRS, to its id. */
static int collect(struct cw_ctx *ctx, OGRLayerH lyr, int n, GEOSGeometry ***parts, int *np)
{
    GEOSContextHandle_t h = cw_ctx_geos(ctx);
    OGRFeatureH f;
    OGR_L_ResetReading(lyr);
    while ((f = OGR_L_GetNextFeature(lyr))) {
        int id = OGR_F_GetFieldAsInteger(f, 0);
        OGRGeometryH og = OGR_F_GetGeometryRef(f);
        size_t len = og ? (size_t)OGR_G_WkbSize(og) : 0;
        unsigned char *wkb = len ? malloc(len) : NULL;
        GEOSGeometry *gg = NULL;
        if (wkb && OGR_G_ExportToWkb(og, wkbNDR, wkb) == OGRERR_NONE)
            gg = GEOSGeomFromWKB_buf_r(h, wkb, len);
        free(wkb);
        OGR_F_Destroy(f);
        if (id < 1 || id > n) {
            if (gg)
                GEOSGeom_destroy_r(h, gg);
            continue;
        }
        GEOSGeometry **p = gg ? realloc(parts[id], ((size_t)np[id] + 1) * sizeof *p) : NULL;
        if (!p) {
            if (gg)
                GEOSGeom_destroy_r(h, gg);
            return cw_ctx_error(ctx, CW_ERR_LIB, "cannot trace grid regions");
        }
        parts[id] = p;
        p[np[id]++] = gg;
    }
    return CW_OK;
}

/* One region's parts to a single lon/lat geometry. */
static int finish(struct cw_ctx *ctx, const struct cw_gridproj *p, double cell,
                  GEOSGeometry **parts, int np, GEOSGeometry **out)
{
    GEOSContextHandle_t h = cw_ctx_geos(ctx);
    GEOSGeometry *one = np == 1 ? parts[0]
                                : GEOSGeom_createCollection_r(h, GEOS_MULTIPOLYGON, parts,
                                                              (unsigned)np);
    if (!one)
        return cw_ctx_error(ctx, CW_ERR_LIB, "cannot join a region's polygons");
    GEOSGeometry *dense = GEOSDensify_r(h, one, cell);
    GEOSGeom_destroy_r(h, one);
    int rc = dense ? (p->pj ? cw_gridproj_geom(ctx, p, PJ_INV, dense, out)
                            : ((*out = GEOSGeom_clone_r(h, dense)) ? CW_OK : CW_ERR_LIB))
                   : cw_ctx_error(ctx, CW_ERR_LIB, "cannot densify a region");
    if (dense)
        GEOSGeom_destroy_r(h, dense);
    return rc;
}

int cw_grid_polygons(struct cw_ctx *ctx, const struct cw_grid *g, const int32_t *ids,
                     int n, int conn8, GEOSGeometry ***out)
{
    struct cw_gridproj p = {0};
    GEOSGeometry ***parts = calloc((size_t)n + 1, sizeof *parts);
    int *np = calloc((size_t)n + 1, sizeof *np);
    *out = calloc((size_t)n + 1, sizeof **out);
    GDALAllRegister();
    CPLPushErrorHandler(CPLQuietErrorHandler);
    GDALDatasetH ds = mem_raster(g, ids);
    GDALDriverH vd = GDALGetDriverByName("Memory");
    GDALDatasetH vs = vd ? GDALCreate(vd, "", 0, 0, 0, GDT_Unknown, NULL) : NULL;
    OGRLayerH lyr = vs ? GDALDatasetCreateLayer(vs, "r", NULL, wkbPolygon, NULL) : NULL;
    OGRFieldDefnH fd = OGR_Fld_Create("id", OFTInteger);
    char **po = conn8 ? CSLSetNameValue(NULL, "8CONNECTED", "8") : NULL;
    int rc = !parts || !np || !*out ? cw_ctx_error(ctx, CW_ERR_NOMEM, "out of memory")
             : !ds || !lyr || OGR_L_CreateField(lyr, fd, 0) != OGRERR_NONE
                 ? cw_ctx_error(ctx, CW_ERR_LIB, "cannot set up polygon tracing")
                 : CW_OK;
    GDALRasterBandH b = ds ? GDALGetRasterBand(ds, 1) : NULL;
    if (!rc && GDALPolygonize(b, b, lyr, 0, po, NULL, NULL) != CE_None)
        rc = cw_ctx_error(ctx, CW_ERR_LIB, "GDAL cannot trace the grid regions");
    if (!rc)
        rc = collect(ctx, lyr, n, parts, np);
    if (!rc && g->wkt && !g->geographic)
        rc = cw_gridproj_open(ctx, g, &p);
    for (int k = 1; k <= n && !rc; k++) {
        rc = np[k] ? finish(ctx, &p, fabs(g->gt[1]), parts[k], np[k], &(*out)[k])
                   : cw_ctx_error(ctx, CW_ERR_LIB, "region %d traced no polygon", k);
        np[k] = 0;   /* finish() took the parts */
    }
    for (int k = 0; k <= n && parts; k++) {
        for (int i = 0; np && i < np[k]; i++)
            GEOSGeom_destroy_r(cw_ctx_geos(ctx), parts[k][i]);
        free(parts[k]);
    }
    if (rc && *out) {
        for (int k = 0; k <= n; k++)
            if ((*out)[k])
                GEOSGeom_destroy_r(cw_ctx_geos(ctx), (*out)[k]);
        free(*out);
        *out = NULL;
    }
    CSLDestroy(po);
    OGR_Fld_Destroy(fd);
    if (vs) GDALClose(vs);
    if (ds) GDALClose(ds);
    CPLPopErrorHandler();
    cw_gridproj_close(&p);
    free(parts);
    free(np);
    return rc;
}
