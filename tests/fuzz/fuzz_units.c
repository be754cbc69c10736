/* fuzz_units.c: libFuzzer harness for the option value parsers
 * (cw_parse_distance, cw_parse_area, cw_parse_double, cw_parse_int) on a NUL-terminated
 * copy of the input; what they accept must be what units.h promises.
 * SPDX-License-Identifier: MIT
 */
#include <limits.h>
#include <math.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "cityweave/units.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    static const long ranges[][2] = { { LONG_MIN, LONG_MAX }, { 0, 100 }, { -5, 5 }, { 1, 1 } };
    char *s = malloc(size + 1);
    double d;
    long v;
    if (!s)
        return 0;
    memcpy(s, data, size);
    s[size] = '\0';
    if (cw_parse_double(s, &d) == 0 && (!isfinite(d) || !*s))
        abort();
    if (cw_parse_distance(s, &d) == 0 && (!isfinite(d) || !*s))
        abort();
    if (cw_parse_area(s, &d) == 0 && (!isfinite(d) || !*s))
        abort();
    for (size_t i = 0; i < sizeof ranges / sizeof ranges[0]; i++)
        if (cw_parse_int(s, ranges[i][0], ranges[i][1], &v) == 0 &&
            (v < ranges[i][0] || v > ranges[i][1]))
            abort();
    free(s);
    return 0;
}
