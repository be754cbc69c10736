/* test_style.c: the map style syntax and its classes against hand-worked
 * values: hex colours, the published Okabe-Ito and ColorBrewer colours,
 * categories sorted as numbers, class= ranges, graduated limits, sizes with
 * the area proportional to the value, a palette shared by two layers, and
 * the messages of bad items.
 * SPDX-License-Identifier: MIT
 */
#include <math.h>
#include <string.h>

#include "cityweave/style.h"
#include "check.h"

static int same(struct cw_rgba c, unsigned hex)
{
    return lround(c.r * 255) == (hex >> 16) && lround(c.g * 255) == ((hex >> 8) & 255) &&
           lround(c.b * 255) == (hex & 255);
}

static void colours(void)
{
    struct cw_rgba c;
    CHECK(cw_rgba_parse("#0072B2", &c) == 0 && same(c, 0x0072B2) && c.a == 1);
    CHECK(cw_rgba_parse("#abc", &c) == 0 && same(c, 0xAABBCC));
    CHECK(cw_rgba_parse("#ff000080", &c) == 0 && same(c, 0xFF0000));
    CHECK_NEAR(c.a, 128 / 255.0, 1e-12);
    CHECK(cw_rgba_parse("0072B2", &c) == -1);
    CHECK(cw_rgba_parse("#0072B", &c) == -1);
    CHECK(cw_rgba_parse("#00zz00", &c) == -1);
    /* Okabe & Ito (2008): orange, sky blue, bluish green first. */
    CHECK(same(cw_palette(0), 0xE69F00) && same(cw_palette(1), 0x56B4E9) &&
          same(cw_palette(2), 0x009E73));
    CHECK(same(cw_palette(99), 0xBBBBBB));
    /* ColorBrewer YlGn 5: its ends, and the middle stop at t = 0.5. */
    CHECK(cw_ramp_at("greens", 0, &c) == 0 && same(c, 0xFFFFCC));
    CHECK(cw_ramp_at("greens", 1, &c) == 0 && same(c, 0x006837));
    CHECK(cw_ramp_at("greens", 0.5, &c) == 0 && same(c, 0x78C679));
    CHECK(cw_ramp_at("rainbow", 0.5, &c) == -1);
}

/* A table of one text column "f" holding @p v (n values). */
static void table(struct cw_table *t, const char *name, const char *const *v, size_t n)
{
    cw_table_init(t);
    int col = cw_table_add_field(t, name, CW_FT_STRING, -1);
    for (size_t i = 0; i < n; i++) {
        long r = cw_table_add_row(t);
        cw_table_set(t, (size_t)r, col, v[i]);
    }
}

static void categories(struct cw_ctx *ctx)
{
    const char *v[] = { "10", "-1", "2", "10", NULL };
    struct cw_table t;
    struct cw_style s;
    struct cw_styled st;
    table(&t, "cluster", v, 5);
    CHECK(cw_style_parse(ctx, "x", "color=cluster;class=-1/#999999/noise", &s) == CW_OK);
    CHECK(cw_style_resolve(ctx, &s, "x", &t, &st) == CW_OK);
    /* noise pinned first; 2 before 10 as numbers; the null is "no value" */
    CHECK(st.nclasses == 4 && strcmp(st.classes[0].label, "noise") == 0);
    CHECK(strcmp(st.classes[1].value, "2") == 0 && strcmp(st.classes[2].value, "10") == 0);
    CHECK(same(st.classes[1].color, 0xE69F00) && same(st.classes[2].color, 0x56B4E9));
    CHECK(strcmp(st.classes[3].label, "no value") == 0);
    CHECK(st.cls[0] == 2 && st.cls[1] == 0 && st.cls[2] == 1 && st.cls[3] == 2 && st.cls[4] == 3);
    /* A second layer with 2 and 7: on the union (2, 7, 10), 10 moves to
     * the third colour on both. */
    const char *w[] = { "7", "2" };
    struct cw_table t2;
    struct cw_styled st2;
    table(&t2, "cluster", w, 2);
    CHECK(cw_style_resolve(ctx, &s, "y", &t2, &st2) == CW_OK);
    struct cw_styled *both[2] = { &st, &st2 };
    CHECK(cw_styled_share_palette(both, 2) == CW_OK);
    CHECK(same(st.classes[2].color, 0x009E73) && same(st2.classes[1].color, 0xE69F00));
    CHECK(same(st2.classes[2].color, 0x56B4E9));   /* [0] is the pinned noise */
    cw_styled_release(&st);
    cw_styled_release(&st2);
    cw_style_release(&s);
    cw_table_release(&t);
    cw_table_release(&t2);
}

