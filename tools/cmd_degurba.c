/* cmd_degurba.c: `cityweave linkage degurba`: parses options into a
 * cw_degurba_job and runs cw_degurba_run().
 * SPDX-License-Identifier: MIT
 */
#include <stdio.h>
#include <string.h>

#include "cli.h"

enum {
    K_LAND = CLI_KEY_FIRST, K_BUILT, K_LEVEL, K_POLYGONS, K_UNITS, K_UNIT_ID, K_NUTS3, K_STRICT,
    K_UC_DENS, K_UC_POP, K_BUILT_SHARE, K_MAX_GAP, K_NO_SMOOTH, K_CL_DENS, K_CL_POP,
    K_DENSE_POP, K_SD_GAP, K_RC_POP, K_LOW_DENS, K_WATER_LAND, K_UNITS_OUT = 'O'
};

static const struct cli_opt opts[] = {
    { "Inputs", 0, NULL, NULL },
    { "land", K_LAND, "RASTER", "m² of land per cell (GHS-LAND), or its share; default: all land" },
    { "built", K_BUILT, "RASTER", "m² built up per cell (GHS-BUILT-S): turns on the built-up criterion" },
    { "level", K_LEVEL, "1|2", "grid classes of level 1 (default) or level 2" },
    { "Outputs", 0, NULL, NULL },
    { "polygons", K_POLYGONS, "PATH", "urban centres and urban clusters with pop and area_km2" },
    { "units", K_UNITS, "UNITS", "polygons to classify (municipalities, NUTS3 regions)" },
    { "unit-id", K_UNIT_ID, "F", "the units' id field, named in messages (must exist)" },
    { "units-output", K_UNITS_OUT, "PATH", "the units with pop, shares and degurba (-O)" },
    { "nuts3", K_NUTS3, NULL, "also Eurostat's urban-rural typology of the units, urbn_type" },
    { "strict", K_STRICT, NULL, "refuse invalid unit polygons instead of repairing them" },
    { "Thresholds (defaults: the 2021 manual)", 0, NULL, NULL },
    { "centre-density", K_UC_DENS, "N", "urban centre cells: people per km² of land (1500)" },
    { "centre-pop", K_UC_POP, "N", "urban centre: least population (50000)" },
    { "built-share", K_BUILT_SHARE, "S", "urban centre cells: or built-up share of land (0.5)" },
    { "max-gap", K_MAX_GAP, "KM2", "holes in centres smaller than this are filled (15)" },
    { "no-smoothing", K_NO_SMOOTH, NULL, "skip the majority rule on centre edges" },
    { "cluster-density", K_CL_DENS, "N", "urban and rural cluster cells: people per km² (300)" },
    { "cluster-pop", K_CL_POP, "N", "urban cluster: least population (5000)" },
    { "dense-pop", K_DENSE_POP, "N", "level 2, dense urban cluster: least population (5000)" },
    { "semi-dense-gap", K_SD_GAP, "CELLS", "level 2: semi-dense clusters keep this far from dense ones (3)" },
    { "rural-cluster-pop", K_RC_POP, "N", "level 2, rural cluster: least population (500)" },
    { "low-density", K_LOW_DENS, "N", "level 2, low density rural: people per km² (50)" },
    { "water-land", K_WATER_LAND, "S", "water cells: land share below S, nobody, nothing built (0.5)" },
    { NULL, 0, NULL, NULL },
};

