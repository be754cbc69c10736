/* raster.h: one band of a north-up grid held in memory, read with GDAL.
 * SPDX-License-Identifier: MIT
 *
 *   struct cw_raster pop;
 *   if (cw_raster_read(ctx, "pop.tif", &pop)) return ...;
 *   float v = pop.v[(size_t)row * pop.grid.nx + col];   // NaN: nodata
 *   cw_raster_release(&pop);
 */
#ifndef CITYWEAVE_RASTER_H
#define CITYWEAVE_RASTER_H

#include <math.h>
#include <stddef.h>
#include <stdint.h>

#include "cityweave/ctx.h"

/** The geometry of a grid: cell (row, col) covers x in
 *  [gt[0] + col*gt[1], gt[0] + (col+1)*gt[1]) and y between gt[3] + row*gt[5]
 *  and gt[3] + (row+1)*gt[5] (gt[5] < 0: row 0 is the top row). */
struct cw_grid {
    int nx, ny;       /**< columns, rows */
    double gt[6];     /**< GDAL geotransform; gt[2] == gt[4] == 0 */
    char *wkt;        /**< owned CRS as WKT; NULL when the source has none */
    int geographic;   /**< 1: the CRS is lon/lat degrees */
};

struct cw_raster {
    struct cw_grid grid;
    float *v;         /**< nx*ny values, row-major from the top row; nodata and
                           NaN both read as NaN */
};

/** Reads band 1 of @p path. A rotated or sheared grid, a cell that is not
 *  a rectangle of positive size, or a grid over 2^31 cells is CW_ERR_DATA;
 *  a grid without a CRS is read with grid.wkt NULL (callers decide).
 *  @return CW_OK, CW_ERR_IO (cannot open), CW_ERR_DATA or CW_ERR_NOMEM,
 *  with @p out left empty on error. */
int cw_raster_read(struct cw_ctx *ctx, const char *path, struct cw_raster *out);
/** @return non-zero when GDAL opens @p path as a raster with a band
 *  (quietly: a vector source is not an error). */
int cw_is_raster(const char *path);
void cw_raster_release(struct cw_raster *r);   /* zeroed struct is a no-op */
void cw_grid_release(struct cw_grid *g);

/** @return non-zero when @p a and @p b have the same size and geotransform
 *  (within 1e-9 of a cell) and the same CRS (or both none). */
int cw_grid_same(const struct cw_grid *a, const struct cw_grid *b);

/** @return the index (row * nx + col) of the cell holding point (x, y) of
 *  the grid's CRS, or -1 outside the grid. */
static inline long cw_grid_cell(const struct cw_grid *g, double x, double y)
{
    double col = floor((x - g->gt[0]) / g->gt[1]), row = floor((y - g->gt[3]) / g->gt[5]);
    if (!(col >= 0 && col < g->nx && row >= 0 && row < g->ny))
        return -1;
    return (long)row * g->nx + (long)col;
}

/** Cell areas in square metres, on the ellipsoid for lon/lat grids (one
 *  area per row), exact for equal-area projections (one area for all), and
 *  from each cell's corners taken back to lon/lat otherwise (one per cell). */
struct cw_areas {
    int nx;
    double one;       /**< the area of every cell, when rows and cell are NULL */
    double *rows;     /**< owned; ny areas, one per row, or NULL */
    float *cell;      /**< owned; nx*ny areas, or NULL */
};

/** @return CW_OK, CW_ERR_DATA (no CRS) , CW_ERR_LIB or CW_ERR_NOMEM. */
int cw_grid_areas(struct cw_ctx *ctx, const struct cw_grid *g,
                  struct cw_areas *out);
void cw_areas_release(struct cw_areas *a);

static inline double cw_area_at(const struct cw_areas *a, int row, int col)
{
    if (a->cell)
        return a->cell[(size_t)row * (size_t)a->nx + (size_t)col];
    return a->rows ? a->rows[row] : a->one;
}

/** One entry of a colour table: a code, its colour and its name. */
struct cw_class_colour {
    uint8_t code, r, g, b;
    const char *name;
};

/** Writes @p v (nx*ny bytes on @p g) as a DEFLATE-compressed GeoTIFF with
 *  @p nodata and the colour table of @p ct (n entries; names are for
 *  legends: a GeoTIFF would keep them only in a .aux.xml beside it),
 *  through a temporary file renamed into place. The same inputs give the
 *  same bytes. @return CW_OK, CW_ERR_EXISTS, CW_ERR_IO or CW_ERR_LIB. */
int cw_raster_write_classes(struct cw_ctx *ctx, const char *path, const struct cw_grid *g,
                            const uint8_t *v, uint8_t nodata,
                            const struct cw_class_colour *ct, size_t n, int overwrite);
/** The same for a Float32 grid (nodata NaN, DEFLATE with the floating-point
 *  predictor). */
int cw_raster_write_floats(struct cw_ctx *ctx, const char *path, const struct cw_grid *g,
                           const float *v, int overwrite);

#endif
