/* repair.c: invalid polygons made valid with GEOS MakeValid, or refused.
 * SPDX-License-Identifier: MIT
 *
 * MakeValid keeps every vertex and returns what the ring encloses: a bow
 * tie becomes two triangles meeting at the crossing, a ring that runs
 * back over itself loses the spike as a LineString. Only the polygonal
 * part is kept: the commands that call this measure areas, and a line
 * has none.
 */
#include <stdint.h>
#include <stdlib.h>

#include "cityweave/repair.h"
#include "parallel.h"

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

/* ---- many at once ---- */

struct validity {
    GEOSGeometry *const *g;
    uint8_t *bad;
};

/* Marks the invalid polygons of [lo, hi), with a GEOS handle of its own
 * (a handle is per thread; the geometries are shared read-only). */
static int check_chunk(size_t lo, size_t hi, int w, void *arg)
{
    struct validity *v = arg;
    GEOSContextHandle_t h = GEOS_init_r();
    (void)w;
    if (!h)
        return CW_ERR_NOMEM;
    for (size_t i = lo; i < hi; i++) {
        int t = v->g[i] ? GEOSGeomTypeId_r(h, v->g[i]) : -1;
        v->bad[i] = (t == GEOS_POLYGON || t == GEOS_MULTIPOLYGON) && GEOSisValid_r(h, v->g[i]) != 1;
    }
    GEOS_finish_r(h);
    return CW_OK;
}

int cw_repair_polygons(struct cw_ctx *ctx, struct cw_repair *r, GEOSGeometry **g, size_t n)
{
    struct validity v = { g, calloc(n ? n : 1, 1) };
    int rc = v.bad ? CW_OK : cw_ctx_error(ctx, CW_ERR_NOMEM, "out of memory");
    if (!rc && n && cw_parallel_for(ctx, n, check_chunk, &v))
        rc = cw_ctx_error(ctx, CW_ERR_NOMEM, "cannot start GEOS for a validity check");
    for (size_t i = 0; !rc && i < n; i++)
        if (v.bad[i])
            rc = cw_repair_polygon(ctx, r, &g[i], i);
    free(v.bad);
    return rc;
}

void cw_repair_warn(struct cw_ctx *ctx, size_t n, const char *what)
{
    if (n)
        cw_ctx_warn(ctx, "%zu invalid %s%s repaired with GEOS MakeValid (--strict refuses "
                    "them)", n, what, n == 1 ? "" : "s");
}
