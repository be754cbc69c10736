/* map_read.c: a layer as the map draws it: points and lines as plain
 * lon/lat coordinate arrays (a million edges need no GEOS objects), GEOS
 * only for polygons, and only the attributes the style names.
 * SPDX-License-Identifier: MIT
 *
 * OGR vector sources are read here directly; tables whose points are in
 * two columns (CSV, TSV) go through cw_layer_read and are converted.
 */
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cpl_error.h>
#include <gdal.h>
#include <ogr_api.h>
#include <ogr_srs_api.h>

#include "map_priv.h"

void map_feats_release(struct cw_ctx *ctx, struct map_feats *f)
{
    for (size_t r = 0; f->poly && r < f->n; r++)
        if (f->poly[r])
            GEOSGeom_destroy_r(cw_ctx_geos(ctx), f->poly[r]);
    free(f->poly);
    free(f->kind);
    free(f->first);
    map_path_release(&f->coords);
    cw_table_release(&f->attrs);
    memset(f, 0, sizeof *f);
    cw_table_init(&f->attrs);
}

/* Room for feature n (kind, first part, polygon). */
static int grow(struct map_feats *f, size_t *cap)
{
    if (f->n + 1 < *cap)
        return 0;
    size_t c = *cap ? 2 * *cap : 1024;
    signed char *k = realloc(f->kind, c * sizeof *k);
    if (k)
        f->kind = k;
    size_t *first = realloc(f->first, (c + 1) * sizeof *first);
    if (first)
        f->first = first;
    GEOSGeometry **p = realloc(f->poly, c * sizeof *p);
    if (p)
        f->poly = p;
    if (!k || !first || !p)
        return -1;
    *cap = c;
    return 0;
}

/* Ends feature n: its kind and where its parts end. */
static void end_feature(struct map_feats *f, int kind, GEOSGeometry *poly)
{
    f->kind[f->n] = (signed char)kind;
    f->poly[f->n] = poly;
    f->n++;
    f->first[f->n] = f->coords.nparts;
}

/* Appends the points and lines of OGR geometry @p g as parts; @return the
 * kind (0 points, 1 lines), -1 for nothing, -2 when out of memory. */
static int ogr_parts(OGRGeometryH g, struct map_path *c)
{
    OGRwkbGeometryType t = wkbFlatten(OGR_G_GetGeometryType(g));
    if (t == wkbPoint || t == wkbLineString) {
        int n = OGR_G_GetPointCount(g);
        if (n < 1 || map_path_reserve(c, (size_t)n))
            return n < 1 ? -1 : -2;
        OGR_G_GetPoints(g, c->xy + 2 * c->n, 2 * sizeof(double), c->xy + 2 * c->n + 1,
                        2 * sizeof(double), NULL, 0);
        c->n += (size_t)n;
        return map_path_end_part(c) ? -2 : t == wkbPoint ? 0 : 1;
    }
    int kind = -1;
    for (int i = 0; i < OGR_G_GetGeometryCount(g) && kind != -2; i++) {
        int k = ogr_parts(OGR_G_GetGeometryRef(g, i), c);
        kind = kind < 0 || k == -2 ? k : kind;
    }
    return kind;
}

/* OGR polygon to GEOS through WKB. */
static GEOSGeometry *ogr_polygon(struct cw_ctx *ctx, OGRGeometryH g)
{
    size_t n = OGR_G_WkbSizeEx(g);
    unsigned char *wkb = malloc(n);
    if (!wkb)
        return NULL;
    OGR_G_ExportToIsoWkb(g, wkbNDR, wkb);
    GEOSGeometry *p = GEOSGeomFromWKB_buf_r(cw_ctx_geos(ctx), wkb, n);
    free(wkb);
    return p;
}

/* State of one OGR read. */
struct reader {
    struct cw_ctx *ctx;
    const char *path;
    OGRLayerH lyr;
    OGRCoordinateTransformationH ct;   /* NULL: already lon/lat */
    int *src;                          /* per attrs column: the OGR field */
    size_t cap;
};

