/* green_raster.c: the raster path: GI area by class per zone from
 * land-cover codes, with exact cell-coverage fractions and cell areas on
 * the ellipsoid, without polygonising anything.
 * SPDX-License-Identifier: MIT
 *
 * A cell counts by the fraction of it inside the zone (src/coverage.c),
 * so a zone's GI area is sum(fraction * cell area) over its GI cells: the
 * same number the vector path gets from the polygonised raster, up to the
 * straight edges of the zone drawn in the grid's CRS.
 */
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "cityweave/coverage.h"
#include "green_priv.h"
#include "grid_geom.h"

int cw_green_code_lut(struct cw_ctx *ctx, const struct cw_classmap *m, const char *map,
                      int8_t *lut)
{
    memset(lut, -1, 65536);
    for (size_t i = 0; i < m->n; i++) {
        char *end;
        long code = strtol(m->e[i].value, &end, 10);
        if (*end || code < 0 || code > 65535)
            return cw_ctx_error(ctx, CW_ERR_DATA, "'%s': '%s' is not a land-cover code "
                                "(0 to 65535)", map, m->e[i].value);
        lut[code] = (int8_t)m->e[i].cls;
    }
    return CW_OK;
}

static int load_one(struct green *g, const struct cw_gi_input *in, struct gi_raster *gr)
{
    const char *map = in->class_map ? in->class_map : "jaxa";
    struct cw_classmap m;
    int rc = cw_classmap_load(g->ctx, map, &g->reg, &m);
    if (rc)
        return rc;
    rc = cw_green_code_lut(g->ctx, &m, map, gr->lut);
    cw_classmap_release(&m);
    rc = rc ? rc : cw_raster_read(g->ctx, in->path, &gr->r);
    if (!rc && !gr->r.grid.wkt)
        rc = cw_ctx_error(g->ctx, CW_ERR_DATA, "'%s': the land-cover grid has no CRS (set one "
                          "with gdal_edit.py -a_srs)", in->path);
    return rc ? rc : cw_grid_areas(g->ctx, &gr->r.grid, &gr->areas);
}

int cw_green_load_rasters(struct green *g)
{
    size_t n = 0;
    for (size_t i = 0; i < g->job->ngi; i++)
        n += g->job->gi[i].raster != 0;
    if (!n)
        return CW_OK;
    if (!(g->rasters = calloc(n, sizeof *g->rasters)))
        return cw_ctx_error(g->ctx, CW_ERR_NOMEM, "out of memory");
    int rc = CW_OK;
    for (size_t i = 0; !rc && i < g->job->ngi; i++)
        if (g->job->gi[i].raster)
            rc = load_one(g, &g->job->gi[i], &g->rasters[g->nrasters++]);
    if (!rc && g->reg.n > 127)
        rc = cw_ctx_error(g->ctx, CW_ERR_DATA, "more than 127 GI classes");
    return rc;
}

static int raster_zone(struct cw_ctx *ctx, const struct gi_raster *gr, const GEOSGeometry *z,
                       struct zone_res *res)
{
    struct cw_gridproj gp;
    struct cw_cover cv = { 0 };
    GEOSGeometry *zg = NULL;
    int rc = cw_gridproj_open(ctx, &gr->r.grid, &gp);
    rc = rc ? rc : cw_gridproj_geom(ctx, &gp, PJ_FWD, z, &zg);
    rc = rc ? rc : cw_cover_polygon(ctx, &gr->r.grid, zg, &cv);
    for (int i = 0; !rc && i < cv.nrows; i++) {
        int row = cv.row0 + i;
        const float *v = gr->r.v + (size_t)row * (size_t)gr->r.grid.nx;
        for (int k = 0; k < cv.ncols; k++) {
            float code = v[cv.col0 + k];
            double f = cw_cover_at(&cv, i, k);
            if (!(f > 0) || isnan(code))
                continue;
            double a = f * cw_area_at(&gr->areas, row, cv.col0 + k);
            int cls = code >= 0 && code <= 65535 ? gr->lut[(int)code] : -1;
            res->mapped += a;
            if (cls >= 0)
                res->cls[cls] += a;
        }
    }
    cw_cover_release(&cv);
    GEOSGeom_destroy_r(cw_ctx_geos(ctx), zg);
    cw_gridproj_close(&gp);
    return rc;
}

int cw_green_raster_zone(struct green *g, struct cw_ctx *ctx, size_t z, struct zone_res *res)
{
    int rc = CW_OK;
    res->mapped = 0;
    for (size_t i = 0; !rc && i < g->nrasters; i++)
        rc = raster_zone(ctx, &g->rasters[i], g->zg[z], res);
    res->mapped /= res->area;
    res->gi = 0;
    res->canopy = g->has_canopy ? 0 : NAN;
    for (size_t c = 0; c < g->reg.n; c++) {
        res->gi += res->cls[c];
        if (cw_giclass_is_canopy(g->reg.name[c]))
            res->canopy += res->cls[c];
    }
    if (g->has_canopy)
        res->canopy /= res->area;
    return rc;
}