static void graduated_and_sizes(struct cw_ctx *ctx)
{
    const char *v[] = { "0", "25", "100", "50" };
    struct cw_table t;
    struct cw_style s;
    struct cw_styled st;
    table(&t, "pop", v, 4);
    CHECK(cw_style_parse(ctx, "x", "grad=pop;classes=4;size=pop;maxsize=20;minsize=2", &s) ==
          CW_OK);
    CHECK(cw_style_resolve(ctx, &s, "x", &t, &st) == CW_OK);
    /* equal intervals of 0..100: 25 closes the first class, 50 the second */
    CHECK(st.nclasses == 4 && st.cls[0] == 0 && st.cls[1] == 0 && st.cls[3] == 1 &&
          st.cls[2] == 3);
    CHECK(strcmp(st.classes[1].label, "25 to 50") == 0);
    /* diameter 20 sqrt(v / 100): 25 -> 10, 100 -> 20, 0 -> the floor 2 */
    CHECK_NEAR(st.size[1], 10, 1e-12);
    CHECK_NEAR(st.size[2], 20, 1e-12);
    CHECK_NEAR(st.size[0], 2, 1e-12);
    cw_styled_release(&st);
    cw_style_release(&s);
    /* breaks: open-ended first and last classes */
    CHECK(cw_style_parse(ctx, "x", "grad=pop;breaks=10,60;ramp=blues", &s) == CW_OK);
    CHECK(cw_style_resolve(ctx, &s, "x", &t, &st) == CW_OK);
    CHECK(st.nclasses == 3 && st.cls[0] == 0 && st.cls[1] == 1 && st.cls[2] == 2);
    CHECK(strcmp(st.classes[0].label, "10 or less") == 0 &&
          strcmp(st.classes[2].label, "more than 60") == 0);
    CHECK(same(st.classes[0].color, 0xEFF3FF) && same(st.classes[2].color, 0x08519C));
    cw_styled_release(&st);
    cw_style_release(&s);
    cw_table_release(&t);
}

static void raster_classes(struct cw_ctx *ctx)
{
    struct cw_style s;
    struct cw_styled st;
    const float v[] = { 1, 7, 11, NAN, 12 };
    CHECK(cw_style_parse(ctx, "lc", "class=6..9/#009E73/forest;class=11/#009E73/forest;"
                                    "class=1/#56B4E9/water", &s) == CW_OK);
    CHECK(cw_style_resolve_values(ctx, &s, "lc", v, 5, &st) == CW_OK);
    CHECK(cw_styled_class_of(&st, NULL, 7) == 0 && cw_styled_class_of(&st, NULL, 11) == 1);
    CHECK(cw_styled_class_of(&st, NULL, 1) == 2 && cw_styled_class_of(&st, NULL, 12) == -1);
    cw_styled_release(&st);
    cw_style_release(&s);
}

static void bad_items(struct cw_ctx *ctx)
{
    struct cw_style s;
    CHECK(cw_style_parse(ctx, "x.csv", "colr=#ff0000", &s) == CW_ERR_ARG);
    CHECK(strstr(cw_ctx_errmsg(ctx), "'x.csv': style item 'colr=#ff0000': unknown key"));
    CHECK(cw_style_parse(ctx, "x.csv", "width=0", &s) == CW_ERR_ARG);
    CHECK(cw_style_parse(ctx, "x.csv", "breaks=3,2", &s) == CW_ERR_ARG);
    CHECK(cw_style_parse(ctx, "x.csv", "class=9..6/#000000/x", &s) == CW_ERR_ARG);
    CHECK(cw_style_parse(ctx, "x.csv", "opacity=2", &s) == CW_ERR_ARG);
    CHECK(cw_style_parse(ctx, "x.csv", "size", &s) == CW_ERR_ARG);
    CHECK(strstr(cw_ctx_errmsg(ctx), "expected KEY=VALUE"));
    const char *v[] = { "a" };
    struct cw_table t;
    struct cw_styled st;
    table(&t, "name", v, 1);
    CHECK(cw_style_parse(ctx, "x.csv", "size=population", &s) == CW_OK);
    CHECK(cw_style_resolve(ctx, &s, "x.csv", &t, &st) == CW_ERR_DATA);
    CHECK(strcmp(cw_ctx_errmsg(ctx), "'x.csv': no size field 'population' (fields: name)") == 0);
    cw_style_release(&s);
    cw_table_release(&t);
}

int main(void)
{
    struct cw_ctx *ctx = cw_ctx_new();
    colours();
    categories(ctx);
    graduated_and_sizes(ctx);
    raster_classes(ctx);
    bad_items(ctx);
    cw_ctx_free(ctx);
    return CHECK_DONE();
}
