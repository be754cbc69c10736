/* cmd_cluster.c: `cityweave cluster`: parses options into a
 * cw_cluster_opts and runs cw_cluster_run().
 * SPDX-License-Identifier: MIT
 */
#include <stdio.h>
#include <string.h>

#include "cli.h"

enum {
    K_METHOD = CLI_KEY_FIRST, K_EPS, K_MIN_PTS, K_MIN_SIZE, K_MIN_SAMPLES, K_K, K_SEED,
    K_N_INIT, K_LINKAGE, K_CUT, K_ATTRS, K_GRAPH, K_MIN_POP, K_BY, K_WEIGHT, K_POP,
    K_THEME, K_SPHERE, K_HULLS, K_HULL, K_RATIO, K_BUFFER
};

static const struct cli_opt opts[] = {
    { "Method", 0, NULL, NULL },
    { "method", K_METHOD, "NAME", "dbscan, hdbscan, kmeans, linkage or skater" },
    { "eps", K_EPS, "DIST", "dbscan: neighbourhood radius (50km, 500m)" },
    { "min-pts", K_MIN_PTS, "N", "dbscan: points (or weight) within eps, itself included, to be core (default 5)" },
    { "min-cluster-size", K_MIN_SIZE, "N", "hdbscan: smallest cluster" },
    { "min-samples", K_MIN_SAMPLES, "N", "hdbscan: neighbours for the core distance (default: min-cluster-size)" },
    { "k", K_K, "K", "kmeans, skater: number of clusters; linkage: cut at K clusters" },
    { "seed", K_SEED, "S", "kmeans: seed of the k-means++ start (default 0)" },
    { "n-init", K_N_INIT, "N", "kmeans: runs, the best kept (default 10)" },
    { "linkage", K_LINKAGE, "HOW", "linkage: single, complete or average (default single)" },
    { "cut", K_CUT, "DIST", "linkage: cut the tree at this merge distance" },
    { "attrs", K_ATTRS, "F1,F2", "skater: numeric fields the regions should be alike in" },
    { "graph", K_GRAPH, "G", "skater: neighbour graph knn:K or delaunay (default knn:8)" },
    { "min-pop", K_MIN_POP, "N", "skater: least population of a region" },
    { "Groups and weights", 0, NULL, NULL },
    { "by", K_BY, "F", "cluster the points of each value of F apart" },
    { "weight-field", K_WEIGHT, "F", "point weights (dbscan, kmeans)" },
    { "pop-field", K_POP, "F", "population for pop_sum and --min-pop (default: population)" },
    { "theme-field", K_THEME, "F", "hulls: report the most frequent value of F (default: --by)" },
    { "sphere", K_SPHERE, NULL, "great-circle distances on a sphere of radius 6371.0088 km" },
    { "Hulls", 0, NULL, NULL },
    { "hulls", K_HULLS, "PATH", "also write one polygon per cluster with its summary" },
    { "hull", K_HULL, "KIND", "convex or concave (default convex)" },
    { "ratio", K_RATIO, "R", "concave: GEOS concave hull ratio, 0..1 (default 0.3)" },
    { "buffer", K_BUFFER, "DIST", "grow each hull by DIST" },
    { NULL, 0, NULL, NULL },
};

static const struct cli_choice methods[] = {
    { "dbscan", CW_CL_DBSCAN }, { "hdbscan", CW_CL_HDBSCAN }, { "kmeans", CW_CL_KMEANS },
    { "linkage", CW_CL_LINKAGE }, { "skater", CW_CL_SKATER }, { NULL, 0 },
};
static const struct cli_choice linkages[] = {
    { "single", CW_LINK_SINGLE }, { "complete", CW_LINK_COMPLETE },
    { "average", CW_LINK_AVERAGE }, { NULL, 0 },
};
static const struct cli_choice hull_kinds[] = {
    { "convex", CW_HULL_CONVEX }, { "concave", CW_HULL_CONCAVE }, { NULL, 0 },
};

