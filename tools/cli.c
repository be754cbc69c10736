/* cli.c: option parsing from one table, help text, errors, stderr
 * reporters: the parts of a subcommand that are the same for all.
 * SPDX-License-Identifier: MIT
 */
#include <ctype.h>
#include <getopt.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#include "cli.h"

#define CLI_MAX_OPTS 64

static const struct cli_opt input_opts[] = {
    { "Input", 0, NULL, NULL },
    { "layer", CLI_LAYER, "NAME", "layer of the input to read (default: the first)" },
    { "where", CLI_WHERE, "EXPR", "OGR SQL attribute filter on the input" },
    { "s_srs", CLI_S_SRS, "SRS", "CRS of the input, overriding the file's" },
    { "lon-field", CLI_LON, "F", "longitude column of a table (default: lon, lng, long, longitude or x)" },
    { "lat-field", CLI_LAT, "F", "latitude column of a table (default: lat, latitude or y)" },
    { "id-field", CLI_ID, "F", "city id field (default: id; else the row number)" },
    { "name-field", CLI_NAME, "F", "city name field (default: name)" },
    { NULL, 0, NULL, NULL },
};

static const struct cli_opt common_opts[] = {
    { "Output", 0, NULL, NULL },
    { "output", CLI_OUTPUT, "PATH", "output file; its extension picks the format; - = GeoJSON on stdout" },
    { "format", CLI_FORMAT, "NAME", "GeoJSON, \"ESRI Shapefile\", GPKG, FlatGeobuf or CSV" },
    { "overwrite", CLI_OVERWRITE, NULL, "replace existing outputs" },
    { "precision", CLI_PRECISION, "N", "GeoJSON coordinate decimals (default 7)" },
    { "General", 0, NULL, NULL },
    { "threads", CLI_THREADS, "N", "worker threads (default: one per processor); results do not change" },
    { "quiet", CLI_QUIET, NULL, "no progress and no warnings on stderr" },
    { "verbose", CLI_VERBOSE, NULL, "name each step on stderr with the time it started" },
    { "help", CLI_HELP, NULL, "show this help and exit" },
    { "version", CLI_VERSION, NULL, "show the version and exit" },
    { NULL, 0, NULL, NULL },
};

/* "cityweave CMD: MESSAGE" on stderr, without the newline. */
static void vsay(const struct cli *c, const char *fmt, va_list ap)
{
    fprintf(stderr, "cityweave %s: ", c->cmd);
    vfprintf(stderr, fmt, ap);
}

void cli_say(const struct cli *c, const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    vsay(c, fmt, ap);
    va_end(ap);
    fputc('\n', stderr);
}

_Noreturn void cli_die(const struct cli *c, int code, const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    vsay(c, fmt, ap);
    va_end(ap);
    fputc('\n', stderr);
    exit(code);
}

_Noreturn void cli_usage_error(const struct cli *c, const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    vsay(c, fmt, ap);
    va_end(ap);
    fprintf(stderr, " (see 'cityweave %s --help')\n", c->cmd);
    exit(CW_EXIT_USAGE);
}

static void print_opts(const struct cli_opt *o)
{
    for (; o->name; o++) {
        char head[64];
        if (!o->key) {
            printf("\n%s:\n", o->name);
            continue;
        }
        int n = o->key < 256 ? snprintf(head, sizeof head, "  -%c, --%s", o->key, o->name)
                             : snprintf(head, sizeof head, "      --%s", o->name);
        if (o->arg)
            snprintf(head + n, sizeof head - n, " %s", o->arg);
        printf("%-30s %s\n", head, o->help);
    }
}

static void help(const struct cli *c)
{
    printf("usage: cityweave %s %s\n\n%s\n", c->cmd, c->synopsis, c->about);
    if (c->reads_points)
        print_opts(input_opts);
    print_opts(c->opts);
    print_opts(common_opts);
    printf("\nLong options also work with one dash (-where, -s_srs) as in GDAL.\n"
           "Exit status: 0 ok, 1 data or runtime error, 2 bad options.\n"
           "See man cityweave-%.*s for details and examples.\n",
           (int)strcspn(c->cmd, " "), c->cmd);   /* "linkage degurba": one page */
}

