/* linkage.c: agglomerative clustering (single, complete and average
 * linkage) on cw_geod distances, cut like SciPy's fcluster.
 * SPDX-License-Identifier: MIT
 *
 * Single linkage merges along the minimum spanning tree (its merge heights
 * are the tree's edge lengths: Gower and Ross 1969), so it takes the
 * proximity MST (cw_mst_edges) and has no size limit. Complete and average
 * linkage need every pairwise distance: they keep the condensed matrix,
 * 8 n (n - 1) / 2 bytes (1.6 GB for 20,000 points), and refuse more than
 * CW_LINKAGE_MAX_POINTS points. They run the nearest-neighbour chain
 * (Murtagh 1983; Müllner 2011, as SciPy's linkage does) with Lance-Williams
 * updates, in O(n^2) time.
 *
 * Ties, as in SciPy's nn_chain: a chain starts at the lowest-numbered
 * active cluster; a cluster's nearest neighbour is the previous chain
 * element when that is among the nearest, else the lowest-numbered
 * nearest; the merged cluster takes the higher number of its two parts.
 *
 * Cuts: a node's height is the largest merge height in its subtree (equal
 * to its own for these monotone linkages, but it also absorbs rounding),
 * as fcluster's "distance" and "maxclust" criteria use. With cut >= 0,
 * every merge of height <= cut is kept. With k clusters, the threshold is
 * the smallest merge height that leaves at most k clusters; merges tied at
 * that height are all kept, so ties can leave fewer than k. One known
 * difference: SciPy's search never tries the lowest merge height, so its
 * fcluster gives at most n - 2 clusters; here k = n - 1 and k = n give
 * n - 1 and n (every point alone).
 */
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "cityweave/cluster.h"
#include "kdtree.h"
#include "parallel.h"
#include "unionfind.h"

/* Most points complete and average linkage take: 3.6 GB of distances. */
#define CW_LINKAGE_MAX_POINTS 30000

struct merge {
    double h;         /* height, metres */
    uint32_t a, b;    /* a point of each part */
};

struct matrix {
    struct cw_ctx *ctx;
    const struct cw_geod *g;
    const struct cw_points *p;
    size_t n;
    double *d;        /* condensed: pair i < j at cidx(n, i, j) */
};

static size_t cidx(size_t n, size_t i, size_t j)
{
    return n * i - i * (i + 1) / 2 + (j - i - 1);
}

static double dist_of(const struct matrix *m, size_t i, size_t j)
{
    return i < j ? m->d[cidx(m->n, i, j)] : m->d[cidx(m->n, j, i)];
}

/* Fills condensed entries [lo, hi): chunks split the pairs, not the rows,
 * so the workers get equal shares. The first worker reports progress: on
 * the ellipsoid this is most of the time (20,000 points: 2e8 geodesics). */
static int fill_chunk(size_t lo, size_t hi, int w, void *arg)
{
    struct matrix *m = arg;
    size_t i = 0, j, step = (hi - lo) / 100 + 1;
    int rc = CW_OK;
    while (cidx(m->n, i, m->n - 1) < lo)
        i++;
    j = lo - cidx(m->n, i, i + 1) + i + 1;
    for (size_t t = lo; rc == CW_OK && t < hi; t++) {
        if (w == 0 && (t - lo) % step == 0)
            rc = cw_ctx_progress(m->ctx, (double)(t - lo) / (double)(hi - lo), "distances");
        m->d[t] = cw_kd_dist(m->g, m->p->lon[i], m->p->lat[i], m->p->lon[j], m->p->lat[j]);
        if (++j == m->n) {
            i++;
            j = i + 1;
        }
    }
    return rc;
}

static double lance_williams(enum cw_linkage how, double dx, double dy, uint32_t nx,
                             uint32_t ny)
{
    if (how == CW_LINK_COMPLETE)
        return dx > dy ? dx : dy;
    return (nx * dx + ny * dy) / ((double)nx + ny);
}

/* The nearest active cluster to @p x (see the tie rule above). */
static uint32_t nearest(const struct matrix *m, const uint32_t *active, size_t nactive,
                        uint32_t x, const uint32_t *prev, double *dmin)
{
    uint32_t y = prev ? *prev : x;
    double best = prev ? dist_of(m, x, *prev) : INFINITY;
    for (size_t t = 0; t < nactive; t++) {
        uint32_t i = active[t];
        double d;
        if (i != x && (d = dist_of(m, x, i)) < best) {
            best = d;
            y = i;
        }
    }
    *dmin = best;
    return y;
}

