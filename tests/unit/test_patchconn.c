/* test_patchconn.c: cw_patch_connectivity against cases worked by hand and
 * against the NetworkX oracle in tests/data/patchconn_networkx.txt (made by
 * tests/unit/patchconn_ref.py: brute-force removal of every patch).
 * SPDX-License-Identifier: MIT
 */
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "cityweave/patchconn.h"
#include "check.h"
#include "testdata.h"

#define NELEM(a) (sizeof (a) / sizeof (a)[0])
#define TOL 1e-12
/* The oracle's values agree to this, relative; ABS (percent, or index)
 * only absorbs rounding where NetworkX's value is 0 or nearly so. */
#define REL 1e-9
#define ABS 1e-15

/* Runs with dispersal 100 m and P = 0.5, landscape 100 m2 (so the index
 * is the plain sum divided by 10^4), dPC wanted. */
static int run(struct cw_ctx *ctx, size_t n, const double *area,
               const struct cw_edge *links, size_t nlinks, struct cw_conn *c)
{
    struct cw_conn_opts o = { 100, CW_CONN_P_DEFAULT, 1, 0 };
    return cw_patch_connectivity(ctx, n, area, nlinks, links, 100, &o, c);
}

/* Checks dpc[k] and its three parts against S-scaled hand sums. */
static void check_dpc(const struct cw_conn *c, size_t k, double S,
                      double intra, double flux, double conn)
{
    CHECK_NEAR(c->dpc_intra[k], 100 * intra / S, TOL);
    CHECK_NEAR(c->dpc_flux[k], 100 * flux / S, TOL);
    CHECK_NEAR(c->dpc_connector[k], 100 * conn / S, TOL);
    CHECK_NEAR(c->dpc[k], 100 * (intra + flux + conn) / S, TOL);
}

/* --- hand-worked cases ------------------------------------------------ */

/* No patches: everything 0, no arrays. */
static void test_empty(struct cw_ctx *ctx)
{
    struct cw_conn c;
    CHECK(run(ctx, 0, NULL, NULL, 0, &c) == CW_OK);
    CHECK(c.iic == 0 && c.pc == 0 && c.ec == 0 && c.n == 0 && !c.dpc);
    cw_conn_release(&c);
}

/* One patch of 10 m2 in 100 m2: IIC = PC = (10/100)^2 = 0.01, EC = 10;
 * dPC = 100 % (all intra). */
static void test_single(struct cw_ctx *ctx)
{
    const double a[] = { 10 };
    struct cw_conn c;
    CHECK(run(ctx, 1, a, NULL, 0, &c) == CW_OK);
    CHECK_NEAR(c.iic, 0.01, TOL);
    CHECK_NEAR(c.pc, 0.01, TOL);
    CHECK_NEAR(c.ec, 10, TOL);
    check_dpc(&c, 0, 100, 100, 0, 0);
    cw_conn_release(&c);
}

/* Touching patches of 10 and 20 m2 (d = 0, p = 1):
 * S = 10^2 + 20^2 + 2*10*20*1 = 900: PC = 0.09, EC = 30;
 * IIC sum = 100 + 400 + 2*200/(1+1) = 700: IIC = 0.07.
 * dPC_0: intra 100, flux 2*10*20 = 400 (55.6 %); dPC_1: 400 + 400. */
static void test_touching(struct cw_ctx *ctx)
{
    const double a[] = { 10, 20 };
    const struct cw_edge l[] = { { 0, 1, 0, NAN } };
    struct cw_conn c;
    CHECK(run(ctx, 2, a, l, 1, &c) == CW_OK);
    CHECK_NEAR(c.pc, 0.09, TOL);
    CHECK_NEAR(c.ec, 30, TOL);
    CHECK_NEAR(c.iic, 0.07, TOL);
    check_dpc(&c, 0, 900, 100, 400, 0);
    check_dpc(&c, 1, 900, 400, 400, 0);
    CHECK_NEAR(c.dpc[0], 500.0 / 9, TOL);  /* (900 - 20^2) / 900 */
    cw_conn_release(&c);
}

