/* Ed25519 signatures through OpenSSL's EVP interface: PEM keys as made by
 * `openssl genpkey -algorithm ed25519` / `openssl pkey -pubout`, raw
 * 64-byte signatures of the whole message (PureEdDSA, no pre-hash), the
 * same bytes `openssl pkeyutl -sign -rawin` writes and `-verify -rawin`
 * reads. */
#include "idp_package.h"
#include "idp_sign.h"
#include "idp_wipe.h"

#include "idp_io.h"

#include <openssl/bio.h>
#include <openssl/crypto.h>
#include <openssl/err.h>
#include <openssl/evp.h>
#include <openssl/pem.h>

#include <errno.h>
#include <malloc.h>
#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>
#include <sys/stat.h>

#define KEY_FILE_MAX (64u * 1024u)

/* OpenSSL's allocator, wiping what it frees (see
 * idp_sign_wipe_openssl_frees). The block's usable size is what malloc
 * gave, at least what was asked. */
static void *wiping_malloc(size_t n, const char *file, int line)
{
    (void)file;
    (void)line;
    return malloc(n);
}

static void wiping_free(void *p, const char *file, int line)
{
    (void)file;
    (void)line;
    if (p != NULL) {
        idp_wipe(p, malloc_usable_size(p));
        free(p);
    }
}

/* Never grows in place: the old block is copied, wiped and freed. */
static void *wiping_realloc(void *p, size_t n, const char *file, int line)
{
    size_t old;
    void *q;

    if (p == NULL)
        return malloc(n);
    if (n == 0) {
        wiping_free(p, file, line);
        return NULL;
    }
    q = malloc(n);
    if (q == NULL)
        return NULL;
    old = malloc_usable_size(p);
    memcpy(q, p, old < n ? old : n);
    wiping_free(p, file, line);
    return q;
}

bool idp_sign_wipe_openssl_frees(void)
{
    return CRYPTO_set_mem_functions(wiping_malloc, wiping_realloc, wiping_free) == 1;
}

/* Passphrase callback: never prompts. It notes that a passphrase was asked
 * for (so the message can say the key is encrypted) and fails. */
static int no_passphrase(char *buf, int size, int rwflag, void *u)
{
    (void)buf;
    (void)size;
    (void)rwflag;
    *(bool *)u = true;
    return -1;
}

/* The last OpenSSL error reason, for messages; clears the error queue. */
static const char *ossl_reason(char *buf, size_t size)
{
    unsigned long e = ERR_peek_last_error();
    const char *r = e != 0 ? ERR_reason_error_string(e) : NULL;

    snprintf(buf, size, "%s", r != NULL ? r : "unknown reason");
    ERR_clear_error();
    return buf;
}

/* Reads the PEM file at path and decodes it: a private key when want_private,
 * else a public key (or, failing that, a private key, whose public half is
 * used). The file's bytes are wiped before this returns. */
static idp_status load_key(idp_ctx *ctx, const char *path, bool want_private, EVP_PKEY **out)
{
    idp_status st = IDP_OK;
    uint8_t *buf = NULL;
    size_t len = 0;
    BIO *bio = NULL;
    EVP_PKEY *pkey = NULL;
    bool asked = false;
    char why[256];
    struct stat sb;

    *out = NULL;
    if (stat(path, &sb) != 0) {
        if (errno == ENOENT)
            return idp_fail(ctx, IDP_E_NOTFOUND, "%s: no such key file", path);
        return idp_fail(ctx, IDP_E_CRYPTO, "%s: cannot read the key: %s", path, strerror(errno));
    }
    if (!S_ISREG(sb.st_mode) || sb.st_size <= 0 || (uint64_t)sb.st_size > KEY_FILE_MAX)
        return idp_fail(ctx, IDP_E_CRYPTO, "%s: not a PEM key file", path);
    st = idp_read_file(ctx, path, KEY_FILE_MAX, &buf, &len);
    if (st != IDP_OK)
        return st;
    if (len > (size_t)INT32_MAX) {
        st = idp_fail(ctx, IDP_E_CRYPTO, "%s: not a PEM key file", path);
        goto out;
    }
    ERR_clear_error();
    if (!want_private) {
        bio = BIO_new_mem_buf(buf, (int)len);
        if (bio == NULL) {
            st = idp_fail(ctx, IDP_E_NOMEM, "%s: out of memory", path);
            goto out;
        }
        pkey = PEM_read_bio_PUBKEY(bio, NULL, no_passphrase, &asked);
        BIO_free(bio);
        bio = NULL;
        if (pkey == NULL)
            ERR_clear_error(); /* maybe a private key: tried next */
    }
    if (pkey == NULL) {
        bio = BIO_new_mem_buf(buf, (int)len);
        if (bio == NULL) {
            st = idp_fail(ctx, IDP_E_NOMEM, "%s: out of memory", path);
            goto out;
        }
        pkey = PEM_read_bio_PrivateKey(bio, NULL, no_passphrase, &asked);
    }
    if (pkey == NULL) {
        if (asked)
            st = idp_fail(ctx, IDP_E_CRYPTO,
                          "%s: the key is protected by a passphrase; idpack needs an "
                          "unencrypted Ed25519 key",
                          path);
        else
            st = idp_fail(ctx, IDP_E_CRYPTO, "%s: not a readable PEM %skey (%s)", path,
                          want_private ? "private " : "", ossl_reason(why, sizeof(why)));
        goto out;
    }
    if (!EVP_PKEY_is_a(pkey, "ED25519")) {
        st = idp_fail(ctx, IDP_E_CRYPTO,
                      "%s: a %s key, not Ed25519 (make one with `openssl "
                      "genpkey -algorithm ed25519`)",
                      path,
                      EVP_PKEY_get0_type_name(pkey) != NULL ? EVP_PKEY_get0_type_name(pkey)
                                                            : "non-Ed25519");
        goto out;
    }
    *out = pkey;
    pkey = NULL;
out:
    ERR_clear_error();
    EVP_PKEY_free(pkey);
    BIO_free(bio);
    if (buf != NULL)
        idp_wipe(buf, len);
    idp_free_wiped(buf, len);
    return st;
}

