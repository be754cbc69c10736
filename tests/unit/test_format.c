/* test_format.c: cw_format_real against glibc's printf, the oracle, on
 * values of every magnitude and on exact halves, where rounding is decided.
 * SPDX-License-Identifier: MIT
 */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cityweave/table.h"
#include "check.h"

/* printf's "%.*f" with trailing zeros and a bare point dropped, -0 as 0:
 * what cw_format_real promises. */
static void oracle(char *buf, size_t size, double v, int p)
{
    snprintf(buf, size, "%.*f", p, v);
    if (strchr(buf, '.')) {
        char *end = buf + strlen(buf) - 1;
        while (*end == '0')
            *end-- = '\0';
        if (*end == '.')
            *end = '\0';
    }
    if (strcmp(buf, "-0") == 0)
        strcpy(buf, "0");
}

static int mismatches;

static void compare(double v, int p)
{
    char got[64], want[64];
    cw_format_real(got, sizeof got, v, p);
    oracle(want, sizeof want, v, p);
    if (strcmp(got, want) != 0 && mismatches++ < 10)
        fprintf(stderr, "%.17g at %d: got %s, printf %s\n", v, p, got, want);
}

/* xorshift64*: the same values on every run. */
static uint64_t next(uint64_t *s)
{
    *s ^= *s >> 12;
    *s ^= *s << 25;
    *s ^= *s >> 27;
    return *s * 2685821657736338717ull;
}

/* A random double of magnitude 10^-12 .. 10^17, either sign. */
static double random_value(uint64_t *s)
{
    double m = (double)(next(s) >> 11) / 9007199254740992.0;  /* [0, 1) */
    double e = (double)(next(s) % 30) - 12;
    return (next(s) & 1 ? -1 : 1) * m * pow(10, e);
}

static void test_random(void)
{
    uint64_t s = 0x9e3779b97f4a7c15ull;
    mismatches = 0;
    for (int i = 0; i < 2000000; i++)
        compare(random_value(&s), (int)(next(&s) % 18));
    CHECK(mismatches == 0);
}

/* (2n+1) / 2^(p+1) times 10^p is (2n+1)·5^p / 2: an exact half, rounded
 * to even by printf; the doubles either side of it round away from it. */
static void test_halves(void)
{
    mismatches = 0;
    for (int p = 0; p <= 17; p++)
        for (int n = 0; n < 2000; n++) {
            double v = (2.0 * n + 1) / ldexp(1, p + 1);
            compare(v, p);
            compare(-v, p);
            compare(nextafter(v, 0), p);
            compare(nextafter(v, 1e300), p);
        }
    CHECK(mismatches == 0);
}

/* Distances and coordinates as the writers print them. */
static void test_cases(void)
{
    char b[64];
    CHECK(strcmp(cw_format_real(b, sizeof b, 14.0815488136, 9), "14.081548814") == 0);
    CHECK(strcmp(cw_format_real(b, sizeof b, 2.5, 0), "2") == 0);
    CHECK(strcmp(cw_format_real(b, sizeof b, 0.125, 2), "0.12") == 0);
    CHECK(strcmp(cw_format_real(b, sizeof b, -0.00001, 3), "0") == 0);
    CHECK(strcmp(cw_format_real(b, sizeof b, -179.99999999, 7), "-180") == 0);
    CHECK(strcmp(cw_format_real(b, sizeof b, 1e20, 1), "100000000000000000000") == 0);
    CHECK(strcmp(cw_format_real(b, sizeof b, 0.1, -1), "0.1") == 0);
    /* a buffer too small for the fast path falls back to snprintf's cut */
    CHECK(strcmp(cw_format_real(b, 4, 123.456, 3), "123") == 0);
}

int main(void)
{
    test_cases();
    test_halves();
    test_random();
    return CHECK_DONE();
}