/* The same at the dispersal distance (d = 100, p = 0.5):
 * S = 100 + 400 + 2*200*0.5 = 700, EC = sqrt(700); IIC as before 0.07. */
static void test_at_dispersal(struct cw_ctx *ctx)
{
    const double a[] = { 10, 20 };
    const struct cw_edge l[] = { { 1, 0, 100, NAN } };
    struct cw_conn c;
    CHECK(run(ctx, 2, a, l, 1, &c) == CW_OK);
    CHECK_NEAR(c.pc, 0.07, TOL);
    CHECK_NEAR(c.ec, sqrt(700), TOL);
    CHECK_NEAR(c.iic, 0.07, TOL);
    check_dpc(&c, 0, 700, 100, 200, 0);
    check_dpc(&c, 1, 700, 400, 200, 0);
    cw_conn_release(&c);
}

/* Chain 0 -100 m- 1 -50 m- 2, areas 10, 20, 30; r = 0.5^0.5:
 * p01 = 0.5, p12 = r, p*02 = 0.5^1.5 = r/2 (D = 150).
 * S = 100+400+900 + 2(200*0.5 + 600 r + 300 r/2) = 1600 + 1500 r.
 * IIC: nl = 1, 1, 2: 1400 + 2(200/2 + 600/2 + 300/3) = 2400 -> 0.24.
 * dPC_0: intra 100, flux 2*10(20*0.5 + 30 r/2) = 200 + 300 r.
 * dPC_1: intra 400, flux 2*20(10*0.5 + 30 r) = 200 + 1200 r, connector:
 *   the pair (0,2) both ways, 2*10*30 r/2 = 300 r; check by removal:
 *   S_-1 = 100 + 900, S - S_-1 = 600 + 1500 r = 400 + 200 + 1200 r + 300 r.
 * dPC_2: intra 900, flux 2*30(20 r + 10 r/2) = 1500 r. */
static void test_chain(struct cw_ctx *ctx)
{
    const double a[] = { 10, 20, 30 }, r = sqrt(0.5), S = 1600 + 1500 * r;
    const struct cw_edge l[] = { { 0, 1, 100, NAN }, { 1, 2, 50, NAN } };
    struct cw_conn c;
    CHECK(run(ctx, 3, a, l, 2, &c) == CW_OK);
    CHECK_NEAR(c.pc, S / 1e4, TOL);
    CHECK_NEAR(c.ec, sqrt(S), TOL);
    CHECK_NEAR(c.iic, 0.24, TOL);
    check_dpc(&c, 0, S, 100, 200 + 300 * r, 0);
    check_dpc(&c, 1, S, 400, 200 + 1200 * r, 300 * r);
    check_dpc(&c, 2, S, 900, 1500 * r, 0);
    CHECK_NEAR(c.dpc[1], 100 * (S - 1000) / S, TOL);
    CHECK(c.dpc[1] > c.dpc_intra[1] + c.dpc_flux[1]);
    cw_conn_release(&c);
}

/* Patches 0, 1 touching (10 m2 each), patch 2 (20 m2) alone: the pairs
 * between components add nothing. S = 100 + 100 + 400 + 2*100 = 800;
 * IIC sum 600 + 2*100/2 = 700. dPC_2 = 400/800 = 50 %, dPC_0 = 300/800. */
static void test_components(struct cw_ctx *ctx)
{
    const double a[] = { 10, 10, 20 };
    const struct cw_edge l[] = { { 0, 1, 0, NAN } };
    struct cw_conn c;
    CHECK(run(ctx, 3, a, l, 1, &c) == CW_OK);
    CHECK_NEAR(c.pc, 0.08, TOL);
    CHECK_NEAR(c.iic, 0.07, TOL);
    check_dpc(&c, 0, 800, 100, 200, 0);
    check_dpc(&c, 2, 800, 400, 0, 0);
    CHECK_NEAR(c.dpc[2], 50, TOL);
    cw_conn_release(&c);
}

