/* Form values: key = value files (comments, blanks, trimming, '=' in
 * values, duplicates, malformed lines), JSON forms, --set arguments, the
 * precedence of sources, and the UTF-8 / control character checks. */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>

#include "idp_form.h"
#include "testutil.h"

#include <stdio.h>
#include <string.h>

static idp_ctx *ctx;
static idp_form *form;

static int setup(void **state)
{
    (void)state;
    if (idp_ctx_create(&ctx) != IDP_OK)
        return -1;
    return idp_form_create(ctx, &form) == IDP_OK ? 0 : -1;
}

static int teardown(void **state)
{
    (void)state;
    idp_form_destroy(form);
    idp_ctx_destroy(ctx);
    form = NULL;
    return 0;
}

/* Writes len bytes to a new file in the private temp dir; returns its path. */
static const char *write_bytes(const char *name, const char *data, size_t len)
{
    const char *path = tu_path(tu_tmpdir(), name);
    FILE *f = fopen(path, "wb");
    assert_non_null(f);
    assert_int_equal(fwrite(data, 1, len, f), len);
    assert_int_equal(fclose(f), 0);
    return path;
}

static const char *write_text(const char *name, const char *text)
{
    return write_bytes(name, text, strlen(text));
}

/* The last error must mention every needle. */
static void expect_error(const char *needle1, const char *needle2)
{
    const char *e = idp_ctx_error(ctx);
    if (strstr(e, needle1) == NULL || (needle2 != NULL && strstr(e, needle2) == NULL))
        fail_msg("error \"%s\" should mention \"%s\" and \"%s\"", e, needle1,
                 needle2 ? needle2 : "");
}

static void test_file_lines(void **state)
{
    char origin[4200];
    const char *path = write_text("lines.txt", "\xef\xbb\xbf# a comment\n"
                                               "\n"
                                               "   \t\n"
                                               "full_name   =   Łukasz Żółć  \n"
                                               "  # indented comment = not a value\n"
                                               "store_name=Shop = Nice #1\r\n"
                                               "phone =\n"
                                               "reason\t=\tMüller\t\n"
                                               "country = IT");
    (void)state;
    assert_int_equal(idp_form_load_file(ctx, form, path, 0), IDP_OK);
    assert_int_equal(idp_form_count(form), 5);
    assert_string_equal(idp_form_key(form, 0), "full_name");
    assert_string_equal(idp_form_get(form, "full_name"), "Łukasz Żółć");
    assert_string_equal(idp_form_get(form, "store_name"), "Shop = Nice #1");
    assert_string_equal(idp_form_get(form, "phone"), "");
    assert_string_equal(idp_form_get(form, "reason"), "Müller");
    assert_string_equal(idp_form_get(form, "country"), "IT");
    assert_null(idp_form_get(form, "seller_id"));
    assert_null(idp_form_get(form, "comment"));
    snprintf(origin, sizeof(origin), "%s:6", path);
    assert_string_equal(idp_form_origin(form, "store_name"), origin);
    assert_null(idp_form_key(form, 5));
}

static void test_file_duplicate(void **state)
{
    char where[4200];
    const char *path = write_text("dup.txt", "full_name = A\n# x\nfull_name = B\n");
    (void)state;
    assert_int_equal(idp_form_load_file(ctx, form, path, 0), IDP_E_FIELD);
    snprintf(where, sizeof(where), "%s:3", path);
    expect_error(where, "full_name");
    snprintf(where, sizeof(where), "first at %s:1", path);
    expect_error(where, NULL);
}

static void test_file_duplicate_even_with_replace(void **state)
{
    const char *path = write_text("dup2.txt", "country = IT\ncountry = DE\n");
    (void)state;
    assert_int_equal(idp_form_load_file(ctx, form, path, 1), IDP_E_FIELD);
    expect_error("country is set twice", NULL);
}

