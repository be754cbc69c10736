/* kdtree.c: static 3-D KD-tree over unit vectors (median splits in an
 * implicit array, no per-node allocation), k-nearest and radius queries by
 * chord, and the chord bounds that make them exact for cw_geod distances.
 * SPDX-License-Identifier: MIT
 *
 * Layout: the slots [lo, hi) form a subtree; when it has more than LEAF
 * points its median slot m = lo + (hi - lo) / 2 is the node, split on axis
 * dim[m], with [lo, m) holding coordinates <= and [m + 1, hi) >= the
 * node's. Queries recompute m, so the tree needs no child pointers.
 */
#include <math.h>
#include <stdlib.h>

#include "kdtree.h"

#define DEG (M_PI / 180.0)
#define LEAF CW_KD_LEAF

void cw_kd_unit(double lon, double lat, double v[3])
{
    if (lat == 90.0 || lat == -90.0) {
        v[0] = v[1] = 0.0;
        v[2] = lat > 0 ? 1.0 : -1.0;
        return;
    }
    double l = remainder(lon, 360.0);   /* exact, in [-180, 180] */
    if (l == -180.0)
        l = 180.0;
    double cl = cos(lat * DEG);
    v[0] = cl * cos(l * DEG);
    v[1] = cl * sin(l * DEG);
    v[2] = sin(lat * DEG);
}

int cw_kd_check_points(struct cw_ctx *ctx, const struct cw_points *p)
{
    if (p->n >= UINT32_MAX)
        return cw_ctx_error(ctx, CW_ERR_ARG, "too many points (%zu)", p->n);
    for (size_t i = 0; i < p->n; i++) {
        if (!isfinite(p->lon[i]))
            return cw_ctx_error(ctx, CW_ERR_DATA, "point %zu: longitude %g is not finite",
                                i, p->lon[i]);
        if (!(p->lat[i] >= -90.0 && p->lat[i] <= 90.0))
            return cw_ctx_error(ctx, CW_ERR_DATA, "point %zu: latitude %g out of range",
                                i, p->lat[i]);
    }
    return CW_OK;
}

static double coord(const struct cw_kd *t, size_t slot, int d)
{
    return t->v[t->id[slot]][d];
}

static void swap_slots(struct cw_kd *t, size_t a, size_t b)
{
    uint32_t tmp = t->id[a];
    t->id[a] = t->id[b];
    t->id[b] = tmp;
}

static double median3(double a, double b, double c)
{
    if (a > b) {
        double tmp = a;
        a = b;
        b = tmp;
    }
    return c < a ? a : c > b ? b : c;
}

/* Moves the slot of rank @p nth along axis @p d to position nth, smaller
 * ones before, larger after (quickselect). The three-way partition keeps it
 * linear when many points share a coordinate (a row of places on one
 * parallel, duplicates). */
static void select_nth(struct cw_kd *t, size_t lo, size_t hi, size_t nth, int d)
{
    while (hi - lo > 1) {
        double piv = median3(coord(t, lo, d), coord(t, lo + (hi - lo) / 2, d),
                             coord(t, hi - 1, d));
        size_t lt = lo, i = lo, gt = hi;
        while (i < gt) {
            double x = coord(t, i, d);
            if (x < piv)
                swap_slots(t, lt++, i++);
            else if (x > piv)
                swap_slots(t, i, --gt);
            else
                i++;
        }
        if (nth < lt)
            hi = lt;
        else if (nth >= gt)
            lo = gt;
        else
            return;
    }
}

static int widest_axis(const struct cw_kd *t, size_t lo, size_t hi)
{
    double mn[3], mx[3];
    for (int d = 0; d < 3; d++)
        mn[d] = mx[d] = coord(t, lo, d);
    for (size_t s = lo + 1; s < hi; s++)
        for (int d = 0; d < 3; d++) {
            double x = coord(t, s, d);
            mn[d] = x < mn[d] ? x : mn[d];
            mx[d] = x > mx[d] ? x : mx[d];
        }
    int best = 0;
    for (int d = 1; d < 3; d++)
        if (mx[d] - mn[d] > mx[best] - mn[best])
            best = d;
    return best;
}

static void build(struct cw_kd *t, size_t lo, size_t hi)
{
    if (hi - lo <= LEAF)
        return;
    size_t m = lo + (hi - lo) / 2;
    int d = widest_axis(t, lo, hi);
    select_nth(t, lo, hi, m, d);
    t->dim[m] = (unsigned char)d;
    build(t, lo, m);
    build(t, m + 1, hi);
}

