/* The public API of templates, the seller's profile and the drop driver
 * (idp_template.h, idp_profile.h, idp_drop.h), called as a program outside
 * the tree calls it: IDP_INTERNAL is undefined before the headers, so only
 * the installed declarations are seen (no struct member can be read). */
#undef IDP_INTERNAL

#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>

#include "idpack.h"
#include "testutil.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#define TODAY "2026-01-15"

static const char *templates(void)
{
    return tu_path(tu_env("IDP_SRC"), "templates");
}

static idp_template *load_template(idp_ctx *ctx, const char *lang)
{
    idp_template *t = NULL;

    assert_int_equal(idp_template_load(ctx, templates(), "2fa-reset", lang, &t), IDP_OK);
    assert_non_null(t);
    return t;
}

static void test_template_fields(void **state)
{
    idp_ctx *ctx = tu_new_ctx();
    idp_template *t = load_template(ctx, "en"), *missing = NULL;
    const idp_field *name, *type, *expiry, *reason;
    size_t n, id_card = SIZE_MAX;

    (void)state;
    assert_string_equal(idp_template_id(t), "2fa-reset");
    assert_string_equal(idp_template_lang(t), "en");
    assert_string_equal(idp_template_title(t), "Request to reset two-step verification");
    n = idp_template_field_count(t);
    assert_true(n >= 4);
    /* each field is found by its key, in the template's order */
    for (size_t i = 0; i < n; i++)
        assert_ptr_equal(idp_template_find_field(t, idp_field_key(idp_template_field(t, i))),
                         idp_template_field(t, i));
    assert_null(idp_template_field(t, n));
    assert_null(idp_template_find_field(t, "no_such_field"));

    name = idp_template_field(t, 0);
    assert_string_equal(idp_field_key(name), "full_name");
    assert_string_equal(idp_field_label(name), "Full name");
    assert_true(idp_field_required(name));
    assert_int_equal(idp_field_kind_of(name), IDP_FIELD_TEXT);
    assert_int_equal(idp_field_choice_count(name), 0);
    assert_null(idp_field_choice(name, 0));
    assert_null(idp_field_default(name));

    expiry = idp_template_find_field(t, "id_expiry");
    assert_non_null(expiry);
    assert_int_equal(idp_field_kind_of(expiry), IDP_FIELD_DATE);

    type = idp_template_find_field(t, "id_type");
    assert_non_null(type);
    assert_int_equal(idp_field_kind_of(type), IDP_FIELD_ENUM);
    assert_int_equal(idp_field_choice_count(type), 4);
    for (size_t i = 0; i < idp_field_choice_count(type); i++)
        if (strcmp(idp_field_choice(type, i), "id_card") == 0)
            id_card = i;
    assert_true(id_card < 4);
    /* what the letter prints for the value */
    assert_string_equal(idp_field_choice_label(type, id_card), "identity card");
    assert_null(idp_field_choice_label(type, 4));

    reason = idp_template_find_field(t, "reason");
    assert_non_null(reason);
    assert_false(idp_field_required(reason));
    assert_non_null(idp_field_default(reason));

    /* a language without a template: named in the error */
    assert_int_equal(idp_template_load(ctx, templates(), "2fa-reset", "xx", &missing),
                     IDP_E_NOTFOUND);
    assert_null(missing);
    idp_template_destroy(t);
    idp_template_destroy(NULL);
    idp_ctx_destroy(ctx);
}

static idp_form *full_form(idp_ctx *ctx, const char *expiry)
{
    idp_form *form = NULL;

    assert_int_equal(idp_form_create(ctx, &form), IDP_OK);
    assert_int_equal(idp_form_set(ctx, form, "full_name", "Erika Mustermann", "test", 0), IDP_OK);
    assert_int_equal(idp_form_set(ctx, form, "account_email", "erika@example.com", "test", 0),
                     IDP_OK);
    assert_int_equal(idp_form_set(ctx, form, "id_type", "id_card", "test", 0), IDP_OK);
    assert_int_equal(idp_form_set(ctx, form, "id_expiry", expiry, "test", 0), IDP_OK);
    assert_int_equal(idp_form_set(ctx, form, "store_name", "Erika's Shop", "test", 0), IDP_OK);
    return form;
}

