/* writer.c: picks the output format and checks every feature before handing
 * it to the format's backend, so all formats agree on what they accept.
 * SPDX-License-Identifier: MIT
 */
#include <errno.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "writer_priv.h"

static const struct {
    const char *name;
    enum cw_format format;
} format_names[] = {
    { "GeoJSON", CW_FMT_GEOJSON },
    { "json", CW_FMT_GEOJSON },
    { "ESRI Shapefile", CW_FMT_SHAPEFILE },
    { "shp", CW_FMT_SHAPEFILE },
    { "GPKG", CW_FMT_GPKG },
    { "FlatGeobuf", CW_FMT_FGB },
    { "fgb", CW_FMT_FGB },
    { "CSV", CW_FMT_CSV },
};

static const struct {
    const char *ext;
    enum cw_format format;
} format_exts[] = {
    { ".geojson", CW_FMT_GEOJSON },
    { ".json", CW_FMT_GEOJSON },
    { ".shp", CW_FMT_SHAPEFILE },
    { ".gpkg", CW_FMT_GPKG },
    { ".fgb", CW_FMT_FGB },
    { ".csv", CW_FMT_CSV },
};

static int (*const backends[])(struct cw_writer *) = {
    [CW_FMT_GEOJSON] = cw_geojson_open,
    [CW_FMT_SHAPEFILE] = cw_shp_open,
    [CW_FMT_GPKG] = cw_ogr_open,
    [CW_FMT_FGB] = cw_ogr_open,
    [CW_FMT_CSV] = cw_csv_open,
};

static const char *const geom_type_names[] = {
    [CW_GEOM_NONE] = "geometry-less",
    [CW_GEOM_POINT] = "point",
    [CW_GEOM_LINE] = "line",
    [CW_GEOM_POLYGON] = "polygon",
};

#define NELEM(a) (sizeof(a) / sizeof((a)[0]))
#define DEFAULT_PRECISION 7

int cw_format_from_name(const char *name, enum cw_format *out)
{
    for (size_t i = 0; i < NELEM(format_names); i++)
        if (strcasecmp(name, format_names[i].name) == 0) {
            *out = format_names[i].format;
            return CW_OK;
        }
    return CW_ERR_ARG;
}

enum cw_format cw_format_from_path(const char *path)
{
    if (strcmp(path, "-") == 0)
        return CW_FMT_GEOJSON;
    size_t len = strlen(path);
    for (size_t i = 0; i < NELEM(format_exts); i++) {
        size_t elen = strlen(format_exts[i].ext);
        if (len > elen && strcasecmp(path + len - elen, format_exts[i].ext) == 0)
            return format_exts[i].format;
    }
    return CW_FMT_AUTO;
}

int cw_writer_wants_geometry(const struct cw_writer *w)
{
    return w->format != CW_FMT_CSV;
}

int cw_writer_io_error(struct cw_writer *w, int err)
{
    return cw_ctx_error(w->ctx, CW_ERR_IO, "'%s': cannot write: %s", w->path,
                        strerror(err ? err : EIO));
}

/* The file name without directory and extension: the default layer name. */
static char *path_stem(const char *path)
{
    const char *slash = strrchr(path, '/');
    const char *name = slash ? slash + 1 : path;
    const char *dot = strrchr(name, '.');
    size_t len = dot && dot != name ? (size_t)(dot - name) : strlen(name);
    return strndup(name, len);
}

static void writer_free(struct cw_writer *w)
{
    for (size_t i = 0; i < w->nfields; i++)
        free(w->fields[i].name);
    free(w->fields);
    free(w->path);
    free(w->layer_name);
    free(w->warned);
    free(w->vals);
    free(w->numbuf);
    free(w);
}

/* Copies the schema; calloc(n + 1) so an empty schema still allocates. */
static int copy_fields(struct cw_writer *w, const struct cw_field *fields,
                       size_t n)
{
    w->fields = calloc(n + 1, sizeof *w->fields);
    w->warned = calloc(n + 1, 1);
    w->vals = calloc(n + 1, sizeof *w->vals);
    w->numbuf = calloc(n + 1, sizeof *w->numbuf);
    if (!w->fields || !w->warned || !w->vals || !w->numbuf)
        return CW_ERR_NOMEM;
    for (size_t i = 0; i < n; i++, w->nfields++) {
        w->fields[i] = fields[i];
        if (!(w->fields[i].name = strdup(fields[i].name)))
            return CW_ERR_NOMEM;
    }
    return CW_OK;
}

