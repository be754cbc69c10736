/* cmd_green.c: `cityweave green`: parses options into a cw_green_job and
 * runs cw_green_run().
 * SPDX-License-Identifier: MIT
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cli.h"

enum {
    K_ZONE_ID = CLI_KEY_FIRST, K_BUFFER, K_GI, K_GI_LAYER, K_CLASS_FIELD, K_CLASS_MAP,
    K_RASTER, K_CLASSES, K_POP, K_POP_LAYER, K_POP_FIELD, K_ACCESS, K_MIN_AREA, K_DISPERSAL,
    K_CONNECTIVITY, K_PATCHES, K_LINKS, K_STRICT, K_COVERAGE, K_AREAS_ONLY
};

static const struct cli_opt opts[] = {
    { "zone-id", K_ZONE_ID, "F", "zone field naming zones in --patches and --links" },
    { "buffer", K_BUFFER, "DIST", "zones are points: geodesic circles of this radius" },
    { "GI inputs (repeatable; the options after one apply to it)", 0, NULL, NULL },
    { "gi", K_GI, "LAYER", "GI polygons (any OGR source), or a land-cover raster, polygonised" },
    { "gi-layer", K_GI_LAYER, "NAME", "the layer of that source (default: the first)" },
    { "class-field", K_CLASS_FIELD, "F", "field holding the GI class or OSM key=value tag" },
    { "class-map", K_CLASS_MAP, "MAP", "values to classes: osm (default; jaxa for a raster) or a file" },
    { "raster", K_RASTER, "TIF", "land-cover raster (the raster path: areas only)" },
    { "classes", K_CLASSES, "MAP", "its codes to classes: jaxa (default), worldcover, corine, FILE" },
    { "Population and access (WHO)", 0, NULL, NULL },
    { "pop", K_POP, "SRC", "population points (weights --pop-field) or a population grid" },
    { "pop-layer", K_POP_LAYER, "NAME", "the layer of population points (default: the first)" },
    { "pop-field", K_POP_FIELD, "F", "people per point (default: 1 each)" },
    { "access", K_ACCESS, "DIST", "straight-line distance to GI (default 300m)" },
    { "min-area", K_MIN_AREA, "AREA", "smallest GI patch that counts (default 0.5ha)" },
    { "Connectivity", 0, NULL, NULL },
    { "dispersal", K_DISPERSAL, "DIST", "link patches this close, edge to edge; IIC, PC, EC" },
    { "connectivity", K_CONNECTIVITY, "iic,pc", "compute IIC and PC (default --dispersal 500m)" },
    { "Outputs and speed", 0, NULL, NULL },
    { "patches", K_PATCHES, "OUT", "patch polygons: area, whole area, dPC" },
    { "links", K_LINKS, "OUT", "patch links as lines: distance, probability" },
    { "coverage", K_COVERAGE, NULL, "the GI does not overlap (polygonised land cover): no checks" },
    { "areas-only", K_AREAS_ONLY, NULL, "GI areas and shares only: no patches, mesh sizes, ..." },
    { "strict", K_STRICT, NULL, "refuse invalid GI and zone polygons instead of repairing them" },
    { NULL, 0, NULL, NULL },
};

#define MAX_GI 32

struct args {
    struct cw_green_job j;
    struct cw_gi_input gi[MAX_GI];
    int connectivity;
};

static struct cw_gi_input *add_gi(struct cli *c, struct args *a, const char *path, int raster)
{
    if (a->j.ngi == MAX_GI)
        cli_usage_error(c, "at most %d GI inputs", MAX_GI);
    struct cw_gi_input *in = &a->gi[a->j.ngi++];
    in->path = path;
    in->raster = raster;
    return in;
}

/* The last GI input, which must be of the kind the option belongs to. */
static struct cw_gi_input *last_gi(struct cli *c, struct args *a, const char *opt, int raster)
{
    if (!a->j.ngi || a->gi[a->j.ngi - 1].raster != raster)
        cli_usage_error(c, "%s must follow the %s it applies to", opt,
                        raster ? "--raster" : "--gi");
    return &a->gi[a->j.ngi - 1];
}

static void connectivity(struct cli *c, struct args *a, const char *val)
{
    char buf[64];
    snprintf(buf, sizeof buf, "%s", val);
    for (char *save = NULL, *t = strtok_r(buf, ",", &save); t; t = strtok_r(NULL, ",", &save))
        if (strcmp(t, "iic") && strcmp(t, "pc"))
            cli_usage_error(c, "--connectivity takes iic and pc (got '%s')", t);
    a->connectivity = 1;
}

static void on_opt(struct cli *c, int key, const char *val, void *arg)
{
    struct args *a = arg;
    switch (key) {
    case K_ZONE_ID: a->j.zone_id = val; break;
    case K_BUFFER: a->j.buffer_m = cli_distance(c, "--buffer", val); break;
    case K_GI: add_gi(c, a, val, 0); break;
    case K_GI_LAYER: last_gi(c, a, "--gi-layer", 0)->layer = val; break;
    case K_CLASS_FIELD: last_gi(c, a, "--class-field", 0)->class_field = val; break;
    case K_CLASS_MAP: last_gi(c, a, "--class-map", 0)->class_map = val; break;
    case K_RASTER: add_gi(c, a, val, 1); break;
    case K_CLASSES: last_gi(c, a, "--classes", 1)->class_map = val; break;
    case K_POP: a->j.pop = val; break;
    case K_POP_LAYER: a->j.pop_layer = val; break;
    case K_POP_FIELD: a->j.pop_field = val; break;
    case K_ACCESS: a->j.access_m = cli_distance(c, "--access", val); break;
    case K_MIN_AREA: a->j.min_area_m2 = cli_area(c, "--min-area", val); break;
    case K_DISPERSAL: a->j.dispersal_m = cli_distance(c, "--dispersal", val); break;
    case K_CONNECTIVITY: connectivity(c, a, val); break;
    case K_PATCHES: a->j.patches = val; break;
    case K_LINKS: a->j.links = val; break;
    case K_STRICT: a->j.strict = 1; break;
    case K_COVERAGE: a->j.coverage = 1; break;
    case K_AREAS_ONLY: a->j.areas_only = 1; break;
    }
}

