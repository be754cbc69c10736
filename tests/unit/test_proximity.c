/* test_proximity.c: the proximity graphs against oracles that share no code
 * with them: brute force over every pair of the 2,000 most populous
 * GeoNames places (both surfaces), scikit-learn's BallTree on 20,000
 * (tests/fixtures/make_knn_sklearn.py), and small hand-made cases. Data are
 * found through $CW_TEST_DATA, else tests/data (run from the repo root).
 * SPDX-License-Identifier: MIT
 */
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "cityweave/proximity.h"
#include "check.h"
#include "testdata.h"

#define NELEM(a) (sizeof (a) / sizeof (a)[0])
#define DEG (M_PI / 180.0)
#define DIST_TOL 1e-6   /* metres: lengths are computed by the same calls */

static struct cw_points points_of(const struct cities *c)
{
    return (struct cw_points){ c->n, c->lon, c->lat, NULL };
}

/* Edge lists are compared as (a, b) sequences; the first difference is
 * printed to help whoever breaks them. */
static int same_edges(const struct cw_edges *got, const struct cw_edges *want,
                      const char *what)
{
    size_t i = 0;
    while (i < got->n && i < want->n && got->e[i].a == want->e[i].a &&
           got->e[i].b == want->e[i].b && fabs(got->e[i].dist - want->e[i].dist) <= DIST_TOL)
        i++;
    if (i == got->n && i == want->n)
        return 1;
    fprintf(stderr, "%s: %zu vs %zu edges, first difference at %zu: ", what, got->n,
            want->n, i);
    if (i < got->n)
        fprintf(stderr, "got (%u,%u,%.9g) ", got->e[i].a, got->e[i].b, got->e[i].dist);
    if (i < want->n)
        fprintf(stderr, "want (%u,%u,%.9g)", want->e[i].a, want->e[i].b, want->e[i].dist);
    fprintf(stderr, "\n");
    return 0;
}

static int has_edge(const struct cw_edges *es, uint32_t a, uint32_t b)
{
    for (size_t i = 0; i < es->n; i++)
        if (es->e[i].a == a && es->e[i].b == b)
            return 1;
    return 0;
}

/* Is every edge of @p sub in @p super? Both sorted. */
static int subset(const struct cw_edges *sub, const struct cw_edges *super)
{
    size_t j = 0;
    for (size_t i = 0; i < sub->n; i++) {
        while (j < super->n && (super->e[j].a < sub->e[i].a ||
                                (super->e[j].a == sub->e[i].a && super->e[j].b < sub->e[i].b)))
            j++;
        if (j == super->n || super->e[j].a != sub->e[i].a || super->e[j].b != sub->e[i].b)
            return 0;
    }
    return 1;
}

static int is_normalised(const struct cw_edges *es)
{
    for (size_t i = 0; i < es->n; i++) {
        if (es->e[i].a >= es->e[i].b)
            return 0;
        if (i && (es->e[i - 1].a > es->e[i].a ||
                  (es->e[i - 1].a == es->e[i].a && es->e[i - 1].b >= es->e[i].b)))
            return 0;
    }
    return 1;
}

/* --- failure paths ------------------------------------------------------ */

static int cancel(double done, const char *msg, void *arg)
{
    (void)done;
    (void)msg;
    return --*(int *)arg > 0;
}

static void test_bad_input(struct cw_ctx *ctx, const struct cw_geod *g)
{
    double lon[] = { 0, 1, 2 }, lat[] = { 0, 91, 0 }, nanlon[] = { 0, NAN, 2 };
    double oklat[] = { 0, 1, 2 };
    struct cw_points bad = { 3, lon, lat, NULL }, badlon = { 3, nanlon, oklat, NULL };
    struct cw_points ok = { 3, lon, oklat, NULL }, none = { 0, lon, lat, NULL };
    struct cw_edges e;
    uint32_t near[3];
    cw_edges_init(&e);
    CHECK(cw_knn_edges(ctx, g, &bad, 2, &e) == CW_ERR_DATA);
    CHECK(strstr(cw_ctx_errmsg(ctx), "point 1") != NULL);
    CHECK(cw_within_edges(ctx, g, &badlon, 10, 0, &e) == CW_ERR_DATA);
    CHECK(cw_delaunay_edges(ctx, g, &bad, &e) == CW_ERR_DATA);
    CHECK(cw_mst_edges(ctx, g, &bad, &e) == CW_ERR_DATA);
    CHECK(cw_knn_edges(ctx, g, &ok, 0, &e) == CW_ERR_ARG);
    CHECK(cw_within_edges(ctx, g, &ok, -1, 0, &e) == CW_ERR_ARG);
    CHECK(cw_within_edges(ctx, g, &ok, NAN, 0, &e) == CW_ERR_ARG);
    CHECK(cw_nearest(ctx, g, &ok, &none, near, NULL) == CW_ERR_ARG);
    CHECK(cw_nearest(ctx, g, &ok, &bad, near, NULL) == CW_ERR_DATA);
    cw_edges_release(&e);
}

