/* Request templates: every language file in templates/ loads and declares
 * the same fields; strict loading (unknown placeholders, keys, kinds, a
 * missing language); validation of each field kind. The letters they
 * render are tested in test_template_letter.c. */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>

#include "idp_template.h"
#include "testutil.h"
#include "testutil_template.h"

#include <dirent.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* 101 characters (Ł is two bytes): one over full_name's max_length */
#define LONG_NAME                                                                                          \
    "ŁŁŁŁŁŁŁŁŁŁŁŁŁŁŁŁŁŁŁŁŁŁŁŁŁŁŁŁŁŁŁŁŁŁŁŁŁŁŁŁŁŁŁŁŁŁŁŁŁŁ" \
    "ŁŁŁŁŁŁŁŁŁŁŁŁŁŁŁŁŁŁŁŁŁŁŁŁŁŁŁŁŁŁŁŁŁŁŁŁŁŁŁŁŁŁŁŁŁŁŁŁŁŁŁ"

/* ---- the shipped templates -------------------------------------------- */

static void test_all_templates_load(void **state)
{
    DIR *d = opendir(tpl_dir());
    struct dirent *e;
    int n = 0, seen_en = 0, seen_it = 0;
    (void)state;
    assert_non_null(d);
    while ((e = readdir(d)) != NULL) {
        char id[256], lang[16];
        size_t len = strlen(e->d_name);
        const char *dot = strchr(e->d_name, '.');
        idp_template *t = NULL;
        if (len < 6 || strcmp(e->d_name + len - 5, ".json") != 0 || dot == NULL)
            continue;
        assert_true((size_t)(dot - e->d_name) < sizeof(id));
        snprintf(id, sizeof(id), "%.*s", (int)(dot - e->d_name), e->d_name);
        snprintf(lang, sizeof(lang), "%.*s", (int)(len - 5 - (size_t)(dot - e->d_name) - 1),
                 dot + 1);
        if (idp_template_load(ctx, tpl_dir(), id, lang, &t) != IDP_OK)
            fail_msg("%s: %s", e->d_name, idp_ctx_error(ctx));
        assert_string_equal(idp_template_id(t), id);
        assert_string_equal(idp_template_lang(t), lang);
        assert_true(strlen(idp_template_title(t)) > 10);
        if (strcmp(id, "2fa-reset") == 0) {
            assert_int_equal(idp_template_field_count(t), idp_template_field_count(en));
            for (size_t i = 0; i < idp_template_field_count(en); i++) {
                const idp_field *a = idp_template_field(en, i), *b = idp_template_field(t, i);
                assert_string_equal(a->key, b->key);
                assert_int_equal(a->kind, b->kind);
                assert_int_equal(a->required, b->required);
                assert_int_equal(a->n_choices, b->n_choices);
                assert_int_equal(a->default_value != NULL, b->default_value != NULL);
                for (size_t k = 0; k < a->n_choices; k++)
                    assert_string_equal(a->choices[k], b->choices[k]);
            }
            seen_en |= strcmp(lang, "en") == 0;
            seen_it |= strcmp(lang, "it") == 0;
        }
        idp_template_destroy(t);
        n++;
    }
    closedir(d);
    assert_true(seen_en && seen_it);
    assert_true(n >= 2);
}

