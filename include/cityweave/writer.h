/* writer.h: streaming vector output to GeoJSON, Shapefile, GeoPackage,
 * FlatGeobuf or CSV, always through a temporary file and a rename.
 * SPDX-License-Identifier: MIT
 *
 *   struct cw_writer *w;
 *   if (cw_writer_open(ctx, "edges.shp", &wo, fields, nf, CW_GEOM_LINE, &w)) ...
 *   for (...) if (cw_writer_add(w, geom, values)) { cw_writer_abort(w); ... }
 *   if (cw_writer_commit(w)) ...      // the output appears only here
 */
#ifndef CITYWEAVE_WRITER_H
#define CITYWEAVE_WRITER_H

#include "cityweave/ctx.h"
#include "cityweave/table.h"
#include "cityweave/layer.h"

enum cw_format {
    CW_FMT_AUTO = 0,   /**< from the file extension */
    CW_FMT_GEOJSON,    /**< RFC 7946, written by cityweave itself */
    CW_FMT_SHAPEFILE,  /**< through Shapelib, with .prj and .cpg */
    CW_FMT_GPKG,       /**< through GDAL */
    CW_FMT_FGB,        /**< FlatGeobuf, through GDAL */
    CW_FMT_CSV         /**< attributes only, RFC 4180 */
};

/** Geometry family of a layer: LINE accepts LineString and MultiLineString,
 *  POLYGON accepts Polygon and MultiPolygon. */
enum cw_geom_type { CW_GEOM_NONE, CW_GEOM_POINT, CW_GEOM_LINE, CW_GEOM_POLYGON };

struct cw_write_opts {
    enum cw_format format;  /**< CW_FMT_AUTO: by extension of the path */
    int precision;          /**< GeoJSON decimals; 0 means the default, 7 */
    int overwrite;          /**< replace an existing output */
    const char *layer_name; /**< GPKG/FGB layer name (default: file stem) */
};

/** Maps "GeoJSON", "ESRI Shapefile", "GPKG", "FlatGeobuf", "CSV"
 *  (case-insensitive; also "shp", "json", "fgb") to a format.
 *  @return CW_OK or CW_ERR_ARG. */
int cw_format_from_name(const char *name, enum cw_format *out);
/** @return the format implied by the extension of @p path, or CW_FMT_AUTO
 *  when it is not recognised. "-" (stdout) is GeoJSON. */
enum cw_format cw_format_from_path(const char *path);

struct cw_writer;

/** Starts writing @p path ("-" = GeoJSON on stdout, or CSV when @p opts
 *  asks for it). Nothing appears at @p path before cw_writer_commit().
 *  @p opts may be NULL for the defaults. @p fields (copied) give the schema;
 *  their width members size Shapefile text columns (254 at most; longer
 *  values are cut at a UTF-8 boundary with a warning naming the field).
 *  A Shapefile path must end in .shp.
 *  @param[out] out the writer, to finish with cw_writer_commit() or
 *  cw_writer_abort(); NULL on error
 *  @return CW_OK, CW_ERR_EXISTS (output exists, no overwrite), CW_ERR_ARG
 *  (unknown format, precision outside 0..17, a format stdout cannot take),
 *  CW_ERR_IO, CW_ERR_LIB. */
int cw_writer_open(struct cw_ctx *ctx, const char *path,
                   const struct cw_write_opts *opts,
                   const struct cw_field *fields, size_t nfields,
                   enum cw_geom_type gtype, struct cw_writer **out);
/** @return non-zero when the format stores geometry (all but CSV), so a
 *  caller can skip building geometries nobody will write. */
