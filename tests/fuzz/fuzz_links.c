/* fuzz_links.c: libFuzzer harness for the link-table path of the network
 * job: three fixed cities (two of them named Bergen, so a name can be
 * ambiguous) and the input as the link table, through cw_network_run to
 * CSV edges and nodes in the scratch directory (removed after each run).
 * A header naming a "weight" column turns on --weight-field weight.
 * SPDX-License-Identifier: MIT
 */
#include "fuzz.h"

static const char cities_csv[] =
    "id,name,lon,lat\n"
    "bonn,Bonn,7.09549,50.73438\n"
    "bergen,Bergen,5.32415,60.39299\n"
    "bergen-nh,Bergen,4.70341,52.66\n";

static int save(const char *path, const void *data, size_t size)
{
    FILE *fp = fopen(path, "wb");
    if (!fp)
        return -1;
    int bad = fwrite(data, 1, size, fp) != size;
    return fclose(fp) != 0 || bad ? -1 : 0;
}

/* @return non-zero when the first line of @p data mentions "weight". */
static int has_weight(const uint8_t *data, size_t size)
{
    for (size_t i = 0; i + 6 <= size && data[i] != '\n'; i++)
        if (memcmp(data + i, "weight", 6) == 0)
            return 1;
    return 0;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    static char cities[512], links[512], edges[512], nodes[512];
    struct cw_network_stats st;
    if (!*cities) {
        fuzz_path(cities, sizeof cities, "cities.csv");
        fuzz_path(links, sizeof links, "links.csv");
        fuzz_path(edges, sizeof edges, "edges.csv");
        fuzz_path(nodes, sizeof nodes, "nodes.csv");
        if (save(cities, cities_csv, sizeof cities_csv - 1) != 0)
            abort();
    }
    if (save(links, data, size) != 0)
        abort();
    struct cw_network_opts o = {
        .cities = cities,
        .method = CW_NET_LINKS,
        .links = links,
        .weight_field = has_weight(data, size) ? "weight" : NULL,
        .segment = 50000,
        .output = edges,
        .nodes_output = nodes,
        .write = { .format = CW_FMT_CSV, .overwrite = 1 },
    };
    cw_network_run(fuzz_ctx(), &o, &st);
    unlink(edges);
    unlink(nodes);
    return 0;
}
