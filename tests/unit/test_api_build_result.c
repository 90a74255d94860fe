/* The build result's paper, bytes and signature (idp_build.h) and the copy
 * of a check report (idp_check.h), called as a program outside the tree
 * calls them: IDP_INTERNAL is undefined before the headers, so only the
 * installed declarations are seen (no struct member can be read). The
 * values are checked against the package on disk and the report copied. */
#undef IDP_INTERNAL

#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>

#include "idpack.h"
#include "testutil.h"

#include <dirent.h>
#include <stdio.h>
#include <string.h>
#include <sys/stat.h>

/* The bytes of the regular files in dir, and how many there are. */
static uint64_t folder_bytes(const char *dir, int *files)
{
    DIR *d = opendir(dir);
    struct dirent *e;
    uint64_t sum = 0;

    assert_non_null(d);
    *files = 0;
    while ((e = readdir(d)) != NULL) {
        struct stat sb;
        if (e->d_name[0] == '.')
            continue;
        assert_int_equal(stat(tu_path(dir, e->d_name), &sb), 0);
        if (S_ISREG(sb.st_mode)) {
            sum += (uint64_t)sb.st_size;
            ++*files;
        }
    }
    closedir(d);
    return sum;
}

/* Builds the sample form with the test photos into out: paper (NULL from
 * the marketplace, amazon.it: A4), signed with key when not NULL. */
static idp_build_result *build(idp_ctx *ctx, const char *out, const char *paper, const char *key)
{
    const char *img = tu_env("IDP_TESTIMG"), *src = tu_env("IDP_SRC");
    idp_form *form = NULL;
    idp_build_opts *opts = NULL;
    idp_build_result *res = NULL;

    assert_int_equal(idp_form_create(ctx, &form), IDP_OK);
    assert_int_equal(
        idp_form_load_file(ctx, form, tu_path(tu_path(src, "templates"), "sample-form.txt"), 0),
        IDP_OK);
    assert_int_equal(idp_build_opts_create(ctx, &opts), IDP_OK);
    assert_int_equal(idp_build_opts_set_paper(ctx, opts, paper), IDP_OK);
    idp_build_opts_set_template(opts, tu_path(src, "templates"), NULL, "en");
    idp_build_opts_set_form(opts, form);
    idp_build_opts_set_photos(opts, tu_path(img, "sharp.jpg"), tu_path(img, "back.jpg"));
    idp_build_opts_set_date(opts, 1767312000, NULL);
    idp_build_opts_set_sign_key(opts, key);
    idp_build_opts_set_out_dir(opts, out, false);
    assert_int_equal(idp_build_result_create(ctx, &res), IDP_OK);
    assert_int_equal(idp_build_package(ctx, opts, res), IDP_OK);
    idp_build_opts_destroy(opts);
    idp_form_destroy(form);
    return res;
}

static void test_result_before_build(void **state)
{
    idp_ctx *ctx = tu_new_ctx();
    idp_build_result *res = NULL;

    (void)state;
    assert_int_equal(idp_build_result_create(ctx, &res), IDP_OK);
    assert_string_equal(idp_build_result_paper(res), "");
    assert_true(idp_build_result_bytes(res) == 0);
    assert_false(idp_build_result_signed(res));
    idp_build_result_destroy(res);
    idp_build_result_destroy(NULL);
    idp_ctx_destroy(ctx);
}

/* A signed package on Letter paper, then an unsigned one on the
 * marketplace's paper: the getters against the folder written. */
static void test_result_paper_bytes_signed(void **state)
{
    const char *tmp = tu_tmpdir();
    char key[4096], pub[4096], out[4096];
    idp_ctx *ctx = tu_new_ctx();
    idp_build_result *res;
    struct stat sb;
    int files;

    (void)state;
    snprintf(key, sizeof(key), "%s/sign.pem", tmp);
    snprintf(pub, sizeof(pub), "%s/sign.pub", tmp);
    assert_int_equal(tu_ed25519_pair(key, pub), 0);

    snprintf(out, sizeof(out), "%s/signed", tmp);
    res = build(ctx, out, "letter", key);
    assert_string_equal(idp_build_result_paper(res), "letter");
    assert_true(idp_build_result_signed(res));
    assert_int_equal(stat(tu_path(out, "manifest.json.sig"), &sb), 0);
    assert_true(idp_build_result_bytes(res) == folder_bytes(out, &files));
    assert_int_equal(files, 6); /* request.pdf, 2 photos, manifest, its signature, SHA256SUMS */
    idp_build_result_destroy(res);

    snprintf(out, sizeof(out), "%s/unsigned", tmp);
    res = build(ctx, out, NULL, NULL);
    assert_string_equal(idp_build_result_paper(res), "a4");
    assert_false(idp_build_result_signed(res));
    assert_int_not_equal(stat(tu_path(out, "manifest.json.sig"), &sb), 0);
    assert_true(idp_build_result_bytes(res) == folder_bytes(out, &files));
    assert_int_equal(files, 5);
    idp_build_result_destroy(res);
    idp_ctx_destroy(ctx);
}

