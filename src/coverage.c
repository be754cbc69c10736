/* coverage.c: exact fractions of grid cells covered by a polygon
 * (coverage.h), by Green's theorem cell by cell, without intersecting any
 * cell with the polygon.
 * SPDX-License-Identifier: MIT
 *
 * Work in window units: u = (x - gt[0] - col0 gt[1]) / gt[1] and likewise
 * v from y and row0, so window cell (r, c) is the unit square [c, c+1] x
 * [r, r+1] and a fraction is an area. An affine map scales every area by
 * the same factor, so fractions are the same in both spaces. Units local
 * to the window keep u and v small, so rounding them costs ~1e-16 of a
 * cell rather than ~1e-12 (u near 18000 on a fine lon/lat grid).
 *
 * For a closed ring traversed counter-clockwise in (u, v), Green's theorem
 * with M(u, v) = w_c(u) 1[r <= v < r+1], where w_c(u) = clamp(c+1-u, 0, 1),
 * gives
 *
 *     area(inside ∩ cell(r,c)) = -∮ w_c(u) 1[r <= v < r+1] dv,
 *
 * since dM/du is -1 inside column c and 0 elsewhere. Only the pieces of
 * edges inside row strip r matter, and a piece of height dv in column k
 * adds dv if k < c (w = 1 along it), dv * (1 - xm) if k == c (w is linear
 * along it; xm is its mean offset into the column) and nothing if k > c.
 * That is a prefix sum: each piece adds dv * (1 - xm) to its own cell and
 * dv * xm to the next one, and a running sum along each row then yields
 * every cell's area (the same accumulation as scanline area-coverage font
 * rasterisers). Pieces left of the window add dv to its first column;
 * pieces right of it add nothing.
 *
 * Each ring is clipped to the rows it crosses, then each row piece to the
 * columns it crosses, so the cost is the vertices plus the cells the
 * boundary crosses plus one pass over the window. Rings are signed from
 * their own shoelace area (input orientation is not trusted): shells add,
 * holes subtract. The result depends on where a ring starts only through
 * the order of floating-point additions.
 *
 * Cells whose interior no edge crosses are wholly inside or wholly outside
 * a valid polygon, so they are marked as they are walked and the others
 * rounded to exactly 0 or 1: the running sum would leave ~1e-16 of
 * rounding in them, and "fraction > 0" should mean the zone reaches in.
 */
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "cityweave/coverage.h"

/* The window being filled: grid cell (row0 + r, col0 + c) is window cell
 * (r, c), the unit square [c, c+1] x [r, r+1] in window units. */
struct win {
    int row0, col0, nrows, ncols;
    const double *gt;   /* the grid's geotransform */
    double *a;          /* nrows*ncols: accumulators, then fractions */
    unsigned char *cut; /* nrows*ncols: 1 where an edge may cross the cell */
};

/* A ring's vertices in window units, grown as needed. */
struct pts {
    double *uv;         /* u0, v0, u1, v1, ... */
    size_t n, cap;
};

/* Adds a piece of edge of signed height @p dv in window row @p r, column
 * @p kw (negative: left of the window), whose mean offset into its column
 * is @p xm in [0,1]. Units here and below are window units. */
static void add_piece(const struct win *w, int r, int kw, double dv, double xm)
{
    size_t at = (size_t)r * (size_t)w->ncols;
    double *row = w->a + at;
    if (kw < 0) {
        row[0] += dv;
        return;
    }
    w->cut[at + (size_t)kw] = 1;
    row[kw] += dv * (1 - xm);
    if (kw + 1 < w->ncols)
        row[kw + 1] += dv * xm;
}

/* Splits the piece of an edge inside window row @p r, from u = @p ua to
 * @p ub, of signed height @p dv, among the columns it crosses. Along a
 * straight edge v is linear in u, so each column gets the share of dv
 * that its share of the u range is. */
