/* test_writer.c: unit tests of the output writers, failure paths first;
 * what they write is read back with independent readers (OGR, Shapelib).
 * SPDX-License-Identifier: MIT
 */
#define _GNU_SOURCE  /* mkdtemp, nftw */
#include <dirent.h>
#include <fcntl.h>
#include <ftw.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include <gdal.h>
#include <ogr_api.h>
#include <ogr_srs_api.h>
#include <shapefil.h>

#include "cityweave/writer.h"
#include "check.h"

static char dir[64];
static char pathbuf[4][512];

/* A path inside the test directory; four rotating buffers. */
static const char *at(const char *name)
{
    static int k;
    char *p = pathbuf[k++ % 4];
    snprintf(p, sizeof pathbuf[0], "%s/%s", dir, name);
    return p;
}

struct warnings {
    int n;
    char last[512];
};

static void on_warn(const char *msg, void *arg)
{
    struct warnings *w = arg;
    w->n++;
    snprintf(w->last, sizeof w->last, "%s", msg);
}

static char *slurp(const char *path, size_t *len)
{
    FILE *fp = fopen(path, "rb");
    char *buf = NULL;
    long n;
    if (fp && fseek(fp, 0, SEEK_END) == 0 && (n = ftell(fp)) >= 0 &&
        fseek(fp, 0, SEEK_SET) == 0 && (buf = malloc((size_t)n + 1))) {
        *len = fread(buf, 1, (size_t)n, fp);
        buf[*len] = '\0';
    }
    if (fp)
        fclose(fp);
    return buf;
}

static void put_file(const char *path, const char *text)
{
    FILE *fp = fopen(path, "w");
    if (fp) {
        fputs(text, fp);
        fclose(fp);
    }
}

static int file_is(const char *path, const char *text)
{
    size_t len = 0;
    char *s = slurp(path, &len);
    int same = s && len == strlen(text) && memcmp(s, text, len) == 0;
    free(s);
    return same;
}

/* Entries of @p d other than . and ..; @p hidden counts only dot files,
 * which is what temporary files are. */
static int count_entries(const char *d, int hidden)
{
    DIR *dp = opendir(d);
    struct dirent *e;
    int n = 0;
    while (dp && (e = readdir(dp)))
        if (strcmp(e->d_name, ".") && strcmp(e->d_name, "..") &&
            (!hidden || e->d_name[0] == '.'))
            n++;
    if (dp)
        closedir(dp);
    return n;
}

static int rm_entry(const char *p, const struct stat *st, int flag, struct FTW *f)
{
    (void)st; (void)flag; (void)f;
    return remove(p);
}

static void empty_dir(void)
{
    DIR *dp = opendir(dir);
    struct dirent *e;
    while (dp && (e = readdir(dp)))
        if (strcmp(e->d_name, ".") && strcmp(e->d_name, ".."))
            nftw(at(e->d_name), rm_entry, 8, FTW_DEPTH | FTW_PHYS);
    if (dp)
        closedir(dp);
}

/* ---- the sample layers ---- */

static struct cw_field fields[] = {
    { "name", CW_FT_STRING, 0, 16 },
    { "count", CW_FT_INTEGER, 0, 0 },
    { "score", CW_FT_REAL, -1, 0 },
};
#define NFIELDS 3

struct row {
    const char *wkt;  /* NULL: null geometry */
    const char *vals[NFIELDS];
};

static const struct row points[] = {
    { "POINT (13.405 52.52)", { "Berlin", "3645000", "0.5" } },
    { "POINT (-0.1276 51.5072)", { "a\"b\\c\nd", NULL, "-1.25e-3" } },
    { NULL, { NULL, "0", NULL } },
};
static const struct row lines[] = {
    { "LINESTRING (0 0, 1.123456789 1)", { "l1", "1", "2.5" } },
    { "MULTILINESTRING ((179 10, 180 11), (-180 11, -179 12))",
      { "across", "2", NULL } },
};
static const struct row polygons[] = {
    /* exterior clockwise, hole counter-clockwise: the Shapefile order */
    { "POLYGON ((0 0, 0 10, 10 10, 10 0, 0 0), (2 2, 4 2, 4 4, 2 4, 2 2))",
      { "cw", "1", "1" } },
    /* exterior counter-clockwise: the GeoJSON order */
    { "MULTIPOLYGON (((20 0, 30 0, 30 10, 20 10, 20 0)))", { "ccw", "2", "2" } },
};

static const struct row *sample(enum cw_geom_type t, size_t *n)
{
    *n = t == CW_GEOM_POINT ? 3 : 2;
    return t == CW_GEOM_POINT ? points : t == CW_GEOM_LINE ? lines : polygons;
}

/* Writes the sample of family @p t; @return the first failing status. */
static int write_sample(struct cw_ctx *ctx, const char *path, enum cw_geom_type t,
                        const struct cw_write_opts *o)
{
    GEOSContextHandle_t h = cw_ctx_geos(ctx);
    GEOSWKTReader *r = GEOSWKTReader_create_r(h);
    struct cw_writer *w;
    size_t n;
    const struct row *rows = sample(t, &n);
    int rc = cw_writer_open(ctx, path, o, fields, NFIELDS, t, &w);
    for (size_t i = 0; i < n && rc == CW_OK; i++) {
        GEOSGeometry *g = rows[i].wkt ? GEOSWKTReader_read_r(h, r, rows[i].wkt) : NULL;
        rc = cw_writer_add(w, g, rows[i].vals);
        GEOSGeom_destroy_r(h, g);
    }
    if (w)
        rc = rc == CW_OK ? cw_writer_commit(w) : (cw_writer_abort(w), rc);
    GEOSWKTReader_destroy_r(h, r);
    return rc;
}

