/* hdbscan.c: HDBSCAN (Campello, Moulavi and Sander 2013) on cw_geod
 * distances, computed the way R's dbscan::hdbscan (package dbscan 1.1)
 * does, so that its labels can serve as the oracle.
 * SPDX-License-Identifier: MIT
 *
 * Steps, all in the order of the points' ranks (then indices), so that the
 * result does not depend on the input order:
 *  1. core distance: to the min_samples-th nearest point, itself included
 *     (R: minPts, through kNN(k = minPts - 1));
 *  2. Prim's algorithm on the mutual reachability distance
 *     max(core a, core b, d(a, b)), dense, O(n^2) time and O(n) memory,
 *     starting at the lowest rank and preferring the lowest rank among
 *     equal candidates. Like R we keep the tree as the chain of points in
 *     visiting order, the k-th link weighted by the distance at which the
 *     (k+1)-th point was reached: at every height its components are
 *     those of the true minimum spanning tree, since Prim finishes a
 *     component before it leaves it;
 *  3. single-linkage merges: the links by weight, ties in chain order;
 *  4. the condensed tree, top-down: a merge whose two sides both hold
 *     min_cluster_size points splits its cluster into two new ones;
 *     otherwise both sides stay in the cluster, whose points leave it one
 *     by one at the height where each becomes a singleton (at the
 *     cluster's death if that came first). Stability of a cluster:
 *     sum over its points of 1/eps_p - 1/eps_birth, plus
 *     n_children * (1/eps_death - 1/eps_birth);
 *  5. excess of mass: bottom-up, a cluster is kept instead of its
 *     descendants unless their best total is strictly larger; the root
 *     never counts as a cluster;
 *  6. a point takes the label of the kept cluster it left or whose
 *     descendant it left; otherwise it is noise.
 *
 * Exactness as in proximity.c: chords propose, cw_geod distances decide.
 * In step 2 the chord bounds skip the geodesic for most pairs: those
 * certainly beyond a point's current best, those certainly within both
 * core distances (where the distance no longer matters), and every offer
 * to a point that cannot be next yet (see struct pnode). On the 20,000
 * most populous GeoNames places step 2 takes about 2 s on either surface;
 * R's hdbscan takes about a minute and 4 GB for its distance matrices.
 */
#include <math.h>
#include <stdlib.h>

#include "cityweave/cluster.h"
#include "kdtree.h"

/* A point in Prim's scan, by rank position. Its best mutual reachability
 * to the tree, w, is known exactly once the point may be next; until then
 * only bounds L <= w <= U are kept, from chords, which spares the
 * geodesics of the many offers made to far points (each is within 1% of
 * the last on the ellipsoid, so exact values would each cost one). */
struct pnode {
    double v[3];         /* unit vector */
    double lon, lat;
    double core;         /* core distance, metres */
    double core_lo2;     /* squared chord under which d < core */
    double lo, hi;       /* bounds of w (equal once exact) */
    double reach2;       /* squared chord beyond which no offer lowers them */
    int exact;
};

/* One single-linkage merge: two children (point ids < n, merge n + j). */
struct merge {
    uint32_t child[2];
    uint32_t size;
    double h;
};

struct hdb {
    struct cw_ctx *ctx;
    const struct cw_geod *g;
    const struct cw_points *p;
    size_t n, mcs, ms;
    uint32_t *perm;       /* rank position -> point index */
    struct pnode *node;
    uint32_t *chain;      /* Prim's visiting order (rank positions) */
    double *link;         /* link k: weight joining chain[k + 1] */
    struct merge *merge;  /* n - 1 merges in height order */
    /* condensed tree: cluster 0 is the root; children after parents */
    size_t ncl;
    uint32_t *tracker;    /* cluster of each merge, top-down */
    uint32_t *cl_parent;
    double *birth, *death, *stab, *score;
    uint32_t *nchildren;
    unsigned char *split, *kept;
    uint32_t *home;       /* cluster each point left */
};

static int report(struct cw_ctx *ctx, size_t i, size_t n)
{
    size_t step = n / 100 ? n / 100 : 1;
    return i % step ? CW_OK : cw_ctx_progress(ctx, (double)i / (double)n, "hdbscan");
}

static int rank_cmp(const void *pa, const void *pb)
{
    const uint64_t *a = pa, *b = pb;
    return (*a > *b) - (*a < *b);
}

