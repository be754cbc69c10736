/* layer.h: a vector layer held in memory, and reading one from any OGR source.
 * SPDX-License-Identifier: MIT
 *
 * Geometries are GEOS geometries in WGS84 longitude/latitude (EPSG:4326,
 * traditional GIS axis order), whatever the source CRS was: every tool
 * computes on the ellipsoid and every writer starts from lon/lat.
 */
#ifndef CITYWEAVE_LAYER_H
#define CITYWEAVE_LAYER_H

#include "cityweave/ctx.h"
#include "cityweave/table.h"

struct cw_layer {
    char *name;              /**< owned; source layer name */
    struct cw_table attrs;   /**< one row per feature */
    GEOSGeometry **geoms;    /**< owned; geoms[row], NULL for a null geometry */
    size_t cap;
};

void cw_layer_init(struct cw_layer *l);
/** Frees geometries (with the context's GEOS handle) and attributes. */
void cw_layer_release(struct cw_ctx *ctx, struct cw_layer *l);
/** Appends a feature of nulls that owns @p geom (stolen, may be NULL).
 *  @return the row, or -1 when out of memory (geom is then destroyed). */
long cw_layer_add(struct cw_ctx *ctx, struct cw_layer *l, GEOSGeometry *geom);

/** How to read a source. All members may be NULL. */
struct cw_read_opts {
    const char *layer;      /**< -l: layer name (default: the first) */
    const char *where;      /**< -where: OGR SQL attribute filter */
    const char *s_srs;      /**< -s_srs: source CRS overriding the file's */
    const char *lon_field;  /**< CSV: longitude column (default: by name) */
    const char *lat_field;  /**< CSV: latitude column (default: by name) */
    int attributes_only;    /**< read a table: no geometry, no coordinates */
};

/** Reads @p path with GDAL/OGR into @p out (initialised by the call).
 *  Tabular sources without geometry (CSV, TSV) are read as points from a
 *  longitude and a latitude column, found by the usual names (lon, lng,
 *  long, longitude, x / lat, latitude, y; case-insensitive) unless named.
 *  Coordinates are parsed strictly: a non-numeric, NaN, infinite or
 *  out-of-range value is a CW_ERR_DATA naming the file and the row.
 *  Geometries are transformed to WGS84 lon/lat. A source without a CRS is
 *  taken as WGS84 when its coordinates fit in lon/lat bounds.
 *  @return CW_OK, or an error with @p out left empty. */
int cw_layer_read(struct cw_ctx *ctx, const char *path,
                  const struct cw_read_opts *opts, struct cw_layer *out);

/** Checks that every feature of @p l is a Polygon or MultiPolygon with an
 *  area, making invalid ones valid (cw_repair_polygon, one warning) unless
 *  @p strict. @return CW_OK, or CW_ERR_DATA naming @p path and the row:
 *  "no geometry", "geometry is not a polygon (TYPE)", "invalid polygon
 *  (REASON)" (strict) or "polygon has no area". */
int cw_layer_zones(struct cw_ctx *ctx, struct cw_layer *l, const char *path, int strict);

/** Reads field @p field of every feature as a number into
 *  out[row * stride]. A null is 0 unless @p required. @return CW_OK, or
 *  CW_ERR_DATA naming @p path: "no WHAT field 'F'" when the field is
 *  missing, "row N: WHAT 'V' is not a number[ of MIN or more]" for a value
 *  that is not a decimal number or is below @p min (-INFINITY: no floor).
 *  WHAT is @p what, or the field's name when @p what is NULL. */
int cw_layer_numbers(struct cw_ctx *ctx, const struct cw_layer *l, const char *path,
                     const char *field, const char *what, int required, double min,
                     double *out, size_t stride);

#endif