/* Diamond 0-1-3 and 0-2-3, every link 50 m (p = r = 0.5^0.5), areas
 * 10, 1, 1, 10. 0..3 has two best routes (100 m, p* = 0.5) and so has
 * 1..2 (via 0 or 3): no node is a connector. dPC_1: intra 1, flux
 * 2*1(10 r + 1*0.5 + 10 r) = 40 r + 1. */
static void test_tie(struct cw_ctx *ctx)
{
    const double a[] = { 10, 1, 1, 10 }, r = sqrt(0.5);
    const struct cw_edge l[] = { { 0, 1, 50, NAN }, { 1, 3, 50, NAN }, { 0, 2, 50, NAN },
                                 { 2, 3, 50, NAN } };
    /* S = 100+1+1+100 + 2(10r + 10r + 100*0.5 + 10r + 10r + 1*0.5) */
    const double S = 202 + 2 * (40 * r + 50.5);
    struct cw_conn c;
    CHECK(run(ctx, 4, a, l, 4, &c) == CW_OK);
    CHECK_NEAR(c.pc, S / 1e4, TOL);
    for (int k = 0; k < 4; k++)
        CHECK(c.dpc_connector[k] == 0);
    check_dpc(&c, 1, S, 1, 40 * r + 1, 0);
    cw_conn_release(&c);
}

/* The diamond with 0-1 at 40 m: 0-1-3 (90 m) beats 0-2-3 (100 m), and
 * 1-0-2 (90 m) beats 1-3-2 (100 m). Without 1, 0..3 falls to 0.5, so
 * connector_1 = 2*10*10 (0.5^0.9 - 0.5); without 0, 1..2 falls to 0.5:
 * connector_0 = 2*1*1 (0.5^0.9 - 0.5); 2 and 3 carry nothing alone. */
static void test_tie_broken(struct cw_ctx *ctx)
{
    const double a[] = { 10, 1, 1, 10 }, g = pow(0.5, 0.9) - 0.5;
    const struct cw_edge l[] = { { 0, 1, 40, NAN }, { 1, 3, 50, NAN }, { 0, 2, 50, NAN },
                                 { 2, 3, 50, NAN } };
    struct cw_conn c;
    double S;
    CHECK(run(ctx, 4, a, l, 4, &c) == CW_OK);
    S = 1e4 * c.pc;
    CHECK_NEAR(c.dpc_connector[1], 100 * 200 * g / S, TOL);
    CHECK_NEAR(c.dpc_connector[0], 100 * 2 * g / S, TOL);
    CHECK(c.dpc_connector[2] == 0 && c.dpc_connector[3] == 0);
    cw_conn_release(&c);
}

/* Touching triangle 0, 1, 2 (all d = 0) and 3 at 100 m from 2; areas 1, 2,
 * 3, 4. Touching ties: 1 is on no best path alone (0-2 touch directly), 2
 * carries 0..3 and 1..3 (p* = 0.5): connector_2 = 2*0.5*(1*4 + 2*4) = 12.
 * S = 1+4+9+16 + 2(2 + 3 + 6) + 2*0.5*4(1 + 2 + 3) = 30 + 22 + 24 = 76. */
static void test_touching_ties(struct cw_ctx *ctx)
{
    const double a[] = { 1, 2, 3, 4 };
    const struct cw_edge l[] = { { 0, 1, 0, NAN }, { 1, 2, 0, NAN }, { 0, 2, 0, NAN },
                                 { 2, 3, 100, NAN } };
    struct cw_conn c;
    CHECK(run(ctx, 4, a, l, 4, &c) == CW_OK);
    CHECK_NEAR(c.pc, 76 / 1e4, TOL);
    CHECK(c.dpc_connector[0] == 0 && c.dpc_connector[1] == 0);
    CHECK_NEAR(c.dpc_connector[2], 100 * 12 / 76.0, TOL);
    CHECK(c.dpc_connector[3] == 0);
    cw_conn_release(&c);
}

