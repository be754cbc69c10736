/* degurba_edges.c: the two shape rules of urban centres: the iterated
 * majority rule on their edges and the filling of small holes.
 * SPDX-License-Identifier: MIT
 */
#include <stdlib.h>
#include <string.h>

#include "degurba_priv.h"

static const int DR[8] = {-1, -1, -1, 0, 0, 1, 1, 1};
static const int DC[8] = {-1, 0, 1, -1, 1, -1, 0, 1};

struct cells {
    uint32_t *v;
    size_t n, cap;
};

static int push(struct cells *s, uint32_t i)
{
    if (s->n == s->cap) {
        size_t cap = s->cap ? 2 * s->cap : 4096;
        uint32_t *v = realloc(s->v, cap * sizeof *v);
        if (!v)
            return CW_ERR_NOMEM;
        s->v = v;
        s->cap = cap;
    }
    s->v[s->n++] = i;
    return CW_OK;
}

/* The centre a cell joins under the GHSL 2023 majority rule, or 0: more
 * than half of the counted neighbours belong to it. Neighbours outside
 * the grid count (as not urban); water and unpeopled non-land cells do
 * not, unless they already belong to a centre. */
static int32_t majority(const struct cw_grid *g, const uint8_t *flags, const int32_t *lab,
                        int r, int c)
{
    int32_t id[8];
    int cnt[8], nid = 0, counted = 0;
    for (int k = 0; k < 8; k++) {
        int rr = r + DR[k], cc = c + DC[k];
        if (rr < 0 || cc < 0 || rr >= g->ny || cc >= g->nx) {
            counted++;
            continue;
        }
        size_t j = (size_t)rr * g->nx + cc;
        if (lab[j] > 0) {
            int m = 0;
            while (m < nid && id[m] != lab[j])
                m++;
            if (m == nid) {
                id[nid] = lab[j];
                cnt[nid++] = 0;
            }
            cnt[m]++;
            counted++;
        } else if (!(flags[j] & (F_WATER | F_IGNORE))) {
            counted++;
        }
    }
    int best = -1;
    for (int m = 0; m < nid; m++)
        if (best < 0 || cnt[m] > cnt[best] || (cnt[m] == cnt[best] && id[m] < id[best]))
            best = m;
    return best >= 0 && 2 * cnt[best] > counted ? id[best] : 0;
}

/* Cells next to the last additions that may join a centre, each once. */
static int candidates(const struct cw_grid *g, uint8_t *flags, const int32_t *lab,
                      const struct cells *added, struct cells *cand)
{
    cand->n = 0;
    for (size_t a = 0; a < added->n; a++) {
        int r = (int)(added->v[a] / (uint32_t)g->nx), c = (int)(added->v[a] % (uint32_t)g->nx);
        for (int k = 0; k < 8; k++) {
            int rr = r + DR[k], cc = c + DC[k];
            if (rr < 0 || cc < 0 || rr >= g->ny || cc >= g->nx)
                continue;
            size_t j = (size_t)rr * g->nx + cc;
            if (lab[j] || (flags[j] & (F_WATER | F_MARK)))
                continue;
            flags[j] |= F_MARK;
            if (push(cand, (uint32_t)j))
                return CW_ERR_NOMEM;
        }
    }
    for (size_t k = 0; k < cand->n; k++)
        flags[cand->v[k]] &= (uint8_t)~F_MARK;
    return CW_OK;
}

/* Synchronous rounds: every candidate is judged on the centres as they
 * were when the round began, then all joiners are added at once, until a
 * round adds nothing. Only cells next to the last round's additions can
 * change their verdict, so only they are judged again. */
int cw_degurba_smooth(struct cw_ctx *ctx, const struct cw_grid *g, uint8_t *flags,
                      int32_t *lab)
{
    struct cells added = {0}, cand = {0}, join = {0};
    size_t n = (size_t)g->nx * g->ny;
    int rc = CW_OK;
    for (size_t i = 0; i < n && !rc; i++)
        if (lab[i] > 0)
            rc = push(&added, (uint32_t)i);
    while (!rc && added.n > 0 && !(rc = candidates(g, flags, lab, &added, &cand))) {
        join.n = 0;
        int32_t *to = malloc((cand.n ? cand.n : 1) * sizeof *to);
        if (!to) {
            rc = CW_ERR_NOMEM;
            break;
        }
        size_t nj = 0;
        for (size_t k = 0; k < cand.n && !rc; k++) {
            uint32_t j = cand.v[k];
            int32_t id = majority(g, flags, lab, (int)(j / (uint32_t)g->nx),
                                  (int)(j % (uint32_t)g->nx));
            if (id) {
                to[nj++] = id;
                rc = push(&join, j);
            }
        }
        for (size_t k = 0; k < nj; k++)
            lab[join.v[k]] = to[k];
        free(to);
        struct cells t = added;
        added = join;
        join = t;
    }
    free(added.v);
    free(cand.v);
    free(join.v);
    return rc ? cw_ctx_error(ctx, rc, "out of memory smoothing urban centres") : CW_OK;
}