static void test_file_malformed(void **state)
{
    char where[4200];
    const char *path = write_text("bad.txt", "full_name = A\n\njust some words\n");
    (void)state;
    assert_int_equal(idp_form_load_file(ctx, form, path, 0), IDP_E_FIELD);
    snprintf(where, sizeof(where), "%s:3:", path);
    expect_error(where, "key = value");

    path = write_text("bad2.txt", " = value\n");
    assert_int_equal(idp_form_load_file(ctx, form, path, 0), IDP_E_FIELD);
    snprintf(where, sizeof(where), "%s:1:", path);
    expect_error(where, "key is empty");

    path = write_text("bad3.txt", "Full Name = A\n");
    assert_int_equal(idp_form_load_file(ctx, form, path, 0), IDP_E_FIELD);
    snprintf(where, sizeof(where), "%s:1:", path);
    expect_error(where, "'Full Name' is not a field name");
}

static void test_file_invalid_utf8(void **state)
{
    char where[4200];
    const char *path = write_text("utf8.txt", "country = IT\nfull_name = Mu\xc3\x28ller\n");
    (void)state;
    assert_int_equal(idp_form_load_file(ctx, form, path, 0), IDP_E_FIELD);
    snprintf(where, sizeof(where), "%s:2:", path);
    expect_error(where, "not valid UTF-8");
    expect_error("full_name", NULL);
}

static void test_file_nul_byte(void **state)
{
    static const char data[] = "full_name = A\0B\n";
    const char *path = write_bytes("nul.txt", data, sizeof(data) - 1);
    (void)state;
    assert_int_equal(idp_form_load_file(ctx, form, path, 0), IDP_E_FIELD);
    expect_error("NUL", NULL);
}

static void test_file_missing(void **state)
{
    (void)state;
    assert_int_equal(idp_form_load_file(ctx, form, tu_path(tu_tmpdir(), "nosuch.txt"), 0),
                     IDP_E_NOTFOUND);
    expect_error("nosuch.txt", NULL);
}

static void test_json_form(void **state)
{
    const char *path = write_text("form.json", "{\"full_name\": \"  Société Müller \",\n"
                                               " \"steps_tried\": [\"cookies_cleared\", "
                                               "\"latest_code_only\"],\n"
                                               " \"reason\": \"line one\\nline two\"}\n");
    (void)state;
    assert_int_equal(idp_form_load_file(ctx, form, path, 0), IDP_OK);
    assert_int_equal(idp_form_count(form), 3);
    assert_string_equal(idp_form_key(form, 0), "full_name");
    assert_string_equal(idp_form_key(form, 1), "steps_tried");
    assert_string_equal(idp_form_get(form, "full_name"), "Société Müller");
    assert_string_equal(idp_form_get(form, "steps_tried"), "cookies_cleared,latest_code_only");
    assert_string_equal(idp_form_get(form, "reason"), "line one\nline two");
    assert_string_equal(idp_form_origin(form, "reason"), path);
}

static void test_json_bad(void **state)
{
    char where[4200];
    const char *path = write_text("dupkey.json", "{\"a\": \"1\", \"a\": \"2\"}");
    (void)state;
    assert_int_equal(idp_form_load_file(ctx, form, path, 0), IDP_E_FIELD);
    expect_error(path, "duplicate");

    path = write_text("num.json", "{\"phone\": 123}");
    assert_int_equal(idp_form_load_file(ctx, form, path, 0), IDP_E_FIELD);
    expect_error(path, "phone must be a string");

    path = write_text("arr.json", "[\"a\"]");
    assert_int_equal(idp_form_load_file(ctx, form, path, 0), IDP_E_FIELD);
    expect_error(path, "object");

    path = write_text("broken.json", "{\n\"a\": \"1\",\n\"b\" \"2\"}");
    assert_int_equal(idp_form_load_file(ctx, form, path, 0), IDP_E_FIELD);
    snprintf(where, sizeof(where), "%s:3:", path);
    expect_error(where, "not valid JSON");

    path = write_text("ctl.json", "{\"full_name\": \"a\\u0007b\"}");
    assert_int_equal(idp_form_load_file(ctx, form, path, 0), IDP_E_FIELD);
    expect_error(path, "control character");
}

