/* cli.h: what every subcommand shares: the option table that drives both
 * parsing and --help, error exits, warnings and progress on stderr.
 * SPDX-License-Identifier: MIT
 */
#ifndef CW_TOOLS_CLI_H
#define CW_TOOLS_CLI_H

#include "cityweave/cityweave.h"

enum { CW_EXIT_OK = 0, CW_EXIT_DATA = 1, CW_EXIT_USAGE = 2 };

/* Keys of the options every command takes; a command's own long-only
 * options use keys from CLI_KEY_FIRST on. */
enum {
    CLI_OUTPUT = 'o', CLI_FORMAT = 'f', CLI_QUIET = 'q', CLI_VERBOSE = 'v', CLI_HELP = 'h',
    CLI_LAYER = 'l', CLI_OVERWRITE = 256, CLI_VERSION, CLI_PRECISION, CLI_THREADS,
    CLI_WHERE, CLI_S_SRS, CLI_LON, CLI_LAT, CLI_ID, CLI_NAME, CLI_KEY_FIRST
};

/** One row of an option table. A row with key 0 is a section title for
 *  --help; arg NULL means the option takes no value. */
struct cli_opt {
    const char *name;   /**< long name, used as --name or -name */
    int key;            /**< short letter, or a CLI_KEY_FIRST+ code */
    const char *arg;    /**< metavariable, e.g. "DIST" */
    const char *help;
};

struct cli {
    const char *cmd;          /**< "network" */
    const char *synopsis;     /**< "CITIES [options] -o EDGES" */
    const char *about;        /**< one paragraph for --help */
    const struct cli_opt *opts;   /**< ends with a row of all zeros */
    int reads_points;         /**< takes the point-input options (-l, -where, ...) */
    /* set by cli_parse for the common options */
    const char *output;
    struct cw_write_opts write;
    struct cw_read_opts read;
    const char *id_field, *name_field;
    int quiet, verbose, threads;
    int next_arg;             /**< index of the first operand */
    int last_pct;             /**< progress shown so far */
    char last_msg[64];        /**< step shown last */
    double start;             /**< when the work began, seconds */
};

/** Parses argv; calls @p on(key, value, arg) for each command option.
 *  Handles the common options, --help and --version itself. */
void cli_parse(struct cli *c, int argc, char **argv,
               void (*on)(struct cli *c, int key, const char *val, void *arg), void *arg);

/** @return the one input operand left after cli_parse(), named @p what
 *  ("CITIES") in the usage error when there is none or more than one. */
const char *cli_one_input(const struct cli *c, int argc, char **argv, const char *what);

/** Prints "cityweave CMD: MESSAGE" and exits with @p code. */
_Noreturn void cli_die(const struct cli *c, int code, const char *fmt, ...)
    __attribute__((format(printf, 3, 4)));
/** As cli_die with CW_EXIT_USAGE, adding a hint to see --help. */
_Noreturn void cli_usage_error(const struct cli *c, const char *fmt, ...)
    __attribute__((format(printf, 2, 3)));

/** Parsers for option values that exit with a usage error on bad input. */
double cli_distance(const struct cli *c, const char *opt, const char *val);
double cli_area(const struct cli *c, const char *opt, const char *val);
long cli_int(const struct cli *c, const char *opt, const char *val, long lo, long hi);

/** A choice of an option: its name and the value it stands for. */
struct cli_choice {
    const char *name;
    int value;
};

/** @return the value of the choice named @p val; a usage error listing the
 *  choices if none is. @p choices ends with a row of NULL. */
int cli_choose(const struct cli *c, const char *opt, const char *val,
               const struct cli_choice *choices);
double cli_number(const struct cli *c, const char *opt, const char *val, double lo, double hi);

/** A context whose warnings and progress go to stderr (unless quiet),
 *  with the --threads given. */
struct cw_ctx *cli_ctx_new(struct cli *c);
/** Ends a command: prints the context's error as one line when @p rc is
 *  one, frees @p ctx. @return the exit status: 0, 1 for data and runtime
 *  errors, 2 for option errors. */
int cli_done(const struct cli *c, struct cw_ctx *ctx, int rc);
/** Prints "cityweave CMD: MESSAGE" on stderr (summaries under -v). */
void cli_say(const struct cli *c, const char *fmt, ...) __attribute__((format(printf, 2, 3)));

/** A subcommand, or a tool of one: its name, entry and one-line summary. */
struct cli_command {
    const char *name;
    int (*run)(int argc, char **argv);
    const char *summary;
};

/** Runs the one of @p cmds (n) called @p name with argc/argv, for the
 *  program @p prog ("cityweave", "cityweave linkage") whose operands are
 *  @p noun s ("command", "tool"). No name: the list on stderr, exit 2;
 *  "--help" or "-h": the list on stdout, exit 0; an unknown name: one line,
 *  exit 2. */
int cli_dispatch(const char *prog, const char *noun, const struct cli_command *cmds,
                 size_t n, const char *name, int argc, char **argv);

/** Refuses (usage error) an output that is the same file as an input. */
void cli_check_distinct(const struct cli *c, const char *output, const char *const *inputs);
/** Refuses outputs (n of them, NULL entries skipped) that name an input or
 *  one another. */
void cli_check_outputs(const struct cli *c, const char *const *outs, size_t n,
                       const char *const *inputs);

int cmd_network(int argc, char **argv);
int cmd_cluster(int argc, char **argv);
int cmd_linkage(int argc, char **argv);
int cmd_map(int argc, char **argv);
int cmd_linkage_degurba(int argc, char **argv);
int cmd_linkage_links(int argc, char **argv);
int cmd_linkage_popgrid(int argc, char **argv);
int cmd_green(int argc, char **argv);

#endif
