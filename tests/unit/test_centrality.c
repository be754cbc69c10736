/* test_centrality.c: cw_centrality_compute against hand-computed small
 * graphs and against the NetworkX 2.8 fixtures in tests/data/centrality_*
 * (made by tests/fixtures/make_centrality_networkx.py). Data are found
 * through $CW_TEST_DATA, else tests/data (run from the repository root).
 * SPDX-License-Identifier: MIT
 */
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include <igraph.h>

#include "cityweave/centrality.h"
#include "check.h"

#define NELEM(a) (sizeof (a) / sizeof (a)[0])
#define EDGES(arr) { NELEM(arr), NELEM(arr), (arr) }
#define TOL 1e-12

/* --- failure paths ------------------------------------------------------ */

static int compute_status(struct cw_ctx *ctx, size_t n, struct cw_edge *e,
                          size_t m, const double *w)
{
    struct cw_edges es = { m, m, e };
    struct cw_centrality c;
    int rc = cw_centrality_compute(ctx, n, &es, w, &c);
    CHECK(rc == CW_OK || (c.degree == NULL && c.community == NULL));
    cw_centrality_release(&c);
    return rc;
}

static void test_bad_edges(struct cw_ctx *ctx)
{
    struct cw_edge out_of_range[] = { { 0, 2, 1, NAN } };
    struct cw_edge loop[] = { { 1, 1, 1, NAN } };
    struct cw_edge reversed[] = { { 1, 0, 1, NAN } };
    struct cw_edge unsorted[] = { { 1, 2, 1, NAN }, { 0, 1, 1, NAN } };
    struct cw_edge duplicate[] = { { 0, 1, 1, NAN }, { 0, 1, 2, NAN } };

    CHECK(compute_status(ctx, 2, out_of_range, 1, NULL) == CW_ERR_ARG);
    CHECK(strstr(cw_ctx_errmsg(ctx), "edge 0 (0, 2)") != NULL);
    CHECK(compute_status(ctx, 0, out_of_range, 1, NULL) == CW_ERR_ARG);
    CHECK(compute_status(ctx, 2, loop, 1, NULL) == CW_ERR_ARG);
    CHECK(compute_status(ctx, 2, reversed, 1, NULL) == CW_ERR_ARG);
    CHECK(compute_status(ctx, 3, unsorted, 2, NULL) == CW_ERR_ARG);
    CHECK(strstr(cw_ctx_errmsg(ctx), "sorted") != NULL);
    CHECK(compute_status(ctx, 2, duplicate, 2, NULL) == CW_ERR_ARG);
}

static void test_bad_values(struct cw_ctx *ctx)
{
    const double bad_length[] = { 0, -1, NAN, INFINITY };
    const double bad_weight[] = { -1, NAN, INFINITY };
    struct cw_edge e[] = { { 0, 1, 1, NAN } };

    for (size_t i = 0; i < NELEM(bad_length); i++) {
        e[0].dist = bad_length[i];
        CHECK(compute_status(ctx, 2, e, 1, NULL) == CW_ERR_ARG);
    }
    CHECK(strstr(cw_ctx_errmsg(ctx), "length") != NULL);
    e[0].dist = 1;
    for (size_t i = 0; i < NELEM(bad_weight); i++)
        CHECK(compute_status(ctx, 2, e, 1, &bad_weight[i]) == CW_ERR_ARG);
    CHECK(strstr(cw_ctx_errmsg(ctx), "weight") != NULL);
}

/* Weights may be 0, but modularity divides by their total. */
static void test_zero_weight(struct cw_ctx *ctx)
{
    struct cw_edge e[] = { { 0, 1, 1, NAN }, { 1, 2, 1, NAN } };
    struct cw_edges es = EDGES(e);
    const double w[] = { 0, 0 };
    struct cw_centrality c;
    CHECK(cw_centrality_compute(ctx, 3, &es, w, &c) == CW_OK);
    CHECK(c.strength[1] == 0 && c.degree[1] == 2);
    CHECK(isnan(c.modularity));
    cw_centrality_release(&c);
}

static void test_release(void)
{
    struct cw_centrality c;
    memset(&c, 0, sizeof c);
    cw_centrality_release(NULL);
    cw_centrality_release(&c);
    cw_centrality_release(&c);
    CHECK(c.degree == NULL && c.n == 0);
}

