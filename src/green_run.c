/* green_run.c: a `cityweave green` job from options to files: check,
 * load, connect the GI, measure each zone, write.
 * SPDX-License-Identifier: MIT
 */
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "green_priv.h"

static int check_job(struct cw_ctx *ctx, const struct cw_green_job *j)
{
    size_t rasters = 0;
    for (size_t i = 0; i < j->ngi; i++)
        rasters += j->gi[i].raster != 0;
    if (!j->zones || !j->output)
        return cw_ctx_error(ctx, CW_ERR_ARG, "zones and an output are required");
    if (!j->ngi)
        return cw_ctx_error(ctx, CW_ERR_ARG, "no GI input (--gi or --raster)");
    if (rasters && rasters < j->ngi)
        return cw_ctx_error(ctx, CW_ERR_ARG, "--raster cannot be combined with --gi (give "
                            "the raster to --gi: it is polygonised)");
    if (rasters && (j->dispersal_m > 0 || j->patches || j->links || j->pop))
        return cw_ctx_error(ctx, CW_ERR_ARG, "patches, connectivity and access need GI "
                            "polygons; the raster path gives areas only (give the raster "
                            "to --gi: it is polygonised)");
    if (j->areas_only && (j->dispersal_m > 0 || j->patches || j->links || j->pop))
        return cw_ctx_error(ctx, CW_ERR_ARG, "areas only: no patches, connectivity or access");
    if (j->links && !(j->dispersal_m > 0))
        return cw_ctx_error(ctx, CW_ERR_ARG, "patch links need a dispersal distance");
    if (j->pop && !(j->access_m > 0 && isfinite(j->access_m) && j->min_area_m2 >= 0))
        return cw_ctx_error(ctx, CW_ERR_ARG, "the access distance must be positive and "
                            "the smallest patch area not negative");
    return CW_OK;
}

static void release(struct green *g)
{
    GEOSContextHandle_t h = cw_ctx_geos(g->ctx);
    for (size_t z = 0; g->res && z < g->zones.attrs.nrows; z++) {
        struct zone_res *r = &g->res[z];
        for (size_t k = 0; k < r->npatches; k++)
            GEOSGeom_destroy_r(h, r->patches[k].g);
        for (size_t k = 0; k < r->nlinks; k++)
            GEOSGeom_destroy_r(h, r->links[k].g);
        free(r->patches);
        free(r->links);
        free(r->cls);
    }
    free(g->res);
    if (g->gi.tree)
        GEOSSTRtree_destroy_r(h, g->gi.tree);
    for (size_t i = 0; i < g->gi.n; i++)
        GEOSGeom_destroy_r(h, g->gi.g[i]);
    free(g->gi.g);
    free(g->gi.cls);
    free(g->gi.comp);
    free(g->gi.overlap);
    free(g->gi.comp_m2);
    for (size_t i = 0; i < g->nrasters; i++) {
        cw_raster_release(&g->rasters[i].r);
        cw_areas_release(&g->rasters[i].areas);
    }
    free(g->rasters);
    free(g->zg);
    cw_layer_release(g->ctx, &g->zones);
    free(g->pop.lon);
    free(g->pop.lat);
    free(g->pop.w);
    cw_raster_release(&g->popgrid);
    cw_giclasses_release(&g->reg);
}

static void totals(struct green *g)
{
    struct cw_green_stats *st = g->st;
    size_t part = 0;
    st->raster_path = g->nrasters > 0;
    for (size_t z = 0; z < g->zones.attrs.nrows; z++) {
        const struct zone_res *r = &g->res[z];
        part += r->mapped < 0.999;
        if (r->area > 0) {
            st->zone_m2 += r->area;
            st->gi_m2 += r->gi;
        }
        st->patches += isfinite(r->npatch) ? (size_t)r->npatch : 0;
        st->links += r->nlinks;
    }
    if (part)
        cw_ctx_warn(g->ctx, "%zu zones lie partly outside the land-cover grid or over nodata "
                    "(lc_share < 0.999): their GI is what the grid shows", part);
}

int cw_green_run(struct cw_ctx *ctx, const struct cw_green_job *job,
                 struct cw_green_stats *stats)
{
    struct cw_green_stats scratch;
    struct green g = { .ctx = ctx, .job = job, .st = stats ? stats : &scratch };
    memset(g.st, 0, sizeof *g.st);
    cw_layer_init(&g.zones);
    int rc = check_job(ctx, job);
    rc = rc ? rc : cw_green_load_zones(&g);   /* first: they bound rasters polygonised */
    rc = rc ? rc : cw_green_load_gi(&g);
    rc = rc ? rc : cw_green_load_rasters(&g);
    for (size_t c = 0; !rc && c < g.reg.n; c++)
        g.has_canopy |= cw_giclass_is_canopy(g.reg.name[c]);
    rc = rc ? rc : cw_green_load_pop(&g);
    rc = rc ? rc : cw_green_components(&g);
    rc = rc ? rc : cw_green_zones(&g);
    if (!rc && g.st->empty_zones)
        cw_ctx_warn(ctx, "%zu zones have no area; their indicators are null",
                    g.st->empty_zones);
    rc = rc ? rc : cw_green_write(&g);
    if (!rc)
        totals(&g);
    release(&g);
    return rc;
}
