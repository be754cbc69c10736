/* network.c: the network job: city points in, links (from a table or a
 * proximity rule) out as geodesic lines, nodes out with centralities.
 * SPDX-License-Identifier: MIT
 */
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cityweave/cities.h"
#include "cityweave/centrality.h"
#include "cityweave/network.h"
#include "cityweave/proximity.h"
#include "parallel.h"
#include "unionfind.h"

/* Graphs up to this size get a diameter for the stats when no node output
 * is asked for: all-pairs shortest paths, seconds there, quadratic beyond. */
#define CW_STATS_MAX_NODES 5000

/* The nodes of the network: the cities, then hubs that are not cities. */
struct nodes {
    size_t n;
    double *lon, *lat;
    const char **id, **name;
    uint32_t *rank;
    long *hub;               /* index in the hub layer, or -1 */
};

struct job {
    struct cw_ctx *ctx;
    const struct cw_network_opts *o;
    struct cw_geod geod;
    struct cw_cities cities, hubs;
    struct cw_layer table;       /* the link table, when there is one */
    int from_col, to_col, weight_col;
    struct nodes nodes;
    /* The links: endpoints in the node set (a from, b to) and length in
     * metres, NAN until measured. A proximity search's edge list becomes
     * the links in place, so millions of them take no second array. */
    struct cw_edges links;
    long *row;                   /* per link, its link-table row; NULL: generated */
    double *weight;              /* per link; NULL: all 1 */
    double *azimuth;             /* per link, when azimuth is among the output fields */
    int *src;                    /* full edge field f >= F_FIXED is table column src[f] */
    int *pick;                   /* -select: output field k is full field pick[k] */
    size_t nselected;
};

/* A link of unknown length, from a table or to a hub. */
static int push_link(struct job *j, uint32_t from, uint32_t to)
{
    return cw_edges_push(&j->links, from, to, NAN) ? cw_ctx_error(j->ctx, CW_ERR_NOMEM, "out of memory")
                                                 : CW_OK;
}

static int read_cities(struct job *j, const char *path, struct cw_cities *out)
{
    struct cw_layer l;
    int rc = cw_layer_read(j->ctx, path, &j->o->read, &l);
    if (!rc)
        rc = cw_cities_from_layer(j->ctx, &l, path, j->o->id_field, j->o->name_field, out);
    return rc;
}

/* ---- the node set ---- */

static int nodes_alloc(struct job *j, size_t n)
{
    struct nodes *v = &j->nodes;
    size_t m = n ? n : 1;
    v->lon = malloc(m * sizeof *v->lon);
    v->lat = malloc(m * sizeof *v->lat);
    v->id = malloc(m * sizeof *v->id);
    v->name = malloc(m * sizeof *v->name);
    v->rank = malloc(m * sizeof *v->rank);
    v->hub = malloc(m * sizeof *v->hub);
    if (!v->lon || !v->lat || !v->id || !v->name || !v->rank || !v->hub)
        return cw_ctx_error(j->ctx, CW_ERR_NOMEM, "out of memory");
    return CW_OK;
}

static void nodes_release(struct nodes *v)
{
    free(v->lon);
    free(v->lat);
    free(v->id);
    free(v->name);
    free(v->rank);
    free(v->hub);
}

static void nodes_set(struct nodes *v, size_t i, const struct cw_cities *c, size_t k,
                      uint32_t rank, long hub)
{
    v->lon[i] = c->lon[k];
    v->lat[i] = c->lat[k];
    v->id[i] = c->id[k];
    v->name[i] = c->name[k];
    v->rank[i] = rank;
    v->hub[i] = hub;
}

/* Cities first (their rank is their id order); hubs whose id is a city's
 * map onto that city, the others follow in hub id order. */
