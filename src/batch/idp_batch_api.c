/* The batch's public functions (docs/library.md): its options, summary,
 * rows, progress and the result of a merge are opaque to programs outside
 * the library, made, set and read through these. */
#include "idp_batch.h"
#include "idpack.h"

#include <stdlib.h>
#include <string.h>

/* ---- Options ---------------------------------------------------------- */

idp_status idp_batch_opts_create(idp_ctx *ctx, idp_batch_opts **out)
{
    idp_batch_opts *o = calloc(1, sizeof(*o));

    *out = NULL;
    if (o == NULL)
        return idp_fail(ctx, IDP_E_NOMEM, "batch: out of memory");
    o->jobs = 1;
    o->default_lang = "en";
    o->tool_version = IDPACK_VERSION_STRING;
    *out = o;
    return IDP_OK;
}

void idp_batch_opts_destroy(idp_batch_opts *opts)
{
    free(opts);
}

void idp_batch_opts_set_csv(idp_batch_opts *opts, const char *csv_path, const char *out_dir)
{
    opts->csv_path = csv_path;
    opts->out_dir = out_dir;
}

void idp_batch_opts_set_template(idp_batch_opts *opts, const char *templates_dir,
                                 const char *template_id)
{
    opts->templates_dir = templates_dir;
    opts->template_id = template_id;
}

void idp_batch_opts_set_jobs(idp_batch_opts *opts, unsigned jobs)
{
    opts->jobs = jobs > 0 ? jobs : 1;
}

void idp_batch_opts_set_resume(idp_batch_opts *opts, bool resume)
{
    opts->resume = resume;
}

void idp_batch_opts_set_allow_outside(idp_batch_opts *opts, bool allow)
{
    opts->allow_outside = allow;
}

void idp_batch_opts_set_lang(idp_batch_opts *opts, const char *lang)
{
    opts->default_lang = lang != NULL ? lang : "en";
}

void idp_batch_opts_set_date(idp_batch_opts *opts, int64_t t, const char *today, const char *zone)
{
    opts->date = t;
    opts->today = today;
    opts->today_zone = zone;
}

void idp_batch_opts_set_font(idp_batch_opts *opts, const char *font_path)
{
    opts->font_path = font_path;
}

void idp_batch_opts_set_policy(idp_batch_opts *opts, const idp_policy *policy)
{
    opts->policy = policy;
}

void idp_batch_opts_set_tool_version(idp_batch_opts *opts, const char *version)
{
    opts->tool_version = version;
}

void idp_batch_opts_set_ledger(idp_batch_opts *opts, idp_ledger *ledger, const char *agent)
{
    opts->ledger = ledger;
    opts->agent = agent;
}

void idp_batch_opts_set_progress(idp_batch_opts *opts, idp_batch_progress_fn fn, void *user)
{
    opts->progress = fn;
    opts->progress_user = user;
}

void idp_batch_opts_set_on_row(idp_batch_opts *opts, idp_batch_row_fn fn, void *user)
{
    opts->on_row = fn;
    opts->row_user = user;
}

void idp_batch_opts_set_row_limits(idp_batch_opts *opts, double seconds, uint64_t bytes)
{
    opts->row_seconds = seconds > 0 ? seconds : 0;
    opts->row_bytes = bytes;
}

void idp_batch_opts_set_shard(idp_batch_opts *opts, unsigned index, unsigned count,
                              void (*name)(void *user, const char *folder), void *user)
{
    opts->shard_index = index;
    opts->shard_count = count;
    opts->shard_name = name;
    opts->shard_name_user = user;
}

void idp_batch_opts_set_resume_name(idp_batch_opts *opts, const char *name)
{
    opts->resume_name = name;
}

void idp_batch_opts_set_allow_outside_name(idp_batch_opts *opts, const char *name)
{
    opts->allow_outside_name = name;
}

/* ---- The summary ------------------------------------------------------ */

