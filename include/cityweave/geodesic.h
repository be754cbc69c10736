/* geodesic.h: distances, azimuths and densified lines on the WGS84
 * ellipsoid (PROJ's geodesic API) or on a sphere of the mean Earth radius.
 * SPDX-License-Identifier: MIT
 *
 *   struct cw_geod g;
 *   cw_geod_init(&g, 0);                          // WGS84 ellipsoid
 *   double s, az;
 *   cw_geod_inverse(&g, 139.64, 35.44, 8.68, 50.11, &s, &az, NULL);
 */
#ifndef CITYWEAVE_GEODESIC_H
#define CITYWEAVE_GEODESIC_H

#include <geodesic.h>
#include "cityweave/ctx.h"

/** Mean Earth radius R1 = (2a + b) / 3 of WGS84, in metres: the radius
 *  scikit-learn users and haversine formulas conventionally take. */
#define CW_EARTH_RADIUS_M 6371008.8

struct cw_geod {
    int sphere;              /**< 0: WGS84 ellipsoid; 1: sphere of CW_EARTH_RADIUS_M */
    struct geod_geodesic g;  /**< the ellipsoid (used when sphere == 0) */
};

void cw_geod_init(struct cw_geod *g, int sphere);

/** Shortest path between two points.
 *  @param[in] lon1,lat1,lon2,lat2 degrees, lat in [-90,90]
 *  @param[out] dist metres; @param[out] azi1 forward azimuth at point 1,
 *  degrees clockwise from north in (-180,180]; @param[out] azi2 at point 2.
 *  Any output may be NULL. Cannot fail. */
void cw_geod_inverse(const struct cw_geod *g, double lon1, double lat1,
                     double lon2, double lat2, double *dist, double *azi1,
                     double *azi2);

/** The shortest path as a line with a vertex at least every @p segment
 *  metres (equal spacing, endpoints exact). A path crossing the antimeridian
 *  becomes a MultiLineString split at ±180°, both parts sharing the crossing
 *  latitude, so every longitude stays in [-180,180].
 *  @param[out] out new geometry, caller frees with GEOSGeom_destroy_r.
 *  @return CW_OK, CW_ERR_ARG (segment <= 0) or CW_ERR_LIB. */
int cw_geod_line(struct cw_ctx *ctx, const struct cw_geod *g, double lon1,
                 double lat1, double lon2, double lat2, double segment,
                 GEOSGeometry **out);

/** A Lambert azimuthal equal-area projection of the WGS84 ellipsoid
 *  centred on (@p lon0, @p lat0), degrees in (lon first) and metres out:
 *  areas in it are areas on the ellipsoid, and distances near the centre
 *  are true to (distance / 12,740 km)^2 / 2. @return NULL when PROJ fails;
 *  free with proj_destroy(). */
PJ *cw_laea_new(struct cw_ctx *ctx, double lon0, double lat0);

#endif