static void test_letter_blocks(void **state)
{
    idp_ctx *ctx = tu_new_ctx();
    idp_template *t = load_template(ctx, "en");
    idp_form *form = full_form(ctx, "2030-05-31"), *old = full_form(ctx, "2025-12-31");
    idp_letter *letter = NULL;
    bool name = false, store = false, card = false;
    size_t n;

    (void)state;
    assert_int_equal(idp_template_validate(ctx, t, form, TODAY), IDP_OK);
    assert_int_equal(idp_template_validate(ctx, t, old, TODAY), IDP_E_EXPIRED);
    assert_int_equal(idp_template_render(ctx, t, form, "IDP-TEST-0001", TODAY, &letter), IDP_OK);
    n = idp_letter_block_count(letter);
    assert_true(n > 5);
    assert_int_equal(idp_letter_block_kind(letter, 0), IDP_BLOCK_TITLE);
    assert_string_equal(idp_letter_block_text(letter, 0), idp_template_title(t));
    for (size_t i = 0; i < n; i++) {
        const char *text = idp_letter_block_text(letter, i);
        const char *label = idp_letter_block_label(letter, i);
        assert_non_null(text);
        /* a label on FIELD blocks only */
        assert_int_equal(label != NULL, idp_letter_block_kind(letter, i) == IDP_BLOCK_FIELD);
        name |= strstr(text, "Erika Mustermann") != NULL;
        card |= strstr(text, "identity card") != NULL;
        if (label != NULL && strcmp(label, "Store name") == 0) {
            assert_string_equal(text, "Erika's Shop");
            store = true;
        }
        /* an unset optional field leaves no line */
        assert_true(label == NULL || strcmp(label, "Seller ID") != 0);
    }
    assert_true(name);
    assert_true(store);
    assert_true(card);
    assert_null(idp_letter_block_text(letter, n));
    assert_null(idp_letter_block_label(letter, n));
    assert_int_equal(idp_letter_block_kind(letter, n), IDP_BLOCK_PARAGRAPH);
    idp_letter_destroy(letter);
    idp_letter_destroy(NULL);
    idp_form_destroy(form);
    idp_form_destroy(old);
    idp_template_destroy(t);
    idp_ctx_destroy(ctx);
}

static void test_profile(void **state)
{
    idp_ctx *ctx = tu_new_ctx();
    idp_template *t = load_template(ctx, "en");
    const char *path = tu_path(tu_tmpdir(), "cfg/idpack/profile.ini");
    idp_profile *p = NULL, *q = NULL;
    const idp_field *missing[8];
    struct stat sb;

    (void)state;
    assert_int_equal(idp_profile_load(ctx, path, &q), IDP_E_NOTFOUND);
    assert_null(q);
    assert_int_equal(idp_profile_create(ctx, &p), IDP_OK);
    assert_null(idp_profile_lang(p));
    assert_int_equal(idp_profile_missing(p, t, missing, 8), 4);
    assert_int_equal(
        idp_profile_set(ctx, p, t, "account_email", "erika@example.com", "test", TODAY), IDP_OK);
    assert_int_equal(idp_profile_set(ctx, p, t, "account_email", "erika@", "test", TODAY),
                     IDP_E_FIELD);
    assert_non_null(strstr(idp_ctx_error(ctx), "account_email"));
    assert_int_equal(idp_profile_set(ctx, p, t, "id_expiry", "2025-12-31", "test", TODAY),
                     IDP_E_EXPIRED);
    assert_int_equal(idp_profile_set(ctx, p, t, "no_such_key", "x", "test", TODAY), IDP_E_FIELD);
    assert_int_equal(idp_profile_set(ctx, p, t, IDP_PROFILE_LANG_KEY, "it", "test", TODAY), IDP_OK);
    assert_int_equal(idp_profile_set(ctx, p, t, "full_name", "Erika Mustermann", "test", TODAY),
                     IDP_OK);
    /* the required fields still lacking, in the template's order */
    assert_int_equal(idp_profile_missing(p, t, missing, 8), 2);
    assert_string_equal(idp_field_key(missing[0]), "id_type");
    assert_string_equal(idp_field_key(missing[1]), "id_expiry");
    assert_int_equal(idp_profile_missing(p, t, missing, 1), 2); /* the count, past max */

    assert_int_equal(idp_profile_save(ctx, p, path), IDP_OK);
    assert_int_equal(stat(path, &sb), 0);
    assert_int_equal(sb.st_mode & 0777, 0600);
    assert_int_equal(idp_profile_load(ctx, path, &q), IDP_OK);
    assert_string_equal(idp_profile_lang(q), "it");
    assert_string_equal(idp_form_get(idp_profile_form(q), "full_name"), "Erika Mustermann");
    assert_string_equal(idp_form_get(idp_profile_form(q), "account_email"), "erika@example.com");
    assert_int_equal(idp_profile_unset(ctx, q, "full_name"), IDP_OK);
    assert_int_equal(idp_profile_unset(ctx, q, "full_name"), IDP_OK); /* not set: fine */
    assert_null(idp_form_get(idp_profile_form(q), "full_name"));
    idp_profile_destroy(q);
    idp_profile_destroy(p);
    idp_profile_destroy(NULL);
    idp_template_destroy(t);
    idp_ctx_destroy(ctx);
}

