/* green_geom.c: geometries between lon/lat and a zone's equal-area
 * projection, a whole coordinate sequence per PROJ call.
 * SPDX-License-Identifier: MIT
 *
 * GEOSGeom_transformXY would call PROJ once per vertex; the GI of a
 * prefecture has tens of millions of vertices, and proj_trans_generic over
 * a buffer is several times faster.
 */
#include <math.h>
#include <stdlib.h>

#include "green_priv.h"

static GEOSCoordSequence *seq_project(GEOSContextHandle_t h, PJ *pj, PJ_DIRECTION dir,
                                      const GEOSCoordSequence *cs)
{
    unsigned n = 0;
    if (!GEOSCoordSeq_getSize_r(h, cs, &n))
        return NULL;
    double *xy = malloc((n ? n : 1) * 2 * sizeof *xy);
    GEOSCoordSequence *out = NULL;
    if (xy && GEOSCoordSeq_copyToBuffer_r(h, cs, xy, 0, 0)) {
        size_t st = 2 * sizeof *xy;
        proj_trans_generic(pj, dir, xy, st, n, xy + 1, st, n, NULL, 0, 0, NULL, 0, 0);
        int finite = 1;
        for (unsigned i = 0; i < 2 * n; i++)
            finite &= isfinite(xy[i]) != 0;
        if (finite)
            out = GEOSCoordSeq_copyFromBuffer_r(h, xy, n, 0, 0);
    }
    free(xy);
    return out;
}

static GEOSGeometry *ring_project(GEOSContextHandle_t h, PJ *pj, PJ_DIRECTION dir,
                                  const GEOSGeometry *ring)
{
    GEOSCoordSequence *cs = seq_project(h, pj, dir, GEOSGeom_getCoordSeq_r(h, ring));
    return cs ? GEOSGeom_createLinearRing_r(h, cs) : NULL;
}

static GEOSGeometry *polygon_project(GEOSContextHandle_t h, PJ *pj, PJ_DIRECTION dir,
                                     const GEOSGeometry *poly)
{
    int nh = GEOSGetNumInteriorRings_r(h, poly), ok = nh >= 0;
    GEOSGeometry *shell = ok ? ring_project(h, pj, dir, GEOSGetExteriorRing_r(h, poly)) : NULL;
    GEOSGeometry **holes = nh > 0 ? calloc((size_t)nh, sizeof *holes) : NULL;
    ok = shell && (nh <= 0 || holes);
    for (int i = 0; ok && i < nh; i++)
        ok = (holes[i] = ring_project(h, pj, dir, GEOSGetInteriorRingN_r(h, poly, i))) != NULL;
    GEOSGeometry *out = ok ? GEOSGeom_createPolygon_r(h, shell, holes, (unsigned)nh) : NULL;
    if (!out) {
        GEOSGeom_destroy_r(h, shell);
        for (int i = 0; holes && i < nh; i++)
            GEOSGeom_destroy_r(h, holes[i]);
    }
    free(holes);
    return out;
}

static GEOSGeometry *collection_project(GEOSContextHandle_t h, PJ *pj, PJ_DIRECTION dir,
                                        const GEOSGeometry *in, int type);

static GEOSGeometry *geom_project(GEOSContextHandle_t h, PJ *pj, PJ_DIRECTION dir,
                                  const GEOSGeometry *in)
{
    int type = GEOSGeomTypeId_r(h, in);
    switch (type) {
    case GEOS_POLYGON:
        return polygon_project(h, pj, dir, in);
    case GEOS_LINESTRING: case GEOS_POINT: {
        GEOSCoordSequence *cs = seq_project(h, pj, dir, GEOSGeom_getCoordSeq_r(h, in));
        if (!cs)
            return NULL;
        return type == GEOS_POINT ? GEOSGeom_createPoint_r(h, cs)
                                  : GEOSGeom_createLineString_r(h, cs);
    }
    case GEOS_MULTIPOLYGON: case GEOS_MULTILINESTRING: case GEOS_MULTIPOINT:
    case GEOS_GEOMETRYCOLLECTION:
        return collection_project(h, pj, dir, in, type);
    default:
        return NULL;
    }
}

static GEOSGeometry *collection_project(GEOSContextHandle_t h, PJ *pj, PJ_DIRECTION dir,
                                        const GEOSGeometry *in, int type)
{
    int n = GEOSGetNumGeometries_r(h, in), ok = n >= 0;
    GEOSGeometry **parts = ok ? calloc(n ? (size_t)n : 1, sizeof *parts) : NULL;
    ok = parts != NULL;
    for (int i = 0; ok && i < n; i++)
        ok = (parts[i] = geom_project(h, pj, dir, GEOSGetGeometryN_r(h, in, i))) != NULL;
    GEOSGeometry *out = ok ? GEOSGeom_createCollection_r(h, type, parts, (unsigned)n) : NULL;
    if (!out)
        for (int i = 0; parts && i < n; i++)
            GEOSGeom_destroy_r(h, parts[i]);
    free(parts);
    return out;
}

GEOSGeometry *cw_green_project(struct cw_ctx *ctx, PJ *pj, PJ_DIRECTION dir,
                               const GEOSGeometry *in)
{
    return geom_project(cw_ctx_geos(ctx), pj, dir, in);
}

/* Length of every ring of a (multi)polygon: the patch edge of landscape
 * ecology, holes included. */
double cw_green_perimeter(GEOSContextHandle_t h, const GEOSGeometry *poly)
{
    GEOSGeometry *b = GEOSBoundary_r(h, poly);
    double len = 0;
    if (!b || !GEOSLength_r(h, b, &len))
        len = NAN;
    GEOSGeom_destroy_r(h, b);
    return len;
}

int cw_green_envelope(GEOSContextHandle_t h, const GEOSGeometry *g, double *e)
{
    if (GEOSGeom_getXMin_r(h, g, &e[0]) && GEOSGeom_getYMin_r(h, g, &e[1]) &&
        GEOSGeom_getXMax_r(h, g, &e[2]) && GEOSGeom_getYMax_r(h, g, &e[3]))
        return 1;
    e[0] = e[1] = e[2] = e[3] = 0;
    return 0;
}
