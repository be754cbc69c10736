/* ogr_write.c: GeoPackage and FlatGeobuf outputs through GDAL/OGR.
 * SPDX-License-Identifier: MIT
 *
 * The dataset is created under a temporary name with the right extension
 * and renamed into place after GDALClose(); an error reported while
 * closing counts as a failure (as in ogr2ogr_bin.cpp). Layers are in
 * EPSG:4326 with lon/lat axis order and declare multi types for lines and
 * polygons (single ones are promoted), so one layer type fits every
 * feature; rings keep the orientation they were given. GDAL's messages
 * never print: a handler pushed around each call keeps the last failure
 * for our error message and passes warnings on.
 *
 * FlatGeobuf cannot store a null geometry: GDAL 3.6.2 drops such features
 * without a word (https://github.com/OSGeo/gdal/issues/7401; 3.6.4 fails
 * instead), so we refuse them rather than lose rows.
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include <cpl_conv.h>
#include <cpl_error.h>
#include <gdal.h>
#include <ogr_api.h>
#include <ogr_srs_api.h>

#include "atomic_file.h"
#include "writer_priv.h"

/* GeoPackage stores the time of the last change; a fixed one keeps output
 * reproducible (the GPKG driver reads this option, GDAL >= 2.2). */
#define FIXED_DATE "2000-01-01T00:00:00.000Z"

struct ogr {
    struct cw_writer *w;
    struct cw_atomic a;
    GDALDatasetH ds;
    OGRLayerH layer;
    GEOSWKBWriter *wkb;
    int in_transaction;
    char *saved_date;       /* the caller's OGR_CURRENT_DATE (CPLStrdup) */
    char msg[512];          /* GDAL's last failure message */
};

static const struct {
    const char *driver, *ext;
} drivers[] = {
    [CW_FMT_GPKG] = { "GPKG", ".gpkg" },
    [CW_FMT_FGB] = { "FlatGeobuf", ".fgb" },
};

static void on_cpl_error(CPLErr cls, CPLErrorNum num, const char *msg)
{
    struct ogr *o = CPLGetErrorHandlerUserData();
    (void)num;
    if (cls == CE_Failure || cls == CE_Fatal)
        snprintf(o->msg, sizeof o->msg, "%s", msg);
    else if (cls == CE_Warning)
        cw_ctx_warn(o->w->ctx, "'%s': GDAL: %s", o->w->path, msg);
}

/* Every entry point brackets its GDAL calls with these two, which leave
 * the thread's GDAL state as they found it. */
static void gdal_enter(struct ogr *o)
{
    const char *date = CPLGetThreadLocalConfigOption("OGR_CURRENT_DATE", NULL);
    o->saved_date = date ? CPLStrdup(date) : NULL;
    o->msg[0] = '\0';
    CPLPushErrorHandlerEx(on_cpl_error, o);
    CPLSetThreadLocalConfigOption("OGR_CURRENT_DATE", FIXED_DATE);
}

static void gdal_leave(struct ogr *o)
{
    CPLSetThreadLocalConfigOption("OGR_CURRENT_DATE", o->saved_date);
    CPLFree(o->saved_date);
    o->saved_date = NULL;
    CPLPopErrorHandler();
}

static int gdal_error(struct ogr *o, const char *what)
{
    return cw_ctx_error(o->w->ctx, CW_ERR_IO, "'%s': cannot write: %s",
                        o->w->path, o->msg[0] ? o->msg : what);
}

static OGRwkbGeometryType layer_type(enum cw_geom_type t)
{
    return t == CW_GEOM_POINT ? wkbPoint
         : t == CW_GEOM_LINE ? wkbMultiLineString
         : t == CW_GEOM_POLYGON ? wkbMultiPolygon : wkbNone;
}

/* Whether field @p i's name, or @p name, is taken by an earlier field:
 * GeoPackage (SQLite) column names ignore case, so "URBN_TYPE" and
 * "urbn_type" cannot both be columns. */
static int name_taken(const struct cw_writer *w, size_t i, const char *name)
{
    for (size_t k = 0; k < i; k++)
        if (strcasecmp(w->fields[k].name, name) == 0)
            return 1;
    return 0;
}

/* Field @p i's column name: its own, or with "_2", "_3", ... appended when
 * an earlier field has it in another case (said once in a warning). */
