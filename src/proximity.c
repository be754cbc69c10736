/* proximity.c: edge lists, k-nearest-neighbour and fixed-distance graphs,
 * nearest hub, all exact for the cw_geod distance (sphere or ellipsoid).
 * SPDX-License-Identifier: MIT
 *
 * The KD-tree (kdtree.c) proposes candidates by chord; the answer is then
 * decided on cw_geod distances alone, ties to the lower rank then index.
 * Chord bounds (cw_kd_chord_hi/lo) say which candidates could still matter,
 * so few geodesics are computed: about one per kNN edge on 199,568 GeoNames
 * places, each pair's length being reused by the second of its two points
 * (a geodesic costs about 0.6 us, as much as the whole tree search).
 */
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "kdtree.h"
#include "parallel.h"

/* Chord candidates fetched per kNN query beyond k: enough that the
 * radius query of the slow path is rarely needed. */
#define KNN_EXTRA 4

void cw_edges_init(struct cw_edges *es)
{
    es->n = es->cap = 0;
    es->e = NULL;
}

void cw_edges_release(struct cw_edges *es)
{
    free(es->e);
    cw_edges_init(es);
}

int cw_edges_push(struct cw_edges *es, uint32_t a, uint32_t b, double dist)
{
    return cw_edges_push_azi(es, a, b, dist, NAN);
}

int cw_edges_push_azi(struct cw_edges *es, uint32_t a, uint32_t b, double dist, double azi)
{
    if (es->n == es->cap) {
        size_t cap = es->cap ? 2 * es->cap : 256;
        struct cw_edge *e = cap > SIZE_MAX / sizeof *e ? NULL
                                                      : realloc(es->e, cap * sizeof *e);
        if (!e)
            return CW_ERR_NOMEM;
        es->e = e;
        es->cap = cap;
    }
    es->e[es->n++] = (struct cw_edge){ a, b, dist, azi };
    return CW_OK;
}

static int edge_cmp(const void *pa, const void *pb)
{
    const struct cw_edge *a = pa, *b = pb;
    if (a->a != b->a)
        return a->a < b->a ? -1 : 1;
    return (a->b > b->b) - (a->b < b->b);
}

static int edges_sorted(const struct cw_edges *es)
{
    for (size_t i = 1; i < es->n; i++)
        if (edge_cmp(&es->e[i - 1], &es->e[i]) > 0)
            return 0;
    return 1;
}

/* Sorts a run of edges sharing a by b: a shell sort (Ciura's gaps), which
 * beats qsort's callbacks on the runs here, a few to a few thousand long. */
static void sort_by_b(struct cw_edge *e, size_t n)
{
    static const size_t gaps[] = { 1750, 701, 301, 132, 57, 23, 10, 4, 1 };
    for (size_t g = 0; g < sizeof gaps / sizeof *gaps; g++) {
        size_t gap = gaps[g];
        for (size_t i = gap; i < n; i++) {
            struct cw_edge x = e[i];
            size_t j = i;
            for (; j >= gap && e[j - gap].b > x.b; j -= gap)
                e[j] = e[j - gap];
            e[j] = x;
        }
    }
}

/* Sorts by (a, b): a counting sort on a, then each run by b. Graphs have
 * few edges per point, so this is linear in practice; qsort is the fallback
 * when the temporary arrays cannot be had. */
static void edges_sort(struct cw_edges *es)
{
    uint32_t maxa = 0;
    for (size_t i = 0; i < es->n; i++)
        maxa = es->e[i].a > maxa ? es->e[i].a : maxa;
    size_t *start = calloc((size_t)maxa + 2, sizeof *start);
    struct cw_edge *tmp = malloc(es->n * sizeof *tmp);
    if (!start || !tmp) {
        qsort(es->e, es->n, sizeof *es->e, edge_cmp);
    } else {
        for (size_t i = 0; i < es->n; i++)
            start[es->e[i].a + 1]++;
        for (size_t a = 1; a <= (size_t)maxa + 1; a++)
            start[a] += start[a - 1];
        for (size_t i = 0; i < es->n; i++)
            tmp[start[es->e[i].a]++] = es->e[i];
        size_t lo = 0;   /* start[a] is now the end of run a */
        for (size_t a = 0; a <= maxa; a++) {
            sort_by_b(tmp + lo, start[a] - lo);
            lo = start[a];
        }
        free(es->e);
        es->e = tmp;
        es->cap = es->n;
        tmp = NULL;
    }
    free(start);
    free(tmp);
}