static void test_cancel(struct cw_ctx *ctx, const struct cw_geod *g, const struct cities *c)
{
    struct cw_points p = points_of(c);
    struct cw_edges e;
    int calls = 3;
    cw_edges_init(&e);
    cw_ctx_set_progress(ctx, cancel, &calls);
    CHECK(cw_knn_edges(ctx, g, &p, 8, &e) == CW_ERR_ARG);
    CHECK(calls == 0);
    calls = 1;
    CHECK(cw_within_edges(ctx, g, &p, 1000, 0, &e) == CW_ERR_ARG);
    calls = 1;
    CHECK(cw_gabriel_edges(ctx, g, &p, &e) == CW_ERR_ARG);
    cw_ctx_set_progress(ctx, NULL, NULL);
    cw_edges_release(&e);
}

/* --- edge lists --------------------------------------------------------- */

static void test_edges_normalise(void)
{
    struct cw_edges e;
    cw_edges_init(&e);
    CHECK(e.n == 0 && e.e == NULL);
    cw_edges_normalise(&e);
    for (uint32_t i = 0; i < 1000; i++)
        CHECK(cw_edges_push(&e, (i * 7919) % 1000, (i * 104729 + 1) % 1000, i) == CW_OK);
    CHECK(cw_edges_push(&e, 5, 3, 1) == CW_OK);
    CHECK(cw_edges_push(&e, 3, 5, 1) == CW_OK);
    cw_edges_normalise(&e);
    CHECK(is_normalised(&e));
    CHECK(has_edge(&e, 3, 5));
    cw_edges_release(&e);
    CHECK(e.n == 0 && e.e == NULL);
    cw_edges_release(&e);
}

/* --- small hand-made cases ---------------------------------------------- */

static void test_two_points(struct cw_ctx *ctx, const struct cw_geod *g)
{
    double lon[] = { 2.35, 13.4 }, lat[] = { 48.86, 52.52 }, d;
    struct cw_points p = { 2, lon, lat, NULL };
    struct cw_edges e;
    int (*fn[])(struct cw_ctx *, const struct cw_geod *, const struct cw_points *,
                struct cw_edges *) = { cw_delaunay_edges, cw_gabriel_edges,
                                       cw_rng_edges, cw_mst_edges };
    cw_edges_init(&e);
    cw_geod_inverse(g, lon[0], lat[0], lon[1], lat[1], &d, NULL, NULL);
    for (size_t f = 0; f < NELEM(fn); f++) {
        CHECK(fn[f](ctx, g, &p, &e) == CW_OK);
        CHECK(e.n == 1 && e.e[0].a == 0 && e.e[0].b == 1);
        CHECK_NEAR(e.e[0].dist, d, DIST_TOL);
    }
    CHECK(cw_knn_edges(ctx, g, &p, 8, &e) == CW_OK && e.n == 1);
    CHECK(cw_within_edges(ctx, g, &p, d - 1, 0, &e) == CW_OK && e.n == 0);
    CHECK(cw_within_edges(ctx, g, &p, d + 1, 0, &e) == CW_OK && e.n == 1);
    p.n = 1;
    CHECK(cw_knn_edges(ctx, g, &p, 8, &e) == CW_OK && e.n == 0);
    CHECK(cw_delaunay_edges(ctx, g, &p, &e) == CW_OK && e.n == 0);
    CHECK(cw_mst_edges(ctx, g, &p, &e) == CW_OK && e.n == 0);
    cw_edges_release(&e);
}

static void test_three_points(struct cw_ctx *ctx, const struct cw_geod *g)
{
    double lon[] = { 0, 10, 5 }, lat[] = { 0, 0, 1 };
    struct cw_points p = { 3, lon, lat, NULL };
    struct cw_edges e;
    cw_edges_init(&e);
    CHECK(cw_delaunay_edges(ctx, g, &p, &e) == CW_OK && e.n == 3);
    CHECK(has_edge(&e, 0, 1) && has_edge(&e, 0, 2) && has_edge(&e, 1, 2));
    /* point 2 lies inside the circle with diameter 0-1 */
    CHECK(cw_gabriel_edges(ctx, g, &p, &e) == CW_OK && e.n == 2 && !has_edge(&e, 0, 1));
    CHECK(cw_rng_edges(ctx, g, &p, &e) == CW_OK && e.n == 2 && !has_edge(&e, 0, 1));
    CHECK(cw_mst_edges(ctx, g, &p, &e) == CW_OK && e.n == 2 && !has_edge(&e, 0, 1));
    /* On the sphere a right angle at 0 leaves 0 outside the circle with
     * diameter 1-2 (the spherical Thales angle exceeds 90 degrees). */
    lon[2] = 0;
    lat[2] = 10;
    CHECK(cw_gabriel_edges(ctx, g, &p, &e) == CW_OK && e.n == 3);
    cw_edges_release(&e);
}

