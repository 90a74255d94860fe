/* The package folder (atomic write, modes, replacement rules, nothing left
 * behind on failure), SHA256SUMS against coreutils, and manifest.json. */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>

#include "idp_check.h"
#include "idp_ctx.h"
#include "idp_manifest.h"
#include "idp_package.h"
#include "testutil.h"

#include <jansson.h>

#include <dirent.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

/* A fresh empty folder under the test's temp dir. */
static const char *fresh_dir(const char *name)
{
    static char buf[8][4200];
    static unsigned next;
    char *p = buf[next++ % 8];
    snprintf(p, sizeof(buf[0]), "%s/%s", tu_tmpdir(), name);
    assert_int_equal(mkdir(p, 0700), 0);
    return p;
}

static char *slurp(const char *path, size_t *len)
{
    FILE *f = fopen(path, "rb");
    char *buf = malloc(1 << 20);
    assert_non_null(f);
    assert_non_null(buf);
    *len = fread(buf, 1, (1 << 20) - 1, f);
    buf[*len] = '\0';
    fclose(f);
    return buf;
}

static const uint8_t pdf[] = "%PDF-1.4 not really a pdf\n";
static const uint8_t jpg[] = {0xff, 0xd8, 0xff, 0xe0, 0x00, 0x10, 'J', 'F', 'I', 'F', 0, 1, 2, 3};
static const uint8_t man[] = "{}\n";

/* Three files and their SHA256SUMS; *sums is freed by the caller. */
static size_t make_files(idp_package_file files[4], char **sums)
{
    idp_ctx *ctx;
    size_t len;
    assert_int_equal(idp_ctx_create(&ctx), IDP_OK);
    files[0] = (idp_package_file){"request.pdf", pdf, sizeof(pdf) - 1};
    files[1] = (idp_package_file){"id-front.jpg", jpg, sizeof(jpg)};
    files[2] = (idp_package_file){"manifest.json", man, sizeof(man) - 1};
    assert_int_equal(idp_sha256sums_format(ctx, files, 3, sums, &len), IDP_OK);
    files[3] = (idp_package_file){"SHA256SUMS", (const uint8_t *)*sums, len};
    idp_ctx_destroy(ctx);
    return 4;
}

static void test_sha256sums_format(void **state)
{
    idp_ctx *ctx;
    idp_package_file files[4], bad[2];
    char *sums = NULL, *text = NULL;
    size_t n = make_files(files, &sums), len;
    (void)state;
    assert_int_equal(idp_ctx_create(&ctx), IDP_OK);
    /* Sorted by name, "<64 hex>  <name>\n". */
    assert_int_equal(strlen(sums), 3 * 66 + strlen("request.pdf") + strlen("id-front.jpg") +
                                       strlen("manifest.json") + 3);
    assert_non_null(strstr(sums, "  id-front.jpg\n"));
    assert_true(strstr(sums, "  id-front.jpg\n") < strstr(sums, "  manifest.json\n"));
    assert_true(strstr(sums, "  manifest.json\n") < strstr(sums, "  request.pdf\n"));
    assert_int_equal(sums[64], ' ');
    assert_int_equal(sums[65], ' ');
    /* Refusals: itself, duplicates, names outside [a-z0-9._-]. */
    assert_int_equal(idp_sha256sums_format(ctx, files, n, &text, &len), IDP_E_USAGE);
    assert_null(text);
    bad[0] = files[0];
    bad[1] = files[0];
    assert_int_equal(idp_sha256sums_format(ctx, bad, 2, &text, &len), IDP_E_USAGE);
    assert_non_null(strstr(idp_ctx_error(ctx), "twice"));
    bad[1] = (idp_package_file){"../etc/passwd", pdf, 3};
    assert_int_equal(idp_sha256sums_format(ctx, bad, 2, &text, &len), IDP_E_USAGE);
    assert_non_null(strstr(idp_ctx_error(ctx), "../etc/passwd"));
    bad[1] = (idp_package_file){"Photo.JPG", pdf, 3};
    assert_int_equal(idp_sha256sums_format(ctx, bad, 2, &text, &len), IDP_E_USAGE);
    bad[1] = (idp_package_file){"a b", pdf, 3};
    assert_int_equal(idp_sha256sums_format(ctx, bad, 2, &text, &len), IDP_E_USAGE);
    free(sums);
    idp_ctx_destroy(ctx);
}

