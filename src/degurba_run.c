/* degurba_run.c: the `linkage degurba` job: read the grids, classify,
 * write the class GeoTIFF, the centre and cluster polygons, the units.
 * SPDX-License-Identifier: MIT
 */
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "degurba_priv.h"
#include "grid_geom.h"

/* GHS-SMOD's legend colours. */
static const struct cw_class_colour l1_colours[] = {
    {CW_L1_WATER, 122, 182, 245, "water"},
    {CW_L1_RURAL, 205, 245, 122, "rural grid cell"},
    {CW_L1_CLUSTER, 255, 170, 0, "urban cluster"},
    {CW_L1_CENTRE, 255, 0, 0, "urban centre"},
};
static const struct cw_class_colour l2_colours[] = {
    {CW_L2_WATER, 122, 182, 245, "water"},
    {CW_L2_VERY_LOW, 205, 245, 122, "very low density rural"},
    {CW_L2_LOW, 171, 205, 102, "low density rural"},
    {CW_L2_RURAL_CLUSTER, 55, 86, 35, "rural cluster"},
    {CW_L2_SUBURBAN, 255, 255, 0, "suburban or peri-urban"},
    {CW_L2_SEMI_DENSE, 168, 112, 0, "semi-dense urban cluster"},
    {CW_L2_DENSE, 115, 38, 0, "dense urban cluster"},
    {CW_L2_CENTRE, 255, 0, 0, "urban centre"},
};

const struct cw_class_colour *cw_degurba_colours(int level, size_t *n)
{
    *n = level == 2 ? sizeof l2_colours / sizeof *l2_colours
                    : sizeof l1_colours / sizeof *l1_colours;
    return level == 2 ? l2_colours : l1_colours;
}

struct inputs {
    struct cw_raster pop, land, built;
    struct cw_areas areas;
    uint8_t *flags;
};

static int read_aux(struct cw_ctx *ctx, const char *path, const char *what,
                    const struct cw_grid *ref, struct cw_raster *r)
{
    if (!path)
        return CW_OK;
    int rc = cw_raster_read(ctx, path, r);
    if (!rc && !cw_grid_same(ref, &r->grid))
        rc = cw_ctx_error(ctx, CW_ERR_DATA,
                          "'%s': the %s grid does not match the population grid "
                          "(size, cells or CRS)", path, what);
    return rc;
}

/* Reads the grids and reduces land and built-up to per-cell flags, then
 * frees them: from here on one float and a few bytes per cell remain. */
static int read_inputs(struct cw_ctx *ctx, const struct cw_degurba_job *job, struct inputs *in)
{
    int rc = cw_raster_read(ctx, job->pop, &in->pop);
    if (!rc && !in->pop.grid.wkt)
        rc = cw_ctx_error(ctx, CW_ERR_DATA, "'%s': the population grid has no CRS "
                          "(set one with gdal_edit.py -a_srs)", job->pop);
    if (!rc)
        rc = read_aux(ctx, job->land, "land", &in->pop.grid, &in->land);
    if (!rc)
        rc = read_aux(ctx, job->built, "built-up", &in->pop.grid, &in->built);
    if (!rc && (rc = cw_grid_areas(ctx, &in->pop.grid, &in->areas)))
        rc = cw_ctx_error(ctx, rc, "'%s': %s", job->pop, cw_ctx_errmsg(ctx));
    if (!rc && (rc = cw_degurba_flags(ctx, &in->pop.grid, &in->areas, in->pop.v, in->land.v,
                                      in->built.v, &job->grid, &in->flags)))
        rc = cw_ctx_error(ctx, rc, "'%s': %s", job->pop, cw_ctx_errmsg(ctx));
    cw_raster_release(&in->land);
    cw_raster_release(&in->built);
    return rc;
}

static int add_region(struct cw_ctx *ctx, struct cw_layer *l, GEOSGeometry *g,
                      const char *kind, int id, double pop, double km2)
{
    long row = cw_layer_add(ctx, l, g);
    if (row < 0)
        return CW_ERR_NOMEM;
    int rc = cw_table_set(&l->attrs, (size_t)row, 0, kind);
    rc = rc ? rc : cw_table_set_int(&l->attrs, (size_t)row, 1, id);
    rc = rc ? rc : cw_table_set_real(&l->attrs, (size_t)row, 2, round(pop));
    return rc ? rc : cw_table_set_real(&l->attrs, (size_t)row, 3, km2);
}