/* P = 1: every reachable pair has p* = 1 whatever the distance; PC then
 * counts components. Chain 0-1-2 of 1 m2 each: S = 9, and without 1 only
 * 1 + 1: connector_1 = 2*1*1 = 2. Zero-area patches change nothing. */
static void test_p_one_and_zero_area(struct cw_ctx *ctx)
{
    const double a[] = { 1, 1, 1, 0 };
    const struct cw_edge l[] = { { 0, 1, 100, NAN }, { 1, 2, 100, NAN }, { 2, 3, 7, NAN } };
    struct cw_conn_opts o = { 100, 1, 1, 0 };
    struct cw_conn c;
    CHECK(cw_patch_connectivity(ctx, 4, a, 3, l, 3, &o, &c) == CW_OK);
    CHECK_NEAR(c.pc, 1, TOL);
    CHECK_NEAR(c.dpc_connector[1], 100 * 2 / 9.0, TOL);
    CHECK(c.dpc[3] == 0);
    cw_conn_release(&c);
}

/* Without dPC no arrays; all areas 0: PC 0 and every dPC 0. */
static void test_no_dpc_and_no_area(struct cw_ctx *ctx)
{
    const double a[] = { 0, 0 }, b[] = { 5, 5 };
    const struct cw_edge l[] = { { 0, 1, 10, NAN } };
    struct cw_conn_opts o = { 100, 0.5, 0, 0 };
    struct cw_conn c;
    CHECK(cw_patch_connectivity(ctx, 2, b, 1, l, 100, &o, &c) == CW_OK);
    CHECK(c.dpc == NULL && c.dpc_connector == NULL && c.pc > 0);
    cw_conn_release(&c);
    CHECK(run(ctx, 2, a, l, 1, &c) == CW_OK);
    CHECK(c.pc == 0 && c.iic == 0 && c.ec == 0);
    CHECK(c.dpc && c.dpc[0] == 0 && c.dpc[1] == 0);
    cw_conn_release(&c);
}

/* --- bad input -------------------------------------------------------- */

static int bad(struct cw_ctx *ctx, size_t n, const double *area,
               const struct cw_edge *l, size_t nl, double landscape,
               const struct cw_conn_opts *o, const char *msg)
{
    struct cw_conn c;
    int rc = cw_patch_connectivity(ctx, n, area, nl, l, landscape, o, &c);
    CHECK(c.dpc == NULL && c.n == 0);
    if (!strstr(cw_ctx_errmsg(ctx), msg)) {
        fprintf(stderr, "message '%s' lacks '%s'\n", cw_ctx_errmsg(ctx), msg);
        CHECK(0);
    }
    return rc;
}

