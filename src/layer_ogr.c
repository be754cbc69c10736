/* layer_ogr.c: reading any OGR vector source into a cw_layer: geometries
 * to GEOS in WGS84 lon/lat, attributes as text, coordinates of tables
 * parsed strictly.
 * SPDX-License-Identifier: MIT
 */
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <sys/stat.h>

#include <cpl_error.h>
#include <cpl_conv.h>
#include <cpl_string.h>
#include <gdal.h>
#include <ogr_api.h>
#include <ogr_srs_api.h>

#include "cityweave/layer.h"
#include "read_priv.h"
#include "utf8.h"

void cw_layer_init(struct cw_layer *l)
{
    memset(l, 0, sizeof *l);
    cw_table_init(&l->attrs);
}

void cw_layer_release(struct cw_ctx *ctx, struct cw_layer *l)
{
    for (size_t i = 0; i < l->attrs.nrows; i++)
        if (l->geoms[i])
            GEOSGeom_destroy_r(cw_ctx_geos(ctx), l->geoms[i]);
    free(l->geoms);
    free(l->name);
    cw_table_release(&l->attrs);
    cw_layer_init(l);
}

long cw_layer_add(struct cw_ctx *ctx, struct cw_layer *l, GEOSGeometry *geom)
{
    if (l->attrs.nrows == l->cap) {
        size_t cap = l->cap ? 2 * l->cap : 64;
        GEOSGeometry **g = realloc(l->geoms, cap * sizeof *g);
        if (!g)
            goto nomem;
        l->geoms = g;
        l->cap = cap;
    }
    long row = cw_table_add_row(&l->attrs);
    if (row < 0)
        goto nomem;
    l->geoms[row] = geom;
    return row;
nomem:
    if (geom)
        GEOSGeom_destroy_r(cw_ctx_geos(ctx), geom);
    return -1;
}

/* State of one read: what to close and what to report against. */
struct reader {
    struct cw_ctx *ctx;
    const char *path;
    const struct cw_read_opts *o;
    GDALDatasetH ds;
    OGRLayerH lyr;
    OGRCoordinateTransformationH ct;  /* NULL when the source is WGS84 */
    int tabular;                      /* CSV-like: coordinates in columns */
    long long *fids;                  /* tabular: each row's FID */
    size_t capfids;
    int geographic_src;               /* coordinates must be lon/lat */
    int shapefile;                    /* text encoding from .cpg or SHAPE_ENCODING */
    long long row;                    /* features read so far */
    char cpl_msg[512];
};

/* GDAL must not print: keep its last failure message for ours. */
static void on_cpl_error(CPLErr cls, CPLErrorNum num, const char *msg)
{
    (void)num;
    struct reader *r = CPLGetErrorHandlerUserData();
    if (r && cls >= CE_Failure)
        snprintf(r->cpl_msg, sizeof r->cpl_msg, "%s", msg);
}

/* Names the row of a message: the 1-based data row (for a CSV, row N is
 * line N + 1, after the header; OGR's CSV FIDs count exactly so, even
 * under -where), else the 1-based position of the feature in the layer. */
static void where(const struct reader *r, OGRFeatureH f, char *buf, size_t n)
{
    long long row = r->tabular || r->o->attributes_only ? OGR_F_GetFID(f) : r->row;
    snprintf(buf, n, "'%s' row %lld", r->path, row);
}

static int open_source(struct reader *r)
{
    const char *csv_opts[] = { "AUTODETECT_TYPE=NO", "EMPTY_STRING_AS_NULL=YES", NULL };
    r->ds = GDALOpenEx(r->path, GDAL_OF_VECTOR | GDAL_OF_READONLY, NULL, csv_opts, NULL);
    if (!r->ds)
        return cw_ctx_error(r->ctx, CW_ERR_IO, "cannot open '%s': %s", r->path,
                            *r->cpl_msg ? r->cpl_msg : "not a vector source GDAL can read");
    r->shapefile = strcmp(GDALGetDriverShortName(GDALGetDatasetDriver(r->ds)), "ESRI Shapefile") == 0;
    if (r->o->layer) {
        r->lyr = GDALDatasetGetLayerByName(r->ds, r->o->layer);
        if (!r->lyr)
            return cw_ctx_error(r->ctx, CW_ERR_DATA, "'%s': no layer '%s'", r->path,
                                r->o->layer);
    } else if (GDALDatasetGetLayerCount(r->ds) < 1 ||
               !(r->lyr = GDALDatasetGetLayer(r->ds, 0))) {
        return cw_ctx_error(r->ctx, CW_ERR_DATA, "'%s': no layer", r->path);
    }
    if (r->o->where && OGR_L_SetAttributeFilter(r->lyr, r->o->where) != OGRERR_NONE)
        return cw_ctx_error(r->ctx, CW_ERR_ARG, "'%s': bad -where '%s': %s", r->path,
                            r->o->where, r->cpl_msg);
    return CW_OK;
}

