/* costdist.c: accumulated cost distance on a friction grid, by Dijkstra's
 * algorithm over the 8- or 16-neighbour grid graph, with a bucket queue.
 * SPDX-License-Identifier: MIT
 *
 * The search carries a label (cost, origin) per cell and orders labels by
 * cost, then origin. Every relaxation that improves a label pushes the cell
 * again (lazy deletion: superseded queue entries are skipped when popped),
 * and an equal cost from a lower origin counts as an improvement even for
 * a cell already expanded. Each cell therefore ends with the least cost
 * and, of the sources reaching it at exactly that cost, the first one
 * listed, whatever order the queue returns equal costs in; with
 * zero-friction cells (moves of cost 0) that order would otherwise decide.
 *
 * On a 4,800 x 4,800 grid the search takes 3 to 4 s on one core, most of
 * it waiting for memory: the cells of the front are spread over the whole
 * grid. Interleaving cost, origin and friction per cell, prefetching, and
 * other orders within a band were tried and gained nothing measurable.
 */
#include <geodesic.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "cityweave/costdist.h"

/* The moves, as (row, col) offsets: 4 rook, 4 bishop, then 8 knight. A
 * knight's segment from the centre of (0,0) to that of (2,1) crosses (0,0),
 * (1,0), (1,1) and (2,1) for a quarter of its length each; p1 and p2 are
 * the two middle cells. Rook and bishop moves cross only their end cells
 * (a bishop's passes exactly through the shared corner). */
struct move {
    int dr, dc, p1r, p1c, p2r, p2c;
};
static const struct move moves[16] = {
    { 0, -1, 0, 0, 0, 0 },     { 0, 1, 0, 0, 0, 0 },
    { -1, 0, 0, 0, 0, 0 },     { 1, 0, 0, 0, 0, 0 },
    { -1, -1, 0, 0, 0, 0 },    { -1, 1, 0, 0, 0, 0 },
    { 1, -1, 0, 0, 0, 0 },     { 1, 1, 0, 0, 0, 0 },
    { -2, -1, -1, 0, -1, -1 }, { -2, 1, -1, 0, -1, 1 },
    { 2, -1, 1, 0, 1, -1 },    { 2, 1, 1, 0, 1, 1 },
    { -1, -2, 0, -1, -1, -1 }, { 1, -2, 0, -1, 1, -1 },
    { -1, 2, 0, 1, -1, 1 },    { 1, 2, 0, 1, 1, 1 },
};
#define NPLAIN 8   /* moves[0..7] cross 2 cells, the others 4 */

/* ---- the queue --------------------------------------------------------
 * Dijkstra needs the cheapest cell first. Here a ring of bands of width d
 * (Dial's buckets, as in Dinitz 1978 and Thorup 2000) holds the cells:
 * band k those of cost in [k d, (k + 1) d). Every move costs between wmin
 * and wmax (survey() and init_queue() find both), so a cell expanded from
 * band k lands in band k + 1 .. k + wmax/d + 1, and a ring of wmax/d + 3
 * bands never wraps onto a band still in use.
 *
 * With d = wmin / 2, a cell expanded from band k lands two bands on: no
 * cell of band k can improve another of band k, so a band's cells are
 * final and go in any order, with O(1) per push and pop. When wmin is 0
 * (zero friction) or so small that this would need more than MAX_BANDS
 * bands, d = wmax / MAX_BANDS instead and the current band is kept as a
 * binary heap; bands are then small and the heap cheap.
 *
 * The queue is lazy: a cell whose label improves is pushed again and the
 * superseded entry skipped when it comes out. */
#define MAX_BANDS 4096

struct item {
    double cost;
    uint32_t cell;
    int32_t origin;
};
struct bucket {
    struct item *v;
    size_t n, cap;
};
struct queue {
    struct bucket *band;     /* mask + 1 bands, a power of two */
    size_t mask, cur;        /* cur: absolute number of the current band */
    size_t queued;
    double inv_width;        /* 1 / d */
    int ordered;             /* the current band is a heap */
};

