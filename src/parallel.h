/* parallel.h: a parallel for-loop over contiguous chunks, with pthreads.
 * SPDX-License-Identifier: MIT
 *
 * Results stay deterministic when each worker writes only its own output
 * and the caller merges the outputs in worker order.
 */
#ifndef CW_PARALLEL_H
#define CW_PARALLEL_H

#include <stddef.h>
#include "cityweave/ctx.h"

/** Body of the loop: items [lo, hi) as worker @p w (0-based, w = 0 runs
 *  in the calling thread, the only one that may report progress).
 *  @return a cw_status; it must not touch the context's error message. */
typedef int (*cw_chunk_fn)(size_t lo, size_t hi, int w, void *arg);

/** Runs @p fn over [0, n) in cw_parallel_workers(ctx, n) chunks.
 *  @return the status of the lowest-numbered worker that failed, or CW_OK. */
int cw_parallel_for(struct cw_ctx *ctx, size_t n, cw_chunk_fn fn, void *arg);

/** How many workers cw_parallel_for() will use for @p n items: the
 *  context's thread count, fewer for small n. */
int cw_parallel_workers(struct cw_ctx *ctx, size_t n);

#endif