/* perm: points by (rank, index). */
static int rank_order(struct hdb *h)
{
    uint64_t *key = malloc(h->n * sizeof *key);
    if (!key)
        return CW_ERR_NOMEM;
    for (size_t i = 0; i < h->n; i++)
        key[i] = (uint64_t)cw_kd_rank(h->p, (uint32_t)i) << 32 | i;
    qsort(key, h->n, sizeof *key, rank_cmp);
    for (size_t q = 0; q < h->n; q++)
        h->perm[q] = (uint32_t)key[q];
    free(key);
    return CW_OK;
}

static int dist_cmp(const void *pa, const void *pb)
{
    const double *a = pa, *b = pb;
    return (*a > *b) - (*a < *b);
}

/* Core distance of every point from the symmetric kNN graph with
 * min_samples - 1 neighbours: a point's k-th shortest incident edge is its
 * k-th nearest neighbour, since an edge only another point chose is at
 * least that long. With fewer points, the farthest one. */
static int core_from_edges(struct hdb *h, const struct cw_edges *e, double *core)
{
    size_t *start = calloc(h->n + 1, sizeof *start);
    double *d = malloc((2 * e->n + 1) * sizeof *d);
    int rc = start && d ? CW_OK : CW_ERR_NOMEM;
    for (size_t i = 0; rc == CW_OK && i < e->n; i++) {
        start[e->e[i].a + 1]++;
        start[e->e[i].b + 1]++;
    }
    for (size_t i = 0; rc == CW_OK && i < h->n; i++)
        start[i + 1] += start[i];
    for (size_t i = 0; rc == CW_OK && i < e->n; i++) {
        d[start[e->e[i].a]++] = e->e[i].dist;
        d[start[e->e[i].b]++] = e->e[i].dist;
    }
    for (size_t i = 0, lo = 0; rc == CW_OK && i < h->n; lo = start[i++]) {
        size_t deg = start[i] - lo, k = h->ms - 1 < deg ? h->ms - 1 : deg;
        qsort(d + lo, deg, sizeof *d, dist_cmp);
        core[i] = k ? d[lo + k - 1] : 0;
    }
    free(start);
    free(d);
    return rc;
}

static int core_distances(struct hdb *h, double *core)
{
    struct cw_edges e;
    int rc = CW_OK;
    cw_edges_init(&e);
    if (h->ms > 1 && h->n > 1)
        rc = cw_knn_edges(h->ctx, h->g, h->p, (int)(h->ms - 1), &e);
    if (rc == CW_OK)
        rc = core_from_edges(h, &e, core);
    cw_edges_release(&e);
    return rc;
}

static double sq(double x)
{
    return x * x;
}

/* fmin/fmax without their NaN rules, which cost a call each. */
static double min2(double a, double b)
{
    return a < b ? a : b;
}

static double max2(double a, double b)
{
    return a > b ? a : b;
}

static int nodes_init(struct hdb *h)
{
    double *core = malloc(h->n * sizeof *core);
    int rc = core ? core_distances(h, core) : CW_ERR_NOMEM;
    for (size_t q = 0; rc == CW_OK && q < h->n; q++) {
        uint32_t i = h->perm[q];
        double lo = cw_kd_chord_lo(h->g, core[i]);
        struct pnode *nd = &h->node[q];
        *nd = (struct pnode){ .lon = h->p->lon[i], .lat = h->p->lat[i], .core = core[i],
                              .core_lo2 = lo > 0 ? lo * lo : 0, .lo = INFINITY,
                              .hi = INFINITY, .reach2 = INFINITY };
        cw_kd_unit(nd->lon, nd->lat, nd->v);
    }
    free(core);
    return rc;
}

static double chord2(const struct pnode *a, const struct pnode *b)
{
    return sq(a->v[0] - b->v[0]) + sq(a->v[1] - b->v[1]) + sq(a->v[2] - b->v[2]);
}

/* Bounds of the cw_geod distance of a pair with squared chord @p c2, the
 * inverse of cw_kd_chord_lo/hi (same factor and rounding margins). */
static void dist_bounds(const struct cw_geod *g, double c2, double *lo, double *hi)
{
    double f = g->sphere ? 1.0 : CW_KD_ELLIPSOID_SLACK;
    double t = 2 * CW_EARTH_RADIUS_M * asin(min2(sqrt(c2) / 2, 1.0));
    *lo = max2(t / f * (1 - 1e-9) - 1e-6, 0);
    *hi = t * f * (1 + 1e-9) + 1e-6;
}