static void test_write_and_sha256sum(void **state)
{
    idp_ctx *ctx;
    idp_package_file files[4];
    char *sums = NULL;
    size_t n = make_files(files, &sums);
    const char *parent = fresh_dir("w1");
    const char *pkg = tu_path(parent, "pkg");
    struct stat sb;
    mode_t old_umask = umask(022);
    (void)state;
    assert_int_equal(idp_ctx_create(&ctx), IDP_OK);
    assert_int_equal(idp_package_write(ctx, pkg, files, n, false), IDP_OK);
    assert_int_equal(lstat(pkg, &sb), 0);
    assert_true(S_ISDIR(sb.st_mode));
    assert_int_equal(sb.st_mode & 07777, 0700);
    for (size_t i = 0; i < n; i++) {
        assert_int_equal(lstat(tu_path(pkg, files[i].name), &sb), 0);
        assert_true(S_ISREG(sb.st_mode));
        assert_int_equal(sb.st_mode & 07777, 0600);
        assert_int_equal((size_t)sb.st_size, files[i].len);
    }
    assert_int_equal(tu_count_entries(pkg), (int)n);
    assert_int_equal(tu_count_entries(parent), 1); /* no temp folder left */
    assert_int_equal(tu_run("cd '%s' && sha256sum --quiet --strict -c SHA256SUMS", pkg), 0);
    /* The check can fail: damage a file. */
    assert_int_equal(tu_run("printf x >> '%s/request.pdf'", pkg), 0);
    assert_int_not_equal(tu_run("cd '%s' && sha256sum --quiet --status -c SHA256SUMS", pkg), 0);
    umask(old_umask);
    free(sums);
    idp_ctx_destroy(ctx);
}

static void test_exists_and_force(void **state)
{
    idp_ctx *ctx;
    idp_package_file files[4], other[2];
    char *sums = NULL, *sums2 = NULL, *before, *after;
    size_t n = make_files(files, &sums), len, blen, alen;
    const char *parent = fresh_dir("w2");
    const char *pkg = tu_path(parent, "pkg");
    (void)state;
    assert_int_equal(idp_ctx_create(&ctx), IDP_OK);
    assert_int_equal(idp_package_write(ctx, pkg, files, n, false), IDP_OK);
    before = slurp(tu_path(pkg, "SHA256SUMS"), &blen);

    /* A different package for the same folder. */
    other[0] = (idp_package_file){"manifest.json", (const uint8_t *)"{\"v\":2}\n", 8};
    assert_int_equal(idp_sha256sums_format(ctx, other, 1, &sums2, &len), IDP_OK);
    other[1] = (idp_package_file){"SHA256SUMS", (const uint8_t *)sums2, len};

    assert_int_equal(idp_package_write(ctx, pkg, other, 2, false), IDP_E_EXISTS);
    assert_non_null(strstr(idp_ctx_error(ctx), "pkg"));
    after = slurp(tu_path(pkg, "SHA256SUMS"), &alen);
    assert_int_equal(alen, blen);
    assert_memory_equal(before, after, blen);
    assert_int_equal(tu_count_entries(pkg), (int)n);
    assert_int_equal(tu_count_entries(parent), 1);
    free(after);

    /* With force the old package is replaced whole: its other files go. */
    assert_int_equal(idp_package_write(ctx, pkg, other, 2, true), IDP_OK);
    assert_int_equal(tu_count_entries(pkg), 2);
    after = slurp(tu_path(pkg, "manifest.json"), &alen);
    assert_string_equal(after, "{\"v\":2}\n");
    free(after);
    assert_int_equal(tu_count_entries(parent), 1); /* neither temp nor old folder left */
    assert_int_equal(tu_run("cd '%s' && sha256sum --quiet --strict -c SHA256SUMS", pkg), 0);

    /* Trailing slashes name the same folder. */
    {
        char slashed[4300];
        snprintf(slashed, sizeof(slashed), "%s//", pkg);
        assert_int_equal(idp_package_write(ctx, slashed, files, n, false), IDP_E_EXISTS);
        assert_int_equal(idp_package_write(ctx, slashed, files, n, true), IDP_OK);
        assert_int_equal(tu_count_entries(pkg), (int)n);
        assert_int_equal(tu_count_entries(parent), 1);
    }
    free(before);
    free(sums);
    free(sums2);
    idp_ctx_destroy(ctx);
}