/* The source CRS: -s_srs, else the layer's; NULL when it has none. */
static OGRSpatialReferenceH source_srs(struct reader *r, int *err)
{
    OGRSpatialReferenceH srs = NULL;
    *err = CW_OK;
    if (r->o->s_srs) {
        srs = OSRNewSpatialReference(NULL);
        if (OSRSetFromUserInput(srs, r->o->s_srs) != OGRERR_NONE) {
            OSRDestroySpatialReference(srs);
            *err = cw_ctx_error(r->ctx, CW_ERR_ARG, "unknown CRS '%s' (-s_srs)", r->o->s_srs);
            return NULL;
        }
        OSRSetAxisMappingStrategy(srs, OAMS_TRADITIONAL_GIS_ORDER);
    } else if (!r->tabular && OGR_L_GetSpatialRef(r->lyr)) {
        srs = OSRClone(OGR_L_GetSpatialRef(r->lyr));
        /* the layer's data axis order, as the driver set it */
        int n = 0;
        const int *map = OSRGetDataAxisToSRSAxisMapping(OGR_L_GetSpatialRef(r->lyr), &n);
        OSRSetDataAxisToSRSAxisMapping(srs, n, map);
    }
    return srs;
}

/* Whether a shapefile has a .prj beside its .shp: a CRS was given, though
 * GDAL could not read one from it (the driver then lists no .prj). */
static int has_prj(struct reader *r)
{
    char **files = r->shapefile ? GDALGetFileList(r->ds) : NULL;
    int found = 0;
    struct stat st;
    for (char **f = files; f && *f && !found; f++) {
        const char *dot = strrchr(*f, '.');
        if (dot && strcasecmp(dot, ".shp") == 0)
            found = stat(CPLResetExtension(*f, "prj"), &st) == 0 ||
                    stat(CPLResetExtension(*f, "PRJ"), &st) == 0;
    }
    CSLDestroy(files);
    return found;
}

/* Sets up the transformation to WGS84 lon/lat, if one is needed. */
static int setup_transform(struct reader *r)
{
    int err;
    OGRSpatialReferenceH src = source_srs(r, &err), wgs84;
    if (err)
        return err;
    if (!src && !r->tabular && has_prj(r))
        return cw_ctx_error(r->ctx, CW_ERR_DATA, "'%s': its .prj is no CRS GDAL can read%s%s "
                            "(give the CRS with -s_srs)", r->path, *r->cpl_msg ? ": " : "",
                            r->cpl_msg);
    if (!src) {
        r->geographic_src = 1;  /* no CRS: must already be lon/lat */
        return CW_OK;
    }
    wgs84 = OSRNewSpatialReference(NULL);
    OSRImportFromEPSG(wgs84, 4326);
    OSRSetAxisMappingStrategy(wgs84, OAMS_TRADITIONAL_GIS_ORDER);
    if (OSRIsSame(src, wgs84)) {
        r->geographic_src = 1;
    } else if (!(r->ct = OCTNewCoordinateTransformation(src, wgs84))) {
        err = cw_ctx_error(r->ctx, CW_ERR_DATA, "'%s': cannot transform its CRS to WGS 84: %s",
                           r->path, r->cpl_msg);
    }
    OSRDestroySpatialReference(src);
    OSRDestroySpatialReference(wgs84);
    return err;
}

/* A layer without geometry is a table whose points are in two columns. */
static void setup_columns(struct reader *r)
{
    OGRFeatureDefnH defn = OGR_L_GetLayerDefn(r->lyr);
    r->tabular = !r->o->attributes_only && OGR_FD_GetGeomFieldCount(defn) == 0;
}

/* Text must reach the writers as UTF-8. GDAL recodes shapefiles whose
 * .cpg (or DBF language byte) names their encoding; undeclared 8-bit text
 * is refused rather than guessed at. */
static int not_utf8(struct reader *r, const char *at, const char *what)
{
    return cw_ctx_error(r->ctx, CW_ERR_DATA, "%s: %s is not UTF-8 text (%s)", at, what,
                        r->shapefile ? "name its encoding in a .cpg file, e.g. LATIN1, "
                                       "or set SHAPE_ENCODING=LATIN1"
                                     : "convert it to UTF-8");
}

static int is_utf8(const char *s)
{
    size_t n = strlen(s);
    return cw_utf8_check(s, n) == n;
}

