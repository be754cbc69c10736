/* cmd_map.c: `cityweave map`: parses layers, styles and options into a
 * cw_map_opts and runs cw_map_render().
 * SPDX-License-Identifier: MIT
 */
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "cityweave/map.h"
#include "cli.h"

/* The shipped basemap, looked for in $CITYWEAVE_DATA, then beside the
 * executable (build/../data, bin/../share/cityweave). */
#define COUNTRIES "world/ne_countries_50m.topojson"
#define COUNTRIES_CREDIT "Basemap: Natural Earth (public domain)"

enum {
    K_BASEMAP = CLI_KEY_FIRST, K_PROJ, K_EXTENT, K_SIZE, K_TITLE, K_LEGEND, K_LABELS,
    K_PRIORITY, K_ATTRIB, K_WORLD, K_QML
};

static const struct cli_opt opts[] = {
    { "Map", 0, NULL, NULL },
    { "basemap", K_BASEMAP, "NAME", "countries (default: Natural Earth, shipped), none, or a file" },
    { "proj", K_PROJ, "CRS", "auto (default), equal-earth, laea, or EPSG:..., +proj=..." },
    { "extent", K_EXTENT, "W,S,E,N", "area in degrees, W < E (default auto: the layers)" },
    { "size", K_SIZE, "WxH", "pixels (points for SVG and PDF), default 2400x1600" },
    { "title", K_TITLE, "TEXT", "title at the top left" },
    { "legend", K_LEGEND, NULL, "legend at the bottom left" },
    { "labels", K_LABELS, "F", "label features of every layer having field F" },
    { "label-priority", K_PRIORITY, "F", "where labels collide, higher F wins (default: size)" },
    { "attribution", K_ATTRIB, "TEXT", "data sources and licences (default: the basemap's)" },
    { "world-file", K_WORLD, NULL, "also write a world file (.wld) georeferencing the image" },
    { "qml", K_QML, NULL, "write a QGIS style LAYER.qml beside each vector layer" },
    { NULL, 0, NULL, NULL },
};

struct args {
    struct cw_map_opts o;
    const char *basemap;
    int attribution_set;
};

static void parse_size(struct cli *c, const char *val, struct cw_map_opts *o)
{
    char tail;
    if (sscanf(val, "%dx%d%c", &o->width, &o->height, &tail) != 2 || o->width < 16 ||
        o->height < 16 || o->width > 20000 || o->height > 20000)
        cli_usage_error(c, "--size must be WIDTHxHEIGHT, 16 to 20000 pixels each (got '%s')", val);
}

static void parse_extent(struct cli *c, const char *val, struct cw_map_opts *o)
{
    if (strcmp(val, "auto") == 0) {
        o->has_extent = 0;
        return;
    }
    char buf[128];
    snprintf(buf, sizeof buf, "%s", val);
    double *e = o->extent;
    size_t k = 0;
    for (char *save = NULL, *t = strtok_r(buf, ",", &save); t; t = strtok_r(NULL, ",", &save))
        if (k == 4 || cw_parse_double(t, &e[k++]))
            cli_usage_error(c, "--extent must be W,S,E,N in degrees (got '%s')", val);
    if (k != 4 || e[0] < -180 || e[2] > 180 || e[1] < -90 || e[3] > 90 || e[1] >= e[3])
        cli_usage_error(c, "--extent must be W,S,E,N in degrees, S < N (got '%s')", val);
    if (e[0] >= e[2])
        cli_usage_error(c, "--extent %s crosses the antimeridian (W >= E); give W < E, or "
                           "--proj with a central meridian in the area", val);
    o->has_extent = 1;
}

static void on_opt(struct cli *c, int key, const char *val, void *arg)
{
    struct args *a = arg;
    struct cw_map_opts *o = &a->o;
    switch (key) {
    case K_BASEMAP: a->basemap = val; break;
    case K_PROJ: o->proj = val; break;
    case K_EXTENT: parse_extent(c, val, o); break;
    case K_SIZE: parse_size(c, val, o); break;
    case K_TITLE: o->title = val; break;
    case K_LEGEND: o->legend = 1; break;
    case K_LABELS: o->labels = val; break;
    case K_PRIORITY: o->label_priority = val; break;
    case K_ATTRIB: o->attribution = val; a->attribution_set = 1; break;
    case K_WORLD: o->world_file = 1; break;
    case K_QML: o->qml = 1; break;
    }
}

/* "A/B/C" in a new string (NULL when out of memory). */
static char *join(const char *a, const char *b, const char *c)
{
    size_t n = strlen(a) + strlen(b) + strlen(c) + 3;
    char *p = malloc(n);
    if (p)
        snprintf(p, n, "%s/%s%s%s", a, b, *c ? "/" : "", c);
    return p;
}