/* The slow path of bucket_add(), kept out of line. */
static __attribute__((noinline)) int bucket_grow(struct bucket *b)
{
    size_t cap = b->cap ? 2 * b->cap : 256;
    struct item *v = realloc(b->v, cap * sizeof *v);
    if (!v)
        return -1;
    b->v = v;
    b->cap = cap;
    return 0;
}

static inline int bucket_add(struct bucket *b, struct item it)
{
    if (b->n == b->cap && bucket_grow(b))
        return -1;
    b->v[b->n++] = it;
    return 0;
}

/* @return 0, or -1 out of memory. */
static int queue_init(struct queue *q, double wmin, double wmax)
{
    double width = wmin / 2;
    size_t nband = 1;
    memset(q, 0, sizeof *q);
    if (!(width >= wmax / MAX_BANDS && width > 0)) {
        width = wmax > 0 ? wmax / MAX_BANDS : 1;   /* 1: every move is free */
        q->ordered = 1;
    }
    while (nband < wmax / width + 3)
        nband *= 2;              /* a mask, not a division, finds the band */
    q->mask = nband - 1;
    q->inv_width = 1 / width;
    q->band = calloc(nband, sizeof *q->band);
    return q->band ? 0 : -1;
}

static void heap_up(struct item *h, size_t i)
{
    struct item it = h[i];
    while (i > 0 && h[(i - 1) / 2].cost > it.cost) {
        h[i] = h[(i - 1) / 2];
        i = (i - 1) / 2;
    }
    h[i] = it;
}

static void heap_down(struct item *h, size_t n, size_t i)
{
    struct item it = h[i];
    size_t c;
    while ((c = 2 * i + 1) < n) {
        if (c + 1 < n && h[c + 1].cost < h[c].cost)
            c++;
        if (!(h[c].cost < it.cost))
            break;
        h[i] = h[c];
        i = c;
    }
    h[i] = it;
}

static inline int queue_push(struct queue *q, double cost, uint32_t cell, int32_t origin)
{
    struct item it = { cost, cell, origin };
    size_t k = (size_t)(cost * q->inv_width);   /* >= cur: costs only grow */
    struct bucket *b = &q->band[k & q->mask];
    if (bucket_add(b, it))
        return -1;
    if (q->ordered && k == q->cur)
        heap_up(b->v, b->n - 1);
    q->queued++;
    return 0;
}

/* @return 1 with the next item in @p out, 0 when the queue is empty. */
static inline int queue_pop(struct queue *q, struct item *out)
{
    struct bucket *b = &q->band[q->cur & q->mask];
    if (q->queued == 0)
        return 0;
    while (b->n == 0) {
        b = &q->band[++q->cur & q->mask];
        for (size_t i = b->n / 2; q->ordered && i-- > 0;)
            heap_down(b->v, b->n, i);          /* heapify the new band */
    }
    q->queued--;
    if (!q->ordered) {
        *out = b->v[--b->n];
        return 1;
    }
    *out = b->v[0];
    b->v[0] = b->v[--b->n];
    heap_down(b->v, b->n, 0);
    return 1;
}

static void queue_release(struct queue *q)
{
    for (size_t i = 0; q->band && i <= q->mask; i++)
        free(q->band[i].v);
    free(q->band);
}

/* ---- step lengths ---------------------------------------------------- */

/* The factor a move's summed friction is multiplied by: its length over
 * the number of cells it crosses (2 or 4), each crossed for that share. */
static double share(int m, double length)
{
    return length / (m < NPLAIN ? 2.0 : 4.0);
}

static double row_lat(const struct cw_grid *g, int row)
{
    return g->gt[3] + (row + 0.5) * g->gt[5];
}

