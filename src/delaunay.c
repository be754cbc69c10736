/* delaunay.c: spherical Delaunay triangulation (Qhull) and its Gabriel and
 * relative-neighbourhood subgraphs.
 * SPDX-License-Identifier: MIT
 *
 * On the sphere the Delaunay triangles are exactly the facets of the convex
 * hull of the unit vectors: the plane of a facet cuts the sphere in the
 * triangle's circumcircle, and no point lies beyond it. Qhull computes that
 * hull. Coincident places are merged first (Qhull would call them coplanar)
 * and each copy is joined to its representative, the copy of lowest
 * (rank, index), by a zero-length edge. The Gabriel and RNG graphs are
 * computed on the representatives the same way.
 */
#include <limits.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <libqhull_r/qhull_ra.h>

#include "kdtree.h"

/* A Delaunay triangulation and what its subgraphs need. */
struct dt {
    struct cw_kd t;        /* every point */
    uint32_t *rep;         /* representative of each point's place */
    uint32_t *site;        /* the representatives, m of them */
    size_t m;
    struct cw_edges e;     /* normalised, with cw_geod lengths */
};

/* Sort key for merging coincident places. */
struct place {
    double v[3];
    uint32_t rank, id;
};

static int place_cmp(const void *pa, const void *pb)
{
    const struct place *a = pa, *b = pb;
    for (int d = 0; d < 3; d++)
        if (a->v[d] != b->v[d])
            return a->v[d] < b->v[d] ? -1 : 1;
    if (a->rank != b->rank)
        return a->rank < b->rank ? -1 : 1;
    return (a->id > b->id) - (a->id < b->id);
}

/* Fills d->rep and d->site: places are equal when their unit vectors are
 * (cw_kd_unit makes lon -180 and 180, or any longitude at a pole, equal). */
static int merge_places(struct dt *d, const struct cw_points *p)
{
    struct place *pl = malloc((p->n ? p->n : 1) * sizeof *pl);
    d->rep = malloc((p->n ? p->n : 1) * sizeof *d->rep);
    d->site = malloc((p->n ? p->n : 1) * sizeof *d->site);
    if (!pl || !d->rep || !d->site) {
        free(pl);
        return CW_ERR_NOMEM;
    }
    for (size_t i = 0; i < p->n; i++) {
        memcpy(pl[i].v, d->t.v[i], sizeof pl[i].v);
        pl[i].rank = cw_kd_rank(p, (uint32_t)i);
        pl[i].id = (uint32_t)i;
    }
    qsort(pl, p->n, sizeof *pl, place_cmp);
    d->m = 0;
    for (size_t i = 0; i < p->n; i++) {
        if (i == 0 || memcmp(pl[i].v, pl[i - 1].v, sizeof pl[i].v) != 0)
            d->site[d->m++] = pl[i].id;
        d->rep[pl[i].id] = d->site[d->m - 1];
    }
    free(pl);
    return CW_OK;
}

static void cross(const double a[3], const double b[3], double c[3])
{
    c[0] = a[1] * b[2] - a[2] * b[1];
    c[1] = a[2] * b[0] - a[0] * b[2];
    c[2] = a[0] * b[1] - a[1] * b[0];
}

static double dot(const double a[3], const double b[3])
{
    return a[0] * b[0] + a[1] * b[1] + a[2] * b[2];
}

static void sub(const double a[3], const double b[3], double c[3])
{
    for (int k = 0; k < 3; k++)
        c[k] = a[k] - b[k];
}

static double norm2(const double a[3])
{
    return dot(a, a);
}

struct arc {
    double angle;
    uint32_t id;
};

static int arc_cmp(const void *pa, const void *pb)
{
    const struct arc *a = pa, *b = pb;
    if (a->angle != b->angle)
        return a->angle < b->angle ? -1 : 1;
    return (a->id > b->id) - (a->id < b->id);
}

/* In-plane frame of places that all lie on one circle: e1, e2 span the
 * plane, c is the circle's centre. The plane comes from the first place,
 * the one farthest from it, and the one farthest off their line, which
 * keeps the cross product well conditioned. */
static void circle_frame(const struct dt *d, double e1[3], double e2[3], double c[3])
{
    const double *p0 = d->t.v[d->site[0]], *p1 = p0;
    double best = 0, u[3], w[3], nrm[3] = { 0, 0, 1 };
    for (size_t s = 1; s < d->m; s++) {
        sub(d->t.v[d->site[s]], p0, u);
        if (norm2(u) > best) {
            best = norm2(u);
            p1 = d->t.v[d->site[s]];
        }
    }
    sub(p1, p0, u);
    best = 0;
    for (size_t s = 1; s < d->m; s++) {
        double x[3];
        sub(d->t.v[d->site[s]], p0, w);
        cross(u, w, x);
        if (norm2(x) > best) {
            best = norm2(x);
            memcpy(nrm, x, sizeof nrm);
        }
    }
    double ln = sqrt(norm2(nrm)), lu = sqrt(norm2(u)), off;
    for (int k = 0; k < 3; k++) {
        nrm[k] /= ln;
        e1[k] = u[k] / lu;
    }
    cross(nrm, e1, e2);
    off = dot(nrm, p0);
    for (int k = 0; k < 3; k++)
        c[k] = nrm[k] * off;
}

