/* The seller's name against the zone's, the ICAO way (idp_mrz_match), and
 * the build's cross-check of the form against the zone (idp_build_mrz):
 * fields filled, mismatches refused with the zone's answer in English and
 * Italian, swapped photos, nothing of the number or the lines in a
 * message. No OCR: the zones are the ICAO 9303 specimens, parsed. */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>

#include "idp_build_mrz.h"
#include "idp_mrz_match.h"

#include <stdlib.h>
#include <string.h>

static idp_name_match cmp(const char *name, const char *sur, const char *giv)
{
    return idp_name_compare(name, sur, giv, false, false);
}

/* The same, allowing the template reader's misread letters. */
static idp_name_match cmp_read(const char *name, const char *sur, const char *giv)
{
    return idp_name_compare(name, sur, giv, false, true);
}

/* A letter the reader confuses, one a word of four letters or more:
 * IDP_NAME_MISREAD; anything else still differs. */
static void test_misread(void **state)
{
    (void)state;
    /* read by the template reader on PassportEye's images */
    assert_int_equal(cmp_read("Ketty Maus", "MAUS", "KFTTY"), IDP_NAME_MISREAD);
    assert_int_equal(cmp_read("Christophe Ulysse", "ULYSSE", "CHRISTOPHF"), IDP_NAME_MISREAD);
    assert_int_equal(cmp_read("Christophe Ulysse", "ULYSSE", "CHRISTOPHE"), IDP_NAME_MATCH);
    /* one in each word; only the way round measured (E read as F, not F
     * as E) */
    assert_int_equal(cmp_read("Greta Gerber", "QERBER", "QRETA"), IDP_NAME_MISREAD);
    assert_int_equal(cmp_read("Hans Hahn", "MAHN", "HANS"), IDP_NAME_MISREAD);
    assert_int_equal(cmp_read("Fred Fuchs", "FUCHS", "ERED"), IDP_NAME_DIFFERENT);
    assert_int_equal(cmp_read("Mark Weber", "WEBER", "HARK"), IDP_NAME_DIFFERENT);
    assert_int_equal(cmp_read("Jürgen Müller", "MULLER", "JURQEN"), IDP_NAME_MISREAD);
    /* two in one word, a letter the reader does not confuse, a short word */
    assert_int_equal(cmp_read("Georg Weber", "WEBER", "QEORQ"), IDP_NAME_DIFFERENT);
    assert_int_equal(cmp_read("Ketty Maus", "MAUS", "KXTTY"), IDP_NAME_DIFFERENT);
    assert_int_equal(cmp_read("Ketty Maus", "MAUS", "KITTY"), IDP_NAME_DIFFERENT);
    assert_int_equal(cmp_read("Eva Rossi", "ROSSI", "FVA"), IDP_NAME_DIFFERENT);
    assert_int_equal(cmp_read("Ann Rossi", "ROSSI", "AMN"), IDP_NAME_DIFFERENT);
    /* a word missing or another name altogether still differs */
    assert_int_equal(cmp_read("Anna Eriksson", "ERIKSSON", "ANNA MARIA"), IDP_NAME_DIFFERENT);
    assert_int_equal(cmp_read("Maria Rossi", "ERIKSSON", "ANNA"), IDP_NAME_DIFFERENT);
    /* not asked for: a difference */
    assert_int_equal(cmp("Ketty Maus", "MAUS", "KFTTY"), IDP_NAME_DIFFERENT);
    /* a cut name: the misread letter in the part kept */
    assert_int_equal(idp_name_compare("Alexandra Wolfeschlegel", "WOLFFSCHLE", "", true, true),
                     IDP_NAME_MISREAD);
}

