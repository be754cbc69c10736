/* degurba.c: the Degree of Urbanisation grid classification, levels 1
 * and 2, from population, land and built-up grids.
 * SPDX-License-Identifier: MIT
 *
 * Thresholds and their sources are listed in cw_degurba_defaults(); the
 * order of the rules follows GHSL Data Package 2023 (centres: dense cells,
 * then the majority rule, then gap filling; the other classes only take
 * cells no earlier rule took).
 */
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "degurba_priv.h"
#include "gridlabel.h"
#include "unionfind.h"

#define UNSET 0xFE

void cw_degurba_defaults(struct cw_degurba_opts *o)
{
    *o = (struct cw_degurba_opts){
        .level = 1,
        .centre_density = 1500,   /* manual 2021, section 2.2: urban centre */
        .centre_pop = 50000,
        .built_share = 0.5,       /* GHSL Data Package 2022, footnote 25 */
        .max_gap_km2 = 15,
        .smooth = 1,
        .cluster_density = 300,   /* urban cluster */
        .cluster_pop = 5000,
        .dense_pop = 5000,        /* level 2: dense urban cluster */
        .semi_dense_gap = 3,      /* GHS-SMOD R2023A: 3 km from dense clusters */
        .rural_cluster_pop = 500, /* level 2: rural cluster */
        .low_density = 50,        /* level 2: low density rural */
        .water_land = 0.5,
        .keep_ids = 1,
    };
}

void cw_degurba_release(struct cw_degurba *res)
{
    free(res->cls);
    free(res->centre);
    free(res->cluster);
    free(res->centre_pop);
    free(res->centre_km2);
    free(res->cluster_pop);
    free(res->cluster_km2);
    memset(res, 0, sizeof *res);
}

/* GHS-LAND gives m² of land per cell; a share (0..1) is accepted too. */
static int land_is_share(const float *land, size_t n)
{
    for (size_t i = 0; i < n; i++)
        if (land[i] > 1)
            return 0;
    return 1;
}

struct cell_in {
    double pop, land_m2, built_m2;   /* NaN: nodata (land NaN: unknown) */
    double area_m2;
};

/* Density per km² of land; a cell with people and no land is infinitely
 * dense, one of unknown land has no density. */
static uint8_t cell_flags(const struct cell_in *x, const struct cw_degurba_opts *o,
                          int have_built)
{
    double pop = isnan(x->pop) ? 0 : x->pop;
    double dens = isnan(x->land_m2) ? NAN
                  : x->land_m2 > 0  ? pop * 1e6 / x->land_m2
                  : pop > 0         ? INFINITY : 0;
    double built = isnan(x->built_m2) ? 0 : x->built_m2;
    /* the share is rounded to 0.001 as GHSL's BUILT_S/LAND ratio is */
    double bshare = !(x->land_m2 > 0) ? (built > 0 ? INFINITY : 0)
                                      : round(built / x->land_m2 * 1000) / 1000;
    double land_share = isnan(x->land_m2) ? 0 : x->land_m2 / x->area_m2;
    uint8_t f = 0;
    if (dens >= o->centre_density || (have_built && bshare >= o->built_share))
        f |= F_DENSE;
    if (dens >= o->cluster_density)
        f |= F_D300;
    if (dens >= o->low_density)
        f |= F_D50;
    if (land_share < o->water_land && pop <= 0 && built <= 0)
        f |= F_WATER;
    if (land_share < o->water_land && x->pop == 0)
        f |= F_IGNORE;
    return f;
}

int cw_degurba_flags(struct cw_ctx *ctx, const struct cw_grid *g,
                     const struct cw_areas *areas, const float *pop,
                     const float *land, const float *built,
                     const struct cw_degurba_opts *o, uint8_t **flags)
{
    size_t n = (size_t)g->nx * g->ny;
    int share = land && land_is_share(land, n);
    *flags = malloc(n ? n : 1);
    if (!*flags)
        return cw_ctx_error(ctx, CW_ERR_NOMEM, "out of memory");
    for (size_t i = 0; i < n; i++) {
        int r = (int)(i / g->nx), c = (int)(i % g->nx);
        if (pop[i] < 0) {
            free(*flags);
            *flags = NULL;
            return cw_ctx_error(ctx, CW_ERR_DATA,
                                "population grid: cell (row %d, column %d) is negative (%g)",
                                r, c, (double)pop[i]);
        }
        struct cell_in x = {pop[i], NAN, built ? built[i] : NAN, cw_area_at(areas, r, c)};
        x.land_m2 = !land ? x.area_m2 : share ? land[i] * x.area_m2 : land[i];
        (*flags)[i] = cell_flags(&x, o, built != NULL);
    }
    return CW_OK;
}