/* The profile to fill in: every field on its own empty line, under a
 * comment in the template's language; loaded back, everything required
 * is missing; never replaced. */
static void test_profile_blank(void **state)
{
    idp_ctx *ctx = tu_new_ctx();
    idp_template *en = load_template(ctx, "en"), *it = load_template(ctx, "it");
    const char *dir = tu_path(tu_tmpdir(), "blank/idpack"), *path, *path_it;
    const idp_field *missing[8];
    idp_profile *p = NULL;
    uint8_t *text;
    size_t len;
    struct stat sb;

    (void)state;
    path = tu_path(dir, "profile.ini");
    assert_int_equal(idp_profile_write_blank(ctx, en, path), IDP_OK);
    assert_int_equal(stat(path, &sb), 0);
    assert_int_equal(sb.st_mode & 0777, 0600);
    assert_int_equal(stat(dir, &sb), 0);
    assert_int_equal(sb.st_mode & 0777, 0700);
    text = tu_read_file(path, &len);
    assert_non_null(strstr((char *)text, "\nlang = en\n"));
    assert_non_null(strstr((char *)text, "\n# Full name (required)\nfull_name =\n"));
    assert_non_null(
        strstr((char *)text, "\n# ID valid until (required): YYYY-MM-DD\nid_expiry =\n"));
    assert_non_null(strstr((char *)text, "(required): one of: passport, id_card, driving_licence"));
    assert_non_null(strstr((char *)text, "\n# Phone number (optional)\nphone =\n"));
    for (size_t i = 0; i < idp_template_field_count(en); i++) {
        char line[96];
        snprintf(line, sizeof(line), "\n%s =\n", idp_field_key(idp_template_field(en, i)));
        assert_non_null(strstr((char *)text, line));
    }
    assert_int_equal(idp_profile_load(ctx, path, &p), IDP_OK);
    assert_string_equal(idp_profile_lang(p), "en");
    assert_int_equal(idp_profile_missing(p, en, missing, 8), 4);
    idp_profile_destroy(p);

    /* never replaced */
    assert_int_equal(idp_profile_write_blank(ctx, it, path), IDP_E_EXISTS);
    assert_non_null(strstr(idp_ctx_error(ctx), path));
    free(text);
    text = tu_read_file(path, NULL);
    assert_non_null(strstr((char *)text, "(required)"));
    free(text);

    /* Italian: po/it.po */
    path_it = tu_path(dir, "profilo.ini");
    assert_int_equal(idp_profile_write_blank(ctx, it, path_it), IDP_OK);
    text = tu_read_file(path_it, NULL);
    assert_non_null(strstr((char *)text, "\nlang = it\n"));
    assert_non_null(strstr((char *)text, "(obbligatorio): AAAA-MM-GG\nid_expiry =\n"));
    assert_null(strstr((char *)text, "(required)"));
    free(text);
    idp_template_destroy(en);
    idp_template_destroy(it);
    idp_ctx_destroy(ctx);
}

static void test_say(void **state)
{
    char en[256], it[256], small[8], none[16] = "untouched";

    (void)state;
    idp_drop_say("en", IDP_DROP_SAY_COUNT, "3", en, sizeof(en));
    assert_non_null(strstr(en, "3 files were dropped"));
    idp_drop_say("it", IDP_DROP_SAY_COUNT, "3", it, sizeof(it));
    assert_non_null(strstr(it, "3"));
    assert_string_not_equal(en, it); /* po/it.po */
    idp_drop_say("en", IDP_DROP_SAY_NOTIFY_OK, "pkg-1", en, sizeof(en));
    assert_string_equal(en, "Package ready: pkg-1");
    idp_drop_say("en", IDP_DROP_SAY_WRITTEN, "/d/idpack-problems.txt", en, sizeof(en));
    assert_string_equal(en, "These problems are also written in /d/idpack-problems.txt\n");
    idp_drop_say("en", IDP_DROP_SAY_NOTIFY_OK, "pkg-1", small, sizeof(small));
    assert_string_equal(small, "Package"); /* cut, terminated */
    idp_drop_say("en", (idp_drop_sentence)999, "x", none, sizeof(none));
    assert_string_equal(none, "");
}