static int build_nodes(struct job *j, const struct cw_cities *h, long *hub_node)
{
    const struct cw_cities *c = &j->cities;
    int rc = nodes_alloc(j, c->n + h->n);
    if (rc)
        return rc;
    for (size_t i = 0; i < c->n; i++)
        nodes_set(&j->nodes, i, c, i, c->rank[i], -1);
    j->nodes.n = c->n;
    for (size_t r = 0; r < h->n; r++) {
        size_t k = h->by_rank[r];
        long city = cw_cities_lookup(c, h->id[k]);
        if (city >= 0 && strcmp(c->id[city], h->id[k]) == 0) {
            j->nodes.hub[city] = (long)k;
            hub_node[k] = city;
        } else {
            hub_node[k] = (long)j->nodes.n;
            nodes_set(&j->nodes, j->nodes.n, h, k, (uint32_t)j->nodes.n, (long)k);
            j->nodes.n++;
        }
    }
    return CW_OK;
}

/* ---- links from a table ---- */

static int endpoint(struct job *j, size_t row, int col, uint32_t *out)
{
    const char *key = cw_table_get(&j->table.attrs, row, col);
    const char *field = j->table.attrs.fields[col].name;
    if (!key || !*key)
        return cw_ctx_error(j->ctx, CW_ERR_DATA, "'%s' row %zu: empty %s", j->o->links,
                            row + 1, field);
    long i = cw_cities_lookup(&j->cities, key);
    if (i == -2)
        return cw_ctx_error(j->ctx, CW_ERR_DATA,
                            "'%s' row %zu: %s '%s' names several cities; use ids",
                            j->o->links, row + 1, field, key);
    if (i < 0)
        return cw_ctx_error(j->ctx, CW_ERR_DATA, "'%s' row %zu: %s '%s' matches no city id or name",
                            j->o->links, row + 1, field, key);
    *out = (uint32_t)i;
    return CW_OK;
}

static int find_col(struct job *j, const char *name, int required, int *col)
{
    *col = name ? cw_table_find(&j->table.attrs, name) : -1;
    if (*col < 0 && required)
        return cw_ctx_error(j->ctx, CW_ERR_DATA, "'%s': no field '%s'", j->o->links, name);
    return CW_OK;
}

static int weight_of(struct job *j, size_t row, double *w)
{
    const char *s;
    char *end;
    *w = 1;
    if (j->weight_col < 0 || !(s = cw_table_get(&j->table.attrs, row, j->weight_col)))
        return CW_OK;
    *w = strtod(s, &end);
    if (end == s || *end || !isfinite(*w) || *w < 0)
        return cw_ctx_error(j->ctx, CW_ERR_DATA, "'%s' row %zu: weight '%s' is not a number >= 0",
                            j->o->links, row + 1, s);
    return CW_OK;
}

static int links_from_table(struct job *j)
{
    const struct cw_network_opts *o = j->o;
    struct cw_read_opts ro = { .where = o->links_where, .attributes_only = 1 };
    int rc = cw_layer_read(j->ctx, o->links, &ro, &j->table);
    if (rc || (rc = find_col(j, o->from_field ? o->from_field : "from_id", 1, &j->from_col)) ||
        (rc = find_col(j, o->to_field ? o->to_field : "to_id", 1, &j->to_col)) ||
        (rc = find_col(j, o->weight_field, o->weight_field != NULL, &j->weight_col)))
        return rc;
    size_t nrows = j->table.attrs.nrows;
    j->row = malloc((nrows ? nrows : 1) * sizeof *j->row);
    j->weight = malloc((nrows ? nrows : 1) * sizeof *j->weight);
    if (!j->row || !j->weight)
        return cw_ctx_error(j->ctx, CW_ERR_NOMEM, "out of memory");
    for (size_t r = 0; r < nrows && !rc; r++) {
        uint32_t a, b;
        double w;
        if ((rc = endpoint(j, r, j->from_col, &a)) || (rc = endpoint(j, r, j->to_col, &b)) ||
            (rc = weight_of(j, r, &w)))
            break;
        if (a == b)
            rc = cw_ctx_error(j->ctx, CW_ERR_DATA, "'%s' row %zu: links '%s' to itself",
                              o->links, r + 1, j->cities.id[a]);
        else if (!(rc = push_link(j, a, b))) {
            j->row[j->links.n - 1] = (long)r;
            j->weight[j->links.n - 1] = w;
        }
    }
    return rc;
}

