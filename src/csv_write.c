/* csv_write.c: attributes as RFC 4180 CSV, without geometry.
 * SPDX-License-Identifier: MIT
 *
 * A header row of field names, then one row per feature. A value is quoted
 * when it holds a comma, a quote, CR or LF (quotes doubled), and an empty
 * string is written as "" so that it reads back apart from a null, which
 * is written as nothing. Rows end in LF, as Unix tools expect.
 *
 * Edge tables run to millions of rows (5.7 million for a within-25 km
 * network of GeoNames), so rows are put together in memory and written a
 * block at a time, and a batch of rows (cw_writer_add_rows) is formatted
 * on every thread: each worker fills a block for its contiguous share of
 * the rows, and the blocks are written in worker order, by a thread that
 * writes one round while the workers format the next.
 */
#include <errno.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "atomic_file.h"
#include "parallel.h"
#include "writer_priv.h"

/* Rows a worker formats per round of a batch: blocks of about 2 MB. */
#define ROUND_ROWS 65536

/* Rows as text, grown as needed. */
struct text {
    char *s;
    size_t len, cap;
};

static int reserve(struct text *t, size_t more)
{
    if (t->cap - t->len >= more)
        return CW_OK;
    size_t cap = 2 * (t->len + more);
    char *s = realloc(t->s, cap);
    if (!s)
        return CW_ERR_NOMEM;
    t->s = s;
    t->cap = cap;
    return CW_OK;
}

/* Appends @p v (@p len bytes), quoted when it must be. */
static void put_value(struct text *t, const char *v, size_t len)
{
    char *o = t->s + t->len;
    if (len > 0 && strcspn(v, ",\"\r\n") == len) {
        memcpy(o, v, len);
        t->len += len;
        return;
    }
    *o++ = '"';
    for (; *v; v++) {
        if (*v == '"')
            *o++ = '"';
        *o++ = *v;
    }
    *o++ = '"';
    t->len = (size_t)(o - t->s);
}

/* Appends one row (@p vals NULL: the header). @return CW_OK or
 * CW_ERR_NOMEM, without a message: workers must not touch the context. */
static int put_row(const struct cw_writer *w, struct text *t, const char *const *vals)
{
    for (size_t i = 0; i < w->nfields; i++) {
        const char *v = vals ? vals[i] : w->fields[i].name;
        size_t len = v ? strlen(v) : 0;
        if (reserve(t, 2 * len + 4) != CW_OK)   /* quotes, comma, newline */
            return CW_ERR_NOMEM;
        if (i)
            t->s[t->len++] = ',';
        if (v)
            put_value(t, v, len);
    }
    if (reserve(t, 1) != CW_OK)   /* a layer without fields is all newlines */
        return CW_ERR_NOMEM;
    t->s[t->len++] = '\n';
    return CW_OK;
}

struct csv {
    struct cw_afile file;
    struct text row;
};

/* Writes @p t out and empties it. A short write is stdio's sticky error:
 * stop early on a full disk; commit checks again. */
static int flush_text(struct cw_writer *w, struct text *t)
{
    struct csv *c = w->impl;
    size_t len = t->len;
    t->len = 0;
    return fwrite(t->s, 1, len, c->file.fp) == len ? CW_OK : cw_writer_io_error(w, errno);
}

static int csv_add(struct cw_writer *w, const GEOSGeometry *geom,
                   const char *const *vals)
{
    struct csv *c = w->impl;
    (void)geom;  /* CSV stores attributes only */
    if (put_row(w, &c->row, vals) != CW_OK)
        return cw_ctx_error(w->ctx, CW_ERR_NOMEM, "out of memory");
    return flush_text(w, &c->row);
}

/* ---- batches ---- */

/* A round's blocks on their way to the file, written by a thread of their
 * own while the workers format the next round into the other set of
 * blocks: the write (a third of the time of 5.7 million rows) overlaps the
 * formatting instead of following it. The thread touches only the file and
 * its blocks; a failure is reported by the caller after the join. */
struct flush {
    FILE *fp;
    struct text *out;   /* nw blocks, in worker order */
    int nw, err, failed, running;
    pthread_t tid;
};

static void *flush_run(void *arg)
{
    struct flush *f = arg;
    for (int k = 0; k < f->nw; k++) {
        struct text *t = &f->out[k];
        if (!f->failed && fwrite(t->s, 1, t->len, f->fp) != t->len) {
            f->failed = 1;
            f->err = errno;
        }
        t->len = 0;
    }
    /* Down to the disk now, while the next round is formatted, rather
     * than all at once in the commit's fsync (0.5 s for 160 MB here). */
    if (!f->failed && f->fp != stdout && (fflush(f->fp) != 0 || fdatasync(fileno(f->fp)) != 0)) {
        f->failed = 1;
        f->err = errno;
    }
    return NULL;
}

