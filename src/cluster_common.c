/* cluster_common.c: the cw_clusters result shared by every clustering
 * method, and its canonical numbering by lowest-ranked member.
 * SPDX-License-Identifier: MIT
 */
#include <limits.h>
#include <stdlib.h>

#include "cityweave/cluster.h"
#include "kdtree.h"

void cw_clusters_init(struct cw_clusters *c)
{
    c->n = 0;
    c->label = NULL;
    c->role = NULL;
    c->nclusters = 0;
}

void cw_clusters_release(struct cw_clusters *c)
{
    free(c->label);
    free(c->role);
    cw_clusters_init(c);
}

int cw_clusters_alloc(struct cw_clusters *c, size_t n)
{
    cw_clusters_release(c);
    /* Labels are ints: a point index must fit. */
    if (n > INT_MAX)
        return CW_ERR_NOMEM;
    c->label = malloc((n ? n : 1) * sizeof *c->label);
    c->role = malloc(n ? n : 1);
    if (!c->label || !c->role) {
        cw_clusters_release(c);
        return CW_ERR_NOMEM;
    }
    c->n = n;
    for (size_t i = 0; i < n; i++) {
        c->label[i] = -1;
        c->role[i] = CW_ROLE_NOISE;
    }
    return CW_OK;
}

/* A cluster's first member: the one of lowest (rank, index). */
struct first {
    uint32_t rank, id;
};

static int first_cmp(const void *pa, const void *pb)
{
    const struct first *a = pa, *b = pb;
    if (a->rank != b->rank)
        return a->rank < b->rank ? -1 : 1;
    return (a->id > b->id) - (a->id < b->id);
}

static int before(const struct cw_points *p, uint32_t i, uint32_t j)
{
    uint32_t ri = cw_kd_rank(p, i), rj = cw_kd_rank(p, j);
    return ri != rj ? ri < rj : i < j;
}

/* Without memory for the map: take the first member of all points still
 * carrying an old label, give its cluster the next number, repeat. New
 * numbers are stored as -2 - id meanwhile so they cannot be mistaken for
 * old ones. O(n * clusters), the price of not failing. */
static void canonical_in_place(struct cw_clusters *c, const struct cw_points *p)
{
    int next = 0;
    for (;;) {
        size_t first = c->n;
        for (size_t i = 0; i < c->n; i++)
            if (c->label[i] >= 0 && (first == c->n || before(p, (uint32_t)i, (uint32_t)first)))
                first = i;
        if (first == c->n)
            break;
        int old = c->label[first];
        for (size_t i = 0; i < c->n; i++)
            if (c->label[i] == old)
                c->label[i] = -2 - next;
        next++;
    }
    for (size_t i = 0; i < c->n; i++)
        if (c->label[i] < -1)
            c->label[i] = -2 - c->label[i];
    c->nclusters = (size_t)next;
}

/* Labels must lie in [-1, n). */
void cw_clusters_canonical(struct cw_clusters *c, const struct cw_points *p)
{
    size_t n = c->n, k = 0;
    uint32_t *map = malloc((n ? n : 1) * sizeof *map);   /* label -> first member */
    struct first *f = malloc((n ? n : 1) * sizeof *f);
    if (!map || !f) {
        canonical_in_place(c, p);
        goto out;
    }
    for (size_t l = 0; l < n; l++)
        map[l] = UINT32_MAX;
    for (size_t i = 0; i < n; i++) {
        int l = c->label[i];
        if (l >= 0 && (map[l] == UINT32_MAX || before(p, (uint32_t)i, map[l])))
            map[l] = (uint32_t)i;
    }
    for (size_t l = 0; l < n; l++)
        if (map[l] != UINT32_MAX)
            f[k++] = (struct first){ cw_kd_rank(p, map[l]), map[l] };
    qsort(f, k, sizeof *f, first_cmp);
    /* Reuse map: old label -> new label, through each first member. */
    for (size_t r = 0; r < k; r++)
        map[c->label[f[r].id]] = (uint32_t)r;
    for (size_t i = 0; i < n; i++)
        if (c->label[i] >= 0)
            c->label[i] = (int)map[c->label[i]];
    c->nclusters = k;
out:
    free(map);
    free(f);
}