/* Two photos' checks of the same photo, compared field by field. */
static void assert_same_report(const idp_check_report *a, const idp_check_report *b)
{
    uint32_t wa, ha, wb, hb;

    assert_int_equal(idp_check_report_verdict(a), idp_check_report_verdict(b));
    assert_int_equal(idp_check_report_count(a), idp_check_report_count(b));
    for (size_t i = 0; i < idp_check_report_count(a); i++)
        assert_memory_equal(idp_check_report_result(a, i), idp_check_report_result(b, i),
                            sizeof(idp_check_result));
    idp_check_report_size(a, &wa, &ha);
    idp_check_report_size(b, &wb, &hb);
    assert_true(wa == wb && ha == hb && wa > 0);
    assert_string_equal(idp_check_report_format(a), idp_check_report_format(b));
}

/* A copy reads as the original; judging the copies as a pair (the same
 * photo twice: the duplicate check fails) leaves the original as it was. */
static void test_report_copy(void **state)
{
    idp_ctx *ctx = tu_new_ctx();
    idp_policy *policy = NULL;
    idp_check_report *orig = NULL, *copy[2] = {NULL, NULL};
    const idp_check_result *dup;
    size_t n;

    (void)state;
    assert_int_equal(idp_policy_create(ctx, &policy), IDP_OK);
    assert_int_equal(idp_check_report_create(ctx, &orig), IDP_OK);
    for (int i = 0; i < 2; i++)
        assert_int_equal(idp_check_report_create(ctx, &copy[i]), IDP_OK);
    assert_int_equal(idp_check_file(ctx, tu_path(tu_env("IDP_TESTIMG"), "sharp.jpg"), policy, orig),
                     IDP_OK);
    assert_int_equal(idp_check_report_verdict(orig), IDP_VERDICT_PASS);
    n = idp_check_report_count(orig);
    assert_null(idp_report_find(orig, IDP_CHECK_DUPLICATE));

    for (int i = 0; i < 2; i++) {
        idp_check_report_copy(copy[i], orig);
        assert_same_report(copy[i], orig);
    }
    idp_check_report_copy(orig, orig); /* onto itself: unchanged */
    assert_same_report(copy[0], orig);

    assert_int_equal(idp_check_report_duplicates(ctx, copy, 2, policy), IDP_OK);
    dup = idp_report_find(copy[1], IDP_CHECK_DUPLICATE);
    assert_non_null(dup);
    assert_int_equal(dup->status, IDP_CHECK_FAIL);
    assert_int_equal(idp_check_report_verdict(copy[1]), IDP_VERDICT_FAIL);
    /* the original: no duplicate check, the same verdict and count */
    assert_null(idp_report_find(orig, IDP_CHECK_DUPLICATE));
    assert_int_equal(idp_check_report_verdict(orig), IDP_VERDICT_PASS);
    assert_int_equal(idp_check_report_count(orig), n);

    /* a copy of an empty report is empty again */
    idp_check_report_clear(orig);
    idp_check_report_copy(copy[0], orig);
    assert_int_equal(idp_check_report_count(copy[0]), 0);
    assert_int_equal(idp_check_report_verdict(copy[0]), IDP_VERDICT_ERROR);

    for (int i = 0; i < 2; i++)
        idp_check_report_destroy(copy[i]);
    idp_check_report_destroy(orig);
    idp_policy_destroy(policy);
    idp_ctx_destroy(ctx);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_result_before_build),
        cmocka_unit_test(test_result_paper_bytes_signed),
        cmocka_unit_test(test_report_copy),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
