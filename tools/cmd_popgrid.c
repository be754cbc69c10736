/* cmd_popgrid.c: `cityweave linkage popgrid`: parses options into a
 * cw_popgrid_job and runs cw_popgrid_run().
 * SPDX-License-Identifier: MIT
 */
#include <stdio.h>
#include <string.h>

#include "cli.h"

enum { K_POP = CLI_KEY_FIRST, K_CELL, K_T_SRS, K_ANC, K_CLASSES, K_STRICT };

static const struct cli_opt opts[] = {
    { "pop-field", K_POP, "F", "the units' population (required)" },
    { "cell", K_CELL, "DIST", "cell size (default 1km)" },
    { "t_srs", K_T_SRS, "SRS", "grid CRS, projected (default ESRI:54009, World Mollweide)" },
    { "ancillary", K_ANC, "RASTER", "land cover: spread people over --classes only" },
    { "classes", K_CLASSES, "C1,C2,..", "with --ancillary: the classes that hold people (JAXA: 2, urban)" },
    { "strict", K_STRICT, NULL, "refuse invalid unit polygons instead of repairing them" },
    { NULL, 0, NULL, NULL },
};

static void classes(struct cli *c, struct cw_popgrid_job *j, const char *val)
{
    char buf[256];
    snprintf(buf, sizeof buf, "%s", val);
    memset(j->classes, 0, sizeof j->classes);
    for (char *save = NULL, *t = strtok_r(buf, ",", &save); t; t = strtok_r(NULL, ",", &save))
        j->classes[cli_int(c, "--classes", t, 0, 255)] = 1;
}

static void on_opt(struct cli *c, int key, const char *val, void *arg)
{
    struct cw_popgrid_job *j = arg;
    switch (key) {
    case K_POP: j->pop_field = val; break;
    case K_CELL: j->cell = cli_distance(c, "--cell", val); break;
    case K_T_SRS: j->t_srs = val; break;
    case K_ANC: j->ancillary = val; break;
    case K_CLASSES: classes(c, j, val); break;
    case K_STRICT: j->strict = 1; break;
    }
}

int cmd_linkage_popgrid(int argc, char **argv)
{
    struct cli c = {
        .cmd = "linkage popgrid",
        .synopsis = "UNITS --pop-field F [--cell 1km] [-t_srs SRS]\n"
                    "       [--ancillary LANDCOVER --classes 2] -o POP.tif [options]",
        .about = "Builds a population grid from counts by spatial unit: each unit's people\n"
                 "spread over its cells in proportion to its area in each (exact cell\n"
                 "fractions), or with --ancillary over the area of the --classes within it\n"
                 "(dasymetric mapping; a unit with none of them is spread by area). The\n"
                 "grid's edges lie on multiples of --cell, so a 1 km Mollweide grid lines up\n"
                 "with the GHSL grids; cells outside every unit are nodata. The result feeds\n"
                 "`cityweave linkage degurba`. Invalid unit polygons are made valid (GEOS\n"
                 "MakeValid) unless --strict.",
        .opts = opts,
        .reads_points = 1,
    };
    struct cw_popgrid_job j = { .cell = 1000 };
    int given = 0;
    cli_parse(&c, argc, argv, on_opt, &j);
    j.units = cli_one_input(&c, argc, argv, "UNITS");
    for (int k = 0; k < 256; k++)
        given |= j.classes[k];
    if (!j.pop_field)
        cli_usage_error(&c, "--pop-field is required");
    if (!c.output)
        cli_usage_error(&c, "no output (-o POP.tif)");
    if (!j.ancillary != !given)
        cli_usage_error(&c, "--ancillary and --classes go together");
    const char *inputs[] = { j.units, j.ancillary, NULL };
    cli_check_distinct(&c, c.output, inputs);
    j.read = c.read;
    j.output = c.output;
    j.overwrite = c.write.overwrite;

    struct cw_ctx *ctx = cli_ctx_new(&c);
    struct cw_popgrid_stats st;
    int rc = cw_popgrid_run(ctx, &j, &st);
    if (!rc && c.verbose)
        cli_say(&c, "%zu units, %.0f people on %d x %d cells; %zu units spread by area",
                st.units, st.pop, st.nx, st.ny, st.by_area);
    return cli_done(&c, ctx, rc);
}
