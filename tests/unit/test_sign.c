/* Ed25519 signatures, checked both ways against the openssl command:
 * ours verified by `openssl pkeyutl -verify -rawin`, openssl's verified by
 * ours; keys made with `openssl genpkey`. */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>

#include "idp_ctx.h"
#include "idp_sign.h"
#include "testutil.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static const char *dir;
static char key[4200], pub[4200], key2[4200], pub2[4200], msg[4200];
static const char message[] = "{\n  \"format\": \"idpack-manifest/1\"\n}\n";

static size_t read_file(const char *path, uint8_t *buf, size_t size)
{
    FILE *f = fopen(path, "rb");
    size_t n;
    assert_non_null(f);
    n = fread(buf, 1, size, f);
    assert_int_equal(fclose(f), 0);
    return n;
}

static int setup(void **state)
{
    (void)state;
    dir = tu_tmpdir();
    snprintf(key, sizeof(key), "%s/key.pem", dir);
    snprintf(pub, sizeof(pub), "%s/pub.pem", dir);
    snprintf(key2, sizeof(key2), "%s/other.pem", dir);
    snprintf(pub2, sizeof(pub2), "%s/other-pub.pem", dir);
    snprintf(msg, sizeof(msg), "%s/manifest.json", dir);
    if (tu_ed25519_pair(key, pub) != 0 || tu_ed25519_pair(key2, pub2) != 0)
        return -1;
    tu_write_file(msg, message, sizeof(message) - 1);
    return 0;
}

static int openssl_verifies(const char *pubkey, const char *sigfile)
{
    return tu_run("openssl pkeyutl -verify -pubin -inkey '%s' -rawin -in '%s' -sigfile '%s' "
                  ">/dev/null 2>&1",
                  pubkey, msg, sigfile) == 0;
}

static void test_ours_verified_by_openssl(void **state)
{
    idp_ctx *ctx;
    uint8_t sig[IDP_SIG_LEN];
    const char *sigfile = tu_path(dir, "ours.sig");
    (void)state;
    assert_int_equal(idp_ctx_create(&ctx), IDP_OK);
    assert_int_equal(idp_sign_ed25519(ctx, key, (const uint8_t *)message, sizeof(message) - 1, sig),
                     IDP_OK);
    tu_write_file(sigfile, sig, sizeof(sig));
    assert_true(openssl_verifies(pub, sigfile));
    /* The same check refuses a signature made with another key, and a
     * damaged one: it can fail. */
    assert_false(openssl_verifies(pub2, sigfile));
    sig[10] ^= 0x01;
    tu_write_file(sigfile, sig, sizeof(sig));
    assert_false(openssl_verifies(pub, sigfile));
    idp_ctx_destroy(ctx);
}

static void test_openssl_verified_by_ours(void **state)
{
    idp_ctx *ctx;
    uint8_t theirs[128], ours[IDP_SIG_LEN];
    uint8_t changed[sizeof(message)];
    const char *sigfile = tu_path(dir, "theirs.sig");
    size_t n;
    (void)state;
    assert_int_equal(idp_ctx_create(&ctx), IDP_OK);
    assert_int_equal(
        tu_run("openssl pkeyutl -sign -inkey '%s' -rawin -in '%s' -out '%s'", key, msg, sigfile),
        0);
    n = read_file(sigfile, theirs, sizeof(theirs));
    assert_int_equal(n, IDP_SIG_LEN);
    assert_int_equal(
        idp_verify_ed25519(ctx, pub, (const uint8_t *)message, sizeof(message) - 1, theirs, n),
        IDP_OK);
    /* A private key file is accepted for verifying too. */
    assert_int_equal(
        idp_verify_ed25519(ctx, key, (const uint8_t *)message, sizeof(message) - 1, theirs, n),
        IDP_OK);
    /* Ed25519 is deterministic: our signature is byte for byte openssl's. */
    assert_int_equal(
        idp_sign_ed25519(ctx, key, (const uint8_t *)message, sizeof(message) - 1, ours), IDP_OK);
    assert_memory_equal(ours, theirs, IDP_SIG_LEN);

    /* Refusals: changed message, other key, wrong length. */
    memcpy(changed, message, sizeof(message));
    changed[3] ^= 0x20;
    assert_int_equal(idp_verify_ed25519(ctx, pub, changed, sizeof(message) - 1, theirs, n),
                     IDP_E_MISMATCH);
    assert_int_equal(
        idp_verify_ed25519(ctx, pub2, (const uint8_t *)message, sizeof(message) - 1, theirs, n),
        IDP_E_MISMATCH);
    assert_int_equal(
        idp_verify_ed25519(ctx, pub, (const uint8_t *)message, sizeof(message) - 1, theirs, n - 1),
        IDP_E_MISMATCH);
    idp_ctx_destroy(ctx);
}