/* One row of factors for a projected grid, the same everywhere. */
static double *factors_projected(const struct cw_grid *g, int nmoves)
{
    double *fac = malloc(nmoves * sizeof *fac);
    if (!fac)
        return NULL;
    for (int m = 0; m < nmoves; m++)
        fac[m] = share(m, hypot(moves[m].dc * g->gt[1], moves[m].dr * g->gt[5]));
    return fac;
}

/* ny rows of factors for a lon/lat grid: the geodesic between two cell
 * centres depends only on their latitudes and longitude difference, so
 * one table per row keeps the trigonometry out of the search (16 WGS84
 * inverse problems per row, about 1 us each). Moves off the grid: NaN. */
static double *factors_geodesic(const struct cw_grid *g, int nmoves)
{
    struct geod_geodesic wgs84;
    double *fac = malloc((size_t)g->ny * nmoves * sizeof *fac);
    if (!fac)
        return NULL;
    geod_init(&wgs84, 6378137.0, 1 / 298.257223563);
    for (int row = 0; row < g->ny; row++)
        for (int m = 0; m < nmoves; m++) {
            int to = row + moves[m].dr;
            double s = NAN;
            if (to >= 0 && to < g->ny)
                geod_inverse(&wgs84, row_lat(g, row), 0, row_lat(g, to),
                             moves[m].dc * g->gt[1], &s, NULL, NULL);
            fac[(size_t)row * nmoves + m] = share(m, s);
        }
    return fac;
}

/* ---- the search ------------------------------------------------------ */

struct search {
    const float *f;
    double *cost;
    int32_t *origin;
    int nx, ny, nmoves, border;      /* border: cells within reach of the edge */
    ptrdiff_t delta[16], p1[16], p2[16];
    double *fac;                     /* step factors, see share() */
    size_t fac_stride;               /* 0 on a projected grid */
    struct queue queue;
};

static int passable(float f)
{
    return f >= 0 && f < INFINITY;   /* false for NaN */
}

/* Offers cell v the label (c, o); pushes it when that is better. */
static inline int offer(struct search *s, uint32_t v, double c, int32_t o)
{
    if (c < s->cost[v] || (c == s->cost[v] && o < s->origin[v])) {
        s->cost[v] = c;
        s->origin[v] = o;
        return queue_push(&s->queue, c, v, o);
    }
    return 0;
}

/* Relaxes every move out of cell u. Moves into a cell with NaN or negative
 * friction are skipped (the comparisons are false for NaN); infinite
 * friction gives an infinite cost, which offer() never takes. */
static int expand(struct search *s, uint32_t u)
{
    int row = (int)(u / (uint32_t)s->nx), col = (int)(u % (uint32_t)s->nx);
    int inner = row >= s->border && row < s->ny - s->border &&
                col >= s->border && col < s->nx - s->border;
    const double *fac = s->fac + (size_t)row * s->fac_stride;
    const float *f = s->f;
    double fu = f[u], cu = s->cost[u];
    int32_t ou = s->origin[u];
    for (int m = 0; m < s->nmoves; m++) {
        if (!inner) {
            int r = row + moves[m].dr, c = col + moves[m].dc;
            if (r < 0 || r >= s->ny || c < 0 || c >= s->nx)
                continue;
        }
        uint32_t v = (uint32_t)(u + s->delta[m]);
        if (!(f[v] >= 0))
            continue;
        double sum = fu + f[v];
        if (m >= NPLAIN) {
            float a = f[u + s->p1[m]], b = f[u + s->p2[m]];
            if (!(a >= 0 && b >= 0))
                continue;                /* a knight never jumps a wall */
            sum += (double)a + b;
        }
        if (offer(s, v, cu + sum * fac[m], ou))
            return CW_ERR_NOMEM;
    }
    return CW_OK;
}

/* Pops until the queue is empty, expanding each cell whose entry is
 * current, with progress about every 2% of the passable cells. */
