/* mst.c: minimum spanning tree of points on the globe, by Borůvka's
 * algorithm on the KD-tree of their unit vectors (no triangulation).
 * SPDX-License-Identifier: MIT
 *
 * Every pair of points is an edge, keyed by (cw_geod distance, lower rank,
 * higher rank, lower index, higher index). The keys are distinct, so the
 * tree is unique and equals Kruskal's over all pairs in key order. Each
 * Borůvka round, every component takes its least outgoing edge (always a
 * tree edge) and the components it joins merge, so a round at least halves
 * their number.
 *
 * A component's least outgoing edge is the least over its points of the
 * edge to the nearest point of another component. That query is exact for
 * the cw_geod distance: the KD-tree gathers candidates by chord, which
 * orders sphere distances, and ellipsoid distances within
 * CW_KD_ELLIPSOID_SLACK (kdtree.h: WGS84 geodesic over mean-sphere
 * great-circle length lies in [0.99442, 1.00449]). If the nearest other
 * point by chord has chord c, it is at most cw_kd_dist_hi(c) away, so every
 * point at least as near in distance has chord at most
 * cw_kd_chord_hi(cw_kd_dist_hi(c)): only those get a cw_geod distance,
 * about one per query on the sphere, one or two on the ellipsoid.
 *
 * Work saved from round to round (199,568 GeoNames places take about ten
 * rounds):
 * - subtrees whose points all lie in the query's component are skipped
 *   (labels refreshed each round by cw_kd_label);
 * - components only grow, so a point's nearest point of another component
 *   stays so while it is in another component, and is reused; once merged
 *   with the point, its distance bounds the next one from below;
 * - a query is cut at the length of the best edge its component already
 *   has, and a point whose lower bound exceeds that length is not queried.
 *
 * Threads: the points to query are grouped by component and split into
 * chunks; a worker writes only its own points' results and cuts queries
 * with its own running bound. Which queries are cut then depends on the
 * number of workers, but no component's least edge does: a cut only drops
 * points farther than an edge the component has.
 */
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "kdtree.h"
#include "parallel.h"
#include "unionfind.h"

#define NONE UINT32_MAX

/* Nearest points by chord listed per point: enough to answer most queries
 * of the first rounds, when components are small, without the tree. */
#define NEAR 8

/* Sort key of an edge; dist INFINITY stands for no edge. */
struct key {
    double dist;
    uint32_t rlo, rhi, a, b;
};

static struct key key_of(const struct cw_points *p, uint32_t i, uint32_t j, double dist)
{
    uint32_t ri = cw_kd_rank(p, i), rj = cw_kd_rank(p, j);
    return (struct key){ dist, ri < rj ? ri : rj, ri < rj ? rj : ri,
                         i < j ? i : j, i < j ? j : i };
}

static int key_less(const struct key *x, const struct key *y)
{
    if (x->dist != y->dist)
        return x->dist < y->dist;
    if (x->rlo != y->rlo)
        return x->rlo < y->rlo;
    if (x->rhi != y->rhi)
        return x->rhi < y->rhi;
    if (x->a != y->a)
        return x->a < y->a;
    return x->b < y->b;
}

/* Borůvka state. Points are known by their tree slot, so that passes in
 * slot order walk the memory in order. */
struct boruvka {
    struct cw_ctx *ctx;
    const struct cw_geod *g;
    const struct cw_points *p;
    struct cw_kd t;
    uint32_t *up, *size;   /* union-find forest over the slots */
    uint32_t *comp;        /* component (root slot) of each slot, this round */
    uint32_t *lab;         /* cw_kd_label of comp */
    double *rho;           /* cw_kd_radii */
    uint32_t *near;        /* nnear nearest other slots of each slot by
                            * chord, nearest first */
    size_t nnear;          /* min(NEAR, n - 1) */
    uint32_t *nb;          /* nearest slot of another component, or NONE */
    double *nd;            /* its distance; while nb is NONE, a lower bound
                            * on the distance to any other component */
    struct key *best;      /* least outgoing edge found, by component */
    uint32_t *from;        /* the slot whose nb edge it is */
    uint32_t *todo;        /* slots to query this round, by component */
    size_t *start;         /* n + 1 counters to group them */
    size_t ntodo;
};