void cw_edges_normalise(struct cw_edges *es)
{
    for (size_t i = 0; i < es->n; i++)
        if (es->e[i].a > es->e[i].b) {
            uint32_t tmp = es->e[i].a;
            es->e[i].a = es->e[i].b;
            es->e[i].b = tmp;
            es->e[i].azi = NAN;   /* it was at the other end */
        }
    if (!edges_sorted(es))
        edges_sort(es);
    size_t w = 0;
    for (size_t i = 0; i < es->n; i++)
        if (w == 0 || edge_cmp(&es->e[w - 1], &es->e[i]) != 0)
            es->e[w++] = es->e[i];
    es->n = w;
}

/* A candidate neighbour, ordered by (dist, rank, id). */
struct cand {
    double dist;
    uint32_t rank, id;
};

static int cand_less(const struct cand *a, const struct cand *b)
{
    if (a->dist != b->dist)
        return a->dist < b->dist;
    if (a->rank != b->rank)
        return a->rank < b->rank;
    return a->id < b->id;
}

/* One k-nearest search against the points @p tp indexed by @p t. The
 * buffers are reused from query to query. */
struct knn_query {
    const struct cw_geod *g;
    const struct cw_kd *t;
    const struct cw_points *tp;
    size_t k, nbest;
    struct cand *best;          /* the k best so far, sorted */
    double bound2;              /* squared chord beyond which none can enter */
    struct cw_kd_hit *hits;     /* k + KNN_EXTRA chord candidates */
    struct cw_kd_hit *more;     /* slow path: the rest of the bound's ball */
    size_t nmore, capmore;
    const struct cw_kd_hit *seen;   /* for the slow path: already judged */
    size_t nseen;
    double qlon, qlat;
    /* kNN graph: the lengths found by earlier queries, reused when the
     * query point is among an earlier point's neighbours (NULL: none). */
    const struct cw_edges *memo;
    const size_t *memo_span;    /* point j's edges: [span[2j], span[2j+1]) */
    uint32_t qid;
};

static int knn_query_init(struct knn_query *s, const struct cw_geod *g,
                          const struct cw_kd *t, const struct cw_points *tp, size_t k)
{
    *s = (struct knn_query){ .g = g, .t = t, .tp = tp, .k = k };
    s->best = malloc(k * sizeof *s->best);
    s->hits = malloc((k + KNN_EXTRA) * sizeof *s->hits);
    return s->best && s->hits ? CW_OK : CW_ERR_NOMEM;
}

static void knn_query_release(struct knn_query *s)
{
    free(s->best);
    free(s->hits);
    free(s->more);
}

/* cw_geod distance from the query point to target point @p j. */
static double query_dist(const struct knn_query *s, uint32_t j)
{
    if (s->memo) {
        const struct cw_edge *e = s->memo->e;
        for (size_t r = s->memo_span[2 * j]; r < s->memo_span[2 * j + 1]; r++)
            if (e[r].b == s->qid)
                return e[r].dist;
    }
    return cw_kd_dist(s->g, s->qlon, s->qlat, s->tp->lon[j], s->tp->lat[j]);
}

static void best_insert(struct knn_query *s, struct cand c)
{
    if (s->nbest == s->k && !cand_less(&c, &s->best[s->k - 1]))
        return;
    size_t i = s->nbest < s->k ? s->nbest++ : s->k - 1;
    while (i > 0 && cand_less(&c, &s->best[i - 1])) {
        s->best[i] = s->best[i - 1];
        i--;
    }
    s->best[i] = c;
    if (s->nbest == s->k) {
        double hi = cw_kd_chord_hi(s->g, s->best[s->k - 1].dist);
        s->bound2 = hi * hi;
    }
}

/* Judges chord candidates in increasing chord order. @return 1 once one
 * lies beyond the bound (so do all later ones, and all points further
 * by chord), 0 if all were judged. */
