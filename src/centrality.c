/* centrality.c: degree, strength, betweenness, closeness, harmonic and
 * eigenvector centrality, connected components and Louvain communities of
 * an undirected weighted graph, through igraph's C API and normalised as
 * NetworkX 2.8 does (see centrality.h for the exact definitions).
 * SPDX-License-Identifier: MIT
 */
#include <limits.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include <igraph.h>

#include "cityweave/centrality.h"

/* Seed of the private RNG that igraph draws from during the call (Louvain's
 * node order, ARPACK's start vector); the fixtures were checked with it. */
#define RNG_SEED 42

/* The igraph view of the input, shared by every step. */
struct graph {
    igraph_t g;
    igraph_vector_t length, weight;  /* per igraph edge id = input index */
    size_t n;
};

static int check_edge(struct cw_ctx *ctx, size_t n, const struct cw_edges *es,
                      const double *weight, size_t i)
{
    const struct cw_edge *e = &es->e[i];
    if (e->a >= e->b || e->b >= n)
        return cw_ctx_error(ctx, CW_ERR_ARG, "edge %zu (%u, %u): need a < b "
                            "< %zu", i, (unsigned)e->a, (unsigned)e->b, n);
    /* Strict (a, b) order rules out the duplicates that igraph would count
     * as parallel edges but NetworkX's Graph would merge. */
    if (i > 0 && (e[-1].a > e->a || (e[-1].a == e->a && e[-1].b >= e->b)))
        return cw_ctx_error(ctx, CW_ERR_ARG, "edge %zu (%u, %u): edges must "
                            "be sorted by (a, b) without duplicates", i,
                            (unsigned)e->a, (unsigned)e->b);
    if (!(e->dist > 0 && e->dist < INFINITY))
        return cw_ctx_error(ctx, CW_ERR_ARG, "edge %zu (%u, %u): length %g "
                            "must be positive and finite", i, (unsigned)e->a,
                            (unsigned)e->b, e->dist);
    if (weight && !(weight[i] >= 0 && weight[i] < INFINITY))
        return cw_ctx_error(ctx, CW_ERR_ARG, "edge %zu (%u, %u): weight %g "
                            "must be finite and non-negative", i,
                            (unsigned)e->a, (unsigned)e->b, weight[i]);
    return CW_OK;
}

static int check_input(struct cw_ctx *ctx, size_t n, const struct cw_edges *es,
                       const double *weight)
{
    if (n > INT_MAX)  /* component and community ids are int */
        return cw_ctx_error(ctx, CW_ERR_ARG, "%zu nodes: at most %d", n,
                            INT_MAX);
    for (size_t i = 0; i < es->n; i++) {
        int rc = check_edge(ctx, n, es, weight, i);
        if (rc != CW_OK)
            return rc;
    }
    return CW_OK;
}

static int alloc_out(struct cw_centrality *c, size_t n)
{
    double **d[] = { &c->degree, &c->strength, &c->betweenness,
                     &c->closeness, &c->harmonic, &c->eigenvector };
    size_t k = n ? n : 1;  /* calloc(0) may return NULL */
    for (size_t i = 0; i < sizeof d / sizeof d[0]; i++)
        if (!(*d[i] = calloc(k, sizeof(double))))
            return CW_ERR_NOMEM;
    c->component = calloc(k, sizeof(int));
    c->community = calloc(k, sizeof(int));
    return c->component && c->community ? CW_OK : CW_ERR_NOMEM;
}

/* The measures that need no paths: plain sums over the edge list. */
static void sum_edges(struct cw_centrality *c, const struct cw_edges *es,
                      const double *weight)
{
    for (size_t i = 0; i < es->n; i++) {
        const struct cw_edge *e = &es->e[i];
        double w = weight ? weight[i] : 1;
        c->degree[e->a] += 1;
        c->degree[e->b] += 1;
        c->strength[e->a] += w;
        c->strength[e->b] += w;
        c->total_length += e->dist;
    }
}

static igraph_error_t graph_init(struct graph *gr, size_t n,
                                 const struct cw_edges *es,
                                 const double *weight)
{
    igraph_vector_int_t ends;
    igraph_integer_t m = (igraph_integer_t)es->n;
    igraph_error_t rc = igraph_vector_int_init(&ends, 2 * m);
    if (rc != IGRAPH_SUCCESS)
        return rc;
    for (igraph_integer_t i = 0; i < m; i++) {
        VECTOR(ends)[2 * i] = es->e[i].a;
        VECTOR(ends)[2 * i + 1] = es->e[i].b;
        VECTOR(gr->length)[i] = es->e[i].dist;
        VECTOR(gr->weight)[i] = weight ? weight[i] : 1;
    }
    gr->n = n;
    rc = igraph_create(&gr->g, &ends, (igraph_integer_t)n, IGRAPH_UNDIRECTED);
    igraph_vector_int_destroy(&ends);
    return rc;
}

