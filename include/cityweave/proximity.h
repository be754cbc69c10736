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
 *
 * Exactness: a KD-tree over unit vectors proposes candidates by chord,
 * which orders sphere distances exactly; on the ellipsoid the geodesic s
 * and the mean-radius great-circle t satisfy t/1.01 <= s <= 1.01 t (the
 * radii of curvature lie in [6335, 6400] km, so the true factor is within
 * 0.56%), and the chord bounds are widened by that factor. Every decision
 * is then taken on cw_geod distances, so kNN, within, nearest, Gabriel and
 * RNG equal their brute-force definitions (tested on 2,000 places on both
 * surfaces; sphere kNN and within equal scikit-learn's haversine BallTree).
 * The distance of a pair is cw_geod_inverse() with the endpoints ordered
 * by latitude then longitude, so d(a,b) == d(b,a) bit for bit.
 *
 * Calls that fill a struct cw_edges take one initialised by
 * cw_edges_init(); its previous edges are dropped, and the caller releases
 * it with cw_edges_release() whatever the call returns. They return CW_OK,
 * CW_ERR_ARG (bad option, too many points, or cancelled through the
 * context's progress callback), CW_ERR_DATA (a latitude outside [-90,90]
 * or a non-finite longitude), CW_ERR_NOMEM or CW_ERR_LIB (Qhull).
 *
 *   struct cw_points p = { n, lon, lat, NULL };
 *   struct cw_edges e;
 *   cw_edges_init(&e);
 *   if (cw_knn_edges(ctx, &g, &p, 8, &e) == CW_OK)
 *       for (size_t i = 0; i < e.n; i++) use(e.e[i].a, e.e[i].b, e.e[i].dist);
 *   cw_edges_release(&e);
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
    double azi;      /**< degrees at a toward b, where the search solved it
                          on the way (cw_within_edges asked to); else NAN */
};

struct cw_edges {
    size_t n, cap;
    struct cw_edge *e;  /**< owned */
};

void cw_edges_init(struct cw_edges *es);
void cw_edges_release(struct cw_edges *es);
/** Appends an edge without azimuth (NAN). @return CW_OK or CW_ERR_NOMEM. */
int cw_edges_push(struct cw_edges *es, uint32_t a, uint32_t b, double dist);
/** Appends an edge with its azimuth. @return CW_OK or CW_ERR_NOMEM. */
int cw_edges_push_azi(struct cw_edges *es, uint32_t a, uint32_t b, double dist, double azi);
/** Orders each edge a < b (a swapped edge loses its azimuth), sorts by
 *  (a, b) and drops duplicates. */
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
 *  Neighbours are ordered by (distance, rank, index): a tie at the k-th
 *  distance goes to the neighbour of lower rank, then lower index. Copies
 *  of a place are neighbours at distance 0. @p k >= 1; with fewer than
 *  k other points, all of them. Progress message "knn". */
int cw_knn_edges(struct cw_ctx *ctx, const struct cw_geod *g,
                 const struct cw_points *p, int k, struct cw_edges *out);
/** Every pair at distance <= @p dist metres (finite, >= 0), with the
 *  azimuth of each (cw_edge.azi) when @p azimuths is non-zero. Progress
 *  message "within". */
int cw_within_edges(struct cw_ctx *ctx, const struct cw_geod *g,
                    const struct cw_points *p, double dist, int azimuths,
                    struct cw_edges *out);
/** Edges of the spherical Delaunay triangulation (Qhull convex hull of the
 *  unit vectors), 3m - 6 of them for m distinct places in general position.
 *  Coincident places (equal unit vectors: lon 180 equals -180, and every
 *  longitude is the same at a pole) are merged first: the copy of lowest
 *  (rank, index) represents them and each other copy is joined to it by a
 *  zero-length edge. Places that all lie on one circle have no unique
 *  triangulation: the result is the cycle around the circle, the edges
 *  every triangulation shares. A place Qhull finds within rounding of a
 *  facet's plane is joined to the facet's three corners. */
int cw_delaunay_edges(struct cw_ctx *ctx, const struct cw_geod *g,
                      const struct cw_points *p, struct cw_edges *out);
/** Gabriel graph, on the representatives of the places (copies joined as
 *  in cw_delaunay_edges): a Delaunay edge ab is kept when no point c lies
 *  strictly inside the spherical cap whose diameter is the arc ab, i.e.
 *  (a - c).(b - c) < 0 for no c with the unit vectors. The criterion is
 *  spherical on both surfaces; the ellipsoid only changes the lengths. */
int cw_gabriel_edges(struct cw_ctx *ctx, const struct cw_geod *g,
                     const struct cw_points *p, struct cw_edges *out);
/** Relative-neighbourhood graph, on the representatives like Gabriel: ab
 *  is kept when no point c has max(d(a,c), d(b,c)) < d(a,b) in cw_geod
 *  distances (tested against all points). Candidates: the Delaunay edges,
 *  which hold every RNG edge on the sphere, and the 10 nearest neighbours,
 *  for the ellipsoid where the RNG need not be a Delaunay subgraph. */
int cw_rng_edges(struct cw_ctx *ctx, const struct cw_geod *g,
                 const struct cw_points *p, struct cw_edges *out);
/** Minimum spanning forest (Kruskal) over the Delaunay edges plus each
 *  point's 10 nearest neighbours, edges taken in (distance, lower rank,
 *  higher rank, a, b) order. Exact on the sphere (the Euclidean MST of the
 *  unit vectors is a Delaunay subgraph, and the chord orders like the arc);
 *  on the ellipsoid the kNN edges cover an MST edge outside the Delaunay
 *  triangulation (tested against brute force on 2,000 places). */
int cw_mst_edges(struct cw_ctx *ctx, const struct cw_geod *g,
                 const struct cw_points *p, struct cw_edges *out);

/** For each of the @p p points, the index of the nearest of the @p hubs
 *  points (ties to the lower hub rank, then index). @p out has p->n
 *  entries, @p dist (metres) p->n entries or is NULL. @return CW_ERR_ARG
 *  when there are points but no hubs. Progress message "nearest". */
int cw_nearest(struct cw_ctx *ctx, const struct cw_geod *g,
               const struct cw_points *p, const struct cw_points *hubs,
               uint32_t *out, double *dist);

#endif
