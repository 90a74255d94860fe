/* A batch's finished rows: recorded in the ledger and written to the
 * reports in CSV order as they come; and what frees a row and a report. */
#define _GNU_SOURCE

#include "idp_batch.h"

#include "idp_batch_int.h"
#include "idp_build_record.h"
#include "idp_date.h"
#include "idp_io.h"
#include "idp_ledger.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

/* ---- The ledger ---- */

/* "YYYY-MM-DDTHH:MM:SSZ" (as the manifest writes it) to Unix time. */
static bool parse_created(const char *s, int64_t *out)
{
    return strlen(s) == 20 && idp_time_parse_iso(s, out);
}

/* Records a package in the ledger (idp_build_record_package): built now,
 * or found in place on --resume (then only if the ledger does not know it yet, which is the
 * case when a run was killed between writing it and recording it). */
static void record(batch_run *b, idp_ctx *ctx, slot *s)
{
    const idp_batch_opts *o = b->opts;
    idp_batch_row *r = &s->row;
    idp_ledger_package lp;
    idp_status st;
    char *folder;
    char reason[IDP_BATCH_REASON_MAX];
    size_t need = strlen(b->abs_out) + strlen(r->package) + 2;

    folder = malloc(need);
    if (folder == NULL) {
        st = idp_fail(ctx, IDP_E_NOMEM, batch_tr(idp_ctx_lang(ctx), "out of memory"));
        goto failed;
    }
    snprintf(folder, need, "%s/%s", b->abs_out, r->package);
    memset(&lp, 0, sizeof(lp));
    lp.created = o->date;
    if (r->status == IDP_ROW_SKIPPED && !parse_created(s->extra.created, &lp.created))
        lp.created = o->date;
    lp.reference = r->reference;
    lp.customer = r->customer;
    lp.account_email = s->extra.account_email;
    lp.lang = s->lang != NULL ? s->lang : o->default_lang;
    lp.folder = folder;
    lp.pdf_sha256 = s->extra.pdf_sha256;
    st = idp_build_record_package(ctx, o->ledger, o->agent, &lp, r->status == IDP_ROW_SKIPPED);
    free(folder);
    if (st == IDP_OK)
        return;
failed:
    snprintf(
        reason, sizeof(reason),
        batch_tr(idp_ctx_lang(ctx), "the package is in place but not recorded in the ledger: %s"),
        idp_ctx_error(ctx));
    {
        /* the ledger named by its file name, not its absolute path */
        char *dir = strdup(idp_ledger_path(o->ledger)), *slash;
        if (dir != NULL && !idp_ledger_is_uri(dir) && (slash = strrchr(dir, '/')) != NULL &&
            slash != dir) {
            *slash = '\0';
            batch_cut_prefix(reason, dir);
        }
        free(dir);
    }
    idp_ctx_clear(ctx);
    batch_row_fail(r, st, reason);
}

void batch_slot_clear(slot *s)
{
    idp_csv_row_free(s->src);
    idp_batch_row_clear(&s->row);
    if (s->extra.account_email != NULL)
        idp_free_wiped(s->extra.account_email, strlen(s->extra.account_email));
    free(s->front);
    free(s->back);
    free(s->out_path);
    free(s->buf);
    memset(s, 0, sizeof(*s));
    s->fd = -1;
}

/* Writes the finished rows at the head of the window, in CSV order. */
idp_status batch_emit(idp_ctx *ctx, batch_run *b)
{
    const idp_batch_opts *o = b->opts;

    while (b->head < b->tail) {
        slot *s = &b->slots[b->head % b->n_slots];
        idp_status st;
        if (!s->done)
            break;
        if (o->ledger != NULL && (s->row.status == IDP_ROW_OK || s->row.status == IDP_ROW_SKIPPED))
            record(b, ctx, s);
        st = idp_report_add(ctx, b->writer, &s->row);
        if (st != IDP_OK)
            return st;
        b->progress.done++;
        if (s->row.status == IDP_ROW_OK)
            b->progress.ok++, b->report->ok++;
        else if (s->row.status == IDP_ROW_SKIPPED)
            b->progress.skipped++, b->report->skipped++;
        else
            b->progress.failed++, b->report->failed++;
        if (s->row.status != IDP_ROW_FAILED && s->row.n_warnings > 0)
            b->report->warned++;
        b->report->n_rows++;
        if (o->on_row != NULL)
            o->on_row(o->row_user, &s->row);
        if (o->progress != NULL)
            o->progress(o->progress_user, &b->progress);
        batch_slot_clear(s);
        b->head++;
    }
    return IDP_OK;
}

static void free_list(char **l, size_t n)
{
    for (size_t i = 0; i < n; i++)
        free(l[i]);
    free(l);
}

void idp_batch_row_clear(idp_batch_row *r)
{
    if (r == NULL)
        return;
    free(r->customer);
    free(r->package);
    free_list(r->reasons, r->n_reasons);
    free_list(r->warnings, r->n_warnings);
    memset(r, 0, sizeof(*r));
}

void idp_batch_report_free(idp_batch_report *report)
{
    if (report != NULL)
        memset(report, 0, sizeof(*report));
}

const char *idp_row_status_name(idp_row_status status)
{
    switch (status) {
    case IDP_ROW_OK:
        return "ok";
    case IDP_ROW_FAILED:
        return "failed";
    case IDP_ROW_SKIPPED:
        return "skipped";
    }
    return "failed";
}
