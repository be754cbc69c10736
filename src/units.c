/* units.c: strict parsing of numbers and distances given on the command
 * line and in coordinate columns. atof() would take "25kn" as 25, and
 * strtod() " 5" as 5 and "0x10" as 16; these take plain decimals only.
 * SPDX-License-Identifier: MIT
 */
#include <errno.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "cityweave/units.h"

/* strtod() on a plain decimal: a sign, digits or a point first (no
 * space, "inf" or "nan"), and no hexadecimal. @p end is @p s on failure. */
static double decimal(const char *s, char **end)
{
    const char *d = s + (*s == '+' || *s == '-');
    double v = 0;
    *end = (char *)s;
    if ((*d >= '0' && *d <= '9') || *d == '.')
        v = strtod(s, end);
    if (memchr(s, 'x', (size_t)(*end - s)) || memchr(s, 'X', (size_t)(*end - s)))
        *end = (char *)s;
    return v;
}

int cw_parse_double(const char *s, double *out)
{
    char *end;
    if (!s || !*s)
        return -1;
    errno = 0;
    double v = decimal(s, &end);
    if (end == s || *end || errno == ERANGE || !isfinite(v))
        return -1;
    *out = v;
    return 0;
}

int cw_parse_int(const char *s, long lo, long hi, long *out)
{
    char *end;
    if (!s || !((*s >= '0' && *s <= '9') || *s == '-' || *s == '+'))
        return -1;   /* strtol would skip leading space */
    errno = 0;
    long v = strtol(s, &end, 10);
    if (end == s || *end || errno == ERANGE || v < lo || v > hi)
        return -1;
    *out = v;
    return 0;
}

struct unit {
    const char *name;
    double factor;
};

/* A decimal followed (spaces allowed) by one of @p units, case-insensitive. */
static int with_unit(const char *s, const struct unit *units, size_t n, double *out)
{
    char *end;
    if (!s || !*s)
        return -1;
    errno = 0;
    double v = decimal(s, &end);
    if (end == s || errno == ERANGE || !isfinite(v))
        return -1;
    while (*end == ' ')
        end++;
    for (size_t i = 0; i < n; i++) {
        if (strcasecmp(end, units[i].name) == 0) {
            /* "1e307km" is a finite number of kilometres but not of
             * metres; found by tests/fuzz/fuzz_units.c. */
            double m = v * units[i].factor;
            if (!isfinite(m))
                return -1;
            *out = m;
            return 0;
        }
    }
    return -1;
}

int cw_parse_distance(const char *s, double *metres)
{
    static const struct unit units[] = { { "km", 1000.0 }, { "m", 1.0 }, { "", 1.0 } };
    return with_unit(s, units, sizeof units / sizeof *units, metres);
}

int cw_parse_area(const char *s, double *m2)
{
    static const struct unit units[] = {
        { "km2", 1e6 }, { "ha", 1e4 }, { "m2", 1.0 }, { "", 1.0 },
    };
    return with_unit(s, units, sizeof units / sizeof *units, m2);
}
