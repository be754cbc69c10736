/* layer_zones.c: a layer checked as zones (units, municipalities) before
 * people are spread over them or counted in them: a zone without a
 * polygon or without area would silently lose its people, and an invalid
 * one would make GEOS's overlays fail or count the crossing twice.
 * SPDX-License-Identifier: MIT
 */
#include "cityweave/layer.h"
#include "cityweave/repair.h"

/* The zone of @p row: a polygon, made valid unless strict, with area. */
static int zone(struct cw_ctx *ctx, struct cw_repair *rep, struct cw_layer *l, size_t row)
{
    GEOSContextHandle_t h = cw_ctx_geos(ctx);
    GEOSGeometry **g = &l->geoms[row];
    double area = 0;
    if (!*g || GEOSisEmpty_r(h, *g) == 1)
        return cw_ctx_error(ctx, CW_ERR_DATA, "'%s' row %zu: no geometry", rep->path, row + 1);
    int t = GEOSGeomTypeId_r(h, *g);
    if (t != GEOS_POLYGON && t != GEOS_MULTIPOLYGON) {
        char *name = GEOSGeomType_r(h, *g);
        int rc = cw_ctx_error(ctx, CW_ERR_DATA, "'%s' row %zu: geometry is not a polygon (%s)",
                              rep->path, row + 1, name ? name : "unknown");
        GEOSFree_r(h, name);
        return rc;
    }
    int rc = cw_repair_polygon(ctx, rep, g, row);
    if (!rc && (!*g || !GEOSArea_r(h, *g, &area) || !(area > 0)))
        rc = cw_ctx_error(ctx, CW_ERR_DATA, "'%s' row %zu: polygon has no area", rep->path,
                          row + 1);
    return rc;
}

int cw_layer_zones(struct cw_ctx *ctx, struct cw_layer *l, const char *path, int strict)
{
    struct cw_repair rep = { path, "row", strict, 0 };
    int rc = CW_OK;
    for (size_t i = 0; !rc && i < l->attrs.nrows; i++)
        rc = zone(ctx, &rep, l, i);
    if (!rc)
        cw_repair_warn(ctx, rep.repaired, "unit polygon");
    return rc;
}