static int add_fields(struct reader *r, struct cw_layer *out)
{
    OGRFeatureDefnH defn = OGR_L_GetLayerDefn(r->lyr);
    for (int i = 0; i < OGR_FD_GetFieldCount(defn); i++) {
        OGRFieldDefnH fd = OGR_FD_GetFieldDefn(defn, i);
        OGRFieldType t = OGR_Fld_GetType(fd);
        if (!is_utf8(OGR_Fld_GetNameRef(fd))) {
            char at[600], what[64];
            snprintf(at, sizeof at, "'%s'", r->path);
            snprintf(what, sizeof what, "the name of field %d", i + 1);
            return not_utf8(r, at, what);
        }
        enum cw_ftype ft = t == OFTInteger || t == OFTInteger64 ? CW_FT_INTEGER
                         : t == OFTReal ? CW_FT_REAL : CW_FT_STRING;
        if (cw_table_add_field(&out->attrs, OGR_Fld_GetNameRef(fd), ft, -1) < 0)
            return cw_ctx_error(r->ctx, CW_ERR_NOMEM, "out of memory");
    }
    return CW_OK;
}

/* A geometry with no CRS is only accepted when it fits lon/lat bounds. */
static int check_bounds(struct reader *r, OGRFeatureH f, OGRGeometryH g)
{
    OGREnvelope e;
    char at[600];
    OGR_G_GetEnvelope(g, &e);
    if (!(isfinite(e.MinX) && isfinite(e.MaxX) && isfinite(e.MinY) && isfinite(e.MaxY))) {
        where(r, f, at, sizeof at);
        return cw_ctx_error(r->ctx, CW_ERR_DATA, "%s: non-finite coordinate", at);
    }
    if (r->geographic_src && (e.MinX < -180 || e.MaxX > 180 || e.MinY < -90 || e.MaxY > 90)) {
        where(r, f, at, sizeof at);
        return cw_ctx_error(r->ctx, CW_ERR_DATA,
                            "%s: coordinates outside longitude/latitude range "
                            "(a projected CRS? give it with -s_srs)", at);
    }
    return CW_OK;
}

/* OGR geometry (consumed) to GEOS, 2-D, linear, in WGS84 lon/lat. */
static int to_geos(struct reader *r, OGRFeatureH f, OGRGeometryH g, GEOSGeometry **out)
{
    int rc = CW_OK;
    unsigned char *wkb = NULL;
    char at[600];
    *out = NULL;
    if (OGR_G_HasCurveGeometry(g, TRUE)) {
        OGRGeometryH lin = OGR_G_GetLinearGeometry(g, 0, NULL);
        OGR_G_DestroyGeometry(g);
        g = lin;
    }
    OGR_G_FlattenTo2D(g);
    if (r->ct && OGR_G_Transform(g, r->ct) != OGRERR_NONE) {
        where(r, f, at, sizeof at);
        rc = cw_ctx_error(r->ctx, CW_ERR_DATA, "%s: cannot transform to WGS 84", at);
        goto out;
    }
    if ((rc = check_bounds(r, f, g)))
        goto out;
    size_t n = OGR_G_WkbSizeEx(g);
    if (!(wkb = malloc(n))) {
        rc = cw_ctx_error(r->ctx, CW_ERR_NOMEM, "out of memory");
        goto out;
    }
    OGR_G_ExportToIsoWkb(g, wkbNDR, wkb);
    if (!(*out = GEOSGeomFromWKB_buf_r(cw_ctx_geos(r->ctx), wkb, n))) {
        char why[512];  /* GEOS's reason, e.g. a ring that is not closed */
        snprintf(why, sizeof why, "%s", cw_ctx_errmsg(r->ctx));
        where(r, f, at, sizeof at);
        rc = cw_ctx_error(r->ctx, CW_ERR_DATA, "%s: unreadable geometry (%s)", at, why);
    }
out:
    free(wkb);
    OGR_G_DestroyGeometry(g);
    return rc;
}

static int read_attrs(struct reader *r, OGRFeatureH f, struct cw_layer *out, long row)
{
    for (size_t i = 0; i < out->attrs.nfields; i++) {
        const char *s = OGR_F_IsFieldSetAndNotNull(f, (int)i)
                        ? OGR_F_GetFieldAsString(f, (int)i) : NULL;
        if (s && out->attrs.fields[i].type == CW_FT_STRING && !is_utf8(s)) {
            char at[600], what[300];
            where(r, f, at, sizeof at);
            snprintf(what, sizeof what, "field '%s'", out->attrs.fields[i].name);
            return not_utf8(r, at, what);
        }
        if (cw_table_set(&out->attrs, (size_t)row, (int)i, s))
            return cw_ctx_error(r->ctx, CW_ERR_NOMEM, "out of memory");
    }
    return CW_OK;
}