/* Centres, then clusters, each by id: polygons with people and area. */
static int regions(struct cw_ctx *ctx, const struct cw_grid *g, const struct cw_degurba *res,
                   struct cw_layer *l)
{
    GEOSGeometry **gc = NULL, **gu = NULL;
    int rc = cw_grid_polygons(ctx, g, res->centre, res->ncentres, 0, &gc);
    if (!rc)
        rc = cw_grid_polygons(ctx, g, res->cluster, res->nclusters, 1, &gu);
    if (!rc && (cw_table_add_field(&l->attrs, "kind", CW_FT_STRING, -1) < 0 ||
                cw_table_add_field(&l->attrs, "id", CW_FT_INTEGER, -1) < 0 ||
                cw_table_add_field(&l->attrs, "pop", CW_FT_REAL, 0) < 0 ||
                cw_table_add_field(&l->attrs, "area_km2", CW_FT_REAL, 3) < 0))
        rc = CW_ERR_NOMEM;
    /* the layer owns each geometry from add_region() on, even on failure */
    for (int k = 1; k <= res->ncentres && !rc; k++) {
        GEOSGeometry *gk = gc[k];
        gc[k] = NULL;
        rc = add_region(ctx, l, gk, "urban centre", k, res->centre_pop[k], res->centre_km2[k]);
    }
    for (int k = 1; k <= res->nclusters && !rc; k++) {
        GEOSGeometry *gk = gu[k];
        gu[k] = NULL;
        rc = add_region(ctx, l, gk, "urban cluster", k, res->cluster_pop[k],
                        res->cluster_km2[k]);
    }
    for (int k = 1; gc && k <= res->ncentres; k++)
        if (gc[k])
            GEOSGeom_destroy_r(cw_ctx_geos(ctx), gc[k]);
    for (int k = 1; gu && k <= res->nclusters; k++)
        if (gu[k])
            GEOSGeom_destroy_r(cw_ctx_geos(ctx), gu[k]);
    free(gc);
    free(gu);
    return rc == CW_ERR_NOMEM ? cw_ctx_error(ctx, rc, "out of memory") : rc;
}

/* The vector outputs, each in full in its temporary files: w[0] the
 * polygons, w[1] the units. */
static int open_vectors(struct cw_ctx *ctx, const struct cw_degurba_job *job,
                        const struct cw_grid *g, const struct cw_areas *a, const float *pop,
                        const struct cw_degurba *res, struct cw_writer **w, size_t *nunits)
{
    struct cw_layer l;
    cw_layer_init(&l);
    struct cw_write_opts wo = job->write;
    wo.overwrite = job->overwrite;
    int rc = CW_OK;
    if (job->polygons) {
        rc = regions(ctx, g, res, &l);
        if (!rc)
            rc = cw_layer_write_open(ctx, &l, job->polygons, &wo, CW_GEOM_POLYGON, &w[0]);
        cw_layer_release(ctx, &l);
    }
    if (!rc && job->units) {
        rc = cw_degurba_units(ctx, job, g, a, pop, res, &l);
        *nunits = l.attrs.nrows;
        if (!rc)
            rc = cw_layer_write_open(ctx, &l, job->units_output, &wo, CW_GEOM_POLYGON, &w[1]);
        cw_layer_release(ctx, &l);
    }
    return rc;
}

static void stats(const struct cw_degurba *res, const float *pop, size_t n,
                  struct cw_degurba_stats *st)
{
    memset(st, 0, sizeof *st);
    st->ncentres = res->ncentres;
    st->nclusters = res->nclusters;
    for (size_t i = 0; i < n; i++)
        if (pop[i] > 0)
            st->pop += pop[i];
    for (int k = 1; k <= res->ncentres; k++)
        st->centre_pop += res->centre_pop[k];
    for (int k = 1; k <= res->nclusters; k++)
        st->cluster_pop += res->cluster_pop[k];
}

int cw_degurba_run(struct cw_ctx *ctx, const struct cw_degurba_job *job,
                   struct cw_degurba_stats *st)
{
    struct inputs in = {0};
    struct cw_degurba res = {0};
    struct cw_writer *w[2] = {NULL, NULL};
    size_t ncol, nunits = 0;
    const struct cw_class_colour *col = cw_degurba_colours(job->grid.level, &ncol);
    int rc = read_inputs(ctx, job, &in);
    const struct cw_grid *g = &in.pop.grid;
    struct cw_degurba_opts o = job->grid;
    o.keep_ids = job->polygons || job->units;
    if (!rc)
        rc = cw_degurba_classify(ctx, g, &in.areas, in.pop.v, in.flags, &o, &res);
    /* Everything is written before anything is published: a bad unit or
     * a failed write replaces no output. */
    cw_ctx_hold_outputs(ctx);
    if (!rc)
        rc = open_vectors(ctx, job, g, &in.areas, in.pop.v, &res, w, &nunits);
    if (!rc)
        rc = cw_raster_write_classes(ctx, job->output, g, res.cls, CW_SMOD_NODATA, col, ncol,
                                     job->overwrite);
    if (!rc)
        stats(&res, in.pop.v, (size_t)g->nx * g->ny, st);
    st->units = nunits;
    rc = cw_writers_finish(ctx, rc, w, 2);
    cw_degurba_release(&res);
    free(in.flags);
    cw_areas_release(&in.areas);
    cw_raster_release(&in.pop);
    return rc;
}
