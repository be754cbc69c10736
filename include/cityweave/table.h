/* table.h: an attribute table held as text, column by column.
 * SPDX-License-Identifier: MIT
 *
 * Values are kept as the strings they were read as (NULL = null), so input
 * attributes pass through unchanged; computed numbers are formatted once,
 * deterministically, when they are set. Columns are stored separately so a
 * field can be added after rows exist.
 */
#ifndef CITYWEAVE_TABLE_H
#define CITYWEAVE_TABLE_H

#include <stddef.h>

enum cw_ftype { CW_FT_STRING, CW_FT_INTEGER, CW_FT_REAL };

struct cw_field {
    char *name;         /**< owned */
    enum cw_ftype type;
    int precision;      /**< REAL: digits after the point; -1 = shortest round trip */
    size_t width;       /**< longest value in bytes seen so far (for DBF widths) */
};

struct cw_table {
    size_t nfields, nrows, cap;
    struct cw_field *fields;
    char ***cols;       /**< cols[field][row], owned strings or NULL */
    char *arena;        /**< owned block that cells may point into (bulk
                             loads: one allocation instead of one a cell) */
    size_t arena_size;
};

void cw_table_init(struct cw_table *t);
void cw_table_release(struct cw_table *t); /* frees contents, leaves t empty */

/** Adds a field. @return its index, or -1 when out of memory. */
int cw_table_add_field(struct cw_table *t, const char *name, enum cw_ftype type,
                       int precision);
/** @return the index of field @p name (ASCII case-insensitive), or -1. */
int cw_table_find(const struct cw_table *t, const char *name);
/** Appends a row of nulls. @return its index, or -1 when out of memory. */
long cw_table_add_row(struct cw_table *t);

/** Sets a cell to a copy of @p val (NULL = null). @return CW_OK or CW_ERR_NOMEM. */
int cw_table_set(struct cw_table *t, size_t row, int col, const char *val);
/** Formats @p v with the field's precision (non-finite values become null). */
int cw_table_set_real(struct cw_table *t, size_t row, int col, double v);
int cw_table_set_int(struct cw_table *t, size_t row, int col, long long v);
/** @return the cell (borrowed), or NULL when null. */
const char *cw_table_get(const struct cw_table *t, size_t row, int col);

/** Gives the table @p block (taken over, freed with the table) whose
 *  strings cells may then point at directly through cw_table_point(). */
void cw_table_adopt_arena(struct cw_table *t, char *block, size_t size);
/** Sets a cell to @p val, which must lie in the table's arena (no copy). */
void cw_table_point(struct cw_table *t, size_t row, int col, char *val);

/** Turns text fields whose every value is a number into INTEGER or REAL
 *  fields ("007" stays text: it is an identifier, not 7). */
void cw_table_infer_types(struct cw_table *t);

/** Writes @p v into @p buf with @p precision digits after the point, or in
 *  the shortest form that reads back exactly when @p precision < 0. Trailing
 *  zeros are dropped and -0 prints as 0, so output is stable across runs.
 *  @return @p buf. */
char *cw_format_real(char *buf, size_t size, double v, int precision);

#endif
