/* catchment_priv.h: the state of a `linkage links` run, shared by the
 * job (catchment_run.c) and its polygon and summary outputs
 * (catchment_out.c); private.
 * SPDX-License-Identifier: MIT
 */
#ifndef CW_CATCHMENT_PRIV_H
#define CW_CATCHMENT_PRIV_H

#include <stdint.h>

#include "cityweave/catchment.h"
#include "cityweave/geodesic.h"

/* One input layer as points with id, name and population. */
struct sites {
    const char *path;
    struct cw_layer l;
    size_t n;
    double *lon, *lat, *pop;
    int id_col, name_col, polygons;
};

struct run {
    struct cw_ctx *ctx;
    const struct cw_catchment_job *job;
    struct cw_geod geod;
    struct sites c, p;
    double *minutes;        /* cost mode: places x centres, NaN elsewhere */
    size_t *assigned;       /* per place: centre index, or SIZE_MAX */
    int *band;              /* per place: band of its assigned centre */
};

const char *cw_site_id(const struct sites *s, size_t i, char *buf, size_t size);
const char *cw_site_name(const struct sites *s, size_t i);

/* Places dissolved per centre and band (polygon places only), written to
 * @p *w for the caller to commit or abort with the other outputs. */
int cw_catchment_polygons(struct run *r, const char *path, struct cw_writer **w);
/* One row per centre: its places and the people and area it serves; as
 * above, left in @p *w. */
int cw_catchment_summary(struct run *r, const char *path, struct cw_writer **w);

#endif
