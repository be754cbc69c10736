/* unionfind.h: the root of a disjoint-set forest, shared by the MST,
 * single linkage and the component count of large networks; private.
 * SPDX-License-Identifier: MIT
 */
#ifndef CW_UNIONFIND_H
#define CW_UNIONFIND_H

#include <stdint.h>

/* Root of @p i in @p parent (parent[r] == r at a root), halving the path
 * on the way: near-constant amortised time without a rank array. */
static inline uint32_t cw_uf_find(uint32_t *parent, uint32_t i)
{
    while (parent[i] != i) {
        parent[i] = parent[parent[i]];
        i = parent[i];
    }
    return i;
}

#endif
