/* popgrid.c: spreading unit populations over a grid, by area or over
 * ancillary land-cover classes (dasymetric mapping).
 * SPDX-License-Identifier: MIT
 */
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include <cpl_conv.h>
#include <ogr_srs_api.h>

#include "cityweave/coverage.h"
#include "cityweave/popgrid.h"
#include "cityweave/raster.h"
#include "cityweave/units.h"
#include "grid_geom.h"

struct job {
    struct cw_ctx *ctx;
    const struct cw_popgrid_job *o;
    struct cw_layer units;
    double *pop;
    struct cw_grid g;           /* the output grid */
    struct cw_areas areas;
    struct cw_gridproj gp;
    GEOSGeometry **in_grid;     /* each unit in the grid's CRS */
    float *out;
    struct cw_raster anc;       /* ancillary classes, when given */
    struct cw_areas anc_areas;
    struct cw_gridproj anc_gp;
    int32_t *anc_cell;          /* ancillary cell -> output cell, or -1 */
};

static int read_units(struct job *j)
{
    int rc = cw_layer_read(j->ctx, j->o->units, &j->o->read, &j->units);
    if (!rc)
        rc = cw_layer_zones(j->ctx, &j->units, j->o->units, j->o->strict);
    if (!rc && !(j->pop = malloc((j->units.attrs.nrows + 1) * sizeof *j->pop)))
        rc = cw_ctx_error(j->ctx, CW_ERR_NOMEM, "out of memory");
    if (!rc)
        rc = cw_layer_numbers(j->ctx, &j->units, j->o->units, j->o->pop_field, "population", 1,
                              0, j->pop, 1);
    return rc;
}

/* The grid's CRS as GDAL WKT, for the GeoTIFF and for PROJ. */
static int grid_crs(struct job *j)
{
    const char *def = j->o->t_srs ? j->o->t_srs : "ESRI:54009";
    OGRSpatialReferenceH srs = OSRNewSpatialReference(NULL);
    char *wkt = NULL;
    CPLPushErrorHandler(CPLQuietErrorHandler);   /* our message says it */
    int ok = srs && OSRSetFromUserInput(srs, def) == OGRERR_NONE && !OSRIsGeographic(srs) &&
             OSRExportToWkt(srs, &wkt) == OGRERR_NONE && (j->g.wkt = strdup(wkt));
    CPLPopErrorHandler();
    CPLFree(wkt);
    OSRDestroySpatialReference(srs);
    return ok ? CW_OK : cw_ctx_error(j->ctx, CW_ERR_ARG, "-t_srs '%s' is not a projected CRS "
                                     "GDAL knows", def);
}

/* Units into the grid's CRS, and the grid over their envelope with its
 * edges on multiples of the cell size. */
static int make_grid(struct job *j)
{
    GEOSContextHandle_t h = cw_ctx_geos(j->ctx);
    size_t n = j->units.attrs.nrows;
    double x0 = INFINITY, y0 = INFINITY, x1 = -INFINITY, y1 = -INFINITY, c = j->o->cell;
    int rc = cw_gridproj_open(j->ctx, &j->g, &j->gp);
    if (!rc && !(j->in_grid = calloc(n + 1, sizeof *j->in_grid)))
        rc = cw_ctx_error(j->ctx, CW_ERR_NOMEM, "out of memory");
    for (size_t i = 0; i < n && !rc; i++) {
        double a, b, cc, d;
        if (!j->units.geoms[i])
            continue;
        rc = cw_gridproj_geom(j->ctx, &j->gp, PJ_FWD, j->units.geoms[i], &j->in_grid[i]);
        if (!rc && GEOSGeom_getXMin_r(h, j->in_grid[i], &a) && GEOSGeom_getYMin_r(h, j->in_grid[i], &b) &&
            GEOSGeom_getXMax_r(h, j->in_grid[i], &cc) && GEOSGeom_getYMax_r(h, j->in_grid[i], &d)) {
            x0 = fmin(x0, a), y0 = fmin(y0, b), x1 = fmax(x1, cc), y1 = fmax(y1, d);
        }
    }
    if (!rc && !(x1 > x0 && y1 > y0))
        rc = cw_ctx_error(j->ctx, CW_ERR_DATA, "'%s': no unit has an area", j->o->units);
    if (rc)
        return rc;
    x0 = floor(x0 / c) * c, y1 = ceil(y1 / c) * c;
    j->g.nx = (int)ceil((x1 - x0) / c), j->g.ny = (int)ceil((y1 - y0) / c);
    if ((double)j->g.nx * j->g.ny > 5e8)
        return cw_ctx_error(j->ctx, CW_ERR_ARG, "--cell %g makes a grid of %d x %d cells", c,
                            j->g.nx, j->g.ny);
    double gt[6] = {x0, c, 0, y1, 0, -c};
    memcpy(j->g.gt, gt, sizeof gt);
    size_t cells = (size_t)j->g.nx * j->g.ny;
    if (!(j->out = malloc(cells * sizeof *j->out)))
        return cw_ctx_error(j->ctx, CW_ERR_NOMEM, "out of memory");
    for (size_t k = 0; k < cells; k++)
        j->out[k] = NAN;
    return cw_grid_areas(j->ctx, &j->g, &j->areas);
}

