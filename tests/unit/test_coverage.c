/* test_coverage.c: cw_cover_polygon against oracles that share no code
 * with it: fractions worked out by hand on small grids, and GEOS, which
 * intersects each cell's box with the polygon and measures the result
 * (cells GEOS finds disjoint from or inside the polygon count 0 or 1
 * without the intersection, to keep the half-million-cell Japanese runs
 * short). Real data: the 581 Belgian municipalities on the GHSL 1 km
 * Mollweide grid, which tile Belgium, so fractions must add up to 1 in
 * every cell their union covers; two Japanese municipalities on a 0.0005
 * degree lon/lat grid (Nagano city; Tsushima, 19 islands, 1,715 vertices).
 * Those data are read from ../shared/data (run from the repo root) with
 * GDAL/OGR; without them those tests are skipped with a message.
 * SPDX-License-Identifier: MIT
 */
#include <math.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include <gdal.h>
#include <ogr_api.h>

#include "cityweave/coverage.h"
#include "check.h"

#define NELEM(a) (sizeof (a) / sizeof (a)[0])
#define TOL 1e-9              /* fraction of a cell: agreement with GEOS */
#define SAME 1e-12            /* the same polygon written differently */
#define DATA "../shared/data/boundaries"

static struct cw_ctx *ctx;
static GEOSContextHandle_t h;

/* A grid of nx x ny cells of size @p cell whose row 0 is at the top and
 * whose lower left corner is (x0, y0). */
static struct cw_grid grid(int nx, int ny, double x0, double y0, double cell)
{
    struct cw_grid g = { nx, ny, { x0, cell, 0, y0 + ny * cell, 0, -cell }, NULL, 0 };
    return g;
}

static GEOSGeometry *wkt(const char *s)
{
    GEOSWKTReader *rd = GEOSWKTReader_create_r(h);
    GEOSGeometry *g = GEOSWKTReader_read_r(h, rd, s);
    GEOSWKTReader_destroy_r(h, rd);
    return g;
}

/* Fraction of grid cell (row, col), 0 outside the window. */
static double frac(const struct cw_cover *cv, int row, int col)
{
    int r = row - cv->row0, c = col - cv->col0;
    if (r < 0 || c < 0 || r >= cv->nrows || c >= cv->ncols)
        return 0;
    return cw_cover_at(cv, r, c);
}

/* Covers @p s (WKT) on @p g; fails the test and returns an empty cover
 * when the call fails. */
static struct cw_cover cover(const struct cw_grid *g, const char *s)
{
    struct cw_cover cv = { 0 };
    GEOSGeometry *p = wkt(s);
    CHECK(p != NULL);
    int rc = p ? cw_cover_polygon(ctx, g, p, &cv) : -1;
    CHECK(rc == CW_OK);
    if (rc > 0)
        fprintf(stderr, "cw_cover_polygon: %s\n", cw_ctx_errmsg(ctx));
    GEOSGeom_destroy_r(h, p);
    return cv;
}

/* Every fraction of @p cv against @p want (grid rows, top first; columns
 * 0..nx-1), tolerance @p tol. */
static void check_all(const struct cw_cover *cv, int nx, int ny, const double *want,
                      double tol)
{
    for (int r = 0; r < ny; r++)
        for (int c = 0; c < nx; c++)
            CHECK_NEAR(frac(cv, r, c), want[r * nx + c], tol);
}