static void test_order(void **state)
{
    const char *a[2] = {"/p/IMG_1-retro.jpg", "/p/IMG_2.jpg"}, *b[2] = {"x.jpg", "y.jpg"};
    idp_ctx *ctx = tu_new_ctx();
    idp_build_result *res = NULL;

    (void)state;
    assert_int_equal(idp_drop_role("/p/ID_fronte.jpg"), IDP_DROP_ROLE_FRONT);
    assert_int_equal(idp_drop_role("/p/front-back.jpg"), IDP_DROP_ROLE_NONE);
    idp_drop_order(a);
    assert_string_equal(a[0], "/p/IMG_2.jpg");
    idp_drop_order(b);
    assert_string_equal(b[0], "x.jpg");
    /* nothing built: nothing says the photos are swapped */
    assert_int_equal(idp_build_result_create(ctx, &res), IDP_OK);
    assert_false(idp_drop_zone_swapped(IDP_E_MISMATCH, res));
    assert_false(idp_drop_swap_by_zone(IDP_E_MISMATCH, res, b));
    idp_build_result_destroy(res);
    idp_ctx_destroy(ctx);
}

static void test_problems(void **state)
{
    const char *files[3] = {"/d/a.jpg", "/d/b.jpg", "/d/c.jpg"};
    const char *photos[2] = {tu_path(tu_tmpdir(), "gone-front.jpg"),
                             tu_path(tu_env("IDP_TESTIMG"), "sharp.jpg")};
    const char *out = tu_path(tu_tmpdir(), "idpack-problems.txt");
    idp_ctx *ctx = tu_new_ctx();
    idp_template *t = load_template(ctx, "en");
    idp_profile *partial = NULL, *full = NULL;
    idp_drop_problems *p = NULL;
    const char *text;
    uint8_t *file;
    size_t len, before, flen;
    bool edit = true;
    struct stat sb;

    (void)state;
    /* three files: the first line names them, the second says how many */
    assert_int_equal(idp_drop_problems_create(ctx, "en", files, 3, &p), IDP_OK);
    text = idp_drop_problems_text(p, &len);
    assert_non_null(text);
    assert_int_equal(strlen(text), len);
    assert_non_null(strstr(text, "idpack could not make your package from: a.jpg, b.jpg, c.jpg\n"));
    assert_null(strstr(text, "/d/"));
    assert_non_null(strstr(text, "3 files were dropped"));
    idp_drop_problems_destroy(p);
    idp_drop_problems_destroy(NULL);

    /* no profile; one made to fill in */
    assert_int_equal(idp_drop_problems_create(ctx, "en", files, 2, &p), IDP_OK);
    assert_null(strstr(idp_drop_problems_text(p, &len), "files were dropped"));
    assert_int_equal(
        idp_drop_problems_details(p, IDP_E_NOTFOUND, "", NULL, NULL, true, "/c/profile.ini", &edit),
        IDP_E_NOTFOUND);
    assert_true(edit);
    text = idp_drop_problems_text(p, &len);
    assert_non_null(strstr(text, "Your details are not saved yet"));
    assert_non_null(strstr(text, "open /c/profile.ini"));
    idp_drop_problems_destroy(p);

    /* no profile, none could be made: the command instead */
    assert_int_equal(idp_drop_problems_create(ctx, "en", files, 1, &p), IDP_OK);
    assert_int_equal(idp_drop_problems_details(p, IDP_E_NOTFOUND, "", NULL, NULL, false,
                                               "/c/profile.ini", &edit),
                     IDP_E_NOTFOUND);
    assert_false(edit);
    text = idp_drop_problems_text(p, &len);
    assert_non_null(strstr(text, "idpack profile set full_name="));
    assert_null(strstr(text, "/c/profile.ini"));
    idp_drop_problems_destroy(p);

    /* a partial profile: what it lacks, but not what the ID's zone gives */
    assert_int_equal(idp_profile_create(ctx, &partial), IDP_OK);
    assert_int_equal(
        idp_profile_set(ctx, partial, t, "account_email", "erika@example.com", "test", TODAY),
        IDP_OK);
    assert_int_equal(idp_drop_problems_create(ctx, "en", files, 2, &p), IDP_OK);
    assert_int_equal(
        idp_drop_problems_details(p, IDP_OK, "", partial, t, false, "/c/profile.ini", &edit),
        IDP_E_FIELD);
    assert_true(edit);
    text = idp_drop_problems_text(p, &len);
    assert_non_null(strstr(text, "Your saved details lack: full_name (Full name).\n"));
    assert_null(strstr(text, "id_type"));
    assert_null(strstr(text, "id_expiry"));

    /* the photos on their own: a missing one is said, a good one is not */
    assert_true(idp_drop_problems_check(ctx, p, photos, 2));
    text = idp_drop_problems_text(p, &len);
    assert_non_null(strstr(text, "\"gone-front.jpg\" (front of the ID)"));
    assert_non_null(strstr(text, "\"gone-front.jpg\" (front of the ID):\n  - this file does not "
                                 "exist (was it moved or renamed?)"));
    assert_null(strstr(text, "cannot be read as a photo")); /* it is not there at all */
    assert_null(strstr(text, "sharp.jpg"));
    assert_non_null(strstr(text, "What to do: take the photo(s) named above again"));

    /* written as is, mode 0600, replacing an earlier file */
    tu_write_file(out, "old", 3);
    assert_int_equal(idp_drop_problems_write(ctx, p, out), IDP_OK);
    file = tu_read_file(out, &flen);
    assert_int_equal(flen, len);
    assert_memory_equal(file, text, len);
    free(file);
    assert_int_equal(stat(out, &sb), 0);
    assert_int_equal(sb.st_mode & 0777, 0600);
    idp_drop_problems_destroy(p);

    /* a complete profile: nothing to say */
    assert_int_equal(idp_profile_create(ctx, &full), IDP_OK);
    assert_int_equal(idp_profile_set(ctx, full, t, "full_name", "Erika", "test", TODAY), IDP_OK);
    assert_int_equal(
        idp_profile_set(ctx, full, t, "account_email", "erika@example.com", "test", TODAY), IDP_OK);
    assert_int_equal(idp_drop_problems_create(ctx, "it", files, 2, &p), IDP_OK);
    before = len = 0;
    (void)idp_drop_problems_text(p, &before);
    assert_int_equal(
        idp_drop_problems_details(p, IDP_OK, "", full, t, false, "/c/profile.ini", &edit), IDP_OK);
    assert_false(edit);
    (void)idp_drop_problems_text(p, &len);
    assert_int_equal(len, before);

    /* the template could not be loaded: its status, nothing to edit */
    assert_int_equal(idp_drop_problems_details(p, IDP_E_FORMAT, "bad template", full, NULL, false,
                                               "/c/profile.ini", &edit),
                     IDP_E_FORMAT);
    assert_false(edit);
    assert_non_null(strstr(idp_drop_problems_text(p, &len), "bad template"));
    idp_drop_problems_destroy(p);

    idp_profile_destroy(partial);
    idp_profile_destroy(full);
    idp_template_destroy(t);
    idp_ctx_destroy(ctx);
}

