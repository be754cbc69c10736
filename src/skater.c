/* skater.c: SKATER regionalisation (Assunção, Neves, Câmara and Freitas
 * 2006): contiguous regions as subtrees of a minimum spanning tree of the
 * neighbour graph, cut greedily.
 * SPDX-License-Identifier: MIT
 *
 * Tree: the minimum spanning forest of the graph with each edge weighted
 * by the squared Euclidean distance between its ends' attribute vectors,
 * edges ordered by (weight, lower rank, higher rank, lower index, higher
 * index). That order is strict, so the forest is unique and Prim's
 * algorithm finds the one Kruskal's would.
 *
 * Regions: each connected component of the graph starts as one region
 * (so isolated points are regions of their own). While there are fewer
 * than k regions, the tree edge is cut whose removal most reduces the
 * total SSD, the sum over regions of sum |a - mean|^2; when pop is given,
 * only cuts leaving both parts with sum pop >= min_pop are admissible.
 * Removing edge e from region R with parts A and B reduces the SSD by
 * |A| |B| / |R| |mean_A - mean_B|^2 (the between-part sum of squares),
 * computed as |S|^2 |R| / (|A| |B|) with S the sum over A of a - mean_R,
 * which avoids cancelling large sums. Equal reductions go to the edge of
 * lower (lower rank, higher rank) of its ends, then lower indices.
 *
 * Fewer or more regions than k: when no admissible cut is left, or the
 * graph has more than k components, the call still succeeds (CW_OK) with
 * nclusters != k and says so through cw_ctx_warn. A component whose
 * population is below min_pop stays a region.
 */
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "cityweave/cluster.h"
#include "kdtree.h"

#define NONE UINT32_MAX

/* An edge with its total-order key. */
struct kedge {
    double w;
    uint32_t rlo, rhi, lo, hi;
};

/* Adjacency lists: node v's neighbours are nbr[off[v] .. off[v + 1]),
 * reached through edges eid[...]. */
struct csr {
    size_t *off;
    uint32_t *nbr, *eid;
};

struct region {
    uint32_t root;    /* first node of its traversal */
    uint32_t child;   /* child end of its best cut, NONE: no admissible cut */
    uint32_t edge;    /* that cut's tree edge */
    double gain;      /* its SSD reduction */
};

struct sk {
    const struct cw_points *p;
    size_t n, d;
    const double *a, *pop;
    double min_pop;
    struct kedge *te;       /* tree edges */
    uint32_t (*tend)[2];    /* their ends */
    size_t nte;
    struct csr graph, tree;
    uint32_t (*gend)[2];    /* ends of the graph's edges */
    unsigned char *cut;     /* per tree edge */
    struct region *reg;
    size_t nreg;
    int *label;             /* region of each node */
    /* traversal scratch */
    uint32_t *order, *pe;   /* visit order; edge to the parent (NONE at the root) */
    size_t *cnt;            /* subtree sizes */
    double *sub, *spop;     /* subtree sums of a - mean (n x d) and of pop */
    double *mean;           /* d: the mean of the region being scanned */
};

/* Tie order of edges of equal weight (or equal gain): by the ranks of
 * their ends, then their indices. */
static int rank_cmp(const struct kedge *x, const struct kedge *y)
{
    if (x->rlo != y->rlo)
        return x->rlo < y->rlo ? -1 : 1;
    if (x->rhi != y->rhi)
        return x->rhi < y->rhi ? -1 : 1;
    if (x->lo != y->lo)
        return x->lo < y->lo ? -1 : 1;
    return (x->hi > y->hi) - (x->hi < y->hi);
}

static int key_cmp(const struct kedge *x, const struct kedge *y)
{
    if (x->w != y->w)
        return x->w < y->w ? -1 : 1;
    return rank_cmp(x, y);
}

static struct kedge key_of(const struct sk *s, uint32_t u, uint32_t v)
{
    double w = 0;
    for (size_t c = 0; c < s->d; c++) {
        double t = s->a[u * s->d + c] - s->a[v * s->d + c];
        w += t * t;
    }
    uint32_t ru = cw_kd_rank(s->p, u), rv = cw_kd_rank(s->p, v);
    return (struct kedge){ w, ru < rv ? ru : rv, ru < rv ? rv : ru, u < v ? u : v,
                           u < v ? v : u };
}

