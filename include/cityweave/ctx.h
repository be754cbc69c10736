/* ctx.h: the library context: GEOS and PROJ handles, last error, warnings.
 * SPDX-License-Identifier: MIT
 *
 * One context per thread. It carries every piece of per-run state so the
 * library has no global mutable state of its own.
 */
#ifndef CITYWEAVE_CTX_H
#define CITYWEAVE_CTX_H

#ifndef GEOS_USE_ONLY_R_API
#define GEOS_USE_ONLY_R_API
#endif
#include <geos_c.h>
#include <proj.h>

/** Status codes returned by every fallible library call. */
enum cw_status {
    CW_OK = 0,
    CW_ERR_IO,      /**< a file could not be opened, read or written */
    CW_ERR_DATA,    /**< the input is malformed or inconsistent */
    CW_ERR_ARG,     /**< a caller-supplied option is out of range */
    CW_ERR_NOMEM,   /**< an allocation failed */
    CW_ERR_EXISTS,  /**< the output exists and overwriting was not asked for */
    CW_ERR_LIB      /**< GDAL, GEOS, PROJ, Qhull or igraph reported a failure */
};

/** Progress callback shaped like GDALProgressFunc.
 *  @param[in] done fraction in [0,1]; @param[in] msg may be NULL
 *  @return non-zero to continue, 0 to cancel (the call then fails). */
typedef int (*cw_progress_fn)(double done, const char *msg, void *arg);

/** Receives warnings (one line, no trailing newline). */
typedef void (*cw_warn_fn)(const char *msg, void *arg);

struct cw_ctx;

/** @return a new context, free with cw_ctx_free(); NULL if out of memory
 *  or if GEOS/PROJ cannot be initialised. */
struct cw_ctx *cw_ctx_new(void);
void cw_ctx_free(struct cw_ctx *ctx); /* NULL is a no-op */

/** Records an error message; returns @p status so callers can write
 *  `return cw_ctx_error(ctx, CW_ERR_DATA, "...")`. */
int cw_ctx_error(struct cw_ctx *ctx, int status, const char *fmt, ...)
    __attribute__((format(printf, 3, 4)));
/** @return the last error message (never NULL; "" when none). */
const char *cw_ctx_errmsg(const struct cw_ctx *ctx);

/** Warnings go to @p fn (NULL: dropped). */
void cw_ctx_set_warn(struct cw_ctx *ctx, cw_warn_fn fn, void *arg);
void cw_ctx_warn(struct cw_ctx *ctx, const char *fmt, ...)
    __attribute__((format(printf, 2, 3)));

/** Progress reporting for long calls (NULL: none). */
void cw_ctx_set_progress(struct cw_ctx *ctx, cw_progress_fn fn, void *arg);
/** Reports progress; @return CW_OK, or CW_ERR_ARG (with a message) when the
 *  callback asked to cancel. */
int cw_ctx_progress(struct cw_ctx *ctx, double done, const char *msg);

/** Most worker threads a call may use. */
#define CW_MAX_THREADS 64

/** Sets how many threads long calls may use (1..CW_MAX_THREADS; the
 *  default is the number of online processors). Results do not depend on
 *  it. GEOS and PROJ handles are not shared between threads. */
void cw_ctx_set_threads(struct cw_ctx *ctx, int threads);
int cw_ctx_threads(const struct cw_ctx *ctx);

/** Borrowed handles, valid for the context's lifetime. */
GEOSContextHandle_t cw_ctx_geos(struct cw_ctx *ctx);
PJ_CONTEXT *cw_ctx_proj(struct cw_ctx *ctx);

/** Fault injection for the "nothing lost" tests: when the environment
 *  variable CW_FAIL_WRITE=N is set at cw_ctx_new(), the N-th checked write
 *  (1-based) made by any writer fails. @return non-zero if this write must
 *  fail. Writers call it once per record they emit. */
int cw_ctx_inject_write_fault(struct cw_ctx *ctx);

/** For a run with several outputs: from now on every output committed on
 *  @p ctx is complete and synced but keeps its temporary name, until
 *  cw_ctx_publish_outputs(). A run failing while it writes, or while it
 *  commits, then replaces none of its outputs. */
void cw_ctx_hold_outputs(struct cw_ctx *ctx);
/** Ends the hold: with @p rc CW_OK renames the held outputs into place (in
 *  the order they were committed) and returns the status of that; with
 *  @p rc an error removes their temporary files and returns @p rc. */
int cw_ctx_publish_outputs(struct cw_ctx *ctx, int rc);

#endif