static void test_bad_args(void)
{
    struct cw_grid g = grid(4, 4, 0, 0, 1);
    struct cw_cover cv = { 1, 2, 3, 4, (double *)&g };   /* must be zeroed */
    GEOSGeometry *pt = wkt("POINT (1 1)"), *sq = wkt("POLYGON ((0 0, 1 0, 1 1, 0 1, 0 0))");

    CHECK(cw_cover_polygon(ctx, &g, pt, &cv) == CW_ERR_ARG);
    CHECK(cv.frac == NULL && cv.nrows == 0 && cv.ncols == 0 && cv.row0 == 0);
    CHECK(strstr(cw_ctx_errmsg(ctx), "Polygon") != NULL);
    CHECK(cw_cover_polygon(ctx, &g, NULL, &cv) == CW_ERR_ARG);
    g.gt[2] = 0.1;
    CHECK(cw_cover_polygon(ctx, &g, sq, &cv) == CW_ERR_ARG);
    g = grid(4, 4, 0, 0, 1);
    g.gt[1] = 0;
    CHECK(cw_cover_polygon(ctx, &g, sq, &cv) == CW_ERR_ARG);
    g.gt[1] = NAN;
    CHECK(cw_cover_polygon(ctx, &g, sq, &cv) == CW_ERR_ARG);
    g = grid(4, 4, 0, 0, 1);
    g.ny = -1;
    CHECK(cw_cover_polygon(ctx, &g, sq, &cv) == CW_ERR_ARG && cv.frac == NULL);

    /* a vertex that turns infinite in grid units */
    g = grid(4, 4, 0, 0, 1e-300);
    GEOSGeometry *far = wkt("POLYGON ((0 0, 1e300 0, 0 1e-300, 0 0))");
    CHECK(cw_cover_polygon(ctx, &g, far, &cv) == CW_ERR_DATA && cv.frac == NULL);
    cw_cover_release(&cv);
    cw_cover_release(NULL);
    GEOSGeom_destroy_r(h, pt);
    GEOSGeom_destroy_r(h, sq);
    GEOSGeom_destroy_r(h, far);
}

/* A right triangle over a 2x2 block: one whole cell, two halves, one
 * empty; the same on a grid whose rows run upwards (gt[5] > 0), and on one
 * whose columns also run leftwards (gt[1] < 0). */
static void test_triangle(void)
{
    struct cw_grid g = grid(2, 2, 0, 0, 1);
    const char *t = "POLYGON ((0 0, 2 0, 0 2, 0 0))";
    double down[] = { 0.5, 0, 1, 0.5 }, up[] = { 1, 0.5, 0.5, 0 };
    struct cw_cover cv = cover(&g, t);
    CHECK(cv.row0 == 0 && cv.col0 == 0 && cv.nrows == 2 && cv.ncols == 2);
    check_all(&cv, 2, 2, down, 1e-15);
    cw_cover_release(&cv);
    CHECK(cv.frac == NULL && cv.nrows == 0);

    g.gt[3] = 0;
    g.gt[5] = 1;                          /* row 0 is now y in [0,1] */
    cv = cover(&g, t);
    check_all(&cv, 2, 2, up, 1e-15);
    cw_cover_release(&cv);

    g.gt[0] = 2;
    g.gt[1] = -1;                         /* and columns run leftwards */
    cv = cover(&g, t);
    double mirrored[] = { 0.5, 1, 0, 0.5 };
    check_all(&cv, 2, 2, mirrored, 1e-15);
    cw_cover_release(&cv);
}

/* |x-2| + |y-2| <= 2 on a 4x4 grid: the four middle cells whole, the
 * eight beside them halves, the corners empty (total 8 = its area). A
 * unit square centred on a grid corner: four quarters. */
static void test_diamond_quarters(void)
{
    struct cw_grid g = grid(4, 4, 0, 0, 1);
    double want[] = { 0, 0.5, 0.5, 0,  0.5, 1, 1, 0.5,  0.5, 1, 1, 0.5,  0, 0.5, 0.5, 0 };
    struct cw_cover cv = cover(&g, "POLYGON ((2 0, 4 2, 2 4, 0 2, 2 0))");
    check_all(&cv, 4, 4, want, 1e-15);
    cw_cover_release(&cv);

    double quarters[16] = { 0 };
    quarters[1 * 4 + 1] = quarters[1 * 4 + 2] = quarters[2 * 4 + 1] = quarters[2 * 4 + 2] = 0.25;
    cv = cover(&g, "POLYGON ((1.5 1.5, 2.5 1.5, 2.5 2.5, 1.5 2.5, 1.5 1.5))");
    CHECK(cv.row0 == 1 && cv.col0 == 1 && cv.nrows == 2 && cv.ncols == 2);
    check_all(&cv, 4, 4, quarters, 1e-15);
    cw_cover_release(&cv);
}

