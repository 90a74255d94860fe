/* The drop driver (src/drop): which photo is the front from the file
 * names, and the words of idpack-problems.txt in English and Italian from
 * the reports and the build's status. No photo is read: the reports are
 * made by hand. */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>

#include "idp_drop.h"

#include <stdlib.h>
#include <string.h>

static void test_role(void **state)
{
    (void)state;
    assert_int_equal(idp_drop_role("/x/ID_fronte.jpg"), IDP_DROP_ROLE_FRONT);
    assert_int_equal(idp_drop_role("retro-2.JPG"), IDP_DROP_ROLE_BACK);
    assert_int_equal(idp_drop_role("carta R\xc3\x9c"
                                   "CKSEITE.png"),
                     IDP_DROP_ROLE_BACK);
    assert_int_equal(idp_drop_role("Recto.heic"), IDP_DROP_ROLE_FRONT);
    /* whole words only, and not both */
    assert_int_equal(idp_drop_role("backyard.jpg"), IDP_DROP_ROLE_NONE);
    assert_int_equal(idp_drop_role("frontend.jpg"), IDP_DROP_ROLE_NONE);
    assert_int_equal(idp_drop_role("front-back.jpg"), IDP_DROP_ROLE_NONE);
    /* the folder's name does not count */
    assert_int_equal(idp_drop_role("/home/front/IMG_1.jpg"), IDP_DROP_ROLE_NONE);
}

static void test_order(void **state)
{
    const char *a[2] = {"back.jpg", "IMG_2.jpg"}, *b[2] = {"IMG_1.jpg", "fronte.jpg"},
               *c[2] = {"IMG_1.jpg", "IMG_2.jpg"}, *d[2] = {"front.jpg", "back.jpg"},
               *e[2] = {"back.jpg", "retro.jpg"}, *f[2] = {"only.jpg", NULL};
    (void)state;
    idp_drop_order(a);
    assert_string_equal(a[0], "IMG_2.jpg");
    idp_drop_order(b);
    assert_string_equal(b[0], "fronte.jpg");
    idp_drop_order(c);
    assert_string_equal(c[0], "IMG_1.jpg");
    idp_drop_order(d);
    assert_string_equal(d[0], "front.jpg");
    idp_drop_order(e); /* both say back: the order given */
    assert_string_equal(e[0], "back.jpg");
    idp_drop_order(f);
    assert_string_equal(f[0], "only.jpg");
    assert_null(f[1]);
}

/* A report with one failed check (blur) or an unreadable file. */
static void report(idp_check_report *r, bool blurred, idp_status load)
{
    memset(r, 0, sizeof(*r));
    if (load != IDP_OK) {
        r->verdict = IDP_VERDICT_ERROR;
        r->load_status = load;
        return;
    }
    r->verdict = blurred ? IDP_VERDICT_FAIL : IDP_VERDICT_PASS;
    r->n_checks = 1;
    r->checks[0].id = IDP_CHECK_SHARPNESS;
    r->checks[0].status = blurred ? IDP_CHECK_FAIL : IDP_CHECK_PASS;
}

