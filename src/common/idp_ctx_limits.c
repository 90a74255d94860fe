/* The limits on untrusted input as programs outside the library set them:
 * one limit at a time, by its idp_limit (docs/library.md). */
#include "idp_ctx.h"

static uint64_t limit_of(const idp_limits *lim, idp_limit which)
{
    switch (which) {
    case IDP_LIMIT_FILE_BYTES:
        return lim->max_file_bytes;
    case IDP_LIMIT_PIXELS:
        return lim->max_pixels;
    case IDP_LIMIT_SIDE:
        return lim->max_side;
    case IDP_LIMIT_DECODE_BYTES:
        return lim->max_decode_bytes;
    }
    return 0;
}

uint64_t idp_ctx_limit(const idp_ctx *ctx, idp_limit which)
{
    return limit_of(idp_ctx_limits(ctx), which);
}

uint64_t idp_limit_default(idp_limit which)
{
    idp_limits lim;

    idp_limits_default(&lim);
    return limit_of(&lim, which);
}

idp_status idp_ctx_set_limit(idp_ctx *ctx, idp_limit which, uint64_t value)
{
    idp_limits lim = *idp_ctx_limits(ctx);

    if (value == 0 && which != IDP_LIMIT_DECODE_BYTES)
        return idp_fail(ctx, IDP_E_USAGE, "limits: a limit of 0 would refuse every photo");
    switch (which) {
    case IDP_LIMIT_FILE_BYTES:
        lim.max_file_bytes = value;
        break;
    case IDP_LIMIT_PIXELS:
        lim.max_pixels = value;
        break;
    case IDP_LIMIT_SIDE:
        if (value > UINT32_MAX)
            return idp_fail(ctx, IDP_E_USAGE, "limits: a side is at most 4294967295 pixels");
        lim.max_side = (uint32_t)value;
        break;
    case IDP_LIMIT_DECODE_BYTES:
        lim.max_decode_bytes = value;
        break;
    default:
        return idp_fail(ctx, IDP_E_USAGE, "limits: unknown limit %d", (int)which);
    }
    idp_ctx_set_limits(ctx, &lim);
    return IDP_OK;
}
