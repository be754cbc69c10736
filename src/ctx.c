/* ctx.c: the library context (GEOS and PROJ handles, errors, warnings,
 * progress, write-fault injection, outputs held for publishing together).
 * SPDX-License-Identifier: MIT
 */
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "atomic_file.h"
#include "cityweave/ctx.h"

struct cw_ctx {
    GEOSContextHandle_t geos;
    PJ_CONTEXT *proj;
    char errmsg[1024];
    cw_warn_fn warn;
    void *warn_arg;
    cw_progress_fn progress;
    void *progress_arg;
    int threads;
    long fail_write_at;   /* CW_FAIL_WRITE: 1-based write to fail; 0 = never */
    long writes;
    int holding;                /* cw_ctx_hold_outputs() is in force */
    struct cw_atomic *held;     /* outputs committed meanwhile */
    size_t nheld, capheld;
};

/* GEOS reports errors through a handler; keep its message as the context's
 * error so the caller sees why a GEOS call returned NULL. */
static void on_geos_error(const char *msg, void *arg)
{
    struct cw_ctx *ctx = arg;
    snprintf(ctx->errmsg, sizeof ctx->errmsg, "GEOS: %s", msg);
}

static void on_geos_notice(const char *msg, void *arg)
{
    (void)msg;
    (void)arg;  /* GEOS notices are about invalid input we check ourselves */
}

/* PROJ logs to stderr by default; the library must not print. */
static void on_proj_log(void *arg, int level, const char *msg)
{
    struct cw_ctx *ctx = arg;
    if (level == PJ_LOG_ERROR)
        snprintf(ctx->errmsg, sizeof ctx->errmsg, "PROJ: %s", msg);
}

struct cw_ctx *cw_ctx_new(void)
{
    struct cw_ctx *ctx = calloc(1, sizeof *ctx);
    if (!ctx)
        return NULL;
    ctx->geos = GEOS_init_r();
    ctx->proj = proj_context_create();
    if (!ctx->geos || !ctx->proj) {
        cw_ctx_free(ctx);
        return NULL;
    }
    GEOSContext_setErrorMessageHandler_r(ctx->geos, on_geos_error, ctx);
    GEOSContext_setNoticeMessageHandler_r(ctx->geos, on_geos_notice, ctx);
    proj_log_func(ctx->proj, ctx, on_proj_log);
    long cpus = sysconf(_SC_NPROCESSORS_ONLN);
    cw_ctx_set_threads(ctx, cpus > 0 ? (int)(cpus < CW_MAX_THREADS ? cpus : CW_MAX_THREADS) : 1);
    const char *fw = getenv("CW_FAIL_WRITE");
    if (fw)
        ctx->fail_write_at = strtol(fw, NULL, 10);
    return ctx;
}

void cw_ctx_free(struct cw_ctx *ctx)
{
    if (!ctx)
        return;
    cw_ctx_publish_outputs(ctx, CW_ERR_ARG);   /* a caller that never published */
    if (ctx->geos)
        GEOS_finish_r(ctx->geos);
    if (ctx->proj)
        proj_context_destroy(ctx->proj);
    free(ctx);
}

int cw_ctx_error(struct cw_ctx *ctx, int status, const char *fmt, ...)
{
    /* formatted aside first: callers may prefix the last message, passing
     * cw_ctx_errmsg() itself as an argument */
    char msg[sizeof ctx->errmsg];
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(msg, sizeof msg, fmt, ap);
    va_end(ap);
    memcpy(ctx->errmsg, msg, sizeof msg);
    return status;
}

const char *cw_ctx_errmsg(const struct cw_ctx *ctx)
{
    return ctx->errmsg;
}

void cw_ctx_set_warn(struct cw_ctx *ctx, cw_warn_fn fn, void *arg)
{
    ctx->warn = fn;
    ctx->warn_arg = arg;
}

void cw_ctx_warn(struct cw_ctx *ctx, const char *fmt, ...)
{
    char msg[1024];
    va_list ap;
    if (!ctx->warn)
        return;
    va_start(ap, fmt);
    vsnprintf(msg, sizeof msg, fmt, ap);
    va_end(ap);
    ctx->warn(msg, ctx->warn_arg);
}

void cw_ctx_set_progress(struct cw_ctx *ctx, cw_progress_fn fn, void *arg)
{
    ctx->progress = fn;
    ctx->progress_arg = arg;
}

int cw_ctx_progress(struct cw_ctx *ctx, double done, const char *msg)
{
    if (ctx->progress && !ctx->progress(done, msg, ctx->progress_arg))
        return cw_ctx_error(ctx, CW_ERR_ARG, "interrupted");
    return CW_OK;
}

void cw_ctx_set_threads(struct cw_ctx *ctx, int threads)
{
    ctx->threads = threads < 1 ? 1 : threads > CW_MAX_THREADS ? CW_MAX_THREADS : threads;
}

int cw_ctx_threads(const struct cw_ctx *ctx)
{
    return ctx->threads;
}

GEOSContextHandle_t cw_ctx_geos(struct cw_ctx *ctx)
{
    return ctx->geos;
}

PJ_CONTEXT *cw_ctx_proj(struct cw_ctx *ctx)
{
    return ctx->proj;
}

int cw_ctx_inject_write_fault(struct cw_ctx *ctx)
{
    return ctx->fail_write_at > 0 && ++ctx->writes == ctx->fail_write_at;
}

void cw_ctx_hold_outputs(struct cw_ctx *ctx)
{
    ctx->holding = 1;
}

int cw_ctx_holds_outputs(const struct cw_ctx *ctx)
{
    return ctx->holding;
}

int cw_ctx_keep_output(struct cw_ctx *ctx, struct cw_atomic *a)
{
    if (ctx->nheld == ctx->capheld) {
        size_t cap = ctx->capheld ? 2 * ctx->capheld : 4;
        struct cw_atomic *h = realloc(ctx->held, cap * sizeof *h);
        if (!h)
            return cw_ctx_error(ctx, CW_ERR_NOMEM, "out of memory");
        ctx->held = h;
        ctx->capheld = cap;
    }
    ctx->held[ctx->nheld++] = *a;
    memset(a, 0, sizeof *a);
    return CW_OK;
}

int cw_ctx_publish_outputs(struct cw_ctx *ctx, int rc)
{
    for (size_t i = 0; i < ctx->nheld; i++) {
        if (rc == CW_OK)
            rc = cw_atomic_publish(&ctx->held[i]);
        else
            cw_atomic_abort(&ctx->held[i]);
    }
    free(ctx->held);
    ctx->held = NULL;
    ctx->nheld = ctx->capheld = 0;
    ctx->holding = 0;
    return rc;
}