static int boruvka_init(struct boruvka *b)
{
    size_t n = b->p->n;
    int rc = cw_kd_build(&b->t, b->p);
    b->up = malloc(n * sizeof *b->up);
    b->size = malloc(n * sizeof *b->size);
    b->comp = malloc(n * sizeof *b->comp);
    b->lab = malloc(n * sizeof *b->lab);
    b->rho = malloc(n * sizeof *b->rho);
    b->nnear = n - 1 < NEAR ? n - 1 : NEAR;
    b->near = malloc(n * b->nnear * sizeof *b->near);
    b->nb = malloc(n * sizeof *b->nb);
    b->nd = malloc(n * sizeof *b->nd);
    b->best = malloc(n * sizeof *b->best);
    b->from = malloc(n * sizeof *b->from);
    b->todo = malloc(n * sizeof *b->todo);
    b->start = malloc((n + 1) * sizeof *b->start);
    if (rc != CW_OK || !b->up || !b->size || !b->comp || !b->lab || !b->rho || !b->near ||
        !b->nb || !b->nd || !b->best || !b->from || !b->todo || !b->start)
        return CW_ERR_NOMEM;
    for (size_t s = 0; s < n; s++) {
        b->up[s] = (uint32_t)s;
        b->size[s] = 1;
        b->nb[s] = NONE;
        b->nd[s] = 0;
    }
    cw_kd_radii(&b->t, b->rho);
    return CW_OK;
}

static void boruvka_release(struct boruvka *b)
{
    cw_kd_release(&b->t);
    free(b->up);
    free(b->size);
    free(b->comp);
    free(b->lab);
    free(b->rho);
    free(b->near);
    free(b->nb);
    free(b->nd);
    free(b->best);
    free(b->from);
    free(b->todo);
    free(b->start);
}


/* Components of this round, their subtree labels, no edges yet. */
static void refresh(struct boruvka *b)
{
    for (size_t s = 0; s < b->t.n; s++) {
        b->comp[s] = cw_uf_find(b->up, (uint32_t)s);
        b->best[s] = (struct key){ INFINITY, 0, 0, 0, 0 };
    }
    cw_kd_label(&b->t, b->comp, b->lab);
}

/* A near list being filled: the k nearest so far, nearest first. */
struct nearest {
    uint32_t *list;
    double d2[NEAR];
    size_t n, k;
};

static double keep_nearest(void *arg, uint32_t slot, double d2)
{
    struct nearest *s = arg;
    size_t i = s->n < s->k ? s->n++ : s->k - 1;   /* full: d2 <= the last */
    for (; i > 0 && s->d2[i - 1] > d2; i--) {
        s->d2[i] = s->d2[i - 1];
        s->list[i] = s->list[i - 1];
    }
    s->d2[i] = d2;
    s->list[i] = slot;
    return s->n < s->k ? INFINITY : s->d2[s->k - 1];
}

/* The near lists of slots [lo, hi), while every point is its own
 * component. */
static int list_chunk(size_t lo, size_t hi, int w, void *arg)
{
    struct boruvka *b = arg;
    (void)w;
    for (size_t s = lo; s < hi; s++) {
        struct nearest ns = { &b->near[s * b->nnear], { 0 }, 0, b->nnear };
        cw_kd_other(&b->t, b->comp, b->lab, b->t.tv[s], b->comp[s], INFINITY,
                    keep_nearest, &ns);
    }
    return CW_OK;
}

/* Offers slot s's edge to its nearest other slot to its component. */
static void offer(struct boruvka *b, uint32_t s)
{
    struct key k = key_of(b->p, b->t.id[s], b->t.id[b->nb[s]], b->nd[s]);
    uint32_t c = b->comp[s];
    if (key_less(&k, &b->best[c])) {
        b->best[c] = k;
        b->from[c] = s;
    }
}

/* Offers the edges found in earlier rounds that still leave their
 * component, and forgets the others (keeping their length as a bound). */
static void reuse(struct boruvka *b)
{
    for (uint32_t s = 0; s < b->t.n; s++) {
        if (b->nb[s] == NONE)
            continue;
        if (b->comp[b->nb[s]] != b->comp[s])
            offer(b, s);
        else
            b->nb[s] = NONE;
    }
}

static double keep_least(void *arg, uint32_t slot, double d2)
{
    (void)slot;
    return *(double *)arg = d2;   /* only called when d2 is the least yet */
}

/* Skips whole subtrees of one component far from every other: if no
 * point of another component is within chord reach = r + rho of the
 * subtree's median point, none is within r of any of its points (chord is
 * a Euclidean distance), r being the chord bound of the component's best
 * edge so far. Their points then need no query this round. */