/* --- hand-computed graphs --------------------------------------------- */

static void check_values(const double *got, const double *want, size_t n)
{
    for (size_t i = 0; i < n; i++)
        CHECK_NEAR(got[i], want[i], TOL);
}

static void test_empty(struct cw_ctx *ctx)
{
    struct cw_edges es = { 0, 0, NULL };
    struct cw_centrality c;
    CHECK(cw_centrality_compute(ctx, 0, &es, NULL, &c) == CW_OK);
    CHECK(c.n == 0 && c.ncomponents == 0 && c.ncommunities == 0);
    CHECK(c.diameter == 0 && c.total_length == 0);
    CHECK(isnan(c.modularity));  /* undefined without edges */
    cw_centrality_release(&c);
}

static void test_single_node(struct cw_ctx *ctx)
{
    struct cw_edges es = { 0, 0, NULL };
    struct cw_centrality c;
    CHECK(cw_centrality_compute(ctx, 1, &es, NULL, &c) == CW_OK);
    CHECK(c.n == 1 && c.degree[0] == 0 && c.strength[0] == 0);
    CHECK(c.betweenness[0] == 0 && c.closeness[0] == 0);
    CHECK(c.harmonic[0] == 0 && c.eigenvector[0] == 0);
    CHECK(c.component[0] == 0 && c.ncomponents == 1);
    CHECK(c.community[0] == 0 && c.ncommunities == 1);
    CHECK(c.diameter == 0 && isnan(c.modularity));
    cw_centrality_release(&c);
}

/* One edge of length 5 and weight 2.5: closeness (1/5)*(1/1); one
 * community with Q = 1 - (5/5)^2 = 0. */
static void test_single_edge(struct cw_ctx *ctx)
{
    struct cw_edge e[] = { { 0, 1, 5, NAN } };
    struct cw_edges es = EDGES(e);
    const double w = 2.5;
    struct cw_centrality c;
    CHECK(cw_centrality_compute(ctx, 2, &es, &w, &c) == CW_OK);
    for (int u = 0; u < 2; u++) {
        CHECK(c.degree[u] == 1 && c.strength[u] == 2.5);
        CHECK(c.betweenness[u] == 0);
        CHECK_NEAR(c.closeness[u], 0.2, TOL);
        CHECK_NEAR(c.harmonic[u], 0.2, TOL);
        CHECK_NEAR(c.eigenvector[u], sqrt(0.5), TOL);
        CHECK(c.component[u] == 0 && c.community[u] == 0);
    }
    CHECK(c.ncomponents == 1 && c.ncommunities == 1);
    CHECK_NEAR(c.modularity, 0, TOL);
    CHECK(c.diameter == 5 && c.total_length == 5);
    cw_centrality_release(&c);
}

/* Path 0-1-2-3 with lengths 1, 2, 3: d01=1 d02=3 d03=6 d12=2 d13=5 d23=3.
 * Nodes 1 and 2 each lie on 2 of the 6 pairs: 2*2/((4-1)(4-2)) = 2/3.
 * Eigenvector of P4: (1, phi, phi, 1) / sqrt(2 + 2 phi^2). */
static void test_path(struct cw_ctx *ctx)
{
    struct cw_edge e[] = { { 0, 1, 1, NAN }, { 1, 2, 2, NAN }, { 2, 3, 3, NAN } };
    struct cw_edges es = EDGES(e);
    const double phi = (1 + sqrt(5)) / 2, s = sqrt(2 + 2 * phi * phi);
    const double degree[] = { 1, 2, 2, 1 };
    const double betweenness[] = { 0, 2.0 / 3, 2.0 / 3, 0 };
    const double closeness[] = { 3.0 / 10, 3.0 / 8, 3.0 / 8, 3.0 / 14 };
    const double harmonic[] = { 1 + 1.0 / 3 + 1.0 / 6, 1 + 1.0 / 2 + 1.0 / 5,
                                1.0 / 3 + 1.0 / 2 + 1.0 / 3,
                                1.0 / 6 + 1.0 / 5 + 1.0 / 3 };
    const double eigenvector[] = { 1 / s, phi / s, phi / s, 1 / s };
    struct cw_centrality c;
    CHECK(cw_centrality_compute(ctx, 4, &es, NULL, &c) == CW_OK);
    check_values(c.degree, degree, 4);
    check_values(c.strength, degree, 4);
    check_values(c.betweenness, betweenness, 4);
    check_values(c.closeness, closeness, 4);
    check_values(c.harmonic, harmonic, 4);
    check_values(c.eigenvector, eigenvector, 4);
    CHECK(c.diameter == 6 && c.total_length == 6 && c.ncomponents == 1);
    cw_centrality_release(&c);
}

