/* cluster.c: the cluster job: points in, each --by group clustered apart
 * with one of the methods of cluster.h, labelled points and one hull per
 * cluster out.
 * SPDX-License-Identifier: MIT
 */
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cityweave/cities.h"
#include "cityweave/cluster.h"
#include "cityweave/units.h"

struct cjob {
    struct cw_ctx *ctx;
    const struct cw_cluster_opts *o;
    struct cw_geod geod;
    struct cw_cities pts;
    double *weight, *pop, *attrs;    /* per point; attrs n x nattrs */
    int nattrs;
    int *label;                      /* global cluster ids, -1 noise */
    unsigned char *role;
    size_t nclusters;
    uint32_t *order;                 /* points by (group value, rank) */
    int by_col, theme_col;
};

static const char *const role_names[] = { "noise", "core", "border" };

static const char *cell(const struct cjob *j, size_t i, int col)
{
    return col >= 0 ? cw_table_get(&j->pts.layer.attrs, i, col) : NULL;
}

/* A numeric column into @p out; @p required: a missing value is an error,
 * else it counts as 0. */
static int numeric_column(struct cjob *j, const char *field, int required, double *out,
                          size_t stride)
{
    return cw_layer_numbers(j->ctx, &j->pts.layer, j->o->input, field, NULL, required,
                            -INFINITY, out, stride);
}

static int attribute_matrix(struct cjob *j)
{
    char *list = strdup(j->o->attrs), *save = NULL;
    int rc = list ? CW_OK : CW_ERR_NOMEM;
    j->nattrs = 0;
    for (char *p = list; p && *p; p++)
        j->nattrs += *p == ',';
    j->nattrs++;
    if (!rc && !(j->attrs = malloc((j->pts.n ? j->pts.n : 1) * j->nattrs * sizeof *j->attrs)))
        rc = CW_ERR_NOMEM;
    int a = 0;
    for (char *f = rc ? NULL : strtok_r(list, ",", &save); f && !rc; f = strtok_r(NULL, ",", &save))
        rc = numeric_column(j, f, 1, j->attrs + a++, (size_t)j->nattrs);
    free(list);
    if (rc == CW_ERR_NOMEM)
        return cw_ctx_error(j->ctx, rc, "out of memory");
    if (!rc && a != j->nattrs)
        return cw_ctx_error(j->ctx, CW_ERR_ARG, "--attrs '%s' has an empty field name", j->o->attrs);
    return rc;
}

static int read_input(struct cjob *j)
{
    const struct cw_cluster_opts *o = j->o;
    struct cw_layer l;
    int rc = cw_layer_read(j->ctx, o->input, &o->read, &l);
    if (rc || (rc = cw_cities_from_layer(j->ctx, &l, o->input, o->id_field, o->name_field, &j->pts)))
        return rc;
    size_t n = j->pts.n ? j->pts.n : 1;
    j->pop = calloc(n, sizeof *j->pop);
    j->label = malloc(n * sizeof *j->label);
    j->role = malloc(n);
    j->order = malloc(n * sizeof *j->order);
    if (!j->pop || !j->label || !j->role || !j->order ||
        (o->weight_field && !(j->weight = malloc(n * sizeof *j->weight))))
        return cw_ctx_error(j->ctx, CW_ERR_NOMEM, "out of memory");
    const char *pop = o->pop_field ? o->pop_field
                    : cw_table_find(&j->pts.layer.attrs, "population") >= 0 ? "population" : NULL;
    if ((pop && (rc = numeric_column(j, pop, 0, j->pop, 1))) ||
        (o->weight_field && (rc = numeric_column(j, o->weight_field, 1, j->weight, 1))) ||
        (o->method == CW_CL_SKATER && (rc = attribute_matrix(j))))
        return rc;
    j->by_col = o->by_field ? cw_table_find(&j->pts.layer.attrs, o->by_field) : -1;
    const char *theme = o->theme_field ? o->theme_field : o->by_field;
    j->theme_col = theme ? cw_table_find(&j->pts.layer.attrs, theme) : -1;
    if (o->by_field && j->by_col < 0)
        return cw_ctx_error(j->ctx, CW_ERR_DATA, "'%s': no field '%s' (--by)", o->input, o->by_field);
    if (theme && j->theme_col < 0)
        return cw_ctx_error(j->ctx, CW_ERR_DATA, "'%s': no field '%s'", o->input, theme);
    return CW_OK;
}