static void test_transliteration(void **state)
{
    (void)state;
    /* Ü as UE, U or UXX (ICAO 9303-3 table), in any case */
    assert_int_equal(cmp("Anna Müller", "MUELLER", "ANNA"), IDP_NAME_MATCH);
    assert_int_equal(cmp("Anna Müller", "MULLER", "ANNA"), IDP_NAME_MATCH);
    assert_int_equal(cmp("anna MÜLLER", "MUXXLLER", "ANNA"), IDP_NAME_MATCH);
    /* a combining diaeresis (decomposed Unicode) is the same letter */
    assert_int_equal(cmp("Anna Mu\xcc\x88ller", "MUELLER", "ANNA"), IDP_NAME_MATCH);
    assert_int_equal(cmp("Łukasz Kowalski", "KOWALSKI", "LUKASZ"), IDP_NAME_MATCH);
    assert_int_equal(cmp("Jürgen Straße", "STRASSE", "JUERGEN"), IDP_NAME_MATCH);
    assert_int_equal(cmp("José García Márquez", "GARCIA MARQUEZ", "JOSE"), IDP_NAME_MATCH);
    assert_int_equal(cmp("Søren Ærø", "AEROE", "SOEREN"), IDP_NAME_MATCH);
    assert_int_equal(cmp("Ștefan Țurcanu", "TURCANU", "STEFAN"), IDP_NAME_MATCH);
    assert_int_equal(cmp("Иван Петров", "PETROV", "IVAN"), IDP_NAME_MATCH);
    assert_int_equal(cmp("Щукин Юрий", "SHCHUKIN", "IURII"), IDP_NAME_MATCH);
    /* a wrong transliteration is not the name */
    assert_int_equal(cmp("Anna Müller", "MOLLER", "ANNA"), IDP_NAME_DIFFERENT);
    /* the seller who writes Mueller wrote no Ü: MULLER is another name */
    assert_int_equal(cmp("Anna Mueller", "MULLER", "ANNA"), IDP_NAME_DIFFERENT);
    /* a script with no ICAO table here: not compared */
    assert_int_equal(cmp("Νίκος Παπαδόπουλος", "PAPADOPOULOS", "NIKOS"), IDP_NAME_UNKNOWN);
    assert_int_equal(cmp("Anna", "", ""), IDP_NAME_UNKNOWN);
}

static void test_order_and_fillers(void **state)
{
    (void)state;
    /* any order of surnames and given names */
    assert_int_equal(cmp("Müller Anna Maria", "MUELLER", "ANNA MARIA"), IDP_NAME_MATCH);
    assert_int_equal(cmp("Maria Anna Müller", "MUELLER", "ANNA MARIA"), IDP_NAME_MATCH);
    /* two surnames, hyphenated or not */
    assert_int_equal(cmp("Łukasz Kowalska-Kwiatkowska", "KOWALSKA KWIATKOWSKA", "LUKASZ"),
                     IDP_NAME_MATCH);
    assert_int_equal(cmp("Łukasz Kowalska Kwiatkowska", "KOWALSKA KWIATKOWSKA", "LUKASZ"),
                     IDP_NAME_MATCH);
    assert_int_equal(cmp("Kowalska, Łukasz", "KOWALSKA", "LUKASZ"), IDP_NAME_MATCH);
    /* an apostrophe left out or as a filler */
    assert_int_equal(cmp("Sean O'Neil", "ONEIL", "SEAN"), IDP_NAME_MATCH);
    assert_int_equal(cmp("Sean O\xe2\x80\x99Neil", "O NEIL", "SEAN"), IDP_NAME_MATCH);
    /* a name left out, or one too many */
    assert_int_equal(cmp("Anna Eriksson", "ERIKSSON", "ANNA MARIA"), IDP_NAME_DIFFERENT);
    assert_int_equal(cmp("Anna Maria Eriksson", "ERIKSSON", "ANNA"), IDP_NAME_DIFFERENT);
    assert_int_equal(cmp("Maria Rossi", "ERIKSSON", "ANNA MARIA"), IDP_NAME_DIFFERENT);
    /* the same word twice must be there twice */
    assert_int_equal(cmp("Anna Anna", "ANNA", "ANNA"), IDP_NAME_MATCH);
    assert_int_equal(cmp("Anna", "ANNA", "ANNA"), IDP_NAME_DIFFERENT);
    /* many alike words: bounded, not every order tried (12! of them) */
    assert_int_equal(cmp("A A A A A A A A A A A A", "A A A A A A A A A A A", "B"),
                     IDP_NAME_UNKNOWN);
}

