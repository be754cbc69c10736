/* shp_write.c: ESRI Shapefiles through Shapelib, with a .prj and a .cpg.
 * SPDX-License-Identifier: MIT
 *
 * Choices (documented in the README):
 *  - geometry: SHPT_POINT, SHPT_ARC (a MultiLineString is one record of
 *    several parts) or SHPT_POLYGON with exterior rings clockwise and holes
 *    counter-clockwise, as the ESRI specification asks; a null geometry is a
 *    SHPT_NULL record; a layer without geometry is a SHPT_NULL file.
 *  - .prj: the ESRI WKT of EPSG:4326 as PROJ writes it; .cpg: "UTF-8".
 *  - DBF columns: STRING is C with width max(1, min(254, field width)),
 *    longer values are cut at a UTF-8 character boundary with one warning
 *    per field; INTEGER is N width 18 (GDAL reads it back as Integer64),
 *    and an integer needing more than 18 characters is an error; REAL is
 *    N width 24 with the field's precision as decimals (15 when the
 *    precision is -1, at most 15), in exponent form when a value does not
 *    fit that way.
 *  - names: cw_shp_field_names(). A layer without fields gets a column
 *    FID (N, 11) holding the record number, as GDAL does.
 *
 * Shapelib reports errors through an SAHooks.Error callback that has no
 * user pointer, so its messages cannot reach the context without global
 * state. Our file hooks record instead the errno of the first failed
 * write, flush or close of each file, and every Shapelib return value is
 * checked.
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include <shapefil.h>

#include "atomic_file.h"
#include "writer_priv.h"

#define INT_WIDTH 18
#define REAL_WIDTH 24
#define REAL_DECIMALS 15    /* for fields of shortest round-trip precision:
                               closeness in 1/km is ~1e-6, 10 would keep 4 digits */
#define MAX_DECIMALS 15
#define MAX_STRING 254
#define NAME_BYTES 10

struct shp {
    struct cw_atomic a;
    SAHooks hooks;
    SHPHandle shp;
    DBFHandle dbf;
    int io_err;             /* errno of the first failed file operation */
    int *widths;            /* per field: DBF width */
    unsigned char *cut;     /* per field: a value was cut (warned once) */
    struct cw_coords c;
    int *parts;             /* first vertex of each part */
    size_t nparts, cap_parts;
    char buf[MAX_STRING + 1];
};

/* An SAFile is really one of these. Before Shapelib hands us its handles,
 * err is NULL and failures are only visible through its return values.
 * Shapelib seeks before every record, and glibc's fseek() refills its
 * buffer with a read, so we track the position and skip the seeks that go
 * nowhere: a 1.6 M-edge file then takes seconds instead of minutes. */
struct sa_file {
    FILE *fp;
    int *err;
    long pos;   /* where the next read or write happens */
    char last;  /* 'r' or 'w': the last operation, 0 after a seek */
};

static void note(struct sa_file *f, int e)
{
    if (f->err && !*f->err)
        *f->err = e ? e : EIO;
}

static SAFile sa_open(const char *name, const char *mode)
{
    struct sa_file *f = calloc(1, sizeof *f);
    if (f && !(f->fp = fopen(name, mode))) {
        free(f);
        f = NULL;
    }
    return (SAFile)f;
}

/* C11 7.21.5.3: switching between reading and writing needs a seek. */
static int sa_switch(struct sa_file *f, char op)
{
    int r = f->last && f->last != op ? fseek(f->fp, f->pos, SEEK_SET) : 0;
    f->last = op;
    return r;
}

static SAOffset sa_read(void *p, SAOffset size, SAOffset n, SAFile file)
{
    struct sa_file *f = (struct sa_file *)file;
    SAOffset done = sa_switch(f, 'r') == 0 ? fread(p, size, n, f->fp) : 0;
    f->pos += (long)(done * size);
    return done;
}

static SAOffset sa_write(void *p, SAOffset size, SAOffset n, SAFile file)
{
    struct sa_file *f = (struct sa_file *)file;
    SAOffset done = sa_switch(f, 'w') == 0 ? fwrite(p, size, n, f->fp) : 0;
    f->pos += (long)(done * size);
    if (done < n)
        note(f, errno);
    return done;
}

