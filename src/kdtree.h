/* kdtree.h (private): a static 3-D KD-tree over the unit vectors of points
 * on the globe, and the bounds that turn its chord distances into exact
 * answers about cw_geod distances.
 * SPDX-License-Identifier: MIT
 *
 * The chord between two unit vectors is 2 sin(theta/2) for the central
 * angle theta, so it grows with the great-circle distance: a chord query
 * answers a sphere query exactly, and an ellipsoid query once its radius
 * is widened by CW_KD_ELLIPSOID_SLACK (see cw_kd_chord_hi).
 */
#ifndef CW_KDTREE_H
#define CW_KDTREE_H

#include <stddef.h>
#include <stdint.h>

#include "cityweave/proximity.h"

/* The geodesic length s on WGS84 and the great-circle length t on the
 * sphere of radius CW_EARTH_RADIUS_M between the same two lon/lat points
 * satisfy t / 1.01 <= s <= 1.01 t. Why: along any path the ellipsoid's line
 * element is sqrt(M^2 dphi^2 + N^2 cos^2 phi dlambda^2) and the sphere's is
 * R sqrt(dphi^2 + cos^2 phi dlambda^2); the radii of curvature M and N lie
 * in [a(1-e^2), a/sqrt(1-e^2)] = [6335439, 6399594] m, so the element ratio
 * is in [0.99442, 1.00449] and so is the ratio of shortest lengths. 1.01
 * leaves a wide margin over 1/0.99442 = 1.00561. */
#define CW_KD_ELLIPSOID_SLACK 1.01

/* Subtrees of at most this many points are leaves (see kdtree.c for the
 * implicit layout: slots [lo, hi), median slot lo + (hi - lo) / 2). */
#define CW_KD_LEAF 8

struct cw_kd {
    size_t n;
    double (*v)[3];      /* unit vector of each point, by point index */
    double (*tv)[3];     /* the same vectors in tree order */
    uint32_t *id;        /* point index of each tree slot */
    unsigned char *dim;  /* split axis of each inner node (its median slot) */
};

/* A point found by a query: squared chord and point index. */
struct cw_kd_hit {
    double d2;
    uint32_t id;
};

/* Unit vector of lon/lat (degrees). Longitudes are reduced to (-180,180]
 * and the poles get (0,0,+-1) exactly, so that equal places give equal
 * vectors whatever longitude they were written with. */
void cw_kd_unit(double lon, double lat, double v[3]);

/* Checks that @p p has finite longitudes, latitudes in [-90,90] and fewer
 * than UINT32_MAX points. @return CW_OK or CW_ERR_DATA/CW_ERR_ARG (ctx). */
int cw_kd_check_points(struct cw_ctx *ctx, const struct cw_points *p);

/* Builds the tree over the points of @p p (already checked), in
 * O(n log n). @return CW_OK or CW_ERR_NOMEM; release with cw_kd_release
 * either way. */
int cw_kd_build(struct cw_kd *t, const struct cw_points *p);
void cw_kd_release(struct cw_kd *t);

/* The @p k points nearest to @p q by chord, other than point @p skip
 * (UINT32_MAX: none), into @p hits, closest first.
 * @return how many were found: min(k, points other than skip). */
size_t cw_kd_knn(const struct cw_kd *t, const double q[3], size_t k,
                 uint32_t skip, struct cw_kd_hit *hits);

/* Sorts hits closest first (ties by index). */
void cw_kd_sort_hits(struct cw_kd_hit *hits, size_t n);

/* Calls @p visit for each point whose chord from @p q (any 3-D point) is
 * at most @p r, in no particular order, until it returns non-zero.
 * @return the first non-zero value returned by @p visit, else 0. */
typedef int (*cw_kd_visit_fn)(void *arg, uint32_t id, double d2);
int cw_kd_radius(const struct cw_kd *t, const double q[3], double r,
                 cw_kd_visit_fn visit, void *arg);

/* Label of a subtree whose points are not all in one component. */
#define CW_KD_MIXED UINT32_MAX

/* Labels the subtrees by component, for cw_kd_other: @p comp gives the
 * component of the point in each tree slot (any value but CW_KD_MIXED),
 * and @p lab (t->n entries) receives, for every subtree, the component all
 * its points share, else CW_KD_MIXED. A subtree is labelled at its median
 * slot, a leaf at its first slot (no leaf holds a median). O(n). */
void cw_kd_label(const struct cw_kd *t, const uint32_t *comp, uint32_t *lab);

/* Radius of every subtree of more than LEAF points about its median
 * point: @p rho (t->n entries) receives at each median slot an upper bound
 * on the chord from that point to any point of the subtree (rounding
 * aside: add 1e-12 before relying on it). O(n). */
void cw_kd_radii(const struct cw_kd *t, double *rho);

/* Nearest points by chord to @p q outside component @p c (@p comp and
 * @p lab as for cw_kd_label): calls @p visit with the tree slot of each
 * point of another component whose squared chord d2 is at most the current
 * bound, nearest branches first, skipping subtrees labelled @p c. The
 * bound starts at @p bound2 and is then what @p visit returns (a negative
 * one ends the search). */
typedef double (*cw_kd_bound_fn)(void *arg, uint32_t slot, double d2);
void cw_kd_other(const struct cw_kd *t, const uint32_t *comp, const uint32_t *lab,
                 const double q[3], uint32_t c, double bound2,
                 cw_kd_bound_fn visit, void *arg);

/* Squared chord between points @p i and @p j. */
double cw_kd_d2(const struct cw_kd *t, uint32_t i, uint32_t j);
/* Squared chord between the points in tree slots @p a and @p b. */
double cw_kd_slot_d2(const struct cw_kd *t, uint32_t a, uint32_t b);

/* Chord bounds for a cw_geod distance @p dist (metres): every pair at
 * distance <= dist has chord <= cw_kd_chord_hi(), and every pair with chord
 * < cw_kd_chord_lo() is at distance < dist. The sphere needs only a rounding
 * margin (1e-9 relative, 1e-12 absolute: the chord of unit vectors is off by
 * a few 1e-16 at most, haversine by a few ulps); the ellipsoid adds
 * CW_KD_ELLIPSOID_SLACK. */
double cw_kd_chord_hi(const struct cw_geod *g, double dist);
double cw_kd_chord_lo(const struct cw_geod *g, double dist);

/* Largest cw_geod distance of a pair whose chord is @p chord: the inverse
 * of cw_kd_chord_lo (a pair at distance s has chord >= cw_kd_chord_lo(s)),
 * with the same margins. */
double cw_kd_dist_hi(const struct cw_geod *g, double chord);

/* cw_geod distance between two lon/lat points (degrees), computed with the
 * endpoints in a fixed order (by latitude, then longitude) so that the
 * result is bit-for-bit symmetric and equal places give equal distances. */
double cw_kd_dist(const struct cw_geod *g, double lon1, double lat1,
                  double lon2, double lat2);

/* cw_kd_dist, and in @p azi the azimuth (degrees) at point 1 toward point 2
 * from the same geodesic: when the fixed order runs from point 2, it is the
 * azimuth at point 1 turned by 180 degrees. */
double cw_kd_dist_azi(const struct cw_geod *g, double lon1, double lat1,
                      double lon2, double lat2, double *azi);

/* Tie-break key of point @p i: its rank, or its index when there is none. */
static inline uint32_t cw_kd_rank(const struct cw_points *p, uint32_t i)
{
    return p->rank ? p->rank[i] : i;
}

#endif
