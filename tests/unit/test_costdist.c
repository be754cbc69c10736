/* test_costdist.c: cost distance against oracles that share no code with
 * it: costs and allocations worked out by hand, PROJ's `geod` and the
 * closed-form length of a parallel on lon/lat grids, and the proven worst
 * case of 8- and 16-neighbour paths against straight lines and geodesics.
 *
 * With CW_COSTDIST_PEER_DIR=DIR set it runs no tests: it reads DIR/meta.txt
 * ("nx ny cellsize knight" then the source cells) and DIR/friction.f32 (raw
 * float32, little-endian, row-major from the top row), and writes
 * DIR/cost.f64 and DIR/origin.i32 for tests/cli/costdist_peer.py, which
 * compares them with scikit-image and GRASS, and for bench/costdist.sh.
 * SPDX-License-Identifier: MIT
 */
#include <geodesic.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "cityweave/costdist.h"
#include "check.h"

#define NELEM(a) (sizeof (a) / sizeof (a)[0])
#define SQRT2 1.4142135623730951
#define TOL 1e-9   /* metres or cost units: hand values are exact sums */

static const struct cw_costdist_opts eight = { 0 }, sixteen = { 1 };

static struct cw_grid grid_m(int nx, int ny, double dx, double dy)
{
    return (struct cw_grid){ nx, ny, { 0, dx, 0, ny * dy, 0, -dy }, NULL, 0 };
}

/* A lon/lat grid whose cell (0, 0) is centred on (lon0, lat0), north-up. */
static struct cw_grid grid_ll(int nx, int ny, double lon0, double lat0, double deg)
{
    return (struct cw_grid){ nx, ny, { lon0 - deg / 2, deg, 0, lat0 + deg / 2, 0, -deg },
                             NULL, 1 };
}

static float *filled(const struct cw_grid *g, float v)
{
    size_t n = (size_t)g->nx * g->ny;
    float *f = malloc(n * sizeof *f);
    for (size_t i = 0; i < n; i++)
        f[i] = v;
    return f;
}

static size_t at(const struct cw_grid *g, int row, int col)
{
    return (size_t)row * g->nx + col;
}

/* Runs cw_costdist, which must succeed; the caller frees *cost, *origin. */
static int run(struct cw_ctx *ctx, const struct cw_grid *g, const float *f,
               const size_t *src, size_t nsrc, const struct cw_costdist_opts *o,
               double **cost, int32_t **origin)
{
    int rc = cw_costdist(ctx, g, f, src, nsrc, o, cost, origin);
    if (rc != CW_OK)
        fprintf(stderr, "cw_costdist: %s\n", cw_ctx_errmsg(ctx));
    return rc;
}

/* --- failure paths ------------------------------------------------------ */

/* One bad call: CW_ERR_ARG, a message naming the problem, no outputs. */
static void check_refused(struct cw_ctx *ctx, const struct cw_grid *g, const float *f,
                          const size_t *src, size_t nsrc, const char *says)
{
    double *cost = (double *)1;
    int32_t *origin = (int32_t *)1;
    CHECK(cw_costdist(ctx, g, f, src, nsrc, &eight, &cost, &origin) == CW_ERR_ARG);
    CHECK(cost == NULL && origin == NULL);
    if (!strstr(cw_ctx_errmsg(ctx), says))
        fprintf(stderr, "message '%s' lacks '%s'\n", cw_ctx_errmsg(ctx), says);
    CHECK(strstr(cw_ctx_errmsg(ctx), says) != NULL);
}

