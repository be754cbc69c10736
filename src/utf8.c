/* utf8.c: UTF-8 well-formedness, for the readers (text must arrive as
 * UTF-8) and the writers (GeoJSON escapes, DBF widths cut on characters).
 * SPDX-License-Identifier: MIT
 */
#include "utf8.h"

/* Well-formed sequences per Unicode table 3-7: no overlong forms, no
 * surrogates, nothing above U+10FFFF. */
size_t cw_utf8_char_len(const unsigned char *s)
{
    unsigned char c = s[0];
    unsigned char lo = 0x80, hi = 0xBF;
    size_t n;
    if (c >= 0x01 && c <= 0x7F)
        return 1;
    if (c >= 0xC2 && c <= 0xDF)
        n = 2;
    else if (c >= 0xE0 && c <= 0xEF)
        n = 3;
    else if (c >= 0xF0 && c <= 0xF4)
        n = 4;
    else
        return 0;
    if (c == 0xE0)
        lo = 0xA0;
    else if (c == 0xED)
        hi = 0x9F;
    else if (c == 0xF0)
        lo = 0x90;
    else if (c == 0xF4)
        hi = 0x8F;
    if (s[1] < lo || s[1] > hi)
        return 0;
    for (size_t i = 2; i < n; i++)
        if (s[i] < 0x80 || s[i] > 0xBF)
            return 0;
    return n;
}

size_t cw_utf8_prefix(const char *s, size_t max)
{
    const unsigned char *u = (const unsigned char *)s;
    size_t len = 0;
    while (u[len]) {
        size_t n = cw_utf8_char_len(u + len);
        if (n == 0)
            n = 1;
        if (len + n > max)
            break;
        len += n;
    }
    return len;
}

size_t cw_utf8_check(const char *s, size_t len)
{
    const unsigned char *u = (const unsigned char *)s;
    size_t i = 0;
    while (i < len) {
        if (u[i] >= 0x01 && u[i] <= 0x7F) {
            i++;
            continue;
        }
        size_t n = cw_utf8_char_len(u + i);
        if (n == 0 || i + n > len)
            return i;
        i += n;
    }
    return len;
}
