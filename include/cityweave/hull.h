/* hull.h: polygons around groups of points on the globe, and their
 * geodesic areas.
 * SPDX-License-Identifier: MIT
 */
#ifndef CITYWEAVE_HULL_H
#define CITYWEAVE_HULL_H

#include <stddef.h>
#include "cityweave/ctx.h"

enum cw_hull_kind { CW_HULL_CONVEX, CW_HULL_CONCAVE };

struct cw_hull_opts {
    enum cw_hull_kind kind;
    double ratio;     /**< concave: GEOS ConcaveHull ratio in [0,1] (1 = convex) */
    double buffer;    /**< metres around the hull (0: none) */
    double small;     /**< metres of the buffer that stands for a hull of 1-2
                           points (0: 1000 m) */
};

/** A polygon around the @p n points (lon/lat degrees), computed in a
 *  Lambert azimuthal equal-area projection centred on them (PROJ), so it is
 *  right anywhere, poles and antimeridian included. One or two points give
 *  a buffer of opts->small (plus opts->buffer) instead of a degenerate hull.
 *  The result is valid, in lon/lat, and a MultiPolygon split at ±180° when
 *  it crosses the antimeridian (RFC 7946).
 *  @param[out] out new geometry, free with GEOSGeom_destroy_r.
 *  @return CW_OK, CW_ERR_ARG (n = 0, bad ratio), CW_ERR_LIB. */
int cw_hull(struct cw_ctx *ctx, const double *lon, const double *lat, size_t n,
            const struct cw_hull_opts *opts, GEOSGeometry **out);

/** Geodesic area of a lon/lat (Multi)Polygon on WGS84, holes subtracted,
 *  in m² (PROJ geod_polygonarea; orientation does not matter).
 *  @return CW_OK or CW_ERR_ARG for a non-polygon. */
int cw_geod_area(struct cw_ctx *ctx, const GEOSGeometry *g, double *m2);

#endif