static void test_truncated(void **state)
{
    (void)state;
    /* a zone cut at the end of its field: its last word a prefix, the
     * names after it missing */
    assert_int_equal(idp_name_compare("Anna Maria Eriksson", "ERIKSSON", "ANNA MA", true, false),
                     IDP_NAME_MATCH);
    assert_int_equal(
        idp_name_compare("Anna Maria Luisa Eriksson", "ERIKSSON", "ANNA M", true, false),
        IDP_NAME_MATCH);
    assert_int_equal(idp_name_compare("Anna Maria Eriksson", "ERIKSSON", "ANNA MA", false, false),
                     IDP_NAME_DIFFERENT);
    assert_int_equal(idp_name_compare("Anna Berta Eriksson", "ERIKSSON", "ANNA MA", true, false),
                     IDP_NAME_DIFFERENT);
}

static void parse(const char *const *lines, int n, idp_mrz *m)
{
    assert_true(idp_mrz_parse(lines, n, m));
}

static void test_zone_name(void **state)
{
    /* the fillers after the name read as letters are not the name */
    const char *td3[2] = {"P<D<<MUELLER<<ANNA<<<<<<<<<<<<<<<GGSSSERKRKK",
                          "X4R7P0Q121D<<8503127F3511303<<<<<<<<<<<<<<08"};
    /* a TD1 name filling its field: cut short */
    const char *td1[3] = {"I<UTOD231458907<<<<<<<<<<<<<<<", "7408122F1204159UTO<<<<<<<<<<<6",
                          "KOWALSKA<KWIATKOWSKA<<LUKASZ<M"};
    char sur[48], giv[48];
    bool cut;
    idp_mrz m;
    (void)state;

    parse(td3, 2, &m);
    assert_true(idp_mrz_name_parts(&m, sur, giv, &cut));
    assert_string_equal(sur, "MUELLER");
    assert_string_equal(giv, "ANNA");
    assert_false(cut);
    assert_int_equal(idp_mrz_name_compare(&m, "Anna Müller"), IDP_NAME_MATCH);
    assert_int_equal(idp_mrz_name_compare(&m, "Anna Maria Müller"), IDP_NAME_DIFFERENT);
    parse(td1, 3, &m);
    assert_true(idp_mrz_name_parts(&m, sur, giv, &cut));
    assert_string_equal(sur, "KOWALSKA KWIATKOWSKA");
    assert_string_equal(giv, "LUKASZ M");
    assert_true(cut);
    assert_int_equal(idp_mrz_name_compare(&m, "Łukasz Marek Kowalska-Kwiatkowska"), IDP_NAME_MATCH);
    assert_int_equal(idp_mrz_name_compare(&m, "Łukasz Kowalska-Kwiatkowska Nowak"),
                     IDP_NAME_DIFFERENT);
}

static void test_icao_spelling(void **state)
{
    char buf[64];
    (void)state;
    idp_name_icao("  Anna-Maria  Müller ", buf, sizeof(buf));
    assert_string_equal(buf, "ANNA MARIA MUELLER");
    idp_name_icao("Sean O'Neil", buf, sizeof(buf));
    assert_string_equal(buf, "SEAN ONEIL");
    idp_name_icao("Νίκος", buf, sizeof(buf));
    assert_string_equal(buf, "?????");
    idp_name_icao("Łukasz", buf, 4);
    assert_int_equal(strlen(buf), 3);
}

/* ---- the cross-check ------------------------------------------------------ */

/* The ICAO 9303 part 4 and part 5 specimens. */
static const char *const SPEC_TD3[2] = {"P<UTOERIKSSON<<ANNA<MARIA<<<<<<<<<<<<<<<<<<<",
                                        "L898902C36UTO7408122F1204159ZE184226B<<<<<10"};
static const char *const SPEC_TD1[3] = {"I<UTOD231458907<<<<<<<<<<<<<<<",
                                        "7408122F1204159UTO<<<<<<<<<<<6",
                                        "ERIKSSON<<ANNA<MARIA<<<<<<<<<<"};

