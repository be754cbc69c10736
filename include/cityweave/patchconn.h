/* patchconn.h: connectivity of habitat patches over their patch graph: the
 * integral index of connectivity (IIC), the probability of connectivity
 * (PC), the equivalent connectivity (EC) and each patch's importance dPC
 * with its intra, flux and connector fractions.
 * SPDX-License-Identifier: MIT
 *
 * References:
 *   Pascual-Hortal L, Saura S (2006) Comparison and development of new
 *     graph-based landscape connectivity indices. Landscape Ecol 21:959-967.
 *   Saura S, Pascual-Hortal L (2007) A new habitat availability index to
 *     integrate connectivity in landscape conservation planning. Landscape
 *     Urban Plan 83:91-103.
 *   Saura S, Rubio L (2010) A common currency for the different ways in
 *     which patches and links can contribute to habitat availability and
 *     connectivity in the landscape. Ecography 33:523-537.
 *
 * The graph: patches are nodes (area a_i in m2); the links are the
 * undirected pairs whose edge-to-edge distance d is at most the dispersal
 * distance (0 when the patches touch). The caller finds them; a link
 * longer than the dispersal distance is rejected, because IIC's binary
 * graph would not contain it. Parallel links are allowed (the shortest
 * counts), as is either order of a and b. With A_L the landscape area,
 * and sums over all ordered pairs (i, j), i = j included:
 *
 *   IIC = sum_i sum_j a_i a_j / (1 + nl_ij) / A_L^2, nl_ij the number of
 *         links on the shortest topological path (nl_ii = 0); pairs in
 *         different components add 0.
 *   PC  = sum_i sum_j a_i a_j p*_ij / A_L^2. A link has probability
 *         p_ij = P^(d_ij / dispersal), P = p_at_dispersal (1 when touching,
 *         P at the dispersal distance); p*_ij is the largest product of
 *         link probabilities over all paths, p*_ii = 1, 0 between
 *         components. Since -log p_ij is proportional to d_ij, the best
 *         path is the shortest one by distance: p*_ij = P^(D_ij/dispersal)
 *         with D_ij the shortest-path distance (Dijkstra), which is exact
 *         and avoids multiplying probabilities.
 *   EC  = sqrt(sum_i sum_j a_i a_j p*_ij), in m2 (= A_L sqrt(PC)): the area
 *         of one patch that would be as connected as the whole set.
 *   dPC_k = 100 (PC - PC_-k) / PC, PC_-k being PC without patch k and its
 *         links (same A_L), as percent. It splits (Saura and Rubio 2010)
 *         into intra_k = 100 a_k^2 / S, flux_k = 100 * 2 a_k sum_{j!=k}
 *         a_j p*_kj / S and connector_k = 100 * sum_{i,j != k} a_i a_j
 *         (p*_ij - p*_ij without k) / S, with S = sum sum a_i a_j p*_ij.
 *         Each part is summed directly (no difference of two PC values),
 *         so a small patch's dPC keeps its relative precision.
 *
 * n = 0 gives IIC = PC = EC = 0. If every area is 0, PC = 0 and every dPC
 * and fraction is 0. PC and IIC exceed 1 only if the areas sum to more
 * than A_L (e.g. cross-boundary patches measured whole).
 *
 * Exact dPC, and how: with the shortest-path distances from each source s
 * (Dijkstra), patch k changes p*_sj (j != s, k) only if k lies on every
 * shortest s-j path, i.e. k dominates j in the shortest-path DAG from s.
 * The dominator tree of that DAG (built in Dijkstra's order, ties by exact
 * equality of distances) gives, for each k, exactly the j whose distance
 * from s grows when k is removed: k's subtree. Those distances are
 * recomputed by a Dijkstra confined to the subtree, seeded from the
 * neighbours outside it (whose distances do not change); a subtree with
 * no neighbour outside loses all its pairs at once. So a node on no best
 * path alone, e.g. one of two equal routes, gets connector 0 without any
 * recomputation, and the result equals brute-force removal.
 *
 * Cost, per connected component of n_c patches and m_c links: IIC and PC
 * O(n_c (m_c + n_c log n_c)) time. dPC adds, per source, a confined
 * Dijkstra per node k over k's dominator subtree: in all, the sum over
 * ordered pairs (i, j) of the number of patches that lie on every
 * shortest i-j path, times degree and a log. On geometric patch graphs
 * that is n_c^2 times the mean number of hops of a best path, far more
 * than IIC and PC: 5,000 patches with 19,640 links in one component (a
 * random geometric graph, 4,301 patches are connectors) take about 5 s
 * of CPU for IIC and PC and 300 s for dPC, 1,000 with 3,856 links 0.15 s
 * and 3.7 s. On a long ladder, O(n_c^3). Subtrees cut off whole (trees,
 * chains, dead ends) cost O(1). Memory O(n + m) per thread (16 MB for
 * the 5,000). The confined searches of a source run on the context's
 * threads once it has 2,048 nodes with a subtree (cw_parallel_for's
 * smallest chunks); IIC and PC on one.
 * A component above opts->dpc_max_patches fails the call before any dPC
 * work on it (the caller may retry without dPC). Long calls report
 * progress through the context's callback, which may cancel them.
 *
 * Deterministic: links are put in a canonical order first, every choice
 * between equal distances goes to the lower index, and every sum runs in
 * a fixed order (by source patch, then by target or subtree; each
 * patch's connector sum by source), so neither link order nor the
 * thread count changes a bit of the result.
 *
 *   struct cw_conn_opts o = { 500.0, CW_CONN_P_DEFAULT, 1, 0 };
 *   struct cw_conn c;
 *   if (cw_patch_connectivity(ctx, n, area, nlinks, links, zone_m2, &o, &c)
 *       == CW_OK) {
 *       ... c.iic, c.pc, c.ec, c.dpc[k] ...
 *       cw_conn_release(&c);
 *   }
 */