/* Star: centre 0, leaves at lengths 1, 2, 4. The centre is on all 3 leaf
 * pairs: 3*2/(3*2) = 1. Eigenvector: centre 1/sqrt(2), leaves 1/sqrt(6). */
static void test_star(struct cw_ctx *ctx)
{
    struct cw_edge e[] = { { 0, 1, 1, NAN }, { 0, 2, 2, NAN }, { 0, 3, 4, NAN } };
    struct cw_edges es = EDGES(e);
    const double betweenness[] = { 1, 0, 0, 0 };
    const double closeness[] = { 3.0 / 7, 3.0 / 9, 3.0 / 11, 3.0 / 15 };
    const double harmonic[] = { 1 + 1.0 / 2 + 1.0 / 4, 1 + 1.0 / 3 + 1.0 / 5,
                                1.0 / 2 + 1.0 / 3 + 1.0 / 6,
                                1.0 / 4 + 1.0 / 5 + 1.0 / 6 };
    const double eigenvector[] = { sqrt(0.5), sqrt(1.0 / 6), sqrt(1.0 / 6),
                                   sqrt(1.0 / 6) };
    struct cw_centrality c;
    CHECK(cw_centrality_compute(ctx, 4, &es, NULL, &c) == CW_OK);
    CHECK(c.degree[0] == 3 && c.degree[3] == 1);
    check_values(c.betweenness, betweenness, 4);
    check_values(c.closeness, closeness, 4);
    check_values(c.harmonic, harmonic, 4);
    check_values(c.eigenvector, eigenvector, 4);
    CHECK(c.diameter == 6 && c.total_length == 7);
    cw_centrality_release(&c);
}

/* Node 0 isolated; triangle 1-2-3 with lengths 1, 1 and 3, so 1..3 goes
 * through 2 (1 pair of 3*2: betweenness 2/6, n counts the isolated node)
 * and closeness is (2/D) * (2/3). */
static void test_triangle_isolated(struct cw_ctx *ctx)
{
    struct cw_edge e[] = { { 1, 2, 1, NAN }, { 1, 3, 3, NAN }, { 2, 3, 1, NAN } };
    struct cw_edges es = EDGES(e);
    const double t = sqrt(1.0 / 3);
    const double betweenness[] = { 0, 0, 1.0 / 3, 0 };
    const double closeness[] = { 0, 4.0 / 9, 2.0 / 3, 4.0 / 9 };
    const double harmonic[] = { 0, 1.5, 2, 1.5 };
    const double eigenvector[] = { 0, t, t, t };
    struct cw_centrality c;
    CHECK(cw_centrality_compute(ctx, 4, &es, NULL, &c) == CW_OK);
    check_values(c.betweenness, betweenness, 4);
    check_values(c.closeness, closeness, 4);
    check_values(c.harmonic, harmonic, 4);
    check_values(c.eigenvector, eigenvector, 4);
    CHECK(c.ncomponents == 2 && c.component[0] == 0 && c.component[1] == 1);
    CHECK(c.component[2] == 1 && c.component[3] == 1);
    CHECK(c.ncommunities == 2 && c.community[0] == 0 && c.community[3] == 1);
    CHECK_NEAR(c.modularity, 0, TOL);  /* 3/3 - (6/6)^2 */
    CHECK(c.diameter == 2 && c.total_length == 5);
    cw_centrality_release(&c);
}

/* Triangles {0,2,4} and {1,3,5} joined by 4-5: Louvain must find them,
 * numbered by lowest node; Q = 2 * (3/7 - (7/14)^2) = 5/14. */
