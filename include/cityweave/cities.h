/* cities.h: a layer of city points with validated ids and names.
 * SPDX-License-Identifier: MIT
 */
#ifndef CITYWEAVE_CITIES_H
#define CITYWEAVE_CITIES_H

#include <stdint.h>
#include "cityweave/layer.h"

struct cw_cities {
    size_t n;
    double *lon, *lat;       /**< owned, degrees */
    const char **id;         /**< borrowed from layer.attrs; never NULL */
    const char **name;       /**< borrowed from layer.attrs; "" when missing */
    uint32_t *rank;          /**< owned: position of each city in id order,
                                  the tie-break key that makes results
                                  independent of input order */
    uint32_t *by_rank;       /**< owned: the city at each rank (inverse of rank) */
    int id_col, name_col;    /**< columns in layer.attrs (name_col may be -1) */
    struct cw_layer layer;   /**< owned: every input attribute */
};

/** Takes ownership of @p layer (left empty) and checks it: every feature is
 *  a non-empty point, ids are present and unique. @p id_field defaults to
 *  "id" (when absent the 1-based row number is used), @p name_field to
 *  "name". @p path names the source in messages.
 *  @return CW_OK or CW_ERR_DATA ("'PATH' row N: ..."). */
int cw_cities_from_layer(struct cw_ctx *ctx, struct cw_layer *layer,
                         const char *path, const char *id_field,
                         const char *name_field, struct cw_cities *out);
void cw_cities_release(struct cw_ctx *ctx, struct cw_cities *c);

/** @return the index of the city whose id, or else whose name (ASCII
 *  case-insensitive), equals @p key; -1 if none, -2 if the name is
 *  ambiguous. Ids by binary search, names in linear time. */
long cw_cities_lookup(const struct cw_cities *c, const char *key);

#endif