/* Relabels @p label so that groups are numbered 0.. in the order of their
 * lowest node; @return the number of groups through @p count. */
static igraph_error_t renumber(const igraph_vector_int_t *label, size_t n,
                               int *out, size_t *count)
{
    igraph_vector_int_t map;
    igraph_error_t rc = igraph_vector_int_init(&map, (igraph_integer_t)n);
    if (rc != IGRAPH_SUCCESS)
        return rc;
    igraph_vector_int_fill(&map, -1);
    *count = 0;
    for (size_t u = 0; u < n; u++) {
        igraph_integer_t *id = &VECTOR(map)[VECTOR(*label)[u]];
        if (*id < 0)
            *id = (igraph_integer_t)(*count)++;
        out[u] = (int)*id;
    }
    igraph_vector_int_destroy(&map);
    return IGRAPH_SUCCESS;
}

static igraph_error_t components(const struct graph *gr,
                                 struct cw_centrality *c)
{
    igraph_vector_int_t memb;
    igraph_error_t rc = igraph_vector_int_init(&memb, 0);
    if (rc != IGRAPH_SUCCESS)
        return rc;
    rc = igraph_connected_components(&gr->g, &memb, NULL, NULL, IGRAPH_WEAK);
    if (rc == IGRAPH_SUCCESS)
        rc = renumber(&memb, gr->n, c->component, &c->ncomponents);
    igraph_vector_int_destroy(&memb);
    return rc;
}

/* Closeness, harmonic and the diameter of one source from its row of
 * distances (IGRAPH_INFINITY where unreachable), as NetworkX writes them. */
static void source_measures(struct cw_centrality *c, size_t u,
                            const igraph_matrix_t *row)
{
    double total = 0, harmonic = 0;
    size_t reached = 0;
    for (size_t v = 0; v < c->n; v++) {
        double d = MATRIX(*row, 0, v);
        if (d == IGRAPH_INFINITY)
            continue;
        reached++;                /* u itself included, at d = 0 */
        total += d;
        if (d > 0)
            harmonic += 1 / d;
        if (d > c->diameter)
            c->diameter = d;
    }
    c->harmonic[u] = harmonic;
    /* the same operations, in the same order, as NetworkX */
    c->closeness[u] = 0;
    if (total > 0) {
        c->closeness[u] = (reached - 1.0) / total;
        c->closeness[u] *= (reached - 1.0) / (double)(c->n - 1);
    }
}

/* One Dijkstra per source keeps memory at O(n) rather than the n x n
 * matrix, and gives all three path measures from the same distances;
 * igraph_closeness would leave isolated nodes NaN and need rescaling. */
static igraph_error_t path_measures(const struct graph *gr,
                                    struct cw_centrality *c)
{
    igraph_matrix_t row;
    igraph_error_t rc = igraph_matrix_init(&row, 1, (igraph_integer_t)gr->n);
    if (rc != IGRAPH_SUCCESS)
        return rc;
    for (size_t u = 0; u < gr->n && rc == IGRAPH_SUCCESS; u++) {
        rc = igraph_distances_dijkstra(&gr->g, &row,
                                       igraph_vss_1((igraph_integer_t)u),
                                       igraph_vss_all(), &gr->length,
                                       IGRAPH_ALL);
        if (rc == IGRAPH_SUCCESS)
            source_measures(c, u, &row);
    }
    igraph_matrix_destroy(&row);
    return rc;
}

static igraph_error_t betweenness(const struct graph *gr,
                                  struct cw_centrality *c)
{
    igraph_vector_t b;
    double n = (double)gr->n;
    /* igraph counts each unordered pair once; NetworkX counts ordered pairs
     * and divides by (n-1)(n-2). With n <= 2 every value is 0 anyway. */
    double scale = gr->n > 2 ? 2 / ((n - 1) * (n - 2)) : 1;
    igraph_error_t rc = igraph_vector_init(&b, 0);
    if (rc != IGRAPH_SUCCESS)
        return rc;
    rc = igraph_betweenness(&gr->g, &b, igraph_vss_all(), IGRAPH_UNDIRECTED,
                            &gr->length);
    for (size_t u = 0; rc == IGRAPH_SUCCESS && u < gr->n; u++)
        c->betweenness[u] = VECTOR(b)[u] * scale;
    igraph_vector_destroy(&b);
    return rc;
}

