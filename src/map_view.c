/* map_view.c: the map's projection (auto: Equal Earth or Lambert azimuthal
 * equal-area) and extent, and the affine transform to pixels.
 * SPDX-License-Identifier: MIT
 */
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "map_priv.h"

/* Data wider than this, or taller, is shown on a world projection:
 * azimuthal maps of a third of the globe and more bend too much. */
#define WORLD_LON_SPAN 120.0
#define WORLD_LAT_SPAN 90.0
/* Points along each side of a lon/lat box when its outline is projected. */
#define EDGE_STEPS 64

void map_view_release(struct map_view *v)
{
    if (v->pj)
        proj_destroy(v->pj);
    free(v->crs);
    memset(v, 0, sizeof *v);
}

void map_view_fwd_strided(const struct map_view *v, double *x, double *y, size_t stride,
                          size_t n)
{
    size_t bytes = stride * sizeof *x;
    proj_trans_generic(v->pj, PJ_FWD, x, bytes, n, y, bytes, n, NULL, 0, 0, NULL, 0, 0);
    for (size_t i = 0; i < n * stride; i += stride) {
        if (!isfinite(x[i]) || !isfinite(y[i]) || x[i] == HUGE_VAL) {
            x[i] = y[i] = NAN;
            continue;
        }
        x[i] = (x[i] - v->x0) / v->res;
        y[i] = (v->y0 - y[i]) / v->res;
    }
}

void map_view_fwd(const struct map_view *v, double *x, double *y, size_t n)
{
    map_view_fwd_strided(v, x, y, 1, n);
}

void map_view_inv(const struct map_view *v, double *x, double *y, size_t n)
{
    for (size_t i = 0; i < n; i++) {
        x[i] = v->x0 + x[i] * v->res;
        y[i] = v->y0 - y[i] * v->res;
    }
    proj_trans_generic(v->pj, PJ_INV, x, sizeof *x, n, y, sizeof *y, n, NULL, 0, 0, NULL, 0, 0);
    for (size_t i = 0; i < n; i++)
        if (!isfinite(x[i]) || !isfinite(y[i]) || fabs(x[i]) > 1e10)
            x[i] = y[i] = NAN;
}

/* The central meridian of a projected CRS, 0 when it has none. */
static double central_meridian(PJ_CONTEXT *pc, const char *def)
{
    static const char *const names[] = { "Longitude of natural origin", "Longitude of origin",
                                         "Longitude of projection centre",
                                         "Longitude of false origin" };
    PJ *crs = proj_create(pc, def), *op = crs ? proj_crs_get_coordoperation(pc, crs) : NULL;
    double lon0 = 0, value;
    for (size_t i = 0; op && i < sizeof names / sizeof names[0]; i++) {
        int k = proj_coordoperation_get_param_index(pc, op, names[i]);
        if (k >= 0 && proj_coordoperation_get_param(pc, op, k, NULL, NULL, NULL, &value, NULL,
                                                    NULL, NULL, NULL, NULL, NULL)) {
            lon0 = value;
            break;
        }
    }
    if (op)
        proj_destroy(op);
    if (crs)
        proj_destroy(crs);
    return lon0;
}

/* The CRS definition for @p proj given the data's box. */
static char *crs_for(const char *proj, const double bb[4], int *world)
{
    char buf[256];
    int wide = bb[2] - bb[0] >= WORLD_LON_SPAN || bb[3] - bb[1] >= WORLD_LAT_SPAN;
    int auto_ = !proj || strcmp(proj, "auto") == 0;
    *world = 0;
    if ((auto_ && wide) || (proj && strcmp(proj, "equal-earth") == 0)) {
        *world = 1;
        snprintf(buf, sizeof buf, "+proj=eqearth +lon_0=0 +ellps=WGS84 +units=m +type=crs");
    } else if (auto_ || strcmp(proj, "laea") == 0) {
        snprintf(buf, sizeof buf, "+proj=laea +lat_0=%.4f +lon_0=%.4f +ellps=WGS84 +units=m "
                 "+type=crs", (bb[1] + bb[3]) / 2, (bb[0] + bb[2]) / 2);
    } else if (strncmp(proj, "+proj", 5) == 0 && !strstr(proj, "+type=crs")) {
        snprintf(buf, sizeof buf, "%s +type=crs", proj);
    } else {
        return strdup(proj);
    }
    return strdup(buf);
}

/* Grows @p b (minx, miny, maxx, maxy) by the projected outline of the
 * lon/lat box @p ll. */
static void outline_bbox(const struct map_view *v, const double ll[4], double b[4])
{
    double x[4 * EDGE_STEPS], y[4 * EDGE_STEPS];
    for (int i = 0; i < EDGE_STEPS; i++) {
        double t = (double)i / EDGE_STEPS;
        x[i] = ll[0] + t * (ll[2] - ll[0]), y[i] = ll[1];
        x[EDGE_STEPS + i] = ll[2], y[EDGE_STEPS + i] = ll[1] + t * (ll[3] - ll[1]);
        x[2 * EDGE_STEPS + i] = ll[2] - t * (ll[2] - ll[0]), y[2 * EDGE_STEPS + i] = ll[3];
        x[3 * EDGE_STEPS + i] = ll[0], y[3 * EDGE_STEPS + i] = ll[3] - t * (ll[3] - ll[1]);
    }
    proj_trans_generic(v->pj, PJ_FWD, x, sizeof *x, 4 * EDGE_STEPS, y, sizeof *y,
                       4 * EDGE_STEPS, NULL, 0, 0, NULL, 0, 0);
    for (int i = 0; i < 4 * EDGE_STEPS; i++) {
        if (!isfinite(x[i]) || !isfinite(y[i]) || x[i] == HUGE_VAL)
            continue;
        b[0] = fmin(b[0], x[i]), b[1] = fmin(b[1], y[i]);
        b[2] = fmax(b[2], x[i]), b[3] = fmax(b[3], y[i]);
    }
}