/* The fields of issue 3, with their kinds and required flags. */
static void test_declared_fields(void **state)
{
    static const struct {
        const char *key;
        idp_field_kind kind;
        int required;
    } want[] = {
        {"full_name", IDP_FIELD_TEXT, 1},        {"account_email", IDP_FIELD_EMAIL, 1},
        {"id_type", IDP_FIELD_ENUM, 1},          {"id_expiry", IDP_FIELD_DATE, 1},
        {"phone", IDP_FIELD_PHONE, 0},           {"new_phone", IDP_FIELD_PHONE, 0},
        {"business_name", IDP_FIELD_TEXT, 0},    {"store_name", IDP_FIELD_TEXT, 0},
        {"seller_id", IDP_FIELD_SELLER_ID, 0},   {"marketplace", IDP_FIELD_MARKETPLACE, 0},
        {"country", IDP_FIELD_COUNTRY, 0},       {"reason", IDP_FIELD_TEXT, 0},
        {"steps_tried", IDP_FIELD_ENUM_LIST, 0},
    };
    const idp_field *f;
    (void)state;
    assert_int_equal(idp_template_field_count(en), sizeof(want) / sizeof(want[0]));
    for (size_t i = 0; i < sizeof(want) / sizeof(want[0]); i++) {
        f = idp_template_find_field(en, want[i].key);
        if (f == NULL)
            fail_msg("no field %s", want[i].key);
        assert_int_equal(f->kind, want[i].kind);
        assert_int_equal(f->required, want[i].required);
        assert_true(strlen(f->label) > 2);
    }
    assert_null(idp_template_find_field(en, "colour"));
    f = idp_template_find_field(en, "id_type");
    assert_int_equal(f->n_choices, 4);
    assert_string_equal(f->choices[0], "passport");
    assert_string_equal(f->choices[3], "residence_permit");
    f = idp_template_find_field(en, "steps_tried");
    assert_int_equal(f->n_choices, 7);
    assert_string_equal(f->choices[6], "password_reset_tried");
    assert_non_null(idp_template_find_field(en, "reason")->default_value);
    assert_non_null(idp_template_find_field(it, "reason")->default_value);
    assert_string_not_equal(idp_template_find_field(en, "reason")->default_value,
                            idp_template_find_field(it, "reason")->default_value);
}

/* ---- validation ------------------------------------------------------- */

static void test_validate_good(void **state)
{
    (void)state;
    fill_required();
    assert_int_equal(idp_template_validate(ctx, en, form, TODAY), IDP_OK);
    set("phone", "+39 02-1234 5678");
    set("business_name", "Società Esempio S.r.l.");
    set("store_name", "Casa & Cucina");
    set("seller_id", "A1B2C3D4E5F6G7");
    set("marketplace", "amazon.co.uk");
    set("country", "GB");
    set("reason", "My phone was stolen.");
    set("steps_tried", "cookies_cleared, email_password_checked,latest_code_only");
    assert_int_equal(idp_template_validate(ctx, en, form, TODAY), IDP_OK);
    assert_int_equal(idp_template_validate(ctx, it, form, TODAY), IDP_OK);
}

/* Each kind, good and bad values; a bad one names the key, the label and
 * the value. */