static void test_bad_input(struct cw_ctx *ctx)
{
    const double a[] = { 1, 2 }, neg[] = { 1, -1 }, nan_a[] = { NAN, 1 };
    const struct cw_edge ok[] = { { 0, 1, 5, NAN } }, range[] = { { 0, 2, 5, NAN } },
                         self[] = { { 1, 1, 5, NAN } }, far[] = { { 0, 1, 101, NAN } },
                         neg_d[] = { { 0, 1, -1, NAN } }, nan_d[] = { { 1, 0, NAN, NAN } };
    struct cw_conn_opts o = { 100, 0.5, 1, 0 }, o0 = { 0, 0.5, 1, 0 },
                        onan = { NAN, 0.5, 1, 0 }, op0 = { 100, 0, 1, 0 },
                        op2 = { 100, 1.5, 1, 0 };

    CHECK(bad(ctx, 2, neg, ok, 1, 10, &o, "patch 1: area -1") == CW_ERR_DATA);
    CHECK(bad(ctx, 2, nan_a, ok, 1, 10, &o, "patch 0: area nan") == CW_ERR_DATA);
    CHECK(bad(ctx, 2, a, range, 1, 10, &o, "link 0 (0, 2): patch index out"
              " of range (2 patches)") == CW_ERR_DATA);
    CHECK(bad(ctx, 2, a, self, 1, 10, &o, "link 0 (1, 1): a link must join")
          == CW_ERR_DATA);
    CHECK(bad(ctx, 2, a, far, 1, 10, &o, "distance 101 m exceeds the "
              "dispersal distance 100 m") == CW_ERR_DATA);
    CHECK(bad(ctx, 2, a, neg_d, 1, 10, &o, "distance -1 m must be finite")
          == CW_ERR_DATA);
    CHECK(bad(ctx, 2, a, nan_d, 1, 10, &o, "link 0 (1, 0): distance nan")
          == CW_ERR_DATA);
    CHECK(bad(ctx, 2, a, ok, 1, 0, &o, "landscape area 0 m2") == CW_ERR_DATA);
    CHECK(bad(ctx, 2, a, ok, 1, -INFINITY, &o, "landscape area")
          == CW_ERR_DATA);
    CHECK(bad(ctx, 2, a, ok, 1, 10, &o0, "dispersal distance 0 m")
          == CW_ERR_ARG);
    CHECK(bad(ctx, 2, a, ok, 1, 10, &onan, "dispersal distance nan")
          == CW_ERR_ARG);
    CHECK(bad(ctx, 2, a, ok, 1, 10, &op0, "must be in (0, 1]") == CW_ERR_ARG);
    CHECK(bad(ctx, 2, a, ok, 1, 10, &op2, "1.5 must be in (0, 1]")
          == CW_ERR_ARG);
    CHECK(bad(ctx, 2, a, ok, 1, 10, NULL, "no options") == CW_ERR_ARG);
    CHECK(bad(ctx, 2, NULL, ok, 1, 10, &o, "NULL") == CW_ERR_ARG);
}

/* A component above dpc_max_patches fails with dPC, not without. */
static void test_dpc_limit(struct cw_ctx *ctx)
{
    const double a[] = { 1, 2, 3, 4 };
    const struct cw_edge l[] = { { 0, 1, 5, NAN }, { 1, 2, 5, NAN }, { 2, 3, 5, NAN } };
    struct cw_conn_opts o = { 100, 0.5, 1, 3 };
    struct cw_conn c;
    CHECK(bad(ctx, 4, a, l, 3, 10, &o, "dPC: a connected component of 4 "
              "patches is above the limit of 3") == CW_ERR_ARG);
    CHECK(cw_patch_connectivity(ctx, 4, a, 2, l, 10, &o, &c) == CW_OK);
    CHECK(c.dpc != NULL);
    cw_conn_release(&c);
    o.want_dpc = 0;
    CHECK(cw_patch_connectivity(ctx, 4, a, 3, l, 10, &o, &c) == CW_OK);
    CHECK(c.pc > 0);
    cw_conn_release(&c);
}

/* A chain of 2,100 patches (10 m links) with a few 25 m bypasses i..i+2:
 * from any source some 2,097 nodes carry a subtree, enough for two
 * workers, and the bypassed nodes need confined searches. Results must not
 * depend on the thread count, to the bit. */