/* ---- generated links ---- */

/* Whether @p name is in the comma-separated -select list (NULL: all). */
static int selected(const char *select, const char *name)
{
    size_t n = strlen(name);
    for (const char *p = select; p; p = strchr(p, ',') ? strchr(p, ',') + 1 : NULL)
        if (strncmp(p, name, n) == 0 && (p[n] == ',' || p[n] == '\0'))
            return 1;
    return !select;
}

static int search(struct job *j, const struct cw_points *p, struct cw_edges *es)
{
    switch (j->o->method) {
    case CW_NET_KNN: return cw_knn_edges(j->ctx, &j->geod, p, j->o->k, es);
    case CW_NET_WITHIN:
        return cw_within_edges(j->ctx, &j->geod, p, j->o->within,
                               selected(j->o->select, "azimuth"), es);
    case CW_NET_MST: return cw_mst_edges(j->ctx, &j->geod, p, es);
    case CW_NET_DELAUNAY: return cw_delaunay_edges(j->ctx, &j->geod, p, es);
    case CW_NET_GABRIEL: return cw_gabriel_edges(j->ctx, &j->geod, p, es);
    case CW_NET_RNG: return cw_rng_edges(j->ctx, &j->geod, p, es);
    default: return cw_ctx_error(j->ctx, CW_ERR_ARG, "no link method");
    }
}

/* The search gets the cities in rank (id) order, so its edges, sorted by
 * point with the lower one first, are already in output order: no sort of
 * millions of links afterwards (5.7 million for --within 25km on GeoNames),
 * and the output does not depend on input order. The edges, renumbered to
 * cities, are the links. */
static int proximity(struct job *j)
{
    size_t n = j->cities.n, size = n ? n : 1;
    const uint32_t *city = j->cities.by_rank;
    double *lon = malloc(size * sizeof *lon), *lat = malloc(size * sizeof *lat);
    uint32_t *rank = malloc(size * sizeof *rank);
    struct cw_points p = { n, lon, lat, rank };
    struct cw_edges es;
    int rc = lon && lat && rank ? CW_OK : cw_ctx_error(j->ctx, CW_ERR_NOMEM, "out of memory");
    cw_edges_init(&es);
    for (size_t r = 0; r < n && !rc; r++) {
        lon[r] = j->nodes.lon[city[r]];
        lat[r] = j->nodes.lat[city[r]];
        rank[r] = (uint32_t)r;
    }
    if (!rc && !(rc = search(j, &p, &es))) {
        for (size_t i = 0; i < es.n; i++) {
            es.e[i].a = city[es.e[i].a];
            es.e[i].b = city[es.e[i].b];
        }
        j->links = es;
    } else {
        cw_edges_release(&es);
    }
    free(lon);
    free(lat);
    free(rank);
    return rc;
}

