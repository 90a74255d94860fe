/* The build's options and result as programs outside the library see
 * them: opaque, set and read through these functions (docs/library.md). */
#include "idp_build.h"

#include "idpack.h"

#include <stdlib.h>
#include <string.h>
#include <time.h>

idp_status idp_build_opts_create(idp_ctx *ctx, idp_build_opts **out)
{
    idp_build_opts *opts = calloc(1, sizeof(*opts));

    *out = NULL;
    if (opts == NULL)
        return idp_fail(ctx, IDP_E_NOMEM, "out of memory");
    opts->template_id = "2fa-reset";
    opts->lang = "en";
    opts->date = (int64_t)time(NULL);
    opts->tool_version = IDPACK_VERSION_STRING;
    *out = opts;
    return IDP_OK;
}

void idp_build_opts_destroy(idp_build_opts *opts)
{
    free(opts);
}

void idp_build_opts_set_photos(idp_build_opts *opts, const char *front, const char *back)
{
    opts->front_path = front;
    opts->back_path = back;
}

void idp_build_opts_set_form(idp_build_opts *opts, const idp_form *form)
{
    opts->form = form;
}

void idp_build_opts_set_template(idp_build_opts *opts, const char *templates_dir,
                                 const char *template_id, const char *lang)
{
    opts->templates_dir = templates_dir;
    opts->template_id = template_id != NULL ? template_id : "2fa-reset";
    opts->lang = lang != NULL ? lang : "en";
}

void idp_build_opts_set_out_dir(idp_build_opts *opts, const char *dir, bool force)
{
    opts->out_dir = dir;
    opts->force = force;
}

void idp_build_opts_set_date(idp_build_opts *opts, int64_t t, const char *today)
{
    opts->date = t;
    opts->today = today;
}

idp_status idp_build_opts_set_paper(idp_ctx *ctx, idp_build_opts *opts, const char *paper)
{
    if (paper == NULL)
        opts->paper_set = false;
    else if (strcmp(paper, "a4") == 0 || strcmp(paper, "letter") == 0) {
        opts->paper_set = true;
        opts->paper = paper[0] == 'a' ? IDP_PAPER_A4 : IDP_PAPER_LETTER;
    } else
        return idp_fail(ctx, IDP_E_USAGE, "paper: \"a4\" or \"letter\"");
    return IDP_OK;
}

void idp_build_opts_set_font(idp_build_opts *opts, const char *font_path)
{
    opts->font_path = font_path;
}

void idp_build_opts_set_sign_key(idp_build_opts *opts, const char *key_path)
{
    opts->sign_key = key_path;
}

void idp_build_opts_set_policy(idp_build_opts *opts, const idp_policy *policy)
{
    opts->policy = policy;
}

idp_status idp_build_result_create(idp_ctx *ctx, idp_build_result **out)
{
    idp_build_result *result = calloc(1, sizeof(*result));

    *out = NULL;
    if (result == NULL)
        return idp_fail(ctx, IDP_E_NOMEM, "out of memory");
    *out = result;
    return IDP_OK;
}

void idp_build_result_destroy(idp_build_result *result)
{
    if (result == NULL)
        return;
    for (size_t i = 0; i < 2; i++)
        if (result->reports[i].has_mrz)
            idp_mrz_wipe(&result->reports[i].mrz);
    idp_wipe(result, sizeof(*result));
    free(result);
}

const char *idp_build_result_reference(const idp_build_result *result)
{
    return result->reference;
}

const char *idp_build_result_created(const idp_build_result *result)
{
    return result->created;
}

const char *idp_build_result_pdf_sha256(const idp_build_result *result)
{
    return result->pdf_sha256;
}

const char *idp_build_result_warning(const idp_build_result *result)
{
    return result->warning;
}

size_t idp_build_result_photos(const idp_build_result *result)
{
    return result->n_photos;
}

const idp_check_report *idp_build_result_report(const idp_build_result *result, size_t i)
{
    return i < result->n_photos && i < 2 ? &result->reports[i] : NULL;
}

const char *idp_build_result_paper(const idp_build_result *result)
{
    if (result->reference[0] == '\0')
        return "";
    return result->paper == IDP_PAPER_LETTER ? "letter" : "a4";
}

uint64_t idp_build_result_bytes(const idp_build_result *result)
{
    return result->total_bytes;
}

bool idp_build_result_signed(const idp_build_result *result)
{
    return result->signed_manifest;
}