/* Adds @p pop over the unit's cells in proportion to its area in each;
 * every cell it touches becomes a number (0 at least). */
static int by_area(struct job *j, const GEOSGeometry *u, double pop)
{
    struct cw_cover cv = {0};
    int rc = cw_cover_polygon(j->ctx, &j->g, u, &cv);
    double tot = 0;
    for (int pass = 0; pass < 2 && !rc; pass++)
        for (int r = 0; r < cv.nrows; r++)
            for (int c = 0; c < cv.ncols; c++) {
                double f = cw_cover_at(&cv, r, c);
                size_t k = (size_t)(cv.row0 + r) * j->g.nx + (size_t)(cv.col0 + c);
                double w = f * cw_area_at(&j->areas, cv.row0 + r, cv.col0 + c);
                if (f <= 0)
                    continue;
                if (pass == 0) {
                    tot += w;
                    if (isnan(j->out[k]))
                        j->out[k] = 0;
                } else {
                    j->out[k] += (float)(pop * w / tot);
                }
            }
    cw_cover_release(&cv);
    return rc;
}

static int chosen(const struct job *j, size_t k)
{
    float v = j->anc.v[k];
    return v >= 0 && v < 256 && j->o->classes[(int)v];
}

/* Maps every ancillary cell of a chosen class to the output cell under
 * its centre (-1 for the others), in one batch through PROJ. */
static int map_cells(struct job *j)
{
    const struct cw_grid *a = &j->anc.grid;
    size_t n = (size_t)a->nx * a->ny, m = 0;
    for (size_t k = 0; k < n; k++)
        m += chosen(j, k);
    size_t *idx = malloc((m + 1) * sizeof *idx);
    double *x = malloc((m + 1) * sizeof *x), *y = malloc((m + 1) * sizeof *y);
    j->anc_cell = malloc((n + 1) * sizeof *j->anc_cell);
    if (!idx || !x || !y || !j->anc_cell) {
        free(idx), free(x), free(y);
        return cw_ctx_error(j->ctx, CW_ERR_NOMEM, "out of memory");
    }
    m = 0;
    for (size_t k = 0; k < n; k++) {
        j->anc_cell[k] = -1;
        if (!chosen(j, k))
            continue;
        idx[m] = k;
        x[m] = a->gt[0] + ((double)(k % a->nx) + 0.5) * a->gt[1];
        y[m++] = a->gt[3] + ((double)(k / a->nx) + 0.5) * a->gt[5];
    }
    proj_trans_generic(j->anc_gp.pj, PJ_INV, x, sizeof *x, m, y, sizeof *y, m, NULL, 0, 0, NULL, 0, 0);
    proj_trans_generic(j->gp.pj, PJ_FWD, x, sizeof *x, m, y, sizeof *y, m, NULL, 0, 0, NULL, 0, 0);
    for (size_t t = 0; t < m; t++)
        j->anc_cell[idx[t]] = (int32_t)cw_grid_cell(&j->g, x[t], y[t]);
    free(idx), free(x), free(y);
    return CW_OK;
}

static int ancillary_open(struct job *j)
{
    int rc = cw_raster_read(j->ctx, j->o->ancillary, &j->anc);
    if (!rc && !j->anc.grid.wkt)
        rc = cw_ctx_error(j->ctx, CW_ERR_DATA, "the raster has no CRS");
    if (!rc)
        rc = cw_grid_areas(j->ctx, &j->anc.grid, &j->anc_areas);
    if (!rc)
        rc = cw_gridproj_open(j->ctx, &j->anc.grid, &j->anc_gp);
    if (!rc)
        rc = map_cells(j);
    return rc ? cw_ctx_error(j->ctx, rc, "'%s': %s", j->o->ancillary, cw_ctx_errmsg(j->ctx))
              : CW_OK;
}

static void ancillary_close(struct job *j)
{
    cw_raster_release(&j->anc);
    cw_areas_release(&j->anc_areas);
    cw_gridproj_close(&j->anc_gp);
    free(j->anc_cell);
}

/* Spreads unit i over the area of the chosen classes within it (exact
 * fractions of the ancillary cells); *spread stays 0 when it has none. */