static void column_name(struct ogr *o, size_t i, char *buf, size_t size)
{
    const char *name = o->w->fields[i].name;
    snprintf(buf, size, "%s", name);
    for (int n = 2; name_taken(o->w, i, buf); n++)
        snprintf(buf, size, "%s_%d", name, n);
    if (strcmp(buf, name) != 0)
        cw_ctx_warn(o->w->ctx, "'%s': field '%s' written as '%s' (another field has its name in "
                    "another case)", o->w->path, name, buf);
}

static int create_fields(struct ogr *o)
{
    struct cw_writer *w = o->w;
    for (size_t i = 0; i < w->nfields; i++) {
        OGRFieldType type = w->fields[i].type == CW_FT_STRING ? OFTString
                          : w->fields[i].type == CW_FT_INTEGER ? OFTInteger64
                          : OFTReal;
        char name[256];
        column_name(o, i, name, sizeof name);
        OGRFieldDefnH fd = OGR_Fld_Create(name, type);
        OGRErr err = OGR_L_CreateField(o->layer, fd, FALSE);
        OGR_Fld_Destroy(fd);
        if (err != OGRERR_NONE)
            return gdal_error(o, "cannot create a field");
    }
    return CW_OK;
}

static int create_layer(struct ogr *o)
{
    struct cw_writer *w = o->w;
    OGRSpatialReferenceH srs = OSRNewSpatialReference(NULL);
    int rc = CW_OK;
    if (!srs || OSRImportFromEPSG(srs, 4326) != OGRERR_NONE) {
        rc = cw_ctx_error(w->ctx, CW_ERR_LIB, "'%s': GDAL cannot build "
                          "EPSG:4326: %s", w->path, o->msg);
        goto out;
    }
    OSRSetAxisMappingStrategy(srs, OAMS_TRADITIONAL_GIS_ORDER);
    o->layer = GDALDatasetCreateLayer(o->ds, w->layer_name, srs,
                                      layer_type(w->gtype), NULL);
    if (!o->layer) {
        rc = gdal_error(o, "cannot create the layer");
        goto out;
    }
    rc = create_fields(o);
out:
    if (srs)
        OSRRelease(srs);
    return rc;
}

static int create_dataset(struct ogr *o)
{
    struct cw_writer *w = o->w;
    if (GDALGetDriverCount() == 0)
        GDALAllRegister();
    GDALDriverH drv = GDALGetDriverByName(drivers[w->format].driver);
    if (!drv)
        return cw_ctx_error(w->ctx, CW_ERR_LIB, "GDAL has no %s driver",
                            drivers[w->format].driver);
    const char *tmp = cw_atomic_add(&o->a, drivers[w->format].ext);
    if (!tmp)
        return CW_ERR_NOMEM;
    if (!(o->ds = GDALCreate(drv, tmp, 0, 0, 0, GDT_Unknown, NULL)))
        return gdal_error(o, "cannot create the file");
    int rc = create_layer(o);
    /* One transaction for the whole layer: GPKG commits per feature
     * otherwise. FlatGeobuf has none and needs none. */
    if (rc == CW_OK)
        o->in_transaction = GDALDatasetStartTransaction(o->ds, FALSE) == OGRERR_NONE;
    return rc;
}

/* GEOS to OGR through WKB; lines and polygons become multi. */
static int to_ogr(struct ogr *o, const GEOSGeometry *g, OGRGeometryH *out)
{
    GEOSContextHandle_t h = cw_ctx_geos(o->w->ctx);
    size_t len;
    unsigned char *wkb = GEOSWKBWriter_write_r(h, o->wkb, g, &len);
    if (!wkb)
        return CW_ERR_LIB;
    OGRErr err = OGR_G_CreateFromWkb(wkb, NULL, out, (int)len);
    GEOSFree_r(h, wkb);
    if (err != OGRERR_NONE)
        return cw_ctx_error(o->w->ctx, CW_ERR_LIB, "'%s': feature %ld: GDAL "
                            "cannot read the geometry", o->w->path, o->w->nrec + 1);
    if (o->w->gtype == CW_GEOM_LINE)
        *out = OGR_G_ForceToMultiLineString(*out);
    else if (o->w->gtype == CW_GEOM_POLYGON)
        *out = OGR_G_ForceToMultiPolygon(*out);
    return CW_OK;
}

static void set_fields(struct ogr *o, OGRFeatureH f, const char *const *vals)
{
    struct cw_writer *w = o->w;
    for (size_t i = 0; i < w->nfields; i++) {
        int k = (int)i;
        if (!vals[i])
            OGR_F_SetFieldNull(f, k);
        else if (w->fields[i].type == CW_FT_STRING)
            OGR_F_SetFieldString(f, k, vals[i]);
        else if (w->fields[i].type == CW_FT_INTEGER)
            OGR_F_SetFieldInteger64(f, k, strtoll(vals[i], NULL, 10));
        else
            OGR_F_SetFieldDouble(f, k, strtod(vals[i], NULL));
    }
}