/* The geometry of feature @p row (2-D, linear, lon/lat) into @p out. */
static int add_geometry(struct reader *r, OGRGeometryH g, long long row, struct map_feats *out)
{
    OGREnvelope e;
    if (OGR_G_HasCurveGeometry(g, TRUE)) {
        OGRGeometryH lin = OGR_G_GetLinearGeometry(g, 0, NULL);
        OGR_G_DestroyGeometry(g);
        g = lin;
    }
    OGR_G_FlattenTo2D(g);
    int rc = r->ct && OGR_G_Transform(g, r->ct) != OGRERR_NONE
             ? cw_ctx_error(r->ctx, CW_ERR_DATA, "'%s' row %lld: cannot transform to WGS 84",
                            r->path, row) : CW_OK;
    OGR_G_GetEnvelope(g, &e);
    if (!rc && !(e.MinX >= -180 && e.MaxX <= 180 && e.MinY >= -90 && e.MaxY <= 90))
        rc = cw_ctx_error(r->ctx, CW_ERR_DATA, "'%s' row %lld: coordinates outside longitude/"
                          "latitude range (a projected CRS the file does not name?)",
                          r->path, row);
    OGRwkbGeometryType t = wkbFlatten(OGR_G_GetGeometryType(g));
    int kind = -1;
    GEOSGeometry *poly = NULL;
    if (!rc && (t == wkbPolygon || t == wkbMultiPolygon)) {
        kind = 2;
        if (!(poly = ogr_polygon(r->ctx, g)))
            rc = cw_ctx_error(r->ctx, CW_ERR_DATA, "'%s' row %lld: unreadable polygon", r->path,
                              row);
    } else if (!rc && (kind = ogr_parts(g, &out->coords)) == -2) {
        rc = cw_ctx_error(r->ctx, CW_ERR_NOMEM, "out of memory");
    }
    OGR_G_DestroyGeometry(g);
    if (!rc)
        end_feature(out, kind, poly);
    return rc;
}

static int add_attrs(struct reader *r, OGRFeatureH f, struct map_feats *out)
{
    long row = cw_table_add_row(&out->attrs);
    for (size_t i = 0; row >= 0 && i < out->attrs.nfields; i++) {
        const char *s = OGR_F_IsFieldSetAndNotNull(f, r->src[i])
                        ? OGR_F_GetFieldAsString(f, r->src[i]) : NULL;
        if (cw_table_set(&out->attrs, (size_t)row, (int)i, s))
            row = -1;
    }
    return row < 0 ? cw_ctx_error(r->ctx, CW_ERR_NOMEM, "out of memory") : CW_OK;
}

static int read_features(struct reader *r, struct map_feats *out)
{
    OGRFeatureH f;
    int rc = CW_OK;
    long long row = 0;
    size_t cap = 0;
    OGR_L_ResetReading(r->lyr);
    while (!rc && (f = OGR_L_GetNextFeature(r->lyr))) {
        row++;
        OGRGeometryH g = OGR_F_StealGeometry(f);
        rc = grow(out, &cap) ? cw_ctx_error(r->ctx, CW_ERR_NOMEM, "out of memory")
                             : add_attrs(r, f, out);
        if (!rc && g && !OGR_G_IsEmpty(g)) {
            rc = add_geometry(r, g, row, out);   /* consumes g */
            g = NULL;
        } else if (!rc) {
            end_feature(out, -1, NULL);
        }
        if (g)
            OGR_G_DestroyGeometry(g);
        OGR_F_Destroy(f);
    }
    return rc;
}

/* The fields of the layer in a message: "a, b, c". */
static void field_list(OGRFeatureDefnH defn, char *buf, size_t n)
{
    buf[0] = '\0';
    for (int i = 0; i < OGR_FD_GetFieldCount(defn); i++)
        snprintf(buf + strlen(buf), n - strlen(buf), "%s%s", i ? ", " : "",
                 OGR_Fld_GetNameRef(OGR_FD_GetFieldDefn(defn, i)));
}

/* The attribute columns: every field the style names, which must exist. */
static int add_fields(struct reader *r, const struct map_field *need, size_t nneed,
                      struct map_feats *out)
{
    OGRFeatureDefnH defn = OGR_L_GetLayerDefn(r->lyr);
    if (!(r->src = malloc((nneed + 1) * sizeof *r->src)))
        return cw_ctx_error(r->ctx, CW_ERR_NOMEM, "out of memory");
    for (size_t i = 0; i < nneed; i++) {
        int k = OGR_FD_GetFieldIndex(defn, need[i].name);
        if (k < 0 && !need[i].what)
            continue;   /* optional: --labels names a field some layers lack */
        if (k < 0) {
            char list[256];
            field_list(defn, list, sizeof list);
            return cw_ctx_error(r->ctx, CW_ERR_DATA, "'%s': no %s field '%s' (fields: %s)",
                                r->path, need[i].what, need[i].name, *list ? list : "none");
        }
        if (cw_table_find(&out->attrs, need[i].name) >= 0)
            continue;
        OGRFieldType t = OGR_Fld_GetType(OGR_FD_GetFieldDefn(defn, k));
        enum cw_ftype ft = t == OFTInteger || t == OFTInteger64 ? CW_FT_INTEGER
                         : t == OFTReal ? CW_FT_REAL : CW_FT_STRING;
        r->src[out->attrs.nfields] = k;
        if (cw_table_add_field(&out->attrs, need[i].name, ft, -1) < 0)
            return cw_ctx_error(r->ctx, CW_ERR_NOMEM, "out of memory");
    }
    return CW_OK;
}

