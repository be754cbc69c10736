/* test_degurba.c: the Degree of Urbanisation grid classification
 * (cw_degurba_flags, cw_degurba_classify) on small grids drawn by hand, and
 * cw_grid_areas on equal-area, lon/lat and UTM grids.
 *
 * Every expected value comes from outside the library: the class pictures
 * are worked out cell by cell in the comments from the rules (Eurostat,
 * "Applying the Degree of Urbanisation", 2021; GHSL Data Package 2023 for
 * the majority rule and gap filling), four of them are the R2023A
 * majority-rule matrices of the flexurba R package's tests (MIT,
 * tests/testthat/test-apply-majority-rule.R), and the areas come from
 * GeographicLib's geod_polygonarea on densified cells, GeographicLib's
 * published area of the WGS84 ellipsoid, the UTM scale factor 0.9996 and
 * PROJ's proj_factors().
 *
 * Grids are 1000 m cells of World Mollweide (ESRI:54009), so every cell is
 * 1 km² and a cell's population is its density per km² of cell area.
 * SPDX-License-Identifier: MIT
 */
#include <math.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include <geodesic.h>

#include "cityweave/degurba.h"
#include "check.h"

#define NELEM(a) (sizeof (a) / sizeof (a)[0])
#define REL(a, b) (fabs((a) - (b)) / fabs(b))

static struct cw_ctx *ctx;

/* ---------------------------------------------------------------- helpers */

/* A CRS as GDAL-flavoured WKT, as a GeoTIFF would carry it. */
static char *crs_wkt(const char *def)
{
    PJ *crs = proj_create(cw_ctx_proj(ctx), def);
    const char *w = crs ? proj_as_wkt(cw_ctx_proj(ctx), crs, PJ_WKT1_GDAL, NULL) : NULL;
    char *s = w ? strdup(w) : NULL;
    proj_destroy(crs);
    return s;
}

/* What one character of a picture stands for. */
struct key {
    char ch;
    float pop;     /* residents */
    float land;    /* m² of land (1e6 = all land); or a share, see 'land as share' */
    float built;   /* m² built up */
};

/* The common legend: 1 km² cells, so pop is also the density per km². */
static const struct key KEYS[] = {
    {'.', 0, 1e6f, 0},       /* empty land */
    {'~', 0, 0, 0},          /* open water: no land, nobody, nothing built */
    {'C', 10000, 1e6f, 0},   /* 10,000/km²: five make an urban centre */
    {'F', 5000, 1e6f, 0},    /* 5,000/km²: ten make an urban centre */
    {'D', 2000, 1e6f, 0},    /* dense (>= 1500) */
    {'S', 1000, 1e6f, 0},    /* >= 300 but < 1500 */
    {'R', 400, 1e6f, 0},     /* >= 300 */
    {'L', 100, 1e6f, 0},     /* >= 50 but < 300 */
    {'V', 10, 1e6f, 0},      /* < 50 */
};

struct scene {
    struct cw_grid g;
    struct cw_areas a;
    float *pop, *land, *built;
};

static const struct key *find_key(char ch, const struct key *keys, size_t nk)
{
    for (size_t i = 0; i < nk; i++)
        if (keys[i].ch == ch)
            return &keys[i];
    for (size_t i = 0; i < NELEM(KEYS); i++)
        if (KEYS[i].ch == ch)
            return &KEYS[i];
    return NULL;
}

/* Builds a Mollweide grid of 1000 m cells from @p rows, each character
 * looked up in @p keys first, then in KEYS. @return 1 on success. */
static int draw(struct scene *s, const char *const *rows, int ny, const struct key *keys,
                size_t nk)
{
    memset(s, 0, sizeof *s);
    int nx = (int)strlen(rows[0]);
    size_t n = (size_t)nx * (size_t)ny;
    s->g.nx = nx;
    s->g.ny = ny;
    /* somewhere over Europe; any origin gives the same 1 km² cells */
    double gt[6] = {500000, 1000, 0, 5500000, 0, -1000};
    memcpy(s->g.gt, gt, sizeof gt);
    s->g.wkt = crs_wkt("ESRI:54009");
    s->pop = malloc(n * sizeof *s->pop);
    s->land = malloc(n * sizeof *s->land);
    s->built = malloc(n * sizeof *s->built);
    if (!s->g.wkt || !s->pop || !s->land || !s->built)
        return 0;
    for (int r = 0; r < ny; r++) {
        if ((int)strlen(rows[r]) != nx) {
            fprintf(stderr, "picture row %d has %zu columns, not %d\n", r, strlen(rows[r]), nx);
            return 0;
        }
        for (int c = 0; c < nx; c++) {
            const struct key *k = find_key(rows[r][c], keys, nk);
            if (!k) {
                fprintf(stderr, "no key for '%c'\n", rows[r][c]);
                return 0;
            }
            size_t i = (size_t)r * nx + c;
            s->pop[i] = k->pop;
            s->land[i] = k->land;
            s->built[i] = k->built;
        }
    }
    return cw_grid_areas(ctx, &s->g, &s->a) == CW_OK;
}

static void scene_free(struct scene *s)
{
    cw_areas_release(&s->a);
    cw_grid_release(&s->g);
    free(s->pop);
    free(s->land);
    free(s->built);
}

enum { POP_ONLY = 0, LAND = 1, BUILT = 2 };

/* Both calls, with the land and built grids when @p inputs asks. */
static int run(const struct scene *s, int inputs, const struct cw_degurba_opts *o,
               struct cw_degurba *res)
{
    uint8_t *flags = NULL;
    memset(res, 0, sizeof *res);
    int rc = cw_degurba_flags(ctx, &s->g, &s->a, s->pop, (inputs & LAND) ? s->land : NULL,
                              (inputs & BUILT) ? s->built : NULL, o, &flags);
    if (!rc)
        rc = cw_degurba_classify(ctx, &s->g, &s->a, s->pop, flags, o, res);
    if (rc)
        fprintf(stderr, "degurba failed: %s\n", cw_ctx_errmsg(ctx));
    free(flags);
    return rc;
}

/* Picture characters of expected classes: level-1 codes as digits, level-2
 * codes as letters. */
static int code_of(char ch)
{
    switch (ch) {
    case '0': return CW_L1_WATER;
    case '1': return CW_L1_RURAL;
    case '2': return CW_L1_CLUSTER;
    case '3': return CW_L1_CENTRE;
    case 'w': return CW_L2_WATER;          /* 10 */
    case 'v': return CW_L2_VERY_LOW;       /* 11 */
    case 'l': return CW_L2_LOW;            /* 12 */
    case 'r': return CW_L2_RURAL_CLUSTER;  /* 13 */
    case 's': return CW_L2_SUBURBAN;       /* 21 */
    case 'S': return CW_L2_SEMI_DENSE;     /* 22 */
    case 'D': return CW_L2_DENSE;          /* 23 */
    case 'U': return CW_L2_CENTRE;         /* 30 */
    }
    return -1;
}

static char char_of(int code)
{
    static const char chars[] = "0123wvlrsSDU";
    for (const char *p = chars; *p; p++)
        if (code_of(*p) == code)
            return *p;
    return '?';
}

