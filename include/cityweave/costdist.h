/* costdist.h: accumulated cost distance over a friction grid (the least
 * total cost, e.g. travel time, from the nearest of several sources to
 * every cell), with the source that reached each cell.
 * SPDX-License-Identifier: MIT
 *
 *   struct cw_costdist_opts o = { .knight = 0 };   // 8 neighbours
 *   size_t src[] = { (size_t)row * g.nx + col };    // one source cell
 *   double *cost; int32_t *origin;
 *   if (cw_costdist(ctx, &g, friction, src, 1, &o, &cost, &origin)) return ...;
 *   ...cost[i] minutes if friction is minutes per metre...; free(cost); free(origin);
 */
#ifndef CITYWEAVE_COSTDIST_H
#define CITYWEAVE_COSTDIST_H

#include <stddef.h>
#include <stdint.h>

#include "cityweave/ctx.h"
#include "cityweave/raster.h"

struct cw_costdist_opts {
    int knight;  /**< 0: 8 neighbours (rook and bishop moves); 1: 16, adding
                      the knight's moves (1 by 2 cells), which bring the
                      worst-case excess over the straight line from 8.24%
                      down to 2.75% on square cells */
};

/** Accumulated cost from the cheapest source to every cell (Dijkstra's
 *  algorithm on the grid graph; exact for that graph).
 *
 *  A move between the centres of neighbouring cells a and b costs the mean
 *  friction of the cells its straight segment crosses times the segment's
 *  length in metres: (f[a] + f[b]) / 2 * length for a rook or bishop move
 *  (as GRASS r.cost and scikit-image MCP_Geometric), and the mean of the
 *  four cells a knight's move crosses, a quarter of its length in each
 *  (as r.cost -k), so a knight never jumps over an impassable cell. A
 *  bishop's move between two impassable cells touching at a corner is
 *  allowed (as in r.cost and scikit-image).
 *
 *  Lengths: on a projected grid (g->geographic == 0) Euclidean, from
 *  |gt[1]| and |gt[5]| (map units are taken as metres); on a lon/lat grid
 *  the geodesic distance on WGS84 between the two cell centres. The grid's
 *  left and right edges are never joined, even on a global lon/lat grid.
 *
 *  Ties: of several sources reaching a cell at exactly the same cost, the
 *  one listed first in @p sources wins, whatever the order of the search,
 *  so results are deterministic.
 *
 *  Progress goes to cw_ctx_progress() about every 2% of the cells; a
 *  cancel stops the search and fails with CW_ERR_ARG ("interrupted").
 *
 *  @param[in] g        grid geometry, north-up (gt[2] == gt[4] == 0), at
 *                      most 2^32 - 1 cells; borrowed
 *  @param[in] friction nx*ny costs per metre (e.g. minutes per metre, as
 *                      the Malaria Atlas Project friction surfaces), row-major
 *                      from the top row; NaN, negative or infinite means
 *                      impassable; zero is allowed; borrowed
 *  @param[in] sources  @p nsources cell indices (row * nx + col), each on a
 *                      passable cell; duplicates allowed; borrowed
 *  @param[in] o        options; NULL means 8 neighbours
 *  @param[out] cost    new array of nx*ny accumulated costs (friction unit
 *                      times metres; 0 at the sources; NaN where no source
 *                      can reach); caller frees with free(); NULL on error
 *  @param[out] origin  new array of nx*ny indices into @p sources of the
 *                      source that reached each cell (-1 where none can);
 *                      caller frees with free(); NULL on error. May be NULL
 *                      when not wanted.
 *  @return CW_OK; CW_ERR_ARG (no sources, a source outside the grid or on an
 *  impassable cell, a bad grid, or cancelled), CW_ERR_NOMEM. Memory: 12
 *  bytes per cell for the outputs plus the search front (a few MB). */
int cw_costdist(struct cw_ctx *ctx, const struct cw_grid *g, const float *friction,
                const size_t *sources, size_t nsources,
                const struct cw_costdist_opts *o, double **cost, int32_t **origin);

#endif
