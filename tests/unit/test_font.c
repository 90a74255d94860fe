/* idp_font: finding fonts with fontconfig (checked against fc-match and
 * fc-scan), and checking texts against a font's character map, for an
 * installed font (fontconfig's cache) and for a private copy (read from
 * the file). */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <cmocka.h>

#include <fontconfig/fontconfig.h>

#include "idp_font.h"
#include "idp_io.h"
#include "testutil.h"

/* The first line a shell command prints (without the newline); fails the
 * test if the command fails. */
static void first_line(const char *cmd, char *out, size_t size)
{
    FILE *p = popen(cmd, "r");
    assert_non_null(p);
    out[0] = '\0';
    if (fgets(out, (int)size, p) == NULL)
        out[0] = '\0';
    out[strcspn(out, "\n")] = '\0';
    assert_int_equal(pclose(p), 0);
}

static int ends_with(const char *s, const char *suffix)
{
    size_t a = strlen(s), b = strlen(suffix);
    return a >= b && strcmp(s + a - b, suffix) == 0;
}

static void test_find_regular(void **state)
{
    idp_ctx *ctx = tu_new_ctx();
    char *path = NULL, expect[4096];
    (void)state;

    tu_need_tool("fc-match");
    assert_int_equal(idp_font_find(ctx, "DejaVu Sans", 0, &path), IDP_OK);
    assert_non_null(path);
    assert_true(ends_with(path, ".ttf"));
    assert_int_equal(access(path, R_OK), 0);
    first_line("fc-match -f '%{file}' 'DejaVu Sans:weight=regular:slant=roman:width=normal'",
               expect, sizeof(expect));
    assert_string_equal(path, expect);
    free(path);

    /* Family names compare like fontconfig's: case and blanks aside. */
    path = NULL;
    assert_int_equal(idp_font_find(ctx, "dejavusans", 0, &path), IDP_OK);
    assert_string_equal(path, expect);
    free(path);
    idp_ctx_destroy(ctx);
}

static void test_find_bold(void **state)
{
    idp_ctx *ctx = tu_new_ctx();
    char *regular = NULL, *bold = NULL, cmd[4200], weight[64];
    (void)state;

    tu_need_tool("fc-scan");
    assert_int_equal(idp_font_find(ctx, "DejaVu Sans", 0, &regular), IDP_OK);
    assert_int_equal(idp_font_find(ctx, "DejaVu Sans", 1, &bold), IDP_OK);
    assert_true(ends_with(bold, ".ttf"));
    assert_string_not_equal(regular, bold);
    snprintf(cmd, sizeof(cmd), "fc-scan --format '%%{weight}' '%s'", bold);
    first_line(cmd, weight, sizeof(weight));
    assert_true(atoi(weight) >= 200); /* FC_WEIGHT_BOLD */
    snprintf(cmd, sizeof(cmd), "fc-scan --format '%%{weight}' '%s'", regular);
    first_line(cmd, weight, sizeof(weight));
    assert_true(atoi(weight) < 200);
    free(regular);
    free(bold);
    idp_ctx_destroy(ctx);
}

static void test_find_missing(void **state)
{
    idp_ctx *ctx = tu_new_ctx();
    static char dummy;
    char *path = &dummy; /* must be reset to NULL */
    (void)state;

    /* fontconfig falls back to another family: that is not a match. */
    assert_int_equal(idp_font_find(ctx, "Idpack Nonexistent Sans", 0, &path), IDP_E_NOTFOUND);
    assert_null(path);
    assert_non_null(strstr(idp_ctx_error(ctx), "Idpack Nonexistent Sans"));
    assert_int_equal(idp_font_find(ctx, "", 0, &path), IDP_E_USAGE);
    idp_ctx_destroy(ctx);
}

/* A family whose file is not a .ttf (an OpenType CFF font) is refused:
 * libharu cannot embed it. Skipped when no such font is installed. */
static void test_find_not_ttf(void **state)
{
    idp_ctx *ctx = tu_new_ctx();
    char *path = NULL, file[4096];
    (void)state;

    tu_need_tool("fc-match");
    first_line("fc-match -f '%{family[0]}|%{file}' 'Nimbus Sans'", file, sizeof(file));
    if (strncmp(file, "Nimbus Sans|", 12) != 0 || !ends_with(file, ".otf")) {
        idp_ctx_destroy(ctx);
        skip();
    }
    assert_int_equal(idp_font_find(ctx, "Nimbus Sans", 0, &path), IDP_E_FORMAT);
    assert_null(path);
    assert_non_null(strstr(idp_ctx_error(ctx), ".otf"));
    idp_ctx_destroy(ctx);
}

