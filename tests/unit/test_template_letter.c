/* The letters the request templates render: English and Italian with
 * accents kept byte for byte, optional blocks left out, enum labels in the
 * letter's language, one bullet per troubleshooting step, the documents
 * enclosed, country names, dates and spacing per language, every error at
 * once. Loading and validation are tested in test_template.c. */
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

/* ---- rendering -------------------------------------------------------- */
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

/* ---- issue 14: what the letter says, every error at once, languages ---- */
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

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test_setup_teardown(test_render_en, setup, teardown),
        cmocka_unit_test_setup_teardown(test_render_it, setup, teardown),
        cmocka_unit_test_setup_teardown(test_render_optional_left_out, setup, teardown),
        cmocka_unit_test_setup_teardown(test_render_bad_date, setup, teardown),
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
