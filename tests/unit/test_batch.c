/* The batch's building blocks: safe folder names, path containment, the
 * CSV reader (quotes, separators and newlines in quoted fields, BOM, CRLF,
 * blank lines, ragged rows, bad quoting, non-UTF-8), the report writers,
 * and whole-batch errors (missing, unknown columns) with rows that fail
 * before any build. */
#define _DEFAULT_SOURCE /* realpath(), symlink() */

#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>

#include "idp_batch.h"
#include "testutil.h"
#include "testutil_ctx.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

static void write_text(const char *path, const char *text)
{
    FILE *f = fopen(path, "wb");
    assert_non_null(f);
    assert_int_equal(fwrite(text, 1, strlen(text), f), strlen(text));
    assert_int_equal(fclose(f), 0);
}

/* ---- safe names ---- */

static void expect_name(const char *label, const char *want)
{
    char out[IDP_BATCH_NAME_MAX + 1];
    bool ok = idp_batch_safe_name(label, out, sizeof(out));
    if (want == NULL) {
        assert_false(ok);
        assert_string_equal(out, "");
    } else {
        assert_true(ok);
        assert_string_equal(out, want);
    }
}

static void test_safe_name(void **state)
{
    (void)state;
    expect_name("Acme S.r.l.", "acme-s.r.l");
    expect_name("Zoë Ünal", "zoe-unal");
    expect_name("Łukasz Żółć-Müller", "lukasz-zolc-muller");
    expect_name("Straße & Söhne GmbH", "strasse-sohne-gmbh");
    expect_name("Æsir Œuvre", "aesir-oeuvre");
    expect_name("  ..hidden", "hidden");
    expect_name("-rf /", "rf");
    expect_name("a/b\\c", "a-b-c");
    expect_name("../../etc", "etc");
    expect_name("x__y--z", "x__y-z"); /* runs of - are one */
    expect_name("MiXeD_Case-42", "mixed_case-42");
    expect_name("a\xff"
                "b",
                "a-b"); /* an invalid byte is a separator */
    expect_name("Café 😀 Bar", "cafe-bar");
    expect_name("", NULL);
    expect_name(".", NULL);
    expect_name("..", NULL);
    expect_name("   ", NULL);
    expect_name("张伟", NULL);
    expect_name("report.json", NULL);
    expect_name("Report.CSV", NULL);
    expect_name("report.json.", NULL);
    expect_name("reports", "reports");
}

static void test_safe_name_length(void **state)
{
    char label[400], out[IDP_BATCH_NAME_MAX + 1];
    (void)state;
    memset(label, 'a', sizeof(label) - 1);
    label[sizeof(label) - 1] = '\0';
    assert_true(idp_batch_safe_name(label, out, sizeof(out)));
    assert_int_equal(strlen(out), IDP_BATCH_NAME_MAX);
    /* A cut never leaves a trailing separator. */
    memset(label, 'b', IDP_BATCH_NAME_MAX - 1);
    strcpy(label + IDP_BATCH_NAME_MAX - 1, " cdef");
    assert_true(idp_batch_safe_name(label, out, sizeof(out)));
    assert_int_equal(strlen(out), IDP_BATCH_NAME_MAX - 1);
    assert_true(out[strlen(out) - 1] == 'b');
    /* 2-byte letters folded to ASCII: one byte each. */
    label[0] = '\0';
    for (int i = 0; i < 100; i++)
        strcat(label, "é");
    assert_true(idp_batch_safe_name(label, out, sizeof(out)));
    assert_int_equal(strlen(out), IDP_BATCH_NAME_MAX);
}

/* ---- paths ---- */

typedef struct paths {
    char base[512], outside[512];
} paths;

