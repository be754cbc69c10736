/* green_out.c: writing a green job: the zones with their indicators, and
 * optionally the patch polygons and the patch-link lines.
 * SPDX-License-Identifier: MIT
 */
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "green_priv.h"

struct zone_cols {
    int area, gi, share, mapped, *cls, canopy, pop, per_cap, access_pop, access;
    int patches, mean, lpi, ed, meff, cbc, iic, pc, ec;
};

/* Adds a REAL field when @p want; @return its index, or -2 when not
 * wanted (so setting it is a no-op). Out of memory sets *bad. */
static int col(struct cw_table *t, const char *name, int precision, int want, int *bad)
{
    if (!want)
        return -2;
    int k = cw_table_add_field(t, name, CW_FT_REAL, precision);
    *bad |= k < 0;
    return k;
}

static int add_columns(struct green *g, struct zone_cols *c)
{
    struct cw_table *t = &g->zones.attrs;
    const struct cw_green_job *j = g->job;
    int bad = 0, pop = j->pop != NULL, access = pop && g->gi.n;
    int patches = !g->nrasters && !j->areas_only;
    int conn = patches && j->dispersal_m > 0;
    c->area = col(t, "zone_area_m2", 1, 1, &bad);
    c->gi = col(t, "gi_area_m2", 1, 1, &bad);
    c->share = col(t, "gi_share", 6, 1, &bad);
    c->mapped = col(t, "lc_share", 6, g->nrasters > 0, &bad);
    for (size_t k = 0; k < g->reg.n; k++) {
        char name[96];
        snprintf(name, sizeof name, "gi_%s_m2", g->reg.name[k]);
        c->cls[k] = col(t, name, 1, 1, &bad);
    }
    c->canopy = col(t, "canopy_share", 6, g->has_canopy, &bad);
    c->pop = col(t, "pop", 1, pop, &bad);
    c->per_cap = col(t, "gi_m2_per_cap", 2, pop, &bad);
    c->access_pop = col(t, "access_pop", 1, access, &bad);
    c->access = col(t, "access_share", 6, access, &bad);
    c->patches = patches ? cw_table_add_field(t, "patches", CW_FT_INTEGER, -1) : -2;
    bad |= c->patches == -1;
    c->mean = col(t, "patch_mean_m2", 1, patches, &bad);
    c->lpi = col(t, "lpi", 4, patches, &bad);
    c->ed = col(t, "edge_density_m_ha", 3, patches, &bad);
    c->meff = col(t, "meff_m2", 1, patches, &bad);
    c->cbc = col(t, "meff_cbc_m2", 1, patches, &bad);
    c->iic = col(t, "iic", 8, conn, &bad);
    c->pc = col(t, "pc", 8, conn, &bad);
    c->ec = col(t, "ec_m2", 1, conn, &bad);
    return bad ? cw_ctx_error(g->ctx, CW_ERR_NOMEM, "out of memory") : CW_OK;
}

static int set(struct cw_table *t, size_t row, int col, double v)
{
    return col < 0 ? CW_OK : cw_table_set_real(t, row, col, v);
}

static int fill_row(struct green *g, const struct zone_cols *c, size_t z)
{
    struct cw_table *t = &g->zones.attrs;
    const struct zone_res *r = &g->res[z];
    double share = r->area > 0 ? r->gi / r->area : NAN;
    int rc = set(t, z, c->area, r->area);
    rc = rc ? rc : set(t, z, c->gi, r->gi);
    rc = rc ? rc : set(t, z, c->share, share);
    rc = rc ? rc : set(t, z, c->mapped, r->mapped);
    for (size_t k = 0; !rc && k < g->reg.n; k++)
        rc = set(t, z, c->cls[k], r->cls[k]);
    rc = rc ? rc : set(t, z, c->canopy, r->canopy);
    rc = rc ? rc : set(t, z, c->pop, r->pop);
    rc = rc ? rc : set(t, z, c->per_cap, r->pop > 0 ? r->gi / r->pop : NAN);
    rc = rc ? rc : set(t, z, c->access_pop, r->access_pop);
    rc = rc ? rc : set(t, z, c->access, r->pop > 0 ? r->access_pop / r->pop : NAN);
    if (!rc && c->patches >= 0 && isfinite(r->npatch))
        rc = cw_table_set_int(t, z, c->patches, (long long)r->npatch);
    rc = rc ? rc : set(t, z, c->mean, r->mean);
    rc = rc ? rc : set(t, z, c->lpi, r->lpi);
    rc = rc ? rc : set(t, z, c->ed, r->ed);
    rc = rc ? rc : set(t, z, c->meff, r->meff);
    rc = rc ? rc : set(t, z, c->cbc, r->meff_cbc);
    rc = rc ? rc : set(t, z, c->iic, r->iic);
    rc = rc ? rc : set(t, z, c->pc, r->pc);
    rc = rc ? rc : set(t, z, c->ec, r->ec);
    return rc ? cw_ctx_error(g->ctx, CW_ERR_NOMEM, "out of memory") : CW_OK;
}