/* What a failed build means: an invalid detail is the seller's to edit. */
static void test_problems_build(void **state)
{
    const char *photos[2] = {"/d/front.jpg", "/d/back.jpg"};
    idp_ctx *ctx = tu_new_ctx();
    idp_build_result *res = NULL;
    idp_drop_problems *p = NULL;
    size_t len;
    const char *text;

    (void)state;
    assert_int_equal(idp_build_result_create(ctx, &res), IDP_OK);
    assert_int_equal(idp_drop_problems_create(ctx, "en", photos, 2, &p), IDP_OK);
    assert_true(idp_drop_problems_build(p, IDP_E_FIELD, res, "phone: not a phone number", NULL,
                                        "/c/profile.ini", photos));
    text = idp_drop_problems_text(p, &len);
    assert_non_null(strstr(text, "One of your saved details is not valid: phone: not a phone"));
    assert_non_null(strstr(text, "open /c/profile.ini"));
    idp_drop_problems_destroy(p);

    assert_int_equal(idp_drop_problems_create(ctx, "en", photos, 2, &p), IDP_OK);
    assert_false(idp_drop_problems_build(p, IDP_E_CREATE, res, "/d: cannot create", NULL,
                                         "/c/profile.ini", photos));
    text = idp_drop_problems_text(p, &len);
    assert_non_null(strstr(text, "Something went wrong: /d: cannot create"));
    assert_null(strstr(text, "profile.ini"));
    idp_drop_problems_destroy(p);
    idp_build_result_destroy(res);
    idp_ctx_destroy(ctx);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_template_fields), cmocka_unit_test(test_letter_blocks),
        cmocka_unit_test(test_profile),         cmocka_unit_test(test_say),
        cmocka_unit_test(test_order),           cmocka_unit_test(test_problems),
        cmocka_unit_test(test_problems_build),  cmocka_unit_test(test_profile_blank),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
