/* writer_priv.h: what writer.c shares with the format backends
 * (geojson_write.c, csv_write.c, shp_write.c, ogr_write.c); private.
 * SPDX-License-Identifier: MIT
 */
#ifndef CW_WRITER_PRIV_H
#define CW_WRITER_PRIV_H

#include <stddef.h>

#include "cityweave/writer.h"
#include "utf8.h"

/* A backend's operations. writer.c has already checked what they receive:
 * the geometry is NULL or a non-empty member of the layer's family, and
 * every non-NULL number is a valid JSON number (an integer in INTEGER
 * fields, finite in REAL ones). commit() and abort() free w->impl and
 * whatever files the backend still holds. */
struct cw_writer_ops {
    int (*add)(struct cw_writer *w, const GEOSGeometry *geom,
               const char *const *values);
    int (*commit)(struct cw_writer *w);
    void (*abort)(struct cw_writer *w);
    /* rows without geometry, values unchecked (cw_writer_add_rows());
     * NULL: add() row by row */
    int (*add_rows)(struct cw_writer *w, size_t n, cw_row_fn fn, void *arg);
};

struct cw_writer {
    struct cw_ctx *ctx;
    const struct cw_writer_ops *ops;
    void *impl;                 /* the backend's state */
    char *path;                 /* owned copy; "-" is stdout */
    enum cw_format format;      /* never CW_FMT_AUTO */
    enum cw_geom_type gtype;
    struct cw_field *fields;    /* owned copies */
    size_t nfields;
    int precision;              /* GeoJSON decimals, 1 to 17 */
    int overwrite;
    char *layer_name;           /* owned; GPKG/FGB layer, default the stem */
    long nrec;                  /* features written so far */
    int failed;                 /* status of a failed add, 0 if none */
    unsigned char *warned;      /* per field: bad numbers reported once */
    const char **vals;          /* one feature's checked values */
    char (*numbuf)[32];         /* per field: a number rewritten for JSON */
};

/* Each opens its output and sets w->ops and w->impl. */
int cw_geojson_open(struct cw_writer *w);
int cw_csv_open(struct cw_writer *w);
int cw_shp_open(struct cw_writer *w);
int cw_ogr_open(struct cw_writer *w);

/* Coordinates of one or more paths, kept between features to save
 * allocations. */
struct cw_coords {
    double *x, *y;
    size_t n, cap;
};

/* Appends the coordinates of a LineString or LinearRing (borrowed).
 * @return CW_OK, CW_ERR_NOMEM or CW_ERR_LIB (message in the context). */
int cw_coords_append(struct cw_ctx *ctx, struct cw_coords *c,
                     const GEOSGeometry *line);
/* Reverses the ring stored from @p start to the end when its orientation
 * in the lon/lat plane is not the one asked for (ccw non-zero:
 * counter-clockwise). Rings without area are left alone. */
void cw_coords_orient(struct cw_coords *c, size_t start, int ccw);
void cw_coords_release(struct cw_coords *c);

/* Field @p i's value @p v as the backend may write it: @p v, its JSON form
 * printed into @p buf (32 bytes), or NULL with *bad set when it is no
 * number of the field's type. Reads only @p w: safe on any thread. */
const char *cw_writer_check_value(const struct cw_writer *w, size_t i, const char *v,
                                  char *buf, unsigned char *bad);
/* Warns, once per field, that field @p i had values that were no numbers. */
void cw_writer_warn_number(struct cw_writer *w, size_t i);
/* The CW_FAIL_WRITE fault for the next write, if injected: CW_ERR_IO. */
int cw_writer_fault(struct cw_writer *w);

/* "'PATH': cannot write: REASON" with strerror(err), CW_ERR_IO. */
int cw_writer_io_error(struct cw_writer *w, int err);

#endif