static int judge(struct knn_query *s, const struct cw_kd_hit *h, size_t n)
{
    for (size_t i = 0; i < n; i++) {
        if (s->nbest == s->k && h[i].d2 > s->bound2)
            return 1;
        uint32_t j = h[i].id;
        struct cand c = { query_dist(s, j), cw_kd_rank(s->tp, j), j };
        best_insert(s, c);
    }
    return 0;
}

/* Radius visitor of the slow path: keeps the points not judged yet. The
 * k + KNN_EXTRA chord candidates hold every point closer than the last
 * of them, so only points at or beyond its chord need a look. */
static int collect_more(void *arg, uint32_t id, double d2)
{
    struct knn_query *s = arg;
    const struct cw_kd_hit *last = &s->seen[s->nseen - 1];
    if (d2 < last->d2)
        return 0;
    for (size_t i = 0; d2 == last->d2 && i < s->nseen; i++)
        if (s->seen[i].id == id)
            return 0;
    if (s->nmore == s->capmore) {
        size_t cap = s->capmore ? 2 * s->capmore : 64;
        struct cw_kd_hit *m = realloc(s->more, cap * sizeof *m);
        if (!m)
            return CW_ERR_NOMEM;
        s->more = m;
        s->capmore = cap;
    }
    s->more[s->nmore++] = (struct cw_kd_hit){ d2, id };
    return 0;
}

/* The k nearest of the target points to (lon, lat), other than @p skip,
 * into s->best[0..s->nbest). */
static int knn_query_run(struct knn_query *s, double lon, double lat, uint32_t skip)
{
    double q[3];
    size_t want = s->k + KNN_EXTRA;
    size_t avail = s->t->n - (skip < s->t->n);
    cw_kd_unit(lon, lat, q);
    s->qlon = lon;
    s->qlat = lat;
    s->nbest = 0;
    size_t nh = cw_kd_knn(s->t, q, want, skip, s->hits);
    if (judge(s, s->hits, nh) || nh == avail)
        return CW_OK;
    /* Every candidate was within the bound: look at the whole ball. */
    s->seen = s->hits;
    s->nseen = nh;
    s->nmore = 0;
    int rc = cw_kd_radius(s->t, q, sqrt(s->bound2), collect_more, s);
    if (rc != CW_OK)
        return rc;
    cw_kd_sort_hits(s->more, s->nmore);
    judge(s, s->more, s->nmore);
    return CW_OK;
}

static int report(struct cw_ctx *ctx, size_t i, size_t n, const char *what)
{
    size_t step = n / 100 ? n / 100 : 1;
    return i % step ? CW_OK : cw_ctx_progress(ctx, (double)i / (double)n, what);
}

/* Work shared by the kNN workers; each writes only out[w]. */
struct knn_job {
    struct cw_ctx *ctx;
    const struct cw_geod *g;
    const struct cw_kd *t;
    const struct cw_points *p;
    size_t k;
    struct cw_edges out[CW_MAX_THREADS];
};

/* The k nearest of the points in tree slots [lo, hi), pushed as (point,
 * neighbour). Points are taken in tree order, so that consecutive queries
 * walk the same branches, and point j's edges are out->e[span[2j] ..
 * span[2j + 1]) for the memo (an empty span until j has been queried by
 * this worker: workers share nothing, so results cannot depend on their
 * number). */
static int knn_chunk(size_t lo, size_t hi, int w, void *arg)
{
    struct knn_job *kj = arg;
    struct cw_edges local = kj->out[w], *out = &local;   /* see within_chunk */
    struct knn_query s;
    size_t *span = calloc(2 * kj->p->n, sizeof *span);
    int rc = knn_query_init(&s, kj->g, kj->t, kj->p, kj->k);
    if (!span)
        rc = CW_ERR_NOMEM;
    s.memo = out;
    s.memo_span = span;
    for (size_t slot = lo; rc == CW_OK && slot < hi; slot++) {
        uint32_t i = kj->t->id[slot];
        s.qid = i;
        span[2 * i] = out->n;
        if (w == 0)
            rc = report(kj->ctx, slot - lo, hi - lo, "knn");
        if (rc == CW_OK)
            rc = knn_query_run(&s, kj->p->lon[i], kj->p->lat[i], i);
        for (size_t r = 0; rc == CW_OK && r < s.nbest; r++)
            rc = cw_edges_push(out, i, s.best[r].id, s.best[r].dist);
        span[2 * i + 1] = out->n;
    }
    knn_query_release(&s);
    free(span);
    kj->out[w] = local;
    return rc;
}