static void test_wrong_keys_refused(void **state)
{
    idp_ctx *ctx;
    uint8_t sig[IDP_SIG_LEN] = {0};
    const char *rsa = tu_path(dir, "rsa.pem");
    const char *rsapub = tu_path(dir, "rsa-pub.pem");
    const char *ec = tu_path(dir, "ec.pem");
    const char *enc = tu_path(dir, "encrypted.pem");
    const char *junk = tu_path(dir, "junk.pem");
    const char *empty = tu_path(dir, "empty.pem");
    (void)state;
    assert_int_equal(idp_ctx_create(&ctx), IDP_OK);
    assert_int_equal(
        tu_run("openssl genpkey -algorithm RSA -pkeyopt rsa_keygen_bits:1024 -out '%s' "
               "2>/dev/null && openssl pkey -in '%s' -pubout -out '%s'",
               rsa, rsa, rsapub),
        0);
    assert_int_equal(tu_run("openssl genpkey -algorithm EC -pkeyopt ec_paramgen_curve:P-256 "
                            "-out '%s' 2>/dev/null",
                            ec),
                     0);
    assert_int_equal(tu_run("openssl genpkey -algorithm ed25519 -aes-256-cbc -pass pass:secret "
                            "-out '%s' 2>/dev/null",
                            enc),
                     0);
    {
        const char *bad = "-----BEGIN PRIVATE KEY-----\nnot base64\n-----END PRIVATE KEY-----\n";
        tu_write_file(junk, bad, strlen(bad));
    }
    tu_write_file(empty, "", 0);

    assert_int_equal(idp_sign_ed25519(ctx, rsa, (const uint8_t *)"x", 1, sig), IDP_E_CRYPTO);
    assert_non_null(strstr(idp_ctx_error(ctx), "rsa.pem"));
    assert_non_null(strstr(idp_ctx_error(ctx), "RSA"));
    assert_non_null(strstr(idp_ctx_error(ctx), "Ed25519"));
    assert_int_equal(idp_verify_ed25519(ctx, rsapub, (const uint8_t *)"x", 1, sig, sizeof(sig)),
                     IDP_E_CRYPTO);
    assert_non_null(strstr(idp_ctx_error(ctx), "rsa-pub.pem"));
    assert_int_equal(idp_sign_ed25519(ctx, ec, (const uint8_t *)"x", 1, sig), IDP_E_CRYPTO);
    assert_non_null(strstr(idp_ctx_error(ctx), "ec.pem"));

    /* Encrypted: a clear message, and no prompt (stdin is not read). */
    assert_int_equal(idp_sign_ed25519(ctx, enc, (const uint8_t *)"x", 1, sig), IDP_E_CRYPTO);
    assert_non_null(strstr(idp_ctx_error(ctx), "encrypted.pem"));
    assert_non_null(strstr(idp_ctx_error(ctx), "passphrase"));

    assert_int_equal(idp_sign_ed25519(ctx, junk, (const uint8_t *)"x", 1, sig), IDP_E_CRYPTO);
    assert_non_null(strstr(idp_ctx_error(ctx), "junk.pem"));
    assert_int_equal(idp_sign_ed25519(ctx, empty, (const uint8_t *)"x", 1, sig), IDP_E_CRYPTO);
    assert_non_null(strstr(idp_ctx_error(ctx), "empty.pem"));
    /* A public key cannot sign. */
    assert_int_equal(idp_sign_ed25519(ctx, pub, (const uint8_t *)"x", 1, sig), IDP_E_CRYPTO);
    assert_non_null(strstr(idp_ctx_error(ctx), "pub.pem"));
    assert_int_equal(
        idp_sign_ed25519(ctx, tu_path(dir, "absent.pem"), (const uint8_t *)"x", 1, sig),
        IDP_E_NOTFOUND);
    assert_non_null(strstr(idp_ctx_error(ctx), "absent.pem"));
    idp_ctx_destroy(ctx);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_ours_verified_by_openssl),
        cmocka_unit_test(test_openssl_verified_by_ours),
        cmocka_unit_test(test_wrong_keys_refused),
    };
    return cmocka_run_group_tests(tests, setup, NULL);
}