static void test_two_triangles(struct cw_ctx *ctx)
{
    struct cw_edge e[] = { { 0, 2, 1, NAN }, { 0, 4, 1, NAN }, { 1, 3, 1, NAN }, { 1, 5, 1, NAN },
                           { 2, 4, 1, NAN }, { 3, 5, 1, NAN }, { 4, 5, 1, NAN } };
    struct cw_edges es = EDGES(e);
    struct cw_centrality c;
    CHECK(cw_centrality_compute(ctx, 6, &es, NULL, &c) == CW_OK);
    CHECK(c.ncommunities == 2);
    for (int u = 0; u < 6; u++)
        CHECK(c.community[u] == u % 2);
    CHECK_NEAR(c.modularity, 5.0 / 14, TOL);
    cw_centrality_release(&c);
}

/* igraph's handlers and default RNG are global: the call must put back
 * the caller's handlers and leave the caller's random stream where it was. */
static void test_igraph_state_restored(struct cw_ctx *ctx)
{
    struct cw_edge e[] = { { 0, 1, 1, NAN }, { 1, 2, 2, NAN } };
    struct cw_edges es = EDGES(e);
    struct cw_centrality c;
    igraph_rng_t ref;
    igraph_error_handler_t *prev_err =
        igraph_set_error_handler(igraph_error_handler_printignore);
    igraph_warning_handler_t *prev_warn =
        igraph_set_warning_handler(igraph_warning_handler_print);

    CHECK(igraph_rng_init(&ref, igraph_rng_default()->type) ==
          IGRAPH_SUCCESS);
    igraph_rng_seed(&ref, 7);
    igraph_rng_seed(igraph_rng_default(), 7);
    CHECK(cw_centrality_compute(ctx, 3, &es, NULL, &c) == CW_OK);
    CHECK(igraph_rng_get_integer(igraph_rng_default(), 0, 1000000000) ==
          igraph_rng_get_integer(&ref, 0, 1000000000));
    igraph_rng_destroy(&ref);
    CHECK(igraph_set_warning_handler(prev_warn) ==
          igraph_warning_handler_print);
    CHECK(igraph_set_error_handler(prev_err) ==
          igraph_error_handler_printignore);
    cw_centrality_release(&c);
}

/* --- NetworkX fixtures -------------------------------------------------- */

enum { DEGREE, STRENGTH, BETWEENNESS, CLOSENESS, HARMONIC, EIGENVECTOR,
       COMPONENT, NCOLS };
static const char *const col_name[NCOLS] = {
    "degree", "strength", "betweenness", "closeness", "harmonic",
    "eigenvector", "component" };

struct fixture {
    struct cw_edges edges;
    double *weight;
    size_t n;
    double (*node)[NCOLS];   /* n rows, in the order of col_name */
    struct { char key[64]; double value; } graph[16];  /* _graph.csv */
    size_t ngraph;
};

static FILE *open_data(const char *name, const char *suffix)
{
    const char *dir = getenv("CW_TEST_DATA");
    char path[512];
    FILE *f;
    snprintf(path, sizeof path, "%s/centrality_%s_%s.csv",
             dir && *dir ? dir : "tests/data", name, suffix);
    if (!(f = fopen(path, "r")))
        fprintf(stderr, "cannot open '%s'\n", path);
    return f;
}

/* Splits a CSV line without quoting (the fixtures have none) in place. */
static size_t split(char *line, char **field, size_t max)
{
    size_t k = 0;
    line[strcspn(line, "\r\n")] = '\0';
    for (char *p = line; k < max; p++) {
        field[k++] = p;
        if (!(p = strchr(p, ',')))
            break;
        *p = '\0';
    }
    return k;
}

static int read_edges(struct fixture *fx, FILE *f)
{
    char line[256], *fld[4];
    size_t cap = 0;
    if (!fgets(line, sizeof line, f))
        return -1;
    while (fgets(line, sizeof line, f)) {
        if (split(line, fld, 4) != 4)
            return -1;
        if (fx->edges.n == cap) {
            double *w = realloc(fx->weight, (cap = 2 * cap + 64) * sizeof *w);
            if (!w)
                return -1;
            fx->weight = w;
        }
        fx->weight[fx->edges.n] = strtod(fld[3], NULL);
        if (cw_edges_push(&fx->edges, (uint32_t)strtoul(fld[0], NULL, 10),
                          (uint32_t)strtoul(fld[1], NULL, 10),
                          strtod(fld[2], NULL)) != CW_OK)
            return -1;
    }
    return 0;
}