static void test_force_refuses_non_package(void **state)
{
    idp_ctx *ctx;
    idp_package_file files[4];
    char *sums = NULL;
    size_t n = make_files(files, &sums);
    const char *parent = fresh_dir("w3");
    const char *photos = tu_path(parent, "holiday-photos");
    const char *nested = tu_path(parent, "nested");
    const char *link = tu_path(parent, "link");
    const char *plain = tu_path(parent, "plain-file");
    (void)state;
    assert_int_equal(idp_ctx_create(&ctx), IDP_OK);

    /* A folder without SHA256SUMS is never deleted, even with force. */
    assert_int_equal(mkdir(photos, 0755), 0);
    assert_int_equal(tu_run("echo precious > '%s/beach.jpg'", photos), 0);
    assert_int_equal(idp_package_write(ctx, photos, files, n, true), IDP_E_EXISTS);
    assert_non_null(strstr(idp_ctx_error(ctx), "SHA256SUMS"));
    assert_int_equal(tu_count_entries(photos), 1);
    assert_int_equal(tu_run("grep -q precious '%s/beach.jpg'", photos), 0);

    /* Nor one with SHA256SUMS and a subfolder (not what idpack writes). */
    assert_int_equal(mkdir(nested, 0700), 0);
    assert_int_equal(tu_run("cd '%s' && touch SHA256SUMS && mkdir sub && touch sub/keep", nested),
                     0);
    assert_int_equal(idp_package_write(ctx, nested, files, n, true), IDP_E_EXISTS);
    assert_int_equal(tu_run("test -f '%s/sub/keep'", nested), 0);

    /* Nor a link to a package, nor a plain file. */
    assert_int_equal(tu_run("mkdir '%s/real' && touch '%s/real/SHA256SUMS' && ln -s real '%s'",
                            parent, parent, link),
                     0);
    assert_int_equal(idp_package_write(ctx, link, files, n, true), IDP_E_EXISTS);
    assert_int_equal(tu_run("test -L '%s' && test -f '%s/real/SHA256SUMS'", link, parent), 0);
    assert_int_equal(tu_run("touch '%s'", plain), 0);
    assert_int_equal(idp_package_write(ctx, plain, files, n, true), IDP_E_EXISTS);
    assert_int_equal(tu_run("test -f '%s'", plain), 0);

    /* photos, nested, real, link, plain-file, and nothing else. */
    assert_int_equal(tu_count_entries(parent), 5);
    free(sums);
    idp_ctx_destroy(ctx);
}

static void test_failures_leave_nothing(void **state)
{
    idp_ctx *ctx;
    idp_package_file files[4], bad[4];
    char *sums = NULL;
    size_t n = make_files(files, &sums);
    const char *parent = fresh_dir("w4");
    const char *pkg = tu_path(parent, "pkg");
    (void)state;
    assert_int_equal(idp_ctx_create(&ctx), IDP_OK);

    /* Parent missing. */
    assert_int_equal(idp_package_write(ctx, tu_path(parent, "no/such/pkg"), files, n, false),
                     IDP_E_CREATE);
    assert_non_null(strstr(idp_ctx_error(ctx), "no/such"));

    /* An invalid name as the third file: refused before anything is made. */
    memcpy(bad, files, sizeof(bad));
    bad[2].name = "Manifest.JSON";
    assert_int_equal(idp_package_write(ctx, pkg, bad, n, false), IDP_E_USAGE);
    assert_non_null(strstr(idp_ctx_error(ctx), "Manifest.JSON"));
    assert_int_equal(tu_count_entries(parent), 0);
    bad[2].name = "../escape";
    assert_int_equal(idp_package_write(ctx, pkg, bad, n, false), IDP_E_USAGE);
    assert_int_equal(tu_count_entries(parent), 0);

    /* A failure midway (the third file repeats the first: found when it is
     * created): the temp folder and the two files already written go. */
    memcpy(bad, files, sizeof(bad));
    bad[2].name = files[0].name;
    assert_int_equal(idp_package_write(ctx, pkg, bad, n, false), IDP_E_USAGE);
    assert_non_null(strstr(idp_ctx_error(ctx), "request.pdf"));
    assert_int_equal(tu_count_entries(parent), 0);
    /* ... and with force over an existing package, which stays as it was. */
    assert_int_equal(idp_package_write(ctx, pkg, files, n, false), IDP_OK);
    assert_int_equal(idp_package_write(ctx, pkg, bad, n, true), IDP_E_USAGE);
    assert_int_equal(tu_count_entries(parent), 1);
    assert_int_equal(tu_count_entries(pkg), (int)n);
    assert_int_equal(tu_run("cd '%s' && sha256sum --quiet --strict -c SHA256SUMS", pkg), 0);

    /* An unwritable parent. */
    if (geteuid() != 0) {
        const char *ro = fresh_dir("readonly");
        assert_int_equal(chmod(ro, 0500), 0);
        assert_int_equal(idp_package_write(ctx, tu_path(ro, "pkg"), files, n, false), IDP_E_CREATE);
        assert_int_equal(tu_count_entries(ro), 0);
        assert_int_equal(chmod(ro, 0700), 0);
    }
    /* Bad arguments. */
    assert_int_equal(idp_package_write(ctx, pkg, files, 0, true), IDP_E_USAGE);
    assert_int_equal(idp_package_write(ctx, "..", files, n, true), IDP_E_USAGE);
    free(sums);
    idp_ctx_destroy(ctx);
}

