/* centrality.h: node measures of an undirected, weighted city graph,
 * computed with igraph and normalised as NetworkX 2.8 does.
 * SPDX-License-Identifier: MIT
 *
 * Each edge has a length (cw_edge.dist, in whatever unit the caller uses;
 * the network tool passes kilometres), used for shortest paths, and a
 * weight, used for strength and communities. Every value below equals the
 * NetworkX 2.8 one for nx.Graph G with edge attributes `length` and
 * `weight` (tests/data/centrality_* hold the oracle):
 *
 *   degree       G.degree()
 *   strength     G.degree(weight="weight")
 *   betweenness  nx.betweenness_centrality(G, weight="length"): igraph's
 *                count of unordered pairs times 2/((n-1)(n-2)); 0 if n <= 2
 *   closeness    nx.closeness_centrality(G, distance="length") (Wasserman
 *                and Faust): with r nodes reachable from u (u included) at
 *                total distance D, ((r-1)/D) * ((r-1)/(n-1)); 0 if D = 0
 *   harmonic     nx.harmonic_centrality(G, distance="length"): the sum of
 *                1/d(u,v) over the v != u reachable from u, not normalised
 *   eigenvector  nx.eigenvector_centrality(G.subgraph(C)) for each connected
 *                component C of two nodes or more: unweighted, positive,
 *                unit Euclidean norm within C; 0 on isolated nodes. Per
 *                component because on a disconnected graph the dominant
 *                eigenvector is not unique and NetworkX's answer depends on
 *                its start vector.
 *   diameter     the longest finite shortest path (0 without edges), i.e.
 *                max(dict(nx.all_pairs_dijkstra_path_length(G, weight=
 *                "length")) values): nx.diameter() ignores lengths
 *
 * Communities are igraph's Louvain (igraph_community_multilevel, weights =
 * edge weights, resolution 1; modularity by igraph_modularity). igraph's
 * random draws (Louvain's node order, ARPACK's start vector) come from a
 * private RNG seeded with 42, so results are deterministic for a given
 * igraph version. NetworkX's Louvain is randomised too: only the modularity
 * is comparable (the tests require ours >= NetworkX's - 0.02).
 *
 * Not thread-safe: igraph's error and warning handlers and its default RNG
 * are process-global. The call swaps them (errors are then returned instead
 * of aborting or printing) and restores them before returning, leaving the
 * caller's RNG stream untouched; do not call it while another thread uses
 * igraph.
 */
#ifndef CITYWEAVE_CENTRALITY_H
#define CITYWEAVE_CENTRALITY_H

#include <stddef.h>
#include "cityweave/ctx.h"
#include "cityweave/proximity.h"

/** Per-node arrays of n entries, owned by the struct. */
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
    double modularity;    /**< of the community partition; NaN when the
                               total weight is 0 (e.g. no edges) */
    double diameter;      /**< longest finite shortest path, in length units */
    double total_length;  /**< sum of edge lengths */
};

/** Computes every measure for the graph of @p n nodes and @p edges.
 *  @param[in] n      number of nodes, at most INT_MAX; 0 is allowed
 *  @param[in] edges  borrowed; in the form cw_edges_normalise() leaves them:
 *                    a < b < n, sorted by (a, b), no duplicates (merge
 *                    parallel links first, e.g. by adding their weights).
 *                    dist is the path length: positive and finite (merge
 *                    coincident points first: igraph refuses 0 lengths)
 *  @param[in] weight borrowed, edges->n entries, finite and >= 0, in the
 *                    order of @p edges; NULL means every weight is 1
 *  @param[out] out   filled on success; zeroed on failure
 *  @return CW_OK; CW_ERR_ARG if the input breaks the rules above;
 *          CW_ERR_NOMEM; CW_ERR_LIB if igraph fails (message in ctx).
 *  Free with cw_centrality_release().
 *
 *      struct cw_centrality c;
 *      if (cw_centrality_compute(ctx, ncities, &edges, NULL, &c) == CW_OK) {
 *          ... c.betweenness[i] ...
 *          cw_centrality_release(&c);
 *      }
 */
int cw_centrality_compute(struct cw_ctx *ctx, size_t n,
                          const struct cw_edges *edges, const double *weight,
                          struct cw_centrality *out);
/** Frees the arrays and zeroes @p c; NULL and a zeroed struct are no-ops. */
void cw_centrality_release(struct cw_centrality *c);

#endif
