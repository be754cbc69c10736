/* units.c: strict parsing of numbers and distances given on the command
 * line. atof() would take "25kn" as 25; these reject anything not whole.
 * SPDX-License-Identifier: MIT
 */
#include <errno.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "cityweave/units.h"

int cw_parse_double(const char *s, double *out)
{
    char *end;
    if (!s || !*s)
        return -1;
    errno = 0;
    double v = strtod(s, &end);
    if (end == s || *end || errno == ERANGE || !isfinite(v))
        return -1;
    *out = v;
    return 0;
}

int cw_parse_int(const char *s, long lo, long hi, long *out)
{
    char *end;
    if (!s || !*s)
        return -1;
    errno = 0;
    long v = strtol(s, &end, 10);
    if (end == s || *end || errno == ERANGE || v < lo || v > hi)
        return -1;
    *out = v;
    return 0;
}

int cw_parse_distance(const char *s, double *metres)
{
    static const struct { const char *unit; double factor; } units[] = {
        { "km", 1000.0 }, { "m", 1.0 }, { "", 1.0 },
    };
    char *end;
    if (!s || !*s)
        return -1;
    errno = 0;
    double v = strtod(s, &end);
    if (end == s || errno == ERANGE || !isfinite(v))
        return -1;
    while (*end == ' ')
        end++;
    for (size_t i = 0; i < sizeof units / sizeof units[0]; i++) {
        if (strcasecmp(end, units[i].unit) == 0) {
            /* "1e307km" is a finite number of kilometres but not of
             * metres; found by tests/fuzz/fuzz_units.c. */
            double m = v * units[i].factor;
            if (!isfinite(m))
                return -1;
            *metres = m;
            return 0;
        }
    }
    return -1;
}