/* Hub and spoke: each city to the hub its field names, or the nearest. */
static int links_to_hubs(struct job *j)
{
    const struct cw_cities *c = &j->cities, *h = j->o->hubs ? &j->hubs : &j->cities;
    long *hub_node = malloc((h->n ? h->n : 1) * sizeof *hub_node);
    uint32_t *nearest = malloc((c->n ? c->n : 1) * sizeof *nearest);
    int rc = !hub_node || !nearest ? cw_ctx_error(j->ctx, CW_ERR_NOMEM, "out of memory")
                                   : build_nodes(j, h, hub_node);
    int col = j->o->hub_field ? cw_table_find(&c->layer.attrs, j->o->hub_field) : -1;
    if (!rc && j->o->hub_field && col < 0)
        rc = cw_ctx_error(j->ctx, CW_ERR_DATA, "'%s': no field '%s'", j->o->cities, j->o->hub_field);
    if (!rc && j->o->nearest_hub) {
        struct cw_points p = { c->n, c->lon, c->lat, c->rank };
        struct cw_points hp = { h->n, h->lon, h->lat, h->rank };
        rc = cw_nearest(j->ctx, &j->geod, &p, &hp, nearest, NULL);
    }
    for (size_t i = 0; i < c->n && !rc; i++) {
        long k;
        if (j->o->nearest_hub) {
            k = nearest[i];
        } else {
            const char *hid = cw_table_get(&c->layer.attrs, i, col);
            if (!hid || !*hid)
                continue;  /* a city without a hub is a hub or stands alone */
            if ((k = cw_cities_lookup(h, hid)) < 0) {
                rc = cw_ctx_error(j->ctx, CW_ERR_DATA, "'%s' row %zu: %s '%s' matches no hub",
                                  j->o->cities, i + 1, j->o->hub_field, hid);
                break;
            }
        }
        if ((size_t)hub_node[k] != i)
            rc = push_link(j, (uint32_t)hub_node[k], (uint32_t)i);
    }
    free(hub_node);
    free(nearest);
    return rc;
}

static int make_links(struct job *j)
{
    int rc;
    switch (j->o->method) {
    case CW_NET_LINKS:
        rc = build_nodes(j, &j->hubs, NULL);
        return rc ? rc : links_from_table(j);
    case CW_NET_HUBS:
        if (j->o->hubs && (rc = read_cities(j, j->o->hubs, &j->hubs)))
            return rc;
        return links_to_hubs(j);
    default:
        rc = build_nodes(j, &j->hubs, NULL);
        return rc ? rc : proximity(j);   /* in output order already */
    }
}

/* Azimuths are solved only when they are written. */
static int alloc_azimuths(struct job *j)
{
    if (!selected(j->o->select, "azimuth"))
        return CW_OK;
    j->azimuth = malloc((j->links.n ? j->links.n : 1) * sizeof *j->azimuth);
    return j->azimuth ? CW_OK : cw_ctx_error(j->ctx, CW_ERR_NOMEM, "out of memory");
}

static int measure_chunk(size_t lo, size_t hi, int w, void *arg)
{
    struct job *j = arg;
    const struct nodes *v = &j->nodes;
    (void)w;
    for (size_t i = lo; i < hi; i++) {
        struct cw_edge *l = &j->links.e[i];
        double s, azi;
        if (!isnan(l->dist) && (!j->azimuth || !isnan(l->azi))) {
            if (j->azimuth)
                j->azimuth[i] = l->azi;
            continue;   /* known from the proximity search */
        }
        cw_geod_inverse(&j->geod, v->lon[l->a], v->lat[l->a], v->lon[l->b], v->lat[l->b], &s,
                        j->azimuth ? &j->azimuth[i] : &azi, NULL);
        if (isnan(l->dist))
            l->dist = s;
    }
    return CW_OK;
}

/* ---- output: edges ---- */

enum { F_FROM_ID, F_TO_ID, F_FROM_NAME, F_TO_NAME, F_DIST, F_AZI, F_FIXED };

static size_t width_of(const struct cw_cities *c, int col)
{
    return col >= 0 ? c->layer.attrs.fields[col].width : 0;
}

