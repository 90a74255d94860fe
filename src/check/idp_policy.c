/* STUB: replaced by its module's implementation. */
#include "idp_policy.h"
void idp_policy_default(idp_policy *p) { (void)p; }
idp_status idp_policy_load(idp_ctx *ctx, const char *path, idp_policy *policy) { (void)policy; return idp_fail(ctx, IDP_E_INTERNAL, "%s: not implemented", path); }
