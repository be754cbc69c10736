/* gridlabel.c: two-pass connected-region labelling of grid cells.
 * SPDX-License-Identifier: MIT
 */
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "gridlabel.h"
#include "unionfind.h"

void cw_regions_release(struct cw_regions *r)
{
    free(r->pop);
    free(r->m2);
    memset(r, 0, sizeof *r);
}

struct forest {
    uint32_t *parent;    /* provisional label -> parent; 0 unused */
    size_t n, cap;
};

static uint32_t new_label(struct forest *f)
{
    if (f->n + 1 >= f->cap) {
        size_t cap = f->cap ? 2 * f->cap : 1024;
        uint32_t *p = realloc(f->parent, cap * sizeof *p);
        if (!p)
            return 0;
        f->parent = p;
        f->cap = cap;
    }
    f->n++;
    f->parent[f->n] = (uint32_t)f->n;
    return (uint32_t)f->n;
}

/* Joins the trees of a and b under the smaller root, so a region's root
 * is its first provisional label. @return that root. */
static uint32_t join(struct forest *f, uint32_t a, uint32_t b)
{
    a = cw_uf_find(f->parent, a);
    b = cw_uf_find(f->parent, b);
    if (a < b) {
        f->parent[b] = a;
        return a;
    }
    f->parent[a] = b;
    return b;
}

/* First pass: each cell takes the label of its already-visited neighbours
 * (west, north-west, north, north-east), uniting them when they differ. */
static int first_pass(const struct cw_grid *g, const uint8_t *m, uint8_t bits, int conn,
                      int32_t *lab, struct forest *f)
{
    static const int dr[4] = {0, -1, -1, -1}, dc[4] = {-1, 0, -1, 1};
    int nn = conn == 8 ? 4 : 2;   /* 4-connected: west and north only */
    for (int r = 0; r < g->ny; r++)
        for (int c = 0; c < g->nx; c++) {
            size_t i = (size_t)r * g->nx + c;
            uint32_t l = 0;
            lab[i] = 0;
            if (!(m[i] & bits))
                continue;
            for (int k = 0; k < nn; k++) {
                int rr = r + dr[k], cc = c + dc[k];
                if (rr < 0 || cc < 0 || cc >= g->nx)
                    continue;
                int32_t o = lab[(size_t)rr * g->nx + cc];
                if (o > 0)
                    l = l ? join(f, l, (uint32_t)o) : (uint32_t)o;
            }
            if (!l && !(l = new_label(f)))
                return CW_ERR_NOMEM;
            lab[i] = (int32_t)l;
        }
    return CW_OK;
}

/* Sums population and area per root, then gives the kept roots their
 * final ids in row-major order of first cells (roots are first labels,
 * and labels were handed out in row-major order). */
static int final_pass(const struct cw_grid *g, const struct cw_areas *a, const float *pop,
                      double minpop, int32_t *lab, struct forest *f, struct cw_regions *out)
{
    size_t n = (size_t)g->nx * g->ny;
    double *sum = calloc(f->n + 1, sizeof *sum), *m2 = calloc(f->n + 1, sizeof *m2);
    int32_t *id = calloc(f->n + 1, sizeof *id);
    int nid = 0, rc = CW_OK;
    if (!sum || !m2 || !id) {
        rc = CW_ERR_NOMEM;
        goto out;
    }
    for (size_t i = 0; i < n; i++)
        if (lab[i] > 0) {
            uint32_t r = cw_uf_find(f->parent, (uint32_t)lab[i]);
            lab[i] = (int32_t)r;
            if (pop[i] > 0)
                sum[r] += pop[i];
            m2[r] += cw_area_at(a, (int)(i / g->nx), (int)(i % g->nx));
        }
    for (size_t r = 1; r <= f->n; r++)
        if (f->parent[r] == r && sum[r] >= minpop)
            id[r] = ++nid;
    if (out) {
        out->n = nid;
        out->pop = calloc((size_t)nid + 1, sizeof *out->pop);
        out->m2 = calloc((size_t)nid + 1, sizeof *out->m2);
        if (!out->pop || !out->m2) {
            rc = CW_ERR_NOMEM;
            goto out;
        }
        for (size_t r = 1; r <= f->n; r++)
            if (id[r]) {
                out->pop[id[r]] = sum[r];
                out->m2[id[r]] = m2[r];
            }
    }
    for (size_t i = 0; i < n; i++)
        if (lab[i] > 0)
            lab[i] = id[lab[i]];
out:
    free(sum);
    free(m2);
    free(id);
    return rc;
}

int cw_grid_label(struct cw_ctx *ctx, const struct cw_grid *g, const struct cw_areas *a,
                  const float *pop, const uint8_t *m, uint8_t bits, int conn,
                  double minpop, int32_t *lab, struct cw_regions *out)
{
    struct forest f = {0};
    if (out)
        memset(out, 0, sizeof *out);
    int rc = first_pass(g, m, bits, conn, lab, &f);
    if (!rc)
        rc = final_pass(g, a, pop, minpop, lab, &f, out);
    free(f.parent);
    if (rc && out)
        cw_regions_release(out);
    return rc ? cw_ctx_error(ctx, rc, "out of memory labelling grid regions") : CW_OK;
}