static int run(struct cw_ctx *ctx, struct search *s, size_t npassable)
{
    size_t step = npassable / 50 + 1, next = step, expanded = 0;
    struct item it;
    while (queue_pop(&s->queue, &it)) {
        uint32_t u = it.cell;
        if (it.cost != s->cost[u] || it.origin != s->origin[u])
            continue;                    /* superseded by a better label */
        if (expand(s, u))
            return cw_ctx_error(ctx, CW_ERR_NOMEM, "cost distance: out of memory");
        if (++expanded == next) {
            next += step;
            double done = (double)expanded / (double)npassable;
            if (cw_ctx_progress(ctx, done < 1 ? done : 1, "cost distance"))
                return CW_ERR_ARG;
        }
    }
    return cw_ctx_progress(ctx, 1.0, "cost distance");
}

/* ---- checks and set-up ----------------------------------------------- */

static int check_grid(struct cw_ctx *ctx, const struct cw_grid *g)
{
    if (!g || g->nx < 1 || g->ny < 1)
        return cw_ctx_error(ctx, CW_ERR_ARG, "cost distance: empty grid");
    if ((uint64_t)g->nx * (uint64_t)g->ny > UINT32_MAX)
        return cw_ctx_error(ctx, CW_ERR_ARG, "cost distance: %d x %d grid has more than "
                            "2^32 - 1 cells", g->nx, g->ny);
    if (!isfinite(g->gt[1]) || !isfinite(g->gt[5]) || g->gt[1] == 0 || g->gt[5] == 0 ||
        g->gt[2] != 0 || g->gt[4] != 0)
        return cw_ctx_error(ctx, CW_ERR_ARG, "cost distance: the grid is not north-up with "
                            "cells of positive size");
    if (g->geographic) {
        double top = row_lat(g, 0), bottom = row_lat(g, g->ny - 1);
        if (!(fabs(top) <= 90 && fabs(bottom) <= 90))
            return cw_ctx_error(ctx, CW_ERR_ARG, "cost distance: cell centres beyond "
                                "latitude +-90 (%g, %g)", top, bottom);
    }
    return CW_OK;
}

static int check_sources(struct cw_ctx *ctx, const struct cw_grid *g, const float *friction,
                         const size_t *sources, size_t nsources)
{
    size_t n = (size_t)g->nx * (size_t)g->ny;
    if (nsources == 0 || !sources)
        return cw_ctx_error(ctx, CW_ERR_ARG, "cost distance: no sources");
    if (nsources > INT32_MAX)
        return cw_ctx_error(ctx, CW_ERR_ARG, "cost distance: %zu sources, at most %d",
                            nsources, INT32_MAX);
    for (size_t i = 0; i < nsources; i++) {
        size_t c = sources[i];
        if (c >= n)
            return cw_ctx_error(ctx, CW_ERR_ARG, "cost distance: source %zu: cell %zu is "
                                "outside the %d x %d grid", i, c, g->nx, g->ny);
        if (!passable(friction[c]))
            return cw_ctx_error(ctx, CW_ERR_ARG, "cost distance: source %zu: cell %zu "
                                "(row %zu, col %zu) is impassable (friction %g)", i, c,
                                c / (size_t)g->nx, c % (size_t)g->nx, (double)friction[c]);
    }
    return CW_OK;
}

static void set_moves(struct search *s, int knight)
{
    s->nmoves = knight ? 16 : 8;
    s->border = knight ? 2 : 1;
    for (int m = 0; m < s->nmoves; m++) {
        const struct move *mv = &moves[m];
        s->delta[m] = (ptrdiff_t)mv->dr * s->nx + mv->dc;
        s->p1[m] = (ptrdiff_t)mv->p1r * s->nx + mv->p1c;
        s->p2[m] = (ptrdiff_t)mv->p2r * s->nx + mv->p2c;
    }
}

/* The passable cells: how many, and their least and greatest friction. */
struct survey {
    size_t passable;
    double fmin, fmax;
};

