/* raster.c: reading one band of a north-up grid with GDAL, and the areas
 * of its cells on the ellipsoid.
 * SPDX-License-Identifier: MIT
 */
#include <math.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include <cpl_conv.h>
#include <cpl_error.h>
#include <gdal.h>
#include <geodesic.h>
#include <ogr_srs_api.h>

#include "cityweave/raster.h"

#define WGS84_A 6378137.0
#define WGS84_F (1 / 298.257223563)

void cw_grid_release(struct cw_grid *g)
{
    free(g->wkt);
    memset(g, 0, sizeof *g);
}

void cw_raster_release(struct cw_raster *r)
{
    cw_grid_release(&r->grid);
    free(r->v);
    r->v = NULL;
}

/* GDAL prints its errors unless told otherwise; the library must not. */
static int gdal_error(struct cw_ctx *ctx, int status, const char *path, const char *what)
{
    const char *msg = CPLGetLastErrorMsg();
    return cw_ctx_error(ctx, status, "'%s': %s%s%s", path, what,
                        msg && *msg ? ": " : "", msg ? msg : "");
}

static int read_grid(struct cw_ctx *ctx, const char *path, GDALDatasetH ds,
                     struct cw_grid *g)
{
    g->nx = GDALGetRasterXSize(ds);
    g->ny = GDALGetRasterYSize(ds);
    if (GDALGetGeoTransform(ds, g->gt) != CE_None)
        return cw_ctx_error(ctx, CW_ERR_DATA, "'%s': the raster has no georeferencing", path);
    if (g->gt[2] != 0 || g->gt[4] != 0)
        return cw_ctx_error(ctx, CW_ERR_DATA,
                            "'%s': rotated or sheared cells are not supported "
                            "(warp it first, e.g. gdalwarp)", path);
    if (!(fabs(g->gt[1]) > 0) || !(fabs(g->gt[5]) > 0) || !isfinite(g->gt[0]) ||
        !isfinite(g->gt[3]))
        return cw_ctx_error(ctx, CW_ERR_DATA, "'%s': cells of zero or undefined size", path);
    if ((double)g->nx * g->ny > INT32_MAX)
        return cw_ctx_error(ctx, CW_ERR_DATA, "'%s': %d x %d cells is more than 2^31",
                            path, g->nx, g->ny);
    OGRSpatialReferenceH srs = GDALGetSpatialRef(ds);
    if (srs) {
        char *wkt = NULL;
        if (OSRExportToWkt(srs, &wkt) != OGRERR_NONE || !(g->wkt = strdup(wkt))) {
            CPLFree(wkt);
            return cw_ctx_error(ctx, CW_ERR_NOMEM, "out of memory");
        }
        CPLFree(wkt);
        g->geographic = OSRIsGeographic(srs) != 0;
    }
    return CW_OK;
}

/* Nodata is compared after the same conversion to float the pixels went
 * through, so a UInt32 nodata of 4294967295 still matches. */
static int read_band(struct cw_ctx *ctx, const char *path, GDALDatasetH ds,
                     struct cw_raster *r)
{
    size_t n = (size_t)r->grid.nx * (size_t)r->grid.ny;
    GDALRasterBandH b = GDALGetRasterBand(ds, 1);
    if (!b)
        return cw_ctx_error(ctx, CW_ERR_DATA, "'%s': no raster band", path);
    if (!(r->v = malloc(n * sizeof *r->v)))
        return cw_ctx_error(ctx, CW_ERR_NOMEM, "out of memory reading '%s'", path);
    if (GDALRasterIO(b, GF_Read, 0, 0, r->grid.nx, r->grid.ny, r->v, r->grid.nx,
                     r->grid.ny, GDT_Float32, 0, 0) != CE_None)
        return gdal_error(ctx, CW_ERR_IO, path, "cannot read band 1");
    int has = 0;
    double nd = GDALGetRasterNoDataValue(b, &has);
    if (has) {
        float fnd = (float)nd;
        for (size_t i = 0; i < n; i++)
            if (r->v[i] == fnd || (isnan(nd) && isnan(r->v[i])))
                r->v[i] = NAN;
    }
    return CW_OK;
}

