/* idp_sign: Ed25519 signatures of the manifest, compatible with
 * `openssl pkeyutl -sign/-verify -rawin` (raw 64-byte signature files). */
#ifndef IDP_SIGN_H
#define IDP_SIGN_H

#include "idp_ctx.h"

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#define IDP_SIG_LEN 64

/* Signs msg with the Ed25519 private key in the PEM file key_path (as made
 * by `openssl genpkey -algorithm ed25519`). Not Ed25519, unreadable,
 * encrypted: IDP_E_CRYPTO naming the file. Key material is wiped. */
idp_status idp_sign_ed25519(idp_ctx *ctx, const char *key_path, const uint8_t *msg, size_t len,
                            uint8_t sig[IDP_SIG_LEN]) IDP_WUR IDP_NONNULL(1, 2, 3, 5);

/* Verifies with the public key PEM at pub_path (a private key file is
 * accepted too). A signature that does not verify: IDP_E_MISMATCH. */
idp_status idp_verify_ed25519(idp_ctx *ctx, const char *pub_path, const uint8_t *msg, size_t len,
                              const uint8_t *sig, size_t sig_len) IDP_WUR IDP_NONNULL(1, 2, 3, 5);

/* idp_sign_wipe_openssl_frees: public, in idp_package.h. */

#endif
