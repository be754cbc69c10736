/* grid_geom.h: geometries between WGS84 lon/lat and a grid's CRS, and
 * polygons of labelled grid regions; private.
 * SPDX-License-Identifier: MIT
 */
#ifndef CW_GRID_GEOM_H
#define CW_GRID_GEOM_H

#include "cityweave/raster.h"

/* Lon/lat (forward) to the grid's CRS and back. */
struct cw_gridproj {
    PJ *pj;      /* NULL when the grid is itself WGS84 lon/lat */
};

int cw_gridproj_open(struct cw_ctx *ctx, const struct cw_grid *g, struct cw_gridproj *p);
void cw_gridproj_close(struct cw_gridproj *p);
/* A new geometry: @p in (borrowed) taken from lon/lat to the grid's CRS
 * (dir PJ_FWD) or back (PJ_INV). @return CW_OK, CW_ERR_DATA (a point
 * without an image) or CW_ERR_LIB. */
int cw_gridproj_geom(struct cw_ctx *ctx, const struct cw_gridproj *p, PJ_DIRECTION dir,
                     const GEOSGeometry *in, GEOSGeometry **out);

/* One lon/lat (Multi)Polygon per region of @p ids (1..n; 0 = none), the
 * regions traced with GDAL's polygonize, edges densified to the cell size
 * before leaving the grid's CRS. out[k] for k in 1..n, caller destroys
 * each and frees the array. */
int cw_grid_polygons(struct cw_ctx *ctx, const struct cw_grid *g, const int32_t *ids,
                     int n, int conn8, GEOSGeometry ***out);

#endif
