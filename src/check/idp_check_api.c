/* The check report and the policy as programs outside the library see
 * them: opaque, made and read through these functions (docs/library.md). */
#include "idp_check.h"

#include <stdlib.h>
#include <string.h>

idp_status idp_policy_create(idp_ctx *ctx, idp_policy **out)
{
    idp_policy *policy = malloc(sizeof(*policy));

    *out = NULL;
    if (policy == NULL)
        return idp_fail(ctx, IDP_E_NOMEM, "out of memory");
    idp_policy_default(policy);
    *out = policy;
    return IDP_OK;
}

void idp_policy_destroy(idp_policy *policy)
{
    free(policy);
}

idp_status idp_check_report_create(idp_ctx *ctx, idp_check_report **out)
{
    idp_check_report *report = calloc(1, sizeof(*report));

    *out = NULL;
    if (report == NULL)
        return idp_fail(ctx, IDP_E_NOMEM, "out of memory");
    report->verdict = IDP_VERDICT_ERROR; /* nothing checked yet */
    report->load_status = IDP_E_USAGE;
    *out = report;
    return IDP_OK;
}

void idp_check_report_destroy(idp_check_report *report)
{
    if (report == NULL)
        return;
    if (report->has_mrz)
        idp_mrz_wipe(&report->mrz);
    idp_wipe(report, sizeof(*report));
    free(report);
}

idp_verdict idp_check_report_verdict(const idp_check_report *report)
{
    return report->verdict;
}

idp_status idp_check_report_load_status(const idp_check_report *report)
{
    return report->load_status;
}

size_t idp_check_report_count(const idp_check_report *report)
{
    return report->n_checks;
}

const idp_check_result *idp_check_report_result(const idp_check_report *report, size_t i)
{
    return i < report->n_checks && i < IDP_CHECK_COUNT ? &report->checks[i] : NULL;
}

void idp_check_report_size(const idp_check_report *report, uint32_t *width, uint32_t *height)
{
    *width = report->info.width;
    *height = report->info.height;
}

const char *idp_check_report_document(const idp_check_report *report, double quad[4][2],
                                      double *confidence)
{
    if (confidence != NULL)
        *confidence = report->document.confidence;
    if (!report->document.found)
        return NULL;
    if (quad != NULL)
        memcpy(quad, report->document.quad, sizeof(report->document.quad));
    return idp_doc_kind_name(report->document.kind);
}

idp_status idp_check_report_duplicates(idp_ctx *ctx, idp_check_report *const *reports, size_t n,
                                       const idp_policy *policy)
{
    idp_check_report *all;
    size_t bytes;

    if (n == 0)
        return IDP_OK;
    if (reports == NULL || !idp_mul_size(n, sizeof(*all), &bytes))
        return idp_fail(ctx, IDP_E_USAGE, "duplicates: no reports");
    all = malloc(bytes);
    if (all == NULL)
        return idp_fail(ctx, IDP_E_NOMEM, "out of memory");
    for (size_t i = 0; i < n; i++)
        all[i] = *reports[i];
    idp_check_duplicates(all, n, policy);
    for (size_t i = 0; i < n; i++)
        *reports[i] = all[i];
    idp_wipe(all, bytes);
    free(all);
    return IDP_OK;
}

void idp_check_report_clear(idp_check_report *report)
{
    idp_wipe(report, sizeof(*report)); /* the zone read is personal data */
    report->verdict = IDP_VERDICT_ERROR;
    report->load_status = IDP_E_USAGE;
}

uint32_t idp_check_report_pages(const idp_check_report *report)
{
    return report->info.pages;
}

const char *idp_check_report_format(const idp_check_report *report)
{
    return report->info.format != IDP_FORMAT_UNKNOWN ? idp_format_name(report->info.format) : NULL;
}

const char *idp_check_report_icc_ignored(const idp_check_report *report)
{
    return report->info.icc_ignored;
}

const idp_document *idp_check_report_detection(const idp_check_report *report)
{
    return idp_report_find(report, IDP_CHECK_DOCUMENT) != NULL ? &report->document : NULL;
}

const idp_mrz *idp_check_report_mrz(const idp_check_report *report)
{
    return report->has_mrz ? &report->mrz : NULL;
}

void idp_policy_set_mrz_read(idp_policy *policy, bool read)
{
    policy->mrz_read = read ? 1 : 0;
}

bool idp_policy_mrz_read(const idp_policy *policy)
{
    return policy->mrz_read != 0;
}

double idp_policy_corners_margin(const idp_policy *policy)
{
    return policy->corners_margin;
}

size_t idp_check_report_glare_count(const idp_check_report *report)
{
    return report->n_glare < IDP_GLARE_MAX_BLOBS ? report->n_glare : IDP_GLARE_MAX_BLOBS;
}

bool idp_check_report_glare_quad(const idp_check_report *report, size_t i, double quad[4][2])
{
    if (i >= idp_check_report_glare_count(report))
        return false;
    memcpy(quad, report->glare[i].quad, sizeof(report->glare[i].quad));
    return true;
}

bool idp_check_report_covered(const idp_check_report *report, double point[2])
{
    if (!report->has_covered)
        return false;
    point[0] = report->covered[0];
    point[1] = report->covered[1];
    return true;
}

void idp_check_report_copy(idp_check_report *dst, const idp_check_report *src)
{
    if (dst == src)
        return;
    idp_check_report_clear(dst);
    *dst = *src; /* plain data: the zone read is held by value */
}
