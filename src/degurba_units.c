/* degurba_units.c: spatial units (municipalities, NUTS3 regions) from the
 * grid classes: population shares from exact cell fractions, then the
 * unit classes of the manual and Eurostat's urban-rural typology.
 * SPDX-License-Identifier: MIT
 */
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "cityweave/coverage.h"
#include "degurba_priv.h"
#include "grid_geom.h"

/* Share index of each code: level-2 codes one each (water with very low
 * density), level 1 in the same scheme. */
static int share_index(uint8_t code)
{
    switch (code) {
    case CW_L1_CENTRE: case CW_L2_CENTRE: return 0;
    case CW_L1_CLUSTER: case CW_L2_DENSE: return 1;
    case CW_L2_SEMI_DENSE: return 2;
    case CW_L2_SUBURBAN: return 3;
    case CW_L2_RURAL_CLUSTER: return 4;
    case CW_L2_LOW: return 5;
    default: return 6;
    }
}

static double urban(const struct cw_unit_shares *u)
{
    return u->share[0] + u->share[1] + u->share[2] + u->share[3];
}

/* Manual 2021, section 3: cities have at least half their people in urban
 * centres, rural areas more than half in rural cells. */
int cw_degurba_unit_class(const struct cw_unit_shares *u)
{
    if (u->share[0] >= 0.5)
        return 1;
    return 1 - urban(u) > 0.5 ? 3 : 2;
}

int cw_degurba_unit_class2(const struct cw_unit_shares *u)
{
    int l1 = cw_degurba_unit_class(u);
    if (l1 == 1)
        return CW_L2_CENTRE;
    if (l1 == 2) {
        if (u->share[0] + u->share[1] >= 0.5)
            return CW_L2_DENSE;
        return 1 - u->share[0] - u->share[1] - u->share[2] >= 0.5 ? CW_L2_SUBURBAN
                                                                 : CW_L2_SEMI_DENSE;
    }
    if (urban(u) + u->share[4] >= 0.5)
        return CW_L2_RURAL_CLUSTER;
    return u->share[6] >= 0.5 ? CW_L2_VERY_LOW : CW_L2_LOW;
}

/* Eurostat regional typology: by the share of people in rural grid cells
 * (over 50 % rural, 20-50 % intermediate, under 20 % urban), then one step
 * more urban when an urban centre of over 200,000 (rural regions) or
 * 500,000 (intermediate ones) holds at least a quarter of the people. */
int cw_degurba_urbn_type(const struct cw_unit_shares *u)
{
    double rural = 1 - urban(u);
    int t = rural > 0.5 ? 3 : rural >= 0.2 ? 2 : 1;
    int big = u->pop > 0 && u->top_in_unit >= 0.25 * u->pop;
    if (t == 3 && big && u->top_centre > 200000)
        return 2;
    if (t == 2 && big && u->top_centre > 500000)
        return 1;
    return t;
}

/* Per-centre tallies for one unit, reset after it. */
struct tally {
    double *in;       /* people of centre k inside the unit */
    int32_t *seen;    /* centres touched */
    int nseen;
};

static void add_centre(struct tally *t, int32_t k, double w)
{
    if (t->in[k] == 0 && w > 0)
        t->seen[t->nseen++] = k;
    t->in[k] += w;
}

static void top_centre(struct tally *t, const struct cw_degurba *res, struct cw_unit_shares *u)
{
    for (int i = 0; i < t->nseen; i++) {
        int32_t k = t->seen[i];
        if (t->in[k] > u->top_in_unit) {
            u->top_in_unit = t->in[k];
            u->top_centre = res->centre_pop[k];
        }
        t->in[k] = 0;
    }
    t->nseen = 0;
}

/* Sums population (or, where nobody lives, area) by class over the cells
 * the unit covers, each cell weighted by its covered fraction. */
static void sum_unit(const struct cw_grid *g, const struct cw_areas *a, const float *pop,
                     const struct cw_degurba *res, const struct cw_cover *cv, int by_area,
                     struct tally *t, struct cw_unit_shares *u)
{
    double tot = 0, cls[7] = {0};
    for (int r = 0; r < cv->nrows; r++)
        for (int c = 0; c < cv->ncols; c++) {
            double f = cw_cover_at(cv, r, c);
            size_t i = (size_t)(cv->row0 + r) * g->nx + (size_t)(cv->col0 + c);
            if (f <= 0)
                continue;
            double w = by_area ? f * cw_area_at(a, cv->row0 + r, cv->col0 + c)
                               : f * (pop[i] > 0 ? pop[i] : 0);
            tot += w;
            cls[share_index(res->cls[i])] += w;
            if (!by_area && res->centre[i] > 0)
                add_centre(t, res->centre[i], w);
        }
    if (!by_area)
        u->pop = tot;
    for (int k = 0; k < 7; k++)
        u->share[k] = tot > 0 ? cls[k] / tot : 0;
    if (!by_area)
        top_centre(t, res, u);
}