/* Regular tetrahedron: a pole and three points 120 degrees apart. */
static void test_tetrahedron(struct cw_ctx *ctx, const struct cw_geod *g)
{
    double lat0 = -asin(1.0 / 3.0) / DEG;
    double lon[] = { 0, 0, 120, -120 }, lat[] = { 90, lat0, lat0, lat0 };
    struct cw_points p = { 4, lon, lat, NULL };
    struct cw_edges e;
    cw_edges_init(&e);
    CHECK(cw_delaunay_edges(ctx, g, &p, &e) == CW_OK && e.n == 6);
    CHECK(cw_gabriel_edges(ctx, g, &p, &e) == CW_OK && e.n == 6);
    CHECK(cw_mst_edges(ctx, g, &p, &e) == CW_OK && e.n == 3);
    /* Six sides equal up to rounding: which survive the strict lune test
     * depends on the last bits, but a spanning tree always does. */
    CHECK(cw_rng_edges(ctx, g, &p, &e) == CW_OK && e.n >= 3 && e.n <= 6);
    cw_edges_release(&e);
}

/* Coincident places: the copy of higher index joins its representative by
 * a zero-length edge; 180 and -180 are the same meridian. */
static void test_duplicates(struct cw_ctx *ctx, const struct cw_geod *g)
{
    double lon[] = { 0, 90, 180, 0, -90, -180, 0 }, lat[] = { 0, 0, 0, 90, 0, 0, 0 };
    uint32_t rank[] = { 6, 1, 2, 3, 4, 5, 0 };
    struct cw_points p = { 7, lon, lat, NULL };
    struct cw_edges e;
    cw_edges_init(&e);
    CHECK(cw_delaunay_edges(ctx, g, &p, &e) == CW_OK);
    /* 5 distinct places: 3 * 5 - 6 = 9 triangle edges, plus 2 copies */
    CHECK(e.n == 11 && has_edge(&e, 0, 6) && has_edge(&e, 2, 5));
    CHECK(!has_edge(&e, 1, 6) && !has_edge(&e, 3, 6));
    for (size_t i = 0; i < e.n; i++)
        if (e.e[i].a == 0 && e.e[i].b == 6)
            CHECK(e.e[i].dist == 0);
    p.rank = rank;   /* now point 6 represents the place of 0 and 6 */
    CHECK(cw_delaunay_edges(ctx, g, &p, &e) == CW_OK);
    CHECK(e.n == 11 && has_edge(&e, 1, 6) && !has_edge(&e, 0, 1));
    CHECK(cw_mst_edges(ctx, g, &p, &e) == CW_OK && e.n == 6 && has_edge(&e, 0, 6));
    CHECK(cw_rng_edges(ctx, g, &p, &e) == CW_OK && has_edge(&e, 0, 6));
    CHECK(cw_knn_edges(ctx, g, &p, 1, &e) == CW_OK && has_edge(&e, 0, 6));
    CHECK(cw_within_edges(ctx, g, &p, 0, 0, &e) == CW_OK && e.n >= 1 && has_edge(&e, 0, 6));
    /* haversine puts 180 and -180 a few nanometres apart (sin(pi) != 0) */
    CHECK(cw_within_edges(ctx, g, &p, 1e-3, 0, &e) == CW_OK && e.n == 2);
    CHECK(has_edge(&e, 0, 6) && has_edge(&e, 2, 5));
    cw_edges_release(&e);
}

/* All on one circle (the equator, then a parallel): Qhull finds the hull
 * flat; the answer is the cycle around the circle. */
