/* degurba.h: the Degree of Urbanisation grid classification (UN Statistical
 * Commission 2020; Eurostat, "Applying the Degree of Urbanisation", 2021;
 * GHSL Data Package 2023 for the edge-smoothing rule).
 * SPDX-License-Identifier: MIT
 *
 *   struct cw_degurba_opts o;
 *   cw_degurba_defaults(&o);
 *   uint8_t *flags;
 *   cw_degurba_flags(ctx, &grid, &areas, pop, land, built, &o, &flags);
 *   ... land and built may be freed here ...
 *   struct cw_degurba res;
 *   cw_degurba_classify(ctx, &grid, &areas, pop, flags, &o, &res);
 *
 * Two calls so that the land and built-up grids need not stay in memory:
 * the first reduces them to one byte of facts per cell.
 */
#ifndef CITYWEAVE_DEGURBA_H
#define CITYWEAVE_DEGURBA_H

#include <stdint.h>

#include "cityweave/ctx.h"
#include "cityweave/layer.h"
#include "cityweave/raster.h"
#include "cityweave/writer.h"

/** Grid classes. Level 1 takes the GHS-SMOD level-1 codes, level 2 the
 *  GHS-SMOD level-2 codes. */
enum cw_smod {
    CW_L1_WATER = 0, CW_L1_RURAL = 1, CW_L1_CLUSTER = 2, CW_L1_CENTRE = 3,
    CW_L2_WATER = 10, CW_L2_VERY_LOW = 11, CW_L2_LOW = 12, CW_L2_RURAL_CLUSTER = 13,
    CW_L2_SUBURBAN = 21, CW_L2_SEMI_DENSE = 22, CW_L2_DENSE = 23, CW_L2_CENTRE = 30,
    CW_SMOD_NODATA = 255
};

struct cw_degurba_opts {
    int level;                /**< 1 or 2 */
    double centre_density;    /**< inhabitants per km² of land: 1500 */
    double centre_pop;        /**< urban centre size: 50000 */
    double built_share;       /**< built-up share of land also making a cell
                                   dense: 0.5 (used only with a built grid) */
    double max_gap_km2;       /**< holes smaller than this are filled: 15 */
    int smooth;               /**< iterated majority rule on centre edges: 1 */
    double cluster_density;   /**< urban (and rural) cluster density: 300 */
    double cluster_pop;       /**< urban cluster size: 5000 */
    double dense_pop;         /**< level 2, dense urban cluster size: 5000 */
    int semi_dense_gap;       /**< level 2, cells between a semi-dense
                                   cluster and dense ones: 3 */
    double rural_cluster_pop; /**< level 2, rural cluster size: 500 */
    double low_density;       /**< level 2, low density rural: 50 */
    double water_land;        /**< water: land share below this, no people,
                                   nothing built: 0.5 */
    int keep_ids;             /**< 1 (default): keep the per-cell centre and
                                   cluster ids (polygons and units need
                                   them); 0: only classes, in less memory */
};

void cw_degurba_defaults(struct cw_degurba_opts *o);

/** Reduces the inputs to per-cell facts (densities over thresholds, water).
 *  @param[in] pop residents per cell, NaN = nodata (counted as nobody)
 *  @param[in] land m² of land per cell, or its share when no value exceeds
 *  1; NULL: all land. @param[in] built m² built up per cell; NULL: the
 *  built-up criterion is off. All three on @p g; @p areas from
 *  cw_grid_areas(). @param[out] flags nx*ny bytes, caller frees.
 *  @return CW_OK, CW_ERR_DATA (negative population, naming the cell),
 *  CW_ERR_ARG or CW_ERR_NOMEM. */
int cw_degurba_flags(struct cw_ctx *ctx, const struct cw_grid *g,
                     const struct cw_areas *areas, const float *pop,
                     const float *land, const float *built,
                     const struct cw_degurba_opts *o, uint8_t **flags);

