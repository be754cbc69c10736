/* parallel.c: parallel for-loops with pthreads: over contiguous chunks,
 * or item by item.
 * SPDX-License-Identifier: MIT
 */
#include <pthread.h>
#include <stdatomic.h>
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

/* ---- item by item ---- */

struct items {
    cw_item_fn fn;
    void *arg;
    size_t n;
    atomic_size_t next;     /* the next item to hand out */
    atomic_int stop;        /* some worker failed */
};

struct item_worker {
    struct items *it;
    int w, rc;
    size_t at;              /* the item that failed */
};

static void *run_items(void *p)
{
    struct item_worker *iw = p;
    struct items *it = iw->it;
    while (!atomic_load(&it->stop)) {
        size_t i = atomic_fetch_add(&it->next, 1);
        if (i >= it->n)
            break;
        if ((iw->rc = it->fn(i, iw->w, it->arg)) != CW_OK) {
            iw->at = i;
            atomic_store(&it->stop, 1);
        }
    }
    return NULL;
}

int cw_parallel_items(size_t n, int nw, cw_item_fn fn, void *arg, int *failed)
{
    struct items it = { .fn = fn, .arg = arg, .n = n };
    struct item_worker iw[CW_MAX_THREADS];
    pthread_t tid[CW_MAX_THREADS];
    int started[CW_MAX_THREADS] = { 0 };
    nw = nw < 1 ? 1 : nw > CW_MAX_THREADS ? CW_MAX_THREADS : nw;
    atomic_init(&it.next, 0);
    atomic_init(&it.stop, 0);
    for (int w = 0; w < nw; w++)
        iw[w] = (struct item_worker){ &it, w, CW_OK, 0 };
    for (int w = 1; w < nw; w++)
        started[w] = pthread_create(&tid[w], NULL, run_items, &iw[w]) == 0;
    run_items(&iw[0]);   /* a worker that did not start has nothing left */
    for (int w = 1; w < nw; w++)
        if (started[w])
            pthread_join(tid[w], NULL);
    int first = -1;
    for (int w = 0; w < nw; w++)
        if (iw[w].rc != CW_OK && (first < 0 || iw[w].at < iw[first].at))
            first = w;
    if (failed)
        *failed = first;
    return first < 0 ? CW_OK : iw[first].rc;
}
