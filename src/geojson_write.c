/* geojson_write.c: streams an RFC 7946 FeatureCollection, one feature per
 * line, with byte-for-byte deterministic output.
 * SPDX-License-Identifier: MIT
 *
 * Written by hand rather than through GDAL so that the bytes depend only on
 * cityweave: C-locale numbers with a fixed number of decimals (trailing
 * zeros dropped, -0 printed as 0), lon/lat order, no "crs" member (RFC 7946
 * section 4), exterior rings counter-clockwise and holes clockwise (section
 * 3.1.6), MultiLineStrings kept as given (section 3.1.9 allows lines split
 * at the antimeridian). Numbers in attribute fields arrive checked by
 * writer.c and are printed verbatim; strings are escaped, and bytes that
 * are not UTF-8 become U+FFFD so the output is always valid JSON.
 */
#include <errno.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "atomic_file.h"
#include "writer_priv.h"

struct geojson {
    struct cw_afile f;
    struct cw_coords c;
};

/* Copies runs of bytes that need no escaping with one fwrite each. */
static void put_string(FILE *fp, const char *s)
{
    const unsigned char *u = (const unsigned char *)s, *run = u;
    putc('"', fp);
    for (;;) {
        size_t n = cw_utf8_char_len(u);
        if (n && *u != '"' && *u != '\\' && *u >= 0x20) {
            u += n;
            continue;
        }
        fwrite(run, 1, (size_t)(u - run), fp);
        if (*u == '\0')
            break;
        if (*u == '"' || *u == '\\')
            fprintf(fp, "\\%c", *u);
        else if (*u < 0x20)
            fprintf(fp, "\\u%04x", *u);
        else
            fputs("\xEF\xBF\xBD", fp);  /* U+FFFD for each invalid byte */
        run = ++u;
    }
    putc('"', fp);
}

static void put_properties(struct cw_writer *w, FILE *fp, const char *const *vals)
{
    putc('{', fp);
    for (size_t i = 0; i < w->nfields; i++) {
        if (i)
            putc(',', fp);
        put_string(fp, w->fields[i].name);
        putc(':', fp);
        if (!vals[i])
            fputs("null", fp);
        else if (w->fields[i].type == CW_FT_STRING)
            put_string(fp, vals[i]);
        else
            fputs(vals[i], fp);
    }
    putc('}', fp);
}

static int put_coords(struct cw_writer *w, FILE *fp, const struct cw_coords *c,
                      size_t start)
{
    char x[64], y[64];
    for (size_t i = start; i < c->n; i++) {
        if (!isfinite(c->x[i]) || !isfinite(c->y[i]))
            return cw_ctx_error(w->ctx, CW_ERR_DATA, "'%s': feature %ld: "
                                "coordinate is not a finite number", w->path,
                                w->nrec + 1);
        fputs(i > start ? ",[" : "[", fp);
        fputs(cw_format_real(x, sizeof x, c->x[i], w->precision), fp);
        putc(',', fp);
        fputs(cw_format_real(y, sizeof y, c->y[i], w->precision), fp);
        putc(']', fp);
    }
    return CW_OK;
}

typedef int put_fn(struct cw_writer *w, FILE *fp, const GEOSGeometry *g);

/* Loads the coordinates of a point, line or ring into the shared buffer. */
static int load(struct cw_writer *w, const GEOSGeometry *g)
{
    struct geojson *gj = w->impl;
    gj->c.n = 0;
    return cw_coords_append(w->ctx, &gj->c, g);
}

/* A Point as [x,y]. */
static int put_point(struct cw_writer *w, FILE *fp, const GEOSGeometry *g)
{
    struct geojson *gj = w->impl;
    int rc = load(w, g);
    return rc == CW_OK ? put_coords(w, fp, &gj->c, 0) : rc;
}

/* A LineString as [[x,y],...]. */
static int put_line(struct cw_writer *w, FILE *fp, const GEOSGeometry *g)
{
    struct geojson *gj = w->impl;
    int rc = load(w, g);
    putc('[', fp);
    if (rc == CW_OK)
        rc = put_coords(w, fp, &gj->c, 0);
    putc(']', fp);
    return rc;
}

/* A Polygon as [exterior, holes...], each ring turned as RFC 7946 asks. */
static int put_polygon(struct cw_writer *w, FILE *fp, const GEOSGeometry *g)
{
    GEOSContextHandle_t h = cw_ctx_geos(w->ctx);
    struct geojson *gj = w->impl;
    int nholes = GEOSGetNumInteriorRings_r(h, g);
    int rc = nholes < 0 ? CW_ERR_LIB : CW_OK;
    putc('[', fp);
    for (int i = -1; i < nholes && rc == CW_OK; i++) {
        const GEOSGeometry *ring = i < 0 ? GEOSGetExteriorRing_r(h, g)
                                         : GEOSGetInteriorRingN_r(h, g, i);
        rc = ring ? load(w, ring) : CW_ERR_LIB;
        if (rc != CW_OK)
            break;
        cw_coords_orient(&gj->c, 0, i < 0);
        fputs(i < 0 ? "[" : ",[", fp);
        rc = put_coords(w, fp, &gj->c, 0);
        putc(']', fp);
    }
    putc(']', fp);
    return rc;
}

