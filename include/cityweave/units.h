/* units.h: strict parsing of option values with units.
 * SPDX-License-Identifier: MIT
 */
#ifndef CITYWEAVE_UNITS_H
#define CITYWEAVE_UNITS_H

/** Parses a whole string as a finite number ("1e3", "-2.5"); no trailing
 *  junk, no empty string. @return 0 on success, -1 otherwise. */
int cw_parse_double(const char *s, double *out);
/** Parses a whole string as an integer in [lo, hi]. @return 0 or -1. */
int cw_parse_int(const char *s, long lo, long hi, long *out);
/** Parses a distance: a number followed by m or km ("25km", "500m",
 *  "0.5 km"); a bare number is metres. @return 0 and the metres, always
 *  finite ("1e307km" is refused), or -1. */
int cw_parse_distance(const char *s, double *metres);
/** Parses an area: a number followed by m2, ha or km2 ("0.5ha", "1 km2");
 *  a bare number is square metres. @return 0 and the square metres,
 *  always finite, or -1. */
int cw_parse_area(const char *s, double *m2);

#endif
