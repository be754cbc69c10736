/* csv_read.c: a fast reader for CSV and TSV tables of points. GDAL's CSV
 * driver needs over a second for the 199,568 rows of GeoNames cities500;
 * parsing the file in place in one buffer takes a tenth of that.
 * SPDX-License-Identifier: MIT
 */
#include <errno.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <sys/stat.h>

#include "cityweave/units.h"
#include "read_priv.h"
#include "utf8.h"

static const char *const lon_names[] = { "lon", "lng", "long", "longitude", "x", NULL };
static const char *const lat_names[] = { "lat", "latitude", "y", NULL };

static int find_one(const struct cw_table *t, const char *named, const char *const *names)
{
    if (named)
        return cw_table_find(t, named);
    for (int n = 0; names[n]; n++) {
        int col = cw_table_find(t, names[n]);
        if (col >= 0)
            return col;
    }
    return -1;
}

int cw_find_coord_columns(struct cw_ctx *ctx, const char *path, const struct cw_table *t,
                          const struct cw_read_opts *o, int *lon, int *lat)
{
    *lon = find_one(t, o->lon_field, lon_names);
    *lat = find_one(t, o->lat_field, lat_names);
    if (*lon >= 0 && *lat >= 0)
        return CW_OK;
    int nolon = *lon < 0;
    const char *which = nolon ? "longitude" : "latitude";
    const char *named = nolon ? o->lon_field : o->lat_field;
    if (named)
        return cw_ctx_error(ctx, CW_ERR_DATA, "'%s': no %s column '%s'", path, which, named);
    return cw_ctx_error(ctx, CW_ERR_DATA, "'%s': no %s column (name one with --%s-field)",
                        path, which, nolon ? "lon" : "lat");
}

static int parse_coord(struct cw_ctx *ctx, const char *path, long long row, const char *what,
                       const char *s, double lim, int lonlat, double *v)
{
    if (!s)
        return cw_ctx_error(ctx, CW_ERR_DATA, "'%s' row %lld: missing %s", path, row, what);
    if (cw_parse_double(s, v) != 0)
        return cw_ctx_error(ctx, CW_ERR_DATA, "'%s' row %lld: %s '%s' is not a finite decimal number",
                            path, row, what, s);
    if (lonlat && fabs(*v) > lim)
        return cw_ctx_error(ctx, CW_ERR_DATA, "'%s' row %lld: %s %s out of range [-%g, %g]",
                            path, row, what, s, lim, lim);
    return CW_OK;
}

int cw_points_from_columns(struct cw_ctx *ctx, const char *path, struct cw_layer *l,
                           int lon, int lat, const long long *rownum, int lonlat)
{
    GEOSContextHandle_t h = cw_ctx_geos(ctx);
    for (size_t i = 0; i < l->attrs.nrows; i++) {
        long long row = rownum ? rownum[i] : (long long)i + 1;
        double x, y;
        int rc = parse_coord(ctx, path, row, "longitude", cw_table_get(&l->attrs, i, lon),
                             180, lonlat, &x);
        if (!rc)
            rc = parse_coord(ctx, path, row, "latitude", cw_table_get(&l->attrs, i, lat), 90,
                             lonlat, &y);
        if (rc)
            return rc;
        if (!(l->geoms[i] = GEOSGeom_createPointFromXY_r(h, x, y)))
            return cw_ctx_error(ctx, CW_ERR_NOMEM, "out of memory");
    }
    return CW_OK;
}

int cw_csv_fast_ok(const char *path, const struct cw_read_opts *o)
{
    const char *dot = strrchr(path, '.');
    return dot && (strcasecmp(dot, ".csv") == 0 || strcasecmp(dot, ".tsv") == 0) &&
           !o->layer && !o->where && !o->s_srs;
}

/* The file in one NUL-terminated buffer. */
static int slurp(struct cw_ctx *ctx, const char *path, char **buf, size_t *len)
{
    FILE *fp = fopen(path, "rb");
    struct stat st;
    if (!fp)
        return cw_ctx_error(ctx, CW_ERR_IO, "cannot open '%s': %s", path, strerror(errno));
    if (fstat(fileno(fp), &st) != 0 || !S_ISREG(st.st_mode)) {
        fclose(fp);
        return cw_ctx_error(ctx, CW_ERR_IO, "cannot read '%s': not a regular file", path);
    }
    *len = (size_t)st.st_size;
    if (!(*buf = malloc(*len + 1))) {
        fclose(fp);
        return cw_ctx_error(ctx, CW_ERR_NOMEM, "out of memory");
    }
    size_t got = fread(*buf, 1, *len, fp);
    int bad = ferror(fp);
    fclose(fp);
    if (bad || got != *len)
        return cw_ctx_error(ctx, CW_ERR_IO, "cannot read '%s'", path);
    (*buf)[*len] = '\0';
    return CW_OK;
}

/* A cursor over the buffer; fields are unquoted and terminated in place
 * (the write position never passes the read position). */
struct scan {
    char *p, *end;
    char delim;
    long long line;       /* 1-based line of p, for messages */
};

/* Parses one field; @return its text (NULL when empty) and sets *eol
 * when it ended its record. -1 in *eol flags an unterminated quote. */