/* A rectangle on cell edges: exactly 1 inside and 0 outside, and a window
 * of just its cells; with a hole on cell edges the hole's cells are 0. */
static void test_aligned(void)
{
    struct cw_grid g = grid(6, 6, 100, 200, 10);
    struct cw_cover cv = cover(&g, "POLYGON ((110 220, 130 220, 130 250, 110 250, 110 220))");
    CHECK(cv.col0 == 1 && cv.ncols == 2 && cv.row0 == 1 && cv.nrows == 3);
    int exact = 1;
    for (int r = 0; r < 6; r++)
        for (int c = 0; c < 6; c++)
            exact &= frac(&cv, r, c) == (c >= 1 && c <= 2 && r >= 1 && r <= 3);
    CHECK(exact);
    cw_cover_release(&cv);

    cv = cover(&g, "POLYGON ((100 200, 160 200, 160 260, 100 260, 100 200),"
                   " (120 220, 120 240, 140 240, 140 220, 120 220))");
    exact = cv.nrows == 6 && cv.ncols == 6;
    for (int r = 0; r < 6; r++)
        for (int c = 0; c < 6; c++)
            exact &= frac(&cv, r, c) == !(c >= 2 && c <= 3 && r >= 2 && r <= 3);
    CHECK(exact);
    cw_cover_release(&cv);
}

/* A thin strip along a row: its long edges are horizontal and cross the
 * middle cells, which no other edge enters (0.2 of them each). */
static void test_thin(void)
{
    struct cw_grid g = grid(4, 4, 0, 0, 1);
    double want[16] = { 0 };
    want[2 * 4 + 0] = want[2 * 4 + 3] = 0.8 * 0.2;
    want[2 * 4 + 1] = want[2 * 4 + 2] = 0.2;
    struct cw_cover cv = cover(&g, "POLYGON ((0.2 1.4, 3.8 1.4, 3.8 1.6, 0.2 1.6, 0.2 1.4))");
    check_all(&cv, 4, 4, want, 1e-15);
    cw_cover_release(&cv);
    /* the same strip crossing the whole grid: no edge inside it at all */
    want[2 * 4 + 0] = want[2 * 4 + 3] = 0.2;
    cv = cover(&g, "POLYGON ((-1 1.4, 5 1.4, 5 1.6, -1 1.6, -1 1.4))");
    check_all(&cv, 4, 4, want, 1e-15);
    cw_cover_release(&cv);
}

/* A 4x4 square less a diamond hole through the middle four cells' outer
 * corners: those cells keep half. The hole written in the same direction
 * as the shell must not change anything. */
static void test_hole(void)
{
    struct cw_grid g = grid(4, 4, 0, 0, 1);
    double want[16];
    for (int i = 0; i < 16; i++)
        want[i] = 1;
    want[5] = want[6] = want[9] = want[10] = 0.5;
    const char *ccw = "POLYGON ((0 0, 4 0, 4 4, 0 4, 0 0), (2 1, 3 2, 2 3, 1 2, 2 1))";
    const char *cw = "POLYGON ((0 0, 4 0, 4 4, 0 4, 0 0), (2 1, 1 2, 2 3, 3 2, 2 1))";
    struct cw_cover cv = cover(&g, ccw);
    check_all(&cv, 4, 4, want, 1e-15);
    cw_cover_release(&cv);
    cv = cover(&g, cw);
    check_all(&cv, 4, 4, want, 1e-15);
    cw_cover_release(&cv);
}

/* Partly outside a 3x3 grid: only the bottom row's first two cells, half
 * and a quarter; wholly outside, or touching the grid only along its
 * edge: an empty window. */
