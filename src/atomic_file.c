/* atomic_file.c: temporary files next to the output, synced and renamed into
 * place only when complete, removed on any failure (STYLE R12).
 * SPDX-License-Identifier: MIT
 */
#include <errno.h>
#include <fcntl.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "atomic_file.h"

/* Tries this many temporary names before giving up: only leftovers of
 * crashed runs with a recycled pid can occupy them. */
#define MAX_TRIES 1000

/* stdio buffer of single-file outputs: CSV edge lists reach 100 MB. */
#define BUF_SIZE (1 << 20)

static char *strfmt(const char *fmt, ...) __attribute__((format(printf, 1, 2)));

static char *strfmt(const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    int n = vsnprintf(NULL, 0, fmt, ap);
    va_end(ap);
    char *s = n < 0 ? NULL : malloc((size_t)n + 1);
    if (!s)
        return NULL;
    va_start(ap, fmt);
    vsnprintf(s, (size_t)n + 1, fmt, ap);
    va_end(ap);
    return s;
}

static int io_error(struct cw_ctx *ctx, const char *path, int err)
{
    return cw_ctx_error(ctx, CW_ERR_IO, "'%s': cannot write: %s", path,
                        strerror(err ? err : EIO));
}

static int exists(const char *path)
{
    struct stat st;
    return lstat(path, &st) == 0;
}

/* Creates DIR/.NAME.tmp.PID.N with O_EXCL for the first free N: the dot
 * hides it from ls, and the same directory keeps rename() atomic. */
static int reserve_base(struct cw_atomic *a)
{
    const char *slash = strrchr(a->path, '/');
    int dirlen = slash ? (int)(slash - a->path + 1) : 0;
    const char *name = a->path + dirlen;
    int err = 0;
    for (int n = 0; n < MAX_TRIES; n++) {
        a->base = strfmt("%.*s.%s.tmp.%ld.%d", dirlen, a->path, name,
                         (long)getpid(), n);
        if (!a->base)
            return cw_ctx_error(a->ctx, CW_ERR_NOMEM, "out of memory");
        int fd = open(a->base, O_WRONLY | O_CREAT | O_EXCL, 0666);
        if (fd >= 0) {
            if (close(fd) == 0)
                return CW_OK;
            err = errno;
            unlink(a->base);
        } else {
            err = errno;
        }
        free(a->base);
        a->base = NULL;
        if (err != EEXIST)
            break;
    }
    return io_error(a->ctx, a->path, err);
}

int cw_atomic_begin(struct cw_ctx *ctx, const char *path, int overwrite,
                    struct cw_atomic *a)
{
    memset(a, 0, sizeof *a);
    a->ctx = ctx;
    a->overwrite = overwrite;
    if (!overwrite && exists(path))
        return cw_ctx_error(ctx, CW_ERR_EXISTS, "'%s' exists (use --overwrite)",
                            path);
    if (!(a->path = strdup(path)))
        return cw_ctx_error(ctx, CW_ERR_NOMEM, "out of memory");
    int rc = reserve_base(a);
    if (rc != CW_OK) {
        free(a->path);
        a->path = NULL;
    }
    return rc;
}

/* The path with its extension (if any) replaced by @p ext. */
static char *companion_name(const char *path, const char *ext)
{
    const char *slash = strrchr(path, '/');
    const char *dot = strrchr(slash ? slash + 1 : path, '.');
    int len = dot && dot != (slash ? slash + 1 : path) ? (int)(dot - path)
                                                      : (int)strlen(path);
    return strfmt("%.*s%s", len, path, ext);
}

static int push(struct cw_atomic *a, char *tmp, char *dst, int ok)
{
    if (!ok || !dst || a->n == CW_ATOMIC_MAX) {
        free(tmp);
        free(dst);
        return cw_ctx_error(a->ctx, CW_ERR_NOMEM, "out of memory");
    }
    a->tmp[a->n] = tmp;
    a->dst[a->n++] = dst;
    return CW_OK;
}

const char *cw_atomic_add(struct cw_atomic *a, const char *ext)
{
    char *tmp = strfmt("%s%s", a->base, ext);
    char *dst = a->n ? companion_name(a->path, ext) : strdup(a->path);
    return push(a, tmp, dst, tmp != NULL) == CW_OK ? tmp : NULL;
}

int cw_atomic_drop(struct cw_atomic *a, const char *ext)
{
    return push(a, NULL, companion_name(a->path, ext), 1);
}

static void release(struct cw_atomic *a)
{
    for (size_t i = 0; i < a->n; i++) {
        free(a->tmp[i]);
        free(a->dst[i]);
    }
    free(a->base);
    free(a->path);
    memset(a, 0, sizeof *a);
}

void cw_atomic_abort(struct cw_atomic *a)
{
    for (size_t i = 0; i < a->n; i++)
        if (a->tmp[i])
            unlink(a->tmp[i]);
    if (a->base)
        unlink(a->base);
    release(a);
}

/* fsync() flushes the file, not the descriptor, so a fresh read-only one
 * also covers data that a library (Shapelib, GDAL) wrote and closed. */