/* ---- groups ---- */

struct keyed {
    const char *key;
    uint32_t rank, index;
};

static int by_key(const void *pa, const void *pb)
{
    const struct keyed *a = pa, *b = pb;
    int c = strcmp(a->key, b->key);
    return c ? c : (a->rank > b->rank) - (a->rank < b->rank);
}

/* Orders the points by (--by value, rank): each group is then a run. */
static int order_groups(struct cjob *j)
{
    struct keyed *k = malloc((j->pts.n ? j->pts.n : 1) * sizeof *k);
    if (!k)
        return cw_ctx_error(j->ctx, CW_ERR_NOMEM, "out of memory");
    for (size_t i = 0; i < j->pts.n; i++) {
        const char *v = cell(j, i, j->by_col);
        k[i] = (struct keyed){ v ? v : "", j->pts.rank[i], (uint32_t)i };
    }
    qsort(k, j->pts.n, sizeof *k, by_key);
    for (size_t i = 0; i < j->pts.n; i++)
        j->order[i] = k[i].index;
    free(k);
    return CW_OK;
}

/* Attributes of one group, standardised (z-scores, population standard
 * deviation; a constant attribute becomes 0) so that no unit dominates. */
static void standardise(double *a, size_t n, int na)
{
    for (int c = 0; c < na; c++) {
        double sum = 0, ss = 0;
        for (size_t i = 0; i < n; i++)
            sum += a[i * na + c];
        double mean = n ? sum / n : 0;
        for (size_t i = 0; i < n; i++)
            ss += (a[i * na + c] - mean) * (a[i * na + c] - mean);
        double sd = n ? sqrt(ss / n) : 0;
        for (size_t i = 0; i < n; i++)
            a[i * na + c] = sd > 0 ? (a[i * na + c] - mean) / sd : 0;
    }
}

/* One group's points, copied out so each method sees a plain array. */
struct sub {
    struct cw_points p;
    double *lon, *lat, *weight, *pop, *attrs;
    uint32_t *rank;
};

static void sub_release(struct sub *s)
{
    free(s->lon);
    free(s->lat);
    free(s->weight);
    free(s->pop);
    free(s->attrs);
    free(s->rank);
}

static int sub_init(struct cjob *j, const uint32_t *idx, size_t n, struct sub *s)
{
    size_t m = n ? n : 1, na = (size_t)j->nattrs;
    memset(s, 0, sizeof *s);
    s->lon = malloc(m * sizeof *s->lon);
    s->lat = malloc(m * sizeof *s->lat);
    s->pop = malloc(m * sizeof *s->pop);
    s->rank = malloc(m * sizeof *s->rank);
    s->weight = j->weight ? malloc(m * sizeof *s->weight) : NULL;
    s->attrs = j->attrs ? malloc(m * na * sizeof *s->attrs) : NULL;
    if (!s->lon || !s->lat || !s->pop || !s->rank || (j->weight && !s->weight) ||
        (j->attrs && !s->attrs))
        return cw_ctx_error(j->ctx, CW_ERR_NOMEM, "out of memory");
    for (size_t i = 0; i < n; i++) {
        uint32_t k = idx[i];
        s->lon[i] = j->pts.lon[k];
        s->lat[i] = j->pts.lat[k];
        s->pop[i] = j->pop[k];
        s->rank[i] = j->pts.rank[k];
        if (s->weight)
            s->weight[i] = j->weight[k];
        if (s->attrs)
            memcpy(s->attrs + i * na, j->attrs + (size_t)k * na, na * sizeof *s->attrs);
    }
    if (s->attrs)
        standardise(s->attrs, n, j->nattrs);
    s->p = (struct cw_points){ n, s->lon, s->lat, s->rank };
    return CW_OK;
}