static char *next_field(struct scan *s, int *eol)
{
    char *start = s->p, *w = s->p;
    /* TSV (IANA text/tab-separated-values) has no quoting: GeoNames names
     * such as 'Poselok "Klyazminskoe vodohranilische"' keep their quotes. */
    if (*s->p == '"' && s->delim != '\t') {
        for (s->p++;; s->p++) {
            if (s->p >= s->end) {
                *eol = -1;
                return NULL;
            }
            if (*s->p == '"' && s->p[1] == '"')
                *w++ = *s->p++;
            else if (*s->p == '"')
                break;
            else {
                s->line += *s->p == '\n';
                *w++ = *s->p;
            }
        }
        s->p++;  /* closing quote; text up to the delimiter is kept */
    }
    while (s->p < s->end && *s->p != s->delim && *s->p != '\n')
        *w++ = *s->p++;
    if (w > start && w[-1] == '\r')
        w--;
    *eol = s->p >= s->end || *s->p == '\n';
    if (s->p < s->end)
        s->line += *s->p == '\n', s->p++;
    *w = '\0';
    return w > start ? start : NULL;
}

static char pick_delimiter(const char *line, const char *end)
{
    const char *nl = memchr(line, '\n', (size_t)(end - line));
    size_t n = nl ? (size_t)(nl - line) : (size_t)(end - line);
    if (memchr(line, '\t', n))
        return '\t';
    if (memchr(line, ';', n) && !memchr(line, ',', n))
        return ';';
    return ',';
}

/* Text must be UTF-8: a Latin-1 name passed through would reach GeoJSON
 * as garbage, and which 8-bit encoding a file is in cannot be told from
 * its bytes. A NUL byte (a binary file named .csv) is refused too. */
static int check_utf8(struct cw_ctx *ctx, const char *path, const struct scan *s)
{
    size_t len = (size_t)(s->end - s->p), bad = cw_utf8_check(s->p, len);
    if (bad == len)
        return CW_OK;
    long long line = 1;
    for (const char *q = s->p; q < s->p + bad; q++)
        line += *q == '\n';
    return cw_ctx_error(ctx, CW_ERR_DATA, "'%s' line %lld: not UTF-8 text (byte 0x%02X; "
                        "convert the file, e.g. iconv -f LATIN1 -t UTF-8)", path, line,
                        (unsigned char)s->p[bad]);
}

static int read_header(struct cw_ctx *ctx, const char *path, struct scan *s, struct cw_layer *out)
{
    int eol = 0;
    while (!eol) {
        char name[32], *f = next_field(s, &eol);
        if (eol < 0)
            return cw_ctx_error(ctx, CW_ERR_DATA, "'%s' line 1: unterminated quote", path);
        if (!f)
            snprintf(f = name, sizeof name, "field_%zu", out->attrs.nfields + 1);
        if (cw_table_add_field(&out->attrs, f, CW_FT_STRING, -1) < 0)
            return cw_ctx_error(ctx, CW_ERR_NOMEM, "out of memory");
    }
    return CW_OK;
}

static int read_rows(struct cw_ctx *ctx, const char *path, struct scan *s, struct cw_layer *out)
{
    size_t nf = out->attrs.nfields;
    while (s->p < s->end) {
        long long line = s->line;
        if (*s->p == '\n' || (*s->p == '\r' && s->p[1] == '\n')) {  /* blank line */
            s->p += *s->p == '\r' ? 2 : 1;
            s->line++;
            continue;
        }
        long row = cw_layer_add(ctx, out, NULL);
        if (row < 0)
            return cw_ctx_error(ctx, CW_ERR_NOMEM, "out of memory");
        int eol = 0;
        size_t f = 0;
        for (; !eol; f++) {
            char *v = next_field(s, &eol);
            if (eol < 0)
                return cw_ctx_error(ctx, CW_ERR_DATA, "'%s' row %ld (line %lld): unterminated quote",
                                    path, row + 1, line);
            if (f < nf)
                cw_table_point(&out->attrs, (size_t)row, (int)f, v);
        }
        if (f != nf)
            return cw_ctx_error(ctx, CW_ERR_DATA, "'%s' row %ld (line %lld): %zu fields, the header has %zu",
                                path, row + 1, line, f, nf);
    }
    return CW_OK;
}

int cw_csv_parse(struct cw_ctx *ctx, const char *name, char *buf, size_t len,
                 const struct cw_read_opts *o, struct cw_layer *out)
{
    const char *base;
    int lon = -1, lat = -1, rc = CW_OK;

    cw_layer_init(out);
    cw_table_adopt_arena(&out->attrs, buf, len + 1);
    struct scan s = { buf, buf + len, ',', 1 };
    if (len >= 3 && memcmp(buf, "\xEF\xBB\xBF", 3) == 0)
        s.p += 3;  /* UTF-8 byte order mark */
    if (s.p >= s.end) {
        rc = cw_ctx_error(ctx, CW_ERR_DATA, "'%s': empty file", name);
        goto out;
    }
    if ((rc = check_utf8(ctx, name, &s)))
        goto out;
    s.delim = pick_delimiter(s.p, s.end);
    base = strrchr(name, '/');
    if (!(out->name = strdup(base ? base + 1 : name))) {
        rc = cw_ctx_error(ctx, CW_ERR_NOMEM, "out of memory");
        goto out;
    }
    if ((rc = read_header(ctx, name, &s, out)) || (rc = read_rows(ctx, name, &s, out)))
        goto out;
    cw_table_infer_types(&out->attrs);
    if (!o->attributes_only &&
        !(rc = cw_find_coord_columns(ctx, name, &out->attrs, o, &lon, &lat)))
        rc = cw_points_from_columns(ctx, name, out, lon, lat, NULL, 1);
out:
    if (rc)
        cw_layer_release(ctx, out);
    return rc;
}

int cw_csv_read(struct cw_ctx *ctx, const char *path, const struct cw_read_opts *o,
                struct cw_layer *out)
{
    char *buf = NULL;
    size_t len = 0;
    int rc = slurp(ctx, path, &buf, &len);

    if (rc) {
        cw_layer_init(out);
        free(buf);
        return rc;
    }
    return cw_csv_parse(ctx, path, buf, len, o, out);
}
