/* grow.h: realloc for arrays that run to hundreds of megabytes.
 * SPDX-License-Identifier: MIT
 */
#ifndef CW_GROW_H
#define CW_GROW_H

#include <stddef.h>

/** realloc(@p p, @p n * @p size), NULL on overflow too; a large block is
 *  marked for transparent huge pages. */
void *cw_realloc_big(void *p, size_t n, size_t size);

#endif