int cw_raster_read(struct cw_ctx *ctx, const char *path, struct cw_raster *out)
{
    char threads[16];
    memset(out, 0, sizeof *out);
    CPLPushErrorHandler(CPLQuietErrorHandler);
    CPLErrorReset();
    /* compressed tiles decoded on every thread the context allows: on a
     * 100-million-cell DEFLATE grid this is most of the run */
    snprintf(threads, sizeof threads, "%d", cw_ctx_threads(ctx));
    CPLSetThreadLocalConfigOption("GDAL_NUM_THREADS", threads);
    GDALAllRegister();
    GDALDatasetH ds = GDALOpenEx(path, GDAL_OF_RASTER | GDAL_OF_READONLY, NULL, NULL, NULL);
    int rc = ds ? read_grid(ctx, path, ds, &out->grid)
                : gdal_error(ctx, CW_ERR_IO, path, "cannot open as a raster");
    if (!rc)
        rc = read_band(ctx, path, ds, out);
    if (ds)
        GDALClose(ds);
    CPLSetThreadLocalConfigOption("GDAL_NUM_THREADS", NULL);
    CPLPopErrorHandler();
    if (rc)
        cw_raster_release(out);
    return rc;
}

int cw_is_raster(const char *path)
{
    CPLPushErrorHandler(CPLQuietErrorHandler);
    GDALDatasetH ds = GDALOpenEx(path, GDAL_OF_RASTER | GDAL_OF_READONLY, NULL, NULL, NULL);
    CPLPopErrorHandler();
    int yes = ds && GDALGetRasterCount(ds) > 0;
    if (ds)
        GDALClose(ds);
    return yes;
}

int cw_grid_same(const struct cw_grid *a, const struct cw_grid *b)
{
    if (a->nx != b->nx || a->ny != b->ny)
        return 0;
    double tol[6] = {1e-9 * fabs(a->gt[1]), 1e-9 * fabs(a->gt[1]), 0,
                     1e-9 * fabs(a->gt[5]), 0, 1e-9 * fabs(a->gt[5])};
    for (int i = 0; i < 6; i++)
        if (fabs(a->gt[i] - b->gt[i]) > tol[i])
            return 0;
    if (!a->wkt || !b->wkt)
        return !a->wkt && !b->wkt;
    OGRSpatialReferenceH sa = OSRNewSpatialReference(a->wkt);
    OGRSpatialReferenceH sb = OSRNewSpatialReference(b->wkt);
    int same = sa && sb && OSRIsSame(sa, sb);
    OSRDestroySpatialReference(sa);
    OSRDestroySpatialReference(sb);
    return same;
}

/* Area of the ellipsoid between the equator and latitude @p phi over the
 * full circle of longitude (closed form with the authalic terms):
 * 2*pi*b^2 * (sin(phi) / (2(1 - e^2 sin^2 phi)) + atanh(e sin phi) / (2e)). */
static double zone_area(double phi_deg)
{
    double e2 = WGS84_F * (2 - WGS84_F), e = sqrt(e2);
    double b2 = WGS84_A * WGS84_A * (1 - e2);
    double s = sin(phi_deg * M_PI / 180);
    return 2 * M_PI * b2 * (s / (2 * (1 - e2 * s * s)) + atanh(e * s) / (2 * e));
}

static int geographic_rows(struct cw_ctx *ctx, const struct cw_grid *g, struct cw_areas *a)
{
    if (!(a->rows = malloc((size_t)g->ny * sizeof *a->rows)))
        return cw_ctx_error(ctx, CW_ERR_NOMEM, "out of memory");
    double frac = fabs(g->gt[1]) / 360;
    for (int r = 0; r < g->ny; r++) {
        double y0 = fmax(-90, fmin(90, g->gt[3] + r * g->gt[5]));
        double y1 = fmax(-90, fmin(90, g->gt[3] + (r + 1) * g->gt[5]));
        a->rows[r] = frac * fabs(zone_area(y1) - zone_area(y0));
    }
    return CW_OK;
}

/* Projections whose map area is true area (on their ellipsoid or sphere):
 * there every cell has the grid's nominal area. Matched by PROJ's method
 * name, which is stable across WKT flavours. */
static int equal_area_method(const char *m)
{
    static const char *const names[] = {
        "Lambert Azimuthal Equal Area", "Albers Equal Area", "Mollweide",
        "Equal Earth", "Lambert Cylindrical Equal Area", "Sinusoidal",
        "Eckert IV", "Eckert VI", "Goode Homolosine", "Quartic Authalic",
        "Behrmann", "Hammer Aitoff"};
    for (size_t i = 0; i < sizeof names / sizeof *names; i++)
        if (!strncasecmp(m, names[i], strlen(names[i])))
            return 1;
    return 0;
}

