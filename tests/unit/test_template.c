/* Request templates: every language file in templates/ loads and declares
 * the same fields; strict loading (unknown placeholders, keys, kinds);
 * validation of each field kind; rendering in English and Italian with
 * accents kept byte for byte, optional blocks left out, enum labels in the
 * letter's language and one bullet per troubleshooting step. */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>

#include "idp_template.h"
#include "testutil.h"

#include <dirent.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define TODAY "2026-11-26"
/* 101 characters (Ł is two bytes): one over full_name's max_length */
#define LONG_NAME                                                                                          \
    "ŁŁŁŁŁŁŁŁŁŁŁŁŁŁŁŁŁŁŁŁŁŁŁŁŁŁŁŁŁŁŁŁŁŁŁŁŁŁŁŁŁŁŁŁŁŁŁŁŁŁ" \
    "ŁŁŁŁŁŁŁŁŁŁŁŁŁŁŁŁŁŁŁŁŁŁŁŁŁŁŁŁŁŁŁŁŁŁŁŁŁŁŁŁŁŁŁŁŁŁŁŁŁŁŁ"

static idp_ctx *ctx;
static idp_form *form;
static idp_template *en, *it;
static idp_letter *letter;

static const char *tpl_dir(void)
{
    return tu_path(tu_env("IDP_SRC"), "templates");
}

static int setup(void **state)
{
    (void)state;
    if (idp_ctx_create(&ctx) != IDP_OK || idp_form_create(ctx, &form) != IDP_OK)
        return -1;
    if (idp_template_load(ctx, tpl_dir(), "2fa-reset", "en", &en) != IDP_OK ||
        idp_template_load(ctx, tpl_dir(), "2fa-reset", "it", &it) != IDP_OK) {
        fprintf(stderr, "%s\n", idp_ctx_error(ctx));
        return -1;
    }
    return 0;
}

static int teardown(void **state)
{
    (void)state;
    idp_letter_destroy(letter);
    idp_template_destroy(en);
    idp_template_destroy(it);
    idp_form_destroy(form);
    idp_ctx_destroy(ctx);
    letter = NULL;
    en = it = NULL;
    form = NULL;
    return 0;
}

static void expect_error(const char *needle1, const char *needle2)
{
    const char *e = idp_ctx_error(ctx);
    if (strstr(e, needle1) == NULL || (needle2 != NULL && strstr(e, needle2) == NULL))
        fail_msg("error \"%s\" should mention \"%s\" and \"%s\"", e, needle1,
                 needle2 ? needle2 : "");
}

static void set(const char *key, const char *value)
{
    if (idp_form_set(ctx, form, key, value, "test", 1) != IDP_OK)
        fail_msg("set %s: %s", key, idp_ctx_error(ctx));
}

/* The required fields, valid. */
static void fill_required(void)
{
    set("full_name", "Erika Mustermann");
    set("account_email", "erika.mustermann@example.com");
    set("id_type", "id_card");
    set("id_expiry", "2031-05-31");
}

/* ---- the shipped templates -------------------------------------------- */

static char *read_all(const char *path)
{
    FILE *f = fopen(path, "rb");
    char *buf;
    long n;
    assert_non_null(f);
    assert_int_equal(fseek(f, 0, SEEK_END), 0);
    n = ftell(f);
    assert_true(n > 0);
    rewind(f);
    buf = malloc((size_t)n + 1);
    assert_non_null(buf);
    assert_int_equal(fread(buf, 1, (size_t)n, f), (size_t)n);
    buf[n] = '\0';
    fclose(f);
    return buf;
}

/* Every templates/<id>.<lang>.json loads, and each 2fa-reset language
 * declares exactly the English fields, kinds, required flags and choices. */
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

/* ---- rendering -------------------------------------------------------- */