struct args {
    struct cw_cluster_opts o;
    int have_method;
    unsigned long given;     /* bit per option key, to check what goes with what */
};

static void graph_option(struct cli *c, struct cw_cluster_opts *o, const char *val)
{
    if (strcmp(val, "delaunay") == 0)
        o->graph_knn = 0;
    else if (strncmp(val, "knn:", 4) == 0)
        o->graph_knn = (int)cli_int(c, "--graph knn:K", val + 4, 1, 1000);
    else
        cli_usage_error(c, "--graph must be knn:K or delaunay (got '%s')", val);
}

static void on_opt(struct cli *c, int key, const char *val, void *arg)
{
    struct args *a = arg;
    struct cw_cluster_opts *o = &a->o;
    a->given |= 1ul << (key - CLI_KEY_FIRST);
    switch (key) {
    case K_METHOD: o->method = cli_choose(c, "--method", val, methods); a->have_method = 1; break;
    case K_EPS: o->eps = cli_distance(c, "--eps", val); break;
    case K_MIN_PTS: o->min_pts = cli_number(c, "--min-pts", val, 1, 1e12); break;
    case K_MIN_SIZE: o->min_cluster_size = (int)cli_int(c, "--min-cluster-size", val, 2, 1000000000); break;
    case K_MIN_SAMPLES: o->min_samples = (int)cli_int(c, "--min-samples", val, 1, 1000000000); break;
    case K_K: o->k = (int)cli_int(c, "--k", val, 1, 1000000000); break;
    case K_SEED: o->seed = (uint64_t)cli_int(c, "--seed", val, 0, 2147483647L); break;
    case K_N_INIT: o->n_init = (int)cli_int(c, "--n-init", val, 1, 10000); break;
    case K_LINKAGE: o->linkage = cli_choose(c, "--linkage", val, linkages); break;
    case K_CUT: o->cut = cli_distance(c, "--cut", val); break;
    case K_ATTRS: o->attrs = val; break;
    case K_GRAPH: graph_option(c, o, val); break;
    case K_MIN_POP: o->min_pop = cli_number(c, "--min-pop", val, 0, 1e15); break;
    case K_BY: o->by_field = val; break;
    case K_WEIGHT: o->weight_field = val; break;
    case K_POP: o->pop_field = val; break;
    case K_THEME: o->theme_field = val; break;
    case K_SPHERE: o->sphere = 1; break;
    case K_HULLS: o->hulls_output = val; break;
    case K_HULL: o->hull.kind = cli_choose(c, "--hull", val, hull_kinds); break;
    case K_RATIO: o->hull.ratio = cli_number(c, "--ratio", val, 0, 1); break;
    case K_BUFFER: o->hull.buffer = cli_distance(c, "--buffer", val); break;
    }
}

#define GIVEN(a, k) ((a)->given & (1ul << ((k) - CLI_KEY_FIRST)))

/* Each method's own options, and only those. */
static const struct { int key; unsigned methods; } owners[] = {
    { K_EPS, 1u << CW_CL_DBSCAN }, { K_MIN_PTS, 1u << CW_CL_DBSCAN },
    { K_MIN_SIZE, 1u << CW_CL_HDBSCAN }, { K_MIN_SAMPLES, 1u << CW_CL_HDBSCAN },
    { K_K, 1u << CW_CL_KMEANS | 1u << CW_CL_LINKAGE | 1u << CW_CL_SKATER },
    { K_SEED, 1u << CW_CL_KMEANS }, { K_N_INIT, 1u << CW_CL_KMEANS },
    { K_LINKAGE, 1u << CW_CL_LINKAGE }, { K_CUT, 1u << CW_CL_LINKAGE },
    { K_ATTRS, 1u << CW_CL_SKATER }, { K_GRAPH, 1u << CW_CL_SKATER },
    { K_MIN_POP, 1u << CW_CL_SKATER },
    { K_WEIGHT, 1u << CW_CL_DBSCAN | 1u << CW_CL_KMEANS },
};