static void walk_row(const struct win *w, int r, double ua, double ub, double dv)
{
    double lo = fmin(ua, ub), hi = fmax(ua, ub), width = hi - lo;

    if (lo >= w->ncols)
        return;                         /* right of the window: no area in it */
    if (width == 0) {                   /* vertical: one column */
        double k = floor(lo);
        add_piece(w, r, k < 0 ? -1 : (int)k, dv, lo - k);
        return;
    }
    double k = floor(lo);
    if (k < 0) {                        /* the part left of the window */
        double b = fmin(0, hi);
        add_piece(w, r, -1, dv * ((b - lo) / width), 0);
        k = 0;
    }
    for (; k < hi && k < w->ncols; k++) {
        double a = fmax(k, lo), b = fmin(k + 1, hi);
        add_piece(w, r, (int)k, dv * ((b - a) / width), 0.5 * (a + b) - k);
    }
}

/* A horizontal edge at @p v from @p ua to @p ub adds no area, but it cuts
 * the cells it runs through unless it lies on a row line. */
static void mark_horizontal(const struct win *w, double v, double ua, double ub)
{
    double r = floor(v), lo = fmin(ua, ub), hi = fmax(ua, ub);
    if (r == v || r < 0 || r >= w->nrows)
        return;
    double k = fmax(floor(lo), 0), kend = fmin(ceil(hi), w->ncols);
    unsigned char *row = w->cut + (size_t)r * (size_t)w->ncols;
    for (; k < kend; k++)
        row[(int)k] = 1;
}

/* Walks the edge (u0, v0) -> (u1, v1) row by row through the window,
 * each piece's height multiplied by @p sign. */
static void walk_edge(const struct win *w, double u0, double v0, double u1,
                      double v1, double sign)
{
    if (fmin(u0, u1) >= w->ncols)
        return;                         /* right of the window */
    if (v0 == v1) {
        mark_horizontal(w, v0, u0, u1);
        return;
    }
    if (v0 > v1) {                      /* walk downwards in v, flip the sign */
        double t = u0; u0 = u1; u1 = t;
        t = v0; v0 = v1; v1 = t;
        sign = -sign;
    }
    double r = fmax(floor(v0), 0), rend = fmin(ceil(v1), w->nrows);
    double du = u1 - u0, dv = v1 - v0;
    double umin = fmin(u0, u1), umax = fmax(u0, u1);
    for (; r < rend; r++) {
        double va = fmax(r, v0), vb = fmin(r + 1, v1);
        /* u where the edge meets the row's lines; t in [0,1] cannot
         * overflow, and the clamp keeps rounding inside the edge's range */
        double ua = va == v0 ? u0 : fmin(fmax(u0 + du * ((va - v0) / dv), umin), umax);
        double ub = vb == v1 ? u1 : fmin(fmax(u0 + du * ((vb - v0) / dv), umin), umax);
        walk_row(w, (int)r, ua, ub, sign * (vb - va));
    }
}

/* Twice the signed area of the ring in (u, v), taken about its first
 * vertex so large coordinates do not swamp it. */
static double ring_area2(const struct pts *p)
{
    double s = 0, ou = p->uv[0], ov = p->uv[1];
    for (size_t i = 0; i < p->n; i++) {
        size_t j = (i + 1) % p->n;
        s += (p->uv[2 * i] - ou) * (p->uv[2 * j + 1] - ov) -
             (p->uv[2 * j] - ou) * (p->uv[2 * i + 1] - ov);
    }
    return s;
}

/* x in window units: x - gt[0] is exact when they are within a factor of
 * two (the usual case), and fma() takes col0 cells off it rounding once. */
static double to_u(const struct win *w, double x)
{
    return fma(-(double)w->col0, w->gt[1], x - w->gt[0]) / w->gt[1];
}

static double to_v(const struct win *w, double y)
{
    return fma(-(double)w->row0, w->gt[5], y - w->gt[3]) / w->gt[5];
}