static SAOffset sa_seek(SAFile file, SAOffset off, int whence)
{
    struct sa_file *f = (struct sa_file *)file;
    if (whence == SEEK_SET && (long)off == f->pos)
        return 0;
    if (fseek(f->fp, (long)off, whence) != 0 || (f->pos = ftell(f->fp)) < 0) {
        note(f, errno);
        return (SAOffset)-1;
    }
    f->last = 0;
    return 0;
}

static SAOffset sa_tell(SAFile file)
{
    return (SAOffset)((struct sa_file *)file)->pos;
}

static int sa_flush(SAFile file)
{
    struct sa_file *f = (struct sa_file *)file;
    int r = fflush(f->fp);
    if (r != 0)
        note(f, errno);
    return r;
}

static int sa_close(SAFile file)
{
    struct sa_file *f = (struct sa_file *)file;
    if (ferror(f->fp))
        note(f, EIO);
    int r = fclose(f->fp);
    if (r != 0)
        note(f, errno);
    free(f);
    return r;
}

static void sa_error(const char *msg)
{
    (void)msg;  /* see the file comment: return values carry the failure */
}

static void setup_hooks(SAHooks *h)
{
    SASetupDefaultHooks(h);
    h->FOpen = sa_open;
    h->FRead = sa_read;
    h->FWrite = sa_write;
    h->FSeek = sa_seek;
    h->FTell = sa_tell;
    h->FFlush = sa_flush;
    h->FClose = sa_close;
    h->Error = sa_error;
}

static int name_taken(char (*out)[11], size_t n, const char *name)
{
    for (size_t i = 0; i < n; i++)
        if (strcasecmp(out[i], name) == 0)
            return 1;
    return 0;
}

int cw_shp_field_names(const struct cw_field *f, size_t n, char (*out)[11])
{
    int changed = 0;
    for (size_t i = 0; i < n; i++) {
        size_t len = cw_utf8_prefix(f[i].name, NAME_BYTES);
        memcpy(out[i], f[i].name, len);
        out[i][len] = '\0';
        /* n < 10^8 fields leave room for "_N"; a DBF holds far fewer. */
        for (unsigned k = 1; name_taken(out, i, out[i]); k++) {
            char suffix[12];
            size_t slen = (size_t)snprintf(suffix, sizeof suffix, "_%u", k);
            len = cw_utf8_prefix(f[i].name, NAME_BYTES - slen);
            memcpy(out[i], f[i].name, len);
            memcpy(out[i] + len, suffix, slen + 1);
        }
        changed += strcmp(out[i], f[i].name) != 0;
    }
    return changed;
}

static int shp_error(struct cw_writer *w, const char *what)
{
    struct shp *s = w->impl;
    if (s->io_err)
        return cw_writer_io_error(w, s->io_err);
    return cw_ctx_error(w->ctx, CW_ERR_IO, "'%s': cannot write: %s", w->path,
                        what);
}

/* Shapelib mallocs the object and copies the arrays; free with
 * SHPDestroyObject(). */
static int make_null(SHPObject **obj)
{
    *obj = SHPCreateObject(SHPT_NULL, -1, 0, NULL, NULL, 0, NULL, NULL, NULL,
                           NULL);
    return *obj ? CW_OK : CW_ERR_NOMEM;
}

static int add_part(struct cw_writer *w, const GEOSGeometry *line)
{
    struct shp *s = w->impl;
    if (s->nparts == s->cap_parts) {
        size_t cap = s->cap_parts ? 2 * s->cap_parts : 16;
        int *p = realloc(s->parts, cap * sizeof *p);
        if (!p)
            return cw_ctx_error(w->ctx, CW_ERR_NOMEM, "out of memory");
        s->parts = p;
        s->cap_parts = cap;
    }
    s->parts[s->nparts++] = (int)s->c.n;
    return cw_coords_append(w->ctx, &s->c, line);
}

/* Rings of one polygon: exterior clockwise, holes counter-clockwise. */
static int add_polygon(struct cw_writer *w, const GEOSGeometry *g)
{
    GEOSContextHandle_t h = cw_ctx_geos(w->ctx);
    struct shp *s = w->impl;
    int nholes = GEOSGetNumInteriorRings_r(h, g);
    int rc = nholes < 0 ? CW_ERR_LIB : CW_OK;
    for (int i = -1; i < nholes && rc == CW_OK; i++) {
        const GEOSGeometry *ring = i < 0 ? GEOSGetExteriorRing_r(h, g)
                                         : GEOSGetInteriorRingN_r(h, g, i);
        size_t start = s->c.n;
        rc = ring ? add_part(w, ring) : CW_ERR_LIB;
        if (rc == CW_OK)
            cw_coords_orient(&s->c, start, i >= 0);
    }
    return rc;
}

