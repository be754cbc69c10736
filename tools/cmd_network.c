/* cmd_network.c: `cityweave network`: parses options into a
 * cw_network_opts and runs cw_network_run().
 * SPDX-License-Identifier: MIT
 */
#include <stdio.h>
#include <string.h>

#include "cli.h"

enum {
    K_LINKS = CLI_KEY_FIRST, K_FROM, K_TO, K_WEIGHT, K_LINKS_WHERE, K_KNN, K_WITHIN, K_MST,
    K_DELAUNAY, K_GABRIEL, K_RNG, K_HUBS, K_HUB_FIELD, K_NEAREST_HUB, K_SEGMENT, K_SPHERE,
    K_NODES, K_STATS, K_SELECT
};

static const struct cli_opt opts[] = {
    { "Links (exactly one)", 0, NULL, NULL },
    { "links", K_LINKS, "TABLE", "links from a table whose endpoints name city ids or names" },
    { "links-where", K_LINKS_WHERE, "EXPR", "OGR SQL filter on the link table's rows" },
    { "from-field", K_FROM, "F", "field of the link's first city (default: from_id)" },
    { "to-field", K_TO, "F", "field of the link's second city (default: to_id)" },
    { "weight-field", K_WEIGHT, "F", "link weight for strength (default: 1 a link)" },
    { "knn", K_KNN, "K", "each city to its K nearest cities" },
    { "within", K_WITHIN, "DIST", "every pair closer than DIST (25km, 500m)" },
    { "mst", K_MST, NULL, "minimum spanning tree" },
    { "delaunay", K_DELAUNAY, NULL, "spherical Delaunay triangulation" },
    { "gabriel", K_GABRIEL, NULL, "Gabriel graph" },
    { "rng", K_RNG, NULL, "relative neighbourhood graph" },
    { "hubs", K_HUBS, "LAYER", "hub points for hub and spoke (with --hub-field or --nearest-hub)" },
    { "hub-field", K_HUB_FIELD, "F", "city field naming its hub's id (hubs default to the cities)" },
    { "nearest-hub", K_NEAREST_HUB, NULL, "each city to its geodesically nearest hub" },
    { "Geometry and measures", 0, NULL, NULL },
    { "segment", K_SEGMENT, "DIST", "vertex spacing of the geodesic lines (default 50km)" },
    { "sphere", K_SPHERE, NULL, "great circles on a sphere of radius 6371.0088 km, not WGS84" },
    { "nodes-out", K_NODES, "PATH", "cities with degree, strength, betweenness, closeness, "
                                    "harmonic, eigenvector, component, community" },
    { "select", K_SELECT, "F1,F2", "write only these edge fields, in this order (azimuths are then not computed unless named)" },
    { "stats", K_STATS, NULL, "print nodes, edges, components, length, diameter on stderr" },
    { NULL, 0, NULL, NULL },
};

struct args {
    struct cw_network_opts o;
    int methods, stats;
};

static void set_method(struct cli *c, struct args *a, enum cw_net_method m)
{
    if (a->methods++)
        cli_usage_error(c, "give only one of --links, --knn, --within, --mst, --delaunay, "
                           "--gabriel, --rng, --hubs/--hub-field");
    a->o.method = m;
}

static void on_opt(struct cli *c, int key, const char *val, void *arg)
{
    struct args *a = arg;
    struct cw_network_opts *o = &a->o;
    switch (key) {
    case K_LINKS: set_method(c, a, CW_NET_LINKS); o->links = val; break;
    case K_LINKS_WHERE: o->links_where = val; break;
    case K_FROM: o->from_field = val; break;
    case K_TO: o->to_field = val; break;
    case K_WEIGHT: o->weight_field = val; break;
    case K_KNN: set_method(c, a, CW_NET_KNN); o->k = (int)cli_int(c, "--knn", val, 1, 1000); break;
    case K_WITHIN: set_method(c, a, CW_NET_WITHIN); o->within = cli_distance(c, "--within", val); break;
    case K_MST: set_method(c, a, CW_NET_MST); break;
    case K_DELAUNAY: set_method(c, a, CW_NET_DELAUNAY); break;
    case K_GABRIEL: set_method(c, a, CW_NET_GABRIEL); break;
    case K_RNG: set_method(c, a, CW_NET_RNG); break;
    case K_HUBS: o->hubs = val; break;
    case K_HUB_FIELD: o->hub_field = val; break;
    case K_NEAREST_HUB: o->nearest_hub = 1; break;
    case K_SEGMENT: o->segment = cli_distance(c, "--segment", val); break;
    case K_SPHERE: o->sphere = 1; break;
    case K_NODES: o->nodes_output = val; break;
    case K_STATS: a->stats = a->o.diameter = 1; break;
    case K_SELECT: o->select = val; break;
    }
}

