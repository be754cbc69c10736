/* test_skater.c: SKATER regionalisation against hand-computed cases and a
 * brute-force oracle that shares no code with it: its own Kruskal over
 * every graph edge, then at each step every remaining tree edge tried as
 * the cut with the total SSD recomputed from scratch (two-pass means), the
 * best admissible one taken. Also contiguity and min_pop on the kNN graph
 * of 2,000 places ($CW_TEST_DATA, else tests/data; run from the repo root).
 * SPDX-License-Identifier: MIT
 */
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "cityweave/cluster.h"
#include "check.h"
#include "testdata.h"

#define MAXN 16     /* nodes of the oracle's graphs */
#define MAXE 128

struct warned {
    int count;
    char last[256];
};

static void on_warn(const char *msg, void *arg)
{
    struct warned *w = arg;
    w->count++;
    snprintf(w->last, sizeof w->last, "%s", msg);
}

static int same_labels(const struct cw_clusters *a, const int *b, size_t n)
{
    for (size_t i = 0; i < n; i++)
        if (a->label[i] != b[i]) {
            fprintf(stderr, "first difference at node %zu: %d, want %d\n", i, a->label[i], b[i]);
            return 0;
        }
    return 1;
}

static void push_path(struct cw_edges *g, uint32_t from, uint32_t to)
{
    for (uint32_t i = from; i < to; i++)
        cw_edges_push(g, i, i + 1, 0);
}

/* --- failure paths ------------------------------------------------------ */

static void test_bad(struct cw_ctx *ctx)
{
    double a[] = { 1, 2, 3 }, nan_a[] = { 1, NAN, 3 };
    double pop[] = { 1, 1, 1 }, neg[] = { 1, -1, 1 }, nan_pop[] = { 1, NAN, 1 };
    struct cw_points p = { 3, NULL, NULL, NULL };
    struct cw_edges g;
    struct cw_clusters c;
    cw_edges_init(&g);
    cw_clusters_init(&c);
    push_path(&g, 0, 2);
    CHECK(cw_skater(ctx, &p, &g, a, 1, 0, NULL, 0, &c) == CW_ERR_ARG);
    CHECK(strstr(cw_ctx_errmsg(ctx), "k must be between 1 and the number of points (3)"));
    CHECK(cw_skater(ctx, &p, &g, a, 1, 4, NULL, 0, &c) == CW_ERR_ARG);
    CHECK(cw_skater(ctx, &p, &g, a, 0, 2, NULL, 0, &c) == CW_ERR_ARG);
    CHECK(strstr(cw_ctx_errmsg(ctx), "attribute") != NULL);
    CHECK(cw_skater(ctx, &p, &g, NULL, 1, 2, NULL, 0, &c) == CW_ERR_ARG);
    CHECK(cw_skater(ctx, &p, &g, a, 1, 2, neg, 0, &c) == CW_ERR_DATA);
    CHECK(strstr(cw_ctx_errmsg(ctx), "point 1: population -1") != NULL);
    CHECK(cw_skater(ctx, &p, &g, a, 1, 2, nan_pop, 0, &c) == CW_ERR_DATA);
    CHECK(cw_skater(ctx, &p, &g, a, 1, 2, pop, -1, &c) == CW_ERR_ARG);
    CHECK(cw_skater(ctx, &p, &g, a, 1, 2, pop, NAN, &c) == CW_ERR_ARG);
    CHECK(cw_skater(ctx, &p, &g, nan_a, 1, 2, NULL, 0, &c) == CW_ERR_DATA);
    cw_edges_push(&g, 1, 3, 0);
    CHECK(cw_skater(ctx, &p, &g, a, 1, 2, NULL, 0, &c) == CW_ERR_DATA);
    CHECK(strstr(cw_ctx_errmsg(ctx), "(1, 3)") != NULL);
    cw_edges_release(&g);
    cw_clusters_release(&c);
}

/* --- hand-computed cases ------------------------------------------------ */

/* The path 0-1-2-3-4 with values 1, 1, 5, 5, 9. First cut: the SSD
 * reductions |A||B|/|R| (mean_A - mean_B)^2 of the four edges are 12.8,
 * 34.13, 26.13 and 28.8, so 1-2 goes; then in {5, 5, 9} cutting 3-4
 * gains 10.67 against 2.67 for 2-3, and {1, 1} gains 0. */