static int skater(struct cjob *j, struct sub *s, struct cw_clusters *c)
{
    struct cw_edges g;
    int rc;
    cw_edges_init(&g);
    rc = j->o->graph_knn ? cw_knn_edges(j->ctx, &j->geod, &s->p, j->o->graph_knn, &g)
                         : cw_delaunay_edges(j->ctx, &j->geod, &s->p, &g);
    if (!rc)
        rc = cw_skater(j->ctx, &s->p, &g, s->attrs, j->nattrs, j->o->k, s->pop,
                       j->o->min_pop, c);
    cw_edges_release(&g);
    return rc;
}

static int run_method(struct cjob *j, struct sub *s, struct cw_clusters *c)
{
    const struct cw_cluster_opts *o = j->o;
    switch (o->method) {
    case CW_CL_DBSCAN:
        return cw_dbscan(j->ctx, &j->geod, &s->p, o->eps, o->min_pts, s->weight, c);
    case CW_CL_HDBSCAN:
        return cw_hdbscan(j->ctx, &j->geod, &s->p, o->min_cluster_size,
                          o->min_samples ? o->min_samples : o->min_cluster_size, c);
    case CW_CL_KMEANS:
        return cw_kmeans(j->ctx, &s->p, o->k, o->seed, o->n_init, s->weight, c, NULL);
    case CW_CL_LINKAGE:
        return cw_linkage_cluster(j->ctx, &j->geod, &s->p, o->linkage, o->cut, o->k, c);
    case CW_CL_SKATER:
        return skater(j, s, c);
    }
    return cw_ctx_error(j->ctx, CW_ERR_ARG, "unknown method");
}

/* Clusters one group and numbers its clusters after those before it. */
static int run_group(struct cjob *j, const uint32_t *idx, size_t n)
{
    struct sub s;
    struct cw_clusters c;
    cw_clusters_init(&c);
    int rc = sub_init(j, idx, n, &s);
    if (!rc)
        rc = run_method(j, &s, &c);
    if (rc && j->by_col >= 0) {
        char msg[512];
        const char *v = cell(j, idx[0], j->by_col);
        snprintf(msg, sizeof msg, "%s", cw_ctx_errmsg(j->ctx));
        cw_ctx_error(j->ctx, rc, "%s '%s': %s", j->o->by_field, v ? v : "", msg);
    }
    for (size_t i = 0; !rc && i < n; i++) {
        j->label[idx[i]] = c.label[i] < 0 ? -1 : c.label[i] + (int)j->nclusters;
        j->role[idx[i]] = c.role[i];
    }
    if (!rc)
        j->nclusters += c.nclusters;
    cw_clusters_release(&c);
    sub_release(&s);
    return rc;
}

static int run_groups(struct cjob *j)
{
    int rc = order_groups(j);
    for (size_t lo = 0, hi; !rc && lo < j->pts.n; lo = hi) {
        const char *v = cell(j, j->order[lo], j->by_col);
        for (hi = lo + 1; hi < j->pts.n; hi++) {
            const char *w = cell(j, j->order[hi], j->by_col);
            if (strcmp(v ? v : "", w ? w : "") != 0)
                break;
        }
        rc = run_group(j, j->order + lo, hi - lo);
    }
    return rc;
}

/* ---- output: points ---- */