static void test_outside(void)
{
    struct cw_grid g = grid(3, 3, 0, 0, 1);
    struct cw_cover cv = cover(&g, "POLYGON ((-1 -2, 1.5 -2, 1.5 0.5, -1 0.5, -1 -2))");
    CHECK(cv.row0 == 2 && cv.col0 == 0 && cv.nrows == 1 && cv.ncols == 2);
    CHECK_NEAR(frac(&cv, 2, 0), 0.5, 1e-15);
    CHECK_NEAR(frac(&cv, 2, 1), 0.25, 1e-15);
    cw_cover_release(&cv);

    /* covering the whole grid and more: every cell whole */
    cv = cover(&g, "POLYGON ((-5 -5, 9 -4, 8 9, -5 8, -5 -5))");
    CHECK(cv.row0 == 0 && cv.col0 == 0 && cv.nrows == 3 && cv.ncols == 3);
    double ones[9] = { 1, 1, 1, 1, 1, 1, 1, 1, 1 };
    check_all(&cv, 3, 3, ones, 1e-15);
    cw_cover_release(&cv);

    const char *none[] = {
        "POLYGON ((5 5, 6 5, 6 6, 5 5))",
        "POLYGON ((3 0, 4 0, 4 1, 3 1, 3 0))",          /* shares the grid's edge */
        "POLYGON ((-1 -1, 4 -1, 4 0, -1 0, -1 -1))",     /* shares the grid's bottom */
        "POLYGON EMPTY",
        "MULTIPOLYGON EMPTY",
    };
    for (size_t i = 0; i < NELEM(none); i++) {
        cv = cover(&g, none[i]);
        CHECK(cv.nrows == 0 && cv.ncols == 0 && cv.frac == NULL);
        cw_cover_release(&cv);
    }
    struct cw_grid empty = grid(0, 0, 0, 0, 1);
    cv = cover(&empty, "POLYGON ((0 0, 1 0, 1 1, 0 0))");
    CHECK(cv.nrows == 0 && cv.frac == NULL);
    cw_cover_release(&cv);
}

/* Inside one 10 m cell: a triangle of 16.5 m2 by the shoelace formula
 * ((5*7 - 2*1)/2 = 16.5) covers 0.165 of it. */
static void test_one_cell(void)
{
    struct cw_grid g = grid(6, 5, 100, 450, 10);     /* rows: y 500 down to 450 */
    struct cw_cover cv = cover(&g, "POLYGON ((132 472, 137 473, 134 479, 132 472))");
    CHECK(cv.row0 == 2 && cv.col0 == 3 && cv.nrows == 1 && cv.ncols == 1);
    CHECK_NEAR(frac(&cv, 2, 3), 0.165, 1e-14);
    cw_cover_release(&cv);
}

/* Two parts of a MultiPolygon, one with a hole, add up. */
static void test_multi(void)
{
    struct cw_grid g = grid(4, 2, 0, 0, 1);
    struct cw_cover cv = cover(&g, "MULTIPOLYGON (((0 0, 1 0, 0 1, 0 0)),"
                                   " ((2 0, 4 0, 4 2, 2 2, 2 0),"
                                   "  (3 0.5, 3.5 1, 3 1.5, 2.5 1, 3 0.5)))");
    double want[] = { 0, 0, 1 - 0.125, 1 - 0.125,  0.5, 0, 1 - 0.125, 1 - 0.125 };
    CHECK(cv.col0 == 0 && cv.ncols == 4);
    check_all(&cv, 4, 2, want, 1e-15);
    cw_cover_release(&cv);

    /* invalid: two overlapping parts count twice, but no cell exceeds 1 */
    cv = cover(&g, "MULTIPOLYGON (((0 0, 2 0, 2 2, 0 2, 0 0)), ((1 0, 1.5 0, 1.5 2, 1 2, 1 0)))");
    double clamped[] = { 1, 1, 0, 0,  1, 1, 0, 0 };
    check_all(&cv, 4, 2, clamped, 0);
    cw_cover_release(&cv);
}

/* ---- against GEOS ---- */

struct oracle_stats {
    double max_diff;      /* largest |ours - GEOS| seen, fraction of a cell */
    long cells;           /* cells compared */
    long cut;             /* of which cut by the boundary (GEOS intersected) */
    long not_exact;       /* cells GEOS finds clear of the boundary that are
                             not exactly 0 or 1 */
};