static void test_validate_kinds(void **state)
{
    static const struct {
        const char *key, *value;
        int ok;
    } cases[] = {
        {"account_email", "bob@example.com", 1},
        {"account_email", "first.last+tag@mail.example.co.uk", 1},
        {"account_email", "bob@", 0},
        {"account_email", "bob@example", 0},
        {"account_email", "@example.com", 0},
        {"account_email", "bob@@example.com", 0},
        {"account_email", "bob smith@example.com", 0},
        {"account_email", "bob..x@example.com", 0},
        {"account_email", "bob@-example.com", 0},
        {"account_email", "bob@example.c", 0},
        {"phone", "+393331234567", 1},
        {"phone", "02 1234-5678", 1},
        {"phone", "1234567", 1},
        {"phone", "123456", 0},            /* 6 digits */
        {"phone", "+1234567890123456", 0}, /* 16 digits */
        {"phone", "+39 (02) 1234", 0},
        {"phone", "39+02", 0},
        {"phone", "+39  02 1234 567", 0}, /* two spaces in a row */
        {"phone", "+39 02 1234 567-", 0},
        {"phone", "call me", 0},
        {"id_expiry", "2031-05-31", 1},
        {"id_expiry", "2028-02-29", 1}, /* leap year */
        {"id_expiry", "2100-02-28", 1},
        {"id_expiry", "2027-02-29", 0},
        {"id_expiry", "2100-02-29", 0}, /* not a leap year */
        {"id_expiry", "2031-04-31", 0},
        {"id_expiry", "2031-13-01", 0},
        {"id_expiry", "2031-00-10", 0},
        {"id_expiry", "2031-5-31", 0},
        {"id_expiry", "31/05/2031", 1}, /* English: only day/month reads it */
        {"id_expiry", "12/31/2031", 1}, /* only month/day reads it */
        {"id_expiry", "05/06/2031", 0}, /* either: ambiguous */
        {"id_expiry", "07/07/2031", 1}, /* both readings the same day */
        {"id_expiry", "31.05.2031", 0},
        {"id_expiry", "31/13/2031", 0},
        {"id_expiry", "2031-05-31x", 0},
        {"seller_id", "A1B2C3D4E5F6G", 1},    /* A + 12 */
        {"seller_id", "A1B2C3D4E5F6G7H", 1},  /* A + 14 */
        {"seller_id", "A1B2C3D4E5F6", 0},     /* A + 11 */
        {"seller_id", "A1B2C3D4E5F6G7H8", 0}, /* A + 15 */
        {"seller_id", "B1B2C3D4E5F6G7", 0},
        {"seller_id", "a1b2c3d4e5f6g7", 0},
        {"seller_id", "A1B2C3D4-5F6G7", 0},
        {"id_type", "passport", 1},
        {"id_type", "residence_permit", 1},
        {"id_type", "Passport", 0},
        {"id_type", "passaporto", 0},
        {"marketplace", "amazon.it", 1},
        {"marketplace", "amazon.com.mx", 1},
        {"marketplace", "amazon.eg", 1},
        {"marketplace", "Amazon.it", 0},
        {"marketplace", "amazon.xx", 0},
        {"marketplace", "www.amazon.it", 0},
        {"country", "IT", 1},
        {"country", "GB", 1},
        {"country", "ZW", 1},
        {"country", "UK", 0},
        {"country", "it", 0},
        {"country", "ITA", 0},
        {"country", "ZZ", 0},
        {"steps_tried", "password_reset_tried", 1},
        {"steps_tried", " cookies_cleared ,  latest_code_only ", 1},
        {"steps_tried", "cookies_cleared,reboot", 0},
        {"steps_tried", "cookies_cleared,,latest_code_only", 0},
        {"steps_tried", "cookies_cleared,cookies_cleared", 0},
        {"steps_tried", "cookies_cleared,", 0},
        {"full_name", "Łukasz Żółć", 1},
        {"full_name", "two\nlines", 0},
        {"full_name", "tab\there", 0},
        {"full_name", LONG_NAME, 0},     /* 101 characters, max_length 100 */
        {"full_name", LONG_NAME + 2, 1}, /* one Ł (two bytes) less: 100 */
    };
    (void)state;
    for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
        const idp_field *f = idp_template_find_field(en, cases[i].key);
        idp_status st;
        idp_form_destroy(form);
        assert_int_equal(idp_form_create(ctx, &form), IDP_OK);
        fill_required();
        set(cases[i].key, cases[i].value);
        idp_ctx_clear(ctx);
        st = idp_template_validate(ctx, en, form, TODAY);
        if ((st == IDP_OK) != cases[i].ok)
            fail_msg("%s = '%s': status %d, expected %s (%s)", cases[i].key, cases[i].value,
                     (int)st, cases[i].ok ? "ok" : "an error", idp_ctx_error(ctx));
        if (!cases[i].ok) {
            char head[256];
            assert_int_equal(st, IDP_E_FIELD);
            snprintf(head, sizeof(head), "test: %s (%s): ", f->key, f->label);
            expect_error(head, NULL);
            /* the value itself is never quoted: it may be personal data */
            if (strlen(cases[i].value) >= 8 && strstr(idp_ctx_error(ctx), cases[i].value) != NULL &&
                strstr("e.g. A1B2C3D4E5F6G7", cases[i].value) == NULL) /* in the hint */
                fail_msg("%s: the message quotes the value: %s", cases[i].key, idp_ctx_error(ctx));
        }
    }
}

/* The country table holds exactly the 249 assigned ISO 3166-1 codes. */
static void test_country_codes(void **state)
{
    char code[3] = "AA";
    int accepted = 0;
    (void)state;
    fill_required();
    for (char a = 'A'; a <= 'Z'; a++)
        for (char b = 'A'; b <= 'Z'; b++) {
            code[0] = a;
            code[1] = b;
            set("country", code);
            accepted += idp_template_validate(ctx, en, form, TODAY) == IDP_OK;
        }
    assert_int_equal(accepted, 249);
}

static void test_validate_email_message(void **state)
{
    (void)state;
    fill_required();
    set("account_email", "bob@");
    assert_int_equal(idp_template_validate(ctx, en, form, TODAY), IDP_E_FIELD);
    expect_error("account_email (Account email): not an email address", NULL);
    assert_null(strstr(idp_ctx_error(ctx), "bob@"));
    assert_int_equal(idp_template_validate(ctx, it, form, TODAY), IDP_E_FIELD);
    expect_error("account_email (Email dell'account)", NULL);
}