/* Appends every worker's edges to @p out, in worker order (one
 * allocation: edge lists run to millions), and frees them. */
static int merge_edges(struct cw_edges *parts, int nparts, struct cw_edges *out)
{
    int rc = CW_OK;
    if (out->n == 0 && nparts > 0) {   /* take the first part whole */
        cw_edges_release(out);
        *out = parts[0];
        cw_edges_init(&parts[0]);
    }
    size_t total = out->n;
    for (int w = 0; w < nparts; w++)
        total += parts[w].n;
    if (total > out->cap) {
        struct cw_edge *e = realloc(out->e, total * sizeof *e);
        if (e) {
            out->e = e;
            out->cap = total;
        } else {
            rc = CW_ERR_NOMEM;
        }
    }
    for (int w = 0; w < nparts; w++) {
        if (rc == CW_OK && parts[w].n)
            memcpy(out->e + out->n, parts[w].e, parts[w].n * sizeof *out->e);
        out->n += rc == CW_OK ? parts[w].n : 0;
        cw_edges_release(&parts[w]);
    }
    return rc;
}

static int knn_all(struct cw_ctx *ctx, struct knn_job *kj, struct cw_edges *out)
{
    int n = cw_parallel_workers(ctx, kj->t->n);
    for (int w = 0; w < n; w++)
        cw_edges_init(&kj->out[w]);
    int rc = cw_parallel_for(ctx, kj->t->n, knn_chunk, kj);
    if (rc == CW_OK)
        return merge_edges(kj->out, n, out);
    for (int w = 0; w < n; w++)
        cw_edges_release(&kj->out[w]);
    return rc;
}

int cw_knn_edges(struct cw_ctx *ctx, const struct cw_geod *g,
                 const struct cw_points *p, int k, struct cw_edges *out)
{
    struct cw_kd t = { 0 };
    struct knn_job kj = { ctx, g, &t, p, 0, { { 0 } } };
    int rc;

    out->n = 0;
    if (k < 1)
        return cw_ctx_error(ctx, CW_ERR_ARG, "k must be at least 1 (got %d)", k);
    if ((rc = cw_kd_check_points(ctx, p)) != CW_OK || p->n < 2)
        return rc;
    /* More neighbours than there are other points: all of them. */
    kj.k = (size_t)k < p->n - 1 ? (size_t)k : p->n - 1;
    if ((rc = cw_kd_build(&t, p)) == CW_OK && (rc = knn_all(ctx, &kj, out)) == CW_OK)
        cw_edges_normalise(out);
    cw_kd_release(&t);
    if (rc == CW_ERR_NOMEM)
        return cw_ctx_error(ctx, rc, "out of memory for %zu points", p->n);
    return rc;
}

/* Work shared by the within workers; each writes only out[w]. Point i's
 * query emits its pairs with the points j > i, sorted by j, and the
 * workers take contiguous ranges of points: merged in worker order, the
 * edges come out sorted, so millions of them need no sort afterwards. */
struct within {
    struct cw_ctx *ctx;
    const struct cw_geod *g;
    const struct cw_points *p;
    const struct cw_kd *t;
    double dist;
    int azimuths;
    struct cw_edges out[CW_MAX_THREADS];
};

struct within_query {
    const struct within *w;
    uint32_t i;
    struct cw_edges *out;
};

static int within_visit(void *arg, uint32_t j, double d2)
{
    struct within_query *q = arg;
    const struct cw_points *p = q->w->p;
    double d, azi = NAN;
    (void)d2;
    if (j <= q->i)
        return 0;
    /* The azimuth comes with the distance: millions of edges need no
     * second geodesic when they are written. */
    if (q->w->azimuths)
        d = cw_kd_dist_azi(q->w->g, p->lon[q->i], p->lat[q->i], p->lon[j], p->lat[j], &azi);
    else
        d = cw_kd_dist(q->w->g, p->lon[q->i], p->lat[q->i], p->lon[j], p->lat[j]);
    return d <= q->w->dist ? cw_edges_push_azi(q->out, q->i, j, d, azi) : 0;
}

