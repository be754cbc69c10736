/* dispatch.c: choosing a subcommand (`cityweave CMD`) or a tool of one
 * (`cityweave linkage TOOL`) by name, and listing them.
 * SPDX-License-Identifier: MIT
 */
#include <ctype.h>
#include <stdio.h>
#include <string.h>

#include "cli.h"

static void usage(FILE *fp, const char *prog, const char *noun,
                  const struct cli_command *cmds, size_t n)
{
    char upper[32];
    size_t k = 0;
    for (; noun[k] && k + 1 < sizeof upper; k++)
        upper[k] = (char)toupper((unsigned char)noun[k]);
    upper[k] = '\0';
    fprintf(fp, "usage: %s %s [options]\n\n%ss:\n", prog, upper, noun);
    for (size_t i = 0; i < n; i++)
        fprintf(fp, "  %-10s %s\n", cmds[i].name, cmds[i].summary);
    fprintf(fp, "\n'%s %s --help' shows a %s's options.\n", prog, upper, noun);
}

int cli_dispatch(const char *prog, const char *noun, const struct cli_command *cmds,
                 size_t n, const char *name, int argc, char **argv)
{
    if (!name) {
        usage(stderr, prog, noun, cmds, n);
        return CW_EXIT_USAGE;
    }
    if (strcmp(name, "--help") == 0 || strcmp(name, "-h") == 0) {
        usage(stdout, prog, noun, cmds, n);
        return CW_EXIT_OK;
    }
    for (size_t i = 0; i < n; i++)
        if (strcmp(name, cmds[i].name) == 0)
            return cmds[i].run(argc, argv);
    fprintf(stderr, "%s: unknown %s '%s' (see '%s --help')\n", prog, noun, name, prog);
    return CW_EXIT_USAGE;
}