/* The text of the first block of kind containing needle, or NULL. */
static const idp_block *find_block(const idp_letter *l, idp_block_kind kind, const char *needle)
{
    for (size_t i = 0; i < l->n_blocks; i++)
        if (l->blocks[i].kind == kind && strstr(l->blocks[i].text, needle) != NULL)
            return &l->blocks[i];
    return NULL;
}

/* find_block() that fails the test when there is no such block. */
static const idp_block *must_find(const idp_letter *l, idp_block_kind kind, const char *needle)
{
    const idp_block *b = find_block(l, kind, needle);
    if (b == NULL) {
        fail_msg("no block of kind %d with \"%s\"", (int)kind, needle);
        abort();
    }
    return b;
}

static size_t count_kind(const idp_letter *l, idp_block_kind kind)
{
    size_t n = 0;
    for (size_t i = 0; i < l->n_blocks; i++)
        n += l->blocks[i].kind == kind;
    return n;
}

static int letter_has(const idp_letter *l, const char *needle)
{
    for (size_t i = 0; i < l->n_blocks; i++)
        if (strstr(l->blocks[i].text, needle) != NULL ||
            (l->blocks[i].label != NULL && strstr(l->blocks[i].label, needle) != NULL))
            return 1;
    return 0;
}

static void render(const idp_template *t)
{
    idp_letter_destroy(letter);
    letter = NULL;
    if (idp_template_validate(ctx, t, form, TODAY) != IDP_OK ||
        idp_template_render(ctx, t, form, "IDP-7KQ2-9XHF", TODAY, &letter) != IDP_OK)
        fail_msg("%s", idp_ctx_error(ctx));
}

static void fill_all(void)
{
    set("full_name", "Łukasz Żółć");
    set("account_email", "lukasz@example.com");
    set("id_type", "id_card");
    set("id_expiry", "2031-05-31");
    set("phone", "+48 22 123 45 67");
    set("business_name", "Müller & Società");
    set("store_name", "Straße {x}");
    set("seller_id", "A1B2C3D4E5F6G7");
    set("marketplace", "amazon.it");
    set("country", "IT");
    set("steps_tried", "other_browser_device,email_password_checked");
}

static void test_render_en(void **state)
{
    const idp_field *steps = idp_template_find_field(en, "steps_tried");
    const idp_block *b;
    (void)state;
    fill_all();
    render(en);
    assert_string_equal(letter->lang, "en");
    assert_string_equal(letter->title, idp_template_title(en));
    assert_int_equal(letter->blocks[0].kind, IDP_BLOCK_TITLE);
    /* accents and braces in values byte for byte */
    assert_non_null(find_block(letter, IDP_BLOCK_PARAGRAPH, "Łukasz Żółć"));
    b = must_find(letter, IDP_BLOCK_SIGNATURE, "");
    assert_string_equal(b->text, "Łukasz Żółć");
    assert_true(letter_has(letter, "Müller & Società"));
    assert_true(letter_has(letter, "Straße {x}"));
    /* reference and dates */
    assert_non_null(find_block(letter, IDP_BLOCK_META, "IDP-7KQ2-9XHF"));
    assert_non_null(find_block(letter, IDP_BLOCK_META, "26 November 2026"));
    assert_non_null(find_block(letter, IDP_BLOCK_PARAGRAPH, "31 May 2031"));
    /* enum label in the letter's language, never the key */
    assert_true(letter_has(letter, "identity card"));
    assert_false(letter_has(letter, "id_card"));
    /* one bullet per chosen step, in the template's order */
    assert_int_equal(count_kind(letter, IDP_BLOCK_BULLET), 2);
    for (size_t i = 0, k = 0; i < letter->n_blocks; i++) {
        if (letter->blocks[i].kind != IDP_BLOCK_BULLET)
            continue;
        assert_string_equal(letter->blocks[i].text, steps->choice_labels[k == 0 ? 0 : 4]);
        k++;
    }
    /* field blocks keep label and value apart */
    b = must_find(letter, IDP_BLOCK_FIELD, "A1B2C3D4E5F6G7");
    assert_non_null(b->label);
    assert_string_equal(b->text, "A1B2C3D4E5F6G7");
    /* the default reason, the phone paragraph */
    assert_true(letter_has(letter, idp_template_find_field(en, "reason")->default_value));
    /* a phone number kept whole: its spaces are no-break spaces (U+00A0) */
    assert_non_null(find_block(letter, IDP_BLOCK_PARAGRAPH,
                               "+48\xc2\xa0"
                               "22\xc2\xa0"
                               "123\xc2\xa0"
                               "45\xc2\xa0"
                               "67"));
    assert_false(letter_has(letter, "+48 22"));
    /* no placeholder left */
    for (size_t i = 0; i < letter->n_blocks; i++)
        if (strstr(letter->blocks[i].text, "{") != NULL &&
            strstr(letter->blocks[i].text, "Straße {x}") == NULL)
            fail_msg("unfilled: %s", letter->blocks[i].text);
}