int cw_writer_wants_geometry(const struct cw_writer *w);
/** Appends one feature. @p geom (borrowed, lon/lat; NULL = null geometry)
 *  must be of the layer's family; an empty one is written as null.
 *  @p values has one entry per field (NULL = null), numbers as text: an
 *  INTEGER value must be a decimal integer that fits in 64 bits and a REAL
 *  one a finite decimal number. Valid JSON numbers are written verbatim,
 *  other forms C reads ("+5", ".5") in their shortest JSON form, anything
 *  else as null with one warning per field. FlatGeobuf cannot hold null geometries (GDAL 3.6 would drop
 *  them silently), so there they are a CW_ERR_DATA.
 *  @return CW_OK, CW_ERR_DATA (wrong geometry family, a value the format
 *  cannot hold), CW_ERR_IO or CW_ERR_LIB; after an error only
 *  cw_writer_abort() or cw_writer_commit() (which then fails) may follow. */
int cw_writer_add(struct cw_writer *w, const GEOSGeometry *geom,
                  const char *const *values);
/** Room that a cw_row_fn may print numbers into. */
#define CW_ROW_SCRATCH 128

/** Fills @p values (one per field, as cw_writer_add() takes them) for row
 *  @p i; numbers may be printed into @p scratch (CW_ROW_SCRATCH bytes).
 *  Called on several threads at once: it may only read shared state. */
typedef void (*cw_row_fn)(void *arg, size_t i, const char **values, char *scratch);

/** Appends @p n features without geometry, row i from @p fn: the same
 *  bytes as cw_writer_add(w, NULL, row i) for each i in order, but CSV
 *  rows are formatted on every thread of the context. @return as for
 *  cw_writer_add(). */
int cw_writer_add_rows(struct cw_writer *w, size_t n, cw_row_fn fn, void *arg);
/** Finishes, flushes, syncs and renames into place; frees @p w. On error the
 *  temporary files are removed and any existing output is left untouched.
 *  After a failed cw_writer_add() it publishes nothing and returns that
 *  failure. For CW_FAIL_WRITE the commit counts as one more checked write
 *  after the records, so a test can make the final flush fail. */
int cw_writer_commit(struct cw_writer *w);
/** Discards everything written; frees @p w. NULL is a no-op. */
void cw_writer_abort(struct cw_writer *w);

/** Shapefile (DBF) field names for @p fields, following one documented,
 *  collision-free rule: a name keeps its longest prefix of at most 10 bytes
 *  that ends on a UTF-8 character boundary; if an earlier field already
 *  took that name (ASCII case-insensitively), it becomes the prefix of at
 *  most 10 - len("_N") bytes followed by "_N", for the first N = 1, 2, ...
 *  not taken. So "harmonic_closeness" gives "harmonic_c", and a later
 *  "harmonic_centrality" gives "harmonic_1".
 *  @param[in]  f, n  the fields, in order
 *  @param[out] out   n NUL-terminated names
 *  @return how many names differ from the field names. */
int cw_shp_field_names(const struct cw_field *f, size_t n, char (*out)[11]);

/** Writes a whole in-memory layer (a convenience over the calls above). */
int cw_layer_write(struct cw_ctx *ctx, const struct cw_layer *l, const char *path,
                   const struct cw_write_opts *opts, enum cw_geom_type gtype);
/** cw_layer_write() up to the commit: @p *out holds every feature in its
 *  temporary files, for the caller to commit or abort together with the
 *  run's other outputs (*out is NULL on error). */
int cw_layer_write_open(struct cw_ctx *ctx, const struct cw_layer *l, const char *path,
                        const struct cw_write_opts *opts, enum cw_geom_type gtype,
                        struct cw_writer **out);
/** Ends a run's outputs w[0..n) (NULL entries skipped), each written in
 *  full beforehand: with @p rc an error, aborts them all and returns @p rc;
 *  else commits them under cw_ctx_hold_outputs() and publishes them with
 *  any other output held meanwhile (a GeoTIFF), so that a run failing
 *  while it writes or commits replaces none of them. Frees them all. */
int cw_writers_finish(struct cw_ctx *ctx, int rc, struct cw_writer **w, size_t n);

#endif