static void make_tree(paths *p)
{
    const char *tmp = tu_tmpdir();
    char *real = realpath(tmp, NULL), buf[1024];
    assert_non_null(real);
    snprintf(p->base, sizeof(p->base), "%s/csvdir", real);
    snprintf(p->outside, sizeof(p->outside), "%s/secret.jpg", real);
    free(real);
    if (mkdir(p->base, 0700) != 0)
        return; /* made by an earlier test */
    snprintf(buf, sizeof(buf), "%s/photos", p->base);
    assert_int_equal(mkdir(buf, 0700), 0);
    snprintf(buf, sizeof(buf), "%s/photos/a.jpg", p->base);
    write_text(buf, "x");
    write_text(p->outside, "y");
    snprintf(buf, sizeof(buf), "%s/photos/out-link.jpg", p->base);
    assert_int_equal(symlink(p->outside, buf), 0);
    snprintf(buf, sizeof(buf), "%s/photos/in-link.jpg", p->base);
    assert_int_equal(symlink("a.jpg", buf), 0);
    snprintf(buf, sizeof(buf), "%s/dirlink", p->base);
    assert_int_equal(symlink("..", buf), 0);
}

static void expect_path(const paths *p, const char *path, bool allow, idp_status want,
                        const char *want_suffix)
{
    char *out = (char *)1;
    idp_status st = idp_batch_resolve_path(ctx, p->base, path, allow, "--allow-outside", &out);
    assert_int_equal(st, want);
    if (want != IDP_OK) {
        assert_null(out);
        assert_non_null(strstr(idp_ctx_error(ctx), path)); /* the message names the path */
        return;
    }
    assert_non_null(out);
    assert_true(strlen(out) >= strlen(want_suffix));
    assert_string_equal(out + strlen(out) - strlen(want_suffix), want_suffix);
    free(out);
}

static void test_paths(void **state)
{
    paths p;
    char abs[700];
    (void)state;
    make_tree(&p);
    expect_path(&p, "photos/a.jpg", false, IDP_OK, "/csvdir/photos/a.jpg");
    expect_path(&p, "./photos/../photos/a.jpg", false, IDP_OK, "/csvdir/photos/a.jpg");
    expect_path(&p, "photos/in-link.jpg", false, IDP_OK, "/csvdir/photos/a.jpg");
    /* leaving the folder: "..", a link to outside, a link to the parent */
    expect_path(&p, "../secret.jpg", false, IDP_E_USAGE, NULL);
    expect_path(&p, "photos/../../secret.jpg", false, IDP_E_USAGE, NULL);
    expect_path(&p, "../nosuch.jpg", false, IDP_E_USAGE, NULL);
    expect_path(&p, "photos/out-link.jpg", false, IDP_E_USAGE, NULL);
    expect_path(&p, "dirlink/secret.jpg", false, IDP_E_USAGE, NULL);
    assert_non_null(
        strstr(idp_ctx_error(ctx), "allow photos outside it (--allow-outside) to accept"));
    /* a caller that names no option: the library's words alone */
    {
        char *none = (char *)1;
        assert_int_equal(idp_batch_resolve_path(ctx, p.base, "../secret.jpg", false, NULL, &none),
                         IDP_E_USAGE);
        assert_null(none);
        assert_null(strstr(idp_ctx_error(ctx), "--"));
        assert_non_null(strstr(idp_ctx_error(ctx), "allow photos outside it to accept it"));
    }
    /* absolute paths, even inside */
    snprintf(abs, sizeof(abs), "%s/photos/a.jpg", p.base);
    expect_path(&p, abs, false, IDP_E_USAGE, NULL);
    assert_non_null(strstr(idp_ctx_error(ctx), "absolute"));
    /* all of them with allow_outside */
    expect_path(&p, abs, true, IDP_OK, "/csvdir/photos/a.jpg");
    expect_path(&p, "../secret.jpg", true, IDP_OK, "/secret.jpg");
    expect_path(&p, "photos/out-link.jpg", true, IDP_OK, "/secret.jpg");
    /* missing */
    expect_path(&p, "photos/nosuch.jpg", false, IDP_E_NOTFOUND, NULL);
    expect_path(&p, "photos/a.jpg/x", false, IDP_E_NOTFOUND, NULL);
    expect_path(&p, "", false, IDP_E_USAGE, "");
}