typedef struct fixture {
    idp_ctx *ctx;
    idp_form *form;
    idp_policy policy;
    idp_check_report reports[2];
    idp_form *filled;
} fixture;

static int setup(void **state)
{
    fixture *f = calloc(1, sizeof(*f));
    if (f == NULL || idp_ctx_create(&f->ctx) != IDP_OK ||
        idp_form_create(f->ctx, &f->form) != IDP_OK)
        return -1;
    idp_policy_default(&f->policy);
    f->policy.mrz_read = 1;
    *state = f;
    return 0;
}

static int teardown(void **state)
{
    fixture *f = *state;
    idp_form_destroy(f->filled);
    idp_form_destroy(f->form);
    idp_ctx_destroy(f->ctx);
    free(f);
    return 0;
}

static void set(fixture *f, const char *key, const char *value)
{
    assert_int_equal(idp_form_set(f->ctx, f->form, key, value, "test", 1), IDP_OK);
}

static void zone(fixture *f, int photo, const char *const *lines, int n)
{
    f->reports[photo].has_mrz = true;
    parse(lines, n, &f->reports[photo].mrz);
}

static char warning[512];

static idp_status cross(fixture *f, size_t n, const char *tlang)
{
    const idp_build_mrz_in in = {
        &f->policy, f->form,        tlang, f->reports, n, {"front.jpg", n == 2 ? "back.jpg" : NULL},
        warning,    sizeof(warning)};
    idp_form_destroy(f->filled);
    f->filled = NULL;
    idp_status st = idp_build_mrz_cross(f->ctx, &in, &f->filled);
    /* never the number nor a line in a message */
    assert_null(strstr(idp_ctx_error(f->ctx), "L898902C3"));
    assert_null(strstr(idp_ctx_error(f->ctx), "D23145890"));
    assert_null(strstr(idp_ctx_error(f->ctx), "<<"));
    return st;
}

static void test_fill(void **state)
{
    fixture *f = *state;

    set(f, "full_name", "Anna Maria Eriksson");
    zone(f, 0, SPEC_TD3, 2);
    assert_int_equal(cross(f, 1, "en"), IDP_OK);
    assert_string_equal(idp_form_get(f->filled, "id_type"), "passport");
    assert_string_equal(idp_form_get(f->filled, "id_expiry"), "2012-04-15");
    assert_string_equal(idp_form_get(f->filled, "full_name"), "Anna Maria Eriksson");
    assert_null(idp_form_get(f->form, "id_type")); /* the form given is left as it is */

    /* an ID card: the zone on the back */
    memset(f->reports, 0, sizeof(f->reports));
    zone(f, 1, SPEC_TD1, 3);
    assert_int_equal(cross(f, 2, "en"), IDP_OK);
    assert_string_equal(idp_form_get(f->filled, "id_type"), "id_card");
    assert_string_equal(idp_form_get(f->filled, "id_expiry"), "2012-04-15");

    /* what agrees passes: an expiry written the Italian way, a residence
     * permit on an I< card */
    set(f, "id_expiry", "15/04/2012");
    set(f, "id_type", "residence_permit");
    assert_int_equal(cross(f, 2, "it"), IDP_OK);
    assert_string_equal(idp_form_get(f->filled, "id_expiry"), "15/04/2012");
}

static void test_nothing_read(void **state)
{
    fixture *f = *state;

    set(f, "full_name", "Anna Maria Eriksson");
    assert_int_equal(cross(f, 2, "en"), IDP_E_FIELD);
    assert_non_null(strstr(idp_ctx_error(f->ctx), "id_expiry is missing"));
    assert_non_null(strstr(idp_ctx_error(f->ctx), "id_type is missing"));
    assert_null(f->filled);
    /* given in the form: nothing to say */
    set(f, "id_type", "id_card");
    set(f, "id_expiry", "2030-01-01");
    assert_int_equal(cross(f, 2, "en"), IDP_OK);
}

