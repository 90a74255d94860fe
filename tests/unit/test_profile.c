/* The saved profile: a value checked alone with the template's own
 * messages, lang, partial profiles and what they lack, unset, and the
 * file written atomically (0600, folders 0700) and read back. */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>

#include "idp_profile.h"
#include "testutil.h"

#include <stdio.h>
#include <string.h>
#include <sys/stat.h>

static idp_ctx *ctx;
static idp_template *tmpl;

static int setup(void **state)
{
    (void)state;
    if (idp_ctx_create(&ctx) != IDP_OK)
        return -1;
    return idp_template_load(ctx, tu_path(tu_env("IDP_SRC"), "templates"), "2fa-reset", "en",
                             &tmpl) == IDP_OK
               ? 0
               : -1;
}

static int teardown(void **state)
{
    (void)state;
    idp_template_destroy(tmpl);
    idp_ctx_destroy(ctx);
    return 0;
}

static idp_status set(idp_profile *p, const char *key, const char *value)
{
    return idp_profile_set(ctx, p, tmpl, key, value, "test", "2026-11-26");
}

static void test_set_checks_each_value(void **state)
{
    idp_profile *p = NULL;
    const idp_field *missing[8];

    (void)state;
    assert_int_equal(idp_profile_create(ctx, &p), IDP_OK);
    assert_int_equal(idp_profile_missing(p, tmpl, missing, 8), 4);
    /* a partial profile is fine; the other required fields are not asked */
    assert_int_equal(set(p, "account_email", "erika@example.com"), IDP_OK);
    assert_string_equal(idp_form_get(idp_profile_form(p), "account_email"), "erika@example.com");
    /* the template's own message, naming the field and its label */
    assert_int_equal(set(p, "account_email", "bob@"), IDP_E_FIELD);
    assert_non_null(strstr(idp_ctx_error(ctx), "account_email (Account email): not an "
                                               "email address"));
    assert_string_equal(idp_form_get(idp_profile_form(p), "account_email"), "erika@example.com");
    assert_int_equal(set(p, "colour", "blue"), IDP_E_FIELD);
    assert_non_null(strstr(idp_ctx_error(ctx), "unknown field 'colour'"));
    assert_int_equal(set(p, "id_type", "spaceship"), IDP_E_FIELD);
    assert_int_equal(set(p, "id_expiry", "2026-02-30"), IDP_E_FIELD);
    assert_int_equal(set(p, "id_expiry", "2026-11-25"), IDP_E_EXPIRED);
    assert_non_null(strstr(idp_ctx_error(ctx), "expired"));
    assert_int_equal(set(p, "id_expiry", "2026-11-26"), IDP_OK);
    assert_int_equal(set(p, "seller_id", "A1B2C3D4E5F6G7"), IDP_OK);
    assert_int_equal(set(p, "steps_tried", "cookies_cleared, password_reset_tried"), IDP_OK);
    assert_int_equal(idp_profile_missing(p, tmpl, missing, 8), 2);
    assert_string_equal(missing[0]->key, "full_name");
    assert_string_equal(missing[1]->key, "id_type");
    /* lang */
    assert_null(idp_profile_lang(p));
    assert_int_equal(set(p, "lang", "klingon"), IDP_E_FIELD);
    assert_null(strstr(idp_ctx_error(ctx), "klingon")); /* no value quoted */
    assert_int_equal(set(p, "lang", "it"), IDP_OK);
    assert_string_equal(idp_profile_lang(p), "it");
    assert_null(idp_form_get(idp_profile_form(p), "lang"));
    /* an empty value and unset remove a key */
    assert_int_equal(set(p, "seller_id", ""), IDP_OK);
    assert_null(idp_form_get(idp_profile_form(p), "seller_id"));
    assert_int_equal(idp_profile_unset(ctx, p, "steps_tried"), IDP_OK);
    assert_int_equal(idp_profile_unset(ctx, p, "steps_tried"), IDP_OK);
    assert_null(idp_form_get(idp_profile_form(p), "steps_tried"));
    assert_string_equal(idp_form_get(idp_profile_form(p), "account_email"), "erika@example.com");
    assert_int_equal(idp_profile_unset(ctx, p, "lang"), IDP_OK);
    assert_null(idp_profile_lang(p));
    idp_profile_destroy(p);
}

static void test_save_and_load(void **state)
{
    idp_profile *p = NULL, *q = NULL;
    const char *dir = tu_path(tu_tmpdir(), "a/b/idpack"), *path;
    struct stat sb;

    (void)state;
    path = tu_path(dir, "profile.ini");
    assert_int_equal(idp_profile_load(ctx, path, &q), IDP_E_NOTFOUND);
    assert_non_null(strstr(idp_ctx_error(ctx), "profile.ini"));
    assert_int_equal(idp_profile_create(ctx, &p), IDP_OK);
    assert_int_equal(set(p, "full_name", "Łukasz Żółć # not a comment"), IDP_OK);
    assert_int_equal(set(p, "lang", "de"), IDP_OK);
    assert_int_equal(idp_profile_save(ctx, p, path), IDP_OK);
    assert_int_equal(stat(path, &sb), 0);
    assert_int_equal(sb.st_mode & 0777, 0600);
    assert_int_equal(stat(dir, &sb), 0);
    assert_int_equal(sb.st_mode & 0777, 0700);
    assert_int_equal(idp_profile_load(ctx, path, &q), IDP_OK);
    assert_string_equal(idp_profile_lang(q), "de");
    assert_string_equal(idp_form_get(idp_profile_form(q), "full_name"),
                        "Łukasz Żółć # not a comment");
    /* values keep their line in the file as origin, for build's messages */
    assert_non_null(strstr(idp_form_origin(idp_profile_form(q), "full_name"), "profile.ini:"));
    idp_profile_destroy(q);
    q = NULL;
    /* saving again replaces the file */
    assert_int_equal(idp_profile_unset(ctx, p, "full_name"), IDP_OK);
    assert_int_equal(idp_profile_save(ctx, p, path), IDP_OK);
    assert_int_equal(idp_profile_load(ctx, path, &q), IDP_OK);
    assert_null(idp_form_get(idp_profile_form(q), "full_name"));
    idp_profile_destroy(q);
    idp_profile_destroy(p);
}

static void test_bad_file(void **state)
{
    idp_profile *p = NULL;
    const char *path = tu_path(tu_tmpdir(), "bad.ini");
    FILE *f = fopen(path, "w");

    (void)state;
    assert_non_null(f);
    fputs("# comment\nfull_name = X\nlang = xx\n", f);
    fclose(f);
    assert_int_equal(idp_profile_load(ctx, path, &p), IDP_E_FIELD);
    assert_non_null(strstr(idp_ctx_error(ctx), "bad.ini:3"));
    assert_null(p);
    f = fopen(path, "w");
    assert_non_null(f);
    fputs("full_name = X\nfull_name = Y\n", f);
    fclose(f);
    assert_int_equal(idp_profile_load(ctx, path, &p), IDP_E_FIELD);
    assert_null(p);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_set_checks_each_value),
        cmocka_unit_test(test_save_and_load),
        cmocka_unit_test(test_bad_file),
    };
    return cmocka_run_group_tests(tests, setup, teardown);
}
