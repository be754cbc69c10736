/* centrality.h: node measures of an undirected, weighted city graph,
 * computed with igraph and normalised as NetworkX does.
 * SPDX-License-Identifier: MIT
 */
#ifndef CITYWEAVE_CENTRALITY_H
#define CITYWEAVE_CENTRALITY_H

#include <stddef.h>
#include "cityweave/ctx.h"
#include "cityweave/proximity.h"

struct cw_centrality {
    size_t n;
    double *degree;       /**< number of incident edges */
    double *strength;     /**< sum of incident edge weights */
    double *betweenness;  /**< shortest paths by length, normalised 2/((n-1)(n-2)) */
    double *closeness;    /**< Wasserman-Faust: (r-1)/sum(d) * (r-1)/(n-1) */
    double *harmonic;     /**< sum of 1/d over other nodes, not normalised */
    double *eigenvector;  /**< unweighted, unit norm within each component */
    int *component;       /**< 0-based, numbered by lowest node index */
    int *community;       /**< Louvain (multilevel), numbered by lowest node */
    size_t ncomponents, ncommunities;
    double modularity;    /**< of the community partition */
    double diameter;      /**< longest shortest path, in length units */
    double total_length;  /**< sum of edge lengths */
};

/** Computes every measure for the graph of @p n nodes and @p edges, whose
 *  dist is the path length; @p weight (NULL: all 1) gives each edge's
 *  weight for strength. Deterministic (igraph's RNG is seeded).
 *  @return CW_OK, CW_ERR_NOMEM or CW_ERR_LIB; free with cw_centrality_release. */
int cw_centrality_compute(struct cw_ctx *ctx, size_t n,
                          const struct cw_edges *edges, const double *weight,
                          struct cw_centrality *out);
void cw_centrality_release(struct cw_centrality *c);

#endif
