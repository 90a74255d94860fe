/* idpack verify's library half: an intact package passes; each kind of
 * damage is found and names the file concerned. Packages are made with the
 * library, damaged with ordinary tools (printf, rm, sha256sum, ln). */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>

#include "idp_check.h"
#include "idp_ctx.h"
#include "idp_hash.h"
#include "idp_manifest.h"
#include "idp_package.h"
#include "idp_reference.h"
#include "idp_sign.h"
#include "testutil.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

static char key[4200], pub[4200], pub2[4200];
static char expected_ref[IDP_REFERENCE_LEN];

static int setup(void **state)
{
    const char *dir = tu_tmpdir();
    char key2[4200];
    (void)state;
    snprintf(key, sizeof(key), "%s/key.pem", dir);
    snprintf(pub, sizeof(pub), "%s/pub.pem", dir);
    snprintf(key2, sizeof(key2), "%s/other.pem", dir);
    snprintf(pub2, sizeof(pub2), "%s/other-pub.pem", dir);
    if (tu_ed25519_pair(key, pub) != 0 || tu_ed25519_pair(key2, pub2) != 0)
        return -1;
    return 0;
}

/* Writes a complete package at tmp/name, signed when sign; returns its path. */
static const char *make_package(const char *name, bool sign)
{
    static char path[8][4200];
    static unsigned next;
    char *dir = path[next++ % 8];
    idp_ctx *ctx;
    uint8_t pdf[3000], front[2000], back[1500], digest[IDP_SHA256_LEN], sig[IDP_SIG_LEN];
    idp_package_file files[6];
    idp_manifest_file mf[3];
    idp_check_report rep;
    idp_manifest_photo photo;
    idp_manifest m;
    char *json = NULL, *sums = NULL;
    size_t jlen, slen, nf = 0, i;

    snprintf(dir, sizeof(path[0]), "%s/%s", tu_tmpdir(), name);
    for (i = 0; i < sizeof(pdf); i++)
        pdf[i] = (uint8_t)(i * 7 + 1);
    for (i = 0; i < sizeof(front); i++)
        front[i] = (uint8_t)(i * 13 + 5);
    for (i = 0; i < sizeof(back); i++)
        back[i] = (uint8_t)(i * 17 + 3);
    assert_int_equal(idp_ctx_create(&ctx), IDP_OK);
    files[nf++] = (idp_package_file){"request.pdf", pdf, sizeof(pdf)};
    files[nf++] = (idp_package_file){"id-front.jpg", front, sizeof(front)};
    files[nf++] = (idp_package_file){"id-back.jpg", back, sizeof(back)};
    for (i = 0; i < 3; i++) {
        mf[i].name = files[i].name;
        mf[i].size = files[i].len;
        assert_int_equal(idp_sha256(ctx, files[i].data, files[i].len, mf[i].sha256), IDP_OK);
    }
    assert_int_equal(idp_sha256(ctx, pdf, sizeof(pdf), digest), IDP_OK);
    idp_reference_from_digest(digest, expected_ref);
    memset(&rep, 0, sizeof(rep));
    rep.n_checks = 1;
    rep.checks[0] = (idp_check_result){IDP_CHECK_DECODE, IDP_CHECK_PASS, IDP_REASON_OK, 0, 0, -1};
    photo = (idp_manifest_photo){"front", "id-front.jpg", &rep};
    m = (idp_manifest){"0.1.0", "2fa-reset", "en", expected_ref, "2026-11-26T00:00:00Z", "a4", NULL,
                       3,       mf,          1,    &photo};
    assert_int_equal(idp_manifest_serialize(ctx, &m, &json, &jlen), IDP_OK);
    files[nf++] = (idp_package_file){"manifest.json", (const uint8_t *)json, jlen};
    assert_int_equal(idp_sha256sums_format(ctx, files, nf, &sums, &slen), IDP_OK);
    files[nf++] = (idp_package_file){"SHA256SUMS", (const uint8_t *)sums, slen};
    if (sign) {
        assert_int_equal(idp_sign_ed25519(ctx, key, (const uint8_t *)json, jlen, sig), IDP_OK);
        files[nf++] = (idp_package_file){"manifest.json.sig", sig, sizeof(sig)};
    }
    assert_int_equal(idp_package_write(ctx, dir, files, nf, false), IDP_OK);
    free(json);
    free(sums);
    idp_ctx_destroy(ctx);
    return dir;
}