static void test_bad_input(struct cw_ctx *ctx)
{
    struct cw_grid g = grid_m(5, 5, 100, 100);
    float *f = filled(&g, 1);
    size_t ok = at(&g, 2, 2), outside = 25, nan_cell = at(&g, 1, 1), neg = at(&g, 3, 3);
    f[nan_cell] = NAN;
    f[neg] = -1;
    check_refused(ctx, &g, f, &ok, 0, "no sources");
    size_t two[] = { ok, outside };
    check_refused(ctx, &g, f, two, 2, "source 1: cell 25 is outside the 5 x 5 grid");
    check_refused(ctx, &g, f, &nan_cell, 1, "source 0: cell 6 (row 1, col 1) is impassable");
    check_refused(ctx, &g, f, &neg, 1, "(row 3, col 3) is impassable (friction -1)");
    f[ok] = INFINITY;
    check_refused(ctx, &g, f, &ok, 1, "impassable (friction inf)");
    f[ok] = 1;
    struct cw_grid rotated = g;
    rotated.gt[2] = 0.5;
    check_refused(ctx, &rotated, f, &ok, 1, "not north-up");
    struct cw_grid empty = grid_m(0, 5, 100, 100);
    check_refused(ctx, &empty, f, &ok, 1, "empty grid");
    struct cw_grid huge = grid_m(70000, 70000, 1, 1);
    check_refused(ctx, &huge, f, &ok, 1, "more than 2^32 - 1 cells");
    free(f);
}

/* Cancelling through the progress callback stops the search. */
static int cancel_third(double done, const char *msg, void *arg)
{
    (void)done, (void)msg;
    return ++*(int *)arg < 3;
}

struct calls {
    int n, monotone;
    double last;
};
static int record(double done, const char *msg, void *arg)
{
    struct calls *c = arg;
    (void)msg;
    c->monotone &= done >= c->last;
    c->last = done;
    c->n++;
    return 1;
}

static void test_progress(struct cw_ctx *ctx)
{
    struct cw_grid g = grid_m(100, 100, 1, 1);
    float *f = filled(&g, 1);
    size_t src = at(&g, 50, 50);
    double *cost;
    int32_t *origin;
    int n = 0;
    cw_ctx_set_progress(ctx, cancel_third, &n);
    CHECK(cw_costdist(ctx, &g, f, &src, 1, &eight, &cost, &origin) == CW_ERR_ARG);
    CHECK(cost == NULL && origin == NULL && n == 3);
    CHECK(strstr(cw_ctx_errmsg(ctx), "interrupted") != NULL);

    struct calls c = { 0, 1, 0 };
    cw_ctx_set_progress(ctx, record, &c);
    CHECK(run(ctx, &g, f, &src, 1, &eight, &cost, NULL) == CW_OK);
    CHECK(c.n >= 20 && c.n <= 60);   /* about every 2% */
    CHECK(c.monotone && c.last == 1.0);
    cw_ctx_set_progress(ctx, NULL, NULL);
    free(cost);
    free(f);
}

/* --- hand-computed costs ------------------------------------------------ */

/* Uniform friction 1 on 100 m cells from the centre of a 5 x 5 grid:
 * the corner is two diagonals, the middle of an edge two straight moves;
 * the knight cell (row 0, col 1) is one straight and one diagonal move
 * with 8 neighbours, one knight's move of sqrt(5) cells with 16. */
static void test_uniform(struct cw_ctx *ctx)
{
    struct cw_grid g = grid_m(5, 5, 100, 100);
    float *f = filled(&g, 1);
    size_t src = at(&g, 2, 2);
    double *c8, *c16;
    int32_t *o8;
    if (run(ctx, &g, f, &src, 1, &eight, &c8, &o8) || run(ctx, &g, f, &src, 1, &sixteen, &c16, NULL)) {
        CHECK(0);
        return;
    }
    CHECK(c8[src] == 0 && c16[src] == 0);
    CHECK_NEAR(c8[at(&g, 0, 0)], 200 * SQRT2, TOL);
    CHECK_NEAR(c8[at(&g, 4, 4)], 200 * SQRT2, TOL);
    CHECK_NEAR(c8[at(&g, 0, 2)], 200, TOL);
    CHECK_NEAR(c8[at(&g, 2, 4)], 200, TOL);
    CHECK_NEAR(c8[at(&g, 0, 1)], 100 + 100 * SQRT2, TOL);
    CHECK_NEAR(c8[at(&g, 3, 4)], 100 + 100 * SQRT2, TOL);
    CHECK_NEAR(c16[at(&g, 0, 1)], 100 * sqrt(5), TOL);
    CHECK_NEAR(c16[at(&g, 3, 4)], 100 * sqrt(5), TOL);
    CHECK_NEAR(c16[at(&g, 0, 0)], 200 * SQRT2, TOL);
    CHECK_NEAR(c16[at(&g, 0, 2)], 200, TOL);
    int all_zero = 1;
    for (int i = 0; i < 25; i++)
        all_zero &= o8[i] == 0;
    CHECK(all_zero);
    free(c8);
    free(o8);
    free(c16);
    free(f);
}

