/* STUB: replaced by its module's implementation. */
#include "idp_normalize.h"
void idp_normalize_opts_default(idp_normalize_opts *o) { o->max_side = 2000; o->quality = 88; o->max_bytes = 9000000u; o->force = false; }
idp_status idp_normalize_image(idp_ctx *ctx, const idp_image *img, const idp_normalize_opts *opts, uint8_t **jpeg, size_t *len, idp_normalize_result *res)
{ (void)img; (void)opts; (void)jpeg; (void)len; (void)res; return idp_fail(ctx, IDP_E_INTERNAL, "not implemented"); }
idp_status idp_normalize_file(idp_ctx *ctx, const char *in_path, const char *out_path, const idp_normalize_opts *opts, idp_normalize_result *res)
{ (void)out_path; (void)opts; (void)res; return idp_fail(ctx, IDP_E_INTERNAL, "%s: not implemented", in_path); }