idp_status idp_batch_report_create(idp_ctx *ctx, idp_batch_report **out)
{
    *out = calloc(1, sizeof(**out));
    return *out != NULL ? IDP_OK : idp_fail(ctx, IDP_E_NOMEM, "batch: out of memory");
}

void idp_batch_report_destroy(idp_batch_report *report)
{
    idp_batch_report_free(report);
    free(report);
}

size_t idp_batch_report_rows(const idp_batch_report *report)
{
    return report->n_rows;
}

size_t idp_batch_report_ok(const idp_batch_report *report)
{
    return report->ok;
}

size_t idp_batch_report_failed(const idp_batch_report *report)
{
    return report->failed;
}

size_t idp_batch_report_skipped(const idp_batch_report *report)
{
    return report->skipped;
}

size_t idp_batch_report_warned(const idp_batch_report *report)
{
    return report->warned;
}

size_t idp_batch_report_stale_removed(const idp_batch_report *report)
{
    return report->stale_removed;
}

const char *idp_batch_report_today(const idp_batch_report *report)
{
    return report->today;
}

const char *idp_batch_report_today_zone(const idp_batch_report *report)
{
    return report->today_zone;
}

/* ---- Rows and progress ------------------------------------------------ */

size_t idp_batch_row_number(const idp_batch_row *row)
{
    return row->row;
}

const char *idp_batch_row_customer(const idp_batch_row *row)
{
    return row->customer != NULL ? row->customer : "";
}

const char *idp_batch_row_package(const idp_batch_row *row)
{
    return row->package != NULL ? row->package : "";
}

const char *idp_batch_row_reference(const idp_batch_row *row)
{
    return row->reference;
}

idp_row_status idp_batch_row_status(const idp_batch_row *row)
{
    return row->status;
}

idp_status idp_batch_row_error(const idp_batch_row *row)
{
    return row->error;
}

size_t idp_batch_row_reasons(const idp_batch_row *row)
{
    return row->n_reasons;
}

const char *idp_batch_row_reason(const idp_batch_row *row, size_t i)
{
    return i < row->n_reasons ? row->reasons[i] : NULL;
}

size_t idp_batch_row_warnings(const idp_batch_row *row)
{
    return row->n_warnings;
}

const char *idp_batch_row_warning(const idp_batch_row *row, size_t i)
{
    return i < row->n_warnings ? row->warnings[i] : NULL;
}

size_t idp_batch_progress_total(const idp_batch_progress *p)
{
    return p->total;
}

size_t idp_batch_progress_done(const idp_batch_progress *p)
{
    return p->done;
}

size_t idp_batch_progress_ok(const idp_batch_progress *p)
{
    return p->ok;
}

size_t idp_batch_progress_failed(const idp_batch_progress *p)
{
    return p->failed;
}

size_t idp_batch_progress_skipped(const idp_batch_progress *p)
{
    return p->skipped;
}

/* ---- Merging shards --------------------------------------------------- */

idp_status idp_batch_merge_result_create(idp_ctx *ctx, idp_batch_merge_result **out)
{
    *out = calloc(1, sizeof(**out));
    return *out != NULL ? IDP_OK : idp_fail(ctx, IDP_E_NOMEM, "batch: out of memory");
}

void idp_batch_merge_result_destroy(idp_batch_merge_result *res)
{
    idp_batch_merge_result_free(res);
    free(res);
}

unsigned idp_batch_merge_result_count(const idp_batch_merge_result *res)
{
    return res->count;
}

size_t idp_batch_merge_result_missing(const idp_batch_merge_result *res)
{
    return res->n_missing;
}

unsigned idp_batch_merge_result_missing_shard(const idp_batch_merge_result *res, size_t i)
{
    return i < res->n_missing ? res->missing[i] : 0;
}

const idp_batch_report *idp_batch_merge_result_summary(const idp_batch_merge_result *res)
{
    return &res->sum;
}