static int write_points(struct cjob *j, struct cw_writer **w)
{
    const struct cw_table *t = &j->pts.layer.attrs;
    struct cw_field *f = malloc((t->nfields + 2) * sizeof *f);
    int *src = malloc((t->nfields + 2) * sizeof *src);
    const char **vals = malloc((t->nfields + 2) * sizeof *vals);
    size_t nf = 0;
    int rc = f && src && vals ? CW_OK : cw_ctx_error(j->ctx, CW_ERR_NOMEM, "out of memory");
    for (size_t i = 0; !rc && i < t->nfields; i++) {
        if (strcmp(t->fields[i].name, "cluster") == 0 || strcmp(t->fields[i].name, "role") == 0)
            continue;  /* our values replace the input's */
        src[nf] = (int)i;
        f[nf++] = t->fields[i];
    }
    if (!rc) {
        f[nf] = (struct cw_field){ "cluster", CW_FT_INTEGER, -1, 0 };
        f[nf + 1] = (struct cw_field){ "role", CW_FT_STRING, -1, 6 };
        rc = cw_writer_open(j->ctx, j->o->output, &j->o->write, f, nf + 2, CW_GEOM_POINT, w);
    }
    for (size_t i = 0; !rc && i < j->pts.n; i++) {
        char num[24];
        for (size_t k = 0; k < nf; k++)
            vals[k] = cw_table_get(t, i, src[k]);
        snprintf(num, sizeof num, "%d", j->label[i]);
        vals[nf] = num;
        vals[nf + 1] = role_names[j->role[i]];
        rc = cw_writer_add(*w, j->pts.layer.geoms[i], vals);
    }
    free(f);
    free(src);
    free(vals);
    return rc;
}

/* ---- output: hulls ---- */

enum { H_CLUSTER, H_N, H_POP, H_CLON, H_CLAT, H_RADIUS, H_AREA, H_MEMBERS, H_THEME, H_FIELDS };

/* Members of each cluster, in (group, rank) order: first[c]..first[c+1]. */
struct members {
    size_t *first;
    uint32_t *idx;
};

static int collect_members(struct cjob *j, struct members *m)
{
    size_t nc = j->nclusters;
    m->first = calloc(nc + 2, sizeof *m->first);
    m->idx = malloc((j->pts.n ? j->pts.n : 1) * sizeof *m->idx);
    if (!m->first || !m->idx)
        return cw_ctx_error(j->ctx, CW_ERR_NOMEM, "out of memory");
    for (size_t i = 0; i < j->pts.n; i++)
        if (j->label[i] >= 0)
            m->first[j->label[i] + 2]++;
    for (size_t c = 2; c < nc + 2; c++)
        m->first[c] += m->first[c - 1];
    for (size_t r = 0; r < j->pts.n; r++) {
        uint32_t i = j->order[r];
        if (j->label[i] >= 0)
            m->idx[m->first[j->label[i] + 1]++] = i;
    }
    return CW_OK;
}

/* Centre: the normalised (weighted) mean of the unit vectors; radius: the
 * longest geodesic from it to a member. */
static void centre(const struct cjob *j, const uint32_t *idx, size_t n, double *lon,
                   double *lat, double *radius)
{
    const double d2r = M_PI / 180;
    double v[3] = { 0, 0, 0 };
    for (size_t i = 0; i < n; i++) {
        double w = j->weight ? j->weight[idx[i]] : 1, la = j->pts.lat[idx[i]] * d2r,
               lo = j->pts.lon[idx[i]] * d2r;
        v[0] += w * cos(la) * cos(lo);
        v[1] += w * cos(la) * sin(lo);
        v[2] += w * sin(la);
    }
    *lat = atan2(v[2], hypot(v[0], v[1])) / d2r;
    *lon = atan2(v[1], v[0]) / d2r;
    *radius = 0;
    for (size_t i = 0; i < n; i++) {
        double d;
        cw_geod_inverse(&j->geod, *lon, *lat, j->pts.lon[idx[i]], j->pts.lat[idx[i]], &d, NULL, NULL);
        *radius = d > *radius ? d : *radius;
    }
}

static int by_string(const void *a, const void *b)
{
    return strcmp(*(const char *const *)a, *(const char *const *)b);
}

/* The most frequent value of the theme field (ties: the smallest), from
 * the sorted values; @p tmp has room for n pointers. */
