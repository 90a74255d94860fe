/* Every language with a catalogue works the same, not only Italian: this
 * test is linked with a table of po/it.po and of a throwaway catalogue "xx"
 * (tests/unit/mkpseudo.py: every message "[xx] " + its English, "0,5" for
 * the decimal mark) in place of the library's (its idp_tr_langs is found
 * here first, so the archive's is not linked). No code names "xx": what
 * reaches it here reaches any po/LANG.po a translator adds. */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>

#include "idp_check.h"
#include "idp_drop.h"
#include "idp_form.h"
#include "idp_tr.h"
#include "idp_tr_int.h"

#include <stdio.h>
#include <string.h>

static void test_languages(void **state)
{
    bool it = false, xx = false;
    size_t i = 1;
    (void)state;
    assert_string_equal(idp_tr_language(0), "en");
    for (; idp_tr_language(i) != NULL; i++) {
        it = it || strcmp(idp_tr_language(i), "it") == 0;
        xx = xx || strcmp(idp_tr_language(i), "xx") == 0;
    }
    assert_int_equal(i, 3); /* en, it, xx: this test's table, not the library's */
    assert_true(it && xx);
    assert_string_equal(idp_tr_catalogue("xx_YY.UTF-8"), "xx");
    assert_string_equal(idp_tr("xx", "looks good"), "[xx] looks good");
    assert_string_equal(idp_tr("it", "looks good"), "va bene");
}

static void test_describe(void **state)
{
    idp_check_result r;
    char buf[512];
    (void)state;
    memset(&r, 0, sizeof(r));
    r.id = IDP_CHECK_LIMITS;
    r.status = IDP_CHECK_PASS;
    r.value = 4.5;
    /* the catalogue's words, and its decimal mark ("0.5" -> "0,5") */
    idp_check_describe(&r, "xx", buf, sizeof(buf));
    assert_string_equal(buf, "[xx] The file size is within the limits (4,5 megapixels).");
    idp_check_describe(&r, "xx_YY.UTF-8", buf, sizeof(buf));
    assert_string_equal(buf, "[xx] The file size is within the limits (4,5 megapixels).");
    idp_check_describe(&r, "en", buf, sizeof(buf));
    assert_string_equal(buf, "The file size is within the limits (4.5 megapixels).");
}

static void test_ctx_and_form(void **state)
{
    idp_ctx *ctx = NULL;
    idp_form *form = NULL;
    (void)state;
    assert_int_equal(idp_ctx_create(&ctx), IDP_OK);
    idp_ctx_set_lang(ctx, "xx_YY.UTF-8");
    assert_string_equal(idp_ctx_lang(ctx), "xx");
    assert_int_equal(idp_form_create(ctx, &form), IDP_OK);
    assert_int_equal(idp_form_set(ctx, form, "full_name", "Anna\x01", "row 2", 0), IDP_E_FIELD);
    /* the message and the problem it quotes, both in the catalogue's words */
    assert_non_null(strstr(idp_ctx_error(ctx), "[xx] row 2: the value of"));
    assert_non_null(strstr(idp_ctx_error(ctx), "[xx] contains a control character"));
    idp_form_destroy(form);
    idp_ctx_destroy(ctx);
}

static void test_drop(void **state)
{
    char buf[256];
    idp_drop_problems p;
    idp_check_report r;
    const char *photo = "/tmp/front.jpg";
    (void)state;
    idp_drop_say("xx_YY.UTF-8", IDP_DROP_SAY_WRITTEN, "idpack-problems.txt", buf, sizeof(buf));
    assert_string_equal(buf, "[xx] These problems are also written in idpack-problems.txt\n");
    /* a photo's check, in the problems file: the catalogue's words */
    idp_drop_problems_init(&p, "xx_YY.UTF-8");
    assert_string_equal(p.lang, "xx");
    memset(&r, 0, sizeof(r));
    r.verdict = IDP_VERDICT_FAIL;
    r.n_checks = 1;
    r.checks[0].id = IDP_CHECK_LIMITS;
    r.checks[0].status = IDP_CHECK_FAIL;
    r.checks[0].limit = 100;
    r.checks[0].other = -1;
    assert_true(idp_drop_problems_photos(&p, &photo, &r, 1));
    assert_non_null(p.s);
    assert_non_null(strstr(p.s, "[xx] Photo \"front.jpg\" ([xx] front of the ID):\n  - [xx] "));
    idp_drop_problems_free(&p);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_languages),
        cmocka_unit_test(test_describe),
        cmocka_unit_test(test_ctx_and_form),
        cmocka_unit_test(test_drop),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
