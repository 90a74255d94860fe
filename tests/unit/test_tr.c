/* idp_tr: the table built from po/LANG.po: every entry found by the lookup
 * (the generator's order is the lookup's), English for what has no
 * translation, and the old lookups answer the same. */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>

#include "idp_check.h"
#include "idp_form.h"
#include "idp_tr.h"
#include "idp_tr_int.h"

#include <stdio.h>
#include <string.h>

static void test_every_entry_found(void **state)
{
    (void)state;
    assert_true(idp_tr_n_langs >= 1);
    for (size_t l = 0; l < idp_tr_n_langs; l++) {
        const idp_tr_lang *t = &idp_tr_langs[l];
        assert_true(t->n > 150);
        for (size_t i = 0; i < t->n; i++) {
            assert_ptr_equal(idp_tr(t->lang, t->entries[i].en), t->entries[i].tr);
            if (i > 0)
                assert_true(strcmp(t->entries[i - 1].en, t->entries[i].en) < 0);
        }
    }
}

static void test_fallbacks(void **state)
{
    const char *en = "The file opens as a photo.";
    (void)state;
    assert_string_equal(idp_tr("it", en), "Il file si apre come foto.");
    assert_ptr_equal(idp_tr(NULL, en), en);
    assert_ptr_equal(idp_tr("en", en), en);
    assert_ptr_equal(idp_tr("xx", en), en);
    assert_string_equal(idp_tr("it", "no such message"), "no such message");
    assert_string_equal(idp_tr("it", "Saved in %s\n"), "Salvato in %s\n");
    assert_string_equal(idp_tr("it", "contains a NUL byte"), "contiene un byte NUL");
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
    idp_check_describe(&r, "it", buf, sizeof(buf));
    assert_string_equal(buf, "Le dimensioni del file sono entro i limiti (4,5 megapixel).");
    idp_check_describe(&r, "en", buf, sizeof(buf));
    assert_string_equal(buf, "The file size is within the limits (4.5 megapixels).");
}

/* The message a form gives for a value with a control character, on a
 * context in lang. */
static void form_message(const char *lang, char *out, size_t size)
{
    idp_ctx *ctx = NULL;
    idp_form *form = NULL;

    assert_int_equal(idp_ctx_create(&ctx), IDP_OK);
    idp_ctx_set_lang(ctx, lang);
    assert_int_equal(idp_form_create(ctx, &form), IDP_OK);
    assert_int_equal(idp_form_set(ctx, form, "full_name", "Anna\x01", "row 2", 0), IDP_E_FIELD);
    snprintf(out, size, "%s", idp_ctx_error(ctx));
    idp_form_destroy(form);
    idp_ctx_destroy(ctx);
}

/* idp_ctx_set_lang takes every catalogue the library has, by its name or
 * a locale of it, so that a new po/LANG.po reaches the library's messages;
 * anything else is English. */
static void test_ctx_lang(void **state)
{
    const char *fmt = "%s: the value of %s %s (at byte %zu): type it again or paste it as plain "
                      "text",
               *problem = "contains a control character";
    char got[1024], want[1024], english[1024];
    idp_ctx *ctx = NULL;
    (void)state;

    assert_int_equal(idp_ctx_create(&ctx), IDP_OK);
    assert_string_equal(idp_ctx_lang(ctx), "en");
    form_message("en", english, sizeof(english));
    assert_non_null(strstr(english, "type it again"));
    for (size_t l = 0; l < idp_tr_n_langs; l++) {
        const char *name = idp_tr_langs[l].lang;
        char locale[32];
        idp_ctx_set_lang(ctx, name);
        assert_string_equal(idp_ctx_lang(ctx), name);
        idp_ctx_set_lang(ctx, "en");
        snprintf(locale, sizeof(locale), "%s_XX.UTF-8", name);
        idp_ctx_set_lang(ctx, locale);
        assert_string_equal(idp_ctx_lang(ctx), name);
        /* the library's message in that catalogue's words */
        assert_string_not_equal(idp_tr(name, fmt), fmt);
        form_message(name, got, sizeof(got));
        snprintf(want, sizeof(want),
                 idp_tr(name, "%s: the value of %s %s (at byte %zu): type it again or paste it "
                              "as plain text"),
                 "row 2", "full_name", idp_tr(name, problem), (size_t)5);
        assert_string_equal(got, want);
        assert_string_not_equal(got, english);
    }
    /* no catalogue: English, whatever was set before */
    for (size_t i = 0; i < 6; i++) {
        static const char *const none[] = {"zz", "", "i", "ita", "en_GB.UTF-8", "C"};
        idp_ctx_set_lang(ctx, idp_tr_langs[0].lang);
        idp_ctx_set_lang(ctx, none[i]);
        assert_string_equal(idp_ctx_lang(ctx), "en");
        form_message(none[i], got, sizeof(got));
        assert_string_equal(got, english);
    }
    idp_ctx_destroy(ctx);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_every_entry_found),
        cmocka_unit_test(test_fallbacks),
        cmocka_unit_test(test_describe),
        cmocka_unit_test(test_ctx_lang),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