static void test_path(struct cw_ctx *ctx)
{
    double a[] = { 1, 1, 5, 5, 9 };
    struct cw_points p = { 5, NULL, NULL, NULL };
    struct cw_edges g;
    struct cw_clusters c;
    int k1[] = { 0, 0, 0, 0, 0 }, k2[] = { 0, 0, 1, 1, 1 }, k3[] = { 0, 0, 1, 1, 2 };
    int k5[] = { 0, 1, 2, 3, 4 };
    cw_edges_init(&g);
    cw_clusters_init(&c);
    push_path(&g, 0, 4);
    CHECK(cw_skater(ctx, &p, &g, a, 1, 3, NULL, 0, &c) == CW_OK);
    CHECK(c.nclusters == 3 && same_labels(&c, k3, 5));
    CHECK(c.role[4] == CW_ROLE_CORE);
    CHECK(cw_skater(ctx, &p, &g, a, 1, 1, NULL, 0, &c) == CW_OK);
    CHECK(c.nclusters == 1 && same_labels(&c, k1, 5));
    CHECK(cw_skater(ctx, &p, &g, a, 1, 2, NULL, 0, &c) == CW_OK);
    CHECK(same_labels(&c, k2, 5));
    CHECK(cw_skater(ctx, &p, &g, a, 1, 5, NULL, 0, &c) == CW_OK);
    CHECK(c.nclusters == 5 && same_labels(&c, k5, 5));
    /* A denser graph: the tree keeps the path (its edges are the
     * lightest), so the regions are the same. */
    cw_edges_push(&g, 0, 4, 0);
    cw_edges_push(&g, 1, 3, 0);
    CHECK(cw_skater(ctx, &p, &g, a, 1, 3, NULL, 0, &c) == CW_OK);
    CHECK(same_labels(&c, k3, 5));
    /* Two attributes, the second a copy: the same regions. */
    double a2[] = { 1, 1, 1, 1, 5, 5, 5, 5, 9, 9 };
    CHECK(cw_skater(ctx, &p, &g, a2, 2, 3, NULL, 0, &c) == CW_OK);
    CHECK(same_labels(&c, k3, 5));
    cw_edges_release(&g);
    cw_clusters_release(&c);
}

/* min_pop: with a population of 1 each and min_pop 2, after {0,1} |
 * {2,3,4} every further cut leaves a region of 1: SKATER stops at 2
 * regions, succeeds and warns. With populations 3,1,1,1,1 and min_pop 3,
 * the best cut 1-2 leaves {2,3,4} exactly 3 (allowed); 2-3 would leave 2. */
static void test_min_pop(struct cw_ctx *ctx)
{
    double a[] = { 1, 1, 5, 5, 9 }, ones[] = { 1, 1, 1, 1, 1 }, pop[] = { 3, 1, 1, 1, 1 };
    struct cw_points p = { 5, NULL, NULL, NULL };
    struct cw_edges g;
    struct cw_clusters c;
    struct warned w = { 0, "" };
    int k2[] = { 0, 0, 1, 1, 1 };
    cw_edges_init(&g);
    cw_clusters_init(&c);
    push_path(&g, 0, 4);
    cw_ctx_set_warn(ctx, on_warn, &w);
    CHECK(cw_skater(ctx, &p, &g, a, 1, 3, ones, 2, &c) == CW_OK);
    CHECK(c.nclusters == 2 && same_labels(&c, k2, 5));
    CHECK(w.count == 1 && strstr(w.last, "2 regions instead of 3") != NULL);
    CHECK(cw_skater(ctx, &p, &g, a, 1, 3, pop, 3, &c) == CW_OK);
    CHECK(c.nclusters == 2 && same_labels(&c, k2, 5));
    CHECK(w.count == 2);
    /* min_pop 4 of a total 7: every cut leaves a part below 4 ({0} 3,
     * {2,3,4} 3, {3,4} 2, {4} 1), so there is one region. */
    CHECK(cw_skater(ctx, &p, &g, a, 1, 2, pop, 4, &c) == CW_OK);
    CHECK(c.nclusters == 1 && w.count == 3);
    /* Without a population the constraint is off. */
    CHECK(cw_skater(ctx, &p, &g, a, 1, 2, NULL, 1e9, &c) == CW_OK);
    CHECK(c.nclusters == 2 && w.count == 3);
    cw_ctx_set_warn(ctx, NULL, NULL);
    cw_edges_release(&g);
    cw_clusters_release(&c);
}