/* Verifies dir and returns the report (caller frees). */
static idp_verify_report verify(const char *dir, const char *pubkey)
{
    idp_ctx *ctx;
    idp_verify_report r;
    assert_int_equal(idp_ctx_create(&ctx), IDP_OK);
    assert_int_equal(idp_package_verify(ctx, dir, pubkey, &r), IDP_OK);
    idp_ctx_destroy(ctx);
    return r;
}

/* Whether the report holds a problem of this kind about file. */
static bool has_problem(const idp_verify_report *r, idp_problem_kind kind, const char *file)
{
    for (size_t i = 0; i < r->n_problems; i++)
        if (r->problems[i].kind == kind && strcmp(r->problems[i].file, file) == 0 &&
            r->problems[i].detail != NULL && r->problems[i].detail[0] != '\0')
            return true;
    return false;
}

static void print_problems(const idp_verify_report *r)
{
    for (size_t i = 0; i < r->n_problems; i++)
        print_message("  %s %s: %s\n", idp_problem_kind_name(r->problems[i].kind),
                      r->problems[i].file, r->problems[i].detail);
}

static void test_intact(void **state)
{
    const char *dir = make_package("intact", true);
    idp_verify_report r;
    (void)state;
    r = verify(dir, pub);
    print_problems(&r);
    assert_int_equal(r.n_problems, 0);
    assert_int_equal(r.n_files_ok, 4);
    assert_true(r.signature_checked);
    assert_true(r.signature_ok);
    assert_non_null(r.reference);
    assert_string_equal(r.reference, expected_ref);
    idp_verify_report_free(&r);
    assert_null(r.problems);
    idp_verify_report_free(NULL);
    /* Without a key the signature is not checked, and that is no problem. */
    r = verify(dir, NULL);
    assert_int_equal(r.n_problems, 0);
    assert_false(r.signature_checked);
    assert_false(r.signature_ok);
    idp_verify_report_free(&r);
    /* The other key's signature check fails. */
    r = verify(dir, pub2);
    assert_int_equal(r.n_problems, 1);
    assert_true(has_problem(&r, IDP_PROBLEM_SIGNATURE, "manifest.json.sig"));
    assert_true(r.signature_checked);
    assert_false(r.signature_ok);
    idp_verify_report_free(&r);
    /* The tools agree it is intact. */
    assert_int_equal(tu_run("cd '%s' && sha256sum --quiet --strict -c SHA256SUMS", dir), 0);
    assert_int_equal(tu_run("openssl pkeyutl -verify -pubin -inkey '%s' -rawin -in "
                            "'%s/manifest.json' -sigfile '%s/manifest.json.sig' >/dev/null",
                            pub, dir, dir),
                     0);
}

static void test_changed_missing_extra(void **state)
{
    const char *changed = make_package("changed", false);
    const char *missing = make_package("missing", false);
    const char *extra = make_package("extra", false);
    idp_verify_report r;
    (void)state;
    /* One byte changed (same size). */
    assert_int_equal(tu_run("printf 'Z' | dd of='%s/id-back.jpg' bs=1 seek=700 conv=notrunc "
                            "2>/dev/null",
                            changed),
                     0);
    r = verify(changed, NULL);
    print_problems(&r);
    assert_int_equal(r.n_problems, 1);
    assert_true(has_problem(&r, IDP_PROBLEM_CHANGED, "id-back.jpg"));
    assert_int_equal(r.n_files_ok, 3);
    idp_verify_report_free(&r);

    assert_int_equal(tu_run("rm '%s/id-front.jpg'", missing), 0);
    r = verify(missing, NULL);
    assert_int_equal(r.n_problems, 1);
    assert_true(has_problem(&r, IDP_PROBLEM_MISSING, "id-front.jpg"));
    idp_verify_report_free(&r);

    assert_int_equal(tu_run("echo hi > '%s/notes.txt' && mkdir '%s/sub' && ln -s /etc/passwd "
                            "'%s/link'",
                            extra, extra, extra),
                     0);
    r = verify(extra, NULL);
    print_problems(&r);
    assert_int_equal(r.n_problems, 3);
    assert_true(has_problem(&r, IDP_PROBLEM_EXTRA, "notes.txt"));
    assert_true(has_problem(&r, IDP_PROBLEM_EXTRA, "sub"));
    assert_true(has_problem(&r, IDP_PROBLEM_EXTRA, "link"));
    idp_verify_report_free(&r);
}

