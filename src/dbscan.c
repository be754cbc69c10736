/* dbscan.c: DBSCAN (Ester et al. 1996) on cw_geod distances, in linear
 * memory: two parallel passes of KD-tree radius queries and a concurrent
 * union-find, never a stored neighbour list.
 * SPDX-License-Identifier: MIT
 *
 * Pass 1 sums each point's eps-neighbourhood weight (its own included) and
 * marks the core points. Pass 2 queries again: a core point unites with
 * the core points in its neighbourhood, a non-core point remembers its
 * nearest core point. Clusters are then the components of the core-core
 * graph, and a border point joins the component of its nearest core point
 * (ties to the lower rank, then index), so nothing depends on the order in
 * which points are visited, unlike the textbook expansion where a border
 * point goes to whichever cluster reaches it first.
 *
 * Exactness: the chord bounds of eps (cw_kd_chord_lo/hi) decide most pairs
 * without a geodesic: a chord below the lower bound is within eps, and the
 * tree only proposes chords up to the upper bound. Only pairs in between
 * (about 4% of the candidates on the ellipsoid, a rounding sliver on the
 * sphere) cost a cw_geod distance.
 *
 * Weights are summed in the order the tree visits the neighbours, so a
 * sum within rounding of min_pts may depend on the input order; sums of
 * integers and halves are exact.
 */
#include <math.h>
#include <stdatomic.h>
#include <stdlib.h>

#include "cityweave/cluster.h"
#include "kdtree.h"
#include "parallel.h"

/* Work shared by the workers of both passes. Each point's core flag and
 * nearest core are written only by the worker that owns the point; the
 * union-find is the only shared mutable state. */
struct dbscan {
    struct cw_ctx *ctx;
    const struct cw_geod *g;
    const struct cw_points *p;
    const struct cw_kd *t;
    const double *weight;      /* NULL: 1 each */
    double eps, min_pts;
    double hi, lo2;            /* chord bound, squared sure-inside chord */
    int stop_early;            /* no negative weight: a sum only grows */
    unsigned char *core;
    _Atomic uint32_t *parent;  /* union-find over the core points */
    int *near;                 /* non-core point: nearest core, -1 none */
    double done0, span;        /* progress range of the running pass */
};

static int within_eps(const struct dbscan *db, uint32_t i, uint32_t j, double d2)
{
    const struct cw_points *p = db->p;
    return d2 < db->lo2 || cw_kd_dist(db->g, p->lon[i], p->lat[i], p->lon[j], p->lat[j]) <= db->eps;
}

/* Root of @p i. Parents only ever point to lower indices, so the forest
 * has no cycles whatever the interleaving; the path halving may lose a
 * race harmlessly, since any ancestor is a valid parent. */
static uint32_t uf_find(_Atomic uint32_t *parent, uint32_t i)
{
    for (;;) {
        uint32_t up = atomic_load_explicit(&parent[i], memory_order_relaxed);
        if (up == i)
            return i;
        uint32_t upup = atomic_load_explicit(&parent[up], memory_order_relaxed);
        if (upup != up)
            atomic_compare_exchange_weak_explicit(&parent[i], &up, upup, memory_order_relaxed,
                                                  memory_order_relaxed);
        i = upup;
    }
}

/* Links the higher root under the lower one; retries when another worker
 * linked either root first. */
static void uf_union(_Atomic uint32_t *parent, uint32_t a, uint32_t b)
{
    for (;;) {
        a = uf_find(parent, a);
        b = uf_find(parent, b);
        if (a == b)
            return;
        if (a < b) {
            uint32_t tmp = a;
            a = b;
            b = tmp;
        }
        uint32_t expect = a;
        if (atomic_compare_exchange_strong(&parent[a], &expect, b))
            return;
    }
}

/* Worker 0 reports its share of the pass as the progress of the call. */
static int report(const struct dbscan *db, size_t i, size_t n)
{
    size_t step = n / 100 ? n / 100 : 1;
    if (i % step)
        return CW_OK;
    return cw_ctx_progress(db->ctx, db->done0 + db->span * (double)i / (double)n, "dbscan");
}

/* One query of either pass. */
struct query {
    const struct dbscan *db;
    uint32_t i;
    double sum;               /* pass 1: neighbourhood weight */
    double best;              /* pass 2: distance to the nearest core */
    uint32_t best_rank;
};

static int count_visit(void *arg, uint32_t j, double d2)
{
    struct query *q = arg;
    const struct dbscan *db = q->db;
    if (!within_eps(db, q->i, j, d2))
        return 0;
    q->sum += db->weight ? db->weight[j] : 1.0;
    return db->stop_early && q->sum >= db->min_pts;
}

/* Pass 1 over tree slots [lo, hi): points in tree order, so consecutive
 * queries walk the same branches. */
static int count_chunk(size_t lo, size_t hi, int w, void *arg)
{
    struct dbscan *db = arg;
    struct query q = { db, 0, 0, 0, 0 };
    int rc = CW_OK;
    for (size_t slot = lo; slot < hi; slot++) {
        if (w == 0 && (rc = report(db, slot - lo, hi - lo)) != CW_OK)
            break;
        q.i = db->t->id[slot];
        q.sum = 0;
        cw_kd_radius(db->t, db->t->v[q.i], db->hi, count_visit, &q);
        db->core[q.i] = q.sum >= db->min_pts;
    }
    return rc;
}