static void test_mismatch(void **state)
{
    fixture *f = *state;
    const char *e;

    set(f, "full_name", "Maria Rossi");
    set(f, "id_type", "id_card");
    set(f, "id_expiry", "2012-04-16");
    zone(f, 0, SPEC_TD3, 2);
    assert_int_equal(cross(f, 1, "en"), IDP_E_MISMATCH);
    e = idp_ctx_error(f->ctx);
    assert_non_null(strstr(e, "id_type is id_card, but the machine-readable zone of front.jpg "
                              "says passport (document code P)"));
    assert_non_null(strstr(e, "set id_expiry=2012-04-15"));
    assert_null(strstr(e, "2012-04-16")); /* the form's value is not quoted */
    assert_non_null(strstr(e, "full_name \"Maria Rossi\" (MARIA ROSSI, as an ID writes it)"));
    assert_non_null(strstr(e, "surname ERIKSSON, given names ANNA MARIA"));
    assert_null(f->filled);

    idp_ctx_set_lang(f->ctx, "it");
    assert_int_equal(cross(f, 1, "en"), IDP_E_MISMATCH);
    e = idp_ctx_error(f->ctx);
    assert_non_null(strstr(e, "id_type è id_card, ma la zona a lettura ottica di front.jpg "
                              "indica passport"));
    assert_non_null(strstr(e, "imposta id_expiry=2012-04-15"));
    assert_non_null(strstr(e, "cognome ERIKSSON, nomi ANNA MARIA"));

    /* the policy relaxes the name, not the rest */
    idp_ctx_set_lang(f->ctx, "en");
    f->policy.mrz_name_match = 0;
    set(f, "id_type", "passport");
    set(f, "id_expiry", "2012-04-15");
    assert_int_equal(cross(f, 1, "en"), IDP_OK);
    f->policy.mrz_name_match = 1;
    assert_int_equal(cross(f, 1, "en"), IDP_E_MISMATCH);
    assert_null(strstr(idp_ctx_error(f->ctx), "id_type"));
    set(f, "full_name", "Eriksson Anna Maria");
    assert_int_equal(cross(f, 1, "en"), IDP_OK);

    /* a driving licence does not carry an ID card's zone */
    memset(f->reports, 0, sizeof(f->reports));
    zone(f, 1, SPEC_TD1, 3);
    set(f, "id_type", "driving_licence");
    assert_int_equal(cross(f, 2, "en"), IDP_E_MISMATCH);
    assert_non_null(strstr(idp_ctx_error(f->ctx), "says id_card (document code I)"));
}

/* A name the template reader read with a letter it confuses: built, with
 * a warning; read by Tesseract, or with a letter it does not confuse: a
 * mismatch. */
static void test_misread_zone(void **state)
{
    static const char *const misread[2] = {"P<UTOERIKSSON<<ANNA<MARLA<<<<<<<<<<<<<<<<<<<",
                                           "L898902C36UTO7408122F1204159ZE184226B<<<<<10"};
    static const char *const read_q[2] = {"P<UTOERIKSSON<<ANNA<MARIA<<<<<<<<<<<<<<<<<<<",
                                          "L898902C36UTO7408122F1204159ZE184226B<<<<<10"};
    fixture *f = *state;
    char line0[45];

    set(f, "full_name", "Anna Maria Eriksson");
    zone(f, 0, misread, 2); /* I read as L: not a pair the reader confuses */
    strcpy(f->reports[0].mrz.engine, "ocrb");
    assert_int_equal(cross(f, 1, "en"), IDP_E_MISMATCH);
    assert_string_equal(warning, "");

    /* ERIKSSON read as FRIKSSON by the template reader */
    memcpy(line0, read_q[0], sizeof(line0));
    line0[5] = 'F';
    const char *lines[2] = {line0, read_q[1]};
    zone(f, 0, lines, 2);
    strcpy(f->reports[0].mrz.engine, "ocrb");
    assert_int_equal(cross(f, 1, "en"), IDP_OK);
    assert_string_equal(warning, "one letter of the name on the ID (the machine-readable zone of "
                                 "front.jpg) could not be read with certainty: check that "
                                 "full_name is spelt exactly as on the ID");
    idp_ctx_set_lang(f->ctx, "it");
    assert_int_equal(cross(f, 1, "en"), IDP_OK);
    assert_non_null(strstr(warning, "non si è potuta leggere con certezza"));
    idp_ctx_set_lang(f->ctx, "en");
    /* the same reading by Tesseract, whose misreads were not measured */
    strcpy(f->reports[0].mrz.engine, "tesseract");
    assert_int_equal(cross(f, 1, "en"), IDP_E_MISMATCH);
    assert_non_null(strstr(idp_ctx_error(f->ctx), "surname FRIKSSON"));
    /* the name read exactly: no warning */
    zone(f, 0, read_q, 2);
    strcpy(f->reports[0].mrz.engine, "ocrb");
    assert_int_equal(cross(f, 1, "en"), IDP_OK);
    assert_string_equal(warning, "");
}