/* @return 1 when res->cls is the picture @p want; prints both otherwise. */
static int codes_match(const struct scene *s, const struct cw_degurba *res,
                       const char *const *want, int ny, int line)
{
    if (!res->cls || ny != s->g.ny) {
        fprintf(stderr, "line %d: no classes, or %d expected rows for %d\n", line, ny, s->g.ny);
        return 0;
    }
    int bad = 0;
    for (int r = 0; r < ny; r++)
        for (int c = 0; c < s->g.nx; c++)
            bad += code_of(want[r][c]) != res->cls[(size_t)r * s->g.nx + c];
    if (bad) {
        fprintf(stderr, "line %d: %d cells differ (expected | got)\n", line, bad);
        for (int r = 0; r < ny; r++) {
            fprintf(stderr, "  %s | ", want[r]);
            for (int c = 0; c < s->g.nx; c++)
                fputc(char_of(res->cls[(size_t)r * s->g.nx + c]), stderr);
            fputc('\n', stderr);
        }
    }
    return bad == 0;
}

#define CHECK_CODES(s, res, want) \
    CHECK(codes_match((s), (res), (want), (int)NELEM(want), __LINE__))

/* Draws @p in, classifies with @p o and checks the picture @p want. */
#define CASE(in, keys, nk, inputs, o, want) do {                               \
    struct scene s_;                                                          \
    struct cw_degurba r_;                                                     \
    CHECK(draw(&s_, (in), (int)NELEM(in), (keys), (nk)));                     \
    CHECK(run(&s_, (inputs), (o), &r_) == CW_OK);                             \
    CHECK_CODES(&s_, &r_, want);                                              \
    cw_degurba_release(&r_);                                                  \
    scene_free(&s_);                                                          \
} while (0)

static struct cw_degurba_opts level(int lv, int smooth)
{
    struct cw_degurba_opts o;
    cw_degurba_defaults(&o);
    o.level = lv;
    o.smooth = smooth;
    return o;
}

/* --------------------------------------------------------- 1. thresholds */

/* Ten 5,000/km² cells joined through edges: 50,000 people, exactly the
 * centre size (>= 50,000), each cell >= 1500/km². The cells round them
 * touch at most 3 centre cells of 8, so the majority rule adds nothing;
 * the centre spans 2 rows, so it can have no hole. */
static void test_centre_size(void)
{
    struct cw_degurba_opts o = level(1, 1);
    struct scene s;
    struct cw_degurba res;
    static const char *const in[] = {
        "............",
        ".FFFFF......",
        ".FFFFF......",
        "............",
    };
    static const char *const want[] = {
        "111111111111",
        "133333111111",
        "133333111111",
        "111111111111",
    };
    CHECK(draw(&s, in, (int)NELEM(in), NULL, 0));
    CHECK(run(&s, POP_ONLY, &o, &res) == CW_OK);
    CHECK_CODES(&s, &res, want);
    CHECK(res.ncentres == 1 && res.nclusters == 1);
    if (res.ncentres == 1 && res.nclusters == 1) {
        CHECK_NEAR(res.centre_pop[1], 50000, 1e-6);
        CHECK_NEAR(res.centre_km2[1], 10, 1e-9);
        /* the urban cluster (>= 300/km², 8-connected) is the same 10 cells */
        CHECK_NEAR(res.cluster_pop[1], 50000, 1e-6);
        CHECK_NEAR(res.cluster_km2[1], 10, 1e-9);
        CHECK(res.centre[1 * 12 + 1] == 1 && res.centre[2 * 12 + 5] == 1);
        CHECK(res.centre[0] == 0 && res.cluster[0] == 0);
        CHECK(res.cluster[2 * 12 + 5] == 1);
    }
    cw_degurba_release(&res);
    scene_free(&s);

    /* One person short: 9 x 5000 + 4999 = 49,999 < 50,000: no centre; still
     * an urban cluster (>= 300/km², >= 5,000). */
    static const struct key short1[] = {{'f', 4999, 1e6f, 0}};
    static const char *const in2[] = {
        "............",
        ".FFFFF......",
        ".FFFFf......",
        "............",
    };
    static const char *const want2[] = {
        "111111111111",
        "122222111111",
        "122222111111",
        "111111111111",
    };
    CHECK(draw(&s, in2, (int)NELEM(in2), short1, NELEM(short1)));
    CHECK(run(&s, POP_ONLY, &o, &res) == CW_OK);
    CHECK_CODES(&s, &res, want2);
    CHECK(res.ncentres == 0 && res.nclusters == 1);
    if (res.nclusters == 1)
        CHECK_NEAR(res.cluster_pop[1], 49999, 1e-6);
    cw_degurba_release(&res);
    scene_free(&s);
}

/* Centres are 4-connected, clusters 8-connected. */
static void test_connectivity(void)
{
    struct cw_degurba_opts o = level(1, 1);
    struct scene s;
    struct cw_degurba res;
    /* Two rows of five 5,000 cells meeting at one corner, (1,5) and (2,6):
     * through edges they are two regions of 25,000 (no centre), through
     * corners one of 50,000 >= 5,000: an urban cluster. */
    static const char *const in[] = {
        "............",
        ".FFFFF......",
        "......FFFFF.",
        "............",
    };
    static const char *const want[] = {
        "111111111111",
        "122222111111",
        "111111222221",
        "111111111111",
    };
    CHECK(draw(&s, in, (int)NELEM(in), NULL, 0));
    CHECK(run(&s, POP_ONLY, &o, &res) == CW_OK);
    CHECK_CODES(&s, &res, want);
    CHECK(res.ncentres == 0 && res.nclusters == 1);
    if (res.nclusters == 1) {
        CHECK_NEAR(res.cluster_pop[1], 50000, 1e-6);
        CHECK_NEAR(res.cluster_km2[1], 10, 1e-9);
    }
    cw_degurba_release(&res);
    scene_free(&s);

    /* One column further left they share the edge (1,5)-(2,5): one centre
     * of 50,000. Majority rule: (2,4) has (1,3),(1,4),(1,5),(2,5) = 4 of 8
     * centre neighbours, (1,6) has (1,5),(2,5),(2,6),(2,7) = 4 of 8: no
     * majority, nothing joins. */
    static const char *const in2[] = {
        "............",
        ".FFFFF......",
        ".....FFFFF..",
        "............",
    };
    static const char *const want2[] = {
        "111111111111",
        "133333111111",
        "111113333311",
        "111111111111",
    };
    CHECK(draw(&s, in2, (int)NELEM(in2), NULL, 0));
    CHECK(run(&s, POP_ONLY, &o, &res) == CW_OK);
    CHECK_CODES(&s, &res, want2);
    CHECK(res.ncentres == 1);
    if (res.ncentres == 1)
        CHECK_NEAR(res.centre_pop[1], 50000, 1e-6);
    cw_degurba_release(&res);
    scene_free(&s);
}

/* Density thresholds are inclusive: 1500/km² is dense, 1499 is not;
 * 300 makes a cluster cell, 299 does not; 5,000 people make a cluster,
 * 4,999 do not. */