static void screen(struct boruvka *b, size_t lo, size_t hi)
{
    if (hi - lo <= CW_KD_LEAF)
        return;
    size_t m = lo + (hi - lo) / 2;
    uint32_t c = b->lab[m];
    if (c == CW_KD_MIXED) {
        screen(b, lo, m);
        screen(b, m + 1, hi);
        return;
    }
    double cut = b->best[c].dist;
    if (cut == INFINITY)
        return;
    double reach = cw_kd_chord_hi(b->g, cut) + b->rho[m] + 1e-12, least = INFINITY;
    cw_kd_other(&b->t, b->comp, b->lab, b->t.tv[m], c, reach * reach, keep_least, &least);
    if (least != INFINITY) {
        screen(b, lo, m);
        screen(b, m + 1, hi);
        return;
    }
    /* Farther than cut from all other components: strictly, so the next
     * double up is a lower bound that exceeds the cut. */
    double lb = nextafter(cut, INFINITY);
    for (size_t s = lo; s < hi; s++)
        if (b->nb[s] == NONE && b->nd[s] < lb)
            b->nd[s] = lb;
}

static int needs_query(const struct boruvka *b, uint32_t s)
{
    return b->nb[s] == NONE && !(b->nd[s] > b->best[b->comp[s]].dist);
}

/* Lists the slots to query, grouped by component (a counting sort), each
 * group in slot order so that consecutive queries walk the same branches. */
static void plan(struct boruvka *b)
{
    size_t n = b->t.n;
    memset(b->start, 0, (n + 1) * sizeof *b->start);
    for (uint32_t s = 0; s < n; s++)
        if (needs_query(b, s))
            b->start[b->comp[s] + 1]++;
    for (size_t c = 1; c <= n; c++)
        b->start[c] += b->start[c - 1];
    b->ntodo = b->start[n];
    for (uint32_t s = 0; s < n; s++)
        if (needs_query(b, s))
            b->todo[b->start[b->comp[s]]++] = s;
}

/* One worker's query state; hit[] gathers the chord candidates. */
struct seek {
    struct boruvka *b;
    struct cw_kd_hit *hit;
    size_t nhit, cap;
    double near2;    /* least squared chord gathered */
    double reach2;   /* squared chord beyond which the query is cut */
    double bound2;   /* squared chord beyond which none can be the nearest */
    int nomem;
};

static double gather(void *arg, uint32_t slot, double d2)
{
    struct seek *s = arg;
    const struct cw_geod *g = s->b->g;
    if (s->nhit == s->cap) {
        size_t cap = s->cap ? 2 * s->cap : 64;
        struct cw_kd_hit *h = realloc(s->hit, cap * sizeof *h);
        if (!h) {
            s->nomem = 1;
            return -1;
        }
        s->hit = h;
        s->cap = cap;
    }
    s->hit[s->nhit++] = (struct cw_kd_hit){ d2, slot };
    if (d2 < s->near2) {
        double hi = cw_kd_chord_hi(g, cw_kd_dist_hi(g, sqrt(d2)));
        s->near2 = d2;
        s->bound2 = hi * hi < s->reach2 ? hi * hi : s->reach2;
    }
    return s->bound2;
}

/* Gathers slot q's candidates from its near list, which holds every point
 * nearer by chord than its last entry. @return 1 if that covers the
 * bound, so the tree need not be searched. */
static int from_list(struct seek *s, uint32_t q)
{
    const struct boruvka *b = s->b;
    const uint32_t *list = &b->near[(size_t)q * b->nnear];
    size_t last = b->nnear - 1;
    double last2 = b->nnear + 1 == b->t.n ? INFINITY : cw_kd_slot_d2(&b->t, q, list[last]);
    for (size_t k = 0; k <= last; k++) {
        double d2 = cw_kd_slot_d2(&b->t, q, list[k]);
        if (d2 > s->bound2)
            break;
        if (b->comp[list[k]] != b->comp[q] && gather(s, list[k], d2) < 0)
            return 1;   /* out of memory */
    }
    return s->bound2 < last2;
}

/* Gathers slot q's candidates within squared chord reach2: the points of
 * other components as near as the nearest of them could be. */
static void candidates(struct seek *s, uint32_t q, double reach2)
{
    const struct boruvka *b = s->b;
    s->nhit = 0;
    s->near2 = INFINITY;
    s->reach2 = s->bound2 = reach2;
    if (from_list(s, q))
        return;
    s->nhit = 0;
    s->near2 = INFINITY;
    s->bound2 = reach2;
    cw_kd_other(&b->t, b->comp, b->lab, b->t.tv[q], b->comp[q], reach2, gather, s);
}

/* Slot q's least edge to another component among those no longer than
 * @p cut metres (may be INFINITY) into nb[q], nd[q]; when there is none,
 * nb[q] is NONE and cut bounds the distance to other components. */