static void test_render_it(void **state)
{
    const idp_field *steps = idp_template_find_field(it, "steps_tried");
    (void)state;
    fill_all();
    set("reason", "Ho perso il telefono è così via");
    render(it);
    assert_string_equal(letter->lang, "it");
    assert_non_null(find_block(letter, IDP_BLOCK_PARAGRAPH, "Gentile Team Amazon Seller Support"));
    assert_non_null(find_block(letter, IDP_BLOCK_PARAGRAPH, "Cordiali saluti"));
    assert_non_null(find_block(letter, IDP_BLOCK_PARAGRAPH, "Łukasz Żółć"));
    assert_non_null(find_block(letter, IDP_BLOCK_META, "26 novembre 2026"));
    assert_non_null(find_block(letter, IDP_BLOCK_PARAGRAPH, "31 maggio 2031"));
    assert_true(letter_has(letter, "carta d'identità"));
    assert_false(letter_has(letter, "identity card"));
    assert_true(letter_has(letter, "Ho perso il telefono è così via"));
    assert_false(letter_has(letter, idp_template_find_field(it, "reason")->default_value));
    assert_int_equal(count_kind(letter, IDP_BLOCK_BULLET), 2);
    assert_non_null(find_block(letter, IDP_BLOCK_BULLET, steps->choice_labels[0]));
    assert_non_null(find_block(letter, IDP_BLOCK_BULLET, steps->choice_labels[4]));
}

/* Optional fields without a value: their blocks are left out, and the
 * heading gated on steps_tried goes with the bullets. */
static void test_render_optional_left_out(void **state)
{
    size_t with_all, minimal;
    (void)state;
    fill_all();
    render(en);
    with_all = letter->n_blocks;
    assert_true(letter_has(letter, "What I have already tried"));

    idp_form_destroy(form);
    assert_int_equal(idp_form_create(ctx, &form), IDP_OK);
    fill_required();
    render(en);
    minimal = letter->n_blocks;
    assert_true(minimal < with_all);
    assert_int_equal(count_kind(letter, IDP_BLOCK_BULLET), 0);
    assert_false(letter_has(letter, "What I have already tried"));
    assert_false(letter_has(letter, "phone number is"));
    assert_null(find_block(letter, IDP_BLOCK_FIELD, "amazon."));
    /* only the account email remains among the account lines */
    assert_int_equal(count_kind(letter, IDP_BLOCK_FIELD), 1);
    assert_true(letter_has(letter, "erika.mustermann@example.com"));
    assert_true(letter_has(letter, idp_template_find_field(en, "reason")->default_value));
    /* an empty optional value counts as absent */
    set("phone", "");
    render(en);
    assert_int_equal(letter->n_blocks, minimal);
}

static void test_render_bad_date(void **state)
{
    (void)state;
    fill_required();
    assert_int_equal(idp_template_render(ctx, en, form, "R", "26/11/2026", &letter), IDP_E_USAGE);
    assert_null(letter);
}