static struct survey survey(const float *f, size_t n)
{
    struct survey sv = { 0, INFINITY, 0 };
    for (size_t i = 0; i < n; i++)
        if (passable(f[i])) {
            sv.passable++;
            sv.fmin = f[i] < sv.fmin ? f[i] : sv.fmin;
            sv.fmax = f[i] > sv.fmax ? f[i] : sv.fmax;
        }
    return sv;
}

/* The cheapest and dearest move: every move costs between the least
 * friction times the shortest move and the greatest times the longest. */
static int init_queue(struct search *s, const struct survey *sv, int nrows)
{
    double lmin = INFINITY, lmax = 0;
    for (size_t i = 0; i < (size_t)nrows * s->nmoves; i++) {
        double len = s->fac[i] * (i % s->nmoves < NPLAIN ? 2 : 4);
        if (len == len) {                          /* NaN: off the grid */
            lmin = fmin(lmin, len);
            lmax = fmax(lmax, len);
        }
    }
    return queue_init(&s->queue, sv->fmin * lmin, sv->fmax * lmax);
}

/* Sources start at cost 0; a cell listed twice keeps its first index. */
static int seed(struct search *s, const size_t *sources, size_t nsources)
{
    for (size_t i = 0; i < nsources; i++)
        if (offer(s, (uint32_t)sources[i], 0.0, (int32_t)i))
            return CW_ERR_NOMEM;
    return CW_OK;
}

/* Allocates the labels (cost +inf, origin -1), the step factors and the
 * queue, and queues the sources. */
static int prepare(struct cw_ctx *ctx, struct search *s, const struct cw_grid *g,
                   const struct survey *sv, const size_t *sources, size_t nsources)
{
    size_t n = (size_t)g->nx * (size_t)g->ny;
    s->cost = malloc(n * sizeof *s->cost);
    s->origin = malloc(n * sizeof *s->origin);
    s->fac = g->geographic ? factors_geodesic(g, s->nmoves) : factors_projected(g, s->nmoves);
    s->fac_stride = g->geographic ? (size_t)s->nmoves : 0;
    if (s->cost && s->origin) {
        for (size_t i = 0; i < n; i++)
            s->cost[i] = INFINITY;
        memset(s->origin, 0xff, n * sizeof *s->origin);   /* -1 */
    }
    if (!s->cost || !s->origin || !s->fac ||
        init_queue(s, sv, g->geographic ? g->ny : 1) || seed(s, sources, nsources))
        return cw_ctx_error(ctx, CW_ERR_NOMEM, "cost distance: out of memory (%d x %d grid)",
                            g->nx, g->ny);
    return CW_OK;
}

int cw_costdist(struct cw_ctx *ctx, const struct cw_grid *g, const float *friction,
                const size_t *sources, size_t nsources,
                const struct cw_costdist_opts *o, double **cost, int32_t **origin)
{
    struct search s = { 0 };
    int rc;

    *cost = NULL;
    if (origin)
        *origin = NULL;
    if ((rc = check_grid(ctx, g)) != CW_OK)
        return rc;
    if (!friction)
        return cw_ctx_error(ctx, CW_ERR_ARG, "cost distance: no friction values");
    if ((rc = check_sources(ctx, g, friction, sources, nsources)) != CW_OK)
        return rc;

    size_t n = (size_t)g->nx * (size_t)g->ny;
    struct survey sv = survey(friction, n);
    s.f = friction;
    s.nx = g->nx;
    s.ny = g->ny;
    set_moves(&s, o && o->knight);
    if ((rc = prepare(ctx, &s, g, &sv, sources, nsources)) != CW_OK ||
        (rc = run(ctx, &s, sv.passable)) != CW_OK)
        goto out;
    for (size_t i = 0; i < n; i++)
        if (s.cost[i] == INFINITY)
            s.cost[i] = NAN;                         /* unreachable */
    *cost = s.cost;
    s.cost = NULL;
    if (origin) {
        *origin = s.origin;
        s.origin = NULL;
    }
out:
    queue_release(&s.queue);
    free(s.fac);
    free(s.cost);
    free(s.origin);
    return rc;
}