static void test_one_circle(struct cw_ctx *ctx, const struct cw_geod *g, double lat0)
{
    double lon[] = { 170, -60, 0, 100, -150, 50 }, lat[6];
    uint32_t cycle[][2] = { { 2, 5 }, { 3, 5 }, { 0, 3 }, { 0, 4 }, { 1, 4 }, { 1, 2 } };
    struct cw_points p = { 6, lon, lat, NULL };
    struct cw_edges e;
    cw_edges_init(&e);
    for (size_t i = 0; i < NELEM(lat); i++)
        lat[i] = lat0;
    CHECK(cw_delaunay_edges(ctx, g, &p, &e) == CW_OK && e.n == 6);
    for (size_t i = 0; i < NELEM(cycle); i++)
        CHECK(has_edge(&e, cycle[i][0], cycle[i][1]));
    /* the longest gap, 90 degrees from -150 to -60, is left out */
    CHECK(cw_mst_edges(ctx, g, &p, &e) == CW_OK && e.n == 5 && !has_edge(&e, 1, 4));
    cw_edges_release(&e);
}

/* Across the antimeridian: 179.9 and -179.9 are about 22 km apart. */
static void test_antimeridian(struct cw_ctx *ctx, const struct cw_geod *g)
{
    double lon[] = { 179.9, -179.9, 179.5, -179.0, 0 }, lat[] = { 0, 0, 0.1, -0.2, 0 };
    uint32_t hub[1];
    double d[1];
    struct cw_points p = { 5, lon, lat, NULL }, q = { 1, lon + 1, lat + 1, NULL };
    struct cw_edges e;
    cw_edges_init(&e);
    CHECK(cw_within_edges(ctx, g, &p, 25000, 0, &e) == CW_OK && e.n == 1 && has_edge(&e, 0, 1));
    CHECK(cw_knn_edges(ctx, g, &p, 1, &e) == CW_OK && has_edge(&e, 0, 1));
    CHECK(cw_nearest(ctx, g, &q, &p, hub, d) == CW_OK && hub[0] == 1 && d[0] == 0);
    CHECK(cw_mst_edges(ctx, g, &p, &e) == CW_OK && e.n == 4 && has_edge(&e, 0, 1));
    cw_edges_release(&e);
}

/* Ties at the k-th distance go to the lower rank (else the lower index):
 * point 0 is as far from 1 as from 2; 3 and 4 are nearer to 1 and 2. */
static void test_ties(struct cw_ctx *ctx, const struct cw_geod *g)
{
    double lon[] = { 0, 1, -1, 1.5, -1.5 }, lat[] = { 0, 0, 0, 0, 0 };
    uint32_t rank[] = { 0, 2, 1, 3, 4 }, hub[1];
    struct cw_points p = { 5, lon, lat, NULL }, q = { 1, lon, lat, NULL };
    struct cw_points hubs = { 2, lon + 1, lat + 1, NULL };
    struct cw_edges e;
    cw_edges_init(&e);
    CHECK(cw_knn_edges(ctx, g, &p, 1, &e) == CW_OK && e.n == 3);
    CHECK(has_edge(&e, 0, 1) && !has_edge(&e, 0, 2));
    p.rank = rank;
    CHECK(cw_knn_edges(ctx, g, &p, 1, &e) == CW_OK && e.n == 3);
    CHECK(has_edge(&e, 0, 2) && !has_edge(&e, 0, 1));
    CHECK(cw_nearest(ctx, g, &q, &hubs, hub, NULL) == CW_OK && hub[0] == 0);
    hubs.rank = rank + 1;
    CHECK(cw_nearest(ctx, g, &q, &hubs, hub, NULL) == CW_OK && hub[0] == 1);
    cw_edges_release(&e);
}

/* --- brute force on 2,000 places ---------------------------------------- */

/* d(i, j) as the library defines it: cw_geod_inverse with the endpoints
 * ordered by latitude, then longitude (so that d(i, j) == d(j, i) bit for
 * bit). Full matrix, n^2 doubles. */
static double *dist_matrix(const struct cw_geod *g, const struct cities *c)
{
    size_t n = c->n;
    double *d = malloc(n * n * sizeof *d);
    for (size_t i = 0; i < n; i++) {
        d[i * n + i] = 0;
        for (size_t j = i + 1; j < n; j++) {
            int swap = c->lat[j] < c->lat[i] || (c->lat[j] == c->lat[i] && c->lon[j] < c->lon[i]);
            size_t x = swap ? j : i, y = swap ? i : j;
            cw_geod_inverse(g, c->lon[x], c->lat[x], c->lon[y], c->lat[y], &d[i * n + j],
                            NULL, NULL);
            d[j * n + i] = d[i * n + j];
        }
    }
    return d;
}

/* Edges i < j of an n x n adjacency matrix, with lengths from @p d. */
static void matrix_edges(const unsigned char *adj, const double *d, size_t n,
                         struct cw_edges *out)
{
    out->n = 0;
    for (size_t i = 0; i < n; i++)
        for (size_t j = i + 1; j < n; j++)
            if (adj[i * n + j] || adj[j * n + i])
                cw_edges_push(out, (uint32_t)i, (uint32_t)j, d[i * n + j]);
}