/* Takes over the clusters' totals, areas in km². */
static void take_regions(struct cw_regions *rg, struct cw_degurba *res)
{
    res->nclusters = rg->n;
    res->cluster_pop = rg->pop;
    res->cluster_km2 = rg->m2;
    for (int k = 1; k <= rg->n; k++)
        res->cluster_km2[k] /= 1e6;
    memset(rg, 0, sizeof *rg);
}

/* Renumbers the centres 1..n in row-major order of their first cells,
 * uniting those that now share an edge. Ids are kept otherwise: a cell
 * the majority rule added through a corner stays in its centre. */
static int renumber(struct cw_ctx *ctx, const struct cw_grid *g, const struct cw_areas *a,
                    const float *pop, int32_t *lab, int n, struct cw_degurba *res)
{
    uint32_t *parent = malloc(((size_t)n + 1) * sizeof *parent);
    int32_t *id = calloc((size_t)n + 1, sizeof *id);
    res->centre_pop = calloc((size_t)n + 1, sizeof *res->centre_pop);
    res->centre_km2 = calloc((size_t)n + 1, sizeof *res->centre_km2);
    if (!parent || !id || !res->centre_pop || !res->centre_km2) {
        free(parent);
        free(id);
        return cw_ctx_error(ctx, CW_ERR_NOMEM, "out of memory");
    }
    for (int k = 0; k <= n; k++)
        parent[k] = (uint32_t)k;
    for (int r = 0; r < g->ny; r++)
        for (int c = 0; c < g->nx; c++) {
            size_t i = (size_t)r * g->nx + c;
            int32_t e = c + 1 < g->nx ? lab[i + 1] : 0, s = r + 1 < g->ny ? lab[i + g->nx] : 0;
            for (int k = 0; k < 2 && lab[i] > 0; k++) {
                int32_t o = k ? s : e;
                uint32_t x = cw_uf_find(parent, (uint32_t)lab[i]);
                uint32_t y = o > 0 ? cw_uf_find(parent, (uint32_t)o) : x;
                parent[x > y ? x : y] = x < y ? x : y;
            }
        }
    int m = 0;
    for (size_t i = 0; i < (size_t)g->nx * g->ny; i++) {
        if (lab[i] <= 0)
            continue;
        uint32_t r = cw_uf_find(parent, (uint32_t)lab[i]);
        if (!id[r])
            id[r] = ++m;
        lab[i] = id[r];
        res->centre_pop[lab[i]] += pop[i] > 0 ? pop[i] : 0;
        res->centre_km2[lab[i]] += cw_area_at(a, (int)(i / g->nx), (int)(i % g->nx)) / 1e6;
    }
    res->ncentres = m;
    free(parent);
    free(id);
    return CW_OK;
}

/* Urban centres: dense cells joined through edges, big enough, then their
 * edges smoothed and small holes filled. */
static int centres(struct cw_ctx *ctx, const struct cw_grid *g, const struct cw_areas *a,
                   const float *pop, uint8_t *flags, const struct cw_degurba_opts *o,
                   struct cw_degurba *res)
{
    struct cw_regions rg;
    int rc = cw_grid_label(ctx, g, a, pop, flags, F_DENSE, 4, o->centre_pop, res->centre, &rg);
    int nc = rg.n;
    cw_regions_release(&rg);
    if (!rc && o->smooth)
        rc = cw_degurba_smooth(ctx, g, flags, res->centre);
    if (!rc && o->max_gap_km2 > 0)
        rc = cw_degurba_fill_gaps(ctx, g, a, res->centre, nc, o->max_gap_km2 * 1e6);
    return rc ? rc : renumber(ctx, g, a, pop, res->centre, nc, res);
}

