/* The limits on untrusted input the tool sets on each context it makes:
 * the library's defaults, and the memory budget per photo from the
 * environment (IDPACK_DECODE_MEMORY_MB, docs/bad-input.md). */
#include "tool.h"

#include <stdio.h>
#include <stdlib.h>

#define DECODE_MB_MAX 65536u

void tool_apply_limits(idp_ctx *ctx)
{
    const char *v = getenv("IDPACK_DECODE_MEMORY_MB");
    unsigned mb;

    if (v == NULL || *v == '\0')
        return;
    if (!tool_parse_u32(v, DECODE_MB_MAX, &mb)) {
        fprintf(stderr,
                "idpack: IDPACK_DECODE_MEMORY_MB must be a number of MiB from 1 to %u; the "
                "default of %u MiB is used\n",
                DECODE_MB_MAX, (unsigned)(idp_limit_default(IDP_LIMIT_DECODE_BYTES) >> 20));
        return;
    }
    (void)idp_ctx_set_limit(ctx, IDP_LIMIT_DECODE_BYTES, (uint64_t)mb << 20); /* mb >= 1 */
}