struct nb {
    double d;
    uint32_t j;
};

static int nb_cmp(const void *pa, const void *pb)
{
    const struct nb *a = pa, *b = pb;
    if (a->d != b->d)
        return a->d < b->d ? -1 : 1;
    return (a->j > b->j) - (a->j < b->j);
}

static void brute_knn(const double *d, size_t n, size_t k, struct cw_edges *out)
{
    unsigned char *adj = calloc(n * n, 1);
    struct nb *row = malloc(n * sizeof *row);
    for (size_t i = 0; i < n; i++) {
        size_t m = 0;
        for (size_t j = 0; j < n; j++)
            if (j != i)
                row[m++] = (struct nb){ d[i * n + j], (uint32_t)j };
        qsort(row, m, sizeof *row, nb_cmp);
        for (size_t r = 0; r < k && r < m; r++)
            adj[i * n + row[r].j] = 1;
    }
    matrix_edges(adj, d, n, out);
    free(row);
    free(adj);
}

static void brute_within(const double *d, size_t n, double r, struct cw_edges *out)
{
    out->n = 0;
    for (size_t i = 0; i < n; i++)
        for (size_t j = i + 1; j < n; j++)
            if (d[i * n + j] <= r)
                cw_edges_push(out, (uint32_t)i, (uint32_t)j, d[i * n + j]);
}

struct pair {
    double d;
    uint32_t a, b;
};

static int pair_cmp(const void *pa, const void *pb)
{
    const struct pair *x = pa, *y = pb;
    if (x->d != y->d)
        return x->d < y->d ? -1 : 1;
    if (x->a != y->a)
        return x->a < y->a ? -1 : 1;
    return (x->b > y->b) - (x->b < y->b);
}

static uint32_t root(uint32_t *up, uint32_t i)
{
    while (up[i] != i)
        i = up[i] = up[up[i]];
    return i;
}

/* Kruskal over all n(n-1)/2 pairs, ties by (dist, a, b): the library's
 * rule when ranks are the indices. */
static void brute_mst(const double *d, size_t n, struct cw_edges *out)
{
    struct pair *pr = malloc(n * (n - 1) / 2 * sizeof *pr);
    uint32_t *up = malloc(n * sizeof *up);
    size_t m = 0;
    for (size_t i = 0; i < n; i++) {
        up[i] = (uint32_t)i;
        for (size_t j = i + 1; j < n; j++)
            pr[m++] = (struct pair){ d[i * n + j], (uint32_t)i, (uint32_t)j };
    }
    qsort(pr, m, sizeof *pr, pair_cmp);
    unsigned char *adj = calloc(n * n, 1);
    for (size_t e = 0; e < m; e++) {
        uint32_t ra = root(up, pr[e].a), rb = root(up, pr[e].b);
        if (ra != rb) {
            up[ra] = rb;
            adj[pr[e].a * n + pr[e].b] = 1;
        }
    }
    matrix_edges(adj, d, n, out);
    free(adj);
    free(up);
    free(pr);
}

static void unit(double lon, double lat, double v[3])
{
    v[0] = cos(lat * DEG) * cos(lon * DEG);
    v[1] = cos(lat * DEG) * sin(lon * DEG);
    v[2] = sin(lat * DEG);
}

static double *unit_vectors(const struct cities *c)
{
    double *v = malloc(3 * c->n * sizeof *v);
    for (size_t i = 0; i < c->n; i++)
        unit(c->lon[i], c->lat[i], v + 3 * i);
    return v;
}

/* c strictly inside the sphere with diameter ab: (a - c).(b - c) < 0. */
static int in_diametral_ball(const double *v, size_t a, size_t b, size_t c)
{
    const double *va = v + 3 * a, *vb = v + 3 * b, *vc = v + 3 * c;
    double s = 0;
    for (int k = 0; k < 3; k++)
        s += (va[k] - vc[k]) * (vb[k] - vc[k]);
    return s < 0;
}

/* Gabriel by definition: no third point in any pair's diametral ball.
 * The scan stops at the first such point, which comes fast for all but
 * the few pairs that are edges, so this stays far below n^3. */
static void brute_gabriel(const double *v, const double *d, size_t n, struct cw_edges *out)
{
    unsigned char *adj = calloc(n * n, 1);
    for (size_t a = 0; a < n; a++)
        for (size_t b = a + 1; b < n; b++) {
            size_t c = 0;
            while (c < n && (c == a || c == b || !in_diametral_ball(v, a, b, c)))
                c++;
            adj[a * n + b] = c == n;
        }
    matrix_edges(adj, d, n, out);
    free(adj);
}