static void test_validate_unknown(void **state)
{
    (void)state;
    fill_required();
    set("colour", "red");
    assert_int_equal(idp_template_validate(ctx, en, form, TODAY), IDP_E_FIELD);
    expect_error("unknown field 'colour' (the 2fa-reset template has full_name, account_email, ",
                 "steps_tried)");
}

static void test_validate_missing(void **state)
{
    static const char *const required[] = {"full_name", "account_email", "id_type", "id_expiry"};
    (void)state;
    for (size_t i = 0; i < 4; i++) {
        const idp_field *f = idp_template_find_field(en, required[i]);
        idp_form_destroy(form);
        assert_int_equal(idp_form_create(ctx, &form), IDP_OK);
        fill_required();
        set(required[i], "  "); /* blank counts as missing */
        assert_int_equal(idp_template_validate(ctx, en, form, TODAY), IDP_E_FIELD);
        expect_error(f->key, f->label);
        expect_error("missing", NULL);
    }
    idp_form_destroy(form);
    assert_int_equal(idp_form_create(ctx, &form), IDP_OK);
    set("full_name", "X");
    assert_int_equal(idp_template_validate(ctx, en, form, TODAY), IDP_E_FIELD);
    expect_error("account_email (Account email) is required but missing", NULL);
    /* optional fields may be absent or empty */
    fill_required();
    set("phone", "");
    assert_int_equal(idp_template_validate(ctx, en, form, TODAY), IDP_OK);
}

static void test_validate_expired(void **state)
{
    (void)state;
    fill_required();
    set("id_expiry", "2026-11-25");
    assert_int_equal(idp_template_validate(ctx, en, form, TODAY), IDP_E_EXPIRED);
    expect_error("id_expiry", "has expired");
    assert_null(strstr(idp_ctx_error(ctx), "2026-11-25")); /* the ID's date is not repeated */
    set("id_expiry", TODAY);                               /* still valid on its last day */
    assert_int_equal(idp_template_validate(ctx, en, form, TODAY), IDP_OK);
    set("id_expiry", "2024-02-29");
    assert_int_equal(idp_template_validate(ctx, it, form, "2024-03-01"), IDP_E_EXPIRED);
    assert_int_equal(idp_template_validate(ctx, it, form, "2024-02-29"), IDP_OK);
    /* a malformed field is reported before an expired ID */
    set("account_email", "nope");
    assert_int_equal(idp_template_validate(ctx, en, form, "2030-01-01"), IDP_E_FIELD);
    /* today itself must be a date */
    assert_int_equal(idp_template_validate(ctx, en, form, "2026-02-30"), IDP_E_USAGE);
}

/* ---- strict loading --------------------------------------------------- */
static void test_variant_identity(void **state)
{
    (void)state;
    /* the copy machinery itself: an unchanged copy loads */
    assert_int_equal(load_variant("same", "\"title\"", "\"title\""), IDP_OK);
    assert_string_equal(idp_template_id(en), "same");
}

static void test_unknown_placeholder(void **state)
{
    (void)state;
    assert_int_equal(load_variant("ph", "Please remove", "{colour} Please remove"), IDP_E_FORMAT);
    expect_error("ph.en.json", "{colour}");
}