/* Each move costs the mean friction of its two cells times its length:
 * along a row of 10 m cells with friction 1..5 the costs are 10 * (1+2)/2,
 * then + 10 * (2+3)/2, ... A cell 30 m wide and 40 m tall has a 50 m
 * diagonal. */
static void test_mean_of_cells(struct cw_ctx *ctx)
{
    struct cw_grid row = grid_m(5, 1, 10, 10);
    float f[] = { 1, 2, 3, 4, 5 };
    size_t src = 0;
    double *cost, want[] = { 0, 15, 40, 75, 120 };
    if (run(ctx, &row, f, &src, 1, &sixteen, &cost, NULL) == CW_OK) {
        for (size_t i = 0; i < NELEM(want); i++)
            CHECK_NEAR(cost[i], want[i], TOL);
        free(cost);
    }
    struct cw_grid g = grid_m(3, 3, 30, 40);
    float *one = filled(&g, 1);
    src = at(&g, 1, 1);
    if (run(ctx, &g, one, &src, 1, &eight, &cost, NULL) == CW_OK) {
        CHECK_NEAR(cost[at(&g, 0, 0)], 50, TOL);
        CHECK_NEAR(cost[at(&g, 1, 0)], 30, TOL);
        CHECK_NEAR(cost[at(&g, 0, 1)], 40, TOL);
        free(cost);
    }
    free(one);
}

/* A knight's move from (0,0) to (1,2) crosses (0,0), (0,1), (1,1), (1,2)
 * a quarter of its length each. With friction 1, 9, 9, 1 there and 100
 * elsewhere it costs (1+9+9+1)/4 * sqrt(5) * 100 = 500 sqrt(5) = 1118.03,
 * cheaper than a straight then a diagonal move through a 9 (500 + 707.11);
 * the mean of its two end cells alone would give 223.6. */
static void test_knight_crosses_four_cells(struct cw_ctx *ctx)
{
    struct cw_grid g = grid_m(3, 2, 100, 100);
    float f[] = { 1, 9, 100,
                  100, 9, 1 };
    size_t src = 0;
    double *cost;
    if (run(ctx, &g, f, &src, 1, &sixteen, &cost, NULL) == CW_OK) {
        CHECK_NEAR(cost[at(&g, 1, 2)], 500 * sqrt(5), TOL);
        free(cost);
    }
    if (run(ctx, &g, f, &src, 1, &eight, &cost, NULL) == CW_OK) {
        CHECK_NEAR(cost[at(&g, 1, 2)], 500 + 500 * SQRT2, TOL);
        free(cost);
    }
}

/* --- allocation and ties ------------------------------------------------ */

static int same_origins(const int32_t *got, const int32_t *want, int n)
{
    for (int i = 0; i < n; i++)
        if (got[i] != want[i]) {
            fprintf(stderr, "origin of cell %d: %d, expected %d\n", i, got[i], want[i]);
            return 0;
        }
    return 1;
}

/* Sources in opposite corners of a uniform grid split it along the
 * anti-diagonal, whose cells are equally far from both (the same moves in
 * mirrored order); those go to the source listed first. */