static void test_problems_photos(void **state)
{
    const char *photos[2] = {"/d/front.jpg", "/d/back.jpg"};
    char f0[] = "/d/front.jpg", f1[] = "/d/back.jpg";
    const char *files[2] = {f0, f1};
    idp_check_report r[2];
    idp_drop_problems p;
    (void)state;

    report(&r[0], true, IDP_OK);
    report(&r[1], false, IDP_E_NOTFOUND);
    idp_drop_problems_init(&p, "en");
    idp_drop_problems_files(&p, files, 2);
    assert_true(idp_drop_problems_photos(&p, photos, r, 2));
    assert_false(p.oom);
    assert_non_null(strstr(p.s, "could not make your package from: front.jpg, back.jpg\n"));
    assert_non_null(strstr(p.s, "Photo \"front.jpg\" (front of the ID):\n  - "));
    assert_non_null(
        strstr(p.s, "Photo \"back.jpg\" (back of the ID):\n  - this file does not exist"));
    assert_non_null(strstr(p.s, "What to do: take the photo(s) named above again"));
    assert_null(strstr(p.s, "/d/")); /* names, not paths */
    idp_drop_problems_free(&p);
    assert_null(p.s);

    idp_drop_problems_init(&p, "it");
    assert_true(idp_drop_problems_photos(&p, photos, r, 2));
    assert_non_null(strstr(p.s, "Foto \"front.jpg\" (fronte del documento):"));
    assert_non_null(strstr(p.s, "Cosa fare: rifai le foto"));
    idp_drop_problems_free(&p);

    /* nothing failed: nothing said */
    report(&r[0], false, IDP_OK);
    report(&r[1], false, IDP_OK);
    idp_drop_problems_init(&p, "de"); /* English for the languages without these words */
    assert_false(idp_drop_problems_photos(&p, photos, r, 2));
    assert_int_equal(p.len, 0);
    assert_string_equal(p.lang, "en");
    idp_drop_problems_free(&p);
}

static void test_problems_build(void **state)
{
    const char *photos[2] = {"front.jpg", "back.jpg"};
    idp_build_result *res = calloc(1, sizeof(*res));
    idp_drop_problems p;
    (void)state;

    assert_non_null(res);
    res->n_photos = 2;
    /* an expired ID: the date, and how to edit the details */
    idp_drop_problems_init(&p, "en");
    assert_true(idp_drop_problems_build(&p, IDP_E_EXPIRED, res, "expired", "2020-01-31",
                                        "/c/profile.ini", photos));
    assert_non_null(strstr(p.s, "Your ID expired on 2020-01-31"));
    assert_non_null(strstr(p.s, "open /c/profile.ini"));
    idp_drop_problems_free(&p);
    /* a bad detail, in Italian */
    idp_drop_problems_init(&p, "it");
    assert_true(idp_drop_problems_build(&p, IDP_E_FIELD, res, "account_email: non valido", NULL,
                                        "/c/profile.ini", photos));
    assert_non_null(strstr(p.s, "Uno dei tuoi dati salvati non \xc3\xa8 valido: account_email"));
    idp_drop_problems_free(&p);
    /* the photos swapped by the zone: the build's own words, no editing */
    res->reports[0].has_mrz = true;
    res->reports[0].mrz.format = IDP_MRZ_TD1;
    assert_true(idp_drop_zone_swapped(IDP_E_MISMATCH, res));
    {
        const char *unnamed[2] = {"IMG_1.jpg", "IMG_2.jpg"};
        assert_true(idp_drop_swap_by_zone(IDP_E_MISMATCH, res, unnamed));
        assert_false(idp_drop_swap_by_zone(IDP_E_FIELD, res, unnamed));
    }
    assert_false(idp_drop_swap_by_zone(IDP_E_MISMATCH, res, photos)); /* front.jpg, back.jpg */
    {
        const char *named[2] = {"fronte.jpg", "IMG_2.jpg"};
        assert_false(idp_drop_swap_by_zone(IDP_E_MISMATCH, res, named)); /* the name said so */
    }
    idp_drop_problems_init(&p, "en");
    assert_false(idp_drop_problems_build(&p, IDP_E_MISMATCH, res, "probably swapped", NULL,
                                         "/c/profile.ini", photos));
    assert_string_equal(p.s, "probably swapped\n");
    idp_drop_problems_free(&p);
    /* anything else */
    memset(res, 0, sizeof(*res));
    idp_drop_problems_init(&p, "en");
    assert_false(idp_drop_problems_build(&p, IDP_E_CREATE, res, "disk full", NULL, "/c/profile.ini",
                                         photos));
    assert_string_equal(p.s, "Something went wrong: disk full\n");
    idp_drop_problems_free(&p);
    free(res);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_role),
        cmocka_unit_test(test_order),
        cmocka_unit_test(test_problems_photos),
        cmocka_unit_test(test_problems_build),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