/* Wipes the stack below the caller's frame, where the functions it called
 * ran: OpenSSL's key decoding and signing leave copies of the private key
 * in their locals. Not inlined, so its array lies over their frames. */
__attribute__((noinline)) static void wipe_stack_below(void)
{
    unsigned char pad[32 * 1024];
    idp_wipe(pad, sizeof(pad));
}

idp_status idp_sign_ed25519(idp_ctx *ctx, const char *key_path, const uint8_t *msg, size_t len,
                            uint8_t sig[IDP_SIG_LEN])
{
    idp_status st;
    EVP_PKEY *pkey = NULL;
    EVP_MD_CTX *md = NULL;
    size_t siglen = IDP_SIG_LEN;
    char why[256];

    st = load_key(ctx, key_path, true, &pkey);
    if (st != IDP_OK) {
        wipe_stack_below();
        return st;
    }
    md = EVP_MD_CTX_new();
    if (md == NULL) {
        st = idp_fail(ctx, IDP_E_NOMEM, "%s: out of memory", key_path);
        goto out;
    }
    /* Ed25519 is one-shot: no digest (NULL md), the whole message at once. */
    if (EVP_DigestSignInit(md, NULL, NULL, NULL, pkey) != 1 ||
        EVP_DigestSign(md, sig, &siglen, msg, len) != 1 || siglen != IDP_SIG_LEN) {
        st = idp_fail(ctx, IDP_E_CRYPTO, "%s: signing failed (%s)", key_path,
                      ossl_reason(why, sizeof(why)));
        goto out;
    }
out:
    ERR_clear_error();
    EVP_MD_CTX_free(md);
    EVP_PKEY_free(pkey);
    wipe_stack_below();
    return st;
}

idp_status idp_verify_ed25519(idp_ctx *ctx, const char *pub_path, const uint8_t *msg, size_t len,
                              const uint8_t *sig, size_t sig_len)
{
    idp_status st;
    EVP_PKEY *pkey = NULL;
    EVP_MD_CTX *md = NULL;
    int r;

    st = load_key(ctx, pub_path, false, &pkey);
    if (st != IDP_OK)
        return st;
    if (sig_len != IDP_SIG_LEN) {
        st = idp_fail(ctx, IDP_E_MISMATCH,
                      "the signature is %zu bytes, not the %d of an Ed25519 signature", sig_len,
                      IDP_SIG_LEN);
        goto out;
    }
    md = EVP_MD_CTX_new();
    if (md == NULL) {
        st = idp_fail(ctx, IDP_E_NOMEM, "%s: out of memory", pub_path);
        goto out;
    }
    if (EVP_DigestVerifyInit(md, NULL, NULL, NULL, pkey) != 1) {
        st = idp_fail(ctx, IDP_E_CRYPTO, "%s: cannot verify with this key", pub_path);
        goto out;
    }
    r = EVP_DigestVerify(md, sig, sig_len, msg, len);
    if (r != 1)
        st = idp_fail(ctx, IDP_E_MISMATCH, "the signature does not verify with the key %s",
                      pub_path);
out:
    ERR_clear_error();
    EVP_MD_CTX_free(md);
    EVP_PKEY_free(pkey);
    return st;
}