/* ---- CSV ---- */

static void parse_bad(const char *text, idp_status want)
{
    idp_csv_table *t = (idp_csv_table *)1;
    idp_status st = idp_csv_parse(ctx, "t.csv", text, strlen(text), &t);
    assert_int_equal(st, want);
    assert_null(t);
    assert_non_null(strstr(idp_ctx_error(ctx), "t.csv"));
}

static idp_csv_table *parse_ok(const char *text)
{
    idp_csv_table *t = NULL;
    idp_status st = idp_csv_parse(ctx, "t.csv", text, strlen(text), &t);
    assert_int_equal(st, IDP_OK);
    if (t == NULL)
        abort();
    return t;
}

static void test_csv_quotes(void **state)
{
    idp_csv_table *t;
    (void)state;
    t = parse_ok("customer,full_name,note\n"
                 "\"Acme, Inc.\",\"Bob \"\"B\"\" Smith\",\"two\nlines\"\n"
                 "plain,  spaced  ,\n");
    assert_int_equal(t->n_cols, 3);
    assert_string_equal(t->header[2], "note");
    assert_int_equal(t->n_rows, 2);
    assert_int_equal(t->rows[0].n_cells, 3);
    assert_string_equal(t->rows[0].cells[0], "Acme, Inc.");
    assert_string_equal(t->rows[0].cells[1], "Bob \"B\" Smith");
    assert_string_equal(t->rows[0].cells[2], "two\nlines");
    assert_string_equal(t->rows[1].cells[1], "spaced");
    assert_string_equal(t->rows[1].cells[2], "");
    idp_csv_table_free(t);
}

static void test_csv_bom_crlf_blank(void **state)
{
    idp_csv_table *t;
    (void)state;
    t = parse_ok("\xef\xbb\xbf"
                 "customer,front\r\n"
                 "a,\"x\r\ny.jpg\"\r\n"
                 "\r\n"
                 ",\r\n"
                 "b,z.jpg\r\n"
                 "\r\n");
    assert_string_equal(t->header[0], "customer"); /* no BOM left in it */
    assert_int_equal(t->n_rows, 2);                /* blank and empty-cell lines skipped */
    assert_string_equal(t->rows[0].cells[1], "x\r\ny.jpg");
    assert_string_equal(t->rows[1].cells[0], "b");
    assert_string_equal(t->rows[1].cells[1], "z.jpg");
    idp_csv_table_free(t);
    /* no final newline */
    t = parse_ok("customer,front\nlast,row.jpg");
    assert_int_equal(t->n_rows, 1);
    assert_string_equal(t->rows[0].cells[1], "row.jpg");
    idp_csv_table_free(t);
}

static void test_csv_semicolon_ragged(void **state)
{
    idp_csv_table *t;
    (void)state;
    t = parse_ok("customer;front;full_name\n"
                 "\"Rossi; Mario\";a.jpg;Mario Rossi\n"
                 "short;b.jpg\n"
                 "long;c.jpg;x;extra\n");
    assert_int_equal(t->n_cols, 3);
    assert_int_equal(t->n_rows, 3);
    assert_string_equal(t->rows[0].cells[0], "Rossi; Mario");
    assert_int_equal(t->rows[1].n_cells, 2);
    assert_int_equal(t->rows[2].n_cells, 4);
    idp_csv_table_free(t);
    /* commas win when the header has both */
    t = parse_ok("customer,front;x\na,b;c\n");
    assert_int_equal(t->n_cols, 2);
    assert_string_equal(t->rows[0].cells[1], "b;c");
    idp_csv_table_free(t);
}