static void test_two_sources(struct cw_ctx *ctx)
{
    struct cw_grid g = grid_m(5, 5, 100, 100);
    float *f = filled(&g, 1);
    size_t src[] = { at(&g, 0, 0), at(&g, 4, 4) }, rev[] = { src[1], src[0] };
    static const int32_t want[25] = {
        0, 0, 0, 0, 0,
        0, 0, 0, 0, 1,
        0, 0, 0, 1, 1,
        0, 0, 1, 1, 1,
        0, 1, 1, 1, 1,
    };
    static const int32_t want_rev[25] = {
        1, 1, 1, 1, 0,
        1, 1, 1, 0, 0,
        1, 1, 0, 0, 0,
        1, 0, 0, 0, 0,
        0, 0, 0, 0, 0,
    };
    double *cost;
    int32_t *origin;
    for (int knight = 0; knight <= 1; knight++) {
        const struct cw_costdist_opts *o = knight ? &sixteen : &eight;
        if (run(ctx, &g, f, src, 2, o, &cost, &origin) == CW_OK) {
            CHECK(same_origins(origin, want, 25));
            CHECK_NEAR(cost[at(&g, 0, 4)], 400, TOL);
            CHECK_NEAR(cost[at(&g, 2, 2)], 200 * SQRT2, TOL);
            free(cost);
            free(origin);
        }
        if (run(ctx, &g, f, rev, 2, o, &cost, &origin) == CW_OK) {
            CHECK(same_origins(origin, want_rev, 25));
            free(cost);
            free(origin);
        }
    }
    free(f);
}

/* With zero friction every cell is at cost 0 from every source: all go to
 * the source listed first, though the other sources are expanded too and
 * reach cells first in some heap orders. A cell listed twice keeps its
 * first index. */
static void test_zero_friction_ties(struct cw_ctx *ctx)
{
    struct cw_grid g = grid_m(7, 6, 10, 10);
    float *f = filled(&g, 0);
    size_t src[] = { at(&g, 5, 6), at(&g, 0, 0), at(&g, 2, 3), at(&g, 5, 6) };
    double *cost;
    int32_t *origin;
    if (run(ctx, &g, f, src, NELEM(src), &sixteen, &cost, &origin) == CW_OK) {
        int ok = 1;
        for (int i = 0; i < g.nx * g.ny; i++)
            ok &= cost[i] == 0 && origin[i] == 0;
        CHECK(ok);
        free(cost);
        free(origin);
    }
    free(f);
}

/* --- impassable cells ------------------------------------------------- */

static int unreachable(const double *cost, const int32_t *origin, size_t i)
{
    return isnan(cost[i]) && origin[i] == -1;
}

/* Column 2 impassable (NaN, or negative): columns 3 and 4 cannot be reached
 * with 8 or 16 neighbours (a knight does not jump it). With a gap at the
 * bottom, (2,4) is two diagonals to the gap and two back up: 400 sqrt(2). */
static void test_wall(struct cw_ctx *ctx)
{
    struct cw_grid g = grid_m(5, 5, 100, 100);
    float *f = filled(&g, 1);
    size_t src = at(&g, 2, 0);
    double *cost;
    int32_t *origin;
    for (int knight = 0; knight <= 1; knight++)
        for (int k = 0; k < 2; k++) {
            for (int r = 0; r < 5; r++)
                f[at(&g, r, 2)] = k ? -1.0f : NAN;
            if (run(ctx, &g, f, &src, 1, knight ? &sixteen : &eight, &cost, &origin))
                continue;
            int cut = 1;
            for (int r = 0; r < 5; r++)
                for (int c = 2; c < 5; c++)
                    cut &= unreachable(cost, origin, at(&g, r, c));
            CHECK(cut);
            CHECK_NEAR(cost[at(&g, 4, 1)], knight ? 100 * sqrt(5) : 100 + 100 * SQRT2, TOL);
            free(cost);
            free(origin);
            f[at(&g, 4, 2)] = 1;                       /* the gap */
            if (run(ctx, &g, f, &src, 1, knight ? &sixteen : &eight, &cost, &origin))
                continue;
            CHECK_NEAR(cost[at(&g, 2, 4)], 400 * SQRT2, TOL);
            CHECK(origin[at(&g, 2, 4)] == 0);
            CHECK(unreachable(cost, origin, at(&g, 0, 2)));
            free(cost);
            free(origin);
        }
    free(f);
}

/* A diagonal move between two impassable cells that touch at a corner is
 * allowed, as in GRASS r.cost and scikit-image: the segment only grazes
 * them. A cell walled in on all eight sides stays unreachable. */