static void test_threads(struct cw_ctx *ctx)
{
    enum { L = 2100, NB = 5 };
    struct cw_edge *l = malloc((L - 1 + NB) * sizeof *l);
    double *a = malloc(L * sizeof *a);
    struct cw_conn_opts o = { 100, 0.5, 1, 0 };
    struct cw_conn c[3];
    size_t m = 0;
    CHECK(l && a);
    if (!l || !a)
        goto done;
    for (uint32_t i = 0; i < L; i++) {
        a[i] = 1 + i % 7;
        if (i + 1 < L)
            l[m++] = (struct cw_edge){ i, i + 1, 10, NAN };
    }
    for (uint32_t b = 0; b < NB; b++)
        l[m++] = (struct cw_edge){ 300 * b + 50, 300 * b + 52, 25, NAN };
    for (int t = 0; t < 3; t++) {
        cw_ctx_set_threads(ctx, t + 1);
        CHECK(cw_patch_connectivity(ctx, L, a, m, l, 1e6, &o, &c[t]) == CW_OK);
    }
    for (int t = 1; t < 3; t++) {
        CHECK(c[t].dpc && c[0].dpc && c[t].pc == c[0].pc);
        CHECK(c[t].dpc && c[0].dpc && memcmp(c[t].dpc_connector,
              c[0].dpc_connector, L * sizeof(double)) == 0);
    }
    /* Node 51 is bypassed: it carries less than its neighbour 49. */
    CHECK(c[0].dpc && c[0].dpc_connector[51] < c[0].dpc_connector[49]);
    for (int t = 0; t < 3; t++)
        cw_conn_release(&c[t]);
done:
    free(l);
    free(a);
}

static int cancel(double done, const char *msg, void *arg)
{
    (void)done, (void)msg, (void)arg;
    return 0;
}

static void test_cancel(struct cw_ctx *ctx)
{
    const double a[] = { 1, 2 };
    const struct cw_edge l[] = { { 0, 1, 5, NAN } };
    struct cw_conn c;
    cw_ctx_set_progress(ctx, cancel, NULL);
    CHECK(run(ctx, 2, a, l, 1, &c) == CW_ERR_ARG);
    CHECK(c.dpc == NULL && c.pc == 0);
    cw_ctx_set_progress(ctx, NULL, NULL);
    cw_conn_release(NULL);
    cw_conn_release(&c);
}

/* --- NetworkX oracle ---------------------------------------------------- */

struct fixture {
    char name[64];
    size_t n, m;
    double landscape, dispersal, p, iic, pc, ec;
    double *area, (*want)[4];   /* dpc, intra, flux, connector */
    struct cw_edge *links;
};

static void fixture_release(struct fixture *fx)
{
    free(fx->area);
    free(fx->want);
    free(fx->links);
    memset(fx, 0, sizeof *fx);
}

static int read_rows(FILE *f, struct fixture *fx)
{
    for (size_t k = 0; k < fx->n; k++) {
        size_t i;
        if (fscanf(f, " patch %zu %lf %lf %lf %lf %lf", &i, &fx->area[k],
                   &fx->want[k][0], &fx->want[k][1], &fx->want[k][2],
                   &fx->want[k][3]) != 6 || i != k)
            return -1;
    }
    for (size_t k = 0; k < fx->m; k++) {
        unsigned a, b;
        if (fscanf(f, " link %u %u %lf", &a, &b, &fx->links[k].dist) != 3)
            return -1;
        fx->links[k].a = a;
        fx->links[k].b = b;
    }
    return fscanf(f, " end") == 0 ? 0 : -1;
}

/* Reads the next graph. @return 1, 0 at the end of the file, -1 on error. */
static int fixture_next(FILE *f, struct fixture *fx)
{
    int rc = fscanf(f, " graph %63s %zu %zu %lf %lf %lf result %lf %lf %lf",
                    fx->name, &fx->n, &fx->m, &fx->landscape, &fx->dispersal,
                    &fx->p, &fx->iic, &fx->pc, &fx->ec);
    if (rc == EOF)
        return 0;
    if (rc != 9)
        return -1;
    fx->area = malloc(fx->n * sizeof *fx->area);
    fx->want = malloc(fx->n * sizeof *fx->want);
    fx->links = malloc((fx->m + 1) * sizeof *fx->links);
    if (!fx->area || !fx->want || !fx->links)
        return -1;
    return read_rows(f, fx) == 0 ? 1 : -1;
}

static int near_rel(double got, double want)
{
    return fabs(got - want) <= REL * fabs(want) + ABS;
}

