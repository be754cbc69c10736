/* catchment_run.c: the `linkage links` job: read centres and places,
 * measure separations (geodesic, or minutes over a friction grid), assign
 * and write links, catchments and the per-centre summary.
 * SPDX-License-Identifier: MIT
 */
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cityweave/catchment.h"
#include "cityweave/costdist.h"
#include "cityweave/geodesic.h"
#include "cityweave/hull.h"
#include "cityweave/raster.h"
#include "cityweave/units.h"
#include "grid_geom.h"

#include "catchment_priv.h"

static void sites_release(struct cw_ctx *ctx, struct sites *s)
{
    cw_layer_release(ctx, &s->l);
    free(s->lon);
    free(s->lat);
    free(s->pop);
}

const char *cw_site_id(const struct sites *s, size_t i, char *buf, size_t size)
{
    const char *v = s->id_col >= 0 ? cw_table_get(&s->l.attrs, i, s->id_col) : NULL;
    if (v)
        return v;
    snprintf(buf, size, "%zu", i + 1);
    return buf;
}

const char *cw_site_name(const struct sites *s, size_t i)
{
    const char *v = s->name_col >= 0 ? cw_table_get(&s->l.attrs, i, s->name_col) : NULL;
    return v ? v : "";
}

/* A point for each feature: itself, or a point on a polygon's surface. */
static int site_point(struct cw_ctx *ctx, struct sites *s, size_t i)
{
    GEOSContextHandle_t h = cw_ctx_geos(ctx);
    const GEOSGeometry *g = s->l.geoms[i];
    if (!g || GEOSisEmpty_r(h, g) == 1)
        return cw_ctx_error(ctx, CW_ERR_DATA, "'%s' row %zu: no geometry", s->path, i + 1);
    int t = GEOSGeomTypeId_r(h, g);
    s->polygons |= t == GEOS_POLYGON || t == GEOS_MULTIPOLYGON;
    GEOSGeometry *pt = t == GEOS_POINT ? NULL : GEOSPointOnSurface_r(h, g);
    int ok = GEOSGeomGetX_r(h, pt ? pt : g, &s->lon[i]) && GEOSGeomGetY_r(h, pt ? pt : g, &s->lat[i]);
    if (pt)
        GEOSGeom_destroy_r(h, pt);
    return ok ? CW_OK : cw_ctx_error(ctx, CW_ERR_DATA, "'%s' row %zu: no point on it", s->path, i + 1);
}

/* A layer as points with ids, names and people. Without @p pop_required
 * a missing population field means nobody, and null values 0. */
static int read_sites(struct run *r, struct sites *s, const char *path,
                      const struct cw_read_opts *ro, const char *pop_field, int pop_required)
{
    const struct cw_catchment_job *j = r->job;
    s->path = path;
    int rc = cw_layer_read(r->ctx, path, ro, &s->l);
    if (rc)
        return rc;
    s->n = s->l.attrs.nrows;
    s->id_col = cw_table_find(&s->l.attrs, j->id_field ? j->id_field : "id");
    s->name_col = cw_table_find(&s->l.attrs, j->name_field ? j->name_field : "name");
    s->lon = malloc((s->n + 1) * sizeof *s->lon);
    s->lat = malloc((s->n + 1) * sizeof *s->lat);
    s->pop = calloc(s->n + 1, sizeof *s->pop);
    if (!s->lon || !s->lat || !s->pop)
        return cw_ctx_error(r->ctx, CW_ERR_NOMEM, "out of memory");
    if (pop_required || cw_table_find(&s->l.attrs, pop_field) >= 0)
        rc = cw_layer_numbers(r->ctx, &s->l, path, pop_field, "population", 0, 0, s->pop, 1);
    for (size_t i = 0; i < s->n && !rc; i++)
        rc = site_point(r->ctx, s, i);
    return rc;
}