static int urban_clusters(struct cw_ctx *ctx, const struct cw_grid *g, const struct cw_areas *a,
                          const float *pop, uint8_t *flags, const struct cw_degurba_opts *o,
                          struct cw_degurba *res)
{
    struct cw_regions rg;
    int rc = cw_grid_label(ctx, g, a, pop, flags, F_D300, 8, o->cluster_pop, res->cluster, &rg);
    if (!rc)
        take_regions(&rg, res);
    return rc;
}

static void level1(const struct cw_grid *g, const uint8_t *flags, struct cw_degurba *res)
{
    size_t n = (size_t)g->nx * g->ny;
    for (size_t i = 0; i < n; i++)
        if (res->cls[i] == UNSET)
            res->cls[i] = res->cluster[i]     ? CW_L1_CLUSTER
                          : flags[i] & F_WATER ? CW_L1_WATER : CW_L1_RURAL;
}

/* Sets @p to on every cell within @p k cells along its row of a cell with
 * @p from: two sweeps, each remembering the last such cell seen. */
static void dilate_rows(const struct cw_grid *g, uint8_t *flags, uint8_t from, uint8_t to, int k)
{
    for (int r = 0; r < g->ny; r++) {
        uint8_t *f = flags + (size_t)r * g->nx;
        for (int c = 0, last = -k - 1; c < g->nx; c++) {
            if (f[c] & from)
                last = c;
            if (c - last <= k)
                f[c] |= to;
        }
        for (int c = g->nx - 1, next = g->nx + k; c >= 0; c--) {
            if (f[c] & from)
                next = c;
            if (next - c <= k)
                f[c] |= to;
        }
    }
}

/* The same down the columns, rows visited in memory order with one
 * remembered row per column. */
static int dilate_cols(const struct cw_grid *g, uint8_t *flags, uint8_t from, uint8_t to, int k)
{
    int *last = malloc((size_t)g->nx * sizeof *last);
    if (!last)
        return CW_ERR_NOMEM;
    for (int pass = 0; pass < 2; pass++) {
        for (int c = 0; c < g->nx; c++)
            last[c] = -k - 1;
        for (int i = 0; i < g->ny; i++) {
            int r = pass ? g->ny - 1 - i : i;
            uint8_t *f = flags + (size_t)r * g->nx;
            for (int c = 0; c < g->nx; c++) {
                if (f[c] & from)
                    last[c] = i;
                if (i - last[c] <= k)
                    f[c] |= to;
            }
        }
    }
    free(last);
    return CW_OK;
}

/* Marks (F_MARK) every cell within @p steps cells (corners included: a
 * square, so rows then columns) of a cell with code 30 or 23. */
static int buffer_dense(const struct cw_grid *g, const uint8_t *cls, uint8_t *flags, int steps)
{
    size_t n = (size_t)g->nx * g->ny;
    for (size_t i = 0; i < n; i++)
        if (cls[i] == CW_L2_CENTRE || cls[i] == CW_L2_DENSE)
            flags[i] |= F_MARK;
    dilate_rows(g, flags, F_MARK, F_MARK2, steps);
    int rc = dilate_cols(g, flags, F_MARK2, F_MARK, steps);
    for (size_t i = 0; i < n; i++)
        flags[i] &= (uint8_t)~F_MARK2;
    return rc;
}

/* Unclassified cells of the kept regions in lab take @p code. */
static void take(size_t n, uint8_t *cls, const int32_t *lab, uint8_t code)
{
    for (size_t i = 0; i < n; i++)
        if (cls[i] == UNSET && lab[i] > 0)
            cls[i] = code;
}

/* Semi-dense clusters are the 300/km² clusters with no cell in the
 * buffer round centres and dense clusters; the rest of those clusters is
 * suburban or peri-urban. */
static int semi_dense(struct cw_ctx *ctx, const struct cw_grid *g, const struct cw_areas *a,
                      const float *pop, uint8_t *flags, const struct cw_degurba_opts *o,
                      uint8_t *cls, int32_t *lab)
{
    size_t n = (size_t)g->nx * g->ny;
    struct cw_regions rg;
    int rc = buffer_dense(g, cls, flags, o->semi_dense_gap);
    if (rc)
        return cw_ctx_error(ctx, rc, "out of memory");
    rc = cw_grid_label(ctx, g, a, pop, flags, F_D300, 8, o->cluster_pop, lab, &rg);
    uint8_t *near = rc ? NULL : calloc((size_t)rg.n + 1, 1);
    if (!rc && !near)
        rc = cw_ctx_error(ctx, CW_ERR_NOMEM, "out of memory");
    for (size_t i = 0; i < n && !rc; i++)
        if (lab[i] > 0 && (flags[i] & F_MARK))
            near[lab[i]] = 1;
    for (size_t i = 0; i < n && !rc; i++) {
        flags[i] &= (uint8_t)~F_MARK;
        if (cls[i] == UNSET && lab[i] > 0)
            cls[i] = near[lab[i]] ? CW_L2_SUBURBAN : CW_L2_SEMI_DENSE;
    }
    free(near);
    cw_regions_release(&rg);
    return rc;
}

