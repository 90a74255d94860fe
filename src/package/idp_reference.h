/* idp_reference: the package reference, derived from the content: short,
 * human-typable, e.g. "IDP-7KQ2-9XHF" (Crockford base32: no I, L, O, U). */
#ifndef IDP_REFERENCE_H
#define IDP_REFERENCE_H

#include "idp_ctx.h"
#ifdef IDP_INTERNAL
#include "idp_hash.h"
#endif

#include <stdbool.h>

#ifdef __cplusplus
extern "C" {
#endif

#define IDP_REFERENCE_LEN 14 /* "IDP-XXXX-XXXX" and NUL */

#ifdef IDP_INTERNAL
/* The reference for a content digest (the first 40 bits, base32). */
void idp_reference_from_digest(const uint8_t digest[IDP_SHA256_LEN], char out[IDP_REFERENCE_LEN])
    IDP_NONNULL(1, 2);
#endif /* IDP_INTERNAL */

/* Whether s is a well-formed reference (case-insensitive, O->0, I/L->1 as
 * Crockford allows); normalised into out when not NULL. */
IDP_API bool idp_reference_parse(const char *s, char out[IDP_REFERENCE_LEN]) IDP_NONNULL(1);

#ifdef __cplusplus
}
#endif

#endif
