/* The batch driver: a CSV of customers in (read as a stream, twice),
 * one package per row out, each row built in a child process of its own
 * (at most `jobs` at a time) with a time and a memory limit, the results
 * written to the reports in CSV order as they come. Rows are prepared in
 * CSV order on the calling thread (names, paths: cheap and deterministic).
 * The rows' preparation: idp_batch_prepare.c; their folder names:
 * idp_batch_names.c; their results: idp_batch_emit.c. */
#define _GNU_SOURCE /* flock() */

#include "idp_batch.h"

#include "idp_batch_int.h"
#include "idp_date.h"
#include "idp_io.h"
#include "idp_template.h"

#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/file.h>
#include <sys/stat.h>
#include <unistd.h>

/* ---- The run ---------------------------------------------------------- */

/* mkdir -p, each missing folder mode 0700. */
static idp_status make_dirs(idp_ctx *ctx, const char *dir)
{
    char *p = strdup(dir);
    idp_status st = IDP_OK;
    size_t n;

    if (p == NULL)
        return idp_fail(ctx, IDP_E_NOMEM, batch_tr(idp_ctx_lang(ctx), "out of memory"));
    n = strlen(p);
    for (size_t i = 1; i <= n && st == IDP_OK; i++) {
        if (p[i] != '/' && p[i] != '\0')
            continue;
        if (p[i - 1] == '/')
            continue;
        char save = p[i];
        p[i] = '\0';
        if (mkdir(p, 0700) != 0 && errno != EEXIST)
            st = idp_fail(ctx, IDP_E_CREATE, batch_tr(idp_ctx_lang(ctx), "%s: cannot create: %s"),
                          p, strerror(errno));
        p[i] = save;
    }
    free(p);
    return st;
}

/* Pass 2: read, prepare, build, report. */
static idp_status run_rows(idp_ctx *ctx, batch_run *b)
{
    idp_csv_reader *rd = NULL;
    idp_status st;
    bool eof = false;
    size_t row = 0, taken = 0;

    st = idp_csv_open(ctx, b->opts->csv_path, &rd);
    while (st == IDP_OK) {
        /* fill the window */
        while (!eof && b->tail - b->head < b->n_slots) {
            const idp_csv_row *src;
            slot *s;
            st = idp_csv_next(ctx, rd, &src);
            if (st != IDP_OK)
                break;
            if (src == NULL || row >= b->csv_rows) {
                eof = true; /* (rows added since pass 1 are not built) */
                break;
            }
            if (!batch_row_mine(b, src)) {
                row++; /* another shard's */
                continue;
            }
            taken++;
            s = &b->slots[b->tail % b->n_slots];
            s->used = true;
            s->fd = -1;
            s->src = idp_csv_take(rd);
            if (s->src == NULL) {
                st = idp_fail(ctx, IDP_E_NOMEM, batch_tr(idp_ctx_lang(ctx), "out of memory"));
                break;
            }
            b->tail++;
            st = batch_prepare_row(ctx, b, s, ++row);
            if (st != IDP_OK) {
                st = idp_fail(ctx, IDP_E_NOMEM, batch_tr(idp_ctx_lang(ctx), "out of memory"));
                break;
            }
            if (!s->ready)
                s->done = true;
        }
        if (st != IDP_OK)
            break;
        /* start rows, in order */
        for (size_t i = b->head; i < b->tail && b->running < b->opts->jobs && st == IDP_OK; i++) {
            slot *s = &b->slots[i % b->n_slots];
            if (s->ready && !s->running && !s->done)
                st = batch_spawn(ctx, b, s);
        }
        if (st != IDP_OK)
            break;
        st = batch_emit(ctx, b);
        if (st != IDP_OK)
            break;
        if (eof && b->head == b->tail)
            break;
        batch_wait(b);
    }
    if (st == IDP_OK && row < b->csv_rows) {
        /* the CSV lost rows since pass 1: the missing ones are not reported */
        b->progress.total = taken;
    }
    /* a whole-batch error with rows running: stop them */
    for (size_t i = b->head; i < b->tail; i++) {
        slot *s = &b->slots[i % b->n_slots];
        if (s->running)
            batch_kill(b, s);
    }
    idp_csv_close(rd);
    return st;
}