static const char *const outputs[] = { "o.geojson", "o.shp", "o.gpkg", "o.fgb",
                                       "o.csv" };
#define NOUTPUTS 5

/* ---- failure paths ---- */

static void test_format_names(void)
{
    enum cw_format f = CW_FMT_AUTO;
    CHECK(cw_format_from_name("nonsense", &f) == CW_ERR_ARG);
    CHECK(cw_format_from_name("esri shapefile", &f) == CW_OK && f == CW_FMT_SHAPEFILE);
    CHECK(cw_format_from_name("SHP", &f) == CW_OK && f == CW_FMT_SHAPEFILE);
    CHECK(cw_format_from_name("GeoJSON", &f) == CW_OK && f == CW_FMT_GEOJSON);
    CHECK(cw_format_from_name("json", &f) == CW_OK && f == CW_FMT_GEOJSON);
    CHECK(cw_format_from_name("gpkg", &f) == CW_OK && f == CW_FMT_GPKG);
    CHECK(cw_format_from_name("FlatGeobuf", &f) == CW_OK && f == CW_FMT_FGB);
    CHECK(cw_format_from_name("csv", &f) == CW_OK && f == CW_FMT_CSV);
    CHECK(cw_format_from_path("a/b.txt") == CW_FMT_AUTO);
    CHECK(cw_format_from_path(".shp") == CW_FMT_AUTO);
    CHECK(cw_format_from_path("-") == CW_FMT_GEOJSON);
    CHECK(cw_format_from_path("x.GeoJSON") == CW_FMT_GEOJSON);
    CHECK(cw_format_from_path("x.json") == CW_FMT_GEOJSON);
    CHECK(cw_format_from_path("d.x/x.shp") == CW_FMT_SHAPEFILE);
    CHECK(cw_format_from_path("x.gpkg") == CW_FMT_GPKG);
    CHECK(cw_format_from_path("x.fgb") == CW_FMT_FGB);
    CHECK(cw_format_from_path("x.csv") == CW_FMT_CSV);
}

static void test_bad_args(struct cw_ctx *ctx)
{
    struct cw_writer *w = (struct cw_writer *)1;
    struct cw_write_opts o = { 0 };
    CHECK(cw_writer_open(ctx, at("o.txt"), NULL, fields, NFIELDS, CW_GEOM_POINT,
                         &w) == CW_ERR_ARG && w == NULL);
    CHECK(strstr(cw_ctx_errmsg(ctx), "unknown output format") != NULL);
    o.format = CW_FMT_SHAPEFILE;
    CHECK(cw_writer_open(ctx, "-", &o, fields, NFIELDS, CW_GEOM_POINT, &w)
          == CW_ERR_ARG);
    CHECK(cw_writer_open(ctx, at("o.dbf"), &o, fields, NFIELDS, CW_GEOM_POINT,
                         &w) == CW_ERR_ARG);
    o.format = CW_FMT_AUTO;
    o.precision = 18;
    CHECK(cw_writer_open(ctx, at("o.geojson"), &o, fields, NFIELDS,
                         CW_GEOM_POINT, &w) == CW_ERR_ARG);
    o.precision = -1;
    CHECK(cw_writer_open(ctx, at("o.geojson"), &o, fields, NFIELDS,
                         CW_GEOM_POINT, &w) == CW_ERR_ARG);
    CHECK(count_entries(dir, 0) == 0);
}

/* A geometry of the wrong family fails the add, and commit then publishes
 * nothing. */
static void test_wrong_family(struct cw_ctx *ctx)
{
    GEOSContextHandle_t h = cw_ctx_geos(ctx);
    GEOSWKTReader *r = GEOSWKTReader_create_r(h);
    GEOSGeometry *g = GEOSWKTReader_read_r(h, r, "POINT (1 2)");
    for (int i = 0; i < NOUTPUTS; i++) {
        struct cw_writer *w;
        const char *vals[NFIELDS] = { "x", "1", "1" };
        CHECK(cw_writer_open(ctx, at(outputs[i]), NULL, fields, NFIELDS,
                             CW_GEOM_LINE, &w) == CW_OK);
        CHECK(cw_writer_add(w, g, vals) == CW_ERR_DATA);
        CHECK(strstr(cw_ctx_errmsg(ctx), "feature 1: Point geometry in a line "
                                         "layer") != NULL);
        CHECK(cw_writer_add(w, NULL, vals) == CW_ERR_DATA);
        CHECK(cw_writer_commit(w) == CW_ERR_DATA);
        CHECK(count_entries(dir, 0) == 0);
    }
    GEOSGeom_destroy_r(h, g);
    GEOSWKTReader_destroy_r(h, r);
}

/* An existing output is refused without overwrite and left as it was. */
static void test_exists(struct cw_ctx *ctx)
{
    for (int i = 0; i < NOUTPUTS; i++) {
        char want[600];
        put_file(at(outputs[i]), "old\n");
        CHECK(write_sample(ctx, at(outputs[i]), CW_GEOM_POINT, NULL) == CW_ERR_EXISTS);
        snprintf(want, sizeof want, "'%s' exists (use --overwrite)", at(outputs[i]));
        CHECK(strcmp(cw_ctx_errmsg(ctx), want) == 0);
        CHECK(file_is(at(outputs[i]), "old\n"));
        CHECK(count_entries(dir, 0) == 1);
        empty_dir();
    }
}

