/* STUB: replaced by its module's implementation. */
#include "idp_check.h"
const char *idp_check_name(idp_check_id id) { (void)id; return "?"; }
const char *idp_check_status_name(idp_check_status s) { (void)s; return "?"; }
const char *idp_verdict_name(idp_verdict v) { (void)v; return "?"; }
idp_status idp_check_file(idp_ctx *ctx, const char *path, const idp_policy *policy, idp_check_report *report)
{ (void)policy; report->verdict = IDP_VERDICT_ERROR; report->n_checks = 0; return idp_fail(ctx, IDP_E_INTERNAL, "%s: not implemented", path); }
idp_status idp_check_image(idp_ctx *ctx, const idp_image *img, const idp_image_info *info, const idp_policy *policy, idp_check_report *report)
{ (void)img; (void)info; (void)policy; (void)report; return idp_fail(ctx, IDP_E_INTERNAL, "not implemented"); }
void idp_check_duplicates(idp_check_report *reports, size_t n, const idp_policy *policy) { (void)reports; (void)n; (void)policy; }
const idp_check_result *idp_report_find(const idp_check_report *report, idp_check_id id) { (void)report; (void)id; return NULL; }