static int unit_shares(struct cw_ctx *ctx, const struct cw_grid *g, const struct cw_areas *a,
                       const float *pop, const struct cw_degurba *res,
                       const struct cw_gridproj *p, const GEOSGeometry *lonlat, struct tally *t,
                       struct cw_unit_shares *u)
{
    GEOSGeometry *gg = NULL;
    struct cw_cover cv = {0};
    memset(u, 0, sizeof *u);
    if (!lonlat)
        return CW_OK;
    int rc = cw_gridproj_geom(ctx, p, PJ_FWD, lonlat, &gg);
    if (!rc)
        rc = cw_cover_polygon(ctx, g, gg, &cv);
    if (!rc) {
        sum_unit(g, a, pop, res, &cv, 0, t, u);
        if (u->pop <= 0 && (u->by_area = 1))
            sum_unit(g, a, pop, res, &cv, 1, t, u);
    }
    cw_cover_release(&cv);
    if (gg)
        GEOSGeom_destroy_r(cw_ctx_geos(ctx), gg);
    return rc;
}

enum { C_POP, C_CENTRE, C_CLUSTER, C_RURAL, C_DEGURBA, C_L2, C_URBN, C_NCOLS };

/* The output columns. A unit field of the very same name (a layer's own
 * "pop", say) is replaced, with a warning, rather than written twice; one
 * that differs in case (GISCO's URBN_TYPE) is kept beside ours, to compare. */
static int add_columns(struct cw_ctx *ctx, struct cw_table *t, const struct cw_degurba_job *job,
                       int *col)
{
    static const char *const names[C_NCOLS] = {"pop", "share_centre", "share_cluster",
                                               "share_rural", "degurba", "degurba_l2",
                                               "urbn_type"};
    for (int k = 0; k < C_NCOLS; k++) {
        col[k] = -1;
        if ((k == C_L2 && job->grid.level != 2) || (k == C_URBN && !job->nuts3))
            continue;
        enum cw_ftype ty = k >= C_DEGURBA ? CW_FT_INTEGER : CW_FT_REAL;
        int prec = k == C_POP ? 1 : 6;
        int have = cw_table_find(t, names[k]);
        if (have >= 0 && strcmp(t->fields[have].name, names[k]) == 0) {
            cw_ctx_warn(ctx, "'%s': its field '%s' is replaced by the computed one", job->units,
                        names[k]);
            t->fields[have].type = ty;
            t->fields[have].precision = prec;
            col[k] = have;
        } else if ((col[k] = cw_table_add_field(t, names[k], ty, prec)) < 0) {
            return CW_ERR_NOMEM;
        }
    }
    return CW_OK;
}

static int set_row(struct cw_table *t, size_t row, const int *col,
                   const struct cw_unit_shares *u)
{
    int rc = cw_table_set_real(t, row, col[C_POP], u->pop);
    rc = rc ? rc : cw_table_set_real(t, row, col[C_CENTRE], u->share[0]);
    rc = rc ? rc : cw_table_set_real(t, row, col[C_CLUSTER],
                                     u->share[1] + u->share[2] + u->share[3]);
    rc = rc ? rc : cw_table_set_real(t, row, col[C_RURAL],
                                     u->share[4] + u->share[5] + u->share[6]);
    rc = rc ? rc : cw_table_set_int(t, row, col[C_DEGURBA], cw_degurba_unit_class(u));
    if (!rc && col[C_L2] >= 0)
        rc = cw_table_set_int(t, row, col[C_L2], cw_degurba_unit_class2(u));
    if (!rc && col[C_URBN] >= 0)
        rc = cw_table_set_int(t, row, col[C_URBN], cw_degurba_urbn_type(u));
    return rc;
}

int cw_degurba_units(struct cw_ctx *ctx, const struct cw_degurba_job *job,
                     const struct cw_grid *g, const struct cw_areas *a, const float *pop,
                     const struct cw_degurba *res, struct cw_layer *l)
{
    struct cw_gridproj p = {0};
    struct tally t = {calloc((size_t)res->ncentres + 1, sizeof *t.in),
                      calloc((size_t)res->ncentres + 1, sizeof *t.seen), 0};
    int col[C_NCOLS];
    int rc = cw_layer_read(ctx, job->units, &job->read, l);
    if (rc) {
        free(t.in);
        free(t.seen);
        return rc;
    }
    rc = cw_layer_zones(ctx, l, job->units, job->strict);
    if (!rc && (!t.in || !t.seen || add_columns(ctx, &l->attrs, job, col)))
        rc = cw_ctx_error(ctx, CW_ERR_NOMEM, "out of memory");
    if (!rc)
        rc = cw_gridproj_open(ctx, g, &p);
    for (size_t i = 0; i < l->attrs.nrows && !rc; i++) {
        struct cw_unit_shares u;
        rc = unit_shares(ctx, g, a, pop, res, &p, l->geoms[i], &t, &u);
        if (rc)
            rc = cw_ctx_error(ctx, rc, "'%s': unit %zu: %s", job->units, i + 1,
                              cw_ctx_errmsg(ctx));
        else if (set_row(&l->attrs, i, col, &u))
            rc = cw_ctx_error(ctx, CW_ERR_NOMEM, "out of memory");
        if (!rc && i % 64 == 0)
            rc = cw_ctx_progress(ctx, 0.5 + 0.5 * (double)i / l->attrs.nrows, "units");
    }
    cw_gridproj_close(&p);
    free(t.in);
    free(t.seen);
    if (rc)
        cw_layer_release(ctx, l);
    return rc;
}
