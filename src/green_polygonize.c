/* green_polygonize.c: a land-cover raster given to --gi becomes GI
 * polygons: its cells of GI codes within the zones' extent, traced by
 * GDALPolygonize into one polygon per 4-connected run of one code.
 * SPDX-License-Identifier: MIT
 *
 * Patches, mesh size, connectivity and access need GI as polygons; the
 * raster path (--raster) gives class areas only. The polygons follow cell
 * edges exactly, so their areas are the cells' and the vector path takes
 * them like any other GI layer: polygons of two codes that touch (forest
 * beside grass) become one patch there, as their cells are one patch.
 * They are written to a FlatGeobuf in GDAL's /vsimem/ and read back with
 * cw_layer_read, so the source CRS is handled once, in one place.
 *
 * Only the cells within the zones' extent, grown by --access and
 * --dispersal, are traced: a patch's whole area (meff_cbc_m2) counts what
 * lies within that, as with a vector GI layer cut to a region.
 */
#include <math.h>
#include <stdint.h>
#include <stdlib.h>

#include <cpl_error.h>
#include <gdal.h>
#include <gdal_alg.h>
#include <ogr_api.h>
#include <ogr_srs_api.h>

#include "green_priv.h"

/* The zones' envelope in lon/lat, box = {west, south, east, north}, with
 * a margin. */
static void zones_box(struct green *g, double *box)
{
    GEOSContextHandle_t h = cw_ctx_geos(g->ctx);
    box[0] = box[1] = INFINITY;
    box[2] = box[3] = -INFINITY;
    for (size_t i = 0; i < g->zones.attrs.nrows; i++) {
        double e[4];
        if (!g->zg[i] || GEOSisEmpty_r(h, g->zg[i]) == 1)
            continue;
        GEOSGeom_getXMin_r(h, g->zg[i], &e[0]);
        GEOSGeom_getYMin_r(h, g->zg[i], &e[1]);
        GEOSGeom_getXMax_r(h, g->zg[i], &e[2]);
        GEOSGeom_getYMax_r(h, g->zg[i], &e[3]);
        box[0] = fmin(box[0], e[0]);
        box[1] = fmin(box[1], e[1]);
        box[2] = fmax(box[2], e[2]);
        box[3] = fmax(box[3], e[3]);
    }
    /* Grown by the farthest GI can matter from a zone: people reach GI
     * outside it (--access), its patches link to others (--dispersal). A
     * degree of latitude is at least 110.5 km, of longitude that times the
     * cosine of the latitude farthest from the equator. */
    double m = fmax(g->job->access_m, g->job->dispersal_m) * 1.01;
    double far = fmin(fmax(fabs(box[1]), fabs(box[3])), 89.0) * M_PI / 180;
    box[0] -= m / (110500 * cos(far));
    box[2] += m / (110500 * cos(far));
    box[1] = fmax(box[1] - m / 110500, -90);
    box[3] = fmin(box[3] + m / 110500, 90);
}

/* @p box (lon/lat) in the CRS @p srs, as {xmin, ymin, xmax, ymax}. */
static int box_in(OGRSpatialReferenceH srs, const double *box, double *out)
{
    OGRSpatialReferenceH ll = OSRNewSpatialReference(NULL), dst = OSRClone(srs);
    OGRCoordinateTransformationH ct = NULL;
    int ok = ll && dst && OSRImportFromEPSG(ll, 4326) == OGRERR_NONE;
    if (ok) {
        OSRSetAxisMappingStrategy(ll, OAMS_TRADITIONAL_GIS_ORDER);
        OSRSetAxisMappingStrategy(dst, OAMS_TRADITIONAL_GIS_ORDER);
        ct = OCTNewCoordinateTransformation(ll, dst);
    }
    ok = ct && OCTTransformBounds(ct, box[0], box[1], box[2], box[3], &out[0], &out[1],
                                  &out[2], &out[3], 21);
    OCTDestroyCoordinateTransformation(ct);
    OSRDestroySpatialReference(ll);
    OSRDestroySpatialReference(dst);
    return ok;
}

/* The cells under @p box, one cell of margin: win = {col, row, ncols, nrows}. */
static void cell_window(const double *gt, int nx, int ny, const double *b, int *win)
{
    double c0 = (b[0] - gt[0]) / gt[1], c1 = (b[2] - gt[0]) / gt[1];
    double r0 = (b[3] - gt[3]) / gt[5], r1 = (b[1] - gt[3]) / gt[5];
    double cmin = fmax(floor(fmin(c0, c1)) - 1, 0), cmax = fmin(ceil(fmax(c0, c1)) + 1, nx);
    double rmin = fmax(floor(fmin(r0, r1)) - 1, 0), rmax = fmin(ceil(fmax(r0, r1)) + 1, ny);
    win[0] = (int)cmin;
    win[1] = (int)rmin;
    win[2] = cmax > cmin ? (int)(cmax - cmin) : 0;
    win[3] = rmax > rmin ? (int)(rmax - rmin) : 0;
}

/* A two-band MEM raster of the window: band 1 the GI codes (0 elsewhere),
 * band 2 the mask GDALPolygonize traces (1 where the code is GI). */
