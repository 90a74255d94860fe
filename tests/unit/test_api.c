/* The public API's own functions: the thread setting of a context, and
 * that a check or a build gives the same results on one thread as on
 * several; the opaque check report, build result and verify report read
 * through their getters, checked against the structs they wrap. */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>

#include "idp_build.h"
#include "idp_check.h"
#include "idp_package.h"
#include "idpack.h"
#include "testutil.h"

#include <stdio.h>
#include <string.h>

static void test_threads_setting(void **state)
{
    idp_ctx *ctx = NULL;

    (void)state;
    assert_int_equal(idp_ctx_create(&ctx), IDP_OK);
    assert_int_equal(idp_ctx_threads(ctx), 1); /* the calling thread only */
    idp_ctx_set_threads(ctx, 4);
    assert_int_equal(idp_ctx_threads(ctx), 4);
    idp_ctx_set_threads(ctx, 0);
    assert_int_equal(idp_ctx_threads(ctx), 1);
    idp_ctx_destroy(ctx);
}

static void test_version(void **state)
{
    char want[32];

    (void)state;
    snprintf(want, sizeof(want), "%d.%d.%d", IDPACK_VERSION_MAJOR, IDPACK_VERSION_MINOR,
             IDPACK_VERSION_PATCH);
    assert_string_equal(idp_version(), want);
    assert_string_equal(IDPACK_VERSION_STRING, want);
}

/* One photo checked with 1 and with 2 threads: the same report. */
static void test_check_threads_same(void **state)
{
    const char *photo = tu_path(tu_env("IDP_TESTIMG"), "sharp.jpg");
    idp_ctx *ctx = NULL;
    idp_policy *policy = NULL;
    idp_check_report *one = NULL, *two = NULL;
    double q1[4][2], q2[4][2], c1, c2;
    const char *k1, *k2;

    (void)state;
    assert_int_equal(idp_ctx_create(&ctx), IDP_OK);
    assert_int_equal(idp_policy_create(ctx, &policy), IDP_OK);
    assert_int_equal(idp_check_report_create(ctx, &one), IDP_OK);
    assert_int_equal(idp_check_report_create(ctx, &two), IDP_OK);
    assert_int_equal(idp_check_report_verdict(one), IDP_VERDICT_ERROR); /* nothing checked */
    assert_int_equal(idp_check_report_count(one), 0);

    assert_int_equal(idp_check_file(ctx, photo, policy, one), IDP_OK);
    idp_ctx_set_threads(ctx, 2);
    assert_int_equal(idp_check_file(ctx, photo, policy, two), IDP_OK);

    assert_int_equal(idp_check_report_verdict(one), IDP_VERDICT_PASS);
    assert_int_equal(idp_check_report_load_status(one), IDP_OK);
    assert_int_equal(idp_check_report_count(one), one->n_checks);
    assert_true(idp_check_report_count(one) >= 10);
    assert_int_equal(idp_check_report_count(two), idp_check_report_count(one));
    for (size_t i = 0; i < idp_check_report_count(one); i++) {
        const idp_check_result *a = idp_check_report_result(one, i);
        const idp_check_result *b = idp_check_report_result(two, i);
        assert_ptr_equal(a, &one->checks[i]);
        assert_int_equal(a->id, b->id);
        assert_int_equal(a->status, b->status);
        assert_memory_equal(&a->value, &b->value, sizeof(double));
        assert_memory_equal(&a->limit, &b->limit, sizeof(double));
    }
    assert_null(idp_check_report_result(one, idp_check_report_count(one)));
    assert_ptr_equal(idp_report_find(one, IDP_CHECK_SHARPNESS),
                     idp_check_report_result(one, IDP_CHECK_SHARPNESS));

    k1 = idp_check_report_document(one, q1, &c1);
    k2 = idp_check_report_document(two, q2, &c2);
    assert_non_null(k1);
    assert_string_equal(k1, "id1");
    assert_string_equal(k1, k2);
    assert_memory_equal(q1, q2, sizeof(q1));
    assert_memory_equal(q1, one->document.quad, sizeof(q1));
    assert_true(c1 == c2 && c1 > 0.5);
    {
        uint32_t w, h;
        idp_check_report_size(one, &w, &h);
        assert_int_equal(w, 3000);
        assert_int_equal(h, 2000);
    }

    /* A missing file: an error report, its load status, the decode check failed. */
    assert_int_equal(idp_check_file(ctx, tu_path(tu_tmpdir(), "missing.jpg"), policy, one),
                     IDP_E_NOTFOUND);
    assert_int_equal(idp_check_report_verdict(one), IDP_VERDICT_ERROR);
    assert_int_equal(idp_check_report_load_status(one), IDP_E_NOTFOUND);
    assert_null(idp_check_report_document(one, NULL, NULL));
    assert_int_equal(idp_check_report_result(one, 0)->status, IDP_CHECK_FAIL);

    idp_check_report_destroy(one);
    idp_check_report_destroy(two);
    idp_check_report_destroy(NULL);
    idp_policy_destroy(policy);
    idp_ctx_destroy(ctx);
}

/* A package built through the options' setters, on one thread and on
 * four: the same files; the result and verify getters. */
