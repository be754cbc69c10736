/* layer_fields.c: a layer's attribute column read as numbers, with the
 * one-line errors every command gives for them.
 * SPDX-License-Identifier: MIT
 */
#include <math.h>
#include <stdio.h>

#include "cityweave/layer.h"
#include "cityweave/units.h"

int cw_layer_numbers(struct cw_ctx *ctx, const struct cw_layer *l, const char *path,
                     const char *field, const char *what, int required, double min,
                     double *out, size_t stride)
{
    int col = cw_table_find(&l->attrs, field);
    if (col < 0)
        return cw_ctx_error(ctx, CW_ERR_DATA, "'%s': no %s%sfield '%s'", path, what ? what : "",
                            what ? " " : "", field);
    for (size_t i = 0; i < l->attrs.nrows; i++) {
        const char *s = cw_table_get(&l->attrs, i, col);
        double v = 0;
        if ((s || required) && (!s || cw_parse_double(s, &v) != 0 || v < min)) {
            char floor[48] = "";
            if (isfinite(min))
                snprintf(floor, sizeof floor, " of %g or more", min);
            return cw_ctx_error(ctx, CW_ERR_DATA, "'%s' row %zu: %s '%s' is not a number%s",
                                path, i + 1, what ? what : field, s ? s : "", floor);
        }
        out[i * stride] = v;
    }
    return CW_OK;
}