/* Adjacency of @p m edges with ends @p end over n nodes. */
static int csr_build(struct csr *g, size_t n, uint32_t (*end)[2], size_t m)
{
    g->off = calloc(n + 1, sizeof *g->off);
    g->nbr = malloc((2 * m + 1) * sizeof *g->nbr);
    g->eid = malloc((2 * m + 1) * sizeof *g->eid);
    if (!g->off || !g->nbr || !g->eid)
        return CW_ERR_NOMEM;
    for (size_t e = 0; e < m; e++) {
        g->off[end[e][0] + 1]++;
        g->off[end[e][1] + 1]++;
    }
    for (size_t v = 0; v < n; v++)
        g->off[v + 1] += g->off[v];
    for (size_t e = 0; e < m; e++)
        for (int s = 0; s < 2; s++) {
            size_t at = g->off[end[e][s]]++;
            g->nbr[at] = end[e][!s];
            g->eid[at] = (uint32_t)e;
        }
    for (size_t v = n; v > 0; v--)   /* the fill moved each start to the next */
        g->off[v] = g->off[v - 1];
    g->off[0] = 0;
    return CW_OK;
}

static void csr_release(struct csr *g)
{
    free(g->off);
    free(g->nbr);
    free(g->eid);
}

/* Binary min-heap of candidate tree edges for Prim (lazy deletion). */
struct hitem {
    struct kedge k;
    uint32_t from, to;
};

static void heap_push(struct hitem *h, size_t *len, struct hitem it)
{
    size_t i = (*len)++;
    while (i > 0 && key_cmp(&it.k, &h[(i - 1) / 2].k) < 0) {
        h[i] = h[(i - 1) / 2];
        i = (i - 1) / 2;
    }
    h[i] = it;
}

static struct hitem heap_pop(struct hitem *h, size_t *len)
{
    struct hitem top = h[0], last = h[--*len];
    size_t i = 0, c;
    while ((c = 2 * i + 1) < *len) {
        if (c + 1 < *len && key_cmp(&h[c + 1].k, &h[c].k) < 0)
            c++;
        if (key_cmp(&h[c].k, &last.k) >= 0)
            break;
        h[i] = h[c];
        i = c;
    }
    h[i] = last;
    return top;
}

/* Visits @p v: its edges to unvisited nodes become candidates. */
static void prim_visit(const struct sk *s, const struct csr *g, unsigned char *seen,
                       struct hitem *h, size_t *len, uint32_t v)
{
    seen[v] = 1;
    for (size_t t = g->off[v]; t < g->off[v + 1]; t++)
        if (!seen[g->nbr[t]])
            heap_push(h, len, (struct hitem){ key_of(s, v, g->nbr[t]), v, g->nbr[t] });
}

/* Prim's algorithm from each unvisited node in index order: the spanning
 * forest into s->te/s->tend, one region per component rooted at its
 * lowest index. */
static int spanning_forest(struct sk *s, const struct csr *g, size_t m)
{
    unsigned char *seen = calloc(s->n, 1);
    struct hitem *h = malloc((2 * m + 1) * sizeof *h);
    size_t len = 0;
    int rc = seen && h ? CW_OK : CW_ERR_NOMEM;
    for (uint32_t r = 0; rc == CW_OK && r < s->n; r++) {
        if (seen[r])
            continue;
        s->reg[s->nreg++] = (struct region){ r, NONE, NONE, 0 };
        prim_visit(s, g, seen, h, &len, r);
        while (len > 0) {
            struct hitem it = heap_pop(h, &len);
            if (seen[it.to])
                continue;
            s->te[s->nte] = it.k;
            s->tend[s->nte][0] = it.from;
            s->tend[s->nte++][1] = it.to;
            prim_visit(s, g, seen, h, &len, it.to);
        }
    }
    free(seen);
    free(h);
    return rc;
}

/* Nodes of region @p r in breadth-first order from its root, labelled r;
 * @return how many. */
static size_t traverse(struct sk *s, size_t r)
{
    size_t len = 0;
    uint32_t root = s->reg[r].root;
    s->order[len++] = root;
    s->pe[root] = NONE;
    for (size_t i = 0; i < len; i++) {
        uint32_t v = s->order[i];
        s->label[v] = (int)r;
        for (size_t t = s->tree.off[v]; t < s->tree.off[v + 1]; t++) {
            uint32_t e = s->tree.eid[t];
            if (s->cut[e] || e == s->pe[v])
                continue;
            s->pe[s->tree.nbr[t]] = e;
            s->order[len++] = s->tree.nbr[t];
        }
    }
    return len;
}