/* Counts one check for a whole array, printing the first mismatch. */
static void check_column(const struct fixture *fx, const double *got, int col,
                         const char *what)
{
    for (size_t k = 0; k < fx->n; k++)
        if (!near_rel(got[k], fx->want[k][col])) {
            fprintf(stderr, "%s: %s[%zu] = %.17g, NetworkX %.17g\n", fx->name,
                    what, k, got[k], fx->want[k][col]);
            CHECK(0);
            return;
        }
    CHECK(1);
}

/* The same graph with its links reversed and in reverse order must give
 * bit-identical results. */
static void check_order_free(struct cw_ctx *ctx, const struct fixture *fx,
                             const struct cw_conn_opts *o,
                             const struct cw_conn *c)
{
    struct cw_edge *rev = malloc((fx->m + 1) * sizeof *rev);
    struct cw_conn d;
    for (size_t k = 0; rev && k < fx->m; k++)
        rev[k] = (struct cw_edge){ fx->links[fx->m - 1 - k].b,
                                   fx->links[fx->m - 1 - k].a,
                                   fx->links[fx->m - 1 - k].dist, NAN };
    CHECK(rev && cw_patch_connectivity(ctx, fx->n, fx->area, fx->m, rev,
                                       fx->landscape, o, &d) == CW_OK);
    CHECK(d.pc == c->pc && d.iic == c->iic && d.ec == c->ec);
    CHECK(d.dpc && memcmp(d.dpc, c->dpc, fx->n * sizeof *d.dpc) == 0);
    cw_conn_release(&d);
    free(rev);
}

static void check_fixture(struct cw_ctx *ctx, const struct fixture *fx)
{
    struct cw_conn_opts o = { fx->dispersal, fx->p, 1, 0 };
    struct cw_conn c;
    CHECK(cw_patch_connectivity(ctx, fx->n, fx->area, fx->m, fx->links,
                                fx->landscape, &o, &c) == CW_OK);
    if (!c.dpc)
        return;
    CHECK(near_rel(c.iic, fx->iic));
    CHECK(near_rel(c.pc, fx->pc));
    CHECK(near_rel(c.ec, fx->ec));
    check_column(fx, c.dpc, 0, "dpc");
    check_column(fx, c.dpc_intra, 1, "intra");
    check_column(fx, c.dpc_flux, 2, "flux");
    check_column(fx, c.dpc_connector, 3, "connector");
    check_order_free(ctx, fx, &o, &c);
    printf("%s: %zu patches, %zu links: IIC %.6g PC %.6g agree\n", fx->name,
           fx->n, fx->m, c.iic, c.pc);
    cw_conn_release(&c);
}

static void test_networkx(struct cw_ctx *ctx)
{
    FILE *f = open_data("patchconn_networkx.txt");
    struct fixture fx;
    int rc, graphs = 0;
    CHECK(f != NULL);
    if (!f)
        return;
    memset(&fx, 0, sizeof fx);
    while ((rc = fixture_next(f, &fx)) == 1) {
        check_fixture(ctx, &fx);
        fixture_release(&fx);
        graphs++;
    }
    fixture_release(&fx);
    CHECK(rc == 0 && graphs == 5);
    fclose(f);
}

int main(void)
{
    struct cw_ctx *ctx = cw_ctx_new();
    if (!ctx)
        return 1;
    test_empty(ctx);
    test_single(ctx);
    test_touching(ctx);
    test_at_dispersal(ctx);
    test_chain(ctx);
    test_components(ctx);
    test_tie(ctx);
    test_tie_broken(ctx);
    test_touching_ties(ctx);
    test_p_one_and_zero_area(ctx);
    test_no_dpc_and_no_area(ctx);
    test_bad_input(ctx);
    test_dpc_limit(ctx);
    test_threads(ctx);
    test_cancel(ctx);
    test_networkx(ctx);
    cw_ctx_free(ctx);
    return CHECK_DONE();
}