static void test_density_edges(void)
{
    struct cw_degurba_opts o = level(1, 1);
    /* 36 cells x 1500 = 54,000 >= 50,000, all at exactly 1500/km². */
    static const struct key k1500[] = {{'x', 1500, 1e6f, 0}, {'y', 1499, 1e6f, 0}};
    static const char *const in[] = {
        "........",
        ".xxxxxx.",
        ".xxxxxx.",
        ".xxxxxx.",
        ".xxxxxx.",
        ".xxxxxx.",
        ".xxxxxx.",
        "........",
    };
    static const char *const want[] = {
        "11111111",
        "13333331",
        "13333331",
        "13333331",
        "13333331",
        "13333331",
        "13333331",
        "11111111",
    };
    CASE(in, k1500, NELEM(k1500), POP_ONLY, &o, want);
    /* 36 x 1499 = 53,964 people, none dense: an urban cluster only */
    static const char *const in2[] = {
        "........",
        ".yyyyyy.",
        ".yyyyyy.",
        ".yyyyyy.",
        ".yyyyyy.",
        ".yyyyyy.",
        ".yyyyyy.",
        "........",
    };
    static const char *const want2[] = {
        "11111111",
        "12222221",
        "12222221",
        "12222221",
        "12222221",
        "12222221",
        "12222221",
        "11111111",
    };
    CASE(in2, k1500, NELEM(k1500), POP_ONLY, &o, want2);

    /* 17 x 300 = 5,100 >= 5,000 at exactly 300/km²: a cluster; at 299/km²
     * (5,083 people) no cell qualifies. */
    static const struct key k300[] = {{'x', 300, 1e6f, 0}, {'y', 299, 1e6f, 0}};
    static const char *const in3[] = {
        "...................",
        ".xxxxxxxxxxxxxxxxx.",
        ".yyyyyyyyyyyyyyyyy.",
        "...................",
    };
    static const char *const want3[] = {
        "1111111111111111111",
        "1222222222222222221",
        "1111111111111111111",
        "1111111111111111111",
    };
    /* the 299 row touches the 300 row but is not >= 300: not part of it */
    CASE(in3, k300, NELEM(k300), POP_ONLY, &o, want3);

    /* Cluster size: 5 x 1000 = 5,000 is a cluster; 4 x 1000 + 999 = 4,999
     * is not. */
    static const struct key k999[] = {{'s', 999, 1e6f, 0}};
    static const char *const in4[] = {
        ".......",
        ".SSSSS.",
        ".......",
        ".SSSSs.",
        ".......",
    };
    static const char *const want4[] = {
        "1111111",
        "1222221",
        "1111111",
        "1111111",
        "1111111",
    };
    CASE(in4, k999, NELEM(k999), POP_ONLY, &o, want4);
}

/* Density is per km² of land: 1,000 people on 0.5 km² of land is
 * 2,000/km², dense; on a whole km² (no land grid) 1,000/km², not dense. */
static void test_land_density(void)
{
    struct cw_degurba_opts o = level(1, 1);
    struct scene s;
    struct cw_degurba res;
    static const struct key half_m2[] = {{'h', 1000, 5e5f, 0}};
    static const struct key half_share[] = {{'h', 1000, 0.5f, 0}, {'.', 0, 1, 0}};
    /* 50 cells x 1000 = 50,000 people */
    static const char *const in[] = {
        "............",
        ".hhhhhhhhhh.",
        ".hhhhhhhhhh.",
        ".hhhhhhhhhh.",
        ".hhhhhhhhhh.",
        ".hhhhhhhhhh.",
        "............",
    };
    static const char *const centre[] = {
        "111111111111",
        "133333333331",
        "133333333331",
        "133333333331",
        "133333333331",
        "133333333331",
        "111111111111",
    };
    static const char *const cluster[] = {
        "111111111111",
        "122222222221",
        "122222222221",
        "122222222221",
        "122222222221",
        "122222222221",
        "111111111111",
    };
    CHECK(draw(&s, in, (int)NELEM(in), half_m2, NELEM(half_m2)));
    CHECK(run(&s, LAND, &o, &res) == CW_OK);
    CHECK_CODES(&s, &res, centre);
    CHECK(res.ncentres == 1);
    if (res.ncentres == 1) {
        CHECK_NEAR(res.centre_pop[1], 50000, 1e-6);
        /* area is of cells, not of land: 50 cells of 1 km² */
        CHECK_NEAR(res.centre_km2[1], 50, 1e-9);
    }
    cw_degurba_release(&res);
    /* no land grid: all land, 1,000/km² */
    CHECK(run(&s, POP_ONLY, &o, &res) == CW_OK);
    CHECK_CODES(&s, &res, cluster);
    CHECK(res.ncentres == 0 && res.nclusters == 1);
    cw_degurba_release(&res);
    scene_free(&s);
    /* the land grid as shares (no value above 1): the same */
    CASE(in, half_share, NELEM(half_share), LAND, &o, centre);
}

/* Water: land share below 0.5, nobody and nothing built. */
static void test_water(void)
{
    struct cw_degurba_opts o1 = level(1, 1), o2 = level(2, 1);
    static const struct key k[] = {
        {'w', 0, 4e5f, 0},      /* 0.4 km² of land, nobody: water */
        {'p', 10, 4e5f, 0},     /* people live there: not water (25/km²) */
        {'h', 0, 5e5f, 0},      /* land share exactly 0.5: not below, land */
        {'n', NAN, 0, 0},       /* nodata population counts as nobody */
        {'b', 0, 4e5f, 1000},   /* 1,000 m² built: not water, if known */
    };
    static const char *const in[] = {"~wphnb."};
    static const char *const l1_built[] = {"0011011"};
    static const char *const l1[] = {"0011001"};
    /* level 2: nobody anywhere reaches 50/km² (p: 10 / 0.4 = 25) */
    static const char *const l2_built[] = {"wwvvwvv"};
    static const char *const l2[] = {"wwvvwwv"};
    CASE(in, k, NELEM(k), LAND | BUILT, &o1, l1_built);
    CASE(in, k, NELEM(k), LAND, &o1, l1);
    CASE(in, k, NELEM(k), LAND | BUILT, &o2, l2_built);
    CASE(in, k, NELEM(k), LAND, &o2, l2);
}

/* ------------------------------------------------------ 2. majority rule */