/* All places on one circle (Qhull finds the hull flat): the Delaunay
 * triangulation is not unique there, so return the cycle around the
 * circle, the edges that every triangulation of cocircular points shares. */
static int circle_edges(const struct dt *d, struct cw_edges *out)
{
    double e1[3], e2[3], c[3], u[3];
    int rc = CW_OK;
    struct arc *a = malloc(d->m * sizeof *a);
    if (!a)
        return CW_ERR_NOMEM;
    circle_frame(d, e1, e2, c);
    for (size_t s = 0; s < d->m; s++) {
        sub(d->t.v[d->site[s]], c, u);
        a[s] = (struct arc){ atan2(dot(u, e2), dot(u, e1)), d->site[s] };
    }
    qsort(a, d->m, sizeof *a, arc_cmp);
    for (size_t s = 0; s < d->m && rc == CW_OK; s++)
        rc = cw_edges_push(out, a[s].id, a[(s + 1) % d->m].id, 0);
    free(a);
    return rc;
}

static int push_triangle(struct cw_edges *out, uint32_t a, uint32_t b, uint32_t c)
{
    int rc = cw_edges_push(out, a, b, 0);
    if (rc == CW_OK)
        rc = cw_edges_push(out, b, c, 0);
    if (rc == CW_OK)
        rc = cw_edges_push(out, c, a, 0);
    return rc;
}

/* Triangle edges of Qhull's triangulated ('Qt') hull, in point indices.
 * A place Qhull kept off the hull as coplanar with a facet ('Qc'; it sits
 * within rounding of the facet's plane, e.g. a few metres from two close
 * neighbours) is joined to that facet's three corners, as if inserted into
 * the triangle. */
static int facet_edges(qhT *qh, const struct dt *d, struct cw_edges *out)
{
    facetT *facet;
    vertexT *vertex, **vertexp;
    pointT *point, **pointp;
    int rc = CW_OK;

    FORALLfacets {
        uint32_t v[3];
        int nv = 0;
        FOREACHvertex_(facet->vertices) {
            if (nv < 3)
                v[nv] = d->site[qh_pointid(qh, vertex->point)];
            nv++;
        }
        if (nv != 3)
            return CW_ERR_LIB;
        rc = push_triangle(out, v[0], v[1], v[2]);
        FOREACHpoint_(facet->coplanarset) {
            uint32_t c = d->site[qh_pointid(qh, point)];
            for (int k = 0; k < 3 && rc == CW_OK; k++)
                rc = cw_edges_push(out, c, v[k], 0);
        }
        if (rc != CW_OK)
            return rc;
    }
    return rc;
}

/* First line of Qhull's error report, for the context's message. */
static int qhull_failed(struct cw_ctx *ctx, int code, FILE *err, char **msg)
{
    fflush(err);
    char *nl = *msg ? strchr(*msg, '\n') : NULL;
    if (nl)
        *nl = '\0';
    return cw_ctx_error(ctx, CW_ERR_LIB, "qhull failed (exit code %d): %s", code,
                        *msg ? *msg : "");
}

/* Convex hull of the representatives' unit vectors. Qhull writes its
 * messages into a memory stream, never to stderr. (QHULL_LIB_CHECK is left
 * out: it exits the process on a header/library mismatch.) */
static int hull_edges(struct cw_ctx *ctx, const struct dt *d, struct cw_edges *out)
{
    char opts[] = "qhull Qt Qc Qi";
    char *msg = NULL;
    size_t msglen = 0;
    int curlong, totlong, rc = CW_ERR_NOMEM;
    qhT qh_qh, *qh = &qh_qh;
    coordT *pts = malloc(3 * d->m * sizeof *pts);
    FILE *err = open_memstream(&msg, &msglen);

    if (!pts || !err)
        goto out;
    for (size_t s = 0; s < d->m; s++)
        memcpy(pts + 3 * s, d->t.v[d->site[s]], 3 * sizeof *pts);
    qh_zero(qh, err);
    int code = qh_new_qhull(qh, 3, (int)d->m, pts, False, opts, NULL, err);
    if (code == qh_ERRsingular)
        rc = circle_edges(d, out);
    else if (code != 0)
        rc = qhull_failed(ctx, code, err, &msg);
    else if ((rc = facet_edges(qh, d, out)) == CW_ERR_LIB)
        rc = cw_ctx_error(ctx, rc, "qhull returned a facet that is not a triangle");
    qh_freeqhull(qh, !qh_ALL);
    qh_memfreeshort(qh, &curlong, &totlong);
out:
    if (err)
        fclose(err);
    free(msg);
    free(pts);
    return rc;
}

