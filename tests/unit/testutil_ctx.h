/* The library context of a test program whose tests need nothing else:
 * tu_ctx_setup() makes ctx and tu_ctx_teardown() frees it, as the fixture
 * of each test or of the group (cmocka_run_group_tests). */
#ifndef IDP_TESTUTIL_CTX_H
#define IDP_TESTUTIL_CTX_H

#include "idp_ctx.h"

extern idp_ctx *ctx;

int tu_ctx_setup(void **state);
int tu_ctx_teardown(void **state);

#endif