static int check_opts(struct cw_ctx *ctx, const char *path,
                      const struct cw_write_opts *o, enum cw_format *format)
{
    if (!*path)
        return cw_ctx_error(ctx, CW_ERR_ARG, "the output path is empty");
    *format = o->format != CW_FMT_AUTO ? o->format : cw_format_from_path(path);
    if (*format == CW_FMT_AUTO)
        return cw_ctx_error(ctx, CW_ERR_ARG, "'%s': unknown output format "
                            "(name it .geojson, .json, .shp, .gpkg, .fgb or .csv)",
                            path);
    if ((size_t)*format >= NELEM(backends))
        return cw_ctx_error(ctx, CW_ERR_ARG, "unknown output format %d",
                            (int)*format);
    if (o->precision < 0 || o->precision > 17)
        return cw_ctx_error(ctx, CW_ERR_ARG, "precision %d is out of range "
                            "(1 to 17)", o->precision);
    if (strcmp(path, "-") == 0 && *format != CW_FMT_GEOJSON &&
        *format != CW_FMT_CSV)
        return cw_ctx_error(ctx, CW_ERR_ARG, "only GeoJSON and CSV can be "
                            "written to stdout");
    return CW_OK;
}

int cw_writer_open(struct cw_ctx *ctx, const char *path,
                   const struct cw_write_opts *opts,
                   const struct cw_field *fields, size_t nfields,
                   enum cw_geom_type gtype, struct cw_writer **out)
{
    static const struct cw_write_opts defaults;
    const struct cw_write_opts *o = opts ? opts : &defaults;
    struct cw_writer *w = NULL;
    enum cw_format format = CW_FMT_AUTO;
    *out = NULL;
    int rc = check_opts(ctx, path, o, &format);
    if (rc != CW_OK)
        return rc;
    if (!(w = calloc(1, sizeof *w))) {
        rc = cw_ctx_error(ctx, CW_ERR_NOMEM, "out of memory");
        goto out;
    }
    w->ctx = ctx;
    w->format = format;
    w->gtype = gtype;
    w->precision = o->precision ? o->precision : DEFAULT_PRECISION;
    w->overwrite = o->overwrite;
    w->path = strdup(path);
    w->layer_name = o->layer_name ? strdup(o->layer_name) : path_stem(path);
    if (!w->path || !w->layer_name || copy_fields(w, fields, nfields) != CW_OK) {
        rc = cw_ctx_error(ctx, CW_ERR_NOMEM, "out of memory");
        goto out;
    }
    rc = backends[format](w);
out:
    if (rc == CW_OK)
        *out = w;
    else if (w)
        writer_free(w);
    return rc;
}

static int family_accepts(enum cw_geom_type gtype, int geos_type)
{
    switch (gtype) {
    case CW_GEOM_POINT:
        return geos_type == GEOS_POINT;
    case CW_GEOM_LINE:
        return geos_type == GEOS_LINESTRING || geos_type == GEOS_MULTILINESTRING;
    case CW_GEOM_POLYGON:
        return geos_type == GEOS_POLYGON || geos_type == GEOS_MULTIPOLYGON;
    case CW_GEOM_NONE:
        break;
    }
    return 0;
}

/* Empty geometries are written as null ones: every format can store a
 * null geometry, not every one an empty geometry of each type. */
static int check_geom(struct cw_writer *w, const GEOSGeometry **geom)
{
    GEOSContextHandle_t h = cw_ctx_geos(w->ctx);
    if (!*geom)
        return CW_OK;
    int type = GEOSGeomTypeId_r(h, *geom);
    if (!family_accepts(w->gtype, type)) {
        char *name = GEOSGeomType_r(h, *geom);
        int rc = cw_ctx_error(w->ctx, CW_ERR_DATA, "'%s': feature %ld: %s "
                              "geometry in a %s layer", w->path, w->nrec + 1,
                              name ? name : "unknown", geom_type_names[w->gtype]);
        GEOSFree_r(h, name);
        return rc;
    }
    char empty = GEOSisEmpty_r(h, *geom);
    if (empty == 2)
        return cw_ctx_error(w->ctx, CW_ERR_LIB, "'%s': feature %ld: %s",
                            w->path, w->nrec + 1, cw_ctx_errmsg(w->ctx));
    if (empty)
        *geom = NULL;
    return CW_OK;
}

static const char *skip_digits(const char *s)
{
    while (*s >= '0' && *s <= '9')
        s++;
    return s;
}

/* RFC 8259 number grammar; with @p integer, only -?(0|[1-9][0-9]*). */
static int is_json_number(const char *s, int integer)
{
    if (*s == '-')
        s++;
    if (*s == '0')
        s++;
    else if (*s >= '1' && *s <= '9')
        s = skip_digits(s);
    else
        return 0;
    if (integer)
        return *s == '\0';
    if (*s == '.') {
        if (*++s < '0' || *s > '9')
            return 0;
        s = skip_digits(s);
    }
    if (*s == 'e' || *s == 'E') {
        if (*++s == '+' || *s == '-')
            s++;
        if (*s < '0' || *s > '9')
            return 0;
        s = skip_digits(s);
    }
    return *s == '\0';
}