static int within_chunk(size_t lo, size_t hi, int wk, void *arg)
{
    struct within *w = arg;
    /* The workers' lists lie side by side in one cache line: each grows
     * its own copy here and stores it back, or every push would bounce
     * that line between the processors. */
    struct cw_edges local = w->out[wk], *out = &local;
    struct within_query q = { w, 0, out };
    double r = cw_kd_chord_hi(w->g, w->dist);
    int rc = CW_OK;
    for (size_t i = lo; rc == CW_OK && i < hi; i++) {
        size_t first = out->n;
        q.i = (uint32_t)i;
        if (wk == 0)
            rc = report(w->ctx, i - lo, hi - lo, "within");
        if (rc == CW_OK)
            rc = cw_kd_radius(w->t, w->t->v[i], r, within_visit, &q);
        sort_by_b(out->e + first, out->n - first);
    }
    w->out[wk] = local;
    return rc;
}

static int within_all(struct cw_ctx *ctx, struct within *w, struct cw_edges *out)
{
    int n = cw_parallel_workers(ctx, w->t->n);
    for (int k = 0; k < n; k++)
        cw_edges_init(&w->out[k]);
    int rc = cw_parallel_for(ctx, w->t->n, within_chunk, w);
    if (rc == CW_OK)
        return merge_edges(w->out, n, out);
    for (int k = 0; k < n; k++)
        cw_edges_release(&w->out[k]);
    return rc;
}

int cw_within_edges(struct cw_ctx *ctx, const struct cw_geod *g,
                    const struct cw_points *p, double dist, int azimuths,
                    struct cw_edges *out)
{
    struct cw_kd t = { 0 };
    struct within w = { ctx, g, p, &t, dist, azimuths, { { 0 } } };
    int rc;

    out->n = 0;
    if (!(dist >= 0) || isinf(dist))
        return cw_ctx_error(ctx, CW_ERR_ARG, "distance must be a finite number >= 0 (got %g)",
                            dist);
    if ((rc = cw_kd_check_points(ctx, p)) != CW_OK)
        return rc;
    /* normalised as they are made (struct within): no pass over millions */
    if ((rc = cw_kd_build(&t, p)) == CW_OK)
        rc = within_all(ctx, &w, out);
    cw_kd_release(&t);
    if (rc == CW_ERR_NOMEM)
        return cw_ctx_error(ctx, rc, "out of memory for %zu points", p->n);
    return rc;
}

static int nearest_all(struct cw_ctx *ctx, struct knn_query *s,
                       const struct cw_points *p, uint32_t *out, double *dist)
{
    for (size_t i = 0; i < p->n; i++) {
        int rc = report(ctx, i, p->n, "nearest");
        if (rc == CW_OK)
            rc = knn_query_run(s, p->lon[i], p->lat[i], UINT32_MAX);
        if (rc != CW_OK)
            return rc;
        out[i] = s->best[0].id;
        if (dist)
            dist[i] = s->best[0].dist;
    }
    return CW_OK;
}

int cw_nearest(struct cw_ctx *ctx, const struct cw_geod *g,
               const struct cw_points *p, const struct cw_points *hubs,
               uint32_t *out, double *dist)
{
    struct cw_kd t = { 0 };
    struct knn_query s = { 0 };
    int rc;

    if (p->n == 0)
        return CW_OK;
    if (hubs->n == 0)
        return cw_ctx_error(ctx, CW_ERR_ARG, "no hubs to choose from");
    if ((rc = cw_kd_check_points(ctx, p)) != CW_OK ||
        (rc = cw_kd_check_points(ctx, hubs)) != CW_OK)
        return rc;
    if ((rc = cw_kd_build(&t, hubs)) == CW_OK &&
        (rc = knn_query_init(&s, g, &t, hubs, 1)) == CW_OK)
        rc = nearest_all(ctx, &s, p, out, dist);
    knn_query_release(&s);
    cw_kd_release(&t);
    if (rc == CW_ERR_NOMEM)
        return cw_ctx_error(ctx, rc, "out of memory for %zu hubs", hubs->n);
    return rc;
}
