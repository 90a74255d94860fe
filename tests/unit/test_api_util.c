/* The utilities of idp_util.h as a program outside the tree sees them:
 * IDP_INTERNAL is undefined before the header is included, so only its
 * public part is compiled here. The seller's day in other time zones, the
 * ISO times, atomic writes and stale temporaries, wiping, SHA-256 against
 * the published test vector and sha256sum, strict UTF-8, translations. */
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
#include <time.h>
#include <unistd.h>

/* 2026-12-03T12:00:00Z and 2026-12-03T05:00:00Z */
#define NOON_UTC 1796299200
#define FIVE_UTC 1796274000

static void set_tz(const char *tz)
{
    if (tz != NULL)
        setenv("TZ", tz, 1);
    else
        unsetenv("TZ");
    tzset();
}

static void test_days(void **state)
{
    char day[IDP_DAY_LEN], zone[64], tiny[4];
    const char *old = getenv("TZ");
    char *keep = old != NULL ? strdup(old) : NULL;

    (void)state;
    idp_utc_day(0, day);
    assert_string_equal(day, "1970-01-01");
    idp_utc_day(NOON_UTC, day);
    assert_string_equal(day, "2026-12-03");
    /* UTC+14: the seller's day is already tomorrow */
    set_tz("XST-14");
    idp_local_day(NOON_UTC, day, zone, sizeof(zone));
    assert_string_equal(day, "2026-12-04");
    assert_string_equal(zone, "XST +1400");
    idp_utc_day(NOON_UTC, day); /* the UTC day whatever the zone */
    assert_string_equal(day, "2026-12-03");
    /* UTC-10 at 05:00 UTC: still yesterday */
    set_tz("YST10");
    idp_local_day(FIVE_UTC, day, zone, sizeof(zone));
    assert_string_equal(day, "2026-12-02");
    assert_string_equal(zone, "YST -1000");
    idp_local_day(FIVE_UTC, day, tiny, sizeof(tiny)); /* the zone is cut to its room */
    assert_string_equal(tiny, "YST");
    assert_string_equal(day, "2026-12-02");
    set_tz(keep);
    free(keep);
}

static void test_times(void **state)
{
    static const char *const bad[] = {"",
                                      "2026-02-29",
                                      "2026-12-03T25:00Z",
                                      "2026-12-03T12:00",
                                      "1969-12-31",
                                      "2026-12-03 12:00Z",
                                      "2026-1-3",
                                      "2026-12-03T12:00:60Z",
                                      "2026-12-03x",
                                      "2026-12-03T12:00:00+01:00"};
    int64_t t = 42;
    char buf[32], small[10];

    (void)state;
    assert_true(idp_time_parse_iso("2026-12-03", &t));
    assert_int_equal(t, NOON_UTC - 12 * 3600);
    assert_true(idp_time_parse_iso("2026-12-03T12:00Z", &t));
    assert_int_equal(t, NOON_UTC);
    assert_true(idp_time_parse_iso("2026-12-03T05:00:00Z", &t));
    assert_int_equal(t, FIVE_UTC);
    assert_true(idp_time_parse_iso("2024-02-29", &t)); /* a leap day */
    for (size_t i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
        t = 42;
        if (idp_time_parse_iso(bad[i], &t))
            fail_msg("'%s' was taken for a time", bad[i]);
        assert_int_equal(t, 42); /* untouched */
    }
    idp_format_date(NOON_UTC + 61, true, buf, sizeof(buf));
    assert_string_equal(buf, "2026-12-03T12:01:01Z");
    idp_format_date(NOON_UTC + 61, false, buf, sizeof(buf));
    assert_string_equal(buf, "2026-12-03");
    assert_true(idp_time_parse_iso("2026-12-03T12:01:01Z", &t));
    assert_int_equal(t, NOON_UTC + 61);
    memset(small, 'x', sizeof(small));
    idp_format_date(NOON_UTC, false, small, sizeof(small)); /* needs 11 */
    assert_string_equal(small, "");
}

