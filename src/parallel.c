/* parallel.c: a parallel for-loop over contiguous chunks, with pthreads.
 * SPDX-License-Identifier: MIT
 */
#include <pthread.h>
#include <stdlib.h>

#include "parallel.h"

/* Below this many items a chunk costs more to hand out than to run. */
#define CW_MIN_CHUNK 1024

struct chunk {
    cw_chunk_fn fn;
    void *arg;
    size_t lo, hi;
    int w, rc;
};

static void *run_chunk(void *p)
{
    struct chunk *c = p;
    c->rc = c->fn(c->lo, c->hi, c->w, c->arg);
    return NULL;
}

int cw_parallel_workers(struct cw_ctx *ctx, size_t n)
{
    size_t t = (size_t)cw_ctx_threads(ctx), most = n / CW_MIN_CHUNK;
    if (t > most)
        t = most;
    return t < 1 ? 1 : (int)t;
}

int cw_parallel_for(struct cw_ctx *ctx, size_t n, cw_chunk_fn fn, void *arg)
{
    int t = cw_parallel_workers(ctx, n);
    struct chunk c[CW_MAX_THREADS];
    pthread_t tid[CW_MAX_THREADS];
    int started[CW_MAX_THREADS] = { 0 };
    for (int w = 0; w < t; w++)
        c[w] = (struct chunk){ fn, arg, n * w / t, n * (w + 1) / t, w, CW_OK };
    /* A worker that cannot start runs in this thread instead. */
    for (int w = 1; w < t; w++)
        started[w] = pthread_create(&tid[w], NULL, run_chunk, &c[w]) == 0;
    run_chunk(&c[0]);
    for (int w = 1; w < t; w++) {
        if (started[w])
            pthread_join(tid[w], NULL);
        else
            run_chunk(&c[w]);
    }
    for (int w = 0; w < t; w++)
        if (c[w].rc != CW_OK)
            return c[w].rc;
    return CW_OK;
}
