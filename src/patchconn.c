/* patchconn.c: IIC, PC, EC and exact dPC over a patch graph (patchconn.h).
 * SPDX-License-Identifier: MIT
 *
 * One pass over the sources s: a BFS gives the hop counts for IIC, a
 * Dijkstra the distances for PC (p*_sj = exp(lnp * D_sj), lnp =
 * log(P)/dispersal). For dPC, the dominator tree of the shortest-path DAG
 * from s tells which distances each node k carries alone (its subtree),
 * and a Dijkstra confined to that subtree finds them without k. The
 * confined search works on preorder positions, so "inside k's subtree" is
 * one range test. The confined searches of one source are independent and
 * share the source's tree read-only, so they run on the context's
 * threads, each writing only its own nodes' losses; the sums over sources
 * stay in the calling thread, in source order.
 */
#include <math.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "cityweave/patchconn.h"
#include "parallel.h"

#define NONE UINT32_MAX
/* Sources between two progress reports. */
#define PROGRESS_EVERY 256

struct arc { uint32_t v; double w; };

/* Compressed rows, each sorted by (neighbour, distance), parallel arcs
 * merged into the shortest: the same graph whatever the link order. */
struct graph {
    size_t *off;      /* n + 1 */
    struct arc *arc;
};

/* An indexed binary min-heap of ids (nodes, or preorder positions) whose
 * keys live in the caller's distance array; where[id] is the id's slot,
 * NONE outside. Ordered by (key, id), so equal distances pop in a fixed
 * order; decrease-key instead of duplicate entries keeps it at one entry
 * per id. */
struct heap {
    uint32_t *id, *where;
    size_t n;
    const double *key;
};

/* A worker's scratch for confined searches, by preorder position. */
struct scratch {
    double *nd;            /* distances without k */
    struct heap h;         /* where[] is NONE for every id between searches */
};

/* Per-source state; node-indexed unless said otherwise. The dominator
 * tree and distances are shared, read-only, by the workers of the
 * confined searches, each writing only its nodes' loss[]. */
struct work {
    double *dist, *q;      /* distance from s, p*_s. */
    uint32_t *ord, *idx;   /* pop order; each node's place in it (NONE) */
    uint32_t *hop, *queue; /* BFS hop counts (NONE), BFS order */
    uint32_t *idom, *sz, *pre, *nxt;  /* dominator tree, preorder */
    uint32_t *at;          /* node at each preorder position */
    uint32_t *clo, *chi;   /* min/max neighbour position below each node */
    double *below;         /* sum of a_j p*_sj below each node */
    double *loss;          /* what each node carries alone, for this s */
    uint32_t *inner;       /* the nodes with a subtree, in pop order */
    struct heap h;         /* Dijkstra's; where[] NONE between searches */
    struct scratch sc[CW_MAX_THREADS];
    int nsc;
};

/* What the pass over the sources accumulates. */
struct sums {
    double iic, pc;
    double *flux, *conn;   /* per patch, unscaled (want_dpc only) */
};

/* --- input --------------------------------------------------------- */

static int check_opts(struct cw_ctx *ctx, size_t n, double landscape,
                      const struct cw_conn_opts *o)
{
    if (!o)
        return cw_ctx_error(ctx, CW_ERR_ARG, "patch connectivity: no options");
    if (!(o->dispersal_m > 0 && o->dispersal_m < INFINITY))
        return cw_ctx_error(ctx, CW_ERR_ARG, "dispersal distance %g m must "
                            "be positive and finite", o->dispersal_m);
    if (!(o->p_at_dispersal > 0 && o->p_at_dispersal <= 1))
        return cw_ctx_error(ctx, CW_ERR_ARG, "probability at the dispersal "
                            "distance %g must be in (0, 1]", o->p_at_dispersal);
    if (n > UINT32_MAX)
        return cw_ctx_error(ctx, CW_ERR_ARG, "%zu patches: at most %u", n,
                            (unsigned)UINT32_MAX);
    if (!(landscape > 0 && landscape < INFINITY))
        return cw_ctx_error(ctx, CW_ERR_DATA, "landscape area %g m2 must be "
                            "positive and finite", landscape);
    return CW_OK;
}