static int sync_file(const char *path)
{
    int fd = open(path, O_RDONLY);
    if (fd < 0)
        return -1;
    int bad = fsync(fd) != 0;
    int err = errno;
    if (close(fd) != 0 && !bad) {
        bad = 1;
        err = errno;
    }
    errno = err;
    return bad ? -1 : 0;
}

/* Makes the renames durable. Best effort: by now the output is in place,
 * and some file systems refuse fsync on a directory. */
static void sync_dir(const char *path)
{
    const char *slash = strrchr(path, '/');
    char *dir = slash ? strfmt("%.*s", (int)(slash - path + 1), path)
                      : strdup(".");
    int fd = dir ? open(dir, O_RDONLY) : -1;
    if (fd >= 0) {
        (void)fsync(fd);
        close(fd);
    }
    free(dir);
}

/* Companions first and the main file last, so a reader that finds the new
 * main file also finds its new companions. A failure between two renames
 * leaves new companions beside the old main file: a set of files cannot
 * be replaced atomically without replacing their directory. */
static int rename_all(struct cw_atomic *a)
{
    for (size_t i = a->n; i-- > 0;)
        if (a->tmp[i] && rename(a->tmp[i], a->dst[i]) != 0)
            return io_error(a->ctx, a->dst[i], errno);
    for (size_t i = 0; i < a->n; i++)
        if (!a->tmp[i] && unlink(a->dst[i]) != 0 && errno != ENOENT)
            return io_error(a->ctx, a->dst[i], errno);
    return CW_OK;
}

int cw_atomic_publish(struct cw_atomic *a)
{
    int rc = rename_all(a);
    if (rc == CW_OK) {
        if (strcmp(a->tmp[0], a->base) != 0)
            unlink(a->base);
        sync_dir(a->path);
        release(a);
    } else {
        cw_atomic_abort(a);
    }
    return rc;
}

int cw_atomic_commit(struct cw_atomic *a)
{
    int rc = CW_OK;
    for (size_t i = 0; i < a->n; i++)
        if (a->tmp[i] && sync_file(a->tmp[i]) != 0) {
            rc = io_error(a->ctx, a->dst[i], errno);
            break;
        }
    /* Checked again because the output may have appeared while we wrote. */
    if (rc == CW_OK && !a->overwrite && exists(a->path))
        rc = cw_ctx_error(a->ctx, CW_ERR_EXISTS, "'%s' exists (use --overwrite)", a->path);
    if (rc != CW_OK) {
        cw_atomic_abort(a);
        return rc;
    }
    if (!cw_ctx_holds_outputs(a->ctx))
        return cw_atomic_publish(a);
    if ((rc = cw_ctx_keep_output(a->ctx, a)) != CW_OK)
        cw_atomic_abort(a);
    return rc;
}

int cw_atomic_write_text(struct cw_ctx *ctx, const char *path, const char *tmp,
                         const char *text)
{
    FILE *fp = fopen(tmp, "w");
    if (!fp)
        return io_error(ctx, path, errno);
    int bad = fputs(text, fp) == EOF;
    int err = errno;
    if (fclose(fp) != 0 && !bad) {
        bad = 1;
        err = errno;
    }
    return bad ? io_error(ctx, path, err) : CW_OK;
}

int cw_afile_open(struct cw_ctx *ctx, const char *path, int overwrite,
                  struct cw_afile *f)
{
    memset(f, 0, sizeof *f);
    f->a.ctx = ctx;
    if (strcmp(path, "-") == 0) {
        f->fp = stdout;
        f->is_stdout = 1;
        return CW_OK;
    }
    int rc = cw_atomic_begin(ctx, path, overwrite, &f->a);
    if (rc != CW_OK)
        return rc;
    const char *tmp = cw_atomic_add(&f->a, "");
    if (!tmp) {
        rc = CW_ERR_NOMEM;
        goto out;
    }
    if (!(f->fp = fopen(tmp, "w"))) {
        rc = io_error(ctx, path, errno);
        goto out;
    }
    if ((f->buf = malloc(BUF_SIZE)))
        setvbuf(f->fp, f->buf, _IOFBF, BUF_SIZE);
out:
    if (rc != CW_OK)
        cw_afile_abort(f);
    return rc;
}

int cw_afile_commit(struct cw_afile *f)
{
    struct cw_ctx *ctx = f->a.ctx;
    int bad = ferror(f->fp) != 0;
    int err = bad ? EIO : 0;
    if (fflush(f->fp) != 0 && !bad) {
        bad = 1;
        err = errno;
    }
    if (f->is_stdout) {
        memset(f, 0, sizeof *f);
        return bad ? cw_ctx_error(ctx, CW_ERR_IO, "cannot write to stdout: %s",
                                  strerror(err))
                   : CW_OK;
    }
    if (fclose(f->fp) != 0 && !bad) {
        bad = 1;
        err = errno;
    }
    f->fp = NULL;
    free(f->buf);
    f->buf = NULL;
    if (bad) {
        int rc = io_error(ctx, f->a.path, err);
        cw_atomic_abort(&f->a);
        return rc;
    }
    return cw_atomic_commit(&f->a);
}

void cw_afile_abort(struct cw_afile *f)
{
    if (f->fp && !f->is_stdout)
        fclose(f->fp);
    free(f->buf);
    cw_atomic_abort(&f->a);
    memset(f, 0, sizeof *f);
}