static void check(struct cli *c, struct args *a)
{
    size_t rasters = 0;
    for (size_t i = 0; i < a->j.ngi; i++)
        rasters += a->gi[i].raster != 0;
    if (!a->j.ngi)
        cli_usage_error(c, "no GI input (--gi LAYER or --raster LANDCOVER.tif)");
    if (!c->output)
        cli_usage_error(c, "no output (-o ZONES_OUT)");
    if (rasters && rasters < a->j.ngi)
        cli_usage_error(c, "--gi and --raster cannot be combined (give the raster to --gi: "
                        "it is polygonised)");
    if (rasters && (a->j.pop || a->j.dispersal_m > 0 || a->connectivity || a->j.patches ||
                    a->j.links))
        cli_usage_error(c, "--pop, --dispersal, --connectivity, --patches and --links need "
                        "--gi polygons; --raster gives areas only (give the raster to --gi)");
    if (a->j.areas_only && (a->j.pop || a->j.dispersal_m > 0 || a->connectivity ||
                            a->j.patches || a->j.links))
        cli_usage_error(c, "--areas-only cannot be combined with --pop, --dispersal, "
                        "--connectivity, --patches or --links (they need patches)");
    if ((a->j.pop_field || a->j.pop_layer) && !a->j.pop)
        cli_usage_error(c, "--pop-field and --pop-layer need --pop");
    if (a->connectivity && !(a->j.dispersal_m > 0))
        a->j.dispersal_m = 500;
    if (a->j.links && !(a->j.dispersal_m > 0))
        cli_usage_error(c, "--links needs --dispersal or --connectivity");
}

int cmd_green(int argc, char **argv)
{
    struct cli c = {
        .cmd = "green",
        .synopsis = "ZONES (--gi LAYER|LANDCOVER.tif [--class-field F] [--class-map MAP] |\n"
                    "       --raster LANDCOVER.tif [--classes PRESET|FILE])...\n"
                    "       [--pop POINTS|GRID [--pop-field F]] [--access 300m] [--min-area 0.5ha]\n"
                    "       [--dispersal 500m] [--patches OUT] [--links OUT] [--coverage]\n"
                    "       [--areas-only] -o ZONES_OUT [options]",
        .about = "Green-infrastructure indicators per zone (polygons, or points with --buffer):\n"
                 "GI area by class and share of the zone, patches (GI dissolved, touching\n"
                 "polygons joined), largest patch index, edge density, effective mesh size\n"
                 "and its cross-boundary variant, IIC, PC and EC over the patch graph, and\n"
                 "the WHO share of people within --access of a patch of --min-area or more.\n"
                 "Areas are on the WGS84 ellipsoid (an equal-area projection per zone).\n"
                 "Overlapping GI counts once; invalid GI and zone polygons are repaired\n"
                 "(GEOS MakeValid) unless --strict. A land-cover raster given to --gi is\n"
                 "polygonised (GDALPolygonize) over the zones; with --raster instead, class\n"
                 "areas come from exact cell-coverage fractions without polygonising.\n"
                 "GI that is known not to overlap (--coverage) skips the checks for overlaps;\n"
                 "with --areas-only too, areas are sums of clipped polygons and nothing\n"
                 "else is computed, the fastest way to GI areas by class.",
        .opts = opts,
        .reads_points = 1,
    };
    struct args a = { .j = { .access_m = 300, .min_area_m2 = 5000 } };
    cli_parse(&c, argc, argv, on_opt, &a);
    a.j.zones = cli_one_input(&c, argc, argv, "ZONES");
    a.j.gi = a.gi;
    check(&c, &a);
    const char *inputs[MAX_GI + 3] = { a.j.zones, a.j.pop };
    for (size_t i = 0; i < a.j.ngi; i++)
        inputs[2 + i] = a.gi[i].path;
    if (!a.j.pop)
        inputs[1] = a.j.zones;   /* a NULL would end the list early */
    const char *outs[] = { c.output, a.j.patches, a.j.links };
    cli_check_outputs(&c, outs, 3, inputs);
    a.j.read = c.read;
    a.j.output = c.output;
    a.j.write = c.write;

    struct cw_ctx *ctx = cli_ctx_new(&c);
    struct cw_green_stats st;
    int rc = cw_green_run(ctx, &a.j, &st);
    if (!rc && c.verbose)
        cli_say(&c, "%zu zones, %zu GI polygons, %zu patches, %zu links; GI %.4g km2 of "
                "%.4g km2 (%.2f %%)", st.zones, st.gi_features, st.patches, st.links,
                st.gi_m2 / 1e6, st.zone_m2 / 1e6,
                st.zone_m2 > 0 ? 100 * st.gi_m2 / st.zone_m2 : 0.0);
    return cli_done(&c, ctx, rc);
}
