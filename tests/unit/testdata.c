/* testdata.c: loading the data files the unit tests share (testdata.h).
 * SPDX-License-Identifier: MIT
 */
#include <stdlib.h>
#include <string.h>

#include "testdata.h"

FILE *open_data(const char *name)
{
    const char *dir = getenv("CW_TEST_DATA");
    char path[1024];
    snprintf(path, sizeof path, "%s/%s", dir && *dir ? dir : "tests/data", name);
    FILE *f = fopen(path, "r");
    if (!f)
        fprintf(stderr, "cannot open '%s'\n", path);
    return f;
}

int load_cities(const char *name, struct cities *c)
{
    char line[1024];
    size_t cap = 0;
    FILE *f = open_data(name);
    memset(c, 0, sizeof *c);
    if (!f || !fgets(line, sizeof line, f))
        return f ? fclose(f), -1 : -1;
    while (fgets(line, sizeof line, f)) {
        char *lat = strrchr(line, ','), *lon;
        if (!lat)
            break;
        *lat++ = '\0';
        lon = strrchr(line, ',');
        lon = lon ? lon + 1 : line;
        if (c->n == cap) {
            cap = cap ? 2 * cap : 1024;
            c->lon = realloc(c->lon, cap * sizeof *c->lon);
            c->lat = realloc(c->lat, cap * sizeof *c->lat);
        }
        c->lon[c->n] = strtod(lon, NULL);
        c->lat[c->n++] = strtod(lat, NULL);
    }
    fclose(f);
    return 0;
}

void free_cities(struct cities *c)
{
    free(c->lon);
    free(c->lat);
}
