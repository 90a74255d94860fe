/* The verify report as programs outside the library see it: opaque, read
 * through these functions (docs/library.md). */
#include "idp_package.h"

#include <stdlib.h>

idp_status idp_verify_report_create(idp_ctx *ctx, idp_verify_report **out)
{
    idp_verify_report *report = calloc(1, sizeof(*report));

    *out = NULL;
    if (report == NULL)
        return idp_fail(ctx, IDP_E_NOMEM, "out of memory");
    *out = report;
    return IDP_OK;
}

void idp_verify_report_destroy(idp_verify_report *report)
{
    if (report == NULL)
        return;
    idp_verify_report_free(report);
    free(report);
}

size_t idp_verify_report_problems(const idp_verify_report *report)
{
    return report->n_problems;
}

idp_problem_kind idp_verify_report_problem(const idp_verify_report *report, size_t i,
                                           const char **file, const char **detail)
{
    const idp_problem *p = i < report->n_problems ? &report->problems[i] : NULL;

    if (file != NULL)
        *file = p != NULL ? p->file : NULL;
    if (detail != NULL)
        *detail = p != NULL ? p->detail : NULL;
    return p != NULL ? p->kind : IDP_PROBLEM_MALFORMED;
}

size_t idp_verify_report_files_ok(const idp_verify_report *report)
{
    return report->n_files_ok;
}

const char *idp_verify_report_reference(const idp_verify_report *report)
{
    return report->reference;
}

bool idp_verify_report_signature(const idp_verify_report *report, bool *ok)
{
    if (ok != NULL)
        *ok = report->signature_checked && report->signature_ok;
    return report->signature_checked;
}