static GEOSGeometry *cell_box(const struct cw_grid *g, int row, int col)
{
    const double *gt = g->gt;
    double xa = gt[0] + col * gt[1], xb = gt[0] + (col + 1) * gt[1];
    double ya = gt[3] + row * gt[5], yb = gt[3] + (row + 1) * gt[5];
    return GEOSGeom_createRectangle_r(h, fmin(xa, xb), fmin(ya, yb), fmax(xa, xb), fmax(ya, yb));
}

/* GEOS's fraction of cell (row, col) inside @p poly: 0 if disjoint, 1 if
 * contained, else area(cell ∩ poly) / area(cell); -1 on a GEOS failure.
 * @p clear is set when the boundary does not touch the cell at all. */
static double geos_frac(const struct cw_grid *g, const GEOSGeometry *poly,
                        const GEOSPreparedGeometry *pp, int row, int col, long *cut,
                        int *clear)
{
    GEOSGeometry *box = cell_box(g, row, col), *x = NULL;
    double f = -1, a, cell;
    *clear = 0;
    if (!box)
        return -1;
    if (!GEOSPreparedIntersects_r(h, pp, box))
        *clear = 1, f = 0;
    else if (GEOSPreparedContains_r(h, pp, box))
        *clear = GEOSPreparedContainsProperly_r(h, pp, box) == 1, f = 1;
    else if ((x = GEOSIntersection_r(h, box, poly)) && GEOSArea_r(h, x, &a) &&
             GEOSArea_r(h, box, &cell)) {
        f = a / cell;
        ++*cut;
    }
    GEOSGeom_destroy_r(h, x);
    GEOSGeom_destroy_r(h, box);
    return f;
}

/* The covered area, @p sum fractions of a cell, against GEOS's area of
 * @p poly clipped to the grid (relative, @p tol, of at least a cell: that
 * also catches a window that misses cells). */
static void check_area(const struct cw_grid *g, const GEOSGeometry *poly, double sum,
                       double tol)
{
    const double *gt = g->gt;
    double cell = fabs(gt[1] * gt[5]);
    GEOSGeometry *ext = GEOSGeom_createRectangle_r(h,
        fmin(gt[0], gt[0] + g->nx * gt[1]), fmin(gt[3], gt[3] + g->ny * gt[5]),
        fmax(gt[0], gt[0] + g->nx * gt[1]), fmax(gt[3], gt[3] + g->ny * gt[5]));
    GEOSGeometry *in = ext ? GEOSIntersection_r(h, poly, ext) : NULL;
    double area = -1;
    CHECK(in && GEOSArea_r(h, in, &area));
    CHECK(fabs(sum * cell - area) <= tol * fmax(area, cell));
    GEOSGeom_destroy_r(h, in);
    GEOSGeom_destroy_r(h, ext);
}

/* Every cell of @p g under @p poly's envelope compared with GEOS: within
 * TOL, and exactly 0 or 1 where GEOS finds the boundary clear of the
 * cell; then the area (check_area). @return the cover, for callers that
 * need more. */
static struct cw_cover check_geos(const struct cw_grid *g, const GEOSGeometry *poly,
                                  double area_tol, struct oracle_stats *st)
{
    struct cw_cover cv = { 0 };
    CHECK(cw_cover_polygon(ctx, g, poly, &cv) == CW_OK);
    const GEOSPreparedGeometry *pp = GEOSPrepare_r(h, poly);
    double sum = 0, diff = 0;
    int ok = pp != NULL, clear;
    long not_exact = 0;
    for (int r = 0; ok && r < cv.nrows; r++)
        for (int c = 0; ok && c < cv.ncols; c++) {
            double f = cw_cover_at(&cv, r, c);
            double want = geos_frac(g, poly, pp, cv.row0 + r, cv.col0 + c, &st->cut, &clear);
            ok = want >= 0;
            diff = fmax(diff, fabs(f - want));
            not_exact += clear && f != want;
            sum += f;
        }
    CHECK(ok);
    CHECK(diff < TOL);
    CHECK(not_exact == 0);
    if (diff >= TOL || not_exact)
        fprintf(stderr, "  max |ours - GEOS| = %.3g, %ld not exact\n", diff, not_exact);
    st->max_diff = fmax(st->max_diff, diff);
    st->cells += (long)cv.nrows * cv.ncols;
    st->not_exact += not_exact;
    check_area(g, poly, sum, area_tol);
    GEOSPreparedGeom_destroy_r(h, pp);
    return cv;
}