static void test_write_atomic(void **state)
{
    char dir[512], path[600], missing[600];
    idp_ctx *ctx = NULL;
    struct stat sb;
    size_t len;
    char *got;

    (void)state;
    snprintf(dir, sizeof(dir), "%s/atomic", tu_tmpdir());
    assert_int_equal(mkdir(dir, 0700), 0);
    snprintf(path, sizeof(path), "%s/letter.txt", dir);
    assert_int_equal(idp_ctx_create(&ctx), IDP_OK);
    assert_int_equal(idp_write_atomic(ctx, path, "first", 5, false), IDP_OK);
    assert_int_equal(stat(path, &sb), 0);
    assert_int_equal(sb.st_mode & 0777, 0600);
    got = (char *)tu_read_file(path, &len);
    assert_int_equal(len, 5);
    assert_memory_equal(got, "first", 5);
    free(got);
    /* not forced: refused, the file as it was, the message names it */
    assert_int_equal(idp_write_atomic(ctx, path, "second", 6, false), IDP_E_EXISTS);
    assert_non_null(strstr(idp_ctx_error(ctx), "letter.txt"));
    got = (char *)tu_read_file(path, &len);
    assert_int_equal(len, 5);
    free(got);
    assert_int_equal(idp_write_atomic(ctx, path, "second", 6, true), IDP_OK);
    got = (char *)tu_read_file(path, &len);
    assert_int_equal(len, 6);
    assert_memory_equal(got, "second", 6);
    free(got);
    assert_int_equal(tu_count_entries(dir), 1); /* no temporary left */
    /* a folder that does not exist: an error naming the path, nothing made */
    snprintf(missing, sizeof(missing), "%s/nowhere/letter.txt", dir);
    assert_int_not_equal(idp_write_atomic(ctx, missing, "x", 1, false), IDP_OK);
    assert_non_null(strstr(idp_ctx_error(ctx), "nowhere/letter.txt"));
    assert_int_equal(tu_count_entries(dir), 1);
    assert_string_equal(idp_basename(path), "letter.txt");
    assert_string_equal(idp_basename("letter.txt"), "letter.txt");
    assert_string_equal(idp_basename("out/"), "");
    idp_ctx_destroy(ctx);
}

static void touch(const char *dir, const char *name)
{
    char path[700];
    FILE *f;

    snprintf(path, sizeof(path), "%s/%s", dir, name);
    f = fopen(path, "wb");
    assert_non_null(f);
    fputs("half", f);
    fclose(f);
}

static void test_remove_temporaries(void **state)
{
    char dir[512], mine[128];

    (void)state;
    snprintf(dir, sizeof(dir), "%s/temps", tu_tmpdir());
    assert_int_equal(mkdir(dir, 0700), 0);
    /* a process id no system hands out (above pid_max's 2^22): gone */
    touch(dir, ".request.pdf.idpack-tmp-999999999-Ab3dEf");
    snprintf(mine, sizeof(mine), ".request.pdf.idpack-tmp-%ld-Zz9yXx", (long)getpid());
    touch(dir, mine);
    touch(dir, "request.pdf");
    touch(dir, ".request.pdf.idpack-tmp-x"); /* not the pattern */
    /* only the other target's: nothing */
    assert_int_equal(idp_remove_temporaries(dir, "letter.pdf", 0), 0);
    /* stale ones: the dead process's, not this running one's */
    assert_int_equal(idp_remove_temporaries(dir, NULL, 0), 1);
    assert_int_equal(tu_count_entries(dir), 3);
    /* this process's own */
    assert_int_equal(idp_remove_temporaries(dir, "request.pdf", (long)getpid()), 1);
    assert_int_equal(tu_count_entries(dir), 2);
    assert_int_equal(idp_remove_temporaries(dir, NULL, 0), 0);
    assert_int_equal(idp_remove_temporaries("/nonexistent-idpack-folder", NULL, 0), 0);
}

static void test_wipe(void **state)
{
    unsigned char buf[64], zero[64] = {0};
    char *heap = malloc(32);

    (void)state;
    memset(buf, 0xa5, sizeof(buf));
    idp_wipe(buf, 40);
    assert_memory_equal(buf, zero, 40);
    assert_int_equal(buf[40], 0xa5); /* no further than asked */
    idp_wipe(NULL, 10);
    assert_non_null(heap);
    memcpy(heap, "a secret of the seller's", 25);
    idp_free_wiped(heap, 32); /* freed: a leak would fail under ASan */
    idp_free_wiped(NULL, 5);
}

static void test_sha256(void **state)
{
    /* FIPS 180-2, appendix B.1 */
    static const char abc[] = "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad";
    uint8_t d[IDP_SHA256_LEN], f[IDP_SHA256_LEN];
    char hex[IDP_SHA256_HEX], path[600], cmd[700], *out;
    unsigned char *big = malloc(200000);
    idp_ctx *ctx = NULL;
    uint64_t size = 0;
    FILE *fp;

    (void)state;
    assert_non_null(big);
    assert_int_equal(idp_ctx_create(&ctx), IDP_OK);
    assert_int_equal(idp_sha256(ctx, "abc", 3, d), IDP_OK);
    idp_hex(d, sizeof(d), hex);
    assert_string_equal(hex, abc);
    /* a file over several of the 64 KiB chunks, against sha256sum */
    for (size_t i = 0; i < 200000; i++)
        big[i] = (unsigned char)((i * 2654435761u) >> 13);
    snprintf(path, sizeof(path), "%s/hashed.bin", tu_tmpdir());
    fp = fopen(path, "wb");
    assert_non_null(fp);
    assert_int_equal(fwrite(big, 1, 200000, fp), 200000);
    fclose(fp);
    assert_int_equal(idp_sha256_file(ctx, path, f, &size), IDP_OK);
    assert_int_equal(size, 200000);
    assert_int_equal(idp_sha256(ctx, big, 200000, d), IDP_OK);
    assert_memory_equal(d, f, sizeof(d));
    idp_hex(f, sizeof(f), hex);
    tu_need_tool("sha256sum");
    snprintf(cmd, sizeof(cmd), "sha256sum '%s'", path);
    out = tu_capture(cmd);
    assert_int_equal(strncmp(out, hex, 64), 0);
    free(out);
    assert_int_equal(idp_sha256_file(ctx, path, f, NULL), IDP_OK); /* size optional */
    /* a missing file and a folder: refused, the message names them */
    snprintf(path, sizeof(path), "%s/no-such-photo.jpg", tu_tmpdir());
    assert_int_equal(idp_sha256_file(ctx, path, f, NULL), IDP_E_NOTFOUND);
    assert_non_null(strstr(idp_ctx_error(ctx), "no-such-photo.jpg"));
    assert_int_not_equal(idp_sha256_file(ctx, tu_tmpdir(), f, NULL), IDP_OK);
    assert_non_null(strstr(idp_ctx_error(ctx), tu_tmpdir()));
    free(big);
    idp_ctx_destroy(ctx);
}