/* Subtree sizes, sums of a - mean (the region's mean) and populations,
 * children before parents. */
static void subtree_sums(struct sk *s, size_t len)
{
    size_t d = s->d;
    for (size_t c = 0; c < d; c++)
        s->mean[c] = 0;
    for (size_t i = 0; i < len; i++)
        for (size_t c = 0; c < d; c++)
            s->mean[c] += s->a[s->order[i] * d + c];
    for (size_t c = 0; c < d; c++)
        s->mean[c] /= (double)len;
    for (size_t i = 0; i < len; i++) {
        uint32_t v = s->order[i];
        s->cnt[v] = 1;
        s->spop[v] = s->pop ? s->pop[v] : 0;
        for (size_t c = 0; c < d; c++)
            s->sub[v * d + c] = s->a[v * d + c] - s->mean[c];
    }
    for (size_t i = len; i-- > 1;) {
        uint32_t v = s->order[i], e = s->pe[v];
        uint32_t up = s->tend[e][0] == v ? s->tend[e][1] : s->tend[e][0];
        s->cnt[up] += s->cnt[v];
        s->spop[up] += s->spop[v];
        for (size_t c = 0; c < d; c++)
            s->sub[up * d + c] += s->sub[v * d + c];
    }
}

/* Is cutting tree edge @p e with @p gain better than @p best's cut? */
static int better(const struct sk *s, double gain, uint32_t e, const struct region *best)
{
    if (best->child == NONE || gain != best->gain)
        return best->child == NONE || gain > best->gain;
    return rank_cmp(&s->te[e], &s->te[best->edge]) < 0;
}

/* Relabels region @p r from its root and finds its best admissible cut. */
static void scan_region(struct sk *s, size_t r)
{
    size_t len = traverse(s, r), d = s->d;
    uint32_t root = s->reg[r].root;
    struct region best = { root, NONE, NONE, 0 };
    subtree_sums(s, len);
    for (size_t i = 1; i < len; i++) {
        uint32_t v = s->order[i];
        double na = (double)s->cnt[v], nb = (double)len - na, ss = 0;
        for (size_t c = 0; c < d; c++)
            ss += s->sub[v * d + c] * s->sub[v * d + c];
        double gain = ss * (double)len / (na * nb);
        int ok = !s->pop || (s->spop[v] >= s->min_pop &&
                             s->spop[root] - s->spop[v] >= s->min_pop);
        if (ok && better(s, gain, s->pe[v], &best)) {
            best.child = v;
            best.edge = s->pe[v];
            best.gain = gain;
        }
    }
    s->reg[r] = best;
}

/* The region whose best cut is best overall; s->nreg if none has one. */
static size_t best_region(const struct sk *s)
{
    size_t r = s->nreg;
    for (size_t i = 0; i < s->nreg; i++)
        if (s->reg[i].child != NONE &&
            (r == s->nreg || better(s, s->reg[i].gain, s->reg[i].edge, &s->reg[r])))
            r = i;
    return r;
}

/* Cuts until there are k regions or no admissible cut is left. */
static void cut_regions(struct cw_ctx *ctx, struct sk *s, size_t k)
{
    for (size_t r = 0; r < s->nreg; r++)
        scan_region(s, r);
    if (s->nreg > k)
        cw_ctx_warn(ctx, "skater: the graph has %zu components, more than k = %zu: "
                    "each is a region", s->nreg, k);
    while (s->nreg < k) {
        size_t r = best_region(s);
        if (r == s->nreg) {
            cw_ctx_warn(ctx, "skater: no cut leaves every region a population of at "
                        "least %g: %zu regions instead of %zu", s->min_pop, s->nreg, k);
            break;
        }
        s->cut[s->reg[r].edge] = 1;
        s->reg[s->nreg].root = s->reg[r].child;
        scan_region(s, r);
        scan_region(s, s->nreg++);
    }
}