#ifndef CITYWEAVE_PATCHCONN_H
#define CITYWEAVE_PATCHCONN_H

#include <stddef.h>
#include "cityweave/ctx.h"
#include "cityweave/proximity.h"

/** The usual probability of dispersal at the dispersal distance. */
#define CW_CONN_P_DEFAULT 0.5
/** The largest connected component whose dPC is computed by default. */
#define CW_CONN_DPC_MAX_DEFAULT 5000

struct cw_conn_opts {
    double dispersal_m;    /**< dispersal distance, > 0 and finite */
    double p_at_dispersal; /**< P in (0, 1]; CW_CONN_P_DEFAULT = 0.5 */
    int want_dpc;          /**< non-zero: fill the per-patch arrays */
    size_t dpc_max_patches; /**< with want_dpc, a connected component of
                                 more patches fails the call (CW_ERR_ARG,
                                 the message says so); 0 means
                                 CW_CONN_DPC_MAX_DEFAULT */
};

/** The indices; the arrays are owned, n entries each, NULL unless
 *  want_dpc (and NULL when n = 0). */
struct cw_conn {
    double iic, pc;        /**< both in [0, 1] when the areas fit in A_L */
    double ec;             /**< equivalent connectivity, m2 */
    size_t n;
    double *dpc;           /**< percent: dpc = intra + flux + connector */
    double *dpc_intra, *dpc_flux, *dpc_connector;
};

/** Computes the indices of @p n patches.
 *  @param[in] area_m2  n patch areas, finite and >= 0 (may be NULL if n = 0)
 *  @param[in] links    nlinks links between patches: a != b, both < n,
 *                      dist (edge to edge, m) finite, >= 0 and at most
 *                      opts->dispersal_m. struct cw_edge's a < b is not
 *                      required here; the links of a cw_edges fit as they are
 *  @param[in] landscape_m2  A_L, positive and finite
 *  @param[out] out     filled on success; zeroed on failure
 *  @return CW_OK; CW_ERR_DATA for a bad area, link or landscape area (the
 *          message names the patch or link); CW_ERR_ARG for bad options,
 *          n > UINT32_MAX, or when cancelled through the progress callback;
 *          CW_ERR_NOMEM. Release with cw_conn_release(). */
int cw_patch_connectivity(struct cw_ctx *ctx, size_t n, const double *area_m2,
                          size_t nlinks, const struct cw_edge *links,
                          double landscape_m2, const struct cw_conn_opts *opts,
                          struct cw_conn *out);

/** Frees the arrays and zeroes @p c; NULL and a zeroed struct are no-ops. */
void cw_conn_release(struct cw_conn *c);

#endif