static int check_data(struct cw_ctx *ctx, size_t n, const double *area,
                      size_t nlinks, const struct cw_edge *links,
                      double dispersal)
{
    if ((n && !area) || (nlinks && !links))
        return cw_ctx_error(ctx, CW_ERR_ARG, "patch connectivity: NULL areas "
                            "or links");
    for (size_t i = 0; i < n; i++)
        if (!(area[i] >= 0 && area[i] < INFINITY))
            return cw_ctx_error(ctx, CW_ERR_DATA, "patch %zu: area %g m2 must "
                                "be finite and >= 0", i, area[i]);
    for (size_t i = 0; i < nlinks; i++) {
        const struct cw_edge *e = &links[i];
        unsigned a = e->a, b = e->b;
        if (e->a >= n || e->b >= n)
            return cw_ctx_error(ctx, CW_ERR_DATA, "link %zu (%u, %u): patch "
                                "index out of range (%zu patches)", i, a, b, n);
        if (e->a == e->b)
            return cw_ctx_error(ctx, CW_ERR_DATA, "link %zu (%u, %u): a link "
                                "must join two different patches", i, a, b);
        if (!(e->dist >= 0 && e->dist < INFINITY))
            return cw_ctx_error(ctx, CW_ERR_DATA, "link %zu (%u, %u): distance"
                                " %g m must be finite and >= 0", i, a, b,
                                e->dist);
        if (e->dist > dispersal)
            return cw_ctx_error(ctx, CW_ERR_DATA, "link %zu (%u, %u): distance"
                                " %g m exceeds the dispersal distance %g m", i,
                                a, b, e->dist, dispersal);
    }
    return CW_OK;
}

/* --- graph --------------------------------------------------------- */

static int arc_cmp(const void *x, const void *y)
{
    const struct arc *a = x, *b = y;
    if (a->v != b->v)
        return a->v < b->v ? -1 : 1;
    return (a->w > b->w) - (a->w < b->w);
}

/* Sorts each row and keeps the shortest of parallel arcs, compacting. */
static void canonical_rows(struct graph *g, size_t n)
{
    size_t out = 0;
    for (size_t u = 0; u < n; u++) {
        size_t lo = g->off[u], hi = g->off[u + 1];
        qsort(g->arc + lo, hi - lo, sizeof *g->arc, arc_cmp);
        g->off[u] = out;
        for (size_t i = lo; i < hi; i++)
            if (i == lo || g->arc[i].v != g->arc[i - 1].v)
                g->arc[out++] = g->arc[i];
    }
    g->off[n] = out;
}

static int graph_build(struct graph *g, size_t n, size_t nlinks,
                       const struct cw_edge *links)
{
    g->off = calloc(n + 2, sizeof *g->off);
    g->arc = malloc((2 * nlinks + 1) * sizeof *g->arc);
    if (!g->off || !g->arc)
        return CW_ERR_NOMEM;
    for (size_t i = 0; i < nlinks; i++) {
        g->off[links[i].a + 2]++;
        g->off[links[i].b + 2]++;
    }
    for (size_t u = 2; u < n + 2; u++)
        g->off[u] += g->off[u - 1];
    /* off[u + 1] is now row u's start and serves as its fill cursor; after
     * the fill it is row u's end, i.e. off[u + 1] as it should be. */
    for (size_t i = 0; i < nlinks; i++) {
        const struct cw_edge *e = &links[i];
        g->arc[g->off[e->a + 1]++] = (struct arc){ e->b, e->dist };
        g->arc[g->off[e->b + 1]++] = (struct arc){ e->a, e->dist };
    }
    canonical_rows(g, n);
    return CW_OK;
}

static void graph_release(struct graph *g)
{
    free(g->off);
    free(g->arc);
}

/* --- heap ---------------------------------------------------------- */

static int before(const struct heap *h, uint32_t a, uint32_t b)
{
    return h->key[a] < h->key[b] || (h->key[a] == h->key[b] && a < b);
}

static void heap_put(struct heap *h, size_t i, uint32_t x)
{
    h->id[i] = x;
    h->where[x] = (uint32_t)i;
}

static void sift_up(struct heap *h, size_t i)
{
    uint32_t x = h->id[i];
    for (; i > 0 && before(h, x, h->id[(i - 1) / 2]); i = (i - 1) / 2)
        heap_put(h, i, h->id[(i - 1) / 2]);
    heap_put(h, i, x);
}

static void sift_down(struct heap *h, size_t i)
{
    uint32_t x = h->id[i];
    size_t c;
    while ((c = 2 * i + 1) < h->n) {
        if (c + 1 < h->n && before(h, h->id[c + 1], h->id[c]))
            c++;
        if (!before(h, h->id[c], x))
            break;
        heap_put(h, i, h->id[c]);
        i = c;
    }
    heap_put(h, i, x);
}