/* To WGS84 lon/lat from the layer's CRS; none when it is WGS84 or unnamed. */
static int setup_transform(struct reader *r)
{
    OGRSpatialReferenceH src = OGR_L_GetSpatialRef(r->lyr), wgs84;
    if (!src)
        return CW_OK;
    wgs84 = OSRNewSpatialReference(NULL);
    OSRImportFromEPSG(wgs84, 4326);
    OSRSetAxisMappingStrategy(wgs84, OAMS_TRADITIONAL_GIS_ORDER);
    int rc = CW_OK;
    if (!OSRIsSame(src, wgs84) && !(r->ct = OCTNewCoordinateTransformation(src, wgs84)))
        rc = cw_ctx_error(r->ctx, CW_ERR_DATA, "'%s': cannot transform its CRS to WGS 84",
                          r->path);
    OSRDestroySpatialReference(wgs84);
    return rc;
}

/* A cw_layer (points from a table's coordinate columns) as map features;
 * its whole table moves over, so cw_style_resolve names any missing field
 * among all there are. */
static int from_layer(struct cw_ctx *ctx, struct cw_layer *l, struct map_feats *out)
{
    GEOSContextHandle_t h = cw_ctx_geos(ctx);
    size_t cap = 0;
    for (size_t r = 0; r < l->attrs.nrows; r++) {
        double x, y;
        if (grow(out, &cap) || map_path_reserve(&out->coords, 1))
            return cw_ctx_error(ctx, CW_ERR_NOMEM, "out of memory");
        if (!l->geoms[r] || GEOSGeomGetX_r(h, l->geoms[r], &x) != 1 ||
            GEOSGeomGetY_r(h, l->geoms[r], &y) != 1) {
            end_feature(out, -1, NULL);
            continue;
        }
        out->coords.xy[2 * out->coords.n] = x;
        out->coords.xy[2 * out->coords.n + 1] = y;
        out->coords.n++;
        if (map_path_end_part(&out->coords))
            return cw_ctx_error(ctx, CW_ERR_NOMEM, "out of memory");
        end_feature(out, 0, NULL);
    }
    /* The points are coordinates now; the geometries go before the table
     * moves over, as cw_layer_release counts them by its rows. */
    for (size_t r = 0; r < l->attrs.nrows; r++) {
        GEOSGeom_destroy_r(h, l->geoms[r]);
        l->geoms[r] = NULL;
    }
    out->attrs = l->attrs;
    cw_table_init(&l->attrs);
    return CW_OK;
}

static int read_table(struct cw_ctx *ctx, const char *path, struct map_feats *out)
{
    struct cw_layer l;
    int rc = cw_layer_read(ctx, path, NULL, &l);
    if (!rc)
        rc = from_layer(ctx, &l, out);
    cw_layer_release(ctx, &l);
    return rc;
}

int map_feats_read(struct cw_ctx *ctx, const char *path, const struct map_field *need,
                   size_t nneed, struct map_feats *out)
{
    memset(out, 0, sizeof *out);
    cw_table_init(&out->attrs);
    if (!(out->first = calloc(1, sizeof *out->first)))
        return cw_ctx_error(ctx, CW_ERR_NOMEM, "out of memory");
    CPLPushErrorHandler(CPLQuietErrorHandler);
    GDALDatasetH ds = GDALOpenEx(path, GDAL_OF_VECTOR | GDAL_OF_READONLY, NULL, NULL, NULL);
    CPLPopErrorHandler();
    struct reader r = { .ctx = ctx, .path = path };
    r.lyr = ds && GDALDatasetGetLayerCount(ds) > 0 ? GDALDatasetGetLayer(ds, 0) : NULL;
    int rc;
    if (!r.lyr || OGR_FD_GetGeomFieldCount(OGR_L_GetLayerDefn(r.lyr)) == 0) {
        /* Not OGR's, or a table: the general reader says why, or finds
         * the coordinate columns. */
        if (ds)
            GDALClose(ds);
        rc = read_table(ctx, path, out);
    } else {
        CPLPushErrorHandler(CPLQuietErrorHandler);
        rc = add_fields(&r, need, nneed, out);
        rc = rc ? rc : setup_transform(&r);
        rc = rc ? rc : read_features(&r, out);
        CPLPopErrorHandler();
        if (r.ct)
            OCTDestroyCoordinateTransformation(r.ct);
        GDALClose(ds);
    }
    free(r.src);
    if (rc)
        map_feats_release(ctx, out);
    return rc;
}
