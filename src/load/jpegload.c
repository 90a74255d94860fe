/* STUB: replaced by its module's implementation. */
#include "idp_codecs.h"
idp_status idp_jpeg_decode(idp_ctx *ctx, const char *name, const uint8_t *buf, size_t len, uint32_t min_side, bool header_only, idp_image **out, idp_image_info *info, idp_raw_meta *meta)
{ (void)buf; (void)len; (void)min_side; (void)header_only; (void)out; (void)info; (void)meta; return idp_fail(ctx, IDP_E_INTERNAL, "%s: not implemented", name); }