static void test_csv_errors(void **state)
{
    (void)state;
    parse_bad("customer,front\na,\"unclosed\n", IDP_E_FORMAT);
    parse_bad("customer,front\na,b\"c\n", IDP_E_FORMAT);
    parse_bad("customer,front\na,\"b\"c\n", IDP_E_FORMAT);
    assert_non_null(strstr(idp_ctx_error(ctx), "malformed"));
    parse_bad("customer,front\na,caf\xe9\n", IDP_E_FORMAT); /* Latin-1, not UTF-8 */
    assert_non_null(strstr(idp_ctx_error(ctx), "row 1"));
    assert_non_null(strstr(idp_ctx_error(ctx), "UTF-8"));
    parse_bad("customer,front\nok,ok\nb,\xc0\xaf\n", IDP_E_FORMAT); /* overlong */
    assert_non_null(strstr(idp_ctx_error(ctx), "row 2"));
    parse_bad("customer,Customer\n", IDP_E_FORMAT);
    assert_non_null(strstr(idp_ctx_error(ctx), "the same name"));
    parse_bad("customer,,front\n", IDP_E_FORMAT);
    parse_bad("", IDP_E_FORMAT);
    parse_bad("\n\n", IDP_E_FORMAT);
    {
        static const char nul[] = "customer,front\na,b\0c\n";
        idp_csv_table *t = NULL;
        assert_int_equal(idp_csv_parse(ctx, "t.csv", nul, sizeof(nul) - 1, &t), IDP_E_FORMAT);
        assert_null(t);
    }
}

static void test_csv_read_file(void **state)
{
    const char *path = tu_path(tu_tmpdir(), "read.csv");
    idp_csv_table *t = NULL;
    (void)state;
    write_text(path, "customer,front\nx,y\n");
    assert_int_equal(idp_csv_read(ctx, path, &t), IDP_OK);
    assert_int_equal(t->n_rows, 1);
    idp_csv_table_free(t);
    t = NULL;
    assert_int_equal(idp_csv_read(ctx, tu_path(tu_tmpdir(), "nosuch.csv"), &t), IDP_E_NOTFOUND);
    write_text(path, "");
    assert_int_equal(idp_csv_read(ctx, path, &t), IDP_E_FORMAT);
}

/* ---- reports ---- */

static void test_report_csv_roundtrip(void **state)
{
    idp_batch_report sum;
    idp_batch_row rows[2];
    char r0[] = "a, \"quoted\" reason", r1[] = "two\nlines \xe2\x80\xae!", acme[] = "Acme, \"Inc\"",
         acme_pkg[] = "acme-inc", bob[] = "=HYPERLINK(\"http://x\",\"y\")", bob_pkg[] = "bob",
         w0[] = "-2+3 warns";
    char *reasons[2] = {r0, r1}, *warnings[1] = {w0};
    idp_report_writer *w = NULL;
    idp_csv_table *t = NULL;
    char path[600];
    (void)state;
    memset(&sum, 0, sizeof(sum));
    memset(rows, 0, sizeof(rows));
    rows[0] = (idp_batch_row){.row = 1,
                              .customer = acme,
                              .package = acme_pkg,
                              .status = IDP_ROW_OK,
                              .n_warnings = 1,
                              .warnings = warnings};
    strcpy(rows[0].reference, "IDP-AAAA-BBBB");
    rows[1] = (idp_batch_row){.row = 2,
                              .customer = bob,
                              .package = bob_pkg,
                              .status = IDP_ROW_FAILED,
                              .n_reasons = 2,
                              .reasons = reasons};
    sum.n_rows = 2;
    sum.ok = sum.failed = sum.warned = 1;
    assert_int_equal(idp_report_open(ctx, tu_tmpdir(), &w), IDP_OK);
    assert_int_equal(idp_report_add(ctx, w, &rows[0]), IDP_OK);
    assert_int_equal(idp_report_add(ctx, w, &rows[1]), IDP_OK);
    assert_int_equal(idp_report_commit(ctx, w, &sum), IDP_OK);
    snprintf(path, sizeof(path), "%s/report.csv", tu_tmpdir());
    assert_int_equal(idp_csv_read(ctx, path, &t), IDP_OK);
    assert_int_equal(t->n_cols, 7);
    assert_string_equal(t->header[0], "row"); /* the byte-order mark is not part of it */
    assert_string_equal(t->header[6], "warnings");
    assert_int_equal(t->n_rows, 2);
    assert_string_equal(t->rows[0].cells[1], "Acme, \"Inc\"");
    assert_string_equal(t->rows[0].cells[2], "ok");
    assert_string_equal(t->rows[0].cells[3], "acme-inc");
    assert_string_equal(t->rows[0].cells[4], "IDP-AAAA-BBBB");
    assert_string_equal(t->rows[0].cells[6], "'-2+3 warns");
    assert_string_equal(t->rows[1].cells[1], "'=HYPERLINK(\"http://x\",\"y\")");
    assert_string_equal(t->rows[1].cells[2], "failed");
    assert_string_equal(t->rows[1].cells[3], ""); /* a failed row has no package */
    assert_string_equal(t->rows[1].cells[5], "a, \"quoted\" reason; two\\nlines \\u202E!");
    idp_csv_table_free(t);
    {
        char cell[64];
        idp_report_csv_cell("@SUM(1)", cell, sizeof(cell));
        assert_string_equal(cell, "'@SUM(1)");
        idp_report_csv_cell("+1", cell, sizeof(cell));
        assert_string_equal(cell, "'+1");
        idp_report_csv_cell("\tx\x01", cell, sizeof(cell));
        assert_string_equal(cell, "'\\tx\\x01");
        idp_report_csv_cell("Zo\xc3\xab", cell, sizeof(cell));
        assert_string_equal(cell, "Zo\xc3\xab");
    }
}