/* A directory that cannot be written: CW_ERR_IO and no file anywhere. */
static void test_unwritable(struct cw_ctx *ctx)
{
    char p[600];
    mkdir(at("ro"), 0555);
    for (int i = 0; i < NOUTPUTS; i++) {
        snprintf(p, sizeof p, "%s/missing/%s", dir, outputs[i]);
        CHECK(write_sample(ctx, p, CW_GEOM_POINT, NULL) == CW_ERR_IO);
        CHECK(strstr(cw_ctx_errmsg(ctx), "cannot write: No such file") != NULL);
        /* root writes anywhere, so the permission case needs a user */
        if (geteuid() != 0) {
            snprintf(p, sizeof p, "%s/ro/%s", dir, outputs[i]);
            CHECK(write_sample(ctx, p, CW_GEOM_POINT, NULL) == CW_ERR_IO);
            CHECK(count_entries(at("ro"), 0) == 0);
        }
    }
    CHECK(count_entries(dir, 0) == 1);
    empty_dir();
}

/* CW_FAIL_WRITE=N fails the N-th record (N = 3: the commit) of every
 * format; the old output stays byte-identical and no temporary remains. */
static void test_fault_injection(void)
{
    struct cw_write_opts o = { .overwrite = 1 };
    for (int i = 0; i < NOUTPUTS; i++)
        for (int n = 1; n <= 3; n++) {
            char env[8];
            snprintf(env, sizeof env, "%d", n);
            setenv("CW_FAIL_WRITE", env, 1);
            struct cw_ctx *ctx = cw_ctx_new();
            unsetenv("CW_FAIL_WRITE");
            put_file(at(outputs[i]), "old\n");
            CHECK(write_sample(ctx, at(outputs[i]), CW_GEOM_LINE, &o) == CW_ERR_IO);
            CHECK(strstr(cw_ctx_errmsg(ctx), "injected fault") != NULL);
            CHECK(file_is(at(outputs[i]), "old\n"));
            CHECK(count_entries(dir, 0) == 1);
            cw_ctx_free(ctx);
            empty_dir();
        }
}

/* ---- results, checked with independent readers ---- */

static void test_shp_names(void)
{
    struct cw_field f[] = {
        { "harmonic_closeness", CW_FT_REAL, -1, 0 },
        { "harmonic_centrality", CW_FT_REAL, -1, 0 },
        { "harmonic_1", CW_FT_REAL, -1, 0 },
        { "HARMONIC_C", CW_FT_REAL, -1, 0 },
        { "id", CW_FT_STRING, 0, 0 },
        { "caf\xc3\xa9\xc3\xa9\xc3\xa9\xc3\xa9", CW_FT_STRING, 0, 0 },
    };
    char out[6][11];
    CHECK(cw_shp_field_names(f, 6, out) == 5);
    CHECK(strcmp(out[0], "harmonic_c") == 0);
    CHECK(strcmp(out[1], "harmonic_1") == 0);
    CHECK(strcmp(out[2], "harmonic_2") == 0);
    CHECK(strcmp(out[3], "HARMONIC_3") == 0);
    CHECK(strcmp(out[4], "id") == 0);
    CHECK(strcmp(out[5], "caf\xc3\xa9\xc3\xa9\xc3\xa9") == 0);  /* 9 bytes */
}

static OGRLayerH open_layer(const char *path, GDALDatasetH *ds)
{
    *ds = GDALOpenEx(path, GDAL_OF_VECTOR | GDAL_OF_READONLY, NULL, NULL, NULL);
    return *ds ? GDALDatasetGetLayer(*ds, 0) : NULL;
}

/* Twice the signed area of ring @p r (> 0: counter-clockwise). */
static double ring_area2(OGRGeometryH r)
{
    double a = 0;
    int n = OGR_G_GetPointCount(r);
    for (int i = 0; i + 1 < n; i++)
        a += OGR_G_GetX(r, i) * OGR_G_GetY(r, i + 1)
           - OGR_G_GetX(r, i + 1) * OGR_G_GetY(r, i);
    return a;
}

/* What every geometry format must give back. */
static void check_points(OGRLayerH l)
{
    OGRFeatureDefnH d = OGR_L_GetLayerDefn(l);
    OGRFeatureH f;
    CHECK(OGR_L_GetFeatureCount(l, TRUE) == 3);
    CHECK(OGR_FD_GetFieldCount(d) == NFIELDS);
    CHECK(strcmp(OGR_Fld_GetNameRef(OGR_FD_GetFieldDefn(d, 0)), "name") == 0);
    CHECK(OGR_Fld_GetType(OGR_FD_GetFieldDefn(d, 0)) == OFTString);
    CHECK(strcmp(OGR_Fld_GetNameRef(OGR_FD_GetFieldDefn(d, 1)), "count") == 0);
    CHECK(OGR_Fld_GetType(OGR_FD_GetFieldDefn(d, 1)) == OFTInteger64 ||
          OGR_Fld_GetType(OGR_FD_GetFieldDefn(d, 1)) == OFTInteger);
    CHECK(OGR_Fld_GetType(OGR_FD_GetFieldDefn(d, 2)) == OFTReal);
    OGR_L_ResetReading(l);
    if ((f = OGR_L_GetNextFeature(l))) {
        OGRGeometryH g = OGR_F_GetGeometryRef(f);
        CHECK(g && wkbFlatten(OGR_G_GetGeometryType(g)) == wkbPoint);
        CHECK_NEAR(g ? OGR_G_GetX(g, 0) : 0, 13.405, 1e-9);
        CHECK_NEAR(g ? OGR_G_GetY(g, 0) : 0, 52.52, 1e-9);
        CHECK(strcmp(OGR_F_GetFieldAsString(f, 0), "Berlin") == 0);
        CHECK(OGR_F_GetFieldAsInteger64(f, 1) == 3645000);
        CHECK_NEAR(OGR_F_GetFieldAsDouble(f, 2), 0.5, 1e-12);
        OGR_F_Destroy(f);
    }
    if ((f = OGR_L_GetNextFeature(l))) {
        CHECK(strcmp(OGR_F_GetFieldAsString(f, 0), "a\"b\\c\nd") == 0);
        CHECK(!OGR_F_IsFieldSetAndNotNull(f, 1));
        CHECK_NEAR(OGR_F_GetFieldAsDouble(f, 2), -1.25e-3, 1e-12);
        OGR_F_Destroy(f);
    }
    if ((f = OGR_L_GetNextFeature(l))) {
        CHECK(OGR_F_GetGeometryRef(f) == NULL);
        CHECK(!OGR_F_IsFieldSetAndNotNull(f, 0));
        CHECK(OGR_F_IsFieldSetAndNotNull(f, 1) && OGR_F_GetFieldAsInteger64(f, 1) == 0);
        CHECK(!OGR_F_IsFieldSetAndNotNull(f, 2));
        OGR_F_Destroy(f);
    }
}

