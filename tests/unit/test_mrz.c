/* ICAO 9303 parsing: the specimens of ICAO 9303 parts 4 and 5, check
 * digits, repairs by field kind and by check digit, long document
 * numbers, masking. */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>

#include "idp_mrz.h"

#include <string.h>

/* Whether check id is there and valid (-1: not there). */
static int valid(const idp_mrz *m, idp_mrz_check_id id)
{
    for (size_t i = 0; i < m->n_checks; i++)
        if (m->checks[i].id == id)
            return m->checks[i].valid ? 1 : 0;
    return -1;
}

static void test_check_digit(void **state)
{
    (void)state;
    assert_int_equal(idp_mrz_check_digit("L898902C3", 9), 6);
    assert_int_equal(idp_mrz_check_digit("740812", 6), 2);
    assert_int_equal(idp_mrz_check_digit("120415", 6), 9);
    assert_int_equal(idp_mrz_check_digit("<<<<<<", 6), 0);
    assert_int_equal(idp_mrz_check_digit("ab", 2), -1);
}

/* ICAO 9303 part 4 (TD3) specimen. */
static void test_td3(void **state)
{
    const char *l[2] = {"P<UTOERIKSSON<<ANNA<MARIA<<<<<<<<<<<<<<<<<<<",
                        "L898902C36UTO7408122F1204159ZE184226B<<<<<10"};
    idp_mrz m;
    char buf[24];
    (void)state;
    assert_true(idp_mrz_parse(l, 2, &m));
    assert_int_equal(m.format, IDP_MRZ_TD3);
    assert_int_equal(m.valid_score, 100);
    assert_int_equal(m.n_checks, 5);
    assert_string_equal(m.document_type, "P");
    assert_string_equal(m.issuing_state, "UTO");
    assert_string_equal(m.surname, "ERIKSSON");
    assert_string_equal(m.given_names, "ANNA MARIA");
    assert_string_equal(m.document_number, "L898902C3");
    assert_string_equal(m.nationality, "UTO");
    assert_string_equal(m.birth_date, "740812");
    assert_int_equal(m.sex, 'F');
    assert_string_equal(m.optional_data, "ZE184226B");
    assert_true(idp_mrz_expiry_iso(&m, buf));
    assert_string_equal(buf, "2012-04-15");
    assert_true(idp_mrz_birth_iso(&m, 2026, buf));
    assert_string_equal(buf, "1974-08-12");
    idp_mrz_masked_number(&m, buf, sizeof(buf));
    assert_string_equal(buf, "******2C3");
    assert_int_equal(m.n_repairs, 0);
    idp_mrz_wipe(&m);
    assert_int_equal(m.format, IDP_MRZ_NONE);
}

/* ICAO 9303 part 5 (TD1) specimen, and its document number over 9
 * characters. */
static void test_td1(void **state)
{
    const char *l[3] = {"I<UTOD231458907<<<<<<<<<<<<<<<", "7408122F1204159UTO<<<<<<<<<<<6",
                        "ERIKSSON<<ANNA<MARIA<<<<<<<<<<"};
    const char *lng[3] = {"I<UTOD23145890<AB112234566<<<<", "7408122F1204159UTO<<<<<<<<<<<4",
                          "ERIKSSON<<ANNA<MARIA<<<<<<<<<<"};
    idp_mrz m;
    (void)state;
    assert_true(idp_mrz_parse(l, 3, &m));
    assert_int_equal(m.format, IDP_MRZ_TD1);
    assert_int_equal(m.valid_score, 100);
    assert_string_equal(m.document_number, "D23145890");
    assert_string_equal(m.surname, "ERIKSSON");
    assert_true(idp_mrz_parse(lng, 3, &m));
    assert_string_equal(m.document_number, "D23145890AB11223456");
    assert_int_equal(valid(&m, IDP_MRZ_CHECK_NUMBER), 1);
}

/* Letters in dates become digits, digits in names letters; the
 * alphanumeric number takes the variant its check digit accepts. */
static void test_repairs(void **state)
{
    const char *l[2] = {"P<UT0ERIKSS0N<<ANNA<MARIA<<<<<<<<<<<<<<<<<<<",
                        "L898902C36UTO74O8122F12O4159ZE184226B<<<<<10"};
    idp_mrz m;
    int digit = 0, letter = 0, check = 0;
    (void)state;
    assert_true(idp_mrz_parse(l, 2, &m));
    assert_int_equal(m.valid_score, 100);
    assert_string_equal(m.issuing_state, "UTO");
    assert_string_equal(m.surname, "ERIKSSON");
    assert_string_equal(m.birth_date, "740812");
    assert_string_equal(m.document_number, "L898902C3");
    for (size_t i = 0; i < m.n_repairs; i++) {
        digit += strcmp(m.repairs[i].why, "digit") == 0;
        letter += strcmp(m.repairs[i].why, "letter") == 0;
        check += strcmp(m.repairs[i].why, "check") == 0;
    }
    assert_int_equal(digit, 2);
    assert_int_equal(letter, 2);
    assert_int_equal(check, 0);
}

static void test_number_by_check(void **state)
{
    /* an 8 of the number read as B: only 8 validates */
    const char *l[2] = {"P<UTOERIKSSON<<ANNA<MARIA<<<<<<<<<<<<<<<<<<<",
                        "L898902C36UTO7408122F1204159ZE184226B<<<<<10"};
    char l2[45];
    memcpy(l2, l[1], 45);
    l2[3] = 'B'; /* L89B902C3: the 8 read as B */
    const char *r[2] = {l[0], l2};
    idp_mrz m;
    (void)state;
    assert_true(idp_mrz_parse(r, 2, &m));
    assert_string_equal(m.document_number, "L898902C3");
    assert_int_equal(m.valid_score, 100);
    assert_int_equal(m.n_repairs, 1);
    assert_string_equal(m.repairs[0].why, "check");
}

static void test_swapped_and_bad(void **state)
{
    const char *l[2] = {"P<UTOERIKSSON<<ANNA<MARIA<<<<<<<<<<<<<<<<<<<",
                        "L898902C36UTO7480122F1204159ZE184226B<<<<<10"};
    const char *shortl[2] = {"P<UTO", "L898"};
    idp_mrz m;
    (void)state;
    assert_true(idp_mrz_parse(l, 2, &m));
    assert_int_equal(valid(&m, IDP_MRZ_CHECK_BIRTH), 0);
    assert_int_equal(valid(&m, IDP_MRZ_CHECK_COMPOSITE), 0);
    assert_int_equal(m.valid_score, 60);
    assert_false(idp_mrz_parse(shortl, 2, &m));
    assert_int_equal(m.format, IDP_MRZ_NONE);
}

static void test_visa(void **state)
{
    const char *l[2] = {"V<UTOERIKSSON<<ANNA<MARIA<<<<<<<<<<<<<<<<<<<",
                        "L8988901C4XXX4009078F96121096ZE184226B<<<<<<"};
    idp_mrz m;
    (void)state;
    assert_true(idp_mrz_parse(l, 2, &m));
    assert_int_equal(m.format, IDP_MRZ_MRVA);
    assert_int_equal(m.n_checks, 3);
    assert_int_equal(m.valid_score, 100);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_check_digit),
        cmocka_unit_test(test_td3),
        cmocka_unit_test(test_td1),
        cmocka_unit_test(test_repairs),
        cmocka_unit_test(test_number_by_check),
        cmocka_unit_test(test_swapped_and_bad),
        cmocka_unit_test(test_visa),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