/* Level 2 needs one label array of its own: the cluster ids' when they
 * need not be kept. */
static int level2(struct cw_ctx *ctx, const struct cw_grid *g, const struct cw_areas *a,
                  const float *pop, uint8_t *flags, const struct cw_degurba_opts *o,
                  struct cw_degurba *res)
{
    size_t n = (size_t)g->nx * g->ny;
    uint8_t *cls = res->cls;
    int32_t *lab = o->keep_ids ? malloc(n * sizeof *lab) : res->cluster;
    if (!lab)
        return cw_ctx_error(ctx, CW_ERR_NOMEM, "out of memory");
    int rc = cw_grid_label(ctx, g, a, pop, flags, F_DENSE, 4, o->dense_pop, lab, NULL);
    if (!rc) {
        take(n, cls, lab, CW_L2_DENSE);
        rc = semi_dense(ctx, g, a, pop, flags, o, cls, lab);
    }
    if (!rc)
        rc = cw_grid_label(ctx, g, a, pop, flags, F_D300, 8, o->rural_cluster_pop, lab, NULL);
    if (!rc) {
        take(n, cls, lab, CW_L2_RURAL_CLUSTER);
        for (size_t i = 0; i < n; i++)
            if (cls[i] == UNSET)
                cls[i] = flags[i] & F_D50     ? CW_L2_LOW
                         : flags[i] & F_WATER ? CW_L2_WATER : CW_L2_VERY_LOW;
    }
    if (o->keep_ids)
        free(lab);
    return rc;
}

int cw_degurba_classify(struct cw_ctx *ctx, const struct cw_grid *g,
                        const struct cw_areas *areas, const float *pop,
                        uint8_t *flags, const struct cw_degurba_opts *o,
                        struct cw_degurba *res)
{
    size_t n = (size_t)g->nx * g->ny;
    memset(res, 0, sizeof *res);
    if (o->level != 1 && o->level != 2)
        return cw_ctx_error(ctx, CW_ERR_ARG, "--level must be 1 or 2");
    res->cls = malloc(n ? n : 1);
    res->centre = malloc((n ? n : 1) * sizeof *res->centre);
    int rc = res->cls && res->centre ? cw_ctx_progress(ctx, 0, "urban centres")
                                     : cw_ctx_error(ctx, CW_ERR_NOMEM, "out of memory");
    if (!rc)
        rc = centres(ctx, g, areas, pop, flags, o, res);
    for (size_t i = 0; i < n && !rc; i++)
        res->cls[i] = !res->centre[i] ? UNSET : o->level == 1 ? CW_L1_CENTRE : CW_L2_CENTRE;
    /* without ids to keep, the centres' array is recycled for clusters:
     * one label array in all, 10 bytes a cell with the population */
    if (!rc && !o->keep_ids) {
        res->cluster = res->centre;
        res->centre = NULL;
    } else if (!rc && !(res->cluster = malloc((n ? n : 1) * sizeof *res->cluster))) {
        rc = cw_ctx_error(ctx, CW_ERR_NOMEM, "out of memory");
    }
    if (!rc && !(rc = cw_ctx_progress(ctx, 0.4, "urban clusters")))
        rc = urban_clusters(ctx, g, areas, pop, flags, o, res);
    if (!rc && o->level == 1)
        level1(g, flags, res);
    else if (!rc)
        rc = level2(ctx, g, areas, pop, flags, o, res);
    if (!rc && !o->keep_ids) {
        free(res->cluster);
        res->cluster = NULL;
    }
    if (!rc)
        rc = cw_ctx_progress(ctx, 1, "classified");
    if (rc)
        cw_degurba_release(res);
    return rc;
}