static void check_lines(OGRLayerH l, int multi)
{
    OGRFeatureH f;
    CHECK(OGR_L_GetFeatureCount(l, TRUE) == 2);
    OGR_L_ResetReading(l);
    if ((f = OGR_L_GetNextFeature(l))) {
        OGRGeometryH g = OGR_F_GetGeometryRef(f);
        OGRwkbGeometryType t = g ? wkbFlatten(OGR_G_GetGeometryType(g)) : wkbNone;
        CHECK(t == (multi ? wkbMultiLineString : wkbLineString));
        if (multi && g)
            g = OGR_G_GetGeometryRef(g, 0);
        CHECK_NEAR(g ? OGR_G_GetX(g, 1) : 0, 1.123456789, 1e-7);
        OGR_F_Destroy(f);
    }
    if ((f = OGR_L_GetNextFeature(l))) {
        OGRGeometryH g = OGR_F_GetGeometryRef(f);
        CHECK(g && wkbFlatten(OGR_G_GetGeometryType(g)) == wkbMultiLineString);
        CHECK(g && OGR_G_GetGeometryCount(g) == 2);
        if (g && OGR_G_GetGeometryCount(g) == 2) {
            CHECK_NEAR(OGR_G_GetX(OGR_G_GetGeometryRef(g, 0), 1), 180, 1e-12);
            CHECK_NEAR(OGR_G_GetX(OGR_G_GetGeometryRef(g, 1), 0), -180, 1e-12);
        }
        CHECK(strcmp(OGR_F_GetFieldAsString(f, 0), "across") == 0);
        OGR_F_Destroy(f);
    }
}

/* Both polygons; @p ccw: 1 exterior rings counter-clockwise and holes
 * clockwise, 0 the other way round, -1 as given. */
static void check_polygons(OGRLayerH l, int ccw)
{
    OGRFeatureH f;
    CHECK(OGR_L_GetFeatureCount(l, TRUE) == 2);
    OGR_L_ResetReading(l);
    while ((f = OGR_L_GetNextFeature(l))) {
        OGRGeometryH g = OGR_F_GetGeometryRef(f);
        if (g && wkbFlatten(OGR_G_GetGeometryType(g)) == wkbMultiPolygon)
            g = OGR_G_GetGeometryRef(g, 0);
        CHECK(g && wkbFlatten(OGR_G_GetGeometryType(g)) == wkbPolygon);
        for (int i = 0; g && i < OGR_G_GetGeometryCount(g); i++) {
            double a = ring_area2(OGR_G_GetGeometryRef(g, i));
            if (ccw >= 0)
                CHECK(i == 0 ? (ccw ? a > 0 : a < 0) : (ccw ? a < 0 : a > 0));
            CHECK_NEAR(fabs(a), i == 0 ? 200 : 8, 1e-9);
        }
        OGR_F_Destroy(f);
    }
}

/* Writes the families from @p first on to rtN + @p ext and reads them
 * back; @p multi: lines come back as MultiLineStrings; @p ccw as for
 * check_polygons(). */
static void roundtrip(struct cw_ctx *ctx, const char *ext, int first, int multi,
                      int ccw)
{
    static const enum cw_geom_type types[] = { CW_GEOM_POINT, CW_GEOM_LINE,
                                               CW_GEOM_POLYGON };
    for (int t = first; t < 3; t++) {
        char name[32];
        GDALDatasetH ds;
        snprintf(name, sizeof name, "rt%d%s", t, ext);
        CHECK(write_sample(ctx, at(name), types[t], NULL) == CW_OK);
        OGRLayerH l = open_layer(at(name), &ds);
        CHECK(l != NULL);
        if (l && t == 0)
            check_points(l);
        else if (l && t == 1)
            check_lines(l, multi);
        else if (l)
            check_polygons(l, ccw);
        OGRSpatialReferenceH srs = l ? OGR_L_GetSpatialRef(l) : NULL;
        const char *code = srs ? OSRGetAuthorityCode(srs, NULL) : NULL;
        const char *name84 = srs ? OSRGetName(srs) : NULL;
        CHECK((code && strcmp(code, "4326") == 0) ||
              (name84 && strstr(name84, "WGS 84")));
        if (ds)
            GDALClose(ds);
    }
    CHECK(count_entries(dir, 1) == 0);
}