/* Fixed edge fields, then the link table's own columns but its from/to. */
static int edge_schema(struct job *j, struct cw_field **out, size_t *nf, int **src)
{
    const struct cw_table *t = &j->table.attrs;
    const struct cw_cities *c = &j->cities;
    size_t idw = width_of(c, c->id_col), nw = width_of(c, c->name_col);
    if (j->o->method == CW_NET_HUBS && j->o->hubs) {
        idw = idw > width_of(&j->hubs, j->hubs.id_col) ? idw : width_of(&j->hubs, j->hubs.id_col);
        nw = nw > width_of(&j->hubs, j->hubs.name_col) ? nw : width_of(&j->hubs, j->hubs.name_col);
    }
    struct cw_field fixed[F_FIXED] = {
        { "from_id", CW_FT_STRING, -1, idw }, { "to_id", CW_FT_STRING, -1, idw },
        { "from_name", CW_FT_STRING, -1, nw }, { "to_name", CW_FT_STRING, -1, nw },
        /* micrometres and microdegrees: finer than the input coordinates */
        { "dist_km", CW_FT_REAL, 9, 0 }, { "azimuth", CW_FT_REAL, 6, 0 },
    };
    *out = malloc((F_FIXED + t->nfields) * sizeof **out);
    *src = malloc((F_FIXED + t->nfields) * sizeof **src);
    if (!*out || !*src)
        return cw_ctx_error(j->ctx, CW_ERR_NOMEM, "out of memory");
    memcpy(*out, fixed, sizeof fixed);
    *nf = F_FIXED;
    for (size_t f = 0; f < t->nfields; f++) {
        if ((int)f == j->from_col || (int)f == j->to_col || cw_table_find(t, t->fields[f].name) != (int)f)
            continue;
        int clash = 0;
        for (size_t g = 0; g < F_FIXED; g++)
            clash |= strcmp(fixed[g].name, t->fields[f].name) == 0;
        if (clash)
            continue;   /* our computed value wins over a same-named column */
        (*src)[*nf] = (int)f;
        (*out)[(*nf)++] = t->fields[f];
    }
    return CW_OK;
}

/* Keeps the fields -select names, in its order: pick[k] is the index in
 * the full list of output field k. */
static int select_fields(struct job *j, struct cw_field *f, size_t *nf, int *pick)
{
    const char *sel = j->o->select;
    size_t n = 0;
    if (!sel) {
        for (size_t k = 0; k < *nf; k++)
            pick[k] = (int)k;
        return CW_OK;
    }
    for (const char *p = sel; p; p = strchr(p, ',') ? strchr(p, ',') + 1 : NULL) {
        size_t len = strcspn(p, ","), k = 0;
        while (k < *nf && !(strlen(f[k].name) == len && strncmp(f[k].name, p, len) == 0))
            k++;
        if (k == *nf)
            return cw_ctx_error(j->ctx, CW_ERR_ARG, "-select: no edge field '%.*s'", (int)len, p);
        pick[n++] = (int)k;
    }
    struct cw_field *copy = malloc(n * sizeof *copy);
    if (!copy)
        return cw_ctx_error(j->ctx, CW_ERR_NOMEM, "out of memory");
    for (size_t k = 0; k < n; k++)
        copy[k] = f[pick[k]];
    memcpy(f, copy, n * sizeof *copy);
    free(copy);
    *nf = n;
    return CW_OK;
}

/* Full edge field @p f of link @p i; a number is printed into @p num
 * (32 bytes). */
static const char *edge_value(const struct job *j, size_t i, int f, char *num)
{
    const struct nodes *v = &j->nodes;
    const struct cw_edge *l = &j->links.e[i];
    switch (f) {
    case F_FROM_ID: return v->id[l->a];
    case F_TO_ID: return v->id[l->b];
    case F_FROM_NAME: return v->name[l->a];
    case F_TO_NAME: return v->name[l->b];
    case F_DIST: return cw_format_real(num, 32, l->dist / 1000.0, 9);
    case F_AZI: return j->azimuth ? cw_format_real(num, 32, j->azimuth[i], 6) : NULL;
    default: return cw_table_get(&j->table.attrs, (size_t)j->row[i], j->src[f]);  /* table links */
    }
}

/* The output fields of link @p i: a cw_row_fn, so it only reads @p arg. */
static void edge_row(void *arg, size_t i, const char **vals, char *scratch)
{
    const struct job *j = arg;
    for (size_t k = 0; k < j->nselected; k++)
        vals[k] = edge_value(j, i, j->pick[k], scratch + (j->pick[k] == F_AZI ? 32 : 0));
}

