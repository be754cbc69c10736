/* popgrid.h: a population grid from counts by spatial unit, by areal
 * weighting or by dasymetric disaggregation over land-cover classes.
 * SPDX-License-Identifier: MIT
 *
 * Each unit's people are spread over the cells it covers, in proportion
 * to the area of the unit in each cell (exact cell fractions); with an
 * ancillary land-cover raster, in proportion to the area of the chosen
 * classes instead (a unit without any of them falls back to area). The
 * grid is aligned to multiples of the cell size in its CRS, so a 1 km
 * Mollweide grid lines up with the GHSL grids.
 */
#ifndef CITYWEAVE_POPGRID_H
#define CITYWEAVE_POPGRID_H

#include <stdint.h>

#include "cityweave/ctx.h"
#include "cityweave/layer.h"

struct cw_popgrid_job {
    const char *units;          /**< polygons with a population (any OGR source) */
    const char *pop_field;      /**< required */
    struct cw_read_opts read;
    int strict;                 /**< an invalid unit polygon is an error, not repaired */
    double cell;                /**< cell size in the CRS's unit (1000) */
    const char *t_srs;          /**< grid CRS (default ESRI:54009 Mollweide) */
    const char *ancillary;      /**< land-cover raster (NULL: areal weighting) */
    uint8_t classes[256];       /**< 1 for each class that may hold people */
    const char *output;         /**< Float32 GeoTIFF, nodata NaN outside the units */
    int overwrite;
};

struct cw_popgrid_stats {
    size_t units, by_area;      /**< units, and those spread by area for lack
                                     of any chosen class */
    int nx, ny;
    double pop;                 /**< people placed (the units' sum) */
};

int cw_popgrid_run(struct cw_ctx *ctx, const struct cw_popgrid_job *job,
                   struct cw_popgrid_stats *st);

#endif
