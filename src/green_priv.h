/* green_priv.h: the state of a `cityweave green` job, shared by its
 * phases (inputs, components, zones, access, output); private.
 * SPDX-License-Identifier: MIT
 */
#ifndef CW_GREEN_PRIV_H
#define CW_GREEN_PRIV_H

#include <stdint.h>

#include "cityweave/green.h"
#include "cityweave/raster.h"

/* Vector GI, all inputs together, in lon/lat. */
struct gi_set {
    GEOSGeometry **g;      /* owned, valid (Multi)Polygons */
    int *cls;              /* class of each */
    size_t n, cap;
    GEOSSTRtree *tree;     /* items are indices + 1 cast to pointers */
    uint8_t *overlap;      /* 1: overlaps another feature (not just touches) */
    uint32_t *comp;        /* connected component of each feature */
    double *comp_m2;       /* whole area of each component */
    size_t ncomp;
};

/* Land-cover rasters mapped to classes (the raster path). */
struct gi_raster {
    struct cw_raster r;
    struct cw_areas areas;
    int8_t lut[65536];     /* code -> class, -1 not GI */
};

/* Population: weighted points in lon/lat, sorted by longitude. */
struct pop_set {
    double *lon, *lat, *w;
    size_t n;
};

/* One patch of a zone, for --patches. */
struct patch_out {
    GEOSGeometry *g;       /* lon/lat */
    double m2, whole_m2, dpc;
};

/* One link between patches of a zone, for --links. */
struct link_out {
    GEOSGeometry *g;       /* lon/lat line between the nearest points */
    uint32_t a, b;
    double dist_m, p;
};

/* Indicators of one zone; NaN where undefined. */
struct zone_res {
    double area, gi, *cls, canopy, pop, access_pop;
    double mapped;         /* raster path: share of the zone the grids cover */
    double npatch, mean, lpi, ed, meff, meff_cbc, iic, pc, ec;
    struct patch_out *patches;
    size_t npatches;
    struct link_out *links;
    size_t nlinks;
};

struct green {
    struct cw_ctx *ctx;
    const struct cw_green_job *job;
    struct cw_giclasses reg;
    struct gi_set gi;
    struct gi_raster *rasters;
    size_t nrasters;
    struct cw_layer zones;
    GEOSGeometry **zg;     /* zone polygons in lon/lat, borrowed from zones */
    struct pop_set pop;
    struct cw_raster popgrid;
    int has_canopy;
    struct zone_res *res;
    struct cw_green_stats *st;
};

struct worker {
    struct cw_ctx *ctx;
    GEOSContextHandle_t h;
    struct green *g;
    size_t *cand;           /* GI candidates of the current zone */
    size_t ncand, cap;
    int oom;                /* the candidate list could not grow */
    size_t empty;           /* zones without area */
};

/* The zone's pieces of GI: each candidate projected and, where it
 * crosses the zone's edge, clipped; a polygon each. */
struct pieces {
    GEOSGeometry **g;
    int *cls;
    uint32_t *comp;
    size_t n, cap;
    int overlap;            /* some pieces overlap: dissolve them */
};

/* A zone's patches, in its projection. */
struct patches {
    GEOSGeometry **g;       /* one MultiPolygon per patch */
    double *m2, *whole;     /* area in the zone, area of the whole patch */
    double edge;            /* total patch edge, m */
    size_t n;
};

/* An envelope, and which geometry it is of. */
struct box { double x0, x1, y0, y1; int i; };

/* green_gi.c */
int cw_green_load_gi(struct green *g);
int cw_green_components(struct green *g);
/* green_split.c */
struct split {
    GEOSGeometry **part;   /* a large polygon's parts; none for a small one */
    size_t n;
    int done;              /* computed (lazily, by whoever needs it first) */
};
int cw_green_split(GEOSContextHandle_t h, const GEOSGeometry *g, struct split *s);
void cw_green_split_free(GEOSContextHandle_t h, struct split *s);
/* Length of boundary two polygons share and area they overlap; -1 when
 * GEOS fails. */
int cw_green_contact(GEOSContextHandle_t h, const GEOSGeometry *a, const struct split *sa,
                     const GEOSGeometry *b, const struct split *sb, double *len, double *area);
/* green_zones.c */
int cw_green_load_zones(struct green *g);
int cw_green_zones(struct green *g);
/* green_patches.c */
int cw_green_patches(struct worker *w, const struct pieces *p, struct zone_res *r,
                     struct patches *pt);
void cw_green_patches_free(GEOSContextHandle_t h, struct patches *pt);
/* GI area by class, in all and of canopy: the sums of the pieces' areas
 * (for GI that does not overlap). */
void cw_green_areas(struct worker *w, const struct pieces *p, struct zone_res *r);
/* Envelopes of @p g (n), sorted by their west edge, for sweeps. */
struct box *cw_green_boxes(GEOSContextHandle_t h, GEOSGeometry *const *g, size_t n);
/* green_access.c */
int cw_green_load_pop(struct green *g);
int cw_green_access(struct green *g, struct cw_ctx *ctx, size_t z, PJ *pj,
                    const GEOSGeometry *zp, struct zone_res *res);
/* green_raster.c */
/* lut[code]: the class of each land-cover code under class map @p m (named
 * @p map in messages), -1 for codes that are not GI. */
int cw_green_code_lut(struct cw_ctx *ctx, const struct cw_classmap *m, const char *map,
                      int8_t *lut);
int cw_green_load_rasters(struct green *g);
/* green_polygonize.c: a land-cover raster given to --gi, its cells of GI
 * codes (lut) over the zones' extent polygonised into FlatGeobuf @p out
 * (in GDAL's /vsimem/; the caller unlinks it), field "code"; *n polygons
 * (0: no file). */
int cw_green_polygonize(struct green *g, const struct cw_gi_input *in, const int8_t *lut,
                        const char *out, long long *n);
int cw_green_raster_zone(struct green *g, struct cw_ctx *ctx, size_t z, struct zone_res *res);
/* green_out.c */
int cw_green_write(struct green *g);
/* green_geom.c: lon/lat <-> a zone's projection; areas and lengths there */
GEOSGeometry *cw_green_project(struct cw_ctx *ctx, PJ *pj, PJ_DIRECTION dir,
                               const GEOSGeometry *in);
double cw_green_perimeter(GEOSContextHandle_t h, const GEOSGeometry *poly);
/* The envelope of @p g as e = { x0, y0, x1, y1 }; @return 0 when it has
 * none (empty), e then all 0. */
int cw_green_envelope(GEOSContextHandle_t h, const GEOSGeometry *g, double *e);

#endif