/* RNG by definition: no c with max(d(a,c), d(b,c)) < d(a,b). */
static void brute_rng(const double *d, size_t n, struct cw_edges *out)
{
    unsigned char *adj = calloc(n * n, 1);
    for (size_t a = 0; a < n; a++)
        for (size_t b = a + 1; b < n; b++) {
            double dab = d[a * n + b];
            size_t c = 0;
            while (c < n && (c == a || c == b || d[a * n + c] >= dab || d[b * n + c] >= dab))
                c++;
            adj[a * n + b] = c == n;
        }
    matrix_edges(adj, d, n, out);
    free(adj);
}

static size_t edge_index(const struct cw_edges *es, uint32_t a, uint32_t b)
{
    size_t lo = 0, hi = es->n;
    while (lo < hi) {
        size_t mid = lo + (hi - lo) / 2;
        const struct cw_edge *e = &es->e[mid];
        if (e->a < a || (e->a == a && e->b < b))
            lo = mid + 1;
        else
            hi = mid;
    }
    return lo < es->n && es->e[lo].a == a && es->e[lo].b == b ? lo : es->n;
}

/* Is triangle abc a facet of the hull of the unit vectors, i.e. does its
 * circumcircle leave every other point on one side? */
static int empty_circle(const double *v, size_t n, size_t a, size_t b, size_t c)
{
    const double *va = v + 3 * a, *vb = v + 3 * b, *vc = v + 3 * c;
    double u[3], w[3], nrm[3];
    size_t above = 0, below = 0;
    for (int k = 0; k < 3; k++) {
        u[k] = vb[k] - va[k];
        w[k] = vc[k] - va[k];
    }
    nrm[0] = u[1] * w[2] - u[2] * w[1];
    nrm[1] = u[2] * w[0] - u[0] * w[2];
    nrm[2] = u[0] * w[1] - u[1] * w[0];
    for (size_t x = 0; x < n; x++) {
        const double *vx = v + 3 * x;
        double s = nrm[0] * (vx[0] - va[0]) + nrm[1] * (vx[1] - va[1]) + nrm[2] * (vx[2] - va[2]);
        above += x != a && x != b && x != c && s > 0;
        below += x != a && x != b && x != c && s < 0;
    }
    return above == 0 || below == 0;
}

/* The Delaunay edges checked by definition, for distinct points in general
 * position: 3n - 6 edges, their triangles with an empty circumcircle number
 * 2n - 4, and each edge borders exactly two of them. */
static void check_delaunay(const double *v, size_t n, const struct cw_edges *dt)
{
    size_t *deg = calloc(n + 1, sizeof *deg), faces = 0, bad = 0;
    unsigned *sides = calloc(dt->n, sizeof *sides);
    uint32_t *adj = malloc(2 * dt->n * sizeof *adj);
    CHECK(dt->n == 3 * n - 6);
    for (size_t i = 0; i < dt->n; i++) {   /* adjacency by (a < b): b's of each a */
        deg[dt->e[i].a + 1]++;
        adj[i] = dt->e[i].b;
    }
    for (size_t i = 0; i < n; i++)
        deg[i + 1] += deg[i];
    for (size_t i = 0; i < dt->n; i++) {
        uint32_t a = dt->e[i].a, b = dt->e[i].b;
        for (size_t x = deg[a], y = deg[b]; x < deg[a + 1] && y < deg[b + 1];) {
            if (adj[x] != adj[y]) {
                adj[x] < adj[y] ? x++ : y++;
                continue;
            }
            uint32_t c = adj[x];
            if (empty_circle(v, n, a, b, c)) {
                faces++;
                sides[i]++;
                sides[edge_index(dt, a, c)]++;
                sides[edge_index(dt, b, c)]++;
            }
            x++;
            y++;
        }
    }
    for (size_t i = 0; i < dt->n; i++)
        bad += sides[i] != 2;
    CHECK(faces == 2 * n - 4);
    CHECK(bad == 0);
    free(deg);
    free(sides);
    free(adj);
}

static double total(const struct cw_edges *es)
{
    double s = 0;
    for (size_t i = 0; i < es->n; i++)
        s += es->e[i].dist;
    return s;
}