/* Whether a JSON number may be too large for a double (beyond 1.8e308):
 * only then is strtod, slow on long fractions, worth asking. */
static int may_overflow(const char *v)
{
    const char *s = v + (*v == '-'), *e = strpbrk(v, "eE");
    while (*s == '0')
        s++;
    long digits = (long)strspn(s, "0123456789");
    long exp = e ? strtol(e + 1, NULL, 10) : 0;   /* saturates, no overflow */
    return exp > 1000 || digits + exp > 300;
}

/* Integers must fit in 64 bits and reals in a double, so every backend can
 * parse what GeoJSON would print verbatim. */
static int number_ok(const char *v, enum cw_ftype type)
{
    if (!is_json_number(v, type == CW_FT_INTEGER))
        return 0;
    if (type != CW_FT_INTEGER)
        return !may_overflow(v) || isfinite(strtod(v, NULL));
    errno = 0;
    (void)strtoll(v, NULL, 10);
    return errno == 0;
}

/* Rewrites a decimal number that C reads but JSON does not ("+5", ".5",
 * "5.", the forms cw_table_infer_types() accepts) into @p buf.
 * @return buf, or NULL when @p v is no decimal number of the field's type. */
static const char *normalize_number(const char *v, enum cw_ftype type,
                                    char *buf, size_t size)
{
    char *end;
    if (!*v || v[strspn(v, "0123456789+-.eE")] != '\0')
        return NULL;  /* strtod would take hex, "inf" and "nan" too */
    errno = 0;
    if (type == CW_FT_INTEGER) {
        long long i = strtoll(v, &end, 10);
        if (*end || errno)
            return NULL;
        snprintf(buf, size, "%lld", i);
        return buf;
    }
    double d = strtod(v, &end);
    return *end || !isfinite(d) ? NULL : cw_format_real(buf, size, d, -1);
}

const char *cw_writer_check_value(const struct cw_writer *w, size_t i, const char *v,
                                  char *buf, unsigned char *bad)
{
    enum cw_ftype type = w->fields[i].type;
    if (!v || type == CW_FT_STRING || number_ok(v, type))
        return v;
    if (!(v = normalize_number(v, type, buf, 32)))
        *bad = 1;
    return v;
}

/* A number that is none becomes null, with one warning per field: the
 * alternative, failing a long run over one odd input value, helps nobody. */
void cw_writer_warn_number(struct cw_writer *w, size_t i)
{
    if (!w->warned[i])
        cw_ctx_warn(w->ctx, "'%s': field '%s': values that are not valid %s were written as null",
                    w->path, w->fields[i].name,
                    w->fields[i].type == CW_FT_INTEGER ? "integers" : "numbers");
    w->warned[i] = 1;
}

static void check_values(struct cw_writer *w, const char *const *values)
{
    for (size_t i = 0; i < w->nfields; i++) {
        unsigned char bad = 0;
        w->vals[i] = cw_writer_check_value(w, i, values ? values[i] : NULL, w->numbuf[i], &bad);
        if (bad)
            cw_writer_warn_number(w, i);
    }
}

int cw_writer_fault(struct cw_writer *w)
{
    if (!cw_ctx_inject_write_fault(w->ctx))
        return CW_OK;
    return cw_ctx_error(w->ctx, CW_ERR_IO, "'%s': cannot write: injected fault (CW_FAIL_WRITE)",
                        w->path);
}

int cw_writer_add(struct cw_writer *w, const GEOSGeometry *geom,
                  const char *const *values)
{
    int rc = w->failed;
    if (rc != CW_OK)
        return rc;
    if ((rc = cw_writer_fault(w)) == CW_OK && (rc = check_geom(w, &geom)) == CW_OK) {
        check_values(w, values);
        rc = w->ops->add(w, geom, w->vals);
    }
    if (rc == CW_OK)
        w->nrec++;
    else
        w->failed = rc;
    return rc;
}

int cw_writer_add_rows(struct cw_writer *w, size_t n, cw_row_fn fn, void *arg)
{
    char scratch[CW_ROW_SCRATCH];
    const char **row;
    int rc = w->failed;
    if (rc != CW_OK || n == 0)
        return rc;
    if (w->ops->add_rows) {
        if ((rc = w->ops->add_rows(w, n, fn, arg)) == CW_OK)
            w->nrec += (long)n;
        else
            w->failed = rc;
        return rc;
    }
    if (!(row = malloc((w->nfields + 1) * sizeof *row)))
        return w->failed = cw_ctx_error(w->ctx, CW_ERR_NOMEM, "out of memory");
    for (size_t i = 0; i < n && rc == CW_OK; i++) {
        fn(arg, i, row, scratch);
        rc = cw_writer_add(w, NULL, row);
    }
    free(row);
    return rc;
}