/* A check report as idp_check would give, made by hand. */
static void fake_report(idp_check_report *r, double sharpness)
{
    memset(r, 0, sizeof(*r));
    r->verdict = IDP_VERDICT_WARN;
    r->info.width = 3024;
    r->info.height = 4032;
    r->n_checks = 3;
    r->checks[0] = (idp_check_result){IDP_CHECK_DECODE, IDP_CHECK_PASS, IDP_REASON_OK, 0, 0, -1};
    r->checks[1] =
        (idp_check_result){IDP_CHECK_RESOLUTION, IDP_CHECK_PASS, IDP_REASON_OK, 2950, 1011, -1};
    r->checks[2] = (idp_check_result){IDP_CHECK_SHARPNESS, IDP_CHECK_WARN, IDP_REASON_LOW,
                                      sharpness,           120.5,          -1};
}

static void fake_manifest(idp_manifest *m, idp_manifest_file files[2], idp_manifest_photo photos[2],
                          idp_check_report reports[2])
{
    memset(m, 0, sizeof(*m));
    memset(files, 0, 2 * sizeof(files[0]));
    files[0].name = "request.pdf";
    files[0].size = 123456;
    files[0].sha256[0] = 0xab;
    files[1].name = "id-front.jpg";
    files[1].size = 654321;
    files[1].sha256[31] = 0xcd;
    fake_report(&reports[0], 88.25);
    fake_report(&reports[1], 91.0);
    photos[0] = (idp_manifest_photo){"front", "id-front.jpg", &reports[0]};
    photos[1] = (idp_manifest_photo){"back", "id-back.jpg", &reports[1]};
    m->tool_version = "0.1.0";
    m->template_id = "2fa-reset";
    m->lang = "it";
    m->reference = "IDP-7KQ2-9XHF";
    m->created = "2026-11-26T00:00:00Z";
    m->paper = "a4";
    m->marketplace = "amazon.it";
    m->n_files = 2;
    m->files = files;
    m->n_photos = 2;
    m->photos = photos;
}

static void assert_only_keys(json_t *obj, const char *const *keys, size_t n)
{
    const char *k;
    json_t *v;
    size_t i = 0;
    assert_true(json_is_object(obj));
    assert_int_equal(json_object_size(obj), n);
    /* In the documented order, and nothing else. */
    json_object_foreach(obj, k, v)
    {
        (void)v;
        assert_string_equal(k, keys[i]);
        i++;
    }
}