/* The members of a Multi* geometry, each written by @p put. */
static int put_parts(struct cw_writer *w, FILE *fp, const GEOSGeometry *g,
                     put_fn *put)
{
    GEOSContextHandle_t h = cw_ctx_geos(w->ctx);
    int n = GEOSGetNumGeometries_r(h, g);
    int rc = n < 0 ? CW_ERR_LIB : CW_OK;
    putc('[', fp);
    for (int i = 0; i < n && rc == CW_OK; i++) {
        if (i)
            putc(',', fp);
        rc = put(w, fp, GEOSGetGeometryN_r(h, g, i));
    }
    putc(']', fp);
    return rc;
}

static int put_multiline(struct cw_writer *w, FILE *fp, const GEOSGeometry *g)
{
    return put_parts(w, fp, g, put_line);
}

static int put_multipolygon(struct cw_writer *w, FILE *fp, const GEOSGeometry *g)
{
    return put_parts(w, fp, g, put_polygon);
}

static const struct {
    int geos_type;
    const char *name;
    put_fn *put;
} geom_writers[] = {
    { GEOS_POINT, "Point", put_point },
    { GEOS_LINESTRING, "LineString", put_line },
    { GEOS_MULTILINESTRING, "MultiLineString", put_multiline },
    { GEOS_POLYGON, "Polygon", put_polygon },
    { GEOS_MULTIPOLYGON, "MultiPolygon", put_multipolygon },
};

static int put_geometry(struct cw_writer *w, FILE *fp, const GEOSGeometry *g)
{
    size_t i = 0, n = sizeof geom_writers / sizeof geom_writers[0];
    if (!g) {
        fputs("null", fp);
        return CW_OK;
    }
    int type = GEOSGeomTypeId_r(cw_ctx_geos(w->ctx), g);
    while (i < n && geom_writers[i].geos_type != type)
        i++;
    if (i == n)   /* writer.c lets only the types above through */
        return cw_ctx_error(w->ctx, CW_ERR_DATA, "'%s': feature %ld: "
                            "unsupported geometry type", w->path, w->nrec + 1);
    fprintf(fp, "{\"type\":\"%s\",\"coordinates\":", geom_writers[i].name);
    int rc = geom_writers[i].put(w, fp, g);
    putc('}', fp);
    return rc;
}

static int geojson_add(struct cw_writer *w, const GEOSGeometry *geom,
                       const char *const *vals)
{
    struct geojson *gj = w->impl;
    FILE *fp = gj->f.fp;
    fputs(w->nrec ? ",\n{\"type\":\"Feature\",\"properties\":"
                  : "{\"type\":\"Feature\",\"properties\":", fp);
    put_properties(w, fp, vals);
    fputs(",\"geometry\":", fp);
    int rc = put_geometry(w, fp, geom);
    putc('}', fp);
    /* stdio errors are sticky: one test per feature stops a run on a full
     * disk early, and commit tests again after the last flush. */
    if (rc == CW_OK && ferror(fp))
        rc = cw_writer_io_error(w, errno);
    return rc;
}

static void geojson_free(struct cw_writer *w)
{
    struct geojson *gj = w->impl;
    cw_coords_release(&gj->c);
    free(gj);
    w->impl = NULL;
}

static int geojson_commit(struct cw_writer *w)
{
    struct geojson *gj = w->impl;
    fputs(w->nrec ? "\n]}\n" : "]}\n", gj->f.fp);
    int rc = cw_afile_commit(&gj->f);
    geojson_free(w);
    return rc;
}

static void geojson_abort(struct cw_writer *w)
{
    struct geojson *gj = w->impl;
    cw_afile_abort(&gj->f);
    geojson_free(w);
}

static const struct cw_writer_ops geojson_ops = {
    geojson_add, geojson_commit, geojson_abort, NULL
};

int cw_geojson_open(struct cw_writer *w)
{
    struct geojson *gj = calloc(1, sizeof *gj);
    if (!gj)
        return cw_ctx_error(w->ctx, CW_ERR_NOMEM, "out of memory");
    int rc = cw_afile_open(w->ctx, w->path, w->overwrite, &gj->f);
    if (rc != CW_OK) {
        free(gj);
        return rc;
    }
    fputs("{\"type\":\"FeatureCollection\",\"features\":[\n", gj->f.fp);
    w->impl = gj;
    w->ops = &geojson_ops;
    return CW_OK;
}