/* The cell under a lon/lat point, or -1 outside the grid. */
static long cell_of(const struct cw_grid *g, const struct cw_gridproj *p, double lon, double lat)
{
    PJ_COORD c = proj_trans(p->pj, PJ_FWD, proj_coord(lon, lat, 0, 0));
    return cw_grid_cell(g, c.xy.x, c.xy.y);
}

/* One cost-distance run per size class, from all centres of the class at
 * once: each place learns the nearest centre of every class and how many
 * minutes away it is; hierarchical assignment needs no more. */
static int class_runs(struct run *r, const struct cw_raster *f, const struct cw_gridproj *gp)
{
    const struct cw_catchment_opts *o = &r->job->o;
    size_t nc = r->c.n, np = r->p.n;
    size_t *src = malloc((nc + 1) * sizeof *src), *who = malloc((nc + 1) * sizeof *who);
    long *pcell = malloc((np + 1) * sizeof *pcell);
    int rc = src && who && pcell ? CW_OK : cw_ctx_error(r->ctx, CW_ERR_NOMEM, "out of memory");
    for (size_t i = 0; i < np && !rc; i++)
        pcell[i] = cell_of(&f->grid, gp, r->p.lon[i], r->p.lat[i]);
    for (int k = 1; k <= o->nclasses + 1 && !rc; k++) {
        size_t ns = 0;
        for (size_t j = 0; j < nc && !rc; j++) {
            if (cw_size_class(o, r->c.pop[j]) != k)
                continue;
            long cell = cell_of(&f->grid, gp, r->c.lon[j], r->c.lat[j]);
            if (cell < 0)
                rc = cw_ctx_error(r->ctx, CW_ERR_DATA, "'%s' row %zu: the centre lies outside "
                                  "the friction grid", r->c.path, j + 1);
            who[ns] = j;
            src[ns++] = (size_t)cell;
        }
        double *cost = NULL;
        int32_t *origin = NULL;
        struct cw_costdist_opts co = {r->job->knight};
        if (!rc && ns)
            rc = cw_costdist(r->ctx, &f->grid, f->v, src, ns, &co, &cost, &origin);
        for (size_t i = 0; i < np && !rc && ns; i++)
            if (pcell[i] >= 0 && origin[pcell[i]] >= 0)
                r->minutes[i * nc + who[origin[pcell[i]]]] = cost[pcell[i]];
        free(cost);
        free(origin);
    }
    free(src);
    free(who);
    free(pcell);
    return rc;
}

static int cost_mode(struct run *r)
{
    struct cw_raster f = {0};
    struct cw_gridproj gp = {0};
    size_t n = r->p.n * r->c.n;
    int rc = cw_raster_read(r->ctx, r->job->cost, &f);
    if (!rc)
        rc = cw_gridproj_open(r->ctx, &f.grid, &gp);
    if (!rc && !(r->minutes = malloc((n + 1) * sizeof *r->minutes)))
        rc = cw_ctx_error(r->ctx, CW_ERR_NOMEM, "out of memory");
    for (size_t i = 0; i < n && !rc; i++)
        r->minutes[i] = NAN;
    if (!rc)
        rc = class_runs(r, &f, &gp);
    if (rc && !strstr(cw_ctx_errmsg(r->ctx), r->job->cost))
        rc = cw_ctx_error(r->ctx, rc, "'%s': %s", r->job->cost, cw_ctx_errmsg(r->ctx));
    cw_gridproj_close(&gp);
    cw_raster_release(&f);
    return rc;
}

/* Row i of the separations: minutes, or metres on the ellipsoid. Metres
 * are measured only for centres in reach: in minutes those are the few
 * nearest of each size class, and only links need their length. */