static void test_swapped(void **state)
{
    fixture *f = *state;

    set(f, "full_name", "Anna Maria Eriksson");
    zone(f, 0, SPEC_TD1, 3); /* the card's back given as the front */
    assert_int_equal(cross(f, 2, "en"), IDP_E_MISMATCH);
    assert_non_null(strstr(idp_ctx_error(f->ctx), "front.jpg, given as the front, shows a "
                                                  "machine-readable zone"));
    assert_non_null(strstr(idp_ctx_error(f->ctx), "probably swapped"));
    /* the caller adds how its program gives the photos: not the library */
    assert_int_equal(idp_ctx_advice(f->ctx), IDP_ADVICE_SWAP_PHOTOS);
    assert_null(strstr(idp_ctx_error(f->ctx), "--front"));
    assert_null(strstr(idp_ctx_error(f->ctx), "CSV"));
    idp_ctx_set_lang(f->ctx, "it");
    assert_int_equal(cross(f, 2, "en"), IDP_E_MISMATCH);
    assert_non_null(strstr(idp_ctx_error(f->ctx), "probabilmente invertite"));
    idp_ctx_set_lang(f->ctx, "en");
    /* a passport page alone, or a zone on both: not swapped */
    assert_int_equal(cross(f, 1, "en"), IDP_OK);
    zone(f, 1, SPEC_TD1, 3);
    assert_int_equal(cross(f, 2, "en"), IDP_OK);
    /* a TD3 page given as the front with a second photo is not a card's back */
    memset(f->reports, 0, sizeof(f->reports));
    zone(f, 0, SPEC_TD3, 2);
    set(f, "id_type", "passport");
    assert_int_equal(cross(f, 2, "en"), IDP_OK);
}

static void test_probe(void **state)
{
    fixture *f = *state;
    idp_form *probe = NULL;

    set(f, "full_name", "Anna");
    assert_int_equal(idp_build_mrz_probe(f->ctx, &f->policy, f->form, 2, &probe), IDP_OK);
    assert_non_null(probe);
    assert_string_equal(idp_form_get(probe, "id_type"), "id_card");
    assert_non_null(idp_form_get(probe, "id_expiry"));
    idp_form_destroy(probe);
    f->policy.mrz_read = 0; /* off: the form as it is */
    assert_int_equal(idp_build_mrz_probe(f->ctx, &f->policy, f->form, 2, &probe), IDP_OK);
    assert_null(probe);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_transliteration),
        cmocka_unit_test(test_misread),
        cmocka_unit_test(test_order_and_fillers),
        cmocka_unit_test(test_truncated),
        cmocka_unit_test(test_zone_name),
        cmocka_unit_test(test_icao_spelling),
        cmocka_unit_test_setup_teardown(test_fill, setup, teardown),
        cmocka_unit_test_setup_teardown(test_nothing_read, setup, teardown),
        cmocka_unit_test_setup_teardown(test_mismatch, setup, teardown),
        cmocka_unit_test_setup_teardown(test_misread_zone, setup, teardown),
        cmocka_unit_test_setup_teardown(test_swapped, setup, teardown),
        cmocka_unit_test_setup_teardown(test_probe, setup, teardown),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