static GDALDatasetH gi_cells(GDALDatasetH ds, const int *win, const int8_t *lut)
{
    size_t n = (size_t)win[2] * (size_t)win[3];
    int32_t *code = malloc((n ? n : 1) * sizeof *code), *mask = malloc((n ? n : 1) * sizeof *mask);
    GDALRasterBandH b = GDALGetRasterBand(ds, 1);
    int has_nd = 0;
    double nd = GDALGetRasterNoDataValue(b, &has_nd), gt[6];
    GDALDatasetH m = NULL;
    if (code && mask && GDALRasterIO(b, GF_Read, win[0], win[1], win[2], win[3], code, win[2],
                                     win[3], GDT_Int32, 0, 0) == CE_None)
        m = GDALCreate(GDALGetDriverByName("MEM"), "", win[2], win[3], 2, GDT_Int32, NULL);
    for (size_t i = 0; m && i < n; i++) {
        int c = code[i];
        mask[i] = c >= 0 && c <= 65535 && !(has_nd && c == nd) && lut[c] >= 0;
        code[i] = mask[i] ? c : 0;
    }
    if (m && (GDALGetGeoTransform(ds, gt) != CE_None ||
              GDALRasterIO(GDALGetRasterBand(m, 1), GF_Write, 0, 0, win[2], win[3], code, win[2],
                           win[3], GDT_Int32, 0, 0) != CE_None ||
              GDALRasterIO(GDALGetRasterBand(m, 2), GF_Write, 0, 0, win[2], win[3], mask, win[2],
                           win[3], GDT_Int32, 0, 0) != CE_None)) {
        GDALClose(m);
        m = NULL;
    }
    if (m) {
        gt[0] += win[0] * gt[1];
        gt[3] += win[1] * gt[5];
        GDALSetGeoTransform(m, gt);
    }
    free(code);
    free(mask);
    return m;
}

/* Traces the GI cells of @p m into a new FlatGeobuf @p out in CRS @p srs;
 * *n is the number of polygons (none: no file, as FlatGeobuf writes none). */
static int trace(GDALDatasetH m, OGRSpatialReferenceH srs, const char *out, long long *n)
{
    static const char *const lco[] = { "SPATIAL_INDEX=NO", NULL };
    GDALDatasetH o = GDALCreate(GDALGetDriverByName("FlatGeobuf"), out, 0, 0, 0, GDT_Unknown,
                                NULL);
    OGRLayerH l = o ? GDALDatasetCreateLayer(o, "gi", srs, wkbPolygon, (char **)lco) : NULL;
    OGRFieldDefnH fd = OGR_Fld_Create("code", OFTInteger);
    int ok = l && OGR_L_CreateField(l, fd, TRUE) == OGRERR_NONE &&
             GDALPolygonize(GDALGetRasterBand(m, 1), GDALGetRasterBand(m, 2), l, 0, NULL, NULL,
                            NULL) == CE_None;
    OGR_Fld_Destroy(fd);
    *n = ok ? OGR_L_GetFeatureCount(l, TRUE) : 0;
    if (o)
        GDALClose(o);
    return ok;
}

int cw_green_polygonize(struct green *g, const struct cw_gi_input *in, const int8_t *lut,
                        const char *out, long long *n)
{
    CPLPushErrorHandler(CPLQuietErrorHandler);   /* our messages say it */
    GDALDatasetH ds = GDALOpenEx(in->path, GDAL_OF_RASTER | GDAL_OF_READONLY, NULL, NULL, NULL);
    CPLPopErrorHandler();
    if (!ds)
        return cw_ctx_error(g->ctx, CW_ERR_IO, "cannot open '%s' as a raster", in->path);
    OGRSpatialReferenceH srs = GDALGetSpatialRef(ds);
    double gt[6], box[4], b[4];
    int win[4], rc = CW_OK;
    if (!srs)
        rc = cw_ctx_error(g->ctx, CW_ERR_DATA, "'%s': the land-cover grid has no CRS (set one "
                          "with gdal_edit.py -a_srs)", in->path);
    else if (GDALGetGeoTransform(ds, gt) != CE_None || gt[2] != 0 || gt[4] != 0)
        rc = cw_ctx_error(g->ctx, CW_ERR_DATA, "'%s': rotated or sheared cells are not "
                          "supported (warp it first, e.g. gdalwarp)", in->path);
    zones_box(g, box);
    int empty = rc || !(box[0] <= box[2]) || !box_in(srs, box, b);   /* no zone in reach */
    if (!empty) {
        cell_window(gt, GDALGetRasterXSize(ds), GDALGetRasterYSize(ds), b, win);
        empty = !win[2] || !win[3];
    }
    CPLPushErrorHandler(CPLQuietErrorHandler);
    GDALDatasetH m = empty ? NULL : gi_cells(ds, win, lut);
    if (!rc && !empty && !m)
        rc = cw_ctx_error(g->ctx, CW_ERR_IO, "'%s': cannot read the land cover: %s", in->path,
                          CPLGetLastErrorMsg());
    *n = 0;
    if (!rc && m && !trace(m, srs, out, n))
        rc = cw_ctx_error(g->ctx, CW_ERR_LIB, "'%s': cannot polygonise: %s", in->path,
                          CPLGetLastErrorMsg());
    CPLPopErrorHandler();
    if (m)
        GDALClose(m);
    GDALClose(ds);
    return rc;
}