static void separations(const struct run *r, size_t i, double *sep, double *metres)
{
    for (size_t j = 0; j < r->c.n; j++) {
        sep[j] = r->minutes ? r->minutes[i * r->c.n + j] : 0;
        metres[j] = NAN;
        if (!isnan(sep[j]))
            cw_geod_inverse(&r->geod, r->p.lon[i], r->p.lat[i], r->c.lon[j], r->c.lat[j],
                            &metres[j], NULL, NULL);
        if (!r->minutes)
            sep[j] = metres[j];
    }
}

enum { L_PLACE, L_PNAME, L_CENTRE, L_CNAME, L_DIST, L_MIN, L_PROB, L_FLOW, L_BAND, L_CLASS, L_N };

static const struct cw_field link_fields[L_N] = {
    {"place_id", CW_FT_STRING, -1, 0}, {"place_name", CW_FT_STRING, -1, 0},
    {"centre_id", CW_FT_STRING, -1, 0}, {"centre_name", CW_FT_STRING, -1, 0},
    {"dist_km", CW_FT_REAL, 3, 0}, {"minutes", CW_FT_REAL, 2, 0},
    {"prob", CW_FT_REAL, 6, 0}, {"flow", CW_FT_REAL, 2, 0},
    {"band", CW_FT_INTEGER, -1, 0}, {"centre_size_class", CW_FT_INTEGER, -1, 0},
};

static int write_link(struct run *r, struct cw_writer *w, size_t i, size_t j, double metres,
                      double sep, double prob, double flow)
{
    char b[L_N][48], pid[32], cid[32];
    const char *v[L_N];
    v[L_PLACE] = cw_site_id(&r->p, i, pid, sizeof pid);
    v[L_PNAME] = cw_site_name(&r->p, i);
    v[L_CENTRE] = cw_site_id(&r->c, j, cid, sizeof cid);
    v[L_CNAME] = cw_site_name(&r->c, j);
    v[L_DIST] = cw_format_real(b[L_DIST], sizeof b[0], metres / 1000, 3);
    v[L_MIN] = r->minutes ? cw_format_real(b[L_MIN], sizeof b[0], sep, 2) : NULL;
    v[L_PROB] = cw_format_real(b[L_PROB], sizeof b[0], prob, 6);
    v[L_FLOW] = cw_format_real(b[L_FLOW], sizeof b[0], flow, 2);
    snprintf(b[L_BAND], sizeof b[0], "%d", cw_band(&r->job->o, sep));
    v[L_BAND] = b[L_BAND];
    snprintf(b[L_CLASS], sizeof b[0], "%d", cw_size_class(&r->job->o, r->c.pop[j]));
    v[L_CLASS] = b[L_CLASS];
    GEOSGeometry *line = NULL;
    int rc = cw_writer_wants_geometry(w)
                 ? cw_geod_line(r->ctx, &r->geod, r->p.lon[i], r->p.lat[i], r->c.lon[j],
                                r->c.lat[j], r->job->segment, &line)
                 : CW_OK;
    if (!rc)
        rc = cw_writer_add(w, line, v);
    if (line)
        GEOSGeom_destroy_r(cw_ctx_geos(r->ctx), line);
    return rc;
}

/* One place: its assignment, and its links (one, or one per centre in
 * reach for gravity and Huff). */
static int place_links(struct run *r, struct cw_writer *w, size_t i, double *sep,
                       double *metres, double *prob, struct cw_catchment_stats *st)
{
    const struct cw_catchment_opts *o = &r->job->o;
    separations(r, i, sep, metres);
    long a = cw_assign(o, sep, r->c.pop, r->c.n);
    r->assigned[i] = a < 0 ? SIZE_MAX : (size_t)a;
    r->band[i] = a < 0 ? 0 : cw_band(o, sep[a]);
    st->hinterland += a < 0 || r->band[i] == 0;
    if (o->model == CW_MODEL_NEAREST) {
        st->links += a >= 0;
        return a < 0 ? CW_OK
                     : write_link(r, w, i, (size_t)a, metres[a], sep[a], 1, r->p.pop[i]);
    }
    double unit = r->minutes ? 1 : 1000;
    double sum = cw_huff(o, sep, r->c.pop, r->c.n, unit, prob);
    int rc = CW_OK;
    for (size_t j = 0; j < r->c.n && !rc; j++) {
        if (prob[j] <= 0)
            continue;
        double flow = r->p.pop[i] * prob[j] * (o->model == CW_MODEL_GRAVITY ? sum : 1);
        st->links++;
        rc = write_link(r, w, i, j, metres[j], sep[j], prob[j], flow);
    }
    return rc;
}