static void test_manifest(void **state)
{
    static const char *const top[] = {"format",      "tool",      "tool_version", "template",
                                      "lang",        "reference", "created",      "paper",
                                      "marketplace", "files",     "photos"};
    static const char *const filek[] = {"name", "size", "sha256"};
    static const char *const photok[] = {"role", "file", "verdict", "width", "height", "checks"};
    static const char *const checkk[] = {"id", "status", "value", "limit"};
    idp_ctx *ctx;
    idp_manifest m;
    idp_manifest_file files[2];
    idp_manifest_photo photos[2];
    idp_check_report reports[2];
    char *a = NULL, *b = NULL;
    size_t alen, blen, i;
    json_error_t jerr;
    json_t *root, *f, *p, *c;
    (void)state;
    assert_int_equal(idp_ctx_create(&ctx), IDP_OK);
    fake_manifest(&m, files, photos, reports);
    reports[1].checks[2].value = NAN;
    reports[1].checks[2].limit = INFINITY;
    assert_int_equal(idp_manifest_serialize(ctx, &m, &a, &alen), IDP_OK);
    assert_int_equal(idp_manifest_serialize(ctx, &m, &b, &blen), IDP_OK);
    assert_int_equal(alen, strlen(a));
    assert_int_equal(alen, blen);
    assert_memory_equal(a, b, alen); /* deterministic */
    assert_int_equal(a[alen - 1], '\n');
    assert_non_null(strstr(a, "\n  \"format\": \"idpack-manifest/1\",\n")); /* 2-space indent */

    root = json_loadb(a, alen, JSON_REJECT_DUPLICATES, &jerr);
    assert_non_null(root);
    assert_only_keys(root, top, sizeof(top) / sizeof(top[0]));
    assert_string_equal(json_string_value(json_object_get(root, "tool")), "idpack");
    assert_string_equal(json_string_value(json_object_get(root, "reference")), "IDP-7KQ2-9XHF");
    assert_string_equal(json_string_value(json_object_get(root, "marketplace")), "amazon.it");
    assert_int_equal(json_array_size(json_object_get(root, "files")), 2);
    json_array_foreach(json_object_get(root, "files"), i, f)
    {
        assert_only_keys(f, filek, 3);
        assert_string_equal(json_string_value(json_object_get(f, "name")), files[i].name);
        assert_int_equal(json_integer_value(json_object_get(f, "size")), files[i].size);
        assert_int_equal(strlen(json_string_value(json_object_get(f, "sha256"))), 64);
    }
    assert_string_equal(json_string_value(json_object_get(
                            json_array_get(json_object_get(root, "files"), 0), "sha256")),
                        "ab00000000000000000000000000000000000000000000000000000000000000");
    assert_int_equal(json_array_size(json_object_get(root, "photos")), 2);
    json_array_foreach(json_object_get(root, "photos"), i, p)
    {
        size_t j;
        assert_only_keys(p, photok, 6);
        assert_string_equal(json_string_value(json_object_get(p, "verdict")), "warn");
        assert_int_equal(json_integer_value(json_object_get(p, "width")), 3024);
        assert_int_equal(json_array_size(json_object_get(p, "checks")), 3);
        json_array_foreach(json_object_get(p, "checks"), j, c)
        {
            assert_only_keys(c, checkk, 4);
        }
    }
    p = json_array_get(json_object_get(root, "photos"), 0);
    c = json_array_get(json_object_get(p, "checks"), 2);
    assert_string_equal(json_string_value(json_object_get(c, "id")), "sharpness");
    assert_string_equal(json_string_value(json_object_get(c, "status")), "warn");
    /* rounded to what sharpness means: one decimal (88.25 -> 88.3) */
    assert_true(fabs(json_number_value(json_object_get(c, "value")) - 88.3) < 1e-9);
    assert_non_null(strstr(a, "\"value\": 88.3,"));
    assert_true(fabs(json_number_value(json_object_get(c, "limit")) - 120.5) < 1e-9);
    /* Non-finite values become null. */
    p = json_array_get(json_object_get(root, "photos"), 1);
    c = json_array_get(json_object_get(p, "checks"), 2);
    assert_true(json_is_null(json_object_get(c, "value")));
    assert_true(json_is_null(json_object_get(c, "limit")));
    json_decref(root);
    free(a);
    free(b);

    /* Without a marketplace the key is absent. */
    m.marketplace = NULL;
    assert_int_equal(idp_manifest_serialize(ctx, &m, &a, &alen), IDP_OK);
    assert_null(strstr(a, "marketplace"));
    free(a);
    /* A file name that is a path (it could hold a person's name) is refused. */
    files[1].name = "/home/mario.rossi/carta.jpg";
    assert_int_equal(idp_manifest_serialize(ctx, &m, &a, &alen), IDP_E_USAGE);
    assert_null(a);
    files[1].name = "id-front.jpg";
    m.reference = NULL;
    assert_int_equal(idp_manifest_serialize(ctx, &m, &a, &alen), IDP_E_USAGE);
    assert_null(a);
    idp_ctx_destroy(ctx);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_sha256sums_format),
        cmocka_unit_test(test_write_and_sha256sum),
        cmocka_unit_test(test_exists_and_force),
        cmocka_unit_test(test_force_refuses_non_package),
        cmocka_unit_test(test_failures_leave_nothing),
        cmocka_unit_test(test_manifest),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