/* Merges x into y (x < y): y's distances by Lance-Williams, x leaves the
 * active list (kept in increasing order for the tie rule). */
static size_t merge_into(struct matrix *m, enum cw_linkage how, uint32_t *size,
                         uint32_t *active, size_t nactive, uint32_t x, uint32_t y)
{
    size_t out = 0;
    for (size_t t = 0; t < nactive; t++) {
        uint32_t i = active[t];
        if (i == x)
            continue;
        active[out++] = i;
        if (i != y)
            m->d[i < y ? cidx(m->n, i, y) : cidx(m->n, y, i)] =
                lance_williams(how, dist_of(m, x, i), dist_of(m, y, i), size[x], size[y]);
    }
    size[y] += size[x];
    size[x] = 0;
    return out;
}

struct chain {
    uint32_t *size, *active, *stack;
    size_t nactive, len;
    double *top;      /* largest merge height within each cluster */
};

/* Grows the chain by nearest neighbours until its top two are each
 * other's nearest, and pops them into *x < *y. @return their distance. */
static double reciprocal_pair(const struct matrix *m, struct chain *c, uint32_t *x,
                              uint32_t *y)
{
    double d;
    if (c->len == 0)
        c->stack[c->len++] = c->active[0];
    for (;;) {
        *x = c->stack[c->len - 1];
        *y = nearest(m, c->active, c->nactive, *x, c->len > 1 ? &c->stack[c->len - 2] : NULL,
                     &d);
        if (c->len > 1 && *y == c->stack[c->len - 2])
            break;
        c->stack[c->len++] = *y;
    }
    c->len -= 2;
    if (*x > *y) {
        uint32_t t = *x;
        *x = *y;
        *y = t;
    }
    return d;
}

/* Nearest-neighbour chain over the filled matrix (n >= 2): n - 1 merges.
 * @return CW_OK, or CW_ERR_ARG when cancelled through the progress
 * callback. */
static int nn_chain(struct matrix *m, enum cw_linkage how, struct chain *c,
                    struct merge *mg)
{
    size_t n = m->n, step = n / 100 + 1;
    int rc = CW_OK;
    for (size_t i = 0; i < n; i++) {
        c->size[i] = 1;
        c->active[i] = (uint32_t)i;
        c->top[i] = 0;
    }
    c->nactive = n;
    c->len = 0;
    for (size_t k = 0; k + 1 < n; k++) {
        uint32_t x, y;
        if (k % step == 0 &&
            (rc = cw_ctx_progress(m->ctx, (double)k / (double)(n - 1), "linkage")) != CW_OK)
            break;
        double d = reciprocal_pair(m, c, &x, &y);
        d = c->top[y] = fmax(d, fmax(c->top[x], c->top[y]));
        mg[k] = (struct merge){ d, x, y };
        c->nactive = merge_into(m, how, c->size, c->active, c->nactive, x, y);
    }
    return rc;
}

/* Complete or average linkage of n >= 2 points: n - 1 merges. */
static int matrix_merges(struct cw_ctx *ctx, const struct cw_geod *g,
                         const struct cw_points *p, enum cw_linkage how, struct merge *mg)
{
    struct matrix m = { ctx, g, p, p->n, NULL };
    struct chain c = { NULL, NULL, NULL, 0, 0, NULL };
    size_t n = p->n;
    int rc = CW_OK;
    if (p->n > CW_LINKAGE_MAX_POINTS)
        return cw_ctx_error(ctx, CW_ERR_ARG,
                            "%s linkage keeps every pairwise distance: at most %d points, "
                            "got %zu (single linkage has no limit)",
                            how == CW_LINK_COMPLETE ? "complete" : "average",
                            CW_LINKAGE_MAX_POINTS, p->n);
    m.d = malloc(n * (n - 1) / 2 * sizeof *m.d);
    c.size = malloc(n * sizeof *c.size);
    c.active = malloc(n * sizeof *c.active);
    c.stack = malloc(n * sizeof *c.stack);
    c.top = malloc(n * sizeof *c.top);
    if (!m.d || !c.size || !c.active || !c.stack || !c.top) {
        rc = cw_ctx_error(ctx, CW_ERR_NOMEM, "out of memory for the %.2f GB distance matrix",
                          n * (n - 1) / 2 * 8e-9);
        goto out;
    }
    if ((rc = cw_parallel_for(ctx, n * (n - 1) / 2, fill_chunk, &m)) == CW_OK)
        rc = nn_chain(&m, how, &c, mg);
out:
    free(m.d);
    free(c.size);
    free(c.active);
    free(c.stack);
    free(c.top);
    return rc;
}