static int check_args(struct cw_ctx *ctx, const struct cw_points *p,
                      const struct cw_edges *graph, const double *attrs, int nattrs, int k,
                      const double *pop, double min_pop)
{
    if (p->n >= UINT32_MAX)
        return cw_ctx_error(ctx, CW_ERR_ARG, "skater: too many points (%zu)", p->n);
    if (k < 1 || (size_t)k > p->n)
        return cw_ctx_error(ctx, CW_ERR_ARG, "skater: k must be between 1 and the number "
                            "of points (%zu), got %d", p->n, k);
    if (nattrs < 1 || !attrs)
        return cw_ctx_error(ctx, CW_ERR_ARG, "skater: needs at least one attribute, got %d",
                            nattrs);
    if (pop && !(min_pop >= 0 && isfinite(min_pop)))
        return cw_ctx_error(ctx, CW_ERR_ARG, "skater: min_pop must be a finite number >= 0, "
                            "got %g", min_pop);
    for (size_t i = 0; i < p->n * (size_t)nattrs; i++)
        if (!isfinite(attrs[i]))
            return cw_ctx_error(ctx, CW_ERR_DATA, "skater: point %zu: attribute %zu is not "
                                "finite", i / (size_t)nattrs, i % (size_t)nattrs);
    for (size_t i = 0; pop && i < p->n; i++)
        if (!(pop[i] >= 0 && isfinite(pop[i])))
            return cw_ctx_error(ctx, CW_ERR_DATA, "skater: point %zu: population %g is not "
                                "a finite number >= 0", i, pop[i]);
    for (size_t e = 0; e < graph->n; e++)
        if (graph->e[e].a >= p->n || graph->e[e].b >= p->n)
            return cw_ctx_error(ctx, CW_ERR_DATA, "skater: graph edge %zu (%u, %u) is not "
                                "between two of the %zu points", e, graph->e[e].a,
                                graph->e[e].b, p->n);
    return CW_OK;
}

static int sk_alloc(struct sk *s, size_t m)
{
    size_t n = s->n;
    s->te = malloc(n * sizeof *s->te);
    s->tend = malloc(n * sizeof *s->tend);
    s->cut = calloc(n, 1);
    s->reg = malloc(n * sizeof *s->reg);
    s->order = malloc(n * sizeof *s->order);
    s->pe = malloc(n * sizeof *s->pe);
    s->cnt = malloc(n * sizeof *s->cnt);
    s->spop = malloc(n * sizeof *s->spop);
    s->sub = malloc(n * s->d * sizeof *s->sub);
    s->mean = malloc(s->d * sizeof *s->mean);
    s->gend = malloc((m ? m : 1) * sizeof *s->gend);
    if (!s->te || !s->tend || !s->cut || !s->reg || !s->order || !s->pe || !s->cnt ||
        !s->spop || !s->sub || !s->mean || !s->gend)
        return CW_ERR_NOMEM;
    return CW_OK;
}

static void sk_release(struct sk *s)
{
    free(s->te);
    free(s->tend);
    free(s->cut);
    free(s->reg);
    free(s->order);
    free(s->pe);
    free(s->cnt);
    free(s->spop);
    free(s->sub);
    free(s->mean);
    free(s->gend);
    csr_release(&s->graph);
    csr_release(&s->tree);
}

/* The graph's adjacency, the spanning forest and the forest's adjacency. */
static int build_forest(struct sk *s, const struct cw_edges *graph)
{
    int rc;
    for (size_t e = 0; e < graph->n; e++) {
        s->gend[e][0] = graph->e[e].a;
        s->gend[e][1] = graph->e[e].b;
    }
    if ((rc = csr_build(&s->graph, s->n, s->gend, graph->n)) == CW_OK &&
        (rc = spanning_forest(s, &s->graph, graph->n)) == CW_OK)
        rc = csr_build(&s->tree, s->n, s->tend, s->nte);
    return rc;
}

int cw_skater(struct cw_ctx *ctx, const struct cw_points *p, const struct cw_edges *graph,
              const double *attrs, int nattrs, int k, const double *pop, double min_pop,
              struct cw_clusters *out)
{
    struct sk s;
    int rc = check_args(ctx, p, graph, attrs, nattrs, k, pop, min_pop);
    if (rc != CW_OK)
        return rc;
    s = (struct sk){ .p = p, .n = p->n, .d = (size_t)nattrs, .a = attrs, .pop = pop,
                     .min_pop = min_pop };
    if (sk_alloc(&s, graph->n) != CW_OK || cw_clusters_alloc(out, p->n) != CW_OK ||
        build_forest(&s, graph) != CW_OK) {
        rc = cw_ctx_error(ctx, CW_ERR_NOMEM, "skater: out of memory for %zu points and "
                          "%zu edges", p->n, graph->n);
        goto out;
    }
    s.label = out->label;
    cut_regions(ctx, &s, (size_t)k);
    memset(out->role, CW_ROLE_CORE, p->n);
    cw_clusters_canonical(out, p);
out:
    sk_release(&s);
    return rc;
}
