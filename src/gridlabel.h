/* gridlabel.h: connected regions of grid cells, labelled in two raster
 * passes with a union-find of provisional labels; private.
 * SPDX-License-Identifier: MIT
 *
 * Memory is the caller's label array plus one entry per provisional label,
 * never a queue as large as the grid, so a region may cover the whole grid.
 */
#ifndef CW_GRIDLABEL_H
#define CW_GRIDLABEL_H

#include <stdint.h>

#include "cityweave/ctx.h"
#include "cityweave/raster.h"

/* Per-region totals, indexed by final id 1..n (entry 0 unused). */
struct cw_regions {
    int n;
    double *pop;     /* owned */
    double *m2;      /* owned */
};

void cw_regions_release(struct cw_regions *r);

/* Labels the cells whose m[i] has any of @p bits, connected through edges
 * (@p conn 4) or edges and corners (8), and keeps the regions whose
 * population (pop, NaN counted as 0) reaches @p minpop: lab[i] = 1..n in the
 * row-major order of each region's first cell, 0 elsewhere. @p out (may be
 * NULL) receives the kept regions' population and area.
 * @return CW_OK or CW_ERR_NOMEM. */
int cw_grid_label(struct cw_ctx *ctx, const struct cw_grid *g, const struct cw_areas *a,
                  const float *pop, const uint8_t *m, uint8_t bits, int conn,
                  double minpop, int32_t *lab, struct cw_regions *out);

#endif