static void test_symlink_in_place_of_file(void **state)
{
    const char *dir = make_package("symlink", false);
    idp_verify_report r;
    (void)state;
    /* The link points at an identical copy: the content would hash the
     * same, but a link is never what idpack wrote. */
    assert_int_equal(tu_run("cd '%s' && cp request.pdf ../request-copy.pdf && rm request.pdf && "
                            "ln -s ../request-copy.pdf request.pdf",
                            dir),
                     0);
    r = verify(dir, NULL);
    print_problems(&r);
    assert_int_equal(r.n_problems, 1);
    assert_true(has_problem(&r, IDP_PROBLEM_CHANGED, "request.pdf"));
    assert_non_null(strstr(r.problems[0].detail, "link"));
    idp_verify_report_free(&r);

    /* FIFOs where files should be are reported, without blocking on them. */
    {
        const char *fifo = make_package("fifo", false);
        assert_int_equal(
            tu_run("cd '%s' && rm id-back.jpg && mkfifo id-back.jpg && mkfifo pipe", fifo), 0);
        r = verify(fifo, NULL);
        print_problems(&r);
        assert_int_equal(r.n_problems, 2);
        assert_true(has_problem(&r, IDP_PROBLEM_CHANGED, "id-back.jpg"));
        assert_true(has_problem(&r, IDP_PROBLEM_EXTRA, "pipe"));
        idp_verify_report_free(&r);
        assert_int_equal(tu_run("cd '%s' && rm SHA256SUMS && mkfifo SHA256SUMS", fifo), 0);
        r = verify(fifo, NULL);
        assert_int_equal(r.n_problems, 1);
        assert_true(has_problem(&r, IDP_PROBLEM_MALFORMED, "SHA256SUMS"));
        idp_verify_report_free(&r);
    }
}

static void test_tampered_manifest(void **state)
{
    const char *dir = make_package("tampered", true);
    const char *nosig = make_package("unsigned", false);
    idp_verify_report r;
    (void)state;
    /* Change the date in the manifest and rewrite SHA256SUMS to match, as
     * someone covering their tracks would: the hashes agree again, only the
     * signature tells. */
    assert_int_equal(tu_run("cd '%s' && sed -i 's/2026-11-26/2026-11-20/' manifest.json && "
                            "sha256sum id-back.jpg id-front.jpg manifest.json request.pdf "
                            "> SHA256SUMS",
                            dir),
                     0);
    r = verify(dir, NULL);
    assert_int_equal(r.n_problems, 0);
    assert_false(r.signature_checked);
    idp_verify_report_free(&r);
    r = verify(dir, pub);
    print_problems(&r);
    assert_int_equal(r.n_problems, 1);
    assert_true(has_problem(&r, IDP_PROBLEM_SIGNATURE, "manifest.json.sig"));
    assert_true(r.signature_checked);
    assert_false(r.signature_ok);
    idp_verify_report_free(&r);

    /* A key given for an unsigned package: a signature problem. */
    r = verify(nosig, pub);
    assert_int_equal(r.n_problems, 1);
    assert_true(has_problem(&r, IDP_PROBLEM_SIGNATURE, "manifest.json.sig"));
    idp_verify_report_free(&r);
}

