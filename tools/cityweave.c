/* cityweave.c: the dispatcher. `cityweave CMD ...` and `cityweave-CMD ...`
 * (through argv[0], as git and osmium do) run the same subcommand.
 * SPDX-License-Identifier: MIT
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cpl_conv.h>

#include "cli.h"

static const struct {
    const char *name;
    int (*run)(int argc, char **argv);
    const char *summary;
} commands[] = {
    { "network", cmd_network, "city-to-city links as geodesic lines, proximity graphs, centrality" },
    { "cluster", cmd_cluster, "regions of cities: DBSCAN, HDBSCAN, k-means, linkage, SKATER; hulls" },
    { "linkage", cmd_linkage, "urban and rural: Degree of Urbanisation, population grids, catchments" },
};
#define NCOMMANDS (sizeof commands / sizeof commands[0])

static void usage(FILE *fp)
{
    fprintf(fp, "usage: cityweave COMMAND [options]\n\ncommands:\n");
    for (size_t i = 0; i < NCOMMANDS; i++)
        fprintf(fp, "  %-10s %s\n", commands[i].name, commands[i].summary);
    fprintf(fp, "\n'cityweave COMMAND --help' shows a command's options.\n");
}

static int run(const char *name, int argc, char **argv)
{
    for (size_t i = 0; i < NCOMMANDS; i++)
        if (strcmp(name, commands[i].name) == 0)
            return commands[i].run(argc, argv);
    fprintf(stderr, "cityweave: unknown command '%s' (see 'cityweave --help')\n", name);
    return CW_EXIT_USAGE;
}

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
        return run(base + 10, argc, argv);
    if (argc < 2) {
        usage(stderr);
        return CW_EXIT_USAGE;
    }
    if (strcmp(argv[1], "--help") == 0 || strcmp(argv[1], "-h") == 0) {
        usage(stdout);
        return CW_EXIT_OK;
    }
    if (strcmp(argv[1], "--version") == 0) {
        printf("cityweave %s\n", CW_VERSION);
        return CW_EXIT_OK;
    }
    return run(argv[1], argc - 1, argv + 1);
}