static void test_utf8(void **state)
{
    static const char *const not_chars[] = {"\xc0\xaf",         /* overlong '/' */
                                            "\xed\xa0\x80",     /* a surrogate */
                                            "\xf4\x90\x80\x80", /* above U+10FFFF */
                                            "\x80",             /* a stray continuation */
                                            "\xe2\x82"};        /* cut short */
    uint32_t cp = 0;

    (void)state;
    assert_int_equal(idp_utf8_decode_str("A", &cp), 1);
    assert_int_equal(cp, 0x41);
    assert_int_equal(idp_utf8_decode_str("\xc3\xa9t\xc3\xa9", &cp), 2);
    assert_int_equal(cp, 0xe9);
    assert_int_equal(idp_utf8_decode_str("\xe2\x80\xae", &cp), 3);
    assert_int_equal(cp, 0x202e);
    assert_int_equal(idp_utf8_decode_str("\xf0\x9f\x98\x80", &cp), 4);
    assert_int_equal(cp, 0x1f600);
    for (size_t i = 0; i < sizeof(not_chars) / sizeof(not_chars[0]); i++)
        if (idp_utf8_decode_str(not_chars[i], &cp) != 0)
            fail_msg("not a character, taken for one: case %zu", i);
    /* "aé€": cut inside é and inside € */
    assert_int_equal(idp_utf8_cut("a\xc3\xa9\xe2\x82\xac", 2), 1);
    assert_int_equal(idp_utf8_cut("a\xc3\xa9\xe2\x82\xac", 3), 3);
    assert_int_equal(idp_utf8_cut("a\xc3\xa9\xe2\x82\xac", 5), 3);
    assert_int_equal(idp_utf8_cut("a\xc3\xa9\xe2\x82\xac", 6), 6);
    assert_int_equal(idp_utf8_cut("", 0), 0);
    static const uint32_t bidi[] = {0x061c, 0x200e, 0x200f, 0x202a, 0x202e, 0x2066, 0x2069};
    static const uint32_t plain[] = {0x41, 0x061b, 0x200d, 0x2010, 0x2029, 0x202f, 0x2065, 0x206a};
    for (size_t i = 0; i < sizeof(bidi) / sizeof(bidi[0]); i++)
        if (!idp_utf8_bidi_control(bidi[i]))
            fail_msg("U+%04X is a bidirectional control", (unsigned)bidi[i]);
    for (size_t i = 0; i < sizeof(plain) / sizeof(plain[0]); i++)
        if (idp_utf8_bidi_control(plain[i]))
            fail_msg("U+%04X is not a bidirectional control", (unsigned)plain[i]);
}

static void test_tr(void **state)
{
    static const char en[] = "looks good", unknown[] = "not one of idpack's messages";

    (void)state;
    /* po/it.po: msgid "looks good", msgstr "va bene" */
    assert_string_equal(idp_tr("it", en), "va bene");
    assert_ptr_equal(idp_tr("en", en), en);
    assert_ptr_equal(idp_tr(NULL, en), en);
    assert_ptr_equal(idp_tr("xx", en), en);
    assert_ptr_equal(idp_tr("it", unknown), unknown);
    /* English first, then every catalogue (po/it.po among them), then NULL */
    assert_string_equal(idp_tr_language(0), "en");
    size_t n = 1;
    bool it = false;
    for (; idp_tr_language(n) != NULL; n++) {
        assert_string_not_equal(idp_tr_language(n), "en");
        it = it || strcmp(idp_tr_language(n), "it") == 0;
    }
    assert_true(it);
    assert_null(idp_tr_language(n + 1));
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_days),         cmocka_unit_test(test_times),
        cmocka_unit_test(test_write_atomic), cmocka_unit_test(test_remove_temporaries),
        cmocka_unit_test(test_wipe),         cmocka_unit_test(test_sha256),
        cmocka_unit_test(test_utf8),         cmocka_unit_test(test_tr),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