/* Deterministic pseudo-random numbers in [0,1) (splitmix64). */
static double rnd(uint64_t *s)
{
    uint64_t z = (*s += 0x9e3779b97f4a7c15u);
    z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9u;
    z = (z ^ (z >> 27)) * 0x94d049bb133111ebu;
    return (double)((z ^ (z >> 31)) >> 11) * 0x1p-53;
}

/* @p n vertices of a star-shaped ring round (cx, cy), radii in [r0, r1];
 * one in three snapped to a quarter cell, so some vertices and edges lie
 * exactly on grid lines. */
static void star(uint64_t *s, double cx, double cy, double r0, double r1, int n, double *xy)
{
    for (int i = 0; i < n; i++) {
        double a = 2 * M_PI * (i + 0.8 * rnd(s)) / n, r = r0 + (r1 - r0) * rnd(s);
        xy[2 * i] = cx + r * cos(a);
        xy[2 * i + 1] = cy + r * sin(a);
        if (rnd(s) < 1.0 / 3) {
            xy[2 * i] = round(xy[2 * i] * 4) / 4;
            xy[2 * i + 1] = round(xy[2 * i + 1] * 4) / 4;
        }
    }
}

/* A closed ring through @p xy, starting at vertex @p start, backwards if
 * @p rev. */
static GEOSGeometry *ring(const double *xy, int n, int start, int rev)
{
    GEOSCoordSequence *cs = GEOSCoordSeq_create_r(h, (unsigned)n + 1, 2);
    for (int i = 0; i <= n; i++) {
        int k = ((rev ? -i : i) + start + n) % n;
        GEOSCoordSeq_setXY_r(h, cs, (unsigned)i, xy[2 * k], xy[2 * k + 1]);
    }
    return GEOSGeom_createLinearRing_r(h, cs);
}

static GEOSGeometry *star_polygon(const double *shell, int ns, const double *hole, int nh,
                                  int start, int rev)
{
    GEOSGeometry *holes[1];
    if (nh)
        holes[0] = ring(hole, nh, start % nh, !rev);
    return GEOSGeom_createPolygon_r(h, ring(shell, ns, start % ns, rev), holes, nh ? 1 : 0);
}

/* Random star polygons with star holes on small grids of either row and
 * column direction, many reaching off the grid, against GEOS; and each
 * polygon again with its rings started elsewhere and reversed. */
static void test_random(void)
{
    uint64_t s = 42;
    struct oracle_stats st = { 0 };
    double shell[2 * 60], hole[2 * 30], worst = 0;
    int valid = 0;
    for (int t = 0; t < 300; t++) {
        struct cw_grid g = grid(12, 9, -3, 2, 1);
        if (t % 3 == 1) {                              /* rows upwards */
            g.gt[3] = 2;
            g.gt[5] = 1;
        }
        if (t % 5 == 2) {                              /* columns leftwards */
            g.gt[0] = 9;
            g.gt[1] = -1;
        }
        int ns = 3 + (int)(rnd(&s) * 57), nh = t % 2 ? 3 + (int)(rnd(&s) * 27) : 0;
        double cx = -4 + 18 * rnd(&s), cy = 1 + 11 * rnd(&s), r1 = 0.3 + 6 * rnd(&s);
        star(&s, cx, cy, 0.5 * r1, r1, ns, shell);
        star(&s, cx, cy, 0.05 * r1, 0.4 * r1, nh, hole);
        GEOSGeometry *p = star_polygon(shell, ns, hole, nh, 0, 0);
        if (!p || GEOSisValid_r(h, p) != 1) {          /* snapping can break one */
            GEOSGeom_destroy_r(h, p);
            continue;
        }
        valid++;
        struct cw_cover a = check_geos(&g, p, 1e-12, &st), b = { 0 };
        GEOSGeometry *q = star_polygon(shell, ns, hole, nh, 1 + t % 7, 1);
        CHECK(cw_cover_polygon(ctx, &g, q, &b) == CW_OK);
        int same = a.nrows == b.nrows && a.ncols == b.ncols && a.row0 == b.row0 && a.col0 == b.col0;
        for (int i = 0; same && i < a.nrows * a.ncols; i++)
            worst = fmax(worst, fabs(a.frac[i] - b.frac[i]));
        CHECK(same && worst < SAME);
        cw_cover_release(&a);
        cw_cover_release(&b);
        GEOSGeom_destroy_r(h, p);
        GEOSGeom_destroy_r(h, q);
    }
    CHECK(valid > 250 && st.cut > 1000);
    printf("random: %d polygons, %ld cells (%ld cut), max |ours - GEOS| %.2g, "
           "%ld clear cells not 0/1, start/direction %.2g\n", valid, st.cells, st.cut,
           st.max_diff, st.not_exact, worst);
}