static const char *dominant(const struct cjob *j, const uint32_t *idx, size_t n,
                            const char **tmp)
{
    size_t m = 0, bestn = 0;
    const char *best = NULL;
    for (size_t i = 0; i < n; i++)
        if ((tmp[m] = cell(j, idx[i], j->theme_col)))
            m++;
    qsort(tmp, m, sizeof *tmp, by_string);
    for (size_t lo = 0, hi; lo < m; lo = hi) {
        for (hi = lo + 1; hi < m && strcmp(tmp[hi], tmp[lo]) == 0; hi++)
            ;
        if (hi - lo > bestn) {
            bestn = hi - lo;
            best = tmp[lo];
        }
    }
    return best;
}

/* "Name; Name; ..." of the members, in rank order. */
static char *member_names(const struct cjob *j, const uint32_t *idx, size_t n)
{
    size_t len = 1;
    for (size_t i = 0; i < n; i++)
        len += strlen(j->pts.name[idx[i]]) + 2;
    char *s = malloc(len), *p = s;
    for (size_t i = 0; s && i < n; i++)
        p += sprintf(p, "%s%s", i ? "; " : "", j->pts.name[idx[i]]);
    if (s)
        *p = '\0';
    return s;
}

struct hulls {
    struct members m;
    char **names;           /* member names of each cluster */
    double *lon, *lat;      /* one cluster's points */
    const char **tmp;
};

static void hulls_release(struct hulls *h, size_t nc)
{
    for (size_t c = 0; h->names && c < nc; c++)
        free(h->names[c]);
    free(h->names);
    free(h->m.first);
    free(h->m.idx);
    free(h->lon);
    free(h->lat);
    free(h->tmp);
}

static int hull_schema(struct cjob *j, struct hulls *h, struct cw_field *f)
{
    size_t width = 1;
    for (size_t c = 0; c < j->nclusters; c++) {
        size_t lo = h->m.first[c], n = h->m.first[c + 1] - lo;
        if (!(h->names[c] = member_names(j, h->m.idx + lo, n)))
            return cw_ctx_error(j->ctx, CW_ERR_NOMEM, "out of memory");
        width = strlen(h->names[c]) > width ? strlen(h->names[c]) : width;
    }
    const struct cw_field fixed[H_FIELDS] = {
        { "cluster", CW_FT_INTEGER, -1, 0 }, { "n", CW_FT_INTEGER, -1, 0 },
        { "pop_sum", CW_FT_REAL, -1, 0 }, { "centroid_lon", CW_FT_REAL, 7, 0 },
        { "centroid_lat", CW_FT_REAL, 7, 0 }, { "radius_km", CW_FT_REAL, 3, 0 },
        { "area_km2", CW_FT_REAL, 3, 0 }, { "members", CW_FT_STRING, -1, width },
        { j->theme_col >= 0 ? j->pts.layer.attrs.fields[j->theme_col].name : "",
          CW_FT_STRING, -1, j->theme_col >= 0 ? j->pts.layer.attrs.fields[j->theme_col].width : 0 },
    };
    memcpy(f, fixed, sizeof fixed);
    return CW_OK;
}