static int query(struct seek *s, uint32_t q, double cut)
{
    struct boruvka *b = s->b;
    const struct cw_points *p = b->p;
    uint32_t i = b->t.id[q], nb = NONE;
    double hi = cw_kd_chord_hi(b->g, cut), stop2;
    struct key best = { INFINITY, 0, 0, 0, 0 };
    candidates(s, q, hi * hi);
    if (s->nomem)
        return CW_ERR_NOMEM;
    cw_kd_sort_hits(s->hit, s->nhit);
    /* By increasing chord, until beyond any point as near as the best
     * (hits gathered before the bound shrank may lie beyond it). */
    stop2 = s->bound2;
    for (size_t h = 0; h < s->nhit && s->hit[h].d2 <= stop2; h++) {
        uint32_t j = b->t.id[s->hit[h].id];
        double d = cw_kd_dist(b->g, p->lon[i], p->lat[i], p->lon[j], p->lat[j]);
        struct key k = key_of(p, i, j, d);
        if (d > cut || !key_less(&k, &best))
            continue;
        best = k;
        nb = s->hit[h].id;
        hi = cw_kd_chord_hi(b->g, d);
        stop2 = hi * hi;
    }
    b->nb[q] = nb;
    b->nd[q] = nb == NONE ? cut : best.dist;
    return CW_OK;
}

/* Queries todo[lo, hi), cut at the best edge known to the worker for the
 * component at hand. */
static int query_chunk(size_t lo, size_t hi, int w, void *arg)
{
    struct seek s = { arg, NULL, 0, 0, 0, 0, 0, 0 };
    const struct boruvka *b = s.b;
    uint32_t comp = NONE;
    double cut = INFINITY;
    int rc = CW_OK;
    (void)w;
    for (size_t k = lo; rc == CW_OK && k < hi; k++) {
        uint32_t q = b->todo[k];
        if (b->comp[q] != comp) {
            comp = b->comp[q];
            cut = b->best[comp].dist;
        }
        if (b->nd[q] > cut)
            continue;
        rc = query(&s, q, cut);
        if (b->nb[q] != NONE && b->nd[q] < cut)
            cut = b->nd[q];
    }
    free(s.hit);
    return rc;
}

/* Joins each component to the other end of its least edge. */
static int join(struct boruvka *b, struct cw_edges *out)
{
    for (size_t k = 0; k < b->ntodo; k++)
        if (b->nb[b->todo[k]] != NONE)
            offer(b, b->todo[k]);
    for (uint32_t c = 0; c < b->t.n; c++) {
        if (b->comp[c] != c || b->best[c].dist == INFINITY)
            continue;
        uint32_t s = b->from[c], x = b->nb[s];
        uint32_t rs = cw_uf_find(b->up, s), rx = cw_uf_find(b->up, x);
        if (rs == rx)   /* the same edge, chosen from both sides */
            continue;
        if (b->size[rs] < b->size[rx]) {
            uint32_t tmp = rs;
            rs = rx;
            rx = tmp;
        }
        b->up[rx] = rs;
        b->size[rs] += b->size[rx];
        if (cw_edges_push(out, b->t.id[s], b->t.id[x], b->nd[s]) != CW_OK)
            return CW_ERR_NOMEM;
    }
    return CW_OK;
}

static int boruvka_run(struct boruvka *b, struct cw_edges *out)
{
    int rc = boruvka_init(b);
    if (rc == CW_OK) {
        refresh(b);
        rc = cw_parallel_for(b->ctx, b->t.n, list_chunk, b);
    }
    while (rc == CW_OK && out->n + 1 < b->p->n) {
        rc = cw_ctx_progress(b->ctx, (double)out->n / (double)(b->p->n - 1), "mst");
        if (rc != CW_OK)
            break;
        refresh(b);
        reuse(b);
        screen(b, 0, b->t.n);
        plan(b);
        rc = cw_parallel_for(b->ctx, b->ntodo, query_chunk, b);
        if (rc == CW_OK)
            rc = join(b, out);
    }
    if (rc == CW_ERR_NOMEM)
        rc = cw_ctx_error(b->ctx, rc, "out of memory for %zu points", b->p->n);
    return rc;
}

int cw_mst_edges(struct cw_ctx *ctx, const struct cw_geod *g,
                 const struct cw_points *p, struct cw_edges *out)
{
    struct boruvka b = { .ctx = ctx, .g = g, .p = p };
    out->n = 0;
    int rc = cw_kd_check_points(ctx, p);
    if (rc != CW_OK || p->n < 2)
        return rc;
    rc = boruvka_run(&b, out);
    boruvka_release(&b);
    if (rc == CW_OK)
        cw_edges_normalise(out);
    return rc;
}