static int write_edge(struct job *j, struct cw_writer *w, size_t i, const char **vals)
{
    char scratch[CW_ROW_SCRATCH];
    const struct nodes *v = &j->nodes;
    const struct cw_edge *l = &j->links.e[i];
    GEOSGeometry *g = NULL;
    edge_row(j, i, vals, scratch);
    int rc = cw_geod_line(j->ctx, &j->geod, v->lon[l->a], v->lat[l->a], v->lon[l->b],
                          v->lat[l->b], j->o->segment, &g);
    if (!rc)
        rc = cw_writer_add(w, g, vals);
    if (g)
        GEOSGeom_destroy_r(cw_ctx_geos(j->ctx), g);
    return rc;
}

/* Writes every edge; the caller commits @p w (or aborts it). Without
 * geometry (CSV) the rows are formatted on every thread. */
static int write_edges(struct job *j, struct cw_writer **w)
{
    struct cw_field *fields = NULL;
    const char **vals = NULL;
    size_t nf = 0;
    int rc = edge_schema(j, &fields, &nf, &j->src);
    if (!rc && (!(vals = malloc(nf * sizeof *vals)) || !(j->pick = malloc(nf * sizeof *j->pick))))
        rc = cw_ctx_error(j->ctx, CW_ERR_NOMEM, "out of memory");
    if (!rc)
        rc = select_fields(j, fields, &nf, j->pick);
    j->nselected = nf;
    if (!rc)
        rc = cw_writer_open(j->ctx, j->o->output, &j->o->write, fields, nf, CW_GEOM_LINE, w);
    if (!rc && !cw_writer_wants_geometry(*w))
        rc = cw_writer_add_rows(*w, j->links.n, edge_row, j);
    else
        for (size_t i = 0; i < j->links.n && !rc; i++) {
            rc = write_edge(j, *w, i, vals);
            if (!rc && i % 4096 == 0)
                rc = cw_ctx_progress(j->ctx, (double)i / j->links.n, "writing edges");
        }
    free(fields);
    free(vals);
    return rc;
}

/* ---- graph measures ---- */

struct wedge {
    struct cw_edge e;
    double weight;
};

static int by_pair(const void *pa, const void *pb)
{
    const struct wedge *a = pa, *b = pb;
    if (a->e.a != b->e.a)
        return a->e.a < b->e.a ? -1 : 1;
    if (a->e.b != b->e.b)
        return a->e.b < b->e.b ? -1 : 1;
    return (a->weight > b->weight) - (a->weight < b->weight);   /* sums in one order */
}

/* The links as a simple graph: parallel links merge, their weights add.
 * Nodes are numbered by rank (id order), not input row, so every measure,
 * to the last bit, and the numbering of components and communities are
 * the same whatever the order of the input rows. */
static int simple_graph(struct job *j, struct cw_edges *es, double **weight)
{
    size_t m = j->links.n ? j->links.n : 1, n = 0;
    struct wedge *we = malloc(m * sizeof *we);
    es->e = malloc(m * sizeof *es->e);
    *weight = malloc(m * sizeof **weight);
    if (!we || !es->e || !*weight) {
        free(we);
        return cw_ctx_error(j->ctx, CW_ERR_NOMEM, "out of memory");
    }
    for (size_t i = 0; i < j->links.n; i++) {
        const struct cw_edge *l = &j->links.e[i];
        uint32_t ra = j->nodes.rank[l->a], rb = j->nodes.rank[l->b];
        uint32_t a = ra < rb ? ra : rb, b = ra ^ rb ^ a;
        double km = l->dist / 1000.0;
        /* Coincident cities: igraph needs positive lengths, so a zero
         * length becomes 1 micrometre, far below any real distance. */
        we[i] = (struct wedge){ { a, b, km > 0 ? km : 1e-9, NAN }, j->weight ? j->weight[i] : 1 };
    }
    qsort(we, j->links.n, sizeof *we, by_pair);
    for (size_t i = 0; i < j->links.n; i++) {
        if (n && es->e[n - 1].a == we[i].e.a && es->e[n - 1].b == we[i].e.b) {
            (*weight)[n - 1] += we[i].weight;
            continue;
        }
        es->e[n] = we[i].e;
        (*weight)[n++] = we[i].weight;
    }
    es->n = es->cap = n;
    free(we);
    return CW_OK;
}