/* Appends @p x without ordering (heap_order() follows). */
static void heap_append(struct heap *h, uint32_t x)
{
    heap_put(h, h->n++, x);
}

static void heap_order(struct heap *h)
{
    for (size_t i = h->n / 2; i-- > 0;)
        sift_down(h, i);
}

/* Inserts @p x, or moves it up after its key decreased. */
static void heap_update(struct heap *h, uint32_t x)
{
    if (h->where[x] == NONE)
        heap_append(h, x);
    sift_up(h, h->where[x]);
}

static uint32_t heap_pop(struct heap *h)
{
    uint32_t top = h->id[0];
    h->where[top] = NONE;
    if (--h->n) {
        heap_put(h, 0, h->id[h->n]);
        sift_down(h, 0);
    }
    return top;
}

/* --- scratch ------------------------------------------------------- */

static void work_release(struct work *w)
{
    double *d[] = { w->dist, w->q, w->below, w->loss };
    uint32_t *u[] = { w->ord, w->idx, w->hop, w->queue, w->idom, w->sz,
                      w->pre, w->nxt, w->at, w->clo, w->chi, w->inner,
                      w->h.id, w->h.where };
    for (size_t i = 0; i < sizeof d / sizeof d[0]; i++)
        free(d[i]);
    for (size_t i = 0; i < sizeof u / sizeof u[0]; i++)
        free(u[i]);
    for (int i = 0; i < w->nsc; i++) {
        free(w->sc[i].nd);
        free(w->sc[i].h.id);
        free(w->sc[i].h.where);
    }
}

static int heap_alloc(struct heap *h, size_t n)
{
    h->id = malloc(n * sizeof *h->id);
    h->where = malloc(n * sizeof *h->where);
    if (!h->id || !h->where)
        return CW_ERR_NOMEM;
    for (size_t v = 0; v < n; v++)
        h->where[v] = NONE;
    return CW_OK;
}

/* Every node starts unreached: dist INFINITY, idx and hop NONE; one
 * scratch per worker of the confined searches when @p nsc > 0. */
static int work_alloc(struct work *w, size_t n, int nsc)
{
    double **d[] = { &w->dist, &w->q, &w->below, &w->loss };
    uint32_t **u[] = { &w->ord, &w->idx, &w->hop, &w->queue, &w->idom,
                       &w->sz, &w->pre, &w->nxt, &w->at, &w->clo, &w->chi,
                       &w->inner };
    int ok = heap_alloc(&w->h, n) == CW_OK;
    for (size_t i = 0; i < sizeof d / sizeof d[0]; i++)
        ok &= (*d[i] = malloc(n * sizeof(double))) != NULL;
    for (size_t i = 0; i < sizeof u / sizeof u[0]; i++)
        ok &= (*u[i] = malloc(n * sizeof(uint32_t))) != NULL;
    for (w->nsc = 0; ok && w->nsc < nsc; w->nsc++) {
        struct scratch *c = &w->sc[w->nsc];
        ok &= heap_alloc(&c->h, n) == CW_OK;
        ok &= (c->nd = malloc(n * sizeof(double))) != NULL;
        c->h.key = c->nd;
    }
    if (!ok)
        return CW_ERR_NOMEM;
    for (size_t v = 0; v < n; v++) {
        w->dist[v] = INFINITY;
        w->idx[v] = w->hop[v] = NONE;
    }
    w->h.key = w->dist;
    return CW_OK;
}

/* --- IIC and PC from one source ------------------------------------ */

/* Hop counts from s. @return sum over reached j != s of a_j / (1 + nl). */
static double bfs_row(struct work *w, const struct graph *g,
                      const double *area, uint32_t s)
{
    size_t head = 0, tail = 0;
    double row = 0;
    w->hop[s] = 0;
    w->queue[tail++] = s;
    while (head < tail) {
        uint32_t u = w->queue[head++];
        if (u != s)
            row += area[u] / (1.0 + w->hop[u]);
        for (size_t i = g->off[u]; i < g->off[u + 1]; i++)
            if (w->hop[g->arc[i].v] == NONE) {
                w->hop[g->arc[i].v] = w->hop[u] + 1;
                w->queue[tail++] = g->arc[i].v;
            }
    }
    for (size_t i = 0; i < tail; i++)
        w->hop[w->queue[i]] = NONE;
    return row;
}

/* Shortest distances from s; fills ord (pop order) and idx.
 * @return the number of nodes reached (s included). */