/* Components: paths 0-1-2 and 3-4 and the lone 5. k = 2 is fewer than the
 * 3 components: 3 regions and a warning; k = 4 cuts the better of the two
 * paths' edges: 0-1-2 with 0, 0, 10 splits at 1-2. */
static void test_components(struct cw_ctx *ctx)
{
    double a[] = { 0, 0, 10, 3, 4, 7 };
    struct cw_points p = { 6, NULL, NULL, NULL };
    struct cw_edges g;
    struct cw_clusters c;
    struct warned w = { 0, "" };
    int three[] = { 0, 0, 0, 1, 1, 2 }, four[] = { 0, 0, 1, 2, 2, 3 };
    cw_edges_init(&g);
    cw_clusters_init(&c);
    push_path(&g, 0, 2);
    push_path(&g, 3, 4);
    cw_ctx_set_warn(ctx, on_warn, &w);
    CHECK(cw_skater(ctx, &p, &g, a, 1, 2, NULL, 0, &c) == CW_OK);
    CHECK(c.nclusters == 3 && same_labels(&c, three, 6));
    CHECK(w.count == 1 && strstr(w.last, "3 components") != NULL);
    CHECK(cw_skater(ctx, &p, &g, a, 1, 3, NULL, 0, &c) == CW_OK);
    CHECK(same_labels(&c, three, 6) && w.count == 1);
    CHECK(cw_skater(ctx, &p, &g, a, 1, 4, NULL, 0, &c) == CW_OK);
    CHECK(c.nclusters == 4 && same_labels(&c, four, 6));
    /* No edges at all: every point is a region whatever k. */
    struct cw_edges none;
    cw_edges_init(&none);
    CHECK(cw_skater(ctx, &p, &none, a, 1, 6, NULL, 0, &c) == CW_OK);
    CHECK(c.nclusters == 6);
    cw_ctx_set_warn(ctx, NULL, NULL);
    cw_edges_release(&g);
    cw_clusters_release(&c);
}

/* Ties: equal attributes make every reduction 0; the cut goes to the edge
 * of lowest (lower rank, higher rank) of its ends, and labels follow the
 * ranks. */
static void test_ties(struct cw_ctx *ctx)
{
    double a[] = { 2, 2, 2, 2 };
    uint32_t rev[] = { 3, 2, 1, 0 };
    struct cw_points p = { 4, NULL, NULL, NULL }, pr = { 4, NULL, NULL, rev };
    struct cw_edges g;
    struct cw_clusters c;
    int by_index[] = { 0, 1, 1, 1 }, by_rank[] = { 1, 1, 1, 0 };
    cw_edges_init(&g);
    cw_clusters_init(&c);
    push_path(&g, 0, 3);
    CHECK(cw_skater(ctx, &p, &g, a, 1, 2, NULL, 0, &c) == CW_OK);
    CHECK(same_labels(&c, by_index, 4));
    CHECK(cw_skater(ctx, &pr, &g, a, 1, 2, NULL, 0, &c) == CW_OK);
    CHECK(same_labels(&c, by_rank, 4));
    cw_edges_release(&g);
    cw_clusters_release(&c);
}

/* --- brute-force oracle -------------------------------------------------- */

struct graph {
    size_t n, m, d;
    uint32_t a[MAXE], b[MAXE], rank[MAXN];
    double attr[MAXN * 4], pop[MAXN];
};

/* A 64-bit LCG (Knuth's MMIX constants), top 53 bits as [0, 1). */
static double rnd(uint64_t *s)
{
    *s = *s * 6364136223846793005u + 1442695040888963407u;
    return (double)(*s >> 11) * 0x1.0p-53;
}

static size_t oroot(size_t *parent, size_t i)
{
    while (parent[i] != i)
        i = parent[i];
    return i;
}

static double sqdist(const struct graph *g, size_t u, size_t v)
{
    double s = 0;
    for (size_t c = 0; c < g->d; c++)
        s += (g->attr[u * g->d + c] - g->attr[v * g->d + c]) *
             (g->attr[u * g->d + c] - g->attr[v * g->d + c]);
    return s;
}

