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
    assert_string_equal(idp_text_problem_it("contains a NUL byte"), "contiene un byte NUL");
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

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_every_entry_found),
        cmocka_unit_test(test_fallbacks),
        cmocka_unit_test(test_describe),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
