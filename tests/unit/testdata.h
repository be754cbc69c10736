/* testdata.h: the data files the unit tests share, GeoNames places and
 * oracle fixtures, found through $CW_TEST_DATA, else tests/data (run from
 * the repo root).
 * SPDX-License-Identifier: MIT
 */
#ifndef CW_TEST_TESTDATA_H
#define CW_TEST_TESTDATA_H

#include <stddef.h>
#include <stdio.h>

/* Places as two parallel arrays, owned: free with free_cities(). */
struct cities {
    size_t n;
    double *lon, *lat;
};

/* Opens data file @p name for reading.
 * @return the stream, or NULL after printing "cannot open 'PATH'" to
 * stderr. */
FILE *open_data(const char *name);

/* Reads data file @p name: a header line, then rows whose last two fields
 * are lon,lat (the name before may hold commas); stops at a row with no
 * comma. @return 0, or -1 when the file cannot be opened or is empty
 * (@p c is then empty). */
int load_cities(const char *name, struct cities *c);

void free_cities(struct cities *c);

#endif