static int add_opts(const struct cli_opt *o, struct option *lo, int n, char *shorts)
{
    for (; o->name; o++) {
        if (!o->key)
            continue;
        lo[n++] = (struct option){ o->name, o->arg ? required_argument : no_argument, NULL, o->key };
        if (o->key < 256) {
            char s[3] = { (char)o->key, o->arg ? ':' : '\0', '\0' };
            strcat(shorts, s);
        }
    }
    return n;
}

static void common(struct cli *c, int key, const char *val)
{
    switch (key) {
    case CLI_OUTPUT: c->output = val; break;
    case CLI_FORMAT:
        if (cw_format_from_name(val, &c->write.format))
            cli_usage_error(c, "unknown format '%s'", val);
        break;
    case CLI_OVERWRITE: c->write.overwrite = 1; break;
    case CLI_PRECISION: c->write.precision = (int)cli_int(c, "--precision", val, 1, 15); break;
    case CLI_THREADS: c->threads = (int)cli_int(c, "--threads", val, 1, CW_MAX_THREADS); break;
    case CLI_LAYER: c->read.layer = val; break;
    case CLI_WHERE: c->read.where = val; break;
    case CLI_S_SRS: c->read.s_srs = val; break;
    case CLI_LON: c->read.lon_field = val; break;
    case CLI_LAT: c->read.lat_field = val; break;
    case CLI_ID: c->id_field = val; break;
    case CLI_NAME: c->name_field = val; break;
    case CLI_QUIET: c->quiet = 1; break;
    case CLI_VERBOSE: c->verbose = 1; break;
    case CLI_HELP: help(c); exit(CW_EXIT_OK);
    case CLI_VERSION: printf("cityweave %s\n", CW_VERSION); exit(CW_EXIT_OK);
    default: cli_usage_error(c, "bad option");
    }
}

static int in_table(const struct cli_opt *o, int key)
{
    for (; o->name; o++)
        if (o->key && o->key == key)
            return 1;
    return 0;
}

const char *cli_one_input(const struct cli *c, int argc, char **argv, const char *what)
{
    if (argc - c->next_arg != 1)
        cli_usage_error(c, argc - c->next_arg ? "give exactly one %s input" : "no %s input", what);
    return argv[c->next_arg];
}

void cli_parse(struct cli *c, int argc, char **argv,
               void (*on)(struct cli *c, int key, const char *val, void *arg), void *arg)
{
    struct option lo[CLI_MAX_OPTS];
    char shorts[2 * CLI_MAX_OPTS + 2] = ":";
    int n = add_opts(c->opts, lo, 0, shorts), key;
    n = add_opts(common_opts, lo, n, shorts);
    if (c->reads_points)
        n = add_opts(input_opts, lo, n, shorts);
    lo[n] = (struct option){ 0 };
    opterr = 0;
    optind = 1;
    while ((key = getopt_long_only(argc, argv, shorts, lo, NULL)) != -1) {
        if (key == '?')
            cli_usage_error(c, "unknown option '%s'", argv[optind - 1]);
        if (key == ':')
            cli_usage_error(c, "option '%s' needs a value", argv[optind - 1]);
        if (in_table(common_opts, key) || (c->reads_points && in_table(input_opts, key)))
            common(c, key, optarg);
        else
            on(c, key, optarg, arg);
    }
    c->next_arg = optind;
}

double cli_distance(const struct cli *c, const char *opt, const char *val)
{
    double m;
    if (cw_parse_distance(val, &m) || !(m > 0))
        cli_usage_error(c, "%s must be a positive distance such as 25km or 500m (got '%s')",
                        opt, val);
    return m;
}

double cli_area(const struct cli *c, const char *opt, const char *val)
{
    double m2;
    if (cw_parse_area(val, &m2) || !(m2 >= 0))
        cli_usage_error(c, "%s must be an area of 0 or more such as 0.5ha, 5000m2 or 1km2 "
                        "(got '%s')", opt, val);
    return m2;
}

