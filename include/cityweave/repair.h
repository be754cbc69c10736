/* repair.h: invalid polygons made valid (GEOS MakeValid), or refused.
 * SPDX-License-Identifier: MIT
 *
 * Polygons from OSM extracts and hand-drawn layers self-intersect (bow
 * ties, rings that touch themselves). GEOS overlays on them fail or give
 * wrong areas, so every command that measures areas passes its polygons
 * through here first: repaired by default, counted in one warning, or an
 * error naming the file and the record with --strict.
 */
#ifndef CITYWEAVE_REPAIR_H
#define CITYWEAVE_REPAIR_H

#include <stddef.h>

#include "cityweave/ctx.h"

/** One input's repairs. */
struct cw_repair {
    const char *path;   /**< the input, for messages */
    const char *unit;   /**< what a record is called in messages: "row", "feature" */
    int strict;         /**< an invalid polygon is an error, not repaired */
    size_t repaired;    /**< out: how many were repaired */
};

/** The polygonal part of @p g as a new Polygon or MultiPolygon (the
 *  polygons of a GeometryCollection, flattened), or NULL when it has none. */
GEOSGeometry *cw_polygonal(GEOSContextHandle_t h, const GEOSGeometry *g);

/** Makes *@p g valid when it is an invalid Polygon or MultiPolygon: with
 *  strict, CW_ERR_DATA "'PATH' UNIT N: invalid polygon (GEOS's reason)";
 *  otherwise *g is replaced by the polygonal part of GEOSMakeValid's result
 *  and counted. A ring folded flat has no polygonal part: it is left as it
 *  is, for the caller's own "no area" rule. Other geometries, and valid
 *  ones, are left alone. @p index is the record's 0-based index.
 *  @return CW_OK or an error. */
int cw_repair_polygon(struct cw_ctx *ctx, struct cw_repair *r, GEOSGeometry **g, size_t index);

/** cw_repair_polygon() for each of @p g[0..n) (NULLs skipped), in order;
 *  the validity tests, which are most of the cost, run in parallel
 *  (cw_ctx_threads). @return CW_OK or the first record's error. */
int cw_repair_polygons(struct cw_ctx *ctx, struct cw_repair *r, GEOSGeometry **g, size_t n);

/** Warns once, when @p n polygons were repaired: "N invalid WHATs repaired
 *  with GEOS MakeValid (--strict refuses them)"; @p what is singular. */
void cw_repair_warn(struct cw_ctx *ctx, size_t n, const char *what);

#endif
