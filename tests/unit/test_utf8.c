/* idp_utf8: the one decoder, on the hard cases (RFC 3629, Unicode table
 * 3-7): overlongs, surrogates, above U+10FFFF, stray and missing
 * continuation bytes, every length at its limits. */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>

#include "idp_utf8.h"

#include <string.h>

/* The length idp_utf8_decode gives for the bytes of s (a C string). */
static size_t dec(const char *s, uint32_t *cp)
{
    return idp_utf8_decode((const unsigned char *)s, strlen(s), cp);
}

static void test_decode_lengths(void **state)
{
    uint32_t cp = 0;
    (void)state;
    assert_int_equal(dec("A", &cp), 1);
    assert_int_equal(cp, 0x41);
    assert_int_equal(dec("\x7F", &cp), 1);
    assert_int_equal(cp, 0x7F);
    assert_int_equal(dec("\xC2\x80", &cp), 2); /* the smallest 2-byte */
    assert_int_equal(cp, 0x80);
    assert_int_equal(dec("\xC3\x9F", &cp), 2); /* ß */
    assert_int_equal(cp, 0xDF);
    assert_int_equal(dec("\xDF\xBF", &cp), 2);
    assert_int_equal(cp, 0x7FF);
    assert_int_equal(dec("\xE0\xA0\x80", &cp), 3); /* the smallest 3-byte */
    assert_int_equal(cp, 0x800);
    assert_int_equal(dec("\xED\x9F\xBF", &cp), 3); /* just below the surrogates */
    assert_int_equal(cp, 0xD7FF);
    assert_int_equal(dec("\xEE\x80\x80", &cp), 3); /* just above them */
    assert_int_equal(cp, 0xE000);
    assert_int_equal(dec("\xEF\xBF\xBD", &cp), 3);
    assert_int_equal(cp, 0xFFFD);
    assert_int_equal(dec("\xF0\x90\x80\x80", &cp), 4); /* the smallest 4-byte */
    assert_int_equal(cp, 0x10000);
    assert_int_equal(dec("\xF0\x9F\x98\x80", &cp), 4); /* an emoji */
    assert_int_equal(cp, 0x1F600);
    assert_int_equal(dec("\xF4\x8F\xBF\xBF", &cp), 4); /* the largest */
    assert_int_equal(cp, 0x10FFFF);
    /* Only the first character is decoded. */
    assert_int_equal(dec("\xC5\x81ukasz", &cp), 2);
    assert_int_equal(cp, 0x141);
}

static void test_decode_rejects(void **state)
{
    uint32_t cp = 0;
    (void)state;
    /* overlong forms of '/', NUL and U+07FF, U+FFFF */
    assert_int_equal(dec("\xC0\xAF", &cp), 0);
    assert_int_equal(dec("\xC0\x80", &cp), 0);
    assert_int_equal(dec("\xC1\xBF", &cp), 0);
    assert_int_equal(dec("\xE0\x80\xAF", &cp), 0);
    assert_int_equal(dec("\xE0\x9F\xBF", &cp), 0);
    assert_int_equal(dec("\xF0\x80\x80\xAF", &cp), 0);
    assert_int_equal(dec("\xF0\x8F\xBF\xBF", &cp), 0);
    /* surrogates, high and low */
    assert_int_equal(dec("\xED\xA0\x80", &cp), 0);
    assert_int_equal(dec("\xED\xBF\xBF", &cp), 0);
    /* above U+10FFFF, and bytes that never appear */
    assert_int_equal(dec("\xF4\x90\x80\x80", &cp), 0);
    assert_int_equal(dec("\xF5\x80\x80\x80", &cp), 0);
    assert_int_equal(dec("\xFF", &cp), 0);
    /* a stray continuation byte */
    assert_int_equal(dec("\x80", &cp), 0);
    assert_int_equal(dec("\xBF"
                         "A",
                         &cp),
                     0);
    /* truncated: by the end of the buffer, or by a byte that does not continue */
    assert_int_equal(dec("\xC3", &cp), 0);
    assert_int_equal(dec("\xE2\x82", &cp), 0);
    assert_int_equal(dec("\xF0\x9F\x98", &cp), 0);
    assert_int_equal(dec("\xE2"
                         "A"
                         "\xAC",
                         &cp),
                     0);
    assert_int_equal(idp_utf8_decode((const unsigned char *)"\xF0\x9F\x98\x80", 3, &cp), 0);
    assert_int_equal(idp_utf8_decode((const unsigned char *)"A", 0, &cp), 0);
    /* the string form: the NUL ends a sequence */
    assert_int_equal(idp_utf8_decode_str("\xC3", &cp), 0);
    assert_int_equal(idp_utf8_decode_str("\xF0\x9F\x98\x80!", &cp), 4);
    assert_int_equal(cp, 0x1F600);
    assert_int_equal(idp_utf8_decode_str("", &cp), 1);
    assert_int_equal(cp, 0);
}