/* ---- real data ---- */

static int have_data(const char *path)
{
    struct stat sb;
    if (stat(path, &sb) == 0)
        return 1;
    printf("skipped: '%s' not found (tests run from the repo root)\n", path);
    return 0;
}

/* The next polygon of @p lyr as GEOS (caller frees), NULL at the end or
 * when one cannot be converted (a test failure). */
static GEOSGeometry *next_polygon(OGRLayerH lyr)
{
    OGRFeatureH f;
    GEOSGeometry *g = NULL;
    while (!g && (f = OGR_L_GetNextFeature(lyr))) {
        OGRGeometryH og = OGR_F_GetGeometryRef(f);
        size_t n = og ? (size_t)OGR_G_WkbSize(og) : 0;
        unsigned char *wkb = n ? malloc(n) : NULL;
        if (wkb && OGR_G_ExportToWkb(og, wkbNDR, wkb) == OGRERR_NONE)
            g = GEOSGeomFromWKB_buf_r(h, wkb, n);
        CHECK(g != NULL);
        free(wkb);
        OGR_F_Destroy(f);
        if (!og)
            break;
    }
    return g;
}

/* Reads every polygon of @p path's first layer (or those matching @p where
 * in layer @p layer) into @p out, up to @p max. @return how many. */
static int read_polygons(const char *path, const char *layer, const char *where,
                         GEOSGeometry **out, int max)
{
    OGRDataSourceH ds = OGROpen(path, 0, NULL);
    OGRLayerH lyr = !ds ? NULL : layer ? OGR_DS_GetLayerByName(ds, layer) : OGR_DS_GetLayer(ds, 0);
    int n = 0;
    CHECK(lyr != NULL);
    if (lyr && where)
        CHECK(OGR_L_SetAttributeFilter(lyr, where) == OGRERR_NONE);
    for (GEOSGeometry *g; lyr && n < max && (g = next_polygon(lyr)); )
        out[n++] = g;
    if (ds)
        OGR_DS_Destroy(ds);
    return n;
}

/* Cells of the Belgian grid: sums of the municipalities' fractions at most
 * 1, exactly 1 (to TOL) where GEOS says their union covers the cell and 0
 * where it misses it. Consumes @p geoms. */
static void check_tiling(const struct cw_grid *g, const double *sum,
                         GEOSGeometry **geoms, int n)
{
    GEOSGeometry *all = GEOSGeom_createCollection_r(h, GEOS_GEOMETRYCOLLECTION, geoms, (unsigned)n);
    GEOSGeometry *u = all ? GEOSUnaryUnion_r(h, all) : NULL;
    const GEOSPreparedGeometry *pu = u ? GEOSPrepare_r(h, u) : NULL;
    long inside = 0, outside = 0, over = 0, off = 0;
    CHECK(pu != NULL);
    for (int r = 0; pu && r < g->ny; r++)
        for (int c = 0; c < g->nx; c++) {
            double s = sum[(size_t)r * g->nx + c];
            GEOSGeometry *box = cell_box(g, r, c);
            over += s > 1 + TOL;
            if (GEOSPreparedCovers_r(h, pu, box) == 1) {
                inside++;
                off += fabs(s - 1) > TOL;
            } else if (GEOSPreparedIntersects_r(h, pu, box) == 0) {
                outside++;
                off += s != 0;
            }
            GEOSGeom_destroy_r(h, box);
        }
    CHECK(over == 0);
    CHECK(off == 0);
    CHECK(inside > 25000 && outside > 20000);   /* Belgium: 30,646 km2 of 66,357 */
    printf("belgium tiling: %ld cells inside, %ld outside, %ld sums above 1, %ld off\n",
           inside, outside, over, off);
    GEOSPreparedGeom_destroy_r(h, pu);
    GEOSGeom_destroy_r(h, u);
    GEOSGeom_destroy_r(h, all);
}