long cli_int(const struct cli *c, const char *opt, const char *val, long lo, long hi)
{
    long v;
    if (cw_parse_int(val, lo, hi, &v))
        cli_usage_error(c, "%s must be a whole number from %ld to %ld (got '%s')", opt, lo,
                        hi, val);
    return v;
}

int cli_choose(const struct cli *c, const char *opt, const char *val,
               const struct cli_choice *choices)
{
    char list[256] = "";
    for (const struct cli_choice *k = choices; k->name; k++) {
        if (strcmp(k->name, val) == 0)
            return k->value;
        snprintf(list + strlen(list), sizeof list - strlen(list), "%s%s",
                 k == choices ? "" : ", ", k->name);
    }
    cli_usage_error(c, "unknown %s '%s' (choose from %s)", opt, val, list);
}

double cli_number(const struct cli *c, const char *opt, const char *val, double lo, double hi)
{
    double v;
    if (cw_parse_double(val, &v) || v < lo || v > hi)
        cli_usage_error(c, "%s must be a number from %g to %g (got '%s')", opt, lo, hi, val);
    return v;
}

static void on_warn(const char *msg, void *arg)
{
    const struct cli *c = arg;
    fprintf(stderr, "cityweave %s: warning: %s\n", c->cmd, msg);
}

static double now(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return ts.tv_sec + ts.tv_nsec / 1e9;
}

/* Progress like GDAL's terminal bar, but on stderr and only to a terminal,
 * so stdout stays data and logs stay clean. With -v, each step is named
 * once with the time since the start instead. */
static int on_progress(double done, const char *msg, void *arg)
{
    struct cli *c = arg;
    int pct = (int)(done * 100);
    msg = msg ? msg : "";
    if (c->verbose) {
        if (strcmp(msg, c->last_msg) != 0)
            fprintf(stderr, "cityweave %s: %.2f s: %s\n", c->cmd, now() - c->start, msg);
    } else if (pct / 10 != c->last_pct / 10 || strcmp(msg, c->last_msg) != 0) {
        fprintf(stderr, "\r%3d%% %-30s%s", pct, msg, done >= 1 ? "\n" : "");
        c->last_pct = pct;
    }
    snprintf(c->last_msg, sizeof c->last_msg, "%s", msg);
    return 1;
}

struct cw_ctx *cli_ctx_new(struct cli *c)
{
    struct cw_ctx *ctx = cw_ctx_new();
    if (!ctx)
        cli_die(c, CW_EXIT_DATA, "cannot initialise GEOS and PROJ");
    c->start = now();
    c->last_pct = -1;
    if (c->threads)
        cw_ctx_set_threads(ctx, c->threads);
    if (!c->quiet) {
        cw_ctx_set_warn(ctx, on_warn, c);
        if (c->verbose || isatty(STDERR_FILENO))
            cw_ctx_set_progress(ctx, on_progress, c);
    }
    return ctx;
}

int cli_done(const struct cli *c, struct cw_ctx *ctx, int rc)
{
    if (rc)
        cli_say(c, "%s", cw_ctx_errmsg(ctx));
    cw_ctx_free(ctx);
    if (!rc)
        return CW_EXIT_OK;
    return rc == CW_ERR_ARG || rc == CW_ERR_EXISTS ? CW_EXIT_USAGE : CW_EXIT_DATA;
}

void cli_check_distinct(const struct cli *c, const char *output, const char *const *inputs)
{
    struct stat so, si;
    if (!output || strcmp(output, "-") == 0 || stat(output, &so) != 0)
        return;
    for (; *inputs; inputs++)
        if (stat(*inputs, &si) == 0 && si.st_dev == so.st_dev && si.st_ino == so.st_ino)
            cli_usage_error(c, "output '%s' is the input '%s'; refusing to overwrite an input",
                            output, *inputs);
}

void cli_check_outputs(const struct cli *c, const char *const *outs, size_t n,
                       const char *const *inputs)
{
    for (size_t i = 0; i < n; i++) {
        cli_check_distinct(c, outs[i], inputs);
        for (size_t k = 0; k < i; k++)
            if (outs[i] && outs[k] && strcmp(outs[i], outs[k]) == 0)
                cli_usage_error(c, "two outputs name the same file '%s'", outs[i]);
    }
}