/* Components by union-find, for graphs too large for all measures. */
static int count_components(struct job *j, size_t *out)
{
    uint32_t *parent = malloc((j->nodes.n ? j->nodes.n : 1) * sizeof *parent);
    if (!parent)
        return cw_ctx_error(j->ctx, CW_ERR_NOMEM, "out of memory");
    size_t n = j->nodes.n;
    for (size_t i = 0; i < j->nodes.n; i++)
        parent[i] = (uint32_t)i;
    for (size_t i = 0; i < j->links.n; i++) {
        uint32_t a = cw_uf_find(parent, j->links.e[i].a), b = cw_uf_find(parent, j->links.e[i].b);
        if (a != b) {
            parent[a] = b;
            n--;
        }
    }
    free(parent);
    *out = n;
    return CW_OK;
}

/* ---- output: nodes ---- */

static const char *const measure_names[] = {
    "degree", "strength", "betweenness", "closeness", "harmonic", "eigenvector",
    "component", "community",
};
#define NMEASURES (sizeof measure_names / sizeof measure_names[0])

static int node_schema(struct job *j, struct cw_field **out, size_t *nf)
{
    const struct cw_table *t = &j->cities.layer.attrs;
    *out = malloc((t->nfields + NMEASURES) * sizeof **out);
    if (!*out)
        return cw_ctx_error(j->ctx, CW_ERR_NOMEM, "out of memory");
    *nf = 0;
    for (size_t f = 0; f < t->nfields; f++) {
        int clash = 0;
        for (size_t m = 0; m < NMEASURES; m++)
            clash |= strcmp(measure_names[m], t->fields[f].name) == 0;
        if (!clash)
            (*out)[(*nf)++] = t->fields[f];
    }
    for (size_t m = 0; m < NMEASURES; m++)
        (*out)[(*nf)++] = (struct cw_field){ (char *)measure_names[m],
                                             m < 6 ? CW_FT_REAL : CW_FT_INTEGER, -1, 0 };
    return CW_OK;
}

/* Attribute values of node @p i (a city, or a hub that is none). */
static const GEOSGeometry *node_values(struct job *j, size_t i, const struct cw_field *f,
                                       size_t nattr, const char **vals)
{
    const struct cw_cities *c = &j->cities;
    int is_city = i < c->n;
    for (size_t k = 0; k < nattr; k++) {
        int col = cw_table_find(&c->layer.attrs, f[k].name);
        if (is_city)
            vals[k] = cw_table_get(&c->layer.attrs, i, col);
        else
            vals[k] = col == c->id_col ? j->nodes.id[i] : col == c->name_col ? j->nodes.name[i] : NULL;
    }
    return is_city ? c->layer.geoms[i] : j->hubs.layer.geoms[j->nodes.hub[i]];
}