struct box {
    int r0, c0, r1, c1;
};

static int boxes(const struct cw_grid *g, const int32_t *lab, int n, struct box **out)
{
    struct box *b = malloc(((size_t)n + 1) * sizeof *b);
    if (!b)
        return CW_ERR_NOMEM;
    for (int k = 0; k <= n; k++)
        b[k] = (struct box){g->ny, g->nx, -1, -1};
    for (int r = 0; r < g->ny; r++)
        for (int c = 0; c < g->nx; c++) {
            int32_t k = lab[(size_t)r * g->nx + c];
            if (k <= 0)
                continue;
            if (r < b[k].r0) b[k].r0 = r;
            if (c < b[k].c0) b[k].c0 = c;
            if (r > b[k].r1) b[k].r1 = r;
            if (c > b[k].c1) b[k].c1 = c;
        }
    *out = b;
    return CW_OK;
}

/* One region of non-centre-k cells inside k's bounding box, found by
 * breadth-first search from cell s (box coordinates); its cells are left
 * in q[0..*len). It is a hole of k when it stays off the box edge and
 * holds no other centre (then every cell round it is k). */
static int hole(const struct cw_grid *g, const struct cw_areas *a, const int32_t *lab,
                int32_t k, const struct box *b, uint8_t *seen, uint32_t *q, uint32_t s,
                size_t *len, double *m2)
{
    int w = b->c1 - b->c0 + 1, h = b->r1 - b->r0 + 1, enclosed = 1;
    size_t head = 0, tail = 0;
    *m2 = 0;
    seen[s] = 1;
    q[tail++] = s;
    while (head < tail) {
        int r = (int)(q[head] / (uint32_t)w), c = (int)(q[head] % (uint32_t)w);
        head++;
        int32_t l = lab[(size_t)(r + b->r0) * g->nx + (c + b->c0)];
        if (r == 0 || c == 0 || r == h - 1 || c == w - 1 || l > 0)
            enclosed = 0;
        *m2 += cw_area_at(a, r + b->r0, c + b->c0);
        for (int d = 0; d < 8; d++) {
            int rr = r + DR[d], cc = c + DC[d];
            if (rr < 0 || cc < 0 || rr >= h || cc >= w)
                continue;
            uint32_t j = (uint32_t)(rr * w + cc);
            if (!seen[j] && lab[(size_t)(rr + b->r0) * g->nx + (cc + b->c0)] != k) {
                seen[j] = 1;
                q[tail++] = j;
            }
        }
    }
    *len = tail;
    return enclosed;
}

static int fill_one(const struct cw_grid *g, const struct cw_areas *a, int32_t *lab,
                    int32_t k, const struct box *b, double max_m2)
{
    int w = b->c1 - b->c0 + 1, h = b->r1 - b->r0 + 1;
    uint8_t *seen = calloc((size_t)w * h, 1);
    uint32_t *q = malloc((size_t)w * h * sizeof *q);
    if (!seen || !q) {
        free(seen);
        free(q);
        return CW_ERR_NOMEM;
    }
    for (int r = 1; r < h - 1; r++)
        for (int c = 1; c < w - 1; c++) {
            uint32_t s = (uint32_t)(r * w + c);
            size_t len;
            double m2;
            if (seen[s] || lab[(size_t)(r + b->r0) * g->nx + (c + b->c0)] == k)
                continue;
            if (!hole(g, a, lab, k, b, seen, q, s, &len, &m2) || m2 >= max_m2)
                continue;
            for (size_t t = 0; t < len; t++)
                lab[(size_t)(q[t] / (uint32_t)w + (uint32_t)b->r0) * g->nx +
                    (q[t] % (uint32_t)w + (uint32_t)b->c0)] = k;
        }
    free(seen);
    free(q);
    return CW_OK;
}

/* A hole of a centre lies inside the centre's bounding box, so each
 * centre is searched only there: the cost follows the centres' extent,
 * not the grid's. */
int cw_degurba_fill_gaps(struct cw_ctx *ctx, const struct cw_grid *g,
                         const struct cw_areas *a, int32_t *lab, int n, double max_m2)
{
    struct box *b = NULL;
    int rc = boxes(g, lab, n, &b);
    for (int k = 1; k <= n && !rc; k++)
        if (b[k].r1 - b[k].r0 >= 2 && b[k].c1 - b[k].c0 >= 2)
            rc = fill_one(g, a, lab, k, &b[k], max_m2);
    free(b);
    return rc ? cw_ctx_error(ctx, rc, "out of memory filling gaps in urban centres") : CW_OK;
}