static int hull_feature(struct cjob *j, struct hulls *h, size_t c, struct cw_writer *w)
{
    size_t lo = h->m.first[c], n = h->m.first[c + 1] - lo;
    const uint32_t *idx = h->m.idx + lo;
    char num[H_MEMBERS][40];
    const char *vals[H_FIELDS];
    double clon, clat, radius, area = 0, pop = 0;
    GEOSGeometry *g = NULL;
    for (size_t i = 0; i < n; i++) {
        h->lon[i] = j->pts.lon[idx[i]];
        h->lat[i] = j->pts.lat[idx[i]];
        pop += j->pop[idx[i]];
    }
    int rc = cw_hull(j->ctx, h->lon, h->lat, n, &j->o->hull, &g);
    if (!rc)
        rc = cw_geod_area(j->ctx, g, &area);
    centre(j, idx, n, &clon, &clat, &radius);
    snprintf(num[H_CLUSTER], sizeof num[0], "%zu", c);
    snprintf(num[H_N], sizeof num[0], "%zu", n);
    cw_format_real(num[H_POP], sizeof num[0], pop, -1);
    cw_format_real(num[H_CLON], sizeof num[0], clon, 7);
    cw_format_real(num[H_CLAT], sizeof num[0], clat, 7);
    cw_format_real(num[H_RADIUS], sizeof num[0], radius / 1000, 3);
    cw_format_real(num[H_AREA], sizeof num[0], area / 1e6, 3);
    for (int k = 0; k < H_MEMBERS; k++)
        vals[k] = num[k];
    vals[H_MEMBERS] = h->names[c];
    vals[H_THEME] = j->theme_col >= 0 ? dominant(j, idx, n, h->tmp) : NULL;
    if (!rc)
        rc = cw_writer_add(w, g, vals);
    if (g)
        GEOSGeom_destroy_r(cw_ctx_geos(j->ctx), g);
    return rc;
}

static int write_hulls(struct cjob *j, struct cw_writer **w)
{
    struct hulls h = { { NULL, NULL }, NULL, NULL, NULL, NULL };
    struct cw_field f[H_FIELDS];
    size_t m = j->pts.n ? j->pts.n : 1;
    int rc = collect_members(j, &h.m);
    if (!rc && (!(h.names = calloc(j->nclusters + 1, sizeof *h.names)) ||
                !(h.lon = malloc(m * sizeof *h.lon)) || !(h.lat = malloc(m * sizeof *h.lat)) ||
                !(h.tmp = malloc(m * sizeof *h.tmp))))
        rc = cw_ctx_error(j->ctx, CW_ERR_NOMEM, "out of memory");
    if (!rc)
        rc = hull_schema(j, &h, f);
    if (!rc)
        rc = cw_writer_open(j->ctx, j->o->hulls_output, &j->o->write, f,
                            j->theme_col >= 0 ? H_FIELDS : H_THEME, CW_GEOM_POLYGON, w);
    for (size_t c = 0; !rc && c < j->nclusters; c++) {
        rc = hull_feature(j, &h, c, *w);
        if (!rc && c % 64 == 0)
            rc = cw_ctx_progress(j->ctx, (double)c / j->nclusters, "hulls");
    }
    hulls_release(&h, j->nclusters);
    return rc;
}

static void cjob_release(struct cjob *j)
{
    free(j->weight);
    free(j->pop);
    free(j->attrs);
    free(j->label);
    free(j->role);
    free(j->order);
    cw_cities_release(j->ctx, &j->pts);
}

int cw_cluster_run(struct cw_ctx *ctx, const struct cw_cluster_opts *o,
                   struct cw_cluster_stats *st)
{
    struct cjob j = { .ctx = ctx, .o = o, .by_col = -1, .theme_col = -1 };
    struct cw_writer *points = NULL, *hulls = NULL;
    int rc;
    memset(st, 0, sizeof *st);
    cw_geod_init(&j.geod, o->sphere);
    if ((rc = cw_ctx_progress(ctx, 0, "reading points")) || (rc = read_input(&j)) ||
        (rc = cw_ctx_progress(ctx, 0, "clustering")) || (rc = run_groups(&j)))
        goto out;
    st->points = j.pts.n;
    st->clusters = j.nclusters;
    for (size_t i = 0; i < j.pts.n; i++)
        st->noise += j.label[i] < 0;
    /* Both outputs are complete before either appears, and appear together. */
    if (!(rc = cw_ctx_progress(ctx, 0, "writing points")) && !(rc = write_points(&j, &points)) &&
        o->hulls_output)
        rc = write_hulls(&j, &hulls);
    struct cw_writer *both[2] = {points, hulls};
    rc = cw_writers_finish(ctx, rc, both, 2);
    if (!rc)
        rc = cw_ctx_progress(ctx, 1, "done");
out:
    cjob_release(&j);
    return rc;
}
