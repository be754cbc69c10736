/* map.h: rendering layers to a map image (PNG, SVG or PDF) with cairo and
 * Pango, and writing QGIS styles (.qml) that look the same.
 * SPDX-License-Identifier: MIT
 *
 * Layers are drawn in the order given, over an optional basemap: polygons
 * fill, lines stroke, points are circles; a raster (a class grid such as
 * land cover) is resampled to the map's pixels. Every layer is projected
 * with PROJ; lines and polygons are cut at the projection's antimeridian
 * and clipped to the map frame. Output is deterministic: the same inputs
 * and options give the same PNG pixels and the same SVG and PDF bytes.
 */
#ifndef CITYWEAVE_MAP_H
#define CITYWEAVE_MAP_H

#include "cityweave/ctx.h"
#include "cityweave/style.h"

/** One layer: a vector or raster source and its style text (may be NULL). */
struct cw_map_layer {
    const char *path;
    const char *style;
};

struct cw_map_opts {
    const struct cw_map_layer *layers;
    size_t nlayers;
    const char *basemap;      /**< vector file drawn first, NULL: none */
    const char *proj;         /**< "auto", "equal-earth", "laea", or a CRS
                                   PROJ understands (EPSG:3035, +proj=...) */
    int has_extent;
    double extent[4];         /**< W, S, E, N in degrees, W < E */
    int width, height;        /**< pixels (points for SVG and PDF) */
    const char *title;        /**< NULL: none */
    const char *attribution;  /**< NULL: none */
    int legend;
    const char *labels;       /**< field labelling every layer that has it */
    const char *label_priority;
    const char *output;       /**< .png, .svg or .pdf */
    int overwrite;
    int world_file;           /**< also write OUTPUT's world file (.wld) */
    int qml;                  /**< write a .qml beside every vector layer */
};

/** Renders the map. @return CW_OK, CW_ERR_ARG (bad option or style),
 *  CW_ERR_DATA (a layer, a field or a value), CW_ERR_IO, CW_ERR_EXISTS,
 *  CW_ERR_LIB or CW_ERR_NOMEM, with the message in the context. No output
 *  is left behind on error. */
int cw_map_render(struct cw_ctx *ctx, const struct cw_map_opts *o);

#endif