/* Nearest of the first @p nh places, brute force, ties to the lower index. */
static void check_nearest(struct cw_ctx *ctx, const struct cw_geod *g,
                          const struct cities *c, const double *d, size_t nh)
{
    struct cw_points p = points_of(c), hubs = { nh, c->lon, c->lat, NULL };
    uint32_t *got = malloc(c->n * sizeof *got);
    double *dist = malloc(c->n * sizeof *dist);
    size_t wrong = 0;
    CHECK(cw_nearest(ctx, g, &p, &hubs, got, dist) == CW_OK);
    for (size_t i = 0; i < c->n; i++) {
        size_t best = 0;
        for (size_t h = 1; h < nh; h++)
            if (d[i * c->n + h] < d[i * c->n + best])
                best = h;
        wrong += got[i] != best || dist[i] != d[i * c->n + best];
    }
    CHECK(wrong == 0);
    free(got);
    free(dist);
}

/* Every graph of the library against its brute-force definition. */
static void check_brute(struct cw_ctx *ctx, const struct cw_geod *g, const struct cities *c)
{
    struct cw_points p = points_of(c);
    struct cw_edges got, want, dt, gab, rng, mst;
    double *d = dist_matrix(g, c), *v = unit_vectors(c);
    const double radii[] = { 25000, 100000 };
    cw_edges_init(&got);
    cw_edges_init(&want);
    cw_edges_init(&dt);
    cw_edges_init(&gab);
    cw_edges_init(&rng);
    cw_edges_init(&mst);

    brute_knn(d, c->n, 8, &want);
    CHECK(cw_knn_edges(ctx, g, &p, 8, &got) == CW_OK && same_edges(&got, &want, "knn8"));
    for (size_t r = 0; r < NELEM(radii); r++) {
        brute_within(d, c->n, radii[r], &want);
        CHECK(cw_within_edges(ctx, g, &p, radii[r], 0, &got) == CW_OK);
        CHECK(want.n > 0 && same_edges(&got, &want, "within"));
    }
    brute_mst(d, c->n, &want);
    CHECK(cw_mst_edges(ctx, g, &p, &mst) == CW_OK && same_edges(&mst, &want, "mst"));
    CHECK_NEAR(total(&mst), total(&want), 1e-3);
    brute_gabriel(v, d, c->n, &want);
    CHECK(cw_gabriel_edges(ctx, g, &p, &gab) == CW_OK && same_edges(&gab, &want, "gabriel"));
    brute_rng(d, c->n, &want);
    CHECK(cw_rng_edges(ctx, g, &p, &rng) == CW_OK && same_edges(&rng, &want, "rng"));
    CHECK(cw_delaunay_edges(ctx, g, &p, &dt) == CW_OK && is_normalised(&dt));
    check_delaunay(v, c->n, &dt);
    CHECK(subset(&gab, &dt) && subset(&mst, &rng));
    if (g->sphere)   /* on the ellipsoid the RNG need not be Gabriel */
        CHECK(subset(&rng, &gab));
    check_nearest(ctx, g, c, d, 50);

    free(d);
    free(v);
    cw_edges_release(&got);
    cw_edges_release(&want);
    cw_edges_release(&dt);
    cw_edges_release(&gab);
    cw_edges_release(&rng);
    cw_edges_release(&mst);
}

/* With ranks, the graphs do not depend on the input order: run on the
 * places in reverse order, ranked by their original index, and map back. */
static void check_order_free(struct cw_ctx *ctx, const struct cw_geod *g,
                             const struct cities *c)
{
    size_t n = c->n;
    double *lon = malloc(n * sizeof *lon), *lat = malloc(n * sizeof *lat);
    uint32_t *rank = malloc(n * sizeof *rank);
    struct cw_points p = points_of(c), rev = { n, lon, lat, rank };
    struct cw_edges a, b;
    int (*fn[])(struct cw_ctx *, const struct cw_geod *, const struct cw_points *,
                struct cw_edges *) = { cw_delaunay_edges, cw_mst_edges, cw_rng_edges };
    cw_edges_init(&a);
    cw_edges_init(&b);
    for (size_t i = 0; i < n; i++) {
        lon[i] = c->lon[n - 1 - i];
        lat[i] = c->lat[n - 1 - i];
        rank[i] = (uint32_t)(n - 1 - i);
    }
    for (size_t f = 0; f <= NELEM(fn); f++) {
        int ra = f < NELEM(fn) ? fn[f](ctx, g, &p, &a) : cw_knn_edges(ctx, g, &p, 5, &a);
        int rb = f < NELEM(fn) ? fn[f](ctx, g, &rev, &b) : cw_knn_edges(ctx, g, &rev, 5, &b);
        for (size_t i = 0; i < b.n; i++) {
            b.e[i].a = (uint32_t)(n - 1 - b.e[i].a);
            b.e[i].b = (uint32_t)(n - 1 - b.e[i].b);
        }
        cw_edges_normalise(&b);
        CHECK(ra == CW_OK && rb == CW_OK && same_edges(&b, &a, "reversed"));
    }
    free(lon);
    free(lat);
    free(rank);
    cw_edges_release(&a);
    cw_edges_release(&b);
}

