/* atomic_file.h: outputs written under temporary names next to the target
 * and renamed into place only when complete (STYLE R12); private.
 * SPDX-License-Identifier: MIT
 *
 * A set holds the main file and its companions (a Shapefile's .shx, .dbf,
 * ...). Temporary names share one base, DIR/.NAME.tmp.PID.N, reserved by
 * creating that base file with O_EXCL, so two writers never collide even
 * within one process.
 *
 *   struct cw_atomic a;
 *   if (cw_atomic_begin(ctx, "out.shp", overwrite, &a)) return ...;
 *   const char *shp = cw_atomic_add(&a, ".shp");   // main: renamed last
 *   const char *dbf = cw_atomic_add(&a, ".dbf");   // becomes out.dbf
 *   ... write shp and dbf ...
 *   rc = ok ? cw_atomic_commit(&a) : (cw_atomic_abort(&a), rc);
 */
#ifndef CW_ATOMIC_FILE_H
#define CW_ATOMIC_FILE_H

#include <stdio.h>

#include "cityweave/ctx.h"

#define CW_ATOMIC_MAX 8

struct cw_atomic {
    struct cw_ctx *ctx;
    char *path;                 /* the output as the caller named it */
    char *base;                 /* reserved temporary base (an empty file) */
    int overwrite;              /* replacing an existing output is allowed */
    size_t n;                   /* entries in tmp[] and dst[] */
    char *tmp[CW_ATOMIC_MAX];   /* temporary name; NULL: dst is only removed */
    char *dst[CW_ATOMIC_MAX];   /* final name */
};

/** Refuses an existing @p path unless @p overwrite (CW_ERR_EXISTS, message
 *  "'PATH' exists (use --overwrite)") and reserves a temporary base in the
 *  directory of @p path. @return CW_OK, CW_ERR_EXISTS, CW_ERR_IO or
 *  CW_ERR_NOMEM; on error @p a needs no abort. */
int cw_atomic_begin(struct cw_ctx *ctx, const char *path, int overwrite,
                    struct cw_atomic *a);
/** Adds a file written at the returned temporary name (borrowed, valid
 *  until commit or abort): base + @p ext. The first file added is the main
 *  one, renamed to the path itself and last of all; "" as its @p ext writes
 *  into the reserved base. Later files are companions renamed to the path
 *  with its extension replaced by @p ext. @return NULL when out of memory
 *  (message in the context). */
const char *cw_atomic_add(struct cw_atomic *a, const char *ext);
/** Names a companion (path with @p ext) that commit deletes, because it
 *  would describe the old output (a stale Shapefile index, say).
 *  @return CW_OK or CW_ERR_NOMEM. */
int cw_atomic_drop(struct cw_atomic *a, const char *ext);
/** Syncs every temporary file, renames companions then the main file into
 *  place (later, when the context holds outputs), deletes dropped
 *  companions and releases @p a. On error every
 *  temporary file is removed. @return CW_OK, CW_ERR_EXISTS (the output
 *  appeared meanwhile and overwrite is off) or CW_ERR_IO. */
int cw_atomic_commit(struct cw_atomic *a);
/** Removes every temporary file and releases @p a. Safe on a zeroed struct. */
void cw_atomic_abort(struct cw_atomic *a);
/** The renaming half of cw_atomic_commit(), for a set whose files are
 *  synced (outputs held by the context); releases @p a. On error the
 *  remaining temporary files are removed. */
int cw_atomic_publish(struct cw_atomic *a);

/* Outputs held by the context (ctx.c): while cw_ctx_holds_outputs(),
 * cw_atomic_commit() syncs and checks a set, then hands it to
 * cw_ctx_keep_output(), which takes it over (*a is zeroed). */
int cw_ctx_holds_outputs(const struct cw_ctx *ctx);
int cw_ctx_keep_output(struct cw_ctx *ctx, struct cw_atomic *a);

/** One buffered stdio output through a cw_atomic, or stdout for "-". */
struct cw_afile {
    struct cw_atomic a;
    FILE *fp;       /* write here */
    char *buf;      /* owned stdio buffer */
    int is_stdout;
};

/** Opens @p path ("-" = stdout) for writing through a temporary file.
 *  @return as cw_atomic_begin(). */
int cw_afile_open(struct cw_ctx *ctx, const char *path, int overwrite,
                  struct cw_afile *f);
/** Checks, flushes, syncs and closes, then renames into place (stdout is
 *  only flushed). @return CW_OK, CW_ERR_EXISTS or CW_ERR_IO. */
int cw_afile_commit(struct cw_afile *f);
/** Closes and removes the temporary file. Safe on a zeroed struct. */
void cw_afile_abort(struct cw_afile *f);

/** Writes @p text to the new file @p tmp (a name from cw_atomic_add), checking
 *  every step; errors name @p path. @return CW_OK or CW_ERR_IO. */
int cw_atomic_write_text(struct cw_ctx *ctx, const char *path, const char *tmp,
                         const char *text);

#endif
