/* utf8.h: UTF-8 well-formedness (utf8.c); private to the library.
 * SPDX-License-Identifier: MIT
 */
#ifndef CW_UTF8_H
#define CW_UTF8_H

#include <stddef.h>

/* @return the length of the valid UTF-8 character at @p s, 0 when the
 * bytes there are not one (or are the terminating NUL). Reads no byte
 * past a NUL. */
size_t cw_utf8_char_len(const unsigned char *s);
/* @return the length of the longest prefix of @p s (NUL-terminated) of at
 * most @p max bytes that does not split a character; invalid bytes count
 * as characters of one byte. */
size_t cw_utf8_prefix(const char *s, size_t max);
/* @return the offset of the first byte of @p s[0..len) that starts no
 * well-formed character (a NUL counts as one), or @p len when all do.
 * @p s[len] must be readable and NUL. */
size_t cw_utf8_check(const char *s, size_t len);

#endif