/* The checks a font path must pass, whichever way its map was read. */
static void check_dejavu(const char *font)
{
    idp_ctx *ctx = tu_new_ctx();
    const char *err;

    assert_int_equal(idp_font_check_text(ctx, font,
                                         "\xC5\x81ukasz \xC5\xBB\xC3\xB3\xC5\x82\xC4\x87 "
                                         "M\xC3\xBCller \xE2\x80\x94 Societ\xC3\xA0",
                                         "full_name"),
                     IDP_OK);
    assert_int_equal(
        idp_font_check_text(ctx, font,
                            "perch\xC3\xA9 \xC3\xA8 gi\xC3\xA0 cos\xC3\xAC, pi\xC3\xB9 "
                            "citt\xC3\xA0 \xC3\x80\xC3\x88\xC3\x89\xC3\x8C\xC3\x92\xC3\x99",
                            "reason"),
        IDP_OK);
    assert_int_equal(idp_font_check_text(ctx, font, "a\tb\r\nc ß €", "steps_tried"), IDP_OK);
    assert_int_equal(idp_font_check_text(ctx, font, "", "empty"), IDP_OK);

    /* A CJK character DejaVu Sans does not have: named, with the field. */
    assert_int_equal(idp_font_check_text(ctx, font, "Wang \xE4\xB8\xAD", "full_name"), IDP_E_GLYPH);
    err = idp_ctx_error(ctx);
    assert_non_null(strstr(err, "U+4E2D '\xE4\xB8\xAD'"));
    assert_non_null(strstr(err, "full_name"));
    assert_non_null(strstr(err, "DejaVu Sans"));

    /* A control character is named by number only. */
    assert_int_equal(idp_font_check_text(ctx, font,
                                         "a\x07"
                                         "b",
                                         "city"),
                     IDP_E_GLYPH);
    assert_non_null(strstr(idp_ctx_error(ctx), "U+0007"));
    assert_null(strchr(idp_ctx_error(ctx), '\x07'));

    /* Strict UTF-8. */
    static const char *const bad[] = {
        "abc\xC3",              /* truncated */
        "\xC0\xAF",             /* overlong '/' */
        "\xE0\x80\xAF",         /* overlong, 3 bytes */
        "\xED\xA0\x80",         /* a surrogate */
        "\xF4\x90\x80\x80",     /* above U+10FFFF */
        "\x80",                 /* a lone continuation byte */
        "\xF8\x88\x80\x80\x80", /* 5-byte form */
        "\xE2\x82",             /* truncated */
    };
    for (size_t i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
        assert_int_equal(idp_font_check_text(ctx, font, bad[i], "phone"), IDP_E_FIELD);
        assert_non_null(strstr(idp_ctx_error(ctx), "phone: invalid UTF-8"));
    }
    idp_ctx_destroy(ctx);
}

static void test_check_installed(void **state)
{
    idp_ctx *ctx = tu_new_ctx();
    char *font = NULL;
    (void)state;

    assert_int_equal(idp_font_find(ctx, "DejaVu Sans", 0, &font), IDP_OK);
    check_dejavu(font);
    free(font);
    idp_ctx_destroy(ctx);
}

/* A copy fontconfig has never seen: the map is read from the file. */
static void test_check_private_copy(void **state)
{
    idp_ctx *ctx = tu_new_ctx();
    char *font = NULL, cmd[8400];
    const char *copy = tu_path(tu_tmpdir(), "private-font.ttf");
    (void)state;

    assert_int_equal(idp_font_find(ctx, "DejaVu Sans", 0, &font), IDP_OK);
    snprintf(cmd, sizeof(cmd), "cp '%s' '%s'", font, copy);
    assert_int_equal(system(cmd), 0);
    check_dejavu(copy);
    free(font);
    idp_ctx_destroy(ctx);
}

static void test_check_bad_font(void **state)
{
    idp_ctx *ctx = tu_new_ctx();
    const char *notfont = tu_path(tu_tmpdir(), "not-a-font.ttf");
    FILE *f;
    (void)state;

    assert_int_equal(idp_font_check_text(ctx, "/nonexistent/idpack/font.ttf", "abc", "x"),
                     IDP_E_NOTFOUND);
    assert_non_null(strstr(idp_ctx_error(ctx), "/nonexistent/idpack/font.ttf"));
    f = fopen(notfont, "wb");
    assert_non_null(f);
    fputs("this is not a font\n", f);
    fclose(f);
    assert_int_equal(idp_font_check_text(ctx, notfont, "abc", "x"), IDP_E_FORMAT);
    assert_non_null(strstr(idp_ctx_error(ctx), "not-a-font.ttf"));
    idp_ctx_destroy(ctx);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_find_regular),    cmocka_unit_test(test_find_bold),
        cmocka_unit_test(test_find_missing),    cmocka_unit_test(test_find_not_ttf),
        cmocka_unit_test(test_check_installed), cmocka_unit_test(test_check_private_copy),
        cmocka_unit_test(test_check_bad_font),
    };
    int failed = cmocka_run_group_tests(tests, NULL, NULL);
    /* fontconfig's configuration lives until FcFini(); the library never
     * calls it (it is process-wide), the program does, at its end. */
    FcFini();
    return failed;
}