static int ogr_add(struct cw_writer *w, const GEOSGeometry *geom,
                   const char *const *vals)
{
    struct ogr *o = w->impl;
    OGRGeometryH g = NULL;
    if (!geom && w->format == CW_FMT_FGB)
        return cw_ctx_error(w->ctx, CW_ERR_DATA, "'%s': feature %ld: FlatGeobuf "
                            "cannot store a null or empty geometry (use GPKG or "
                            "GeoJSON)", w->path, w->nrec + 1);
    gdal_enter(o);
    OGRFeatureH f = OGR_F_Create(OGR_L_GetLayerDefn(o->layer));
    int rc = f ? CW_OK : cw_ctx_error(w->ctx, CW_ERR_NOMEM, "out of memory");
    if (rc == CW_OK && geom && (rc = to_ogr(o, geom, &g)) == CW_OK)
        OGR_F_SetGeometryDirectly(f, g);
    if (rc == CW_OK) {
        set_fields(o, f, vals);
        if (OGR_L_CreateFeature(o->layer, f) != OGRERR_NONE)
            rc = gdal_error(o, "cannot write a feature");
    }
    if (f)
        OGR_F_Destroy(f);
    gdal_leave(o);
    return rc;
}

/* Commits the transaction and closes the dataset; errors reported while
 * closing (GDAL 3.6's GDALClose returns nothing) count as failures. */
static int close_dataset(struct ogr *o, int keep)
{
    int rc = CW_OK;
    if (!o->ds)
        return CW_OK;
    if (keep && o->in_transaction &&
        GDALDatasetCommitTransaction(o->ds) != OGRERR_NONE)
        rc = gdal_error(o, "cannot commit");
    CPLErrorReset();
    GDALClose(o->ds);
    o->ds = NULL;
    if (rc == CW_OK && keep && CPLGetLastErrorType() == CE_Failure)
        rc = gdal_error(o, "cannot close");
    return rc;
}

static void ogr_free(struct cw_writer *w)
{
    struct ogr *o = w->impl;
    if (o->wkb)
        GEOSWKBWriter_destroy_r(cw_ctx_geos(w->ctx), o->wkb);
    free(o);
    w->impl = NULL;
}

static int ogr_commit(struct cw_writer *w)
{
    struct ogr *o = w->impl;
    gdal_enter(o);
    int rc = close_dataset(o, 1);
    gdal_leave(o);
    if (rc == CW_OK)
        rc = cw_atomic_commit(&o->a);
    else
        cw_atomic_abort(&o->a);
    ogr_free(w);
    return rc;
}

static void ogr_abort(struct cw_writer *w)
{
    struct ogr *o = w->impl;
    gdal_enter(o);
    close_dataset(o, 0);
    gdal_leave(o);
    cw_atomic_abort(&o->a);
    ogr_free(w);
}

static const struct cw_writer_ops ogr_ops = { ogr_add, ogr_commit, ogr_abort, NULL };

int cw_ogr_open(struct cw_writer *w)
{
    if (w->format == CW_FMT_FGB && w->gtype == CW_GEOM_NONE)
        return cw_ctx_error(w->ctx, CW_ERR_ARG, "'%s': FlatGeobuf needs "
                            "geometry (use GPKG or CSV)", w->path);
    struct ogr *o = calloc(1, sizeof *o);
    if (!o)
        return cw_ctx_error(w->ctx, CW_ERR_NOMEM, "out of memory");
    o->w = w;
    w->impl = o;
    w->ops = &ogr_ops;
    GEOSContextHandle_t h = cw_ctx_geos(w->ctx);
    if (!(o->wkb = GEOSWKBWriter_create_r(h))) {
        ogr_free(w);
        return CW_ERR_LIB;
    }
    GEOSWKBWriter_setOutputDimension_r(h, o->wkb, 2);
    int rc = cw_atomic_begin(w->ctx, w->path, w->overwrite, &o->a);
    if (rc != CW_OK) {
        ogr_free(w);
        return rc;
    }
    gdal_enter(o);
    rc = create_dataset(o);
    gdal_leave(o);
    if (rc != CW_OK)
        ogr_abort(w);
    return rc;
}