/* Core point: unite with each core neighbour of lower index (each pair
 * once), skipping the distance when they are already connected. */
static int link_visit(void *arg, uint32_t j, double d2)
{
    struct query *q = arg;
    const struct dbscan *db = q->db;
    if (j < q->i && db->core[j] && uf_find(db->parent, j) != uf_find(db->parent, q->i) &&
        within_eps(db, q->i, j, d2))
        uf_union(db->parent, q->i, j);
    return 0;
}

/* Non-core point: the nearest core within eps, ties to the lower rank,
 * then index. */
static int nearest_visit(void *arg, uint32_t j, double d2)
{
    struct query *q = arg;
    const struct dbscan *db = q->db;
    const struct cw_points *p = db->p;
    int *near = &db->near[q->i];
    (void)d2;
    if (!db->core[j])
        return 0;
    double d = cw_kd_dist(db->g, p->lon[q->i], p->lat[q->i], p->lon[j], p->lat[j]);
    uint32_t r = cw_kd_rank(p, j);
    if (d > db->eps || d > q->best)
        return 0;
    if (*near < 0 || d < q->best || r < q->best_rank ||
        (r == q->best_rank && j < (uint32_t)*near)) {
        *near = (int)j;
        q->best = d;
        q->best_rank = r;
    }
    return 0;
}

static int link_chunk(size_t lo, size_t hi, int w, void *arg)
{
    struct dbscan *db = arg;
    struct query q = { db, 0, 0, 0, 0 };
    int rc = CW_OK;
    for (size_t slot = lo; slot < hi; slot++) {
        if (w == 0 && (rc = report(db, slot - lo, hi - lo)) != CW_OK)
            break;
        q.i = db->t->id[slot];
        q.best = INFINITY;
        cw_kd_radius(db->t, db->t->v[q.i], db->hi,
                     db->core[q.i] ? link_visit : nearest_visit, &q);
    }
    return rc;
}

/* Labels: a core point's root, a border point its nearest core's root;
 * then numbered by lowest-ranked member. */
static void label_points(const struct dbscan *db, struct cw_clusters *out)
{
    for (size_t i = 0; i < db->p->n; i++) {
        if (db->core[i]) {
            out->label[i] = (int)uf_find(db->parent, (uint32_t)i);
            out->role[i] = CW_ROLE_CORE;
        } else if (db->near[i] >= 0) {
            out->label[i] = (int)uf_find(db->parent, (uint32_t)db->near[i]);
            out->role[i] = CW_ROLE_BORDER;
        }
    }
    cw_clusters_canonical(out, db->p);
}

static int check_args(struct cw_ctx *ctx, const struct cw_points *p, double eps,
                      double min_pts, const double *weight)
{
    if (!(eps > 0) || isinf(eps))
        return cw_ctx_error(ctx, CW_ERR_ARG, "eps must be a finite distance > 0 (got %g)", eps);
    if (!(min_pts >= 1) || isinf(min_pts))
        return cw_ctx_error(ctx, CW_ERR_ARG, "min_pts must be a finite number >= 1 (got %g)",
                            min_pts);
    for (size_t i = 0; weight && i < p->n; i++)
        if (!isfinite(weight[i]))
            return cw_ctx_error(ctx, CW_ERR_DATA, "point %zu: weight %g is not finite", i,
                                weight[i]);
    return cw_kd_check_points(ctx, p);
}

static int run(struct dbscan *db, struct cw_clusters *out)
{
    size_t n = db->p->n ? db->p->n : 1;
    double lo = cw_kd_chord_lo(db->g, db->eps);
    db->hi = cw_kd_chord_hi(db->g, db->eps);
    db->lo2 = lo > 0 ? lo * lo : 0;
    db->stop_early = 1;
    for (size_t i = 0; db->weight && i < db->p->n; i++)
        db->stop_early &= db->weight[i] >= 0;
    db->core = malloc(n);
    db->parent = malloc(n * sizeof *db->parent);
    db->near = out->label;
    if (!db->core || !db->parent)
        return CW_ERR_NOMEM;
    for (size_t i = 0; i < db->p->n; i++)
        atomic_init(&db->parent[i], (uint32_t)i);
    db->span = 0.5;
    int rc = cw_parallel_for(db->ctx, db->p->n, count_chunk, db);
    db->done0 = 0.5;
    if (rc == CW_OK)
        rc = cw_parallel_for(db->ctx, db->p->n, link_chunk, db);
    if (rc == CW_OK)
        label_points(db, out);
    return rc;
}

int cw_dbscan(struct cw_ctx *ctx, const struct cw_geod *g, const struct cw_points *p,
              double eps, double min_pts, const double *weight, struct cw_clusters *out)
{
    struct cw_kd t = { 0 };
    struct dbscan db = { .ctx = ctx, .g = g, .p = p, .t = &t, .weight = weight,
                         .eps = eps, .min_pts = min_pts };
    int rc = check_args(ctx, p, eps, min_pts, weight);
    if (rc == CW_OK)
        rc = cw_clusters_alloc(out, p->n);
    if (rc == CW_OK && (rc = cw_kd_build(&t, p)) == CW_OK)
        rc = run(&db, out);
    cw_kd_release(&t);
    free(db.core);
    free(db.parent);
    if (rc != CW_OK)
        cw_clusters_release(out);
    if (rc == CW_ERR_NOMEM)
        return cw_ctx_error(ctx, rc, "out of memory for %zu points", p->n);
    return rc;
}
