/* cluster.h: grouping points on the globe into regions: DBSCAN, HDBSCAN,
 * spherical k-means, agglomerative linkage and SKATER regionalisation.
 * SPDX-License-Identifier: MIT
 *
 * Every method fills a cw_clusters: one label per point (-1 = noise),
 * clusters numbered 0.. in the order of their lowest-ranked member, so
 * labels do not depend on input order.
 */
#ifndef CITYWEAVE_CLUSTER_H
#define CITYWEAVE_CLUSTER_H

#include <stddef.h>
#include <stdint.h>
#include "cityweave/ctx.h"
#include "cityweave/geodesic.h"
#include "cityweave/proximity.h"
#include "cityweave/hull.h"
#include "cityweave/layer.h"
#include "cityweave/writer.h"

enum cw_role { CW_ROLE_NOISE = 0, CW_ROLE_CORE = 1, CW_ROLE_BORDER = 2 };

struct cw_clusters {
    size_t n;              /**< points */
    int *label;            /**< owned: cluster of each point, -1 = noise */
    unsigned char *role;   /**< owned: enum cw_role (DBSCAN, HDBSCAN); others: CORE */
    size_t nclusters;
};

void cw_clusters_init(struct cw_clusters *c);
void cw_clusters_release(struct cw_clusters *c);
/** Allocates n labels (all -1) and roles (all NOISE). @return CW_OK or CW_ERR_NOMEM. */
int cw_clusters_alloc(struct cw_clusters *c, size_t n);
/** Renumbers labels 0.. by the lowest rank (p->rank, else index) in each
 *  cluster and sets nclusters; noise stays -1. */
void cw_clusters_canonical(struct cw_clusters *c, const struct cw_points *p);

/** DBSCAN (Ester et al. 1996) with @p eps metres of cw_geod distance and
 *  @p min_pts counting the point itself (as scikit-learn and PostGIS do);
 *  with @p weight (NULL: 1 each) a point is core when the weights in its
 *  eps-neighbourhood sum to at least min_pts (scikit-learn's sample_weight).
 *  A border point joins the cluster of its nearest core point, ties to the
 *  lower rank: order-independent. */
int cw_dbscan(struct cw_ctx *ctx, const struct cw_geod *g, const struct cw_points *p,
              double eps, double min_pts, const double *weight, struct cw_clusters *out);

/** HDBSCAN (Campello, Moulavi and Sander 2013) on cw_geod distances:
 *  core distance to the min_samples-th nearest point (itself included),
 *  mutual reachability, minimum spanning tree, condensed tree with
 *  @p min_cluster_size, clusters chosen by excess of mass; noise -1. */
int cw_hdbscan(struct cw_ctx *ctx, const struct cw_geod *g, const struct cw_points *p,
               int min_cluster_size, int min_samples, struct cw_clusters *out);

/** k-means on the sphere: points as 3-D unit vectors, Lloyd iterations
 *  with centroids renormalised to the sphere (spherical k-means), k-means++
 *  seeding from @p seed, the best of @p n_init runs; @p weight may be NULL.
 *  @param[out] inertia sum of weighted squared chord distances to centres
 *  (may be NULL). Deterministic for a given seed. */
int cw_kmeans(struct cw_ctx *ctx, const struct cw_points *p, int k, uint64_t seed,
              int n_init, const double *weight, struct cw_clusters *out, double *inertia);

enum cw_linkage { CW_LINK_SINGLE, CW_LINK_COMPLETE, CW_LINK_AVERAGE };

/** Agglomerative clustering on cw_geod distances, cut where the merge
 *  height would exceed @p cut metres (cut >= 0), or at @p k clusters
 *  (cut < 0), as SciPy's fcluster criterion 'distance' / 'maxclust'. */
int cw_linkage_cluster(struct cw_ctx *ctx, const struct cw_geod *g,
                       const struct cw_points *p, enum cw_linkage how, double cut,
                       int k, struct cw_clusters *out);

/** SKATER (Assunção et al. 2006): regions as subtrees of the minimum
 *  spanning tree of @p graph (the neighbour graph, e.g. kNN or Delaunay)
 *  weighted by attribute dissimilarity; k - 1 edges are cut, each time the
 *  one that most reduces the total within-region sum of squared deviations
 *  of the attributes, keeping every region's @p pop at least @p min_pop.
 *  @p attrs is n rows of @p nattrs values (standardised by the caller);
 *  @p pop may be NULL (no constraint). */
int cw_skater(struct cw_ctx *ctx, const struct cw_points *p, const struct cw_edges *graph,
              const double *attrs, int nattrs, int k, const double *pop, double min_pop,
              struct cw_clusters *out);

/* ---- the cluster job: points in, labelled points and hulls out ---- */

enum cw_cluster_method {
    CW_CL_DBSCAN, CW_CL_HDBSCAN, CW_CL_KMEANS, CW_CL_LINKAGE, CW_CL_SKATER
};

struct cw_cluster_opts {
    const char *input;              /**< path of the points */
    struct cw_read_opts read;
    const char *id_field, *name_field;
    enum cw_cluster_method method;
    double eps, min_pts;            /**< DBSCAN: metres, count (or weight) */
    int min_cluster_size, min_samples;  /**< HDBSCAN (min_samples 0: = size) */
    int k, n_init;                  /**< k-means, linkage (cut < 0), SKATER */
    uint64_t seed;                  /**< k-means */
    enum cw_linkage linkage;
    double cut;                     /**< linkage: metres; < 0: cut at k */
    const char *attrs;              /**< SKATER: comma-separated numeric fields */
    int graph_knn;                  /**< SKATER: kNN graph of this k; 0: Delaunay */
    double min_pop;                 /**< SKATER: least population of a region */
    const char *by_field;           /**< cluster each value's points apart */
    const char *weight_field;       /**< point weights (DBSCAN, k-means) */
    const char *pop_field;          /**< population (NULL: "population" if present) */
    const char *theme_field;        /**< hulls: its dominant value (NULL: by_field) */
    int sphere;
    const char *output;             /**< labelled points */
    const char *hulls_output;       /**< one polygon per cluster, or NULL */
    struct cw_hull_opts hull;
    struct cw_write_opts write;
};

struct cw_cluster_stats {
    size_t points, clusters, noise;
};

/** Reads, clusters (each --by group apart), writes the points with
 *  `cluster` and `role`, and the hulls with their summaries.
 *  @return CW_OK or an error; no output is left behind on error. */
int cw_cluster_run(struct cw_ctx *ctx, const struct cw_cluster_opts *o,
                   struct cw_cluster_stats *stats);

#endif