/* Is edge e before f in (weight, lower rank, higher rank, lower, higher)
 * order (weight ignored when @p by_weight is 0)? */
static int edge_before(const struct graph *g, size_t e, size_t f, int by_weight)
{
    double we = sqdist(g, g->a[e], g->b[e]), wf = sqdist(g, g->a[f], g->b[f]);
    uint32_t re[4] = { g->rank[g->a[e]], g->rank[g->b[e]], g->a[e], g->b[e] };
    uint32_t rf[4] = { g->rank[g->a[f]], g->rank[g->b[f]], g->a[f], g->b[f] };
    for (int i = 0; i < 4; i += 2) {
        uint32_t t;
        if (re[i] > re[i + 1])
            t = re[i], re[i] = re[i + 1], re[i + 1] = t;
        if (rf[i] > rf[i + 1])
            t = rf[i], rf[i] = rf[i + 1], rf[i + 1] = t;
    }
    if (by_weight && we != wf)
        return we < wf;
    for (int i = 0; i < 4; i++)
        if (re[i] != rf[i])
            return re[i] < rf[i];
    return 0;
}

/* Kruskal over all edges by selection (tiny graphs): tree[e] = 1. */
static void oracle_tree(const struct graph *g, int *tree)
{
    size_t parent[MAXN];
    int used[MAXE] = { 0 };
    for (size_t i = 0; i < g->n; i++)
        parent[i] = i;
    for (size_t step = 0; step < g->m; step++) {
        size_t best = g->m;
        for (size_t e = 0; e < g->m; e++)
            if (!used[e] && (best == g->m || edge_before(g, e, best, 1)))
                best = e;
        used[best] = 1;
        size_t ra = oroot(parent, g->a[best]), rb = oroot(parent, g->b[best]);
        tree[best] = ra != rb;
        if (ra != rb)
            parent[ra] = rb;
    }
}

/* Regions of the tree edges still kept, labelled by lowest rank. */
static void oracle_regions(const struct graph *g, const int *keep, int *label)
{
    size_t parent[MAXN], first[MAXN];
    int next = 0, num[MAXN];
    for (size_t i = 0; i < g->n; i++) {
        parent[i] = i;
        num[i] = -1;
    }
    for (size_t e = 0; e < g->m; e++)
        if (keep[e])
            parent[oroot(parent, g->a[e])] = oroot(parent, g->b[e]);
    for (size_t i = 0; i < g->n; i++)
        first[i] = g->n;
    for (size_t i = 0; i < g->n; i++) {
        size_t r = oroot(parent, i);
        if (first[r] == g->n || g->rank[i] < g->rank[first[r]])
            first[r] = i;
    }
    for (uint32_t rk = 0; rk < g->n; rk++)
        for (size_t i = 0; i < g->n; i++)
            if (g->rank[i] == rk && first[oroot(parent, i)] == i)
                num[oroot(parent, i)] = next++;
    for (size_t i = 0; i < g->n; i++)
        label[i] = num[oroot(parent, i)];
}

/* Total SSD of a labelling, two passes per region. */
static double oracle_ssd(const struct graph *g, const int *label)
{
    double total = 0;
    for (int r = 0; r < (int)g->n; r++)
        for (size_t c = 0; c < g->d; c++) {
            double mean = 0, ss = 0;
            size_t cnt = 0;
            for (size_t i = 0; i < g->n; i++)
                if (label[i] == r) {
                    mean += g->attr[i * g->d + c];
                    cnt++;
                }
            for (size_t i = 0; cnt && i < g->n; i++)
                if (label[i] == r)
                    ss += pow(g->attr[i * g->d + c] - mean / cnt, 2);
            total += ss;
        }
    return total;
}

/* Do both parts of the region split by dropping edge e reach min_pop? */
static int oracle_admissible(const struct graph *g, const int *label, size_t e,
                             const double *pop, double min_pop)
{
    double pa = 0, pb = 0;
    int la = label[g->a[e]], lb = label[g->b[e]];
    for (size_t i = 0; pop && i < g->n; i++) {
        pa += label[i] == la ? pop[i] : 0;
        pb += label[i] == lb ? pop[i] : 0;
    }
    return !pop || (pa >= min_pop && pb >= min_pop);
}