/* The MST edges as merges (n - 1 of them: the candidates connect all
 * points); @p nm gets their number. */
static int single_merges(struct cw_ctx *ctx, const struct cw_geod *g,
                         const struct cw_points *p, struct merge *mg, size_t *nm)
{
    struct cw_edges es;
    cw_edges_init(&es);
    int rc = cw_mst_edges(ctx, g, p, &es);
    for (size_t i = 0; rc == CW_OK && i < es.n; i++)
        mg[i] = (struct merge){ es.e[i].dist, es.e[i].a, es.e[i].b };
    *nm = rc == CW_OK ? es.n : 0;
    cw_edges_release(&es);
    return rc;
}

static int by_height(const void *pa, const void *pb)
{
    const struct merge *x = pa, *y = pb;
    return (x->h > y->h) - (x->h < y->h);
}


/* Labels = the parts joined by the merges of height <= the threshold. The
 * tree's top merge heights (subtree maxima) make that set downward closed,
 * so it is the flat cut. The label of a point is its root's index, made
 * canonical by the caller. */
static int cut_tree(struct merge *mg, size_t nm, double cut, int k, struct cw_clusters *out)
{
    size_t n = out->n;
    uint32_t *parent = malloc((n ? n : 1) * sizeof *parent);
    if (!parent)
        return CW_ERR_NOMEM;
    qsort(mg, nm, sizeof *mg, by_height);
    if (cut < 0)   /* k clusters: the (n - k)-th lowest height, if there are merges */
        cut = (size_t)k >= n ? -1 : n - (size_t)k <= nm ? mg[n - (size_t)k - 1].h : INFINITY;
    for (size_t i = 0; i < n; i++)
        parent[i] = (uint32_t)i;
    for (size_t i = 0; i < nm && mg[i].h <= cut; i++)
        parent[cw_uf_find(parent, mg[i].a)] = cw_uf_find(parent, mg[i].b);
    for (size_t i = 0; i < n; i++)
        out->label[i] = (int)cw_uf_find(parent, (uint32_t)i);
    free(parent);
    return CW_OK;
}

int cw_linkage_cluster(struct cw_ctx *ctx, const struct cw_geod *g,
                       const struct cw_points *p, enum cw_linkage how, double cut,
                       int k, struct cw_clusters *out)
{
    struct merge *mg = NULL;
    size_t nm = p->n ? p->n - 1 : 0;
    int rc = cw_kd_check_points(ctx, p);
    if (rc != CW_OK)
        return rc;
    if (isnan(cut) || (cut < 0 && (k < 1 || (size_t)k > p->n)))
        return cw_ctx_error(ctx, CW_ERR_ARG,
                            "linkage: give a cut >= 0 metres, or k between 1 and the "
                            "number of points (%zu), got cut %g and k %d", p->n, cut, k);
    if (how != CW_LINK_SINGLE && how != CW_LINK_COMPLETE && how != CW_LINK_AVERAGE)
        return cw_ctx_error(ctx, CW_ERR_ARG, "linkage: unknown method %d", (int)how);
    if (!(mg = malloc((nm ? nm : 1) * sizeof *mg)) || cw_clusters_alloc(out, p->n) != CW_OK) {
        rc = cw_ctx_error(ctx, CW_ERR_NOMEM, "linkage: out of memory for %zu points", p->n);
        goto out;
    }
    if (p->n >= 2)
        rc = how == CW_LINK_SINGLE ? single_merges(ctx, g, p, mg, &nm)
                                   : matrix_merges(ctx, g, p, how, mg);
    if (rc == CW_OK && (rc = cut_tree(mg, nm, cut, k, out)) != CW_OK)
        rc = cw_ctx_error(ctx, rc, "linkage: out of memory for %zu points", p->n);
    if (rc == CW_OK) {
        memset(out->role, CW_ROLE_CORE, p->n);
        cw_clusters_canonical(out, p);
    }
out:
    free(mg);
    return rc;
}
