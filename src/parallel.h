/* parallel.h: parallel for-loops with pthreads: over contiguous chunks of
 * many small items, or item by item over few unequal ones.
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

/** Body of an item loop: item @p i as worker @p w (as above). */
typedef int (*cw_item_fn)(size_t i, int w, void *arg);

/** Runs @p fn for each item of [0, n) with @p nw workers, each taking the
 *  next item not yet taken when it is free: for a few items of very
 *  unequal cost (a green job's zones), which equal chunks would leave to
 *  one worker. A worker stops at its first failure, the others at their
 *  next item. @return the status of the lowest item that failed (its
 *  worker's @p failed, if not NULL, is set to it), or CW_OK. */
int cw_parallel_items(size_t n, int nw, cw_item_fn fn, void *arg, int *failed);

#endif
