/* STUB: replaced by its module's implementation. */
#include "idp_orient.h"
idp_status idp_orient_apply(idp_ctx *ctx, const idp_image *in, int orientation, idp_image **out)
{ (void)in; (void)orientation; *out = NULL; return idp_fail(ctx, IDP_E_INTERNAL, "not implemented"); }
void idp_orient_size(uint32_t w, uint32_t h, int orientation, uint32_t *ow, uint32_t *oh)
{ (void)orientation; *ow = w; *oh = h; }
