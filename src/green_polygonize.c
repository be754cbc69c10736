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
        if (!g->zg[i] || !cw_green_envelope(h, g->zg[i], e))
            continue;
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
 * band 2 the mask GDALPolygonize traces (1 where the code is GI); gt
 * becomes the window's geotransform, the MEM raster keeps GDAL's default
 * one, so that traced corners come out as whole column and row numbers. */
static GDALDatasetH gi_cells(GDALDatasetH ds, const int *win, const int8_t *lut, double *gt)
{
    size_t n = (size_t)win[2] * (size_t)win[3];
    int32_t *code = malloc((n ? n : 1) * sizeof *code), *mask = malloc((n ? n : 1) * sizeof *mask);
    GDALRasterBandH b = GDALGetRasterBand(ds, 1);
    int has_nd = 0;
    double nd = GDALGetRasterNoDataValue(b, &has_nd);
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
    }
    free(code);
    free(mask);
    return m;
}

/* Ring @p r of whole column and row numbers, with a vertex at every cell
 * corner along it, in the grid's coordinates (geotransform @p gt).
 * GDALPolygonize puts vertices only where a ring turns, so a forest's
 * long edge and the three grass cells beside it would share the edge but
 * not its vertices; projected for a zone, the edge would bend at the
 * grass's vertices only, and the two would overlap by slivers. With every
 * corner in both, and each corner computed once from its numbers, shared
 * edges stay shared. */
static OGRGeometryH corner_ring(OGRGeometryH r, const double *gt)
{
    OGRGeometryH out = OGR_G_CreateGeometry(wkbLinearRing);
    int n = OGR_G_GetPointCount(r);
    for (int i = 0; i < n; i++) {
        long c0 = lround(OGR_G_GetX(r, i)), r0 = lround(OGR_G_GetY(r, i));
        long c1 = i + 1 < n ? lround(OGR_G_GetX(r, i + 1)) : c0;
        long r1 = i + 1 < n ? lround(OGR_G_GetY(r, i + 1)) : r0;
        long dc = (c1 > c0) - (c1 < c0), dr = (r1 > r0) - (r1 < r0);
        long steps = i + 1 < n ? labs(c1 - c0) + labs(r1 - r0) : 1;   /* edges are axis-aligned */
        for (long k = 0; k < steps; k++)
            OGR_G_AddPoint_2D(out, gt[0] + (double)(c0 + k * dc) * gt[1],
                              gt[3] + (double)(r0 + k * dr) * gt[5]);
    }
    return out;
}

static OGRGeometryH corner_polygon(OGRGeometryH g, const double *gt)
{
    OGRGeometryH out = OGR_G_CreateGeometry(wkbPolygon);
    for (int i = 0; i < OGR_G_GetGeometryCount(g); i++)
        OGR_G_AddGeometryDirectly(out, corner_ring(OGR_G_GetGeometryRef(g, i), gt));
    return out;
}

/* Copies the traced polygons of @p from to @p to, with their corners. */
static int copy_cells(OGRLayerH from, OGRLayerH to, const double *gt, long long *n)
{
    OGRFeatureH f;
    int ok = 1;
    OGR_L_ResetReading(from);
    while (ok && (f = OGR_L_GetNextFeature(from))) {
        OGRFeatureH o = OGR_F_Create(OGR_L_GetLayerDefn(to));
        OGR_F_SetFieldInteger(o, 0, OGR_F_GetFieldAsInteger(f, 0));
        OGR_F_SetGeometryDirectly(o, corner_polygon(OGR_F_GetGeometryRef(f), gt));
        ok = OGR_L_CreateFeature(to, o) == OGRERR_NONE;
        *n += ok;
        OGR_F_Destroy(o);
        OGR_F_Destroy(f);
    }
    return ok;
}

/* A new layer "gi" with an integer field "code". */
static OGRLayerH code_layer(GDALDatasetH ds, OGRSpatialReferenceH srs, char **lco)
{
    OGRLayerH l = ds ? GDALDatasetCreateLayer(ds, "gi", srs, wkbPolygon, lco) : NULL;
    OGRFieldDefnH fd = OGR_Fld_Create("code", OFTInteger);
    if (l && OGR_L_CreateField(l, fd, TRUE) != OGRERR_NONE)
        l = NULL;
    OGR_Fld_Destroy(fd);
    return l;
}

/* Traces the GI cells of @p m into a new FlatGeobuf @p out in CRS @p srs,
 * the window's geotransform @p gt; *n is the number of polygons (none: no
 * file, as FlatGeobuf writes none). */
static int trace(GDALDatasetH m, const double *gt, OGRSpatialReferenceH srs, const char *out,
                 long long *n)
{
    static const char *const lco[] = { "SPATIAL_INDEX=NO", NULL };
    GDALDatasetH mem = GDALCreate(GDALGetDriverByName("Memory"), "", 0, 0, 0, GDT_Unknown, NULL);
    GDALDatasetH o = GDALCreate(GDALGetDriverByName("FlatGeobuf"), out, 0, 0, 0, GDT_Unknown,
                                NULL);
    OGRLayerH cells = code_layer(mem, NULL, NULL), l = code_layer(o, srs, (char **)lco);
    int ok = cells && l && GDALPolygonize(GDALGetRasterBand(m, 1), GDALGetRasterBand(m, 2),
                                          cells, 0, NULL, NULL, NULL) == CE_None &&
             copy_cells(cells, l, gt, n);
    if (o)
        GDALClose(o);
    if (mem)
        GDALClose(mem);
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
    GDALDatasetH m = empty ? NULL : gi_cells(ds, win, lut, gt);
    if (!rc && !empty && !m)
        rc = cw_ctx_error(g->ctx, CW_ERR_IO, "'%s': cannot read the land cover: %s", in->path,
                          CPLGetLastErrorMsg());
    *n = 0;
    if (!rc && m && !trace(m, gt, srs, out, n))
        rc = cw_ctx_error(g->ctx, CW_ERR_LIB, "'%s': cannot polygonise: %s", in->path,
                          CPLGetLastErrorMsg());
    CPLPopErrorHandler();
    if (m)
        GDALClose(m);
    GDALClose(ds);
    return rc;
}