/* Lines and polygons, single or multi, as the parts of one object. */
static int make_parts(struct cw_writer *w, const GEOSGeometry *g, SHPObject **obj)
{
    GEOSContextHandle_t h = cw_ctx_geos(w->ctx);
    struct shp *s = w->impl;
    int poly = w->gtype == CW_GEOM_POLYGON;
    int n = GEOSGetNumGeometries_r(h, g);  /* 1 for a single geometry */
    int rc = n < 0 ? CW_ERR_LIB : CW_OK;
    s->c.n = s->nparts = 0;
    for (int i = 0; i < n && rc == CW_OK; i++) {
        const GEOSGeometry *part = GEOSGetGeometryN_r(h, g, i);
        rc = !part ? CW_ERR_LIB : poly ? add_polygon(w, part) : add_part(w, part);
    }
    if (rc != CW_OK)
        return rc;
    *obj = SHPCreateObject(poly ? SHPT_POLYGON : SHPT_ARC, -1, (int)s->nparts,
                           s->parts, NULL, (int)s->c.n, s->c.x, s->c.y, NULL,
                           NULL);
    return *obj ? CW_OK : CW_ERR_NOMEM;
}

static int make_object(struct cw_writer *w, const GEOSGeometry *g, SHPObject **obj)
{
    struct shp *s = w->impl;
    int rc;
    if (!g)
        rc = make_null(obj);
    else if (w->gtype != CW_GEOM_POINT)
        rc = make_parts(w, g, obj);
    else if ((s->c.n = 0, rc = cw_coords_append(w->ctx, &s->c, g)) == CW_OK) {
        *obj = SHPCreateSimpleObject(SHPT_POINT, 1, s->c.x, s->c.y, NULL);
        rc = *obj ? CW_OK : CW_ERR_NOMEM;
    }
    if (rc == CW_ERR_NOMEM)
        cw_ctx_error(w->ctx, rc, "out of memory");
    return rc;
}

static int put_string(struct cw_writer *w, int rec, int i, const char *v)
{
    struct shp *s = w->impl;
    size_t width = (size_t)s->widths[i];
    if (strlen(v) > width) {
        size_t len = cw_utf8_prefix(v, width);
        memcpy(s->buf, v, len);
        s->buf[len] = '\0';
        v = s->buf;
        if (!s->cut[i])
            cw_ctx_warn(w->ctx, "'%s': field '%s' values longer than %zu bytes "
                        "were cut", w->path, w->fields[i].name, width);
        s->cut[i] = 1;
    }
    return DBFWriteStringAttribute(s->dbf, rec, i, v) ? CW_OK
                                                       : shp_error(w, "DBF write failed");
}

/* Numbers go in as text, right-aligned as dBASE does, so integers keep all
 * their digits (DBFWriteIntegerAttribute takes an int). */
static int put_number(struct cw_writer *w, int rec, int i, const char *v)
{
    struct shp *s = w->impl;
    int width = s->widths[i];
    if (w->fields[i].type == CW_FT_INTEGER) {
        if (strlen(v) > INT_WIDTH)
            return cw_ctx_error(w->ctx, CW_ERR_DATA, "'%s': feature %ld: "
                                "integer %s of field '%s' has more than %d "
                                "characters", w->path, w->nrec + 1, v,
                                w->fields[i].name, INT_WIDTH);
        snprintf(s->buf, sizeof s->buf, "%*s", width, v);
    } else {
        int dec = w->fields[i].precision < 0 ? REAL_DECIMALS
                : w->fields[i].precision > MAX_DECIMALS ? MAX_DECIMALS
                : w->fields[i].precision;
        double d = strtod(v, NULL);
        if (snprintf(s->buf, sizeof s->buf, "%*.*f", width, dec, d) > width)
            snprintf(s->buf, sizeof s->buf, "%*.*e", width, MAX_DECIMALS, d);
    }
    return DBFWriteAttributeDirectly(s->dbf, rec, i, s->buf)
           ? CW_OK : shp_error(w, "DBF write failed");
}