/* --- scikit-learn on 20,000 places -------------------------------------- */

struct pairs {
    size_t n;
    uint32_t (*ab)[2];
    unsigned char *tie;
};

/* "a,b" or "a,b,tie" rows after a header. */
static int load_pairs(const char *name, struct pairs *pr)
{
    char line[128];
    size_t cap = 0;
    FILE *f = open_data(name);
    memset(pr, 0, sizeof *pr);
    if (!f || !fgets(line, sizeof line, f))
        return f ? fclose(f), -1 : -1;
    while (fgets(line, sizeof line, f)) {
        unsigned a, b, t = 0;
        if (sscanf(line, "%u,%u,%u", &a, &b, &t) < 2)
            break;
        if (pr->n == cap) {
            cap = cap ? 2 * cap : 4096;
            pr->ab = realloc(pr->ab, cap * sizeof *pr->ab);
            pr->tie = realloc(pr->tie, cap);
        }
        pr->ab[pr->n][0] = a;
        pr->ab[pr->n][1] = b;
        pr->tie[pr->n++] = (unsigned char)t;
    }
    fclose(f);
    return 0;
}

/* Every pair the library gives is in the fixture, and every fixture pair
 * not marked as one choice of a near tie is given. Both lists are sorted. */
static int match_pairs(const struct cw_edges *got, const struct pairs *want, const char *what)
{
    size_t i = 0, j = 0, extra = 0, missing = 0;
    while (i < got->n || j < want->n) {
        int cmp = i == got->n ? 1 : j == want->n ? -1
                : got->e[i].a != want->ab[j][0] ? (got->e[i].a < want->ab[j][0] ? -1 : 1)
                : got->e[i].b != want->ab[j][1] ? (got->e[i].b < want->ab[j][1] ? -1 : 1) : 0;
        extra += cmp < 0;
        missing += cmp > 0 && !want->tie[j];
        i += cmp <= 0;
        j += cmp >= 0;
    }
    if (extra || missing)
        fprintf(stderr, "%s: %zu pairs not in the fixture, %zu missing\n", what, extra, missing);
    return extra == 0 && missing == 0;
}

static void check_sklearn(struct cw_ctx *ctx)
{
    struct cities c;
    struct pairs knn, within;
    struct cw_geod g;
    struct cw_edges e;
    cw_geod_init(&g, 1);
    cw_edges_init(&e);
    CHECK(load_cities("geonames_20000.csv", &c) == 0 && c.n == 20000);
    CHECK(load_pairs("sklearn_knn8_20000.csv", &knn) == 0 && knn.n > 80000);
    CHECK(load_pairs("sklearn_within25km_20000.csv", &within) == 0 && within.n > 50000);
    struct cw_points p = points_of(&c);
    CHECK(cw_knn_edges(ctx, &g, &p, 8, &e) == CW_OK && match_pairs(&e, &knn, "sklearn knn8"));
    CHECK(cw_within_edges(ctx, &g, &p, 25000, 1, &e) == CW_OK);
    CHECK(e.n == within.n && match_pairs(&e, &within, "sklearn within 25 km"));
    free_cities(&c);
    free(knn.ab);
    free(knn.tie);
    free(within.ab);
    free(within.tie);
    cw_edges_release(&e);
}

int main(void)
{
    struct cw_ctx *ctx = cw_ctx_new();
    struct cities c;
    if (!ctx || load_cities("geonames_2000.csv", &c) != 0 || c.n != 2000) {
        fprintf(stderr, "cannot set up the test\n");
        return 1;
    }
    test_edges_normalise();
    for (int sphere = 0; sphere <= 1; sphere++) {
        struct cw_geod g;
        cw_geod_init(&g, sphere);
        test_bad_input(ctx, &g);
        test_cancel(ctx, &g, &c);
        test_two_points(ctx, &g);
        test_three_points(ctx, &g);
        test_tetrahedron(ctx, &g);
        test_duplicates(ctx, &g);
        test_one_circle(ctx, &g, 0);
        test_one_circle(ctx, &g, 60);
        test_antimeridian(ctx, &g);
        test_ties(ctx, &g);
        check_brute(ctx, &g, &c);
        check_order_free(ctx, &g, &c);
    }
    check_sklearn(ctx);
    free_cities(&c);
    cw_ctx_free(ctx);
    return CHECK_DONE();
}
