/* table.c: the attribute table, stored column by column as text.
 * SPDX-License-Identifier: MIT
 */
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "cityweave/ctx.h"
#include "cityweave/table.h"

void cw_table_init(struct cw_table *t)
{
    memset(t, 0, sizeof *t);
}

void cw_table_release(struct cw_table *t)
{
    for (size_t f = 0; f < t->nfields; f++) {
        for (size_t r = 0; r < t->nrows; r++)
            free(t->cols[f][r]);
        free(t->cols[f]);
        free(t->fields[f].name);
    }
    free(t->cols);
    free(t->fields);
    cw_table_init(t);
}

int cw_table_add_field(struct cw_table *t, const char *name, enum cw_ftype type,
                       int precision)
{
    struct cw_field *f = realloc(t->fields, (t->nfields + 1) * sizeof *f);
    if (!f)
        return -1;
    t->fields = f;
    char ***c = realloc(t->cols, (t->nfields + 1) * sizeof *c);
    if (!c)
        return -1;
    t->cols = c;
    char **col = calloc(t->cap ? t->cap : 1, sizeof *col);
    char *dup = strdup(name);
    if (!col || !dup) {
        free(col);
        free(dup);
        return -1;
    }
    t->cols[t->nfields] = col;
    f[t->nfields] = (struct cw_field){ dup, type, precision, 0 };
    return (int)t->nfields++;
}

int cw_table_find(const struct cw_table *t, const char *name)
{
    for (size_t f = 0; f < t->nfields; f++)
        if (strcasecmp(t->fields[f].name, name) == 0)
            return (int)f;
    return -1;
}

long cw_table_add_row(struct cw_table *t)
{
    if (t->nrows == t->cap) {
        size_t cap = t->cap ? 2 * t->cap : 64;
        for (size_t f = 0; f < t->nfields; f++) {
            char **col = realloc(t->cols[f], cap * sizeof *col);
            if (!col)
                return -1;
            memset(col + t->cap, 0, (cap - t->cap) * sizeof *col);
            t->cols[f] = col;
        }
        t->cap = cap;
    }
    for (size_t f = 0; f < t->nfields; f++)
        t->cols[f][t->nrows] = NULL;
    return (long)t->nrows++;
}

int cw_table_set(struct cw_table *t, size_t row, int col, const char *val)
{
    char *dup = NULL;
    if (val && !(dup = strdup(val)))
        return CW_ERR_NOMEM;
    free(t->cols[col][row]);
    t->cols[col][row] = dup;
    if (dup && strlen(dup) > t->fields[col].width)
        t->fields[col].width = strlen(dup);
    return CW_OK;
}

char *cw_format_real(char *buf, size_t size, double v, int precision)
{
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
    if (strchr(buf, '.') && !strchr(buf, 'e')) {
        char *end = buf + strlen(buf) - 1;
        while (*end == '0')
            *end-- = '\0';
        if (*end == '.')
            *end = '\0';
    }
    if (strcmp(buf, "-0") == 0)
        strcpy(buf, "0");
    return buf;
}

int cw_table_set_real(struct cw_table *t, size_t row, int col, double v)
{
    char buf[64];
    if (!isfinite(v))
        return cw_table_set(t, row, col, NULL);
    return cw_table_set(t, row, col,
                        cw_format_real(buf, sizeof buf, v, t->fields[col].precision));
}

int cw_table_set_int(struct cw_table *t, size_t row, int col, long long v)
{
    char buf[32];
    snprintf(buf, sizeof buf, "%lld", v);
    return cw_table_set(t, row, col, buf);
}

const char *cw_table_get(const struct cw_table *t, size_t row, int col)
{
    return t->cols[col][row];
}
