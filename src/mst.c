/* mst.c: minimum spanning forest of points on the globe (Kruskal over the
 * Delaunay and 10-nearest-neighbour edges).
 * SPDX-License-Identifier: MIT
 *
 * Why these candidates are enough: on the sphere the chord is monotonic in
 * the great-circle distance, and the Euclidean MST of points is a subgraph
 * of their Delaunay triangulation, which on the sphere is the convex hull
 * of the unit vectors: so the Delaunay edges alone give the exact tree. On
 * the ellipsoid lengths may order pairs differently from the sphere by up
 * to about 1% (CW_KD_ELLIPSOID_SLACK), so an MST edge could fall outside
 * the spherical triangulation; it would then be within 1% of the Delaunay
 * edges it displaces, hence short for its neighbourhood and among the 10
 * nearest neighbours of its ends in all but contrived layouts, and those
 * are added. The tests compare both surfaces with a brute-force Kruskal
 * over all pairs of 2,000 places.
 */
#include <stdlib.h>

#include "kdtree.h"

#define MST_KNN 10

/* Candidate edge with its sort key: (dist, lower rank, higher rank), then
 * the indices, so the tree does not depend on the input order when ranks
 * are given. */
struct wedge {
    double dist;
    uint32_t rlo, rhi, a, b;
};

static int wedge_cmp(const void *pa, const void *pb)
{
    const struct wedge *x = pa, *y = pb;
    if (x->dist != y->dist)
        return x->dist < y->dist ? -1 : 1;
    if (x->rlo != y->rlo)
        return x->rlo < y->rlo ? -1 : 1;
    if (x->rhi != y->rhi)
        return x->rhi < y->rhi ? -1 : 1;
    if (x->a != y->a)
        return x->a < y->a ? -1 : 1;
    return (x->b > y->b) - (x->b < y->b);
}

static uint32_t find_root(uint32_t *parent, uint32_t i)
{
    while (parent[i] != i) {
        parent[i] = parent[parent[i]];   /* path halving */
        i = parent[i];
    }
    return i;
}

/* Kruskal: edges in key order, each kept if it joins two components. */
static int kruskal(const struct cw_points *p, struct wedge *w, size_t nw,
                   struct cw_edges *out)
{
    uint32_t *parent = malloc((p->n ? p->n : 1) * sizeof *parent);
    uint32_t *size = malloc((p->n ? p->n : 1) * sizeof *size);
    int rc = parent && size ? CW_OK : CW_ERR_NOMEM;
    for (size_t i = 0; rc == CW_OK && i < p->n; i++) {
        parent[i] = (uint32_t)i;
        size[i] = 1;
    }
    qsort(w, nw, sizeof *w, wedge_cmp);
    for (size_t i = 0; rc == CW_OK && i < nw && out->n + 1 < p->n; i++) {
        uint32_t ra = find_root(parent, w[i].a), rb = find_root(parent, w[i].b);
        if (ra == rb)
            continue;
        if (size[ra] < size[rb]) {
            uint32_t tmp = ra;
            ra = rb;
            rb = tmp;
        }
        parent[rb] = ra;
        size[ra] += size[rb];
        rc = cw_edges_push(out, w[i].a, w[i].b, w[i].dist);
    }
    free(parent);
    free(size);
    return rc;
}

static struct wedge *weigh(const struct cw_points *p, const struct cw_edges *es)
{
    struct wedge *w = malloc((es->n ? es->n : 1) * sizeof *w);
    for (size_t i = 0; w && i < es->n; i++) {
        uint32_t ra = cw_kd_rank(p, es->e[i].a), rb = cw_kd_rank(p, es->e[i].b);
        w[i] = (struct wedge){ es->e[i].dist, ra < rb ? ra : rb, ra < rb ? rb : ra,
                               es->e[i].a, es->e[i].b };
    }
    return w;
}

/* Delaunay edges followed by the kNN edges, deduplicated. */
static int candidates(struct cw_ctx *ctx, const struct cw_geod *g,
                      const struct cw_points *p, struct cw_edges *cand)
{
    struct cw_edges knn;
    cw_edges_init(&knn);
    int rc = cw_delaunay_edges(ctx, g, p, cand);
    if (rc == CW_OK)
        rc = cw_knn_edges(ctx, g, p, MST_KNN, &knn);
    for (size_t i = 0; rc == CW_OK && i < knn.n; i++)
        if ((rc = cw_edges_push(cand, knn.e[i].a, knn.e[i].b, knn.e[i].dist)) != CW_OK)
            rc = cw_ctx_error(ctx, rc, "out of memory for %zu edges", knn.n);
    cw_edges_release(&knn);
    if (rc == CW_OK)
        cw_edges_normalise(cand);
    return rc;
}

int cw_mst_edges(struct cw_ctx *ctx, const struct cw_geod *g,
                 const struct cw_points *p, struct cw_edges *out)
{
    struct cw_edges cand;
    struct wedge *w = NULL;
    cw_edges_init(&cand);
    out->n = 0;
    int rc = cw_kd_check_points(ctx, p);
    if (rc == CW_OK && p->n >= 2)
        rc = candidates(ctx, g, p, &cand);
    if (rc == CW_OK && p->n >= 2) {
        if (!(w = weigh(p, &cand)) || (rc = kruskal(p, w, cand.n, out)) != CW_OK)
            rc = cw_ctx_error(ctx, CW_ERR_NOMEM, "out of memory for %zu edges", cand.n);
        else
            cw_edges_normalise(out);
    }
    free(w);
    cw_edges_release(&cand);
    return rc;
}