/* Checks that the options make one consistent request. */
static void validate(struct cli *c, struct args *a)
{
    struct cw_network_opts *o = &a->o;
    if (o->hub_field && o->nearest_hub)
        cli_usage_error(c, "give --hub-field or --nearest-hub, not both");
    if (o->hub_field || o->nearest_hub)
        set_method(c, a, CW_NET_HUBS);
    else if (o->hubs)
        cli_usage_error(c, "--hubs needs --hub-field or --nearest-hub");
    if (o->nearest_hub && !o->hubs)
        cli_usage_error(c, "--nearest-hub needs --hubs LAYER");
    if (!a->methods)
        cli_usage_error(c, "say how to link the cities (--links, --knn, --within, --mst, ...)");
    if (!c->output)
        cli_usage_error(c, "no output (-o PATH)");
    if (o->method != CW_NET_LINKS && (o->from_field || o->to_field || o->weight_field ||
                                     o->links_where))
        cli_usage_error(c, "--from-field, --to-field, --weight-field and --links-where go with --links");
    const char *inputs[] = { o->cities, o->links ? o->links : o->cities,
                             o->hubs ? o->hubs : o->cities, NULL };
    cli_check_distinct(c, c->output, inputs);
    cli_check_distinct(c, o->nodes_output, inputs);
    if (o->nodes_output && strcmp(o->nodes_output, c->output) == 0)
        cli_usage_error(c, "--nodes-out and -o name the same file");
}

static void print_stats(const struct cw_network_stats *st)
{
    fprintf(stderr, "nodes: %zu\nedges: %zu\ncomponents: %zu\ntotal length: %.3f km\n",
            st->nodes, st->edges, st->components, st->total_km);
    if (st->diameter_km >= 0)
        fprintf(stderr, "diameter: %.3f km\n", st->diameter_km);
    else
        fprintf(stderr, "diameter: not computed (over 5000 nodes; ask for --nodes-out)\n");
}

int cmd_network(int argc, char **argv)
{
    struct cli c = {
        .cmd = "network",
        .synopsis = "CITIES (--links TABLE | --knn K | --within DIST | --mst | --delaunay |\n"
                    "       --gabriel | --rng | [--hubs LAYER] --hub-field F | --hubs LAYER "
                    "--nearest-hub)\n       -o EDGES [--nodes-out NODES] [options]",
        .about = "Links cities into a network and writes each link as a geodesic line on the\n"
                 "WGS84 ellipsoid (split at the antimeridian), with from_id, to_id, from_name,\n"
                 "to_name, dist_km, azimuth and the link table's own columns.",
        .opts = opts,
        .reads_points = 1,
    };
    struct args a = { .o = { .segment = 50000 } };
    cli_parse(&c, argc, argv, on_opt, &a);
    a.o.cities = cli_one_input(&c, argc, argv, "CITIES");
    validate(&c, &a);
    a.o.output = c.output;
    a.o.write = c.write;
    a.o.read = c.read;
    a.o.id_field = c.id_field;
    a.o.name_field = c.name_field;

    struct cw_ctx *ctx = cli_ctx_new(&c);
    struct cw_network_stats st;
    int rc = cw_network_run(ctx, &a.o, &st);
    if (!rc && a.stats)
        print_stats(&st);
    return cli_done(&c, ctx, rc);
}
