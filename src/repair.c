/* repair.c: invalid polygons made valid with GEOS MakeValid, or refused.
 * SPDX-License-Identifier: MIT
 *
 * MakeValid keeps every vertex and returns what the ring encloses: a bow
 * tie becomes two triangles meeting at the crossing, a ring that runs
 * back over itself loses the spike as a LineString. Only the polygonal
 * part is kept: the commands that call this measure areas, and a line
 * has none.
 */
#include <stdlib.h>

#include "cityweave/repair.h"

/* Appends the polygons of @p g (flattened) to parts[*k]. */
static void collect_polygons(GEOSContextHandle_t h, const GEOSGeometry *g, GEOSGeometry **parts,
                             int *k, int cap)
{
    int t = GEOSGeomTypeId_r(h, g);
    if (t == GEOS_POLYGON && !GEOSisEmpty_r(h, g) && *k < cap)
        parts[(*k)++] = GEOSGeom_clone_r(h, g);
    else if (t == GEOS_MULTIPOLYGON || t == GEOS_GEOMETRYCOLLECTION)
        for (int i = 0; i < GEOSGetNumGeometries_r(h, g); i++)
            collect_polygons(h, GEOSGetGeometryN_r(h, g, i), parts, k, cap);
}

GEOSGeometry *cw_polygonal(GEOSContextHandle_t h, const GEOSGeometry *g)
{
    int t = GEOSGeomTypeId_r(h, g);
    if (t == GEOS_POLYGON || t == GEOS_MULTIPOLYGON)
        return GEOSisEmpty_r(h, g) ? NULL : GEOSGeom_clone_r(h, g);
    int cap = GEOSGetNumGeometries_r(h, g), k = 0;
    if (t != GEOS_GEOMETRYCOLLECTION || cap <= 0)
        return NULL;
    for (int i = 0; i < GEOSGetNumGeometries_r(h, g); i++)   /* room for nested parts */
        cap += GEOSGetNumGeometries_r(h, GEOSGetGeometryN_r(h, g, i));
    GEOSGeometry **parts = calloc((size_t)cap, sizeof *parts);
    if (parts)
        collect_polygons(h, g, parts, &k, cap);
    GEOSGeometry *out = parts && k ? GEOSGeom_createCollection_r(h, GEOS_MULTIPOLYGON, parts,
                                                                 (unsigned)k)
                                   : NULL;
    free(parts);
    return out;
}

int cw_repair_polygon(struct cw_ctx *ctx, struct cw_repair *r, GEOSGeometry **g, size_t index)
{
    GEOSContextHandle_t h = cw_ctx_geos(ctx);
    int t = *g ? GEOSGeomTypeId_r(h, *g) : -1;
    if ((t != GEOS_POLYGON && t != GEOS_MULTIPOLYGON) || GEOSisValid_r(h, *g) == 1)
        return CW_OK;
    if (r->strict) {
        char *why = GEOSisValidReason_r(h, *g);
        int rc = cw_ctx_error(ctx, CW_ERR_DATA, "'%s' %s %zu: invalid polygon (%s)", r->path,
                              r->unit, index + 1, why ? why : "?");
        GEOSFree_r(h, why);
        return rc;
    }
    GEOSGeometry *mv = GEOSMakeValid_r(h, *g);
    if (!mv)
        return cw_ctx_error(ctx, CW_ERR_LIB, "'%s' %s %zu: GEOS cannot make the polygon valid",
                            r->path, r->unit, index + 1);
    GEOSGeometry *poly = cw_polygonal(h, mv);
    GEOSGeom_destroy_r(h, mv);
    if (poly) {
        GEOSGeom_destroy_r(h, *g);
        *g = poly;
        r->repaired++;
    }
    return CW_OK;
}

void cw_repair_warn(struct cw_ctx *ctx, size_t n, const char *what)
{
    if (n)
        cw_ctx_warn(ctx, "%zu invalid %s%s repaired with GEOS MakeValid (--strict refuses "
                    "them)", n, what, n == 1 ? "" : "s");
}
