/* The batch's public API, used as a program outside the tree would
 * (idpack.h only): a CSV of two customers built through the opaque options
 * (one row builds, one fails), its rows, progress and summary read through
 * their accessors, the package recorded in a ledger; then the same CSV in
 * two shards and their reports merged. */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>

#include "idpack.h"
#include "testutil.h"

#include <stdio.h>
#include <string.h>
#include <sys/stat.h>

#define T0 1795651200 /* 2026-11-26T00:00:00Z */

typedef struct seen {
    size_t rows, ok, failed, reasons, progress_calls;
    size_t last_done, last_total;
    size_t row_number[4];
    char reference[IDP_REFERENCE_LEN];
    char package[64];
    char customer[2][64];
} seen;

static void on_row(void *user, const idp_batch_row *row)
{
    seen *s = user;
    size_t i = s->rows++;

    if (i < 4)
        s->row_number[i] = idp_batch_row_number(row);
    if (i < 2)
        snprintf(s->customer[i], sizeof(s->customer[i]), "%s", idp_batch_row_customer(row));
    if (idp_batch_row_status(row) == IDP_ROW_OK) {
        s->ok++;
        snprintf(s->reference, sizeof(s->reference), "%s", idp_batch_row_reference(row));
        snprintf(s->package, sizeof(s->package), "%s", idp_batch_row_package(row));
        assert_int_equal(idp_batch_row_error(row), IDP_OK);
        assert_int_equal(idp_batch_row_reasons(row), 0);
    } else if (idp_batch_row_status(row) == IDP_ROW_FAILED) {
        s->failed++;
        s->reasons += idp_batch_row_reasons(row);
        assert_int_not_equal(idp_batch_row_error(row), IDP_OK);
        assert_string_equal(idp_batch_row_reference(row), "");
        assert_non_null(strstr(idp_batch_row_reason(row, 0), "nosuch.jpg"));
        assert_null(idp_batch_row_reason(row, idp_batch_row_reasons(row)));
    }
    for (size_t k = 0; k < idp_batch_row_warnings(row); k++)
        assert_non_null(idp_batch_row_warning(row, k));
}

static void on_progress(void *user, const idp_batch_progress *p)
{
    seen *s = user;

    s->progress_calls++;
    s->last_done = idp_batch_progress_done(p);
    s->last_total = idp_batch_progress_total(p);
    assert_int_equal(idp_batch_progress_ok(p) + idp_batch_progress_failed(p) +
                         idp_batch_progress_skipped(p),
                     s->last_done);
}

static char csv[4096], templates[4096];

static void write_csv(void)
{
    const char *img = tu_env("IDP_TESTIMG");
    char text[8192];

    snprintf(csv, sizeof(csv), "%s/customers.csv", tu_tmpdir());
    snprintf(templates, sizeof(templates), "%s/templates", tu_env("IDP_SRC"));
    snprintf(text, sizeof(text),
             "customer,full_name,account_email,id_type,id_expiry,front,back\n"
             "Acme S.r.l.,Mario Rossi,mario@example.com,id_card,2031-05-31,%s/sharp.jpg,"
             "%s/back.jpg\n"
             "Missing,Bea Blur,bea@example.com,id_card,2031-05-31,nosuch.jpg,\n",
             img, img);
    tu_write_file(csv, text, strlen(text));
}

/* Options for the CSV into out (allow_outside: the photos are in the
 * build tree). */
static idp_batch_opts *make_opts(idp_ctx *ctx, const char *out, seen *s)
{
    idp_batch_opts *o = NULL;

    assert_int_equal(idp_batch_opts_create(ctx, &o), IDP_OK);
    idp_batch_opts_set_csv(o, csv, out);
    idp_batch_opts_set_template(o, templates, NULL);
    idp_batch_opts_set_jobs(o, 2);
    idp_batch_opts_set_allow_outside(o, true);
    idp_batch_opts_set_lang(o, "en");
    idp_batch_opts_set_date(o, T0, NULL, NULL);
    idp_batch_opts_set_row_limits(o, 120, 0);
    idp_batch_opts_set_on_row(o, on_row, s);
    idp_batch_opts_set_progress(o, on_progress, s);
    return o;
}