static void test_manifest_disagrees(void **state)
{
    const char *dir = make_package("disagree", false);
    const char *badjson = make_package("badjson", false);
    idp_verify_report r;
    (void)state;
    /* A photo replaced and SHA256SUMS updated, the manifest left alone. */
    assert_int_equal(tu_run("cd '%s' && printf 'other photo' > id-front.jpg && "
                            "sha256sum id-back.jpg id-front.jpg manifest.json request.pdf "
                            "> SHA256SUMS",
                            dir),
                     0);
    r = verify(dir, NULL);
    print_problems(&r);
    assert_int_equal(r.n_problems, 1);
    assert_true(has_problem(&r, IDP_PROBLEM_CHANGED, "id-front.jpg"));
    assert_non_null(strstr(r.problems[0].detail, "manifest.json"));
    idp_verify_report_free(&r);

    /* A file dropped from SHA256SUMS (and removed): the manifest still
     * lists it. */
    assert_int_equal(tu_run("cd '%s' && rm id-back.jpg && sha256sum id-front.jpg manifest.json "
                            "request.pdf > SHA256SUMS",
                            dir),
                     0);
    r = verify(dir, NULL);
    print_problems(&r);
    assert_true(has_problem(&r, IDP_PROBLEM_MALFORMED, "id-back.jpg"));
    idp_verify_report_free(&r);

    /* manifest.json not JSON, with SHA256SUMS updated. */
    assert_int_equal(tu_run("cd '%s' && printf '{not json' > manifest.json && "
                            "sha256sum id-back.jpg id-front.jpg manifest.json request.pdf "
                            "> SHA256SUMS",
                            badjson),
                     0);
    r = verify(badjson, NULL);
    print_problems(&r);
    assert_int_equal(r.n_problems, 1);
    assert_true(has_problem(&r, IDP_PROBLEM_MALFORMED, "manifest.json"));
    idp_verify_report_free(&r);
}

/* Replaces SHA256SUMS of a fresh package by text and expects MALFORMED. */
static void expect_malformed(const char *name, const char *text, const char *in_detail)
{
    const char *dir = make_package(name, false);
    char path[4300];
    FILE *f;
    idp_verify_report r;
    snprintf(path, sizeof(path), "%s/SHA256SUMS", dir);
    f = fopen(path, "wb");
    assert_non_null(f);
    assert_int_equal(fputs(text, f) >= 0, 1);
    assert_int_equal(fclose(f), 0);
    r = verify(dir, NULL);
    print_problems(&r);
    assert_int_equal(r.n_problems, 1);
    assert_true(has_problem(&r, IDP_PROBLEM_MALFORMED, "SHA256SUMS"));
    if (in_detail != NULL && strstr(r.problems[0].detail, in_detail) == NULL)
        fail_msg("\"%s\" not in \"%s\"", in_detail, r.problems[0].detail);
    idp_verify_report_free(&r);
}

