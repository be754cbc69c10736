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

static void put_value(FILE *fp, const char *v)
{
    size_t plain = strcspn(v, ",\"\r\n");
    if (v[plain] == '\0' && plain > 0) {
        fwrite(v, 1, plain, fp);
        return;
    }
    putc('"', fp);
    for (const char *q; (q = strchr(v, '"')); v = q + 1) {
        fwrite(v, 1, (size_t)(q - v) + 1, fp);
        putc('"', fp);
    }
    fputs(v, fp);
    putc('"', fp);
}

static void put_row(struct cw_writer *w, FILE *fp, const char *const *vals)
{
    for (size_t i = 0; i < w->nfields; i++) {
        if (i)
            putc(',', fp);
        const char *v = vals ? vals[i] : w->fields[i].name;
        if (v)
            put_value(fp, v);
    }
    putc('\n', fp);
}

static int csv_add(struct cw_writer *w, const GEOSGeometry *geom,
                   const char *const *vals)
{
    struct cw_afile *f = w->impl;
    (void)geom;  /* CSV stores attributes only */
    put_row(w, f->fp, vals);
    /* Sticky stdio error: stop early on a full disk; commit checks again. */
    return ferror(f->fp) ? cw_writer_io_error(w, errno) : CW_OK;
}

static int csv_commit(struct cw_writer *w)
{
    int rc = cw_afile_commit(w->impl);
    free(w->impl);
    w->impl = NULL;
    return rc;
}

static void csv_abort(struct cw_writer *w)
{
    cw_afile_abort(w->impl);
    free(w->impl);
    w->impl = NULL;
}

static const struct cw_writer_ops csv_ops = { csv_add, csv_commit, csv_abort };

int cw_csv_open(struct cw_writer *w)
{
    struct cw_afile *f = calloc(1, sizeof *f);
    if (!f)
        return cw_ctx_error(w->ctx, CW_ERR_NOMEM, "out of memory");
    int rc = cw_afile_open(w->ctx, w->path, w->overwrite, f);
    if (rc != CW_OK) {
        free(f);
        return rc;
    }
    put_row(w, f->fp, NULL);  /* the header */
    w->impl = f;
    w->ops = &csv_ops;
    return CW_OK;
}
