/* idp_date: calendar days and the UTC times the tool and the manifest
 * read and write. */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>

#include "idp_date.h"

#include <string.h>

static void test_valid_days(void **state)
{
    (void)state;
    assert_true(idp_date_valid(2024, 2, 29));
    assert_false(idp_date_valid(2023, 2, 29));
    assert_false(idp_date_valid(2100, 2, 29)); /* not a leap year */
    assert_true(idp_date_valid(2000, 2, 29));  /* a leap year */
    assert_false(idp_date_valid(2026, 4, 31));
    assert_false(idp_date_valid(2026, 13, 1));
    assert_false(idp_date_valid(1899, 12, 31));
    assert_false(idp_date_valid(2200, 1, 1));
    int y = 0, m = 0, d = 0;
    assert_int_equal(idp_date_parse_iso("2031-02-28", &y, &m, &d), 1);
    assert_int_equal(y * 10000 + m * 100 + d, 20310228);
    assert_int_equal(idp_date_parse_iso("2031-02-29", &y, &m, &d), 0);
    assert_int_equal(idp_date_parse_iso("2031-2-28", &y, &m, &d), 0);
    assert_int_equal(idp_date_parse_iso("2031-02-28x", &y, &m, &d), 0);
    char day[IDP_DAY_LEN];
    idp_date_format(2031, 2, 8, day);
    assert_string_equal(day, "2031-02-08");
}

static void test_days_between(void **state)
{
    (void)state;
    assert_int_equal(idp_days_from_civil(1970, 1, 1), 0);
    assert_int_equal(idp_days_from_civil(2000, 3, 1), 11017);
    assert_int_equal(idp_date_days_between("2026-12-31", "2027-01-01"), 1);
    assert_int_equal(idp_date_days_between("2024-02-28", "2024-03-01"), 2);
    assert_int_equal(idp_date_days_between("2023-02-28", "2023-03-01"), 1);
    assert_int_equal(idp_date_days_between("2026-03-29", "2026-03-28"), -1); /* across DST */
    assert_int_equal(idp_date_days_between("2026-01-01", "2036-01-01"), 3652);
    assert_int_equal(idp_date_days_between("2026-02-30", "2026-03-01"), 0); /* not a date */
}

static void test_times(void **state)
{
    int64_t t = -1;
    char buf[32];
    (void)state;
    assert_true(idp_time_parse_iso("2026-03-01", &t));
    assert_int_equal(t, 1772323200);
    assert_true(idp_time_parse_iso("2026-03-01T10:20Z", &t));
    assert_int_equal(t, 1772323200 + 10 * 3600 + 20 * 60);
    assert_true(idp_time_parse_iso("2026-03-01T10:20:30Z", &t));
    assert_int_equal(t, 1772323200 + 10 * 3600 + 20 * 60 + 30);
    idp_format_date(t, true, buf, sizeof(buf));
    assert_string_equal(buf, "2026-03-01T10:20:30Z");
    idp_format_date(t, false, buf, sizeof(buf));
    assert_string_equal(buf, "2026-03-01");
    assert_false(idp_time_parse_iso("2026-02-29", &t));
    assert_false(idp_time_parse_iso("1969-12-31", &t));
    assert_false(idp_time_parse_iso("2026-03-01T24:00Z", &t));
    assert_false(idp_time_parse_iso("2026-03-01T10:60:00Z", &t));
    assert_false(idp_time_parse_iso("2026-03-01T10:20:30", &t));
    assert_false(idp_time_parse_iso("2026-03-01 10:20:30Z", &t));
    assert_false(idp_time_parse_iso("+026-03-01", &t));
    assert_false(idp_time_parse_iso("", &t));
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_valid_days),
        cmocka_unit_test(test_days_between),
        cmocka_unit_test(test_times),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