/* The linear unit in metres and whether the projection is equal-area. */
static int projection_facts(struct cw_ctx *ctx, PJ *crs, double *to_m, int *eqarea)
{
    PJ_CONTEXT *pc = cw_ctx_proj(ctx);
    PJ *op = proj_crs_get_coordoperation(pc, crs);
    PJ *cs = proj_crs_get_coordinate_system(pc, crs);
    const char *method = NULL;
    int ok = op && cs && proj_coordoperation_get_method_info(pc, op, &method, NULL, NULL) &&
             proj_cs_get_axis_info(pc, cs, 0, NULL, NULL, NULL, to_m, NULL, NULL, NULL);
    *eqarea = ok && method && equal_area_method(method);
    proj_destroy(op);
    proj_destroy(cs);
    return ok ? CW_OK : cw_ctx_error(ctx, CW_ERR_LIB, "cannot read the grid's projection");
}

/* Every cell's corners back to lon/lat, then the geodesic area of the
 * quadrilateral: right to well under a metre in a 1 km cell. */
static int corner_cells(struct cw_ctx *ctx, const struct cw_grid *g, PJ *crs,
                        struct cw_areas *a)
{
    PJ_CONTEXT *pc = cw_ctx_proj(ctx);
    PJ *geo = proj_create(pc, "EPSG:4326");   /* measured on WGS84, so there */
    PJ *raw = geo ? proj_create_crs_to_crs_from_pj(pc, crs, geo, NULL, NULL) : NULL;
    PJ *tr = raw ? proj_normalize_for_visualization(pc, raw) : NULL;
    size_t w = (size_t)g->nx + 1, n = w * ((size_t)g->ny + 1);
    double *x = malloc(n * sizeof *x), *y = malloc(n * sizeof *y);
    int rc = CW_OK;

    a->cell = malloc((size_t)g->nx * g->ny * sizeof *a->cell);
    if (!tr || !x || !y || !a->cell) {
        rc = tr ? cw_ctx_error(ctx, CW_ERR_NOMEM, "out of memory")
                : cw_ctx_error(ctx, CW_ERR_LIB, "cannot take the grid's CRS to lon/lat");
        goto out;
    }
    for (size_t i = 0; i < n; i++) {
        x[i] = g->gt[0] + (double)(i % w) * g->gt[1];
        y[i] = g->gt[3] + (double)(i / w) * g->gt[5];
    }
    proj_trans_generic(tr, PJ_FWD, x, sizeof *x, n, y, sizeof *y, n, NULL, 0, 0, NULL, 0, 0);
    struct geod_geodesic gd;
    geod_init(&gd, WGS84_A, WGS84_F);
    for (int r = 0; r < g->ny; r++)
        for (int c = 0; c < g->nx; c++) {
            size_t k = (size_t)r * w + (size_t)c;
            double lat[4] = {y[k], y[k + 1], y[k + w + 1], y[k + w]};
            double lon[4] = {x[k], x[k + 1], x[k + w + 1], x[k + w]};
            double area = NAN;
            geod_polygonarea(&gd, lat, lon, 4, &area, NULL);
            a->cell[(size_t)r * g->nx + c] = (float)fabs(area);
        }
out:
    free(x);
    free(y);
    proj_destroy(tr);
    proj_destroy(raw);
    proj_destroy(geo);
    return rc;
}

int cw_grid_areas(struct cw_ctx *ctx, const struct cw_grid *g, struct cw_areas *out)
{
    memset(out, 0, sizeof *out);
    out->nx = g->nx;
    if (!g->wkt)
        return cw_ctx_error(ctx, CW_ERR_DATA,
                            "the grid has no CRS, so its cell areas are unknown");
    if (g->geographic)
        return geographic_rows(ctx, g, out);
    PJ *crs = proj_create(cw_ctx_proj(ctx), g->wkt);
    if (crs && proj_get_type(crs) == PJ_TYPE_BOUND_CRS) {   /* WKT1 with TOWGS84 */
        PJ *src = proj_get_source_crs(cw_ctx_proj(ctx), crs);
        proj_destroy(crs);
        crs = src;
    }
    double to_m = 1;
    int eqarea = 0;
    int rc = crs ? projection_facts(ctx, crs, &to_m, &eqarea)
                 : cw_ctx_error(ctx, CW_ERR_DATA, "PROJ does not know the grid's CRS");
    if (!rc && eqarea)
        out->one = fabs(g->gt[1] * g->gt[5]) * to_m * to_m;
    else if (!rc)
        rc = corner_cells(ctx, g, crs, out);   /* the transformation knows the unit */
    proj_destroy(crs);
    if (rc)
        cw_areas_release(out);
    return rc;
}

void cw_areas_release(struct cw_areas *a)
{
    free(a->rows);
    free(a->cell);
    a->rows = NULL;
    a->cell = NULL;
}
