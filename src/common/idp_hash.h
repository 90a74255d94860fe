/* idp_hash: SHA-256 through OpenSSL's EVP interface. */
#ifndef IDP_HASH_H
#define IDP_HASH_H

#include "idp_ctx.h"
/* IDP_SHA256_LEN, IDP_SHA256_HEX, idp_sha256, idp_sha256_file, idp_hex:
 * public, in idp_util.h */
#include "idp_util.h"

#endif
