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

/* Cells in the arena belong to the block, not to themselves. */
static void free_cell(struct cw_table *t, char *cell)
{
    if (!(t->arena && cell >= t->arena && cell < t->arena + t->arena_size))
        free(cell);
}

void cw_table_release(struct cw_table *t)
{
    for (size_t f = 0; f < t->nfields; f++) {
        for (size_t r = 0; r < t->nrows; r++)
            free_cell(t, t->cols[f][r]);
        free(t->cols[f]);
        free(t->fields[f].name);
    }
    free(t->cols);
    free(t->fields);
    free(t->arena);
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
    free_cell(t, t->cols[col][row]);
    t->cols[col][row] = dup;
    if (dup && strlen(dup) > t->fields[col].width)
        t->fields[col].width = strlen(dup);
    return CW_OK;
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

void cw_table_adopt_arena(struct cw_table *t, char *block, size_t size)
{
    free(t->arena);
    t->arena = block;
    t->arena_size = size;
}

void cw_table_point(struct cw_table *t, size_t row, int col, char *val)
{
    free_cell(t, t->cols[col][row]);
    t->cols[col][row] = val;
    if (val && strlen(val) > t->fields[col].width)
        t->fields[col].width = strlen(val);
}

/* Classifies a number's text without converting it: 2 integer, 1 other
 * decimal number, 0 not a number (or one with a leading zero). */
static int number_kind(const char *s)
{
    int digits = 0, frac = 0;
    if (*s == '-' || *s == '+')
        s++;
    if (s[0] == '0' && s[1] >= '0' && s[1] <= '9')
        return 0;
    for (; *s >= '0' && *s <= '9'; s++)
        digits++;
    if (*s == '.')
        for (s++, frac = 1; *s >= '0' && *s <= '9'; s++)
            digits++;
    if (digits && (*s == 'e' || *s == 'E')) {
        s++;
        if (*s == '-' || *s == '+')
            s++;
        if (!(*s >= '0' && *s <= '9'))
            return 0;
        while (*s >= '0' && *s <= '9')
            s++;
        frac = 1;
    }
    if (!digits || *s)
        return 0;
    return frac ? 1 : 2;
}

void cw_table_infer_types(struct cw_table *t)
{
    for (size_t f = 0; f < t->nfields; f++) {
        int kind = 2, seen = 0;
        if (t->fields[f].type != CW_FT_STRING)
            continue;
        for (size_t r = 0; r < t->nrows && kind; r++) {
            const char *v = t->cols[f][r];
            if (!v)
                continue;
            int k = number_kind(v);
            kind = k < kind ? k : kind;
            if (k == 2 && strlen(v) > 18)
                kind = 1;  /* beyond 64-bit integers */
            seen = 1;
        }
        if (seen && kind)
            t->fields[f].type = kind == 2 ? CW_FT_INTEGER : CW_FT_REAL;
    }
}
