/* network.h: city-to-city networks: links from a table or generated on the
 * globe, written as geodesic lines, with node centralities.
 * SPDX-License-Identifier: MIT
 */
#ifndef CITYWEAVE_NETWORK_H
#define CITYWEAVE_NETWORK_H

#include "cityweave/ctx.h"
#include "cityweave/layer.h"
#include "cityweave/writer.h"

enum cw_net_method {
    CW_NET_LINKS,     /**< from a link table */
    CW_NET_KNN,       /**< k nearest neighbours */
    CW_NET_WITHIN,    /**< all pairs within a distance */
    CW_NET_MST,       /**< minimum spanning tree */
    CW_NET_DELAUNAY,  /**< spherical Delaunay triangulation */
    CW_NET_GABRIEL,   /**< Gabriel graph */
    CW_NET_RNG,       /**< relative neighbourhood graph */
    CW_NET_HUBS       /**< hub and spoke */
};

struct cw_network_opts {
    const char *cities;          /**< path of the city points */
    struct cw_read_opts read;    /**< how to read them */
    const char *id_field, *name_field;   /**< NULL: "id", "name" */
    enum cw_net_method method;
    const char *links;           /**< CW_NET_LINKS: the table */
    const char *links_where;     /**< OGR SQL filter on the table's rows */
    const char *from_field, *to_field;   /**< NULL: "from_id", "to_id" */
    const char *weight_field;    /**< link weight for strength (NULL: 1) */
    int k;                       /**< CW_NET_KNN */
    double within;               /**< CW_NET_WITHIN: metres */
    const char *hubs;            /**< CW_NET_HUBS: hub points (NULL: the cities) */
    const char *hub_field;       /**< city field naming its hub's id, or NULL */
    int nearest_hub;             /**< link each city to the nearest hub */
    int sphere;                  /**< great circles on the mean-radius sphere */
    double segment;              /**< densify lines every this many metres */
    const char *output;          /**< edges ("-": GeoJSON on stdout) */
    const char *nodes_output;    /**< nodes with centralities, or NULL */
    int diameter;                /**< fill diameter_km even without nodes_output
                                      (all-pairs paths: up to 5,000 nodes) */
    const char *select;          /**< comma-separated edge fields to write, in
                                      that order (NULL: all) */
    struct cw_write_opts write;
};

struct cw_network_stats {
    size_t nodes, edges, components;
    double total_km;
    double diameter_km;          /**< negative when not computed (no nodes_output
                                      nor diameter, or over 5,000 nodes) */
};

/** Reads, links, measures and writes as @p o says; fills @p stats.
 *  @return CW_OK or an error (see cw_ctx_errmsg); no output is left
 *  behind on error. */
int cw_network_run(struct cw_ctx *ctx, const struct cw_network_opts *o,
                   struct cw_network_stats *stats);

#endif