/* ---- strict loading --------------------------------------------------- */

/* Writes the English template with id renamed to `id` and one substring
 * replaced, as <tmp>/<id>.en.json, and loads it. */
static idp_status load_variant(const char *id, const char *from, const char *to)
{
    char *src = read_all(tu_path(tpl_dir(), "2fa-reset.en.json"));
    char idline[128];
    const char *hit = strstr(src, from);
    FILE *f;
    idp_template *t = NULL;
    idp_status st;
    char name[128];

    if (hit == NULL)
        fail_msg("'%s' not in the English template", from);
    snprintf(name, sizeof(name), "%s.en.json", id);
    snprintf(idline, sizeof(idline), "\"id\": \"%s\"", id);
    f = fopen(tu_path(tu_tmpdir(), name), "wb");
    assert_non_null(f);
    {
        const char *idpos = strstr(src, "\"id\": \"2fa-reset\"");
        const char *p = src;
        assert_non_null(idpos);
        /* copy with both substitutions (the id line comes first) */
        assert_true(idpos < hit || strcmp(from, "\"id\": \"2fa-reset\"") == 0);
        if (idpos < hit) {
            fwrite(p, 1, (size_t)(idpos - p), f);
            fputs(idline, f);
            p = idpos + strlen("\"id\": \"2fa-reset\"");
        }
        fwrite(p, 1, (size_t)(hit - p), f);
        fputs(to, f);
        fputs(hit + strlen(from), f);
    }
    assert_int_equal(fclose(f), 0);
    free(src);
    idp_ctx_clear(ctx);
    st = idp_template_load(ctx, tu_tmpdir(), id, "en", &t);
    if (st == IDP_OK) {
        /* keep it for the caller's render checks */
        idp_template_destroy(en);
        en = t;
    }
    return st;
}

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

/* ---- issue 14: what the letter says, every error at once, languages ---- */

static idp_template *load_lang(const char *lang)
{
    idp_template *t = NULL;
    if (idp_template_load(ctx, tpl_dir(), "2fa-reset", lang, &t) != IDP_OK)
        fail_msg("%s: %s", lang, idp_ctx_error(ctx));
    return t;
}

/* A passport: the data page, never "front and back"; any other type:
 * front and back. In every language (the words of each differ, so each
 * is checked against its own template's enclosed paragraphs). */
static void test_documents_enclosed(void **state)
{
    static const struct {
        const char *lang, *both, *page;
    } langs[] = {{"en", "front and back", "data page"},
                 {"it", "fronte e retro", "pagina dei dati"},
                 {"de", "Vorder- und Rückseite", "Datenseite"},
                 {"fr", "recto et verso", "page de données"},
                 {"es", "anverso y reverso", "página de datos"}};
    (void)state;
    for (size_t i = 0; i < sizeof(langs) / sizeof(langs[0]); i++) {
        idp_template *t = load_lang(langs[i].lang);
        fill_required();
        set("id_type", "passport");
        idp_letter_destroy(letter);
        letter = NULL;
        render(t);
        if (letter_has(letter, langs[i].both) || !letter_has(letter, langs[i].page))
            fail_msg("%s passport letter: \"%s\" must not appear, \"%s\" must", langs[i].lang,
                     langs[i].both, langs[i].page);
        set("id_type", "driving_licence");
        idp_letter_destroy(letter);
        letter = NULL;
        render(t);
        if (!letter_has(letter, langs[i].both) || letter_has(letter, langs[i].page))
            fail_msg("%s licence letter: \"%s\" must appear, \"%s\" must not", langs[i].lang,
                     langs[i].both, langs[i].page);
        idp_template_destroy(t);
    }
}