/* The 581 municipalities on the GHSL 1 km Mollweide grid. */
static void test_belgium(void)
{
    const char *path = DATA "/belgium/belgium_municipalities_statbel2024_mollweide.gpkg";
    if (!have_data(path))
        return;
    struct cw_grid g = { 303, 219, { 187000, 1000, 0, 6035000, 0, -1000 }, NULL, 0 };
    GEOSGeometry *geoms[600];
    double *sum = calloc((size_t)g.nx * g.ny, sizeof *sum);
    struct oracle_stats st = { 0 };
    int n = read_polygons(path, NULL, NULL, geoms, 600);
    CHECK(n == 581 && sum != NULL);
    for (int i = 0; sum && i < n; i++) {
        struct cw_cover cv = check_geos(&g, geoms[i], 1e-9, &st);
        for (int r = 0; r < cv.nrows; r++)
            for (int c = 0; c < cv.ncols; c++)
                sum[(size_t)(cv.row0 + r) * g.nx + cv.col0 + c] += cw_cover_at(&cv, r, c);
        cw_cover_release(&cv);
    }
    printf("belgium: %d municipalities, %ld cells (%ld cut), max |ours - GEOS| %.2g, "
           "%ld clear cells not 0/1\n", n, st.cells, st.cut, st.max_diff, st.not_exact);
    if (sum)
        check_tiling(&g, sum, geoms, n);
    else
        for (int i = 0; i < n; i++)
            GEOSGeom_destroy_r(h, geoms[i]);
    free(sum);
}

/* Japanese municipalities in lon/lat on a 0.0005 degree grid (about 45 x
 * 55 m) whose lines do not fall on round numbers. */
static void test_japan(void)
{
    const char *path = DATA "/japan/jp_municipalities_pop2020.gpkg";
    const char *code[] = { "20201", "42209" };   /* Nagano city; Tsushima */
    if (!have_data(path))
        return;
    for (size_t i = 0; i < NELEM(code); i++) {
        char where[64];
        GEOSGeometry *p = NULL;
        snprintf(where, sizeof where, "N03_007 = '%s'", code[i]);
        CHECK(read_polygons(path, "wards_s0010", where, &p, 1) == 1);
        if (!p)
            continue;
        struct cw_grid g = { 20000, 8000, { 128.9001234, 0.0005, 0, 37.5003, 0, -0.0005 },
                             NULL, 1 };
        struct oracle_stats st = { 0 };
        struct cw_cover cv = check_geos(&g, p, 1e-9, &st);
        CHECK(st.cells > 500000 && st.cut > 3000);
        printf("japan %s: %d points, %ld cells (%ld cut), max |ours - GEOS| %.2g, "
               "%ld clear cells not 0/1\n", code[i], GEOSGetNumCoordinates_r(h, p), st.cells,
               st.cut, st.max_diff, st.not_exact);
        cw_cover_release(&cv);
        GEOSGeom_destroy_r(h, p);
    }
}

int main(void)
{
    ctx = cw_ctx_new();
    if (!ctx)
        return 1;
    h = cw_ctx_geos(ctx);
    OGRRegisterAll();
    test_bad_args();
    test_triangle();
    test_diamond_quarters();
    test_aligned();
    test_hole();
    test_thin();
    test_outside();
    test_one_cell();
    test_multi();
    test_random();
    test_belgium();
    test_japan();
    cw_ctx_free(ctx);
    return CHECK_DONE();
}