static int read_nodes(struct fixture *fx, FILE *f)
{
    char line[512], *fld[NCOLS + 2];
    if (!fgets(line, sizeof line, f))
        return -1;
    while (fgets(line, sizeof line, f)) {
        void *p = realloc(fx->node, (fx->n + 1) * sizeof *fx->node);
        if (!p || split(line, fld, NCOLS + 2) != NCOLS + 2)
            return -1;
        fx->node = p;
        if (strtoul(fld[0], NULL, 10) != fx->n)
            return -1;
        for (int j = 0; j < NCOLS; j++)
            fx->node[fx->n][j] = strtod(fld[j + 2], NULL);
        fx->n++;
    }
    return 0;
}

static int read_graph(struct fixture *fx, FILE *f)
{
    char line[256], *fld[2];
    if (!fgets(line, sizeof line, f))
        return -1;
    while (fgets(line, sizeof line, f) && fx->ngraph < NELEM(fx->graph)) {
        if (split(line, fld, 2) != 2 ||
            strlen(fld[0]) >= sizeof fx->graph[0].key)
            return -1;
        strcpy(fx->graph[fx->ngraph].key, fld[0]);
        fx->graph[fx->ngraph++].value = strtod(fld[1], NULL);
    }
    return 0;
}

static double graph_value(const struct fixture *fx, const char *key)
{
    for (size_t i = 0; i < fx->ngraph; i++)
        if (strcmp(fx->graph[i].key, key) == 0)
            return fx->graph[i].value;
    fprintf(stderr, "fixture has no '%s'\n", key);
    return NAN;
}

static int fixture_load(struct fixture *fx, const char *name)
{
    int (*const read[])(struct fixture *, FILE *) = {
        read_edges, read_nodes, read_graph };
    const char *suffix[] = { "edges", "nodes", "graph" };
    int rc = 0;
    memset(fx, 0, sizeof *fx);
    cw_edges_init(&fx->edges);
    for (size_t i = 0; i < NELEM(read) && rc == 0; i++) {
        FILE *f = open_data(name, suffix[i]);
        rc = f ? read[i](fx, f) : -1;
        if (f)
            fclose(f);
    }
    return rc;
}

static void fixture_release(struct fixture *fx)
{
    cw_edges_release(&fx->edges);
    free(fx->weight);
    free(fx->node);
}

/* Relative above 1, absolute below; reports each mismatch. */
static void check_column(const char *graph, int col, const double *got,
                         const struct fixture *fx, double tol)
{
    int bad = 0;
    for (size_t u = 0; u < fx->n; u++) {
        double want = fx->node[u][col];
        if (fabs(got[u] - want) <= tol * fmax(1, fabs(want)))
            continue;
        bad++;
        fprintf(stderr, "%s node %zu %s: %.17g, NetworkX %.17g\n", graph, u,
                col_name[col], got[u], want);
    }
    CHECK(bad == 0);
}

/* Modularity of our partition by NetworkX's formula (community.modularity,
 * resolution 1): sum over communities of L_c/m - (S_c/(2m))^2, with L_c
 * the weight inside c, S_c the strength of c and m the total weight. */
static double nx_modularity(const struct fixture *fx,
                            const struct cw_centrality *c)
{
    double m = 0, q = 0;
    double *inside = calloc(c->ncommunities, sizeof *inside);
    double *strength = calloc(c->ncommunities, sizeof *strength);
    if (!inside || !strength)
        q = NAN;
    for (size_t i = 0; i < fx->edges.n && !isnan(q); i++) {
        const struct cw_edge *e = &fx->edges.e[i];
        m += fx->weight[i];
        if (c->community[e->a] == c->community[e->b])
            inside[c->community[e->a]] += fx->weight[i];
    }
    for (size_t u = 0; u < fx->n && !isnan(q); u++)
        strength[c->community[u]] += c->strength[u];
    for (size_t k = 0; k < c->ncommunities && !isnan(q); k++)
        q += inside[k] / m - (strength[k] / (2 * m)) * (strength[k] / (2 * m));
    free(inside);
    free(strength);
    return q;
}

/* Groups numbered 0.. by lowest node: each node's id is at most one more
 * than the largest id seen before it. */
static int numbered_by_first(const int *id, size_t n, size_t count)
{
    int top = -1;
    for (size_t u = 0; u < n; u++) {
        if (id[u] < 0 || id[u] > top + 1)
            return 0;
        if (id[u] > top)
            top = id[u];
    }
    return (size_t)(top + 1) == count;
}