static size_t dijkstra(struct work *w, const struct graph *g, uint32_t s)
{
    size_t r = 0;
    w->dist[s] = 0;
    heap_update(&w->h, s);
    while (w->h.n) {
        uint32_t u = heap_pop(&w->h);
        w->idx[u] = (uint32_t)r;
        w->ord[r++] = u;
        for (size_t i = g->off[u]; i < g->off[u + 1]; i++) {
            const struct arc *a = &g->arc[i];
            double d = w->dist[u] + a->w;
            if (d < w->dist[a->v]) {  /* never true once a->v has popped */
                w->dist[a->v] = d;
                heap_update(&w->h, a->v);
            }
        }
    }
    return r;
}

static void dijkstra_reset(struct work *w, size_t r)
{
    for (size_t i = 0; i < r; i++) {
        w->dist[w->ord[i]] = INFINITY;
        w->idx[w->ord[i]] = NONE;
    }
}

/* --- dPC connector part from one source ---------------------------- */

/* Nearest common dominator of a and b (Cooper, Harvey and Kennedy 2001):
 * dominators pop before the nodes they dominate. */
static uint32_t intersect(const struct work *w, uint32_t a, uint32_t b)
{
    while (a != b) {
        while (w->idx[a] > w->idx[b])
            a = w->idom[a];
        while (w->idx[b] > w->idx[a])
            b = w->idom[b];
    }
    return a;
}

/* The dominator tree of the shortest-path DAG from ord[0], whose arcs
 * u -> v join a node popped earlier with dist[u] + w == dist[v] (the
 * relaxation that set dist[v] computed exactly that sum). In pop order
 * every predecessor's dominator is final, so one pass suffices. Arcs of
 * length 0 between nodes at equal distance count in pop order only; the
 * tree may then claim a dominance that another 0-length arc avoids, which
 * costs a search that finds the same distances (loss 0), never a wrong
 * value. */
static void dominators(struct work *w, const struct graph *g, size_t r)
{
    w->idom[w->ord[0]] = w->ord[0];
    for (size_t i = 1; i < r; i++) {
        uint32_t v = w->ord[i], d = NONE;
        for (size_t j = g->off[v]; j < g->off[v + 1]; j++) {
            uint32_t u = g->arc[j].v;
            if (w->idx[u] < i && w->dist[u] + g->arc[j].w == w->dist[v])
                d = d == NONE ? u : intersect(w, d, u);
        }
        w->idom[v] = d;
    }
}

/* Subtree sizes, preorder positions (each subtree is the range
 * [pre, pre + sz)), and below each node: the extreme positions of the
 * neighbours of its descendants, and the sum of their a_j p*_sj. */
static void tree_layout(struct work *w, const struct graph *g,
                        const double *area, size_t r)
{
    for (size_t i = 0; i < r; i++) {
        uint32_t v = w->ord[i];
        w->sz[v] = 1;
        w->clo[v] = NONE;
        w->chi[v] = 0;
        w->below[v] = 0;
    }
    for (size_t i = r - 1; i > 0; i--)
        w->sz[w->idom[w->ord[i]]] += w->sz[w->ord[i]];
    w->pre[w->ord[0]] = 0;
    w->nxt[w->ord[0]] = 1;
    w->at[0] = w->ord[0];
    for (size_t i = 1; i < r; i++) {
        uint32_t v = w->ord[i], p = w->idom[v];
        w->pre[v] = w->nxt[p];
        w->nxt[p] += w->sz[v];
        w->nxt[v] = w->pre[v] + 1;
        w->at[w->pre[v]] = v;
    }
    for (size_t i = r - 1; i > 0; i--) {
        uint32_t v = w->ord[i], p = w->idom[v], lo = w->clo[v], hi = w->chi[v];
        for (size_t j = g->off[v]; j < g->off[v + 1]; j++) {
            uint32_t pos = w->pre[g->arc[j].v];
            lo = pos < lo ? pos : lo;
            hi = pos > hi ? pos : hi;
        }
        w->clo[p] = lo < w->clo[p] ? lo : w->clo[p];
        w->chi[p] = hi > w->chi[p] ? hi : w->chi[p];
        w->below[p] += area[v] * w->q[v] + w->below[v];
    }
}

/* Distances from s without k to the nodes of k's subtree (positions
 * [b, e)): a Dijkstra inside the subtree, seeded from the neighbours
 * outside it, whose distances do not depend on k. A best path leaves the
 * outside for the last time by one of those arcs, so this is exact.
 * @return sum over the subtree of a_j (p*_sj - p*_sj without k). */