/* Edges between representatives, then each copy to its representative. */
static int dt_edges(struct cw_ctx *ctx, struct dt *d, const struct cw_points *p)
{
    int rc = CW_OK;
    if (d->m > (size_t)INT_MAX)
        return cw_ctx_error(ctx, CW_ERR_ARG, "too many distinct places for qhull (%zu)", d->m);
    if (d->m == 2)
        rc = cw_edges_push(&d->e, d->site[0], d->site[1], 0);
    else if (d->m == 3)
        rc = push_triangle(&d->e, d->site[0], d->site[1], d->site[2]);
    else if (d->m > 3)
        rc = hull_edges(ctx, d, &d->e);
    for (size_t i = 0; i < p->n && rc == CW_OK; i++)
        if (d->rep[i] != i)
            rc = cw_edges_push(&d->e, (uint32_t)i, d->rep[i], 0);
    return rc;
}

static void dt_release(struct dt *d)
{
    cw_kd_release(&d->t);
    free(d->rep);
    free(d->site);
    cw_edges_release(&d->e);
}

static void set_lengths(const struct cw_geod *g, const struct cw_points *p,
                        struct cw_edges *es)
{
    for (size_t i = 0; i < es->n; i++) {
        struct cw_edge *e = &es->e[i];
        e->dist = cw_kd_dist(g, p->lon[e->a], p->lat[e->a], p->lon[e->b], p->lat[e->b]);
    }
}

/* The triangulation of @p p into d (release with dt_release either way). */
static int dt_build(struct cw_ctx *ctx, const struct cw_geod *g,
                    const struct cw_points *p, struct dt *d)
{
    int rc;
    memset(d, 0, sizeof *d);
    cw_edges_init(&d->e);
    if ((rc = cw_kd_check_points(ctx, p)) != CW_OK)
        return rc;
    if ((rc = cw_kd_build(&d->t, p)) == CW_OK && (rc = merge_places(d, p)) == CW_OK &&
        (rc = cw_ctx_progress(ctx, 0.0, "delaunay")) == CW_OK)
        rc = dt_edges(ctx, d, p);
    if (rc == CW_OK) {
        cw_edges_normalise(&d->e);
        set_lengths(g, p, &d->e);
    }
    if (rc == CW_ERR_NOMEM)
        return cw_ctx_error(ctx, rc, "out of memory for %zu points", p->n);
    return rc;
}

/* Moves the edges of @p from into @p to (whose old array is freed). */
static void edges_move(struct cw_edges *to, struct cw_edges *from)
{
    cw_edges_release(to);
    *to = *from;
    cw_edges_init(from);
}

int cw_delaunay_edges(struct cw_ctx *ctx, const struct cw_geod *g,
                      const struct cw_points *p, struct cw_edges *out)
{
    struct dt d;
    out->n = 0;
    int rc = dt_build(ctx, g, p, &d);
    if (rc == CW_OK)
        edges_move(out, &d.e);
    dt_release(&d);
    return rc;
}

/* Gabriel test of edge (a, b): is some point strictly inside the sphere
 * with diameter ab, i.e. (a - c).(b - c) < 0? On the unit sphere that ball
 * cuts out exactly the spherical cap whose diameter is the arc ab, so this
 * is the spherical Gabriel condition (the ellipsoid only changes the
 * reported lengths). */
struct gabriel {
    const struct cw_kd *t;
    uint32_t a, b;
};

static int gabriel_visit(void *arg, uint32_t c, double d2)
{
    const struct gabriel *gb = arg;
    double u[3], w[3];
    (void)d2;
    if (c == gb->a || c == gb->b)
        return 0;
    sub(gb->t->v[gb->a], gb->t->v[c], u);
    sub(gb->t->v[gb->b], gb->t->v[c], w);
    return dot(u, w) < 0;
}

static int gabriel_keep(const void *arg, const struct cw_edge *e)
{
    const struct dt *d = arg;
    struct gabriel gb = { &d->t, e->a, e->b };
    const double *va = d->t.v[e->a], *vb = d->t.v[e->b];
    double mid[3], ab[3];
    for (int k = 0; k < 3; k++)
        mid[k] = (va[k] + vb[k]) / 2;
    sub(va, vb, ab);
    /* Search a little wider than the ball: the decision is the dot product. */
    double r = sqrt(norm2(ab)) / 2 * (1 + 1e-9) + 1e-12;
    return !cw_kd_radius(&d->t, mid, r, gabriel_visit, &gb);
}