int cw_writer_commit(struct cw_writer *w)
{
    int rc = w->failed;
    if (rc == CW_OK)
        rc = cw_writer_fault(w);
    if (rc == CW_OK)
        rc = w->ops->commit(w);
    else
        w->ops->abort(w);
    writer_free(w);
    return rc;
}

void cw_writer_abort(struct cw_writer *w)
{
    if (!w)
        return;
    w->ops->abort(w);
    writer_free(w);
}

int cw_layer_write_open(struct cw_ctx *ctx, const struct cw_layer *l, const char *path,
                        const struct cw_write_opts *opts, enum cw_geom_type gtype,
                        struct cw_writer **out)
{
    const struct cw_table *t = &l->attrs;
    struct cw_writer *w;
    int rc = cw_writer_open(ctx, path, opts, t->fields, t->nfields, gtype, &w);
    *out = NULL;
    if (rc != CW_OK)
        return rc;
    const char **vals = calloc(t->nfields + 1, sizeof *vals);
    if (!vals)
        rc = cw_ctx_error(ctx, CW_ERR_NOMEM, "out of memory");
    int geoms = gtype != CW_GEOM_NONE && cw_writer_wants_geometry(w);
    for (size_t r = 0; r < t->nrows && rc == CW_OK; r++) {
        for (size_t f = 0; f < t->nfields; f++)
            vals[f] = cw_table_get(t, r, (int)f);
        rc = cw_writer_add(w, geoms ? l->geoms[r] : NULL, vals);
        if (rc == CW_OK && r % 65536 == 0)
            rc = cw_ctx_progress(ctx, (double)r / (double)t->nrows, "writing");
    }
    free(vals);
    if (rc == CW_OK)
        *out = w;
    else
        cw_writer_abort(w);
    return rc;
}

int cw_layer_write(struct cw_ctx *ctx, const struct cw_layer *l, const char *path,
                   const struct cw_write_opts *opts, enum cw_geom_type gtype)
{
    struct cw_writer *w;
    int rc = cw_layer_write_open(ctx, l, path, opts, gtype, &w);
    return rc == CW_OK ? cw_writer_commit(w) : rc;
}

int cw_writers_finish(struct cw_ctx *ctx, int rc, struct cw_writer **w, size_t n)
{
    cw_ctx_hold_outputs(ctx);
    for (size_t i = 0; i < n; i++) {
        if (rc == CW_OK && w[i])
            rc = cw_writer_commit(w[i]);
        else
            cw_writer_abort(w[i]);
        w[i] = NULL;
    }
    return cw_ctx_publish_outputs(ctx, rc);
}

int cw_coords_append(struct cw_ctx *ctx, struct cw_coords *c,
                     const GEOSGeometry *line)
{
    GEOSContextHandle_t h = cw_ctx_geos(ctx);
    const GEOSCoordSequence *seq = GEOSGeom_getCoordSeq_r(h, line);
    unsigned int n;
    if (!seq || !GEOSCoordSeq_getSize_r(h, seq, &n))
        return CW_ERR_LIB;
    if (c->n + n > c->cap) {
        size_t cap = c->cap ? c->cap : 256;
        while (cap < c->n + n)
            cap *= 2;
        double *x = realloc(c->x, cap * sizeof *x);
        if (x)
            c->x = x;
        double *y = realloc(c->y, cap * sizeof *y);
        if (y)
            c->y = y;
        if (!x || !y)
            return cw_ctx_error(ctx, CW_ERR_NOMEM, "out of memory");
        c->cap = cap;
    }
    if (n && !GEOSCoordSeq_copyToArrays_r(h, seq, c->x + c->n, c->y + c->n,
                                          NULL, NULL))
        return CW_ERR_LIB;
    c->n += n;
    return CW_OK;
}

void cw_coords_orient(struct cw_coords *c, size_t start, int ccw)
{
    double *x = c->x + start, *y = c->y + start, area2 = 0;
    size_t n = c->n - start;
    /* Shoelace formula, relative to the first vertex to keep precision. */
    for (size_t i = 1; i + 1 < n; i++)
        area2 += (x[i] - x[0]) * (y[i + 1] - y[0]) - (x[i + 1] - x[0]) * (y[i] - y[0]);
    if (area2 == 0 || (area2 > 0) == (ccw != 0))
        return;
    for (size_t i = 0, j = n - 1; i < j; i++, j--) {
        double t = x[i];
        x[i] = x[j];
        x[j] = t;
        t = y[i];
        y[i] = y[j];
        y[j] = t;
    }
}

void cw_coords_release(struct cw_coords *c)
{
    free(c->x);
    free(c->y);
    memset(c, 0, sizeof *c);
}