static int remember_fid(struct reader *r, size_t row, long long fid)
{
    if (row == r->capfids) {
        size_t cap = r->capfids ? 2 * r->capfids : 256;
        long long *f = realloc(r->fids, cap * sizeof *f);
        if (!f)
            return cw_ctx_error(r->ctx, CW_ERR_NOMEM, "out of memory");
        r->fids = f;
        r->capfids = cap;
    }
    r->fids[row] = fid;
    return CW_OK;
}

static int read_features(struct reader *r, struct cw_layer *out)
{
    OGRFeatureH f;
    int rc = CW_OK;
    OGR_L_ResetReading(r->lyr);
    while (!rc) {
        OGRGeometryH g = NULL;
        GEOSGeometry *gg = NULL;
        f = OGR_L_GetNextFeature(r->lyr);
        r->row += f != NULL;
        if (*r->cpl_msg) {   /* GDAL failed on this record (a truncated file) */
            char at[600];
            if (f)
                where(r, f, at, sizeof at);
            else
                snprintf(at, sizeof at, "'%s' row %lld", r->path, r->row + 1);
            rc = cw_ctx_error(r->ctx, CW_ERR_DATA, "%s: %s", at, r->cpl_msg);
        }
        if (rc || !f) {
            OGR_F_Destroy(f);
            break;
        }
        if (!r->tabular && !r->o->attributes_only && OGR_F_GetGeometryRef(f))
            g = OGR_F_StealGeometry(f);
        if (g && !OGR_G_IsEmpty(g))
            rc = to_geos(r, f, g, &gg);
        else if (g)
            OGR_G_DestroyGeometry(g);
        long row = rc ? -1 : cw_layer_add(r->ctx, out, gg);
        if (!rc && row < 0)
            rc = cw_ctx_error(r->ctx, CW_ERR_NOMEM, "out of memory");
        if (!rc)
            rc = read_attrs(r, f, out, row);
        if (!rc && r->tabular)
            rc = remember_fid(r, (size_t)row, OGR_F_GetFID(f));
        OGR_F_Destroy(f);
    }
    return rc;
}

/* A table read through OGR (a CSV under -where, an XLSX, ...): points from
 * its coordinate columns, in the -s_srs CRS when one is given. */
static int table_points(struct reader *r, struct cw_layer *out)
{
    int lon, lat;
    int rc = cw_find_coord_columns(r->ctx, r->path, &out->attrs, r->o, &lon, &lat);
    if (!rc)
        rc = cw_points_from_columns(r->ctx, r->path, out, lon, lat, r->fids, !r->ct);
    for (size_t i = 0; !rc && r->ct && i < out->attrs.nrows; i++) {
        GEOSContextHandle_t h = cw_ctx_geos(r->ctx);
        double x, y;
        GEOSGeomGetX_r(h, out->geoms[i], &x);
        GEOSGeomGetY_r(h, out->geoms[i], &y);
        if (!OCTTransform(r->ct, 1, &x, &y, NULL))
            return cw_ctx_error(r->ctx, CW_ERR_DATA, "'%s' row %lld: cannot transform to WGS 84",
                                r->path, r->fids[i]);
        GEOSGeom_destroy_r(h, out->geoms[i]);
        if (!(out->geoms[i] = GEOSGeom_createPointFromXY_r(h, x, y)))
            return cw_ctx_error(r->ctx, CW_ERR_NOMEM, "out of memory");
    }
    return rc;
}

int cw_layer_read(struct cw_ctx *ctx, const char *path,
                  const struct cw_read_opts *opts, struct cw_layer *out)
{
    static const struct cw_read_opts none;
    struct reader r = { .ctx = ctx, .path = path, .o = opts ? opts : &none };
    int rc;

    if (cw_csv_fast_ok(path, r.o))
        return cw_csv_read(ctx, path, r.o, out);
    cw_layer_init(out);
    GDALAllRegister();
    CPLPushErrorHandlerEx(on_cpl_error, &r);
    if ((rc = open_source(&r)))
        goto out;
    setup_columns(&r);
    if ((rc = setup_transform(&r)))
        goto out;
    if (!(out->name = strdup(OGR_L_GetName(r.lyr)))) {
        rc = cw_ctx_error(ctx, CW_ERR_NOMEM, "out of memory");
        goto out;
    }
    r.cpl_msg[0] = '\0';  /* what opening tried and dropped is no error */
    if ((rc = add_fields(&r, out)) || (rc = read_features(&r, out)))
        goto out;
    if (r.tabular || r.o->attributes_only)
        cw_table_infer_types(&out->attrs);  /* CSV text: numbers as numbers */
    if (r.tabular)
        rc = table_points(&r, out);
out:
    CPLPopErrorHandler();
    if (r.ct)
        OCTDestroyCoordinateTransformation(r.ct);
    if (r.ds)
        GDALClose(r.ds);
    free(r.fids);
    if (rc)
        cw_layer_release(ctx, out);
    return rc;
}