static void test_corners(struct cw_ctx *ctx)
{
    struct cw_grid g = grid_m(5, 5, 100, 100);
    float *f = filled(&g, 1);
    f[at(&g, 0, 1)] = f[at(&g, 1, 0)] = NAN;
    size_t src = at(&g, 0, 0);
    double *cost;
    int32_t *origin;
    if (run(ctx, &g, f, &src, 1, &eight, &cost, &origin) == CW_OK) {
        CHECK_NEAR(cost[at(&g, 1, 1)], 100 * SQRT2, TOL);
        free(cost);
        free(origin);
    }
    free(f);
    f = filled(&g, NAN);
    f[at(&g, 0, 0)] = f[at(&g, 2, 2)] = 1;       /* ring of NaN round (2,2) */
    for (int k = 0; k <= 1; k++)
        if (run(ctx, &g, f, &src, 1, k ? &sixteen : &eight, &cost, &origin) == CW_OK) {
            CHECK(unreachable(cost, origin, at(&g, 2, 2)));
            CHECK(cost[0] == 0 && origin[0] == 0);
            free(cost);
            free(origin);
        }
    free(f);
}

/* --- bounds: grid paths against straight lines ------------------------ */

/* The shortest grid path towards a direction between two adjacent move
 * directions u1, u2 (angle a apart) combines only those two moves; for a
 * target at angle t from u1 the sine rule gives the ratio of its length to
 * the straight line as cos(a/2 - t) / cos(a/2), at most 1 / cos(a/2) (at
 * t = a/2). 8 neighbours on square cells: a = 45 deg, 1.0824 (8.24%);
 * 16: a = atan(1/2) = 26.57 deg, 1.02749 (2.75%). @p dir holds the move directions
 * of one quadrant, ascending from 0 to 90 degrees (radians). */
static double worst_ratio(const double *dir, int n)
{
    double a = 0;
    for (int i = 1; i < n; i++)
        a = fmax(a, dir[i] - dir[i - 1]);
    return 1 / cos(a / 2);
}

/* Directions of a quadrant's moves on cells dx wide and dy tall. */
static int quadrant(double dx, double dy, int knight, double *dir)
{
    int n = 0;
    dir[n++] = 0;
    if (knight)
        dir[n++] = atan2(dy, 2 * dx);
    dir[n++] = atan2(dy, dx);
    if (knight)
        dir[n++] = atan2(2 * dy, dx);
    dir[n++] = M_PI / 2;
    return n;
}

/* Ratios cost / straight line over a uniform 201 x 201 grid from its
 * centre: never below 1, never above the bound, and close to it (the grid
 * has cells near the worst direction, so the check has teeth). */
static void test_bound_projected(struct cw_ctx *ctx)
{
    struct cw_grid g = grid_m(201, 201, 1, 1);
    float *f = filled(&g, 1);
    size_t src = at(&g, 100, 100);
    for (int knight = 0; knight <= 1; knight++) {
        double dir[5], *cost, lo = INFINITY, hi = 0;
        double bound = worst_ratio(dir, quadrant(1, 1, knight, dir));
        CHECK_NEAR(bound, knight ? 1.0274863 : sqrt(4 - 2 * SQRT2), 1e-7);
        if (run(ctx, &g, f, &src, 1, knight ? &sixteen : &eight, &cost, NULL))
            continue;
        for (int r = 0; r < 201; r++)
            for (int c = 0; c < 201; c++) {
                double d = hypot(r - 100, c - 100);
                if (d > 0) {
                    lo = fmin(lo, cost[at(&g, r, c)] / d);
                    hi = fmax(hi, cost[at(&g, r, c)] / d);
                }
            }
        CHECK(lo >= 1 - 1e-12);
        CHECK(hi <= bound + 1e-12);
        CHECK(hi >= bound - 0.001);
        free(cost);
    }
    free(f);
}

/* --- lon/lat grids ---------------------------------------------------- */

/* The length of an arc of the parallel at latitude lat (degrees) spanning
 * dlon degrees on WGS84: N(lat) cos(lat) dlon, N the prime vertical radius
 * of curvature a / sqrt(1 - e^2 sin^2 lat). */
static double parallel_arc(double lat, double dlon)
{
    const double a = 6378137.0, f = 1 / 298.257223563, e2 = f * (2 - f);
    double s = sin(lat * M_PI / 180);
    return a / sqrt(1 - e2 * s * s) * cos(lat * M_PI / 180) * dlon * M_PI / 180;
}