static void test_set_arg(void **state)
{
    (void)state;
    assert_int_equal(idp_form_set_arg(ctx, form, "full_name=Erika Mustermann"), IDP_OK);
    assert_int_equal(idp_form_set_arg(ctx, form, " store_name = a=b=c "), IDP_OK);
    assert_int_equal(idp_form_set_arg(ctx, form, "phone="), IDP_OK);
    assert_string_equal(idp_form_get(form, "full_name"), "Erika Mustermann");
    assert_string_equal(idp_form_get(form, "store_name"), "a=b=c");
    assert_string_equal(idp_form_get(form, "phone"), "");
    assert_string_equal(idp_form_origin(form, "phone"), "argument");

    assert_int_equal(idp_form_set_arg(ctx, form, "full_name"), IDP_E_FIELD);
    expect_error("argument: expected KEY=VALUE", "no '='");
    assert_int_equal(idp_form_set_arg(ctx, form, "=x"), IDP_E_FIELD);
    expect_error("key is empty", NULL);
    assert_int_equal(idp_form_set_arg(ctx, form, "full_name=Other"), IDP_E_FIELD);
    expect_error("full_name is set twice", NULL);
    assert_string_equal(idp_form_get(form, "full_name"), "Erika Mustermann");
    assert_int_equal(idp_form_set_arg(ctx, form, "colour-x=red"), IDP_E_FIELD);
    expect_error("'colour-x' is not a field name", NULL);
}

/* --set first, then the form file: the earlier source wins unless replace. */
static void test_precedence(void **state)
{
    const char *path = write_text("prec.txt", "full_name = From File\ncountry = DE\n");
    (void)state;
    assert_int_equal(idp_form_set_arg(ctx, form, "full_name=From Set"), IDP_OK);
    assert_int_equal(idp_form_load_file(ctx, form, path, 0), IDP_OK);
    assert_string_equal(idp_form_get(form, "full_name"), "From Set");
    assert_string_equal(idp_form_get(form, "country"), "DE");
    assert_int_equal(idp_form_load_file(ctx, form, path, 1), IDP_OK);
    assert_string_equal(idp_form_get(form, "full_name"), "From File");
    assert_int_equal(idp_form_count(form), 2);
}

static void test_set_replace(void **state)
{
    (void)state;
    assert_int_equal(idp_form_set(ctx, form, "a", "1", "csv:2", 0), IDP_OK);
    assert_int_equal(idp_form_set(ctx, form, "b", "2", "csv:2", 0), IDP_OK);
    assert_int_equal(idp_form_set(ctx, form, "a", "3", "profile", 1), IDP_OK);
    assert_int_equal(idp_form_count(form), 2);
    assert_string_equal(idp_form_key(form, 0), "a");
    assert_string_equal(idp_form_get(form, "a"), "3");
    assert_string_equal(idp_form_origin(form, "a"), "profile");
    assert_int_equal(idp_form_set(ctx, form, "a", "4", "csv:3", 0), IDP_E_FIELD);
    expect_error("csv:3", "first at profile");
}

static void test_utf8_values(void **state)
{
    static const struct {
        const char *value;
        int ok;
    } cases[] = {
        {"Łukasz Żółć", 1},
        {"Müller Straße", 1},
        {"Società Esempio S.r.l.", 1},
        {"\xf0\x9f\x98\x80 emoji", 1},
        {"max \xf4\x8f\xbf\xbf", 1},
        {"tab\there", 1},
        {"multi\nline", 1},
        {"bad \xc3\x28", 0},          /* continuation missing */
        {"lone \x80 byte", 0},        /* stray continuation */
        {"overlong \xc0\xaf", 0},     /* overlong '/' */
        {"overlong \xe0\x80\xaf", 0}, /* overlong '/' */
        {"surrogate \xed\xa0\x80", 0},
        {"too big \xf4\x90\x80\x80", 0},
        {"cut \xe2\x82", 0}, /* truncated at the end */
        {"\xff", 0},
        {"bell \x07", 0},
        {"cr \r here", 0},
        {"del \x7f", 0},
        {"c1 \xc2\x85 next line", 0},
    };
    (void)state;
    for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
        idp_status st = idp_form_set(ctx, form, "v", cases[i].value, "test", 1);
        if ((st == IDP_OK) != cases[i].ok)
            fail_msg("case %zu: status %d, expected %s (%s)", i, (int)st,
                     cases[i].ok ? "ok" : "an error", idp_ctx_error(ctx));
        if (!cases[i].ok) {
            assert_int_equal(st, IDP_E_FIELD);
            expect_error("test: the value of v", NULL);
        } else {
            assert_string_equal(idp_form_get(form, "v"), cases[i].value);
        }
    }
}