static int put_values(struct cw_writer *w, int rec, const char *const *vals)
{
    struct shp *s = w->impl;
    int rc = CW_OK;
    for (size_t i = 0; i < w->nfields && rc == CW_OK; i++) {
        if (!vals[i])
            rc = DBFWriteNULLAttribute(s->dbf, rec, (int)i)
                 ? CW_OK : shp_error(w, "DBF write failed");
        else if (w->fields[i].type == CW_FT_STRING)
            rc = put_string(w, rec, (int)i, vals[i]);
        else
            rc = put_number(w, rec, (int)i, vals[i]);
    }
    return rc;
}

static int shp_add(struct cw_writer *w, const GEOSGeometry *geom,
                   const char *const *vals)
{
    struct shp *s = w->impl;
    SHPObject *obj = NULL;
    int rc = make_object(w, geom, &obj);
    if (rc != CW_OK)
        goto out;
    int rec = SHPWriteObject(s->shp, -1, obj);
    if (rec < 0) {
        rc = shp_error(w, "Shapefile write failed (files are limited to 4 GB)");
        goto out;
    }
    if (w->nfields == 0)
        rc = DBFWriteIntegerAttribute(s->dbf, rec, 0, rec)
             ? CW_OK : shp_error(w, "DBF write failed");
    else
        rc = put_values(w, rec, vals);
out:
    SHPDestroyObject(obj);
    return rc;
}

/* Closes both handles; their final header writes go through our hooks.
 * The DBF end-of-file mark, held back while appending, goes in with the
 * last record, which Shapelib flushes here. */
static int close_handles(struct cw_writer *w)
{
    struct shp *s = w->impl;
    if (s->shp)
        SHPClose(s->shp);
    if (s->dbf) {
        DBFSetWriteEndOfFileChar(s->dbf, 1);
        DBFClose(s->dbf);
    }
    s->shp = NULL;
    s->dbf = NULL;
    return s->io_err ? cw_writer_io_error(w, s->io_err) : CW_OK;
}

static void shp_free(struct cw_writer *w)
{
    struct shp *s = w->impl;
    cw_coords_release(&s->c);
    free(s->parts);
    free(s->widths);
    free(s->cut);
    free(s);
    w->impl = NULL;
}

static int shp_commit(struct cw_writer *w)
{
    struct shp *s = w->impl;
    int rc = close_handles(w);
    if (rc == CW_OK)
        rc = cw_atomic_commit(&s->a);
    else
        cw_atomic_abort(&s->a);
    shp_free(w);
    return rc;
}

static void shp_abort(struct cw_writer *w)
{
    struct shp *s = w->impl;
    close_handles(w);
    cw_atomic_abort(&s->a);
    shp_free(w);
}

static const struct cw_writer_ops shp_ops = { shp_add, shp_commit, shp_abort, NULL };

static int add_fields(struct cw_writer *w)
{
    struct shp *s = w->impl;
    char (*names)[11] = calloc(w->nfields + 1, sizeof *names);
    int rc = CW_OK;
    if (!names)
        return cw_ctx_error(w->ctx, CW_ERR_NOMEM, "out of memory");
    cw_shp_field_names(w->fields, w->nfields, names);
    /* Readers balk at a DBF without columns; GDAL adds this one too. */
    if (w->nfields == 0 && DBFAddField(s->dbf, "FID", FTInteger, 11, 0) < 0)
        rc = shp_error(w, "DBF write failed");
    for (size_t i = 0; i < w->nfields && rc == CW_OK; i++) {
        const struct cw_field *f = &w->fields[i];
        int width = f->type == CW_FT_INTEGER ? INT_WIDTH
                  : f->type == CW_FT_REAL ? REAL_WIDTH
                  : f->width > MAX_STRING ? MAX_STRING
                  : f->width < 1 ? 1 : (int)f->width;
        int dec = f->type != CW_FT_REAL ? 0
                : f->precision < 0 ? REAL_DECIMALS
                : f->precision > MAX_DECIMALS ? MAX_DECIMALS : f->precision;
        DBFFieldType type = f->type == CW_FT_STRING ? FTString
                          : f->type == CW_FT_INTEGER ? FTInteger : FTDouble;
        s->widths[i] = width;
        if (DBFAddField(s->dbf, names[i], type, width, dec) < 0)
            rc = cw_ctx_error(w->ctx, CW_ERR_DATA, "'%s': field '%s' does not "
                              "fit in a DBF record (at most 65535 bytes)",
                              w->path, f->name);
    }
    free(names);
    return rc;
}

