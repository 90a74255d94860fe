/* idp_hash: SHA-256 through OpenSSL's EVP interface. */
#ifndef IDP_HASH_H
#define IDP_HASH_H

#include "idp_ctx.h"

#include <stddef.h>
#include <stdint.h>

#define IDP_SHA256_LEN 32
#define IDP_SHA256_HEX 65 /* 64 hex digits and NUL */

idp_status idp_sha256(idp_ctx *ctx, const void *data, size_t len,
                      uint8_t out[IDP_SHA256_LEN]) IDP_WUR IDP_NONNULL(1, 4);

/* Hashes a file in chunks (no whole-file buffer); *size (if size is not
 * NULL) gets its length.
 * Errors name the file. */
idp_status idp_sha256_file(idp_ctx *ctx, const char *path, uint8_t out[IDP_SHA256_LEN],
                           uint64_t *size) IDP_WUR IDP_NONNULL(1, 2, 3);

/* Lower-case hex of n bytes into out (2n+1 bytes). */
void idp_hex(const uint8_t *bytes, size_t n, char *out) IDP_NONNULL(1, 3);

#endif
