/* fuzz_classmap.c: libFuzzer harness for GI class maps (cw_classmap_parse,
 * the parser of `cityweave green --class-map FILE` and of the presets).
 * Promises checked on what it accepts: values sorted and unique, every
 * class a valid field-name part, every value found again by lookup.
 * SPDX-License-Identifier: MIT
 */
#include <ctype.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "fuzz.h"

static int valid_class(const char *s)
{
    if (!*s)
        return 0;
    for (; *s; s++)
        if (!isalnum((unsigned char)*s) && *s != '_')
            return 0;
    return 1;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    struct cw_ctx *ctx = fuzz_ctx();
    struct cw_giclasses reg = { 0 };
    struct cw_classmap m;
    char *text = malloc(size + 1);
    if (!text)
        return 0;
    memcpy(text, data, size);
    text[size] = '\0';
    if (cw_classmap_parse(ctx, "fuzz", text, &reg, &m) == CW_OK) {
        for (size_t i = 0; i < m.n; i++) {
            if (!*m.e[i].value || (i && strcmp(m.e[i - 1].value, m.e[i].value) >= 0))
                abort();
            if (m.e[i].cls < 0 || (size_t)m.e[i].cls >= reg.n || !valid_class(reg.name[m.e[i].cls]))
                abort();
            if (cw_classmap_lookup(&m, &reg, m.e[i].value) != m.e[i].cls)
                abort();
        }
        cw_classmap_release(&m);
    }
    cw_giclasses_release(&reg);
    free(text);
    return 0;
}