static void test_next_replaces(void **state)
{
    const unsigned char s[] = "a\xC0\xAF\xC3\xA9\xED\xA0\x80z";
    size_t i = 0, len = sizeof(s) - 1;
    uint32_t want[] = {'a', 0xFFFD, 0xFFFD, 0xE9, 0xFFFD, 0xFFFD, 0xFFFD, 'z'};
    (void)state;
    for (size_t k = 0; k < sizeof(want) / sizeof(want[0]); k++)
        assert_int_equal(idp_utf8_next(s, len, &i), want[k]);
    assert_int_equal(i, len);
}

static void test_valid_and_count(void **state)
{
    size_t bad = 99;
    (void)state;
    assert_true(
        idp_utf8_valid("Łódź ß \xF0\x9F\x98\x80", strlen("Łódź ß \xF0\x9F\x98\x80"), false, &bad));
    assert_int_equal(bad, 99);
    assert_false(idp_utf8_valid("ok\xED\xA0\x80", 5, false, &bad));
    assert_int_equal(bad, 2);
    assert_false(idp_utf8_valid("abc\xF0\x9F\x98", 6, false, &bad)); /* truncated at the end */
    assert_int_equal(bad, 3);
    assert_false(idp_utf8_valid("a\0b", 3, false, &bad));
    assert_int_equal(bad, 1);
    assert_true(idp_utf8_valid("a\0b", 3, true, NULL));
    assert_true(idp_utf8_valid("", 0, false, NULL));
    assert_int_equal(idp_utf8_count(""), 0);
    assert_int_equal(idp_utf8_count("abc"), 3);
    assert_int_equal(idp_utf8_count("Łódź"), 4);
    assert_int_equal(idp_utf8_count("\xF0\x9F\x98\x80x"), 2);
    assert_int_equal(idp_utf8_seq_len('a'), 1);
    assert_int_equal(idp_utf8_seq_len(0xC3), 2);
    assert_int_equal(idp_utf8_seq_len(0xE2), 3);
    assert_int_equal(idp_utf8_seq_len(0xF0), 4);
}

static void test_cut(void **state)
{
    const char *s = "ab\xC3\xA9\xE2\x82\xAC\xF0\x9F\x98\x80";
    (void)state;
    assert_int_equal(idp_utf8_cut(s, 0), 0);
    assert_int_equal(idp_utf8_cut(s, 2), 2);
    assert_int_equal(idp_utf8_cut(s, 3), 2);  /* é cut after its lead byte */
    assert_int_equal(idp_utf8_cut(s, 4), 4);  /* é whole */
    assert_int_equal(idp_utf8_cut(s, 5), 4);  /* € cut */
    assert_int_equal(idp_utf8_cut(s, 6), 4);  /* € cut */
    assert_int_equal(idp_utf8_cut(s, 7), 7);  /* € whole */
    assert_int_equal(idp_utf8_cut(s, 10), 7); /* the emoji cut */
    assert_int_equal(idp_utf8_cut(s, 11), 11);
    assert_int_equal(idp_utf8_cut("\x80\x80", 2), 0);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_decode_lengths),
        cmocka_unit_test(test_decode_rejects),
        cmocka_unit_test(test_next_replaces),
        cmocka_unit_test(test_valid_and_count),
        cmocka_unit_test(test_cut),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
