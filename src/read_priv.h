/* read_priv.h: what the two readers share: finding and parsing the
 * coordinate columns of a table, and the fast CSV/TSV reader itself.
 * SPDX-License-Identifier: MIT
 */
#ifndef CW_READ_PRIV_H
#define CW_READ_PRIV_H

#include "cityweave/layer.h"

/** Finds the longitude and latitude columns: the named ones, else the
 *  first of the usual names. @return CW_OK or CW_ERR_DATA naming @p path. */
int cw_find_coord_columns(struct cw_ctx *ctx, const char *path, const struct cw_table *t,
                          const struct cw_read_opts *o, int *lon, int *lat);

/** Makes a point for every row of @p l from its coordinate columns.
 *  @p rownum gives each row's number for messages (NULL: index + 1);
 *  @p lonlat: values must lie within longitude/latitude bounds. */
int cw_points_from_columns(struct cw_ctx *ctx, const char *path, struct cw_layer *l,
                           int lon, int lat, const long long *rownum, int lonlat);

/** @return non-zero when @p path with @p o can take the fast reader: a
 *  .csv or .tsv file read whole, without -l, -where or -s_srs. */
int cw_csv_fast_ok(const char *path, const struct cw_read_opts *o);
/** Parses a CSV or TSV (RFC 4180 quoting, UTF-8 BOM skipped; delimiter
 *  from the header: tab, else ';' when it has no ',', else ',') into
 *  @p out (initialised by the call), points from the coordinate columns
 *  unless attributes_only. @p buf (stolen: @p out owns it, or it is freed
 *  on error) holds @p len bytes plus buf[len] == '\0'; fields are cut in
 *  place. @p name is the source in messages; its last path component
 *  names the layer. @return CW_OK, or an error with @p out left empty. */
int cw_csv_parse(struct cw_ctx *ctx, const char *name, char *buf, size_t len,
                 const struct cw_read_opts *o, struct cw_layer *out);
/** cw_csv_parse() on the whole file at @p path. */
int cw_csv_read(struct cw_ctx *ctx, const char *path, const struct cw_read_opts *o,
                struct cw_layer *out);

#endif
