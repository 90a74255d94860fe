/* STUB: replaced by its module's implementation. */
#include "idp_load.h"
#include "idp_codecs.h"
idp_format idp_detect_format(const uint8_t *buf, size_t len) { (void)buf; (void)len; return IDP_FORMAT_UNKNOWN; }
const char *idp_format_name(idp_format f) { (void)f; return "unknown"; }
idp_status idp_load_file(idp_ctx *ctx, const char *path, const idp_load_opts *opts, idp_image **out, idp_image_info *info)
{ (void)opts; (void)info; *out = NULL; return idp_fail(ctx, IDP_E_INTERNAL, "%s: not implemented", path); }
idp_status idp_load_memory(idp_ctx *ctx, const char *name, const uint8_t *buf, size_t len, const idp_load_opts *opts, idp_image **out, idp_image_info *info)
{ (void)buf; (void)len; (void)opts; (void)info; *out = NULL; return idp_fail(ctx, IDP_E_INTERNAL, "%s: not implemented", name); }
idp_status idp_probe_memory(idp_ctx *ctx, const char *name, const uint8_t *buf, size_t len, idp_image_info *info)
{ (void)buf; (void)len; (void)info; return idp_fail(ctx, IDP_E_INTERNAL, "%s: not implemented", name); }
idp_status idp_check_dimensions(idp_ctx *ctx, const char *name, uint32_t w, uint32_t h)
{ (void)w; (void)h; return idp_fail(ctx, IDP_E_INTERNAL, "%s: not implemented", name); }