/* 61 x 41 cells of 0.01 degree, cell (20, 0) centred on 139 E 35 N, friction
 * 1: costs are metres. Along the column the path follows the meridian, a
 * geodesic, so its cost is the geodesic distance; distances from PROJ 9.1:
 *   echo 35.0 139.0 35.2 139.0 | geod +ellps=WGS84 -I +units=m -F %.6f
 * Along the row it follows the parallel (a detour through another row costs
 * hundreds of metres more than the few millimetres the parallel's curve
 * loses), so its cost is the parallel's arc length, which exceeds the
 * geodesic between its ends (the parallel is not a geodesic) by 4.8 cm:
 *   echo 35.0 139.0 35.0 139.5 | geod ... gives 45644.037174 m. */
static void test_lonlat_lines(struct cw_ctx *ctx)
{
    struct cw_grid g = grid_ll(61, 41, 139.0, 35.2, 0.01);
    float *f = filled(&g, 1);
    size_t src = at(&g, 20, 0);
    double *cost;
    if (run(ctx, &g, f, &src, 1, &eight, &cost, NULL) == CW_OK) {
        CHECK_NEAR(cost[at(&g, 0, 0)], 22188.481437, 1e-5);    /* to 35.2 N */
        CHECK_NEAR(cost[at(&g, 40, 0)], 22187.748999, 1e-5);   /* to 34.8 N */
        double row = cost[at(&g, 20, 50)];                     /* to 139.5 E */
        CHECK_NEAR(row, parallel_arc(35.0, 0.5), 1e-4);
        CHECK(row > 45644.037174 + 0.04 && row < 45644.037174 + 0.05);
        free(cost);
    }
    free(f);
}

/* Costs from a source against the geodesic distance to each cell centre
 * (PROJ's geod_inverse, called here): never below it, since every move is
 * a geodesic segment; never above it by more than the planar bound for the
 * cells' local shape (a = cell width, b = height from geod_inverse between
 * neighbouring centres; the worst row decides), with 1e-4 for the Earth's
 * curvature over 60 km. At 35 N 0.01-degree cells are 0.82 times as wide
 * as tall, so the 8-neighbour bound is 10.6%, not 8.24%. */
static void test_lonlat_bound(struct cw_ctx *ctx)
{
    struct cw_grid g = grid_ll(61, 41, 139.0, 35.2, 0.01);
    struct geod_geodesic wgs84;
    geod_init(&wgs84, 6378137, 1 / 298.257223563);
    float *f = filled(&g, 1);
    size_t src = at(&g, 20, 30);
    double lon0 = 139.3, lat0 = 35.0;
    for (int knight = 0; knight <= 1; knight++) {
        double *cost, lo = INFINITY, hi = 0, bound = 0;
        for (int r = 0; r + 1 < g.ny; r++) {
            double lat = 35.2 - 0.01 * r, a, b, dir[5];
            geod_inverse(&wgs84, lat, 0, lat, 0.01, &a, NULL, NULL);
            geod_inverse(&wgs84, lat, 0, lat - 0.01, 0, &b, NULL, NULL);
            bound = fmax(bound, worst_ratio(dir, quadrant(a, b, knight, dir)));
        }
        CHECK(bound > (knight ? 1.038 : 1.105) && bound < (knight ? 1.039 : 1.107));
        if (run(ctx, &g, f, &src, 1, knight ? &sixteen : &eight, &cost, NULL))
            continue;
        for (int r = 0; r < g.ny; r++)
            for (int c = 0; c < g.nx; c++) {
                double s;
                geod_inverse(&wgs84, lat0, lon0, 35.2 - 0.01 * r, 139.0 + 0.01 * c, &s,
                             NULL, NULL);
                if (s > 0) {
                    lo = fmin(lo, cost[at(&g, r, c)] / s);
                    hi = fmax(hi, cost[at(&g, r, c)] / s);
                }
            }
        CHECK(lo >= 1 - 1e-9);          /* centres rounded differently here */
        CHECK(hi <= bound * (1 + 1e-4));
        CHECK(hi >= bound - 0.005);
        free(cost);
    }
    free(f);
}

