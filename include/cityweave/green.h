/* green.h: green-infrastructure (GI) indicators per zone: how much green,
 * how fragmented, how connected, how reachable.
 * SPDX-License-Identifier: MIT
 *
 *   struct cw_green_job j = { .zones = "munis.gpkg", .gi = inputs, .ngi = 1,
 *                             .output = "munis_gi.geojson" };
 *   if (cw_green_run(ctx, &j, &stats)) ... cw_ctx_errmsg(ctx) ...
 *
 * Every area is measured in a Lambert azimuthal equal-area projection of
 * the WGS84 ellipsoid centred on the zone, so it is an area on the
 * ellipsoid (never square degrees); distances (dispersal, access) are
 * measured in the same projection, whose scale error within a zone of
 * radius r is about (r / 12,740 km)^2 / 2: 3e-6 for a 30 km municipality.
 */
#ifndef CITYWEAVE_GREEN_H
#define CITYWEAVE_GREEN_H

#include <stddef.h>
#include "cityweave/ctx.h"
#include "cityweave/layer.h"
#include "cityweave/writer.h"

/* ---- class maps: source values (tags, land-cover codes) to GI classes ---- */

/** GI class names of a job, in order of first use. Output fields are
 *  gi_<name>_m2. */
struct cw_giclasses {
    char **name;
    size_t n;
};

/** A mapping from source values to classes of a cw_giclasses. */
struct cw_classmap {
    struct cw_gimap_entry { char *value; int cls; } *e;  /**< sorted by value */
    size_t n;
    int any;        /**< no map: every non-empty value is its own class */
};

/** Loads @p spec into @p out, adding its classes to @p reg. @p spec is a
 *  preset ("osm" for OSM key=value tags; "jaxa", "worldcover", "corine"
 *  for land-cover codes) or a file of lines "VALUE CLASS" (whitespace
 *  between, '#' starts a comment). A class name must be made of letters,
 *  digits and '_' (it becomes part of a field name).
 *  @return CW_OK, CW_ERR_IO (unreadable file) or CW_ERR_DATA naming the
 *  file and line. */
int cw_classmap_load(struct cw_ctx *ctx, const char *spec, struct cw_giclasses *reg,
                     struct cw_classmap *out);
/** The same for the text of a map file; @p name names it in messages. */
int cw_classmap_parse(struct cw_ctx *ctx, const char *name, const char *text,
                      struct cw_giclasses *reg, struct cw_classmap *out);
/** @return the class of @p value, or -1 when it is not GI. With m->any a
 *  new value adds a class to @p reg (-2 when out of memory). */
int cw_classmap_lookup(struct cw_classmap *m, struct cw_giclasses *reg, const char *value);
void cw_classmap_release(struct cw_classmap *m);
void cw_giclasses_release(struct cw_giclasses *r);
/** @return non-zero for a class of tree canopy (forest), the "30" of
 *  3-30-300. */
int cw_giclass_is_canopy(const char *name);

/* ---- the job ---- */

/** One GI input: a vector layer with a class field, or a land-cover
 *  raster with a class map. */
struct cw_gi_input {
    const char *path;
    int raster;               /**< 1: land-cover raster (band 1 codes) */
    const char *layer;        /**< vector: layer name (default: the first) */
    const char *class_field;  /**< vector: field holding the class or tag */
    const char *class_map;    /**< preset or file; NULL: vector with
                                   class_field: every non-empty value is GI;
                                   vector without class_field: "osm" */
};

struct cw_green_job {
    const char *zones;            /**< polygons, or points with buffer_m */
    struct cw_read_opts read;     /**< -l, -where, -s_srs of the zones */
    const char *zone_id;          /**< names zones in patch and link outputs */
    double buffer_m;              /**< > 0: zones are points buffered geodesically */
    const struct cw_gi_input *gi;
    size_t ngi;
    const char *pop;              /**< population points or grid (NULL: none) */
    const char *pop_layer;        /**< points: layer (default: the first) */
    const char *pop_field;        /**< points: weight field (NULL: 1 each) */
    double access_m;              /**< WHO accessibility distance (300) */
    double min_area_m2;           /**< smallest patch that counts for access (5000) */
    double dispersal_m;           /**< patch-graph link distance (0: no connectivity) */
    int strict;                   /**< invalid GI is an error, not repaired */
    int coverage;                 /**< the GI is known not to overlap (polygonised
                                       land cover): no checks for overlaps */
    int areas_only;               /**< GI areas and shares only: no patches */
    const char *output;           /**< zones with indicators */
    const char *patches;          /**< patch polygons (NULL: none) */
    const char *links;            /**< patch-link lines (NULL: none) */
    struct cw_write_opts write;
};

struct cw_green_stats {
    size_t zones, gi_features, repaired, empty_zones, patches, links;
    double gi_m2, zone_m2;
    int raster_path;              /**< areas from coverage fractions only */
};

/** Runs a job. @return CW_OK or an error with a message naming the file
 *  and the record; nothing is written on error. */
int cw_green_run(struct cw_ctx *ctx, const struct cw_green_job *job,
                 struct cw_green_stats *stats);

#endif