/* ---- whole-batch errors, and rows that fail before any build ---- */

typedef struct collected {
    size_t n;
    idp_batch_row rows[16];
} collected;

static void collect(void *user, const idp_batch_row *row)
{
    collected *c = user;
    idp_batch_row *r = &c->rows[c->n++];
    *r = *row;
    r->customer = strdup(row->customer);
    r->package = strdup(row->package);
    r->reasons = calloc(row->n_reasons + 1, sizeof(char *));
    r->warnings = NULL;
    r->n_warnings = 0;
    for (size_t i = 0; i < row->n_reasons; i++)
        r->reasons[i] = strdup(row->reasons[i]);
}

static collected got;

static idp_status run_csv(const char *name, const char *text, idp_batch_report *report)
{
    paths p;
    idp_batch_opts o;
    char csv[700], out[700], tmpl[700];
    make_tree(&p);
    snprintf(csv, sizeof(csv), "%s/%s", p.base, name);
    snprintf(out, sizeof(out), "%s/out-%s", p.base, name);
    snprintf(tmpl, sizeof(tmpl), "%s/templates", tu_env("IDP_SRC"));
    write_text(csv, text);
    memset(&o, 0, sizeof(o));
    o.csv_path = csv;
    o.out_dir = out;
    o.jobs = 3;
    o.templates_dir = tmpl;
    o.default_lang = "en";
    o.date = 1795651200;
    o.on_row = collect;
    o.row_user = &got;
    for (size_t i = 0; i < got.n; i++)
        idp_batch_row_clear(&got.rows[i]);
    got.n = 0;
    return idp_batch_run(ctx, &o, report);
}

#define FIELDS "full_name,account_email,id_type,id_expiry"

static void test_run_columns(void **state)
{
    idp_batch_report r;
    (void)state;
    assert_int_equal(run_csv("u.csv", "customer,front," FIELDS ",colour\n", &r), IDP_E_FORMAT);
    assert_non_null(strstr(idp_ctx_error(ctx), "\"colour\""));
    idp_batch_report_free(&r);
    assert_int_equal(run_csv("m.csv", "customer,front,full_name,id_type,id_expiry\n", &r),
                     IDP_E_FORMAT);
    assert_non_null(strstr(idp_ctx_error(ctx), "account_email"));
    idp_batch_report_free(&r);
    assert_int_equal(run_csv("c.csv", "front," FIELDS "\n", &r), IDP_E_FORMAT);
    assert_non_null(strstr(idp_ctx_error(ctx), "customer"));
    idp_batch_report_free(&r);
    /* header only: nothing to do, not an error; names are case-insensitive */
    assert_int_equal(run_csv("h.csv", "Customer,FRONT,back,lang," FIELDS "\n", &r), IDP_OK);
    assert_int_equal(r.n_rows, 0);
    idp_batch_report_free(&r);
}

