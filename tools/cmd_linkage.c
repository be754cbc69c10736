/* cmd_linkage.c: `cityweave linkage TOOL`: the urban-rural tools, one
 * file each, dispatched here.
 * SPDX-License-Identifier: MIT
 */
#include <stdio.h>
#include <string.h>

#include "cli.h"

static const struct {
    const char *name;
    int (*run)(int argc, char **argv);
    const char *summary;
} tools[] = {
    { "degurba", cmd_linkage_degurba,
      "Degree of Urbanisation: grid classes, centres and clusters, spatial units" },
    { "popgrid", cmd_linkage_popgrid,
      "a population grid from counts by unit, by area or over land-cover classes" },
    { "links", cmd_linkage_links,
      "places to centres: nearest, gravity, Huff; distance or travel-time catchments" },
};
#define NTOOLS (sizeof tools / sizeof tools[0])

static void usage(FILE *fp)
{
    fprintf(fp, "usage: cityweave linkage TOOL [options]\n\ntools:\n");
    for (size_t i = 0; i < NTOOLS; i++)
        fprintf(fp, "  %-10s %s\n", tools[i].name, tools[i].summary);
    fprintf(fp, "\n'cityweave linkage TOOL --help' shows a tool's options.\n");
}

int cmd_linkage(int argc, char **argv)
{
    if (argc < 2) {
        usage(stderr);
        return CW_EXIT_USAGE;
    }
    if (strcmp(argv[1], "--help") == 0 || strcmp(argv[1], "-h") == 0) {
        usage(stdout);
        return CW_EXIT_OK;
    }
    for (size_t i = 0; i < NTOOLS; i++)
        if (strcmp(argv[1], tools[i].name) == 0)
            return tools[i].run(argc - 1, argv + 1);
    fprintf(stderr, "cityweave linkage: unknown tool '%s' (see 'cityweave linkage --help')\n",
            argv[1]);
    return CW_EXIT_USAGE;
}