/* The country by name in the letter's language, never the code. */
static void test_country_names(void **state)
{
    (void)state;
    fill_all();
    set("country", "GB");
    render(en);
    assert_non_null(find_block(letter, IDP_BLOCK_FIELD, "United Kingdom"));
    assert_null(find_block(letter, IDP_BLOCK_FIELD, "GB"));
    idp_letter_destroy(letter);
    letter = NULL;
    render(it);
    assert_non_null(find_block(letter, IDP_BLOCK_FIELD, "Regno Unito"));
    idp_letter_destroy(letter);
    letter = NULL;
    set("country", "DE");
    render(it);
    assert_non_null(find_block(letter, IDP_BLOCK_FIELD, "Germania"));
}

/* new_phone: validated like phone, printed as the number to register,
 * apart from the number to reach the seller. */
static void test_new_phone(void **state)
{
    (void)state;
    fill_all();
    set("new_phone", "12");
    assert_int_equal(idp_template_validate(ctx, en, form, TODAY), IDP_E_FIELD);
    expect_error("new_phone", "not a phone number");
    set("new_phone", "+39 333 123 4567");
    assert_int_equal(idp_template_validate(ctx, en, form, TODAY), IDP_OK);
    render(en);
    assert_non_null(find_block(letter, IDP_BLOCK_PARAGRAPH,
                               "register for two-step verification is "
                               "+39\xc2\xa0"
                               "333\xc2\xa0"
                               "123\xc2\xa0"
                               "4567"));
    /* a phone number kept whole: its spaces are no-break spaces (U+00A0) */
    assert_non_null(find_block(letter, IDP_BLOCK_PARAGRAPH,
                               "+48\xc2\xa0"
                               "22\xc2\xa0"
                               "123\xc2\xa0"
                               "45\xc2\xa0"
                               "67"));
    assert_false(letter_has(letter, "+48 22"));
}

/* Three bad fields: three problems in one message, each naming its field. */
static void test_every_error_at_once(void **state)
{
    const char *e;
    (void)state;
    set("account_email", "not-an-email");
    set("id_type", "spaceship");
    set("id_expiry", "2031-02-30");
    set("colour", "blue");
    assert_int_equal(idp_template_validate(ctx, en, form, TODAY), IDP_E_FIELD);
    e = idp_ctx_error(ctx);
    assert_non_null(strstr(e, "full_name (Full name) is required"));
    assert_non_null(strstr(e, "account_email (Account email): not an email"));
    assert_non_null(strstr(e, "id_type (ID document type): not one of"));
    assert_non_null(strstr(e, "id_expiry (ID valid until): not a real date"));
    assert_non_null(strstr(e, "unknown field 'colour'"));
    assert_null(strstr(e, "not-an-email"));
    assert_null(strstr(e, "spaceship"));
}

/* With the context in Italian the whole message is Italian. */
static void test_messages_italian(void **state)
{
    const char *e;
    (void)state;
    idp_ctx_set_lang(ctx, "it");
    set("full_name", "Mario Rossi");
    set("account_email", "mario@example.it");
    set("id_type", "id_card");
    set("id_expiry", "31/02/2031");
    set("phone", "x");
    assert_int_equal(idp_template_validate(ctx, it, form, TODAY), IDP_E_FIELD);
    e = idp_ctx_error(ctx);
    assert_non_null(strstr(e, "id_expiry (Scadenza del documento): non è una data reale"));
    assert_non_null(strstr(e, "phone (Numero di telefono): non è un numero di telefono"));
    assert_null(strstr(e, "not a"));
    set("phone", "+39 02 1234 5678");
    set("id_expiry", "1/1/2020");
    assert_int_equal(idp_template_validate(ctx, it, form, TODAY), IDP_E_EXPIRED);
    assert_non_null(strstr(idp_ctx_error(ctx), "il documento è scaduto"));
}

/* Each language's numeric dates, ISO always; the letter prints them in
 * words. */