static void test_majority(void)
{
    struct cw_degurba_opts on = level(1, 1), off = level(1, 0);

    /* A notch of one cell, (2,5): neighbours (2,4),(2,6),(3,4),(3,5),(3,6)
     * are centre, (1,4),(1,5),(1,6) not: 5 of 8 > half, it joins. Then
     * (1,5) sees (2,4),(2,5),(2,6): 3 of 8, no; nothing else has more than
     * 3. Without the rule the notch stays (it opens on the top edge of the
     * centre's bounding box, so it is no hole to fill). */
    static const char *const in[] = {
        "..........",
        "..........",
        "..CCC.CCC.",
        "..CCCCCCC.",
        "..CCCCCCC.",
        "..........",
    };
    static const char *const joined[] = {
        "1111111111",
        "1111111111",
        "1133333331",
        "1133333331",
        "1133333331",
        "1111111111",
    };
    static const char *const kept[] = {
        "1111111111",
        "1111111111",
        "1133313331",
        "1133333331",
        "1133333331",
        "1111111111",
    };
    CASE(in, NULL, 0, POP_ONLY, &on, joined);
    CASE(in, NULL, 0, POP_ONLY, &off, kept);

    /* A notch two cells wide: (2,5) has (2,4),(3,4),(3,5),(3,6) = 4 of 8,
     * (2,6) likewise 4 of 8: not more than half, neither joins. */
    static const char *const in2[] = {
        "...........",
        "...........",
        "..CCC..CCC.",
        "..CCCCCCCC.",
        "..CCCCCCCC.",
        "...........",
    };
    static const char *const want2[] = {
        "11111111111",
        "11111111111",
        "11333113331",
        "11333333331",
        "11333333331",
        "11111111111",
    };
    CASE(in2, NULL, 0, POP_ONLY, &on, want2);

    /* The same with water above the notch, (1,5) and (1,6): water is left
     * out of the count, so (2,5) has 4 centre neighbours of 6 counted and
     * (2,6) 4 of 6: both join. Then (1,4) has (2,3),(2,4),(2,5) of 7
     * counted (the water cell (1,5) left out), (1,7) likewise 3 of 7: no.
     * Water cells themselves never join. */
    static const char *const in3[] = {
        "...........",
        ".....~~....",
        "..CCC..CCC.",
        "..CCCCCCCC.",
        "..CCCCCCCC.",
        "...........",
    };
    static const char *const want3[] = {
        "11111111111",
        "11111001111",
        "11333333331",
        "11333333331",
        "11333333331",
        "11111111111",
    };
    CASE(in3, NULL, 0, LAND, &on, want3);

    /* Iteration: the two-cell notch again, with a bump (1,4) on the centre.
     * Round 1: (2,5) has (1,4),(2,4),(3,4),(3,5),(3,6) = 5 of 8: joins;
     * (2,6) has (2,7),(3,5),(3,6),(3,7) = 4 of 8: not yet. Round 2: with
     * (2,5) in, (2,6) has 5 of 8: joins. Round 3: (1,5) has (1,4),(2,4),
     * (2,5),(2,6) = 4 of 8, (1,6) 3, (1,7) 3: done. */
    static const char *const in4[] = {
        "............",
        "....C.......",
        "..CCC..CCC..",
        "..CCCCCCCC..",
        "..CCCCCCCC..",
        "............",
    };
    static const char *const want4[] = {
        "111111111111",
        "111131111111",
        "113333333311",
        "113333333311",
        "113333333311",
        "111111111111",
    };
    static const char *const want4_off[] = {
        "111111111111",
        "111131111111",
        "113331133311",
        "113333333311",
        "113333333311",
        "111111111111",
    };
    CASE(in4, NULL, 0, POP_ONLY, &on, want4);
    CASE(in4, NULL, 0, POP_ONLY, &off, want4_off);

    /* Cells outside the grid count, as not in a centre. The grid corner
     * (0,0): its 3 neighbours inside, (0,1),(1,0),(1,1), are centre, its 5
     * outside are not: 3 of 8, it stays out (3 of 3 if the outside were
     * not counted). */
    static const char *const in5[] = {
        ".CCCCC....",
        "CCCCCC....",
        "CCCCCC....",
        "..........",
    };
    static const char *const want5[] = {
        "1333331111",
        "3333331111",
        "3333331111",
        "1111111111",
    };
    CASE(in5, NULL, 0, POP_ONLY, &on, want5);

    /* On the top row, a two-cell notch (0,3),(0,4): (0,3) has (0,2),(1,2),
     * (1,3),(1,4) = 4 of 8 with its 3 outside neighbours: stays out (4 of
     * 5 without them); a one-cell notch (0,8): (0,7),(0,9),(1,7),(1,8),(1,9)
     * = 5 of 8: joins. */
    static const char *const in6[] = {
        "CCC..CCC.CCC",
        "CCCCCCCCCCCC",
        "CCCCCCCCCCCC",
        "............",
    };
    static const char *const want6[] = {
        "333113333333",
        "333333333333",
        "333333333333",
        "111111111111",
    };
    CASE(in6, NULL, 0, POP_ONLY, &on, want6);
}

/* The R2023A cases of flexurba's tests/testthat/test-apply-majority-rule.R
 * (3x3 grids, x = 1 an urban centre, NA not), ported: centre cells get
 * 20,000 people (so the 3 or 7 of them are a centre of >= 50,000), the
 * others flexurba's pop and land share. flexurba's separate
 * permanent-water layer becomes a cell with no land and nobody (water as
 * the library defines it). The expected matrices are flexurba's, in
 * level-1 codes: its 1 -> 3, its NA -> 1, or 0 where the cell is water
 * (land share 0.3 < 0.5, nobody). */
static void test_majority_flexurba(void)
{
    struct cw_degurba_opts o = level(1, 1);
    /* 'X' centre; 'a' pop 1 on all land; 'b' pop 1 on 0.3 (not water:
     * people); 'z' pop 0 on 0.3 (ignored in the count, and water); 'W'
     * flexurba's permanent water; all land given as shares */
    static const struct key k[] = {
        {'X', 20000, 1, 0}, {'a', 1, 1, 0}, {'b', 1, 0.3f, 0},
        {'z', 0, 0.3f, 0}, {'W', 0, 0, 0}, {'o', 0, 1, 0},
    };
    /* "no effect of permanent_water, land, pop": x = 1 1 1 / 1 NA NA /
     * 1 1 1, all land, pop 1 everywhere -> all 1. (1,1) has 7 of 8; (1,2)
     * 4 of 8 with its 3 outside neighbours, 5 of 8 once (1,1) joined. */
    static const char *const in1[] = {"XXX", "Xaa", "XXX"};
    static const char *const want1[] = {"333", "333", "333"};
    CASE(in1, k, NELEM(k), LAND, &o, want1);
    /* "effect of permanent_water": the same with water at (1,2) -> the
     * centre takes (1,1) (7 of 7 counted), never the water cell */
    static const char *const in2[] = {"XXX", "XaW", "XXX"};
    static const char *const want2[] = {"333", "330", "333"};
    CASE(in2, k, NELEM(k), LAND, &o, want2);
    /* "effect of land and pop", first: land 1 .3 .3 / 1 1 .3 / 1 1 1,
     * pop 1 0 0 / 1 1 1 / 1 0 1, x only on the bottom row -> unchanged.
     * (1,1): (0,1),(0,2) ignored, (1,2) counted (pop 1): 3 centre of 6,
     * not more than half. */
    static const char *const in3[] = {"azz", "aab", "XXX"};
    static const char *const want3[] = {"100", "111", "333"};
    CASE(in3, k, NELEM(k), LAND, &o, want3);
    /* second: pop at (1,2) is 0 -> (1,2) ignored too: (1,1) has 3 of 5 and
     * joins; (1,0) then has 3 of 7 ((0,1) ignored, 3 outside): no. */
    static const char *const in4[] = {"azz", "aaz", "XXX"};
    static const char *const want4[] = {"100", "130", "333"};
    CASE(in4, k, NELEM(k), LAND, &o, want4);
}

/* A cell whose only counted neighbour is a corner of a centre: (5,5) below
 * and right of the centre's corner (4,4), all its other neighbours water.
 * 1 of 1 counted is a majority (flexurba's majority_rule_R2023A:
 * maxcount * 2 > N), so it joins that centre and takes its id: still one
 * centre, 250,000 people on 26 km².
 * Was a bug (fixed): the library adds the cell, but then renumbers centres as
 * 4-connected regions of centre cells, and (5,5) touches the centre only
 * at a corner: it becomes a second "urban centre" of 0 people and 1 km²
 * (ncentres 2, centre_pop[2] 0), below the 50,000 that defines one. */
static void test_majority_diagonal(void)
{
    struct cw_degurba_opts o = level(1, 1);
    struct scene s;
    struct cw_degurba res;
    /* Other candidates: (3,5) has (2,4),(3,4),(4,4) of 6 counted ((4,5),
     * (4,6) water): 3 of 6, no; (5,3) likewise 3 of 6; the rest <= 2 of 8. */
    static const char *const in[] = {
        "CCCCC..",
        "CCCCC..",
        "CCCCC..",
        "CCCCC..",
        "CCCCC~~",
        "....~.~",
        "....~~~",
    };
    static const char *const want[] = {
        "3333311",
        "3333311",
        "3333311",
        "3333311",
        "3333300",
        "1111030",
        "1111000",
    };
    CHECK(draw(&s, in, (int)NELEM(in), NULL, 0));
    CHECK(run(&s, LAND, &o, &res) == CW_OK);
    CHECK_CODES(&s, &res, want);
    CHECK(res.ncentres == 1);
    if (res.centre) {
        CHECK(res.centre[5 * 7 + 5] == res.centre[0]);
        CHECK(res.centre[0] == 1);
    }
    if (res.ncentres >= 1) {
        CHECK_NEAR(res.centre_pop[1], 250000, 1e-6);
        CHECK(fabs(res.centre_km2[1] - 26) < 1e-9);
    }
    for (int k = 1; k <= res.ncentres; k++)   /* no centre below 50,000 */
        CHECK(res.centre_pop[k] >= 50000);
    cw_degurba_release(&res);
    scene_free(&s);
}