/* $CITYWEAVE_DATA/NAME, else DIR/../data/NAME or DIR/../share/cityweave/NAME
 * for the directory DIR of the running executable; NULL when none is. */
static char *find_data(const char *name)
{
    char exe[PATH_MAX], *path;
    const char *env = getenv("CITYWEAVE_DATA");
    if (env && *env)
        return join(env, name, "");
    ssize_t n = readlink("/proc/self/exe", exe, sizeof exe - 1);
    if (n <= 0)
        return NULL;
    exe[n] = '\0';
    *strrchr(exe, '/') = '\0';
    static const char *const dirs[] = { "../data", "../share/cityweave" };
    for (size_t i = 0; i < 2; i++) {
        if (!(path = join(exe, dirs[i], name)))
            return NULL;
        if (access(path, R_OK) == 0)
            return path;
        free(path);
    }
    return NULL;
}

/* LAYER[:STYLE]: the style begins at the first ':' unless the whole
 * operand names an existing file. */
static void split_layer(char *arg, struct cw_map_layer *l)
{
    char *colon = strchr(arg, ':');
    l->path = arg;
    l->style = NULL;
    if (colon && access(arg, F_OK) != 0) {
        *colon = '\0';
        l->style = colon + 1;
    }
}

int cmd_map(int argc, char **argv)
{
    struct cli c = {
        .cmd = "map",
        .synopsis = "LAYER[:STYLE]... [--basemap countries|none|FILE] [--proj auto|equal-earth|"
                    "laea|CRS]\n       [--extent auto|W,S,E,N] [--size WxH] [--title T] "
                    "[--legend] [--labels F]\n       -o MAP.png|MAP.svg|MAP.pdf",
        .about = "Draws vector layers (points, lines, polygons) and class rasters over a basemap\n"
                 "with cairo and Pango: PNG, SVG or PDF from the same drawing, byte-identical\n"
                 "from run to run. STYLE is KEY=VALUE items separated by ';', e.g.\n"
                 "  edges.geojson:color=programme;width=weight\n"
                 "  nodes.geojson:color=#0072B2;size=population;label=name;priority=population\n"
                 "  zones.geojson:grad=share;breaks=0.2,0.4,0.6;ramp=greens\n"
                 "  landcover.tif:class=1/#56B4E9/water;class=6..9/#009E73/forest\n"
                 "Keys: color (fill) FIELD|#rrggbb[aa], grad, breaks, classes, ramp, class, width,\n"
                 "size, minwidth, maxwidth, minsize, maxsize, opacity, outline, label, priority,\n"
                 "title; see man cityweave-map.",
        .opts = opts,
    };
    struct args a = { .o = { .proj = "auto", .width = 2400, .height = 1600 },
                      .basemap = "countries" };
    cli_parse(&c, argc, argv, on_opt, &a);
    int n = argc - c.next_arg;
    if (n < 1)
        cli_usage_error(&c, "no layer to draw");
    if (!c.output)
        cli_usage_error(&c, "no output (-o MAP.png, MAP.svg or MAP.pdf)");
    struct cw_map_layer *layers = calloc((size_t)n, sizeof *layers);
    const char **inputs = calloc((size_t)n + 2, sizeof *inputs);
    if (!layers || !inputs)
        cli_die(&c, CW_EXIT_DATA, "out of memory");
    for (int i = 0; i < n; i++) {
        split_layer(argv[c.next_arg + i], &layers[i]);
        inputs[i] = layers[i].path;
    }
    char *basemap = NULL;
    if (strcmp(a.basemap, "countries") == 0) {
        if (!(basemap = find_data(COUNTRIES)))
            cli_die(&c, CW_EXIT_DATA, "basemap '%s' not found (set CITYWEAVE_DATA to the "
                                      "data directory, or give --basemap FILE or none)", COUNTRIES);
        if (!a.attribution_set)
            a.o.attribution = COUNTRIES_CREDIT;
    } else if (strcmp(a.basemap, "none") != 0 && !(basemap = strdup(a.basemap))) {
        cli_die(&c, CW_EXIT_DATA, "out of memory");
    }
    inputs[n] = basemap;
    cli_check_distinct(&c, c.output, inputs);
    a.o.layers = layers;
    a.o.nlayers = (size_t)n;
    a.o.basemap = basemap;
    a.o.output = c.output;
    a.o.overwrite = c.write.overwrite;

    struct cw_ctx *ctx = cli_ctx_new(&c);
    int rc = cw_map_render(ctx, &a.o);
    free(layers);
    free(inputs);
    free(basemap);
    return cli_done(&c, ctx, rc);
}