static void on_opt(struct cli *c, int key, const char *val, void *arg)
{
    struct cw_degurba_job *j = arg;
    struct cw_degurba_opts *o = &j->grid;
    switch (key) {
    case K_LAND: j->land = val; break;
    case K_BUILT: j->built = val; break;
    case K_LEVEL: o->level = (int)cli_int(c, "--level", val, 1, 2); break;
    case K_POLYGONS: j->polygons = val; break;
    case K_UNITS: j->units = val; break;
    case K_UNIT_ID: j->unit_id = val; break;
    case K_UNITS_OUT: j->units_output = val; break;
    case K_NUTS3: j->nuts3 = 1; break;
    case K_STRICT: j->strict = 1; break;
    case K_UC_DENS: o->centre_density = cli_number(c, "--centre-density", val, 0, 1e9); break;
    case K_UC_POP: o->centre_pop = cli_number(c, "--centre-pop", val, 0, 1e12); break;
    case K_BUILT_SHARE: o->built_share = cli_number(c, "--built-share", val, 0, 1); break;
    case K_MAX_GAP: o->max_gap_km2 = cli_number(c, "--max-gap", val, 0, 1e9); break;
    case K_NO_SMOOTH: o->smooth = 0; break;
    case K_CL_DENS: o->cluster_density = cli_number(c, "--cluster-density", val, 0, 1e9); break;
    case K_CL_POP: o->cluster_pop = cli_number(c, "--cluster-pop", val, 0, 1e12); break;
    case K_DENSE_POP: o->dense_pop = cli_number(c, "--dense-pop", val, 0, 1e12); break;
    case K_SD_GAP: o->semi_dense_gap = (int)cli_int(c, "--semi-dense-gap", val, 0, 1000); break;
    case K_RC_POP: o->rural_cluster_pop = cli_number(c, "--rural-cluster-pop", val, 0, 1e12); break;
    case K_LOW_DENS: o->low_density = cli_number(c, "--low-density", val, 0, 1e9); break;
    case K_WATER_LAND: o->water_land = cli_number(c, "--water-land", val, 0, 1); break;
    }
}

static void validate(struct cli *c, struct cw_degurba_job *j)
{
    if (!c->output)
        cli_usage_error(c, "no output (-o CLASSES.tif)");
    if (!j->units != !j->units_output)
        cli_usage_error(c, "--units and --units-output (-O) go together");
    if (j->nuts3 && !j->units)
        cli_usage_error(c, "--nuts3 needs --units");
    const char *inputs[] = { j->pop, j->land, j->built, j->units, NULL };
    const char *outs[] = { c->output, j->polygons, j->units_output };
    cli_check_outputs(c, outs, 3, inputs);
}

int cmd_linkage_degurba(int argc, char **argv)
{
    struct cli c = {
        .cmd = "linkage degurba",
        .synopsis = "POP_RASTER [--land LAND] [--built BUILT] [--level 1|2] -o CLASSES.tif\n"
                    "       [--polygons CENTRES] [--units UNITS -O UNITS_OUT [--nuts3]] [options]",
        .about = "Classifies a population grid by the Degree of Urbanisation (UN Statistical\n"
                 "Commission 2020): level 1 urban centres (3), urban clusters (2), rural (1)\n"
                 "and water (0); level 2 the GHS-SMOD codes 30, 23, 22, 21, 13, 12, 11, 10.\n"
                 "Densities are per km² of land, cell areas on the ellipsoid (lon/lat grids)\n"
                 "or exact (equal-area grids). Units get their population by grid class\n"
                 "from exact cell fractions and their class: degurba 1 cities, 2 towns and\n"
                 "semi-dense areas, 3 rural areas (and degurba_l2 at level 2); --nuts3 adds\n"
                 "urbn_type 1 predominantly urban, 2 intermediate, 3 predominantly rural.\n"
                 "Invalid unit polygons are made valid (GEOS MakeValid) unless --strict.",
        .opts = opts,
        .reads_points = 1,
    };
    struct cw_degurba_job job = {0};
    cw_degurba_defaults(&job.grid);
    cli_parse(&c, argc, argv, on_opt, &job);
    job.pop = cli_one_input(&c, argc, argv, "POP_RASTER");
    validate(&c, &job);
    job.output = c.output;
    job.overwrite = c.write.overwrite;
    job.read = c.read;
    job.write = c.write;

    struct cw_ctx *ctx = cli_ctx_new(&c);
    struct cw_degurba_stats st;
    int rc = cw_degurba_run(ctx, &job, &st);
    if (!rc && c.verbose)
        cli_say(&c, "%d urban centres (%.0f people), %d urban clusters (%.0f), %.0f people in "
                "all, %zu units", st.ncentres, st.centre_pop, st.nclusters, st.cluster_pop,
                st.pop, st.units);
    return cli_done(&c, ctx, rc);
}