/* ------------------------------------------------------- 3. gap filling */

static void test_gaps(void)
{
    /* without the majority rule, which would eat into holes from their
     * corners, to see the gap rule alone */
    struct cw_degurba_opts off = level(1, 0), on = level(1, 1);
    struct scene s;
    struct cw_degurba res;
    static const struct key k[] = {{'p', 100, 1e6f, 0}, {'B', 60000, 1e6f, 0}};

    /* A 3x3 hole (9 km² < 15) in a ring of 16 cells of 10,000: filled. The
     * hole's 100 people at (3,3) join the centre: 160,100, 25 km². */
    static const char *const in1[] = {
        ".......",
        ".CCCCC.",
        ".C...C.",
        ".C.p.C.",
        ".C...C.",
        ".CCCCC.",
        ".......",
    };
    static const char *const want1[] = {
        "1111111",
        "1333331",
        "1333331",
        "1333331",
        "1333331",
        "1333331",
        "1111111",
    };
    CHECK(draw(&s, in1, (int)NELEM(in1), k, NELEM(k)));
    CHECK(run(&s, POP_ONLY, &off, &res) == CW_OK);
    CHECK_CODES(&s, &res, want1);
    CHECK(res.ncentres == 1);
    if (res.ncentres == 1) {
        CHECK_NEAR(res.centre_pop[1], 160100, 1e-6);
        CHECK_NEAR(res.centre_km2[1], 25, 1e-9);
    }
    cw_degurba_release(&res);
    scene_free(&s);

    /* A 4x4 hole (16 km²): kept. */
    static const char *const in2[] = {
        "........",
        ".CCCCCC.",
        ".C....C.",
        ".C....C.",
        ".C....C.",
        ".C....C.",
        ".CCCCCC.",
        "........",
    };
    static const char *const want2[] = {
        "11111111",
        "13333331",
        "13111131",
        "13111131",
        "13111131",
        "13111131",
        "13333331",
        "11111111",
    };
    CASE(in2, NULL, 0, POP_ONLY, &off, want2);
    /* With the majority rule first (the GHSL order): the hole's corners
     * (2,2),(2,5),(5,2),(5,5) each have 5 ring neighbours of 8 and join;
     * then (2,3) has (1,2),(1,3),(1,4),(2,2) = 4 of 8, (3,3) 1: no more.
     * The 12 cells left are under 15 km²: filled. */
    static const char *const want2s[] = {
        "11111111",
        "13333331",
        "13333331",
        "13333331",
        "13333331",
        "13333331",
        "13333331",
        "11111111",
    };
    CASE(in2, NULL, 0, POP_ONLY, &on, want2s);

    /* Exactly 15 km² (3x5): not strictly smaller, kept; 14 km² (2x7):
     * filled. */
    static const char *const in3[] = {
        ".........",
        ".CCCCCCC.",
        ".C.....C.",
        ".C.....C.",
        ".C.....C.",
        ".CCCCCCC.",
        ".........",
    };
    static const char *const want3[] = {
        "111111111",
        "133333331",
        "131111131",
        "131111131",
        "131111131",
        "133333331",
        "111111111",
    };
    CASE(in3, NULL, 0, POP_ONLY, &off, want3);
    static const char *const in4[] = {
        "...........",
        ".CCCCCCCCC.",
        ".C.......C.",
        ".C.......C.",
        ".CCCCCCCCC.",
        "...........",
    };
    static const char *const want4[] = {
        "11111111111",
        "13333333331",
        "13333333331",
        "13333333331",
        "13333333331",
        "11111111111",
    };
    CASE(in4, NULL, 0, POP_ONLY, &off, want4);

    /* A 2x2 hole open to the grid's top edge, (0,1),(0,2),(1,1),(1,2):
     * what lies beyond the edge is unknown, so it is no hole. */
    static const char *const in5[] = {
        "C..CC....",
        "C..CC....",
        "CCCCC....",
        "CCCCC....",
        ".........",
    };
    /* without the rule: not filled */
    static const char *const want5[] = {
        "311331111",
        "311331111",
        "333331111",
        "333331111",
        "111111111",
    };
    CASE(in5, NULL, 0, POP_ONLY, &off, want5);
    /* With the majority rule: (1,1) has (0,0),(1,0),(2,0),(2,1),(2,2) = 5
     * of 8 and joins, (1,2) has (0,3),(1,3),(2,1),(2,2),(2,3) = 5 of 8 and
     * joins; then (0,1) has (0,0),(1,0),(1,1),
     * (1,2) = 4 of 8 with 3 outside, (0,2) likewise 4: they stay out, and
     * are still open to the edge. */
    static const char *const want5s[] = {
        "311331111",
        "333331111",
        "333331111",
        "333331111",
        "111111111",
    };
    CASE(in5, NULL, 0, POP_ONLY, &on, want5s);

    /* A hole bordered by two centres: the ring A (16 x 10,000) round a gap
     * of 8 cells and a one-cell centre B (60,000 on 1 km²) in the middle,
     * not edge-adjacent to A. The 9 km² inside the ring are not a hole of
     * A alone: nothing is filled, two centres. */
    static const char *const in6[] = {
        ".......",
        ".CCCCC.",
        ".C...C.",
        ".C.B.C.",
        ".C...C.",
        ".CCCCC.",
        ".......",
    };
    static const char *const want6[] = {
        "1111111",
        "1333331",
        "1311131",
        "1313131",
        "1311131",
        "1333331",
        "1111111",
    };
    CHECK(draw(&s, in6, (int)NELEM(in6), k, NELEM(k)));
    CHECK(run(&s, POP_ONLY, &off, &res) == CW_OK);
    CHECK_CODES(&s, &res, want6);
    CHECK(res.ncentres == 2);
    if (res.ncentres == 2) {
        /* ids in row-major order of first cells: A at (1,1), B at (3,3) */
        CHECK(res.centre[1 * 7 + 1] == 1 && res.centre[3 * 7 + 3] == 2);
        CHECK_NEAR(res.centre_pop[1], 160000, 1e-6);
        CHECK_NEAR(res.centre_pop[2], 60000, 1e-6);
        CHECK_NEAR(res.centre_km2[1], 16, 1e-9);
        CHECK_NEAR(res.centre_km2[2], 1, 1e-9);
    }
    cw_degurba_release(&res);
    scene_free(&s);
    /* the control: the same middle cell with 100 people is no centre, and
     * the 9 km² hole is filled (as in1) */
    static const char *const in7[] = {
        ".......",
        ".CCCCC.",
        ".C...C.",
        ".C.p.C.",
        ".C...C.",
        ".CCCCC.",
        ".......",
    };
    CASE(in7, k, NELEM(k), POP_ONLY, &off, want1);
}

/* ----------------------------------------------------------- 4. level 2 */

/* One grid with every level-2 class. Centre: the ten 'F' (5,000) cells at rows 1-2, cols 1-5 = 50,000 (30). Dense urban cluster:
 * three 2,000 cells at (1,15..17) = 6,000 >= 5,000, < 50,000 (23). Urban
 * clusters of six 1,000 cells (6,000): rows 4-5 cols 18-20, whose (4,18)
 * is 3 rows from (1,17): within 3 cells of a dense cluster, suburban (21);
 * rows 5-6 cols 8-10, whose (5,8) is 3 rows and 3 columns from the
 * centre's (2,5): within 3 cells (corners count), suburban (21); rows 6-7
 * cols 1-3, 4 rows from the centre and far from the dense cluster:
 * semi-dense (22). The 1,000 cell (2,6) is in the centre's urban cluster
 * but not the centre: suburban (21). Row 9: 'RR' 800 people at 400/km²:
 * rural cluster (13); one 'R' 400 < 500: low density (12); 'DD' two dense
 * cells, 4,000 < 5,000 people: neither dense nor urban cluster, but a
 * rural cluster (13); 'LL' 100/km² >= 50: low density (12); 'VV' 10/km²:
 * very low (11), as is empty land; '~' water (10). */
