/* SHA-256 through OpenSSL's EVP interface: one-shot for buffers, 64 KiB
 * chunks for files (a package file is never read whole just to hash it). */
#include "idp_hash.h"
#include "idp_io.h"

#include <openssl/evp.h>

#include <errno.h>
#include <fcntl.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#define HASH_CHUNK (64u * 1024u)

idp_status idp_sha256(idp_ctx *ctx, const void *data, size_t len, uint8_t out[IDP_SHA256_LEN])
{
    unsigned int outlen = 0;

    if (data == NULL && len != 0)
        return idp_fail(ctx, IDP_E_USAGE, "sha256: no data");
    if (EVP_Digest(data != NULL ? data : "", len, out, &outlen, EVP_sha256(), NULL) != 1 ||
        outlen != IDP_SHA256_LEN)
        return idp_fail(ctx, IDP_E_INTERNAL, "sha256: OpenSSL digest failed");
    return IDP_OK;
}

idp_status idp_sha256_file(idp_ctx *ctx, const char *path, uint8_t out[IDP_SHA256_LEN],
                           uint64_t *size)
{
    idp_status st = IDP_OK;
    EVP_MD_CTX *md = NULL;
    unsigned char buf[HASH_CHUNK];
    unsigned int outlen = 0;
    uint64_t total = 0;
    struct stat sb;
    int fd;

    if (size != NULL)
        *size = 0;
    st = idp_open_regular(ctx, path, &fd, &sb);
    if (st != IDP_OK)
        return st;
    md = EVP_MD_CTX_new();
    if (md == NULL) {
        st = idp_fail(ctx, IDP_E_NOMEM, "%s: out of memory", path);
        goto out;
    }
    if (EVP_DigestInit_ex(md, EVP_sha256(), NULL) != 1) {
        st = idp_fail(ctx, IDP_E_INTERNAL, "%s: OpenSSL digest failed", path);
        goto out;
    }
    for (;;) {
        ssize_t n = read(fd, buf, sizeof(buf));
        if (n < 0 && errno == EINTR)
            continue;
        if (n < 0) {
            st = idp_fail(ctx, IDP_E_IO, "%s: read error: %s", path, strerror(errno));
            goto out;
        }
        if (n == 0)
            break;
        if (EVP_DigestUpdate(md, buf, (size_t)n) != 1) {
            st = idp_fail(ctx, IDP_E_INTERNAL, "%s: OpenSSL digest failed", path);
            goto out;
        }
        total += (uint64_t)n;
    }
    if (EVP_DigestFinal_ex(md, out, &outlen) != 1 || outlen != IDP_SHA256_LEN) {
        st = idp_fail(ctx, IDP_E_INTERNAL, "%s: OpenSSL digest failed", path);
        goto out;
    }
    if (size != NULL)
        *size = total;
out:
    EVP_MD_CTX_free(md);
    close(fd);
    return st;
}

void idp_hex(const uint8_t *bytes, size_t n, char *out)
{
    static const char digits[] = "0123456789abcdef";
    size_t i;

    for (i = 0; i < n; i++) {
        out[2 * i] = digits[bytes[i] >> 4];
        out[2 * i + 1] = digits[bytes[i] & 15];
    }
    out[2 * n] = '\0';
}