static double confined_loss(struct scratch *c, const struct work *w,
                            const struct graph *g, const double *area,
                            uint32_t k, double lnp)
{
    uint32_t b = w->pre[k] + 1, e = w->pre[k] + w->sz[k];
    double loss = 0;
    for (uint32_t p = b; p < e; p++) {
        uint32_t t = w->at[p];
        double best = INFINITY;
        for (size_t j = g->off[t]; j < g->off[t + 1]; j++) {
            uint32_t pos = w->pre[g->arc[j].v];
            double d = w->dist[g->arc[j].v] + g->arc[j].w;
            if ((pos < b - 1 || pos >= e) && d < best)
                best = d;
        }
        c->nd[p] = best;
        if (best < INFINITY)
            heap_append(&c->h, p);
    }
    heap_order(&c->h);
    while (c->h.n) {
        uint32_t x = heap_pop(&c->h), t = w->at[x];
        for (size_t j = g->off[t]; j < g->off[t + 1]; j++) {
            uint32_t pos = w->pre[g->arc[j].v];
            double d = c->nd[x] + g->arc[j].w;
            if (pos >= b && pos < e && d < c->nd[pos]) {  /* not if popped */
                c->nd[pos] = d;
                heap_update(&c->h, pos);
            }
        }
    }
    /* 1 - p'/p = -expm1(lnp (D' - D)) keeps small detours precise. */
    for (uint32_t p = b; p < e; p++) {
        uint32_t t = w->at[p];
        double f = c->nd[p] < INFINITY ? -expm1(lnp * (c->nd[p] - w->dist[t]))
                                       : 1;
        loss += area[t] * w->q[t] * f;
    }
    return loss;
}

struct confined_job {
    struct work *w;
    const struct graph *g;
    const double *area;
    double lnp;
    size_t n, stride;
};

/* loss[] of inner nodes [lo, hi), taken with a stride: cw_parallel_for()
 * hands out contiguous ranges, and the nodes near s, whose subtrees are
 * the largest, come first in pop order. */
static int confined_chunk(size_t lo, size_t hi, int wk, void *arg)
{
    struct confined_job *j = arg;
    struct work *w = j->w;
    for (size_t i = lo; i < hi; i++) {
        uint32_t k = w->inner[i * j->stride % j->n];
        /* A subtree whose nodes have no neighbour outside it but k is cut
         * off whole: every pair through k is lost. */
        int sealed = w->clo[k] >= w->pre[k] &&
                     w->chi[k] < w->pre[k] + w->sz[k];
        w->loss[k] = sealed ? w->below[k]
                            : confined_loss(&w->sc[wk], w, j->g, j->area, k,
                                            j->lnp);
    }
    return CW_OK;
}

/* Adds a_s times what each node carries alone from s to conn[]. */
static int connector_row(struct cw_ctx *ctx, struct work *w,
                         const struct graph *g, const double *area, size_t r,
                         double lnp, double *conn)
{
    uint32_t s = w->ord[0];
    struct confined_job job = { w, g, area, lnp, 0, 0 };
    int rc;
    dominators(w, g, r);
    tree_layout(w, g, area, r);
    for (size_t i = 1; i < r; i++)
        if (w->sz[w->ord[i]] > 1)
            w->inner[job.n++] = w->ord[i];
    /* Two primes: a stride coprime with n visits every inner node once
     * (n < 7919 * 7907 under any dPC limit that finishes). */
    job.stride = job.n % 7919 ? 7919 : 7907;
    if (job.n && (rc = cw_parallel_for(ctx, job.n, confined_chunk, &job)))
        return rc;
    for (size_t i = 0; i < job.n; i++)
        conn[w->inner[i]] += area[s] * w->loss[w->inner[i]];
    return CW_OK;
}

/* --- the pass over the sources ------------------------------------- */