static void test_level2(void)
{
    struct cw_degurba_opts o2 = level(2, 1), o1 = level(1, 1);
    struct scene s;
    struct cw_degurba res;
    static const char *const in[] = {
        "..............................",
        ".FFFFF.........DDD............",
        ".FFFFFS.......................",
        "..............................",
        "..................SSS.........",
        "........SSS.......SSS.........",
        ".SSS....SSS...................",
        ".SSS..........................",
        "..............................",
        "..RR....R....DD....LL...VV....",
        "..............................",
        "~~~~..........................",
    };
    static const char *const want2[] = {
        "vvvvvvvvvvvvvvvvvvvvvvvvvvvvvv",
        "vUUUUUvvvvvvvvvDDDvvvvvvvvvvvv",
        "vUUUUUsvvvvvvvvvvvvvvvvvvvvvvv",
        "vvvvvvvvvvvvvvvvvvvvvvvvvvvvvv",
        "vvvvvvvvvvvvvvvvvvsssvvvvvvvvv",
        "vvvvvvvvsssvvvvvvvsssvvvvvvvvv",
        "vSSSvvvvsssvvvvvvvvvvvvvvvvvvv",
        "vSSSvvvvvvvvvvvvvvvvvvvvvvvvvv",
        "vvvvvvvvvvvvvvvvvvvvvvvvvvvvvv",
        "vvrrvvvvlvvvvrrvvvvllvvvvvvvvv",
        "vvvvvvvvvvvvvvvvvvvvvvvvvvvvvv",
        "wwwwvvvvvvvvvvvvvvvvvvvvvvvvvv",
    };
    /* level 1: centre 3, the five urban clusters 2, water 0 */
    static const char *const want1[] = {
        "111111111111111111111111111111",
        "133333111111111222111111111111",
        "133333211111111111111111111111",
        "111111111111111111111111111111",
        "111111111111111111222111111111",
        "111111112221111111222111111111",
        "122211112221111111111111111111",
        "122211111111111111111111111111",
        "111111111111111111111111111111",
        "111111111111111111111111111111",
        "111111111111111111111111111111",
        "000011111111111111111111111111",
    };
    CHECK(draw(&s, in, (int)NELEM(in), NULL, 0));
    CHECK(run(&s, LAND, &o2, &res) == CW_OK);
    CHECK_CODES(&s, &res, want2);
    cw_degurba_release(&res);
    CHECK(run(&s, LAND, &o1, &res) == CW_OK);
    CHECK_CODES(&s, &res, want1);
    /* urban clusters numbered by first cell in row-major order: (1,1) the
     * centre's with (2,6): 51,000; (1,15) the dense one: 6,000; (4,18),
     * (5,8), (6,1): 6,000 each */
    CHECK(res.nclusters == 5);
    if (res.nclusters == 5) {
        static const double pop[] = {0, 51000, 6000, 6000, 6000, 6000};
        static const double km2[] = {0, 11, 3, 6, 6, 6};
        static const int first[] = {0, 1 * 30 + 1, 1 * 30 + 15, 4 * 30 + 18, 5 * 30 + 8,
                                    6 * 30 + 1};
        for (int i = 1; i <= 5; i++) {
            CHECK_NEAR(res.cluster_pop[i], pop[i], 1e-6);
            CHECK_NEAR(res.cluster_km2[i], km2[i], 1e-9);
            CHECK(res.cluster[first[i]] == i);
        }
    }
    cw_degurba_release(&res);
    scene_free(&s);

    /* The 3-cell gap on its own: a dense cluster (1,4..6) of 6,000 and a
     * 6,000 cluster of 1,000/km² cells 4 rows below it, no cell within 3
     * cells: semi-dense (22); moved up one row, (4,5) is 3 rows from
     * (1,5): suburban (21). */
    static const char *const in3[] = {
        "..............",
        "....DDD.......",
        "..............",
        "..............",
        "..............",
        ".....SSS......",
        ".....SSS......",
        "..............",
    };
    static const char *const want3[] = {
        "vvvvvvvvvvvvvv",
        "vvvvDDDvvvvvvv",
        "vvvvvvvvvvvvvv",
        "vvvvvvvvvvvvvv",
        "vvvvvvvvvvvvvv",
        "vvvvvSSSvvvvvv",
        "vvvvvSSSvvvvvv",
        "vvvvvvvvvvvvvv",
    };
    CASE(in3, NULL, 0, LAND, &o2, want3);
    static const char *const in4[] = {
        "..............",
        "....DDD.......",
        "..............",
        "..............",
        ".....SSS......",
        ".....SSS......",
        "..............",
        "..............",
    };
    static const char *const want4[] = {
        "vvvvvvvvvvvvvv",
        "vvvvDDDvvvvvvv",
        "vvvvvvvvvvvvvv",
        "vvvvvvvvvvvvvv",
        "vvvvvsssvvvvvv",
        "vvvvvsssvvvvvv",
        "vvvvvvvvvvvvvv",
        "vvvvvvvvvvvvvv",
    };
    CASE(in4, NULL, 0, LAND, &o2, want4);
}

/* ----------------------------------------------------- 5. built-up share */

/* A row of 4 + 5 cells of 6,000 (24,000 and 30,000, each too small) split
 * by 'b': 1,000 people (not dense) and 0.6 km² built, share 0.6 >= 0.5.
 * With the built grid 'b' is dense and the row one centre of 55,000; without
 * it, one urban cluster. */
static void test_built(void)
{
    struct cw_degurba_opts o = level(1, 1);
    struct scene s;
    struct cw_degurba res;
    static const struct key k[] = {
        {'H', 6000, 1e6f, 0},
        {'b', 1000, 1e6f, 6e5f},
        {'e', 1000, 1e6f, 5e5f},    /* share exactly 0.5: dense */
        {'n', 1000, 1e6f, 4.9e5f},  /* 0.49: not */
        {'q', 1000, 8e5f, 4e5f},    /* 0.4 km² built of 0.8 of land: 0.5 of
                                       land (1250/km²: not dense by people) */
    };
    static const char *const in[] = {
        "............",
        ".HHHHbHHHHH.",
        "............",
    };
    static const char *const centre[] = {
        "111111111111",
        "133333333331",
        "111111111111",
    };
    static const char *const cluster[] = {
        "111111111111",
        "122222222221",
        "111111111111",
    };
    CHECK(draw(&s, in, (int)NELEM(in), k, NELEM(k)));
    CHECK(run(&s, LAND | BUILT, &o, &res) == CW_OK);
    CHECK_CODES(&s, &res, centre);
    CHECK(res.ncentres == 1);
    if (res.ncentres == 1) {
        CHECK_NEAR(res.centre_pop[1], 55000, 1e-6);
        CHECK_NEAR(res.centre_km2[1], 10, 1e-9);
    }
    cw_degurba_release(&res);
    CHECK(run(&s, LAND, &o, &res) == CW_OK);
    CHECK_CODES(&s, &res, cluster);
    CHECK(res.ncentres == 0);
    cw_degurba_release(&res);
    scene_free(&s);

    static const char *const in_e[] = {"............", ".HHHHeHHHHH.", "............"};
    static const char *const in_n[] = {"............", ".HHHHnHHHHH.", "............"};
    static const char *const in_q[] = {"............", ".HHHHqHHHHH.", "............"};
    CASE(in_e, k, NELEM(k), LAND | BUILT, &o, centre);
    CASE(in_n, k, NELEM(k), LAND | BUILT, &o, cluster);
    CASE(in_q, k, NELEM(k), LAND | BUILT, &o, centre);
}