int cw_kd_build(struct cw_kd *t, const struct cw_points *p)
{
    size_t n = p->n ? p->n : 1;
    t->n = p->n;
    t->v = malloc(n * sizeof *t->v);
    t->tv = malloc(n * sizeof *t->tv);
    t->id = malloc(n * sizeof *t->id);
    t->dim = calloc(n, 1);
    if (!t->v || !t->tv || !t->id || !t->dim)
        return CW_ERR_NOMEM;
    for (size_t i = 0; i < p->n; i++) {
        cw_kd_unit(p->lon[i], p->lat[i], t->v[i]);
        t->id[i] = (uint32_t)i;
    }
    build(t, 0, p->n);
    for (size_t s = 0; s < p->n; s++)
        for (int d = 0; d < 3; d++)
            t->tv[s][d] = t->v[t->id[s]][d];
    return CW_OK;
}

void cw_kd_release(struct cw_kd *t)
{
    free(t->v);
    free(t->tv);
    free(t->id);
    free(t->dim);
    t->v = t->tv = NULL;
    t->id = NULL;
    t->dim = NULL;
    t->n = 0;
}

static double dist2(const double a[3], const double b[3])
{
    double dx = a[0] - b[0], dy = a[1] - b[1], dz = a[2] - b[2];
    return dx * dx + dy * dy + dz * dz;
}

double cw_kd_d2(const struct cw_kd *t, uint32_t i, uint32_t j)
{
    return dist2(t->v[i], t->v[j]);
}

double cw_kd_slot_d2(const struct cw_kd *t, uint32_t a, uint32_t b)
{
    return dist2(t->tv[a], t->tv[b]);
}

/* k-nearest search state: hits[0..n) is a max-heap on d2 while searching. */
struct knn {
    const struct cw_kd *t;
    const double *q;
    size_t k, n;
    uint32_t skip;
    struct cw_kd_hit *h;
};

static void heap_sift_down(struct cw_kd_hit *h, size_t n, size_t i)
{
    for (;;) {
        size_t c = 2 * i + 1;
        if (c >= n)
            return;
        if (c + 1 < n && h[c + 1].d2 > h[c].d2)
            c++;
        if (h[c].d2 <= h[i].d2)
            return;
        struct cw_kd_hit tmp = h[c];
        h[c] = h[i];
        h[i] = tmp;
        i = c;
    }
}

static void heap_offer(struct knn *s, size_t slot)
{
    uint32_t id = s->t->id[slot];
    if (id == s->skip)
        return;
    double d2 = dist2(s->q, s->t->tv[slot]);
    if (s->n < s->k) {
        size_t i = s->n++;
        s->h[i] = (struct cw_kd_hit){ d2, id };
        while (i > 0 && s->h[(i - 1) / 2].d2 < s->h[i].d2) {
            struct cw_kd_hit tmp = s->h[(i - 1) / 2];
            s->h[(i - 1) / 2] = s->h[i];
            s->h[i] = tmp;
            i = (i - 1) / 2;
        }
    } else if (d2 < s->h[0].d2) {
        s->h[0] = (struct cw_kd_hit){ d2, id };
        heap_sift_down(s->h, s->n, 0);
    }
}

static void knn_search(struct knn *s, size_t lo, size_t hi)
{
    if (hi - lo <= LEAF) {
        for (size_t slot = lo; slot < hi; slot++)
            heap_offer(s, slot);
        return;
    }
    size_t m = lo + (hi - lo) / 2;
    double diff = s->q[s->t->dim[m]] - s->t->tv[m][s->t->dim[m]];
    if (diff < 0)
        knn_search(s, lo, m);
    else
        knn_search(s, m + 1, hi);
    heap_offer(s, m);
    /* Points across the plane are at least |diff| away: they can only
     * displace the current worst if diff^2 is below it. */
    if (s->n < s->k || diff * diff < s->h[0].d2) {
        if (diff < 0)
            knn_search(s, m + 1, hi);
        else
            knn_search(s, lo, m);
    }
}

static int hit_cmp(const void *pa, const void *pb)
{
    const struct cw_kd_hit *a = pa, *b = pb;
    if (a->d2 != b->d2)
        return a->d2 < b->d2 ? -1 : 1;
    return (a->id > b->id) - (a->id < b->id);
}