static void check_communities(const char *name, const struct fixture *fx,
                              const struct cw_centrality *c)
{
    char key[64];
    int split_component = 0;
    CHECK(numbered_by_first(c->community, c->n, c->ncommunities));
    for (size_t u = 1; u < c->n; u++)  /* Louvain never joins components */
        for (size_t v = 0; v < u && !split_component; v++)
            split_component = c->community[u] == c->community[v] &&
                              c->component[u] != c->component[v];
    CHECK(!split_component);
    CHECK_NEAR(c->modularity, nx_modularity(fx, c), 1e-9);
    for (int s = 0; s < 5; s++) {
        snprintf(key, sizeof key, "louvain_modularity_seed_%d", s);
        double q = graph_value(fx, key);
        if (!(c->modularity >= q - 0.02))
            fprintf(stderr, "%s: modularity %.6f, NetworkX seed %d %.6f\n",
                    name, c->modularity, s, q);
        CHECK(c->modularity >= q - 0.02);
    }
}

static void check_measures(const char *name, const struct fixture *fx,
                           const struct cw_centrality *c)
{
    const double *got[NCOLS] = { c->degree, c->strength, c->betweenness,
                                 c->closeness, c->harmonic, c->eigenvector };
    double *component = malloc(fx->n * sizeof *component);

    CHECK(component != NULL);
    if (!component)
        return;
    for (size_t u = 0; u < fx->n; u++)
        component[u] = c->component[u];
    got[COMPONENT] = component;
    for (int j = 0; j < NCOLS; j++)
        check_column(name, j, got[j], fx, j == EIGENVECTOR ? 1e-6 : 1e-9);
    CHECK(numbered_by_first(c->component, c->n, c->ncomponents));
    CHECK(c->ncomponents == (size_t)graph_value(fx, "ncomponents"));
    CHECK_NEAR(c->total_length, graph_value(fx, "total_length"),
               1e-9 * c->total_length);
    CHECK_NEAR(c->diameter, graph_value(fx, "diameter"), 1e-9 * c->diameter);
    free(component);
}

/* Louvain is randomised: the seeded RNG must make it repeatable. */
static void check_repeatable(struct cw_ctx *ctx, const struct fixture *fx,
                             const struct cw_centrality *c)
{
    struct cw_centrality again;
    int ok = cw_centrality_compute(ctx, fx->n, &fx->edges, fx->weight,
                                   &again) == CW_OK;
    CHECK(ok);
    if (ok) {
        CHECK(again.modularity == c->modularity);
        CHECK(memcmp(again.community, c->community,
                     fx->n * sizeof(int)) == 0);
    }
    cw_centrality_release(&again);
}

static void check_fixture(struct cw_ctx *ctx, const char *name)
{
    struct fixture fx;
    struct cw_centrality c;
    int ok = fixture_load(&fx, name) == 0;

    CHECK(ok);
    ok = ok && fx.n == (size_t)graph_value(&fx, "n") &&
         fx.edges.n == (size_t)graph_value(&fx, "edges");
    CHECK(ok);
    ok = ok && cw_centrality_compute(ctx, fx.n, &fx.edges, fx.weight, &c) ==
               CW_OK;
    CHECK(ok);
    if (ok) {
        check_measures(name, &fx, &c);
        check_communities(name, &fx, &c);
        check_repeatable(ctx, &fx, &c);
        cw_centrality_release(&c);
    }
    fixture_release(&fx);
}

int main(void)
{
    struct cw_ctx *ctx = cw_ctx_new();
    if (!ctx) {
        fprintf(stderr, "cannot create context\n");
        return 1;
    }
    test_bad_edges(ctx);
    test_bad_values(ctx);
    test_release();
    test_empty(ctx);
    test_zero_weight(ctx);
    test_single_node(ctx);
    test_single_edge(ctx);
    test_path(ctx);
    test_star(ctx);
    test_triangle_isolated(ctx);
    test_two_triangles(ctx);
    test_igraph_state_restored(ctx);
    check_fixture(ctx, "pairings");
    check_fixture(ctx, "links");
    check_fixture(ctx, "rgg");
    cw_ctx_free(ctx);
    return CHECK_DONE();
}