/* RNG test of edge (a, b): is some point c strictly closer to both ends,
 * max(d(a,c), d(b,c)) < d(a,b), in cw_geod distances? Such a c lies within
 * the chord bound of d(a,b) around a; geodesics are computed only where the
 * chord bounds cannot decide. */
struct rng {
    const struct dt *d;
    const struct cw_geod *g;
    const struct cw_points *p;
    uint32_t a, b;
    double dab, lo2, hi2;
};

static int rng_closer(const struct rng *r, uint32_t x, uint32_t c)
{
    const struct cw_points *p = r->p;
    return cw_kd_dist(r->g, p->lon[x], p->lat[x], p->lon[c], p->lat[c]) < r->dab;
}

static int rng_visit(void *arg, uint32_t c, double d2a)
{
    const struct rng *r = arg;
    if (c == r->a || c == r->b)
        return 0;
    double d2b = cw_kd_d2(&r->d->t, r->b, c);
    if (d2a > r->hi2 || d2b > r->hi2)
        return 0;
    if (d2a < r->lo2 && d2b < r->lo2)
        return 1;
    return rng_closer(r, r->a, c) && rng_closer(r, r->b, c);
}

static int rng_keep(const void *arg, const struct cw_edge *e)
{
    struct rng r = *(const struct rng *)arg;
    double hi = cw_kd_chord_hi(r.g, e->dist), lo = cw_kd_chord_lo(r.g, e->dist);
    r.a = e->a;
    r.b = e->b;
    r.dab = e->dist;
    r.hi2 = hi * hi;
    r.lo2 = lo > 0 ? lo * lo : -1;
    return e->dist == 0 || !cw_kd_radius(&r.d->t, r.d->t.v[e->a], hi, rng_visit, &r);
}

/* Appends to @p out the edges of @p in that keep() accepts. */
static int filter_edges(struct cw_ctx *ctx, const struct cw_edges *in,
                        int (*keep)(const void *arg, const struct cw_edge *e),
                        const void *arg, const char *what, struct cw_edges *out)
{
    for (size_t i = 0; i < in->n; i++) {
        int rc = CW_OK;
        if (i % 4096 == 0)
            rc = cw_ctx_progress(ctx, (double)i / (double)in->n, what);
        if (rc == CW_OK && keep(arg, &in->e[i]))
            rc = cw_edges_push(out, in->e[i].a, in->e[i].b, in->e[i].dist);
        if (rc == CW_ERR_NOMEM)
            return cw_ctx_error(ctx, rc, "out of memory for %zu edges", in->n);
        if (rc != CW_OK)
            return rc;
    }
    return CW_OK;
}

int cw_gabriel_edges(struct cw_ctx *ctx, const struct cw_geod *g,
                     const struct cw_points *p, struct cw_edges *out)
{
    struct dt d;
    out->n = 0;
    int rc = dt_build(ctx, g, p, &d);
    if (rc == CW_OK)
        rc = filter_edges(ctx, &d.e, gabriel_keep, &d, "gabriel", out);
    dt_release(&d);
    return rc;
}

/* RNG candidates: the Delaunay edges, which hold every RNG edge on the
 * sphere, plus the 10 nearest neighbours between representatives. On the
 * ellipsoid the RNG need not be a Delaunay subgraph; an RNG edge outside
 * both sets would need a neighbour beyond the 10th that no Delaunay edge
 * reaches, which the 1% metric difference makes implausible (the tests
 * compare with brute force on 2,000 cities). */
static int rng_candidates(struct cw_ctx *ctx, const struct cw_geod *g,
                          const struct cw_points *p, struct dt *d)
{
    struct cw_edges knn;
    cw_edges_init(&knn);
    int rc = cw_knn_edges(ctx, g, p, 10, &knn);
    for (size_t i = 0; i < knn.n && rc == CW_OK; i++) {
        const struct cw_edge *e = &knn.e[i];
        if (d->rep[e->a] == e->a && d->rep[e->b] == e->b)
            rc = cw_edges_push(&d->e, e->a, e->b, e->dist);
    }
    cw_edges_release(&knn);
    if (rc == CW_ERR_NOMEM)
        return cw_ctx_error(ctx, rc, "out of memory for %zu points", p->n);
    cw_edges_normalise(&d->e);
    return rc;
}

int cw_rng_edges(struct cw_ctx *ctx, const struct cw_geod *g,
                 const struct cw_points *p, struct cw_edges *out)
{
    struct dt d;
    out->n = 0;
    int rc = dt_build(ctx, g, p, &d);
    struct rng r = { &d, g, p, 0, 0, 0, 0, 0 };
    if (rc == CW_OK)
        rc = rng_candidates(ctx, g, p, &d);
    if (rc == CW_OK)
        rc = filter_edges(ctx, &d.e, rng_keep, &r, "rng", out);
    dt_release(&d);
    return rc;
}