static void test_geojson(struct cw_ctx *ctx)
{
    size_t len = 0, len2 = 0;
    roundtrip(ctx, ".geojson", 0, 0, 1);
    char *s = slurp(at("rt0.geojson"), &len);
    CHECK(s && strncmp(s, "{\"type\":\"FeatureCollection\",\"features\":[\n", 41) == 0);
    CHECK(s && !strstr(s, "crs"));
    CHECK(s && strstr(s, "\"a\\\"b\\\\c\\u000ad\""));
    CHECK(s && strstr(s, "\"coordinates\":[13.405,52.52]"));
    CHECK(s && strstr(s, "\"count\":null"));
    CHECK(s && strstr(s, "\"geometry\":null"));
    CHECK(s && strstr(s, "\"score\":-1.25e-3"));
    free(s);
    s = slurp(at("rt1.geojson"), &len);
    CHECK(s && strstr(s, "[[0,0],[1.1234568,1]]"));  /* 7 decimals */
    CHECK(s && strstr(s, "[[[179,10],[180,11]],[[-180,11],[-179,12]]]"));
    free(s);
    s = slurp(at("rt2.geojson"), &len);
    CHECK(s && strstr(s, "[[[0,0],[10,0],[10,10],[0,10],[0,0]],"
                         "[[2,2],[2,4],[4,4],[4,2],[2,2]]]"));
    /* determinism: the same input gives the same bytes */
    struct cw_write_opts o = { .overwrite = 1 };
    CHECK(write_sample(ctx, at("rt2.geojson"), CW_GEOM_POLYGON, &o) == CW_OK);
    char *s2 = slurp(at("rt2.geojson"), &len2);
    CHECK(s && s2 && len == len2 && memcmp(s, s2, len) == 0);
    free(s);
    free(s2);
    empty_dir();
}

/* Strings are escaped, invalid UTF-8 becomes U+FFFD, -0 prints as 0 and
 * precision is honoured. */
static void test_geojson_text(struct cw_ctx *ctx)
{
    GEOSContextHandle_t h = cw_ctx_geos(ctx);
    struct cw_field f[] = { { "k\"\x01", CW_FT_STRING, 0, 0 } };
    struct cw_write_opts o = { .precision = 3 };
    struct cw_writer *w;
    const char *v1[] = { "x\xffy\xe2\x82\xac\xed\xa0\x80" }, *v2[] = { "" };
    GEOSGeometry *p = GEOSGeom_createPointFromXY_r(h, -0.00001, 2.00049);
    size_t len = 0;
    CHECK(cw_writer_open(ctx, at("t.json"), &o, f, 1, CW_GEOM_POINT, &w) == CW_OK);
    CHECK(cw_writer_add(w, p, v1) == CW_OK);
    CHECK(cw_writer_add(w, NULL, v2) == CW_OK);
    CHECK(cw_writer_commit(w) == CW_OK);
    char *s = slurp(at("t.json"), &len);
    CHECK(s && strstr(s, "{\"type\":\"Feature\",\"properties\":{\"k\\\"\\u0001\":"
                         "\"x\xef\xbf\xbdy\xe2\x82\xac\xef\xbf\xbd\xef\xbf\xbd"
                         "\xef\xbf\xbd\"},\"geometry\":{\"type\":\"Point\","
                         "\"coordinates\":[0,2]}},\n"));
    CHECK(s && strstr(s, "{\"k\\\"\\u0001\":\"\"}"));
    CHECK(s && len > 4 && strcmp(s + len - 4, "\n]}\n") == 0);
    free(s);
    GDALDatasetH ds;
    CHECK(open_layer(at("t.json"), &ds) != NULL);  /* valid JSON */
    if (ds)
        GDALClose(ds);
    GEOSGeom_destroy_r(h, p);
    empty_dir();
}

/* Numbers JSON does not allow are rewritten, non-numbers in numeric fields
 * become null with one warning per field; empty geometries become null. */
static void test_bad_numbers(struct cw_ctx *ctx)
{
    GEOSContextHandle_t h = cw_ctx_geos(ctx);
    struct warnings wn = { 0 };
    struct cw_writer *w;
    const char *v1[] = { "a", "12abc", "nan" }, *v2[] = { "b", "1.5", "1e999" };
    const char *v3[] = { "c", "-0", "1E+2" }, *v4[] = { "d", "+5", ".5" };
    const char *v5[] = { "e", "0x10", "5." };
    GEOSGeometry *e = GEOSGeom_createEmptyPoint_r(h);
    size_t len = 0;
    cw_ctx_set_warn(ctx, on_warn, &wn);
    CHECK(cw_writer_open(ctx, at("n.geojson"), NULL, fields, NFIELDS,
                         CW_GEOM_POINT, &w) == CW_OK);
    CHECK(cw_writer_add(w, e, v1) == CW_OK);
    CHECK(cw_writer_add(w, NULL, v2) == CW_OK);
    CHECK(cw_writer_add(w, NULL, v3) == CW_OK);
    CHECK(cw_writer_add(w, NULL, v4) == CW_OK);
    CHECK(cw_writer_add(w, NULL, v5) == CW_OK);
    CHECK(cw_writer_commit(w) == CW_OK);
    CHECK(wn.n == 2);
    CHECK(strstr(wn.last, "field 'score': values that are not valid numbers "
                          "were written as null") != NULL);
    char *s = slurp(at("n.geojson"), &len);
    CHECK(s && strstr(s, "{\"name\":\"a\",\"count\":null,\"score\":null},"
                         "\"geometry\":null}"));
    CHECK(s && strstr(s, "{\"name\":\"b\",\"count\":null,\"score\":null}"));
    CHECK(s && strstr(s, "{\"name\":\"c\",\"count\":-0,\"score\":1E+2}"));
    CHECK(s && strstr(s, "{\"name\":\"d\",\"count\":5,\"score\":0.5}"));
    CHECK(s && strstr(s, "{\"name\":\"e\",\"count\":null,\"score\":5}"));
    free(s);
    cw_ctx_set_warn(ctx, NULL, NULL);
    GEOSGeom_destroy_r(h, e);
    empty_dir();
}

