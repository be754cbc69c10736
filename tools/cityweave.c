/* cityweave.c: the dispatcher. `cityweave CMD ...` and `cityweave-CMD ...`
 * (through argv[0], as git and osmium do) run the same subcommand.
 * SPDX-License-Identifier: MIT
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cpl_conv.h>

#include "cli.h"

static const struct cli_command commands[] = {
    { "network", cmd_network, "city-to-city links as geodesic lines, proximity graphs, centrality" },
    { "cluster", cmd_cluster, "regions of cities: DBSCAN, HDBSCAN, k-means, linkage, SKATER; hulls" },
    { "linkage", cmd_linkage, "urban and rural: Degree of Urbanisation, population grids, catchments" },
    { "green", cmd_green, "green infrastructure per zone: area, patches, mesh size, connectivity, access" },
    { "map", cmd_map, "maps of layers over a basemap: PNG, SVG, PDF; QGIS styles" },
};
#define NCOMMANDS (sizeof commands / sizeof commands[0])

int main(int argc, char **argv)
{
    /* Rasters are read whole into cityweave's own arrays, so GDAL's block
     * cache (5 % of RAM by default) would only double the peak memory of
     * a large grid; 64 MB keeps it a rounding error. GDAL_CACHEMAX in the
     * environment still wins. */
    if (!getenv("GDAL_CACHEMAX"))
        CPLSetConfigOption("GDAL_CACHEMAX", "64");
    const char *base = strrchr(argv[0], '/');
    base = base ? base + 1 : argv[0];
    if (strncmp(base, "cityweave-", 10) == 0)
        return cli_dispatch("cityweave", "command", commands, NCOMMANDS, base + 10, argc, argv);
    if (argc >= 2 && strcmp(argv[1], "--version") == 0) {
        printf("cityweave %s\n", CW_VERSION);
        return CW_EXIT_OK;
    }
    return cli_dispatch("cityweave", "command", commands, NCOMMANDS, argc >= 2 ? argv[1] : NULL,
                        argc - 1, argv + 1);
}
