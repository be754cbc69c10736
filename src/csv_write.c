/* csv_write.c: attributes as RFC 4180 CSV, without geometry.
 * SPDX-License-Identifier: MIT
 *
 * A header row of field names, then one row per feature. A value is quoted
 * when it holds a comma, a quote, CR or LF (quotes doubled), and an empty
 * string is written as "" so that it reads back apart from a null, which
 * is written as nothing. Rows end in LF, as Unix tools expect. Output goes
 * through a 1 MiB stdio buffer: benchmark edge lists run to millions of
 * rows.
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "atomic_file.h"
#include "writer_priv.h"

/* A row is put together here and written with one fwrite: a call into
 * stdio per value (each taking the stream's lock) cost more than the
 * values themselves on the 5.7 million rows of a within-25 km table. */
struct csv {
    struct cw_afile file;
    char *row;
    size_t len, cap;
};

static int reserve(struct csv *c, size_t more)
{
    if (c->cap - c->len >= more)
        return CW_OK;
    size_t cap = 2 * (c->len + more);
    char *row = realloc(c->row, cap);
    if (!row)
        return CW_ERR_NOMEM;
    c->row = row;
    c->cap = cap;
    return CW_OK;
}

/* Appends @p v, quoted when it must be: at most 2 * len + 3 bytes. */
static void put_value(struct csv *c, const char *v, size_t len)
{
    char *o = c->row + c->len;
    if (len > 0 && strcspn(v, ",\"\r\n") == len) {
        memcpy(o, v, len);
        c->len += len;
        return;
    }
    *o++ = '"';
    for (; *v; v++) {
        if (*v == '"')
            *o++ = '"';
        *o++ = *v;
    }
    *o++ = '"';
    c->len = (size_t)(o - c->row);
}

static int put_row(struct cw_writer *w, struct csv *c, const char *const *vals)
{
    c->len = 0;
    for (size_t i = 0; i < w->nfields; i++) {
        const char *v = vals ? vals[i] : w->fields[i].name;
        size_t len = v ? strlen(v) : 0;
        if (reserve(c, 2 * len + 4) != CW_OK)
            return cw_ctx_error(w->ctx, CW_ERR_NOMEM, "out of memory");
        if (i)
            c->row[c->len++] = ',';
        if (v)
            put_value(c, v, len);
    }
    c->row[c->len++] = '\n';
    /* A short write is stdio's sticky error: stop early on a full disk;
     * commit checks again. */
    return fwrite(c->row, 1, c->len, c->file.fp) == c->len ? CW_OK
                                                           : cw_writer_io_error(w, errno);
}

static int csv_add(struct cw_writer *w, const GEOSGeometry *geom,
                   const char *const *vals)
{
    (void)geom;  /* CSV stores attributes only */
    return put_row(w, w->impl, vals);
}

static void csv_free(struct cw_writer *w)
{
    struct csv *c = w->impl;
    free(c->row);
    free(c);
    w->impl = NULL;
}

static int csv_commit(struct cw_writer *w)
{
    int rc = cw_afile_commit(&((struct csv *)w->impl)->file);
    csv_free(w);
    return rc;
}

static void csv_abort(struct cw_writer *w)
{
    cw_afile_abort(&((struct csv *)w->impl)->file);
    csv_free(w);
}

static const struct cw_writer_ops csv_ops = { csv_add, csv_commit, csv_abort };

int cw_csv_open(struct cw_writer *w)
{
    struct csv *c = calloc(1, sizeof *c);
    if (!c)
        return cw_ctx_error(w->ctx, CW_ERR_NOMEM, "out of memory");
    int rc = cw_afile_open(w->ctx, w->path, w->overwrite, &c->file);
    if (rc != CW_OK) {
        free(c);
        return rc;
    }
    w->impl = c;
    w->ops = &csv_ops;
    if ((rc = put_row(w, c, NULL)) != CW_OK) {   /* the header */
        csv_abort(w);
        w->ops = NULL;
    }
    return rc;
}