/* Eigenvector centrality of the component made of the nodes @p vids,
 * scaled to unit Euclidean norm (igraph scales the maximum to 1); @p x and
 * @p invmap are scratch vectors. */
static igraph_error_t component_eigenvector(const struct graph *gr,
                                            const igraph_vector_int_t *vids,
                                            igraph_vector_t *x,
                                            igraph_vector_int_t *invmap,
                                            double *out)
{
    igraph_t sub;
    igraph_arpack_options_t opts;
    double norm = 0;
    igraph_error_t rc = igraph_induced_subgraph_map(
        &gr->g, &sub, igraph_vss_vector(vids),
        IGRAPH_SUBGRAPH_CREATE_FROM_SCRATCH, NULL, invmap);
    if (rc != IGRAPH_SUCCESS)
        return rc;
    igraph_arpack_options_init(&opts);
    rc = igraph_eigenvector_centrality(&sub, x, NULL, IGRAPH_UNDIRECTED, 1,
                                       NULL, &opts);
    if (rc != IGRAPH_SUCCESS)
        goto out;
    for (igraph_integer_t i = 0; i < igraph_vector_size(x); i++)
        norm += VECTOR(*x)[i] * VECTOR(*x)[i];
    norm = sqrt(norm);
    for (igraph_integer_t i = 0; i < igraph_vector_size(x); i++)
        out[VECTOR(*invmap)[i]] = VECTOR(*x)[i] / norm;
out:
    igraph_destroy(&sub);
    return rc;
}

/* Node lists of every component, ascending within each: a counting sort
 * on c->component. Component i is nodes[end[i-1] .. end[i]). */
static void group_components(const struct cw_centrality *c,
                             igraph_vector_int_t *end,
                             igraph_vector_int_t *nodes)
{
    igraph_integer_t k = (igraph_integer_t)c->ncomponents;
    for (size_t u = 0; u < c->n; u++)
        VECTOR(*end)[c->component[u] + 1]++;
    for (igraph_integer_t i = 0; i < k; i++)
        VECTOR(*end)[i + 1] += VECTOR(*end)[i];
    /* end[i] now starts component i; filling moves it to its end */
    for (size_t u = 0; u < c->n; u++)
        VECTOR(*nodes)[VECTOR(*end)[c->component[u]]++] = (igraph_integer_t)u;
}

/* Per component: on a disconnected graph the dominant eigenvector is not
 * unique, and NetworkX's power iteration returns a start-vector-dependent
 * mix. Isolated nodes keep 0. */
static igraph_error_t eigenvector(const struct graph *gr,
                                  struct cw_centrality *c)
{
    igraph_vector_int_t end, nodes, invmap, view;
    igraph_vector_t x;
    igraph_integer_t k = (igraph_integer_t)c->ncomponents;
    igraph_error_t rc = igraph_vector_int_init(&end, k + 1);
    if (rc != IGRAPH_SUCCESS)
        return rc;
    rc = igraph_vector_int_init(&nodes, (igraph_integer_t)gr->n);
    if (rc != IGRAPH_SUCCESS)
        goto out_end;
    if ((rc = igraph_vector_int_init(&invmap, 0)) != IGRAPH_SUCCESS)
        goto out_nodes;
    if ((rc = igraph_vector_init(&x, 0)) != IGRAPH_SUCCESS)
        goto out_invmap;
    group_components(c, &end, &nodes);
    for (igraph_integer_t i = 0; i < k && rc == IGRAPH_SUCCESS; i++) {
        igraph_integer_t lo = i ? VECTOR(end)[i - 1] : 0;
        igraph_integer_t size = VECTOR(end)[i] - lo;
        if (size >= 2)
            rc = component_eigenvector(gr, igraph_vector_int_view(&view,
                                       &VECTOR(nodes)[lo], size), &x, &invmap,
                                       c->eigenvector);
    }
    igraph_vector_destroy(&x);
out_invmap:
    igraph_vector_int_destroy(&invmap);
out_nodes:
    igraph_vector_int_destroy(&nodes);
out_end:
    igraph_vector_int_destroy(&end);
    return rc;
}

static igraph_error_t communities(const struct graph *gr,
                                  struct cw_centrality *c)
{
    igraph_vector_int_t memb;
    igraph_error_t rc = igraph_vector_int_init(&memb, 0);
    if (rc != IGRAPH_SUCCESS)
        return rc;
    rc = igraph_community_multilevel(&gr->g, &gr->weight, 1, &memb, NULL,
                                     NULL);
    /* Modularity divides by the total weight; igraph gives NaN without
     * edges but 0 when the edges all weigh 0, NetworkX raises. */
    c->modularity = NAN;
    if (rc == IGRAPH_SUCCESS && igraph_vector_sum(&gr->weight) > 0)
        rc = igraph_modularity(&gr->g, &memb, &gr->weight, 1,
                               IGRAPH_UNDIRECTED, &c->modularity);
    if (rc == IGRAPH_SUCCESS)
        rc = renumber(&memb, gr->n, c->community, &c->ncommunities);
    igraph_vector_int_destroy(&memb);
    return rc;
}

