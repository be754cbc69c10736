/* cmd_links.c: `cityweave linkage links`: parses options into a
 * cw_catchment_job and runs cw_catchment_run().
 * SPDX-License-Identifier: MIT
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cli.h"

enum {
    K_CENTRES = CLI_KEY_FIRST, K_POP, K_PLACES, K_PLACE_POP, K_MODEL, K_ALPHA, K_BETA,
    K_MAX_DIST, K_MAX_MIN, K_DIST_BANDS, K_COST, K_BANDS, K_KNIGHT, K_CLASSES, K_SEGMENT,
    K_CATCH, K_SUMMARY, K_CWHERE
};

static const struct cli_opt opts[] = {
    { "Inputs", 0, NULL, NULL },
    { "centres", K_CENTRES, "PATH", "urban centres (points or polygons, e.g. degurba --polygons)" },
    { "centres-where", K_CWHERE, "EXPR", "OGR SQL filter of the centres (-where filters the places)" },
    { "pop-field", K_POP, "F", "the centres' population field (required)" },
    { "places", K_PLACES, "PATH", "places or units that depend on the centres (points or polygons)" },
    { "place-pop-field", K_PLACE_POP, "F", "the places' population (default: --pop-field if present)" },
    { "Model", 0, NULL, NULL },
    { "model", K_MODEL, "M", "nearest (default), gravity or huff" },
    { "alpha", K_ALPHA, "A", "gravity, huff: exponent of centre size (1)" },
    { "beta", K_BETA, "B", "gravity, huff: exponent of distance decay (2)" },
    { "max-dist", K_MAX_DIST, "DIST", "centres farther than DIST are out of reach" },
    { "Bands (hierarchical catchments)", 0, NULL, NULL },
    { "dist-bands", K_DIST_BANDS, "D1,D2,..", "distance bands, e.g. 10km,25km,50km" },
    { "cost", K_COST, "RASTER", "friction in minutes per metre: separations become travel times" },
    { "bands", K_BANDS, "M1,M2,..", "with --cost: travel-time bands in minutes, e.g. 60,120,180" },
    { "max-minutes", K_MAX_MIN, "M", "with --cost: centres farther than M minutes are out of reach" },
    { "knight", K_KNIGHT, NULL, "with --cost: 16 neighbours (knight's moves) instead of 8" },
    { "size-classes", K_CLASSES, "N1,N2,..", "centre size class bounds, descending (1000000,250000,50000)" },
    { "Outputs", 0, NULL, NULL },
    { "segment", K_SEGMENT, "DIST", "densify link lines every DIST (default 5km)" },
    { "catchments", K_CATCH, "PATH", "polygon places dissolved per centre and band" },
    { "summary", K_SUMMARY, "PATH", "one row per centre: places, pop_served, area_km2" },
    { NULL, 0, NULL, NULL },
};

static const struct cli_choice models[] = {
    { "nearest", CW_MODEL_NEAREST }, { "gravity", CW_MODEL_GRAVITY }, { "huff", CW_MODEL_HUFF },
    { NULL, 0 },
};

struct args {
    struct cw_catchment_job j;
    int dist_bands, time_bands, max_dist, max_min;
};

/* A comma list of ascending (or, for classes, descending) positive values. */
static int list(struct cli *c, const char *opt, const char *val, int distances, int descending,
                double *out)
{
    char buf[512];
    int n = 0;
    snprintf(buf, sizeof buf, "%s", val);
    for (char *save = NULL, *t = strtok_r(buf, ",", &save); t; t = strtok_r(NULL, ",", &save)) {
        if (n == CW_MAX_BANDS)
            cli_usage_error(c, "%s takes at most %d values", opt, CW_MAX_BANDS);
        out[n] = distances ? cli_distance(c, opt, t) : cli_number(c, opt, t, 1e-9, 1e15);
        if (n > 0 && (descending ? out[n] >= out[n - 1] : out[n] <= out[n - 1]))
            cli_usage_error(c, "%s must be %s (got '%s')", opt,
                            descending ? "decreasing" : "increasing", val);
        n++;
    }
    if (n == 0)
        cli_usage_error(c, "%s needs at least one value", opt);
    return n;
}