/* Signed area of part @p p of a Shapelib object. */
static double shp_part_area2(const SHPObject *o, int p)
{
    int a = o->panPartStart[p];
    int b = p + 1 < o->nParts ? o->panPartStart[p + 1] : o->nVertices;
    double s = 0;
    for (int i = a; i + 1 < b; i++)
        s += o->padfX[i] * o->padfY[i + 1] - o->padfX[i + 1] * o->padfY[i];
    return s;
}

static void check_shp_raw(void)
{
    SHPHandle h = SHPOpen(at("rt2.shp"), "rb");
    SHPObject *o = h ? SHPReadObject(h, 0) : NULL;
    CHECK(o && o->nSHPType == SHPT_POLYGON && o->nParts == 2);
    if (o && o->nParts == 2) {
        CHECK(shp_part_area2(o, 0) < 0);  /* exterior clockwise */
        CHECK(shp_part_area2(o, 1) > 0);  /* hole counter-clockwise */
    }
    SHPDestroyObject(o);
    o = h ? SHPReadObject(h, 1) : NULL;
    CHECK(o && o->nParts == 1 && shp_part_area2(o, 0) < 0);
    SHPDestroyObject(o);
    if (h)
        SHPClose(h);
    h = SHPOpen(at("rt0.shp"), "rb");
    o = h ? SHPReadObject(h, 2) : NULL;
    CHECK(o && o->nSHPType == SHPT_NULL);
    SHPDestroyObject(o);
    if (h)
        SHPClose(h);
    h = SHPOpen(at("rt1.shp"), "rb");
    o = h ? SHPReadObject(h, 1) : NULL;
    CHECK(o && o->nSHPType == SHPT_ARC && o->nParts == 2);
    SHPDestroyObject(o);
    if (h)
        SHPClose(h);
}

static void test_shapefile(struct cw_ctx *ctx)
{
    roundtrip(ctx, ".shp", 0, 0, 0);
    check_shp_raw();
    CHECK(file_is(at("rt0.cpg"), "UTF-8"));
    size_t len = 0;
    char *prj = slurp(at("rt0.prj"), &len);
    OGRSpatialReferenceH srs = OSRNewSpatialReference(NULL);
    OGRSpatialReferenceH wgs84 = OSRNewSpatialReference(NULL);
    char *lines[] = { prj, NULL };  /* the .prj as a list of lines */
    CHECK(prj && strncmp(prj, "GEOGCS[\"GCS_WGS_1984\"", 21) == 0);
    CHECK(prj && OSRImportFromESRI(srs, lines) == OGRERR_NONE);
    CHECK(OSRImportFromEPSG(wgs84, 4326) == OGRERR_NONE);
    CHECK(OSRIsSameGeogCS(srs, wgs84));
    OSRDestroySpatialReference(srs);
    OSRDestroySpatialReference(wgs84);
    free(prj);
    empty_dir();
}

/* Long names are shortened by the documented rule; a 301-byte UTF-8 string
 * is cut to 253 bytes (the last whole character) with one warning. */
static void test_shapefile_limits(struct cw_ctx *ctx)
{
    struct cw_field f[] = {
        { "harmonic_closeness", CW_FT_REAL, 3, 0 },
        { "harmonic_centrality", CW_FT_REAL, -1, 0 },
        { "label", CW_FT_STRING, 0, 301 },
        { "big", CW_FT_INTEGER, 0, 0 },
    };
    char long_text[302] = "a";
    for (int i = 0; i < 150; i++)
        memcpy(long_text + 1 + 2 * i, "\xc3\xa9", 3);
    const char *v[] = { "0.12345", "1e300", long_text, "-12345678901234567" };
    struct warnings wn = { 0 };
    struct cw_writer *w;
    GEOSGeometry *p = GEOSGeom_createPointFromXY_r(cw_ctx_geos(ctx), 1, 2);
    cw_ctx_set_warn(ctx, on_warn, &wn);
    CHECK(cw_writer_open(ctx, at("l.shp"), NULL, f, 4, CW_GEOM_POINT, &w) == CW_OK);
    CHECK(cw_writer_add(w, p, v) == CW_OK);
    CHECK(cw_writer_add(w, p, v) == CW_OK);
    v[3] = "-123456789012345678";
    CHECK(cw_writer_add(w, p, v) == CW_ERR_DATA);
    CHECK(strstr(cw_ctx_errmsg(ctx), "more than 18 characters") != NULL);
    cw_writer_abort(w);
    CHECK(count_entries(dir, 0) == 0);
    v[3] = "7";
    CHECK(cw_writer_open(ctx, at("l.shp"), NULL, f, 4, CW_GEOM_POINT, &w) == CW_OK);
    CHECK(cw_writer_add(w, p, v) == CW_OK);
    CHECK(cw_writer_add(w, p, v) == CW_OK);
    CHECK(cw_writer_commit(w) == CW_OK);
    CHECK(wn.n == 2);  /* once per writer */
    CHECK(strstr(wn.last, "field 'label' values longer than 254 bytes were cut"));
    DBFHandle d = DBFOpen(at("l.dbf"), "rb");
    char name[12];
    int width, dec;
    CHECK(d && DBFGetFieldCount(d) == 4);
    CHECK(d && DBFGetFieldInfo(d, 0, name, &width, &dec) == FTDouble &&
          strcmp(name, "harmonic_c") == 0 && width == 24 && dec == 3);
    CHECK(d && DBFGetFieldInfo(d, 1, name, &width, &dec) == FTDouble &&
          strcmp(name, "harmonic_1") == 0 && dec == 15);
    CHECK(d && DBFGetFieldInfo(d, 2, name, &width, &dec) == FTString &&
          width == 254);
    CHECK(d && DBFGetFieldInfo(d, 3, name, &width, &dec) != FTInvalid &&
          width == 18 && dec == 0);
    const char *cut = d ? DBFReadStringAttribute(d, 1, 2) : NULL;
    CHECK(cut && strlen(cut) == 253 && memcmp(cut, long_text, 253) == 0);
    CHECK(d && DBFReadDoubleAttribute(d, 0, 1) == 1e300);
    CHECK(d && DBFReadDoubleAttribute(d, 0, 0) == 0.123);
    if (d)
        DBFClose(d);
    GDALDatasetH ds;
    OGRLayerH l = open_layer(at("l.shp"), &ds);
    OGRFeatureH ft = l ? OGR_L_GetNextFeature(l) : NULL;
    CHECK(ft && OGR_F_GetFieldAsInteger64(ft, 3) == 7);
    CHECK(l && OGR_Fld_GetType(OGR_FD_GetFieldDefn(OGR_L_GetLayerDefn(l), 3))
               == OFTInteger64);
    if (ft)
        OGR_F_Destroy(ft);
    if (ds)
        GDALClose(ds);
    cw_ctx_set_warn(ctx, NULL, NULL);
    GEOSGeom_destroy_r(cw_ctx_geos(ctx), p);
    empty_dir();
}