/* Sets b->reach2. Exact: chords beyond reach are at distances beyond w.
 * Bounds only: beyond reach, dist_bounds() would raise neither bound (the
 * lower one needs t < (lo + 1e-6) f / (1 - 1e-9), the upper one
 * t < (hi - 1e-6) / (f (1 + 1e-9))), with a 1e-8 margin against the
 * rounding of this test; so far offers cost no asin. */
static void set_reach(const struct cw_geod *g, struct pnode *b)
{
    double f = g->sphere ? 1.0 : CW_KD_ELLIPSOID_SLACK, r;
    if (b->exact)
        r = cw_kd_chord_hi(g, b->hi);
    else
        r = max2(cw_kd_chord_hi(g, (b->lo + 1e-6) * (1 + 1e-8)),
                 cw_kd_chord_hi(g, b->hi / (f * f) * (1 + 1e-8)));
    b->reach2 = r * r;
}

/* Offers @p b the link from tree node @p a, whose mutual reachability is
 * max(m, d) with m the larger core distance. Offers that cannot lower b's
 * bounds are dropped on chords alone; d is computed only when b is exact
 * and the chord cannot tell. */
static void offer(const struct cw_geod *g, const struct pnode *a, struct pnode *b)
{
    double m = max2(a->core, b->core), c2, lo, hi;
    if (m >= b->hi || (c2 = chord2(a, b)) > b->reach2)
        return;
    if (c2 < max2(a->core_lo2, b->core_lo2)) {
        lo = hi = m;
    } else if (b->exact) {
        lo = hi = max2(m, cw_kd_dist(g, a->lon, a->lat, b->lon, b->lat));
    } else {
        dist_bounds(g, c2, &lo, &hi);
        lo = max2(m, lo);
        hi = max2(m, hi);
    }
    if (lo < b->lo || hi < b->hi) {
        b->lo = min2(b->lo, lo);
        b->hi = min2(b->hi, hi);
        set_reach(g, b);
    }
}

/* Makes w of @p b exact: the least mutual reachability to the @p ntree
 * tree nodes. Some node reaches below b->hi unless hi is exact already. */
static void resolve(const struct hdb *h, struct pnode *b, size_t ntree)
{
    b->exact = 1;
    b->lo = b->hi;
    set_reach(h->g, b);
    for (size_t k = 0; k < ntree; k++)
        offer(h->g, &h->node[h->chain[k]], b);
}

/* The next tree node: the least w, ties to the lowest rank position (what
 * R's ascending scan with a strict comparison picks). Every point whose
 * bounds reach down to the least upper bound is made exact first. */
static size_t pick(const struct hdb *h, const uint32_t *rest, size_t nrest, double least,
                   size_t ntree)
{
    size_t best = nrest;
    for (size_t r = 0; r < nrest; r++) {
        struct pnode *b = &h->node[rest[r]];
        if (b->lo > least)
            continue;
        if (!b->exact)
            resolve(h, b, ntree);
        if (best == nrest || b->hi < h->node[rest[best]].hi ||
            (b->hi == h->node[rest[best]].hi && rest[r] < rest[best]))
            best = r;
    }
    return best;
}

/* Prim from rank position 0. @p rest holds the positions not yet in the
 * tree, in any order. */
static int prim_chain(struct hdb *h)
{
    uint32_t *rest = malloc(h->n * sizeof *rest);
    size_t nrest = h->n - 1;
    int rc = rest ? CW_OK : CW_ERR_NOMEM;
    for (size_t q = 1; rc == CW_OK && q < h->n; q++)
        rest[q - 1] = (uint32_t)q;
    h->chain[0] = 0;
    for (size_t k = 0; rc == CW_OK && k + 1 < h->n; k++) {
        const struct pnode *a = &h->node[h->chain[k]];
        double least = INFINITY;
        for (size_t r = 0; r < nrest; r++) {
            offer(h->g, a, &h->node[rest[r]]);
            least = min2(least, h->node[rest[r]].hi);
        }
        size_t best = pick(h, rest, nrest, least, k + 1);
        h->chain[k + 1] = rest[best];
        h->link[k] = h->node[rest[best]].hi;
        rest[best] = rest[--nrest];
        rc = report(h->ctx, k, h->n);
    }
    free(rest);
    return rc;
}

/* A link of the chain, sorted by (weight, chain position). */
struct link {
    double w;
    uint32_t k;
};