void cw_kd_sort_hits(struct cw_kd_hit *hits, size_t n)
{
    if (n > 1)
        qsort(hits, n, sizeof *hits, hit_cmp);
}

size_t cw_kd_knn(const struct cw_kd *t, const double q[3], size_t k,
                 uint32_t skip, struct cw_kd_hit *hits)
{
    struct knn s = { t, q, k, 0, skip, hits };
    if (k == 0)
        return 0;
    knn_search(&s, 0, t->n);
    cw_kd_sort_hits(hits, s.n);
    return s.n;
}

struct radius {
    const struct cw_kd *t;
    const double *q;
    double r, r2;
    cw_kd_visit_fn visit;
    void *arg;
};

static int visit_slot(const struct radius *s, size_t slot)
{
    double d2 = dist2(s->q, s->t->tv[slot]);
    return d2 <= s->r2 ? s->visit(s->arg, s->t->id[slot], d2) : 0;
}

static int radius_search(const struct radius *s, size_t lo, size_t hi)
{
    int rc = 0;
    if (hi - lo <= LEAF) {
        for (size_t slot = lo; slot < hi && !rc; slot++)
            rc = visit_slot(s, slot);
        return rc;
    }
    size_t m = lo + (hi - lo) / 2;
    double diff = s->q[s->t->dim[m]] - s->t->tv[m][s->t->dim[m]];
    if (diff <= s->r)
        rc = radius_search(s, lo, m);
    if (!rc)
        rc = visit_slot(s, m);
    if (!rc && diff >= -s->r)
        rc = radius_search(s, m + 1, hi);
    return rc;
}

int cw_kd_radius(const struct cw_kd *t, const double q[3], double r,
                 cw_kd_visit_fn visit, void *arg)
{
    struct radius s = { t, q, r, r * r, visit, arg };
    return radius_search(&s, 0, t->n);
}

static uint32_t label(const struct cw_kd *t, const uint32_t *comp, uint32_t *lab,
                      size_t lo, size_t hi)
{
    uint32_t c = comp[lo];
    if (hi - lo <= LEAF) {
        for (size_t slot = lo + 1; slot < hi; slot++)
            c = comp[slot] == c ? c : CW_KD_MIXED;
        return lab[lo] = c;
    }
    size_t m = lo + (hi - lo) / 2;
    uint32_t l = label(t, comp, lab, lo, m), r = label(t, comp, lab, m + 1, hi);
    return lab[m] = l == r && l == comp[m] ? l : CW_KD_MIXED;
}

void cw_kd_label(const struct cw_kd *t, const uint32_t *comp, uint32_t *lab)
{
    if (t->n)
        label(t, comp, lab, 0, t->n);
}

/* Bounding box of slots [lo, hi) into box (lo[3], hi[3]); fills rho for
 * the inner nodes inside. */
static void radii(const struct cw_kd *t, double *rho, size_t lo, size_t hi, double box[6])
{
    if (hi - lo <= LEAF) {
        for (int d = 0; d < 3; d++)
            box[d] = box[d + 3] = t->tv[lo][d];
        for (size_t slot = lo + 1; slot < hi; slot++)
            for (int d = 0; d < 3; d++) {
                box[d] = fmin(box[d], t->tv[slot][d]);
                box[d + 3] = fmax(box[d + 3], t->tv[slot][d]);
            }
        return;
    }
    size_t m = lo + (hi - lo) / 2;
    double right[6], r2 = 0;
    radii(t, rho, lo, m, box);
    radii(t, rho, m + 1, hi, right);
    for (int d = 0; d < 3; d++) {
        double x = t->tv[m][d];
        box[d] = fmin(fmin(box[d], right[d]), x);
        box[d + 3] = fmax(fmax(box[d + 3], right[d + 3]), x);
        double far = fmax(x - box[d], box[d + 3] - x);
        r2 += far * far;
    }
    rho[m] = sqrt(r2);
}

void cw_kd_radii(const struct cw_kd *t, double *rho)
{
    double box[6];
    if (t->n)
        radii(t, rho, 0, t->n, box);
}

/* Nearest-outside-a-component search state. off[d] is the offset from q
 * to the current cell along axis d (0 while q is within its extent). */
struct other {
    const struct cw_kd *t;
    const uint32_t *comp, *lab;
    const double *q;
    uint32_t c;
    double bound2, off[3];
    cw_kd_bound_fn visit;
    void *arg;
};