/* Writes every node; the caller commits @p w (or aborts it). */
static int write_nodes(struct job *j, const struct cw_centrality *m, struct cw_writer **w)
{
    struct cw_field *fields = NULL;
    const char **vals = NULL;
    char (*num)[32] = NULL;
    size_t nf = 0;
    int rc = node_schema(j, &fields, &nf);
    if (!rc && (!(vals = malloc(nf * sizeof *vals)) || !(num = malloc(NMEASURES * sizeof *num))))
        rc = cw_ctx_error(j->ctx, CW_ERR_NOMEM, "out of memory");
    if (!rc)
        rc = cw_writer_open(j->ctx, j->o->nodes_output, &j->o->write, fields, nf, CW_GEOM_POINT, w);
    size_t na = nf - NMEASURES;
    for (size_t i = 0; i < j->nodes.n && !rc; i++) {
        const GEOSGeometry *g = node_values(j, i, fields, na, vals);
        size_t r = j->nodes.rank[i];
        double v[6] = { m->degree[r], m->strength[r], m->betweenness[r], m->closeness[r],
                        m->harmonic[r], m->eigenvector[r] };
        for (size_t k = 0; k < 6; k++)
            vals[na + k] = cw_format_real(num[k], sizeof num[k], v[k], -1);
        snprintf(num[6], sizeof num[6], "%d", m->component[r]);
        snprintf(num[7], sizeof num[7], "%d", m->community[r]);
        vals[na + 6] = num[6];
        vals[na + 7] = num[7];
        rc = cw_writer_add(*w, g, vals);
    }
    free(fields);
    free(vals);
    free(num);
    return rc;
}

static int measure_graph(struct job *j, struct cw_network_stats *st, struct cw_writer **nodes)
{
    struct cw_edges es = { 0 };
    struct cw_centrality m = { 0 };
    double *weight = NULL;
    int rc;
    st->diameter_km = -1;
    if (!j->o->nodes_output && (!j->o->diameter || j->nodes.n > CW_STATS_MAX_NODES))
        return count_components(j, &st->components);
    if (!(rc = simple_graph(j, &es, &weight)) &&
        !(rc = cw_centrality_compute(j->ctx, j->nodes.n, &es, weight, &m))) {
        st->components = m.ncomponents;
        st->diameter_km = m.diameter;
        if (j->o->nodes_output)
            rc = write_nodes(j, &m, nodes);
    }
    cw_centrality_release(&m);
    free(es.e);
    free(weight);
    return rc;
}

int cw_network_run(struct cw_ctx *ctx, const struct cw_network_opts *o,
                   struct cw_network_stats *st)
{
    struct job j = { .ctx = ctx, .o = o, .from_col = -1, .to_col = -1, .weight_col = -1 };
    struct cw_writer *edges = NULL, *nodes = NULL;
    int rc;
    memset(st, 0, sizeof *st);
    cw_geod_init(&j.geod, o->sphere);
    cw_layer_init(&j.table);
    cw_edges_init(&j.links);
    if ((rc = cw_ctx_progress(ctx, 0, "reading cities")) ||
        (rc = read_cities(&j, o->cities, &j.cities)) ||
        (rc = cw_ctx_progress(ctx, 0, "linking")) || (rc = make_links(&j)) ||
        (rc = cw_ctx_progress(ctx, 0, "measuring links")) || (rc = alloc_azimuths(&j)) ||
        (rc = cw_parallel_for(ctx, j.links.n, measure_chunk, &j)))
        goto out;
    st->nodes = j.nodes.n;
    st->edges = j.links.n;
    for (size_t i = 0; i < j.links.n; i++)
        st->total_km += j.links.e[i].dist / 1000.0;
    /* Both outputs are complete before either appears, and appear together. */
    if (!(rc = cw_ctx_progress(ctx, 0, "graph measures")) &&
        !(rc = measure_graph(&j, st, &nodes)))
        rc = write_edges(&j, &edges);
    struct cw_writer *both[2] = {edges, nodes};
    rc = cw_writers_finish(ctx, rc, both, 2);
    if (!rc)
        rc = cw_ctx_progress(ctx, 1, "done");
out:
    nodes_release(&j.nodes);
    cw_edges_release(&j.links);
    free(j.row);
    free(j.weight);
    free(j.azimuth);
    free(j.src);
    free(j.pick);
    cw_layer_release(ctx, &j.table);
    cw_cities_release(ctx, &j.hubs);
    cw_cities_release(ctx, &j.cities);
    return rc;
}
