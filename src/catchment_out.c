/* catchment_out.c: the catchment polygons (places dissolved per centre
 * and band) and the per-centre summary of a `linkage links` run.
 * SPDX-License-Identifier: MIT
 */
#include <math.h>
#include <stdio.h>
#include <stdlib.h>

#include "cityweave/hull.h"
#include "catchment_priv.h"

struct key {
    size_t centre;
    int band;
    size_t place;
};

static int by_key(const void *a, const void *b)
{
    const struct key *x = a, *y = b;
    if (x->centre != y->centre)
        return x->centre < y->centre ? -1 : 1;
    if (x->band != y->band)
        return x->band > y->band ? -1 : 1;   /* bands 1, 2, ... then 0 */
    return x->place < y->place ? -1 : x->place > y->place;
}

/* The union of places k[0..n) as one lon/lat geometry. */
static GEOSGeometry *dissolve(struct run *r, const struct key *k, size_t n)
{
    GEOSContextHandle_t h = cw_ctx_geos(r->ctx);
    GEOSGeometry **parts = malloc(n * sizeof *parts);
    size_t made = 0;
    while (parts && made < n && (parts[made] = GEOSGeom_clone_r(h, r->p.l.geoms[k[made].place])))
        made++;
    GEOSGeometry *all = parts && made == n
                            ? GEOSGeom_createCollection_r(h, GEOS_GEOMETRYCOLLECTION, parts,
                                                          (unsigned)n)
                            : NULL;
    if (!all)
        while (made > 0)
            GEOSGeom_destroy_r(h, parts[--made]);
    free(parts);
    GEOSGeometry *u = all ? GEOSUnaryUnion_r(h, all) : NULL;
    if (all)
        GEOSGeom_destroy_r(h, all);
    return u;
}

static const struct cw_field poly_fields[] = {
    {"centre_id", CW_FT_STRING, -1, 0}, {"centre_name", CW_FT_STRING, -1, 0},
    {"band", CW_FT_INTEGER, -1, 0}, {"places", CW_FT_INTEGER, -1, 0},
    {"pop", CW_FT_REAL, 1, 0}, {"area_km2", CW_FT_REAL, 3, 0},
};

static int write_group(struct run *r, struct cw_writer *w, const struct key *k, size_t n)
{
    char cid[32], band[16], places[24], pop[48], km2[48];
    double p = 0, m2 = 0;
    for (size_t i = 0; i < n; i++)
        p += r->p.pop[k[i].place];
    GEOSGeometry *u = dissolve(r, k, n);
    if (!u || cw_geod_area(r->ctx, u, &m2)) {
        if (u)
            GEOSGeom_destroy_r(cw_ctx_geos(r->ctx), u);
        return cw_ctx_error(r->ctx, CW_ERR_LIB, "cannot dissolve a catchment: %s",
                            cw_ctx_errmsg(r->ctx));
    }
    snprintf(band, sizeof band, "%d", k[0].band);
    snprintf(places, sizeof places, "%zu", n);
    const char *v[] = {cw_site_id(&r->c, k[0].centre, cid, sizeof cid),
                       cw_site_name(&r->c, k[0].centre), band, places,
                       cw_format_real(pop, sizeof pop, p, 1),
                       cw_format_real(km2, sizeof km2, m2 / 1e6, 3)};
    int rc = cw_writer_add(w, u, v);
    GEOSGeom_destroy_r(cw_ctx_geos(r->ctx), u);
    return rc;
}

int cw_catchment_polygons(struct run *r, const char *path, struct cw_writer **w)
{
    struct key *k = malloc((r->p.n + 1) * sizeof *k);
    size_t n = 0;
    if (!k)
        return cw_ctx_error(r->ctx, CW_ERR_NOMEM, "out of memory");
    for (size_t i = 0; i < r->p.n; i++)
        if (r->assigned[i] != SIZE_MAX)
            k[n++] = (struct key){r->assigned[i], r->band[i], i};
    qsort(k, n, sizeof *k, by_key);
    int rc = cw_writer_open(r->ctx, path, &r->job->write, poly_fields,
                            sizeof poly_fields / sizeof *poly_fields, CW_GEOM_POLYGON, w);
    for (size_t a = 0, b; a < n && !rc; a = b) {
        for (b = a; b < n && k[b].centre == k[a].centre && k[b].band == k[a].band; b++)
            ;
        rc = write_group(r, *w, k + a, b - a);
    }
    free(k);
    return rc;
}

static const struct cw_field sum_fields[] = {
    {"centre_id", CW_FT_STRING, -1, 0}, {"centre_name", CW_FT_STRING, -1, 0},
    {"pop", CW_FT_REAL, 1, 0}, {"size_class", CW_FT_INTEGER, -1, 0},
    {"places", CW_FT_INTEGER, -1, 0}, {"pop_served", CW_FT_REAL, 1, 0},
    {"area_km2", CW_FT_REAL, 3, 0},
};

/* Per centre: the places whose assigned centre it is within a band (the
 * hinterland is nobody's), their people and, for polygons, their area. */
static int centre_totals(struct run *r, size_t *places, double *served, double *km2)
{
    for (size_t i = 0; i < r->p.n; i++) {
        size_t j = r->assigned[i];
        if (j == SIZE_MAX || r->band[i] == 0)
            continue;
        places[j]++;
        served[j] += r->p.pop[i];
        double m2 = 0;
        if (r->p.polygons && cw_geod_area(r->ctx, r->p.l.geoms[i], &m2))
            return CW_ERR_LIB;
        km2[j] += m2 / 1e6;
    }
    return CW_OK;
}

int cw_catchment_summary(struct run *r, const char *path, struct cw_writer **w)
{
    size_t nc = r->c.n, *places = calloc(nc, sizeof *places);
    double *served = calloc(nc, sizeof *served), *km2 = calloc(nc, sizeof *km2);
    GEOSContextHandle_t h = cw_ctx_geos(r->ctx);
    int rc = places && served && km2 ? centre_totals(r, places, served, km2)
                                     : cw_ctx_error(r->ctx, CW_ERR_NOMEM, "out of memory");
    if (!rc)
        rc = cw_writer_open(r->ctx, path, &r->job->write, sum_fields,
                            sizeof sum_fields / sizeof *sum_fields, CW_GEOM_POINT, w);
    for (size_t j = 0; j < nc && !rc; j++) {
        char cid[32], pop[48], cls[16], np[24], sv[48], a[48];
        snprintf(cls, sizeof cls, "%d", cw_size_class(&r->job->o, r->c.pop[j]));
        snprintf(np, sizeof np, "%zu", places[j]);
        const char *v[] = {cw_site_id(&r->c, j, cid, sizeof cid), cw_site_name(&r->c, j),
                           cw_format_real(pop, sizeof pop, r->c.pop[j], 1), cls, np,
                           cw_format_real(sv, sizeof sv, served[j], 1),
                           r->p.polygons ? cw_format_real(a, sizeof a, km2[j], 3) : NULL};
        GEOSGeometry *pt = GEOSGeom_createPointFromXY_r(h, r->c.lon[j], r->c.lat[j]);
        rc = pt ? cw_writer_add(*w, pt, v) : cw_ctx_error(r->ctx, CW_ERR_LIB, "GEOS point");
        if (pt)
            GEOSGeom_destroy_r(h, pt);
    }
    free(places);
    free(served);
    free(km2);
    return rc;
}