/* The greedy step, by brute force: @return the edge to cut, g->m if none. */
static size_t oracle_step(const struct graph *g, int *keep, const double *pop, double min_pop)
{
    size_t best = g->m;
    double best_ssd = INFINITY;
    int label[MAXN];
    for (size_t e = 0; e < g->m; e++) {
        if (!keep[e])
            continue;
        keep[e] = 0;
        oracle_regions(g, keep, label);
        double ssd = oracle_ssd(g, label);
        if (oracle_admissible(g, label, e, pop, min_pop) &&
            (best == g->m || ssd < best_ssd || (ssd == best_ssd && edge_before(g, e, best, 0)))) {
            best = e;
            best_ssd = ssd;
        }
        keep[e] = 1;
    }
    return best;
}

static void random_graph(struct graph *g, uint64_t seed, size_t n, size_t d)
{
    uint64_t s = seed;
    g->n = n;
    g->d = d;
    g->m = 0;
    for (size_t i = 0; i < n; i++) {
        g->rank[i] = (uint32_t)i;
        g->pop[i] = 1 + floor(10 * rnd(&s));
        for (size_t c = 0; c < d; c++)
            g->attr[i * d + c] = rnd(&s);
    }
    for (size_t i = n; i > 1; i--) {   /* a random rank order (Fisher-Yates) */
        size_t j = (size_t)(rnd(&s) * i);
        uint32_t t = g->rank[i - 1];
        g->rank[i - 1] = g->rank[j];
        g->rank[j] = t;
    }
    for (uint32_t i = 0; i < n; i++)
        for (uint32_t j = i + 1; j < n; j++)
            if (j == i + 1 || rnd(&s) < 0.25) {
                g->a[g->m] = i;
                g->b[g->m++] = j;
            }
}

/* Every k from 1 to 7: ours equals the oracle's greedy sequence. */
static void check_oracle(struct cw_ctx *ctx, const struct graph *g, int ranked, int with_pop,
                         double min_pop)
{
    int tree[MAXE] = { 0 }, want[MAXN], stopped = 0;
    struct cw_points p = { g->n, NULL, NULL, ranked ? g->rank : NULL };
    struct graph gi = *g;   /* the oracle ranks by index when unranked */
    struct cw_edges es;
    struct cw_clusters c;
    struct warned w = { 0, "" };
    cw_edges_init(&es);
    cw_clusters_init(&c);
    for (size_t i = 0; !ranked && i < g->n; i++)
        gi.rank[i] = (uint32_t)i;
    for (size_t e = 0; e < g->m; e++)
        cw_edges_push(&es, g->a[e], g->b[e], 0);
    oracle_tree(&gi, tree);
    cw_ctx_set_warn(ctx, on_warn, &w);
    for (int k = 1; k <= 7; k++) {
        if (k > 1 && !stopped) {
            size_t e = oracle_step(&gi, tree, with_pop ? g->pop : NULL, min_pop);
            if (e == g->m)
                stopped = 1;
            else
                tree[e] = 0;
        }
        oracle_regions(&gi, tree, want);
        CHECK(cw_skater(ctx, &p, &es, g->attr, (int)g->d, k, with_pop ? g->pop : NULL,
                        min_pop, &c) == CW_OK);
        if (!same_labels(&c, want, g->n))
            fprintf(stderr, "  k = %d, ranked %d, pop %d, min_pop %g\n", k, ranked, with_pop,
                    min_pop);
        CHECK(same_labels(&c, want, g->n));
        CHECK((w.count > 0) == stopped);
        w.count = 0;
    }
    cw_ctx_set_warn(ctx, NULL, NULL);
    cw_edges_release(&es);
    cw_clusters_release(&c);
}

static void test_oracle(struct cw_ctx *ctx)
{
    struct graph g;
    for (uint64_t seed = 1; seed <= 12; seed++) {
        random_graph(&g, seed, 10 + seed % 3, 1 + seed % 3);
        check_oracle(ctx, &g, 0, 0, 0);
        check_oracle(ctx, &g, 1, 0, 0);
        check_oracle(ctx, &g, (int)(seed & 1), 1, 8);
        check_oracle(ctx, &g, (int)(seed & 1), 1, 14);
    }
}

/* --- properties on 2,000 places ----------------------------------------- */