static void test_malformed_sums(void **state)
{
    const char *h = "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855";
    char text[4096];
    (void)state;
    snprintf(text, sizeof(text), "%s  manifest.json\ndeadbeef  request.pdf\n", h);
    expect_malformed("m1", text, "line 2");
    snprintf(text, sizeof(text), "%s manifest.json\n", h);
    expect_malformed("m2", text, "line 1");
    snprintf(text, sizeof(text), "%s *manifest.json\n", h);
    expect_malformed("m3", text, "line 1");
    snprintf(text, sizeof(text), "%s  manifest.json\n%s  ../etc/passwd\n", h, h);
    expect_malformed("m4", text, "line 2");
    snprintf(text, sizeof(text), "%s  manifest.json\n\n", h);
    expect_malformed("m5", text, "line 2");
    snprintf(text, sizeof(text), "%s  manifest.json\r\n", h);
    expect_malformed("m6", text, "line 1");
    snprintf(text, sizeof(text), "%.63sg  manifest.json\n", h);
    expect_malformed("m7", text, "line 1");
    snprintf(text, sizeof(text), "%s  manifest.json\n%s  manifest.json\n", h, h);
    expect_malformed("m8", text, "twice");
    /* byte for byte as idpack writes it: lower-case hex, sorted by name,
     * a final newline */
    snprintf(text, sizeof(text), "%s  manifest.json\n",
             "E3B0C44298FC1C149AFBF4C8996FB92427AE41E4649B934CA495991B7852B855");
    expect_malformed("x1", text, "upper-case");
    snprintf(text, sizeof(text), "%s  manifest.json", h);
    expect_malformed("x2", text, "no final newline");
    snprintf(text, sizeof(text), "%s  request.pdf\n%s  manifest.json\n", h, h);
    expect_malformed("x3", text, "line 2: manifest.json is out of order");
    snprintf(text, sizeof(text), "%s  request.pdf\n", h);
    expect_malformed("m9", text, "manifest.json");
    expect_malformed("s1", "", "empty");
    {
        /* More than 1000 lines. */
        const char *dir = make_package("m11", false);
        assert_int_equal(tu_run("cd '%s' && for i in $(seq 1001); do echo \"%s  f$i\"; done "
                                "> SHA256SUMS",
                                dir, h),
                         0);
        idp_verify_report r = verify(dir, NULL);
        assert_int_equal(r.n_problems, 1);
        assert_true(has_problem(&r, IDP_PROBLEM_MALFORMED, "SHA256SUMS"));
        idp_verify_report_free(&r);
    }
    {
        /* 1000 lines naming absent files: the report is bounded, and says so. */
        const char *dir = make_package("m12", false);
        idp_verify_report r;
        assert_int_equal(
            tu_run("cd '%s' && { sha256sum manifest.json; "
                   "for i in $(seq 999); do echo \"%s  f$i\"; done; } | "
                   "LC_ALL=C sort -k2 > SHA256SUMS.new && mv SHA256SUMS.new SHA256SUMS",
                   dir, h),
            0);
        r = verify(dir, NULL);
        assert_true(r.n_problems > 100);
        assert_true(r.n_problems < 999);
        assert_true(has_problem(&r, IDP_PROBLEM_MISSING, "f1"));
        assert_true(has_problem(&r, IDP_PROBLEM_MALFORMED, "."));
        assert_non_null(strstr(r.problems[r.n_problems - 1].detail, "too many"));
        idp_verify_report_free(&r);
    }
}

static void test_missing_things(void **state)
{
    const char *nosums = make_package("nosums", false);
    idp_ctx *ctx;
    idp_verify_report r;
    (void)state;
    assert_int_equal(tu_run("rm '%s/SHA256SUMS'", nosums), 0);
    r = verify(nosums, NULL);
    assert_int_equal(r.n_problems, 1);
    assert_true(has_problem(&r, IDP_PROBLEM_MISSING, "SHA256SUMS"));
    idp_verify_report_free(&r);

    assert_int_equal(idp_ctx_create(&ctx), IDP_OK);
    assert_int_equal(idp_package_verify(ctx, tu_path(tu_tmpdir(), "no-such-package"), NULL, &r),
                     IDP_E_NOTFOUND);
    assert_non_null(strstr(idp_ctx_error(ctx), "no-such-package"));
    assert_int_equal(r.n_problems, 0);
    assert_null(r.problems);
    /* A key that is not usable is an error, not a verdict on the package. */
    assert_int_equal(idp_package_verify(ctx, make_package("badkey", true),
                                        tu_path(tu_tmpdir(), "absent.pem"), &r),
                     IDP_E_NOTFOUND);
    assert_non_null(strstr(idp_ctx_error(ctx), "absent.pem"));
    assert_null(r.problems);
    idp_ctx_destroy(ctx);
    assert_string_equal(idp_problem_kind_name(IDP_PROBLEM_EXTRA), "extra");
    assert_string_equal(idp_problem_kind_name(IDP_PROBLEM_SIGNATURE), "signature");
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_intact),
        cmocka_unit_test(test_changed_missing_extra),
        cmocka_unit_test(test_symlink_in_place_of_file),
        cmocka_unit_test(test_tampered_manifest),
        cmocka_unit_test(test_manifest_disagrees),
        cmocka_unit_test(test_malformed_sums),
        cmocka_unit_test(test_missing_things),
    };
    return cmocka_run_group_tests(tests, setup, NULL);
}