idp_status idp_batch_run(idp_ctx *ctx, const idp_batch_opts *opts, idp_batch_report *report)
{
    idp_status st = IDP_OK;
    idp_csv_reader *rd = NULL;
    idp_template *tmpl = NULL;
    batch_run b;
    int dfd = -1;
    size_t total = 0;
    char saved_lang[4];

    memset(report, 0, sizeof(*report));
    memset(&b, 0, sizeof(b));
    b.shard_fd = -1;
    if (opts->shard_count > IDP_BATCH_SHARDS_MAX || opts->shard_index > opts->shard_count ||
        (opts->shard_count > 0 && opts->shard_index == 0))
        return idp_fail(ctx, IDP_E_USAGE, "batch: shard %u of %u: not a shard", opts->shard_index,
                        opts->shard_count);
    if (opts->csv_path == NULL || opts->out_dir == NULL || opts->templates_dir == NULL ||
        opts->default_lang == NULL || opts->jobs == 0)
        return idp_fail(ctx, IDP_E_USAGE,
                        "batch: csv_path, out_dir, templates_dir, "
                        "default_lang and jobs >= 1 are required");
    /* every message of the run (the reasons, a whole-batch error) in the
     * report's language; the caller's language back at the end */
    snprintf(saved_lang, sizeof(saved_lang), "%s", idp_ctx_lang(ctx));
    idp_ctx_set_lang(ctx, opts->default_lang);
    b.opts = opts;
    b.report = report;
    b.template_id = opts->template_id != NULL ? opts->template_id : "2fa-reset";
    b.csv_name = idp_basename(opts->csv_path);

    /* The header, the columns. */
    st = idp_csv_open(ctx, opts->csv_path, &rd);
    if (st != IDP_OK)
        goto out;
    {
        const char *const *header = idp_csv_header(rd, &b.n_cols);
        st = idp_template_load(ctx, opts->templates_dir, b.template_id, opts->default_lang, &tmpl);
        if (st != IDP_OK)
            goto out;
        b.col_kind = calloc(b.n_cols, sizeof(*b.col_kind));
        b.field_keys = calloc(b.n_cols, sizeof(*b.field_keys));
        if (b.col_kind == NULL || b.field_keys == NULL) {
            st = idp_fail(ctx, IDP_E_NOMEM, batch_tr(idp_ctx_lang(ctx), "out of memory"));
            goto out;
        }
        st = batch_bind_columns(ctx, opts->csv_path, header, b.n_cols, tmpl, b.col_kind,
                                b.field_keys, opts->policy != NULL && opts->policy->mrz_read);
        if (st != IDP_OK)
            goto out;
    }
    idp_csv_close(rd);
    rd = NULL;
    st = batch_csv_folder(ctx, opts->csv_path, &b.csv_dir);
    if (st != IDP_OK)
        goto out;
    /* Pass 1: the whole file checked before any work, the names learnt. */
    st = batch_learn_names(ctx, &b, &total);
    if (st != IDP_OK)
        goto out;

    /* The output folder: created if missing, locked for this batch. */
    st = make_dirs(ctx, opts->out_dir);
    if (st != IDP_OK)
        goto out;
    dfd = open(opts->out_dir, O_RDONLY | O_DIRECTORY | O_CLOEXEC);
    if (dfd < 0) {
        st = idp_fail(
            ctx, IDP_E_CREATE, batch_tr(idp_ctx_lang(ctx), "%s: cannot open: %s"), opts->out_dir,
            errno == ENOTDIR ? batch_tr(idp_ctx_lang(ctx), "not a folder") : strerror(errno));
        goto out;
    }
    if (access(opts->out_dir, W_OK | X_OK) != 0) {
        st =
            idp_fail(ctx, IDP_E_CREATE, batch_tr(idp_ctx_lang(ctx), "%s: cannot write into it: %s"),
                     opts->out_dir, strerror(errno));
        goto out;
    }
    /* Shards share the folder (each locks its own part below), a batch
     * without --shard has it alone. */
    if (flock(dfd, (opts->shard_count > 0 ? LOCK_SH : LOCK_EX) | LOCK_NB) != 0) {
        st = idp_fail(ctx, IDP_E_CREATE, "%s: %s", opts->out_dir,
                      errno == EWOULDBLOCK
                          ? batch_tr(idp_ctx_lang(ctx), "another idpack batch is writing into it")
                          : strerror(errno));
        goto out;
    }
    b.abs_out = realpath(opts->out_dir, NULL);
    if (b.abs_out == NULL) {
        st = idp_fail(ctx, IDP_E_CREATE, batch_tr(idp_ctx_lang(ctx), "%s: cannot resolve: %s"),
                      opts->out_dir, strerror(errno));
        goto out;
    }
    /* What a killed run left (its guardian, if any, removes it at once;
     * a power cut leaves it for now). */
    if (opts->shard_count > 0) {
        st = batch_shard_begin(ctx, &b);
        if (st != IDP_OK)
            goto out;
        batch_shard_names(&b);
        report->stale_removed = batch_shard_clean(&b);
        st = idp_report_open_as(ctx, b.abs_out, b.shard_stem, b.shard_head, &b.writer);
    } else {
        report->stale_removed = idp_remove_temporaries(b.abs_out, NULL, 0);
        st = idp_report_open(ctx, b.abs_out, &b.writer);
    }
    if (st != IDP_OK)
        goto out;
    b.n_slots = (size_t)opts->jobs * 4 + 16;
    b.slots = calloc(b.n_slots, sizeof(*b.slots));
    if (b.slots == NULL) {
        st = idp_fail(ctx, IDP_E_NOMEM, batch_tr(idp_ctx_lang(ctx), "out of memory"));
        goto out;
    }
    b.progress.total = total;
    if (opts->progress != NULL)
        opts->progress(opts->progress_user, &b.progress);
    st = run_rows(ctx, &b);
    if (st != IDP_OK)
        goto out;
    /* the day every row's expiry was judged against, as build --json says it */
    if (opts->today != NULL)
        snprintf(report->today, sizeof(report->today), "%s", opts->today);
    else
        idp_utc_day(opts->date, report->today);
    snprintf(report->today_zone, sizeof(report->today_zone), "%s",
             opts->today_zone != NULL ? opts->today_zone
             : opts->today == NULL    ? "UTC (fixed date)"
                                      : "local");
    st = idp_report_commit(ctx, b.writer, report);
    b.writer = NULL;
out:
    idp_report_abort(b.writer);
    batch_shard_end(&b, st == IDP_OK);
    for (size_t i = 0; b.slots != NULL && i < b.n_slots; i++)
        batch_slot_clear(&b.slots[i]);
    free(b.slots);
    for (size_t i = 0; i < b.n_names; i++)
        free(b.names[i].name);
    free(b.names);
    if (dfd >= 0)
        close(dfd); /* releases the lock */
    idp_csv_close(rd);
    free(b.abs_out);
    free(b.col_kind);
    free(b.field_keys);
    free(b.csv_dir);
    idp_template_destroy(tmpl);
    idp_ctx_set_lang(ctx, saved_lang);
    return st;
}