/* ----------------------------------------------------- 6. bad population */

static void test_negative(void)
{
    struct cw_degurba_opts o = level(1, 1);
    struct scene s;
    static const char *const in[] = {"....", "....", "...."};
    CHECK(draw(&s, in, (int)NELEM(in), NULL, 0));
    s.pop[1 * 4 + 2] = -5;
    uint8_t sentinel = 0, *flags = &sentinel;   /* must come back NULL */
    CHECK(cw_degurba_flags(ctx, &s.g, &s.a, s.pop, NULL, NULL, &o, &flags) == CW_ERR_DATA);
    CHECK(flags == NULL);
    const char *msg = cw_ctx_errmsg(ctx);
    CHECK(strstr(msg, "row 1") != NULL);
    CHECK(strstr(msg, "column 2") != NULL);
    scene_free(&s);

    /* and a level that does not exist */
    struct cw_degurba res;
    CHECK(draw(&s, in, (int)NELEM(in), NULL, 0));
    CHECK(cw_degurba_flags(ctx, &s.g, &s.a, s.pop, NULL, NULL, &o, &flags) == CW_OK);
    o.level = 3;
    CHECK(cw_degurba_classify(ctx, &s.g, &s.a, s.pop, flags, &o, &res) == CW_ERR_ARG);
    CHECK(res.cls == NULL && res.centre == NULL);
    free(flags);
    scene_free(&s);
}

/* -------------------------------------------------------------- 7. areas */

/* Geodesic area of the lon/lat cell [lon0,lon1] x [lat0,lat1] on WGS84:
 * the meridian sides are geodesics; each parallel is replaced by @p n
 * geodesic chords, which bulge poleward by a sagitta ~ (chord)² tan(lat)
 * / 8R, so the error falls as 1/n² (a few m² in a 1° cell at n = 2000). */
static double geod_cell(double lon0, double lon1, double lat0, double lat1, int n)
{
    struct geod_geodesic g;
    geod_init(&g, 6378137, 1 / 298.257223563);
    size_t m = 2 * ((size_t)n + 1);
    double *lat = malloc(m * sizeof *lat), *lon = malloc(m * sizeof *lon);
    double area = NAN;
    if (lat && lon) {
        for (int i = 0; i <= n; i++) {
            lat[i] = lat0;
            lon[i] = lon0 + (lon1 - lon0) * i / n;
            lat[n + 1 + i] = lat1;
            lon[n + 1 + i] = lon1 - (lon1 - lon0) * i / n;
        }
        /* a top edge on the pole is one vertex: meridians meet there */
        geod_polygonarea(&g, lat, lon, lat1 == 90 ? n + 2 : (int)m, &area, NULL);
    }
    free(lat);
    free(lon);
    return fabs(area);
}

static void test_areas_lonlat(void)
{
    struct cw_areas a;
    /* the whole globe in 1° cells: row r spans latitudes 90-r .. 89-r */
    struct cw_grid g = {.nx = 360, .ny = 180, .gt = {-180, 1, 0, 90, 0, -1},
                        .wkt = crs_wkt("EPSG:4326"), .geographic = 1};
    CHECK(g.wkt != NULL);
    CHECK(cw_grid_areas(ctx, &g, &a) == CW_OK);
    CHECK(a.rows != NULL && a.cell == NULL);
    if (a.rows) {
        /* the reference has converged: n = 2000 and 4000 agree to 1e-9 */
        double e2000 = geod_cell(0, 1, 35, 36, 2000), e4000 = geod_cell(0, 1, 35, 36, 4000);
        CHECK(REL(e2000, e4000) < 1e-9);
        /* row 89: 0..1°N; row 90: 1°S..0, the same by symmetry */
        double eq = geod_cell(0, 1, 0, 1, 2000);
        CHECK(REL(a.rows[89], eq) < 1e-6);
        CHECK(REL(a.rows[90], eq) < 1e-6);
        /* row 54: 35..36°N */
        CHECK(REL(a.rows[54], e2000) < 1e-6);
        /* row 150: 60..61°S */
        CHECK(REL(a.rows[150], geod_cell(0, 1, -61, -60, 2000)) < 1e-6);
        /* the polar rows, whose top edge is a point */
        CHECK(REL(a.rows[0], geod_cell(0, 1, 89, 90, 2000)) < 1e-6);
        /* All 180 x 360 cells: the area of the WGS84 ellipsoid,
         * 510,065,621,724,088.5 m² (GeographicLib, "Geodesics on an
         * ellipsoid of revolution", and its Planimeter documentation). */
        double sum = 0;
        for (int r = 0; r < g.ny; r++)
            sum += 360 * a.rows[r];
        CHECK(REL(sum, 510065621724088.5) < 1e-9);
    }
    cw_areas_release(&a);
    cw_grid_release(&g);

    /* half-degree cells: the row 60°S .. 60.5°S, cell 20°E .. 20.5°E */
    struct cw_grid h = {.nx = 4, .ny = 3, .gt = {20, 0.5, 0, -59.5, 0, -0.5},
                        .wkt = crs_wkt("EPSG:4326"), .geographic = 1};
    CHECK(cw_grid_areas(ctx, &h, &a) == CW_OK);
    if (a.rows) {
        CHECK(REL(cw_area_at(&a, 1, 3), geod_cell(20, 20.5, -60.5, -60, 2000)) < 1e-6);
        CHECK(REL(cw_area_at(&a, 0, 0), geod_cell(20, 20.5, -60, -59.5, 2000)) < 1e-6);
        CHECK(REL(cw_area_at(&a, 2, 1), geod_cell(20, 20.5, -61, -60.5, 2000)) < 1e-6);
    }
    cw_areas_release(&a);
    cw_grid_release(&h);
}

