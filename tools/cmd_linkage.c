/* cmd_linkage.c: `cityweave linkage TOOL`: the urban-rural tools, one
 * file each, dispatched here.
 * SPDX-License-Identifier: MIT
 */
#include "cli.h"

static const struct cli_command tools[] = {
    { "degurba", cmd_linkage_degurba,
      "Degree of Urbanisation: grid classes, centres and clusters, spatial units" },
    { "popgrid", cmd_linkage_popgrid,
      "a population grid from counts by unit, by area or over land-cover classes" },
    { "links", cmd_linkage_links,
      "places to centres: nearest, gravity, Huff; distance or travel-time catchments" },
};

int cmd_linkage(int argc, char **argv)
{
    return cli_dispatch("cityweave linkage", "tool", tools, sizeof tools / sizeof *tools,
                        argc >= 2 ? argv[1] : NULL, argc - 1, argv + 1);
}