struct batch {
    struct cw_writer *w;
    cw_row_fn fn;
    void *arg;
    size_t first;       /* the round's first row */
    int cur;            /* the set of blocks the workers fill */
    struct text out[2][CW_MAX_THREADS];
    unsigned char *bad[CW_MAX_THREADS];   /* fields with values no number */
    struct flush flush;
};

/* What a worker writes for every row lives on its own stack and heap:
 * arrays the main thread allocated side by side would share cache lines
 * between the workers, and each row would bounce them (this was slower
 * on two threads than on one). */
static int format_rows(size_t lo, size_t hi, int wk, void *arg)
{
    struct batch *b = arg;
    size_t nf = b->w->nfields + 1;
    const char **vals = malloc(nf * sizeof *vals);
    char (*num)[32] = malloc(nf * sizeof *num);
    char scratch[CW_ROW_SCRATCH];
    struct text out = b->out[b->cur][wk];
    int rc = vals && num ? CW_OK : CW_ERR_NOMEM;
    for (size_t i = lo; i < hi && rc == CW_OK; i++) {
        b->fn(b->arg, b->first + i, vals, scratch);
        for (size_t f = 0; f < b->w->nfields; f++)
            vals[f] = cw_writer_check_value(b->w, f, vals[f], num[f], &b->bad[wk][f]);
        rc = put_row(b->w, &out, vals);
    }
    b->out[b->cur][wk] = out;
    free(vals);
    free(num);
    return rc;
}

/* Waits for the round being written. */
static int flush_wait(struct batch *b)
{
    struct flush *f = &b->flush;
    if (f->running)
        pthread_join(f->tid, NULL);
    f->running = 0;
    return f->failed ? cw_writer_io_error(b->w, f->err) : CW_OK;
}

/* Hands the round just formatted to the writing thread (written here when
 * no thread can be started) and turns the workers to the other blocks. */
static void flush_start(struct batch *b, int nw)
{
    struct flush *f = &b->flush;
    f->fp = ((struct csv *)b->w->impl)->file.fp;
    f->out = b->out[b->cur];
    f->nw = nw;
    f->running = pthread_create(&f->tid, NULL, flush_run, f) == 0;
    if (!f->running)
        flush_run(f);
    b->cur ^= 1;
}

/* One round: rows [first, first + m) formatted by the workers while the
 * round before is written. The write faults are counted row by row, as
 * cw_writer_add() counts them. */
static int round_rows(struct batch *b, int nw, size_t m)
{
    struct cw_writer *w = b->w;
    int rc = CW_OK;
    for (size_t i = 0; i < m && rc == CW_OK; i++)
        rc = cw_writer_fault(w);
    if (rc == CW_OK && (rc = cw_parallel_for(w->ctx, m, format_rows, b)) != CW_OK)
        return cw_ctx_error(w->ctx, rc, "out of memory");
    if (rc == CW_OK && (rc = flush_wait(b)) == CW_OK)
        flush_start(b, nw);
    return rc;
}

static int csv_add_rows(struct cw_writer *w, size_t n, cw_row_fn fn, void *arg)
{
    struct batch *b = calloc(1, sizeof *b);
    int nw = cw_parallel_workers(w->ctx, n), rc = CW_OK;
    if (!b)
        return cw_ctx_error(w->ctx, CW_ERR_NOMEM, "out of memory");
    *b = (struct batch){ .w = w, .fn = fn, .arg = arg };
    for (int k = 0; k < nw && rc == CW_OK; k++)
        if (!(b->bad[k] = calloc(w->nfields + 1, 1)))
            rc = cw_ctx_error(w->ctx, CW_ERR_NOMEM, "out of memory");
    for (size_t step = (size_t)nw * ROUND_ROWS; rc == CW_OK && b->first < n; b->first += step)
        rc = round_rows(b, nw, n - b->first < step ? n - b->first : step);
    int wrc = flush_wait(b);   /* joined on every path: it holds the blocks */
    rc = rc ? rc : wrc;
    for (int k = 0; k < nw; k++) {
        for (size_t f = 0; f < w->nfields && rc == CW_OK; f++)
            if (b->bad[k][f])
                cw_writer_warn_number(w, f);
        free(b->out[0][k].s);
        free(b->out[1][k].s);
        free(b->bad[k]);
    }
    free(b);
    return rc;
}

/* ---- the file ---- */

static void csv_free(struct cw_writer *w)
{
    struct csv *c = w->impl;
    free(c->row.s);
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

static const struct cw_writer_ops csv_ops = { csv_add, csv_commit, csv_abort, csv_add_rows };

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
    if ((rc = csv_add(w, NULL, NULL)) != CW_OK) {   /* the header */
        csv_abort(w);
        w->ops = NULL;
    }
    return rc;
}