static void test_dates_per_language(void **state)
{
    static const struct {
        const char *lang, *value;
        int ok;
    } cases[] = {
        {"it", "31/12/2030", 1}, {"it", "1/2/2031", 1},   {"it", "2030-12-31", 1},
        {"it", "12/31/2030", 0}, {"it", "31.12.2030", 0}, {"it", "31/12/30", 0},
        {"de", "31.12.2030", 1}, {"de", "31/12/2030", 0}, {"fr", "31/12/2030", 1},
        {"es", "31/12/2030", 1}, {"en", "2030-12-31", 1}, {"en", "03/04/2031", 0},
    };
    (void)state;
    for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
        idp_template *t = load_lang(cases[i].lang);
        idp_status st;
        fill_required();
        set("id_expiry", cases[i].value);
        st = idp_template_validate(ctx, t, form, TODAY);
        if ((st == IDP_OK) != cases[i].ok)
            fail_msg("%s %s: status %d (%s)", cases[i].lang, cases[i].value, (int)st,
                     idp_ctx_error(ctx));
        idp_template_destroy(t);
    }
    fill_required();
    set("id_expiry", "31/12/2030");
    render(it);
    assert_non_null(find_block(letter, IDP_BLOCK_PARAGRAPH, "31 dicembre 2030"));
}

/* "when": key=choice and key!=choice; the choice must exist. */
static void test_when_choice(void **state)
{
    (void)state;
    assert_int_equal(
        load_variant("wc", "\"when\": \"id_type=passport\"", "\"when\": \"id_type=spaceship\""),
        IDP_E_FORMAT);
    expect_error("id_type=spaceship", "choices");
}

/* French typography: a narrow no-break space (U+202F) before : ; ? ! in
 * the letter, never an ordinary space (which may break the line there). */
static void test_french_spaces(void **state)
{
    idp_template *fr = load_lang("fr");
    size_t nnbsp = 0;
    (void)state;
    fill_all();
    render(fr);
    for (size_t i = 0; i < letter->n_blocks; i++) {
        const char *t = letter->blocks[i].text;
        for (const char *p = strpbrk(t, ":;?!"); p != NULL; p = strpbrk(p + 1, ":;?!")) {
            if (p > t && p[-1] == ' ')
                fail_msg("an ordinary space before '%c' in \"%s\"", *p, t);
            if (p - t >= 3 && memcmp(p - 3, "\xE2\x80\xAF", 3) == 0)
                nnbsp++;
        }
    }
    assert_true(nnbsp >= 2); /* Référence : and Date : at least */
    idp_template_destroy(fr);
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
        cmocka_unit_test_setup_teardown(test_render_en, setup, teardown),
        cmocka_unit_test_setup_teardown(test_render_it, setup, teardown),
        cmocka_unit_test_setup_teardown(test_render_optional_left_out, setup, teardown),
        cmocka_unit_test_setup_teardown(test_render_bad_date, setup, teardown),
        cmocka_unit_test_setup_teardown(test_variant_identity, setup, teardown),
        cmocka_unit_test_setup_teardown(test_unknown_placeholder, setup, teardown),
        cmocka_unit_test_setup_teardown(test_bad_templates, setup, teardown),
        cmocka_unit_test_setup_teardown(test_date_format_variant, setup, teardown),
        cmocka_unit_test_setup_teardown(test_missing_language, setup, teardown),
        cmocka_unit_test_setup_teardown(test_documents_enclosed, setup, teardown),
        cmocka_unit_test_setup_teardown(test_country_names, setup, teardown),
        cmocka_unit_test_setup_teardown(test_new_phone, setup, teardown),
        cmocka_unit_test_setup_teardown(test_every_error_at_once, setup, teardown),
        cmocka_unit_test_setup_teardown(test_messages_italian, setup, teardown),
        cmocka_unit_test_setup_teardown(test_dates_per_language, setup, teardown),
        cmocka_unit_test_setup_teardown(test_when_choice, setup, teardown),
        cmocka_unit_test_setup_teardown(test_french_spaces, setup, teardown),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