static void test_run(void **state)
{
    char out[4096], path[4200];
    idp_ctx *ctx = NULL;
    idp_ledger *ledger = NULL;
    idp_ledger_list *list = NULL;
    idp_batch_opts *o;
    idp_batch_report *r = NULL;
    seen s;
    struct stat sb;

    (void)state;
    memset(&s, 0, sizeof(s));
    write_csv();
    snprintf(out, sizeof(out), "%s/out", tu_tmpdir());
    assert_int_equal(idp_ctx_create(&ctx), IDP_OK);
    assert_int_equal(idp_ledger_open(ctx, tu_path(tu_tmpdir(), "batch.sqlite"), &ledger), IDP_OK);
    o = make_opts(ctx, out, &s);
    idp_batch_opts_set_ledger(o, ledger, "agent-7");
    assert_int_equal(idp_batch_report_create(ctx, &r), IDP_OK);
    assert_int_equal(idp_batch_run(ctx, o, r), IDP_OK);

    assert_int_equal(idp_batch_report_rows(r), 2);
    assert_int_equal(idp_batch_report_ok(r), 1);
    assert_int_equal(idp_batch_report_failed(r), 1);
    assert_int_equal(idp_batch_report_skipped(r), 0);
    assert_int_equal(idp_batch_report_stale_removed(r), 0);
    assert_string_equal(idp_batch_report_today(r), "2026-11-26");
    assert_string_equal(idp_batch_report_today_zone(r), "UTC (fixed date)");
    assert_int_equal(s.rows, 2);
    assert_int_equal(s.row_number[0], 1);
    assert_int_equal(s.row_number[1], 2);
    assert_string_equal(s.customer[0], "Acme S.r.l.");
    assert_string_equal(s.customer[1], "Missing");
    assert_int_equal(s.ok, 1);
    assert_int_equal(s.failed, 1);
    assert_true(s.reasons >= 1);
    assert_true(idp_reference_parse(s.reference, NULL));
    assert_true(s.progress_calls >= 2);
    assert_int_equal(s.last_done, 2);
    assert_int_equal(s.last_total, 2);
    snprintf(path, sizeof(path), "%s/%s/request.pdf", out, s.package);
    assert_int_equal(stat(path, &sb), 0);
    snprintf(path, sizeof(path), "%s/report.json", out);
    assert_int_equal(stat(path, &sb), 0);
    assert_int_equal(sb.st_mode & 0777, 0600);

    /* the package built is in the ledger, with its customer label and agent */
    {
        idp_ledger_filter *f = NULL;
        assert_int_equal(idp_ledger_filter_create(ctx, &f), IDP_OK);
        idp_ledger_filter_set_customer(f, "Acme S.r.l.");
        idp_ledger_filter_set_agent(f, "agent-7");
        assert_int_equal(idp_ledger_list_packages(ctx, ledger, f, &list), IDP_OK);
        assert_int_equal(idp_ledger_list_count(list), 1);
        assert_string_equal(idp_ledger_entry_reference(idp_ledger_list_entry(list, 0)),
                            s.reference);
        idp_ledger_list_free(list);
        idp_ledger_filter_destroy(f);
    }

    /* a batch without its CSV: nothing built, the error names it */
    idp_batch_opts_set_csv(o, tu_path(tu_tmpdir(), "nosuch.csv"), out);
    assert_int_equal(idp_batch_run(ctx, o, r), IDP_E_NOTFOUND);
    assert_non_null(strstr(idp_ctx_error(ctx), "nosuch.csv"));

    idp_batch_report_destroy(r);
    idp_batch_report_destroy(NULL);
    idp_batch_opts_destroy(o);
    idp_batch_opts_destroy(NULL);
    idp_ledger_close(ledger);
    idp_ctx_destroy(ctx);
}

/* The first reason of the row of "Acme S.r.l.". */
static void acme_reason(void *user, const idp_batch_row *row)
{
    char *out = user;

    if (strcmp(idp_batch_row_customer(row), "Acme S.r.l.") == 0 && idp_batch_row_reasons(row) > 0)
        snprintf(out, 1024, "%s", idp_batch_row_reason(row, 0));
}

/* A row whose folder is there already, without resuming: the reason says
 * to resume the batch in the library's words, naming no option, or with
 * the name its caller gives (idpack batch: --resume). */
static void test_resume_words(void **state)
{
    char out[4096], reason[1024];
    idp_ctx *ctx = NULL;
    idp_batch_opts *o;
    idp_batch_report *r = NULL;
    seen s;

    (void)state;
    memset(&s, 0, sizeof(s));
    write_csv();
    snprintf(out, sizeof(out), "%s/out-again", tu_tmpdir());
    assert_int_equal(idp_ctx_create(&ctx), IDP_OK);
    o = make_opts(ctx, out, &s);
    assert_int_equal(idp_batch_report_create(ctx, &r), IDP_OK);
    assert_int_equal(idp_batch_run(ctx, o, r), IDP_OK);
    assert_int_equal(s.ok, 1);

    reason[0] = '\0';
    idp_batch_opts_set_on_row(o, acme_reason, reason);
    assert_int_equal(idp_batch_run(ctx, o, r), IDP_OK);
    assert_int_equal(idp_batch_report_ok(r), 0);
    assert_non_null(strstr(reason, "already exists in the output folder: resume the batch to keep "
                                   "packages that verify"));
    assert_null(strstr(reason, "--"));

    reason[0] = '\0';
    idp_batch_opts_set_resume_name(o, "--again");
    assert_int_equal(idp_batch_run(ctx, o, r), IDP_OK);
    assert_non_null(strstr(reason, ": resume the batch (--again) to keep packages"));

    idp_batch_report_destroy(r);
    idp_batch_opts_destroy(o);
    idp_ctx_destroy(ctx);
}