static void test_build_threads_same(void **state)
{
    const char *img = tu_env("IDP_TESTIMG"), *src = tu_env("IDP_SRC");
    const char *tmp = tu_tmpdir();
    char templates[4096], form_path[4096], out[2][4096], f1[4200], f2[4200];
    idp_ctx *ctx = NULL;
    idp_form *form = NULL;
    idp_build_opts *opts = NULL;
    idp_build_result *res = NULL;
    idp_verify_report *vr = NULL;
    const char *file = NULL, *detail = NULL;
    bool ok = true;

    (void)state;
    snprintf(templates, sizeof(templates), "%s/templates", src);
    snprintf(form_path, sizeof(form_path), "%s/templates/sample-form.txt", src);
    assert_int_equal(idp_ctx_create(&ctx), IDP_OK);
    assert_int_equal(idp_form_create(ctx, &form), IDP_OK);
    assert_int_equal(idp_form_load_file(ctx, form, form_path, 0), IDP_OK);
    assert_int_equal(idp_build_opts_create(ctx, &opts), IDP_OK);
    assert_int_equal(idp_build_opts_set_paper(ctx, opts, "legal"), IDP_E_USAGE);
    assert_int_equal(idp_build_opts_set_paper(ctx, opts, "letter"), IDP_OK);
    assert_true(opts->paper_set && opts->paper == IDP_PAPER_LETTER);
    idp_build_opts_set_template(opts, templates, NULL, "it");
    assert_string_equal(opts->template_id, "2fa-reset");
    idp_build_opts_set_form(opts, form);
    idp_build_opts_set_photos(opts, tu_path(img, "sharp.jpg"), tu_path(img, "back.jpg"));
    idp_build_opts_set_date(opts, 1767312000, NULL);
    for (int i = 0; i < 2; i++) {
        snprintf(out[i], sizeof(out[i]), "%s/pkg%d", tmp, i);
        idp_ctx_set_threads(ctx, i == 0 ? 1 : 4);
        idp_build_opts_set_out_dir(opts, out[i], false);
        assert_int_equal(idp_build_result_create(ctx, &res), IDP_OK);
        assert_int_equal(idp_build_package(ctx, opts, res), IDP_OK);
        assert_int_equal(idp_build_result_photos(res), 2);
        assert_non_null(idp_build_result_report(res, 1));
        assert_null(idp_build_result_report(res, 2));
        assert_int_equal(idp_check_report_verdict(idp_build_result_report(res, 0)),
                         IDP_VERDICT_PASS);
        assert_string_equal(idp_build_result_reference(res), res->reference);
        assert_string_equal(idp_build_result_created(res), "2026-01-02T00:00:00Z");
        assert_int_equal(strlen(idp_build_result_pdf_sha256(res)), 64);
        idp_build_result_destroy(res);
        res = NULL;
    }
    /* The same bytes whatever the threads. */
    for (int k = 0; k < 4; k++) {
        static const char *const names[] = {"request.pdf", "id-front.jpg", "id-back.jpg",
                                            "manifest.json"};
        FILE *a, *b;
        int ca, cb;
        snprintf(f1, sizeof(f1), "%s/%s", out[0], names[k]);
        snprintf(f2, sizeof(f2), "%s/%s", out[1], names[k]);
        a = fopen(f1, "rb");
        b = fopen(f2, "rb");
        assert_non_null(a);
        assert_non_null(b);
        do {
            ca = getc(a);
            cb = getc(b);
            ok = ok && ca == cb;
        } while (ok && ca != EOF);
        fclose(a);
        fclose(b);
        assert_true(ok);
    }

    /* Verify: no problem, then one changed file. */
    assert_int_equal(idp_verify_report_create(ctx, &vr), IDP_OK);
    assert_int_equal(idp_package_verify(ctx, out[0], NULL, vr), IDP_OK);
    assert_int_equal(idp_verify_report_problems(vr), 0);
    assert_int_equal(idp_verify_report_files_ok(vr), 4);
    assert_non_null(idp_verify_report_reference(vr));
    assert_false(idp_verify_report_signature(vr, &ok));
    assert_false(ok);
    idp_verify_report_destroy(vr);
    snprintf(f1, sizeof(f1), "%s/id-back.jpg", out[1]);
    {
        FILE *f = fopen(f1, "r+b");
        assert_non_null(f);
        assert_int_equal(fseek(f, 1000, SEEK_SET), 0);
        assert_int_equal(fputc(0x55 ^ 0xff, f), 0x55 ^ 0xff);
        fclose(f);
    }
    assert_int_equal(idp_verify_report_create(ctx, &vr), IDP_OK);
    assert_int_equal(idp_package_verify(ctx, out[1], NULL, vr), IDP_OK);
    assert_true(idp_verify_report_problems(vr) >= 1);
    assert_int_equal(idp_verify_report_problem(vr, 0, &file, &detail), IDP_PROBLEM_CHANGED);
    assert_string_equal(file, "id-back.jpg");
    assert_non_null(detail);
    assert_int_equal(idp_verify_report_problem(vr, 99, &file, &detail), IDP_PROBLEM_MALFORMED);
    assert_null(file);
    idp_verify_report_destroy(vr);
    idp_verify_report_destroy(NULL);

    idp_build_opts_destroy(opts);
    idp_form_destroy(form);
    idp_ctx_destroy(ctx);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_threads_setting),
        cmocka_unit_test(test_version),
        cmocka_unit_test(test_check_threads_same),
        cmocka_unit_test(test_build_threads_same),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