struct cw_degurba {
    uint8_t *cls;      /**< owned: nx*ny class codes (enum cw_smod) */
    int32_t *centre;   /**< owned: nx*ny urban centre id 1..ncentres, 0 none
                            (NULL unless keep_ids) */
    int32_t *cluster;  /**< owned: nx*ny urban cluster id 1..nclusters (the
                            level-1 clusters, centres within them included;
                            NULL unless keep_ids) */
    int ncentres, nclusters;
    double *centre_pop, *centre_km2;    /**< owned: [1..ncentres] */
    double *cluster_pop, *cluster_km2;  /**< owned: [1..nclusters] */
};

/** Classifies the grid. Ids follow the first cell of each region in row-
 *  major order, so they do not depend on anything but the grid.
 *  @return CW_OK, CW_ERR_ARG (progress cancelled) or CW_ERR_NOMEM. */
int cw_degurba_classify(struct cw_ctx *ctx, const struct cw_grid *g,
                        const struct cw_areas *areas, const float *pop,
                        uint8_t *flags, const struct cw_degurba_opts *o,
                        struct cw_degurba *res);
void cw_degurba_release(struct cw_degurba *res);

/** The colour table of a level's codes (GHS-SMOD colours), for the
 *  GeoTIFF and for styles. @param[out] n entries. */
const struct cw_class_colour *cw_degurba_colours(int level, size_t *n);

/** Population of one spatial unit by grid class, from exact cell
 *  fractions, and the unit classes that follow. */
struct cw_unit_shares {
    double pop;          /**< residents of the unit */
    double share[8];     /**< by class: [0] centre, [1] dense cluster, [2]
                              semi-dense, [3] suburban, [4] rural cluster,
                              [5] low density, [6] very low density and
                              water; at level 1 an urban cluster counts
                              in [1] and rural cells in [6] */
    double top_centre;   /**< the urban centre with most people in the unit:
                              its whole population */
    double top_in_unit;  /**< and its people inside the unit */
    int by_area;         /**< 1: nobody lives there; shares are of area */
};

/** Level-1 unit class (Eurostat DEGURBA codes): 1 cities, 2 towns and
 *  semi-dense areas, 3 rural areas. */
int cw_degurba_unit_class(const struct cw_unit_shares *u);
/** Level-2 unit class, in the grid's level-2 codes: 30 city, 23 dense
 *  town, 22 semi-dense town, 21 suburban or peri-urban area, 13 village,
 *  12 dispersed rural area, 11 mostly uninhabited area. */
int cw_degurba_unit_class2(const struct cw_unit_shares *u);
/** Eurostat's urban-rural typology of a NUTS3 region: 1 predominantly
 *  urban, 2 intermediate, 3 predominantly rural, from the rural share and
 *  the large-urban-centre adjustments. */
int cw_degurba_urbn_type(const struct cw_unit_shares *u);

/** Everything `cityweave linkage degurba` does. */
struct cw_degurba_job {
    const char *pop, *land, *built;   /**< raster paths (land, built: may be NULL) */
    struct cw_degurba_opts grid;
    const char *output;               /**< the class GeoTIFF */
    int overwrite;
    const char *polygons;             /**< centres and clusters (NULL: none) */
    const char *units;                /**< spatial units to classify (NULL: none) */
    const char *unit_id;              /**< their id field (NULL: keep all fields) */
    const char *units_output;
    int nuts3;                        /**< add urbn_type */
    int strict;                       /**< an invalid unit is an error, not repaired */
    struct cw_read_opts read;         /**< for the units */
    struct cw_write_opts write;       /**< for polygons and units */
};

struct cw_degurba_stats {
    int ncentres, nclusters;
    double pop, centre_pop, cluster_pop;   /**< total, in centres, in clusters */
    size_t units;
};

int cw_degurba_run(struct cw_ctx *ctx, const struct cw_degurba_job *job,
                   struct cw_degurba_stats *st);

#endif
