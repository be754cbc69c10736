/* coverage.h: exact fractions of raster cells covered by a polygon, for
 * area-weighted zonal statistics (what exactextract computes).
 * SPDX-License-Identifier: MIT
 *
 *   struct cw_cover cv;
 *   if (cw_cover_polygon(ctx, &pop.grid, zone, &cv) != CW_OK) return ...;
 *   double sum = 0;
 *   for (int r = 0; r < cv.nrows; r++)
 *       for (int c = 0; c < cv.ncols; c++) {
 *           float v = pop.v[(size_t)(cv.row0 + r) * pop.grid.nx + cv.col0 + c];
 *           if (!isnan(v))
 *               sum += cw_cover_at(&cv, r, c) * v;   // people living in the zone
 *       }
 *   cw_cover_release(&cv);
 *
 * Fractions are of a cell's area in the grid's own coordinates, with the
 * polygon's edges taken as straight lines there (as GEOS and exactextract
 * take them). On a lon/lat grid, a zone's area is then the sum of fraction
 * times cw_grid_areas() over its cells.
 */
#ifndef CITYWEAVE_COVERAGE_H
#define CITYWEAVE_COVERAGE_H

#include <stddef.h>

#include "cityweave/ctx.h"
#include "cityweave/raster.h"

/** The cells of a grid a polygon may cover: the window of the grid that
 *  the polygon's envelope overlaps (with positive area), clipped to the
 *  grid. Window cell (r, c) is grid cell (row0 + r, col0 + c). */
struct cw_cover {
    int row0, col0;   /**< grid row and column of the window's first cell */
    int nrows, ncols; /**< window size; both 0 when the polygon misses the grid */
    double *frac;     /**< owned; nrows*ncols fractions in [0,1], row-major;
                           NULL for an empty window. Double, not float:
                           float would round to ~6e-8 */
};

/** The fraction of each cell's area inside @p poly, exact up to
 *  floating-point rounding (within 2e-13 of a cell of a quad-precision
 *  computation on the test data). Cells the polygon's boundary does not
 *  cross are exactly 0 or 1.
 *  Costs time in proportion to the polygon's vertices, the cells its
 *  boundary crosses and the window, not to vertices times cells.
 *  @param[in] g a north-up grid (gt[2] == gt[4] == 0; gt[1] and gt[5] of
 *  either sign, gt[5] < 0 being the usual); only its size and geotransform
 *  are used.
 *  @param[in] poly a GEOS Polygon or MultiPolygon (borrowed) in the grid's
 *  CRS coordinates. Holes are subtracted; ring orientation does not matter.
 *  Valid geometry is assumed: parts of a MultiPolygon that overlap are
 *  counted twice (fractions are clamped to 1). An empty polygon, or one
 *  outside the grid, gives an empty window.
 *  @param[out] out the window and its fractions; release with
 *  cw_cover_release(). Left empty (zeroed) on error.
 *  @return CW_OK, CW_ERR_ARG (NULL or not a polygon; a rotated grid, a
 *  negative size, a zero or non-finite cell size), CW_ERR_DATA (a
 *  coordinate not finite in grid units), CW_ERR_NOMEM or CW_ERR_LIB (GEOS
 *  could not read the geometry). */
int cw_cover_polygon(struct cw_ctx *ctx, const struct cw_grid *g,
                     const GEOSGeometry *poly, struct cw_cover *out);

/** Frees @p c's fractions and zeroes it; a zeroed struct is a no-op. */
void cw_cover_release(struct cw_cover *c);

/** @return the fraction of window cell (@p r, @p c), 0 <= r < nrows and
 *  0 <= c < ncols. */
static inline double cw_cover_at(const struct cw_cover *cv, int r, int c)
{
    return cv->frac[(size_t)r * (size_t)cv->ncols + (size_t)c];
}

#endif
