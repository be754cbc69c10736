/* catchment.h: which centre each place depends on: nearest, gravity and
 * Huff models, and hierarchical catchments in distance or travel-time
 * bands (after the URCA method, Cattaneo, Nelson & McMenomy 2021).
 * SPDX-License-Identifier: MIT
 *
 * The models see a place only through a matrix of separations: metres on
 * the ellipsoid, or minutes over a friction grid. One row per place, one
 * column per centre, NaN where the centre is out of reach.
 */
#ifndef CITYWEAVE_CATCHMENT_H
#define CITYWEAVE_CATCHMENT_H

#include <stddef.h>

#include "cityweave/ctx.h"
#include "cityweave/layer.h"
#include "cityweave/writer.h"

enum cw_model { CW_MODEL_NEAREST, CW_MODEL_GRAVITY, CW_MODEL_HUFF };

/** Most bands and size classes. */
#define CW_MAX_BANDS 16

struct cw_catchment_opts {
    enum cw_model model;
    double alpha;            /**< gravity, huff: centre size exponent (1) */
    double beta;             /**< gravity, huff: distance decay exponent (2) */
    double max_sep;          /**< centres beyond this are out of reach; 0: none */
    double bands[CW_MAX_BANDS];   /**< upper edges, ascending; nbands 0: none */
    int nbands;
    double classes[CW_MAX_BANDS]; /**< size class lower bounds, descending */
    int nclasses;
};

/** The size class of a centre of @p pop people: 1 for the largest
 *  (pop >= classes[0]), ..., nclasses + 1 below the last bound. */
int cw_size_class(const struct cw_catchment_opts *o, double pop);

/** The band of a separation: 1 when sep <= bands[0], ..., 0 beyond the
 *  last (the hinterland); 1 for everything without bands. */
int cw_band(const struct cw_catchment_opts *o, double sep);

/** The centre a place depends on, from its row @p sep (n centres) and
 *  their populations: with bands, the largest size class reached within
 *  the first band that reaches any centre (more people, then nearer,
 *  then the lower index break ties) — the hierarchical rule of URCA;
 *  without bands (or in the hinterland), the nearest. @return -1 when no
 *  centre is in reach. */
long cw_assign(const struct cw_catchment_opts *o, const double *sep, const double *pop,
               size_t n);

/** Gravity and Huff probabilities of one place: attraction
 *  pop^alpha / sep^beta (separations in km or minutes; a separation of 0
 *  counts as 0.001), normalised over the centres in reach, written to
 *  @p prob (0 out of reach). @return the sum of the attractions (0: no
 *  centre in reach). */
double cw_huff(const struct cw_catchment_opts *o, const double *sep, const double *pop,
               size_t n, double unit, double *prob);

/** Everything `cityweave linkage links` does. */
struct cw_catchment_job {
    const char *centres, *places;     /**< any OGR source; polygons stand at a
                                           point on their surface */
    const char *centres_where;        /**< OGR SQL filter of the centres */
    const char *centre_pop_field;     /**< required */
    const char *place_pop_field;      /**< NULL: the same name if the places
                                           have it, else flows are 0 */
    const char *id_field, *name_field;
    const char *cost;                 /**< friction raster in minutes per
                                           metre (NULL: geodesic distance) */
    int knight;
    struct cw_catchment_opts o;
    double segment;                   /**< link lines densified every metres */
    const char *output, *catchments, *summary;
    struct cw_read_opts read;         /**< for the places */
    struct cw_write_opts write;
};

struct cw_catchment_stats {
    size_t centres, places, links, hinterland;
};

int cw_catchment_run(struct cw_ctx *ctx, const struct cw_catchment_job *job,
                     struct cw_catchment_stats *st);

#endif