/* A row whose photos are outside the CSV's folder, not allowed: the reason
 * says so in the library's words, or with the name its caller gives
 * (idpack batch: --allow-outside). */
static void test_outside_words(void **state)
{
    char out[4096], reason[1024] = "";
    idp_ctx *ctx = NULL;
    idp_batch_opts *o;
    idp_batch_report *r = NULL;
    seen s;

    (void)state;
    memset(&s, 0, sizeof(s));
    write_csv();
    assert_int_equal(idp_ctx_create(&ctx), IDP_OK);
    snprintf(out, sizeof(out), "%s/out-outside", tu_tmpdir());
    o = make_opts(ctx, out, &s);
    idp_batch_opts_set_allow_outside(o, false);
    idp_batch_opts_set_on_row(o, acme_reason, reason);
    assert_int_equal(idp_batch_report_create(ctx, &r), IDP_OK);
    for (int named = 0; named < 2; named++) {
        if (named)
            idp_batch_opts_set_allow_outside_name(o, "--out-ok");
        reason[0] = '\0';
        assert_int_equal(idp_batch_run(ctx, o, r), IDP_OK);
        assert_int_equal(idp_batch_report_ok(r), 0);
        assert_non_null(strstr(reason, named ? "(or allowed outside it (--out-ok))"
                                             : "image paths must be relative to the CSV's "
                                               "folder (or allowed outside it)"));
        assert_true(named || strstr(reason, "--") == NULL);
    }
    idp_batch_report_destroy(r);
    idp_batch_opts_destroy(o);
    idp_ctx_destroy(ctx);
}

static void test_shards(void **state)
{
    char out[4096], stem[48];
    unsigned i = 0, n = 0;
    idp_ctx *ctx = NULL;
    idp_batch_merge_result *m = NULL;
    const idp_batch_report *sum;
    seen s;

    (void)state;
    assert_true(idp_batch_shard_parse("2/4", &i, &n));
    assert_int_equal(i, 2);
    assert_int_equal(n, 4);
    assert_false(idp_batch_shard_parse("0/4", &i, &n));
    assert_false(idp_batch_shard_parse("5/4", &i, &n));
    assert_false(idp_batch_shard_parse("02/4", &i, &n));
    assert_false(idp_batch_shard_parse("1/1001", &i, &n));
    assert_true(idp_batch_shard_parse("1000/1000", &i, &n));
    idp_batch_shard_stem(2, 4, stem, sizeof(stem));
    assert_string_equal(stem, "report-shard-2-of-4");

    memset(&s, 0, sizeof(s));
    write_csv();
    snprintf(out, sizeof(out), "%s/sharded", tu_tmpdir());
    assert_int_equal(idp_ctx_create(&ctx), IDP_OK);
    for (unsigned k = 1; k <= 2; k++) {
        idp_batch_opts *o = make_opts(ctx, out, &s);
        idp_batch_report *r = NULL;
        assert_int_equal(idp_batch_report_create(ctx, &r), IDP_OK);
        idp_batch_opts_set_shard(o, k, 2, NULL, NULL);
        assert_int_equal(idp_batch_run(ctx, o, r), IDP_OK);
        idp_batch_report_destroy(r);
        idp_batch_opts_destroy(o);
        if (k == 1) { /* one shard of two: nothing merged, shard 2 named missing */
            assert_int_equal(idp_batch_merge_result_create(ctx, &m), IDP_OK);
            assert_int_equal(idp_batch_merge(ctx, out, m), IDP_E_NOTFOUND);
            assert_int_equal(idp_batch_merge_result_count(m), 2);
            assert_int_equal(idp_batch_merge_result_missing(m), 1);
            assert_int_equal(idp_batch_merge_result_missing_shard(m, 0), 2);
            assert_int_equal(idp_batch_merge_result_missing_shard(m, 1), 0);
            idp_batch_merge_result_destroy(m);
        }
    }
    assert_int_equal(s.rows, 2); /* each row in exactly one shard */
    assert_int_equal(idp_batch_merge_result_create(ctx, &m), IDP_OK);
    assert_int_equal(idp_batch_merge(ctx, out, m), IDP_OK);
    assert_int_equal(idp_batch_merge_result_count(m), 2);
    assert_int_equal(idp_batch_merge_result_missing(m), 0);
    sum = idp_batch_merge_result_summary(m);
    assert_int_equal(idp_batch_report_rows(sum), 2);
    assert_int_equal(idp_batch_report_ok(sum), 1);
    assert_int_equal(idp_batch_report_failed(sum), 1);
    idp_batch_merge_result_destroy(m);
    idp_batch_merge_result_destroy(NULL);
    idp_ctx_destroy(ctx);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_run),
        cmocka_unit_test(test_shards),
        cmocka_unit_test(test_resume_words),
        cmocka_unit_test(test_outside_words),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