static int by_classes(struct job *j, size_t i, int *spread)
{
    GEOSGeometry *u = NULL;
    struct cw_cover cv = {0};
    double tot = 0;
    *spread = 0;
    int rc = cw_gridproj_geom(j->ctx, &j->anc_gp, PJ_FWD, j->units.geoms[i], &u);
    if (!rc)
        rc = cw_cover_polygon(j->ctx, &j->anc.grid, u, &cv);
    for (int pass = 0; pass < 2 && !rc; pass++)
        for (int r = 0; r < cv.nrows; r++)
            for (int c = 0; c < cv.ncols; c++) {
                size_t k = (size_t)(cv.row0 + r) * j->anc.grid.nx + (size_t)(cv.col0 + c);
                double w = cw_cover_at(&cv, r, c) * cw_area_at(&j->anc_areas, cv.row0 + r, cv.col0 + c);
                int32_t o = j->anc_cell[k];
                if (o < 0 || w <= 0)
                    continue;
                if (pass == 0) {
                    tot += w;
                } else {
                    if (isnan(j->out[o]))
                        j->out[o] = 0;
                    j->out[o] += (float)(j->pop[i] * w / tot);
                }
            }
    if (!rc && tot > 0) {
        *spread = 1;
        rc = by_area(j, j->in_grid[i], 0);   /* its other cells hold 0, not nodata */
    }
    cw_cover_release(&cv);
    if (u)
        GEOSGeom_destroy_r(cw_ctx_geos(j->ctx), u);
    return rc;
}

/* A unit's place in the order units are spread in. */
struct unit_key {
    double k[6];   /* envelope in the grid (x0, y0, x1, y1), area, people */
    size_t i;
};

static int by_key(const void *pa, const void *pb)
{
    const struct unit_key *a = pa, *b = pb;
    for (int m = 0; m < 6; m++)
        if (a->k[m] != b->k[m])
            return a->k[m] < b->k[m] ? -1 : 1;
    return (a->i > b->i) - (a->i < b->i);
}

/* Units are spread in the order of their envelope, area and people, not
 * of the input's rows: cells that several units share sum their float
 * shares in one order, so the grid is the same, to the bit, however the
 * features are ordered. */
static int unit_order(struct job *j, size_t **order)
{
    GEOSContextHandle_t h = cw_ctx_geos(j->ctx);
    size_t n = j->units.attrs.nrows;
    struct unit_key *u = malloc((n + 1) * sizeof *u);
    *order = malloc((n + 1) * sizeof **order);
    if (!u || !*order) {
        free(u);
        return cw_ctx_error(j->ctx, CW_ERR_NOMEM, "out of memory");
    }
    for (size_t i = 0; i < n; i++) {
        const GEOSGeometry *g = j->in_grid[i];
        u[i] = (struct unit_key){ {0, 0, 0, 0, 0, j->pop[i]}, i };
        if (g && !(GEOSGeom_getXMin_r(h, g, &u[i].k[0]) && GEOSGeom_getYMin_r(h, g, &u[i].k[1]) &&
                   GEOSGeom_getXMax_r(h, g, &u[i].k[2]) && GEOSGeom_getYMax_r(h, g, &u[i].k[3]) &&
                   GEOSArea_r(h, g, &u[i].k[4])))
            u[i].k[0] = u[i].k[1] = u[i].k[2] = u[i].k[3] = u[i].k[4] = 0;
    }
    qsort(u, n, sizeof *u, by_key);
    for (size_t t = 0; t < n; t++)
        (*order)[t] = u[t].i;
    free(u);
    return CW_OK;
}

int cw_popgrid_run(struct cw_ctx *ctx, const struct cw_popgrid_job *o,
                   struct cw_popgrid_stats *st)
{
    struct job j = {.ctx = ctx, .o = o};
    memset(st, 0, sizeof *st);
    cw_layer_init(&j.units);
    int rc = read_units(&j);
    if (!rc)
        rc = grid_crs(&j);
    if (!rc)
        rc = make_grid(&j);
    if (!rc && o->ancillary)
        rc = ancillary_open(&j);
    size_t n = j.units.attrs.nrows, *order = NULL;
    if (!rc)
        rc = unit_order(&j, &order);
    for (size_t t = 0; t < n && !rc; t++) {
        size_t i = order[t];
        if (!j.in_grid[i] || j.pop[i] <= 0) {
            if (j.in_grid[i])
                rc = by_area(&j, j.in_grid[i], 0);
            continue;
        }
        int spread = 0;
        if (o->ancillary)
            rc = by_classes(&j, i, &spread);
        if (!rc && !spread) {
            st->by_area += o->ancillary != NULL;
            rc = by_area(&j, j.in_grid[i], j.pop[i]);
        }
        st->pop += j.pop[i];
        if (!rc && t % 16 == 0)
            rc = cw_ctx_progress(ctx, (double)t / n, "units");
        if (rc && !strstr(cw_ctx_errmsg(ctx), "row"))
            rc = cw_ctx_error(ctx, rc, "'%s' row %zu: %s", o->units, i + 1, cw_ctx_errmsg(ctx));
    }
    if (!rc)
        rc = cw_raster_write_floats(ctx, o->output, &j.g, j.out, o->overwrite);
    st->units = n;
    st->nx = j.g.nx;
    st->ny = j.g.ny;
    for (size_t i = 0; j.in_grid && i < n; i++)
        if (j.in_grid[i])
            GEOSGeom_destroy_r(cw_ctx_geos(ctx), j.in_grid[i]);
    free(j.in_grid);
    free(order);
    ancillary_close(&j);
    cw_gridproj_close(&j.gp);
    cw_areas_release(&j.areas);
    cw_grid_release(&j.g);
    free(j.out);
    free(j.pop);
    cw_layer_release(ctx, &j.units);
    return rc;
}
