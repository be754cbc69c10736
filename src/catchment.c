/* catchment.c: the place-to-centre rules: size classes, bands, the
 * hierarchical assignment and the Huff probabilities.
 * SPDX-License-Identifier: MIT
 */
#include <math.h>

#include "cityweave/catchment.h"

int cw_size_class(const struct cw_catchment_opts *o, double pop)
{
    int k = 0;
    while (k < o->nclasses && pop < o->classes[k])
        k++;
    return k + 1;
}

int cw_band(const struct cw_catchment_opts *o, double sep)
{
    if (o->nbands == 0)
        return 1;
    for (int b = 0; b < o->nbands; b++)
        if (sep <= o->bands[b])
            return b + 1;
    return 0;
}

static int reach(const struct cw_catchment_opts *o, double sep)
{
    return !isnan(sep) && (o->max_sep <= 0 || sep <= o->max_sep);
}

/* Is centre j a better choice than the best so far, by size class (when
 * @p by_size), then people, then separation? Index order settles ties. */
static int better(const struct cw_catchment_opts *o, const double *sep, const double *pop,
                  long best, size_t j, int by_size)
{
    if (best < 0)
        return 1;
    if (by_size) {
        int cj = cw_size_class(o, pop[j]), cb = cw_size_class(o, pop[best]);
        if (cj != cb)
            return cj < cb;
        if (pop[j] != pop[best])
            return pop[j] > pop[best];
    }
    return sep[j] < sep[best];
}

long cw_assign(const struct cw_catchment_opts *o, const double *sep, const double *pop,
               size_t n)
{
    for (int b = 0; b < o->nbands; b++) {
        long best = -1;
        for (size_t j = 0; j < n; j++)
            if (reach(o, sep[j]) && sep[j] <= o->bands[b] && better(o, sep, pop, best, j, 1))
                best = (long)j;
        if (best >= 0)
            return best;
    }
    long best = -1;
    for (size_t j = 0; j < n; j++)
        if (reach(o, sep[j]) && better(o, sep, pop, best, j, 0))
            best = (long)j;
    return best;
}

double cw_huff(const struct cw_catchment_opts *o, const double *sep, const double *pop,
               size_t n, double unit, double *prob)
{
    double sum = 0;
    for (size_t j = 0; j < n; j++) {
        double d = sep[j] / unit;
        prob[j] = reach(o, sep[j]) && pop[j] > 0
                      ? pow(pop[j], o->alpha) / pow(d > 0.001 ? d : 0.001, o->beta)
                      : 0;
        sum += prob[j];
    }
    for (size_t j = 0; j < n && sum > 0; j++)
        prob[j] /= sum;
    return sum;
}
