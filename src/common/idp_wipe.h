/* idp_wipe: the one way personal data and secrets are erased before their
 * memory is given back (ID pixels, file contents, the seller's details,
 * keys): OPENSSL_cleanse underneath, which the compiler cannot drop as a
 * dead store. */
#ifndef IDP_WIPE_H
#define IDP_WIPE_H

#include "idp_util.h" /* idp_wipe, idp_free_wiped */

#include <stddef.h>

/* Zeroes the NUL-terminated string s (malloc'd), then frees it; NULL is
 * fine. */
void idp_free_wiped_str(char *s);

#endif