/* GDAL 3.6 drops FlatGeobuf features without geometry, so the writer
 * refuses them. */
static void test_fgb_null(struct cw_ctx *ctx)
{
    CHECK(write_sample(ctx, at("n.fgb"), CW_GEOM_POINT, NULL) == CW_ERR_DATA);
    CHECK(strstr(cw_ctx_errmsg(ctx), "feature 3: FlatGeobuf cannot store a null"));
    CHECK(count_entries(dir, 0) == 0);
    struct cw_writer *w;
    CHECK(cw_writer_open(ctx, at("n.fgb"), NULL, fields, NFIELDS, CW_GEOM_NONE,
                         &w) == CW_ERR_ARG);
}

static void test_gdal_formats(struct cw_ctx *ctx)
{
    static const char *const exts[] = { ".gpkg", ".fgb" };
    for (int i = 0; i < 2; i++) {
        char name[16];
        size_t len = 0, len2 = 0;
        roundtrip(ctx, exts[i], i, 1, -1);
        GDALDatasetH ds;
        snprintf(name, sizeof name, "rt1%s", exts[i]);
        OGRLayerH l = open_layer(at(name), &ds);
        CHECK(l && strcmp(OGR_L_GetName(l), "rt1") == 0);
        CHECK(l && wkbFlatten(OGR_L_GetGeomType(l)) == wkbMultiLineString);
        if (ds)
            GDALClose(ds);
        /* determinism, for reproducible maps */
        char *s = slurp(at(name), &len);
        struct cw_write_opts o = { .overwrite = 1 };
        CHECK(write_sample(ctx, at(name), CW_GEOM_LINE, &o) == CW_OK);
        char *s2 = slurp(at(name), &len2);
        CHECK(s && s2 && len == len2 && memcmp(s, s2, len) == 0);
        free(s);
        free(s2);
        empty_dir();
    }
}

static void test_csv(struct cw_ctx *ctx)
{
    struct cw_field f[] = { { "a,b", CW_FT_STRING, 0, 0 },
                            { "n", CW_FT_INTEGER, 0, 0 } };
    const char *v1[] = { "say \"hi\"", "1" }, *v2[] = { "", NULL };
    const char *v3[] = { "two\nlines", "3" }, *v4[] = { NULL, "4" };
    const char *const *rows[] = { v1, v2, v3, v4 };
    struct cw_writer *w;
    CHECK(cw_writer_open(ctx, at("t.csv"), NULL, f, 2, CW_GEOM_POINT, &w) == CW_OK);
    CHECK(!cw_writer_wants_geometry(w));
    for (int i = 0; i < 4; i++)
        CHECK(cw_writer_add(w, NULL, rows[i]) == CW_OK);
    CHECK(cw_writer_commit(w) == CW_OK);
    CHECK(file_is(at("t.csv"), "\"a,b\",n\n\"say \"\"hi\"\"\",1\n\"\",\n"
                               "\"two\nlines\",3\n,4\n"));
    empty_dir();
    /* no fields at all: an empty header, then an empty line per row */
    CHECK(cw_writer_open(ctx, at("none.csv"), NULL, f, 0, CW_GEOM_POINT, &w) == CW_OK);
    CHECK(cw_writer_add(w, NULL, NULL) == CW_OK && cw_writer_add(w, NULL, NULL) == CW_OK);
    CHECK(cw_writer_commit(w) == CW_OK);
    CHECK(file_is(at("none.csv"), "\n\n\n"));
    empty_dir();
}

/* Row i of the batch test: text that needs quoting now and then, an
 * integer, and a "number" that is none in one row (written as null). */
static void batch_row(void *arg, size_t i, const char **vals, char *scratch)
{
    static const char *const names[] = { "Bonn", "Turku, FI", "say \"hi\"", "two\nlines", "" };
    (void)arg;
    vals[0] = names[i % 5];
    snprintf(scratch, CW_ROW_SCRATCH, "%zu", i * 7);
    vals[1] = scratch;
    vals[2] = i == 77777 ? "x" : i % 3 ? "2.5" : NULL;
}

static const struct cw_field batch_fields[] = {
    { "name", CW_FT_STRING, 0, 0 }, { "n", CW_FT_INTEGER, 0, 0 }, { "r", CW_FT_REAL, 0, 0 } };

/* Writes rows 0..n-1 of batch_row to @p path, in one batch or row by row.
 * @return the first failing status. */