/* Reads @p ring into @p p in window units. */
static int read_ring(struct cw_ctx *ctx, const struct win *w,
                     const GEOSGeometry *ring, struct pts *p)
{
    GEOSContextHandle_t h = cw_ctx_geos(ctx);
    const GEOSCoordSequence *cs = ring ? GEOSGeom_getCoordSeq_r(h, ring) : NULL;
    unsigned int n;
    if (!cs || !GEOSCoordSeq_getSize_r(h, cs, &n))
        return cw_ctx_error(ctx, CW_ERR_LIB, "cannot read a polygon ring");
    if (n > p->cap) {
        double *uv = realloc(p->uv, 2 * sizeof *uv * n);
        if (!uv)
            return cw_ctx_error(ctx, CW_ERR_NOMEM, "out of memory for a ring of %u points", n);
        p->uv = uv;
        p->cap = n;
    }
    p->n = n;
    for (unsigned int i = 0; i < n; i++) {
        double x, y;
        if (!GEOSCoordSeq_getXY_r(h, cs, i, &x, &y))
            return cw_ctx_error(ctx, CW_ERR_LIB, "cannot read a polygon ring");
        p->uv[2 * i] = to_u(w, x);
        p->uv[2 * i + 1] = to_v(w, y);
        if (!isfinite(p->uv[2 * i]) || !isfinite(p->uv[2 * i + 1]))
            return cw_ctx_error(ctx, CW_ERR_DATA, "polygon coordinate (%g, %g) is not finite "
                                "in grid units", x, y);
    }
    return CW_OK;
}

/* Adds one ring, a shell (@p hole 0) or a hole, to the accumulators. */
static int add_ring(struct cw_ctx *ctx, const struct win *w,
                    const GEOSGeometry *ring, int hole, struct pts *p)
{
    int rc = read_ring(ctx, w, ring, p);
    if (rc != CW_OK || p->n < 3)
        return rc;
    /* Green's theorem gives minus the area for a counter-clockwise ring:
     * orient every shell positive and every hole negative */
    double sign = ring_area2(p) > 0 ? -1 : 1;
    if (hole)
        sign = -sign;
    const double *uv = p->uv;
    for (size_t i = 0; i < p->n; i++) {
        size_t j = (i + 1) % p->n;      /* closes the ring if GEOS did not */
        walk_edge(w, uv[2 * i], uv[2 * i + 1], uv[2 * j], uv[2 * j + 1], sign);
    }
    return CW_OK;
}

static int add_polygon(struct cw_ctx *ctx, const struct win *w,
                       const GEOSGeometry *poly, struct pts *p)
{
    GEOSContextHandle_t h = cw_ctx_geos(ctx);
    int holes = GEOSGetNumInteriorRings_r(h, poly);
    if (holes < 0)
        return cw_ctx_error(ctx, CW_ERR_LIB, "cannot read a polygon");
    if (GEOSisEmpty_r(h, poly) == 1)
        return CW_OK;
    int rc = add_ring(ctx, w, GEOSGetExteriorRing_r(h, poly), 0, p);
    for (int i = 0; rc == CW_OK && i < holes; i++)
        rc = add_ring(ctx, w, GEOSGetInteriorRingN_r(h, poly, i), 1, p);
    return rc;
}

/* Sets @p w to the cells of @p g the envelope of @p poly overlaps; an
 * empty window when there are none. */
static int find_window(struct cw_ctx *ctx, const struct cw_grid *g,
                       const GEOSGeometry *poly, struct win *w)
{
    GEOSContextHandle_t h = cw_ctx_geos(ctx);
    const double *gt = g->gt;
    double x0, x1, y0, y1;

    memset(w, 0, sizeof *w);
    w->gt = gt;
    if (GEOSisEmpty_r(h, poly) == 1)
        return CW_OK;
    if (!GEOSGeom_getXMin_r(h, poly, &x0) || !GEOSGeom_getXMax_r(h, poly, &x1) ||
        !GEOSGeom_getYMin_r(h, poly, &y0) || !GEOSGeom_getYMax_r(h, poly, &y1))
        return cw_ctx_error(ctx, CW_ERR_LIB, "cannot read the polygon's envelope");
    double ua = (x0 - gt[0]) / gt[1], ub = (x1 - gt[0]) / gt[1];
    double va = (y0 - gt[3]) / gt[5], vb = (y1 - gt[3]) / gt[5];
    if (!isfinite(ua) || !isfinite(ub) || !isfinite(va) || !isfinite(vb))
        return cw_ctx_error(ctx, CW_ERR_DATA, "polygon envelope is not finite in grid units");
    double c0 = fmax(floor(fmin(ua, ub)), 0), c1 = fmin(ceil(fmax(ua, ub)), g->nx);
    double r0 = fmax(floor(fmin(va, vb)), 0), r1 = fmin(ceil(fmax(va, vb)), g->ny);
    if (c0 >= c1 || r0 >= r1)
        return CW_OK;
    w->col0 = (int)c0;
    w->row0 = (int)r0;
    w->ncols = (int)(c1 - c0);
    w->nrows = (int)(r1 - r0);
    return CW_OK;
}

