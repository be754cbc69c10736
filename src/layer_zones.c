/* layer_zones.c: a layer checked as zones (units, municipalities) before
 * people are spread over them or counted in them: a zone without a
 * polygon or without area would silently lose its people.
 * SPDX-License-Identifier: MIT
 */
#include "cityweave/layer.h"

int cw_layer_zones(struct cw_ctx *ctx, const struct cw_layer *l, const char *path)
{
    GEOSContextHandle_t h = cw_ctx_geos(ctx);
    for (size_t i = 0; i < l->attrs.nrows; i++) {
        const GEOSGeometry *g = l->geoms[i];
        double area = 0;
        if (!g || GEOSisEmpty_r(h, g) == 1)
            return cw_ctx_error(ctx, CW_ERR_DATA, "'%s' row %zu: no geometry", path, i + 1);
        int t = GEOSGeomTypeId_r(h, g);
        if (t != GEOS_POLYGON && t != GEOS_MULTIPOLYGON) {
            char *name = GEOSGeomType_r(h, g);
            int rc = cw_ctx_error(ctx, CW_ERR_DATA, "'%s' row %zu: geometry is not a polygon (%s)",
                                  path, i + 1, name ? name : "unknown");
            GEOSFree_r(h, name);
            return rc;
        }
        if (!GEOSArea_r(h, g, &area) || !(area > 0))
            return cw_ctx_error(ctx, CW_ERR_DATA, "'%s' row %zu: polygon has no area", path, i + 1);
    }
    return CW_OK;
}