/* The links, left in @p *w for the caller to commit or abort. */
static int links(struct run *r, struct cw_catchment_stats *st, struct cw_writer **w)
{
    struct cw_write_opts wo = r->job->write;
    size_t nc = r->c.n;
    double *buf = malloc(3 * (nc + 1) * sizeof *buf);
    int rc = buf ? cw_writer_open(r->ctx, r->job->output, &wo, link_fields, L_N, CW_GEOM_LINE, w)
                 : cw_ctx_error(r->ctx, CW_ERR_NOMEM, "out of memory");
    for (size_t i = 0; i < r->p.n && !rc; i++) {
        rc = place_links(r, *w, i, buf, buf + nc + 1, buf + 2 * (nc + 1), st);
        if (!rc && i % 256 == 0)
            rc = cw_ctx_progress(r->ctx, (double)i / r->p.n, "links");
    }
    free(buf);
    return rc;
}

int cw_catchment_run(struct cw_ctx *ctx, const struct cw_catchment_job *job,
                     struct cw_catchment_stats *st)
{
    struct run r = {.ctx = ctx, .job = job};
    memset(st, 0, sizeof *st);
    cw_layer_init(&r.c.l);
    cw_layer_init(&r.p.l);
    cw_geod_init(&r.geod, 0);
    struct cw_read_opts cro = {.where = job->centres_where, .lon_field = job->read.lon_field,
                               .lat_field = job->read.lat_field};   /* -l, -where: places */
    int rc = read_sites(&r, &r.c, job->centres, &cro, job->centre_pop_field, 1);
    if (!rc)
        rc = read_sites(&r, &r.p, job->places, &job->read,
                        job->place_pop_field ? job->place_pop_field : job->centre_pop_field,
                        job->place_pop_field != NULL);
    if (!rc && r.c.n == 0)
        rc = cw_ctx_error(ctx, CW_ERR_DATA, "'%s': no centres", job->centres);
    if (!rc && job->catchments && !r.p.polygons)   /* before any output is written */
        rc = cw_ctx_error(ctx, CW_ERR_ARG, "--catchments needs polygon places "
                          "(municipalities, grid cells): '%s' holds points", job->places);
    r.assigned = rc ? NULL : malloc((r.p.n + 1) * sizeof *r.assigned);
    r.band = rc ? NULL : malloc((r.p.n + 1) * sizeof *r.band);
    if (!rc && (!r.assigned || !r.band))
        rc = cw_ctx_error(ctx, CW_ERR_NOMEM, "out of memory");
    if (!rc && job->cost)
        rc = cost_mode(&r);
    /* All outputs are written before any is committed: a failure in the
     * last replaces none of them. */
    struct cw_writer *w[3] = {NULL, NULL, NULL};
    if (!rc)
        rc = links(&r, st, &w[0]);
    if (!rc && job->catchments)
        rc = cw_catchment_polygons(&r, job->catchments, &w[1]);
    if (!rc && job->summary)
        rc = cw_catchment_summary(&r, job->summary, &w[2]);
    rc = cw_writers_finish(ctx, rc, w, 3);
    st->centres = r.c.n;
    st->places = r.p.n;
    free(r.minutes);
    free(r.assigned);
    free(r.band);
    sites_release(ctx, &r.c);
    sites_release(ctx, &r.p);
    return rc;
}
