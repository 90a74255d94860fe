#include "testutil_ctx.h"

#include <stddef.h>

idp_ctx *ctx;

int tu_ctx_setup(void **state)
{
    (void)state;
    return idp_ctx_create(&ctx) == IDP_OK ? 0 : -1;
}

int tu_ctx_teardown(void **state)
{
    (void)state;
    idp_ctx_destroy(ctx);
    ctx = NULL;
    return 0;
}