static void test_run_rows_fail_alone(void **state)
{
    idp_batch_report r;
    (void)state;
    assert_int_equal(run_csv("r.csv",
                             "customer,front," FIELDS "\n"
                             "ragged,photos/a.jpg,A\n"
                             ",photos/a.jpg,B,b@example.com,id_card,2031-01-01\n"
                             "张伟,photos/nosuch2.jpg,C,c@example.com,id_card,2031-01-01\n"
                             "esc,../secret.jpg,D,d@example.com,id_card,2031-01-01\n"
                             "nofront,,E,e@example.com,id_card,2031-01-01\n"
                             "Same Name,photos/nosuch.jpg,F,f@example.com,id_card,2031-01-01\n"
                             "same-name,photos/a.jpg,G,g@example.com,id_card,2031-01-01\n"
                             "Report.json,photos/a.jpg,H,h@example.com,id_card,2031-01-01\n",
                             &r),
                     IDP_OK);
    assert_int_equal(r.n_rows, 8);
    assert_int_equal(r.failed, 8);
    assert_int_equal(got.n, 8);
    assert_int_equal(r.ok + r.skipped, 0);
    for (size_t i = 0; i < r.n_rows; i++) {
        assert_int_equal(got.rows[i].row, i + 1);
        assert_int_equal(got.rows[i].status, IDP_ROW_FAILED);
        assert_true(got.rows[i].n_reasons >= 1);
    }
    assert_non_null(strstr(got.rows[0].reasons[0], "3 cells"));
    assert_non_null(strstr(got.rows[1].reasons[0], "customer"));
    /* a label in another script: the row's number names the folder */
    assert_non_null(strstr(got.rows[2].reasons[0], "nosuch2.jpg: no such file"));
    assert_string_equal(got.rows[2].customer, "张伟");
    assert_string_equal(got.rows[2].package, "row-3");
    assert_non_null(strstr(got.rows[7].reasons[0], "reserved"));
    assert_non_null(strstr(got.rows[3].reasons[0], "leaves the CSV's folder"));
    assert_non_null(strstr(got.rows[4].reasons[0], "front"));
    assert_non_null(strstr(got.rows[5].reasons[0], "no such file"));
    assert_non_null(strstr(got.rows[6].reasons[0], "already used by row 6"));
    idp_batch_report_free(&r);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_safe_name),
        cmocka_unit_test(test_safe_name_length),
        cmocka_unit_test_setup_teardown(test_paths, tu_ctx_setup, tu_ctx_teardown),
        cmocka_unit_test_setup_teardown(test_csv_quotes, tu_ctx_setup, tu_ctx_teardown),
        cmocka_unit_test_setup_teardown(test_csv_bom_crlf_blank, tu_ctx_setup, tu_ctx_teardown),
        cmocka_unit_test_setup_teardown(test_csv_semicolon_ragged, tu_ctx_setup, tu_ctx_teardown),
        cmocka_unit_test_setup_teardown(test_csv_errors, tu_ctx_setup, tu_ctx_teardown),
        cmocka_unit_test_setup_teardown(test_csv_read_file, tu_ctx_setup, tu_ctx_teardown),
        cmocka_unit_test_setup_teardown(test_report_csv_roundtrip, tu_ctx_setup, tu_ctx_teardown),
        cmocka_unit_test_setup_teardown(test_run_columns, tu_ctx_setup, tu_ctx_teardown),
        cmocka_unit_test_setup_teardown(test_run_rows_fail_alone, tu_ctx_setup, tu_ctx_teardown),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