/* The lon/lat box holding the view: its outline and centre unprojected,
 * with the poles when they are in view. */
static void view_lonlat(struct map_view *v)
{
    double x[4 * EDGE_STEPS + 1], y[4 * EDGE_STEPS + 1];
    for (int i = 0; i < EDGE_STEPS; i++) {
        double t = (double)i / EDGE_STEPS;
        x[i] = t * v->w, y[i] = 0;
        x[EDGE_STEPS + i] = v->w, y[EDGE_STEPS + i] = t * v->h;
        x[2 * EDGE_STEPS + i] = (1 - t) * v->w, y[2 * EDGE_STEPS + i] = v->h;
        x[3 * EDGE_STEPS + i] = 0, y[3 * EDGE_STEPS + i] = (1 - t) * v->h;
    }
    x[4 * EDGE_STEPS] = v->w / 2.0, y[4 * EDGE_STEPS] = v->h / 2.0;
    map_view_inv(v, x, y, 4 * EDGE_STEPS + 1);
    double ll[4] = { 180, 90, -180, -90 };
    int lost = 0;
    for (int i = 0; i <= 4 * EDGE_STEPS; i++) {
        if (isnan(x[i])) {
            lost = 1;
            continue;
        }
        ll[0] = fmin(ll[0], x[i]), ll[1] = fmin(ll[1], y[i]);
        ll[2] = fmax(ll[2], x[i]), ll[3] = fmax(ll[3], y[i]);
    }
    double px[2] = { 0, 0 }, py[2] = { 90, -90 };
    map_view_fwd(v, px, py, 2);
    int north = px[0] >= 0 && px[0] <= v->w && py[0] >= 0 && py[0] <= v->h;
    int south = px[1] >= 0 && px[1] <= v->w && py[1] >= 0 && py[1] <= v->h;
    /* Outline points off the globe, a pole, or a box over half the world
     * round: keep everything (the frame clip does the rest). */
    if (lost || north || south || v->world || ll[2] - ll[0] > 180) {
        ll[0] = -180, ll[2] = 180;
        ll[1] = south || lost || v->world ? -90 : ll[1];
        ll[3] = north || lost || v->world ? 90 : ll[3];
    }
    /* A margin so polygons cut here reach past the frame. */
    v->ll[0] = fmax(-180, ll[0] - 2), v->ll[1] = fmax(-90, ll[1] - 2);
    v->ll[2] = fmin(180, ll[2] + 2), v->ll[3] = fmin(90, ll[3] + 2);
}

/* Where fitting the aspect made the frame taller or wider than the data,
 * it slides to keep off the empty space beyond the globe's edge. */
static void keep_on_globe(struct map_view *v, const double globe[4])
{
    double g[4] = { INFINITY, INFINITY, -INFINITY, -INFINITY };
    outline_bbox(v, globe, g);
    double w = v->w * v->res, h = v->h * v->res;
    if (h <= g[3] - g[1]) {
        if (v->y0 > g[3])
            v->y0 = g[3];
        if (v->y0 - h < g[1])
            v->y0 = g[1] + h;
    }
    if (w <= g[2] - g[0]) {
        if (v->x0 < g[0])
            v->x0 = g[0];
        if (v->x0 + w > g[2])
            v->x0 = g[2] - w;
    }
}

int map_view_init(struct cw_ctx *ctx, const struct cw_map_opts *o, const double bbox[4],
                  struct map_view *v)
{
    PJ_CONTEXT *pc = cw_ctx_proj(ctx);
    memset(v, 0, sizeof *v);
    const double *bb = o->has_extent ? o->extent : bbox;
    if (!(v->crs = crs_for(o->proj, bb, &v->world)))
        return cw_ctx_error(ctx, CW_ERR_NOMEM, "out of memory");
    PJ *p = proj_create_crs_to_crs(pc, "EPSG:4326", v->crs, NULL);
    v->pj = p ? proj_normalize_for_visualization(pc, p) : NULL;
    if (p)
        proj_destroy(p);
    if (!v->pj) {
        int rc = cw_ctx_error(ctx, CW_ERR_ARG, "unknown projection '%s'", o->proj);
        map_view_release(v);
        return rc;
    }
    v->lon0 = central_meridian(pc, v->crs);
    v->w = o->width;
    v->h = o->height;
    /* Data all round the world shows the whole globe. */
    static const double globe[4] = { -180, -90, 180, 90 };
    double b[4] = { INFINITY, INFINITY, -INFINITY, -INFINITY };
    outline_bbox(v, bb[2] - bb[0] > 300 ? globe : bb, b);
    if (!(b[2] > b[0] && b[3] > b[1])) {
        /* A single point or a degenerate box: 100 km round it. */
        double cx = isfinite(b[0]) ? b[0] : 0, cy = isfinite(b[1]) ? b[1] : 0;
        b[0] = cx - 5e4, b[2] = cx + 5e4, b[1] = cy - 5e4, b[3] = cy + 5e4;
    }
    /* 4 % margin round data (none round a given extent), then the aspect. */
    double pad = o->has_extent ? 0 : 0.04;
    double dx = (b[2] - b[0]) * (1 + 2 * pad), dy = (b[3] - b[1]) * (1 + 2 * pad);
    v->res = fmax(dx / v->w, dy / v->h);
    v->x0 = (b[0] + b[2]) / 2 - v->res * v->w / 2;
    v->y0 = (b[1] + b[3]) / 2 + v->res * v->h / 2;
    if (v->world)
        keep_on_globe(v, globe);
    view_lonlat(v);
    return CW_OK;
}