/* --- peer mode ---------------------------------------------------------- */

static int read_meta(const char *dir, struct cw_grid *g, int *knight, size_t **src, size_t *nsrc)
{
    char path[4096];
    double cell;
    size_t cap = 16, v;
    snprintf(path, sizeof path, "%s/meta.txt", dir);
    FILE *fp = fopen(path, "r");
    if (!fp || fscanf(fp, "%d %d %lf %d", &g->nx, &g->ny, &cell, knight) != 4) {
        fprintf(stderr, "cannot read '%s'\n", path);
        if (fp)
            fclose(fp);
        return -1;
    }
    *g = grid_m(g->nx, g->ny, cell, cell);
    *src = malloc(cap * sizeof **src);
    *nsrc = 0;
    while (fscanf(fp, "%zu", &v) == 1) {
        if (*nsrc == cap)
            *src = realloc(*src, (cap *= 2) * sizeof **src);
        (*src)[(*nsrc)++] = v;
    }
    fclose(fp);
    return 0;
}

static void *read_all(const char *dir, const char *name, size_t size)
{
    char path[4096];
    snprintf(path, sizeof path, "%s/%s", dir, name);
    FILE *fp = fopen(path, "rb");
    void *p = malloc(size);
    if (!fp || fread(p, 1, size, fp) != size) {
        fprintf(stderr, "cannot read %zu bytes from '%s'\n", size, path);
        free(p);
        p = NULL;
    }
    if (fp)
        fclose(fp);
    return p;
}

static int write_all(const char *dir, const char *name, const void *p, size_t size)
{
    char path[4096];
    snprintf(path, sizeof path, "%s/%s", dir, name);
    FILE *fp = fopen(path, "wb");
    int bad = !fp || fwrite(p, 1, size, fp) != size;
    if (fp)
        bad |= fclose(fp) != 0;
    if (bad)
        fprintf(stderr, "cannot write '%s'\n", path);
    return bad;
}

static double seconds(void)
{
    struct timespec t;
    clock_gettime(CLOCK_MONOTONIC, &t);
    return t.tv_sec + t.tv_nsec * 1e-9;
}

/* Little-endian hosts only, as the files are. */
static int peer(const char *dir)
{
    struct cw_grid g;
    struct cw_costdist_opts o;
    size_t *src = NULL, nsrc;
    if (read_meta(dir, &g, &o.knight, &src, &nsrc))
        return 1;
    size_t n = (size_t)g.nx * g.ny;
    float *f = read_all(dir, "friction.f32", n * sizeof *f);
    struct cw_ctx *ctx = cw_ctx_new();
    double *cost = NULL, t0 = seconds();
    int32_t *origin = NULL;
    int rc = !f || !ctx || run(ctx, &g, f, src, nsrc, &o, &cost, &origin);
    if (!rc) {
        fprintf(stderr, "cw_costdist: %d x %d cells, %zu sources, %d neighbours: %.3f s\n",
                g.nx, g.ny, nsrc, o.knight ? 16 : 8, seconds() - t0);
        rc = write_all(dir, "cost.f64", cost, n * sizeof *cost) ||
             write_all(dir, "origin.i32", origin, n * sizeof *origin);
    }
    free(cost);
    free(origin);
    free(f);
    free(src);
    cw_ctx_free(ctx);
    return rc;
}

int main(void)
{
    const char *dir = getenv("CW_COSTDIST_PEER_DIR");
    if (dir)
        return peer(dir);
    struct cw_ctx *ctx = cw_ctx_new();
    if (!ctx)
        return 1;
    test_bad_input(ctx);
    test_progress(ctx);
    test_uniform(ctx);
    test_mean_of_cells(ctx);
    test_knight_crosses_four_cells(ctx);
    test_two_sources(ctx);
    test_zero_friction_ties(ctx);
    test_wall(ctx);
    test_corners(ctx);
    test_bound_projected(ctx);
    test_lonlat_lines(ctx);
    test_lonlat_bound(ctx);
    cw_ctx_free(ctx);
    return CHECK_DONE();
}