static const char *opt_name(int key)
{
    for (const struct cli_opt *o = opts; o->name; o++)
        if (o->key == key)
            return o->name;
    return "?";
}

static void validate(struct cli *c, struct args *a)
{
    struct cw_cluster_opts *o = &a->o;
    if (!a->have_method)
        cli_usage_error(c, "no --method (dbscan, hdbscan, kmeans, linkage or skater)");
    for (size_t i = 0; i < sizeof owners / sizeof owners[0]; i++)
        if (GIVEN(a, owners[i].key) && !(owners[i].methods & (1u << o->method)))
            cli_usage_error(c, "--%s does not go with --method %s",
                            opt_name(owners[i].key), methods[o->method].name);
    if (o->method == CW_CL_DBSCAN && !GIVEN(a, K_EPS))
        cli_usage_error(c, "--method dbscan needs --eps");
    if (o->method == CW_CL_HDBSCAN && !GIVEN(a, K_MIN_SIZE))
        cli_usage_error(c, "--method hdbscan needs --min-cluster-size");
    if ((o->method == CW_CL_KMEANS || o->method == CW_CL_SKATER) && !GIVEN(a, K_K))
        cli_usage_error(c, "--method %s needs --k", methods[o->method].name);
    if (o->method == CW_CL_SKATER && !o->attrs)
        cli_usage_error(c, "--method skater needs --attrs");
    if (o->method == CW_CL_LINKAGE && !GIVEN(a, K_CUT) == !GIVEN(a, K_K))
        cli_usage_error(c, "--method linkage needs one of --cut and --k");
    if (!GIVEN(a, K_CUT))
        o->cut = -1;
    if ((GIVEN(a, K_HULL) || GIVEN(a, K_RATIO) || GIVEN(a, K_BUFFER)) && !o->hulls_output)
        cli_usage_error(c, "--hull, --ratio and --buffer go with --hulls");
    if (!c->output)
        cli_usage_error(c, "no output (-o PATH)");
    const char *inputs[] = { o->input, NULL };
    cli_check_distinct(c, c->output, inputs);
    cli_check_distinct(c, o->hulls_output, inputs);
    if (o->hulls_output && strcmp(o->hulls_output, c->output) == 0)
        cli_usage_error(c, "--hulls and -o name the same file");
}

int cmd_cluster(int argc, char **argv)
{
    struct cli c = {
        .cmd = "cluster",
        .synopsis = "POINTS --method dbscan|hdbscan|kmeans|linkage|skater [method options]\n"
                    "       -o POINTS_OUT [--hulls HULLS] [options]",
        .about = "Groups points on the globe into clusters and writes them with two more\n"
                 "fields, cluster (-1 for noise) and role (core, border or noise), and with\n"
                 "--hulls one polygon per cluster with n, pop_sum, centroid_lon, centroid_lat,\n"
                 "radius_km, area_km2 and members.",
        .opts = opts,
        .reads_points = 1,
    };
    struct args a = { .o = { .min_pts = 5, .n_init = 10, .graph_knn = 8,
                             .hull = { CW_HULL_CONVEX, 0.3, 0, 0 } } };
    cli_parse(&c, argc, argv, on_opt, &a);
    a.o.input = cli_one_input(&c, argc, argv, "POINTS");
    validate(&c, &a);
    a.o.output = c.output;
    a.o.write = c.write;
    a.o.read = c.read;
    a.o.id_field = c.id_field;
    a.o.name_field = c.name_field;

    struct cw_ctx *ctx = cli_ctx_new(&c);
    struct cw_cluster_stats st;
    int rc = cw_cluster_run(ctx, &a.o, &st);
    if (!rc && c.verbose)
        cli_say(&c, "%zu points, %zu clusters, %zu noise", st.points, st.clusters, st.noise);
    return cli_done(&c, ctx, rc);
}
