/* degurba_priv.h: per-cell facts shared by the DEGURBA passes; private.
 * SPDX-License-Identifier: MIT
 */
#ifndef CW_DEGURBA_PRIV_H
#define CW_DEGURBA_PRIV_H

#include "cityweave/degurba.h"

enum {
    F_DENSE = 1,     /* density >= centre_density, or built share >= built_share */
    F_D300 = 2,      /* density >= cluster_density */
    F_D50 = 4,       /* density >= low_density */
    F_WATER = 8,     /* permanent water: little land, nobody, nothing built */
    F_IGNORE = 16,   /* little land and nobody: left out of majority counts */
    F_MARK = 32,     /* scratch for one pass */
    F_MARK2 = 64     /* scratch for one pass */
};

/* Iterated majority rule (GHSL Data Package 2023): grows centres in lab. */
int cw_degurba_smooth(struct cw_ctx *ctx, const struct cw_grid *g, uint8_t *flags,
                      int32_t *lab);
/* Fills holes smaller than max_m2 in each centre of lab (ids 1..n). */
int cw_degurba_fill_gaps(struct cw_ctx *ctx, const struct cw_grid *g,
                         const struct cw_areas *a, int32_t *lab, int n, double max_m2);

/* Reads the job's units into @p l (initialised by the call; left empty on
 * error) and classifies them, for the caller to write (degurba_units.c). */
int cw_degurba_units(struct cw_ctx *ctx, const struct cw_degurba_job *job,
                     const struct cw_grid *g, const struct cw_areas *a, const float *pop,
                     const struct cw_degurba *res, struct cw_layer *l);

#endif
