/* format.c: numbers as text for every writer, the same bytes on every run.
 * SPDX-License-Identifier: MIT
 *
 * Fixed decimals ("%.*f") are the hot path: a within-25 km edge table of
 * GeoNames has 5.7 million distances, a GeoJSON file two coordinates per
 * vertex, and glibc's printf works through multi-precision arithmetic
 * (__mpn_divrem) for each. Scaled by 10^p, a value that fits in 53 bits
 * is an integer plus a fraction whose rounding can be decided exactly, so
 * the digits come from integer division instead, byte-identical to glibc
 * (test_format compares them on millions of values, halves included).
 */
#include <math.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cityweave/table.h"

static const double pow10_exact[] = {   /* 10^p is exact in a double for p <= 22 */
    1e0, 1e1, 1e2, 1e3, 1e4, 1e5, 1e6, 1e7, 1e8, 1e9,
    1e10, 1e11, 1e12, 1e13, 1e14, 1e15, 1e16, 1e17,
};

#define FAST_MAX_PRECISION 17
#define TWO_52 4503599627370496.0
#define FIXED_MAX 24

/* |v| * 10^p rounded to the nearest integer, ties to even, as printf does
 * in the default rounding mode. fma gives the product's rounding error, so
 * the exact product is x + err; x - floor(x) is exact below 2^52 and a
 * multiple of ulp(x), with |err| <= ulp(x)/2, so only a fraction of
 * exactly one half needs err to decide. @return 0 when out of range. */
static int scaled_round(double v, int p, uint64_t *out)
{
    double s = pow10_exact[p], a = fabs(v);
    double x = a * s;
    if (!(x < TWO_52))
        return 0;
    double err = fma(a, s, -x), q = floor(x), f = x - q;
    if (f > 0.5 || (f == 0.5 && (err > 0 || (err == 0 && fmod(q, 2) != 0))))
        q += 1;
    *out = (uint64_t)q;
    return 1;
}

/* "%.*f" of @p v without trailing zeros, into @p buf (FIXED_MAX bytes:
 * the scaled value is below 2^52, 16 digits at most, so the longest text is
 * "-0." and 17 decimals and the NUL, 21 bytes).
 * @return 0 when @p v is out of the fast range. */
static int format_fixed(char *buf, double v, int p)
{
    uint64_t q, unit = 1;
    if (p > FAST_MAX_PRECISION || !scaled_round(v, p, &q))
        return 0;
    for (int i = 0; i < p; i++)
        unit *= 10;
    uint64_t ip = q / unit, fp = q % unit;
    char *o = buf;
    if (v < 0 && q)
        *o++ = '-';     /* a value that rounds to zero prints as 0 */
    char digits[24];
    int nd = 0;
    do
        digits[nd++] = (char)('0' + ip % 10);
    while ((ip /= 10) != 0);
    while (nd > 0)
        *o++ = digits[--nd];
    if (fp) {
        char *dot = o++;
        *dot = '.';
        for (int i = p - 1; i >= 0; i--, fp /= 10)
            o[i] = (char)('0' + fp % 10);
        o += p;
        while (o[-1] == '0')
            o--;
    }
    *o = '\0';
    return 1;
}

/* Drops the trailing zeros of a plain decimal, and the point if bare. */
static void trim_zeros(char *buf)
{
    if (strchr(buf, '.') && !strchr(buf, 'e')) {
        char *end = buf + strlen(buf) - 1;
        while (*end == '0')
            *end-- = '\0';
        if (*end == '.')
            *end = '\0';
    }
}

char *cw_format_real(char *buf, size_t size, double v, int precision)
{
    char fast[48];
    if (precision >= 0 && isfinite(v)) {
        if (size >= FIXED_MAX && format_fixed(buf, v, precision))
            return buf;   /* the usual case: no copy */
        if (format_fixed(fast, v, precision) && strlen(fast) < size)
            return memcpy(buf, fast, strlen(fast) + 1);
    }
    if (precision >= 0) {
        snprintf(buf, size, "%.*f", precision, v);
    } else {
        /* Shortest of %.15g..%.17g that reads back as the same double. */
        for (int p = 15; p <= 17; p++) {
            snprintf(buf, size, "%.*g", p, v);
            if (strtod(buf, NULL) == v)
                break;
        }
    }
    trim_zeros(buf);
    if (strcmp(buf, "-0") == 0)
        strcpy(buf, "0");
    return buf;
}