static void test_areas_projected(void)
{
    struct cw_areas a;
    /* Equal-area projections: every cell is its nominal 1000 m x 1000 m. */
    static const char *const eq[] = {"ESRI:54009", "EPSG:3035", "EPSG:6933"};
    for (size_t i = 0; i < NELEM(eq); i++) {
        struct cw_grid g = {.nx = 3, .ny = 2, .gt = {4321000, 1000, 0, 3210000, 0, -1000},
                            .wkt = crs_wkt(eq[i])};
        CHECK(g.wkt != NULL);
        CHECK(cw_grid_areas(ctx, &g, &a) == CW_OK);
        CHECK(a.rows == NULL && a.cell == NULL);
        CHECK_NEAR(a.one, 1e6, 1e-6);
        CHECK_NEAR(cw_area_at(&a, 1, 2), 1e6, 1e-6);
        cw_areas_release(&a);
        cw_grid_release(&g);
    }
    /* the CRS as an authority code only: accepted too */
    struct cw_grid m = {.nx = 2, .ny = 2, .gt = {0, 1000, 0, 0, 0, -1000},
                        .wkt = strdup("ESRI:54009")};
    CHECK(cw_grid_areas(ctx, &m, &a) == CW_OK);
    CHECK_NEAR(a.one, 1e6, 1e-6);
    cw_areas_release(&a);
    cw_grid_release(&m);
    /* no CRS: no areas */
    struct cw_grid none = {.nx = 2, .ny = 2, .gt = {0, 1000, 0, 0, 0, -1000}};
    CHECK(cw_grid_areas(ctx, &none, &a) == CW_ERR_DATA);

    /* An equal-area CRS in US survey feet (1 ftUS = 1200/3937 m): a cell
     * of 1000 x 1000 ftUS is (1000 * 1200 / 3937)² = 92,903.41 m². */
    struct cw_grid ft = {.nx = 2, .ny = 2, .gt = {0, 1000, 0, 0, 0, -1000},
                         .wkt = strdup("+proj=aea +lat_1=29.5 +lat_2=45.5 +lat_0=23 "
                                       "+lon_0=-96 +datum=NAD83 +units=us-ft +type=crs")};
    CHECK(cw_grid_areas(ctx, &ft, &a) == CW_OK);
    CHECK(REL(cw_area_at(&a, 1, 1), pow(1000 * 1200.0 / 3937, 2)) < 1e-9);
    cw_areas_release(&a);
    cw_grid_release(&ft);

    /* ETRS89 / LAEA Europe as older GDAL wrote it, with TOWGS84[0,...]:
     * PROJ reads a WKT1 with TOWGS84 as a BoundCRS round the projected
     * CRS; the projection is the same LAEA, so the cell is 1e6 m².
     * Was a bug (fixed): cw_grid_areas asks the BoundCRS itself for its
     * coordinate operation and axes (proj_crs_get_coordoperation fails on
     * it) and returns CW_ERR_LIB "cannot read the grid's projection"; a
     * GeoTIFF whose CRS carries TOWGS84 (cw_raster_read exports WKT1,
     * TOWGS84 included) cannot be classified. */
    struct cw_grid bound = {.nx = 2, .ny = 2, .gt = {4321000, 1000, 0, 3210000, 0, -1000},
        .wkt = strdup("PROJCS[\"ETRS89 / LAEA Europe\",GEOGCS[\"ETRS89\","
            "DATUM[\"European_Terrestrial_Reference_System_1989\","
            "SPHEROID[\"GRS 1980\",6378137,298.257222101],TOWGS84[0,0,0,0,0,0,0]],"
            "PRIMEM[\"Greenwich\",0],UNIT[\"degree\",0.0174532925199433]],"
            "PROJECTION[\"Lambert_Azimuthal_Equal_Area\"],"
            "PARAMETER[\"latitude_of_center\",52],PARAMETER[\"longitude_of_center\",10],"
            "PARAMETER[\"false_easting\",4321000],PARAMETER[\"false_northing\",3210000],"
            "UNIT[\"metre\",1]]")};
    int brc = cw_grid_areas(ctx, &bound, &a);
    CHECK(brc == CW_OK);
    if (brc == CW_OK)
        CHECK(REL(cw_area_at(&a, 0, 0), 1e6) < 1e-6);
    cw_areas_release(&a);
    cw_grid_release(&bound);

    /* British National Grid (EPSG:27700): transverse Mercator on the Airy
     * 1830 ellipsoid (OSGB36), k0 = 0.9996012717 on the central meridian
     * 2°W (easting 400,000). The cell centred there covers 1e6 / k0² =
     * 1,000,797.9 m² of the Airy ellipsoid (PROJ's proj_factors agrees);
     * the same ground on WGS84 differs by well under 1e-4 (the two
     * surfaces are some 50 m apart over Britain, 2e-5 in area; the
     * OSGB36 -> WGS84 Helmert scale is 20 ppm, 4e-5 in area: the corners
     * taken to WGS84 through PROJ's EPSG:27700 -> EPSG:4326 and measured
     * there give 1,000,741 m², -5.6e-5).
     * Was a bug (fixed): the library takes the corners to OSGB36 lon/lat and
     * measures that quadrilateral on WGS84 as if the angles were WGS84
     * ones; WGS84 is 574 m larger in a, so the area comes out 1.86e-4
     * too large (1,000,984 m²), against "right to well under a metre in a
     * 1 km cell" in raster.c. */
    struct cw_grid bng = {.nx = 1, .ny = 1, .gt = {399500, 1000, 0, 300500, 0, -1000},
                          .wkt = crs_wkt("EPSG:27700")};
    CHECK(cw_grid_areas(ctx, &bng, &a) == CW_OK);
    if (a.cell) {
        double k0 = 0.9996012717;
        CHECK(REL(a.cell[0], 1e6 / (k0 * k0)) < 1e-4);
        PJ *tm = proj_create(cw_ctx_proj(ctx), "+proj=tmerc +lat_0=49 +lon_0=-2 "
                             "+k=0.9996012717 +x_0=400000 +y_0=-100000 +ellps=airy");
        CHECK(tm != NULL);
        if (tm) {
            PJ_COORD lp = proj_trans(tm, PJ_INV, proj_coord(400000, 300000, 0, 0));
            CHECK(REL(proj_factors(tm, lp).areal_scale, k0 * k0) < 1e-9);
            proj_destroy(tm);
        }
    }
    cw_areas_release(&a);
    cw_grid_release(&bng);

    /* UTM zone 31N (EPSG:32631) is conformal, not equal-area: a cell gets
     * its own area (a.cell). On the central meridian (3°E, easting
     * 500,000) the scale factor is k0 = 0.9996 exactly: 1000 grid metres
     * are 1000 / 0.9996 m on the ground, so the cell is 1e6 / 0.9996² =
     * 1,000,800.48 m², larger than nominal, not 0.9996² x 1e6 = 999,200
     * (the projection shrinks the ground there; over the cell k grows by
     * ~x²/2R², about 1e-9 at x = 500 m). Cell 0 is centred there (45.1°N);
     * cell 300 is centred 300 km east, where PROJ's areal scale factor
     * (proj_factors, ~1.0014) gives the area 1e6 / areal_scale; it varies
     * ~7e-6 across the cell, linearly, so the centre's value is the
     * mean to ~1e-9. */
    struct cw_grid u = {.nx = 301, .ny = 1, .gt = {499500, 1000, 0, 5000500, 0, -1000},
                        .wkt = crs_wkt("EPSG:32631")};
    CHECK(u.wkt != NULL);
    CHECK(cw_grid_areas(ctx, &u, &a) == CW_OK);
    CHECK(a.cell != NULL && a.rows == NULL);
    if (a.cell) {
        CHECK(REL(a.cell[0], 1e6 / (0.9996 * 0.9996)) < 1e-6);
        PJ *utm = proj_create(cw_ctx_proj(ctx), "+proj=utm +zone=31 +ellps=WGS84");
        CHECK(utm != NULL);
        if (utm) {
            PJ_COORD lp = proj_trans(utm, PJ_INV, proj_coord(800000, 5000000, 0, 0));
            PJ_FACTORS f = proj_factors(utm, lp);
            CHECK(f.areal_scale > 1.001 && f.areal_scale < 1.002);
            CHECK(REL(a.cell[300], 1e6 / f.areal_scale) < 1e-6);
            /* and on the central meridian PROJ agrees with k0² */
            lp = proj_trans(utm, PJ_INV, proj_coord(500000, 5000000, 0, 0));
            f = proj_factors(utm, lp);
            CHECK(REL(f.areal_scale, 0.9996 * 0.9996) < 1e-9);
            proj_destroy(utm);
        }
    }
    cw_areas_release(&a);
    cw_grid_release(&u);
}

int main(void)
{
    ctx = cw_ctx_new();
    if (!ctx)
        return 1;
    test_centre_size();
    test_connectivity();
    test_density_edges();
    test_land_density();
    test_water();
    test_majority();
    test_majority_flexurba();
    test_majority_diagonal();
    test_gaps();
    test_level2();
    test_built();
    test_negative();
    test_areas_lonlat();
    test_areas_projected();
    cw_ctx_free(ctx);
    return CHECK_DONE();
}