typedef igraph_error_t (*step_fn)(const struct graph *, struct cw_centrality *);

/* In order: eigenvector needs the components. */
static const struct step {
    const char *name;
    step_fn run;
} steps[] = {
    { "connected components", components },
    { "shortest paths", path_measures },
    { "betweenness", betweenness },
    { "eigenvector centrality", eigenvector },
    { "communities", communities },
};

/* The steps run with a private RNG, seeded, installed as igraph's default
 * for the call only: results are reproducible and the caller's random
 * stream is left untouched. igraph_rng_set_default() copies the struct
 * (type and state pointer), so the previous default is saved and put back
 * by value, before our RNG's state is freed. */
static igraph_error_t run_steps_seeded(const struct graph *gr,
                                       struct cw_centrality *c,
                                       const char **what)
{
    igraph_rng_t rng, prev = *igraph_rng_default();
    igraph_error_t rc = igraph_rng_init(&rng, &igraph_rngtype_mt19937);
    if (rc != IGRAPH_SUCCESS)
        return rc;
    rc = igraph_rng_seed(&rng, RNG_SEED);
    igraph_rng_set_default(&rng);
    for (size_t i = 0; i < sizeof steps / sizeof steps[0] && !rc; i++) {
        *what = steps[i].name;
        rc = steps[i].run(gr, c);
    }
    igraph_rng_set_default(&prev);
    igraph_rng_destroy(&rng);
    return rc;
}

static int run_steps(struct cw_ctx *ctx, size_t n, const struct cw_edges *es,
                     const double *weight, struct cw_centrality *c)
{
    struct graph gr;
    igraph_integer_t m = (igraph_integer_t)es->n;
    const char *what = "graph construction";
    igraph_error_t rc = igraph_vector_init(&gr.length, m);
    if (rc != IGRAPH_SUCCESS)
        goto fail;
    if ((rc = igraph_vector_init(&gr.weight, m)) != IGRAPH_SUCCESS)
        goto out_length;
    if ((rc = graph_init(&gr, n, es, weight)) != IGRAPH_SUCCESS)
        goto out_weight;
    rc = run_steps_seeded(&gr, c, &what);
    igraph_destroy(&gr.g);
out_weight:
    igraph_vector_destroy(&gr.weight);
out_length:
    igraph_vector_destroy(&gr.length);
fail:
    if (rc == IGRAPH_ENOMEM)
        return cw_ctx_error(ctx, CW_ERR_NOMEM, "igraph %s: out of memory",
                            what);
    if (rc != IGRAPH_SUCCESS)
        return cw_ctx_error(ctx, CW_ERR_LIB, "igraph %s: %s", what,
                            igraph_strerror(rc));
    return CW_OK;
}

int cw_centrality_compute(struct cw_ctx *ctx, size_t n,
                          const struct cw_edges *edges, const double *weight,
                          struct cw_centrality *out)
{
    igraph_error_handler_t *prev_error;
    igraph_warning_handler_t *prev_warning;
    int rc;

    memset(out, 0, sizeof *out);
    out->n = n;
    if ((rc = check_input(ctx, n, edges, weight)) != CW_OK)
        goto out;
    if ((rc = alloc_out(out, n)) != CW_OK) {
        cw_ctx_error(ctx, rc, "out of memory for %zu nodes", n);
        goto out;
    }
    sum_edges(out, edges, weight);
    /* igraph aborts on errors and prints warnings by default; the library
     * must do neither. The handlers are global: restore them at once. */
    prev_error = igraph_set_error_handler(igraph_error_handler_ignore);
    prev_warning = igraph_set_warning_handler(igraph_warning_handler_ignore);
    rc = run_steps(ctx, n, edges, weight, out);
    igraph_set_warning_handler(prev_warning);
    igraph_set_error_handler(prev_error);
out:
    if (rc != CW_OK)
        cw_centrality_release(out);
    return rc;
}

void cw_centrality_release(struct cw_centrality *c)
{
    if (!c)
        return;
    free(c->degree);
    free(c->strength);
    free(c->betweenness);
    free(c->closeness);
    free(c->harmonic);
    free(c->eigenvector);
    free(c->component);
    free(c->community);
    memset(c, 0, sizeof *c);
}