static int check_args(struct cw_ctx *ctx, const struct cw_grid *g,
                      const GEOSGeometry *poly)
{
    const double *gt = g->gt;
    if (g->nx < 0 || g->ny < 0)
        return cw_ctx_error(ctx, CW_ERR_ARG, "grid size %d x %d is negative", g->nx, g->ny);
    if (gt[2] != 0 || gt[4] != 0)
        return cw_ctx_error(ctx, CW_ERR_ARG, "grid is rotated or sheared");
    if (!isfinite(gt[0]) || !isfinite(gt[3]) || !isfinite(gt[1]) || !isfinite(gt[5]) ||
        gt[1] == 0 || gt[5] == 0)
        return cw_ctx_error(ctx, CW_ERR_ARG, "grid cell size %g x %g is not usable",
                            gt[1], gt[5]);
    int type = poly ? GEOSGeomTypeId_r(cw_ctx_geos(ctx), poly) : -1;
    if (type != GEOS_POLYGON && type != GEOS_MULTIPOLYGON)
        return cw_ctx_error(ctx, CW_ERR_ARG, "coverage needs a Polygon or MultiPolygon");
    return CW_OK;
}

/* Accumulators to fractions: the running sum along each row, clamped to
 * [0,1] (rounding can leave a few ulp outside), and rounded to 0 or 1 in
 * cells no edge crosses. */
static void finish(const struct win *w)
{
    for (int r = 0; r < w->nrows; r++) {
        size_t at = (size_t)r * (size_t)w->ncols;
        double *row = w->a + at, sum = 0;
        for (int c = 0; c < w->ncols; c++) {
            sum += row[c];
            row[c] = fmin(fmax(w->cut[at + c] ? sum : round(sum), 0), 1);
        }
    }
}

int cw_cover_polygon(struct cw_ctx *ctx, const struct cw_grid *g,
                     const GEOSGeometry *poly, struct cw_cover *out)
{
    GEOSContextHandle_t h = cw_ctx_geos(ctx);
    struct pts p = { 0 };
    struct win w;
    int rc;

    memset(out, 0, sizeof *out);
    if ((rc = check_args(ctx, g, poly)) != CW_OK ||
        (rc = find_window(ctx, g, poly, &w)) != CW_OK || w.nrows == 0)
        return rc;
    size_t cells = (size_t)w.nrows * (size_t)w.ncols;
    w.a = calloc(cells, sizeof *w.a);
    w.cut = calloc(cells, 1);
    if (!w.a || !w.cut) {
        free(w.a);
        free(w.cut);
        return cw_ctx_error(ctx, CW_ERR_NOMEM, "out of memory for a %d x %d window",
                            w.nrows, w.ncols);
    }
    int parts = GEOSGetNumGeometries_r(h, poly);
    if (parts < 0)
        rc = cw_ctx_error(ctx, CW_ERR_LIB, "cannot read the polygon's parts");
    for (int i = 0; rc == CW_OK && i < parts; i++)
        rc = add_polygon(ctx, &w, GEOSGetGeometryN_r(h, poly, i), &p);
    free(p.uv);
    if (rc == CW_OK)
        finish(&w);
    free(w.cut);
    if (rc != CW_OK) {
        free(w.a);
        return rc;
    }
    *out = (struct cw_cover){ w.row0, w.col0, w.nrows, w.ncols, w.a };
    return CW_OK;
}

void cw_cover_release(struct cw_cover *c)
{
    if (!c)
        return;
    free(c->frac);
    memset(c, 0, sizeof *c);
}