static int source_pass(struct cw_ctx *ctx, const struct graph *g, size_t n,
                       const double *area, double lnp, size_t dpc_max,
                       struct work *w, struct sums *sum)
{
    for (size_t s = 0; s < n; s++) {
        double iic_row, pc_row = 0;
        size_t r;
        int rc = CW_OK;
        if (s % PROGRESS_EVERY == 0 &&
            (rc = cw_ctx_progress(ctx, (double)s / n, "patch connectivity")))
            return rc;
        iic_row = bfs_row(w, g, area, (uint32_t)s);
        r = dijkstra(w, g, (uint32_t)s);
        for (size_t i = 1; i < r; i++) {
            uint32_t v = w->ord[i];
            w->q[v] = exp(lnp * w->dist[v]);
            pc_row += area[v] * w->q[v];
        }
        w->q[s] = 1;
        sum->iic += area[s] * (area[s] + iic_row);
        sum->pc += area[s] * (area[s] + pc_row);
        if (sum->flux) {
            sum->flux[s] = 2 * area[s] * pc_row;
            if (r > dpc_max)
                rc = cw_ctx_error(ctx, CW_ERR_ARG, "dPC: a connected component"
                                  " of %zu patches is above the limit of %zu "
                                  "(dpc_max_patches)", r, dpc_max);
            else if (r > 2)
                rc = connector_row(ctx, w, g, area, r, lnp, sum->conn);
        }
        dijkstra_reset(w, r);
        if (rc)
            return rc;
    }
    return cw_ctx_progress(ctx, 1, "patch connectivity");
}

/* --- the call ------------------------------------------------------ */

void cw_conn_release(struct cw_conn *c)
{
    if (!c)
        return;
    free(c->dpc);
    free(c->dpc_intra);
    free(c->dpc_flux);
    free(c->dpc_connector);
    memset(c, 0, sizeof *c);
}

static int alloc_dpc(struct cw_conn *c, size_t n)
{
    c->dpc = calloc(n, sizeof(double));
    c->dpc_intra = calloc(n, sizeof(double));
    c->dpc_flux = calloc(n, sizeof(double));
    c->dpc_connector = calloc(n, sizeof(double));
    return c->dpc && c->dpc_intra && c->dpc_flux && c->dpc_connector
           ? CW_OK : CW_ERR_NOMEM;
}

/* Scales the sums into the indices; the parts of dPC as percent of S. */
static void finish(struct cw_conn *c, const double *area, const struct sums *sum,
                   double landscape)
{
    c->iic = sum->iic / landscape / landscape;
    c->pc = sum->pc / landscape / landscape;
    c->ec = sqrt(sum->pc);
    if (!c->dpc || sum->pc == 0)
        return;
    for (size_t k = 0; k < c->n; k++) {
        c->dpc_intra[k] = 100 * area[k] * area[k] / sum->pc;
        c->dpc_flux[k] = 100 * sum->flux[k] / sum->pc;
        c->dpc_connector[k] = 100 * sum->conn[k] / sum->pc;
        c->dpc[k] = c->dpc_intra[k] + c->dpc_flux[k] + c->dpc_connector[k];
    }
}

int cw_patch_connectivity(struct cw_ctx *ctx, size_t n, const double *area_m2,
                          size_t nlinks, const struct cw_edge *links,
                          double landscape_m2, const struct cw_conn_opts *opts,
                          struct cw_conn *out)
{
    struct graph g = { NULL, NULL };
    struct work w;
    struct sums sum = { 0, 0, NULL, NULL };
    int rc;
    memset(out, 0, sizeof *out);
    memset(&w, 0, sizeof w);
    if ((rc = check_opts(ctx, n, landscape_m2, opts)) ||
        (rc = check_data(ctx, n, area_m2, nlinks, links, opts->dispersal_m)))
        return rc;
    out->n = n;
    if (n == 0)
        return CW_OK;
    if (opts->want_dpc) {
        sum.flux = calloc(n, sizeof(double));
        sum.conn = calloc(n, sizeof(double));
        if (!sum.flux || !sum.conn || alloc_dpc(out, n))
            rc = CW_ERR_NOMEM;
    }
    if (!rc && !(rc = graph_build(&g, n, nlinks, links)) &&
        !(rc = work_alloc(&w, n, opts->want_dpc ? cw_parallel_workers(ctx, n)
                                                : 0)))
        rc = source_pass(ctx, &g, n, area_m2,
                         log(opts->p_at_dispersal) / opts->dispersal_m,
                         opts->dpc_max_patches ? opts->dpc_max_patches
                                               : CW_CONN_DPC_MAX_DEFAULT,
                         &w, &sum);
    if (rc == CW_OK)
        finish(out, area_m2, &sum, landscape_m2);
    else if (rc == CW_ERR_NOMEM)
        cw_ctx_error(ctx, rc, "out of memory for %zu patches and %zu links", n,
                     nlinks);
    work_release(&w);
    graph_release(&g);
    free(sum.flux);
    free(sum.conn);
    if (rc != CW_OK)
        cw_conn_release(out);
    return rc;
}