static void on_opt(struct cli *c, int key, const char *val, void *arg)
{
    struct args *a = arg;
    struct cw_catchment_job *j = &a->j;
    switch (key) {
    case K_CENTRES: j->centres = val; break;
    case K_CWHERE: j->centres_where = val; break;
    case K_POP: j->centre_pop_field = val; break;
    case K_PLACES: j->places = val; break;
    case K_PLACE_POP: j->place_pop_field = val; break;
    case K_MODEL: j->o.model = cli_choose(c, "--model", val, models); break;
    case K_ALPHA: j->o.alpha = cli_number(c, "--alpha", val, 0, 10); break;
    case K_BETA: j->o.beta = cli_number(c, "--beta", val, 0, 10); break;
    case K_MAX_DIST: j->o.max_sep = cli_distance(c, "--max-dist", val); a->max_dist = 1; break;
    case K_MAX_MIN: j->o.max_sep = cli_number(c, "--max-minutes", val, 1e-9, 1e9); a->max_min = 1; break;
    case K_DIST_BANDS: j->o.nbands = list(c, "--dist-bands", val, 1, 0, j->o.bands); a->dist_bands = 1; break;
    case K_BANDS: j->o.nbands = list(c, "--bands", val, 0, 0, j->o.bands); a->time_bands = 1; break;
    case K_COST: j->cost = val; break;
    case K_KNIGHT: j->knight = 1; break;
    case K_CLASSES: j->o.nclasses = list(c, "--size-classes", val, 0, 1, j->o.classes); break;
    case K_SEGMENT: j->segment = cli_distance(c, "--segment", val); break;
    case K_CATCH: j->catchments = val; break;
    case K_SUMMARY: j->summary = val; break;
    }
}

static void validate(struct cli *c, struct args *a)
{
    struct cw_catchment_job *j = &a->j;
    if (!j->centres || !j->places || !j->centre_pop_field)
        cli_usage_error(c, "--centres, --pop-field and --places are required");
    if (!c->output)
        cli_usage_error(c, "no output (-o LINKS)");
    if (j->cost ? (a->dist_bands || a->max_dist) : (a->time_bands || a->max_min || j->knight))
        cli_usage_error(c, j->cost ? "with --cost, bands are --bands (minutes) and the limit --max-minutes"
                                   : "--bands, --max-minutes and --knight go with --cost");
    if (j->cost && j->o.model != CW_MODEL_NEAREST)
        cli_usage_error(c, "--cost works with --model nearest (gravity and huff need every "
                        "centre's separation; use --dist-bands)");
    const char *inputs[] = { j->centres, j->places, j->cost, NULL };
    const char *outs[] = { c->output, j->catchments, j->summary };
    cli_check_outputs(c, outs, 3, inputs);
}

int cmd_linkage_links(int argc, char **argv)
{
    struct cli c = {
        .cmd = "linkage links",
        .synopsis = "--centres CENTRES --pop-field F --places PLACES [--model nearest|gravity|huff]\n"
                    "       [--dist-bands 10km,25km,50km | --cost FRICTION.tif --bands 60,120,180]\n"
                    "       -o LINKS [--catchments CATCHMENTS] [--summary SUMMARY] [options]",
        .about = "Links each place to the centres it depends on, as geodesic lines with dist_km,\n"
                 "minutes (--cost), prob, flow (population x probability), band and\n"
                 "centre_size_class. nearest: the nearest centre, or with bands the largest\n"
                 "centre reached within the first band that reaches any (URCA's hierarchical\n"
                 "rule); gravity and huff: every centre in reach, prob = pop^alpha/d^beta\n"
                 "normalised (d in km or minutes). Band 0 is the hinterland beyond the last band.",
        .opts = opts,
        .reads_points = 1,
    };
    struct args a = { .j = { .o = { .alpha = 1, .beta = 2, .nclasses = 3,
                                    .classes = { 1000000, 250000, 50000 } },
                             .segment = 5000 } };
    cli_parse(&c, argc, argv, on_opt, &a);
    if (argc > c.next_arg)
        cli_usage_error(&c, "unexpected operand '%s'", argv[c.next_arg]);
    validate(&c, &a);
    a.j.output = c.output;
    a.j.read = c.read;
    a.j.write = c.write;
    a.j.id_field = c.id_field;
    a.j.name_field = c.name_field;

    struct cw_ctx *ctx = cli_ctx_new(&c);
    struct cw_catchment_stats st;
    int rc = cw_catchment_run(ctx, &a.j, &st);
    if (!rc && c.verbose)
        cli_say(&c, "%zu places, %zu centres, %zu links, %zu places in no band", st.places,
                st.centres, st.links, st.hinterland);
    return cli_done(&c, ctx, rc);
}