static int link_cmp(const void *pa, const void *pb)
{
    const struct link *a = pa, *b = pb;
    if (a->w != b->w)
        return a->w < b->w ? -1 : 1;
    return (a->k > b->k) - (a->k < b->k);
}

/* Merges of the chain's links by (weight, chain position), as R's stable
 * order() does. Components are runs of the chain, each known by its two
 * ends: the merge of link k joins the run ending at k with the run
 * starting at k + 1. As in R's hclust encoding, child 0 is the run of the
 * later point, child 1 the earlier one. */
static int build_merges(struct hdb *h)
{
    size_t nl = h->n - 1;
    struct link *l = malloc(nl * sizeof *l);
    uint32_t *run = malloc(3 * h->n * sizeof *run);
    if (!l || !run) {
        free(l);
        free(run);
        return CW_ERR_NOMEM;
    }
    uint32_t *run_end = run, *run_start = run + h->n, *run_node = run + 2 * h->n;
    for (size_t k = 0; k < nl; k++)
        l[k] = (struct link){ h->link[k], (uint32_t)k };
    qsort(l, nl, sizeof *l, link_cmp);
    for (size_t s = 0; s < h->n; s++) {
        run_end[s] = run_start[s] = (uint32_t)s;
        run_node[s] = h->chain[s];
    }
    for (size_t j = 0; j < nl; j++) {
        uint32_t k = l[j].k, s1 = run_start[k], e2 = run_end[k + 1];
        h->merge[j] = (struct merge){ { run_node[k + 1], run_node[s1] }, e2 - s1 + 1, l[j].w };
        run_node[s1] = (uint32_t)(h->n + j);
        run_end[s1] = e2;
        run_start[e2] = s1;
    }
    free(l);
    free(run);
    return CW_OK;
}

/* x / eps - x / birth, as R computes stabilities, but 0 when the two are
 * equal so that coincident points (eps 0) give no NaN. */
static double gap(double x, double eps, double birth)
{
    return eps == birth ? 0 : x / eps - x / birth;
}

static uint32_t size_of(const struct hdb *h, uint32_t node)
{
    return node < h->n ? 1 : h->merge[node - h->n].size;
}

/* Point @p q leaves cluster @p c at height @p eps, or at the cluster's
 * death if it has already split. */
static void leave(struct hdb *h, uint32_t q, uint32_t c, double eps)
{
    if (h->split[c])
        eps = h->death[c];
    h->home[q] = c;
    h->stab[c] += gap(1, eps, h->birth[c]);
}

/* Merge @p j splits cluster @p c into two new clusters born at its height. */
static void split_cluster(struct hdb *h, size_t j, uint32_t c)
{
    const struct merge *m = &h->merge[j];
    h->split[c] = 1;
    h->death[c] = m->h;
    h->nchildren[c] = m->size;
    for (int t = 0; t < 2; t++) {
        uint32_t nc = (uint32_t)h->ncl++;
        h->cl_parent[nc] = c;
        h->birth[nc] = m->h;
        h->tracker[m->child[t] - h->n] = nc;
    }
}

/* Top-down over the merges: each either splits its cluster or hands it
 * to both sides; a point side leaves the cluster there. */
static void condense(struct hdb *h)
{
    h->ncl = 1;
    for (size_t j = h->n - 1; j-- > 0;) {
        const struct merge *m = &h->merge[j];
        if (j == h->n - 2) {   /* the root: everything, born at the top */
            h->tracker[j] = 0;
            h->birth[0] = m->h;
        }
        uint32_t c = h->tracker[j];
        if (size_of(h, m->child[0]) >= h->mcs && size_of(h, m->child[1]) >= h->mcs) {
            split_cluster(h, j, c);
            continue;
        }
        for (int t = 0; t < 2; t++) {
            if (m->child[t] < h->n)
                leave(h, m->child[t], c, m->h);
            else
                h->tracker[m->child[t] - h->n] = c;
        }
    }
    for (size_t c = 0; c < h->ncl; c++)
        if (h->split[c])
            h->stab[c] += gap(h->nchildren[c], h->death[c], h->birth[c]);
}

/* Excess of mass, bottom-up (children have higher ids than parents): a
 * cluster is kept unless its children's best total is strictly larger.
 * score[] first accumulates the children's totals. */
static void select_clusters(struct hdb *h)
{
    for (size_t c = h->ncl; c-- > 1;) {
        double kids = h->score[c];
        if (h->split[c] && h->stab[c] < kids) {
            h->score[c] = kids;
        } else {
            h->score[c] = h->stab[c];
            h->kept[c] = 1;
        }
        h->score[h->cl_parent[c]] += h->score[c];
    }
}