/* lon, lat of the first @p cap places of geonames_2000.csv. */
static size_t load_places(double *lon, double *lat, size_t cap)
{
    struct cities c;
    size_t n = 0;
    if (load_cities("geonames_2000.csv", &c) == 0)
        for (; n < cap && n < c.n; n++) {
            lon[n] = c.lon[n];
            lat[n] = c.lat[n];
        }
    free_cities(&c);
    return n;
}

/* Union-find roots of the graph's edges, kept only between points of
 * the same region when @p c is given (else all). @return the roots. */
static size_t *components(const struct cw_edges *g, size_t n, const struct cw_clusters *c)
{
    size_t *parent = malloc(n * sizeof *parent);
    for (size_t i = 0; i < n; i++)
        parent[i] = i;
    for (size_t e = 0; e < g->n; e++)
        if (!c || c->label[g->e[e].a] == c->label[g->e[e].b])
            parent[oroot(parent, g->e[e].a)] = oroot(parent, g->e[e].b);
    for (size_t i = 0; i < n; i++)
        parent[i] = oroot(parent, i);
    return parent;
}

/* Is every region connected through graph edges inside it? */
static int contiguous(const struct cw_edges *g, const struct cw_clusters *c)
{
    size_t *root = components(g, c->n, c), parts = 0;
    for (size_t i = 0; i < c->n; i++)
        parts += root[i] == i;
    free(root);
    return parts == c->nclusters;
}

/* Does every region below @p min_pop (one person per point) hold a whole
 * component of the graph? Only those may fall short. */
static int small_only_whole(const struct cw_edges *g, const struct cw_clusters *c,
                            double min_pop)
{
    size_t *root = components(g, c->n, NULL), n = c->n;
    size_t *region_size = calloc(n, sizeof *region_size), *comp_size = calloc(n, sizeof *comp_size);
    int ok = 1;
    for (size_t i = 0; i < n; i++) {
        region_size[c->label[i]]++;
        comp_size[root[i]]++;
    }
    for (size_t i = 0; i < n; i++)
        if (region_size[c->label[i]] < min_pop && region_size[c->label[i]] != comp_size[root[i]])
            ok = 0;
    free(root);
    free(region_size);
    free(comp_size);
    return ok;
}

static void test_places(struct cw_ctx *ctx)
{
    static double lon[2000], lat[2000], attr[4000], pop[2000];
    size_t n = load_places(lon, lat, 2000);
    struct cw_points p = { n, lon, lat, NULL };
    struct cw_geod geod;
    struct cw_edges g;
    struct cw_clusters c;
    struct warned w = { 0, "" };
    CHECK(n == 2000);
    cw_geod_init(&geod, 1);
    cw_edges_init(&g);
    cw_clusters_init(&c);
    CHECK(cw_knn_edges(ctx, &geod, &p, 6, &g) == CW_OK);
    for (size_t i = 0; i < n; i++) {
        attr[2 * i] = lon[i] / 100;
        attr[2 * i + 1] = lat[i] / 50;
        pop[i] = 1;
    }
    cw_ctx_set_warn(ctx, on_warn, &w);
    CHECK(cw_skater(ctx, &p, &g, attr, 2, 60, NULL, 0, &c) == CW_OK);
    CHECK(c.nclusters >= 60 && contiguous(&g, &c));
    CHECK((c.nclusters > 60) == (w.count > 0));
    w.count = 0;
    CHECK(cw_skater(ctx, &p, &g, attr, 2, 80, pop, 25, &c) == CW_OK);
    CHECK(contiguous(&g, &c) && small_only_whole(&g, &c, 25));
    CHECK((c.nclusters != 80) == (w.count > 0));
    cw_ctx_set_warn(ctx, NULL, NULL);
    cw_edges_release(&g);
    cw_clusters_release(&c);
}

int main(void)
{
    struct cw_ctx *ctx = cw_ctx_new();
    if (!ctx) {
        fprintf(stderr, "cannot set up the test\n");
        return 1;
    }
    test_bad(ctx);
    test_path(ctx);
    test_min_pop(ctx);
    test_components(ctx);
    test_ties(ctx);
    test_oracle(ctx);
    test_places(ctx);
    cw_ctx_free(ctx);
    return CHECK_DONE();
}
