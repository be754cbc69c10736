/* fuzz_style.c: libFuzzer harness for the style syntax of `cityweave map`
 * (cw_style_parse on LAYER:STYLE text): no crash, no leak, and what it
 * accepts can be released and parsed again to the same answer.
 * SPDX-License-Identifier: MIT
 */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "fuzz.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    struct cw_ctx *ctx = fuzz_ctx();
    struct cw_style s;
    char *text = malloc(size + 1);
    if (!text)
        return 0;
    memcpy(text, data, size);
    text[size] = '\0';
    int rc = cw_style_parse(ctx, "fuzz", text, &s);
    if (rc == CW_OK)
        cw_style_release(&s);
    if (cw_style_parse(ctx, "fuzz", text, &s) != rc)
        abort();   /* the parser has no state between calls */
    if (rc == CW_OK)
        cw_style_release(&s);
    free(text);
    return 0;
}