/* A point's label: the highest kept cluster on the way from the cluster
 * it left up to the root. cl_parent is reused to hold, for each cluster,
 * that highest kept cluster or UINT32_MAX. */
static void label_points(struct hdb *h, struct cw_clusters *out)
{
    uint32_t *top = h->cl_parent;
    top[0] = UINT32_MAX;
    for (size_t c = 1; c < h->ncl; c++)
        top[c] = top[h->cl_parent[c]] != UINT32_MAX ? top[h->cl_parent[c]]
                 : h->kept[c]                       ? (uint32_t)c
                                                    : UINT32_MAX;
    for (size_t q = 0; q < h->n; q++) {
        uint32_t c = top[h->home[q]], i = h->perm[q];
        if (c != UINT32_MAX) {
            out->label[i] = (int)c;
            out->role[i] = CW_ROLE_CORE;
        }
    }
    cw_clusters_canonical(out, h->p);
}

static void hdb_release(struct hdb *h)
{
    free(h->perm);
    free(h->node);
    free(h->chain);
    free(h->link);
    free(h->merge);
    free(h->tracker);
    free(h->cl_parent);
    free(h->birth);
    free(h->death);
    free(h->stab);
    free(h->score);
    free(h->nchildren);
    free(h->split);
    free(h->kept);
    free(h->home);
}

static int hdb_alloc(struct hdb *h)
{
    size_t n = h->n;
    h->perm = malloc(n * sizeof *h->perm);
    h->node = malloc(n * sizeof *h->node);
    h->chain = malloc(n * sizeof *h->chain);
    h->link = malloc(n * sizeof *h->link);
    h->merge = malloc(n * sizeof *h->merge);
    h->tracker = malloc(n * sizeof *h->tracker);
    h->cl_parent = malloc(n * sizeof *h->cl_parent);
    h->birth = calloc(n, sizeof *h->birth);
    h->death = calloc(n, sizeof *h->death);
    h->stab = calloc(n, sizeof *h->stab);
    h->score = calloc(n, sizeof *h->score);
    h->nchildren = calloc(n, sizeof *h->nchildren);
    h->split = calloc(n, 1);
    h->kept = calloc(n, 1);
    h->home = malloc(n * sizeof *h->home);
    return h->perm && h->node && h->chain && h->link && h->merge && h->tracker &&
                   h->cl_parent && h->birth && h->death && h->stab && h->score &&
                   h->nchildren && h->split && h->kept && h->home
               ? CW_OK
               : CW_ERR_NOMEM;
}

static int run(struct hdb *h, struct cw_clusters *out)
{
    int rc = hdb_alloc(h);
    if (rc == CW_OK)
        rc = rank_order(h);
    if (rc == CW_OK)
        rc = nodes_init(h);
    if (rc == CW_OK)
        rc = prim_chain(h);
    if (rc == CW_OK)
        rc = build_merges(h);
    if (rc == CW_OK) {
        condense(h);
        select_clusters(h);
        label_points(h, out);
    }
    return rc;
}

int cw_hdbscan(struct cw_ctx *ctx, const struct cw_geod *g, const struct cw_points *p,
               int min_cluster_size, int min_samples, struct cw_clusters *out)
{
    struct hdb h = { .ctx = ctx, .g = g, .p = p, .n = p->n };
    int rc = CW_OK;
    if (min_cluster_size < 2)
        rc = cw_ctx_error(ctx, CW_ERR_ARG, "min_cluster_size must be at least 2 (got %d)",
                          min_cluster_size);
    else if (min_samples < 1)
        rc = cw_ctx_error(ctx, CW_ERR_ARG, "min_samples must be at least 1 (got %d)",
                          min_samples);
    else if ((rc = cw_kd_check_points(ctx, p)) == CW_OK &&
             (rc = cw_clusters_alloc(out, p->n)) == CW_OK && p->n >= 2) {
        h.mcs = (size_t)min_cluster_size;
        h.ms = (size_t)min_samples;
        rc = run(&h, out);
    }
    hdb_release(&h);
    if (rc != CW_OK)
        cw_clusters_release(out);
    if (rc == CW_ERR_NOMEM)
        return cw_ctx_error(ctx, rc, "out of memory for %zu points", p->n);
    return rc;
}
