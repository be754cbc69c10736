/* proximity.h: proximity graphs of points on the globe: k nearest
 * neighbours, all pairs within a distance, minimum spanning tree, spherical
 * Delaunay triangulation and its Gabriel and relative-neighbourhood
 * subgraphs, nearest hub.
 * SPDX-License-Identifier: MIT
 *
 * Points are given as lon/lat arrays. Distances are those of the cw_geod
 * (ellipsoid or sphere). Every result is an undirected edge list with
 * a < b, sorted by (a, b), with no duplicates: the same whatever the input
 * order when @p rank is given (ties are broken by lower rank, then index).
 */
#ifndef CITYWEAVE_PROXIMITY_H
#define CITYWEAVE_PROXIMITY_H

#include <stddef.h>
#include <stdint.h>
#include "cityweave/ctx.h"
#include "cityweave/geodesic.h"

struct cw_edge {
    uint32_t a, b;   /**< point indices, a < b */
    double dist;     /**< metres */
};

struct cw_edges {
    size_t n, cap;
    struct cw_edge *e;  /**< owned */
};

void cw_edges_init(struct cw_edges *es);
void cw_edges_release(struct cw_edges *es);
/** @return CW_OK or CW_ERR_NOMEM. */
int cw_edges_push(struct cw_edges *es, uint32_t a, uint32_t b, double dist);
/** Orders each edge a < b, sorts by (a, b) and drops duplicates. */
void cw_edges_normalise(struct cw_edges *es);

/** Input of every proximity call: @p n points, @p rank may be NULL (then
 *  ties go to the lower index). Arrays are borrowed. */
struct cw_points {
    size_t n;
    const double *lon, *lat;
    const uint32_t *rank;
};

/** Union of each point's @p k nearest other points (kNN graph made
 *  symmetric with "or", like scikit-learn's kneighbors_graph + maximum).
 *  A tie at the k-th distance goes to the neighbour of lower rank. */
int cw_knn_edges(struct cw_ctx *ctx, const struct cw_geod *g,
                 const struct cw_points *p, int k, struct cw_edges *out);
/** Every pair at distance <= @p dist metres. */
int cw_within_edges(struct cw_ctx *ctx, const struct cw_geod *g,
                    const struct cw_points *p, double dist,
                    struct cw_edges *out);
/** Edges of the spherical Delaunay triangulation (Qhull convex hull of the
 *  unit vectors); coincident points are joined by zero-length edges. */
int cw_delaunay_edges(struct cw_ctx *ctx, const struct cw_geod *g,
                      const struct cw_points *p, struct cw_edges *out);
/** Gabriel graph and relative-neighbourhood graph: Delaunay subgraphs. */
int cw_gabriel_edges(struct cw_ctx *ctx, const struct cw_geod *g,
                     const struct cw_points *p, struct cw_edges *out);
int cw_rng_edges(struct cw_ctx *ctx, const struct cw_geod *g,
                 const struct cw_points *p, struct cw_edges *out);
/** Minimum spanning forest (Kruskal) over Delaunay plus kNN candidates. */
int cw_mst_edges(struct cw_ctx *ctx, const struct cw_geod *g,
                 const struct cw_points *p, struct cw_edges *out);

/** For each of the @p p points, the index of the nearest of the @p hubs
 *  points (ties to the lower hub rank). @p out has p->n entries. */
int cw_nearest(struct cw_ctx *ctx, const struct cw_geod *g,
               const struct cw_points *p, const struct cw_points *hubs,
               uint32_t *out, double *dist);

#endif