static void other_offer(struct other *s, size_t slot)
{
    if (s->comp[slot] == s->c)
        return;
    double d2 = dist2(s->q, s->t->tv[slot]);
    if (d2 <= s->bound2)
        s->bound2 = s->visit(s->arg, (uint32_t)slot, d2);
}

static void other_search(struct other *s, size_t lo, size_t hi)
{
    size_t m = lo + (hi - lo) / 2;
    int leaf = hi - lo <= LEAF;
    /* Summed in dist2's order from offsets no larger than the coordinate
     * differences, so never above the squared chord of a point inside. */
    double cell2 = s->off[0] * s->off[0] + s->off[1] * s->off[1] + s->off[2] * s->off[2];
    if (s->lab[leaf ? lo : m] == s->c || cell2 > s->bound2)
        return;
    if (leaf) {
        for (size_t slot = lo; slot < hi; slot++)
            other_offer(s, slot);
        return;
    }
    int d = s->t->dim[m];
    double diff = s->q[d] - s->t->tv[m][d], saved = s->off[d];
    if (diff < 0)
        other_search(s, lo, m);
    else
        other_search(s, m + 1, hi);
    other_offer(s, m);
    /* Across the plane every point is at least |diff| away along d, which
     * supersedes the offset of any earlier split on d. */
    s->off[d] = diff;
    if (diff < 0)
        other_search(s, m + 1, hi);
    else
        other_search(s, lo, m);
    s->off[d] = saved;
}

void cw_kd_other(const struct cw_kd *t, const uint32_t *comp, const uint32_t *lab,
                 const double q[3], uint32_t c, double bound2,
                 cw_kd_bound_fn visit, void *arg)
{
    struct other s = { t, comp, lab, q, c, bound2, { 0, 0, 0 }, visit, arg };
    if (t->n)
        other_search(&s, 0, t->n);
}

/* Chord of a great-circle distance on the CW_EARTH_RADIUS_M sphere; 2 (the
 * diameter) from half the circumference on. */
static double chord_of(double metres)
{
    double theta = metres / CW_EARTH_RADIUS_M;
    return theta >= M_PI ? 2.0 : 2.0 * sin(theta / 2.0);
}

double cw_kd_chord_hi(const struct cw_geod *g, double dist)
{
    double f = g->sphere ? 1.0 : CW_KD_ELLIPSOID_SLACK;
    return chord_of(dist * f) * (1 + 1e-9) + 1e-12;
}

double cw_kd_chord_lo(const struct cw_geod *g, double dist)
{
    double f = g->sphere ? 1.0 : CW_KD_ELLIPSOID_SLACK;
    return chord_of(dist / f) * (1 - 1e-9) - 1e-12;
}

double cw_kd_dist_hi(const struct cw_geod *g, double chord)
{
    double f = g->sphere ? 1.0 : CW_KD_ELLIPSOID_SLACK;
    double c = (chord + 1e-12) / (1 - 1e-9);
    return f * 2.0 * CW_EARTH_RADIUS_M * asin(c < 2.0 ? c / 2.0 : 1.0) * (1 + 1e-9);
}

double cw_kd_dist(const struct cw_geod *g, double lon1, double lat1,
                  double lon2, double lat2)
{
    double s;
    if (lat1 < lat2 || (lat1 == lat2 && lon1 < lon2))
        cw_geod_inverse(g, lon1, lat1, lon2, lat2, &s, NULL, NULL);
    else
        cw_geod_inverse(g, lon2, lat2, lon1, lat1, &s, NULL, NULL);
    return s;
}

double cw_kd_dist_azi(const struct cw_geod *g, double lon1, double lat1,
                      double lon2, double lat2, double *azi)
{
    double s, a;
    if (lat1 < lat2 || (lat1 == lat2 && lon1 < lon2)) {
        cw_geod_inverse(g, lon1, lat1, lon2, lat2, &s, azi, NULL);
        return s;
    }
    /* the forward azimuth at point 1 of the path from point 2, reversed;
     * between equal places it is a convention, asked of point 1 */
    cw_geod_inverse(g, lon2, lat2, lon1, lat1, &s, NULL, &a);
    if (s > 0)
        *azi = a > 0 ? a - 180.0 : a + 180.0;
    else
        cw_geod_inverse(g, lon1, lat1, lon2, lat2, NULL, azi, NULL);
    return s;
}