static void test_bad_templates(void **state)
{
    static const struct {
        const char *id, *from, *to, *needle;
    } cases[] = {
        {"b1", "\"title\":", "\"colour\": 1, \"title\":", "unknown key \"colour\""},
        {"b2", "\"key\": \"phone\", \"label\": \"Phone number\", \"kind\": \"phone\"",
         "\"key\": \"phone\", \"label\": \"Phone number\"", "has no \"kind\""},
        {"b3", "\"kind\": \"phone\"", "\"kind\": \"telephone\"", "unknown kind \"telephone\""},
        {"b4", "\"required\": false}", "\"required\": false, \"size\": 3}", "unknown key \"size\""},
        {"b5", "{\"kind\": \"signature\"", "{\"kind\": \"footer\"", "unknown kind \"footer\""},
        {"b6", "\"text\": \"{reason}\"", "\"text\": \"{steps_tried}\"", "enum_list"},
        {"b7", "Kind regards,", "Kind { regards,", "literal brace"},
        {"b8", "\"lang\": \"en\"", "\"lang\": \"it\"", "not b8/en"},
        {"b9", "\"date_format\": \"%e %B %Y\"", "\"date_format\": \"%A %e %B\"", "date_format"},
        {"b10", "\"months\": [\"January\", ", "\"months\": [", "12 month names"},
        {"b11", "\"letter\": [",
         "\"letter\": [ {\"kind\": \"meta\", \"text\": \"x\", \"when\": "
         "\"colour\"},",
         "unknown field \"colour\""},
        {"b12", "\"key\": \"phone\"", "\"key\": \"full_name\"", "declared twice"},
        {"b13", "\"key\": \"phone\"", "\"key\": \"date\"", "reserved"},
        {"b14", "\"max_length\": 300", "\"max_length\": 10", "bad default"},
        {"b15", "\"title\":", "\"title\" ", "not valid JSON"},
        {"b16", "{\"kind\": \"field\", \"label\": \"Seller ID\",", "{\"kind\": \"field\",",
         "needs a \"label\""},
        {"b17", "\"kind\": \"phone\"", "\"kind\": \"phone\", \"max_length\": 20",
         "only text fields have a max_length"},
        {"b18", "\"max_length\": 100", "\"max_length\": 0", "max_length must be"},
    };
    (void)state;
    for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
        char file[64];
        idp_status st = load_variant(cases[i].id, cases[i].from, cases[i].to);
        if (st != IDP_E_FORMAT)
            fail_msg("%s: status %d (%s)", cases[i].id, (int)st, idp_ctx_error(ctx));
        snprintf(file, sizeof(file), "%s.en.json", cases[i].id);
        expect_error(file, cases[i].needle);
    }
}

static void test_date_format_variant(void **state)
{
    (void)state;
    assert_int_equal(load_variant("df", "\"date_format\": \"%e %B %Y\"",
                                  "\"date_format\": \"%d/%m/%Y (%B) 100%%\""),
                     IDP_OK);
    set("full_name", "A");
    set("account_email", "a@example.com");
    set("id_type", "passport");
    set("id_expiry", "2031-05-01");
    render(en);
    assert_non_null(find_block(letter, IDP_BLOCK_META, "26/11/2026 (November) 100%"));
    assert_non_null(find_block(letter, IDP_BLOCK_PARAGRAPH, "01/05/2031 (May) 100%"));
    assert_true(letter_has(letter, "data page of my passport"));
    assert_false(letter_has(letter, "front and back"));
}

static void test_missing_language(void **state)
{
    static int dummy;
    idp_template *t = (idp_template *)(void *)&dummy; /* must be reset to NULL */
    (void)state;
    assert_int_equal(idp_template_load(ctx, tpl_dir(), "2fa-reset", "xx", &t), IDP_E_NOTFOUND);
    assert_null(t);
    expect_error("'xx'", "available: ");
    expect_error("en", "it");
    assert_int_equal(idp_template_load(ctx, tpl_dir(), "2fa-reset", "../x", &t), IDP_E_USAGE);
    assert_int_equal(idp_template_load(ctx, tpl_dir(), "../2fa", "en", &t), IDP_E_USAGE);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test_setup_teardown(test_all_templates_load, setup, teardown),
        cmocka_unit_test_setup_teardown(test_declared_fields, setup, teardown),
        cmocka_unit_test_setup_teardown(test_validate_good, setup, teardown),
        cmocka_unit_test_setup_teardown(test_validate_kinds, setup, teardown),
        cmocka_unit_test_setup_teardown(test_country_codes, setup, teardown),
        cmocka_unit_test_setup_teardown(test_validate_email_message, setup, teardown),
        cmocka_unit_test_setup_teardown(test_validate_unknown, setup, teardown),
        cmocka_unit_test_setup_teardown(test_validate_missing, setup, teardown),
        cmocka_unit_test_setup_teardown(test_validate_expired, setup, teardown),
        cmocka_unit_test_setup_teardown(test_variant_identity, setup, teardown),
        cmocka_unit_test_setup_teardown(test_unknown_placeholder, setup, teardown),
        cmocka_unit_test_setup_teardown(test_bad_templates, setup, teardown),
        cmocka_unit_test_setup_teardown(test_date_format_variant, setup, teardown),
        cmocka_unit_test_setup_teardown(test_missing_language, setup, teardown),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