/* The zone's name in patch and link outputs: --zone-id, or its number. */
static const char *zone_name(const struct green *g, int idcol, size_t z, char *buf, size_t size)
{
    const char *v = idcol >= 0 ? cw_table_get(&g->zones.attrs, z, idcol) : NULL;
    if (v)
        return v;
    snprintf(buf, size, "%zu", z + 1);
    return buf;
}

static int write_patches(struct green *g, int idcol)
{
    const struct cw_green_job *j = g->job;
    struct cw_field f[] = {
        { "zone", CW_FT_STRING, -1, 32 }, { "patch", CW_FT_INTEGER, -1, 10 },
        { "area_m2", CW_FT_REAL, 1, 16 }, { "whole_m2", CW_FT_REAL, 1, 16 },
        { "dpc", CW_FT_REAL, 6, 16 },
    };
    struct cw_writer *w;
    int rc = cw_writer_open(g->ctx, j->patches, &j->write, f, j->dispersal_m > 0 ? 5 : 4,
                            CW_GEOM_POLYGON, &w);
    for (size_t z = 0; !rc && z < g->zones.attrs.nrows; z++)
        for (size_t k = 0; !rc && k < g->res[z].npatches; k++) {
            const struct patch_out *p = &g->res[z].patches[k];
            char zb[32], pb[24], a[CW_ROW_SCRATCH], wh[CW_ROW_SCRATCH], d[CW_ROW_SCRATCH];
            snprintf(pb, sizeof pb, "%zu", k + 1);
            const char *v[] = { zone_name(g, idcol, z, zb, sizeof zb), pb,
                                cw_format_real(a, sizeof a, p->m2, 1),
                                cw_format_real(wh, sizeof wh, p->whole_m2, 1),
                                isfinite(p->dpc) ? cw_format_real(d, sizeof d, p->dpc, 6) : NULL };
            rc = cw_writer_add(w, p->g, v);
        }
    if (!rc)
        return cw_writer_commit(w);
    cw_writer_abort(w);
    return rc;
}

static int write_links(struct green *g, int idcol)
{
    const struct cw_green_job *j = g->job;
    struct cw_field f[] = {
        { "zone", CW_FT_STRING, -1, 32 }, { "from_patch", CW_FT_INTEGER, -1, 10 },
        { "to_patch", CW_FT_INTEGER, -1, 10 }, { "dist_m", CW_FT_REAL, 2, 16 },
        { "p", CW_FT_REAL, 6, 10 },
    };
    struct cw_writer *w;
    int rc = cw_writer_open(g->ctx, j->links, &j->write, f, 5, CW_GEOM_LINE, &w);
    for (size_t z = 0; !rc && z < g->zones.attrs.nrows; z++)
        for (size_t k = 0; !rc && k < g->res[z].nlinks; k++) {
            const struct link_out *l = &g->res[z].links[k];
            char zb[32], a[24], b[24], d[CW_ROW_SCRATCH], p[CW_ROW_SCRATCH];
            snprintf(a, sizeof a, "%u", l->a + 1);
            snprintf(b, sizeof b, "%u", l->b + 1);
            const char *v[] = { zone_name(g, idcol, z, zb, sizeof zb), a, b,
                                cw_format_real(d, sizeof d, l->dist_m, 2),
                                cw_format_real(p, sizeof p, l->p, 6) };
            rc = cw_writer_add(w, l->g, v);
        }
    if (!rc)
        return cw_writer_commit(w);
    cw_writer_abort(w);
    return rc;
}

int cw_green_write(struct green *g)
{
    const struct cw_green_job *j = g->job;
    int idcol = j->zone_id ? cw_table_find(&g->zones.attrs, j->zone_id) : -1;
    if (j->zone_id && idcol < 0)
        return cw_ctx_error(g->ctx, CW_ERR_DATA, "'%s': no zone id field '%s'", j->zones,
                            j->zone_id);
    int *cls = calloc(g->reg.n ? g->reg.n : 1, sizeof *cls);
    struct zone_cols c = { .cls = cls };
    int rc = cls ? add_columns(g, &c) : cw_ctx_error(g->ctx, CW_ERR_NOMEM, "out of memory");
    for (size_t z = 0; !rc && z < g->zones.attrs.nrows; z++)
        rc = fill_row(g, &c, z);
    free(cls);
    /* All outputs are written and synced before any replaces an old one:
     * a failure in the last leaves the first untouched too. */
    cw_ctx_hold_outputs(g->ctx);
    rc = rc || !j->patches ? rc : write_patches(g, idcol);
    rc = rc || !j->links ? rc : write_links(g, idcol);
    rc = rc ? rc : cw_layer_write(g->ctx, &g->zones, j->output, &j->write, CW_GEOM_POLYGON);
    return cw_ctx_publish_outputs(g->ctx, rc);
}