/* The ESRI WKT of WGS 84, as PROJ writes it. */
static int write_prj(struct cw_writer *w, const char *tmp)
{
    PJ_CONTEXT *pc = cw_ctx_proj(w->ctx);
    PJ *crs = proj_create(pc, "EPSG:4326");
    const char *wkt = crs ? proj_as_wkt(pc, crs, PJ_WKT1_ESRI, NULL) : NULL;
    int rc = wkt ? cw_atomic_write_text(w->ctx, w->path, tmp, wkt)
                 : cw_ctx_error(w->ctx, CW_ERR_LIB, "'%s': cannot write the "
                                ".prj: %s", w->path, cw_ctx_errmsg(w->ctx));
    proj_destroy(crs);
    return rc;
}

/* The Shapelib handles' files get our error sink once we can reach them. */
static void attach_sinks(struct shp *s)
{
    ((struct sa_file *)s->shp->fpSHP)->err = &s->io_err;
    ((struct sa_file *)s->shp->fpSHX)->err = &s->io_err;
    ((struct sa_file *)s->dbf->fp)->err = &s->io_err;
}

static const int shp_types[] = {
    [CW_GEOM_NONE] = SHPT_NULL,
    [CW_GEOM_POINT] = SHPT_POINT,
    [CW_GEOM_LINE] = SHPT_ARC,
    [CW_GEOM_POLYGON] = SHPT_POLYGON,
};

/* Opens the temporary .shp/.shx/.dbf and writes the .prj and .cpg. The .cpg
 * is ours rather than DBFCreateEx's so that its write is checked too. */
static int create_files(struct cw_writer *w)
{
    struct shp *s = w->impl;
    const char *shp = cw_atomic_add(&s->a, ".shp");
    const char *shx = cw_atomic_add(&s->a, ".shx");
    const char *dbf = cw_atomic_add(&s->a, ".dbf");
    const char *prj = cw_atomic_add(&s->a, ".prj");
    const char *cpg = cw_atomic_add(&s->a, ".cpg");
    if (!shp || !shx || !dbf || !prj || !cpg)
        return CW_ERR_NOMEM;
    /* Indexes of an older output would describe the wrong shapes. */
    static const char *const stale[] = { ".qix", ".sbn", ".sbx" };
    for (size_t i = 0; i < sizeof stale / sizeof stale[0]; i++)
        if (cw_atomic_drop(&s->a, stale[i]) != CW_OK)
            return CW_ERR_NOMEM;
    s->shp = SHPCreateLL(shp, shp_types[w->gtype], &s->hooks);
    s->dbf = s->shp ? DBFCreateLL(dbf, NULL, &s->hooks) : NULL;
    if (!s->shp || !s->dbf)
        return cw_writer_io_error(w, errno);
    attach_sinks(s);
    /* Shapelib writes the mark after each new record and then seeks back
     * over it for the next one: a real seek, and a read, per record. */
    DBFSetWriteEndOfFileChar(s->dbf, 0);
    int rc = write_prj(w, prj);
    return rc == CW_OK ? cw_atomic_write_text(w->ctx, w->path, cpg, "UTF-8") : rc;
}

static int suffix_is_shp(const char *path)
{
    size_t len = strlen(path);
    return len > 4 && strcasecmp(path + len - 4, ".shp") == 0;
}

int cw_shp_open(struct cw_writer *w)
{
    if (!suffix_is_shp(w->path))
        return cw_ctx_error(w->ctx, CW_ERR_ARG, "'%s': a Shapefile name must "
                            "end in .shp", w->path);
    struct shp *s = calloc(1, sizeof *s);
    if (!s)
        return cw_ctx_error(w->ctx, CW_ERR_NOMEM, "out of memory");
    w->impl = s;
    w->ops = &shp_ops;
    setup_hooks(&s->hooks);
    s->widths = calloc(w->nfields + 1, sizeof *s->widths);
    s->cut = calloc(w->nfields + 1, 1);
    int rc = !s->widths || !s->cut
        ? cw_ctx_error(w->ctx, CW_ERR_NOMEM, "out of memory")
        : cw_atomic_begin(w->ctx, w->path, w->overwrite, &s->a);
    if (rc != CW_OK) {
        shp_free(w);
        return rc;
    }
    rc = create_files(w);
    if (rc == CW_OK)
        rc = add_fields(w);
    if (rc != CW_OK)
        shp_abort(w);
    return rc;
}