static void test_limits(void **state)
{
    char big[5000];
    (void)state;
    memset(big, 'x', sizeof(big) - 1);
    big[sizeof(big) - 1] = '\0';
    assert_int_equal(idp_form_set(ctx, form, "k", big, "test", 0), IDP_E_FIELD);
    expect_error("too long", NULL);
    big[4096] = '\0';
    assert_int_equal(idp_form_set(ctx, form, "k", big, "test", 0), IDP_OK);
    assert_int_equal(idp_form_set(ctx, form, "", "x", "test", 0), IDP_E_FIELD);
}

/* Characters that draw nothing: format (Cf), line and paragraph
 * separators; refused, and the message never quotes the value. */
static void test_invisible_characters(void **state)
{
    static const char *const bad[] = {
        "Erika\xE2\x80\x8BMustermann",     /* U+200B zero-width space */
        "Erika\xE2\x80\x8CMustermann",     /* U+200C */
        "Erika\xE2\x80\x8DMustermann",     /* U+200D */
        "Erika\xE2\x80\x8EMustermann",     /* U+200E */
        "Erika\xE2\x81\xA0Mustermann",     /* U+2060 word joiner */
        "Erika\xEF\xBB\xBFMustermann",     /* U+FEFF */
        "Erika\xC2\xADMustermann",         /* U+00AD soft hyphen */
        "Erika\xE2\x80\xA8Mustermann",     /* U+2028 line separator */
        "Erika\xE2\x80\xA9Mustermann",     /* U+2029 paragraph separator */
        "Erika\xE2\x81\xA4Mustermann",     /* U+2064 invisible plus */
        "Erika\xF3\xA0\x80\x81Mustermann", /* U+E0001 language tag */
    };
    idp_ctx *c = NULL;
    idp_form *f = NULL;
    (void)state;
    assert_int_equal(idp_ctx_create(&c), IDP_OK);
    assert_int_equal(idp_form_create(c, &f), IDP_OK);
    for (size_t i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
        if (idp_form_set(c, f, "full_name", bad[i], "--set", 1) != IDP_E_FIELD)
            fail_msg("case %zu accepted", i);
        if (strstr(idp_ctx_error(c), "invisible") == NULL || strstr(idp_ctx_error(c), "Erika"))
            fail_msg("case %zu: %s", i, idp_ctx_error(c));
    }
    /* visible neighbours stay fine: no-break space, en dash, é */
    assert_int_equal(idp_form_set(c, f, "full_name",
                                  "Ren\xC3\xA9\xC2\xA0"
                                  "Dupont\xE2\x80\x93X",
                                  "--set", 1),
                     IDP_OK);
    idp_ctx_set_lang(c, "it");
    assert_int_equal(idp_form_set(c, f, "store_name", bad[0], "--set", 1), IDP_E_FIELD);
    assert_non_null(strstr(idp_ctx_error(c), "carattere invisibile"));
    idp_form_destroy(f);
    idp_ctx_destroy(c);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test_setup_teardown(test_file_lines, setup, teardown),
        cmocka_unit_test_setup_teardown(test_file_duplicate, setup, teardown),
        cmocka_unit_test_setup_teardown(test_file_duplicate_even_with_replace, setup, teardown),
        cmocka_unit_test_setup_teardown(test_file_malformed, setup, teardown),
        cmocka_unit_test_setup_teardown(test_file_invalid_utf8, setup, teardown),
        cmocka_unit_test_setup_teardown(test_file_nul_byte, setup, teardown),
        cmocka_unit_test_setup_teardown(test_file_missing, setup, teardown),
        cmocka_unit_test_setup_teardown(test_json_form, setup, teardown),
        cmocka_unit_test_setup_teardown(test_json_bad, setup, teardown),
        cmocka_unit_test_setup_teardown(test_set_arg, setup, teardown),
        cmocka_unit_test_setup_teardown(test_precedence, setup, teardown),
        cmocka_unit_test_setup_teardown(test_set_replace, setup, teardown),
        cmocka_unit_test_setup_teardown(test_utf8_values, setup, teardown),
        cmocka_unit_test_setup_teardown(test_limits, setup, teardown),
        cmocka_unit_test(test_invisible_characters),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