static int write_batch(struct cw_ctx *ctx, const char *path, size_t n, int batch)
{
    struct cw_write_opts o = { .overwrite = 1 };
    struct cw_writer *w;
    char scratch[CW_ROW_SCRATCH];
    const char *vals[3];
    int rc = cw_writer_open(ctx, path, &o, batch_fields, 3, CW_GEOM_POINT, &w);
    if (rc == CW_OK && batch)
        rc = cw_writer_add_rows(w, n, batch_row, NULL);
    for (size_t i = 0; i < n && rc == CW_OK && !batch; i++) {
        batch_row(NULL, i, vals, scratch);
        rc = cw_writer_add(w, NULL, vals);
    }
    return rc == CW_OK ? cw_writer_commit(w) : (w ? cw_writer_abort(w) : (void)0, rc);
}

/* cw_writer_add_rows writes the bytes of cw_writer_add row by row, over
 * several rounds and any thread count, warns once for the bad number, and
 * counts injected faults row by row; GeoJSON takes the row-by-row path. */
static void test_add_rows(struct cw_ctx *ctx)
{
    const size_t n = 300000;   /* rounds of 65,536 rows per worker */
    struct warnings wn = { 0 };
    size_t len1 = 0, len2 = 0;
    CHECK(write_batch(ctx, at("serial.csv"), n, 0) == CW_OK);
    char *serial = slurp(at("serial.csv"), &len1);
    CHECK(serial && strncmp(serial, "name,n,r\nBonn,0,\n\"Turku, FI\",7,2.5\n", 35) == 0);
    cw_ctx_set_warn(ctx, on_warn, &wn);
    for (int t = 1; t <= 3; t++) {
        cw_ctx_set_threads(ctx, t);
        wn.n = 0;
        CHECK(write_batch(ctx, at("batch.csv"), n, 1) == CW_OK);
        CHECK(wn.n == 1 && strstr(wn.last, "field 'r'") != NULL);
        char *batch = slurp(at("batch.csv"), &len2);
        CHECK(batch && serial && len1 == len2 && memcmp(batch, serial, len1) == 0);
        free(batch);
    }
    CHECK(write_batch(ctx, at("serial.geojson"), 1000, 0) == CW_OK);
    CHECK(write_batch(ctx, at("batch.geojson"), 1000, 1) == CW_OK);
    char *a = slurp(at("serial.geojson"), &len1), *b = slurp(at("batch.geojson"), &len2);
    CHECK(a && b && len1 == len2 && memcmp(a, b, len1) == 0);
    free(a);
    free(b);
    cw_ctx_set_warn(ctx, NULL, NULL);
    cw_ctx_set_threads(ctx, 2);
    empty_dir();
    /* the 200,000th row's write fails: in the second round, nothing appears */
    setenv("CW_FAIL_WRITE", "200000", 1);
    struct cw_ctx *fctx = cw_ctx_new();
    unsetenv("CW_FAIL_WRITE");
    CHECK(write_batch(fctx, at("batch.csv"), n, 1) == CW_ERR_IO);
    CHECK(strstr(cw_ctx_errmsg(fctx), "injected fault") != NULL);
    CHECK(count_entries(dir, 0) == 0);
    cw_ctx_free(fctx);
    free(serial);
}

/* cw_layer_write over an in-memory layer, to stdout ("-"). */
static void test_layer_write_stdout(struct cw_ctx *ctx)
{
    GEOSContextHandle_t h = cw_ctx_geos(ctx);
    struct cw_layer l;
    cw_layer_init(&l);
    int c = cw_table_add_field(&l.attrs, "id", CW_FT_INTEGER, 0);
    long r = cw_layer_add(ctx, &l, GEOSGeom_createPointFromXY_r(h, 1.5, -2));
    CHECK(c == 0 && r == 0 && cw_table_set_int(&l.attrs, 0, c, 42) == CW_OK);
    fflush(stdout);
    int saved = dup(1);
    int fd = open(at("stdout.json"), O_WRONLY | O_CREAT | O_TRUNC, 0644);
    dup2(fd, 1);
    close(fd);
    int rc = cw_layer_write(ctx, &l, "-", NULL, CW_GEOM_POINT);
    fflush(stdout);
    dup2(saved, 1);
    close(saved);
    CHECK(rc == CW_OK);
    CHECK(file_is(at("stdout.json"), "{\"type\":\"FeatureCollection\",\"features\":"
          "[\n{\"type\":\"Feature\",\"properties\":{\"id\":42},\"geometry\":"
          "{\"type\":\"Point\",\"coordinates\":[1.5,-2]}}\n]}\n"));
    CHECK(count_entries(dir, 0) == 1);
    cw_layer_release(ctx, &l);
    empty_dir();
}

int main(void)
{
    snprintf(dir, sizeof dir, "/tmp/cw-test-writer-XXXXXX");
    if (!mkdtemp(dir)) {
        perror("mkdtemp");
        return 1;
    }
    GDALAllRegister();
    struct cw_ctx *ctx = cw_ctx_new();
    test_format_names();
    test_bad_args(ctx);
    test_wrong_family(ctx);
    test_exists(ctx);
    test_unwritable(ctx);
    test_fault_injection();
    test_shp_names();
    test_geojson(ctx);
    test_geojson_text(ctx);
    test_bad_numbers(ctx);
    test_shapefile(ctx);
    test_shapefile_limits(ctx);
    test_fgb_null(ctx);
    test_gdal_formats(ctx);
    test_csv(ctx);
    test_add_rows(ctx);
    test_layer_write_stdout(ctx);
    cw_ctx_free(ctx);
    empty_dir();
    rmdir(dir);
    return CHECK_DONE();
}
